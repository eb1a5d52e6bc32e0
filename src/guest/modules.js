'use strict';
// The `require` that user code gets, as `node -e` has it: Node's builtin
// modules by name, with or without `node:`, and `secure-exec:tools`. Each
// entry names the guest module that implements it and how to take its public
// exports. Files and packages come with the module loader.

const {
  Error,
  ErrorCaptureStackTrace,
  ObjectPrototypeHasOwnProperty,
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  JSONParse,
  ObjectDefineProperty,
  ReflectApply,
  SafeArraySlice,
  SafeArraySplice,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  TypeError,
} = require('primordials');
// Loaded on first use: every run() goes through runMain, and a call that
// requires nothing must not pay for these modules.
const defineCode = (err, code) => require('errors').defineCode(err, code);
const invalidArgType = (name, expected, actual, hideFrom) =>
  require('errors').invalidArgType(name, expected, actual, hideFrom);
const check = (r, caller) => require('ops').check(r, caller);
const opError = (caller) => require('ops').opError(caller);

// name -> () => public exports. Filled by each builtin as it is written.
const stub = (name) => require('stubs').load(name);
const refuse = (name) => () => require('stubs').refuse(name, require_);
const builtins = {
  __proto__: null,
  _http_agent: () => stub('_http_agent'),
  _http_client: () => stub('_http_client'),
  _http_common: () => stub('_http_common'),
  _http_incoming: () => stub('_http_incoming'),
  _http_outgoing: () => stub('_http_outgoing'),
  _http_server: () => stub('_http_server'),
  _stream_wrap: () => stub('_stream_wrap'),
  _tls_common: () => stub('_tls_common'),
  _tls_wrap: () => stub('_tls_wrap'),
  async_hooks: () => require('async_hooks').api,
  buffer: () => require('buffer').api,
  child_process: () => stub('child_process'),
  cluster: refuse('cluster'),
  console: () => require('console').console,
  constants: () => require('constants').constants(),
  dgram: () => stub('dgram'),
  diagnostics_channel: () => require('diagnostics_channel').api,
  dns: () => stub('dns'),
  'dns/promises': () => stub('dns/promises'),
  domain: () => require('domain').api,
  events: () => require('events').EventEmitter,
  fs: () => require('fs_public').fs(),
  'fs/promises': () => require('fs_promises').promises,
  http: () => stub('http'),
  http2: () => stub('http2'),
  https: () => stub('https'),
  inspector: refuse('inspector'),
  'inspector/promises': refuse('inspector/promises'),
  net: () => stub('net'),
  os: () => require('os').os,
  path: () => require('path').posix,
  'path/posix': () => require('path').posix,
  'path/win32': () => require('path').win32,
  perf_hooks: () => require('perf_hooks').api,
  process: () => require('process').getProcess(),
  readline: () => require('readline').api,
  'readline/promises': () => require('readline').promises,
  repl: refuse('repl'),
  sea: () => stub('sea'),
  sqlite: () => stub('sqlite'),
  string_decoder: () => ({ StringDecoder: require('string_decoder').StringDecoder }),
  sys: () => load('util'),
  test: () => stub('test'),
  'test/reporters': () => stub('test/reporters'),
  timers: () => require('timers_public').timers(),
  'timers/promises': () => require('timers_public').promises(),
  tls: () => stub('tls'),
  trace_events: refuse('trace_events'),
  tty: () => require('tty').api,
  v8: () => require('v8').api,
  vm: () => require('vm').api,
  wasi: refuse('wasi'),
  worker_threads: () => require('worker_threads').api,
  module: () => publicModule(),
};

// Names that exist only with the prefix.
const prefixedOnly = { __proto__: null, sea: true, sqlite: true, test: true, 'test/reporters': true };

// require('module').builtinModules, as Node 20.20 lists it (names that
// exist only with the prefix are not listed).
const builtinNames = [
  '_http_agent', '_http_client', '_http_common', '_http_incoming', '_http_outgoing', '_http_server',
  '_stream_duplex', '_stream_passthrough', '_stream_readable', '_stream_transform', '_stream_wrap',
  '_stream_writable', '_tls_common', '_tls_wrap', 'assert', 'assert/strict', 'async_hooks', 'buffer',
  'child_process', 'cluster', 'console', 'constants', 'crypto', 'dgram', 'diagnostics_channel', 'dns',
  'dns/promises', 'domain', 'events', 'fs', 'fs/promises', 'http', 'http2', 'https', 'inspector',
  'inspector/promises', 'module', 'net', 'os', 'path', 'path/posix', 'path/win32', 'perf_hooks', 'process',
  'punycode', 'querystring', 'readline', 'readline/promises', 'repl', 'stream', 'stream/consumers',
  'stream/promises', 'stream/web', 'string_decoder', 'sys', 'timers', 'timers/promises', 'tls',
  'trace_events', 'tty', 'url', 'util', 'util/types', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib',
];

