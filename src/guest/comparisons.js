'use strict';
// Deep equality as Node 20 decides it (assert.deepEqual/deepStrictEqual,
// util.isDeepStrictEqual): strict mode compares prototypes, Symbol keys and
// uses Object.is for primitives; loose mode uses == for primitives. Both
// compare Map/Set contents whatever their order, Dates by time, RegExps by
// source, flags and lastIndex, boxed primitives by value, typed arrays by
// bytes, errors by name and message too, and stop on cycles.

const {
  ArrayIsArray,
  ArrayPrototypePush,
  BigIntPrototypeValueOf,
  BooleanPrototypeValueOf,
  DataViewPrototypeGetBuffer,
  DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset,
  DatePrototypeGetTime,
  Error,
  MapIteratorPrototypeNext,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeHas,
  NumberIsNaN,
  NumberPrototypeValueOf,
  ObjectGetOwnPropertySymbols,
  ObjectGetPrototypeOf,
  ObjectIs,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  ObjectPrototypePropertyIsEnumerable,
  ObjectPrototypeToString,
  ReflectOwnKeys,
  Set,
  SetIteratorPrototypeNext,
  SetPrototypeAdd,
  SetPrototypeDelete,
  SetPrototypeGetSize,
  SetPrototypeHas,
  SetPrototypeValues,
  StringPrototypeCharCodeAt,
  StringPrototypeValueOf,
  SymbolPrototypeValueOf,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  Uint8Array,
} = require('primordials');

const types = require('util').types;
const {
  isAnyArrayBuffer, isArrayBufferView, isBoxedPrimitive, isDate, isMap, isNativeError, isRegExp, isSet,
  isNumberObject, isStringObject, isBooleanObject, isBigIntObject, isFloat32Array, isFloat64Array,
} = types;

const kNoIterator = 0;
const kIsArray = 1;
const kIsSet = 2;
const kIsMap = 3;

function isIndex(key) {
  if (key.length === 0 || key.length > 10) return false;
  // A canonical array index: digits, no leading zero (but "0"), below 2**32 - 1.
  if (key.length > 1 && StringPrototypeCharCodeAt(key, 0) === 48) return false;
  let n = 0;
  for (let i = 0; i < key.length; i++) {
    const c = StringPrototypeCharCodeAt(key, i);
    if (c < 48 || c > 57) return false;
    n = n * 10 + (c - 48);
  }
  return n < 4294967295;
}

// Own enumerable keys that are not array indices (symbols only in strict
// mode), as Node's getOwnNonIndexProperties gives them.
function nonIndexKeys(value, strict) {
  const all = ReflectOwnKeys(value);
  const out = [];
  for (let i = 0; i < all.length; i++) {
    const key = all[i];
    if (typeof key === 'symbol') {
      if (!strict) continue;
    } else if (isIndex(key)) {
      continue;
    }
    if (ObjectPrototypePropertyIsEnumerable(value, key)) ArrayPrototypePush(out, key);
  }
  return out;
}

function bytesOf(view) {
  if (TypedArrayPrototypeGetSymbolToStringTag(view) !== undefined) {
    return new Uint8Array(TypedArrayPrototypeGetBuffer(view), TypedArrayPrototypeGetByteOffset(view),
      TypedArrayPrototypeGetByteLength(view));
  }
  return new Uint8Array(DataViewPrototypeGetBuffer(view), DataViewPrototypeGetByteOffset(view),
    DataViewPrototypeGetByteLength(view));
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}

