// The one JavaScript facade over both backends. The native addon and the WASM module expose
// the same raw functions; the facade checks argument *types* (identically for both, so code
// written against one backend behaves the same on the other) and guarantees that every
// failure is an Error whose `.code` is one of ERROR_CODES. Values, lengths and ranges are
// checked by the Rust engine. One file per domain: kernels, qtable, vector-index, security,
// storage; this one assembles them.

import { codedError, rawOf, useErrorCodes } from './checks.mjs'
import { makeCluster } from './cluster.mjs'
import { makeKernels } from './kernels.mjs'
import { makeQTable } from './qtable.mjs'
import { makeVectorIndex } from './vector-index.mjs'
import { makeSecurity } from './security.mjs'
import { makeStorage } from './storage.mjs'
import { makeSwarm } from './swarm.mjs'

const noClusterHost = {
  listen: null,
  dial: () => {
    throw codedError('INTERNAL', 'this build has no cluster transport')
  },
  readState: () => null,
  writeState: () => {},
  defaultVoter: false,
}

function missingCatalog() {
  throw codedError('INTERNAL', 'this build has no built-in catalog: pass { catalog } to new Swarm()')
}

/**
 * The API over one raw backend. `store` keeps save/load bytes: files in Node
 * (`js/store-node.mjs`), IndexedDB in browsers (`js/store-browser.mjs`).
 * `nativeLoadError`: why the native addon did not load (null when it did, or was not tried).
 * `builtInCatalog`: a function returning the built-in catalog's JSON text (data/catalog.json).
 * `clusterHost`: sockets and files for `Cluster` (js/cluster-node.mjs in Node).
 */
export function createApi(raw, backend, store, nativeLoadError = null, builtInCatalog = missingCatalog, clusterHost = null) {
  const api = {
    backend,
    nativeLoadError,
    ERROR_CODES: useErrorCodes(raw.errorCodes()),
    version: () => raw.version(),
    simdLevel: () => raw.simdLevel(),
    ...makeKernels(raw),
  }
  api.QTable = makeQTable(raw)
  api.VectorIndex = makeVectorIndex(raw, backend)
  Object.assign(api, makeSwarm(raw, builtInCatalog))
  Object.assign(api, makeSecurity(raw))
  api.Cluster = makeCluster(raw, { Swarm: api.Swarm, Identity: api.Identity, rawOf }, clusterHost ?? noClusterHost)
  Object.assign(api, makeStorage(raw, { QTable: api.QTable, VectorIndex: api.VectorIndex, Swarm: api.Swarm }, store))
  // The raw backend, for benchmarks and diagnostics only: not enumerable, not in the types.
  Object.defineProperty(api, '__raw', { value: raw, enumerable: false })
  return api
}
