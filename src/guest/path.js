'use strict';
// node:path: the posix flavour (what `require('path')` is here) and the
// win32 one, with Node 20's answers for odd inputs (repeated separators,
// UNC roots, drive-relative paths, reserved device names).

const {
  ArrayPrototypeIncludes,
  Error,
  StringPrototypeCharCodeAt,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeToUpperCase,
} = require('primordials');
const { invalidArgType, validateObject } = require('errors');

const SLASH = 47; // '/'
const BACKSLASH = 92; // '\\'
const DOT = 46;
const COLON = 58;
const QUESTION = 63;

function validateString(value, name) {
  if (typeof value !== 'string') throw invalidArgType(name, 'string', value);
}

function isPosixSep(c) {
  return c === SLASH;
}

function isWinSep(c) {
  return c === SLASH || c === BACKSLASH;
}

function isDriveLetter(c) {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function cwd() {
  return require('process').getProcess().cwd();
}

// `path` without '.' segments and with '..' applied, segments joined by
// `sep`; a '..' above the start is kept only when `allowAboveRoot`.
function normalizeSegments(path, allowAboveRoot, sep, isSep) {
  const out = [];
  let n = 0;
  let i = 0;
  const len = path.length;
  while (i <= len) {
    let j = i;
    while (j < len && !isSep(StringPrototypeCharCodeAt(path, j))) j++;
    const seg = StringPrototypeSlice(path, i, j);
    if (seg === '..') {
      if (n > 0 && out[n - 1] !== '..') n--;
      else if (allowAboveRoot) out[n++] = '..';
    } else if (seg !== '' && seg !== '.') {
      out[n++] = seg;
    }
    i = j + 1;
  }
  let res = '';
  for (let k = 0; k < n; k++) res += k === 0 ? out[k] : sep + out[k];
  return res;
}

// Where the last path component of path[start..] begins and ends
// (trailing separators ignored): [startPart, end], end -1 if none.
function lastComponent(path, start, isSep) {
  let end = -1;
  let i = path.length - 1;
  for (; i >= start; i--) {
    if (isSep(StringPrototypeCharCodeAt(path, i))) {
      if (end !== -1) break;
    } else if (end === -1) {
      end = i + 1;
    }
  }
  return [i + 1 > start ? i + 1 : start, end];
}

// Where the extension of path[startPart, end) starts (-1: none): at its
// last dot, unless that dot leads the name, or the name is '..'. Node's
// parse() of '/..' compares against 0, not 1: `dotDotStart` keeps that.
function extStart(path, startPart, end, dotDotStart = startPart) {
  let startDot = -1;
  for (let i = end - 1; i >= startPart; i--) {
    if (StringPrototypeCharCodeAt(path, i) === DOT) {
      startDot = i;
      break;
    }
  }
  if (startDot === -1 || startDot === startPart) return -1;
  if (StringPrototypeCharCodeAt(path, startPart) === DOT && startDot === end - 1 && startDot === dotDotStart + 1) {
    return -1;
  }
  return startDot;
}

function basenameWith(path, suffix, start, isSep) {
  if (suffix !== undefined) validateString(suffix, 'suffix');
  validateString(path, 'path');
  if (suffix !== undefined && suffix.length > 0 && suffix.length <= path.length) {
    if (suffix === path) return '';
    // Match the suffix from the end of the last component; Node's quirks
    // (a suffix longer than the component) included.
    let extIdx = suffix.length - 1;
    let firstNonSlashEnd = -1;
    let matchedSlash = true;
    let end = -1;
    for (let i = path.length - 1; i >= start; i--) {
      const c = StringPrototypeCharCodeAt(path, i);
      if (isSep(c)) {
        if (!matchedSlash) {
          start = i + 1;
          break;
        }
      } else {
        if (firstNonSlashEnd === -1) {
          matchedSlash = false;
          firstNonSlashEnd = i + 1;
        }
        if (extIdx >= 0) {
          if (c === StringPrototypeCharCodeAt(suffix, extIdx)) {
            if (--extIdx === -1) end = i;
          } else {
            extIdx = -1;
            end = firstNonSlashEnd;
          }
        }
      }
    }
    if (start === end) end = firstNonSlashEnd;
    else if (end === -1) end = path.length;
    return StringPrototypeSlice(path, start, end);
  }
  const { 0: startPart, 1: end } = lastComponent(path, start, isSep);
  if (end === -1) return '';
  return StringPrototypeSlice(path, startPart, end);
}

function extnameFrom(path, start, isSep) {
  const { 0: startPart, 1: end } = lastComponent(path, start, isSep);
  if (end === -1) return '';
  const dot = extStart(path, startPart, end);
  return dot === -1 ? '' : StringPrototypeSlice(path, dot, end);
}

// Fills ret.base/name/ext from the last component after `rootEnd`; returns
// where that component starts.
function parseTail(path, rootEnd, isSep, ret, dotDotStart) {
  const { 0: startPart, 1: end } = lastComponent(path, rootEnd, isSep);
  if (end !== -1) {
    const dot = extStart(path, startPart, end, startPart > rootEnd ? startPart : dotDotStart);
    ret.base = StringPrototypeSlice(path, startPart, end);
    if (dot === -1) {
      ret.name = ret.base;
    } else {
      ret.name = StringPrototypeSlice(path, startPart, dot);
      ret.ext = StringPrototypeSlice(path, dot, end);
    }
  }
  return startPart;
}

function formatWith(sep, pathObject) {
  validateObject(pathObject, 'pathObject');
  const dir = pathObject.dir || pathObject.root;
  const ext = pathObject.ext;
  const base = pathObject.base || `${pathObject.name || ''}${ext ? `${ext[0] === '.' ? '' : '.'}${ext}` : ''}`;
  if (!dir) return base;
  return dir === pathObject.root ? `${dir}${base}` : `${dir}${sep}${base}`;
}

function matchesGlob() {
  const err = new Error('path.matchesGlob() is not supported in this sandbox');
  require('errors').defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
  throw err;
}

// ---- posix ----

function posixResolveList(args) {
  let resolved = '';
  let absolute = false;
  for (let i = args.length - 1; i >= -1 && !absolute; i--) {
    const path = i >= 0 ? args[i] : cwd();
    validateString(path, `paths[${i}]`);
    if (path.length === 0) continue;
    resolved = `${path}/${resolved}`;
    absolute = StringPrototypeCharCodeAt(path, 0) === SLASH;
  }
  resolved = normalizeSegments(resolved, !absolute, '/', isPosixSep);
  if (absolute) return `/${resolved}`;
  return resolved.length > 0 ? resolved : '.';
}

function posixNormalize(path) {
  validateString(path, 'path');
  if (path.length === 0) return '.';
  const absolute = StringPrototypeCharCodeAt(path, 0) === SLASH;
  const trailing = StringPrototypeCharCodeAt(path, path.length - 1) === SLASH;
  path = normalizeSegments(path, !absolute, '/', isPosixSep);
  if (path.length === 0) {
    if (absolute) return '/';
    return trailing ? './' : '.';
  }
  if (trailing) path += '/';
  return absolute ? `/${path}` : path;
}

const posix = {
  resolve(...args) {
    return posixResolveList(args);
  },

  normalize: posixNormalize,

  isAbsolute(path) {
    validateString(path, 'path');
    return path.length > 0 && StringPrototypeCharCodeAt(path, 0) === SLASH;
  },

  join(...args) {
    if (args.length === 0) return '.';
    let joined;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      validateString(arg, 'path');
      if (arg.length > 0) joined = joined === undefined ? arg : `${joined}/${arg}`;
    }
    if (joined === undefined) return '.';
    return posixNormalize(joined);
  },

  relative(from, to) {
    validateString(from, 'from');
    validateString(to, 'to');
    if (from === to) return '';
    from = posixResolveList([from]);
    to = posixResolveList([to]);
    if (from === to) return '';
    // Both start with '/': compare what follows it.
    const fromLen = from.length - 1;
    const toLen = to.length - 1;
    const length = fromLen < toLen ? fromLen : toLen;
    let lastCommonSep = -1;
    let i = 0;
    for (; i < length; i++) {
      const c = StringPrototypeCharCodeAt(from, 1 + i);
      if (c !== StringPrototypeCharCodeAt(to, 1 + i)) break;
      if (c === SLASH) lastCommonSep = i;
    }
    if (i === length) {
      if (toLen > length) {
        // `from` is a prefix directory of `to` (or the root).
        if (StringPrototypeCharCodeAt(to, 1 + i) === SLASH) return StringPrototypeSlice(to, 1 + i + 1);
        if (i === 0) return StringPrototypeSlice(to, 1 + i);
      } else if (fromLen > length) {
        if (StringPrototypeCharCodeAt(from, 1 + i) === SLASH) lastCommonSep = i;
        else if (i === 0) lastCommonSep = 0;
      }
    }
    let out = '';
    for (i = 1 + lastCommonSep + 1; i <= from.length; i++) {
      if (i === from.length || StringPrototypeCharCodeAt(from, i) === SLASH) out += out.length === 0 ? '..' : '/..';
    }
    return `${out}${StringPrototypeSlice(to, 1 + lastCommonSep)}`;
  },

  toNamespacedPath(path) {
    return path;
  },

  dirname(path) {
    validateString(path, 'path');
    if (path.length === 0) return '.';
    const hasRoot = StringPrototypeCharCodeAt(path, 0) === SLASH;
    let end = -1;
    let inName = false;
    for (let i = path.length - 1; i >= 1; i--) {
      if (StringPrototypeCharCodeAt(path, i) === SLASH) {
        if (inName) {
          end = i;
          break;
        }
      } else {
        inName = true;
      }
    }
    if (end === -1) return hasRoot ? '/' : '.';
    if (hasRoot && end === 1) return '//';
    return StringPrototypeSlice(path, 0, end);
  },

  basename(path, suffix) {
    return basenameWith(path, suffix, 0, isPosixSep);
  },

  extname(path) {
    validateString(path, 'path');
    return extnameFrom(path, 0, isPosixSep);
  },

  format: null,

  parse(path) {
    validateString(path, 'path');
    const ret = { root: '', dir: '', base: '', ext: '', name: '' };
    if (path.length === 0) return ret;
    const absolute = StringPrototypeCharCodeAt(path, 0) === SLASH;
    if (absolute) ret.root = '/';
    const startPart = parseTail(path, absolute ? 1 : 0, isPosixSep, ret, 0);
    if (startPart > (absolute ? 1 : 0)) ret.dir = StringPrototypeSlice(path, 0, startPart - 1);
    else if (absolute) ret.dir = '/';
    return ret;
  },

  matchesGlob,
  sep: '/',
  delimiter: ':',
  win32: null,
  posix: null,
  _makeLong: null,
};
posix.format = function format(pathObject) {
  return formatWith('/', pathObject);
};

