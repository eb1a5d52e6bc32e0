// What a process on a terminal sees of it (100 columns, 30 rows,
// TERM=xterm-256color).
const tty = require('tty');
const { stdin, stdout, stderr } = process;
console.log(JSON.stringify({
  isTTY: [stdin.isTTY, stdout.isTTY, stderr.isTTY],
  size: [stdout.columns, stdout.rows, stderr.columns, stderr.rows],
  windowSize: stdout.getWindowSize(),
  isatty: [0, 1, 2, 3, 99, -1, 1.5, '1'].map((fd) => tty.isatty(fd)),
  colors: [stdout.getColorDepth(), stdout.hasColors(), stdout.hasColors(256), stdout.hasColors(2 ** 24)],
  raw: [stdin.isRaw, typeof stdin.setRawMode],
}));
