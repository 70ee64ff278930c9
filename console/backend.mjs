// One interface, two ways to answer: the server's swarm over HTTP (native addon), or the
// package's browser build in this tab (WebAssembly), whose learned state lives in IndexedDB.
// Both throw Errors with the engine's `code`, so the panels show errors the same way.

const SAVED_SWARM = 'elex-console/swarm'      // the elex.save/load location (an IndexedDB key)
const SAVED_METRICS = 'elex-console/metrics'  // localStorage: small JSON, read once at start
const KEPT = 5000                              // metrics entries kept in the tab

const TOKEN_KEY = 'elex-console/token'

function coded(code, message, status) {
  return Object.assign(new Error(message), { code, status })
}

// A server started with --token wants it on /api/*. The page keeps it for this tab only; it
// can come in the URL's fragment (#token=…), which browsers never send to the server.
const fromFragment = new URLSearchParams(location.hash.slice(1)).get('token')
if (fromFragment) {
  sessionStorage.setItem(TOKEN_KEY, fromFragment)
  history.replaceState(null, '', location.pathname + location.search)
}
export const setToken = (token) => sessionStorage.setItem(TOKEN_KEY, token)
function authorized(headers = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY)
  return token ? { ...headers, authorization: `Bearer ${token}` } : headers
}

async function failure(res, what) {
  const err = (await res.json().catch(() => null))?.error
  return coded(err?.code ?? `HTTP_${res.status}`, err?.message ?? `${what}: ${res.status} ${res.statusText}`, res.status)
}

async function request(method, path, body) {
  let res
  try {
    res = await fetch(path, body === undefined ? { method, headers: authorized() } : {
      method, body: JSON.stringify(body), headers: authorized({ 'content-type': 'application/json' }),
    })
  } catch (e) {
    throw coded('NETWORK', `the server did not answer (${e.message})`)
  }
  if (!res.ok) throw await failure(res, `${method} ${path}`)
  return res.json()
}

const enc = encodeURIComponent

/** The server's swarm (the native addon behind `elex serve`). */
export function serverBackend() {
  return {
    mode: 'server',
    query: (text, context) => request('POST', '/api/query', { text, context }),
    feedback: (queryId, reward) => request('POST', '/api/feedback', { queryId, reward }),
    agents: () => request('GET', '/api/agents'),
    agent: (idOrFajCode) => request('GET', `/api/agents/${enc(idOrFajCode)}`),
    plan: (fajCode, changes, options) => request('POST', '/api/plan', { fajCode, changes, ...options }),
    kpis: (fajCode, counters) => request('POST', '/api/kpis', { fajCode, counters }),
    feature: (fajCode) => request('GET', `/api/features/${enc(fajCode)}`),
    stats: () => request('GET', '/api/stats'),
    metrics: () => request('GET', '/api/metrics'),
    health: () => request('GET', '/healthz'),
    cluster: () => request('GET', '/api/cluster'),
    propose: (plan) => request('POST', '/api/cluster/propose', { plan }),
  }
}

// The browser build is replaced while the engine is rebuilt; a failed import is cached by
// URL, so the one retry asks for a fresh copy.
async function importBrowserBuild() {
  try {
    return await import('/pkg/browser.mjs')
  } catch {
    await new Promise((r) => setTimeout(r, 500))
    return import(`/pkg/browser.mjs?retry=${Date.now()}`)
  }
}

async function fetchSnapshot() {
  const res = await fetch('/api/state', { headers: authorized() })
  if (!res.ok) throw await failure(res, 'GET /api/state')
  return new Uint8Array(await res.arrayBuffer())
}

/**
 * The swarm in this tab. It starts from what this browser saved; the first time, from the
 * server's snapshot (same catalog, safe zones and learning as the server), else the built-in
 * catalog. `onSaved(state)` reports 'saving' / 'saved' / an Error.
 */
