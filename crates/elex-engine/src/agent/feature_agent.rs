//! One feature's agent: its lifecycle, its statistics and its Q-table (created on first use:
//! most of the 593 agents are never asked).
//!
//! Lifecycle: Initializing -> ColdStart (registered) -> Ready (after `cold_start_threshold`
//! interactions) <-> Busy (while answering) ; Ready <-> Degraded (sustained negative
//! feedback, back once it recovers) ; any -> Offline (`shutdown`).

use crate::agent::others::{Others, View};
use crate::error::{ElexError, Result};
use crate::qlearning::{QLearningConfig, QTable, State};
use crate::rng::Rng;
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentStatus {
    Initializing,
    ColdStart,
    Ready,
    Busy,
    Degraded,
    Offline,
}

pub const STATUSES: [AgentStatus; 6] = [
    AgentStatus::Initializing,
    AgentStatus::ColdStart,
    AgentStatus::Ready,
    AgentStatus::Busy,
    AgentStatus::Degraded,
    AgentStatus::Offline,
];

impl AgentStatus {
    pub fn code(self) -> u8 {
        STATUSES.iter().position(|s| *s == self).unwrap_or(0) as u8
    }

    pub fn from_code(c: u8) -> Option<Self> {
        STATUSES.get(c as usize).copied()
    }
}

/// How an agent answers (its Q-table's five actions, in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    DirectAnswer,
    ContextAnswer,
    ConsultPeer,
    RequestClarification,
    Escalate,
}

pub const ACTIONS: [Action; 5] = [
    Action::DirectAnswer,
    Action::ContextAnswer,
    Action::ConsultPeer,
    Action::RequestClarification,
    Action::Escalate,
];

/// Exploration while cold: at least this share of answers try a random action.
const COLD_EPSILON: f64 = 0.3;
/// Confidence is capped while cold.
pub const COLD_CONFIDENCE_CAP: f64 = 0.5;
/// Rewards the Degraded rule looks at, and the mean below which the agent degrades.
const WINDOW: usize = 10;
const DEGRADE_BELOW: f64 = -0.3;
/// A degraded agent recovers when the mean of its last few rewards is at least this.
const RECOVER_AT: f64 = 0.0;
const RECOVER_WINDOW: usize = 5;

/// Builds an agent: every field is required (`INVALID_ARGUMENT` names the missing one).
#[derive(Debug, Default)]
pub struct FeatureAgentBuilder {
    faj_code: Option<String>,
    qlearning: Option<QLearningConfig>,
    cold_start_threshold: Option<u32>,
    seed: Option<u64>,
}

impl FeatureAgentBuilder {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn faj_code(mut self, code: &str) -> Self {
        self.faj_code = Some(code.to_owned());
        self
    }
    pub fn qlearning(mut self, cfg: QLearningConfig) -> Self {
        self.qlearning = Some(cfg);
        self
    }
    pub fn cold_start_threshold(mut self, n: u32) -> Self {
        self.cold_start_threshold = Some(n);
        self
    }
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    pub fn build(self) -> Result<FeatureAgent> {
        let missing =
            |what: &str| ElexError::invalid_argument(format!("FeatureAgentBuilder: {what} is required"));
        let faj_code = self.faj_code.ok_or_else(|| missing("faj_code"))?;
        crate::agent::catalog::check_faj_code(&faj_code)?;
        let qlearning = self.qlearning.ok_or_else(|| missing("qlearning"))?;
        if qlearning.actions != ACTIONS.len() as u32 {
            return Err(ElexError::bad_argument(
                "qlearning.actions",
                "5 (the agent's actions)",
                &qlearning.actions,
            ));
        }
        let cold_start_threshold =
            self.cold_start_threshold.ok_or_else(|| missing("cold_start_threshold"))?;
        let seed = self.seed.ok_or_else(|| missing("seed"))?;
        Ok(FeatureAgent {
            agent_id: agent_id(&faj_code),
            faj_code,
            status: AgentStatus::Initializing,
            resume: AgentStatus::ColdStart,
            stats: AgentStats::default(),
            recent: VecDeque::new(),
            table: None,
            others: Others::default(),
            qlearning: QLearningConfig { seed, ..qlearning },
            cold_start_threshold,
            rng: Rng(seed ^ 0x5851_f42d_4c95_7f2d),
        })
    }
}

