// The bad-input sweep (helpers/bad-input-child.mjs) in a child process per backend: an
// abort or a hang fails this test instead of taking the runner down.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const elex = require('../index.js')
const CHILD = fileURLToPath(new URL('./helpers/bad-input-child.mjs', import.meta.url))

describe(`bad input never crashes (${elex.backend})`, () => {
  it('every call returns or throws a contract-coded Error, and objects stay usable', () => {
    const run = spawnSync(process.execPath, [CHILD], {
      env: { ...process.env, ELEX_BACKEND: elex.backend },
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 16 << 20,
    })
    expect(run.signal, `child died: ${run.stderr}`).toBe(null)
    expect(run.status, run.stderr).toBe(0)
    const report = JSON.parse(run.stdout)
    expect(report.violations).toEqual([])
    expect(report.calls).toBeGreaterThan(5000)
    // The sweep really exercised the failure paths (not everything succeeded).
    expect(report.errors.INVALID_ARGUMENT).toBeGreaterThan(1000)
    expect(report.errors.CORRUPT_DATA).toBeGreaterThan(1000)
    for (const code of ['DIMENSION_MISMATCH', 'INVALID_VECTOR', 'INVALID_KEY']) expect(report.errors[code]).toBeGreaterThan(0)
  }, 180_000)
})
