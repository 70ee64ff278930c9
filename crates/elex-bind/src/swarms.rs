//! Swarms as the wrappers hold them: a per-thread registry, the options and every method's
//! arguments decoded from JSON text (what both backends pass alike), results encoded back.
//! One `call(handle, method, args)` serves every method, so each wrapper stays a few lines.

use crate::args::{self as numbers, Given};
use crate::registry::with;
use elex_engine::agent::catalog::{parse_catalog, parse_feature, SafeZone, Value};
use elex_engine::agent::swarm::{PlanOptions, QueryInput, Swarm, SwarmConfig};
use elex_engine::error::{ElexError, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
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
    let qlearning = numbers::qlearning_config(Given { values: &values, mask }, q.policy.as_deref())?;
    Ok(SwarmConfig {
        dim: numbers::whole("dim", o.dim.unwrap_or(128.0), 1, 4096)? as usize,
        cold_start_threshold: numbers::whole(
            "coldStartThreshold",
            o.cold_start_threshold.unwrap_or(100.0),
            0,
            u32::MAX,
        )?,
        qlearning,
        seed: o.seed.map(numbers::seed).transpose()?.unwrap_or(DEFAULT_SEED),
        query_cache_size: numbers::whole(
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

/// A call's arguments (a JSON array) as the tuple `T` the method takes.
fn args<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| ElexError::invalid_argument(format!("arguments: {e}")))
}

/// Runs `method` on the swarm behind `handle` with JSON `args` (an array); the result as
/// JSON. `now_us` is the wrapper's clock, for latencies.
pub fn call(handle: u32, method: &str, args: &str, now_us: &dyn Fn() -> f64) -> Result<String> {
    with(handle, |s: &mut Swarm| dispatch(s, method, args, now_us))
}

fn dispatch(s: &mut Swarm, method: &str, a: &str, now_us: &dyn Fn() -> f64) -> Result<String> {
    type One = (String,);
    match method {
        "size" => out(&s.size()),
        "embed" => out(&s.embed(&args::<One>(a)?.0)),
        "route" => {
            let (query, k): (String, f64) = args(a)?;
            out(&s.route(&query, numbers::count("k", k)?)?)
        }
        "routeVector" => {
            let (query, k): (Vec<f32>, f64) = args(a)?;
            out(&s.route_vector(&query, numbers::count("k", k)?)?)
        }
        "query" => {
            let (q,): (Query,) = args(a)?;
            let input =
                QueryInput { text: q.text, embedding: q.embedding, context: q.context.unwrap_or_default() };
            out(&s.query(&input, now_us)?)
        }
        "feedback" => {
            let (id, reward): (String, f64) = args(a)?;
            s.feedback(&id, reward)?;
            out(&())
        }
        "agent" => out(&s.agent(&args::<One>(a)?.0)?),
        "agents" => out(&s.agents()),
        "addFeature" => {
            let (spec,): (&RawValue,) = args(a)?;
            out(&s.add_feature(parse_feature(0, spec.get())?)?)
        }
        "removeFeature" => out(&s.remove_feature(&args::<One>(a)?.0)),
        "validate" => {
            let (faj, values): (String, BTreeMap<String, Value>) = args(a)?;
            out(&s.validate(&faj, &values)?)
        }
        "plan" => {
            let (faj, changes, o): (String, BTreeMap<String, Value>, Option<PlanArgs>) = args(a)?;
            let o = o.unwrap_or_default();
            let options = PlanOptions {
                current: o.current.unwrap_or_default(),
                scope: o.scope,
                active_features: o.active_features.unwrap_or_default(),
            };
            out(&s.plan(&faj, &changes, &options)?)
        }
        "evaluateKpis" => {
            let (faj, counters): (String, BTreeMap<String, f64>) = args(a)?;
            out(&s.evaluate_kpis(&faj, &counters)?)
        }
        "dependencies" => out(&s.dependencies(&args::<One>(a)?.0)?),
        "conflicts" => out(&s.conflicts(&args::<One>(a)?.0)?),
        "peers" => out(&s.peers(&args::<One>(a)?.0)?),
        "shutdown" => {
            s.shutdown(&args::<One>(a)?.0)?;
            out(&())
        }
        "learned" => out(&s.learned(&args::<One>(a)?.0)?),
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
