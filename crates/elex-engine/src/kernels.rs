//! The validated kernel API that the wrappers call. Each function checks its arguments,
//! runs the fast SIMD kernel and, only when the fast result is not finite or not
//! trustworthy (zero, subnormal or overflowed norms), looks closer: non-finite input becomes
//! `INVALID_VECTOR`, and finite input is recomputed exactly in f64. So the common case pays
//! nothing for the checks and every input gets a correct answer or a clear error.

use crate::error::{expected, ElexError, Result, Shown};
use crate::simd::{self, Kernels, MIN_TRUSTED_NORM_SQ};
use crate::types::{Dim, Discount, Finite, LearningRate, TopK};

/// The `topKSimilar` result: row indices, best first (ties: lower index first), and scores.
#[derive(Debug, Clone, PartialEq)]
pub struct TopKResult {
    pub indices: Vec<u32>,
    pub scores: Vec<f32>,
}

/// The `aggregate` result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aggregate {
    pub sum: f64,
    pub weighted_sum: f64,
    /// -Infinity for no values, like `Math.max()`.
    pub max: f64,
    pub count_above: u64,
}

pub fn dot_product(a: &[f32], b: &[f32]) -> Result<f64> {
    simd::active().dot_product(a, b)
}
pub fn cosine_similarity(a: &[f32], b: &[f32]) -> Result<f64> {
    simd::active().cosine_similarity(a, b)
}
pub fn normalize(v: &[f32]) -> Result<Vec<f32>> {
    simd::active().normalize(v)
}
pub fn normalize_into(v: &[f32], out: &mut [f32]) -> Result<()> {
    simd::active().normalize_into(v, out)
}
pub fn top_k_similar(query: &[f32], matrix: &[f32], dim: Dim, k: TopK) -> Result<TopKResult> {
    simd::active().top_k_similar(query, matrix, dim, k)
}
/// Runs `top_k_similar` `times` times (at least once) and returns the last result: lets a
/// benchmark time the scan itself, inside the engine, with one call across the JS boundary.
pub fn top_k_similar_repeated(
    query: &[f32], matrix: &[f32], dim: Dim, k: TopK, times: TopK,
) -> Result<TopKResult> {
    let kernels = simd::active();
    let mut last = kernels.top_k_similar(query, matrix, dim, k)?;
    for _ in 1..times.get() {
        last = kernels.top_k_similar(std::hint::black_box(query), matrix, dim, k)?;
    }
    Ok(last)
}

pub fn batch_q_update(
    q: &[f32], rewards: &[f32], next_max_q: &[f32], alpha: LearningRate, gamma: Discount,
) -> Result<Vec<f32>> {
    simd::active().batch_q_update(q, rewards, next_max_q, alpha, gamma)
}
pub fn batch_q_update_into(
    q: &[f32], rewards: &[f32], next_max_q: &[f32], alpha: LearningRate, gamma: Discount, out: &mut [f32],
) -> Result<()> {
    simd::active().batch_q_update_into(q, rewards, next_max_q, alpha, gamma, out)
}
pub fn validate_ranges(values: &[f32], min: &[f32], max: &[f32]) -> Result<Vec<u8>> {
    simd::active().validate_ranges(values, min, max)
}
pub fn validate_ranges_into(values: &[f32], min: &[f32], max: &[f32], out: &mut [u8]) -> Result<()> {
    simd::active().validate_ranges_into(values, min, max, out)
}
pub fn aggregate(values: &[f32], weights: &[f32], threshold: Finite) -> Result<Aggregate> {
    simd::active().aggregate_checked(values, weights, threshold)
}

impl Kernels {
    pub fn dot_product(&self, a: &[f32], b: &[f32]) -> Result<f64> {
        same_len("a", a, "b", b)?;
        let fast = (self.dot)(a, b);
        if fast.is_finite() {
            return Ok(f64::from(fast));
        }
        require_finite("a", a)?;
        require_finite("b", b)?;
        Ok(dot_f64(a, b))
    }

