// The shape of each module object (keys, function names, accessors), as inspect shows it.
const util = require('util');
for (const name of ['util', 'util/types', 'events', 'assert', 'url', 'querystring', 'punycode', 'buffer']) {
  console.log(`== ${name}`);
  console.log(util.inspect(require(name), { depth: 1, breakLength: 120 }));
}
console.log(util.inspect(require('assert').strict, { depth: 0 }));
