//! One cluster node, sans-IO: signed frames in, signed frames out, for membership (SWIM),
//! the learned state (anti-entropy) and consensus on change plans (raft). The host owns the
//! sockets (it maps a member's key to a connection, or dials the member's URL) and the clock
//! (it calls `tick` at `wake_at`).
//!
//! Every connection starts with a HELLO each way (the sender's identity, signed), which tells
//! the host whose connection it is and lets SWIM join through it. Learning travels as the
//! CRDT of `learned.rs`: every gossip interval the node records what its own agents' tables
//! hold, and every anti-entropy interval it sends its digest to the next member in turn,
//! which answers with the slots it lacks. What arrives is laid over the swarm's agents
//! (`Swarm::set_others`), so answers and `learned()` read the whole cluster's learning.
//! Plans go through `consensus.rs`. The design: docs/cluster-design.md.

use crate::agent::Swarm;
use crate::coordination::consensus::{Consensus, LogEntry, RaftOut};
use crate::coordination::envelope::{Guard, Sealer, ANYONE, DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS};
use crate::coordination::learned::{Delta, Digest, LearnedState, Origin};
use crate::coordination::membership::{self, MemberEvent, Membership, Step};
use crate::coordination::peer::Peer;
use crate::error::{ElexError, Result};
use crate::qlearning::State;
use crate::security::Identity;
use crate::snapshot::{corrupt, Reader, Writer};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, BTreeSet};

const KIND_HELLO: u8 = 1;
const KIND_SWIM: u8 = 2;
const KIND_DIGEST: u8 = 3;
const KIND_SLOTS: u8 = 4;
const KIND_RAFT: u8 = 5;
/// A value kept in a NATS KV bucket: one origin's slots for one agent.
const KIND_KV: u8 = 6;

/// A node holds back its own learning until a peer has answered its digest once, or this
/// long: a restarted node first takes back what its peers kept of what it had learned.
const RESTORE_WAIT_MS: u64 = 3000;
/// Delta items ride on SWIM gossip up to this size; an agent with more slots than fit is
/// left to anti-entropy.
const DELTA_ITEM_MAX: usize = 1024;
/// Anti-entropy rounds chained per interval (each answer at most the budget).
const CHAINED_ROUNDS: usize = 8;
/// More agents changed than this in one recording round is a bulk, left to anti-entropy.
const GOSSIP_AGENTS_PER_ROUND: usize = 16;

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
    /// Starts a consensus group of one (a voter with no seeds and no saved raft state).
    pub founder: bool,
    /// The raft state this node persisted before (`Output::persist`).
    pub restored: Option<Vec<u8>>,
}

/// What a call produced: frames for members (by key), when to call `tick` next, changes.
#[derive(Debug, Default)]
pub struct Output {
    pub frames: Vec<([u8; 32], Vec<u8>)>,
    pub wake_at: Option<u64>,
    pub events: Vec<MemberEvent>,
    /// Agents whose view of other nodes' learning changed.
    pub learned_agents: usize,
    /// Who said hello on the connection this frame came from.
    pub hello: Option<Peer>,
    /// The raft state to write (atomically) *before* sending these frames.
    pub persist: Option<Vec<u8>>,
    /// This node's proposals that committed: (request id, log index).
    pub committed: Vec<(u64, u64)>,
}

pub struct Node {
    sealer: Sealer,
    guard: Guard,
    membership: Membership,
    learned: LearnedState,
    consensus: Consensus,
    origin: Origin,
    cfg: NodeConfig,
    started: u64,
    /// A peer has answered a digest (so own slots it kept are back in the tables).
    answered: bool,
    next_record: u64,
    next_sync: u64,
    /// Round-robin position among members for anti-entropy.
    turn: usize,
    /// Digests sent again at once this interval, after answers that filled their budget.
    chained: usize,
    /// Peers that said hello, by key (their URL, before SWIM knows them).
    hellos: BTreeMap<[u8; 32], Peer>,
    /// Own agents whose slots changed since the last `kv_values`.
    dirty: BTreeSet<String>,
    /// Frames that passed the envelope but not what is inside, by reason.
    dropped: BTreeMap<&'static str, u64>,
    rounds: u64,
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
    pub fn new(identity: Identity, mut cfg: NodeConfig, now_ms: u64) -> Result<Node> {
        let key = identity.public_key();
        let me = Peer { key, epoch: now_ms, voter: cfg.voter, url: cfg.url.clone() };
        me.to_bytes().map_err(|e| ElexError::invalid_argument(format!("cluster address: {e}")))?;
        let restored = cfg.restored.take();
        let seed = u64::from_le_bytes(cfg.seed[..8].try_into().unwrap_or([0; 8]));
        let consensus = Consensus::new(key, cfg.founder && cfg.voter, restored.as_deref(), seed, now_ms)?;
        let membership = Membership::new(me, membership::config(cfg.gossip_interval_ms), cfg.seed);
        Ok(Node {
            sealer: Sealer::new(identity, now_ms),
            guard: Guard::new(key, cfg.trust.clone(), DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS),
            membership,
            learned: LearnedState::new(),
            consensus,
            origin: origin_of(&key),
            started: now_ms,
            answered: false,
            next_record: now_ms,
            next_sync: now_ms + cfg.anti_entropy_interval_ms,
            turn: 0,
            chained: 0,
            hellos: BTreeMap::new(),
            dirty: BTreeSet::new(),
            dropped: BTreeMap::new(),
            rounds: 0,
            cfg,
        })
    }

