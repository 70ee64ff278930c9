use super::*;
use crate::simd::{available_levels, Kernels, SimdLevel, SCALAR};
use proptest::prelude::*;

/// The lengths the foundation issue names: around every lane and unroll boundary.
const LENGTHS: [usize; 14] = [0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 127, 128, 129];

fn simd_tables() -> Vec<&'static Kernels> {
    available_levels()
        .into_iter()
        .filter(|l| *l != SimdLevel::Scalar)
        .filter_map(Kernels::for_level)
        .collect()
}

/// Values in [-1, 1] with `offset` extra leading elements, so that `&v[offset..]` is a slice
/// not aligned to the vector width.
fn unaligned(len: usize) -> impl Strategy<Value = (Vec<f32>, usize)> {
    (0usize..4).prop_flat_map(move |offset| (prop::collection::vec(-1.0f32..1.0, len + offset), Just(offset)))
}

fn close(x: f32, y: f32, scale: f32) -> bool {
    (x - y).abs() <= 1e-5 * scale.max(1.0)
}

fn abs_dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x * y).abs()).sum()
}

fn two_vectors() -> impl Strategy<Value = ((Vec<f32>, usize), (Vec<f32>, usize))> {
    prop::sample::select(LENGTHS.to_vec()).prop_flat_map(|len| (unaligned(len), unaligned(len)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn dot_and_norms_match_scalar(((va, oa), (vb, ob)) in two_vectors()) {
        let (a, b) = (&va[oa..], &vb[ob..]);
        let want = (SCALAR.dot)(a, b);
        let want3 = (SCALAR.dot_norms)(a, b);
        let want_l2 = (SCALAR.l2_squared)(a, b);
        for k in simd_tables() {
            prop_assert!(close((k.dot)(a, b), want, abs_dot(a, b)), "{:?} dot", k.level);
            prop_assert!(close((k.l2_squared)(a, b), want_l2, want_l2), "{:?} l2", k.level);
            let got3 = (k.dot_norms)(a, b);
            prop_assert!(close(got3[0], want3[0], abs_dot(a, b)), "{:?}", k.level);
            prop_assert!(close(got3[1], want3[1], want3[1]), "{:?}", k.level);
            prop_assert!(close(got3[2], want3[2], want3[2]), "{:?}", k.level);
        }
    }

    /// Exactly equal (integer sums): every length around the unroll boundaries, unaligned
    /// starts, and the extreme codes ±127 (the contract's range, −127..=127).
    #[test]
    fn dot_i8_matches_scalar_exactly(
        len in prop::sample::select(vec![0usize, 1, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 95, 96, 127, 128, 129, 784]),
        offset in 0usize..4,
        seed in any::<u64>(),
        extreme in any::<bool>(),
    ) {
        let mut rng = crate::rng::Rng(seed | 1);
        let mut byte = || if extreme { [127i8, -127][rng.below(2) as usize] } else { (rng.below(255) as i32 - 127) as i8 };
        let va: Vec<i8> = (0..len + offset).map(|_| byte()).collect();
        let vb: Vec<i8> = (0..len + offset).map(|_| byte()).collect();
        let (a, b) = (&va[offset..], &vb[..len]);
        let want = (SCALAR.dot_i8)(a, b);
        for k in simd_tables() {
            prop_assert_eq!((k.dot_i8)(a, b), want, "{:?}", k.level);
        }
        // The row form: rows of `stride` bytes in one buffer, picked by slot; counts around
        // the groups of four that the kernels take at once.
        let stride = len + offset;
        let rows: Vec<i8> = va.iter().chain(&vb).copied().collect();
        let row = |s: u32| &rows[s as usize * stride..s as usize * stride + len];
        let all_slots = [1u32, 0, 1, 1, 0, 0, 1, 0, 1];
        for count in [0, 1, 3, 4, 5, 8, 9] {
            let slots = &all_slots[..count];
            let mut want_rows = vec![0i32; count];
            (SCALAR.dot_i8_rows)(a, &rows, stride, slots, &mut want_rows);
            let each: Vec<i32> = slots.iter().map(|s| (SCALAR.dot_i8)(a, row(*s))).collect();
            prop_assert_eq!(&want_rows, &each);
            for k in simd_tables() {
                let mut got = vec![0i32; count];
                (k.dot_i8_rows)(a, &rows, stride, slots, &mut got);
                prop_assert_eq!(&got, &want_rows, "{:?} rows, {} of them", k.level, count);
            }
        }
    }

    #[test]
    fn scale_and_q_update_match_scalar(
        ((vq, oq), (vr, or)) in two_vectors(),
        alpha in 0.01f32..1.0,
        gamma in 0.0f32..1.0,
        s in -4.0f32..4.0,
    ) {
        let (q, r) = (&vq[oq..], &vr[or..]);
        let next: Vec<f32> = r.iter().map(|x| x * 0.5 - 0.1).collect();
        let mut want = vec![0.0; q.len()];
        (SCALAR.q_update)(q, r, &next, alpha, gamma, &mut want);
        let mut want_scaled = vec![0.0; q.len()];
        (SCALAR.scale)(q, s, &mut want_scaled);
        for k in simd_tables() {
            let mut got = vec![0.0; q.len()];
            (k.q_update)(q, r, &next, alpha, gamma, &mut got);
            for (g, w) in got.iter().zip(&want) {
                prop_assert!(close(*g, *w, 1.0), "{:?} q_update {g} vs {w}", k.level);
            }
            (k.scale)(q, s, &mut got);
            prop_assert_eq!(&got, &want_scaled, "{:?} scale", k.level);
        }
    }

    #[test]
    fn in_range_and_aggregate_match_scalar(
        ((vv, ov), (vw, ow)) in two_vectors(),
        threshold in -1.0f32..1.0,
        nan_at in any::<prop::sample::Index>(),
    ) {
        let (values, weights) = (&vv[ov..], &vw[ow..]);
        let min: Vec<f32> = weights.iter().map(|w| w * 0.5 - 0.25).collect();
        let max: Vec<f32> = weights.iter().map(|w| w * 0.5 + 0.25).collect();
        // One NaN among the values: in_range must say 0 there on every path.
        let mut with_nan = values.to_vec();
        if !with_nan.is_empty() {
            let i = nan_at.index(with_nan.len());
            with_nan[i] = f32::NAN;
        }
        let mut want = vec![9u8; values.len()];
        (SCALAR.in_range)(&with_nan, &min, &max, &mut want);
        let want_agg = (SCALAR.aggregate)(values, weights, threshold);
        let magnitude: f32 = values.iter().map(|v| v.abs()).sum();
        for k in simd_tables() {
            let mut got = vec![9u8; values.len()];
            (k.in_range)(&with_nan, &min, &max, &mut got);
            prop_assert_eq!(&got, &want, "{:?} in_range", k.level);
            let agg = (k.aggregate)(values, weights, threshold);
            prop_assert!(close(agg.sum, want_agg.sum, magnitude), "{:?} sum", k.level);
            prop_assert!(close(agg.weighted_sum, want_agg.weighted_sum, magnitude), "{:?} wsum", k.level);
            prop_assert_eq!(agg.max, want_agg.max, "{:?} max", k.level);
            prop_assert_eq!(agg.count_above, want_agg.count_above, "{:?} count", k.level);
        }
    }

    #[test]
    fn cosine_rows_match_scalar(
        dim in prop::sample::select(LENGTHS[1..].to_vec()),
        rows in 0usize..6,
        offset in 0usize..4,
        seed in any::<u64>(),
    ) {
        let mut rng = seed;
        let mut next = || {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((rng >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
        };
        let query: Vec<f32> = (0..dim).map(|_| next()).collect();
        let storage: Vec<f32> = (0..rows * dim + offset).map(|_| next()).collect();
        let matrix = &storage[offset..];
        let inv = 1.0 / (SCALAR.dot)(&query, &query).sqrt();
        let mut want = vec![0.0; rows];
        (SCALAR.cosine_rows)(&query, matrix, dim, inv, &mut want);
        for k in simd_tables() {
            let mut got = vec![0.0; rows];
            (k.cosine_rows)(&query, matrix, dim, inv, &mut got);
            for (g, w) in got.iter().zip(&want) {
                prop_assert!(close(*g, *w, 1.0), "{:?} {g} vs {w}", k.level);
            }
        }
    }

    #[test]
    fn top_k_agrees_with_a_full_sort(
        dim in 1usize..20,
        rows in 0usize..200,
        k in 1usize..250,
        seed in any::<u64>(),
    ) {
        let mut rng = seed;
        let mut next = || {
            rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            // Few distinct values, so ties are common and the tie rule is exercised.
            ((rng >> 61) as f32) - 3.0
        };
        let query: Vec<f32> = (0..dim).map(|_| next()).collect();
        let matrix: Vec<f32> = (0..rows * dim).map(|_| next()).collect();
        let got = top_k_similar(&query, &matrix, Dim::new(dim).unwrap(), TopK::new(k).unwrap()).unwrap();
        let scores: Vec<f32> = matrix.chunks_exact(dim).map(|r| cosine_f64(&query, r) as f32).collect();
        let mut order: Vec<usize> = (0..rows).collect();
        order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b)));
        order.truncate(k);
        prop_assert_eq!(got.indices.len(), order.len());
        for (pos, (&gi, &gs)) in got.indices.iter().zip(&got.scores).enumerate() {
            // Same score at each position (indices may differ only between rows whose
            // fast-path scores differ from the exact ones in the last bit).
            prop_assert!((gs - scores[order[pos]]).abs() <= 1e-5, "pos {pos}");
            prop_assert!((gs - scores[gi as usize]).abs() <= 1e-5);
        }
        // Best first, ties by lower index.
        for w in got.indices.windows(2).zip(got.scores.windows(2)) {
            let ((i0, i1), (s0, s1)) = ((w.0[0], w.0[1]), (w.1[0], w.1[1]));
            prop_assert!(s0 > s1 || (s0 == s1 && i0 < i1));
        }
    }
}

#[test]
fn the_active_level_is_the_best_available() {
    let levels = available_levels();
    assert_eq!(simd::active().level, levels[0]);
    // The property tests above compare at least one SIMD path with the scalar reference.
    #[cfg(any(target_arch = "x86_64", all(target_arch = "wasm32", target_feature = "simd128")))]
    assert!(!simd_tables().is_empty());
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    assert_eq!(simd::simd_level(), "simd128");
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        let vnni = std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vnni");
        assert_eq!(simd::simd_level(), if vnni { "avx2+fma+vnni" } else { "avx2+fma" });
    }
}

