//! Tabular Q-learning: a compact Q-table with ε-greedy and UCB1 policies, single and batch
//! updates, federated merge and the shared snapshot format.
//!
//! Storage is column-per-field over dense rows (one row per state, `actions` entries per
//! row): `values` (f32), `visits` (u32) and `ticks` (u32, the update counter at the entry's
//! last update) — 12 bytes per entry — plus the state index (`states.rs`).

mod options;
mod persist;
mod states;
/// How sure a row's values make a choice: more visits (`n`) and a wider margin between the
/// best two values, more sure. In 0..1.
pub fn confidence_of(values: &[f32], n: f64) -> f64 {
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

#[cfg(test)]
mod tests;

use crate::rng::Rng;
pub use options::{Policy, QLearningConfig, QLearningOptions, ACTIONS_RANGE, MAX_ACTIONS};
pub use states::State;

use crate::error::{expected, ElexError, Result};
use crate::simd;
use states::StateIndex;
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QStats {
    pub states: usize,
    pub entries: usize,
    pub updates: u64,
    pub memory_bytes: usize,
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
    /// Random numbers drawn ahead for the next ε-greedy selection (see `speculate`), and the
    /// generator state before they were drawn (what a snapshot stores, so a restored table
    /// draws the same numbers again).
    pending: Option<(Pick, Rng)>,
}

/// The random part of one ε-greedy selection: always two draws, so the stream a seed gives
/// does not depend on when the draws happen.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pick {
    u: f64,
    random_action: u32,
}

/// Batches up to this size need no heap scratch.
const STACK_BATCH: usize = 128;

/// Magnitudes below this cannot overflow f32 in any chain of updates with α, γ ≤ 1, so a
/// batch made only of them needs no overflow check before it is applied.
const SAFE_MAGNITUDE: f32 = f32::MAX / 4.0;

