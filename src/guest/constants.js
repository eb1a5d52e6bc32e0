'use strict';
// require('constants') (deprecated in Node): os, fs and crypto constants in
// one frozen object, in Node's order.

const { ObjectFreeze, ObjectKeys } = require('primordials');

let merged;
function constants() {
  if (merged !== undefined) return merged;
  const out = {};
  const add = (obj) => {
    if (obj === undefined || obj === null) return;
    const keys = ObjectKeys(obj);
    for (let i = 0; i < keys.length; i++) out[keys[i]] = obj[keys[i]];
  };
  const os = require('os').os.constants;
  add(os.dlopen);
  add(os.errno);
  add(os.priority);
  add(os.signals);
  add(require('fs_public').fs().constants);
  // Crypto's constants, when the sandbox has the module.
  const modules = require('modules');
  if (modules.isBuiltin('crypto')) {
    try {
      add(modules.require('crypto').constants);
    } catch {
      // Not loadable here: its constants are left out.
    }
  }
  merged = ObjectFreeze(out);
  return merged;
}

exports.constants = constants;
