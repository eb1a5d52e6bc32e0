'use strict';
// Intrinsics captured once, before any guest code runs. Builtin modules load
// lazily, possibly after the guest replaced Array.prototype.push or
// Function.prototype.call, so they take every intrinsic from here and never
// look one up on a global or a prototype at call time. A guest that
// poisons an intrinsic then breaks only its own code, as on Node.
//
// Names as in Node's lib: `<Ctor>Prototype<Method>(self, ...args)` for
// methods (uncurried), `<Ctor>Prototype<Get><Name>(self)` for getters,
// `<Ctor><Static>` for statics, `Symbol<Name>` for well-known symbols, the
// constructors under their own names (a module's destructuring shadows the
// global), and `Safe*` for helpers that do an intrinsic's job without a
// protocol the guest can reach. This runs for every guest context: capture
// only what the builtins use. See README.md, "Primordials".

const {
  apply: ReflectApply,
  getOwnPropertyDescriptor: ReflectGetOwnPropertyDescriptor,
  getPrototypeOf: ReflectGetPrototypeOf,
} = Reflect;

// uncurryThis(fn)(self, ...args) === fn.call(self, ...args), without
// looking up `call` when it runs.
const { bind, call } = Function.prototype;
const uncurryThis = ReflectApply(bind, bind, [call]);

// The getter of an accessor property, uncurried.
function getter(proto, name) {
  return uncurryThis(ReflectGetOwnPropertyDescriptor(proto, name).get);
}

// One `exports.X = ...` statement per intrinsic: in a fresh context that
// costs less than filling the object in a loop or from a literal.
const ObjectProto = Object.prototype;
const FunctionProto = Function.prototype;
const ArrayProto = Array.prototype;
const StringProto = String.prototype;
const NumberProto = Number.prototype;
const SymbolProto = Symbol.prototype;
const ErrorProto = Error.prototype;
const RegExpProto = RegExp.prototype;
const DateProto = Date.prototype;
const MapProto = Map.prototype;
const SetProto = Set.prototype;
const WeakMapProto = WeakMap.prototype;
const WeakSetProto = WeakSet.prototype;
const PromiseProto = Promise.prototype;
const ArrayBufferProto = ArrayBuffer.prototype;
const DataViewProto = DataView.prototype;
const TypedArrayProto = ReflectGetPrototypeOf(Uint8Array.prototype);
const ArrayIteratorProto = ReflectGetPrototypeOf(ArrayProto[Symbol.iterator]());

