//! The `roundtrip` target: parse, print, parse again. See `fuzz/checks.rs`.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::roundtrip(data);
});
