// The swarm a one-shot command (ask, plan, kpis) works on: the same catalog, safe zones and
// learned state as `elex serve` would use, read but never written.
import { readCatalog, readJson, DEFAULT_STATE } from '../server/serve.mjs'
import { readKeyFile, restoreSwarm } from '../server/state.mjs'
import { loadElex, progressBar } from './common.mjs'

export function swarmOptions(command) {
  return command
    .option('--catalog <file>', 'a custom catalog (JSON: FeatureSpec[] or { features })')
    .option('--safe-zones <file>', 'operator safe zones by parameter name (JSON)')
    .option('--state <file>', 'learned state to read', DEFAULT_STATE)
    .option('--key-file <file>', 'the 32-byte key the state is sealed with')
}

export async function localSwarm(opts) {
  const bar = progressBar(4, 'swarm')
  try {
    bar.update(0, 'loading the engine')
    const elex = loadElex()
    bar.update(1, 'reading the catalog')
    const catalog = opts.catalog ? await readCatalog(opts.catalog) : undefined
    const safeZones = opts.safeZones ? await readJson(opts.safeZones, 'safe zones') : undefined
    const key = opts.keyFile ? await readKeyFile(opts.keyFile) : undefined
    bar.update(2, `building ${catalog ? catalog.length : 'the built-in'} agents`)
    const { swarm } = await restoreSwarm(elex, { statePath: opts.state, key, catalog, safeZones })
    bar.update(4, 'ready')
    return { elex, swarm }
  } finally {
    bar.stop()
  }
}
