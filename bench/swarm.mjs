// Swarm benchmark: routing quality, latency, construction, memory and learning of elex's
// Swarm on both backends, next to minisearch and lunr on the same catalog and the labelled
// questions of bench/swarm/questions.json, in one process.
//   node bench/swarm.mjs [--quick]      (npm run bench:swarm installs the peers first)
//
// Order matters: the JS peers and the native addon are measured before the WASM build is
// loaded, because WebAssembly memory growth detaches ArrayBuffers and V8 then slows some
// plain-JS code (see bench/kernels.mjs); the peers must not pay for our WASM.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { markdown } from './harness.mjs'
import { rng } from '../__test__/helpers/cases.mjs'

const require = createRequire(import.meta.url)
const peers = createRequire(new URL('./peers/package.json', import.meta.url))
const MiniSearch = peers('minisearch')
const lunr = peers('lunr')
const quick = process.argv.includes('--quick')
const REPS = quick ? 1 : 5 // timed passes over all questions, after one warm-up pass
const ROUNDS = quick ? 1000 : 5000 // learning rounds
const BLOCK = 500

const native = require('../index.js')
if (native.backend !== 'native') throw new Error(`native addon did not load: ${native.nativeLoadError?.message}`)
const { questions } = require('./swarm/questions.json')
const catalog = native.defaultCatalog()
const pkg = require('../package.json')
console.log(`# elex ${pkg.version} swarm benchmark — Node ${process.version}, ${new Date().toISOString()}${quick ? ' (quick)' : ''}\n\n` +
  `${catalog.length} features, ${questions.length} labelled questions; native kernels: ${native.simdLevel()}.\n`)

// RSS growth of one native swarm, measured first while the heap is small (rough: the
// allocator keeps what it frees; with --expose-gc the JS garbage of building is left out).
// The second swarm's growth leaves out one-off costs (code pages, allocator arenas).
const rssGrowth = [], kept = []
for (let i = 0; i < 2; i++) {
  globalThis.gc?.()
  const rss0 = process.memoryUsage().rss
  kept.push(new native.Swarm())
  globalThis.gc?.()
  rssGrowth.push(process.memoryUsage().rss - rss0)
}
kept.length = 0

