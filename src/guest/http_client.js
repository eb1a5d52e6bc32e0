'use strict';
// http.ClientRequest and http.Agent. A request gets its socket from its
// agent (a free kept-alive one, a new one, or a place in the queue), writes
// its head and body as an OutgoingMessage, and reads the response with an
// HttpParser. When the response ends on a connection both sides keep
// alive, the socket goes back to the agent ('free').

const {
  ArrayIsArray,
  ArrayPrototypeIndexOf,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  ArrayPrototypeSplice,
  Error: ErrorCtor,
  NumberIsFinite,
  ObjectAssign,
  ObjectKeys,
  RegExpPrototypeExec,
  StringPrototypeCharCodeAt,
  StringPrototypeIncludes,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
  StringPrototypeToUpperCase,
  Symbol,
  TypeError: TypeErrorCtor,
  decodeURIComponent,
} = require('primordials');
const errors = require('errors');
const { nextTick } = require('timers');
const { EventEmitter } = require('events');
const net = require('net').api;
const { HttpParser, NORMAL, SKIP_BODY, UPGRADE } = require('http_parser');
const { incomingFromHead } = require('http_incoming');
const { OutgoingMessage, kOutHeaders } = require('http_outgoing');
const { checkIsHttpToken } = require('stubs');

const kSocketListeners = Symbol('kSocketListeners');
const INVALID_PATH_REGEX = /[^\u0021-\u00ff]/;

function connResetException(msg) {
  const err = new ErrorCtor(msg);
  err.code = 'ECONNRESET';
  return err;
}

// ---- Agent ----

class Agent extends EventEmitter {
  constructor(options) {
    super();
    this.defaultPort = 80;
    this.protocol = 'http:';
    this.options = { __proto__: null, ...options };
    if (this.options.noDelay === undefined) this.options.noDelay = true;
    this.options.path = null;
    this.requests = { __proto__: null };
    this.sockets = { __proto__: null };
    this.freeSockets = { __proto__: null };
    this.keepAliveMsecs = this.options.keepAliveMsecs || 1000;
    this.keepAlive = this.options.keepAlive || false;
    this.maxSockets = this.options.maxSockets || Infinity;
    this.maxFreeSockets = this.options.maxFreeSockets || 256;
    this.scheduling = this.options.scheduling || 'lifo';
    this.maxTotalSockets = this.options.maxTotalSockets || Infinity;
    this.totalSocketCount = 0;
    this.on('free', (socket, opts) => this._onFree(socket, opts));
  }

  _onFree(socket, options) {
    const name = this.getName(options);
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const requests = this.requests[name];
    if (requests !== undefined && requests.length > 0) {
      const req = ArrayPrototypeShift(requests);
      if (requests.length === 0) delete this.requests[name];
      this.reuseSocket(socket, req);
      setRequestSocket(this, req, socket);
      return;
    }
    const req = socket._httpMessage;
    if (!req || !req.shouldKeepAlive || !this.keepAlive) {
      socket.destroy();
      return;
    }
    const freeSockets = this.freeSockets[name] || [];
    const freeLen = freeSockets.length;
    let count = freeLen;
    if (this.sockets[name]) count += this.sockets[name].length;
    if (this.totalSocketCount > this.maxTotalSockets || count > this.maxSockets || freeLen >= this.maxFreeSockets ||
        !this.keepSocketAlive(socket)) {
      socket.destroy();
      return;
    }
    this.freeSockets[name] = freeSockets;
    socket._httpMessage = null;
    this.removeSocket(socket, options, true);
    ArrayPrototypePush(freeSockets, socket);
  }

  getName(options = {}) {
    let name = options.host || 'localhost';
    name += ':';
    if (options.port) name += options.port;
    name += ':';
    if (options.localAddress) name += options.localAddress;
    if (options.family === 4 || options.family === 6) name += `:${options.family}`;
    if (options.socketPath) name += `:${options.socketPath}`;
    return name;
  }

