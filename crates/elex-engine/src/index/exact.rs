//! The exact scan, and the choice between it and the graph.
//!
//! A graph search costs about (distances it computes + 5 × nodes it expands) × (cost of one
//! distance, mostly a cache miss; see `EXPANSION_COST`); the scan costs (live vectors) ×
//! (cost of one streamed distance) ÷ cores. `search` takes the cheaper. The graph's counts
//! depend on the data and on `ef` (high-dimensional random data needs far more than clustered
//! data), so they are measured, not guessed: a few probe searches per power-of-two bucket of
//! `ef`, kept until the live size moves by an eighth.
//! Probes are graph searches from fixed slots, so the choice is a function of the index
//! (and of when it was measured), never of timing.

use super::config::SearchResult;
use super::graph::HnswIndex;
use super::scratch::{with_scratch, Near};
use super::{for_each_parallel, threads};
use crate::error::Result;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering::Relaxed};

/// Up to this many live vectors the scan is used without measuring: a graph search would
/// touch a good share of them anyway.
const ALWAYS_SCAN: usize = 256;
/// Values (slots × dim) per parallel piece of a scan. Small enough that the caller and a
/// helper that woke late still finish together (a 10 000 × 128 scan is 20 pieces; at 5, the
/// caller did 3 of them while a WebAssembly helper did 2: 1.6× one thread at best).
const SCAN_PIECE_VALUES: usize = 1 << 16;
/// The cost model counts one thread per this many values (slots × dim) scanned: a smaller
/// scan ends before a sleeping helper is likely to have woken up and joined it.
const SCAN_VALUES_PER_THREAD: usize = 1 << 18;
/// Probe searches per measurement.
const PROBES: usize = 8;
/// What one scanned vector costs, in graph-search cost units (`graph_units`; one core, same
/// dim): the scan streams f32 records in order, the graph hops between random nodes and
/// reads their one-byte codes. Up to 128 dims both are dominated by per-item overhead and
/// latency; above it the scan's 4 bytes a dimension grow faster than a hop's 1. Measured on
/// random data at 10 000 vectors with
/// `DIM=d cargo test --release -p elex-engine --lib calibrate_scan_cost -- --ignored --nocapture`
/// (lowest of ef 32 / 128 / 512; AMD EPYC VM, graph walks by codes). In a slow memory phase,
/// counting distances only: dim 32: 0.28, 64: 0.26, 128: 0.30, 256: 0.42, 512: 0.72, 784:
/// 1.05, 1024: 0.98; in units these are at least 1.2× that (a search's units are 1.21-1.39×
/// its distances on random 128-d data), so 0.34, 0.31, 0.36, 0.50, 0.86, 1.26, 1.18. In a
/// fast phase, in units: 0.37, 0.38, 0.49, 0.62, 0.86, 1.49, 1.58 (clustered and Fashion → 128
/// at 128 dims: 0.37, 0.40). The figures move with the machine's memory phase, so this line
/// stays under the lowest of each: near the crossover the scan is chosen (never slower than
/// it), at the price of taking it, in a fast phase, where the graph would have been up to
/// ~1.6× faster. The single constant 0.28 used before made 784-d searches over 10 000
/// vectors switch to the scan from ef ≈ 50 (~1 400 distances); by these figures the graph
/// stays cheaper to ef ≈ 300, and at ef 64 it is ~5× cheaper (~130 µs against ~640 µs;
/// `node bench/scan-or-graph.mjs --dim 784` shows the switch and both costs).
fn scan_cost(dim: usize) -> f32 {
    (0.31 + 0.0012 * (dim as f32 - 128.0)).clamp(0.31, 1.15)
}

/// Vectors `scan_cost` was calibrated with (its figures hold for scans up to this size).
const CALIBRATED_SLOTS: usize = 10_000;
/// A scan of more f32 bytes than this (and than the calibration read) no longer finds its
/// vectors in the last-level cache: it streams them from memory, which the graph's hops, on
/// a quarter of the bytes, feel less. Random 128-d data on the EPYC VM, in one run of
/// `N=n calibrate_scan_cost` (2026-12-02, at 54e569e): a scanned vector took 7.4 ns at 10 000 and 30 000 vectors
/// (5 and 15 MB), 10.4 ns at 50 000 and 16.1 ns at 100 000 (51 MB), where a graph cost unit
/// went from 12–15 to 19–28 ns: scan costs of 0.51 / 0.55 / 0.45 / 0.58 at the lowest. Two
/// threads gained 1.04–1.5× at 100 000 (bandwidth, not cores; `calibrate_scan_cost`'s thread
/// line, and the exact row of `bench/index.mjs`), 1.24× at 10 000; the model credits 2×,
/// which errs towards the scan. Priced at 0.31, 100 000 vectors took the scan from
/// ef ≈ 560: at ef 768 it took ~1.1 ms where the graph takes ~0.45 ms.
const SCAN_CACHED_BYTES: f32 = (16 << 20) as f32;
/// The extra cost grows over this many bytes beyond `SCAN_CACHED_BYTES`, up to
/// `SCAN_STREAMED_FACTOR` (kept under the measured ~2.5×, so near the crossover the scan is
/// still chosen first).
const SCAN_STREAMED_SPAN: f32 = (32 << 20) as f32;
const SCAN_STREAMED_FACTOR: f32 = 1.75;

