//! wasm-bindgen wrapper of elex-engine: one file per domain (kernels, qlearning, index,
//! security), each converting arguments, calling the engine through `elex-bind` and turning
//! `ElexError` into a JS `Error` with `.code`. Argument *types* are checked by the shared JS
//! facade (`js/`) before a call reaches this module, for both backends alike.

use elex_engine::ElexError;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

#[cfg(feature = "coordination")]
pub mod cluster;
pub mod index;
pub mod kernels;
pub mod qlearning;
pub mod security;
pub mod swarm;
#[cfg(feature = "threads")]
pub mod threads;

pub(crate) type JsResult<T> = Result<T, JsValue>;

pub(crate) fn to_js(e: ElexError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    // Setting a property on a fresh Error object cannot fail; nothing to recover if it did.
    let _ = Reflect::set(&err, &"code".into(), &e.code().into());
    err.into()
}

pub(crate) fn set(obj: &Object, key: &str, value: &JsValue) {
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

/// The error codes of the contract, from the engine's one list.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    elex_engine::error::ERROR_CODES.iter().map(|c| c.to_string()).collect()
}
