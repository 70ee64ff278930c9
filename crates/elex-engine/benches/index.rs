//! Criterion benchmarks of the HNSW index side by side with an independent implementation, the
//! `instant-distance` crate: 10 000 seeded random unit vectors of dim 128, cosine, M 16 (elex;
//! instant-distance fixes M at 32), efConstruction 200. Recall@10 of both at ef 64 is printed
//! before the timings, against an exact scan written here in plain loops.
//!
//!   cargo bench -p elex-engine --bench index
//!   cargo bench -p elex-engine --bench index -- --quick      (fewer samples)
//!
//! Builds: elex's `add_batch` inserts on one thread; instant-distance builds on every core
//! (rayon). `RAYON_NUM_THREADS=1 cargo bench ...` compares one core with one core.
//! Searches run one query per iteration, cycling through 100 queries.

use criterion::{criterion_group, criterion_main, Criterion};
use elex_engine::index::{HnswIndex, IndexConfig, IndexOptions};
use instant_distance::{Builder, HnswMap, Search};
use std::hint::black_box;
use std::time::{Duration, Instant};

const DIM: usize = 128;
const N: usize = 10_000;
const QUERIES: usize = 100;
const K: usize = 10;
const M: usize = 16;
const EF_CONSTRUCTION: usize = 200;
const EF_SEARCH: usize = 64;
const SEED: u64 = 1;

/// SplitMix64 + Box-Muller: the same data on every run and machine.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.unit(), self.unit());
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

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

/// A unit vector for instant-distance, which takes the distance from the caller: 1 - a·b, with
/// eight independent sums so the compiler can vectorise it.
#[derive(Clone, Copy)]
struct Unit([f32; DIM]);

impl instant_distance::Point for Unit {
    fn distance(&self, other: &Self) -> f32 {
        let mut acc = [0f32; 8];
        for (a, b) in self.0.chunks_exact(8).zip(other.0.chunks_exact(8)) {
            for l in 0..8 {
                acc[l] += a[l] * b[l];
            }
        }
        1.0 - acc.iter().sum::<f32>()
    }
}

struct Data {
    rows: Vec<[f32; DIM]>,
    flat: Vec<f32>,
    ids: Vec<u32>,
    queries: Vec<[f32; DIM]>,
}

fn data() -> Data {
    let mut rng = Rng(SEED);
    let rows: Vec<[f32; DIM]> = (0..N).map(|_| rng.unit_vector()).collect();
    let queries = (0..QUERIES).map(|_| rng.unit_vector()).collect();
    let flat = rows.iter().flatten().copied().collect();
    Data { rows, flat, ids: (0..N as u32).collect(), queries }
}

fn build_elex(d: &Data) -> HnswIndex {
    let cfg = IndexConfig::new(&IndexOptions {
        dim: Some(DIM as f64),
        metric: Some("cosine".into()),
        m: Some(M as f64),
        ef_construction: Some(EF_CONSTRUCTION as f64),
        ef_search: Some(EF_SEARCH as f64),
        seed: Some(SEED as f64),
    })
    .unwrap();
    let mut ix = HnswIndex::new(cfg);
    ix.add_batch(&d.ids, &d.flat).unwrap();
    ix
}

fn build_reference(d: &Data) -> HnswMap<Unit, u32> {
    Builder::default()
        .ef_construction(EF_CONSTRUCTION)
        .ef_search(EF_SEARCH)
        .seed(SEED)
        .build(d.rows.iter().map(|v| Unit(*v)).collect(), d.ids.clone())
}

/// Ids of the `K` nearest rows by exact scan (f64 sums), the ground truth.
fn truth(d: &Data, q: &[f32; DIM]) -> Vec<u32> {
    let mut all: Vec<(f64, u32)> = d
        .rows
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let dot: f64 = q.iter().zip(v).map(|(a, b)| f64::from(*a) * f64::from(*b)).sum();
            (1.0 - dot, i as u32)
        })
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    all.into_iter().take(K).map(|(_, i)| i).collect()
}

fn mean_recall(found: &[Vec<u32>], truth: &[Vec<u32>]) -> f64 {
    let hits: usize =
        found.iter().zip(truth).map(|(f, t)| f.iter().filter(|id| t.contains(id)).count()).sum();
    hits as f64 / (K * truth.len()) as f64
}

fn reference_search(map: &HnswMap<Unit, u32>, q: &[f32; DIM], search: &mut Search) -> Vec<u32> {
    map.search(&Unit(*q), search).take(K).map(|item| *item.value).collect()
}

fn index(c: &mut Criterion) {
    let d = data();

    // One build of each, timed once, then the quality figures before any criterion timing.
    let t = Instant::now();
    // A `&mut` binding: the searches borrow mutably or not, depending on the engine version.
    let ix = &mut build_elex(&d);
    let elex_build = t.elapsed();
    let t = Instant::now();
    let map = build_reference(&d);
    let reference_build = t.elapsed();
    let truth: Vec<Vec<u32>> = d.queries.iter().map(|q| truth(&d, q)).collect();
    let elex: Vec<Vec<u32>> =
        d.queries.iter().map(|q| ix.search_graph(q, K, Some(EF_SEARCH)).unwrap().ids).collect();
    let exact: Vec<Vec<u32>> = d.queries.iter().map(|q| ix.search_exact(q, K).unwrap().ids).collect();
    let mut search = Search::default();
    let reference: Vec<Vec<u32>> = d.queries.iter().map(|q| reference_search(&map, q, &mut search)).collect();
    eprintln!(
        "index: {N} unit vectors, dim {DIM}, {QUERIES} queries, recall@{K} at ef {EF_SEARCH}: \
         elex {:.3}, instant-distance {:.3}, elex exact scan {:.3} \
         (one build: elex {:.2?}, instant-distance {:.2?})",
        mean_recall(&elex, &truth),
        mean_recall(&reference, &truth),
        mean_recall(&exact, &truth),
        elex_build,
        reference_build,
    );

    let mut g = c.benchmark_group("index build 10k");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(20));
    g.bench_function("elex", |b| b.iter(|| build_elex(black_box(&d))));
    g.bench_function("instant-distance", |b| b.iter(|| build_reference(black_box(&d))));
    g.finish();

    let mut g = c.benchmark_group("index search ef=64 k=10");
    g.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    let mut i = 0;
    g.bench_function("elex", |b| {
        b.iter(|| {
            i = (i + 1) % QUERIES;
            ix.search_graph(black_box(&d.queries[i]), K, Some(EF_SEARCH)).unwrap()
        })
    });
    g.bench_function("instant-distance", |b| {
        b.iter(|| {
            i = (i + 1) % QUERIES;
            reference_search(&map, black_box(&d.queries[i]), &mut search)
        })
    });
    g.bench_function("elex exact scan", |b| {
        b.iter(|| {
            i = (i + 1) % QUERIES;
            ix.search_exact(black_box(&d.queries[i]), K).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, index);
criterion_main!(benches);
