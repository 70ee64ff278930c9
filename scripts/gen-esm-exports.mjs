// Writes the named-export line of the ESM entries (index.mjs, wasm.mjs, browser*.mjs) from
// the API object itself, so adding a function never means editing three export lists.
// `--check` only reports whether the files are current (exit 1 if not). Run by the build.
//   node scripts/gen-esm-exports.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const api = require(`${root}wasm.js`)
const names = Object.keys(api).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k))
const line = `export const { ${names.join(', ')} } = api`
const marker = /^export const \{[^\n]*\} = api$/m

let stale = []
for (const file of ['index.mjs', 'wasm.mjs', 'browser.mjs', 'browser-cluster.mjs']) {
  const path = `${root}${file}`
  const text = readFileSync(path, 'utf8')
  if (!marker.test(text)) throw new Error(`${file} has no "export const { … } = api" line`)
  const next = text.replace(marker, line)
  if (next !== text) {
    stale.push(file)
    if (!process.argv.includes('--check')) writeFileSync(path, next)
  }
}
if (process.argv.includes('--check') && stale.length) {
  console.error(`stale ESM export lists in ${stale.join(', ')}: run node scripts/gen-esm-exports.mjs`)
  process.exit(1)
}
