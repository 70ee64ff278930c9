use crate::error::{ElexError, Result};
use crate::qlearning::Rng;
use crate::simd::{self, Kernels};
use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// 1 − cosine similarity (vectors are stored normalised).
    Cosine,
    /// Squared Euclidean distance.
    L2,
    /// −(a·b): larger inner products rank first.
    Dot,
}

impl Metric {
    pub fn parse(name: &str) -> Result<Metric> {
        match name {
            "cosine" => Ok(Metric::Cosine),
            "l2" => Ok(Metric::L2),
            "dot" => Ok(Metric::Dot),
            other => Err(ElexError::InvalidArgument(format!(
                "metric must be 'cosine', 'l2' or 'dot', got {other:?}"
            ))),
        }
    }
}

/// What a caller may leave out is `None` (JavaScript numbers arrive as f64).
#[derive(Debug, Clone, Default)]
pub struct IndexOptions {
    pub dim: Option<f64>,
    pub metric: Option<String>,
    pub m: Option<f64>,
    pub ef_construction: Option<f64>,
    pub ef_search: Option<f64>,
    pub seed: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexConfig {
    pub dim: usize,
    pub metric: Metric,
    pub m: usize,
    pub ef_construction: usize,
    pub ef_search: usize,
    pub seed: u64,
}

const MAX_DIM: usize = 1 << 16;
const MAX_EF: usize = 1 << 16;

fn whole(name: &str, v: Option<f64>, default: f64, min: usize, max: usize) -> Result<usize> {
    let v = v.unwrap_or(default);
    if v.fract() == 0.0 && v >= min as f64 && v <= max as f64 {
        Ok(v as usize)
    } else {
        Err(ElexError::InvalidArgument(format!("{name} must be a whole number in {min}..={max}, got {v}")))
    }
}

impl IndexConfig {
    pub fn new(o: &IndexOptions) -> Result<Self> {
        let dim = o.dim.ok_or_else(|| ElexError::InvalidArgument("dim is required".into()))?;
        let seed = match o.seed {
            None => 0x2545_f491_4f6c_dd1d,
            Some(s) if s.is_finite() => s.to_bits(),
            Some(s) => {
                return Err(ElexError::InvalidArgument(format!("seed must be a finite number, got {s}")))
            }
        };
        Ok(IndexConfig {
            dim: whole("dim", Some(dim), 0.0, 1, MAX_DIM)?,
            metric: Metric::parse(o.metric.as_deref().unwrap_or("cosine"))?,
            m: whole("m", o.m, 16.0, 2, 256)?,
            ef_construction: whole("efConstruction", o.ef_construction, 200.0, 1, MAX_EF)?,
            ef_search: whole("efSearch", o.ef_search, 64.0, 1, MAX_EF)?,
            seed,
        })
    }
}

/// [size, dim, memoryBytes] into a caller's 3-value buffer (what the wrappers hand the JS
/// facade).
pub fn info_into(ix: &HnswIndex, out: &mut [f64]) -> Result<()> {
    if out.len() != 3 {
        return Err(ElexError::InvalidArgument(format!("out must hold 3 values, has {}", out.len())));
    }
    out.copy_from_slice(&[ix.size() as f64, ix.config().dim as f64, ix.memory_bytes() as f64]);
    Ok(())
}

/// A JavaScript number as a vector id (whole, 0..=2^32-1).
pub fn id_from(value: f64) -> Result<u32> {
    let id = value as u32;
    if f64::from(id) == value {
        Ok(id)
    } else {
        Err(ElexError::InvalidArgument(format!(
            "an id must be a whole number in 0..=4294967295, got {value}"
        )))
    }
}

/// `k` and an optional `efSearch` from JavaScript numbers.
pub fn search_args(k: f64, ef: Option<f64>) -> Result<(usize, Option<usize>)> {
    let k = crate::types::TopK::new(k)?.get();
    let ef = match ef {
        None => None,
        Some(e) => Some(whole("efSearch", Some(e), 0.0, 1, MAX_EF)?),
    };
    Ok((k, ef))
}

/// Nearest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResult {
    pub ids: Vec<u32>,
    pub distances: Vec<f32>,
}

