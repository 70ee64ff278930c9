//! `Swarm::memory_bytes` against the heap it really holds, counted by a global allocator:
//! the figure `stats().memoryBytes` reports must be honest (within a fifth of the truth).

use elex_engine::agent::{parse_catalog, Swarm, SwarmConfig};
use elex_engine::qlearning::{QLearningConfig, QLearningOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn memory_bytes_matches_the_heap_a_swarm_holds() {
    let json =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/catalog.json")).unwrap();
    let (features, vocabulary) = parse_catalog(&json).unwrap();
    drop(json);
    let cfg = SwarmConfig {
        dim: 128,
        cold_start_threshold: 100,
        qlearning: QLearningConfig::new(&QLearningOptions::default()).unwrap(),
        seed: 1,
        query_cache_size: 10_000,
        safe_zones: Default::default(),
    };
    // What the swarm holds beyond its inputs: count from before the catalog was parsed.
    let before = LIVE.load(Ordering::Relaxed);
    let swarm = Swarm::new(features.clone(), vocabulary.clone(), cfg).unwrap();
    let held = (LIVE.load(Ordering::Relaxed) - before) as f64;
    let reported = swarm.memory_bytes() as f64;
    println!("heap held {:.2} MB, reported {:.2} MB", held / 1e6, reported / 1e6);
    assert!((reported / held - 1.0).abs() < 0.2, "reported {reported} vs held {held}");
    drop((features, vocabulary));
}
