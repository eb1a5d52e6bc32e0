// node-fetch 2 (CommonJS; http, stream, zlib, whatwg-url): text and JSON
// bodies, a POST with a stream body, redirects (followed and manual),
// gzip, headers, and errors, against a node:http server on a loopback port
// in the same process.
'use strict'
const http = require('http')
const zlib = require('zlib')
const { Readable } = require('stream')
const fetch = require('node-fetch')

const server = http.createServer((req, res) => {
  let body = ''
  req.on('data', (d) => (body += d))
  req.on('end', () => {
    if (req.url === '/json') {
      res.setHeader('Content-Type', 'application/json')
      return res.end(JSON.stringify({ method: req.method, body, te: req.headers['transfer-encoding'] || null }))
    }
    if (req.url === '/redirect') {
      res.writeHead(301, { Location: '/json' })
      return res.end()
    }
    if (req.url === '/gzip') {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'X-Many': ['a', 'b'] })
      return res.end(zlib.gzipSync('zipped '.repeat(10)))
    }
    res.writeHead(418, 'Teapot')
    res.end('short and stout')
  })
})

server.listen(0, '127.0.0.1', async () => {
  const base = `http://127.0.0.1:${server.address().port}`
  let r = await fetch(`${base}/json`)
  console.log(r.status, r.ok, r.headers.get('content-type'), JSON.stringify(await r.json()))
  r = await fetch(`${base}/json`, { method: 'POST', body: Readable.from(['a', 'b', 'c']) })
  console.log('stream body', JSON.stringify(await r.json()))
  r = await fetch(`${base}/redirect`)
  console.log('followed', r.status, r.redirected, r.url.replace(base, 'BASE'))
  r = await fetch(`${base}/redirect`, { redirect: 'manual' })
  console.log('manual', r.status, r.headers.get('location').replace(base, 'BASE'))
  r = await fetch(`${base}/gzip`)
  console.log('gzip', await r.text(), r.headers.raw()['x-many'])
  r = await fetch(`${base}/teapot`)
  console.log(r.status, r.statusText, await r.text())
  await fetch('http://127.0.0.1:1/').catch((e) => console.log('refused', e.name, e.type, e.code, e.message))
  server.close(() => console.log('closed'))
})
