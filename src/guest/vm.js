'use strict';
// require('vm'). Scripts compile and run in the engine (ops v8_vm_*); a
// context made by createContext is a fresh V8 context of the same isolate:
// V8's intrinsics and the sandbox object's properties, nothing of the
// guest's runtime. What differs from Node: `timeout`, `breakOnSigint`,
// `microtaskMode` and `importModuleDynamically` are accepted and ignored
// (the call's own limits apply), cached data is never produced or used,
// indexed properties of a sandbox are not globals, vm contexts have no
// WebAssembly, and their promise rejections are not reported.

const {
  ArrayBufferIsView,
  ArrayIsArray,
  Error,
  ObjectFreeze,
  PromiseReject,
  Symbol,
  TypeError,
} = require('primordials');

const errors = () => require('errors');
const kCode = Symbol('code');
const kOptions = Symbol('options');
// Where a script made by runInContext()/runInNewContext() is parsed: its
// syntax errors are that context's, as in Node.
const kParsingContext = Symbol('kParsingContext');

function invalidArgType(name, expected, actual, hideFrom) {
  return errors().invalidArgType(name, expected, actual, hideFrom);
}

function unsupported(message, hideFrom) {
  const err = new Error(message);
  require('primordials').ErrorCaptureStackTrace(err, hideFrom);
  errors().defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
  return err;
}

const DONT_CONTEXTIFY = Symbol('vm_context_no_contextify');
const constants = ObjectFreeze({
  __proto__: null,
  USE_MAIN_CONTEXT_DEFAULT_LOADER: Symbol('vm_dynamic_import_main_context_default'),
  DONT_CONTEXTIFY,
});

function validateString(value, name, hideFrom) {
  if (typeof value !== 'string') throw invalidArgType(name, 'string', value, hideFrom);
}

function validateInt32(value, name, hideFrom) {
  if (value !== undefined) errors().validateInteger(value, name, -2147483648, 2147483647, hideFrom);
}

// filename, lineOffset, columnOffset of an options bag (or a filename string).
function scriptOptions(options, hideFrom) {
  if (typeof options === 'string') return { __proto__: null, filename: options, lineOffset: 0, columnOffset: 0 };
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object') throw invalidArgType('options', 'Object', options, hideFrom);
  const { filename = 'evalmachine.<anonymous>', lineOffset = 0, columnOffset = 0, cachedData } = options;
  const parsingContext = options[kParsingContext];
  validateString(filename, 'options.filename', hideFrom);
  validateInt32(lineOffset, 'options.lineOffset', hideFrom);
  validateInt32(columnOffset, 'options.columnOffset', hideFrom);
  if (cachedData !== undefined && !ArrayBufferIsView(cachedData)) {
    throw invalidArgType('options.cachedData', ['Buffer', 'TypedArray', 'DataView'], cachedData, hideFrom);
  }
  return { __proto__: null, filename, lineOffset, columnOffset, cachedData, parsingContext };
}

function displayErrors(options) {
  return !(options !== null && typeof options === 'object' && options.displayErrors === false);
}

function frozenTime() {
  return require('bootstrap').bootDate;
}

function isContext(object) {
  if (object === null || (typeof object !== 'object' && typeof object !== 'function')) {
    throw invalidArgType('object', 'Object', object, isContext);
  }
  return native.v8_vm_is_context(object);
}

