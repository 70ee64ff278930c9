// The feature page: what the catalog knows of one feature (parameters with their ranges and
// safe zones, counters, KPIs) and its neighbourhood drawn as a small graph: prerequisites on
// the left (activation order, top first), peers on the right, conflicts below.
import { fill, h } from './dom.mjs'

/** What is known of a parameter, in one line: type, range or values, default, safe zone. */
export function describeParameter(p) {
  const parts = [p.type && p.type !== 'unknown' ? p.type : 'type unknown']
  if (p.min !== undefined || p.max !== undefined) parts.push(`range ${p.min ?? '…'}..${p.max ?? '…'}${p.unit ? ` ${p.unit}` : ''}`)
  else if (p.unit) parts.push(p.unit)
  if (p.values?.length) parts.push(`one of ${p.values.join(', ')}`)
  if (p.default !== undefined) parts.push(`default ${p.default}`)
  if (p.safe) {
    const s = p.safe, zone = []
    if (s.min !== undefined || s.max !== undefined) zone.push(`${s.min ?? '…'}..${s.max ?? '…'}`)
    if (s.maxStep !== undefined) zone.push(`step ≤ ${s.maxStep}`)
    if (s.maxChangePercent !== undefined) zone.push(`change ≤ ${s.maxChangePercent} %`)
    parts.push(`safe zone ${zone.join(', ')}`)
  }
  if (p.min === undefined && p.max === undefined && !p.values?.length && !p.safe) parts.push('no range known')
  return parts.join(' · ')
}

const SVG = 'http://www.w3.org/2000/svg'
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v))
  el.append(...children)
  return el
}

const MAX_PER_SIDE = 8
const short = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text)

/** The dependency graph as SVG; nodes are keyboard-reachable links to their feature pages. */
export function dependencyGraph({ feature, dependencies, conflicts, peers }, nameOf, open) {
  const left = dependencies.slice(0, MAX_PER_SIDE)
  const right = peers.filter((p) => !dependencies.includes(p)).slice(0, MAX_PER_SIDE)
  const below = conflicts.slice(0, 3) // one row under the feature
  const rowH = 40, W = 720, boxW = 200, boxH = 30
  const rows = Math.max(left.length, right.length, 1)
  const midY = 20 + (rows * rowH) / 2
  const H = 40 + rows * rowH + (below.length ? 70 : 0)
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'graph', role: 'group', 'aria-label': `dependencies of ${feature.name}` })
  svg.append(s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' }))))

  const node = (faj, x, y, kind) => {
    const title = kind === 'self' ? feature.name : nameOf(faj) ?? faj
    const g = s('g', { class: `node node-${kind}`, transform: `translate(${x},${y})` },
      s('title', {}, `${title} (${faj})`),
      s('rect', { width: boxW, height: boxH, rx: 6 }),
      s('text', { x: 8, y: 13 }, short(title, 28)),
      s('text', { x: 8, y: 25, class: 'node-faj' }, faj))
    if (kind !== 'self') {
      g.setAttribute('tabindex', '0')
      g.setAttribute('role', 'link')
      g.setAttribute('aria-label', `open ${title}, ${faj}`)
      g.addEventListener('click', () => open(faj))
      g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(faj) } })
    }
    return g
  }
  const column = (list, i) => 20 + (rows - list.length) * rowH / 2 + i * rowH
  const cx = (W - boxW) / 2, cy = midY - boxH / 2

  left.forEach((faj, i) => {
    const y = column(left, i)
    svg.append(s('path', { d: `M${10 + boxW},${y + boxH / 2} C${cx - 40},${y + boxH / 2} ${cx - 60},${midY} ${cx},${midY}`, class: 'edge edge-dep', 'marker-end': 'url(#arrow)' }))
    svg.append(node(faj, 10, y, 'dep'))
  })
  right.forEach((faj, i) => {
    const y = column(right, i)
    svg.append(s('path', { d: `M${cx + boxW},${midY} C${cx + boxW + 60},${midY} ${W - boxW - 50},${y + boxH / 2} ${W - boxW - 10},${y + boxH / 2}`, class: 'edge edge-peer' }))
    svg.append(node(faj, W - boxW - 10, y, 'peer'))
  })
  below.forEach((faj, i) => {
    const x = 10 + i * (boxW + 50), y = H - 45
    svg.append(s('path', { d: `M${cx + boxW / 2},${cy + boxH} L${x + boxW / 2},${y}`, class: 'edge edge-conflict' }))
    svg.append(node(faj, x, y, 'conflict'))
  })
  svg.append(node(feature.fajCode, cx, cy, 'self'))
  const more = dependencies.length - left.length + peers.length - right.length + conflicts.length - below.length
  return h('figure.graph-box',
    svg,
    h('figcaption', h('span.key.key-dep', 'prerequisite → '), h('span.key.key-peer', 'peer'), ' ', h('span.key.key-conflict', 'conflict'),
      !dependencies.length && !peers.length && !conflicts.length ? ' — no known dependencies, peers or conflicts' : '',
      more > 0 ? ` (${more} more not drawn)` : ''))
}

