//! The binding layer shared by the napi-rs addon (`elex-node`) and the wasm-bindgen build
//! (`elex-wasm`): everything about crossing into JavaScript that is not a JS type.
//!
//! - [`args`]: JavaScript numbers (f64) decoded into sizes, ids, seeds and options, with one
//!   message shape for every bad value.
//! - [`registry`]: objects live in per-thread slabs and JavaScript holds small integer
//!   handles ([`Owned`] frees one when its JS object is collected). Hot calls then name an
//!   object by a number written into a shared buffer instead of passing a JS object.
//! - [`qtables`]: the Q-table registry and the per-step "mailbox" protocol.
//! - `clusters` (feature `coordination`): cluster nodes tied to a swarm, one binary output
//!   image per step.
//! - [`indexes`]: the index registry (indexes sit behind a lock so a batch can be linked off
//!   the JS thread while searches go on).
//!
//! The engine (`elex-engine`) knows nothing of this: it offers typed Rust APIs only.

pub mod args;
#[cfg(feature = "coordination")]
pub mod clusters;
pub mod indexes;
pub mod out;
pub mod qtables;
pub mod registry;
pub mod swarms;

pub use registry::{with, Owned, Registered};

/// Ed25519 identities: registered like tables, so the secret key is expanded once and never
/// leaves native memory unless `identitySecretKey` is asked for.
pub mod identities {
    crate::registered!(elex_engine::security::Identity, IDENTITIES);
}