#[test]
fn length_mismatches_are_dimension_errors() {
    let e = dot_product(&[1.0, 2.0], &[1.0]).unwrap_err();
    assert_eq!(e.code(), "DIMENSION_MISMATCH");
    assert_eq!(cosine_similarity(&[1.0], &[]).unwrap_err().code(), "DIMENSION_MISMATCH");
    let d = Dim::new(2).unwrap();
    let k = TopK::new(1).unwrap();
    assert_eq!(top_k_similar(&[1.0], &[1.0, 2.0], d, k).unwrap_err().code(), "DIMENSION_MISMATCH");
    assert_eq!(top_k_similar(&[1.0, 0.0], &[1.0, 2.0, 3.0], d, k).unwrap_err().code(), "DIMENSION_MISMATCH");
    let (a, g) = (LearningRate::new(0.1).unwrap(), Discount::new(0.9).unwrap());
    assert_eq!(batch_q_update(&[0.0], &[0.0, 1.0], &[0.0], a, g).unwrap_err().code(), "DIMENSION_MISMATCH");
    assert_eq!(validate_ranges(&[0.0], &[0.0], &[]).unwrap_err().code(), "DIMENSION_MISMATCH");
    let t = Finite::new("threshold", 0.0).unwrap();
    assert_eq!(aggregate(&[0.0], &[], t).unwrap_err().code(), "DIMENSION_MISMATCH");
}

