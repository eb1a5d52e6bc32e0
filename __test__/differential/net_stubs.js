const net = require('net');
const http = require('http');
const dns = require('dns');
for (const s of ['::', '::1', '1::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::', '::2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8::',
  '::ffff:1.2.3.4', 'fe80::1%eth0', 'fe80::1%', '1.2.3.04', '1.2.3.4.5', '256.1.1.1', '0.0.0.0', ':::',
  '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '::1.2.3.4', '12345::', 'g::', '1::2::3', 'fe80::1%a:b', '', 1,
  '127.0.0.1', '255.255.255.255', '1.2.3', 'a.b.c.d', '::ffff:256.1.1.1']) {
  console.log(JSON.stringify(s), net.isIP(s), net.isIPv4(s), net.isIPv6(s));
}
console.log(http.METHODS.length, http.STATUS_CODES[418], http.STATUS_CODES[511], http.maxHeaderSize);
console.log(dns.ADDRCONFIG, dns.ALL, dns.V4MAPPED, dns.NOTFOUND, dns.promises === require('dns/promises'));
for (const f of [() => http.validateHeaderName('a b'), () => http.validateHeaderValue('x', 'a\n'),
  () => http.validateHeaderValue('x', undefined), () => http.validateHeaderName('ok-name')]) {
  try { console.log('no error', f()); } catch (e) { console.log(e.name, e.code, e.message); }
}
for (const name of ['child_process', 'net', 'http', 'https', 'http2', 'dns', 'dns/promises', 'dgram', 'tls',
  '_http_agent', '_http_client', '_http_incoming', '_http_outgoing', '_http_server', '_tls_common', '_tls_wrap']) {
  console.log(name, Object.keys(require(name)).join(' '));
}
console.log(JSON.stringify(require('http2').getDefaultSettings()));
const c = require('http2').constants;
console.log(Object.keys(c).length, c.HTTP2_HEADER_STATUS, c.NGHTTP2_CANCEL, c.HTTP2_METHOD_GET, c.HTTP_STATUS_OK);
