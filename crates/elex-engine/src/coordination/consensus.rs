//! Consensus on change plans among coordinators: tikv raft-rs 0.7 (`RawNode`), sans-IO.
//!
//! The replicated log holds change plans, the audit trail every node agrees on. The node
//! hands in raft messages from trusted, verified frames and the time; out come messages by
//! member key, the proposals of this node that committed, and — whenever the log or the
//! hard state changed — the whole persisted image, which the host writes (atomically)
//! *before* it sends that output's frames.
//!
//! Group membership has no list of its own: a voter that starts with no seeds and no saved
//! state founds the group; the leader then adds each live member one change at a time
//! (voters as voters, browsers as learners). Voters are never removed automatically, so with
//! 2 of 5 alive nothing commits (`check_quorum`), which is the point.

use crate::coordination::raft_guard;
use crate::coordination::raft_store::{self, Image};
use crate::error::Result;
use protobuf::Message as _;
use raft::eraftpb::{ConfChange, ConfChangeType, ConfState, Entry, EntryType, Message};
use raft::storage::MemStorage;
use raft::{Config, RawNode, StateRole, Storage};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// One raft tick: elections after 1–2 s without a leader, heartbeats every 200 ms.
pub const RAFT_TICK_MS: u64 = 100;
/// A proposal not yet committed is proposed again this often (the leader may have changed).
const RETRY_MS: u64 = 1000;
/// The log is never compacted; past this size proposals are refused.
pub const MAX_LOG_BYTES: usize = 8 << 20;
const PLAN_TAG: &[u8; 2] = b"P1";

/// A committed change plan, the same at the same index on every node.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub index: u64,
    pub term: u64,
    /// The plan as the proposer gave it (JSON text).
    pub plan: String,
    pub proposed_by: [u8; 32],
    /// When this node applied it (ms, node-local).
    pub committed_at: u64,
}

/// What one call produced.
#[derive(Debug, Default)]
pub struct RaftOut {
    pub messages: Vec<([u8; 32], Vec<u8>)>,
    /// This node's proposals that committed: (request id, log index).
    pub committed: Vec<(u64, u64)>,
    /// The new persisted image, to write before sending.
    pub persist: Option<Vec<u8>>,
    /// Messages dropped because their sender is not who it claims, or they do not decode.
    pub forged: u64,
    pub malformed: u64,
}

struct Pending {
    data: Vec<u8>,
    next_try: u64,
    until: u64,
}

/// The raft id of a node: the first 8 bytes of SHA-256 of its key (never 0, raft's "none").
pub fn raft_id(key: &[u8; 32]) -> u64 {
    let d = Sha256::digest(key);
    u64::from_be_bytes(d[..8].try_into().unwrap_or([0; 8])).max(1)
}

pub struct Consensus {
    raw: RawNode<MemStorage>,
    me: [u8; 32],
    keys: BTreeMap<u64, [u8; 32]>,
    conf: ConfState,
    log: Vec<LogEntry>,
    seen: BTreeSet<([u8; 32], u64)>,
    pending: BTreeMap<u64, Pending>,
    next_req: u64,
    next_tick: u64,
    log_bytes: usize,
}

