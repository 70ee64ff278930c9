//! Signed frames between nodes. Membership gossip (SWIM) and consensus messages carry no
//! authentication of their own, so every frame travels sealed here:
//!
//! ```text
//! "ELXF" | version u8 | kind u8 | sender public key [32] | recipient public key [32] |
//! seq u64 | sent at (ms) u64 | payload length u32 | payload |
//! Ed25519 signature [64] over everything before it | CRC-32 [4] over everything before it
//! ```
//! A receiver's [`Guard`] checks, in order: size, layout, the CRC (a mismatch is damage or a
//! naive edit: `tampered`), that the sender is trusted, the signature (a well-formed frame
//! that does not verify: `forged`), that it is addressed to this node (all-zero: to anyone,
//! for hellos), that the timestamp is within the window of its own clock, and that the
//! sequence number was not seen (a sliding window per sender, as IPsec does). The recipient
//! is signed, so a frame sent to one node cannot be replayed to another. A frame failing any
//! check is dropped and counted by reason; only then does the window move, so a rejected
//! frame changes nothing. Sequence numbers start from the sender's clock, so a restarted node
//! is not mistaken for a replay of its former self. (An attacker who recomputes the CRC is
//! counted `forged`: both are dropped, the split is diagnostic.)

use crate::security::{self, Identity};
use std::collections::BTreeMap;

const MAGIC: &[u8; 4] = b"ELXF";
const VERSION: u8 = 2;
const HEADER: usize = 4 + 1 + 1 + 32 + 32 + 8 + 8 + 4;
const SIGNATURE: usize = 64;
const TRAILER: usize = SIGNATURE + 4;
/// The recipient of a frame for anyone (a hello before the peer's key is known).
pub const ANYONE: [u8; 32] = [0; 32];
/// Frames larger than this are dropped unread (SWIM packets and CRDT deltas stay far below).
pub const DEFAULT_MAX_FRAME: usize = 64 * 1024;
/// How far a frame's timestamp may be from the receiver's clock.
pub const DEFAULT_WINDOW_MS: u64 = 30_000;
/// Out-of-order frames accepted per sender (bits of the replay window).
const REPLAY_WINDOW: u64 = 64;

/// Why a frame was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reject {
    Oversized,
    Malformed,
    /// The CRC does not match: changed after sealing.
    Tampered,
    Untrusted,
    /// Well formed, but the signature does not verify under the sender's key.
    Forged,
    /// Sent too long ago, or too far in the future, for the receiver's clock.
    Stale,
    Replayed,
}

impl Reject {
    pub fn name(self) -> &'static str {
        match self {
            Reject::Oversized => "oversized",
            Reject::Malformed => "malformed",
            Reject::Tampered => "tampered",
            Reject::Untrusted => "untrusted",
            Reject::Forged => "forged",
            Reject::Stale => "stale",
            Reject::Replayed => "replayed",
        }
    }
}

/// Seals this node's frames.
pub struct Sealer {
    identity: Identity,
    public_key: [u8; 32],
    seq: u64,
}

impl Sealer {
    pub fn new(identity: Identity, now_ms: u64) -> Self {
        let public_key = identity.public_key();
        // Milliseconds × 2^16: a restart starts above anything the node sent before.
        Sealer { identity, public_key, seq: now_ms << 16 }
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.public_key
    }

    /// A frame for `to` (a public key, or [`ANYONE`]).
    pub fn seal(&mut self, kind: u8, to: &[u8; 32], payload: &[u8], now_ms: u64) -> Vec<u8> {
        self.seq += 1;
        let mut out = Vec::with_capacity(HEADER + payload.len() + TRAILER);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.push(kind);
        out.extend_from_slice(&self.public_key);
        out.extend_from_slice(to);
        out.extend_from_slice(&self.seq.to_le_bytes());
        out.extend_from_slice(&now_ms.to_le_bytes());
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(payload);
        let signature = self.identity.sign(&out);
        out.extend_from_slice(&signature);
        let crc = crate::crc32::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }
}

/// A frame that passed every check.
#[derive(Debug, PartialEq, Eq)]
pub struct Opened<'a> {
    pub sender: [u8; 32],
    pub recipient: [u8; 32],
    pub kind: u8,
    pub seq: u64,
    pub sent_ms: u64,
    pub payload: &'a [u8],
}

/// Per sender: the highest sequence number accepted and which of the 64 below it were seen.
#[derive(Debug, Clone, Copy, Default)]
struct Seen {
    top: u64,
    below: u64,
}

impl Seen {
    fn fresh(&self, seq: u64) -> bool {
        if seq > self.top {
            return true;
        }
        let back = self.top - seq;
        back != 0 && back <= REPLAY_WINDOW && self.below & (1 << (back - 1)) == 0
    }

