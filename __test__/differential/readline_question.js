const readline = require('readline');
const rlp = require('readline/promises');
const written = [];
const output = { write(s) { written.push(s); return true; } };
const rl = readline.createInterface({ input: process.stdin, output, prompt: '$ ' });
rl.question('name? ', (answer) => {
  console.log('answer', JSON.stringify(answer));
  rl.setPrompt('>> ');
  console.log(rl.getPrompt());
  rl.prompt();
  rl.once('line', (l) => {
    console.log('line', l);
    rl.close();
  });
});
rl.on('close', async () => {
  console.log(JSON.stringify(written));
  console.log('closed');
});
