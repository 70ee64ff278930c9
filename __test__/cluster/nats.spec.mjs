// Scale-out through NATS JetStream (issue 17): three processes that never connect to one
// another share learning through a local nats-server's KV bucket; with the server stopped
// they keep answering and learning, and they resynchronise when it is back.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import elex from '../../index.js'
import { hex, sameLearning, sleep, spawnNode, within } from '../helpers/cluster-procs.mjs'

// Debian puts it in /usr/sbin, which a user's PATH may not have.
const NATS = spawnSync('sh', ['-c', 'command -v nats-server || { test -x /usr/sbin/nats-server && echo /usr/sbin/nats-server; }'], { encoding: 'utf8' }).stdout.trim()
const root = mkdtempSync(join(tmpdir(), 'elex-nats-'))
const nodes = []
let server = null

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** nats-server with JetStream on loopback; resolves once it accepts clients. */
function startNats(port) {
  const proc = spawn(NATS, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', join(root, 'js')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  return new Promise((resolve, reject) => {
    const seen = (d) => {
      log += d
      if (log.includes('Server is ready')) resolve(proc)
    }
    proc.stdout.on('data', seen)
    proc.stderr.on('data', seen)
    proc.on('exit', (code) => reject(new Error(`nats-server exited (${code}): ${log}`)))
  })
}

async function stopNats() {
  const exited = new Promise((r) => server.once('exit', r))
  server.kill('SIGTERM')
  await exited
  server = null
}

afterAll(async () => {
  for (const n of nodes) if (n.alive) n.kill()
  if (server) await stopNats()
  rmSync(root, { recursive: true, force: true })
})

describe('learning shared through NATS JetStream KV', () => {
  it('three processes converge through the bucket, keep going without it, and resynchronise', async () => {
    if (!NATS) throw new Error('nats-server is missing: run scripts/setup.sh (apt-get install nats-server)')
    const port = await freePort()
    server = await startNats(port)
    const url = `nats://127.0.0.1:${port}`
    const secrets = [0, 1, 2].map(() => elex.generateKey())
    const keys = secrets.map((s) => hex(elex.Identity.fromSecretKey(s).publicKey))
    // No seeds: the bucket is the only way between them.
    for (let i = 0; i < 3; i++) nodes.push(await spawnNode({ secret: secrets[i], dataDir: join(root, `n${i}`), trust: keys, nats: url }))
    const questions = ['How do I activate MIMO Sleep Mode?', 'is IFLB worth switching on here?', 'UL CoMP gains are low']
    const fajs = await Promise.all(nodes.map((n, i) => n.ask('teach', { text: questions[i], times: 3 })))
    const took = await within(20_000, 'learned() equal through NATS', () => sameLearning(nodes, fajs))
    console.log(`3 nodes via NATS KV: learned() equal after ${took} ms`)
    for (const n of nodes) expect((await n.ask('members')).length).toBe(1) // they never met

    // The server goes away: they keep answering and learning.
    await stopNats()
    const more = await nodes[0].ask('teach', { text: 'what does pmAnrNeighbrelAdd count?', times: 2 })
    expect(await nodes[1].ask('ask', { text: 'How do I activate MIMO Sleep Mode?' })).toBe(fajs[0])
    await sleep(2_000)
    expect((await nodes[1].ask('learned', { fajs: [more] }))[more]).toEqual([])

    // Back on the same port and store: what was learned meanwhile arrives.
    server = await startNats(port)
    const back = await within(20_000, 'resynchronised after the server came back', () => sameLearning(nodes, [...fajs, more]))
    console.log(`resynchronised ${back} ms after nats-server came back`)

    // A node killed and restarted empty (same key) takes back its own learning from the bucket.
    const before = await nodes[2].ask('learned', { fajs: [fajs[2]] })
    nodes[2].kill()
    nodes[2] = await spawnNode({ secret: secrets[2], dataDir: join(root, 'n2'), trust: keys, nats: url })
    await within(20_000, 'the restarted node has its learning back', async () =>
      JSON.stringify(await nodes[2].ask('learned', { fajs: [fajs[2]] })) === JSON.stringify(before))
    await within(20_000, 'and all agree', () => sameLearning(nodes, [...fajs, more]))
  }, 90_000)
})
