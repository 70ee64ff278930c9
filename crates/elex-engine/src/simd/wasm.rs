//! wasm32 simd128 primitives for the shared kernel bodies (4 lanes; no fused multiply-add in
//! baseline simd128). Compiled in only when the crate is built with `+simd128`: WebAssembly
//! cannot detect features at run time, so the choice is made when the module is built.

pub mod simd128 {
    use core::arch::wasm32::*;

    type V = v128;
    const LANES: usize = 4;

    #[inline(always)]
    fn zero() -> V {
        f32x4_splat(0.0)
    }
    #[inline(always)]
    fn splat(x: f32) -> V {
        f32x4_splat(x)
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> V {
        v128_load(p.cast())
    }
    #[inline(always)]
    unsafe fn store(p: *mut f32, v: V) {
        v128_store(p.cast(), v)
    }
    #[inline(always)]
    fn add(a: V, b: V) -> V {
        f32x4_add(a, b)
    }
    #[inline(always)]
    fn sub(a: V, b: V) -> V {
        f32x4_sub(a, b)
    }
    #[inline(always)]
    fn mul(a: V, b: V) -> V {
        f32x4_mul(a, b)
    }
    #[inline(always)]
    fn mul_add(a: V, b: V, c: V) -> V {
        f32x4_add(f32x4_mul(a, b), c)
    }
    #[inline(always)]
    fn max(a: V, b: V) -> V {
        f32x4_pmax(a, b)
    }
    /// Same order as the x86 paths: (l0 + l2) + (l1 + l3).
    #[inline(always)]
    fn hsum(v: V) -> f32 {
        let pair = f32x4_add(v, i32x4_shuffle::<2, 3, 2, 3>(v, v));
        f32x4_extract_lane::<0>(pair) + f32x4_extract_lane::<1>(pair)
    }
    /// The four horizontal sums of a, b, c, d, in that order (a 4x4 transpose-and-add).
    #[inline(always)]
    fn hsum4(a: V, b: V, c: V, d: V) -> [f32; 4] {
        let ab = f32x4_add(i32x4_shuffle::<0, 4, 1, 5>(a, b), i32x4_shuffle::<2, 6, 3, 7>(a, b));
        let cd = f32x4_add(i32x4_shuffle::<0, 4, 1, 5>(c, d), i32x4_shuffle::<2, 6, 3, 7>(c, d));
        let sums = f32x4_add(i32x4_shuffle::<0, 1, 4, 5>(ab, cd), i32x4_shuffle::<2, 3, 6, 7>(ab, cd));
        [
            f32x4_extract_lane::<0>(sums),
            f32x4_extract_lane::<1>(sums),
            f32x4_extract_lane::<2>(sums),
            f32x4_extract_lane::<3>(sums),
        ]
    }
    #[inline(always)]
    fn hmax(v: V) -> f32 {
        let pair = f32x4_pmax(v, i32x4_shuffle::<2, 3, 2, 3>(v, v));
        f32x4_extract_lane::<0>(pair).max(f32x4_extract_lane::<1>(pair))
    }
    #[inline(always)]
    unsafe fn in_range_bytes(v: V, lo: V, hi: V, out: *mut u8) {
        let m = v128_and(f32x4_ge(v, lo), f32x4_le(v, hi));
        let words = i16x8_narrow_i32x4(m, m);
        let bytes = v128_and(i8x16_narrow_i16x8(words, words), i8x16_splat(1));
        let four = (i32x4_extract_lane::<0>(bytes) as u32).to_le_bytes();
        core::ptr::copy_nonoverlapping(four.as_ptr(), out, 4);
    }
    /// `crate::simd::row_score` for four rows with one sqrt and one division.
    #[inline(always)]
    fn scores4(dots: [f32; 4], norms_sq: [f32; 4], inv_query_norm: f32) -> [f32; 4] {
        let d = f32x4(dots[0], dots[1], dots[2], dots[3]);
        let n = f32x4(norms_sq[0], norms_sq[1], norms_sq[2], norms_sq[3]);
        let raw = f32x4_div(f32x4_mul(d, f32x4_splat(inv_query_norm)), f32x4_sqrt(n));
        // pmin/pmax return their first operand when the comparison fails, so NaN survives.
        let clamped = f32x4_pmax(f32x4_pmin(raw, f32x4_splat(1.0)), f32x4_splat(-1.0));
        let trusted = v128_and(
            f32x4_ge(n, f32x4_splat(crate::simd::MIN_TRUSTED_NORM_SQ)),
            f32x4_le(n, f32x4_splat(f32::MAX)),
        );
        let s = v128_bitselect(clamped, f32x4_splat(f32::NAN), trusted);
        [
            f32x4_extract_lane::<0>(s),
            f32x4_extract_lane::<1>(s),
            f32x4_extract_lane::<2>(s),
            f32x4_extract_lane::<3>(s),
        ]
    }
    #[inline(always)]
    fn count_gt(v: V, t: V) -> usize {
        i32x4_bitmask(f32x4_gt(v, t)).count_ones() as usize
    }

    /// Σ a·b of signed bytes in −127..=127, 8 at a time: `v128.load8x8_s` loads and widens
    /// eight bytes to i16 in one instruction (pmovsxbw from memory in V8), then
    /// i32x4.dot_i16x8_s multiplies pairwise into i32. Widening the halves of a 16-byte
    /// load instead costs a shuffle for every high half (about 1.5× the instructions).
    ///
    /// # Safety
    /// None beyond the slices being valid (kept `unsafe` to match the other levels).
    #[inline(always)]
    pub unsafe fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
        let n = a.len().min(b.len());
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let step =
            |i: usize| i32x4_dot_i16x8(i16x8_load_extend_i8x8(pa.add(i)), i16x8_load_extend_i8x8(pb.add(i)));
        let (mut s0, mut s1) = (i32x4_splat(0), i32x4_splat(0));
        let mut i = 0;
        while i + 32 <= n {
            s0 = i32x4_add(s0, step(i));
            s1 = i32x4_add(s1, step(i + 8));
            s0 = i32x4_add(s0, step(i + 16));
            s1 = i32x4_add(s1, step(i + 24));
            i += 32;
        }
        while i + 8 <= n {
            s0 = i32x4_add(s0, step(i));
            i += 8;
        }
        let s = i32x4_add(s0, s1);
        let mut total = i32x4_extract_lane::<0>(s)
            + i32x4_extract_lane::<1>(s)
            + i32x4_extract_lane::<2>(s)
            + i32x4_extract_lane::<3>(s);
        while i < n {
            total += i32::from(*pa.add(i)) * i32::from(*pb.add(i));
            i += 1;
        }
        total
    }

