// Vector index benchmark: elex's VectorIndex (native and WASM) next to hnswlib-node and
// usearch from npm and elex's exact scan, in one process, on the same data with the same M
// and efConstruction. Ground truth comes from usearch's exact search (independent of elex).
//
//   node bench/index.mjs [--quick] [--full] [--sets random,clustered,fashion784,fashion128,random100k]
//
// Per candidate: build time, insert µs (one vector at a time into the built index: the
// median of five rounds of INSERTS / 5), then a sweep of efSearch giving recall@10 and
// single-query µs (the fastest of three passes over the queries); the table shows QPS at the
// smallest ef reaching recall 0.95 and 0.99. --full adds 100 000 random vectors.
// The peers are installed by scripts/bench-peers.sh (npm run bench:index does it).
import { createRequire } from 'node:module'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { markdown } from './harness.mjs'
import {
  clustered, fashionMnist, hasFashionMnist, randomProjection, randomUnit,
} from '../__test__/helpers/datasets.mjs'

const require = createRequire(import.meta.url)
const peers = createRequire(new URL('./peers/package.json', import.meta.url))
const { HierarchicalNSW } = peers('hnswlib-node')
const usearch = peers('usearch')

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const full = args.includes('--full')
const setsArg = args.includes('--sets') ? args[args.indexOf('--sets') + 1].split(',') : null
const M = 16, EF_CONSTRUCTION = 200, K = 10
const N = quick ? 5000 : 10000
const QUERIES = quick ? 200 : 1000
const INSERTS = quick ? 200 : 1000
const INSERT_ROUNDS = 5
const QUERY_PASSES = 3
// Up to 2048: random 128-d vectors at 100 000 need that much for recall 0.95 (hnswlib too).
const EFS = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048]
const TARGETS = [0.95, 0.99]

process.env.ELEX_BACKEND = 'native'
const native = require('../index.js')

// ---- data -------------------------------------------------------------------------------
function makeSets() {
  const sets = []
  const add = (name, metric, dim, make) => {
    if (!setsArg || setsArg.includes(name.split(' ')[0])) sets.push({ name, metric, dim, make })
  }
  // Every set is one array: n base rows, then INSERTS rows added one by one, then queries.
  const rows = (n, extra, make) => () => make(n + extra + QUERIES)
  add(`random ${N}×128`, 'cosine', 128, rows(N, INSERTS, (n) => randomUnit(n, 128, 1)))
  add(`clustered ${N}×128`, 'cosine', 128, rows(N, INSERTS, (n) => clustered(n, 128, { clusters: 100, seed: 5 })))
  if (hasFashionMnist()) {
    const fashion = (n) => {
      const train = fashionMnist('train', n - QUERIES)
      const test = fashionMnist('test', QUERIES)
      const out = new Float32Array(n * 784)
      out.set(train.data); out.set(test.data, train.data.length)
      return out
    }
    add(`fashion784 Fashion-MNIST ${N}×784 (l2)`, 'l2', 784, rows(N, INSERTS, fashion))
    add(`fashion128 Fashion-MNIST ${N}, projected to 128 (l2)`, 'l2', 128,
      rows(N, INSERTS, (n) => randomProjection(fashion(n), 784, 128)))
  } else {
    console.log('(Fashion-MNIST not installed: run scripts/datasets.sh; skipping those sets)')
  }
  // Last: its 64 MB of records would otherwise leave the heap and caches worse for the rest.
  if (full || setsArg?.includes('random100k')) add('random100k 100000×128', 'cosine', 128, rows(100000, INSERTS, (n) => randomUnit(n, 128, 2)))
  return sets
}

const N_of = (all, dim) => all.length / dim - INSERTS - QUERIES

// ---- candidates ---------------------------------------------------------------------------
const now = () => Number(process.hrtime.bigint()) / 1e6
const rss = () => { globalThis.gc?.(); return process.memoryUsage().rss }

/** Each candidate: build(base), insert(i, vector), setEf(ef), search(query) -> ids (numbers). */
function elexCandidate(api, set, n) {
  let ix
  return {
    build(base) {
      ix = new api.VectorIndex({ dim: set.dim, metric: set.metric, m: M, efConstruction: EF_CONSTRUCTION, seed: 1 })
      ix.addBatch(Uint32Array.from({ length: n }, (_, i) => i), base)
    },
    insert(id, v) { ix.add(id, v) },
    ef: 64,
    setEf(ef) { this.ef = ef; this.opts = { efSearch: ef } },
    search(q) { return ix.search(q, K, this.opts).ids },
    memory() { return ix.memoryUsage() },
    free() { ix = null },
  }
}

