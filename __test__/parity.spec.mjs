// Both backends in one process: same exported names, same answers.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { differences, kernelCases, runCases } from './helpers/cases.mjs'

const require = createRequire(import.meta.url)
const rawNative = require('../elex.linux-x64-gnu.node')
const rawWasm = require('../js/wasm-node.cjs').loadWasmForNode()
const { createApi } = require('../js/api.mjs')

// Left out: wasm-bindgen's own plumbing, and the threaded WebAssembly build's pool controls
// (threadsStart/threadsWorkerRun/threadsCount, used by js/wasm-node.cjs only).
const ownNames = (m) => Object.keys(m).filter((k) => !k.startsWith('__') && k !== 'default' && k !== 'initSync' && !/^threads[A-Z]/.test(k)).sort()

describe('native and WASM parity', () => {
  it('the raw backends export exactly the same names', () => {
    expect(ownNames(rawNative)).toEqual(ownNames(rawWasm))
    expect(ownNames(rawNative).length).toBeGreaterThan(5)
  })

  it('every raw export is wrapped by the facade, and nothing else is', () => {
    // The classes' plumbing (functions on handles, snapshotKind) is exported raw, not public;
    // save/load/exists/remove are composed in JS from toBytes/fromBytes and a byte store;
    // defaultCatalog reads the package's data/catalog.json; Cluster is JS over the raw
    // ClusterNode and the cluster step functions (js/cluster.mjs).
    const internal = Object.keys(rawNative).filter((k) => /^(qtable|index|identity|snapshot|swarm|cluster)[A-Z]|^errorCodes$|^ClusterNode$/.test(k))
    expect(internal.length).toBeGreaterThan(15)
    const facade = Object.keys(createApi(rawNative, 'native'))
      .filter((k) => !['backend', 'nativeLoadError', 'ERROR_CODES', 'save', 'load', 'exists', 'remove', 'defaultCatalog', 'Cluster'].includes(k))
    expect([...facade, ...internal].sort()).toEqual(ownNames(rawNative))
  })

  it('the ESM entries export the same names as the CommonJS ones', async () => {
    const cjs = Object.keys(require('../index.js')).sort()
    for (const entry of ['../index.mjs', '../wasm.mjs']) {
      const esm = await import(entry)
      expect(ownNames(esm)).toEqual(cjs)
    }
    for (const entry of ['../browser.mjs', '../browser-cluster.mjs']) {
      const browserEntry = require('node:fs').readFileSync(new URL(entry, import.meta.url), 'utf8')
      const exported = browserEntry.match(/export const \{([^}]*)\}/)[1].split(',').map((s) => s.trim()).sort()
      expect(exported, entry).toEqual(cjs)
    }
  })

  it('every kernel gives the same answer on both backends (1e-5 relative)', () => {
    const cases = kernelCases()
    const native = runCases(createApi(rawNative, 'native'))
    const wasm = runCases(createApi(rawWasm, 'wasm'))
    for (const [name, c] of Object.entries(cases)) {
      expect(differences(wasm[name], native[name], c.scale), name).toEqual([])
    }
  })

  it('the same seed builds the same HNSW graph on both backends (same answers)', () => {
    const [n, w] = [createApi(rawNative, 'native'), createApi(rawWasm, 'wasm')]
    const dim = 16
    const data = Float32Array.from({ length: 1500 * dim }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1)
    const ids = Uint32Array.from({ length: 1500 }, (_, i) => i)
    const [a, b] = [new n.VectorIndex({ dim, seed: 9 }), new w.VectorIndex({ dim, seed: 9 })]
    a.addBatch(ids, data)
    b.addBatch(ids, data)
    const queries = data.subarray(0, 20 * dim)
    const [ra, rb] = [a.searchBatch(queries, 10), b.searchBatch(queries, 10)]
    expect(Array.from(ra.ids)).toEqual(Array.from(rb.ids))
    Array.from(ra.distances).forEach((d, i) => expect(Math.abs(d - rb.distances[i])).toBeLessThan(1e-5))
  })

  it('the same bad input gets the same error code on both backends', () => {
    const apis = [createApi(rawNative, 'native'), createApi(rawWasm, 'wasm')]
    const v = new Float32Array(4)
    const calls = [
      (e) => e.dotProduct(v, new Float32Array(3)),
      (e) => e.topKSimilar(v, v, 3, 1),
      (e) => e.topKSimilar(v, v, 4, 2 ** 40),
      (e) => e.normalize(new Float32Array([Infinity])),
      (e) => e.batchQUpdate(v, new Float32Array([0, 0, NaN, 0]), v, 0.5, 0.5),
      (e) => e.aggregate(v, v, Infinity),
      (e) => e.validateRanges(v, 'x', v),
    ]
    for (const call of calls) {
      const codes = apis.map((api) => {
        try { call(api); return 'no error' } catch (e) { return e.code }
      })
      expect(codes[0]).not.toBe('no error')
      expect(codes[1]).toBe(codes[0])
    }
  })

  it('what one backend seals, signs or saves, the other opens, verifies and loads', async () => {
    const { fileStore } = require('../js/store-node.mjs')
    const [n, w] = [createApi(rawNative, 'native', fileStore), createApi(rawWasm, 'wasm', fileStore)]
    const msg = new TextEncoder().encode('cross-backend')
    const key = n.generateKey()
    expect(Array.from(w.decrypt(key, n.encrypt(key, msg)))).toEqual(Array.from(msg))
    expect(Array.from(n.decrypt(key, w.encrypt(key, msg)))).toEqual(Array.from(msg))
    const id = n.Identity.generate()
    const twin = w.Identity.fromSecretKey(id.secretKey())
    expect(twin.agentId).toBe(id.agentId)
    expect(Array.from(twin.sign(msg))).toEqual(Array.from(id.sign(msg))) // deterministic Ed25519
    expect(w.verify(id.publicKey, msg, id.sign(msg))).toBe(true)
    const q = new n.QTable({ seed: 4 }); q.update(1, 1, 1, 2)
    const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'elex-parity-'))
    await n.save(`${dir}/q`, q, { key })
    const back = await w.load(`${dir}/q`, { key })
    expect(back).toBeInstanceOf(w.QTable)
    expect(Array.from(back.qValues(1))).toEqual(Array.from(q.qValues(1)))
  })

  it('the swarm routes every labelled question identically on both backends, scores included', () => {
    const catalog = () => require('node:fs').readFileSync(require.resolve('../data/catalog.json'), 'utf8')
    const [n, w] = [createApi(rawNative, 'native', null, null, catalog), createApi(rawWasm, 'wasm', null, null, catalog)]
    const [a, b] = [new n.Swarm(), new w.Swarm()]
    const { questions } = require('../bench/swarm/questions.json')
    expect(questions.length).toBeGreaterThan(1000)
    for (const q of questions) expect(b.route(q.text, 5), q.text).toEqual(a.route(q.text, 5))
    expect(Array.from(b.embed('UL CoMP gains are low'))).toEqual(Array.from(a.embed('UL CoMP gains are low')))
  })

  it('a learned swarm saved by one backend loads in the other and answers the same', async () => {
    const { fileStore } = require('../js/store-node.mjs')
    const catalog = () => require('node:fs').readFileSync(require.resolve('../data/catalog.json'), 'utf8')
    const [n, w] = [createApi(rawNative, 'native', fileStore, null, catalog), createApi(rawWasm, 'wasm', fileStore, null, catalog)]
    const s = new n.Swarm({ coldStartThreshold: 3 })
    for (const q of ['How do I activate MSM?', 'UL CoMP gains are low', 'what does pmAnrNeighbrelAdd count?']) {
      for (let i = 0; i < 4; i++) s.feedback(s.query(q).queryId, i % 2 ? 1 : -0.5)
    }
    const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'elex-parity-'))
    const key = n.generateKey()
    await n.save(`${dir}/swarm`, s, { key })
    const back = await w.load(`${dir}/swarm`, { key })
    expect(back).toBeInstanceOf(w.Swarm)
    expect(await w.exists(`${dir}/swarm`)).toBe(true)
    for (const q of ['How do I activate MSM?', 'is IFLB worth switching on here?', 'sleep start time', 'UL CoMP gains are low']) {
      const [x, y] = [s.query({ text: q, context: { node: 'ERBS01' } }), back.query({ text: q, context: { node: 'ERBS01' } })]
      expect({ ...y, latencyUs: 0 }).toEqual({ ...x, latencyUs: 0 })
    }
    expect(await n.remove(`${dir}/swarm`)).toBe(true)
    expect(await n.remove(`${dir}/swarm`)).toBe(false)
    require('node:fs').rmSync(dir, { recursive: true, force: true })
  })
})
