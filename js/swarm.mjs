// The Swarm over one raw backend: argument types checked here, everything else in Rust.
// Arguments cross as JSON text (one raw `swarmCall(handle, method, args)` serves every
// method); results come back as JSON and are parsed here.

import { call, contractError, rawOf, codedError, describe, float32, number, tagOf, typeError, uint8 } from './checks.mjs'
import { keyOption } from './security.mjs'

const OPTIONS = ['catalog', 'safeZones', 'dim', 'coldStartThreshold', 'qlearning', 'seed', 'queryCacheSize']

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)

function object(name, v) {
  if (isPlainObject(v)) return v
  throw typeError(`${name} must be an object, got ${describe(v)}`)
}

function string(name, v) {
  if (typeof v === 'string') return v
  throw typeError(`${name} must be a string, got ${describe(v)}`)
}

/** A record whose values pass `check` (a function that throws on a bad one). */
function record(name, v, check) {
  object(name, v)
  for (const [k, x] of Object.entries(v)) check(`${name}[${JSON.stringify(k)}]`, x)
  return v
}

const scalar = (name, v) => {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v
  throw typeError(`${name} must be a number, a string or a boolean, got ${describe(v)}`)
}

// NaN and ±Infinity are not JSON: sent as strings, they reach Rust as wrong types and are
// rejected there like any other bad value.
// Flat arguments (strings, finite numbers: route, feedback, agent, ...) skip the replacer,
// which costs a callback per value on the hottest calls.
const nonFinite = (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)
const flat = (v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))
const encode = (args) => (Array.isArray(args) && args.every(flat) ? JSON.stringify(args) : JSON.stringify(args, nonFinite))

/** The console server's raw query (see Swarm[QUERY_JSON]); not part of the public API. */
export const QUERY_JSON = Symbol.for('elex.queryJson')

// The most questions one off-thread batch carries (it holds the swarm's lock throughout),
// and how many batches of one swarm are out at once.
const BATCH = 64
const IN_FLIGHT = 2

/** A query's input, checked: `{ text, embedding?, context? }` (a string is the text). */
function queryInput(input) {
  if (typeof input === 'string') input = { text: input }
  object('input', input)
  for (const key of Object.keys(input)) {
    if (!['text', 'embedding', 'context'].includes(key)) throw typeError(`unknown query field ${JSON.stringify(key)} (known: text, embedding, context)`)
  }
  const q = { text: string('text', input.text) }
  if (input.embedding !== undefined) q.embedding = Array.from(float32('embedding', input.embedding))
  if (input.context !== undefined) q.context = record('context', input.context, string)
  return q
}

/**
 * `builtIn()` returns the built-in catalog's JSON text (`data/catalog.json`): read from the
 * package's files in Node, fetched next to the module in browsers.
 */
