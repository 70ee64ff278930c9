// WASM against native, measured side by side: both backends build the same 10 000-vector
// index (three alternating builds each), then blocks of 50 single inserts alternate between
// them, so both see the same machine phase. Then queries the same way: at each efSearch
// (and the forced exact scan), rounds of all 500 queries alternate between the backends,
// each pass after a short warm-up. Both backends build the same graph from the same seed
// and make the same scan-or-graph choice, so at equal ef they answer the same (checked
// below; above 16 MB of vectors the choices can differ, see ARCHITECTURE.md): the query ratio
// at an ef is the ratio at that recall. (bench/index.mjs measures WASM minutes after native,
// because WASM's memory growth slows V8's typed arrays for the rest of the process; on this
// VM's drifting memory speed that makes its WASM/native ratios noisy.) Prints each set's
// median per-block (per-round) ratios and both backends' median block (round) means.
//
//   node bench/insert-ratio.mjs [--sets random,clustered,fashion784,fashion128]
import { createRequire } from 'node:module'
import { insertSets, median, setsArg } from './insert-sets.mjs'

const require = createRequire(import.meta.url)
const N = 10000, BUILD_ROUNDS = 3, INSERTS = 2000, BLOCK = 50, QUERIES = 500, WARM = 100, QUERY_ROUNDS = 7
const EFS = [10, 16, 32, 64, 256]

process.env.ELEX_BACKEND = 'native'
const native = require('../index.js')
const wasm = require('../wasm.js')

const sets = insertSets(N + INSERTS + QUERIES, setsArg())
const now = () => Number(process.hrtime.bigint()) / 1e3

for (const set of sets) {
  const data = set.make()
  const ids = Uint32Array.from({ length: N }, (_, i) => i)
  // Builds: BUILD_ROUNDS alternating addBatch calls per backend; the last ones are kept.
  const builds = [[], []]
  let indexes
  for (let round = 0; round < BUILD_ROUNDS; round++) {
    indexes = [native, wasm].map((api, b) => {
      const ix = new api.VectorIndex({ dim: set.dim, metric: set.metric, m: 16, efConstruction: 200, seed: 1 })
      const t = now()
      ix.addBatch(ids, data.subarray(0, N * set.dim))
      builds[b].push((now() - t) / 1e3)
      return ix
    })
  }
  console.log(`${set.name}: WASM/native build ${median(builds[1].map((w, i) => w / builds[0][i])).toFixed(2)}× ` +
    `(median of ${BUILD_ROUNDS} rounds); native ${median(builds[0]).toFixed(0)} ms, WASM ${median(builds[1]).toFixed(0)} ms`)
  const rows = Array.from({ length: INSERTS }, (_, i) => data.subarray((N + i) * set.dim, (N + i + 1) * set.dim))
  const means = [[], []]
  for (let from = 0; from < INSERTS; from += BLOCK) {
    indexes.forEach((ix, b) => {
      const t = now()
      for (let i = from; i < from + BLOCK; i++) ix.add(N + i, rows[i])
      means[b].push((now() - t) / BLOCK)
    })
  }
  // The first block pays each backend's array growth after the batch: left out.
  const [n, w] = means.map((m) => m.slice(1))
  const ratio = median(w.map((x, i) => x / n[i]))
  console.log(`${set.name}: WASM/native insert ${ratio.toFixed(2)}× (median of ${n.length} block ratios); ` +
    `native ${median(n).toFixed(1)} µs, WASM ${median(w).toFixed(1)} µs (median blocks)`)

  const queries = Array.from({ length: QUERIES }, (_, i) => data.subarray((N + INSERTS + i) * set.dim, (N + INSERTS + i + 1) * set.dim))
  for (const options of [...EFS.map((ef) => ({ efSearch: ef })), { exact: true }]) {
    const answers = indexes.map((ix) => queries.map((q) => ix.search(q, 10, options).ids)) // also warms up
    const same = answers[0].filter((ids, q) => ids.every((id, j) => id === answers[1][q][j])).length
    // Each round runs every query on one backend, then on the other, each after an untimed
    // warm-up of WARM queries (the other backend's pass has just evicted its caches).
    const blocks = [[], []]
    for (let round = 0; round < QUERY_ROUNDS; round++) {
      indexes.forEach((ix, b) => {
        for (let q = 0; q < WARM; q++) ix.search(queries[q], 10, options)
        const t = now()
        for (const q of queries) ix.search(q, 10, options)
        blocks[b].push((now() - t) / QUERIES)
      })
    }
    const [qn, qw] = blocks
    console.log(`  ${options.exact ? 'exact scan' : `ef ${options.efSearch}`}: WASM/native query ` +
      `${median(qw.map((x, i) => x / qn[i])).toFixed(2)}×; native ${median(qn).toFixed(1)} µs, ` +
      `WASM ${median(qw).toFixed(1)} µs; ${same}/${QUERIES} answers identical`)
  }
}
