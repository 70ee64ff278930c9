// Where `search` switches from the graph to the exact scan, and what each costs: 10 000
// random unit vectors (or the clustered set), 200 queries, µs per query (fastest of three
// passes) for the forced scan and for plain `search` at each efSearch, and how many answers
// equal the scan's (200 of 200 means `search` took the scan, or the graph found the exact
// answer, as it does on clustered data from ef 64; the choice is measured, see
// ARCHITECTURE.md).
//
//   node bench/scan-or-graph.mjs [--dim 784] [--backend native|wasm] [--data random|clustered]
import { createRequire } from 'node:module'
import { clustered, randomUnit } from '../__test__/helpers/datasets.mjs'

const args = process.argv.slice(2)
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback)
const dim = Number(opt('--dim', 784))
const backend = opt('--backend', 'native')
const require = createRequire(import.meta.url)
process.env.ELEX_BACKEND = 'native'
const elex = backend === 'wasm' ? require('../wasm.js') : require('../index.js')
const N = 10000, QUERIES = 200, EFS = [32, 64, 128, 256, 512]

const kind = opt('--data', 'random')
const data = kind === 'clustered' ? clustered(N + QUERIES, dim, { clusters: 100, seed: 5 }) : randomUnit(N + QUERIES, dim, 3)
const ix = new elex.VectorIndex({ dim, metric: 'cosine', m: 16, efConstruction: 200, seed: 1 })
ix.addBatch(Uint32Array.from({ length: N }, (_, i) => i), data.subarray(0, N * dim))
const queries = Array.from({ length: QUERIES }, (_, i) => data.subarray((N + i) * dim, (N + i + 1) * dim))

function usPerQuery(options) {
  let best = Infinity
  for (let pass = 0; pass < 3; pass++) {
    const t = process.hrtime.bigint()
    for (const q of queries) ix.search(q, 10, options)
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e3 / QUERIES)
  }
  return best.toFixed(0)
}

const scan = queries.map((q) => ix.search(q, 10, { exact: true }).ids)
console.log(`${backend}, ${kind} ${N} × ${dim}: exact scan ${usPerQuery({ exact: true })} µs`)
for (const ef of EFS) {
  const same = queries.filter((q, i) => ix.search(q, 10, { efSearch: ef }).ids.every((id, j) => id === scan[i][j])).length
  console.log(`  ef ${ef}: ${usPerQuery({ efSearch: ef })} µs, ${same}/${QUERIES} answers equal the scan's`)
}
