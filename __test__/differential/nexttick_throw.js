process.nextTick(() => { throw new TypeError('from tick'); });
setTimeout(() => console.log('never'), 1);
