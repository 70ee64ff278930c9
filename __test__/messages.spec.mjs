// Error messages name the argument, its value (as JavaScript prints it) and what was
// expected, the same on both backends; values that used to slip through are rejected.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const elex = require('../index.js')
const { QTable, VectorIndex } = elex

function errorOf(fn) {
  try { fn() } catch (e) { return e }
  throw new Error('expected a throw')
}

describe(`messages and rejected values (${elex.backend})`, () => {
  it('say what was wrong in one shape', () => {
    const q = new QTable({ seed: 1 })
    expect(errorOf(() => q.update(1, 0, 1)).message).toBe('nextState (or null for a terminal step) must be a number or a string, got undefined')
    const reward = errorOf(() => q.update(1, 0, Infinity, null))
    expect(reward.code).toBe('INVALID_REWARD')
    expect(reward.message).toBe('invalid reward: reward must be a finite number within float32 range, got Infinity')
    expect(errorOf(() => q.update(1, 0.5, 1, null)).message).toBe('action must be a whole number in 0..5, got 0.5')
    expect(errorOf(() => q.update(1, 7, 1, null)).message).toBe('action must be a whole number in 0..5, got 7')
    expect(errorOf(() => elex.normalize(new Int32Array(3))).message).toBe('v must be a Float32Array, got an Int32Array')
    expect(errorOf(() => elex.topKSimilar(new Float32Array(2), new Float32Array(4), 2, 0)).message)
      .toBe('k must be a whole number in 1..=4294967295, got 0')
    expect(errorOf(() => elex.topKSimilar(new Float32Array(2), new Float32Array(4), 2, 1.5)).message)
      .toBe('k must be a whole number in 1..=4294967295, got 1.5')
    expect(errorOf(() => new QTable({ policy: 'softmax' })).message).toBe('policy must be \'epsilon-greedy\' or \'ucb\', got "softmax"')
  })

  it('reject seeds that are not whole numbers in 0..2^32-1', () => {
    for (const seed of [-1, 1.7, 2 ** 40, NaN]) {
      const a = errorOf(() => new QTable({ seed }))
      const b = errorOf(() => new VectorIndex({ dim: 4, seed }))
      for (const e of [a, b]) {
        expect(e.code).toBe('INVALID_ARGUMENT')
        expect(e.message).toMatch(/^seed must be a whole number in 0\.\.=4294967295, got /)
      }
    }
    expect(() => new QTable({ seed: 2 ** 32 - 1 })).not.toThrow()
  })

  it('an empty index answers with nothing; efSearch below k is an error; k above the size gives all', () => {
    const ix = new VectorIndex({ dim: 3, seed: 1 })
    const empty = ix.search(new Float32Array([1, 0, 0]), 5)
    expect(Array.from(empty.ids)).toEqual([])
    expect(Array.from(ix.searchBatch(new Float32Array(6), 2).ids)).toEqual([])
    ix.add(7, new Float32Array([1, 0, 0]))
    expect(Array.from(ix.search(new Float32Array([1, 0, 0]), 5).ids)).toEqual([7])
    const e = errorOf(() => ix.search(new Float32Array([1, 0, 0]), 10, { efSearch: 5 }))
    expect(e.code).toBe('INVALID_ARGUMENT')
    expect(e.message).toBe('efSearch must be a whole number in k..=65536 (k is 10), got 5')
  })

  it('a failed save names the file being saved, not the temporary one', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'elex-msg-'))
    try {
      const target = join(folder, 'missing-folder', 'table.elex')
      const e = await elex.save(target, new QTable({ seed: 1 })).then(() => null, (err) => err)
      expect(e.code).toBe('INVALID_ARGUMENT')
      expect(e.message).toContain(target)
      expect(e.message).not.toMatch(/\.tmp/)
      expect(readdirSync(folder)).toEqual([])
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('addBatchAsync gives the event loop turns while it links (WASM in slices of ~8 ms of work)', async () => {
    const dim = 32, n = 3000
    const vectors = new Float32Array(n * dim).map((_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1)
    const ix = new VectorIndex({ dim, seed: 2 })
    let turns = 0, progress = 0
    const timer = setInterval(() => { turns++ }, 0)
    await ix.addBatchAsync(Uint32Array.from({ length: n }, (_, i) => i), vectors, { onProgress: () => { progress++ } })
    clearInterval(timer)
    expect(ix.size).toBe(n)
    if (elex.backend === 'wasm') {
      expect(progress).toBeGreaterThan(3)
      expect(turns).toBeGreaterThan(0)
    }
  })
})

describe('why the native addon did not load', () => {
  it('is null when it loaded, or when WebAssembly was asked for', () => {
    expect(elex.nativeLoadError).toBe(null)
  })

  it('is the loader error after a fallback, and ELEX_DEBUG=1 prints it once', () => {
    const script = `
      const Module = require('node:module')
      const load = Module._load
      Module._load = function (request, ...rest) {
        if (/\\.node$|^elex-/.test(request)) throw new Error('no binary here (test)')
        return load.call(this, request, ...rest)
      }
      const elex = require(${JSON.stringify(require.resolve('../index.js'))})
      console.log(JSON.stringify({ backend: elex.backend, error: elex.nativeLoadError && elex.nativeLoadError.message }))`
    const env = { ...process.env, ELEX_DEBUG: '1' }
    delete env.ELEX_BACKEND
    const child = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' })
    expect(child.status).toBe(0)
    const out = JSON.parse(child.stdout)
    expect(out.backend).toBe('wasm')
    expect(out.error).toMatch(/no native elex binary for .*no binary here \(test\)/s)
    expect(child.stderr.match(/elex: using WebAssembly: /g)).toHaveLength(1)
  })
})
