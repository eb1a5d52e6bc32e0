'use strict';
// require('url'): the legacy API (Url, parse with its quirks, format,
// resolve, resolveObject) as Node 20 has it, and the WHATWG helpers
// (domainToASCII/Unicode, pathToFileURL, fileURLToPath, urlToHttpOptions)
// next to URL and URLSearchParams from url.js.

const {
  ArrayPrototypeJoin,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  ArrayPrototypeUnshift,
  Boolean,
  FunctionPrototypeCall,
  Number,
  ObjectAssign,
  ObjectKeys,
  RegExpPrototypeExec,
  SafeArrayConcat,
  SafeArraySlice,
  SafeArraySplice,
  SafeStringReplaceAll,
  Set,
  SetPrototypeAdd,
  SetPrototypeHas,
  StringPrototypeCharAt,
  StringPrototypeCharCodeAt,
  StringPrototypeCodePointAt,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeStartsWith,
  StringPrototypeToLowerCase,
  TypeError,
  decodeURIComponent,
} = require('primordials');
const errors = require('errors');
const ops = require('ops');
const whatwg = require('url');
const { URL, URLSearchParams, isURL } = whatwg;
const querystring = () => require('querystring').querystring;

// Protocols that never have a host, that are not escaped, and that always
// have '//' after them.
// (Filled one by one: new Set(array) would use the array's iterator.)
function setOf(list) {
  const set = new Set();
  for (let i = 0; i < list.length; i++) SetPrototypeAdd(set, list[i]);
  return set;
}
const unsafeProtocol = setOf(['javascript', 'javascript:']);
const hostlessProtocol = setOf(['javascript', 'javascript:']);
const slashedProtocol = setOf(['http', 'http:', 'https', 'https:', 'ftp', 'ftp:', 'gopher', 'gopher:',
  'file', 'file:', 'ws', 'ws:', 'wss', 'wss:']);

function invalidUrl(input) {
  const err = errors.makeNodeError(TypeError, 'ERR_INVALID_URL', 'Invalid URL');
  err.input = input;
  return err;
}

function Url() {
  this.protocol = null;
  this.slashes = null;
  this.auth = null;
  this.host = null;
  this.port = null;
  this.hostname = null;
  this.hash = null;
  this.search = null;
  this.query = null;
  this.pathname = null;
  this.path = null;
  this.href = null;
}

