'use strict';
// Small web globals: structuredClone, performance, crypto, __return.

const {
  ArrayPrototypePush,
  NumberPrototypeToString,
  ObjectDefineProperties,
  ObjectDefineProperty,
  SafeArrayFilter,
  SafeArraySlice,
  SafeArraySplice,
  SymbolFor,
  SymbolIterator,
  SymbolToStringTag,
  TypeError,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag,
  Uint8Array,
} = require('primordials');
const errors = require('errors');
const customInspect = SymbolFor('nodejs.util.inspect.custom');

function domException(message, name) {
  const { DOMException } = require('dom_exception');
  return new DOMException(message, name);
}

// Runs one of the engine's serializations (structuredClone and __return
// happen inside the engine: guest code never hands a deserializer bytes of
// its own) and turns its DataCloneError into the DOMException Node throws.
function serializing(op, value) {
  try {
    return op(value);
  } catch (err) {
    throw cloneFailure(err);
  }
}

function structuredClone(value, options = undefined) {
  if (arguments.length === 0) {
    throw errors.makePlainError(TypeError, 'ERR_MISSING_ARGS', 'The value argument must be specified', structuredClone);
  }
  if (options !== undefined && options !== null) {
    if (typeof options !== 'object') throw errors.invalidArgType('options', 'Object', options, structuredClone);
    const transfer = options.transfer;
    if (transfer !== undefined && transfer !== null) {
      if (typeof transfer !== 'object' || typeof transfer[SymbolIterator] !== 'function') {
        throw errors.invalidArgType('options.transfer', 'Array', transfer, structuredClone);
      }
      // Read to the end, as Node does, through the list's own iterator.
      const it = transfer[SymbolIterator]();
      let count = 0;
      while (!it.next().done) count++;
      if (count !== 0) {
        throw domException('Transferring objects is not supported in this sandbox', 'DataCloneError');
      }
    }
  }
  return serializing(native.v8_structured_clone, value);
}

// What a failed serialization throws (bootstrap's __return calls the
// engine itself and comes here only when it fails).
function cloneFailure(err) {
  if (err !== null && typeof err === 'object' && err.name === 'DataCloneError') {
    return domException(err.message, 'DataCloneError');
  }
  return err;
}

// ---- performance ----

const frozen = config.timingFreeze === true;
const { bootNow: startNow, bootDate } = require('bootstrap');
const timeOrigin = bootDate - startNow;

function perfNow() {
  return frozen ? startNow : native.clock_now();
}

