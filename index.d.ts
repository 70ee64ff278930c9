// Types of the elex JavaScript API (the contract in API.md). The same declarations describe
// `elex` (native addon, WASM fallback), `elex/wasm` and the browser build.

/** Every `.code` an elex Error can carry. */
export type ErrorCode =
  | 'INVALID_ARGUMENT' | 'DIMENSION_MISMATCH' | 'INVALID_VECTOR' | 'DUPLICATE_ID'
  | 'INVALID_FAJ_CODE' | 'INVALID_CATALOG' | 'DEPENDENCY_CYCLE' | 'AGENT_NOT_FOUND'
  | 'AGENT_NOT_READY' | 'FEATURE_NOT_FOUND' | 'UNKNOWN_QUERY' | 'INVALID_REWARD'
  | 'INVALID_KEY' | 'DECRYPTION_FAILED' | 'SIGNATURE_INVALID' | 'CORRUPT_DATA'
  | 'UNSUPPORTED_VERSION' | 'PEER_UNREACHABLE' | 'CONSENSUS_TIMEOUT' | 'INTERNAL'

/** What elex throws: an `Error` (a `TypeError` for wrong argument types) with a `code`. */
export interface ElexError extends Error {
  code: ErrorCode
}

export declare const ERROR_CODES: readonly ErrorCode[]

// ---- Backend information ----
/** Which engine answered `require('elex')`. */
export declare const backend: 'native' | 'wasm'
/** The package version. */
export declare function version(): string
/** What runs the kernels: 'avx2+fma+vnni', 'avx2+fma', 'sse4.1', 'simd128' or 'scalar'. */
export declare function simdLevel(): 'avx2+fma+vnni' | 'avx2+fma' | 'sse4.1' | 'simd128' | 'scalar'
/**
 * Why the native addon did not load when `require('elex')` fell back to WebAssembly (its
 * message names each candidate tried and its error); null when the native addon loaded or
 * the WebAssembly build was asked for. `ELEX_DEBUG=1` also prints it once on stderr.
 */
export declare const nativeLoadError: Error | null

// ---- Kernels ----
/** Cosine similarity in [-1, 1]; 0 when either vector is all-zero. */
export declare function cosineSimilarity(a: Float32Array, b: Float32Array): number
export declare function dotProduct(a: Float32Array, b: Float32Array): number
/** A unit-length copy (an all-zero vector gives an all-zero copy). */
export declare function normalize(v: Float32Array): Float32Array

export interface TopKResult {
  /** Row indices, best first; equal scores keep the lower index first. */
  indices: Uint32Array
  /** Cosine similarity of each returned row. */
  scores: Float32Array
}
/**
 * The `k` rows of `matrix` (n rows of `dim` floats, row-major) most similar to `query` by
 * cosine similarity, best first; fewer when the matrix has fewer rows.
 */
export declare function topKSimilar(query: Float32Array, matrix: Float32Array, dim: number, k: number): TopKResult

/** Q + alpha * (rewards + gamma * nextMaxQ - Q), element-wise, as a new array. */
export declare function batchQUpdate(q: Float32Array, rewards: Float32Array, nextMaxQ: Float32Array,
  alpha: number, gamma: number): Float32Array

/** 1 where min[i] <= values[i] <= max[i], else 0 (NaN is out of range). */
export declare function validateRanges(values: Float32Array, min: Float32Array, max: Float32Array): Uint8Array

export interface AggregateResult {
  sum: number
  weightedSum: number
  /** -Infinity for no values, like Math.max(). */
  max: number
  /** How many values are strictly greater than the threshold. */
  countAbove: number
}
export declare function aggregate(values: Float32Array, weights: Float32Array, threshold: number): AggregateResult

