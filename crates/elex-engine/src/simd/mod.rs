//! SIMD kernels. `scalar` is the reference; the ISA modules expand one shared set of kernel
//! bodies (`kernels_body.rs`) over their own primitives. `active()` returns the best table
//! for this CPU, detected once and cached.

#[macro_use]
mod kernels_body;
pub mod scalar;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub mod wasm;
#[cfg(target_arch = "x86_64")]
pub mod x86;

use std::sync::OnceLock;

/// What runs the kernels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimdLevel {
    /// AVX2+FMA, and AVX-512 VNNI for the index's one-byte code distances.
    Avx2FmaVnni,
    Avx2Fma,
    Sse41,
    Simd128,
    Scalar,
}

impl SimdLevel {
    /// The name `simdLevel()` reports.
    pub fn name(self) -> &'static str {
        match self {
            SimdLevel::Avx2FmaVnni => "avx2+fma+vnni",
            SimdLevel::Avx2Fma => "avx2+fma",
            SimdLevel::Sse41 => "sse4.1",
            SimdLevel::Simd128 => "simd128",
            SimdLevel::Scalar => "scalar",
        }
    }
}

/// Partial results of `aggregate` in f32 (the public kernel widens and checks them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aggregate32 {
    pub sum: f32,
    pub weighted_sum: f32,
    pub max: f32,
    pub count_above: usize,
}

/// (q, rewards, next_max_q, alpha, gamma, out)
pub type QUpdateFn = fn(&[f32], &[f32], &[f32], f32, f32, &mut [f32]);
/// (values, min, max, out)
pub type InRangeFn = fn(&[f32], &[f32], &[f32], &mut [u8]);

/// One table of kernels per SIMD level. Slices of unequal length are cut to the shortest;
/// the validated entry points in `crate::kernels` never pass such slices.
#[derive(Debug)]
pub struct Kernels {
    pub level: SimdLevel,
    pub dot: fn(&[f32], &[f32]) -> f32,
    /// Σ (a − b)²
    pub l2_squared: fn(&[f32], &[f32]) -> f32,
    /// (a·b, a·a, b·b)
    pub dot_norms: fn(&[f32], &[f32]) -> [f32; 3],
    pub scale: fn(&[f32], f32, &mut [f32]),
    /// Cosine score of each `dim`-long row of the matrix against the query, via
    /// [`row_score`]; NaN marks a row the caller must redo exactly.
    pub cosine_rows: fn(&[f32], &[f32], usize, f32, &mut [f32]),
    pub q_update: QUpdateFn,
    pub in_range: InRangeFn,
    pub aggregate: fn(&[f32], &[f32], f32) -> Aggregate32,
    /// Σ a·b of signed bytes, exact in i32, for bytes in −127..=127 (the index's codes; the
    /// SIMD paths add two products in 16 bits, which −128·−128 would overflow). At most 2^16
    /// values, so the i32 sum cannot overflow.
    pub dot_i8: fn(&[i8], &[i8]) -> i32,
    /// `dot_i8(query, row)` for each row `rows[s·stride..][..query.len()]`, s in `slots`, into
    /// `out` (one call per graph expansion instead of one per distance). Panics if a row is
    /// out of bounds.
    pub dot_i8_rows: DotRowsFn,
}

/// (query, rows, stride, slots, out)
pub type DotRowsFn = fn(&[i8], &[i8], usize, &[u32], &mut [i32]);

