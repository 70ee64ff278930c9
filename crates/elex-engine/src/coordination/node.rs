//! One cluster node, sans-IO: signed frames in, signed frames out, for membership (SWIM)
//! and the learned state (anti-entropy). The host owns the sockets (it maps a member's key
//! to a connection or dials its URL) and the clock (it calls `tick` at `wake_at`).
//!
//! Learning travels as the CRDT of `learned.rs`: every gossip interval the node records what
//! its own agents' tables hold, and every anti-entropy interval it sends its digest to the
//! next member in turn, which answers with the slots it lacks. What arrives is laid over the
//! swarm's agents (`Swarm::set_others`), so answers and `learned()` read the whole cluster's
//! learning. Consensus (raft) comes next: docs/cluster-design.md.

use crate::agent::Swarm;
use crate::coordination::envelope::{Guard, Sealer, DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS};
use crate::coordination::learned::{Delta, Digest, LearnedState, Origin};
use crate::coordination::membership::{self, MemberEvent, Membership, Step};
use crate::coordination::peer::Peer;
use crate::error::Result;
use crate::qlearning::State;
use crate::security::Identity;
use crate::snapshot::{corrupt, Reader, Writer};
use sha2::{Digest as _, Sha256};
use std::collections::BTreeSet;

const KIND_SWIM: u8 = 2;
const KIND_DIGEST: u8 = 3;
const KIND_SLOTS: u8 = 4;

pub struct NodeConfig {
    pub voter: bool,
    pub url: Option<String>,
    /// Keys allowed in; `None` for an open cluster.
    pub trust: Option<Vec<[u8; 32]>>,
    pub gossip_interval_ms: u64,
    pub anti_entropy_interval_ms: u64,
    /// Bytes of slots one anti-entropy answer may carry.
    pub anti_entropy_budget: usize,
    /// Seeds foca's random choices.
    pub seed: [u8; 32],
}

/// What a call produced: frames for members (by key), when to call `tick` next, changes.
#[derive(Debug, Default)]
pub struct Output {
    pub frames: Vec<([u8; 32], Vec<u8>)>,
    pub wake_at: Option<u64>,
    pub events: Vec<MemberEvent>,
    /// Agents whose view of other nodes' learning changed.
    pub learned_agents: usize,
}

pub struct Node {
    sealer: Sealer,
    guard: Guard,
    membership: Membership,
    learned: LearnedState,
    origin: Origin,
    cfg: NodeConfig,
    next_record: u64,
    next_sync: u64,
    /// Round-robin position among members for anti-entropy.
    turn: usize,
}

/// A node's origin in the learned state: the first 16 bytes of SHA-256 of its public key,
/// which `agentId` spells in hex.
pub fn origin_of(public_key: &[u8; 32]) -> Origin {
    let d = Sha256::digest(public_key);
    let mut o = [0u8; 16];
    o.copy_from_slice(&d[..16]);
    o
}

impl Node {
    pub fn new(identity: Identity, cfg: NodeConfig, now_ms: u64) -> Node {
        let key = identity.public_key();
        let me = Peer { key, epoch: now_ms, voter: cfg.voter, url: cfg.url.clone() };
        let membership = Membership::new(me, membership::config(cfg.gossip_interval_ms), cfg.seed);
        Node {
            sealer: Sealer::new(identity, now_ms),
            guard: Guard::new(key, cfg.trust.clone(), DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS),
            membership,
            learned: LearnedState::new(),
            origin: origin_of(&key),
            next_record: now_ms,
            next_sync: now_ms + cfg.anti_entropy_interval_ms,
            turn: 0,
            cfg,
        }
    }

    pub fn me(&self) -> &Peer {
        self.membership.me()
    }

    pub fn members(&self) -> Vec<Peer> {
        self.membership.members()
    }

