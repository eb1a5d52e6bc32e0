// All timers below are due in the first loop iteration.
setTimeout(() => console.log('b 20'), 20);
setTimeout(() => console.log('a 10'), 10);
setTimeout(() => { console.log('c 10'); setTimeout(() => console.log('inner 0'), 0); setImmediate(() => console.log('inner imm')); }, 10);
setImmediate(() => console.log('imm'));
const start = Date.now(); while (Date.now() - start < 40);