    fn mark(&mut self, seq: u64) {
        if seq > self.top {
            let shift = seq - self.top;
            self.below = if shift > REPLAY_WINDOW { 0 } else { (self.below << shift) | (1 << (shift - 1)) };
            self.top = seq;
        } else {
            self.below |= 1 << (self.top - seq - 1);
        }
    }
}

/// Checks incoming frames and counts what it drops.
pub struct Guard {
    /// This node's public key: frames addressed elsewhere are replays.
    own: [u8; 32],
    /// `None`: any signed frame is welcome (an open cluster).
    trust: Option<Vec<[u8; 32]>>,
    max_frame: usize,
    window_ms: u64,
    seen: BTreeMap<[u8; 32], Seen>,
    rejected: BTreeMap<Reject, u64>,
}

impl Guard {
    pub fn new(own: [u8; 32], trust: Option<Vec<[u8; 32]>>, max_frame: usize, window_ms: u64) -> Self {
        Guard { own, trust, max_frame, window_ms, seen: BTreeMap::new(), rejected: BTreeMap::new() }
    }

    /// Dropped frames so far, by reason.
    pub fn rejected(&self) -> BTreeMap<&'static str, u64> {
        self.rejected.iter().map(|(r, n)| (r.name(), *n)).collect()
    }

    pub fn open<'a>(&mut self, bytes: &'a [u8], now_ms: u64) -> Result<Opened<'a>, Reject> {
        let checked = self.check(bytes, now_ms);
        match &checked {
            Ok(frame) => self.seen.entry(frame.sender).or_default().mark(frame.seq),
            Err(why) => *self.rejected.entry(*why).or_insert(0) += 1,
        }
        checked
    }

    /// A frame kept in a store (a NATS KV value): checked for size, layout, damage, trust and
    /// signature, but not for time or repetition, since it is read again whenever a node
    /// (re)starts watching; what it carries is idempotent to apply.
    pub fn open_stored<'a>(&mut self, bytes: &'a [u8]) -> Result<Opened<'a>, Reject> {
        let checked = self.check_seal(bytes);
        if let Err(why) = &checked {
            *self.rejected.entry(*why).or_insert(0) += 1;
        }
        checked
    }

    fn check_seal<'a>(&self, bytes: &'a [u8]) -> Result<Opened<'a>, Reject> {
        if bytes.len() > self.max_frame {
            return Err(Reject::Oversized);
        }
        let frame = parse(bytes).ok_or(Reject::Malformed)?;
        let (sealed, crc) = bytes.split_at(bytes.len() - 4);
        if crate::crc32::hash(sealed).to_le_bytes() != crc {
            return Err(Reject::Tampered);
        }
        if self.trust.as_ref().is_some_and(|t| !t.contains(&frame.sender)) {
            return Err(Reject::Untrusted);
        }
        let (signed, signature) = sealed.split_at(sealed.len() - SIGNATURE);
        if !security::verify(&frame.sender, signed, signature).unwrap_or(false) {
            return Err(Reject::Forged);
        }
        Ok(frame)
    }

    fn check<'a>(&self, bytes: &'a [u8], now_ms: u64) -> Result<Opened<'a>, Reject> {
        let frame = self.check_seal(bytes)?;
        if frame.recipient != self.own && frame.recipient != ANYONE {
            return Err(Reject::Replayed);
        }
        if frame.sent_ms.abs_diff(now_ms) > self.window_ms {
            return Err(Reject::Stale);
        }
        if !self.seen.get(&frame.sender).copied().unwrap_or_default().fresh(frame.seq) {
            return Err(Reject::Replayed);
        }
        Ok(frame)
    }
}

/// The layout alone (no signature check).
fn parse(bytes: &[u8]) -> Option<Opened<'_>> {
    if bytes.len() < HEADER + TRAILER || &bytes[..4] != MAGIC || bytes[4] != VERSION {
        return None;
    }
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap_or([0; 8]));
    let len = u32::from_le_bytes(bytes[HEADER - 4..HEADER].try_into().ok()?) as usize;
    if HEADER.checked_add(len)?.checked_add(TRAILER)? != bytes.len() {
        return None;
    }
    Some(Opened {
        sender: bytes[6..38].try_into().ok()?,
        recipient: bytes[38..70].try_into().ok()?,
        kind: bytes[5],
        seq: u64_at(70),
        sent_ms: u64_at(78),
        payload: &bytes[HEADER..HEADER + len],
    })
}

#[cfg(test)]
#[path = "envelope_tests.rs"]
mod tests;
