'use strict';
// require('domain'), deprecated in Node: domains exist and can be entered,
// exited and run, but errors are not routed to them (an error thrown in a
// domain is an ordinary uncaught exception).

const {
  ArrayPrototypeIndexOf,
  ArrayPrototypePop,
  ArrayPrototypePush,
  ReflectApply,
  SafeArraySplice,
} = require('primordials');
const { EventEmitter } = require('events');

const stack = [];
const api = {};

class Domain extends EventEmitter {
  constructor() {
    super();
    this.members = [];
  }

  enter() {
    api.active = this;
    ArrayPrototypePush(stack, this);
  }

  exit() {
    const i = ArrayPrototypeIndexOf(stack, this);
    if (i === -1) return;
    SafeArraySplice(stack, i, stack.length - i);
    api.active = stack.length === 0 ? null : stack[stack.length - 1];
  }

  add(ee) {
    if (ArrayPrototypeIndexOf(this.members, ee) === -1) ArrayPrototypePush(this.members, ee);
  }

  remove(ee) {
    const i = ArrayPrototypeIndexOf(this.members, ee);
    if (i !== -1) SafeArraySplice(this.members, i, 1);
  }

  run(fn, ...args) {
    this.enter();
    try {
      return ReflectApply(fn, this, args);
    } finally {
      this.exit();
    }
  }

  bind(cb) {
    const self = this;
    return function bound(...args) {
      self.enter();
      try {
        return ReflectApply(cb, this, args);
      } finally {
        self.exit();
      }
    };
  }

  intercept(cb) {
    const self = this;
    return function intercepted(err, ...args) {
      if (err) {
        self.emit('error', err);
        return;
      }
      self.enter();
      try {
        return ReflectApply(cb, this, args);
      } finally {
        self.exit();
      }
    };
  }

  dispose() {
    this.exit();
    ArrayPrototypePop(this.members);
    this.members = [];
  }
}

function create() {
  return new Domain();
}

api._stack = stack;
api.Domain = Domain;
api.createDomain = create;
api.create = create;
api.active = null;

exports.api = api;
