//! The `parse` target: see `fuzz/checks.rs` for the input format and the checks.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::parse(data);
});
