'use strict';
// require('readline') and require('readline/promises'): line-by-line
// reading of a stream (process.stdin, or any EventEmitter that emits
// 'data' and 'end'), question()/prompt() writing to `output`, async
// iteration of lines, and the cursor helpers that write ANSI escapes. There
// is no terminal in the sandbox: interfaces are never in terminal mode (no
// line editing, history or completion).

const {
  ArrayPrototypePush,
  ArrayPrototypeShift,
  Error,
  FunctionPrototypeCall,
  Promise,
  PromiseReject,
  PromiseResolve,
  StringPrototypeCharCodeAt,
  StringPrototypeSlice,
  SymbolAsyncIterator,
  TypeError,
} = require('primordials');
const { EventEmitter } = require('events');

const errors = () => require('errors');

const CSI = '\x1b[';

function useAfterClose(hideFrom) {
  return errors().makeNodeError(Error, 'ERR_USE_AFTER_CLOSE', 'readline was closed', hideFrom);
}

class Interface extends EventEmitter {
  #input;
  #decoder = null;
  #pending = '';
  #sawCR = false;
  #questionCallback = null;
  #paused = false;
  #onData;
  #onEnd;

  constructor(input, output, completer, terminal) {
    super();
    let crlfDelay, prompt = '> ', historySize, signal;
    if (input !== null && typeof input === 'object' && input.input !== undefined) {
      ({ output, completer, terminal, historySize, crlfDelay, signal } = input);
      if (input.prompt !== undefined) prompt = input.prompt;
      input = input.input;
    }
    if (completer !== undefined && typeof completer !== 'function') {
      throw errors().makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
        `The argument 'completer' is invalid. Received ${require('util').inspect(completer)}`, Interface);
    }
    if (historySize !== undefined && (typeof historySize !== 'number' || historySize < 0 || historySize !== historySize)) {
      throw errors().makeNodeError(require('primordials').RangeError, 'ERR_INVALID_ARG_VALUE',
        `The argument 'historySize' must be a positive number. Received ${require('util').inspect(historySize)}`, Interface);
    }
    this.#input = input;
    this.output = output;
    this.input = input;
    this.terminal = false;
    this.line = '';
    this.cursor = 0;
    this.history = [];
    this.historySize = historySize === undefined ? 30 : historySize;
    this.crlfDelay = crlfDelay === undefined ? 100 : crlfDelay;
    this.closed = false;
    this._prompt = `${prompt}`;
    this.#onData = (chunk) => this.#data(chunk);
    this.#onEnd = () => this.#end();
    if (input !== undefined && input !== null) {
      input.on('data', this.#onData);
      input.on('end', this.#onEnd);
      if (typeof input.resume === 'function') input.resume();
    }
    if (signal !== undefined) {
      errors().validateAbortSignal(signal, 'options.signal', Interface);
      if (signal.aborted) {
        require('timers').nextTick(() => this.close());
      } else {
        signal.addEventListener('abort', () => this.close(), { __proto__: null, once: true });
      }
    }
  }

  #data(chunk) {
    if (typeof chunk !== 'string') {
      if (this.#decoder === null) {
        const { StringDecoder } = require('string_decoder');
        this.#decoder = new StringDecoder('utf8');
      }
      chunk = this.#decoder.write(chunk);
    }
    this.#feed(chunk);
  }

  // Splits on \n, \r\n and \r (a \r\n split across chunks is one break).
  #feed(text) {
    let start = 0;
    if (this.#sawCR && text.length > 0 && StringPrototypeCharCodeAt(text, 0) === 10) start = 1;
    this.#sawCR = false;
    for (let i = start; i < text.length; i++) {
      const c = StringPrototypeCharCodeAt(text, i);
      if (c !== 10 && c !== 13) continue;
      const line = this.#pending + StringPrototypeSlice(text, start, i);
      this.#pending = '';
      if (c === 13) {
        if (i + 1 < text.length) {
          if (StringPrototypeCharCodeAt(text, i + 1) === 10) i++;
        } else {
          this.#sawCR = true;
        }
      }
      start = i + 1;
      this.#onLine(line);
      if (this.closed) return;
    }
    this.#pending += StringPrototypeSlice(text, start);
  }

