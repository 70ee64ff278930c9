//! Swarms as the wrappers hold them: a per-thread registry, the options and every method's
//! arguments decoded from JSON text (what both backends pass alike), results encoded back.
//! One `call(handle, method, args)` serves every method, so each wrapper stays a few lines.
//! Swarms sit behind a lock so that the native `queryAsync` can answer on a libuv thread
//! while the JS thread goes on serving (a sync call meanwhile waits for the lock).

use crate::args::{self as numbers, Given};
use crate::registry::with;
use elex_engine::agent::catalog::{feature_from_json, parse_catalog, SafeZone, Value};
use elex_engine::agent::swarm::{PlanOptions, QueryInput, QueryResponse, Swarm, SwarmConfig};
use elex_engine::error::{ElexError, Result};
use elex_engine::json::{self, Fields, Json, Object, Read, ToJson};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// A swarm as the registry keeps it.
pub type SharedSwarm = Arc<Mutex<Swarm>>;

crate::registered!(SharedSwarm, SWARMS);

pub fn share(s: Swarm) -> SharedSwarm {
    Arc::new(Mutex::new(s))
}

/// The swarm behind `handle` (a new reference to it).
pub fn shared(handle: u32) -> Result<SharedSwarm> {
    with(handle, |s: &mut SharedSwarm| Ok(Arc::clone(s)))
}

/// Runs `f` on a shared swarm, locked.
pub fn locked<R>(s: &SharedSwarm, f: impl FnOnce(&mut Swarm) -> Result<R>) -> Result<R> {
    // A panic under the lock is a bug caught at the boundary; the swarm stays usable.
    let mut guard = s.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&mut guard)
}

/// Runs `f` on the swarm behind `handle`, locked.
pub fn with_swarm<R>(handle: u32, f: impl FnOnce(&mut Swarm) -> Result<R>) -> Result<R> {
    locked(&shared(handle)?, f)
}

/// The seed of a swarm built without one: swarms are deterministic by default, so the same
/// catalog answers the same on every backend.
pub const DEFAULT_SEED: u32 = 0x5eed;

fn bad(e: String) -> ElexError {
    ElexError::invalid_argument(e)
}

struct QOptions {
    actions: Option<f64>,
    values: [Option<f64>; 8],
    policy: Option<String>,
}

impl Read for QOptions {
    fn read(v: &Json, at: &str) -> std::result::Result<Self, String> {
        let mut f = Fields::new(v, at)?;
        let actions = f.opt("actions")?;
        // In the order `numbers::qlearning_config` takes them (index 0 is the action count).
        let values = [
            None,
            f.opt("alpha")?,
            f.opt("gamma")?,
            f.opt("epsilon")?,
            f.opt("epsilonDecay")?,
            f.opt("minEpsilon")?,
            f.opt("ucbC")?,
            f.opt("seed")?,
        ];
        let policy = f.opt("policy")?;
        f.finish()?;
        Ok(QOptions { actions, values, policy })
    }
}

/// `SwarmOptions` (without `catalog`) from JSON; defaults as API.md lists them.
pub fn config(options: &str) -> Result<SwarmConfig> {
    let v = json::parse(options).map_err(|e| bad(format!("swarm options: {e}")))?;
    let mut o = Fields::new(&v, "swarm options").map_err(bad)?;
    let safe_zones: Option<BTreeMap<String, SafeZone>> = o.opt("safeZones").map_err(bad)?;
    let dim: Option<f64> = o.opt("dim").map_err(bad)?;
    let cold_start_threshold: Option<f64> = o.opt("coldStartThreshold").map_err(bad)?;
    let q: Option<QOptions> = o.opt("qlearning").map_err(bad)?;
    let seed: Option<f64> = o.opt("seed").map_err(bad)?;
    let query_cache_size: Option<f64> = o.opt("queryCacheSize").map_err(bad)?;
    o.finish().map_err(bad)?;
    let q = q.unwrap_or(QOptions { actions: None, values: [None; 8], policy: None });
    if q.actions.is_some_and(|a| a != 5.0) {
        return Err(ElexError::bad_argument(
            "qlearning.actions",
            "5 (the agents' five actions)",
            &q.actions.unwrap_or(0.0),
        ));
    }
    // Agents answer single-step questions: no discount; a little decaying exploration.
    let defaults = [None, Some(0.2), Some(0.0), Some(0.1), Some(0.995), Some(0.02), None, None];
    let given: Vec<Option<f64>> = q.values.iter().zip(defaults).map(|(v, d)| v.or(d)).collect();
    let values: Vec<f64> = given.iter().map(|v| v.unwrap_or(0.0)).collect();
    let mask = given.iter().enumerate().fold(0u32, |m, (i, v)| if v.is_some() { m | 1 << i } else { m });
    let qlearning = numbers::qlearning_config(Given { values: &values, mask }, q.policy.as_deref())?;
    Ok(SwarmConfig {
        dim: numbers::whole("dim", dim.unwrap_or(128.0), 1, 4096)? as usize,
        cold_start_threshold: numbers::whole(
            "coldStartThreshold",
            cold_start_threshold.unwrap_or(100.0),
            0,
            u32::MAX,
        )?,
        qlearning,
        seed: seed.map(numbers::seed).transpose()?.unwrap_or(DEFAULT_SEED),
        query_cache_size: numbers::whole(
            "queryCacheSize",
            query_cache_size.unwrap_or(10_000.0),
            1,
            10_000_000,
        )? as usize,
        safe_zones: safe_zones.unwrap_or_default(),
    })
}

