// HTTP benchmark of the console server (npm run bench:server [-- --quick], or elex bench):
// POST /api/query throughput and p50/p99 latency at 1, 16 and 64 connections, side by side
// with a bare fastify route taking the same JSON body (the framework's ceiling) and that route
// answering a constant QueryResponse (the cost of the answer's size alone), then a long
// run at 16 connections sampling the server's RSS and heap (after GC) for growth.
// Loopback only; every run is bounded in time; the server is a child process.
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { progressBar } from '../js/cli/common.mjs'

const QUESTIONS = [
  'How do I activate MIMO Sleep Mode?', 'what does pmAnrNeighbrelAdd count?', 'UL CoMP gains are low',
  'is IFLB worth switching on here?', 'handover success dropped after the last change on ERBS01',
  'which parameters control inter-frequency load balancing?', 'a3offset for ReportConfigEUtraBestCell', 'NR carrier aggregation prerequisites',
]
const CONNECTIONS = [1, 16, 64]
const MB = 1024 * 1024

function startChild(statePath) {
  const child = fork(fileURLToPath(new URL('./server-child.mjs', import.meta.url)), [statePath], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  const exited = new Promise((resolve, reject) => child.once('exit', (code) => reject(new Error(`the benchmark server exited (${code})`))))
  exited.catch(() => {}) // only an error while a reply is awaited
  const next = (type) => Promise.race([exited, new Promise((resolve) => {
    const onMessage = (m) => { if (m.type === type) { child.off('message', onMessage); resolve(m) } }
    child.on('message', onMessage)
  })])
  const ask = (type) => { const m = next(type); child.send({ type }); return m }
  return { child, ready: next('ready'), memory: () => ask('memory'), cpu: () => ask('cpu') }
}

function load(url, connections, seconds, body) {
  const requests = body ? QUESTIONS.map((text) => ({ method: 'POST', body: JSON.stringify({ text }), headers: { 'content-type': 'application/json' } })) : undefined
  return autocannon({ url, connections, duration: seconds, method: 'POST', requests, body: requests ? undefined : '{"text":"x"}', headers: { 'content-type': 'application/json' } })
}

const row = (route, connections, r, cpuUs) => ({
  route, connections, rps: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99,
  errors: r.errors + r.timeouts, non2xx: r.non2xx, requests: r.requests.total,
  // The server's own CPU per request: on a small machine the load generator shares the cores,
  // so req/s also measures autocannon; this does not.
  serverCpuUs: r.requests.total ? cpuUs / r.requests.total : null,
})

/** A load run and the server CPU time (µs) it took. */
async function measured(server, ...args) {
  const before = (await server.cpu()).usage
  const result = await load(...args)
  const after = (await server.cpu()).usage
  return [result, after.user - before.user + after.system - before.system]
}

export async function runServerBench({ quick = false, json = false } = {}) {
  const seconds = quick ? 2 : 10
  const memorySeconds = quick ? 6 : 60
  const sampleEvery = quick ? 1 : 5
  const dir = mkdtempSync(join(tmpdir(), 'elex-bench-'))
  const server = startChild(join(dir, 'state.elex'))
  const steps = CONNECTIONS.length * 3 + 2
  const bar = progressBar(steps, 'bench')
  try {
    const { url, bareUrl, sizedUrl, backend } = await server.ready
    const queryUrl = new URL('/api/query', url).href
    bar.update(0, 'warm-up')
    await load(queryUrl, 16, 1, true)
    await load(bareUrl, 16, 1, false)
    const rows = []
    let done = 1
    for (const c of CONNECTIONS) {
      bar.update(done++, `bare route, ${c} connections`)
      rows.push(row('bare', c, ...(await measured(server, bareUrl, c, seconds, false))))
      bar.update(done++, `bare route, QueryResponse-sized, ${c} connections`)
      rows.push(row('bare, sized answer', c, ...(await measured(server, sizedUrl, c, seconds, false))))
      bar.update(done++, `/api/query, ${c} connections`)
      rows.push(row('/api/query', c, ...(await measured(server, queryUrl, c, seconds, true))))
    }

    bar.update(done, `memory: /api/query for ${memorySeconds} s`)
    const samples = [await server.memory()]
    const run = load(queryUrl, 16, memorySeconds, true)
    const pending = []
    const timer = setInterval(() => pending.push(server.memory().then((m) => samples.push(m))), sampleEvery * 1000)
    const long = await run
    clearInterval(timer)
    await Promise.all(pending) // every sample answered before the last one and the shutdown
    samples.push(await server.memory())
    const memory = {
      seconds: memorySeconds, connections: 16, requests: long.requests.total, errors: long.errors + long.timeouts, non2xx: long.non2xx,
      rssStartMB: samples[0].rss / MB, rssEndMB: samples.at(-1).rss / MB, rssMaxMB: Math.max(...samples.map((s) => s.rss)) / MB,
      heapStartMB: samples[0].heapUsed / MB, heapEndMB: samples.at(-1).heapUsed / MB, samples: samples.length,
    }
    bar.update(steps, 'done')
    const at16 = (route, key = 'rps') => rows.find((r) => r.route === route && r.connections === 16)[key]
    const result = {
      backend, quick, seconds, rows, ratioAt16: at16('/api/query') / at16('bare'), sizedRatioAt16: at16('/api/query') / at16('bare, sized answer'),
      cpuRatioAt16: at16('bare', 'serverCpuUs') / at16('/api/query', 'serverCpuUs'), memory,
    }
    bar.stop()
    if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    else printTable(result)
    return result
  } finally {
    bar.stop()
    server.child.disconnect?.()
    await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)))
    rmSync(dir, { recursive: true, force: true })
  }
}

function printTable({ backend, seconds, rows, ratioAt16, sizedRatioAt16, cpuRatioAt16, memory }) {
  const out = (s) => process.stdout.write(`${s}\n`)
  out(`elex console server, ${backend} backend, loopback, ${seconds} s per run`)
  out('| route | connections | req/s | p50 ms | p99 ms | server CPU µs/req | errors | non-2xx |')
  out('|---|---:|---:|---:|---:|---:|---:|---:|')
  for (const r of rows) out(`| ${r.route} | ${r.connections} | ${Math.round(r.rps)} | ${r.p50Ms} | ${r.p99Ms} | ${r.serverCpuUs?.toFixed(1)} | ${r.errors} | ${r.non2xx} |`)
  out(`/api/query at 16 connections: ${(ratioAt16 * 100).toFixed(0)} % of the bare route (target >= 50 %); ${(sizedRatioAt16 * 100).toFixed(0)} % of the bare route answering a same-size constant; by server CPU per request, the bare route costs ${(cpuRatioAt16 * 100).toFixed(0)} % of a query`)
  const f = (x) => x.toFixed(1)
  out(`memory, ${memory.seconds} s of /api/query at ${memory.connections} connections (${memory.requests} requests, ${memory.errors} errors, ${memory.non2xx} non-2xx): ` +
    `RSS ${f(memory.rssStartMB)} -> ${f(memory.rssEndMB)} MB (${memory.rssEndMB >= memory.rssStartMB ? '+' : ''}${f(memory.rssEndMB - memory.rssStartMB)}, max ${f(memory.rssMaxMB)}), ` +
    `heap after GC ${f(memory.heapStartMB)} -> ${f(memory.heapEndMB)} MB (${memory.heapEndMB >= memory.heapStartMB ? '+' : ''}${f(memory.heapEndMB - memory.heapStartMB)}), ${memory.samples} samples`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runServerBench({ quick: process.argv.includes('--quick'), json: process.argv.includes('--json') })
}
