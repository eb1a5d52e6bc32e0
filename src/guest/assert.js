'use strict';
// require('assert') and require('assert/strict'): Node 20's assertions,
// AssertionError with its messages and diffs (as Node prints them when
// stderr is no terminal: no colors, 80 columns) and the deprecated
// CallTracker.

const {
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypePop,
  ArrayPrototypePush,
  Error,
  ErrorCaptureStackTrace,
  Map,
  MapPrototypeGet,
  MapPrototypeHas,
  MapPrototypeSet,
  MathMax,
  NumberIsNaN,
  ObjectAssign,
  ObjectDefineProperty,
  ObjectFreeze,
  ObjectGetOwnPropertyDescriptor,
  ObjectGetPrototypeOf,
  ObjectIs,
  ObjectIsExtensible,
  ObjectKeys,
  ObjectPrototypeHasOwnProperty,
  Proxy,
  ReflectApply,
  RegExpPrototypeExec,
  SafeArrayConcat,
  SafeArraySlice,
  SafeRegExpReplaceAll,
  Set,
  SetPrototypeAdd,
  SetPrototypeForEach,
  String,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeStartsWith,
  TypeError,
  WeakMap,
  WeakMapPrototypeGet,
  WeakMapPrototypeHas,
  WeakMapPrototypeSet,
} = require('primordials');
const errors = require('errors');
const { inspect, isError, types } = require('util');
const { isPromise, isRegExp } = types;

const lazyComparisons = () => require('comparisons');

function isStackTraceLimitWritable() {
  const desc = ObjectGetOwnPropertyDescriptor(Error, 'stackTraceLimit');
  if (desc === undefined) return ObjectIsExtensible(Error);
  return ObjectPrototypeHasOwnProperty(desc, 'writable') ? desc.writable : desc.set !== undefined;
}

// ---- AssertionError ----

const kReadableOperator = {
  __proto__: null,
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values have same structure but are not reference-equal:',
  notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
};

// Short primitives print as "a !== b" instead of a diff.
const kMaxShortLength = 12;
// Node's width for the mismatch indicator when stderr is no terminal.
const kColumns = 80;

function copyError(source) {
  const target = ObjectAssign({ __proto__: ObjectGetPrototypeOf(source) }, source);
  ObjectDefineProperty(target, 'message', { __proto__: null, value: source.message });
  return target;
}

// How assert shows values: every level, every item, keys sorted, getters
// read, no custom inspection.
function inspectValue(val) {
  return inspect(val, {
    compact: false,
    customInspect: false,
    depth: 1000,
    maxArrayLength: Infinity,
    showHidden: false,
    showProxy: false,
    sorted: true,
    getters: true,
  });
}

function removeColors(str) {
  return require('util').stripVTControlCharacters(str);
}

