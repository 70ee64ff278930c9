// elex loader (CommonJS): the native addon for this platform, else the WASM build.
// ELEX_BACKEND=native|wasm forces one (native fails loudly if it cannot load). When the
// fallback is taken, `nativeLoadError` says why (and ELEX_DEBUG=1 prints it once).
'use strict'
const { createApi } = require('./js/api.mjs')
const { fileStore } = require('./js/store-node.mjs')
const { loadWasmForNode } = require('./js/wasm-node.cjs')
const { nodeClusterHost } = require('./js/cluster-node.mjs')
const { readFileSync } = require('node:fs')
const { join } = require('node:path')

// The built-in catalog, read when a swarm first needs it.
const builtInCatalog = () => readFileSync(join(__dirname, 'data', 'catalog.json'), 'utf8')

function platformTag() {
  const { platform, arch } = process
  if (platform === 'linux') {
    const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null
    const glibc = report?.header?.glibcVersionRuntime
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`
  }
  if (platform === 'win32') return `win32-${arch}-msvc`
  return `${platform}-${arch}`
}

function loadNative() {
  const tag = platformTag()
  const errors = []
  // A local build first (development, tests), then the published platform package.
  for (const candidate of [`./elex.${tag}.node`, `elex-${tag}`]) {
    try {
      return require(candidate)
    } catch (e) {
      errors.push(`${candidate}: ${e.message.split('\n')[0]}`)
    }
  }
  const err = new Error(`no native elex binary for ${tag}:\n  ${errors.join('\n  ')}`)
  err.code = 'INTERNAL'
  throw err
}

function load() {
  const forced = process.env.ELEX_BACKEND
  if (forced === 'wasm') return createApi(loadWasmForNode(), 'wasm', fileStore, null, builtInCatalog, nodeClusterHost)
  if (forced === 'native') return createApi(loadNative(), 'native', fileStore, null, builtInCatalog, nodeClusterHost)
  if (forced) {
    const err = new Error(`ELEX_BACKEND must be "native" or "wasm", got ${JSON.stringify(forced)}`)
    err.code = 'INVALID_ARGUMENT'
    throw err
  }
  let native
  try {
    native = loadNative()
  } catch (e) {
    if (process.env.ELEX_DEBUG === '1') process.stderr.write(`elex: using WebAssembly: ${e.message}\n`)
    return createApi(loadWasmForNode(), 'wasm', fileStore, e, builtInCatalog, nodeClusterHost)
  }
  return createApi(native, 'native', fileStore, null, builtInCatalog, nodeClusterHost)
}

module.exports = load()
