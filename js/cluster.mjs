// Cluster: nodes that learn together. The engine's node is sans-IO (crates/elex-engine/src/
// coordination): it takes frames and the time and returns frames to send, by member key,
// and when to call again. This layer owns the rest: connections (a host gives WebSockets in
// Node), one timer, the raft state file, and the promises of `propose` and `sync`.

import { call, codedError, describe, typeError, uint8 } from './checks.mjs'
import { decodeOutput, hex } from './cluster-wire.mjs'

const OPTIONS = ['swarm', 'identity', 'listen', 'seeds', 'trust', 'voter', 'gossipIntervalMs', 'dataDir', 'nats']
const JOIN_TIMEOUT_MS = 10_000
const DEFAULT_PROPOSE_TIMEOUT_MS = 5_000
const SYNC_TIMEOUT_MS = 2_000
// Frames waiting for a connection to be dialled (per destination), beyond which they drop.
const MAX_QUEUED = 64

const encoder = new TextEncoder()

function checkOptions(o, { Swarm, Identity }, host) {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw typeError(`Cluster options must be an object, got ${describe(o)}`)
  for (const k of Object.keys(o)) {
    if (!OPTIONS.includes(k)) throw typeError(`unknown Cluster option ${JSON.stringify(k)} (known: ${OPTIONS.join(', ')})`)
  }
  if (!(o.swarm instanceof Swarm)) throw typeError(`swarm must be a Swarm, got ${describe(o.swarm)}`)
  if (!(o.identity instanceof Identity)) throw typeError(`identity must be an Identity, got ${describe(o.identity)}`)
  const seeds = o.seeds ?? []
  if (!Array.isArray(seeds) || !seeds.every((s) => typeof s === 'string')) throw typeError(`seeds must be an array of strings, got ${describe(seeds)}`)
  for (const s of seeds) {
    if (!/^wss?:\/\/[^\s]+$/.test(s)) throw codedError('INVALID_ARGUMENT', `seeds: ${JSON.stringify(s)} is not a ws:// or wss:// address`)
  }
  let trust
  if (o.trust !== undefined) {
    if (!Array.isArray(o.trust)) throw typeError(`trust must be an array of Uint8Array public keys, got ${describe(o.trust)}`)
    trust = o.trust.map((k, i) => {
      uint8(`trust[${i}]`, k)
      if (k.length !== 32) throw codedError('INVALID_KEY', `trust[${i}]: a public key is 32 bytes, got ${k.length}`)
      return hex(k)
    })
  }
  if (o.voter !== undefined && typeof o.voter !== 'boolean') throw typeError(`voter must be a boolean, got ${describe(o.voter)}`)
  if (o.gossipIntervalMs !== undefined && typeof o.gossipIntervalMs !== 'number') throw typeError(`gossipIntervalMs must be a number, got ${describe(o.gossipIntervalMs)}`)
  if (o.dataDir !== undefined && typeof o.dataDir !== 'string') throw typeError(`dataDir must be a string, got ${describe(o.dataDir)}`)
  if (o.listen !== undefined) {
    if (o.listen === null || typeof o.listen !== 'object') throw typeError(`listen must be an object, got ${describe(o.listen)}`)
    const { host: h, port: p, ...rest } = o.listen
    if (Object.keys(rest).length) throw typeError(`unknown listen option ${JSON.stringify(Object.keys(rest)[0])} (known: host, port)`)
    if (h !== undefined && typeof h !== 'string') throw typeError(`listen.host must be a string, got ${describe(h)}`)
    if (p !== undefined && !(Number.isInteger(p) && p >= 0 && p <= 65535)) throw codedError('INVALID_ARGUMENT', `listen.port must be an integer 0..65535, got ${describe(p)}`)
  }
  if (o.nats !== undefined) {
    const s = o.nats?.servers
    if (!(typeof s === 'string' || (Array.isArray(s) && s.every((x) => typeof x === 'string')))) throw typeError(`nats.servers must be a string or an array of strings, got ${describe(s)}`)
    if (o.nats.bucket !== undefined && (typeof o.nats.bucket !== 'string' || !/^[A-Za-z0-9_-]+$/.test(o.nats.bucket))) throw codedError('INVALID_ARGUMENT', `nats.bucket must be letters, digits, - and _, got ${describe(o.nats.bucket)}`)
    if (!host.nats) throw codedError('INVALID_ARGUMENT', 'nats: only in Node')
  }
  return { seeds, trust, voter: o.voter ?? host.defaultVoter }
}

