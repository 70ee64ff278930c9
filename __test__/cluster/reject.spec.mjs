// Frames from the network that must change nothing (issue 17), sent through a real socket:
// forged, replayed (again, or meant for another node), tampered, oversized (for the engine,
// and for the socket), untrusted, stale and malformed frames are dropped and counted by reason.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import elex from '../../index.js'

const KIND_DIGEST = 3
const KIND_SLOTS = 4
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
let seq = BigInt(Date.now()) << 16n

/** A frame as the engine seals one (crates/elex-engine/src/coordination/envelope.rs). */
function frame({ signer, sender = signer.publicKey, to, kind = KIND_DIGEST, sentMs = Date.now(), payload = new Uint8Array(4) }) {
  const head = Buffer.alloc(90)
  head.write('ELXF', 0, 'latin1')
  head[4] = 2
  head[5] = kind
  Buffer.from(sender).copy(head, 6)
  Buffer.from(to).copy(head, 38)
  head.writeBigUInt64LE(++seq, 70)
  head.writeBigUInt64LE(BigInt(sentMs), 78)
  head.writeUInt32LE(payload.length, 86)
  const body = Buffer.concat([head, payload])
  const signed = Buffer.concat([body, signer.sign(body)])
  const crc = Buffer.alloc(4)
  crc.writeUInt32LE(crc32(signed))
  return Buffer.concat([signed, crc])
}

const clusters = []
afterAll(async () => {
  for (const c of clusters) await c.leave()
})

function connect(address) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(address)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

describe('a node through its socket', () => {
  it('drops and counts every bad frame by reason, and nothing changes', async () => {
    const node = elex.Identity.generate()
    const friend = elex.Identity.generate()
    const stranger = elex.Identity.generate()
    const swarm = new elex.Swarm({ coldStartThreshold: 0 })
    const cluster = await elex.Cluster.join({ swarm, identity: node, trust: [node.publicKey, friend.publicKey] })
    clusters.push(cluster)
    const before = { members: cluster.members(), slots: cluster.stats().slots, log: cluster.log() }
    const to = node.publicKey
    const ws = await connect(cluster.address)

    const good = frame({ signer: friend, to })
    const flipped = Buffer.from(frame({ signer: friend, to }))
    flipped[95] ^= 1 // inside the signature: the CRC no longer matches
    const sent = [
      good,
      good, // replayed
      flipped, // tampered
      frame({ signer: stranger, sender: friend.publicKey, to }), // forged: the friend's name, another key
      frame({ signer: stranger, to }), // untrusted
      frame({ signer: friend, to, sentMs: Date.now() - 120_000 }), // stale
      frame({ signer: friend, to: elex.Identity.generate().publicKey }), // replayed: meant for someone else
      frame({ signer: friend, to, payload: new Uint8Array(100_000) }), // oversized (engine)
      Buffer.from('not a frame at all'), // malformed
      frame({ signer: friend, to, kind: KIND_SLOTS, payload: Uint8Array.of(1, 2, 3) }), // malformed inside
    ]
    for (const f of sent) ws.send(f)
    // Past the socket's own limit: ws closes that connection, and it is counted too.
    const big = await connect(cluster.address)
    const closed = new Promise((r) => big.once('close', r))
    big.send(Buffer.alloc(2 << 20))
    await closed
    await sleep(300)

    expect(cluster.stats().rejected).toEqual({
      replayed: 2,
      tampered: 1,
      forged: 1,
      untrusted: 1,
      stale: 1,
      oversized: 2,
      malformed: 2,
    })
    expect(cluster.members()).toEqual(before.members)
    expect(cluster.stats().slots).toBe(before.slots)
    expect(cluster.log()).toEqual(before.log)
    ws.close()
  })

  it('rejects bad options with coded errors', async () => {
    const swarm = new elex.Swarm({ coldStartThreshold: 0 })
    const identity = elex.Identity.generate()
    await expect(elex.Cluster.join({ swarm })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(elex.Cluster.join({ swarm, identity, seeds: ['http://x'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(elex.Cluster.join({ swarm, identity, trust: [new Uint8Array(5)] })).rejects.toMatchObject({ code: 'INVALID_KEY' })
    await expect(elex.Cluster.join({ swarm, identity, bogus: 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(elex.Cluster.join({ swarm, identity, gossipIntervalMs: 1 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(elex.Cluster.join({ swarm, identity, listen: { port: 70_000 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    await expect(elex.Cluster.join({ swarm, identity, listen: { port: 1, extra: 1 } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    // A damaged raft state file refuses to start; a directory that cannot be written to
    // holds back the frames that depend on it instead of crashing the process.
    const dir = mkdtempSync(join(tmpdir(), 'elex-reject-'))
    try {
      writeFileSync(join(dir, 'raft.bin'), 'not a raft state')
      await expect(elex.Cluster.join({ swarm, identity, dataDir: dir })).rejects.toMatchObject({ code: 'CORRUPT_DATA' })
      const file = join(dir, 'a-file')
      writeFileSync(file, '')
      await expect(elex.Cluster.join({ swarm, identity, dataDir: file })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
      // Readable (nothing there) but never writable, not even for root: Linux's sysfs.
      const stuck = await elex.Cluster.join({ swarm, identity, dataDir: '/sys/elex-test' })
      clusters.push(stuck)
      // It stops at the first write (its vote for itself): nothing committed, a clear error.
      const err = await stuck.propose({ never: true }, { timeoutMs: 5_000 }).catch((e) => e)
      expect(err).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/cannot write the cluster state/) })
      expect(stuck.stats().persistFailures).toBe(1)
      expect(stuck.log()).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    // Nobody at the seed's address: PEER_UNREACHABLE after the join timeout.
    const t0 = Date.now()
    await expect(elex.Cluster.join({ swarm, identity, seeds: ['ws://127.0.0.1:9'] })).rejects.toMatchObject({ code: 'PEER_UNREACHABLE' })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(9_000)
    const c = await elex.Cluster.join({ swarm, identity })
    clusters.push(c)
    await expect(c.propose('not an object')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' })
    // A group of one commits on its own.
    const entry = await c.propose({ change: 'one' })
    expect(entry).toMatchObject({ index: expect.any(Number), plan: { change: 'one' }, proposedBy: identity.agentId })
  }, 30_000)
})
