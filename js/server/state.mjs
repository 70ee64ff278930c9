// Learned state on disk: restored at start, saved after learning (feedback, merge) at most
// SAVE_DELAY_MS behind, and once more on shutdown. elex.save writes atomically (a temporary
// file renamed over the old one), so a crash at any moment leaves the last completed save.
import { mkdir, readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { httpError } from './errors.mjs'

export const SAVE_DELAY_MS = 1000

/** A key file holds the 32-byte key raw, as 64 hex digits, or in base64. */
export async function readKeyFile(file) {
  const bytes = await readFile(file)
  if (bytes.length === 32) return new Uint8Array(bytes)
  const text = bytes.toString('utf8').trim()
  if (/^[0-9a-fA-F]{64}$/.test(text)) return new Uint8Array(Buffer.from(text, 'hex'))
  const decoded = Buffer.from(text, 'base64')
  if (decoded.length === 32 && /^[A-Za-z0-9+/=_-]+$/.test(text)) return new Uint8Array(decoded)
  throw httpError(400, 'INVALID_KEY', `invalid key: ${file} must hold a 32-byte key (raw, 64 hex digits or base64), got ${bytes.length} bytes`)
}

/**
 * The swarm to serve. Without a custom catalog or safe zones, a saved state is restored whole
 * (Swarm.fromBytes). With them, the swarm is built from them and the saved learning merged in,
 * so agents of features in both keep what they learned.
 */
export async function restoreSwarm(elex, { statePath, key, catalog, safeZones }) {
  const saved = statePath && (await elex.exists(statePath))
  const custom = catalog !== undefined || safeZones !== undefined
  if (saved && !custom) return { swarm: await elex.load(statePath, { key }), restored: true }
  const options = {}
  if (catalog !== undefined) options.catalog = catalog
  if (safeZones !== undefined) options.safeZones = safeZones
  const swarm = new elex.Swarm(options)
  if (saved) swarm.merge((await elex.load(statePath, { key })).toBytes())
  return { swarm, restored: Boolean(saved) }
}

/** Saves `swarm` to `path` after changes, one save at a time; flush() before exiting. */
export function statePersistence(elex, swarm, { path, key, delayMs = SAVE_DELAY_MS, onError = () => {} }) {
  let timer = null
  let dirty = false
  let running = null

  async function saveNow() {
    dirty = false
    await mkdir(dirname(path), { recursive: true })
    await elex.save(path, swarm, key ? { key } : undefined)
  }

  function run() {
    timer = null
    running = saveNow()
      .catch((e) => { dirty = true; onError(e) })
      .finally(() => {
        running = null
        if (dirty && !timer) timer = setTimeout(run, delayMs)
      })
  }

  return {
    /** Something learned: saved within delayMs (not reset by later changes, so never starved). */
    changed() {
      dirty = true
      if (!timer && !running) timer = setTimeout(run, delayMs)
    },
    /**
     * Waits for any save in progress, then saves what is still unsaved; `always` saves
     * regardless (at shutdown: queries change counters too, which are not worth a save each).
     */
    async flush({ always = false } = {}) {
      if (timer) { clearTimeout(timer); timer = null }
      if (running) await running
      if (timer) { clearTimeout(timer); timer = null }
      if (dirty || always) await saveNow()
    },
  }
}
