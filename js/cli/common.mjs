// What every `elex` command shares: the package API, output (text or --json), errors with
// the contract's exit codes (1: an error, code and message on stderr; 2: wrong usage) and
// progress bars drawn only when stderr is a terminal.
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import cliProgress from 'cli-progress'

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const require = createRequire(import.meta.url)

/** The package API (native addon, else WebAssembly), loaded on first use: --help stays instant. */
export const loadElex = () => require(join(PACKAGE_ROOT, 'index.js'))

/** An error that means the command line itself was wrong (exit 2). */
export function usageError(message) {
  const e = new Error(message)
  e.code = 'INVALID_ARGUMENT'
  e.usage = true
  return e
}

/** Prints an error as the contract says and exits: 2 for wrong usage, 1 for anything else. */
export function fail(error, { json = false } = {}) {
  const code = typeof error?.code === 'string' && /^[A-Z_]+$/.test(error.code) ? error.code : 'INTERNAL'
  const message = error?.message ?? String(error)
  process.stderr.write(json ? `${JSON.stringify({ error: { code, message } })}\n` : `elex: ${code}: ${message}\n`)
  process.exit(error?.usage ? 2 : 1)
}

/** Runs a command's body; any throw becomes fail(). */
export const action = (body) => async (...args) => {
  const opts = args.at(-2) ?? {}
  try {
    await body(...args)
  } catch (e) {
    fail(e, { json: Boolean(opts.json) })
  }
}

export const printJson = (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)

/**
 * A progress bar on stderr (only when it is a TTY; otherwise every call is a no-op, so pipes
 * and tests see clean output). total: number of steps.
 */
export function progressBar(total, label) {
  if (!process.stderr.isTTY) return { update() {}, increment() {}, stop() {} }
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {value}/{total} {step}`,
    hideCursor: true, clearOnComplete: true,
  }, cliProgress.Presets.shades_classic)
  bar.start(total, 0, { step: '' })
  return {
    update(value, step) { bar.update(value, { step }) },
    increment(step) { bar.increment(1, { step }) },
    stop() { bar.stop() },
  }
}

/** 'name=value' pairs -> a record; values typed as JSON would (numbers, true/false), else strings. */
export function parsePairs(pairs = [], what = 'change') {
  const out = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at <= 0) throw usageError(`a ${what} must be name=value, got ${JSON.stringify(pair)}`)
    const name = pair.slice(0, at)
    const raw = pair.slice(at + 1)
    let value = raw
    if (raw === 'true' || raw === 'false') value = raw === 'true'
    else if (raw.trim() !== '' && Number.isFinite(Number(raw))) value = Number(raw)
    out[name] = value
  }
  return out
}
