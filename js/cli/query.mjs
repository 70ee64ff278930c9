// `elex ask`, `elex plan`, `elex kpis`: one call into a local swarm, printed as text or JSON.
import { readJson } from '../server/serve.mjs'
import { httpError } from '../server/errors.mjs'
import { action, parsePairs, printJson } from './common.mjs'
import { localSwarm, swarmOptions } from './local-swarm.mjs'

const out = (line = '') => process.stdout.write(`${line}\n`)

function printAnswer(r) {
  out(`${r.featureName} (${r.fajCode}) — ${r.queryType}, ${r.action}, confidence ${r.confidence.toFixed(2)}, ${r.latencyUs.toFixed(0)} µs`)
  out()
  out(r.answer)
  if (r.commands.length) {
    out()
    for (const c of r.commands) out(`  $ ${c.command}   # ${c.purpose} (${c.risk})`)
  }
  if (r.consulted.length) out(`\nconsulted: ${r.consulted.join(', ')}`)
}

function printPlan(p) {
  out(`plan for ${p.fajCode}: risk ${p.risk}`)
  for (const c of p.changes) {
    const from = c.from === undefined ? '' : `${c.from} -> `
    out(`  ${c.allowed ? 'ok     ' : 'REFUSED'} ${c.parameter}: ${from}${c.to} (${c.risk}) ${c.reason}`)
  }
  if (p.activateFirst.length) out(`activate first: ${p.activateFirst.join(', ')}`)
  if (p.conflicts.length) out(`conflicts with active: ${p.conflicts.join(', ')}`)
  if (p.commands.length) {
    out('commands:')
    for (const c of p.commands) out(`  ${c}`)
  }
}

function printKpis(fajCode, kpis) {
  if (!kpis.length) out(`${fajCode} defines no KPIs`)
  for (const k of kpis) {
    const value = k.value === null ? `n/a (${k.reason})` : k.value.toFixed(3)
    out(`${k.breached ? 'BREACHED' : 'ok      '} ${k.name}: ${value}${k.breached && k.reason ? ` — ${k.reason}` : ''}`)
  }
}

export function queryCommands(program) {
  swarmOptions(program.command('ask')
    .description('ask the swarm one question')
    .argument('<question>', 'the question, e.g. "How do I activate MIMO Sleep Mode?"')
    .option('--node <node>', 'the node the commands are scoped to, e.g. ERBS01')
    .option('--json', 'print the QueryResponse as JSON'))
    .action(action(async (question, opts) => {
      const { swarm } = await localSwarm(opts)
      const r = swarm.query(opts.node ? { text: question, context: { node: opts.node } } : question)
      if (opts.json) printJson(r)
      else printAnswer(r)
    }))

  swarmOptions(program.command('plan')
    .description('plan a parameter change: checked values, prerequisites and ENM commands')
    .argument('<fajCode>', 'the feature, e.g. "FAJ 121 3009"')
    .argument('<changes...>', 'name=value pairs, e.g. ReportConfigEUtraBestCell.a3offset=60')
    .option('--current <pairs...>', 'current values, name=value')
    .option('--scope <mo>', 'MO scope of the commands, e.g. ERBS01')
    .option('--active <fajCodes...>', 'features active on the node (for conflicts)')
    .option('--json', 'print the ChangePlan as JSON'))
    .action(action(async (fajCode, changes, opts) => {
      const options = {}
      if (opts.current) options.current = parsePairs(opts.current, '--current value')
      if (opts.scope) options.scope = opts.scope
      if (opts.active) options.activeFeatures = opts.active
      const parsed = parsePairs(changes)
      const { swarm } = await localSwarm(opts)
      const plan = swarm.plan(fajCode, parsed, Object.keys(options).length ? options : undefined)
      if (opts.json) printJson(plan)
      else printPlan(plan)
    }))

  swarmOptions(program.command('kpis')
    .description("compute a feature's KPIs from counter values")
    .argument('<fajCode>', 'the feature, e.g. "FAJ 121 0497"')
    .argument('<counters>', 'a JSON file: { "pmHoExeSucc": 955, … }')
    .option('--json', 'print the result as JSON'))
    .action(action(async (fajCode, file, opts) => {
      const counters = await readJson(file, 'counters file')
      if (counters === null || typeof counters !== 'object' || Array.isArray(counters)) {
        throw httpError(400, 'INVALID_ARGUMENT', `${file} must hold a JSON object of counter name -> number`)
      }
      const { swarm } = await localSwarm(opts)
      const kpis = swarm.evaluateKpis(fajCode, counters)
      if (opts.json) printJson(kpis)
      else printKpis(fajCode, kpis)
    }))
}
