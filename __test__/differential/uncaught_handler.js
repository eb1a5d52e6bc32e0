process.on('uncaughtException', (err, origin) => console.log('caught', err.message, origin));
setTimeout(() => { throw new Error('t'); }, 1);
setTimeout(() => console.log('after'), 5);
process.nextTick(() => { throw new Error('tick'); });
setImmediate(() => { throw new Error('imm'); });
const __e = Date.now(); while (Date.now() - __e < 20);
