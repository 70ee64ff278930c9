// The agents table: every feature agent with its status and what it has learned so far,
// sortable by the columns an operator compares, filterable by name, acronym or FAJ code.
import { $, fill, h, micros, percent, statusBadge } from './dom.mjs'

const STATUS_ORDER = ['Ready', 'Busy', 'ColdStart', 'Initializing', 'Degraded', 'Offline']

const COLUMNS = [
  { key: 'name', label: 'Feature', value: (a) => a.name.toLowerCase() },
  { key: 'fajCode', label: 'FAJ', value: (a) => a.fajCode },
  { key: 'status', label: 'Status', value: (a) => STATUS_ORDER.indexOf(a.status) },
  { key: 'confidence', label: 'Confidence', value: (a) => a.confidence, numeric: true },
  { key: 'interactions', label: 'Interactions', value: (a) => a.interactions, numeric: true },
  { key: 'successRate', label: 'Success rate', value: (a) => a.successRate, numeric: true },
  { key: 'avgLatencyUs', label: 'Avg latency', value: (a) => a.avgLatencyUs, numeric: true },
]

export function setupAgents({ open }) {
  const table = $('#agents-table'), filter = $('#agents-filter'), count = $('#agents-count')
  let agents = []
  // Most used first: the agents someone has talked to are the interesting ones.
  let sort = { key: 'interactions', descending: true }

  function header() {
    return h('thead', h('tr', COLUMNS.map((c) => {
      const active = sort.key === c.key
      return h('th', { scope: 'col', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none', dataset: { key: c.key } },
        h('button.sort', {
          type: 'button',
          onclick: () => {
            sort = { key: c.key, descending: active ? !sort.descending : c.numeric === true }
            render()
            // The header was drawn again: keep the keyboard where it was.
            table.querySelector(`th[data-key="${c.key}"] button`).focus()
          },
        }, c.label, h('span.sort-mark', { 'aria-hidden': 'true' }, active ? (sort.descending ? ' ▼' : ' ▲') : '')))
    })))
  }

  function render() {
    const column = COLUMNS.find((c) => c.key === sort.key)
    const words = filter.value.trim().toLowerCase()
    const shown = agents
      .filter((a) => !words || `${a.name} ${a.acronym ?? ''} ${a.fajCode} ${a.category}`.toLowerCase().includes(words))
      .sort((a, b) => {
        const x = column.value(a), y = column.value(b)
        const order = x < y ? -1 : x > y ? 1 : a.fajCode.localeCompare(b.fajCode)
        return sort.descending ? -order : order
      })
    fill(count, `${shown.length} of ${agents.length}`)
    fill(table,
      h('caption.visually-hidden', 'feature agents'),
      header(),
      h('tbody', shown.map((a) => h('tr', { dataset: { faj: a.fajCode, status: a.status } },
        h('td', h('button.link', { type: 'button', onclick: () => open(a.fajCode) }, a.name),
          a.acronym ? h('span.acronym', ` ${a.acronym}`) : null),
        h('td.faj', a.fajCode),
        h('td', statusBadge(a.status)),
        h('td.num', percent(a.confidence)),
        h('td.num', { dataset: { col: 'interactions' } }, String(a.interactions)),
        h('td.num', a.interactions ? percent(a.successRate) : '–'),
        h('td.num', a.interactions ? micros(a.avgLatencyUs) : '–')))))
  }

  filter.addEventListener('input', render)

  return {
    update(list) {
      // The FAJ code suggestions of the plan and KPI forms, when the set of agents changed.
      if (list.length !== agents.length) fill($('#feature-codes'), list.map((a) => h('option', { value: a.fajCode }, a.name)))
      agents = list
      render()
    },
    /** The agent's row, for names in the graph and the answer's acronym. */
    byFajCode: (faj) => agents.find((a) => a.fajCode === faj),
  }
}
