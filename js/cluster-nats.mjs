// Scale-out through NATS JetStream: every node also writes its own learned-state slots to a
// KV bucket (one key per origin and agent, by compare-and-set) and watches everyone else's, so nodes in many
// sites share learning through an existing distributed system. Values are signed frames:
// the engine checks each one (trust, signature, damage) and takes only the slots of the
// origin that signed it; applying one twice changes nothing, so re-reading the bucket after
// a reconnect is harmless. When the server is away, learning and gossip go on; what could
// not be written is written again, in full, once it is back.

import { decodeValues } from './cluster-wire.mjs'

const FLUSH_MS = 1000
// JetStream's answers to a compare-and-set whose expected revision is not the key's.
const WRONG_LAST_SEQUENCE = 10071
const WRONG_LAST_SEQUENCE_UNKNOWN = 10164
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
  const revisions = new Map() // key -> the revision this node last wrote or read

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
        // Our own keys too: after a restart they hold what this node had learned, which it
        // takes back (and while it runs, reading them again changes nothing).
        if (e.operation === 'PUT') node.absorb(e.value)
      }
    })().catch(() => {})
    kv = bucketKv
  }

  // Compare-and-set: a key is written only over the revision this node last wrote or read.
  // Another writer of our keys (this identity's earlier life, or a second process with the
  // same key) is taken in, never overwritten: its value is merged, and written back merged
  // on the next round.
  async function write(key, value) {
    const revision = revisions.get(key)
    try {
      revisions.set(key, revision === undefined ? await kv.create(key, value) : await kv.update(key, value, revision))
    } catch (e) {
      if (e?.code !== WRONG_LAST_SEQUENCE && e?.code !== WRONG_LAST_SEQUENCE_UNKNOWN) throw e
      const current = await kv.get(key)
      if (current?.operation === 'PUT') {
        node.absorb(current.value)
        revisions.set(key, current.revision)
      } else {
        revisions.delete(key)
      }
      resync = true
    }
  }

  async function flush() {
    if (flushing || closed || !nc) return
    flushing = true
    try {
      if (!kv) await open()
      const all = resync
      resync = false
      try {
        for (const [agent, value] of decodeValues(node.values(all))) await write(`${own}a.${safe(agent)}`, value)
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
