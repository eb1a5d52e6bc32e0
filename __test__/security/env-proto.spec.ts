// An env var named __proto__ is an ordinary variable (Node shows it), not a
// prototype to set anywhere between the host and process.env.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NodeRuntime } from '../../index.js'
import { hostNode } from '../helpers'

let rt: NodeRuntime
beforeAll(async () => {
  rt = await NodeRuntime.create({ permissions: { env: 'allow' } })
})
afterAll(async () => {
  await rt.dispose()
})

// Built by JSON.parse so that __proto__ is an own key, as a real env has.
const env = (): Record<string, string> => JSON.parse('{"__proto__":"x","A":"1"}')

const probe = `
  const e = process.env;
  const before = [e.__proto__, Object.keys(e).join(), Object.getPrototypeOf(e) === Object.prototype];
  e.__proto__ = 'y';
  const set = [e.__proto__, Object.getPrototypeOf(e) === Object.prototype];
  delete e.__proto__;
  console.log(JSON.stringify([before, set, Object.keys(e).join(), typeof e.__proto__]));`

describe('env var named __proto__', () => {
  it('reaches process.env as an own key', async () => {
    const r = await rt.exec('console.log(JSON.stringify(process.env))', { env: env() })
    expect(JSON.parse(r.stdout)).toEqual(env())
    expect(Object.keys(JSON.parse(r.stdout))).toContain('__proto__')
    const v = await rt.run<unknown[]>(
      '__return([process.env.__proto__, Object.keys(process.env), Object.hasOwn(process.env, "__proto__")])',
      { env: env() },
    )
    expect(v.value).toEqual(['x', expect.arrayContaining(['__proto__', 'A']), true])
  })

  it('can be set, read and deleted as a variable', async () => {
    const r = await rt.exec(probe, { env: env() })
    // Node's process.env has its own prototype; ours is Object.prototype.
    expect(JSON.parse(r.stdout)).toEqual([['x', expect.stringMatching(/__proto__/), true], ['y', true], 'A', 'object'])
  })

  it('matches host Node (env in sorted order, as the guest always sees it)', async () => {
    const hostEnv: Record<string, string> = JSON.parse('{"A":"1","__proto__":"x"}')
    const code = 'console.log(JSON.stringify(process.env), process.env.__proto__, Object.keys(process.env).join())'
    const host = hostNode(code, { env: hostEnv })
    const guest = await rt.exec(code, { env: hostEnv })
    expect(host.stdout).toBe('{"A":"1","__proto__":"x"} x A,__proto__\n')
    expect(guest.stdout).toBe(host.stdout)
  })
})
