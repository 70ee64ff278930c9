//! JavaScript hands every number over as f64. These turn one into what the engine takes,
//! rejecting what is not exactly representable, with the argument's name in the message.
//! Bounds are the same on 64-bit hosts and wasm32, so both backends accept the same values.

use elex_engine::error::{ElexError, Result};
use elex_engine::index::{HnswIndex, IndexConfig, Metric, MAX_DIM, MAX_EF, MAX_M, MIN_M};
use elex_engine::qlearning::{Policy, QLearningConfig, QLearningOptions, ACTIONS_RANGE};
use elex_engine::types::{Dim, TopK};

/// A whole number in `min..=max` (max ≤ 2^32 − 1).
pub fn whole(name: &'static str, value: f64, min: u32, max: u32) -> Result<u32> {
    // `as u32` saturates (NaN -> 0), so only whole numbers in range survive the round trip.
    let n = value as u32;
    if f64::from(n) == value && (min..=max).contains(&n) {
        Ok(n)
    } else {
        Err(bad_whole(name, value, min, max))
    }
}

#[cold]
#[inline(never)]
fn bad_whole(name: &'static str, value: f64, min: u32, max: u32) -> ElexError {
    ElexError::bad_argument(name, format!("a whole number in {min}..={max}"), &value)
}

/// A size: a whole number in 1..=2^32 − 1.
pub fn count(name: &'static str, value: f64) -> Result<usize> {
    whole(name, value, 1, u32::MAX).map(|n| n as usize)
}

pub fn dim(value: f64) -> Result<Dim> {
    Dim::new(count("dim", value)?)
}

pub fn top_k(value: f64) -> Result<TopK> {
    TopK::new(count("k", value)?)
}

/// A vector id or a numeric Q-table state: a whole number in 0..=2^32 − 1.
#[inline]
pub fn id(name: &'static str, value: f64) -> Result<u32> {
    whole(name, value, 0, u32::MAX)
}

/// A seed: a whole number in 0..=2^32 − 1 (what `crypto.getRandomValues` gives the facade).
pub fn seed(value: f64) -> Result<u32> {
    whole("seed", value, 0, u32::MAX)
}

/// `k` and a search's own `efSearch` (checked against `k` by the index).
pub fn search(k: f64, ef: Option<f64>) -> Result<(usize, Option<usize>)> {
    let k = count("k", k)?;
    let ef = ef.map(|e| count("efSearch", e)).transpose()?;
    Ok((k, ef))
}

/// A constructor's numeric options as the facade packs them: the values in a fixed order,
/// and a bit mask of those given (so a NaN the caller passed is not taken for "not given").
#[derive(Debug, Clone, Copy)]
pub struct Given<'a> {
    pub values: &'a [f64],
    pub mask: u32,
}

impl Given<'_> {
    /// Option `i`, if given.
    pub fn get(&self, i: usize) -> Option<f64> {
        (self.mask & (1 << i) != 0).then(|| self.values.get(i).copied()).flatten()
    }
}

/// The `VectorIndex` options: [dim, m, efConstruction, efSearch, seed], and the metric.
pub fn index_config(o: Given<'_>, metric: Option<&str>) -> Result<IndexConfig> {
    let dim = o.get(0).ok_or_else(|| ElexError::invalid_argument("dim is required"))?;
    let mut cfg = IndexConfig::new(whole("dim", dim, 1, MAX_DIM as u32)? as usize);
    if let Some(metric) = metric {
        cfg.metric = Metric::parse(metric)?;
    }
    if let Some(m) = o.get(1) {
        cfg.m = whole("m", m, MIN_M as u32, MAX_M as u32)? as usize;
    }
    if let Some(e) = o.get(2) {
        cfg.ef_construction = whole("efConstruction", e, 1, MAX_EF as u32)? as usize;
    }
    if let Some(e) = o.get(3) {
        cfg.ef_search = whole("efSearch", e, 1, MAX_EF as u32)? as usize;
    }
    if let Some(s) = o.get(4) {
        cfg = cfg.with_seed(seed(s)?);
    }
    Ok(cfg)
}

