// One cluster node in its own process, driven by JSON lines on stdin (for cluster.spec):
//   argv: secret key (hex), dataDir, seeds (comma-separated, may be empty), trusted keys (hex,
//   comma-separated), NATS servers (optional)
//   stdout: {"ready":true,"address","nodeId"} once joined, then {"id","result"} or {"id","error":{code,message}} per command.
import { createInterface } from 'node:readline'
import elex from '../../index.js'

const [secretHex, dataDir, seedList, trustList, natsServers] = process.argv.slice(2)
const bytes = (h) => Uint8Array.from(h.match(/../g).map((b) => parseInt(b, 16)))
const swarm = new elex.Swarm({ coldStartThreshold: 0, qlearning: { epsilon: 0 } })
const identity = elex.Identity.fromSecretKey(bytes(secretHex))
const cluster = await elex.Cluster.join({
  swarm,
  identity,
  dataDir,
  seeds: seedList ? seedList.split(',') : [],
  trust: trustList.split(',').map(bytes),
  ...(natsServers ? { nats: { servers: natsServers } } : {}),
})
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`)
out({ ready: true, address: cluster.address, nodeId: cluster.nodeId })

const commands = {
  ask: ({ text }) => swarm.query(text).fajCode,
  teach: ({ text, times }) => {
    let faj
    for (let i = 0; i < times; i++) {
      const r = swarm.query(text)
      swarm.feedback(r.queryId, 1)
      faj = r.fajCode
    }
    return faj
  },
  learned: ({ fajs }) => Object.fromEntries(fajs.map((f) => [f, swarm.learned(f)])),
  members: () => cluster.members(),
  propose: ({ plan, timeoutMs }) => cluster.propose(plan, { timeoutMs }),
  log: () => cluster.log(),
  stats: () => cluster.stats(),
}

createInterface({ input: process.stdin }).on('line', async (line) => {
  const { id, cmd, ...args } = JSON.parse(line)
  try {
    out({ id, result: await commands[cmd](args) })
  } catch (e) {
    out({ id, error: { code: e.code, message: e.message } })
  }
})