function invalidThis(type) {
  return errors.makeNodeError(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${type}`);
}

class PerformanceEntry {
  constructor(name, type, start, duration, detail) {
    ObjectDefineProperties(this, {
      __proto__: null,
      name: { __proto__: null, value: name, enumerable: true },
      entryType: { __proto__: null, value: type, enumerable: true },
      startTime: { __proto__: null, value: start, enumerable: true },
      duration: { __proto__: null, value: duration, enumerable: true },
      detail: { __proto__: null, value: detail === undefined ? null : detail, enumerable: true },
    });
  }
  toJSON() {
    return { name: this.name, entryType: this.entryType, startTime: this.startTime, duration: this.duration, detail: this.detail };
  }
}
// Explicit constructors (an implicit one spreads its arguments through
// Array.prototype[Symbol.iterator]); length 0 as before.
class PerformanceMark extends PerformanceEntry {
  constructor(name = undefined, type, start, duration, detail) { super(name, type, start, duration, detail); }
}
class PerformanceMeasure extends PerformanceEntry {
  constructor(name = undefined, type, start, duration, detail) { super(name, type, start, duration, detail); }
}

const entries = [];
// Node's default resource timing buffer: 250 entries.
let resourceLimit = 250;
let resourceCount = 0;
// perf_hooks' PerformanceObserver hears of each new entry through this.
let entryObserver = null;
exports.setEntryObserver = (fn) => { entryObserver = fn; };

class Performance {
  get timeOrigin() { return timeOrigin; }
  now() {
    if (this !== performance) throw invalidThis('Performance');
    return perfNow();
  }
  mark(name, options = undefined) {
    if (arguments.length === 0) throw errors.makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The "name" argument must be specified');
    const start = options?.startTime ?? perfNow();
    const mark = new PerformanceMark(`${name}`, 'mark', start, 0, structuredCloneOrNull(options?.detail));
    ArrayPrototypePush(entries, mark);
    if (entryObserver !== null) entryObserver(mark);
    return mark;
  }
  measure(name, startOrOptions = undefined, endMark = undefined) {
    let start = 0, end = perfNow(), detail = null;
    const lookup = (m) => {
      if (typeof m === 'number') return m;
      for (let i = entries.length - 1; i >= 0; i--) {
        if (entries[i].entryType === 'mark' && entries[i].name === m) return entries[i].startTime;
      }
      throw domException(`The "${m}" performance mark has not been set`, 'SyntaxError');
    };
    if (startOrOptions !== null && typeof startOrOptions === 'object') {
      if (startOrOptions.start !== undefined) start = lookup(startOrOptions.start);
      if (startOrOptions.end !== undefined) end = lookup(startOrOptions.end);
      else if (startOrOptions.duration !== undefined) end = start + startOrOptions.duration;
      detail = structuredCloneOrNull(startOrOptions.detail);
    } else if (startOrOptions !== undefined) {
      start = lookup(startOrOptions);
    }
    if (endMark !== undefined) end = lookup(endMark);
    const m = new PerformanceMeasure(`${name}`, 'measure', start, end - start, detail);
    ArrayPrototypePush(entries, m);
    if (entryObserver !== null) entryObserver(m);
    return m;
  }
  clearMarks(name = undefined) { clearEntries('mark', name); }
  clearMeasures(name = undefined) { clearEntries('measure', name); }
  clearResourceTimings(name = undefined) { clearEntries('resource', name); resourceCount = 0; }
  setResourceTimingBufferSize(maxSize) {
    require('errors').validateInteger(maxSize, 'maxSize', 0);
    resourceLimit = maxSize;
  }
  // What fetch reports of each response (Node's resource timing), up to
  // the buffer's size.
  markResourceTiming(timingInfo, requestedUrl, initiatorType, global, cacheMode) {
    if (resourceCount >= resourceLimit) return undefined;
    const start = typeof timingInfo?.startTime === 'number' ? timingInfo.startTime : perfNow();
    const end = typeof timingInfo?.endTime === 'number' ? timingInfo.endTime : start;
    const entry = new PerformanceEntry(`${requestedUrl}`, 'resource', start, end - start, null);
    ArrayPrototypePush(entries, entry);
    resourceCount++;
    if (entryObserver !== null) entryObserver(entry);
    return entry;
  }
  getEntries() { return SafeArraySlice(entries); }
  getEntriesByName(name, type = undefined) {
    return SafeArrayFilter(entries, (e) => e.name === `${name}` && (type === undefined || e.entryType === type));
  }
  getEntriesByType(type) { return SafeArrayFilter(entries, (e) => e.entryType === `${type}`); }
  toJSON() {
    return { timeOrigin, eventLoopUtilization: { idle: 0, active: 0, utilization: 0 } };
  }
  [customInspect](depth, opts) {
    if (typeof depth === 'number' && depth < 0) return this;
    return `Performance ${require('util').inspect({ timeOrigin }, opts)}`;
  }
}
ObjectDefineProperty(Performance.prototype, SymbolToStringTag, {
  __proto__: null, value: 'Performance', configurable: true,
});

function clearEntries(type, name) {
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].entryType === type && (name === undefined || entries[i].name === `${name}`)) {
      SafeArraySplice(entries, i, 1);
    }
  }
}

function structuredCloneOrNull(v) {
  return v === undefined ? null : structuredClone(v);
}

const performance = new Performance();

// ---- crypto ----


class Crypto {
  get subtle() {
    if (this !== crypto) throw invalidThis('Crypto');
    return require('webcrypto').subtle;
  }

  getRandomValues(data) {
    if (this !== crypto) throw invalidThis('Crypto');
    if (arguments.length < 1) {
      throw errors.makePlainError(TypeError, 'ERR_MISSING_ARGS',
        "Failed to execute 'getRandomValues' on 'Crypto': 1 argument required, but only 0 present.");
    }
    return getRandomValues(data);
  }

  randomUUID() {
    if (this !== crypto) throw invalidThis('Crypto');
    return randomUUID();
  }
}
ObjectDefineProperty(Crypto.prototype, SymbolToStringTag, { __proto__: null, value: 'Crypto', configurable: true });
errors.enumerableInOrder(Crypto.prototype, ['subtle', 'getRandomValues', 'randomUUID']);

// Also require('crypto').getRandomValues (no argument count check there).
function getRandomValues(data) {
  const tag = TypedArrayPrototypeGetSymbolToStringTag(data);
  if (tag === undefined || tag === 'Float32Array' || tag === 'Float64Array') {
    throw domException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
  }
  const byteLength = TypedArrayPrototypeGetByteLength(data);
  if (byteLength > 65536) {
    throw domException('The requested length exceeds 65,536 bytes', 'QuotaExceededError');
  }
  if (byteLength > 0) {
    const buffer = TypedArrayPrototypeGetBuffer(data);
    const view = new Uint8Array(buffer, TypedArrayPrototypeGetByteOffset(data), byteLength);
    require('ops').check(native.random_fill(view));
  }
  return data;
}

function randomUUID() {
  if (uuidPos + 16 > UUID_POOL_BYTES) {
    require('ops').check(native.random_fill(uuidPool));
    uuidPos = 0;
  }
  const b = uuidPool;
  const p = uuidPos;
  uuidPos += 16;
  b[p + 6] = (b[p + 6] & 0x0f) | 0x40;
  b[p + 8] = (b[p + 8] & 0x3f) | 0x80;
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += hexByte[b[p + i]];
  }
  return s;
}

const hexByte = [];
for (let i = 0; i < 256; i++) hexByte[i] = (i < 16 ? '0' : '') + NumberPrototypeToString(i, 16);
const UUID_POOL_BYTES = 16 * 64;
const uuidPool = new Uint8Array(UUID_POOL_BYTES);
let uuidPos = UUID_POOL_BYTES;

const crypto = new Crypto();

exports.structuredClone = structuredClone;
exports.cloneFailure = cloneFailure;
exports.performance = performance;
exports.Performance = Performance;
exports.PerformanceEntry = PerformanceEntry;
exports.PerformanceMark = PerformanceMark;
exports.PerformanceMeasure = PerformanceMeasure;
exports.crypto = crypto;
exports.Crypto = Crypto;
exports.getRandomValues = getRandomValues;
exports.randomUUID = randomUUID;
