'use strict';
// http.OutgoingMessage (a legacy Stream, as Node's): headers kept by their
// lower-case name until the head is written, then the body written as is,
// with a Content-Length, or chunked. Output waits here until the message
// has a socket (a request still connecting, a pipelined response whose
// turn has not come).

const {
  ArrayIsArray,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  DatePrototypeToUTCString,
  Date: DateCtor,
  Error: ErrorCtor,
  NumberPrototypeToString,
  ObjectKeys,
  RegExpPrototypeExec,
  String: StringCtor,
  StringPrototypeToLowerCase,
  Symbol,
  TypedArrayPrototypeGetByteLength,
  TypeError: TypeErrorCtor,
  Uint8Array: Uint8ArrayCtor,
} = require('primordials');
const errors = require('errors');
const { nextTick } = require('timers');
const Stream = require('stream').Stream;
const { validateHeaderName, validateHeaderValue, checkInvalidHeaderChar } = require('stubs');

const kOutHeaders = Symbol('kOutHeaders');
const kCorked = Symbol('corked');
const kChunkedBuffer = Symbol('kChunkedBuffer');
const kErrored = Symbol('kErrored');
const kHighWaterMark = Symbol('kHighWaterMark');
const kNeedDrain = Symbol('kNeedDrain');

const CRLF = '\r\n';

let BufferApi;
function bufferApi() {
  if (BufferApi === undefined) BufferApi = require('buffer').api.Buffer;
  return BufferApi;
}

function byteLength(chunk, encoding) {
  return typeof chunk === 'string' ? bufferApi().byteLength(chunk, encoding) : TypedArrayPrototypeGetByteLength(chunk);
}

function headersSentError(what) {
  return errors.makeNodeError(ErrorCtor, 'ERR_HTTP_HEADERS_SENT', `Cannot ${what} headers after they are sent to the client`);
}

function utcDate() {
  return DatePrototypeToUTCString(new DateCtor());
}

class OutgoingMessage extends Stream {
  constructor(options) {
    super();
    this.outputData = [];
    this.outputSize = 0;
    this.writable = true;
    this.destroyed = false;
    this._last = false;
    this.chunkedEncoding = false;
    this.shouldKeepAlive = true;
    this.maxRequestsOnConnectionReached = false;
    this._defaultKeepAlive = true;
    this.useChunkedEncodingByDefault = true;
    this.sendDate = false;
    this._removedConnection = false;
    this._removedContLen = false;
    this._removedTE = false;
    this.strictContentLength = false;
    this._contentLength = null;
    this._hasBody = true;
    this._trailer = '';
    this.finished = false;
    this._headerSent = false;
    this._header = null;
    this.socket = null;
    this._keepAliveTimeout = 0;
    this._onPendingData = () => {};
    this[kOutHeaders] = null;
    this[kCorked] = 0;
    this[kErrored] = null;
    this[kHighWaterMark] = options && options.highWaterMark !== undefined ? options.highWaterMark : 16384;
  }

  get connection() { return this.socket; }
  set connection(v) { this.socket = v; }
  get headersSent() { return this._header !== null; }
  get writableFinished() {
    return this.finished && this.outputSize === 0 && (this.socket === null || this.socket.writableLength === 0);
  }
  get writableObjectMode() { return false; }
  get writableLength() { return this.outputSize + (this.socket !== null ? this.socket.writableLength : 0); }
  get writableHighWaterMark() { return this.socket !== null ? this.socket.writableHighWaterMark : this[kHighWaterMark]; }
  get writableCorked() { return this[kCorked]; }
  get writableEnded() { return this.finished; }
  get writableNeedDrain() { return !this.destroyed && !this.finished && this[kCorked] === 0 && this.writableLength >= this.writableHighWaterMark; }
  get errored() { return this[kErrored]; }
  get closed() { return this.destroyed; }

  cork() {
    if (this.socket !== null) this.socket.cork();
    else this[kCorked]++;
  }

  uncork() {
    if (this.socket !== null) this.socket.uncork();
    else if (this[kCorked] > 0) this[kCorked]--;
  }

  setTimeout(msecs, callback) {
    if (callback) this.on('timeout', callback);
    if (this.socket === null) this.once('socket', (s) => s.setTimeout(msecs));
    else this.socket.setTimeout(msecs);
    return this;
  }

  destroy(error) {
    if (this.destroyed) return this;
    this.destroyed = true;
    this[kErrored] = error === undefined ? null : error;
    if (this.socket !== null) this.socket.destroy(error);
    else this.once('socket', (s) => s.destroy(error));
    return this;
  }

  // ---- headers ----