function createErrDiff(actual, expected, operator, message = '') {
  let other = '';
  let res = '';
  let end = '';
  let skipped = false;
  const actualInspected = inspectValue(actual);
  const actualLines = StringPrototypeSplit(actualInspected, '\n');
  const expectedLines = StringPrototypeSplit(inspectValue(expected), '\n');
  let i = 0;
  let indicator = '';

  if (operator === 'strictEqual' &&
      ((typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) ||
       (typeof actual === 'function' && typeof expected === 'function'))) {
    operator = 'strictEqualObject';
  }

  // Both on one line and different.
  if (actualLines.length === 1 && expectedLines.length === 1 && actualLines[0] !== expectedLines[0]) {
    const c = inspect.defaultOptions.colors;
    const actualRaw = c ? removeColors(actualLines[0]) : actualLines[0];
    const expectedRaw = c ? removeColors(expectedLines[0]) : expectedLines[0];
    const inputLength = actualRaw.length + expectedRaw.length;
    if (inputLength <= kMaxShortLength) {
      if ((typeof actual !== 'object' || actual === null) &&
          (typeof expected !== 'object' || expected === null) &&
          (actual !== 0 || expected !== 0)) {
        return `${message || kReadableOperator[operator]}\n\n${actualLines[0]} !== ${expectedLines[0]}\n`;
      }
    } else if (operator !== 'strictEqualObject') {
      if (inputLength < kColumns) {
        while (actualRaw[i] === expectedRaw[i]) i++;
        // A caret under the first difference, past the first two characters.
        if (i > 2) {
          indicator = `\n  ${StringPrototypeRepeat(' ', i)}^`;
          i = 0;
        }
      }
    }
  }

  // Identical trailing lines are left out (up to three kept).
  let a = actualLines[actualLines.length - 1];
  let b = expectedLines[expectedLines.length - 1];
  while (a === b) {
    if (i++ < 3) end = `\n  ${a}${end}`;
    else other = a;
    ArrayPrototypePop(actualLines);
    ArrayPrototypePop(expectedLines);
    if (actualLines.length === 0 || expectedLines.length === 0) break;
    a = actualLines[actualLines.length - 1];
    b = expectedLines[expectedLines.length - 1];
  }

  const maxLines = MathMax(actualLines.length, expectedLines.length);
  // The same text for both: equal structure, different identity.
  if (maxLines === 0) {
    const lines = StringPrototypeSplit(actualInspected, '\n');
    if (lines.length > 50) {
      lines[46] = '...';
      while (lines.length > 47) ArrayPrototypePop(lines);
    }
    return `${kReadableOperator.notIdentical}\n\n${ArrayPrototypeJoin(lines, '\n')}\n`;
  }
  if (i >= 5) {
    end = `\n...${end}`;
    skipped = true;
  }
  if (other !== '') {
    end = `\n  ${other}${end}`;
    other = '';
  }

  let printedLines = 0;
  let identical = 0;
  const msg = `${message || kReadableOperator[operator]}\n+ actual - expected`;
  const skippedMsg = ' ... Lines skipped';

  let lines = actualLines;
  let plusMinus = '+';
  let maxLength = expectedLines.length;
  if (actualLines.length < maxLines) {
    lines = expectedLines;
    plusMinus = '-';
    maxLength = actualLines.length;
  }

  for (i = 0; i < maxLines; i++) {
    if (maxLength < i + 1) {
      // More than two identical lines before: print them, collapsed past five.
      if (identical > 2) {
        if (identical > 3) {
          if (identical > 4) {
            if (identical === 5) {
              res += `\n  ${lines[i - 3]}`;
              printedLines++;
            } else {
              res += '\n...';
              skipped = true;
            }
          }
          res += `\n  ${lines[i - 2]}`;
          printedLines++;
        }
        res += `\n  ${lines[i - 1]}`;
        printedLines++;
      }
      identical = 0;
      if (lines === actualLines) res += `\n${plusMinus} ${lines[i]}`;
      else other += `\n${plusMinus} ${lines[i]}`;
      printedLines++;
    } else {
      const expectedLine = expectedLines[i];
      let actualLine = actualLines[i];
      // Lines that differ only by a trailing comma are the same line.
      let divergingLines = actualLine !== expectedLine &&
        (!StringPrototypeEndsWith(actualLine, ',') || StringPrototypeSlice(actualLine, 0, -1) !== expectedLine);
      if (divergingLines && StringPrototypeEndsWith(expectedLine, ',') &&
          StringPrototypeSlice(expectedLine, 0, -1) === actualLine) {
        divergingLines = false;
        actualLine += ',';
      }
      if (divergingLines) {
        if (identical > 2) {
          if (identical > 3) {
            if (identical > 4) {
              if (identical === 5) {
                res += `\n  ${actualLines[i - 3]}`;
                printedLines++;
              } else {
                res += '\n...';
                skipped = true;
              }
            }
            res += `\n  ${actualLines[i - 2]}`;
            printedLines++;
          }
          res += `\n  ${actualLines[i - 1]}`;
          printedLines++;
        }
        identical = 0;
        // Runs of changed lines print as +++--- rather than +-+-+-.
        res += `\n+ ${actualLine}`;
        other += `\n- ${expectedLine}`;
        printedLines += 2;
      } else {
        res += other;
        other = '';
        identical++;
        if (identical <= 2) {
          res += `\n  ${actualLine}`;
          printedLines++;
        }
      }
    }
    // About 50 lines at most.
    if (printedLines > 50 && i < maxLines - 2) {
      return `${msg}${skippedMsg}\n${res}\n...${other}\n...`;
    }
  }
  return `${msg}${skipped ? skippedMsg : ''}\n${res}${other}${end}${indicator}`;
}

function addEllipsis(string) {
  const lines = StringPrototypeSplit(string, '\n', 11);
  if (lines.length > 10) {
    lines.length = 10;
    return `${ArrayPrototypeJoin(lines, '\n')}\n...`;
  } else if (string.length > 512) {
    return `${StringPrototypeSlice(string, 512)}...`;
  }
  return string;
}

function assertionMessage(actual, expected, operator, message) {
  if (message != null) {
    if (operator === 'deepStrictEqual' || operator === 'strictEqual') {
      return createErrDiff(actual, expected, operator, message);
    }
    return String(message);
  }
  if (operator === 'deepStrictEqual' || operator === 'strictEqual') {
    return createErrDiff(actual, expected, operator);
  }
  if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual') {
    let base = kReadableOperator[operator];
    const res = StringPrototypeSplit(inspectValue(actual), '\n');
    if (operator === 'notStrictEqual' &&
        ((typeof actual === 'object' && actual !== null) || typeof actual === 'function')) {
      base = kReadableOperator.notStrictEqualObject;
    }
    if (res.length > 50) {
      res[46] = '...';
      while (res.length > 47) ArrayPrototypePop(res);
    }
    if (res.length === 1) return `${base}${res[0].length > 5 ? '\n\n' : ' '}${res[0]}`;
    return `${base}\n\n${ArrayPrototypeJoin(res, '\n')}\n`;
  }
  let res = inspectValue(actual);
  let other = inspectValue(expected);
  const knownOperator = kReadableOperator[operator];
  if (operator === 'notDeepEqual' && res === other) {
    res = `${knownOperator}\n\n${res}`;
    if (res.length > 1024) res = `${StringPrototypeSlice(res, 0, 1021)}...`;
    return res;
  }
  if (res.length > 512) res = `${StringPrototypeSlice(res, 0, 509)}...`;
  if (other.length > 512) other = `${StringPrototypeSlice(other, 0, 509)}...`;
  if (operator === 'deepEqual') {
    res = `${knownOperator}\n\n${res}\n\nshould loosely deep-equal\n\n`;
  } else {
    const newOp = kReadableOperator[`${operator}Unequal`];
    if (newOp) res = `${newOp}\n\n${res}\n\nshould not loosely deep-equal\n\n`;
    else other = ` ${operator} ${other}`;
  }
  return `${res}${other}`;
}

