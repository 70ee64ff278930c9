// `elex serve`: the swarm (built-in or custom catalog, learned state restored), the HTTP app,
// saving after learning. Signals and printing belong to the CLI (js/cli/serve.mjs).
import { readFile } from 'node:fs/promises'
import { buildApp } from './app.mjs'
import { readKeyFile, restoreSwarm, statePersistence } from './state.mjs'
import { httpError } from './errors.mjs'

export const DEFAULT_STATE = '.elex/state.elex'

export const isLoopback = (host) => host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)

/** A JSON file, or an error naming it (INVALID_ARGUMENT: unreadable or not JSON). */
export async function readJson(file, what) {
  let text
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    throw httpError(400, 'INVALID_ARGUMENT', `cannot read the ${what} ${file}: ${e.message}`)
  }
  try {
    return JSON.parse(text)
  } catch (e) {
    throw httpError(400, 'INVALID_ARGUMENT', `the ${what} ${file} is not JSON: ${e.message}`)
  }
}

/** A catalog file: an array of FeatureSpec, or { features: [...] } like data/catalog.json. */
export async function readCatalog(file) {
  const doc = await readJson(file, 'catalog')
  const features = Array.isArray(doc) ? doc : doc?.features
  if (!Array.isArray(features)) throw httpError(400, 'INVALID_CATALOG', `invalid catalog: ${file} must hold an array of features or { "features": [...] }`)
  return features
}

/**
 * options: { elex, packageRoot, host, port, catalogPath?, safeZonesPath?, statePath?, keyFile?, token?,
 *            step?(label) (progress through the start-up stages), onSaveError?(error) }
 * Returns { app, url, swarm, restored, close() } once listening; close() saves, then stops.
 */
export async function startServer(options) {
  const { elex, packageRoot, host = '127.0.0.1', port = 8080, token, step = () => {} } = options
  if (!isLoopback(host) && !token) {
    const e = httpError(400, 'INVALID_ARGUMENT', `listening on ${host} (not loopback) needs a token: --token or ELEX_TOKEN`)
    e.usage = true
    throw e
  }
  const statePath = options.statePath ?? DEFAULT_STATE
  step('reading the catalog')
  const catalog = options.catalogPath ? await readCatalog(options.catalogPath) : undefined
  const safeZones = options.safeZonesPath ? await readJson(options.safeZonesPath, 'safe zones') : undefined
  const key = options.keyFile ? await readKeyFile(options.keyFile) : undefined
  step('building the swarm')
  const { swarm, restored } = await restoreSwarm(elex, { statePath, key, catalog, safeZones })
  const persistence = statePersistence(elex, swarm, { path: statePath, key, onError: options.onSaveError })

  step('starting the server')
  const app = await buildApp({
    elex, swarm, token, packageRoot,
    features: catalog ?? elex.defaultCatalog(),
    onLearned: () => persistence.changed(),
  })
  await app.listen({ host, port })
  const { port: bound } = app.server.address()
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`

  let closing = null
  const close = () => (closing ??= (async () => {
    try {
      await persistence.flush({ always: true })
    } finally {
      await app.close()
    }
  })())
  return { app, url, swarm, restored, statePath, close }
}
