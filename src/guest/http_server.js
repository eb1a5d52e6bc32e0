'use strict';
// http.Server and http.ServerResponse: a net.Server whose connections are
// read by an HttpParser; each request gets a response, answered in order
// (a pipelined request's response waits for the one before it). A
// keep-alive connection idles `keepAliveTimeout` between requests.

const {
  ArrayIsArray,
  ArrayPrototypePush,
  ArrayPrototypeShift,
  Error: ErrorCtor,
  ObjectKeys,
  RangeError: RangeErrorCtor,
  RegExpPrototypeExec,
  StringPrototypeStartsWith,
  StringPrototypeToLowerCase,
  Symbol,
  TypeError: TypeErrorCtor,
} = require('primordials');
const errors = require('errors');
const { nextTick, setInterval, clearInterval } = require('timers');
const net = require('net');
const { HttpParser, NORMAL, UPGRADE } = require('http_parser');
const { incomingFromHead } = require('http_incoming');
const { OutgoingMessage, kNeedDrain, kOutHeaders, headersSentError } = require('http_outgoing');
const { STATUS_CODES, checkInvalidHeaderChar } = require('stubs');

const kConnections = Symbol('http.server.connections');
const kState = Symbol('kState');
const kNextConn = Symbol('kNextConn');
const kCheckTimer = Symbol('kConnectionsCheckingInterval');

class ServerResponse extends OutgoingMessage {
  constructor(req, options) {
    super(options);
    this.req = req;
    this.statusCode = 200;
    this.statusMessage = undefined;
    this.sendDate = true;
    this._sent100 = false;
    this._expect_continue = false;
    this.strictContentLength = false;
    if (req.method === 'HEAD') this._hasBody = false;
    if (req.httpVersionMajor < 1 || req.httpVersionMinor < 1) {
      this.useChunkedEncodingByDefault = false;
      this.shouldKeepAlive = false;
    }
  }

  assignSocket(socket) {
    socket._httpMessage = this;
    this.socket = socket;
    this.emit('socket', socket);
    this._flush();
  }

  detachSocket(socket) {
    socket._httpMessage = null;
    this.socket = null;
  }

  writeContinue(cb) {
    this._writeRaw('HTTP/1.1 100 Continue\r\n\r\n', 'ascii', cb);
    this._sent100 = true;
  }

  writeProcessing(cb) {
    this._writeRaw('HTTP/1.1 102 Processing\r\n\r\n', 'ascii', cb);
  }

  writeEarlyHints(hints, cb) {
    let head = 'HTTP/1.1 103 Early Hints\r\n';
    const keys = ObjectKeys(hints);
    for (let i = 0; i < keys.length; i++) {
      const v = hints[keys[i]];
      const values = ArrayIsArray(v) ? v : [v];
      for (let j = 0; j < values.length; j++) head += `${keys[i]}: ${values[j]}\r\n`;
    }
    this._writeRaw(`${head}\r\n`, 'ascii', cb);
  }

  _implicitHeader() {
    this.writeHead(this.statusCode);
  }

  writeHead(statusCode, reason, obj) {
    if (this._header !== null) throw headersSentError('write');
    const originalStatusCode = statusCode;
    statusCode |= 0;
    if (statusCode < 100 || statusCode > 999) {
      throw errors.makeNodeError(RangeErrorCtor, 'ERR_HTTP_INVALID_STATUS_CODE', `Invalid status code: ${originalStatusCode}`);
    }
    if (typeof reason === 'string') {
      this.statusMessage = reason;
    } else {
      if (this.statusMessage === undefined) this.statusMessage = STATUS_CODES[statusCode] || 'unknown';
      obj = reason;
    }
    this.statusCode = statusCode;
    let headers;
    if (this[kOutHeaders] !== null) {
      // Headers set before, then those given here.
      if (ArrayIsArray(obj)) {
        for (let i = 0; i < obj.length; i += 2) this.setHeader(obj[i], obj[i + 1]);
      } else if (obj) {
        const keys = ObjectKeys(obj);
        for (let i = 0; i < keys.length; i++) if (keys[i]) this.setHeader(keys[i], obj[keys[i]]);
      }
      headers = this[kOutHeaders];
    } else if (ArrayIsArray(obj)) {
      if (obj.length % 2 !== 0) {
        throw errors.makeNodeError(ErrorCtor, 'ERR_INVALID_ARG_VALUE', `The argument 'headers' is invalid. Received ${require('util_public').util.inspect(obj)}`);
      }
      headers = obj;
    } else if (obj) {
      headers = { __proto__: null };
      const keys = ObjectKeys(obj);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (k) headers[StringPrototypeToLowerCase(k)] = [k, obj[k]];
      }
    } else {
      headers = null;
    }
    if (checkInvalidHeaderChar(this.statusMessage)) {
      throw errors.makeNodeError(TypeErrorCtor, 'ERR_INVALID_CHAR', 'Invalid character in statusMessage');
    }
    const statusLine = `HTTP/1.1 ${statusCode} ${this.statusMessage}\r\n`;
    if (statusCode === 204 || statusCode === 304 || (statusCode >= 100 && statusCode <= 199)) {
      this._hasBody = false;
    }
    if (this._expect_continue && !this._sent100) this.shouldKeepAlive = false;
    this._storeHeader(statusLine, headers);
    return this;
  }
}

