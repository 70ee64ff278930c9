//! Cluster nodes (feature `coordination`): a class owning its handle, and plain functions
//! for the steps (run in `elex_bind::clusters`; js/cluster*.mjs owns sockets and time).

use crate::{to_js, JsResult};
use elex_bind::{clusters, Owned};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = clusterStep)]
pub fn cluster_step(handle: u32, op: u32, bytes: &[u8], now_ms: f64, arg: f64) -> JsResult<Vec<u8>> {
    clusters::step(handle, op, bytes, now_ms, arg).map_err(to_js)
}

#[wasm_bindgen(js_name = clusterHello)]
pub fn cluster_hello(handle: u32, now_ms: f64) -> JsResult<Vec<u8>> {
    clusters::hello(handle, now_ms).map_err(to_js)
}

#[wasm_bindgen(js_name = clusterKv)]
pub fn cluster_kv(handle: u32, all: bool, now_ms: f64) -> JsResult<Vec<u8>> {
    clusters::kv_values(handle, all, now_ms).map_err(to_js)
}

#[wasm_bindgen(js_name = clusterInfo)]
pub fn cluster_info(handle: u32, what: String) -> JsResult<String> {
    clusters::info(handle, &what).map_err(to_js)
}

/// A node of a cluster: owns its handle; tied to an identity and a swarm by their handles.
#[wasm_bindgen(js_name = ClusterNode)]
pub struct JsClusterNode(Owned<clusters::ClusterNode>);

#[wasm_bindgen(js_class = ClusterNode)]
impl JsClusterNode {
    #[wasm_bindgen(constructor)]
    pub fn new(
        identity: u32, swarm: u32, options: String, restored: Option<Vec<u8>>, now_ms: f64,
    ) -> JsResult<JsClusterNode> {
        let node =
            clusters::new_node(identity, swarm, &options, restored.as_deref(), now_ms).map_err(to_js)?;
        Ok(JsClusterNode(Owned::new(node)))
    }

    #[wasm_bindgen(getter)]
    pub fn handle(&self) -> u32 {
        self.0.handle()
    }
}