pub(super) const EMPTY: u32 = u32::MAX;
pub(super) const MAX_LEVEL: usize = 16;
/// Up to this many live vectors a search scans them all: exact, and faster than the graph.
pub const EXACT_SCAN_MAX: usize = 1024;

/// A (distance, slot) pair ordered by distance, then slot (total order, so results are
/// deterministic).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Near(f32, u32);
impl Eq for Near {}
impl PartialOrd for Near {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Near {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

/// Generation-stamped visited marks: clearing is one increment, not a memset per search.
#[derive(Debug, Clone, Default)]
struct Visited {
    marks: Vec<u32>,
    epoch: u32,
}

impl Visited {
    fn start(&mut self, slots: usize) {
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
    fn first_visit(&mut self, slot: u32) -> bool {
        let m = &mut self.marks[slot as usize];
        let first = *m != self.epoch;
        *m = self.epoch;
        first
    }
}

#[derive(Debug, Clone)]
pub struct HnswIndex {
    pub(super) cfg: IndexConfig,
    kernels: &'static Kernels,
    /// Slot-major vectors (normalised for cosine).
    pub(super) vectors: Vec<f32>,
    pub(super) ids: Vec<u32>,
    pub(super) slot_of: HashMap<u32, u32>,
    pub(super) levels: Vec<u8>,
    /// Layer 0: `2m` neighbour slots per node, EMPTY-terminated.
    pub(super) layer0: Vec<u32>,
    /// Layers 1..=level of each node: `m` slots per layer, EMPTY-terminated.
    pub(super) upper: Vec<Vec<u32>>,
    pub(super) deleted: Vec<bool>,
    pub(super) live: usize,
    pub(super) entry: Option<u32>,
    pub(super) max_level: usize,
    pub(super) rng: Rng,
    visited: Visited,
}

impl HnswIndex {
    pub fn new(cfg: IndexConfig) -> Self {
        HnswIndex {
            kernels: simd::active(),
            rng: Rng(cfg.seed),
            cfg,
            vectors: Vec::new(),
            ids: Vec::new(),
            slot_of: HashMap::new(),
            levels: Vec::new(),
            layer0: Vec::new(),
            upper: Vec::new(),
            deleted: Vec::new(),
            live: 0,
            entry: None,
            max_level: 0,
            visited: Visited::default(),
        }
    }

    pub fn config(&self) -> &IndexConfig {
        &self.cfg
    }
    /// Live (not removed) vectors.
    pub fn size(&self) -> usize {
        self.live
    }
    pub fn has(&self, id: u32) -> bool {
        self.slot_of.get(&id).is_some_and(|s| !self.deleted[*s as usize])
    }

    pub(super) fn vector(&self, slot: u32) -> &[f32] {
        let d = self.cfg.dim;
        &self.vectors[slot as usize * d..(slot as usize + 1) * d]
    }

    fn distance(&self, q: &[f32], slot: u32) -> f32 {
        let v = self.vector(slot);
        match self.cfg.metric {
            Metric::Cosine => 1.0 - (self.kernels.dot)(q, v),
            Metric::L2 => (self.kernels.l2_squared)(q, v),
            Metric::Dot => -(self.kernels.dot)(q, v),
        }
    }

    /// The query as stored vectors are (normalised for cosine), after checking it.
    fn prepare(&self, v: &[f32]) -> Result<Vec<f32>> {
        if v.len() != self.cfg.dim {
            return Err(ElexError::DimensionMismatch(format!(
                "vector has {} values, the index has dim {}",
                v.len(),
                self.cfg.dim
            )));
        }
        if let Some(i) = v.iter().position(|x| !x.is_finite()) {
            return Err(ElexError::InvalidVector(format!("vector[{i}] is {}", v[i])));
        }
        match self.cfg.metric {
            Metric::Cosine => crate::kernels::normalize(v),
            _ => Ok(v.to_vec()),
        }
    }