function hnswlibCandidate(set, n) {
  let ix
  const space = set.metric === 'l2' ? 'l2' : set.metric === 'dot' ? 'ip' : 'cosine'
  return {
    prepare: (v) => Array.from(v), // hnswlib-node takes plain arrays only
    build(base, rowsAsArrays) {
      ix = new HierarchicalNSW(space, set.dim)
      ix.initIndex(n + INSERTS, M, EF_CONSTRUCTION, 1)
      for (let i = 0; i < n; i++) ix.addPoint(rowsAsArrays[i], i)
    },
    insert(id, v) { ix.addPoint(v, id) },
    setEf(ef) { ix.setEf(ef) },
    search(q) { return ix.searchKnn(q, K).neighbors },
    free() { ix = null },
  }
}

function usearchCandidate(set, n) {
  const metric = set.metric === 'l2' ? 'l2sq' : set.metric === 'dot' ? 'ip' : 'cos'
  const file = join(tmpdir(), `elex-bench-usearch-${process.pid}.idx`)
  const make = (ef) => new usearch.Index({ dimensions: set.dim, metric, connectivity: M, expansion_add: EF_CONSTRUCTION, expansion_search: ef })
  let ix
  return {
    build(base) {
      ix = make(64)
      ix.add(BigUint64Array.from({ length: n }, (_, i) => BigInt(i)), base)
    },
    insert(id, v) { ix.add(BigInt(id), v) },
    // usearch fixes expansion_search at construction: reload the saved index per ef.
    setEf(ef) {
      ix.save(file)
      ix = make(ef)
      ix.load(file)
      rmSync(file, { force: true })
    },
    search(q) { return ix.search(q, K, 1).keys },
    free() { ix = null },
  }
}

// ---- measuring ----------------------------------------------------------------------------
function recallOf(results, truth) {
  let hit = 0
  for (let q = 0; q < results.length; q++) {
    const want = new Set(Array.from(truth.subarray(q * K, q * K + K), Number))
    for (const id of results[q]) if (want.has(Number(id))) hit++
  }
  return hit / (results.length * K)
}

/** The fastest of `passes` runs of `run` (each returning { usPerQuery }): this VM's noise
 * comes in bursts that only ever slow a pass down, and one burst in a single pass could
 * otherwise decide a ratio. Every candidate is measured the same way. */
function fastestOf(passes, run) {
  let best = run()
  for (let i = 1; i < passes; i++) {
    const next = run()
    if (next.usPerQuery < best.usPerQuery) best = next
  }
  return best
}

function runQueries(c, queries) {
  const out = new Array(queries.length)
  const t0 = now()
  for (let i = 0; i < queries.length; i++) out[i] = c.search(queries[i])
  return { results: out, usPerQuery: ((now() - t0) * 1000) / queries.length }
}

function measure(name, c, set, data) {
  const { base, baseRows, insertRows, queryRows, truth, n } = data
  const prep = c.prepare ?? ((v) => v)
  const ins = insertRows.map(prep)
  const qs = queryRows.map(prep)
  const before = rss()
  const t0 = now()
  c.build(base, c.prepare ? baseRows.map(prep) : null)
  const buildMs = now() - t0
  const rssBytes = rss() - before
  // Inserts in five rounds; the median round is reported (this VM's noise comes in bursts,
  // and elex's first insert after a batch also pays the arrays' growth, which the peers
  // allocated up front).
  const roundsUs = []
  const per = Math.ceil(ins.length / INSERT_ROUNDS)
  for (let from = 0; from < ins.length; from += per) {
    const t1 = now()
    const to = Math.min(ins.length, from + per)
    for (let i = from; i < to; i++) c.insert(n + i, ins[i])
    roundsUs.push(((now() - t1) * 1000) / (to - from))
  }
  const insertUs = roundsUs.sort((a, b) => a - b)[roundsUs.length >> 1]
  const sweep = []
  c.setEf(EFS[0])
  runQueries(c, qs) // warm-up (JIT, caches) before anything is timed
  for (const ef of EFS) {
    c.setEf(ef)
    runQueries(c, qs.slice(0, 50))
    const { results, usPerQuery } = fastestOf(QUERY_PASSES, () => runQueries(c, qs))
    const recall = recallOf(results, truth)
    sweep.push({ ef, recall, usPerQuery })
    if (recall >= 0.999) break
  }
  const memory = c.memory ? c.memory() : null
  c.free()
  const at = Object.fromEntries(TARGETS.map((t) => [t, sweep.find((s) => s.recall >= t) ?? null]))
  console.log(`  ${name}: build ${buildMs.toFixed(0)} ms, insert ${insertUs.toFixed(1)} µs ` +
    `(rounds ${roundsUs.map((r) => r.toFixed(0)).join(' ')}), ` +
    sweep.map((s) => `ef ${s.ef}: ${s.recall.toFixed(3)} @ ${s.usPerQuery.toFixed(1)} µs`).join('; '))
  return { name, buildMs, insertUs, rssBytes, memory, sweep, at }
}

