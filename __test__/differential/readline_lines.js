const readline = require('readline');
console.log(Object.keys(readline), Object.keys(readline.promises));
const rl = readline.createInterface({ input: process.stdin });
const lines = [];
rl.on('line', (line) => lines.push(line));
rl.on('close', () => {
  console.log(JSON.stringify(lines));
  const out = { write(s) { console.log(JSON.stringify(s)); return true; } };
  readline.cursorTo(out, 3);
  readline.cursorTo(out, 3, 4);
  readline.moveCursor(out, -2, 5);
  readline.moveCursor(out, 1, -1);
  readline.clearLine(out, -1);
  readline.clearLine(out, 1);
  readline.clearLine(out, 0);
  readline.clearScreenDown(out);
  try { readline.cursorTo(out, 'x', 1); } catch (e) { console.log(e.code, e.message); }
  console.log(rl.closed, rl.terminal);
  try { rl.question('late?', () => {}); } catch (e) { console.log(e.name, e.code, e.message); }
});
