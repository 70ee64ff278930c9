//! Compaction: once removed vectors outnumber live ones, their slots are given back.
//!
//! Removal only marks a node; the graph keeps it as a waypoint, because its links are what
//! connect its neighbours to each other. Compaction drops the marked nodes for good: every
//! live node that linked to one is reconnected through it (its live neighbours, plus the
//! live neighbours of each removed one, pruned by the selection heuristic, as in
//! FreshDiskANN's delete consolidation), then the records are renumbered densely.
//! Deterministic, so a compacted index is the same on every target.

use super::for_each_parallel;
use super::graph::{HnswIndex, EMPTY};

/// Fewer tombstones than this are never worth a compaction.
const MIN_TOMBSTONES: usize = 64;

impl HnswIndex {
    /// Compacts when removed slots outnumber live ones (and no batch is half-linked).
    pub(super) fn compact_if_worth_it(&mut self) {
        let tombstones = self.ids.len() - self.live;
        if tombstones >= MIN_TOMBSTONES && tombstones >= self.live && self.staged == 0 {
            self.compact();
        }
    }

    /// Drops every removed slot, reconnecting and renumbering the rest.
    pub fn compact(&mut self) {
        let slots = self.ids.len();
        let mut renumber = vec![EMPTY; slots];
        let mut next = 0u32;
        for (slot, new) in renumber.iter_mut().enumerate() {
            if !self.deleted[slot] {
                *new = next;
                next += 1;
            }
        }
        if next as usize == slots {
            return;
        }
        // New lists of every live node at every layer, from the graph as it is.
        let live: Vec<u32> = (0..slots as u32).filter(|s| !self.deleted[*s as usize]).collect();
        let mut lists: Vec<Vec<Vec<u32>>> = vec![Vec::new(); live.len()];
        for_each_parallel(&mut lists, |i, out| {
            let slot = live[i];
            *out = (0..=usize::from(self.levels[slot as usize]))
                .map(|l| self.reconnected(slot, l).into_iter().map(|n| renumber[n as usize]).collect())
                .collect();
        });

        let old = std::mem::replace(self, HnswIndex::empty(self.cfg));
        self.rng = old.rng;
        for (i, &slot) in live.iter().enumerate() {
            let level = usize::from(old.levels[slot as usize]);
            self.push_slot(old.ids[slot as usize], level, old.vector(slot), false);
            for (l, list) in lists[i].iter().enumerate() {
                self.set_neighbours(i as u32, l, list);
            }
            self.slot_of.insert(old.ids[slot as usize], i as u32);
        }
        self.live = live.len();
        // Entry point: the old one if it survived, else the first node of the highest level.
        let entry =
            old.entry.filter(|e| !old.deleted[*e as usize]).map(|e| renumber[e as usize]).or_else(|| {
                (0..self.live as u32).max_by_key(|s| (self.levels[*s as usize], std::cmp::Reverse(*s)))
            });
        self.entry = entry;
        self.max_level = entry.map_or(0, |e| usize::from(self.levels[e as usize]));
    }

    /// `slot`'s live neighbours at `level`, with removed ones replaced by their own live
    /// neighbours, pruned back to capacity (unchanged if it linked to no removed node).
    fn reconnected(&self, slot: u32, level: usize) -> Vec<u32> {
        let list = self.neighbours(slot, level);
        if list.iter().all(|n| !self.deleted[*n as usize]) {
            return list.to_vec();
        }
        let mut candidates: Vec<u32> = Vec::with_capacity(list.len() * 2);
        for &n in list {
            if !self.deleted[n as usize] {
                candidates.push(n);
            } else if usize::from(self.levels[n as usize]) >= level {
                candidates.extend(self.neighbours(n, level).iter().filter(|c| !self.deleted[**c as usize]));
            }
        }
        candidates.retain(|c| *c != slot);
        candidates.sort_unstable();
        candidates.dedup();
        let mut near = self.near_to(slot, &candidates);
        near.sort_unstable();
        self.select(&near, self.capacity(level)).iter().map(|n| n.slot()).collect()
    }
}
