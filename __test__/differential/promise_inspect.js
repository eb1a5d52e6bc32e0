console.log(Promise.resolve(1) instanceof Promise, new Promise(() => {}));
const r = Promise.reject(new Error('x')); r.catch(() => {});
