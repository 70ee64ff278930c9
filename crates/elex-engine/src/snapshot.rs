//! The one binary format of every saved object (Q-table now; index and swarm later):
//!
//! ```text
//! "ELEX" | format version u16 | kind u8 | reserved u8 (0) | payload length u64 | payload | CRC-32 u32
//! ```
//! All integers little-endian; the CRC-32 (IEEE) covers everything before it, so any single-
//! bit change is detected. Decoding checks, in order: length and magic, checksum, version,
//! kind, then the payload with a bounds-checked [`Reader`] that never allocates more than the
//! bytes it was given could describe. Anything else fails with `CORRUPT_DATA` or
//! `UNSUPPORTED_VERSION`, never a panic.

use crate::error::{ElexError, Result};

pub const MAGIC: &[u8; 4] = b"ELEX";
pub const FORMAT_VERSION: u16 = 1;
const HEADER_LEN: usize = 4 + 2 + 1 + 1 + 8;
const TRAILER_LEN: usize = 4;

/// What a snapshot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    QTable = 1,
    VectorIndex = 2,
    Swarm = 3,
}

impl Kind {
    fn from_u8(b: u8) -> Option<Kind> {
        match b {
            1 => Some(Kind::QTable),
            2 => Some(Kind::VectorIndex),
            3 => Some(Kind::Swarm),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::QTable => "QTable",
            Kind::VectorIndex => "VectorIndex",
            Kind::Swarm => "Swarm",
        }
    }
}

/// Wraps a payload in the header and checksum.
pub fn encode(kind: Kind, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len() + TRAILER_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.push(kind as u8);
    out.push(0);
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(payload);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// The kind stored in a snapshot (after full verification).
pub fn peek_kind(bytes: &[u8]) -> Result<Kind> {
    verify(bytes).map(|(kind, _)| kind)
}

/// The payload of a snapshot of the expected kind.
pub fn decode(bytes: &[u8], expected: Kind) -> Result<&[u8]> {
    let (kind, payload) = verify(bytes)?;
    if kind != expected {
        return Err(corrupt(format!("this is a {} snapshot, not a {}", kind.name(), expected.name())));
    }
    Ok(payload)
}

fn verify(bytes: &[u8]) -> Result<(Kind, &[u8])> {
    if bytes.len() < HEADER_LEN + TRAILER_LEN {
        return Err(corrupt(format!("{} bytes is too short for an elex snapshot", bytes.len())));
    }
    if &bytes[..4] != MAGIC {
        return Err(corrupt("not an elex snapshot (bad magic bytes)"));
    }
    let (body, trailer) = bytes.split_at(bytes.len() - TRAILER_LEN);
    let stored = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    if crc32fast::hash(body) != stored {
        return Err(corrupt("checksum mismatch: the snapshot is damaged"));
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != FORMAT_VERSION {
        return Err(ElexError::UnsupportedVersion(format!(
            "snapshot format version {version}; this build reads version {FORMAT_VERSION}"
        )));
    }
    let kind = Kind::from_u8(bytes[6]).ok_or_else(|| corrupt(format!("unknown object kind {}", bytes[6])))?;
    if bytes[7] != 0 {
        return Err(corrupt("reserved header byte is not zero"));
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&bytes[8..16]);
    let payload = &body[HEADER_LEN..];
    if u64::from_le_bytes(len) != payload.len() as u64 {
        return Err(corrupt("payload length does not match the header"));
    }
    Ok((kind, payload))
}

pub(crate) fn corrupt(msg: impl Into<String>) -> ElexError {
    ElexError::CorruptData(msg.into())
}

/// Little-endian payload writer.
#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.bytes.extend_from_slice(s.as_bytes());
    }
}

/// Bounds-checked little-endian payload reader: every read fails with `CORRUPT_DATA` past
/// the end instead of panicking.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes }
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len()
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.bytes.len() {
            return Err(corrupt("snapshot ends early"));
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
    }
    pub fn u32(&mut self) -> Result<u32> {
        self.array().map(u32::from_le_bytes)
    }
    pub fn u64(&mut self) -> Result<u64> {
        self.array().map(u64::from_le_bytes)
    }
    pub fn f32(&mut self) -> Result<f32> {
        self.array().map(f32::from_le_bytes)
    }
    pub fn str(&mut self) -> Result<&'a str> {
        let len = self.u32()? as usize;
        std::str::from_utf8(self.take(len)?).map_err(|_| corrupt("a string is not valid UTF-8"))
    }

    /// A count of items that each take at least `min_item_bytes`: rejected if the rest of the
    /// payload could not hold that many, so a forged count cannot trigger a huge allocation.
    pub fn count(&mut self, min_item_bytes: usize) -> Result<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_item_bytes.max(1)) > self.bytes.len() {
            return Err(corrupt(format!("count {n} is larger than the snapshot can hold")));
        }
        Ok(n)
    }

    pub fn finish(self) -> Result<()> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(corrupt(format!("{} unexpected bytes after the payload", self.bytes.len())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_every_single_bit_flip() {
        let bytes = encode(Kind::QTable, b"hello payload");
        assert_eq!(decode(&bytes, Kind::QTable).unwrap(), b"hello payload");
        for bit in 0..bytes.len() * 8 {
            let mut damaged = bytes.clone();
            damaged[bit / 8] ^= 1 << (bit % 8);
            let code = decode(&damaged, Kind::QTable).unwrap_err().code();
            assert!(code == "CORRUPT_DATA" || code == "UNSUPPORTED_VERSION", "bit {bit}: {code}");
        }
    }

    #[test]
    fn rejects_other_kinds_versions_and_truncation() {
        let bytes = encode(Kind::VectorIndex, b"x");
        assert_eq!(decode(&bytes, Kind::QTable).unwrap_err().code(), "CORRUPT_DATA");
        for n in 0..bytes.len() {
            assert_eq!(decode(&bytes[..n], Kind::VectorIndex).unwrap_err().code(), "CORRUPT_DATA");
        }
        // A well-formed snapshot of a future format version.
        let mut future = bytes[..bytes.len() - 4].to_vec();
        future[4] = 2;
        let crc = crc32fast::hash(&future);
        future.extend_from_slice(&crc.to_le_bytes());
        assert_eq!(decode(&future, Kind::VectorIndex).unwrap_err().code(), "UNSUPPORTED_VERSION");
    }

    #[test]
    fn reader_never_reads_past_the_end() {
        let mut r = Reader::new(&[1, 0, 0, 0, 9]);
        assert_eq!(r.u32().unwrap(), 1);
        assert!(r.u32().is_err());
        let mut r = Reader::new(&[255, 255, 255, 255]);
        assert!(r.count(1).is_err());
        let mut r = Reader::new(&[3, 0, 0, 0, 0xff, 0xfe, 0xfd]);
        assert!(r.str().is_err());
    }
}