  setHeader(name, value) {
    if (this._header !== null) throw headersSentError('set');
    validateHeaderName(name);
    validateHeaderValue(name, value);
    let headers = this[kOutHeaders];
    if (headers === null) this[kOutHeaders] = headers = { __proto__: null };
    headers[StringPrototypeToLowerCase(name)] = [name, value];
    return this;
  }

  setHeaders(headers) {
    if (this._header !== null) throw headersSentError('set');
    if (headers === null || typeof headers !== 'object' || typeof headers.forEach !== 'function') {
      throw errors.invalidArgType('headers', ['Headers', 'Map'], headers);
    }
    headers.forEach((value, key) => this.setHeader(key, value));
    return this;
  }

  appendHeader(name, value) {
    if (this._header !== null) throw headersSentError('append');
    validateHeaderName(name);
    validateHeaderValue(name, value);
    const key = StringPrototypeToLowerCase(name);
    let headers = this[kOutHeaders];
    if (headers === null) this[kOutHeaders] = headers = { __proto__: null };
    const existing = headers[key];
    if (existing === undefined) {
      headers[key] = [name, value];
    } else {
      const prev = ArrayIsArray(existing[1]) ? existing[1] : [existing[1]];
      const next = ArrayIsArray(value) ? value : [value];
      const all = [];
      for (let i = 0; i < prev.length; i++) ArrayPrototypePush(all, prev[i]);
      for (let i = 0; i < next.length; i++) ArrayPrototypePush(all, next[i]);
      existing[1] = all;
    }
    return this;
  }

  getHeader(name) {
    if (typeof name !== 'string') throw errors.invalidArgType('name', ['string'], name);
    const headers = this[kOutHeaders];
    if (headers === null) return undefined;
    const entry = headers[StringPrototypeToLowerCase(name)];
    return entry === undefined ? undefined : entry[1];
  }

  getHeaderNames() {
    return this[kOutHeaders] === null ? [] : ObjectKeys(this[kOutHeaders]);
  }

  getRawHeaderNames() {
    const headers = this[kOutHeaders];
    if (headers === null) return [];
    const out = [];
    const keys = ObjectKeys(headers);
    for (let i = 0; i < keys.length; i++) ArrayPrototypePush(out, headers[keys[i]][0]);
    return out;
  }

  getHeaders() {
    const out = { __proto__: null };
    const headers = this[kOutHeaders];
    if (headers !== null) {
      const keys = ObjectKeys(headers);
      for (let i = 0; i < keys.length; i++) out[keys[i]] = headers[keys[i]][1];
    }
    return out;
  }

  hasHeader(name) {
    if (typeof name !== 'string') throw errors.invalidArgType('name', ['string'], name);
    return this[kOutHeaders] !== null && this[kOutHeaders][StringPrototypeToLowerCase(name)] !== undefined;
  }

  removeHeader(name) {
    if (typeof name !== 'string') throw errors.invalidArgType('name', ['string'], name);
    if (this._header !== null) throw headersSentError('remove');
    const key = StringPrototypeToLowerCase(name);
    if (key === 'connection') this._removedConnection = true;
    else if (key === 'content-length') this._removedContLen = true;
    else if (key === 'transfer-encoding') this._removedTE = true;
    else if (key === 'date') this.sendDate = false;
    if (this[kOutHeaders] !== null) delete this[kOutHeaders][key];
  }

  flushHeaders() {
    if (this._header === null) this._implicitHeader();
    this._send('');
  }

  addTrailers(headers) {
    this._trailer = '';
    const keys = ObjectKeys(headers);
    for (let i = 0; i < keys.length; i++) {
      const name = keys[i];
      const value = headers[name];
      validateHeaderName(name, 'Trailer name');
      if (checkInvalidHeaderChar(StringCtor(value))) {
        throw errors.makeNodeError(TypeErrorCtor, 'ERR_INVALID_CHAR', `Invalid character in trailer content ["${name}"]`);
      }
      this._trailer += `${name}: ${value}${CRLF}`;
    }
  }

