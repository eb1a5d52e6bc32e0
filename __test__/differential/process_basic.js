console.log(typeof process.argv, process.argv.length, process.argv0, process.title, process.platform, process.arch);
console.log(process.version === process.versions.node.replace(/^/, 'v'), typeof process.pid, typeof process.ppid);
console.log(process.cwd() === require_cwd());
function require_cwd() { return process.env.PWD || process.cwd(); }
process.env.FOO = 123; console.log(typeof process.env.FOO, process.env.FOO); delete process.env.FOO; console.log(process.env.FOO);
const h = process.hrtime(); console.log(h.length, typeof h[0], typeof process.hrtime.bigint());
const d = process.hrtime(h); console.log(d[0] >= 0, d[1] >= 0);
try { process.hrtime(1); } catch (e) { console.log(e.code, e.message); }
try { process.hrtime([1, 2, 3]); } catch (e) { console.log(e.code, e.message); }
console.log(process.stdout.write('written\n'), process.stdout.isTTY, process.stdout.fd, process.stderr.fd);
process.stdout.write(new Uint8Array([104, 105, 10]));
process.stdout.write('cb\n', () => console.log('write cb'));
try { process.stdout.write(1); } catch (e) { console.log(e.code, e.message); }
console.log(typeof process.uptime(), process.release.name, process.exitCode);
console.log(process.listenerCount('warning'), typeof process.on, typeof process.emit, process instanceof Object);
process.once('custom', (a) => console.log('custom', a)); process.emit('custom', 1); process.emit('custom', 2);
console.log(Object.prototype.toString.call(process));
