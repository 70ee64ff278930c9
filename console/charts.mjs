// Plots for what is easier seen than read: the learning curve (each feedback's reward, its
// rolling mean and the rolling share of answers rated helpful) and the query latency histogram.
import uPlot from './vendor/uPlot.esm.js'
import { $, fill, h } from './dom.mjs'

const WINDOW = 20 // feedback events per rolling point: smooth enough, still moves after a few

function rolling(values, f) {
  return values.map((_, i) => {
    const slice = values.slice(Math.max(0, i - WINDOW + 1), i + 1)
    return f(slice)
  })
}
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length

// Latency bins on a 1-2-5 scale from 10 µs: a query is tens of µs, a cold first one can be ms.
const EDGES = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
function histogram(latencies) {
  const counts = new Array(EDGES.length + 1).fill(0)
  for (const us of latencies) {
    let i = EDGES.findIndex((edge) => us < edge)
    if (i < 0) i = EDGES.length
    counts[i]++
  }
  return counts
}
const binLabel = (i) => {
  const us = (x) => (x >= 1000 ? `${x / 1000} ms` : `${x} µs`)
  return i === 0 ? `<${us(EDGES[0])}` : i === EDGES.length ? `≥${us(EDGES.at(-1))}` : `${us(EDGES[i - 1])}–`
}

function sized(el, makeChart) {
  const width = () => Math.max(280, el.clientWidth - 8)
  let chart = makeChart(width())
  new ResizeObserver(() => chart.setSize({ width: width(), height: 200 })).observe(el)
  return {
    set(data) { chart.setData(data) },
  }
}

export function setupCharts() {
  const learningBox = $('#chart-learning'), latencyBox = $('#chart-latency')
  const learningNote = $('#chart-learning-note'), latencyNote = $('#chart-latency-note')

  const learning = sized(learningBox, (width) => new uPlot({
    width, height: 200,
    title: 'Learning curve',
    scales: { x: { time: false, range: (_, lo, hi) => [Math.min(lo ?? 0, 0), Math.max(hi ?? 1, 5)] }, y: { range: [-1.05, 1.05] } },
    axes: [{ label: 'feedback #', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000] }, { label: 'reward / share', size: 50 }],
    series: [
      { label: 'feedback #' },
      { label: 'reward', stroke: '#8a99ad', width: 0, points: { show: true, size: 7, fill: '#8a99ad' }, paths: () => null },
      { label: `mean reward (last ${WINDOW})`, stroke: '#1f6feb', width: 2 },
      { label: 'rated helpful (share)', stroke: '#1a7f37', width: 2, dash: [6, 4] },
    ],
  }, [[], [], [], []], learningBox))

  const latency = sized(latencyBox, (width) => new uPlot({
    width, height: 200,
    title: 'Query latency',
    scales: { x: { time: false, range: [-0.5, EDGES.length + 0.5] } },
    axes: [
      { label: 'latency', values: (_, ticks) => ticks.map((t) => (Number.isInteger(t) ? binLabel(t) : '')), incrs: [1], space: 30 },
      { label: 'queries', size: 50 },
    ],
    series: [
      { label: 'bin' },
      { label: 'queries', stroke: '#1f6feb', fill: 'rgba(31,111,235,0.35)', width: 1, paths: uPlot.paths.bars({ size: [0.8, 60] }), points: { show: false } },
    ],
    legend: { show: false },
  }, [[], []], latencyBox))

  return {
    /** `metrics`: { feedback: [{ t, reward, action, queryType, fajCode }], latencyUs: number[] } */
    update(metrics) {
      const rewards = metrics.feedback.map((f) => f.reward)
      learning.set([
        rewards.map((_, i) => i + 1),
        rewards,
        rolling(rewards, mean),
        rolling(rewards, (xs) => xs.filter((r) => r > 0).length / xs.length),
      ])
      fill(learningNote, rewards.length
        ? `${rewards.length} feedback events; last ${Math.min(WINDOW, rewards.length)}: mean reward ${mean(rewards.slice(-WINDOW)).toFixed(2)}`
        : 'No feedback yet: rate an answer to start the curve.')
      const counts = histogram(metrics.latencyUs)
      latency.set([counts.map((_, i) => i), counts])
      const sorted = [...metrics.latencyUs].sort((a, b) => a - b)
      fill(latencyNote, sorted.length
        ? h('span', `${sorted.length} queries; median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} µs, p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(0)} µs`)
        : 'No queries yet.')
    },
  }
}
