// Every route of the HTTP API with good and bad input, in process (fastify's inject: no socket).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { elex, json, testApp } from './helpers.mjs'
import * as S from '../../js/server/schemas.mjs'
import { toErrorReply } from '../../js/server/errors.mjs'

const MSM = 'FAJ 121 3094'
const VARIANT = 'FAJ 121 3094/1'
const enc = encodeURIComponent

// The built-in catalog plus a '/1' variant of MIMO Sleep Mode that depends on it.
function catalogWithVariant() {
  const catalog = elex.defaultCatalog()
  const variant = structuredClone(catalog.find((f) => f.fajCode === MSM))
  Object.assign(variant, { fajCode: VARIANT, name: 'MIMO Sleep Mode variant', dependsOn: [MSM] })
  delete variant.acronym
  return [...catalog, variant]
}

let app, swarm
let learnedCalls = 0
const post = (url, payload, headers = {}) => app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...headers } })
const get = (url, headers) => app.inject({ method: 'GET', url, headers })
const expectError = (res, status, code) => {
  expect(res.statusCode).toBe(status)
  const body = json(res)
  expect(body.error.code).toBe(code)
  expect(typeof body.error.message).toBe('string')
  expect(body.error.message.length).toBeGreaterThan(0)
  return body.error.message
}

beforeAll(async () => {
  ;({ app, swarm } = await testApp({ catalog: catalogWithVariant(), onLearned: () => learnedCalls++ }))
})
afterAll(() => app?.close())

describe('GET /healthz', () => {
  it('reports the backend, version and agents', async () => {
    expect(json(await get('/healthz'))).toEqual({ ok: true, backend: elex.backend, version: elex.version(), agents: 594, cluster: null })
  })
})

describe('POST /api/query', () => {
  it('answers a question', async () => {
    const res = await post('/api/query', { text: 'How do I activate MIMO Sleep Mode?', context: { node: 'ERBS01' } })
    expect(res.statusCode).toBe(200)
    const r = json(res)
    expect(r.fajCode).toBe(MSM)
    expect(r.answer.length).toBeGreaterThan(0)
    expect(typeof r.queryId).toBe('string')
  })
  it('refuses malformed JSON, wrong types, missing and unknown fields with 400', async () => {
    expectError(await post('/api/query', '{"text":'), 400, 'INVALID_ARGUMENT')
    expect(expectError(await post('/api/query', { text: 5 }), 400, 'INVALID_ARGUMENT')).toMatch(/text/)
    expectError(await post('/api/query', { text: 'x', context: { node: 1 } }), 400, 'INVALID_ARGUMENT')
    expect(expectError(await post('/api/query', {}), 400, 'INVALID_ARGUMENT')).toMatch(/text/)
    expectError(await post('/api/query', { text: 'x', extra: 1 }), 400, 'INVALID_ARGUMENT')
    expectError(await post('/api/query', { text: '' }), 400, 'INVALID_ARGUMENT')
    expectError(await post('/api/query', [1, 2]), 400, 'INVALID_ARGUMENT')
    expectError(await post('/api/query', 'null'), 400, 'INVALID_ARGUMENT')
    expectError(await post('/api/query', '{"__proto__":{"x":1},"text":"a"}'), 400, 'INVALID_ARGUMENT')
  })
  it('refuses a 20 MB body with 413', async () => {
    expectError(await post('/api/query', JSON.stringify({ text: 'a'.repeat(20 * 1024 * 1024) })), 413, 'INVALID_ARGUMENT')
  })
  it('refuses a body that is not JSON', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/query', payload: 'hello', headers: { 'content-type': 'application/xml' } })
    expect(res.statusCode).toBeGreaterThanOrEqual(400)
    expect(res.statusCode).toBeLessThan(500)
    expect(json(res).error.code).toBe('INVALID_ARGUMENT')
  })
})

