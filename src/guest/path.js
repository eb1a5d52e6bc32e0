'use strict';
// placeholder
exports.posix = {};
exports.win32 = {};
