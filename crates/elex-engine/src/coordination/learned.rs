//! What the swarm has learned, as a state-based CRDT that nodes exchange.
//!
//! Each node (an *origin*) owns one slot per (agent, state, action): the sum of q·n and n of
//! its own Q-table there, stamped with a version from the origin's own counter. Only the
//! origin writes its slots, so "the higher version wins" is the whole merge: commutative,
//! associative and idempotent — receiving an update twice changes nothing, unlike a
//! visit-weighted merge of Q-tables, which would count it twice. Reading a value divides the
//! sums over every origin: the visit-weighted mean of what each node learned.
//!
//! Anti-entropy: a node's *digest* says, per origin, through which version it holds all of
//! that origin's slots, and which later versions it holds as well (broadcasts arrive out of
//! order). A peer answers a digest with the slots it lacks, oldest version first and within
//! a byte budget, and says through which version the answer is complete. A slot the
//! receiver already has is never sent again, so a gap nobody can fill (its origin gone)
//! cannot starve the rest.

use crate::error::Result;
use crate::snapshot::{corrupt, Reader, Writer};
use std::collections::{BTreeMap, BTreeSet};

/// A node: the first 16 bytes of SHA-256 of its public key (what `agentId` spells in hex).
pub type Origin = [u8; 16];

/// Where a slot sits: agent (its FAJ code), packed state, action, origin.
pub type SlotKey = (String, u32, u8, Origin);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    /// Σ q·n of the origin's table at this (state, action).
    pub sum: f64,
    /// Visits.
    pub n: u32,
    /// The origin's counter when it last wrote this slot.
    pub version: u64,
}

impl Slot {
    /// The total order merge uses: versions first; equal versions (which only a corrupt or
    /// forged origin could produce) are settled by the contents, so merge stays commutative.
    fn beats(&self, other: &Slot) -> bool {
        (self.version, self.n, self.sum.to_bits()) > (other.version, other.n, other.sum.to_bits())
    }
}

/// Bytes one slot takes on the wire, besides its agent's code (which runs share).
const SLOT_BYTES: usize = 4 + 1 + 16 + 8 + 4 + 8;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LearnedState {
    slots: BTreeMap<SlotKey, Slot>,
    /// Per origin: every slot of it up to this version is held here.
    through: BTreeMap<Origin, u64>,
    /// Per origin: versions held beyond `through`.
    above: BTreeMap<Origin, BTreeSet<u64>>,
}

/// Per origin: complete through which version, and which later versions are held.
pub type Digest = BTreeMap<Origin, (u64, Vec<u64>)>;

/// Slots from one peer's answer to a digest, and through which version per origin they
/// complete what the receiver holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Delta {
    pub slots: Vec<(SlotKey, Slot)>,
    pub through: BTreeMap<Origin, u64>,
}

