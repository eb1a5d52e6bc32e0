// A dev server in the sandbox: guest code listens with node:http on the
// runtime's virtual loopback. The host reaches it with rt.fetch() (no real
// port is opened) and, for a browser, through rt.network.expose() (a real
// port on 127.0.0.1 forwarded to it). Then the host stops it.
//
//   node examples/dev-server.mjs
import { NodeRuntime } from 'secure-exec'

const serverSource = `
const http = require('node:http')
const todos = []
const server = http.createServer((req, res) => {
  if (req.url === '/api/todos' && req.method === 'GET') {
    res.setHeader('content-type', 'application/json')
    return res.end(JSON.stringify(todos))
  }
  if (req.url === '/api/todos' && req.method === 'POST') {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      todos.push({ id: todos.length + 1, title: JSON.parse(body).title })
      res.statusCode = 201
      res.end(JSON.stringify(todos.at(-1)))
    })
    return
  }
  res.statusCode = 404
  res.end('not found')
})
server.listen(Number(process.env.PORT), () => console.log('listening on ' + process.env.PORT))
process.on('SIGTERM', () => {
  console.log('SIGTERM: closing')
  server.close()
})
`

const rt = await NodeRuntime.create({
  // The server reads its own script and PORT: grant those, nothing else.
  permissions: { fs: { read: ['/workspace/app'] }, env: ['PORT'] },
})
try {
  await rt.fs.mkdir('/workspace/app', { recursive: true })
  await rt.fs.writeFile('/workspace/app/server.js', serverSource)

  // A guest process outside any run()/exec() call: it lives until killed.
  const server = await rt.spawn('node', ['server.js'], { cwd: '/workspace/app', env: { PORT: '3000' } })
  server.stderr.on('data', (chunk) => process.stdout.write(`[server stderr] ${chunk}`))
  await new Promise((resolve, reject) => {
    let seen = ''
    server.stdout.on('data', (chunk) => {
      process.stdout.write(`[server] ${chunk}`)
      seen += chunk
      if (seen.includes('listening')) resolve()
    })
    server.wait().then((exit) => reject(new Error(`server ended early: ${JSON.stringify(exit)}`)), reject)
  })

  // rt.fetch: only the port counts; the host name is not looked up.
  let res = await rt.fetch('http://localhost:3000/api/todos', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'write the docs' }),
  })
  console.log(`POST /api/todos -> ${res.status} ${await res.text()}`)
  res = await rt.fetch('http://localhost:3000/api/todos')
  console.log(`GET /api/todos -> ${res.status} ${await res.text()}`)
  res = await rt.fetch('http://localhost:3000/nope')
  console.log(`GET /nope -> ${res.status} ${await res.text()}`)

  // A real port, for a browser on this machine.
  const exposed = await rt.network.expose(3000)
  res = await fetch(new URL('/api/todos', exposed.url))
  console.log(`GET ${exposed.url}api/todos (real port) -> ${res.status} ${await res.text()}`)
  await exposed.close()

  server.kill('SIGTERM')
  const exit = await server.wait()
  console.log(`server exited: code ${exit.exitCode}, signal ${exit.signalCode}`)
} finally {
  await rt.dispose()
}
