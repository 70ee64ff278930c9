//! The swarm: one agent per feature, the router, the recent queries awaiting feedback, and
//! everything API.md's `Swarm` does. Sans-IO: the caller passes a clock for latencies.

use crate::agent::answer::{compose, Command, Knowledge, Matches, Scope};
use crate::agent::catalog::{self, FeatureSpec, SafeZone, Value, VocabTerm};
use crate::agent::deps::Dependencies;
use crate::agent::feature_agent::{Action, AgentStatus, FeatureAgent, FeatureAgentBuilder, STATUSES};
use crate::agent::heap::HeapSize;
use crate::agent::plan::{self, KpiValue, PlannedChange, Risk, Validation};
use crate::agent::router::Router;
use crate::agent::state::{self, AgentState, Complexity, QueryType};
use crate::agent::text::Token;
use crate::agent::vocab::Vocabulary;
use crate::error::{ElexError, Result};
use crate::qlearning::{QLearningConfig, QTable, State};
use crate::rng::Rng;
use std::collections::{BTreeMap, HashMap, VecDeque};

/// Candidates a query shortlists.
const SHORTLIST: usize = 5;

/// The least routing score a query answers on (a feature with any lexical evidence scores
/// far above it; fuzzy similarity alone reaches it only when it is strong).
const MIN_ROUTE_SCORE: f64 = 0.2;

#[derive(Debug, Clone)]
pub struct SwarmConfig {
    pub dim: usize,
    pub cold_start_threshold: u32,
    pub qlearning: QLearningConfig,
    pub seed: u32,
    pub query_cache_size: usize,
    /// Operator safe zones by parameter name (`MoClass.attribute` or the bare attribute).
    pub safe_zones: BTreeMap<String, SafeZone>,
}

#[derive(Debug, Clone, Default)]
pub struct QueryInput {
    pub text: String,
    pub embedding: Option<Vec<f32>>,
    pub context: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub faj_code: String,
    pub name: String,
    pub score: f32,
}

#[derive(Debug, Clone)]
pub struct RouteHit {
    pub faj_code: String,
    pub agent_id: String,
    pub name: String,
    pub score: f32,
}

#[derive(Debug, Clone)]
pub struct QueryResponse {
    pub query_id: String,
    pub agent_id: String,
    pub faj_code: String,
    pub feature_name: String,
    pub query_type: QueryType,
    pub complexity: Complexity,
    pub action: Action,
    pub confidence: f64,
    pub status: AgentStatus,
    pub answer: String,
    pub matches: Matches,
    pub commands: Vec<Command>,
    pub consulted: Vec<String>,
    pub candidates: Vec<Candidate>,
    pub latency_us: f64,
}

#[derive(Debug, Clone)]
pub struct AgentInfo {
    pub agent_id: String,
    pub faj_code: String,
    pub name: String,
    pub acronym: Option<String>,
    pub category: String,
    pub status: AgentStatus,
    pub confidence: f64,
    pub interactions: u64,
    pub success_rate: f64,
    pub avg_latency_us: f64,
    pub peak_latency_us: f64,
    pub memory_bytes: usize,
}

#[derive(Debug, Clone)]
pub struct ChangePlan {
    pub faj_code: String,
    pub changes: Vec<PlannedChange>,
    pub activate_first: Vec<String>,
    pub conflicts: Vec<String>,
    pub commands: Vec<String>,
    pub risk: Risk,
}

#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    pub current: BTreeMap<String, Value>,
    pub scope: Option<String>,
    pub active_features: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Learned {
    pub state: String,
    pub q_values: Vec<f32>,
    pub visits: Vec<u32>,
}

#[derive(Debug, Clone)]
pub struct SwarmStats {
    pub agents: usize,
    pub by_status: BTreeMap<String, usize>,
    pub queries: u64,
    pub feedback: u64,
    pub avg_latency_us: f64,
    pub memory_bytes: usize,
    pub index_items: usize,
}

/// A query awaiting feedback.
#[derive(Debug, Clone, Copy)]
struct Pending {
    feature: usize,
    state: u32,
    action: Action,
}

/// A bounded map, oldest out first.
#[derive(Debug, Clone, Default)]
struct Recent<K, V> {
    map: HashMap<K, V>,
    order: VecDeque<K>,
    capacity: usize,
}

