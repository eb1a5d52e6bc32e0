'use strict';
// Node-style coded errors: `TypeError [CODE]: msg` in the stack, own
// enumerable `code`, internal frames hidden above the public API function.

function makeNodeError(Base, code, message, hideFrom) {
  const err = new Base(message);
  // The stack header is rendered on first access; give it the code meanwhile.
  Object.defineProperty(err, 'name', {
    value: `${err.name} [${code}]`, configurable: true, writable: true, enumerable: false,
  });
  if (typeof hideFrom === 'function' && typeof Error.captureStackTrace === 'function') {
    Error.captureStackTrace(err, hideFrom);
  }
  void err.stack;
  delete err.name;
  Object.defineProperty(err, 'toString', {
    value() { return `${this.name} [${code}]: ${this.message}`; },
    enumerable: false, writable: true, configurable: true,
  });
  err.code = code;
  return err;
}

// Errors Node raises from C++: plain `TypeError: msg` header plus a code.
function makePlainError(Base, code, message, hideFrom) {
  const err = new Base(message);
  if (typeof hideFrom === 'function' && typeof Error.captureStackTrace === 'function') {
    Error.captureStackTrace(err, hideFrom);
  }
  err.code = code;
  return err;
}

const kTypes = ['string', 'function', 'number', 'object', 'Function', 'Object', 'boolean', 'bigint', 'symbol'];
const classRegExp = /^([A-Z][a-z0-9]*)+$/;

function determineSpecificType(value) {
  if (value == null) return '' + value;
  if (typeof value === 'function' && value.name) return `function ${value.name}`;
  const { inspect } = require('util');
  if (typeof value === 'object') {
    if (value.constructor && value.constructor.name) return `an instance of ${value.constructor.name}`;
    return `${inspect(value, { depth: -1 })}`;
  }
  let inspected;
  if (typeof value === 'string' && value.length > 28) {
    inspected = inspect(`${value.slice(0, 25)}...`, { colors: false });
  } else {
    inspected = inspect(value, { colors: false });
    if (inspected.length > 28) inspected = `${inspected.slice(0, 25)}...`;
  }
  return `type ${typeof value} (${inspected})`;
}

function formatList(list, word) {
  if (list.length > 2) return `${list.slice(0, -1).join(', ')}, ${word} ${list[list.length - 1]}`;
  if (list.length === 2) return `${list[0]} ${word} ${list[1]}`;
  return list[0];
}

function invalidArgTypeMessage(name, expected, actual) {
  if (!Array.isArray(expected)) expected = [expected];
  let msg = 'The ';
  if (name.endsWith(' argument')) msg += `${name} `;
  else msg += `"${name}" ${name.includes('.') ? 'property' : 'argument'} `;
  msg += 'must be ';
  const types = [], instances = [], other = [];
  for (const value of expected) {
    if (kTypes.includes(value)) types.push(value.toLowerCase());
    else if (classRegExp.test(value)) instances.push(value);
    else other.push(value);
  }
  if (instances.length > 0) {
    const pos = types.indexOf('object');
    if (pos !== -1) { types.splice(pos, 1); instances.push('Object'); }
  }
  if (types.length > 0) {
    if (types.length > 2) msg += `one of type ${types.slice(0, -1).join(', ')}, or ${types[types.length - 1]}`;
    else if (types.length === 2) msg += `one of type ${types[0]} or ${types[1]}`;
    else msg += `of type ${types[0]}`;
    if (instances.length > 0 || other.length > 0) msg += ' or ';
  }
  if (instances.length > 0) {
    if (instances.length > 2) msg += `an instance of ${instances.slice(0, -1).join(', ')}, or ${instances[instances.length - 1]}`;
    else {
      msg += `an instance of ${instances[0]}`;
      if (instances.length === 2) msg += ` or ${instances[1]}`;
    }
    if (other.length > 0) msg += ' or ';
  }
  if (other.length > 0) {
    if (other.length > 2) msg += `one of ${other.slice(0, -1).join(', ')}, or ${other[other.length - 1]}`;
    else if (other.length === 2) msg += `one of ${other[0]} or ${other[1]}`;
    else {
      if (other[0].toLowerCase() !== other[0]) msg += 'an ';
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
  if (Number.isInteger(received) && Math.abs(received) > 2 ** 32) {
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
  for (; i >= start + 4; i -= 3) res = `_${val.slice(i - 3, i)}${res}`;
  return `${val.slice(0, i)}${res}`;
}

function validateFunction(value, name, hideFrom) {
  if (typeof value !== 'function') throw invalidArgType(name, 'Function', value, hideFrom);
}

function validateInteger(value, name, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER, hideFrom) {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value, hideFrom);
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value, hideFrom);
  if (value < min || value > max) throw outOfRange(name, `>= ${min} && <= ${max}`, value, hideFrom);
}

function validateObject(value, name, hideFrom) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
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
  for (const key of keys) {
    const desc = Object.getOwnPropertyDescriptor(proto, key);
    delete proto[key];
    desc.enumerable = true;
    Object.defineProperty(proto, key, desc);
  }
}

exports.enumerableInOrder = enumerableInOrder;
exports.makeNodeError = makeNodeError;
exports.makePlainError = makePlainError;
exports.invalidArgType = invalidArgType;
exports.invalidArgTypeMessage = invalidArgTypeMessage;
exports.outOfRange = outOfRange;
exports.validateFunction = validateFunction;
exports.validateInteger = validateInteger;
exports.validateObject = validateObject;
exports.validateAbortSignal = validateAbortSignal;
exports.determineSpecificType = determineSpecificType;
exports.formatList = formatList;
