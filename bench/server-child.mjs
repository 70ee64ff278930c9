// The benchmark's server process: `elex serve`'s server (startServer, built-in catalog, a
// throw-away state file) and, on another port, a bare route of the same framework with the
// same JSON body parsing — the ceiling. Answers { type: 'memory' } over IPC with its memory
// after a full GC (run with --expose-gc), so growth is measured, not garbage.
import { createRequire } from 'node:module'
import { join } from 'node:path'
import Fastify from 'fastify'
import { startServer } from '../js/server/serve.mjs'
import { PACKAGE_ROOT } from '../js/cli/common.mjs'

const elex = createRequire(import.meta.url)(join(PACKAGE_ROOT, 'index.js'))
const server = await startServer({ elex, packageRoot: PACKAGE_ROOT, host: '127.0.0.1', port: 0, statePath: process.argv[2] })

const bare = Fastify({ logger: false })
bare.post('/bare', async () => ({ ok: true }))
// The same route answering a constant QueryResponse: what moving an answer's ~1.3 KB through
// the framework, the loopback and the load generator costs, without the engine.
const sized = server.swarm.query('How do I activate MIMO Sleep Mode?')
bare.post('/bare-sized', async () => sized)
await bare.listen({ host: '127.0.0.1', port: 0 })

process.on('message', (m) => {
  if (m?.type === 'cpu' && process.connected) process.send({ type: 'cpu', usage: process.cpuUsage() })
  if (m?.type !== 'memory') return
  globalThis.gc?.()
  const { rss, heapUsed } = process.memoryUsage()
  if (process.connected) process.send({ type: 'memory', rss, heapUsed })
})
process.on('disconnect', async () => {
  await Promise.allSettled([server.close(), bare.close()])
  process.exit(0)
})
process.send({ type: 'ready', url: server.url, bareUrl: `http://127.0.0.1:${bare.server.address().port}/bare`, sizedUrl: `http://127.0.0.1:${bare.server.address().port}/bare-sized`, backend: elex.backend })