  addRequest(req, options, port, localAddress) {
    if (typeof options === 'string') options = { __proto__: null, host: options, port, localAddress };
    options = { __proto__: null, ...options, ...this.options };
    if (options.socketPath) options.path = options.socketPath;
    normalizeServerName(options, req);
    const name = this.getName(options);
    if (this.sockets[name] === undefined) this.sockets[name] = [];
    const freeSockets = this.freeSockets[name];
    let socket;
    if (freeSockets !== undefined) {
      while (freeSockets.length > 0 && freeSockets[0].destroyed) ArrayPrototypeShift(freeSockets);
      socket = this.scheduling === 'fifo' ? ArrayPrototypeShift(freeSockets) : ArrayPrototypePop(freeSockets);
      if (freeSockets.length === 0) delete this.freeSockets[name];
    }
    const sockLen = this.sockets[name].length + (freeSockets !== undefined ? freeSockets.length : 0);
    if (socket) {
      this.reuseSocket(socket, req);
      setRequestSocket(this, req, socket);
      ArrayPrototypePush(this.sockets[name], socket);
    } else if (sockLen < this.maxSockets && this.totalSocketCount < this.maxTotalSockets) {
      this.createSocket(req, options, (err, s) => {
        if (err) req.onSocket(s, err);
        else setRequestSocket(this, req, s);
      });
    } else {
      if (this.requests[name] === undefined) this.requests[name] = [];
      ArrayPrototypePush(this.requests[name], req);
    }
  }

  createConnection(options, cb) {
    return net.createConnection(options, cb);
  }

  createSocket(req, options, cb) {
    options = { __proto__: null, ...options, ...this.options };
    if (options.socketPath) options.path = options.socketPath;
    normalizeServerName(options, req);
    const name = this.getName(options);
    options._agentKey = name;
    options.encoding = null;
    this.totalSocketCount++;
    let called = false;
    const oncreate = (err, s) => {
      if (called) return;
      called = true;
      if (err) {
        this.totalSocketCount--;
        cb(err);
        return;
      }
      if (this.sockets[name] === undefined) this.sockets[name] = [];
      ArrayPrototypePush(this.sockets[name], s);
      installListeners(this, s, options);
      cb(null, s);
    };
    const s = this.createConnection(options, oncreate);
    if (s) oncreate(null, s);
  }

  removeSocket(s, options, keepCount) {
    const name = this.getName(options);
    const sets = [this.sockets];
    if (s.destroyed) ArrayPrototypePush(sets, this.freeSockets);
    for (let i = 0; i < sets.length; i++) {
      const list = sets[i][name];
      if (list === undefined) continue;
      const index = ArrayPrototypeIndexOf(list, s);
      if (index !== -1) {
        ArrayPrototypeSplice(list, index, 1);
        if (list.length === 0) delete sets[i][name];
        if (!keepCount) this.totalSocketCount--;
      }
    }
    const requests = this.requests[name];
    if (requests !== undefined && requests.length > 0) {
      const count = (this.sockets[name] ? this.sockets[name].length : 0);
      if (count < this.maxSockets && this.totalSocketCount < this.maxTotalSockets) {
        const req = requests[0];
        this.createSocket(req, options, (err, socket) => {
          if (err) {
            ArrayPrototypeShift(requests);
            req.onSocket(socket, err);
            return;
          }
          ArrayPrototypeShift(requests);
          if (requests.length === 0) delete this.requests[name];
          setRequestSocket(this, req, socket);
        });
      }
    }
  }

  keepSocketAlive(socket) {
    socket.setKeepAlive(true, this.keepAliveMsecs);
    socket.unref();
    const agentTimeout = this.options.timeout || 0;
    if (socket.timeout !== agentTimeout) socket.setTimeout(agentTimeout);
    return true;
  }

  reuseSocket(socket, req) {
    req.reusedSocket = true;
    socket.ref();
  }

  destroy() {
    const sets = [this.freeSockets, this.sockets];
    for (let s = 0; s < sets.length; s++) {
      const keys = ObjectKeys(sets[s]);
      for (let i = 0; i < keys.length; i++) {
        const list = sets[s][keys[i]];
        for (let j = 0; j < list.length; j++) list[j].destroy();
      }
    }
  }
}

