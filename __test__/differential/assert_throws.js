// assert.throws/doesNotThrow/rejects/doesNotReject: every kind of expected value.
const assert = require('assert');
function show(label, fn) {
  try {
    fn();
    console.log(`${label} -> passed`);
  } catch (e) {
    console.log(`${label} -> ${e.name} ${e.code} generated=${e.generatedMessage} operator=${e.operator}`);
    console.log(e.message);
  }
}
const thrower = (err) => () => { throw err; };
show('throws any', () => assert.throws(thrower(new Error('x'))));
show('throws nothing', () => assert.throws(() => {}));
show('throws nothing msg', () => assert.throws(() => {}, 'should throw'));
show('throws nothing class', () => assert.throws(() => {}, TypeError));
show('throws nothing class msg', () => assert.throws(() => {}, TypeError, 'with message'));
show('throws class', () => assert.throws(thrower(new TypeError('t')), TypeError));
show('throws wrong class', () => assert.throws(thrower(new RangeError('r')), TypeError));
show('throws wrong class no msg', () => assert.throws(thrower(new RangeError('')), TypeError));
show('throws same name', () => assert.throws(thrower(new (class TypeError extends Error {})('m')), TypeError));
show('throws non error for class', () => assert.throws(thrower('str'), TypeError));
show('throws non error obj for class', () => assert.throws(thrower({ a: 1 }), TypeError));
show('throws regexp', () => assert.throws(thrower(new Error('abc')), /b/));
show('throws regexp fail', () => assert.throws(thrower(new Error('abc')), /x/));
show('throws regexp fail msg', () => assert.throws(thrower(new Error('abc')), /x/, 'custom'));
show('throws fn ok', () => assert.throws(thrower(new Error('abc')), (e) => e.message === 'abc'));
show('throws fn not true', () => assert.throws(thrower(new Error('abc')), function validate(e) { return 1; }));
show('throws anon fn', () => assert.throws(thrower(new Error('abc')), (e) => false));
show('throws fn non error', () => assert.throws(thrower(5), (e) => undefined));
show('throws object', () => assert.throws(thrower(Object.assign(new Error('m'), { code: 'X' })), { code: 'X', message: 'm' }));
show('throws object fail', () => assert.throws(thrower(Object.assign(new Error('m'), { code: 'X' })), { code: 'Y', message: 'm' }));
show('throws object regexp', () => assert.throws(thrower(new Error('hello world')), { message: /world/ }));
show('throws object regexp fail', () => assert.throws(thrower(new Error('hello world')), { message: /planet/, name: 'Error' }));
show('throws object missing', () => assert.throws(thrower(new Error('m')), { nope: undefined }));
show('throws object msg', () => assert.throws(thrower(new Error('m')), { message: 'n' }, 'custom msg'));
show('throws error instance', () => assert.throws(thrower(new TypeError('m')), new TypeError('m')));
show('throws error instance fail', () => assert.throws(thrower(new TypeError('m')), new RangeError('m')));
show('throws empty object', () => assert.throws(thrower(new Error('m')), {}));
show('throws primitive vs obj', () => assert.throws(thrower('str'), { message: 'x' }));
show('throws string msg', () => assert.throws(thrower(new Error('x')), 'just a message'));
show('throws ambiguous', () => assert.throws(thrower(new Error('same')), 'same'));
show('throws ambiguous prim', () => assert.throws(thrower('same'), 'same'));
show('throws string 4 args', () => assert.throws(thrower(new Error('x')), 'a', 'b'));
show('throws bad expected', () => assert.throws(thrower(new Error('x')), 5));
show('throws not fn', () => assert.throws('nope'));
show('throws nested object', () => assert.throws(thrower(Object.assign(new Error('m'), { info: { a: [1, 2] } })), { info: { a: [1, 3] } }));
show('doesNotThrow', () => assert.doesNotThrow(() => {}));
show('doesNotThrow throws', () => assert.doesNotThrow(thrower(new Error('oops'))));
show('doesNotThrow msg', () => assert.doesNotThrow(thrower(new Error('oops')), 'wanted none'));
show('doesNotThrow class match', () => assert.doesNotThrow(thrower(new TypeError('t')), TypeError));
show('doesNotThrow class mismatch', () => assert.doesNotThrow(thrower(new RangeError('r')), TypeError));
show('doesNotThrow regexp', () => assert.doesNotThrow(thrower(new Error('abc')), /b/, 'msg'));
show('doesNotThrow bad expected', () => assert.doesNotThrow(thrower(new Error('abc')), {}));
show('doesNotThrow non error', () => assert.doesNotThrow(thrower(undefined)));
show('doesNotThrow not fn', () => assert.doesNotThrow(1));
(async () => {
  async function ashow(label, fn) {
    try {
      await fn();
      console.log(`${label} -> passed`);
    } catch (e) {
      console.log(`${label} -> ${e.name} ${e.code} generated=${e.generatedMessage} operator=${e.operator}`);
      console.log(e.message);
    }
  }
  await ashow('rejects', () => assert.rejects(Promise.reject(new Error('r'))));
  await ashow('rejects fn', () => assert.rejects(async () => { throw new TypeError('t'); }, TypeError));
  await ashow('rejects resolves', () => assert.rejects(Promise.resolve(1)));
  await ashow('rejects resolves msg', () => assert.rejects(Promise.resolve(1), Error, 'expected rejection'));
  await ashow('rejects wrong', () => assert.rejects(Promise.reject(new RangeError('r')), TypeError));
  await ashow('rejects object', () => assert.rejects(Promise.reject(new Error('m')), { message: 'n' }));
  await ashow('rejects not promise fn', () => assert.rejects(() => 1));
  await ashow('rejects returns null', () => assert.rejects(() => null));
  await ashow('rejects returns obj', () => assert.rejects(() => ({})));
  await ashow('rejects bad arg', () => assert.rejects(1));
  await ashow('rejects thenable', () => assert.rejects({ then(a, b) { b(new Error('thenable')); }, catch() {} }));
  await ashow('rejects sync throw', () => assert.rejects(() => { throw new Error('sync'); }));
  await ashow('doesNotReject', () => assert.doesNotReject(Promise.resolve(1)));
  await ashow('doesNotReject rejects', () => assert.doesNotReject(Promise.reject(new Error('no'))));
  await ashow('doesNotReject fn', () => assert.doesNotReject(async () => { throw new Error('no2'); }, 'msg here'));
  await ashow('doesNotReject mismatch', () => assert.doesNotReject(Promise.reject(new RangeError('r')), TypeError));
  await ashow('doesNotReject bad', () => assert.doesNotReject('x'));
})();
