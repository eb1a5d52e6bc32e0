'use strict';
// Node-style coded errors: `TypeError [CODE]: msg` in the stack, own
// enumerable `code`, internal frames hidden above the public API function.

const {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  Error,
  ErrorCaptureStackTrace,
  MathAbs,
  NumberIsInteger,
  NumberMAX_SAFE_INTEGER,
  NumberMIN_SAFE_INTEGER,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectSetPrototypeOf,
  RangeError,
  RegExpPrototypeExec,
  SafeArraySlice,
  SafeArraySplice,
  String,
  Symbol,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  TypeError,
} = require('primordials');

function makeNodeError(Base, code, message, hideFrom) {
  const err = new Base(message);
  // The stack header is rendered on first access; give it the code meanwhile.
  ObjectDefineProperty(err, 'name', {
    __proto__: null, value: `${err.name} [${code}]`, configurable: true, writable: true, enumerable: false,
  });
  if (typeof hideFrom === 'function') ErrorCaptureStackTrace(err, hideFrom);
  void err.stack;
  delete err.name;
  ObjectDefineProperty(err, 'toString', {
    __proto__: null,
    value() { return `${this.name} [${code}]: ${this.message}`; },
    enumerable: false, writable: true, configurable: true,
  });
  defineCode(err, code);
  return err;
}

// Own, enumerable, writable: what `err.code = code` gives, without a setter
// a guest may have put on Object.prototype.
function defineCode(err, code) {
  ObjectDefineProperty(err, 'code', {
    __proto__: null, value: code, writable: true, enumerable: true, configurable: true,
  });
}

// Errors Node raises from C++: plain `TypeError: msg` header plus a code.
function makePlainError(Base, code, message, hideFrom) {
  const err = new Base(message);
  if (typeof hideFrom === 'function') ErrorCaptureStackTrace(err, hideFrom);
  defineCode(err, code);
  return err;
}

const kTypes = ['string', 'function', 'number', 'object', 'Function', 'Object', 'boolean', 'bigint', 'symbol'];
const classRegExp = /^([A-Z][a-z0-9]*)+$/;

function determineSpecificType(value) {
  if (value == null) return '' + value;
  if (typeof value === 'function') return `function ${value.name}`;
  const { inspect } = require('util');
  if (typeof value === 'object') {
    if (value.constructor && value.constructor.name) return `an instance of ${value.constructor.name}`;
    return `${inspect(value, { depth: -1 })}`;
  }
  let inspected;
  if (typeof value === 'string' && value.length > 28) {
    inspected = inspect(`${StringPrototypeSlice(value, 0, 25)}...`, { colors: false });
  } else {
    inspected = inspect(value, { colors: false });
    if (inspected.length > 28) inspected = `${StringPrototypeSlice(inspected, 0, 25)}...`;
  }
  return `type ${typeof value} (${inspected})`;
}

// "a, b, or c" (with `word` = 'or').
function formatList(list, word) {
  if (list.length > 2) {
    return `${ArrayPrototypeJoin(SafeArraySlice(list, 0, -1), ', ')}, ${word} ${list[list.length - 1]}`;
  }
  if (list.length === 2) return `${list[0]} ${word} ${list[1]}`;
  return list[0];
}

function invalidArgTypeMessage(name, expected, actual) {
  if (!ArrayIsArray(expected)) expected = [expected];
  let msg = 'The ';
  if (StringPrototypeEndsWith(name, ' argument')) msg += `${name} `;
  else msg += `"${name}" ${StringPrototypeIncludes(name, '.') ? 'property' : 'argument'} `;
  msg += 'must be ';
  const types = [], instances = [], other = [];
  for (let i = 0; i < expected.length; i++) {
    const value = expected[i];
    if (ArrayPrototypeIncludes(kTypes, value)) ArrayPrototypePush(types, StringPrototypeToLowerCase(value));
    else if (RegExpPrototypeExec(classRegExp, value) !== null) ArrayPrototypePush(instances, value);
    else ArrayPrototypePush(other, value);
  }
  if (instances.length > 0) {
    const pos = ArrayPrototypeIndexOf(types, 'object');
    if (pos !== -1) {
      SafeArraySplice(types, pos, 1);
      ArrayPrototypePush(instances, 'Object');
    }
  }
  if (types.length > 0) {
    if (types.length > 1) msg += `one of type ${formatList(types, 'or')}`;
    else msg += `of type ${types[0]}`;
    if (instances.length > 0 || other.length > 0) msg += ' or ';
  }
  if (instances.length > 0) {
    msg += `an instance of ${formatList(instances, 'or')}`;
    if (other.length > 0) msg += ' or ';
  }
  if (other.length > 0) {
    if (other.length > 1) msg += `one of ${formatList(other, 'or')}`;
    else {
      if (StringPrototypeToLowerCase(other[0]) !== other[0]) msg += 'an ';
      msg += `${other[0]}`;
    }
  }
  return msg + `. Received ${determineSpecificType(actual)}`;
}

