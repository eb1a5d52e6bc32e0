const EE = Object.getPrototypeOf(Object.getPrototypeOf(process)).constructor;
const e = new EE();
e.on('x', (a, b) => console.log('x1', a, b));
e.prependListener('x', () => console.log('x0'));
e.once('x', () => console.log('once'));
console.log(e.emit('x', 1, 2), e.emit('x', 3, 4), e.emit('nothing'));
console.log(e.listenerCount('x'), e.eventNames(), e.listeners('x').length);
try { e.emit('error', new Error('unhandled ee')); } catch (err) { console.log('threw', err.message); }
try { e.emit('error', 'str'); } catch (err) { console.log('threw', err.code, err.message); }
try { e.emit('error'); } catch (err) { console.log('threw', err.code, err.message); }
try { e.on('y', 5); } catch (err) { console.log(err.code, err.message); }
const f = () => console.log('removed?'); e.on('z', f); e.off('z', f); e.emit('z');
e.on('newListener', (n) => console.log('newListener', n)); e.on('q', () => {});
e.removeAllListeners(); console.log(e.eventNames());
for (let i = 0; i < 11; i++) e.on('leak', () => {});
console.log(e.getMaxListeners());
