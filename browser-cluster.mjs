// Browser entry with clusters (ESM): the same API as browser.mjs, from a WebAssembly build
// that also carries the cluster node (SWIM, the learned-state CRDT, raft), so a tab can join
// Node coordinators over WebSocket and other tabs over a BroadcastChannel as a learner. A
// page that never joins a cluster imports browser.mjs, which is smaller.
import init, * as raw from './wasm/web-cluster/elex_wasm.js'
import { createApi } from './js/api.mjs'
import { indexedDbStore } from './js/store-browser.mjs'
import { browserClusterHost } from './js/cluster-browser.mjs'

await init({ module_or_path: new URL('./wasm/web-cluster/elex_wasm_bg.wasm', import.meta.url) })
// The built-in catalog (about 130 KB gzipped) is fetched next to this module at import, so
// that `new Swarm()` stays synchronous as in Node.
const catalogText = await fetch(new URL('./data/catalog.json', import.meta.url)).then((r) => r.text())
const api = createApi(raw, 'wasm', indexedDbStore, null, () => catalogText, browserClusterHost)
export default api
export const { backend, nativeLoadError, ERROR_CODES, version, simdLevel, cosineSimilarity, dotProduct, normalize, topKSimilar, batchQUpdate, validateRanges, aggregate, QTable, VectorIndex, Swarm, defaultCatalog, validateCatalog, Identity, verify, generateKey, encrypt, decrypt, Cluster, save, load, exists, remove } = api
