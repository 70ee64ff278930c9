//! The persisted raft state of a coordinator, as one file image: whose it is, hard state
//! (term, vote, commit), the group's configuration and every log entry, closed by a CRC-32.
//! `"ELXR" | v1 | owner key[32] | len HardState | len ConfState | n × (len Entry) | crc32`,
//! protobuf inside. The owner is checked on start: one node's vote is not another's.
//! The log is small (change plans) and never compacted, so the whole image is rewritten.
//! A damaged image is `CORRUPT_DATA`: a node refuses to start rather than vote twice.

use crate::coordination::raft_guard;
use crate::error::Result;
use crate::snapshot::{corrupt, Reader, Writer};
use raft::eraftpb::{ConfState, Entry, HardState};

const MAGIC: &[u8; 4] = b"ELXR";
const VERSION: u8 = 1;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Image {
    /// The public key of the node that wrote it.
    pub owner: [u8; 32],
    pub hard_state: HardState,
    pub conf_state: ConfState,
    pub entries: Vec<Entry>,
}

fn put(w: &mut Writer, m: &impl protobuf::Message) {
    let bytes = m.write_to_bytes().unwrap_or_default();
    w.u32(bytes.len() as u32);
    w.bytes.extend_from_slice(&bytes);
}

pub fn encode(image: &Image) -> Vec<u8> {
    let mut w = Writer::default();
    w.bytes.extend_from_slice(MAGIC);
    w.u8(VERSION);
    w.bytes.extend_from_slice(&image.owner);
    put(&mut w, &image.hard_state);
    put(&mut w, &image.conf_state);
    w.u32(image.entries.len() as u32);
    for e in &image.entries {
        put(&mut w, e);
    }
    let crc = crate::crc32::hash(&w.bytes);
    w.u32(crc);
    w.bytes
}

fn get<M: protobuf::Message>(r: &mut Reader, what: &str) -> Result<M> {
    let len = r.u32()? as usize;
    let bytes = r.take(len)?;
    // Our own file, but checked like a frame: a damaged one must not recurse either.
    if !raft_guard::well_formed(bytes) {
        return Err(corrupt(format!("raft state: {what} is not valid")));
    }
    M::parse_from_bytes(bytes).map_err(|e| corrupt(format!("raft state: {what}: {e}")))
}

pub fn decode(bytes: &[u8]) -> Result<Image> {
    if bytes.len() < 9 || &bytes[..4] != MAGIC {
        return Err(corrupt("not a raft state file"));
    }
    let (body, crc) = bytes.split_at(bytes.len() - 4);
    if crate::crc32::hash(body).to_le_bytes() != crc {
        return Err(corrupt("raft state: checksum mismatch"));
    }
    let mut r = Reader::new(&body[4..]);
    if r.u8()? != VERSION {
        return Err(crate::error::ElexError::UnsupportedVersion("raft state version".into()));
    }
    let owner: [u8; 32] = r.take(32)?.try_into().map_err(|_| corrupt("raft state: owner"))?;
    let hard_state = get(&mut r, "hard state")?;
    let conf_state = get(&mut r, "configuration")?;
    let n = r.count(4)?;
    let mut entries: Vec<Entry> = Vec::with_capacity(n);
    for i in 0..n {
        let e: Entry = get(&mut r, "entry")?;
        if e.index != entries.last().map_or(e.index, |p| p.index + 1) || e.index == 0 {
            return Err(corrupt(format!("raft state: entry {i} is out of order")));
        }
        entries.push(e);
    }
    r.finish()?;
    Ok(Image { owner, hard_state, conf_state, entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Image {
        let hs = HardState { term: 3, vote: 7, commit: 2, ..HardState::default() };
        let entries = (1..=2)
            .map(|i| Entry {
                index: i,
                term: 3,
                data: format!("plan {i}").into_bytes().into(),
                ..Entry::default()
            })
            .collect();
        Image {
            owner: [5; 32],
            hard_state: hs,
            conf_state: ConfState::from((vec![7u64, 9], vec![11u64])),
            entries,
        }
    }

    #[test]
    fn images_round_trip() {
        let image = sample();
        assert_eq!(decode(&encode(&image)).unwrap(), image);
        assert_eq!(decode(&encode(&Image::default())).unwrap(), Image::default());
    }

    #[test]
    fn any_damage_is_corrupt_data_never_a_panic() {
        let bytes = encode(&sample());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            let e = decode(&b).unwrap_err();
            assert!(matches!(e.code(), "CORRUPT_DATA" | "UNSUPPORTED_VERSION"), "flip at {i}: {e}");
        }
    }
}
