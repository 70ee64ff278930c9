// Bad-input sweep, run in a child process so that an abort would fail the test instead of
// killing the runner. Every function and method gets every bad value in every argument
// position (the other arguments valid), plus huge sizes and truncated / bit-flipped
// snapshots. Each call must return or throw an Error with a contract code, and objects
// must still work after a failed call. Prints one JSON report on stdout.
//   node bad-input-child.mjs      (backend from ELEX_BACKEND)
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const elex = require('../../index.js')
const CODES = new Set(elex.ERROR_CODES)

const nanVector = new Float32Array([1, NaN, 3])
const BAD = [
  undefined, null, NaN, Infinity, -Infinity, -1, 0, 0.5, 2 ** 32, 2 ** 53, -(2 ** 31), '', 'text', true, {},
  [], [1, 2, 3], () => 1, Symbol('s'), 10n, new Float32Array(0), new Float32Array(2), nanVector,
  new Float64Array(3), new Uint8Array(3), new Uint32Array(3), new Int32Array(3), new ArrayBuffer(12),
  new DataView(new ArrayBuffer(12)), { key: new Uint8Array(5) }, { efSearch: -3 }, { efSearch: 1e9 },
  { onProgress: 'x' }, { exact: 'yes' }, { dim: 2 ** 31 }, { dim: 3, m: 1e9 }, { actions: 1e12 },
]

const report = { calls: 0, ok: 0, errors: {}, violations: [] }

function note(label, fn) {
  report.calls++
  try {
    const r = fn()
    if (r && typeof r.then === 'function') r.catch(() => {}) // async: settled later, checked below
    report.ok++
  } catch (e) {
    if (!(e instanceof Error)) report.violations.push(`${label}: threw a non-Error ${String(e)}`)
    else if (!CODES.has(e.code)) report.violations.push(`${label}: code ${String(e.code)} (${e.message})`)
    else report.errors[e.code] = (report.errors[e.code] ?? 0) + 1
  }
}

async function noteAsync(label, fn) {
  report.calls++
  try {
    await fn()
    report.ok++
  } catch (e) {
    if (!(e instanceof Error)) report.violations.push(`${label}: rejected with a non-Error ${String(e)}`)
    else if (!CODES.has(e.code)) report.violations.push(`${label}: code ${String(e.code)} (${e.message})`)
    else report.errors[e.code] = (report.errors[e.code] ?? 0) + 1
  }
}

/** Calls fn with `valid` arguments, each position replaced by every bad value in turn. */
function sweep(label, valid, fn) {
  for (let i = 0; i < valid.length; i++) {
    for (const bad of BAD) {
      const args = valid.slice()
      args[i] = bad
      note(`${label}[arg ${i} = ${describe(bad)}]`, () => fn(...args))
    }
  }
}
const describe = (v) => (typeof v === 'symbol' ? 'symbol' : typeof v === 'bigint' ? 'bigint' : ArrayBuffer.isView(v) ? v.constructor.name : JSON.stringify(v) ?? typeof v)

function stillWorks(label, check) {
  try {
    if (!check()) report.violations.push(`${label}: unusable after failed calls`)
  } catch (e) {
    report.violations.push(`${label}: unusable after failed calls (${e.code}: ${e.message})`)
  }
}

// Kernels.
const v3 = new Float32Array([1, 2, 3])
sweep('cosineSimilarity', [v3, v3], elex.cosineSimilarity)
sweep('dotProduct', [v3, v3], elex.dotProduct)
sweep('normalize', [v3], elex.normalize)
sweep('topKSimilar', [v3, new Float32Array(9), 3, 2], elex.topKSimilar)
sweep('batchQUpdate', [v3, v3, v3, 0.1, 0.9], elex.batchQUpdate)
sweep('validateRanges', [v3, v3, v3], elex.validateRanges)
sweep('aggregate', [v3, v3, 1], elex.aggregate)
note('topKSimilar huge dim', () => elex.topKSimilar(v3, v3, 2 ** 40, 1))
note('topKSimilar huge k', () => elex.topKSimilar(v3, v3, 3, 2 ** 40))

// QTable.
sweep('new QTable', [{ seed: 1 }], (o) => new elex.QTable(o))
const q = new elex.QTable({ actions: 3, seed: 1 })
q.update(1, 0, 1, 2)
sweep('QTable.update', [1, 0, 1, 2], (...a) => q.update(...a))
sweep('QTable.selectAction', [1], (s) => q.selectAction(s))
sweep('QTable.bestAction', [1], (s) => q.bestAction(s))
sweep('QTable.qValues', [1], (s) => q.qValues(s))
sweep('QTable.visits', [1], (s) => q.visits(s))
sweep('QTable.confidence', [1], (s) => q.confidence(s))
sweep('QTable.updateBatch', [[1], new Uint32Array([0]), new Float32Array([1]), [2]], (...a) => q.updateBatch(...a))
sweep('QTable.merge', [q.toBytes()], (o) => q.merge(o))
sweep('QTable.toBytes', [undefined], (o) => q.toBytes(o))
sweep('QTable.fromBytes', [q.toBytes(), undefined], (b, o) => elex.QTable.fromBytes(b, o))
// (Some "bad" values are valid states, e.g. 0, so the table may have grown: check it works.)
stillWorks('QTable', () => q.qValues(1).length === 3 && typeof q.update(1, 1, 0.5, null) === 'number' &&
  elex.QTable.fromBytes(q.toBytes()).size === q.size)