describe('POST /api/feedback', () => {
  it('trains the agent that answered, once per query', async () => {
    const { queryId, fajCode } = json(await post('/api/query', { text: 'what does pmAnrNeighbrelAdd count?' }))
    const before = swarm.stats().feedback
    const calls = learnedCalls
    const res = await post('/api/feedback', { queryId, reward: 1 })
    expect(json(res)).toEqual({ ok: true })
    expect(swarm.stats().feedback).toBe(before + 1)
    expect(learnedCalls).toBe(calls + 1) // a save is scheduled
    expect(swarm.learned(fajCode).some((s) => s.visits.some((v) => v > 0))).toBe(true)
    expectError(await post('/api/feedback', { queryId, reward: 1 }), 404, 'UNKNOWN_QUERY')
  })
  it('maps bad input to 4xx and leaves the swarm unchanged', async () => {
    const { queryId } = json(await post('/api/query', { text: 'UL CoMP gains are low' }))
    const before = swarm.stats().feedback
    expectError(await post('/api/feedback', { queryId: 'q-nope', reward: 1 }), 404, 'UNKNOWN_QUERY')
    expectError(await post('/api/feedback', { queryId, reward: 5 }), 400, 'INVALID_REWARD')
    expectError(await post('/api/feedback', { queryId, reward: '1' }), 400, 'INVALID_ARGUMENT') // no coercion
    expectError(await post('/api/feedback', { queryId }), 400, 'INVALID_ARGUMENT')
    expectError(await post('/api/feedback', '{"queryId":"x","reward":1,}'), 400, 'INVALID_ARGUMENT')
    expect(swarm.stats().feedback).toBe(before)
    expect(json(await post('/api/feedback', { queryId, reward: -1 }))).toEqual({ ok: true }) // still rateable
  })
})

describe('agents', () => {
  it('lists every agent and finds one by FAJ code (URL-encoded) or by id', async () => {
    expect(json(await get('/api/agents'))).toHaveLength(594)
    expect(json(await get(`/api/agents/${enc(MSM)}`)).agentId).toBe('faj-121-3094')
    expect(json(await get('/api/agents/faj-121-3094')).fajCode).toBe(MSM)
    // A '/n' variant: its FAJ code with the slash encoded, or its agent id.
    expect(json(await get(`/api/agents/${enc(VARIANT)}`)).fajCode).toBe(VARIANT)
    expect(json(await get('/api/agents/faj-121-3094-r1')).fajCode).toBe(VARIANT)
  })
  it('404s an unknown agent', async () => {
    expectError(await get('/api/agents/nope'), 404, 'AGENT_NOT_FOUND')
    expectError(await get(`/api/agents/${enc('FAJ 999 9999')}`), 404, 'AGENT_NOT_FOUND')
  })
  it('refuses malformed and over-long path parameters with the error shape', async () => {
    expectError(await get(`/api/agents/${'x'.repeat(300)}`), 414, 'INVALID_ARGUMENT')
    expectError(await get('/api/agents/%E0%A4%A'), 400, 'INVALID_ARGUMENT')
    expectError(await get('/api/features/%ZZ/dependencies'), 400, 'INVALID_ARGUMENT')
  })
})