    pub fn cosine_similarity(&self, a: &[f32], b: &[f32]) -> Result<f64> {
        same_len("a", a, "b", b)?;
        let [d, na, nb] = (self.dot_norms)(a, b);
        if trusted(na) && trusted(nb) && d.is_finite() {
            let c = f64::from(d) / (f64::from(na) * f64::from(nb)).sqrt();
            return Ok(c.clamp(-1.0, 1.0));
        }
        require_finite("a", a)?;
        require_finite("b", b)?;
        Ok(cosine_f64(a, b))
    }

    /// A unit-length copy; an all-zero vector gives an all-zero copy.
    pub fn normalize(&self, v: &[f32]) -> Result<Vec<f32>> {
        let mut out = vec![0.0f32; v.len()];
        self.normalize_into(v, &mut out)?;
        Ok(out)
    }

    /// `normalize` into a caller's buffer of the same length (left untouched on error).
    pub fn normalize_into(&self, v: &[f32], out: &mut [f32]) -> Result<()> {
        same_len("v", v, "out", out)?;
        let norm_sq = (self.dot)(v, v);
        if trusted(norm_sq) {
            (self.scale)(v, (1.0 / f64::from(norm_sq).sqrt()) as f32, out);
            return Ok(());
        }
        require_finite("v", v)?;
        let norm = dot_f64(v, v).sqrt();
        for (o, x) in out.iter_mut().zip(v) {
            *o = if norm > 0.0 { (f64::from(*x) / norm) as f32 } else { 0.0 };
        }
        Ok(())
    }

    /// Cosine similarity of the query against each `dim`-long row; the `k` best rows
    /// (fewer when the matrix has fewer rows).
    pub fn top_k_similar(&self, query: &[f32], matrix: &[f32], dim: Dim, k: TopK) -> Result<TopKResult> {
        let dim = dim.get();
        if query.len() != dim {
            return Err(ElexError::dimension_mismatch(format!(
                "query has {} values but dim is {dim}",
                query.len()
            )));
        }
        if !matrix.len().is_multiple_of(dim) {
            return Err(ElexError::dimension_mismatch(format!(
                "matrix has {} values, not a whole number of rows of dim {dim}",
                matrix.len()
            )));
        }
        let rows = matrix.len() / dim;
        if u32::try_from(rows).is_err() {
            return Err(ElexError::invalid_argument(format!("{rows} rows is more than 2^32 - 1")));
        }
        let query_norm_sq = (self.dot)(query, query);
        // A query the fast path cannot trust sends every row to the exact path (NaN).
        let inv_query_norm = if trusted(query_norm_sq) {
            (1.0 / f64::from(query_norm_sq).sqrt()) as f32
        } else {
            require_finite("query", query)?;
            f32::NAN
        };
        let mut scores = vec![0.0f32; rows];
        self.score_rows(query, matrix, dim, inv_query_norm, &mut scores);
        for (i, score) in scores.iter_mut().enumerate() {
            if score.is_nan() {
                let row = &matrix[i * dim..(i + 1) * dim];
                require_finite(&format!("matrix row {i}"), row)?;
                *score = cosine_f64(query, row) as f32;
            }
        }
        Ok(select_top_k(&scores, k.get()))
    }

    /// Cosine scores of all rows; large matrices are split across cores when the `parallel`
    /// feature is on (a scan of a few MB is bound by one core's cache bandwidth).
    fn score_rows(&self, query: &[f32], matrix: &[f32], dim: usize, inv_query_norm: f32, scores: &mut [f32]) {
        #[cfg(feature = "parallel")]
        if matrix.len() >= PARALLEL_MIN_VALUES && crate::parallel::helpers() > 0 {
            let rows_per_chunk = (PARALLEL_CHUNK_VALUES / dim).max(1);
            let helpers = crate::parallel::helpers();
            crate::parallel::for_each_chunk_mut(scores, rows_per_chunk, helpers, |i, chunk| {
                let first = i * rows_per_chunk * dim;
                let rows = &matrix[first..first + chunk.len() * dim];
                (self.cosine_rows)(query, rows, dim, inv_query_norm, chunk)
            });
            return;
        }
        (self.cosine_rows)(query, matrix, dim, inv_query_norm, scores);
    }

