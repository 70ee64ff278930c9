//! Any bytes given to `HnswIndex::from_bytes` must give an index or an error, never a panic;
//! a decoded index must re-encode to the same bytes and answer searches without panicking.
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run index_from_bytes -- -max_total_time=300
#![no_main]

use elex_engine::index::HnswIndex;
use elex_engine::snapshot::{encode, Kind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for bytes in [data.to_vec(), encode(Kind::VectorIndex, data)] {
        if let Ok(mut ix) = HnswIndex::from_bytes(&bytes) {
            assert_eq!(ix.to_bytes(), bytes, "decode/encode must round-trip");
            let dim = ix.config().dim;
            let q = vec![0.5f32; dim];
            if ix.size() > 0 {
                let _ = ix.search_graph(&q, 1, Some(8));
                let _ = ix.search_exact(&q, 1);
            }
            let _ = ix.add(u32::MAX - 1, &q);
        }
    }
});
