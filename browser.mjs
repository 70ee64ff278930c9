// Browser entry (ESM): instantiates the simd128 WebAssembly build next to this file.
// Bundlers resolve the new URL(...) below and emit the .wasm as an asset.
import init, * as raw from './wasm/web/elex_wasm.js'
import { createApi } from './js/api.mjs'
import { indexedDbStore } from './js/store-browser.mjs'

await init({ module_or_path: new URL('./wasm/web/elex_wasm_bg.wasm', import.meta.url) })
// The built-in catalog (about 130 KB gzipped) is fetched next to this module at import, so
// that `new Swarm()` stays synchronous as in Node.
const catalogText = await fetch(new URL('./data/catalog.json', import.meta.url)).then((r) => r.text())
const api = createApi(raw, 'wasm', indexedDbStore, null, () => catalogText)
export default api
export const { backend, nativeLoadError, ERROR_CODES, version, simdLevel, cosineSimilarity, dotProduct, normalize, topKSimilar, batchQUpdate, validateRanges, aggregate, QTable, VectorIndex, Swarm, defaultCatalog, validateCatalog, Identity, verify, generateKey, encrypt, decrypt, Cluster, save, load, exists, remove } = api
