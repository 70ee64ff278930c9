// What one dependent memory load costs on this machine, by working-set size, next to a
// CPU-only loop: the yardstick for the index's insert times, which are bound by memory
// latency (docs/performance.md, "Where an insert's time goes"). Run it a few times: on a
// shared VM the large sizes move from minute to minute while the CPU loop does not.
//
//   node bench/memory-latency.mjs [--rounds 3]
const args = process.argv.slice(2)
const rounds = args.includes('--rounds') ? Number(args[args.indexOf('--rounds') + 1]) : 3
const SIZES_MB = [1, 4, 16, 256]
const LOADS = 5_000_000

/** One random cycle through every slot (Sattolo's shuffle), so each load depends on the last. */
function cycle(slots) {
  const next = new Uint32Array(slots)
  for (let i = 0; i < slots; i++) next[i] = i
  let seed = 0x9e3779b9
  const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  for (let i = slots - 1; i > 0; i--) {
    const j = Math.floor(random() * i)
    const t = next[i]; next[i] = next[j]; next[j] = t
  }
  return next
}

function chaseNs(next) {
  let at = 0
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < LOADS; i++) at = next[at]
  const ns = Number(process.hrtime.bigint() - t0) / LOADS
  if (at === 0xffffffff) console.log('unreachable') // keeps the loop's result alive
  return ns
}

function cpuMs() {
  let x = 1
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < 200_000_000; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (x === 0.5) console.log('unreachable')
  return ms
}

const cycles = SIZES_MB.map((mb) => cycle((mb << 20) / 4))
console.log(`dependent load, ns (${LOADS} loads each) | CPU-only loop, ms`)
for (let r = 0; r < rounds; r++) {
  const loads = cycles.map((c, i) => `${SIZES_MB[i]} MB: ${chaseNs(c).toFixed(1)}`)
  console.log(`round ${r + 1}: ${loads.join(', ')} | cpu ${cpuMs().toFixed(0)} ms`)
}
