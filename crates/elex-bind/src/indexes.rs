//! Indexes as the wrappers hold them: behind a lock in a per-thread registry, so that the
//! native `addBatchAsync` can link vectors on a libuv thread while the JS thread searches
//! (reads share the lock; the builder writes only in short commits).

use crate::out::fill;
use crate::registry::with;
use elex_engine::error::{ElexError, Result};
use elex_engine::index::{self, HnswIndex};
use std::sync::{Arc, RwLock};

/// An index as the registry keeps it.
pub type SharedIndex = Arc<RwLock<HnswIndex>>;

crate::registered!(SharedIndex, INDEXES);

pub fn share(ix: HnswIndex) -> SharedIndex {
    Arc::new(RwLock::new(ix))
}

/// The index behind `handle` (a new reference to it).
pub fn shared(handle: u32) -> Result<SharedIndex> {
    with(handle, |ix: &mut SharedIndex| Ok(Arc::clone(ix)))
}

/// Runs `f` with the index behind `handle` locked for writing.
pub fn write<R>(handle: u32, f: impl FnOnce(&mut HnswIndex) -> Result<R>) -> Result<R> {
    let ix = shared(handle)?;
    let mut guard = ix.write().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&mut guard)
}

/// Runs `f` with the index behind `handle` locked for reading.
pub fn read<R>(handle: u32, f: impl FnOnce(&HnswIndex) -> Result<R>) -> Result<R> {
    let ix = shared(handle)?;
    let guard = ix.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    f(&guard)
}

/// Links a batch into a shared index (off the JS thread on native), catching a panic so
/// that it becomes an `INTERNAL` error instead of taking the process down.
pub fn add_batch_shared(ix: &SharedIndex, ids: &[u32], vectors: &[f32]) -> Result<()> {
    let run = std::panic::AssertUnwindSafe(|| index::add_batch_via(&**ix, ids, vectors, |_| {}));
    std::panic::catch_unwind(run).unwrap_or_else(|_| Err(ElexError::internal("a Rust panic was caught")))
}

/// A search by the facade's arguments: `exact` forces the exact scan.
pub fn search(
    ix: &HnswIndex, query: &[f32], k: f64, ef: Option<f64>, exact: Option<bool>,
) -> Result<index::SearchResult> {
    let (k, ef) = crate::args::search(k, ef)?;
    if exact == Some(true) {
        ix.search_exact(query, k)
    } else {
        ix.search(query, k, ef)
    }
}

pub fn search_batch(
    ix: &HnswIndex, queries: &[f32], k: f64, ef: Option<f64>, exact: Option<bool>,
) -> Result<index::SearchResult> {
    let (k, ef) = crate::args::search(k, ef)?;
    ix.search_batch(queries, k, ef, exact == Some(true))
}

/// [size, dim, memoryBytes] into `out` (a Float64Array(3) from the facade).
pub fn info(ix: &HnswIndex, out: &mut [f64]) -> Result<()> {
    fill(out, &[ix.size() as f64, ix.config().dim as f64, ix.memory_bytes() as f64])
}
