//! Tabular Q-learning: a compact Q-table with ε-greedy and UCB1 policies, single and batch
//! updates, federated merge and the shared snapshot format.
//!
//! Storage is column-per-field over dense rows (one row per state, `actions` entries per
//! row): `values` (f32), `visits` (u32) and `ticks` (u32, the update counter at the entry's
//! last update) — 12 bytes per entry — plus the state index (`states.rs`).

mod options;
mod persist;
mod states;
#[cfg(test)]
mod tests;

pub use options::{Policy, QLearningConfig, QLearningOptions, Rng, MAX_ACTIONS};
pub use states::State;

use crate::error::{ElexError, Result};
use crate::simd;
use states::StateIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QStats {
    pub states: usize,
    pub entries: usize,
    pub updates: u64,
    pub memory_bytes: usize,
}

impl QStats {
    /// [states, entries, updates, memoryBytes] into a caller's 4-value buffer (what the
    /// wrappers hand to the JS facade).
    pub fn write_into(&self, out: &mut [f64]) -> Result<()> {
        if out.len() != 4 {
            return Err(ElexError::InvalidArgument(format!("out must hold 4 values, has {}", out.len())));
        }
        out.copy_from_slice(&[
            self.states as f64,
            self.entries as f64,
            self.updates as f64,
            self.memory_bytes as f64,
        ]);
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct QTable {
    cfg: QLearningConfig,
    states: StateIndex,
    values: Vec<f32>,
    visits: Vec<u32>,
    ticks: Vec<u32>,
    tick: u32,
    updates: u64,
    epsilon: f64,
    rng: Rng,
}

/// Magnitudes below this cannot overflow f32 in any chain of updates with α, γ ≤ 1, so a
/// batch made only of them needs no overflow check before it is applied.
const SAFE_MAGNITUDE: f32 = f32::MAX / 4.0;

impl QTable {
    pub fn new(cfg: QLearningConfig) -> Self {
        QTable {
            epsilon: cfg.epsilon,
            rng: Rng(cfg.seed),
            cfg,
            states: StateIndex::default(),
            values: Vec::new(),
            visits: Vec::new(),
            ticks: Vec::new(),
            tick: 0,
            updates: 0,
        }
    }

    pub fn config(&self) -> &QLearningConfig {
        &self.cfg
    }
    pub fn actions(&self) -> usize {
        self.cfg.actions as usize
    }
    /// Distinct states.
    pub fn size(&self) -> usize {
        self.states.len()
    }
    pub fn epsilon(&self) -> f64 {
        self.epsilon
    }

    fn row(&self, state: State<'_>) -> Option<std::ops::Range<usize>> {
        let a = self.actions();
        self.states.get(state).map(|r| r * a..(r + 1) * a)
    }

    fn action(&self, action: f64) -> Result<usize> {
        if action.fract() == 0.0 && action >= 0.0 && action < f64::from(self.cfg.actions) {
            Ok(action as usize)
        } else {
            Err(ElexError::InvalidArgument(format!(
                "action must be a whole number in 0..{}, got {action}",
                self.cfg.actions
            )))
        }
    }

    /// Greedy action; ties go to the lowest index; an unseen state gives 0.
    pub fn best_action(&self, state: State<'_>) -> u32 {
        self.row(state).map_or(0, |r| argmax(&self.values[r]) as u32)
    }

    /// An action by the table's policy (ε-greedy or UCB1). Advances the seeded generator.
    pub fn select_action(&mut self, state: State<'_>) -> u32 {
        match self.cfg.policy {
            Policy::EpsilonGreedy => {
                if self.rng.next_f64() < self.epsilon {
                    self.rng.below(self.cfg.actions)
                } else {
                    self.best_action(state)
                }
            }
            Policy::Ucb => self.ucb_action(state),
        }
    }

    /// UCB1: untried actions first (lowest index), then argmax Q + c·sqrt(ln N(s) / N(s,a)).
    fn ucb_action(&self, state: State<'_>) -> u32 {
        let Some(r) = self.row(state) else { return 0 };
        let visits = &self.visits[r.clone()];
        if let Some(untried) = visits.iter().position(|v| *v == 0) {
            return untried as u32;
        }
        let total: f64 = visits.iter().map(|v| f64::from(*v)).sum();
        let ln_total = total.ln();
        let c = f64::from(self.cfg.ucb_c);
        let mut best = (0usize, f64::NEG_INFINITY);
        for (i, (q, n)) in self.values[r].iter().zip(visits).enumerate() {
            let score = f64::from(*q) + c * (ln_total / f64::from(*n)).sqrt();
            if score > best.1 {
                best = (i, score);
            }
        }
        best.0 as u32
    }

    /// Q(s,·) into `out` (zeros for an unseen state).
    pub fn q_values_into(&self, state: State<'_>, out: &mut [f32]) -> Result<()> {
        self.check_out(out.len())?;
        match self.row(state) {
            Some(r) => out.copy_from_slice(&self.values[r]),
            None => out.fill(0.0),
        }
        Ok(())
    }

    pub fn visits_into(&self, state: State<'_>, out: &mut [u32]) -> Result<()> {
        self.check_out(out.len())?;
        match self.row(state) {
            Some(r) => out.copy_from_slice(&self.visits[r]),
            None => out.fill(0),
        }
        Ok(())
    }

    fn check_out(&self, len: usize) -> Result<()> {
        if len == self.actions() {
            Ok(())
        } else {
            Err(ElexError::DimensionMismatch(format!(
                "out has {len} values, the table has {} actions",
                self.actions()
            )))
        }
    }

    /// In [0, 1]: 0 for an unseen state; grows with the state's visits (n / (n + 10)) and with
    /// the margin of the best action over the second best, relative to their size.
    pub fn confidence(&self, state: State<'_>) -> f64 {
        let Some(r) = self.row(state) else { return 0.0 };
        let n: f64 = self.visits[r.clone()].iter().map(|v| f64::from(*v)).sum();
        let values = &self.values[r];
        let (mut best, mut second) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for v in values.iter().map(|v| f64::from(*v)) {
            if v > best {
                second = best;
                best = v;
            } else if v > second {
                second = v;
            }
        }
        let margin = if values.len() < 2 {
            1.0
        } else {
            let spread = best.abs().max(second.abs()).max(1e-6);
            ((best - second) / spread).clamp(0.0, 1.0)
        };
        (n / (n + 10.0)) * (0.5 + 0.5 * margin)
    }

    fn next_max(&self, next: Option<State<'_>>) -> f32 {
        next.and_then(|s| self.row(s))
            .map_or(0.0, |r| self.values[r].iter().copied().fold(f32::NEG_INFINITY, f32::max))
    }

    /// Q(s,a) += α (r + γ max Q(s',·) − Q(s,a)); `next = None` is terminal. Returns the TD
    /// error. Nothing changes when it fails.
    pub fn update(
        &mut self,
        state: State<'_>,
        action: f64,
        reward: f64,
        next: Option<State<'_>>,
    ) -> Result<f64> {
        let a = self.action(action)?;
        let r = finite_reward(reward, None)?;
        let q = self.row(state).map_or(0.0, |row| self.values[row.start + a]);
        let n = self.next_max(next);
        let (alpha, gamma) = (self.cfg.alpha.get(), self.cfg.gamma.get());
        let td = r + gamma * n - q;
        let updated = q + alpha * td;
        if !(td.is_finite() && updated.is_finite()) {
            return Err(ElexError::InvalidReward(format!(
                "reward {reward} makes Q({state:?}, {a}) overflow"
            )));
        }
        let row = self.insert(state)?;
        self.apply(row * self.actions() + a, updated);
        Ok(f64::from(td))
    }

    /// Many updates at once through the SIMD `batchQUpdate` kernel. Every target uses the
    /// table as it was before the batch (like a replay minibatch); a (state, action) pair
    /// that repeats is applied in order, each time from the previous result. All inputs are
    /// checked before anything changes.
    pub fn update_batch(
        &mut self,
        states: &[State<'_>],
        actions: &[f64],
        rewards: &[f32],
        next: &[Option<State<'_>>],
    ) -> Result<()> {
        let n = states.len();
        if actions.len() != n || rewards.len() != n || next.len() != n {
            return Err(ElexError::DimensionMismatch(format!(
                "batch arrays differ in length: states {n}, actions {}, rewards {}, nextStates {}",
                actions.len(),
                rewards.len(),
                next.len()
            )));
        }
        let mut acts = Vec::with_capacity(n);
        for (i, a) in actions.iter().enumerate() {
            acts.push(self.action(*a).map_err(|e| ElexError::InvalidArgument(format!("actions[{i}]: {e}")))?);
        }
        for (i, r) in rewards.iter().enumerate() {
            finite_reward(f64::from(*r), Some(i))?;
        }
        let q: Vec<f32> = states
            .iter()
            .zip(&acts)
            .map(|(s, a)| self.row(*s).map_or(0.0, |r| self.values[r.start + a]))
            .collect();
        let next_max: Vec<f32> = next.iter().map(|s| self.next_max(*s)).collect();
        let (alpha, gamma) = (self.cfg.alpha, self.cfg.gamma);
        let small = |v: &[f32]| v.iter().all(|x| x.abs() < SAFE_MAGNITUDE);
        if !(small(&q) && small(&next_max) && small(rewards)) {
            return self.update_batch_checked(states, &acts, rewards, &next_max);
        }
        let updated = simd::active().batch_q_update(&q, rewards, &next_max, alpha, gamma)?;
        let first_tick = self.tick.wrapping_add(1);
        for (i, (s, a)) in states.iter().zip(&acts).enumerate() {
            let row = self.insert(*s)?;
            let entry = row * self.actions() + a;
            // Already updated in this batch: apply again from that result.
            let value = if self.ticks[entry].wrapping_sub(first_tick) < i as u32 {
                let cur = self.values[entry];
                cur + alpha.get() * (rewards[i] + gamma.get() * next_max[i] - cur)
            } else {
                updated[i]
            };
            self.apply(entry, value);
        }
        Ok(())
    }

    /// The batch path for extreme magnitudes: simulate every update first, so an overflow
    /// is reported before anything changes.
    fn update_batch_checked(
        &mut self,
        states: &[State<'_>],
        acts: &[usize],
        rewards: &[f32],
        next_max: &[f32],
    ) -> Result<()> {
        let mut shadow = self.clone();
        for i in 0..states.len() {
            let row = shadow.insert(states[i])?;
            let entry = row * shadow.actions() + acts[i];
            let cur = shadow.values[entry];
            let value = cur + self.cfg.alpha.get() * (rewards[i] + self.cfg.gamma.get() * next_max[i] - cur);
            if !value.is_finite() {
                return Err(ElexError::InvalidReward(format!(
                    "rewards[{i}] = {} makes Q overflow",
                    rewards[i]
                )));
            }
            shadow.apply(entry, value);
        }
        *self = shadow;
        Ok(())
    }

    /// Row of `state`, creating a zero row for a new one.
    fn insert(&mut self, state: State<'_>) -> Result<usize> {
        let (row, new) = self.states.get_or_insert(state)?;
        if new {
            let len = self.values.len() + self.actions();
            self.values.resize(len, 0.0);
            self.visits.resize(len, 0);
            self.ticks.resize(len, 0);
        }
        Ok(row)
    }

    fn apply(&mut self, entry: usize, value: f32) {
        self.tick = self.tick.wrapping_add(1);
        self.updates += 1;
        self.values[entry] = value;
        self.visits[entry] = self.visits[entry].saturating_add(1);
        self.ticks[entry] = self.tick;
    }

    /// Applies ε decay (once per episode), down to the floor.
    pub fn end_episode(&mut self) {
        self.epsilon = (self.epsilon * self.cfg.epsilon_decay).max(self.cfg.min_epsilon.min(self.epsilon));
    }

    /// Federated merge: per (s, a), the visit-weighted average of both tables' values, visits
    /// summed (entries neither side visited average plainly). Commutative; merging a table
    /// with a copy of itself leaves every value as it was.
    pub fn merge(&mut self, other: &QTable) -> Result<()> {
        if other.cfg.actions != self.cfg.actions {
            return Err(ElexError::InvalidArgument(format!(
                "cannot merge a table of {} actions into one of {}",
                other.cfg.actions, self.cfg.actions
            )));
        }
        let a = self.actions();
        for row in 0..other.size() {
            let mine = self.insert(other.states.state_of(row))?;
            for i in 0..a {
                let (e, o) = (mine * a + i, row * a + i);
                let (n1, n2) = (f64::from(self.visits[e]), f64::from(other.visits[o]));
                let (q1, q2) = (f64::from(self.values[e]), f64::from(other.values[o]));
                self.values[e] =
                    if n1 + n2 > 0.0 { (q1 * n1 + q2 * n2) / (n1 + n2) } else { (q1 + q2) / 2.0 } as f32;
                self.visits[e] = self.visits[e].saturating_add(other.visits[o]);
                self.ticks[e] = self.ticks[e].max(other.ticks[o]);
            }
        }
        self.updates += other.updates;
        Ok(())
    }

    pub fn stats(&self) -> QStats {
        QStats {
            states: self.size(),
            entries: self.values.len(),
            updates: self.updates,
            memory_bytes: std::mem::size_of::<Self>()
                + (self.values.capacity() + self.visits.capacity() + self.ticks.capacity()) * 4
                + self.states.memory_bytes(),
        }
    }
}

fn finite_reward(r: f64, index: Option<usize>) -> Result<f32> {
    let r32 = r as f32;
    if r32.is_finite() {
        Ok(r32)
    } else {
        let at = index.map_or(String::new(), |i| format!("rewards[{i}] = "));
        Err(ElexError::InvalidReward(format!("{at}{r}: rewards must be finite (and within float32 range)")))
    }
}

/// Index of the largest value; ties go to the lowest index.
fn argmax(values: &[f32]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate().skip(1) {
        if *v > values[best] {
            best = i;
        }
    }
    best
}