impl LearnedState {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// This node (`origin`) now has `q` after `n` visits at (agent, state, action). A new
    /// version only when something changed; the slot written, to broadcast. Versions start
    /// from the clock (`now_ms` × 2^16, as frame sequence numbers do), so what a restarted
    /// node learns beats what it had learned before, which peers may still hold.
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self, origin: Origin, agent: &str, state: u32, action: u8, q: f64, n: u32, now_ms: u64,
    ) -> Option<(SlotKey, Slot)> {
        let key = (agent.to_owned(), state, action, origin);
        let sum = q * f64::from(n);
        if self.slots.get(&key).is_some_and(|s| s.n == n && s.sum.to_bits() == sum.to_bits())
            || !sum.is_finite()
        {
            return None;
        }
        let top = self.above.get(&origin).and_then(|a| a.last().copied()).unwrap_or(0);
        let version =
            self.through.get(&origin).copied().unwrap_or(0).max(top).max(now_ms << 16).saturating_add(1);
        let slot = Slot { sum, n, version };
        self.apply(key.clone(), slot);
        Some((key, slot))
    }

    /// One slot from elsewhere (a broadcast delta or an anti-entropy answer); whether it
    /// changed anything. Never moves the digest.
    pub fn apply(&mut self, key: SlotKey, slot: Slot) -> bool {
        if !(slot.sum.is_finite()) {
            return false;
        }
        let origin = key.3;
        let replaced = match self.slots.get(&key) {
            Some(have) if !slot.beats(have) => return false,
            Some(have) => Some(have.version),
            None => None,
        };
        self.slots.insert(key, slot);
        let above = self.above.entry(origin).or_default();
        if let Some(old) = replaced {
            above.remove(&old);
        }
        if slot.version > self.through.get(&origin).copied().unwrap_or(0) {
            above.insert(slot.version);
        }
        self.advance(origin, 0);
        true
    }

    /// Moves `through` of `origin` to at least `to`, then over every version held next.
    fn advance(&mut self, origin: Origin, to: u64) {
        let through = self.through.entry(origin).or_insert(0);
        *through = (*through).max(to);
        let above = self.above.entry(origin).or_default();
        while above.first().is_some_and(|v| *v <= through.saturating_add(1)) {
            let v = above.pop_first().unwrap_or(0);
            *through = (*through).max(v);
        }
        if above.is_empty() {
            self.above.remove(&origin);
        }
        if self.through.get(&origin) == Some(&0) {
            self.through.remove(&origin);
        }
    }

    /// Everything `other` holds: slot by slot the higher version, the digest by the maximum.
    pub fn merge(&mut self, other: &LearnedState) -> usize {
        let mut changed = 0;
        for (k, s) in &other.slots {
            changed += usize::from(self.apply(k.clone(), *s));
        }
        for (o, v) in &other.through {
            self.advance(*o, *v);
        }
        changed
    }

    /// The merged value at (agent, state, action): (Σ sum / Σ n, Σ n), or `None` unvisited.
    pub fn read(&self, agent: &str, state: u32, action: u8) -> Option<(f64, u64)> {
        let lo = (agent.to_owned(), state, action, [0u8; 16]);
        let hi = (agent.to_owned(), state, action, [0xffu8; 16]);
        let (sum, n) = self
            .slots
            .range(lo..=hi)
            .fold((0.0, 0u64), |(s, n), (_, slot)| (s + slot.sum, n + u64::from(slot.n)));
        (n > 0).then(|| (sum / n as f64, n))
    }

    /// Every (state, action) of `agent` with its merged value, in order.
    pub fn read_agent(&self, agent: &str) -> Vec<(u32, u8, f64, u64)> {
        let mut out: Vec<(u32, u8, f64, u64)> = Vec::new();
        let lo = (agent.to_owned(), 0, 0, [0u8; 16]);
        let hi = (agent.to_owned(), u32::MAX, u8::MAX, [0xffu8; 16]);
        for ((_, state, action, _), slot) in self.slots.range(lo..=hi) {
            match out.last_mut() {
                Some(last) if last.0 == *state && last.1 == *action => {
                    last.2 += slot.sum;
                    last.3 += u64::from(slot.n);
                }
                _ => out.push((*state, *action, slot.sum, u64::from(slot.n))),
            }
        }
        out.retain(|x| x.3 > 0);
        for x in &mut out {
            x.2 /= x.3 as f64;
        }
        out
    }

    /// The agents an origin has slots for.
    pub fn agents_of(&self, origin: &Origin) -> BTreeSet<String> {
        self.slots.keys().filter(|k| &k.3 == origin).map(|k| k.0.clone()).collect()
    }

    /// One origin's slots for one agent, as a delta (what a NATS KV value carries).
    pub fn origin_slots(&self, agent: &str, origin: &Origin) -> Delta {
        let lo = (agent.to_owned(), 0, 0, [0u8; 16]);
        let hi = (agent.to_owned(), u32::MAX, u8::MAX, [0xffu8; 16]);
        let slots =
            self.slots.range(lo..=hi).filter(|(k, _)| &k.3 == origin).map(|(k, v)| (k.clone(), *v)).collect();
        Delta { slots, through: BTreeMap::new() }
    }

    /// What every origin but `except` learned for `agent`: (state, action, Σ q·n, Σ n), the
    /// rows `Swarm::set_others` takes.
    pub fn others_of(&self, agent: &str, except: &Origin) -> Vec<(u32, u8, f64, u64)> {
        let lo = (agent.to_owned(), 0, 0, [0u8; 16]);
        let hi = (agent.to_owned(), u32::MAX, u8::MAX, [0xffu8; 16]);
        let mut out: Vec<(u32, u8, f64, u64)> = Vec::new();
        for ((_, state, action, origin), slot) in self.slots.range(lo..=hi) {
            if origin == except || slot.n == 0 {
                continue;
            }
            match out.last_mut() {
                Some(last) if last.0 == *state && last.1 == *action => {
                    last.2 += slot.sum;
                    last.3 += u64::from(slot.n);
                }
                _ => out.push((*state, *action, slot.sum, u64::from(slot.n))),
            }
        }
        out
    }

    /// Per origin, through which version this node holds everything, and what it holds after.
    pub fn digest(&self) -> Digest {
        let mut d: Digest = self.through.iter().map(|(o, v)| (*o, (*v, Vec::new()))).collect();
        for (o, above) in &self.above {
            d.entry(*o).or_default().1 = above.iter().copied().collect();
        }
        d
    }

    /// What a peer with `theirs` is missing, oldest first per origin, in at most `budget`
    /// bytes (always at least one slot when anything is missing, so every round progresses).
    pub fn delta_for(&self, theirs: &Digest, budget: usize) -> Delta {
        let known = |o: &Origin| theirs.get(o).map_or(0, |d| d.0);
        let holds = |o: &Origin, v: u64| {
            v <= known(o) || theirs.get(o).is_some_and(|d| d.1.binary_search(&v).is_ok())
        };
        let mut missing: Vec<(&SlotKey, &Slot)> =
            self.slots.iter().filter(|(k, s)| !holds(&k.3, s.version)).collect();
        missing.sort_by_key(|(k, s)| (k.3, s.version));
        let mut delta = Delta::default();
        let mut used = 0;
        // Per origin cut short by the budget: the last version sent.
        let mut cut: BTreeMap<Origin, u64> = BTreeMap::new();
        let mut last: Option<(Origin, u64)> = None;
        for (k, s) in missing {
            if cut.contains_key(&k.3) {
                continue;
            }
            let size = SLOT_BYTES + 4 + k.0.len();
            if used + size > budget && !delta.slots.is_empty() {
                // This origin stops here; its later slots wait for the next round.
                cut.insert(k.3, last.filter(|l| l.0 == k.3).map_or(known(&k.3), |l| l.1));
                continue;
            }
            used += size;
            last = Some((k.3, s.version));
            delta.slots.push((k.clone(), *s));
        }
        // The receiver is complete through what this node is complete through, or, for an
        // origin cut short, through the last version sent (slots go oldest first).
        for (o, v) in &self.through {
            let through = cut.get(o).map_or(*v, |sent| (*sent).min(*v));
            if through > known(o) {
                delta.through.insert(*o, through);
            }
        }
        delta
    }

    /// Takes a peer's answer: its slots, then the digest moves where the answer says.
    pub fn absorb(&mut self, delta: &Delta) -> usize {
        let changed = delta.slots.iter().filter(|(k, s)| self.apply(k.clone(), *s)).count();
        for (o, v) in &delta.through {
            self.advance(*o, *v);
        }
        changed
    }
}

