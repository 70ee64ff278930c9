//! The HNSW vector index: free functions on the index's handle; `addBatchAsync` links on a
//! libuv thread while searches go on (see `elex_bind::indexes`).

use crate::{f32_out, to_js, u32_out, Result};
use elex_bind::args::{self, Given};
use elex_bind::indexes::{self, SharedIndex};
use elex_bind::Owned;
use elex_engine::index::{HnswIndex, SearchResult};
use napi::bindgen_prelude::{AsyncTask, Float32ArraySlice, Float64ArraySlice, Uint32ArraySlice, Uint8Array};
use napi::Env;
use napi_derive::napi;

/// Links a batch on a libuv thread. Resolves to `null`, or `[code, message]` for an engine
/// error (a rejected napi Task could only carry a napi status, not the contract code).
pub struct AddBatchTask {
    index: SharedIndex,
    ids: Vec<u32>,
    vectors: Vec<f32>,
}

impl napi::Task for AddBatchTask {
    type Output = Option<(&'static str, String)>;
    type JsValue = Option<Vec<String>>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let r = indexes::add_batch_shared(&self.index, &self.ids, &self.vectors);
        Ok(r.err().map(|e| (e.code(), e.to_string())))
    }

    fn resolve(&mut self, _env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output.map(|(code, message)| vec![code.to_string(), message]))
    }
}

/// Checks a whole batch (lengths, values, ids) without adding anything.
#[napi(catch_unwind)]
pub fn index_check_batch(handle: u32, ids: &[u32], vectors: &[f32]) -> Result<()> {
    indexes::read(handle, |ix| ix.check_batch(ids, vectors).map(|_| ())).map_err(to_js)
}

/// addBatch off the JS thread (the facade slices the batch and reports progress).
#[napi(catch_unwind)]
pub fn index_add_batch_async(handle: u32, ids: &[u32], vectors: &[f32]) -> Result<AsyncTask<AddBatchTask>> {
    let index = indexes::shared(handle).map_err(to_js)?;
    Ok(AsyncTask::new(AddBatchTask { index, ids: ids.to_vec(), vectors: vectors.to_vec() }))
}

#[napi(object)]
pub struct Neighbours<'e> {
    pub ids: Uint32ArraySlice<'e>,
    pub distances: Float32ArraySlice<'e>,
}

fn neighbours_out(env: &Env, r: SearchResult) -> Result<Neighbours<'_>> {
    Ok(Neighbours { ids: u32_out(env, &r.ids)?, distances: f32_out(env, &r.distances)? })
}

#[napi(catch_unwind)]
pub fn index_add(handle: u32, id: f64, vector: &[f32]) -> Result<()> {
    let id = args::id("id", id).map_err(to_js)?;
    indexes::write(handle, |ix| ix.add(id, vector)).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn index_add_batch(handle: u32, ids: &[u32], vectors: &[f32]) -> Result<()> {
    indexes::write(handle, |ix| ix.add_batch(ids, vectors)).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn index_remove(handle: u32, id: f64) -> Result<bool> {
    let id = args::id("id", id).map_err(to_js)?;
    indexes::write(handle, |ix| Ok(ix.remove(id))).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn index_has(handle: u32, id: f64) -> Result<bool> {
    let id = args::id("id", id).map_err(to_js)?;
    indexes::read(handle, |ix| Ok(ix.has(id))).map_err(to_js)
}

/// `exact`: the exact scan whatever the cost (the facade's `{ exact: true }`).
#[napi(catch_unwind)]
pub fn index_search<'e>(
    env: &'e Env, handle: u32, query: &[f32], k: f64, ef: Option<f64>, exact: Option<bool>,
) -> Result<Neighbours<'e>> {
    let r = indexes::read(handle, |ix| indexes::search(ix, query, k, ef, exact)).map_err(to_js)?;
    neighbours_out(env, r)
}

#[napi(catch_unwind)]
pub fn index_search_batch<'e>(
    env: &'e Env, handle: u32, queries: &[f32], k: f64, ef: Option<f64>, exact: Option<bool>,
) -> Result<Neighbours<'e>> {
    let r = indexes::read(handle, |ix| indexes::search_batch(ix, queries, k, ef, exact)).map_err(to_js)?;
    neighbours_out(env, r)
}

#[napi(catch_unwind)]
pub fn index_to_bytes(handle: u32, key: Option<&[u8]>) -> Result<Uint8Array> {
    indexes::read(handle, |ix| match key {
        None => Ok(ix.to_bytes()),
        Some(key) => ix.to_sealed_bytes(key),
    })
    .map(Uint8Array::new)
    .map_err(to_js)
}

/// [size, dim, memoryBytes] into `out` (Float64Array(3)).
#[napi(catch_unwind)]
pub fn index_info(handle: u32, mut out: Float64ArraySlice) -> Result<()> {
    // SAFETY: the call is synchronous and `out` is the facade's own buffer.
    let out = unsafe { out.as_mut() };
    indexes::read(handle, |ix| indexes::info(ix, out)).map_err(to_js)
}

/// The index object: owns its handle; the facade passes the options positionally.
#[napi(js_name = "VectorIndex")]
pub struct JsVectorIndex(Owned<SharedIndex>);

#[napi]
impl JsVectorIndex {
    /// `numbers`, `given`: the packed numeric options (see `elex_bind::args::index_config`).
    #[napi(constructor, catch_unwind)]
    pub fn new(numbers: &[f64], given: u32, metric: Option<String>) -> Result<Self> {
        let ix = args::new_index(Given { values: numbers, mask: given }, metric.as_deref()).map_err(to_js)?;
        Ok(JsVectorIndex(Owned::new(indexes::share(ix))))
    }

    #[napi(factory, catch_unwind)]
    pub fn from_bytes(bytes: &[u8], key: Option<&[u8]>) -> Result<Self> {
        let ix = HnswIndex::from_snapshot(bytes, key).map_err(to_js)?;
        Ok(JsVectorIndex(Owned::new(indexes::share(ix))))
    }

    #[napi(getter, catch_unwind)]
    pub fn handle(&self) -> u32 {
        self.0.handle()
    }
}
