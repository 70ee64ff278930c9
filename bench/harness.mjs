// A small timing harness for the Node benchmarks: every candidate runs in this one process,
// interleaved round by round so that drift (turbo, other load) hits all of them alike.

/** Median nanoseconds per call of each candidate. `fns`: { name: () => any }. */
export function compare(fns, { rounds = 7, minMs = 60 } = {}) {
  const names = Object.keys(fns)
  const samples = Object.fromEntries(names.map((n) => [n, []]))
  const batch = Object.fromEntries(names.map((n) => [n, calibrate(fns[n], minMs)]))
  let sink = 0
  for (let r = 0; r < rounds; r++) {
    for (const n of names) {
      const fn = fns[n]
      const count = batch[n]
      const t0 = process.hrtime.bigint()
      for (let i = 0; i < count; i++) sink ^= touch(fn())
      samples[n].push(Number(process.hrtime.bigint() - t0) / count)
    }
  }
  globalThis.__benchSink = sink
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]))
}

// Calls per timed batch so that one batch lasts about minMs (after a warm-up).
function calibrate(fn, minMs) {
  let count = 1
  for (;;) {
    const t0 = process.hrtime.bigint()
    for (let i = 0; i < count; i++) touch(fn())
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    if (ms >= minMs / 4) return Math.max(1, Math.ceil((count * minMs) / Math.max(ms, 1e-3)))
    count *= 4
  }
}

// Keeps results alive so no candidate's work can be skipped.
function touch(v) {
  if (typeof v === 'number') return v | 0
  if (v && typeof v === 'object') return (v.length ?? 1) | 0
  return 0
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
