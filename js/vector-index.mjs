// The VectorIndex class over one raw backend (HNSW): argument types checked here, values and
// ranges in Rust; every failure an Error with a contract `.code`.

import { call, codedError, describe, float32, number, packedOptions, typeError, uint32, uint8 } from './checks.mjs'
import { keyOption } from './security.mjs'

// addBatchAsync: native links a slice on a libuv thread (the slice only sets how often
// onProgress runs); WASM links on this thread, so it sizes its slices to about
// WASM_TURN_MS of work and gives the event loop a turn after each.
const ASYNC_SLICE_NATIVE = 4096
const WASM_TURN_MS = 8

/** Resolves after other tasks had a turn (a macrotask, so timers and I/O run too). */
const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0))

// The numeric options in the order the raw constructor reads them (elex_bind::args).
const INDEX_NUMBERS = ['dim', 'm', 'efConstruction', 'efSearch', 'seed']

// The VectorIndex class of one backend (HNSW). Same pattern as QTable: `#raw` owns the
// engine index, every operation is a raw function on its handle.
export function makeVectorIndex(raw, backend) {
  const info = new Float64Array(3)
  const progressOf = (options) => {
    if (options === undefined) return undefined
    if (options === null || typeof options !== 'object') throw typeError(`options must be an object, got ${describe(options)}`)
    for (const key of Object.keys(options)) {
      if (key !== 'onProgress') throw typeError(`unknown addBatchAsync option ${JSON.stringify(key)} (known: onProgress)`)
    }
    const f = options.onProgress
    if (f !== undefined && typeof f !== 'function') throw typeError(`onProgress must be a function, got ${describe(f)}`)
    return f
  }

  // Search options as [efSearch, exact] for the raw calls.
  const searchOptions = (options) => {
    if (options === undefined) return [undefined, undefined]
    if (options === null || typeof options !== 'object') throw typeError(`options must be an object, got ${describe(options)}`)
    for (const key of Object.keys(options)) {
      if (key !== 'efSearch' && key !== 'exact') throw typeError(`unknown search option ${JSON.stringify(key)} (known: efSearch, exact)`)
    }
    const { efSearch, exact } = options
    if (exact !== undefined && typeof exact !== 'boolean') throw typeError(`exact must be a boolean, got ${describe(exact)}`)
    return [efSearch === undefined ? undefined : number('efSearch', efSearch), exact]
  }


  const ADOPT = Symbol('adopt')
  let adopting = null

  class VectorIndex {
    #raw
    #h
    #building = false

    constructor(options) {
      if (options === ADOPT) {
        this.#raw = adopting
        adopting = null
        this.#h = this.#raw.handle
        return
      }
      const args = packedOptions('VectorIndex', options, INDEX_NUMBERS, 'metric')
      this.#raw = call(() => new raw.VectorIndex(...args))
      this.#h = this.#raw.handle
    }

    add(id, vector) {
      number('id', id); float32('vector', vector)
      this.#notBuilding('add')
      call(() => raw.indexAdd(this.#h, id, vector))
    }

    addBatch(ids, vectors) {
      uint32('ids', ids); float32('vectors', vectors)
      this.#notBuilding('addBatch')
      call(() => raw.indexAddBatch(this.#h, ids, vectors))
    }

    /**
     * addBatch without blocking: native links on a libuv thread (on every core); WASM links
     * a slice at a time and yields to the event loop in between. Searches meanwhile see what
     * is added so far; changes to the index wait until the promise settles (they throw).
     */
    async addBatchAsync(ids, vectors, options) {
      uint32('ids', ids); float32('vectors', vectors)
      const onProgress = progressOf(options)
      this.#notBuilding('addBatchAsync')
      call(() => raw.indexCheckBatch(this.#h, ids, vectors)) // all or nothing, as addBatch
      const dim = this.#info()[1], total = ids.length
      const native = backend === 'native'
      // WASM: start with one vector, then size each slice from the last one's time per
      // vector (growing at most 4x a slice, since a vector costs more as the index grows).
      let slice = native ? ASYNC_SLICE_NATIVE : 1
      this.#building = true
      try {
        for (let done = 0; done < total;) {
          const n = Math.min(slice, total - done)
          const started = performance.now()
          const failed = await raw.indexAddBatchAsync(this.#h, ids.subarray(done, done + n), vectors.subarray(done * dim, (done + n) * dim))
          if (failed) throw codedError(failed[0], failed[1])
          done += n
          if (!native) {
            const perVector = (performance.now() - started) / n
            slice = Math.max(1, Math.min(4 * slice, Math.floor(WASM_TURN_MS / Math.max(perVector, 1e-4))))
            await nextTurn()
          }
          if (onProgress) onProgress(done, total)
        }
        if (total === 0 && onProgress) onProgress(0, 0)
      } finally {
        this.#building = false
      }
    }

    #notBuilding(what) {
      if (this.#building) {
        throw codedError('INVALID_ARGUMENT', `${what}: the index is being built by addBatchAsync; await it before changing the index`)
      }
    }

    remove(id) {
      number('id', id)
      this.#notBuilding('remove')
      return call(() => raw.indexRemove(this.#h, id))
    }

    has(id) {
      number('id', id)
      return call(() => raw.indexHas(this.#h, id))
    }

    search(query, k, options) {
      float32('query', query); number('k', k)
      const [ef, exact] = searchOptions(options)
      return call(() => raw.indexSearch(this.#h, query, k, ef, exact))
    }

    searchBatch(queries, k, options) {
      float32('queries', queries); number('k', k)
      const [ef, exact] = searchOptions(options)
      return call(() => raw.indexSearchBatch(this.#h, queries, k, ef, exact))
    }

    #info() {
      call(() => raw.indexInfo(this.#h, info))
      return info
    }

    get size() {
      return this.#info()[0]
    }

    get dim() {
      return this.#info()[1]
    }

    memoryUsage() {
      return this.#info()[2]
    }

    /** The index in elex's versioned, checksummed snapshot format. */
    toBytes(options) {
      const key = keyOption(options, 'toBytes')
      return call(() => raw.indexToBytes(this.#h, key))
    }

    static fromBytes(bytes, options) {
      uint8('bytes', bytes)
      const key = keyOption(options, 'fromBytes')
      adopting = call(() => raw.VectorIndex.fromBytes(bytes, key))
      return new VectorIndex(ADOPT)
    }
  }
  return VectorIndex
}
