'use strict';
// node:https clients: http's ClientRequest and Agent over tls.connect.
// Servers (`https.createServer`) are not written yet.

const http = require('http').api;
const tls = require('tls');
const stubs = require('stubs');

class Agent extends http.Agent {
  constructor(options) {
    super(options);
    this.defaultPort = 443;
    this.protocol = 'https:';
    this.maxCachedSessions = this.options.maxCachedSessions === undefined ? 100 : this.options.maxCachedSessions;
  }

  createConnection(options, cb) {
    const socket = tls.connect(options);
    if (typeof cb === 'function') {
      socket.once('secureConnect', () => cb(null, socket));
      socket.once('error', (e) => cb(e));
    }
    return socket;
  }

  getName(options = {}) {
    let name = super.getName(options);
    name += ':';
    if (options.ca) name += options.ca;
    name += ':';
    if (options.servername && options.servername !== options.host) name += options.servername;
    name += ':';
    if (options.rejectUnauthorized !== undefined) name += options.rejectUnauthorized;
    return name;
  }
}

const globalAgent = new Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 });

function request(...args) {
  let url;
  let options = {};
  let cb;
  if (typeof args[0] === 'string' || (args[0] !== null && typeof args[0] === 'object' && typeof args[0].href === 'string')) {
    url = args.shift();
  }
  if (args[0] !== null && typeof args[0] === 'object') options = { ...args.shift() };
  if (typeof args[0] === 'function') cb = args.shift();
  options._defaultAgent = globalAgent;
  return url === undefined ? new http.ClientRequest(options, cb) : new http.ClientRequest(url, options, cb);
}

function get(...args) {
  const req = request(...args);
  req.end();
  return req;
}

let api;
function https() {
  if (api === undefined) {
    api = stubs.withReal('https', { Agent, globalAgent, request, get });
  }
  return api;
}

exports.https = https;