/// A new swarm from catalog JSON (an array of features, or `{ features, vocabulary }`).
pub fn new_swarm(catalog: &str, options: &str) -> Result<Swarm> {
    let cfg = config(options)?;
    let (features, vocabulary) = parse_catalog(catalog)?;
    Swarm::new(features, vocabulary, cfg)
}

/// `validateCatalog`.
pub fn validate_catalog(catalog: &str) -> Result<()> {
    let (features, _) = parse_catalog(catalog)?;
    elex_engine::agent::validate(&features)
}

/// A call's arguments: a JSON array, read by position and named in errors.
struct Args(Vec<Json>);

impl Args {
    fn parse(text: &str) -> Result<Args> {
        match json::parse(text).map_err(|e| bad(format!("arguments: {e}")))? {
            Json::Arr(items) => Ok(Args(items)),
            other => Err(bad(format!("arguments: expected an array, got {}", other.kind()))),
        }
    }

    /// Argument `i` (absent reads as `null`), called `name` in errors.
    fn get<T: Read>(&self, i: usize, name: &str) -> Result<T> {
        T::read(self.0.get(i).unwrap_or(&Json::Null), name).map_err(bad)
    }

    fn raw(&self, i: usize) -> &Json {
        self.0.get(i).unwrap_or(&Json::Null)
    }
}

fn query_input(v: &Json) -> Result<QueryInput> {
    let mut f = Fields::new(v, "query").map_err(bad)?;
    let text = f.req("text").map_err(bad)?;
    let embedding = f.opt("embedding").map_err(bad)?;
    let context = f.opt("context").map_err(bad)?.unwrap_or_default();
    f.finish().map_err(bad)?;
    Ok(QueryInput { text, embedding, context })
}

fn plan_options(v: &Json) -> Result<PlanOptions> {
    if *v == Json::Null {
        return Ok(PlanOptions::default());
    }
    let mut f = Fields::new(v, "options").map_err(bad)?;
    let current: Option<BTreeMap<String, Value>> = f.opt("current").map_err(bad)?;
    let scope = f.opt("scope").map_err(bad)?;
    let active: Option<Vec<String>> = f.opt("activeFeatures").map_err(bad)?;
    f.finish().map_err(bad)?;
    Ok(PlanOptions {
        current: current.unwrap_or_default(),
        scope,
        active_features: active.unwrap_or_default(),
    })
}

fn out(value: &(impl ToJson + ?Sized)) -> Result<String> {
    Ok(value.to_json())
}

/// Runs `method` on the swarm behind `handle` with JSON `args` (an array); the result as
/// JSON. `now_us` is the wrapper's clock, for latencies.
pub fn call(handle: u32, method: &str, args: &str, now_us: &dyn Fn() -> f64) -> Result<String> {
    with_swarm(handle, |s| dispatch(s, method, args, now_us))
}

/// Questions for a shared swarm (off the JS thread), answered in order under one lock, as
/// both wrappers hand them to JS: three strings a question, `["", json, summary]` (see
/// `query_summary`) or `[code, message, ""]` for an engine error (the facade rejects that
/// question with the code). A panic becomes an `INTERNAL` error for the question that raised
/// it, never the process's end.
pub fn query_batch(s: &SharedSwarm, args: &[String], now_us: &dyn Fn() -> f64) -> Vec<String> {
    let one = |s: &mut Swarm, a: &str| -> Result<(String, String)> {
        let r = s.query(&query_input(Args::parse(a)?.raw(0))?, now_us)?;
        Ok((r.to_json(), query_summary(&r)))
    };
    let mut out = Vec::with_capacity(3 * args.len());
    let _ = locked(s, |s| {
        for a in args {
            let run = std::panic::AssertUnwindSafe(|| one(s, a));
            match std::panic::catch_unwind(run)
                .unwrap_or_else(|_| Err(ElexError::internal("a Rust panic was caught")))
            {
                Ok((json, summary)) => out.extend([String::new(), json, summary]),
                Err(e) => out.extend([e.code().to_string(), e.to_string(), String::new()]),
            }
        }
        Ok(())
    });
    out
}

/// What the console server keeps of an answer for its charts and feedback log, so that it
/// can pass the answer's JSON on without parsing it: `{ queryId, fajCode, action,
/// queryType, latencyUs }`.
fn query_summary(r: &QueryResponse) -> String {
    let mut out = String::with_capacity(128);
    Object::new(&mut out)
        .field("queryId", &r.query_id)
        .field("fajCode", &r.faj_code)
        .field("action", &r.action)
        .field("queryType", &r.query_type)
        .field("latencyUs", &r.latency_us)
        .end();
    out
}

