//! wasm-bindgen wrapper of elex-engine: convert arguments, call the engine, turn `ElexError`
//! into a JS `Error` with `.code`. No logic lives here. Argument *types* are checked by the
//! shared JS facade (`js/api.mjs`) before a call reaches this module, for both backends alike.

use elex_engine::kernels;
use elex_engine::types::{Dim, Discount, Finite, LearningRate, TopK};
use elex_engine::ElexError;
use js_sys::{Float32Array, Object, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;

type JsResult<T> = Result<T, JsValue>;

fn to_js(e: ElexError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    // Setting a property on a fresh Error object cannot fail; nothing to recover if it did.
    let _ = Reflect::set(&err, &"code".into(), &e.code().into());
    err.into()
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &key.into(), value);
}

#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[wasm_bindgen(js_name = simdLevel)]
pub fn simd_level() -> String {
    elex_engine::simd::simd_level().to_string()
}

#[wasm_bindgen(js_name = dotProduct)]
pub fn dot_product(a: &[f32], b: &[f32]) -> JsResult<f64> {
    kernels::dot_product(a, b).map_err(to_js)
}

#[wasm_bindgen(js_name = cosineSimilarity)]
pub fn cosine_similarity(a: &[f32], b: &[f32]) -> JsResult<f64> {
    kernels::cosine_similarity(a, b).map_err(to_js)
}

#[wasm_bindgen]
/// Writes into `out` (the facade allocates it), like the native addon.
pub fn normalize(v: &[f32], out: &mut [f32]) -> JsResult<()> {
    kernels::normalize_into(v, out).map_err(to_js)
}

#[wasm_bindgen(js_name = topKSimilar)]
pub fn top_k_similar(query: &[f32], matrix: &[f32], dim: f64, k: f64) -> JsResult<Object> {
    let r =
        kernels::top_k_similar(query, matrix, Dim::new(dim).map_err(to_js)?, TopK::new(k).map_err(to_js)?)
            .map_err(to_js)?;
    Ok(top_k_object(&r))
}

fn top_k_object(r: &kernels::TopKResult) -> Object {
    let obj = Object::new();
    set(&obj, "indices", &Uint32Array::from(r.indices.as_slice()).into());
    set(&obj, "scores", &Float32Array::from(r.scores.as_slice()).into());
    obj
}

/// Benchmark aid (not part of the API): `times` scans inside the engine, one boundary crossing.
#[wasm_bindgen(js_name = __repeatTopKSimilar)]
pub fn repeat_top_k_similar(query: &[f32], matrix: &[f32], dim: f64, k: f64, times: f64) -> JsResult<Object> {
    let (dim, k, times) =
        (Dim::new(dim).map_err(to_js)?, TopK::new(k).map_err(to_js)?, TopK::new(times).map_err(to_js)?);
    let r = kernels::top_k_similar_repeated(query, matrix, dim, k, times).map_err(to_js)?;
    Ok(top_k_object(&r))
}

#[wasm_bindgen(js_name = batchQUpdate)]
pub fn batch_q_update(
    q: &[f32],
    rewards: &[f32],
    next_max_q: &[f32],
    alpha: f64,
    gamma: f64,
    out: &mut [f32],
) -> JsResult<()> {
    let alpha = LearningRate::new(alpha).map_err(to_js)?;
    let gamma = Discount::new(gamma).map_err(to_js)?;
    kernels::batch_q_update_into(q, rewards, next_max_q, alpha, gamma, out).map_err(to_js)
}

#[wasm_bindgen(js_name = validateRanges)]
pub fn validate_ranges(values: &[f32], min: &[f32], max: &[f32], out: &mut [u8]) -> JsResult<()> {
    kernels::validate_ranges_into(values, min, max, out).map_err(to_js)
}

/// Writes [sum, weightedSum, max, countAbove] into `out`, like the native addon.
#[wasm_bindgen]
pub fn aggregate(values: &[f32], weights: &[f32], threshold: f64, out: &mut [f64]) -> JsResult<()> {
    let threshold = Finite::new("threshold", threshold).map_err(to_js)?;
    kernels::aggregate_into(values, weights, threshold, out).map_err(to_js)
}
