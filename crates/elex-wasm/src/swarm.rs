//! The swarm: a class owning its handle, and `swarmCall`, which runs any method with JSON
//! arguments (decoded and dispatched in `elex_bind::swarms`).

use crate::{to_js, JsResult};
use elex_bind::swarms::{self, SharedSwarm};
use elex_bind::Owned;
use elex_engine::agent::Swarm;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`, in milliseconds (browsers and Node alike).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

fn now_us() -> f64 {
    performance_now() * 1e3
}

#[wasm_bindgen(js_name = swarmCall)]
pub fn swarm_call(handle: u32, method: String, args: String) -> JsResult<String> {
    swarms::call(handle, &method, &args, &now_us).map_err(to_js)
}

/// The native addon answers this batch on another thread and resolves a Promise; here it is
/// answered now, with the same three strings a question (`elex_bind::swarms::query_batch`).
#[wasm_bindgen(js_name = swarmQueryBatchAsync)]
pub fn swarm_query_batch_async(handle: u32, args: Vec<String>) -> JsResult<Vec<String>> {
    let swarm = swarms::shared(handle).map_err(to_js)?;
    Ok(swarms::query_batch(&swarm, &args, &now_us))
}

#[wasm_bindgen(js_name = swarmMerge)]
pub fn swarm_merge(handle: u32, other: u32) -> JsResult<()> {
    swarms::merge(handle, other).map_err(to_js)
}

#[wasm_bindgen(js_name = swarmMergeBytes)]
pub fn swarm_merge_bytes(handle: u32, bytes: &[u8], key: Option<Vec<u8>>) -> JsResult<()> {
    swarms::merge_bytes(handle, bytes, key.as_deref()).map_err(to_js)
}

#[wasm_bindgen(js_name = swarmToBytes)]
pub fn swarm_to_bytes(handle: u32, key: Option<Vec<u8>>) -> JsResult<Vec<u8>> {
    swarms::to_bytes(handle, key.as_deref()).map_err(to_js)
}

#[wasm_bindgen(js_name = validateCatalog)]
pub fn validate_catalog(catalog: String) -> JsResult<()> {
    swarms::validate_catalog(&catalog).map_err(to_js)
}

/// The swarm object: owns its handle; `catalog` is JSON, `options` the rest of SwarmOptions.
#[wasm_bindgen(js_name = Swarm)]
pub struct JsSwarm(Owned<SharedSwarm>);

#[wasm_bindgen(js_class = Swarm)]
impl JsSwarm {
    #[wasm_bindgen(constructor)]
    pub fn new(catalog: String, options: String) -> JsResult<JsSwarm> {
        Ok(JsSwarm(Owned::new(swarms::share(swarms::new_swarm(&catalog, &options).map_err(to_js)?))))
    }

    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8], key: Option<Vec<u8>>) -> JsResult<JsSwarm> {
        Ok(JsSwarm(Owned::new(swarms::share(Swarm::from_snapshot(bytes, key.as_deref()).map_err(to_js)?))))
    }

    #[wasm_bindgen(getter)]
    pub fn handle(&self) -> u32 {
        self.0.handle()
    }
}
