// Scale-out through NATS JetStream: every node also writes its own learned-state slots to a
// KV bucket (one key per origin and agent) and watches everyone else's, so nodes in many
// sites share learning through an existing distributed system. Values are signed frames:
// the engine checks each one (trust, signature, damage) and takes only the slots of the
// origin that signed it; applying one twice changes nothing, so re-reading the bucket after
// a reconnect is harmless. When the server is away, learning and gossip go on; what could
// not be written is written again, in full, once it is back.

import { decodeValues } from './cluster-wire.mjs'

const FLUSH_MS = 1000
const DEFAULT_BUCKET = 'elex-learned'

const safe = (s) => s.replace(/[^A-Za-z0-9_-]/g, '_')

/**
 * `node`: `{ origin (hex), values(all) -> Uint8Array, absorb(bytes) }` from js/cluster.mjs.
 * Resolves once connected (or at once, retrying in the background, if the server is down).
 */
export async function natsMirror(node, { servers, bucket = DEFAULT_BUCKET }) {
  const { connect } = await import('@nats-io/transport-node')
  const { Kvm } = await import('@nats-io/kv')
  let nc = null
  let kv = null
  let watcher = null
  let resync = true
  let closed = false
  let flushing = false
  const own = `o.${node.origin}.`

  // Connecting goes on in the background: a node starts, answers and learns without NATS.
  const connecting = connect({ servers, maxReconnectAttempts: -1, reconnectTimeWait: 250, waitOnFirstConnect: true }).then((c) => {
    nc = c
    // A reconnect may follow a server restart: watch again (current values included) and
    // write everything of ours again.
    ;(async () => {
      for await (const s of c.status()) {
        if (closed) break
        if (s.type === 'reconnect') {
          resync = true
          kv = null
        }
      }
    })().catch(() => {})
    return c
  })
  connecting.catch(() => {})

  async function open() {
    const bucketKv = await new Kvm(nc).create(bucket, { history: 1 })
    watcher?.stop()
    watcher = await bucketKv.watch({ key: 'o.>' })
    const mine = watcher
    ;(async () => {
      for await (const e of mine) {
        if (closed) break
        if (e.operation === 'PUT' && !e.key.startsWith(own)) node.absorb(e.value)
      }
    })().catch(() => {})
    kv = bucketKv
  }

  async function flush() {
    if (flushing || closed || !nc) return
    flushing = true
    try {
      if (!kv) await open()
      const all = resync
      resync = false
      try {
        for (const [agent, value] of decodeValues(node.values(all))) await kv.put(`${own}a.${safe(agent)}`, value)
      } catch (e) {
        // Unwritten now: everything again on the next round.
        resync = true
        throw e
      }
    } catch {
      // The server is away; the next round retries.
    } finally {
      flushing = false
    }
  }

  const timer = setInterval(flush, FLUSH_MS)
  timer.unref?.()

  return {
    async close() {
      closed = true
      clearInterval(timer)
      watcher?.stop()
      if (nc) await nc.close().catch(() => {})
      else connecting.then((c) => c.close()).catch(() => {})
    },
  }
}
