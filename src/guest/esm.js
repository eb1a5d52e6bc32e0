'use strict';
// The ES module loader: `import` and `import()` of files, packages, JSON
// and builtins, as Node's default loader does them. Resolution is the
// kernel's (mod_resolve, over the VFS and mounts); V8 holds the modules,
// which this file compiles, links by id and evaluates through the engine's
// v8_module_* natives. CommonJS modules and builtins become synthetic
// modules whose exports are set when V8 evaluates them.

const {
  ArrayPrototypeIncludes,
  ArrayPrototypePush,
  Error,
  ErrorCaptureStackTrace,
  JSONParse,
  JSONStringify,
  Map,
  MapPrototypeGet,
  MapPrototypeSet,
  ObjectKeys,
  PromisePrototypeThen,
  PromiseReject,
  ReflectDeleteProperty,
  ReflectOwnKeys,
  RangeError,
  RegExpPrototypeExec,
  SafeRegExpReplaceAll,
  SafeStringReplaceAll,
  StringPrototypeSplit,
  StringPrototypeCharCodeAt,
  StringPrototypeEndsWith,
  StringPrototypeToLowerCase,
  decodeURIComponent,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  TypeError,
  globalThis,
} = require('primordials');

const modules = () => require('modules');
const check = (r, caller) => require('ops').check(r, caller);
const defineCode = (err, code) => require('errors').defineCode(err, code);

// V8's Module::Status.
const INSTANTIATED = 2;
const EVALUATED = 4;
const ERRORED = 5;

// A module per URL (a builtin's is node:<name>), and by engine id.
const byUrl = new Map();
const byId = [];
let main;

function codedError(Ctor, code, message, hideFrom) {
  const err = new Ctor(message);
  if (hideFrom !== undefined) ErrorCaptureStackTrace(err, hideFrom);
  defineCode(err, code);
  return err;
}

function noop() {}

const HEX = '0123456789ABCDEF';
// `path` as a file: URL, as Node's pathToFileURL writes it on POSIX.
function fileUrl(path) {
  let url = 'file://';
  let start = 0;
  for (let i = 0; i < path.length; i++) {
    const c = StringPrototypeCharCodeAt(path, i);
    if (c > 0x20 && c < 0x7f && StringPrototypeIndexOf('"#%<>?[\\]^`{|}~', path[i]) === -1) continue;
    url += StringPrototypeSlice(path, start, i);
    if (c < 0x80) {
      url += `%${HEX[c >> 4]}${HEX[c & 15]}`;
    } else {
      // Non-ASCII: the UTF-8 bytes, each percent-encoded.
      const end = c >= 0xd800 && c < 0xdc00 && i + 1 < path.length ? i + 2 : i + 1;
      const bytes = native.text_utf8_encode(StringPrototypeSlice(path, i, end));
      for (let j = 0; j < bytes.length; j++) url += `%${HEX[bytes[j] >> 4]}${HEX[bytes[j] & 15]}`;
      i = end - 1;
    }
    start = i + 1;
  }
  return url + StringPrototypeSlice(path, start);
}

function dirnameOf(path) {
  const i = StringPrototypeLastIndexOf(path, '/');
  return i <= 0 ? '/' : StringPrototypeSlice(path, 0, i);
}

// A referrer as V8 names it (a module's URL, a CommonJS file's path) as a path.
function referrerPath(name) {
  if (typeof name !== 'string') return `${require('process').getProcess().cwd()}/[eval1]`;
  if (StringPrototypeStartsWith(name, 'file:')) return require('url').fileURLToPath(name);
  if (StringPrototypeStartsWith(name, 'data:')) return undefined;
  return name;
}

