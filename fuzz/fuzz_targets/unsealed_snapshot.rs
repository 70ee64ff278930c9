//! Unsealed snapshot decoding the way `load()` does it: verify the container, read the kind,
//! hand the bytes to that kind's decoder; with and without a key. Never a panic; a decoded
//! object re-encodes to the same bytes and survives use (search, removal down to compaction).
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run unsealed_snapshot -- -max_total_time=300
#![no_main]

use elex_engine::index::HnswIndex;
use elex_engine::qlearning::QTable;
use elex_engine::snapshot::{encode, is_sealed, peek_kind, Kind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (selector, body) = data.split_first().unwrap_or((&0, &[]));
    let wrapped = encode(if selector & 1 == 0 { Kind::QTable } else { Kind::VectorIndex }, body);
    for bytes in [data, &wrapped[..]] {
        let _ = is_sealed(bytes);
        let Ok(kind) = peek_kind(bytes) else { continue };
        assert!(QTable::from_snapshot(bytes, Some(&[1; 32])).is_err(), "a key on an unsealed snapshot fails");
        match kind {
            Kind::QTable => {
                if let Ok(t) = QTable::from_snapshot(bytes, None) {
                    assert_eq!(t.to_bytes(), bytes);
                }
            }
            Kind::VectorIndex => {
                if let Ok(mut ix) = HnswIndex::from_snapshot(bytes, None) {
                    assert_eq!(ix.to_bytes(), bytes);
                    let q = vec![0.25f32; ix.config().dim];
                    if ix.size() > 0 {
                        let _ = ix.search(&q, 1, Some(16));
                    }
                    let ids: Vec<u32> = (0..64).filter(|id| ix.has(*id)).collect();
                    for id in ids {
                        ix.remove(id);
                    }
                    if ix.size() > 0 {
                        let _ = ix.search(&q, 1, None);
                    }
                }
            }
            Kind::Swarm => {}
        }
    }
});
