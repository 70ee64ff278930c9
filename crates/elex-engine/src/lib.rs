//! elex-engine: the pure-Rust engine behind the `elex` npm package. No JS types, no I/O,
//! no global state beyond the cached SIMD detection.

pub mod agent;
#[cfg(feature = "coordination")]
pub mod coordination;
mod crc32;
pub mod error;
pub mod index;
pub mod json;
pub mod kernels;
#[cfg(feature = "parallel")]
pub mod parallel;
pub mod qlearning;
pub mod rng;
pub mod security;
pub mod simd;
pub mod snapshot;
pub mod types;

pub use error::{ElexError, Result};
