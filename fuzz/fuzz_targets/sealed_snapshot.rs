//! Sealed snapshot decoding: any bytes opened with a key — raw, and the fuzz data sealed
//! properly so the payload decoders behind decryption are reached too — give an object or
//! an error, never a panic; what opens re-seals and opens to the same object.
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run sealed_snapshot -- -max_total_time=300
#![no_main]

use elex_engine::index::HnswIndex;
use elex_engine::qlearning::QTable;
use elex_engine::snapshot::{seal, Kind};
use libfuzzer_sys::fuzz_target;

const KEY: [u8; 32] = [0x5a; 32];

fuzz_target!(|data: &[u8]| {
    for kind in [Kind::QTable, Kind::VectorIndex] {
        let sealed = seal(kind, data, &KEY).expect("sealing never fails with a 32-byte key");
        for bytes in [data, &sealed[..]] {
            match kind {
                Kind::QTable => {
                    if let Ok(t) = QTable::from_snapshot(bytes, Some(&KEY)) {
                        let again = t.to_sealed_bytes(&KEY).unwrap();
                        assert_eq!(QTable::from_snapshot(&again, Some(&KEY)).unwrap().to_bytes(), t.to_bytes());
                    }
                    assert!(QTable::from_snapshot(bytes, Some(&[0u8; 32])).is_err() || bytes == data);
                }
                _ => {
                    if let Ok(ix) = HnswIndex::from_snapshot(bytes, Some(&KEY)) {
                        let again = ix.to_sealed_bytes(&KEY).unwrap();
                        assert_eq!(HnswIndex::from_snapshot(&again, Some(&KEY)).unwrap().to_bytes(), ix.to_bytes());
                    }
                }
            }
        }
    }
});
