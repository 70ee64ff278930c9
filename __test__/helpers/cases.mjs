// Deterministic kernel inputs and a runner that turns an elex API object's answers into
// plain data. The same file runs in Node (both backends) and inside Chromium, so every
// environment answers exactly the same questions.

export const LENGTHS = [0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 127, 128, 129]

export function rng(seed) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** n values in [-1, 1); as a view at a non-zero byte offset into a larger buffer if `view`. */
export function vector(next, n, view) {
  if (!view) return Float32Array.from({ length: n }, () => next() * 2 - 1)
  const backing = new Float32Array(n + 5)
  const v = backing.subarray(3, 3 + n)
  for (let i = 0; i < n; i++) v[i] = next() * 2 - 1
  return v
}

/** Every kernel on every length, plain and as subarray() views. Returns { name: { args, run } }. */
export function kernelCases() {
  const cases = {}
  for (const view of [false, true]) {
    for (const n of LENGTHS) {
      const next = rng(n * 7919 + (view ? 1 : 0))
      const tag = `${n}${view ? ' view' : ''}`
      const a = vector(next, n, view)
      const b = vector(next, n, view)
      const c = vector(next, n, view)
      cases[`dotProduct ${tag}`] = { scale: sumAbsProducts(a, b), run: (e) => e.dotProduct(a, b) }
      cases[`cosineSimilarity ${tag}`] = { scale: 1, run: (e) => e.cosineSimilarity(a, b) }
      cases[`normalize ${tag}`] = { scale: 1, run: (e) => e.normalize(a) }
      cases[`batchQUpdate ${tag}`] = { scale: 1, run: (e) => e.batchQUpdate(a, b, c, 0.1, 0.9) }
      const withNaN = Float32Array.from(a)
      if (n > 2) withNaN[n - 2] = NaN
      const lo = b.map((x) => x * 0.5 - 0.25)
      const hi = b.map((x) => x * 0.5 + 0.25)
      cases[`validateRanges ${tag}`] = { scale: 1, run: (e) => e.validateRanges(withNaN, lo, hi) }
      cases[`aggregate ${tag}`] = { scale: sumAbs(a) + sumAbsProducts(a, b), run: (e) => e.aggregate(a, b, 0.2) }
      if (n > 0) {
        const rows = 37
        const matrix = vector(next, rows * n, view)
        cases[`topKSimilar ${tag}`] = { scale: 1, run: (e) => e.topKSimilar(a, matrix, n, 5) }
      }
    }
  }
  return cases
}

function sumAbs(a) {
  let s = 0
  for (const x of a) s += Math.abs(x)
  return s
}
function sumAbsProducts(a, b) {
  let s = 0
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i])
  return s
}

/** Typed arrays to plain arrays (for structured cloning out of a browser page). */
export function plain(value) {
  if (ArrayBuffer.isView(value)) return { typed: value.constructor.name, values: Array.from(value) }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
  }
  return value
}

export function runCases(api) {
  const out = {}
  for (const [name, c] of Object.entries(kernelCases())) out[name] = plain(c.run(api))
  return out
}

/**
 * Compares two plain results: same shape and types, numbers within 1e-5 relative to the
 * case's scale (the magnitude of the terms summed). Returns a list of differences.
 */
export function differences(got, want, scale, path = '') {
  const out = []
  const tol = 1e-5 * Math.max(1, scale)
  if (typeof want === 'number') {
    const same = Number.isNaN(want) ? Number.isNaN(got) : want === got || Math.abs(got - want) <= tol
    if (typeof got !== 'number' || !same) out.push(`${path}: ${got} != ${want}`)
  } else if (want && typeof want === 'object') {
    if (!got || typeof got !== 'object') return [`${path}: ${JSON.stringify(got)} is not an object`]
    const keys = new Set([...Object.keys(want), ...Object.keys(got)])
    for (const k of keys) {
      if (!(k in got) || !(k in want)) out.push(`${path}.${k}: present on one side only`)
      else out.push(...differences(got[k], want[k], scale, `${path}.${k}`))
    }
  } else if (got !== want) {
    out.push(`${path}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`)
  }
  return out
}
