// The console page in Debian's Chromium (playwright-core) against the real `elex serve`: the
// same walk through once asking the server (native) and once answering in the tab
// (WebAssembly, state in IndexedDB): ask, see the feature and its commands, rate the answer,
// plan a HIGH-risk change, reload and find the learning kept. No console error is allowed.
// It also saves docs/console.png (the README's screenshot) and holds the page's own assets
// under 150 KB gzipped.
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { killAll, ROOT, serve, tempDir } from './helpers.mjs'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const MSM = 'FAJ 121 3094'
const QUESTION = 'How do I activate MIMO Sleep Mode?'
const ACTIVATE = `cmedit set ERBS01 FeatureState=CXC4011808 featureState=ACTIVATED`
// The built-in catalog knows no range for MIMO Sleep Mode's parameters; an operator's safe
// zone (served with --safe-zones) is what makes a big step HIGH risk. The engine decides it.
const PARAMETER = 'MimoSleepFunction.switchDownPrbThreshold'
const SAFE_ZONES = { [PARAMETER]: { min: 0, max: 50, maxStep: 10 } }
// Asked before the MIMO question so the plots in the screenshot have something to show.
const WARM_UP = [
  ['what does pmAnrNeighbrelAdd count?', '1'],
  ['UL CoMP gains are low', '0.3'],
  ['is IFLB worth switching on here?', '1'],
  ['handover success dropped after the last change on ERBS01', '-1'],
]
const BUDGET = 150 * 1024

let server, browser, context, temp
let problems = []   // console errors and uncaught exceptions, of every page
let loaded = []     // { url, gzip } of every response the pages received

