'use strict';
// util.inspect / util.format, written to match Node 20's output byte for byte
// for the common cases. Brand checks use the builtin getters from
// primordials, so user code replacing globals does not change how values
// print.

const {
  Array,
  ArrayBufferIsView,
  ArrayBufferPrototypeGetByteLength,
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeSort,
  ArrayPrototypeUnshift,
  BigIntPrototypeValueOf,
  BooleanPrototypeValueOf,
  DataViewPrototypeGetByteLength,
  DatePrototypeGetTime,
  DatePrototypeToISOString,
  DatePrototypeToString,
  Error,
  ErrorPrototypeToString,
  FunctionPrototypeBind,
  FunctionPrototypeCall,
  FunctionPrototypeToString,
  JSONStringify,
  Map,
  MapIteratorPrototypeNext,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeSet,
  MathFloor,
  MathMax,
  MathMin,
  MathRound,
  MathSqrt,
  MathTrunc,
  Number,
  NumberIsFinite,
  NumberIsNaN,
  NumberParseFloat,
  NumberParseInt,
  NumberPrototypeToString,
  NumberPrototypeValueOf,
  ObjectAssign,
  ObjectCreate,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetOwnPropertyNames,
  ObjectGetOwnPropertySymbols,
  ObjectGetPrototypeOf,
  ObjectIs,
  ObjectKeys,
  ObjectPrototype,
  ObjectPrototypeHasOwnProperty,
  ObjectPrototypePropertyIsEnumerable,
  ObjectPrototypeToString,
  ObjectSetPrototypeOf,
  Promise,
  RangeError,
  ReflectOwnKeys,
  RegExp,
  RegExpPrototypeExec,
  RegExpPrototypeGetGlobal,
  RegExpPrototypeToString,
  SafeArrayMap,
  SafeArraySlice,
  SafeArraySplice,
  SafeRegExpReplaceAll,
  SafeStringReplaceAll,
  Set,
  SetIteratorPrototypeNext,
  SetPrototypeAdd,
  SetPrototypeGetSize,
  SetPrototypeHas,
  SetPrototypeValues,
  String,
  StringPrototypeCharCodeAt,
  StringPrototypeCodePointAt,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeNormalize,
  StringPrototypePadEnd,
  StringPrototypePadStart,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeStartsWith,
  StringPrototypeToLowerCase,
  StringPrototypeToUpperCase,
  StringPrototypeValueOf,
  Symbol,
  SymbolFor,
  SymbolIterator,
  SymbolPrototypeToString,
  SymbolPrototypeValueOf,
  SymbolToStringTag,
  TypeError,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag,
  Uint8Array,
  WeakMapPrototypeHas,
  WeakSetPrototypeHas,
  globalThis,
} = require('primordials');

// True when the uncurried builtin accepts `v` as its receiver.
function brand(fn, v, arg) {
  try { fn(v, arg); return true; } catch { return false; }
}
const isMap = (v) => brand(MapPrototypeGetSize, v);
const isSet = (v) => brand(SetPrototypeGetSize, v);
const isWeakMap = (v) => brand(WeakMapPrototypeHas, v, ObjectPrototype);
const isWeakSet = (v) => brand(WeakSetPrototypeHas, v, ObjectPrototype);
const isDate = (v) => brand(DatePrototypeGetTime, v);
function isRegExp(v) {
  try { return typeof RegExpPrototypeGetGlobal(v) === 'boolean'; } catch { return false; }
}
const isTypedArray = (v) => TypedArrayPrototypeGetSymbolToStringTag(v) !== undefined;
const isArrayBuffer = (v) => brand(ArrayBufferPrototypeGetByteLength, v);
const isDataView = (v) => brand(DataViewPrototypeGetByteLength, v);
// What only V8 can tell (native.v8_type_flags): bits as engine.cc sets them.
const kArguments = 1, kGeneratorObject = 2, kMapIterator = 4, kSetIterator = 8, kModuleNamespace = 16,
  kAsyncFunction = 32, kGeneratorFunction = 64, kExternal = 128, kProxy = 256, kNativeError = 512;
function typeFlags(v) {
  if ((typeof v !== 'object' && typeof v !== 'function') || v === null) return 0;
  return typeof native.v8_type_flags === 'function' ? native.v8_type_flags(v) : -1;
}
function hasFlag(v, flag, fallback) {
  const flags = typeFlags(v);
  return flags === -1 ? fallback(v) : (flags & flag) !== 0;
}
const tagIs = (tag) => (v) => ObjectPrototypeToString(v) === tag;
const isNativeError = (v) => hasFlag(v, kNativeError, tagIs('[object Error]'));
// Node's isError: a native error, or anything that inherits from Error.
function isError(v) {
  return isNativeError(v) || v instanceof Error;
}
function isPromise(v) {
  if (typeof native.v8_promise_state === 'function') {
    return typeof v === 'object' && v !== null && native.v8_promise_state(v) !== undefined;
  }
  return v instanceof Promise || ObjectPrototypeToString(v) === '[object Promise]';
}
function boxedType(v) {
  if (brand(NumberPrototypeValueOf, v)) return 'Number';
  if (brand(StringPrototypeValueOf, v)) return 'String';
  if (brand(BooleanPrototypeValueOf, v)) return 'Boolean';
  if (brand(BigIntPrototypeValueOf, v)) return 'BigInt';
  if (brand(SymbolPrototypeValueOf, v)) return 'Symbol';
  return null;
}

const customInspectSymbol = SymbolFor('nodejs.util.inspect.custom');

const inspectDefaultOptions = {
  showHidden: false,
  depth: 2,
  colors: false,
  customInspect: true,
  showProxy: false,
  maxArrayLength: 100,
  maxStringLength: 10000,
  breakLength: 80,
  compact: 3,
  sorted: false,
  getters: false,
  numericSeparator: false,
};

