//! Validated Q-learning options (the `QLearningOptions` of API.md).

use crate::error::{ElexError, Result};
use crate::types::{Discount, LearningRate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    EpsilonGreedy,
    Ucb,
}

impl Policy {
    pub fn parse(name: &str) -> Result<Policy> {
        match name {
            "epsilon-greedy" => Ok(Policy::EpsilonGreedy),
            "ucb" => Ok(Policy::Ucb),
            other => Err(ElexError::InvalidArgument(format!(
                "policy must be 'epsilon-greedy' or 'ucb', got {other:?}"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Policy::EpsilonGreedy => "epsilon-greedy",
            Policy::Ucb => "ucb",
        }
    }
}

/// What a caller may leave out is `None`; `QLearningConfig::new` fills in the defaults.
#[derive(Debug, Clone, Default)]
pub struct QLearningOptions {
    pub actions: Option<f64>,
    pub alpha: Option<f64>,
    pub gamma: Option<f64>,
    pub epsilon: Option<f64>,
    pub epsilon_decay: Option<f64>,
    pub min_epsilon: Option<f64>,
    pub policy: Option<String>,
    pub ucb_c: Option<f64>,
    pub seed: Option<f64>,
}

/// The largest number of actions a table takes (a row must stay a small, dense array).
pub const MAX_ACTIONS: u32 = 65_536;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QLearningConfig {
    pub actions: u32,
    pub alpha: LearningRate,
    pub gamma: Discount,
    pub epsilon: f64,
    pub epsilon_decay: f64,
    pub min_epsilon: f64,
    pub policy: Policy,
    pub ucb_c: f32,
    pub seed: u64,
}

fn unit(name: &str, v: Option<f64>, default: f64) -> Result<f64> {
    let v = v.unwrap_or(default);
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(ElexError::InvalidArgument(format!("{name} must be in [0, 1], got {v}")))
    }
}

impl QLearningConfig {
    pub fn new(o: &QLearningOptions) -> Result<Self> {
        let actions = o.actions.unwrap_or(5.0);
        if !(actions.fract() == 0.0 && actions >= 1.0 && actions <= f64::from(MAX_ACTIONS)) {
            return Err(ElexError::InvalidArgument(format!(
                "actions must be a whole number in 1..={MAX_ACTIONS}, got {actions}"
            )));
        }
        let ucb_c = o.ucb_c.unwrap_or(2.0);
        if !(ucb_c.is_finite() && ucb_c >= 0.0) {
            return Err(ElexError::InvalidArgument(format!(
                "ucbC must be a finite number >= 0, got {ucb_c}"
            )));
        }
        let seed = match o.seed {
            None => 0x853c_49e6_748f_ea9b,
            Some(s) if s.is_finite() => s.to_bits(),
            Some(s) => {
                return Err(ElexError::InvalidArgument(format!("seed must be a finite number, got {s}")))
            }
        };
        let epsilon = unit("epsilon", o.epsilon, 0.1)?;
        let min_epsilon = unit("minEpsilon", o.min_epsilon, 0.01)?;
        Ok(QLearningConfig {
            actions: actions as u32,
            alpha: LearningRate::new(o.alpha.unwrap_or(0.1))?,
            gamma: Discount::new(o.gamma.unwrap_or(0.95))?,
            epsilon,
            epsilon_decay: unit("epsilonDecay", o.epsilon_decay, 1.0)?,
            min_epsilon,
            policy: Policy::parse(o.policy.as_deref().unwrap_or("epsilon-greedy"))?,
            ucb_c: ucb_c as f32,
            seed,
        })
    }
}

/// SplitMix64: tiny, fast, and the same sequence on every target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n (n >= 1), without modulo bias worth noticing for n <= 2^16.
    pub fn below(&mut self, n: u32) -> u32 {
        (((self.next_u64() >> 32) * u64::from(n)) >> 32) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_checks() {
        let c = QLearningConfig::new(&QLearningOptions::default()).unwrap();
        assert_eq!((c.actions, c.policy), (5, Policy::EpsilonGreedy));
        assert_eq!((c.alpha.get(), c.gamma.get(), c.epsilon), (0.1, 0.95, 0.1));
        let bad = [
            QLearningOptions { actions: Some(0.0), ..Default::default() },
            QLearningOptions { actions: Some(2.5), ..Default::default() },
            QLearningOptions { alpha: Some(0.0), ..Default::default() },
            QLearningOptions { gamma: Some(1.5), ..Default::default() },
            QLearningOptions { epsilon: Some(-0.1), ..Default::default() },
            QLearningOptions { epsilon: Some(f64::NAN), ..Default::default() },
            QLearningOptions { policy: Some("softmax".into()), ..Default::default() },
            QLearningOptions { ucb_c: Some(-1.0), ..Default::default() },
            QLearningOptions { seed: Some(f64::INFINITY), ..Default::default() },
        ];
        for o in bad {
            assert_eq!(QLearningConfig::new(&o).unwrap_err().code(), "INVALID_ARGUMENT", "{o:?}");
        }
    }

    #[test]
    fn rng_is_uniform_enough_and_reproducible() {
        let (mut a, mut b) = (Rng(7), Rng(7));
        let mut counts = [0u32; 5];
        for _ in 0..50_000 {
            let x = a.below(5);
            assert_eq!(x, b.below(5));
            counts[x as usize] += 1;
        }
        assert!(counts.iter().all(|c| (9_000..11_000).contains(c)), "{counts:?}");
        assert!((0..1000).all(|_| (0.0..1.0).contains(&a.next_f64())));
    }
}
