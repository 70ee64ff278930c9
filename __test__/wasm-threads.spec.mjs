// Node's WebAssembly fallback is the threaded build: a pool of cores − 1 (at most 7) worker threads on
// shared memory (js/wasm-node.cjs). These pin that the pool runs, that it changes nothing
// in the answers, and that it never holds the process open.
import { createRequire } from 'node:module'
import { spawnSync } from 'node:child_process'
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { randomUnit } from './helpers/datasets.mjs'

const require = createRequire(import.meta.url)
const raw = require('../js/wasm-node.cjs').loadWasmForNode()
const { createApi } = require('../js/api.mjs')
const wasm = createApi(raw, 'wasm')
const cores = Math.min(os.availableParallelism(), 8)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// The same build in this process (pool running) and in child processes (other pool sizes).
const BUILD = `
  const n = 3000, dim = 32
  const data = new Float32Array(n * dim)
  let s = 7
  for (let i = 0; i < data.length; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; data[i] = s / 2 ** 32 - 0.5 }
  const ix = new api.VectorIndex({ dim, metric: 'l2', m: 12, efConstruction: 100, seed: 3 })
  ix.addBatch(Uint32Array.from({ length: n }, (_, i) => i), data)
  const digest = require('node:crypto').createHash('sha256').update(ix.toBytes()).digest('hex')
`
function buildInChild(threads) {
  const code = `const api = require(${JSON.stringify(require.resolve('../wasm.js'))}); ${BUILD}; console.log(digest)`
  const env = { ...process.env, ELEX_WASM_THREADS: threads }
  return spawnSync(process.execPath, ['-e', code], { env, encoding: 'utf8', timeout: 60_000 })
}

describe.skipIf(typeof raw.threadsCount !== 'function')('threaded WebAssembly in Node', () => {
  it('runs on every core (up to 8): the caller plus cores − 1 pool threads, which join batch builds', async () => {
    expect(raw.threadsCount()).toBe(cores)
    if (cores === 1) return
    // The workers start in the background; calls made before then simply run on the caller.
    const data = randomUnit(4000, 64, 9)
    const ids = Uint32Array.from({ length: 4000 }, (_, i) => i)
    const before = raw.threadsJoins()
    for (let attempt = 0; attempt < 100 && raw.threadsJoins() === before; attempt++) {
      const ix = new wasm.VectorIndex({ dim: 64, metric: 'cosine', seed: 1 })
      ix.addBatch(ids, data)
      await sleep(50)
    }
    expect(raw.threadsJoins()).toBeGreaterThan(before)
  })

  it('builds the same graph, byte for byte, with any pool size', () => {
    const digest = new Function('api', 'require', `${BUILD}; return digest`)(wasm, require)
    for (const threads of ['0', '1', '3']) {
      const child = buildInChild(threads)
      expect(child.status, child.stderr).toBe(0)
      expect(child.stdout.trim(), `ELEX_WASM_THREADS=${threads}`).toBe(digest)
    }
    expect(digest).toMatch(/^[0-9a-f]{64}$/)
  })

  it('never keeps the process alive: a script that used the pool exits by itself', () => {
    const child = buildInChild('')
    expect(child.error).toBeUndefined()
    expect(child.status, child.stderr).toBe(0)
    expect(child.stdout.trim()).toMatch(/^[0-9a-f]{64}$/)
  })

  it('rejects a pool size that is not a whole number from 0 to 256, with a code', () => {
    for (const bad of ['abc', '-1', '1.5', '257']) {
      const child = buildInChild(bad)
      expect(child.status).not.toBe(0)
      expect(child.stderr).toContain('ELEX_WASM_THREADS must be a whole number')
      expect(child.stderr).toContain("code: 'INVALID_ARGUMENT'")
    }
  })
})
