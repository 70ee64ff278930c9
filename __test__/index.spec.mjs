// The VectorIndex contract (HNSW), once per backend. Recall is judged against an exact scan
// computed here in plain JS.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { rng } from './helpers/cases.mjs'
import {
  clustered, exactNeighbours, fashionMnist, hasFashionMnist, randomProjection, randomUnit, recallAt,
} from './helpers/datasets.mjs'

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
    // k above the size: every live vector (an empty index gives none; see messages.spec).
    expect(Array.from(ix.search(new Float32Array([1, 0, 0]), 2).ids)).toEqual([7])
    expect(codeOf(() => ix.search(new Float32Array(3), 2, { efSearch: 1 }))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => ix.search(new Float32Array([Infinity, 0, 0]), 1))).toBe('INVALID_VECTOR')
    expect(codeOf(() => ix.search(new Float32Array(3), 1, { ef: 3 }))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => ix.search(new Float32Array(3), 1, { exact: 1 }))).toBe('INVALID_ARGUMENT')
    for (const bad of [undefined, {}, { dim: 0 }, { dim: 3, m: 1 }, { dim: 3, metric: 'hamming' }, { dim: '3' }, { dim: 3, efSearch: 0 }]) {
      expect(codeOf(() => new VectorIndex(bad))).toBe('INVALID_ARGUMENT')
    }
    expect(ix.size).toBe(1)
    expect(Array.from(ix.search(new Float32Array([2, 0, 0]), 1).ids)).toEqual([7])
  })

  /** recall@10 of graph search over `n` base rows against the exact answer for `nq` queries. */
  function recallOn(data, dim, n, nq, metric, options = {}) {
    const ix = new VectorIndex({ dim, metric, seed: 9, ...options })
    ix.addBatch(Uint32Array.from({ length: n }, (_, i) => i), data.subarray(0, n * dim))
    const queries = data.subarray(n * dim, (n + nq) * dim)
    const truth = exactNeighbours(data.subarray(0, n * dim), queries, dim, 10, metric)
    return recallAt(10, ix.searchBatch(queries, 10).ids, truth)
  }

  it('recall@10 >= 0.95 on random unit vectors and on a clustered set (128 dims)', () => {
    expect(recallOn(randomUnit(3050, 128, 21), 128, 3000, 50, 'cosine', { efSearch: 200 })).toBeGreaterThanOrEqual(0.95)
    expect(recallOn(clustered(3050, 128, { clusters: 30, seed: 22 }), 128, 3000, 50, 'cosine', { efSearch: 128 }))
      .toBeGreaterThanOrEqual(0.95)
  })

  it.runIf(hasFashionMnist())('recall@10 >= 0.95 on Fashion-MNIST (784 dims, and projected to 128)', () => {
    const n = 2500, nq = 50
    const train = fashionMnist('train', n).data, test = fashionMnist('test', nq).data
    const raw = new Float32Array((n + nq) * 784)
    raw.set(train); raw.set(test, train.length)
    expect(recallOn(raw, 784, n, nq, 'l2')).toBeGreaterThanOrEqual(0.95)
    expect(recallOn(randomProjection(raw, 784, 128), 128, n, nq, 'l2')).toBeGreaterThanOrEqual(0.95)
  })

  it('addBatchAsync keeps the event loop turning, reports progress up to total, and can be searched meanwhile', async () => {
    // The size on the native backend (the issue asks it there); WASM, slower to
    // build, gets a smaller one.
    const n = elex.backend === 'native' ? 100_000 : 8_000, dim = 16
    const data = randomUnit(n + 20, dim, 31)
    const ix = new VectorIndex({ dim, m: 8, efConstruction: 40, seed: 2 })
    const sizesSeen = [], progress = []
    let searchesWhileBuilding = 0
    const timer = setInterval(() => {
      const size = ix.size
      sizesSeen.push(size)
      if (size > 0 && size < n) {
        expect(ix.search(data.subarray(0, dim), 1).ids.length).toBe(1)
        searchesWhileBuilding++
      }
    }, 1)
    const building = ix.addBatchAsync(Uint32Array.from({ length: n }, (_, i) => i), data.subarray(0, n * dim), {
      onProgress: (done, total) => progress.push([done, total]),
    })
    expect(building).toBeInstanceOf(Promise)
    expect(codeOf(() => ix.add(n + 1, data.subarray(0, dim)))).toBe('INVALID_ARGUMENT') // busy until settled
    await building
    clearInterval(timer)
    expect(sizesSeen.length).toBeGreaterThanOrEqual(3) // the timer kept firing during the build
    expect(searchesWhileBuilding).toBeGreaterThanOrEqual(1)
    expect(progress.at(-1)).toEqual([n, n])
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThan(progress[i - 1][0])
    expect(ix.size).toBe(n)
    const queries = data.subarray(n * dim)
    const truth = exactNeighbours(data.subarray(0, n * dim), queries, dim, 10, 'cosine')
    expect(recallAt(10, ix.searchBatch(queries, 10, { efSearch: 128 }).ids, truth)).toBeGreaterThanOrEqual(0.95)
    ix.add(n + 1, data.subarray(0, dim)) // usable again
  }, 120_000)

  it('after removing half the ids, none comes back and recall on the rest stays >= 0.95', () => {
    const dim = 32, n = 3000
    const data = clustered(n + 50, dim, { clusters: 40, seed: 51 })
    const ix = new VectorIndex({ dim, seed: 6 })
    ix.addBatch(Uint32Array.from({ length: n }, (_, i) => i), data.subarray(0, n * dim))
    const memoryBefore = ix.memoryUsage()
    for (let id = 0; id < n; id += 2) expect(ix.remove(id)).toBe(true)
    expect(ix.size).toBe(n / 2)
    const queries = data.subarray(n * dim)
    const truth = exactNeighbours(data.subarray(0, n * dim), queries, dim, 10, 'cosine', (i) => i % 2 === 0)
    const found = ix.searchBatch(queries, 10)
    expect(Array.from(found.ids).every((id) => id % 2 === 1)).toBe(true)
    expect(recallAt(10, found.ids, truth)).toBeGreaterThanOrEqual(0.95)
    expect(ix.memoryUsage()).toBeLessThan(memoryBefore * 0.75) // removed slots were given back (compaction)
  })

  it('{ exact: true } scans every vector (ground truth), and search is never worse than it at a large ef', () => {
    const dim = 32, n = 3000
    const data = randomUnit(n + 20, dim, 41)
    const ix = new VectorIndex({ dim, seed: 5 })
    ix.addBatch(Uint32Array.from({ length: n }, (_, i) => i), data.subarray(0, n * dim))
    const queries = data.subarray(n * dim)
    const truth = exactNeighbours(data.subarray(0, n * dim), queries, dim, 10, 'cosine')
    const exact = ix.searchBatch(queries, 10, { exact: true })
    expect(recallAt(10, exact.ids, truth)).toBe(1)
    expect(Array.from(ix.search(queries.subarray(0, dim), 10, { exact: true }).ids)).toEqual(Array.from(exact.ids.subarray(0, 10)))
    // At an ef near the size, a graph search would compute more distances than the scan:
    // search answers with the scan then (identical results).
    expect(Array.from(ix.searchBatch(queries, 10, { efSearch: 4000 }).ids)).toEqual(Array.from(exact.ids))
  })

  it('addBatchAsync checks the whole batch first and rejects with contract codes', async () => {
    const ix = new VectorIndex({ dim: 2 })
    ix.add(5, new Float32Array([1, 0]))
    const codeOfAsync = async (p) => { try { await p } catch (e) { return e.code } return 'no error' }
    expect(await codeOfAsync(ix.addBatchAsync(new Uint32Array([1, 5]), new Float32Array(4)))).toBe('DUPLICATE_ID')
    expect(await codeOfAsync(ix.addBatchAsync(new Uint32Array([1]), new Float32Array(3)))).toBe('DIMENSION_MISMATCH')
    expect(await codeOfAsync(ix.addBatchAsync(new Uint32Array([1]), new Float32Array(2), { onProgress: 3 }))).toBe('INVALID_ARGUMENT')
    expect(await codeOfAsync(ix.addBatchAsync([1], new Float32Array(2)))).toBe('INVALID_ARGUMENT')
    expect(ix.size).toBe(1)
    await ix.addBatchAsync(new Uint32Array([1, 2]), new Float32Array([0, 1, 1, 1]))
    expect(ix.size).toBe(3)
  })
})
