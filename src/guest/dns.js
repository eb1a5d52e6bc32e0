'use strict';
// node:dns and dns/promises. lookup() is getaddrinfo: this machine's names
// and literal addresses answered at once, other names by the host under
// the network policy (a denied name is never looked up; addresses the
// guest may not reach are left out). resolve*() and reverse() are DNS
// queries the host makes (of the servers setServers() named, each one a
// destination the policy must allow), checked the same way; localhost and
// literal addresses are answered in the sandbox. lookupService() names
// loopback `localhost` and asks DNS for others.

const {
  ArrayIsArray,
  ArrayPrototypeIndexOf,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSplice,
  Error: ErrorCtor,
  FunctionPrototypeCall,
  JSONParse,
  NumberParseInt,
  NumberPrototypeToString,
  ObjectDefineProperty,
  Promise: PromiseCtor,
  ReflectApply,
  RegExpPrototypeExec,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypePadStart,
  StringPrototypeSlice,
  StringPrototypeSplit,
  StringPrototypeStartsWith,
  StringPrototypeToLowerCase,
  Symbol,
  TypeError,
} = require('primordials');
const errors = require('errors');
const ops = require('ops');
const { nextTick } = require('timers');
const stubs = require('stubs');

const dnsLookup = native.dns_lookup;

let defaultOrder = 'verbatim';

function lookupError(err, hostname, syscall) {
  const code = err.code === 'EACCES' || err.code === 'EAI_AGAIN' ? err.code : 'ENOTFOUND';
  const e = new ErrorCtor(`${syscall} ${code} ${hostname}`);
  e.errno = code === 'ENOTFOUND' ? -3008 : code === 'EAI_AGAIN' ? -3001 : -13;
  e.code = code;
  e.syscall = syscall;
  e.hostname = hostname;
  return e;
}

// [{ address, family }] of `hostname` for `family` (0: any) in `order`.
function resolveRaw(hostname, cb) {
  try {
    ops.callAsyncCallback(dnsLookup, undefined, [hostname], cb);
  } catch (e) {
    nextTick(cb, e);
  }
}

function select(raw, family, order) {
  const v4 = [];
  const v6 = [];
  const all = [];
  for (let i = 0; i < raw.length; i += 2) {
    const entry = { address: raw[i], family: raw[i + 1] === '6' ? 6 : 4 };
    if (family !== 0 && entry.family !== family) continue;
    ArrayPrototypePush(all, entry);
    ArrayPrototypePush(entry.family === 6 ? v6 : v4, entry);
  }
  if (order === 'ipv4first') { for (let i = 0; i < v6.length; i++) ArrayPrototypePush(v4, v6[i]); return v4; }
  if (order === 'ipv6first') { for (let i = 0; i < v4.length; i++) ArrayPrototypePush(v6, v4[i]); return v6; }
  return all;
}

function familyOf(f) {
  if (f === undefined || f === null || f === 0) return 0;
  if (f === 4 || f === 'IPv4') return 4;
  if (f === 6 || f === 'IPv6') return 6;
  throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
    `The property 'options.family' must be one of: 0, 4, 6. Received ${require('util_public').util.inspect(f)}`);
}

function parseLookupOptions(options) {
  let family = 0;
  let all = false;
  let order = defaultOrder;
  if (typeof options === 'number' || typeof options === 'string') {
    family = familyOf(options);
  } else if (options !== null && typeof options === 'object') {
    family = familyOf(options.family);
    if (options.all !== undefined) {
      if (typeof options.all !== 'boolean') throw errors.invalidArgType('options.all', ['boolean'], options.all);
      all = options.all;
    }
    if (options.verbatim !== undefined) order = options.verbatim ? 'verbatim' : 'ipv4first';
    if (options.order !== undefined) order = options.order;
  }
  return { family, all, order };
}

function lookup(hostname, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = undefined;
  }
  if (hostname !== undefined && hostname !== null && typeof hostname !== 'string') {
    throw errors.invalidArgType('hostname', ['string'], hostname);
  }
  errors.validateFunction(callback, 'callback');
  const { family, all, order } = parseLookupOptions(options);
  if (!hostname) {
    nextTick(() => (all ? callback(null, []) : callback(null, null, family === 6 ? 6 : 4)));
    return {};
  }
  resolveRaw(hostname, (err, raw) => {
    if (err !== null) {
      callback(lookupError(err, hostname, 'getaddrinfo'));
      return;
    }
    const found = select(raw, family, order);
    if (found.length === 0) {
      callback(lookupError({ code: 'ENOTFOUND' }, hostname, 'getaddrinfo'));
      return;
    }
    if (all) callback(null, found);
    else callback(null, found[0].address, found[0].family);
  });
  return {};
}

