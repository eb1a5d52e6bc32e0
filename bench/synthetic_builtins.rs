//! Synthetic guest builtins for `--features bench` builds: about
//! `TARGET_LINES` lines in modules shaped like real builtins (validators,
//! coded errors, classes with private state, a tokenizer, a formatter, an
//! emitter), each requiring the one before it. `ROOT` requires them all and
//! `run()` exercises each once, so a call that uses it loads every line.
//! Included by build.rs; never part of a normal build.

pub const TARGET_LINES: usize = 20_000;
pub const ROOT: &str = "bench/index";

const TEMPLATE: &str = r#"'use strict';
// Synthetic builtin @N@ (bench builds only): the shapes real builtins have.
const prev = @PREV@;
const kState = Symbol('kState@N@');
const kLimit = @N@ * 7 + 64;

const codes = {
  __proto__: null,
  ERR_INVALID_ARG_TYPE: 'The "%s" argument must be of type %s (@N@)',
  ERR_OUT_OF_RANGE: 'The value of "%s" is out of range. It must be %s (@N@)',
  ERR_INVALID_STATE: 'Invalid state: %s (@N@)',
  ERR_UNKNOWN: 'Unknown value: %s (@N@)',
};

function format(template, ...args) {
  let i = 0;
  return template.replace(/%s/g, () => String(args[i++]));
}

class CodedError@N@ extends Error {
  constructor(code, ...args) {
    super(format(codes[code], ...args));
    this.code = code;
  }

  get name() {
    return 'Error';
  }
}

function validateInteger(value, name, min = 0, max = kLimit) {
  if (typeof value !== 'number') {
    throw new CodedError@N@('ERR_INVALID_ARG_TYPE', name, 'number');
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new CodedError@N@('ERR_OUT_OF_RANGE', name, `>= ${min} && <= ${max}`);
  }
  return value;
}

function validateString(value, name) {
  if (typeof value !== 'string') {
    throw new CodedError@N@('ERR_INVALID_ARG_TYPE', name, 'string');
  }
  return value;
}

class Queue@N@ {
  constructor(capacity = 16) {
    const size = validateInteger(capacity, 'capacity', 1);
    this[kState] = { items: new Array(size), head: 0, length: 0 };
  }

  get length() {
    return this[kState].length;
  }

  push(value) {
    const s = this[kState];
    if (s.length === s.items.length) this.#grow();
    s.items[(s.head + s.length) % s.items.length] = value;
    s.length++;
    return this;
  }

  shift() {
    const s = this[kState];
    if (s.length === 0) return undefined;
    const value = s.items[s.head];
    s.items[s.head] = undefined;
    s.head = (s.head + 1) % s.items.length;
    s.length--;
    return value;
  }

  peek() {
    const s = this[kState];
    return s.length === 0 ? undefined : s.items[s.head];
  }

  #grow() {
    const s = this[kState];
    const items = new Array(s.items.length * 2);
    for (let i = 0; i < s.length; i++) items[i] = s.items[(s.head + i) % s.items.length];
    s.items = items;
    s.head = 0;
  }

  *[Symbol.iterator]() {
    const s = this[kState];
    for (let i = 0; i < s.length; i++) yield s.items[(s.head + i) % s.items.length];
  }

  toJSON() {
    return [...this];
  }
}

const table = [];
for (let i = 0; i < 32; i++) table.push((i * @N@ + 17) % 251);
const lookup = new Map(table.map((v, i) => [`k${i}`, v]));
Object.freeze(table);

function checksum(bytes) {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i] + table[i & 31]) % 65521;
    b = (b + a) % 65521;
  }
  return (b << 16) | a;
}

function tokenize(input) {
  validateString(input, 'input');
  const out = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10) {
      i++;
    } else if (c >= 48 && c <= 57) {
      let j = i;
      while (j < input.length && input.charCodeAt(j) >= 48 && input.charCodeAt(j) <= 57) j++;
      out.push({ type: 'number', value: Number(input.slice(i, j)) });
      i = j;
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      let j = i;
      while (j < input.length && /[A-Za-z0-9_]/.test(input[j])) j++;
      out.push({ type: 'word', value: input.slice(i, j) });
      i = j;
    } else {
      out.push({ type: 'punct', value: input[i] });
      i++;
    }
  }
  return out;
}

function parseOptions(options = {}) {
  if (options === null || typeof options !== 'object') {
    throw new CodedError@N@('ERR_INVALID_ARG_TYPE', 'options', 'object');
  }
  const { depth = 2, colors = false, breakLength = 80, sorted = false } = options;
  return {
    depth: validateInteger(depth, 'options.depth', 0, 1000),
    colors: Boolean(colors),
    breakLength: validateInteger(breakLength, 'options.breakLength', 1, 10000),
    sorted: Boolean(sorted),
  };
}

