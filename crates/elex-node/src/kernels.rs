//! The SIMD kernels. Outputs are written into arrays the facade allocates: allocating in JS
//! is far cheaper than creating an ArrayBuffer from native code.

use crate::{f32_out, to_js, u32_out, Result};
use elex_bind::args;
use elex_engine::kernels;
use elex_engine::types::{Discount, LearningRate};
use napi::bindgen_prelude::{Float32ArraySlice, Float64ArraySlice, Uint32ArraySlice, Uint8ArraySlice};
use napi::Env;
use napi_derive::napi;

#[napi(catch_unwind)]
pub fn dot_product(a: &[f32], b: &[f32]) -> Result<f64> {
    kernels::dot_product(a, b).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn cosine_similarity(a: &[f32], b: &[f32]) -> Result<f64> {
    kernels::cosine_similarity(a, b).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn normalize(v: &[f32], mut out: Float32ArraySlice) -> Result<()> {
    // SAFETY: the call is synchronous, so no JS runs while we hold the slice, and the facade
    // passes a newly allocated `out` that no input can alias.
    kernels::normalize_into(v, unsafe { out.as_mut() }).map_err(to_js)
}

#[napi(object)]
pub struct TopKSimilar<'e> {
    pub indices: Uint32ArraySlice<'e>,
    pub scores: Float32ArraySlice<'e>,
}

fn top_k_out<'e>(env: &'e Env, r: kernels::TopKResult) -> Result<TopKSimilar<'e>> {
    Ok(TopKSimilar { indices: u32_out(env, &r.indices)?, scores: f32_out(env, &r.scores)? })
}

#[napi(catch_unwind)]
pub fn top_k_similar<'e>(
    env: &'e Env, query: &[f32], matrix: &[f32], dim: f64, k: f64,
) -> Result<TopKSimilar<'e>> {
    let (dim, k) = (args::dim(dim).map_err(to_js)?, args::top_k(k).map_err(to_js)?);
    top_k_out(env, kernels::top_k_similar(query, matrix, dim, k).map_err(to_js)?)
}

/// Benchmark aid (not part of the API): `times` scans inside the engine, one boundary crossing.
#[napi(catch_unwind, js_name = "__repeatTopKSimilar")]
pub fn repeat_top_k_similar<'e>(
    env: &'e Env, query: &[f32], matrix: &[f32], dim: f64, k: f64, times: f64,
) -> Result<TopKSimilar<'e>> {
    let (dim, k) = (args::dim(dim).map_err(to_js)?, args::top_k(k).map_err(to_js)?);
    let times = args::top_k(times).map_err(to_js)?;
    top_k_out(env, kernels::top_k_similar_repeated(query, matrix, dim, k, times).map_err(to_js)?)
}

#[napi(catch_unwind)]
pub fn batch_q_update(
    q: &[f32], rewards: &[f32], next_max_q: &[f32], alpha: f64, gamma: f64, mut out: Float32ArraySlice,
) -> Result<()> {
    let alpha = LearningRate::new(alpha).map_err(to_js)?;
    let gamma = Discount::new(gamma).map_err(to_js)?;
    // SAFETY: as in `normalize`.
    kernels::batch_q_update_into(q, rewards, next_max_q, alpha, gamma, unsafe { out.as_mut() }).map_err(to_js)
}

#[napi(catch_unwind)]
pub fn validate_ranges(values: &[f32], min: &[f32], max: &[f32], mut out: Uint8ArraySlice) -> Result<()> {
    // SAFETY: as in `normalize`.
    kernels::validate_ranges_into(values, min, max, unsafe { out.as_mut() }).map_err(to_js)
}

/// [sum, weightedSum, max, countAbove] into `out` (a Float64Array(4) from the facade).
#[napi(catch_unwind)]
pub fn aggregate(values: &[f32], weights: &[f32], threshold: f64, mut out: Float64ArraySlice) -> Result<()> {
    // SAFETY: as in `normalize`.
    elex_bind::out::aggregate(values, weights, threshold, unsafe { out.as_mut() }).map_err(to_js)
}
