//! HNSW vector index (Malkov & Yashunin): incremental insert, tombstone removal, search with a
//! per-query `ef`, cosine / L2 / dot metrics on the SIMD kernels, contiguous vector storage,
//! flat neighbour arrays, a reusable visited set and seeded levels (same seed, same graph on
//! every target). Small collections are answered by an exact scan.
//!
//! Files: `config.rs` (settings), `graph.rs` (storage and lists), `insert.rs`, `search.rs`,
//! `probe.rs` (distances, prefetch), `scratch.rs` (per-thread heaps and visited set),
//! `codes.rs` (the one-byte codes that building compares), `build.rs` (chunked multi-core
//! batch builds), `exact.rs` (the exact scan and when it beats the graph), `compact.rs`
//! (giving removed slots back), `persist.rs` (snapshots).

mod build;
mod codes;
mod compact;
mod config;
mod exact;
mod graph;
mod insert;
mod persist;
mod probe;
mod scratch;
mod search;
#[cfg(test)]
mod tests;

pub use build::{add_batch_via, Access};
pub use config::{IndexConfig, Metric, SearchResult, MAX_DIM, MAX_EF, MAX_M, MIN_M};
pub use graph::HnswIndex;

/// `f(i, &mut items[i])` for every item, on all cores when the `parallel` feature is on.
fn for_each_parallel<T: Send>(items: &mut [T], f: impl Fn(usize, &mut T) + Sync) {
    #[cfg(feature = "parallel")]
    if items.len() > 1 && crate::parallel::helpers() > 0 {
        let helpers = crate::parallel::helpers();
        crate::parallel::for_each_chunk_mut(items, 1, helpers, |i, chunk| f(i, &mut chunk[0]));
        return;
    }
    for (i, item) in items.iter_mut().enumerate() {
        f(i, item);
    }
}

/// Threads a parallel loop here may use (1 without the `parallel` feature).
fn threads() -> usize {
    #[cfg(feature = "parallel")]
    return crate::parallel::helpers() + 1;
    #[cfg(not(feature = "parallel"))]
    1
}
