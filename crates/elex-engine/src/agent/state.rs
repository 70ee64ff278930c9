//! What an agent sees of a question: its type, its complexity, the agent's confidence
//! bucket and a hash of the context's keys, packed into one u32 state of its Q-table
//! (no bit lost, the same on every target) and readable as `parameter|simple|conf3|ctx:1f2e`.

use crate::agent::text::fnv1a;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryType {
    Parameter,
    Counter,
    Kpi,
    Procedure,
    Troubleshoot,
    General,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Complexity {
    Simple,
    Moderate,
    Complex,
}

pub const QUERY_TYPES: [QueryType; 6] = [
    QueryType::Parameter,
    QueryType::Counter,
    QueryType::Kpi,
    QueryType::Procedure,
    QueryType::Troubleshoot,
    QueryType::General,
];

impl QueryType {
    pub fn name(self) -> &'static str {
        match self {
            QueryType::Parameter => "parameter",
            QueryType::Counter => "counter",
            QueryType::Kpi => "kpi",
            QueryType::Procedure => "procedure",
            QueryType::Troubleshoot => "troubleshoot",
            QueryType::General => "general",
        }
    }
}

impl Complexity {
    pub fn name(self) -> &'static str {
        match self {
            Complexity::Simple => "simple",
            Complexity::Moderate => "moderate",
            Complexity::Complex => "complex",
        }
    }
}

const TROUBLE: &[&str] = &[
    "drop",
    "dropped",
    "dropping",
    "drops",
    "low",
    "lower",
    "high",
    "higher",
    "fail",
    "fails",
    "failed",
    "failing",
    "failure",
    "failures",
    "degraded",
    "degradation",
    "problem",
    "problems",
    "issue",
    "issues",
    "poor",
    "bad",
    "worse",
    "worst",
    "increase",
    "increased",
    "decrease",
    "decreased",
    "alarm",
    "alarms",
    "broken",
    "stuck",
    "slow",
    "spike",
    "spikes",
    "loss",
    "lost",
    "why",
    "troubleshoot",
    "unstable",
    "ping",
    "pong",
    "congestion",
    "congested",
    "blocked",
];
const PROCEDURE: &[&str] = &[
    "activate",
    "activated",
    "activation",
    "enable",
    "enabled",
    "disable",
    "deactivate",
    "deactivation",
    "switch",
    "turn",
    "install",
    "licence",
    "license",
    "licensed",
    "steps",
    "procedure",
    "rollout",
    "deploy",
    "setup",
    "prerequisite",
    "prerequisites",
    "configure",
    "configuration",
    "introduce",
    "trial",
];
const KPI: &[&str] = &[
    "kpi",
    "kpis",
    "rate",
    "ratio",
    "success",
    "throughput",
    "availability",
    "accessibility",
    "retainability",
    "utilisation",
    "utilization",
    "integrity",
    "latency",
    "percentage",
    "formula",
    "measure",
];
const COUNTER: &[&str] =
    &["counter", "counters", "pm", "pmcounter", "count", "counts", "counted", "increments", "stepped"];
const PARAMETER: &[&str] = &[
    "parameter",
    "parameters",
    "attribute",
    "value",
    "values",
    "range",
    "default",
    "set",
    "setting",
    "settings",
    "threshold",
    "offset",
    "timer",
    "hysteresis",
    "tune",
    "tuning",
    "change",
];

/// What a question's words and the facts it named say about its type.
pub fn classify(text: &str, named_parameter: bool, named_counter: bool) -> QueryType {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if named_counter || has(COUNTER) && !has(TROUBLE) {
        return QueryType::Counter;
    }
    if has(TROUBLE) {
        return QueryType::Troubleshoot;
    }
    if has(PROCEDURE) || lower.contains("how do i") || lower.contains("how to") {
        return QueryType::Procedure;
    }
    if has(KPI) {
        return QueryType::Kpi;
    }
    if named_parameter || has(PARAMETER) {
        return QueryType::Parameter;
    }
    QueryType::General
}