#[test]
fn non_finite_input_is_an_invalid_vector() {
    let mut v = vec![0.5f32; 40];
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        v[37] = bad;
        let ok = vec![0.5f32; 40];
        assert_eq!(dot_product(&v, &ok).unwrap_err().code(), "INVALID_VECTOR");
        assert_eq!(cosine_similarity(&ok, &v).unwrap_err().code(), "INVALID_VECTOR");
        assert_eq!(normalize(&v).unwrap_err().code(), "INVALID_VECTOR");
        let t = Finite::new("threshold", 0.0).unwrap();
        assert_eq!(aggregate(&v, &ok, t).unwrap_err().code(), "INVALID_VECTOR");
        assert_eq!(aggregate(&ok, &v, t).unwrap_err().code(), "INVALID_VECTOR");
        let d = Dim::new(8).unwrap();
        let k = TopK::new(3).unwrap();
        let e = top_k_similar(&ok[..8], &v, d, k).unwrap_err();
        assert_eq!(e.code(), "INVALID_VECTOR");
        assert!(e.to_string().contains("row 4"), "{e}");
        assert_eq!(top_k_similar(&v[32..], &ok, d, k).unwrap_err().code(), "INVALID_VECTOR");
    }
    // A zero query must still reject a NaN row (it is searched).
    let d = Dim::new(2).unwrap();
    let k = TopK::new(1).unwrap();
    assert_eq!(top_k_similar(&[0.0, 0.0], &[1.0, f32::NAN], d, k).unwrap_err().code(), "INVALID_VECTOR");
}

