// What elex does, on both backends: `npm run demo`. First the swarm on the built-in catalog
// answering real engineers' questions; then the parts under it: kernels, Q-learning, the
// vector index, identities and sealed save/load.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const elex = require('../index.js')
const wasm = require('../wasm.js')

console.log(`elex ${elex.version()}: backend ${elex.backend} (${elex.simdLevel()}), WASM fallback ${wasm.simdLevel()}\n`)

// 0. The swarm: 593 feature agents answering questions, planning a change, computing KPIs.
let started = performance.now()
const swarm = new elex.Swarm()
console.log(`A swarm of ${swarm.size} feature agents built in ${(performance.now() - started).toFixed(0)} ms.`)
for (const text of ['How do I activate MIMO Sleep Mode?', 'what does pmAnrNeighbrelAdd count?', 'UL CoMP gains are low',
  'is IFLB worth switching on here?', 'handover success dropped after the last change on ERBS01']) {
  const r = swarm.query({ text, context: { node: 'ERBS01' } })
  console.log(`\nQ: ${text}\n-> ${r.featureName} (${r.fajCode}), ${r.queryType}, ${r.action}, confidence ${r.confidence.toFixed(2)}, ${r.latencyUs.toFixed(0)} µs`)
  console.log(r.answer.split('\n').slice(0, 4).map((l) => `   ${l}`).join('\n'))
  for (const c of r.commands.slice(0, 3)) console.log(`   $ ${c.command}   # ${c.purpose} (${c.risk})`)
  swarm.feedback(r.queryId, 1)
}
const plan = swarm.plan('FAJ 121 0489', { 'ReportConfigEUtraBestCell.a3offset': 60 },
  { current: { 'ReportConfigEUtraBestCell.a3offset': 30 }, scope: 'ERBS01' })
console.log(`\nPlan a3offset 30 -> 60 on ERBS01: risk ${plan.risk} (${plan.changes[0].reason}); ${plan.commands.join(' ; ')}`)
const kpis = swarm.evaluateKpis('FAJ 121 0497', { pmHoPrepSucc: 970, pmHoPrepAtt: 1000, pmHoExeSucc: 955, pmHoExeAtt: 970 })
console.log(`KPIs of ANR: ${kpis.map((k) => `${k.name} ${k.value === null ? `n/a (${k.reason})` : k.value.toFixed(1)}${k.breached ? ' BREACHED' : ''}`).join('; ')}\n`)

// 1. Proposed parameter values against their safe ranges (one SIMD pass).
const params = ['sectorCarrierPower', 'qRxLevMin', 'a3Offset', 'hysteresis', 'timeToTrigger']
const proposed = new Float32Array([43, -140, 6, NaN, 640])
const min = new Float32Array([0, -140, -30, 0, 0])
const max = new Float32Array([46, -44, 30, 15, 5120])
const ok = elex.validateRanges(proposed, min, max)
console.log('Safe-range check of proposed values:')
params.forEach((p, i) => console.log(`  ${p.padEnd(20)} ${String(proposed[i]).padStart(6)}  ${ok[i] ? 'ok' : 'OUT OF RANGE'}`))

// 2. Cell counters: totals, traffic-weighted average and cells over a load threshold.
const prbUtilisation = new Float32Array([0.42, 0.91, 0.77, 0.35, 0.96, 0.63])
const traffic = new Float32Array([120, 340, 280, 90, 410, 200])
const agg = elex.aggregate(prbUtilisation, traffic, 0.9)
const totalTraffic = traffic.reduce((a, b) => a + b, 0)
console.log(`\nPRB utilisation over 6 cells: traffic-weighted mean ${(agg.weightedSum / totalTraffic).toFixed(3)}, ` +
  `peak ${agg.max.toFixed(2)}, ${agg.countAbove} cells above 0.90`)

