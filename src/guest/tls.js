'use strict';
// node:tls clients: a TLSSocket is a net.Socket whose connection the
// kernel takes to TLS once it is made (rustls; the roots, `ca`,
// `rejectUnauthorized`, SNI and ALPN are decided there). It stays
// `connecting` (writes wait) until the handshake ends, then emits
// 'secureConnect'. Servers (`tls.createServer`) are not written yet.

const {
  ArrayIsArray,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  Error: ErrorCtor,
  JSONParse,
  Symbol,
} = require('primordials');
const errors = require('errors');
const ops = require('ops');
const { nextTick } = require('timers');
const net = require('net');
const stubs = require('stubs');

const tlsStart = native.net_tls_start;
const tlsPeer = native.net_tls_peer;

const kOptions = Symbol('kOptions');
const kProtocol = Symbol('kProtocol');
const kCipher = Symbol('kCipher');

function unsupported(what) {
  const err = new ErrorCtor(`${what} is not supported in this sandbox`);
  errors.defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
  return err;
}

// `ca` as PEM text: a string, a Buffer, or an array of them.
function pemOf(ca) {
  if (ca === undefined || ca === null) return undefined;
  const list = ArrayIsArray(ca) ? ca : [ca];
  const out = [];
  for (let i = 0; i < list.length; i++) ArrayPrototypePush(out, typeof list[i] === 'string' ? list[i] : `${list[i]}`);
  return ArrayPrototypeJoin(out, '\n');
}

// ALPNProtocols as a comma-separated list for the kernel.
function alpnOf(protocols) {
  if (protocols === undefined || protocols === null) return undefined;
  if (!ArrayIsArray(protocols)) throw errors.invalidArgType('options.ALPNProtocols', ['Array'], protocols);
  const out = [];
  for (let i = 0; i < protocols.length; i++) ArrayPrototypePush(out, `${protocols[i]}`);
  return ArrayPrototypeJoin(out, ',');
}

class TLSSocket extends net.Socket {
  constructor(socket, options) {
    if (socket !== undefined && socket !== null) throw unsupported('new tls.TLSSocket() over an existing socket');
    options = options === undefined ? {} : options;
    super({ allowHalfOpen: options.allowHalfOpen, highWaterMark: options.highWaterMark, signal: options.signal });
    this.encrypted = true;
    this.authorized = false;
    this.authorizationError = null;
    this.alpnProtocol = false;
    this.servername = null;
    this[kOptions] = options;
    this[kProtocol] = null;
    this[kCipher] = null;
  }

  // The TCP connection is up: the handshake runs before anything else.
  _afterConnect() {
    this.emit('connect');
    const o = this[kOptions];
    const self = this;
    const onDone = (err, info) => {
      if (self.destroyed) return;
      if (err !== null) {
        self.destroy(err);
        return;
      }
      self[kProtocol] = info[0];
      self.alpnProtocol = info[1] === '' ? false : info[1];
      self.authorized = info[2] === '1';
      self.authorizationError = info[3] === '' ? null : info[3];
      self[kCipher] = info[5];
      net.afterConnect(self, 'secureConnect');
    };
    try {
      ops.callAsyncCallback(tlsStart, undefined, [this[net.kId], o.servername, o.ca, o.rejectUnauthorized, o.alpn],
        onDone);
    } catch (e) {
      nextTick(() => self.destroy(e));
    }
  }

  getPeerCertificate(detailed) {
    const id = this[net.kId];
    if (id === undefined) return null;
    const json = tlsPeer(id);
    if (json === native.failed) {
      ops.opError(undefined);
      return null;
    }
    if (json === null) return {};
    const c = JSONParse(json);
    c.raw = require('buffer').api.Buffer.from(c.raw, 'hex');
    c.issuerCertificate = detailed ? c : undefined;
    return c;
  }

  getProtocol() { return this[kProtocol]; }
  getCipher() {
    return this[kCipher] === null ? null : { name: this[kCipher], standardName: this[kCipher], version: this[kProtocol] };
  }

  getSession() { return undefined; }
  isSessionReused() { return false; }
  getEphemeralKeyInfo() { return {}; }
  getFinished() { return undefined; }
  getPeerFinished() { return undefined; }
  setServername() {}
  setMaxSendFragment() { return true; }
  exportKeyingMaterial() { throw unsupported('tlsSocket.exportKeyingMaterial()'); }
  renegotiate() { return false; }
}

// tls.connect(options[, cb]), tls.connect(port[, host][, options][, cb]).
function connect(...args) {
  let options = {};
  let cb;
  if (typeof args[args.length - 1] === 'function') cb = args.pop();
  if (typeof args[0] === 'object' && args[0] !== null) {
    options = { ...args[0] };
  } else {
    options.port = args[0];
    if (typeof args[1] === 'string') {
      options.host = args[1];
      if (typeof args[2] === 'object' && args[2] !== null) options = { ...args[2], port: args[0], host: args[1] };
    } else if (typeof args[1] === 'object' && args[1] !== null) {
      options = { ...args[1], port: args[0] };
    }
  }
  if (options.socket !== undefined && options.socket !== null) throw unsupported('tls.connect({ socket })');
  if (options.path) throw unsupported('tls.connect() on a path');
  const host = options.host === undefined || options.host === null ? 'localhost' : options.host;
  const servername = typeof options.servername === 'string' && options.servername !== '' ? options.servername : host;
  const socket = new TLSSocket(undefined, {
    allowHalfOpen: options.allowHalfOpen,
    highWaterMark: options.highWaterMark,
    servername,
    ca: pemOf(options.ca),
    rejectUnauthorized: options.rejectUnauthorized !== false,
    alpn: alpnOf(options.ALPNProtocols),
  });
  socket.servername = net.api.isIP(servername) ? false : servername;
  if (cb !== undefined) socket.once('secureConnect', cb);
  if (options.timeout) socket.setTimeout(options.timeout);
  socket.connect({ port: options.port, host });
  return socket;
}

function checkServerIdentity(hostname, cert) {
  const names = typeof cert?.subjectaltname === 'string' ? cert.subjectaltname : '';
  if (names.includes(`DNS:${hostname}`) || names.includes(`IP Address:${hostname}`)) return undefined;
  const err = new ErrorCtor(`Hostname/IP does not match certificate's altnames: Host: ${hostname}. is not in the cert's altnames: ${names}`);
  errors.defineCode(err, 'ERR_TLS_CERT_ALTNAME_INVALID');
  err.reason = `Host: ${hostname}. is not in the cert's altnames: ${names}`;
  err.host = hostname;
  err.cert = cert;
  return err;
}

let api;
function tls() {
  if (api === undefined) {
    api = stubs.withReal('tls', { TLSSocket, connect, checkServerIdentity });
  }
  return api;
}

exports.tls = tls;
exports.TLSSocket = TLSSocket;
exports.connect = connect;