// ---- resolve*: DNS records by type, asked by the host under the policy ----

const dnsResolve = native.dns_resolve;
const IANA_DNS_PORT = 53;
// Servers a query names at most (the kernel's bound).
const MAX_SERVERS = 8;

// Node's error for a failed query: c-ares codes have no errno.
function dnsError(code, syscall, hostname) {
  const e = new ErrorCtor(`${syscall} ${code}${hostname ? ` ${hostname}` : ''}`);
  e.errno = code === 'EINVAL' ? -22 : undefined;
  e.code = code;
  e.syscall = syscall;
  if (hostname) e.hostname = hostname;
  return e;
}

// The guest's form of one record `[type, ttl, ...fields]` from the kernel;
// `any` adds the type, as resolveAny gives it.
function shape(r, ttl, any) {
  let out;
  switch (r[0]) {
    case 'A':
    case 'AAAA':
      if (!ttl && !any) return r[2];
      out = { address: r[2], ttl: r[1] };
      break;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      if (!any) return r[2];
      out = { value: r[2] };
      break;
    case 'MX': out = { exchange: r[2], priority: r[3] }; break;
    case 'TXT':
      if (!any) return r[2];
      out = { entries: r[2] };
      break;
    case 'SRV': out = { name: r[2], port: r[3], priority: r[4], weight: r[5] }; break;
    case 'SOA':
      out = { nsname: r[2], hostmaster: r[3], serial: r[4], refresh: r[5], retry: r[6], expire: r[7], minttl: r[8] };
      break;
    case 'CAA':
      out = { critical: r[2] };
      out[r[3]] = r[4];
      break;
    case 'NAPTR':
      out = { flags: r[2], service: r[3], regexp: r[4], replacement: r[5], order: r[6], preference: r[7] };
      break;
    default:
      return undefined;
  }
  if (any) out.type = r[0];
  return out;
}

const kServers = Symbol('kServers');
const kPending = Symbol('kPending');

class QueryReqWrap {}

// Asks for the `rrtype` records of `name` for resolver `self`; `done(err,
// records)` is called once, or with ECANCELLED by cancel(). Errors name
// `shown` (what the guest asked about) and `syscall`.
function query(self, name, rrtype, syscall, shown, done) {
  const pending = self[kPending];
  const entry = { done, syscall, name: shown, op: undefined };
  ArrayPrototypePush(pending, entry);
  const settle = (err, records) => {
    const i = ArrayPrototypeIndexOf(pending, entry);
    if (i === -1) return;
    ArrayPrototypeSplice(pending, i, 1);
    done(err, records);
  };
  const servers = self[kServers] === null ? '' : ArrayPrototypeJoin(serverList(self[kServers]), ',');
  const failed = (err) => dnsError(typeof err.code === 'string' ? err.code : 'ESERVFAIL', syscall, shown);
  try {
    entry.op = ops.callAsyncCallback(dnsResolve, undefined, [name, rrtype, servers], (err, json) => {
      if (err !== null) settle(failed(err));
      else settle(null, JSONParse(json));
    });
  } catch (e) {
    nextTick(settle, failed(e));
  }
  return new QueryReqWrap();
}

// "ip:port" for the kernel, as c-ares would ask them.
function serverList(servers) {
  const out = [];
  for (let i = 0; i < servers.length && i < MAX_SERVERS; i++) {
    const ip = servers[i][1];
    const port = servers[i][2];
    ArrayPrototypePush(out, servers[i][0] === 6 ? `[${ip}]:${port}` : `${ip}:${port}`);
  }
  return out;
}

function resolver(rrtype, syscall) {
  return function resolveType(name, options, callback) {
    if (arguments.length <= 2) {
      callback = options;
      options = undefined;
    }
    errors.validateString(name, 'name');
    errors.validateFunction(callback, 'callback');
    const ttl = !!(options && options.ttl);
    return query(this, name, rrtype, syscall, name, (err, records) => {
      if (err !== null) {
        callback(err);
        return;
      }
      if (rrtype === 'SOA') {
        callback(null, shape(records[0], false, false));
        return;
      }
      const out = [];
      for (let i = 0; i < records.length; i++) {
        const v = shape(records[i], ttl, rrtype === 'ANY');
        if (v !== undefined) ArrayPrototypePush(out, v);
      }
      callback(null, out);
    });
  };
}

