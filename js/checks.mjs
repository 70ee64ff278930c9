// Argument checks and error mapping shared by every part of the facade: identical for both
// backends, and every failure an Error whose `.code` is one of ERROR_CODES.

export const ERROR_CODES = Object.freeze([
  'INVALID_ARGUMENT', 'DIMENSION_MISMATCH', 'INVALID_VECTOR', 'DUPLICATE_ID', 'INVALID_FAJ_CODE',
  'INVALID_CATALOG', 'DEPENDENCY_CYCLE', 'AGENT_NOT_FOUND', 'AGENT_NOT_READY', 'FEATURE_NOT_FOUND',
  'UNKNOWN_QUERY', 'INVALID_REWARD', 'INVALID_KEY', 'DECRYPTION_FAILED', 'SIGNATURE_INVALID',
  'CORRUPT_DATA', 'UNSUPPORTED_VERSION', 'INTERNAL',
])
export const CODES = new Set(ERROR_CODES)

export function describe(v) {
  if (v === null) return 'null'
  if (Array.isArray(v)) return `an Array of length ${v.length}`
  if (ArrayBuffer.isView(v)) return `a ${v.constructor?.name ?? 'typed array'}`
  if (typeof v === 'object') return `an object (${v.constructor?.name ?? 'Object'})`
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`
  return `${typeof v} ${String(v)}`
}

export function typeError(message) {
  const e = new TypeError(message)
  e.code = 'INVALID_ARGUMENT'
  return e
}

// instanceof fails across realms (iframes, vm contexts); the tag check does not.
export const tagOf = (v) => Object.prototype.toString.call(v)
export function float32(name, v) {
  if (v instanceof Float32Array || tagOf(v) === '[object Float32Array]') return v
  throw typeError(`${name} must be a Float32Array, got ${describe(v)}`)
}
export function number(name, v) {
  if (typeof v === 'number') return v
  throw typeError(`${name} must be a number, got ${describe(v)}`)
}

export function stateArg(name, v) {
  if (typeof v === 'number' || typeof v === 'string') return v
  throw typeError(`${name} must be a number or a string, got ${describe(v)}`)
}
export function uint32(name, v) {
  if (v instanceof Uint32Array || tagOf(v) === '[object Uint32Array]') return v
  throw typeError(`${name} must be a Uint32Array, got ${describe(v)}`)
}
export function uint8(name, v) {
  if (v instanceof Uint8Array || tagOf(v) === '[object Uint8Array]') return v
  throw typeError(`${name} must be a Uint8Array, got ${describe(v)}`)
}


// Engine errors already carry a contract code. Anything else (a backend's own argument
// error, a WASM trap, a caught Rust panic) is mapped so callers can rely on `.code`.
export function codedError(code, message) {
  const e = new Error(message)
  e.code = CODES.has(code) ? code : 'INTERNAL'
  return e
}

export function contractError(e) {
  if (e && CODES.has(e.code)) return e
  const napiArgument = e && ['InvalidArg', 'NumberExpected', 'ObjectExpected', 'StringExpected'].includes(e.code)
  const mapped = new Error(e && e.message ? e.message : String(e), { cause: e })
  mapped.code = napiArgument ? 'INVALID_ARGUMENT' : 'INTERNAL'
  return mapped
}

// Runs a raw call, mapping whatever it throws to a contract error (see contractError).
export function call(fn) {
  try { return fn() } catch (e) { throw contractError(e) }
}

