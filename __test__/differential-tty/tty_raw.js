// Raw mode on and off: isRaw follows, setRawMode returns the stream.
const { stdin } = process;
const same = stdin.setRawMode(true) === stdin;
console.log(same, stdin.isRaw);
stdin.setRawMode(false);
console.log(stdin.isRaw);
stdin.setRawMode(1);
console.log(stdin.isRaw);
stdin.setRawMode(0);
console.log(stdin.isRaw);
