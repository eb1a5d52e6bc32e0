// The guest's /bin/sh: a shell in the kernel whose commands are builtins
// over the runtime's filesystem, guest node processes or other shells; no
// host binary runs. Command lines are compared with the host's dash and
// GNU coreutils (run here, on the test side, in a temporary directory
// holding the same files); the rest covers what only the sandbox has:
// pipes between process threads, the call's end, permissions, the fs
// policy inside builtins.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create({
    permissions: { childProcess: 'allow', fs: 'allow', env: 'allow' },
    limits: { wallTimeMs: 60_000 },
  })
})
afterAll(async () => {
  await rt.dispose()
})

interface Result {
  out: string
  err: string
  code: number | null
  signal?: string | null
}

// Runs each script with spawnSync('/bin/sh', ['-c', script]) in the guest,
// in `cwd` when given.
async function sh(scripts: string[], opts: { cwd?: string; setup?: string; runtime?: NodeRuntime } = {}): Promise<Result[]> {
  const r = await (opts.runtime ?? rt).run<Result[]>(`
    const cp = require('child_process');
    ${opts.setup ?? ''}
    __return(${JSON.stringify(scripts)}.map((script) => {
      const r = cp.spawnSync('/bin/sh', ['-c', script], { cwd: ${JSON.stringify(opts.cwd ?? null)} || undefined, encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', HOME: '/home/user', LC_ALL: 'C' } });
      return { out: r.stdout, err: r.stderr, code: r.status, signal: r.signal };
    }));`)
  expect(r.code, r.stderr).toBe(0)
  return r.value as Result[]
}

const fixtures: Record<string, string> = {
  'a.txt': 'apple\nbanana\ncherry\napple\nbanana split\n',
  'b.txt': 'one two\nthree\n',
  'nums.txt': '10\n9\n100\n-3\n2.5\n',
  'data.csv': 'name,age,city\nann,31,Oslo\nbob,27,Rome\n',
  'words.txt': 'cat\ncatalog\nthe cat sat\n',
  'sub/c.md': '# title\n',
  'sub/deep/d.txt': 'deep\n',
  'sub/.hidden': 'h\n',
}

