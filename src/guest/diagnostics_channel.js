'use strict';
// require('diagnostics_channel'): named channels, their subscribers and
// bound AsyncLocalStorage stores, and tracing channels. A channel with
// subscribers or stores becomes an ActiveChannel, as in Node.

const {
  ArrayPrototypeIndexOf,
  ArrayPrototypePush,
  Map,
  MapIteratorPrototypeNext,
  MapPrototypeDelete,
  MapPrototypeEntries,
  MapPrototypeGet,
  MapPrototypeGetSize,
  MapPrototypeHas,
  MapPrototypeSet,
  ObjectDefineProperty,
  ObjectGetPrototypeOf,
  ObjectSetPrototypeOf,
  Promise,
  PromisePrototypeThen,
  PromiseReject,
  PromiseResolve,
  ReflectApply,
  SafeArraySlice,
  SafeArraySplice,
  SymbolHasInstance,
} = require('primordials');

const errors = () => require('errors');

function validateFunction(value, name, hideFrom) {
  if (typeof value !== 'function') throw errors().invalidArgType(name, 'function', value, hideFrom);
}

// A subscriber's or transform's exception: thrown from a tick of its own,
// so the publisher carries on (as Node does).
function reportLater(err) {
  require('timers').nextTick(() => { throw err; });
}

function wrapStoreRun(store, data, next, transform) {
  return () => {
    let context;
    try {
      context = transform !== undefined ? transform(data) : data;
    } catch (err) {
      reportLater(err);
      return next();
    }
    return store.run(context, next);
  };
}

class ActiveChannel {
  subscribe(subscription) {
    validateFunction(subscription, 'subscription', this.subscribe);
    ArrayPrototypePush(this._subscribers, subscription);
  }

  unsubscribe(subscription) {
    const i = ArrayPrototypeIndexOf(this._subscribers, subscription);
    if (i === -1) return false;
    // A copy, so a publish in progress still reaches everyone it started with.
    const next = SafeArraySlice(this._subscribers);
    SafeArraySplice(next, i, 1);
    this._subscribers = next;
    maybeDeactivate(this);
    return true;
  }

  bindStore(store, transform) {
    MapPrototypeSet(this._stores, store, transform);
  }

  unbindStore(store) {
    if (!MapPrototypeHas(this._stores, store)) return false;
    MapPrototypeDelete(this._stores, store);
    maybeDeactivate(this);
    return true;
  }

  get hasSubscribers() {
    return true;
  }

  publish(data) {
    const subscribers = this._subscribers;
    for (let i = 0; i < subscribers.length; i++) {
      try {
        const fn = subscribers[i];
        fn(data, this.name);
      } catch (err) {
        reportLater(err);
      }
    }
  }

  runStores(data, fn, thisArg, ...args) {
    let run = () => {
      this.publish(data);
      return ReflectApply(fn, thisArg, args);
    };
    const it = MapPrototypeEntries(this._stores);
    for (;;) {
      const step = MapIteratorPrototypeNext(it);
      if (step.done) break;
      run = wrapStoreRun(step.value[0], data, run, step.value[1]);
    }
    return run();
  }
}

function maybeDeactivate(channel) {
  if (channel._subscribers.length === 0 && MapPrototypeGetSize(channel._stores) === 0) {
    ObjectSetPrototypeOf(channel, Channel.prototype);
    channel._subscribers = undefined;
    channel._stores = undefined;
  }
}

function markActive(channel) {
  ObjectSetPrototypeOf(channel, ActiveChannel.prototype);
  channel._subscribers = [];
  channel._stores = new Map();
}

class Channel {
  constructor(name) {
    this._subscribers = undefined;
    this._stores = undefined;
    this.name = name;
  }

  static [SymbolHasInstance](instance) {
    const proto = instance !== null && typeof instance === 'object' ? ObjectGetPrototypeOf(instance) : null;
    return proto === Channel.prototype || proto === ActiveChannel.prototype;
  }

  subscribe(subscription) {
    markActive(this);
    this.subscribe(subscription);
  }

  unsubscribe() {
    return false;
  }

  bindStore(store, transform) {
    markActive(this);
    this.bindStore(store, transform);
  }

  unbindStore() {
    return false;
  }

  get hasSubscribers() {
    return false;
  }

  publish() {}

  runStores(data, fn, thisArg, ...args) {
    return ReflectApply(fn, thisArg, args);
  }
}

const channels = new Map();

function channel(name) {
  const existing = MapPrototypeGet(channels, name);
  if (existing !== undefined) return existing;
  if (typeof name !== 'string' && typeof name !== 'symbol') {
    throw errors().invalidArgType('channel', ['string', 'symbol'], name, channel);
  }
  const ch = new Channel(name);
  MapPrototypeSet(channels, name, ch);
  return ch;
}

