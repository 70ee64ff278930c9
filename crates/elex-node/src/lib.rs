//! napi-rs wrapper of elex-engine: convert arguments, call the engine, turn `ElexError` into a
//! JS `Error` with `.code`. No logic lives here. Typed arrays are borrowed, not copied
//! (napi hands us the view's own start, so `subarray()` offsets are already applied).
//! Every export is `catch_unwind`: a bug becomes an `Error`, never an abort.

use elex_engine::kernels;
use elex_engine::types::{Dim, Discount, Finite, LearningRate, TopK};
use elex_engine::ElexError;
use napi::bindgen_prelude::{Float32Array, Uint32Array, Uint8Array};
use napi_derive::napi;

/// The contract code, carried to JS as the error's `.code`.
pub struct Code(&'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

// Named `Result` on purpose: napi-derive recognises fallible exports by that name.
type Result<T> = std::result::Result<T, napi::Error<Code>>;

fn to_js(e: ElexError) -> napi::Error<Code> {
    napi::Error::new(Code(e.code()), e.to_string())
}

#[napi(catch_unwind)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[napi(catch_unwind)]
pub fn simd_level() -> String {
    elex_engine::simd::simd_level().to_string()
}

#[napi(catch_unwind)]
pub fn dot_product(a: &[f32], b: &[f32]) -> Result<f64> {
    kernels::dot_product(a, b).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn cosine_similarity(a: &[f32], b: &[f32]) -> Result<f64> {
    kernels::cosine_similarity(a, b).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn normalize(v: &[f32]) -> Result<Float32Array> {
    kernels::normalize(v).map(Float32Array::new).map_err(to_js)
}

#[napi(object)]
pub struct TopKSimilar {
    pub indices: Uint32Array,
    pub scores: Float32Array,
}

#[napi(catch_unwind)]
pub fn top_k_similar(query: &[f32], matrix: &[f32], dim: f64, k: f64) -> Result<TopKSimilar> {
    let r = kernels::top_k_similar(query, matrix, Dim::new(dim).map_err(to_js)?, TopK::new(k).map_err(to_js)?)
        .map_err(to_js)?;
    Ok(TopKSimilar { indices: Uint32Array::new(r.indices), scores: Float32Array::new(r.scores) })
}

#[napi(catch_unwind)]
pub fn batch_q_update(q: &[f32], rewards: &[f32], next_max_q: &[f32], alpha: f64, gamma: f64) -> Result<Float32Array> {
    let alpha = LearningRate::new(alpha).map_err(to_js)?;
    let gamma = Discount::new(gamma).map_err(to_js)?;
    kernels::batch_q_update(q, rewards, next_max_q, alpha, gamma).map(Float32Array::new).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn validate_ranges(values: &[f32], min: &[f32], max: &[f32]) -> Result<Uint8Array> {
    kernels::validate_ranges(values, min, max).map(Uint8Array::new).map_err(to_js)
}

#[napi(object)]
pub struct Aggregate {
    pub sum: f64,
    pub weighted_sum: f64,
    pub max: f64,
    pub count_above: f64,
}

#[napi(catch_unwind)]
pub fn aggregate(values: &[f32], weights: &[f32], threshold: f64) -> Result<Aggregate> {
    let threshold = Finite::new("threshold", threshold).map_err(to_js)?;
    let r = kernels::aggregate(values, weights, threshold).map_err(to_js)?;
    Ok(Aggregate { sum: r.sum, weighted_sum: r.weighted_sum, max: r.max, count_above: r.count_above as f64 })
}