/// A new index from the constructor's options.
pub fn new_index(o: Given<'_>, metric: Option<&str>) -> Result<HnswIndex> {
    HnswIndex::new(index_config(o, metric)?)
}

/// The `QTable` options: [actions, alpha, gamma, epsilon, epsilonDecay, minEpsilon, ucbC,
/// seed], and the policy.
pub fn qlearning_config(o: Given<'_>, policy: Option<&str>) -> Result<QLearningConfig> {
    let actions = match o.get(0) {
        None => None,
        Some(a) if f64::from(a as u32) == a => Some(a as u32),
        Some(a) => return Err(ElexError::bad_argument("actions", ACTIONS_RANGE, &a)),
    };
    QLearningConfig::new(&QLearningOptions {
        actions,
        alpha: o.get(1),
        gamma: o.get(2),
        epsilon: o.get(3),
        epsilon_decay: o.get(4),
        min_epsilon: o.get(5),
        policy: policy.map(Policy::parse).transpose()?,
        ucb_c: o.get(6),
        seed: o.get(7).map(seed).transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const U32_MAX: f64 = 4_294_967_295.0;

    #[test]
    fn whole_numbers_only_with_one_message() {
        for bad in [f64::NAN, f64::INFINITY, -1.0, 1.5, 0.0, 1e300, 4_294_967_296.0] {
            let e = count("k", bad).unwrap_err();
            assert_eq!(e.code(), "INVALID_ARGUMENT");
            assert!(e.to_string().starts_with("k must be a whole number in 1..=4294967295, got "), "{e}");
        }
        assert_eq!(
            count("k", 0.0).unwrap_err().to_string(),
            "k must be a whole number in 1..=4294967295, got 0"
        );
        assert_eq!(id("id", U32_MAX), Ok(u32::MAX));
        assert_eq!(id("id", -0.0), Ok(0));
    }

    #[test]
    fn seeds_are_whole_u32() {
        for bad in [-1.0, 1.7, 2f64.powi(40), f64::NAN] {
            assert_eq!(seed(bad).unwrap_err().code(), "INVALID_ARGUMENT", "{bad}");
            assert!(index_config(Given { values: &[4.0, 0.0, 0.0, 0.0, bad], mask: 0b10001 }, None).is_err());
            assert!(qlearning_config(
                Given { values: &[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, bad], mask: 1 << 7 },
                None
            )
            .is_err());
        }
        assert_eq!(seed(U32_MAX), Ok(u32::MAX));
    }

    #[test]
    fn options_decode_and_check() {
        let given = |values: &'static [f64], mask| Given { values, mask };
        let cfg = index_config(given(&[8.0, 8.0, 0.0, 32.0, 3.0], 0b11011), Some("l2")).unwrap();
        assert_eq!(
            (cfg.dim, cfg.metric, cfg.m, cfg.ef_search, cfg.ef_construction),
            (8, Metric::L2, 8, 32, 200)
        );
        assert!(index_config(given(&[8.0, 0.0, 0.0, 0.0, 0.0], 0), None).is_err(), "dim is required");
        assert!(index_config(given(&[4.0, 0.0, 0.0, 0.0, 0.0], 1), Some("hamming")).is_err());
        assert!(index_config(given(&[4.0, 1.0, 0.0, 0.0, 0.0], 0b11), None).is_err());
        assert!(index_config(given(&[4.0, 0.0, 0.0, f64::NAN, 0.0], 0b1001), None).is_err(), "a given NaN");
        let none = given(&[0.0; 8], 0);
        assert_eq!(qlearning_config(none, None).map(|c| c.actions), Ok(5));
        assert!(qlearning_config(given(&[2.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], 1), None).is_err());
        assert!(qlearning_config(none, Some("softmax")).is_err());
        let e = search(0.0, None).unwrap_err();
        assert_eq!(e.to_string(), "k must be a whole number in 1..=4294967295, got 0");
    }
}
