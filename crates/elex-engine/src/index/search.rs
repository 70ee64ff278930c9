//! Search: greedy descent through the upper layers, then a best-first walk of layer 0 with
//! `ef` candidates; or the exact scan when that is cheaper (see `exact.rs`).

use super::config::{SearchResult, MAX_EF};
use super::graph::HnswIndex;
use super::probe::{prefetch_all, ByCode, ByVector, Probe};
use super::scratch::{with_scratch, Near, Scratch};
use crate::error::{ElexError, Result};
use std::cmp::Reverse;

impl HnswIndex {
    pub(super) fn greedy(&self, q: impl Probe, mut ep: u32, mut dist: f32, level: usize) -> (u32, f32) {
        loop {
            let mut moved = false;
            for &n in self.neighbours(ep, level) {
                let d = q.distance(self, n);
                if d < dist {
                    (ep, dist, moved) = (n, d, true);
                }
            }
            if !moved {
                return (ep, dist);
            }
        }
    }

    /// The `ef` nearest nodes found from the entry points at one layer, nearest first.
    /// With `live_only`, removed nodes are walked through but not returned.
    pub(super) fn search_layer(
        &self, s: &mut Scratch, q: impl Probe, entry: &[Near], ef: usize, level: usize, live_only: bool,
    ) -> Vec<Near> {
        s.visited.start(self.ids.len());
        s.candidates.clear();
        s.results.clear();
        for e in entry {
            if s.visited.first_visit(e.slot()) {
                s.candidates.push(Reverse(*e));
                if !(live_only && self.deleted[e.slot() as usize]) {
                    s.results.push(*e);
                }
            }
        }
        while s.results.len() > ef {
            s.results.pop();
        }
        while let Some(Reverse(c)) = s.candidates.pop() {
            if s.results.len() >= ef && s.results.peek().is_some_and(|worst| c.dist() > worst.dist()) {
                break;
            }
            // Unvisited neighbours first, each one's vector prefetched, then their distances:
            // the loads overlap instead of each distance waiting for its own. Without a
            // branch on "visited" (about half of them are, unpredictably): every neighbour is
            // written and prefetched (a visited one is in cache), and only fresh ones count.
            let list = self.neighbours(c.slot(), level);
            s.fresh.resize(list.len(), 0);
            let mut fresh = 0;
            for (i, &n) in list.iter().enumerate() {
                let first = s.visited.first_visit(n);
                q.prefetch(self, n);
                // fresh ≤ i < list.len() = s.fresh.len()
                s.fresh[fresh.min(i)] = n;
                fresh += usize::from(first);
            }
            s.fresh.truncate(fresh);
            // Wrapping: the counters run for the thread's lifetime (a 32-bit usize on WASM
            // could overflow in a long-running process); the cost model resets them before reading.
            s.evals = s.evals.wrapping_add(s.fresh.len());
            s.expansions = s.expansions.wrapping_add(1);
            q.distances(self, &s.fresh, &mut s.dists, &mut s.dots);
            for (&n, &d) in s.fresh.iter().zip(&s.dists) {
                let near = Near::new(d, n);
                if s.results.len() < ef || s.results.peek().is_some_and(|worst| near < *worst) {
                    // Every candidate that stays among the ef nearest is expanded later: start
                    // loading its list now. (Prefetching the list of the nearest unexpanded
                    // candidate before each expansion came too late, and was often the wrong
                    // node, since this expansion's own neighbours tend to overtake it.)
                    self.prefetch_list(n, level);
                    s.candidates.push(Reverse(near));
                    if !(live_only && self.deleted[n as usize]) {
                        if s.results.len() < ef {
                            s.results.push(near);
                        } else if let Some(mut worst) = s.results.peek_mut() {
                            // Replace the worst in place: one sift instead of a push and a pop.
                            *worst = near;
                        }
                    }
                }
            }
        }
        let mut found: Vec<Near> = s.results.drain().collect();
        found.sort_unstable();
        found
    }