function connectionListener(socket) {
  const server = this;
  const state = {
    // Responses in request order; the first one owns the socket.
    outgoing: [],
    req: null,
    keepAliveTimer: false,
    // For headersTimeout/requestTimeout: when the message being read began,
    // whether its head is in, and whether one is being read at all. As in
    // Node, the first message begins when the connection does.
    msgStart: native.clock_now(),
    headersDone: false,
    active: true,
    parseError: false,
    onError: undefined,
  };
  socket[kState] = state;
  const connId = server[kNextConn]++;
  server[kConnections][connId] = socket;
  socket.on('close', () => { delete server[kConnections][connId]; });
  if (server.timeout && typeof socket.setTimeout === 'function') socket.setTimeout(server.timeout);
  socket.on('timeout', () => {
    const req = state.req;
    const res = state.outgoing.length > 0 ? state.outgoing[0] : null;
    let handled = false;
    if (req !== null) handled = req.emit('timeout', socket) || handled;
    if (res !== null) handled = res.emit('timeout', socket) || handled;
    if (!handled && !server.emit('timeout', socket)) socket.destroy();
  });

  const parser = new HttpParser(false, server.maxHeaderSize, {
    onHead(info) {
      state.headersDone = true;
      if (state.keepAliveTimer) {
        state.keepAliveTimer = false;
        socket.setTimeout(server.timeout || 0);
      }
      const req = incomingFromHead(socket, info, server.maxHeadersCount);
      req.method = info.method;
      req.url = info.url;
      state.req = req;
      if (info.upgrade) {
        const event = req.method === 'CONNECT' ? 'connect' : 'upgrade';
        if (server.listenerCount(event) > 0) {
          state.upgrade = { req, event };
          return UPGRADE;
        }
        if (event === 'connect') {
          socket.destroy();
          return UPGRADE;
        }
        req.upgrade = false;
      }
      const res = new ServerResponse(req, { highWaterMark: socket.writableHighWaterMark });
      res.shouldKeepAlive = info.shouldKeepAlive && res.shouldKeepAlive;
      res._keepAliveTimeout = server.keepAliveTimeout;
      if (server.maxRequestsPerSocket > 0) {
        state.requests = (state.requests || 0) + 1;
        if (state.requests >= server.maxRequestsPerSocket) res.maxRequestsOnConnectionReached = true;
      }
      ArrayPrototypePush(state.outgoing, res);
      if (state.outgoing.length === 1) res.assignSocket(socket);
      res.on('finish', () => resOnFinish(server, socket, state, req, res));
      const expect = req.headers.expect;
      if (expect !== undefined && info.versionMinor >= 1) {
        if (RegExpPrototypeExec(/(?:^|\W)100-continue(?:$|\W)/i, expect) !== null) {
          res._expect_continue = true;
          if (server.listenerCount('checkContinue') > 0) server.emit('checkContinue', req, res);
          else { res.writeContinue(); server.emit('request', req, res); }
        } else if (server.listenerCount('checkExpectation') > 0) {
          server.emit('checkExpectation', req, res);
        } else {
          res.writeHead(417);
          res.end();
        }
      } else {
        server.emit('request', req, res);
      }
      return NORMAL;
    },
    onBody(chunk) {
      if (state.req !== null) state.req._addBody(chunk);
    },
    onComplete(trailers) {
      state.active = false;
      if (state.req !== null) state.req._complete(trailers);
    },
  });

  socket.on('data', (d) => {
    if (!state.active) {
      state.active = true;
      state.headersDone = false;
      state.msgStart = native.clock_now();
    }
    if (state.parseError) return;
    const r = parser.execute(d);
    if (r === undefined) return;
    if (r instanceof ErrorCtor) {
      // Like llhttp, a parser that failed reads nothing more, nor fails
      // again at the end.
      state.parseError = true;
      socketOnError(server, socket, r);
      return;
    }
    // Upgraded: the socket is the listener's from here.
    const { req, event } = state.upgrade;
    state.active = false;
    socket.removeAllListeners('data');
    socket.removeAllListeners('end');
    socket.removeAllListeners('timeout');
    socket.setTimeout(0);
    server.emit(event, req, socket, r);
  });
  socket.on('end', () => {
    const err = state.parseError ? undefined : parser.finish();
    if (err !== undefined) {
      socketOnError(server, socket, err);
      return;
    }
    if (state.req !== null && !state.req.complete) {
      state.req.destroy();
    }
    if (state.outgoing.length === 0) socket.end();
    else state.endAfter = true;
  });
  // Only the first error is the server's; socketOnError takes this off.
  state.onError = (e) => socketOnError(server, socket, e);
  socket.on('error', state.onError);
  // The response writing waits for the socket: its 'drain' is the response's.
  socket.on('drain', () => {
    const res = socket._httpMessage;
    if (res !== null && res !== undefined && res[kNeedDrain] && !res.finished) {
      res[kNeedDrain] = false;
      res.emit('drain');
    }
  });
  socket.on('close', () => {
    const req = state.req;
    if (req !== null && !req.complete) {
      req.aborted = true;
      req.emit('aborted');
      req.destroy();
    }
    const pending = state.outgoing;
    state.outgoing = [];
    for (let i = 0; i < pending.length; i++) {
      const res = pending[i];
      if (!res.destroyed) {
        res.destroyed = true;
        res.emit('close');
      }
    }
  });
}

