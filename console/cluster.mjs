// The cluster panel (shown when the server runs with --cluster-port): this node, its members
// as SWIM sees them, and the replicated log of change plans every node agrees on. A plan
// made in "Plan a change" can be recorded in that log from here.
import { $, errorBox, fill, h, riskBadge } from './dom.mjs'

const time = (ms) => new Date(ms).toLocaleTimeString()
const short = (id) => (id ? id.replace(/^agent-/, '').slice(0, 12) : '–')

function renderCluster(c) {
  const leader = c.stats.leader
  return h('div',
    h('p.hint', { id: 'cluster-self' },
      `This node ${short(c.nodeId)} at ${c.address ?? '–'} · leader ${leader === c.nodeId ? 'this node' : short(leader)} · term ${c.stats.term}`,
      ` · ${c.stats.slots} learned-state slots · ${c.stats.rounds} anti-entropy rounds`,
      Object.keys(c.stats.rejected).length ? ` · dropped ${Object.entries(c.stats.rejected).map(([k, n]) => `${n} ${k}`).join(', ')}` : ''),
    h('div.table-scroll', h('table', { id: 'cluster-members' },
      h('caption', `Members (${c.members.length})`),
      h('thead', h('tr', ['Node', 'Address', 'State', 'Role'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', c.members.map((m) => h('tr', { dataset: { state: m.state } },
        h('td', h('code', { title: m.nodeId }, short(m.nodeId)), m.nodeId === c.nodeId ? ' (this node)' : ''),
        h('td', m.address ?? 'browser'), h('td', m.state), h('td', m.voter ? 'voter' : 'learner')))))),
    h('div.table-scroll', h('table', { id: 'cluster-log' },
      h('caption', `Replicated log of plans (${c.log.length})`),
      h('thead', h('tr', ['Index', 'Term', 'Feature', 'Risk', 'Changes', 'Proposed by', 'Committed'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', c.log.length
        ? c.log.slice().reverse().map((e) => h('tr',
          h('td', String(e.index)), h('td', String(e.term)), h('td', h('span.faj', e.plan.fajCode ?? '–')),
          h('td', e.plan.risk ? riskBadge(e.plan.risk) : '–'),
          h('td', (e.plan.changes ?? []).map((x) => `${x.parameter} → ${JSON.stringify(x.to)}`).join('; ') || '–'),
          h('td', h('code', { title: e.proposedBy }, short(e.proposedBy))), h('td', time(e.committedAt))))
        : h('tr', h('td', { colSpan: 7 }, 'Nothing recorded yet: plan a change, then "Record in the cluster log".'))))))
}

/** `server`: the server backend (console/backend.mjs). Hidden unless the server is in a cluster. */
export function setupCluster({ server }) {
  const panel = $('#cluster-panel')
  const body = $('#cluster')
  let present = false

  async function refresh() {
    try {
      // Asked only of a server that says it is in a cluster (no 404 in the page's console).
      if (!present && !(await server.health()).cluster) return
      const c = await server.cluster()
      present = true
      panel.hidden = false
      fill(body, renderCluster(c))
    } catch (e) {
      if (e.status === 404) {
        present = false
        panel.hidden = true
      } else if (present) {
        fill(body, errorBox(e, 'Reading the cluster'))
      }
    }
  }

  return {
    refresh,
    get present() {
      return present
    },
    /** Records a plan in the replicated log; the entry once a majority has it. */
    async record(plan) {
      const entry = await server.propose(plan)
      await refresh()
      return entry
    },
  }
}
