// `elex serve`: the swarm (built-in or custom catalog, learned state restored), the HTTP app,
// saving after learning. Signals and printing belong to the CLI (js/cli/serve.mjs).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
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
 *            cluster?: { port, host?, seeds?, trustPath?, identityPath, dataDir, nats? },
 *            step?(label) (progress through the start-up stages), onSaveError?(error) }
 * Returns { app, url, swarm, restored, cluster, close() } once listening; close() leaves the
 * cluster, saves, then stops.
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

  let cluster = null
  if (options.cluster) {
    step('joining the cluster')
    cluster = await joinCluster(elex, swarm, options.cluster)
  }

  step('starting the server')
  const app = await buildApp({
    elex, swarm, token, packageRoot, cluster,
    features: catalog ?? elex.defaultCatalog(),
    onLearned: () => persistence.changed(),
  })
  await app.listen({ host, port })
  const { port: bound } = app.server.address()
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`

  let closing = null
  const close = () => (closing ??= (async () => {
    try {
      await cluster?.leave()
      await persistence.flush({ always: true })
    } finally {
      await app.close()
    }
  })())
  return { app, url, swarm, restored, statePath, cluster, close }
}

/** This node's identity: a 32-byte secret key file, created (mode 0600) on first start. */
export async function readOrCreateIdentity(elex, file) {
  let bytes
  try {
    bytes = await readFile(file)
  } catch (e) {
    if (e.code !== 'ENOENT') throw httpError(400, 'INVALID_ARGUMENT', `cannot read the identity ${file}: ${e.message}`)
    const identity = elex.Identity.generate()
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, identity.secretKey(), { mode: 0o600 })
    await chmod(file, 0o600)
    return identity
  }
  if (bytes.length !== 32) throw httpError(400, 'INVALID_KEY', `invalid key: the identity ${file} must hold 32 raw bytes, got ${bytes.length}`)
  return elex.Identity.fromSecretKey(new Uint8Array(bytes))
}

/** Trusted public keys: a JSON array of 64-hex-digit strings, or one per line. */
export async function readTrust(file) {
  let text
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    throw httpError(400, 'INVALID_ARGUMENT', `cannot read the trust file ${file}: ${e.message}`)
  }
  let keys
  try {
    keys = text.trim().startsWith('[') ? JSON.parse(text) : text.split(/\s+/).filter(Boolean)
  } catch (e) {
    throw httpError(400, 'INVALID_ARGUMENT', `the trust file ${file} is not JSON: ${e.message}`)
  }
  return keys.map((k, i) => {
    if (typeof k !== 'string' || !/^[0-9a-fA-F]{64}$/.test(k)) throw httpError(400, 'INVALID_KEY', `invalid key: ${file}: entry ${i} is not a 32-byte public key in hex`)
    return Uint8Array.from(k.match(/../g).map((b) => parseInt(b, 16)))
  })
}

async function joinCluster(elex, swarm, o) {
  const identity = await readOrCreateIdentity(elex, o.identityPath)
  const trust = o.trustPath ? await readTrust(o.trustPath) : undefined
  return elex.Cluster.join({
    swarm, identity, trust,
    listen: { host: o.host ?? '127.0.0.1', port: o.port },
    seeds: o.seeds ?? [],
    dataDir: o.dataDir,
    ...(o.nats ? { nats: { servers: o.nats } } : {}),
  })
}
