'use strict';
// require('v8'): serialize/deserialize in V8's format with Node's typed
// array records (engine ops v8_serialize/v8_deserialize; bytes to read are
// checked in Rust first, kernel::serdes), heap statistics of the guest's
// isolate. Flags, snapshots, coverage and profilers are the host's: they
// do nothing or fail with ERR_SANDBOX_UNSUPPORTED.

const {
  ArrayBufferIsView,
  Error,
  ErrorCaptureStackTrace,
  ObjectFreeze,
  TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset,
} = require('primordials');

const errors = () => require('errors');

function unsupported(name, hideFrom) {
  const err = new Error(`v8.${name} is not supported in this sandbox`);
  ErrorCaptureStackTrace(err, hideFrom);
  errors().defineCode(err, 'ERR_SANDBOX_UNSUPPORTED');
  return err;
}

function bufferProto() {
  return require('buffer').Buffer.prototype;
}

function serialize(value) {
  const u8 = native.v8_serialize(value, bufferProto());
  const { Buffer } = require('buffer');
  return Buffer.from(TypedArrayPrototypeGetBuffer(u8), TypedArrayPrototypeGetByteOffset(u8),
    TypedArrayPrototypeGetByteLength(u8));
}

function deserialize(buffer) {
  if (!ArrayBufferIsView(buffer)) {
    throw errors().makeNodeError(require('primordials').TypeError, 'ERR_INVALID_ARG_TYPE',
      'buffer must be a TypedArray or a DataView', deserialize);
  }
  return native.v8_deserialize(buffer, bufferProto());
}

function getHeapStatistics() {
  const s = native.v8_heap_stats();
  return {
    total_heap_size: s[0],
    total_heap_size_executable: 0,
    total_physical_size: s[4],
    total_available_size: s[5] > s[1] ? s[5] - s[1] : 0,
    used_heap_size: s[1],
    heap_size_limit: s[5],
    malloced_memory: 0,
    peak_malloced_memory: 0,
    does_zap_garbage: 0,
    number_of_native_contexts: 1,
    number_of_detached_contexts: 0,
    total_global_handles_size: 0,
    used_global_handles_size: 0,
    external_memory: s[2],
  };
}

function getHeapSpaceStatistics() {
  const spaces = native.v8_heap_spaces();
  const out = [];
  for (let i = 0; i < spaces.length; i++) {
    const s = spaces[i];
    out[i] = {
      space_name: s[0],
      space_size: s[1],
      space_used_size: s[2],
      space_available_size: s[3],
      physical_space_size: s[4],
    };
  }
  return out;
}

function getHeapCodeStatistics() {
  return {
    code_and_metadata_size: 0,
    bytecode_and_metadata_size: 0,
    external_script_source_size: 0,
    cpu_profiler_metadata_size: 0,
  };
}

function cachedDataVersionTag() {
  return native.v8_cached_data_version_tag();
}

// V8 flags are the whole sidecar's: a guest never sets them.
function setFlagsFromString(flags) {
  if (typeof flags !== 'string') throw errors().invalidArgType('flags', 'string', flags, setFlagsFromString);
}

function failing(name) {
  const fn = {
    [name]() { throw unsupported(name, fn); },
  }[name];
  return fn;
}

function failingClass(name) {
  const C = { [name]: class { constructor() { throw unsupported(name, C); } } }[name];
  return C;
}

const Serializer = failingClass('Serializer');
const Deserializer = failingClass('Deserializer');
class DefaultSerializer extends Serializer {}
class DefaultDeserializer extends Deserializer {}

const promiseHooks = ObjectFreeze({
  createHook: failing('promiseHooks.createHook'),
  onInit: failing('promiseHooks.onInit'),
  onBefore: failing('promiseHooks.onBefore'),
  onAfter: failing('promiseHooks.onAfter'),
  onSettled: failing('promiseHooks.onSettled'),
});

const startupSnapshot = ObjectFreeze({
  addDeserializeCallback: failing('startupSnapshot.addDeserializeCallback'),
  addSerializeCallback: failing('startupSnapshot.addSerializeCallback'),
  setDeserializeMainFunction: failing('startupSnapshot.setDeserializeMainFunction'),
  isBuildingSnapshot() { return false; },
});

exports.api = {
  cachedDataVersionTag,
  getHeapSnapshot: failing('getHeapSnapshot'),
  getHeapStatistics,
  getHeapSpaceStatistics,
  getHeapCodeStatistics,
  setFlagsFromString,
  Serializer,
  Deserializer,
  DefaultSerializer,
  DefaultDeserializer,
  deserialize,
  takeCoverage: failing('takeCoverage'),
  stopCoverage: failing('stopCoverage'),
  serialize,
  writeHeapSnapshot: failing('writeHeapSnapshot'),
  promiseHooks,
  queryObjects: failing('queryObjects'),
  startupSnapshot,
  setHeapSnapshotNearHeapLimit: failing('setHeapSnapshotNearHeapLimit'),
  GCProfiler: failingClass('GCProfiler'),
};
