const readline = require('readline');
const rlp = require('readline/promises');
(async () => {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    console.log(++n, JSON.stringify(line));
  }
  console.log('iteration done', rl.closed);
  const r = new rlp.Readline(process.stdout);
  await r.cursorTo(1).moveCursor(2, 3).clearLine(0).clearScreenDown().commit();
  r.cursorTo(5).rollback();
  await r.commit();
  console.log('done');
})();
