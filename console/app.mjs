// The console page: wires the panels to one backend (the server's swarm, or the swarm in this
// tab on WebAssembly) and keeps the stats bar, the agents table and the plots current.
import { renderAnswer } from './answer.mjs'
import { setupAgents } from './agents.mjs'
import { serverBackend, setToken, tabBackend } from './backend.mjs'
import { setupCharts } from './charts.mjs'
import { setupCluster } from './cluster.mjs'
import { $, bytes, errorBox, fill, h, inPanel, micros } from './dom.mjs'
import { renderFeature } from './feature.mjs'
import { setupKpis } from './kpis.mjs'
import { setupPlan } from './plan.mjs'

const MODE_KEY = 'elex-console/mode'
// One session per tab: the swarm uses it to read follow-up questions in context.
const session = sessionStorage.getItem('elex-console/session') ?? `s${Math.random().toString(36).slice(2, 10)}`
sessionStorage.setItem('elex-console/session', session)

let backend = null
let features = new Map() // fajCode → promise of the feature page's data, per backend

const featureOf = (faj) => {
  if (!features.has(faj)) features.set(faj, backend.feature(faj).catch((e) => { features.delete(faj); throw e }))
  return features.get(faj)
}
const node = () => $('#node').value.trim()

const agents = setupAgents({ open: openFeature })
const charts = setupCharts()
// The cluster is the server's, whichever backend answers questions.
const cluster = setupCluster({ server: serverBackend() })
const plan = setupPlan({ backend: () => backend, featureOf, defaultScope: node, cluster })
const kpis = setupKpis({ backend: () => backend, featureOf })

function stat(label, value, id) {
  return h('div', h('dt', label), h('dd', { id }, value))
}

/** Stats bar, agents table and plots from the backend, after anything that changes them. */
async function refresh() {
  try {
    const [health, stats, list, metrics] = await Promise.all([backend.health(), backend.stats(), backend.agents(), backend.metrics()])
    const where = backend.mode === 'tab' ? 'in this tab' : 'on the server'
    fill($('#stats'),
      stat('Engine', `${health.backend} ${where}`, 'stat-backend'),
      stat('Agents', `${stats.agents} (${stats.byStatus.Ready ?? 0} ready)`, 'stat-agents'),
      stat('Queries', String(stats.queries), 'stat-queries'),
      stat('Feedback', String(stats.feedback), 'stat-feedback'),
      stat('Avg latency', stats.queries ? micros(stats.avgLatencyUs) : '–', 'stat-latency'),
      stat('Memory', bytes(stats.memoryBytes), 'stat-memory'))
    fill($('#stats-error'))
    $('#token-form').hidden = true
    agents.update(list)
    charts.update(metrics)
    await cluster.refresh()
  } catch (e) {
    fill($('#stats-error'), errorBox(e, 'Refreshing'))
    if (e.status === 401) {
      $('#token-form').hidden = false
      $('#token').focus()
    }
  }
}

async function ask(text) {
  const answer = $('#answer')
  const context = { session }
  if (node()) context.node = node()
  await inPanel(answer, 'Asking', async () => {
    const r = await backend.query(text, context)
    const agent = await backend.agent(r.fajCode).catch(() => null)
    renderAnswer(answer, r, agent, { sendFeedback, openFeature, planFor })
    plan.prefill(r.fajCode, r.matches.parameters[0])
    kpis.prefill(r.fajCode)
  })
  await refresh()
}

async function sendFeedback(queryId, reward) {
  await backend.feedback(queryId, reward)
  await refresh()
  const faj = $('#answer-faj')?.textContent
  return faj ? backend.agent(faj).catch(() => null) : null
}

async function openFeature(faj) {
  const panel = $('#feature')
  await inPanel(panel, 'Loading the feature', async () => {
    const [data, agent] = await Promise.all([featureOf(faj), backend.agent(faj).catch(() => null)])
    renderFeature(panel, data, agent, { nameOf: (f) => agents.byFajCode(f)?.name, open: openFeature, planFor })
  })
  $('#feature-panel').scrollIntoView({ behavior: 'smooth', block: 'start' })
  $('#feature-title')?.focus({ preventScroll: true })
}

async function planFor(faj, parameter) {
  await plan.prefill(faj, parameter)
  $('#plan-panel').scrollIntoView({ behavior: 'smooth', block: 'start' })
  $(parameter ? '#plan-new' : '#plan-parameter').focus({ preventScroll: true })
}

function showSaved(state) {
  const el = $('#persist')
  if (state instanceof Error) {
    el.dataset.state = 'error'
    return fill(el, errorBox(state, 'Saving in this browser'))
  }
  el.dataset.state = state
  fill(el, state === 'saving' ? 'saving…' : `saved in this browser at ${new Date().toLocaleTimeString()}`)
}

async function switchTo(mode) {
  document.body.dataset.ready = 'false'
  document.body.dataset.mode = mode
  localStorage.setItem(MODE_KEY, mode)
  for (const radio of document.querySelectorAll('input[name=mode]')) radio.checked = radio.value === mode
  $('#tab-tools').hidden = mode !== 'tab'
  features = new Map()
  fill($('#answer'), h('p.hint', 'Ask a question: the swarm routes it to the feature agent that knows the answer.'))
  const note = $('#mode-note')
  if (mode === 'tab') {
    fill(note, 'Loading the WebAssembly build…')
    const notes = []
    try {
      backend = await tabBackend({ onSaved: showSaved, note: (text) => notes.push(text) })
      fill(note, `Answering in this tab (WebAssembly): ${notes.join('; ')}.`)
    } catch (e) {
      fill(note, errorBox(e, 'Loading the WebAssembly build'), ' Answering on the server instead.')
      return switchTo('server')
    }
  } else {
    backend = serverBackend()
    fill(note, 'Asking the server (native addon).')
  }
  await refresh()
  document.body.dataset.ready = 'true'
}

async function sync(direction) {
  const status = $('#sync-status')
  await inPanel(status, direction === 'pull' ? 'Pulling' : 'Pushing', async () => {
    await backend[direction]()
    await refresh()
    return direction === 'pull'
      ? `merged the server's learning into this tab at ${new Date().toLocaleTimeString()}`
      : `sent this tab's learning to the server at ${new Date().toLocaleTimeString()}`
  })
}

$('#ask-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const text = $('#question').value.trim()
  if (text) ask(text)
})
for (const radio of document.querySelectorAll('input[name=mode]')) {
  radio.addEventListener('change', () => radio.checked && switchTo(radio.value))
}
$('#token-form').addEventListener('submit', (event) => {
  event.preventDefault()
  setToken($('#token').value.trim())
  $('#token').value = ''
  switchTo(document.body.dataset.mode)
})
$('#pull').addEventListener('click', () => sync('pull'))
$('#push').addEventListener('click', () => sync('push'))
$('#forget').addEventListener('click', async () => {
  await inPanel($('#sync-status'), 'Forgetting', async () => {
    await backend.forget()
    await switchTo('tab')
    return 'forgot what this tab had learned; started again'
  })
})

switchTo(localStorage.getItem(MODE_KEY) === 'tab' ? 'tab' : 'server')
// Members come and go and plans commit elsewhere: the cluster panel follows on its own.
setInterval(() => { if (cluster.present) cluster.refresh() }, 3000)