// The TLS server name: the Host header without its port (and brackets).
function normalizeServerName(options, req) {
  if (!options.servername && options.servername !== '') {
    const host = req.getHeader('host');
    if (typeof host !== 'string') return;
    if (StringPrototypeCharCodeAt(host, 0) === 91 /* '[' */) {
      const end = StringPrototypeIndexOf(host, ']');
      options.servername = end === -1 ? host : StringPrototypeSlice(host, 1, end);
    } else {
      const colon = StringPrototypeIndexOf(host, ':');
      options.servername = colon === -1 ? host : StringPrototypeSlice(host, 0, colon);
    }
  }
}

function installListeners(agent, s, options) {
  function onFree() { agent.emit('free', s, options); }
  function onClose() { agent.totalSocketCount--; agent.removeSocket(s, options, true); }
  function onTimeout() {
    const sockets = agent.freeSockets;
    const keys = ObjectKeys(sockets);
    for (let i = 0; i < keys.length; i++) {
      if (ArrayPrototypeIndexOf(sockets[keys[i]], s) !== -1) {
        s.destroy();
        return;
      }
    }
  }
  function onRemove() {
    agent.totalSocketCount--;
    agent.removeSocket(s, options, true);
    s.removeListener('close', onClose);
    s.removeListener('free', onFree);
    s.removeListener('timeout', onTimeout);
    s.removeListener('agentRemove', onRemove);
  }
  s.on('free', onFree);
  s.on('close', onClose);
  s.on('timeout', onTimeout);
  s.on('agentRemove', onRemove);
}

function setRequestSocket(agent, req, socket) {
  req.onSocket(socket);
  const agentTimeout = agent.options.timeout || 0;
  if (req.timeout === undefined || req.timeout === agentTimeout) return;
  socket.setTimeout(req.timeout);
}

// ---- ClientRequest ----

function validateHost(host, name) {
  if (host !== null && host !== undefined && typeof host !== 'string') {
    throw errors.invalidArgType(`options.${name}`, ['string', 'undefined', 'null'], host);
  }
  return host;
}

