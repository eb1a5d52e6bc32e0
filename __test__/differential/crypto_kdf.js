// pbkdf2 and scrypt: RFC vectors, options, errors, callbacks.
const crypto = require('crypto');

function show(label, f) {
  try {
    const v = f();
    console.log(label, Buffer.isBuffer(v) ? `<Buffer ${v.toString('hex')}>` : JSON.stringify(v));
  } catch (e) {
    console.log(label, 'threw', e.name, e.code, JSON.stringify(e.message));
  }
}

// RFC 6070 and friends.
show('sha1 1', () => crypto.pbkdf2Sync('password', 'salt', 1, 20, 'sha1'));
show('sha1 4096', () => crypto.pbkdf2Sync('password', 'salt', 4096, 20, 'sha1'));
show('sha1 long', () => crypto.pbkdf2Sync('passwordPASSWORDpassword', 'saltSALTsaltSALTsaltSALTsaltSALTsalt', 4096, 25, 'sha1'));
show('sha1 nul', () => crypto.pbkdf2Sync('pass\0word', 'sa\0lt', 4096, 16, 'sha1'));
for (const d of ['md5', 'sha224', 'sha256', 'SHA256', 'sha384', 'sha512', 'sha512-256', 'sha3-512', 'ripemd160', 'RSA-SHA1']) {
  show(`pbkdf2 ${d}`, () => crypto.pbkdf2Sync('p', 's', 3, 70, d));
}
show('buffers', () => crypto.pbkdf2Sync(Buffer.from('p'), new Uint16Array([1, 2]), 2, 10, 'sha256'));
show('array buffer salt', () => crypto.pbkdf2Sync('p', new ArrayBuffer(3), 2, 10, 'sha256'));
show('data view', () => crypto.pbkdf2Sync(new DataView(new ArrayBuffer(2)), 's', 2, 10, 'sha256'));
{
  const b = Buffer.from('same');
  show('same buffer twice', () => crypto.pbkdf2Sync(b, b, 2, 8, 'sha1'));
}
show('keylen 0', () => crypto.pbkdf2Sync('p', 's', 1, 0, 'sha1'));
show('bad digest', () => crypto.pbkdf2Sync('p', 's', 1, 1, 'nope'));
show('digest missing', () => crypto.pbkdf2Sync('p', 's', 1, 1));
show('digest number', () => crypto.pbkdf2Sync('p', 's', 1, 1, 1));
show('iterations 0', () => crypto.pbkdf2Sync('p', 's', 0, 1, 'sha1'));
show('iterations 1.5', () => crypto.pbkdf2Sync('p', 's', 1.5, 1, 'sha1'));
show('iterations string', () => crypto.pbkdf2Sync('p', 's', '1', 1, 'sha1'));
show('iterations 2^31', () => crypto.pbkdf2Sync('p', 's', 2 ** 31, 1, 'sha1'));
show('keylen -1', () => crypto.pbkdf2Sync('p', 's', 1, -1, 'sha1'));
show('keylen 2^31', () => crypto.pbkdf2Sync('p', 's', 1, 2 ** 31, 'sha1'));
show('password number', () => crypto.pbkdf2Sync(1, 's', 1, 1, 'sha1'));
show('salt object', () => crypto.pbkdf2Sync('p', {}, 1, 1, 'sha1'));
show('async no callback', () => crypto.pbkdf2('p', 's', 1, 1, 'sha1'));
show('async bad digest', () => crypto.pbkdf2('p', 's', 1, 1, 'nope', () => {}));
show('async digest as callback', () => crypto.pbkdf2('p', 's', 1, 1, () => {}));

