// bcryptjs (dual package, imported as ES modules; node:crypto for salts):
// hashes from fixed salts, comparisons, sync and async (callbacks, promises).
import bcrypt from 'bcryptjs'
import { compareSync, genSaltSync, getRounds, getSalt, hashSync, truncates } from 'bcryptjs'

const salt = '$2b$06$abcdefghijklmnopqrstuu'
const h = hashSync('correct horse battery staple', salt)
console.log(h, getRounds(h), getSalt(h))
console.log(compareSync('correct horse battery staple', h), compareSync('wrong', h), hashSync('ünïcödé ✓', '$2a$04$0123456789abcdefghijkl'))
console.log(truncates('x'.repeat(72)), truncates('x'.repeat(73)), hashSync('x'.repeat(80), salt) === hashSync('x'.repeat(72), salt))
const generated = genSaltSync(5)
console.log(generated.length, generated.slice(0, 7), compareSync('pw', hashSync('pw', generated)))
bcrypt.hash('async secret', '$2b$05$zyxwvutsrqponmlkjihgfe', (err, hash) => {
  console.log('callback', err, hash)
  bcrypt.compare('async secret', hash).then((ok) => console.log('promise compare', ok))
})
const progress = []
console.log('promise', await bcrypt.hash('with progress', '$2b$07$abcdefghijklmnopqrstuu', (p) => progress.push(p)), progress.length > 0, progress.at(-1))
try {
  hashSync('pw', 'not-a-salt')
} catch (e) {
  console.log(e.name, e.message)
}