    fn neighbours(&self, slot: u32, level: usize) -> &[u32] {
        let list = if level == 0 {
            let w = 2 * self.cfg.m;
            &self.layer0[slot as usize * w..(slot as usize + 1) * w]
        } else {
            let m = self.cfg.m;
            &self.upper[slot as usize][(level - 1) * m..level * m]
        };
        let len = list.iter().position(|s| *s == EMPTY).unwrap_or(list.len());
        &list[..len]
    }

    fn set_neighbours(&mut self, slot: u32, level: usize, new: &[u32]) {
        let list = if level == 0 {
            let w = 2 * self.cfg.m;
            &mut self.layer0[slot as usize * w..(slot as usize + 1) * w]
        } else {
            let m = self.cfg.m;
            &mut self.upper[slot as usize][(level - 1) * m..level * m]
        };
        list.fill(EMPTY);
        list[..new.len()].copy_from_slice(new);
    }

    fn capacity(&self, level: usize) -> usize {
        if level == 0 {
            2 * self.cfg.m
        } else {
            self.cfg.m
        }
    }

    fn random_level(&mut self) -> usize {
        let ml = 1.0 / (self.cfg.m as f64).ln();
        let u = 1.0 - self.rng.next_f64(); // (0, 1]
        ((-u.ln() * ml) as usize).min(MAX_LEVEL)
    }

    /// Adds a vector under `id`. `DUPLICATE_ID` if the id is present (removed ids may return).
    pub fn add(&mut self, id: u32, vector: &[f32]) -> Result<()> {
        let q = self.prepare(vector)?;
        if let Some(&slot) = self.slot_of.get(&id) {
            if !self.deleted[slot as usize] {
                return Err(ElexError::DuplicateId(format!("id {id} is already in the index")));
            }
        }
        if self.ids.len() >= EMPTY as usize - 1 {
            return Err(ElexError::InvalidArgument("the index is full (2^32 - 2 slots)".into()));
        }
        let slot = self.ids.len() as u32;
        let level = self.random_level();
        self.vectors.extend_from_slice(&q);
        self.ids.push(id);
        self.slot_of.insert(id, slot);
        self.levels.push(level as u8);
        self.layer0.extend(std::iter::repeat_n(EMPTY, 2 * self.cfg.m));
        self.upper.push(vec![EMPTY; level * self.cfg.m]);
        self.deleted.push(false);
        self.live += 1;

        let Some(mut ep) = self.entry else {
            self.entry = Some(slot);
            self.max_level = level;
            return Ok(());
        };
        let mut ep_dist = self.distance(&q, ep);
        for l in (level + 1..=self.max_level).rev() {
            (ep, ep_dist) = self.greedy(&q, ep, ep_dist, l);
        }
        let mut entry_points = vec![Near(ep_dist, ep)];
        for l in (0..=level.min(self.max_level)).rev() {
            let found = self.search_layer(&q, &entry_points, self.cfg.ef_construction, l, false);
            let chosen = self.select(&found, self.cfg.m);
            self.set_neighbours(slot, l, &chosen.iter().map(|n| n.1).collect::<Vec<_>>());
            for n in &chosen {
                self.connect(n.1, slot, n.0, l);
            }
            entry_points = found;
        }
        if level > self.max_level {
            self.max_level = level;
            self.entry = Some(slot);
        }
        Ok(())
    }

    /// Adds `new` to `node`'s list at `level`, pruning with the heuristic when full.
    fn connect(&mut self, node: u32, new: u32, dist: f32, level: usize) {
        let current = self.neighbours(node, level).to_vec();
        if current.len() < self.capacity(level) {
            let mut list = current;
            list.push(new);
            self.set_neighbours(node, level, &list);
            return;
        }
        let base = self.vector(node).to_vec();
        let mut candidates: Vec<Near> = current.iter().map(|s| Near(self.distance(&base, *s), *s)).collect();
        candidates.push(Near(dist, new));
        candidates.sort();
        let kept = self.select(&candidates, self.capacity(level));
        self.set_neighbours(node, level, &kept.iter().map(|n| n.1).collect::<Vec<_>>());
    }

