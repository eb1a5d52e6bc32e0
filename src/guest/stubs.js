'use strict';
// Builtins the sandbox does not implement yet (networking, processes) and
// those it never will (cluster, inspector, repl, wasi, trace_events).
// The first load with Node's export names: every function or class fails
// with ERR_SANDBOX_UNSUPPORTED naming itself; data (status codes, methods,
// constants) and pure helpers (net.isIP) are real. The second throw on
// require.

const {
  Error,
  ObjectDefineProperty,
  ObjectFreeze,
  RegExpPrototypeExec,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeSplit,
  Symbol,
  TypeError,
  ErrorCaptureStackTrace,
  JSONParse,
  ObjectKeys,
  RegExp,
  SafeArrayConcat,
} = require('primordials');

function unsupported(message, hideFrom) {
  const err = new Error(message);
  ErrorCaptureStackTrace(err, hideFrom);
  require('errors').defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
  return err;
}

// A function named `name` that throws (or, when `async`, rejects).
function stubFunction(mod, name) {
  const what = `${mod}.${name} is not implemented in this sandbox yet`;
  const fn = {
    [name](...args) {
      throw unsupported(what, fn);
    },
  }[name];
  return fn;
}

// A class whose constructor throws: instanceof and extends still work.
function stubClass(mod, name, Base) {
  const what = `${mod}.${name} is not implemented in this sandbox yet`;
  const C = Base === undefined ?
    { [name]: class { constructor() { throw unsupported(what, C); } } }[name] :
    { [name]: class extends Base { constructor() { super(); throw unsupported(what, C); } } }[name];
  return C;
}

// Exports of module `mod`: `fns` and `classes` are names; `data` is added
// as is.
function build(mod, { fns = [], classes = [], data = {} }) {
  const out = {};
  for (let i = 0; i < fns.length; i++) out[fns[i]] = stubFunction(mod, fns[i]);
  for (let i = 0; i < classes.length; i++) out[classes[i]] = stubClass(mod, classes[i]);
  const keys = ObjectKeys(data);
  for (let i = 0; i < keys.length; i++) out[keys[i]] = data[keys[i]];
  return out;
}

// Orders `obj`'s keys as `order` lists them (Node's export order).
function ordered(obj, order) {
  const out = {};
  for (let i = 0; i < order.length; i++) {
    if (order[i] in obj) out[order[i]] = obj[order[i]];
  }
  return out;
}

// ---- net: pure helpers ----

const v4Seg = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const v4Re = new RegExp(`^(?:${v4Seg}\\.){3}${v4Seg}$`);
const hexRe = /^[0-9a-fA-F]{1,4}$/;
const zoneRe = /^[0-9a-zA-Z.:-]+$/;

function isIPv4(s) {
  return typeof s === 'string' && RegExpPrototypeExec(v4Re, s) !== null;
}

function groupsOk(part) {
  if (part === '') return 0;
  const groups = StringPrototypeSplit(part, ':');
  for (let i = 0; i < groups.length; i++) {
    if (RegExpPrototypeExec(hexRe, groups[i]) === null) return -1;
  }
  return groups.length;
}

function isIPv6(s) {
  if (typeof s !== 'string') return false;
  let addr = s;
  const pct = StringPrototypeIndexOf(s, '%');
  if (pct !== -1) {
    if (RegExpPrototypeExec(zoneRe, StringPrototypeSlice(s, pct + 1)) === null) return false;
    addr = StringPrototypeSlice(s, 0, pct);
  }
  // An IPv4 tail stands for the last two groups.
  let extra = 0;
  const lastColon = StringPrototypeLastIndexOf(addr, ':');
  if (lastColon !== -1 && StringPrototypeIndexOf(addr, '.', lastColon) !== -1) {
    if (!isIPv4(StringPrototypeSlice(addr, lastColon + 1))) return false;
    extra = 2;
    addr = StringPrototypeSlice(addr, 0, lastColon + 1);
    if (StringPrototypeSlice(addr, -2) === '::') {
      // "::" before the IPv4 tail
    } else {
      addr = StringPrototypeSlice(addr, 0, -1);
    }
  }
  const dbl = StringPrototypeIndexOf(addr, '::');
  if (dbl === -1) {
    const n = groupsOk(addr);
    return n !== -1 && n + extra === 8;
  }
  if (StringPrototypeIndexOf(addr, '::', dbl + 1) !== -1) return false;
  const head = groupsOk(StringPrototypeSlice(addr, 0, dbl));
  const tail = groupsOk(StringPrototypeSlice(addr, dbl + 2));
  return head !== -1 && tail !== -1 && head + tail + extra <= 7;
}

