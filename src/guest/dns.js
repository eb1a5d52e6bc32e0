'use strict';
// node:dns and dns/promises: lookup (and resolve4/resolve6/resolve for A
// and AAAA) answered by the kernel: this machine's names and literal
// addresses at once, other names by the host under the network policy (a
// denied name is never looked up; addresses the guest may not reach are
// left out). The other record types, lookupService and Resolver are not
// written yet and fail as the stubs do.

const {
  ArrayPrototypePush,
  Error: ErrorCtor,
  ObjectDefineProperty,
  Promise: PromiseCtor,
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

// resolve4/resolve6 answer from the same lookup (A and AAAA records).
function resolveFamily(family, syscall) {
  return function resolve(hostname, options, callback) {
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    if (typeof hostname !== 'string') throw errors.invalidArgType('name', ['string'], hostname);
    errors.validateFunction(callback, 'callback');
    const ttl = options !== null && typeof options === 'object' && options.ttl === true;
    resolveRaw(hostname, (err, raw) => {
      if (err !== null) {
        const e = lookupError(err, hostname, syscall);
        if (e.code === 'ENOTFOUND') e.errno = undefined;
        callback(e);
        return;
      }
      const found = select(raw, family, 'verbatim');
      if (found.length === 0) {
        callback(lookupError({ code: 'ENOTFOUND' }, hostname, syscall));
        return;
      }
      const out = [];
      for (let i = 0; i < found.length; i++) {
        ArrayPrototypePush(out, ttl ? { address: found[i].address, ttl: 0 } : found[i].address);
      }
      callback(null, out);
    });
  };
}

const resolve4 = resolveFamily(4, 'queryA');
const resolve6 = resolveFamily(6, 'queryAaaa');

function resolve(hostname, rrtype, callback) {
  if (typeof rrtype === 'function') {
    callback = rrtype;
    rrtype = 'A';
  }
  if (rrtype === 'A') return resolve4(hostname, callback);
  if (rrtype === 'AAAA') return resolve6(hostname, callback);
  if (typeof rrtype !== 'string') throw errors.invalidArgType('rrtype', ['string'], rrtype);
  // Other record types are not answered yet: the stub's error.
  return stubs.load('dns').resolve(hostname, rrtype, callback);
}

function getDefaultResultOrder() { return defaultOrder; }
function setDefaultResultOrder(order) {
  if (order !== 'ipv4first' && order !== 'verbatim') {
    throw errors.makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
      `The argument 'dnsOrder' must be one of: 'verbatim', 'ipv4first'. Received ${require('util_public').util.inspect(order)}`);
  }
  defaultOrder = order;
}

function promisify(fn, shape) {
  return function (...args) {
    return new PromiseCtor((resolvePromise, reject) => {
      fn(...args, (err, a, b) => (err ? reject(err) : resolvePromise(shape(a, b))));
    });
  };
}

let promisesApi;
function promises() {
  if (promisesApi === undefined) {
    promisesApi = stubs.withReal('dns/promises', {
      lookup: promisify(lookup, (a, b) => (typeof a === 'object' && a !== null ? a : { address: a, family: b })),
      resolve4: promisify(resolve4, (a) => a),
      resolve6: promisify(resolve6, (a) => a),
      resolve: promisify(resolve, (a) => a),
      getDefaultResultOrder,
      setDefaultResultOrder,
    });
  }
  return promisesApi;
}

let api;
function dns() {
  if (api === undefined) {
    api = stubs.withReal('dns', { lookup, resolve4, resolve6, resolve, getDefaultResultOrder, setDefaultResultOrder });
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
