process.on('uncaughtException', (e) => console.log('uncaught', e.message));
const et = new EventTarget();
et.addEventListener('x', () => { throw new Error('listener threw'); });
et.addEventListener('x', () => console.log('second listener still runs'));
et.dispatchEvent(new Event('x'));
console.log('after dispatch');
