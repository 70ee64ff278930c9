// The console's HTTP server: fastify with the API routes (routes.mjs), schema validation of
// every body, the contract's error shape for every failure, an optional bearer token on /api/*,
// the OpenAPI document and the static files. No I/O here beyond serving: serve.mjs listens.
import { createHash, timingSafeEqual } from 'node:crypto'
import Fastify from 'fastify'
import { apiRoutes } from './routes.mjs'
import { openApiDocument } from './openapi.mjs'
import { registerStatic } from './static.mjs'
import { toErrorReply } from './errors.mjs'
import { createMetrics } from './metrics.mjs'

export const JSON_BODY_LIMIT = 1024 * 1024          // requests are small; anything bigger is a mistake or an attack
export const SNAPSHOT_BODY_LIMIT = 64 * 1024 * 1024 // POST /api/merge: a whole swarm snapshot (~1 MB for the built-in catalog)

// The token guards the API. /healthz (for probes) and the static page stay open: the page
// itself holds no data, and it sends the token with its own API calls.
const requiresAuth = (url) => url.startsWith('/api/')

// Tokens are compared as SHA-256 digests: equal lengths, so timingSafeEqual never throws and
// the comparison time does not depend on where the tokens differ (nor leak the length).
const digest = (s) => createHash('sha256').update(s, 'utf8').digest()
function tokenCheck(token) {
  const expected = digest(token)
  return (header) => {
    const match = typeof header === 'string' && /^Bearer (.+)$/.exec(header)
    return Boolean(match) && timingSafeEqual(digest(match[1]), expected)
  }
}

/**
 * options: { elex (the package API), swarm, features (FeatureSpec[] of the catalog in use),
 *            token?, packageRoot, onLearned? (called after feedback and merge), logger?,
 *            cluster? (a Cluster this node is in: GET /api/cluster, POST /api/cluster/propose) }
 */
export async function buildApp({ elex, swarm, features, token, packageRoot, onLearned = () => {}, logger = false, cluster = null }) {
  const errorReply = (error) => toErrorReply(error, elex.ERROR_CODES)
  const app = Fastify({
    logger,
    bodyLimit: JSON_BODY_LIMIT,
    requestTimeout: 60_000, // a client that never finishes its request does not hold a socket forever
    routerOptions: { maxParamLength: 256 },
    // Validate, never repair: a wrong type is a 400, not silently coerced; unknown fields are refused.
    // The router's own refusals (a malformed %-escape, an over-long path parameter) get the
    // contract's error shape too.
    frameworkErrors: (error, req, reply) => {
      const { status, code, message } = errorReply(error)
      reply.code(status).send({ error: { code, message } })
    },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false, allowUnionTypes: true } },
  })

  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: SNAPSHOT_BODY_LIMIT }, (req, body, done) => done(null, body))

  app.setErrorHandler((error, req, reply) => {
    const { status, code, message } = errorReply(error)
    if (status >= 500) req.log.error(error)
    reply.code(status).type('application/json').send({ error: { code, message } })
  })
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: { code: 'INVALID_ARGUMENT', message: `no such route: ${req.method} ${req.url.split('?')[0]}` } })
  })

  if (token) {
    const valid = tokenCheck(token)
    app.addHook('onRequest', async (req, reply) => {
      if (!requiresAuth(req.url) || valid(req.headers.authorization)) return
      // 401 with INVALID_KEY: the contract has no "unauthorized" code, and the token is the
      // key to the API; INVALID_ARGUMENT would read as "fix your request body".
      const message = req.headers.authorization ? 'invalid key: wrong API token' : 'invalid key: this server needs "Authorization: Bearer <token>"'
      reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: { code: 'INVALID_KEY', message } })
      return reply
    })
  }

  const metrics = createMetrics()
  const ctx = {
    swarm, metrics, learned: onLearned,
    features: new Map(features.map((f) => [f.fajCode, f])),
    info: { backend: elex.backend, version: elex.version() },
    cluster,
  }
  const routes = apiRoutes(ctx)
  for (const route of routes) {
    const schema = {}
    if (route.params) schema.params = route.params
    if (route.body && !route.consumes) schema.body = route.body
    app.route({ method: route.method, url: route.url, schema, handler: route.handler })
  }

  const openapi = openApiDocument(routes, { version: ctx.info.version, requiresAuth })
  openapi.paths['/api/openapi.json'] = { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } }
  app.get('/api/openapi.json', () => openapi)

  await registerStatic(app, packageRoot)
  return app
}
