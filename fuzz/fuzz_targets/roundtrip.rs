//! The `roundtrip` target: parse, print, parse again. See `tests/fuzz/checks.rs`.

#![no_main]

#[path = "../../tests/fuzz/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::roundtrip(data);
});
