//! The swarm snapshot (kind `Swarm` of the shared format): its catalog and vocabulary as
//! JSON, its settings, and each agent's lifecycle, statistics, generator and Q-table. A
//! loaded swarm rebuilds its router from the catalog (same seed, same index), so it answers
//! and counts exactly as the saved one did. Recent queries awaiting feedback are not kept.

use crate::agent::catalog::{parse_catalog, SafeZone};
use crate::agent::feature_agent::{AgentStats, AgentStatus};
use crate::agent::swarm::{Swarm, SwarmConfig};
use crate::error::Result;
use crate::json::{self, Object, Read, ToJson};
use crate::qlearning::QTable;
use crate::snapshot::{self, corrupt, Kind, Reader, Writer};
use std::collections::BTreeMap;

const PAYLOAD_VERSION: u8 = 1;

/// The catalog as the snapshot stores it (what `parse_catalog` reads).
fn catalog_json(swarm: &Swarm) -> String {
    let mut out = String::new();
    Object::new(&mut out).field("features", &swarm.features()).field("vocabulary", swarm.vocabulary()).end();
    out
}

fn f64_bits(w: &mut Writer, x: f64) {
    w.u64(x.to_bits());
}

fn read_f64(r: &mut Reader<'_>) -> Result<f64> {
    let x = f64::from_bits(r.u64()?);
    if x.is_finite() {
        Ok(x)
    } else {
        Err(corrupt("a statistic is not a finite number"))
    }
}

impl Swarm {
    fn payload(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(PAYLOAD_VERSION);
        w.str(&catalog_json(self));
        let c = self.config();
        w.u32(c.dim as u32);
        w.u32(c.cold_start_threshold);
        w.u32(c.seed);
        w.u32(c.query_cache_size as u32);
        w.str(&c.safe_zones.to_json());
        // The Q-learning settings travel inside an empty table's snapshot (one encoding).
        let template = QTable::new(c.qlearning).to_bytes();
        w.u32(template.len() as u32);
        w.bytes.extend_from_slice(&template);
        let (queries, feedback, latency, sequence) = self.counters();
        w.u64(queries);
        w.u64(feedback);
        f64_bits(&mut w, latency);
        w.u64(sequence);
        let live: Vec<_> =
            self.all_agents().iter().enumerate().filter(|(i, _)| self.is_live(*i)).map(|(_, a)| a).collect();
        w.u32(live.len() as u32);
        for a in live {
            w.str(&a.faj_code);
            w.u8(a.status().code());
            let s = &a.stats;
            w.u64(s.interactions);
            w.u64(s.feedback);
            w.u64(s.positive);
            f64_bits(&mut w, s.latency_sum_us);
            f64_bits(&mut w, s.peak_latency_us);
            f64_bits(&mut w, s.confidence);
            w.u32(a.recent().len() as u32);
            for r in a.recent() {
                w.f32(*r);
            }
            w.u64(a.rng_state());
            match a.table() {
                None => w.u32(0),
                Some(t) => {
                    let b = t.to_bytes();
                    w.u32(b.len() as u32);
                    w.bytes.extend_from_slice(&b);
                }
            }
        }
        w.bytes
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        snapshot::encode(Kind::Swarm, &self.payload())
    }

    pub fn to_sealed_bytes(&self, key: &[u8]) -> Result<Vec<u8>> {
        snapshot::seal(Kind::Swarm, &self.payload(), key)
    }

    pub fn from_snapshot(bytes: &[u8], key: Option<&[u8]>) -> Result<Swarm> {
        let payload = snapshot::open(bytes, Kind::Swarm, key)?;
        Self::from_payload(&payload)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Swarm> {
        Self::from_snapshot(bytes, None)
    }

    fn from_payload(payload: &[u8]) -> Result<Swarm> {
        let mut r = Reader::new(payload);
        if r.u8()? != PAYLOAD_VERSION {
            return Err(corrupt("unknown swarm payload version"));
        }
        let (features, vocabulary) = parse_catalog(r.str()?).map_err(|e| corrupt(format!("catalog: {e}")))?;
        let dim = r.u32()? as usize;
        let cold_start_threshold = r.u32()?;
        let seed = r.u32()?;
        let query_cache_size = r.u32()? as usize;
        let safe_zones: BTreeMap<String, SafeZone> = json::parse(r.str()?)
            .and_then(|v| Read::read(&v, "safeZones"))
            .map_err(|e| corrupt(format!("safe zones: {e}")))?;
        let n = r.u32()? as usize;
        let qlearning = *QTable::from_bytes(r.take(n)?)?.config();
        let counters = (r.u64()?, r.u64()?, read_f64(&mut r)?, r.u64()?);
        let cfg = SwarmConfig { dim, cold_start_threshold, qlearning, seed, query_cache_size, safe_zones };
        let mut swarm = Swarm::new(features, vocabulary, cfg)
            .map_err(|e| corrupt(format!("rebuilding the swarm: {e}")))?;
        swarm.set_counters(counters);
        let agents = r.count(8)?;
        for _ in 0..agents {
            let faj = r.str()?.to_owned();
            let status = AgentStatus::from_code(r.u8()?).ok_or_else(|| corrupt("unknown agent status"))?;
            let stats = AgentStats {
                interactions: r.u64()?,
                feedback: r.u64()?,
                positive: r.u64()?,
                latency_sum_us: read_f64(&mut r)?,
                peak_latency_us: read_f64(&mut r)?,
                confidence: read_f64(&mut r)?,
            };
            let window = r.count(4)?;
            let mut recent = Vec::with_capacity(window);
            for _ in 0..window {
                recent.push(r.f32()?);
            }
            let rng = r.u64()?;
            let n = r.u32()? as usize;
            let table = if n == 0 { None } else { Some(QTable::from_bytes(r.take(n)?)?) };
            if table.as_ref().is_some_and(|t| t.actions() != 5) {
                return Err(corrupt("an agent's table does not have the five actions"));
            }
            let agent =
                swarm.agent_mut(&faj).ok_or_else(|| corrupt(format!("agent {faj} is not in the catalog")))?;
            agent.restore(status, stats, recent, rng);
            agent.set_table(table);
        }
        r.finish()?;
        Ok(swarm)
    }
}
