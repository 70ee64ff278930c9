// Kernel benchmark: the JS API on both backends next to plain JavaScript and simsimd, in one
// process, reported as speed-ups over plain JS.   npm run bench   (builds first)
//   node bench/kernels.mjs [--quick] [--json FILE]
import { createRequire } from 'node:module'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import * as plain from './plain.mjs'
import { compare, fmtRatio, fmtTime, markdown } from './harness.mjs'

const require = createRequire(import.meta.url)
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const opts = quick ? { rounds: 3, minMs: 15 } : { rounds: 7, minMs: 60 }

process.env.ELEX_BACKEND = 'native'
const native = require('../index.js')
const wasm = require('../wasm.js')
const { createApi } = require('../js/api.mjs')
const scalarPath = new URL('../wasm-scalar/node/elex_wasm.js', import.meta.url)
const wasmScalar = existsSync(scalarPath) ? createApi(require(scalarPath.pathname), 'wasm') : null
let simsimd = null
try { simsimd = require('simsimd') } catch { /* optional peer */ }

function data(n, seed) {
  let s = seed >>> 0 || 1
  return Float32Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0
    return (s / 4294967296) * 2 - 1
  })
}

const rows = []
const record = {}
function row(kernel, size, times, peers = {}) {
  const base = times.plain
  record[`${kernel} ${size}`] = times
  rows.push([kernel, size, fmtTime(base),
    `${fmtTime(times.native)} (${fmtRatio(base, times.native)})`,
    `${fmtTime(times.wasm)} (${fmtRatio(base, times.wasm)})`,
    peers.simsimd ? `${fmtTime(times.simsimd)} (${fmtRatio(base, times.simsimd)})` : '—'])
}

for (const n of [128, 1024]) {
  const [a, b, c] = [data(n, 1), data(n, 2), data(n, 3)]
  const lo = b.map((x) => x - 0.5), hi = b.map((x) => x + 0.5)
  const each = (name, call, sims) => {
    const fns = { plain: () => call(plain), native: () => call(native), wasm: () => call(wasm) }
    if (sims && simsimd) fns.simsimd = sims
    row(name, n, compare(fns, opts), { simsimd: Boolean(sims && simsimd) })
  }
  each('dotProduct', (e) => e.dotProduct(a, b), () => simsimd.dot(a, b))
  each('cosineSimilarity', (e) => e.cosineSimilarity(a, b), () => simsimd.cosine(a, b))
  each('normalize', (e) => e.normalize(a))
  each('batchQUpdate', (e) => e.batchQUpdate(a, b, c, 0.1, 0.95))
  each('validateRanges', (e) => e.validateRanges(a, lo, hi))
  each('aggregate', (e) => e.aggregate(a, c, 0.25))
}

// The headline: top-10 of 10 000 x 128 by cosine similarity.
const dim = 128, count = 10_000, k = 10
const matrix = data(count * dim, 7), query = data(dim, 8)
const repeat = 20
const topFns = {
  plain: () => plain.topKSimilar(query, matrix, dim, k),
  native: () => native.topKSimilar(query, matrix, dim, k),
  wasm: () => wasm.topKSimilar(query, matrix, dim, k),
}
if (simsimd) {
  // simsimd has no top-k: one cosine call per row, then the same selection as plain JS.
  topFns.simsimd = () => {
    const scores = new Float32Array(count)
    for (let r = 0; r < count; r++) scores[r] = 1 - simsimd.cosine(query, matrix.subarray(r * dim, (r + 1) * dim))
    return plain.topKSimilar(new Float32Array([1]), scores, 1, k)
  }
}
const top = compare(topFns, opts)
row('topKSimilar k=10', '10000×128', top, { simsimd: Boolean(simsimd) })

// The same scan timed inside each engine (one boundary crossing for `repeat` scans).
const inEngine = compare({
  native: () => native.__raw.__repeatTopKSimilar(query, matrix, dim, k, repeat),
  wasm: () => wasm.__raw.__repeatTopKSimilar(query, matrix, dim, k, repeat),
  ...(wasmScalar ? { wasmScalar: () => wasmScalar.__raw.__repeatTopKSimilar(query, matrix, dim, k, repeat) } : {}),
}, opts)
for (const key of Object.keys(inEngine)) inEngine[key] /= repeat
const scalarApi = wasmScalar ? compare({ wasmScalar: () => wasmScalar.topKSimilar(query, matrix, dim, k) }, opts).wasmScalar : null

const table = markdown(['kernel', 'size', 'plain JS', 'native', 'WASM simd128', 'simsimd'], rows)
const targets = markdown(['measure', 'figure', 'target'], [
  ['topKSimilar 10000×128, native API vs plain JS', fmtRatio(top.plain, top.native), '≥ 20×'],
  ['native API vs the same scan inside Rust', `${(top.native / inEngine.native).toFixed(2)}× (${fmtTime(top.native)} vs ${fmtTime(inEngine.native)})`, '≤ 1.3×'],
  ['WASM simd128 vs WASM scalar build, scan inside WASM', inEngine.wasmScalar ? `${(inEngine.wasmScalar / inEngine.wasm).toFixed(1)}× (${fmtTime(inEngine.wasm)} vs ${fmtTime(inEngine.wasmScalar)})` : 'scalar build missing', '≥ 3×'],
  ['WASM simd128 vs WASM scalar build, through the JS API', scalarApi ? `${(scalarApi / top.wasm).toFixed(1)}× (${fmtTime(top.wasm)} vs ${fmtTime(scalarApi)})` : 'scalar build missing', '(includes copying the matrix into WASM memory)'],
])

console.log(`elex ${native.version()} — native ${native.simdLevel()}, WASM ${wasm.simdLevel()}, Node ${process.version}, ${quick ? 'quick' : 'full'} run\n`)
console.log('Time per call (speed-up over plain JS):\n')
console.log(table)
console.log('\nTargets:\n')
console.log(targets)

const jsonAt = args.indexOf('--json')
const out = jsonAt >= 0 ? args[jsonAt + 1] : new URL('./.results/kernels.json', import.meta.url).pathname
mkdirSync(new URL('./.results/', import.meta.url), { recursive: true })
writeFileSync(out, JSON.stringify({ node: process.version, record, top, inEngine, scalarApi }, null, 2))
