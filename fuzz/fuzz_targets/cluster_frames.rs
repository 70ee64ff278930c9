//! Any bytes from the network, given to a node's frame guard or to the learned-state delta
//! decoder, must be dropped or decoded, never panic; a decoded delta must apply and encode
//! without panicking.
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run cluster_frames -- -max_total_time=300
#![no_main]

use elex_engine::coordination::envelope::{Guard, DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS};
use elex_engine::coordination::learned::{Delta, LearnedState};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut guard = Guard::new([7; 32], None, DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS);
    let _ = guard.open(data, 1_800_000_000_000);
    if let Ok(delta) = Delta::from_bytes(data) {
        let mut state = LearnedState::new();
        state.absorb(&delta);
        let _ = state.delta_for(&state.digest(), 1 << 16).to_bytes();
        assert_eq!(Delta::from_bytes(&delta.to_bytes()).ok(), Some(delta));
    }
});