// scrypt: RFC 7914 vectors and Node's options.
show('scrypt empty', () => crypto.scryptSync('', '', 64, { N: 16, r: 1, p: 1 }));
show('scrypt NaCl', () => crypto.scryptSync('password', 'NaCl', 64, { N: 1024, r: 8, p: 16 }));
show('scrypt defaults', () => crypto.scryptSync('p', 's', 16));
// (Before any memory error: Node would append OpenSSL's last error to the message.)
show('scrypt async bad params', () => crypto.scrypt('p', 's', 16, { N: 3 }, () => {}));
show('scrypt cost', () => crypto.scryptSync('p', 's', 16, { cost: 1024, blockSize: 4, parallelization: 2 }));
show('scrypt zeros are defaults', () => crypto.scryptSync('p', 's', 16, { N: 0, r: 0, p: 0, maxmem: 0 }));
show('scrypt options number', () => crypto.scryptSync('p', 's', 16, 5));
show('scrypt options null', () => crypto.scryptSync('p', 's', 16, null));
show('scrypt keylen 0', () => crypto.scryptSync('p', 's', 0));
show('scrypt N and cost', () => crypto.scryptSync('p', 's', 16, { N: 1024, cost: 1024 }));
show('scrypt r and blockSize', () => crypto.scryptSync('p', 's', 16, { r: 8, blockSize: 8 }));
show('scrypt p and parallelization', () => crypto.scryptSync('p', 's', 16, { p: 1, parallelization: 1 }));
show('scrypt N 1000', () => crypto.scryptSync('p', 's', 16, { N: 1000 }));
show('scrypt N 1', () => crypto.scryptSync('p', 's', 16, { N: 1 }));
show('scrypt N -2', () => crypto.scryptSync('p', 's', 16, { N: -2 }));
show('scrypt N 2.5', () => crypto.scryptSync('p', 's', 16, { N: 2.5 }));
show('scrypt N string', () => crypto.scryptSync('p', 's', 16, { N: '16' }));
show('scrypt N null', () => crypto.scryptSync('p', 's', 16, { N: null }));
show('scrypt cost -1', () => crypto.scryptSync('p', 's', 16, { cost: -1 }));
show('scrypt N 2^32', () => crypto.scryptSync('p', 's', 16, { N: 2 ** 32 }));
show('scrypt maxmem', () => crypto.scryptSync('p', 's', 16, { N: 2 ** 15, r: 8 }));
show('scrypt maxmem just', () => crypto.scryptSync('p', 's', 16, { N: 2 ** 14, r: 8, maxmem: 128 * 8 * (2 ** 14 + 2) + 1024 }).length);
show('scrypt maxmem short', () => crypto.scryptSync('p', 's', 16, { N: 2 ** 14, r: 8, maxmem: 128 * 8 * (2 ** 14 + 2) + 1023 }));
show('scrypt N >= 2^(16r)', () => crypto.scryptSync('p', 's', 16, { N: 2 ** 16, r: 1 }));
show('scrypt N < 2^(16r)', () => crypto.scryptSync('p', 's', 16, { N: 2 ** 15, r: 1 }));
show('scrypt rp', () => crypto.scryptSync('p', 's', 16, { N: 16, r: 1, p: 2 ** 30 }));
show('scrypt maxmem -1', () => crypto.scryptSync('p', 's', 16, { maxmem: -1 }));
show('scrypt maxmem 1.5', () => crypto.scryptSync('p', 's', 16, { maxmem: 1.5 }));
show('scrypt maxmem string', () => crypto.scryptSync('p', 's', 16, { maxmem: '1' }));
show('scrypt keylen -1', () => crypto.scryptSync('p', 's', -1));
show('scrypt keylen string', () => crypto.scryptSync('p', 's', '1'));
show('scrypt password number', () => crypto.scryptSync(1, 's', 1));
show('scrypt async no callback', () => crypto.scrypt('p', 's', 16));
show('scrypt async options as callback', () => crypto.scrypt('p', 's', 16, {}));
show('scrypt async callback number', () => crypto.scrypt('p', 's', 16, {}, 5));

// Callbacks, one after another (their order across jobs is the thread pool's in Node).
crypto.pbkdf2('password', 'salt', 2, 20, 'sha1', (err, key) => {
  console.log('pbkdf2 cb', err, key.toString('hex'));
  crypto.pbkdf2('p', 's', 1, 0, 'sha256', (err2, key2) => {
    console.log('pbkdf2 cb empty', err2, key2);
    crypto.scrypt('p', 's', 8, (err3, key3) => {
      console.log('scrypt cb', err3, key3.toString('hex'));
      crypto.scrypt('p', 's', 8, { N: 16 }, (err4, key4) => {
        console.log('scrypt cb N', err4, key4.toString('hex'));
      });
    });
  });
});
console.log('sync done');