class AssertionError extends Error {
  constructor(options) {
    errors.validateObject(options, 'options');
    const { message, operator, stackStartFn, details, stackStartFunction } = options;
    let { actual, expected } = options;
    // Errors compare and print without their stacks.
    if (message == null && typeof actual === 'object' && actual !== null && typeof expected === 'object' &&
        expected !== null && 'stack' in actual && actual instanceof Error && 'stack' in expected &&
        expected instanceof Error) {
      actual = copyError(actual);
      expected = copyError(expected);
    }
    const writable = isStackTraceLimitWritable();
    const limit = Error.stackTraceLimit;
    if (writable) Error.stackTraceLimit = 0;
    let text;
    try {
      text = assertionMessage(actual, expected, operator, message);
    } finally {
      if (writable) Error.stackTraceLimit = limit;
    }
    if (writable) Error.stackTraceLimit = 0;
    super(text);
    if (writable) Error.stackTraceLimit = limit;

    this.generatedMessage = !message;
    ObjectDefineProperty(this, 'name', {
      __proto__: null, value: 'AssertionError [ERR_ASSERTION]', enumerable: false, writable: true, configurable: true,
    });
    this.code = 'ERR_ASSERTION';
    if (details) {
      this.actual = undefined;
      this.expected = undefined;
      this.operator = undefined;
      for (let i = 0; i < details.length; i++) {
        this['message ' + i] = details[i].message;
        this['actual ' + i] = details[i].actual;
        this['expected ' + i] = details[i].expected;
        this['operator ' + i] = details[i].operator;
        this['stack trace ' + i] = details[i].stack;
      }
    } else {
      this.actual = actual;
      this.expected = expected;
      this.operator = operator;
    }
    ErrorCaptureStackTrace(this, stackStartFn || stackStartFunction);
    // The stack header keeps the code; the name does not.
    void this.stack;
    this.name = 'AssertionError';
  }

  toString() {
    return `${this.name} [${this.code}]: ${this.message}`;
  }

  [inspect.custom](recurseTimes, ctx) {
    // actual and expected at depth 0, long strings cut: the message has them.
    const tmpActual = this.actual;
    const tmpExpected = this.expected;
    if (typeof this.actual === 'string') this.actual = addEllipsis(this.actual);
    if (typeof this.expected === 'string') this.expected = addEllipsis(this.expected);
    const result = inspect(this, { ...ctx, customInspect: false, depth: 0 });
    this.actual = tmpActual;
    this.expected = tmpExpected;
    return result;
  }
}

// ---- the expression of a failed assert.ok(), from the caller's source ----

const errorCache = new Map();

// Control characters but \n and \t, escaped.
const escapeSequencesRegExp = /[\x00-\x08\x0b\x0c\x0e-\x1f]/g;
const escapeMeta = [
  '\\u0000', '\\u0001', '\\u0002', '\\u0003', '\\u0004', '\\u0005', '\\u0006', '\\u0007', '\\b', '', '',
  '\\u000b', '\\f', '', '\\u000e', '\\u000f', '\\u0010', '\\u0011', '\\u0012', '\\u0013', '\\u0014', '\\u0015',
  '\\u0016', '\\u0017', '\\u0018', '\\u0019', '\\u001a', '\\u001b', '\\u001c', '\\u001d', '\\u001e', '\\u001f',
];

