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
export declare function save(location: string, object: QTable | VectorIndex | Swarm, options?: SealOptions): Promise<void>
/** The object of the kind stored. INVALID_ARGUMENT if nothing is there. */
export declare function load(location: string, options?: SealOptions): Promise<QTable | VectorIndex | Swarm>
/** Whether something is stored at `location`. */
export declare function exists(location: string): Promise<boolean>
/** Removes what is stored at `location`; false if there was nothing. */
export declare function remove(location: string): Promise<boolean>

// ---- Feature agents and the swarm ----
export type ParameterType = 'int' | 'float' | 'bool' | 'enum' | 'string' | 'unknown'
export interface SafeZone {
  min?: number
  max?: number
  /** Largest change in one step (in the parameter's stored units). */
  maxStep?: number
  /** Largest change in one step, as a percentage of the current value. */
  maxChangePercent?: number
}
export interface ParameterSpec {
  /** 'MoClass.attribute', e.g. 'EUtranCellFDD.lbActivationThreshold'. */
  name: string
  relation?: 'Introduced' | 'Affecting' | 'Affected'
  /** Default 'unknown': then validation says "no range known". */
  type?: ParameterType
  /** The protocol's absolute range, in the value the MO attribute stores. */
  min?: number
  max?: number
  /** Only min + k·step is valid. */
  step?: number
  /** The only values an int parameter takes (e.g. timeToTrigger in ms). */
  allowed?: number[]
  /** Enum members. */
  values?: string[]
  default?: number | string | boolean
  /** Physical unit (dB, dBm, ms, …). */
  unit?: string
  /** Physical value = stored value × scale (e.g. 0.1 where the MO stores 0.1 dB units). */
  scale?: number
  description?: string
  /** Where the range comes from (a 3GPP clause and information element). */
  source?: string
  note?: string
  /** The operator's safe zone (SwarmOptions.safeZones are laid over it). */
  safe?: SafeZone
}
export interface KpiSpec {
  name: string
  /** Arithmetic over counter names (+ - * / and parentheses), e.g. '100 * pmHoExeSucc / pmHoExeAtt'. */
  formula: string
  threshold?: number
  direction?: 'higher-is-better' | 'lower-is-better'
  unit?: string
  /** accessibility, retainability, mobility, integrity, availability, utilisation or energy. */
  group?: string
  source?: string
}
export interface FeatureSpec {
  /** 'FAJ 121 3094' or 'FAJ 121 3094/1'. */
  fajCode: string
  name: string
  acronym?: string
  /** The licence key, e.g. 'CXC4011808' (names the FeatureState MO that activates it). */
  cxc?: string
  category: string
  technology?: 'LTE' | 'NR' | 'GSM' | 'WCDMA' | 'CrossRAT'
  licensed?: boolean
  description?: string
  parameters: ParameterSpec[]
  /** 'MoClass.pmName', or that with a description and unit. */
  counters: (string | { name: string, description?: string, unit?: string })[]
  kpis: KpiSpec[]
  /** Prerequisites (FAJ codes). */
  dependsOn?: string[]
  conflictsWith?: string[]
  relatedTo?: string[]
}
/** The built-in catalog: 593 real Ericsson LTE/NR features (a fresh copy on each call). */
export declare function defaultCatalog(): FeatureSpec[]
/** INVALID_CATALOG / DEPENDENCY_CYCLE / INVALID_FAJ_CODE, naming the entry and why. */
export declare function validateCatalog(features: FeatureSpec[]): void

export type Action = 'DirectAnswer' | 'ContextAnswer' | 'ConsultPeer' | 'RequestClarification' | 'Escalate'
export type AgentStatus = 'Initializing' | 'ColdStart' | 'Ready' | 'Busy' | 'Degraded' | 'Offline'
export type QueryType = 'parameter' | 'counter' | 'kpi' | 'procedure' | 'troubleshoot' | 'general'
export type Risk = 'LOW' | 'MEDIUM' | 'HIGH'
export type Scalar = number | string | boolean

