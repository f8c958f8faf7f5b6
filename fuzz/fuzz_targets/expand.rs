//! The `expand` target: expansion never panics and never changes a URL's structure. See
//! `tests/fuzz/checks.rs`.

#![no_main]

#[path = "../../tests/fuzz/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::expand(data);
});
