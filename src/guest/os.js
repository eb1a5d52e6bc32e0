'use strict';
// node:os, with virtual values: the host sets them with `create({ os })`
// (config.os); nothing here reads the real machine.

const {
  ArrayPrototypePush,
  ObjectFreeze: freeze,
  StringPrototypeSlice,
} = require('primordials');
const errors = require('errors');

const info = config.os || {};
const HOME = '/home/user';

const constants = freeze({
  __proto__: null,
  UV_UDP_REUSEADDR: 4,
  dlopen: freeze({ __proto__: null, RTLD_LAZY: 1, RTLD_NOW: 2, RTLD_GLOBAL: 256, RTLD_LOCAL: 0, RTLD_DEEPBIND: 8 }),
  errno: freeze({ __proto__: null, E2BIG: 7, EACCES: 13, EADDRINUSE: 98, EADDRNOTAVAIL: 99, EAFNOSUPPORT: 97, EAGAIN: 11, EALREADY: 114, EBADF: 9, EBADMSG: 74, EBUSY: 16, ECANCELED: 125, ECHILD: 10, ECONNABORTED: 103, ECONNREFUSED: 111, ECONNRESET: 104, EDEADLK: 35, EDESTADDRREQ: 89, EDOM: 33, EDQUOT: 122, EEXIST: 17, EFAULT: 14, EFBIG: 27, EHOSTUNREACH: 113, EIDRM: 43, EILSEQ: 84, EINPROGRESS: 115, EINTR: 4, EINVAL: 22, EIO: 5, EISCONN: 106, EISDIR: 21, ELOOP: 40, EMFILE: 24, EMLINK: 31, EMSGSIZE: 90, EMULTIHOP: 72, ENAMETOOLONG: 36, ENETDOWN: 100, ENETRESET: 102, ENETUNREACH: 101, ENFILE: 23, ENOBUFS: 105, ENODATA: 61, ENODEV: 19, ENOENT: 2, ENOEXEC: 8, ENOLCK: 37, ENOLINK: 67, ENOMEM: 12, ENOMSG: 42, ENOPROTOOPT: 92, ENOSPC: 28, ENOSR: 63, ENOSTR: 60, ENOSYS: 38, ENOTCONN: 107, ENOTDIR: 20, ENOTEMPTY: 39, ENOTSOCK: 88, ENOTSUP: 95, ENOTTY: 25, ENXIO: 6, EOPNOTSUPP: 95, EOVERFLOW: 75, EPERM: 1, EPIPE: 32, EPROTO: 71, EPROTONOSUPPORT: 93, EPROTOTYPE: 91, ERANGE: 34, EROFS: 30, ESPIPE: 29, ESRCH: 3, ESTALE: 116, ETIME: 62, ETIMEDOUT: 110, ETXTBSY: 26, EWOULDBLOCK: 11, EXDEV: 18 }),
  signals: freeze({ __proto__: null, SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGIOT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGCHLD: 17, SIGSTKFLT: 16, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPOLL: 29, SIGPWR: 30, SIGSYS: 31 }),
  priority: freeze({ __proto__: null, PRIORITY_LOW: 19, PRIORITY_BELOW_NORMAL: 10, PRIORITY_NORMAL: 0, PRIORITY_ABOVE_NORMAL: -7, PRIORITY_HIGH: -14, PRIORITY_HIGHEST: -20 }),
});

function hostname() { return info.hostname; }
function homedir() {
  const home = require('process').getProcess().env.HOME;
  return typeof home === 'string' && home !== '' ? home : HOME;
}
function tmpdir() {
  const env = require('process').getProcess().env;
  let path = env.TMPDIR || env.TMP || env.TEMP || '/tmp';
  if (path.length > 1 && path[path.length - 1] === '/') path = StringPrototypeSlice(path, 0, -1);
  return path;
}
function userInfo(options) {
  const asBuffer = options !== null && typeof options === 'object' && options.encoding === 'buffer';
  const enc = (s) => (asBuffer ? require('buffer').Buffer.from(s) : s);
  return { __proto__: null, uid: 1000, gid: 1000, username: enc(info.username), homedir: enc(HOME), shell: enc('/bin/sh') };
}
function cpus() {
  const out = [];
  for (let i = 0; i < info.cpus; i++) {
    ArrayPrototypePush(out, { model: info.cpuModel, speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } });
  }
  return out;
}
function availableParallelism() { return info.cpus; }
function totalmem() { return info.totalmem; }
function freemem() {
  const used = native.v8_heap_stats()[1];
  return used < info.totalmem ? info.totalmem - used : 0;
}
function loadavg() { return [0, 0, 0]; }
function uptime() { return require('process').getProcess().uptime(); }
function networkInterfaces() {
  return {
    lo: [
      { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' },
      { address: '::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', family: 'IPv6', mac: '00:00:00:00:00:00', internal: true, cidr: '::1/128', scopeid: 0 },
    ],
  };
}
function validatePid(pid, hideFrom) {
  if (pid !== undefined) errors.validateInteger(pid, 'pid', -2147483648, 2147483647, hideFrom);
}
function getPriority(pid) {
  validatePid(pid, getPriority);
  return 0;
}
function setPriority(pid, priority) {
  if (priority === undefined) {
    priority = pid;
    pid = 0;
  }
  validatePid(pid, setPriority);
  errors.validateInteger(priority, 'priority', -20, 19, setPriority);
}

const os = {
  arch() { return config.arch; },
  availableParallelism,
  cpus,
  endianness() { return 'LE'; },
  freemem,
  getPriority,
  homedir,
  hostname,
  loadavg,
  networkInterfaces,
  platform() { return config.platform; },
  release() { return info.release; },
  setPriority,
  tmpdir,
  totalmem,
  type() { return 'Linux'; },
  userInfo,
  uptime,
  version() { return info.version; },
  machine() { return 'x86_64'; },
  constants,
  EOL: '\n',
  devNull: '/dev/null',
};

exports.os = os;
