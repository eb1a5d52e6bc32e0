// ws (CommonJS; http upgrade, net, crypto, zlib, events): a WebSocket
// server on a loopback port and two clients in the same process, ws's own
// and Node's WebSocket (undici's; on Node 20 from undici's export when the
// global is absent), text, binary, a JSON round trip, per-message deflate
// and close codes; and the undici package's own fetch and request.
'use strict'
const http = require('http')
const { WebSocketServer, WebSocket } = require('ws')

const server = http.createServer((req, res) => res.end('plain http'))
let closed = 0
const wss = new WebSocketServer({ server, perMessageDeflate: { threshold: 0 } })
wss.on('connection', (socket, req) => {
  console.log('server: connection', req.url, req.headers.upgrade, socket.protocol)
  socket.on('message', (data, isBinary) => {
    if (isBinary) return socket.send(Buffer.from(data).reverse())
    const text = data.toString()
    if (text === 'bye') return socket.close(4000, 'done')
    socket.send(JSON.stringify({ echo: text, length: text.length }))
  })
  socket.on('close', (code, reason) => {
    console.log('server: close', code, reason.toString())
    // Both clients gone: the server closes.
    if (++closed === 2) {
      wss.close()
      server.close(() => console.log('closed'))
    }
  })
})

server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address()
  await new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/chat?x=1`, 'proto-a')
    ws.on('open', () => {
      console.log('ws client: open', ws.protocol, ws.extensions)
      ws.send('hello '.repeat(100))
      ws.send(Buffer.from([1, 2, 3, 4]))
    })
    let n = 0
    ws.on('message', (data, isBinary) => {
      console.log('ws client: message', isBinary, isBinary ? [...data] : JSON.parse(data.toString()).length)
      if (++n === 2) ws.send('bye')
    })
    ws.on('close', (code, reason) => {
      console.log('ws client: close', code, reason.toString())
      resolve()
    })
  })
  // The undici package itself, not the global fetch: its fetch and request.
  const undici = require('undici')
  const got = await undici.fetch(`http://127.0.0.1:${port}/fetched`)
  console.log('undici fetch:', got.status, got.headers.get('content-length'), await got.text())
  const { statusCode, body } = await undici.request(`http://127.0.0.1:${port}/requested`, { method: 'POST', body: 'x' })
  console.log('undici request:', statusCode, await body.text())
  const NodeWebSocket = globalThis.WebSocket ?? require('undici').WebSocket
  await new Promise((resolve) => {
    const ws = new NodeWebSocket(`ws://127.0.0.1:${port}/web`)
    ws.binaryType = 'arraybuffer'
    ws.onopen = () => {
      console.log('web client: open', ws.readyState)
      ws.send('from the web client')
    }
    ws.onmessage = (e) => {
      console.log('web client: message', e.data)
      ws.send('bye')
    }
    ws.onclose = (e) => {
      console.log('web client: close', e.code, e.reason, e.wasClean)
      resolve()
    }
  })
})
