'use strict';
// The object `require('fs')` returns: the API of fs.js plus the streams
// and `promises` (both loaded on first use), made once per guest process.

const { ObjectDefineProperty, ObjectKeys } = require('primordials');

let mod;
function fs() {
  if (mod !== undefined) return mod;
  const { api } = require('fs');
  mod = {};
  const keys = ObjectKeys(api);
  for (let i = 0; i < keys.length; i++) mod[keys[i]] = api[keys[i]];
  // The streams load on first use, as in Node: loading stream's modules
  // costs a call that never uses them, and they read globals as they load.
  mod.createReadStream = function createReadStream(path, options) {
    return require('fs_streams').createReadStream(path, options);
  };
  mod.createWriteStream = function createWriteStream(path, options) {
    return require('fs_streams').createWriteStream(path, options);
  };
  streamClass('ReadStream', 'ReadStream');
  streamClass('WriteStream', 'WriteStream');
  streamClass('FileReadStream', 'ReadStream');
  streamClass('FileWriteStream', 'WriteStream');
  ObjectDefineProperty(mod, 'promises', {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() { return require('fs_promises').promises; },
  });
  return mod;
}

// `fs.<name>`: an accessor to the stream class `cls`, replaceable.
function streamClass(name, cls) {
  let value;
  let set = false;
  ObjectDefineProperty(mod, name, {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() { return set ? value : require('fs_streams')[cls]; },
    set(v) {
      value = v;
      set = true;
    },
  });
}

exports.fs = fs;
