// Plain-JavaScript references in float64: what the kernels should compute, written the
// obvious way. Tests compare both backends with these.
import { plain } from './cases.mjs'

const f32 = Math.fround

export const reference = {
  dotProduct(a, b) {
    let s = 0
    for (let i = 0; i < a.length; i++) s += a[i] * b[i]
    return s
  },
  cosineSimilarity(a, b) {
    let d = 0, na = 0, nb = 0
    for (let i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
    if (na === 0 || nb === 0) return 0
    return Math.max(-1, Math.min(1, d / Math.sqrt(na * nb)))
  },
  normalize(v) {
    const n = Math.sqrt(this.dotProduct(v, v))
    return v.map((x) => (n === 0 ? 0 : x / n))
  },
  topKSimilar(query, matrix, dim, k) {
    const rows = matrix.length / dim
    const scores = []
    for (let r = 0; r < rows; r++) scores.push(this.cosineSimilarity(query, matrix.subarray(r * dim, (r + 1) * dim)))
    const order = scores.map((_, i) => i).sort((x, y) => scores[y] - scores[x] || x - y).slice(0, k)
    return { indices: Uint32Array.from(order), scores: Float32Array.from(order.map((i) => scores[i])) }
  },
  batchQUpdate(q, r, n, alpha, gamma) {
    return q.map((qi, i) => f32(qi + f32(alpha) * (r[i] + f32(gamma) * n[i] - qi)))
  },
  validateRanges(v, lo, hi) {
    return Uint8Array.from(v, (x, i) => (lo[i] <= x && x <= hi[i] ? 1 : 0))
  },
  aggregate(v, w, threshold) {
    let sum = 0, weightedSum = 0, max = -Infinity, countAbove = 0
    for (let i = 0; i < v.length; i++) {
      sum += v[i]; weightedSum += v[i] * w[i]; max = Math.max(max, v[i]); countAbove += v[i] > threshold ? 1 : 0
    }
    return { sum, weightedSum, max, countAbove }
  },
}

/** The reference answer to every case, in the same plain form as runCases. */
export function referenceResults(cases) {
  const out = {}
  for (const [name, c] of Object.entries(cases)) out[name] = plain(c.run(reference))
  return out
}