class ClientRequest extends OutgoingMessage {
  constructor(input, options, cb) {
    super();
    if (typeof input === 'string') {
      input = urlToHttpOptions(new (require('url_public').url.URL)(input));
    } else if (input !== null && typeof input === 'object' && typeof input.href === 'string' &&
               typeof input.searchParams === 'object') {
      input = urlToHttpOptions(input);
    } else {
      cb = options;
      options = input;
      input = null;
    }
    if (typeof options === 'function') {
      cb = options;
      options = input || { __proto__: null };
    } else {
      options = ObjectAssign(input || {}, options);
    }
    let agent = options.agent;
    const defaultAgent = options._defaultAgent || globalAgent;
    if (agent === false) {
      agent = new defaultAgent.constructor();
    } else if (agent === null || agent === undefined) {
      if (typeof options.createConnection !== 'function') agent = defaultAgent;
      options._defaultAgent = defaultAgent;
    } else if (typeof agent.addRequest !== 'function') {
      throw errors.invalidArgType('options.agent', ['Agent-like Object', 'undefined', 'false'], agent);
    }
    this.agent = agent;
    const protocol = options.protocol || defaultAgent.protocol;
    let expectedProtocol = defaultAgent.protocol;
    if (this.agent && this.agent.protocol) expectedProtocol = this.agent.protocol;
    if (options.path) {
      const path = `${options.path}`;
      if (RegExpPrototypeExec(INVALID_PATH_REGEX, path) !== null) {
        throw errors.makeNodeError(TypeErrorCtor, 'ERR_UNESCAPED_CHARACTERS', 'Request path contains unescaped characters');
      }
    }
    if (protocol !== expectedProtocol) {
      throw errors.makeNodeError(TypeErrorCtor, 'ERR_INVALID_PROTOCOL',
        `Protocol "${protocol}" not supported. Expected "${expectedProtocol}"`);
    }
    const defaultPort = options.defaultPort || (this.agent && this.agent.defaultPort);
    const optsWithoutSignal = { __proto__: null, ...options };
    const port = optsWithoutSignal.port = options.port || defaultPort || 80;
    const host = optsWithoutSignal.host = validateHost(options.hostname, 'hostname') ||
      validateHost(options.host, 'host') || 'localhost';
    const setHost = options.setHost === undefined || Boolean(options.setHost);
    this.socketPath = options.socketPath;
    if (options.timeout !== undefined) this.timeout = options.timeout;
    let method = options.method;
    const methodIsString = typeof method === 'string';
    if (method !== null && method !== undefined && !methodIsString) {
      throw errors.invalidArgType('options.method', ['string'], method);
    }
    if (methodIsString && method) {
      if (!checkIsHttpToken(method)) {
        throw errors.makeNodeError(TypeErrorCtor, 'ERR_INVALID_HTTP_TOKEN', `Method must be a valid HTTP token ["${method}"]`);
      }
      method = this.method = StringPrototypeToUpperCase(method);
    } else {
      method = this.method = 'GET';
    }
    const maxHeaderSize = options.maxHeaderSize;
    this.maxHeaderSize = maxHeaderSize;
    this.insecureHTTPParser = options.insecureHTTPParser;
    this.joinDuplicateHeaders = options.joinDuplicateHeaders;
    this.path = options.path || '/';
    if (cb) this.once('response', cb);
    if (method === 'GET' || method === 'HEAD' || method === 'DELETE' || method === 'OPTIONS' ||
        method === 'TRACE' || method === 'CONNECT') {
      this.useChunkedEncodingByDefault = false;
    } else {
      this.useChunkedEncodingByDefault = true;
    }
    this._ended = false;
    this.res = null;
    this.aborted = false;
    this.timeoutCb = null;
    this.upgradeOrConnect = false;
    this.parser = null;
    this.maxHeadersCount = null;
    this.reusedSocket = false;
    this.host = host;
    this.protocol = protocol;
    if (this.agent) {
      if (!this.agent.keepAlive && !NumberIsFinite(this.agent.maxSockets)) {
        this._last = true;
        this.shouldKeepAlive = false;
      } else {
        this._last = false;
        this.shouldKeepAlive = true;
      }
    }
    const headersArray = ArrayIsArray(options.headers);
    if (!headersArray) {
      if (options.headers) {
        const keys = ObjectKeys(options.headers);
        for (let i = 0; i < keys.length; i++) this.setHeader(keys[i], options.headers[keys[i]]);
      }
      if (host && !this.getHeader('host') && setHost) {
        let hostHeader = host;
        const posColon = StringPrototypeIndexOf(hostHeader, ':');
        if (posColon !== -1 && StringPrototypeIncludes(hostHeader, ':', posColon + 1) &&
            StringPrototypeCharCodeAt(hostHeader, 0) !== 91 /* '[' */) {
          hostHeader = `[${hostHeader}]`;
        }
        if (port && +port !== defaultPort) hostHeader += `:${port}`;
        this.setHeader('Host', hostHeader);
      }
      if (options.auth && !this.getHeader('Authorization')) {
        this.setHeader('Authorization', `Basic ${require('buffer').api.Buffer.from(options.auth).toString('base64')}`);
      }
      if (this.getHeader('expect') && this._header === null) {
        this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`, this[kOutHeaders]);
      }
    } else {
      this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`, options.headers);
    }
    if (options.signal) {
      const signal = options.signal;
      errors.validateAbortSignal(signal, 'options.signal');
      const onAbort = () => this.destroy(new (errors.AbortError)(undefined, { cause: signal.reason }));
      if (signal.aborted) nextTick(onAbort);
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.once('close', () => signal.removeEventListener('abort', onAbort));
      }
    }
    if (this.agent) {
      this.agent.addRequest(this, optsWithoutSignal);
    } else {
      this._last = true;
      this.shouldKeepAlive = false;
      let opts = optsWithoutSignal;
      if (opts.path || opts.socketPath) {
        opts = { __proto__: null, ...optsWithoutSignal };
        if (opts.socketPath) opts.path = opts.socketPath;
        else if (opts.path) opts.path = undefined;
      }
      if (typeof opts.createConnection === 'function') {
        const oncreate = (err, socket) => {
          if (called) return;
          called = true;
          this.onSocket(socket, err);
        };
        let called = false;
        const socket = opts.createConnection(opts, oncreate);
        if (socket) oncreate(null, socket);
      } else {
        this.onSocket(net.createConnection(opts));
      }
    }
  }

  get path() { return this._path; }
  set path(v) { this._path = v; }

  _implicitHeader() {
    if (this._header !== null) throw require('http_outgoing').headersSentError('render');
    this._storeHeader(`${this.method} ${this.path} HTTP/1.1\r\n`, this[kOutHeaders]);
  }

  abort() {
    if (this.aborted) return;
    this.aborted = true;
    nextTick(() => this.emit('abort'));
    this.destroy();
  }

  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (this.res !== null) this.res._dump();
    this[kErrorPending] = err;
    if (this.socket !== null) {
      this.socket.destroy(err);
    } else if (err) {
      nextTick(emitErrorCloseNT, this, err);
    } else {
      nextTick(emitCloseNT, this);
    }
    return this;
  }

  onSocket(socket, err) {
    nextTick(onSocketNT, this, socket, err);
  }

  setTimeout(msecs, callback) {
    if (this._ended) return this;
    if (callback) this.once('timeout', callback);
    this.timeout = msecs;
    const set = (sock) => {
      sock.setTimeout(msecs);
      sock.once('timeout', () => this.emit('timeout'));
    };
    if (this.socket !== null) set(this.socket);
    else this.once('socket', set);
    return this;
  }

  setNoDelay(noDelay) {
    if (this.socket !== null) this.socket.setNoDelay(noDelay);
    else this.once('socket', (s) => s.setNoDelay(noDelay));
  }

  setSocketKeepAlive(enable, initialDelay) {
    if (this.socket !== null) this.socket.setKeepAlive(enable, initialDelay);
    else this.once('socket', (s) => s.setKeepAlive(enable, initialDelay));
  }

  clearTimeout(cb) {
    this.setTimeout(0, cb);
  }
}

