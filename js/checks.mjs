// Argument checks and error mapping shared by every part of the facade: identical for both
// backends, and every failure an Error whose `.code` is one of ERROR_CODES.

// The codes come from the engine (crates/elex-engine/src/error.rs, through the backend's
// errorCodes()): one list, never copied. Both backends give the same one.
export const CODES = new Set()
export function useErrorCodes(list) {
  if (CODES.size === 0) for (const code of list) CODES.add(code)
  return Object.freeze([...CODES])
}

const article = (name) => (/^[AEIOU]/i.test(name) ? `an ${name}` : `a ${name}`)

/** A value as an error message shows it: `undefined`, `an Int32Array`, `the string "x"`. */
export function describe(v) {
  if (v === null) return 'null'
  if (v === undefined) return 'undefined'
  if (Array.isArray(v)) return `an Array of length ${v.length}`
  if (ArrayBuffer.isView(v)) return article(v.constructor?.name ?? 'typed array')
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

/** The raw backend object behind a facade object (Swarm, Identity), for modules that pass
 * handles to one another (the cluster); never exposed to users. */
export const rawOf = new WeakMap()

// Runs a raw call, mapping whatever it throws to a contract error (see contractError).
export function call(fn) {
  try { return fn() } catch (e) { throw contractError(e) }
}

// An options object -> the positional arguments the raw constructors take, in `keys` order.
// Types are checked here (unknown keys too: a misspelt option must not be silently ignored);
// ranges in Rust. `strings` names the keys that take strings; the rest take numbers.
export function positional(what, options, keys, strings) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw typeError(`${what} options must be an object, got ${describe(options)}`)
  }
  for (const key of Object.keys(options)) {
    if (!keys.includes(key)) throw typeError(`unknown ${what} option ${JSON.stringify(key)} (known: ${keys.join(', ')})`)
  }
  return keys.map((key) => {
    const v = options[key]
    if (v === undefined) return undefined
    const want = strings.includes(key) ? 'string' : 'number'
    if (typeof v !== want) throw typeError(`option ${key} must be a ${want}, got ${describe(v)}`)
    return v
  })
}

/**
 * Options for a raw constructor: the numbers in `numberKeys` order as a Float64Array, a
 * bit mask of which were given (bit i: numberKeys[i]), and the one string option. Types
 * are checked here; values and ranges in Rust.
 */
export function packedOptions(what, options, numberKeys, stringKey) {
  const keys = [...numberKeys, stringKey]
  const given = positional(what, options, keys, [stringKey])
  const numbers = new Float64Array(numberKeys.length)
  let mask = 0
  numberKeys.forEach((_, i) => {
    if (given[i] !== undefined) { numbers[i] = given[i]; mask |= 1 << i }
  })
  return [numbers, mask, given[keys.length - 1]]
}
