// What a cluster node needs from Node: WebSockets (the `ws` package) both ways, and the raft
// state file in `dataDir`, written atomically (temp file, fsync, rename) and synchronously,
// because it must be on disk before the frames of the same step leave.

import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { WebSocket, WebSocketServer } from 'ws'
import { natsMirror } from './cluster-nats.mjs'

// Frames are at most 64 KiB; bigger ones reach the engine (and are counted "oversized")
// up to this, beyond which ws itself closes the socket (and we count that).
const MAX_PAYLOAD = 1 << 20
const STATE_FILE = 'raft.bin'

/** Our socket shape over a `ws` WebSocket. */
function wrap(ws, isOpen) {
  const sock = {
    isOpen,
    send(bytes) {
      if (ws.readyState === WebSocket.OPEN) ws.send(bytes)
    },
    close() {
      ws.terminate()
    },
    onopen: null,
    onmessage: null,
    onclose: null,
    onreject: null,
  }
  ws.binaryType = 'nodebuffer'
  ws.on('open', () => {
    sock.isOpen = true
    sock.onopen?.()
  })
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return sock.onreject?.('malformed')
    sock.onmessage?.(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
  })
  ws.on('error', (e) => {
    if (e?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') sock.onreject?.('oversized')
  })
  ws.on('close', () => sock.onclose?.())
  return sock
}

export const nodeClusterHost = {
  defaultVoter: true,

  listen({ host = '127.0.0.1', port = 0 } = {}, onSocket) {
    return new Promise((resolve, reject) => {
      const server = new WebSocketServer({ host, port, maxPayload: MAX_PAYLOAD })
      server.once('error', reject)
      server.once('listening', () => {
        server.off('error', reject)
        const { port: actual } = server.address()
        const shown = host.includes(':') ? `[${host}]` : host
        resolve({
          address: `ws://${shown}:${actual}`,
          close: () => new Promise((r) => {
            for (const ws of server.clients) ws.terminate()
            server.close(() => r())
          }),
        })
      })
      server.on('connection', (ws) => onSocket(wrap(ws, true)))
    })
  },

  dial(url) {
    const ws = new WebSocket(url, { maxPayload: MAX_PAYLOAD, handshakeTimeout: 5000 })
    return wrap(ws, false)
  },

  readState(dataDir) {
    try {
      return new Uint8Array(readFileSync(join(dataDir, STATE_FILE)))
    } catch (e) {
      if (e.code === 'ENOENT') return null
      throw e
    }
  },

  writeState(dataDir, bytes) {
    mkdirSync(dataDir, { recursive: true })
    const target = join(dataDir, STATE_FILE)
    const tmp = `${target}.${process.pid}.tmp`
    const fd = openSync(tmp, 'w')
    try {
      writeSync(fd, bytes)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, target)
  },

  nats: natsMirror,
}
