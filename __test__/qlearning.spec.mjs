// The QTable contract, run once per backend: learning the standard tabular tasks through the
// public API (judged against value iteration computed here), and the table's behaviour.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { rng } from './helpers/cases.mjs'
import { cliffWalking, frozenLake, greedyFromValues, rollout, taxi, train, valueIteration } from './helpers/envs.mjs'

const require = createRequire(import.meta.url)
const elex = require('../index.js')
const { QTable } = elex

function codeOf(fn) {
  try { fn() } catch (e) { expect(e).toBeInstanceOf(Error); return e.code }
  throw new Error('expected a throw')
}

describe(`QTable learns the standard tasks (${elex.backend})`, () => {
  for (const policy of ['epsilon-greedy', 'ucb']) {
    it(`CliffWalking with ${policy}: the greedy policy walks the optimal path (return -13)`, () => {
      const env = cliffWalking()
      const optimum = valueIteration(env, 1)[env.start]
      expect(optimum).toBe(-13)
      const q = new QTable({ actions: 4, alpha: 0.5, gamma: 0.99, epsilon: 0.1, policy, seed: 3 })
      train(q, env, { episodes: 500, startOf: () => env.start })
      expect(rollout(env, (s) => q.bestAction(s), env.start).total).toBe(optimum)
    })
  }

  it('Taxi: the greedy policy is optimal from at least 99% of the 300 start states', () => {
    const env = taxi()
    const optimum = valueIteration(env, 1)
    // Exploring starts over every state where the passenger still has to be delivered.
    const starts = Array.from({ length: 500 }, (_, s) => s).filter((s) => env.decode(s)[2] !== env.decode(s)[3])
    const q = new QTable({ actions: 6, alpha: 0.9, gamma: 0.95, epsilon: 0.5, seed: 11 })
    train(q, env, { episodes: 5000, startOf: (_, random) => starts[Math.floor(random() * starts.length)] })
    const optimal = env.starts.filter((s) => {
      const r = rollout(env, (x) => q.bestAction(x), s)
      return r.done && r.total === optimum[s]
    })
    expect(env.starts.length).toBe(300)
    expect(optimal.length / 300).toBeGreaterThanOrEqual(0.99)
  })

  it('FrozenLake 4x4 slippery: the greedy policy succeeds in at least 70% of 2000 episodes', () => {
    const env = frozenLake()
    const episodes = 20_000
    const q = new QTable({ actions: 4, alpha: 0.05, gamma: 0.99, epsilon: 1,
      epsilonDecay: 0.05 ** (1 / (episodes * 0.8)), minEpsilon: 0.05, seed: 3 })
    train(q, env, { episodes, maxSteps: 100, startOf: () => env.start })
    const successRate = (policy) => {
      const random = rng(99)
      let wins = 0
      for (let i = 0; i < 2000; i++) wins += rollout(env, policy, env.start, { maxSteps: 100, random }).total
      return wins / 2000
    }
    const learned = successRate((s) => q.bestAction(s))
    const best = successRate(greedyFromValues(env, valueIteration(env, 0.99, { terminal: env.terminal }), 0.99))
    expect(learned).toBeGreaterThanOrEqual(0.7)
    expect(learned).toBeLessThanOrEqual(best + 0.03) // sanity: the optimum bounds what can be learned
  })
})

