'use strict';
// HTTP/1.x framing over a socket's bytes: the kernel parses each message
// head (`http_parse_head`, httparse in Rust); the body's framing
// (Content-Length, chunked with trailers, or to the end of the stream for
// a response) is read here. One parser per connection; pipelined messages
// follow each other. A handler gets `onHead(info)` (returning SKIP_BODY for
// a response to HEAD, UPGRADE to stop and hand the rest over),
// `onBody(chunk)` and `onComplete(rawTrailers)`.

const {
  ArrayPrototypePush,
  Error: ErrorCtor,
  NumberParseInt,
  RegExpPrototypeExec,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeToLowerCase,
  StringPrototypeTrim,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeIndexOf,
  TypedArrayPrototypeSubarray,
} = require('primordials');

const parseHead = native.http_parse_head;
const FAILED = native.failed;

const HEAD = 0, LENGTH = 1, CHUNK_SIZE = 2, CHUNK_DATA = 3, CHUNK_END = 4, TRAILERS = 5, TO_EOF = 6,
  UPGRADED = 7, FAILED_STATE = 8;
const NORMAL = 0, SKIP_BODY = 1, UPGRADE = 2;

// Node's `maxHeaderSize` default (16 KiB).
const MAX_HEADER_SIZE = 16384;
const chunkedRe = /(?:^|\W)chunked(?:$|\W)/i;
const hexRe = /^[0-9a-fA-F]+$/;
const digitsRe = /^[0-9]+$/;

let BufferApi;
function buffers() {
  if (BufferApi === undefined) BufferApi = require('buffer').api.Buffer;
  return BufferApi;
}

function parseError(code, reason, bytesParsed, rawPacket) {
  const err = new ErrorCtor(`Parse Error: ${reason}`);
  err.bytesParsed = bytesParsed;
  err.code = code;
  err.reason = reason;
  if (rawPacket !== undefined) err.rawPacket = rawPacket;
  return err;
}

class HttpParser {
  constructor(response, maxHeaderSize, handler) {
    this.response = response;
    this.maxHeaderSize = maxHeaderSize > 0 ? maxHeaderSize : MAX_HEADER_SIZE;
    this.handler = handler;
    this.state = HEAD;
    this.rest = null;
    this.remaining = 0;
    this.parsed = 0;
  }

