// ESM entry for Node: the same object as require('elex').
import api from './index.js'
export default api
export const { backend, nativeLoadError, ERROR_CODES, version, simdLevel, cosineSimilarity, dotProduct, normalize, topKSimilar, batchQUpdate, validateRanges, aggregate, QTable, VectorIndex, Swarm, defaultCatalog, validateCatalog, Identity, verify, generateKey, encrypt, decrypt, Cluster, save, load, exists, remove } = api
