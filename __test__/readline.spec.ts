// require('readline') and require('readline/promises') over process.stdin.
import { describe, expect, it } from 'vitest'
import { useRuntime } from './helpers.js'

const host = useRuntime({})

describe('readline', () => {
  it('emits each line of stdin, then close', async () => {
    const r = await host.rt.exec(`
      const rl = require('readline').createInterface({ input: process.stdin });
      const lines = [];
      rl.on('line', (l) => lines.push(l));
      rl.on('close', () => console.log(JSON.stringify(lines)));`, { stdin: 'a\r\nb\n\nc\rd' })
    expect(r.stdout).toBe('["a","b","","c","d"]\n')
  })

  it('splits lines across chunks and multi-byte characters', async () => {
    const long = 'é'.repeat(40000) + '\n' + 'x'.repeat(70000) + '\r\nend'
    const r = await host.rt.exec(`
      const rl = require('readline').createInterface({ input: process.stdin });
      const lengths = [];
      rl.on('line', (l) => lengths.push([l.length, l[0]]));
      rl.on('close', () => console.log(JSON.stringify(lengths)));`, { stdin: long })
    expect(JSON.parse(r.stdout)).toEqual([[40000, 'é'], [70000, 'x'], [3, 'e']])
  })

  it('question() writes the query and answers with the next line', async () => {
    const r = await host.rt.exec(`
      const rl = require('readline').createInterface({ input: process.stdin, output: process.stdout });
      rl.question('name? ', (name) => {
        rl.question('age? ', (age) => { console.log(); console.log(name, age); rl.close(); });
      });`, { stdin: 'Ada\n36\n' })
    expect(r.stdout).toBe('name? age? \nAda 36\n')
  })

  it('readline/promises question() resolves, and rejects after close', async () => {
    const r = await host.rt.run(`
      const { EventEmitter } = require('events');
      const input = new EventEmitter();
      const asked = [];
      const output = { write: (s) => asked.push(s) };
      const rl = require('readline/promises').createInterface({ input, output });
      (async () => {
        const first = rl.question('q1? ');
        input.emit('data', 'one\\n');
        const a = await first;
        const second = rl.question('q2? ');
        input.emit('data', 'two\\n');
        const b = await second;
        rl.close();
        let err;
        try { await rl.question('q3'); } catch (e) { err = e.code; }
        __return([a, b, err, asked]);
      })()`)
    expect(r.value).toEqual(['one', 'two', 'ERR_USE_AFTER_CLOSE', ['q1? ', 'q2? ']])
  })

  it('is async iterable, ending at the end of input', async () => {
    const r = await host.rt.run(`
      (async () => {
        const rl = require('readline').createInterface({ input: process.stdin });
        const got = [];
        for await (const line of rl) got.push(line);
        __return(got);
      })()`, { stdin: 'x\ny\nz' })
    expect(r.value).toEqual(['x', 'y', 'z'])
  })

  it('reads any EventEmitter that emits data and end', async () => {
    const r = await host.rt.run(`
      const { EventEmitter } = require('events');
      const input = new EventEmitter();
      const rl = require('readline').createInterface({ input });
      const got = [];
      rl.on('line', (l) => got.push(l));
      rl.on('close', () => __return(got));
      input.emit('data', 'par');
      input.emit('data', Buffer.from('tial\\nsecond'));
      input.emit('end');`)
    expect(r.value).toEqual(['partial', 'second'])
  })

  it('the cursor helpers write ANSI escapes', async () => {
    const r = await host.rt.exec(`
      const readline = require('readline');
      readline.cursorTo(process.stdout, 2, 3);
      readline.moveCursor(process.stdout, -1, 1);
      readline.clearLine(process.stdout, 0);
      readline.clearScreenDown(process.stdout);
      let err;
      try { readline.cursorTo(process.stdout, undefined, 1); } catch (e) { err = e.code; }
      process.stdout.write('|' + err);`)
    expect(r.stdout).toBe('\x1b[4;3H\x1b[1D\x1b[1B\x1b[2K\x1b[0J|ERR_INVALID_CURSOR_POS')
  })
})
