//! Batch builds, on every core, with the same graph whatever the number of cores.
//!
//! A batch is linked in chunks. For each chunk the new vectors are first *staged* (stored,
//! hidden from searches), then *planned*: every new node searches the graph as it was before
//! the chunk, adds the chunk's earlier nodes as candidates, and picks its neighbours; every
//! node that gains links gets its new list (pruned by the same heuristic). Planning only
//! reads the index, so it runs in parallel and concurrent searches proceed. Finally the plan
//! is *committed* in one short write. Nothing in a plan depends on which thread computed
//! what, so one seed gives one graph on 1 core, on 16, and in WebAssembly.
//!
//! The `Access` trait lets the same loop run on `&mut HnswIndex` (synchronous `addBatch`)
//! and on an `RwLock<HnswIndex>` (the native `addBatchAsync`, which searches may read
//! between the writes).

use super::for_each_parallel;
use super::graph::HnswIndex;
use super::scratch::{with_scratch, Near};
use crate::error::{ElexError, Result};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::RwLock;

/// Below this many slots, vectors are added one at a time: the graph is too small for the
/// nodes of one chunk to find good neighbours through it.
const SEQUENTIAL_BELOW: usize = 1024;
/// Nodes per chunk: at most this, and at most 1/8 of the graph so far (so each chunk's
/// nodes see a graph that already holds most of their neighbourhood).
const CHUNK_MAX: usize = 256;

/// Read or write access to an index, however it is shared.
pub trait Access {
    fn read<R>(&self, f: impl FnOnce(&HnswIndex) -> R) -> R;
    fn write<R>(&self, f: impl FnOnce(&mut HnswIndex) -> R) -> R;
}