// ---- win32 ----

const reservedNames = ['CON', 'PRN', 'AUX', 'NUL', 'COM1', 'COM2', 'COM3', 'COM4', 'COM5', 'COM6', 'COM7', 'COM8',
  'COM9', 'LPT1', 'LPT2', 'LPT3', 'LPT4', 'LPT5', 'LPT6', 'LPT7', 'LPT8', 'LPT9', 'COM\u00b9', 'COM\u00b2',
  'COM\u00b3', 'LPT\u00b9', 'LPT\u00b2', 'LPT\u00b3'];

// The root of a win32 path: `\\server\share` (UNC), `C:`, a separator, or
// none. `uncOnly` is set when the path is nothing but a UNC root.
function winRoot(path) {
  const len = path.length;
  const root = { device: undefined, rootEnd: 0, absolute: false, uncOnly: false, uncEnd: 0 };
  if (len === 0) return root;
  const c = StringPrototypeCharCodeAt(path, 0);
  if (isWinSep(c)) {
    root.absolute = true;
    root.rootEnd = 1;
    if (len > 1 && isWinSep(StringPrototypeCharCodeAt(path, 1))) {
      let j = 2;
      let last = j;
      while (j < len && !isWinSep(StringPrototypeCharCodeAt(path, j))) j++;
      if (j < len && j !== last) {
        const server = StringPrototypeSlice(path, last, j);
        last = j;
        while (j < len && isWinSep(StringPrototypeCharCodeAt(path, j))) j++;
        if (j < len && j !== last) {
          last = j;
          while (j < len && !isWinSep(StringPrototypeCharCodeAt(path, j))) j++;
          if (j === len || j !== last) {
            root.device = `\\\\${server}\\${StringPrototypeSlice(path, last, j)}`;
            root.rootEnd = j;
            root.uncOnly = j === len;
            root.uncEnd = j;
          }
        }
      }
    }
  } else if (len > 1 && isDriveLetter(c) && StringPrototypeCharCodeAt(path, 1) === COLON) {
    root.device = StringPrototypeSlice(path, 0, 2);
    root.rootEnd = 2;
    if (len > 2 && isWinSep(StringPrototypeCharCodeAt(path, 2))) {
      root.absolute = true;
      root.rootEnd = 3;
    }
  }
  return root;
}

