// createHmac with every key kind, createSecretKey and KeyObject.
const crypto = require('crypto');

function show(label, f) {
  try {
    const v = f();
    console.log(label, Buffer.isBuffer(v) ? `<Buffer ${v.toString('hex')}>` : JSON.stringify(v));
  } catch (e) {
    console.log(label, 'threw', e.name, e.code, JSON.stringify(e.message));
  }
}

// RFC 4231 test case 2, and a key longer than the block.
for (const alg of ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512-256', 'sha3-256', 'ripemd160']) {
  console.log(alg, crypto.createHmac(alg, 'Jefe').update('what do ya want for nothing?').digest('hex'));
  console.log(alg, crypto.createHmac(alg, Buffer.alloc(200, 0xaa)).update('x').update(Buffer.from('y')).digest('base64'));
}

const keys = {
  string: 'key',
  emptyString: '',
  buffer: Buffer.from('key'),
  arrayBuffer: new Uint8Array([1, 2, 3]).buffer,
  uint16: new Uint16Array([1, 2]),
  dataView: new DataView(new ArrayBuffer(4)),
  keyObject: crypto.createSecretKey(Buffer.from('key')),
};
for (const [name, key] of Object.entries(keys)) {
  show(`key ${name}`, () => crypto.createHmac('sha256', key).update('data').digest('hex'));
}
show('key hex option', () => crypto.createHmac('sha256', 'ff00', { encoding: 'hex' }).digest('hex'));
show('key latin1 option', () => crypto.createHmac('sha256', 'é', { encoding: 'latin1' }).digest('hex'));
show('key bad encoding', () => crypto.createHmac('sha256', 'k', { encoding: 'nope' }));
show('key encoding number', () => crypto.createHmac('sha256', 'k', { encoding: 1 }));
show('options string', () => crypto.createHmac('sha256', 'k', 'hex').digest('hex'));

// The key is read when the Hmac is made.
{
  const key = Buffer.from('key1');
  const h = crypto.createHmac('sha1', key);
  key[3] = 0x32;
  console.log('key snapshot', h.update('d').digest('hex') === crypto.createHmac('sha1', 'key1').update('d').digest('hex'));
}

// digest() twice is empty for Hmac.
{
  const h = crypto.createHmac('sha1', 'k');
  console.log(h.digest('hex'));
  show('again hex', () => h.digest('hex'));
  show('again', () => h.digest());
  show('again buffer', () => h.digest('buffer'));
  show('again foo', () => h.digest('foo'));
  show('update after digest', () => h.update('x'));
  console.log('no copy', typeof h.copy);
}

// Errors.
show('bad alg', () => crypto.createHmac('nope', 'k'));
show('alg number', () => crypto.createHmac(1, 'k'));
show('no key', () => crypto.createHmac('sha1'));
show('key null', () => crypto.createHmac('sha1', null));
show('key number', () => crypto.createHmac('sha1', 5));
show('data number', () => crypto.createHmac('sha1', 'k').update(5));
show('odd hex', () => crypto.createHmac('sha1', 'k').update('abc', 'hex'));
show('digest encodings', () => ['hex', 'base64', 'latin1', 'buffer', 'nope'].map((e) => {
  const d = crypto.createHmac('md5', 'k').update('x').digest(e);
  return Buffer.isBuffer(d) ? d.toString('hex') : d;
}));

// KeyObject
{
  const k = crypto.createSecretKey(Buffer.from('secret'));
  console.log(k.type, k.symmetricKeySize, k.asymmetricKeyType, k.export().toString(), k.export({ format: 'buffer' }).length);
  console.log(k.export({ format: 'jwk' }), String(k), k instanceof crypto.KeyObject);
  const { types } = require('util');
  console.log(types.isKeyObject(k), types.isKeyObject({}), types.isKeyObject(Buffer.from('k')), types.isCryptoKey(k));
  console.log(k.equals(crypto.createSecretKey(Buffer.from('secret'))), k.equals(crypto.createSecretKey(Buffer.from('other'))));
  console.log(crypto.createSecretKey('736563726574', 'hex').equals(k), crypto.createSecretKey('secret').equals(k));
  console.log(crypto.createSecretKey(Buffer.alloc(0)).symmetricKeySize);
  const exported = k.export();
  exported[0] = 0;
  console.log('export is a copy', k.export().toString());
  show('export pem', () => k.export({ format: 'pem' }));
  show('export number', () => k.export(5));
  show('equals non-key', () => k.equals('secret'));
  show('createSecretKey number', () => crypto.createSecretKey(5));
  show('createSecretKey KeyObject', () => crypto.createSecretKey(k));
  show('new KeyObject', () => new crypto.KeyObject('secret', {}));
  show('new KeyObject type', () => new crypto.KeyObject('nope'));
  console.log(crypto.createHmac('sha256', k).update('x').digest('hex') === crypto.createHmac('sha256', 'secret').update('x').digest('hex'));
}

// generateKey for secret keys.
{
  const k = crypto.generateKeySync('hmac', { length: 64 });
  console.log(k.type, k.symmetricKeySize, crypto.generateKeySync('aes', { length: 256 }).symmetricKeySize);
  show('aes 100', () => crypto.generateKeySync('aes', { length: 100 }));
  show('hmac 7', () => crypto.generateKeySync('hmac', { length: 7 }));
  crypto.generateKey('hmac', { length: 128 }, (err, key) => console.log('generateKey', err, key.symmetricKeySize));
}
