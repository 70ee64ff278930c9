//! How an index is built and searched (its settings) and what a search returns.

use crate::error::{ElexError, Result};
use crate::rng::Rng;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// 1 − cosine similarity (vectors are stored normalised).
    Cosine,
    /// Squared Euclidean distance.
    L2,
    /// −(a·b): larger inner products rank first.
    Dot,
}

impl Metric {
    pub fn parse(name: &str) -> Result<Metric> {
        match name {
            "cosine" => Ok(Metric::Cosine),
            "l2" => Ok(Metric::L2),
            "dot" => Ok(Metric::Dot),
            other => Err(ElexError::bad_argument("metric", "'cosine', 'l2' or 'dot'", other)),
        }
    }
}

/// How an index is built and searched. `IndexConfig::new(dim)` gives the defaults; set the
/// fields to change them, and `HnswIndex::new` checks every one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexConfig {
    pub dim: usize,
    pub metric: Metric,
    /// Neighbours per node above layer 0 (layer 0 keeps 2m).
    pub m: usize,
    pub ef_construction: usize,
    /// The default `ef` of a search (a search's own `ef` overrides it); at least `k` is used.
    pub ef_search: usize,
    /// The generator's starting state (see [`Rng::from_seed`]).
    pub seed: u64,
}

pub const MAX_DIM: usize = 1 << 16;
pub const MAX_EF: usize = 1 << 16;
pub const MIN_M: usize = 2;
pub const MAX_M: usize = 256;

/// The seed of an index built without one.
const DEFAULT_SEED: u64 = 0x2545_f491_4f6c_dd1d;

fn in_range(name: &'static str, v: usize, min: usize, max: usize) -> Result<()> {
    if (min..=max).contains(&v) {
        Ok(())
    } else {
        Err(ElexError::bad_argument(name, format!("a whole number in {min}..={max}"), &v))
    }
}

impl IndexConfig {
    /// The defaults for vectors of `dim` values: cosine, m 16, efConstruction 200,
    /// efSearch 64.
    pub fn new(dim: usize) -> Self {
        IndexConfig {
            dim,
            metric: Metric::Cosine,
            m: 16,
            ef_construction: 200,
            ef_search: 64,
            seed: DEFAULT_SEED,
        }
    }

    /// `seed` (a whole number as JavaScript passes it) as this config's seed.
    pub fn with_seed(mut self, seed: u32) -> Self {
        self.seed = Rng::from_seed(seed);
        self
    }

    pub fn validate(&self) -> Result<()> {
        in_range("dim", self.dim, 1, MAX_DIM)?;
        in_range("m", self.m, MIN_M, MAX_M)?;
        in_range("efConstruction", self.ef_construction, 1, MAX_EF)?;
        in_range("efSearch", self.ef_search, 1, MAX_EF)
    }
}

/// Nearest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResult {
    pub ids: Vec<u32>,
    pub distances: Vec<f32>,
}