// The name a PTR query for `ip` asks about.
function reverseName(ip) {
  if (stubs.isIPv4(ip)) {
    const p = StringPrototypeSplit(ip, '.');
    return `${p[3]}.${p[2]}.${p[1]}.${p[0]}.in-addr.arpa`;
  }
  // Eight groups of four hex digits, the last two from an embedded IPv4.
  let text = ip;
  const zone = StringPrototypeIndexOf(text, '%');
  if (zone !== -1) text = StringPrototypeSlice(text, 0, zone);
  const lastColon = StringPrototypeLastIndexOf(text, ':');
  const tail = StringPrototypeSlice(text, lastColon + 1);
  if (stubs.isIPv4(tail)) {
    const q = StringPrototypeSplit(tail, '.');
    const hex = (a, b) => NumberPrototypeToString(((+a) << 8) | (+b), 16);
    text = `${StringPrototypeSlice(text, 0, lastColon + 1)}${hex(q[0], q[1])}:${hex(q[2], q[3])}`;
  }
  const halves = StringPrototypeSplit(text, '::');
  const head = halves[0] === '' ? [] : StringPrototypeSplit(halves[0], ':');
  const rest = halves.length > 1 && halves[1] !== '' ? StringPrototypeSplit(halves[1], ':') : [];
  const groups = [];
  for (let i = 0; i < head.length; i++) ArrayPrototypePush(groups, head[i]);
  for (let i = head.length + rest.length; i < 8; i++) ArrayPrototypePush(groups, '0');
  for (let i = 0; i < rest.length; i++) ArrayPrototypePush(groups, rest[i]);
  let digits = '';
  for (let i = 0; i < groups.length; i++) digits += StringPrototypePadStart(StringPrototypeToLowerCase(groups[i]), 4, '0');
  let out = '';
  for (let i = digits.length - 1; i >= 0; i--) out += `${digits[i]}.`;
  return `${out}ip6.arpa`;
}

function reverse(ip, callback) {
  errors.validateString(ip, 'name');
  errors.validateFunction(callback, 'callback');
  if (stubs.isIP(ip) === 0) throw dnsError('EINVAL', 'getHostByAddr', ip);
  return query(this, reverseName(ip), 'PTR', 'getHostByAddr', ip, (err, records) => {
    if (err !== null) {
      callback(err);
      return;
    }
    const out = [];
    for (let i = 0; i < records.length; i++) ArrayPrototypePush(out, records[i][2]);
    callback(null, out);
  });
}

const resolveMap = { __proto__: null };

class ResolverBase {
  constructor(options = undefined) {
    if (options !== undefined) {
      errors.validateObject(options, 'options');
      if (options.timeout !== undefined) errors.validateInt32(options.timeout, 'options.timeout', -1);
      if (options.tries !== undefined) errors.validateInt32(options.tries, 'options.tries', 1);
    }
    // null: the host's resolvers, which the guest is not shown.
    this[kServers] = null;
    this[kPending] = [];
  }

  cancel() {
    // Emptied in place: each query's settle() looks for itself here.
    const pending = ArrayPrototypeSplice(this[kPending], 0);
    for (let i = 0; i < pending.length; i++) {
      const { done, syscall, name, op } = pending[i];
      // Its answer is not waited for: it keeps the process alive no more.
      if (op !== undefined) ops.setRefById(op, false);
      done(dnsError('ECANCELLED', syscall, name));
    }
  }

  getServers() {
    const servers = this[kServers] === null ? [] : this[kServers];
    const out = [];
    for (let i = 0; i < servers.length; i++) {
      const ip = servers[i][1];
      const port = servers[i][2];
      if (port === IANA_DNS_PORT) ArrayPrototypePush(out, ip);
      else ArrayPrototypePush(out, servers[i][0] === 6 ? `[${ip}]:${port}` : `${ip}:${port}`);
    }
    return out;
  }