function invalidArgType(name, expected, actual, hideFrom) {
  return makeNodeError(TypeError, 'ERR_INVALID_ARG_TYPE', invalidArgTypeMessage(name, expected, actual), hideFrom);
}

function outOfRange(name, range, received, hideFrom) {
  let r;
  if (NumberIsInteger(received) && MathAbs(received) > 2 ** 32) {
    r = addUnderscores(String(received));
  } else if (typeof received === 'bigint') {
    r = String(received);
    if (received > 2n ** 32n || received < -(2n ** 32n)) r = addUnderscores(r);
    r += 'n';
  } else {
    r = require('util').inspect(received);
  }
  return makeNodeError(RangeError, 'ERR_OUT_OF_RANGE',
    `The value of "${name}" is out of range. It must be ${range}. Received ${r}`, hideFrom);
}

function addUnderscores(val) {
  let res = '';
  let i = val.length;
  const start = val[0] === '-' ? 1 : 0;
  for (; i >= start + 4; i -= 3) res = `_${StringPrototypeSlice(val, i - 3, i)}${res}`;
  return `${StringPrototypeSlice(val, 0, i)}${res}`;
}

function validateFunction(value, name, hideFrom) {
  if (typeof value !== 'function') throw invalidArgType(name, 'Function', value, hideFrom);
}

function validateInteger(value, name, min = NumberMIN_SAFE_INTEGER, max = NumberMAX_SAFE_INTEGER, hideFrom) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value, hideFrom);
  if (!NumberIsInteger(value)) throw outOfRange(name, 'an integer', value, hideFrom);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value, hideFrom);
}

function validateString(value, name, hideFrom) {
  if (typeof value !== 'string') throw invalidArgType(name, 'string', value, hideFrom);
}

function validateInt32(value, name, min = -2147483648, hideFrom) {
  validateInteger(value, name, min, 2147483647, hideFrom);
}

function validateObject(value, name, hideFrom) {
  if (value === null || typeof value !== 'object' || ArrayIsArray(value)) {
    throw invalidArgType(name, 'Object', value, hideFrom);
  }
}

function validateAbortSignal(signal, name, hideFrom) {
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw invalidArgType(name, 'AbortSignal', signal, hideFrom);
  }
}

// Re-adds the given prototype members, enumerable, in Node's key order.
function enumerableInOrder(proto, keys) {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const desc = ObjectGetOwnPropertyDescriptor(proto, key);
    ObjectSetPrototypeOf(desc, null);
    delete proto[key];
    desc.enumerable = true;
    ObjectDefineProperty(proto, key, desc);
  }
}

// Node's AbortError (what aborted operations reject with).
class AbortError extends Error {
  constructor(message = 'The operation was aborted', options = undefined) {
    super(message, options);
    defineCode(this, 'ABORT_ERR');
    this.name = 'AbortError';
  }
}

// A function an error may carry to extend its stack before a fatal
// exception prints it (an unhandled 'error' event says where it was emitted).
const kEnhanceStackBeforeInspector = Symbol('kEnhanceStackBeforeInspector');

exports.AbortError = AbortError;
exports.kEnhanceStackBeforeInspector = kEnhanceStackBeforeInspector;
exports.defineCode = defineCode;
exports.enumerableInOrder = enumerableInOrder;
exports.makeNodeError = makeNodeError;
exports.makePlainError = makePlainError;
exports.invalidArgType = invalidArgType;
exports.invalidArgTypeMessage = invalidArgTypeMessage;
exports.outOfRange = outOfRange;
exports.validateFunction = validateFunction;
exports.validateInteger = validateInteger;
exports.validateInt32 = validateInt32;
exports.validateString = validateString;
exports.validateObject = validateObject;
exports.validateAbortSignal = validateAbortSignal;
exports.determineSpecificType = determineSpecificType;
exports.formatList = formatList;