    /// Q + alpha (r + gamma nextMaxQ - Q), element-wise, as a new vector.
    pub fn batch_q_update(
        &self, q: &[f32], rewards: &[f32], next_max_q: &[f32], alpha: LearningRate, gamma: Discount,
    ) -> Result<Vec<f32>> {
        let mut out = vec![0.0f32; q.len()];
        self.batch_q_update_into(q, rewards, next_max_q, alpha, gamma, &mut out)?;
        Ok(out)
    }

    /// `batch_q_update` into a caller's buffer. On error `out` may hold partial results; the
    /// inputs are never changed.
    pub fn batch_q_update_into(
        &self, q: &[f32], rewards: &[f32], next_max_q: &[f32], alpha: LearningRate, gamma: Discount,
        out: &mut [f32],
    ) -> Result<()> {
        same_len("q", q, "rewards", rewards)?;
        same_len("q", q, "nextMaxQ", next_max_q)?;
        same_len("q", q, "out", out)?;
        (self.q_update)(q, rewards, next_max_q, alpha.get(), gamma.get(), out);
        if let Some(i) = first_non_finite(out) {
            if !rewards[i].is_finite() {
                return Err(ElexError::InvalidReward(expected(
                    format!("rewards[{i}]"),
                    "a finite number",
                    &rewards[i],
                )));
            }
            require_finite("q", q)?;
            require_finite("nextMaxQ", next_max_q)?;
            return Err(ElexError::invalid_argument(format!(
                "the update of entry {i} overflows 32-bit floats (q={}, reward={}, nextMaxQ={})",
                q[i].shown(),
                rewards[i].shown(),
                next_max_q[i].shown()
            )));
        }
        Ok(())
    }

    /// 1 where min[i] <= values[i] <= max[i], else 0 (NaN anywhere gives 0).
    pub fn validate_ranges(&self, values: &[f32], min: &[f32], max: &[f32]) -> Result<Vec<u8>> {
        let mut out = vec![0u8; values.len()];
        self.validate_ranges_into(values, min, max, &mut out)?;
        Ok(out)
    }

    pub fn validate_ranges_into(
        &self, values: &[f32], min: &[f32], max: &[f32], out: &mut [u8],
    ) -> Result<()> {
        same_len("values", values, "min", min)?;
        same_len("values", values, "max", max)?;
        if out.len() != values.len() {
            return Err(ElexError::dimension_mismatch(format!(
                "values has {} entries but out has {}",
                values.len(),
                out.len()
            )));
        }
        (self.in_range)(values, min, max, out);
        Ok(())
    }

    /// Sum, weighted sum, max and the count of values strictly above the threshold.
    pub fn aggregate_checked(&self, values: &[f32], weights: &[f32], threshold: Finite) -> Result<Aggregate> {
        same_len("values", values, "weights", weights)?;
        let threshold32 = f32_at_or_below(threshold.get());
        let fast = (self.aggregate)(values, weights, threshold32);
        let count_above = fast.count_above as u64;
        if values.is_empty() {
            return Ok(Aggregate { sum: 0.0, weighted_sum: 0.0, max: f64::NEG_INFINITY, count_above: 0 });
        }
        if fast.sum.is_finite() && fast.weighted_sum.is_finite() && fast.max.is_finite() {
            return Ok(Aggregate {
                sum: f64::from(fast.sum),
                weighted_sum: f64::from(fast.weighted_sum),
                max: f64::from(fast.max),
                count_above,
            });
        }
        require_finite("values", values)?;
        require_finite("weights", weights)?;
        let (sum, weighted_sum) = values.iter().zip(weights).fold((0.0f64, 0.0f64), |(s, w), (v, wt)| {
            (s + f64::from(*v), w + f64::from(*v) * f64::from(*wt))
        });
        Ok(Aggregate { sum, weighted_sum, max: f64::from(fast.max), count_above })
    }
}

fn trusted(norm_sq: f32) -> bool {
    norm_sq >= MIN_TRUSTED_NORM_SQ && norm_sq.is_finite()
}

