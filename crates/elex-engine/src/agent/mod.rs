//! Feature agents and the swarm: the catalog and its validation, the RAN vocabulary, the
//! text embedder, the router, one self-learning agent per feature, their answers, change
//! plans with risk labels, KPI formulas, and the swarm that ties them together.
//!
//! Files: `catalog.rs` (FeatureSpec and validation), `deps.rs` (prerequisites, conflicts,
//! peers), `formula.rs` (KPI expressions), `text.rs` (tokens), `vocab.rs` (expansions),
//! `embed.rs` (hashed embeddings), `router.rs` (lexical + semantic routing), `state.rs`
//! (query type, complexity, packed state), `feature_agent.rs` (lifecycle, Q-table),
//! `answer.rs` (the five actions' answers), `plan.rs` (validation, risk, cmedit, KPIs),
//! `swarm.rs` (the Swarm), `persist.rs` (its snapshot).

pub mod answer;
pub mod catalog;
mod catalog_json;
pub mod deps;
pub mod embed;
pub mod feature_agent;
pub mod formula;
pub mod heap;
pub mod others;
mod output_json;
mod persist;
pub mod plan;
pub mod router;
pub mod state;
pub mod swarm;
#[cfg(test)]
mod tests;
pub mod text;
pub mod vocab;

pub use catalog::{parse_catalog, validate, FeatureSpec, VocabTerm};
pub use swarm::{QueryInput, Swarm, SwarmConfig};
