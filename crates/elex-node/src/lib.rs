//! napi-rs wrapper of elex-engine: one file per domain (kernels, qlearning, index,
//! security), each converting arguments, calling the engine through `elex-bind` and turning
//! `ElexError` into a JS `Error` with `.code`. Typed arrays are borrowed, not copied (napi
//! hands us the view's own start, so `subarray()` offsets are already applied). Every export
//! is `catch_unwind`: a bug becomes an `Error`, never an abort.

use elex_engine::ElexError;
use napi::bindgen_prelude::{Float32ArraySlice, Uint32ArraySlice};
use napi::Env;
use napi_derive::napi;

pub mod cluster;
pub mod hot;
pub mod index;
pub mod kernels;
pub mod qlearning;
pub mod security;
pub mod swarm;

/// The contract code, carried to JS as the error's `.code`.
pub struct Code(pub(crate) &'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

// Named `Result` on purpose: napi-derive recognises fallible exports by that name.
pub type Result<T> = std::result::Result<T, napi::Error<Code>>;

pub fn to_js(e: ElexError) -> napi::Error<Code> {
    napi::Error::new(Code(e.code()), e.to_string())
}

pub fn napi_failure(e: napi::Error) -> napi::Error<Code> {
    napi::Error::new(Code("INTERNAL"), e.reason)
}

// Results are copied into V8-allocated typed arrays: for the sizes returned here this is
// ~10x cheaper than handing V8 an external buffer (which costs a finalizer and GC tracking).
pub fn f32_out<'e>(env: &'e Env, v: &[f32]) -> Result<Float32ArraySlice<'e>> {
    Float32ArraySlice::copy_from(env, v).map_err(napi_failure)
}

pub fn u32_out<'e>(env: &'e Env, v: &[u32]) -> Result<Uint32ArraySlice<'e>> {
    Uint32ArraySlice::copy_from(env, v).map_err(napi_failure)
}

#[napi(catch_unwind)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[napi(catch_unwind)]
pub fn simd_level() -> String {
    elex_engine::simd::simd_level().to_string()
}

/// The error codes of the contract, from the engine's one list.
#[napi(catch_unwind)]
pub fn error_codes() -> Vec<&'static str> {
    elex_engine::error::ERROR_CODES.to_vec()
}

// The engine allocates many small, short-lived buffers per question (tokens, shortlists,
// JSON): mimalloc serves them from thread-local pages, well ahead of glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