#[test]
fn q_update_names_the_bad_input() {
    let (a, g) = (LearningRate::new(0.5).unwrap(), Discount::new(0.9).unwrap());
    let e = batch_q_update(&[0.0, 0.0], &[1.0, f32::NAN], &[0.0, 0.0], a, g).unwrap_err();
    assert_eq!(e.code(), "INVALID_REWARD");
    let e = batch_q_update(&[0.0, f32::INFINITY], &[1.0, 1.0], &[0.0, 0.0], a, g).unwrap_err();
    assert_eq!(e.code(), "INVALID_VECTOR");
    let e = batch_q_update(&[f32::MAX], &[f32::MAX], &[f32::MAX], LearningRate::new(1.0).unwrap(), g)
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_ARGUMENT");
    let out = batch_q_update(&[0.5], &[1.0], &[0.8], a, g).unwrap();
    assert!((out[0] - (0.5 + 0.5 * (1.0 + 0.9 * 0.8 - 0.5))).abs() < 1e-6);
}

#[test]
fn zero_vectors_give_zero_similarity_and_zero_normalisation() {
    assert_eq!(cosine_similarity(&[0.0; 9], &[1.0; 9]).unwrap(), 0.0);
    assert_eq!(cosine_similarity(&[], &[]).unwrap(), 0.0);
    assert_eq!(normalize(&[0.0; 5]).unwrap(), vec![0.0; 5]);
    assert_eq!(dot_product(&[], &[]).unwrap(), 0.0);
}

#[test]
fn extreme_magnitudes_use_the_exact_path() {
    // Squares overflow f32 here, and underflow to zero or subnormals in the tiny case.
    for scale in [1e30f32, 1e-30, 1e-21] {
        let a: Vec<f32> = (0..33).map(|i| (i as f32 - 16.0) * scale).collect();
        let b: Vec<f32> = (0..33).map(|i| ((i * 7 % 11) as f32 - 5.0) * scale).collect();
        let want = cosine_f64(&a, &b);
        assert!(want.abs() > 0.01);
        assert!((cosine_similarity(&a, &b).unwrap() - want).abs() < 1e-6, "scale {scale}");
        let n = normalize(&a).unwrap();
        let len: f64 = n.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
        assert!((len - 1.0).abs() < 1e-5, "scale {scale}: {len}");
        let top =
            top_k_similar(&a, &[b.clone(), a.clone()].concat(), Dim::new(33).unwrap(), TopK::new(2).unwrap())
                .unwrap();
        assert_eq!(top.indices, vec![1, 0]);
        assert!((f64::from(top.scores[1]) - want).abs() < 1e-6);
    }
    let big = vec![1e30f32; 4];
    assert_eq!(dot_product(&big, &big).unwrap(), 4e60_f64.max(dot_f64(&big, &big)));
}

