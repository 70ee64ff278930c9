// The KPI panel: paste counter values (as exported from ENM PM files or typed), get the
// feature's KPIs computed by the engine, breached thresholds marked.
import { $, h, inPanel } from './dom.mjs'

/**
 * Counters from pasted text: a JSON object, or one counter a line as `name=value`,
 * `name: value`, `name,value` or `name value` (# starts a comment).
 */
export function parseCounters(text) {
  const t = text.trim()
  if (t.startsWith('{')) {
    try {
      return JSON.parse(t)
    } catch (e) {
      throw Object.assign(new Error(`the counters are not valid JSON: ${e.message}`), { code: 'INVALID_ARGUMENT' })
    }
  }
  const counters = {}
  t.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim()
    if (!line) return
    const m = line.match(/^([\w.\[\]-]+)\s*(?:[=:,;\t]|\s)\s*(\S+)$/)
    const value = m ? Number(m[2]) : NaN
    if (!m || !Number.isFinite(value)) {
      throw Object.assign(new Error(`line ${i + 1} is not "counter = number": ${JSON.stringify(raw.trim())}`), { code: 'INVALID_ARGUMENT' })
    }
    counters[m[1]] = value
  })
  return counters
}

const countersIn = (formula) => formula.match(/[A-Za-z_][\w.]*/g) ?? []

function renderKpis(results, spec) {
  if (!results.length) return h('p.empty', `The engine computed no KPIs: ${spec?.name ?? 'this feature'} has none in the catalog.`)
  const specOf = (name) => spec?.kpis.find((k) => k.name === name)
  const breached = results.filter((k) => k.breached).length
  return h('div',
    h('p', { id: 'kpi-summary' }, breached ? h('strong.warn', `${breached} of ${results.length} KPIs breached`) : `${results.length} KPIs, none breached`),
    h('table.kpis', h('caption.visually-hidden', 'KPIs computed from the counters'),
      h('thead', h('tr', ['KPI', 'Value', 'Threshold', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', results.map((k) => {
        const s = specOf(k.name)
        return h('tr', { dataset: { breached: String(k.breached) } },
          h('td', k.name, s ? h('div.hint', h('code', s.formula)) : null),
          h('td.num', k.value === null ? '–' : k.value.toFixed(2), s?.unit ? ` ${s.unit}` : ''),
          h('td', s?.threshold === undefined ? '–' : `${s.direction === 'lower-is-better' ? '≤' : '≥'} ${s.threshold}`),
          h('td', k.breached ? h('span.breach', 'BREACHED') : k.value === null ? h('span.hint', k.reason ?? 'not computed') : h('span.ok', 'ok')))
      }))))
}

export function setupKpis({ backend, featureOf }) {
  const form = $('#kpi-form'), result = $('#kpi-result')
  const feature = $('#kpi-feature'), counters = $('#kpi-counters')

  // The counter names the feature's KPI formulas use (all its counters if it has no KPI),
  // so that only the numbers remain to be typed.
  $('#kpi-template').addEventListener('click', () => inPanel(result, 'Loading the counters', async () => {
    const spec = (await featureOf(feature.value.trim())).feature
    const names = spec.kpis.length
      ? [...new Set(spec.kpis.flatMap((k) => countersIn(k.formula)))]
      : spec.counters.map((c) => (typeof c === 'string' ? c : c.name))
    counters.value = names.map((n) => `${n} = `).join('\n')
    counters.focus()
    return h('p.hint', `${names.length} counters of ${spec.name}: type their values.`)
  }))

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const faj = feature.value.trim()
    inPanel(result, 'Computing KPIs', async () => {
      const values = parseCounters(counters.value)
      const [results, spec] = await Promise.all([backend().kpis(faj, values), featureOf(faj).then((d) => d.feature, () => null)])
      return renderKpis(results, spec)
    })
  })

  return {
    prefill(faj) {
      if (!feature.value) feature.value = faj
    },
  }
}