impl Access for RwLock<HnswIndex> {
    fn read<R>(&self, f: impl FnOnce(&HnswIndex) -> R) -> R {
        // A panic while a lock was held is caught at the JS boundary; the index itself is
        // only changed by commits, which do not panic midway, so it stays usable.
        f(&self.read().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
    fn write<R>(&self, f: impl FnOnce(&mut HnswIndex) -> R) -> R {
        f(&mut self.write().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}

/// Exclusive access (the synchronous path).
struct Exclusive<'a>(RefCell<&'a mut HnswIndex>);

impl Access for Exclusive<'_> {
    fn read<R>(&self, f: impl FnOnce(&HnswIndex) -> R) -> R {
        f(&self.0.borrow())
    }
    fn write<R>(&self, f: impl FnOnce(&mut HnswIndex) -> R) -> R {
        f(&mut self.0.borrow_mut())
    }
}

/// Vectors stored but not yet linked or visible.
pub struct Staged {
    first: u32,
    ids: Vec<u32>,
    levels: Vec<usize>,
}

/// What a commit writes: each new node's lists (heuristic selections), then the updated
/// lists of nodes that gained links (including new nodes linked to by later ones in the
/// chunk), each with how many leading entries are a selection (see `HnswIndex::known0`).
pub struct Plan {
    own: Vec<Vec<Vec<u32>>>,
    updates: Vec<((usize, u32), Merged)>,
}

/// A list after gaining links (appended to, or pruned to a heuristic selection) and how
/// many of its leading entries are a selection.
#[derive(Default)]
struct Merged {
    list: Vec<u32>,
    known: usize,
}

/// Adds a batch through `ix`, calling `progress(done)` after each chunk. Everything is
/// checked first (lengths, values, ids), so a failed batch adds nothing.
pub fn add_batch_via<A: Access>(
    ix: &A, ids: &[u32], vectors: &[f32], mut progress: impl FnMut(usize),
) -> Result<()> {
    let dim = ix.read(|ix| ix.check_batch(ids, vectors))?;
    // Room for the whole batch at once: no reallocation copies midway, and memoryUsage()
    // reports what the batch needs rather than a doubled capacity.
    ix.write(|ix| ix.reserve(ids.len()));
    let mut done = 0;
    while done < ids.len() {
        let slots = ix.read(|ix| ix.ids.len());
        let remaining = ids.len() - done;
        if slots < SEQUENTIAL_BELOW {
            let take = (SEQUENTIAL_BELOW - slots).min(remaining).min(CHUNK_MAX);
            ix.write(|ix| {
                for (id, v) in ids[done..done + take].iter().zip(vectors[done * dim..].chunks_exact(dim)) {
                    ix.add(*id, v)?;
                }
                Ok::<(), ElexError>(())
            })?;
            done += take;
        } else {
            let take = (slots / 8).clamp(1, CHUNK_MAX).min(remaining);
            let rows = &vectors[done * dim..(done + take) * dim];
            let staged = ix.write(|ix| ix.stage(&ids[done..done + take], rows))?;
            let plan = ix.read(|ix| ix.plan(&staged));
            ix.write(|ix| ix.commit(staged, plan))?;
            done += take;
        }
        progress(done);
    }
    Ok(())
}

impl HnswIndex {
    /// Adds `ids.len()` vectors (rows of `vectors`), using every core. Everything is checked
    /// first — lengths, values, ids already present or repeated in the batch — so a failed
    /// batch adds nothing.
    pub fn add_batch(&mut self, ids: &[u32], vectors: &[f32]) -> Result<()> {
        add_batch_via(&Exclusive(RefCell::new(self)), ids, vectors, |_| {})
    }

    /// The checks of `add_batch`; returns the dimension.
    pub fn check_batch(&self, ids: &[u32], vectors: &[f32]) -> Result<usize> {
        let d = self.cfg.dim;
        if vectors.len() != ids.len() * d {
            return Err(ElexError::DimensionMismatch(
                format!("{} ids need {} values (dim {d}), got {}", ids.len(), ids.len() * d, vectors.len())
                    .into(),
            ));
        }
        if let Some(i) = vectors.iter().position(|x| !x.is_finite()) {
            return Err(ElexError::InvalidVector(
                format!("vector {} has {} at position {}", i / d, vectors[i], i % d).into(),
            ));
        }
        let mut seen = std::collections::HashSet::with_capacity(ids.len());
        for id in ids {
            if self.has(*id) || !seen.insert(*id) {
                return Err(ElexError::DuplicateId(
                    format!("id {id} is already in the index or repeated in the batch").into(),
                ));
            }
        }
        if self.ids.len() + ids.len() >= super::graph::EMPTY as usize - 1 {
            return Err(ElexError::InvalidArgument("the index would be full (2^32 - 2 slots)".into()));
        }
        Ok(d)
    }

    /// Stores checked vectors as hidden slots (removed until the commit) with their levels.
    fn stage(&mut self, ids: &[u32], rows: &[f32]) -> Result<Staged> {
        let first = self.ids.len() as u32;
        let mut levels = Vec::with_capacity(ids.len());
        for (id, v) in ids.iter().zip(rows.chunks_exact(self.cfg.dim)) {
            if self.has(*id) {
                return Err(ElexError::DuplicateId(format!("id {id} is already in the index").into()));
            }
            let q = self.prepare(v)?;
            let level = self.random_level();
            self.push_slot(*id, level, &q, true);
            levels.push(level);
        }
        self.staged += ids.len();
        Ok(Staged { first, ids: ids.to_vec(), levels })
    }

    /// Neighbour lists for a staged chunk, computed in parallel from a read-only index.
    fn plan(&self, staged: &Staged) -> Plan {
        let mut own: Vec<Vec<Vec<Near>>> = vec![Vec::new(); staged.ids.len()];
        for_each_parallel(&mut own, |i, out| *out = with_scratch(|s| self.plan_node(s, staged, i)));

        // Reverse links, grouped by the node that gains them (ordered, so deterministic).
        let mut incoming: BTreeMap<(usize, u32), Vec<Near>> = BTreeMap::new();
        for (i, levels) in own.iter().enumerate() {
            let slot = staged.first + i as u32;
            for (l, chosen) in levels.iter().enumerate() {
                for n in chosen {
                    incoming.entry((l, n.slot())).or_default().push(Near::new(n.dist(), slot));
                }
            }
        }
        let own_slots: Vec<Vec<Vec<u32>>> = own
            .iter()
            .map(|levels| levels.iter().map(|c| c.iter().map(|n| n.slot()).collect()).collect())
            .collect();
        let targets: Vec<((usize, u32), Vec<Near>)> = incoming.into_iter().collect();
        let mut updates: Vec<((usize, u32), Merged)> =
            targets.iter().map(|(key, _)| (*key, Merged::default())).collect();
        for_each_parallel(&mut updates, |t, out| {
            let ((level, node), gained) = &targets[t];
            // The chunk's own nodes hold selections; others know how much of theirs is one.
            let (current, known): (&[u32], usize) = match node.checked_sub(staged.first) {
                Some(i) => (&own_slots[i as usize][*level], own_slots[i as usize][*level].len()),
                None => (self.neighbours(*node, *level), self.known(*node, *level)),
            };
            out.1 = self.merged_list(*node, *level, current, known, gained);
        });
        Plan { own: own_slots, updates }
    }

    /// Chosen neighbours at each of node `i`'s layers: from the graph before the chunk, plus
    /// the chunk's earlier nodes.
    fn plan_node(&self, s: &mut super::scratch::Scratch, staged: &Staged, i: usize) -> Vec<Vec<Near>> {
        let slot = staged.first + i as u32;
        let level = staged.levels[i];
        let found = match self.entry {
            Some(ep) => self.insert_candidates(s, slot, ep, level),
            None => Vec::new(),
        };
        (0..=level)
            .map(|l| {
                let mut cands = found.get(l).cloned().unwrap_or_default();
                for (j, lj) in staged.levels[..i].iter().enumerate() {
                    if *lj >= l {
                        let other = staged.first + j as u32;
                        cands.push(Near::new(self.pair_distance(slot, other), other));
                    }
                }
                cands.sort_unstable();
                self.select(&cands, self.cfg.m)
            })
            .collect()
    }

    /// `node`'s list at `level` after gaining `gained`: appended while there is room,
    /// otherwise all candidates pruned by the selection heuristic.
    fn merged_list(&self, node: u32, level: usize, current: &[u32], known: usize, gained: &[Near]) -> Merged {
        if current.len() + gained.len() <= self.capacity(level) {
            let list = current.iter().copied().chain(gained.iter().map(|n| n.slot())).collect();
            return Merged { list, known };
        }
        let kept = self.pruned(node, level, current, known, gained);
        Merged { list: kept.iter().map(|n| n.slot()).collect(), known: kept.len() }
    }

    /// Writes a plan and makes the staged vectors visible.
    fn commit(&mut self, staged: Staged, plan: Plan) -> Result<()> {
        let n = staged.ids.len();
        let intact = self.ids.len() >= staged.first as usize + n
            && (0..n).all(|i| self.deleted[staged.first as usize + i]);
        self.staged = self.staged.saturating_sub(n);
        if !intact {
            return Err(ElexError::Internal("the index changed between staging and commit".into()));
        }
        for (i, levels) in plan.own.iter().enumerate() {
            for (l, list) in levels.iter().enumerate() {
                self.set_neighbours(staged.first + i as u32, l, list);
                self.mark_known(staged.first + i as u32, l, list.len());
            }
        }
        for ((level, node), merged) in &plan.updates {
            self.set_neighbours(*node, *level, &merged.list);
            self.mark_known(*node, *level, merged.known);
        }
        for (i, id) in staged.ids.iter().enumerate() {
            let slot = staged.first + i as u32;
            self.deleted[slot as usize] = false;
            self.slot_of.insert(*id, slot);
            self.live += 1;
            if self.entry.is_none() || staged.levels[i] > self.max_level {
                self.entry = Some(slot);
                self.max_level = staged.levels[i];
            }
        }
        Ok(())
    }
}