function isIdentChar(c) {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 36 || c === 95 || c > 127;
}
function isSpace(c) {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

// Index just past the bracket that closes the one at `i` (( [ {), skipping
// strings, templates, comments and regular expressions; -1 if none.
function matchBracket(code, i) {
  const stack = [];
  let prev = 40; // What came before a '/': an operator means a regexp.
  for (; i < code.length; i++) {
    const c = StringPrototypeCharCodeAt(code, i);
    if (c === 40 || c === 91 || c === 123) {
      ArrayPrototypePush(stack, c === 40 ? 41 : c === 91 ? 93 : 125);
    } else if (c === 41 || c === 93 || c === 125) {
      const want = ArrayPrototypePop(stack);
      if (want === 0) {
        // The end of a template substitution.
        i = skipTemplate(code, i + 1, stack);
        if (i === -1) return -1;
        prev = 96;
        continue;
      }
      if (want !== c) return -1;
      if (stack.length === 0) return i + 1;
    } else if (c === 39 || c === 34) {
      i = skipString(code, i, c);
      if (i === -1) return -1;
    } else if (c === 96) {
      i = skipTemplate(code, i + 1, stack);
      if (i === -1) return -1;
    } else if (c === 47) {
      const next = StringPrototypeCharCodeAt(code, i + 1);
      if (next === 47) {
        const nl = StringPrototypeIndexOf(code, '\n', i);
        if (nl === -1) return -1;
        i = nl;
        continue;
      }
      if (next === 42) {
        const close = StringPrototypeIndexOf(code, '*/', i + 2);
        if (close === -1) return -1;
        i = close + 1;
        continue;
      }
      if (!isIdentChar(prev) && prev !== 41 && prev !== 93) {
        i = skipRegExp(code, i);
        if (i === -1) return -1;
      }
    }
    if (!isSpace(c)) prev = c;
  }
  return -1;
}

function skipString(code, i, quote) {
  for (i++; i < code.length; i++) {
    const c = StringPrototypeCharCodeAt(code, i);
    if (c === 92) i++;
    else if (c === quote) return i;
    else if (c === 10) return -1;
  }
  return -1;
}

// From inside a template: the index of its closing backtick, or of the
// '{' of a substitution (pushing a marker for its '}').
function skipTemplate(code, i, stack) {
  for (; i < code.length; i++) {
    const c = StringPrototypeCharCodeAt(code, i);
    if (c === 92) i++;
    else if (c === 96) return i;
    else if (c === 36 && StringPrototypeCharCodeAt(code, i + 1) === 123) {
      ArrayPrototypePush(stack, 0);
      return i + 1;
    }
  }
  return -1;
}

function skipRegExp(code, i) {
  let inClass = false;
  for (i++; i < code.length; i++) {
    const c = StringPrototypeCharCodeAt(code, i);
    if (c === 92) i++;
    else if (c === 91) inClass = true;
    else if (c === 93) inClass = false;
    else if (c === 47 && !inClass) return i;
    else if (c === 10) return -1;
  }
  return -1;
}

// Index of the bracket that opens the one closing at `i` (] or )), going
// back over quoted strings; -1 if none.
function matchBracketBack(code, i) {
  let depth = 0;
  for (; i >= 0; i--) {
    const c = StringPrototypeCharCodeAt(code, i);
    if (c === 93 || c === 41 || c === 125) {
      depth++;
    } else if (c === 91 || c === 40 || c === 123) {
      if (--depth === 0) return i;
    } else if (c === 39 || c === 34 || c === 96) {
      for (i--; i >= 0; i--) {
        if (StringPrototypeCharCodeAt(code, i) === c && StringPrototypeCharCodeAt(code, i - 1) !== 92) break;
      }
    }
  }
  return -1;
}

function skipSpacesBack(code, i) {
  while (i > 0 && isSpace(StringPrototypeCharCodeAt(code, i - 1))) i--;
  return i;
}

// Start of the callee whose name (or, for a computed one, whose '(') is
// at `offset`: back over member chains (a.b?.c, a['b'], f(x).g) to the
// first operand.
function calleeStart(code, offset) {
  let p = offset;
  let needOperand = true;
  if (isIdentChar(StringPrototypeCharCodeAt(code, offset))) {
    while (p > 0 && isIdentChar(StringPrototypeCharCodeAt(code, p - 1))) p--;
    needOperand = false;
  }
  for (;;) {
    const j = skipSpacesBack(code, p);
    const c = j > 0 ? StringPrototypeCharCodeAt(code, j - 1) : -1;
    if (!needOperand) {
      // After an operand: a '.' (or '?.') continues the chain.
      if (c !== 46) return p;
      p = j - 1;
      if (p > 0 && StringPrototypeCharCodeAt(code, p - 1) === 63) p--;
      needOperand = true;
    } else if (c !== -1 && isIdentChar(c)) {
      p = j - 1;
      while (p > 0 && isIdentChar(StringPrototypeCharCodeAt(code, p - 1))) p--;
      needOperand = false;
    } else if (c === 93 || c === 41) {
      const q = matchBracketBack(code, j - 1);
      if (q === -1) return p;
      p = q;
      // `x[...]` and `f(...)` need what comes before; `[...]` and `(...)` are operands.
      const k = skipSpacesBack(code, q);
      const before = k > 0 ? StringPrototypeCharCodeAt(code, k - 1) : -1;
      needOperand = before !== -1 && (isIdentChar(before) || before === 93 || before === 41);
    } else {
      return p;
    }
  }
}

// [start, text] of the call expression at `offset` in `code`.
function findCall(code, offset) {
  const start = calleeStart(code, offset);
  let i = offset;
  while (i < code.length && isIdentChar(StringPrototypeCharCodeAt(code, i))) i++;
  while (i < code.length && isSpace(StringPrototypeCharCodeAt(code, i))) i++;
  if (StringPrototypeCharCodeAt(code, i) === 63 && StringPrototypeCharCodeAt(code, i + 1) === 46) i += 2;
  while (i < code.length && isSpace(StringPrototypeCharCodeAt(code, i))) i++;
  if (StringPrototypeCharCodeAt(code, i) !== 40) return undefined;
  const end = matchBracket(code, i);
  if (end === -1) return undefined;
  const text = SafeRegExpReplaceAll(escapeSequencesRegExp, StringPrototypeSlice(code, start, end),
    (ch) => escapeMeta[StringPrototypeCharCodeAt(ch, 0)]);
  return [start, text];
}

// file, line and column of the frame that called `fn`, from the stack text.
function callSite(fn) {
  const writable = isStackTraceLimitWritable();
  const limit = Error.stackTraceLimit;
  if (writable) Error.stackTraceLimit = 1;
  const holder = {};
  ErrorCaptureStackTrace(holder, fn);
  if (writable) Error.stackTraceLimit = limit;
  const stack = holder.stack;
  if (typeof stack !== 'string') return undefined;
  const nl = StringPrototypeIndexOf(stack, '\n    at ');
  if (nl === -1) return undefined;
  let frame = StringPrototypeSlice(stack, nl + 8);
  const eol = StringPrototypeIndexOf(frame, '\n');
  if (eol !== -1) frame = StringPrototypeSlice(frame, 0, eol);
  if (StringPrototypeEndsWith(frame, ')')) {
    const open = StringPrototypeLastIndexOf(frame, ' (');
    frame = StringPrototypeSlice(frame, open === -1 ? 0 : open + 2, -1);
  }
  const c2 = StringPrototypeLastIndexOf(frame, ':');
  const c1 = StringPrototypeLastIndexOf(frame, ':', c2 - 1);
  if (c1 <= 0) return undefined;
  const line = +StringPrototypeSlice(frame, c1 + 1, c2);
  const column = +StringPrototypeSlice(frame, c2 + 1);
  if (!(line > 0) || !(column > 0)) return undefined;
  return { filename: StringPrototypeSlice(frame, 0, c1), line: line - 1, column: column - 1 };
}

function sourceOf(filename) {
  const main = require('modules').sourceOf(filename);
  if (main !== undefined) return main;
  if (typeof native.fs_read_file !== 'function') return undefined;
  const r = native.fs_read_file(filename, true);
  return r === native.failed || typeof r !== 'string' ? undefined : r;
}

function getErrMessage(message, fn) {
  const site = callSite(fn);
  if (site === undefined) return message;
  const { filename, line } = site;
  let column = site.column;
  const identifier = `${filename}${line}${column}`;
  // Calls from the builtins themselves get no message.
  if (StringPrototypeStartsWith(filename, 'node:')) {
    MapPrototypeSet(errorCache, identifier, undefined);
    return undefined;
  }
  if (MapPrototypeHas(errorCache, identifier)) return MapPrototypeGet(errorCache, identifier);
  let result;
  try {
    let path = filename;
    if (StringPrototypeStartsWith(path, 'file://')) path = require('url').fileURLToPath(path);
    const source = sourceOf(path);
    if (source !== undefined) {
      let lineStart = 0;
      for (let i = 0; i < line && lineStart !== -1; i++) {
        lineStart = StringPrototypeIndexOf(source, '\n', lineStart);
        if (lineStart !== -1) lineStart++;
      }
      if (lineStart !== -1) {
        const found = findCall(StringPrototypeSlice(source, lineStart), column);
        if (found !== undefined) {
          column = found[0];
          message = found[1];
          // Indentation of the lines after the first, normalized.
          if (StringPrototypeIncludes(message, '\n')) {
            const frames = StringPrototypeSplit(message, '\n');
            message = frames[0];
            for (let i = 1; i < frames.length; i++) {
              const frame = frames[i];
              let pos = 0;
              while (pos < column && (frame[pos] === ' ' || frame[pos] === '\t')) pos++;
              message += `\n  ${StringPrototypeSlice(frame, pos)}`;
            }
          }
          result = `The expression evaluated to a falsy value:\n\n  ${message}\n`;
        }
      }
    }
  } catch {
    result = undefined;
  }
  MapPrototypeSet(errorCache, identifier, result);
  return result;
}

function innerOk(fn, argLen, value, message) {
  if (!value) {
    let generatedMessage = false;
    if (argLen === 0) {
      generatedMessage = true;
      message = 'No value argument passed to `assert.ok()`';
    } else if (message == null) {
      generatedMessage = true;
      message = getErrMessage(message, fn);
    } else if (isError(message)) {
      throw message;
    }
    const err = new AssertionError({ actual: value, expected: true, message, operator: '==', stackStartFn: fn });
    err.generatedMessage = generatedMessage;
    throw err;
  }
}

// ---- the assertions ----

function missingArgs(hideFrom) {
  return errors.makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The "actual" and "expected" arguments must be specified',
    hideFrom);
}