const protocolPattern = /^[a-z0-9.+-]+:/i;
const portPattern = /:[0-9]*$/;
const hostPattern = /^\/\/[^@/]+@[^@/]+/;
// A path alone (no host, no hash): the fast path.
const simplePathPattern = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/;
const hostnameMaxLen = 255;
// What toASCII could bring into a host name (Node throws for these).
const forbiddenHostChars = /[\0\t\n\r #%/:<>?@[\\\]^|]/;
const forbiddenHostCharsIpv6 = /[\0\t\n\r #%/<>?@\\^|]/;

function urlParse(url, parseQueryString, slashesDenoteHost) {
  if (url instanceof Url) return url;
  const urlObject = new Url();
  urlObject.parse(url, parseQueryString, slashesDenoteHost);
  return urlObject;
}

function isIpv6Hostname(hostname) {
  return StringPrototypeCharCodeAt(hostname, 0) === 91 && StringPrototypeCharCodeAt(hostname, hostname.length - 1) === 93;
}

Url.prototype.parse = function parse(url, parseQueryString, slashesDenoteHost) {
  if (typeof url !== 'string') throw errors.invalidArgType('url', 'string', url);

  // Trims whitespace, and turns backslashes before any ? or # into slashes
  // (as browsers do).
  let hasHash = false;
  let hasAt = false;
  let start = -1;
  let end = -1;
  let rest = '';
  let lastPos = 0;
  for (let i = 0, inWs = false, split = false; i < url.length; ++i) {
    const code = StringPrototypeCharCodeAt(url, i);
    const isWs = code < 33 || code === 0xA0 || code === 0xFEFF;
    if (start === -1) {
      if (isWs) continue;
      lastPos = start = i;
    } else if (inWs) {
      if (!isWs) {
        end = -1;
        inWs = false;
      }
    } else if (isWs) {
      end = i;
      inWs = true;
    }
    if (!split) {
      switch (code) {
        case 64: // @
          hasAt = true;
          break;
        case 35: // #
          hasHash = true;
        // Falls through.
        case 63: // ?
          split = true;
          break;
        case 92: // \
          if (i - lastPos > 0) rest += StringPrototypeSlice(url, lastPos, i);
          rest += '/';
          lastPos = i + 1;
          break;
      }
    } else if (!hasHash && code === 35) {
      hasHash = true;
    }
  }
  if (start !== -1) {
    if (lastPos === start) {
      if (end === -1) rest = start === 0 ? url : StringPrototypeSlice(url, start);
      else rest = StringPrototypeSlice(url, start, end);
    } else if (end === -1 && lastPos < url.length) {
      rest += StringPrototypeSlice(url, lastPos);
    } else if (end !== -1 && lastPos < end) {
      rest += StringPrototypeSlice(url, lastPos, end);
    }
  }

  if (!slashesDenoteHost && !hasHash && !hasAt) {
    const simplePath = RegExpPrototypeExec(simplePathPattern, rest);
    if (simplePath) {
      this.path = rest;
      this.href = rest;
      this.pathname = simplePath[1];
      if (simplePath[2]) {
        this.search = simplePath[2];
        if (parseQueryString) this.query = querystring().parse(StringPrototypeSlice(this.search, 1));
        else this.query = StringPrototypeSlice(this.search, 1);
      } else if (parseQueryString) {
        this.search = null;
        this.query = { __proto__: null };
      }
      return this;
    }
  }

  let proto = RegExpPrototypeExec(protocolPattern, rest);
  let lowerProto;
  if (proto) {
    proto = proto[0];
    lowerProto = StringPrototypeToLowerCase(proto);
    this.protocol = lowerProto;
    rest = StringPrototypeSlice(rest, proto.length);
  }

  // user@server is always a host; //foo/bar is host foo when asked
  // (slashesDenoteHost) or when there is a protocol.
  let slashes;
  if (slashesDenoteHost || proto || RegExpPrototypeExec(hostPattern, rest) !== null) {
    slashes = StringPrototypeCharCodeAt(rest, 0) === 47 && StringPrototypeCharCodeAt(rest, 1) === 47;
    if (slashes && !(proto && SetPrototypeHas(hostlessProtocol, lowerProto))) {
      rest = StringPrototypeSlice(rest, 2);
      this.slashes = true;
    }
  }

  if (!SetPrototypeHas(hostlessProtocol, lowerProto) &&
      (slashes || (proto && !SetPrototypeHas(slashedProtocol, proto)))) {
    // The host ends at the first / ? or #; an @ before it ends the auth
    // (the last @ wins), and characters no host has end it too.
    let hostEnd = -1;
    let atSign = -1;
    let nonHost = -1;
    for (let i = 0; i < rest.length; ++i) {
      switch (StringPrototypeCharCodeAt(rest, i)) {
        case 9: case 10: case 13:
          // Removed, as WHATWG URL does.
          rest = StringPrototypeSlice(rest, 0, i) + StringPrototypeSlice(rest, i + 1);
          i -= 1;
          break;
        case 32: case 34: case 37: case 39: case 59: case 60: case 62: case 92:
        case 94: case 96: case 123: case 124: case 125:
          if (nonHost === -1) nonHost = i;
          break;
        case 35: case 47: case 63:
          if (nonHost === -1) nonHost = i;
          hostEnd = i;
          break;
        case 64:
          atSign = i;
          nonHost = -1;
          break;
      }
      if (hostEnd !== -1) break;
    }
    start = 0;
    if (atSign !== -1) {
      this.auth = decodeURIComponent(StringPrototypeSlice(rest, 0, atSign));
      start = atSign + 1;
    }
    if (nonHost === -1) {
      this.host = StringPrototypeSlice(rest, start);
      rest = '';
    } else {
      this.host = StringPrototypeSlice(rest, start, nonHost);
      rest = StringPrototypeSlice(rest, nonHost);
    }
    this.parseHost();
    // There is a host, so even an empty hostname is a string.
    if (typeof this.hostname !== 'string') this.hostname = '';
    const hostname = this.hostname;
    const ipv6Hostname = isIpv6Hostname(hostname);
    if (!ipv6Hostname) rest = getHostname(this, rest, hostname, url);
    if (this.hostname.length > hostnameMaxLen) this.hostname = '';
    else this.hostname = StringPrototypeToLowerCase(this.hostname);
    if (this.hostname !== '') {
      if (ipv6Hostname) {
        if (RegExpPrototypeExec(forbiddenHostCharsIpv6, this.hostname) !== null) throw invalidUrl(url);
      } else {
        this.hostname = ops.check(native.url_to_ascii(this.hostname), Url.prototype.parse);
        // IDNA that empties the name or brings in a forbidden character
        // would spoof the host: refused.
        if (this.hostname === '' || RegExpPrototypeExec(forbiddenHostChars, this.hostname) !== null) {
          throw invalidUrl(url);
        }
      }
    }
    const p = this.port ? ':' + this.port : '';
    const h = this.hostname || '';
    this.host = h + p;
    // The host keeps the brackets of an IPv6 address; the hostname does not.
    if (ipv6Hostname) {
      this.hostname = StringPrototypeSlice(this.hostname, 1, -1);
      if (rest[0] !== '/') rest = '/' + rest;
    }
  }

  if (!SetPrototypeHas(unsafeProtocol, lowerProto)) rest = autoEscapeStr(rest);

  let questionIdx = -1;
  let hashIdx = -1;
  for (let i = 0; i < rest.length; ++i) {
    const code = StringPrototypeCharCodeAt(rest, i);
    if (code === 35) {
      this.hash = StringPrototypeSlice(rest, i);
      hashIdx = i;
      break;
    } else if (code === 63 && questionIdx === -1) {
      questionIdx = i;
    }
  }
  if (questionIdx !== -1) {
    if (hashIdx === -1) {
      this.search = StringPrototypeSlice(rest, questionIdx);
      this.query = StringPrototypeSlice(rest, questionIdx + 1);
    } else {
      this.search = StringPrototypeSlice(rest, questionIdx, hashIdx);
      this.query = StringPrototypeSlice(rest, questionIdx + 1, hashIdx);
    }
    if (parseQueryString) this.query = querystring().parse(this.query);
  } else if (parseQueryString) {
    this.search = null;
    this.query = { __proto__: null };
  }
  const useQuestionIdx = questionIdx !== -1 && (hashIdx === -1 || questionIdx < hashIdx);
  const firstIdx = useQuestionIdx ? questionIdx : hashIdx;
  if (firstIdx === -1) {
    if (rest.length > 0) this.pathname = rest;
  } else if (firstIdx > 0) {
    this.pathname = StringPrototypeSlice(rest, 0, firstIdx);
  }
  if (SetPrototypeHas(slashedProtocol, lowerProto) && this.hostname && !this.pathname) this.pathname = '/';
  if (this.pathname || this.search) this.path = (this.pathname || '') + (this.search || '');
  this.href = this.format();
  return this;
};

let warnInvalidPort = true;
// Cuts the hostname at a character no hostname has (the rest goes to the
// path); a ':' there is an invalid port, warned about once (DEP0170).
function getHostname(self, rest, hostname, url) {
  for (let i = 0; i < hostname.length; ++i) {
    const code = StringPrototypeCharCodeAt(hostname, i);
    if (code === 47 || code === 92 || code === 35 || code === 63 || code === 58) {
      if (warnInvalidPort && code === 58) {
        require('process').getProcess().emitWarning(
          `The URL ${url} is invalid. Future versions of Node.js will throw an error.`, 'DeprecationWarning', 'DEP0170');
        warnInvalidPort = false;
      }
      self.hostname = StringPrototypeSlice(hostname, 0, i);
      return `/${StringPrototypeSlice(hostname, i)}${rest}`;
    }
  }
  return rest;
}

// RFC 2396's delimiters and unwise characters (and ') escaped.
const escapedCodes = [];
{
  const pairs = [9, '%09', 10, '%0A', 13, '%0D', 32, '%20', 34, '%22', 39, '%27', 60, '%3C', 62, '%3E',
    92, '%5C', 94, '%5E', 96, '%60', 123, '%7B', 124, '%7C', 125, '%7D'];
  for (let i = 0; i < 126; i++) escapedCodes[i] = '';
  for (let i = 0; i < pairs.length; i += 2) escapedCodes[pairs[i]] = pairs[i + 1];
}

function autoEscapeStr(rest) {
  let escaped = '';
  let lastEscapedPos = 0;
  for (let i = 0; i < rest.length; ++i) {
    const escapedChar = escapedCodes[StringPrototypeCharCodeAt(rest, i)];
    if (escapedChar) {
      if (i > lastEscapedPos) escaped += StringPrototypeSlice(rest, lastEscapedPos, i);
      escaped += escapedChar;
      lastEscapedPos = i + 1;
    }
  }
  if (lastEscapedPos === 0) return rest;
  if (lastEscapedPos < rest.length) escaped += StringPrototypeSlice(rest, lastEscapedPos);
  return escaped;
}

let noEscapeAuth;

Url.prototype.format = function format() {
  let auth = this.auth || '';
  if (auth) {
    const qs = require('querystring');
    // Left as they are: ! - . _ ~ ' ( ) * : and alphanumerics.
    noEscapeAuth ??= qs.asciiTable("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!-._~'()*:");
    auth = qs.encodeStr(auth, noEscapeAuth, qs.hexTable) + '@';
  }
  let protocol = this.protocol || '';
  let pathname = this.pathname || '';
  let hash = this.hash || '';
  let host = '';
  let query = '';
  if (this.host) {
    host = auth + this.host;
  } else if (this.hostname) {
    host = auth + (StringPrototypeIncludes(this.hostname, ':') && !isIpv6Hostname(this.hostname)
      ? '[' + this.hostname + ']' : this.hostname);
    if (this.port) host += ':' + this.port;
  }
  if (this.query !== null && typeof this.query === 'object') query = querystring().stringify(this.query);
  let search = this.search || (query && ('?' + query)) || '';
  if (protocol && StringPrototypeCharCodeAt(protocol, protocol.length - 1) !== 58) protocol += ':';
  let newPathname = '';
  let lastPos = 0;
  for (let i = 0; i < pathname.length; ++i) {
    const code = StringPrototypeCharCodeAt(pathname, i);
    if (code === 35 || code === 63) {
      if (i - lastPos > 0) newPathname += StringPrototypeSlice(pathname, lastPos, i);
      newPathname += code === 35 ? '%23' : '%3F';
      lastPos = i + 1;
    }
  }
  if (lastPos > 0) {
    pathname = lastPos !== pathname.length ? newPathname + StringPrototypeSlice(pathname, lastPos) : newPathname;
  }
  // Only the slashed protocols get //, unless they had it to begin with.
  if (this.slashes || SetPrototypeHas(slashedProtocol, protocol)) {
    if (this.slashes || host) {
      if (pathname && StringPrototypeCharCodeAt(pathname, 0) !== 47) pathname = '/' + pathname;
      host = '//' + host;
    } else if (protocol.length >= 4 && StringPrototypeStartsWith(protocol, 'file')) {
      host = '//';
    }
  }
  search = SafeStringReplaceAll(search, '#', '%23');
  if (hash && StringPrototypeCharCodeAt(hash, 0) !== 35) hash = '#' + hash;
  if (search && StringPrototypeCharCodeAt(search, 0) !== 63) search = '?' + search;
  return protocol + host + pathname + search + hash;
};

function urlFormat(urlObject, options) {
  if (typeof urlObject === 'string') {
    urlObject = urlParse(urlObject);
  } else if (typeof urlObject !== 'object' || urlObject === null) {
    throw errors.invalidArgType('urlObject', ['Object', 'string'], urlObject);
  } else if (urlObject instanceof URL) {
    let fragment = true;
    let unicode = false;
    let search = true;
    let auth = true;
    if (options) {
      errors.validateObject(options, 'options');
      if (options.fragment != null) fragment = Boolean(options.fragment);
      if (options.unicode != null) unicode = Boolean(options.unicode);
      if (options.search != null) search = Boolean(options.search);
      if (options.auth != null) auth = Boolean(options.auth);
    }
    return formatWhatwg(urlObject.href, fragment, unicode, search, auth);
  }
  return FunctionPrototypeCall(Url.prototype.format, urlObject);
}

// url.format(URL, options): the href without the parts left out, with a
// Unicode host if asked.
function formatWhatwg(href, fragment, unicode, search, auth) {
  const u = new URL(href);
  if (!fragment) u.hash = '';
  if (!search) u.search = '';
  if (!auth) {
    u.username = '';
    u.password = '';
  }
  if (!unicode || u.host === '') return u.href;
  const host = ops.check(native.url_domain(u.hostname, true), formatWhatwg);
  let userinfo = '';
  if (u.username !== '' || u.password !== '') {
    userinfo = u.username + (u.password !== '' ? `:${u.password}` : '') + '@';
  }
  return `${u.protocol}//${userinfo}${host}${u.port !== '' ? `:${u.port}` : ''}${u.pathname}${u.search}${u.hash}`;
}

function urlResolve(source, relative) {
  return urlParse(source, false, true).resolve(relative);
}

Url.prototype.resolve = function resolve(relative) {
  return this.resolveObject(urlParse(relative, false, true)).format();
};

function urlResolveObject(source, relative) {
  if (!source) return relative;
  return urlParse(source, false, true).resolveObject(relative);
}

function splitPath(pathname) {
  return (pathname && StringPrototypeSplit(pathname, '/')) || [];
}

Url.prototype.resolveObject = function resolveObject(relative) {
  if (typeof relative === 'string') {
    const rel = new Url();
    rel.parse(relative, false, true);
    relative = rel;
  }
  const result = new Url();
  ObjectAssign(result, this);
  // The hash always comes from relative, even when it is empty.
  result.hash = relative.hash;
  if (relative.href === '') {
    result.href = result.format();
    return result;
  }
  // //foo/bar keeps only the protocol.
  if (relative.slashes && !relative.protocol) {
    const keys = ObjectKeys(relative);
    const withoutProtocol = {};
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== 'protocol') withoutProtocol[keys[i]] = relative[keys[i]];
    }
    ObjectAssign(result, withoutProtocol);
    if (SetPrototypeHas(slashedProtocol, result.protocol) && result.hostname && !result.pathname) {
      result.path = result.pathname = '/';
    }
    result.href = result.format();
    return result;
  }
  if (relative.protocol && relative.protocol !== result.protocol) {
    // Another protocol: an unknown one is absolute; a known one (but file:)
    // must have a host.
    if (!SetPrototypeHas(slashedProtocol, relative.protocol)) {
      ObjectAssign(result, relative);
      result.href = result.format();
      return result;
    }
    result.protocol = relative.protocol;
    if (!relative.host && RegExpPrototypeExec(/^file:?$/, relative.protocol) === null &&
        !SetPrototypeHas(hostlessProtocol, relative.protocol)) {
      const relPath = StringPrototypeSplit(relative.pathname || '', '/');
      while (relPath.length && !(relative.host = ArrayPrototypeShift(relPath)));
      if (!relative.host) relative.host = '';
      if (!relative.hostname) relative.hostname = '';
      if (relPath[0] !== '') ArrayPrototypeUnshift(relPath, '');
      if (relPath.length < 2) ArrayPrototypeUnshift(relPath, '');
      result.pathname = ArrayPrototypeJoin(relPath, '/');
    } else {
      result.pathname = relative.pathname;
    }
    result.search = relative.search;
    result.query = relative.query;
    result.host = relative.host || '';
    result.auth = relative.auth;
    result.hostname = relative.hostname || relative.host;
    result.port = relative.port;
    if (result.pathname || result.search) result.path = (result.pathname || '') + (result.search || '');
    result.slashes = result.slashes || relative.slashes;
    result.href = result.format();
    return result;
  }

  const isSourceAbs = result.pathname && StringPrototypeCharAt(result.pathname, 0) === '/';
  const isRelAbs = relative.host || (relative.pathname && StringPrototypeCharAt(relative.pathname, 0) === '/');
  let mustEndAbs = isRelAbs || isSourceAbs || (result.host && relative.pathname);
  const removeAllDots = mustEndAbs;
  let srcPath = splitPath(result.pathname);
  const relPath = splitPath(relative.pathname);
  const noLeadingSlashes = result.protocol && !SetPrototypeHas(slashedProtocol, result.protocol);

  // Non-slashed URLs: ../.. may climb into the host, so the host is
  // handled as the first path part for now.
  if (noLeadingSlashes) {
    result.hostname = '';
    result.port = null;
    if (result.host) {
      if (srcPath[0] === '') srcPath[0] = result.host;
      else ArrayPrototypeUnshift(srcPath, result.host);
    }
    result.host = '';
    if (relative.protocol) {
      relative.hostname = null;
      relative.port = null;
      result.auth = null;
      if (relative.host) {
        if (relPath[0] === '') relPath[0] = relative.host;
        else ArrayPrototypeUnshift(relPath, relative.host);
      }
      relative.host = null;
    }
    mustEndAbs = mustEndAbs && (relPath[0] === '' || srcPath[0] === '');
  }

  if (isRelAbs) {
    if (relative.host || relative.host === '') {
      if (result.host !== relative.host) result.auth = null;
      result.host = relative.host;
      result.port = relative.port;
    }
    if (relative.hostname || relative.hostname === '') {
      if (result.hostname !== relative.hostname) result.auth = null;
      result.hostname = relative.hostname;
    }
    result.search = relative.search;
    result.query = relative.query;
    srcPath = relPath;
  } else if (relPath.length) {
    // Relative: the last part of the source path is replaced.
    if (!srcPath) srcPath = [];
    ArrayPrototypePop(srcPath);
    srcPath = SafeArrayConcat(srcPath, relPath);
    result.search = relative.search;
    result.query = relative.query;
  } else if (relative.search !== null && relative.search !== undefined) {
    // Only a new search (href='?foo').
    if (noLeadingSlashes) {
      result.hostname = result.host = ArrayPrototypeShift(srcPath);
      // The auth can be left in the host (mailto:local1@domain1).
      const authInHost = result.host && StringPrototypeIndexOf(result.host, '@') > 0 &&
        StringPrototypeSplit(result.host, '@');
      if (authInHost) {
        result.auth = ArrayPrototypeShift(authInHost);
        result.host = result.hostname = ArrayPrototypeShift(authInHost);
      }
    }
    result.search = relative.search;
    result.query = relative.query;
    if (result.pathname !== null || result.search !== null) {
      result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '');
    }
    result.href = result.format();
    return result;
  }

  if (!srcPath.length) {
    result.pathname = null;
    result.path = result.search ? '/' + result.search : null;
    result.href = result.format();
    return result;
  }

  // A path ending in . or .. gets a trailing slash; other endings do not.
  let last = SafeArraySlice(srcPath, -1)[0];
  const hasTrailingSlash = ((result.host || relative.host || srcPath.length > 1) &&
    (last === '.' || last === '..')) || last === '';
  let up = 0;
  for (let i = srcPath.length - 1; i >= 0; i--) {
    last = srcPath[i];
    if (last === '.') {
      SafeArraySplice(srcPath, i, 1);
    } else if (last === '..') {
      SafeArraySplice(srcPath, i, 1);
      up++;
    } else if (up) {
      SafeArraySplice(srcPath, i, 1);
      up--;
    }
  }
  if (!mustEndAbs && !removeAllDots) {
    while (up--) ArrayPrototypeUnshift(srcPath, '..');
  }
  if (mustEndAbs && srcPath[0] !== '' && (!srcPath[0] || StringPrototypeCharAt(srcPath[0], 0) !== '/')) {
    ArrayPrototypeUnshift(srcPath, '');
  }
  if (hasTrailingSlash && StringPrototypeSlice(ArrayPrototypeJoin(srcPath, '/'), -1) !== '/') {
    ArrayPrototypePush(srcPath, '');
  }
  const isAbsolute = srcPath[0] === '' || (srcPath[0] && StringPrototypeCharAt(srcPath[0], 0) === '/');
  if (noLeadingSlashes) {
    result.hostname = result.host = isAbsolute ? '' : srcPath.length ? ArrayPrototypeShift(srcPath) : '';
    const authInHost = result.host && StringPrototypeIndexOf(result.host, '@') > 0
      ? StringPrototypeSplit(result.host, '@') : false;
    if (authInHost) {
      result.auth = ArrayPrototypeShift(authInHost);
      result.host = result.hostname = ArrayPrototypeShift(authInHost);
    }
  }
  mustEndAbs = mustEndAbs || (result.host && srcPath.length);
  if (mustEndAbs && !isAbsolute) ArrayPrototypeUnshift(srcPath, '');
  if (!srcPath.length) {
    result.pathname = null;
    result.path = null;
  } else {
    result.pathname = ArrayPrototypeJoin(srcPath, '/');
  }
  if (result.pathname !== null || result.search !== null) {
    result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '');
  }
  result.auth = relative.auth || result.auth;
  result.slashes = result.slashes || relative.slashes;
  result.href = result.format();
  return result;
};

