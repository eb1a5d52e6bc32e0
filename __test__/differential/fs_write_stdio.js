// fs.writeSync and fs.write on fds 1 and 2 go to stdout and stderr, in order
// with console output; a position slot holding an encoding is ignored.
const fs = require('fs');
console.log('first');
fs.writeSync(1, 'writeSync to 1\n');
fs.writeSync(1, 'with an encoding in the position slot\n', 'utf8');
fs.writeSync(1, Buffer.from('a buffer\n'));
fs.writeSync(2, 'to stderr\n');
console.log('last sync', fs.writeSync(1, 'é\n'));
fs.write(1, 'async write\n', (err, n) => console.log('callback', err, n));