const counterName = (c) => (typeof c === 'string' ? c : c.name)

/** Renders GET /api/features/:fajCode's answer (or the tab's equivalent). */
export function renderFeature(el, data, agent, { nameOf, open, planFor }) {
  const f = data.feature
  const facts = [
    ['FAJ code', f.fajCode], ['Acronym', f.acronym], ['Licence key', f.cxc], ['Category', f.category],
    ['Technology', f.technology], ['Licensed', f.licensed === undefined ? undefined : f.licensed ? 'yes' : 'no'],
    ['Agent', agent ? `${agent.status}, ${agent.interactions} interactions, confidence ${(agent.confidence * 100).toFixed(0)} %` : undefined],
  ].filter(([, v]) => v !== undefined && v !== '')
  fill(el,
    h('header.feature-head', h('h3', { id: 'feature-title' }, f.name), h('span.faj', f.fajCode),
      h('button.small', { type: 'button', onclick: () => planFor(f.fajCode) }, 'Plan a change…')),
    h('dl.facts', facts.map(([k, v]) => h('div', h('dt', k), h('dd', v)))),
    f.description ? h('p.description', f.description) : null,
    h('h4', 'Dependencies'),
    dependencyGraph(data, nameOf, open),
    h('h4', `Parameters (${f.parameters.length})`),
    f.parameters.length ? h('table.params',
      h('thead', h('tr', ['Parameter', 'Relation', 'What is known'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', f.parameters.map((p) => h('tr',
        h('td', h('button.link', { type: 'button', title: 'plan a change of this parameter', onclick: () => planFor(f.fajCode, p.name) }, h('code', p.name))),
        h('td', p.relation ?? '–'),
        h('td', describeParameter(p), p.description ? h('div.hint', p.description) : null,
          p.source ? h('div.hint', `Source: ${p.source}`) : null))))) : h('p', 'No parameters in the catalog.'),
    h('h4', `Counters (${f.counters.length})`),
    f.counters.length ? h('ul.chips', f.counters.map((c) => h('li', h('code', { title: c.description ?? '' }, counterName(c))))) : h('p', 'No counters in the catalog.'),
    h('h4', `KPIs (${f.kpis.length})`),
    f.kpis.length ? h('table.kpi-specs',
      h('thead', h('tr', ['KPI', 'Formula', 'Threshold'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', f.kpis.map((k) => h('tr', h('td', k.name), h('td', h('code', k.formula)),
        h('td', k.threshold === undefined ? '–' : `${k.direction === 'lower-is-better' ? '≤' : '≥'} ${k.threshold}${k.unit ? ` ${k.unit}` : ''}`))))) : h('p', 'No KPIs in the catalog.'))
}
