//! Membership and failure detection (SWIM, the crate foca), sans-IO: the caller hands in
//! received packets and the time, and gets back the packets to send, the members that came
//! up or went down, and when to call again. foca's own timers stay in here, so a host sets
//! one timeout (`next_wake`) and nothing else. Packets are foca's bare messages: the node
//! seals each in a signed envelope before it leaves, and opens one before it arrives here.

use crate::coordination::learned::{Delta, Origin};
use crate::coordination::peer::{Peer, PeerCodec};
use foca::{
    AccumulatingRuntime, BroadcastHandler, Config, Foca, Invalidates, OwnedNotification, PeriodicParams,
    Timer,
};
use rand::rngs::SmallRng;
use rand::SeedableRng;
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::num::{NonZeroU8, NonZeroUsize};
use std::rc::Rc;
use std::time::Duration;

/// The settings, each chosen (docs/cluster-design.md §1): a killed node is suspected within
/// about a second and declared down about three seconds later; announces heal partitions.
pub fn config(gossip_interval_ms: u64) -> Config {
    let mut c = Config::simple();
    c.probe_period = Duration::from_millis(1000);
    c.probe_rtt = Duration::from_millis(300);
    c.num_indirect_probes = NonZeroUsize::new(3).unwrap_or(NonZeroUsize::MIN);
    c.max_transmissions = NonZeroU8::new(6).unwrap_or(NonZeroU8::MIN);
    c.suspect_to_down_after = Duration::from_millis(3000);
    c.remove_down_after = Some(Duration::from_secs(15));
    c.max_packet_size = NonZeroUsize::new(8192).unwrap_or(NonZeroUsize::MIN);
    c.notify_down_members = true;
    let every = |ms: u64, n: usize| {
        Some(PeriodicParams {
            frequency: Duration::from_millis(ms),
            num_members: NonZeroUsize::new(n).unwrap_or(NonZeroUsize::MIN),
        })
    };
    c.periodic_gossip = every(gossip_interval_ms.max(10), 3);
    c.periodic_announce = every(5_000, 1);
    c.periodic_announce_to_down_members = every(10_000, 1);
    c
}

/// Something that changed in the membership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberEvent {
    Up(Peer),
    Down(Peer),
    /// A member restarted: the newer identity replaced the older.
    Renamed(Peer, Peer),
    /// This node has members (again) / has none.
    Active,
    Idle,
}

/// What a call produced: packets for peers and membership changes.
#[derive(Debug, Default)]
pub struct Step {
    pub packets: Vec<(Peer, Vec<u8>)>,
    pub events: Vec<MemberEvent>,
}

/// A learned-state delta riding on SWIM's gossip: one origin's slots for one agent. A newer
/// one (higher top version) for the same origin and agent replaces an older one in foca's
/// queue, since each carries all of that origin's slots for the agent.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ItemKey {
    origin: Origin,
    agent: String,
    version: u64,
}

impl Invalidates for ItemKey {
    fn invalidates(&self, other: &Self) -> bool {
        self.origin == other.origin && self.agent == other.agent && self.version >= other.version
    }
}

/// Delta items foca hands over: new ones are queued for the node to apply (and foca passes
/// them on); ones already seen stop spreading here.
#[derive(Default)]
pub struct Deltas {
    /// Shared with `Membership`, which drains it (foca owns the handler and offers no way
    /// back to it).
    inbox: Rc<RefCell<Vec<Vec<u8>>>>,
    seen: BTreeSet<ItemKey>,
}

/// Keys remembered before the set starts again (an item seen again is then re-spread a few
/// times, and applying it changes nothing).
const MAX_SEEN: usize = 1 << 16;

impl Deltas {
    /// The key of a well-formed item: all slots of one origin and agent, at least one.
    pub fn key_of(item: &[u8]) -> Option<ItemKey> {
        let delta = Delta::from_bytes(item).ok()?;
        let first = delta.slots.first()?.0.clone();
        let same = delta.slots.iter().all(|(k, _)| k.0 == first.0 && k.3 == first.3);
        let version = delta.slots.iter().map(|(_, s)| s.version).max()?;
        (same && delta.through.is_empty()).then_some(ItemKey { origin: first.3, agent: first.0, version })
    }
}

impl BroadcastHandler<Peer> for Deltas {
    type Key = ItemKey;
    type Error = CodecErrorBox;

    fn receive_item(
        &mut self, data: &[u8], _sender: Option<&Peer>,
    ) -> Result<Option<ItemKey>, CodecErrorBox> {
        let key = Deltas::key_of(data).ok_or(CodecErrorBox("malformed delta item"))?;
        if self.seen.contains(&key) {
            return Ok(None);
        }
        if self.seen.len() >= MAX_SEEN {
            self.seen.clear();
        }
        self.seen.insert(key.clone());
        self.inbox.borrow_mut().push(data.to_vec());
        Ok(Some(key))
    }
}

