'use strict';
// require('punycode'): the deprecated module (RFC 3492 Punycode and the
// IDNA label mapping of punycode.js 2.1.0, which Node 20 bundles). Node 20
// warns about it (DEP0040) only under --pending-deprecation.

const {
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  MathFloor,
  RangeError,
  RegExpPrototypeExec,
  SafeArraySplice,
  SafeRegExpReplaceAll,
  StringFromCharCode,
  StringFromCodePoint,
  StringPrototypeCharCodeAt,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeToLowerCase,
} = require('primordials');

const maxInt = 2147483647;
const base = 36;
const tMin = 1;
const tMax = 26;
const skew = 38;
const damp = 700;
const initialBias = 72;
const initialN = 128;
const regexPunycode = /^xn--/;
const regexNonASCII = /[^\0-\x7F]/;
const regexSeparators = /[\x2E\u3002\uFF0E\uFF61]/g;
const messages = {
  __proto__: null,
  'overflow': 'Overflow: input needs wider integers to process',
  'not-basic': 'Illegal input >= 0x80 (not a basic code point)',
  'invalid-input': 'Invalid input',
};

function error(type) {
  throw new RangeError(messages[type]);
}

// Each label of a domain (after any 'local@' part) through `fn`.
function mapDomain(domain, fn) {
  const parts = StringPrototypeSplit(domain, '@');
  let result = '';
  if (parts.length > 1) {
    result = parts[0] + '@';
    domain = parts[1];
  }
  const labels = StringPrototypeSplit(SafeRegExpReplaceAll(regexSeparators, domain, '.'), '.');
  const out = [];
  for (let i = labels.length - 1; i >= 0; i--) out[i] = fn(labels[i]);
  return result + ArrayPrototypeJoin(out, '.');
}

// Code points of a string (unpaired surrogates kept as they are).
function ucs2decode(string) {
  const output = [];
  let counter = 0;
  const length = string.length;
  while (counter < length) {
    const value = StringPrototypeCharCodeAt(string, counter++);
    if (value >= 0xD800 && value <= 0xDBFF && counter < length) {
      const extra = StringPrototypeCharCodeAt(string, counter++);
      if ((extra & 0xFC00) === 0xDC00) {
        ArrayPrototypePush(output, ((value & 0x3FF) << 10) + (extra & 0x3FF) + 0x10000);
      } else {
        ArrayPrototypePush(output, value);
        counter--;
      }
    } else {
      ArrayPrototypePush(output, value);
    }
  }
  return output;
}

function ucs2encode(codePoints) {
  let out = '';
  for (let i = 0; i < codePoints.length; i++) out += StringFromCodePoint(codePoints[i]);
  return out;
}

function basicToDigit(codePoint) {
  if (codePoint >= 0x30 && codePoint < 0x3A) return 26 + (codePoint - 0x30);
  if (codePoint >= 0x41 && codePoint < 0x5B) return codePoint - 0x41;
  if (codePoint >= 0x61 && codePoint < 0x7B) return codePoint - 0x61;
  return base;
}

// a-z for 0-25, 0-9 for 26-35 (upper case when `flag`).
function digitToBasic(digit, flag) {
  return digit + 22 + 75 * (digit < 26) - ((flag !== 0) << 5);
}

function adapt(delta, numPoints, firstTime) {
  let k = 0;
  delta = firstTime ? MathFloor(delta / damp) : delta >> 1;
  delta += MathFloor(delta / numPoints);
  for (; delta > ((base - tMin) * tMax) >> 1; k += base) delta = MathFloor(delta / (base - tMin));
  return MathFloor(k + ((base - tMin + 1) * delta) / (delta + skew));
}

function decode(input) {
  const output = [];
  const inputLength = input.length;
  let i = 0;
  let n = initialN;
  let bias = initialBias;
  let basic = StringPrototypeLastIndexOf(input, '-');
  if (basic < 0) basic = 0;
  for (let j = 0; j < basic; ++j) {
    if (StringPrototypeCharCodeAt(input, j) >= 0x80) error('not-basic');
    ArrayPrototypePush(output, StringPrototypeCharCodeAt(input, j));
  }
  for (let index = basic > 0 ? basic + 1 : 0; index < inputLength;) {
    const oldi = i;
    for (let w = 1, k = base; ; k += base) {
      if (index >= inputLength) error('invalid-input');
      const digit = basicToDigit(StringPrototypeCharCodeAt(input, index++));
      if (digit >= base) error('invalid-input');
      if (digit > MathFloor((maxInt - i) / w)) error('overflow');
      i += digit * w;
      const t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias);
      if (digit < t) break;
      const baseMinusT = base - t;
      if (w > MathFloor(maxInt / baseMinusT)) error('overflow');
      w *= baseMinusT;
    }
    const out = output.length + 1;
    bias = adapt(i - oldi, out, oldi === 0);
    if (MathFloor(i / out) > maxInt - n) error('overflow');
    n += MathFloor(i / out);
    i %= out;
    SafeArraySplice(output, i++, 0, n);
  }
  return ucs2encode(output);
}

function encode(input) {
  const output = [];
  input = ucs2decode(input);
  const inputLength = input.length;
  let n = initialN;
  let delta = 0;
  let bias = initialBias;
  for (let j = 0; j < inputLength; j++) {
    if (input[j] < 0x80) ArrayPrototypePush(output, StringFromCharCode(input[j]));
  }
  const basicLength = output.length;
  let handledCPCount = basicLength;
  if (basicLength) ArrayPrototypePush(output, '-');
  while (handledCPCount < inputLength) {
    // The smallest code point not handled yet.
    let m = maxInt;
    for (let j = 0; j < inputLength; j++) {
      if (input[j] >= n && input[j] < m) m = input[j];
    }
    const handledCPCountPlusOne = handledCPCount + 1;
    if (m - n > MathFloor((maxInt - delta) / handledCPCountPlusOne)) error('overflow');
    delta += (m - n) * handledCPCountPlusOne;
    n = m;
    for (let j = 0; j < inputLength; j++) {
      const currentValue = input[j];
      if (currentValue < n && ++delta > maxInt) error('overflow');
      if (currentValue === n) {
        let q = delta;
        for (let k = base; ; k += base) {
          const t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias);
          if (q < t) break;
          const qMinusT = q - t;
          const baseMinusT = base - t;
          ArrayPrototypePush(output, StringFromCharCode(digitToBasic(t + (qMinusT % baseMinusT), 0)));
          q = MathFloor(qMinusT / baseMinusT);
        }
        ArrayPrototypePush(output, StringFromCharCode(digitToBasic(q, 0)));
        bias = adapt(delta, handledCPCountPlusOne, handledCPCount === basicLength);
        delta = 0;
        ++handledCPCount;
      }
    }
    ++delta;
    ++n;
  }
  return ArrayPrototypeJoin(output, '');
}

function toUnicode(input) {
  return mapDomain(input, (string) => (RegExpPrototypeExec(regexPunycode, string) !== null
    ? decode(StringPrototypeToLowerCase(StringPrototypeSlice(string, 4))) : string));
}

function toASCII(input) {
  return mapDomain(input, (string) => (RegExpPrototypeExec(regexNonASCII, string) !== null
    ? 'xn--' + encode(string) : string));
}

exports.punycode = {
  version: '2.1.0',
  ucs2: { decode: ucs2decode, encode: ucs2encode },
  decode,
  encode,
  toASCII,
  toUnicode,
};
