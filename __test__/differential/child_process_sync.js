// The Sync forms of child_process with `node`: input, output, status,
// a timeout and maxBuffer (killSignal ends the child), a command that does
// not exist, and execFileSync's error.
const cp = require('child_process');
const node = process.execPath;
const shown = (s) => String(s).split(node).join('node');

const a = cp.spawnSync(node, ['-e', 'let s = ""; process.stdin.on("data", (d) => { s += d; }).on("end", () => { console.log(s.toUpperCase()); console.error("E"); process.exit(4); })'], { input: 'abc' });
console.log(a.status, a.signal, a.output.length, a.output[0], String(a.stdout), String(a.stderr), typeof a.pid, a.error);
const b = cp.spawnSync(node, ['-p', '"x".repeat(3)'], { encoding: 'utf8' });
console.log(JSON.stringify([b.stdout, b.stderr, b.status]));
const c = cp.spawnSync(node, ['-e', 'console.log("to the parent\'s stdout")'], { stdio: 'inherit' });
console.log(c.status, c.stdout, c.output);
const t = cp.spawnSync(node, ['-e', 'setInterval(() => {}, 1000)'], { timeout: 100, killSignal: 'SIGKILL' });
console.log('timeout', t.status, t.signal, t.error.code, t.error.errno, shown(t.error.message), shown(t.error.path), t.error.spawnargs);
const m = cp.spawnSync(node, ['-e', 'process.stdout.write("x".repeat(300000))'], { maxBuffer: 1000 });
console.log('maxBuffer', t.status, m.signal, m.error.code, shown(m.error.message), m.stdout.length <= 65536);
const e = cp.spawnSync('no-such-command-here', ['z']);
console.log('missing', e.status, e.signal, e.output, e.pid, e.error.code, e.error.message, e.error.spawnargs);
console.log(JSON.stringify(cp.execFileSync(node, ['-e', 'process.stdout.write("ok")'], { encoding: 'utf8' })));
try {
  cp.execFileSync(node, ['-e', 'console.error("bad"); process.exit(2)'], { stdio: 'pipe' });
} catch (err) {
  console.log('threw', err.status, err.signal, shown(err.message), String(err.stderr), Object.keys(err).sort());
}
