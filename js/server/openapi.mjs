// /api/openapi.json: an OpenAPI 3.1 document generated from the route table, so the schemas
// fastify validates with are the ones documented (3.1 takes JSON Schema as it is).
import { errorBody } from './schemas.mjs'

const errorResponse = (description) => ({ description, content: { 'application/json': { schema: errorBody } } })

function operation(route, authRequired) {
  const op = { summary: route.summary, operationId: `${route.method.toLowerCase()}${route.url.replace(/[^a-zA-Z]+(.)?/g, (_, c) => (c ? c.toUpperCase() : ''))}` }
  const params = route.params?.properties ?? {}
  if (Object.keys(params).length) {
    op.parameters = Object.entries(params).map(([name, schema]) => ({
      name, in: 'path', required: true, schema, description: `${schema.description ?? ''} (URL-encoded: 'FAJ%20121%203094', 'FAJ%20121%203094%2F1')`.trim(),
    }))
  }
  if (route.body) {
    const type = route.consumes ?? 'application/json'
    op.requestBody = { required: true, content: { [type]: { schema: route.body } } }
  }
  op.responses = {
    200: { description: 'OK', content: { [route.produces ?? 'application/json']: { schema: route.response ?? {} } } },
    400: errorResponse('Bad input: malformed JSON, a wrong type, a missing field, or an engine error naming the bad value'),
  }
  if (route.params) op.responses[404] = errorResponse('Unknown agent, feature or query')
  if (route.body) op.responses[413] = errorResponse('Body too large')
  if (authRequired) {
    op.security = [{ bearer: [] }]
    op.responses[401] = errorResponse('Missing or wrong token (only when the server has one)')
  }
  return op
}

/** routes: the apiRoutes() table; requiresAuth(url): whether the route is behind the token. */
export function openApiDocument(routes, { version, requiresAuth }) {
  const paths = {}
  for (const route of routes) {
    const path = route.url.replace(/:(\w+)/g, '{$1}')
    paths[path] ??= {}
    paths[path][route.method.toLowerCase()] = operation(route, requiresAuth(route.url))
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'elex console API',
      version,
      description: 'A swarm of self-learning agents, one per Ericsson RAN feature. Errors are { error: { code, message } }; bad input is never a 500.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Required when the server was started with --token / ELEX_TOKEN' } } },
    paths,
  }
}
