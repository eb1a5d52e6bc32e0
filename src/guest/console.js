'use strict';
// The global console: Node's formatting, stdout/stderr split, groups,
// counters, timers and table.

const util = require('util');
const ops = require('ops');

const kGroupIndentation = 2;
let groupIndent = '';
const counts = new Map();
const times = new Map();

function emitWarning(msg) {
  require('process').process.emitWarning(msg);
}

function write(fd, string) {
  if (groupIndent.length !== 0) {
    if (string.includes('\n')) string = string.replace(/\n/g, `\n${groupIndent}`);
    string = groupIndent + string;
  }
  ops.check(native.stdio_write(fd, string + '\n'), write);
}

function formatTime(ms) {
  let hours = 0, minutes = 0, seconds = 0;
  if (ms >= 1000) {
    if (ms >= 60000) {
      if (ms >= 3600000) {
        hours = Math.floor(ms / 3600000);
        ms = ms % 3600000;
      }
      minutes = Math.floor(ms / 60000);
      ms = ms % 60000;
    }
    seconds = ms / 1000;
  }
  if (hours !== 0 || minutes !== 0) {
    const [s, m] = seconds.toFixed(3).split('.');
    const pad = (v) => String(v).padStart(2, '0');
    const res = hours !== 0 ? `${hours}:${pad(minutes)}` : minutes;
    return `${res}:${pad(s)}.${m} (${hours !== 0 ? 'h:m' : ''}m:ss.mmm)`;
  }
  if (seconds !== 0) return `${seconds.toFixed(3)}s`;
  return `${Number(ms.toFixed(3))}ms`;
}

function now() {
  return config.timingFreeze === true ? require('bootstrap').bootNow : native.clock_now();
}

function timeLogImpl(name, label, data) {
  const start = times.get(label);
  if (start === undefined) {
    emitWarning(`No such label '${label}' for console.${name}()`);
    return false;
  }
  const formatted = formatTime(now() - start);
  if (data === undefined) consoleObj.log('%s: %s', label, formatted);
  else consoleObj.log('%s: %s', label, formatted, ...data);
  return true;
}

// console.table rendering (left-aligned cells, as Node 20.20 does).
function renderRow(row, widths) {
  let out = '│ ';
  for (let i = 0; i < row.length; i++) {
    const cell = row[i];
    out += cell + ' '.repeat(widths[i] - util.getStringWidth(cell));
    if (i !== row.length - 1) out += ' │ ';
  }
  return out + ' │';
}

function renderTable(head, columns) {
  const rows = [];
  const widths = head.map((h) => util.getStringWidth(h));
  const longest = Math.max(...columns.map((a) => a.length));
  for (let i = 0; i < head.length; i++) {
    const column = columns[i];
    for (let j = 0; j < longest; j++) {
      if (rows[j] === undefined) rows[j] = [];
      const value = rows[j][i] = Object.prototype.hasOwnProperty.call(column, j) ? column[j] : '';
      widths[i] = Math.max(widths[i] || 0, util.getStringWidth(value));
    }
  }
  const divider = widths.map((w) => '─'.repeat(w + 2));
  let result = `┌${divider.join('┬')}┐\n${renderRow(head, widths)}\n├${divider.join('┼')}┤\n`;
  for (const row of rows) result += `${renderRow(row, widths)}\n`;
  return result + `└${divider.join('┴')}┘`;
}

