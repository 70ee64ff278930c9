//! The HNSW vector index: free functions on the index's handle (see `elex_bind::indexes`).

use crate::{set, to_js, JsResult};
use elex_bind::args::{self, Given};
use elex_bind::indexes::{self, SharedIndex};
use elex_bind::Owned;
use elex_engine::index::{HnswIndex, SearchResult};
use js_sys::{Float32Array, Object, Uint32Array};
use wasm_bindgen::prelude::*;

fn neighbours_out(r: &SearchResult) -> Object {
    let obj = Object::new();
    set(&obj, "ids", &Uint32Array::from(r.ids.as_slice()).into());
    set(&obj, "distances", &Float32Array::from(r.distances.as_slice()).into());
    obj
}

#[wasm_bindgen(js_name = indexAdd)]
pub fn index_add(handle: u32, id: f64, vector: &[f32]) -> JsResult<()> {
    let id = args::id("id", id).map_err(to_js)?;
    indexes::write(handle, |ix| ix.add(id, vector)).map_err(to_js)
}

#[wasm_bindgen(js_name = indexAddBatch)]
pub fn index_add_batch(handle: u32, ids: &[u32], vectors: &[f32]) -> JsResult<()> {
    indexes::write(handle, |ix| ix.add_batch(ids, vectors)).map_err(to_js)
}

/// Checks a whole batch (lengths, values, ids) without adding anything.
#[wasm_bindgen(js_name = indexCheckBatch)]
pub fn index_check_batch(handle: u32, ids: &[u32], vectors: &[f32]) -> JsResult<()> {
    indexes::read(handle, |ix| ix.check_batch(ids, vectors).map(|_| ())).map_err(to_js)
}

/// The native addon links this slice on another thread and resolves a Promise; here it is
/// linked now and the result is `null` (no error) or `[code, message]`, as native resolves;
/// the facade yields to the event loop between slices.
#[wasm_bindgen(js_name = indexAddBatchAsync)]
pub fn index_add_batch_async(handle: u32, ids: &[u32], vectors: &[f32]) -> JsValue {
    match indexes::shared(handle).and_then(|ix| indexes::add_batch_shared(&ix, ids, vectors)) {
        Ok(()) => JsValue::NULL,
        Err(e) => js_sys::Array::of2(&e.code().into(), &e.to_string().into()).into(),
    }
}

#[wasm_bindgen(js_name = indexRemove)]
pub fn index_remove(handle: u32, id: f64) -> JsResult<bool> {
    let id = args::id("id", id).map_err(to_js)?;
    indexes::write(handle, |ix| Ok(ix.remove(id))).map_err(to_js)
}

#[wasm_bindgen(js_name = indexHas)]
pub fn index_has(handle: u32, id: f64) -> JsResult<bool> {
    let id = args::id("id", id).map_err(to_js)?;
    indexes::read(handle, |ix| Ok(ix.has(id))).map_err(to_js)
}

#[wasm_bindgen(js_name = indexSearch)]
pub fn index_search(
    handle: u32, query: &[f32], k: f64, ef: Option<f64>, exact: Option<bool>,
) -> JsResult<Object> {
    let r = indexes::read(handle, |ix| indexes::search(ix, query, k, ef, exact)).map_err(to_js)?;
    Ok(neighbours_out(&r))
}

#[wasm_bindgen(js_name = indexSearchBatch)]
pub fn index_search_batch(
    handle: u32, queries: &[f32], k: f64, ef: Option<f64>, exact: Option<bool>,
) -> JsResult<Object> {
    let r = indexes::read(handle, |ix| indexes::search_batch(ix, queries, k, ef, exact)).map_err(to_js)?;
    Ok(neighbours_out(&r))
}

#[wasm_bindgen(js_name = indexToBytes)]
pub fn index_to_bytes(handle: u32, key: Option<Vec<u8>>) -> JsResult<Vec<u8>> {
    indexes::read(handle, |ix| match key {
        None => Ok(ix.to_bytes()),
        Some(key) => ix.to_sealed_bytes(&key),
    })
    .map_err(to_js)
}

/// [size, dim, memoryBytes] into `out`.
#[wasm_bindgen(js_name = indexInfo)]
pub fn index_info(handle: u32, out: &mut [f64]) -> JsResult<()> {
    indexes::read(handle, |ix| indexes::info(ix, out)).map_err(to_js)
}

/// The index object: owns its handle; the facade passes the options positionally.
#[wasm_bindgen(js_name = VectorIndex)]
pub struct JsVectorIndex(Owned<SharedIndex>);

#[wasm_bindgen(js_class = VectorIndex)]
impl JsVectorIndex {
    /// `numbers`, `given`: the packed numeric options (see `elex_bind::args::index_config`).
    #[wasm_bindgen(constructor)]
    pub fn new(numbers: &[f64], given: u32, metric: Option<String>) -> JsResult<JsVectorIndex> {
        let ix = args::new_index(Given { values: numbers, mask: given }, metric.as_deref()).map_err(to_js)?;
        Ok(JsVectorIndex(Owned::new(indexes::share(ix))))
    }

    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8], key: Option<Vec<u8>>) -> JsResult<JsVectorIndex> {
        let ix = HnswIndex::from_snapshot(bytes, key.as_deref()).map_err(to_js)?;
        Ok(JsVectorIndex(Owned::new(indexes::share(ix))))
    }

    #[wasm_bindgen(getter)]
    pub fn handle(&self) -> u32 {
        self.0.handle()
    }
}