/// Simple: a short question about one fact; complex: long, or about several facts.
pub fn complexity(content_words: usize, facts_named: usize) -> Complexity {
    if content_words > 18 || facts_named >= 3 {
        Complexity::Complex
    } else if content_words <= 8 && facts_named <= 1 {
        Complexity::Simple
    } else {
        Complexity::Moderate
    }
}

/// 0..=4 from a confidence in 0..=1.
pub fn confidence_bucket(confidence: f64) -> u32 {
    ((confidence.clamp(0.0, 1.0) * 5.0) as u32).min(4)
}

/// A 16-bit hash of the context's keys (not values, and not `session`): states generalise
/// over nodes and cells, but a question asked with a cell differs from one without.
pub fn context_hash<'a>(keys: impl Iterator<Item = &'a str>) -> u32 {
    let mut keys: Vec<&str> = keys.filter(|k| *k != "session").collect();
    if keys.is_empty() {
        return 0;
    }
    keys.sort_unstable();
    (fnv1a(keys.join("\u{1f}").as_bytes()) & 0xffff) as u32
}

/// The packed state: type (3 bits) | complexity (2) | confidence bucket (3) | context (16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentState {
    pub query_type: QueryType,
    pub complexity: Complexity,
    pub confidence: u32,
    pub context: u32,
}

impl AgentState {
    pub fn pack(self) -> u32 {
        let t = QUERY_TYPES.iter().position(|q| *q == self.query_type).unwrap_or(5) as u32;
        let c = self.complexity as u32;
        (t << 21) | (c << 19) | ((self.confidence & 7) << 16) | (self.context & 0xffff)
    }

    pub fn unpack(packed: u32) -> Option<Self> {
        let query_type = *QUERY_TYPES.get((packed >> 21) as usize)?;
        let complexity = match (packed >> 19) & 3 {
            0 => Complexity::Simple,
            1 => Complexity::Moderate,
            2 => Complexity::Complex,
            _ => return None,
        };
        Some(AgentState { query_type, complexity, confidence: (packed >> 16) & 7, context: packed & 0xffff })
    }

    /// `parameter|simple|conf3|ctx:1f2e`.
    pub fn readable(self) -> String {
        format!(
            "{}|{}|conf{}|ctx:{:04x}",
            self.query_type.name(),
            self.complexity.name(),
            self.confidence,
            self.context
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_loses_nothing() {
        for t in QUERY_TYPES {
            for c in [Complexity::Simple, Complexity::Moderate, Complexity::Complex] {
                for conf in 0..5 {
                    let s = AgentState { query_type: t, complexity: c, confidence: conf, context: 0xbeef };
                    assert_eq!(AgentState::unpack(s.pack()), Some(s));
                }
            }
        }
        let s = AgentState {
            query_type: QueryType::Parameter,
            complexity: Complexity::Simple,
            confidence: 3,
            context: 0x1f2e,
        };
        assert_eq!(s.readable(), "parameter|simple|conf3|ctx:1f2e");
    }

    #[test]
    fn question_types() {
        assert_eq!(classify("How do I activate MSM?", false, false), QueryType::Procedure);
        assert_eq!(classify("what does pmHoPrepSucc count?", false, true), QueryType::Counter);
        assert_eq!(
            classify("handover success dropped after the last change", false, false),
            QueryType::Troubleshoot
        );
        assert_eq!(classify("what is the HO success rate KPI", false, false), QueryType::Kpi);
        assert_eq!(classify("range of sleepStartTime", true, false), QueryType::Parameter);
        assert_eq!(classify("tell me about MIMO Sleep Mode", false, false), QueryType::General);
        assert_eq!(context_hash(["session", "node"].into_iter()), context_hash(["node"].into_iter()));
        assert_eq!(context_hash(["session"].into_iter()), 0);
    }
}
