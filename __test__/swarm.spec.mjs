// The swarm on the built-in catalog, once per backend: routing, answers built only from the
// answering feature's facts, lifecycle, validation, plans, KPIs, errors and snapshots.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

const require = createRequire(import.meta.url)
const elex = require('../index.js')
const { Swarm } = elex
const catalog = elex.defaultCatalog()
const byCode = new Map(catalog.map((f) => [f.fajCode, f]))

function codeOf(fn) {
  try { fn() } catch (e) { expect(e).toBeInstanceOf(Error); return e.code }
  throw new Error('expected a throw')
}

// One swarm for the read-only checks (construction takes a few hundred ms on WASM).
const shared = new Swarm()

describe(`Swarm on the built-in catalog (${elex.backend})`, () => {
  it('ships 593 real features that validate, with known ranges only where 3GPP defines them', () => {
    expect(catalog.length).toBe(593)
    expect(shared.size).toBe(593)
    elex.validateCatalog(catalog)
    const msm = byCode.get('FAJ 121 3094')
    expect([msm.name, msm.acronym, msm.cxc]).toEqual(['MIMO Sleep Mode', 'MSM', 'CXC4011808'])
    const known = catalog.flatMap((f) => f.parameters).filter((p) => p.type !== 'unknown')
    expect(known.length).toBeGreaterThan(100)
    for (const p of known) expect(p.source, p.name).toMatch(/3GPP|Ericsson/)
    const withKpis = catalog.filter((f) => f.kpis.length)
    for (const f of withKpis) {
      const own = new Set(f.counters.map((c) => c.split('.').pop()))
      for (const k of f.kpis) for (const c of k.formula.match(/[A-Za-z_]\w*/g)) expect(own.has(c), `${f.fajCode} ${k.name} ${c}`).toBe(true)
    }
    // defaultCatalog() hands out a copy: changing it changes nothing.
    catalog[0].name = 'changed'
    expect(elex.defaultCatalog()[0].name).not.toBe('changed')
  })

  it('routes by name, acronym, counter, parameter, split words and abbreviation', () => {
    const top = (q) => shared.route(q, 5)[0].fajCode
    expect(top('How do I activate MIMO Sleep Mode?')).toBe('FAJ 121 3094')
    expect(top('is MSM worth switching on here?')).toBe('FAJ 121 3094')
    expect(top('what is sleepStartTime for?')).toBe('FAJ 121 3094')
    expect(top('UL CoMP gains are low')).toBe('FAJ 121 3043')
    const anr = shared.route('what does pmAnrNeighbrelAdd count?', 3)
    expect(anr[0].fajCode).toBe('FAJ 121 0497')
    expect(anr[0].agentId).toBe('faj-121-0497')
    expect(anr.length).toBe(3)
    for (let i = 1; i < anr.length; i++) expect(anr[i].score).toBeLessThanOrEqual(anr[i - 1].score)
  })

  it('a follow-up in the same session that names no feature stays with the session\'s feature', () => {
    const s = new Swarm()
    const first = s.query({ text: 'How do I activate MIMO Sleep Mode?', context: { session: 'a1' } })
    expect(first.fajCode).toBe('FAJ 121 3094')
    const follow = s.query({ text: 'how does it reduce energy use at night?', context: { session: 'a1' } })
    expect(follow.fajCode).toBe('FAJ 121 3094')
    const other = s.query({ text: 'what does pmAnrNeighbrelAdd count?', context: { session: 'a1' } })
    expect(other.fajCode).toBe('FAJ 121 0497')
  })

  it('every action answers only from the facts of the feature, its peers and the shortlist', () => {
    const s = new Swarm({ coldStartThreshold: 1000, seed: 3 })
    const questions = ['How do I activate MSM on ERBS01?', 'what does pmAnrNeighbrelAdd count?', 'UL CoMP gains are low',
      'range of a3offset for intra-LTE handover', 'handover success dropped after the last change', 'sleep start time']
    const seen = new Set()
    for (let round = 0; round < 40 && seen.size < 5; round++) {
      for (const text of questions) {
        const r = s.query({ text, context: { node: 'ERBS01' } })
        seen.add(r.action)
        const f = byCode.get(r.fajCode)
        const allowed = new Set([r.fajCode, ...s.peers(r.fajCode), ...s.dependencies(r.fajCode), ...s.conflicts(r.fajCode), ...r.candidates.map((c) => c.fajCode)])
        const facts = new Set([...allowed].flatMap((c) => [...byCode.get(c).parameters.map((p) => p.name), ...byCode.get(c).counters]))
        for (const code of r.answer.match(/FAJ \d{3} \d{4}/g) ?? []) expect(allowed.has(code), `${r.action}: ${code} in ${r.answer}`).toBe(true)
        for (const name of r.answer.match(/\b[A-Z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*\b/g) ?? []) expect(facts.has(name), `${r.action}: ${name}`).toBe(true)
        expect(r.answer).toContain(f.name)
        for (const p of r.matches.parameters) expect(f.parameters.some((x) => x.name === p), p).toBe(true)
        for (const c of r.matches.counters) expect(f.counters).toContain(c)
        for (const k of r.matches.kpis) expect(f.kpis.some((x) => x.name === k), k).toBe(true)
        for (const c of r.consulted) expect(s.peers(r.fajCode)).toContain(c)
        if (r.action === 'ConsultPeer') expect(r.consulted.length).toBe(Math.min(4, s.peers(r.fajCode).length))
        if (r.action === 'Escalate') expect(r.answer).toMatch(/^Escalating: /m)
        if (r.action === 'RequestClarification') expect(r.answer).toContain('Which feature do you mean?')
      }
    }
    expect([...seen].sort()).toEqual(['ConsultPeer', 'ContextAnswer', 'DirectAnswer', 'Escalate', 'RequestClarification'])
  })

  it('queryAsync answers as query does, in the order asked, and rejects with the same codes', async () => {
    const questions = ['How do I activate MSM?', 'what does pmHoPrepSucc count?', 'UL CoMP gains are low',
      'is IFLB worth switching on here?', 'a3offset for ReportConfigEUtraBestCell']
    const [a, b] = [new Swarm({ seed: 3 }), new Swarm({ seed: 3 })]
    const asked = Array.from({ length: 40 }, (_, i) => questions[i % questions.length])
    const sync = asked.map((text) => a.query({ text, context: { node: 'ERBS01' } }))
    // All at once: on native they queue up and go to a libuv thread in batches.
    const async = await Promise.all(asked.map((text) => b.queryAsync({ text, context: { node: 'ERBS01' } })))
    const strip = ({ latencyUs, ...rest }) => rest
    expect(async.map(strip)).toEqual(sync.map(strip))
    expect(new Set(async.map((r) => r.queryId)).size).toBe(asked.length)
    for (const r of async) b.feedback(r.queryId, 1) // each is known to the engine
    expect(b.stats().feedback).toBe(asked.length)
    const settled = await Promise.allSettled([b.queryAsync('zzzz qqqq'), b.queryAsync('How do I activate MSM?'),
      b.queryAsync({ text: 5 }), b.queryAsync({ text: 'x', colour: 'red' }), b.queryAsync(null)])
    expect(settled.map((s) => s.status === 'fulfilled' ? s.value.fajCode : s.reason.code))
      .toEqual(['FEATURE_NOT_FOUND', 'FAJ 121 3094', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT', 'INVALID_ARGUMENT'])
    for (const s of settled.filter((s) => s.status === 'rejected')) expect(s.reason).toBeInstanceOf(Error)
  })

  it('gives the ENM commands to read and to activate, prerequisites first', () => {
    const r = shared.query({ text: 'How do I activate MIMO Sleep Mode?', context: { node: 'ERBS01' } })
    const commands = r.commands.map((c) => c.command)
    expect(commands).toContain('cmedit set ERBS01 FeatureState=CXC4011808 featureState=ACTIVATED')
    expect(r.queryType).toBe('procedure')
    const chain = shared.query({ text: 'how do I activate Redirect with System Information?', context: { node: 'ERBS01' } })
    expect(chain.fajCode).toBe('FAJ 121 0876')
    const order = shared.dependencies('FAJ 121 0876')
    expect(order).toEqual(['FAJ 121 0495', 'FAJ 121 0493', 'FAJ 121 3004', 'FAJ 121 0856'])
    const activations = chain.commands.filter((c) => c.command.includes('featureState=ACTIVATED')).map((c) => c.command)
    const expected = [...order, 'FAJ 121 0876'].map((c) => byCode.get(c).cxc).filter(Boolean)
      .map((cxc) => `cmedit set ERBS01 FeatureState=${cxc} featureState=ACTIVATED`)
    expect(activations).toEqual(expected)
  })

  it('ColdStart -> Ready after the threshold, Degraded on sustained negative feedback and back', () => {
    const s = new Swarm({ coldStartThreshold: 3 })
    const ids = []
    for (let i = 0; i < 3; i++) {
      expect(s.agent('FAJ 121 3094').status).toBe('ColdStart')
      ids.push(s.query('How do I activate MSM?').queryId)
    }
    expect(s.agent('faj-121-3094').status).toBe('Ready')
    for (let i = 0; i < 10; i++) s.feedback(s.query('How do I activate MSM?').queryId, -1)
    expect(s.agent('FAJ 121 3094').status).toBe('Degraded')
    for (let i = 0; i < 5; i++) s.feedback(s.query('How do I activate MSM?').queryId, 1)
    const info = s.agent('FAJ 121 3094')
    expect(info.status).toBe('Ready')
    expect(info.interactions).toBe(18)
    expect(info.successRate).toBeCloseTo(5 / 15, 6)
    expect(s.stats().byStatus.Ready).toBe(1)
    s.shutdown('FAJ 121 3094')
    expect(s.agent('FAJ 121 3094').status).toBe('Offline')
    expect(s.query('How do I activate MIMO Sleep Mode?').fajCode).not.toBe('FAJ 121 3094')
    expect(s.learned('FAJ 121 3094').length).toBeGreaterThan(0)
    expect(s.learned('FAJ 121 3094')[0].state).toMatch(/^(parameter|counter|kpi|procedure|troubleshoot|general)\|(simple|moderate|complex)\|conf\d\|ctx:[0-9a-f]{4}$/)
  })

  it('validates values: a 3GPP range in and out, no range known, an enum', () => {
    const a3 = shared.validate('FAJ 121 0489', { 'ReportConfigEUtraBestCell.a3offset': 30 })[0]
    expect(a3).toEqual({ name: 'ReportConfigEUtraBestCell.a3offset', valid: true, known: true })
    const out = shared.validate('FAJ 121 0489', { 'ReportConfigEUtraBestCell.a3offset': 200 })[0]
    expect([out.valid, out.known]).toEqual([false, true])
    expect(out.reason).toContain('outside the range')
    const unknown = shared.validate('FAJ 121 3094', { 'MimoSleepFunction.sleepMode': 3 })[0]
    expect([unknown.valid, unknown.known]).toEqual([true, false])
    expect(unknown.reason).toMatch(/^no range known/)
    expect(shared.validate('FAJ 121 0801', { 'DrxProfile.drxInactivityTimer': 'PSF10' })[0].valid).toBe(true)
    expect(shared.validate('FAJ 121 0801', { 'DrxProfile.drxInactivityTimer': 'PSF7' })[0].valid).toBe(false)
    expect(codeOf(() => shared.validate('FAJ 121 0801', { 'Nope.nothing': 1 }))).toBe('INVALID_ARGUMENT')
  })

  it('plans changes with risk labels: safe step, prerequisites, conflicts, blocked values', () => {
    const s = new Swarm({ safeZones: { a3offset: { min: -50, max: 100, maxStep: 10 } } })
    const small = s.plan('FAJ 121 0489', { 'ReportConfigEUtraBestCell.a3offset': 35 }, { current: { 'ReportConfigEUtraBestCell.a3offset': 30 }, scope: 'ERBS01', activeFeatures: ['FAJ 121 0489'] })
    expect(small.changes[0]).toMatchObject({ allowed: true, risk: 'LOW', command: 'cmedit set ERBS01 ReportConfigEUtraBestCell a3offset=35' })
    const big = s.plan('FAJ 121 0489', { 'ReportConfigEUtraBestCell.a3offset': 60 }, { current: { 'ReportConfigEUtraBestCell.a3offset': 30 }, scope: 'ERBS01' })
    expect(big.changes[0].risk).toBe('HIGH')
    expect(big.changes[0].reason).toContain('larger than the safe step 10')
    expect(big.risk).toBe('HIGH')
    const blocked = s.plan('FAJ 121 0489', { 'ReportConfigEUtraBestCell.a3offset': 999 }, {})
    expect(blocked.changes[0].allowed).toBe(false)
    expect(blocked.commands.some((c) => c.includes('a3offset=999'))).toBe(false)
    const chain = s.plan('FAJ 121 0876', {}, { scope: 'ERBS01', activeFeatures: ['FAJ 121 0493'] })
    expect(chain.activateFirst).toEqual(['FAJ 121 0495', 'FAJ 121 3004', 'FAJ 121 0856'])
    const conflict = s.plan('FAJ 121 0486', {}, { activeFeatures: ['FAJ 121 4578'] })
    expect(conflict.conflicts).toEqual(['FAJ 121 4578'])
    expect(conflict.risk).toBe('HIGH')
  })

  it('computes KPIs from counters, with null and a reason for missing counters or division by zero', () => {
    const kpis = shared.evaluateKpis('FAJ 121 0497', { pmHoPrepSucc: 95, pmHoPrepAtt: 100, pmHoExeSucc: 0, pmHoExeAtt: 0 })
    const prep = kpis.find((k) => k.name === 'Handover Preparation Success Rate')
    expect(prep.value).toBeCloseTo(95, 9)
    const exe = kpis.find((k) => k.name === 'Handover Execution Success Rate')
    expect(exe.value).toBe(null)
    expect(exe.reason).toMatch(/division by zero/)
    const none = shared.evaluateKpis('FAJ 121 0497', {})
    expect(none.every((k) => k.value === null && /not given/.test(k.reason))).toBe(true)
  })

  it('names unknown agents, features, queries and bad rewards with their codes', () => {
    expect(codeOf(() => shared.agent('FAJ 999 9999'))).toBe('AGENT_NOT_FOUND')
    expect(codeOf(() => shared.plan('FAJ 999 9999', {}))).toBe('FEATURE_NOT_FOUND')
    expect(codeOf(() => shared.plan('nonsense', {}))).toBe('INVALID_FAJ_CODE')
    expect(codeOf(() => shared.feedback('q-nope', 1))).toBe('UNKNOWN_QUERY')
    expect(codeOf(() => shared.query('what is the weather in Paris'))).toBe('FEATURE_NOT_FOUND')
    expect(codeOf(() => shared.query('   '))).toBe('INVALID_ARGUMENT')
    const q = shared.query('How do I activate MSM?')
    expect(codeOf(() => shared.feedback(q.queryId, 2))).toBe('INVALID_REWARD')
    expect(codeOf(() => shared.feedback(q.queryId, NaN))).toBe('INVALID_REWARD')
    shared.feedback(q.queryId, 1)
    expect(codeOf(() => shared.feedback(q.queryId, 1))).toBe('UNKNOWN_QUERY')
    expect(codeOf(() => new Swarm({ dimm: 3 }))).toBe('INVALID_ARGUMENT')
    const tiny = new Swarm({ queryCacheSize: 2 })
    const first = tiny.query('How do I activate MSM?').queryId
    tiny.query('sleep start time'); tiny.query('UL CoMP')
    expect(codeOf(() => tiny.feedback(first, 1))).toBe('UNKNOWN_QUERY')
  })

  it('finds prerequisite cycles and bad catalogs, naming the entry', () => {
    const f = (code, dependsOn = []) => ({ fajCode: code, name: `F ${code}`, category: 'Other', parameters: [], counters: [], kpis: [], dependsOn })
    const cycle = [f('FAJ 121 0001', ['FAJ 121 0002']), f('FAJ 121 0002', ['FAJ 121 0003']), f('FAJ 121 0003', ['FAJ 121 0001'])]
    let e = null
    try { elex.validateCatalog(cycle) } catch (err) { e = err }
    expect(e.code).toBe('DEPENDENCY_CYCLE')
    expect(e.message).toContain('FAJ 121 0001 -> FAJ 121 0002 -> FAJ 121 0003 -> FAJ 121 0001')
    expect(codeOf(() => new Swarm({ catalog: cycle }))).toBe('DEPENDENCY_CYCLE')
    expect(codeOf(() => elex.validateCatalog([f('FAJ 12 0001')]))).toBe('INVALID_FAJ_CODE')
    expect(codeOf(() => elex.validateCatalog([f('FAJ 121 0001', ['FAJ 121 0009'])]))).toBe('INVALID_CATALOG')
    const own = new Swarm({ catalog: [f('FAJ 121 0001'), f('FAJ 121 0002', ['FAJ 121 0001'])] })
    expect(own.size).toBe(2)
    expect(own.dependencies('FAJ 121 0002')).toEqual(['FAJ 121 0001'])
  })

  it('adds and removes features at run time', () => {
    // A catalog of its own: 20 features, their links to the rest dropped.
    const twenty = catalog.slice(0, 20).map((f) => ({ ...f, dependsOn: [], conflictsWith: [], relatedTo: [] }))
    const s = new Swarm({ catalog: twenty })
    const spec = { fajCode: 'FAJ 121 9001', name: 'Lab Widget Tuning', acronym: 'LWT', category: 'Other', dependsOn: [catalog[0].fajCode],
      parameters: [{ name: 'LabWidget.widgetLevel', type: 'int', min: 0, max: 10 }], counters: ['LabWidget.pmWidgetTicks'], kpis: [] }
    const info = s.addFeature(spec)
    expect(info).toMatchObject({ fajCode: 'FAJ 121 9001', agentId: 'faj-121-9001', status: 'ColdStart' })
    expect(s.size).toBe(21)
    expect(s.route('how do I tune LWT widgetLevel', 1)[0].fajCode).toBe('FAJ 121 9001')
    expect(codeOf(() => s.addFeature(spec))).toBe('INVALID_CATALOG')
    expect(codeOf(() => s.addFeature({ ...spec, fajCode: 'FAJ 121 9002', dependsOn: ['FAJ 121 9999'] }))).toBe('INVALID_CATALOG')
    expect(s.size).toBe(21)
    expect(s.removeFeature('FAJ 121 9001')).toBe(true)
    expect(s.removeFeature('FAJ 121 9001')).toBe(false)
    expect(s.size).toBe(20)
    expect(codeOf(() => s.agent('FAJ 121 9001'))).toBe('AGENT_NOT_FOUND')
  })

  it('fromBytes(toBytes(s)) answers and counts identically, sealed or not', () => {
    const s = new Swarm({ coldStartThreshold: 5 })
    for (const q of ['How do I activate MSM?', 'UL CoMP gains are low', 'what does pmAnrNeighbrelAdd count?', 'sleep start time']) {
      for (let i = 0; i < 3; i++) s.feedback(s.query(q).queryId, i === 1 ? -0.5 : 1)
    }
    const key = elex.generateKey()
    for (const options of [undefined, { key }]) {
      const t = Swarm.fromBytes(s.toBytes(options), options)
      expect(t.stats().queries).toBe(s.stats().queries)
      const stable = (list) => list.map(({ memoryBytes, ...rest }) => rest) // capacity may differ after a load
      expect(stable(t.agents())).toEqual(stable(s.agents()))
      for (const q of ['is IFLB worth switching on here?', 'How do I activate MSM?', 'sleep start time']) {
        const [a, b] = [s.query(q), t.query(q)]
        expect([b.fajCode, b.action, b.answer, b.confidence]).toEqual([a.fajCode, a.action, a.answer, a.confidence])
      }
    }
    expect(codeOf(() => Swarm.fromBytes(s.toBytes({ key })))).toBe('INVALID_KEY')
    const bytes = s.toBytes()
    bytes[bytes.length - 3] ^= 1
    expect(codeOf(() => Swarm.fromBytes(bytes))).toBe('CORRUPT_DATA')
  })

  it('merges what other swarms learned', () => {
    const [a, b] = [new Swarm(), new Swarm()]
    for (let i = 0; i < 4; i++) b.feedback(b.query('How do I activate MSM?').queryId, 1)
    expect(a.learned('FAJ 121 3094')).toEqual([])
    a.merge(b)
    expect(a.learned('FAJ 121 3094')).toEqual(b.learned('FAJ 121 3094'))
    const c = new Swarm()
    c.merge(b.toBytes())
    expect(c.learned('FAJ 121 3094')).toEqual(b.learned('FAJ 121 3094'))
  })
})
