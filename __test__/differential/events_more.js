// More EventEmitter behaviour: listener order under removal during emit,
// newListener/removeListener events with once wrappers, symbols, this,
// prototype listeners, errors thrown by listeners.
const EventEmitter = require('events');
const e = new EventEmitter();
const log = (...a) => console.log(...a);
e.on('removeListener', (n, f) => log('removeListener', String(n), f.name || '(anon)'));
e.on('newListener', function (n, f) { log('newListener', String(n), f.name || '(anon)', this === e); });
function a() { log('a'); e.removeListener('t', b); }
function b() { log('b'); }
function c() { log('c'); }
e.on('t', a); e.on('t', b); e.on('t', c);
e.emit('t'); e.emit('t');
e.once('o', function onceNamed() { log('once fired'); });
console.log(e.rawListeners('o')[0].name, e.rawListeners('o')[0].listener.name, e.listeners('o')[0].name);
e.rawListeners('o')[0]();
e.emit('o');
const w = e.rawListeners('t');
console.log(w.length, e.listenerCount('t'));
e.removeAllListeners('t');
try { e.on('x', function thrower() { throw new Error('listener threw'); }); e.emit('x'); } catch (err) { log('caught', err.message); }
e.prependOnceListener('p', () => log('p once'));
e.prependListener('p', () => log('p first'));
e.emit('p'); e.emit('p');
console.log(e.eventNames());
e.removeAllListeners();
console.log(e.eventNames(), e.listenerCount('removeListener'));
const sym = Symbol('s');
const e2 = new EventEmitter();
e2.on(sym, (...args) => log('sym', args));
e2.emit(sym, 1, 2, 3, 4, 5, 6);
console.log(e2.eventNames(), EventEmitter.listenerCount(e2, sym));
class Logger extends EventEmitter {
  constructor() { super({ captureRejections: false }); this.lines = []; }
  log(line) { this.lines.push(line); this.emit('line', line); return this; }
}
const lg = new Logger();
lg.on('line', function (l) { log('line', l, this.lines.length); });
lg.log('one').log('two');
console.log(lg);
const fake = { listenerCount: () => 42 };
console.log(EventEmitter.listenerCount(fake, 'x'));
const e3 = new EventEmitter();
e3.setMaxListeners(1);
e3.on('m', () => {}); e3.on('m', () => {}); e3.on('m', () => {});
console.log(e3.listeners('m').length, e3._events.m.warned);
process.on('warning', (warning) => console.log('warning name', warning.name, warning.count, warning.type));
const e4 = new EventEmitter();
e4.emit('error', new Error('x'), 'ignored');
