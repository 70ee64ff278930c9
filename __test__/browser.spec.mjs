// The web build in a real browser: Debian's Chromium, headless, driven by playwright-core.
// It runs the same kernel cases as Node and must give the native backend's answers.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { differences, kernelCases, runCases } from './helpers/cases.mjs'
import { serve } from './helpers/static-server.mjs'

const require = createRequire(import.meta.url)
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ROOT = fileURLToPath(new URL('..', import.meta.url))

const IN_PAGE = `(async () => {
  const elex = await import('/browser.mjs')
  const { runCases } = await import('/__test__/helpers/cases.mjs')
  let error, typeError
  try { elex.dotProduct(new Float32Array(2), new Float32Array(3)) } catch (e) { error = { name: e.name, code: e.code } }
  try { elex.dotProduct([1, 2], new Float32Array(2)) } catch (e) { typeError = { name: e.name, code: e.code } }
  return { backend: elex.backend, simd: elex.simdLevel(), results: runCases(elex), error, typeError }
})()`

describe('the web build in headless Chromium', () => {
  let server, context, page, userDataDir
  const pageErrors = []

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/setup.sh --browser`)
    server = await serve(ROOT)
    userDataDir = mkdtempSync(join(tmpdir(), 'elex-chromium-'))
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
    await page.goto(`${server.url}/__test__/browser/index.html`)
  })

  afterAll(async () => {
    await context?.close()
    await server?.close()
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true })
  })

  it('loads the WASM build with simd128 and answers every kernel case like native', async () => {
    // A string, not a function: vitest rewrites import() inside functions it transforms.
    const inPage = await page.evaluate(IN_PAGE)
    expect(pageErrors).toEqual([])
    expect(inPage.backend).toBe('wasm')
    expect(inPage.simd).toBe('simd128')
    expect(inPage.error).toEqual({ name: 'Error', code: 'DIMENSION_MISMATCH' })
    expect(inPage.typeError).toEqual({ name: 'TypeError', code: 'INVALID_ARGUMENT' })

    const { createApi } = require('../js/api.mjs')
    const native = runCases(createApi(require('../elex.linux-x64-gnu.node'), 'native'))
    const cases = kernelCases()
    expect(Object.keys(inPage.results).sort()).toEqual(Object.keys(cases).sort())
    for (const [name, c] of Object.entries(cases)) {
      expect(differences(inPage.results[name], native[name], c.scale), name).toEqual([])
    }
  })
})