impl<K: std::hash::Hash + Eq + Clone, V> Recent<K, V> {
    fn new(capacity: usize) -> Self {
        Recent { map: HashMap::new(), order: VecDeque::new(), capacity }
    }

    fn put(&mut self, key: K, value: V) {
        if self.map.insert(key.clone(), value).is_none() {
            self.order.push_back(key);
        }
        while self.map.len() > self.capacity {
            match self.order.pop_front() {
                Some(old) => {
                    self.map.remove(&old);
                }
                None => break,
            }
        }
        // Keys removed by `take` leave stale entries in `order`; drop them when they pile up.
        if self.order.len() > 2 * self.capacity.max(8) {
            let map = &self.map;
            self.order.retain(|k| map.contains_key(k));
        }
    }

    fn take(&mut self, key: &K) -> Option<V> {
        self.map.remove(key)
    }

    fn get(&self, key: &K) -> Option<&V> {
        self.map.get(key)
    }
}

/// A query id (`q` and 16 hex digits) as the key the swarm keeps it under.
fn query_key(id: &str) -> Option<u64> {
    id.strip_prefix('q').filter(|h| h.len() == 16).and_then(|h| u64::from_str_radix(h, 16).ok())
}

#[derive(Debug)]
pub struct Swarm {
    cfg: SwarmConfig,
    features: Vec<FeatureSpec>,
    live: Vec<bool>,
    by_code: HashMap<String, usize>,
    by_agent: HashMap<String, usize>,
    agents: Vec<FeatureAgent>,
    deps: Dependencies,
    pub(crate) router: Router,
    pub(crate) vocabulary: Vocabulary,
    vocabulary_terms: Vec<VocabTerm>,
    pending: Recent<u64, Pending>,
    sessions: Recent<String, usize>,
    queries: u64,
    feedback: u64,
    latency_sum_us: f64,
    sequence: u64,
}

fn not_found(what: &str) -> ElexError {
    ElexError::FeatureNotFound(format!("no feature {what} in this swarm").into())
}

impl Swarm {
    /// A swarm over a validated catalog.
    pub fn new(features: Vec<FeatureSpec>, vocabulary: Vec<VocabTerm>, cfg: SwarmConfig) -> Result<Self> {
        catalog::validate(&features)?;
        for (name, zone) in &cfg.safe_zones {
            catalog::check_safe_zone(zone, None, None)
                .map_err(|why| ElexError::invalid_argument(format!("safeZones[{name:?}]: {why}")))?;
        }
        let deps = Dependencies::build(&features)?;
        let mut router = Router::new(cfg.dim, cfg.seed)?;
        router.add_features(0, &features)?;
        let mut s = Swarm {
            live: vec![true; features.len()],
            by_code: HashMap::new(),
            by_agent: HashMap::new(),
            agents: Vec::with_capacity(features.len()),
            deps,
            router,
            vocabulary: Vocabulary::new(&vocabulary),
            vocabulary_terms: vocabulary,
            pending: Recent::new(cfg.query_cache_size),
            sessions: Recent::new(cfg.query_cache_size),
            queries: 0,
            feedback: 0,
            latency_sum_us: 0.0,
            sequence: 0,
            features: Vec::new(),
            cfg,
        };
        for f in features {
            s.register(f)?;
        }
        Ok(s)
    }

    fn register(&mut self, f: FeatureSpec) -> Result<usize> {
        let i = self.agents.len();
        let seed = Rng::from_seed(self.cfg.seed) ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let mut agent = FeatureAgentBuilder::new()
            .faj_code(&f.faj_code)
            .qlearning(self.cfg.qlearning)
            .cold_start_threshold(self.cfg.cold_start_threshold)
            .seed(seed)
            .build()?;
        agent.start();
        self.by_code.insert(f.faj_code.clone(), i);
        self.by_agent.insert(agent.agent_id.clone(), i);
        self.agents.push(agent);
        if self.features.len() <= i {
            self.features.push(f);
        }
        Ok(i)
    }

    pub fn config(&self) -> &SwarmConfig {
        &self.cfg
    }

    /// Live agents.
    pub fn size(&self) -> usize {
        self.live.iter().filter(|l| **l).count()
    }

    /// The features of this swarm (live ones), in catalog order.
    pub fn features(&self) -> Vec<&FeatureSpec> {
        self.features.iter().zip(&self.live).filter(|(_, l)| **l).map(|(f, _)| f).collect()
    }