describe(`QTable behaviour (${elex.backend})`, () => {
  it('applies the Q-learning rule and returns the TD error', () => {
    const q = new QTable({ alpha: 0.5, gamma: 0.9, seed: 1 })
    expect(q.update(1, 2, 1, null)).toBe(1)
    const td = q.update('s', 0, 1, 1) // target 1 + 0.9 * 0.5
    expect(td).toBeCloseTo(1.45, 6)
    expect(q.qValues('s')[0]).toBeCloseTo(0.725, 6)
    expect(Array.from(q.visits(1))).toEqual([0, 0, 1, 0, 0])
    expect(Array.from(q.qValues('never seen'))).toEqual([0, 0, 0, 0, 0])
    expect(q.bestAction('never seen')).toBe(0)
    expect(q.size).toBe(2)
    expect(q.stats()).toMatchObject({ states: 2, entries: 10, updates: 2 })
  })

  it('merges visit-weighted: 0.5 x10 with 0.8 x20 gives 0.7 x30', () => {
    const a = new QTable({ actions: 1, alpha: 1, seed: 1 })
    const b = new QTable({ actions: 1, alpha: 1, seed: 2 })
    for (let i = 0; i < 10; i++) a.update('x', 0, 0.5, null)
    for (let i = 0; i < 20; i++) b.update('x', 0, 0.8, null)
    const c = QTable.fromBytes(b.toBytes())
    c.merge(a.toBytes()) // bytes work as well as tables
    a.merge(b)
    for (const t of [a, c]) {
      expect(t.qValues('x')[0]).toBeCloseTo(0.7, 6)
      expect(t.visits('x')[0]).toBe(30)
    }
    const before = Array.from(a.qValues('x'))
    a.merge(a)
    expect(Array.from(a.qValues('x'))).toEqual(before)
    expect(a.visits('x')[0]).toBe(60)
    expect(codeOf(() => a.merge(new QTable({ actions: 2 })))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => a.merge({}))).toBe('INVALID_ARGUMENT')
  })

  it('round-trips through bytes and rejects anything else', () => {
    const q = new QTable({ actions: 3, seed: 5, epsilon: 0.3, epsilonDecay: 0.5 })
    for (let i = 0; i < 50; i++) q.update(i % 7, i % 3, (i % 5) - 2, i % 4 ? `s${i % 3}` : null)
    q.endEpisode()
    const bytes = q.toBytes()
    const r = QTable.fromBytes(bytes)
    expect(Array.from(r.toBytes())).toEqual(Array.from(bytes))
    expect(r.epsilon).toBe(q.epsilon)
    expect(Array.from({ length: 20 }, () => r.selectAction(2))).toEqual(Array.from({ length: 20 }, () => q.selectAction(2)))
    for (let bit = 0; bit < bytes.length * 8; bit += 7) {
      const damaged = bytes.slice()
      damaged[bit >> 3] ^= 1 << (bit & 7)
      expect(['CORRUPT_DATA', 'UNSUPPORTED_VERSION']).toContain(codeOf(() => QTable.fromBytes(damaged)))
    }
    expect(codeOf(() => QTable.fromBytes(new Uint8Array(3)))).toBe('CORRUPT_DATA')
    expect(codeOf(() => QTable.fromBytes('ELEX'))).toBe('INVALID_ARGUMENT')
  })

  it('validates options, states, actions and rewards, and stays usable after errors', () => {
    for (const bad of [{ actions: 0 }, { alpha: 0 }, { alpha: 1.5 }, { gamma: -1 }, { epsilon: 2 },
      { policy: 'softmax' }, { alpah: 0.1 }, { alpha: '0.1' }, null, 5]) {
      expect(codeOf(() => new QTable(bad))).toBe('INVALID_ARGUMENT')
    }
    const q = new QTable({ seed: 1 })
    expect(codeOf(() => q.update(0, 5, 1, null))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => q.update(0, 1.5, 1, null))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => q.update(-1, 0, 1, null))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => q.update(0.5, 0, 1, null))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => q.update({}, 0, 1, null))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => q.update(0, 0, NaN, null))).toBe('INVALID_REWARD')
    expect(codeOf(() => q.update(0, 0, Infinity, 1))).toBe('INVALID_REWARD')
    expect(codeOf(() => q.update(0, 0, 1))).toBe('INVALID_ARGUMENT') // nextState must be given (null = terminal)
    // Numeric states take the per-step (mailbox) path, whose errors travel differently.
    for (const bad of [-1, 0.5, NaN, Infinity, 2 ** 53]) {
      expect(codeOf(() => q.selectAction(bad))).toBe('INVALID_ARGUMENT')
      expect(codeOf(() => q.bestAction(bad))).toBe('INVALID_ARGUMENT')
      expect(codeOf(() => q.update(0, 0, 1, bad))).toBe('INVALID_ARGUMENT')
    }
    expect(codeOf(() => q.updateBatch([0], new Uint32Array([0, 1]), new Float32Array(1), [null]))).toBe('DIMENSION_MISMATCH')
    expect(codeOf(() => q.updateBatch([0], [0], new Float32Array(1), [null]))).toBe('INVALID_ARGUMENT')
    expect(q.size).toBe(0) // nothing above changed the table
    expect(q.update(0, 0, 1, null)).toBe(1)
  })

  it('updateBatch equals one-by-one updates for distinct pairs, and repeats apply in order', () => {
    const states = Array.from({ length: 40 }, (_, i) => (i % 2 ? `s${i}` : i))
    const actions = Uint32Array.from({ length: 40 }, (_, i) => i % 5)
    const rewards = Float32Array.from({ length: 40 }, (_, i) => i / 10 - 2)
    const next = states.map((_, i) => (i % 3 ? 1000 + i : null))
    const a = new QTable({ seed: 1 }), b = new QTable({ seed: 1 })
    a.updateBatch(states, actions, rewards, next)
    states.forEach((s, i) => b.update(s, actions[i], rewards[i], next[i]))
    for (const s of states) {
      Array.from(a.qValues(s)).forEach((v, i) => expect(v).toBeCloseTo(b.qValues(s)[i], 5))
    }
    const r = new QTable({ actions: 1, alpha: 0.5 })
    r.updateBatch(['x', 'x', 'x'], new Uint32Array(3), new Float32Array([1, 1, 1]), [null, null, null])
    expect(r.qValues('x')[0]).toBeCloseTo(0.875, 6) // 0 -> 0.5 -> 0.75 -> 0.875
  })

  it('decays epsilon per episode down to the floor and is reproducible with a seed', () => {
    const q = new QTable({ epsilon: 0.8, epsilonDecay: 0.5, minEpsilon: 0.1, seed: 9 })
    expect(q.epsilon).toBe(0.8)
    q.endEpisode()
    expect(q.epsilon).toBe(0.4)
    for (let i = 0; i < 10; i++) q.endEpisode()
    expect(q.epsilon).toBe(0.1)
    const x = new QTable({ epsilon: 0.5, seed: 4 }), y = new QTable({ epsilon: 0.5, seed: 4 })
    const picks = (t) => Array.from({ length: 50 }, () => t.selectAction('s'))
    expect(picks(x)).toEqual(picks(y))
  })

  it('reports confidence in [0, 1] that grows with visits', () => {
    const q = new QTable({ actions: 2, seed: 1 })
    expect(q.confidence('s')).toBe(0)
    q.update('s', 0, 1, null)
    const early = q.confidence('s')
    for (let i = 0; i < 100; i++) q.update('s', 0, 1, null)
    expect(early).toBeGreaterThan(0)
    expect(q.confidence('s')).toBeGreaterThan(early)
    expect(q.confidence('s')).toBeLessThanOrEqual(1)
  })

  it('keeps 1 000 entries in under 40 KB, counted honestly', () => {
    const q = new QTable({ seed: 1 })
    for (let s = 0; s < 200; s++) for (let a = 0; a < 5; a++) q.update(`feature-FAJ-121-${s}/parameter`, a, 1, null)
    const { entries, memoryBytes } = q.stats()
    expect(entries).toBe(1000)
    expect(memoryBytes).toBeLessThan(40 * 1024)
    expect(memoryBytes).toBeGreaterThan(1000 * 12) // at least the entries' own bytes
  })
})

