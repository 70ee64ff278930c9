// The standard tabular tasks, written from their definitions (Sutton & Barto; Dietterich's
// Taxi; the FrozenLake 4x4 map), with seeded randomness, plus value iteration to compute the
// optimum each test is judged against.
import { rng } from './cases.mjs'

/** CliffWalking 4x12: -1 per step, -100 and back to start on the cliff; optimum -13. */
export function cliffWalking() {
  const rows = 4, cols = 12, start = 36, goal = 47
  const moves = [[-1, 0], [0, 1], [1, 0], [0, -1]]
  return {
    states: rows * cols, actions: 4, start,
    step(s, a) {
      const r = Math.min(rows - 1, Math.max(0, Math.floor(s / cols) + moves[a][0]))
      const c = Math.min(cols - 1, Math.max(0, (s % cols) + moves[a][1]))
      const next = r * cols + c
      if (r === 3 && c >= 1 && c <= 10) return [{ p: 1, next: start, reward: -100, done: false }]
      return [{ p: 1, next, reward: -1, done: next === goal }]
    },
  }
}

const TAXI_MAP = [
  '+---------+',
  '|R: | : :G|',
  '| : | : : |',
  '| : : : : |',
  '| | : | : |',
  '|Y| : |B: |',
  '+---------+',
]
const TAXI_LOCS = [[0, 0], [0, 4], [4, 0], [4, 3]]

/** Taxi (Dietterich 2000) with the usual map and rewards: 500 states, 6 actions. */
export function taxi() {
  const encode = (row, col, pass, dest) => ((row * 5 + col) * 5 + pass) * 4 + dest
  const decode = (s) => [Math.floor(s / 100), Math.floor(s / 20) % 5, Math.floor(s / 4) % 5, s % 4]
  const starts = []
  for (let s = 0; s < 500; s++) {
    const [, , pass, dest] = decode(s)
    if (pass < 4 && pass !== dest) starts.push(s)
  }
  return {
    states: 500, actions: 6, starts, encode, decode,
    step(s, a) {
      let [row, col, pass, dest] = decode(s)
      let reward = -1, done = false
      const at = TAXI_LOCS.findIndex(([r, c]) => r === row && c === col)
      if (a === 0) row = Math.min(4, row + 1)
      else if (a === 1) row = Math.max(0, row - 1)
      else if (a === 2 && TAXI_MAP[row + 1][2 * col + 2] === ':') col = Math.min(4, col + 1)
      else if (a === 3 && TAXI_MAP[row + 1][2 * col] === ':') col = Math.max(0, col - 1)
      else if (a === 4) {
        if (pass < 4 && at === pass) pass = 4
        else reward = -10
      } else if (a === 5) {
        if (pass === 4 && at === dest) { reward = 20; done = true; pass = dest }
        else if (pass === 4 && at >= 0) pass = at
        else reward = -10
      }
      return [{ p: 1, next: encode(row, col, pass, dest), reward, done }]
    },
  }
}

/** FrozenLake 4x4, slippery: the intended move or either perpendicular one, 1/3 each. */
export function frozenLake() {
  const map = 'SFFFFHFHFFFHHFFG'
  const moves = [[0, -1], [1, 0], [0, 1], [-1, 0]] // left, down, right, up
  const go = (s, a) => {
    const r = Math.min(3, Math.max(0, Math.floor(s / 4) + moves[a][0]))
    const c = Math.min(3, Math.max(0, (s % 4) + moves[a][1]))
    return r * 4 + c
  }
  return {
    states: 16, actions: 4, start: 0,
    terminal: (s) => map[s] === 'H' || map[s] === 'G',
    step(s, a) {
      return [(a + 3) % 4, a, (a + 1) % 4].map((d) => {
        const next = go(s, d)
        return { p: 1 / 3, next, reward: map[next] === 'G' ? 1 : 0, done: map[next] === 'H' || map[next] === 'G' }
      })
    },
  }
}

/** Samples one outcome of env.step with the given random source. */
export function sample(env, s, a, random) {
  const outcomes = env.step(s, a)
  if (outcomes.length === 1) return outcomes[0]
  let u = random()
  for (const o of outcomes) {
    if ((u -= o.p) < 0) return o
  }
  return outcomes[outcomes.length - 1]
}

/** Optimal state values by value iteration (gamma may be 1 for tasks that always end). */
export function valueIteration(env, gamma, { tolerance = 1e-10, maxSweeps = 100_000, terminal = () => false } = {}) {
  const v = new Float64Array(env.states)
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let delta = 0
    for (let s = 0; s < env.states; s++) {
      if (terminal(s)) continue
      let best = -Infinity
      for (let a = 0; a < env.actions; a++) {
        let q = 0
        for (const o of env.step(s, a)) q += o.p * (o.reward + (o.done ? 0 : gamma * v[o.next]))
        best = Math.max(best, q)
      }
      delta = Math.max(delta, Math.abs(best - v[s]))
      v[s] = best
    }
    if (delta < tolerance) break
  }
  return v
}

/** Greedy action of a value table (for evaluating the optimal policy itself). */
export function greedyFromValues(env, v, gamma) {
  return (s) => {
    let best = 0, bestQ = -Infinity
    for (let a = 0; a < env.actions; a++) {
      let q = 0
      for (const o of env.step(s, a)) q += o.p * (o.reward + (o.done ? 0 : gamma * v[o.next]))
      if (q > bestQ + 1e-12) { bestQ = q; best = a }
    }
    return best
  }
}

/** Undiscounted return of following `policy` from `start` (deterministic envs or sampled). */
export function rollout(env, policy, start, { maxSteps = 200, random = rng(1) } = {}) {
  let s = start, total = 0
  for (let t = 0; t < maxSteps; t++) {
    const o = sample(env, s, policy(s), random)
    total += o.reward
    if (o.done) return { total, done: true, steps: t + 1 }
    s = o.next
  }
  return { total, done: false, steps: maxSteps }
}

/**
 * Trains a QTable through the public API: `episodes` episodes of at most `maxSteps`, each
 * starting from `startOf(episode)`; selectAction explores, update learns, endEpisode decays.
 */
export function train(table, env, { episodes, maxSteps = 200, startOf, seed = 7 }) {
  const random = rng(seed)
  let steps = 0
  for (let ep = 0; ep < episodes; ep++) {
    let s = startOf(ep, random)
    for (let t = 0; t < maxSteps; t++) {
      const a = table.selectAction(s)
      const o = sample(env, s, a, random)
      table.update(s, a, o.reward, o.done ? null : o.next)
      steps++
      if (o.done) break
      s = o.next
    }
    table.endEpisode()
  }
  return steps
}