#[derive(Debug)]
pub struct CodecErrorBox(&'static str);

impl std::fmt::Display for CodecErrorBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for CodecErrorBox {}

pub struct Membership {
    foca: Foca<Peer, PeerCodec, SmallRng, Deltas>,
    runtime: AccumulatingRuntime<Peer>,
    /// foca's timers: when each is due (ms).
    timers: Vec<(u64, Timer<Peer>)>,
    /// Packets and notifications foca refused (malformed input), for the node's counters.
    pub refused: u64,
    inbox: Rc<RefCell<Vec<Vec<u8>>>>,
}

impl Membership {
    /// `seed` seeds foca's choice of whom to probe (random bytes in use; fixed in tests).
    pub fn new(me: Peer, config: Config, seed: [u8; 32]) -> Self {
        let deltas = Deltas::default();
        let inbox = deltas.inbox.clone();
        Membership {
            inbox,
            foca: Foca::with_custom_broadcast(me, config, SmallRng::from_seed(seed), PeerCodec, deltas),
            runtime: AccumulatingRuntime::new(),
            timers: Vec::new(),
            refused: 0,
        }
    }

    pub fn me(&self) -> &Peer {
        self.foca.identity()
    }

    /// Joins through `seed` (a member known from its hello).
    pub fn announce(&mut self, seed: Peer, now_ms: u64) -> Step {
        if self.foca.announce(seed, &mut self.runtime).is_err() {
            self.refused += 1;
        }
        self.drain(now_ms)
    }

    /// A packet from a peer (already opened and checked by the node's guard).
    pub fn handle(&mut self, packet: &[u8], now_ms: u64) -> Step {
        if self.foca.handle_data(packet, &mut self.runtime).is_err() {
            self.refused += 1;
        }
        self.drain(now_ms)
    }

    /// Runs every timer due by `now_ms`, oldest first (foca's own order on ties).
    pub fn tick(&mut self, now_ms: u64) -> Step {
        let mut step = Step::default();
        loop {
            self.timers.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            if self.timers.first().is_none_or(|t| t.0 > now_ms) {
                break;
            }
            let (_, timer) = self.timers.remove(0);
            if self.foca.handle_timer(timer, &mut self.runtime).is_err() {
                self.refused += 1;
            }
            let more = self.drain(now_ms);
            step.packets.extend(more.packets);
            step.events.extend(more.events);
        }
        step
    }

    /// When `tick` has work next.
    pub fn next_wake(&self) -> Option<u64> {
        self.timers.iter().map(|t| t.0).min()
    }

    /// Members this node sees as active (itself excluded).
    pub fn members(&self) -> Vec<Peer> {
        self.foca.iter_members().map(|m| m.id().clone()).collect()
    }

    /// Spreads a delta item (one origin's slots for one agent) with the gossip.
    pub fn broadcast(&mut self, item: &[u8]) -> bool {
        self.foca.add_broadcast(item).unwrap_or(false)
    }

    /// Delta items that arrived (new ones only) since the last call.
    pub fn take_received(&mut self) -> Vec<Vec<u8>> {
        std::mem::take(&mut *self.inbox.borrow_mut())
    }

    /// Every member known, with its state: "alive", "suspect" or "down".
    pub fn roster(&self) -> Vec<(Peer, &'static str)> {
        self.foca
            .iter_membership_state()
            .map(|m| {
                let state = match m.state() {
                    foca::State::Alive => "alive",
                    foca::State::Suspect => "suspect",
                    foca::State::Down => "down",
                };
                (m.id().clone(), state)
            })
            .collect()
    }

    /// Leaves: tells peers this node is down.
    pub fn leave(&mut self, now_ms: u64) -> Step {
        if self.foca.leave_cluster(&mut self.runtime).is_err() {
            self.refused += 1;
        }
        self.drain(now_ms)
    }

    fn drain(&mut self, now_ms: u64) -> Step {
        let mut step = Step::default();
        while let Some((to, data)) = self.runtime.to_send() {
            step.packets.push((to, data.to_vec()));
        }
        while let Some((after, timer)) = self.runtime.to_schedule() {
            self.timers.push((now_ms + after.as_millis() as u64, timer));
        }
        while let Some(n) = self.runtime.to_notify() {
            step.events.extend(match n {
                OwnedNotification::MemberUp(p) => Some(MemberEvent::Up(p)),
                OwnedNotification::MemberDown(p) => Some(MemberEvent::Down(p)),
                OwnedNotification::Rename(a, b) => Some(MemberEvent::Renamed(a, b)),
                OwnedNotification::Active => Some(MemberEvent::Active),
                OwnedNotification::Idle => Some(MemberEvent::Idle),
                _ => None,
            });
        }
        step
    }
}

#[cfg(test)]
#[path = "membership_tests.rs"]
mod tests;