  setServers(servers) {
    if (!ArrayIsArray(servers)) throw errors.invalidArgType('servers', ['Array'], servers);
    const list = [];
    for (let i = 0; i < servers.length; i++) {
      const serv = servers[i];
      errors.validateString(serv, `servers[${i}]`);
      const entry = parseServer(serv);
      if (entry === null) {
        throw errors.makeNodeError(TypeError, 'ERR_INVALID_IP_ADDRESS', `Invalid IP address: ${serv}`);
      }
      let seen = false;
      for (let j = 0; j < list.length; j++) {
        if (list[j][1] === entry[1] && list[j][2] === entry[2]) seen = true;
      }
      if (!seen) ArrayPrototypePush(list, entry);
    }
    this[kServers] = list;
  }

  setLocalAddress(ipv4, ipv6) {
    // The host picks the source address; the arguments are checked as Node does.
    errors.validateString(ipv4, 'ipv4');
    if (ipv6 !== undefined) errors.validateString(ipv6, 'ipv6');
  }
}

// [version, ip, port] of a setServers() entry, or null.
function parseServer(serv) {
  let version = stubs.isIP(serv);
  if (version !== 0) return [version, serv, IANA_DNS_PORT];
  const bracket = RegExpPrototypeExec(/^\[([^[\]]*)\](?::(\d+))?$/, serv);
  if (bracket !== null) {
    version = stubs.isIP(bracket[1]);
    if (version !== 0) return [version, bracket[1], (bracket[2] !== undefined && NumberParseInt(bracket[2], 10)) || IANA_DNS_PORT];
  }
  const split = RegExpPrototypeExec(/(^.+?)(?::(\d+))?$/, serv);
  if (split !== null) {
    version = stubs.isIP(split[1]);
    if (version !== 0) return [version, split[1], split[2] !== undefined ? NumberParseInt(split[2], 10) : IANA_DNS_PORT];
  }
  return null;
}

class Resolver extends ResolverBase {}
const methods = [
  ['resolveAny', 'ANY', 'queryAny'], ['resolve4', 'A', 'queryA'], ['resolve6', 'AAAA', 'queryAaaa'],
  ['resolveCaa', 'CAA', 'queryCaa'], ['resolveCname', 'CNAME', 'queryCname'], ['resolveMx', 'MX', 'queryMx'],
  ['resolveNs', 'NS', 'queryNs'], ['resolveTxt', 'TXT', 'queryTxt'], ['resolveSrv', 'SRV', 'querySrv'],
  ['resolvePtr', 'PTR', 'queryPtr'], ['resolveNaptr', 'NAPTR', 'queryNaptr'], ['resolveSoa', 'SOA', 'querySoa'],
];
for (let i = 0; i < methods.length; i++) {
  const method = methods[i][0];
  const rrtype = methods[i][1];
  const syscall = methods[i][2];
  const fn = resolver(rrtype, syscall);
  ObjectDefineProperty(fn, 'name', { __proto__: null, value: syscall });
  resolveMap[rrtype] = fn;
  ObjectDefineProperty(Resolver.prototype, method, { __proto__: null, value: fn, writable: true, configurable: true });
}
ObjectDefineProperty(Resolver.prototype, 'reverse', { __proto__: null, value: reverse, writable: true, configurable: true });
ObjectDefineProperty(Resolver.prototype, 'resolve', {
  __proto__: null, writable: true, configurable: true,
  value: function resolve(hostname, rrtype, callback) {
    let fn;
    if (typeof rrtype === 'string') {
      fn = resolveMap[rrtype];
    } else if (typeof rrtype === 'function') {
      fn = resolveMap.A;
      callback = rrtype;
    } else {
      throw errors.invalidArgType('rrtype', ['string'], rrtype);
    }
    if (typeof fn === 'function') return FunctionPrototypeCall(fn, this, hostname, callback);
    throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The argument 'rrtype' is invalid. Received ${require('util_public').util.inspect(rrtype)}`);
  },
});

// The module's functions use one resolver, as Node's do.
let defaultResolver;
function getDefaultResolver() {
  if (defaultResolver === undefined) defaultResolver = new Resolver();
  return defaultResolver;
}

// ---- lookupService: getnameinfo ----

// /etc/services' names of common TCP ports.
const SERVICES = {
  __proto__: null, 7: 'echo', 20: 'ftp-data', 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'domain',
  80: 'http', 110: 'pop3', 119: 'nntp', 123: 'ntp', 143: 'imap2', 161: 'snmp', 389: 'ldap', 443: 'https',
  465: 'submissions', 587: 'submission', 993: 'imaps', 995: 'pop3s', 3306: 'mysql', 5432: 'postgresql',
};

function lookupService(address, port, callback) {
  if (arguments.length !== 3) {
    throw errors.makeNodeError(TypeError, 'ERR_MISSING_ARGS',
      'The "address", "port", and "callback" arguments must be specified');
  }
  errors.validateString(address, 'address');
  if (stubs.isIP(address) === 0) {
    throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The argument 'address' is invalid. Received ${require('util_public').util.inspect(address)}`);
  }
  port = require('net').validatePort(port);
  errors.validateFunction(callback, 'callback');
  const service = SERVICES[port] !== undefined ? SERVICES[port] : `${port}`;
  const local = address === '::1' || StringPrototypeStartsWith(address, '127.');
  if (local) {
    nextTick(callback, null, 'localhost', service);
    return {};
  }
  // The name from DNS where the policy lets it be asked; else the address,
  // as getnameinfo gives it when no name is found.
  FunctionPrototypeCall(reverse, getDefaultResolver(), address, (err, names) => {
    callback(null, err === null && names.length > 0 ? names[0] : address, service);
  });
  return {};
}

