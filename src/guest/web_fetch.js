'use strict';
// fetch, Headers, Request, Response, FormData and WebSocket: undici's
// (vendored, see vendor.rs), as Node's own globals are. A fetch that fails
// gets a stack from the caller, as Node's wrapper gives it.

const { ErrorCaptureStackTrace, PromisePrototypeThen } = require('primordials');

const undici = require('undici/index-fetch');
const fetchImpl = undici.fetch;

function fetch(input, init = undefined) {
  return PromisePrototypeThen(fetchImpl(input, init), undefined, (err) => {
    if (err !== null && typeof err === 'object') ErrorCaptureStackTrace(err);
    throw err;
  });
}

exports.fetch = fetch;
exports.FormData = undici.FormData;
exports.Headers = undici.Headers;
exports.Request = undici.Request;
exports.Response = undici.Response;
exports.WebSocket = undici.WebSocket;
