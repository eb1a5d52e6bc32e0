// fork with its IPC channel: messages both ways in order, the child's argv,
// the send callback, disconnect from the child, the order of 'disconnect',
// 'exit' and 'close', and sending after the channel closed.
const cp = require('child_process');
const fs = require('fs');
const path = require('path');
const os = require('os');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fork-'));
const child = path.join(dir, 'child.js');
fs.writeFileSync(child, `
process.on('message', (m) => {
  if (m === 'bye') { process.disconnect(); return; }
  process.send({ echo: m, connected: process.connected, argv: process.argv.slice(2) });
});
process.send('ready', (err) => process.send({ sendCallback: err }));
`);

const c = cp.fork(child, ['a1', 'a2']);
const events = [];
console.log(typeof c.send, c.connected, c.stdout, c.stdio.length, typeof c.channel);
c.on('message', (m) => {
  events.push(['message', m]);
  if (m === 'ready') {
    c.send({ n: 1, nested: { list: [1, 'two', null] } });
    c.send('second');
  } else if (m.echo && m.echo === 'second') {
    c.send('bye');
  }
});
c.on('disconnect', () => events.push(['disconnect', c.connected]));
c.on('exit', (code, sig) => events.push(['exit', code, sig]));
c.on('close', (code) => {
  events.push(['close', code]);
  console.log(JSON.stringify(events));
  c.on('error', (e) => console.log('error', e.code, e.message));
  console.log('late send', c.send('late'), c.connected);
  c.send('late', (e) => console.log('late cb', e.code));
  const errs = [];
  for (const f of [() => cp.fork(child, [], { stdio: ['pipe', 'pipe', 'pipe'] }), () => cp.fork(1)]) {
    try { f(); } catch (e) { errs.push([e.code, e.message]); }
  }
  console.log(errs);
  const quiet = path.join(dir, 'quiet.js');
  fs.writeFileSync(quiet, `process.on('message', () => {}); process.send('ready');`);
  const silent = cp.fork(quiet, [], { silent: true });
  console.log('silent stdio', silent.stdio.map((s) => s && s.constructor.name));
  silent.on('message', (m) => { if (m === 'ready') silent.disconnect(); });
  silent.on('exit', (code) => {
    console.log('silent exit', code, silent.connected);
    fs.rmSync(dir, { recursive: true });
    advanced();
  });
});

// 'advanced' serialization: structured clones (Map, Date, BigInt, typed
// arrays, cycles) over the channel; a bad serialization name.
function advanced() {
const adv = path.join(os.tmpdir(), `fork-adv-${process.pid}.js`);
fs.writeFileSync(adv, `process.on('message', (m) => { process.send({ got: m, isMap: m.map instanceof Map, self: m.self === m }); process.disconnect(); });`);
const a = cp.fork(adv, [], { serialization: 'advanced' });
const msg = { map: new Map([[1, 'one']]), when: new Date(0), big: 10n ** 20n, bytes: new Uint8Array([1, 2]) };
msg.self = msg;
a.send(msg);
a.on('message', (m) => console.log('advanced', m.isMap, m.self, m.got.map.get(1), m.got.when.toISOString(), m.got.big, m.got.bytes, m.got.self === m.got));
a.on('exit', () => fs.unlinkSync(adv));
try { cp.fork(adv, [], { serialization: 'xml' }); } catch (e) { console.log(e.code, e.message); }
}
