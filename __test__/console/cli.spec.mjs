// The `elex` command line: each command as text and as --json, and the exit codes
// (0 success, 1 an error with its code and message on stderr, 2 wrong usage).
import { writeFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { elex, runCli, tempDir } from './helpers.mjs'

const t = tempDir()
afterAll(() => t.remove())
const noState = ['--state', t.file('no-state.elex')] // never created: a fresh swarm
const counters = t.file('counters.json')
writeFileSync(counters, JSON.stringify({ pmHoPrepSucc: 970, pmHoPrepAtt: 1000, pmHoExeSucc: 955, pmHoExeAtt: 970 }))
const a3 = 'ReportConfigEUtraBestCell.a3offset'

describe('elex --help, --version and wrong usage', () => {
  it('--help lists every command and exits 0', async () => {
    const { code, stdout } = await runCli(['--help'])
    expect(code).toBe(0)
    for (const name of ['serve', 'ask', 'plan', 'kpis', 'catalog', 'bench']) expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'))
  })
  it('--version prints the package version', async () => {
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: `${elex.version()}\n` })
  })
  it('exits 2 on wrong usage', async () => {
    for (const args of [[], ['nope'], ['ask'], ['ask', 'x', '--bogus'], ['plan', 'FAJ 121 0489', 'novalue'], ['serve', '--port', 'abc'], ['kpis', 'FAJ 121 0497']]) {
      const { code, stderr } = await runCli(args)
      expect(code, args.join(' ')).toBe(2)
      expect(stderr.length, args.join(' ')).toBeGreaterThan(0)
    }
  })
})

describe('elex ask', () => {
  it('prints a readable answer, and nothing on stderr when it is not a terminal (no progress bar)', async () => {
    const { code, stdout, stderr } = await runCli(['ask', 'How do I activate MIMO Sleep Mode?', ...noState])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^MIMO Sleep Mode \(FAJ 121 3094\)/)
    expect(stdout).toMatch(/\$ cmedit /)
    expect(stderr).toBe('')
  })
  it('--json prints the QueryResponse', async () => {
    const { code, stdout } = await runCli(['ask', 'How do I activate MIMO Sleep Mode?', '--node', 'ERBS01', '--json', ...noState])
    expect(code).toBe(0)
    const r = JSON.parse(stdout)
    expect(r).toMatchObject({ fajCode: 'FAJ 121 3094', featureName: 'MIMO Sleep Mode' })
    expect(typeof r.queryId).toBe('string')
  })
  it('reads the learned state: a broken state file is an error (exit 1, code on stderr)', async () => {
    writeFileSync(t.file('broken.elex'), 'not a snapshot')
    const { code, stderr } = await runCli(['ask', 'MIMO sleep', '--state', t.file('broken.elex')])
    expect(code).toBe(1)
    expect(stderr).toMatch(/^elex: CORRUPT_DATA: /)
  })
})

describe('elex plan', () => {
  it('text and --json', async () => {
    const args = ['plan', 'FAJ 121 0489', `${a3}=60`, '--current', `${a3}=30`, '--scope', 'ERBS01', ...noState]
    const text = await runCli(args)
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/cmedit set ERBS01 ReportConfigEUtraBestCell a3offset=60/)
    const json = await runCli([...args, '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({ fajCode: 'FAJ 121 0489', changes: [{ parameter: a3, from: 30, to: 60, allowed: true }] })
  })
  it('an unknown feature exits 1 with its code; with --json the error is JSON', async () => {
    const text = await runCli(['plan', 'FAJ 999 9999', `${a3}=60`, ...noState])
    expect(text.code).toBe(1)
    expect(text.stderr).toMatch(/^elex: FEATURE_NOT_FOUND: .*FAJ 999 9999/)
    const json = await runCli(['plan', 'FAJ 999 9999', `${a3}=60`, '--json', ...noState])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stderr).error.code).toBe('FEATURE_NOT_FOUND')
  })
})

describe('elex kpis', () => {
  it('text and --json', async () => {
    const text = await runCli(['kpis', 'FAJ 121 0497', counters, ...noState])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^BREACHED Handover Preparation Success Rate: 97\.000$/m)
    const json = await runCli(['kpis', 'FAJ 121 0497', counters, '--json', ...noState])
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ value: 97, breached: true })
  })
  it('a missing or wrong counters file exits 1', async () => {
    expect((await runCli(['kpis', 'FAJ 121 0497', t.file('missing.json'), ...noState])).code).toBe(1)
    writeFileSync(t.file('wrong.json'), '{"pmHoPrepSucc":"many"}')
    const { code, stderr } = await runCli(['kpis', 'FAJ 121 0497', t.file('wrong.json'), ...noState])
    expect(code).toBe(1)
    expect(stderr).toMatch(/^elex: INVALID_ARGUMENT: /)
  })
})

describe('elex catalog', () => {
  it('validate: a good catalog exits 0, a bad one 1 naming the entry', async () => {
    expect(await runCli(['catalog', 'validate', 'data/catalog.json'])).toMatchObject({ code: 0, stdout: 'data/catalog.json: valid, 593 features\n' })
    expect(JSON.parse((await runCli(['catalog', 'validate', 'data/catalog.json', '--json'])).stdout)).toEqual({ valid: true, features: 593 })
    writeFileSync(t.file('bad.json'), JSON.stringify([{ fajCode: 'FAJ 121 0001', category: 'x', parameters: [], counters: [], kpis: [] }]))
    const bad = await runCli(['catalog', 'validate', t.file('bad.json')])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^elex: INVALID_CATALOG: .*name/)
    writeFileSync(t.file('notjson.json'), '{')
    expect((await runCli(['catalog', 'validate', t.file('notjson.json')])).code).toBe(1)
  })
  it('stats: the built-in catalog, or a file', async () => {
    const text = await runCli(['catalog', 'stats'])
    expect(text.stdout).toMatch(/^built-in catalog: 593 features/)
    const features = elex.defaultCatalog().slice(0, 7)
    writeFileSync(t.file('seven.json'), JSON.stringify(features))
    const json = JSON.parse((await runCli(['catalog', 'stats', t.file('seven.json'), '--json'])).stdout)
    expect(json.features).toBe(7)
    expect(json.parameters).toBe(features.reduce((n, f) => n + f.parameters.length, 0))
  })
})

describe('elex bench', () => {
  it('--quick --json: /api/query beside the bare route at 1, 16 and 64 connections, without errors, and memory sampled', async () => {
    const { code, stdout, stderr } = await runCli(['bench', '--quick', '--json'], { timeoutMs: 110_000 })
    expect(code, stderr).toBe(0)
    const r = JSON.parse(stdout)
    expect(r.rows.map((x) => `${x.route}@${x.connections}`)).toEqual([1, 16, 64].flatMap((c) => [`bare@${c}`, `bare, sized answer@${c}`, `/api/query@${c}`]))
    for (const row of r.rows) {
      expect(row.requests).toBeGreaterThan(0)
      expect(row.errors).toBe(0)
      expect(row.non2xx).toBe(0)
    }
    expect(r.memory.samples).toBeGreaterThan(2)
    expect(r.memory.non2xx).toBe(0)
  }, 120_000)
})