    pub fn rejected(&self) -> std::collections::BTreeMap<&'static str, u64> {
        self.guard.rejected()
    }

    pub fn learned_state(&self) -> &LearnedState {
        &self.learned
    }

    /// Joins through a member whose identity is known (a seed's hello).
    pub fn join(&mut self, seed: Peer, now_ms: u64) -> Output {
        let step = self.membership.announce(seed, now_ms);
        self.output(step, now_ms)
    }

    /// A frame from the network. Frames that fail the guard are counted and change nothing.
    pub fn handle(&mut self, bytes: &[u8], now_ms: u64, swarm: &mut Swarm) -> Output {
        let Ok(frame) = self.guard.open(bytes, now_ms) else { return self.output(Step::default(), now_ms) };
        let (sender, kind, payload) = (frame.sender, frame.kind, frame.payload);
        let mut out = Output::default();
        match kind {
            KIND_SWIM => {
                let step = self.membership.handle(payload, now_ms);
                return self.output(step, now_ms);
            }
            KIND_DIGEST => {
                if let Ok(digest) = decode_digest(payload) {
                    let answer = self.learned.delta_for(&digest, self.cfg.anti_entropy_budget).to_bytes();
                    out.frames.push((sender, self.sealer.seal(KIND_SLOTS, &sender, &answer, now_ms)));
                }
            }
            KIND_SLOTS => {
                if let Ok(delta) = Delta::from_bytes(payload) {
                    out.learned_agents = self.absorb(&delta, swarm);
                }
            }
            _ => {}
        }
        out.wake_at = self.wake_at();
        out
    }

    /// Due timers, then (when their time comes) recording this node's learning and one
    /// anti-entropy round.
    pub fn tick(&mut self, now_ms: u64, swarm: &Swarm) -> Output {
        let step = self.membership.tick(now_ms);
        let mut out = self.output(step, now_ms);
        if now_ms >= self.next_record {
            self.record(swarm, now_ms);
            self.next_record = now_ms + self.cfg.gossip_interval_ms;
        }
        if now_ms >= self.next_sync {
            self.next_sync = now_ms + self.cfg.anti_entropy_interval_ms;
            let members = self.membership.members();
            if !members.is_empty() {
                let peer = &members[self.turn % members.len()];
                self.turn = self.turn.wrapping_add(1);
                let digest = encode_digest(&self.learned.digest());
                out.frames.push((peer.key, self.sealer.seal(KIND_DIGEST, &peer.key, &digest, now_ms)));
            }
        }
        out.wake_at = self.wake_at();
        out
    }

    /// What this node's own agents have learned, into its slots.
    fn record(&mut self, swarm: &Swarm, now_ms: u64) {
        for (faj, table) in swarm.table_refs() {
            for (state, q, visits) in table.rows() {
                let State::Num(state) = state else { continue };
                for (a, (q, n)) in q.iter().zip(visits).enumerate() {
                    if *n > 0 {
                        self.learned.record(self.origin, faj, state, a as u8, f64::from(*q), *n, now_ms);
                    }
                }
            }
        }
    }

    /// Slots from a peer; the agents they touch see the others' learning anew.
    fn absorb(&mut self, delta: &Delta, swarm: &mut Swarm) -> usize {
        if self.learned.absorb(delta) == 0 {
            return 0;
        }
        let agents: BTreeSet<&str> = delta.slots.iter().map(|(k, _)| k.0.as_str()).collect();
        agents
            .into_iter()
            .filter(|faj| swarm.set_others(faj, &self.learned.others_of(faj, &self.origin)).is_ok())
            .count()
    }

    fn output(&mut self, step: Step, now_ms: u64) -> Output {
        let frames = step
            .packets
            .into_iter()
            .map(|(to, p)| (to.key, self.sealer.seal(KIND_SWIM, &to.key, &p, now_ms)))
            .collect();
        Output { frames, wake_at: self.wake_at(), events: step.events, learned_agents: 0 }
    }

    fn wake_at(&self) -> Option<u64> {
        let own = self.next_record.min(self.next_sync);
        Some(self.membership.next_wake().map_or(own, |w| w.min(own)))
    }
}

fn encode_digest(d: &Digest) -> Vec<u8> {
    let mut w = Writer::default();
    w.u32(d.len() as u32);
    for (origin, (through, above)) in d {
        w.bytes.extend_from_slice(origin);
        w.u64(*through);
        // Beyond 256 later versions the rest are simply sent again: harmless, bounded.
        let above = &above[..above.len().min(256)];
        w.u32(above.len() as u32);
        for v in above {
            w.u64(*v);
        }
    }
    w.bytes
}

fn decode_digest(bytes: &[u8]) -> Result<Digest> {
    let mut r = Reader::new(bytes);
    let mut d = Digest::new();
    for _ in 0..r.count(16 + 8 + 4)? {
        let origin: Origin = r.take(16)?.try_into().map_err(|_| corrupt("origin"))?;
        let through = r.u64()?;
        let mut above = Vec::new();
        for _ in 0..r.count(8)? {
            above.push(r.u64()?);
        }
        above.sort_unstable();
        d.insert(origin, (through, above));
    }
    r.finish()?;
    Ok(d)
}

#[cfg(test)]
#[path = "node_tests.rs"]
mod tests;
