// `elex serve` as a process: the URL line, real sockets (a 20 MB body, the token off loopback),
// learned state saved after feedback and on SIGTERM, sealed with a key file, and surviving SIGKILL.
import { request } from 'node:http'
import { writeFileSync, readdirSync } from 'node:fs'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { elex, killAll, serve, tempDir } from './helpers.mjs'

const temps = []
const temp = () => { const t = tempDir(); temps.push(t); return t }
afterEach(killAll)
afterAll(() => temps.forEach((t) => t.remove()))

const api = async (url, path, body, headers = {}) => {
  const res = await fetch(new URL(path, url), body === undefined ? { headers } : {
    method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers },
  })
  return { status: res.status, body: await res.json() }
}
const askAndRate = async (url, text, reward = 1) => {
  const { body: q } = await api(url, '/api/query', { text })
  const { status } = await api(url, '/api/feedback', { queryId: q.queryId, reward })
  expect(status).toBe(200)
}
const until = async (check, what, timeoutMs = 20_000) => {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    if (await check()) return
  }
  throw new Error(`timed out waiting for ${what}`)
}
const savedFeedback = async (file, key) => {
  if (!(await elex.exists(file))) return -1
  return (await elex.load(file, key ? { key } : undefined)).stats().feedback
}

describe('elex serve', () => {
  it('prints exactly one line, the URL, and serves', async () => {
    const t = temp()
    const server = await serve(['--state', t.file('s.elex')])
    expect(server.stdout()).toMatch(/^elex console: http:\/\/127\.0\.0\.1:\d+\/\n$/)
    const { body } = await api(server.url, '/healthz')
    expect(body).toMatchObject({ ok: true, agents: 593 })
  })

  it('answers a 20 MB body with 413 over a real socket, and keeps serving', async () => {
    const t = temp()
    const server = await serve(['--state', t.file('s.elex')])
    const status = await new Promise((resolve, reject) => {
      const req = request(new URL('/api/query', server.url), { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 20 * 1024 * 1024 } }, (res) => {
        let text = ''
        res.on('data', (d) => (text += d))
        res.on('end', () => resolve({ code: res.statusCode, body: JSON.parse(text) }))
      })
      req.on('error', (e) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)))
      const chunk = Buffer.alloc(1024 * 1024, 'a')
      let sent = 0
      const pump = () => { while (sent < 20 && req.write(chunk)) sent++; if (sent < 20) req.once('drain', () => { sent++; pump() }); else req.end() }
      pump()
    })
    expect(status.code).toBe(413)
    expect(status.body.error.code).toBe('INVALID_ARGUMENT')
    expect((await api(server.url, '/healthz')).status).toBe(200)
  })

  it('off loopback it refuses to start without a token (exit 2), and checks the token on /api', async () => {
    const t = temp()
    await expect(serve(['--host', '0.0.0.0', '--state', t.file('s.elex')], { env: { ELEX_TOKEN: '' } })).rejects.toThrow(/exited 2 .*token/s)
    const server = await serve(['--host', '0.0.0.0', '--state', t.file('s.elex')], { env: { ELEX_TOKEN: 'tok-123' } })
    const url = server.url.replace('0.0.0.0', '127.0.0.1')
    expect((await api(url, '/api/stats')).status).toBe(401)
    expect((await api(url, '/api/stats', undefined, { authorization: 'Bearer nope' })).body.error.code).toBe('INVALID_KEY')
    expect((await api(url, '/api/stats', undefined, { authorization: 'Bearer tok-123' })).status).toBe(200)
  })

  it('serves a custom catalog', async () => {
    const t = temp()
    const features = elex.defaultCatalog().filter((f) => !f.dependsOn?.length && !f.conflictsWith?.length && !f.relatedTo?.length).slice(0, 5)
    writeFileSync(t.file('catalog.json'), JSON.stringify({ features }))
    const server = await serve(['--catalog', t.file('catalog.json'), '--state', t.file('s.elex')])
    expect((await api(server.url, '/healthz')).body.agents).toBe(5)
    expect((await api(server.url, `/api/features/${encodeURIComponent(features[0].fajCode)}`)).body.feature).toEqual(features[0])
  })
})

describe('learned state', () => {
  it('is saved a moment after feedback, and restored at the next start', async () => {
    const t = temp()
    const state = t.file('s.elex')
    const first = await serve(['--state', state])
    await askAndRate(first.url, 'How do I activate MIMO Sleep Mode?')
    await until(async () => (await savedFeedback(state)) === 1, 'the save after feedback')
    first.child.kill('SIGKILL')
    await first.exited
    const second = await serve(['--state', state])
    expect((await api(second.url, '/api/stats')).body.feedback).toBe(1)
    expect(second.stderr()).toMatch(/restored/)
  })

  it('is saved on SIGTERM and SIGINT, with every feedback', async () => {
    const t = temp()
    const state = t.file('s.elex')
    for (const [signal, expected] of [['SIGTERM', 3], ['SIGINT', 5]]) {
      const server = await serve(['--state', state])
      const count = signal === 'SIGTERM' ? 3 : 2
      for (let i = 0; i < count; i++) await askAndRate(server.url, `what does pmAnrNeighbrelAdd count? ${i}`)
      server.child.kill(signal)
      expect(await server.exited).toEqual({ code: 0, signal: null })
      expect(await savedFeedback(state)).toBe(expected)
    }
  })

  it('is sealed with --key-file: unreadable without the key, restored with it', async () => {
    const t = temp()
    const state = t.file('s.elex')
    const key = elex.generateKey()
    writeFileSync(t.file('key'), Buffer.from(key).toString('hex'))
    const server = await serve(['--state', state, '--key-file', t.file('key')])
    await askAndRate(server.url, 'UL CoMP gains are low')
    server.child.kill('SIGTERM')
    await server.exited
    await expect(elex.load(state)).rejects.toHaveProperty('code')
    expect(await savedFeedback(state, key)).toBe(1)
    const again = await serve(['--state', state, '--key-file', t.file('key')])
    expect((await api(again.url, '/api/stats')).body.feedback).toBe(1)
    await expect(serve(['--state', state])).rejects.toThrow(/exited 1 /)
  })

  it('survives SIGKILL at any moment: the file is always the last completed save', async () => {
    const t = temp()
    const state = t.file('s.elex')
    let floor = 0
    for (const busyMs of [300, 1300, 2600]) {
      const server = await serve(['--state', state])
      // Feedback keeps coming, so saves keep happening when the kill lands.
      const end = Date.now() + busyMs
      let sent = 0
      while (Date.now() < end) { await askAndRate(server.url, `handover success dropped on ERBS0${sent % 10}`); sent++ }
      server.child.kill('SIGKILL')
      await server.exited
      // No file yet (killed before the first save) counts as 0; a broken file throws here.
      const saved = Math.max(await savedFeedback(state), 0)
      expect(saved).toBeGreaterThanOrEqual(floor)
      expect(saved).toBeLessThanOrEqual(floor + sent)
      const restarted = await serve(['--state', state])
      expect((await api(restarted.url, '/api/stats')).body.feedback).toBe(saved)
      restarted.child.kill('SIGKILL')
      await restarted.exited
      floor = saved
    }
    expect(floor).toBeGreaterThan(0) // at least one save completed across the runs
    expect(readdirSync(t.dir).filter((f) => f.startsWith('s.elex') && f !== 's.elex').length).toBeLessThanOrEqual(1)
  })
})
