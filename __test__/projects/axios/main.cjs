// axios (CommonJS; its Node adapter over http, follow-redirects, form-data,
// zlib): JSON requests and responses, a POST body, query params, a
// redirect, a gzip body, a 404 as an error, a timeout, and an abort, all
// against a node:http server on a loopback port in the same process.
'use strict'
const http = require('http')
const zlib = require('zlib')
const axios = require('axios')

const server = http.createServer((req, res) => {
  let body = ''
  req.on('data', (d) => (body += d))
  req.on('end', () => {
    const url = new URL(req.url, 'http://x')
    if (url.pathname === '/json') {
      res.setHeader('Content-Type', 'application/json')
      return res.end(JSON.stringify({ method: req.method, q: Object.fromEntries(url.searchParams), body: body && JSON.parse(body), ct: req.headers['content-type'] || null }))
    }
    if (url.pathname === '/redirect') {
      res.writeHead(302, { Location: '/json?from=redirect' })
      return res.end()
    }
    if (url.pathname === '/gzip') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': 'gzip' })
      return res.end(zlib.gzipSync('compressed text '.repeat(20)))
    }
    if (url.pathname === '/slow') return setTimeout(() => res.end('late'), 500)
    res.writeHead(404, { 'Content-Type': 'text/plain' })
    res.end('nothing at ' + url.pathname)
  })
})

server.listen(0, '127.0.0.1', async () => {
  const api = axios.create({ baseURL: `http://127.0.0.1:${server.address().port}` })
  let r = await api.get('/json', { params: { a: 1, b: 'two words' } })
  console.log(r.status, r.headers['content-type'], JSON.stringify(r.data))
  r = await api.post('/json', { items: [1, 2, 3] })
  console.log(r.status, JSON.stringify(r.data))
  r = await api.get('/redirect')
  console.log('redirect', r.status, JSON.stringify(r.data))
  r = await api.get('/gzip')
  console.log('gzip', r.data.length, r.data.slice(0, 16))
  await api.get('/missing').catch((e) => console.log('404', e.name, e.message, e.response.status, e.response.data))
  await api.get('/slow', { timeout: 50 }).catch((e) => console.log('timeout', e.code, e.message))
  const ac = new AbortController()
  setTimeout(() => ac.abort(), 20)
  await api.get('/slow', { signal: ac.signal }).catch((e) => console.log('abort', e.name, e.code, e.message))
  await axios.get('http://127.0.0.1:1/').catch((e) => console.log('refused', e.code, e.message))
  server.close(() => console.log('closed'))
})
