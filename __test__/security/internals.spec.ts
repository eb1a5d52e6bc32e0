// Finding 4: guest code never reaches the builtins' internals (the syscall
// object, the loader, the config, the hooks the engine calls), and what
// comes back from guest JS into Rust is validated.
import { describe, expect, it } from 'vitest'
import { useRuntime } from '../helpers.js'

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
  const sut = useRuntime({ limits: { cpuTimeMs: 2000, wallTimeMs: 4000 } })

  it('no intrinsic the guest replaces is handed an internal object', async () => {
    const r = await sut.rt.exec(probe)
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe('[]\n')
  })

  it('the loader does not call through a replaced Function.prototype.call', async () => {
    const r = await sut.rt.exec(`
      let got;
      const call = Function.prototype.call;
      Function.prototype.call = function (...args) { got ??= args; return Reflect.apply(this, args[0], args.slice(1)); };
      void TextEncoder;
      console.log(got === undefined ? 'untouched' : typeof got[2]);
    `)
    expect(r.stdout).toBe('untouched\n')
  })

  it('the chain from the review (loader → hooks → turn = () => Infinity) is broken', async () => {
    const pid = sut.rt.sidecarPid
    const t0 = Date.now()
    const r = await sut.rt.exec(`
      let req;
      const call = Function.prototype.call;
      Function.prototype.call = function (...args) {
        if (typeof args[2] === 'function') req ??= args[2];
        return Reflect.apply(this, args[0], args.slice(1));
      };
      void TextEncoder;
      Function.prototype.call = call;
      if (req) {
        const hooks = req('bootstrap').hooks;
        hooks.turn = () => Infinity;
        console.log('got hooks');
      } else {
        console.log('no internals');
      }
      setTimeout(() => {}, 5);
    `)
    expect(r.stdout).toBe('no internals\n')
    expect(r.code).toBe(0)
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(sut.rt.sidecarPid).toBe(pid)
    expect((await sut.rt.run('__return(1)')).value).toBe(1)
  })

  it('process.exitCode out of range still ends with a byte-sized code', async () => {
    const r = await sut.rt.exec('process.exitCode = 256 + 7')
    expect(r.code).toBe(7)
  })
})
