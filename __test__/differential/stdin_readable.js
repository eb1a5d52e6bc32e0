process.stdin.setEncoding('utf8');
let data = '';
process.stdin.on('readable', () => { let c; while ((c = process.stdin.read()) !== null) data += c; });
process.stdin.on('end', () => console.log('got', JSON.stringify(data)));