// Constructors and namespaces, under their own names.
exports.AggregateError = AggregateError;
exports.Array = Array;
exports.ArrayBuffer = ArrayBuffer;
exports.BigInt = BigInt;
exports.Boolean = Boolean;
exports.DataView = DataView;
exports.Date = Date;
exports.Error = Error;
exports.Float32Array = Float32Array;
exports.Float64Array = Float64Array;
exports.Int8Array = Int8Array;
exports.Map = Map;
exports.Number = Number;
exports.Promise = Promise;
exports.Proxy = Proxy;
exports.RangeError = RangeError;
exports.RegExp = RegExp;
exports.Set = Set;
exports.SyntaxError = SyntaxError;
exports.String = String;
exports.Symbol = Symbol;
exports.TypeError = TypeError;
exports.URIError = URIError;
exports.Uint8Array = Uint8Array;
exports.Uint32Array = Uint32Array;
exports.WeakMap = WeakMap;
exports.WeakRef = WeakRef;
exports.WeakSet = WeakSet;
exports.globalThis = globalThis;
exports.decodeURIComponent = decodeURIComponent;
// Statics: they do not use `this`.
exports.ReflectApply = Reflect.apply;
exports.ReflectConstruct = Reflect.construct;
exports.ReflectDefineProperty = Reflect.defineProperty;
exports.ReflectDeleteProperty = Reflect.deleteProperty;
exports.ReflectGet = Reflect.get;
exports.ReflectGetOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
exports.ReflectOwnKeys = Reflect.ownKeys;
exports.ObjectAssign = Object.assign;
exports.ObjectCreate = Object.create;
exports.ObjectDefineProperties = Object.defineProperties;
exports.ObjectDefineProperty = Object.defineProperty;
exports.ObjectFreeze = Object.freeze;
exports.ObjectGetOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
exports.ObjectGetOwnPropertyNames = Object.getOwnPropertyNames;
exports.ObjectGetOwnPropertySymbols = Object.getOwnPropertySymbols;
exports.ObjectGetPrototypeOf = Object.getPrototypeOf;
exports.ObjectIs = Object.is;
exports.ObjectIsExtensible = Object.isExtensible;
exports.ObjectKeys = Object.keys;
exports.ObjectSetPrototypeOf = Object.setPrototypeOf;
exports.ObjectValues = Object.values;
exports.ArrayIsArray = Array.isArray;
exports.ArrayBufferIsView = ArrayBuffer.isView;
exports.StringFromCharCode = String.fromCharCode;
exports.StringFromCodePoint = String.fromCodePoint;
exports.NumberIsFinite = Number.isFinite;
exports.NumberIsInteger = Number.isInteger;
exports.NumberIsNaN = Number.isNaN;
exports.NumberIsSafeInteger = Number.isSafeInteger;
exports.NumberParseFloat = Number.parseFloat;
exports.NumberParseInt = Number.parseInt;
exports.NumberMAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
exports.NumberMIN_SAFE_INTEGER = Number.MIN_SAFE_INTEGER;
exports.MathAbs = Math.abs;
exports.MathCeil = Math.ceil;
exports.MathFloor = Math.floor;
exports.MathMax = Math.max;
exports.MathMin = Math.min;
exports.MathRound = Math.round;
exports.MathSqrt = Math.sqrt;
exports.MathTrunc = Math.trunc;
exports.JSONParse = JSON.parse;
exports.JSONStringify = JSON.stringify;
exports.SymbolFor = Symbol.for;
exports.SymbolSpecies = Symbol.species;
exports.SymbolAsyncIterator = Symbol.asyncIterator;
exports.SymbolHasInstance = Symbol.hasInstance;
exports.SymbolAsyncDispose = typeof Symbol.asyncDispose === 'symbol' ? Symbol.asyncDispose : Symbol.for('nodejs.asyncDispose');
exports.SymbolDispose = typeof Symbol.dispose === 'symbol' ? Symbol.dispose : Symbol.for('nodejs.dispose');
exports.SymbolIterator = Symbol.iterator;
exports.SymbolToPrimitive = Symbol.toPrimitive;
exports.SymbolToStringTag = Symbol.toStringTag;
exports.ErrorCaptureStackTrace = Error.captureStackTrace;
exports.DateNow = Date.now;
// Methods and getters, uncurried.
exports.FunctionPrototypeBind = uncurryThis(FunctionProto.bind);
exports.FunctionPrototypeCall = uncurryThis(FunctionProto.call);
exports.FunctionPrototypeToString = uncurryThis(FunctionProto.toString);
exports.FunctionPrototypeSymbolHasInstance = uncurryThis(FunctionProto[Symbol.hasInstance]);
exports.ObjectPrototypeHasOwnProperty = uncurryThis(ObjectProto.hasOwnProperty);
exports.ObjectPrototypePropertyIsEnumerable = uncurryThis(ObjectProto.propertyIsEnumerable);
exports.ObjectPrototypeToString = uncurryThis(ObjectProto.toString);
exports.ArrayPrototypeIncludes = uncurryThis(ArrayProto.includes);
exports.ArrayPrototypeIndexOf = uncurryThis(ArrayProto.indexOf);
exports.ArrayPrototypeJoin = uncurryThis(ArrayProto.join);
exports.ArrayPrototypePop = uncurryThis(ArrayProto.pop);
exports.ArrayPrototypePush = uncurryThis(ArrayProto.push);
exports.ArrayPrototypeShift = uncurryThis(ArrayProto.shift);
exports.ArrayPrototypeSlice = uncurryThis(ArrayProto.slice);
exports.ArrayPrototypeSplice = uncurryThis(ArrayProto.splice);
exports.ArrayPrototypeSort = uncurryThis(ArrayProto.sort);
exports.ArrayPrototypeUnshift = uncurryThis(ArrayProto.unshift);
exports.StringPrototypeCharAt = uncurryThis(StringProto.charAt);
exports.StringPrototypeCharCodeAt = uncurryThis(StringProto.charCodeAt);
exports.StringPrototypeCodePointAt = uncurryThis(StringProto.codePointAt);
exports.StringPrototypeEndsWith = uncurryThis(StringProto.endsWith);
exports.StringPrototypeIncludes = uncurryThis(StringProto.includes);
exports.StringPrototypeIndexOf = uncurryThis(StringProto.indexOf);
exports.StringPrototypeLastIndexOf = uncurryThis(StringProto.lastIndexOf);
exports.StringPrototypeNormalize = uncurryThis(StringProto.normalize);
exports.StringPrototypePadEnd = uncurryThis(StringProto.padEnd);
exports.StringPrototypePadStart = uncurryThis(StringProto.padStart);
exports.StringPrototypeRepeat = uncurryThis(StringProto.repeat);
exports.StringPrototypeSlice = uncurryThis(StringProto.slice);
exports.StringPrototypeSplit = uncurryThis(StringProto.split);
exports.StringPrototypeStartsWith = uncurryThis(StringProto.startsWith);
exports.StringPrototypeToLowerCase = uncurryThis(StringProto.toLowerCase);
exports.StringPrototypeToUpperCase = uncurryThis(StringProto.toUpperCase);
exports.StringPrototypeTrim = uncurryThis(StringProto.trim);
exports.StringPrototypeValueOf = uncurryThis(StringProto.valueOf);
// Node 20 has no String.prototype.toWellFormed.
exports.StringPrototypeToWellFormed =
  StringProto.toWellFormed === undefined ? undefined : uncurryThis(StringProto.toWellFormed);
