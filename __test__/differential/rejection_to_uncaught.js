process.on('uncaughtException', (e, origin) => console.log('uncaught', e instanceof Error ? e.message : e, origin));
Promise.reject(new Error('rej err'));
Promise.reject('plain');
setTimeout(() => console.log('continues'), 1);
