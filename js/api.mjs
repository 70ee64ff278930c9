// The one JavaScript facade over both backends. The native addon and the WASM module expose
// the same raw functions; this layer checks argument *types* (identically for both, so code
// written against one backend behaves the same on the other), and guarantees that every
// failure is an Error whose `.code` is one of ERROR_CODES. Values, lengths and ranges are
// checked by the Rust engine.

export const ERROR_CODES = Object.freeze([
  'INVALID_ARGUMENT', 'DIMENSION_MISMATCH', 'INVALID_VECTOR', 'DUPLICATE_ID', 'INVALID_FAJ_CODE',
  'INVALID_CATALOG', 'DEPENDENCY_CYCLE', 'AGENT_NOT_FOUND', 'AGENT_NOT_READY', 'FEATURE_NOT_FOUND',
  'UNKNOWN_QUERY', 'INVALID_REWARD', 'INVALID_KEY', 'DECRYPTION_FAILED', 'SIGNATURE_INVALID',
  'CORRUPT_DATA', 'UNSUPPORTED_VERSION', 'INTERNAL',
])
const CODES = new Set(ERROR_CODES)

function describe(v) {
  if (v === null) return 'null'
  if (Array.isArray(v)) return `an Array of length ${v.length}`
  if (ArrayBuffer.isView(v)) return `a ${v.constructor?.name ?? 'typed array'}`
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'Object'})`
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`
  return `${typeof v} ${String(v)}`
}

function typeError(message) {
  const e = new TypeError(message)
  e.code = 'INVALID_ARGUMENT'
  return e
}

// instanceof fails across realms (iframes, vm contexts); the tag check does not.
const tagOf = (v) => Object.prototype.toString.call(v)
function float32(name, v) {
  if (v instanceof Float32Array || tagOf(v) === '[object Float32Array]') return v
  throw typeError(`${name} must be a Float32Array, got ${describe(v)}`)
}
function number(name, v) {
  if (typeof v === 'number') return v
  throw typeError(`${name} must be a number, got ${describe(v)}`)
}

// Engine errors already carry a contract code. Anything else (a backend's own argument
// error, a WASM trap, a caught Rust panic) is mapped so callers can rely on `.code`.
function contractError(e) {
  if (e && CODES.has(e.code)) return e
  const napiArgument = e && ['InvalidArg', 'NumberExpected', 'ObjectExpected', 'StringExpected'].includes(e.code)
  const mapped = new Error(e && e.message ? e.message : String(e), { cause: e })
  mapped.code = napiArgument ? 'INVALID_ARGUMENT' : 'INTERNAL'
  return mapped
}

export function createApi(raw, backend) {
  const api = {
    backend,
    ERROR_CODES,
    version: () => raw.version(),
    simdLevel: () => raw.simdLevel(),

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
  // The raw backend, for benchmarks and diagnostics only: not enumerable, not in the types.
  Object.defineProperty(api, '__raw', { value: raw, enumerable: false })
  return api
}
