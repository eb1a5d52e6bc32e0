// express (CommonJS; http, net, events, stream, and ~60 packages): an app
// with routing, params, JSON bodies, middleware and errors, listening on a
// loopback port and called with http.request. Dates and ETags are left
// out of the output.
'use strict'
const http = require('http')
const express = require('express')

const app = express()
app.use(express.json())
app.use((req, res, next) => {
  res.set('X-Seen', req.method + ' ' + req.path)
  next()
})
app.get('/', (req, res) => res.send('<h1>home</h1>'))
app.get('/users/:id', (req, res) => res.json({ id: req.params.id, q: req.query }))
app.post('/echo', (req, res) => res.status(201).json({ got: req.body }))
const router = express.Router()
router.get('/ping', (req, res) => res.type('text').send('pong'))
app.use('/api', router)
app.get('/fail', () => {
  throw new Error('route failed')
})
app.use((err, req, res, next) => res.status(500).json({ error: err.message }))

function call(port, method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body && JSON.stringify(body)
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve(`${method} ${path} ${res.statusCode} ${res.headers['content-type']} ${res.headers['x-seen'] ?? '-'} ${text}`))
    })
    req.on('error', reject)
    req.end(data)
  })
}

const server = app.listen(0, '127.0.0.1', async () => {
  const { port } = server.address()
  for (const [m, p, b] of [['GET', '/'], ['GET', '/users/42?x=1&y[]=2'], ['POST', '/echo', { a: [1, 'two'] }], ['GET', '/api/ping'], ['GET', '/fail'], ['GET', '/missing']]) {
    console.log(await call(port, m, p, b))
  }
  server.close(() => console.log('closed'))
})