// What `specifier` names from the module at `parentPath` (whose URL is
// `parentUrl`): a builtin (`{ url: 'node:fs' }`), a data: URL, or a file
// with its format.
function resolveSpecifier(specifier, parentPath, hideFrom, parentUrl) {
  if (StringPrototypeStartsWith(specifier, 'data:')) return { __proto__: null, url: specifier, data: true };
  if (specifier === 'secure-exec:tools' || StringPrototypeStartsWith(specifier, modules().TS_HELPERS)) {
    return { __proto__: null, url: specifier, builtin: specifier };
  }
  if (StringPrototypeStartsWith(specifier, 'node:')) {
    const name = StringPrototypeSlice(specifier, 5);
    if (modules().isBuiltin(specifier)) return { __proto__: null, url: specifier, builtin: name };
    throw codedError(Error, 'ERR_UNKNOWN_BUILTIN_MODULE', `No such built-in module: ${specifier}`, hideFrom);
  }
  if (modules().isBuiltin(specifier)) return { __proto__: null, url: `node:${specifier}`, builtin: specifier };
  if (parentPath === undefined) {
    // A data: module has no place in the filesystem to resolve from.
    throw codedError(TypeError, 'ERR_UNSUPPORTED_RESOLVE_REQUEST',
      `Failed to resolve module specifier "${specifier}" from "${parentUrl}": ` +
      'Invalid relative URL or base scheme is not hierarchical.', hideFrom);
  }
  let request = specifier;
  const colon = StringPrototypeIndexOf(specifier, ':');
  if (colon > 1 && StringPrototypeIndexOf(specifier, '/') > colon) {
    const scheme = StringPrototypeSlice(specifier, 0, colon + 1);
    if (scheme !== 'file:') {
      throw codedError(Error, 'ERR_UNSUPPORTED_ESM_URL_SCHEME',
        'Only URLs with a scheme in: file, data, and node are supported by the default ESM loader. ' +
        `Received protocol '${scheme}'`, hideFrom);
    }
    request = require('url').fileURLToPath(specifier);
  }
  const r = native.mod_resolve(request, parentPath, 1);
  if (r === native.failed) {
    const err = require('ops').opError(hideFrom);
    if (err.code === 'ERR_MODULE_NOT_FOUND') hint(err, request, parentPath);
    throw err;
  }
  const path = r[0];
  return { __proto__: null, url: fileUrl(path), path, format: r[1] };
}

// As Node: where CommonJS resolution would have found the file (an
// extension or index left out), the error says what to import instead.
function hint(err, request, parentPath) {
  const r = native.mod_resolve(request, parentPath, 0);
  if (r === native.failed) {
    native.v8_take_error();
    return;
  }
  let found = r[0];
  if (StringPrototypeStartsWith(request, './') || StringPrototypeStartsWith(request, '../')) {
    found = require('path').posix.relative(dirnameOf(parentPath), found);
    if (!StringPrototypeStartsWith(found, '../')) found = `./${found}`;
  } else if (!StringPrototypeStartsWith(request, '/')) {
    const pkg = StringPrototypeSlice(request, 0, StringPrototypeIndexOf(request, '/') === -1 ? request.length : StringPrototypeIndexOf(request, '/'));
    const at = StringPrototypeIndexOf(found, pkg);
    if (at !== -1) found = StringPrototypeSlice(found, at);
  }
  err.message += `\nDid you mean to import "${found}"?`;
}

function record(id, url, path, format) {
  const rec = {
    __proto__: null, id, url, path, format, linked: false, evaluate: undefined, facade: undefined, deps: undefined,
    source: undefined,
  };
  byId[id] = rec;
  MapPrototypeSet(byUrl, url, rec);
  return rec;
}

// A module whose exports are `names` plus `default`, set by `setExports`
// when V8 evaluates it.
function synthetic(url, path, format, names, setExports) {
  const all = [];
  let hasDefault = false;
  for (let i = 0; i < names.length; i++) {
    if (names[i] === 'default') hasDefault = true;
    ArrayPrototypePush(all, names[i]);
  }
  if (!hasDefault) ArrayPrototypePush(all, 'default');
  const rec = record(native.v8_module_synthetic(url, all), url, path, format);
  rec.linked = true;
  rec.evaluate = () => setExports(rec.id, all);
  return rec;
}

function setFrom(id, names, value, defaultValue) {
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    native.v8_module_set_export(id, name, name === 'default' ? defaultValue : value == null ? undefined : value[name]);
  }
}

function builtinModule(url, name) {
  const exp = name === 'secure-exec:tools' ? require('tools').getTools() : modules().require(url);
  const names = ObjectKeys(exp);
  return synthetic(url, undefined, 'builtin', names, (id, all) => setFrom(id, all, exp, exp));
}

// Node's named exports of a CommonJS module: what the lexer finds in its
// source, and in the sources of the modules it reexports.
function cjsNames(path, source, names, seen, depth) {
  const found = native.mod_cjs_exports(source);
  if (found === native.failed) return;
  const count = +found[0];
  for (let i = 1; i <= count; i++) ArrayPrototypePush(names, found[i]);
  if (depth >= 16) return;
  for (let i = count + 1; i < found.length; i++) {
    let target;
    let r1;
    try {
      const r = native.mod_resolve(found[i], path, 0);
      if (r === native.failed || r[1] === 'module' || r[1] === 'json' || MapPrototypeGet(seen, r[0])) continue;
      target = r[0];
      r1 = r[1];
    } catch {
      continue;
    }
    MapPrototypeSet(seen, target, true);
    let src = native.fs_read_file(target, true);
    if (src !== native.failed && modules().isTypeScript(target)) {
      try {
        src = require('typescript').transform(src, target, r1, undefined);
      } catch {
        continue;
      }
    }
    if (src !== native.failed) cjsNames(target, src, names, seen, depth + 1);
  }
}

