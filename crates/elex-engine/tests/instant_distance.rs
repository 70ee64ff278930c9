//! Recall cross-check of the HNSW index against an independent implementation, the
//! `instant-distance` crate (whole-index builds only, no insert or delete), on the same seeded
//! unit vectors. Ground truth is an exact scan written here in plain loops, independent of the
//! engine's kernels.
//!
//!   cargo test -p elex-engine --test instant_distance -- --nocapture
//!
//! Native only: `instant-distance` needs threads (rayon), so the file is empty on wasm32.
#![cfg(not(target_arch = "wasm32"))]

use elex_engine::index::{HnswIndex, IndexConfig, IndexOptions};
use instant_distance::{Builder, Search};

const DIM: usize = 32;
const N: usize = 3000;
const QUERIES: usize = 100;
const K: usize = 10;
const EF_CONSTRUCTION: usize = 200;
const EF_SEARCH: usize = 64;
const SEED: u64 = 1;

/// SplitMix64: a small seeded generator, so the data is the same on every run and machine.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1]: never 0, so `ln` below is finite.
    fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box-Muller).
    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.unit(), self.unit());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A direction uniform on the unit sphere.
    fn unit_vector(&mut self) -> [f32; DIM] {
        let g: Vec<f64> = (0..DIM).map(|_| self.normal()).collect();
        let norm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
        let mut v = [0f32; DIM];
        for (o, x) in v.iter_mut().zip(&g) {
            *o = (x / norm) as f32;
        }
        v
    }
}

/// Cosine distance between unit vectors, 1 - a·b, accumulated in f64.
fn cosine_distance(a: &[f32; DIM], b: &[f32; DIM]) -> f64 {
    let mut dot = 0f64;
    for i in 0..DIM {
        dot += f64::from(a[i]) * f64::from(b[i]);
    }
    1.0 - dot
}

/// A point for `instant-distance`, which takes the distance from the caller.
#[derive(Clone, Copy)]
struct Unit([f32; DIM]);

impl instant_distance::Point for Unit {
    fn distance(&self, other: &Self) -> f32 {
        cosine_distance(&self.0, &other.0) as f32
    }
}

/// Ids of the `k` nearest rows by exact scan.
fn exact_top_k(data: &[[f32; DIM]], q: &[f32; DIM], k: usize) -> Vec<u32> {
    let mut all: Vec<(f64, u32)> =
        data.iter().enumerate().map(|(i, v)| (cosine_distance(q, v), i as u32)).collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    all.into_iter().take(k).map(|(_, i)| i).collect()
}

fn recall(found: &[u32], truth: &[u32]) -> f64 {
    found.iter().take(K).filter(|id| truth.contains(id)).count() as f64 / K as f64
}

#[test]
fn recall_matches_or_beats_instant_distance() {
    let mut rng = SplitMix64(SEED);
    let data: Vec<[f32; DIM]> = (0..N).map(|_| rng.unit_vector()).collect();
    let queries: Vec<[f32; DIM]> = (0..QUERIES).map(|_| rng.unit_vector()).collect();
    let truth: Vec<Vec<u32>> = queries.iter().map(|q| exact_top_k(&data, q, K)).collect();

    // elex: ids are row numbers.
    let cfg = IndexConfig::new(&IndexOptions {
        dim: Some(DIM as f64),
        metric: Some("cosine".into()),
        m: Some(16.0),
        ef_construction: Some(EF_CONSTRUCTION as f64),
        ef_search: Some(EF_SEARCH as f64),
        seed: Some(SEED as f64),
    })
    .unwrap();
    let mut ix = HnswIndex::new(cfg);
    let ids: Vec<u32> = (0..N as u32).collect();
    let flat: Vec<f32> = data.iter().flatten().copied().collect();
    ix.add_batch(&ids, &flat).unwrap();

    // instant-distance: the row number rides along as the value (it reorders points).
    let map = Builder::default()
        .ef_construction(EF_CONSTRUCTION)
        .ef_search(EF_SEARCH)
        .seed(SEED)
        .build(data.iter().map(|v| Unit(*v)).collect(), ids.clone());

    let (mut elex_sum, mut reference_sum) = (0.0, 0.0);
    let mut search = Search::default();
    for (q, truth) in queries.iter().zip(&truth) {
        let r = ix.search_graph(q, K, Some(EF_SEARCH)).unwrap();
        assert_eq!(r.ids.len(), K);
        // Same metric as the scan here: the engine's distances agree with 1 - a·b.
        for (id, d) in r.ids.iter().zip(&r.distances) {
            let expected = cosine_distance(q, &data[*id as usize]);
            assert!((f64::from(*d) - expected).abs() < 1e-4, "id {id}: {d} vs {expected}");
        }
        assert!(r.distances.windows(2).all(|w| w[0] <= w[1]), "not nearest first");
        elex_sum += recall(&r.ids, truth);

        let found: Vec<u32> = map.search(&Unit(*q), &mut search).take(K).map(|item| *item.value).collect();
        assert_eq!(found.len(), K);
        reference_sum += recall(&found, truth);
    }
    let elex = elex_sum / QUERIES as f64;
    let reference = reference_sum / QUERIES as f64;
    eprintln!(
        "recall@{K} over {QUERIES} queries, {N} unit vectors of dim {DIM}, ef {EF_SEARCH}: \
         elex {elex:.3}, instant-distance {reference:.3}"
    );
    assert!(reference >= 0.90, "reference recall {reference:.3} < 0.90: the cross-check itself is off");
    assert!(elex >= 0.95, "elex recall {elex:.3} < 0.95");
    assert!(
        elex >= reference - 0.02,
        "elex recall {elex:.3} is below instant-distance's {reference:.3} - 0.02"
    );
}
