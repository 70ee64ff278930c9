// Vector data sets for the index tests and bench/index.mjs: random unit vectors, a clustered
// set, and Fashion-MNIST from Debian's `dataset-fashion-mnist` (raw 784 dims, or randomly
// projected to 128). Everything is seeded, so a run can be repeated exactly.
import { existsSync, readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { rng } from './cases.mjs'

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist'

/** Standard normal numbers from a uniform generator (Box-Muller). */
function gaussian(random) {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

function normalizeRows(data, dim) {
  for (let off = 0; off < data.length; off += dim) {
    let s = 0
    for (let j = 0; j < dim; j++) s += data[off + j] * data[off + j]
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0
    for (let j = 0; j < dim; j++) data[off + j] *= inv
  }
  return data
}

/** n random unit vectors (directions uniform on the sphere). */
export function randomUnit(n, dim, seed = 1) {
  const g = gaussian(rng(seed))
  const data = new Float32Array(n * dim)
  for (let i = 0; i < data.length; i++) data[i] = g()
  return normalizeRows(data, dim)
}

/**
 * n unit vectors around `clusters` random centres; `spread` is the noise relative to a
 * centre's length. The centres are drawn from `seed` alone, so base and query sets made
 * with the same seed and different `pointSeed`s share them.
 */
export function clustered(n, dim, { clusters = 50, spread = 0.35, seed = 1, pointSeed = seed + 1 } = {}) {
  const centres = randomUnit(clusters, dim, seed)
  const pick = rng(pointSeed)
  const g = gaussian(rng(pointSeed * 7919))
  const noise = spread / Math.sqrt(dim)
  const data = new Float32Array(n * dim)
  for (let i = 0; i < n; i++) {
    const c = Math.floor(pick() * clusters) * dim
    for (let j = 0; j < dim; j++) data[i * dim + j] = centres[c + j] + noise * g()
  }
  return normalizeRows(data, dim)
}

export function hasFashionMnist() {
  return existsSync(`${FASHION_DIR}/train-images-idx3-ubyte.gz`)
}

/** Images of the train or test split as 784-dim rows, pixel values scaled to [0, 1]. */
export function fashionMnist(split = 'train', limit = Infinity) {
  const file = `${FASHION_DIR}/${split === 'train' ? 'train' : 't10k'}-images-idx3-ubyte.gz`
  const raw = gunzipSync(readFileSync(file))
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength)
  if (view.getUint32(0) !== 2051) throw new Error(`${file}: not an IDX image file`)
  const count = Math.min(view.getUint32(4), limit)
  const dim = view.getUint32(8) * view.getUint32(12)
  const data = new Float32Array(count * dim)
  for (let i = 0; i < data.length; i++) data[i] = raw[16 + i] / 255
  return { data, dim, count }
}

/** Rows of `data` (dim `from`) times a seeded Gaussian matrix from × to, scaled by 1/sqrt(to). */
export function randomProjection(data, from, to, seed = 3) {
  const g = gaussian(rng(seed))
  const scale = 1 / Math.sqrt(to)
  const matrix = new Float32Array(from * to)
  for (let i = 0; i < matrix.length; i++) matrix[i] = g() * scale
  const n = data.length / from
  const out = new Float32Array(n * to)
  const acc = new Float64Array(to)
  for (let r = 0; r < n; r++) {
    acc.fill(0)
    for (let i = 0; i < from; i++) {
      const x = data[r * from + i]
      if (x === 0) continue
      const row = i * to
      for (let j = 0; j < to; j++) acc[j] += x * matrix[row + j]
    }
    out.set(acc, r * to)
  }
  return out
}

/** Distance as the index defines it (cosine: 1 - similarity; l2: squared; dot: -dot). */
export function distanceFn(metric) {
  if (metric === 'l2') {
    return (a, ao, b, bo, dim) => {
      let s = 0
      for (let j = 0; j < dim; j++) { const d = a[ao + j] - b[bo + j]; s += d * d }
      return s
    }
  }
  if (metric === 'dot') {
    return (a, ao, b, bo, dim) => {
      let s = 0
      for (let j = 0; j < dim; j++) s += a[ao + j] * b[bo + j]
      return -s
    }
  }
  return (a, ao, b, bo, dim) => {
    let s = 0, na = 0, nb = 0
    for (let j = 0; j < dim; j++) { s += a[ao + j] * b[bo + j]; na += a[ao + j] ** 2; nb += b[bo + j] ** 2 }
    return na > 0 && nb > 0 ? 1 - s / Math.sqrt(na * nb) : 1
  }
}

/**
 * Exact k nearest rows of `base` for every row of `queries` (plain JS, independent of the
 * engine): an array of Uint32Array positions, nearest first. `skip(i)` leaves rows out.
 */
export function exactNeighbours(base, queries, dim, k, metric = 'cosine', skip = () => false) {
  const dist = distanceFn(metric)
  const n = base.length / dim
  const out = []
  const d = new Float64Array(n)
  const order = new Uint32Array(n)
  for (let q = 0; q < queries.length / dim; q++) {
    let m = 0
    for (let i = 0; i < n; i++) {
      if (skip(i)) continue
      d[i] = dist(queries, q * dim, base, i * dim, dim)
      order[m++] = i
    }
    const ids = Array.from(order.subarray(0, m)).sort((a, b) => d[a] - d[b] || a - b)
    out.push(Uint32Array.from(ids.slice(0, k)))
  }
  return out
}

/** Mean fraction of each truth row found in the matching result row (recall@k). */
export function recallAt(k, resultIds, truth) {
  let hit = 0
  for (let q = 0; q < truth.length; q++) {
    const want = new Set(truth[q].subarray(0, k))
    for (let j = 0; j < k; j++) if (want.has(resultIds[q * k + j])) hit++
  }
  return hit / (truth.length * k)
}
