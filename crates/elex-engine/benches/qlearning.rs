//! Criterion benchmarks of the Q-table: single update, action selection (ε-greedy, UCB),
//! and a batch update of 100 entries (the target: under 1 µs).
//!
//!   cargo bench -p elex-engine --bench qlearning

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use elex_engine::qlearning::{Policy, QLearningConfig, QLearningOptions, QTable, State};
use std::hint::black_box;

fn table(policy: &str) -> QTable {
    let opts = QLearningOptions {
        actions: Some(6),
        policy: Some(Policy::parse(policy).unwrap()),
        seed: Some(1),
        ..Default::default()
    };
    let mut t = QTable::new(QLearningConfig::new(&opts).unwrap());
    for s in 0..500u32 {
        for a in 0..6 {
            t.update(State::Num(s), a, f64::from(s % 7) - 3.0, Some(State::Num((s + 1) % 500))).unwrap();
        }
    }
    t
}

fn qlearning(c: &mut Criterion) {
    let mut g = c.benchmark_group("qtable");
    let mut t = table("epsilon-greedy");
    let mut i = 0u32;
    g.bench_function("update (numeric states)", |b| {
        b.iter(|| {
            i = (i + 1) % 500;
            t.update(State::Num(i), i % 6, -1.0, Some(State::Num((i + 7) % 500))).unwrap()
        })
    });
    g.bench_function("selectAction epsilon-greedy", |b| {
        b.iter(|| {
            i = (i + 1) % 500;
            t.select_action(black_box(State::Num(i)))
        })
    });
    let mut u = table("ucb");
    g.bench_function("selectAction ucb", |b| {
        b.iter(|| {
            i = (i + 1) % 500;
            u.select_action(black_box(State::Num(i)))
        })
    });
    let names: Vec<String> = (0..500).map(|s| format!("state-{s}")).collect();
    let mut strings = QTable::new(QLearningConfig::new(&QLearningOptions::default()).unwrap());
    g.bench_function("update (string states)", |b| {
        b.iter(|| {
            i = (i + 1) % 500;
            strings.update(
                State::Str(&names[i as usize]),
                1,
                -1.0,
                Some(State::Str(&names[(i as usize + 3) % 500])),
            )
        })
    });

    // 100 distinct (s, a) pairs of existing states: gathers, the SIMD kernel, scatters.
    let states: Vec<State> = (0..100u32).map(|s| State::Num(s * 5)).collect();
    let next: Vec<Option<State>> = (0..100u32).map(|s| Some(State::Num(s * 5 + 1))).collect();
    let actions: Vec<u32> = (0..100).map(|a| a % 6).collect();
    let rewards: Vec<f32> = (0..100).map(|r| r as f32 / 50.0 - 1.0).collect();
    g.throughput(Throughput::Elements(100));
    g.bench_function("updateBatch 100", |b| {
        b.iter(|| t.update_batch(black_box(&states), &actions, &rewards, &next).unwrap())
    });
    g.finish();
}

criterion_group!(benches, qlearning);
criterion_main!(benches);
