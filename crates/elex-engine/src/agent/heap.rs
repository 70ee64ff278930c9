//! Heap bytes held by the swarm's parts, for an honest `memoryBytes`: a small trait over the
//! containers used here (a hash map counts its buckets at the table's capacity, as
//! hashbrown allocates them). A test counts the real heap with a counting allocator and
//! holds this within a fifth of it.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::mem::size_of;

pub trait HeapSize {
    /// Bytes this value owns on the heap (not counting its own `size_of`).
    fn heap(&self) -> usize;
}

impl HeapSize for String {
    fn heap(&self) -> usize {
        self.capacity()
    }
}

macro_rules! flat {
    ($($t:ty),*) => {$(impl HeapSize for $t { fn heap(&self) -> usize { 0 } })*};
}
flat!(u8, u16, u32, u64, usize, f32, f64, bool);

impl<T: HeapSize> HeapSize for Vec<T> {
    fn heap(&self) -> usize {
        self.capacity() * size_of::<T>() + self.iter().map(HeapSize::heap).sum::<usize>()
    }
}

impl<T: HeapSize> HeapSize for VecDeque<T> {
    fn heap(&self) -> usize {
        self.capacity() * size_of::<T>() + self.iter().map(HeapSize::heap).sum::<usize>()
    }
}

impl<T: HeapSize> HeapSize for Option<T> {
    fn heap(&self) -> usize {
        self.as_ref().map_or(0, HeapSize::heap)
    }
}

impl<A: HeapSize, B: HeapSize> HeapSize for (A, B) {
    fn heap(&self) -> usize {
        self.0.heap() + self.1.heap()
    }
}

impl<K: HeapSize, V: HeapSize, S> HeapSize for HashMap<K, V, S> {
    fn heap(&self) -> usize {
        // hashbrown: buckets of (K, V) plus one control byte each, at the table's capacity
        // rounded up to a power of two over 7/8 load.
        let buckets = if self.capacity() == 0 { 0 } else { (self.capacity() * 8 / 7).next_power_of_two() };
        buckets * (size_of::<(K, V)>() + 1) + self.iter().map(|(k, v)| k.heap() + v.heap()).sum::<usize>()
    }
}

impl<K: HeapSize, V: HeapSize> HeapSize for BTreeMap<K, V> {
    fn heap(&self) -> usize {
        // B-tree nodes hold up to 11 entries; count them about two-thirds full.
        self.len() * (size_of::<(K, V)>() * 3 / 2)
            + self.iter().map(|(k, v)| k.heap() + v.heap()).sum::<usize>()
    }
}