function watch(page) {
  page.setDefaultTimeout(30_000)
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`))
  page.on('response', async (res) => {
    try {
      loaded.push({ url: new URL(res.url()).pathname, gzip: gzipSync(await res.body()).length })
    } catch { /* a redirect or an aborted response has no body */ }
  })
  return page
}

/** The page's own assets: what it fetched, less the .wasm, the catalog and the API's data. */
function assetBytes() {
  const assets = loaded.filter(({ url }) => !url.endsWith('.wasm') && !url.endsWith('/catalog.json') && !url.startsWith('/api/') && url !== '/healthz')
  const byUrl = new Map(assets.map((a) => [a.url, a.gzip]))
  return { total: [...byUrl.values()].reduce((a, b) => a + b, 0), files: [...byUrl.keys()] }
}

const ready = (page) => page.waitForSelector('body[data-ready="true"]')
const statValue = async (page, id) => Number(await page.textContent(`#stat-${id}`))
const interactionsOf = (page, faj) => page.textContent(`#agents-table tr[data-faj="${faj}"] td[data-col="interactions"]`).then(Number)

async function ask(page, text) {
  await page.fill('#question', text)
  const before = await page.getAttribute('#answer', 'data-query-id')
  await page.press('#question', 'Enter') // Enter asks
  await page.waitForFunction((id) => {
    const el = document.querySelector('#answer')
    return (el.dataset.queryId && el.dataset.queryId !== id) || el.querySelector('.error')
  }, before)
  expect(await page.$$eval('#answer .error', (els) => els.map((e) => e.textContent))).toEqual([])
}

async function rate(page, reward) {
  await page.click(`#answer button.feedback[data-reward="${reward}"]`)
  await page.waitForSelector('#answer .feedback-result[data-sent]')
}

/** The walk both modes share; returns the feedback count the page showed before reloading. */
async function askRatePlan(page) {
  await page.fill('#node', 'ERBS01')
  await ask(page, QUESTION)
  expect(await page.textContent('#answer-faj')).toBe(MSM)
  expect(await page.textContent('#answer-feature')).toContain('MIMO Sleep Mode')
  expect(await page.textContent('#answer-feature')).toContain('(MSM)')
  const commands = await page.$$eval('#answer .commands code', (els) => els.map((e) => e.textContent))
  expect(commands).toContain(ACTIVATE)
  for (const part of ['.action', '.meter', '.status', '.shortlist li']) expect(await page.$(`#answer ${part}`)).not.toBeNull()

  // The copy button puts exactly the command on the clipboard.
  const copy = page.locator('#answer .command', { hasText: ACTIVATE }).locator('button.copy')
  await copy.click()
  await page.waitForSelector('#answer button.copy[data-copied="true"]')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ACTIVATE)

  const feedbackBefore = await statValue(page, 'feedback')
  await rate(page, '1')
  await page.waitForFunction((n) => Number(document.querySelector('#stat-feedback').textContent) === n, feedbackBefore + 1)

  // The answer prefilled the plan form with its feature.
  expect(await page.inputValue('#plan-feature')).toBe(MSM)
  await page.fill('#plan-parameter', PARAMETER)
  await page.fill('#plan-current', '10')
  await page.fill('#plan-new', '40')
  await page.press('#plan-new', 'Enter')
  await page.waitForSelector('#plan-risk .risk')
  expect(await page.getAttribute('#plan-risk .risk', 'data-risk')).toBe('HIGH')
  expect(await page.textContent('#plan-result .changes')).toContain('larger than the safe step 10')
  const planCommands = await page.$$eval('#plan-result .commands code', (els) => els.map((e) => e.textContent))
  expect(planCommands).toEqual([ACTIVATE, `cmedit set ERBS01 MimoSleepFunction ${PARAMETER.split('.')[1]}=40`])
  return feedbackBefore + 1
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh --browser`)
  temp = tempDir()
  writeFileSync(temp.file('safe-zones.json'), JSON.stringify(SAFE_ZONES))
  server = await serve(['--state', temp.file('state.elex'), '--safe-zones', temp.file('safe-zones.json')])
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] })
  context = await browser.newContext({ viewport: { width: 1440, height: 1080 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin })
})

afterEach(() => {
  const seen = problems
  problems = []
  expect(seen).toEqual([])
})

afterAll(async () => {
  await browser?.close()
  await killAll()
  temp?.remove()
})

describe('the console page', () => {
  it('asks the server (native): answer, commands, feedback, a HIGH-risk plan; the learning kept after a reload', async () => {
    const page = watch(await context.newPage())
    await page.goto(server.url)
    await ready(page)
    expect(await page.textContent('#stat-backend')).toBe('native on the server')
    expect(await page.isChecked('input[name=mode][value=server]')).toBe(true)

    for (const [text, reward] of WARM_UP) {
      await ask(page, text)
      await rate(page, reward)
    }
    const feedback = await askRatePlan(page)

    // KPIs from pasted counters: ANR's handover KPIs, one breached.
    await page.fill('#kpi-feature', 'FAJ 121 0497')
    await page.fill('#kpi-counters', 'pmHoPrepSucc = 970\npmHoPrepAtt = 1000\npmHoExeSucc = 955\npmHoExeAtt = 970')
    await page.click('#kpi-form button[type=submit]')
    await page.waitForSelector('#kpi-summary')
    expect(await page.$$eval('#kpi-result tr[data-breached="true"]', (rows) => rows.length)).toBeGreaterThan(0)
    expect(await page.$$eval('#kpi-result tr[data-breached="false"]', (rows) => rows.length)).toBeGreaterThan(0)

    // The README's screenshot: a realistic view after an answer, down to the plots.
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.waitForTimeout(300) // the plots' resize observer
    const charts = await page.locator('#charts-panel').boundingBox()
    await page.screenshot({ path: join(ROOT, 'docs', 'console.png'), clip: { x: 0, y: 0, width: 1440, height: Math.ceil(charts.y + charts.height + 16) }, fullPage: true })

    // The feature page, opened from the answer: the spec and the dependency graph.
    await page.click('#answer-feature button')
    await page.waitForFunction(() => document.querySelector('#feature-title')?.textContent === 'MIMO Sleep Mode')
    expect(await page.$$eval('#feature .params tbody tr', (rows) => rows.length)).toBeGreaterThan(10)
    expect(await page.$$eval('#feature svg.graph .node', (nodes) => nodes.length)).toBeGreaterThan(1)

    // The agents table sorts by a column, both ways.
    await page.click('#agents-table th[data-key="interactions"] button')
    expect(await page.getAttribute('#agents-table th[data-key="interactions"]', 'aria-sort')).toBe('ascending')
    await page.click('#agents-table th[data-key="interactions"] button')
    expect(await page.getAttribute('#agents-table th[data-key="interactions"]', 'aria-sort')).toBe('descending')
    const interactions = await interactionsOf(page, MSM)
    expect(interactions).toBeGreaterThan(0)

    // The server mode never pays for the WebAssembly build.
    expect(loaded.filter(({ url }) => url.startsWith('/pkg/'))).toEqual([])
    const { total, files } = assetBytes()
    console.log(`console page, server mode: ${files.length} assets, ${(total / 1024).toFixed(1)} KB gzipped`)
    expect(total).toBeLessThan(BUDGET)

    await page.reload()
    await ready(page)
    expect(await statValue(page, 'feedback')).toBe(feedback)
    expect(await interactionsOf(page, MSM)).toBe(interactions)
    const stats = await (await fetch(`${server.url}api/stats`)).json()
    expect(stats.feedback).toBe(feedback)
    // The server saves what it learned within a second or so.
    await expect.poll(() => existsSync(temp.file('state.elex')), { timeout: 10_000 }).toBe(true)
    await page.close()
  })

  it('answers in the tab (WebAssembly): same walk, the learning kept in IndexedDB across a reload, pull and push', async () => {
    const page = watch(await context.newPage())
    loaded = []
    await page.goto(server.url)
    await ready(page)
    await page.check('input[name=mode][value=tab]')
    await page.waitForFunction(() => document.body.dataset.mode === 'tab' && document.body.dataset.ready === 'true', null, { timeout: 60_000 })
    expect(await page.textContent('#stat-backend')).toBe('wasm in this tab')
    expect(await page.textContent('#mode-note')).toContain("started from the server's swarm")
    const serverFeedback = (await (await fetch(`${server.url}api/stats`)).json()).feedback

    const feedback = await askRatePlan(page)
    expect(feedback).toBe(serverFeedback + 1) // the tab started from the server's learning
    await page.waitForSelector('#persist[data-state="saved"]')
    const interactions = await interactionsOf(page, MSM)
    // Everything was answered here: the server saw no question and no feedback.
    expect(loaded.filter(({ url }) => url === '/api/query' || url === '/api/feedback')).toEqual([])
    expect((await (await fetch(`${server.url}api/stats`)).json()).feedback).toBe(serverFeedback)

    // An engine error is shown with its code, not a blank panel.
    await page.fill('#plan-parameter', 'NoSuchMo.noSuchAttribute')
    await page.press('#plan-new', 'Enter')
    await page.waitForSelector('#plan-result .error')
    expect(await page.textContent('#plan-result .error-code')).toBe('INVALID_ARGUMENT')
    expect(await page.textContent('#plan-result .error-message')).toContain('NoSuchMo.noSuchAttribute')

    const { total, files } = assetBytes()
    console.log(`console page, in-tab mode: ${files.length} assets, ${(total / 1024).toFixed(1)} KB gzipped (without the .wasm and the catalog)`)
    expect(files).toContain('/pkg/browser.mjs')
    expect(total).toBeLessThan(BUDGET)

    await page.reload()
    await page.waitForFunction(() => document.body.dataset.mode === 'tab' && document.body.dataset.ready === 'true', null, { timeout: 60_000 })
    expect(await page.isChecked('input[name=mode][value=tab]')).toBe(true)
    expect(await page.textContent('#mode-note')).toContain('restored the learned state saved in this browser')
    expect(await statValue(page, 'feedback')).toBe(feedback)
    expect(await interactionsOf(page, MSM)).toBe(interactions)

    // Push this tab's learning to the server, pull the server's back.
    await page.click('#push')
    await page.waitForFunction(() => /sent this tab's learning/.test(document.querySelector('#sync-status').textContent))
    await page.click('#pull')
    await page.waitForFunction(() => /merged the server's learning/.test(document.querySelector('#sync-status').textContent))
    await page.waitForSelector('#persist[data-state="saved"]')
    await page.close()
  })

  it('asks for the API token of a server started with --token, or takes it from the URL fragment', async () => {
    const guarded = await serve(['--state', temp.file('guarded.elex'), '--token', 'page-test-token'])
    try {
      const page = watch(await context.newPage())
      await page.goto(guarded.url)
      await page.waitForSelector('#token-form:not([hidden])')
      expect(await page.textContent('#stats-error .error-code')).toBe('INVALID_KEY')
      await page.fill('#token', 'page-test-token')
      await page.press('#token', 'Enter')
      await page.waitForSelector('#token-form[hidden]', { state: 'attached' })
      await page.waitForFunction(() => document.querySelector('#stat-backend')?.textContent === 'native on the server')
      await ask(page, QUESTION)
      expect(await page.textContent('#answer-faj')).toBe(MSM)
      // Chromium reports each refused request (401) as a console error: those, and only those, were expected.
      const refused = problems.filter((p) => /status of 401/.test(p))
      expect(refused.length).toBeGreaterThan(0)
      problems = problems.filter((p) => !refused.includes(p))
      await page.close()

      const linked = watch(await context.newPage())
      await linked.goto(`${guarded.url}#token=page-test-token`)
      await ready(linked)
      expect(await linked.textContent('#stat-backend')).toBe('native on the server')
      expect(new URL(linked.url()).hash).toBe('') // not left in the address bar
      await linked.close()
    } finally {
      guarded.child.kill('SIGKILL')
      await guarded.exited
    }
  })
})
