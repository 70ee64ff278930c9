//! Criterion benchmarks of the HNSW index side by side with an independent implementation, the
//! `instant-distance` crate: 10 000 seeded random unit vectors of dim 128, cosine, M 16 (elex;
//! instant-distance fixes M at 32), efConstruction 200. Recall@10 of both at ef 64 is printed
//! before the timings, against an exact scan written here in plain loops.
//!
//!   cargo bench -p elex-engine --bench index
//!   cargo bench -p elex-engine --bench index -- --quick      (fewer samples)
//!
//! Builds: both use every core (rayon). `RAYON_NUM_THREADS=1 cargo bench ...` compares one
//! core with one core.
//! Searches run one query per iteration, cycling through 100 queries.

#[path = "../tests/reference/mod.rs"]
mod reference;

use criterion::{criterion_group, criterion_main, Criterion};
use elex_engine::index::HnswIndex;
use instant_distance::Search;
use reference::{elex_index, exact_top_k, mean_recall, reference_index, reference_search, Rng, Settings};
use std::hint::black_box;
use std::time::{Duration, Instant};

const DIM: usize = 128;
const N: usize = 10_000;
const QUERIES: usize = 100;
const K: usize = 10;
const SETTINGS: Settings = Settings { m: 16, ef_construction: 200, ef_search: 64, seed: 1 };
const EF_SEARCH: usize = SETTINGS.ef_search;

struct Data {
    rows: Vec<[f32; DIM]>,
    queries: Vec<[f32; DIM]>,
}

fn data() -> Data {
    let mut rng = Rng(SETTINGS.seed);
    let rows = (0..N).map(|_| rng.unit_vector()).collect();
    let queries = (0..QUERIES).map(|_| rng.unit_vector()).collect();
    Data { rows, queries }
}

fn build_elex(d: &Data) -> HnswIndex {
    elex_index(&d.rows, &SETTINGS)
}

fn index(c: &mut Criterion) {
    let d = data();

    // One build of each, timed once, then the quality figures before any criterion timing.
    let t = Instant::now();
    let ix = build_elex(&d);
    let elex_build = t.elapsed();
    let t = Instant::now();
    let map = reference_index(&d.rows, &SETTINGS);
    let reference_build = t.elapsed();
    let truth: Vec<Vec<u32>> = d.queries.iter().map(|q| exact_top_k(&d.rows, q, K)).collect();
    let elex: Vec<Vec<u32>> =
        d.queries.iter().map(|q| ix.search_graph(q, K, Some(EF_SEARCH)).unwrap().ids).collect();
    let exact: Vec<Vec<u32>> = d.queries.iter().map(|q| ix.search_exact(q, K).unwrap().ids).collect();
    let mut search = Search::default();
    let reference: Vec<Vec<u32>> =
        d.queries.iter().map(|q| reference_search(&map, q, K, &mut search)).collect();
    eprintln!(
        "index: {N} unit vectors, dim {DIM}, {QUERIES} queries, recall@{K} at ef {EF_SEARCH}: \
         elex {:.3}, instant-distance {:.3}, elex exact scan {:.3} \
         (one build: elex {:.2?}, instant-distance {:.2?})",
        mean_recall(&elex, &truth, K),
        mean_recall(&reference, &truth, K),
        mean_recall(&exact, &truth, K),
        elex_build,
        reference_build,
    );

    let mut g = c.benchmark_group("index build 10k");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(20));
    g.bench_function("elex", |b| b.iter(|| build_elex(black_box(&d))));
    g.bench_function("instant-distance", |b| b.iter(|| reference_index(black_box(&d.rows), &SETTINGS)));
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
            reference_search(&map, black_box(&d.queries[i]), K, &mut search)
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
