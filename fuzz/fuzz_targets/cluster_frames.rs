//! Any bytes from the network, given to a node's frame guard, to the learned-state delta
//! decoder, to the raft message check and decoder, or read as a raft state file, must be
//! dropped or decoded, never panic; a decoded delta must apply and encode without panicking.
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run cluster_frames -- -max_total_time=300
#![no_main]

use elex_engine::coordination::envelope::{Guard, DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS};
use elex_engine::coordination::learned::{Delta, LearnedState};
use elex_engine::coordination::{raft_guard, raft_store};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut guard = Guard::new([7; 32], None, DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS);
    let _ = guard.open(data, 1_800_000_000_000);
    // Raft messages (protobuf, checked first) and a raft state file: decode or refuse.
    let _ = raft_guard::parse(data);
    let _ = raft_store::decode(data);
    if let Ok(delta) = Delta::from_bytes(data) {
        let mut state = LearnedState::new();
        state.absorb(&delta);
        let _ = state.delta_for(&state.digest(), 1 << 16).to_bytes();
        assert_eq!(Delta::from_bytes(&delta.to_bytes()).ok(), Some(delta));
    }
});
