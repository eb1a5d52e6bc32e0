// jsonwebtoken (CommonJS; jws, node:crypto HMAC/RSA signatures, Buffer,
// util, stream): HS256 and RS256 tokens from fixed claims, verification and
// its errors at fixed clock times. The RSA key is a test-only fixture.
'use strict'
const fs = require('fs')
const path = require('path')
const jwt = require('jsonwebtoken')

const secret = 'shhhhh-a-test-secret'
const claims = { sub: 'user-1', name: 'Ada', admin: true, iat: 1700000000 }
const hs = jwt.sign(claims, secret, { expiresIn: '1h', issuer: 'matrix', audience: 'tests', jwtid: 'id-1', header: { kid: 'k1' } })
console.log(hs)
console.log(jwt.decode(hs, { complete: true }))
console.log(jwt.verify(hs, secret, { clockTimestamp: 1700000100, issuer: 'matrix', audience: 'tests', algorithms: ['HS256'] }))
for (const [what, f] of [
  ['expired', () => jwt.verify(hs, secret, { clockTimestamp: 1700009999 })],
  ['bad secret', () => jwt.verify(hs, 'wrong', { clockTimestamp: 1700000100 })],
  ['audience', () => jwt.verify(hs, secret, { clockTimestamp: 1700000100, audience: 'other' })],
  ['malformed', () => jwt.verify('a.b', secret)],
  ['alg', () => jwt.verify(hs, secret, { clockTimestamp: 1700000100, algorithms: ['RS256'] })],
]) {
  try {
    f()
    console.log(what, 'verified?')
  } catch (e) {
    console.log(what, e.name, e.message, e.expiredAt ? e.expiredAt.toISOString() : '')
  }
}
const priv = fs.readFileSync(path.join(__dirname, 'rsa-private.pem'))
const pub = fs.readFileSync(path.join(__dirname, 'rsa-public.pem'), 'utf8')
const rs = jwt.sign({ scope: ['read', 'write'] }, priv, { algorithm: 'RS256', noTimestamp: true, keyid: 'rsa-1' })
console.log(rs)
console.log(jwt.verify(rs, pub, { algorithms: ['RS256'] }))
const hs512 = jwt.sign('plain string payload', Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'hex'), { algorithm: 'HS512' })
console.log(hs512)
jwt.verify(hs, secret, { clockTimestamp: 1700000100 }, (err, decoded) => console.log('callback', err, decoded.sub))
jwt.sign({ a: 1 }, secret, { noTimestamp: true }, (err, token) => console.log('async sign', err, token))
