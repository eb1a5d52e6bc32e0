const p = Promise.reject(new Error('late'));
Promise.resolve().then(() => p.catch((e) => console.log('caught', e.message)));
setTimeout(() => console.log('done'), 1);
