process.on('exit', (code) => console.log('exit', code));
setTimeout(() => console.log('never'), 1);
console.log('before');
process.exit(5);
console.log('after');
