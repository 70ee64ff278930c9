// The HTTP API (API.md "The console"): one table of routes, each a thin call into the Swarm.
// app.mjs registers them with fastify; openapi.mjs documents them from the same entries.
import * as S from './schemas.mjs'
import { httpError } from './errors.mjs'
import { QUERY_JSON } from '../swarm.mjs'

/**
 * ctx: { swarm, features (Map fajCode -> FeatureSpec of the catalog in use), metrics,
 *        learned() (called after anything that changes learned state: schedules a save),
 *        info: { backend, version }, cluster (a Cluster, or null without --cluster-port) }
 */
export function apiRoutes(ctx) {
  const { swarm, metrics } = ctx
  const cluster = () => {
    if (!ctx.cluster) throw httpError(404, 'INVALID_ARGUMENT', 'this server is not in a cluster (start it with --cluster-port)')
    return ctx.cluster
  }
  return [
    {
      method: 'GET', url: '/healthz', summary: 'Liveness: the backend, the version, the number of agents, the cluster node (or null)', auth: false,
      response: S.healthResponse,
      handler: () => ({ ok: true, backend: ctx.info.backend, version: ctx.info.version, agents: swarm.size, cluster: ctx.cluster?.nodeId ?? null }),
    },
    {
      method: 'POST', url: '/api/query', summary: 'Ask the swarm: routed to one feature agent, which answers', body: S.queryBody,
      response: S.queryResponse,
      // Answered off the JS thread (static files, health checks and the cluster's frames
      // keep flowing meanwhile); the answer's JSON goes out as the engine wrote it.
      handler: async (req, reply) => {
        const { json, summary } = await swarm[QUERY_JSON](req.body)
        metrics.query(summary)
        return reply.type('application/json; charset=utf-8').send(json)
      },
    },
    {
      method: 'POST', url: '/api/feedback', summary: 'Rate an answer (-1..1): trains the agent that gave it', body: S.feedbackBody,
      response: S.okResponse,
      handler: (req) => {
        swarm.feedback(req.body.queryId, req.body.reward)
        metrics.feedback(req.body.queryId, req.body.reward)
        ctx.learned()
        return { ok: true }
      },
    },
    {
      method: 'GET', url: '/api/agents', summary: 'Every agent', response: { type: 'array', items: S.agentInfo },
      handler: () => swarm.agents(),
    },
    {
      method: 'GET', url: '/api/agents/:idOrFajCode', summary: 'One agent, by id or FAJ code (URL-encoded)', params: S.agentParams,
      response: S.agentInfo,
      handler: (req) => swarm.agent(req.params.idOrFajCode),
    },
    {
      method: 'POST', url: '/api/validate', summary: "Proposed parameter values against the feature's ranges", body: S.validateBody,
      response: S.validateResponse,
      handler: (req) => swarm.validate(req.body.fajCode, req.body.values),
    },
    {
      method: 'POST', url: '/api/plan', summary: 'A change plan: checked values, prerequisites, conflicts and ENM commands', body: S.planBody,
      response: S.planResponse,
      handler: (req) => {
        const { fajCode, changes, ...options } = req.body
        return swarm.plan(fajCode, changes, Object.keys(options).length ? options : undefined)
      },
    },
    {
      method: 'POST', url: '/api/kpis', summary: "The feature's KPIs computed from counter values", body: S.kpisBody,
      response: S.kpisResponse,
      handler: (req) => swarm.evaluateKpis(req.body.fajCode, req.body.counters),
    },
    {
      method: 'GET', url: '/api/features/:fajCode', summary: 'A feature of the catalog in use, with its dependencies, conflicts and peers',
      params: S.fajParams, response: S.featureResponse,
      handler: (req) => {
        const { fajCode } = req.params
        // The engine decides whether the code is valid and known; the spec comes from the catalog.
        const dependencies = swarm.dependencies(fajCode)
        const feature = ctx.features.get(fajCode)
        if (!feature) throw httpError(404, 'FEATURE_NOT_FOUND', `feature not found: no feature ${fajCode} in this catalog`)
        return { feature, dependencies, conflicts: swarm.conflicts(fajCode), peers: swarm.peers(fajCode) }
      },
    },
    {
      method: 'GET', url: '/api/features/:fajCode/dependencies', summary: 'Transitive prerequisites, in activation order',
      params: S.fajParams, response: { type: 'array', items: { type: 'string' } },
      handler: (req) => swarm.dependencies(req.params.fajCode),
    },
    {
      method: 'GET', url: '/api/stats', summary: 'Swarm totals', response: S.statsResponse,
      handler: () => swarm.stats(),
    },
    {
      method: 'GET', url: '/api/metrics', summary: 'The last 2000 feedback events and query latencies (for charts)',
      response: S.metricsResponse,
      handler: () => metrics.snapshot(),
    },
    {
      method: 'GET', url: '/api/cluster', summary: 'This node of the cluster: its members, the replicated log of plans, counters',
      response: S.clusterResponse,
      handler: () => {
        const c = cluster()
        return { nodeId: c.nodeId, address: c.address, members: c.members(), log: c.log(), stats: c.stats() }
      },
    },
    {
      method: 'POST', url: '/api/cluster/propose', summary: 'Record a change plan in the replicated log: answers once a majority committed it (503 CONSENSUS_TIMEOUT otherwise)',
      body: S.proposeBody, response: S.logEntry,
      handler: (req) => cluster().propose(req.body.plan, { timeoutMs: req.body.timeoutMs ?? 5_000 }),
    },
    {
      method: 'GET', url: '/api/state', summary: 'The learned state: the swarm snapshot (Swarm.toBytes())',
      produces: 'application/octet-stream', response: S.binary,
      handler: (req, reply) => {
        reply.type('application/octet-stream')
        return Buffer.from(swarm.toBytes())
      },
    },
    {
      method: 'POST', url: '/api/merge', summary: "Merge another swarm's snapshot: every agent's Q-table, visit-weighted",
      consumes: 'application/octet-stream', body: S.binary, response: S.okResponse,
      handler: (req) => {
        if (!Buffer.isBuffer(req.body)) throw httpError(400, 'INVALID_ARGUMENT', 'the body must be a swarm snapshot (Content-Type: application/octet-stream)')
        swarm.merge(new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength))
        ctx.learned()
        return { ok: true }
      },
    },
  ]
}