    /// `dot_i8` of `q` with four rows at once: each query load serves four rows, and the four
    /// rows' loads are in flight together (WebAssembly has no prefetch, and a row is usually
    /// not in cache when building).
    #[inline(always)]
    unsafe fn dot_i8_x4(q: &[i8], rows: [&[i8]; 4]) -> [i32; 4] {
        let n = rows.iter().fold(q.len(), |n, r| n.min(r.len()));
        let pq = q.as_ptr();
        let p = rows.map(|r| r.as_ptr());
        let mut acc = [i32x4_splat(0); 4];
        let mut i = 0;
        while i + 8 <= n {
            let qv = i16x8_load_extend_i8x8(pq.add(i));
            for k in 0..4 {
                acc[k] = i32x4_add(acc[k], i32x4_dot_i16x8(qv, i16x8_load_extend_i8x8(p[k].add(i))));
            }
            i += 8;
        }
        let mut out = acc.map(|s| {
            i32x4_extract_lane::<0>(s)
                + i32x4_extract_lane::<1>(s)
                + i32x4_extract_lane::<2>(s)
                + i32x4_extract_lane::<3>(s)
        });
        while i < n {
            for k in 0..4 {
                out[k] += i32::from(*pq.add(i)) * i32::from(*p[k].add(i));
            }
            i += 1;
        }
        out
    }

    simd_kernels!("simd128");

    pub(crate) static KERNELS: crate::simd::Kernels = safe_table!(crate::simd::SimdLevel::Simd128);
}
