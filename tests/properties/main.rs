//! Property tests: the parser round-trips, expansion agrees with a naive reference expander,
//! no value can change a URL's structure, the parser never panics, `Decimal` is exact, and the
//! encoder agrees with a byte-by-byte one. Generated tokens carry chains of modifiers
//! (`{payout|percent:50}`, `{cnv_status|map:lead=install,sale=bill|upper}`).
//!
//! The naive code here is written to be obviously right, not fast: the crate's own scanner,
//! URL-state machine, modifiers and encoder are checked against it, as `memchr` checks its
//! fast searches against `naive.rs`. It follows the crate's documentation (the grammar and the
//! table of modifiers in the crate docs), never the crate's code.
//!
//! - [`vocabulary`]: the tokens, written out by hand from the docs;
//! - [`grammar`]: the modifiers, read naively from the grammar;
//! - [`strategies`]: the generators of templates and values;
//! - [`naive`]: the reference splitter, URL reader and expander;
//! - one module for each family of properties, from [`round_trip`] to [`encoder`], and
//!   [`selection`] for postback rules, and [`request`] for bodies and headers, held to
//!   `serde_json` and `form_urlencoded`.
//!
//! Every module sees the items of the first four and the imports below through `use crate::*`.

pub(crate) use std::fmt::Write as _;
pub(crate) use std::ops::Range;

pub(crate) use postback::{
    Bound, Decimal, ErrorKind, Fields, Missing, ParseOptions, ProblemKind, Schemes, Slot, Syntax,
    Template, Token, TokenSource, Unknown, Value, from_fn,
};
pub(crate) use proptest::collection::vec;
pub(crate) use proptest::prelude::*;
pub(crate) use proptest::sample::select;
pub(crate) use proptest::test_runner::TestCaseError;

/// `cases` cases, times `POSTBACK_PROPTEST_SCALE` when it is set, for deeper runs:
/// `POSTBACK_PROPTEST_SCALE=400 cargo test --release --all-features --test properties`. The
/// rejects allowed grow with the cases (some generators reject as much as half of what they
/// draw), and no regression files are written next to the tests: a failure found here is
/// pinned as an ordinary test instead.
pub(crate) fn config(cases: u32) -> ProptestConfig {
    let scale = std::env::var("POSTBACK_PROPTEST_SCALE")
        .ok()
        .and_then(|s| s.parse().ok());
    let mut config = ProptestConfig::with_cases(cases.saturating_mul(scale.unwrap_or(1)));
    config.max_local_rejects = config.max_local_rejects.max(config.cases.saturating_mul(2));
    config.max_global_rejects = config.max_global_rejects.max(config.cases / 10);
    config.failure_persistence = None;
    config
}

#[path = "../common/value.rs"]
mod value;
pub(crate) use value::Val;

mod agreement;
mod decimal;
mod encoder;
mod grammar;
mod injection;
mod naive;
mod parser;
mod request;
mod round_trip;
mod selection;
mod strategies;
mod vocabulary;

pub(crate) use grammar::*;
pub(crate) use naive::*;
pub(crate) use strategies::*;
pub(crate) use vocabulary::*;