/// What one scanned vector costs (`scan_cost`) when `slots` vectors of `dim` are scanned.
/// Only where the graph walk prefetches (x86-64): elsewhere, WebAssembly above all, its hops
/// wait for memory just as long once the index outgrows the cache, and the scan stays the
/// better deal. Measured in Node at 100 000 × 128 (`bench/index.mjs --sets random100k`):
/// WASM's graph took 1 088 µs at ef 512 (native's 337 µs), its scan 1 190 µs (native's
/// ~1 000 µs). So above 16 MB the two backends can choose differently at the same `ef`.
fn scan_cost_at(slots: usize, dim: usize) -> f32 {
    if !cfg!(target_arch = "x86_64") {
        return scan_cost(dim);
    }
    let bytes = (slots * dim * 4) as f32;
    let cached = SCAN_CACHED_BYTES.max((CALIBRATED_SLOTS * dim * 4) as f32);
    let beyond = ((bytes - cached) / SCAN_STREAMED_SPAN).clamp(0.0, 1.0);
    scan_cost(dim) * (1.0 + (SCAN_STREAMED_FACTOR - 1.0) * beyond)
}

/// What one expanded node costs a graph search, in code distances: its list read, the visited
/// checks and prefetches of all its neighbours, a heap pop, and (at the end) the exact re-rank
/// of one pool entry. Fitted, with the per-search distances, to graph search times at ef
/// 16..512 on random, clustered and Fashion → 128 data (10 000 × 128; printed by
/// `calibrate_scan_cost` with `DATA=`): 20 ns a distance, 104 ns an expansion, within ±16 %
/// from ef 32. Counting distances alone had priced clustered searches, which compute few
/// distances per expansion, at half their cost, so the graph was chosen where the scan was
/// as fast or faster.
const EXPANSION_COST: f64 = 5.0;

/// A search's cost in code distances, from its scratch counters.
pub(super) fn graph_units(s: &super::scratch::Scratch) -> f64 {
    s.evals as f64 + EXPANSION_COST * s.expansions as f64
}

/// Measured graph cost (`graph_units`) per unit of `ef`, by power-of-two bucket of `ef` (f32
/// bits; 0 = not measured), and the live size they were measured at. Atomics, because searches share
/// the index (`&self`) across threads.
#[derive(Debug, Default)]
pub struct ProbeCache {
    live: AtomicUsize,
    per_ef: [AtomicU32; 17],
}

impl Clone for ProbeCache {
    /// A copy measures afresh.
    fn clone(&self) -> Self {
        ProbeCache::default()
    }
}

impl HnswIndex {
    /// True when an exact scan is expected to cost no more than a graph search at `ef`.
    pub(super) fn scan_is_cheaper(&self, ef: usize) -> bool {
        if self.live <= ALWAYS_SCAN || self.entry.is_none() {
            return true;
        }
        let shares = (self.ids.len() * self.cfg.dim).div_ceil(SCAN_VALUES_PER_THREAD);
        let per_vector = scan_cost_at(self.ids.len(), self.cfg.dim);
        let scan = self.live as f32 * per_vector / threads().min(shares).max(1) as f32;
        scan <= self.graph_cost(ef)
    }

    /// Expected cost of a graph search at `ef`, in `graph_units`.
    pub(super) fn graph_cost(&self, ef: usize) -> f32 {
        let cache = &self.probes;
        let measured_at = cache.live.load(Relaxed);
        if measured_at == 0 || measured_at.abs_diff(self.live) > measured_at / 8 {
            for bucket in &cache.per_ef {
                bucket.store(0, Relaxed);
            }
            cache.live.store(self.live, Relaxed);
        }
        let bucket = (usize::BITS - 1 - ef.max(1).leading_zeros()) as usize;
        let bucket_ef = 1usize << bucket;
        let per_ef = match cache.per_ef[bucket.min(16)].load(Relaxed) {
            0 => {
                let measured = self.probe(bucket_ef) / bucket_ef as f32;
                cache.per_ef[bucket.min(16)].store(measured.max(f32::MIN_POSITIVE).to_bits(), Relaxed);
                measured
            }
            bits => f32::from_bits(bits),
        };
        per_ef * ef as f32
    }

