// `elex bench [--quick]`: the server benchmark (bench/server.mjs). It needs the repository's
// bench/ folder and autocannon (a devDependency), so it runs from a checkout, not an install.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { action, PACKAGE_ROOT } from './common.mjs'
import { httpError } from '../server/errors.mjs'

export function benchCommand(program) {
  return program.command('bench')
    .description('HTTP benchmark: /api/query against a bare route, 1/16/64 connections (from a checkout)')
    .option('--quick', 'short runs (seconds, not minutes)')
    .option('--json', 'print the results as JSON')
    .action(action(async (opts) => {
      let bench
      try {
        bench = await import(pathToFileURL(join(PACKAGE_ROOT, 'bench', 'server.mjs')).href)
      } catch (e) {
        throw httpError(500, 'INTERNAL', `elex bench runs from a checkout of the repository with its dev dependencies (bench/server.mjs, autocannon): ${e.message}`)
      }
      await bench.runServerBench({ quick: Boolean(opts.quick), json: Boolean(opts.json) })
    }))
}