describe('POST /api/validate, /api/plan, /api/kpis', () => {
  const a3 = 'ReportConfigEUtraBestCell.a3offset'
  it('validate: good input', async () => {
    expect(json(await post('/api/validate', { fajCode: 'FAJ 121 0489', values: { [a3]: 60 } }))).toEqual(swarm.validate('FAJ 121 0489', { [a3]: 60 }))
  })
  it('validate: bad input', async () => {
    expectError(await post('/api/validate', { fajCode: 'FAJ 999 9999', values: {} }), 404, 'FEATURE_NOT_FOUND')
    expectError(await post('/api/validate', { fajCode: 'garbage', values: {} }), 400, 'INVALID_FAJ_CODE')
    expectError(await post('/api/validate', { fajCode: 'FAJ 121 0489', values: { [a3]: { x: 1 } } }), 400, 'INVALID_ARGUMENT')
    expectError(await post('/api/validate', { fajCode: 'FAJ 121 0489' }), 400, 'INVALID_ARGUMENT')
  })
  it('plan: good input, with options', async () => {
    const plan = json(await post('/api/plan', { fajCode: 'FAJ 121 0489', changes: { [a3]: 60 }, current: { [a3]: 30 }, scope: 'ERBS01', activeFeatures: [] }))
    expect(plan.changes[0]).toMatchObject({ parameter: a3, from: 30, to: 60, allowed: true })
    expect(plan.commands).toEqual(['cmedit set ERBS01 ReportConfigEUtraBestCell a3offset=60'])
  })
  it('plan: bad input', async () => {
    expectError(await post('/api/plan', { fajCode: 'FAJ 121 0489' }), 400, 'INVALID_ARGUMENT')
    expectError(await post('/api/plan', { fajCode: 'FAJ 121 0489', changes: {}, activeFeatures: 'FAJ 121 3094' }), 400, 'INVALID_ARGUMENT')
    expectError(await post('/api/plan', { fajCode: 'FAJ 999 9999', changes: { [a3]: 1 } }), 404, 'FEATURE_NOT_FOUND')
    expectError(await post('/api/plan', { fajCode: 'FAJ 121 0489', changes: { [a3]: [1] } }), 400, 'INVALID_ARGUMENT')
  })
  it('kpis: good input', async () => {
    const counters = { pmHoPrepSucc: 970, pmHoPrepAtt: 1000, pmHoExeSucc: 955, pmHoExeAtt: 970 }
    const kpis = json(await post('/api/kpis', { fajCode: 'FAJ 121 0497', counters }))
    expect(kpis).toEqual(swarm.evaluateKpis('FAJ 121 0497', counters))
    expect(kpis[0].value).toBe(97)
  })
  it('kpis: bad input', async () => {
    expectError(await post('/api/kpis', { fajCode: 'FAJ 121 0497', counters: { pmHoPrepSucc: '970' } }), 400, 'INVALID_ARGUMENT')
    expectError(await post('/api/kpis', { fajCode: 'FAJ 999 9999', counters: {} }), 404, 'FEATURE_NOT_FOUND')
    expectError(await post('/api/kpis', { counters: {} }), 400, 'INVALID_ARGUMENT')
  })
})

describe('features', () => {
  it('a feature with its spec, dependencies, conflicts and peers', async () => {
    const r = json(await get(`/api/features/${enc(VARIANT)}`))
    expect(r.feature.fajCode).toBe(VARIANT)
    expect(r.dependencies).toEqual([MSM])
    expect(r.peers).toEqual(swarm.peers(VARIANT))
    expect(r.conflicts).toEqual(swarm.conflicts(VARIANT))
  })
  it('dependencies, URL-encoded', async () => {
    expect(json(await get(`/api/features/${enc(VARIANT)}/dependencies`))).toEqual([MSM])
    expect(json(await get(`/api/features/${enc('FAJ 121 0705')}/dependencies`))).toEqual(swarm.dependencies('FAJ 121 0705'))
  })
  it('404s an unknown feature, 400s a malformed code', async () => {
    expectError(await get(`/api/features/${enc('FAJ 999 9999')}`), 404, 'FEATURE_NOT_FOUND')
    expectError(await get(`/api/features/${enc('FAJ 999 9999')}/dependencies`), 404, 'FEATURE_NOT_FOUND')
    expectError(await get('/api/features/garbage/dependencies'), 400, 'INVALID_FAJ_CODE')
  })
})