/// `Kernels::dot_i8_rows` from an ISA's kernel for four rows at once and its kernel for one
/// (inlined into each ISA's `dot_i8_rows`, so both run with its target features).
#[inline(always)]
pub(crate) fn dot_i8_rows_by_four(
    query: &[i8], rows: &[i8], stride: usize, slots: &[u32], out: &mut [i32],
    four: impl Fn(&[i8], [&[i8]; 4]) -> [i32; 4], one: impl Fn(&[i8], &[i8]) -> i32,
) {
    let n = query.len();
    let row = |s: u32| &rows[s as usize * stride..s as usize * stride + n];
    let (mut outs, mut groups) = (out.chunks_exact_mut(4), slots.chunks_exact(4));
    for (o, g) in (&mut outs).zip(&mut groups) {
        o.copy_from_slice(&four(query, [row(g[0]), row(g[1]), row(g[2]), row(g[3])]));
    }
    for (o, s) in outs.into_remainder().iter_mut().zip(groups.remainder()) {
        *o = one(query, row(*s));
    }
}

pub static SCALAR: Kernels = Kernels {
    level: SimdLevel::Scalar,
    dot: scalar::dot,
    l2_squared: scalar::l2_squared,
    dot_norms: scalar::dot_norms,
    scale: scalar::scale,
    cosine_rows: scalar::cosine_rows,
    q_update: scalar::q_update,
    in_range: scalar::in_range,
    aggregate: scalar::aggregate,
    dot_i8: scalar::dot_i8,
    dot_i8_rows: scalar::dot_i8_rows,
};

/// Smallest squared norm the fast f32 path trusts: below it the squares may have underflowed
/// (subnormal or zero) and the exact path has to decide.
pub const MIN_TRUSTED_NORM_SQ: f32 = f32::MIN_POSITIVE;
// The ISA modules' `scores4` primitives implement `row_score` for four rows in one go.

/// Score of one row from its dot product with the query and its squared norm. A NaN result
/// means "not trustworthy in f32" (zero, subnormal or overflowed norm, non-finite input) and
/// sends the row to the exact path.
#[inline(always)]
pub fn row_score(dot: f32, norm_sq: f32, inv_query_norm: f32) -> f32 {
    if (MIN_TRUSTED_NORM_SQ..=f32::MAX).contains(&norm_sq) {
        (dot * inv_query_norm / norm_sq.sqrt()).clamp(-1.0, 1.0)
    } else {
        f32::NAN
    }
}

impl Kernels {
    /// The table for `level`, or `None` when this CPU or build cannot run it.
    pub fn for_level(level: SimdLevel) -> Option<&'static Kernels> {
        match level {
            SimdLevel::Scalar => Some(&SCALAR),
            #[cfg(target_arch = "x86_64")]
            SimdLevel::Avx2Fma
                if std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma") =>
            {
                Some(&x86::avx2::KERNELS)
            }
            #[cfg(target_arch = "x86_64")]
            SimdLevel::Avx2FmaVnni
                if Self::for_level(SimdLevel::Avx2Fma).is_some()
                    && std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512bw")
                    && std::arch::is_x86_feature_detected!("avx512vnni") =>
            {
                Some(&x86::vnni::KERNELS)
            }
            #[cfg(target_arch = "x86_64")]
            SimdLevel::Sse41 if std::arch::is_x86_feature_detected!("sse4.1") => Some(&x86::sse41::KERNELS),
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            SimdLevel::Simd128 => Some(&wasm::simd128::KERNELS),
            _ => None,
        }
    }
}

/// Every level this machine can run, best first (the scalar reference last).
pub fn available_levels() -> Vec<SimdLevel> {
    [SimdLevel::Avx2FmaVnni, SimdLevel::Avx2Fma, SimdLevel::Sse41, SimdLevel::Simd128, SimdLevel::Scalar]
        .into_iter()
        .filter(|l| Kernels::for_level(*l).is_some())
        .collect()
}

/// The best kernels for this machine; detection runs once.
pub fn active() -> &'static Kernels {
    static ACTIVE: OnceLock<&'static Kernels> = OnceLock::new();
    ACTIVE.get_or_init(|| available_levels().first().and_then(|l| Kernels::for_level(*l)).unwrap_or(&SCALAR))
}

/// What runs the kernels here, e.g. "avx2+fma".
pub fn simd_level() -> &'static str {
    active().level.name()
}