impl Consensus {
    /// `founder`: start a group of one (a voter with no seeds and no saved state).
    pub fn new(me: [u8; 32], founder: bool, restored: Option<&[u8]>, seed: u64, now_ms: u64) -> Result<Self> {
        let id = raft_id(&me);
        let store = MemStorage::new();
        let mut log_bytes = 0;
        let conf = match restored {
            Some(bytes) => {
                let Image { owner, hard_state, conf_state, entries } = raft_store::decode(bytes)?;
                if owner != me {
                    return Err(crate::error::ElexError::invalid_argument(format!(
                        "this raft state belongs to node {}, not {}: each node needs its own data directory",
                        crate::security::agent_id(&owner),
                        crate::security::agent_id(&me)
                    )));
                }
                log_bytes = entries.iter().map(|e| e.data.len()).sum();
                let mut w = store.wl();
                w.append(&entries).map_err(|e| crate::snapshot::corrupt(format!("raft log: {e}")))?;
                w.set_hardstate(hard_state);
                w.set_conf_state(conf_state.clone());
                conf_state
            }
            None if founder => {
                let cs = ConfState::from((vec![id], Vec::<u64>::new()));
                store.wl().set_conf_state(cs.clone());
                cs
            }
            None => ConfState::default(),
        };
        let config = Config {
            id,
            election_tick: 10,
            heartbeat_tick: 2,
            check_quorum: true,
            pre_vote: true,
            max_size_per_msg: 16 * 1024,
            max_inflight_msgs: 64,
            applied: 0,
            ..Config::default()
        };
        config.validate().map_err(|e| crate::error::ElexError::internal(format!("raft config: {e}")))?;
        let logger = slog::Logger::root(slog::Discard, slog::o!());
        let mut raw = RawNode::new(&config, store, &logger)
            .map_err(|e| crate::error::ElexError::internal(format!("raft: {e}")))?;
        // Elections start at different ticks on different nodes (raft also randomises).
        for _ in 0..seed % 5 {
            raw.tick();
        }
        let mut keys = BTreeMap::new();
        keys.insert(id, me);
        Ok(Consensus {
            raw,
            me,
            keys,
            conf,
            log: Vec::new(),
            seen: BTreeSet::new(),
            pending: BTreeMap::new(),
            // Request ids stay unique across restarts (the log dedupes on proposer and id) and
            // exact as JS numbers.
            next_req: now_ms.saturating_mul(1000) + 1,
            next_tick: now_ms + RAFT_TICK_MS,
            log_bytes,
        })
    }

    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }

    pub fn term(&self) -> u64 {
        self.raw.raft.term
    }

    pub fn leader(&self) -> Option<[u8; 32]> {
        self.keys.get(&self.raw.raft.leader_id).copied()
    }

    pub fn is_leader(&self) -> bool {
        self.raw.raft.state == StateRole::Leader
    }

    pub fn voters(&self) -> &[u64] {
        &self.conf.voters
    }

    pub fn next_wake(&self) -> u64 {
        let retry = self.pending.values().map(|p| p.next_try).min().unwrap_or(u64::MAX);
        self.next_tick.min(retry)
    }

    /// Learns who a member is, so messages to its raft id can reach it.
    pub fn know(&mut self, key: [u8; 32]) {
        self.keys.insert(raft_id(&key), key);
    }

    /// Proposes a plan (JSON text); its request id comes back in `committed` once a majority
    /// has it. Retried while uncommitted, until `timeout_ms` has passed.
    pub fn propose(&mut self, plan: &str, timeout_ms: u64, now_ms: u64) -> Result<(u64, RaftOut)> {
        if self.log_bytes + plan.len() > MAX_LOG_BYTES {
            return Err(crate::error::ElexError::invalid_argument(format!(
                "the replicated log is full ({MAX_LOG_BYTES} bytes); it is not compacted"
            )));
        }
        let req = self.next_req;
        self.next_req += 1;
        let mut data = Vec::with_capacity(50 + plan.len());
        data.extend_from_slice(PLAN_TAG);
        data.extend_from_slice(&self.me);
        data.extend_from_slice(&req.to_le_bytes());
        data.extend_from_slice(&now_ms.to_le_bytes());
        data.extend_from_slice(plan.as_bytes());
        let _ = self.raw.propose(req.to_le_bytes().to_vec(), data.clone());
        self.pending.insert(req, Pending { data, next_try: now_ms + RETRY_MS, until: now_ms + timeout_ms });
        let mut out = RaftOut::default();
        self.drain(now_ms, &mut out);
        Ok((req, out))
    }

    /// A raft message from `sender` (a verified frame's payload).
    pub fn handle(&mut self, sender: [u8; 32], payload: &[u8], now_ms: u64) -> RaftOut {
        let mut out = RaftOut::default();
        let Some(msg) = raft_guard::parse(payload) else {
            out.malformed += 1;
            return out;
        };
        // A trusted node cannot speak as another, nor talk to someone else through us.
        if msg.from != raft_id(&sender) || msg.to != raft_id(&self.me) {
            out.forged += 1;
            return out;
        }
        self.know(sender);
        let raw = &mut self.raw;
        // raft-rs asserts invariants with panics; a trusted but broken peer must not take
        // this node down with it.
        let stepped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| raw.step(msg)));
        if stepped.is_err() {
            out.malformed += 1;
        }
        self.drain(now_ms, &mut out);
        out
    }

    /// Raft's clock, retries, and (as leader) adding live members to the group.
    /// `members`: the keys and voter flags of the members SWIM sees alive.
    pub fn tick(&mut self, members: &[([u8; 32], bool)], now_ms: u64) -> RaftOut {
        let mut out = RaftOut::default();
        while self.next_tick <= now_ms {
            self.raw.tick();
            self.next_tick += RAFT_TICK_MS;
        }
        self.pending.retain(|_, p| p.until > now_ms);
        for p in self.pending.values_mut().filter(|p| p.next_try <= now_ms) {
            p.next_try = now_ms + RETRY_MS;
            let _ = self.raw.propose(Vec::new(), p.data.clone());
        }
        for (key, _) in members {
            self.know(*key);
        }
        if self.is_leader() && !self.raw.raft.has_pending_conf() {
            self.grow(members);
        }
        self.drain(now_ms, &mut out);
        out
    }

    /// Adds one missing member: voters as voters, others as learners.
    fn grow(&mut self, members: &[([u8; 32], bool)]) {
        let missing = members.iter().find_map(|(key, voter)| {
            let id = raft_id(key);
            let known = self.conf.voters.contains(&id) || (!voter && self.conf.learners.contains(&id));
            (!known).then_some((id, *voter))
        });
        if let Some((id, voter)) = missing {
            let mut cc = ConfChange { node_id: id, ..ConfChange::default() };
            cc.set_change_type(if voter { ConfChangeType::AddNode } else { ConfChangeType::AddLearnerNode });
            let _ = self.raw.propose_conf_change(Vec::new(), cc);
        }
    }

    fn drain(&mut self, now_ms: u64, out: &mut RaftOut) {
        let mut dirty = false;
        while self.raw.has_ready() {
            let mut rd = self.raw.ready();
            self.send(rd.take_messages(), out);
            if !rd.entries().is_empty() {
                let _ = self.raw.mut_store().wl().append(rd.entries());
                dirty = true;
            }
            if let Some(hs) = rd.hs() {
                self.raw.mut_store().wl().set_hardstate(hs.clone());
                dirty = true;
            }
            let committed = rd.take_committed_entries();
            dirty |= self.apply(committed, now_ms, out);
            let persisted = rd.take_persisted_messages();
            self.send(persisted, out);
            let mut light = self.raw.advance(rd);
            if let Some(commit) = light.commit_index() {
                self.raw.mut_store().wl().mut_hard_state().set_commit(commit);
                dirty = true;
            }
            self.send(light.take_messages(), out);
            let committed = light.take_committed_entries();
            dirty |= self.apply(committed, now_ms, out);
            self.raw.advance_apply();
        }
        if dirty {
            out.persist = Some(self.image());
        }
    }

    fn send(&self, messages: Vec<Message>, out: &mut RaftOut) {
        for m in messages {
            if let (Some(key), Ok(bytes)) = (self.keys.get(&m.to), m.write_to_bytes()) {
                out.messages.push((*key, bytes));
            }
        }
    }

    /// Applies committed entries; true when the configuration changed.
    fn apply(&mut self, entries: Vec<Entry>, now_ms: u64, out: &mut RaftOut) -> bool {
        let mut conf_changed = false;
        for e in entries {
            match e.get_entry_type() {
                EntryType::EntryNormal => self.apply_plan(&e, now_ms, out),
                EntryType::EntryConfChange => {
                    let Ok(cc) = ConfChange::parse_from_bytes(&e.data) else { continue };
                    if let Ok(cs) = self.raw.apply_conf_change(&cc) {
                        self.raw.mut_store().wl().set_conf_state(cs.clone());
                        self.conf = cs;
                        conf_changed = true;
                    }
                }
                EntryType::EntryConfChangeV2 => {}
            }
        }
        conf_changed
    }

    fn apply_plan(&mut self, e: &Entry, now_ms: u64, out: &mut RaftOut) {
        let d = &e.data[..];
        // The leader's empty entry at the start of each term, or something not ours.
        if d.len() < 50 || &d[..2] != PLAN_TAG {
            return;
        }
        let proposer: [u8; 32] = d[2..34].try_into().unwrap_or([0; 32]);
        let req = u64::from_le_bytes(d[34..42].try_into().unwrap_or([0; 8]));
        let Ok(plan) = std::str::from_utf8(&d[50..]) else { return };
        self.log_bytes += d.len();
        // A retried proposal can commit twice: the first one counts.
        if !self.seen.insert((proposer, req)) {
            return;
        }
        self.log.push(LogEntry {
            index: e.index,
            term: e.term,
            plan: plan.to_string(),
            proposed_by: proposer,
            committed_at: now_ms,
        });
        if proposer == self.me && self.pending.remove(&req).is_some() {
            out.committed.push((req, e.index));
        }
    }

    fn image(&self) -> Vec<u8> {
        let store = self.raw.store();
        let state = store.initial_state().unwrap_or_default();
        let (first, last) = (store.first_index().unwrap_or(1), store.last_index().unwrap_or(0));
        // (MemStorage panics on a range of an empty log.)
        let entries = if last < first {
            Vec::new()
        } else {
            store.entries(first, last + 1, None, raft::GetEntriesContext::empty(false)).unwrap_or_default()
        };
        raft_store::encode(&Image {
            owner: self.me,
            hard_state: state.hard_state,
            conf_state: state.conf_state,
            entries,
        })
    }
}
