// fs.createReadStream / createWriteStream: events, chunks and options as Node.
const fs = require('fs');
const path = require('path');
const dir = fs.mkdtempSync('/tmp/fsdiff-');
const p = (n) => path.join(dir, n);

const ws = fs.createWriteStream(p('out.txt'));
const events = [];
for (const ev of ['open', 'ready', 'finish', 'close']) ws.on(ev, () => events.push(ev));
console.log('write returns', ws.write('alpha '), ws.write(Buffer.from('beta ')));
ws.end('gamma', () => events.push('end cb'));
ws.on('close', () => {
  console.log('write events', events, ws.bytesWritten);
  console.log('content', fs.readFileSync(p('out.txt'), 'utf8'));
  read1();
});

function read1() {
  fs.writeFileSync(p('in.txt'), 'abcdefghijklmnopqrstuvwxyz');
  const rs = fs.createReadStream(p('in.txt'), { highWaterMark: 10 });
  const got = [];
  rs.on('open', (fd) => got.push(['open', typeof fd]));
  rs.on('data', (c) => got.push(['data', c.length, c.toString()]));
  rs.on('end', () => got.push(['end']));
  rs.on('close', () => {
    got.push(['close', rs.bytesRead]);
    console.log('read events', JSON.stringify(got));
    read2();
  });
}

function read2() {
  const rs = fs.createReadStream(p('in.txt'), { start: 3, end: 7, encoding: 'utf8' });
  let s = '';
  rs.on('data', (c) => { s += `[${typeof c}:${c}]`; });
  rs.on('end', () => {
    console.log('range', s);
    read3();
  });
}

function read3() {
  const rs = fs.createReadStream(p('missing.txt'));
  rs.on('error', (e) => {
    console.log('missing', e.code, e.syscall, e.message.split(dir).join('<dir>'));
    pipe();
  });
}

function pipe() {
  const rs = fs.createReadStream(p('in.txt'), { highWaterMark: 4 });
  const ws2 = fs.createWriteStream(p('copy.txt'));
  rs.pipe(ws2);
  ws2.on('finish', () => {
    console.log('piped', fs.readFileSync(p('copy.txt'), 'utf8'));
    iterate();
  });
}

async function iterate() {
  const chunks = [];
  for await (const c of fs.createReadStream(p('in.txt'), { highWaterMark: 8 })) chunks.push(c.toString());
  console.log('iterated', chunks);
  const ws3 = fs.createWriteStream(p('in.txt'), { flags: 'a' });
  ws3.end('!');
  ws3.on('close', () => {
    console.log('appended', fs.readFileSync(p('in.txt'), 'utf8'));
    fs.rmSync(dir, { recursive: true });
  });
}