  #end() {
    if (this.#decoder !== null) {
      const rest = this.#decoder.end();
      if (rest) this.#feed(rest);
    }
    if (this.#pending.length > 0 && !this.closed) {
      const line = this.#pending;
      this.#pending = '';
      this.#onLine(line);
    }
    this.close();
  }

  #onLine(line) {
    if (this.#questionCallback !== null) {
      const cb = this.#questionCallback;
      this.#questionCallback = null;
      this.setPrompt(this._oldPrompt);
      cb(line);
    } else {
      this.emit('line', line);
    }
  }

  #write(text) {
    if (this.output !== null && this.output !== undefined) this.output.write(text);
  }

  setPrompt(prompt) {
    this._prompt = prompt;
  }

  getPrompt() {
    return this._prompt;
  }

  prompt(preserveCursor) {
    if (this.#paused) this.resume();
    if (this.closed) throw useAfterClose(this.prompt);
    this.#write(this._prompt);
  }

  question(query, options, cb) {
    if (typeof options === 'function') {
      cb = options;
      options = {};
    }
    if (this.closed) throw useAfterClose(this.question);
    if (typeof cb !== 'function') return;
    const signal = options !== null && typeof options === 'object' ? options.signal : undefined;
    if (signal !== undefined) {
      errors().validateAbortSignal(signal, 'options.signal', this.question);
      if (signal.aborted) return;
      const onAbort = () => { this.#questionCallback = null; };
      signal.addEventListener('abort', onAbort, { __proto__: null, once: true });
      const inner = cb;
      cb = (answer) => {
        signal.removeEventListener('abort', onAbort);
        inner(answer);
      };
    }
    if (this.#questionCallback !== null) {
      this.prompt();
      return;
    }
    this._oldPrompt = this._prompt;
    this.setPrompt(query);
    this.#questionCallback = cb;
    this.prompt();
  }

  write(data, key) {
    if (this.closed) throw useAfterClose(this.write);
    if (this.#paused) this.resume();
    if (typeof data === 'string') this.#feed(data);
  }

  pause() {
    if (this.#paused) return this;
    const input = this.#input;
    if (input !== undefined && input !== null && typeof input.pause === 'function') input.pause();
    this.#paused = true;
    this.emit('pause');
    return this;
  }

  resume() {
    if (!this.#paused) return this;
    const input = this.#input;
    if (input !== undefined && input !== null && typeof input.resume === 'function') input.resume();
    this.#paused = false;
    this.emit('resume');
    return this;
  }

  close() {
    if (this.closed) return;
    this.pause();
    const input = this.#input;
    if (input !== undefined && input !== null && typeof input.removeListener === 'function') {
      input.removeListener('data', this.#onData);
      input.removeListener('end', this.#onEnd);
    }
    this.closed = true;
    this.emit('close');
  }

  getCursorPos() {
    return { rows: 0, cols: this.cursor };
  }

  // Lines as they come; the iterator ends when the interface closes.
  [SymbolAsyncIterator]() {
    const lines = [];
    let waiting = null;
    let done = false;
    const onLine = (line) => {
      if (waiting !== null) {
        const w = waiting;
        waiting = null;
        w({ value: line, done: false });
      } else {
        ArrayPrototypePush(lines, line);
      }
    };
    const onClose = () => {
      done = true;
      if (waiting !== null) {
        const w = waiting;
        waiting = null;
        w({ value: undefined, done: true });
      }
    };
    this.on('line', onLine);
    this.on('close', onClose);
    if (this.closed) done = true;
    const rl = this;
    const stop = () => {
      rl.removeListener('line', onLine);
      rl.removeListener('close', onClose);
    };
    return {
      next() {
        if (lines.length > 0) return PromiseResolve({ value: ArrayPrototypeShift(lines), done: false });
        if (done) {
          stop();
          return PromiseResolve({ value: undefined, done: true });
        }
        return new Promise((resolve) => { waiting = resolve; });
      },
      return() {
        stop();
        rl.close();
        return PromiseResolve({ value: undefined, done: true });
      },
      [SymbolAsyncIterator]() { return this; },
    };
  }
}

function createInterface(input, output, completer, terminal) {
  return new Interface(input, output, completer, terminal);
}

// ---- cursor helpers ----

function validateCallback(cb, hideFrom) {
  if (cb !== undefined && typeof cb !== 'function') throw errors().invalidArgType('callback', 'Function', cb, hideFrom);
}

function writeOrCall(stream, data, callback) {
  if (stream === null || stream === undefined) {
    if (typeof callback === 'function') require('timers').nextTick(callback, null);
    return true;
  }
  return stream.write(data, callback);
}

function cursorTo(stream, x, y, callback) {
  if (typeof y === 'function') {
    callback = y;
    y = undefined;
  }
  validateCallback(callback, cursorTo);
  if (typeof y === 'number' && typeof x !== 'number') {
    throw errors().makeNodeError(TypeError, 'ERR_INVALID_CURSOR_POS',
      'Cannot set cursor row without setting its column', cursorTo);
  }
  if (stream === null || stream === undefined || (typeof x !== 'number' && typeof y !== 'number')) {
    if (typeof callback === 'function') require('timers').nextTick(callback, null);
    return true;
  }
  const data = typeof y !== 'number' ? `${CSI}${x + 1}G` : `${CSI}${y + 1};${x + 1}H`;
  return writeOrCall(stream, data, callback);
}

function moveCursor(stream, dx, dy, callback) {
  validateCallback(callback, moveCursor);
  if (stream === null || stream === undefined || !(dx || dy)) {
    if (typeof callback === 'function') require('timers').nextTick(callback, null);
    return true;
  }
  let data = '';
  if (dx < 0) data += `${CSI}${-dx}D`;
  else if (dx > 0) data += `${CSI}${dx}C`;
  if (dy < 0) data += `${CSI}${-dy}A`;
  else if (dy > 0) data += `${CSI}${dy}B`;
  return writeOrCall(stream, data, callback);
}

function clearLine(stream, dir, callback) {
  validateCallback(callback, clearLine);
  const type = dir < 0 ? `${CSI}1K` : dir > 0 ? `${CSI}0K` : `${CSI}2K`;
  return writeOrCall(stream, type, callback);
}

function clearScreenDown(stream, callback) {
  validateCallback(callback, clearScreenDown);
  return writeOrCall(stream, `${CSI}0J`, callback);
}

// Keypress events need a terminal: the stream is only marked.
const kKeypress = require('primordials').Symbol('keypress-decoder');
function emitKeypressEvents(stream) {
  if (stream !== null && typeof stream === 'object') stream[kKeypress] = true;
}

// ---- readline/promises ----

class PromisesInterface extends Interface {
  question(query, options = {}) {
    if (this.closed) return PromiseReject(useAfterClose(this.question));
    return new Promise((resolve, reject) => {
      const signal = options !== null && typeof options === 'object' ? options.signal : undefined;
      if (signal !== undefined) {
        errors().validateAbortSignal(signal, 'options.signal', this.question);
        if (signal.aborted) {
          reject(abortError(signal));
          return;
        }
        signal.addEventListener('abort', () => reject(abortError(signal)), { __proto__: null, once: true });
      }
      FunctionPrototypeCall(Interface.prototype.question, this, query, resolve);
    });
  }
}

function abortError(signal) {
  const { AbortError } = require('timers_public');
  return new AbortError(undefined, { cause: signal.reason });
}

// Cursor moves queued on a stream, written by commit().
class Readline {
  #stream;
  #todo = [];
  #autoCommit;

  constructor(stream, options = undefined) {
    if (stream === null || typeof stream !== 'object' || typeof stream.write !== 'function') {
      throw errors().invalidArgType('stream', 'Writable', stream, Readline);
    }
    this.#stream = stream;
    this.#autoCommit = options?.autoCommit === true;
  }

  #queue(data) {
    if (this.#autoCommit) this.#stream.write(data);
    else ArrayPrototypePush(this.#todo, data);
    return this;
  }

  cursorTo(x, y = undefined) {
    if (typeof x !== 'number') throw errors().invalidArgType('x', 'number', x, this.cursorTo);
    return this.#queue(typeof y !== 'number' ? `${CSI}${x + 1}G` : `${CSI}${y + 1};${x + 1}H`);
  }

  moveCursor(dx, dy) {
    let data = '';
    if (dx < 0) data += `${CSI}${-dx}D`;
    else if (dx > 0) data += `${CSI}${dx}C`;
    if (dy < 0) data += `${CSI}${-dy}A`;
    else if (dy > 0) data += `${CSI}${dy}B`;
    return data === '' ? this : this.#queue(data);
  }

  clearLine(dir) {
    return this.#queue(dir < 0 ? `${CSI}1K` : dir > 0 ? `${CSI}0K` : `${CSI}2K`);
  }

  clearScreenDown() {
    return this.#queue(`${CSI}0J`);
  }

  commit() {
    let data = '';
    for (let i = 0; i < this.#todo.length; i++) data += this.#todo[i];
    this.#todo = [];
    if (data === '') return PromiseResolve();
    return new Promise((resolve) => this.#stream.write(data, () => resolve()));
  }

  rollback() {
    this.#todo = [];
    return this;
  }
}

function createPromisesInterface(input, output, completer, terminal) {
  return new PromisesInterface(input, output, completer, terminal);
}

const promises = {
  Interface: PromisesInterface,
  Readline,
  createInterface: createPromisesInterface,
};

exports.api = {
  Interface,
  clearLine,
  clearScreenDown,
  createInterface,
  cursorTo,
  emitKeypressEvents,
  moveCursor,
  promises,
};
exports.promises = promises;
