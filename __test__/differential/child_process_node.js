// child_process with `node` as the command: argv, stdio pipes both ways,
// exit codes, an uncaught error's status, signals by default action and
// to a listener, the order of 'spawn', 'exit' and 'close', execFile's
// results and errors, and a command that does not exist.
const cp = require('child_process');
const node = process.execPath;
const shown = (s) => String(s).split(node).join('node');

function run(args, opts, feed) {
  return new Promise((resolve) => {
    const c = cp.spawn(node, args, opts);
    let out = '';
    let err = '';
    const events = [];
    c.on('spawn', () => events.push('spawn'));
    if (c.stdout) c.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
    if (c.stderr) c.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    c.on('exit', (code, sig) => events.push(['exit', code, sig, c.exitCode, c.signalCode]));
    c.on('close', (code, sig) => {
      events.push(['close', code, sig]);
      const errLine = err.split('\n').find((l) => /^\w*Error/.test(l)) || err.trim();
      resolve({ out, err: errLine, events, killed: c.killed });
    });
    if (feed) feed(c);
  });
}

(async () => {
  console.log(await run(['-e', 'console.log(process.argv.slice(1), typeof process.pid); console.error("to stderr")', 'a', 'b']));
  console.log(await run(['-e', 'process.exitCode = 3']));
  console.log(await run(['-e', 'throw new TypeError("boom")']));
  console.log(await run(['-e', 'process.stdin.setEncoding("utf8"); let s = ""; process.stdin.on("data", (d) => { s += d; }); process.stdin.on("end", () => console.log(s.toUpperCase(), s.length))'],
    undefined, (c) => { c.stdin.write('hello '); c.stdin.end('world'); }));
  console.log(await run(['-e', 'process.stdout.write("x".repeat(200000))']).then((r) => [r.out.length, r.events]));
  console.log(await run(['-e', 'setInterval(() => {}, 1000); console.log("up")'], undefined,
    (c) => c.stdout.once('data', () => console.log('kill', c.kill()))));
  console.log(await run(['-e', 'process.on("SIGTERM", (s) => { console.log("got", s); process.exit(0); }); setInterval(() => {}, 1000); console.log("up")'],
    undefined, (c) => c.stdout.once('data', () => c.kill('SIGTERM'))));
  console.log(await run(['-e', 'for (;;) {}'], { stdio: ['ignore', 'pipe', 'pipe'] }, (c) => setTimeout(() => c.kill('SIGKILL'), 50)));
  console.log(await run(['-e', 'console.log("inherited")'], { stdio: 'inherit' }));
  console.log(await run(['-e', 'console.log("ignored")'], { stdio: 'ignore' }));

  const probe = cp.spawn(node, ['-e', '0']);
  for (const s of ['SIGNOPE', 999, {}, null, 0]) {
    try { console.log('kill', s, probe.kill(s)); } catch (e) { console.log(e.name, e.code, e.message); }
  }
  await new Promise((resolve) => probe.on('close', resolve));

  const bad = cp.spawn('no-such-command-here', ['x']);
  await new Promise((resolve) => {
    bad.on('error', (e) => console.log('error', e.name, e.code, e.errno, e.syscall, e.path, e.spawnargs, e.message, bad.pid));
    bad.on('close', (code, sig) => { console.log('close', code, sig); resolve(); });
  });

  await new Promise((resolve) => {
    cp.execFile(node, ['-e', 'console.log("out"); console.error("err"); process.exit(2)'], (err, stdout, stderr) => {
      console.log(err.message.includes('Command failed'), err.code, err.killed, err.signal, shown(err.cmd), [stdout, stderr]);
      resolve();
    });
  });
  const { stdout } = await require('util').promisify(cp.execFile)(node, ['-p', '6 * 7']);
  console.log('promisified', JSON.stringify(stdout));
  await new Promise((resolve) => {
    cp.execFile(node, ['-e', 'setInterval(() => {}, 1000)'], { timeout: 50 }, (err) => {
      console.log('timeout', err.killed, err.signal, err.code);
      resolve();
    });
  });
  await new Promise((resolve) => {
    cp.execFile(node, ['-e', 'process.stdout.write("y".repeat(5000))'], { maxBuffer: 100 }, (err, out) => {
      console.log('maxBuffer', err.code, err.message, out.length);
      resolve();
    });
  });
})();
