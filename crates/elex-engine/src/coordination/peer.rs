//! A cluster member as SWIM (foca) knows it, and the binary codec of foca's messages.
//!
//! A member is its Ed25519 public key (its address: one member per key), the time its
//! process started (a restart is a newer identity that replaces the old one at once), whether
//! it votes in consensus, and the WebSocket URL where it listens (none for a browser). The
//! address book travels inside the identities, so a node restarted on another port is found.

use bytes::{Buf, BufMut};
use foca::{Codec, Header, Identity, Member, Message, State};
use std::fmt;

#[derive(Clone, PartialEq, Eq, Debug, Hash, PartialOrd, Ord)]
pub struct Peer {
    pub key: [u8; 32],
    /// Process start (ms since the epoch); `renew` adds one.
    pub epoch: u64,
    pub voter: bool,
    /// `ws://host:port` where it listens; `None` for a browser learner.
    pub url: Option<String>,
}

impl Identity for Peer {
    type Addr = [u8; 32];

    fn renew(&self) -> Option<Self> {
        Some(Peer { epoch: self.epoch + 1, ..self.clone() })
    }

    fn addr(&self) -> [u8; 32] {
        self.key
    }

    /// The newer process wins; equal epochs are settled by the rest (a total order).
    fn win_addr_conflict(&self, adversary: &Self) -> bool {
        (self.epoch, self.voter, &self.url) > (adversary.epoch, adversary.voter, &adversary.url)
    }
}

impl Peer {
    /// The wire form alone (a hello's payload).
    pub fn to_bytes(&self) -> Result<Vec<u8>, CodecError> {
        let mut out = Vec::with_capacity(42 + self.url.as_ref().map_or(0, String::len));
        put_peer(self, &mut out)?;
        Ok(out)
    }

    pub fn from_bytes(mut bytes: &[u8]) -> Result<Peer, CodecError> {
        let peer = get_peer(&mut bytes)?;
        if bytes.is_empty() {
            Ok(peer)
        } else {
            Err(CodecError("trailing bytes"))
        }
    }
}

/// URLs longer than this are refused (a frame must stay small).
pub const MAX_URL: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodecError(pub &'static str);

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for CodecError {}

/// foca's messages in our own fixed little-endian layout (no serde in the engine).
#[derive(Debug, Default, Clone, Copy)]
pub struct PeerCodec;

fn need(buf: &impl Buf, n: usize) -> Result<(), CodecError> {
    if buf.remaining() < n {
        Err(CodecError("truncated"))
    } else {
        Ok(())
    }
}

fn put_peer(p: &Peer, buf: &mut impl BufMut) -> Result<(), CodecError> {
    buf.put_slice(&p.key);
    buf.put_u64_le(p.epoch);
    buf.put_u8(u8::from(p.voter) | if p.url.is_some() { 2 } else { 0 });
    if let Some(url) = &p.url {
        if url.len() > MAX_URL {
            return Err(CodecError("url too long"));
        }
        buf.put_u8(url.len() as u8);
        buf.put_slice(url.as_bytes());
    }
    Ok(())
}

fn get_peer(buf: &mut impl Buf) -> Result<Peer, CodecError> {
    need(buf, 32 + 8 + 1)?;
    let mut key = [0u8; 32];
    buf.copy_to_slice(&mut key);
    let epoch = buf.get_u64_le();
    let flags = buf.get_u8();
    if flags & !3 != 0 {
        return Err(CodecError("unknown peer flags"));
    }
    let url = if flags & 2 != 0 {
        need(buf, 1)?;
        let len = buf.get_u8() as usize;
        need(buf, len)?;
        let mut bytes = vec![0u8; len];
        buf.copy_to_slice(&mut bytes);
        Some(String::from_utf8(bytes).map_err(|_| CodecError("url is not UTF-8"))?)
    } else {
        None
    };
    Ok(Peer { key, epoch, voter: flags & 1 != 0, url })
}

impl Codec<Peer> for PeerCodec {
    type Error = CodecError;

    fn encode_header(&mut self, h: &Header<Peer>, mut buf: impl BufMut) -> Result<(), CodecError> {
        put_peer(&h.src, &mut buf)?;
        buf.put_u16_le(h.src_incarnation);
        put_peer(&h.dst, &mut buf)?;
        let (tag, peer, probe) = match &h.message {
            Message::Ping(n) => (0, None, *n),
            Message::Ack(n) => (1, None, *n),
            Message::PingReq { target, probe_number } => (2, Some(target), *probe_number),
            Message::IndirectPing { origin, probe_number } => (3, Some(origin), *probe_number),
            Message::IndirectAck { target, probe_number } => (4, Some(target), *probe_number),
            Message::ForwardedAck { origin, probe_number } => (5, Some(origin), *probe_number),
            Message::Announce => (6, None, 0),
            Message::Feed => (7, None, 0),
            Message::Gossip => (8, None, 0),
            Message::Broadcast => (9, None, 0),
            Message::TurnUndead => (10, None, 0),
        };
        buf.put_u8(tag);
        buf.put_u8(probe);
        if let Some(p) = peer {
            put_peer(p, &mut buf)?;
        }
        Ok(())
    }

    fn decode_header(&mut self, mut buf: impl Buf) -> Result<Header<Peer>, CodecError> {
        let src = get_peer(&mut buf)?;
        need(&buf, 2)?;
        let src_incarnation = buf.get_u16_le();
        let dst = get_peer(&mut buf)?;
        need(&buf, 2)?;
        let (tag, probe_number) = (buf.get_u8(), buf.get_u8());
        let message = match tag {
            0 => Message::Ping(probe_number),
            1 => Message::Ack(probe_number),
            2 => Message::PingReq { target: get_peer(&mut buf)?, probe_number },
            3 => Message::IndirectPing { origin: get_peer(&mut buf)?, probe_number },
            4 => Message::IndirectAck { target: get_peer(&mut buf)?, probe_number },
            5 => Message::ForwardedAck { origin: get_peer(&mut buf)?, probe_number },
            6 => Message::Announce,
            7 => Message::Feed,
            8 => Message::Gossip,
            9 => Message::Broadcast,
            10 => Message::TurnUndead,
            _ => return Err(CodecError("unknown message")),
        };
        Ok(Header { src, src_incarnation, dst, message })
    }

    fn encode_member(&mut self, m: &Member<Peer>, mut buf: impl BufMut) -> Result<(), CodecError> {
        put_peer(m.id(), &mut buf)?;
        buf.put_u16_le(m.incarnation());
        buf.put_u8(match m.state() {
            State::Alive => 0,
            State::Suspect => 1,
            State::Down => 2,
        });
        Ok(())
    }

    fn decode_member(&mut self, mut buf: impl Buf) -> Result<Member<Peer>, CodecError> {
        let id = get_peer(&mut buf)?;
        need(&buf, 3)?;
        let incarnation = buf.get_u16_le();
        let state = match buf.get_u8() {
            0 => State::Alive,
            1 => State::Suspect,
            2 => State::Down,
            _ => return Err(CodecError("unknown member state")),
        };
        Ok(Member::new(id, incarnation, state))
    }
}