describe('stats, metrics, state, merge', () => {
  it('stats is the swarm\'s', async () => {
    expect(json(await get('/api/stats'))).toEqual(swarm.stats())
  })
  it('metrics: the queries\' latencies and the feedback with what it rated', async () => {
    const q = json(await post('/api/query', { text: 'is IFLB worth switching on here?' }))
    await post('/api/feedback', { queryId: q.queryId, reward: 0.5 })
    const m = json(await get('/api/metrics'))
    expect(m.latencyUs.at(-1)).toBe(q.latencyUs)
    expect(m.feedback.at(-1)).toMatchObject({ reward: 0.5, action: q.action, queryType: q.queryType, fajCode: q.fajCode })
    expect(typeof m.feedback.at(-1).t).toBe('number')
  })
  it('state is the snapshot, and merging it into another swarm carries the learning', async () => {
    const res = await get('/api/state')
    expect(res.headers['content-type']).toBe('application/octet-stream')
    const restored = elex.Swarm.fromBytes(new Uint8Array(res.rawPayload))
    expect(restored.stats().feedback).toBe(swarm.stats().feedback)

    const other = await testApp({ catalog: catalogWithVariant() })
    try {
      const merged = await other.app.inject({ method: 'POST', url: '/api/merge', payload: res.rawPayload, headers: { 'content-type': 'application/octet-stream' } })
      expect(json(merged)).toEqual({ ok: true })
      expect(other.swarm.learned(MSM)).toEqual(swarm.learned(MSM))
    } finally {
      await other.app.close()
    }
  })
  it('merge refuses garbage, and JSON, and leaves the state unchanged', async () => {
    const before = swarm.learned(MSM)
    const garbage = Buffer.from(new Uint8Array(4096).fill(7))
    expectError(await app.inject({ method: 'POST', url: '/api/merge', payload: garbage, headers: { 'content-type': 'application/octet-stream' } }), 400, 'CORRUPT_DATA')
    expectError(await post('/api/merge', { bytes: [1, 2] }), 400, 'INVALID_ARGUMENT')
    expect(swarm.learned(MSM)).toEqual(before)
  })
  it('merge takes snapshots up to 64 MB, and refuses more with 413', async () => {
    const huge = Buffer.alloc(65 * 1024 * 1024)
    expectError(await app.inject({ method: 'POST', url: '/api/merge', payload: huge, headers: { 'content-type': 'application/octet-stream' } }), 413, 'INVALID_ARGUMENT')
    const big = Buffer.alloc(2 * 1024 * 1024, 1) // above the JSON limit, under the snapshot one: reaches the engine
    expectError(await app.inject({ method: 'POST', url: '/api/merge', payload: big, headers: { 'content-type': 'application/octet-stream' } }), 400, 'CORRUPT_DATA')
  })
})

describe('unknown routes and error mapping', () => {
  it('404s an unknown route with the error shape', async () => {
    expectError(await get('/api/nope'), 404, 'INVALID_ARGUMENT')
    expectError(await app.inject({ method: 'DELETE', url: '/api/agents' }), 404, 'INVALID_ARGUMENT')
  })
  it('maps engine codes to statuses', () => {
    expect(toErrorReply(Object.assign(new Error('x'), { code: 'AGENT_NOT_FOUND' }), elex.ERROR_CODES).status).toBe(404)
    expect(toErrorReply(Object.assign(new Error('x'), { code: 'INVALID_VECTOR' }), elex.ERROR_CODES).status).toBe(400)
    expect(toErrorReply(Object.assign(new Error('x'), { code: 'INTERNAL' }), elex.ERROR_CODES).status).toBe(500)
    expect(toErrorReply(Object.assign(new Error('no such file'), { code: 'ENOENT' }), elex.ERROR_CODES).status).toBe(500)
    expect(toErrorReply(new Error('a bug of ours'), elex.ERROR_CODES)).toEqual({ status: 500, code: 'INTERNAL', message: 'a bug of ours' })
  })
})

describe('GET /api/openapi.json', () => {
  it('documents every route with the schemas fastify validates with', async () => {
    const doc = json(await get('/api/openapi.json'))
    expect(doc.openapi).toBe('3.1.0')
    const expected = {
      '/healthz': ['get'], '/api/query': ['post'], '/api/feedback': ['post'], '/api/agents': ['get'],
      '/api/agents/{idOrFajCode}': ['get'], '/api/validate': ['post'], '/api/plan': ['post'], '/api/kpis': ['post'],
      '/api/features/{fajCode}': ['get'], '/api/features/{fajCode}/dependencies': ['get'], '/api/stats': ['get'],
      '/api/metrics': ['get'], '/api/state': ['get'], '/api/merge': ['post'],
      '/api/cluster': ['get'], '/api/cluster/propose': ['post'],
    }
    for (const [path, methods] of Object.entries(expected)) expect(Object.keys(doc.paths[path] ?? {}), path).toEqual(methods)
    const body = (path) => doc.paths[path].post.requestBody.content['application/json'].schema
    expect(body('/api/query')).toEqual(S.queryBody)
    expect(body('/api/feedback')).toEqual(S.feedbackBody)
    expect(body('/api/plan')).toEqual(S.planBody)
    expect(body('/api/kpis')).toEqual(S.kpisBody)
    expect(doc.paths['/api/merge'].post.requestBody.content['application/octet-stream']).toBeTruthy()
    expect(doc.paths['/api/agents/{idOrFajCode}'].get.parameters[0].name).toBe('idOrFajCode')
  })
})