// VectorIndex.
sweep('new VectorIndex', [{ dim: 3 }], (o) => new elex.VectorIndex(o))
const ix = new elex.VectorIndex({ dim: 3, seed: 1 })
ix.add(1, v3)
ix.add(2, new Float32Array([3, 2, 1]))
sweep('VectorIndex.add', [3, v3], (...a) => ix.add(...a))
if (ix.has(3)) ix.remove(3) // a bad value that happened to be valid (e.g. id 0.0) is undone
for (let id = 0; id < 10; id++) if (id > 2 && ix.has(id)) ix.remove(id)
sweep('VectorIndex.addBatch', [new Uint32Array([7]), v3], (...a) => ix.addBatch(...a))
if (ix.has(7)) ix.remove(7)
sweep('VectorIndex.search', [v3, 1, { efSearch: 8 }], (...a) => ix.search(...a))
sweep('VectorIndex.searchBatch', [v3, 1, undefined], (...a) => ix.searchBatch(...a))
sweep('VectorIndex.remove', [99], (id) => ix.remove(id))
sweep('VectorIndex.has', [1], (id) => ix.has(id))
sweep('VectorIndex.toBytes', [undefined], (o) => ix.toBytes(o))
sweep('VectorIndex.fromBytes', [ix.toBytes(), undefined], (b, o) => elex.VectorIndex.fromBytes(b, o))
stillWorks('VectorIndex', () => ix.has(1) && ix.has(2) && ix.search(v3, 1).ids[0] === 1)

// Security.
const key = elex.generateKey()
const id = elex.Identity.generate()
const msg = new Uint8Array([1, 2, 3])
sweep('Identity.fromSecretKey', [id.secretKey()], (k) => elex.Identity.fromSecretKey(k))
sweep('Identity.sign', [msg], (m) => id.sign(m))
sweep('verify', [id.publicKey, msg, id.sign(msg)], elex.verify)
sweep('encrypt', [key, msg, undefined], elex.encrypt)
sweep('decrypt', [key, elex.encrypt(key, msg), undefined], elex.decrypt)
stillWorks('Identity', () => elex.verify(id.publicKey, msg, id.sign(msg)))

// Swarm (a small catalog of its own, links dropped, so each construction is quick).
const small = elex.defaultCatalog().slice(0, 30).map((f) => ({ ...f, dependsOn: [], conflictsWith: [], relatedTo: [] }))
sweep('new Swarm', [{ catalog: small, coldStartThreshold: 2 }], (o) => new elex.Swarm(o))
sweep('validateCatalog', [small], (c) => elex.validateCatalog(c))
const sw = new elex.Swarm({ catalog: small, coldStartThreshold: 2 })
const fc = small[1].fajCode
sweep('Swarm.route', ['how do I activate it', 3], (...a) => sw.route(...a))
sweep('Swarm.embed', ['sleep start time'], (t) => sw.embed(t))
sweep('Swarm.query', [{ text: 'how do I activate it', context: { node: 'N1' } }], (i) => sw.query(i))
sweep('Swarm.query text', ['how do I activate it'], (t) => sw.query({ text: t }))
sweep('Swarm.query embedding', [sw.embed('x')], (v) => sw.query({ text: 'x', embedding: v }))
sweep('Swarm.query context', [{ node: 'N1' }], (c) => sw.query({ text: 'x', context: c }))
sweep('Swarm.feedback', [sw.query(`how do I activate ${small[1].name}`).queryId, 0.5], (...a) => sw.feedback(...a))
sweep('Swarm.agent', [fc], (id) => sw.agent(id))
const extra = { fajCode: 'FAJ 121 9001', name: 'Extra', category: 'Other', parameters: [], counters: [], kpis: [] }
sweep('Swarm.addFeature', [extra], (f) => sw.addFeature(f))
sweep('Swarm.removeFeature', ['FAJ 121 9001'], (c) => sw.removeFeature(c))
sweep('Swarm.validate', [fc, { 'X.y': 1 }], (...a) => sw.validate(...a))
sweep('Swarm.plan', [fc, {}, { scope: 'N1' }], (...a) => sw.plan(...a))
sweep('Swarm.evaluateKpis', [fc, { pmX: 1 }], (...a) => sw.evaluateKpis(...a))
for (const method of ['dependencies', 'conflicts', 'peers', 'learned']) sweep(`Swarm.${method}`, [fc], (c) => sw[method](c))
sweep('Swarm.merge', [sw.toBytes()], (o) => sw.merge(o))
sweep('Swarm.toBytes', [undefined], (o) => sw.toBytes(o))
sweep('Swarm.fromBytes', [sw.toBytes(), undefined], (b, o) => elex.Swarm.fromBytes(b, o))
sweep('Swarm.shutdown', [small[29].fajCode], (c) => sw.shutdown(c))
note('Swarm dim 2^31', () => new elex.Swarm({ catalog: small, dim: 2 ** 31 }))
note('Swarm queryCacheSize 2^40', () => new elex.Swarm({ catalog: small, queryCacheSize: 2 ** 40 }))
note('Swarm huge text', () => sw.query('activate '.repeat(100_000)))
note('Swarm deep JSON', () => sw.addFeature(JSON.parse('{"fajCode":"FAJ 121 9003","name":"n","category":"c","description":' + '['.repeat(1000) + ']'.repeat(1000) + '}')))
stillWorks('Swarm', () => sw.route('how do I activate it', 1).length === 1 && elex.Swarm.fromBytes(sw.toBytes()).size === sw.size)
{
  // Damaged swarm snapshots: a spread of truncations and bit flips (each load rebuilds a swarm).
  const bytes = sw.toBytes()
  for (let n = 0; n < bytes.length; n += Math.max(1, bytes.length >> 6)) note(`Swarm.fromBytes truncated ${n}`, () => elex.Swarm.fromBytes(bytes.subarray(0, n)))
  for (let bit = 3; bit < bytes.length * 8; bit += Math.max(7, (bytes.length * 8) >> 6)) {
    const damaged = bytes.slice()
    damaged[bit >> 3] ^= 1 << (bit & 7)
    note(`Swarm.fromBytes bit ${bit}`, () => {
      elex.Swarm.fromBytes(damaged)
      throw new Error(`a damaged swarm snapshot (bit ${bit}) loaded`)
    })
  }
}

