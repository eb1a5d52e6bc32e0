// node:fs sync API on a fresh directory: results and errors must match Node.
const fs = require('fs');
const path = require('path');
const dir = fs.mkdtempSync('/tmp/fsdiff-');
const p = (n) => path.join(dir, n);
const rel = (s) => (typeof s === 'string' ? s.split(dir).join('<dir>') : s);
const show = (label, f) => {
  try {
    const v = f();
    console.log(label, v instanceof Uint8Array ? [v.constructor.name, Array.from(v)] : rel(v));
  } catch (e) {
    console.log(label, 'threw', e.code, e.errno, e.syscall, rel(e.path), rel(e.dest), rel(e.message));
  }
};

show('write', () => fs.writeFileSync(p('a.txt'), 'héllo'));
show('read utf8', () => fs.readFileSync(p('a.txt'), 'utf8'));
show('read buffer', () => fs.readFileSync(p('a.txt')));
show('read base64', () => fs.readFileSync(p('a.txt'), { encoding: 'base64' }));
show('read hex', () => fs.readFileSync(p('a.txt'), 'hex'));
show('read latin1', () => fs.readFileSync(p('a.txt'), 'latin1'));
show('append', () => fs.appendFileSync(p('a.txt'), Buffer.from([0x21, 0x0a])));
show('read after append', () => fs.readFileSync(p('a.txt'), 'utf8'));
show('write base64', () => fs.writeFileSync(p('b.bin'), 'AAEC/w==', 'base64'));
show('read b', () => fs.readFileSync(p('b.bin')));
show('write typed', () => fs.writeFileSync(p('c.bin'), new Uint16Array([1, 258])));
show('read c', () => fs.readFileSync(p('c.bin')));
show('flag wx exists', () => fs.writeFileSync(p('a.txt'), 'x', { flag: 'wx' }));
show('flag a', () => fs.writeFileSync(p('a.txt'), 'more', { flag: 'a' }));
show('read flag a+', () => fs.readFileSync(p('new.txt'), { flag: 'a+', encoding: 'utf8' }));
show('exists', () => [fs.existsSync(p('a.txt')), fs.existsSync(p('zzz')), fs.existsSync(), fs.existsSync(42)]);

const st = fs.statSync(p('a.txt'));
show('stat', () => [st.size, st.isFile(), st.isDirectory(), st.isSymbolicLink(), st.mode & 0o777, st.nlink, st.blksize, st.blocks]);
show('stat dates', () => [st.mtime instanceof Date, st.mtimeMs === st.mtime.getTime() || Math.abs(st.mtimeMs - st.mtime.getTime()) < 1, typeof st.ino]);
show('stat keys', () => Object.keys(st).join());
const bst = fs.statSync(p('a.txt'), { bigint: true });
show('bigint stat', () => [typeof bst.size, bst.size, typeof bst.mtimeNs, bst.isFile(), Object.keys(bst).join()]);
show('stat missing no throw', () => fs.statSync(p('zzz'), { throwIfNoEntry: false }));
show('lstat missing no throw', () => fs.lstatSync(p('zzz'), { throwIfNoEntry: false }));
show('stat missing', () => fs.statSync(p('zzz')));
show('stat dir', () => fs.statSync(dir).isDirectory());

show('mkdir', () => fs.mkdirSync(p('d1')));
show('mkdir again', () => fs.mkdirSync(p('d1')));
show('mkdir recursive', () => fs.mkdirSync(p('d2/e/f'), { recursive: true }));
show('mkdir recursive exists', () => fs.mkdirSync(p('d2/e'), { recursive: true }));
show('mkdir under file', () => fs.mkdirSync(p('a.txt/x'), { recursive: true }));
show('mkdir missing parent', () => fs.mkdirSync(p('nope/x')));
show('mkdir mode', () => { fs.mkdirSync(p('m'), 0o700); return fs.statSync(p('m')).mode & 0o777; });
show('readdir', () => fs.readdirSync(dir).sort());
show('readdir types', () => fs.readdirSync(dir, { withFileTypes: true }).map((d) => [d.name, d.isFile(), d.isDirectory(), d.isSymbolicLink(), rel(d.path)]).sort());
show('readdir recursive', () => fs.readdirSync(p('d2'), { recursive: true }).sort());
show('readdir buffer', () => fs.readdirSync(p('d2'), { encoding: 'buffer' }).map((b) => Buffer.isBuffer(b) && b.toString()));
show('readdir file', () => fs.readdirSync(p('a.txt')));
show('readdir missing', () => fs.readdirSync(p('zzz')));

show('rename', () => fs.renameSync(p('b.bin'), p('b2.bin')));
show('rename missing', () => fs.renameSync(p('b.bin'), p('b3.bin')));
show('rename dir over file', () => fs.renameSync(p('d1'), p('a.txt')));
show('rename file over dir', () => fs.renameSync(p('a.txt'), p('d1')));
show('copyFile', () => fs.copyFileSync(p('a.txt'), p('copy.txt')));
show('copyFile excl', () => fs.copyFileSync(p('a.txt'), p('copy.txt'), fs.constants.COPYFILE_EXCL));
show('copyFile read', () => fs.readFileSync(p('copy.txt'), 'utf8'));
show('cp dir no recursive', () => fs.cpSync(p('d2'), p('d3')).code);
show('cp dir', () => { fs.cpSync(p('d2'), p('d3'), { recursive: true }); return fs.readdirSync(p('d3'), { recursive: true }).sort(); });

