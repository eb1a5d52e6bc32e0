process.on('exit', (code) => { console.log('exit event', code, process.exitCode); process.exitCode = 7; });
process.exitCode = 3;
setTimeout(() => console.log('timer ran'), 1);
