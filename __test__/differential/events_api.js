// EventEmitter: every method, order, once wrappers, newListener/removeListener,
// listener counts, inspection and errors.
const EventEmitter = require('events');
console.log(Object.keys(EventEmitter).join(' '));
console.log(Object.getOwnPropertyNames(EventEmitter.prototype).join(' '));
console.log(EventEmitter === EventEmitter.EventEmitter, EventEmitter.usingDomains, EventEmitter.defaultMaxListeners,
  typeof EventEmitter.errorMonitor, EventEmitter.captureRejectionSymbol, EventEmitter.captureRejections,
  typeof EventEmitter.kMaxEventTargetListeners, EventEmitter.listenerCount.length);
const e = new EventEmitter();
console.log(e);
const log = (...a) => console.log(...a);
e.on('newListener', (name, fn) => log('newListener', name, typeof fn));
e.on('removeListener', (name, fn) => log('removeListener', name, fn.name));
function a(x) { log('a', x, this === e); }
function b(x) { log('b', x); }
function c(x) { log('c', x); }
e.on('ev', a);
e.prependListener('ev', b);
e.once('ev', c);
e.prependOnceListener('ev', function first() { log('first'); });
console.log(e.listenerCount('ev'), e.listenerCount('ev', a), e.listenerCount('ev', c), e.listenerCount('none'));
console.log(e.listeners('ev').map((f) => f.name), e.rawListeners('ev').map((f) => f.name));
console.log(e.emit('ev', 1), e.emit('ev', 2), e.emit('none'));
console.log(e.eventNames());
e.off('ev', a);
e.removeListener('ev', b);
e.removeListener('ev', b);
console.log(e.eventNames(), e.listenerCount('ev'));
const sym = Symbol('s');
e.on(sym, () => log('symbol event'));
e.emit(sym);
console.log(e.eventNames());
e.removeAllListeners(sym);
e.removeAllListeners();
console.log(e.eventNames(), e._eventsCount);
// Removing a once listener before it fires.
const f = () => log('never');
e.once('x', f);
e.removeListener('x', f);
console.log(e.emit('x'));
// Listeners added or removed while emitting do not change that emit.
e.on('y', function one() { log('one'); e.on('y', () => log('added later')); e.removeListener('y', two); });
function two() { log('two'); }
e.on('y', two);
e.emit('y');
e.emit('y');
// Errors.
for (const bad of [undefined, 1, 'f', {}]) {
  try { e.on('z', bad); } catch (err) { log(err.name, err.code, err.message); }
}
try { e.once('z', null); } catch (err) { log(err.code, err.message); }
try { e.removeListener('z', 1); } catch (err) { log(err.code, err.message); }
try { e.prependOnceListener('z', 1); } catch (err) { log(err.code, err.message); }
try { e.emit('error', new Error('plain error')); } catch (err) { log('threw', err.message); }
try { e.emit('error', 'a string'); } catch (err) { log('threw', err.name, err.code, err.message, err.context); }
try { e.emit('error', { obj: 1 }); } catch (err) { log('threw', err.message, err.context); }
try { e.emit('error'); } catch (err) { log('threw', err.message, 'context' in err, err.context); }
e.on(EventEmitter.errorMonitor, (err) => log('monitor saw', err.message));
try { e.emit('error', new Error('monitored')); } catch (err) { log('still threw', err.message); }
e.on('error', (err) => log('handled', err.message));
e.emit('error', new Error('with handler'));
// Max listeners.
for (const v of [-1, 'x', NaN]) {
  try { e.setMaxListeners(v); } catch (err) { log(err.code, err.message); }
  try { EventEmitter.defaultMaxListeners = v; } catch (err) { log(err.code, err.message); }
}
console.log(e.setMaxListeners(2) === e, e.getMaxListeners(), EventEmitter.getMaxListeners(e));
// Subclasses and the old-style inherits pattern.
class MyEmitter extends EventEmitter {}
const m = new MyEmitter();
m.on('hello', function (who) { log('hello', who, this instanceof MyEmitter); });
m.emit('hello', 'world');
console.log(m);
function Old() { EventEmitter.call(this); }
require('util').inherits(Old, EventEmitter);
const o = new Old();
o.on('x', () => log('old style'));
o.emit('x');
console.log(EventEmitter.listenerCount(o, 'x'), o instanceof EventEmitter);
// this._events shared through the prototype (shape mode).
const proto = new EventEmitter();
const child = Object.create(proto);
EventEmitter.call(child);
child.on('k', () => log('child k'));
child.emit('k');
console.log(proto.listenerCount('k'));
