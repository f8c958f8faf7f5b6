//! The `expand` target: expansion never panics and never changes a URL's structure. See
//! `fuzz/checks.rs`.

#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::expand(data);
});
