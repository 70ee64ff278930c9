//! What the instant-distance cross-check (`tests/instant_distance.rs`) and the index bench
//! (`benches/index.rs`) share: seeded unit vectors, an exact scan in plain f64 loops (the
//! ground truth, independent of the engine's kernels), recall, and both indexes built the
//! same way. Not a test target itself (a folder under tests/); the bench includes it by path.
#![allow(dead_code)] // each includer uses a different part

use elex_engine::index::{HnswIndex, IndexConfig};
use instant_distance::{Builder, HnswMap, Search};

/// SplitMix64 + Box-Muller: the same data on every run and machine.
pub struct Rng(pub u64);

impl Rng {
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

    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.unit(), self.unit());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A direction uniform on the unit sphere.
    pub fn unit_vector<const D: usize>(&mut self) -> [f32; D] {
        let g: Vec<f64> = (0..D).map(|_| self.normal()).collect();
        let norm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
        let mut v = [0f32; D];
        for (o, x) in v.iter_mut().zip(&g) {
            *o = (x / norm) as f32;
        }
        v
    }
}

/// Cosine distance between unit vectors, 1 - a·b, accumulated in f64.
pub fn cosine_distance<const D: usize>(a: &[f32; D], b: &[f32; D]) -> f64 {
    1.0 - a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum::<f64>()
}

/// Ids (row numbers) of the `k` nearest rows by exact scan, ties by id.
pub fn exact_top_k<const D: usize>(rows: &[[f32; D]], q: &[f32; D], k: usize) -> Vec<u32> {
    let mut all: Vec<(f64, u32)> =
        rows.iter().enumerate().map(|(i, v)| (cosine_distance(q, v), i as u32)).collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    all.into_iter().take(k).map(|(_, i)| i).collect()
}

/// Mean fraction of each truth row found in the matching result row.
pub fn mean_recall(found: &[Vec<u32>], truth: &[Vec<u32>], k: usize) -> f64 {
    let hits: usize =
        found.iter().zip(truth).map(|(f, t)| f.iter().take(k).filter(|id| t.contains(id)).count()).sum();
    hits as f64 / (k * truth.len()) as f64
}

/// A point for instant-distance, which takes the distance from the caller: 1 - a·b in eight
/// independent f32 sums, so the compiler can vectorise it.
#[derive(Clone, Copy)]
pub struct Unit<const D: usize>(pub [f32; D]);

impl<const D: usize> instant_distance::Point for Unit<D> {
    fn distance(&self, other: &Self) -> f32 {
        let mut acc = [0f32; 8];
        let (a, b) = (self.0.chunks_exact(8), other.0.chunks_exact(8));
        let tail: f32 = a.remainder().iter().zip(b.remainder()).map(|(x, y)| x * y).sum();
        for (a, b) in a.zip(b) {
            for l in 0..8 {
                acc[l] += a[l] * b[l];
            }
        }
        1.0 - acc.iter().sum::<f32>() - tail
    }
}

/// The settings both indexes are built with.
pub struct Settings {
    pub m: usize,
    pub ef_construction: usize,
    pub ef_search: usize,
    pub seed: u64,
}

/// elex's index over `rows`, ids = row numbers.
pub fn elex_index<const D: usize>(rows: &[[f32; D]], s: &Settings) -> HnswIndex {
    let cfg = IndexConfig {
        m: s.m,
        ef_construction: s.ef_construction,
        ef_search: s.ef_search,
        ..IndexConfig::new(D).with_seed(s.seed as u32)
    };
    let mut ix = HnswIndex::new(cfg).unwrap();
    let ids: Vec<u32> = (0..rows.len() as u32).collect();
    let flat: Vec<f32> = rows.iter().flatten().copied().collect();
    ix.add_batch(&ids, &flat).unwrap();
    ix
}

/// instant-distance over `rows` (M fixed by the crate); the row number rides along as the
/// value, because it reorders points.
pub fn reference_index<const D: usize>(rows: &[[f32; D]], s: &Settings) -> HnswMap<Unit<D>, u32> {
    Builder::default()
        .ef_construction(s.ef_construction)
        .ef_search(s.ef_search)
        .seed(s.seed)
        .build(rows.iter().map(|v| Unit(*v)).collect(), (0..rows.len() as u32).collect())
}

pub fn reference_search<const D: usize>(
    map: &HnswMap<Unit<D>, u32>, q: &[f32; D], k: usize, search: &mut Search,
) -> Vec<u32> {
    map.search(&Unit(*q), search).take(k).map(|item| *item.value).collect()
}
