'use strict';
// The global console: Node's formatting, stdout/stderr split, groups,
// counters, timers and table.

const {
  ArrayIsArray,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeUnshift,
  ErrorCaptureStackTrace,
  FunctionPrototypeBind,
  Map,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  MathFloor,
  MathMax,
  Number,
  NumberPrototypeToFixed,
  ObjectDefineProperty,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  ObjectValues,
  ReflectApply,
  SafeArrayConcat,
  SafeArrayMap,
  SafeStringReplaceAll,
  String,
  StringPrototypeIncludes,
  StringPrototypePadStart,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  StringPrototypeSplit,
  ReflectConstruct,
  SymbolToStringTag,
  TypeError,
} = require('primordials');
const util = require('util');
const ops = require('ops');

const kGroupIndentation = 2;

function emitWarning(msg) {
  require('process').process.emitWarning(msg);
}

// What one console keeps: its group indentation, counters, timers, and
// where its lines go (`out(fd, text)`).
function newState(out, colors = noColors) {
  return { __proto__: null, groupIndent: '', counts: new Map(), times: new Map(), out, colors };
}

function noColors() { return false; }

// Node's colorMode 'auto' for the process's own stdio: a terminal that
// shows more than two colors gets inspect's colors.
const stdioTTY = [undefined, undefined, undefined];
function stdioColors(fd) {
  if (stdioTTY[fd] === undefined) stdioTTY[fd] = native.tty_size(fd) !== 0;
  if (!stdioTTY[fd]) return false;
  const { process } = require('process');
  return (fd === 1 ? process.stdout : process.stderr).getColorDepth() > 2;
}

const kColors = { __proto__: null, colors: true };
function formatFor(st, fd, args) {
  return st.colors(fd) ? util.formatArgsWith(kColors, args) : util.formatArgs(args);
}

function write(st, fd, string) {
  const groupIndent = st.groupIndent;
  if (groupIndent.length !== 0) {
    if (StringPrototypeIncludes(string, '\n')) string = SafeStringReplaceAll(string, '\n', `\n${groupIndent}`);
    string = groupIndent + string;
  }
  st.out(fd, string + '\n');
}

function stdioOut(fd, text) {
  ops.check(native.stdio_write(fd, text), write);
}

function formatTime(ms) {
  let hours = 0, minutes = 0, seconds = 0;
  if (ms >= 1000) {
    if (ms >= 60000) {
      if (ms >= 3600000) {
        hours = MathFloor(ms / 3600000);
        ms = ms % 3600000;
      }
      minutes = MathFloor(ms / 60000);
      ms = ms % 60000;
    }
    seconds = ms / 1000;
  }
  if (hours !== 0 || minutes !== 0) {
    const parts = StringPrototypeSplit(NumberPrototypeToFixed(seconds, 3), '.');
    const s = parts[0], m = parts[1];
    const pad = (v) => StringPrototypePadStart(String(v), 2, '0');
    const res = hours !== 0 ? `${hours}:${pad(minutes)}` : minutes;
    return `${res}:${pad(s)}.${m} (${hours !== 0 ? 'h:m' : ''}m:ss.mmm)`;
  }
  if (seconds !== 0) return `${NumberPrototypeToFixed(seconds, 3)}s`;
  return `${Number(NumberPrototypeToFixed(ms, 3))}ms`;
}

function now() {
  return config.timingFreeze === true ? require('bootstrap').bootNow : native.clock_now();
}

function timeLogImpl(st, consoleObj, name, label, data) {
  const start = MapPrototypeGet(st.times, label);
  if (start === undefined) {
    emitWarning(`No such label '${label}' for console.${name}()`);
    return false;
  }
  const formatted = formatTime(now() - start);
  if (data === undefined) consoleObj.log('%s: %s', label, formatted);
  else ReflectApply(consoleObj.log, consoleObj, SafeArrayConcat(['%s: %s', label, formatted], data));
  return true;
}

// console.table rendering (left-aligned cells, as Node 20.20 does).
function renderRow(row, widths) {
  let out = '\u2502 ';
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    out += cell + StringPrototypeRepeat(' ', widths[i] - util.getStringWidth(cell));
    if (i !== row.length - 1) out += ' \u2502 ';
  }
  return out + ' \u2502';
}