function isIP(s) {
  if (isIPv4(s)) return 4;
  if (isIPv6(s)) return 6;
  return 0;
}

// ---- http: data and header checks ----

const METHODS = [
  'ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'M-SEARCH', 'MERGE',
  'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH',
  'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK',
  'UNLOCK', 'UNSUBSCRIBE',
];

const STATUS_CODES = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content',
  205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used',
  300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large',
  414: 'URI Too Long', 415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed',
  418: "I'm a Teapot", 421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked',
  424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required', 428: 'Precondition Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates',
  507: 'Insufficient Storage', 508: 'Loop Detected', 509: 'Bandwidth Limit Exceeded', 510: 'Not Extended',
  511: 'Network Authentication Required',
};

const tokenRe = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const headerCharRe = /[^\t\x20-\x7e\x80-\xff]/;

function checkIsHttpToken(s) {
  return RegExpPrototypeExec(tokenRe, s) !== null;
}

function checkInvalidHeaderChar(s) {
  return RegExpPrototypeExec(headerCharRe, s) !== null;
}

function validateHeaderName(name, label = 'Header name') {
  if (typeof name !== 'string' || !name || !checkIsHttpToken(name)) {
    throw require('errors').makeNodeError(TypeError, 'ERR_INVALID_HTTP_TOKEN',
      `${label} must be a valid HTTP token ["${name}"]`, validateHeaderName);
  }
}

function validateHeaderValue(name, value) {
  if (value === undefined) {
    throw require('errors').makeNodeError(TypeError, 'ERR_HTTP_INVALID_HEADER_VALUE',
      `Invalid value "${value}" for header "${name}"`, validateHeaderValue);
  }
  if (checkInvalidHeaderChar(value)) {
    throw require('errors').makeNodeError(TypeError, 'ERR_INVALID_CHAR',
      `Invalid character in header content ["${name}"]`, validateHeaderValue);
  }
}

// ---- the modules ----

const dnsCodes = {
  NODATA: 'ENODATA', FORMERR: 'EFORMERR', SERVFAIL: 'ESERVFAIL', NOTFOUND: 'ENOTFOUND', NOTIMP: 'ENOTIMP',
  REFUSED: 'EREFUSED', BADQUERY: 'EBADQUERY', BADNAME: 'EBADNAME', BADFAMILY: 'EBADFAMILY', BADRESP: 'EBADRESP',
  CONNREFUSED: 'ECONNREFUSED', TIMEOUT: 'ETIMEOUT', EOF: 'EOF', FILE: 'EFILE', NOMEM: 'ENOMEM',
  DESTRUCTION: 'EDESTRUCTION', BADSTR: 'EBADSTR', BADFLAGS: 'EBADFLAGS', NONAME: 'ENONAME',
  BADHINTS: 'EBADHINTS', NOTINITIALIZED: 'ENOTINITIALIZED', LOADIPHLPAPI: 'ELOADIPHLPAPI',
  ADDRGETNETWORKPARAMS: 'EADDRGETNETWORKPARAMS', CANCELLED: 'ECANCELLED',
};
const dnsResolvers = ['getServers', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname',
  'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'];

let dnsPromises;
function dnsPromisesApi() {
  if (dnsPromises !== undefined) return dnsPromises;
  // Every function is dns.js's (withReal); this gives their order.
  const api = build('dnsPromises', {
    fns: SafeArrayConcat(['lookup', 'lookupService', 'getDefaultResultOrder', 'setDefaultResultOrder',
      'setServers'], dnsResolvers),
    classes: ['Resolver'], data: dnsCodes,
  });
  dnsPromises = ordered(api, SafeArrayConcat(SafeArrayConcat(['lookup', 'lookupService', 'Resolver',
    'getDefaultResultOrder', 'setDefaultResultOrder', 'setServers'], ObjectKeys(dnsCodes)), dnsResolvers));
  return dnsPromises;
}

let http2Constants;
const kSensitiveHeaders = Symbol('nodejs.http2.sensitiveHeaders');