// ---- Q-learning ----
export interface QLearningOptions {
  /** Number of actions, 1..65536; default 5 (the swarm's five actions). */
  actions?: number
  /** Learning rate in (0, 1]; default 0.1. */
  alpha?: number
  /** Discount in [0, 1]; default 0.95. */
  gamma?: number
  /** Exploration rate in [0, 1]; default 0.1. */
  epsilon?: number
  /** Multiplied into epsilon by each endEpisode(), in [0, 1]; default 1 (no decay). */
  epsilonDecay?: number
  /** Floor for the decayed epsilon; default 0.01. */
  minEpsilon?: number
  /** Default 'epsilon-greedy'. */
  policy?: 'epsilon-greedy' | 'ucb'
  /** UCB exploration constant c >= 0; default 2. */
  ucbC?: number
  /** A whole number in 0..2^32-1: makes selectAction reproducible; without it each table draws its own seed. */
  seed?: number
}

/** A state: a whole number in 0..2^32-1, or any string. */
export type QState = string | number

export interface QTableStats {
  /** Distinct states. */
  states: number
  /** Stored (state, action) entries: states × actions. */
  entries: number
  /** Updates applied so far (merges add the other table's count). */
  updates: number
  /** Bytes held by the table's allocations. */
  memoryBytes: number
}

export declare class QTable {
  constructor(options?: QLearningOptions)
  /** An action by the table's policy (explores; advances the seeded generator). */
  selectAction(state: QState): number
  /** The greedy action; ties go to the lowest index; 0 for an unseen state. */
  bestAction(state: QState): number
  /** Q(s,a) += alpha (reward + gamma max Q(next,·) − Q(s,a)); `null` = terminal. Returns the TD error. */
  update(state: QState, action: number, reward: number, nextState: QState | null): number
  /**
   * Many updates through the SIMD kernel. Targets use the table as it was before the batch;
   * a repeated (state, action) pair is applied in order. Nothing changes if any entry is invalid.
   */
  updateBatch(states: QState[], actions: Uint32Array, rewards: Float32Array, nextStates: (QState | null)[]): void
  /** Applies epsilonDecay (down to minEpsilon). */
  endEpisode(): void
  /** One value per action; zeros for an unseen state. */
  qValues(state: QState): Float32Array
  visits(state: QState): Uint32Array
  /** In [0, 1]: grows with the state's visits and the best action's margin. */
  confidence(state: QState): number
  /** Federated merge: visit-weighted average per (state, action), visits summed. */
  merge(other: QTable | Uint8Array): void
  /** The table in elex's versioned, checksummed snapshot format. */
  toBytes(options?: SealOptions): Uint8Array
  /**
   * Throws CORRUPT_DATA / UNSUPPORTED_VERSION for anything toBytes did not write; for a
   * sealed snapshot INVALID_KEY without a key, DECRYPTION_FAILED with the wrong one.
   */
  static fromBytes(bytes: Uint8Array, options?: SealOptions): QTable
  readonly size: number
  readonly epsilon: number
  stats(): QTableStats
}

// ---- Vector index (HNSW) ----
export interface IndexOptions {
  /** Vector length, 1..65536. */
  dim: number
  /** Default 'cosine' (distance = 1 − similarity); 'l2' is the squared Euclidean distance; 'dot' is −a·b. */
  metric?: 'cosine' | 'l2' | 'dot'
  /** Links per node and layer (2..256); default 16. */
  m?: number
  /** Default 200. */
  efConstruction?: number
  /** Default 64. */
  efSearch?: number
  /** A whole number in 0..2^32-1: makes the graph reproducible. */
  seed?: number
}

export interface Neighbours {
  /** Nearest first. */
  ids: Uint32Array
  distances: Float32Array
}

export interface SearchOptions {
  /** Candidates kept during graph search, k..65536 (INVALID_ARGUMENT below k); default: the index's efSearch, raised to k. */
  efSearch?: number
  /** Scan every vector instead of the graph: exact results. */
  exact?: boolean
}

