//! Any text given to the engine's JSON reader (catalogs, options and call arguments all come
//! from JavaScript as JSON) must parse or fail with an error, never panic or overflow the
//! stack; what parses must write back to text that parses to the same value. The catalog
//! reader must likewise take any text without panicking.
//!   RUSTC_BOOTSTRAP=1 cargo fuzz run json_parse -- -max_total_time=300
#![no_main]

use elex_engine::agent::parse_catalog;
use elex_engine::json::{parse, ToJson};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(value) = parse(text) {
        let written = value.to_json();
        assert_eq!(parse(&written).as_ref(), Ok(&value), "round trip of {written}");
    }
    let _ = parse_catalog(text);
});
