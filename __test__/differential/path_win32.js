// node:path win32: drive letters, UNC roots, both separators, reserved
// device names; only inputs whose answer does not depend on the cwd.
const path = require('path');
const w = path.win32;
const t = (label, f) => {
  try { console.log(label, JSON.stringify(f())); } catch (e) { console.log(label, 'threw', e.name, e.code, e.message); }
};
console.log(w.sep, w.delimiter, w === require('node:path/win32'), w.posix === path, w.win32 === w, Object.keys(w).length);
const inputs = ['', '.', '..', '\\', '/', '\\\\', '//', '\\\\\\', 'a', 'a\\', 'a/b\\c', 'C:', 'c:', 'C:\\', 'C:/', 'C:\\\\', 'C:a', 'C:a\\b',
  'C:\\a\\b', 'C:\\a\\b\\', 'C:\\..\\a', 'C:..\\a', 'C:\\a\\..\\..', '\\a\\b', '/a/b/', '\\\\server', '\\\\server\\', '\\\\server\\share',
  '\\\\server\\share\\', '\\\\server\\share\\a\\b', '//server/share/a', '\\\\server\\\\share\\a', '\\\\.\\pipe\\x', '\\\\?\\C:\\x',
  'a\\..\\..\\b', 'x:y', 'foo:bar', 'a:b', 'CON:', 'con:', 'CON:foo', 'com1:', 'LPT9:x', 'CON.txt:a', 'x\\y:', 'a:\\', '1:\\x',
  'file.txt', 'C:\\dir\\file.tar.gz', 'C:file.ext', '.hidden', 'C:\\.hidden', 'C:\\..', 'C:\\...', 'a.', '..a', '\\..', 'C:\\a\\.\\b',
  'dir\\sub/', 'é\\ü.txt', '\\\\a\\b\\c\\d.e', '\\\\?\\UNC\\server\\share'];
for (const p of inputs) {
  console.log(JSON.stringify(p), JSON.stringify([w.normalize(p), w.isAbsolute(p), w.dirname(p), w.basename(p), w.extname(p), w.parse(p)]));
}
for (const [p, ext] of [['C:\\a.js', '.js'], ['C:a.js', 'a.js'], ['C:\\', 'x'], ['a\\b.js\\', '.js'], ['C:abc', 'abc'], ['abc', 'abc'],
  ['\\\\s\\h\\x.y', '.y'], ['a/bc/', 'xbc']]) {
  t(`basename ${p} ${ext}`, () => w.basename(p, ext));
}
const joins = [[], [''], ['a', 'b'], ['C:', 'a'], ['C:\\', '..'], ['\\\\server', 'share'], ['//server', 'share', 'x'], ['\\\\', 'x'],
  ['///x', 'y'], ['/', '/', 'x'], ['a', '', 'b\\'], ['C:', '\\a'], ['CON', 'x:'], ['a', 'b:'], ['x:', 'y'], ['\\\\\\server', 'share'],
  ['//', 'server', 'share'], ['a', '..', '..'], ['c:\\a', 'b', '..\\c']];
for (const a of joins) t(`join ${JSON.stringify(a)}`, () => w.join(...a));
const resolves = [['C:\\a', 'b'], ['C:\\a', 'D:\\b'], ['C:\\a', '\\b'], ['C:\\a', '..\\..\\..'], ['\\\\server\\share', 'x', '..', 'y'],
  ['C:\\a', 'c:b'], ['C:\\', '.'], ['c:/x/', './y/'], ['D:\\x', 'C:\\y', 'z'], ['\\\\s\\h\\a', '\\b'], ['C:\\x', '\\\\s\\h']];
for (const a of resolves) t(`resolve ${JSON.stringify(a)}`, () => w.resolve(...a));
const relatives = [['C:\\a\\b', 'C:\\a\\b'], ['C:\\a\\b', 'C:\\a\\b\\c'], ['C:\\a\\b\\c', 'C:\\a\\b'], ['C:\\a\\b', 'C:\\a\\c'],
  ['C:\\', 'C:\\a'], ['C:\\a', 'C:\\'], ['C:\\a', 'D:\\a'], ['c:\\A\\b', 'C:\\a\\B\\c'], ['C:\\ab', 'C:\\a'], ['C:\\a', 'C:\\ab'],
  ['\\\\s\\h\\a', '\\\\s\\h\\b'], ['\\\\s\\h', '\\\\s\\h\\a'], ['\\\\s\\h\\a', '\\\\s\\h'], ['C:\\a\\b\\c\\d', 'C:\\a\\x\\y'],
  ['C:\\foo\\bar\\baz-quux', 'C:\\foo\\bar\\baz'], ['C:\\baz', 'C:\\baz-quux'], ['\\\\foo\\bar', '\\\\foo\\bar\\baz'],
  ['\\\\foo\\bar\\baz', '\\\\foo\\bar'], ['C:\\a', 'C:\\a\\']];
for (const [f, to] of relatives) t(`relative ${f} ${to}`, () => w.relative(f, to));
for (const p of ['C:\\x', 'c:/x/y', '\\\\server\\share\\x', '//server/share', '\\\\?\\C:\\x', '\\\\.\\pipe', '', 'C:\\', 5, null]) {
  t(`toNamespacedPath ${String(p)}`, () => w.toNamespacedPath(p));
}
const formats = [{ root: 'C:\\', dir: 'C:\\a', base: 'b.c' }, { root: 'C:\\', base: 'x' }, { dir: 'd', name: 'n', ext: 'e' },
  { dir: 'C:\\', base: 'a' }, { root: '\\\\s\\h\\', name: 'x', ext: '.y' }];
for (const f of formats) t(`format ${JSON.stringify(f)}`, () => w.format(f));
t('format parse round trip', () => inputs.map((p) => w.format(w.parse(p))));
for (const bad of [1, null, {}]) {
  t('normalize', () => w.normalize(bad));
  t('join', () => w.join('a', bad));
  t('resolve', () => w.resolve('C:\\', bad));
  t('relative', () => w.relative('a', bad));
  t('dirname', () => w.dirname(bad));
  t('basename', () => w.basename('a', bad));
  t('extname', () => w.extname(bad));
  t('parse', () => w.parse(bad));
  t('isAbsolute', () => w.isAbsolute(bad));
  t('format', () => w.format(bad));
}
