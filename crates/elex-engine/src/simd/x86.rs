//! x86_64 primitives for the shared kernel bodies: AVX2+FMA (8 lanes, fused multiply-add) and
//! SSE4.1 (4 lanes). Which one runs is decided once at run time by `super::detect`.

pub mod avx2 {
    use core::arch::x86_64::*;

    type V = __m256;
    const LANES: usize = 8;

    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn zero() -> V {
        _mm256_setzero_ps()
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn splat(x: f32) -> V {
        _mm256_set1_ps(x)
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn load(p: *const f32) -> V {
        _mm256_loadu_ps(p)
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn store(p: *mut f32, v: V) {
        _mm256_storeu_ps(p, v)
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn add(a: V, b: V) -> V {
        _mm256_add_ps(a, b)
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn sub(a: V, b: V) -> V {
        _mm256_sub_ps(a, b)
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn mul(a: V, b: V) -> V {
        _mm256_mul_ps(a, b)
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn mul_add(a: V, b: V, c: V) -> V {
        _mm256_fmadd_ps(a, b, c)
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn max(a: V, b: V) -> V {
        _mm256_max_ps(a, b)
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn halves(v: V) -> __m128 {
        _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v))
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn hsum(v: V) -> f32 {
        super::hsum128(halves(v))
    }
    /// The four horizontal sums of a, b, c, d, in that order.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn hsum4(a: V, b: V, c: V, d: V) -> [f32; 4] {
        let abcd = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
        let sums = _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps::<1>(abcd));
        let mut out = [0.0f32; 4];
        _mm_storeu_ps(out.as_mut_ptr(), sums);
        out
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn hmax(v: V) -> f32 {
        super::hmax128(_mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps::<1>(v)))
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn in_range_bytes(v: V, lo: V, hi: V, out: *mut u8) {
        let m = _mm256_and_ps(_mm256_cmp_ps::<_CMP_GE_OQ>(v, lo), _mm256_cmp_ps::<_CMP_LE_OQ>(v, hi));
        let m = _mm256_castps_si256(m);
        let words = _mm_packs_epi32(_mm256_castsi256_si128(m), _mm256_extracti128_si256::<1>(m));
        let bytes = _mm_and_si128(_mm_packs_epi16(words, words), _mm_set1_epi8(1));
        _mm_storel_epi64(out.cast(), bytes);
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn scores4(dots: [f32; 4], norms_sq: [f32; 4], inv_query_norm: f32) -> [f32; 4] {
        super::scores4(dots, norms_sq, inv_query_norm)
    }
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn count_gt(v: V, t: V) -> usize {
        _mm256_movemask_ps(_mm256_cmp_ps::<_CMP_GT_OQ>(v, t)).count_ones() as usize
    }

    /// Σ a·b of signed bytes in −127..=127, 32 at a time: vpmaddubsw multiplies |a| (as
    /// unsigned) by b with a's sign and adds pairs into i16 (at most 2·127² = 32 258, so
    /// never saturating), vpmaddwd adds those pairs into i32.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    pub unsafe fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let ones = _mm256_set1_epi16(1);
        let step = |x: __m256i, y: __m256i| {
            _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_abs_epi8(x), _mm256_sign_epi8(y, x)), ones)
        };
        let (mut s0, mut s1) = (_mm256_setzero_si256(), _mm256_setzero_si256());
        let mut i = 0;
        while i + 64 <= n {
            let (x0, y0) = (_mm256_loadu_si256(pa.add(i).cast()), _mm256_loadu_si256(pb.add(i).cast()));
            let (x1, y1) =
                (_mm256_loadu_si256(pa.add(i + 32).cast()), _mm256_loadu_si256(pb.add(i + 32).cast()));
            s0 = _mm256_add_epi32(s0, step(x0, y0));
            s1 = _mm256_add_epi32(s1, step(x1, y1));
            i += 64;
        }
        if i + 32 <= n {
            s0 = _mm256_add_epi32(
                s0,
                step(_mm256_loadu_si256(pa.add(i).cast()), _mm256_loadu_si256(pb.add(i).cast())),
            );
            i += 32;
        }
        let s = _mm256_add_epi32(s0, s1);
        let mut total =
            super::hsum_i32(_mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256::<1>(s)));
        while i < n {
            total += i32::from(*pa.add(i)) * i32::from(*pb.add(i));
            i += 1;
        }
        total
    }

    /// `dot_i8` of `q` with four rows (one at a time: each row's codes were prefetched).
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    unsafe fn dot_i8_x4(q: &[i8], rows: [&[i8]; 4]) -> [i32; 4] {
        rows.map(|r| dot_i8(q, r))
    }

    simd_kernels!("avx2,fma");

    pub(crate) const TABLE: crate::simd::Kernels = safe_table!(crate::simd::SimdLevel::Avx2Fma);
    pub(crate) static KERNELS: crate::simd::Kernels = TABLE;
}

/// AVX2+FMA with AVX-512 VNNI for the index's code distances (`dot_i8`, `dot_i8_rows`): one
/// `vpdpbusd` multiplies 64 byte pairs and adds them in groups of four into i32 lanes, where
/// AVX2 needs `pmaddubsw`, `pmaddwd` and an add per 32. The f32 kernels stay AVX2's.
pub mod vnni {
    use core::arch::x86_64::*;

    /// |x| as unsigned bytes and y negated where x < 0, so |x|·y' = x·y for the u8 × s8
    /// `vpdpbusd` (codes are −127..=127: |x| fits, −y cannot overflow).
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    #[inline]
    unsafe fn step(acc: __m512i, x_abs: __m512i, x_negative: __mmask64, y: __m512i) -> __m512i {
        _mm512_dpbusd_epi32(acc, x_abs, _mm512_mask_sub_epi8(y, x_negative, _mm512_setzero_si512(), y))
    }

    /// The first `n` (< 64) bytes at `p`, the rest zero; nothing past `n` is read.
    #[target_feature(enable = "avx512f,avx512bw")]
    #[inline]
    unsafe fn load_head(p: *const i8, n: usize) -> __m512i {
        _mm512_maskz_loadu_epi8(u64::MAX >> (64 - n), p)
    }

    /// # Safety
    /// The CPU must support AVX-512 F, BW and VNNI.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    #[inline]
    pub unsafe fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let (mut s0, mut s1) = (_mm512_setzero_si512(), _mm512_setzero_si512());
        let one = |acc, x: __m512i, y| step(acc, _mm512_abs_epi8(x), _mm512_movepi8_mask(x), y);
        let mut i = 0;
        while i + 128 <= n {
            s0 = one(s0, _mm512_loadu_si512(pa.add(i).cast()), _mm512_loadu_si512(pb.add(i).cast()));
            s1 =
                one(s1, _mm512_loadu_si512(pa.add(i + 64).cast()), _mm512_loadu_si512(pb.add(i + 64).cast()));
            i += 128;
        }
        if i + 64 <= n {
            s0 = one(s0, _mm512_loadu_si512(pa.add(i).cast()), _mm512_loadu_si512(pb.add(i).cast()));
            i += 64;
        }
        if i < n {
            s1 = one(s1, load_head(pa.add(i), n - i), load_head(pb.add(i), n - i));
        }
        _mm512_reduce_add_epi32(_mm512_add_epi32(s0, s1))
    }

    /// `dot_i8` of `q` with four rows: each query block is loaded and split (|q|, sign)
    /// once for the four.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    #[inline]
    unsafe fn dot_i8_x4(q: &[i8], rows: [&[i8]; 4]) -> [i32; 4] {
        let n = rows.iter().fold(q.len(), |n, r| n.min(r.len()));
        let pq = q.as_ptr();
        let p = rows.map(|r| r.as_ptr());
        let mut acc = [_mm512_setzero_si512(); 4];
        let mut i = 0;
        while i < n {
            let take = (n - i).min(64);
            let load = |ptr: *const i8| {
                if take == 64 {
                    _mm512_loadu_si512(ptr.cast())
                } else {
                    load_head(ptr, take)
                }
            };
            let x = load(pq.add(i));
            let (x_abs, x_negative) = (_mm512_abs_epi8(x), _mm512_movepi8_mask(x));
            for k in 0..4 {
                acc[k] = step(acc[k], x_abs, x_negative, load(p[k].add(i)));
            }
            i += take;
        }
        acc.map(|s| _mm512_reduce_add_epi32(s))
    }

    dot_i8_rows_from_four!("avx512f,avx512bw,avx512vnni");

    pub(crate) static KERNELS: crate::simd::Kernels = crate::simd::Kernels {
        level: crate::simd::SimdLevel::Avx2FmaVnni,
        // SAFETY: handed out only where AVX-512 F/BW/VNNI were detected (`for_level`).
        dot_i8: |a, b| unsafe { dot_i8(a, b) },
        dot_i8_rows: |q, r, st, sl, o| unsafe { dot_i8_rows(q, r, st, sl, o) },
        ..super::avx2::TABLE
    };
}

pub mod sse41 {
    use core::arch::x86_64::*;

    type V = __m128;
    const LANES: usize = 4;

    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn zero() -> V {
        _mm_setzero_ps()
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn splat(x: f32) -> V {
        _mm_set1_ps(x)
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn load(p: *const f32) -> V {
        _mm_loadu_ps(p)
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn store(p: *mut f32, v: V) {
        _mm_storeu_ps(p, v)
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn add(a: V, b: V) -> V {
        _mm_add_ps(a, b)
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn sub(a: V, b: V) -> V {
        _mm_sub_ps(a, b)
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn mul(a: V, b: V) -> V {
        _mm_mul_ps(a, b)
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn mul_add(a: V, b: V, c: V) -> V {
        _mm_add_ps(_mm_mul_ps(a, b), c)
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn max(a: V, b: V) -> V {
        _mm_max_ps(a, b)
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn hsum(v: V) -> f32 {
        super::hsum128(v)
    }
    /// The four horizontal sums of a, b, c, d, in that order.
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn hsum4(a: V, b: V, c: V, d: V) -> [f32; 4] {
        let mut out = [0.0f32; 4];
        _mm_storeu_ps(out.as_mut_ptr(), _mm_hadd_ps(_mm_hadd_ps(a, b), _mm_hadd_ps(c, d)));
        out
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn hmax(v: V) -> f32 {
        super::hmax128(v)
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn in_range_bytes(v: V, lo: V, hi: V, out: *mut u8) {
        let m = _mm_castps_si128(_mm_and_ps(_mm_cmpge_ps(v, lo), _mm_cmple_ps(v, hi)));
        let words = _mm_packs_epi32(m, m);
        let bytes = _mm_and_si128(_mm_packs_epi16(words, words), _mm_set1_epi8(1));
        let four = (_mm_cvtsi128_si32(bytes) as u32).to_le_bytes();
        core::ptr::copy_nonoverlapping(four.as_ptr(), out, 4);
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn scores4(dots: [f32; 4], norms_sq: [f32; 4], inv_query_norm: f32) -> [f32; 4] {
        super::scores4(dots, norms_sq, inv_query_norm)
    }
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn count_gt(v: V, t: V) -> usize {
        _mm_movemask_ps(_mm_cmpgt_ps(v, t)).count_ones() as usize
    }

    /// Σ a·b of signed bytes in −127..=127, 16 at a time (pmaddubsw with a's sign moved
    /// onto b, then pmaddwd; see the AVX2 version).
    ///
    /// # Safety
    /// The CPU must support SSE4.1.
    #[target_feature(enable = "sse4.1")]
    #[inline]
    pub unsafe fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let ones = _mm_set1_epi16(1);
        let step = |x: __m128i, y: __m128i| {
            _mm_madd_epi16(_mm_maddubs_epi16(_mm_abs_epi8(x), _mm_sign_epi8(y, x)), ones)
        };
        let mut s = _mm_setzero_si128();
        let mut i = 0;
        while i + 16 <= n {
            s = _mm_add_epi32(s, step(_mm_loadu_si128(pa.add(i).cast()), _mm_loadu_si128(pb.add(i).cast())));
            i += 16;
        }
        let mut total = super::hsum_i32(s);
        while i < n {
            total += i32::from(*pa.add(i)) * i32::from(*pb.add(i));
            i += 1;
        }
        total
    }

    /// `dot_i8` of `q` with four rows (one at a time: each row's codes were prefetched).
    #[target_feature(enable = "sse4.1")]
    #[inline]
    unsafe fn dot_i8_x4(q: &[i8], rows: [&[i8]; 4]) -> [i32; 4] {
        rows.map(|r| dot_i8(q, r))
    }

    simd_kernels!("sse4.1");

    pub(crate) static KERNELS: crate::simd::Kernels = safe_table!(crate::simd::SimdLevel::Sse41);
}

use super::MIN_TRUSTED_NORM_SQ;
use core::arch::x86_64::*;

/// Horizontal sum of four lanes in a fixed order: (l0 + l2) + (l1 + l3).
#[target_feature(enable = "sse4.1")]
#[inline]
unsafe fn hsum128(v: __m128) -> f32 {
    let high = _mm_movehl_ps(v, v);
    let pair = _mm_add_ps(v, high);
    _mm_cvtss_f32(_mm_add_ss(pair, _mm_shuffle_ps::<0b01>(pair, pair)))
}

/// `super::row_score` for four rows with one sqrt and one division instruction (the scalar
/// versions go through a divider that is not pipelined). Same results: NaN where the norm
/// is not trusted or the score is NaN.
#[target_feature(enable = "sse4.1")]
#[inline]
unsafe fn scores4(dots: [f32; 4], norms_sq: [f32; 4], inv_query_norm: f32) -> [f32; 4] {
    let (d, n) = (_mm_loadu_ps(dots.as_ptr()), _mm_loadu_ps(norms_sq.as_ptr()));
    let raw = _mm_div_ps(_mm_mul_ps(d, _mm_set1_ps(inv_query_norm)), _mm_sqrt_ps(n));
    // Operand order keeps NaN: minps/maxps return the second operand when either is NaN.
    let clamped = _mm_max_ps(_mm_set1_ps(-1.0), _mm_min_ps(_mm_set1_ps(1.0), raw));
    let trusted =
        _mm_and_ps(_mm_cmpge_ps(n, _mm_set1_ps(MIN_TRUSTED_NORM_SQ)), _mm_cmple_ps(n, _mm_set1_ps(f32::MAX)));
    let scores = _mm_blendv_ps(_mm_set1_ps(f32::NAN), clamped, trusted);
    let mut out = [0.0f32; 4];
    _mm_storeu_ps(out.as_mut_ptr(), scores);
    out
}

/// Sum of four i32 lanes (exact, so the order does not matter).
#[target_feature(enable = "sse4.1")]
#[inline]
unsafe fn hsum_i32(v: __m128i) -> i32 {
    let pair = _mm_add_epi32(v, _mm_shuffle_epi32::<0b1110>(v));
    _mm_cvtsi128_si32(_mm_add_epi32(pair, _mm_shuffle_epi32::<0b01>(pair)))
}

#[target_feature(enable = "sse4.1")]
#[inline]
unsafe fn hmax128(v: __m128) -> f32 {
    let high = _mm_movehl_ps(v, v);
    let pair = _mm_max_ps(v, high);
    _mm_cvtss_f32(_mm_max_ss(pair, _mm_shuffle_ps::<0b01>(pair, pair)))
}
