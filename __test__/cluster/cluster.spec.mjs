// Five Node processes on loopback, each with its own swarm, learn together (issue 17):
// learning converges, a SIGKILLed node is seen leaving and catches up when restarted, plans
// commit with 4 of 5 alive at the same index everywhere, and time out with 2 of 5.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import elex from '../../index.js'

const CHILD = fileURLToPath(new URL('../helpers/cluster-node.mjs', import.meta.url))
const hex = (b) => Buffer.from(b).toString('hex')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const N = 5
const secrets = Array.from({ length: N }, () => elex.generateKey())
const keys = secrets.map((s) => hex(elex.Identity.fromSecretKey(s).publicKey))
const root = mkdtempSync(join(tmpdir(), 'elex-cluster-'))
const nodes = []

function start(i, seeds) {
  const proc = spawn(process.execPath, [CHILD, hex(secrets[i]), join(root, `n${i}`), seeds.join(','), keys.join(',')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const waiting = new Map()
  let next = 1
  let stderr = ''
  proc.stderr.on('data', (d) => { stderr += d })
  const node = {
    proc,
    alive: true,
    ask(cmd, args = {}) {
      const id = next++
      proc.stdin.write(`${JSON.stringify({ id, cmd, ...args })}\n`)
      return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }))
    },
    kill() {
      node.alive = false
      proc.kill('SIGKILL')
    },
  }
  const ready = new Promise((resolve, reject) => {
    proc.on('exit', (code) => { if (node.alive) reject(new Error(`node ${i} exited (${code}): ${stderr}`)) })
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const msg = JSON.parse(line)
      if (msg.ready) return resolve(Object.assign(node, msg))
      const w = waiting.get(msg.id)
      waiting.delete(msg.id)
      if (msg.error) w.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }))
      else w.resolve(msg.result)
    })
  })
  nodes[i] = node
  return ready
}

/** Polls `check` (async, true when done) every 250 ms; the time it took, or a failure after `ms`. */
async function within(ms, what, check) {
  const t0 = Date.now()
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms / 1000} s`)
    await sleep(250)
  }
  return Date.now() - t0
}

const alive = () => nodes.filter((n) => n.alive)

async function sameLearning(fajs, among = alive()) {
  const views = await Promise.all(among.map((n) => n.ask('learned', { fajs })))
  const first = JSON.stringify(views[0])
  return views.every((v) => JSON.stringify(v) === first) && fajs.every((f) => views[0][f].length > 0)
}

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
