// Kernel benchmark: the JS API on both backends next to plain JavaScript and simsimd, in one
// process, reported as speed-ups over plain JS.   npm run bench   (builds first)
//   node bench/kernels.mjs [--quick] [--json FILE]
//
// Two phases, because of a V8 behaviour that would otherwise flatter us: once any
// ArrayBuffer in the process has been detached (WebAssembly memory growth does that), V8's
// optimised typed-array loops carry extra checks and plain JS gets 2-3x slower. Phase 1
// measures plain JS, the native addon and simsimd before anything is detached; phase 2 loads
// the WASM builds. Every ratio is against the phase-1 (fast) plain JS; the plain-JS time
// after detaching is shown for reference.
import { createRequire } from 'node:module'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import * as plain from './plain.mjs'
import { compare, fmtRatio, fmtTime, markdown } from './harness.mjs'

const require = createRequire(import.meta.url)
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const opts = quick ? { rounds: 3, minMs: 15 } : { rounds: 7, minMs: 60 }

process.env.ELEX_BACKEND = 'native'
const native = require('../index.js')
let simsimd = null
try { simsimd = require('simsimd') } catch { /* optional peer */ }

// A new copy of a plain-JS function, with no type feedback from earlier calls.
const fresh = (fn) => new Function(`return ${fn.toString()}`)()

function data(n, seed) {
  let s = seed >>> 0 || 1
  return Float32Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0
    return (s / 4294967296) * 2 - 1
  })
}

// name -> [args, simsimd equivalent]
const sizes = [128, 1024]
const kernels = Object.fromEntries(sizes.map((n) => {
  const [a, b, c] = [data(n, 1), data(n, 2), data(n, 3)]
  const lo = b.map((x) => x - 0.5), hi = b.map((x) => x + 0.5)
  return [n, {
    dotProduct: [[a, b], simsimd?.dot],
    cosineSimilarity: [[a, b], simsimd?.cosine],
    normalize: [[a]],
    batchQUpdate: [[a, b, c, 0.1, 0.95]],
    validateRanges: [[a, lo, hi]],
    aggregate: [[a, c, 0.25]],
  }]
}))
const dim = 128, count = 10_000, k = 10, repeat = 20
const matrix = data(count * dim, 7), query = data(dim, 8)
const topArgs = [query, matrix, dim, k]
// simsimd has no top-k: one cosine call per row, then the same selection as plain JS.
const simsimdTopK = simsimd && ((q, m, d, kk) => {
  const scores = new Float32Array(count)
  for (let r = 0; r < count; r++) scores[r] = 1 - simsimd.cosine(q, m.subarray(r * d, (r + 1) * d))
  return plain.topKSimilar(new Float32Array([1]), scores, 1, kk)
})

// ---- Phase 1: nothing detached yet.
const t1 = {}
for (const n of sizes) {
  for (const [name, [callArgs, sims]] of Object.entries(kernels[n])) {
    const fns = { plain: fresh(plain[name]).bind(null, ...callArgs), native: native[name].bind(null, ...callArgs) }
    if (sims) fns.simsimd = sims.bind(null, ...callArgs)
    t1[`${name} ${n}`] = compare(fns, opts)
  }
}
const topFns = {
  plain: fresh(plain.topKSimilar).bind(null, ...topArgs),
  native: native.topKSimilar.bind(null, ...topArgs),
  // The same scan `repeat` times inside Rust per call: the engine's own speed, interleaved
  // with the others like every candidate.
  nativeInRust: native.__raw.__repeatTopKSimilar.bind(null, ...topArgs, repeat),
}
if (simsimdTopK) topFns.simsimd = simsimdTopK.bind(null, ...topArgs)
t1.top = compare(topFns, opts)
const inRust = t1.top.nativeInRust / repeat