function formatValue(value, opts, depth = 0) {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function: ${value.name || '(anonymous)'}]`;
    default:
      break;
  }
  if (value === null) return 'null';
  if (depth > opts.depth) return Array.isArray(value) ? '[Array]' : '[Object]';
  if (Array.isArray(value)) {
    return `[ ${value.map((v) => formatValue(v, opts, depth + 1)).join(', ')} ]`;
  }
  let keys = Object.keys(value);
  if (opts.sorted) keys = keys.sort();
  const parts = keys.map((k) => `${k}: ${formatValue(value[k], opts, depth + 1)}`);
  const line = `{ ${parts.join(', ')} }`;
  return line.length > opts.breakLength ? `{\n  ${parts.join(',\n  ')}\n}` : line;
}

class Emitter@N@ {
  #listeners = new Map();

  on(name, fn) {
    let list = this.#listeners.get(name);
    if (list === undefined) {
      list = [];
      this.#listeners.set(name, list);
    }
    list.push(fn);
    return this;
  }

  off(name, fn) {
    const list = this.#listeners.get(name);
    if (list === undefined) return this;
    const i = list.indexOf(fn);
    if (i !== -1) list.splice(i, 1);
    return this;
  }

  emit(name, ...args) {
    const list = this.#listeners.get(name);
    if (list === undefined) return false;
    for (const fn of [...list]) fn.apply(this, args);
    return true;
  }

  listenerCount(name) {
    return this.#listeners.get(name)?.length ?? 0;
  }
}

// Rarely used paths: compiled only when called.
function merge(a, b) {
  const merged = { ...a, ...b };
  for (const key of Object.keys(merged)) {
    if (merged[key] === undefined) delete merged[key];
  }
  return merged;
}

function deprecate(fn, message) {
  let warned = false;
  return function (...args) {
    if (!warned) {
      warned = true;
      lookup.set('deprecated', message.length);
    }
    return Reflect.apply(fn, this, args);
  };
}

function exercise(seed) {
  const q = new Queue@N@(4);
  for (let i = 0; i < 6; i++) q.push(seed + i);
  let sum = q.shift() + q.peek() + q.length;
  const e = new Emitter@N@();
  e.on('x', (v) => {
    sum += v;
  });
  e.emit('x', @N@);
  sum += tokenize('let x@N@ = 42 + y;').length;
  sum += formatValue({ a: [1, 2], b: 'c' }, parseOptions({ depth: 1 })).length;
  sum += checksum([seed & 255, @N@ & 255, 7]) & 0xffff;
  try {
    validateInteger(-1, 'n');
  } catch (err) {
    sum += err.code.length;
  }
  return prev === null ? sum : sum + (prev.kLimit & 1);
}

module.exports = {
  CodedError: CodedError@N@,
  Queue: Queue@N@,
  Emitter: Emitter@N@,
  codes,
  lookup,
  kLimit,
  checksum,
  tokenize,
  parseOptions,
  formatValue,
  merge,
  exercise,
  legacyExercise: deprecate(exercise, 'use exercise()'),
};
"#;

fn name(i: usize) -> String {
  format!("bench/m{i:03}")
}

/// (name, source) of each synthetic module, the root last.
pub fn modules(target_lines: usize) -> Vec<(String, String)> {
  let per = TEMPLATE.lines().count();
  let n = target_lines.div_ceil(per);
  let mut out = Vec::with_capacity(n + 1);
  for i in 0..n {
    let prev = if i == 0 {
      "null".to_string()
    } else {
      format!("require('{}')", name(i - 1))
    };
    let src = TEMPLATE
      .replace("@N@", &i.to_string())
      .replace("@PREV@", &prev);
    out.push((name(i), src));
  }
  let lines: usize = out.iter().map(|(_, s)| s.lines().count()).sum();
  let mut root = String::from(
    "'use strict';\n// Requires every synthetic builtin; run() exercises each once.\nconst mods = [\n",
  );
  for i in 0..n {
    root.push_str(&format!("  require('{}'),\n", name(i)));
  }
  root.push_str(&format!(
    "];\nexports.modules = mods.length;\nexports.lines = {lines};\n\
     exports.run = function run(seed = 1) {{\n  let sum = 0;\n  \
     for (const m of mods) sum += m.exercise(seed);\n  return sum;\n}};\n"
  ));
  out.push((ROOT.to_string(), root));
  out
}