// Command lines whose stdout and status must be what dash and GNU
// coreutils give.
const cases: string[] = [
  'echo hello world',
  'echo "a  b"   c',
  "echo 'single $x' \"double $HOME\"",
  'x=1; y=2; echo $x$y ${x}-${y}',
  'echo $((3 + 4 * 2)) $((10 / 3)) $((7 % 3)) $(( (1 + 2) * -3 )) $((1 < 2 && 3 > 4))',
  'printf "%s|%5s|%-3s|%03d\\n" a b c 7',
  'printf "%x %o %c %%\\n" 255 8 hello',
  'printf "%s\\n" one two three',
  'echo -n no newline; echo',
  // The script's end: a final backslash is literal, a comment ends there.
  'echo a\\',
  'echo a\\\\',
  'echo a\\\\\\',
  'echo a # comment',
  'echo a #x\\',
  'cat a.txt | sort | uniq -c',
  'sort -r a.txt',
  'sort -n nums.txt',
  'sort -u a.txt',
  'sort -t, -k2 data.csv',
  'sort a.txt | uniq -d',
  'uniq -u a.txt',
  'wc -l a.txt',
  'wc a.txt b.txt',
  'cat a.txt | wc',
  'wc -c < a.txt',
  'wc -w b.txt',
  'head -2 a.txt',
  'head -n 1 a.txt b.txt',
  'tail -n 2 a.txt',
  'tail -n +3 a.txt',
  'head -c 5 a.txt',
  'tail -c 7 a.txt',
  'grep an a.txt',
  'grep -c apple a.txt',
  'grep -n -i APPLE a.txt',
  'grep -v apple a.txt',
  'grep -E "^(a|b)" a.txt',
  'grep -o "an" a.txt',
  'grep nomatch a.txt; echo $?',
  'grep -l apple a.txt b.txt',
  'grep "a\\(n\\)a" a.txt',
  'grep -w cat words.txt',
  'grep -x cat words.txt',
  'grep -F "a.t" words.txt; echo $?',
  'grep apple a.txt b.txt',
  'grep -r deep sub',
  'cut -d, -f2 data.csv',
  'cut -c1-3 a.txt',
  'cut -d, -f1,3 data.csv',
  'tr a-z A-Z < a.txt',
  'echo hello | tr -d l',
  "echo 'a  b   c' | tr -s ' '",
  "echo hello | tr '[:lower:]' '[:upper:]'",
  'sed s/apple/APPLE/ a.txt',
  "sed -n '2p' a.txt",
  "sed '1d' a.txt",
  "sed 's/\\(a\\)\\(p\\)/\\2\\1/g' a.txt",
  "sed -E 's/(an)+/X/' a.txt",
  "sed '/banana/d' a.txt",
  "sed -n '/cherry/,$p' a.txt",
  "sed 's/a/[&]/2' a.txt",
  'ls',
  'ls sub',
  'ls -a sub',
  'ls -A sub',
  'ls -d sub',
  'ls -R sub',
  'ls nosuch; echo $?',
  'ls a.txt sub',
  'mkdir -p x/y/z && ls x/y',
  'mkdir sub; echo $?',
  'rmdir nosuch; echo $?',
  'rmdir sub; echo $?',
  'rm nosuch; echo $?',
  'rm -f nosuch; echo $?',
  'rm sub; echo $?',
  'cp a.txt c.txt && cat c.txt',
  'cp sub x; echo $?',
  'cp -r sub sub2 && ls -a sub2 sub2/deep',
  'mv a.txt z.txt && ls',
  'mv b.txt sub && ls sub',
  'touch new && ls',
  'ln -s a.txt link && cat link',
  'ln a.txt hard && cat hard',
  'rm -r sub && ls',
  'find . -name "*.txt" | sort',
  'find . -type d | sort',
  'find sub -maxdepth 1 | sort',
  'basename /a/b/c.txt .txt',
  'basename /a/b/',
  'dirname /a/b/c.txt',
  'dirname a',
  'dirname /',
  'seq 3',
  'seq 2 5',
  'seq 1 2 9',
  'seq -s, 3',
  'seq -w 8 10',
  'seq 5 -1 3',
  'yes | head -3',
  'yes abc | head -2',
  'echo *.txt',
  'echo s*',
  'echo nomatch*',
  'echo "*.txt"',
  'echo sub/*',
  'echo sub/*/*.txt',
  'echo [ab].txt',
  'for f in *.txt; do echo "file $f"; done',
  'i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done',
  'i=0; until [ $i -ge 2 ]; do echo u$i; i=$((i+1)); done',
  'for i in 1 2 3 4 5; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done',
  'case abc in a*) echo yes;; *) echo no;; esac',
  'case x.md in *.txt|*.md) echo doc;; esac',
  'if [ -f a.txt ]; then echo file; elif [ -d a.txt ]; then echo dir; else echo none; fi',
  'test -d sub && echo dir',
  '[ 1 -eq 2 ]; echo $?',
  '[ abc = abc ] && echo same',
  '[ -z "" ] && [ -n x ] && echo both',
  '[ ! -e nosuch ] && echo absent',
  '[ 3 -gt 2 -a 1 -lt 2 ] && echo and',
  'f() { echo "args $# $1"; return 3; }; f x y; echo $?',
  'v=hello; echo ${#v} ${v%lo} ${v#he} ${v:-x} ${unset:-dflt} ${v:+set} ${unset:+set}',
  'p=a/b/c.tar.gz; echo ${p##*/} ${p%%.*} ${p%/*} ${p#*/}',
  'cat <<EOF\nline $((1+1))\n  indented\nEOF',
  "cat <<'EOF'\n$x `no`\nEOF",
  'cat <<-EOF\n\ttabbed\n\tEOF',
  'echo out > f.txt; echo more >> f.txt; cat f.txt',
  'ls nosuch 2>/dev/null; echo $?',
  'ls nosuch 2>&1 | wc -l',
  'echo x > /nonexistent/dir/f; echo $?',
  'nosuchcmd; echo $?',
  'exit 3',
  '(exit 4); echo $?',
  'false | true; echo $?',
  'true | false; echo $?',
  '! true; echo $?',
  'echo a; echo b >&2',
  'x=$(printf "a\\nb\\n\\n"); echo "[$x]"',
  'set -- a b c; echo $# $2; shift; echo $@',
  'echo "$(echo "nested $(echo deep)")"',
  'read a b <<EOF\none two three\nEOF\necho "$a|$b"',
  'printf "x y\\nz\\n" | while read a b; do echo "[$a][$b]"; done',
  'echo a b c | xargs -n 1 echo',
  'ls | xargs echo',
  'find . -name "*.csv" | xargs wc -l',
  'tee t.txt < a.txt | wc -l; cat t.txt | wc -l',
  'env -i FOO=bar env',
  'FOO=one sh -c "echo \\$FOO"',
  'cat nosuch; echo $?',
  'cat - < b.txt',
  'date -u -d @86400 "+%F %T %a %b %e %j %s"',
  'a=1; (a=2; cd sub; echo $a); echo $a',
  '{ echo one; echo two; } > g.txt; cat g.txt',
  'set -e; false; echo not reached',
  'set -e; false || echo handled',
  'echo $(( 1 / 0 )); echo after',
  'sh -c "exit 7"; echo $?',
  'x="a b  c"; for w in $x; do echo "<$w>"; done',
  'x="a b"; set -- "$x" c; echo $#',
  'IFS=,; x=a,b,c; set -- $x; echo $# $2',
  'echo ~',
  'cd sub && pwd | sed "s|.*/||"',
  'cd nosuch; echo $?',
  'command -v cat ls echo',
  'which cat',
  'which nosuch; echo $?',
  'type nosuch; echo $?',
  'eval "x=5; echo \\$x"',
  'echo a\\ b "c\\"d"',
  "echo 'it'\\''s'",
  'echo $#',
  'printf "%5.2f|%d|%s\\n" 3.14159 -4 ""',
  'printf "%b\\n" "a\\tb"',
  'echo "a\\tb"',
  'find . -name "*.md" -o -name "*.csv" | sort',
  'find . -type f -name "*.txt" -exec wc -l {} \\; | sort',
  'find sub -type f -exec cat {} + | sort',
  'find . ! -type d -name "[ab]*" | sort',
  'find sub -name "*.txt" -delete; find sub | sort',
  'a=$$; b=$(echo $$); c=$(echo x | (read y; echo $$)); [ $a = $b ] && [ $a = $c ] && echo same',
  'expr 1 + 2 \\* 3; expr 7 / 2; expr abc : "a\\(.\\)"; expr abcd : ".*"; expr 3 \\< 10; expr 0; echo $?',
  'expr length hello; expr substr hello 2 3; expr index hello l',
  'exec echo replaced; echo never',
  "sed -n '$=' a.txt; sed -n '/an/=' a.txt",
  'sed y/abc/xyz/ a.txt',
  'for x in a b; do for y in 1 2; do [ $y = 2 ] && continue 2; echo $x$y; done; done',
  'seq 0.5 0.5 2',
  'printf "%5.1f|%d%%\\n" 2.25 50',
  'echo `echo a \\`echo b\\``',
  'cat a.txt nosuch b.txt; echo $?',
  'x=1 y=2 env | grep -c "^[xy]="',
  'trap "echo bye \\$?" EXIT; echo hi; exit 3',
  'trap "echo no" 0; trap - 0; echo x',
  'trap "echo end" EXIT; false',
  'readlink -f sub/../a.txt | sed "s|.*/||"; realpath sub | sed "s|.*/||"; realpath nosuch/x; echo $?',
  'ln -s a.txt l; readlink l; readlink a.txt; echo $?',
  'd=$(mktemp -d); [ -d "$d" ] && echo dir; f=$(mktemp); [ -f "$f" ] && [ ! -s "$f" ] && echo file; rm -r "$d" "$f"; mktemp -p . x.XXXX | wc -c',
  'FOO=x printenv FOO; printenv NOPE; echo $?',
  'uname; uname -s',
  'grep -n -C1 cherry a.txt',
  'grep -A1 apple a.txt',
  'grep -B2 split a.txt',
  'seq 20 | grep -C1 -e 5 -e 15',
  'seq 9 | grep -A1 -B1 -n "[37]"',
  "sed '2a added' a.txt",
  "sed '1i top' a.txt",
  "sed '/cherry/c changed' a.txt",
  "sed '2,3c gone' a.txt",
  "sed '$a end' a.txt",
  "printf 'x' | sed 'a after'",
  'sort -t, -k3,3 -k2n data.csv',
  "printf 'b 2\\na 10\\na 2\\nb 1\\n' | sort -k1,1 -k2nr",
  "printf 'y 1\\nx 1\\n' | sort -s -k2n",
  "printf 'B\\na\\nb\\nA\\n' | sort -f",
  'sha256sum a.txt b.txt; md5sum < a.txt; echo -n | sha1sum; sha512sum nosuch; echo $?',
]