const cache = { __proto__: null };

function load(name) {
  let mod = cache[name];
  if (mod === undefined) {
    mod = builtins[name]();
    cache[name] = mod;
  }
  return mod;
}

function notFound(id, hideFrom) {
  const err = new Error(`Cannot find module '${id}'\nRequire stack:\n- ${config.filePath}`);
  ErrorCaptureStackTrace(err, hideFrom);
  defineCode(err, 'MODULE_NOT_FOUND');
  err.requireStack = [config.filePath];
  return err;
}

// Native addons would run host machine code: never loaded.
function nativeAddon(id, hideFrom) {
  const err = new Error(`Cannot load native addon '${id}': native addons (.node files) cannot run in this sandbox`);
  ErrorCaptureStackTrace(err, hideFrom);
  defineCode(err, 'ERR_SANDBOX_NATIVE_ADDON');
  return err;
}

function require_(id) {
  if (typeof id !== 'string') throw invalidArgType('id', 'string', id, require_);
  if (id === '') {
    const err = new TypeError("The argument 'id' must be a non-empty string. Received ''");
    ErrorCaptureStackTrace(err, require_);
    defineCode(err, 'ERR_INVALID_ARG_VALUE');
    throw err;
  }
  if (StringPrototypeStartsWith(id, 'node:')) {
    const name = StringPrototypeSlice(id, 5);
    if (builtins[name] !== undefined) return load(name);
    const err = new Error(`No such built-in module: ${id}`);
    ErrorCaptureStackTrace(err, require_);
    defineCode(err, 'ERR_UNKNOWN_BUILTIN_MODULE');
    throw err;
  }
  if (id === 'secure-exec:tools') return require('tools').getTools();
  if (StringPrototypeEndsWith(id, '.node')) throw nativeAddon(id, require_);
  if (builtins[id] !== undefined && prefixedOnly[id] === undefined) return load(id);
  throw notFound(id, require_);
}

// Registers a builtin; `get` runs on the first require of it.
function define(name, get) {
  builtins[name] = get;
}

function isBuiltin(name) {
  if (typeof name !== 'string') return false;
  if (StringPrototypeStartsWith(name, 'node:')) return builtins[StringPrototypeSlice(name, 5)] !== undefined;
  return builtins[name] !== undefined && !ObjectPrototypeHasOwnProperty(prefixedOnly, name);
}

// ---- CommonJS entry code ----

function dirnameOf(filename) {
  const i = StringPrototypeLastIndexOf(filename, '/');
  return i <= 0 ? '/' : StringPrototypeSlice(filename, 0, i);
}

// Where Node would look for packages from `dir`: each ancestor's
// node_modules (none inside a node_modules directory itself).
function nodeModulePaths(dir) {
  const paths = [];
  let d = dir;
  for (;;) {
    if (!StringPrototypeEndsWith(d, '/node_modules')) {
      ArrayPrototypePush(paths, d === '/' ? '/node_modules' : `${d}/node_modules`);
    }
    if (d === '/') break;
    d = dirnameOf(d);
  }
  return paths;
}

// What `module` is in CommonJS code (Node's Module, as far as the loader
// exists: files and packages come with it).
class Module {
  constructor(id, filename, parent) {
    this.id = id;
    this.path = dirnameOf(filename);
    this.exports = {};
    this.filename = filename;
    this.loaded = false;
    this.children = [];
    this.paths = nodeModulePaths(this.path);
    ObjectDefineProperty(this, 'parent', { __proto__: null, value: parent, writable: true, configurable: true, enumerable: false });
  }
}

const requireCache = { __proto__: null };

// The file `request` names from module `parent`, as Node's resolution
// finds it (in the kernel, over the VFS and mounts).
function resolveFile(request, parent, hideFrom) {
  const r = native.mod_resolve(request, parent.filename, 0);
  if (r === native.failed) {
    const err = opError(hideFrom);
    if (err.code === 'MODULE_NOT_FOUND') {
      const stack = [];
      for (let m = parent; m != null; m = m.parent) ArrayPrototypePush(stack, m.filename);
      err.message += `\nRequire stack:\n- ${ArrayPrototypeJoin(stack, '\n- ')}`;
      err.requireStack = stack;
    }
    throw err;
  }
  return r;
}

