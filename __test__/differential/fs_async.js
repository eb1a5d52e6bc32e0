// node:fs callbacks, promises and FileHandle: results, errors and the order
// callbacks run in must match Node.
const fs = require('fs');
const fsp = require('fs/promises');
const path = require('path');
const dir = fs.mkdtempSync('/tmp/fsdiff-');
const p = (n) => path.join(dir, n);
const rel = (s) => (typeof s === 'string' ? s.split(dir).join('<dir>') : s);
const err = (e) => [e.code, e.errno, e.syscall, rel(e.path), rel(e.message)];

console.log('same object', fs.promises === fsp, typeof fsp.readFile, typeof fsp.constants);
try { fs.readFile(p('x')); } catch (e) { console.log('no cb', e.code, e.message); }
try { fs.stat(123, () => {}); } catch (e) { console.log('bad path', e.code, e.message); }

first(() => fs.writeFile(p('a.txt'), 'one', (e) => {
  console.log('writeFile cb', e);
  fs.readFile(p('a.txt'), 'utf8', (e2, text) => {
    console.log('readFile cb', e2, text);
    fs.appendFile(p('a.txt'), '+two', (e3) => {
      console.log('appendFile cb', e3);
      fs.readFile(p('a.txt'), (e4, b) => {
        console.log('readFile buffer', e4, Buffer.isBuffer(b), b.toString());
        fs.stat(p('a.txt'), (e5, st) => {
          console.log('stat cb', e5, st.size, st.isFile(), st instanceof fs.Stats);
          fs.readdir(dir, { withFileTypes: true }, (e6, list) => {
            console.log('readdir cb', e6, list.map((d) => [d.name, d.isFile()]));
            step2();
          });
        });
      });
    });
  });
}));
console.log('sync end');

// Independent calls finish in whatever order Node's thread pool gives, so
// these run one after another.
function first(done) {
  fs.readFile(p('missing'), (e) => {
    console.log('missing cb', err(e));
    fs.mkdir(p('d/e'), { recursive: true }, (e2, made) => {
      console.log('mkdir cb', e2, rel(made));
      fs.access(p('missing'), (e3) => {
        console.log('access cb', err(e3));
        fs.exists(p('missing'), (x) => {
          console.log('exists cb', x);
          done();
        });
      });
    });
  });
}

async function step2() {
  console.log('promises start');
  await fsp.writeFile(p('b.txt'), 'bee');
  console.log('p readFile', await fsp.readFile(p('b.txt'), 'utf8'));
  console.log('p readFile buf', (await fsp.readFile(p('b.txt'))).toString('hex'));
  console.log('p stat', (await fsp.stat(p('b.txt'))).size, (await fsp.lstat(p('b.txt'))).isFile());
  console.log('p readdir', (await fsp.readdir(dir)).sort());
  console.log('p mkdir', rel(await fsp.mkdir(p('x/y'), { recursive: true })));
  const tmp = await fsp.mkdtemp(p('t-'));
  console.log('p mkdtemp', tmp.startsWith(p('t-')), tmp.length - p('t-').length);
  await fsp.rmdir(tmp);
  await fsp.rename(p('b.txt'), p('c.txt'));
  await fsp.copyFile(p('c.txt'), p('d.txt'));
  console.log('p copy', await fsp.readFile(p('d.txt'), 'utf8'));
  await fsp.unlink(p('d.txt'));
  await fsp.symlink('c.txt', p('link'));
  console.log('p readlink', await fsp.readlink(p('link')), rel(await fsp.realpath(p('link'))));
  for (const f of [() => fsp.readFile(p('nope')), () => fsp.rmdir(p('nope')), () => fsp.open(p('nope'), 'r'), () => fsp.readFile(123.5)]) {
    try { await f(); } catch (e) { console.log('p rejects', err(e)); }
  }
  const fh = await fsp.open(p('fh.txt'), 'w+');
  console.log('fh fd', typeof fh.fd);
  console.log('fh write', (await fh.write('hello world')).bytesWritten);
  const { bytesRead, buffer } = await fh.read(Buffer.alloc(5), 0, 5, 6);
  console.log('fh read', bytesRead, buffer.toString());
  console.log('fh stat', (await fh.stat()).size);
  await fh.truncate(5);
  console.log('fh readFile', await fh.readFile('utf8'));
  await fh.close();
  await fh.close();
  try { await fh.read(Buffer.alloc(1), 0, 1, 0); } catch (e) { console.log('fh closed', e.code, e.message); }
  await fsp.appendFile(p('fh.txt'), '!');
  console.log('appended', await fsp.readFile(p('fh.txt'), 'utf8'));
  await fsp.rm(p('x'), { recursive: true });
  console.log('p access', await fsp.access(p('c.txt')));
  const d = await fsp.opendir(dir);
  const names = [];
  for await (const ent of d) names.push(ent.name);
  console.log('opendir', names.sort());
  console.log('dir sync', (() => { const dd = fs.opendirSync(dir); const n = []; let e; while ((e = dd.readSync()) !== null) n.push(e.name); dd.closeSync(); return n.sort(); })());
  await fsp.rm(dir, { recursive: true });
  console.log('done', fs.existsSync(dir));
}