const consoleObj = {
  log(...args) { write(1, util.format(...args)); },
  warn(...args) { write(2, util.format(...args)); },
  dir(object, options) {
    write(1, util.inspect(object, { customInspect: false, ...options }));
  },
  time(label = 'default') {
    label = `${label}`;
    if (times.has(label)) {
      emitWarning(`Label '${label}' already exists for console.time()`);
      return;
    }
    times.set(label, now());
  },
  timeEnd(label = 'default') {
    label = `${label}`;
    if (timeLogImpl('timeEnd', label)) times.delete(label);
  },
  timeLog(label = 'default', ...data) {
    label = `${label}`;
    timeLogImpl('timeLog', label, data);
  },
  trace: function trace(...args) {
    const err = { name: 'Trace', message: util.format(...args) };
    if (typeof Error.captureStackTrace === 'function') Error.captureStackTrace(err, trace);
    else err.stack = `Trace: ${err.message}`;
    consoleObj.error(err.stack);
  },
  assert(expression, ...args) {
    if (!expression) {
      args[0] = `Assertion failed${args.length === 0 ? '' : `: ${args[0]}`}`;
      consoleObj.warn(...args);
    }
  },
  clear() {},
  count(label = 'default') {
    label = `${label}`;
    let count = counts.get(label);
    count = count === undefined ? 1 : count + 1;
    counts.set(label, count);
    consoleObj.log(`${label}: ${count}`);
  },
  countReset(label = 'default') {
    label = `${label}`;
    if (!counts.has(label)) {
      emitWarning(`Count for '${label}' does not exist`);
      return;
    }
    counts.delete(label);
  },
  group(...data) {
    if (data.length > 0) consoleObj.log(...data);
    groupIndent += ' '.repeat(kGroupIndentation);
  },
  groupEnd() {
    groupIndent = groupIndent.slice(0, groupIndent.length - kGroupIndentation);
  },
  table(tabularData, properties) {
    if (properties !== undefined && !Array.isArray(properties)) {
      throw require('errors').invalidArgType('properties', 'Array', properties);
    }
    if (tabularData === null || typeof tabularData !== 'object') return consoleObj.log(tabularData);
    const inspectCell = (v) => {
      const depth = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 2 ? -1 : 0;
      return util.inspect(v, { depth, maxArrayLength: 3, breakLength: Infinity });
    };
    const indexArray = (length) => Array.from({ length }, (_, i) => inspectCell(i));
    const types = util.types;
    if (types.isMap(tabularData)) {
      const keys = [], values = [];
      let length = 0;
      for (const [k, v] of tabularData) {
        keys.push(inspectCell(k));
        values.push(inspectCell(v));
        length++;
      }
      return consoleObj.log(renderTable(['(iteration index)', 'Key', 'Values'], [indexArray(length), keys, values]));
    }
    if (types.isSet(tabularData)) {
      const values = [];
      let length = 0;
      for (const v of tabularData) {
        values.push(inspectCell(v));
        length++;
      }
      return consoleObj.log(renderTable(['(iteration index)', 'Values'], [indexArray(length), values]));
    }
    const map = { __proto__: null };
    let hasPrimitives = false;
    const valuesKeyArray = [];
    const indexKeyArray = Object.keys(tabularData);
    for (let i = 0; i < indexKeyArray.length; i++) {
      const item = tabularData[indexKeyArray[i]];
      const primitive = item === null || (typeof item !== 'function' && typeof item !== 'object');
      if (properties === undefined && primitive) {
        hasPrimitives = true;
        valuesKeyArray[i] = inspectCell(item);
      } else {
        const keys = properties || Object.keys(item);
        for (const key of keys) {
          map[key] ??= [];
          if ((primitive && properties) || !Object.prototype.hasOwnProperty.call(item, key)) map[key][i] = '';
          else map[key][i] = inspectCell(item[key]);
        }
      }
    }
    const keys = Object.keys(map);
    const values = Object.values(map);
    if (hasPrimitives) {
      keys.push('Values');
      values.push(valuesKeyArray);
    }
    keys.unshift('(index)');
    values.unshift(indexKeyArray);
    return consoleObj.log(renderTable(keys, values));
  },
};
consoleObj.debug = consoleObj.log;
consoleObj.info = consoleObj.log;
consoleObj.dirxml = consoleObj.log;
consoleObj.error = consoleObj.warn;
consoleObj.groupCollapsed = consoleObj.group;

// Node's methods are own, bound and named after the method.
const console = {};
for (const key of ['log', 'warn', 'dir', 'time', 'timeEnd', 'timeLog', 'trace', 'assert', 'clear',
  'count', 'countReset', 'group', 'groupEnd', 'table', 'debug', 'info', 'dirxml', 'error', 'groupCollapsed']) {
  const fn = consoleObj[key];
  const bound = key === 'trace' ? fn : fn.bind(console);
  Object.defineProperty(bound, 'name', { value: key });
  console[key] = bound;
}
// Stubs for the inspector-only methods Node also exposes.
for (const key of ['profile', 'profileEnd', 'timeStamp', 'context']) {
  Object.defineProperty(console, key, { value: function() {}, writable: true, enumerable: true, configurable: true });
}
Object.defineProperty(console, Symbol.toStringTag, { value: 'console', writable: false, enumerable: false, configurable: true });

exports.console = console;
exports.formatTime = formatTime;
