//! Distances: from a query vector or from a stored node's one-byte code (what building
//! compares), prefetching, and the index's distance helpers.

use super::codes::{Coded, Codes, CODES_FROM};
use super::config::Metric;
use super::graph::HnswIndex;
use super::scratch::Near;
use crate::error::{expected, ElexError, Result};

/// Asks the CPU to start loading a stored vector (its first two cache lines) before its
/// distance is needed: graph search hops between random nodes, so otherwise every distance
/// starts with a cache miss.
#[inline(always)]
pub(super) fn prefetch(p: *const u32, bytes: usize) {
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
pub(super) fn prefetch_all(v: &[f32]) {
    for line in v.chunks(16) {
        prefetch(line.as_ptr().cast(), 4);
    }
}

// Code distances from two codes' scalars (scale, ‖x'‖², x'·c), their integer dot product and
// ‖c‖² (see `codes.rs`). Written so that swapping x and y gives the same bits (f32 addition
// commutes but does not associate): the pruning shortcut (`select_known`) relies on
// d(a, b) = d(b, a).
#[inline(always)]
pub(super) fn combine_l2([sx, nx, _]: [f32; 3], [sy, ny, _]: [f32; 3], codes_dot: i32) -> f32 {
    (nx + ny - 2.0 * (codes_dot as f32 * (sx * sy))).max(0.0)
}
#[inline(always)]
pub(super) fn combine_cosine(
    [sx, _, tx]: [f32; 3], [sy, _, ty]: [f32; 3], codes_dot: i32, center_sq: f32,
) -> f32 {
    1.0 - (codes_dot as f32 * (sx * sy) + (tx + ty) + center_sq)
}
#[inline(always)]
pub(super) fn combine_dot(
    [sx, _, tx]: [f32; 3], [sy, _, ty]: [f32; 3], codes_dot: i32, center_sq: f32,
) -> f32 {
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
    pub(super) fn code_combine(&self, x: [f32; 3], y: [f32; 3], codes_dot: i32) -> f32 {
        let c = self.codes.center_sq();
        match self.cfg.metric {
            Metric::L2 => combine_l2(x, y, codes_dot),
            Metric::Cosine => combine_cosine(x, y, codes_dot, c),
            Metric::Dot => combine_dot(x, y, codes_dot, c),
        }
    }

    /// `code_combine(x, scalars of slots[i], dots[i])` for each i, into `out`: the metric is
    /// matched once per batch, not once per distance (same formulas, same bits).
    pub(super) fn code_combine_all(&self, x: [f32; 3], dots: &[i32], slots: &[u32], out: &mut Vec<f32>) {
        #[inline(always)]
        fn each(
            codes: &Codes, dots: &[i32], slots: &[u32], out: &mut Vec<f32>, f: impl Fn([f32; 3], i32) -> f32,
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
            return Err(ElexError::DimensionMismatch(
                format!("vector has {} values, the index has dim {}", v.len(), self.cfg.dim).into(),
            ));
        }
        if let Some(i) = v.iter().position(|x| !x.is_finite()) {
            return Err(ElexError::InvalidVector(expected(format!("vector[{i}]"), "a finite number", &v[i])));
        }
        match self.cfg.metric {
            Metric::Cosine => crate::kernels::normalize(v),
            _ => Ok(v.to_vec()),
        }
    }
}