describe('the shell as dash and GNU coreutils', () => {
  let host: Result[]
  let guest: Result[]
  beforeAll(async () => {
    const base = mkdtempSync(join(tmpdir(), 'se-shell-'))
    try {
      host = cases.map((script, i) => {
        const dir = join(base, String(i))
        for (const [f, text] of Object.entries(fixtures)) {
          mkdirSync(join(dir, f, '..'), { recursive: true })
          writeFileSync(join(dir, f), text)
        }
        const r = spawnSync('/bin/sh', ['-c', script], {
          cwd: dir,
          encoding: 'utf8',
          env: { PATH: '/usr/bin:/bin', HOME: '/home/user', LC_ALL: 'C', TZ: 'UTC' },
          timeout: 10_000,
        })
        return { out: r.stdout, err: r.stderr, code: r.status }
      })
    } finally {
      rmSync(base, { recursive: true, force: true })
    }
    const setup = `
      const fs = require('fs');
      const fixtures = ${JSON.stringify(fixtures)};
      for (let i = 0; i < ${cases.length}; i++) {
        for (const [f, text] of Object.entries(fixtures)) {
          const p = '/tmp/w/' + i + '/' + f;
          fs.mkdirSync(require('path').dirname(p), { recursive: true });
          fs.writeFileSync(p, text);
        }
      }`
    // Each case in its own directory, as on the host.
    const r = await rt.run<Result[]>(`
      const cp = require('child_process');
      ${setup}
      __return(${JSON.stringify(cases)}.map((script, i) => {
        const r = cp.spawnSync('/bin/sh', ['-c', script], { cwd: '/tmp/w/' + i, encoding: 'utf8',
          env: { PATH: '/usr/bin:/bin', HOME: '/home/user', LC_ALL: 'C' } });
        return { out: r.stdout, err: r.stderr, code: r.status };
      }));`)
    expect(r.code, r.stderr).toBe(0)
    guest = r.value as Result[]
  }, 120_000)

  it.each(cases.map((c, i) => [c, i] as const))('%s', (_script, i) => {
    expect({ out: guest[i].out, code: guest[i].code }).toEqual({ out: host[i].out, code: host[i].code })
  })

  it('prints dash\'s and GNU\'s messages on stderr', () => {
    const at = (s: string) => cases.indexOf(s)
    for (const s of ['nosuchcmd; echo $?', 'ls nosuch; echo $?', 'rm nosuch; echo $?', 'cat nosuch; echo $?', 'echo x > /nonexistent/dir/f; echo $?', 'mkdir sub; echo $?', 'cd nosuch; echo $?']) {
      expect(guest[at(s)].err, s).toBe(host[at(s)].err)
    }
  })
})