function renderTable(head, columns) {
  const rows = [];
  const widths = SafeArrayMap(head, (h) => util.getStringWidth(h));
  let longest = 0;
  for (let i = 0; i < columns.length; i++) longest = MathMax(longest, columns[i].length);
  for (let i = 0; i < head.length; i++) {
    const column = columns[i];
    for (let j = 0; j < longest; j++) {
      if (rows[j] === undefined) rows[j] = [];
      const value = rows[j][i] = ObjectPrototypeHasOwnProperty(column, j) ? column[j] : '';
      widths[i] = MathMax(widths[i] || 0, util.getStringWidth(value));
    }
  }
  const divider = SafeArrayMap(widths, (w) => StringPrototypeRepeat('\u2500', w + 2));
  let result = `\u250c${ArrayPrototypeJoin(divider, '\u252c')}\u2510\n${renderRow(head, widths)}\n` +
    `\u251c${ArrayPrototypeJoin(divider, '\u253c')}\u2524\n`;
  for (let i = 0; i < rows.length; i++) result += `${renderRow(rows[i], widths)}\n`;
  return result + `\u2514${ArrayPrototypeJoin(divider, '\u2534')}\u2518`;
}

function makeConsoleObj(st) {
const { counts, times } = st;
const consoleObj = {
  log(...args) { write(st, 1, formatFor(st, 1, args)); },
  warn(...args) { write(st, 2, formatFor(st, 2, args)); },
  dir(object, options) {
    write(st, 1, util.inspect(object, { customInspect: false, colors: st.colors(1), ...options }));
  },
  time(label = 'default') {
    label = `${label}`;
    if (MapPrototypeHas(times, label)) {
      emitWarning(`Label '${label}' already exists for console.time()`);
      return;
    }
    MapPrototypeSet(times, label, now());
  },
  timeEnd(label = 'default') {
    label = `${label}`;
    if (timeLogImpl(st, consoleObj, 'timeEnd', label)) MapPrototypeDelete(times, label);
  },
  timeLog(label = 'default', ...data) {
    label = `${label}`;
    timeLogImpl(st, consoleObj, 'timeLog', label, data);
  },
  trace: function trace(...args) {
    const err = { name: 'Trace', message: util.formatArgs(args) };
    ErrorCaptureStackTrace(err, trace);
    consoleObj.error(err.stack);
  },
  assert(expression, ...args) {
    if (!expression) {
      args[0] = `Assertion failed${args.length === 0 ? '' : `: ${args[0]}`}`;
      ReflectApply(consoleObj.warn, consoleObj, args);
    }
  },
  clear() {},
  count(label = 'default') {
    label = `${label}`;
    let count = MapPrototypeGet(counts, label);
    count = count === undefined ? 1 : count + 1;
    MapPrototypeSet(counts, label, count);
    consoleObj.log(`${label}: ${count}`);
  },
  countReset(label = 'default') {
    label = `${label}`;
    if (!MapPrototypeHas(counts, label)) {
      emitWarning(`Count for '${label}' does not exist`);
      return;
    }
    MapPrototypeDelete(counts, label);
  },
  group(...data) {
    if (data.length > 0) ReflectApply(consoleObj.log, consoleObj, data);
    st.groupIndent += StringPrototypeRepeat(' ', kGroupIndentation);
  },
  groupEnd() {
    st.groupIndent = StringPrototypeSlice(st.groupIndent, 0, st.groupIndent.length - kGroupIndentation);
  },
  table(tabularData, properties) {
    if (properties !== undefined && !ArrayIsArray(properties)) {
      throw require('errors').invalidArgType('properties', 'Array', properties);
    }
    if (tabularData === null || typeof tabularData !== 'object') return consoleObj.log(tabularData);
    const inspectCell = (v) => {
      const depth = v !== null && typeof v === 'object' && !ArrayIsArray(v) && ObjectKeys(v).length > 2 ? -1 : 0;
      return util.inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity });
    };
    const indexArray = (length) => {
      const out = [];
      for (let i = 0; i < length; i++) out[i] = inspectCell(i);
      return out;
    };
    const types = util.types;
    if (types.isMap(tabularData)) {
      const keys = [], values = [];
      const entries = util.collectionEntries(tabularData, Infinity, true);
      for (let i = 0; i < entries.length; i += 2) {
        ArrayPrototypePush(keys, inspectCell(entries[i]));
        ArrayPrototypePush(values, inspectCell(entries[i + 1]));
      }
      const head = ['(iteration index)', 'Key', 'Values'];
      return consoleObj.log(renderTable(head, [indexArray(keys.length), keys, values]));
    }
    if (types.isSet(tabularData)) {
      const values = SafeArrayMap(util.collectionEntries(tabularData, Infinity, false), inspectCell);
      return consoleObj.log(renderTable(['(iteration index)', 'Values'], [indexArray(values.length), values]));
    }
    const map = { __proto__: null };
    let hasPrimitives = false;
    const valuesKeyArray = [];
    const indexKeyArray = ObjectKeys(tabularData);
    for (let i = 0; i < indexKeyArray.length; i++) {
      const item = tabularData[indexKeyArray[i]];
      const primitive = item === null || (typeof item !== 'function' && typeof item !== 'object');
      if (properties === undefined && primitive) {
        hasPrimitives = true;
        valuesKeyArray[i] = inspectCell(item);
      } else {
        const keys = properties || ObjectKeys(item);
        for (let j = 0; j < keys.length; j++) {
          const key = keys[j];
          map[key] ??= [];
          if ((primitive && properties) || !ObjectPrototypeHasOwnProperty(item, key)) map[key][i] = '';
          else map[key][i] = inspectCell(item[key]);
        }
      }
    }
    const keys = ObjectKeys(map);
    const values = ObjectValues(map);
    if (hasPrimitives) {
      ArrayPrototypePush(keys, 'Values');
      ArrayPrototypePush(values, valuesKeyArray);
    }
    ArrayPrototypeUnshift(keys, '(index)');
    ArrayPrototypeUnshift(values, indexKeyArray);
    return consoleObj.log(renderTable(keys, values));
  },
};
consoleObj.debug = consoleObj.log;
consoleObj.info = consoleObj.log;
consoleObj.dirxml = consoleObj.log;
consoleObj.error = consoleObj.warn;
consoleObj.groupCollapsed = consoleObj.group;
return consoleObj;
}

