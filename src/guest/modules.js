'use strict';
// The `require` that user code gets, as `node -e` has it: Node's builtin
// modules by name, with or without `node:`, and `secure-exec:tools`. Each
// entry names the guest module that implements it and how to take its public
// exports. Files and packages come with the module loader.

const {
  Error,
  ErrorCaptureStackTrace,
  ObjectPrototypeHasOwnProperty,
  ArrayPrototypePush,
  ObjectDefineProperty,
  ReflectApply,
  StringPrototypeEndsWith,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  TypeError,
} = require('primordials');
const { defineCode, invalidArgType } = require('errors');

// name -> () => public exports. Filled by each builtin as it is written.
const builtins = {
  __proto__: null,
  buffer: () => require('buffer').api,
  events: () => require('events').EventEmitter,
  fs: () => require('fs_public').fs(),
  'fs/promises': () => require('fs_promises').promises,
  os: () => require('os').os,
  path: () => require('path').posix,
  'path/posix': () => require('path').posix,
  'path/win32': () => require('path').win32,
  string_decoder: () => ({ StringDecoder: require('string_decoder').StringDecoder }),
};

// Names that exist only with the prefix.
const prefixedOnly = { __proto__: null };

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

// `require` as the module `mod` sees it.
function makeRequire(mod) {
  const req = function require(id) {
    return require_(id);
  };
  req.resolve = function resolve(request) {
    if (typeof request !== 'string') throw invalidArgType('request', 'string', request, resolve);
    if (StringPrototypeStartsWith(request, 'node:') ? isBuiltin(request) : isBuiltin(request)) return request;
    throw notFound(request, resolve);
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

exports.require = require_;
exports.runMain = runMain;
exports.Module = Module;
exports.define = define;
exports.isBuiltin = isBuiltin;
exports.nativeAddon = nativeAddon;