function winResolveList(args) {
  let resolvedDevice = '';
  let resolvedTail = '';
  let resolvedAbsolute = false;
  for (let i = args.length - 1; i >= -1; i--) {
    let path;
    if (i >= 0) {
      path = args[i];
      validateString(path, `paths[${i}]`);
      if (path.length === 0) continue;
    } else if (resolvedDevice.length === 0) {
      path = cwd();
    } else {
      // The drive's own cwd (`=C:` in the environment), else the process's
      // cwd when it is on that drive, else the drive's root.
      path = require('process').getProcess().env[`=${resolvedDevice}`] || cwd();
      if (path === undefined ||
          (StringPrototypeToLowerCase(StringPrototypeSlice(path, 0, 2)) !== StringPrototypeToLowerCase(resolvedDevice) &&
           StringPrototypeCharCodeAt(path, 2) === BACKSLASH)) {
        path = `${resolvedDevice}\\`;
      }
    }
    const root = winRoot(path);
    const device = root.device === undefined ? '' : root.device;
    if (device.length > 0) {
      if (resolvedDevice.length > 0) {
        if (StringPrototypeToLowerCase(device) !== StringPrototypeToLowerCase(resolvedDevice)) continue;
      } else {
        resolvedDevice = device;
      }
    }
    if (resolvedAbsolute) {
      if (resolvedDevice.length > 0) break;
    } else {
      resolvedTail = `${StringPrototypeSlice(path, root.rootEnd)}\\${resolvedTail}`;
      resolvedAbsolute = root.absolute;
      if (root.absolute && resolvedDevice.length > 0) break;
    }
  }
  resolvedTail = normalizeSegments(resolvedTail, !resolvedAbsolute, '\\', isWinSep);
  return resolvedAbsolute ? `${resolvedDevice}\\${resolvedTail}` : `${resolvedDevice}${resolvedTail}` || '.';
}

