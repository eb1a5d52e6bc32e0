// createHash/hash(): every algorithm and output encoding, update() with
// each input encoding and view type, copy(), and the errors.
const crypto = require('crypto');

function show(label, f) {
  try {
    const v = f();
    console.log(label, Buffer.isBuffer(v) ? `<Buffer ${v.toString('hex')}>` : JSON.stringify(v));
  } catch (e) {
    console.log(label, 'threw', e.name, e.code, JSON.stringify(e.message), Object.keys(e).join(','));
  }
}

const algs = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512-224', 'sha512-256',
  'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'ripemd160'];
const inputs = ['', 'abc', 'The quick brown fox jumps over the lazy dog', 'é€😀', 'x'.repeat(1000)];
for (const alg of algs) {
  for (const input of inputs) {
    console.log(alg, input.length, crypto.createHash(alg).update(input).digest('hex'));
  }
  console.log(alg, 'base64', crypto.createHash(alg).update('abc').digest('base64'));
  console.log(alg, 'hash()', crypto.hash(alg, 'abc'), crypto.hash(alg, Buffer.from('abc'), 'base64url'));
}

// Names: case, aliases, OIDs.
for (const name of ['SHA256', 'Sha-256', 'sha2-256', 'RSA-SHA256', 'sha256WithRSAEncryption', 'rsa-sha1-2',
  'ssl3-md5', '2.16.840.1.101.3.4.2.1', '1.3.14.3.2.26', 'SHA-512/224', 'RSA-SHA3-256', 'rmd160', 'RIPEMD-160']) {
  show(name, () => crypto.createHash(name).update('abc').digest('hex'));
}
for (const name of ['sha512/256', ' sha256', 'sha256 ', 'nope', '']) {
  show(`bad ${JSON.stringify(name)}`, () => crypto.createHash(name));
}

// Output encodings, as Node parses them.
const enc = ['hex', 'HEX', 'base64', 'Base64', 'base64url', 'latin1', 'binary', 'ascii', 'utf8', 'utf-8',
  'ucs2', 'utf16le', 'buffer', 'foo', '', null, undefined, 1, 0];
for (const e of enc) show(`digest(${JSON.stringify(e)})`, () => crypto.createHash('md5').update('abc').digest(e));
show('digest()', () => crypto.createHash('md5').update('abc').digest());

// Input encodings (unknown ones are utf8), views of every kind.
for (const e of ['utf8', 'latin1', 'binary', 'ascii', 'ucs2', 'utf-16le', 'hex', 'base64', 'base64url', 'HEX',
  'foo', 'buffer', undefined, null]) {
  show(`update enc ${e}`, () => crypto.createHash('sha1').update('c3VyZSé€', e === 'hex' || e === 'HEX' ? undefined : e).digest('hex'));
}
show('update hex', () => crypto.createHash('sha1').update('00ff10', 'hex').digest('hex'));
show('update lone surrogate', () => crypto.createHash('sha1').update('a\ud800b').digest('hex'));
const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
for (const v of [Buffer.from(bytes), bytes, new Uint16Array(bytes.buffer), new Int32Array(bytes.buffer, 4, 1),
  new DataView(bytes.buffer, 2, 3), new Float64Array(bytes.buffer), new BigInt64Array(bytes.buffer)]) {
  show(`update ${v.constructor.name}`, () => crypto.createHash('sha256').update(v).digest('hex'));
}

// Streaming: many updates, mixed, large.
{
  const h = crypto.createHash('sha256');
  for (let i = 0; i < 100; i++) h.update(i % 2 ? `chunk ${i}` : Buffer.from(`chunk ${i}`));
  console.log('many updates', h.digest('hex'));
  const big = Buffer.alloc(100000, 7);
  console.log('big buffer', crypto.createHash('sha512').update(big).update(big.subarray(5)).digest('base64'));
  console.log('big string', crypto.createHash('md5').update('€'.repeat(50000)).digest('hex'));
  console.log('hash() big', crypto.hash('sha1', big));
}

