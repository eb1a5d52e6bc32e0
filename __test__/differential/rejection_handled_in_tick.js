const p = Promise.reject(new Error('x'));
process.nextTick(() => p.catch((e) => console.log('caught in tick', e.message)));