function resOnFinish(server, socket, state, req, res) {
  if (!req._consuming && !req._readableState.resumeScheduled) req._dump();
  res.detachSocket(socket);
  nextTick(() => {
    res.destroyed = true;
    res.emit('close');
  });
  ArrayPrototypeShift(state.outgoing);
  if (res._last || !res.shouldKeepAlive) {
    if (typeof socket.destroySoon === 'function') socket.destroySoon();
    else socket.end();
    return;
  }
  if (state.outgoing.length > 0) {
    state.outgoing[0].assignSocket(socket);
  } else if (state.endAfter) {
    socket.end();
  } else if (server.keepAliveTimeout > 0) {
    socket.setTimeout(server.keepAliveTimeout);
    state.keepAliveTimer = true;
  }
}

// Node's connectionsCheckingInterval sweep: a connection whose head has not
// arrived within headersTimeout, or whose request has not within
// requestTimeout, counted from the message's first byte, gets a 408.
function checkConnections(server) {
  const now = native.clock_now();
  const headersTimeout = server.headersTimeout;
  const requestTimeout = server.requestTimeout;
  const all = server[kConnections];
  const ids = ObjectKeys(all);
  for (let i = 0; i < ids.length; i++) {
    const socket = all[ids[i]];
    const state = socket[kState];
    if (state === undefined || !state.active) continue;
    const age = now - state.msgStart;
    if ((headersTimeout > 0 && !state.headersDone && age > headersTimeout) ||
        (requestTimeout > 0 && age > requestTimeout)) {
      state.active = false;
      socketOnError(server, socket, errors.makeNodeError(ErrorCtor, 'ERR_HTTP_REQUEST_TIMEOUT', 'Request timeout'));
    }
  }
}

function setupConnectionsTracking() {
  if (this.headersTimeout <= 0 && this.requestTimeout <= 0) return;
  if (this[kCheckTimer] !== undefined) clearInterval(this[kCheckTimer]);
  const server = this;
  this[kCheckTimer] = setInterval(() => checkConnections(server), this.connectionsCheckingInterval);
  this[kCheckTimer].unref();
}

