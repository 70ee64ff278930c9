// Cluster convergence: time and bytes until every node holds every other node's learning,
// for 3, 5, 9 and 17 nodes, and how many frames a second one node handles.
//
// All nodes run in this process on the native addon's raw cluster functions, over an
// in-memory transport (1 ms per hop) and a simulated clock that jumps to the next event, so
// the simulated times are what the protocol needs (gossip every 200 ms, anti-entropy with one
// member a second) and the wall time is what the CPU needs. Each node first learns 200
// entries about its own features (200 questions, each answered and rated), then joins.
//   node bench/cluster.mjs [--quick]
import elex from '../index.js'
import { decodeOutput } from '../js/cluster-wire.mjs'

const raw = elex.__raw
const QUICK = process.argv.includes('--quick')
const SIZES = QUICK ? [3, 5] : [3, 5, 9, 17]
const ENTRIES = QUICK ? 50 : 200
const HOP_MS = 1
const hexOf = (b) => Buffer.from(b).toString('hex')

const features = elex.defaultCatalog()

function run(n) {
  const start = 1_800_000_000_000
  const nodes = []
  for (let i = 0; i < n; i++) {
    const swarm = new raw.Swarm(JSON.stringify({ features, vocabulary: [] }), JSON.stringify({ coldStartThreshold: 0, seed: i + 1 }))
    // Learning first: ENTRIES questions about this node's own slice of the catalog.
    const answered = new Set()
    for (let j = 0; j < ENTRIES; j++) {
      const f = features[(i * ENTRIES + j) % features.length]
      const answer = JSON.parse(raw.swarmCall(swarm.handle, 'query', JSON.stringify([{ text: `How do I activate ${f.name}?` }])))
      raw.swarmCall(swarm.handle, 'feedback', JSON.stringify([answer.queryId, 1]))
      answered.add(answer.fajCode)
    }
    // Its slots: one per (agent, state, action) it visited.
    let own = 0
    for (const faj of answered) {
      for (const row of JSON.parse(raw.swarmCall(swarm.handle, 'learned', JSON.stringify([faj])))) own += row.visits.filter((v) => v > 0).length
    }
    const identity = raw.Identity.fromSecretKey(Uint8Array.from({ length: 32 }, (_, k) => (i * 31 + k * 7 + 1) & 255))
    const opts = { voter: true, founder: i === 0, url: `mem://${i}`, gossipIntervalMs: 200, seed: i + 1 }
    const node = new raw.ClusterNode(identity.handle, swarm.handle, JSON.stringify(opts), undefined, start)
    nodes.push({ swarm, identity, node, own, answered, h: node.handle, key: hexOf(raw.identityPublicKey(identity.handle)), wake: start })
  }
  const byKey = new Map(nodes.map((x, i) => [x.key, i]))
  const wire = [] // [at, to, bytes], kept in time order (every hop takes the same time)
  let now = start
  let bytes = 0
  const byKind = {}
  let frames = 0
  let handled = 0
  let handleNs = 0n

  const act = (i, out) => {
    const o = decodeOutput(out)
    for (const f of o.frames) {
      const to = byKey.get(f.key)
      if (to === undefined) continue
      wire.push([now + HOP_MS, to, f.bytes.slice()])
      bytes += f.bytes.length
      byKind[f.bytes[5]] = (byKind[f.bytes[5]] ?? 0) + f.bytes.length
      frames++
    }
    if (o.wakeAt !== null) nodes[i].wake = o.wakeAt
  }
  // Everyone connects to node 0: hellos both ways.
  for (let i = 1; i < n; i++) {
    wire.push([now + HOP_MS, 0, raw.clusterHello(nodes[i].h, now)])
    wire.push([now + HOP_MS, i, raw.clusterHello(nodes[0].h, now)])
  }
  const slotsOf = (i) => JSON.parse(raw.clusterInfo(nodes[i].h, 'stats')).slots
  const wall0 = process.hrtime.bigint()
  // Converged: every node holds every node's slots.
  const expected = nodes.reduce((sum, x) => sum + x.own, 0)
  let converged = null
  let nextCheck = start + 100
  while (now - start < 120_000) {
    const next = Math.min(wire.length ? wire[0][0] : Infinity, ...nodes.map((x) => x.wake))
    now = Math.max(now, next)
    while (wire.length && wire[0][0] <= now) {
      const [, to, b] = wire.shift()
      const t = process.hrtime.bigint()
      const out = raw.clusterStep(nodes[to].h, 0, b, now, 0)
      handleNs += process.hrtime.bigint() - t
      handled++
      act(to, out)
    }
    for (let i = 0; i < n; i++) {
      if (nodes[i].wake <= now) act(i, raw.clusterStep(nodes[i].h, 1, new Uint8Array(0), now, 0))
    }
    if (now >= nextCheck) {
      nextCheck = now + 100
      if (nodes.every((_, i) => slotsOf(i) === expected)) {
        converged = { simMs: now - start, wallMs: Number(process.hrtime.bigint() - wall0) / 1e6, bytes, frames, byKind: { ...byKind } }
        break
      }
    }
  }
  if (!converged) throw new Error(`${n} nodes did not converge in 120 s simulated`)
  // Every node reads the same learned values for a sample of features.
  for (const x of nodes) {
    for (const faj of [...x.answered].slice(0, 5)) {
      const views = nodes.map((y) => raw.swarmCall(y.swarm.handle, 'learned', JSON.stringify([faj])))
      if (!views.every((v) => v === views[0])) throw new Error(`${n} nodes disagree on ${faj}`)
    }
  }
  return { ...converged, slots: slotsOf(0), handled, perFrameUs: Number(handleNs) / 1e3 / handled }
}

console.log(`cluster convergence: ${ENTRIES} learned entries per node, in-memory transport, ${HOP_MS} ms per hop`)
console.log('nodes | slots | simulated ms | wall ms | frames | KB sent | KB per node | frames/s one node handles')
const KINDS = { 1: 'hello', 2: 'swim', 3: 'digest', 4: 'slots', 5: 'raft' }
const shares = []
for (const n of SIZES) {
  const r = run(n)
  shares.push(`${n} nodes: ${Object.entries(r.byKind).map(([k, b]) => `${KINDS[k] ?? k} ${((100 * b) / r.bytes).toFixed(0)} %`).join(', ')}`)
  console.log(
    `${String(n).padStart(5)} | ${String(r.slots).padStart(5)} | ${String(r.simMs).padStart(12)} | ${r.wallMs.toFixed(0).padStart(7)} | ${String(r.frames).padStart(6)} | ${(r.bytes / 1024).toFixed(0).padStart(7)} | ${(r.bytes / 1024 / n).toFixed(0).padStart(11)} | ${(1e6 / r.perFrameUs).toFixed(0)} (${r.perFrameUs.toFixed(1)} µs a frame)`,
  )
}
console.log(`bytes by frame kind: ${shares.join('; ')}`)
