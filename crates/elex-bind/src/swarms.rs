//! Swarms as the wrappers hold them: a per-thread registry, the options and every method's
//! arguments decoded from JSON text (what both backends pass alike), results encoded back.
//! One `call(handle, method, args)` serves every method, so each wrapper stays a few lines.

use crate::args::{self, Given};
use crate::registry::with;
use elex_engine::agent::catalog::{parse_catalog, parse_feature, SafeZone, Value};
use elex_engine::agent::swarm::{PlanOptions, QueryInput, Swarm, SwarmConfig};
use elex_engine::error::{ElexError, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;

crate::registered!(Swarm, SWARMS);

/// The seed of a swarm built without one: swarms are deterministic by default, so the same
/// catalog answers the same on every backend.
pub const DEFAULT_SEED: u32 = 0x5eed;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    safe_zones: Option<BTreeMap<String, SafeZone>>,
    dim: Option<f64>,
    cold_start_threshold: Option<f64>,
    qlearning: Option<QOptions>,
    seed: Option<f64>,
    query_cache_size: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct QOptions {
    actions: Option<f64>,
    alpha: Option<f64>,
    gamma: Option<f64>,
    epsilon: Option<f64>,
    epsilon_decay: Option<f64>,
    min_epsilon: Option<f64>,
    policy: Option<String>,
    ucb_c: Option<f64>,
    seed: Option<f64>,
}

fn json<T: DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| ElexError::invalid_argument(format!("{what}: {e}")))
}

fn out(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| ElexError::internal(format!("encoding a result: {e}")))
}

/// `SwarmOptions` (without `catalog`) from JSON; defaults as API.md lists them.
pub fn config(options: &str) -> Result<SwarmConfig> {
    let o: Options = json("swarm options", options)?;
    let q = o.qlearning.unwrap_or_default();
    if q.actions.is_some_and(|a| a != 5.0) {
        return Err(ElexError::bad_argument(
            "qlearning.actions",
            "5 (the agents' five actions)",
            &q.actions.unwrap_or(0.0),
        ));
    }
    // Agents answer single-step questions: no discount; a little decaying exploration.
    let defaults = [
        None,
        q.alpha.or(Some(0.2)),
        q.gamma.or(Some(0.0)),
        q.epsilon.or(Some(0.1)),
        q.epsilon_decay.or(Some(0.995)),
        q.min_epsilon.or(Some(0.02)),
        q.ucb_c,
        q.seed,
    ];
    let values: Vec<f64> = defaults.iter().map(|v| v.unwrap_or(0.0)).collect();
    let mask = defaults.iter().enumerate().fold(0u32, |m, (i, v)| if v.is_some() { m | 1 << i } else { m });
    let qlearning = args::qlearning_config(Given { values: &values, mask }, q.policy.as_deref())?;
    Ok(SwarmConfig {
        dim: args::whole("dim", o.dim.unwrap_or(128.0), 1, 4096)? as usize,
        cold_start_threshold: args::whole(
            "coldStartThreshold",
            o.cold_start_threshold.unwrap_or(100.0),
            0,
            u32::MAX,
        )?,
        qlearning,
        seed: o.seed.map(args::seed).transpose()?.unwrap_or(DEFAULT_SEED),
        query_cache_size: args::whole(
            "queryCacheSize",
            o.query_cache_size.unwrap_or(10_000.0),
            1,
            10_000_000,
        )? as usize,
        safe_zones: o.safe_zones.unwrap_or_default(),
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Query {
    text: String,
    embedding: Option<Vec<f32>>,
    context: Option<BTreeMap<String, String>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PlanArgs {
    current: Option<BTreeMap<String, Value>>,
    scope: Option<String>,
    active_features: Option<Vec<String>>,
}

/// The `i`th argument of a call, decoded.
fn arg<T: DeserializeOwned>(args: &[Json], i: usize, name: &str) -> Result<T> {
    let v = args.get(i).cloned().unwrap_or(Json::Null);
    serde_json::from_value(v).map_err(|e| ElexError::invalid_argument(format!("{name}: {e}")))
}

fn count(args: &[Json], i: usize, name: &'static str) -> Result<usize> {
    args::count(name, arg::<f64>(args, i, name)?)
}

/// Runs `method` on the swarm behind `handle` with JSON `args` (an array); the result as
/// JSON. `now_us` is the wrapper's clock, for latencies.
pub fn call(handle: u32, method: &str, args: &str, now_us: &dyn Fn() -> f64) -> Result<String> {
    let args: Vec<Json> = json("arguments", args)?;
    with(handle, |s: &mut Swarm| dispatch(s, method, &args, now_us))
}

fn dispatch(s: &mut Swarm, method: &str, a: &[Json], now_us: &dyn Fn() -> f64) -> Result<String> {
    let faj = |i: usize| arg::<String>(a, i, "fajCode");
    match method {
        "size" => out(&s.size()),
        "embed" => out(&s.embed(&arg::<String>(a, 0, "text")?)),
        "route" => out(&s.route(&arg::<String>(a, 0, "query")?, count(a, 1, "k")?)?),
        "routeVector" => out(&s.route_vector(&arg::<Vec<f32>>(a, 0, "query")?, count(a, 1, "k")?)?),
        "query" => {
            let q: Query = arg(a, 0, "input")?;
            let input =
                QueryInput { text: q.text, embedding: q.embedding, context: q.context.unwrap_or_default() };
            out(&s.query(&input, now_us)?)
        }
        "feedback" => {
            s.feedback(&arg::<String>(a, 0, "queryId")?, arg(a, 1, "reward")?)?;
            out(&Json::Null)
        }
        "agent" => out(&s.agent(&arg::<String>(a, 0, "idOrFajCode")?)?),
        "agents" => out(&s.agents()),
        "addFeature" => {
            let spec = parse_feature(0, a.first().cloned().unwrap_or(Json::Null))?;
            out(&s.add_feature(spec)?)
        }
        "removeFeature" => out(&s.remove_feature(&faj(0)?)),
        "validate" => out(&s.validate(&faj(0)?, &arg(a, 1, "values")?)?),
        "plan" => {
            let o: PlanArgs =
                if a.get(2).is_none_or(Json::is_null) { PlanArgs::default() } else { arg(a, 2, "options")? };
            let options = PlanOptions {
                current: o.current.unwrap_or_default(),
                scope: o.scope,
                active_features: o.active_features.unwrap_or_default(),
            };
            out(&s.plan(&faj(0)?, &arg(a, 1, "changes")?, &options)?)
        }
        "evaluateKpis" => out(&s.evaluate_kpis(&faj(0)?, &arg(a, 1, "counters")?)?),
        "dependencies" => out(&s.dependencies(&faj(0)?)?),
        "conflicts" => out(&s.conflicts(&faj(0)?)?),
        "peers" => out(&s.peers(&faj(0)?)?),
        "shutdown" => {
            s.shutdown(&arg::<String>(a, 0, "idOrFajCode")?)?;
            out(&Json::Null)
        }
        "learned" => out(&s.learned(&faj(0)?)?),
        "stats" => out(&s.stats()),
        "features" => out(&s.features()),
        other => Err(ElexError::invalid_argument(format!("unknown swarm method {other:?}"))),
    }
}

/// Merges the swarm behind `other` (or its snapshot bytes) into the one behind `handle`.
pub fn merge(handle: u32, other: u32) -> Result<()> {
    let theirs = with(other, |s: &mut Swarm| Ok(s.clone()))?;
    with(handle, |s: &mut Swarm| s.merge(&theirs))
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