const kErrorPending = Symbol('kErrorPending');

function emitErrorCloseNT(req, err) {
  req.emit('error', err);
  req.emit('close');
}

function emitCloseNT(req) {
  req.emit('close');
}

function onSocketNT(req, socket, err) {
  if (req.destroyed || err) {
    req.destroyed = true;
    if (!err && req.agent && socket && !socket.destroyed) {
      socket.emit('free');
    } else if (socket) {
      socket.destroy(err);
    }
    if (err) {
      req.emit('error', err);
    }
    req.emit('close');
    return;
  }
  tickOnSocket(req, socket);
  req._flush();
}

function tickOnSocket(req, socket) {
  req.socket = socket;
  socket._httpMessage = req;
  const listeners = {};
  socket[kSocketListeners] = listeners;
  const parser = new HttpParser(true, req.maxHeaderSize, {
    onHead(info) {
      const res = incomingFromHead(socket, info, req.maxHeadersCount);
      res.statusCode = info.statusCode;
      res.statusMessage = info.statusMessage;
      res.req = req;
      if (info.statusCode === 100) {
        req.emit('continue');
      }
      if (info.statusCode >= 100 && info.statusCode < 200 && info.statusCode !== 101) {
        req.emit('information', {
          statusCode: res.statusCode, statusMessage: res.statusMessage, httpVersion: res.httpVersion,
          httpVersionMajor: 1, httpVersionMinor: res.httpVersionMinor, headers: res.headers,
          rawHeaders: res.rawHeaders,
        });
        return NORMAL;
      }
      if (info.upgrade && (req.method === 'CONNECT' || info.statusCode === 101)) {
        req.upgradeOrConnect = true;
        req.res = res;
        req[kUpgradeRes] = res;
        return UPGRADE;
      }
      if (req.res !== null) {
        // A second response to one request.
        socket.destroy();
        return SKIP_BODY;
      }
      req.res = res;
      req.shouldKeepAlive = req.shouldKeepAlive && info.shouldKeepAlive;
      res.on('end', () => responseOnEnd(req, socket));
      if (req.aborted || !req.emit('response', res)) res._dump();
      return req.method === 'HEAD' ? SKIP_BODY : NORMAL;
    },
    onBody(chunk) {
      if (req.res !== null) req.res._addBody(chunk);
    },
    onComplete(trailers) {
      if (req.res !== null) req.res._complete(trailers);
    },
  });
  req.parser = parser;
  listeners.data = (d) => {
    const r = parser.execute(d);
    if (r === undefined) return;
    if (r instanceof ErrorCtor) {
      detachListeners(socket);
      socket.destroy();
      req.emit('error', r);
      return;
    }
    // Upgraded (101 or CONNECT): the socket goes to the 'upgrade' listener.
    const res = req[kUpgradeRes];
    const event = req.method === 'CONNECT' ? 'connect' : 'upgrade';
    detachListeners(socket);
    socket._httpMessage = null;
    if (req.listenerCount(event) > 0) {
      req.emit(event, res, socket, r);
      req.destroyed = true;
      req.emit('close');
    } else {
      socket.destroy();
    }
  };
  listeners.end = () => {
    // As Node's client, the parser's verdict is not used: a response cut
    // short is seen by the body's reader when the socket closes.
    parser.finish();
    if (!req.res && !req.socket._hadError) {
      req.socket._hadError = true;
      req.emit('error', connResetException('socket hang up'));
    }
    socket.end();
  };
  listeners.error = (err) => {
    if (req.socket !== socket) return;
    req.socket._hadError = true;
    if (req.res !== null && !req.res.complete) {
      req.res.destroy(err);
    }
    if (!req.res || !req.res.complete) req.emit('error', err);
  };
  listeners.close = () => {
    const res = req.res;
    if (res !== null) {
      if (!res.complete) {
        res.aborted = true;
        res.destroy(connResetException('aborted'));
      }
      req._closed = true;
      req.emit('close');
      if (!res.aborted && res.readable) {
        res.on('end', function() { this.destroyed = true; this.emit('close'); });
        res.push(null);
      } else if (!res.destroyed) {
        res.destroyed = true;
        res.emit('close');
      }
    } else {
      if (!req.socket._hadError) {
        req.socket._hadError = true;
        req.emit('error', connResetException('socket hang up'));
      }
      req._closed = true;
      req.emit('close');
    }
  };
  listeners.drain = () => {
    if (req.socket === socket && req.outputData.length === 0) req.emit('drain');
  };
  socket.on('data', listeners.data);
  socket.on('end', listeners.end);
  socket.on('error', listeners.error);
  socket.on('close', listeners.close);
  socket.on('drain', listeners.drain);
  req.emit('socket', socket);
  if (req.timeout !== undefined && !(req.agent && req.agent.options.timeout === req.timeout)) {
    socket.setTimeout(req.timeout);
  }
  if (req.listenerCount('timeout') > 0) {
    socket.once('timeout', () => req.emit('timeout'));
  }
}

