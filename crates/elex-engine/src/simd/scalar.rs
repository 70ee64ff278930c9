//! The reference kernels: plain loops, one accumulator, no tricks. Every SIMD path is
//! property-tested against these, and they are what runs where no SIMD path exists.

use super::Aggregate32;

pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).fold(0.0, |acc, (x, y)| acc + x * y)
}

pub fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    a.iter().zip(b).fold(0, |acc, (x, y)| acc + i32::from(*x) * i32::from(*y))
}

pub fn dot_i8_rows(query: &[i8], rows: &[i8], stride: usize, slots: &[u32], out: &mut [i32]) {
    for (o, s) in out.iter_mut().zip(slots) {
        let start = *s as usize * stride;
        *o = dot_i8(query, &rows[start..start + query.len()]);
    }
}

pub fn l2_squared(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).fold(0.0, |acc, (x, y)| acc + (x - y) * (x - y))
}

/// (a·b, a·a, b·b) in one pass.
pub fn dot_norms(a: &[f32], b: &[f32]) -> [f32; 3] {
    let mut r = [0.0f32; 3];
    for (x, y) in a.iter().zip(b) {
        r[0] += x * y;
        r[1] += x * x;
        r[2] += y * y;
    }
    r
}

pub fn scale(v: &[f32], s: f32, out: &mut [f32]) {
    for (o, x) in out.iter_mut().zip(v) {
        *o = x * s;
    }
}

pub fn cosine_rows(query: &[f32], matrix: &[f32], dim: usize, inv_query_norm: f32, out: &mut [f32]) {
    for (row, score) in matrix.chunks_exact(dim).zip(out.iter_mut()) {
        let mut d = 0.0f32;
        let mut nn = 0.0f32;
        for (q, x) in query.iter().zip(row) {
            d += q * x;
            nn += x * x;
        }
        *score = super::row_score(d, nn, inv_query_norm);
    }
}

pub fn q_update(q: &[f32], rewards: &[f32], next_max: &[f32], alpha: f32, gamma: f32, out: &mut [f32]) {
    for (((o, q), r), n) in out.iter_mut().zip(q).zip(rewards).zip(next_max) {
        *o = q + alpha * (r + gamma * n - q);
    }
}

pub fn in_range(values: &[f32], min: &[f32], max: &[f32], out: &mut [u8]) {
    for (((o, v), lo), hi) in out.iter_mut().zip(values).zip(min).zip(max) {
        *o = u8::from(*lo <= *v && *v <= *hi);
    }
}

pub fn aggregate(values: &[f32], weights: &[f32], threshold: f32) -> Aggregate32 {
    let mut r = Aggregate32 { sum: 0.0, weighted_sum: 0.0, max: f32::NEG_INFINITY, count_above: 0 };
    for (v, w) in values.iter().zip(weights) {
        r.sum += v;
        r.weighted_sum += v * w;
        r.max = r.max.max(*v);
        r.count_above += usize::from(*v > threshold);
    }
    r
}
