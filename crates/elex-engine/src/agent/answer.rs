//! Answers, composed from the agent's own knowledge: the matched facts of its feature, and
//! for the richer actions its neighbours' facts. Nothing here is a canned sentence: every
//! line names a parameter, counter, KPI or feature of the catalog.

use crate::agent::catalog::{Direction, FeatureSpec, ParameterSpec, Relation};
use crate::agent::deps::Dependencies;
use crate::agent::feature_agent::Action;
use crate::agent::plan::{activate_command, describe_parameter, get_command, Risk};
use crate::agent::state::QueryType;

/// At most this many facts of one kind are listed when the question named none.
const SUMMARY: usize = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    pub command: String,
    pub purpose: String,
    pub risk: Risk,
}

/// The facts of the chosen feature that the question named (or, if none, its main ones).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matches {
    pub parameters: Vec<String>,
    pub counters: Vec<String>,
    pub kpis: Vec<String>,
}

/// What the answer builders read: the catalog, its graph, which features are live.
pub struct Knowledge<'a> {
    pub features: &'a [FeatureSpec],
    pub deps: &'a Dependencies,
    pub live: &'a [bool],
}

pub struct Composed {
    pub answer: String,
    pub commands: Vec<Command>,
    pub consulted: Vec<String>,
}

/// Scopes for commands: reads may use `*` (every node); writes need a named scope.
pub struct Scope<'a> {
    pub read: &'a str,
    pub write: &'a str,
}

impl Knowledge<'_> {
    fn live(&self, list: &[usize]) -> Vec<usize> {
        list.iter().copied().filter(|&i| self.live[i]).collect()
    }

    fn title(&self, i: usize) -> String {
        self.features[i].title()
    }

    /// Prerequisites in activation order, as "Name (ACR, FAJ …)".
    fn prerequisites(&self, i: usize) -> Vec<usize> {
        self.live(&self.deps.activation_order(i))
    }
}

fn parameter_line(p: &ParameterSpec) -> String {
    let relation = p.relation.map_or(String::new(), |r| format!(" ({r:?})"));
    format!("- {}{relation}", describe_parameter(p))
}

/// The facts block of feature `i` for `m` (the matched facts).
fn facts(k: &Knowledge<'_>, i: usize, m: &Matches, query: QueryType) -> Vec<String> {
    let f = &k.features[i];
    let mut lines = Vec::new();
    let mut head = format!("{} — {}", f.title(), f.category);
    if let Some(t) = f.technology {
        head.push_str(", ");
        head.push_str(t.name());
    }
    if let Some(l) = f.licensed {
        head.push_str(if l { ", licensed" } else { ", no licence needed" });
    }
    if let Some(c) = &f.cxc {
        head.push_str(&format!(", licence key {c}"));
    }
    lines.push(head + ".");
    if let Some(d) = &f.description {
        lines.push(d.clone());
    }
    let params: Vec<&ParameterSpec> = m.parameters.iter().filter_map(|n| f.parameter(n)).collect();
    if !params.is_empty() {
        lines.push("Parameters:".into());
        lines.extend(params.iter().map(|p| parameter_line(p)));
    }
    if !m.counters.is_empty() {
        lines.push(format!("Counters: {}.", m.counters.join(", ")));
    }
    for name in &m.kpis {
        if let Some(kpi) = f.kpis.iter().find(|x| &x.name == name) {
            let threshold = match (kpi.threshold, kpi.direction) {
                (Some(t), Some(d)) => {
                    let sign = if d == Direction::HigherIsBetter { ">=" } else { "<=" };
                    let unit = kpi.unit.as_deref().map_or(String::new(), |u| format!(" {u}"));
                    format!(" (target {sign} {}{unit})", crate::error::Shown::shown(&t))
                }
                _ => String::new(),
            };
            lines.push(format!("KPI {} = {}{threshold}", kpi.name, kpi.formula));
        }
    }
    let prereqs = k.prerequisites(i);
    if !prereqs.is_empty()
        && (query == QueryType::Procedure || query == QueryType::General || query == QueryType::Troubleshoot)
    {
        let names: Vec<String> = prereqs.iter().map(|&p| k.title(p)).collect();
        lines.push(format!("Activate first, in this order: {}.", names.join(", ")));
    }
    let conflicts = k.live(k.deps.conflicts(i));
    if !conflicts.is_empty() {
        let names: Vec<String> = conflicts.iter().map(|&c| k.title(c)).collect();
        lines.push(format!("Must not be active together with: {}.", names.join(", ")));
    }
    lines
}

/// Commands that read what the answer is about and, for procedures, activate the feature
/// and its prerequisites in order.
pub fn commands(
    k: &Knowledge<'_>, i: usize, m: &Matches, query: QueryType, scope: &Scope<'_>,
) -> Vec<Command> {
    let f = &k.features[i];
    let mut out = Vec::new();
    for p in &m.parameters {
        out.push(Command {
            command: get_command(scope.read, p),
            purpose: format!("read the current {p}"),
            risk: Risk::Low,
        });
    }
    if let Some(cxc) = &f.cxc {
        out.push(Command {
            command: format!("cmedit get {} FeatureState={cxc} featureState,licenseState", scope.read),
            purpose: format!("check whether {} is licensed and active", f.name),
            risk: Risk::Low,
        });
    }
    if query == QueryType::Procedure {
        for p in k.prerequisites(i).into_iter().chain(std::iter::once(i)) {
            if let Some(command) = activate_command(scope.write, &k.features[p]) {
                let what = if p == i {
                    format!("activate {}", k.features[p].name)
                } else {
                    format!("activate the prerequisite {}", k.features[p].name)
                };
                out.push(Command { command, purpose: what, risk: Risk::Medium });
            }
        }
    }
    out
}