// With no object given, the sandbox is made inside the new context (Node
// makes it in the caller's): code in the context reaches nothing of the
// caller's unless handed it.
function createContext(contextObject = undefined, options = {}) {
  if (contextObject !== DONT_CONTEXTIFY && contextObject !== undefined) {
    if (contextObject === null || (typeof contextObject !== 'object' && typeof contextObject !== 'function')) {
      throw invalidArgType('object', 'Object', contextObject, createContext);
    }
    if (native.v8_vm_is_context(contextObject)) return contextObject;
  }
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'Object', options, createContext);
  const { name, origin, codeGeneration, microtaskMode } = options;
  if (name !== undefined) validateString(name, 'options.name', createContext);
  if (origin !== undefined) validateString(origin, 'options.origin', createContext);
  let allowStrings = true;
  if (codeGeneration !== undefined) {
    if (codeGeneration === null || typeof codeGeneration !== 'object') {
      throw invalidArgType('options.codeGeneration', 'Object', codeGeneration, createContext);
    }
    if (codeGeneration.strings !== undefined) {
      if (typeof codeGeneration.strings !== 'boolean') {
        throw invalidArgType('options.codeGeneration.strings', 'boolean', codeGeneration.strings, createContext);
      }
      allowStrings = codeGeneration.strings;
    }
  }
  if (microtaskMode !== undefined && microtaskMode !== 'afterEvaluate') {
    throw errors().makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The property 'options.microtaskMode' must be one of: 'afterEvaluate', undefined. Received ${
        require('util').inspect(microtaskMode)}`, createContext);
  }
  const own = contextObject === DONT_CONTEXTIFY;
  return native.v8_vm_context_new(own ? undefined : contextObject, frozenTime(), allowStrings, own);
}

function contextified(object, hideFrom) {
  if (object === null || typeof object !== 'object' || !native.v8_vm_is_context(object)) {
    throw invalidArgType('contextifiedObject', 'vm.Context', object, hideFrom);
  }
  return object;
}

class Script {
  constructor(code, options = {}) {
    code = `${code}`;
    const o = scriptOptions(options, Script);
    native.v8_vm_script(code, o.filename, o.lineOffset, o.columnOffset, o.parsingContext, false, displayErrors(options));
    this[kCode] = code;
    this[kOptions] = o;
    if (o.cachedData !== undefined) this.cachedDataRejected = true;
    this.sourceMapURL = undefined;
  }

  runInThisContext(options) {
    const o = this[kOptions];
    return native.v8_vm_script(this[kCode], o.filename, o.lineOffset, o.columnOffset, undefined, true,
      displayErrors(options));
  }

  runInContext(contextifiedObject, options) {
    contextified(contextifiedObject, this.runInContext);
    const o = this[kOptions];
    return native.v8_vm_script(this[kCode], o.filename, o.lineOffset, o.columnOffset, contextifiedObject, true,
      displayErrors(options));
  }

  runInNewContext(contextObject, options) {
    const context = createContext(contextObject, contextOptions(options));
    return this.runInContext(context, options);
  }

  createCachedData() {
    throw unsupported('vm.Script.createCachedData is not supported in this sandbox', this.createCachedData);
  }
}

// The createContext() part of a runInNewContext options bag.
function contextOptions(options) {
  if (options === null || typeof options !== 'object') return {};
  return {
    name: options.contextName,
    origin: options.contextOrigin,
    codeGeneration: options.contextCodeGeneration,
    microtaskMode: options.microtaskMode,
  };
}

function createScript(code, options) {
  return new Script(code, options);
}

function runInThisContext(code, options) {
  return new Script(code, options).runInThisContext(options);
}

// `options` (a filename string or a bag) with the context to parse in.
function parsedIn(options, context) {
  if (typeof options === 'string') return { filename: options, [kParsingContext]: context };
  if (options === null || typeof options !== 'object') return { [kParsingContext]: context };
  return { ...options, [kParsingContext]: context };
}

function runInContext(code, contextifiedObject, options) {
  contextified(contextifiedObject, runInContext);
  return new Script(code, parsedIn(options, contextifiedObject)).runInContext(contextifiedObject, options);
}

function runInNewContext(code, contextObject, options) {
  if (typeof options === 'string') options = { filename: options };
  const context = createContext(contextObject, contextOptions(options));
  return new Script(code, parsedIn(options, context)).runInContext(context, options);
}

function compileFunction(code, params = [], options = {}) {
  validateString(code, 'code', compileFunction);
  if (!ArrayIsArray(params)) throw invalidArgType('params', 'Array', params, compileFunction);
  const names = [];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    validateString(p, `params[${i}]`, compileFunction);
    names[i] = p;
  }
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'Object', options, compileFunction);
  const { filename = '', lineOffset = 0, columnOffset = 0, parsingContext, contextExtensions = [] } = options;
  validateString(filename, 'options.filename', compileFunction);
  validateInt32(lineOffset, 'options.lineOffset', compileFunction);
  validateInt32(columnOffset, 'options.columnOffset', compileFunction);
  if (parsingContext !== undefined) contextified(parsingContext, compileFunction);
  if (!ArrayIsArray(contextExtensions)) {
    throw invalidArgType('options.contextExtensions', 'Array', contextExtensions, compileFunction);
  }
  const exts = [];
  for (let i = 0; i < contextExtensions.length; i++) {
    const e = contextExtensions[i];
    if (e === null || typeof e !== 'object') {
      throw invalidArgType(`options.contextExtensions[${i}]`, 'object', e, compileFunction);
    }
    exts[i] = e;
  }
  return native.v8_vm_compile_function(code, filename, lineOffset, columnOffset, names, exts, parsingContext);
}

function measureMemory(options = {}) {
  return PromiseReject(unsupported('vm.measureMemory is not supported in this sandbox', measureMemory));
}

exports.api = {
  Script,
  createContext,
  createScript,
  runInContext,
  runInNewContext,
  runInThisContext,
  isContext,
  compileFunction,
  measureMemory,
  constants,
};
