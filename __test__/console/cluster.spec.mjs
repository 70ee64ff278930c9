// `elex serve --cluster-port`: two servers form a cluster; /api/cluster shows both members
// and the replicated log; a plan recorded on one is in the other's log at the same index;
// the console page shows the members and the log.
import { existsSync } from 'node:fs'
import { chromium } from 'playwright-core'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { killAll, runCli, serve, tempDir, testApp } from './helpers.mjs'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const temps = []
const temp = () => { const t = tempDir(); temps.push(t); return t }
afterEach(killAll)
afterAll(() => temps.forEach((t) => t.remove()))

const api = async (url, path, body) => {
  const res = await fetch(new URL(path, url), body === undefined ? {} : {
    method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' },
  })
  return { status: res.status, body: await res.json() }
}
const until = async (check, what, timeoutMs = 20_000) => {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    if (await check()) return
  }
  throw new Error(`timed out waiting for ${what}`)
}
const clusterLine = async (server) => {
  await until(() => /elex cluster: /.test(server.stdout()), 'the cluster line')
  return /elex cluster: (ws:\/\/\S+) \(node (agent-[0-9a-f]+)\)/.exec(server.stdout()).slice(1)
}
const clusterArgs = (t, extra = []) => ['--port', '0', '--state', t.file('s.elex'), '--cluster-port', '0',
  '--identity', t.file('id.key'), '--cluster-data', t.file('raft'), ...extra]

describe('elex serve in a cluster', () => {
  it('two servers: members, a plan recorded on one in both logs, and the console showing it', async () => {
    const [ta, tb] = [temp(), temp()]
    const a = await serve(clusterArgs(ta))
    const [addressA, nodeA] = await clusterLine(a)
    const b = await serve(clusterArgs(tb, ['--seed', addressA]))
    const [, nodeB] = await clusterLine(b)
    for (const s of [a, b]) {
      await until(async () => (await api(s.url, '/api/cluster')).body.members?.filter((m) => m.state === 'alive').length === 2, 'both members')
    }
    const { body: view } = await api(a.url, '/api/cluster')
    expect(view).toMatchObject({ nodeId: nodeA, address: addressA, log: [] })
    expect(view.members.map((m) => m.nodeId).sort()).toEqual([nodeA, nodeB].sort())

    const { body: plan } = await api(a.url, '/api/plan', { fajCode: 'FAJ 121 3094', changes: { 'MimoSleepFunction.sleepMode': 1 } })
    await until(async () => (await api(a.url, '/api/cluster')).body.stats.leader !== null, 'a leader')
    await until(async () => (await api(b.url, '/api/cluster')).body.stats.leader !== null, 'a leader known to b')
    const recorded = await api(b.url, '/api/cluster/propose', { plan, timeoutMs: 10_000 })
    expect(recorded.status).toBe(200)
    expect(recorded.body).toMatchObject({ plan: { fajCode: 'FAJ 121 3094', risk: plan.risk }, proposedBy: nodeB })
    await until(async () => (await api(a.url, '/api/cluster')).body.log.some((e) => e.index === recorded.body.index), 'the entry on a')

    // Bad input is a 400 with the contract's shape.
    expect((await api(a.url, '/api/cluster/propose', { plan: 'no' })).status).toBe(400)
    expect((await api(a.url, '/api/cluster/propose', { plan, timeoutMs: 0 })).body.error.code).toBe('INVALID_ARGUMENT')
    // A restarted server keeps its identity (the key file).
    expect(existsSync(ta.file('id.key'))).toBe(true)

    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh --browser`)
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] })
    try {
      const page = await browser.newPage()
      const errors = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(a.url)
      await page.waitForSelector('#cluster-members tbody tr:nth-child(2)')
      expect(await page.locator('#cluster-panel').isVisible()).toBe(true)
      expect(await page.locator('#cluster-log tbody tr').first().textContent()).toContain('FAJ 121 3094')
      expect(errors).toEqual([])
    } finally {
      await browser.close()
    }
  }, 120_000)

  it('without a cluster: /api/cluster is a 404, and cluster flags need --cluster-port', async () => {
    const { app } = await testApp()
    const res = await app.inject({ method: 'GET', url: '/api/cluster' })
    expect(res.statusCode).toBe(404)
    expect(JSON.parse(res.body).error.code).toBe('INVALID_ARGUMENT')
    await app.close()
    const cli = await runCli(['serve', '--seed', 'ws://127.0.0.1:1'])
    expect(cli.code).toBe(2)
    expect(cli.stderr).toMatch(/--cluster-port/)
  })
})