export declare class VectorIndex {
  constructor(options: IndexOptions)
  /** DUPLICATE_ID if present; DIMENSION_MISMATCH / INVALID_VECTOR for bad vectors. */
  add(id: number, vector: Float32Array): void
  /** `ids.length` rows, flattened; checked whole before anything is added. */
  addBatch(ids: Uint32Array, vectors: Float32Array): void
  /**
   * addBatch without blocking the event loop: native links on a libuv thread (using every
   * core); WASM links a slice at a time and yields in between. Checked whole first, like
   * addBatch. Searches meanwhile see what is added so far; add/addBatch/remove throw
   * INVALID_ARGUMENT until the promise settles.
   */
  addBatchAsync(
    ids: Uint32Array,
    vectors: Float32Array,
    options?: { onProgress?: (done: number, total: number) => void },
  ): Promise<void>
  /** True if it was present. Removed ids are never returned and may be added again. */
  remove(id: number): boolean
  has(id: number): boolean
  /**
   * The k nearest (k >= 1; fewer when the index holds fewer, none when it is empty).
   * Answered by graph search or, when that is measured to cost more, by an exact scan
   * (`exact: true` forces the scan: ground truth).
   */
  search(query: Float32Array, k: number, options?: SearchOptions): Neighbours
  /** queries.length / dim rows of k results, flattened. */
  searchBatch(queries: Float32Array, k: number, options?: SearchOptions): Neighbours
  readonly size: number
  readonly dim: number
  /** Bytes held by the index's allocations. */
  memoryUsage(): number
  /** The index in elex's versioned, checksummed snapshot format. */
  toBytes(options?: SealOptions): Uint8Array
  /** As QTable.fromBytes. */
  static fromBytes(bytes: Uint8Array, options?: SealOptions): VectorIndex
}

/**
 * `key`: 32 bytes. The snapshot is sealed with AES-256-GCM and its header (magic, version,
 * kind, flags) bound as associated data.
 */
export interface SealOptions {
  key?: Uint8Array
}

/** An Ed25519 signing identity (the secret key stays in the engine until asked for). */
export declare class Identity {
  private constructor()
  /** From the OS generator (crypto.getRandomValues in browsers). */
  static generate(): Identity
  /** From a 32-byte secret key; INVALID_KEY for any other length. */
  static fromSecretKey(secretKey: Uint8Array): Identity
  /** 32 bytes, raw Ed25519. */
  readonly publicKey: Uint8Array
  /** `agent-` + hex of the first 16 bytes of SHA-256(publicKey). */
  readonly agentId: string
  /** A 64-byte Ed25519 signature. */
  sign(message: Uint8Array): Uint8Array
  secretKey(): Uint8Array
}
/**
 * Strict Ed25519 verification (non-canonical signatures and small-order keys fail).
 * INVALID_KEY if publicKey is not 32 bytes.
 */
export declare function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean
/** 32 random bytes: an AES-256 key. */
export declare function generateKey(): Uint8Array
/** AES-256-GCM: 12-byte random nonce || ciphertext || 16-byte tag. INVALID_KEY unless 32 bytes. */
export declare function encrypt(key: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array
/** DECRYPTION_FAILED for any tampering, the wrong key or the wrong aad. */
export declare function decrypt(key: Uint8Array, sealed: Uint8Array, aad?: Uint8Array): Uint8Array
/**
 * Node: `location` is a file path, written atomically (temporary file, fsync, rename, fsync
 * of the folder). Browser: a key in IndexedDB (strict durability).
 */
export declare function save(location: string, object: QTable | VectorIndex, options?: SealOptions): Promise<void>
/** The object of the kind stored. INVALID_ARGUMENT if nothing is there. */
export declare function load(location: string, options?: SealOptions): Promise<QTable | VectorIndex>

declare const elex: {
  backend: typeof backend
  nativeLoadError: typeof nativeLoadError
  ERROR_CODES: typeof ERROR_CODES
  version: typeof version
  simdLevel: typeof simdLevel
  cosineSimilarity: typeof cosineSimilarity
  dotProduct: typeof dotProduct
  normalize: typeof normalize
  topKSimilar: typeof topKSimilar
  batchQUpdate: typeof batchQUpdate
  validateRanges: typeof validateRanges
  aggregate: typeof aggregate
  QTable: typeof QTable
  VectorIndex: typeof VectorIndex
  Identity: typeof Identity
  verify: typeof verify
  generateKey: typeof generateKey
  encrypt: typeof encrypt
  decrypt: typeof decrypt
  save: typeof save
  load: typeof load
}
export default elex
