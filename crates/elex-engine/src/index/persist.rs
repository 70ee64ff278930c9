//! Index payload inside the shared snapshot format (`crate::snapshot`, kind VectorIndex):
//!
//! ```text
//! dim u32 | metric u8 | m u32 | efConstruction u32 | efSearch u32 | seed u64 | rng u64
//! | maxLevel u32 | entry u32 (u32::MAX = none) | slots u32
//! | per slot: id u32 | level u8 | removed u8 | vector f32 × dim | layer 0 u32 × 2m
//! |           | layers 1..=level u32 × m each
//! ```
//! Decoding validates everything a search relies on (link targets, levels, the entry point,
//! unique live ids, finite vectors), so a loaded index can never index out of bounds.

use super::config::{IndexConfig, Metric};
use super::graph::{HnswIndex, EMPTY, MAX_LEVEL};
use crate::error::Result;
use crate::rng::Rng;
use crate::snapshot::{self, corrupt, Kind, Reader, Writer};

impl HnswIndex {
    pub fn to_bytes(&self) -> Vec<u8> {
        snapshot::encode(Kind::VectorIndex, &self.payload())
    }

    /// The snapshot sealed with a 32-byte key (AES-256-GCM, header bound; see `snapshot`).
    pub fn to_sealed_bytes(&self, key: &[u8]) -> Result<Vec<u8>> {
        snapshot::seal(Kind::VectorIndex, &self.payload(), key)
    }

    /// `from_bytes`, or with `key` the sealed form `to_sealed_bytes` wrote.
    pub fn from_snapshot(bytes: &[u8], key: Option<&[u8]>) -> Result<HnswIndex> {
        Self::from_payload(&snapshot::open(bytes, Kind::VectorIndex, key)?)
    }

    fn payload(&self) -> Vec<u8> {
        let c = self.cfg;
        let mut w = Writer::default();
        w.u32(c.dim as u32);
        w.u8(match c.metric {
            Metric::Cosine => 0,
            Metric::L2 => 1,
            Metric::Dot => 2,
        });
        w.u32(c.m as u32);
        w.u32(c.ef_construction as u32);
        w.u32(c.ef_search as u32);
        w.u64(c.seed);
        w.u64(self.rng.0);
        w.u32(self.max_level as u32);
        w.u32(self.entry.unwrap_or(EMPTY));
        w.u32(self.ids.len() as u32);
        for slot in 0..self.ids.len() {
            w.u32(self.ids[slot]);
            w.u8(self.levels[slot]);
            w.u8(u8::from(self.deleted[slot]));
            for x in self.vector(slot as u32) {
                w.f32(*x);
            }
            // Lists are stored EMPTY-padded to their capacity (the format predates the
            // in-memory length prefix).
            for l in 0..=usize::from(self.levels[slot]) {
                let list = self.neighbours(slot as u32, l);
                for s in list {
                    w.u32(*s);
                }
                for _ in list.len()..self.capacity(l) {
                    w.u32(EMPTY);
                }
            }
        }
        w.bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<HnswIndex> {
        Self::from_snapshot(bytes, None)
    }

    fn from_payload(payload: &[u8]) -> Result<HnswIndex> {
        let mut r = Reader::new(payload);
        let dim = r.u32()? as usize;
        let metric = match r.u8()? {
            0 => Metric::Cosine,
            1 => Metric::L2,
            2 => Metric::Dot,
            t => return Err(corrupt(format!("unknown metric {t}"))),
        };
        let (m, ef_c, ef_s) = (r.u32()? as usize, r.u32()? as usize, r.u32()? as usize);
        let cfg = IndexConfig { dim, metric, m, ef_construction: ef_c, ef_search: ef_s, seed: r.u64()? };
        let mut ix = HnswIndex::new(cfg).map_err(|e| corrupt(format!("bad settings: {e}")))?;
        ix.rng = Rng(r.u64()?);
        let max_level = r.u32()? as usize;
        let entry = r.u32()?;
        let (d, w0) = (cfg.dim, 2 * cfg.m);
        let slots = r.count(4 + 2 + d * 4 + w0 * 4)?;
        for slot in 0..slots {
            let id = r.u32()?;
            let level = r.u8()? as usize;
            let removed = match r.u8()? {
                0 => false,
                1 => true,
                b => return Err(corrupt(format!("bad removed flag {b}"))),
            };
            if level > MAX_LEVEL {
                return Err(corrupt(format!("slot {slot} has level {level}")));
            }
            let mut vector = Vec::with_capacity(d);
            for _ in 0..d {
                let x = r.f32()?;
                if !x.is_finite() {
                    return Err(corrupt("a stored vector is not finite"));
                }
                vector.push(x);
            }
            ix.push_slot(id, level, &vector, removed);
            for l in 0..=level {
                let mut list = Vec::with_capacity(ix.capacity(l));
                for _ in 0..ix.capacity(l) {
                    list.push(r.u32()?);
                }
                // Links first, then only padding (one encoding per index).
                let len = list.iter().position(|s| *s == EMPTY).unwrap_or(list.len());
                if list[len..].iter().any(|s| *s != EMPTY) {
                    return Err(corrupt(format!("slot {slot} has a link after the end of its list")));
                }
                if list[..len].iter().any(|s| *s >= u32::try_from(slots).unwrap_or(EMPTY)) {
                    return Err(corrupt("a link points past the last slot"));
                }
                ix.set_neighbours(slot as u32, l, &list[..len]);
            }
            if !removed {
                if ix.slot_of.get(&id).is_some_and(|s| !ix.deleted[*s as usize]) {
                    return Err(corrupt(format!("id {id} is live twice")));
                }
                ix.live += 1;
                ix.slot_of.insert(id, slot as u32);
            } else {
                ix.slot_of.entry(id).or_insert(slot as u32);
            }
        }
        r.finish()?;
        // Links must point at layers their targets have.
        let n = slots as u32;
        for slot in 0..n {
            for l in 1..=usize::from(ix.levels[slot as usize]) {
                if ix.neighbours(slot, l).iter().any(|s| usize::from(ix.levels[*s as usize]) < l) {
                    return Err(corrupt(format!(
                        "slot {slot} links at layer {l} to a node without that layer"
                    )));
                }
            }
        }
        match (entry, slots) {
            (EMPTY, 0) if max_level == 0 => {}
            (e, _) if e < n && usize::from(ix.levels[e as usize]) == max_level => {
                ix.entry = Some(e);
                ix.max_level = max_level;
            }
            _ => return Err(corrupt("bad entry point")),
        }
        Ok(ix)
    }
}
