// worker_threads: a Worker from code and from a file, workerData and
// messages as structured clones both ways, the worker's view (isMainThread,
// threadId, its parent's pid), an uncaught error reaching the parent's
// 'error' event, process.exit in a worker, terminate(), and Node's errors.
const { Worker, isMainThread, threadId } = require('worker_threads');
const fs = require('fs');
const os = require('os');
const path = require('path');

console.log('main', isMainThread, threadId);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wt-'));
const file = path.join(dir, 'w.js');
fs.writeFileSync(file, `
const { parentPort, workerData, isMainThread, threadId } = require('worker_threads');
parentPort.postMessage({ list: workerData.list, isMainThread, threadId: typeof threadId, samePid: process.pid === workerData.pid, argv: process.argv.slice(2) });
parentPort.on('message', (m) => {
  if (m === 'stop') { parentPort.close(); return; }
  parentPort.postMessage({ doubled: m.n * 2, date: m.date instanceof Date, set: [...m.set] });
});
`);

const run = (what, fn) => new Promise((resolve) => fn(resolve)).then((r) => console.log(what, JSON.stringify(r)));

(async () => {
  await run('file', (done) => {
    const w = new Worker(file, { workerData: { list: [1, 'x', null], pid: process.pid }, argv: ['a', 2] });
    const got = [];
    w.on('message', (m) => {
      got.push(m);
      if (got.length === 1) w.postMessage({ n: 21, date: new Date(0), set: new Set([1, 2]) });
      else w.postMessage('stop');
    });
    w.on('exit', (code) => done([got, code]));
  });
  await run('eval', (done) => {
    const w = new Worker('require("worker_threads").parentPort.postMessage(typeof require("worker_threads").workerData)', { eval: true });
    w.on('message', (m) => w.on('exit', (code) => done([m, code])));
  });
  await run('error', (done) => {
    const w = new Worker('throw new RangeError("from the worker")', { eval: true });
    let err;
    w.on('error', (e) => { err = [e.name, e.message, e instanceof RangeError]; });
    w.on('exit', (code) => done([err, code]));
  });
  await run('exit', (done) => {
    const w = new Worker('process.exit(7)', { eval: true });
    w.on('exit', (code) => done(code));
  });
  await run('terminate', (done) => {
    const w = new Worker('setInterval(() => {}, 1000)', { eval: true });
    w.on('online', () => w.terminate().then((code) => done(code)));
  });
  const errs = [];
  const idle = new Worker('0', { eval: true });
  for (const f of [() => new Worker('w.js'), () => new Worker(1), () => idle.postMessage()]) {
    try { f(); } catch (e) { errs.push([e.name, e.code, e.message]); }
  }
  console.log(JSON.stringify(errs));
  idle.on('exit', () => fs.rmSync(dir, { recursive: true }));
})();