// Loads (once per process) the module at `filename` for `parent`.
function loadFile(filename, parent, hideFrom) {
  const cached = requireCache[filename];
  if (cached !== undefined) {
    // As Node: a module required again becomes a child of its new parent too.
    if (ArrayPrototypeIndexOf(parent.children, cached) === -1) ArrayPrototypePush(parent.children, cached);
    return cached.exports;
  }
  if (StringPrototypeEndsWith(filename, '.node')) throw nativeAddon(filename, hideFrom);
  const source = check(native.fs_read_file(filename, true), hideFrom);
  const mod = new Module(filename, filename, parent);
  requireCache[filename] = mod;
  ArrayPrototypePush(parent.children, mod);
  let ok = false;
  try {
    if (StringPrototypeEndsWith(filename, '.json')) {
      try {
        mod.exports = JSONParse(StringPrototypeCharCodeAt(source, 0) === 0xfeff ? StringPrototypeSlice(source, 1) : source);
      } catch (e) {
        e.message = `${filename}: ${e.message}`;
        throw e;
      }
    } else {
      const fn = native.v8_compile_cjs(source, filename);
      ReflectApply(fn, mod.exports, [mod.exports, makeRequire(mod), mod, filename, mod.path]);
    }
    ok = true;
  } finally {
    // A module that threw is forgotten, so a later require tries again.
    if (!ok) {
      delete requireCache[filename];
      const i = ArrayPrototypeIndexOf(parent.children, mod);
      if (i !== -1) SafeArraySplice(parent.children, i, 1);
    }
  }
  mod.loaded = true;
  return mod.exports;
}

// `require` as the module `mod` sees it.
function makeRequire(mod) {
  const req = function require(id) {
    if (typeof id !== 'string' || id === '' || StringPrototypeStartsWith(id, 'node:') || isBuiltin(id) ||
        id === 'secure-exec:tools') {
      return require_(id);
    }
    return loadFile(resolveFile(id, mod, require), mod, require);
  };
  req.resolve = function resolve(request) {
    if (typeof request !== 'string') throw invalidArgType('request', 'string', request, resolve);
    if (isBuiltin(request)) return request;
    return resolveFile(request, mod, resolve);
  };
  req.resolve.paths = function paths(request) {
    return isBuiltin(request) ? null : nodeModulePaths(mod.path);
  };
  req.main = mainModule;
  req.extensions = { __proto__: null };
  req.cache = requireCache;
  return req;
}

let mainModule;

// Runs the entry code as Node runs a main CommonJS module: inside the
// module wrapper function the engine compiles.
function runMain(source, filename) {
  const fn = native.v8_compile_cjs(source, filename);
  const mod = new Module('.', filename, null);
  mainModule = mod;
  const req = makeRequire(mod);
  requireCache[filename] = mod;
  ReflectApply(fn, mod.exports, [mod.exports, req, mod, filename, mod.path]);
  mod.loaded = true;
}

// A `require` as a module at `filename` would have it (module.createRequire).
function createRequire(filename) {
  let path;
  if (typeof filename === 'string' && StringPrototypeStartsWith(filename, 'file:')) {
    path = require('url').fileURLToPath(filename, createRequire);
  } else if (filename !== null && typeof filename === 'object' && require('url').isURL(filename)) {
    path = require('url').fileURLToPath(filename, createRequire);
  } else if (typeof filename === 'string' && StringPrototypeStartsWith(filename, '/')) {
    path = filename;
  }
  if (path === undefined) {
    const shown = typeof filename === 'string' ? `'${filename}'` : require('util').inspect(filename);
    const err = new TypeError(`The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received ${shown}`);
    ErrorCaptureStackTrace(err, createRequire);
    defineCode(err, 'ERR_INVALID_ARG_VALUE');
    throw err;
  }
  // A trailing slash names a directory: requests resolve inside it.
  const file = StringPrototypeEndsWith(path, '/') ? `${path}noop.js` : path;
  return makeRequire(new Module(file, file, null));
}

let moduleApi;
// `require('module')`: Module with createRequire, isBuiltin and the names
// of the builtins there are so far.
function publicModule() {
  if (moduleApi !== undefined) return moduleApi;
  const names = SafeArraySlice(builtinNames);
  ObjectDefineProperty(Module, 'createRequire', { __proto__: null, value: createRequire, writable: true, configurable: true });
  ObjectDefineProperty(Module, 'isBuiltin', { __proto__: null, value: isBuiltin, writable: true, configurable: true });
  ObjectDefineProperty(Module, 'builtinModules', { __proto__: null, value: names, writable: true, configurable: true, enumerable: true });
  ObjectDefineProperty(Module, 'Module', { __proto__: null, value: Module, writable: true, configurable: true });
  moduleApi = Module;
  return moduleApi;
}

exports.require = require_;
exports.runMain = runMain;
exports.Module = Module;
exports.define = define;
exports.isBuiltin = isBuiltin;
exports.nativeAddon = nativeAddon;