fn dispatch(s: &mut Swarm, method: &str, a: &str, now_us: &dyn Fn() -> f64) -> Result<String> {
    let a = Args::parse(a)?;
    let code = |a: &Args, name: &str| a.get::<String>(0, name);
    match method {
        "size" => out(&s.size()),
        "embed" => out(&s.embed(&a.get::<String>(0, "text")?)),
        "route" => {
            let query: String = a.get(0, "query")?;
            out(&s.route(&query, numbers::count("k", a.get(1, "k")?)?)?)
        }
        "routeVector" => {
            let query: Vec<f32> = a.get(0, "query")?;
            out(&s.route_vector(&query, numbers::count("k", a.get(1, "k")?)?)?)
        }
        "query" => out(&s.query(&query_input(a.raw(0))?, now_us)?),
        "feedback" => {
            s.feedback(&a.get::<String>(0, "queryId")?, a.get(1, "reward")?)?;
            out(&())
        }
        "agent" => out(&s.agent(&code(&a, "idOrFajCode")?)?),
        "agents" => out(&s.agents()),
        "addFeature" => {
            let spec = feature_from_json(0, a.raw(0))?;
            out(&s.add_feature(spec)?)
        }
        "removeFeature" => out(&s.remove_feature(&code(&a, "fajCode")?)),
        "validate" => {
            let values: BTreeMap<String, Value> = a.get(1, "values")?;
            out(&s.validate(&code(&a, "fajCode")?, &values)?)
        }
        "plan" => {
            let changes: BTreeMap<String, Value> = a.get(1, "changes")?;
            out(&s.plan(&code(&a, "fajCode")?, &changes, &plan_options(a.raw(2))?)?)
        }
        "evaluateKpis" => {
            let counters: BTreeMap<String, f64> = a.get(1, "counters")?;
            out(&s.evaluate_kpis(&code(&a, "fajCode")?, &counters)?)
        }
        "dependencies" => out(&s.dependencies(&code(&a, "fajCode")?)?),
        "conflicts" => out(&s.conflicts(&code(&a, "fajCode")?)?),
        "peers" => out(&s.peers(&code(&a, "fajCode")?)?),
        "shutdown" => {
            s.shutdown(&code(&a, "idOrFajCode")?)?;
            out(&())
        }
        "learned" => out(&s.learned(&code(&a, "fajCode")?)?),
        "stats" => out(&s.stats()),
        other => Err(ElexError::invalid_argument(format!("unknown swarm method {other:?}"))),
    }
}

/// Merges what the swarm behind `other` (or a snapshot) learned into the one behind `handle`.
pub fn merge(handle: u32, other: u32) -> Result<()> {
    let tables = with_swarm(other, |s| Ok(s.tables()))?;
    with_swarm(handle, |s| s.merge_tables(tables))
}

pub fn merge_bytes(handle: u32, bytes: &[u8], key: Option<&[u8]>) -> Result<()> {
    let theirs = Swarm::from_snapshot(bytes, key)?;
    with_swarm(handle, |s| s.merge(&theirs))
}

pub fn to_bytes(handle: u32, key: Option<&[u8]>) -> Result<Vec<u8>> {
    with_swarm(handle, |s| match key {
        None => Ok(s.to_bytes()),
        Some(key) => s.to_sealed_bytes(key),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = r#"[{"fajCode":"FAJ 121 0001","name":"Widget Sleep Mode","acronym":"WSM","category":"Other"},
                              {"fajCode":"FAJ 121 0002","name":"Gadget Load Balancing","category":"Other"}]"#;

    #[test]
    fn a_batch_answers_each_question_in_order_with_its_own_error() {
        let s = share(new_swarm(CATALOG, "{}").unwrap());
        let args: Vec<String> = [
            r#"[{"text":"how do I activate WSM?"}]"#,
            r#"[{"text":"zzzz"}]"#,
            "not json",
            r#"[{"text":"gadget load balancing"}]"#,
        ]
        .map(String::from)
        .to_vec();
        let out = query_batch(&s, &args, &|| 0.0);
        assert_eq!(out.len(), 3 * args.len());
        let (first, summary) = (json::parse(&out[1]).unwrap(), json::parse(&out[2]).unwrap());
        assert_eq!(out[0], "");
        assert_eq!(first.get("fajCode"), Some(&Json::Str("FAJ 121 0001".into())));
        // The summary is the answer's own id, feature, action, type and latency.
        for key in ["queryId", "fajCode", "action", "queryType", "latencyUs"] {
            assert_eq!(summary.get(key), first.get(key), "{key}");
        }
        assert_eq!(
            [out[3].as_str(), out[6].as_str(), out[9].as_str()],
            ["FEATURE_NOT_FOUND", "INVALID_ARGUMENT", ""]
        );
        assert!(out[7].contains("arguments"), "{}", out[7]);
        // The swarm counted every answered question.
        let stats = locked(&s, |s| dispatch(s, "stats", "[]", &|| 0.0)).unwrap();
        assert_eq!(json::parse(&stats).unwrap().get("queries"), Some(&Json::Num(2.0)));
    }
}