// ---- Phase 2: the WASM builds (their memory growth detaches ArrayBuffers).
const wasm = require('../wasm.js')
const { createApi } = require('../js/api.mjs')
const scalarPath = new URL('../wasm-scalar/node/elex_wasm.js', import.meta.url)
const wasmScalar = existsSync(scalarPath) ? createApi(require(scalarPath.pathname), 'wasm') : null
// What SIMD buys is measured single-threaded on both sides: the browsers' build (simd128, one
// thread) against the scalar build. Node's own build (the main table) also splits large
// scans across its worker threads.
const webGlue = await import('../wasm/web/elex_wasm.js')
webGlue.initSync({ module: readFileSync(new URL('../wasm/web/elex_wasm_bg.wasm', import.meta.url)) })
const wasmOneThread = createApi(webGlue, 'wasm')
const wasmThreads = require('../wasm/node/elex_wasm.js').threadsCount?.() ?? 1
const t2 = {}
for (const n of sizes) {
  for (const [name, [callArgs]] of Object.entries(kernels[n])) {
    t2[`${name} ${n}`] = compare({
      plainDetached: fresh(plain[name]).bind(null, ...callArgs),
      wasm: wasm[name].bind(null, ...callArgs),
    }, opts)
  }
}
const top2 = {
  plainDetached: fresh(plain.topKSimilar).bind(null, ...topArgs),
  wasm: wasm.topKSimilar.bind(null, ...topArgs),
  wasmOneThread: wasmOneThread.topKSimilar.bind(null, ...topArgs),
}
if (wasmScalar) top2.wasmScalar = wasmScalar.topKSimilar.bind(null, ...topArgs)
t2.top = compare(top2, opts)
const inWasm = compare({
  wasm: () => wasm.__raw.__repeatTopKSimilar(query, matrix, dim, k, repeat),
  wasmOneThread: () => wasmOneThread.__raw.__repeatTopKSimilar(query, matrix, dim, k, repeat),
  ...(wasmScalar ? { wasmScalar: () => wasmScalar.__raw.__repeatTopKSimilar(query, matrix, dim, k, repeat) } : {}),
}, opts)
for (const key of Object.keys(inWasm)) inWasm[key] /= repeat

// ---- Report.
const cell = (base, ns) => (ns == null ? '—' : `${fmtTime(ns)} (${fmtRatio(base, ns)})`)
const rows = [...sizes.flatMap((n) => Object.keys(kernels[n]).map((name) => [name, `${n}`, `${name} ${n}`])),
  ['topKSimilar k=10', '10000×128', 'top']].map(([name, size, key]) => {
  const [a, b] = [t1[key], t2[key]]
  return [name, size, fmtTime(a.plain), cell(a.plain, a.native), cell(a.plain, b.wasm), cell(a.plain, a.simsimd), fmtTime(b.plainDetached)]
})
const table = markdown(['kernel', 'size', 'plain JS', 'native', 'WASM simd128', 'simsimd', 'plain JS after a detach'], rows)
const top = { ...t1.top, ...t2.top }
const targets = markdown(['measure', 'figure', 'target'], [
  ['topKSimilar 10000×128, native API vs plain JS', fmtRatio(top.plain, top.native), '≥ 20×'],
  ['native API vs the same scan inside Rust', `${(top.native / inRust).toFixed(2)}× (${fmtTime(top.native)} vs ${fmtTime(inRust)})`, '≤ 1.3×'],
  ['WASM simd128 vs WASM scalar build, scan inside WASM (one thread each)', inWasm.wasmScalar ? `${(inWasm.wasmScalar / inWasm.wasmOneThread).toFixed(1)}× (${fmtTime(inWasm.wasmOneThread)} vs ${fmtTime(inWasm.wasmScalar)})` : 'scalar build missing (npm run bench builds it)', '≥ 3×'],
  ['WASM simd128 vs WASM scalar build, through the JS API (one thread each)', top.wasmScalar ? `${(top.wasmScalar / top.wasmOneThread).toFixed(1)}× (${fmtTime(top.wasmOneThread)} vs ${fmtTime(top.wasmScalar)})` : '—', 'includes copying the 5 MB matrix into WASM memory'],
  [`Node's WASM (${wasmThreads} threads) vs one thread, scan inside WASM`, `${(inWasm.wasmOneThread / inWasm.wasm).toFixed(1)}× (${fmtTime(inWasm.wasm)} vs ${fmtTime(inWasm.wasmOneThread)})`, '—'],
])

console.log(`elex ${native.version()} — native ${native.simdLevel()}, WASM ${wasm.simdLevel()} (Node: ${wasmThreads} threads), Node ${process.version}, ${quick ? 'quick' : 'full'} run\n`)
console.log('Time per call (speed-up over plain JS):\n')
console.log(table)
console.log('\nTargets:\n')
console.log(targets)

const jsonAt = args.indexOf('--json')
const out = jsonAt >= 0 ? args[jsonAt + 1] : new URL('./.results/kernels.json', import.meta.url).pathname
mkdirSync(new URL('./.results/', import.meta.url), { recursive: true })
writeFileSync(out, JSON.stringify({ node: process.version, phase1: t1, phase2: t2, inRust, inWasm }, null, 2))
