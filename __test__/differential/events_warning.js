// The MaxListenersExceededWarning, as Node prints it (once per event).
const EventEmitter = require('events');
process.on('warning', (w) => console.log('warning:', w.name, w.type, w.count, w.emitter === e, w.message));
const e = new EventEmitter();
for (let i = 0; i < 12; i++) e.on('leak', () => {});
const s = Symbol('sym');
e.setMaxListeners(1);
e.on(s, () => {});
e.on(s, () => {});
class Custom extends EventEmitter {}
const c = new Custom();
c.setMaxListeners(2);
for (let i = 0; i < 3; i++) c.on('x', () => {});
const unlimited = new EventEmitter();
unlimited.setMaxListeners(0);
for (let i = 0; i < 20; i++) unlimited.on('x', () => {});
const et = new EventTarget();
require('events').setMaxListeners(2, et);
for (let i = 0; i < 3; i++) et.addEventListener('foo', () => {});
