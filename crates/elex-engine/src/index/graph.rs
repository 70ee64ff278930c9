use super::codes::{Coded, Codes, CODES_FROM};
use crate::error::{ElexError, Result};
use crate::qlearning::Rng;
use crate::simd::{self, Kernels};
use std::cmp::Reverse;
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

/// A (distance, slot) pair packed into one u64 that orders by distance, then slot: the
/// distance's bits mapped so that integer order is float order (as `f32::total_cmp`), in the
/// high half. Heap operations then compare single integers, with no branches on ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Near(u64);

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
struct Visited {
    marks: Vec<u16>,
    epoch: u16,
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
    #[inline(always)]
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

#[cfg(test)]
thread_local! {
    /// Tests turn the pruning shortcut off to check it changes no list...
    pub(super) static FULL_PRUNES_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// ...and count the pair distances it saves on this thread.
    pub(super) static KNOWN_SKIPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[inline(always)]
fn full_prunes_only() -> bool {
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
    visited: Visited,
    candidates: BinaryHeap<Reverse<Near>>,
    results: BinaryHeap<Near>,
    /// Unvisited neighbours of the node being expanded (their vectors are prefetched).
    fresh: Vec<u32>,
    /// Their distances, and integer scratch for computing them.
    dists: Vec<f32>,
    dots: Vec<i32>,
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

/// Asks the CPU to start loading a stored vector (its first two cache lines) before its
/// distance is needed: graph search hops between random nodes, so otherwise every distance
/// starts with a cache miss.
#[inline(always)]
fn prefetch(p: *const u32, bytes: usize) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it never faults, whatever the address.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let p = p.cast::<i8>();
        _mm_prefetch(p, _MM_HINT_T0);
        if bytes > 64 {
            _mm_prefetch(p.wrapping_add(64), _MM_HINT_T0);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (p, bytes);
}

/// Asks the CPU to start loading every line of `v` (a vector about to be measured exactly).
#[inline(always)]
fn prefetch_all(v: &[f32]) {
    for line in v.chunks(16) {
        prefetch(line.as_ptr().cast(), 4);
    }
}

// Code distances from two codes' scalars (scale, ‖x'‖², x'·c), their integer dot product and
// ‖c‖² (see `codes.rs`). Written so that swapping x and y gives the same bits (f32 addition
// commutes but does not associate): the pruning shortcut (`select_known`) relies on
// d(a, b) = d(b, a).
#[inline(always)]
fn combine_l2([sx, nx, _]: [f32; 3], [sy, ny, _]: [f32; 3], codes_dot: i32) -> f32 {
    (nx + ny - 2.0 * (codes_dot as f32 * (sx * sy))).max(0.0)
}
#[inline(always)]
fn combine_cosine([sx, _, tx]: [f32; 3], [sy, _, ty]: [f32; 3], codes_dot: i32, center_sq: f32) -> f32 {
    1.0 - (codes_dot as f32 * (sx * sy) + (tx + ty) + center_sq)
}
#[inline(always)]
fn combine_dot([sx, _, tx]: [f32; 3], [sy, _, ty]: [f32; 3], codes_dot: i32, center_sq: f32) -> f32 {
    -(codes_dot as f32 * (sx * sy) + (tx + ty) + center_sq)
}

/// What a graph walk measures distances from: a query vector (while the index has no codes)
/// or a code (a stored node's when building, a query's when searching; see `codes.rs`).
/// Generic rather than a branch per distance.
pub(super) trait Probe: Copy {
    fn distance(self, ix: &HnswIndex, slot: u32) -> f32;
    fn prefetch(self, ix: &HnswIndex, slot: u32);
    /// The distance to each of `slots`, into `out` (`dots` is scratch).
    fn distances(self, ix: &HnswIndex, slots: &[u32], out: &mut Vec<f32>, _dots: &mut Vec<i32>) {
        out.clear();
        out.extend(slots.iter().map(|s| self.distance(ix, *s)));
    }
}

/// Exact f32 distances from a prepared query.
#[derive(Clone, Copy)]
pub(super) struct ByVector<'a>(pub &'a [f32]);

impl Probe for ByVector<'_> {
    #[inline(always)]
    fn distance(self, ix: &HnswIndex, slot: u32) -> f32 {
        ix.distance(self.0, slot)
    }
    #[inline(always)]
    fn prefetch(self, ix: &HnswIndex, slot: u32) {
        let v = ix.vector(slot);
        prefetch(v.as_ptr().cast(), v.len() * 4);
    }
}

/// Code distances from a code: a stored node's (building) or a query's (searching), only
/// while the index has codes.
#[derive(Clone, Copy)]
pub(super) struct ByCode<'a> {
    code: &'a [i8],
    scalars: [f32; 3],
}