    /// The neighbour-selection heuristic: walk candidates nearest first and keep one only if
    /// it is closer to the base than to every neighbour kept so far (spreads links across
    /// directions, which is what keeps recall high on clustered data).
    fn select(&self, sorted: &[Near], m: usize) -> Vec<Near> {
        let mut kept: Vec<Near> = Vec::with_capacity(m);
        for c in sorted {
            if kept.len() >= m {
                break;
            }
            let cv = self.vector(c.1);
            if kept.iter().all(|k| self.distance(cv, k.1) > c.0) {
                kept.push(*c);
            }
        }
        kept
    }

    fn greedy(&self, q: &[f32], mut ep: u32, mut dist: f32, level: usize) -> (u32, f32) {
        loop {
            let mut moved = false;
            for &n in self.neighbours(ep, level) {
                let d = self.distance(q, n);
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
    fn search_layer(
        &mut self,
        q: &[f32],
        entry: &[Near],
        ef: usize,
        level: usize,
        live_only: bool,
    ) -> Vec<Near> {
        let mut visited = std::mem::take(&mut self.visited);
        visited.start(self.ids.len());
        let mut candidates: BinaryHeap<Reverse<Near>> = BinaryHeap::new();
        let mut results: BinaryHeap<Near> = BinaryHeap::new();
        for e in entry {
            if visited.first_visit(e.1) {
                candidates.push(Reverse(*e));
                if !(live_only && self.deleted[e.1 as usize]) {
                    results.push(*e);
                }
            }
        }
        while results.len() > ef {
            results.pop();
        }
        while let Some(Reverse(c)) = candidates.pop() {
            if results.len() >= ef && results.peek().is_some_and(|worst| c.0 > worst.0) {
                break;
            }
            for &n in self.neighbours(c.1, level) {
                if !visited.first_visit(n) {
                    continue;
                }
                let d = self.distance(q, n);
                if results.len() < ef || results.peek().is_some_and(|worst| d < worst.0) {
                    candidates.push(Reverse(Near(d, n)));
                    if !(live_only && self.deleted[n as usize]) {
                        results.push(Near(d, n));
                        if results.len() > ef {
                            results.pop();
                        }
                    }
                }
            }
        }
        self.visited = visited;
        results.into_sorted_vec()
    }

    /// Adds `ids.len()` vectors (rows of `vectors`). Everything is checked first — lengths,
    /// values, ids already present or repeated in the batch — so a failed batch adds nothing.
    pub fn add_batch(&mut self, ids: &[u32], vectors: &[f32]) -> Result<()> {
        let d = self.cfg.dim;
        if vectors.len() != ids.len() * d {
            return Err(ElexError::DimensionMismatch(format!(
                "{} ids need {} values (dim {d}), got {}",
                ids.len(),
                ids.len() * d,
                vectors.len()
            )));
        }
        if let Some(i) = vectors.iter().position(|x| !x.is_finite()) {
            return Err(ElexError::InvalidVector(format!(
                "vector {} has {} at position {}",
                i / d,
                vectors[i],
                i % d
            )));
        }
        let mut seen = std::collections::HashSet::with_capacity(ids.len());
        for id in ids {
            if self.has(*id) || !seen.insert(*id) {
                return Err(ElexError::DuplicateId(format!(
                    "id {id} is already in the index or repeated in the batch"
                )));
            }
        }
        for (id, v) in ids.iter().zip(vectors.chunks_exact(d)) {
            self.add(*id, v)?;
        }
        Ok(())
    }

    /// `search` for each `dim`-long row of `queries`; results flattened, `k` per query.
    pub fn search_batch(&mut self, queries: &[f32], k: usize, ef: Option<usize>) -> Result<SearchResult> {
        let d = self.cfg.dim;
        if queries.len() % d != 0 {
            return Err(ElexError::DimensionMismatch(format!(
                "{} values is not a whole number of dim-{d} queries",
                queries.len()
            )));
        }
        self.check_k(k)?;
        let mut out = SearchResult::default();
        for q in queries.chunks_exact(d) {
            let r = self.search(q, k, ef)?;
            out.ids.extend(r.ids);
            out.distances.extend(r.distances);
        }
        Ok(out)
    }

    /// Bytes held by the index's allocations.
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.vectors.capacity() * 4
            + self.ids.capacity() * 4
            + self.slot_of.capacity() * (std::mem::size_of::<(u32, u32)>() + 1)
            + self.levels.capacity()
            + self.layer0.capacity() * 4
            + self.upper.capacity() * std::mem::size_of::<Vec<u32>>()
            + self.upper.iter().map(|u| u.capacity() * 4).sum::<usize>()
            + self.deleted.capacity()
            + self.visited.marks.capacity() * 4
    }

    /// Marks `id` removed: never returned again; the graph keeps it as a waypoint.
    pub fn remove(&mut self, id: u32) -> bool {
        match self.slot_of.get(&id) {
            Some(&slot) if !self.deleted[slot as usize] => {
                self.deleted[slot as usize] = true;
                self.live -= 1;
                true
            }
            _ => false,
        }
    }

    /// The `k` nearest live vectors, nearest first (ties by insertion order).
    pub fn search(&mut self, query: &[f32], k: usize, ef: Option<usize>) -> Result<SearchResult> {
        self.check_k(k)?;
        if self.live <= EXACT_SCAN_MAX {
            return self.search_exact(query, k);
        }
        self.search_graph(query, k, ef)
    }

    fn check_k(&self, k: usize) -> Result<()> {
        if k == 0 || k > self.live {
            return Err(ElexError::InvalidArgument(format!(
                "k must be in 1..={} (the live size), got {k}",
                self.live
            )));
        }
        Ok(())
    }

    /// Graph search regardless of size.
    pub fn search_graph(&mut self, query: &[f32], k: usize, ef: Option<usize>) -> Result<SearchResult> {
        self.check_k(k)?;
        let q = self.prepare(query)?;
        let ef = ef.unwrap_or(self.cfg.ef_search).max(k);
        if ef > MAX_EF {
            return Err(ElexError::InvalidArgument(format!("efSearch must be at most {MAX_EF}, got {ef}")));
        }
        let Some(mut ep) = self.entry else { return Ok(SearchResult::default()) };
        let mut dist = self.distance(&q, ep);
        for l in (1..=self.max_level).rev() {
            (ep, dist) = self.greedy(&q, ep, dist, l);
        }
        let found = self.search_layer(&q, &[Near(dist, ep)], ef, 0, true);
        Ok(self.result(found.into_iter().take(k)))
    }

    /// Exact scan over every live vector.
    pub fn search_exact(&self, query: &[f32], k: usize) -> Result<SearchResult> {
        self.check_k(k)?;
        let q = self.prepare(query)?;
        let mut heap: BinaryHeap<Near> = BinaryHeap::with_capacity(k + 1);
        for slot in 0..self.ids.len() as u32 {
            if self.deleted[slot as usize] {
                continue;
            }
            let d = self.distance(&q, slot);
            if heap.len() < k {
                heap.push(Near(d, slot));
            } else if heap.peek().is_some_and(|w| Near(d, slot) < *w) {
                heap.pop();
                heap.push(Near(d, slot));
            }
        }
        Ok(self.result(heap.into_sorted_vec().into_iter()))
    }

    fn result(&self, nearest: impl Iterator<Item = Near>) -> SearchResult {
        let mut r = SearchResult::default();
        for n in nearest {
            r.ids.push(self.ids[n.1 as usize]);
            r.distances.push(n.0);
        }
        r
    }
}
