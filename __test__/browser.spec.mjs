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

// Interop with the browser's own WebCrypto (Ed25519, AES-GCM), both directions, and
// save/load through IndexedDB.
const SECURITY_IN_PAGE = `(async () => {
  const elex = await import('/browser.mjs')
  const enc = new TextEncoder(), dec = new TextDecoder(), aad = enc.encode('aad')
  const out = {}
  const id = elex.Identity.generate()
  const msg = enc.encode('signed in the browser')
  const pub = await crypto.subtle.importKey('raw', id.publicKey, { name: 'Ed25519' }, false, ['verify'])
  out.webCryptoVerifiesOurs = await crypto.subtle.verify({ name: 'Ed25519' }, pub, id.sign(msg), msg)
  const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])
  const theirSig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, pair.privateKey, msg))
  const theirPub = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))
  out.weVerifyTheirs = elex.verify(theirPub, msg, theirSig)
  out.weRejectTampered = elex.verify(theirPub, enc.encode('other'), theirSig)
  const key = elex.generateKey()
  const aesKey = await crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt', 'decrypt'])
  const sealed = elex.encrypt(key, enc.encode('sealed by elex'), aad)
  out.webCryptoOpensOurs = dec.decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.subarray(0, 12), additionalData: aad }, aesKey, sealed.subarray(12)))
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, aesKey, enc.encode('sealed by WebCrypto')))
  const theirs = new Uint8Array(12 + body.length); theirs.set(iv); theirs.set(body, 12)
  out.weOpenTheirs = dec.decode(elex.decrypt(key, theirs, aad))
  const q = new elex.QTable({ seed: 1 }); q.update(3, 1, 2, null)
  const ix = new elex.VectorIndex({ dim: 2 }); ix.add(4, new Float32Array([1, 1]))
  await elex.save('table', q, { key })
  await elex.save('index', ix)
  const back = await elex.load('table', { key })
  out.table = { isQTable: back instanceof elex.QTable, value: back.qValues(3)[1], expected: q.qValues(3)[1] }
  out.index = (await elex.load('index')).has(4)
  try { await elex.load('table') } catch (e) { out.withoutKey = e.code }
  try { await elex.load('nothing-here') } catch (e) { out.missing = e.code }
  return out
})()`

// The swarm in the page: routes the labelled questions (given by the test) and answers one.
const SWARM_IN_PAGE = (questions) => `(async () => {
  const elex = await import('/browser.mjs')
  const swarm = new elex.Swarm()
  const routes = ${JSON.stringify(questions)}.map((q) => swarm.route(q, 5))
  const answer = swarm.query({ text: 'How do I activate MIMO Sleep Mode?', context: { node: 'ERBS01' } })
  await elex.save('swarm', swarm)
  const back = await elex.load('swarm')
  return { size: swarm.size, routes, answer, loaded: back instanceof elex.Swarm && back.size === swarm.size }
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

  it('interoperates with WebCrypto (Ed25519, AES-GCM) both ways and saves to IndexedDB', async () => {
    const r = await page.evaluate(SECURITY_IN_PAGE)
    expect(pageErrors).toEqual([])
    expect(r).toEqual({
      webCryptoVerifiesOurs: true,
      weVerifyTheirs: true,
      weRejectTampered: false,
      webCryptoOpensOurs: 'sealed by elex',
      weOpenTheirs: 'sealed by WebCrypto',
      table: { isQTable: true, value: r.table.expected, expected: r.table.expected },
      index: true,
      withoutKey: 'INVALID_KEY',
      missing: 'INVALID_ARGUMENT',
    })
    expect(r.table.expected).toBeGreaterThan(0)
  })

  it('runs the swarm on the built-in catalog and routes exactly as native does', async () => {
    const { questions } = require('../bench/swarm/questions.json')
    const texts = questions.filter((_, i) => i % 4 === 0).map((q) => q.text)
    const r = await page.evaluate(SWARM_IN_PAGE(texts))
    expect(pageErrors).toEqual([])
    expect(r.size).toBe(593)
    expect(r.loaded).toBe(true)
    const native = new (require('../index.js').Swarm)()
    expect(r.routes).toEqual(texts.map((q) => native.route(q, 5)))
    expect(r.answer.fajCode).toBe('FAJ 121 3094')
    expect(r.answer.commands.map((c) => c.command)).toContain('cmedit set ERBS01 FeatureState=CXC4011808 featureState=ACTIVATED')
  })
})
