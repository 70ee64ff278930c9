// A browser tab joins a Node coordinator over WebSocket as a learner and receives the
// cluster's learned state (issue 17); a second tab, given no address at all, finds the
// cluster through the first over a BroadcastChannel. Debian's Chromium, headless.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import elex from '../../index.js'
import { serve } from '../helpers/static-server.mjs'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

// Joins, then waits until `faj` has the coordinator's learned rows; what it saw.
const JOIN_IN_PAGE = (seeds, faj, want) => `(async () => {
  const elex = await import('/browser-cluster.mjs')
  const swarm = new elex.Swarm({ coldStartThreshold: 0 })
  const cluster = await elex.Cluster.join({ swarm, identity: elex.Identity.generate(), seeds: ${JSON.stringify(seeds)} })
  window.cluster = cluster
  const want = ${JSON.stringify(JSON.stringify(want))}
  const t0 = Date.now()
  while (JSON.stringify(swarm.learned(${JSON.stringify(faj)})) !== want) {
    if (Date.now() - t0 > 20000) break
    await new Promise((r) => setTimeout(r, 100))
  }
  // The replicated log reaches a learner too.
  while (cluster.log().length === 0 && Date.now() - t0 < 20000) await new Promise((r) => setTimeout(r, 100))
  return { learned: swarm.learned(${JSON.stringify(faj)}), ms: Date.now() - t0, nodeId: cluster.nodeId, address: cluster.address,
           members: cluster.members(), rejected: cluster.stats().rejected, log: cluster.log() }
})()`

describe('a browser learner', () => {
  let server, browser, coordinator, swarm
  const errors = []

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh --browser`)
    swarm = new elex.Swarm({ coldStartThreshold: 0, qlearning: { epsilon: 0 } })
    coordinator = await elex.Cluster.join({ swarm, identity: elex.Identity.generate() })
    server = await serve(ROOT)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
  })

  afterAll(async () => {
    await browser?.close()
    await coordinator?.leave()
    await server?.close()
  })

  it('joins a Node coordinator over WebSocket and receives the learned state; another tab joins through it', async () => {
    let faj
    for (let i = 0; i < 4; i++) {
      const r = swarm.query('How do I activate MIMO Sleep Mode?')
      swarm.feedback(r.queryId, 1)
      faj = r.fajCode
    }
    const want = swarm.learned(faj)
    expect(want.length).toBeGreaterThan(0)
    const entry = await coordinator.propose({ fajCode: faj, risk: 'LOW', changes: [] }, { timeoutMs: 10_000 })

    const context = await browser.newContext()
    const tab = async () => {
      const page = await context.newPage()
      page.on('pageerror', (e) => errors.push(e.message))
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()) })
      await page.goto(`${server.url}/__test__/browser/index.html`)
      return page
    }
    const first = await (await tab()).evaluate(JOIN_IN_PAGE([coordinator.address], faj, want))
    expect(first.learned).toEqual(want)
    expect(first.address).toBeNull()
    expect(first.rejected).toEqual({})
    const seen = coordinator.members().find((m) => m.nodeId === first.nodeId)
    expect(seen).toEqual({ nodeId: first.nodeId, address: null, state: 'alive', voter: false })
    expect(first.log.map(({ index, plan }) => ({ index, plan }))).toEqual([{ index: entry.index, plan: entry.plan }])

    // No seeds: the BroadcastChannel to the first tab is its only way in.
    const second = await (await tab()).evaluate(JOIN_IN_PAGE([], faj, want))
    expect(second.learned).toEqual(want)
    expect(second.members.map((m) => m.nodeId)).toContain(first.nodeId)
    expect(errors).toEqual([])
    await context.close()
  }, 90_000)
})