function innerFail(obj) {
  if (obj.message instanceof Error) throw obj.message;
  throw new AssertionError(obj);
}

function ok(...args) {
  ReflectApply(innerOk, undefined, SafeArrayConcat([ok, args.length], args));
}
const assert = ok;

let failWarned = false;
function fail(actual, expected, message, operator, stackStartFn) {
  const argsLen = arguments.length;
  let internalMessage = false;
  if (actual == null && argsLen <= 1) {
    internalMessage = true;
    message = 'Failed';
  } else if (argsLen === 1) {
    message = actual;
    actual = undefined;
  } else {
    if (failWarned === false) {
      failWarned = true;
      require('process').getProcess().emitWarning(
        'assert.fail() with more than one argument is deprecated. Please use assert.strictEqual() instead or only pass a message.',
        'DeprecationWarning', 'DEP0094');
    }
    if (argsLen === 2) operator = '!=';
  }
  if (message instanceof Error) throw message;
  const err = new AssertionError({
    actual, expected, operator: operator === undefined ? 'fail' : operator, stackStartFn: stackStartFn || fail, message,
  });
  if (internalMessage) err.generatedMessage = true;
  throw err;
}

assert.fail = fail;
assert.AssertionError = AssertionError;
assert.ok = ok;

assert.equal = function equal(actual, expected, message) {
  if (arguments.length < 2) throw missingArgs(equal);
  // eslint-disable-next-line eqeqeq
  if (actual != expected && (!NumberIsNaN(actual) || !NumberIsNaN(expected))) {
    innerFail({ actual, expected, message, operator: '==', stackStartFn: equal });
  }
};

assert.notEqual = function notEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingArgs(notEqual);
  // eslint-disable-next-line eqeqeq
  if (actual == expected || (NumberIsNaN(actual) && NumberIsNaN(expected))) {
    innerFail({ actual, expected, message, operator: '!=', stackStartFn: notEqual });
  }
};