impl<'a> ByCode<'a> {
    pub(super) fn stored(ix: &'a HnswIndex, slot: u32) -> Self {
        ByCode { code: ix.codes.get(slot, ix.cfg.dim), scalars: ix.codes.scalars(slot) }
    }
    pub(super) fn query(ix: &HnswIndex, coded: &'a Coded) -> Self {
        ByCode { code: coded.get(ix.cfg.dim), scalars: coded.scalars }
    }
}

impl Probe for ByCode<'_> {
    #[inline(always)]
    fn distance(self, ix: &HnswIndex, slot: u32) -> f32 {
        let codes_dot = (ix.kernels.dot_i8)(self.code, ix.codes.get(slot, ix.cfg.dim));
        ix.code_combine(self.scalars, ix.codes.scalars(slot), codes_dot)
    }
    #[inline(always)]
    fn prefetch(self, ix: &HnswIndex, slot: u32) {
        prefetch(ix.codes.record_ptr(slot), ix.codes.stride_bytes());
    }
    /// One kernel call for all of them: no call per distance, and the probe's codes stay hot.
    fn distances(self, ix: &HnswIndex, slots: &[u32], out: &mut Vec<f32>, dots: &mut Vec<i32>) {
        dots.clear();
        dots.resize(slots.len(), 0);
        (ix.kernels.dot_i8_rows)(self.code, ix.codes.all(), ix.codes.stride_bytes(), slots, dots);
        ix.code_combine_all(self.scalars, dots, slots, out);
    }
}