const kUpgradeRes = Symbol('kUpgradeRes');

function detachListeners(socket) {
  const l = socket[kSocketListeners];
  if (l === undefined) return;
  socket[kSocketListeners] = undefined;
  socket.removeListener('data', l.data);
  socket.removeListener('end', l.end);
  socket.removeListener('error', l.error);
  socket.removeListener('close', l.close);
  socket.removeListener('drain', l.drain);
}

// The response ended: the socket goes back to the agent, or closes.
function responseOnEnd(req, socket) {
  if (req.socket !== socket) return;
  const finishedWriting = req.finished && req.outputData.length === 0;
  const reuse = req.shouldKeepAlive && !req.destroyed && !socket.destroyed;
  const release = () => {
    detachListeners(socket);
    if (reuse && req.agent) {
      socket.removeAllListeners('timeout');
      socket.setTimeout(0);
      req.emit('close');
      socket.emit('free');
    } else {
      socket.destroySoon();
      req.once('close', () => {});
      socket.once('close', () => req.emit('close'));
    }
  };
  if (finishedWriting) release();
  else req.once('finish', release);
}

function urlToHttpOptions(url) {
  const hostname = typeof url.hostname === 'string' && StringPrototypeStartsWith(url.hostname, '[') ?
    StringPrototypeSlice(url.hostname, 1, -1) : url.hostname;
  const options = {
    __proto__: null,
    protocol: url.protocol,
    hostname,
    hash: url.hash,
    search: url.search,
    pathname: url.pathname,
    path: `${url.pathname || ''}${url.search || ''}`,
    href: url.href,
  };
  if (url.port !== '') options.port = +url.port;
  if (url.username || url.password) {
    options.auth = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  }
  return options;
}

const globalAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

exports.Agent = Agent;
exports.ClientRequest = ClientRequest;
exports.globalAgent = globalAgent;
exports.urlToHttpOptions = urlToHttpOptions;
