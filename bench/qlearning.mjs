// Q-learning benchmark: elex's QTable on both backends next to a plain-JS Map-based Q-table
// (bench/plain-qtable.mjs), in one process.   node bench/qlearning.mjs [--quick]
//
// Phase 1 measures plain JS and native before any ArrayBuffer is detached; phase 2 loads
// the WASM build (see bench/kernels.mjs for why). Ratios are speed-ups over plain JS.
import { createRequire } from 'node:module'
import { mkdirSync, writeFileSync } from 'node:fs'
import { compare, fmtRatio, fmtTime, markdown } from './harness.mjs'
import { PlainQTable } from './plain-qtable.mjs'
import { rng } from '../__test__/helpers/cases.mjs'
import { sample, taxi, train } from '../__test__/helpers/envs.mjs'

const require = createRequire(import.meta.url)
const quick = process.argv.includes('--quick')
const opts = quick ? { rounds: 3, minMs: 20 } : { rounds: 7, minMs: 80 }
process.env.ELEX_BACKEND = 'native'
const native = require('../index.js')

const env = taxi()
const starts = env.starts
const options = { actions: 6, alpha: 0.9, gamma: 0.95, epsilon: 0.5, seed: 1 }
const EPISODES = 200

/** ns per environment step of training a fresh table for EPISODES Taxi episodes. */
function taxiTraining(make) {
  return () => {
    const table = make()
    const t0 = process.hrtime.bigint()
    const steps = train(table, env, { episodes: EPISODES, startOf: (_, r) => starts[Math.floor(r() * starts.length)] })
    return Number(process.hrtime.bigint() - t0) / steps
  }
}

// The same training with string state keys (precomputed, so no candidate pays for building
// them): what an agent keyed by names like "cell-17/high-load" sees. Its own copy of the
// training loop, so the numeric loop's call sites keep seeing only their own few classes.
const names = Array.from({ length: 500 }, (_, i) => `taxi-state-${i}`)
function trainKeyed(table, { episodes, maxSteps = 200, seed = 7 }) {
  const random = rng(seed)
  let steps = 0
  for (let ep = 0; ep < episodes; ep++) {
    let s = starts[Math.floor(random() * starts.length)]
    for (let t = 0; t < maxSteps; t++) {
      const a = table.selectAction(names[s])
      const o = sample(env, s, a, random)
      table.update(names[s], a, o.reward, o.done ? null : names[o.next])
      steps++
      if (o.done) break
      s = o.next
    }
    table.endEpisode()
  }
  return steps
}
const keyedTraining = (make) => () => {
  const table = make()
  const t0 = process.hrtime.bigint()
  const steps = trainKeyed(table, { episodes: EPISODES })
  return Number(process.hrtime.bigint() - t0) / steps
}

// The environment alone (random actions, no learning): what every candidate pays anyway.
const envOnly = taxiTraining(() => ({ selectAction: () => 0, update: () => 0, endEpisode() {} }))

/** Median of repeated per-step figures (each run trains a fresh table). */
function perStep(fns, runs = quick ? 5 : 15) {
  const out = {}
  for (const [name, fn] of Object.entries(fns)) fn() // warm-up
  const samples = Object.fromEntries(Object.keys(fns).map((k) => [k, []]))
  for (let r = 0; r < runs; r++) for (const [name, fn] of Object.entries(fns)) samples[name].push(fn())
  for (const [k, xs] of Object.entries(samples)) out[k] = xs.sort((a, b) => a - b)[xs.length >> 1]
  return out
}

