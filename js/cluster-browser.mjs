// What a cluster node needs from a browser: WebSockets to Node coordinators and one
// BroadcastChannel shared by the tabs of this browser. A tab is a learner by default (it
// votes in nothing and listens nowhere); its raft log lives in memory and is refilled from
// the leader. Frames on the channel reach every tab: those addressed to another node are
// skipped here, unread, since the medium is a broadcast.

const CHANNEL = 'elex-cluster'
// Bytes 38..70 of a frame: its recipient (crates/elex-engine/src/coordination/envelope.rs).
const RECIPIENT = 38

function socketOf(ws) {
  const sock = {
    isOpen: false,
    send(bytes) {
      if (ws.readyState === WebSocket.OPEN) ws.send(bytes)
    },
    close() {
      ws.close()
    },
  }
  ws.binaryType = 'arraybuffer'
  ws.onopen = () => {
    sock.isOpen = true
    sock.onopen?.()
  }
  ws.onmessage = (e) => {
    if (typeof e.data === 'string') return sock.onreject?.('malformed')
    sock.onmessage?.(new Uint8Array(e.data))
  }
  ws.onclose = () => sock.onclose?.()
  return sock
}

function forUs(bytes, own) {
  if (bytes.length < RECIPIENT + 32) return true // let the engine count it
  let zero = true
  let mine = true
  for (let i = 0; i < 32; i++) {
    const b = bytes[RECIPIENT + i]
    if (b !== 0) zero = false
    if (b !== own[i]) mine = false
  }
  return zero || mine
}

export const browserClusterHost = {
  defaultVoter: false,
  listen: null,
  dial: (url) => socketOf(new WebSocket(url)),
  readState: () => null,
  writeState: () => {},
  nats: null,

  /** The tabs of this browser, as one shared connection (null where there is none). */
  channel(ownKey) {
    if (typeof BroadcastChannel === 'undefined') return null
    const bc = new BroadcastChannel(CHANNEL)
    const sock = {
      isOpen: true,
      shared: true,
      send: (bytes) => bc.postMessage(bytes),
      close: () => bc.close(),
    }
    bc.onmessage = (e) => {
      const bytes = e.data instanceof Uint8Array ? e.data : new Uint8Array(e.data)
      if (forUs(bytes, ownKey)) sock.onmessage?.(bytes)
    }
    return sock
  },
}
