// Functional bug found by the attack review: WebAssembly.compile() never
// settled inside a call (the compile finished in a task the loop did not see).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../index.js'

// (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
const ADD_WASM = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 127, 127, 1, 127, 3, 2, 1, 0, 7, 7, 1, 3, 97, 100, 100, 0, 0, 10, 9, 1,
  7, 0, 32, 0, 32, 1, 106, 11,
]

describe('WebAssembly inside a call', () => {
  let rt: NodeRuntime
  beforeAll(async () => {
    rt = await NodeRuntime.create()
  })
  afterAll(async () => {
    await rt.dispose()
  })

  it('WebAssembly.compile() and instantiate() settle within the call', async () => {
    const r = await rt.run(`
      const bytes = new Uint8Array(${JSON.stringify(ADD_WASM)});
      const m = await WebAssembly.compile(bytes);
      const { instance } = await WebAssembly.instantiate(bytes);
      const i2 = await WebAssembly.instantiate(m);
      __return([m instanceof WebAssembly.Module, instance.exports.add(2, 3), i2.exports.add(4, 5)]);
    `)
    expect(r.value).toEqual([true, 5, 9])
  })

  it('a compile started without await still completes before the call ends', async () => {
    const r = await rt.exec(`
      WebAssembly.instantiate(new Uint8Array(${JSON.stringify(ADD_WASM)})).then(({ instance }) => console.log(instance.exports.add(20, 22)));
    `)
    expect(r.stdout).toBe('42\n')
  })
})
