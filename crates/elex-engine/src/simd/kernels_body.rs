// The SIMD kernel bodies, written once. `simd_kernels!` is expanded inside each ISA module
// (x86 AVX2+FMA, x86 SSE4.1, wasm simd128), which first defines the primitives these bodies
// use: `V`, `LANES`, `zero`, `splat`, `load`, `store`, `add`, `sub`, `mul`, `mul_add`,
// `max`, `hsum`, `hsum4`, `scores4`, `hmax`, `in_range_bytes`, `count_gt`. Reduction order: four vector
// accumulators, then single vectors, then a scalar tail — fixed, so results are repeatable.
//
// Safety contract of every function here: the CPU supports `$feature` (the dispatcher only
// hands these out after detection). Lengths are taken as the minimum of the slices given,
// so no access is ever out of bounds.

/// `dot_i8_rows` from the module's own `dot_i8_x4` and `dot_i8`; see `Kernels::dot_i8_rows`.
macro_rules! dot_i8_rows_from_four {
    ($feature:literal) => {
        /// `dot_i8` (this module's own) of `query` with each slot's row, four rows at a time;
        /// see `Kernels::dot_i8_rows`.
        ///
        /// # Safety
        /// The CPU must support this module's target features.
        #[target_feature(enable = $feature)]
        pub unsafe fn dot_i8_rows(query: &[i8], rows: &[i8], stride: usize, slots: &[u32], out: &mut [i32]) {
            crate::simd::dot_i8_rows_by_four(
                query,
                rows,
                stride,
                slots,
                out,
                |q, four| dot_i8_x4(q, four),
                |q, r| dot_i8(q, r),
            )
        }
    };
}

