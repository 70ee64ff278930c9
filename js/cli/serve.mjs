// `elex serve`: starts the console server, prints its URL (one line on stdout) and saves the
// learned state on SIGINT / SIGTERM before exiting.
import { isLoopback, startServer, DEFAULT_STATE } from '../server/serve.mjs'
import { action, loadElex, PACKAGE_ROOT, progressBar, usageError } from './common.mjs'

function portOf(value, flag = '--port') {
  const port = Number(value)
  if (!/^\d+$/.test(String(value)) || port > 65535) throw usageError(`${flag} must be an integer 0..65535, got ${JSON.stringify(value)}`)
  return port
}

export function serveCommand(program) {
  return program.command('serve')
    .description('serve the console and the HTTP API (127.0.0.1:8080 by default)')
    .option('--port <n>', 'port (0: any free one; env PORT)', process.env.PORT ?? '8080')
    .option('--host <host>', 'address to listen on (env HOST); other than loopback needs --token', process.env.HOST ?? '127.0.0.1')
    .option('--catalog <file>', 'a custom catalog (JSON: FeatureSpec[] or { features })')
    .option('--safe-zones <file>', 'operator safe zones by parameter name (JSON)')
    .option('--state <file>', 'where the learned state is restored from and saved to', DEFAULT_STATE)
    .option('--key-file <file>', 'seal the saved state with this 32-byte key (raw, hex or base64)')
    .option('--token <token>', 'require "Authorization: Bearer <token>" on /api/* (env ELEX_TOKEN)', process.env.ELEX_TOKEN)
    .option('--cluster-port <n>', 'join a cluster: where peers connect (0: any free port)')
    .option('--cluster-host <host>', 'the cluster address to listen on', '127.0.0.1')
    .option('--seed <url>', 'a node to join through, e.g. ws://10.0.0.5:7401 (repeatable)', (v, all) => [...all, v], [])
    .option('--trust <file>', 'public keys allowed in (JSON array or one per line, hex)')
    .option('--identity <file>', "this node's 32-byte secret key (created if missing)", '.elex/identity.key')
    .option('--cluster-data <dir>', 'where the replicated log and vote persist', '.elex/cluster')
    .option('--nats <url>', 'also share learning through this NATS JetStream server (repeatable)', (v, all) => [...all, v], [])
    .action(action(async (opts) => {
      const port = portOf(opts.port)
      const inCluster = opts.clusterPort !== undefined
      if (!inCluster && (opts.seed.length || opts.trust || opts.nats.length)) throw usageError('--seed, --trust and --nats need --cluster-port')
      const cluster = inCluster
        ? { port: portOf(opts.clusterPort, '--cluster-port'), host: opts.clusterHost, seeds: opts.seed, trustPath: opts.trust, identityPath: opts.identity, dataDir: opts.clusterData, nats: opts.nats.length ? opts.nats : undefined }
        : undefined
      const steps = ['reading the catalog', 'building the swarm', ...(inCluster ? ['joining the cluster'] : []), 'starting the server']
      const bar = progressBar(steps.length, 'serve')
      let server
      try {
        server = await startServer({
          elex: loadElex(), packageRoot: PACKAGE_ROOT, host: opts.host, port,
          catalogPath: opts.catalog, safeZonesPath: opts.safeZones, statePath: opts.state,
          keyFile: opts.keyFile, token: opts.token || undefined, cluster,
          step: (label) => bar.update(steps.indexOf(label), label),
          onSaveError: (e) => process.stderr.write(`elex: saving ${opts.state} failed: ${e.code ?? ''} ${e.message}\n`),
        })
      } finally {
        bar.stop()
      }
      if (server.restored) process.stderr.write(`elex: learned state restored from ${server.statePath}\n`)
      process.stdout.write(`elex console: ${server.url}\n`)
      if (server.cluster) {
        process.stdout.write(`elex cluster: ${server.cluster.address} (node ${server.cluster.nodeId})\n`)
        if (!opts.trust && !isLoopback(opts.clusterHost)) process.stderr.write(`elex: warning: the cluster listens on ${opts.clusterHost} without --trust: any signed frame is let in\n`)
      }

      const stop = async (signal) => {
        try {
          await server.close()
          process.exit(0)
        } catch (e) {
          process.stderr.write(`elex: ${signal}: saving failed: ${e.code ?? 'INTERNAL'}: ${e.message}\n`)
          process.exit(1)
        }
      }
      process.once('SIGINT', () => stop('SIGINT'))
      process.once('SIGTERM', () => stop('SIGTERM'))
    }))
}
