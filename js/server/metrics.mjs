// What the console's charts draw: the last feedback events and query latencies, recorded by
// the server as requests pass (the engine keeps totals; the time series is the server's).

const KEEP = 2000
// Queries remembered so a later feedback can say which action and feature it rated; bounded
// like the engine's own query cache, oldest dropped first.
const PENDING = 10_000

class Ring {
  #items = new Array(KEEP)
  #next = 0
  #size = 0
  push(item) {
    this.#items[this.#next] = item
    this.#next = (this.#next + 1) % KEEP
    this.#size = Math.min(this.#size + 1, KEEP)
  }
  /** Oldest first. */
  toArray() {
    const start = (this.#next - this.#size + KEEP) % KEEP
    return Array.from({ length: this.#size }, (_, i) => this.#items[(start + i) % KEEP])
  }
}

export function createMetrics() {
  const feedback = new Ring()
  const latencyUs = new Ring()
  const pending = new Map()
  return {
    query(response) {
      latencyUs.push(response.latencyUs)
      pending.set(response.queryId, { action: response.action, queryType: response.queryType, fajCode: response.fajCode })
      if (pending.size > PENDING) pending.delete(pending.keys().next().value)
    },
    feedback(queryId, reward) {
      const q = pending.get(queryId)
      pending.delete(queryId)
      feedback.push({ t: Date.now(), reward, action: q?.action ?? null, queryType: q?.queryType ?? null, fajCode: q?.fajCode ?? null })
    },
    snapshot() {
      return { feedback: feedback.toArray(), latencyUs: latencyUs.toArray() }
    },
  }
}