    /// The `ef` nearest live nodes to a prepared query, by graph search, nearest first with
    /// exact distances. Once the index has codes, the walk compares the query's code with
    /// the stored ones (a quarter of the bytes of each hop) and only the `ef` it keeps are
    /// measured exactly and re-ranked.
    pub(super) fn graph_nearest(&self, s: &mut Scratch, q: &[f32], ef: usize) -> Vec<Near> {
        let Some(ep) = self.entry else { return Vec::new() };
        if !self.codes.enabled() {
            return self.walk(s, ByVector(q), ep, ef);
        }
        let coded = self.codes.encode(q);
        let pool = self.walk(s, ByCode::query(self, &coded), ep, ef);
        for n in &pool {
            prefetch_all(self.vector(n.slot()));
        }
        let mut exact: Vec<Near> =
            pool.iter().map(|n| Near::new(self.distance(q, n.slot()), n.slot())).collect();
        exact.sort_unstable();
        exact
    }

    /// Greedy descent from `ep` through the upper layers, then the `ef` nearest live nodes
    /// at layer 0 by `q`'s distances.
    pub(super) fn walk(&self, s: &mut Scratch, q: impl Probe, mut ep: u32, ef: usize) -> Vec<Near> {
        let mut dist = q.distance(self, ep);
        for l in (1..=self.max_level).rev() {
            (ep, dist) = self.greedy(q, ep, dist, l);
        }
        self.search_layer(s, q, &[Near::new(dist, ep)], ef, 0, true)
    }

    /// `search` (or with `exact`, `search_exact`) for each `dim`-long row of `queries`;
    /// results flattened, `k` per query.
    pub fn search_batch(
        &self, queries: &[f32], k: usize, ef: Option<usize>, exact: bool,
    ) -> Result<SearchResult> {
        let d = self.cfg.dim;
        if !queries.len().is_multiple_of(d) {
            return Err(ElexError::DimensionMismatch(
                format!("{} values is not a whole number of dim-{d} queries", queries.len()).into(),
            ));
        }
        self.ef_for(k, ef)?;
        let mut out = SearchResult::default();
        for q in queries.chunks_exact(d) {
            let r = if exact { self.search_exact(q, k)? } else { self.search(q, k, ef)? };
            out.ids.extend(r.ids);
            out.distances.extend(r.distances);
        }
        Ok(out)
    }

    /// The `k` nearest live vectors, nearest first (ties by insertion order; fewer when the
    /// index holds fewer, none when it is empty): by an exact scan when that is expected to
    /// be cheaper than the graph at this `ef` (see `exact.rs`), otherwise by graph search.
    pub fn search(&self, query: &[f32], k: usize, ef: Option<usize>) -> Result<SearchResult> {
        let ef = self.ef_for(k, ef)?;
        if self.live == 0 {
            self.prepare(query)?;
            return Ok(SearchResult::default());
        }
        if self.scan_is_cheaper(ef) {
            return self.search_exact(query, k);
        }
        self.search_graph(query, k, Some(ef))
    }

    /// The effective `ef` of a search: the search's own (at least `k`), or the index default
    /// raised to `k`. Also checks `k`.
    pub(super) fn ef_for(&self, k: usize, ef: Option<usize>) -> Result<usize> {
        check_k(k)?;
        match ef {
            Some(ef) if ef < k || ef > MAX_EF => Err(ElexError::bad_argument(
                "efSearch",
                format!("a whole number in k..={MAX_EF} (k is {k})"),
                &ef,
            )),
            Some(ef) => Ok(ef),
            // A k above the live size asks for every vector: no search needs more than that.
            None => {
                let k = k.min(self.live.max(1));
                Ok(self.cfg.ef_search.max(k).min(MAX_EF.max(k)))
            }
        }
    }

    /// Graph search regardless of size.
    pub fn search_graph(&self, query: &[f32], k: usize, ef: Option<usize>) -> Result<SearchResult> {
        let ef = self.ef_for(k, ef)?;
        let q = self.prepare(query)?;
        if self.live == 0 {
            return Ok(SearchResult::default());
        }
        let found = with_scratch(|s| self.graph_nearest(s, &q, ef));
        Ok(self.result(found.into_iter().take(k)))
    }
}

/// `k` is a whole number >= 1; a `k` above the live size gives every live vector.
pub(super) fn check_k(k: usize) -> Result<()> {
    if k == 0 {
        return Err(ElexError::bad_argument("k", "a whole number >= 1", &k));
    }
    Ok(())
}
