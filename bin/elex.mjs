#!/usr/bin/env node
// The `elex` command line: the console server and one-shot questions to the swarm.
// Exit codes: 0 success, 1 an error (code and message on stderr), 2 wrong usage.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command, CommanderError } from 'commander'
import { PACKAGE_ROOT } from '../js/cli/common.mjs'
import { serveCommand } from '../js/cli/serve.mjs'
import { queryCommands } from '../js/cli/query.mjs'
import { catalogCommands } from '../js/cli/catalog.mjs'
import { benchCommand } from '../js/cli/bench.mjs'

// `elex … | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => process.exit(e.code === 'EPIPE' ? 0 : 1))

const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8'))

const program = new Command('elex')
  .description('A swarm of self-learning Ericsson RAN feature agents: console server, questions, plans, KPIs')
  .version(version, '-V, --version')
  .showHelpAfterError('(elex --help lists the commands)')
  // Commander exits 1 on its own usage errors; the contract says 2. --help / --version stay 0.
  .exitOverride((err) => {
    throw err
  })

serveCommand(program)
queryCommands(program)
catalogCommands(program)
benchCommand(program)

try {
  await program.parseAsync(process.argv)
} catch (e) {
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2)
  throw e
}