function commonjsModule(url, path, source) {
  const names = [];
  cjsNames(path, source, names, new Map(), 0);
  return synthetic(url, path, 'commonjs', names, (id, all) => {
    const exp = modules().loadFile(path, null, undefined, 'commonjs', source);
    setFrom(id, all, exp, exp);
  });
}

function jsonModule(url, path, source) {
  let value;
  try {
    value = JSONParse(StringPrototypeCharCodeAt(source, 0) === 0xfeff ? StringPrototypeSlice(source, 1) : source);
  } catch (e) {
    e.message = `${path === undefined ? url : path}: ${e.message}`;
    throw e;
  }
  return synthetic(url, path, 'json', [], (id) => native.v8_module_set_export(id, 'default', value));
}

// ESM-only syntax in a file whose format its syntax decides.
function isModuleSource(source, path) {
  try {
    native.v8_compile_cjs(source, path);
    return false;
  } catch (e) {
    return modules().isModuleSyntaxError(e);
  }
}

// The module `target` (from resolve) names, made once per URL.
function getModule(target, type, hideFrom) {
  const have = MapPrototypeGet(byUrl, target.url);
  if (have !== undefined) {
    checkType(have, type, hideFrom);
    return have;
  }
  if (target.data) return dataModule(target.url, type, hideFrom);
  if (target.builtin !== undefined) {
    checkType({ __proto__: null, url: target.url, format: 'builtin' }, type, hideFrom);
    return builtinModule(target.url, target.builtin);
  }
  const { url, path } = target;
  let format = target.format;
  if (format === 'addon') throw modules().nativeAddon(path, hideFrom);
  if (format === 'wasm') {
    throw codedError(TypeError, 'ERR_UNKNOWN_FILE_EXTENSION', `Unknown file extension ".wasm" for ${path}`, hideFrom);
  }
  checkType({ __proto__: null, url, format }, type, hideFrom);
  let source = check(native.fs_read_file(path, true), hideFrom);
  if (modules().isTypeScript(path)) source = require('typescript').transform(source, path, format, hideFrom);
  if (format === '') format = isModuleSource(source, path) ? 'module' : 'commonjs';
  if (format === 'json') return jsonModule(url, path, source);
  if (format === 'commonjs') return commonjsModule(url, path, source);
  const rec = record(native.v8_module_compile(source, url), url, path, 'module');
  rec.source = source;
  return rec;
}

// A module from a data: URL: JavaScript or JSON, its text in the URL
// (percent-encoded, or base64).
function dataModule(url, type, hideFrom) {
  const comma = StringPrototypeIndexOf(url, ',');
  const head = comma === -1 ? '' : StringPrototypeToLowerCase(StringPrototypeSlice(url, 5, comma));
  const semi = StringPrototypeIndexOf(head, ';');
  const mime = semi === -1 ? head : StringPrototypeSlice(head, 0, semi);
  const format = mime === 'text/javascript' ? 'module' : mime === 'application/json' ? 'json' : undefined;
  if (comma === -1 || format === undefined) {
    throw codedError(RangeError, 'ERR_UNKNOWN_MODULE_FORMAT', `Unknown module format: ${mime} for URL ${url}`, hideFrom);
  }
  checkType({ __proto__: null, url, format }, type, hideFrom);
  const body = StringPrototypeSlice(url, comma + 1);
  const source = StringPrototypeEndsWith(head, ';base64')
    ? check(native.text_utf8_decode(check(native.text_encode(body, 'base64'), hideFrom), false), hideFrom)
    : decodeURIComponent(body);
  if (format === 'json') return jsonModule(url, undefined, source);
  return record(native.v8_module_compile(source, url), url, undefined, 'module');
}