export function makeSwarm(raw, builtIn) {
  let parsed
  const builtInDoc = () => (parsed ??= JSON.parse(builtIn()))

  const defaultCatalog = () => structuredClone(builtInDoc().features)

  const catalogText = (features) => {
    if (!Array.isArray(features)) throw typeError(`catalog must be an Array of features, got ${describe(features)}`)
    return JSON.stringify({ features, vocabulary: builtInDoc().vocabulary })
  }

  const validateCatalog = (features) => {
    const text = catalogText(features)
    call(() => raw.validateCatalog(text))
  }

  const ADOPT = Symbol('adopt')
  let adopting = null

  class Swarm {
    #raw
    #h

    constructor(options = {}) {
      if (options === ADOPT) {
        this.#raw = adopting
        adopting = null
      } else {
        object('Swarm options', options)
        for (const key of Object.keys(options)) {
          if (!OPTIONS.includes(key)) throw typeError(`unknown Swarm option ${JSON.stringify(key)} (known: ${OPTIONS.join(', ')})`)
        }
        const { catalog, ...rest } = options
        const text = catalog === undefined ? builtIn() : catalogText(catalog)
        this.#raw = call(() => new raw.Swarm(text, encode(rest)))
      }
      this.#h = this.#raw.handle
      rawOf.set(this, this.#raw)
    }

    #call(method, ...args) {
      return JSON.parse(call(() => raw.swarmCall(this.#h, method, encode(args))))
    }

    get size() {
      return this.#call('size')
    }

    /** The built-in embedder's vector of `text` (unit length; the same on every backend). */
    embed(text) {
      return Float32Array.from(this.#call('embed', string('text', text)))
    }

    /** The `k` best features for a question, or for a vector searched in the knowledge index. */
    route(query, k = 5) {
      number('k', k)
      if (typeof query === 'string') return this.#call('route', query, k)
      return this.#call('routeVector', Array.from(float32('query (a string or a Float32Array)', query)), k)
    }

    query(input) {
      return this.#call('query', queryInput(input))
    }

    /**
     * `query` without blocking: native answers on a libuv thread while the event loop goes
     * on (what the console server uses); WebAssembly answers in this thread, a microtask
     * later (questions asked in the same turn go as one batch there too).
     */
    async queryAsync(input) {
      return JSON.parse((await this[QUERY_JSON](input)).json)
    }

    /**
     * The console server's `queryAsync`: the answer as JSON text (passed on unparsed) and
     * `summary`, `{ queryId, fajCode, action, queryType, latencyUs }`, for its charts.
     */
    [QUERY_JSON](input) {
      let args
      try {
        args = encode([queryInput(input)])
      } catch (e) {
        return Promise.reject(e)
      }
      return new Promise((resolve, reject) => {
        this.#queued.push([args, resolve, reject])
        this.#pump()
      })
    }

    // Questions asked while a batch is on its thread queue up and go together as the next
    // batch, so a busy server pays one thread hand-off each way per batch, not per question
    // (a hand-off costs a thread wake-up, ~10 µs on a small VM). One batch at a time: a
    // second one out at once measured 5-10 % slower (docs/performance.md).
    #queued = []
    #busy = false
    #pump() {
      if (this.#busy || this.#queued.length === 0) return
      const batch = this.#queued.splice(0, BATCH)
      this.#busy = true
      let task
      try {
        task = call(() => raw.swarmQueryBatchAsync(this.#h, batch.map(([args]) => args)))
      } catch (e) {
        task = Promise.reject(e)
      }
      Promise.resolve(task).then((out) => {
        batch.forEach(([, resolve, reject], i) => {
          const [code, payload, summary] = out.slice(3 * i, 3 * i + 3)
          try {
            if (code) reject(codedError(code, payload))
            else resolve({ json: payload, summary: JSON.parse(summary) })
          } catch (e) {
            reject(contractError(e))
          }
        })
      }, (e) => {
        for (const [, , reject] of batch) reject(contractError(e))
      }).finally(() => {
        this.#busy = false
        this.#pump()
      })
    }

    feedback(queryId, reward) {
      string('queryId', queryId)
      number('reward', reward)
      if (!Number.isFinite(reward)) throw codedError('INVALID_REWARD', `invalid reward: reward must be a number in -1..=1, got ${reward}`)
      this.#call('feedback', queryId, reward)
    }

    agent(idOrFajCode) {
      return this.#call('agent', string('idOrFajCode', idOrFajCode))
    }

    agents() {
      return this.#call('agents')
    }

    addFeature(spec) {
      return this.#call('addFeature', object('spec', spec))
    }

    removeFeature(fajCode) {
      return this.#call('removeFeature', string('fajCode', fajCode))
    }

    validate(fajCode, values) {
      return this.#call('validate', string('fajCode', fajCode), record('values', values, scalar))
    }

    plan(fajCode, changes, options) {
      string('fajCode', fajCode)
      record('changes', changes, scalar)
      if (options !== undefined) {
        object('options', options)
        for (const key of Object.keys(options)) {
          if (!['current', 'scope', 'activeFeatures'].includes(key)) throw typeError(`unknown plan option ${JSON.stringify(key)} (known: current, scope, activeFeatures)`)
        }
        if (options.current !== undefined) record('current', options.current, scalar)
        if (options.scope !== undefined) string('scope', options.scope)
        if (options.activeFeatures !== undefined) {
          if (!Array.isArray(options.activeFeatures)) throw typeError(`activeFeatures must be an Array of FAJ codes, got ${describe(options.activeFeatures)}`)
          options.activeFeatures.forEach((c, i) => string(`activeFeatures[${i}]`, c))
        }
      }
      return this.#call('plan', fajCode, changes, options ?? null)
    }

    evaluateKpis(fajCode, counters) {
      return this.#call('evaluateKpis', string('fajCode', fajCode), record('counters', counters, number))
    }

    dependencies(fajCode) {
      return this.#call('dependencies', string('fajCode', fajCode))
    }

    conflicts(fajCode) {
      return this.#call('conflicts', string('fajCode', fajCode))
    }

    peers(fajCode) {
      return this.#call('peers', string('fajCode', fajCode))
    }

    shutdown(idOrFajCode) {
      this.#call('shutdown', string('idOrFajCode', idOrFajCode))
    }

    learned(fajCode) {
      return this.#call('learned', string('fajCode', fajCode))
    }

    stats() {
      return this.#call('stats')
    }

    /** Federated: every agent's Q-table merged with the same feature's in `other`. */
    merge(other) {
      if (other instanceof Swarm) return call(() => raw.swarmMerge(this.#h, other.#h))
      if (other instanceof Uint8Array || tagOf(other) === '[object Uint8Array]') return call(() => raw.swarmMergeBytes(this.#h, other, undefined))
      if (other && typeof other.toBytes === 'function' && typeof other.learned === 'function') {
        const bytes = other.toBytes() // a Swarm of the other backend
        return call(() => raw.swarmMergeBytes(this.#h, bytes, undefined))
      }
      throw typeError(`other must be a Swarm or its bytes (Uint8Array), got ${describe(other)}`)
    }

    /** The whole learned state; with `{ key }` sealed with AES-256-GCM. */
    toBytes(options) {
      const key = keyOption(options, 'toBytes')
      return call(() => raw.swarmToBytes(this.#h, key))
    }

    static fromBytes(bytes, options) {
      uint8('bytes', bytes)
      const key = keyOption(options, 'fromBytes')
      adopting = call(() => raw.Swarm.fromBytes(bytes, key))
      return new Swarm(ADOPT)
    }
  }

  return { Swarm, defaultCatalog, validateCatalog }
}
