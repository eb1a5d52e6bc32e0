// uuid (ES modules only; its Node build hashes with node:crypto): name-based
// v3/v5, v1/v4/v6/v7 from fixed inputs, parse/stringify/validate/version.
import { MAX, NIL, parse, stringify, v1, v1ToV6, v3, v4, v5, v6, v6ToV1, v7, validate, version } from 'uuid'

const random = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff)
console.log(NIL, MAX)
console.log(v5('hello.example.com', v5.DNS), v5('https://example.com/x', v5.URL), v3('hello.example.com', v3.DNS))
console.log(v4({ random }), v7({ msecs: 1700000000000, random }), v7({ msecs: 1700000000000, seq: 5, random }))
const t1 = v1({ node: Uint8Array.of(1, 35, 69, 103, 137, 171), clockseq: 0x1234, msecs: 1700000000000, nsecs: 5678 })
console.log(t1, v1ToV6(t1), v6ToV1(v1ToV6(t1)) === t1, v6({ node: Uint8Array.of(1, 2, 3, 4, 5, 6), clockseq: 1, msecs: 0, nsecs: 0 }))
const bytes = parse('6ba7b810-9dad-11d1-80b4-00c04fd430c8')
console.log(bytes, stringify(bytes), validate('not-a-uuid'), validate(t1), version(t1), version(v4()))
const ids = new Set(Array.from({ length: 100 }, () => v4()))
console.log(ids.size, [...ids].every((id) => version(id) === 4 && validate(id)))
const buf = new Uint8Array(20)
v5('x', v5.DNS, buf, 2)
console.log(buf)
try {
  parse('nope')
} catch (e) {
  console.log(e.name, e.message)
}
