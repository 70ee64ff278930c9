//! The graph's storage: the index type, its lists per layer and their bookkeeping. Insert is
//! in `insert.rs`, search in `search.rs`, distances in `probe.rs`, per-thread scratch in
//! `scratch.rs`, the settings in `config.rs`.

use super::codes::{Codes, CODES_FROM};
use super::config::{IndexConfig, SearchResult};
use super::probe::prefetch;
use super::scratch::{full_prunes_only, Near};
use crate::error::Result;
use crate::rng::Rng;
use crate::simd::{self, Kernels};
use std::collections::HashMap;

pub(super) const EMPTY: u32 = u32::MAX;
pub(super) const MAX_LEVEL: usize = 16;

#[derive(Debug, Clone)]
pub struct HnswIndex {
    pub(super) cfg: IndexConfig,
    pub(super) kernels: &'static Kernels,
    pub(super) ids: Vec<u32>,
    pub(super) slot_of: HashMap<u32, u32>,
    pub(super) levels: Vec<u8>,
    /// Layer-0 lists, `[len, slot × 2m]` per slot (the length first, so reading a list is
    /// one load, not a scan for a terminator). Apart from the vectors: building never reads
    /// those (it measures codes), and dense lists stay in cache far better.
    pub(super) links0: Vec<u32>,
    /// The vectors, `dim` per slot (normalised for cosine), contiguous for the exact scan.
    pub(super) vectors: Vec<f32>,
    /// Layers 1..=level of each node: `[len, slot × m]` per layer.
    pub(super) upper: Vec<Vec<u32>>,
    pub(super) deleted: Vec<bool>,
    pub(super) live: usize,
    pub(super) entry: Option<u32>,
    pub(super) max_level: usize,
    pub(super) rng: Rng,
    /// Measured graph cost per unit of ef (see `exact.rs`).
    pub(super) probes: super::exact::ProbeCache,
    /// Slots staged by a batch build and not yet committed (compaction waits for them).
    pub(super) staged: usize,
    /// One-byte codes of the vectors, which building compares (see `codes.rs`).
    pub(super) codes: Codes,
    /// Per slot: how many leading entries of its layer-0 list are a heuristic selection,
    /// nearest first (what `select` leaves; later appends go after them). A cache for speed
    /// only: pruning that list again need not check those entries against one another
    /// (`select_known`), with the same result. Zeroed by any other write of a list, and
    /// whenever the distances change (codes start or are rebuilt).
    pub(super) known0: Vec<u16>,
}

impl HnswIndex {
    /// An empty index; `INVALID_ARGUMENT` names the setting that is out of range.
    pub fn new(cfg: IndexConfig) -> Result<Self> {
        cfg.validate()?;
        Ok(Self::empty(cfg))
    }

    /// An empty index with settings already checked.
    pub(super) fn empty(cfg: IndexConfig) -> Self {
        HnswIndex {
            kernels: simd::active(),
            rng: Rng(cfg.seed),
            cfg,
            ids: Vec::new(),
            slot_of: HashMap::new(),
            levels: Vec::new(),
            links0: Vec::new(),
            vectors: Vec::new(),
            upper: Vec::new(),
            deleted: Vec::new(),
            live: 0,
            entry: None,
            max_level: 0,
            probes: Default::default(),
            staged: 0,
            codes: Codes::default(),
            known0: Vec::new(),
        }
    }

    pub fn config(&self) -> &IndexConfig {
        &self.cfg
    }

    /// Live (not removed) vectors.
    pub fn size(&self) -> usize {
        self.live
    }

    /// The stored vector of a live id (normalised for cosine).
    pub fn vector_of(&self, id: u32) -> Option<&[f32]> {
        let slot = *self.slot_of.get(&id)?;
        (!self.deleted[slot as usize]).then(|| self.vector(slot))
    }

    pub fn has(&self, id: u32) -> bool {
        self.slot_of.get(&id).is_some_and(|s| !self.deleted[*s as usize])
    }

    /// Width of one stored list at `level`: the length, then `capacity(level)` slots.
    pub(super) fn stride(&self, level: usize) -> usize {
        self.capacity(level) + 1
    }

    pub(super) fn list(&self, slot: u32, level: usize) -> &[u32] {
        let w = self.stride(level);
        if level == 0 {
            let start = slot as usize * w;
            &self.links0[start..start + w]
        } else {
            &self.upper[slot as usize][(level - 1) * w..level * w]
        }
    }

    #[inline(always)]
    pub(super) fn prefetch_list(&self, slot: u32, level: usize) {
        if level == 0 {
            let w = self.stride(0);
            prefetch(self.links0.as_ptr().wrapping_add(slot as usize * w), w * 4);
        }
    }

    pub(super) fn neighbours(&self, slot: u32, level: usize) -> &[u32] {
        let list = self.list(slot, level);
        &list[1..1 + list[0] as usize]
    }