/**
 * `host`: what the platform provides — `listen(options, onSocket)` (Node; null in browsers),
 * `dial(url)`, `readState(dataDir)`, `writeState(dataDir, bytes)` (synchronous, atomic),
 * `channel(ownKey)` (browsers: the other tabs), `nats(node, options)` (optional, js/cluster-nats.mjs), `defaultVoter`. A socket is
 * `{ send(bytes), close(), onopen, onmessage(bytes), onclose }`.
 */
export function makeCluster(raw, { Swarm, Identity, rawOf }, host) {
  class Cluster {
    #raw
    #h
    #keep
    #identity
    #dataDir
    #conns = new Map() // conn id -> { sock, key (hex) | null, open, queue }
    #byKey = new Map() // key hex -> conn id
    #byUrl = new Map() // url -> conn id (dialled by us)
    #seeds
    #nextConn = 1
    #timer = null
    #wakeAt = null
    #closed = false
    #server = null
    #nats = null
    #pending = new Map() // req -> { resolve, reject, timer }
    #joined = null
    #counts = { sent: 0, received: 0, bytesSent: 0, unreachable: 0, rejected: {}, persistFailures: 0 }
    #broken = null
    nodeId
    address = null

    /** Joins (or founds) a cluster; resolves once connected to a seed (at once without seeds). */
    static async join(options) {
      if (!raw.ClusterNode) throw codedError('INTERNAL', 'this build has no cluster node (in browsers, import elex/browser-cluster)')
      const checked = checkOptions(options, { Swarm, Identity }, host)
      const c = new Cluster()
      await c.#start(options, checked)
      return c
    }

    async #start(o, { seeds, trust, voter }) {
      this.#identity = o.identity
      this.nodeId = o.identity.agentId
      this.#dataDir = o.dataDir ?? null
      this.#seeds = seeds
      if (host.listen && o.listen !== null) {
        try {
          this.#server = await host.listen(o.listen ?? {}, (sock) => this.#adopt(sock, null))
        } catch (e) {
          throw codedError('INVALID_ARGUMENT', `cannot listen on ${o.listen?.host ?? '127.0.0.1'}:${o.listen?.port ?? 0}: ${e.message}`)
        }
        this.address = this.#server.address
      }
      let restored = null
      try {
        restored = this.#dataDir ? host.readState(this.#dataDir) : null
      } catch (e) {
        await this.#server?.close()
        throw codedError('INVALID_ARGUMENT', `cannot read the cluster state in ${this.#dataDir}: ${e.message}`)
      }
      const opts = { voter, founder: voter && seeds.length === 0, gossipIntervalMs: o.gossipIntervalMs ?? 200 }
      if (this.address) opts.url = this.address
      if (trust) opts.trust = trust
      try {
        this.#raw = call(() => new raw.ClusterNode(rawOf.get(o.identity).handle, rawOf.get(o.swarm).handle, JSON.stringify(opts), restored ?? undefined, Date.now()))
      } catch (e) {
        this.#server?.close()
        throw e
      }
      // The swarm and identity stay alive as long as this node (their handles are used).
      this.#keep = [o.swarm, o.identity]
      this.#h = this.#raw.handle
      if (o.nats) {
        this.#nats = await host.nats({
          origin: this.nodeId.slice('agent-'.length),
          values: (all) => call(() => raw.clusterKv(this.#h, all, Date.now())),
          absorb: (bytes) => this.#step(5, bytes),
        }, { servers: o.nats.servers, bucket: o.nats.bucket })
      }
      // Browsers: the other tabs, over one shared channel.
      const channel = host.channel?.(o.identity.publicKey)
      if (channel) this.#adopt(channel, null)
      this.#step(1)
      if (seeds.length === 0) return
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#joined = null
          this.leave()
          reject(codedError('PEER_UNREACHABLE', `no seed answered within ${JOIN_TIMEOUT_MS / 1000} s: ${seeds.join(', ')}`))
        }, JOIN_TIMEOUT_MS)
        this.#joined = () => {
          clearTimeout(timer)
          resolve()
        }
        for (const url of seeds) this.#dialSeed(url, 100)
      })
    }

    /** Runs one engine step and acts on its output. */
    #step(op, bytes = new Uint8Array(0), arg = 0, conn = null) {
      if (this.#closed) return null
      const out = decodeOutput(call(() => raw.clusterStep(this.#h, op, bytes, Date.now(), arg)))
      // The raft state goes to disk before any frame of the same output leaves. If it cannot,
      // this node stops: a vote or an entry must never be promised without being kept.
      if (out.persist && this.#dataDir) {
        try {
          host.writeState(this.#dataDir, out.persist)
        } catch (e) {
          this.#counts.persistFailures++
          this.#halt(codedError('INTERNAL', `cannot write the cluster state in ${this.#dataDir} (${e.message}): this node stopped`))
          return null
        }
      }
      const ev = out.events
      if (ev.hello && conn !== null) this.#bind(conn, ev.hello)
      for (const f of out.frames) this.#send(f)
      for (const [req, index] of ev.committed ?? []) this.#committed(req, index)
      this.#arm(out.wakeAt)
      return ev
    }

    #arm(wakeAt) {
      if (wakeAt === null || this.#closed) return
      if (this.#timer && this.#wakeAt !== null && this.#wakeAt <= wakeAt) return
      if (this.#timer) clearTimeout(this.#timer)
      this.#wakeAt = wakeAt
      this.#timer = setTimeout(() => {
        this.#timer = null
        this.#wakeAt = null
        try {
          this.#step(1)
        } catch {
          // Not expected (the engine returns errors, not throws, on a tick); try again soon.
          this.#arm(Date.now() + 100)
        }
      }, Math.max(0, wakeAt - Date.now()))
      this.#timer.unref?.()
    }

    #send({ key, url, bytes }) {
      let id = this.#byKey.get(key)
      if (id === undefined && url) id = this.#byUrl.get(url) ?? this.#dial(url)
      const c = id === undefined ? null : this.#conns.get(id)
      if (!c) {
        this.#counts.unreachable++
        return
      }
      if (!c.open) {
        if (c.queue.length < MAX_QUEUED) c.queue.push(bytes)
        else this.#counts.unreachable++
        return
      }
      c.sock.send(bytes)
      this.#counts.sent++
      this.#counts.bytesSent += bytes.length
    }

    /** A socket (accepted, or dialled to `url`): hello first, then frames both ways. */
    #adopt(sock, url) {
      const id = this.#nextConn++
      const c = { sock, key: null, open: false, queue: [], url }
      this.#conns.set(id, c)
      if (url) this.#byUrl.set(url, id)
      const opened = () => {
        if (this.#closed) return sock.close()
        c.open = true
        const hello = call(() => raw.clusterHello(this.#h, Date.now()))
        sock.send(hello)
        for (const b of c.queue.splice(0)) {
          sock.send(b)
          this.#counts.sent++
          this.#counts.bytesSent += b.length
        }
      }
      sock.onopen = opened
      sock.onmessage = (bytes) => {
        if (this.#closed) return
        this.#counts.received++
        // Runs in a socket event: nothing may escape it and take the process down.
        try {
          this.#step(0, bytes, 0, id)
        } catch {
          this.#counts.rejected.internal = (this.#counts.rejected.internal ?? 0) + 1
        }
      }
      sock.onreject = (why) => {
        this.#counts.rejected[why] = (this.#counts.rejected[why] ?? 0) + 1
      }
      sock.onclose = () => {
        this.#conns.delete(id)
        if (c.key && this.#byKey.get(c.key) === id) this.#byKey.delete(c.key)
        if (url && this.#byUrl.get(url) === id) this.#byUrl.delete(url)
        c.onclose?.()
      }
      if (sock.isOpen) opened()
      return { id, c }
    }

    #dial(url) {
      if (this.#closed) return undefined
      const { id } = this.#adopt(host.dial(url), url)
      return id
    }

    /** Seeds are redialled with backoff until this node leaves. */
    #dialSeed(url, backoff) {
      if (this.#closed) return
      const id = this.#dial(url)
      const c = this.#conns.get(id)
      if (!c) return
      c.seed = true
      c.onclose = () => {
        if (this.#closed) return
        const wait = backoff * (0.8 + 0.4 * Math.random())
        setTimeout(() => this.#dialSeed(url, Math.min(backoff * 2, 2000)), wait).unref?.()
      }
    }

    #bind(id, hello) {
      const c = this.#conns.get(id)
      if (!c) return
      // On a shared medium (the tabs' channel), a newcomer's hello is answered with ours,
      // since it missed the one sent before it came.
      if (c.sock.shared && this.#byKey.get(hello.key) !== id) c.sock.send(call(() => raw.clusterHello(this.#h, Date.now())))
      c.key = hello.key
      this.#byKey.set(hello.key, id)
      if (c.seed && this.#joined) {
        const done = this.#joined
        this.#joined = null
        done()
      }
    }

    #committed(req, index) {
      const p = this.#pending.get(req)
      if (!p) return
      this.#pending.delete(req)
      clearTimeout(p.timer)
      const entry = this.log().find((e) => e.index === index)
      p.resolve(entry)
    }

    members() {
      return JSON.parse(call(() => raw.clusterInfo(this.#h, 'members'))).map(({ nodeId, address, state, voter }) => ({ nodeId, address, state, voter }))
    }

    /** Proposes a change plan; resolves with its log entry once a majority committed it. */
    propose(plan, options = {}) {
      if (plan === null || typeof plan !== 'object' || Array.isArray(plan)) return Promise.reject(typeError(`plan must be an object (a ChangePlan), got ${describe(plan)}`))
      const timeoutMs = options?.timeoutMs ?? DEFAULT_PROPOSE_TIMEOUT_MS
      if (typeof timeoutMs !== 'number') return Promise.reject(typeError(`timeoutMs must be a number, got ${describe(timeoutMs)}`))
      if (this.#broken) return Promise.reject(this.#broken)
      if (this.#closed) return Promise.reject(codedError('INVALID_ARGUMENT', 'this node has left the cluster'))
      let ev
      try {
        ev = this.#step(4, encoder.encode(JSON.stringify(plan)), timeoutMs)
      } catch (e) {
        return Promise.reject(e)
      }
      if (!ev) return Promise.reject(this.#broken ?? codedError('INVALID_ARGUMENT', 'this node has left the cluster'))
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#pending.delete(ev.req)
          reject(codedError('CONSENSUS_TIMEOUT', `the plan was not committed by a majority within ${timeoutMs} ms (leader: ${this.stats().leader ?? 'none'})`))
        }, timeoutMs)
        this.#pending.set(ev.req, { resolve, reject, timer })
        // It may have committed in the same step (a group of one).
        for (const [req, index] of ev.committed ?? []) if (req === ev.req) this.#committed(req, index)
      })
    }

    log() {
      return JSON.parse(call(() => raw.clusterInfo(this.#h, 'log')))
    }

    /** One anti-entropy round with every alive member now; resolves when they answered. */
    sync() {
      const before = this.stats().rounds
      const peers = this.members().filter((m) => m.nodeId !== this.nodeId && m.state === 'alive').length
      this.#step(2)
      return new Promise((resolve) => {
        const started = Date.now()
        const poll = () => {
          if (this.#closed || this.stats().rounds >= before + peers || Date.now() - started > SYNC_TIMEOUT_MS) return resolve()
          setTimeout(poll, 10)
        }
        poll()
      })
    }

    stats() {
      const s = JSON.parse(call(() => raw.clusterInfo(this.#h, 'stats')))
      const rejected = { ...s.rejected }
      for (const [k, n] of Object.entries(this.#counts.rejected)) rejected[k] = (rejected[k] ?? 0) + n
      return {
        sent: this.#counts.sent,
        received: this.#counts.received,
        bytesSent: this.#counts.bytesSent,
        unreachable: this.#counts.unreachable,
        rejected,
        leader: s.leader,
        term: s.term,
        rounds: s.rounds,
        slots: s.slots,
        persistFailures: this.#counts.persistFailures,
      }
    }

    /** Stops without a word to the members (the node can no longer keep its promises). */
    #halt(error) {
      this.#broken = error
      this.#closed = true
      if (this.#timer) clearTimeout(this.#timer)
      for (const p of this.#pending.values()) {
        clearTimeout(p.timer)
        p.reject(error)
      }
      this.#pending.clear()
      for (const c of this.#conns.values()) c.sock.close()
      this.#conns.clear()
      this.#server?.close()
      this.#nats?.close()
    }

    /** Tells the members this node leaves, then closes every connection. */
    async leave() {
      if (this.#closed) return
      this.#step(3)
      this.#closed = true
      if (this.#timer) clearTimeout(this.#timer)
      for (const p of this.#pending.values()) {
        clearTimeout(p.timer)
        p.reject(codedError('CONSENSUS_TIMEOUT', 'this node left before the plan was committed'))
      }
      this.#pending.clear()
      await this.#nats?.close()
      // Let the goodbye frames go out before the sockets close.
      await new Promise((r) => setTimeout(r, 20))
      for (const c of this.#conns.values()) c.sock.close()
      this.#conns.clear()
      await this.#server?.close()
    }

    /** For the NATS mirror (js/cluster-nats.mjs): the raw handle. */
    get _handle() {
      return this.#h
    }
  }
  return Cluster
}