    pub fn vocabulary(&self) -> &[VocabTerm] {
        &self.vocabulary_terms
    }

    fn index_of(&self, id_or_code: &str) -> Result<usize> {
        let i = self.by_code.get(id_or_code).or_else(|| self.by_agent.get(id_or_code)).copied();
        match i {
            Some(i) if self.live[i] => Ok(i),
            _ => Err(ElexError::AgentNotFound(format!("no agent {id_or_code:?} in this swarm").into())),
        }
    }

    fn feature_of(&self, faj: &str) -> Result<usize> {
        match self.by_code.get(faj).copied() {
            Some(i) if self.live[i] => Ok(i),
            _ => {
                catalog::check_faj_code(faj)?;
                Err(not_found(faj))
            }
        }
    }

    fn knowledge(&self) -> Knowledge<'_> {
        Knowledge { features: &self.features, deps: &self.deps, live: &self.live }
    }

    pub fn embed(&self, text: &str) -> Vec<f32> {
        self.router.embed(&self.router.query_tokens(text, &self.vocabulary))
    }

    fn hits(&self, ranked: &[(u32, f32)]) -> Vec<RouteHit> {
        ranked
            .iter()
            .map(|&(f, score)| {
                let f = f as usize;
                RouteHit {
                    faj_code: self.features[f].faj_code.clone(),
                    agent_id: self.agents[f].agent_id.clone(),
                    name: self.features[f].name.clone(),
                    score,
                }
            })
            .collect()
    }

    /// The best `k` features for a question.
    pub fn route(&self, text: &str, k: usize) -> Result<Vec<RouteHit>> {
        let tokens = self.router.query_tokens(text, &self.vocabulary);
        Ok(self.hits(&self.router.route(&tokens, None, k)?.ranked))
    }

    /// The best `k` features for a vector (searched in the knowledge index alone).
    pub fn route_vector(&self, vector: &[f32], k: usize) -> Result<Vec<RouteHit>> {
        if vector.iter().any(|x| !x.is_finite()) {
            return Err(ElexError::invalid_vector("the embedding holds NaN or Infinity"));
        }
        Ok(self.hits(&self.router.route(&[], Some(vector), k)?.ranked))
    }

    /// The facts of feature `i` that the question's tokens name.
    fn matches(&self, i: usize, tokens: &[(Token, f32)], query: QueryType) -> Matches {
        let f = &self.features[i];
        let own: Vec<&str> = tokens.iter().filter(|(_, w)| *w >= 1.0).map(|(t, _)| t.text.as_str()).collect();
        let own_ids = self.router.ids(tokens.iter().filter(|(_, w)| *w >= 1.0).map(|(t, _)| t));
        let keys = self.router.keys(i);
        let mut m = Matches {
            parameters: f
                .parameters
                .iter()
                .zip(&keys.parameters)
                .filter(|(_, k)| k.named_by(&own_ids))
                .map(|(p, _)| p.name.clone())
                .collect(),
            counters: f
                .counters
                .iter()
                .zip(&keys.counters)
                .filter(|(_, k)| k.named_by(&own_ids))
                .map(|(c, _)| c.name().to_owned())
                .collect(),
            kpis: Vec::new(),
        };
        let pm: Vec<&str> =
            m.counters.iter().map(|c| c.rsplit_once('.').map_or(c.as_str(), |(_, p)| p)).collect();
        for k in &f.kpis {
            let words = crate::agent::text::words(&k.name);
            let named = !words.is_empty()
                && words.iter().filter(|w| own.contains(&w.as_str())).count() * 3 >= words.len() * 2;
            let fed = crate::agent::formula::Expr::parse(&k.formula)
                .is_ok_and(|e| e.counters().iter().any(|c| pm.contains(c)));
            if named || fed || query == QueryType::Kpi || query == QueryType::Troubleshoot {
                m.kpis.push(k.name.clone());
            }
        }
        if m.parameters.is_empty()
            && matches!(query, QueryType::Parameter | QueryType::General | QueryType::Procedure)
        {
            let mut main: Vec<&catalog::ParameterSpec> =
                f.parameters.iter().filter(|p| p.relation == Some(catalog::Relation::Introduced)).collect();
            if main.is_empty() {
                main = f.parameters.iter().collect();
            }
            m.parameters = main.into_iter().take(5).map(|p| p.name.clone()).collect();
        }
        if m.counters.is_empty() && query == QueryType::Counter {
            m.counters = f.counters.iter().take(5).map(|c| c.name().to_owned()).collect();
        }
        m
    }

    /// Answers a question. `now_us` is the caller's clock (microseconds).
    pub fn query(&mut self, input: &QueryInput, now_us: &dyn Fn() -> f64) -> Result<QueryResponse> {
        let started = now_us();
        if input.text.trim().is_empty() && input.embedding.is_none() {
            return Err(ElexError::invalid_argument("text must not be empty"));
        }
        let tokens = self.router.query_tokens(&input.text, &self.vocabulary);
        let routed = self.router.route(&tokens, input.embedding.as_deref(), SHORTLIST)?;
        let session = input.context.get("session");
        let followed = session.and_then(|s| self.sessions.get(s)).copied().filter(|&i| self.live[i]);
        let answerable = |i: usize| self.agents[i].status() != AgentStatus::Offline;
        let chosen = match followed {
            Some(i) if !routed.names_a_feature && answerable(i) => Some(i),
            _ => routed.ranked.iter().map(|(f, _)| *f as usize).find(|&f| answerable(f)),
        };
        let Some(i) = chosen else {
            return Err(ElexError::FeatureNotFound("no feature of this swarm matches the question".into()));
        };
        let route_score =
            routed.ranked.iter().find(|(f, _)| *f as usize == i).map_or(0.5, |(_, s)| f64::from(*s));
        // Below this a routed feature had no word of the question, only a faint likeness:
        // better to say nothing matches than to answer about it.
        if followed != Some(i) && route_score < MIN_ROUTE_SCORE {
            return Err(ElexError::FeatureNotFound(
                format!(
                    "no feature of this swarm matches the question (the closest, {} ({}), scores {:.2})",
                    self.features[i].name, self.features[i].faj_code, route_score
                )
                .into(),
            ));
        }
        let own_whole = self.router.ids(tokens.iter().filter(|(t, w)| *w >= 1.0 && t.whole).map(|(t, _)| t));
        let own_ids = self.router.ids(tokens.iter().filter(|(_, w)| *w >= 1.0).map(|(t, _)| t));
        let keys = self.router.keys(i);
        let matched_counter = keys.counters.iter().any(|k| own_whole.contains(&k.whole));
        let matched_parameter = keys.parameters.iter().any(|k| own_whole.contains(&k.whole));
        let query_type = state::classify(&input.text, matched_parameter, matched_counter);
        let m = self.matches(i, &tokens, query_type);
        let content = tokens.iter().filter(|(t, w)| t.whole && *w >= 1.0).count();
        // Facts the question itself named (not the summary `matches` falls back to).
        let facts_named =
            keys.parameters.iter().chain(&keys.counters).filter(|k| k.named_by(&own_ids)).count();
        let agent_state = AgentState {
            query_type,
            complexity: state::complexity(content, facts_named),
            confidence: state::confidence_bucket(route_score),
            context: state::context_hash(input.context.keys().map(String::as_str)),
        };
        let packed = agent_state.pack();
        self.agents[i].begin()?;
        let action = self.agents[i].choose(packed);
        let learned = self.agents[i].learned_confidence(packed);
        let mut confidence = 0.5 * route_score + 0.5 * learned;
        if self.agents[i].is_cold() {
            confidence = confidence.min(crate::agent::feature_agent::COLD_CONFIDENCE_CAP);
        }
        let node = input.context.get("node").map(String::as_str);
        let cell = input.context.get("cell").map(String::as_str);
        let read = node.unwrap_or("*");
        let write_scope = match (node, cell) {
            (Some(n), Some(c)) => format!("{n} {c}"),
            (Some(n), None) => n.to_owned(),
            (None, Some(c)) => c.to_owned(),
            (None, None) => "<node>".to_owned(),
        };
        let candidates: Vec<(usize, f32)> = routed.ranked.iter().map(|(f, s)| (*f as usize, *s)).collect();
        let composed = {
            let peer_matches = |p: usize| self.matches(p, &tokens, query_type);
            compose(
                &self.knowledge(),
                i,
                &m,
                query_type,
                action,
                &candidates,
                confidence,
                &Scope { read, write: &write_scope },
                &peer_matches,
            )
        };
        self.sequence += 1;
        let key = crate::agent::text::fnv1a(&self.sequence.to_le_bytes()) ^ u64::from(self.cfg.seed);
        let query_id = format!("q{key:016x}");
        self.pending.put(key, Pending { feature: i, state: packed, action });
        if let Some(s) = session {
            self.sessions.put(s.clone(), i);
        }
        let latency_us = (now_us() - started).max(0.0);
        self.agents[i].end(latency_us, confidence);
        self.queries += 1;
        self.latency_sum_us += latency_us;
        let f = &self.features[i];
        Ok(QueryResponse {
            query_id,
            agent_id: self.agents[i].agent_id.clone(),
            faj_code: f.faj_code.clone(),
            feature_name: f.name.clone(),
            query_type,
            complexity: agent_state.complexity,
            action,
            confidence,
            status: self.agents[i].status(),
            answer: composed.answer,
            matches: m,
            commands: composed.commands,
            consulted: composed.consulted,
            candidates: candidates
                .iter()
                .map(|&(c, score)| Candidate {
                    faj_code: self.features[c].faj_code.clone(),
                    name: self.features[c].name.clone(),
                    score,
                })
                .collect(),
            latency_us,
        })
    }

    /// Trains the agent that answered `query_id` with a reward in -1..=1.
    pub fn feedback(&mut self, query_id: &str, reward: f64) -> Result<()> {
        if !(-1.0..=1.0).contains(&reward) {
            return Err(ElexError::InvalidReward(crate::error::expected(
                "reward",
                "a number in -1..=1",
                &reward,
            )));
        }
        let key = query_key(query_id);
        let Some(p) = key.and_then(|k| self.pending.get(&k)).copied() else {
            return Err(ElexError::UnknownQuery(
                format!(
                    "{query_id:?} is not a recent query of this swarm (unknown, already rated, or evicted)"
                )
                .into(),
            ));
        };
        let key = key.unwrap_or_default();
        if !self.live[p.feature] {
            self.pending.take(&key);
            return Err(ElexError::AgentNotFound(
                format!("the agent that answered {query_id} was removed").into(),
            ));
        }
        self.agents[p.feature].feedback(p.state, p.action, reward)?;
        self.pending.take(&key);
        self.feedback += 1;
        Ok(())
    }

    fn info(&self, i: usize) -> AgentInfo {
        let (f, a) = (&self.features[i], &self.agents[i]);
        AgentInfo {
            agent_id: a.agent_id.clone(),
            faj_code: f.faj_code.clone(),
            name: f.name.clone(),
            acronym: f.acronym.clone(),
            category: f.category.clone(),
            status: a.status(),
            confidence: a.stats.confidence,
            interactions: a.stats.interactions,
            success_rate: a.success_rate(),
            avg_latency_us: if a.stats.interactions == 0 {
                0.0
            } else {
                a.stats.latency_sum_us / a.stats.interactions as f64
            },
            peak_latency_us: a.stats.peak_latency_us,
            memory_bytes: a.memory_bytes(),
        }
    }

    pub fn agent(&self, id_or_code: &str) -> Result<AgentInfo> {
        Ok(self.info(self.index_of(id_or_code)?))
    }

    pub fn agents(&self) -> Vec<AgentInfo> {
        (0..self.agents.len()).filter(|&i| self.live[i]).map(|i| self.info(i)).collect()
    }

    /// A new agent at run time, validated like the catalog.
    pub fn add_feature(&mut self, spec: FeatureSpec) -> Result<AgentInfo> {
        catalog::check_faj_code(&spec.faj_code)?;
        if self.by_code.get(&spec.faj_code).is_some_and(|&i| self.live[i]) {
            return Err(ElexError::InvalidCatalog(
                format!("{} is already in the swarm", spec.faj_code).into(),
            ));
        }
        let known = |c: &str| self.by_code.get(c).is_some_and(|&i| self.live[i]);
        catalog::validate_feature(self.features.len(), &spec, &known)?;
        let mut features = self.features.clone();
        features.push(spec.clone());
        let deps = Dependencies::build(&features)?;
        // Checked: from here nothing fails that would leave the swarm half-changed, except
        // the index insert, which checks its batch whole before adding anything.
        self.router.add_features(self.features.len() as u32, std::slice::from_ref(&spec))?;
        self.features.push(spec.clone());
        self.live.push(true);
        self.deps = deps;
        let i = self.register(spec)?;
        Ok(self.info(i))
    }

    /// Removes a feature and its agent; links to it from other features are dropped.
    pub fn remove_feature(&mut self, faj: &str) -> bool {
        let Some(i) = self.by_code.get(faj).copied().filter(|&i| self.live[i]) else { return false };
        self.live[i] = false;
        self.router.remove_feature(i as u32);
        let code = self.features[i].faj_code.clone();
        for f in &mut self.features {
            f.depends_on.retain(|c| c != &code);
            f.conflicts_with.retain(|c| c != &code);
            f.related_to.retain(|c| c != &code);
        }
        let removed = &mut self.features[i];
        removed.depends_on.clear();
        removed.conflicts_with.clear();
        removed.related_to.clear();
        // Removing links cannot create a cycle.
        self.deps = Dependencies::build(&self.features).unwrap_or_default();
        self.agents[i].shutdown();
        true
    }

    fn parameter_of(&self, i: usize, name: &str) -> Result<&catalog::ParameterSpec> {
        let f = &self.features[i];
        f.parameter(name).ok_or_else(|| {
            ElexError::invalid_argument(format!("{name} is not a parameter of {} ({})", f.faj_code, f.name))
        })
    }

    pub fn validate(&self, faj: &str, values: &BTreeMap<String, Value>) -> Result<Vec<Validation>> {
        let i = self.feature_of(faj)?;
        values.iter().map(|(name, v)| Ok(plan::check_value(self.parameter_of(i, name)?, v))).collect()
    }

    /// The operator's safe zone for a parameter: the options' (by full name, then by
    /// attribute) laid over the catalog's.
    fn safe_zone(&self, p: &catalog::ParameterSpec) -> Option<SafeZone> {
        let over = self.cfg.safe_zones.get(&p.name).or_else(|| self.cfg.safe_zones.get(p.attribute()));
        match (p.safe, over) {
            (None, None) => None,
            (Some(a), None) => Some(a),
            (None, Some(b)) => Some(*b),
            (Some(a), Some(b)) => Some(SafeZone {
                min: b.min.or(a.min),
                max: b.max.or(a.max),
                max_step: b.max_step.or(a.max_step),
                max_change_percent: b.max_change_percent.or(a.max_change_percent),
            }),
        }
    }

    pub fn plan(&self, faj: &str, changes: &BTreeMap<String, Value>, o: &PlanOptions) -> Result<ChangePlan> {
        let i = self.feature_of(faj)?;
        let scope = o.scope.as_deref().unwrap_or("<node>");
        let active: Vec<&str> = o.active_features.iter().map(String::as_str).collect();
        let mut planned = Vec::new();
        for (name, to) in changes {
            let p = self.parameter_of(i, name)?;
            let from = o
                .current
                .get(name)
                .or_else(|| o.current.get(&p.name))
                .or_else(|| o.current.get(p.attribute()));
            let check = plan::check_value(p, to);
            let command = plan::set_command(scope, p, to);
            let change = if !check.valid {
                PlannedChange {
                    parameter: p.name.clone(),
                    from: from.cloned(),
                    to: to.clone(),
                    allowed: false,
                    risk: Risk::High,
                    reason: format!("blocked: {}", check.reason.unwrap_or_default()),
                    command,
                }
            } else {
                let (risk, reason) = plan::risk_of(p, self.safe_zone(p).as_ref(), from, to);
                PlannedChange {
                    parameter: p.name.clone(),
                    from: from.cloned(),
                    to: to.clone(),
                    allowed: true,
                    risk,
                    reason,
                    command,
                }
            };
            planned.push(change);
        }
        let activate_first: Vec<usize> = self
            .deps
            .activation_order(i)
            .into_iter()
            .filter(|&p| self.live[p] && !active.contains(&self.features[p].faj_code.as_str()))
            .collect();
        let conflicts: Vec<String> = self
            .deps
            .conflicts(i)
            .iter()
            .filter(|&&c| self.live[c] && active.contains(&self.features[c].faj_code.as_str()))
            .map(|&c| self.features[c].faj_code.clone())
            .collect();
        let mut commands = Vec::new();
        let self_active = active.contains(&faj);
        for p in activate_first.iter().copied().chain((!self_active).then_some(i)) {
            if let Some(c) = plan::activate_command(scope, &self.features[p]) {
                commands.push(c);
            }
        }
        commands.extend(planned.iter().filter(|c| c.allowed).map(|c| c.command.clone()));
        let mut risk = planned.iter().map(|c| c.risk).max().unwrap_or(Risk::Low);
        if !conflicts.is_empty() {
            risk = Risk::High;
        } else if !activate_first.is_empty() && risk == Risk::Low {
            risk = Risk::Medium;
        }
        Ok(ChangePlan {
            faj_code: self.features[i].faj_code.clone(),
            changes: planned,
            activate_first: activate_first.iter().map(|&p| self.features[p].faj_code.clone()).collect(),
            conflicts,
            commands,
            risk,
        })
    }

    pub fn evaluate_kpis(&self, faj: &str, counters: &BTreeMap<String, f64>) -> Result<Vec<KpiValue>> {
        if let Some((name, _)) = counters.iter().find(|(_, v)| !v.is_finite()) {
            return Err(ElexError::bad_argument(
                format!("counters[{name:?}]"),
                "a finite number",
                &counters[name],
            ));
        }
        Ok(plan::evaluate_kpis(&self.features[self.feature_of(faj)?], counters))
    }

    fn codes(&self, list: impl IntoIterator<Item = usize>) -> Vec<String> {
        list.into_iter().filter(|&p| self.live[p]).map(|p| self.features[p].faj_code.clone()).collect()
    }

    pub fn dependencies(&self, faj: &str) -> Result<Vec<String>> {
        Ok(self.codes(self.deps.activation_order(self.feature_of(faj)?)))
    }

    pub fn conflicts(&self, faj: &str) -> Result<Vec<String>> {
        Ok(self.codes(self.deps.conflicts(self.feature_of(faj)?).iter().copied()))
    }

    pub fn peers(&self, faj: &str) -> Result<Vec<String>> {
        Ok(self.codes(self.deps.peers(self.feature_of(faj)?)))
    }

    pub fn shutdown(&mut self, id_or_code: &str) -> Result<()> {
        let i = self.index_of(id_or_code)?;
        self.agents[i].shutdown();
        Ok(())
    }

    /// Federated: every agent's Q-table merged with the same feature's in `other`.
    pub fn merge(&mut self, other: &Swarm) -> Result<()> {
        self.merge_tables(other.tables())
    }

    /// The learned tables of the live agents, by FAJ code (what `merge` takes from a peer).
    pub fn tables(&self) -> Vec<(String, QTable)> {
        self.table_refs().map(|(faj, t)| (faj.to_owned(), t.clone())).collect()
    }

    /// The live agents' own tables by FAJ code, borrowed (what a cluster node reads each tick).
    pub fn table_refs(&self) -> impl Iterator<Item = (&str, &QTable)> {
        self.agents
            .iter()
            .enumerate()
            .filter(|(j, _)| self.live[*j])
            .filter_map(|(j, a)| a.table().map(|t| (self.features[j].faj_code.as_str(), t)))
    }

    /// Merges tables by FAJ code; codes this swarm does not have are skipped.
    pub fn merge_tables(&mut self, tables: Vec<(String, QTable)>) -> Result<()> {
        let mut merged = Vec::new();
        for (code, table) in tables {
            let Some(i) = self.by_code.get(&code).copied().filter(|&i| self.live[i]) else { continue };
            let mut mine = self.agents[i].table().cloned().unwrap_or_else(|| QTable::new(self.cfg.qlearning));
            mine.merge(&table)?;
            merged.push((i, mine));
        }
        // All merges succeeded: apply them (a failure above changed nothing).
        for (i, t) in merged {
            self.agents[i].set_table(Some(t));
        }
        Ok(())
    }

    /// What an agent has learned, per readable state (in the order of the packed states, the
    /// same on every node): its own table's rows, with what other nodes learned added where
    /// they did, and the states only they visited.
    pub fn learned(&self, faj: &str) -> Result<Vec<Learned>> {
        let agent = &self.agents[self.feature_of(faj)?];
        let mut rows: BTreeMap<u32, (Vec<f32>, Vec<u32>)> = BTreeMap::new();
        for (s, q, v) in agent.table().into_iter().flat_map(|t| t.rows()) {
            if let State::Num(n) = s {
                rows.insert(n, (q.to_vec(), v.to_vec()));
            }
        }
        for n in agent.others().states() {
            rows.insert(n, (Vec::new(), Vec::new()));
        }
        Ok(rows
            .into_iter()
            .filter_map(|(n, own)| {
                let (q_values, visits) = agent.view(n).map_or(own, |(q, v)| {
                    (q.to_vec(), v.iter().map(|x| u32::try_from(*x).unwrap_or(u32::MAX)).collect())
                });
                AgentState::unpack(n).map(|st| Learned { state: st.readable(), q_values, visits })
            })
            .collect())
    }

    /// Restores an agent's own table from the slots its peers kept of this node's learning
    /// (a restarted cluster node): rows of (state, action, q, n), each taken where it has more
    /// visits than the table. Returns how many entries changed.
    pub fn restore_own(&mut self, faj: &str, rows: &[(u32, u8, f32, u32)]) -> Result<usize> {
        let i = self.feature_of(faj)?;
        let mut table = self.agents[i].table().cloned().unwrap_or_else(|| QTable::new(self.cfg.qlearning));
        let mut changed = 0;
        for &(state, action, q, n) in rows {
            changed += usize::from(table.restore_entry(State::Num(state), usize::from(action), q, n)?);
        }
        if changed > 0 {
            self.agents[i].set_table(Some(table));
        }
        Ok(changed)
    }

    /// Lays what other nodes learned over an agent's own table (the cluster's learned state
    /// without this node's slots): rows of (state, action, Σ q·n, Σ n).
    pub fn set_others(&mut self, faj: &str, rows: &[(u32, u8, f64, u64)]) -> Result<()> {
        let i = self.feature_of(faj)?;
        self.agents[i].set_others(crate::agent::others::Others::from_rows(rows));
        Ok(())
    }

    pub fn stats(&self) -> SwarmStats {
        let mut by_status = BTreeMap::new();
        for s in STATUSES {
            by_status.insert(format!("{s:?}"), 0usize);
        }
        for (a, _) in self.agents.iter().zip(&self.live).filter(|(_, l)| **l) {
            *by_status.entry(format!("{:?}", a.status())).or_default() += 1;
        }
        SwarmStats {
            agents: self.size(),
            by_status,
            queries: self.queries,
            feedback: self.feedback,
            avg_latency_us: if self.queries == 0 { 0.0 } else { self.latency_sum_us / self.queries as f64 },
            memory_bytes: self.memory_bytes(),
            index_items: self.router.items(),
        }
    }

    /// Bytes held: catalog, agents, router and index.
    pub fn memory_bytes(&self) -> usize {
        let agents: usize = self.agents.iter().map(FeatureAgent::memory_bytes).sum();
        std::mem::size_of::<Self>()
            + self.features.heap()
            + self.live.heap()
            + self.by_code.heap()
            + self.by_agent.heap()
            + self.agents.capacity() * std::mem::size_of::<FeatureAgent>()
            + agents
            + self.router.memory_bytes()
            + self.vocabulary.heap()
            + self.vocabulary_terms.heap()
            + self.pending.heap()
            + self.sessions.heap()
    }

    // ---- what persist.rs needs ----

    pub(crate) fn all_agents(&self) -> &[FeatureAgent] {
        &self.agents
    }

    pub(crate) fn agent_mut(&mut self, faj: &str) -> Option<&mut FeatureAgent> {
        let i = *self.by_code.get(faj)?;
        Some(&mut self.agents[i])
    }

    pub(crate) fn is_live(&self, i: usize) -> bool {
        self.live[i]
    }

    pub(crate) fn counters(&self) -> (u64, u64, f64, u64) {
        (self.queries, self.feedback, self.latency_sum_us, self.sequence)
    }

    pub(crate) fn set_counters(&mut self, (q, f, l, s): (u64, u64, f64, u64)) {
        self.queries = q;
        self.feedback = f;
        self.latency_sum_us = l;
        self.sequence = s;
    }
}

impl<K: HeapSize, V: HeapSize> HeapSize for Recent<K, V> {
    fn heap(&self) -> usize {
        self.map.heap() + self.order.heap()
    }
}

impl HeapSize for Pending {
    fn heap(&self) -> usize {
        0
    }
}
