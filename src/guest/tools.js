'use strict';
// Host tools (`create({ tools })`): `await tools.name(args)` asks the host
// through an async op; `tools.name.sync(args)` waits for the answer on the
// guest thread. Arguments are structured-cloned by the engine itself; the
// host's result comes back the same way.

const { ObjectDefineProperty: defineProperty, ObjectFreeze: freeze } = require('primordials');
const ops = require('ops');
const hostCall = native.host_call;
const hostCallSync = native.host_call_sync;

function makeTool(name) {
  const tool = {
    [name](args) {
      return ops.callAsync(hostCall, tool, [name, args]);
    },
  }[name];
  defineProperty(tool, 'sync', {
    __proto__: null,
    value: function sync(args) {
      return ops.check(hostCallSync(name, args), sync);
    },
    enumerable: false,
  });
  return freeze(tool);
}

function createTools(names) {
  const tools = { __proto__: null };
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    defineProperty(tools, name, { __proto__: null, value: makeTool(name), enumerable: true });
  }
  return freeze(tools);
}

let publicTools;
// The same object as the `tools` global, for `require('secure-exec:tools')`.
function getTools() {
  if (publicTools === undefined) publicTools = createTools(config.tools || []);
  return publicTools;
}

exports.getTools = getTools;