function getDefaultResultOrder() { return defaultOrder; }
function setDefaultResultOrder(order) {
  if (order !== 'ipv4first' && order !== 'verbatim') {
    throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The argument 'dnsOrder' must be one of: 'verbatim', 'ipv4first'. Received ${require('util_public').util.inspect(order)}`);
  }
  defaultOrder = order;
}

function promisify(fn, pick) {
  return function (...args) {
    return new PromiseCtor((resolvePromise, reject) => {
      ArrayPrototypePush(args, (err, a, b) => (err ? reject(err) : resolvePromise(pick(a, b))));
      ReflectApply(fn, this, args);
    });
  };
}
const first = (a) => a;

// dns.promises.Resolver: the same queries, answered by promises.
class PromisesResolver extends ResolverBase {}
for (let i = 0; i < methods.length; i++) {
  const method = methods[i][0];
  ObjectDefineProperty(PromisesResolver.prototype, method, {
    __proto__: null, writable: true, configurable: true, value: promisify(Resolver.prototype[method], first),
  });
}
const extra = ['reverse', 'resolve'];
for (let i = 0; i < extra.length; i++) {
  const method = extra[i];
  ObjectDefineProperty(PromisesResolver.prototype, method, {
    __proto__: null, writable: true, configurable: true, value: promisify(Resolver.prototype[method], first),
  });
}

function realApi(promise) {
  const wrap = promise ? (m) => promisify(Resolver.prototype[m], first) : (m) => Resolver.prototype[m];
  const out = {
    lookup: promise ?
      promisify(lookup, (a, b) => (typeof a === 'object' && a !== null ? a : { address: a, family: b })) : lookup,
    lookupService: promise ?
      promisify(lookupService, (hostname, service) => ({ hostname, service })) : lookupService,
    Resolver: promise ? PromisesResolver : Resolver,
    getDefaultResultOrder,
    setDefaultResultOrder,
    getServers: () => FunctionPrototypeCall(ResolverBase.prototype.getServers, getDefaultResolver()),
    setServers: (servers) => FunctionPrototypeCall(ResolverBase.prototype.setServers, getDefaultResolver(), servers),
    reverse: undefined,
    resolve: undefined,
  };
  const names = ['reverse', 'resolve'];
  for (let i = 0; i < methods.length; i++) ArrayPrototypePush(names, methods[i][0]);
  for (let i = 0; i < names.length; i++) {
    const m = names[i];
    const fn = wrap(m);
    out[m] = function (...args) { return ReflectApply(fn, getDefaultResolver(), args); };
  }
  return out;
}

let promisesApi;
function promises() {
  if (promisesApi === undefined) promisesApi = stubs.withReal('dns/promises', realApi(true));
  return promisesApi;
}

let api;
function dns() {
  if (api === undefined) {
    api = stubs.withReal('dns', realApi(false));
    // `promises` is a getter on the stub: keep it one.
    delete api.promises;
    ObjectDefineProperty(api, 'promises', {
      __proto__: null, configurable: true, enumerable: true, get: promises,
    });
  }
  return api;
}

exports.dns = dns;
exports.promises = promises;
exports.lookup = lookup;
