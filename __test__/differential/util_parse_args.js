const { parseArgs, parseEnv } = require('util');
const tries = [
  {}, { args: 'x' }, { args: [], strict: 1 }, { args: [], options: { f: { type: 'number' } } }, { args: [], options: { f: 1 } },
  { args: [], options: { f: { type: 'string', short: 'ab' } } }, { args: [], options: { f: { type: 'string', multiple: 1 } } },
  { args: [], options: { f: { type: 'string', default: 1 } } }, { args: [], options: { f: { type: 'string', multiple: true, default: ['a', 1] } } },
  { args: [], options: { f: { type: 'boolean', multiple: true, default: [true, 'x'] } } },
  { args: ['--foo'] }, { args: ['-f'], allowPositionals: true }, { args: ['x'] }, { args: ['--f'], options: { f: { type: 'string' } } },
  { args: ['--f', '--g'], options: { f: { type: 'string' }, g: { type: 'boolean' } } },
  { args: ['-f', '-g'], options: { f: { type: 'string', short: 'f' }, g: { type: 'boolean', short: 'g' } } },
  { args: ['--g=1'], options: { g: { type: 'boolean', short: 'g' } } },
  { args: ['-abfFILE', 'p', '--', '--x'], strict: false, tokens: true, options: { f: { type: 'string', short: 'f' }, a: { type: 'boolean', short: 'a' } } },
  { args: ['--no-color', '--color'], allowNegative: true, options: { color: { type: 'boolean' } } },
  { args: ['--no-colour'], allowNegative: true, options: { color: { type: 'boolean' } } },
  { args: ['--no-str'], allowNegative: true, options: { str: { type: 'string' } } },
  { args: ['--m', 'a', '--m=b', '-mc'], options: { m: { type: 'string', multiple: true, short: 'm' }, d: { type: 'string', default: 'dd' } }, tokens: true },
  { args: ['--__proto__', 'x'], strict: false },
  { options: { x: { type: 'boolean' } } },
];
for (const t of tries) {
  try { console.log(parseArgs(t)) } catch (e) { console.log(e.name, e.code, e.message) }
}
for (const c of ['A=1', 'A = 1 \nB=2', "A='x'\nB=\"y\\nz\"\nC=`q`", 'export A=1', '#x\nA=1 # comment\nB="a # b"', 'A="multi\nline"', 'A', '=x', 'A.B=1', ' A=1', 'A=\'\'', 'A=1\r\nB=2', 'A="unterminated', 'A=${B}', 'A="x" y']) {
  console.log(JSON.stringify(c), parseEnv(c));
}
console.log(parseArgs({ args: ['-vvv', '--', 'x'], options: { v: { type: 'boolean', short: 'v', multiple: true } }, allowPositionals: true }));
console.log(parseArgs({ args: ['-o', 'out', '-i=in', '--flag', 'pos'], strict: false }));
console.log(parseArgs({ args: ['-xy', 'val'], options: { x: { type: 'boolean', short: 'x' }, y: { type: 'string', short: 'y' } } }));
console.log(parseArgs({ args: ['--a=', '--b', ''], options: { a: { type: 'string' }, b: { type: 'string' } } }));
console.log(parseArgs({ args: ['--no-color'], strict: false, allowNegative: true }));
console.log(parseArgs({ args: ['-a', '-'], allowPositionals: true, options: { a: { type: 'string', short: 'a' } } }));
try { parseArgs({ args: ['--unknown'], allowPositionals: true }); } catch (e) { console.log(e.message); }
console.log(parseArgs({ options: { f: { type: 'boolean', default: false } } }).values);
