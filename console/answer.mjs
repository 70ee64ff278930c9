// The answer panel: everything the routed agent returned, laid out for an engineer who
// wants the feature, the commands and a way to tell the agent whether it helped.
import { commandLine, errorBox, fill, h, meter, micros, riskBadge, statusBadge } from './dom.mjs'

const REWARDS = [
  { reward: 1, label: 'Helpful', hint: 'the answer was right and enough' },
  { reward: 0.3, label: 'Partly', hint: 'right feature, but not what I needed' },
  { reward: -1, label: 'Wrong', hint: 'wrong feature or a useless answer' },
]

function chips(title, names, kind) {
  if (!names.length) return null
  return h('div.matches', h('span.label', title),
    h('ul.chips', names.map((n) => h('li', h('code', { dataset: { kind } }, n)))))
}

function shortlist(candidates, chosen, openFeature) {
  return h('ol.shortlist', { 'aria-label': 'routing shortlist' }, candidates.map((c) =>
    h('li', { dataset: { chosen: String(c.fajCode === chosen) } },
      h('button.link', { type: 'button', onclick: () => openFeature(c.fajCode), title: `open ${c.fajCode}` }, c.name),
      h('span.faj', c.fajCode),
      meter(c.score, 'routing score'))))
}

function feedbackBar(response, sendFeedback) {
  const result = h('span.feedback-result', { role: 'status', 'aria-live': 'polite' })
  const buttons = REWARDS.map(({ reward, label, hint }) => h('button.feedback', {
    type: 'button', title: `${hint} (reward ${reward})`, dataset: { reward: String(reward) },
    onclick: async () => {
      for (const b of buttons) b.disabled = true
      try {
        const agent = await sendFeedback(response.queryId, reward)
        fill(result, `Sent (reward ${reward}). `, agent
          ? `${agent.name} now: ${agent.interactions} interactions, success rate ${(agent.successRate * 100).toFixed(0)} %.`
          : '')
        result.dataset.sent = String(reward)
      } catch (e) {
        fill(result, errorBox(e, 'Feedback'))
        for (const b of buttons) b.disabled = false
      }
    },
  }, label))
  return h('div.feedback-bar', h('span.label', 'Did this help?'), buttons, result)
}

/**
 * Renders a QueryResponse. `agent` is the answering agent's AgentInfo (for its acronym),
 * or null when it could not be fetched.
 */
export function renderAnswer(el, response, agent, { sendFeedback, openFeature, planFor }) {
  const r = response
  const acronym = agent?.acronym
  fill(el,
    h('header.answer-head',
      h('h3.feature-name', { id: 'answer-feature' },
        h('button.link', { type: 'button', onclick: () => openFeature(r.fajCode) }, r.featureName),
        acronym ? h('span.acronym', ` (${acronym})`) : null),
      h('span.faj', { id: 'answer-faj' }, r.fajCode),
      h('button.small', { type: 'button', onclick: () => planFor(r.fajCode) }, 'Plan a change…')),
    h('dl.facts',
      h('div', h('dt', 'Action'), h('dd', h('span.action', { dataset: { action: r.action } }, r.action))),
      h('div', h('dt', 'Confidence'), h('dd', meter(r.confidence, 'confidence'))),
      h('div', h('dt', 'Agent status'), h('dd', statusBadge(r.status))),
      h('div', h('dt', 'Question'), h('dd', `${r.queryType}, ${r.complexity}`)),
      h('div', h('dt', 'Answered in'), h('dd', micros(r.latencyUs)))),
    h('pre.answer-text', r.answer),
    chips('Parameters', r.matches.parameters, 'parameter'),
    chips('Counters', r.matches.counters, 'counter'),
    chips('KPIs', r.matches.kpis, 'kpi'),
    r.consulted.length ? h('p.consulted', 'Consulted: ', r.consulted.map((c) =>
      h('button.link', { type: 'button', onclick: () => openFeature(c) }, c))) : null,
    r.commands.length ? h('section.commands', { 'aria-label': 'commands' },
      h('h4', 'Commands'),
      r.commands.map((c) => commandLine(c.command, h('span.purpose', c.purpose, ' ', riskBadge(c.risk))))) : null,
    feedbackBar(r, sendFeedback),
    h('section.shortlist-box', { 'aria-label': 'shortlist' },
      h('h4', 'Shortlist ', h('span.hint', '(the features the question was routed between)')),
      shortlist(r.candidates, r.fajCode, openFeature)))
  el.dataset.queryId = r.queryId
}
