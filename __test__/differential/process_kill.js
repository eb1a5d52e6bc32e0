// process.kill of the process itself: Node's argument errors, signal 0, a
// listener that gets its signal in the poll phase (before the immediates),
// ignored signals, and the default action ending the process at once with
// no 'exit' event (status 128 + 15).
const results = [];
const attempt = (f) => {
  try {
    results.push(f());
  } catch (e) {
    results.push([e.name, e.code, e.message, e.errno, e.syscall]);
  }
};
attempt(() => process.kill('x'));
attempt(() => process.kill(process.pid, 'SIGFOO'));
attempt(() => process.kill(process.pid, {}));
attempt(() => process.kill(process.pid, 99));
attempt(() => process.kill(process.pid, -1));
attempt(() => process.kill(process.pid, 0));
attempt(() => process.kill(String(process.pid), 0));
attempt(() => process.on('SIGKILL', () => {}));
attempt(() => process._kill(process.pid, null));
console.log(JSON.stringify(results), process.listenerCount('SIGKILL'));
// A handler that throws is an uncaught exception, which a listener takes;
// the loop goes on.
process.on('uncaughtException', (e) => console.log('caught', e.message));
process.on('SIGUSR1', () => { throw new Error('from handler'); });
process.kill(process.pid, 'SIGUSR1');
process.on('SIGINT', (name, n) => console.log('handler', name, n));
process.on('SIGUSR2', function (name) { console.log('usr2', name, this === process); });
process.on('exit', (c) => console.log('exit event', c));
process.kill(process.pid, 'SIGINT');
process.kill(process.pid, 12);
setImmediate(() => {
  console.log('immediate');
  process.kill(process.pid, 'SIGCHLD');
  process.kill(process.pid, 'SIGWINCH');
  process.kill(process.pid, 'SIGTERM');
  console.log('not reached');
});
process.nextTick(() => console.log('tick'));