#[test]
fn cosine_is_clamped_to_one() {
    let v: Vec<f32> = (0..100).map(|i| (i as f32).sin()).collect();
    let c = cosine_similarity(&v, &v).unwrap();
    assert!(c <= 1.0 && c > 0.99999);
}

#[test]
fn threshold_compares_like_javascript_numbers() {
    let t = Finite::new("threshold", 0.1).unwrap();
    // 0.1f32 is slightly above 0.1 as a double, so it counts as above, as `v > 0.1` in JS.
    let r = aggregate(&[0.1, 0.099_999_99, 0.2], &[1.0; 3], t).unwrap();
    assert_eq!(r.count_above, 2);
    let r = aggregate(&[1.0], &[1.0], Finite::new("threshold", 1.0).unwrap()).unwrap();
    assert_eq!(r.count_above, 0);
    let r = aggregate(&[f32::MAX], &[1.0], Finite::new("threshold", 1e300).unwrap()).unwrap();
    assert_eq!(r.count_above, 0);
    let r = aggregate(&[-f32::MAX], &[1.0], Finite::new("threshold", -1e300).unwrap()).unwrap();
    assert_eq!(r.count_above, 1);
}

#[test]
fn aggregate_of_nothing_is_like_math_max() {
    let r = aggregate(&[], &[], Finite::new("threshold", 0.0).unwrap()).unwrap();
    assert_eq!((r.sum, r.weighted_sum, r.max, r.count_above), (0.0, 0.0, f64::NEG_INFINITY, 0));
    let r = aggregate(&[f32::MAX, f32::MAX], &[2.0, 2.0], Finite::new("threshold", 0.0).unwrap()).unwrap();
    assert_eq!(r.sum, 2.0 * f64::from(f32::MAX));
    assert_eq!(r.weighted_sum, 4.0 * f64::from(f32::MAX));
}

#[test]
fn top_k_returns_at_most_the_rows_there_are() {
    let d = Dim::new(2).unwrap();
    let r = top_k_similar(&[1.0, 0.0], &[0.0, 1.0, 1.0, 0.0, 1.0, 1.0], d, TopK::new(10).unwrap()).unwrap();
    assert_eq!(r.indices, vec![1, 2, 0]);
    let r = top_k_similar(&[1.0, 0.0], &[], d, TopK::new(3).unwrap()).unwrap();
    assert!(r.indices.is_empty() && r.scores.is_empty());
    // A zero query scores every row 0: the first k rows, in order.
    let r = top_k_similar(&[0.0, 0.0], &[0.0, 1.0, 1.0, 0.0, 1.0, 1.0], d, TopK::new(2).unwrap()).unwrap();
    assert_eq!((r.indices, r.scores), (vec![0, 1], vec![0.0, 0.0]));
}

#[test]
fn large_scans_split_across_cores_agree_with_the_exact_ranking() {
    // 3000 x 128 values is past the parallel threshold.
    let (rows, dim) = (3000usize, 128usize);
    let mut s = 12345u32;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        (s as f32 / u32::MAX as f32) * 2.0 - 1.0
    };
    let query: Vec<f32> = (0..dim).map(|_| next()).collect();
    let matrix: Vec<f32> = (0..rows * dim).map(|_| next()).collect();
    let got = top_k_similar(&query, &matrix, Dim::new(dim).unwrap(), TopK::new(rows).unwrap()).unwrap();
    let exact: Vec<f64> = matrix.chunks_exact(dim).map(|r| cosine_f64(&query, r)).collect();
    assert_eq!(got.indices.len(), rows);
    for (i, s) in got.indices.iter().zip(&got.scores) {
        assert!((f64::from(*s) - exact[*i as usize]).abs() < 1e-5);
    }
    for w in got.scores.windows(2) {
        assert!(w[0] >= w[1]);
    }
}