// 3. Q-values of the swarm's five actions after one batch of feedback.
const actions = ['DirectAnswer', 'ContextAnswer', 'ConsultPeer', 'RequestClarification', 'Escalate']
const q = elex.batchQUpdate(new Float32Array(5), new Float32Array([1, 0.5, 0.2, -0.3, -1]), new Float32Array(5), 0.1, 0.95)
console.log('\nQ-values after one batch update:', actions.map((a, i) => `${a}=${q[i].toFixed(3)}`).join(', '))

// 4. Nearest neighbours: 10 000 embeddings of 128 dims, top 5 by cosine similarity.
const dim = 128, rows = 10_000
let s = 7
const rand = () => {
  s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0
  return (s / 2 ** 32) * 2 - 1
}
const matrix = Float32Array.from({ length: rows * dim }, rand)
const query = elex.normalize(matrix.slice(4242 * dim, 4243 * dim))
for (const [name, api] of [['native', elex], ['wasm', wasm]]) {
  api.topKSimilar(query, matrix, dim, 5) // warm-up
  const t0 = performance.now()
  const top = api.topKSimilar(query, matrix, dim, 5)
  const ms = performance.now() - t0
  console.log(`\ntopKSimilar over ${rows}×${dim} on ${name}: rows ${Array.from(top.indices).join(', ')} ` +
    `(best score ${top.scores[0].toFixed(4)}), ${ms.toFixed(2)} ms`)
}

// 5. A vector index: 20 000 embeddings built off the event loop, then searched.
const ix = new elex.VectorIndex({ dim, metric: 'cosine', seed: 1 })
const ids = Uint32Array.from({ length: 20_000 }, (_, i) => i)
const embeddings = Float32Array.from({ length: ids.length * dim }, rand)
let progressCalls = 0
let t0 = performance.now()
await ix.addBatchAsync(ids, embeddings, { onProgress: () => progressCalls++ })
const buildMs = performance.now() - t0
const probe = embeddings.subarray(777 * dim, 778 * dim)
t0 = performance.now()
const hits = ix.search(probe, 3, { efSearch: 64 })
console.log(`
VectorIndex: ${ix.size} vectors built in ${buildMs.toFixed(0)} ms (${progressCalls} progress reports), ` +
  `${(ix.memoryUsage() / 2 ** 20).toFixed(1)} MB; nearest to #777: ${Array.from(hits.ids).join(', ')} in ${(performance.now() - t0).toFixed(2)} ms`)

// 6. A signed, sealed agent state: an Ed25519 identity signs a parameter change, and the
//    Q-table is saved sealed (AES-256-GCM) and loaded back.
const { mkdtempSync, rmSync } = require('node:fs')
const { join } = require('node:path')
const { tmpdir } = require('node:os')
const agent = elex.Identity.generate()
const change = new TextEncoder().encode('FAJ 121 3094: a3Offset 6 -> 4 dB')
const signature = agent.sign(change)
console.log(`
${agent.agentId} signed a change; verify: ${elex.verify(agent.publicKey, change, signature)}, ` +
  `tampered: ${elex.verify(agent.publicKey, new TextEncoder().encode('FAJ 121 3094: a3Offset 6 -> 9 dB'), signature)}`)
const table = new elex.QTable({ actions: 5, seed: 3 })
for (let step = 0; step < 200; step++) table.update(step % 20, step % 5, step % 5 === 0 ? 1 : -0.1, (step + 1) % 20)
const key = elex.generateKey()
const folder = mkdtempSync(join(tmpdir(), 'elex-demo-'))
const file = join(folder, 'agent.elex')
try {
  await elex.save(file, table, { key })
  const restored = await elex.load(file, { key })
  console.log(`Sealed Q-table saved to ${file} and loaded back: ${restored.size} states, best action in state 0: ` +
    `${actions[restored.bestAction(0)]}; without the key: ${await elex.load(file).catch((e) => e.code)}`)
} finally {
  rmSync(folder, { recursive: true, force: true }) // the demo leaves nothing behind
}

// 7. Every failure is an Error with a code.
try {
  elex.cosineSimilarity(new Float32Array(3), new Float32Array(4))
} catch (e) {
  console.log(`\nErrors carry codes: ${e.code} — ${e.message}`)
}
