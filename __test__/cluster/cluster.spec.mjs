// Five Node processes on loopback, each with its own swarm, learn together (issue 17):
// learning converges, a SIGKILLed node is seen leaving and catches up when restarted, plans
// commit with 4 of 5 alive at the same index everywhere, and time out with 2 of 5.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import elex from '../../index.js'
import { hex, sameLearning as same, spawnNode, within } from '../helpers/cluster-procs.mjs'

const N = 5
const secrets = Array.from({ length: N }, () => elex.generateKey())
const keys = secrets.map((s) => hex(elex.Identity.fromSecretKey(s).publicKey))
const root = mkdtempSync(join(tmpdir(), 'elex-cluster-'))
const nodes = []

async function start(i, seeds) {
  nodes[i] = await spawnNode({ secret: secrets[i], dataDir: join(root, `n${i}`), seeds, trust: keys })
  return nodes[i]
}

const alive = () => nodes.filter((n) => n.alive)

const sameLearning = (fajs, among = alive()) => same(among, fajs)

async function sameLog(among = alive()) {
  const logs = await Promise.all(among.map((n) => n.ask('log')))
  const strip = (log) => JSON.stringify(log.map(({ index, term, plan, proposedBy }) => ({ index, term, plan, proposedBy })))
  return logs.every((l) => strip(l) === strip(logs[0])) ? logs[0] : null
}

afterAll(() => {
  for (const n of nodes) if (n?.alive) n.kill()
  rmSync(root, { recursive: true, force: true })
})

describe('a cluster of 5 Node processes', () => {
  it('converges, survives a SIGKILL, catches a restarted node up, and commits only with a majority', async () => {
    const first = await start(0, [])
    await Promise.all([1, 2, 3, 4].map((i) => start(i, [first.address])))

    // Each node learns about a different feature.
    const questions = [
      'How do I activate MIMO Sleep Mode?',
      'what does pmAnrNeighbrelAdd count?',
      'is IFLB worth switching on here?',
      'UL CoMP gains are low',
      'how do I turn on uplink carrier aggregation?',
    ]
    const fajs = await Promise.all(nodes.map((n, i) => n.ask('teach', { text: questions[i], times: 2 + i })))
    expect(new Set(fajs).size).toBe(N)
    const converged = await within(30_000, 'learned() equal on all 5', () => sameLearning(fajs))
    console.log(`5 nodes: learned() equal after ${converged} ms`)
    const plan1 = await nodes[1].ask('propose', { plan: { step: 1 }, timeoutMs: 10_000 })
    expect(plan1.plan).toEqual({ step: 1 })
    await within(5_000, 'plan 1 in every log', async () => (await sameLog())?.length === 1)

    // SIGKILL node 3: the others see it leave within 10 s and keep learning.
    const gone = nodes[3].nodeId
    nodes[3].kill()
    const left = await within(10_000, 'node 3 seen down by all', async () => {
      const views = await Promise.all(alive().map((n) => n.ask('members')))
      return views.every((ms) => !ms.some((m) => m.nodeId === gone && m.state !== 'down'))
    })
    console.log(`SIGKILLed node seen leaving after ${left} ms`)
    await nodes[1].ask('teach', { text: questions[1], times: 3 })
    await nodes[0].ask('propose', { plan: { step: 2 }, timeoutMs: 10_000 })
    await within(30_000, 'the 4 alive agree again', () => sameLearning(fajs))

    // Restarted with its key and data directory: it rejoins and catches up on both.
    await start(3, [first.address])
    const caught = await within(20_000, 'node 3 caught up', async () => (await sameLearning(fajs)) && (await sameLog())?.length === 2)
    console.log(`restarted node caught up after ${caught} ms`)

    // 4 of 5 alive: a plan commits, at the same index in every alive node's log.
    nodes[4].kill()
    const entry = await nodes[2].ask('propose', { plan: { step: 3, risk: 'HIGH' }, timeoutMs: 15_000 })
    await within(5_000, 'plan 3 in all 4 logs', async () => {
      const log = await sameLog()
      return log?.length === 3 && log[2].index === entry.index && log[2].plan.step === 3
    })

    // 2 of 5: no majority, CONSENSUS_TIMEOUT.
    nodes[2].kill()
    nodes[3].kill()
    const err = await nodes[0].ask('propose', { plan: { step: 4 }, timeoutMs: 3_000 }).catch((e) => e)
    expect(err.code).toBe('CONSENSUS_TIMEOUT')
    expect((await nodes[1].ask('log')).length).toBe(3)
    const stats = await nodes[0].ask('stats')
    expect(stats.rejected).toEqual({})
  }, 180_000)
})