fn same_len(name_a: &str, a: &[f32], name_b: &str, b: &[f32]) -> Result<()> {
    if a.len() == b.len() {
        Ok(())
    } else {
        Err(ElexError::dimension_mismatch(format!(
            "{name_a} has {} values but {name_b} has {}",
            a.len(),
            b.len()
        )))
    }
}

fn first_non_finite(v: &[f32]) -> Option<usize> {
    // Branch-free scan first (vectorises); find the index only when there is one.
    let any = v.iter().fold(false, |acc, x| acc | !x.is_finite());
    if any {
        v.iter().position(|x| !x.is_finite())
    } else {
        None
    }
}

fn require_finite(name: &str, v: &[f32]) -> Result<()> {
    match first_non_finite(v) {
        None => Ok(()),
        Some(i) => Err(ElexError::InvalidVector(expected(format!("{name}[{i}]"), "a finite number", &v[i]))),
    }
}

fn dot_f64(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum()
}

/// Exact-path cosine for finite input: f64 cannot overflow or underflow on f32 data.
fn cosine_f64(a: &[f32], b: &[f32]) -> f64 {
    let (na, nb) = (dot_f64(a, a), dot_f64(b, b));
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    (dot_f64(a, b) / (na.sqrt() * nb.sqrt())).clamp(-1.0, 1.0)
}

/// The largest f32 not above `t`: for any f32 v, `v > t` (in f64, as JavaScript compares)
/// holds exactly when `v > f32_at_or_below(t)`.
fn f32_at_or_below(t: f64) -> f32 {
    let nearest = t as f32;
    if f64::from(nearest) > t {
        nearest.next_down()
    } else {
        nearest
    }
}

/// The k best scores, best first; equal scores keep the lower index first. One pass with a
/// small sorted buffer: most rows lose against the current k-th score in one comparison.
fn select_top_k(scores: &[f32], k: usize) -> TopKResult {
    let k = k.min(scores.len());
    if k == 0 {
        return TopKResult { indices: Vec::new(), scores: Vec::new() };
    }
    if k > SMALL_K {
        return select_top_k_large(scores, k);
    }
    // (score, index), kept sorted best first. "Better" = higher score, then lower index;
    // because indices arrive in increasing order, a later row must be strictly higher.
    let mut best: Vec<(f32, u32)> = Vec::with_capacity(k + 1);
    for (i, &s) in scores.iter().enumerate() {
        if best.len() == k {
            match best.last() {
                Some(&(worst, _)) if s > worst => {}
                _ => continue,
            }
        }
        let at = best.partition_point(|&(b, _)| b >= s);
        best.insert(at, (s, i as u32));
        best.truncate(k);
    }
    TopKResult { indices: best.iter().map(|p| p.1).collect(), scores: best.iter().map(|p| p.0).collect() }
}

/// From this many matrix values (1 MiB of f32) a scan is split across cores.
#[cfg(feature = "parallel")]
const PARALLEL_MIN_VALUES: usize = 1 << 18;
/// Matrix values per claimed chunk (64 KiB): small enough that a late helper still finds work
/// and the caller never waits long for a helper's last chunk.
#[cfg(feature = "parallel")]
const PARALLEL_CHUNK_VALUES: usize = 1 << 14;

/// Past this k, inserting into a sorted buffer costs more than partitioning all rows.
const SMALL_K: usize = 64;

fn select_top_k_large(scores: &[f32], k: usize) -> TopKResult {
    let better = |a: &u32, b: &u32| {
        let (sa, sb) = (scores[*a as usize], scores[*b as usize]);
        sb.total_cmp(&sa).then(a.cmp(b))
    };
    let mut order: Vec<u32> = (0..scores.len() as u32).collect();
    if k < order.len() {
        order.select_nth_unstable_by(k - 1, better);
        order.truncate(k);
    }
    order.sort_unstable_by(better);
    TopKResult { scores: order.iter().map(|&i| scores[i as usize]).collect(), indices: order }
}

#[cfg(test)]
mod tests;
