// An uncaught error: 'exit' listeners run (and write) before Node prints
// the error.
process.on('exit', (code) => console.error('exit listener', code));
throw new Error('boom');