exports.StringPrototypeIsWellFormed =
  StringProto.isWellFormed === undefined ? undefined : uncurryThis(StringProto.isWellFormed);
exports.NumberPrototypeToFixed = uncurryThis(NumberProto.toFixed);
exports.NumberPrototypeToString = uncurryThis(NumberProto.toString);
exports.NumberPrototypeValueOf = uncurryThis(NumberProto.valueOf);
exports.BigIntPrototypeValueOf = uncurryThis(BigInt.prototype.valueOf);
exports.BooleanPrototypeValueOf = uncurryThis(Boolean.prototype.valueOf);
exports.SymbolPrototypeToString = uncurryThis(SymbolProto.toString);
exports.SymbolPrototypeValueOf = uncurryThis(SymbolProto.valueOf);
exports.ErrorPrototypeToString = uncurryThis(ErrorProto.toString);
exports.RegExpPrototypeExec = uncurryThis(RegExpProto.exec);
exports.RegExpPrototypeToString = uncurryThis(RegExpProto.toString);
exports.RegExpPrototypeGetGlobal = getter(RegExpProto, 'global');
exports.DatePrototypeGetTime = uncurryThis(DateProto.getTime);
exports.DatePrototypeToISOString = uncurryThis(DateProto.toISOString);
exports.DatePrototypeToString = uncurryThis(DateProto.toString);
exports.DatePrototypeToUTCString = uncurryThis(DateProto.toUTCString);
exports.MapPrototypeDelete = uncurryThis(MapProto.delete);
exports.MapPrototypeEntries = uncurryThis(MapProto.entries);
exports.MapPrototypeGet = uncurryThis(MapProto.get);
exports.MapPrototypeHas = uncurryThis(MapProto.has);
exports.MapPrototypeSet = uncurryThis(MapProto.set);
exports.MapPrototypeGetSize = getter(MapProto, 'size');
exports.MapIteratorPrototypeNext = uncurryThis(ReflectGetPrototypeOf(new Map().entries()).next);
exports.SetPrototypeAdd = uncurryThis(SetProto.add);
exports.SetPrototypeDelete = uncurryThis(SetProto.delete);
exports.SetPrototypeForEach = uncurryThis(SetProto.forEach);
exports.SetPrototypeHas = uncurryThis(SetProto.has);
exports.SetPrototypeValues = uncurryThis(SetProto.values);
exports.SetPrototypeGetSize = getter(SetProto, 'size');
exports.SetIteratorPrototypeNext = uncurryThis(ReflectGetPrototypeOf(new Set().values()).next);
exports.WeakMapPrototypeGet = uncurryThis(WeakMapProto.get);
exports.WeakMapPrototypeHas = uncurryThis(WeakMapProto.has);
exports.WeakMapPrototypeSet = uncurryThis(WeakMapProto.set);
exports.WeakSetPrototypeAdd = uncurryThis(WeakSetProto.add);
exports.WeakSetPrototypeDelete = uncurryThis(WeakSetProto.delete);
exports.WeakSetPrototypeHas = uncurryThis(WeakSetProto.has);
exports.WeakRefPrototypeDeref = uncurryThis(WeakRef.prototype.deref);
exports.GeneratorPrototypeNext = uncurryThis(ReflectGetPrototypeOf(function* () {}).prototype.next);
exports.PromisePrototypeThen = uncurryThis(PromiseProto.then);
exports.TypedArrayPrototypeFill = uncurryThis(TypedArrayProto.fill);
exports.TypedArrayPrototypeSet = uncurryThis(TypedArrayProto.set);
exports.TypedArrayPrototypeSubarray = uncurryThis(TypedArrayProto.subarray);
exports.TypedArrayPrototypeIndexOf = uncurryThis(TypedArrayProto.indexOf);
exports.TypedArrayPrototypeGetBuffer = getter(TypedArrayProto, 'buffer');
exports.TypedArrayPrototypeGetByteLength = getter(TypedArrayProto, 'byteLength');
exports.TypedArrayPrototypeGetByteOffset = getter(TypedArrayProto, 'byteOffset');
exports.TypedArrayPrototypeGetLength = getter(TypedArrayProto, 'length');
exports.TypedArrayPrototypeGetSymbolToStringTag = getter(TypedArrayProto, Symbol.toStringTag);
exports.ArrayBufferPrototypeGetByteLength = getter(ArrayBufferProto, 'byteLength');
exports.DataViewPrototypeGetBuffer = getter(DataViewProto, 'buffer');
exports.DataViewPrototypeGetByteLength = getter(DataViewProto, 'byteLength');
exports.DataViewPrototypeGetByteOffset = getter(DataViewProto, 'byteOffset');
// Other values.
exports.uncurryThis = uncurryThis;
exports.IteratorPrototype = ReflectGetPrototypeOf(ArrayIteratorProto);
exports.ObjectPrototype = ObjectProto;
// The functions themselves, for identity checks against what a value holds.
exports.OriginalErrorPrototypeToString = ErrorProto.toString;
exports.OriginalObjectPrototypeToString = ObjectProto.toString;
exports.OriginalObjectPrototypeValueOf = ObjectProto.valueOf;
exports.PromiseResolve = ReflectApply(bind, Promise.resolve, [Promise]);
exports.PromiseReject = ReflectApply(bind, Promise.reject, [Promise]);

