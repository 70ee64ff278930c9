//! The SIMD kernels (simd128). Outputs are written into arrays the facade allocates, like
//! the native addon.

use crate::{set, to_js, JsResult};
use elex_bind::args;
use elex_engine::kernels;
use elex_engine::types::{Discount, LearningRate};
use js_sys::{Float32Array, Object, Uint32Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = dotProduct)]
pub fn dot_product(a: &[f32], b: &[f32]) -> JsResult<f64> {
    kernels::dot_product(a, b).map_err(to_js)
}

#[wasm_bindgen(js_name = cosineSimilarity)]
pub fn cosine_similarity(a: &[f32], b: &[f32]) -> JsResult<f64> {
    kernels::cosine_similarity(a, b).map_err(to_js)
}

#[wasm_bindgen]
pub fn normalize(v: &[f32], out: &mut [f32]) -> JsResult<()> {
    kernels::normalize_into(v, out).map_err(to_js)
}

fn top_k_object(r: &kernels::TopKResult) -> Object {
    let obj = Object::new();
    set(&obj, "indices", &Uint32Array::from(r.indices.as_slice()).into());
    set(&obj, "scores", &Float32Array::from(r.scores.as_slice()).into());
    obj
}

#[wasm_bindgen(js_name = topKSimilar)]
pub fn top_k_similar(query: &[f32], matrix: &[f32], dim: f64, k: f64) -> JsResult<Object> {
    let (dim, k) = (args::dim(dim).map_err(to_js)?, args::top_k(k).map_err(to_js)?);
    Ok(top_k_object(&kernels::top_k_similar(query, matrix, dim, k).map_err(to_js)?))
}

/// Benchmark aid (not part of the API): `times` scans inside the engine, one boundary crossing.
#[wasm_bindgen(js_name = __repeatTopKSimilar)]
pub fn repeat_top_k_similar(query: &[f32], matrix: &[f32], dim: f64, k: f64, times: f64) -> JsResult<Object> {
    let (dim, k) = (args::dim(dim).map_err(to_js)?, args::top_k(k).map_err(to_js)?);
    let times = args::top_k(times).map_err(to_js)?;
    Ok(top_k_object(&kernels::top_k_similar_repeated(query, matrix, dim, k, times).map_err(to_js)?))
}

#[wasm_bindgen(js_name = batchQUpdate)]
pub fn batch_q_update(
    q: &[f32], rewards: &[f32], next_max_q: &[f32], alpha: f64, gamma: f64, out: &mut [f32],
) -> JsResult<()> {
    let alpha = LearningRate::new(alpha).map_err(to_js)?;
    let gamma = Discount::new(gamma).map_err(to_js)?;
    kernels::batch_q_update_into(q, rewards, next_max_q, alpha, gamma, out).map_err(to_js)
}

#[wasm_bindgen(js_name = validateRanges)]
pub fn validate_ranges(values: &[f32], min: &[f32], max: &[f32], out: &mut [u8]) -> JsResult<()> {
    kernels::validate_ranges_into(values, min, max, out).map_err(to_js)
}

/// [sum, weightedSum, max, countAbove] into `out`, like the native addon.
#[wasm_bindgen]
pub fn aggregate(values: &[f32], weights: &[f32], threshold: f64, out: &mut [f64]) -> JsResult<()> {
    elex_bind::out::aggregate(values, weights, threshold, out).map_err(to_js)
}