impl QTable {
    pub fn new(cfg: QLearningConfig) -> Self {
        QTable {
            epsilon: cfg.epsilon,
            rng: Rng(cfg.seed),
            pending: None,
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

    #[inline]
    fn row(&self, state: State<'_>) -> Option<std::ops::Range<usize>> {
        let a = self.actions();
        self.states.get(state).map(|r| r * a..(r + 1) * a)
    }

    #[inline]
    fn action(&self, action: u32) -> Result<usize> {
        if action < self.cfg.actions {
            Ok(action as usize)
        } else {
            Err(self.bad_action(&action))
        }
    }

    /// The error for an action outside this table's range (a whole number, or whatever the
    /// caller passed: the wrappers report a fractional or negative JS number the same way).
    #[cold]
    #[inline(never)]
    pub fn bad_action(&self, action: &(impl crate::error::Shown + ?Sized)) -> ElexError {
        ElexError::bad_argument("action", format!("a whole number in 0..{}", self.cfg.actions), action)
    }

    /// Greedy action; ties go to the lowest index; an unseen state gives 0.
    pub fn best_action(&self, state: State<'_>) -> u32 {
        self.row(state).map_or(0, |r| argmax(&self.values[r]) as u32)
    }

    /// An action by the table's policy (ε-greedy or UCB1). Advances the seeded generator.
    pub fn select_action(&mut self, state: State<'_>) -> u32 {
        let row = self.row(state);
        match self.cfg.policy {
            Policy::EpsilonGreedy => {
                let pick = self.pick();
                self.pending = None;
                self.apply_pick(pick, row)
            }
            Policy::Ucb => self.ucb_action(row),
        }
    }

    /// `select_action` deciding on `values` the caller gives for `state` (a view that adds
    /// what other nodes learned): the same random numbers are drawn, only the greedy choice
    /// looks at `values`. UCB keeps to the table's own counts.
    pub fn select_action_over(&mut self, state: State<'_>, values: &[f32]) -> u32 {
        match self.cfg.policy {
            Policy::EpsilonGreedy => {
                let pick = self.pick();
                self.pending = None;
                if pick.u < self.epsilon {
                    pick.random_action
                } else {
                    argmax(values) as u32
                }
            }
            Policy::Ucb => self.select_action(state),
        }
    }

    /// The action `select_action(state)` would return now, without consuming anything: the
    /// random numbers it needs are drawn ahead and kept for the next selection, whatever its
    /// state. Lets a caller answer the usual next call (select the state just updated to)
    /// without another round trip; it then reports that with `consume_pending`.
    pub fn speculate(&mut self, state: State<'_>) -> u32 {
        self.speculate_at(self.row(state))
    }

    /// `speculate` for a state whose entries are `row` (`None`: not in the table).
    fn speculate_at(&mut self, row: Option<std::ops::Range<usize>>) -> u32 {
        match self.cfg.policy {
            Policy::EpsilonGreedy => {
                let pick = self.pick();
                self.apply_pick(pick, row)
            }
            Policy::Ucb => self.ucb_action(row),
        }
    }

    /// The caller used the speculated action as its selection: drop the numbers drawn for it.
    pub fn consume_pending(&mut self) {
        self.pending = None;
    }

    fn pick(&mut self) -> Pick {
        if let Some((pick, _)) = self.pending {
            return pick;
        }
        let before = self.rng;
        let pick = Pick { u: self.rng.next_f64(), random_action: self.rng.below(self.cfg.actions) };
        self.pending = Some((pick, before));
        pick
    }

    fn apply_pick(&self, pick: Pick, row: Option<std::ops::Range<usize>>) -> u32 {
        if pick.u < self.epsilon {
            pick.random_action
        } else {
            row.map_or(0, |r| argmax(&self.values[r]) as u32)
        }
    }

    /// UCB1: untried actions first (lowest index), then argmax Q + c·sqrt(ln N(s) / N(s,a)).
    fn ucb_action(&self, row: Option<std::ops::Range<usize>>) -> u32 {
        let Some(r) = row else { return 0 };
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
            Err(ElexError::DimensionMismatch(
                format!("out has {len} values, the table has {} actions", self.actions()).into(),
            ))
        }
    }

    /// In [0, 1]: 0 for an unseen state; grows with the state's visits (n / (n + 10)) and with
    /// the margin of the best action over the second best, relative to their size.
    pub fn confidence(&self, state: State<'_>) -> f64 {
        let Some(r) = self.row(state) else { return 0.0 };
        let n: f64 = self.visits[r.clone()].iter().map(|v| f64::from(*v)).sum();
        confidence_of(&self.values[r], n)
    }

    #[inline(always)]
    fn next_max(&self, next: Option<State<'_>>) -> f32 {
        next.and_then(|s| self.row(s)).map_or(0.0, |r| row_max(&self.values[r]))
    }

    /// Q(s,a) += α (r + γ max Q(s',·) − Q(s,a)); `next = None` is terminal. Returns the TD
    /// error. Nothing changes when it fails.
    pub fn update(
        &mut self, state: State<'_>, action: u32, reward: f64, next: Option<State<'_>>,
    ) -> Result<f64> {
        self.update_and_speculate(state, action, reward, next, false).map(|(td, _)| td)
    }

    /// `update`, then with `speculate`, the action `speculate(next)` gives (−1 if terminal),
    /// reusing the next state's row found on the way (string keys are hashed once, not twice).
    pub fn update_and_speculate(
        &mut self, state: State<'_>, action: u32, reward: f64, next: Option<State<'_>>, speculate: bool,
    ) -> Result<(f64, f64)> {
        let a = self.action(action)?;
        let r = finite_reward(reward, None)?;
        let known = self.states.get(state);
        let q = known.map_or(0.0, |row| self.values[row * self.actions() + a]);
        let next_row = next.and_then(|s| self.states.get(s));
        let width = self.actions();
        let n = next_row.map_or(0.0, |row| row_max(&self.values[row * width..(row + 1) * width]));
        let (alpha, gamma) = (self.cfg.alpha.get(), self.cfg.gamma.get());
        let td = r + gamma * n - q;
        let updated = q + alpha * td;
        if !(td.is_finite() && updated.is_finite()) {
            return Err(ElexError::InvalidReward(expected(
                "reward",
                "small enough that Q stays within float32 range",
                &reward,
            )));
        }
        let row = match known {
            Some(row) => row,
            None => self.insert(state)?,
        };
        self.apply(row * self.actions() + a, updated);
        let spec = match next {
            Some(n) if speculate => {
                // A next state unseen before the update exists now only if it is `state`.
                let next_row = next_row.or_else(|| (n == state).then_some(row));
                f64::from(self.speculate_at(next_row.map(|r| r * width..(r + 1) * width)))
            }
            _ => -1.0,
        };
        Ok((f64::from(td), spec))
    }

    /// Many updates at once through the SIMD `batchQUpdate` kernel. Every target uses the
    /// table as it was before the batch (like a replay minibatch); a (state, action) pair
    /// that repeats is applied in order, each time from the previous result. All inputs are
    /// checked before anything changes.
    pub fn update_batch(
        &mut self, states: &[State<'_>], actions: &[u32], rewards: &[f32], next: &[Option<State<'_>>],
    ) -> Result<()> {
        let n = states.len();
        if actions.len() != n || rewards.len() != n || next.len() != n {
            return Err(ElexError::DimensionMismatch(
                format!(
                    "batch arrays differ in length: states {n}, actions {}, rewards {}, nextStates {}",
                    actions.len(),
                    rewards.len(),
                    next.len()
                )
                .into(),
            ));
        }
        // Batches up to STACK_BATCH entries use stack scratch: no allocation at all.
        if n <= STACK_BATCH {
            let (mut e, mut q, mut m, mut o) =
                ([0usize; STACK_BATCH], [0f32; STACK_BATCH], [0f32; STACK_BATCH], [0f32; STACK_BATCH]);
            self.batch_core(
                states,
                actions,
                rewards,
                next,
                &mut e[..n],
                &mut q[..n],
                &mut m[..n],
                &mut o[..n],
            )
        } else {
            let (mut e, mut q, mut m, mut o) = (vec![0usize; n], vec![0f32; n], vec![0f32; n], vec![0f32; n]);
            self.batch_core(states, actions, rewards, next, &mut e, &mut q, &mut m, &mut o)
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn batch_core(
        &mut self, states: &[State<'_>], actions: &[u32], rewards: &[f32], next: &[Option<State<'_>>],
        entries: &mut [usize], q: &mut [f32], next_max: &mut [f32], updated: &mut [f32],
    ) -> Result<()> {
        let width = self.actions();
        // Simple passes rather than one loop that does everything: each is branch-light, so
        // the CPU overlaps the table lookups. First the checks, then the gathers from the
        // table as it is.
        if let Some(i) = actions.iter().position(|a| *a >= self.cfg.actions) {
            return Err(ElexError::InvalidArgument(
                format!("actions[{i}] must be in 0..{}, got {}", self.cfg.actions, actions[i]).into(),
            ));
        }
        if rewards.iter().fold(false, |bad, r| bad | !r.is_finite()) {
            let i = rewards.iter().position(|r| !r.is_finite()).unwrap_or(0);
            finite_reward(f64::from(rewards[i]), Some(i))?;
        }
        // `entries` holds each pair's entry index, or usize::MAX - a for a state not yet in
        // the table (inserted when the batch is applied).
        for ((e, s), a) in entries.iter_mut().zip(states).zip(actions) {
            let a = *a as usize;
            *e = self.states.get(*s).map_or(usize::MAX - a, |row| row * width + a);
        }
        for (q, e) in q.iter_mut().zip(entries.iter()) {
            *q = if *e > usize::MAX - width { 0.0 } else { self.values[*e] };
        }
        for (m, s) in next_max.iter_mut().zip(next) {
            *m = self.next_max(*s);
        }
        let below = |v: &[f32]| v.iter().fold(true, |ok, x| ok & (x.abs() < SAFE_MAGNITUDE));
        let small = below(q) && below(next_max) && below(rewards);
        let (alpha, gamma) = (self.cfg.alpha.get(), self.cfg.gamma.get());
        if !small {
            let acts: Vec<usize> = actions.iter().map(|a| *a as usize).collect();
            return self.update_batch_checked(states, &acts, rewards, next_max);
        }
        // Every magnitude is below f32::MAX / 4, so the results are finite: no check needed.
        (simd::active().q_update)(q, rewards, next_max, alpha, gamma, updated);
        // States first seen in this batch get their rows now (they may repeat: insert finds
        // them then), so the loop below makes no calls and keeps the columns in registers.
        for (s, e) in states.iter().zip(entries.iter_mut()) {
            if *e > usize::MAX - width {
                *e = self.insert(*s)? * width + (usize::MAX - *e);
            }
        }
        let first_tick = self.tick.wrapping_add(1);
        let (values, visits, ticks) = (&mut self.values[..], &mut self.visits[..], &mut self.ticks[..]);
        for (i, &entry) in entries.iter().enumerate() {
            // Already updated in this batch: apply again from that result.
            let value = if ticks[entry].wrapping_sub(first_tick) < i as u32 {
                let cur = values[entry];
                cur + alpha * (rewards[i] + gamma * next_max[i] - cur)
            } else {
                updated[i]
            };
            // `apply`, with the counters advanced once for the whole batch below.
            values[entry] = value;
            visits[entry] = visits[entry].saturating_add(1);
            ticks[entry] = first_tick.wrapping_add(i as u32);
        }
        self.tick = self.tick.wrapping_add(states.len() as u32);
        self.updates = self.updates.saturating_add(states.len() as u64);
        Ok(())
    }

    /// The batch path for extreme magnitudes: simulate every update first, so an overflow
    /// is reported before anything changes.
    fn update_batch_checked(
        &mut self, states: &[State<'_>], acts: &[usize], rewards: &[f32], next_max: &[f32],
    ) -> Result<()> {
        let mut shadow = self.clone();
        for i in 0..states.len() {
            let row = shadow.insert(states[i])?;
            let entry = row * shadow.actions() + acts[i];
            let cur = shadow.values[entry];
            let value = cur + self.cfg.alpha.get() * (rewards[i] + self.cfg.gamma.get() * next_max[i] - cur);
            if !value.is_finite() {
                return Err(ElexError::InvalidReward(
                    format!("rewards[{i}] = {} makes Q overflow", rewards[i]).into(),
                ));
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
        self.updates = self.updates.saturating_add(1);
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
            return Err(ElexError::bad_argument(
                "the other table's actions",
                format!("{} (this table's)", self.cfg.actions),
                &other.cfg.actions,
            ));
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
        self.updates = self.updates.saturating_add(other.updates);
        Ok(())
    }

    /// Takes (q, n) for one entry where `n` is more visits than the table has there: how a
    /// restarted cluster node gets back what it had learned from the copy its peers kept
    /// (that copy is a later state of this same table, so more visits means newer).
    pub fn restore_entry(&mut self, state: State<'_>, action: usize, q: f32, n: u32) -> Result<bool> {
        if action >= self.actions() || !q.is_finite() {
            return Err(ElexError::invalid_argument(format!("restore_entry: action {action}, q {q}")));
        }
        let row = self.insert(state)?;
        let e = row * self.actions() + action;
        if self.visits[e] >= n {
            return Ok(false);
        }
        self.values[e] = q;
        self.visits[e] = n;
        Ok(true)
    }

    /// Every state with its Q-values and visit counts, in the order the states arrived.
    pub fn rows(&self) -> impl Iterator<Item = (State<'_>, &[f32], &[u32])> {
        let a = self.actions();
        (0..self.size()).map(move |r| {
            (self.states.state_of(r), &self.values[r * a..(r + 1) * a], &self.visits[r * a..(r + 1) * a])
        })
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

#[inline]
fn finite_reward(r: f64, index: Option<usize>) -> Result<f32> {
    let r32 = r as f32;
    if r32.is_finite() {
        Ok(r32)
    } else {
        Err(bad_reward(r, index))
    }
}

#[cold]
#[inline(never)]
fn bad_reward(r: f64, index: Option<usize>) -> ElexError {
    let subject = index.map_or(Cow::Borrowed("reward"), |i| Cow::Owned(format!("rewards[{i}]")));
    ElexError::InvalidReward(expected(subject, "a finite number within float32 range", &r))
}

/// Largest value of a row (rows are never empty): two running maxima in registers, so the
/// dependency chain is half as long as a plain fold.
#[inline(always)]
fn row_max(row: &[f32]) -> f32 {
    let max = |x: f32, y: f32| if x > y { x } else { y };
    let (mut a, mut b) = (row[0], row[0]);
    let mut pairs = row[1..].chunks_exact(2);
    for p in &mut pairs {
        a = max(a, p[0]);
        b = max(b, p[1]);
    }
    if let [last] = pairs.remainder() {
        a = max(a, *last);
    }
    max(a, b)
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
