'use strict';
// http.IncomingMessage: a request a server received or a response a client
// received, as a Readable of its body. Headers are joined as Node joins
// repeated ones; the socket is paused while the body's reader is behind.

const {
  ArrayPrototypePush,
  ObjectDefineProperty,
  StringPrototypeToLowerCase,
  Symbol,
} = require('primordials');
const { Readable } = require('stream').Stream;

const kHeaders = Symbol('kHeaders');
const kHeadersDistinct = Symbol('kHeadersDistinct');
const kTrailers = Symbol('kTrailers');
const kTrailersDistinct = Symbol('kTrailersDistinct');
const kSocketPaused = Symbol('kSocketPaused');

// Headers of which a repeat is dropped (Node's matchKnownFields list).
const firstWins = {
  __proto__: null,
  'content-type': true, 'content-length': true, 'user-agent': true, referer: true, host: true,
  authorization: true, 'proxy-authorization': true, 'if-modified-since': true, 'if-unmodified-since': true,
  from: true, location: true, 'max-forwards': true, 'retry-after': true, etag: true, 'last-modified': true,
  server: true, age: true, expires: true,
};

function addHeaderLine(dest, name, value) {
  const lower = StringPrototypeToLowerCase(name);
  const prev = dest[lower];
  if (prev === undefined) {
    dest[lower] = lower === 'set-cookie' ? [value] : value;
  } else if (lower === 'set-cookie') {
    ArrayPrototypePush(prev, value);
  } else if (firstWins[lower] === true) {
    // A repeat is dropped.
  } else if (lower === 'cookie') {
    dest[lower] = `${prev}; ${value}`;
  } else {
    dest[lower] = `${prev}, ${value}`;
  }
}

function headersOf(raw, max) {
  const out = { __proto__: null };
  const n = max > 0 && max * 2 < raw.length ? max * 2 : raw.length;
  for (let i = 0; i < n; i += 2) addHeaderLine(out, raw[i], raw[i + 1]);
  // Node's object has Object.prototype.
  const plain = {};
  for (const k in out) plain[k] = out[k];
  return plain;
}

function distinctOf(raw) {
  const out = {};
  for (let i = 0; i < raw.length; i += 2) {
    const lower = StringPrototypeToLowerCase(raw[i]);
    if (out[lower] === undefined) out[lower] = [raw[i + 1]];
    else ArrayPrototypePush(out[lower], raw[i + 1]);
  }
  return out;
}

class IncomingMessage extends Readable {
  constructor(socket) {
    super({ autoDestroy: false });
    this._readableState.readingMore = true;
    this.socket = socket;
    this.httpVersionMajor = null;
    this.httpVersionMinor = null;
    this.httpVersion = null;
    this.complete = false;
    this.rawHeaders = [];
    this.rawTrailers = [];
    this.joinDuplicateHeaders = false;
    this.aborted = false;
    this.upgrade = null;
    this.url = '';
    this.method = null;
    this.statusCode = null;
    this.statusMessage = null;
    this.client = socket;
    this._consuming = false;
    this._dumped = false;
    this[kHeaders] = null;
    this[kHeadersDistinct] = null;
    this[kTrailers] = null;
    this[kTrailersDistinct] = null;
    this[kSocketPaused] = false;
    this.maxHeadersCount = 0;
  }

  get connection() { return this.socket; }
  set connection(v) { this.socket = v; }

  get headers() {
    if (this[kHeaders] === null) this[kHeaders] = headersOf(this.rawHeaders, this.maxHeadersCount);
    return this[kHeaders];
  }
  set headers(v) { this[kHeaders] = v; }

  get headersDistinct() {
    if (this[kHeadersDistinct] === null) this[kHeadersDistinct] = distinctOf(this.rawHeaders);
    return this[kHeadersDistinct];
  }
  set headersDistinct(v) { this[kHeadersDistinct] = v; }

  get trailers() {
    if (this[kTrailers] === null) this[kTrailers] = headersOf(this.rawTrailers, 0);
    return this[kTrailers];
  }
  set trailers(v) { this[kTrailers] = v; }

  get trailersDistinct() {
    if (this[kTrailersDistinct] === null) this[kTrailersDistinct] = distinctOf(this.rawTrailers);
    return this[kTrailersDistinct];
  }
  set trailersDistinct(v) { this[kTrailersDistinct] = v; }

  setTimeout(msecs, callback) {
    if (callback) this.on('timeout', callback);
    this.socket.setTimeout(msecs);
    return this;
  }

  _read() {
    if (!this._consuming) {
      this._readableState.readingMore = false;
      this._consuming = true;
    }
    // The reader caught up: the socket may go on.
    if (this[kSocketPaused] && this.socket !== null && !this.socket.destroyed) {
      this[kSocketPaused] = false;
      this.socket.resume();
    }
  }

  // The parser read the whole message: its trailers, then the end.
  _complete(trailers) {
    this.rawTrailers = trailers;
    this.complete = true;
    this.push(null);
  }

  // A body chunk from the parser; the socket waits while nobody reads.
  _addBody(chunk) {
    if (this._dumped) return;
    if (!this.push(chunk) && this.socket !== null && !this[kSocketPaused]) {
      this[kSocketPaused] = true;
      this.socket.pause();
    }
  }

  _destroy(err, cb) {
    if (!this.readableEnded || !this.complete) this.aborted = true;
    if (this.socket !== null && !this.socket.destroyed && !this.complete) {
      this.socket.destroy(err);
    }
    cb(err);
  }

  // The body is not wanted: it is read and dropped.
  _dump() {
    if (this._dumped) return;
    this._dumped = true;
    this.removeAllListeners('data');
    this.resume();
  }
}

ObjectDefineProperty(IncomingMessage.prototype, '_addHeaderLines', {
  __proto__: null, writable: true, configurable: true,
  value: function _addHeaderLines(headers, n) {
    for (let i = 0; i < n; i += 2) addHeaderLine(this.headers, headers[i], headers[i + 1]);
  },
});

// A message made from the head the parser read (HttpParser's `info`).
function incomingFromHead(socket, info, maxHeadersCount) {
  const msg = new IncomingMessage(socket);
  msg.httpVersionMajor = 1;
  msg.httpVersionMinor = info.versionMinor;
  msg.httpVersion = `1.${info.versionMinor}`;
  msg.rawHeaders = info.rawHeaders;
  msg.maxHeadersCount = maxHeadersCount || 0;
  msg.upgrade = info.upgrade;
  return msg;
}

exports.IncomingMessage = IncomingMessage;
exports.incomingFromHead = incomingFromHead;