  // Renders the head: `firstLine`, the headers set, then what Node adds
  // (Date, Connection, Keep-Alive, Content-Length or chunked).
  _storeHeader(firstLine, headers) {
    let header = firstLine;
    const state = { connection: false, contLen: false, te: false, date: false, expect: false, trailer: false };
    if (headers !== null && headers !== undefined) {
      if (ArrayIsArray(headers)) {
        // Raw [name, value, name, value] (writeHead with an array).
        for (let i = 0; i < headers.length; i += 2) header += processHeader(this, state, headers[i], headers[i + 1]);
      } else {
        const keys = ObjectKeys(headers);
        for (let i = 0; i < keys.length; i++) {
          const entry = headers[keys[i]];
          header += processHeader(this, state, entry[0], entry[1]);
        }
      }
    }
    if (this.sendDate && !state.date) header += `Date: ${utcDate()}${CRLF}`;
    if (this.chunkedEncoding && (this.statusCode === 204 || this.statusCode === 304)) {
      this.chunkedEncoding = false;
      this.shouldKeepAlive = false;
    }
    if (!state.connection) {
      const keepAlive = this.shouldKeepAlive && (state.contLen || this.useChunkedEncodingByDefault || this.agent);
      if (keepAlive && this.maxRequestsOnConnectionReached) {
        header += `Connection: close${CRLF}`;
      } else if (keepAlive) {
        header += `Connection: keep-alive${CRLF}`;
        if (this._keepAliveTimeout && this._defaultKeepAlive) {
          header += `Keep-Alive: timeout=${this._keepAliveTimeout / 1000 | 0}${CRLF}`;
        }
      } else {
        this._last = true;
        header += `Connection: close${CRLF}`;
      }
    }
    if (!state.contLen && !state.te) {
      if (!this._hasBody) {
        this.chunkedEncoding = false;
      } else if (!this.useChunkedEncodingByDefault) {
        this._last = true;
      } else if (!state.trailer && !this._removedContLen && typeof this._contentLength === 'number') {
        header += `Content-Length: ${this._contentLength}${CRLF}`;
      } else if (!this._removedTE) {
        header += `Transfer-Encoding: chunked${CRLF}`;
        this.chunkedEncoding = true;
      } else {
        this._last = true;
      }
    }
    this._header = header + CRLF;
    this._headerSent = false;
    if (state.expect) this._send('');
  }

  // ---- the body ----

  write(chunk, encoding, callback) {
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = null;
    }
    const ok = writeChunk(this, chunk, encoding, callback, false) &&
      this.writableLength < this.writableHighWaterMark;
    // The socket's next 'drain' is this message's (socketOnDrain).
    if (!ok) this[kNeedDrain] = true;
    return ok;
  }

  end(chunk, encoding, callback) {
    if (typeof chunk === 'function') {
      callback = chunk;
      chunk = null;
      encoding = null;
    } else if (typeof encoding === 'function') {
      callback = encoding;
      encoding = null;
    }
    if (chunk !== null && chunk !== undefined) {
      if (this.finished) {
        onWriteError(this, errors.makeNodeError(ErrorCtor, 'ERR_STREAM_WRITE_AFTER_END', 'write after end'), callback);
        return this;
      }
      if (this.socket !== null) this.socket.cork();
      writeChunk(this, chunk, encoding, null, true);
      if (this.socket !== null) this.socket.uncork();
    } else if (this.finished) {
      if (typeof callback === 'function') {
        if (!this.writableFinished) this.on('finish', callback);
        else callback(errors.makeNodeError(ErrorCtor, 'ERR_STREAM_ALREADY_FINISHED', 'Cannot call end after a stream was finished'));
      }
      return this;
    } else if (this._header === null) {
      this._contentLength = 0;
      this._implicitHeader();
    }
    if (typeof callback === 'function') this.once('finish', callback);
    const finish = () => this._finish();
    if (this._hasBody && this.chunkedEncoding) {
      this._send(`0${CRLF}${this._trailer}${CRLF}`, 'latin1', finish);
    } else if (!this._headerSent || this.writableLength > 0 || this.outputData.length > 0) {
      this._send('', 'latin1', finish);
    } else {
      nextTick(finish);
    }
    this.finished = true;
    return this;
  }

  _finish() {
    this.emit('prefinish');
    this.emit('finish');
  }

  // Writes `data` (the head goes first, once), now or once there is a socket.
  _send(data, encoding, callback) {
    if (!this._headerSent && this._header !== null) {
      const head = this._header;
      if (typeof data === 'string' && (encoding === 'utf8' || encoding === 'latin1' || !encoding)) {
        data = head + data;
      } else {
        ArrayPrototypePush(this.outputData, { data: head, encoding: 'latin1', callback: null });
        this.outputSize += head.length;
        this._onPendingData(head.length);
      }
      this._headerSent = true;
    }
    return this._writeRaw(data, encoding, callback);
  }

  _writeRaw(data, encoding, callback) {
    const conn = this.socket;
    if (conn !== null && conn.destroyed) {
      if (typeof callback === 'function') nextTick(callback);
      return false;
    }
    if (conn !== null && conn._httpMessage === this && conn.writable) {
      if (this.outputData.length > 0) this._flushOutput(conn);
      return conn.write(data, encoding, callback);
    }
    ArrayPrototypePush(this.outputData, { data, encoding, callback });
    this.outputSize += data.length;
    this._onPendingData(data.length);
    return this.outputSize < this[kHighWaterMark];
  }

  _flushOutput(socket) {
    while (this[kCorked] > 0) {
      this[kCorked]--;
      socket.cork();
    }
    const out = this.outputData;
    if (out.length === 0) return undefined;
    socket.cork();
    let ret;
    for (let i = 0; i < out.length; i++) {
      const { data, encoding, callback } = out[i];
      out[i].data = null;
      ret = socket.write(data, encoding, callback);
    }
    socket.uncork();
    this.outputData = [];
    this._onPendingData(-this.outputSize);
    this.outputSize = 0;
    return ret;
  }

  _flush() {
    const socket = this.socket;
    if (socket !== null && socket.writable) {
      const ret = this._flushOutput(socket);
      if (!this.finished && ret) this.emit('drain');
    }
  }

  pipe() {
    this.emit('error', errors.makeNodeError(ErrorCtor, 'ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable'));
  }
}