function opsOf(make) {
  const t = make()
  train(t, env, { episodes: 300, startOf: (_, r) => starts[Math.floor(r() * starts.length)] })
  let i = 0
  const states = Array.from({ length: 100 }, (_, k) => (k * 5) % 500)
  const actions = Uint32Array.from({ length: 100 }, (_, k) => k % 6)
  const rewards = Float32Array.from({ length: 100 }, (_, k) => k / 50 - 1)
  const next = states.map((s) => (s + 1) % 500)
  return {
    'update (numeric states)': () => t.update((i = (i + 1) % 500), i % 6, -1, (i + 7) % 500),
    'selectAction': () => t.selectAction((i = (i + 1) % 500)),
    'bestAction': () => t.bestAction((i = (i + 1) % 500)),
    'update (string states)': () => t.update(`s${(i = (i + 1) % 500)}`, 1, -1, `s${(i + 3) % 500}`),
    'updateBatch (100 entries)': t.updateBatch
      ? () => t.updateBatch(states, actions, rewards, next)
      : () => { for (let k = 0; k < 100; k++) t.update(states[k], actions[k], rewards[k], next[k]) },
  }
}

const phase1 = {
  taxi: perStep({
    env: envOnly,
    plain: taxiTraining(() => new PlainQTable(options)),
    native: taxiTraining(() => new native.QTable(options)),
  }),
  ops: {},
}
const plainOps = opsOf(() => new PlainQTable(options))
const nativeOps = opsOf(() => new native.QTable(options))
for (const op of Object.keys(plainOps)) phase1.ops[op] = compare({ plain: plainOps[op], native: nativeOps[op] }, opts)
// String-keyed training last: once the facade's methods have seen strings, V8's feedback for
// them is no longer numbers-only, which would tax the numeric figures above.
Object.assign(phase1.taxi, perStep({
  plainStr: keyedTraining(() => new PlainQTable(options)),
  nativeStr: keyedTraining(() => new native.QTable(options)),
}))

const wasm = require('../wasm.js')
const phase2 = { taxi: perStep({ wasm: taxiTraining(() => new wasm.QTable(options)) }), ops: {} }
const wasmOps = opsOf(() => new wasm.QTable(options))
for (const op of Object.keys(wasmOps)) phase2.ops[op] = compare({ wasm: wasmOps[op] }, opts)
Object.assign(phase2.taxi, perStep({ wasmStr: keyedTraining(() => new wasm.QTable(options)) }))

const t = { ...phase1.taxi, ...phase2.taxi }
const agent = (x) => x - t.env
const rows = [
  ['Taxi training, per step (incl. the JS environment)', fmtTime(t.plain), `${fmtTime(t.native)} (${fmtRatio(t.plain, t.native)})`, `${fmtTime(t.wasm)} (${fmtRatio(t.plain, t.wasm)})`],
  ['… of which the agent (minus the environment alone, ' + fmtTime(t.env) + ')', fmtTime(agent(t.plain)), `${fmtTime(agent(t.native))} (${fmtRatio(agent(t.plain), agent(t.native))})`, `${fmtTime(agent(t.wasm))} (${fmtRatio(agent(t.plain), agent(t.wasm))})`],
  ['Taxi training with string states, per step', fmtTime(t.plainStr), `${fmtTime(t.nativeStr)} (${fmtRatio(t.plainStr, t.nativeStr)})`, `${fmtTime(t.wasmStr)} (${fmtRatio(t.plainStr, t.wasmStr)})`],
  ...Object.keys(plainOps).map((op) => {
    const a = phase1.ops[op], b = phase2.ops[op]
    return [op, fmtTime(a.plain), `${fmtTime(a.native)} (${fmtRatio(a.plain, a.native)})`, `${fmtTime(b.wasm)} (${fmtRatio(a.plain, b.wasm)})`]
  }),
]
console.log(`elex ${native.version()} QTable — Node ${process.version}, ${quick ? 'quick' : 'full'} run\n`)
console.log(markdown(['measure', 'plain JS (Map)', 'native', 'WASM'], rows))
console.log(`\nTarget (issue #3): native not slower than plain JS per Taxi step — ratio ${fmtRatio(t.plain, t.native)} (≥ 1.0×).`)
mkdirSync(new URL('./.results/', import.meta.url), { recursive: true })
writeFileSync(new URL('./.results/qlearning.json', import.meta.url), JSON.stringify({ phase1, phase2 }, null, 2))
