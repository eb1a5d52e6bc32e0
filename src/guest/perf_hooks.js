'use strict';
// require('perf_hooks'): the global performance (web.js), a
// PerformanceObserver for 'mark' and 'measure' entries (the only kinds the
// sandbox makes), and histograms. Histograms keep exact values: percentiles
// of large values can differ from Node's HDR histogram, which rounds them.

const {
  ArrayIsArray,
  ArrayPrototypeIncludes,
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  ArrayPrototypeSort,
  Map,
  MapPrototypeSet,
  MathCeil,
  MathMax,
  MathMin,
  MathRound,
  MathSqrt,
  Number,
  NumberIsInteger,
  ObjectFreeze,
  SafeArrayFilter,
  SafeArraySlice,
  SafeArraySplice,
  TypeError,
} = require('primordials');
const web = require('web');

const errors = () => require('errors');

const supportedEntryTypes = ObjectFreeze(['dns', 'function', 'gc', 'http', 'http2', 'mark', 'measure', 'net',
  'resource']);

class PerformanceObserverEntryList {
  #entries;
  constructor(entries) {
    this.#entries = entries;
  }
  getEntries() {
    return SafeArraySlice(this.#entries);
  }
  getEntriesByType(type) {
    type = `${type}`;
    return SafeArrayFilter(this.#entries, (e) => e.entryType === type);
  }
  getEntriesByName(name, type = undefined) {
    name = `${name}`;
    return SafeArrayFilter(this.#entries, (e) => e.name === name && (type === undefined || e.entryType === `${type}`));
  }
}

// Observers that want entries, and each one's buffered entries.
const observers = [];

function deliver(entry) {
  for (let i = 0; i < observers.length; i++) {
    const o = observers[i];
    if (ArrayPrototypeIncludes(o.types, entry.entryType)) {
      ArrayPrototypePush(o.buffer, entry);
      if (!o.scheduled) {
        o.scheduled = true;
        // Node hands buffered entries over asynchronously, in a batch.
        require('timers').setImmediate(() => flush(o)).unref();
      }
    }
  }
}

function flush(o) {
  o.scheduled = false;
  if (o.buffer.length === 0) return;
  // In time order, as Node hands them over.
  ArrayPrototypeSort(o.buffer, (a, b) => a.startTime - b.startTime);
  const list = new PerformanceObserverEntryList(o.buffer);
  o.buffer = [];
  o.callback(list, o.observer);
}

function updateHook() {
  web.setEntryObserver(observers.length > 0 ? deliver : null);
}

class PerformanceObserver {
  #state;
  constructor(callback) {
    if (typeof callback !== 'function') throw errors().invalidArgType('callback', 'Function', callback, PerformanceObserver);
    this.#state = { __proto__: null, callback, observer: this, types: [], buffer: [], scheduled: false };
  }

  static get supportedEntryTypes() {
    return supportedEntryTypes;
  }

  observe(options = {}) {
    if (options === null || typeof options !== 'object') {
      throw errors().invalidArgType('options', 'Object', options, this.observe);
    }
    const { entryTypes, type, buffered } = options;
    if (entryTypes === undefined && type === undefined) {
      throw errors().makeNodeError(TypeError, 'ERR_MISSING_ARGS', 'The "options.entryTypes" and "options.type" arguments must be specified', this.observe);
    }
    if (entryTypes !== undefined && type !== undefined) {
      throw errors().makeNodeError(TypeError, 'ERR_INVALID_ARG_VALUE',
        "The property 'options.entryTypes' can not be used with 'options.type'. Received " +
        require('util').inspect(entryTypes), this.observe);
    }
    const st = this.#state;
    if (entryTypes !== undefined) {
      if (!ArrayIsArray(entryTypes)) throw errors().invalidArgType('options.entryTypes', 'string[]', entryTypes, this.observe);
      st.types = SafeArrayFilter(entryTypes, (t) => ArrayPrototypeIncludes(supportedEntryTypes, t));
    } else {
      if (!ArrayPrototypeIncludes(supportedEntryTypes, type)) return;
      if (!ArrayPrototypeIncludes(st.types, type)) ArrayPrototypePush(st.types, type);
      if (buffered) {
        const existing = web.performance.getEntriesByType(type);
        for (let i = 0; i < existing.length; i++) deliverTo(st, existing[i]);
      }
    }
    if (st.types.length === 0) {
      this.disconnect();
      return;
    }
    if (ArrayPrototypeIndexOf(observers, st) === -1) {
      ArrayPrototypePush(observers, st);
      updateHook();
    }
  }

  disconnect() {
    const st = this.#state;
    const i = ArrayPrototypeIndexOf(observers, st);
    if (i !== -1) {
      SafeArraySplice(observers, i, 1);
      updateHook();
    }
    st.buffer = [];
  }

  takeRecords() {
    const st = this.#state;
    const list = st.buffer;
    st.buffer = [];
    return list;
  }
}

function deliverTo(st, entry) {
  ArrayPrototypePush(st.buffer, entry);
  if (!st.scheduled) {
    st.scheduled = true;
    require('timers').setImmediate(() => flush(st)).unref();
  }
}

class PerformanceResourceTiming {
  constructor() {
    throw errors().makeNodeError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor', PerformanceResourceTiming);
  }
}

// ---- histograms ----

const INT64_MAX = 9223372036854776000;

class Histogram {
  #values = [];
  #sorted = true;
  #exceeds = 0;

  get min() { return this.#values.length === 0 ? INT64_MAX : this.#sortedValues()[0]; }
  get max() { return this.#values.length === 0 ? 0 : this.#sortedValues()[this.#values.length - 1]; }
  get count() { return this.#values.length; }
  get exceeds() { return this.#exceeds; }
  get mean() {
    const v = this.#values;
    if (v.length === 0) return NaN;
    let sum = 0;
    for (let i = 0; i < v.length; i++) sum += v[i];
    return sum / v.length;
  }
  get stddev() {
    const v = this.#values;
    if (v.length === 0) return NaN;
    const mean = this.mean;
    let sq = 0;
    for (let i = 0; i < v.length; i++) sq += (v[i] - mean) * (v[i] - mean);
    return MathSqrt(sq / v.length);
  }

  percentile(percentile) {
    if (typeof percentile !== 'number') throw errors().invalidArgType('percentile', 'number', percentile, this.percentile);
    if (!(percentile > 0 && percentile <= 100)) {
      throw errors().outOfRange('percentile', '> 0 && <= 100', percentile, this.percentile);
    }
    return this.#at(percentile);
  }

  get percentiles() {
    const out = new Map();
    const v = this.#values;
    if (v.length === 0) {
      MapPrototypeSet(out, 100, 0);
      return out;
    }
    const max = this.max;
    MapPrototypeSet(out, 0, this.min);
    // Halving steps towards 100, as HDR histograms report them.
    for (let p = 50; ; p = 100 - (100 - p) / 2) {
      const value = this.#at(p);
      MapPrototypeSet(out, p, value);
      if (value >= max || p >= 100) break;
    }
    MapPrototypeSet(out, 100, max);
    return out;
  }

  reset() {
    this.#values = [];
    this.#sorted = true;
    this.#exceeds = 0;
  }

  #at(percentile) {
    const v = this.#sortedValues();
    if (v.length === 0) return 0;
    const rank = MathMax(1, MathMin(v.length, MathCeil((percentile / 100) * v.length)));
    return v[rank - 1];
  }

  #sortedValues() {
    if (!this.#sorted) {
      ArrayPrototypeSort(this.#values, (a, b) => a - b);
      this.#sorted = true;
    }
    return this.#values;
  }

  _record(value) {
    ArrayPrototypePush(this.#values, value);
    this.#sorted = false;
  }

  _add(other) {
    const v = other.#values;
    for (let i = 0; i < v.length; i++) this._record(v[i]);
  }
}

class RecordableHistogram extends Histogram {
  #prev = undefined;

  record(val) {
    if (typeof val === 'bigint') val = Number(val);
    errors().validateInteger(val, 'val', 1, undefined, this.record);
    this._record(val);
  }

  recordDelta() {
    const now = require('web').performance.now() * 1e6;
    if (this.#prev !== undefined) this._record(MathMax(1, MathRound(now - this.#prev)));
    this.#prev = now;
  }

  add(other) {
    if (!(other instanceof RecordableHistogram)) {
      throw errors().invalidArgType('other', 'RecordableHistogram', other, this.add);
    }
    this._add(other);
  }
}

class IntervalHistogram extends Histogram {
  #timer = null;
  #resolution;
  #last = 0;

  constructor(resolution) {
    super();
    this.#resolution = resolution;
  }

  enable() {
    if (this.#timer !== null) return false;
    const timers = require('timers');
    this.#last = require('web').performance.now();
    this.#timer = timers.setInterval(() => {
      const now = require('web').performance.now();
      const delay = (now - this.#last - this.#resolution) * 1e6;
      this._record(MathMax(1, MathRound(delay)));
      this.#last = now;
    }, this.#resolution);
    this.#timer.unref();
    return true;
  }

  disable() {
    if (this.#timer === null) return false;
    require('timers').clearInterval(this.#timer);
    this.#timer = null;
    return true;
  }
}

function createHistogram(options = {}) {
  if (options === null || typeof options !== 'object') throw errors().invalidArgType('options', 'Object', options, createHistogram);
  return new RecordableHistogram();
}

function monitorEventLoopDelay(options = {}) {
  if (options === null || typeof options !== 'object') {
    throw errors().invalidArgType('options', 'Object', options, monitorEventLoopDelay);
  }
  const { resolution = 10 } = options;
  if (typeof resolution !== 'number') throw errors().invalidArgType('options.resolution', 'number', resolution, monitorEventLoopDelay);
  if (!(resolution > 0) || !NumberIsInteger(resolution)) {
    throw errors().outOfRange('options.resolution', '>= 1 && <= 9007199254740991', resolution, monitorEventLoopDelay);
  }
  return new IntervalHistogram(resolution);
}

const constants = ObjectFreeze({
  NODE_PERFORMANCE_GC_MAJOR: 4,
  NODE_PERFORMANCE_GC_MINOR: 1,
  NODE_PERFORMANCE_GC_INCREMENTAL: 8,
  NODE_PERFORMANCE_GC_WEAKCB: 16,
  NODE_PERFORMANCE_GC_FLAGS_NO: 0,
  NODE_PERFORMANCE_GC_FLAGS_CONSTRUCT_RETAINED: 2,
  NODE_PERFORMANCE_GC_FLAGS_FORCED: 4,
  NODE_PERFORMANCE_GC_FLAGS_SYNCHRONOUS_PHANTOM_PROCESSING: 8,
  NODE_PERFORMANCE_GC_FLAGS_ALL_AVAILABLE_GARBAGE: 16,
  NODE_PERFORMANCE_GC_FLAGS_ALL_EXTERNAL_MEMORY: 32,
  NODE_PERFORMANCE_GC_FLAGS_SCHEDULE_IDLE: 64,
});

exports.api = {
  Performance: web.Performance,
  PerformanceEntry: web.PerformanceEntry,
  PerformanceMark: web.PerformanceMark,
  PerformanceMeasure: web.PerformanceMeasure,
  PerformanceObserver,
  PerformanceObserverEntryList,
  PerformanceResourceTiming,
  monitorEventLoopDelay,
  createHistogram,
  performance: web.performance,
  constants,
};
