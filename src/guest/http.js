'use strict';
// node:http: the server (http_server), the client and its agents
// (http_client), the messages (http_incoming, http_outgoing) and the
// framing (http_parser), over node:net and the kernel's socket table.

const { METHODS, STATUS_CODES, validateHeaderName, validateHeaderValue } = require('stubs');
const { Agent, ClientRequest, globalAgent } = require('http_client');
const { IncomingMessage } = require('http_incoming');
const { OutgoingMessage } = require('http_outgoing');
const { Server, ServerResponse, connectionListener } = require('http_server');
const { MAX_HEADER_SIZE } = require('http_parser');

function createServer(options, requestListener) {
  return new Server(options, requestListener);
}

function request(url, options, cb) {
  return new ClientRequest(url, options, cb);
}

function get(url, options, cb) {
  const req = request(url, options, cb);
  req.end();
  return req;
}

const api = {
  _connectionListener: connectionListener,
  METHODS,
  STATUS_CODES,
  Agent,
  ClientRequest,
  IncomingMessage,
  OutgoingMessage,
  Server,
  ServerResponse,
  createServer,
  validateHeaderName,
  validateHeaderValue,
  get,
  request,
  setMaxIdleHTTPParsers(max) {
    require('errors').validateInteger(max, 'max', 1);
  },
  maxHeaderSize: MAX_HEADER_SIZE,
  globalAgent,
};

exports.api = api;
