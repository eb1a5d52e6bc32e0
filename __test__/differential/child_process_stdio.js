// stdio given as descriptors and streams: one child's stdout as another's
// stdin (a pipeline), the parent's process.stdout and fd 1 for a child's
// stdout and stderr, and a stream with no descriptor refused.
const cp = require('child_process');
const node = process.execPath;
const a = cp.spawn(node, ['-e', 'console.log("a1"); console.log("b2"); console.log("a3")']);
const b = cp.spawn(node, ['-e', 'let s = ""; process.stdin.on("data", (d) => { s += d; }).on("end", () => console.log(s.split("\\n").filter((l) => l.startsWith("a")).join(",")))'], { stdio: [a.stdout, 'pipe', 'inherit'] });
let out = '';
b.stdout.on('data', (d) => { out += d; });
b.on('close', (code) => {
  console.log('pipeline', JSON.stringify(out), code);
  const c = cp.spawn(node, ['-e', 'console.log("to my stdout"); console.error("to my stderr")'], { stdio: ['ignore', process.stdout, 1] });
  c.on('close', (code) => {
    console.log('streams as stdio', code);
    try { cp.spawn(node, [], { stdio: [new (require('stream').PassThrough)(), 'pipe', 'pipe'] }); } catch (e) { console.log(e.code); }
  });
});
