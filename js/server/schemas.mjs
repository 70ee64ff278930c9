// JSON schemas of the HTTP API: fastify validates every request body and path parameter with
// them, and /api/openapi.json is generated from the same objects (js/server/openapi.mjs).
// Response schemas document the engine's shapes (index.d.ts); they are not used to serialize,
// so what the engine returns reaches the caller unchanged.

const str = { type: 'string' }
const num = { type: 'number' }
const int = { type: 'integer' }
const scalar = { type: ['number', 'string', 'boolean'] }
const strings = { type: 'array', items: str }
const fajCode = { type: 'string', minLength: 1, maxLength: 64, description: "A FAJ code, e.g. 'FAJ 121 3094' or 'FAJ 121 3094/1'" }
const record = (values, description) => ({ type: 'object', additionalProperties: values, description })
const obj = (properties, required = [], extra = {}) => ({ type: 'object', properties, required, additionalProperties: false, ...extra })
const loose = (properties, required = []) => ({ type: 'object', properties, required })

export const risk = { type: 'string', enum: ['LOW', 'MEDIUM', 'HIGH'] }

export const errorBody = obj({
  error: obj({ code: { type: 'string', description: 'One of the engine\'s error codes (API.md "Error codes")' }, message: str }, ['code', 'message']),
}, ['error'])

export const queryBody = obj({
  text: { type: 'string', minLength: 1, maxLength: 10_000 },
  context: record({ type: 'string' }, "e.g. { session: 'a1', node: 'ERBS01' }: session groups follow-ups; node/cell scope the commands"),
}, ['text'])

export const feedbackBody = obj({
  queryId: { type: 'string', minLength: 1, maxLength: 256 },
  reward: { type: 'number', description: '-1..1 (the engine rejects anything else with INVALID_REWARD)' },
}, ['queryId', 'reward'])

export const validateBody = obj({ fajCode, values: record(scalar, 'parameter name -> proposed value') }, ['fajCode', 'values'])

export const planBody = obj({
  fajCode,
  changes: record(scalar, 'parameter name -> new value'),
  current: record(scalar, 'parameter name -> current value'),
  scope: { type: 'string', maxLength: 1024, description: "MO scope, e.g. 'ERBS01'" },
  activeFeatures: { type: 'array', items: fajCode, maxItems: 10_000 },
}, ['fajCode', 'changes'])

export const kpisBody = obj({ fajCode, counters: record(num, 'counter name -> value') }, ['fajCode', 'counters'])

export const fajParams = obj({ fajCode }, ['fajCode'])
export const agentParams = obj({ idOrFajCode: { type: 'string', minLength: 1, maxLength: 128, description: "An agent id ('faj-121-3094') or a FAJ code" } }, ['idOrFajCode'])

export const agentInfo = loose({
  agentId: str, fajCode: str, name: str, acronym: str, category: str, status: str,
  confidence: num, interactions: int, successRate: num, avgLatencyUs: num, peakLatencyUs: num, memoryBytes: int,
}, ['agentId', 'fajCode', 'name', 'status'])

const command = loose({ command: str, purpose: str, risk })
export const queryResponse = loose({
  queryId: str, agentId: str, fajCode: str, featureName: str, queryType: str, complexity: str, action: str,
  confidence: num, status: str, answer: str,
  matches: loose({ parameters: strings, counters: strings, kpis: strings }),
  commands: { type: 'array', items: command },
  consulted: strings,
  candidates: { type: 'array', items: loose({ fajCode: str, name: str, score: num }) },
  latencyUs: num,
}, ['queryId', 'fajCode', 'action', 'answer'])

export const okResponse = obj({ ok: { type: 'boolean', const: true } }, ['ok'])
export const healthResponse = loose({ ok: { type: 'boolean' }, backend: str, version: str, agents: int, cluster: { type: ['string', 'null'], description: "this node's id when the server is in a cluster" } })
export const validateResponse = { type: 'array', items: loose({ name: str, valid: { type: 'boolean' }, known: { type: 'boolean' }, reason: str }) }
export const kpisResponse = { type: 'array', items: loose({ name: str, value: { type: ['number', 'null'] }, breached: { type: 'boolean' }, reason: str }) }
export const planResponse = loose({
  fajCode: str,
  changes: { type: 'array', items: loose({ parameter: str, from: scalar, to: scalar, allowed: { type: 'boolean' }, risk, reason: str, command: str }) },
  activateFirst: strings, conflicts: strings, commands: strings, risk,
})
export const statsResponse = loose({
  agents: int, byStatus: record(int), queries: int, feedback: int, avgLatencyUs: num, memoryBytes: int, indexItems: int,
})
export const featureResponse = loose({
  feature: loose({ fajCode: str, name: str, category: str }, ['fajCode', 'name']),
  dependencies: strings, conflicts: strings, peers: strings,
}, ['feature', 'dependencies', 'conflicts', 'peers'])
export const metricsResponse = loose({
  feedback: { type: 'array', items: loose({ t: { type: 'number', description: 'ms since the epoch' }, reward: num, action: str, queryType: str, fajCode: str }) },
  latencyUs: { type: 'array', items: num, description: 'the last 2000 /api/query latencies measured by the engine (µs)' },
})
export const binary = { type: 'string', format: 'binary' }

export const clusterResponse = loose({
  nodeId: str,
  address: { type: ['string', 'null'] },
  members: { type: 'array', items: loose({ nodeId: str, address: { type: ['string', 'null'] }, state: { type: 'string', enum: ['alive', 'suspect', 'down'] }, voter: { type: 'boolean' } }) },
  log: { type: 'array', items: loose({ index: int, term: int, plan: { type: 'object' }, proposedBy: str, committedAt: num }) },
  stats: { type: 'object' },
}, ['nodeId', 'members', 'log', 'stats'])

export const proposeBody = obj({
  plan: { type: 'object', description: 'A ChangePlan (what POST /api/plan returns), or any JSON object to record' },
  timeoutMs: { type: 'integer', minimum: 1, maximum: 60_000 },
}, ['plan'])

export const logEntry = loose({ index: int, term: int, plan: { type: 'object' }, proposedBy: str, committedAt: num }, ['index', 'term', 'plan', 'proposedBy'])
