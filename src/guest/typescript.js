'use strict';
// TypeScript files: the kernel transforms them (mod_transform) and keeps
// their source maps; this file hands it their text, turns its syntax errors
// into Node-style SyntaxErrors, and maps stack frames and the uncaught
// error's arrow back to the TypeScript lines. Also the helpers legacy
// decorators import (`secure-exec:typescript/helpers/<name>`).

const {
  ErrorCaptureStackTrace,
  ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor,
  ReflectApply,
  StringPrototypeEndsWith,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeRepeat,
  StringPrototypeSlice,
  SyntaxError,
  TypeError,
  WeakMap,
  WeakMapPrototypeGet,
  WeakMapPrototypeSet,
} = require('primordials');

// Syntax errors whose stack already starts with where they are.
const decorated = new WeakMap();

// Whether V8's name for a file (a path, or a file: URL) is a TypeScript
// file's: only those can have a source map.
function isTypeScript(name) {
  return typeof name === 'string' && (
    StringPrototypeEndsWith(name, '.ts') || StringPrototypeEndsWith(name, '.tsx') ||
    StringPrototypeEndsWith(name, '.mts') || StringPrototypeEndsWith(name, '.cts'));
}

// The JavaScript of the TypeScript file `filename`; `format` as mod_resolve
// tells it ('module', 'commonjs', or '' when its syntax decides).
function transform(source, filename, format, hideFrom = transform) {
  require('bootstrap').typescriptLoaded();
  const r = native.mod_transform(source, filename, format);
  if (r === native.failed) throw require('ops').opError(hideFrom);
  if (typeof r === 'string') return r;
  throw syntaxError(filename, r, hideFrom);
}

// oxc's syntax error ([message, line, column, source line]) as Node shows a
// module's syntax error: the stack starts with where it is.
function syntaxError(filename, r, hideFrom) {
  const message = r[0];
  const line = r[1];
  const column = r[2];
  const sourceLine = r[3];
  const err = new SyntaxError(`${message} (${filename}:${line}:${+column + 1})`);
  if (typeof hideFrom === 'function') ErrorCaptureStackTrace(err, hideFrom);
  const arrow = `${filename}:${line}\n${sourceLine}\n${StringPrototypeRepeat(' ', +column)}^\n`;
  ObjectDefineProperty(err, 'stack', {
    __proto__: null, value: `${arrow}\n${err.stack}`, writable: true, configurable: true, enumerable: false,
  });
  WeakMapPrototypeSet(decorated, err, true);
  return err;
}

// A stack frame's text (V8's) with the position of a TypeScript file
// mapped to its source, when the kernel has the file's map.
function mapFrame(text, file, line, column) {
  const r = native.mod_source_position(file, line, column);
  if (r === native.failed || r === null) return text;
  const tail = `${file}:${line}:${column}`;
  const at = StringPrototypeLastIndexOf(text, tail);
  const end = at + tail.length;
  if (at === -1 || (end !== text.length && end !== text.length - 1)) return text;
  return `${StringPrototypeSlice(text, 0, at)}${file}:${r[0]}:${r[1]}${StringPrototypeSlice(text, end)}`;
}

// The engine's "file:line\nsource line\n   ^\n" arrow of an uncaught error,
// pointing at the TypeScript source instead.
function mapArrow(arrow) {
  const nl = StringPrototypeIndexOf(arrow, '\n');
  const head = StringPrototypeSlice(arrow, 0, nl);
  const colon = StringPrototypeLastIndexOf(head, ':');
  const file = StringPrototypeSlice(head, 0, colon);
  if (!isTypeScript(file)) return arrow;
  const caretLine = StringPrototypeSlice(arrow, StringPrototypeIndexOf(arrow, '\n', nl + 1) + 1);
  const column = StringPrototypeIndexOf(caretLine, '^');
  const r = native.mod_source_position(file, +StringPrototypeSlice(head, colon + 1), column + 1);
  if (r === native.failed || r === null) return arrow;
  return `${file}:${r[0]}\n${r[2]}\n${StringPrototypeRepeat(' ', +r[1] - 1)}^\n`;
}

// ---- legacy decorators (TypeScript's experimentalDecorators) ----

function decorate(decorators, target, key, desc) {
  const argc = arguments.length;
  let result = argc < 3 ? target : desc === undefined || desc === null
    ? (desc = ObjectGetOwnPropertyDescriptor(target, key)) : desc;
  // Applied last to first, each getting what the one after it returned.
  for (let i = decorators.length - 1; i >= 0; i--) {
    const d = decorators[i];
    if (typeof d !== 'function') continue;
    const r = argc < 3 ? d(result) : argc > 3 ? d(target, key, result) : d(target, key);
    if (r !== undefined) result = r;
  }
  if (argc > 3 && result !== undefined && result !== null) {
    ObjectDefineProperty(target, key, result);
  }
  return result;
}

function decorateParam(index, decorator) {
  return function paramDecorator(target, key) {
    return decorator(target, key, index);
  };
}

// As TypeScript emits it: Reflect.metadata when a polyfill (reflect-metadata)
// put it there, else nothing.
function decorateMetadata(key, value) {
  const R = globalThis.Reflect;
  if (R !== null && typeof R === 'object' && typeof R.metadata === 'function') {
    return ReflectApply(R.metadata, R, [key, value]);
  }
  return undefined;
}

const helpers = { __proto__: null, decorate, decorateParam, decorateMetadata };

// `secure-exec:typescript/helpers/<name>`: the helper (its default export).
function helper(id, hideFrom) {
  const name = StringPrototypeSlice(id, 'secure-exec:typescript/helpers/'.length);
  const fn = helpers[name];
  if (fn === undefined) {
    const err = new TypeError(`No such TypeScript helper: ${name}`);
    ErrorCaptureStackTrace(err, hideFrom);
    throw err;
  }
  return fn;
}

exports.isTypeScript = isTypeScript;
exports.isDecorated = (err) => WeakMapPrototypeGet(decorated, err) === true;
exports.transform = transform;
exports.mapFrame = mapFrame;
exports.mapArrow = mapArrow;
exports.helper = helper;
