// process and node:os: virtual values (never the host's), Node's shapes,
// chdir validated against the VFS.
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { allowAllFs, NodeRuntime } from '../index.js'
import { hostNode, perTestRuntimes } from './helpers'

const make = perTestRuntimes()

describe('node:os', () => {
  it('describes a virtual machine by default', async () => {
    const rt = await make({ limits: { memoryMb: 64 } })
    const r = await rt.run<any>(`const os = require('os');
      __return({
        hostname: os.hostname(), homedir: os.homedir(), tmpdir: os.tmpdir(), type: os.type(), platform: os.platform(),
        arch: os.arch(), machine: os.machine(), endianness: os.endianness(), EOL: os.EOL, devNull: os.devNull,
        cpus: os.cpus().length, model: os.cpus()[0].model, parallel: os.availableParallelism(), totalmem: os.totalmem(),
        free: os.freemem() > 0 && os.freemem() < os.totalmem(), loadavg: os.loadavg(), user: os.userInfo(),
        lo: os.networkInterfaces().lo.map((i) => i.address), ifaces: Object.keys(os.networkInterfaces()),
        release: os.release(), same: os === require('node:os'), priority: os.getPriority(),
      })`)
    expect(r.value).toEqual({
      hostname: 'sandbox', homedir: '/home/user', tmpdir: '/tmp', type: 'Linux', platform: 'linux', arch: 'x64',
      machine: 'x86_64', endianness: 'LE', EOL: '\n', devNull: '/dev/null', cpus: 1, model: 'secure-exec virtual CPU',
      parallel: 1, totalmem: 64 * 1024 * 1024, free: true, loadavg: [0, 0, 0],
      user: { uid: 1000, gid: 1000, username: 'user', homedir: '/home/user', shell: '/bin/sh' },
      lo: ['127.0.0.1', '::1'], ifaces: ['lo'], release: '6.1.0-secure-exec', same: true, priority: 0,
    })
    expect(r.value.hostname).not.toBe(os.hostname())
  })

  it('takes what the host sets, and the hostname is /etc/hostname too', async () => {
    const rt = await make({ permissions: allowAllFs, os: { hostname: 'box-7', cpus: 4, totalmem: 2 ** 30, cpuModel: 'Fake CPU', username: 'agent' } })
    const r = await rt.run<any>(`const os = require('os');
      __return([os.hostname(), os.cpus().length, os.cpus()[3].model, os.totalmem(), os.userInfo().username, require('fs').readFileSync('/etc/hostname', 'utf8')])`)
    expect(r.value).toEqual(['box-7', 4, 'Fake CPU', 2 ** 30, 'agent', 'box-7\n'])
  })

  it('refuses bad os options', async () => {
    await expect(NodeRuntime.create({ os: { hostname: 'a/b' } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
    await expect(NodeRuntime.create({ os: { hostname: 'x'.repeat(65) } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_VALUE' })
    await expect(NodeRuntime.create({ os: { cpus: 0 } })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' })
    await expect(NodeRuntime.create({ os: { cpus: '2' as any } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' })
  })

  it('has the constants of Node on Linux', async () => {
    const rt = await make()
    const r = await rt.run<any>(`__return(JSON.stringify(require('os').constants))`)
    expect(JSON.parse(r.value)).toEqual(JSON.parse(JSON.stringify(os.constants)))
  })
})

describe('process', () => {
  it('has virtual ids, paths and memory figures of its own isolate', async () => {
    const rt = await make()
    const r = await rt.run<any>(`const m = process.memoryUsage(); const u = process.resourceUsage();
      __return([process.getuid(), process.getgid(), process.geteuid(), process.getgroups(), process.execPath, process.platform,
        Object.keys(m), m.heapUsed > 0 && m.heapUsed <= m.heapTotal, process.memoryUsage.rss() > 0, typeof u.userCPUTime, u.fsRead])`)
    expect(r.value).toEqual([1000, 1000, 1000, [1000], '/usr/bin/node', 'linux',
      ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'], true, true, 'number', 0])
  })

  it('chdir is checked against the VFS and moves relative paths', async () => {
    const rt = await make({ permissions: allowAllFs })
    const r = await rt.run<any>(`const fs = require('fs'); const out = [process.cwd()];
      fs.mkdirSync('/tmp/w/sub', { recursive: true });
      process.chdir('/tmp/w'); out.push(process.cwd());
      fs.writeFileSync('rel.txt', 'x'); out.push(fs.existsSync('/tmp/w/rel.txt'));
      process.chdir('sub/..'); out.push(process.cwd());
      for (const d of ['/nope', '/tmp/w/rel.txt', 42]) {
        try { process.chdir(d) } catch (e) { out.push([e.code, e.syscall, e.path, e.dest, e.message]) }
      }
      out.push(process.cwd());
      __return(out)`)
    expect(r.value).toEqual([
      '/home/user', '/tmp/w', true, '/tmp/w',
      ['ENOENT', 'chdir', '/tmp/w', '/nope', "ENOENT: no such file or directory, chdir '/tmp/w' -> '/nope'"],
      ['ENOTDIR', 'chdir', '/tmp/w', '/tmp/w/rel.txt', "ENOTDIR: not a directory, chdir '/tmp/w' -> '/tmp/w/rel.txt'"],
      ['ERR_INVALID_ARG_TYPE', undefined, undefined, undefined, 'The "directory" argument must be of type string. Received type number (42)'],
      '/tmp/w',
    ])
    // The message has Node's own shape.
    const host = hostNode(`try { process.chdir('/nope-dir') } catch (e) { console.log(e.message.replace(process.cwd(), '<cwd>')) }`)
    expect(host.stdout.trim()).toBe("ENOENT: no such file or directory, chdir '<cwd>' -> '/nope-dir'")
  })

  it('chdir needs fs permission like any other path', async () => {
    const rt = await make()
    const r = await rt.run<any>(`try { process.chdir('/tmp') } catch (e) { __return([e.code, e.syscall]) }`)
    expect(r.value).toEqual(['EACCES', 'chdir'])
  })

  it('umask applies to files the process creates', async () => {
    const rt = await make({ permissions: allowAllFs })
    const r = await rt.run<any>(`const fs = require('fs'); const out = [process.umask()];
      out.push(process.umask(0o077), process.umask());
      fs.writeFileSync('/tmp/private', ''); out.push(fs.statSync('/tmp/private').mode & 0o777);
      out.push(process.umask('022'));
      try { process.umask('9') } catch (e) { out.push(e.code) }
      __return(out)`)
    expect(r.value).toEqual([0o22, 0o22, 0o77, 0o600, 0o77, 'ERR_INVALID_ARG_VALUE'])
  })
})
