//! Inputs shared by the benchmarks and the instruction-count harness, so that both measure the
//! same work.

#![allow(dead_code, reason = "each bench uses some of them")]

use postback::traffic::keitaro::{Entry, Parameter};

/// A Keitaro entry with `n` parameters, every one of which its postback reads: the shape that
/// was quadratic in `n` when the postback was read again for each parameter.
pub fn keitaro_entry(n: usize) -> Entry {
    let parameters = (0..n)
        .map(|i| Parameter::new(format!("sub{i}"), format!("p{i}"), format!("{{m{i}}}")))
        .collect();
    let mut postback_url = String::from("https://net.example/pb?c=1");
    for i in 0..n {
        postback_url.push_str(&format!("&x{i}={{sub{i}}}"));
    }
    Entry {
        name: "hostile".into(),
        display_name: String::new(),
        postback_url,
        parameters,
    }
}

/// A template whose only token has an unknown name of `len` bytes: the shape whose
/// suggestion search was linear in the name for every known name.
pub fn unknown_name(len: usize) -> String {
    format!("https://t.example/pb?a={{{}}}", "x".repeat(len))
}