const methods = ['log', 'warn', 'dir', 'time', 'timeEnd', 'timeLog', 'trace', 'assert', 'clear',
  'count', 'countReset', 'group', 'groupEnd', 'table', 'debug', 'info', 'dirxml', 'error', 'groupCollapsed'];

// Node's methods are own, bound and named after the method.
function bindMethods(target, consoleObj) {
  for (let i = 0; i < methods.length; i++) {
    const key = methods[i];
    const fn = consoleObj[key];
    const bound = key === 'trace' ? fn : FunctionPrototypeBind(fn, target);
    ObjectDefineProperty(bound, 'name', { __proto__: null, value: key });
    defineMethod(target, key, bound);
  }
}

const console = {};
bindMethods(console, makeConsoleObj(newState(stdioOut, stdioColors)));
// Stubs for the inspector-only methods Node also exposes.
const stubs = ['profile', 'profileEnd', 'timeStamp', 'context'];
for (let i = 0; i < stubs.length; i++) defineMethod(console, stubs[i], function() {});
ObjectDefineProperty(console, SymbolToStringTag, {
  __proto__: null, value: 'console', writable: false, enumerable: false, configurable: true,
});

// require('console').Console: a console writing to streams of the guest's
// own (anything with write(string)).
function Console(options, stderr, ignoreErrors) {
  if (new.target === undefined) return ReflectConstruct(Console, [options, stderr, ignoreErrors]);
  if (options === null || typeof options !== 'object' || typeof options.write === 'function') {
    options = { stdout: options, stderr, ignoreErrors };
  }
  const stdout = options.stdout;
  const errStream = options.stderr === undefined ? stdout : options.stderr;
  const check = (stream, name) => {
    if (stream === null || typeof stream !== 'object' || typeof stream.write !== 'function') {
      throw require('errors').makeNodeError(TypeError, 'ERR_CONSOLE_WRITABLE_STREAM',
        `Console expects a writable stream instance for ${name}`, Console);
    }
  };
  check(stdout, 'stdout');
  check(errStream, 'stderr');
  const swallow = options.ignoreErrors !== false;
  const out = (fd, text) => {
    const stream = fd === 2 ? errStream : stdout;
    if (!swallow) return stream.write(text);
    try {
      stream.write(text);
    } catch {
      // As Node: errors of the stream are ignored unless ignoreErrors is false.
    }
  };
  bindMethods(this, makeConsoleObj(newState(out)));
}
ObjectDefineProperty(console, 'Console', {
  __proto__: null, value: Console, writable: true, enumerable: false, configurable: true,
});

function defineMethod(obj, key, value) {
  ObjectDefineProperty(obj, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
}

exports.console = console;
exports.formatTime = formatTime;
