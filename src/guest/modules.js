'use strict';
// The `require` that user code gets, as `node -e` has it: Node's builtin
// modules by name, with or without `node:`, and `secure-exec:tools`. Each
// entry names the guest module that implements it and how to take its public
// exports. Files and packages come with the module loader.

const {
  Error,
  ErrorCaptureStackTrace,
  ObjectPrototypeHasOwnProperty,
  StringPrototypeEndsWith,
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

exports.require = require_;
exports.define = define;
exports.isBuiltin = isBuiltin;
exports.nativeAddon = nativeAddon;
