// Compiled with `tsc --noEmit` by the test script: a user's code against index.d.ts.
// Lines marked @ts-expect-error must stay errors, or tsc fails.
import elex, { aggregate, backend, cosineSimilarity, decrypt, defaultCatalog, encrypt, exists, generateKey, Identity, load, QTable, remove, save, Swarm, topKSimilar, validateCatalog, VectorIndex, verify, type Action, type AgentInfo, type ChangePlan, type ElexError, type FeatureSpec, type KpiValue, type Neighbours, type QTableStats, type QueryResponse, type Risk, type RouteHit, type TopKResult } from 'elex'

const a = new Float32Array([1, 2, 3])
const s: number = cosineSimilarity(a, a)
const top: TopKResult = topKSimilar(a, new Float32Array(9), 3, 2)
const first: number = top.indices[0] + top.scores[0]
const which: 'native' | 'wasm' = backend
const agg = aggregate(a, a, 0.5)
const count: number = agg.countAbove + agg.weightedSum + agg.max + agg.sum
const level: string = elex.simdLevel()
const norm: Float32Array = elex.normalize(a)

try {
  elex.dotProduct(a, a)
} catch (e) {
  const code: string = (e as ElexError).code
  console.log(code)
}

// @ts-expect-error plain arrays are not accepted on hot paths
cosineSimilarity([1, 2, 3], a)
// @ts-expect-error k is a number
topKSimilar(a, a, 3, '2')
// @ts-expect-error no such kernel
elex.cosine(a, a)

const q = new QTable({ actions: 4, policy: 'ucb', seed: 1 })
const td: number = q.update('s', q.selectAction('s'), 1, null) + q.update(3, 0, 1, 'next')
q.updateBatch([1, 'x'], new Uint32Array([0, 1]), new Float32Array([1, 0]), [null, 2])
const stats: QTableStats = q.stats()
const restored: QTable = QTable.fromBytes(q.toBytes())
restored.merge(q)
// @ts-expect-error unknown policy
new QTable({ policy: 'softmax' })
// @ts-expect-error states are numbers or strings
q.bestAction({ id: 1 })

const ix = new VectorIndex({ dim: 3, metric: 'l2', seed: 1 })
ix.add(1, a)
const hits: Neighbours = ix.search(a, 1, { efSearch: 32 })
// @ts-expect-error dim is required
new VectorIndex({ metric: 'cosine' })
const built: Promise<void> = ix.addBatchAsync(new Uint32Array([2]), a, { onProgress: (done: number, total: number) => done / total })
// @ts-expect-error onProgress takes a function
ix.addBatchAsync(new Uint32Array([2]), a, { onProgress: 1 })
void built
console.log(hits.ids[0], ix.size, ix.memoryUsage())
console.log(s, first, which, count, level, norm, td, stats.memoryBytes, q.qValues(3)[0], q.epsilon)

const me = Identity.generate()
const signed: boolean = verify(me.publicKey, a.length ? new Uint8Array(1) : new Uint8Array(0), me.sign(new Uint8Array(1)))
const k: Uint8Array = generateKey()
const opened: Uint8Array = decrypt(k, encrypt(k, new Uint8Array(2), new Uint8Array(1)))
const sealedTable: Uint8Array = q.toBytes({ key: k })
const unsealed: QTable = QTable.fromBytes(sealedTable, { key: k })
const saving: Promise<void> = save("state.elex", unsealed, { key: k })
const loading: Promise<QTable | VectorIndex | Swarm> = load('state.elex')
// @ts-expect-error keys are bytes
q.toBytes({ key: 'secret' })
// @ts-expect-error identities come from generate/fromSecretKey
new Identity()
console.log(me.agentId, signed, opened, saving, loading)

// The swarm.
const swarm = new Swarm({ coldStartThreshold: 10, safeZones: { a3offset: { maxStep: 10 } } })
const answer: QueryResponse = swarm.query({ text: 'How do I activate MSM?', context: { node: 'ERBS01' } })
const action: Action = answer.action
const later: Promise<QueryResponse> = swarm.queryAsync('UL CoMP gains are low')
// @ts-expect-error queryAsync answers with a Promise
const notYet: QueryResponse = swarm.queryAsync('UL CoMP gains are low')
swarm.feedback(answer.queryId, 1)
const plan: ChangePlan = swarm.plan(answer.fajCode, { 'ReportConfigEUtraBestCell.a3offset': 30 }, { scope: 'ERBS01' })
const risk: Risk = plan.risk
const specs: FeatureSpec[] = defaultCatalog()
validateCatalog(specs)
const routed: RouteHit[] = swarm.route(swarm.embed('UL CoMP'), 3)
const info: AgentInfo = swarm.agent(answer.agentId)
const kpis: KpiValue[] = swarm.evaluateKpis('FAJ 121 0497', { pmHoPrepSucc: 1, pmHoPrepAtt: 2 })
// @ts-expect-error rewards are numbers
swarm.feedback(answer.queryId, 'good')
const there: Promise<boolean> = exists('state.elex')
console.log(action, later, notYet, risk, routed, info.status, kpis, there, remove('state.elex'), swarm.stats().byStatus.Ready)
