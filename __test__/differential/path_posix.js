// node:path (posix): every function over awkward inputs, and its errors.
const path = require('path');
const cwd = process.cwd();
const t = (label, f) => {
  try { console.log(label, JSON.stringify(f())); } catch (e) { console.log(label, 'threw', e.name, e.code, e.message); }
};
console.log(path === require('node:path'), path.posix === path, path.win32 === require('path/win32'), require('path/posix') === path);
console.log(path.sep, path.delimiter, Object.keys(path), path._makeLong === path.toNamespacedPath);
const inputs = ['', '.', '..', '/', '//', '///', 'a', 'a/', 'a//', '/a', '/a/', '//a', '//a/b', '/a/b/c', 'a/b/c/', './a', '../a', 'a/../b',
  'a/./b', 'a/../../b', '/../a', '/a/../..', 'a/b/../../..', '.a', '..a', 'a.', 'a..', '.a.b', 'a.b.c', '...', '....', '.', '/.', '/..',
  '/...', 'a/.', 'a/..', 'a/.b', 'a/b.', 'file.txt', '/dir/file.tar.gz', 'dir/.hidden', 'dir/.hidden.ext', '/a//b//c', 'a\\b', 'C:\\x',
  '/foo/bar/', '/foo/bar//', 'x/y/./z/../w', '../../x', './', './/', '/./', 'ünï/cödé.txt', ' ', '/ /'];
for (const p of inputs) {
  console.log(JSON.stringify(p), JSON.stringify([path.normalize(p), path.isAbsolute(p), path.dirname(p), path.basename(p),
    path.extname(p), path.parse(p), path.toNamespacedPath(p)]));
}
for (const [p, ext] of [['a.js', '.js'], ['a.js', 'js'], ['a.js', 'a.js'], ['/a.js', 'a.js'], ['a.js/', '.js'], ['aaa/bbb', 'bb'],
  ['aaa/bbb', 'bbb'], ['/aaa/bbb/', 'bbb'], ['a/bc/', 'xbc'], ['a.js.js', '.js'], ['x', ''], ['', 'x'], ['a/b', 'b/'], ['.js', '.js'],
  ['/x/.js', '.js'], ['a/b.js', 'B.JS'], ['file', 'longer-than-file'], ['a/', 'a'], ['//', '/']]) {
  t(`basename ${p} ${ext}`, () => path.basename(p, ext));
}
const joins = [[], [''], ['', ''], ['a'], ['a', 'b'], ['/a', '/b'], ['a', '', 'b'], ['a/', '/b'], ['a', '..', '..', 'b'], ['/', '..'],
  ['.', '.'], ['', '/x'], ['//', 'x'], ['a', './b/', '../c/'], ['a', 'b/'], ['x', '../..']];
for (const a of joins) t(`join ${JSON.stringify(a)}`, () => path.join(...a));
const resolves = [['/a/b', 'c'], ['/a/b', '/c'], ['/a', 'b', '../c'], ['/'], ['/a/', ''], ['', '/x/'], ['/x', '.', './y/'], ['a'],
  [], ['a', 'b'], ['/a', '..', '..', 'b'], ['/a/b/c/../../..'], ['.'], ['a/', '../b/']];
// Results under the cwd print relative to it (the sandbox's cwd is not the host's).
for (const a of resolves) {
  t(`resolve ${JSON.stringify(a)}`, () => {
    const r = path.resolve(...a);
    return [path.isAbsolute(r), a.some((x) => x.startsWith('/')) ? r : path.relative(cwd, r)];
  });
}
t('resolve cwd', () => path.resolve() === cwd);
t('resolve rel', () => path.resolve('x') === path.join(cwd, 'x'));
const relatives = [['/a/b', '/a/b'], ['/a/b', '/a/b/c'], ['/a/b/c', '/a/b'], ['/a/b', '/a/c'], ['/', '/a'], ['/a', '/'],
  ['/a/bc', '/a/b'], ['/a/b', '/a/bc'], ['/ab', '/a'], ['/a', '/ab'], ['/a/b/c/d', '/a/x/y'], ['/x', '/y'], ['/a/b/', '/a/b/c/'],
  ['/a//b', '/a/b/c'], ['a', 'a/b'], ['a/b', 'c'], ['', ''], ['/foo/bar/baz-quux', '/foo/bar/baz'], ['/baz', '/baz-quux']];
for (const [f, to] of relatives) t(`relative ${f} ${to}`, () => path.relative(f, to));
const formats = [{ root: '/', dir: '/a', base: 'b.c' }, { root: '/', base: 'x' }, { dir: 'd', name: 'n', ext: '.e' },
  { name: 'n', ext: 'e' }, { name: 'n', ext: '' }, { dir: 'd', base: 'b', name: 'ignored' }, { root: '/x/', name: 'y' }, {},
  { dir: '', root: '' }, { dir: '/', base: 'a' }, { root: 'r', dir: 'r', base: 'b' }, { ext: '.only' }, { name: 0, ext: 0 }];
for (const f of formats) t(`format ${JSON.stringify(f)}`, () => path.format(f));
t('format parse round trip', () => inputs.map((p) => path.format(path.parse(p))));
// errors
for (const bad of [1, null, undefined, {}, [], true, Symbol('s'), () => {}]) {
  t('normalize', () => path.normalize(bad));
  t('join', () => path.join('a', bad));
  t('resolve', () => path.resolve('/a', bad, 'b'));
  t('relative from', () => path.relative(bad, 'a'));
  t('relative to', () => path.relative('a', bad));
  t('dirname', () => path.dirname(bad));
  t('basename', () => path.basename(bad));
  t('basename ext', () => path.basename('a', bad));
  t('extname', () => path.extname(bad));
  t('parse', () => path.parse(bad));
  t('isAbsolute', () => path.isAbsolute(bad));
  t('format', () => path.format(bad));
  t('toNamespacedPath', () => path.toNamespacedPath(bad));
}
