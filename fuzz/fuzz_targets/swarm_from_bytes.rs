//! Any bytes given to `Swarm::from_bytes` must give a swarm or an error, never a panic; a
//! decoded swarm must re-encode stably and answer a question without panicking.
//! The raw bytes and the same bytes behind a valid header and checksum are both tried, so
//! the fuzzer reaches the payload decoder (catalog JSON, settings, agents).
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run swarm_from_bytes -- -max_total_time=300
#![no_main]

use elex_engine::agent::{QueryInput, Swarm};
use elex_engine::snapshot::{encode, Kind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for bytes in [data.to_vec(), encode(Kind::Swarm, data)] {
        if let Ok(mut swarm) = Swarm::from_bytes(&bytes) {
            // The catalog travels as JSON, which has many spellings of one value: after one
            // round the encoding must be stable.
            let again = swarm.to_bytes();
            assert_eq!(Swarm::from_bytes(&again).map(|s| s.to_bytes()).ok(), Some(again), "re-encoding must be stable");
            let input = QueryInput { text: "how do I activate it".into(), ..Default::default() };
            let _ = swarm.query(&input, &|| 0.0);
            let _ = swarm.stats();
        }
    }
});