// ---- Safe*: an intrinsic's job without the protocols a guest can reach
// from it (Symbol.species, RegExp.prototype.exec and Symbol.replace,
// iterators, prototype getters).

const {
  RegExpPrototypeExec,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeSet,
  Uint8Array: Uint8ArrayCtor,
} = exports;

// `str` with every match of the global regexp `re` replaced by
// `replacement` (a string or a function of the match).
exports.SafeRegExpReplaceAll = function SafeRegExpReplaceAll(re, str, replacement) {
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
};

// `str` with every occurrence of the string `search` replaced.
exports.SafeStringReplaceAll = function SafeStringReplaceAll(str, search, replacement) {
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
};

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
exports.SafeArraySlice = SafeArraySlice;

exports.SafeArrayConcat = function SafeArrayConcat(a, b) {
  const out = SafeArraySlice(a);
  for (let i = 0; i < b.length; i++) out[a.length + i] = b[i];
  return out;
};

exports.SafeArrayMap = function SafeArrayMap(arr, fn) {
  const out = [];
  for (let i = 0; i < arr.length; i++) out[i] = fn(arr[i], i);
  return out;
};

exports.SafeArrayFilter = function SafeArrayFilter(arr, fn) {
  const out = [];
  for (let i = 0; i < arr.length; i++) {
    if (fn(arr[i], i)) out[out.length] = arr[i];
  }
  return out;
};

// Array.prototype.splice in place, returning nothing.
exports.SafeArraySplice = function SafeArraySplice(arr, start, deleteCount, ...items) {
  const tail = SafeArraySlice(arr, start + deleteCount);
  arr.length = start;
  for (let i = 0; i < items.length; i++) arr[start + i] = items[i];
  for (let i = 0; i < tail.length; i++) arr[start + items.length + i] = tail[i];
};

// A view of bytes [start, end) of the Uint8Array `u8`.
function SafeUint8ArraySubarray(u8, start, end) {
  const offset = TypedArrayPrototypeGetByteOffset(u8) + start;
  return new Uint8ArrayCtor(TypedArrayPrototypeGetBuffer(u8), offset, end - start);
}
exports.SafeUint8ArraySubarray = SafeUint8ArraySubarray;

// A copy of bytes [start, end) of `u8`.
exports.SafeUint8ArraySlice = function SafeUint8ArraySlice(u8, start, end) {
  const out = new Uint8ArrayCtor(end - start);
  TypedArrayPrototypeSet(out, SafeUint8ArraySubarray(u8, start, end));
  return out;
};
