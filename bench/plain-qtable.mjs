// A plain-JavaScript Q-table, the way a careful user would write one: a Map from state to a
// Float64Array of action values, ε-greedy with a seeded generator. The baseline for
// bench/qlearning.mjs.
export class PlainQTable {
  constructor({ actions = 5, alpha = 0.1, gamma = 0.95, epsilon = 0.1, seed = 1 } = {}) {
    this.actions = actions
    this.alpha = alpha
    this.gamma = gamma
    this.epsilon = epsilon
    this.table = new Map()
    this.visitCounts = new Map()
    this.seed = seed >>> 0 || 1
  }

  random() {
    // xorshift32
    let s = this.seed
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0
    this.seed = s
    return s / 4294967296
  }

  row(state) {
    let r = this.table.get(state)
    if (r === undefined) {
      r = new Float64Array(this.actions)
      this.table.set(state, r)
      this.visitCounts.set(state, new Uint32Array(this.actions))
    }
    return r
  }

  bestAction(state) {
    const r = this.table.get(state)
    if (r === undefined) return 0
    let best = 0
    for (let a = 1; a < r.length; a++) if (r[a] > r[best]) best = a
    return best
  }

  selectAction(state) {
    if (this.random() < this.epsilon) return Math.floor(this.random() * this.actions)
    return this.bestAction(state)
  }

  update(state, action, reward, nextState) {
    const r = this.row(state)
    let next = 0
    if (nextState !== null) {
      const n = this.table.get(nextState)
      if (n !== undefined) {
        next = n[0]
        for (let a = 1; a < n.length; a++) if (n[a] > next) next = n[a]
      }
    }
    const td = reward + this.gamma * next - r[action]
    r[action] += this.alpha * td
    this.visitCounts.get(state)[action]++
    return td
  }

  endEpisode() {}
}
