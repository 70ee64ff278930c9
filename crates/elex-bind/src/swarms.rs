//! Swarms as the wrappers hold them: a per-thread registry, the options and every method's
//! arguments decoded from JSON text (what both backends pass alike), results encoded back.
//! One `call(handle, method, args)` serves every method, so each wrapper stays a few lines.

use crate::args::{self as numbers, Given};
use crate::registry::with;
use elex_engine::agent::catalog::{feature_from_json, parse_catalog, SafeZone, Value};
use elex_engine::agent::swarm::{PlanOptions, QueryInput, Swarm, SwarmConfig};
use elex_engine::error::{ElexError, Result};
use elex_engine::json::{self, Fields, Json, Read, ToJson};
use std::collections::BTreeMap;

crate::registered!(Swarm, SWARMS);

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
    with(handle, |s: &mut Swarm| dispatch(s, method, args, now_us))
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
    let tables = with(other, |s: &mut Swarm| Ok(s.tables()))?;
    with(handle, |s: &mut Swarm| s.merge_tables(tables))
}

pub fn merge_bytes(handle: u32, bytes: &[u8], key: Option<&[u8]>) -> Result<()> {
    let theirs = Swarm::from_snapshot(bytes, key)?;
    with(handle, |s: &mut Swarm| s.merge(&theirs))
}

pub fn to_bytes(handle: u32, key: Option<&[u8]>) -> Result<Vec<u8>> {
    with(handle, |s: &mut Swarm| match key {
        None => Ok(s.to_bytes()),
        Some(key) => s.to_sealed_bytes(key),
    })
}