Url.prototype.parseHost = function parseHost() {
  let host = this.host;
  let port = RegExpPrototypeExec(portPattern, host);
  if (port) {
    port = port[0];
    if (port !== ':') this.port = StringPrototypeSlice(port, 1);
    host = StringPrototypeSlice(host, 0, host.length - port.length);
  }
  if (host) this.hostname = host;
};

// ---- WHATWG helpers ----

function missingDomain(hideFrom) {
  return errors.makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The "domain" argument must be specified', hideFrom);
}

function domainToASCII(domain) {
  if (arguments.length < 1) throw missingDomain(domainToASCII);
  return ops.check(native.url_domain(`${domain}`, false), domainToASCII);
}

function domainToUnicode(domain) {
  if (arguments.length < 1) throw missingDomain(domainToUnicode);
  return ops.check(native.url_domain(`${domain}`, true), domainToUnicode);
}

function urlToHttpOptions(url) {
  const { hostname, pathname, port, username, password, search } = url;
  const options = {
    __proto__: null,
    ...url,
    protocol: url.protocol,
    hostname: hostname && hostname[0] === '[' ? StringPrototypeSlice(hostname, 1, -1) : hostname,
    hash: url.hash,
    search,
    pathname,
    path: `${pathname || ''}${search || ''}`,
    href: url.href,
  };
  if (port !== '') options.port = Number(port);
  if (username || password) options.auth = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
  return options;
}

