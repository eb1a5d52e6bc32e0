'use strict';
// The diagnostic ops, for the test suite and the benchmark only
// (`create({ testOps: true })`): each is a thin wrapper, as a real builtin
// over an op would be.

const { ObjectFreeze } = require('primordials');
const ops = require('ops');
const raw = {
  nop: native.test_nop,
  bytes: native.test_bytes,
  args: native.test_args,
  fail: native.test_fail,
  probe: native.test_probe,
  stat: native.test_stat,
  sleep: native.test_sleep,
  tsTransforms: native.test_ts_transforms,
};
// Stat ops leave their fields here (Node's statValues) instead of
// returning an object.
const statValues = native.stat_values;

const testOps = {
  nop() { return ops.check(raw.nop(), testOps.nop); },
  bytes(buf) { return ops.check(raw.bytes(buf), testOps.bytes); },
  args(fd, path, flag) { return ops.check(raw.args(fd, path, flag), testOps.args); },
  fail(errno, path, dest) { return ops.check(raw.fail(errno, path, dest), testOps.fail); },
  probe(errno) { return ops.check(raw.probe(errno), testOps.probe); },
  stat(seed) {
    ops.check(raw.stat(seed), testOps.stat);
    const out = [];
    for (let i = 0; i < 18; i++) out[i] = statValues[i];
    return out;
  },
  sleep(ms, failErrno) { return ops.callAsync(raw.sleep, testOps.sleep, [ms, failErrno]); },
  // TypeScript transforms the runtime made (not served from its cache).
  tsTransforms() { return ops.check(raw.tsTransforms(), testOps.tsTransforms); },
  ref(promise) { ops.setRef(promise, true); return promise; },
  unref(promise) { ops.setRef(promise, false); return promise; },
};

exports.testOps = ObjectFreeze(testOps);
