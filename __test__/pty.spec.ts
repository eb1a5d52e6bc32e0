// rt.openShell: a shell on a kernel terminal, driven as xterm.js drives
// one. The line discipline echoes and edits lines, ^C signals the
// foreground job (or abandons the line), ^D ends input; raw mode passes
// keys through; a process sees a TTY (isTTY, columns, rows) and a resize
// as SIGWINCH. (Numbers and booleans logged on a terminal come in
// colors, as Node's console shows them: the programs log strings.)
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GuestShell, NodeRuntime, RuntimeDisposedError } from '../index.js'

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create({ permissions: { fs: 'allow', childProcess: 'allow', env: 'allow' } })
})
afterAll(async () => {
  await rt.dispose()
})

// A terminal's screen, as a string, and a way to wait for text on it.
function screen(sh: GuestShell) {
  let text = ''
  const waiters: Array<() => void> = []
  sh.onData((d: Uint8Array) => {
    text += Buffer.from(d).toString('utf8')
    for (const w of waiters.splice(0)) w()
  })
  return {
    get text() { return text },
    clear() { text = '' },
    async until(want: string | RegExp, ms = 10_000): Promise<string> {
      const deadline = Date.now() + ms
      const has = () => (typeof want === 'string' ? text.includes(want) : want.test(text))
      while (!has()) {
        if (Date.now() > deadline) throw new Error(`not on the screen: ${String(want)}; screen: ${JSON.stringify(text)}`)
        await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 50) })
      }
      return text
    },
  }
}

