// The VectorIndex contract (HNSW), once per backend. Recall is judged against an exact scan
// computed here in plain JS.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { rng } from './helpers/cases.mjs'

const require = createRequire(import.meta.url)
const elex = require('../index.js')
const { VectorIndex } = elex

function codeOf(fn) {
  try { fn() } catch (e) { expect(e).toBeInstanceOf(Error); return e.code }
  throw new Error('expected a throw')
}

function cloud(n, dim, seed) {
  const r = rng(seed)
  return Float32Array.from({ length: n * dim }, () => r() * 2 - 1)
}

function exactCosineTop(data, dim, q, k) {
  const n = data.length / dim
  const qn = Math.hypot(...q)
  const scored = []
  for (let i = 0; i < n; i++) {
    const v = data.subarray(i * dim, (i + 1) * dim)
    let d = 0
    for (let j = 0; j < dim; j++) d += v[j] * q[j]
    scored.push([1 - d / (Math.hypot(...v) * qn), i])
  }
  return scored.sort((a, b) => a[0] - b[0] || a[1] - b[1]).slice(0, k).map((s) => s[1])
}

describe(`VectorIndex (${elex.backend})`, () => {
  it('finds the exact top-10 with recall >= 0.95 by graph search (2 000 vectors)', () => {
    const dim = 24, n = 2000
    const data = cloud(n, dim, 1)
    const ix = new VectorIndex({ dim, seed: 3 })
    ix.addBatch(Uint32Array.from({ length: n }, (_, i) => i), data)
    expect(ix.size).toBe(n)
    expect(ix.dim).toBe(dim)
    const queries = cloud(50, dim, 2)
    let hits = 0
    for (let i = 0; i < 50; i++) {
      const q = queries.subarray(i * dim, (i + 1) * dim)
      const truth = exactCosineTop(data, dim, q, 10)
      const { ids, distances } = ix.search(q, 10)
      expect(ids).toBeInstanceOf(Uint32Array)
      expect(distances).toBeInstanceOf(Float32Array)
      for (let j = 1; j < 10; j++) expect(distances[j]).toBeGreaterThanOrEqual(distances[j - 1])
      hits += Array.from(ids).filter((id) => truth.includes(id)).length
    }
    expect(hits / 500).toBeGreaterThanOrEqual(0.95)
    const batch = ix.searchBatch(queries, 5, { efSearch: 100 })
    expect(batch.ids.length).toBe(250)
    expect(ix.memoryUsage()).toBeGreaterThan(n * dim * 4)
  })

  it('round-trips through bytes, answering identically, and rejects damage', () => {
    const dim = 8
    const data = cloud(1500, dim, 5)
    const ix = new VectorIndex({ dim, seed: 4 })
    ix.addBatch(Uint32Array.from({ length: 1500 }, (_, i) => i), data)
    ix.remove(3)
    const bytes = ix.toBytes()
    const back = VectorIndex.fromBytes(bytes)
    expect(back.size).toBe(1499)
    const q = cloud(10, dim, 6)
    const [a, b] = [ix.searchBatch(q, 10), back.searchBatch(q, 10)]
    expect(Array.from(b.ids)).toEqual(Array.from(a.ids))
    expect(Array.from(b.distances)).toEqual(Array.from(a.distances))
    for (let bit = 0; bit < bytes.length * 8; bit += 997) {
      const damaged = bytes.slice()
      damaged[bit >> 3] ^= 1 << (bit & 7)
      expect(['CORRUPT_DATA', 'UNSUPPORTED_VERSION']).toContain(codeOf(() => VectorIndex.fromBytes(damaged)))
    }
    expect(codeOf(() => VectorIndex.fromBytes(new (require('../index.js').QTable)().toBytes()))).toBe('CORRUPT_DATA')
  })

  it('removes ids, never returns them, and accepts them again', () => {
    const ix = new VectorIndex({ dim: 2, metric: 'l2' })
    ix.add(1, new Float32Array([0, 0]))
    ix.add(2, new Float32Array([1, 1]))
    expect(ix.remove(1)).toBe(true)
    expect(ix.remove(1)).toBe(false)
    expect(ix.has(1)).toBe(false)
    expect(Array.from(ix.search(new Float32Array([0, 0]), 1).ids)).toEqual([2])
    ix.add(1, new Float32Array([0, 0.1]))
    expect(Array.from(ix.search(new Float32Array([0, 0]), 2).ids)).toEqual([1, 2])
  })

  it('rejects bad input with contract codes and stays usable', () => {
    const ix = new VectorIndex({ dim: 3 })
    ix.add(7, new Float32Array([1, 0, 0]))
    expect(codeOf(() => ix.add(8, new Float32Array(2)))).toBe('DIMENSION_MISMATCH')
    expect(codeOf(() => ix.add(8, new Float32Array([1, NaN, 0])))).toBe('INVALID_VECTOR')
    expect(codeOf(() => ix.add(7, new Float32Array(3)))).toBe('DUPLICATE_ID')
    expect(codeOf(() => ix.add(-1, new Float32Array(3)))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => ix.add(8, [1, 2, 3]))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => ix.addBatch(new Uint32Array([8, 8]), new Float32Array(6)))).toBe('DUPLICATE_ID')
    expect(codeOf(() => ix.search(new Float32Array(3), 0))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => ix.search(new Float32Array(3), 2))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => ix.search(new Float32Array([Infinity, 0, 0]), 1))).toBe('INVALID_VECTOR')
    expect(codeOf(() => ix.search(new Float32Array(3), 1, { ef: 3 }))).toBe('INVALID_ARGUMENT')
    for (const bad of [undefined, {}, { dim: 0 }, { dim: 3, m: 1 }, { dim: 3, metric: 'hamming' }, { dim: '3' }, { dim: 3, efSearch: 0 }]) {
      expect(codeOf(() => new VectorIndex(bad))).toBe('INVALID_ARGUMENT')
    }
    expect(ix.size).toBe(1)
    expect(Array.from(ix.search(new Float32Array([2, 0, 0]), 1).ids)).toEqual([7])
  })
})
