// Code mode: instead of calling tools one at a time, a model writes a short
// program against them. The program runs in the sandbox; the tools run on
// the host. When the program fails, the loop sends the error back to the
// model and runs what it writes next.
//
//   node examples/code-mode.mjs
import { NodeRuntime, GuestError, TimeoutError } from 'secure-exec'

// Host data. The guest never sees it, only what the tools return.
const inventory = [
  { sku: 'C-100', name: 'USB-C cable, 1 m', price: 9.5, stock: 120 },
  { sku: 'C-200', name: 'USB-C cable, 2 m', price: 12.0, stock: 0 },
  { sku: 'C-300', name: 'HDMI cable, 2 m', price: 7.25, stock: 35 },
  { sku: 'H-100', name: 'USB hub, 4 ports', price: 24.0, stock: 12 },
]

// Host tools: plain functions. Arguments and results are structured-cloned.
const tools = {
  searchProducts({ query }) {
    console.log(`  host tool: searchProducts(${JSON.stringify({ query })})`)
    const q = String(query).toLowerCase()
    return inventory.filter((p) => p.name.toLowerCase().includes(q)).map(({ sku, name }) => ({ sku, name }))
  },
  getProduct({ sku }) {
    console.log(`  host tool: getProduct(${JSON.stringify({ sku })})`)
    const p = inventory.find((x) => x.sku === sku)
    if (!p) {
      const err = new Error(`no product ${sku}`)
      err.code = 'NOT_FOUND'
      throw err // reaches the guest with its name, message and code
    }
    return { ...p }
  },
}

// STAND-IN FOR A MODEL. A real loop would send the task, the tools'
// descriptions and the last error to an LLM and get code back. These two
// answers are scripted: the first has a bug (a wrong tool name), the second
// fixes it, as a model given the error would.
function standInModel({ attempt, lastError }) {
  if (attempt === 1) {
    return `
      const hits = await tools.findProducts({ query: 'cable' })
      __return(hits)
    `
  }
  if (!lastError.includes('findProducts is not a function')) throw new Error('unexpected feedback')
  return `
    const hits = await tools.searchProducts({ query: 'cable' })
    const products = await Promise.all(hits.map((h) => tools.getProduct({ sku: h.sku })))
    const inStock = products.filter((p) => p.stock > 0).sort((a, b) => a.price - b.price)
    console.log(\`checked \${products.length} products, \${inStock.length} in stock\`)
    __return({ cheapest: inStock[0].sku, price: inStock[0].price })
  `
}

const task = 'Find the cheapest cable that is in stock.'
const rt = await NodeRuntime.create({
  tools,
  // Tools are deny-by-default too: name the ones this code may call.
  permissions: { tool: ['searchProducts', 'getProduct'] },
  limits: { cpuTimeMs: 1000, memoryMb: 64 },
})
try {
  console.log(`task: ${task}`)
  let lastError
  let done = false
  for (let attempt = 1; attempt <= 3; attempt++) {
    const code = standInModel({ task, attempt, lastError })
    console.log(`attempt ${attempt}: running ${code.trim().split('\n').length} lines of model code`)
    try {
      const r = await rt.run(code, { timeoutMs: 5000 })
      if (r.stdout) process.stdout.write(`  guest: ${r.stdout}`)
      console.log(`result: ${JSON.stringify(r.value)}`)
      done = true
      break
    } catch (err) {
      if (!(err instanceof GuestError || err instanceof TimeoutError)) throw err
      // What goes back to the model: the error as the guest saw it.
      lastError = `${err.name}: ${err.message}`
      console.log(`  failed: ${lastError}`)
    }
  }
  if (!done) {
    console.log('gave up after 3 attempts')
    process.exitCode = 1
  }
} finally {
  await rt.dispose()
}
