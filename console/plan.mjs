// "Plan a change": one parameter of one feature, from its current value to a new one. The
// engine labels the risk, says why, lists the prerequisites to activate first and the
// cmedit lines in order; the page only lays that out.
import { $, commandLine, copyButton, fill, h, inPanel, parseValue, riskBadge } from './dom.mjs'
import { describeParameter } from './feature.mjs'

const show = (v) => (v === undefined ? '–' : typeof v === 'string' ? v : JSON.stringify(v))

function renderPlan(plan, cluster) {
  const record = cluster?.present
    ? h('p.record', h('button', {
      type: 'button', id: 'plan-record',
      onclick: async (event) => {
        const button = event.currentTarget
        const status = button.nextElementSibling
        button.disabled = true
        fill(status, ' recording…')
        try {
          const entry = await cluster.record(plan)
          fill(status, ` recorded at index ${entry.index} (term ${entry.term}) on a majority of the cluster`)
        } catch (e) {
          fill(status, ` ${e.code}: ${e.message}`)
          button.disabled = false
        }
      },
    }, 'Record in the cluster log'), h('span', { role: 'status' }))
    : null
  return h('div.plan',
    h('p.plan-risk', 'Plan risk: ', h('span', { id: 'plan-risk' }, riskBadge(plan.risk)),
      plan.risk === 'HIGH' ? h('strong.warn', ' — review before applying') : null),
    h('table.changes', h('caption.visually-hidden', 'planned changes'),
      h('thead', h('tr', ['Parameter', 'From', 'To', 'Risk', 'Why'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', plan.changes.map((c) => h('tr', { dataset: { allowed: String(c.allowed) } },
        h('td', h('code', c.parameter)), h('td', show(c.from)), h('td', show(c.to)),
        h('td', riskBadge(c.risk)), h('td', c.allowed ? c.reason : h('strong', c.reason)))))),
    plan.activateFirst.length
      ? h('div.prereq', h('h4', 'Activate first (in this order)'), h('ol', plan.activateFirst.map((f) => h('li', h('span.faj', f)))))
      : h('p.prereq', 'No prerequisites to activate first.'),
    plan.conflicts.length
      ? h('div.conflicts', h('h4', 'Conflicts with active features'), h('ul', plan.conflicts.map((f) => h('li', h('span.faj', f)))))
      : null,
    h('section.commands', { 'aria-label': 'plan commands' },
      h('h4', 'Commands, in order ', plan.commands.length > 1 ? copyButton(plan.commands.join('\n'), 'Copy all') : null),
      plan.commands.map((c) => commandLine(c))),
    record)
}

/**
 * Wires the plan form. `backend()` gives the current backend; `featureOf(faj)` the
 * feature's spec (cached by the caller) for the parameter list and what is known of each;
 * `cluster` (console/cluster.mjs) offers to record a plan in the cluster's log.
 */
export function setupPlan({ backend, featureOf, defaultScope, cluster }) {
  const form = $('#plan-form')
  const result = $('#plan-result')
  const feature = $('#plan-feature'), parameter = $('#plan-parameter')
  const known = $('#plan-parameter-known'), params = $('#plan-parameters')
  let spec = null

  async function loadParameters() {
    spec = null
    fill(params)
    fill(known)
    const faj = feature.value.trim()
    if (!faj) return
    try {
      spec = (await featureOf(faj)).feature
      fill(params, spec.parameters.map((p) => h('option', { value: p.name }, p.relation ?? '')))
      showKnown()
    } catch (e) {
      fill(known, `${e.code}: ${e.message}`)
    }
  }

  function showKnown() {
    const p = spec?.parameters.find((x) => x.name === parameter.value.trim())
    fill(known, p ? `In the catalog: ${describeParameter(p)}` : spec ? `${spec.parameters.length} parameters of ${spec.name} in the catalog` : '')
  }

  feature.addEventListener('change', loadParameters)
  parameter.addEventListener('input', showKnown)

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const faj = feature.value.trim(), name = parameter.value.trim()
    const to = parseValue($('#plan-new').value), from = parseValue($('#plan-current').value)
    const scope = $('#plan-scope').value.trim() || defaultScope()
    const active = $('#plan-active').value.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean)
    const options = {}
    if (from !== undefined) options.current = { [name]: from }
    if (scope) options.scope = scope
    if (active.length) options.activeFeatures = active
    inPanel(result, 'Planning', async () => {
      if (to === undefined) throw Object.assign(new Error('give the new value'), { code: 'INVALID_ARGUMENT' })
      return renderPlan(await backend().plan(faj, { [name]: to }, options), cluster)
    })
  })

  return {
    /** Prefills the feature (e.g. from an answer) and loads its parameters. */
    async prefill(faj, parameterName) {
      if (feature.value !== faj) {
        feature.value = faj
        await loadParameters()
      }
      if (parameterName) {
        parameter.value = parameterName
        showKnown()
      }
    },
  }
}