    pub(super) fn set_neighbours(&mut self, slot: u32, level: usize, new: &[u32]) {
        let w = self.stride(level);
        let list = if level == 0 {
            let start = slot as usize * w;
            &mut self.links0[start..start + w]
        } else {
            &mut self.upper[slot as usize][(level - 1) * w..level * w]
        };
        list[0] = new.len() as u32;
        list[1..1 + new.len()].copy_from_slice(new);
        list[1 + new.len()..].fill(EMPTY);
        if level == 0 {
            self.known0[slot as usize] = 0;
        }
    }

    /// `set_neighbours` with a list that is its own heuristic selection, nearest first.
    pub(super) fn set_selected(&mut self, slot: u32, level: usize, kept: &[Near]) {
        self.set_neighbours(slot, level, &kept.iter().map(|n| n.slot()).collect::<Vec<_>>());
        self.mark_known(slot, level, kept.len());
    }

    /// Records that the first `known` entries of `slot`'s list at `level`, just written, are
    /// a heuristic selection. Only while building from codes: their distances are the same
    /// whichever way round and in whichever batch they are computed, which `select_known`
    /// relies on.
    pub(super) fn mark_known(&mut self, slot: u32, level: usize, known: usize) {
        if level == 0 {
            let known = if self.codes.enabled() && !full_prunes_only() { known } else { 0 };
            self.known0[slot as usize] = known as u16;
        }
    }

    /// How many leading entries of `node`'s list at `level` are known to be a selection.
    pub(super) fn known(&self, node: u32, level: usize) -> usize {
        if level == 0 {
            self.known0[node as usize] as usize
        } else {
            0
        }
    }

    pub(super) fn capacity(&self, level: usize) -> usize {
        if level == 0 {
            2 * self.cfg.m
        } else {
            self.cfg.m
        }
    }

    pub(super) fn random_level(&mut self) -> usize {
        let ml = 1.0 / (self.cfg.m as f64).ln();
        let u = 1.0 - self.rng.next_f64(); // (0, 1]
        ((-u.ln() * ml) as usize).min(MAX_LEVEL)
    }

    /// Capacity for `additional` more slots in every per-slot array.
    pub(super) fn reserve(&mut self, additional: usize) {
        self.ids.reserve(additional);
        self.slot_of.reserve(additional);
        self.levels.reserve(additional);
        self.deleted.reserve(additional);
        self.known0.reserve(additional);
        self.upper.reserve(additional);
        self.links0.reserve(additional * self.stride(0));
        self.vectors.reserve(additional * self.cfg.dim);
        self.codes.reserve(additional);
    }

    /// Appends a slot with layers 0..=level, empty neighbour lists and `vector` (already
    /// prepared). The caller keeps `slot_of` and `live` right.
    pub(super) fn push_slot(&mut self, id: u32, level: usize, vector: &[f32], removed: bool) {
        let (w0, w) = (self.stride(0), self.stride(1));
        let start = self.links0.len();
        self.links0.resize(start + w0, EMPTY);
        self.links0[start] = 0;
        self.vectors.extend_from_slice(vector);
        let mut upper = vec![EMPTY; level * w];
        for l in 0..level {
            upper[l * w] = 0;
        }
        self.upper.push(upper);
        self.ids.push(id);
        self.levels.push(level as u8);
        self.deleted.push(removed);
        self.known0.push(0);
        if self.codes.enabled() {
            self.codes.push(vector);
        } else if self.ids.len() == CODES_FROM {
            self.rebuild_codes();
        }
    }

    /// Bytes held by the index's allocations.
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.ids.capacity() * 4
            + self.slot_of.capacity() * (std::mem::size_of::<(u32, u32)>() + 1)
            + self.levels.capacity()
            + self.links0.capacity() * 4
            + self.vectors.capacity() * 4
            + self.upper.capacity() * std::mem::size_of::<Vec<u32>>()
            + self.upper.iter().map(|u| u.capacity() * 4).sum::<usize>()
            + self.deleted.capacity()
            + self.known0.capacity() * 2
            + self.codes.memory_bytes()
    }

    /// Marks `id` removed: never returned again; the graph keeps it as a waypoint until
    /// removed slots outnumber live ones, when the index compacts (see `compact.rs`).
    pub fn remove(&mut self, id: u32) -> bool {
        match self.slot_of.get(&id) {
            Some(&slot) if !self.deleted[slot as usize] => {
                self.deleted[slot as usize] = true;
                self.live -= 1;
                self.compact_if_worth_it();
                true
            }
            _ => false,
        }
    }

    pub(super) fn result(&self, nearest: impl Iterator<Item = Near>) -> SearchResult {
        let mut r = SearchResult::default();
        for n in nearest {
            r.ids.push(self.ids[n.slot() as usize]);
            r.distances.push(n.dist());
        }
        r
    }
}
