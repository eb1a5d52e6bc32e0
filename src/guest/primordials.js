'use strict';
// Intrinsics captured once, before any guest code runs. Builtin modules load
// lazily, possibly after the guest replaced Array.prototype.push or
// Function.prototype.call, so they take every intrinsic from here and never
// look one up on a global or a prototype at call time. A guest that
// poisons an intrinsic then breaks only its own code, as on Node.
//
// Naming: `<Ctor>Prototype<Method>(self, ...args)` for methods (uncurried),
// `<Ctor><Static>` for statics, `Symbol<Name>` for well-known symbols, and
// the constructors under their own names (a module's destructuring shadows
// the global). Keep the list to what the builtins use: it runs for every
// guest context. See README.md, "Primordials".

const {
  apply: ReflectApply,
  construct: ReflectConstruct,
  defineProperty: ReflectDefineProperty,
  getOwnPropertyDescriptor: ReflectGetOwnPropertyDescriptor,
  getPrototypeOf: ReflectGetPrototypeOf,
  ownKeys: ReflectOwnKeys,
} = Reflect;

// uncurryThis(fn)(self, ...args) === fn.call(self, ...args), without
// looking up `call` when it runs.
const { bind, call } = Function.prototype;
const uncurryThis = ReflectApply(bind, bind, [call]);

// The getter of an accessor property, uncurried.
function getter(proto, name) {
  return uncurryThis(ReflectGetOwnPropertyDescriptor(proto, name).get);
}

const ArrayProto = Array.prototype;
const StringProto = String.prototype;
const ObjectProto = Object.prototype;
const MapProto = Map.prototype;
const SetProto = Set.prototype;
const WeakMapProto = WeakMap.prototype;
const WeakSetProto = WeakSet.prototype;
const PromiseProto = Promise.prototype;
const NumberProto = Number.prototype;
const RegExpProto = RegExp.prototype;
const TypedArrayProto = ReflectGetPrototypeOf(Uint8Array.prototype);
const ArrayIteratorProto = ReflectGetPrototypeOf(ArrayProto[Symbol.iterator]());
const MapIteratorNext = ReflectGetPrototypeOf(new Map().entries()).next;
const SetIteratorNext = ReflectGetPrototypeOf(new Set().values()).next;

const RegExpPrototypeExec = uncurryThis(RegExpProto.exec);
const StringPrototypeSlice = uncurryThis(StringProto.slice);
const StringPrototypeIndexOf = uncurryThis(StringProto.indexOf);

// Safe*: what an intrinsic does, without the protocols a guest can
// reach from it (Symbol.species, RegExp.prototype.exec and
// Symbol.replace, iterators).

// `str` with every match of the global regexp `re` replaced by
// `replacement` (a string or a function of the match).
function SafeRegExpReplaceAll(re, str, replacement) {
  re.lastIndex = 0;
  let out = '';
  let last = 0;
  let match;
  while ((match = RegExpPrototypeExec(re, str)) !== null) {
    const found = match[0];
    out += StringPrototypeSlice(str, last, match.index);
    out += typeof replacement === 'function' ? replacement(found) : replacement;
    last = match.index + found.length;
    if (found.length === 0) re.lastIndex++;
  }
  return last === 0 && out === '' ? str : out + StringPrototypeSlice(str, last);
}

// `str` with every occurrence of the string `search` replaced.
function SafeStringReplaceAll(str, search, replacement) {
  let i = StringPrototypeIndexOf(str, search);
  if (i === -1) return str;
  let out = '';
  let last = 0;
  while (i !== -1) {
    out += StringPrototypeSlice(str, last, i) + replacement;
    last = i + search.length;
    i = StringPrototypeIndexOf(str, search, last);
  }
  return out + StringPrototypeSlice(str, last);
}

// Array.prototype.slice (negative indices too) into a plain array.
function SafeArraySlice(arr, start = 0, end = arr.length) {
  const len = arr.length;
  if (start < 0) start = start + len < 0 ? 0 : start + len;
  if (end < 0) end += len;
  if (end > len) end = len;
  const out = [];
  for (let i = start; i < end; i++) out[i - start] = arr[i];
  return out;
}

