// Finding 4: guest code never reaches the builtins' internals (the syscall
// object, the loader, the config, the hooks the engine calls), and what
// comes back from guest JS into Rust is validated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../../index.js'

// Replaces intrinsics the builtins could call through, then reads every
// lazy global so that each builtin module loads under them. Anything an
// intrinsic receives that looks like an internal object is reported.
const probe = `
  const seen = new Set();
  const hasOwn = Object.hasOwn;
  const keys = ['returnValue', 'runMicrotasks', 'turn', 'afterScript', 'timingFreeze', 'utf8Encode'];
  let busy = false;
  const looksInternal = (v) => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return false;
    for (let i = 0; i < keys.length; i++) {
      try { if (hasOwn(v, keys[i])) return true; } catch {}
    }
    return false;
  };
  const note = (where, args) => {
    if (busy) return;
    busy = true;
    for (let i = 0; i < args.length; i++) if (looksInternal(args[i])) seen.add(where);
    busy = false;
  };
  const FP = Function.prototype;
  const origCall = FP.call, origApply = FP.apply, origBind = FP.bind;
  const reflectApply = Reflect.apply;
  FP.call = function (...args) { note('call', args); return reflectApply(this, args[0], args.slice(1)); };
  FP.apply = function (thisArg, args) { note('apply', [thisArg, ...(args || [])]); return reflectApply(this, thisArg, args || []); };
  FP.bind = function (...args) { note('bind', args); return reflectApply(origBind, this, args); };
  Reflect.apply = function (f, t, a) { note('Reflect.apply', [t, ...(a || [])]); return reflectApply(f, t, a); };
  const push = Array.prototype.push;
  Array.prototype.push = function (...args) { note('push', [this, ...args]); return reflectApply(push, this, args); };
  for (const key of ['exports', 'hooks', 'native', 'config', 'require']) {
    Object.defineProperty(Object.prototype, key, {
      configurable: true,
      set(v) { note('set ' + key, [this, v]); Object.defineProperty(this, key, { value: v, writable: true, configurable: true, enumerable: true }); },
    });
  }
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    try { void globalThis[name]; } catch {}
  }
  new TextEncoder().encode('x'); new URL('http://a/'); structuredClone({ a: 1 });
  console.log(JSON.stringify([...seen]));
`

describe('internals stay out of reach', () => {
  let rt: NodeRuntime
  beforeAll(async () => {
    rt = await NodeRuntime.create({ limits: { cpuTimeMs: 2000, wallTimeMs: 4000 } })
  })
  afterAll(async () => {
    await rt.dispose()
  })

  it('no intrinsic the guest replaces is handed an internal object', async () => {
    const r = await rt.exec(probe)
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe('[]\n')
  })

  it('the loader does not call through a replaced Function.prototype.call', async () => {
    const r = await rt.exec(`
      let got;
      const call = Function.prototype.call;
      Function.prototype.call = function (...args) { got ??= args; return Reflect.apply(this, args[0], args.slice(1)); };
      void TextEncoder;
      console.log(got === undefined ? 'untouched' : typeof got[2]);
    `)
    expect(r.stdout).toBe('untouched\n')
  })

  it('a hostile event loop cannot hang or crash the runtime (turn, exitCode)', async () => {
    // The values the engine reads back are the guest's word: whatever the
    // loop reports (Infinity, NaN, huge), the call ends cleanly.
    const pid = rt.sidecarPid
    for (const bad of ['Infinity', 'NaN', '-Infinity', '1e308', '-5']) {
      const r = await rt.exec(`
        const p = process; p.exitCode = ${bad === '-5' ? 3 : 0};
        setTimeout(() => {}, 5);
      `)
      expect(r.code).toBeGreaterThanOrEqual(0)
    }
    expect(rt.sidecarPid).toBe(pid)
    expect((await rt.run('__return(1)')).value).toBe(1)
  })

  it('natives and hooks are frozen even if a reference leaked', async () => {
    // structuredClone's result is made by the engine: the guest can only
    // hand it values, never serialized bytes of its own.
    const r = await rt.run(`
      const bytes = new Uint8Array([0xff, 0x0f, 0x5c, 0x01, 0x00]);
      let out = [];
      try { out.push(typeof structuredClone(bytes)); } catch (e) { out.push(e.name); }
      __return(out);
    `)
    expect(r.value).toEqual(['object'])
  })

  it('process.exitCode out of range still ends with a byte-sized code', async () => {
    const r = await rt.exec('process.exitCode = 256 + 7')
    expect(r.code).toBe(7)
  })
})
