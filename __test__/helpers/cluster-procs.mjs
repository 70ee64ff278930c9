// Cluster nodes as child processes (helpers/cluster-node.mjs), driven by JSON lines.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const CHILD = fileURLToPath(new URL('./cluster-node.mjs', import.meta.url))
export const hex = (b) => Buffer.from(b).toString('hex')
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Starts a node; resolves with `{ ask(cmd, args), kill(), address, nodeId, alive }` once it joined. */
export function spawnNode({ secret, dataDir, seeds = [], trust, nats = '' }) {
  const proc = spawn(process.execPath, [CHILD, hex(secret), dataDir, seeds.join(','), trust.join(','), nats], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const waiting = new Map()
  let next = 1
  let stderr = ''
  proc.stderr.on('data', (d) => { stderr += d })
  const node = {
    proc,
    alive: true,
    ask(cmd, args = {}) {
      const id = next++
      proc.stdin.write(`${JSON.stringify({ id, cmd, ...args })}\n`)
      return new Promise((resolve, reject) => waiting.set(id, { resolve, reject }))
    },
    kill() {
      node.alive = false
      proc.kill('SIGKILL')
    },
  }
  return new Promise((resolve, reject) => {
    proc.on('exit', (code) => { if (node.alive) reject(new Error(`cluster node exited (${code}): ${stderr}`)) })
    createInterface({ input: proc.stdout }).on('line', (line) => {
      const msg = JSON.parse(line)
      if (msg.ready) return resolve(Object.assign(node, msg))
      const w = waiting.get(msg.id)
      waiting.delete(msg.id)
      if (msg.error) w.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }))
      else w.resolve(msg.result)
    })
  })
}

/** Polls `check` (async, true when done) every 250 ms; the time it took, or a failure after `ms`. */
export async function within(ms, what, check) {
  const t0 = Date.now()
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms / 1000} s`)
    await sleep(250)
  }
  return Date.now() - t0
}

/** True when every node reads the same, non-empty learned rows for each of `fajs`. */
export async function sameLearning(nodes, fajs) {
  const views = await Promise.all(nodes.map((n) => n.ask('learned', { fajs })))
  const first = JSON.stringify(views[0])
  return views.every((v) => JSON.stringify(v) === first) && fajs.every((f) => views[0][f].length > 0)
}