/// `faj-121-3094` for `FAJ 121 3094` (`/n` becomes `-rn`): usable in a URL path.
pub fn agent_id(faj_code: &str) -> String {
    faj_code.to_ascii_lowercase().replace(' ', "-").replace('/', "-r")
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgentStats {
    pub interactions: u64,
    pub feedback: u64,
    pub positive: u64,
    pub latency_sum_us: f64,
    pub peak_latency_us: f64,
    /// Moving average of the confidence of its answers.
    pub confidence: f64,
}

#[derive(Debug, Clone)]
pub struct FeatureAgent {
    pub agent_id: String,
    pub faj_code: String,
    status: AgentStatus,
    /// The status to return to after Busy.
    resume: AgentStatus,
    pub stats: AgentStats,
    recent: VecDeque<f32>,
    table: Option<QTable>,
    /// What other nodes learned, laid over `table` for choosing and reporting.
    others: Others,
    qlearning: QLearningConfig,
    cold_start_threshold: u32,
    rng: Rng,
}

impl FeatureAgent {
    pub fn status(&self) -> AgentStatus {
        self.status
    }

    /// Initializing -> ColdStart (or Ready with a zero threshold).
    pub fn start(&mut self) {
        if self.status == AgentStatus::Initializing {
            self.status =
                if self.cold_start_threshold == 0 { AgentStatus::Ready } else { AgentStatus::ColdStart };
        }
    }

    pub fn is_cold(&self) -> bool {
        self.stats.interactions < u64::from(self.cold_start_threshold)
    }

    /// Ready or cold or degraded -> Busy; `AGENT_NOT_READY` when Offline or not started.
    pub fn begin(&mut self) -> Result<()> {
        match self.status {
            AgentStatus::Offline | AgentStatus::Initializing | AgentStatus::Busy => {
                Err(ElexError::AgentNotReady(format!("{} is {:?}", self.faj_code, self.status).into()))
            }
            s => {
                self.resume = s;
                self.status = AgentStatus::Busy;
                Ok(())
            }
        }
    }

    /// Busy -> back, counting the interaction (ColdStart -> Ready once past the threshold).
    pub fn end(&mut self, latency_us: f64, confidence: f64) {
        let s = &mut self.stats;
        s.interactions += 1;
        s.latency_sum_us += latency_us;
        s.peak_latency_us = s.peak_latency_us.max(latency_us);
        s.confidence = if s.interactions == 1 { confidence } else { 0.9 * s.confidence + 0.1 * confidence };
        self.status = match self.resume {
            AgentStatus::ColdStart if !self.is_cold() => AgentStatus::Ready,
            other => other,
        };
    }

    pub fn shutdown(&mut self) {
        self.status = AgentStatus::Offline;
    }

    /// The action for `state`: during cold start a random one at least COLD_EPSILON of the
    /// time, otherwise the Q-table's policy.
    pub fn choose(&mut self, state: u32) -> Action {
        if self.is_cold() && self.rng.next_f64() < COLD_EPSILON {
            return ACTIONS[self.rng.below(ACTIONS.len() as u32) as usize];
        }
        let view = self.view(state);
        let cfg = self.qlearning;
        let table = self.table.get_or_insert_with(|| QTable::new(cfg));
        let a = match view {
            Some((values, _)) => table.select_action_over(State::Num(state), &values),
            None => table.select_action(State::Num(state)),
        };
        ACTIONS[a as usize % ACTIONS.len()]
    }

    /// How sure the agent is of its learned answer in `state` (0 before any learning),
    /// counting what other nodes learned.
    pub fn learned_confidence(&self, state: u32) -> f64 {
        match self.view(state) {
            Some((values, visits)) => {
                crate::qlearning::confidence_of(&values, visits.iter().sum::<u64>() as f64)
            }
            None => self.table.as_ref().map_or(0.0, |t| t.confidence(State::Num(state))),
        }
    }

    /// The own row at `state` with the other nodes' learning added (`None`: none there).
    pub fn view(&self, state: u32) -> Option<View> {
        self.others.view(self.table.as_ref(), state)
    }

    /// Replaces what other nodes learned (from the cluster's learned state).
    pub fn set_others(&mut self, others: Others) {
        self.others = others;
    }

    pub fn others(&self) -> &Others {
        &self.others
    }

    /// Trains on a reward in -1..=1 for `action` in `state`; statistics and lifecycle follow.
    pub fn feedback(&mut self, state: u32, action: Action, reward: f64) -> Result<()> {
        if !(-1.0..=1.0).contains(&reward) {
            return Err(ElexError::InvalidReward(crate::error::expected(
                "reward",
                "a number in -1..=1",
                &reward,
            )));
        }
        let cfg = self.qlearning;
        let warm = !self.is_cold();
        let table = self.table.get_or_insert_with(|| QTable::new(cfg));
        let a = ACTIONS.iter().position(|x| *x == action).unwrap_or(0) as u32;
        table.update(State::Num(state), a, reward, None)?;
        if warm {
            table.end_episode(); // exploration decays once the agent is past its cold start
        }
        self.stats.feedback += 1;
        if reward > 0.0 {
            self.stats.positive += 1;
        }
        self.recent.push_back(reward as f32);
        if self.recent.len() > WINDOW {
            self.recent.pop_front();
        }
        self.update_health();
        Ok(())
    }

    fn mean_of_last(&self, n: usize) -> f64 {
        let n = n.min(self.recent.len()).max(1);
        self.recent.iter().rev().take(n).map(|r| f64::from(*r)).sum::<f64>() / n as f64
    }

    fn update_health(&mut self) {
        match self.status {
            AgentStatus::Ready | AgentStatus::ColdStart
                if self.recent.len() == WINDOW && self.mean_of_last(WINDOW) < DEGRADE_BELOW =>
            {
                self.status = AgentStatus::Degraded;
            }
            AgentStatus::Degraded if self.mean_of_last(RECOVER_WINDOW) >= RECOVER_AT => {
                self.status = if self.is_cold() { AgentStatus::ColdStart } else { AgentStatus::Ready };
            }
            _ => {}
        }
    }

    pub fn success_rate(&self) -> f64 {
        if self.stats.feedback == 0 {
            0.0
        } else {
            self.stats.positive as f64 / self.stats.feedback as f64
        }
    }

    pub fn table(&self) -> Option<&QTable> {
        self.table.as_ref()
    }

    pub fn table_mut(&mut self) -> &mut QTable {
        let cfg = self.qlearning;
        self.table.get_or_insert_with(|| QTable::new(cfg))
    }

    pub fn set_table(&mut self, t: Option<QTable>) {
        self.table = t;
    }

    pub fn rng_state(&self) -> u64 {
        self.rng.0
    }

    pub fn recent(&self) -> &VecDeque<f32> {
        &self.recent
    }

    /// Restores what a snapshot holds.
    pub fn restore(&mut self, status: AgentStatus, stats: AgentStats, recent: Vec<f32>, rng: u64) {
        self.status = status;
        self.resume = if status == AgentStatus::Busy { AgentStatus::Ready } else { status };
        self.stats = stats;
        self.recent = recent.into_iter().collect();
        self.rng = Rng(rng);
    }

    /// Heap bytes this agent holds (its table, window and names; not its own struct, which
    /// the swarm's agent list holds).
    pub fn memory_bytes(&self) -> usize {
        self.agent_id.capacity()
            + self.faj_code.capacity()
            + self.recent.capacity() * 4
            + self.table.as_ref().map_or(0, |t| t.stats().memory_bytes)
            + crate::agent::heap::HeapSize::heap(&self.others)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qlearning::QLearningOptions;

    fn agent(threshold: u32) -> FeatureAgent {
        let cfg = QLearningConfig::new(&QLearningOptions::default()).unwrap();
        let mut a = FeatureAgentBuilder::new()
            .faj_code("FAJ 121 3094")
            .qlearning(cfg)
            .cold_start_threshold(threshold)
            .seed(1)
            .build()
            .unwrap();
        a.start();
        a
    }

    #[test]
    fn builder_requires_every_field() {
        let e = FeatureAgentBuilder::new().faj_code("FAJ 121 3094").build().unwrap_err();
        assert_eq!(e.to_string(), "FeatureAgentBuilder: qlearning is required");
        assert_eq!(
            FeatureAgentBuilder::new().faj_code("nope").build().unwrap_err().code(),
            "INVALID_FAJ_CODE"
        );
        assert_eq!(agent_id("FAJ 121 3094/1"), "faj-121-3094-r1");
    }

    #[test]
    fn lifecycle_cold_ready_degraded_and_back() {
        let mut a = agent(3);
        assert_eq!(a.status(), AgentStatus::ColdStart);
        for _ in 0..3 {
            a.begin().unwrap();
            assert_eq!(a.status(), AgentStatus::Busy);
            a.end(10.0, 0.4);
        }
        assert_eq!(a.status(), AgentStatus::Ready);
        for _ in 0..10 {
            a.feedback(1, Action::DirectAnswer, -1.0).unwrap();
        }
        assert_eq!(a.status(), AgentStatus::Degraded);
        for _ in 0..5 {
            a.feedback(1, Action::DirectAnswer, 1.0).unwrap();
        }
        assert_eq!(a.status(), AgentStatus::Ready);
        assert_eq!(a.feedback(1, Action::Escalate, 1.5).unwrap_err().code(), "INVALID_REWARD");
        a.shutdown();
        assert_eq!(a.begin().unwrap_err().code(), "AGENT_NOT_READY");
        assert_eq!(a.stats.interactions, 3);
        assert_eq!(a.stats.peak_latency_us, 10.0);
    }
}
