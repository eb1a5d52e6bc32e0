process.on('exit', (c) => { console.log('exit handler', c, process.exitCode); });
throw new Error('sync');