describe('rt.openShell', () => {
  it('prompts, echoes what is typed and shows output with CRLF', async () => {
    const sh = await rt.openShell({ cols: 100, rows: 30 })
    const s = screen(sh)
    await s.until('$ ')
    sh.write('echo hi; ls /\r')
    await s.until('workspace\r\n$ ')
    expect(s.text).toBe('$ echo hi; ls /\r\nhi\r\ndev\r\netc\r\nhome\r\ntmp\r\nusr\r\nworkspace\r\n$ ')
    s.clear()
    // Line editing: backspace and ^U.
    sh.write('echo abc\x7f\x7fX junk\x15echo ok\r')
    await s.until('ok\r\n$ ')
    expect(s.text).toContain('\x08 \x08')
    expect(s.text).toMatch(/\r\nok\r\n\$ $/)
    // A command across lines gets the continuation prompt.
    s.clear()
    sh.write('if true; then\r')
    await s.until('> ')
    sh.write('echo yes; fi\r')
    await s.until('yes\r\n$ ')
    sh.write('exit 4\r')
    expect(await sh.wait()).toEqual({ exitCode: 4, signalCode: null })
  })

  it('gives its processes a TTY with the terminal size, and resizes with SIGWINCH', async () => {
    const sh = await rt.openShell({ cols: 120, rows: 40 })
    const s = screen(sh)
    await s.until('$ ')
    sh.write(`node -e "const t = require('tty'); console.log(JSON.stringify([process.stdout.isTTY, process.stderr.isTTY, process.stdin.isTTY, process.stdout.columns, process.stdout.rows, t.isatty(0), t.isatty(1), t.isatty(3), process.env.TERM, process.stdout.getColorDepth()]))"\r`)
    await s.until(/\]\r\n\$ $/)
    expect(s.text).toContain('[true,true,true,120,40,true,true,false,"xterm-256color",8]')
    s.clear()
    sh.write(`node -e "process.on('SIGWINCH', () => console.log('winch')); process.stdout.on('resize', () => { console.log('resize ' + process.stdout.columns + ' ' + process.stdout.rows); setTimeout(() => process.exit(0), 100); }); setInterval(() => {}, 1000); console.log('ready')"\r`)
    await s.until('ready\r\n')
    sh.resize(90, 20)
    await s.until(/resize 90 20\r\n[^]*\$ $/)
    expect(s.text).toContain('winch\r\n')
    sh.write('exit\r')
    expect(await sh.wait()).toEqual({ exitCode: 0, signalCode: null })
  })

  it('^C abandons a typed line, stops a builtin, and ends a foreground command; the shell goes on', async () => {
    const sh = await rt.openShell()
    const s = screen(sh)
    await s.until('$ ')
    sh.write('half typed\x03')
    await s.until('half typed^C\r\n$ ')
    s.clear()
    sh.write('sleep 30\r')
    await s.until('sleep 30\r\n')
    sh.write('\x03')
    await s.until('^C\r\n$ ')
    s.clear()
    sh.write('node -e "setInterval(() => {}, 1000); console.log(\'busy\')"\r')
    await s.until('busy\r\n')
    sh.write('\x03')
    await s.until('^C\r\n$ ')
    s.clear()
    sh.write('echo $?\r')
    await s.until('130\r\n$ ')
    // A command that listens for SIGINT gets it and decides.
    s.clear()
    sh.write(`node -e "process.on('SIGINT', () => { console.log('caught'); process.exit(7); }); setInterval(() => {}, 1000); console.log('on')"\r`)
    await s.until('on\r\n')
    sh.write('\x03')
    await s.until('caught\r\n$ ')
    sh.write('echo $?\r')
    await s.until('7\r\n$ ')
    sh.write('exit\r')
    expect(await sh.wait()).toEqual({ exitCode: 0, signalCode: null })
  })

  it('^D ends a command input, then the shell itself', async () => {
    const sh = await rt.openShell()
    const s = screen(sh)
    await s.until('$ ')
    sh.write('cat\r')
    sh.write('line one\r')
    await s.until('line one\r\nline one\r\n')
    sh.write('\x04')
    await s.until(/line one\r\n\$ $/)
    // ^D after typed text sends it; a second one ends the input.
    sh.write('wc -c\r')
    sh.write('abc\x04\x04')
    await s.until(/abc3\r\n\$ $/)
    sh.write('\x04')
    expect(await sh.wait()).toEqual({ exitCode: 0, signalCode: null })
  })

  it('raw mode passes keys through, and ends with the process that set it', async () => {
    const sh = await rt.openShell()
    const s = screen(sh)
    await s.until('$ ')
    sh.write(`node -e "process.stdin.setRawMode(true); console.log('raw ' + process.stdin.isRaw); process.stdin.on('data', (d) => { console.log(JSON.stringify(String(d))); if (String(d) === 'q') process.exit(0); })"\r`)
    await s.until('raw true\r\n')
    sh.write('a\x03\r')
    await s.until('"a\\u0003\\r"\r\n')
    // Nothing was echoed and no signal ended it.
    expect(s.text).not.toContain('^C')
    sh.write('q')
    await s.until('"q"\r\n$ ')
    // Canonical again: the shell reads lines.
    s.clear()
    sh.write('echo back\r')
    await s.until('back\r\n$ ')
    sh.kill()
    expect(await sh.wait()).toEqual({ exitCode: null, signalCode: 'SIGHUP' })
  })

  it('runs a program on the terminal without a shell: a readline prompt, ^C to it', async () => {
    await rt.fs.writeFile('/home/user/ask.js', `
      const rl = require('readline').createInterface({ input: process.stdin, output: process.stdout });
      rl.question('name? ', (a) => { console.log('hello ' + a); rl.close(); });`)
    const ask = await rt.openShell({ command: 'node', args: ['ask.js'] })
    const s = screen(ask)
    await s.until('name? ')
    ask.write('bob\r')
    await s.until('hello bob\r\n')
    // The closed readline leaves stdin paused: the process ends.
    expect(await ask.wait()).toEqual({ exitCode: 0, signalCode: null })
    const busy = await rt.openShell({ command: 'node', args: ['-e', 'setInterval(() => {}, 1000); console.log("up")'] })
    await screen(busy).until('up')
    busy.write('\x03')
    expect(await busy.wait()).toEqual({ exitCode: null, signalCode: 'SIGINT' })
  })

  it('keeps output until a listener comes, and checks its arguments', async () => {
    const sh = await rt.openShell({ env: { PS1: 'guest> ' } })
    await new Promise((r) => setTimeout(r, 200))
    const s = screen(sh)
    await s.until('guest> ')
    sh.write(new TextEncoder().encode('exit 3\r'))
    expect(await sh.wait()).toEqual({ exitCode: 3, signalCode: null })
    expect(() => sh.resize(0, 10)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }))
    expect(() => sh.write(1 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }))
    expect(() => sh.onData(null as unknown as () => void)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }))
    await expect(rt.openShell({ cols: 10_001 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    await expect(rt.openShell({ rows: 1.5 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    await expect(rt.openShell({ command: 'zsh' })).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('a process on pipes is no TTY', async () => {
    const p = await rt.spawn('node', ['-e', "console.log(JSON.stringify([process.stdout.isTTY, process.stdin.isTTY, require('tty').isatty(1)]))"])
    let out = ''
    for await (const c of p.stdout) out += c
    // JSON's null for undefined: Node's pipes have no isTTY.
    expect(out).toBe('[null,null,false]\n')
  })

  it('ends with the runtime', async () => {
    const d = await NodeRuntime.create()
    const sh = await d.openShell()
    const waited = sh.wait().catch((e: unknown) => e)
    await d.dispose()
    expect(await waited).toBeInstanceOf(RuntimeDisposedError)
    await expect(d.openShell()).rejects.toBeInstanceOf(RuntimeDisposedError)
  })
})

// What host Node shows on a real pseudo-terminal (recorded under util-linux
// `script` by `npm run golden`: 100 columns, 30 rows, TERM=xterm-256color)
// against the sandbox's terminal.
describe('on a terminal, as host Node', () => {
  const dir = join(__dirname, 'differential-tty')
  const cases = readdirSync(dir).filter((f) => f.endsWith('.js')).sort()
  for (const name of cases) {
    it(name, async () => {
      const source = readFileSync(join(dir, name))
      const golden = JSON.parse(readFileSync(join(dir, name.replace(/\.js$/, '.golden.json')), 'utf8'))
      expect(golden.source, 'the golden file is stale: run `npm run golden`').toBe(createHash('sha256').update(source).digest('hex'))
      await rt.fs.writeFile(`/tmp/${name}`, source)
      const sh = await rt.openShell({ cols: 100, rows: 30, command: 'node', args: [`/tmp/${name}`], env: { TERM: 'xterm-256color' } })
      const s = screen(sh)
      const exit = await sh.wait()
      expect(s.text).toBe(golden.screen)
      expect(exit.exitCode).toBe(golden.status)
    })
  }
})