function SafeArrayConcat(a, b) {
  const out = SafeArraySlice(a);
  for (let i = 0; i < b.length; i++) out[a.length + i] = b[i];
  return out;
}

function SafeArrayMap(arr, fn) {
  const out = [];
  for (let i = 0; i < arr.length; i++) out[i] = fn(arr[i], i);
  return out;
}

function SafeArrayFilter(arr, fn) {
  const out = [];
  for (let i = 0; i < arr.length; i++) {
    if (fn(arr[i], i)) out[out.length] = arr[i];
  }
  return out;
}

// Array.prototype.splice in place, returning nothing.
function SafeArraySplice(arr, start, deleteCount, ...items) {
  const tail = SafeArraySlice(arr, start + deleteCount);
  arr.length = start;
  for (let i = 0; i < items.length; i++) arr[start + i] = items[i];
  for (let i = 0; i < tail.length; i++) arr[start + items.length + i] = tail[i];
}

const TypedArrayPrototypeGetBuffer = getter(TypedArrayProto, 'buffer');
const TypedArrayPrototypeGetByteOffset = getter(TypedArrayProto, 'byteOffset');
const TypedArrayPrototypeSet = uncurryThis(TypedArrayProto.set);
const Uint8ArrayCtor = Uint8Array;

// A view of bytes [start, end) of the Uint8Array `u8`.
function SafeUint8ArraySubarray(u8, start, end) {
  return new Uint8ArrayCtor(TypedArrayPrototypeGetBuffer(u8), TypedArrayPrototypeGetByteOffset(u8) + start, end - start);
}

// A copy of bytes [start, end) of `u8`.
function SafeUint8ArraySlice(u8, start, end) {
  const out = new Uint8ArrayCtor(end - start);
  TypedArrayPrototypeSet(out, SafeUint8ArraySubarray(u8, start, end));
  return out;
}

// Subclasses whose prototypes hold the original methods: instances never
// reach Map.prototype/Set.prototype, and are never handed to guest code.
// Iterate them with forEach, not for...of.
function makeSafe(Safe, proto, names) {
  const own = Safe.prototype;
  for (let i = 0; i < names.length; i++) {
    ReflectDefineProperty(own, names[i], ReflectGetOwnPropertyDescriptor(proto, names[i]));
  }
  return Safe;
}
// Explicit constructors: V8's implicit one spreads its arguments through
// Array.prototype[Symbol.iterator]. They take no initial entries.
const SafeMap = makeSafe(class SafeMap extends Map { constructor() { super(); } }, MapProto,
  ['get', 'set', 'has', 'delete', 'clear', 'forEach', 'size']);
const SafeSet = makeSafe(class SafeSet extends Set { constructor() { super(); } }, SetProto,
  ['add', 'has', 'delete', 'clear', 'forEach', 'size']);
const SafeWeakMap = makeSafe(class SafeWeakMap extends WeakMap { constructor() { super(); } }, WeakMapProto,
  ['get', 'set', 'has', 'delete']);
const SafeWeakSet = makeSafe(class SafeWeakSet extends WeakSet { constructor() { super(); } }, WeakSetProto,
  ['add', 'has', 'delete']);