describe('the shell in the sandbox', () => {
  it('runs exec, execSync and spawn with a shell, into and out of the virtual filesystem', async () => {
    const r = await rt.run<Record<string, unknown>>(`
      const cp = require('child_process');
      const fs = require('fs');
      fs.mkdirSync('/tmp/sh1', { recursive: true });
      fs.writeFileSync('/tmp/sh1/in.txt', 'x1\\ny\\nx2\\n');
      const sync = cp.execSync('ls | grep in > out.txt && cat out.txt', { cwd: '/tmp/sh1', encoding: 'utf8' });
      cp.exec('grep x in.txt | sort -r > sorted.txt; echo done $?', { cwd: '/tmp/sh1' }, (err, stdout, stderr) => {
        const c = cp.spawn('sort', ['-r'], { shell: true });
        let piped = '';
        c.stdout.on('data', (d) => { piped += d; });
        c.on('close', (code) => {
          __return({ sync, err, stdout, stderr, sorted: fs.readFileSync('/tmp/sh1/sorted.txt', 'utf8'),
            out: fs.readFileSync('/tmp/sh1/out.txt', 'utf8'), piped, code });
        });
        c.stdin.end('a\\nc\\nb\\n');
      });`)
    expect(r.code, r.stderr).toBe(0)
    expect(r.value).toEqual({
      sync: 'in.txt\n',
      err: null,
      stdout: 'done 0\n',
      stderr: '',
      sorted: 'x2\nx1\n',
      out: 'in.txt\n',
      piped: 'c\nb\na\n',
      code: 0,
    })
  })

  it('fails an unknown command with 127 and dash\'s message, and execSync throws with it', async () => {
    const r = await rt.run(`
      const cp = require('child_process');
      try { cp.execSync('nosuch arg', { stdio: 'pipe' }); } catch (e) {
        __return([e.status, e.stderr.toString(), e.message]);
      }`)
    // dash names itself by its argv[0], which Node's exec makes /bin/sh.
    expect(r.value).toEqual([127, '/bin/sh: 1: nosuch: not found\n', 'Command failed: nosuch arg\n/bin/sh: 1: nosuch: not found\n'])
  })

  it('says npm and npx are not supported', async () => {
    const [npm, npx] = await sh(['npm install left-pad', 'npx tsc'])
    expect(npm.code).toBe(127)
    expect(npm.err).toContain('npm: not supported in the sandbox')
    expect(npx.err).toContain('npx: not supported in the sandbox')
  })

  it('runs guest node inside pipelines and redirections', async () => {
    const [a, b, c] = await sh(
      [
        'node -e "console.log(6 * 7)" | wc -c',
        'printf "abc" | node -e "process.stdin.on(\'data\', (d) => process.stdout.write(String(d).toUpperCase()))"',
        'node -e "console.log(\'to file\'); console.error(\'to err\')" > /tmp/n.txt 2>&1; cat /tmp/n.txt; node -e "process.exit(5)"; echo $?',
      ],
      {},
    )
    expect(a).toMatchObject({ out: '3\n', code: 0 })
    expect(b).toMatchObject({ out: 'ABC', code: 0 })
    expect(c).toMatchObject({ out: 'to file\nto err\n5\n', code: 0 })
  })

  it('streams 10 MB through cat | grep | wc with backpressure', async () => {
    const [r] = await sh(['cat /tmp/big.txt | grep 7 | wc -l'], {
      setup: `
        const lines = [];
        for (let i = 0; i < 1_000_000; i++) lines.push('line ' + String(i).padStart(6, '0'));
        require('fs').writeFileSync('/tmp/big.txt', lines.join('\\n') + '\\n');`,
    })
    // Lines whose number holds a 7: 10^6 - 9^6.
    expect(r).toMatchObject({ out: `${1_000_000 - 531_441}\n`, code: 0 })
  })

  it('ends a producer whose reader is gone (yes | head), and a stage by its signal status', async () => {
    const [a, b] = await sh(['yes | head -3; echo $?', 'sleep 10 & kill $!; wait $!; echo $?'])
    expect(a).toMatchObject({ out: 'y\ny\ny\n0\n', code: 0 })
    expect(b).toMatchObject({ out: '143\n', code: 0 })
    const [c, d] = await sh(['echo before; kill -9 $$; echo after', 'sh -c "kill \\$\\$"; echo $?'])
    expect(c).toMatchObject({ out: 'before\n', code: null, signal: 'SIGKILL' })
    expect(d).toMatchObject({ out: '143\n', code: 0 })
  })

  it('ends a script that runs past its call, and one killed by its parent', async () => {
    const t0 = Date.now()
    const r = await rt.run(`
      const cp = require('child_process');
      const c = cp.spawn('sh', ['-c', 'while true; do :; done']);
      const d = cp.spawn('sh', ['-c', 'sleep 30; echo late']);
      d.on('exit', (code, signal) => { console.log('killed', code, signal); process.exit(0); });
      setTimeout(() => d.kill(), 100);`)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('killed null SIGTERM\n')
    expect(Date.now() - t0).toBeLessThan(10_000)
    // The runtime serves the next call: the busy script is gone.
    const [next] = await sh(['echo next'])
    expect(next.out).toBe('next\n')
  })

  it('counts a busy script against the call\'s CPU limit', async () => {
    const busy = await NodeRuntime.create({ permissions: { childProcess: 'allow' }, limits: { cpuTimeMs: 300 } })
    try {
      // The parent only waits: the shell's threads use the CPU.
      await expect(busy.run(`require('child_process').execSync('while :; do :; done | cat')`)).rejects.toThrow(/cpuTimeMs/)
      const again = await busy.run(`__return(require('child_process').execSync('echo ok', { encoding: 'utf8' }))`)
      expect(again.value).toBe('ok\n')
    } finally {
      await busy.dispose()
    }
  })

  it('needs the childProcess permission', async () => {
    const denied = await NodeRuntime.create({ permissions: { fs: 'allow' } })
    try {
      const r = await denied.run(`
        try { require('child_process').execSync('echo hi'); } catch (e) { __return([e.code, e.syscall, e.path]); }`)
      expect(r.value).toEqual(['EACCES', 'spawnSync /bin/sh', '/bin/sh'])
    } finally {
      await denied.dispose()
    }
  })

  it('applies the fs policy inside builtins', async () => {
    const limited = await NodeRuntime.create({
      permissions: { childProcess: 'allow', fs: { read: ['/**'], write: ['/tmp/**'] } },
    })
    try {
      const [a, b, c, d] = await sh(
        ['echo x > /home/user/f; echo $?', 'touch /home/user/g; echo $?', 'echo ok > /tmp/ok && cat /tmp/ok', 'cp /tmp/ok /home/user/h; echo $?'],
        { runtime: limited },
      )
      expect(a).toMatchObject({ out: '2\n', err: '/bin/sh: 1: cannot create /home/user/f: Permission denied\n' })
      expect(b).toMatchObject({ out: '1\n', err: "touch: cannot touch '/home/user/g': Permission denied\n" })
      expect(c.out).toBe('ok\n')
      expect(d.out).toBe('1\n')
    } finally {
      await limited.dispose()
    }
  })

  it('counts its stages against maxProcesses and frees them when a pipeline cannot start', async () => {
    const few = await NodeRuntime.create({ permissions: { childProcess: 'allow' }, limits: { maxProcesses: 6 } })
    try {
      const long = Array(10).fill('cat').join(' | ')
      const [a, b] = await sh([`echo x | ${long}; echo status $?; echo y | cat | cat`, 'echo again | cat'], { runtime: few })
      expect(a.out).toBe('status 2\ny\n')
      expect(a.err).toBe('/bin/sh: 1: Cannot fork: too many processes\n')
      expect(b.out).toBe('again\n')
    } finally {
      await few.dispose()
    }
  })

  it('runs a builtin spawned without a shell', async () => {
    const r = await rt.run(`
      const cp = require('child_process');
      require('fs').mkdirSync('/tmp/sp/x', { recursive: true });
      __return([cp.execFileSync('ls', ['/tmp/sp'], { encoding: 'utf8' }), cp.spawnSync('/bin/cat', { input: 'in' }).stdout.toString()]);`)
    expect(r.value).toEqual(['x\n', 'in'])
  })

  it('runs bash as the same shell, with its echo and [[ ]]', async () => {
    const r = await rt.run(`
      const cp = require('child_process');
      __return(cp.execFileSync('bash', ['-c', 'echo -e "a\\\\tb"; echo "c\\\\td"; x=abc123; [[ $x =~ ^[a-z]+[0-9]+$ && $x == a* ]] && echo match; [[ -n $x && ! -d $x ]] && echo str; echo $\\'x\\\\ty\\\\x41\\\\\\'\\''], { encoding: 'utf8' }));`)
    expect(r.value).toBe("a\tb\nc\\td\nmatch\nstr\nx\tyA'\n")
  })

  it('reports a syntax error as dash does (status 2)', async () => {
    const [r] = await sh(['echo (', 'if true; then'])
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/^\/bin\/sh: 1: Syntax error/)
  })
})
