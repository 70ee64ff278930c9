// The kernel contract, run once per backend (the vitest project sets ELEX_BACKEND).
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { differences, kernelCases, plain, runCases } from './helpers/cases.mjs'
import { referenceResults } from './helpers/reference.mjs'

const require = createRequire(import.meta.url)
const elex = require('../index.js')
const expected = process.env.ELEX_BACKEND

function codeOf(fn) {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(Error)
    return e.code
  }
  throw new Error('expected a throw')
}

describe(`kernels on the ${expected} backend`, () => {
  it('loaded the backend it was asked for, with the SIMD level it should have', () => {
    expect(elex.backend).toBe(expected)
    expect(elex.version()).toBe(require('../package.json').version)
    // This CI machine is x86_64 with AVX2+FMA, and with AVX-512 VNNI where its CPU flags say
    // so; WASM is always built with simd128.
    const flags = require('node:fs').readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)[1].split(/\s+/)
    const vnni = ['avx512f', 'avx512bw', 'avx512_vnni'].every((f) => flags.includes(f))
    expect(elex.simdLevel()).toBe(expected === 'wasm' ? 'simd128' : vnni ? 'avx2+fma+vnni' : 'avx2+fma')
  })

  const cases = kernelCases()
  const want = referenceResults(cases)
  const got = runCases(elex)
  for (const [name, c] of Object.entries(cases)) {
    it(`${name} matches the float64 reference`, () => {
      expect(differences(got[name], want[name], c.scale)).toEqual([])
    })
  }

  it('reads subarray() views at their offset, not the start of the buffer', () => {
    const backing = new Float32Array([100, 100, 100, 1, 2, 3, 100])
    const v = backing.subarray(3, 6)
    expect(elex.dotProduct(v, v)).toBe(14)
    expect(Array.from(elex.normalize(v))).toEqual(Array.from(elex.normalize(new Float32Array([1, 2, 3]))))
    expect(elex.aggregate(v, v, 1.5)).toEqual({ sum: 6, weightedSum: 14, max: 3, countAbove: 2 })
    expect(Array.from(backing)).toEqual([100, 100, 100, 1, 2, 3, 100]) // inputs untouched
  })

  it('returns fresh typed arrays of the documented types', () => {
    const q = new Float32Array([0.5, 0.5])
    const out = elex.batchQUpdate(q, new Float32Array([1, 1]), new Float32Array([0, 0]), 0.5, 0.9)
    expect(out).toBeInstanceOf(Float32Array)
    expect(out).not.toBe(q)
    expect(Array.from(q)).toEqual([0.5, 0.5])
    const top = elex.topKSimilar(q, new Float32Array([1, 0, 0, 1, 1, 1]), 2, 2)
    expect(top.indices).toBeInstanceOf(Uint32Array)
    expect(top.scores).toBeInstanceOf(Float32Array)
    expect(Array.from(top.indices)).toEqual([2, 0])
    expect(elex.validateRanges(q, q, q)).toBeInstanceOf(Uint8Array)
  })

  it('throws DIMENSION_MISMATCH on length mismatches', () => {
    const [a, b] = [new Float32Array(3), new Float32Array(4)]
    expect(codeOf(() => elex.dotProduct(a, b))).toBe('DIMENSION_MISMATCH')
    expect(codeOf(() => elex.cosineSimilarity(a, b))).toBe('DIMENSION_MISMATCH')
    expect(codeOf(() => elex.topKSimilar(a, b, 3, 1))).toBe('DIMENSION_MISMATCH')
    expect(codeOf(() => elex.topKSimilar(b, b, 3, 1))).toBe('DIMENSION_MISMATCH')
    expect(codeOf(() => elex.batchQUpdate(a, a, b, 0.1, 0.9))).toBe('DIMENSION_MISMATCH')
    expect(codeOf(() => elex.validateRanges(a, b, a))).toBe('DIMENSION_MISMATCH')
    expect(codeOf(() => elex.aggregate(a, b, 0))).toBe('DIMENSION_MISMATCH')
  })

  it('throws INVALID_VECTOR for NaN or Infinity in similarity inputs', () => {
    const bad = new Float32Array([1, NaN, 3])
    const ok = new Float32Array([1, 2, 3])
    expect(codeOf(() => elex.dotProduct(bad, ok))).toBe('INVALID_VECTOR')
    expect(codeOf(() => elex.cosineSimilarity(ok, new Float32Array([1, Infinity, 3])))).toBe('INVALID_VECTOR')
    expect(codeOf(() => elex.normalize(bad))).toBe('INVALID_VECTOR')
    expect(codeOf(() => elex.topKSimilar(ok, new Float32Array([1, 2, 3, 1, -Infinity, 3]), 3, 1))).toBe('INVALID_VECTOR')
    expect(codeOf(() => elex.batchQUpdate(ok, bad, ok, 0.1, 0.9))).toBe('INVALID_REWARD')
  })

  it('rejects wrong argument types with a TypeError coded INVALID_ARGUMENT', () => {
    const v = new Float32Array(2)
    const wrong = [undefined, null, 1, 'abc', [1, 2], new Float64Array(2), new Uint8Array(8), {}, v.buffer]
    for (const w of wrong) {
      for (const call of [
        () => elex.dotProduct(w, v), () => elex.cosineSimilarity(v, w), () => elex.normalize(w),
        () => elex.topKSimilar(w, v, 2, 1), () => elex.batchQUpdate(v, v, w, 0.1, 0.9),
        () => elex.validateRanges(v, w, v), () => elex.aggregate(v, w, 0),
      ]) {
        let err
        try { call() } catch (e) { err = e }
        expect(err).toBeInstanceOf(TypeError)
        expect(err.code).toBe('INVALID_ARGUMENT')
      }
    }
    for (const n of ['2', null, undefined, 2n]) {
      expect(codeOf(() => elex.topKSimilar(v, v, n, 1))).toBe('INVALID_ARGUMENT')
      expect(codeOf(() => elex.aggregate(v, v, n))).toBe('INVALID_ARGUMENT')
    }
  })

  it('rejects numbers out of range with INVALID_ARGUMENT', () => {
    const v = new Float32Array(4)
    for (const dim of [0, -2, 1.5, NaN, Infinity, 2 ** 60]) {
      expect(codeOf(() => elex.topKSimilar(v, v, dim, 1))).toBe('INVALID_ARGUMENT')
    }
    for (const k of [0, -1, 0.5, NaN, 2 ** 32]) expect(codeOf(() => elex.topKSimilar(v, v, 4, k))).toBe('INVALID_ARGUMENT')
    for (const alpha of [0, -0.1, 1.5, NaN]) expect(codeOf(() => elex.batchQUpdate(v, v, v, alpha, 0.9))).toBe('INVALID_ARGUMENT')
    for (const gamma of [-0.1, 1.5, NaN]) expect(codeOf(() => elex.batchQUpdate(v, v, v, 0.1, gamma))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => elex.aggregate(v, v, NaN))).toBe('INVALID_ARGUMENT')
  })

  it('handles the edges without surprises', () => {
    const empty = new Float32Array(0)
    expect(elex.dotProduct(empty, empty)).toBe(0)
    expect(elex.cosineSimilarity(empty, empty)).toBe(0)
    expect(elex.cosineSimilarity(new Float32Array(5), new Float32Array(5).fill(1))).toBe(0)
    expect(Array.from(elex.normalize(new Float32Array(3)))).toEqual([0, 0, 0])
    expect(elex.aggregate(empty, empty, 0)).toEqual({ sum: 0, weightedSum: 0, max: -Infinity, countAbove: 0 })
    const top = elex.topKSimilar(new Float32Array([1, 0]), new Float32Array([0, 1, 1, 0]), 2, 10)
    expect(Array.from(top.indices)).toEqual([1, 0]) // k larger than the rows: all rows
    // Values that overflow float32 products still give the right answer (exact path).
    const big = new Float32Array([1e30, 2e30, -1e30])
    expect(elex.cosineSimilarity(big, big)).toBeCloseTo(1, 6)
    expect(elex.dotProduct(big, big)).toBeCloseTo(6e60, -55)
    // The threshold compares like JavaScript's `>` on the float32 values.
    const vals = new Float32Array([0.1, 0.2])
    expect(elex.aggregate(vals, vals, 0.1).countAbove).toBe([...vals].filter((x) => x > 0.1).length)
  })

  it('keeps working after failed calls', () => {
    for (let i = 0; i < 100; i++) {
      codeOf(() => elex.dotProduct(new Float32Array(i + 1), new Float32Array(i)))
    }
    expect(elex.dotProduct(new Float32Array([2]), new Float32Array([3]))).toBe(6)
    expect(plain(elex.topKSimilar(new Float32Array([1]), new Float32Array([1, -1]), 1, 1)).indices.values).toEqual([0])
  })
})
