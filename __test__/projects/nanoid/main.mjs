// nanoid (ES modules only; node:crypto's webcrypto for randomness): ids from
// a seeded random source, alphabets, and the default generator's shape.
import { customAlphabet, customRandom, nanoid, random, urlAlphabet } from 'nanoid'
import { nanoid as insecure } from 'nanoid/non-secure'

let seed = 42
const seeded = (size) => {
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    out[i] = seed & 0xff
  }
  return out
}
console.log(urlAlphabet)
console.log(customRandom(urlAlphabet, 21, seeded)(), customRandom('abcdef', 10, seeded)(), customRandom('0123456789', 8, seeded)())
const id = nanoid()
console.log(id.length, /^[A-Za-z0-9_-]+$/.test(id), nanoid(5).length, insecure().length)
const hex = customAlphabet('0123456789abcdef', 12)
console.log(/^[0-9a-f]{12}$/.test(hex()), hex(4).length)
const r = random(16)
console.log(r.constructor.name, r.length)
console.log(new Set(Array.from({ length: 1000 }, () => nanoid())).size)
