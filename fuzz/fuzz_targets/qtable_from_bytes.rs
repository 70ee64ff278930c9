//! Any bytes given to `QTable::from_bytes` must give a table or an error, never a panic,
//! and a table that decodes must encode back to exactly the same bytes (the format has one
//! spelling per table). Run (see docs/development.md):
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run qtable_from_bytes -- -max_total_time=300
#![no_main]

use elex_engine::qlearning::{QTable, State};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Raw bytes, and the same bytes behind a valid header and checksum, so the fuzzer also
    // reaches the payload decoder instead of stopping at the checksum.
    for bytes in [data.to_vec(), elex_engine::snapshot::encode(elex_engine::snapshot::Kind::QTable, data)] {
        if let Ok(mut table) = QTable::from_bytes(&bytes) {
            assert_eq!(table.to_bytes(), bytes, "decode/encode must round-trip");
            // The decoded table must be fully usable.
            let s = State::Num(1);
            let a = table.select_action(s);
            let _ = table.update(s, a, 1.0, Some(State::Str("x")));
            let _ = table.stats();
            let copy = table.clone();
            let _ = table.merge(&copy);
        }
    }
});
