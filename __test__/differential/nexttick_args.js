process.nextTick((a, b, c) => console.log('args', a, b, c), 1, 'two', [3]);
setImmediate((...a) => console.log('imm args', a), 'x');
setInterval(function (v) { console.log('interval this', this.hasRef(), v); clearInterval(this); }, 1, 'val');
setTimeout(function () { console.log('timeout this is timer', typeof this.refresh); }, 1);
const t0 = Date.now(); while (Date.now() - t0 < 5); // the 1 ms timers are due before the loop starts, as in Node