export interface SwarmOptions {
  /** Default: the built-in catalog (its vocabulary is used either way). */
  catalog?: FeatureSpec[]
  /** Operator safe zones by parameter name ('MoClass.attribute' or the bare attribute), laid over the catalog's. */
  safeZones?: Record<string, SafeZone>
  /** Embedding dimension, default 128. */
  dim?: number
  /** Interactions an agent explores more and caps its confidence for; default 100. */
  coldStartThreshold?: number
  /** The agents' Q-tables (defaults for the swarm: alpha 0.2, gamma 0, epsilon 0.1, epsilonDecay 0.995, minEpsilon 0.02). */
  qlearning?: QLearningOptions
  /** A whole number in 0..2^32-1; default fixed, so swarms are deterministic. */
  seed?: number
  /** Recent queries kept for feedback (LRU); default 10 000. */
  queryCacheSize?: number
}
export interface QueryInput {
  text: string
  /** Your own model's vector (length dim): used for the semantic search in place of the built-in embedder's. */
  embedding?: Float32Array
  /** e.g. { session: 'a1', node: 'ERBS01', cell: 'EUtranCellFDD=LTE01' }: `session` groups follow-ups; `node` / `cell` become the commands' scope. */
  context?: Record<string, string>
}
export interface Command { command: string, purpose: string, risk: Risk }
export interface QueryResponse {
  queryId: string
  agentId: string
  fajCode: string
  featureName: string
  queryType: QueryType
  complexity: 'simple' | 'moderate' | 'complex'
  action: Action
  confidence: number
  status: AgentStatus
  /** Composed from the agent's own knowledge. */
  answer: string
  matches: { parameters: string[], counters: string[], kpis: string[] }
  /** ENM commands that read, activate or change what the answer is about. */
  commands: Command[]
  /** FAJ codes of the peers consulted (ConsultPeer). */
  consulted: string[]
  /** The routing shortlist. */
  candidates: { fajCode: string, name: string, score: number }[]
  latencyUs: number
}
export interface RouteHit { fajCode: string, agentId: string, name: string, score: number }
export interface AgentInfo {
  agentId: string
  fajCode: string
  name: string
  acronym?: string
  category: string
  status: AgentStatus
  confidence: number
  interactions: number
  successRate: number
  avgLatencyUs: number
  peakLatencyUs: number
  memoryBytes: number
}
export interface Validation { name: string, valid: boolean, /** false: no range known, type only */ known: boolean, reason?: string }
export interface PlannedChange {
  parameter: string
  from?: Scalar
  to: Scalar
  allowed: boolean
  risk: Risk
  reason: string
  /** cmedit set … */
  command: string
}
export interface ChangePlan {
  fajCode: string
  changes: PlannedChange[]
  /** Prerequisites to activate first, in activation order. */
  activateFirst: string[]
  /** Active features that conflict with this one. */
  conflicts: string[]
  /** The whole plan in order, ready to paste into ENM. */
  commands: string[]
  risk: Risk
}
export interface KpiValue {
  name: string
  /** null when a counter is missing or a denominator is 0 (see reason). */
  value: number | null
  breached: boolean
  reason?: string
  threshold?: number
  unit?: string
  formula: string
}
export interface SwarmStats {
  agents: number
  byStatus: Record<AgentStatus, number>
  queries: number
  feedback: number
  avgLatencyUs: number
  memoryBytes: number
  indexItems: number
}