show('symlink', () => fs.symlinkSync('a.txt', p('ln')));
show('symlink exists', () => fs.symlinkSync('a.txt', p('ln')));
show('readlink', () => fs.readlinkSync(p('ln')));
show('readlink file', () => fs.readlinkSync(p('a.txt')));
show('realpath', () => fs.realpathSync(p('ln')));
show('realpath native', () => fs.realpathSync.native(p('ln')));
show('lstat link', () => [fs.lstatSync(p('ln')).isSymbolicLink(), fs.statSync(p('ln')).isFile()]);
show('read via link', () => fs.readFileSync(p('ln'), 'utf8'));
show('dangling', () => { fs.symlinkSync('nowhere', p('dl')); return [fs.existsSync(p('dl')), fs.lstatSync(p('dl')).isSymbolicLink()]; });
show('loop', () => { fs.symlinkSync('loop2', p('loop1')); fs.symlinkSync('loop1', p('loop2')); return fs.readFileSync(p('loop1')); });
show('link', () => { fs.linkSync(p('a.txt'), p('hard')); return [fs.statSync(p('a.txt')).nlink, fs.statSync(p('hard')).ino === fs.statSync(p('a.txt')).ino]; });
show('link dir', () => fs.linkSync(p('d1'), p('hd')));

show('truncate', () => { fs.truncateSync(p('copy.txt'), 3); return fs.readFileSync(p('copy.txt'), 'utf8'); });
show('truncate grow', () => { fs.truncateSync(p('copy.txt'), 5); return fs.readFileSync(p('copy.txt')); });
show('chmod', () => { fs.chmodSync(p('copy.txt'), 0o600); return fs.statSync(p('copy.txt')).mode & 0o777; });
show('chmod string', () => { fs.chmodSync(p('copy.txt'), '644'); return fs.statSync(p('copy.txt')).mode & 0o777; });
show('utimes', () => { fs.utimesSync(p('copy.txt'), 1000, new Date(2000000)); const s = fs.statSync(p('copy.txt')); return [s.atimeMs, s.mtimeMs]; });

const fd = fs.openSync(p('fd.txt'), 'w+');
show('fd type', () => typeof fd);
show('write fd', () => fs.writeSync(fd, 'abcdef'));
show('write fd buffer pos', () => fs.writeSync(fd, Buffer.from('XY'), 0, 2, 1));
show('write fd string pos', () => fs.writeSync(fd, 'Z', 5));
const buf = Buffer.alloc(10);
show('read fd pos', () => [fs.readSync(fd, buf, 0, 10, 0), buf.toString('utf8', 0, 6)]);
show('read fd options', () => [fs.readSync(fd, buf, { position: 2, length: 2 }), buf.toString('utf8', 0, 2)]);
show('fstat', () => fs.fstatSync(fd).size);
show('ftruncate', () => { fs.ftruncateSync(fd, 2); return fs.fstatSync(fd).size; });
show('readFile fd', () => fs.readFileSync(p('fd.txt'), 'utf8'));
show('close', () => fs.closeSync(fd));
show('close again', () => fs.closeSync(fd));
show('read closed', () => fs.readSync(fd, buf));
const ro = fs.openSync(p('a.txt'), 'r');
show('write ro', () => fs.writeSync(ro, 'x'));
fs.closeSync(ro);
show('open missing', () => fs.openSync(p('zzz'), 'r'));
show('open excl', () => fs.openSync(p('a.txt'), 'wx'));
show('open dir write', () => fs.openSync(p('d1'), 'w'));
show('read dir', () => fs.readFileSync(p('d1')));
show('access', () => [fs.accessSync(p('a.txt')), fs.accessSync(p('a.txt'), fs.constants.R_OK | fs.constants.W_OK)]);
show('access missing', () => fs.accessSync(p('zzz')));

show('unlink', () => fs.unlinkSync(p('hard')));
show('unlink dir', () => fs.unlinkSync(p('d1')));
show('unlink missing', () => fs.unlinkSync(p('zzz')));
show('rmdir nonempty', () => fs.rmdirSync(p('d2')));
show('rmdir file', () => fs.rmdirSync(p('a.txt')));
show('rmdir', () => fs.rmdirSync(p('d1')));
show('rm dir', () => fs.rmSync(p('d2')));
show('rm missing', () => fs.rmSync(p('zzz')));
show('rm force', () => fs.rmSync(p('zzz'), { force: true }));
show('rm recursive', () => fs.rmSync(p('d2'), { recursive: true }));
show('rm link', () => { fs.rmSync(p('ln')); return fs.existsSync(p('a.txt')); });
show('left', () => fs.readdirSync(dir).sort());
fs.rmSync(dir, { recursive: true, force: true });
show('gone', () => fs.existsSync(dir));
