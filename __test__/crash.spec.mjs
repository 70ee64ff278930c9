// Crash safety of save(): a child saves a growing Q-table and index in a loop and is killed
// with SIGKILL at random moments, 50 times; every time, load() must return a complete
// state — some step's table and index, whole — never a torn or empty file.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { rng } from './helpers/cases.mjs'

const require = createRequire(import.meta.url)
const elex = require('../index.js')
const CHILD = fileURLToPath(new URL('./helpers/crash-child.mjs', import.meta.url))
const ROUNDS = 50

/** Runs the child until it has saved at least once, then `delayMs` more, then SIGKILL. */
function runAndKill(folder, delayMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, folder], {
      env: { ...process.env, ELEX_BACKEND: elex.backend },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d) => { stderr += d })
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), delayMs))
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve()
      else reject(new Error(`child exited by itself (code ${code}): ${stderr}`))
    })
  })
}

describe(`save() survives SIGKILL (${elex.backend})`, () => {
  it(`${ROUNDS} kills at random moments, and every load is a complete state`, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'elex-crash-'))
    const random = rng(elex.backend === 'native' ? 11 : 12)
    let last = 0
    for (let round = 0; round < ROUNDS; round++) {
      await runAndKill(folder, Math.floor(random() * 120))
      const q = await elex.load(join(folder, 'q.elex'))
      const ix = await elex.load(join(folder, 'ix.elex'))
      // Whole states only: every step up to the saved size is present, with its value.
      const steps = q.size
      expect(steps).toBeGreaterThanOrEqual(last) // never back before a completed save
      for (const s of [1, Math.ceil(steps / 2), steps]) {
        expect(q.qValues(s)[s % 3]).toBeCloseTo(0.5 * s, 3)
      }
      expect(q.visits(steps + 1).every((v) => v === 0)).toBe(true)
      // The index is saved after the table, so it holds the same steps or one fewer.
      expect([steps - 1, steps]).toContain(ix.size)
      for (const id of [1, ix.size]) expect(ix.has(id)).toBe(true)
      expect(ix.has(ix.size + 1)).toBe(false)
      last = steps
    }
    expect(last).toBeGreaterThan(ROUNDS) // it really kept growing across the kills
    // Killed writers may leave temporary files behind, never a damaged target.
    expect(readdirSync(folder).filter((f) => !f.endsWith('.tmp')).sort()).toEqual(['ix.elex', 'q.elex'])
  }, 240_000)
})