module.exports = {
  __proto__: null,
  uncurryThis,

  // Constructors and namespaces.
  Array,
  ArrayBuffer,
  BigInt,
  Boolean,
  DataView,
  Error,
  Int8Array,
  Number,
  Promise,
  Proxy,
  RangeError,
  RegExp,
  String,
  Symbol,
  TypeError,
  Uint8Array,
  WeakRef,
  globalThis,

  // Reflect
  ReflectApply,
  ReflectConstruct,
  ReflectDefineProperty,
  ReflectGetOwnPropertyDescriptor,
  ReflectOwnKeys,

  // Function
  FunctionPrototypeBind: uncurryThis(bind),
  FunctionPrototypeCall: uncurryThis(call),
  FunctionPrototypeToString: uncurryThis(Function.prototype.toString),

  // Object
  ObjectAssign: Object.assign,
  ObjectCreate: Object.create,
  ObjectDefineProperties: Object.defineProperties,
  ObjectDefineProperty: Object.defineProperty,
  ObjectGetOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  ObjectGetOwnPropertyNames: Object.getOwnPropertyNames,
  ObjectGetOwnPropertySymbols: Object.getOwnPropertySymbols,
  ObjectGetPrototypeOf: Object.getPrototypeOf,
  ObjectIs: Object.is,
  ObjectIsExtensible: Object.isExtensible,
  ObjectKeys: Object.keys,
  ObjectSetPrototypeOf: Object.setPrototypeOf,
  ObjectValues: Object.values,
  ObjectPrototype: ObjectProto,
  ObjectPrototypeHasOwnProperty: uncurryThis(ObjectProto.hasOwnProperty),
  ObjectPrototypePropertyIsEnumerable: uncurryThis(ObjectProto.propertyIsEnumerable),
  ObjectPrototypeToString: uncurryThis(ObjectProto.toString),

  // Array
  ArrayIsArray: Array.isArray,
  ArrayPrototypeIncludes: uncurryThis(ArrayProto.includes),
  ArrayPrototypeIndexOf: uncurryThis(ArrayProto.indexOf),
  ArrayPrototypeJoin: uncurryThis(ArrayProto.join),
  ArrayPrototypePop: uncurryThis(ArrayProto.pop),
  ArrayPrototypePush: uncurryThis(ArrayProto.push),
  ArrayPrototypeShift: uncurryThis(ArrayProto.shift),
  ArrayPrototypeSort: uncurryThis(ArrayProto.sort),
  ArrayPrototypeUnshift: uncurryThis(ArrayProto.unshift),
  IteratorPrototype: ReflectGetPrototypeOf(ArrayIteratorProto),

  // String
  StringFromCharCode: String.fromCharCode,
  StringPrototypeCharCodeAt: uncurryThis(StringProto.charCodeAt),
  StringPrototypeCodePointAt: uncurryThis(StringProto.codePointAt),
  StringPrototypeEndsWith: uncurryThis(StringProto.endsWith),
  StringPrototypeIncludes: uncurryThis(StringProto.includes),
  StringPrototypeIndexOf,
  StringPrototypeNormalize: uncurryThis(StringProto.normalize),
  StringPrototypePadEnd: uncurryThis(StringProto.padEnd),
  StringPrototypePadStart: uncurryThis(StringProto.padStart),
  StringPrototypeRepeat: uncurryThis(StringProto.repeat),
  StringPrototypeSlice,
  StringPrototypeSplit: uncurryThis(StringProto.split),
  StringPrototypeStartsWith: uncurryThis(StringProto.startsWith),
  StringPrototypeToLowerCase: uncurryThis(StringProto.toLowerCase),
  StringPrototypeToUpperCase: uncurryThis(StringProto.toUpperCase),
  StringPrototypeToWellFormed: StringProto.toWellFormed === undefined ? undefined : uncurryThis(StringProto.toWellFormed),
  StringPrototypeValueOf: uncurryThis(StringProto.valueOf),
  SafeArrayConcat,
  SafeArrayFilter,
  SafeArrayMap,
  SafeArraySlice,
  SafeArraySplice,
  SafeRegExpReplaceAll,
  SafeStringReplaceAll,

  // Number, Math, JSON, BigInt, Boolean, Symbol
  NumberIsFinite: Number.isFinite,
  NumberIsInteger: Number.isInteger,
  NumberIsNaN: Number.isNaN,
  NumberParseFloat: Number.parseFloat,
  NumberParseInt: Number.parseInt,
  NumberMAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER,
  NumberMIN_SAFE_INTEGER: Number.MIN_SAFE_INTEGER,
  NumberPrototypeToFixed: uncurryThis(NumberProto.toFixed),
  NumberPrototypeToString: uncurryThis(NumberProto.toString),
  NumberPrototypeValueOf: uncurryThis(NumberProto.valueOf),
  MathAbs: Math.abs,
  MathCeil: Math.ceil,
  MathFloor: Math.floor,
  MathMax: Math.max,
  MathMin: Math.min,
  MathRound: Math.round,
  MathSqrt: Math.sqrt,
  MathTrunc: Math.trunc,
  JSONStringify: JSON.stringify,
  BigIntPrototypeValueOf: uncurryThis(BigInt.prototype.valueOf),
  BooleanPrototypeValueOf: uncurryThis(Boolean.prototype.valueOf),
  SymbolFor: Symbol.for,
  SymbolAsyncIterator: Symbol.asyncIterator,
  SymbolIterator: Symbol.iterator,
  SymbolToPrimitive: Symbol.toPrimitive,
  SymbolToStringTag: Symbol.toStringTag,
  SymbolPrototypeToString: uncurryThis(Symbol.prototype.toString),
  SymbolPrototypeValueOf: uncurryThis(Symbol.prototype.valueOf),

  // Error, RegExp, Date
  ErrorCaptureStackTrace: Error.captureStackTrace,
  ErrorPrototypeToString: uncurryThis(Error.prototype.toString),
  // The functions themselves, for identity checks against what a value holds.
  OriginalErrorPrototypeToString: Error.prototype.toString,
  OriginalObjectPrototypeToString: ObjectProto.toString,
  RegExpPrototypeExec,
  RegExpPrototypeGetGlobal: getter(RegExpProto, 'global'),
  RegExpPrototypeToString: uncurryThis(RegExpProto.toString),
  DateNow: Date.now,
  DatePrototypeGetTime: uncurryThis(Date.prototype.getTime),
  DatePrototypeToISOString: uncurryThis(Date.prototype.toISOString),
  DatePrototypeToString: uncurryThis(Date.prototype.toString),

  // Collections
  SafeMap,
  SafeSet,
  SafeWeakMap,
  SafeWeakSet,
  MapPrototypeEntries: uncurryThis(MapProto.entries),
  MapPrototypeGetSize: getter(MapProto, 'size'),
  MapIteratorPrototypeNext: uncurryThis(MapIteratorNext),
  SetPrototypeValues: uncurryThis(SetProto.values),
  SetPrototypeGetSize: getter(SetProto, 'size'),
  SetIteratorPrototypeNext: uncurryThis(SetIteratorNext),
  WeakMapPrototypeHas: uncurryThis(WeakMapProto.has),
  WeakSetPrototypeHas: uncurryThis(WeakSetProto.has),

  // Buffers
  ArrayBufferIsView: ArrayBuffer.isView,
  ArrayBufferPrototypeGetByteLength: getter(ArrayBuffer.prototype, 'byteLength'),
  DataViewPrototypeGetBuffer: getter(DataView.prototype, 'buffer'),
  DataViewPrototypeGetByteLength: getter(DataView.prototype, 'byteLength'),
  DataViewPrototypeGetByteOffset: getter(DataView.prototype, 'byteOffset'),
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength: getter(TypedArrayProto, 'byteLength'),
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength: getter(TypedArrayProto, 'length'),
  TypedArrayPrototypeGetSymbolToStringTag: getter(TypedArrayProto, Symbol.toStringTag),
  TypedArrayPrototypeSet,
  SafeUint8ArraySlice,
  SafeUint8ArraySubarray,

  // Generators, WeakRef
  GeneratorPrototypeNext: uncurryThis(ReflectGetPrototypeOf(function* () {}).prototype.next),
  WeakRefPrototypeDeref: uncurryThis(WeakRef.prototype.deref),

  // Promise
  PromisePrototypeThen: uncurryThis(PromiseProto.then),
  PromiseResolve: ReflectApply(bind, Promise.resolve, [Promise]),
  PromiseReject: ReflectApply(bind, Promise.reject, [Promise]),
};
