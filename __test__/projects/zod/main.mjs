// zod (dual package, imported as ES modules): object schemas, refinements,
// transforms, unions, error messages and JSON Schema output.
import { z } from 'zod'

const User = z.object({
  name: z.string().min(2),
  email: z.string().email(),
  age: z.number().int().positive().optional(),
  tags: z.array(z.string()).default([]),
  role: z.enum(['admin', 'user']),
})
console.log(User.parse({ name: 'Ada', email: 'ada@example.com', role: 'admin' }))
const bad = User.safeParse({ name: 'A', email: 'nope', age: -3.5, role: 'root', extra: 1 })
console.log(bad.success)
for (const issue of bad.error.issues) console.log(issue.path.join('.'), issue.code, issue.message)
console.log(z.prettifyError(bad.error))
console.log(JSON.stringify(z.treeifyError(bad.error)))

const Shape = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('circle'), r: z.number() }),
  z.object({ kind: z.literal('rect'), w: z.number(), h: z.number() }),
])
const area = (s) => (s.kind === 'circle' ? Math.PI * s.r ** 2 : s.w * s.h)
console.log(area(Shape.parse({ kind: 'rect', w: 2, h: 3 })).toFixed(2), area(Shape.parse({ kind: 'circle', r: 1 })).toFixed(4))
console.log(Shape.safeParse({ kind: 'tri' }).error.issues[0].message)

const Csv = z.string().transform((s) => s.split(',').map(Number)).pipe(z.array(z.number().max(10)))
console.log(Csv.parse('1,2,3'), Csv.safeParse('1,20').error.issues[0].message)
const Password = z.object({ a: z.string(), b: z.string() }).refine((v) => v.a === v.b, { message: 'mismatch', path: ['b'] })
console.log(Password.safeParse({ a: 'x', b: 'y' }).error.issues)
console.log(z.coerce.number().parse('42'), z.string().date().safeParse('2024-02-30').success, z.iso.datetime().safeParse('2024-01-01T00:00:00Z').success)
console.log(JSON.stringify(z.toJSONSchema(User), null, 1))
const result = await z.string().refine(async (s) => s.length > 3, 'too short').safeParseAsync('abc')
console.log(result.success, result.error.issues[0].message)