export declare class Swarm {
  constructor(options?: SwarmOptions)
  /** Agents. */
  readonly size: number
  /** The built-in text embedder (deterministic, the same on every backend). */
  embed(text: string): Float32Array
  /** The k best features (default 5) for a question, or for a vector searched in the knowledge index. */
  route(query: string | Float32Array, k?: number): RouteHit[]
  /** FEATURE_NOT_FOUND when no feature matches (no word of any feature, only a faint likeness). */
  query(input: QueryInput | string): QueryResponse
  /** query without blocking the event loop: native answers on a libuv thread (WebAssembly in this thread). Same answers and errors. */
  queryAsync(input: QueryInput | string): Promise<QueryResponse>
  /** Trains the agent that answered; reward in -1..1 (INVALID_REWARD), once per query (UNKNOWN_QUERY after). */
  feedback(queryId: string, reward: number): void
  /** AGENT_NOT_FOUND. */
  agent(idOrFajCode: string): AgentInfo
  agents(): AgentInfo[]
  /** A new agent at run time, validated like the catalog. */
  addFeature(spec: FeatureSpec): AgentInfo
  removeFeature(fajCode: string): boolean
  validate(fajCode: string, values: Record<string, Scalar>): Validation[]
  plan(fajCode: string, changes: Record<string, Scalar>,
       options?: { current?: Record<string, Scalar>, scope?: string, activeFeatures?: string[] }): ChangePlan
  evaluateKpis(fajCode: string, counters: Record<string, number>): KpiValue[]
  /** Transitive prerequisites, in activation order. */
  dependencies(fajCode: string): string[]
  conflicts(fajCode: string): string[]
  /** Direct prerequisites, dependents and related features. */
  peers(fajCode: string): string[]
  /** The agent goes Offline. */
  shutdown(idOrFajCode: string): void
  /** Federated: every agent's Q-table merged with the same feature's in `other`. */
  merge(other: Swarm | Uint8Array): void
  /** What an agent has learned, per readable state ('parameter|simple|conf3|ctx:1f2e'). */
  learned(fajCode: string): { state: string, qValues: number[], visits: number[] }[]
  stats(): SwarmStats
  /** The whole learned state; with `{ key }` sealed with AES-256-GCM. */
  toBytes(options?: SealOptions): Uint8Array
  static fromBytes(bytes: Uint8Array, options?: SealOptions): Swarm
}

export interface ClusterOptions {
  /** The swarm whose learning this node shares. */
  swarm: Swarm
  /** This node's key; identity.agentId is its node id. */
  identity: Identity
  /** Node only: where peers connect (default 127.0.0.1, port 0 = any free). */
  listen?: { host?: string, port?: number }
  /** Addresses of nodes to join through, e.g. 'ws://127.0.0.1:7401'. */
  seeds?: string[]
  /** Public keys allowed in; frames signed by any other key are dropped. Without it, any signed frame is welcome. */
  trust?: Uint8Array[]
  /** Takes part in Raft; default true in Node, false in browsers (learners). */
  voter?: boolean
  /** Default 200. */
  gossipIntervalMs?: number
  /** Node: where the Raft log and hard state persist (atomic writes). A founder (no seeds) should have one. */
  dataDir?: string
  /** Scale-out: learned state through a NATS JetStream KV bucket too. */
  nats?: { servers: string | string[], bucket?: string }
}
export interface LogEntry { index: number, term: number, plan: ChangePlan, proposedBy: string, committedAt: number }
export interface ClusterMember { nodeId: string, address: string | null, state: 'alive' | 'suspect' | 'down', voter: boolean }
export interface ClusterStats {
  sent: number
  received: number
  bytesSent: number
  /** Frames with no way to their member (no connection, no address). */
  unreachable: number
  /** Dropped frames by reason: forged, replayed, tampered, oversized, untrusted, stale, malformed. */
  rejected: Record<string, number>
  leader: string | null
  term: number
  /** Anti-entropy answers absorbed. */
  rounds: number
  /** Learned-state slots held (all origins). */
  slots: number
  /** Raft state writes to dataDir that failed (the node then stops: propose rejects with INTERNAL). */
  persistFailures: number
}
export declare class Cluster {
  /** Joins through `seeds` (PEER_UNREACHABLE after 10 s) or, without seeds, founds a cluster. */
  static join(options: ClusterOptions): Promise<Cluster>
  readonly nodeId: string
  /** Where peers reach this node (null for a browser learner). */
  readonly address: string | null
  /** This node included. */
  members(): ClusterMember[]
  /** Resolves once a majority committed it; CONSENSUS_TIMEOUT otherwise (default 5000 ms). */
  propose(plan: ChangePlan | Record<string, unknown>, options?: { timeoutMs?: number }): Promise<LogEntry>
  /** The replicated, committed audit log, same order on every node. */
  log(): LogEntry[]
  /** One anti-entropy round with every alive peer now. */
  sync(): Promise<void>
  stats(): ClusterStats
  leave(): Promise<void>
}

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
  exists: typeof exists
  remove: typeof remove
  Swarm: typeof Swarm
  Cluster: typeof Cluster
  defaultCatalog: typeof defaultCatalog
  validateCatalog: typeof validateCatalog
}
export default elex
