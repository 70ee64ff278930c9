// Inserts with and without a memory-hungry neighbour. A worker thread on the other core
// streams through 256 MB (read and write, one touch per cache line) in alternate blocks of
// inserts, the way another process or VM on the same host would take the shared cache and
// memory bandwidth; the blocks between run alone. Both kinds alternate in one process, so
// they see the same machine phase. Each block's first 10 inserts are not timed (the cache
// is still settling from the switch). The 10 000-vector index is built first with
// addBatch, as in bench/index.mjs. hnswlib-node (when bench/peers is installed) then goes
// through the same alternation on its own index, for how a peer responds to the same
// neighbour. Prints the median block means and their ratio.
//
//   node bench/insert-contention.mjs [--sets random,clustered,fashion784,fashion128]
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { insertSets, median, setsArg } from './insert-sets.mjs'

const require = createRequire(import.meta.url)
const N = 10000, INSERTS = 2000, BLOCK = 100, UNTIMED = 10

process.env.ELEX_BACKEND = 'native'
const native = require('../index.js')
const peersJson = new URL('./peers/package.json', import.meta.url)
const hnswlib = existsSync(new URL('./node_modules/hnswlib-node', peersJson))
  ? createRequire(peersJson)('hnswlib-node')
  : null

// The neighbour: streams while flag[0] is 1, sleeps while it is 0, exits at 2.
const flag = new Int32Array(new SharedArrayBuffer(4))
const neighbour = new Worker(`
  const { workerData } = require('node:worker_threads')
  const flag = new Int32Array(workerData)
  const lines = new Float64Array(32 * 1024 * 1024) // 256 MB
  for (;;) {
    Atomics.wait(flag, 0, 0)
    if (Atomics.load(flag, 0) === 2) break
    for (let from = 0; from < lines.length && Atomics.load(flag, 0) === 1; from += 1 << 17) {
      for (let i = from; i < from + (1 << 17); i += 8) lines[i] += 1
    }
  }`, { eval: true, workerData: flag.buffer })
const contend = (on) => { Atomics.store(flag, 0, on ? 1 : 0); Atomics.notify(flag, 0) }

// Alternating blocks of `insert(i)` for i in 0..INSERTS: odd blocks contended.
function alternate(insert) {
  const means = [[], []]
  for (let block = 0; block < INSERTS / BLOCK; block++) {
    const contended = block % 2
    contend(contended)
    const from = block * BLOCK
    for (let i = from; i < from + UNTIMED; i++) insert(i)
    const t = process.hrtime.bigint()
    for (let i = from + UNTIMED; i < from + BLOCK; i++) insert(i)
    means[contended].push(Number(process.hrtime.bigint() - t) / 1e3 / (BLOCK - UNTIMED))
  }
  contend(false)
  // The first block pays elex's array growth after the batch: left out.
  const [alone, busy] = [means[0].slice(1), means[1]]
  return { alone: median(alone), busy: median(busy) }
}

const line = (name, r) =>
  `  ${name}: alone ${r.alone.toFixed(1)} µs, contended ${r.busy.toFixed(1)} µs (${(r.busy / r.alone).toFixed(2)}×)`

console.log(`inserts at ${N}, blocks of ${BLOCK} (median block means), M 16, efConstruction 200`)
for (const set of insertSets(N + INSERTS, setsArg())) {
  const data = set.make()
  const row = (i) => data.subarray(i * set.dim, (i + 1) * set.dim)
  console.log(`${set.name} (${set.dim}-d, ${set.metric})`)
  const ix = new native.VectorIndex({ dim: set.dim, metric: set.metric, m: 16, efConstruction: 200, seed: 1 })
  ix.addBatch(Uint32Array.from({ length: N }, (_, i) => i), data.subarray(0, N * set.dim))
  console.log(line('elex native', alternate((i) => ix.add(N + i, row(N + i)))))
  if (hnswlib) {
    const h = new hnswlib.HierarchicalNSW(set.metric === 'l2' ? 'l2' : 'cosine', set.dim)
    h.initIndex(N + INSERTS, 16, 200, 1)
    for (let i = 0; i < N; i++) h.addPoint(Array.from(row(i)), i)
    const rows = Array.from({ length: INSERTS }, (_, i) => Array.from(row(N + i)))
    console.log(line('hnswlib-node', alternate((i) => h.addPoint(rows[i], N + i))))
  }
}
Atomics.store(flag, 0, 2)
Atomics.notify(flag, 0)
await new Promise((resolve) => neighbour.once('exit', resolve))