  // Takes `chunk`; returns undefined, an Error (the connection is bad),
  // or, once upgraded, the bytes after the head.
  execute(chunk) {
    if (this.state === FAILED_STATE) return undefined;
    let buf = this.rest === null ? chunk : buffers().concat([this.rest, chunk]);
    this.rest = null;
    for (;;) {
      const len = TypedArrayPrototypeGetByteLength(buf);
      if (len === 0 && this.state !== TRAILERS) break;
      const state = this.state;
      if (state === HEAD) {
        const taken = this.head(buf);
        if (typeof taken !== 'number') return this.fail(taken, buf);
        if (taken === 0) break;
        buf = TypedArrayPrototypeSubarray(buf, taken);
        if (this.state === UPGRADED) return buf;
      } else if (state === LENGTH || state === CHUNK_DATA) {
        const n = len < this.remaining ? len : this.remaining;
        this.remaining -= n;
        this.parsed += n;
        this.handler.onBody(TypedArrayPrototypeSubarray(buf, 0, n));
        buf = TypedArrayPrototypeSubarray(buf, n);
        if (this.remaining === 0) {
          if (state === LENGTH) this.complete(undefined);
          else this.state = CHUNK_END;
        }
      } else if (state === TO_EOF) {
        this.parsed += len;
        this.handler.onBody(buf);
        buf = TypedArrayPrototypeSubarray(buf, len);
      } else if (state === CHUNK_SIZE) {
        const nl = TypedArrayPrototypeIndexOf(buf, 10);
        if (nl === -1) {
          if (len > 1024) return this.fail(parseError('HPE_INVALID_CHUNK_SIZE', 'Chunk size line too long', this.parsed), buf);
          break;
        }
        let line = buf.latin1Slice(0, nl);
        if (line.length > 0 && line[line.length - 1] === '\r') line = StringPrototypeSlice(line, 0, -1);
        const semi = StringPrototypeIndexOf(line, ';');
        const hex = StringPrototypeTrim(semi === -1 ? line : StringPrototypeSlice(line, 0, semi));
        if (RegExpPrototypeExec(hexRe, hex) === null || hex.length > 12) {
          return this.fail(parseError('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size', this.parsed), buf);
        }
        const size = NumberParseInt(hex, 16);
        this.parsed += nl + 1;
        buf = TypedArrayPrototypeSubarray(buf, nl + 1);
        if (size === 0) {
          this.state = TRAILERS;
          this.trailers = [];
          this.trailerBytes = 0;
        } else {
          this.state = CHUNK_DATA;
          this.remaining = size;
        }
      } else if (state === CHUNK_END) {
        if (len < 2) {
          if (buf[0] !== 13 && buf[0] !== 10) return this.fail(parseError('HPE_STRICT', 'Expected LF after chunk data', this.parsed), buf);
          if (buf[0] === 10) { buf = TypedArrayPrototypeSubarray(buf, 1); this.parsed++; this.state = CHUNK_SIZE; continue; }
          break;
        }
        if (buf[0] === 13 && buf[1] === 10) { buf = TypedArrayPrototypeSubarray(buf, 2); this.parsed += 2; }
        else if (buf[0] === 10) { buf = TypedArrayPrototypeSubarray(buf, 1); this.parsed++; }
        else return this.fail(parseError('HPE_STRICT', 'Expected LF after chunk data', this.parsed), buf);
        this.state = CHUNK_SIZE;
      } else if (state === TRAILERS) {
        const nl = TypedArrayPrototypeIndexOf(buf, 10);
        if (nl === -1) {
          if (len > this.maxHeaderSize) return this.fail(parseError('HPE_HEADER_OVERFLOW', 'Header overflow', this.parsed), buf);
          break;
        }
        // All the trailers together are bounded as a head is.
        this.trailerBytes += nl + 1;
        if (this.trailerBytes > this.maxHeaderSize) {
          return this.fail(parseError('HPE_HEADER_OVERFLOW', 'Header overflow', this.parsed), buf);
        }
        let line = buf.latin1Slice(0, nl);
        if (line.length > 0 && line[line.length - 1] === '\r') line = StringPrototypeSlice(line, 0, -1);
        buf = TypedArrayPrototypeSubarray(buf, nl + 1);
        this.parsed += nl + 1;
        if (line === '') {
          this.complete(this.trailers);
        } else {
          const colon = StringPrototypeIndexOf(line, ':');
          if (colon <= 0) return this.fail(parseError('HPE_INVALID_HEADER_TOKEN', 'Invalid header token', this.parsed), buf);
          ArrayPrototypePush(this.trailers, StringPrototypeSlice(line, 0, colon),
            StringPrototypeTrim(StringPrototypeSlice(line, colon + 1)));
        }
      } else {
        break;
      }
    }
    if (TypedArrayPrototypeGetByteLength(buf) > 0) this.rest = buf;
    return undefined;
  }

  fail(err, buf) {
    this.state = FAILED_STATE;
    if (err.rawPacket === undefined) err.rawPacket = buf;
    return err;
  }

