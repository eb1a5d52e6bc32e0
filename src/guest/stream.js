'use strict';
// require('stream'): Node's streams as readable-stream publishes them (the
// `rs/*` modules, see vendor.rs), with what Node 20.20 has beyond the
// release that package follows (18.19): stream.duplexPair,
// _isArrayBufferView, and Writable's Symbol.asyncDispose.

const {
  ArrayBufferIsView,
  ArrayPrototypeIndexOf,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectKeys,
  ObjectSetPrototypeOf,
  Promise,
  SafeArraySlice,
  Symbol,
  SymbolAsyncDispose,
} = require('primordials');
const { nextTick } = require('timers');

const Stream = require('rs/stream');
const { Duplex, Writable, finished } = Stream;
const { AbortError } = require('stream_shims').errors;

const kOtherSide = Symbol('kOtherSide');
const kCallback = Symbol('kCallback');

// One end of a duplexPair: what is written to it is read from the other.
class DuplexSide extends Duplex {
  constructor(options) {
    super(options);
    this[kOtherSide] = null;
    this[kCallback] = null;
  }

  _read() {
    const callback = this[kCallback];
    if (callback) {
      this[kCallback] = null;
      callback();
    }
  }

  _write(chunk, encoding, callback) {
    if (chunk.length === 0) {
      nextTick(callback);
    } else {
      this[kOtherSide].push(chunk);
      this[kOtherSide][kCallback] = callback;
    }
  }

  _final(callback) {
    this[kOtherSide].on('end', callback);
    this[kOtherSide].push(null);
  }
}

function duplexPair(options) {
  const side0 = new DuplexSide(options);
  const side1 = new DuplexSide(options);
  side0[kOtherSide] = side1;
  side1[kOtherSide] = side0;
  return [side0, side1];
}

ObjectDefineProperty(Writable.prototype, SymbolAsyncDispose, {
  __proto__: null,
  configurable: true,
  writable: true,
  value: function() {
    let error;
    if (!this.destroyed) {
      error = this.writableFinished ? null : new AbortError();
      this.destroy(error);
    }
    return new Promise((resolve, reject) => {
      finished(this, (err) => (err && err !== error ? reject(err) : resolve(null)));
    });
  },
});

// Adds `name` to `obj` just after `after`, keeping Node's key order.
function insertAfter(obj, after, name, value) {
  const keys = ObjectKeys(obj);
  const rest = SafeArraySlice(keys, ArrayPrototypeIndexOf(keys, after) + 1);
  const descs = [];
  for (let i = 0; i < rest.length; i++) {
    descs[i] = ObjectGetOwnPropertyDescriptor(obj, rest[i]);
    ObjectSetPrototypeOf(descs[i], null);
    delete obj[rest[i]];
  }
  ObjectDefineProperty(obj, name, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
  for (let i = 0; i < rest.length; i++) ObjectDefineProperty(obj, rest[i], descs[i]);
}

insertAfter(Stream, 'PassThrough', 'duplexPair', duplexPair);
insertAfter(Stream, 'Stream', '_isArrayBufferView', ArrayBufferIsView);

exports.Stream = Stream;
