//! The one binary format of every saved object (Q-table now; index and swarm later):
//!
//! ```text
//! "ELEX" | format version u16 | kind u8 | flags u8 | payload length u64 | payload | CRC-32 u32
//! ```
//! Flags: 0 = plain; 1 = sealed, where the stored payload is AES-256-GCM
//! `nonce ‖ ciphertext ‖ tag` of the plain payload with the first 8 header bytes (magic,
//! version, kind, flags) as associated data, so a sealed snapshot cannot be relabelled as
//! another kind or version, or as unsealed, without failing to decrypt.
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
    let crc = crate::crc32::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

const FLAG_SEALED: u8 = 1;
/// Header bytes bound to a sealed payload as associated data.
const AAD_LEN: usize = 8;

/// Wraps a payload sealed with `key` (32 bytes) in the header and checksum.
pub fn seal(kind: Kind, payload: &[u8], key: &[u8]) -> Result<Vec<u8>> {
    let mut header = [0u8; AAD_LEN];
    header[..4].copy_from_slice(MAGIC);
    header[4..6].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    header[6] = kind as u8;
    header[7] = FLAG_SEALED;
    let sealed = crate::security::encrypt(key, payload, &header)?;
    let mut out = encode(kind, &sealed);
    out[7] = FLAG_SEALED;
    let crc = crate::crc32::hash(&out[..out.len() - TRAILER_LEN]);
    let at = out.len() - TRAILER_LEN;
    out[at..].copy_from_slice(&crc.to_le_bytes());
    Ok(out)
}

/// True if the snapshot is sealed (after full verification).
pub fn is_sealed(bytes: &[u8]) -> Result<bool> {
    verify(bytes).map(|(_, flags, _)| flags == FLAG_SEALED)
}

/// The kind stored in a snapshot (after full verification).
pub fn peek_kind(bytes: &[u8]) -> Result<Kind> {
    verify(bytes).map(|(kind, _, _)| kind)
}

/// The payload of an unsealed snapshot of the expected kind.
pub fn decode(bytes: &[u8], expected: Kind) -> Result<&[u8]> {
    match open(bytes, expected, None)? {
        std::borrow::Cow::Borrowed(payload) => Ok(payload),
        std::borrow::Cow::Owned(_) => {
            Err(ElexError::Internal("a sealed snapshot opened without a key".into()))
        }
    }
}

/// The plain payload of a snapshot of the expected kind: unsealed when `key` is `None`,
/// sealed with `key` otherwise. A sealed snapshot without a key is `INVALID_KEY`; with a key,
/// an unsealed one is `DECRYPTION_FAILED` (a key asks for proof of who wrote it); the wrong
/// key or any tampering that keeps the checksum right is `DECRYPTION_FAILED`.
pub fn open<'a>(bytes: &'a [u8], expected: Kind, key: Option<&[u8]>) -> Result<std::borrow::Cow<'a, [u8]>> {
    let (kind, flags, payload) = verify(bytes)?;
    if kind != expected {
        return Err(corrupt(format!("this is a {} snapshot, not a {}", kind.name(), expected.name())));
    }
    match (flags == FLAG_SEALED, key) {
        (false, None) => Ok(std::borrow::Cow::Borrowed(payload)),
        (true, Some(key)) => {
            Ok(std::borrow::Cow::Owned(crate::security::decrypt(key, payload, &bytes[..AAD_LEN])?))
        }
        (true, None) => {
            Err(ElexError::InvalidKey("this snapshot is sealed: pass the key it was sealed with".into()))
        }
        (false, Some(key)) => {
            if key.len() != crate::security::KEY_LEN {
                return Err(ElexError::InvalidKey(format!("a key is 32 bytes, got {}", key.len()).into()));
            }
            Err(ElexError::DecryptionFailed("a key was given but this snapshot is not sealed".into()))
        }
    }
}