function winNormalize(path) {
  validateString(path, 'path');
  const len = path.length;
  if (len === 0) return '.';
  const c0 = StringPrototypeCharCodeAt(path, 0);
  if (len === 1) return c0 === SLASH ? '\\' : path;
  const root = winRoot(path);
  if (root.uncOnly) return `${root.device}\\`;
  let device = root.device;
  let rootEnd = root.rootEnd;
  const absolute = root.absolute;
  if (device === undefined && !isWinSep(c0)) {
    // `CON:` and the like name a device.
    const colon = StringPrototypeIndexOf(path, ':');
    if (colon > 0 && ArrayPrototypeIncludes(reservedNames, StringPrototypeToUpperCase(StringPrototypeSlice(path, 0, colon)))) {
      device = `.\\${StringPrototypeSlice(path, 0, colon + 1)}`;
      rootEnd = colon + 1;
    }
  }
  let tail = rootEnd < len ? normalizeSegments(StringPrototypeSlice(path, rootEnd), !absolute, '\\', isWinSep) : '';
  if (tail.length === 0 && !absolute) tail = '.';
  if (tail.length > 0 && isWinSep(StringPrototypeCharCodeAt(path, len - 1))) tail += '\\';
  if (!absolute && device === undefined && StringPrototypeIndexOf(path, ':') !== -1) {
    // A relative result must not read as a drive or a stream: `.\` it.
    if (tail.length >= 2 && isDriveLetter(StringPrototypeCharCodeAt(tail, 0)) &&
        StringPrototypeCharCodeAt(tail, 1) === COLON) {
      return `.\\${tail}`;
    }
    let index = StringPrototypeIndexOf(path, ':');
    do {
      if (index === len - 1 || isWinSep(StringPrototypeCharCodeAt(path, index + 1))) return `.\\${tail}`;
      index = StringPrototypeIndexOf(path, ':', index + 1);
    } while (index !== -1);
  }
  if (device === undefined) return absolute ? `\\${tail}` : tail;
  return absolute ? `${device}\\${tail}` : `${device}${tail}`;
}