impl Delta {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.u32(self.slots.len() as u32);
        for ((agent, state, action, origin), s) in &self.slots {
            w.str(agent);
            w.u32(*state);
            w.u8(*action);
            w.bytes.extend_from_slice(origin);
            w.u64(s.sum.to_bits());
            w.u32(s.n);
            w.u64(s.version);
        }
        w.u32(self.through.len() as u32);
        for (o, v) in &self.through {
            w.bytes.extend_from_slice(o);
            w.u64(*v);
        }
        w.bytes
    }

    /// Bounds-checked: damage is `CORRUPT_DATA`, never a panic or an oversized allocation.
    pub fn from_bytes(bytes: &[u8]) -> Result<Delta> {
        let mut r = Reader::new(bytes);
        let mut delta = Delta::default();
        for _ in 0..r.count(SLOT_BYTES + 4)? {
            let agent = r.str()?.to_owned();
            let (state, action) = (r.u32()?, r.u8()?);
            let origin: Origin = r.take(16)?.try_into().map_err(|_| corrupt("origin"))?;
            let sum = f64::from_bits(r.u64()?);
            if !sum.is_finite() {
                return Err(corrupt("a learned sum is not a finite number"));
            }
            let (n, version) = (r.u32()?, r.u64()?);
            delta.slots.push(((agent, state, action, origin), Slot { sum, n, version }));
        }
        for _ in 0..r.count(16 + 8)? {
            let origin: Origin = r.take(16)?.try_into().map_err(|_| corrupt("origin"))?;
            delta.through.insert(origin, r.u64()?);
        }
        r.finish()?;
        Ok(delta)
    }
}

#[cfg(test)]
#[path = "learned_tests.rs"]
mod tests;