  // One head at the start of `buf`: the bytes it took (0: not all there),
  // or the parse error.
  head(buf) {
    const r = parseHead(buf, this.response, this.maxHeaderSize);
    if (r === FAILED) {
      const e = require('ops').opError(undefined);
      return parseError(e.code, StringPrototypeSlice(e.message, 13), this.parsed);
    }
    if (r === null) return 0;
    const taken = NumberParseInt(r[0], 10);
    this.parsed += taken;
    const info = {
      method: undefined, url: undefined, statusCode: 0, statusMessage: '',
      versionMajor: 1, versionMinor: NumberParseInt(r[3], 10),
      rawHeaders: [], upgrade: false, shouldKeepAlive: true,
      contentLength: undefined, chunked: false,
    };
    if (this.response) {
      info.statusCode = NumberParseInt(r[1], 10);
      info.statusMessage = r[2];
    } else {
      info.method = r[1];
      info.url = r[2];
    }
    let connection = '';
    let te = '';
    let hasUpgrade = false;
    for (let i = 4; i < r.length; i += 2) {
      const name = r[i];
      const value = r[i + 1];
      ArrayPrototypePush(info.rawHeaders, name, value);
      const lower = StringPrototypeToLowerCase(name);
      if (lower === 'content-length') {
        const v = StringPrototypeTrim(value);
        if (RegExpPrototypeExec(digitsRe, v) === null) {
          return parseError('HPE_INVALID_CONTENT_LENGTH', 'Invalid character in Content-Length', this.parsed);
        }
        const n = NumberParseInt(v, 10);
        if (info.contentLength !== undefined && info.contentLength !== n) {
          return parseError('HPE_UNEXPECTED_CONTENT_LENGTH', 'Duplicate Content-Length', this.parsed);
        }
        info.contentLength = n;
      } else if (lower === 'transfer-encoding') {
        te = te === '' ? value : `${te}, ${value}`;
      } else if (lower === 'connection') {
        connection = connection === '' ? StringPrototypeToLowerCase(value) : `${connection}, ${StringPrototypeToLowerCase(value)}`;
      } else if (lower === 'upgrade') {
        hasUpgrade = true;
      }
    }
    if (te !== '') {
      info.chunked = RegExpPrototypeExec(chunkedRe, te) !== null;
      if (info.contentLength !== undefined) {
        return parseError('HPE_UNEXPECTED_CONTENT_LENGTH', "Content-Length can't be present with Transfer-Encoding", this.parsed);
      }
      if (!info.chunked && !this.response) {
        return parseError('HPE_INVALID_TRANSFER_ENCODING', 'Request has invalid `Transfer-Encoding`', this.parsed);
      }
    }
    const close = RegExpPrototypeExec(/(?:^|\W)close(?:$|\W)/, connection) !== null;
    const keepAlive = RegExpPrototypeExec(/(?:^|\W)keep-alive(?:$|\W)/, connection) !== null;
    info.shouldKeepAlive = info.versionMinor >= 1 ? !close : keepAlive;
    info.upgrade = (hasUpgrade && RegExpPrototypeExec(/(?:^|\W)upgrade(?:$|\W)/, connection) !== null) ||
      info.method === 'CONNECT';
    if (this.response && info.statusCode === 101) info.upgrade = true;
    const mode = this.handler.onHead(info);
    if (mode === UPGRADE) {
      this.state = UPGRADED;
      return taken;
    }
    const status = info.statusCode;
    if (this.response && status >= 100 && status < 200) {
      // An interim response: the final one follows.
      this.state = HEAD;
      return taken;
    }
    if (mode === SKIP_BODY || (this.response && (status === 204 || status === 304))) {
      this.complete(undefined);
    } else if (info.chunked) {
      this.state = CHUNK_SIZE;
    } else if (info.contentLength !== undefined) {
      if (info.contentLength === 0) this.complete(undefined);
      else { this.state = LENGTH; this.remaining = info.contentLength; }
    } else if (this.response) {
      this.state = TO_EOF;
      info.shouldKeepAlive = false;
    } else {
      this.complete(undefined);
    }
    return taken;
  }

  complete(trailers) {
    this.state = HEAD;
    this.handler.onComplete(trailers === undefined ? [] : trailers);
  }

  // The stream ended: a body read to the end completes; a message cut
  // short is an error (undefined when none was in progress).
  finish() {
    if (this.state === TO_EOF) {
      this.complete(undefined);
      return undefined;
    }
    if (this.state === HEAD && this.rest === null) return undefined;
    if (this.state === UPGRADED || this.state === FAILED_STATE) return undefined;
    // Node leaves the reason out of the message here (its JS adds it only
    // for errors of execute()).
    const err = parseError('HPE_INVALID_EOF_STATE', 'Invalid EOF state', this.parsed);
    err.message = 'Parse Error';
    return err;
  }

}

exports.HttpParser = HttpParser;
exports.NORMAL = NORMAL;
exports.SKIP_BODY = SKIP_BODY;
exports.UPGRADE = UPGRADE;
exports.MAX_HEADER_SIZE = MAX_HEADER_SIZE;