// Loose mode compares float arrays element by element (so 0 equals -0 and
// NaN does not equal NaN); everything else byte by byte.
function sameFloats(a, b) {
  if (TypedArrayPrototypeGetByteLength(a) !== TypedArrayPrototypeGetByteLength(b)) return false;
  for (let i = 0; i < TypedArrayPrototypeGetLength(a); i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}

function sameBoxed(a, b) {
  if (isNumberObject(a)) return isNumberObject(b) && ObjectIs(NumberPrototypeValueOf(a), NumberPrototypeValueOf(b));
  if (isStringObject(a)) return isStringObject(b) && StringPrototypeValueOf(a) === StringPrototypeValueOf(b);
  if (isBooleanObject(a)) return isBooleanObject(b) && BooleanPrototypeValueOf(a) === BooleanPrototypeValueOf(b);
  if (isBigIntObject(a)) return isBigIntObject(b) && BigIntPrototypeValueOf(a) === BigIntPrototypeValueOf(b);
  return types.isSymbolObject(b) && SymbolPrototypeValueOf(a) === SymbolPrototypeValueOf(b);
}

function isErrorLike(v) {
  return isNativeError(v) || v instanceof Error;
}

function innerDeepEqual(a, b, strict, memos) {
  if (a === b) return a !== 0 || ObjectIs(a, b) || !strict;
  if (strict) {
    if (typeof a === 'number') return NumberIsNaN(a) && NumberIsNaN(b);
    if (typeof b !== 'object' || typeof a !== 'object' || a === null || b === null ||
        ObjectGetPrototypeOf(a) !== ObjectGetPrototypeOf(b)) {
      return false;
    }
  } else {
    if (a === null || typeof a !== 'object') {
      if (b === null || typeof b !== 'object') {
        // eslint-disable-next-line eqeqeq
        return a == b || (NumberIsNaN(a) && NumberIsNaN(b));
      }
      return false;
    }
    if (b === null || typeof b !== 'object') return false;
  }
  const tag = ObjectPrototypeToString(a);
  if (tag !== ObjectPrototypeToString(b)) return false;

  if (ArrayIsArray(a)) {
    if (!ArrayIsArray(b) || a.length !== b.length) return false;
    const keysA = nonIndexKeys(a, strict);
    if (keysA.length !== nonIndexKeys(b, strict).length) return false;
    return keyCheck(a, b, strict, memos, kIsArray, keysA);
  }
  if (tag === '[object Object]') return keyCheck(a, b, strict, memos, kNoIterator);
  if (isDate(a)) {
    if (!isDate(b) || DatePrototypeGetTime(a) !== DatePrototypeGetTime(b)) return false;
  } else if (isRegExp(a)) {
    if (!isRegExp(b) || a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) return false;
  } else if (isArrayBufferView(a)) {
    if (TypedArrayPrototypeGetSymbolToStringTag(a) !== TypedArrayPrototypeGetSymbolToStringTag(b)) return false;
    if (!strict && (isFloat32Array(a) || isFloat64Array(a))) {
      if (!sameFloats(a, b)) return false;
    } else if (!isArrayBufferView(b) || !sameBytes(bytesOf(a), bytesOf(b))) {
      return false;
    }
    const keysA = nonIndexKeys(a, strict);
    if (keysA.length !== nonIndexKeys(b, strict).length) return false;
    return keyCheck(a, b, strict, memos, kNoIterator, keysA);
  } else if (isSet(a)) {
    if (!isSet(b) || SetPrototypeGetSize(a) !== SetPrototypeGetSize(b)) return false;
    return keyCheck(a, b, strict, memos, kIsSet);
  } else if (isMap(a)) {
    if (!isMap(b) || MapPrototypeGetSize(a) !== MapPrototypeGetSize(b)) return false;
    return keyCheck(a, b, strict, memos, kIsMap);
  } else if (isAnyArrayBuffer(a)) {
    if (!isAnyArrayBuffer(b) || !sameBytes(new Uint8Array(a), new Uint8Array(b))) return false;
  } else if (isErrorLike(a)) {
    // The stack is left out: it differs between otherwise equal errors.
    if (!isErrorLike(b)) return false;
    const msgEnum = ObjectPrototypePropertyIsEnumerable(a, 'message');
    const nameEnum = ObjectPrototypePropertyIsEnumerable(a, 'name');
    const causeEnum = ObjectPrototypePropertyIsEnumerable(a, 'cause');
    const errorsEnum = ObjectPrototypePropertyIsEnumerable(a, 'errors');
    if (msgEnum !== ObjectPrototypePropertyIsEnumerable(b, 'message') || (!msgEnum && a.message !== b.message) ||
        nameEnum !== ObjectPrototypePropertyIsEnumerable(b, 'name') || (!nameEnum && a.name !== b.name) ||
        causeEnum !== ObjectPrototypePropertyIsEnumerable(b, 'cause') ||
        (!causeEnum && !innerDeepEqual(a.cause, b.cause, strict, memos)) ||
        errorsEnum !== ObjectPrototypePropertyIsEnumerable(b, 'errors') ||
        (!errorsEnum && !innerDeepEqual(a.errors, b.errors, strict, memos))) {
      return false;
    }
  } else if (isBoxedPrimitive(a)) {
    if (!sameBoxed(a, b)) return false;
  } else if (ArrayIsArray(b) || isArrayBufferView(b) || isSet(b) || isMap(b) || isDate(b) || isRegExp(b) ||
             isAnyArrayBuffer(b) || isBoxedPrimitive(b) || isErrorLike(b)) {
    return false;
  } else {
    const { isURL } = require('url');
    if (isURL(a) && (!isURL(b) || a.href !== b.href)) return false;
  }
  return keyCheck(a, b, strict, memos, kNoIterator);
}

function keyCheck(a, b, strict, memos, iterationType, keysA) {
  const arrayLike = keysA !== undefined;
  if (keysA === undefined) keysA = ObjectKeys(a);
  for (let i = 0; i < keysA.length; i++) {
    if (!ObjectPrototypePropertyIsEnumerable(b, keysA[i])) return false;
  }
  if (!arrayLike) {
    if (keysA.length !== ObjectKeys(b).length) return false;
    if (strict) {
      const symbolsA = ObjectGetOwnPropertySymbols(a);
      let count = 0;
      for (let i = 0; i < symbolsA.length; i++) {
        const key = symbolsA[i];
        if (ObjectPrototypePropertyIsEnumerable(a, key)) {
          if (!ObjectPrototypePropertyIsEnumerable(b, key)) return false;
          ArrayPrototypePush(keysA, key);
          count++;
        } else if (ObjectPrototypePropertyIsEnumerable(b, key)) {
          return false;
        }
      }
      const symbolsB = ObjectGetOwnPropertySymbols(b);
      if (symbolsA.length !== symbolsB.length || symbolsA.length === 0) {
        let enumerableB = 0;
        for (let i = 0; i < symbolsB.length; i++) {
          if (ObjectPrototypePropertyIsEnumerable(b, symbolsB[i])) enumerableB++;
        }
        if (enumerableB !== count) return false;
      }
    }
  }
  if (keysA.length === 0 &&
      (iterationType === kNoIterator || (iterationType === kIsArray && a.length === 0) ||
       (iterationType === kIsSet && SetPrototypeGetSize(a) === 0) ||
       (iterationType === kIsMap && MapPrototypeGetSize(a) === 0))) {
    return true;
  }

  // Cycles: the pairs being compared on the way down. The first two levels
  // need no set.
  if (memos === undefined) {
    memos = { __proto__: null, set: undefined, a, b, c: undefined, d: undefined, deep: false, deleteFailures: false };
    return objEquiv(a, b, strict, keysA, memos, iterationType);
  }
  if (memos.set === undefined) {
    if (memos.deep === false) {
      if (memos.a === a && memos.b === b) return true;
      memos.c = a;
      memos.d = b;
      memos.deep = true;
      const result = objEquiv(a, b, strict, keysA, memos, iterationType);
      memos.deep = false;
      return result;
    }
    memos.set = new Set();
    SetPrototypeAdd(memos.set, memos.a);
    SetPrototypeAdd(memos.set, memos.b);
    SetPrototypeAdd(memos.set, memos.c);
    SetPrototypeAdd(memos.set, memos.d);
  }
  const set = memos.set;
  const size = SetPrototypeGetSize(set);
  SetPrototypeAdd(set, a);
  SetPrototypeAdd(set, b);
  if (size === SetPrototypeGetSize(set)) return true;
  const equal = objEquiv(a, b, strict, keysA, memos, iterationType);
  if (equal || memos.deleteFailures) {
    SetPrototypeDelete(set, a);
    SetPrototypeDelete(set, b);
  }
  return equal;
}

function setValues(set) {
  const out = [];
  const it = SetPrototypeValues(set);
  for (;;) {
    const r = SetIteratorPrototypeNext(it);
    if (r.done) return out;
    ArrayPrototypePush(out, r.value);
  }
}

// [key, value, key, value, ...] of a Map.
function mapPairs(map) {
  const out = [];
  const it = MapPrototypeEntries(map);
  for (;;) {
    const r = MapIteratorPrototypeNext(it);
    if (r.done) return out;
    ArrayPrototypePush(out, r.value[0], r.value[1]);
  }
}

// Takes from `candidates` the first element deep-equal to `value`.
function takeEqual(candidates, value, strict, memos) {
  const { deleteFailures } = memos;
  memos.deleteFailures = true;
  const list = setValues(candidates);
  for (let i = 0; i < list.length; i++) {
    if (innerDeepEqual(list[i], value, strict, memos)) {
      SetPrototypeDelete(candidates, list[i]);
      memos.deleteFailures = deleteFailures;
      return true;
    }
  }
  memos.deleteFailures = deleteFailures;
  return false;
}

// What a primitive may loosely equal in another Set/Map: undefined for
// null and undefined (they equal each other), false if nothing else can
// match, true when too many values could (strings, numbers, bigints).
function looseAlternative(prim) {
  switch (typeof prim) {
    case 'undefined': return null;
    case 'object': return undefined;
    case 'symbol': return false;
    case 'string': prim = +prim;
    // Falls through.
    case 'number': if (NumberIsNaN(prim)) return false;
  }
  return true;
}

function setMightHaveLoosePrim(a, b, prim) {
  const alt = looseAlternative(prim);
  if (alt != null) return alt;
  return SetPrototypeHas(b, alt) && !SetPrototypeHas(a, alt);
}

function mapMightHaveLoosePrim(a, b, prim, item, memos) {
  const alt = looseAlternative(prim);
  if (alt != null) return alt;
  const curB = MapPrototypeGet(b, alt);
  if ((curB === undefined && !MapPrototypeHas(b, alt)) || !innerDeepEqual(item, curB, false, memos)) return false;
  return !MapPrototypeHas(a, alt) && innerDeepEqual(item, curB, false, memos);
}

function setEquiv(a, b, strict, memos) {
  let pending = null;
  const valuesA = setValues(a);
  for (let i = 0; i < valuesA.length; i++) {
    const val = valuesA[i];
    if (SetPrototypeHas(b, val)) continue;
    if ((typeof val !== 'object' || val === null) && (strict || !setMightHaveLoosePrim(a, b, val))) return false;
    if (pending === null) {
      if (SetPrototypeGetSize(b) === 1) return innerDeepEqual(val, setValues(b)[0], strict, memos);
      pending = new Set();
    }
    SetPrototypeAdd(pending, val);
  }
  if (pending === null) return true;
  const valuesB = setValues(b);
  for (let i = 0; i < valuesB.length; i++) {
    const val = valuesB[i];
    if (typeof val === 'object' && val !== null) {
      if (!SetPrototypeHas(a, val) && !takeEqual(pending, val, strict, memos)) return false;
    } else if (!strict && !SetPrototypeHas(a, val) && !takeEqual(pending, val, strict, memos)) {
      return false;
    }
  }
  return SetPrototypeGetSize(pending) === 0;
}

// Takes from `keys` a key of `map` deep-equal to key2 whose value is
// deep-equal to item2 (every candidate is tried, not just the first).
function takeEqualEntry(keys, map, key2, item2, strict, memos) {
  const { deleteFailures } = memos;
  memos.deleteFailures = true;
  const list = setValues(keys);
  for (let i = 0; i < list.length; i++) {
    const key1 = list[i];
    if (innerDeepEqual(key1, key2, strict, memos) && innerDeepEqual(MapPrototypeGet(map, key1), item2, strict, memos)) {
      SetPrototypeDelete(keys, key1);
      memos.deleteFailures = deleteFailures;
      return true;
    }
  }
  memos.deleteFailures = deleteFailures;
  return false;
}

function mapEquiv(a, b, strict, memos) {
  let pending = null;
  const pairsA = mapPairs(a);
  for (let i = 0; i < pairsA.length; i += 2) {
    const key = pairsA[i];
    const item1 = pairsA[i + 1];
    if (typeof key === 'object' && key !== null) {
      if (pending === null) {
        if (MapPrototypeGetSize(b) === 1) {
          const pairsB = mapPairs(b);
          return innerDeepEqual(key, pairsB[0], strict, memos) && innerDeepEqual(item1, pairsB[1], strict, memos);
        }
        pending = new Set();
      }
      SetPrototypeAdd(pending, key);
    } else {
      const item2 = MapPrototypeGet(b, key);
      if ((item2 === undefined && !MapPrototypeHas(b, key)) || !innerDeepEqual(item1, item2, strict, memos)) {
        if (strict) return false;
        if (!mapMightHaveLoosePrim(a, b, key, item1, memos)) return false;
        if (pending === null) pending = new Set();
        SetPrototypeAdd(pending, key);
      }
    }
  }
  if (pending === null) return true;
  const pairsB = mapPairs(b);
  for (let i = 0; i < pairsB.length; i += 2) {
    const key = pairsB[i];
    const item = pairsB[i + 1];
    if (typeof key === 'object' && key !== null) {
      if (!takeEqualEntry(pending, a, key, item, strict, memos)) return false;
    } else if (!strict && (!MapPrototypeHas(a, key) || !innerDeepEqual(MapPrototypeGet(a, key), item, strict, memos)) &&
               !takeEqualEntry(pending, a, key, item, strict, memos)) {
      return false;
    }
  }
  return SetPrototypeGetSize(pending) === 0;
}

function objEquiv(a, b, strict, keys, memos, iterationType) {
  for (let i = 0; i < keys.length; i++) {
    if (!innerDeepEqual(a[keys[i]], b[keys[i]], strict, memos)) return false;
  }
  if (iterationType === kIsArray) {
    for (let i = 0; i < a.length; i++) {
      if (ObjectPrototypeHasOwnProperty(a, i)) {
        if (!ObjectPrototypeHasOwnProperty(b, i) || !innerDeepEqual(a[i], b[i], strict, memos)) return false;
      } else if (ObjectPrototypeHasOwnProperty(b, i)) {
        return false;
      } else {
        // A hole: compare the remaining own keys.
        const keysA = ObjectKeys(a);
        for (; i < keysA.length; i++) {
          const key = keysA[i];
          if (!ObjectPrototypeHasOwnProperty(b, key) || !innerDeepEqual(a[key], b[key], strict, memos)) return false;
        }
        return keysA.length === ObjectKeys(b).length;
      }
    }
  } else if (iterationType === kIsSet) {
    if (!setEquiv(a, b, strict, memos)) return false;
  } else if (iterationType === kIsMap) {
    if (!mapEquiv(a, b, strict, memos)) return false;
  }
  return true;
}

exports.isDeepEqual = (a, b) => innerDeepEqual(a, b, false);
exports.isDeepStrictEqual = (a, b) => innerDeepEqual(a, b, true);