const win32 = {
  resolve(...args) {
    return winResolveList(args);
  },

  normalize: winNormalize,

  isAbsolute(path) {
    validateString(path, 'path');
    const len = path.length;
    if (len === 0) return false;
    const c = StringPrototypeCharCodeAt(path, 0);
    return isWinSep(c) || (len > 2 && isDriveLetter(c) && StringPrototypeCharCodeAt(path, 1) === COLON &&
      isWinSep(StringPrototypeCharCodeAt(path, 2)));
  },

  join(...args) {
    if (args.length === 0) return '.';
    let joined;
    let firstPart;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      validateString(arg, 'path');
      if (arg.length > 0) {
        if (joined === undefined) joined = firstPart = arg;
        else joined += `\\${arg}`;
      }
    }
    if (joined === undefined) return '.';
    // Leading separators would read as a UNC root unless the first part
    // clearly is one (exactly two separators, then a name).
    let needsReplace = true;
    let slashCount = 0;
    if (isWinSep(StringPrototypeCharCodeAt(firstPart, 0))) {
      slashCount++;
      const firstLen = firstPart.length;
      if (firstLen > 1 && isWinSep(StringPrototypeCharCodeAt(firstPart, 1))) {
        slashCount++;
        if (firstLen > 2) {
          if (isWinSep(StringPrototypeCharCodeAt(firstPart, 2))) slashCount++;
          else needsReplace = false;
        }
      }
    }
    if (needsReplace) {
      while (slashCount < joined.length && isWinSep(StringPrototypeCharCodeAt(joined, slashCount))) slashCount++;
      if (slashCount >= 2) joined = `\\${StringPrototypeSlice(joined, slashCount)}`;
    }
    return winNormalize(joined);
  },

  relative(from, to) {
    validateString(from, 'from');
    validateString(to, 'to');
    if (from === to) return '';
    const fromOrig = winResolveList([from]);
    const toOrig = winResolveList([to]);
    if (fromOrig === toOrig) return '';
    from = StringPrototypeToLowerCase(fromOrig);
    to = StringPrototypeToLowerCase(toOrig);
    if (from === to) return '';
    let fromStart = 0;
    while (fromStart < from.length && StringPrototypeCharCodeAt(from, fromStart) === BACKSLASH) fromStart++;
    let fromEnd = from.length;
    while (fromEnd - 1 > fromStart && StringPrototypeCharCodeAt(from, fromEnd - 1) === BACKSLASH) fromEnd--;
    const fromLen = fromEnd - fromStart;
    let toStart = 0;
    while (toStart < to.length && StringPrototypeCharCodeAt(to, toStart) === BACKSLASH) toStart++;
    let toEnd = to.length;
    while (toEnd - 1 > toStart && StringPrototypeCharCodeAt(to, toEnd - 1) === BACKSLASH) toEnd--;
    const toLen = toEnd - toStart;
    const length = fromLen < toLen ? fromLen : toLen;
    let lastCommonSep = -1;
    let i = 0;
    for (; i < length; i++) {
      const c = StringPrototypeCharCodeAt(from, fromStart + i);
      if (c !== StringPrototypeCharCodeAt(to, toStart + i)) break;
      if (c === BACKSLASH) lastCommonSep = i;
    }
    if (i !== length) {
      // Nothing in common, not even the drive.
      if (lastCommonSep === -1) return toOrig;
    } else {
      if (toLen > length) {
        if (StringPrototypeCharCodeAt(to, toStart + i) === BACKSLASH) {
          return StringPrototypeSlice(toOrig, toStart + i + 1);
        }
        if (i === 2) return StringPrototypeSlice(toOrig, toStart + i);
      }
      if (fromLen > length) {
        if (StringPrototypeCharCodeAt(from, fromStart + i) === BACKSLASH) lastCommonSep = i;
        else if (i === 2) lastCommonSep = 3;
      }
      if (lastCommonSep === -1) lastCommonSep = 0;
    }
    let out = '';
    for (i = fromStart + lastCommonSep + 1; i <= fromEnd; i++) {
      if (i === fromEnd || StringPrototypeCharCodeAt(from, i) === BACKSLASH) out += out.length === 0 ? '..' : '\\..';
    }
    toStart += lastCommonSep;
    if (out.length > 0) return `${out}${StringPrototypeSlice(toOrig, toStart, toEnd)}`;
    if (StringPrototypeCharCodeAt(toOrig, toStart) === BACKSLASH) toStart++;
    return StringPrototypeSlice(toOrig, toStart, toEnd);
  },

  toNamespacedPath(path) {
    if (typeof path !== 'string' || path.length === 0) return path;
    const resolved = winResolveList([path]);
    if (resolved.length <= 2) return path;
    const c = StringPrototypeCharCodeAt(resolved, 0);
    if (c === BACKSLASH) {
      if (StringPrototypeCharCodeAt(resolved, 1) === BACKSLASH) {
        const c2 = StringPrototypeCharCodeAt(resolved, 2);
        if (c2 !== QUESTION && c2 !== DOT) return `\\\\?\\UNC\\${StringPrototypeSlice(resolved, 2)}`;
      }
    } else if (isDriveLetter(c) && StringPrototypeCharCodeAt(resolved, 1) === COLON &&
               StringPrototypeCharCodeAt(resolved, 2) === BACKSLASH) {
      return `\\\\?\\${resolved}`;
    }
    return path;
  },

  dirname(path) {
    validateString(path, 'path');
    const len = path.length;
    if (len === 0) return '.';
    const c = StringPrototypeCharCodeAt(path, 0);
    if (len === 1) return isWinSep(c) ? path : '.';
    let rootEnd = -1;
    let offset = 0;
    const root = winRoot(path);
    if (isWinSep(c)) {
      rootEnd = offset = 1;
      if (root.device !== undefined) {
        if (root.uncOnly) return path;
        // The separator after a UNC root belongs to the root.
        rootEnd = offset = root.uncEnd + 1;
      }
    } else if (root.device !== undefined) {
      rootEnd = offset = root.rootEnd;
    }
    let end = -1;
    let inName = false;
    for (let i = len - 1; i >= offset; i--) {
      if (isWinSep(StringPrototypeCharCodeAt(path, i))) {
        if (inName) {
          end = i;
          break;
        }
      } else {
        inName = true;
      }
    }
    if (end === -1) {
      if (rootEnd === -1) return '.';
      end = rootEnd;
    }
    return StringPrototypeSlice(path, 0, end);
  },

  basename(path, suffix) {
    if (suffix !== undefined) validateString(suffix, 'suffix');
    validateString(path, 'path');
    const start = path.length >= 2 && isDriveLetter(StringPrototypeCharCodeAt(path, 0)) &&
      StringPrototypeCharCodeAt(path, 1) === COLON ? 2 : 0;
    return basenameWith(path, suffix, start, isWinSep);
  },

  extname(path) {
    validateString(path, 'path');
    const start = path.length >= 2 && StringPrototypeCharCodeAt(path, 1) === COLON &&
      isDriveLetter(StringPrototypeCharCodeAt(path, 0)) ? 2 : 0;
    return extnameFrom(path, start, isWinSep);
  },

  format: null,

  parse(path) {
    validateString(path, 'path');
    const ret = { root: '', dir: '', base: '', ext: '', name: '' };
    const len = path.length;
    if (len === 0) return ret;
    const c = StringPrototypeCharCodeAt(path, 0);
    if (len === 1) {
      if (isWinSep(c)) {
        ret.root = ret.dir = path;
      } else {
        ret.base = ret.name = path;
      }
      return ret;
    }
    let rootEnd = 0;
    const root = winRoot(path);
    if (isWinSep(c)) {
      rootEnd = 1;
      if (root.device !== undefined) rootEnd = root.uncOnly ? len : root.uncEnd + 1;
    } else if (root.device !== undefined) {
      if (len <= 2 || (len === 3 && root.absolute)) {
        ret.root = ret.dir = path;
        return ret;
      }
      rootEnd = root.rootEnd;
    }
    if (rootEnd > 0) ret.root = StringPrototypeSlice(path, 0, rootEnd);
    const startPart = parseTail(path, rootEnd, isWinSep, ret, rootEnd);
    if (startPart > 0 && startPart !== rootEnd) ret.dir = StringPrototypeSlice(path, 0, startPart - 1);
    else ret.dir = ret.root;
    return ret;
  },

  matchesGlob,
  sep: '\\',
  delimiter: ';',
  win32: null,
  posix: null,
  _makeLong: null,
};
win32.format = function format(pathObject) {
  return formatWith('\\', pathObject);
};

posix.win32 = win32.win32 = win32;
posix.posix = win32.posix = posix;
posix._makeLong = posix.toNamespacedPath;
win32._makeLong = win32.toNamespacedPath;

exports.posix = posix;
exports.win32 = win32;
