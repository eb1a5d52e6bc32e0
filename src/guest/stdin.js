'use strict';
// Minimal readable process.stdin over the bytes the engine handed us.
// Data flows only after a 'data' listener, resume(), pipe() or async
// iteration, like a paused Node stream; 'readable'/read() is supported too.

const {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  MathMin,
  Promise,
  PromiseResolve,
  SafeUint8ArraySubarray,
  String,
  StringPrototypeToLowerCase,
  SymbolAsyncIterator,
  TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet,
  Uint8Array,
} = require('primordials');
const { EventEmitter } = require('events');
const timers = require('timers');

const CHUNK = 65536;

// The decoder's own method, not whatever TextDecoder.prototype holds now.
function TextDecoderDecode(decoder, bytes, options) {
  return require('encoding').TextDecoderDecode(decoder, bytes, options);
}

class ReadStream extends EventEmitter {
  #chunks = [];
  #flowing = null;
  #ended = false; // 'end' emitted
  #scheduled = false;
  #decoder = null;
  #readableScheduled = false;

  constructor(bytes) {
    super();
    this.fd = 0;
    this.isTTY = false;
    this.readable = true;
    if (bytes) {
      const n = TypedArrayPrototypeGetLength(bytes);
      for (let i = 0; i < n; i += CHUNK) {
        ArrayPrototypePush(this.#chunks, SafeUint8ArraySubarray(bytes, i, MathMin(i + CHUNK, n)));
      }
    }
  }

  get readableFlowing() { return this.#flowing; }
  get readableEnded() { return this.#ended; }
  get readableEncoding() { return this.#decoder === null ? null : 'utf8'; }
  get readableLength() {
    let n = 0;
    for (let i = 0; i < this.#chunks.length; i++) n += TypedArrayPrototypeGetLength(this.#chunks[i]);
    return n;
  }

  setEncoding(enc) {
    const { TextDecoder } = require('encoding');
    this.#decoder = new TextDecoder(enc === undefined ? 'utf-8' : normalizeEnc(enc));
    return this;
  }

  on(type, listener) {
    super.on(type, listener);
    if (type === 'data' && this.#flowing !== false) this.resume();
    else if (type === 'readable') this.#scheduleReadable();
    return this;
  }

  resume() {
    this.#flowing = true;
    this.#schedule();
    return this;
  }

  pause() {
    if (this.#flowing !== false) {
      this.#flowing = false;
      this.emit('pause');
    }
    return this;
  }

  isPaused() { return this.#flowing === false; }

  read() {
    if (this.#chunks.length === 0) {
      if (!this.#ended) this.#scheduleEnd();
      return null;
    }
    const all = this.#chunks;
    this.#chunks = [];
    let bytes = all[0];
    if (all.length > 1) {
      let n = 0;
      for (let i = 0; i < all.length; i++) n += TypedArrayPrototypeGetLength(all[i]);
      bytes = new Uint8Array(n);
      let off = 0;
      for (let i = 0; i < all.length; i++) {
        TypedArrayPrototypeSet(bytes, all[i], off);
        off += TypedArrayPrototypeGetLength(all[i]);
      }
    }
    this.#scheduleReadable();
    return this.#decode(bytes, false);
  }

  pipe(dest, opts) {
    this.on('data', (chunk) => dest.write(chunk));
    const proc = require('process').getProcess();
    const isStdio = dest === proc.stdout || dest === proc.stderr;
    if (!isStdio && (!opts || opts.end !== false) && typeof dest.end === 'function') {
      this.on('end', () => dest.end());
    }
    if (typeof dest.emit === 'function') dest.emit('pipe', this);
    return dest;
  }

  unpipe() { return this; }
  destroy() { this.#chunks = []; this.#ended = true; return this; }
  ref() { return this; }
  unref() { return this; }
  setRawMode() { return this; }

  #decode(bytes, last) {
    if (this.#decoder === null) return bytes;
    return TextDecoderDecode(this.#decoder, bytes, { stream: !last });
  }

  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    timers.nextTick(() => {
      this.#scheduled = false;
      this.#flow();
    });
  }

  #flow() {
    while (this.#flowing && this.#chunks.length > 0) {
      const chunk = this.#decode(ArrayPrototypeShift(this.#chunks), false);
      if (typeof chunk === 'string' && chunk === '') continue;
      this.emit('data', chunk);
    }
    if (this.#flowing && this.#chunks.length === 0 && !this.#ended) this.#scheduleEnd();
  }

  #scheduleReadable() {
    if (this.#readableScheduled || this.#ended) return;
    this.#readableScheduled = true;
    timers.nextTick(() => {
      this.#readableScheduled = false;
      if (this.listenerCount('readable') > 0 && !this.#ended) this.emit('readable');
    });
  }

  #scheduleEnd() {
    if (this.#ended) return;
    this.#ended = true;
    timers.nextTick(() => {
      if (this.#decoder !== null) {
        const rest = TextDecoderDecode(this.#decoder);
        if (rest !== '') this.emit('data', rest);
      }
      this.readable = false;
      this.emit('end');
      timers.nextTick(() => this.emit('close'));
    });
  }

  [SymbolAsyncIterator]() {
    const queue = [];
    let done = false;
    let waiting = null;
    const onData = (chunk) => {
      if (waiting !== null) {
        const w = waiting;
        waiting = null;
        w({ value: chunk, done: false });
      } else {
        ArrayPrototypePush(queue, chunk);
      }
    };
    const onEnd = () => {
      done = true;
      if (waiting !== null) {
        const w = waiting;
        waiting = null;
        w({ value: undefined, done: true });
      }
    };
    this.on('data', onData);
    this.once('end', onEnd);
    const cleanup = () => {
      this.removeListener('data', onData);
      this.removeListener('end', onEnd);
    };
    return {
      next: () => {
        if (queue.length > 0) return PromiseResolve({ value: ArrayPrototypeShift(queue), done: false });
        if (done) { cleanup(); return PromiseResolve({ value: undefined, done: true }); }
        return new Promise((resolve) => { waiting = resolve; });
      },
      return: () => {
        cleanup();
        done = true;
        return PromiseResolve({ value: undefined, done: true });
      },
      [SymbolAsyncIterator]() { return this; },
    };
  }
}

function normalizeEnc(enc) {
  const e = StringPrototypeToLowerCase(String(enc));
  if (e === 'utf8' || e === 'utf-8') return 'utf-8';
  if (e === 'latin1' || e === 'binary') return 'latin1';
  if (e === 'ucs2' || e === 'ucs-2' || e === 'utf16le' || e === 'utf-16le') return 'utf-16le';
  return e;
}

exports.createStdin = (bytes) => new ReadStream(bytes);
ReadStream.prototype.addListener = ReadStream.prototype.on;