function fileUrlPathError(what, hideFrom) {
  return errors.makeNodeError(TypeError, 'ERR_INVALID_FILE_URL_PATH', `File URL path ${what}`, hideFrom);
}

function fileURLToPath(path, options = undefined) {
  if (!options?.windows) return whatwg.fileURLToPath(path, fileURLToPath);
  if (typeof path === 'string') path = new URL(path);
  else if (!isURL(path)) throw errors.invalidArgType('path', ['string', 'URL'], path, fileURLToPath);
  if (path.protocol !== 'file:') {
    throw errors.makeNodeError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file', fileURLToPath);
  }
  const hostname = path.hostname;
  let pathname = path.pathname;
  for (let n = 0; n < pathname.length; n++) {
    if (pathname[n] === '%') {
      const third = StringPrototypeCodePointAt(pathname, n + 2) | 0x20;
      if ((pathname[n + 1] === '2' && third === 102) || (pathname[n + 1] === '5' && third === 99)) {
        throw fileUrlPathError('must not include encoded \\ or / characters', fileURLToPath);
      }
    }
  }
  pathname = decodeURIComponent(SafeStringReplaceAll(pathname, '/', '\\'));
  // A host: a UNC path (an IDN host in Unicode).
  if (hostname !== '') return `\\\\${domainToUnicode(hostname)}${pathname}`;
  const letter = StringPrototypeCodePointAt(pathname, 1) | 0x20;
  if (letter < 97 || letter > 122 || StringPrototypeCharAt(pathname, 2) !== ':') {
    throw fileUrlPathError('must be absolute', fileURLToPath);
  }
  return StringPrototypeSlice(pathname, 1);
}