impl HnswIndex {
    pub fn new(cfg: IndexConfig) -> Self {
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
    pub fn has(&self, id: u32) -> bool {
        self.slot_of.get(&id).is_some_and(|s| !self.deleted[*s as usize])
    }

    pub(super) fn vector(&self, slot: u32) -> &[f32] {
        let start = slot as usize * self.cfg.dim;
        &self.vectors[start..start + self.cfg.dim]
    }

    pub(super) fn distance(&self, q: &[f32], slot: u32) -> f32 {
        let v = self.vector(slot);
        match self.cfg.metric {
            Metric::Cosine => 1.0 - (self.kernels.dot)(q, v),
            Metric::L2 => (self.kernels.l2_squared)(q, v),
            Metric::Dot => -(self.kernels.dot)(q, v),
        }
    }

    /// The distance building uses between two stored nodes: from their codes once the index
    /// has them, else from the f32 vectors.
    #[inline]
    pub(super) fn pair_distance(&self, a: u32, b: u32) -> f32 {
        if self.codes.enabled() {
            self.code_distance(a, b)
        } else {
            self.distance(self.vector(a), b)
        }
    }

    /// `slots` with their `pair_distance` from `node`, measured in one go.
    pub(super) fn near_to(&self, node: u32, slots: &[u32]) -> Vec<Near> {
        let (mut dists, mut dots) = (Vec::new(), Vec::new());
        if self.codes.enabled() {
            let by = ByCode::stored(self, node);
            for s in slots {
                by.prefetch(self, *s);
            }
            by.distances(self, slots, &mut dists, &mut dots);
        } else {
            ByVector(self.vector(node)).distances(self, slots, &mut dists, &mut dots);
        }
        slots.iter().zip(dists).map(|(s, d)| Near::new(d, *s)).collect()
    }

    /// Distance between two stored nodes from their codes (see `codes.rs` for the algebra).
    #[inline(always)]
    pub(super) fn code_distance(&self, a: u32, b: u32) -> f32 {
        ByCode::stored(self, a).distance(self, b)
    }

    /// The distance from two codes' scalars (scale, ‖x'‖², x'·c) and their integer dot product.
    #[inline(always)]
    fn code_combine(&self, x: [f32; 3], y: [f32; 3], codes_dot: i32) -> f32 {
        let c = self.codes.center_sq();
        match self.cfg.metric {
            Metric::L2 => combine_l2(x, y, codes_dot),
            Metric::Cosine => combine_cosine(x, y, codes_dot, c),
            Metric::Dot => combine_dot(x, y, codes_dot, c),
        }
    }

    /// `code_combine(x, scalars of slots[i], dots[i])` for each i, into `out`: the metric is
    /// matched once per batch, not once per distance (same formulas, same bits).
    fn code_combine_all(&self, x: [f32; 3], dots: &[i32], slots: &[u32], out: &mut Vec<f32>) {
        #[inline(always)]
        fn each(
            codes: &Codes,
            dots: &[i32],
            slots: &[u32],
            out: &mut Vec<f32>,
            f: impl Fn([f32; 3], i32) -> f32,
        ) {
            out.clear();
            out.extend(dots.iter().zip(slots).map(|(d, s)| f(codes.scalars(*s), *d)));
        }
        let c = self.codes.center_sq();
        match self.cfg.metric {
            Metric::L2 => each(&self.codes, dots, slots, out, |y, d| combine_l2(x, y, d)),
            Metric::Cosine => each(&self.codes, dots, slots, out, |y, d| combine_cosine(x, y, d, c)),
            Metric::Dot => each(&self.codes, dots, slots, out, |y, d| combine_dot(x, y, d, c)),
        }
    }

    /// Codes for every slot, from the first `CODES_FROM` vectors' mean (none below that).
    pub(super) fn rebuild_codes(&mut self) {
        self.codes = Codes::default();
        // Selections were made with the old distances.
        self.known0.fill(0);
        let slots = self.ids.len() as u32;
        if slots as usize >= CODES_FROM {
            let mut codes = Codes::default();
            codes.start(self.cfg.dim, (0..CODES_FROM as u32).map(|s| self.vector(s)));
            // As many codes as the slot arrays have room for (a batch reserved its size).
            codes.reserve(self.ids.capacity());
            for s in 0..slots {
                codes.push(self.vector(s));
            }
            self.codes = codes;
        }
    }

    /// The query as stored vectors are (normalised for cosine), after checking it.
    pub(super) fn prepare(&self, v: &[f32]) -> Result<Vec<f32>> {
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

    /// Width of one stored list at `level`: the length, then `capacity(level)` slots.
    pub(super) fn stride(&self, level: usize) -> usize {
        self.capacity(level) + 1
    }

    fn list(&self, slot: u32, level: usize) -> &[u32] {
        let w = self.stride(level);
        if level == 0 {
            let start = slot as usize * w;
            &self.links0[start..start + w]
        } else {
            &self.upper[slot as usize][(level - 1) * w..level * w]
        }
    }

    #[inline(always)]
    fn prefetch_list(&self, slot: u32, level: usize) {
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

    /// Adds `new` to `node`'s list at `level`, pruning with the heuristic when full.
    fn connect(&mut self, node: u32, new: u32, dist: f32, level: usize) {
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
        &self,
        node: u32,
        level: usize,
        current: &[u32],
        known: usize,
        gained: &[Near],
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
    fn select_known(&self, sorted: impl IntoIterator<Item = (Near, bool)>, m: usize) -> Vec<Near> {
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

    fn greedy(&self, q: impl Probe, mut ep: u32, mut dist: f32, level: usize) -> (u32, f32) {
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
        &self,
        s: &mut Scratch,
        q: impl Probe,
        entry: &[Near],
        ef: usize,
        level: usize,
        live_only: bool,
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
            // could overflow in a long session); the cost model resets them before reading.
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
    fn walk(&self, s: &mut Scratch, q: impl Probe, mut ep: u32, ef: usize) -> Vec<Near> {
        let mut dist = q.distance(self, ep);
        for l in (1..=self.max_level).rev() {
            (ep, dist) = self.greedy(q, ep, dist, l);
        }
        self.search_layer(s, q, &[Near::new(dist, ep)], ef, 0, true)
    }

    /// Insertion candidates for the stored node `slot`, which will have layers 0..=level
    /// (see `candidates`), measured as building measures: by codes once the index has them.
    pub(super) fn insert_candidates(
        &self,
        s: &mut Scratch,
        slot: u32,
        ep: u32,
        level: usize,
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
    fn candidates(&self, s: &mut Scratch, q: impl Probe, mut ep: u32, level: usize) -> Vec<Vec<Near>> {
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

    /// `search` (or with `exact`, `search_exact`) for each `dim`-long row of `queries`;
    /// results flattened, `k` per query.
    pub fn search_batch(
        &self,
        queries: &[f32],
        k: usize,
        ef: Option<usize>,
        exact: bool,
    ) -> Result<SearchResult> {
        let d = self.cfg.dim;
        if !queries.len().is_multiple_of(d) {
            return Err(ElexError::DimensionMismatch(format!(
                "{} values is not a whole number of dim-{d} queries",
                queries.len()
            )));
        }
        self.check_k(k)?;
        let mut out = SearchResult::default();
        for q in queries.chunks_exact(d) {
            let r = if exact { self.search_exact(q, k)? } else { self.search(q, k, ef)? };
            out.ids.extend(r.ids);
            out.distances.extend(r.distances);
        }
        Ok(out)
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

    /// The `k` nearest live vectors, nearest first (ties by insertion order): by an exact
    /// scan when that is expected to be cheaper than the graph at this `ef` (see
    /// `exact.rs`), otherwise by graph search.
    pub fn search(&self, query: &[f32], k: usize, ef: Option<usize>) -> Result<SearchResult> {
        self.check_k(k)?;
        let ef = self.ef_for(k, ef)?;
        if self.scan_is_cheaper(ef) {
            return self.search_exact(query, k);
        }
        self.search_graph(query, k, Some(ef))
    }

    /// The effective `ef` of a search: the option or the index default, at least `k`.
    fn ef_for(&self, k: usize, ef: Option<usize>) -> Result<usize> {
        let ef = ef.unwrap_or(self.cfg.ef_search).max(k);
        if ef > MAX_EF {
            return Err(ElexError::InvalidArgument(format!("efSearch must be at most {MAX_EF}, got {ef}")));
        }
        Ok(ef)
    }

    pub(super) fn check_k(&self, k: usize) -> Result<()> {
        if k == 0 || k > self.live {
            return Err(ElexError::InvalidArgument(format!(
                "k must be in 1..={} (the live size), got {k}",
                self.live
            )));
        }
        Ok(())
    }

    /// Graph search regardless of size.
    pub fn search_graph(&self, query: &[f32], k: usize, ef: Option<usize>) -> Result<SearchResult> {
        self.check_k(k)?;
        let q = self.prepare(query)?;
        let ef = self.ef_for(k, ef)?;
        let found = with_scratch(|s| self.graph_nearest(s, &q, ef));
        Ok(self.result(found.into_iter().take(k)))
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