function socketOnError(server, socket, err) {
  const state = socket[kState];
  if (state.onError !== undefined) socket.removeListener('error', state.onError);
  state.onError = undefined;
  if (socket.timeout) socket.setTimeout(0);
  socket.on('error', () => {});
  if (server.listenerCount('clientError') > 0) {
    server.emit('clientError', err, socket);
    return;
  }
  if (socket.writable && (socket._httpMessage === null || socket._httpMessage === undefined ||
      !socket._httpMessage._headerSent)) {
    let status = '400 Bad Request';
    if (err.code === 'HPE_HEADER_OVERFLOW') status = '431 Request Header Fields Too Large';
    else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') status = '408 Request Timeout';
    socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  }
  socket.destroy(typeof err.code === 'string' && StringPrototypeStartsWith(err.code, 'HPE_') ? undefined : err);
}

class Server extends net.Server {
  constructor(options, requestListener) {
    if (typeof options === 'function') {
      requestListener = options;
      options = {};
    } else if (options === null || options === undefined) {
      options = {};
    } else {
      errors.validateObject(options, 'options');
    }
    super({ allowHalfOpen: true, noDelay: options.noDelay !== false, keepAlive: options.keepAlive });
    this.maxHeaderSize = options.maxHeaderSize;
    this.insecureHTTPParser = options.insecureHTTPParser;
    const { requestTimeout, headersTimeout, connectionsCheckingInterval } = options;
    if (requestTimeout !== undefined) errors.validateInteger(requestTimeout, 'requestTimeout', 0);
    this.requestTimeout = requestTimeout !== undefined ? requestTimeout : 300000;
    if (headersTimeout !== undefined) errors.validateInteger(headersTimeout, 'headersTimeout', 0);
    this.headersTimeout = headersTimeout !== undefined ? headersTimeout :
      (this.requestTimeout < 60000 ? this.requestTimeout : 60000);
    if (this.requestTimeout > 0 && this.headersTimeout > 0 && this.headersTimeout > this.requestTimeout) {
      throw errors.outOfRange('headersTimeout', '<= requestTimeout', headersTimeout);
    }
    if (connectionsCheckingInterval !== undefined) {
      errors.validateInteger(connectionsCheckingInterval, 'connectionsCheckingInterval', 0);
    }
    this.connectionsCheckingInterval = connectionsCheckingInterval !== undefined ? connectionsCheckingInterval : 30000;
    this.joinDuplicateHeaders = options.joinDuplicateHeaders;
    this.rejectNonStandardBodyWrites = options.rejectNonStandardBodyWrites === true;
    if (requestListener) this.on('request', requestListener);
    this.httpAllowHalfOpen = false;
    this.on('connection', connectionListener);
    this.on('listening', setupConnectionsTracking);
    this.timeout = 0;
    this.maxHeadersCount = null;
    this.maxRequestsPerSocket = 0;
    this.keepAliveTimeout = options.keepAliveTimeout !== undefined ? options.keepAliveTimeout : 5000;
    this[kConnections] = { __proto__: null };
    this[kNextConn] = 0;
  }

  close(cb) {
    if (this[kCheckTimer] !== undefined) {
      clearInterval(this[kCheckTimer]);
      this[kCheckTimer] = undefined;
    }
    this.closeIdleConnections();
    return super.close(cb);
  }

  closeAllConnections() {
    const all = this[kConnections];
    const ids = ObjectKeys(all);
    for (let i = 0; i < ids.length; i++) all[ids[i]].destroy();
  }

  closeIdleConnections() {
    const all = this[kConnections];
    const ids = ObjectKeys(all);
    for (let i = 0; i < ids.length; i++) {
      const socket = all[ids[i]];
      const state = socket[kState];
      if (state !== undefined && state.outgoing.length === 0 && (state.req === null || state.req.complete)) {
        socket.destroy();
      }
    }
  }

  setTimeout(msecs, callback) {
    this.timeout = msecs;
    if (callback) this.on('timeout', callback);
    return this;
  }
}

exports.Server = Server;
exports.ServerResponse = ServerResponse;
exports.connectionListener = connectionListener;