describe(`QTable hot path (${elex.backend})`, () => {
  it('answers selectAction(nextState) from update() exactly as the engine would', () => {
    // B drops every speculated answer (endEpisode with no decay changes nothing else), so it
    // always asks the engine; A takes the fast path. Same seed: same actions, same table.
    const env = taxi()
    const make = () => new QTable({ actions: 6, alpha: 0.9, gamma: 0.95, epsilon: 0.5, seed: 21 })
    const [a, b] = [make(), make()]
    const random = rng(5)
    let s = env.starts[0]
    for (let step = 0; step < 3000; step++) {
      const [xa, xb] = [a.selectAction(s), b.selectAction(s)]
      expect(xa).toBe(xb)
      const o = env.step(s, xa)[0]
      a.update(s, xa, o.reward, o.done ? null : o.next)
      b.update(s, xb, o.reward, o.done ? null : o.next)
      b.endEpisode()
      if (step % 500 === 250) {
        // A snapshot mid-run, with a speculated answer outstanding, restores to the same future.
        const c = QTable.fromBytes(a.toBytes())
        expect(Array.from(c.toBytes())).toEqual(Array.from(b.toBytes()))
      }
      s = o.done ? env.starts[Math.floor(random() * env.starts.length)] : o.next
    }
    expect(Array.from(a.toBytes())).toEqual(Array.from(b.toBytes()))
  })

  it('trains with string states exactly as with numbers (the UTF-8 fast path, speculation included)', () => {
    // Same seed, same steps, state i as the number i in one table and as a string in the
    // other: every action and every Q-value must agree.
    const env = taxi()
    const make = () => new QTable({ actions: 6, alpha: 0.9, gamma: 0.95, epsilon: 0.5, seed: 33 })
    const [num, str] = [make(), make()]
    const name = (i) => `taxi/état-${i}/🚕`
    const random = rng(8)
    let s = env.starts[0]
    for (let step = 0; step < 3000; step++) {
      const [xn, xs] = [num.selectAction(s), str.selectAction(name(s))]
      expect(xs).toBe(xn)
      const o = env.step(s, xn)[0]
      const [tn, ts] = [num.update(s, xn, o.reward, o.done ? null : o.next), str.update(name(s), xs, o.reward, o.done ? null : name(o.next))]
      expect(ts).toBe(tn)
      if (step % 97 === 0) expect(str.bestAction(name(s))).toBe(num.bestAction(s))
      s = o.done ? env.starts[Math.floor(random() * env.starts.length)] : o.next
    }
    for (const i of env.starts.slice(0, 50)) {
      expect(Array.from(str.qValues(name(i)))).toEqual(Array.from(num.qValues(i)))
    }
  })

  it('maps a string to one state whichever way it crosses (short, long, lone surrogates)', () => {
    const q = new QTable({ actions: 2, alpha: 0.5, seed: 1 })
    // 1 024 bytes of UTF-8 still fit a text box; 1 025 take the ordinary path.
    const keys = ['', 'a', 'é', '\uD800lone', 'x'.repeat(1024), 'x'.repeat(1025), 'ü'.repeat(700)]
    keys.forEach((k, i) => q.update(k, 1, i + 1, null))
    expect(q.size).toBe(keys.length)
    keys.forEach((k, i) => {
      expect(q.qValues(k)[1]).toBeCloseTo((i + 1) / 2, 6) // read back through the ordinary path
      expect(q.bestAction(k)).toBe(1)
    })
    // A lone surrogate becomes U+FFFD on both paths, as any UTF-8 encoding of it would.
    expect(q.qValues('\uFFFDlone')[1]).toBeCloseTo(4 / 2, 6)
    // Errors on the fast path change nothing.
    const before = Array.from(q.toBytes())
    expect(codeOf(() => q.update('a', 2, 1, 'b'))).toBe('INVALID_ARGUMENT')
    expect(codeOf(() => q.update('a', 0, Infinity, null))).toBe('INVALID_REWARD')
    expect(Array.from(q.toBytes())).toEqual(before)
  })
})