// ---- helpers ----
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
const f1 = (x) => x.toFixed(1)
const f3 = (x) => x.toFixed(3)
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MB`
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
const say = (...blocks) => console.log(blocks.join('\n\n') + '\n') // paragraphs, blank line after

/** µs per call of fn(question text): one warm-up pass, then REPS timed passes. Sorted. */
function latencies(fn) {
  for (const q of questions) fn(q.text)
  const us = []
  for (let r = 0; r < REPS; r++) {
    for (const q of questions) {
      const t0 = process.hrtime.bigint()
      fn(q.text)
      us.push(Number(process.hrtime.bigint() - t0) / 1e3)
    }
  }
  return us.sort((a, b) => a - b)
}

/** Median of 5 wall-clock ms of build(). */
function buildMs(build) {
  return median(Array.from({ length: 5 }, () => {
    const t0 = performance.now()
    build()
    return performance.now() - t0
  }))
}

// ---- the JS peers: one document per feature ----
// 'EUtranCellFDD.lbActivationThreshold' -> 'E Utran Cell FDD lb Activation Threshold'
const words = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').replace(/[._]/g, ' ')
const named = (xs) => xs.map((x) => (typeof x === 'string' ? x : x.name))
const docs = catalog.map((f, id) => {
  const params = named(f.parameters), counters = named(f.counters)
  return {
    id, name: f.name, acronym: f.acronym ?? '', fajCode: f.fajCode, cxc: f.cxc ?? '', category: f.category,
    parameters: params.join(' '), parameterWords: params.map(words).join(' '),
    counters: counters.join(' '), counterWords: counters.map(words).join(' '),
    kpis: named(f.kpis).join(' '),
  }
})
const FIELDS = Object.keys(docs[0]).filter((k) => k !== 'id')
const BOOST = { name: 3, acronym: 4 }

const buildMini = () => {
  const ms = new MiniSearch({ fields: FIELDS, searchOptions: { fuzzy: 0.2, prefix: true, boost: BOOST } })
  ms.addAll(docs)
  return ms
}
const buildLunr = () => {
  const idx = lunr(function () {
    this.ref('id')
    for (const f of FIELDS) this.field(f, { boost: BOOST[f] ?? 1 })
    for (const d of docs) this.add(d)
  })
  // lunr 2.3.9's minimised token set can expand a wildcard to terms the index does not hold
  // (here 'nr*' -> '…abnormalmenbt7'), and query() then throws "reading '_index'" (lunr
  // issues #279, #314). Drop such terms: the smallest fix that keeps lunr's ranking.
  const { tokenSet, invertedIndex } = idx
  const intersect = tokenSet.intersect.bind(tokenSet)
  tokenSet.intersect = (other) => {
    const set = intersect(other), toArray = set.toArray.bind(set)
    set.toArray = () => toArray().filter((t) => t in invertedIndex)
    return set
  }
  return idx
}
const mini = buildMini()
const lunrIdx = buildLunr()
// lunr's query-string syntax chokes on punctuation, so the clauses are built directly from
// the words as lunr's own tokenizer and trimmer cut them (lowercased; 'MoClass.attr' stays
// whole, as in the index), stop words dropped: each word exact, word~1 and word* (wildcards
// skip the stemmer, as lunr's query parser does).
const lunrSearch = (text) => {
  const ws = lunr.tokenizer(text).map((t) => lunr.trimmer(t).toString()).filter((w) => w && lunr.stopWordFilter(w))
  return lunrIdx.query((q) => {
    for (const w of ws) {
      q.term(w)
      q.term(w, { editDistance: 1 })
      q.term(w, { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false })
    }
  })
}
const peerTop5 = {
  minisearch: (t) => mini.search(t).slice(0, 5).map((r) => catalog[r.id].fajCode),
  lunr: (t) => lunrSearch(t).slice(0, 5).map((r) => catalog[+r.ref].fajCode),
}

// ---- phase 1: peers and native ----
const construction = {
  'minisearch index build': buildMs(buildMini),
  'lunr index build': buildMs(buildLunr),
}
// The peers take milliseconds a question, so one timed pass (after warming up on 200
// questions) gives both their rankings and their latencies.
const lat = {}, peerRanked = {}
for (const [name, top5] of Object.entries(peerTop5)) {
  for (const q of questions.slice(0, 200)) top5(q.text)
  const us = []
  peerRanked[name] = questions.map((q) => {
    const t0 = process.hrtime.bigint()
    const r = top5(q.text)
    us.push(Number(process.hrtime.bigint() - t0) / 1e3)
    return r
  })
  lat[`${name} search`] = us.sort((a, b) => a - b)
}

/** Everything measured on one backend's fresh swarm. */
function measureSwarm(api) {
  const s = new api.Swarm()
  const routes = questions.map((q) => s.route(q.text, 5))
  return {
    routes,
    ranked: routes.map((r) => r.map((h) => h.fajCode)),
    route: latencies((t) => s.route(t, 5)),
    query: latencies((t) => s.query({ text: t })),
    build: buildMs(() => new api.Swarm()),
    memoryBytes: s.stats().memoryBytes,
  }
}

// The learning user: prefers one action per query type; reward 1 for it, -0.5 otherwise.
const preferred = { parameter: 'DirectAnswer', counter: 'DirectAnswer', kpi: 'ContextAnswer', procedure: 'DirectAnswer', troubleshoot: 'ConsultPeer', general: 'ContextAnswer' }
const allFeatures = [...new Set(questions.map((q) => q.fajCode))].sort()
const pick = rng(2024)
for (let i = allFeatures.length - 1; i > 0; i--) { // seeded Fisher–Yates: 25 fixed features
  const j = Math.floor(pick() * (i + 1));
  [allFeatures[i], allFeatures[j]] = [allFeatures[j], allFeatures[i]]
}
const chosen = new Set(allFeatures.slice(0, 25))
const pool = questions.filter((q) => chosen.has(q.fajCode))
function learn(api, rounds) {
  const s = new api.Swarm({ coldStartThreshold: 20 })
  const random = rng(7)
  const hits = [], actions = []
  for (let i = 0; i < rounds; i++) {
    const r = s.query(pool[Math.floor(random() * pool.length)].text)
    const good = r.action === preferred[r.queryType]
    s.feedback(r.queryId, good ? 1 : -0.5)
    hits.push(good ? 1 : 0)
    actions.push(r.action)
  }
  const blocks = []
  for (let b = 0; b < rounds; b += BLOCK) blocks.push(hits.slice(b, b + BLOCK).reduce((a, x) => a + x, 0) / Math.min(BLOCK, rounds - b))
  return { blocks, actions }
}

const N = measureSwarm(native)
const nLearn = learn(native, ROUNDS)

// ---- phase 2: WASM ----
const wasm = require('../wasm.js')
const W = measureSwarm(wasm)
const wLearn = learn(wasm, ROUNDS)
// ---- phase 3: the browser build (wasm/web: size first, opt-level z), run here in Node ----
// Browsers download this one, so its speed is reported too (ranks must not differ).
const { createApi } = await import('../js/api.mjs')
const web = await import('../wasm/web/elex_wasm.js')
await web.default({ module_or_path: readFileSync(new URL('../wasm/web/elex_wasm_bg.wasm', import.meta.url)) })
const webApi = createApi(web, 'wasm', null, null, () => readFileSync(new URL('../data/catalog.json', import.meta.url), 'utf8'))
const B = measureSwarm(webApi)
const sameBrowserRanks = questions.every((_, i) => N.ranked[i].join() === B.ranked[i].join())
const sameRoutes = questions.every((_, i) => JSON.stringify(N.routes[i]) === JSON.stringify(W.routes[i]))
const sameRanks = questions.every((_, i) => N.ranked[i].join() === W.ranked[i].join())

// ---- 1. routing quality ----
// One elex column when WASM ranks exactly as native (the expected case), else one each.
const ranked = { ...(sameRanks ? { elex: N.ranked } : { 'elex native': N.ranked, 'elex WASM': W.ranked }), ...peerRanked }
const names = Object.keys(ranked)
function quality(name, filter) {
  const hits = questions.map((q, i) => [q, ranked[name][i]]).filter(([q]) => filter(q))
  const share = (ok) => hits.filter(ok).length / hits.length
  return { n: hits.length, top1: share(([q, r]) => r[0] === q.fajCode), top5: share(([q, r]) => r.includes(q.fajCode)) }
}
const qualityRow = (label, filter) => {
  const qs = names.map((n) => quality(n, filter))
  return [label, qs[0].n, ...qs.flatMap((x) => [f3(x.top1), f3(x.top5)])]
}
const qHeader = ['set', 'n', ...names.flatMap((n) => [`${n} top-1`, `${n} top-5`])]
const splits = { dev: (q) => q.split === 'dev', holdout: (q) => q.split === 'holdout', all: () => true }
const styles = [...new Set(questions.map((q) => q.style))].sort()
say('## 1. Routing quality (top-1 / top-5 accuracy)',
  markdown(qHeader, Object.entries(splits).map(([s, f]) => qualityRow(s, f))),
  markdown(['style', ...qHeader.slice(1)], styles.map((s) => qualityRow(s, (q) => q.style === s))),
  `WASM vs native: ${sameRanks ? 'all' : 'NOT all'} ${questions.length} rankings identical` +
  ` (${sameRoutes ? 'scores identical too' : 'scores differ'}).`)

// ---- 2. latency ----
const p = (xs) => [pct(xs, 50), pct(xs, 99)]
const latRows = ['route', 'query'].map((op) => {
  const [n50, n99] = p(N[op]), [w50, w99] = p(W[op])
  return [`elex ${op}`, f1(n50), f1(n99), f1(w50), f1(w99), `${(w50 / n50).toFixed(2)}× / ${(w99 / n99).toFixed(2)}×`]
})
const browserRows = ['route', 'query'].map((op) => {
  const [n50] = p(N[op]), [b50, b99] = p(B[op])
  return [`elex ${op}`, f1(b50), f1(b99), `${(b50 / n50).toFixed(2)}×`]
})
say(`## 2. Latency (µs per call, ${REPS} pass${REPS > 1 ? 'es' : ''} over all questions after a warm-up pass)`,
  markdown(['operation', 'native p50', 'native p99', 'WASM p50', 'WASM p99', 'WASM/native p50 / p99'], latRows),
  'WASM above is Node\'s WebAssembly fallback (wasm/node, built for speed). Browsers get wasm/web, built for size ' +
  `(opt-level z); run here in Node it ranks ${sameBrowserRanks ? 'exactly as native' : 'NOT as native'}:`,
  markdown(['browser build', 'p50', 'p99', 'p50 / native p50'], browserRows),
  markdown(['peer (1 pass)', 'p50', 'p99'], Object.entries(lat).map(([n, xs]) => [n, ...p(xs).map(f1)])))

