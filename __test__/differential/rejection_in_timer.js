process.on('exit', (c) => console.log('exit', c));
setTimeout(() => { Promise.reject('in timer'); }, 1);
setTimeout(() => console.log('second timer should not run'), 1);