// Node's checks of the `type` import attribute.
function checkType(rec, type, hideFrom) {
  if (type !== '' && type !== 'json') {
    throw codedError(TypeError, 'ERR_IMPORT_ASSERTION_TYPE_UNSUPPORTED', `Import attribute type "${type}" is unsupported`, hideFrom);
  }
  if (rec.format === 'json' && type !== 'json') {
    throw codedError(TypeError, 'ERR_IMPORT_ASSERTION_TYPE_MISSING',
      `Module "${rec.url}" needs an import attribute of type "json"`, hideFrom);
  }
  if (rec.format !== 'json' && type === 'json') {
    throw codedError(TypeError, 'ERR_IMPORT_ASSERTION_TYPE_FAILED', `Module "${rec.url}" is not of type "json"`, hideFrom);
  }
}

// Resolves and loads every module `root` depends on, and links each
// request to its module.
function link(root, hideFrom) {
  const todo = [root];
  while (todo.length > 0) {
    const rec = todo[todo.length - 1];
    todo.length--;
    if (rec.linked) continue;
    rec.linked = true;
    const reqs = native.v8_module_requests(rec.id);
    const ids = [];
    const deps = [];
    for (let i = 0; i < reqs.length; i += 2) {
      const dep = getModule(resolveSpecifier(reqs[i], rec.path, hideFrom, rec.url), reqs[i + 1], hideFrom);
      ArrayPrototypePush(ids, dep.id);
      ArrayPrototypePush(deps, reqs[i], dep);
      if (!dep.linked) ArrayPrototypePush(todo, dep);
    }
    native.v8_module_link(rec.id, ids);
    rec.deps = deps;
  }
}

// Loads and links `rec`'s graph.
function load(rec, hideFrom) {
  try {
    link(rec, hideFrom);
  } catch (e) {
    // A graph that failed to load may be tried again.
    rec.linked = false;
    throw e;
  }
  instantiate(rec.id);
}

// Loads `rec`'s graph and starts its evaluation: the promise of it.
function evaluate(rec, hideFrom) {
  load(rec, hideFrom);
  return native.v8_module_evaluate(rec.id);
}

function instantiate(id) {
  try {
    native.v8_module_instantiate(id);
  } catch (e) {
    explainMissingExport(e);
    throw e;
  }
}

// As Node: a name a CommonJS module was not found to export gets an error
// that says so, and how to import it instead.
const missingExport = /module '(.*)' does not provide an export named '(.+)'/;
function explainMissingExport(e) {
  if (e === null || typeof e !== 'object' || e.name !== 'SyntaxError' || typeof e.message !== 'string') return;
  const m = RegExpPrototypeExec(missingExport, e.message);
  if (m === null) return;
  const child = m[1];
  for (let i = 0; i < byId.length; i++) {
    const r = byId[i];
    if (r === undefined || r.deps === undefined) continue;
    for (let j = 0; j < r.deps.length; j += 2) {
      if (r.deps[j] !== child || r.deps[j + 1].format !== 'commonjs') continue;
      const statement = importLine(r.source, child, m[2]);
      const named = statement === undefined ? null : RegExpPrototypeExec(/{.*}/, statement);
      const old = e.message;
      e.message = `Named export '${m[2]}' not found. The requested module '${child}' is a CommonJS module, which may ` +
        'not support all module.exports as named exports.\nCommonJS modules can always be imported via the default ' +
        `export, for example using:\n\nimport pkg from '${child}';\n` +
        (named === null ? '' : `const ${SafeRegExpReplaceAll(/\s+as\s+/g, named[0], ': ')} = pkg;\n`);
      if (typeof e.stack === 'string') e.stack = SafeStringReplaceAll(e.stack, old, e.message);
      return;
    }
  }
}

// The line of `source` that imports `name` from `child` (else the first
// that names `child`).
function importLine(source, child, name) {
  if (typeof source !== 'string') return undefined;
  const lines = StringPrototypeSplit(source, '\n');
  let first;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (StringPrototypeIndexOf(l, `'${child}'`) === -1 && StringPrototypeIndexOf(l, `"${child}"`) === -1) continue;
    if (StringPrototypeIndexOf(l, name) !== -1) return l;
    if (first === undefined) first = l;
  }
  return first;
}

// hooks.runModule: the entry code as the main module.
function runModule(source, filename) {
  // As `node main.mjs`: no global require (entry code that is CommonJS
  // gets its own from the module wrapper).
  ReflectDeleteProperty(globalThis, 'require');
  const url = fileUrl(filename);
  modules().noteMainSource(filename, source);
  main = record(native.v8_module_compile(source, url), url, filename, 'module');
  main.source = source;
  return evaluate(main, undefined);
}

