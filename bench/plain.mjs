// Plain-JavaScript versions of the kernels, written the way a careful user would: typed
// arrays, single loops, no allocation beyond the result. The baseline every ratio is against.

export function dotProduct(a, b) {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i] * b[i]
  return s
}

export function cosineSimilarity(a, b) {
  let d = 0, na = 0, nb = 0
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i]
    na += a[i] * a[i]
    nb += b[i] * b[i]
  }
  return na === 0 || nb === 0 ? 0 : d / Math.sqrt(na * nb)
}

export function normalize(v) {
  let n = 0
  for (let i = 0; i < v.length; i++) n += v[i] * v[i]
  const out = new Float32Array(v.length)
  if (n === 0) return out
  const inv = 1 / Math.sqrt(n)
  for (let i = 0; i < v.length; i++) out[i] = v[i] * inv
  return out
}

// Scores every row, keeps the k best in a small sorted buffer (no full sort).
export function topKSimilar(query, matrix, dim, k) {
  let qn = 0
  for (let i = 0; i < dim; i++) qn += query[i] * query[i]
  const rows = matrix.length / dim
  const bestIdx = []
  const bestScore = []
  for (let r = 0; r < rows; r++) {
    let d = 0, n = 0
    const base = r * dim
    for (let i = 0; i < dim; i++) {
      const x = matrix[base + i]
      d += query[i] * x
      n += x * x
    }
    const s = n === 0 || qn === 0 ? 0 : d / Math.sqrt(qn * n)
    if (bestScore.length === k && s <= bestScore[k - 1]) continue
    let at = bestScore.length
    while (at > 0 && bestScore[at - 1] < s) at--
    bestScore.splice(at, 0, s)
    bestIdx.splice(at, 0, r)
    if (bestScore.length > k) { bestScore.pop(); bestIdx.pop() }
  }
  return { indices: Uint32Array.from(bestIdx), scores: Float32Array.from(bestScore) }
}

export function batchQUpdate(q, rewards, nextMaxQ, alpha, gamma) {
  const out = new Float32Array(q.length)
  for (let i = 0; i < q.length; i++) out[i] = q[i] + alpha * (rewards[i] + gamma * nextMaxQ[i] - q[i])
  return out
}

export function validateRanges(values, min, max) {
  const out = new Uint8Array(values.length)
  for (let i = 0; i < values.length; i++) out[i] = min[i] <= values[i] && values[i] <= max[i] ? 1 : 0
  return out
}

export function aggregate(values, weights, threshold) {
  let sum = 0, weightedSum = 0, max = -Infinity, countAbove = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    sum += v
    weightedSum += v * weights[i]
    if (v > max) max = v
    if (v > threshold) countAbove++
  }
  return { sum, weightedSum, max, countAbove }
}
