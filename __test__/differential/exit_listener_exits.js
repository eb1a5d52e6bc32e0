// An uncaught error: 'exit' listeners run before the error is printed,
// and one that ends the process itself gives the status (not the error's
// 1), and the error is never printed.
process.on('exit', (code) => console.error('first exit listener', code));
process.on('exit', (code) => {
  console.log('second exit listener', code);
  process.reallyExit(5);
});
throw new Error('boom');