const specs = {
  __proto__: null,
  child_process: () => ordered(build('child_process', {
    fns: ['_forkChild', 'exec', 'execFile', 'execFileSync', 'execSync', 'fork', 'spawn', 'spawnSync'],
    classes: ['ChildProcess'],
  }), ['_forkChild', 'ChildProcess', 'exec', 'execFile', 'execFileSync', 'execSync', 'fork', 'spawn', 'spawnSync']),
  net: () => ordered(build('net', {
    fns: ['_createServerHandle', '_normalizeArgs', '_setSimultaneousAccepts', 'connect', 'createConnection',
      'createServer', 'getDefaultAutoSelectFamily', 'setDefaultAutoSelectFamily',
      'getDefaultAutoSelectFamilyAttemptTimeout', 'setDefaultAutoSelectFamilyAttemptTimeout'],
    classes: ['BlockList', 'SocketAddress', 'Server', 'Socket', 'Stream'],
    data: { isIP, isIPv4, isIPv6 },
  }), ['_createServerHandle', '_normalizeArgs', '_setSimultaneousAccepts', 'BlockList', 'SocketAddress',
    'connect', 'createConnection', 'createServer', 'isIP', 'isIPv4', 'isIPv6', 'Server', 'Socket', 'Stream',
    'getDefaultAutoSelectFamily', 'setDefaultAutoSelectFamily', 'getDefaultAutoSelectFamilyAttemptTimeout',
    'setDefaultAutoSelectFamilyAttemptTimeout']),
  http: () => {
    const m = build('http', {
      fns: ['_connectionListener', 'createServer', 'get', 'request', 'setMaxIdleHTTPParsers'],
      classes: ['Agent', 'ClientRequest', 'IncomingMessage', 'OutgoingMessage', 'Server', 'ServerResponse'],
      data: { METHODS, STATUS_CODES, validateHeaderName, validateHeaderValue, maxHeaderSize: 16384 },
    });
    // An Agent's data, never usable: every request fails first.
    m.globalAgent = ObjectFreeze({ __proto__: m.Agent.prototype, defaultPort: 80, protocol: 'http:' });
    return ordered(m, ['_connectionListener', 'METHODS', 'STATUS_CODES', 'Agent', 'ClientRequest',
      'IncomingMessage', 'OutgoingMessage', 'Server', 'ServerResponse', 'createServer', 'validateHeaderName',
      'validateHeaderValue', 'get', 'request', 'setMaxIdleHTTPParsers', 'maxHeaderSize', 'globalAgent']);
  },
  https: () => {
    const m = build('https', { fns: ['createServer', 'get', 'request'], classes: ['Agent', 'Server'] });
    m.globalAgent = ObjectFreeze({ __proto__: m.Agent.prototype, defaultPort: 443, protocol: 'https:' });
    return ordered(m, ['Agent', 'globalAgent', 'Server', 'createServer', 'get', 'request']);
  },
  http2: () => {
    if (http2Constants === undefined) http2Constants = JSONParse('{"NGHTTP2_ERR_FRAME_SIZE_ERROR":-522,"NGHTTP2_SESSION_SERVER":0,"NGHTTP2_SESSION_CLIENT":1,"NGHTTP2_STREAM_STATE_IDLE":1,"NGHTTP2_STREAM_STATE_OPEN":2,"NGHTTP2_STREAM_STATE_RESERVED_LOCAL":3,"NGHTTP2_STREAM_STATE_RESERVED_REMOTE":4,"NGHTTP2_STREAM_STATE_HALF_CLOSED_LOCAL":5,"NGHTTP2_STREAM_STATE_HALF_CLOSED_REMOTE":6,"NGHTTP2_STREAM_STATE_CLOSED":7,"NGHTTP2_FLAG_NONE":0,"NGHTTP2_FLAG_END_STREAM":1,"NGHTTP2_FLAG_END_HEADERS":4,"NGHTTP2_FLAG_ACK":1,"NGHTTP2_FLAG_PADDED":8,"NGHTTP2_FLAG_PRIORITY":32,"DEFAULT_SETTINGS_HEADER_TABLE_SIZE":4096,"DEFAULT_SETTINGS_ENABLE_PUSH":1,"DEFAULT_SETTINGS_MAX_CONCURRENT_STREAMS":4294967295,"DEFAULT_SETTINGS_INITIAL_WINDOW_SIZE":65535,"DEFAULT_SETTINGS_MAX_FRAME_SIZE":16384,"DEFAULT_SETTINGS_MAX_HEADER_LIST_SIZE":65535,"DEFAULT_SETTINGS_ENABLE_CONNECT_PROTOCOL":0,"MAX_MAX_FRAME_SIZE":16777215,"MIN_MAX_FRAME_SIZE":16384,"MAX_INITIAL_WINDOW_SIZE":2147483647,"NGHTTP2_SETTINGS_HEADER_TABLE_SIZE":1,"NGHTTP2_SETTINGS_ENABLE_PUSH":2,"NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS":3,"NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE":4,"NGHTTP2_SETTINGS_MAX_FRAME_SIZE":5,"NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE":6,"NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL":8,"PADDING_STRATEGY_NONE":0,"PADDING_STRATEGY_ALIGNED":1,"PADDING_STRATEGY_MAX":2,"PADDING_STRATEGY_CALLBACK":1,"NGHTTP2_NO_ERROR":0,"NGHTTP2_PROTOCOL_ERROR":1,"NGHTTP2_INTERNAL_ERROR":2,"NGHTTP2_FLOW_CONTROL_ERROR":3,"NGHTTP2_SETTINGS_TIMEOUT":4,"NGHTTP2_STREAM_CLOSED":5,"NGHTTP2_FRAME_SIZE_ERROR":6,"NGHTTP2_REFUSED_STREAM":7,"NGHTTP2_CANCEL":8,"NGHTTP2_COMPRESSION_ERROR":9,"NGHTTP2_CONNECT_ERROR":10,"NGHTTP2_ENHANCE_YOUR_CALM":11,"NGHTTP2_INADEQUATE_SECURITY":12,"NGHTTP2_HTTP_1_1_REQUIRED":13,"NGHTTP2_DEFAULT_WEIGHT":16,"HTTP2_HEADER_STATUS":":status","HTTP2_HEADER_METHOD":":method","HTTP2_HEADER_AUTHORITY":":authority","HTTP2_HEADER_SCHEME":":scheme","HTTP2_HEADER_PATH":":path","HTTP2_HEADER_PROTOCOL":":protocol","HTTP2_HEADER_ACCEPT_ENCODING":"accept-encoding","HTTP2_HEADER_ACCEPT_LANGUAGE":"accept-language","HTTP2_HEADER_ACCEPT_RANGES":"accept-ranges","HTTP2_HEADER_ACCEPT":"accept","HTTP2_HEADER_ACCESS_CONTROL_ALLOW_CREDENTIALS":"access-control-allow-credentials","HTTP2_HEADER_ACCESS_CONTROL_ALLOW_HEADERS":"access-control-allow-headers","HTTP2_HEADER_ACCESS_CONTROL_ALLOW_METHODS":"access-control-allow-methods","HTTP2_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN":"access-control-allow-origin","HTTP2_HEADER_ACCESS_CONTROL_EXPOSE_HEADERS":"access-control-expose-headers","HTTP2_HEADER_ACCESS_CONTROL_REQUEST_HEADERS":"access-control-request-headers","HTTP2_HEADER_ACCESS_CONTROL_REQUEST_METHOD":"access-control-request-method","HTTP2_HEADER_AGE":"age","HTTP2_HEADER_AUTHORIZATION":"authorization","HTTP2_HEADER_CACHE_CONTROL":"cache-control","HTTP2_HEADER_CONNECTION":"connection","HTTP2_HEADER_CONTENT_DISPOSITION":"content-disposition","HTTP2_HEADER_CONTENT_ENCODING":"content-encoding","HTTP2_HEADER_CONTENT_LENGTH":"content-length","HTTP2_HEADER_CONTENT_TYPE":"content-type","HTTP2_HEADER_COOKIE":"cookie","HTTP2_HEADER_DATE":"date","HTTP2_HEADER_ETAG":"etag","HTTP2_HEADER_FORWARDED":"forwarded","HTTP2_HEADER_HOST":"host","HTTP2_HEADER_IF_MODIFIED_SINCE":"if-modified-since","HTTP2_HEADER_IF_NONE_MATCH":"if-none-match","HTTP2_HEADER_IF_RANGE":"if-range","HTTP2_HEADER_LAST_MODIFIED":"last-modified","HTTP2_HEADER_LINK":"link","HTTP2_HEADER_LOCATION":"location","HTTP2_HEADER_RANGE":"range","HTTP2_HEADER_REFERER":"referer","HTTP2_HEADER_SERVER":"server","HTTP2_HEADER_SET_COOKIE":"set-cookie","HTTP2_HEADER_STRICT_TRANSPORT_SECURITY":"strict-transport-security","HTTP2_HEADER_TRANSFER_ENCODING":"transfer-encoding","HTTP2_HEADER_TE":"te","HTTP2_HEADER_UPGRADE_INSECURE_REQUESTS":"upgrade-insecure-requests","HTTP2_HEADER_UPGRADE":"upgrade","HTTP2_HEADER_USER_AGENT":"user-agent","HTTP2_HEADER_VARY":"vary","HTTP2_HEADER_X_CONTENT_TYPE_OPTIONS":"x-content-type-options","HTTP2_HEADER_X_FRAME_OPTIONS":"x-frame-options","HTTP2_HEADER_KEEP_ALIVE":"keep-alive","HTTP2_HEADER_PROXY_CONNECTION":"proxy-connection","HTTP2_HEADER_X_XSS_PROTECTION":"x-xss-protection","HTTP2_HEADER_ALT_SVC":"alt-svc","HTTP2_HEADER_CONTENT_SECURITY_POLICY":"content-security-policy","HTTP2_HEADER_EARLY_DATA":"early-data","HTTP2_HEADER_EXPECT_CT":"expect-ct","HTTP2_HEADER_ORIGIN":"origin","HTTP2_HEADER_PURPOSE":"purpose","HTTP2_HEADER_TIMING_ALLOW_ORIGIN":"timing-allow-origin","HTTP2_HEADER_X_FORWARDED_FOR":"x-forwarded-for","HTTP2_HEADER_PRIORITY":"priority","HTTP2_HEADER_ACCEPT_CHARSET":"accept-charset","HTTP2_HEADER_ACCESS_CONTROL_MAX_AGE":"access-control-max-age","HTTP2_HEADER_ALLOW":"allow","HTTP2_HEADER_CONTENT_LANGUAGE":"content-language","HTTP2_HEADER_CONTENT_LOCATION":"content-location","HTTP2_HEADER_CONTENT_MD5":"content-md5","HTTP2_HEADER_CONTENT_RANGE":"content-range","HTTP2_HEADER_DNT":"dnt","HTTP2_HEADER_EXPECT":"expect","HTTP2_HEADER_EXPIRES":"expires","HTTP2_HEADER_FROM":"from","HTTP2_HEADER_IF_MATCH":"if-match","HTTP2_HEADER_IF_UNMODIFIED_SINCE":"if-unmodified-since","HTTP2_HEADER_MAX_FORWARDS":"max-forwards","HTTP2_HEADER_PREFER":"prefer","HTTP2_HEADER_PROXY_AUTHENTICATE":"proxy-authenticate","HTTP2_HEADER_PROXY_AUTHORIZATION":"proxy-authorization","HTTP2_HEADER_REFRESH":"refresh","HTTP2_HEADER_RETRY_AFTER":"retry-after","HTTP2_HEADER_TRAILER":"trailer","HTTP2_HEADER_TK":"tk","HTTP2_HEADER_VIA":"via","HTTP2_HEADER_WARNING":"warning","HTTP2_HEADER_WWW_AUTHENTICATE":"www-authenticate","HTTP2_HEADER_HTTP2_SETTINGS":"http2-settings","HTTP2_METHOD_ACL":"ACL","HTTP2_METHOD_BASELINE_CONTROL":"BASELINE-CONTROL","HTTP2_METHOD_BIND":"BIND","HTTP2_METHOD_CHECKIN":"CHECKIN","HTTP2_METHOD_CHECKOUT":"CHECKOUT","HTTP2_METHOD_CONNECT":"CONNECT","HTTP2_METHOD_COPY":"COPY","HTTP2_METHOD_DELETE":"DELETE","HTTP2_METHOD_GET":"GET","HTTP2_METHOD_HEAD":"HEAD","HTTP2_METHOD_LABEL":"LABEL","HTTP2_METHOD_LINK":"LINK","HTTP2_METHOD_LOCK":"LOCK","HTTP2_METHOD_MERGE":"MERGE","HTTP2_METHOD_MKACTIVITY":"MKACTIVITY","HTTP2_METHOD_MKCALENDAR":"MKCALENDAR","HTTP2_METHOD_MKCOL":"MKCOL","HTTP2_METHOD_MKREDIRECTREF":"MKREDIRECTREF","HTTP2_METHOD_MKWORKSPACE":"MKWORKSPACE","HTTP2_METHOD_MOVE":"MOVE","HTTP2_METHOD_OPTIONS":"OPTIONS","HTTP2_METHOD_ORDERPATCH":"ORDERPATCH","HTTP2_METHOD_PATCH":"PATCH","HTTP2_METHOD_POST":"POST","HTTP2_METHOD_PRI":"PRI","HTTP2_METHOD_PROPFIND":"PROPFIND","HTTP2_METHOD_PROPPATCH":"PROPPATCH","HTTP2_METHOD_PUT":"PUT","HTTP2_METHOD_REBIND":"REBIND","HTTP2_METHOD_REPORT":"REPORT","HTTP2_METHOD_SEARCH":"SEARCH","HTTP2_METHOD_TRACE":"TRACE","HTTP2_METHOD_UNBIND":"UNBIND","HTTP2_METHOD_UNCHECKOUT":"UNCHECKOUT","HTTP2_METHOD_UNLINK":"UNLINK","HTTP2_METHOD_UNLOCK":"UNLOCK","HTTP2_METHOD_UPDATE":"UPDATE","HTTP2_METHOD_UPDATEREDIRECTREF":"UPDATEREDIRECTREF","HTTP2_METHOD_VERSION_CONTROL":"VERSION-CONTROL","HTTP_STATUS_CONTINUE":100,"HTTP_STATUS_SWITCHING_PROTOCOLS":101,"HTTP_STATUS_PROCESSING":102,"HTTP_STATUS_EARLY_HINTS":103,"HTTP_STATUS_OK":200,"HTTP_STATUS_CREATED":201,"HTTP_STATUS_ACCEPTED":202,"HTTP_STATUS_NON_AUTHORITATIVE_INFORMATION":203,"HTTP_STATUS_NO_CONTENT":204,"HTTP_STATUS_RESET_CONTENT":205,"HTTP_STATUS_PARTIAL_CONTENT":206,"HTTP_STATUS_MULTI_STATUS":207,"HTTP_STATUS_ALREADY_REPORTED":208,"HTTP_STATUS_IM_USED":226,"HTTP_STATUS_MULTIPLE_CHOICES":300,"HTTP_STATUS_MOVED_PERMANENTLY":301,"HTTP_STATUS_FOUND":302,"HTTP_STATUS_SEE_OTHER":303,"HTTP_STATUS_NOT_MODIFIED":304,"HTTP_STATUS_USE_PROXY":305,"HTTP_STATUS_TEMPORARY_REDIRECT":307,"HTTP_STATUS_PERMANENT_REDIRECT":308,"HTTP_STATUS_BAD_REQUEST":400,"HTTP_STATUS_UNAUTHORIZED":401,"HTTP_STATUS_PAYMENT_REQUIRED":402,"HTTP_STATUS_FORBIDDEN":403,"HTTP_STATUS_NOT_FOUND":404,"HTTP_STATUS_METHOD_NOT_ALLOWED":405,"HTTP_STATUS_NOT_ACCEPTABLE":406,"HTTP_STATUS_PROXY_AUTHENTICATION_REQUIRED":407,"HTTP_STATUS_REQUEST_TIMEOUT":408,"HTTP_STATUS_CONFLICT":409,"HTTP_STATUS_GONE":410,"HTTP_STATUS_LENGTH_REQUIRED":411,"HTTP_STATUS_PRECONDITION_FAILED":412,"HTTP_STATUS_PAYLOAD_TOO_LARGE":413,"HTTP_STATUS_URI_TOO_LONG":414,"HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE":415,"HTTP_STATUS_RANGE_NOT_SATISFIABLE":416,"HTTP_STATUS_EXPECTATION_FAILED":417,"HTTP_STATUS_TEAPOT":418,"HTTP_STATUS_MISDIRECTED_REQUEST":421,"HTTP_STATUS_UNPROCESSABLE_ENTITY":422,"HTTP_STATUS_LOCKED":423,"HTTP_STATUS_FAILED_DEPENDENCY":424,"HTTP_STATUS_TOO_EARLY":425,"HTTP_STATUS_UPGRADE_REQUIRED":426,"HTTP_STATUS_PRECONDITION_REQUIRED":428,"HTTP_STATUS_TOO_MANY_REQUESTS":429,"HTTP_STATUS_REQUEST_HEADER_FIELDS_TOO_LARGE":431,"HTTP_STATUS_UNAVAILABLE_FOR_LEGAL_REASONS":451,"HTTP_STATUS_INTERNAL_SERVER_ERROR":500,"HTTP_STATUS_NOT_IMPLEMENTED":501,"HTTP_STATUS_BAD_GATEWAY":502,"HTTP_STATUS_SERVICE_UNAVAILABLE":503,"HTTP_STATUS_GATEWAY_TIMEOUT":504,"HTTP_STATUS_HTTP_VERSION_NOT_SUPPORTED":505,"HTTP_STATUS_VARIANT_ALSO_NEGOTIATES":506,"HTTP_STATUS_INSUFFICIENT_STORAGE":507,"HTTP_STATUS_LOOP_DETECTED":508,"HTTP_STATUS_BANDWIDTH_LIMIT_EXCEEDED":509,"HTTP_STATUS_NOT_EXTENDED":510,"HTTP_STATUS_NETWORK_AUTHENTICATION_REQUIRED":511}');
    return ordered(build('http2', {
      fns: ['connect', 'createServer', 'createSecureServer', 'getPackedSettings', 'getUnpackedSettings',
        'performServerHandshake'],
      classes: ['Http2ServerRequest', 'Http2ServerResponse'],
      data: {
        constants: http2Constants,
        sensitiveHeaders: kSensitiveHeaders,
        getDefaultSettings() {
          return {
            headerTableSize: 4096, enablePush: true, initialWindowSize: 65535, maxFrameSize: 16384,
            maxConcurrentStreams: 4294967295, maxHeaderSize: 65535, maxHeaderListSize: 65535,
            enableConnectProtocol: false,
          };
        },
      },
    }), ['connect', 'constants', 'createServer', 'createSecureServer', 'getDefaultSettings', 'getPackedSettings',
      'getUnpackedSettings', 'performServerHandshake', 'sensitiveHeaders', 'Http2ServerRequest',
      'Http2ServerResponse']);
  },
  dns: () => {
    const m = build('dns', {
      fns: SafeArrayConcat(['lookup', 'lookupService', 'getDefaultResultOrder', 'setDefaultResultOrder',
        'setServers'], dnsResolvers),
      classes: ['Resolver'],
      data: { ADDRCONFIG: 32, ALL: 16, V4MAPPED: 8, ...dnsCodes },
    });
    ObjectDefineProperty(m, 'promises', {
      __proto__: null, configurable: true, enumerable: true, get: dnsPromisesApi,
    });
    return ordered(m, SafeArrayConcat(SafeArrayConcat(SafeArrayConcat(['lookup', 'lookupService', 'Resolver',
      'getDefaultResultOrder', 'setDefaultResultOrder', 'setServers', 'ADDRCONFIG', 'ALL', 'V4MAPPED'],
    ObjectKeys(dnsCodes)), dnsResolvers), ['promises']));
  },
  'dns/promises': dnsPromisesApi,
  dgram: () => build('dgram', { fns: ['_createSocketHandle', 'createSocket'], classes: ['Socket'] }),
  tls: () => ordered(build('tls', {
    fns: ['getCiphers', 'convertALPNProtocols', 'checkServerIdentity', 'createSecureContext', 'createServer',
      'connect', 'createSecurePair'],
    classes: ['SecureContext', 'TLSSocket', 'Server'],
    data: {
      CLIENT_RENEG_LIMIT: 3, CLIENT_RENEG_WINDOW: 600,
      DEFAULT_CIPHERS: 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:' +
        'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:' +
        'ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:' +
        'ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:' +
        '!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA',
      DEFAULT_ECDH_CURVE: 'auto', DEFAULT_MIN_VERSION: 'TLSv1.2', DEFAULT_MAX_VERSION: 'TLSv1.3',
      // No certificate store in the sandbox.
      rootCertificates: ObjectFreeze([]),
    },
  }), ['CLIENT_RENEG_LIMIT', 'CLIENT_RENEG_WINDOW', 'DEFAULT_CIPHERS', 'DEFAULT_ECDH_CURVE', 'DEFAULT_MIN_VERSION',
    'DEFAULT_MAX_VERSION', 'getCiphers', 'rootCertificates', 'convertALPNProtocols', 'checkServerIdentity',
    'createSecureContext', 'SecureContext', 'TLSSocket', 'Server', 'createServer', 'connect', 'createSecurePair']),
  _http_agent: () => { const h = require('http').api; return { Agent: h.Agent, globalAgent: h.globalAgent }; },
  _http_client: () => ({ ClientRequest: require('http').api.ClientRequest }),
  _http_common: () => ordered({
    ...build('_http_common', { fns: ['freeParser', 'isLenient', 'prepareError'], classes: ['HTTPParser'] }),
    _checkInvalidHeaderChar: checkInvalidHeaderChar,
    _checkIsHttpToken: checkIsHttpToken,
    chunkExpression: /(?:^|\W)chunked(?:$|\W)/i,
    continueExpression: /(?:^|\W)100-continue(?:$|\W)/i,
    CRLF: '\r\n',
    methods: METHODS,
    // Node's pool of HTTP parsers: always empty here.
    parsers: ObjectFreeze({ name: 'parsers', max: 1000, list: ObjectFreeze([]) }),
    kIncomingMessage: Symbol('IncomingMessage'),
  }, ['_checkInvalidHeaderChar', '_checkIsHttpToken', 'chunkExpression', 'continueExpression', 'CRLF', 'freeParser',
    'methods', 'parsers', 'kIncomingMessage', 'HTTPParser', 'isLenient', 'prepareError']),
  _http_incoming: () => ({
    IncomingMessage: require('http').api.IncomingMessage,
    ...build('_http_incoming', { fns: ['readStart', 'readStop'] }),
  }),
  _http_outgoing: () => ({
    kHighWaterMark: Symbol('kHighWaterMark'),
    kUniqueHeaders: Symbol('kUniqueHeaders'),
    ...build('_http_outgoing', { fns: ['parseUniqueHeadersOption'] }),
    validateHeaderName,
    validateHeaderValue,
    OutgoingMessage: require('http').api.OutgoingMessage,
  }),
  _http_server: () => ({
    STATUS_CODES,
    Server: require('http').api.Server,
    ServerResponse: require('http').api.ServerResponse,
    ...build('_http_server', { fns: ['setupConnectionsTracking', 'storeHTTPOptions', '_connectionListener'] }),
    kServerResponse: Symbol('ServerResponse'),
    ...build('_http_server', { fns: ['httpServerPreClose'] }),
    kConnectionsCheckingInterval: Symbol('http.server.connectionsCheckingInterval'),
  }),
  _tls_common: () => ({
    SecureContext: load('tls').SecureContext,
    createSecureContext: load('tls').createSecureContext,
    ...build('_tls_common', { fns: ['translatePeerCertificate'] }),
  }),
  _tls_wrap: () => {
    const t = load('tls');
    return { TLSSocket: t.TLSSocket, Server: t.Server, createServer: t.createServer, connect: t.connect };
  },
  _stream_wrap: () => stubClass('_stream_wrap', 'JSStreamSocket'),
  test: () => {
    const fns = ['skip', 'todo', 'only', 'after', 'afterEach', 'before', 'beforeEach', 'describe', 'it', 'run',
      'suite', 'test'];
    const m = build('test', { fns });
    const test = m.test;
    for (let i = 0; i < fns.length; i++) test[fns[i]] = m[fns[i]];
    test.mock = ObjectFreeze({});
    return test;
  },
  'test/reporters': () => ({
    ...build('test/reporters', { fns: ['dot', 'junit', 'spec', 'tap'] }),
    lcov: ObjectFreeze({}),
  }),
  sea: () => {
    const notInSea = (name) => ({
      [name]() {
        const err = new Error('Operation cannot be invoked when not in a single-executable application');
        require('errors').defineCode(err, 'ERR_NOT_IN_SINGLE_EXECUTABLE_APPLICATION');
        throw err;
      },
    }[name]);
    return {
      isSea() { return false; },
      getAsset: notInSea('getAsset'),
      getRawAsset: notInSea('getRawAsset'),
      getAssetAsBlob: notInSea('getAssetAsBlob'),
    };
  },
  sqlite: () => ({
    ...build('sqlite', { classes: ['DatabaseSync', 'StatementSync'] }),
    constants: ObjectFreeze({ __proto__: null }),
  }),
};

const cache = { __proto__: null };
function load(name) {
  let m = cache[name];
  if (m === undefined) {
    m = specs[name]();
    cache[name] = m;
  }
  return m;
}

// Modules that will not exist in the sandbox: their require throws.
function refuse(name, hideFrom) {
  throw unsupported(`The ${name} module is not supported in this sandbox`, hideFrom);
}

exports.load = load;
// Module `name` with Node's export names in Node's order: the functions of
// `real` where written, the stubs' elsewhere.
exports.withReal = function withReal(name, real) {
  const stub = load(name);
  const out = {};
  const keys = ObjectKeys(stub);
  for (let i = 0; i < keys.length; i++) out[keys[i]] = real[keys[i]] !== undefined ? real[keys[i]] : stub[keys[i]];
  return out;
};
exports.refuse = refuse;
exports.isIP = isIP;
exports.isIPv4 = isIPv4;
exports.isIPv6 = isIPv6;
exports.METHODS = METHODS;
exports.STATUS_CODES = STATUS_CODES;
exports.checkIsHttpToken = checkIsHttpToken;
exports.checkInvalidHeaderChar = checkInvalidHeaderChar;
exports.validateHeaderName = validateHeaderName;
exports.validateHeaderValue = validateHeaderValue;