assert.deepEqual = function deepEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingArgs(deepEqual);
  if (!lazyComparisons().isDeepEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'deepEqual', stackStartFn: deepEqual });
  }
};

assert.notDeepEqual = function notDeepEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingArgs(notDeepEqual);
  if (lazyComparisons().isDeepEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notDeepEqual', stackStartFn: notDeepEqual });
  }
};

assert.deepStrictEqual = function deepStrictEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingArgs(deepStrictEqual);
  if (!lazyComparisons().isDeepStrictEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: deepStrictEqual });
  }
};

function notDeepStrictEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingArgs(notDeepStrictEqual);
  if (lazyComparisons().isDeepStrictEqual(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notDeepStrictEqual', stackStartFn: notDeepStrictEqual });
  }
}
assert.notDeepStrictEqual = notDeepStrictEqual;

assert.strictEqual = function strictEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingArgs(strictEqual);
  if (!ObjectIs(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'strictEqual', stackStartFn: strictEqual });
  }
};

assert.notStrictEqual = function notStrictEqual(actual, expected, message) {
  if (arguments.length < 2) throw missingArgs(notStrictEqual);
  if (ObjectIs(actual, expected)) {
    innerFail({ actual, expected, message, operator: 'notStrictEqual', stackStartFn: notStrictEqual });
  }
};

// What a failed throws() validation object shows: only the keys compared.
class Comparison {
  constructor(obj, keys, actual) {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key in obj) {
        if (actual !== undefined && typeof actual[key] === 'string' && isRegExp(obj[key]) &&
            RegExpPrototypeExec(obj[key], actual[key]) !== null) {
          this[key] = actual[key];
        } else {
          this[key] = obj[key];
        }
      }
    }
  }
}

function compareExceptionKey(actual, expected, key, message, keys, fn) {
  if (!(key in actual) || !lazyComparisons().isDeepStrictEqual(actual[key], expected[key])) {
    if (!message) {
      const a = new Comparison(actual, keys);
      const b = new Comparison(expected, keys, actual);
      const err = new AssertionError({ actual: a, expected: b, operator: 'deepStrictEqual', stackStartFn: fn });
      err.actual = actual;
      err.expected = expected;
      err.operator = fn.name;
      throw err;
    }
    innerFail({ actual, expected, message, operator: fn.name, stackStartFn: fn });
  }
}

function expectedException(actual, expected, message, fn) {
  let generatedMessage = false;
  let throwError = false;
  if (typeof expected !== 'function') {
    if (isRegExp(expected)) {
      const str = String(actual);
      if (RegExpPrototypeExec(expected, str) !== null) return;
      if (!message) {
        generatedMessage = true;
        message = `The input did not match the regular expression ${inspect(expected)}. Input:\n\n${inspect(str)}\n`;
      }
      throwError = true;
    } else if (typeof actual !== 'object' || actual === null) {
      const err = new AssertionError({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: fn });
      err.operator = fn.name;
      throw err;
    } else {
      // A validation object: each of its keys must match (name and message too for an Error).
      const keys = ObjectKeys(expected);
      if (expected instanceof Error) {
        ArrayPrototypePush(keys, 'name', 'message');
      } else if (keys.length === 0) {
        throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
          `The argument 'error' may not be an empty object. Received ${inspect(expected)}`);
      }
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (typeof actual[key] === 'string' && isRegExp(expected[key]) &&
            RegExpPrototypeExec(expected[key], actual[key]) !== null) {
          continue;
        }
        compareExceptionKey(actual, expected, key, message, keys, fn);
      }
      return;
    }
  } else if (expected.prototype !== undefined && actual instanceof expected) {
    return;
  } else if (isErrorClass(expected)) {
    if (!message) {
      generatedMessage = true;
      message = `The error is expected to be an instance of "${expected.name}". Received `;
      if (isError(actual)) {
        const name = (actual.constructor && actual.constructor.name) || actual.name;
        if (expected.name === name) message += 'an error with identical name but a different prototype.';
        else message += `"${name}"`;
        if (actual.message) message += `\n\nError message:\n\n${actual.message}`;
      } else {
        message += `"${inspect(actual, { depth: -1 })}"`;
      }
    }
    throwError = true;
  } else {
    // A validation function must return true.
    const res = ReflectApply(expected, {}, [actual]);
    if (res !== true) {
      if (!message) {
        generatedMessage = true;
        const name = expected.name ? `"${expected.name}" ` : '';
        message = `The ${name}validation function is expected to return "true". Received ${inspect(res)}`;
        if (isError(actual)) message += `\n\nCaught error:\n\n${actual}`;
      }
      throwError = true;
    }
  }
  if (throwError) {
    const err = new AssertionError({ actual, expected, message, operator: fn.name, stackStartFn: fn });
    err.generatedMessage = generatedMessage;
    throw err;
  }
}

// Error.isPrototypeOf(expected): a subclass of Error.
function isErrorClass(fn) {
  for (let p = ObjectGetPrototypeOf(fn); p !== null; p = ObjectGetPrototypeOf(p)) {
    if (p === Error) return true;
  }
  return false;
}

const NO_EXCEPTION_SENTINEL = {};

