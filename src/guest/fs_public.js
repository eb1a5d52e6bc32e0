'use strict';
// The object `require('fs')` returns: the API of fs.js plus the streams
// and `promises`, each made once per guest process.

const { ObjectDefineProperty, ObjectKeys } = require('primordials');

let mod;
function fs() {
  if (mod !== undefined) return mod;
  const { api } = require('fs');
  const streams = require('fs_streams');
  mod = {};
  const keys = ObjectKeys(api);
  for (let i = 0; i < keys.length; i++) mod[keys[i]] = api[keys[i]];
  mod.createReadStream = streams.createReadStream;
  mod.createWriteStream = streams.createWriteStream;
  mod.ReadStream = streams.ReadStream;
  mod.WriteStream = streams.WriteStream;
  ObjectDefineProperty(mod, 'promises', {
    __proto__: null,
    enumerable: true,
    configurable: true,
    get() { return require('fs_promises').promises; },
  });
  return mod;
}

exports.fs = fs;
