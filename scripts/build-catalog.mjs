// Builds the package's built-in catalog (data/catalog.json) from its sources, deterministically:
//   data/sources/ran-features.json   facts about 593 real Ericsson RAN features (names, links)
//   data/sources/parameter-specs.json value specs by attribute name (3GPP-defined ranges)
//   data/sources/kpis.json            standard LTE / NR KPI formulas over real counter names
//   data/sources/vocabulary.json      RAN abbreviations, synonyms and symptom words
//   data/sources/vocabulary-symptoms.json  problems and goals as engineers put them -> catalog words
// Nothing is invented per feature: a parameter without a spec stays type 'unknown', and a
// feature gets exactly the KPIs its own counters can compute.
//   node scripts/build-catalog.mjs [--check]   (--check: exit 1 if data/catalog.json is stale)
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const source = (name) => JSON.parse(readFileSync(`${root}data/sources/${name}`, 'utf8'))
const facts = source('ran-features.json').features
const specs = source('parameter-specs.json').specs
const kpis = source('kpis.json').kpis
// The vocabulary: abbreviations and synonyms, then how engineers name problems and goals.
// Problems and goals are looser evidence than an abbreviation's expansion: they weigh less,
// and work one way (a symptom names its remedies; a remedy's name does not name the symptom).
const SYMPTOM_WEIGHT = 0.3
const vocabulary = [...source('vocabulary.json').terms,
  ...source('vocabulary-symptoms.json').terms.map((t) => ({ ...t, weight: SYMPTOM_WEIGHT, oneWay: true }))]

/** The value spec of `MoClass.attribute`: one for this class, else one for any class. */
function specFor(name) {
  const [moClass, attribute] = name.split('.')
  const candidates = specs.filter((s) => s.attribute === attribute)
  return candidates.find((s) => s.moClasses?.includes(moClass)) ?? candidates.find((s) => !s.moClasses)
}

function parameter({ name, relation }) {
  const spec = specFor(name)
  if (!spec) return { name, relation, type: 'unknown' }
  const p = { name, relation, type: spec.allowed ? 'int' : spec.type }
  for (const key of ['min', 'max', 'step', 'allowed', 'values', 'unit', 'scale', 'source', 'note']) {
    if (spec[key] !== undefined) p[key] = spec[key]
  }
  return p
}

const counterNames = (formula) => [...new Set(formula.match(/[A-Za-z_][A-Za-z0-9_]*/g))]

function kpisOf(counters) {
  const own = new Set(counters.map((c) => c.split('.').pop()))
  return kpis
    .filter((k) => counterNames(k.formula).every((c) => own.has(c)))
    .map(({ name, formula, threshold, direction, unit, group, source: from }) => {
      const k = { name, formula, direction, unit, group, source: from }
      if (threshold !== undefined) k.threshold = threshold
      return k
    })
}

const TECHNOLOGY = { LTE: 'LTE', NR: 'NR', GSM: 'GSM' }

const features = facts.map((f) => {
  const spec = { fajCode: f.fajCode, name: f.name }
  if (f.acronym) spec.acronym = f.acronym
  if (f.cxc) spec.cxc = f.cxc
  spec.category = f.category
  spec.technology = TECHNOLOGY[f.access] ?? 'CrossRAT'
  spec.licensed = f.licensed
  spec.parameters = f.parameters.map(parameter)
  spec.counters = [...f.counters]
  spec.kpis = kpisOf(f.counters)
  spec.dependsOn = [...f.requires]
  spec.conflictsWith = [...f.conflicts]
  spec.relatedTo = [...f.related]
  return spec
})

// Spellings: where the catalog's names hyphenate a compound ("Multi-Point") that the
// vocabulary writes as one word ("multipoint"), the vocabulary gains the catalog's spelling.
const hyphenated = new Map()
for (const f of features) {
  for (const m of f.name.matchAll(/\b([A-Za-z]+)-([A-Za-z]+)\b/g)) hyphenated.set((m[1] + m[2]).toLowerCase(), m[0])
}
const respelled = (phrase) => phrase.split(' ').map((w) => hyphenated.get(w.toLowerCase()) ?? w).join(' ')
for (const term of vocabulary) {
  for (const e of [...term.expansions]) {
    const r = respelled(e)
    if (r !== e && !term.expansions.includes(r)) term.expansions.push(r)
  }
}

const catalog = {
  about: 'The elex built-in catalog, made by scripts/build-catalog.mjs from data/sources/ (do not edit by hand).',
  features,
  vocabulary: vocabulary.map(({ term, expansions, weight, oneWay }) =>
    (weight === undefined ? { term, expansions } : { term, expansions, weight, oneWay })),
}
const text = JSON.stringify(catalog) + '\n'
const target = `${root}data/catalog.json`
if (process.argv.includes('--check')) {
  let current = ''
  try { current = readFileSync(target, 'utf8') } catch {}
  if (current !== text) { console.error('data/catalog.json is stale: run node scripts/build-catalog.mjs'); process.exit(1) }
} else {
  writeFileSync(target, text)
  const known = features.reduce((n, f) => n + f.parameters.filter((p) => p.type !== 'unknown').length, 0)
  const withKpis = features.filter((f) => f.kpis.length).length
  console.log(`data/catalog.json: ${features.length} features, ${known} parameter links with a known spec, ` +
    `${withKpis} features with KPIs, ${vocabulary.length} vocabulary terms, ${text.length} bytes`)
}
