process.on('uncaughtException', (e) => console.log('caught main', e.message));
setTimeout(() => console.log('loop continues'), 1);
throw new Error('main');