    pub fn me(&self) -> &Peer {
        self.membership.me()
    }

    /// Members this node sees as active (itself excluded).
    pub fn members(&self) -> Vec<Peer> {
        self.membership.members()
    }

    /// Every member SWIM knows, down ones included (until forgotten), with its state.
    pub fn roster(&self) -> Vec<(Peer, &'static str)> {
        self.membership.roster()
    }

    /// Every frame dropped so far, by reason.
    pub fn rejected(&self) -> BTreeMap<&'static str, u64> {
        let mut all = self.guard.rejected();
        for (why, n) in &self.dropped {
            *all.entry(why).or_insert(0) += n;
        }
        all
    }

    pub fn learned_state(&self) -> &LearnedState {
        &self.learned
    }

    /// The committed change plans, in log order.
    pub fn log(&self) -> &[LogEntry] {
        self.consensus.log()
    }

    pub fn leader(&self) -> Option<[u8; 32]> {
        self.consensus.leader()
    }

    pub fn term(&self) -> u64 {
        self.consensus.term()
    }

    /// Anti-entropy answers absorbed.
    pub fn rounds(&self) -> u64 {
        self.rounds
    }

    /// Where a member listens, if it said so.
    pub fn url_of(&self, key: &[u8; 32]) -> Option<String> {
        let member = self.membership.members().into_iter().find(|p| &p.key == key);
        member.or_else(|| self.hellos.get(key).cloned()).and_then(|p| p.url)
    }

    /// The first frame on every new connection, both ways: who this node is, signed.
    pub fn hello(&mut self, now_ms: u64) -> Vec<u8> {
        let me = self.me().to_bytes().unwrap_or_default();
        self.sealer.seal(KIND_HELLO, &ANYONE, &me, now_ms)
    }

    /// Joins through a member whose identity is known (a seed's hello does this by itself).
    pub fn join(&mut self, seed: Peer, now_ms: u64) -> Output {
        let step = self.membership.announce(seed, now_ms);
        self.output(step, now_ms)
    }

    fn drop_frame(&mut self, why: &'static str) {
        *self.dropped.entry(why).or_insert(0) += 1;
    }

    /// A frame from the network. Frames that fail a check are counted and change nothing.
    pub fn handle(&mut self, bytes: &[u8], now_ms: u64, swarm: &mut Swarm) -> Output {
        let Ok(frame) = self.guard.open(bytes, now_ms) else { return self.output(Step::default(), now_ms) };
        let (sender, kind, payload) = (frame.sender, frame.kind, frame.payload);
        // Only a hello goes to anyone: anything else sealed so could be replayed elsewhere.
        if frame.recipient == ANYONE && kind != KIND_HELLO {
            self.drop_frame("replayed");
            return self.output(Step::default(), now_ms);
        }
        let mut out = Output::default();
        match kind {
            KIND_HELLO => match Peer::from_bytes(payload) {
                Ok(peer) if peer.key == sender => {
                    self.consensus.know(sender);
                    self.hellos.insert(sender, peer.clone());
                    let known = self.membership.members().iter().any(|p| p == &peer);
                    if !known {
                        out = self.join(peer.clone(), now_ms);
                    }
                    out.hello = Some(peer);
                }
                Ok(_) => self.drop_frame("forged"),
                Err(_) => self.drop_frame("malformed"),
            },
            KIND_SWIM => {
                let step = self.membership.handle(payload, now_ms);
                let mut out = self.output(step, now_ms);
                for item in self.membership.take_received() {
                    if let Ok(delta) = Delta::from_bytes(&item) {
                        out.learned_agents += self.absorb(&delta, swarm);
                    }
                }
                return out;
            }
            KIND_DIGEST => match decode_digest(payload) {
                Ok(digest) => {
                    let answer = self.learned.delta_for(&digest, self.cfg.anti_entropy_budget).to_bytes();
                    out.frames.push((sender, self.sealer.seal(KIND_SLOTS, &sender, &answer, now_ms)));
                    // Push-pull: when the asker holds what this node lacks, ask it back.
                    if lacks(&self.learned.digest(), &digest) && self.chained < CHAINED_ROUNDS {
                        self.chained += 1;
                        self.send_digest(sender, now_ms, &mut out);
                    }
                }
                Err(_) => self.drop_frame("malformed"),
            },
            KIND_SLOTS => match Delta::from_bytes(payload) {
                Ok(delta) => {
                    out.learned_agents = self.absorb(&delta, swarm);
                    self.rounds += 1;
                    self.answered = true;
                    // An answer that filled most of its budget left more behind: ask again
                    // at once, a few times per interval, so a backlog drains in seconds.
                    if payload.len() >= self.cfg.anti_entropy_budget / 2 && self.chained < CHAINED_ROUNDS {
                        self.chained += 1;
                        self.send_digest(sender, now_ms, &mut out);
                    }
                }
                Err(_) => self.drop_frame("malformed"),
            },
            KIND_RAFT => {
                let r = self.consensus.handle(sender, payload, now_ms);
                self.raft_output(r, now_ms, &mut out);
            }
            _ => self.drop_frame("malformed"),
        }
        out.wake_at = self.wake_at();
        out
    }

    /// Due timers, then (when their time comes) recording this node's learning, one
    /// anti-entropy round, and raft's clock.
    pub fn tick(&mut self, now_ms: u64, swarm: &Swarm) -> Output {
        let step = self.membership.tick(now_ms);
        let mut out = self.output(step, now_ms);
        let restored = self.answered || now_ms >= self.started + RESTORE_WAIT_MS;
        if now_ms >= self.next_record {
            self.next_record = now_ms + self.cfg.gossip_interval_ms;
            if restored {
                self.record(swarm, now_ms);
            }
        }
        if now_ms >= self.next_sync {
            self.next_sync = now_ms + self.cfg.anti_entropy_interval_ms;
            self.chained = 0;
            let members = self.membership.members();
            if !members.is_empty() {
                let peer = members[self.turn % members.len()].key;
                self.turn = self.turn.wrapping_add(1);
                self.send_digest(peer, now_ms, &mut out);
            }
        }
        let members: Vec<([u8; 32], bool)> =
            self.membership.members().iter().map(|p| (p.key, p.voter)).collect();
        let r = self.consensus.tick(&members, now_ms);
        self.raft_output(r, now_ms, &mut out);
        out.wake_at = self.wake_at();
        out
    }

    /// One anti-entropy round with every member now.
    pub fn sync(&mut self, now_ms: u64) -> Output {
        let mut out = Output::default();
        for peer in self.membership.members() {
            self.send_digest(peer.key, now_ms, &mut out);
        }
        out.wake_at = self.wake_at();
        out
    }

    /// Proposes a change plan (JSON text) to the replicated log: its request id, which comes
    /// back in `Output::committed` once a majority has it.
    pub fn propose(&mut self, plan: &str, timeout_ms: u64, now_ms: u64) -> Result<(u64, Output)> {
        let (req, r) = self.consensus.propose(plan, timeout_ms, now_ms)?;
        let mut out = Output::default();
        self.raft_output(r, now_ms, &mut out);
        out.wake_at = self.wake_at();
        Ok((req, out))
    }

    /// Tells the members this node leaves (SWIM only: a voter stays in the raft group).
    pub fn leave(&mut self, now_ms: u64) -> Output {
        let step = self.membership.leave(now_ms);
        self.output(step, now_ms)
    }

    fn send_digest(&mut self, to: [u8; 32], now_ms: u64, out: &mut Output) {
        let digest = encode_digest(&self.learned.digest());
        out.frames.push((to, self.sealer.seal(KIND_DIGEST, &to, &digest, now_ms)));
    }

    fn raft_output(&mut self, r: RaftOut, now_ms: u64, out: &mut Output) {
        for (to, m) in r.messages {
            out.frames.push((to, self.sealer.seal(KIND_RAFT, &to, &m, now_ms)));
        }
        if r.persist.is_some() {
            out.persist = r.persist;
        }
        out.committed.extend(r.committed);
        for _ in 0..r.forged {
            self.drop_frame("forged");
        }
        for _ in 0..r.malformed {
            self.drop_frame("malformed");
        }
    }

    /// What this node's own agents have learned, into its slots; each agent that changed is
    /// spread at once as a delta item on the gossip (anti-entropy repairs what that misses).
    fn record(&mut self, swarm: &Swarm, now_ms: u64) {
        let mut changed: Vec<&str> = Vec::new();
        for (faj, table) in swarm.table_refs() {
            let mut any = false;
            for (state, q, visits) in table.rows() {
                let State::Num(state) = state else { continue };
                for (a, (q, n)) in q.iter().zip(visits).enumerate() {
                    any |= *n > 0
                        && self
                            .learned
                            .record(self.origin, faj, state, a as u8, f64::from(*q), *n, now_ms)
                            .is_some();
                }
            }
            if any {
                changed.push(faj);
            }
        }
        // Gossip carries fresh, small news; a bulk (a node joining with what it learned
        // alone, or restored) goes by anti-entropy, which moves it in a few large answers
        // instead of every member relaying hundreds of items several times each.
        let gossip = changed.len() <= GOSSIP_AGENTS_PER_ROUND;
        for faj in changed {
            let item = self.learned.origin_slots(faj, &self.origin).to_bytes();
            if gossip && item.len() <= DELTA_ITEM_MAX {
                self.membership.broadcast(&item);
            }
            self.dirty.insert(faj.to_owned());
        }
        // Our own items come back through the handler: nothing new in them.
        self.membership.take_received();
    }

    /// Slots from a peer; the agents they touch see the others' learning anew. This node's
    /// own slots that a peer kept from before a restart go back into its tables.
    fn absorb(&mut self, delta: &Delta, swarm: &mut Swarm) -> usize {
        let mut own: BTreeMap<&str, Vec<(u32, u8, f32, u32)>> = BTreeMap::new();
        for ((faj, state, action, origin), slot) in &delta.slots {
            if *origin == self.origin && slot.n > 0 {
                let q = (slot.sum / f64::from(slot.n)) as f32;
                own.entry(faj.as_str()).or_default().push((*state, *action, q, slot.n));
            }
        }
        for (faj, rows) in own {
            let _ = swarm.restore_own(faj, &rows);
        }
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
        Output { frames, wake_at: self.wake_at(), events: step.events, ..Output::default() }
    }

    fn wake_at(&self) -> Option<u64> {
        let own = self.next_record.min(self.next_sync).min(self.consensus.next_wake());
        Some(self.membership.next_wake().map_or(own, |w| w.min(own)))
    }
}

