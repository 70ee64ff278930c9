// The binary images the cluster binding returns (crates/elex-bind/src/clusters.rs writes
// them): a step's output — frames to send by member key (with the member's URL when known),
// when to call again, the raft state to write before sending, what happened (JSON) — and the
// values for the shared store.

const decoder = new TextDecoder()

export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** Little-endian reads through a byte image. */
class Reader {
  constructor(bytes) {
    this.bytes = bytes
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.at = 0
  }

  u16() { this.at += 2; return this.view.getUint16(this.at - 2, true) }
  u32() { this.at += 4; return this.view.getUint32(this.at - 4, true) }
  f64() { this.at += 8; return this.view.getFloat64(this.at - 8, true) }
  /** The next `n` bytes, copied (they outlive the image). */
  take(n) { this.at += n; return this.bytes.slice(this.at - n, this.at) }
  text(n) { this.at += n; return decoder.decode(this.bytes.subarray(this.at - n, this.at)) }
}

/** One step's output image. */
export function decodeOutput(bytes) {
  const r = new Reader(bytes)
  const frames = []
  for (let n = r.u32(); n > 0; n--) {
    const key = hex(r.take(32))
    const url = r.text(r.u16())
    frames.push({ key, url: url || null, bytes: r.take(r.u32()) })
  }
  const wakeAt = r.f64()
  const persistLen = r.u32()
  const persist = persistLen === 0xffffffff ? null : r.take(persistLen)
  const events = JSON.parse(r.text(r.u32()))
  return { frames, wakeAt: Number.isNaN(wakeAt) ? null : wakeAt, persist, events }
}

/** The shared store's values: [agent, signed value] pairs. */
export function decodeValues(bytes) {
  const r = new Reader(bytes)
  const out = []
  for (let n = r.u32(); n > 0; n--) {
    const agent = r.text(r.u16())
    out.push([agent, r.take(r.u32())])
  }
  return out
}