// The data is read at update(), not at digest().
{
  const buf = Buffer.from('before');
  const h = crypto.createHash('sha1').update(buf);
  buf.write('after!');
  console.log('snapshot', h.digest('hex'), crypto.createHash('sha1').update('before').digest('hex'));
}

// copy()
{
  const h = crypto.createHash('sha256').update('ab');
  const c1 = h.copy();
  h.update('c');
  const c2 = h.copy();
  console.log('copy', c1.digest('hex'), c2.update('d').digest('hex'), h.digest('hex'));
  const one = crypto.createHash('md5');
  const copies = [one.copy(), one.update('x').copy(), one.copy().update('y')];
  console.log('copies', copies.map((c) => c.digest('hex')).join(' '), one.digest('hex'));
  show('copy after digest', () => one.copy());
  const big = crypto.createHash('sha1').update(Buffer.alloc(10000)).update('z');
  console.log('copy big', big.copy().digest('hex'), big.digest('hex'));
}

// Errors.
{
  const h = crypto.createHash('md5');
  h.update('a');
  console.log(h.digest('hex'));
  show('digest twice', () => h.digest('hex'));
  show('update after digest', () => h.update('b'));
  show('update number', () => crypto.createHash('md5').update(1));
  show('update null', () => crypto.createHash('md5').update(null));
  show('update ArrayBuffer', () => crypto.createHash('md5').update(new ArrayBuffer(2)));
  show('update odd hex', () => crypto.createHash('md5').update('abc', 'hex'));
  show('update odd HEX', () => crypto.createHash('md5').update('abc', 'HEX'));
  show('algorithm number', () => crypto.createHash(1));
  show('algorithm missing', () => crypto.createHash());
  show('outputLength same', () => crypto.createHash('sha1', { outputLength: 20 }).update('a').digest('hex'));
  show('outputLength other', () => crypto.createHash('sha1', { outputLength: 10 }).update('a').digest('hex'));
  show('outputLength string', () => crypto.createHash('sha1', { outputLength: 'x' }));
  show('outputLength negative', () => crypto.createHash('sha1', { outputLength: -1 }));
  show('options number', () => crypto.createHash('sha1', 5).digest('hex'));
  show('hash() bad alg', () => crypto.hash('nope', 'x'));
  show('hash() bad input', () => crypto.hash('sha1', 1));
  show('hash() ArrayBuffer', () => crypto.hash('sha1', new ArrayBuffer(1)));
  show('hash() bad encoding', () => crypto.hash('sha1', 'x', 'foo'));
  show('hash() encoding number', () => crypto.hash('sha1', 'x', 1));
  show('hash() buffer', () => crypto.hash('sha1', 'x', 'buffer'));
  show('hash() latin1', () => crypto.hash('md5', 'x', 'latin1'));
}

// The classes.
{
  const h = crypto.createHash('sha1');
  console.log(Object.keys(h), h instanceof crypto.Hash, crypto.Hash.name, crypto.Hash.length);
  console.log(Object.getOwnPropertyNames(crypto.Hash.prototype).sort().join());
  console.log(crypto.Hash('sha1').update('a').digest('hex'), new crypto.Hash('sha1').update('a').digest('hex'));
  console.log(crypto.createHash.length, crypto.hash.length, typeof crypto.getHashes()[0]);
  console.log(crypto.createHash('SHA1', { x: 1 })._options);
}

// Data in another encoding is read at update() too, even where the guest
// can reach the memory it was decoded into (Buffer's pool).
{
  const h = crypto.createHash('sha1').update('abc', 'latin1');
  const m = crypto.createHmac('sha1', 'k').update('6162', 'hex');
  new Uint8Array(Buffer.from('x').buffer).fill(0);
  console.log('pool', h.digest('hex'), m.digest('hex'));
}
