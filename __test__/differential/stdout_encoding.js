process.stdout.write('68690a', 'hex');
process.stdout.write('aGkK', 'base64');
process.stdout.write('\xe9\n', 'latin1');
process.stdout.write(new Uint16Array([0x6968, 0x0a0a]));
process.stderr.write('err\n');
console.log(process.stdout.write(''));
process.stdout.end('end\n');
