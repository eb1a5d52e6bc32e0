process.on('unhandledRejection', (r, p) => console.log('unhandled', r, p instanceof Promise));
Promise.reject(1);
const p = Promise.reject(2); p.catch(() => console.log('handled 2'));
(async () => { throw 3; })();
setTimeout(() => console.log('still running'), 1);
