'use strict';
// The `require` that user code gets, as `node -e` has it: Node's builtin
// modules by name, with or without `node:`, and `secure-exec:tools`. Each
// entry names the guest module that implements it and how to take its public
// exports. Files and packages come with the module loader.

const {
  Error,
  ErrorCaptureStackTrace,
  ObjectPrototypeHasOwnProperty,
  ArrayIsArray,
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

// A plain own property, as an assignment makes on a fresh object, without
// reaching a setter a guest put on Object.prototype.
function setOwn(obj, key, value) {
  ObjectDefineProperty(obj, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
}

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
  _stream_duplex: () => require('stream').Stream.Duplex,
  _stream_passthrough: () => require('stream').Stream.PassThrough,
  _stream_readable: () => require('stream').Stream.Readable,
  _stream_transform: () => require('stream').Stream.Transform,
  _stream_wrap: () => stub('_stream_wrap'),
  _stream_writable: () => require('stream').Stream.Writable,
  _tls_common: () => stub('_tls_common'),
  _tls_wrap: () => stub('_tls_wrap'),
  assert: () => require('assert').assert,
  'assert/strict': () => require('assert').assert.strict,
  async_hooks: () => require('async_hooks').api,
  buffer: () => require('buffer').api,
  child_process: () => require('child_process').api,
  cluster: refuse('cluster'),
  console: () => require('console').console,
  constants: () => require('constants').constants(),
  crypto: () => require('crypto').getApi(),
  dgram: () => stub('dgram'),
  diagnostics_channel: () => require('diagnostics_channel').api,
  dns: () => require('dns').dns(),
  'dns/promises': () => require('dns').promises(),
  domain: () => require('domain').api,
  events: () => require('events').EventEmitter,
  fs: () => require('fs_public').fs(),
  'fs/promises': () => require('fs_promises').promises,
  http: () => require('http').api,
  http2: () => stub('http2'),
  https: () => require('https').https(),
  inspector: refuse('inspector'),
  'inspector/promises': refuse('inspector/promises'),
  net: () => require('net').api,
  os: () => require('os').os,
  path: () => require('path').posix,
  'path/posix': () => require('path').posix,
  'path/win32': () => require('path').win32,
  perf_hooks: () => require('perf_hooks').api,
  process: () => require('process').getProcess(),
  punycode: () => require('punycode').punycode,
  querystring: () => require('querystring').querystring,
  readline: () => require('readline').api,
  'readline/promises': () => require('readline').promises,
  repl: refuse('repl'),
  sea: () => stub('sea'),
  sqlite: () => stub('sqlite'),
  stream: () => require('stream').Stream,
  'stream/consumers': () => require('stream_consumers').consumers,
  'stream/promises': () => require('rs/stream/promises'),
  'stream/web': () => require('stream_web').api,
  string_decoder: () => ({ StringDecoder: require('string_decoder').StringDecoder }),
  sys: () => load('util'),
  test: () => stub('test'),
  'test/reporters': () => stub('test/reporters'),
  timers: () => require('timers_public').timers(),
  'timers/promises': () => require('timers_public').promises(),
  tls: () => require('tls').tls(),
  trace_events: refuse('trace_events'),
  tty: () => require('tty').api,
  url: () => require('url_public').url,
  util: () => require('util_public').util,
  'util/types': () => require('util').types,
  v8: () => require('v8').api,
  vm: () => require('vm').api,
  wasi: refuse('wasi'),
  worker_threads: () => require('worker_threads').api,
  zlib: () => require('zlib').api,
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
  setOwn(err, 'requireStack', [config.filePath]);
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
  if (StringPrototypeStartsWith(id, TS_HELPERS)) return require('typescript').helper(id, require_);
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
// Fields are defined, not assigned: a setter a guest put on
// Object.prototype is never reached (the assignments below find them own).
class Module {
  id;
  path;
  exports;
  filename;
  loaded = false;
  children = [];
  paths;

  constructor(id, filename, parent) {
    const dir = dirnameOf(filename);
    this.id = id;
    this.path = dir;
    this.exports = {};
    this.filename = filename;
    this.paths = nodeModulePaths(dir);
    ObjectDefineProperty(this, 'parent', { __proto__: null, value: parent, writable: true, configurable: true, enumerable: false });
  }
}

const requireCache = { __proto__: null };

// The file `request` names from module `parent`, as Node's resolution
// finds it (in the kernel, over the VFS and mounts): [path, format].
function resolveFile(request, parent, hideFrom) {
  const r = native.mod_resolve(request, parent.filename, 0);
  if (r === native.failed) {
    const err = opError(hideFrom);
    if (err.code === 'MODULE_NOT_FOUND') {
      const stack = [];
      for (let m = parent; m != null; m = m.parent) ArrayPrototypePush(stack, m.filename);
      err.message += `\nRequire stack:\n- ${ArrayPrototypeJoin(stack, '\n- ')}`;
      setOwn(err, 'requireStack', stack);
    }
    throw err;
  }
  return r;
}

// What legacy decorators in TypeScript import their helpers from.
const TS_HELPERS = 'secure-exec:typescript/helpers/';

// TypeScript files go through the kernel's transform first.
function isTypeScript(filename) {
  return StringPrototypeEndsWith(filename, '.ts') || StringPrototypeEndsWith(filename, '.tsx') ||
    StringPrototypeEndsWith(filename, '.mts') || StringPrototypeEndsWith(filename, '.cts');
}

// V8's messages for syntax only an ES module may have.
const moduleOnly = [
  'Cannot use import statement outside a module',
  "Unexpected token 'export'",
  "Cannot use 'import.meta' outside a module",
  'await is only valid in async functions and the top level bodies of modules',
];
function isModuleSyntaxError(e) {
  if (e === null || typeof e !== 'object' || e.name !== 'SyntaxError' || typeof e.message !== 'string') return false;
  for (let i = 0; i < moduleOnly.length; i++) {
    if (StringPrototypeStartsWith(e.message, moduleOnly[i])) return true;
  }
  return false;
}

// Loads (once per process) the module at `filename` for `parent` (null
// when an ES module imports it); `format` as mod_resolve tells it ('' when
// its syntax decides), `source` when the caller read it already.
function loadFile(filename, parent, hideFrom, format = '', source = undefined) {
  const cached = requireCache[filename];
  if (cached !== undefined) {
    // As Node: a module required again becomes a child of its new parent too.
    if (parent !== null && ArrayPrototypeIndexOf(parent.children, cached) === -1) ArrayPrototypePush(parent.children, cached);
    return cached.exports;
  }
  if (StringPrototypeEndsWith(filename, '.node')) throw nativeAddon(filename, hideFrom);
  if (format === 'module') return requireEsm(filename, parent, hideFrom);
  if (source === undefined) {
    source = check(native.fs_read_file(filename, true), hideFrom);
    if (isTypeScript(filename)) source = require('typescript').transform(source, filename, format, hideFrom);
  }
  let fn;
  if (!StringPrototypeEndsWith(filename, '.json')) {
    try {
      fn = native.v8_compile_cjs(source, filename);
    } catch (e) {
      // A file whose syntax decides its format, written as an ES module.
      if (format === '' && isModuleSyntaxError(e)) return requireEsm(filename, parent, hideFrom, format);
      throw e;
    }
  }
  const mod = new Module(filename, filename, parent);
  requireCache[filename] = mod;
  if (parent !== null) ArrayPrototypePush(parent.children, mod);
  let ok = false;
  try {
    if (fn === undefined) {
      try {
        mod.exports = JSONParse(StringPrototypeCharCodeAt(source, 0) === 0xfeff ? StringPrototypeSlice(source, 1) : source);
      } catch (e) {
        e.message = `${filename}: ${e.message}`;
        throw e;
      }
    } else {
      ReflectApply(fn, mod.exports, [mod.exports, makeRequire(mod), mod, filename, mod.path]);
    }
    ok = true;
  } finally {
    // A module that threw is forgotten, so a later require tries again.
    if (!ok) {
      delete requireCache[filename];
      const i = parent === null ? -1 : ArrayPrototypeIndexOf(parent.children, mod);
      if (i !== -1) SafeArraySplice(parent.children, i, 1);
    }
  }
  mod.loaded = true;
  return mod.exports;
}

// require() of an ES module: its namespace, cached like a CommonJS module's.
function requireEsm(filename, parent, hideFrom, format = 'module') {
  const exp = require('esm').requireModule(filename, parent === null ? filename : parent.filename, hideFrom, format);
  const mod = new Module(filename, filename, parent);
  mod.exports = exp;
  mod.loaded = true;
  requireCache[filename] = mod;
  if (parent !== null) ArrayPrototypePush(parent.children, mod);
  return exp;
}

// `require` as the module `mod` sees it.
function makeRequire(mod) {
  const req = function require(id) {
    if (typeof id !== 'string' || id === '' || StringPrototypeStartsWith(id, 'node:') || isBuiltin(id) ||
        id === 'secure-exec:tools' || StringPrototypeStartsWith(id, TS_HELPERS)) {
      return require_(id);
    }
    const r = resolveFile(id, mod, require);
    return loadFile(r[0], mod, require, r[1]);
  };
  setOwn(req, 'resolve', function resolve(request, options) {
    if (typeof request !== 'string') throw invalidArgType('request', 'string', request, resolve);
    if (isBuiltin(request)) return request;
    const paths = options == null ? undefined : options.paths;
    if (paths === undefined) return resolveFile(request, mod, resolve)[0];
    if (!ArrayIsArray(paths)) {
      const err = new TypeError(`The property 'options.paths' is invalid. Received ${require('util').inspect(paths)}`);
      ErrorCaptureStackTrace(err, resolve);
      defineCode(err, 'ERR_INVALID_ARG_VALUE');
      throw err;
    }
    // Each path in turn, as if a module in that directory asked.
    for (let i = 0; i < paths.length; i++) {
      const from = `${require('path').posix.resolve(`${paths[i]}`)}/noop.js`;
      const r = native.mod_resolve(request, from, 0);
      if (r !== native.failed) return r[0];
      const err = opError(resolve);
      if (err.code !== 'MODULE_NOT_FOUND') throw err;
    }
    const err = new Error(`Cannot find module '${request}'`);
    ErrorCaptureStackTrace(err, resolve);
    defineCode(err, 'MODULE_NOT_FOUND');
    const stack = [];
    for (let m = mod; m != null; m = m.parent) ArrayPrototypePush(stack, m.filename);
    err.message += `\nRequire stack:\n- ${ArrayPrototypeJoin(stack, '\n- ')}`;
    setOwn(err, 'requireStack', stack);
    throw err;
  });
  setOwn(req.resolve, 'paths', function paths(request) {
    return isBuiltin(request) ? null : nodeModulePaths(mod.path);
  });
  setOwn(req, 'main', mainModule);
  setOwn(req, 'extensions', { __proto__: null });
  setOwn(req, 'cache', requireCache);
  return req;
}

let mainModule;
// The entry code, for assert.ok()'s message (other files are read again).
let mainSource;
let mainFilename;

// Runs the entry code as Node runs a main CommonJS module: inside the
// module wrapper function the engine compiles.
function runMain(source, filename, detect) {
  let fn;
  try {
    fn = native.v8_compile_cjs(source, filename);
  } catch (err) {
    if (detect && isModuleSyntaxError(err)) return true;
    throw err;
  }
  mainSource = source;
  mainFilename = filename;
  const mod = new Module('.', filename, null);
  mainModule = mod;
  const req = makeRequire(mod);
  requireCache[filename] = mod;
  ReflectApply(fn, mod.exports, [mod.exports, req, mod, filename, mod.path]);
  mod.loaded = true;
  return false;
}

// A persistent context's main module (`rt.createContext()`): `require`
// resolves from `filename`, and the module cache stays for its later calls.
function persistentMain(filename) {
  const mod = new Module('.', filename, null);
  mainModule = mod;
  requireCache[filename] = mod;
  mod.loaded = true;
  return { __proto__: null, module: mod, require: makeRequire(mod) };
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
  // Plain properties, as Node assigns them (enumerable: an ES module
  // importing 'node:module' gets each as a named export).
  const prop = (name, value) => ObjectDefineProperty(Module, name, { __proto__: null, value, writable: true, configurable: true, enumerable: true });
  prop('builtinModules', names);
  prop('createRequire', createRequire);
  prop('isBuiltin', isBuiltin);
  prop('Module', Module);
  moduleApi = Module;
  return moduleApi;
}

exports.require = require_;
exports.runMain = runMain;
exports.persistentMain = persistentMain;
exports.Module = Module;
exports.define = define;
exports.isBuiltin = isBuiltin;
// A public builtin by its name without `node:` (vendored packages' requires).
exports.builtin = load;
exports.nativeAddon = nativeAddon;
exports.loadFile = loadFile;
exports.isModuleSyntaxError = isModuleSyntaxError;
exports.sourceOf = (filename) => (filename === mainFilename ? mainSource : undefined);
exports.noteMainSource = (filename, source) => {
  mainFilename = filename;
  mainSource = source;
};
exports.isTypeScript = isTypeScript;
exports.TS_HELPERS = TS_HELPERS;
