'use strict';
// require('tty'). A process has a terminal only under rt.openShell, as
// its stdio (process.stdin/stdout/stderr are then Node's tty streams in
// shape: isTTY, columns, rows, setRawMode, 'resize'); isatty() says which
// descriptors are one. A ReadStream or WriteStream cannot be made here (as
// Node fails on a descriptor that is not a terminal); their prototypes are
// Node's, for code that checks or extends them.

const {
  Error,
  NumberIsInteger,
  ObjectDefineProperty,
} = require('primordials');
const { EventEmitter } = require('events');

function isatty(fd) {
  return NumberIsInteger(fd) && fd >= 0 && fd <= 2147483647 && native.tty_size(fd) !== 0;
}

function ttyInitFailed(hideFrom) {
  const err = new Error('TTY initialization failed: uv_tty_init returned EINVAL (invalid argument)');
  ObjectDefineProperty(err, 'name', { __proto__: null, value: 'SystemError', writable: true, configurable: true });
  require('primordials').ErrorCaptureStackTrace(err, hideFrom);
  const errors = require('errors');
  errors.defineCode(err, 'ERR_TTY_INIT_FAILED');
  err.info = { errno: -22, code: 'EINVAL', message: 'invalid argument', syscall: 'uv_tty_init' };
  err.errno = -22;
  err.syscall = 'uv_tty_init';
  return err;
}

class ReadStream extends EventEmitter {
  constructor(fd, options) {
    super();
    throw ttyInitFailed(ReadStream);
  }

  get isTTY() { return true; }

  setRawMode(flag) {
    this.isRaw = !!flag;
    return this;
  }
}

class WriteStream extends EventEmitter {
  constructor(fd) {
    super();
    throw ttyInitFailed(WriteStream);
  }

  get isTTY() { return true; }
  getColorDepth() { return 1; }
  hasColors(count = 16) { return count <= 2; }
  _refreshSize() {}
  cursorTo(x, y, cb) { return require('readline').api.cursorTo(this, x, y, cb); }
  moveCursor(dx, dy, cb) { return require('readline').api.moveCursor(this, dx, dy, cb); }
  clearLine(dir, cb) { return require('readline').api.clearLine(this, dir, cb); }
  clearScreenDown(cb) { return require('readline').api.clearScreenDown(this, cb); }
  getWindowSize() { return [this.columns, this.rows]; }
}

exports.api = { isatty, ReadStream, WriteStream };
