// A small timing harness for the Node benchmarks: every candidate runs in this one process,
// interleaved round by round so that drift (turbo, other load) hits all of them alike.

/** Median nanoseconds per call of each candidate. `fns`: { name: () => any }. */
export function compare(fns, { rounds = 7, minMs = 60 } = {}) {
  const names = Object.keys(fns)
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  // Each candidate gets its own compiled timing loop, so V8's type feedback from one
  // candidate (megamorphic call sites, deopts) cannot slow down another.
  const loops = Object.fromEntries(names.map((n) => [n, timingLoop(fns[n])]))
  const batch = Object.fromEntries(names.map((n) => [n, calibrate(loops[n], minMs)]))
  for (let r = 0; r < rounds; r++) {
    for (const n of names) {
      const t0 = process.hrtime.bigint()
      loops[n](batch[n])
      samples[n].push(Number(process.hrtime.bigint() - t0) / batch[n])
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]))
}

// A fresh function per candidate (new Function compiles a new script each time). The sink
// keeps every result alive, so no candidate's work can be skipped.
function timingLoop(fn) {
  return new Function('fn', `
    let sink = 0
    return function loop(count) {
      for (let i = 0; i < count; i++) {
        const v = fn()
        sink = (sink + (typeof v === 'number' ? v : (v && v.length) || 1)) | 0
      }
      globalThis.__benchSink = sink
    }`)(fn)
}

// Calls per timed batch so that one batch lasts about minMs (after a warm-up).
function calibrate(loop, minMs) {
  let count = 1
  for (;;) {
    const t0 = process.hrtime.bigint()
    loop(count)
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    if (ms >= minMs / 4) return Math.max(1, Math.ceil((count * minMs) / Math.max(ms, 1e-3)))
    count *= 4
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[s.length >> 1]
}

export function fmtTime(ns) {
  if (ns == null) return '—'
  if (ns < 1e3) return `${ns.toFixed(0)} ns`
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`
  return `${(ns / 1e6).toFixed(2)} ms`
}

export function fmtRatio(baseNs, ns) {
  if (baseNs == null || ns == null) return '—'
  return `${(baseNs / ns).toFixed(1)}×`
}

/** A markdown table: header array and rows of cells. */
export function markdown(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}