/// The answer for `action`.
#[allow(clippy::too_many_arguments)]
pub fn compose(
    k: &Knowledge<'_>, i: usize, m: &Matches, query: QueryType, action: Action, candidates: &[(usize, f32)],
    confidence: f64, scope: &Scope<'_>, peer_matches: &dyn Fn(usize) -> Matches,
) -> Composed {
    let mut lines = facts(k, i, m, query);
    let mut consulted = Vec::new();
    let mut cmds = commands(k, i, m, query, scope);
    match action {
        Action::DirectAnswer => {}
        Action::ContextAnswer => lines.extend(context(k, i, m)),
        Action::ConsultPeer => {
            let peers = k.live(&k.deps.peers(i));
            if peers.is_empty() {
                lines.push(format!(
                    "{} has no prerequisite, dependent or related feature to consult.",
                    k.features[i].name
                ));
            }
            for p in peers.into_iter().take(4) {
                let pm = peer_matches(p);
                consulted.push(k.features[p].faj_code.clone());
                let mut said = facts(k, p, &pm, query);
                said[0] = format!("Consulted {}: {}", k.features[p].name, said[0]);
                lines.extend(said);
                cmds.extend(
                    commands(k, p, &pm, QueryType::General, scope)
                        .into_iter()
                        .filter(|c| c.risk == Risk::Low),
                );
            }
        }
        Action::RequestClarification => lines.extend(clarify(k, i, candidates)),
        Action::Escalate => lines.extend(escalate(k, i, m, confidence)),
    }
    Composed { answer: lines.join("\n"), commands: cmds, consulted }
}

/// Nearby knowledge: related features, other parameters of the same MO classes, and the
/// KPIs the feature's counters feed.
fn context(k: &Knowledge<'_>, i: usize, m: &Matches) -> Vec<String> {
    let f = &k.features[i];
    let mut lines = Vec::new();
    let related = k.live(&k.deps.peers(i));
    if !related.is_empty() {
        let names: Vec<String> = related.iter().take(SUMMARY).map(|&r| k.title(r)).collect();
        lines.push(format!("Related: {}.", names.join("; ")));
    }
    let classes: Vec<&str> =
        m.parameters.iter().filter_map(|n| f.parameter(n)).map(ParameterSpec::mo_class).collect();
    let mut same_class: Vec<String> = Vec::new();
    for p in &f.parameters {
        if classes.contains(&p.mo_class()) && !m.parameters.contains(&p.name) && same_class.len() < SUMMARY {
            same_class.push(p.name.clone());
        }
    }
    if !same_class.is_empty() {
        lines.push(format!("Also on {}: {}.", classes.first().copied().unwrap_or(""), same_class.join(", ")));
    }
    let unlisted: Vec<String> = f
        .kpis
        .iter()
        .filter(|x| !m.kpis.contains(&x.name))
        .take(SUMMARY)
        .map(|x| format!("{} = {}", x.name, x.formula))
        .collect();
    if !unlisted.is_empty() {
        lines.push(format!("Its counters also feed: {}.", unlisted.join("; ")));
    }
    if lines.is_empty() {
        lines.push(format!("{} has no related features or further KPIs in the catalog.", f.name));
    }
    lines
}

/// The closest alternatives and what tells them apart.
fn clarify(k: &Knowledge<'_>, i: usize, candidates: &[(usize, f32)]) -> Vec<String> {
    let others: Vec<usize> = candidates.iter().map(|(c, _)| *c).filter(|&c| c != i).take(3).collect();
    if others.is_empty() {
        return vec![format!("No other feature matched the question; is it about {}?", k.features[i].name)];
    }
    let mut lines = vec!["Which feature do you mean?".to_owned()];
    for c in std::iter::once(i).chain(others) {
        let f = &k.features[c];
        let own: Vec<&str> = f
            .parameters
            .iter()
            .filter(|p| p.relation == Some(Relation::Introduced))
            .take(2)
            .map(|p| p.name.as_str())
            .collect();
        let tells = if own.is_empty() {
            format!("{}, {} parameters", f.category, f.parameters.len())
        } else {
            format!("{}, introduces {}", f.category, own.join(", "))
        };
        lines.push(format!("- {}: {tells}", f.title()));
    }
    lines
}

/// Why the agent hands this to a person, and what to hand over.
fn escalate(k: &Knowledge<'_>, i: usize, m: &Matches, confidence: f64) -> Vec<String> {
    let f = &k.features[i];
    let mut why = Vec::new();
    if confidence < 0.5 {
        why.push(format!("confidence {confidence:.2} is low"));
    }
    let conflicts = k.live(k.deps.conflicts(i));
    if !conflicts.is_empty() {
        why.push(format!(
            "it conflicts with {}",
            conflicts.iter().map(|&c| k.features[c].faj_code.clone()).collect::<Vec<_>>().join(", ")
        ));
    }
    if m.parameters.iter().filter_map(|n| f.parameter(n)).any(|p| !p.range_known()) {
        why.push("no range is known for a parameter it is about".into());
    }
    if why.is_empty() {
        why.push("the agent's learning prefers a human review for questions like this".into());
    }
    vec![
        format!("Escalating: {}.", why.join("; ")),
        format!(
            "Hand over: {} ({}), the question, the parameters {} and the current values read by the commands below.",
            f.faj_code,
            f.name,
            if m.parameters.is_empty() { "(none named)".to_owned() } else { m.parameters.join(", ") }
        ),
    ]
}
