// `elex catalog validate file.json` and `elex catalog stats [file.json]`.
import { readCatalog } from '../server/serve.mjs'
import { action, loadElex, printJson, progressBar } from './common.mjs'

const out = (line = '') => process.stdout.write(`${line}\n`)

function count(items, keyOf) {
  const counts = {}
  for (const item of items) {
    const k = keyOf(item) ?? '(none)'
    counts[k] = (counts[k] ?? 0) + 1
  }
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]))
}

export function catalogStats(features) {
  const sum = (f) => features.reduce((n, x) => n + f(x), 0)
  return {
    features: features.length,
    licensed: features.filter((f) => f.licensed).length,
    parameters: sum((f) => f.parameters?.length ?? 0),
    counters: sum((f) => f.counters?.length ?? 0),
    kpis: sum((f) => f.kpis?.length ?? 0),
    dependencies: sum((f) => f.dependsOn?.length ?? 0),
    byCategory: count(features, (f) => f.category),
    byTechnology: count(features, (f) => f.technology),
  }
}

export function catalogCommands(program) {
  const catalog = program.command('catalog').description('check or describe a feature catalog')

  catalog.command('validate')
    .description('check a catalog file (exit 1 with the entry and why when it is invalid)')
    .argument('<file>', 'JSON: FeatureSpec[] or { features }')
    .option('--json', 'print { valid, features } as JSON')
    .action(action(async (file, opts) => {
      const bar = progressBar(2, 'validate')
      let features
      try {
        bar.update(0, 'reading')
        features = await readCatalog(file)
        bar.update(1, `checking ${features.length} features`)
        loadElex().validateCatalog(features)
      } finally {
        bar.stop()
      }
      if (opts.json) printJson({ valid: true, features: features.length })
      else out(`${file}: valid, ${features.length} features`)
    }))

  catalog.command('stats')
    .description('what a catalog holds (the built-in one without a file)')
    .argument('[file]', 'JSON: FeatureSpec[] or { features }')
    .option('--json', 'print the numbers as JSON')
    .action(action(async (file, opts) => {
      const features = file ? await readCatalog(file) : loadElex().defaultCatalog()
      const stats = catalogStats(features)
      if (opts.json) return printJson(stats)
      out(`${file ?? 'built-in catalog'}: ${stats.features} features (${stats.licensed} licensed)`)
      out(`  ${stats.parameters} parameters, ${stats.counters} counters, ${stats.kpis} KPIs, ${stats.dependencies} dependencies`)
      out('  by technology: ' + Object.entries(stats.byTechnology).map(([k, n]) => `${k} ${n}`).join(', '))
      out('  by category:')
      for (const [k, n] of Object.entries(stats.byCategory)) out(`    ${String(n).padStart(4)}  ${k}`)
    }))
}
