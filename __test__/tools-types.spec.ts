// Host tools are typed from the functions the host passes: the runtime
// knows their names, and GuestTools<T> gives guest code their signatures.
import { describe, expect, expectTypeOf, it } from 'vitest'
import { NodeRuntime, type GuestTools } from '../index.js'

const tools = {
  add: async ({ a, b }: { a: number; b: number }) => a + b,
  greet: (name: string) => `hi ${name}`,
}

describe('typed host tools', () => {
  it('carry their names and signatures', async () => {
    const rt = await NodeRuntime.create({ tools, permissions: { tool: 'allow' } })
    try {
      expect(rt.toolNames).toEqual(['add', 'greet'])
      type G = GuestTools<typeof tools>
      expectTypeOf(rt.guestTools).toEqualTypeOf<G | undefined>()
      expectTypeOf<Parameters<G['add']>[0]>().toEqualTypeOf<{ a: number; b: number }>()
      expectTypeOf<ReturnType<G['add']>>().toEqualTypeOf<Promise<number>>()
      expectTypeOf<ReturnType<G['greet']['sync']>>().toEqualTypeOf<string>()
      const r = await rt.run<[number, string]>(`(async () => __return([await tools.add({ a: 1, b: 2 }), tools.greet.sync('x')]))()`)
      expect(r.value).toEqual([3, 'hi x'])
    } finally {
      await rt.dispose()
    }
  })
})
