process.on('uncaughtException', (e) => { console.log('handler got', e.message); throw new Error('handler failed'); });
setTimeout(() => { throw new Error('first'); }, 1);