// ---- 3. construction ----
Object.assign(construction, { 'elex native new Swarm()': N.build, 'elex WASM new Swarm()': W.build })
say('## 3. Construction (median of 5, ms)', markdown(['what', 'ms'], Object.entries(construction).map(([k, v]) => [k, f1(v)])))

// ---- 4. memory ----
say('## 4. Memory', markdown(['backend', 'stats().memoryBytes'], [['native', mb(N.memoryBytes)], ['WASM', mb(W.memoryBytes)]]),
  `Process RSS growth for one native new Swarm(): ${mb(rssGrowth[0])} for the first, ${mb(rssGrowth[1])} for a second` +
  ` (rough${globalThis.gc ? '' : '; run with --expose-gc for a steadier figure'}).`)

// ---- 5. learning ----
const lastShare = nLearn.blocks.at(-1)
const sameActions = nLearn.actions.join() === wLearn.actions.join()
say(`## 5. Learning curve (${chosen.size} features, ${pool.length} questions, ${ROUNDS} rounds, coldStartThreshold 20)`,
  markdown(['rounds', 'native preferred', 'WASM preferred'],
    nLearn.blocks.map((x, b) => [`${b * BLOCK + 1}–${Math.min((b + 1) * BLOCK, ROUNDS)}`, f3(x), f3(wLearn.blocks[b])])),
  `Last block: ${(lastShare * 100).toFixed(1)} % preferred (target 90 %). WASM chose ${sameActions ? 'exactly the same' : 'NOT the same'} actions as native in all ${ROUNDS} rounds.`)

