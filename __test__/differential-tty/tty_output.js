// A terminal turns every \n into \r\n (a \r already before it stays).
process.stdout.write('a\nb\r\nc');
process.stderr.write('\nerr\n');
console.log('%s|%d', 'x', 42);
process.exitCode = 3;