const colorCodes = {
  reset: [0, 0], bold: [1, 22], dim: [2, 22], italic: [3, 23], underline: [4, 24], blink: [5, 25],
  inverse: [7, 27], hidden: [8, 28], strikethrough: [9, 29], doubleunderline: [21, 24],
  black: [30, 39], red: [31, 39], green: [32, 39], yellow: [33, 39], blue: [34, 39], magenta: [35, 39],
  cyan: [36, 39], white: [37, 39], bgBlack: [40, 49], bgRed: [41, 49], bgGreen: [42, 49],
  bgYellow: [43, 49], bgBlue: [44, 49], bgMagenta: [45, 49], bgCyan: [46, 49], bgWhite: [47, 49],
  framed: [51, 54], overlined: [53, 55], gray: [90, 39], redBright: [91, 39], greenBright: [92, 39],
  yellowBright: [93, 39], blueBright: [94, 39], magentaBright: [95, 39], cyanBright: [96, 39],
  whiteBright: [97, 39], bgGray: [100, 49], bgRedBright: [101, 49], bgGreenBright: [102, 49],
  bgYellowBright: [103, 49], bgBlueBright: [104, 49], bgMagentaBright: [105, 49],
  bgCyanBright: [106, 49], bgWhiteBright: [107, 49],
};
// Other names for some of them (non-enumerable, as in Node).
const colorAliases = [
  'grey', 'gray', 'blackBright', 'gray', 'bgGrey', 'bgGray', 'bgBlackBright', 'bgGray', 'faint', 'dim',
  'crossedout', 'strikethrough', 'strikeThrough', 'strikethrough', 'crossedOut', 'strikethrough',
  'conceal', 'hidden', 'swapColors', 'inverse', 'swapcolors', 'inverse', 'doubleUnderline', 'doubleunderline',
];
const styles = {
  special: 'cyan', number: 'yellow', bigint: 'yellow', boolean: 'yellow',
  undefined: 'grey', null: 'bold', string: 'green', symbol: 'green',
  date: 'magenta', regexp: 'red', module: 'underline',
};
// Reads inspect.styles and inspect.colors as they are now: a guest may
// change them, as on Node.
function stylizeWithColor(str, styleType) {
  const style = inspect.styles[styleType];
  if (style !== undefined) {
    const c = inspect.colors[style];
    if (c !== undefined) return `\u001b[${c[0]}m${str}\u001b[${c[1]}m`;
  }
  return str;
}
function stylizeNoColor(str) { return str; }
const colorRegExp = /\u001b\[\d\d?m/g;
const removeColors = (s) => SafeRegExpReplaceAll(colorRegExp, s, '');

// ---- strings ----

const meta = [];
for (let i = 0; i < 32; i++) {
  meta[i] = '\\x' + StringPrototypePadStart(StringPrototypeToUpperCase(NumberPrototypeToString(i, 16)), 2, '0');
}
meta[8] = '\\b'; meta[9] = '\\t'; meta[10] = '\\n'; meta[12] = '\\f'; meta[13] = '\\r';
meta[39] = "\\'"; meta[92] = '\\\\';
for (let i = 127; i < 160; i++) meta[i] = '\\x' + StringPrototypeToUpperCase(NumberPrototypeToString(i, 16));

const escapeTestRe = /[\x00-\x1f\x27\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const escapeReplaceRe = /[\x00-\x1f\x27\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const escapeTestSingleRe = /[\x00-\x1f\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const escapeReplaceSingleRe = /[\x00-\x1f\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeFn(s) {
  const c = StringPrototypeCharCodeAt(s, 0);
  return c < 160 ? meta[c] : `\\u${NumberPrototypeToString(c, 16)}`;
}

function strEscape(str) {
  let test = escapeTestRe, replace = escapeReplaceRe, quote = "'";
  if (StringPrototypeIncludes(str, "'")) {
    if (!StringPrototypeIncludes(str, '"')) quote = '"';
    else if (!StringPrototypeIncludes(str, '`') && !StringPrototypeIncludes(str, '${')) quote = '`';
    if (quote !== "'") { test = escapeTestSingleRe; replace = escapeReplaceSingleRe; }
  }
  if (RegExpPrototypeExec(test, str) === null) return quote + str + quote;
  return quote + SafeRegExpReplaceAll(replace, str, escapeFn) + quote;
}

const keyStrRegExp = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
const numberRegExp = /^(0|[1-9][0-9]*)$/;

function addNumericSeparator(str) {
  let result = '';
  let i = str.length;
  const start = StringPrototypeStartsWith(str, '-') ? 1 : 0;
  for (; i >= start + 4; i -= 3) result = `_${StringPrototypeSlice(str, i - 3, i)}${result}`;
  return i === str.length ? str : `${StringPrototypeSlice(str, 0, i)}${result}`;
}
function addNumericSeparatorEnd(str) {
  let result = '';
  let i = 0;
  for (; i < str.length - 3; i += 3) result += `${StringPrototypeSlice(str, i, i + 3)}_`;
  return i === 0 ? str : `${result}${StringPrototypeSlice(str, i)}`;
}

function formatNumber(fn, number, numericSeparator) {
  if (!numericSeparator) {
    if (ObjectIs(number, -0)) return fn('-0', 'number');
    return fn(`${number}`, 'number');
  }
  const integer = MathTrunc(number);
  const string = String(integer);
  if (integer === number) {
    if (!NumberIsFinite(number) || StringPrototypeIncludes(string, 'e')) return fn(string, 'number');
    return fn(`${addNumericSeparator(string)}`, 'number');
  }
  if (NumberIsNaN(number)) return fn(string, 'number');
  const fraction = StringPrototypeSlice(String(number), string.length + 1);
  return fn(`${addNumericSeparator(string)}.${addNumericSeparatorEnd(fraction)}`, 'number');
}

function formatBigInt(fn, bigint, numericSeparator) {
  const string = String(bigint);
  if (!numericSeparator) return fn(`${string}n`, 'bigint');
  return fn(`${addNumericSeparator(string)}n`, 'bigint');
}

function formatPrimitive(fn, value, ctx) {
  if (typeof value === 'string') {
    let trailer = '';
    if (value.length > ctx.maxStringLength) {
      const remaining = value.length - ctx.maxStringLength;
      value = StringPrototypeSlice(value, 0, ctx.maxStringLength);
      trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`;
    }
    if (ctx.compact !== true && value.length > 16 &&
        value.length > ctx.breakLength - ctx.indentationLvl - 4) {
      const lines = SafeArrayMap(splitAfterNewlines(value), (line) => fn(strEscape(line), 'string'));
      return ArrayPrototypeJoin(lines, ` +\n${StringPrototypeRepeat(' ', ctx.indentationLvl + 2)}`) + trailer;
    }
    return fn(strEscape(value), 'string') + trailer;
  }
  if (typeof value === 'number') return formatNumber(fn, value, ctx.numericSeparator);
  if (typeof value === 'bigint') return formatBigInt(fn, value, ctx.numericSeparator);
  if (typeof value === 'boolean') return fn(`${value}`, 'boolean');
  if (typeof value === 'undefined') return fn('undefined', 'undefined');
  return fn(SymbolPrototypeToString(value), 'symbol');
}

// Pieces of `str` that each end just after a '\n' (the last one need not).
function splitAfterNewlines(str) {
  const out = [];
  let start = 0;
  let i;
  while ((i = StringPrototypeIndexOf(str, '\n', start)) !== -1 && i + 1 < str.length) {
    ArrayPrototypePush(out, StringPrototypeSlice(str, start, i + 1));
    start = i + 1;
  }
  ArrayPrototypePush(out, StringPrototypeSlice(str, start));
  return out;
}

// ---- names and prefixes ----

const builtInObjects = new Set();
{
  const names = ObjectGetOwnPropertyNames(globalThis);
  const ctorName = /^[A-Z][a-zA-Z0-9]+$/;
  for (let i = 0; i < names.length; i++) {
    // Node takes these names before it installs Buffer.
    if (RegExpPrototypeExec(ctorName, names[i]) !== null && names[i] !== 'Buffer') {
      SetPrototypeAdd(builtInObjects, names[i]);
    }
  }
}

function internalConstructorName(obj) {
  const t = StringPrototypeSlice(ObjectPrototypeToString(obj), 8, -1);
  return t === '' ? 'Object' : t;
}

function getConstructorName(obj, ctx, recurseTimes, protoProps) {
  let firstProto;
  const tmp = obj;
  while (obj) {
    const descriptor = ObjectGetOwnPropertyDescriptor(obj, 'constructor');
    if (descriptor !== undefined && typeof descriptor.value === 'function' &&
        descriptor.value.name !== '' && isInstanceof(tmp, descriptor.value)) {
      if (protoProps !== undefined &&
          (firstProto !== obj || !SetPrototypeHas(builtInObjects, descriptor.value.name))) {
        addPrototypeProperties(ctx, tmp, firstProto || tmp, recurseTimes, protoProps);
      }
      return String(descriptor.value.name);
    }
    obj = ObjectGetPrototypeOf(obj);
    if (firstProto === undefined) firstProto = obj;
  }
  if (firstProto === null) return null;
  const res = internalConstructorName(tmp);
  if (recurseTimes > ctx.depth && ctx.depth !== null) return `${res} <Complex prototype>`;
  const protoConstr = getConstructorName(firstProto, ctx, recurseTimes + 1, protoProps);
  if (protoConstr === null) {
    return `${res} <${inspect(firstProto, { ...ctx, customInspect: false, depth: -1 })}>`;
  }
  return `${res} <${protoConstr}>`;
}

function isInstanceof(object, proto) {
  try { return object instanceof proto; } catch { return false; }
}

// Lists prototype members for showHidden, like Node does for user classes.
function addPrototypeProperties(ctx, main, obj, recurseTimes, output) {
  let depth = 0;
  let keys, keySet;
  do {
    if (depth !== 0 || main === obj) {
      obj = ObjectGetPrototypeOf(obj);
      if (obj === null) return;
      const descriptor = ObjectGetOwnPropertyDescriptor(obj, 'constructor');
      if (descriptor !== undefined && typeof descriptor.value === 'function' &&
          SetPrototypeHas(builtInObjects, descriptor.value.name)) return;
    }
    if (depth === 0) {
      keySet = new Set();
    } else {
      for (let i = 0; i < keys.length; i++) SetPrototypeAdd(keySet, keys[i]);
    }
    keys = ReflectOwnKeys(obj);
    ArrayPrototypePush(ctx.seen, main);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === 'constructor' || ObjectPrototypeHasOwnProperty(main, key) ||
          (depth !== 0 && SetPrototypeHas(keySet, key))) continue;
      const desc = ObjectGetOwnPropertyDescriptor(obj, key);
      if (typeof desc.value === 'function') continue;
      const value = formatProperty(ctx, obj, recurseTimes, key, kObjectType, desc, main);
      if (ctx.colors) ArrayPrototypePush(output, `\u001b[2m${value}\u001b[22m`);
      else ArrayPrototypePush(output, value);
    }
    ArrayPrototypePop(ctx.seen);
  } while (++depth !== 3);
}

function getPrefix(constructor, tag, fallback, size = '') {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `;
    return `[${fallback}${size}: null prototype] `;
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `;
  return `${constructor}${size} `;
}

function isIndexKey(key) {
  if (typeof key !== 'string' || RegExpPrototypeExec(numberRegExp, key) === null) return false;
  return +key < 4294967295;
}

function getKeys(value, showHidden) {
  let keys;
  const symbols = ObjectGetOwnPropertySymbols(value);
  if (showHidden) {
    keys = ObjectGetOwnPropertyNames(value);
    for (let i = 0; i < symbols.length; i++) ArrayPrototypePush(keys, symbols[i]);
  } else {
    keys = ObjectKeys(value);
    for (let i = 0; i < symbols.length; i++) {
      if (ObjectPrototypePropertyIsEnumerable(value, symbols[i])) ArrayPrototypePush(keys, symbols[i]);
    }
  }
  return keys;
}

function getOwnNonIndexProperties(value, showHidden) {
  const all = showHidden ? ReflectOwnKeys(value) : getKeys(value, false);
  const out = [];
  for (let i = 0; i < all.length; i++) {
    if (!isIndexKey(all[i])) ArrayPrototypePush(out, all[i]);
  }
  return out;
}

const kObjectType = 0;
const kArrayType = 1;
const kArrayExtrasType = 2;

// ---- main formatting ----

function getUserOptions(ctx, isCrossContext) {
  const ret = { stylize: ctx.stylize, ...ctx.userOptions };
  const defaults = ObjectKeys(inspectDefaultOptions);
  for (let i = 0; i < defaults.length; i++) {
    if (!(defaults[i] in ret)) ret[defaults[i]] = ctx[defaults[i]];
  }
  if (isCrossContext) {
    ObjectSetPrototypeOf(ret, null);
    const keys = ObjectKeys(ret);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if ((typeof ret[key] === 'object' || typeof ret[key] === 'function') && ret[key] !== null) {
        delete ret[key];
      }
    }
    ret.stylize = (val, styleType) => {
      let stylized;
      try { stylized = `${ctx.stylize(val, styleType)}`; } catch {}
      return typeof stylized !== 'string' ? val : stylized;
    };
  }
  return ret;
}

function getProxyDetails(value) {
  if (typeof native.v8_proxy_details === 'function') {
    return native.v8_proxy_details(value);
  }
  return undefined;
}

function formatValue(ctx, value, recurseTimes, typedArray) {
  if (typeof value !== 'object' && typeof value !== 'function') {
    return formatPrimitive(ctx.stylize, value, ctx);
  }
  if (value === null) return ctx.stylize('null', 'null');

  const context = value;
  const proxy = getProxyDetails(value);
  if (proxy !== undefined) {
    if (proxy === null || proxy[0] === null) return ctx.stylize('<Revoked Proxy>', 'special');
    if (ctx.showProxy) {
      ctx.indentationLvl += 2;
      const res = [formatValue(ctx, proxy[0], recurseTimes + 1), formatValue(ctx, proxy[1], recurseTimes + 1)];
      ctx.indentationLvl -= 2;
      return reduceToSingleString(ctx, res, '', ['Proxy [', ']'], kArrayExtrasType, recurseTimes + 1);
    }
    value = proxy[0];
  }

  if (ctx.customInspect) {
    let maybeCustom;
    try { maybeCustom = value[customInspectSymbol]; } catch { maybeCustom = undefined; }
    if (typeof maybeCustom === 'function' && maybeCustom !== inspect &&
        !(value.constructor && value.constructor.prototype === value)) {
      const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
      const ret = FunctionPrototypeCall(maybeCustom, context, depth, getUserOptions(ctx, proxy !== undefined), inspect);
      if (ret !== context) {
        if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes);
        return SafeStringReplaceAll(ret, '\n', `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`);
      }
    }
  }

  if (ArrayPrototypeIncludes(ctx.seen, value)) {
    let index = 1;
    if (ctx.circular === undefined) {
      ctx.circular = new Map();
      MapPrototypeSet(ctx.circular, value, index);
    } else {
      index = MapPrototypeGet(ctx.circular, value);
      if (index === undefined) {
        index = MapPrototypeGetSize(ctx.circular) + 1;
        MapPrototypeSet(ctx.circular, value, index);
      }
    }
    return ctx.stylize(`[Circular *${index}]`, 'special');
  }
  return formatRaw(ctx, value, recurseTimes, typedArray);
}

function getEmptyFormatArray() { return []; }

function formatRaw(ctx, value, recurseTimes, typedArray) {
  let keys;
  let protoProps;
  if (ctx.showHidden && (recurseTimes <= ctx.depth || ctx.depth === null)) protoProps = [];
  const constructor = getConstructorName(value, ctx, recurseTimes, protoProps);
  if (protoProps !== undefined && protoProps.length === 0) protoProps = undefined;

  let tag;
  try { tag = value[SymbolToStringTag]; } catch { tag = undefined; }
  if (typeof tag !== 'string' ||
      (tag !== '' && (ctx.showHidden ? ObjectPrototypeHasOwnProperty : ObjectPrototypePropertyIsEnumerable)(
        value, SymbolToStringTag))) {
    tag = '';
  }
  let base = '';
  let formatter = getEmptyFormatArray;
  let braces;
  let noIterator = true;
  let extrasType = kObjectType;

  if (SymbolIterator in value || constructor === null) {
    noIterator = false;
    if (ArrayIsArray(value)) {
      const prefix = (constructor !== 'Array' || tag !== '')
        ? getPrefix(constructor, tag, 'Array', `(${value.length})`) : '';
      keys = getOwnNonIndexProperties(value, ctx.showHidden);
      braces = [`${prefix}[`, ']'];
      if (value.length === 0 && keys.length === 0 && protoProps === undefined) return `${braces[0]}]`;
      extrasType = kArrayExtrasType;
      formatter = formatArray;
    } else if (isSet(value)) {
      const size = SetPrototypeGetSize(value);
      const prefix = getPrefix(constructor, tag, 'Set', `(${size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = FunctionPrototypeBind(formatSet, null, value);
      if (size === 0 && keys.length === 0 && protoProps === undefined) return `${prefix}{}`;
      braces = [`${prefix}{`, '}'];
    } else if (isMap(value)) {
      const size = MapPrototypeGetSize(value);
      const prefix = getPrefix(constructor, tag, 'Map', `(${size})`);
      keys = getKeys(value, ctx.showHidden);
      formatter = FunctionPrototypeBind(formatMap, null, value);
      if (size === 0 && keys.length === 0 && protoProps === undefined) return `${prefix}{}`;
      braces = [`${prefix}{`, '}'];
    } else if (isTypedArray(value)) {
      keys = getOwnNonIndexProperties(value, ctx.showHidden);
      const fallback = constructor === null ? TypedArrayPrototypeGetSymbolToStringTag(value) : '';
      const size = TypedArrayPrototypeGetLength(value);
      const prefix = getPrefix(constructor, tag, fallback, `(${size})`);
      braces = [`${prefix}[`, ']'];
      if (size === 0 && keys.length === 0 && !ctx.showHidden) return `${braces[0]}]`;
      formatter = FunctionPrototypeBind(formatTypedArray, null, value, size);
      extrasType = kArrayExtrasType;
    } else {
      noIterator = true;
    }
  }
  if (noIterator) {
    keys = getKeys(value, ctx.showHidden);
    braces = ['{', '}'];
    if (typeof value === 'function') {
      base = getFunctionBase(value, constructor, tag);
      if (keys.length === 0 && protoProps === undefined) return ctx.stylize(base, 'special');
    } else if (constructor === 'Object') {
      if (ObjectPrototypeToString(value) === '[object Arguments]') {
        braces[0] = '[Arguments] {';
      } else if (tag !== '') {
        braces[0] = `${getPrefix(constructor, tag, 'Object')}{`;
      }
      if (keys.length === 0 && protoProps === undefined) return `${braces[0]}}`;
    } else if (isRegExp(value)) {
      base = RegExpPrototypeToString(constructor !== null ? value : new RegExp(value));
      const prefix = getPrefix(constructor, tag, 'RegExp');
      if (prefix !== 'RegExp ') base = `${prefix}${base}`;
      if ((keys.length === 0 && protoProps === undefined) ||
          (recurseTimes > ctx.depth && ctx.depth !== null)) {
        return ctx.stylize(base, 'regexp');
      }
    } else if (isDate(value)) {
      const valid = !NumberIsNaN(DatePrototypeGetTime(value));
      if (keys.length === 0 && protoProps === undefined) {
        return valid ? ctx.stylize(DatePrototypeToISOString(value), 'date')
          : ctx.stylize(DatePrototypeToString(value), 'date');
      }
      base = valid ? DatePrototypeToISOString(value) : DatePrototypeToString(value);
      const prefix = getPrefix(constructor, tag, 'Date');
      if (prefix !== 'Date ') base = `${prefix}${base}`;
    } else if (isError(value)) {
      base = formatError(value, constructor, tag, ctx, keys);
      if (keys.length === 0 && protoProps === undefined) return base;
    } else if (isArrayBuffer(value)) {
      const prefix = getPrefix(constructor, tag, 'ArrayBuffer');
      if (typedArray === undefined) {
        formatter = formatArrayBuffer;
      } else if (keys.length === 0 && protoProps === undefined) {
        return prefix + `{ byteLength: ${formatNumber(ctx.stylize, ArrayBufferPrototypeGetByteLength(value), false)} }`;
      }
      braces[0] = `${prefix}{`;
      ArrayPrototypeUnshift(keys, 'byteLength');
    } else if (isDataView(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`;
      ArrayPrototypeUnshift(keys, 'byteLength', 'byteOffset', 'buffer');
    } else if (isPromise(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'Promise')}{`;
      formatter = formatPromise;
    } else if (isWeakSet(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'WeakSet')}{`;
      formatter = formatWeakCollection;
    } else if (isWeakMap(value)) {
      braces[0] = `${getPrefix(constructor, tag, 'WeakMap')}{`;
      formatter = formatWeakCollection;
    } else if (hasFlag(value, kModuleNamespace, () => false)) {
      braces[0] = `${getPrefix(constructor, tag, 'Module')}{`;
      formatter = FunctionPrototypeBind(formatNamespace, null, keys);
    } else {
      const type = boxedType(value);
      if (type !== null) {
        base = getBoxedBase(value, ctx, keys, constructor, tag, type);
        if (keys.length === 0 && protoProps === undefined) return base;
      } else {
        if (keys.length === 0 && protoProps === undefined) {
          return `${getCtxName(constructor, tag, 'Object')}{}`;
        }
        braces[0] = `${getCtxName(constructor, tag, 'Object')}{`;
      }
    }
  }

  if (recurseTimes > ctx.depth && ctx.depth !== null) {
    let constructorName = StringPrototypeSlice(getCtxName(constructor, tag, 'Object'), 0, -1);
    if (constructor !== null) constructorName = `[${constructorName}]`;
    return ctx.stylize(constructorName, 'special');
  }
  recurseTimes += 1;
  ArrayPrototypePush(ctx.seen, value);
  ctx.currentDepth = recurseTimes;
  let output;
  try {
    output = formatter(ctx, value, recurseTimes);
    for (let i = 0; i < keys.length; i++) {
      ArrayPrototypePush(output,
        formatProperty(ctx, value, recurseTimes, keys[i], extrasType === kArrayExtrasType ? kArrayType : kObjectType));
    }
    if (protoProps !== undefined) {
      for (let i = 0; i < protoProps.length; i++) ArrayPrototypePush(output, protoProps[i]);
    }
  } catch (err) {
    if (isStackOverflow(err)) {
      ArrayPrototypePop(ctx.seen);
      const name = StringPrototypeSlice(getCtxName(constructor, tag, 'Object'), 0, -1);
      return ctx.stylize(`[${name}: Inspection interrupted prematurely. Maximum call stack size exceeded.]`, 'special');
    }
    throw err;
  }
  if (ctx.circular !== undefined) {
    const index = MapPrototypeGet(ctx.circular, value);
    if (index !== undefined) {
      const reference = ctx.stylize(`<ref *${index}>`, 'special');
      if (ctx.compact !== true) base = base === '' ? reference : `${reference} ${base}`;
      else braces[0] = `${reference} ${braces[0]}`;
    }
  }
  ArrayPrototypePop(ctx.seen);
  if (ctx.sorted) {
    const comparator = ctx.sorted === true ? undefined : ctx.sorted;
    if (extrasType === kObjectType) {
      ArrayPrototypeSort(output, comparator);
    } else if (keys.length > 1) {
      const start = output.length - keys.length;
      const sorted = ArrayPrototypeSort(SafeArraySlice(output, start), comparator);
      for (let i = 0; i < sorted.length; i++) output[start + i] = sorted[i];
    }
  }
  const res = reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
  const budget = ctx.budget[ctx.indentationLvl] || 0;
  const newLength = budget + res.length;
  ctx.budget[ctx.indentationLvl] = newLength;
  if (newLength > 2 ** 27) ctx.depth = -1;
  return res;
}

const getCtxName = getPrefix;

function isStackOverflow(err) {
  return err instanceof RangeError && err.message === 'Maximum call stack size exceeded';
}

const classHeadRegExp = /^\s*(?:extends\s+[^{]+)?\s*$|^\s+[A-Za-z_$][\w$]*\s*(?:extends\s+[^{]+)?\s*$/;
const commentsRegExp = /\/\/.*?\n|\/\*(.|\n)*?\*\//g;

function getFunctionBase(value, constructor, tag) {
  let stringified = '';
  try { stringified = FunctionPrototypeToString(value); } catch {}
  if (StringPrototypeStartsWith(stringified, 'class') && StringPrototypeEndsWith(stringified, '}')) {
    const slice = StringPrototypeSlice(stringified, 5, -1);
    const bracketIndex = StringPrototypeIndexOf(slice, '{');
    const head = StringPrototypeSlice(slice, 0, bracketIndex);
    if (bracketIndex !== -1 &&
        (!StringPrototypeIncludes(head, '(') ||
         RegExpPrototypeExec(classHeadRegExp, SafeRegExpReplaceAll(commentsRegExp, head, '')) !== null)) {
      return getClassBase(value, constructor, tag);
    }
  }
  let type = 'Function';
  const t = ObjectPrototypeToString(value);
  if (t === '[object GeneratorFunction]') type = 'GeneratorFunction';
  else if (t === '[object AsyncFunction]') type = 'AsyncFunction';
  else if (t === '[object AsyncGeneratorFunction]') type = 'AsyncGeneratorFunction';
  let base = `[${type}`;
  if (constructor === null) base += ' (null prototype)';
  if (value.name === '') base += ' (anonymous)';
  else base += `: ${value.name}`;
  base += ']';
  if (constructor !== type && constructor !== null) base += ` ${constructor}`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  return base;
}

function getClassBase(value, constructor, tag) {
  const name = (ObjectPrototypeHasOwnProperty(value, 'name') && value.name) || '(anonymous)';
  let base = `class ${name}`;
  if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`;
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`;
  if (constructor !== null) {
    const superName = ObjectGetPrototypeOf(value).name;
    if (superName) base += ` extends ${superName}`;
  } else {
    base += ' extends [null prototype]';
  }
  return `[${base}]`;
}

function getBoxedBase(value, ctx, keys, constructor, tag, type) {
  let fn;
  if (type === 'Number') fn = NumberPrototypeValueOf;
  else if (type === 'String') {
    fn = StringPrototypeValueOf;
    SafeArraySplice(keys, 0, value.length);
  } else if (type === 'Boolean') fn = BooleanPrototypeValueOf;
  else if (type === 'BigInt') fn = BigIntPrototypeValueOf;
  else fn = SymbolPrototypeValueOf;
  let base = `[${type}`;
  if (type !== constructor) {
    if (constructor === null) base += ' (null prototype)';
    else base += ` (${constructor})`;
  }
  base += `: ${formatPrimitive(stylizeNoColor, fn(value), ctx)}]`;
  if (tag !== '' && tag !== constructor) base += ` [${tag}]`;
  if (keys.length !== 0 || ctx.stylize === stylizeNoColor) return base;
  return ctx.stylize(base, StringPrototypeToLowerCase(type));
}

function getStackString(error) {
  return error.stack ? String(error.stack) : ErrorPrototypeToString(error);
}

function removeDuplicateErrorKeys(ctx, keys, err, stack) {
  if (!ctx.showHidden && keys.length !== 0) {
    const names = ['name', 'message', 'stack'];
    for (let i = 0; i < names.length; i++) {
      const index = ArrayPrototypeIndexOf(keys, names[i]);
      if (index !== -1 && StringPrototypeIncludes(stack, err[names[i]])) SafeArraySplice(keys, index, 1);
    }
  }
}

const errorNameRegExp = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n\s+at)/;
const errorOnlyRegExp = /^([a-z_A-Z0-9-]*Error)$/;

function improveStack(stack, constructor, name, tag) {
  let len = name.length;
  if (constructor === null ||
      (StringPrototypeEndsWith(name, 'Error') && StringPrototypeStartsWith(stack, name) &&
       (stack.length === len || stack[len] === ':' || stack[len] === '\n'))) {
    let fallback = 'Error';
    if (constructor === null) {
      const start = RegExpPrototypeExec(errorNameRegExp, stack) ||
        RegExpPrototypeExec(errorOnlyRegExp, stack);
      fallback = (start && start[1]) || '';
      len = fallback.length;
      fallback = fallback || 'Error';
    }
    const prefix = StringPrototypeSlice(getPrefix(constructor, tag, fallback), 0, -1);
    if (name !== prefix) {
      if (StringPrototypeIncludes(prefix, name)) {
        if (len === 0) stack = `${prefix}: ${stack}`;
        else stack = `${prefix}${StringPrototypeSlice(stack, len)}`;
      } else {
        stack = `${prefix} [${name}]${StringPrototypeSlice(stack, len)}`;
      }
    }
  }
  return stack;
}

function identicalSequenceRange(a, b) {
  for (let i = 0; i < a.length - 3; i++) {
    const pos = ArrayPrototypeIndexOf(b, a[i]);
    if (pos !== -1) {
      const rest = b.length - pos;
      if (rest > 3) {
        let len = 1;
        const maxLen = MathMin(a.length - i, rest);
        while (maxLen > len && a[i + len] === b[pos + len]) len++;
        if (len > 3) return { len, offset: i };
      }
    }
  }
  return { len: 0, offset: 0 };
}

function getStackFrames(ctx, err, stack) {
  const frames = StringPrototypeSplit(stack, '\n');
  let cause;
  try { ({ cause } = err); } catch {}
  if (cause != null && isError(cause)) {
    const causeStack = getStackString(cause);
    const causeStackStart = StringPrototypeIndexOf(causeStack, '\n    at');
    if (causeStackStart !== -1) {
      const causeFrames = StringPrototypeSplit(StringPrototypeSlice(causeStack, causeStackStart + 1), '\n');
      const { len, offset } = identicalSequenceRange(frames, causeFrames);
      if (len > 0) {
        const skipped = len - 2;
        const msg = `    ... ${skipped} lines matching cause stack trace ...`;
        SafeArraySplice(frames, offset + 1, skipped, ctx.stylize(msg, 'undefined'));
      }
    }
  }
  return frames;
}

function formatError(err, constructor, tag, ctx, keys) {
  const name = err.name != null ? String(err.name) : 'Error';
  let stack = getStackString(err);
  removeDuplicateErrorKeys(ctx, keys, err, stack);
  if ('cause' in err && (keys.length === 0 || !ArrayPrototypeIncludes(keys, 'cause'))) {
    ArrayPrototypePush(keys, 'cause');
  }
  if (ArrayIsArray(err.errors) && (keys.length === 0 || !ArrayPrototypeIncludes(keys, 'errors'))) {
    ArrayPrototypePush(keys, 'errors');
  }
  stack = improveStack(stack, constructor, name, tag);
  let pos = (err.message && StringPrototypeIndexOf(stack, err.message)) || -1;
  if (pos !== -1) pos += err.message.length;
  const stackStart = StringPrototypeIndexOf(stack, '\n    at', pos);
  if (stackStart === -1) {
    stack = `[${stack}]`;
  } else {
    let newStack = StringPrototypeSlice(stack, 0, stackStart);
    const lines = getStackFrames(ctx, err, StringPrototypeSlice(stack, stackStart + 1));
    if (ctx.colors) {
      for (let i = 0; i < lines.length; i++) newStack += `\n${ctx.stylize(lines[i], 'undefined')}`;
    } else {
      newStack += `\n${ArrayPrototypeJoin(lines, '\n')}`;
    }
    stack = newStack;
  }
  if (ctx.indentationLvl !== 0) {
    stack = SafeStringReplaceAll(stack, '\n', `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`);
  }
  return stack;
}

function formatArrayBuffer(ctx, value) {
  let buffer;
  try { buffer = new Uint8Array(value); } catch { return [ctx.stylize('(detached)', 'special')]; }
  const n = MathMin(ctx.maxArrayLength, buffer.length);
  let str = '';
  for (let i = 0; i < n; i++) {
    str += (i === 0 ? '' : ' ') + (buffer[i] < 16 ? '0' : '') + NumberPrototypeToString(buffer[i], 16);
  }
  const remaining = buffer.length - ctx.maxArrayLength;
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`;
  return [`${ctx.stylize('[Uint8Contents]', 'special')}: <${str}>`];
}

function remainingText(remaining) {
  return `... ${remaining} more item${remaining > 1 ? 's' : ''}`;
}

function formatArray(ctx, value, recurseTimes) {
  const valLen = value.length;
  const len = MathMin(MathMax(0, ctx.maxArrayLength), valLen);
  const remaining = valLen - len;
  const output = [];
  for (let i = 0; i < len; i++) {
    if (!ObjectPrototypeHasOwnProperty(value, i)) return formatArrayHoles(ctx, value, recurseTimes, len, output, i);
    ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, i, kArrayExtrasType));
  }
  if (remaining > 0) ArrayPrototypePush(output, remainingText(remaining));
  return output;
}

function formatArrayHoles(ctx, value, recurseTimes, maxLength, output, i) {
  const keys = ObjectKeys(value);
  let index = i;
  for (; i < keys.length && output.length < maxLength; i++) {
    const key = keys[i];
    const tmp = +key;
    if (tmp > 2 ** 32 - 2) break;
    if (`${index}` !== key) {
      if (RegExpPrototypeExec(numberRegExp, key) === null) break;
      const emptyItems = tmp - index;
      ArrayPrototypePush(output, ctx.stylize(`<${emptyItems} empty item${emptyItems > 1 ? 's' : ''}>`, 'undefined'));
      index = tmp;
      if (output.length === maxLength) break;
    }
    ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, key, kArrayExtrasType));
    index++;
  }
  const remaining = value.length - index;
  if (output.length !== maxLength) {
    if (remaining > 0) {
      ArrayPrototypePush(output, ctx.stylize(`<${remaining} empty item${remaining > 1 ? 's' : ''}>`, 'undefined'));
    }
  } else if (remaining > 0) {
    ArrayPrototypePush(output, remainingText(remaining));
  }
  return output;
}

function formatTypedArray(value, length, ctx, ignored, recurseTimes) {
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const remaining = length - maxLength;
  const output = new Array(maxLength);
  const elementFormatter = length > 0 && typeof value[0] === 'number' ? formatNumber : formatBigInt;
  for (let i = 0; i < maxLength; ++i) {
    output[i] = elementFormatter(ctx.stylize, value[i], ctx.numericSeparator);
  }
  if (remaining > 0) output[maxLength] = remainingText(remaining);
  if (ctx.showHidden) {
    ctx.indentationLvl += 2;
    const hidden = ['BYTES_PER_ELEMENT', 'length', 'byteLength', 'byteOffset', 'buffer'];
    for (let i = 0; i < hidden.length; i++) {
      const str = formatValue(ctx, value[hidden[i]], recurseTimes, true);
      ArrayPrototypePush(output, `[${hidden[i]}]: ${str}`);
    }
    ctx.indentationLvl -= 2;
  }
  return output;
}

// Up to `max` entries of a Map (key, value, key, value, ...: `pairs`) or
// a Set, read with the builtin iterators whatever the guest did to them.
function collectionEntries(value, max, pairs) {
  const out = [];
  if (pairs) {
    const it = MapPrototypeEntries(value);
    for (let i = 0; i < max; i++) {
      const r = MapIteratorPrototypeNext(it);
      if (r.done) break;
      ArrayPrototypePush(out, r.value[0], r.value[1]);
    }
  } else {
    const it = SetPrototypeValues(value);
    for (let i = 0; i < max; i++) {
      const r = SetIteratorPrototypeNext(it);
      if (r.done) break;
      ArrayPrototypePush(out, r.value);
    }
  }
  return out;
}

// The first maxArrayLength entries of a Set or Map, then "... N more items".
function formatSet(value, ctx, ignored, recurseTimes) {
  const length = SetPrototypeGetSize(value);
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const entries = collectionEntries(value, maxLength, false);
  const output = [];
  ctx.indentationLvl += 2;
  for (let i = 0; i < entries.length; i++) ArrayPrototypePush(output, formatValue(ctx, entries[i], recurseTimes));
  if (length > maxLength) ArrayPrototypePush(output, remainingText(length - maxLength));
  ctx.indentationLvl -= 2;
  return output;
}

function formatMap(value, ctx, ignored, recurseTimes) {
  const length = MapPrototypeGetSize(value);
  const maxLength = MathMin(MathMax(0, ctx.maxArrayLength), length);
  const entries = collectionEntries(value, maxLength, true);
  const output = [];
  ctx.indentationLvl += 2;
  for (let i = 0; i < entries.length; i += 2) {
    ArrayPrototypePush(output,
      `${formatValue(ctx, entries[i], recurseTimes)} => ${formatValue(ctx, entries[i + 1], recurseTimes)}`);
  }
  if (length > maxLength) ArrayPrototypePush(output, remainingText(length - maxLength));
  ctx.indentationLvl -= 2;
  return output;
}

function formatPromise(ctx, value, recurseTimes) {
  let details;
  if (typeof native.v8_promise_state === 'function') details = native.v8_promise_state(value);
  else details = require('timers').promiseDetails(value);
  if (details === undefined || details[0] === 0) return [ctx.stylize('<pending>', 'special')];
  ctx.indentationLvl += 2;
  const str = formatValue(ctx, details[1], recurseTimes);
  ctx.indentationLvl -= 2;
  return [details[0] === 2 ? `${ctx.stylize('<rejected>', 'special')} ${str}` : str];
}

// A module namespace's exports; one not yet initialized (a binding in its
// temporal dead zone) reads as <uninitialized>, as Node shows it.
function formatNamespace(keys, ctx, value, recurseTimes) {
  const output = [];
  for (let i = 0; i < keys.length; i++) {
    try {
      ArrayPrototypePush(output, formatProperty(ctx, value, recurseTimes, keys[i], kObjectType));
    } catch (err) {
      if (!isNativeError(err) || err.name !== 'ReferenceError') throw err;
      const shown = formatProperty(ctx, { __proto__: null, [keys[i]]: '' }, recurseTimes, keys[i], kObjectType);
      ArrayPrototypePush(output, StringPrototypeSlice(shown, 0, StringPrototypeLastIndexOf(shown, ' ') + 1) +
        ctx.stylize('<uninitialized>', 'special'));
    }
  }
  keys.length = 0;
  return output;
}

function formatWeakCollection(ctx) {
  return [ctx.stylize('<items unknown>', 'special')];
}

function formatProperty(ctx, value, recurseTimes, key, type, desc, original = value) {
  let name, str;
  let extra = ' ';
  desc = desc || ObjectGetOwnPropertyDescriptor(value, key) || { value: value[key], enumerable: true };
  if (desc.value !== undefined) {
    const diff = (ctx.compact !== true || type !== kObjectType) ? 2 : 3;
    ctx.indentationLvl += diff;
    str = formatValue(ctx, desc.value, recurseTimes);
    if (diff === 3 && ctx.breakLength < getStringWidth(str, ctx.colors)) {
      extra = `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`;
    }
    ctx.indentationLvl -= diff;
  } else if (desc.get !== undefined) {
    const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter';
    const s = ctx.stylize;
    const sp = 'special';
    if (ctx.getters && (ctx.getters === true ||
          (ctx.getters === 'get' && desc.set === undefined) ||
          (ctx.getters === 'set' && desc.set !== undefined))) {
      try {
        const tmp = FunctionPrototypeCall(desc.get, original);
        ctx.indentationLvl += 2;
        if (tmp === null) str = `${s(`[${label}:`, sp)} ${s('null', 'null')}${s(']', sp)}`;
        else if (typeof tmp === 'object') str = `${s(`[${label}]`, sp)} ${formatValue(ctx, tmp, recurseTimes)}`;
        else str = `${s(`[${label}:`, sp)} ${formatPrimitive(s, tmp, ctx)}${s(']', sp)}`;
        ctx.indentationLvl -= 2;
      } catch (err) {
        str = `${s(`[${label}: <Inspection threw (${err.message})>]`, sp)}`;
      }
    } else {
      str = ctx.stylize(`[${label}]`, sp);
    }
  } else if (desc.set !== undefined) {
    str = ctx.stylize('[Setter]', 'special');
  } else {
    str = ctx.stylize('undefined', 'undefined');
  }
  if (type === kArrayExtrasType) return str;
  if (typeof key === 'symbol') {
    name = `[${ctx.stylize(SafeRegExpReplaceAll(escapeReplaceRe, SymbolPrototypeToString(key), escapeFn), 'symbol')}]`;
  } else if (key === '__proto__') {
    name = "['__proto__']";
  } else if (desc.enumerable === false) {
    name = `[${SafeRegExpReplaceAll(escapeReplaceRe, String(key), escapeFn)}]`;
  } else if (RegExpPrototypeExec(keyStrRegExp, key) !== null) {
    name = ctx.stylize(key, 'name');
  } else {
    name = ctx.stylize(strEscape(String(key)), 'string');
  }
  return `${name}:${extra}${str}`;
}

function getStringWidth(str, removeControlChars = true) {
  if (removeControlChars) str = removeColors(str);
  let width = 0;
  str = StringPrototypeNormalize(str, 'NFC');
  for (let i = 0; i < str.length; i++) {
    const code = StringPrototypeCodePointAt(str, i);
    if (code > 0xffff) i++;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x300 && code <= 0x36f) ||
        (code >= 0x200b && code <= 0x200f) || (code >= 0xfe00 && code <= 0xfe0f)) continue;
    width += isFullWidth(code) ? 2 : 1;
  }
  return width;
}
function isFullWidth(code) {
  return code >= 0x1100 && (code <= 0x115f || code === 0x2329 || code === 0x232a ||
    (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) ||
    (code >= 0x3250 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0xa4c6) ||
    (code >= 0xa960 && code <= 0xa97c) || (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe10 && code <= 0xfe19) ||
    (code >= 0xfe30 && code <= 0xfe6b) || (code >= 0xff01 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1b000 && code <= 0x1b001) ||
    (code >= 0x1f200 && code <= 0x1f251) || (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x20000 && code <= 0x3fffd));
}

function groupArrayElements(ctx, output, value) {
  let totalLength = 0;
  let maxLength = 0;
  let i = 0;
  let outputLength = output.length;
  if (ctx.maxArrayLength < output.length) outputLength--;
  const separatorSpace = 2;
  const dataLen = new Array(outputLength);
  for (; i < outputLength; i++) {
    const len = getStringWidth(output[i], ctx.colors);
    dataLen[i] = len;
    totalLength += len + separatorSpace;
    if (maxLength < len) maxLength = len;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
      (totalLength / actualMax > 5 || maxLength <= 6)) {
    const approxCharHeights = 2.5;
    const averageBias = MathSqrt(actualMax - totalLength / output.length);
    const biasedMax = MathMax(actualMax - 3 - averageBias, 1);
    const columns = MathMin(
      MathRound(MathSqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
      MathFloor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      ctx.compact * 4,
      15,
    );
    if (columns <= 1) return output;
    const tmp = [];
    const maxLineLength = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) {
        if (dataLen[j] > lineLength) lineLength = dataLen[j];
      }
      ArrayPrototypePush(maxLineLength, lineLength + separatorSpace);
    }
    let padStart = true;
    if (value !== undefined) {
      for (let i = 0; i < output.length; i++) {
        if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
          padStart = false;
          break;
        }
      }
    }
    for (let i = 0; i < outputLength; i += columns) {
      const max = MathMin(i + columns, outputLength);
      let str = '';
      let j = i;
      for (; j < max - 1; j++) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j];
        str += padStart ? StringPrototypePadStart(`${output[j]}, `, padding, ' ')
          : StringPrototypePadEnd(`${output[j]}, `, padding, ' ');
      }
      if (padStart) {
        const padding = maxLineLength[j - i] + output[j].length - dataLen[j] - separatorSpace;
        str += StringPrototypePadStart(output[j], padding, ' ');
      } else {
        str += output[j];
      }
      ArrayPrototypePush(tmp, str);
    }
    if (ctx.maxArrayLength < output.length) ArrayPrototypePush(tmp, output[outputLength]);
    output = tmp;
  }
  return output;
}

function isBelowBreakLength(ctx, output, start, base) {
  let totalLength = output.length + start;
  if (totalLength + output.length > ctx.breakLength) return false;
  for (let i = 0; i < output.length; i++) {
    totalLength += ctx.colors ? removeColors(output[i]).length : output[i].length;
    if (totalLength > ctx.breakLength) return false;
  }
  return base === '' || !StringPrototypeIncludes(base, '\n');
}

function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const entries = output.length;
      if (extrasType === kArrayExtrasType && entries > 6) {
        output = groupArrayElements(ctx, output, value);
      }
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joinedOutput = ArrayPrototypeJoin(output, ', ');
          if (!StringPrototypeIncludes(joinedOutput, '\n')) {
            return `${base ? `${base} ` : ''}${braces[0]} ${joinedOutput} ${braces[1]}`;
          }
        }
      }
    }
    const indentation = `\n${StringPrototypeRepeat(' ', ctx.indentationLvl)}`;
    const body = ArrayPrototypeJoin(output, `,${indentation}  `);
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${body}${indentation}${braces[1]}`;
  }
  if (isBelowBreakLength(ctx, output, 0, base)) {
    return `${braces[0]}${base ? ` ${base}` : ''} ${ArrayPrototypeJoin(output, ', ')} ${braces[1]}`;
  }
  const indentation = StringPrototypeRepeat(' ', ctx.indentationLvl);
  const ln = base === '' && braces[0].length === 1 ? ' ' : `${base ? ` ${base}` : ''}\n${indentation}  `;
  return `${braces[0]}${ln}${ArrayPrototypeJoin(output, `,\n${indentation}  `)} ${braces[1]}`;
}

function inspect(value, opts) {
  const ctx = {
    budget: {},
    indentationLvl: 0,
    seen: [],
    currentDepth: 0,
    stylize: stylizeNoColor,
    showHidden: inspectDefaultOptions.showHidden,
    depth: inspectDefaultOptions.depth,
    colors: inspectDefaultOptions.colors,
    customInspect: inspectDefaultOptions.customInspect,
    showProxy: inspectDefaultOptions.showProxy,
    maxArrayLength: inspectDefaultOptions.maxArrayLength,
    maxStringLength: inspectDefaultOptions.maxStringLength,
    breakLength: inspectDefaultOptions.breakLength,
    compact: inspectDefaultOptions.compact,
    sorted: inspectDefaultOptions.sorted,
    getters: inspectDefaultOptions.getters,
    numericSeparator: inspectDefaultOptions.numericSeparator,
  };
  if (arguments.length > 1) {
    if (arguments.length > 2) {
      if (arguments[2] !== undefined) ctx.depth = arguments[2];
      if (arguments.length > 3 && arguments[3] !== undefined) ctx.colors = arguments[3];
    }
    if (typeof opts === 'boolean') {
      ctx.showHidden = opts;
    } else if (opts) {
      const optKeys = ObjectKeys(opts);
      for (let i = 0; i < optKeys.length; ++i) {
        const key = optKeys[i];
        if (ObjectPrototypeHasOwnProperty(inspectDefaultOptions, key) || key === 'stylize') {
          ctx[key] = opts[key];
        } else if (ctx.userOptions === undefined) {
          ctx.userOptions = opts;
        }
      }
    }
  }
  if (ctx.colors) ctx.stylize = stylizeWithColor;
  if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
  if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  return formatValue(ctx, value, 0);
}
inspect.custom = customInspectSymbol;
ObjectDefineProperty(inspect, 'defaultOptions', {
  __proto__: null,
  get() { return inspectDefaultOptions; },
  set(options) {
    if (options === null || typeof options !== 'object') {
      throw require('errors').invalidArgType('options', 'Object', options);
    }
    ObjectAssign(inspectDefaultOptions, options);
  },
});
inspect.colors = ObjectAssign(ObjectCreate(null), colorCodes);
for (let i = 0; i < colorAliases.length; i += 2) {
  const target = colorAliases[i + 1];
  ObjectDefineProperty(inspect.colors, colorAliases[i], {
    __proto__: null,
    get() { return this[target]; },
    set(value) { this[target] = value; },
    configurable: true,
    enumerable: false,
  });
}
inspect.styles = ObjectAssign(ObjectCreate(null), styles);

// ---- format ----

function hasBuiltInToString(value) {
  const proxy = getProxyDetails(value);
  if (proxy !== undefined) {
    if (proxy === null) return true;
    value = proxy[0];
  }
  if (typeof value.toString !== 'function') return true;
  if (ObjectPrototypeHasOwnProperty(value, 'toString')) return false;
  let pointer = value;
  do {
    pointer = ObjectGetPrototypeOf(pointer);
  } while (!ObjectPrototypeHasOwnProperty(pointer, 'toString'));
  const descriptor = ObjectGetOwnPropertyDescriptor(pointer, 'constructor');
  return descriptor !== undefined && typeof descriptor.value === 'function' &&
    SetPrototypeHas(builtInObjects, descriptor.value.name);
}

const circularRegExp = /circular/i;

function tryStringify(arg) {
  try {
    return JSONStringify(arg);
  } catch (err) {
    if (err instanceof TypeError && RegExpPrototypeExec(circularRegExp, err.message) !== null) return '[Circular]';
    throw err;
  }
}

function formatWithOptionsInternal(inspectOptions, args) {
  const first = args[0];
  let a = 0;
  let str = '';
  let join = '';
  if (typeof first === 'string') {
    if (args.length === 1) return first;
    let tempStr;
    let lastPos = 0;
    for (let i = 0; i < first.length - 1; i++) {
      if (StringPrototypeCharCodeAt(first, i) === 37) {
        const nextChar = StringPrototypeCharCodeAt(first, ++i);
        if (a + 1 !== args.length) {
          switch (nextChar) {
            case 115: { // s
              const tempArg = args[++a];
              if (typeof tempArg === 'number') tempStr = formatNumber(stylizeNoColor, tempArg, false);
              else if (typeof tempArg === 'bigint') tempStr = formatBigInt(stylizeNoColor, tempArg, false);
              else if (typeof tempArg !== 'object' || tempArg === null || !hasBuiltInToString(tempArg)) tempStr = String(tempArg);
              else tempStr = inspect(tempArg, { ...inspectOptions, depth: 0, colors: false, compact: 3 });
              break;
            }
            case 106: tempStr = tryStringify(args[++a]); break; // j
            case 100: { // d
              const tempNum = args[++a];
              if (typeof tempNum === 'bigint') tempStr = formatBigInt(stylizeNoColor, tempNum, false);
              else if (typeof tempNum === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(stylizeNoColor, Number(tempNum), false);
              break;
            }
            case 79: tempStr = inspect(args[++a], inspectOptions); break; // O
            case 111: // o
              tempStr = inspect(args[++a], { ...inspectOptions, showHidden: true, showProxy: true, depth: 4 });
              break;
            case 105: { // i
              const tempInteger = args[++a];
              if (typeof tempInteger === 'bigint') tempStr = formatBigInt(stylizeNoColor, tempInteger, false);
              else if (typeof tempInteger === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(stylizeNoColor, NumberParseInt(tempInteger), false);
              break;
            }
            case 102: { // f
              const tempFloat = args[++a];
              if (typeof tempFloat === 'symbol') tempStr = 'NaN';
              else tempStr = formatNumber(stylizeNoColor, NumberParseFloat(tempFloat), false);
              break;
            }
            case 99: a += 1; tempStr = ''; break; // c
            case 37: str += StringPrototypeSlice(first, lastPos, i); lastPos = i + 1; continue;
            default: continue;
          }
          if (lastPos !== i - 1) str += StringPrototypeSlice(first, lastPos, i - 1);
          str += tempStr;
          lastPos = i + 1;
        } else if (nextChar === 37) {
          str += StringPrototypeSlice(first, lastPos, i);
          lastPos = i + 1;
        }
      }
    }
    if (lastPos !== 0) {
      a++;
      join = ' ';
      if (lastPos < first.length) str += StringPrototypeSlice(first, lastPos);
    }
  }
  while (a < args.length) {
    const value = args[a];
    str += join;
    str += typeof value !== 'string' ? inspect(value, inspectOptions) : value;
    join = ' ';
    a++;
  }
  return str;
}

function format(...args) {
  return formatWithOptionsInternal(undefined, args);
}

// format() over an array of arguments (console's methods).
function formatArgs(args) {
  return formatWithOptionsInternal(undefined, args);
}

function formatWithOptions(inspectOptions, ...args) {
  if (typeof inspectOptions !== 'object' || inspectOptions === null) {
    throw require('errors').invalidArgType('inspectOptions', 'Object', inspectOptions);
  }
  return formatWithOptionsInternal(inspectOptions, args);
}

exports.inspect = inspect;
exports.format = format;
exports.formatArgs = formatArgs;
exports.formatArgsWith = formatWithOptionsInternal;
exports.collectionEntries = collectionEntries;
exports.formatWithOptions = formatWithOptions;
exports.stripVTControlCharacters = removeColors;
exports.getStringWidth = getStringWidth;
exports.isError = isError;
// Names for the values of a callback that passes several (fs.read), for
// util.promisify.
exports.kCustomPromisifyArgs = Symbol('customPromisifyArgs');
exports.identicalSequenceRange = identicalSequenceRange;

// util.types, in Node's key order, each function under its own name.
function named(name, fn) {
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: name, configurable: true });
  return fn;
}
const isBoxed = (v) => typeof v === 'object' && v !== null && boxedType(v) !== null;
const boxedIs = (type) => named(`is${type}Object`, (v) => typeof v === 'object' && v !== null && boxedType(v) === type);
const typedIs = (tag) => named(`is${tag}`, (v) => TypedArrayPrototypeGetSymbolToStringTag(v) === tag);
const notAvailable = (name) => named(name, () => false);
exports.types = {
  isExternal: (v) => hasFlag(v, kExternal, () => false),
  isDate,
  isArgumentsObject: (v) => hasFlag(v, kArguments, tagIs('[object Arguments]')),
  isBigIntObject: boxedIs('BigInt'),
  isBooleanObject: boxedIs('Boolean'),
  isNumberObject: boxedIs('Number'),
  isStringObject: boxedIs('String'),
  isSymbolObject: boxedIs('Symbol'),
  isNativeError,
  isRegExp,
  isAsyncFunction: (v) => typeof v === 'function' && hasFlag(v, kAsyncFunction, (f) =>
    ObjectPrototypeToString(f) === '[object AsyncFunction]' || ObjectPrototypeToString(f) === '[object AsyncGeneratorFunction]'),
  isGeneratorFunction: (v) => typeof v === 'function' && hasFlag(v, kGeneratorFunction, (f) =>
    ObjectPrototypeToString(f) === '[object GeneratorFunction]' || ObjectPrototypeToString(f) === '[object AsyncGeneratorFunction]'),
  isGeneratorObject: (v) => hasFlag(v, kGeneratorObject, (o) =>
    ObjectPrototypeToString(o) === '[object Generator]' || ObjectPrototypeToString(o) === '[object AsyncGenerator]'),
  isPromise,
  isMap,
  isSet,
  isMapIterator: (v) => hasFlag(v, kMapIterator, tagIs('[object Map Iterator]')),
  isSetIterator: (v) => hasFlag(v, kSetIterator, tagIs('[object Set Iterator]')),
  isWeakMap,
  isWeakSet,
  isArrayBuffer,
  isDataView,
  // The sandbox has no SharedArrayBuffer.
  isSharedArrayBuffer: notAvailable('isSharedArrayBuffer'),
  isProxy: (v) => hasFlag(v, kProxy, (p) => getProxyDetails(p) !== undefined),
  isModuleNamespaceObject: (v) => hasFlag(v, kModuleNamespace, () => false),
  isAnyArrayBuffer: named('isAnyArrayBuffer', (v) => isArrayBuffer(v)),
  isBoxedPrimitive: named('isBoxedPrimitive', isBoxed),
  isArrayBufferView: ArrayBufferIsView,
  isTypedArray,
  isUint8Array: typedIs('Uint8Array'),
  isUint8ClampedArray: typedIs('Uint8ClampedArray'),
  isUint16Array: typedIs('Uint16Array'),
  isUint32Array: typedIs('Uint32Array'),
  isInt8Array: typedIs('Int8Array'),
  isInt16Array: typedIs('Int16Array'),
  isInt32Array: typedIs('Int32Array'),
  isFloat32Array: typedIs('Float32Array'),
  isFloat64Array: typedIs('Float64Array'),
  isBigInt64Array: typedIs('BigInt64Array'),
  isBigUint64Array: typedIs('BigUint64Array'),
  // (Node's are named 'value'.)
  isKeyObject: named('value', (obj) => obj !== null && typeof obj === 'object' && require('crypto').isKeyObject(obj)),
  isCryptoKey: named('value', (obj) => obj !== null && typeof obj === 'object' &&
    require('webcrypto').secretOf(obj) !== undefined),
};