    /// Mean cost (`graph_units`) of graph searches at `ef` for queries between stored vectors
    /// (midpoints of pairs of live slots, so a probe does not start on its own answer).
    fn probe(&self, ef: usize) -> f32 {
        let slots = self.ids.len();
        let live_slot = |start: usize| (0..slots).map(|i| (start + i) % slots).find(|s| !self.deleted[*s]);
        let mut total = 0.0;
        let mut count = 0usize;
        with_scratch(|s| {
            for i in 0..PROBES {
                let (Some(a), Some(b)) = (
                    live_slot(i.wrapping_mul(2_654_435_761) % slots),
                    live_slot((i.wrapping_mul(40_503) + 1) % slots),
                ) else {
                    continue;
                };
                let mid: Vec<f32> = self
                    .vector(a as u32)
                    .iter()
                    .zip(self.vector(b as u32))
                    .map(|(x, y)| 0.5 * (x + y))
                    .collect();
                let Ok(q) = self.prepare(&mid) else { continue };
                s.reset_counts();
                self.graph_nearest(s, &q, ef);
                total += graph_units(s);
                count += 1;
            }
        });
        if count == 0 {
            return self.live as f32;
        }
        (total / count as f64) as f32
    }

    /// Exact scan over every live vector, split across cores for large indexes.
    pub fn search_exact(&self, query: &[f32], k: usize) -> Result<SearchResult> {
        super::search::check_k(k)?;
        let k = k.min(self.live.max(1));
        let q = self.prepare(query)?;
        let slots = self.ids.len();
        let per_piece = (SCAN_PIECE_VALUES / self.cfg.dim).max(64);
        let mut pieces: Vec<Vec<Near>> = vec![Vec::new(); slots.div_ceil(per_piece).max(1)];
        for_each_parallel(&mut pieces, |i, out| {
            *out = self.scan(&q, i * per_piece..((i + 1) * per_piece).min(slots), k);
        });
        let mut nearest = pieces.concat();
        nearest.sort_unstable();
        nearest.truncate(k);
        Ok(self.result(nearest.into_iter()))
    }

    /// The `k` nearest live slots in `range`, nearest first.
    pub(super) fn scan(&self, q: &[f32], range: std::ops::Range<usize>, k: usize) -> Vec<Near> {
        let mut heap: BinaryHeap<Near> = BinaryHeap::with_capacity(k + 1);
        for slot in range {
            if self.deleted[slot] {
                continue;
            }
            let near = Near::new(self.distance(q, slot as u32), slot as u32);
            if heap.len() < k {
                heap.push(near);
            } else if heap.peek().is_some_and(|worst| near < *worst) {
                heap.pop();
                heap.push(near);
            }
        }
        heap.into_sorted_vec()
    }
}

#[cfg(test)]
mod tests {
    /// `calibrate_scan_cost` lows per dim, in cost units (see `scan_cost`).
    const MEASURED: [(usize, f32); 7] =
        [(32, 0.34), (64, 0.31), (128, 0.36), (256, 0.50), (512, 0.86), (784, 1.26), (1024, 1.18)];

    /// The line stays under every measurement (else the graph could be chosen where the scan
    /// is cheaper) and within 15 % of them above 128 dims (else high-dimensional searches
    /// give up the graph far too early, as the old constant did).
    #[test]
    fn scan_cost_follows_the_measurements() {
        for (dim, low) in MEASURED {
            let cost = super::scan_cost(dim);
            assert!(cost <= low, "dim {dim}: {cost} > measured {low}");
            if dim > 128 {
                assert!(cost >= 0.85 * low, "dim {dim}: {cost} far under measured {low}");
            }
        }
    }

    /// `calibrate_scan_cost` lows at larger sizes (`N=n`, random 128-d), in one run (2026-12-02).
    const MEASURED_128: [(usize, f32); 4] = [(10_000, 0.51), (30_000, 0.55), (50_000, 0.45), (100_000, 0.58)];

    /// Scans that outgrow the cache cost more per vector (where the graph walk prefetches),
    /// never more than measured, and nothing changes up to the calibrated size (or for high
    /// dims, calibrated out of cache).
    #[test]
    fn scan_cost_grows_once_the_vectors_outgrow_the_cache() {
        for (slots, low) in MEASURED_128 {
            let cost = super::scan_cost_at(slots, 128);
            assert!(cost <= low, "{slots}: {cost} > measured {low}");
        }
        assert_eq!(super::scan_cost_at(30_000, 128), super::scan_cost(128));
        if !cfg!(target_arch = "x86_64") {
            // No prefetching graph walk: the scan keeps its price at every size.
            assert_eq!(super::scan_cost_at(100_000, 128), super::scan_cost(128));
            return;
        }
        assert!(super::scan_cost_at(100_000, 128) >= 1.7 * super::scan_cost(128));
        assert!(super::scan_cost_at(1_000_000, 128) <= 1.75 * super::scan_cost(128));
        for dim in [784, 1024] {
            assert_eq!(super::scan_cost_at(10_000, dim), super::scan_cost(dim));
            assert!(super::scan_cost_at(100_000, dim) > super::scan_cost(dim));
        }
    }
}
