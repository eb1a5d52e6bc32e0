let got = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (c) => { got += c; console.log('chunk', typeof c); });
process.stdin.on('end', () => console.log('end', JSON.stringify(got)));
