//! The `request` target: see `tests/fuzz/checks.rs` for the input format and the checks.

#![no_main]

#[path = "../../tests/fuzz/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::request(data);
});
