// node:fs argument checks: codes and messages as Node gives them.
const fs = require('fs');
const tries = [
  ['readFileSync number', () => fs.readFileSync(1.5)],
  ['readFileSync object', () => fs.readFileSync({})],
  ['readFileSync null byte', () => fs.readFileSync('a\0b')],
  ['readFileSync http url', () => fs.readFileSync(new URL('http://x/y'))],
  ['readFileSync file url host', () => fs.readFileSync(new URL('file://host/y'))],
  ['readFileSync file url slash', () => fs.readFileSync(new URL('file:///a%2Fb'))],
  ['readFileSync bad encoding', () => fs.readFileSync('/tmp', 'nope')],
  ['openSync bad flags', () => fs.openSync('/tmp/x', 'q')],
  ['openSync bad mode', () => fs.openSync('/tmp/x', 'r', 'abc')],
  ['closeSync string', () => fs.closeSync('1')],
  ['closeSync negative', () => fs.closeSync(-1)],
  ['closeSync float', () => fs.closeSync(1.5)],
  ['closeSync unknown', () => fs.closeSync(9999)],
  ['fstatSync unknown', () => fs.fstatSync(9999)],
  ['readSync bad buffer', () => fs.readSync(0, 'x')],
  ['readSync bad length', () => fs.readSync(0, Buffer.alloc(2), 0, 5, 0)],
  ['readSync bad offset', () => fs.readSync(0, Buffer.alloc(2), -1, 1, 0)],
  ['writeFileSync bad data', () => fs.writeFileSync('/tmp/x', 42)],
  ['mkdirSync bad recursive', () => fs.mkdirSync('/tmp/x', { recursive: 'yes' })],
  ['rmSync bad force', () => fs.rmSync('/tmp/x', { force: 1 })],
  ['copyFileSync bad mode', () => fs.copyFileSync('/tmp/a', '/tmp/b', 8)],
  ['symlinkSync bad type', () => fs.symlinkSync('/a', '/tmp/b', 'nope')],
  ['chmodSync missing mode', () => fs.chmodSync('/tmp/x')],
  ['chownSync bad uid', () => fs.chownSync('/tmp/x', 'a', 0)],
  ['utimesSync bad time', () => fs.utimesSync('/tmp/x', {}, 0)],
  ['stat cb missing', () => fs.stat('/tmp')],
  ['readdir cb missing', () => fs.readdir('/tmp', {})],
  ['watch', () => typeof fs.watch],
  ['constants', () => [fs.constants.O_CREAT, fs.constants.S_IFDIR, fs.constants.COPYFILE_EXCL, fs.F_OK, fs.R_OK]],
  ['exports', () => ['readFileSync', 'createReadStream', 'promises', 'Stats', 'Dirent', 'Dir', 'cpSync', 'opendir'].map((k) => k in fs)],
];
for (const [label, f] of tries) {
  try {
    console.log(label, 'ok', f());
  } catch (e) {
    console.log(label, e.name, e.code, e.message);
  }
}
