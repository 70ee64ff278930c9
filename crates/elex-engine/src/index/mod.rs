//! HNSW vector index (Malkov & Yashunin): incremental insert, tombstone removal, search with a
//! per-query `ef`, cosine / L2 / dot metrics on the SIMD kernels, contiguous vector storage,
//! flat neighbour arrays, a reusable visited set and seeded levels (same seed, same graph on
//! every target). Small collections are answered by an exact scan.
//!
//! Status: the engine core of the vector-index issue. Snapshots, slot reuse, batch and async
//! builds and the JS classes come next (see the issue).

mod build;
mod graph;
mod persist;
#[cfg(test)]
mod tests;

pub use build::{add_batch_via, Access};
pub use graph::{
    id_from, info_into, search_args, HnswIndex, IndexConfig, IndexOptions, Metric, SearchResult,
};