/// Whether `theirs` names a version `mine` does not hold (a false "yes" costs one digest).
fn lacks(mine: &Digest, theirs: &Digest) -> bool {
    theirs.iter().any(|(origin, (through, above))| {
        let (my_through, my_above) = mine.get(origin).map_or((0, &[][..]), |(t, a)| (*t, a.as_slice()));
        let holds = |v: u64| v <= my_through || my_above.binary_search(&v).is_ok();
        // (No walk over the versions between the two `through`s: a digest could name 2^60.)
        *through > my_through || above.iter().any(|v| !holds(*v))
    })
}

/// Runs of consecutive versions a digest names per origin, and the versions they may expand
/// to on reading. What lies beyond is simply sent again: harmless, and bounded.
const DIGEST_RUNS: usize = 256;
const DIGEST_VERSIONS: usize = 4096;

/// A digest on the wire: per origin, `through` and the later versions held as runs
/// (`start u64 | count u32`), since one recording round writes consecutive versions.
fn encode_digest(d: &Digest) -> Vec<u8> {
    let mut w = Writer::default();
    w.u32(d.len() as u32);
    for (origin, (through, above)) in d {
        w.bytes.extend_from_slice(origin);
        w.u64(*through);
        let mut runs: Vec<(u64, u32)> = Vec::new();
        for &v in above {
            let full = runs.len() == DIGEST_RUNS;
            match runs.last_mut() {
                Some((start, n)) if start.saturating_add(u64::from(*n)) == v && *n < u32::MAX => *n += 1,
                _ if full => break,
                _ => runs.push((v, 1)),
            }
        }
        w.u32(runs.len() as u32);
        for (start, n) in runs {
            w.u64(start);
            w.u32(n);
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
        for _ in 0..r.count(8 + 4)? {
            let (start, n) = (r.u64()?, r.u32()?);
            let room = DIGEST_VERSIONS - above.len();
            above.extend((0..u64::from(n).min(room as u64)).map_while(|i| start.checked_add(i)));
        }
        above.sort_unstable();
        above.dedup();
        d.insert(origin, (through, above));
    }
    r.finish()?;
    Ok(d)
}

#[path = "node_store.rs"]
mod store;

#[cfg(test)]
#[path = "node_tests.rs"]
mod tests;
