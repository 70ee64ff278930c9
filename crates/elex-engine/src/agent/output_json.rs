//! The swarm's answers as JSON, in the shapes API.md gives them (camelCase members; optional
//! members left out when there is nothing to say).

use crate::agent::answer::{Command, Matches};
use crate::agent::feature_agent::{Action, AgentStatus};
use crate::agent::plan::{KpiValue, PlannedChange, Risk, Validation};
use crate::agent::state::{Complexity, QueryType};
use crate::agent::swarm::{AgentInfo, Candidate, ChangePlan, Learned, QueryResponse, RouteHit, SwarmStats};
use crate::json::{Object, ToJson};
use crate::json_names;

json_names!(Risk { Low => "LOW", Medium => "MEDIUM", High => "HIGH" });
json_names!(AgentStatus {
    Initializing => "Initializing", ColdStart => "ColdStart", Ready => "Ready", Busy => "Busy",
    Degraded => "Degraded", Offline => "Offline"
});
json_names!(Action {
    DirectAnswer => "DirectAnswer", ContextAnswer => "ContextAnswer", ConsultPeer => "ConsultPeer",
    RequestClarification => "RequestClarification", Escalate => "Escalate"
});
json_names!(QueryType {
    Parameter => "parameter", Counter => "counter", Kpi => "kpi", Procedure => "procedure",
    Troubleshoot => "troubleshoot", General => "general"
});
json_names!(Complexity { Simple => "simple", Moderate => "moderate", Complex => "complex" });

impl ToJson for Command {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("command", &self.command)
            .field("purpose", &self.purpose)
            .field("risk", &self.risk)
            .end();
    }
}

impl ToJson for Matches {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("parameters", &self.parameters)
            .field("counters", &self.counters)
            .field("kpis", &self.kpis)
            .end();
    }
}

impl ToJson for Candidate {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("fajCode", &self.faj_code)
            .field("name", &self.name)
            .field("score", &self.score)
            .end();
    }
}

impl ToJson for RouteHit {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("fajCode", &self.faj_code)
            .field("agentId", &self.agent_id)
            .field("name", &self.name)
            .field("score", &self.score)
            .end();
    }
}

impl ToJson for QueryResponse {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("queryId", &self.query_id)
            .field("agentId", &self.agent_id)
            .field("fajCode", &self.faj_code)
            .field("featureName", &self.feature_name)
            .field("queryType", &self.query_type)
            .field("complexity", &self.complexity)
            .field("action", &self.action)
            .field("confidence", &self.confidence)
            .field("status", &self.status)
            .field("answer", &self.answer)
            .field("matches", &self.matches)
            .field("commands", &self.commands)
            .field("consulted", &self.consulted)
            .field("candidates", &self.candidates)
            .field("latencyUs", &self.latency_us)
            .end();
    }
}

impl ToJson for AgentInfo {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("agentId", &self.agent_id)
            .field("fajCode", &self.faj_code)
            .field("name", &self.name)
            .some("acronym", &self.acronym)
            .field("category", &self.category)
            .field("status", &self.status)
            .field("confidence", &self.confidence)
            .field("interactions", &self.interactions)
            .field("successRate", &self.success_rate)
            .field("avgLatencyUs", &self.avg_latency_us)
            .field("peakLatencyUs", &self.peak_latency_us)
            .field("memoryBytes", &self.memory_bytes)
            .end();
    }
}

impl ToJson for Validation {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("name", &self.name)
            .field("valid", &self.valid)
            .field("known", &self.known)
            .some("reason", &self.reason)
            .end();
    }
}

impl ToJson for PlannedChange {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("parameter", &self.parameter)
            .some("from", &self.from)
            .field("to", &self.to)
            .field("allowed", &self.allowed)
            .field("risk", &self.risk)
            .field("reason", &self.reason)
            .field("command", &self.command)
            .end();
    }
}

impl ToJson for ChangePlan {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("fajCode", &self.faj_code)
            .field("changes", &self.changes)
            .field("activateFirst", &self.activate_first)
            .field("conflicts", &self.conflicts)
            .field("commands", &self.commands)
            .field("risk", &self.risk)
            .end();
    }
}

impl ToJson for KpiValue {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("name", &self.name)
            .field("value", &self.value)
            .field("breached", &self.breached)
            .some("reason", &self.reason)
            .some("threshold", &self.threshold)
            .some("unit", &self.unit)
            .field("formula", &self.formula)
            .end();
    }
}

impl ToJson for Learned {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("state", &self.state)
            .field("qValues", &self.q_values)
            .field("visits", &self.visits)
            .end();
    }
}

impl ToJson for SwarmStats {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("agents", &self.agents)
            .field("byStatus", &self.by_status)
            .field("queries", &self.queries)
            .field("feedback", &self.feedback)
            .field("avgLatencyUs", &self.avg_latency_us)
            .field("memoryBytes", &self.memory_bytes)
            .field("indexItems", &self.index_items)
            .end();
    }
}
