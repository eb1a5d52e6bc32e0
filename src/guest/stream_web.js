'use strict';
// require('stream/web'): the WHATWG streams of web-streams-polyfill (the
// `wsp/ponyfill` module, see vendor.rs), and the adapters between them and
// Node's streams (Readable.fromWeb/toWeb, ...).

exports.adapters = { __proto__: null };
