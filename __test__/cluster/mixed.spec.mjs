// One cluster across both backends in one process: a node on the native addon and one on
// Node's WebAssembly build speak the same frames, share learning and agree on plans.
import { describe, expect, it } from 'vitest'
import native from '../../index.js'
import wasm from '../../wasm.js'
import { within } from '../helpers/cluster-procs.mjs'

describe('native and WebAssembly nodes in one cluster', () => {
  it('share learning and commit plans both ways', async () => {
    expect([native.backend, wasm.backend]).toEqual(['native', 'wasm'])
    const a = { swarm: new native.Swarm({ coldStartThreshold: 0 }) }
    const b = { swarm: new wasm.Swarm({ coldStartThreshold: 0 }) }
    a.cluster = await native.Cluster.join({ swarm: a.swarm, identity: native.Identity.generate() })
    b.cluster = await wasm.Cluster.join({ swarm: b.swarm, identity: wasm.Identity.generate(), seeds: [a.cluster.address] })
    try {
      const teach = (n, text) => {
        const r = n.swarm.query(text)
        n.swarm.feedback(r.queryId, 1)
        return r.fajCode
      }
      const fajs = [teach(a, 'How do I activate MIMO Sleep Mode?'), teach(b, 'UL CoMP gains are low')]
      await within(15_000, 'both see both', async () =>
        fajs.every((f) => a.swarm.learned(f).length > 0 && JSON.stringify(a.swarm.learned(f)) === JSON.stringify(b.swarm.learned(f))))
      // The WebAssembly node is a voter too (Node's default): it is added to the group first.
      await within(15_000, 'the wasm node in the group', async () => b.cluster.stats().leader !== null)
      const entry = await b.cluster.propose({ from: 'wasm' }, { timeoutMs: 10_000 })
      await within(5_000, 'the native node has it', async () => a.cluster.log().some((e) => e.index === entry.index && e.plan.from === 'wasm'))
      expect(a.cluster.members().map((m) => m.nodeId).sort()).toEqual([a.cluster.nodeId, b.cluster.nodeId].sort())
    } finally {
      await b.cluster.leave()
      await a.cluster.leave()
    }
  }, 60_000)
})