export async function tabBackend({ onSaved = () => {}, note = () => {} } = {}) {
  const elex = await importBrowserBuild()
  let swarm
  // No IndexedDB (a private window, say) is no saved state; saving will say why it fails.
  if (await elex.exists(SAVED_SWARM).catch(() => false)) {
    try {
      swarm = await elex.load(SAVED_SWARM)
      note('restored the learned state saved in this browser')
    } catch (e) {
      note(`the state saved in this browser could not be loaded (${e.code}: ${e.message}); starting again`)
    }
  }
  if (!swarm) {
    try {
      swarm = elex.Swarm.fromBytes(await fetchSnapshot())
      note("started from the server's swarm (its catalog, safe zones and learning)")
    } catch (e) {
      swarm = new elex.Swarm()
      note(`started from the built-in catalog (the server's state was not available: ${e.message})`)
    }
  }

  let metrics = { feedback: [], latencyUs: [] }
  try { metrics = JSON.parse(localStorage.getItem(SAVED_METRICS)) ?? metrics } catch { /* start empty */ }
  const answered = new Map() // queryId → what the learning curve needs of the answer
  let catalog = null         // parsed once: defaultCatalog() copies all 593 features

  let timer = null
  let waiting = []
  // Debounced: a burst of questions costs one snapshot write (about 1 MB).
  function saveSoon() {
    onSaved('saving')
    clearTimeout(timer)
    timer = setTimeout(async () => {
      const done = waiting
      waiting = []
      try {
        localStorage.setItem(SAVED_METRICS, JSON.stringify({
          feedback: metrics.feedback.slice(-KEPT), latencyUs: metrics.latencyUs.slice(-KEPT),
        }))
        await elex.save(SAVED_SWARM, swarm)
        onSaved('saved')
      } catch (e) {
        onSaved(e)
      }
      for (const resolve of done) resolve()
    }, 200)
    return new Promise((resolve) => waiting.push(resolve))
  }

  // The engine's calls are synchronous; async here keeps one interface with the server's.
  const run = async (fn) => fn()

  return {
    mode: 'tab',
    elex,
    query: (text, context) => run(() => {
      const r = swarm.query({ text, context })
      answered.set(r.queryId, { action: r.action, queryType: r.queryType, fajCode: r.fajCode })
      metrics.latencyUs.push(r.latencyUs)
      saveSoon()
      return r
    }),
    feedback: (queryId, reward) => run(() => {
      swarm.feedback(queryId, reward)
      metrics.feedback.push({ t: Date.now(), reward, ...answered.get(queryId) })
      answered.delete(queryId)
      saveSoon()
      return { ok: true }
    }),
    agents: () => run(() => swarm.agents()),
    agent: (idOrFajCode) => run(() => swarm.agent(idOrFajCode)),
    plan: (fajCode, changes, options) => run(() => swarm.plan(fajCode, changes, options)),
    kpis: (fajCode, counters) => run(() => swarm.evaluateKpis(fajCode, counters)),
    feature: async (fajCode) => {
      catalog ??= new Map(elex.defaultCatalog().map((f) => [f.fajCode, f]))
      // A feature of a custom catalog (the tab started from such a server): its spec is the server's.
      const feature = catalog.get(fajCode) ?? (await request('GET', `/api/features/${enc(fajCode)}`)).feature
      return { feature, dependencies: swarm.dependencies(fajCode), conflicts: swarm.conflicts(fajCode), peers: swarm.peers(fajCode) }
    },
    stats: () => run(() => swarm.stats()),
    metrics: () => run(() => metrics),
    health: () => run(() => ({ ok: true, backend: elex.backend, version: elex.version(), agents: swarm.size, simd: elex.simdLevel() })),
    /** The server's learning merged into this tab's (visit-weighted, per agent). */
    async pull() {
      swarm.merge(await fetchSnapshot())
      await saveSoon()
    },
    /** This tab's learning sent to the server, which merges it into its own. */
    async push() {
      let res
      try {
        res = await fetch('/api/merge', { method: 'POST', body: swarm.toBytes(), headers: authorized({ 'content-type': 'application/octet-stream' }) })
      } catch (e) {
        throw coded('NETWORK', `the server did not answer (${e.message})`)
      }
      if (!res.ok) throw await failure(res, 'POST /api/merge')
    },
    /** Forgets what this tab learned (the next start begins from the server again). */
    async forget() {
      clearTimeout(timer)
      localStorage.removeItem(SAVED_METRICS)
      await elex.remove(SAVED_SWARM)
    },
  }
}
