// The SIMD kernels over one raw backend. Outputs are allocated here (cheaper in JS than in
// native code) and filled by the backend.

import { contractError, float32, number } from './checks.mjs'

export function makeKernels(raw) {
  return {
    cosineSimilarity(a, b) {
      float32('a', a); float32('b', b)
      try { return raw.cosineSimilarity(a, b) } catch (e) { throw contractError(e) }
    },
    dotProduct(a, b) {
      float32('a', a); float32('b', b)
      try { return raw.dotProduct(a, b) } catch (e) { throw contractError(e) }
    },
    normalize(v) {
      float32('v', v)
      const out = new Float32Array(v.length)
      try { raw.normalize(v, out) } catch (e) { throw contractError(e) }
      return out
    },
    topKSimilar(query, matrix, dim, k) {
      float32('query', query); float32('matrix', matrix); number('dim', dim); number('k', k)
      try { return raw.topKSimilar(query, matrix, dim, k) } catch (e) { throw contractError(e) }
    },
    batchQUpdate(q, rewards, nextMaxQ, alpha, gamma) {
      float32('q', q); float32('rewards', rewards); float32('nextMaxQ', nextMaxQ)
      number('alpha', alpha); number('gamma', gamma)
      const out = new Float32Array(q.length)
      try { raw.batchQUpdate(q, rewards, nextMaxQ, alpha, gamma, out) } catch (e) { throw contractError(e) }
      return out
    },
    validateRanges(values, min, max) {
      float32('values', values); float32('min', min); float32('max', max)
      const out = new Uint8Array(values.length)
      try { raw.validateRanges(values, min, max, out) } catch (e) { throw contractError(e) }
      return out
    },
    aggregate(values, weights, threshold) {
      float32('values', values); float32('weights', weights); number('threshold', threshold)
      const out = new Float64Array(4)
      try { raw.aggregate(values, weights, threshold, out) } catch (e) { throw contractError(e) }
      return { sum: out[0], weightedSum: out[1], max: out[2], countAbove: out[3] }
    },
  }
}