// ---- 6. targets ----
const gz = (path) => gzipSync(readFileSync(new URL(path, import.meta.url)), { level: 9 }).length
const wasmGz = gz('../wasm/web/elex_wasm_bg.wasm')
const catalogGz = gz('../data/catalog.json')
const hold = quality(names[0], splits.holdout), every = quality(names[0], splits.all)
const [r50, q50] = [pct(N.route, 50), pct(N.query, 50)]
const [wr, wq] = [pct(W.route, 50) / r50, pct(W.query, 50) / q50]
const [br, bq] = [pct(B.route, 50) / r50, pct(B.query, 50) / q50]
const targets = [
  ['route p50 (native)', '≤ 20 µs', `${f1(r50)} µs`, r50 <= 20],
  ['query p50 (native)', '≤ 50 µs', `${f1(q50)} µs`, q50 <= 50],
  ['WASM / native, route p50', '≤ 3×', `${wr.toFixed(2)}×`, wr <= 3],
  ['WASM / native, query p50', '≤ 3×', `${wq.toFixed(2)}×`, wq <= 3],
  ['browser build / native, route p50', '≤ 3×', `${br.toFixed(2)}×`, br <= 3],
  ['browser build / native, query p50', '≤ 3×', `${bq.toFixed(2)}×`, bq <= 3],
  ['construction (native, median)', '≤ 300 ms', `${f1(N.build)} ms`, N.build <= 300],
  ['memory (stats().memoryBytes, native)', '≤ 16 MB', mb(N.memoryBytes), N.memoryBytes <= 16 * 2 ** 20],
  ['memory (stats().memoryBytes, WASM)', '≤ 16 MB', mb(W.memoryBytes), W.memoryBytes <= 16 * 2 ** 20],
  [`preferred action, last block of ${ROUNDS} rounds`, '≥ 90 % (after 5 000)', `${(lastShare * 100).toFixed(1)} %`, lastShare >= 0.9],
  ['top-1, holdout', '≥ 0.90', f3(hold.top1), hold.top1 >= 0.9],
  ['top-1, all', '≥ 0.90', f3(every.top1), every.top1 >= 0.9],
  ['top-5, holdout', '≥ 0.97', f3(hold.top5), hold.top5 >= 0.97],
  ['top-5, all', '≥ 0.97', f3(every.top5), every.top5 >= 0.97],
  ['browser .wasm, gzip -9', '≤ 250 KB', kb(wasmGz), wasmGz <= 250 * 1024],
]
say('## 6. Targets', markdown(['target', 'goal', 'measured', ''], targets.map(([a, b, c, ok]) => [a, b, c, ok ? 'met' : 'not met'])),
  `data/catalog.json: ${kb(readFileSync(new URL('../data/catalog.json', import.meta.url)).length)} raw, ${kb(catalogGz)} gzip -9 (fetched separately, not in the .wasm).`)