describe('static files', () => {
  it('serves the browser build under /pkg with the right types', async () => {
    const types = {
      '/pkg/browser.mjs': /javascript/, '/pkg/js/api.mjs': /javascript/, '/pkg/js/swarm.mjs': /javascript/,
      '/pkg/wasm/web/elex_wasm_bg.wasm': /^application\/wasm/, '/pkg/wasm/web/elex_wasm.js': /javascript/,
      '/pkg/data/catalog.json': /^application\/json/,
    }
    for (const [url, type] of Object.entries(types)) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['content-type'], url).toMatch(type)
    }
  })
  it('serves the console page at / and its files under /console/', async () => {
    const page = await get('/')
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    const css = await get('/console/style.css')
    expect(css.statusCode).toBe(200)
    expect(css.headers['content-type']).toMatch(/^text\/css/)
    expect((await get('/console/app.mjs')).headers['content-type']).toMatch(/javascript/)
    expectError(await get('/console/no-such-file.js'), 404, 'INVALID_ARGUMENT')
  })
  it('nothing else of the package is reachable', async () => {
    for (const url of ['/pkg/../package.json', '/pkg/package.json', '/pkg/index.js', '/pkg/scripts/setup.sh', '/pkg/js/wasm-node.cjs',
      '/pkg/js/..%2fpackage.json', '/pkg/js/%2e%2e%2fpackage.json', '/pkg/wasm/node/elex_wasm_bg.wasm', '/pkg/wasm/web/..%2f..%2fpackage.json',
      '/pkg/data/sources', '/pkg/bin/elex.mjs', '/console/../package.json', '/console/..%2fpackage.json', '/package.json']) {
      const res = await get(url)
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400)
      expect(res.statusCode, url).toBeLessThan(500)
      expect(res.body, url).not.toMatch(/"devDependencies"/)
    }
    expect((await get('/pkg/../package.json')).statusCode).toBe(404)
    expect((await get('/pkg/scripts/setup.sh')).statusCode).toBe(404)
  })
})

describe('token', () => {
  let secured
  beforeAll(async () => {
    ;({ app: secured } = await testApp({ token: 's3cret-token' }))
  })
  afterAll(() => secured?.close())

  it('every /api route needs the bearer token: 401 INVALID_KEY without it or with a wrong one', async () => {
    for (const [method, url] of [['GET', '/api/stats'], ['GET', '/api/agents'], ['POST', '/api/query'], ['GET', '/api/state'], ['GET', '/api/openapi.json'], ['GET', '/api/nope']]) {
      for (const authorization of [undefined, 'Bearer wrong', 'Bearer s3cret-token-and-more', 's3cret-token', 'Basic s3cret-token']) {
        const res = await secured.inject({ method, url, headers: authorization ? { authorization } : {}, payload: method === 'POST' ? { text: 'x' } : undefined })
        expect(res.statusCode, `${method} ${url} ${authorization}`).toBe(401)
        expect(json(res).error.code).toBe('INVALID_KEY')
      }
    }
  })
  it('the right token passes; /healthz and the page stay open', async () => {
    const auth = { authorization: 'Bearer s3cret-token' }
    expect((await secured.inject({ method: 'GET', url: '/api/stats', headers: auth })).statusCode).toBe(200)
    expect((await secured.inject({ method: 'POST', url: '/api/query', headers: auth, payload: { text: 'MIMO sleep' } })).statusCode).toBe(200)
    expect((await secured.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200)
    expect((await secured.inject({ method: 'GET', url: '/pkg/browser.mjs' })).statusCode).toBe(200)
  })
})