function getActual(fn, hideFrom) {
  errors.validateFunction(fn, 'fn', hideFrom);
  try {
    fn();
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION_SENTINEL;
}

function checkIsPromise(obj) {
  return isPromise(obj) ||
    (obj !== null && typeof obj === 'object' && typeof obj.then === 'function' && typeof obj.catch === 'function');
}

async function waitForActual(promiseFn) {
  let resultPromise;
  if (typeof promiseFn === 'function') {
    resultPromise = promiseFn();
    if (!checkIsPromise(resultPromise)) {
      throw errors.makeNodeError(TypeError, 'ERR_INVALID_RETURN_VALUE', 'Expected instance of Promise to be ' +
        `returned from the "promiseFn" function but got ${errors.determineSpecificType(resultPromise)}.`);
    }
  } else if (checkIsPromise(promiseFn)) {
    resultPromise = promiseFn;
  } else {
    throw errors.invalidArgType('promiseFn', ['Function', 'Promise'], promiseFn);
  }
  try {
    await resultPromise;
  } catch (e) {
    return e;
  }
  return NO_EXCEPTION_SENTINEL;
}

function expectsError(stackStartFn, actual, error, message) {
  if (typeof error === 'string') {
    if (arguments.length === 4) {
      throw errors.invalidArgType('error', ['Object', 'Error', 'Function', 'RegExp'], error, stackStartFn);
    }
    if (typeof actual === 'object' && actual !== null) {
      if (actual.message === error) {
        throw errors.makeNodeError(TypeError, 'ERR_AMBIGUOUS_ARGUMENT',
          `The "error/message" argument is ambiguous. The error message "${actual.message}" is identical to the message.`,
          stackStartFn);
      }
    } else if (actual === error) {
      throw errors.makeNodeError(TypeError, 'ERR_AMBIGUOUS_ARGUMENT',
        `The "error/message" argument is ambiguous. The error "${actual}" is identical to the message.`, stackStartFn);
    }
    message = error;
    error = undefined;
  } else if (error != null && typeof error !== 'object' && typeof error !== 'function') {
    throw errors.invalidArgType('error', ['Object', 'Error', 'Function', 'RegExp'], error, stackStartFn);
  }
  if (actual === NO_EXCEPTION_SENTINEL) {
    let details = '';
    if (error && error.name) details += ` (${error.name})`;
    details += message ? `: ${message}` : '.';
    const fnType = stackStartFn === assert.rejects ? 'rejection' : 'exception';
    innerFail({
      actual: undefined, expected: error, operator: stackStartFn.name,
      message: `Missing expected ${fnType}${details}`, stackStartFn,
    });
  }
  if (!error) return;
  expectedException(actual, error, message, stackStartFn);
}

function hasMatchingError(actual, expected) {
  if (typeof expected !== 'function') {
    if (isRegExp(expected)) return RegExpPrototypeExec(expected, String(actual)) !== null;
    throw errors.invalidArgType('expected', ['Function', 'RegExp'], expected);
  }
  if (expected.prototype !== undefined && actual instanceof expected) return true;
  if (isErrorClass(expected)) return false;
  return ReflectApply(expected, {}, [actual]) === true;
}

function expectsNoError(stackStartFn, actual, error, message) {
  if (actual === NO_EXCEPTION_SENTINEL) return;
  if (typeof error === 'string') {
    message = error;
    error = undefined;
  }
  if (!error || hasMatchingError(actual, error)) {
    const details = message ? `: ${message}` : '.';
    const fnType = stackStartFn === assert.doesNotReject ? 'rejection' : 'exception';
    innerFail({
      actual, expected: error, operator: stackStartFn.name,
      message: `Got unwanted ${fnType}${details}\nActual message: "${actual && actual.message}"`, stackStartFn,
    });
  }
  throw actual;
}

assert.throws = function throws(promiseFn, ...args) {
  ReflectApply(expectsError, undefined, SafeArrayConcat([throws, getActual(promiseFn, throws)], args));
};

assert.rejects = async function rejects(promiseFn, ...args) {
  ReflectApply(expectsError, undefined, SafeArrayConcat([rejects, await waitForActual(promiseFn)], args));
};

assert.doesNotThrow = function doesNotThrow(fn, ...args) {
  ReflectApply(expectsNoError, undefined, SafeArrayConcat([doesNotThrow, getActual(fn, doesNotThrow)], args));
};

assert.doesNotReject = async function doesNotReject(fn, ...args) {
  ReflectApply(expectsNoError, undefined, SafeArrayConcat([doesNotReject, await waitForActual(fn)], args));
};

assert.ifError = function ifError(err) {
  if (err !== null && err !== undefined) {
    let message = 'ifError got unwanted exception: ';
    if (typeof err === 'object' && typeof err.message === 'string') {
      if (err.message.length === 0 && err.constructor) message += err.constructor.name;
      else message += err.message;
    } else {
      message += inspect(err);
    }
    const newErr = new AssertionError({ actual: err, expected: null, operator: 'ifError', message, stackStartFn: ifError });
    // The original error's frames after the new ones.
    const origStack = err.stack;
    if (typeof origStack === 'string') {
      const origStackStart = StringPrototypeIndexOf(origStack, '\n    at');
      if (origStackStart !== -1) {
        const originalFrames = StringPrototypeSplit(StringPrototypeSlice(origStack, origStackStart + 1), '\n');
        let newFrames = StringPrototypeSplit(newErr.stack, '\n');
        for (let i = 0; i < originalFrames.length; i++) {
          const pos = ArrayPrototypeIndexOf(newFrames, originalFrames[i]);
          if (pos !== -1) {
            newFrames = SafeArraySlice(newFrames, 0, pos);
            break;
          }
        }
        newErr.stack = `${ArrayPrototypeJoin(newFrames, '\n')}\n${ArrayPrototypeJoin(originalFrames, '\n')}`;
      }
    }
    throw newErr;
  }
};

function internalMatch(string, regexp, message, fn) {
  if (!isRegExp(regexp)) throw errors.invalidArgType('regexp', 'RegExp', regexp, fn);
  const match = fn === assert.match;
  if (typeof string !== 'string' || (RegExpPrototypeExec(regexp, string) !== null) !== match) {
    if (message instanceof Error) throw message;
    const generatedMessage = !message;
    message = message || (typeof string !== 'string'
      ? `The "string" argument must be of type string. Received type ${typeof string} (${inspect(string)})`
      : (match ? 'The input did not match the regular expression '
        : 'The input was expected to not match the regular expression ') +
        `${inspect(regexp)}. Input:\n\n${inspect(string)}\n`);
    const err = new AssertionError({ actual: string, expected: regexp, message, operator: fn.name, stackStartFn: fn });
    err.generatedMessage = generatedMessage;
    throw err;
  }
}

assert.match = function match(string, regexp, message) {
  internalMatch(string, regexp, message, match);
};

assert.doesNotMatch = function doesNotMatch(string, regexp, message) {
  internalMatch(string, regexp, message, doesNotMatch);
};

// ---- CallTracker (deprecated) ----

class CallTrackerContext {
  #expected;
  #calls;
  #name;
  #stackTrace;
  constructor({ expected, stackTrace, name }) {
    this.#calls = [];
    this.#expected = expected;
    this.#stackTrace = stackTrace;
    this.#name = name;
  }

  track(thisArg, args) {
    ArrayPrototypePush(this.#calls, ObjectFreeze({ thisArg, arguments: ObjectFreeze(SafeArraySlice(args)) }));
  }

  get delta() {
    return this.#calls.length - this.#expected;
  }

  reset() {
    this.#calls = [];
  }

  getCalls() {
    return ObjectFreeze(SafeArraySlice(this.#calls));
  }

  report() {
    if (this.delta !== 0) {
      return {
        message: `Expected the ${this.#name} function to be executed ${this.#expected} time(s) but was ` +
          `executed ${this.#calls.length} time(s).`,
        actual: this.#calls.length,
        expected: this.#expected,
        operator: this.#name,
        stack: this.#stackTrace,
      };
    }
  }
}

function noop() {}

class CallTracker {
  #callChecks = new Set();
  #trackedFunctions = new WeakMap();

  #getTrackedFunction(tracked) {
    if (!WeakMapPrototypeHas(this.#trackedFunctions, tracked)) {
      throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
        `The argument 'tracked' is not a tracked function. Received ${inspect(tracked)}`);
    }
    return WeakMapPrototypeGet(this.#trackedFunctions, tracked);
  }

  reset(tracked) {
    if (tracked === undefined) {
      SetPrototypeForEach(this.#callChecks, (check) => check.reset());
      return;
    }
    this.#getTrackedFunction(tracked).reset();
  }

  getCalls(tracked) {
    return this.#getTrackedFunction(tracked).getCalls();
  }

  calls(fn, expected = 1) {
    if (require('process').getProcess()._exiting) {
      throw errors.makeNodeError(Error, 'ERR_UNAVAILABLE_DURING_EXIT',
        'Cannot call function in process exit handler');
    }
    if (typeof fn === 'number') {
      expected = fn;
      fn = noop;
    } else if (fn === undefined) {
      fn = noop;
    }
    if (typeof expected !== 'number') throw errors.invalidArgType('expected', 'number', expected);
    errors.validateInteger(expected, 'expected', 1, 4294967295);
    const context = new CallTrackerContext({ expected, stackTrace: new Error(), name: fn.name || 'calls' });
    const tracked = new Proxy(fn, {
      __proto__: null,
      apply(target, thisArg, argList) {
        context.track(thisArg, argList);
        return ReflectApply(target, thisArg, argList);
      },
    });
    SetPrototypeAdd(this.#callChecks, context);
    WeakMapPrototypeSet(this.#trackedFunctions, tracked, context);
    return tracked;
  }

  report() {
    const found = [];
    SetPrototypeForEach(this.#callChecks, (context) => {
      const message = context.report();
      if (message !== undefined) ArrayPrototypePush(found, message);
    });
    return found;
  }

  verify() {
    const found = this.report();
    if (found.length === 0) return;
    const message = found.length === 1 ? found[0].message : 'Functions were not called the expected number of times';
    throw new AssertionError({ message, details: found });
  }
}

assert.CallTracker = require('util_public').deprecate(CallTracker, 'assert.CallTracker is deprecated.', 'DEP0173');

function strict(...args) {
  ReflectApply(innerOk, undefined, SafeArrayConcat([strict, args.length], args));
}

assert.strict = ObjectAssign(strict, assert, {
  equal: assert.strictEqual,
  deepEqual: assert.deepStrictEqual,
  notEqual: assert.notStrictEqual,
  notDeepEqual: assert.notDeepStrictEqual,
});
assert.strict.strict = assert.strict;

exports.assert = assert;
exports.AssertionError = AssertionError;