/** elex's exact scan ({ exact: true }) over the same index contents, for the table. */
function exactScan(api, set, data) {
  const { base, queryRows, truth, n } = data
  const ix = new api.VectorIndex({ dim: set.dim, metric: set.metric, seed: 1 })
  ix.addBatch(Uint32Array.from({ length: base.length / set.dim }, (_, i) => i), base)
  const opts = { exact: true }
  queryRows.slice(0, 20).forEach((q) => ix.search(q, K, opts)) // warm-up
  const { results, usPerQuery } = fastestOf(QUERY_PASSES, () => {
    const t0 = now()
    const results = queryRows.map((q) => ix.search(q, K, opts).ids)
    return { results, usPerQuery: ((now() - t0) * 1000) / queryRows.length }
  })
  return { name: `elex exact scan (${api.backend}, { exact: true })`, usPerQuery, recall: recallOf(results, truth), n }
}

// ---- main -----------------------------------------------------------------------------------
const report = []
const wasmRuns = []
const sets = makeSets()
for (const set of sets) {
  const all = set.make()
  const n = N_of(all, set.dim)
  const rowsOf = (from, count) => Array.from({ length: count }, (_, i) => all.subarray((from + i) * set.dim, (from + i + 1) * set.dim))
  const base = all.slice(0, n * set.dim)
  const data = {
    n, base,
    baseRows: rowsOf(0, n),
    insertRows: rowsOf(n, INSERTS),
    queryRows: rowsOf(n + INSERTS, QUERIES),
  }
  // Ground truth over base + inserted rows (the indexes hold both when queried).
  // (Copies: usearch reads typed arrays from the start of their buffer, ignoring offsets.)
  const indexed = all.slice(0, (n + INSERTS) * set.dim)
  const queries = all.slice((n + INSERTS) * set.dim)
  const metric = set.metric === 'l2' ? 'l2sq' : set.metric === 'dot' ? 'ip' : 'cos'
  data.truth = usearch.exactSearch(indexed, queries, set.dim, K, metric).keys
  console.log(`\n${set.name} (${QUERIES} queries, M ${M}, efConstruction ${EF_CONSTRUCTION})`)
  const rows = [
    measure('elex native', elexCandidate(native, set, n), set, data),
    measure('hnswlib-node', hnswlibCandidate(set, n), set, data),
    measure('usearch', usearchCandidate(set, n), set, data),
  ]
  const exact = exactScan(native, set, { ...data, base: indexed })
  report.push({ set: set.name, rows, exact })
  wasmRuns.push({ set, data })
}

// Phase 2: WASM (its memory growth detaches ArrayBuffers, which slows V8's typed-array code
// for the rest of the process, so it runs after everything else).
const wasm = require('../wasm.js')
for (const [i, { set, data }] of wasmRuns.entries()) {
  console.log(`\n${set.name}: WASM`)
  report[i].rows.push(measure('elex WASM', elexCandidate(wasm, set, data.n), set, data))
}

// ---- report ---------------------------------------------------------------------------------
const fmtQps = (s) => (s ? `${Math.round(1e6 / s.usPerQuery).toLocaleString('en')} (ef ${s.ef})` : 'not reached')
const wasmThreads = require('../wasm/node/elex_wasm.js').threadsCount?.() ?? 1
console.log(`\nelex ${native.version()} VectorIndex — Node ${process.version}, ${quick ? 'quick' : 'full'} run, k = ${K}, ` +
  `threads: native ${availableParallelism()}, WASM ${wasmThreads}\n`)
for (const { set, rows, exact } of report) {
  console.log(`### ${set}\n`)
  const hn = rows.find((r) => r.name === 'hnswlib-node')
  const table = rows.map((r) => [
    r.name,
    `${(r.buildMs / 1000).toFixed(2)} s`,
    `${r.insertUs.toFixed(1)} µs`,
    ...TARGETS.map((t) => fmtQps(r.at[t])),
    ...TARGETS.map((t) => (r.at[t] && hn.at[t] ? `${(hn.at[t].usPerQuery / r.at[t].usPerQuery).toFixed(2)}×` : '–')),
    [r.memory ? `${(r.memory / 2 ** 20).toFixed(1)} MB` : '', r.rssBytes > 0 ? `RSS +${(r.rssBytes / 2 ** 20).toFixed(1)} MB` : ''].filter(Boolean).join(', ') || '–',
  ])
  if (exact) table.push([exact.name, '–', '–', `${Math.round(1e6 / exact.usPerQuery).toLocaleString('en')} (recall ${exact.recall.toFixed(3)})`, '', '', '', '–'])
  console.log(markdown(['', 'build', 'insert (1 at a time)', 'QPS @ recall ≥ 0.95', 'QPS @ recall ≥ 0.99', 'vs hnswlib @ 0.95', 'vs hnswlib @ 0.99', 'memory (memoryUsage(); RSS growth is rough)'], table))
  console.log()
}
mkdirSync(new URL('./.results/', import.meta.url), { recursive: true })
writeFileSync(new URL('./.results/index.json', import.meta.url), JSON.stringify(report, null, 2))
