process.on('exit', (c) => console.log('exit', c));
setTimeout(() => { throw new Error('boom in timer'); }, 1);
setTimeout(() => console.log('never'), 50);
