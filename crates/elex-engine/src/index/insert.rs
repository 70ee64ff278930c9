//! Insert: find each layer's candidates, select neighbours by the heuristic, link both ways
//! and prune lists that overflow.

use super::graph::{HnswIndex, EMPTY};
use super::probe::{ByCode, ByVector, Probe};
#[cfg(test)]
use super::scratch::KNOWN_SKIPS;
use super::scratch::{with_scratch, Near, Scratch};
use crate::error::{ElexError, Result};

impl HnswIndex {
    /// Adds a vector under `id`. `DUPLICATE_ID` if the id is present (removed ids may return).
    pub fn add(&mut self, id: u32, vector: &[f32]) -> Result<()> {
        let q = self.prepare(vector)?;
        if let Some(&slot) = self.slot_of.get(&id) {
            if !self.deleted[slot as usize] {
                return Err(ElexError::DuplicateId(format!("id {id} is already in the index").into()));
            }
        }
        if self.ids.len() >= EMPTY as usize - 1 {
            return Err(ElexError::InvalidArgument("the index is full (2^32 - 2 slots)".into()));
        }
        let slot = self.ids.len() as u32;
        let level = self.random_level();
        self.push_slot(id, level, &q, false);
        self.slot_of.insert(id, slot);
        self.live += 1;

        let Some(ep) = self.entry else {
            self.entry = Some(slot);
            self.max_level = level;
            return Ok(());
        };
        let found = with_scratch(|s| self.insert_candidates(s, slot, ep, level));
        for (l, found) in found.iter().enumerate().rev() {
            let chosen = self.select(found, self.cfg.m);
            self.set_selected(slot, l, &chosen);
            for n in &chosen {
                self.connect(n.slot(), slot, n.dist(), l);
            }
        }
        if level > self.max_level {
            self.max_level = level;
            self.entry = Some(slot);
        }
        Ok(())
    }

    /// Adds `new` to `node`'s list at `level`, pruning with the heuristic when full.
    pub(super) fn connect(&mut self, node: u32, new: u32, dist: f32, level: usize) {
        let current = self.neighbours(node, level).to_vec();
        let known = self.known(node, level);
        if current.len() < self.capacity(level) {
            let mut list = current;
            list.push(new);
            self.set_neighbours(node, level, &list);
            self.mark_known(node, level, known); // appended after the known entries
            return;
        }
        let kept = self.pruned(node, level, &current, known, &[Near::new(dist, new)]);
        self.set_selected(node, level, &kept);
    }

    /// The heuristic selection (nearest first) from `node`'s list `current`, whose first
    /// `known` entries are a selection already, plus `gained`.
    pub(super) fn pruned(
        &self, node: u32, level: usize, current: &[u32], known: usize, gained: &[Near],
    ) -> Vec<Near> {
        let mut cands: Vec<(Near, bool)> =
            self.near_to(node, current).into_iter().enumerate().map(|(i, n)| (n, i < known)).collect();
        cands.extend(gained.iter().map(|n| (*n, false)));
        cands.sort_unstable_by_key(|c| c.0);
        let before = cands.len();
        cands.dedup_by_key(|c| c.0.slot());
        if cands.len() != before {
            // A node both listed and gained: claim nothing about what is known.
            cands.iter_mut().for_each(|c| c.1 = false);
        }
        self.select_known(cands, self.capacity(level))
    }

    /// The neighbour-selection heuristic: walk candidates nearest first and keep one only if
    /// it is closer to the base than to every neighbour kept so far (spreads links across
    /// directions, which is what keeps recall high on clustered data).
    pub(super) fn select(&self, sorted: &[Near], m: usize) -> Vec<Near> {
        self.select_known(sorted.iter().map(|n| (*n, false)), m)
    }

    /// `select` over candidates (nearest first) of which those marked `true` are known to
    /// form a selection among themselves: none of them is dominated by a nearer one. Such a
    /// candidate can then only be dominated by a kept *unmarked* one, so only those are
    /// checked. Same result as `select`, with a fraction of the pair distances when most of
    /// a full list is known (as after a prune, where only the appended entries are new).
    pub(super) fn select_known(&self, sorted: impl IntoIterator<Item = (Near, bool)>, m: usize) -> Vec<Near> {
        let mut kept: Vec<Near> = Vec::with_capacity(m);
        let mut kept_unknown: Vec<u32> = Vec::new();
        for (c, known) in sorted {
            if kept.len() >= m {
                break;
            }
            let undominated = if known {
                #[cfg(test)]
                KNOWN_SKIPS.with(|r| r.set(r.get() + kept.len() - kept_unknown.len()));
                kept_unknown.iter().all(|k| self.pair_distance(c.slot(), *k) > c.dist())
            } else {
                kept.iter().all(|k| self.pair_distance(c.slot(), k.slot()) > c.dist())
            };
            if undominated {
                kept.push(c);
                if !known {
                    kept_unknown.push(c.slot());
                }
            }
        }
        kept
    }

    /// Insertion candidates for the stored node `slot`, which will have layers 0..=level
    /// (see `candidates`), measured as building measures: by codes once the index has them.
    pub(super) fn insert_candidates(
        &self, s: &mut Scratch, slot: u32, ep: u32, level: usize,
    ) -> Vec<Vec<Near>> {
        if self.codes.enabled() {
            self.candidates(s, ByCode::stored(self, slot), ep, level)
        } else {
            self.candidates(s, ByVector(self.vector(slot)), ep, level)
        }
    }

    /// Insertion candidates for a vector `q` that will have layers 0..=level, searched from
    /// `ep` with efConstruction: element l holds layer l's nearest first, for each layer the
    /// graph already has (up to `level`).
    pub(super) fn candidates(
        &self, s: &mut Scratch, q: impl Probe, mut ep: u32, level: usize,
    ) -> Vec<Vec<Near>> {
        let mut ep_dist = q.distance(self, ep);
        for l in (level + 1..=self.max_level).rev() {
            (ep, ep_dist) = self.greedy(q, ep, ep_dist, l);
        }
        let top = level.min(self.max_level);
        let mut found = vec![Vec::new(); top + 1];
        let mut entry_points = vec![Near::new(ep_dist, ep)];
        for l in (0..=top).rev() {
            found[l] = self.search_layer(s, q, &entry_points, self.cfg.ef_construction, l, false);
            entry_points.clone_from(&found[l]);
        }
        found
    }
}
