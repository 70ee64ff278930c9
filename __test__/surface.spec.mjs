// One source for what is mirrored: the error codes (engine -> both backends -> index.d.ts),
// the raw functions of the two backends (names and parameter counts), the API object and
// index.d.ts, and the generated ESM export lists. Each check fails when a file is forgotten.
import { readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const root = fileURLToPath(new URL('..', import.meta.url))
const read = (file) => readFileSync(`${root}${file}`, 'utf8')
const native = require('../index.js')
const wasm = require('../wasm.js')

/** `name -> parameter count` for the functions and class members a .d.ts declares. */
function signatures(dts) {
  const out = new Map()
  let owner = ''
  for (const line of dts.split('\n')) {
    const cls = line.match(/^export (?:declare )?class (\w+)/)
    if (cls) { owner = `${cls[1]}.`; continue }
    if (/^}/.test(line)) owner = ''
    const fn = line.match(/^\s*(?:export (?:declare )?function |(?:static |readonly )*)(\w+)\s*\(([^)]*)\)/)
    if (!fn || fn[1] === 'free' || fn[1].startsWith('__')) continue
    const params = fn[2].split(',').map((p) => p.trim()).filter((p) => p && !/^env\b/.test(p))
    out.set(`${owner}${fn[1]}`, params.length)
  }
  return out
}
const errorCodesIn = (dts) => [...dts.match(/export type ErrorCode =([^]*?)\n\n/)[1].matchAll(/'([A-Z_]+)'/g)].map((m) => m[1])

describe('one source for the mirrored surface', () => {
  it('the error codes come from the engine: both backends and index.d.ts list the same ones', () => {
    const engine = read('crates/elex-engine/src/error.rs').match(/errors! \{([^]*?)\n\}/)[1]
    const fromRust = [...engine.matchAll(/=> "([A-Z_]+)"/g)].map((m) => m[1])
    expect(fromRust.length).toBe(20)
    expect(native.ERROR_CODES).toEqual(fromRust)
    expect(wasm.ERROR_CODES).toEqual(fromRust)
    expect(errorCodesIn(read('index.d.ts'))).toEqual(fromRust)
  })

  it('the native and WASM raw modules declare the same functions with the same parameters', () => {
    const napi = signatures(read('target/elex-node.d.ts'))
    const bindgen = signatures(read('wasm/node/elex_wasm.d.ts'))
    // The threaded WebAssembly build's pool controls are js/wasm-node.cjs's business only;
    // initSync is wasm-bindgen's own.
    for (const name of bindgen.keys()) if (/^threads[A-Z]/.test(name) || name === 'initSync') bindgen.delete(name)
    expect(napi.size).toBeGreaterThan(30)
    const hot = ['qtableSelectNum', 'qtableUpdateNum', 'qtableBestNum', 'qtableSelectText', 'qtableUpdateText', 'qtableBestText']
    // The per-step calls are registered by hand on native (crates/elex-node/src/hot.rs), so
    // napi's .d.ts does not list them: they take no arguments on both.
    for (const name of hot) {
      expect(bindgen.get(name), name).toBe(0)
      expect(typeof native.__raw[name], name).toBe('function')
      napi.set(name, 0)
    }
    expect(Object.fromEntries([...napi].sort())).toEqual(Object.fromEntries([...bindgen].sort()))
  })

  it('every runtime export is declared in index.d.ts, and nothing more', () => {
    const dts = read('index.d.ts')
    const declared = [...dts.match(/declare const elex: \{([^]*?)\n\}/)[1].matchAll(/^\s+(\w+):/gm)].map((m) => m[1]).sort()
    expect(Object.keys(native).sort()).toEqual(declared)
    expect(Object.keys(wasm).sort()).toEqual(declared)
    for (const name of declared) {
      expect(dts, name).toMatch(new RegExp(`^export (declare )?(const|function|class) ${name}\\b`, 'm'))
    }
  })

  it('the ESM entries export every name of the API object (generated lists are current)', async () => {
    const check = spawnSync(process.execPath, [`${root}scripts/gen-esm-exports.mjs`, '--check'], { encoding: 'utf8' })
    expect(check.stderr).toBe('')
    expect(check.status).toBe(0)
    const esm = await import('../index.mjs')
    expect(Object.keys(esm).filter((k) => k !== 'default').sort()).toEqual(Object.keys(native).sort())
    const wasmEsm = await import('../wasm.mjs')
    expect(Object.keys(wasmEsm).filter((k) => k !== 'default').sort()).toEqual(Object.keys(wasm).sort())
    const browserLine = read('browser.mjs').match(/^export const \{([^}]*)\} = api$/m)[1]
    expect(browserLine.split(',').map((s) => s.trim()).sort()).toEqual(Object.keys(wasm).sort())
  })

  it('the built-in catalog is what scripts/build-catalog.mjs makes from data/sources (not edited by hand)', () => {
    const check = spawnSync(process.execPath, [`${root}scripts/build-catalog.mjs`, '--check'], { encoding: 'utf8' })
    expect(check.stderr).toBe('')
    expect(check.status).toBe(0)
  })
})

describe('what a browser downloads', () => {
  it('the browser .wasm stays within its budget of 250 KB gzipped (the catalog is separate data)', async () => {
    const { gzipSync } = await import('node:zlib')
    const wasmBytes = readFileSync(`${root}wasm/web/elex_wasm_bg.wasm`)
    const gzipped = gzipSync(wasmBytes, { level: 9 }).length
    expect(gzipped).toBeLessThanOrEqual(250_000)
  })
})