function processHeader(self, state, key, value) {
  if (ArrayIsArray(value)) {
    if (value.length < 2 || !isCookieField(key)) {
      let out = '';
      for (let i = 0; i < value.length; i++) out += storeHeader(self, state, key, value[i]);
      return out;
    }
    value = ArrayPrototypeJoin(value, '; ');
  }
  return storeHeader(self, state, key, value);
}

function isCookieField(s) {
  return s.length === 6 && StringPrototypeToLowerCase(s) === 'cookie';
}

function storeHeader(self, state, key, value) {
  validateHeaderValue(key, value);
  matchHeader(self, state, key, value);
  return `${key}: ${value}${CRLF}`;
}

function matchHeader(self, state, field, value) {
  if (field.length < 4 || field.length > 17) return;
  const lower = StringPrototypeToLowerCase(field);
  if (lower === 'connection') {
    state.connection = true;
    self._removedConnection = false;
    if (RegExpPrototypeExec(/(?:^|\W)close(?:$|\W)/i, StringCtor(value)) !== null) self._last = true;
    else self.shouldKeepAlive = true;
  } else if (lower === 'transfer-encoding') {
    state.te = true;
    self._removedTE = false;
    if (RegExpPrototypeExec(/(?:^|\W)chunked(?:$|\W)/i, StringCtor(value)) !== null) self.chunkedEncoding = true;
  } else if (lower === 'content-length') {
    state.contLen = true;
    self._contentLength = +value;
    self._removedContLen = false;
  } else if (lower === 'date' || lower === 'expect' || lower === 'trailer') {
    state[lower] = true;
  } else if (lower === 'keep-alive') {
    self._defaultKeepAlive = false;
  }
}

function onWriteError(msg, err, callback) {
  nextTick(() => {
    if (typeof callback === 'function') callback(err);
    msg.emit('error', err);
  });
}

function writeChunk(msg, chunk, encoding, callback, fromEnd) {
  if (typeof callback !== 'function') callback = null;
  if (msg.socket !== null && msg.socket.destroyed) {
    const err = errors.makeNodeError(ErrorCtor, 'ERR_STREAM_DESTROYED', 'Cannot call write after a stream was destroyed');
    if (callback !== null) nextTick(callback, err);
    return false;
  }
  if (chunk === null) {
    throw errors.makeNodeError(TypeErrorCtor, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream');
  }
  if (typeof chunk !== 'string' && !(chunk instanceof Uint8ArrayCtor)) {
    throw errors.invalidArgType('chunk', ['string', 'Buffer', 'Uint8Array'], chunk);
  }
  if (!fromEnd && msg.finished) {
    onWriteError(msg, errors.makeNodeError(ErrorCtor, 'ERR_STREAM_WRITE_AFTER_END', 'write after end'), callback);
    return false;
  }
  const len = byteLength(chunk, encoding);
  if (msg._header === null) {
    if (fromEnd) msg._contentLength = len;
    msg._implicitHeader();
  }
  if (!msg._hasBody) {
    if (callback !== null) nextTick(callback);
    return true;
  }
  if (len === 0) {
    if (callback !== null) nextTick(callback);
    return false;
  }
  if (msg.chunkedEncoding) {
    // Size, data and CRLF leave together (one write of the socket).
    const socket = msg.socket;
    if (socket !== null) socket.cork();
    msg._send(`${NumberPrototypeToString(len, 16)}${CRLF}`, 'latin1', null);
    msg._send(chunk, encoding, null);
    const ret = msg._send(CRLF, 'latin1', callback);
    if (socket !== null) socket.uncork();
    return ret;
  }
  return msg._send(chunk, encoding, callback);
}

exports.OutgoingMessage = OutgoingMessage;
exports.kNeedDrain = kNeedDrain;
exports.kOutHeaders = kOutHeaders;
exports.utcDate = utcDate;
exports.headersSentError = headersSentError;
