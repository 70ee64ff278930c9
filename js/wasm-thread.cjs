// One thread of the WebAssembly build's pool (started by js/wasm-node.cjs): the same module
// on the same shared memory, running one pool thread until the process ends.
'use strict'
const { workerData } = require('node:worker_threads')
const glue = require(workerData.glue)
glue.initSync({ module: workerData.module, memory: workerData.memory })
glue.threadsWorkerRun()
