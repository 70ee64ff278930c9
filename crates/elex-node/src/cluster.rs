//! Cluster nodes: a class owning its handle, and plain functions for the steps (decoded and
//! run in `elex_bind::clusters`; the JS layer in js/cluster*.mjs owns sockets and time).

use crate::{to_js, Result};
use elex_bind::{clusters, Owned};
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;

#[napi(catch_unwind)]
pub fn cluster_step(handle: u32, op: u32, bytes: &[u8], now_ms: f64, arg: f64) -> Result<Uint8Array> {
    clusters::step(handle, op, bytes, now_ms, arg).map(Uint8Array::new).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn cluster_hello(handle: u32, now_ms: f64) -> Result<Uint8Array> {
    clusters::hello(handle, now_ms).map(Uint8Array::new).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn cluster_kv(handle: u32, all: bool, now_ms: f64) -> Result<Uint8Array> {
    clusters::kv_values(handle, all, now_ms).map(Uint8Array::new).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn cluster_info(handle: u32, what: String) -> Result<String> {
    clusters::info(handle, &what).map_err(to_js)
}

/// A node of a cluster: owns its handle; tied to an identity and a swarm by their handles.
#[napi(js_name = "ClusterNode")]
pub struct JsClusterNode(Owned<clusters::ClusterNode>);

#[napi]
impl JsClusterNode {
    #[napi(constructor, catch_unwind)]
    pub fn new(
        identity: u32, swarm: u32, options: String, restored: Option<&[u8]>, now_ms: f64,
    ) -> Result<Self> {
        let node = clusters::new_node(identity, swarm, &options, restored, now_ms).map_err(to_js)?;
        Ok(JsClusterNode(Owned::new(node)))
    }

    #[napi(getter, catch_unwind)]
    pub fn handle(&self) -> u32 {
        self.0.handle()
    }
}
