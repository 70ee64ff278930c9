// The QTable class over one raw backend: argument types checked here, values and ranges in
// Rust; every failure an Error with a contract `.code`.

import { call, contractError, describe, packedOptions, stateArg, tagOf, typeError, uint32, uint8, float32, number } from './checks.mjs'
import { keyOption } from './security.mjs'

// The numeric options in the order the raw constructor reads them (elex_bind::args).
const Q_NUMBERS = ['actions', 'alpha', 'gamma', 'epsilon', 'epsilonDecay', 'minEpsilon', 'ucbC', 'seed']

function qTableArgs(options = {}) {
  const args = packedOptions('QTable', options, Q_NUMBERS, 'policy')
  // Without a seed, every table gets its own random stream.
  const seed = Q_NUMBERS.indexOf('seed')
  if (!(args[1] & (1 << seed))) {
    args[0][seed] = globalThis.crypto.getRandomValues(new Uint32Array(1))[0]
    args[1] |= 1 << seed
  }
  return args
}

// The QTable class of one backend. `#raw` is the backend's object; every method checks
// argument types, calls it, and maps errors.
export function makeQTable(raw) {
  // Hot calls (numeric states) pass their numbers through a shared Float64Array instead of
  // as arguments: a call with no arguments is several times cheaper on both backends. A
  // view of WebAssembly memory empties when the memory grows; fetch a new one then.
  let box = raw.qtableMailbox()
  const mailbox = () => (box.length === 0 ? (box = raw.qtableMailbox()) : box)
  // Calls are synchronous, so one scratch array serves every table's info() read.
  const infoScratch = new Float64Array(7)
  // The per-step calls (arguments in the mailbox) are written out at each call site: the
  // native addon throws; the WASM build returns NaN and keeps the Error for
  // qtableTakeError() (see crates/elex-wasm, "per-step calls"). One shared helper would see
  // three different functions, and V8 then stops inlining it and the call (~15 ns a step).
  const kept = () => contractError(raw.qtableTakeError())
  // String states go the same way: UTF-8 written into two shared byte buffers (the state's
  // and the next state's) by TextEncoder.encodeInto, not passed as JS strings, which the
  // backends copy and convert on every call (~4x the cost of the whole step). A state that
  // does not fit (over 1 KiB of UTF-8) takes the ordinary path.
  const encoder = new TextEncoder()
  let text, stateText, nextText
  const refreshText = () => {
    text = raw.qtableTextBox()
    stateText = text.subarray(0, text.length >> 1)
    nextText = text.subarray(text.length >> 1)
  }
  refreshText()
  /** Encodes `s` into `view`; its byte length, or -1 if it does not fit. */
  const encoded = (s, view) => {
    const n = s.length
    // Short ASCII keys (the usual kind) by a plain loop: encodeInto is a call into the
    // runtime that costs more than copying a few dozen characters.
    if (n <= 64) {
      let i = 0
      for (; i < n; i++) {
        const c = s.charCodeAt(i)
        if (c > 127) break
        view[i] = c
      }
      if (i === n) return n
    }
    const r = encoder.encodeInto(s, view)
    return r.read === n ? r.written : -1
  }
  const ADOPT = Symbol('adopt')
  let adopting = null
  const adopt = (rawTable) => {
    adopting = rawTable
    return new QTable(ADOPT)
  }

  class QTable {
    #raw // the backend object: owns the engine table, frees it when collected
    #h // its handle, which every raw call takes
    #actions
    // update() also returns the action selectAction(nextState) would give right then; if
    // the very next call is that selection, it is answered here without a native call.
    // Any other change to the table drops it. #used tells the engine its draws were taken.
    #spec = -1
    #specState = 0
    #used = 0

    constructor(options) {
      if (options === ADOPT) {
        this.#raw = adopting
        adopting = null
      } else {
        const args = qTableArgs(options)
        this.#raw = call(() => new raw.QTable(...args))
      }
      this.#h = this.#raw.handle
      this.#actions = this.#info()[2]
    }

    /** Reads what toBytes wrote; `{ key }` for a sealed snapshot. */
    static fromBytes(bytes, options) {
      uint8('bytes', bytes)
      const key = keyOption(options, 'fromBytes')
      return adopt(call(() => raw.QTable.fromBytes(bytes, key)))
    }

    #info() {
      call(() => raw.qtableInfo(this.#h, infoScratch))
      return infoScratch
    }

    selectAction(state) {
      // The action update() speculated for exactly this state (number or string).
      if (this.#spec >= 0 && state === this.#specState) {
        const a = this.#spec
        this.#spec = -1
        this.#used = 1
        return a
      }
      if (typeof state === 'number') {
        this.#spec = -1
        const m = mailbox()
        m[0] = this.#h; m[1] = state; m[2] = this.#used
        this.#used = 0
        let a
        try { a = raw.qtableSelectNum() } catch (e) { throw contractError(e) }
        if (a !== a) throw kept()
        return a
      }
      return this.#selectKeyed(state)
    }

    // The non-numeric paths live in their own methods: a closure in the hot method would
    // make V8 allocate a context on every call, numeric or not (~20 ns a step).
    #selectKeyed(state) {
      if (typeof state === 'string') {
        if (text.length === 0) refreshText()
        const len = encoded(state, stateText)
        if (len >= 0) {
          this.#spec = -1
          const m = mailbox()
          m[0] = this.#h; m[1] = len; m[2] = this.#used
          this.#used = 0
          let a
          try { a = raw.qtableSelectText() } catch (e) { throw contractError(e) }
          if (a !== a) throw kept()
          return a
        }
      }
      return this.#selectSlow(state)
    }

    #selectSlow(state) {
      stateArg('state', state)
      this.#settle()
      return call(() => raw.qtableSelect(this.#h, state))
    }

    // Before anything else that draws or saves random numbers: tell the engine about a
    // speculated selection that was used, and forget one that was not.
    #settle() {
      this.#spec = -1
      if (this.#used) {
        this.#used = 0
        call(() => raw.qtableConsumePending(this.#h))
      }
    }

    bestAction(state) {
      if (typeof state === 'number') {
        const m = mailbox()
        m[0] = this.#h; m[1] = state
        let a
        try { a = raw.qtableBestNum() } catch (e) { throw contractError(e) }
        if (a !== a) throw kept()
        return a
      }
      return this.#bestKeyed(state)
    }

    #bestKeyed(state) {
      if (typeof state === 'string') {
        if (text.length === 0) refreshText()
        const len = encoded(state, stateText)
        if (len >= 0) {
          const m = mailbox()
          m[0] = this.#h; m[1] = len
          let a
          try { a = raw.qtableBestText() } catch (e) { throw contractError(e) }
          if (a !== a) throw kept()
          return a
        }
      }
      return this.#bestSlow(state)
    }

    #bestSlow(state) {
      stateArg('state', state)
      return call(() => raw.qtableBest(this.#h, state))
    }

    update(state, action, reward, nextState) {
      number('action', action); number('reward', reward)
      if (typeof state === 'number' && (typeof nextState === 'number' || nextState === null)) {
        const m = mailbox()
        m[0] = this.#h; m[1] = state; m[2] = action; m[3] = reward
        if (nextState === null) { m[4] = 0; m[5] = 1 } else { m[4] = nextState; m[5] = 0 }
        m[6] = this.#used
        this.#spec = -1
        let td
        try { td = raw.qtableUpdateNum() } catch (e) { throw contractError(e) }
        if (td !== td) throw kept()
        this.#used = 0
        if (m[7] >= 0) { this.#spec = m[7]; this.#specState = nextState }
        return m[1] // the TD error, left in slot 1 (see the engine's mailbox::update)
      }
      return this.#updateKeyed(state, action, reward, nextState)
    }

    #updateKeyed(state, action, reward, nextState) {
      if (typeof state === 'string' && (typeof nextState === 'string' || nextState === null)) {
        if (text.length === 0) refreshText()
        const len = encoded(state, stateText)
        const nextLen = nextState === null ? 0 : encoded(nextState, nextText)
        if (len >= 0 && nextLen >= 0) {
          const m = mailbox()
          m[0] = this.#h; m[1] = len; m[2] = action; m[3] = reward
          m[4] = nextLen; m[5] = nextState === null ? 1 : 0
          m[6] = this.#used
          this.#spec = -1
          let td
          try { td = raw.qtableUpdateText() } catch (e) { throw contractError(e) }
          if (td !== td) throw kept()
          this.#used = 0
          if (m[7] >= 0) { this.#spec = m[7]; this.#specState = nextState }
          return m[1]
        }
      }
      return this.#updateSlow(state, action, reward, nextState)
    }

    #updateSlow(state, action, reward, nextState) {
      stateArg('state', state)
      if (nextState !== null) stateArg('nextState (or null for a terminal step)', nextState)
      this.#spec = -1
      return call(() => raw.qtableUpdate(this.#h, state, action, reward, nextState))
    }

    updateBatch(states, actions, rewards, nextStates) {
      if (!Array.isArray(states)) throw typeError(`states must be an Array, got ${describe(states)}`)
      if (!Array.isArray(nextStates)) throw typeError(`nextStates must be an Array, got ${describe(nextStates)}`)
      uint32('actions', actions)
      float32('rewards', rewards)
      // Element checks build no strings unless one fails (this loop is on the hot path).
      let numeric = states.length === nextStates.length
      for (let i = 0; i < states.length; i++) {
        const t = typeof states[i]
        if (t !== 'number') { if (t !== 'string') stateArg(`states[${i}]`, states[i]); numeric = false }
      }
      for (let i = 0; i < nextStates.length; i++) {
        const s = nextStates[i], t = typeof s
        if (s !== null && t !== 'number') { if (t !== 'string') stateArg(`nextStates[${i}]`, s); numeric = false }
      }
      this.#spec = -1
      if (numeric) {
        // All numbers: typed arrays instead of arrays of JS values (far cheaper to pass).
        const next = new Float64Array(nextStates.length)
        const terminal = new Uint8Array(nextStates.length)
        for (let i = 0; i < nextStates.length; i++) {
          if (nextStates[i] === null) terminal[i] = 1
          else next[i] = nextStates[i]
        }
        return call(() => raw.qtableUpdateBatchNum(this.#h, Float64Array.from(states), actions, rewards, next, terminal))
      }
      call(() => raw.qtableUpdateBatch(this.#h, states, actions, rewards, nextStates))
    }

    endEpisode() {
      this.#spec = -1
      call(() => raw.qtableEndEpisode(this.#h))
    }

    qValues(state) {
      stateArg('state', state)
      const out = new Float32Array(this.#actions)
      call(() => raw.qtableQValues(this.#h, state, out))
      return out
    }

    visits(state) {
      stateArg('state', state)
      const out = new Uint32Array(this.#actions)
      call(() => raw.qtableVisits(this.#h, state, out))
      return out
    }

    confidence(state) {
      stateArg('state', state)
      return call(() => raw.qtableConfidence(this.#h, state))
    }

    merge(other) {
      this.#spec = -1
      if (other instanceof QTable) return call(() => raw.qtableMerge(this.#h, other.#h))
      if (other instanceof Uint8Array || tagOf(other) === '[object Uint8Array]') {
        return call(() => raw.qtableMergeBytes(this.#h, other))
      }
      // A QTable of the other backend: merge through its bytes.
      if (other && typeof other.toBytes === 'function' && typeof other.selectAction === 'function') {
        const bytes = other.toBytes()
        return call(() => raw.qtableMergeBytes(this.#h, bytes))
      }
      throw typeError(`other must be a QTable or its bytes (Uint8Array), got ${describe(other)}`)
    }

    /** The snapshot; with `{ key }` (32 bytes) sealed with AES-256-GCM. */
    toBytes(options) {
      const key = keyOption(options, 'toBytes')
      this.#settle()
      return call(() => raw.qtableToBytes(this.#h, key))
    }

    get size() {
      return this.#info()[0]
    }

    get epsilon() {
      return this.#info()[1]
    }

    stats() {
      const i = this.#info()
      return { states: i[3], entries: i[4], updates: i[5], memoryBytes: i[6] }
    }
  }
  return QTable
}

