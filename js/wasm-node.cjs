// Loads the WebAssembly build for Node. When it is the threaded build (scripts/build.sh),
// starts its pool: cores − 1 worker threads (at most 7 unless asked) on the same module and
// shared memory, so batch builds and large scans use the cores as the native addon does.
// ELEX_WASM_THREADS=n sets the pool size (0: no threads). Calls never wait for a worker to
// start: until one runs, each call does all its work on the calling thread.
'use strict'
const { Worker } = require('node:worker_threads')
const os = require('node:os')
const path = require('node:path')

const gluePath = require.resolve('../wasm/node/elex_wasm.js')
const DEFAULT_MAX_POOL = 7

function poolSize() {
  const asked = process.env.ELEX_WASM_THREADS
  if (asked !== undefined && asked !== '') {
    const n = Number(asked)
    if (!Number.isInteger(n) || n < 0 || n > 256) {
      const err = new Error(`ELEX_WASM_THREADS must be a whole number from 0 to 256, got ${JSON.stringify(asked)}`)
      err.code = 'INVALID_ARGUMENT'
      throw err
    }
    return n
  }
  // Each worker is a V8 isolate (several MB), so by default at most 7 of them: builds and
  // scans are bound by memory bandwidth well before that many cores.
  return Math.min(DEFAULT_MAX_POOL, Math.max(0, (os.availableParallelism?.() ?? os.cpus().length) - 1))
}

function startPool(glue) {
  const n = poolSize()
  // threadsStart is false when this module's pool exists already (one pool per process).
  if (n === 0 || !glue.threadsStart(n)) return
  const workerData = { glue: gluePath, module: glue.__wbg_wasm_module, memory: glue.__wbg_memory }
  for (let i = 0; i < n; i++) {
    // Pool threads never keep the process alive, and one that fails to start only means
    // fewer threads (its share of each call runs on the caller).
    try {
      const worker = new Worker(path.join(__dirname, 'wasm-thread.cjs'), { workerData })
      worker.unref()
      worker.on('error', () => {})
    } catch {
      return
    }
  }
}

function loadWasmForNode() {
  const glue = require(gluePath)
  // The threaded glue initialises itself only on the main thread; in a worker we do it.
  if (typeof glue.initSync === 'function') glue.initSync()
  if (typeof glue.threadsStart === 'function') startPool(glue)
  return glue
}

module.exports = { loadWasmForNode }