fn verify(bytes: &[u8]) -> Result<(Kind, u8, &[u8])> {
    if bytes.len() < HEADER_LEN + TRAILER_LEN {
        return Err(corrupt(format!("{} bytes is too short for an elex snapshot", bytes.len())));
    }
    if &bytes[..4] != MAGIC {
        return Err(corrupt("not an elex snapshot (bad magic bytes)"));
    }
    let (body, trailer) = bytes.split_at(bytes.len() - TRAILER_LEN);
    let stored = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    if crate::crc32::hash(body) != stored {
        return Err(corrupt("checksum mismatch: the snapshot is damaged"));
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != FORMAT_VERSION {
        return Err(ElexError::UnsupportedVersion(
            format!("snapshot format version {version}; this build reads version {FORMAT_VERSION}").into(),
        ));
    }
    let kind = Kind::from_u8(bytes[6]).ok_or_else(|| corrupt(format!("unknown object kind {}", bytes[6])))?;
    let flags = bytes[7];
    if flags > FLAG_SEALED {
        return Err(corrupt(format!("unknown header flags {flags}")));
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&bytes[8..16]);
    let payload = &body[HEADER_LEN..];
    if u64::from_le_bytes(len) != payload.len() as u64 {
        return Err(corrupt("payload length does not match the header"));
    }
    Ok((kind, flags, payload))
}

pub(crate) fn corrupt(msg: impl Into<crate::error::Detail>) -> ElexError {
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
        let crc = crate::crc32::hash(&future);
        future.extend_from_slice(&crc.to_le_bytes());
        assert_eq!(decode(&future, Kind::VectorIndex).unwrap_err().code(), "UNSUPPORTED_VERSION");
    }

    /// `bytes` with byte `i` xor `mask` and the checksum recomputed (tampering, not damage).
    fn forged(bytes: &[u8], i: usize, mask: u8) -> Vec<u8> {
        let mut out = bytes[..bytes.len() - TRAILER_LEN].to_vec();
        out[i] ^= mask;
        let crc = crate::crc32::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    #[test]
    fn sealed_snapshots_open_only_with_their_key_and_header() {
        let key = [7u8; 32];
        let sealed = seal(Kind::QTable, b"the payload", &key).unwrap();
        assert!(is_sealed(&sealed).unwrap());
        assert_eq!(&*open(&sealed, Kind::QTable, Some(&key)).unwrap(), b"the payload");
        assert_eq!(open(&sealed, Kind::QTable, None).unwrap_err().code(), "INVALID_KEY");
        assert_eq!(open(&sealed, Kind::QTable, Some(&[8u8; 32])).unwrap_err().code(), "DECRYPTION_FAILED");
        assert_eq!(open(&sealed, Kind::QTable, Some(&key[..16])).unwrap_err().code(), "INVALID_KEY");
        let plain = encode(Kind::QTable, b"the payload");
        assert_eq!(open(&plain, Kind::QTable, Some(&key)).unwrap_err().code(), "DECRYPTION_FAILED");
        // Relabelled as another kind: the header is bound as associated data.
        let relabelled = forged(&sealed, 6, (Kind::QTable as u8) ^ (Kind::VectorIndex as u8));
        assert_eq!(peek_kind(&relabelled).unwrap(), Kind::VectorIndex);
        assert_eq!(open(&relabelled, Kind::VectorIndex, Some(&key)).unwrap_err().code(), "DECRYPTION_FAILED");
        // Every single-bit change, damage or forgery, is rejected.
        for bit in 0..(sealed.len() - TRAILER_LEN) * 8 {
            for bytes in [forged(&sealed, bit / 8, 1 << (bit % 8)), {
                let mut d = sealed.clone();
                d[bit / 8] ^= 1 << (bit % 8);
                d
            }] {
                let code = open(&bytes, Kind::QTable, Some(&key)).unwrap_err().code();
                assert!(
                    ["CORRUPT_DATA", "UNSUPPORTED_VERSION", "DECRYPTION_FAILED"].contains(&code),
                    "bit {bit}: {code}"
                );
            }
        }
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
