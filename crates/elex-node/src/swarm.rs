//! The swarm: a class owning its handle, and `swarmCall`, which runs any method with JSON
//! arguments (decoded and dispatched in `elex_bind::swarms`).

use crate::{to_js, Result};
use elex_bind::swarms::{self, SharedSwarm};
use elex_bind::Owned;
use elex_engine::agent::Swarm;
use napi::bindgen_prelude::{AsyncTask, Uint8Array};
use napi::Env;
use napi_derive::napi;
use std::sync::OnceLock;
use std::time::Instant;

/// Microseconds on a monotonic clock (latencies only need differences).
fn now_us() -> f64 {
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e6
}

#[napi(catch_unwind)]
pub fn swarm_call(handle: u32, method: String, args: String) -> Result<String> {
    swarms::call(handle, &method, &args, &now_us).map_err(to_js)
}

/// Questions answered on a libuv thread, in order, under one lock. Resolves to three strings
/// a question (`elex_bind::swarms::query_batch`): a rejected napi Task could only carry a
/// napi status, not the contract code.
pub struct QueryBatchTask {
    swarm: SharedSwarm,
    args: Vec<String>,
}

impl napi::Task for QueryBatchTask {
    type Output = Vec<String>;
    type JsValue = Vec<String>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        Ok(swarms::query_batch(&self.swarm, &self.args, &now_us))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output)
    }
}

/// `query` off the JS thread for a batch of questions (the facade's `queryAsync` sends those
/// that queued up while the previous batch ran): one thread hand-off each way per batch, not
/// per question, which is what a wake-up costs on a small VM.
#[napi(catch_unwind)]
pub fn swarm_query_batch_async(handle: u32, args: Vec<String>) -> Result<AsyncTask<QueryBatchTask>> {
    let swarm = swarms::shared(handle).map_err(to_js)?;
    Ok(AsyncTask::new(QueryBatchTask { swarm, args }))
}

#[napi(catch_unwind)]
pub fn swarm_merge(handle: u32, other: u32) -> Result<()> {
    swarms::merge(handle, other).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn swarm_merge_bytes(handle: u32, bytes: &[u8], key: Option<&[u8]>) -> Result<()> {
    swarms::merge_bytes(handle, bytes, key).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn swarm_to_bytes(handle: u32, key: Option<&[u8]>) -> Result<Uint8Array> {
    swarms::to_bytes(handle, key).map(Uint8Array::new).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn validate_catalog(catalog: String) -> Result<()> {
    swarms::validate_catalog(&catalog).map_err(to_js)
}

/// The swarm object: owns its handle; `catalog` is JSON, `options` the rest of SwarmOptions.
#[napi(js_name = "Swarm")]
pub struct JsSwarm(Owned<SharedSwarm>);

#[napi]
impl JsSwarm {
    #[napi(constructor, catch_unwind)]
    pub fn new(catalog: String, options: String) -> Result<Self> {
        Ok(JsSwarm(Owned::new(swarms::share(swarms::new_swarm(&catalog, &options).map_err(to_js)?))))
    }

    #[napi(factory, catch_unwind)]
    pub fn from_bytes(bytes: &[u8], key: Option<&[u8]>) -> Result<Self> {
        Ok(JsSwarm(Owned::new(swarms::share(Swarm::from_snapshot(bytes, key).map_err(to_js)?))))
    }

    #[napi(getter, catch_unwind)]
    pub fn handle(&self) -> u32 {
        self.0.handle()
    }
}