// hooks.importDynamic: import() from code named `referrer`.
function importDynamic(specifier, referrer, type) {
  try {
    const rec = getModule(resolveSpecifier(`${specifier}`, referrerPath(referrer), undefined, referrer), type);
    const done = evaluate(rec);
    return PromisePrototypeThen(done, () => native.v8_module_namespace(rec.id));
  } catch (e) {
    return PromiseReject(e);
  }
}

// hooks.evaluateSynthetic: V8 evaluates a CommonJS module or a builtin.
function evaluateSynthetic(id) {
  byId[id].evaluate();
}

// hooks.importMeta: import.meta of module `id`, as Node fills it.
function importMeta(id, meta) {
  const rec = byId[id];
  if (rec === undefined) return;
  const path = rec.path;
  // A data: module has only resolve and url.
  if (path !== undefined) {
    meta.dirname = dirnameOf(path);
    meta.filename = path;
  }
  meta.resolve = function resolve(specifier, parent) {
    const from = parent === undefined ? path : referrerPath(`${parent}`);
    try {
      return resolveSpecifier(`${specifier}`, from, resolve, rec.url).url;
    } catch (e) {
      // A missing file still has a URL (a missing package has none).
      if (e.code === 'ERR_MODULE_NOT_FOUND' && from !== undefined && isFileRequest(`${specifier}`)) {
        return fileUrl(require('path').posix.resolve(dirnameOf(from), `${specifier}`));
      }
      throw e;
    }
  };
  meta.url = rec.url;
}

function isFileRequest(s) {
  return StringPrototypeStartsWith(s, './') || StringPrototypeStartsWith(s, '../') || StringPrototypeStartsWith(s, '/');
}

// require() of an ES module (Node 20.19+): evaluated synchronously; a
// graph with top-level await cannot be.
// `format`: as the file was resolved ('' when its syntax made it a module).
function requireModule(path, parentPath, hideFrom, format = 'module') {
  const url = fileUrl(path);
  let rec = MapPrototypeGet(byUrl, url);
  if (rec === undefined) {
    let source = check(native.fs_read_file(path, true), hideFrom);
    if (modules().isTypeScript(path)) source = require('typescript').transform(source, path, format, hideFrom);
    rec = record(native.v8_module_compile(source, url), url, path, 'module');
    rec.source = source;
  }
  let st = native.v8_module_status(rec.id);
  if (st[0] < INSTANTIATED) {
    load(rec, hideFrom);
    st = native.v8_module_status(rec.id);
  }
  if (st[1]) {
    throw codedError(Error, 'ERR_REQUIRE_ASYNC_MODULE',
      'require() cannot be used on an ESM graph with top-level await. Use import() instead. To see where the ' +
      `top-level await comes from, use --experimental-print-required-tla.\n  From ${parentPath} \n  Requiring ${path} `,
      hideFrom);
  }
  // Its failure is thrown here, so its promise counts as handled.
  if (st[0] < EVALUATED) PromisePrototypeThen(native.v8_module_evaluate(rec.id), undefined, noop);
  st = native.v8_module_status(rec.id);
  if (st[0] === ERRORED) throw st[2];
  const ns = native.v8_module_namespace(rec.id);
  // As Node: a module may name its CommonJS value, and one with a default
  // export is seen through a namespace that also says __esModule.
  const keys = ReflectOwnKeys(ns);
  if (ArrayPrototypeIncludes(keys, 'module.exports')) return ns['module.exports'];
  if (!ArrayPrototypeIncludes(keys, 'default') || ArrayPrototypeIncludes(keys, '__esModule')) return ns;
  if (rec.facade === undefined) {
    const spec = JSONStringify(url);
    const id = native.v8_module_compile(
      `export * from ${spec}; export { default } from ${spec}; export const __esModule = true;`, url);
    native.v8_module_link(id, [rec.id]);
    native.v8_module_instantiate(id);
    PromisePrototypeThen(native.v8_module_evaluate(id), undefined, noop);
    rec.facade = id;
  }
  return native.v8_module_namespace(rec.facade);
}

function mainNamespace() {
  if (main === undefined) return undefined;
  const st = native.v8_module_status(main.id);
  return st[0] === EVALUATED ? native.v8_module_namespace(main.id) : undefined;
}

exports.runModule = runModule;
exports.importDynamic = importDynamic;
exports.evaluateSynthetic = evaluateSynthetic;
exports.importMeta = importMeta;
exports.requireModule = requireModule;
exports.mainNamespace = mainNamespace;
exports.fileUrl = fileUrl;
