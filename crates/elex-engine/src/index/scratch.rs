//! What a search or an insert reuses between calls on one thread: the packed heap keys, the
//! visited set, the candidate heaps.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A (distance, slot) pair packed into one u64 that orders by distance, then slot: the
/// distance's bits mapped so that integer order is float order (as `f32::total_cmp`), in the
/// high half. Heap operations then compare single integers, with no branches on ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Near(u64);

impl Near {
    #[inline(always)]
    pub(super) fn new(dist: f32, slot: u32) -> Near {
        let b = dist.to_bits();
        let ordered = if b >> 31 == 1 { !b } else { b | 0x8000_0000 };
        Near((u64::from(ordered) << 32) | u64::from(slot))
    }
    #[inline(always)]
    pub(super) fn dist(self) -> f32 {
        let o = (self.0 >> 32) as u32;
        f32::from_bits(if o >> 31 == 1 { o & 0x7fff_ffff } else { !o })
    }
    #[inline(always)]
    pub(super) fn slot(self) -> u32 {
        self.0 as u32
    }
}

/// Generation-stamped visited marks: clearing is one increment, not a memset per search.
/// 16-bit marks keep the array small enough to stay in the nearest caches.
#[derive(Debug, Clone, Default)]
pub(super) struct Visited {
    pub(super) marks: Vec<u16>,
    pub(super) epoch: u16,
}

impl Visited {
    pub(super) fn start(&mut self, slots: usize) {
        if self.marks.len() < slots {
            self.marks.resize(slots, 0);
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.marks.fill(0);
            self.epoch = 1;
        }
    }

    /// True the first time a slot is seen in this search.
    #[inline(always)]
    pub(super) fn first_visit(&mut self, slot: u32) -> bool {
        let m = &mut self.marks[slot as usize];
        let first = *m != self.epoch;
        *m = self.epoch;
        first
    }
}

#[cfg(test)]
thread_local! {
    /// Tests turn the pruning shortcut off to check it changes no list...
    pub(super) static FULL_PRUNES_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// ...and count the pair distances it saves on this thread.
    pub(super) static KNOWN_SKIPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[inline(always)]
pub(super) fn full_prunes_only() -> bool {
    #[cfg(test)]
    return FULL_PRUNES_ONLY.with(|f| f.get());
    #[cfg(not(test))]
    false
}

/// Search state reused across searches (no allocation per search once warm). One per
/// thread, not per index: searches then need only `&HnswIndex`, so several threads (the JS
/// thread, build workers) can search one index at once.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    pub(super) visited: Visited,
    pub(super) candidates: BinaryHeap<Reverse<Near>>,
    pub(super) results: BinaryHeap<Near>,
    /// Unvisited neighbours of the node being expanded (their vectors are prefetched).
    pub(super) fresh: Vec<u32>,
    /// Their distances, and integer scratch for computing them.
    pub(super) dists: Vec<f32>,
    pub(super) dots: Vec<i32>,
    /// Distances computed by search_layer since this was last reset (the cost model's probe).
    pub(super) evals: usize,
    /// Nodes search_layer expanded since this was last reset (the cost model's probe).
    pub(super) expansions: usize,
}

impl Scratch {
    /// Zeroes the cost counters (`evals`, `expansions`) before a measured search.
    pub(super) fn reset_counts(&mut self) {
        self.evals = 0;
        self.expansions = 0;
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's search scratch.
pub(super) fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        // Only reachable if `f` itself searched (it does not); a fresh one keeps it correct.
        Err(_) => f(&mut Scratch::default()),
    })
}
