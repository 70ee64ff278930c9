//! Validated Q-learning options (the `QLearningOptions` of API.md).

use crate::error::{ElexError, Result};
use crate::rng::Rng;
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
            other => Err(ElexError::bad_argument("policy", "'epsilon-greedy' or 'ucb'", other)),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Policy::EpsilonGreedy => "epsilon-greedy",
            Policy::Ucb => "ucb",
        }
    }
}

/// What a caller may leave out is `None`; `QLearningConfig::new` fills in the defaults and
/// checks the ranges.
#[derive(Debug, Clone, Default)]
pub struct QLearningOptions {
    pub actions: Option<u32>,
    pub alpha: Option<f64>,
    pub gamma: Option<f64>,
    pub epsilon: Option<f64>,
    pub epsilon_decay: Option<f64>,
    pub min_epsilon: Option<f64>,
    pub policy: Option<Policy>,
    pub ucb_c: Option<f64>,
    pub seed: Option<u32>,
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
    /// The generator's starting state (see [`crate::rng::Rng::from_seed`]).
    pub seed: u64,
}

fn unit(name: &'static str, v: Option<f64>, default: f64) -> Result<f64> {
    let v = v.unwrap_or(default);
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(ElexError::bad_argument(name, "a number in [0, 1]", &v))
    }
}

impl QLearningConfig {
    pub fn new(o: &QLearningOptions) -> Result<Self> {
        let actions = o.actions.unwrap_or(5);
        if !(1..=MAX_ACTIONS).contains(&actions) {
            return Err(ElexError::bad_argument("actions", ACTIONS_RANGE, &actions));
        }
        let ucb_c = o.ucb_c.unwrap_or(2.0);
        if !(ucb_c.is_finite() && ucb_c >= 0.0) {
            return Err(ElexError::bad_argument("ucbC", "a finite number >= 0", &ucb_c));
        }
        let epsilon = unit("epsilon", o.epsilon, 0.1)?;
        let min_epsilon = unit("minEpsilon", o.min_epsilon, 0.01)?;
        Ok(QLearningConfig {
            actions,
            alpha: LearningRate::new(o.alpha.unwrap_or(0.1))?,
            gamma: Discount::new(o.gamma.unwrap_or(0.95))?,
            epsilon,
            epsilon_decay: unit("epsilonDecay", o.epsilon_decay, 1.0)?,
            min_epsilon,
            policy: o.policy.unwrap_or(Policy::EpsilonGreedy),
            ucb_c: ucb_c as f32,
            seed: o.seed.map_or(DEFAULT_SEED, Rng::from_seed),
        })
    }
}

/// What `actions` may be, as messages say it.
pub const ACTIONS_RANGE: &str = "a whole number in 1..=65536";

/// The stream of a table built without a seed (the JS facade always passes one).
const DEFAULT_SEED: u64 = 0x853c_49e6_748f_ea9b;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_checks() {
        let c = QLearningConfig::new(&QLearningOptions::default()).unwrap();
        assert_eq!((c.actions, c.policy), (5, Policy::EpsilonGreedy));
        assert_eq!((c.alpha.get(), c.gamma.get(), c.epsilon), (0.1, 0.95, 0.1));
        let bad = [
            QLearningOptions { actions: Some(0), ..Default::default() },
            QLearningOptions { actions: Some(MAX_ACTIONS + 1), ..Default::default() },
            QLearningOptions { alpha: Some(0.0), ..Default::default() },
            QLearningOptions { gamma: Some(1.5), ..Default::default() },
            QLearningOptions { epsilon: Some(-0.1), ..Default::default() },
            QLearningOptions { epsilon: Some(f64::NAN), ..Default::default() },
            QLearningOptions { ucb_c: Some(-1.0), ..Default::default() },
        ];
        assert!(Policy::parse("softmax").is_err());
        for o in bad {
            assert_eq!(QLearningConfig::new(&o).unwrap_err().code(), "INVALID_ARGUMENT", "{o:?}");
        }
    }
}