// Characters a file path keeps that a URL path cannot (RFC 1738's unsafe
// ones, % first), escaped.
function encodePathChars(filepath, windows) {
  const table = ['%', '%25', '\t', '%09', '\n', '%0A', '\r', '%0D', ' ', '%20', '"', '%22', '#', '%23',
    '?', '%3F', '[', '%5B', '\\', '%5C', ']', '%5D', '^', '%5E', '|', '%7C', '~', '%7E'];
  for (let i = 0; i < table.length; i += 2) {
    if (windows && table[i] === '\\') continue;
    if (StringPrototypeIncludes(filepath, table[i])) filepath = SafeStringReplaceAll(filepath, table[i], table[i + 1]);
  }
  return filepath;
}

function pathToFileURL(filepath, options = undefined) {
  if (typeof filepath !== 'string') throw errors.invalidArgType('path', 'string', filepath, pathToFileURL);
  const windows = options?.windows ?? false;
  const path = require('path');
  if (windows && StringPrototypeStartsWith(filepath, '\\\\')) {
    const outURL = new URL('file://');
    // A UNC path: \\server\share\resource (or \\?\UNC\server\...).
    const prefixLength = StringPrototypeStartsWith(filepath, '\\\\?\\UNC\\') ? 8 : 2;
    const hostnameEndIndex = StringPrototypeIndexOf(filepath, '\\', prefixLength);
    const inspect = require('util').inspect;
    if (hostnameEndIndex === -1) {
      throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
        `The argument 'path' Missing UNC resource path. Received ${inspect(filepath)}`, pathToFileURL);
    }
    if (hostnameEndIndex === 2) {
      throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
        `The argument 'path' Empty UNC servername. Received ${inspect(filepath)}`, pathToFileURL);
    }
    outURL.hostname = domainToASCII(StringPrototypeSlice(filepath, prefixLength, hostnameEndIndex));
    outURL.pathname = encodePathChars(
      SafeStringReplaceAll(StringPrototypeSlice(filepath, hostnameEndIndex), '\\', '/'), true);
    return outURL;
  }
  let resolved = windows ? path.win32.resolve(filepath) : path.posix.resolve(filepath);
  // resolve() drops a trailing slash: kept.
  const last = StringPrototypeCharCodeAt(filepath, filepath.length - 1);
  // (Node compares with its own path.sep, '/' here, on both.)
  if ((last === 47 || (windows && last === 92)) && resolved[resolved.length - 1] !== '/') {
    resolved += '/';
  }
  return new URL(`file://${encodePathChars(resolved, windows)}`);
}

exports.url = {
  Url,
  parse: urlParse,
  resolve: urlResolve,
  resolveObject: urlResolveObject,
  format: urlFormat,
  URL,
  URLSearchParams,
  domainToASCII,
  domainToUnicode,
  pathToFileURL,
  fileURLToPath,
  urlToHttpOptions,
};