macro_rules! simd_kernels {
    ($feature:literal) => {
        use crate::simd::Aggregate32;

        dot_i8_rows_from_four!($feature);

        /// # Safety
        /// The CPU must support this module's target features.
        #[target_feature(enable = $feature)]
        pub unsafe fn dot(a: &[f32], b: &[f32]) -> f32 {
            let n = a.len().min(b.len());
            let (pa, pb) = (a.as_ptr(), b.as_ptr());
            let (mut s0, mut s1, mut s2, mut s3) = (zero(), zero(), zero(), zero());
            let mut i = 0;
            while i + 4 * LANES <= n {
                s0 = mul_add(load(pa.add(i)), load(pb.add(i)), s0);
                s1 = mul_add(load(pa.add(i + LANES)), load(pb.add(i + LANES)), s1);
                s2 = mul_add(load(pa.add(i + 2 * LANES)), load(pb.add(i + 2 * LANES)), s2);
                s3 = mul_add(load(pa.add(i + 3 * LANES)), load(pb.add(i + 3 * LANES)), s3);
                i += 4 * LANES;
            }
            while i + LANES <= n {
                s0 = mul_add(load(pa.add(i)), load(pb.add(i)), s0);
                i += LANES;
            }
            let mut s = hsum(add(add(s0, s1), add(s2, s3)));
            while i < n {
                s += *pa.add(i) * *pb.add(i);
                i += 1;
            }
            s
        }

        /// # Safety
        /// The CPU must support this module's target features.
        #[target_feature(enable = $feature)]
        pub unsafe fn l2_squared(a: &[f32], b: &[f32]) -> f32 {
            let n = a.len().min(b.len());
            let (pa, pb) = (a.as_ptr(), b.as_ptr());
            let (mut s0, mut s1, mut s2, mut s3) = (zero(), zero(), zero(), zero());
            let mut i = 0;
            while i + 4 * LANES <= n {
                let d0 = sub(load(pa.add(i)), load(pb.add(i)));
                let d1 = sub(load(pa.add(i + LANES)), load(pb.add(i + LANES)));
                let d2 = sub(load(pa.add(i + 2 * LANES)), load(pb.add(i + 2 * LANES)));
                let d3 = sub(load(pa.add(i + 3 * LANES)), load(pb.add(i + 3 * LANES)));
                s0 = mul_add(d0, d0, s0);
                s1 = mul_add(d1, d1, s1);
                s2 = mul_add(d2, d2, s2);
                s3 = mul_add(d3, d3, s3);
                i += 4 * LANES;
            }
            while i + LANES <= n {
                let d = sub(load(pa.add(i)), load(pb.add(i)));
                s0 = mul_add(d, d, s0);
                i += LANES;
            }
            let mut s = hsum(add(add(s0, s1), add(s2, s3)));
            while i < n {
                let d = *pa.add(i) - *pb.add(i);
                s += d * d;
                i += 1;
            }
            s
        }

        /// (a·b, b·b) in one pass: the inner loop of a cosine scan over rows `b`. Eight
        /// independent accumulator chains, so the loop is bound by FMA throughput rather
        /// than by FMA latency (a 128-value row is only four iterations).
        #[target_feature(enable = $feature)]
        unsafe fn dot_and_norm(a: &[f32], b: &[f32]) -> (f32, f32) {
            let n = a.len().min(b.len());
            let (pa, pb) = (a.as_ptr(), b.as_ptr());
            let (mut d0, mut d1, mut d2, mut d3) = (zero(), zero(), zero(), zero());
            let (mut n0, mut n1, mut n2, mut n3) = (zero(), zero(), zero(), zero());
            let mut i = 0;
            while i + 4 * LANES <= n {
                let (x0, x1) = (load(pb.add(i)), load(pb.add(i + LANES)));
                let (x2, x3) = (load(pb.add(i + 2 * LANES)), load(pb.add(i + 3 * LANES)));
                d0 = mul_add(load(pa.add(i)), x0, d0);
                d1 = mul_add(load(pa.add(i + LANES)), x1, d1);
                d2 = mul_add(load(pa.add(i + 2 * LANES)), x2, d2);
                d3 = mul_add(load(pa.add(i + 3 * LANES)), x3, d3);
                n0 = mul_add(x0, x0, n0);
                n1 = mul_add(x1, x1, n1);
                n2 = mul_add(x2, x2, n2);
                n3 = mul_add(x3, x3, n3);
                i += 4 * LANES;
            }
            while i + LANES <= n {
                let x = load(pb.add(i));
                d0 = mul_add(load(pa.add(i)), x, d0);
                n0 = mul_add(x, x, n0);
                i += LANES;
            }
            let d = hsum(add(add(d0, d1), add(d2, d3)));
            let nn = hsum(add(add(n0, n1), add(n2, n3)));
            let (mut d, mut nn) = (d, nn);
            while i < n {
                let x = *pb.add(i);
                d += *pa.add(i) * x;
                nn += x * x;
                i += 1;
            }
            (d, nn)
        }

        /// # Safety
        /// The CPU must support this module's target features.
        #[target_feature(enable = $feature)]
        pub unsafe fn dot_norms(a: &[f32], b: &[f32]) -> [f32; 3] {
            let n = a.len().min(b.len());
            let (pa, pb) = (a.as_ptr(), b.as_ptr());
            let (mut d0, mut d1, mut a0, mut a1, mut b0, mut b1) =
                (zero(), zero(), zero(), zero(), zero(), zero());
            let mut i = 0;
            while i + 2 * LANES <= n {
                let (x0, x1) = (load(pa.add(i)), load(pa.add(i + LANES)));
                let (y0, y1) = (load(pb.add(i)), load(pb.add(i + LANES)));
                d0 = mul_add(x0, y0, d0);
                d1 = mul_add(x1, y1, d1);
                a0 = mul_add(x0, x0, a0);
                a1 = mul_add(x1, x1, a1);
                b0 = mul_add(y0, y0, b0);
                b1 = mul_add(y1, y1, b1);
                i += 2 * LANES;
            }
            while i + LANES <= n {
                let (x, y) = (load(pa.add(i)), load(pb.add(i)));
                d0 = mul_add(x, y, d0);
                a0 = mul_add(x, x, a0);
                b0 = mul_add(y, y, b0);
                i += LANES;
            }
            let mut r = [hsum(add(d0, d1)), hsum(add(a0, a1)), hsum(add(b0, b1))];
            while i < n {
                let (x, y) = (*pa.add(i), *pb.add(i));
                r[0] += x * y;
                r[1] += x * x;
                r[2] += y * y;
                i += 1;
            }
            r
        }

        /// # Safety
        /// The CPU must support this module's target features.
        #[target_feature(enable = $feature)]
        pub unsafe fn scale(v: &[f32], s: f32, out: &mut [f32]) {
            let n = v.len().min(out.len());
            let (pv, po) = (v.as_ptr(), out.as_mut_ptr());
            let sv = splat(s);
            let mut i = 0;
            while i + LANES <= n {
                store(po.add(i), mul(load(pv.add(i)), sv));
                i += LANES;
            }
            while i < n {
                *po.add(i) = *pv.add(i) * s;
                i += 1;
            }
        }

        /// Dot products with the query and squared norms of four rows at once: each query
        /// load serves four rows, eight independent accumulator chains hide FMA latency,
        /// and one transposing reduction (`hsum4`) replaces eight horizontal sums.
        #[target_feature(enable = $feature)]
        unsafe fn dot_and_norm_x4(query: &[f32], rows: [&[f32]; 4]) -> ([f32; 4], [f32; 4]) {
            let n = rows.iter().fold(query.len(), |n, r| n.min(r.len()));
            let pq = query.as_ptr();
            let p = [rows[0].as_ptr(), rows[1].as_ptr(), rows[2].as_ptr(), rows[3].as_ptr()];
            let (mut d0, mut d1, mut d2, mut d3) = (zero(), zero(), zero(), zero());
            let (mut n0, mut n1, mut n2, mut n3) = (zero(), zero(), zero(), zero());
            let mut i = 0;
            while i + LANES <= n {
                let q = load(pq.add(i));
                let (x0, x1, x2, x3) =
                    (load(p[0].add(i)), load(p[1].add(i)), load(p[2].add(i)), load(p[3].add(i)));
                d0 = mul_add(q, x0, d0);
                d1 = mul_add(q, x1, d1);
                d2 = mul_add(q, x2, d2);
                d3 = mul_add(q, x3, d3);
                n0 = mul_add(x0, x0, n0);
                n1 = mul_add(x1, x1, n1);
                n2 = mul_add(x2, x2, n2);
                n3 = mul_add(x3, x3, n3);
                i += LANES;
            }
            let (mut dots, mut norms) = (hsum4(d0, d1, d2, d3), hsum4(n0, n1, n2, n3));
            while i < n {
                let q = *pq.add(i);
                for r in 0..4 {
                    let x = *p[r].add(i);
                    dots[r] += q * x;
                    norms[r] += x * x;
                }
                i += 1;
            }
            (dots, norms)
        }

        /// # Safety
        /// The CPU must support this module's target features.
        #[target_feature(enable = $feature)]
        pub unsafe fn cosine_rows(
            query: &[f32], matrix: &[f32], dim: usize, inv_query_norm: f32, out: &mut [f32],
        ) {
            if dim == 0 {
                return;
            }
            let mut blocks = matrix.chunks_exact(4 * dim);
            let mut scores = out.chunks_exact_mut(4);
            for (block, score) in (&mut blocks).zip(&mut scores) {
                let (b0, rest) = block.split_at(dim);
                let (b1, rest) = rest.split_at(dim);
                let (b2, b3) = rest.split_at(dim);
                let (dots, norms) = dot_and_norm_x4(query, [b0, b1, b2, b3]);
                score.copy_from_slice(&scores4(dots, norms, inv_query_norm));
            }
            let done = matrix.len() / (4 * dim) * 4;
            for (row, score) in blocks.remainder().chunks_exact(dim).zip(out.iter_mut().skip(done)) {
                let (d, nn) = dot_and_norm(query, row);
                *score = crate::simd::row_score(d, nn, inv_query_norm);
            }
        }

        /// # Safety
        /// The CPU must support this module's target features.
        #[target_feature(enable = $feature)]
        pub unsafe fn q_update(
            q: &[f32], rewards: &[f32], next_max: &[f32], alpha: f32, gamma: f32, out: &mut [f32],
        ) {
            let n = q.len().min(rewards.len()).min(next_max.len()).min(out.len());
            let (pq, pr, pn, po) = (q.as_ptr(), rewards.as_ptr(), next_max.as_ptr(), out.as_mut_ptr());
            let (av, gv) = (splat(alpha), splat(gamma));
            let mut i = 0;
            while i + LANES <= n {
                let qv = load(pq.add(i));
                let target = mul_add(gv, load(pn.add(i)), load(pr.add(i)));
                store(po.add(i), mul_add(av, sub(target, qv), qv));
                i += LANES;
            }
            while i < n {
                let qv = *pq.add(i);
                *po.add(i) = qv + alpha * (*pr.add(i) + gamma * *pn.add(i) - qv);
                i += 1;
            }
        }

        /// # Safety
        /// The CPU must support this module's target features.
        #[target_feature(enable = $feature)]
        pub unsafe fn in_range(values: &[f32], min: &[f32], max: &[f32], out: &mut [u8]) {
            let n = values.len().min(min.len()).min(max.len()).min(out.len());
            let (pv, plo, phi, po) = (values.as_ptr(), min.as_ptr(), max.as_ptr(), out.as_mut_ptr());
            let mut i = 0;
            while i + LANES <= n {
                in_range_bytes(load(pv.add(i)), load(plo.add(i)), load(phi.add(i)), po.add(i));
                i += LANES;
            }
            while i < n {
                let v = *pv.add(i);
                *po.add(i) = u8::from(*plo.add(i) <= v && v <= *phi.add(i));
                i += 1;
            }
        }

        /// # Safety
        /// The CPU must support this module's target features.
        #[target_feature(enable = $feature)]
        pub unsafe fn aggregate(values: &[f32], weights: &[f32], threshold: f32) -> Aggregate32 {
            let n = values.len().min(weights.len());
            let (pv, pw) = (values.as_ptr(), weights.as_ptr());
            let (mut s0, mut s1, mut w0, mut w1) = (zero(), zero(), zero(), zero());
            let (mut m0, mut m1) = (splat(f32::NEG_INFINITY), splat(f32::NEG_INFINITY));
            let tv = splat(threshold);
            let mut count = 0usize;
            let mut i = 0;
            while i + 2 * LANES <= n {
                let (v0, v1) = (load(pv.add(i)), load(pv.add(i + LANES)));
                s0 = add(s0, v0);
                s1 = add(s1, v1);
                w0 = mul_add(v0, load(pw.add(i)), w0);
                w1 = mul_add(v1, load(pw.add(i + LANES)), w1);
                m0 = max(m0, v0);
                m1 = max(m1, v1);
                count += count_gt(v0, tv) + count_gt(v1, tv);
                i += 2 * LANES;
            }
            while i + LANES <= n {
                let v = load(pv.add(i));
                s0 = add(s0, v);
                w0 = mul_add(v, load(pw.add(i)), w0);
                m0 = max(m0, v);
                count += count_gt(v, tv);
                i += LANES;
            }
            let mut r = Aggregate32 {
                sum: hsum(add(s0, s1)),
                weighted_sum: hsum(add(w0, w1)),
                max: hmax(max(m0, m1)),
                count_above: count,
            };
            while i < n {
                let v = *pv.add(i);
                r.sum += v;
                r.weighted_sum += v * *pw.add(i);
                r.max = r.max.max(v);
                r.count_above += usize::from(v > threshold);
                i += 1;
            }
            r
        }
    };
}

/// The `Kernels` table of an ISA module, with safe entry points over its unsafe kernels.
/// SAFETY (all entries): a table is only reachable through `Kernels::for_level`, which hands
/// it out after the CPU was seen to support the module's target features (on wasm32 the
/// module exists only when simd128 is enabled at compile time).
macro_rules! safe_table {
    ($level:expr) => {
        crate::simd::Kernels {
            level: $level,
            dot: |a, b| unsafe { dot(a, b) },
            l2_squared: |a, b| unsafe { l2_squared(a, b) },
            dot_norms: |a, b| unsafe { dot_norms(a, b) },
            scale: |v, s, o| unsafe { scale(v, s, o) },
            cosine_rows: |q, m, d, inv, o| unsafe { cosine_rows(q, m, d, inv, o) },
            q_update: |q, r, n, a, g, o| unsafe { q_update(q, r, n, a, g, o) },
            in_range: |v, lo, hi, o| unsafe { in_range(v, lo, hi, o) },
            aggregate: |v, w, t| unsafe { aggregate(v, w, t) },
            dot_i8: |a, b| unsafe { dot_i8(a, b) },
            dot_i8_rows: |q, r, st, sl, o| unsafe { dot_i8_rows(q, r, st, sl, o) },
        }
    };
}