function subscribe(name, subscription) {
  return channel(name).subscribe(subscription);
}

function unsubscribe(name, subscription) {
  return channel(name).unsubscribe(subscription);
}

function hasSubscribers(name) {
  const ch = MapPrototypeGet(channels, name);
  return ch !== undefined && ch.hasSubscribers;
}

// ---- tracing channels ----

const traceEvents = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];

class TracingChannel {
  constructor(nameOrChannels) {
    for (let i = 0; i < traceEvents.length; i++) {
      const event = traceEvents[i];
      let ch;
      if (typeof nameOrChannels === 'string') {
        ch = channel(`tracing:${nameOrChannels}:${event}`);
      } else if (nameOrChannels !== null && typeof nameOrChannels === 'object') {
        ch = nameOrChannels[event];
        if (!(ch instanceof Channel)) {
          throw errors().invalidArgType(`nameOrChannels.${event}`, 'Channel', ch, tracingChannel);
        }
      } else {
        throw errors().invalidArgType('nameOrChannels', ['string', 'object', 'Channel'], nameOrChannels,
          tracingChannel);
      }
      ObjectDefineProperty(this, event, {
        __proto__: null, value: ch, writable: false, enumerable: false, configurable: true,
      });
    }
  }

  get hasSubscribers() {
    return this.start.hasSubscribers || this.end.hasSubscribers || this.asyncStart.hasSubscribers ||
      this.asyncEnd.hasSubscribers || this.error.hasSubscribers;
  }

  subscribe(handlers) {
    for (let i = 0; i < traceEvents.length; i++) {
      const fn = handlers[traceEvents[i]];
      if (fn !== undefined) this[traceEvents[i]].subscribe(fn);
    }
  }

  unsubscribe(handlers) {
    let done = true;
    for (let i = 0; i < traceEvents.length; i++) {
      const fn = handlers[traceEvents[i]];
      if (fn !== undefined && !this[traceEvents[i]].unsubscribe(fn)) done = false;
    }
    return done;
  }

  traceSync(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return ReflectApply(fn, thisArg, args);
    const { start, end, error } = this;
    return start.runStores(context, () => {
      try {
        const result = ReflectApply(fn, thisArg, args);
        context.result = result;
        return result;
      } catch (err) {
        context.error = err;
        error.publish(context);
        throw err;
      } finally {
        end.publish(context);
      }
    });
  }

  tracePromise(fn, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return ReflectApply(fn, thisArg, args);
    const { start, end, asyncStart, asyncEnd, error } = this;
    const resolve = (result) => {
      context.result = result;
      asyncStart.publish(context);
      asyncEnd.publish(context);
      return result;
    };
    const reject = (err) => {
      context.error = err;
      error.publish(context);
      asyncStart.publish(context);
      asyncEnd.publish(context);
      return PromiseReject(err);
    };
    return start.runStores(context, () => {
      try {
        let promise = ReflectApply(fn, thisArg, args);
        if (!(promise instanceof Promise)) promise = PromiseResolve(promise);
        return PromisePrototypeThen(promise, resolve, reject);
      } catch (err) {
        context.error = err;
        error.publish(context);
        throw err;
      } finally {
        end.publish(context);
      }
    });
  }

  traceCallback(fn, position = -1, context = {}, thisArg, ...args) {
    if (!this.hasSubscribers) return ReflectApply(fn, thisArg, args);
    const { start, end, asyncStart, asyncEnd, error } = this;
    const index = position < 0 ? args.length + position : position;
    const callback = args[index];
    validateFunction(callback, 'callback', this.traceCallback);
    args[index] = function wrappedCallback(err, res) {
      if (err) {
        context.error = err;
        error.publish(context);
      } else {
        context.result = res;
      }
      const self = this;
      const callArgs = arguments;
      return asyncStart.runStores(context, () => {
        try {
          return ReflectApply(callback, self, callArgs);
        } finally {
          asyncEnd.publish(context);
        }
      });
    };
    return start.runStores(context, () => {
      try {
        return ReflectApply(fn, thisArg, args);
      } catch (err) {
        context.error = err;
        error.publish(context);
        throw err;
      } finally {
        end.publish(context);
      }
    });
  }
}

function tracingChannel(nameOrChannels) {
  return new TracingChannel(nameOrChannels);
}

exports.api = {
  channel,
  hasSubscribers,
  subscribe,
  tracingChannel,
  unsubscribe,
  Channel,
};
