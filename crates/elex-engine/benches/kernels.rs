//! Criterion benchmarks of every kernel at 128 and 1024 values, and top-k over a
//! 10 000 x 128 matrix, for each SIMD level this machine can run (the scalar reference
//! included, so the SIMD speed-up is read off one report).
//!
//!   cargo bench -p elex-engine --bench kernels

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use elex_engine::simd::{available_levels, Kernels};
use elex_engine::types::{Dim, Discount, Finite, LearningRate, TopK};
use std::hint::black_box;

fn data(n: usize, seed: u32) -> Vec<f32> {
    let mut s = seed.wrapping_mul(2654435761).max(1);
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            (s as f32 / u32::MAX as f32) * 2.0 - 1.0
        })
        .collect()
}

fn kernels(c: &mut Criterion) {
    let levels: Vec<&'static Kernels> =
        available_levels().into_iter().filter_map(Kernels::for_level).collect();
    for n in [128usize, 1024] {
        let (a, b, w) = (data(n, 1), data(n, 2), data(n, 3));
        let mut group = c.benchmark_group(format!("kernels/{n}"));
        group.throughput(Throughput::Elements(n as u64));
        for k in &levels {
            let name = k.level.name();
            group.bench_function(BenchmarkId::new("dotProduct", name), |x| {
                x.iter(|| k.dot_product(black_box(&a), black_box(&b)))
            });
            group.bench_function(BenchmarkId::new("cosineSimilarity", name), |x| {
                x.iter(|| k.cosine_similarity(black_box(&a), black_box(&b)))
            });
            group.bench_function(BenchmarkId::new("normalize", name), |x| {
                x.iter(|| k.normalize(black_box(&a)))
            });
            let (alpha, gamma) = (LearningRate::new(0.1).unwrap(), Discount::new(0.95).unwrap());
            group.bench_function(BenchmarkId::new("batchQUpdate", name), |x| {
                x.iter(|| k.batch_q_update(black_box(&a), black_box(&b), black_box(&w), alpha, gamma))
            });
            group.bench_function(BenchmarkId::new("validateRanges", name), |x| {
                x.iter(|| k.validate_ranges(black_box(&a), black_box(&b), black_box(&w)))
            });
            let t = Finite::new("threshold", 0.25).unwrap();
            group.bench_function(BenchmarkId::new("aggregate", name), |x| {
                x.iter(|| k.aggregate_checked(black_box(&a), black_box(&w), t))
            });
        }
        group.finish();
    }

    let (rows, dim) = (10_000usize, 128usize);
    let matrix = data(rows * dim, 7);
    let query = data(dim, 8);
    let mut group = c.benchmark_group("topKSimilar/10000x128");
    group.throughput(Throughput::Elements((rows * dim) as u64));
    for k in &levels {
        group.bench_function(BenchmarkId::new("k=10", k.level.name()), |x| {
            x.iter(|| {
                k.top_k_similar(
                    black_box(&query),
                    black_box(&matrix),
                    Dim::new(dim).unwrap(),
                    TopK::new(10).unwrap(),
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, kernels);
criterion_main!(benches);