// Snapshots: every truncation and a spread of bit flips, plain and sealed, each kind.
for (const [name, make, C] of [['QTable', () => q, elex.QTable], ['VectorIndex', () => ix, elex.VectorIndex]]) {
  for (const options of [undefined, { key }]) {
    const bytes = make().toBytes(options)
    for (let n = 0; n < bytes.length; n++) note(`${name}.fromBytes truncated ${n}`, () => C.fromBytes(bytes.subarray(0, n), options))
    for (let bit = 0; bit < bytes.length * 8; bit += 7) {
      const damaged = bytes.slice()
      damaged[bit >> 3] ^= 1 << (bit & 7)
      note(`${name}.fromBytes bit ${bit}${options ? ' sealed' : ''}`, () => {
        C.fromBytes(damaged, options)
        throw new Error(`a damaged snapshot (bit ${bit}) loaded`)
      })
    }
  }
}

// Huge sizes (each must fail cleanly or succeed, without exhausting memory).
note('VectorIndex dim 2^31', () => new elex.VectorIndex({ dim: 2 ** 31 }))
note('QTable actions 2^32', () => new elex.QTable({ actions: 2 ** 32 }))
note('VectorIndex efConstruction 2^40', () => new elex.VectorIndex({ dim: 2, efConstruction: 2 ** 40 }))
note('search k 2^31', () => ix.search(v3, 2 ** 31))

// Async entry points.
await noteAsync('addBatchAsync mismatch', () => ix.addBatchAsync(new Uint32Array([50]), new Float32Array(2)))
await noteAsync('addBatchAsync bad progress', () => ix.addBatchAsync(new Uint32Array([50]), v3, { onProgress: 5 }))
for (const bad of BAD) {
  await noteAsync(`save(${describe(bad)})`, () => elex.save(bad, q))
  await noteAsync(`save(path, ${describe(bad)})`, () => elex.save('/tmp/elex-bad-input.elex', bad))
  await noteAsync(`load(${describe(bad)})`, () => elex.load(bad))
}
for (const bad of BAD) {
  await noteAsync(`Swarm.queryAsync(${describe(bad)})`, () => sw.queryAsync(bad))
  await noteAsync(`Swarm.queryAsync({ text: ${describe(bad)} })`, () => sw.queryAsync({ text: bad }))
  await noteAsync(`Swarm.queryAsync(context ${describe(bad)})`, () => sw.queryAsync({ text: 'x', context: bad }))
}
// Many at once, good and bad mixed: the off-thread batches settle every one with a code.
await Promise.all(BAD.map((bad, i) => noteAsync(`Swarm.queryAsync batch ${i}`, () => sw.queryAsync(i % 2 ? { text: bad } : `how do I activate ${small[1].name}`))))
stillWorks('VectorIndex after async', () => ix.size === 2)
stillWorks('Swarm after queryAsync', () => sw.query(`how do I activate ${small[1].name}`).fajCode === small[1].fajCode)

process.stdout.write(JSON.stringify(report))
