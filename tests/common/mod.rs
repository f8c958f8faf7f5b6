//! Helpers the test files share: relative templates, which stand after [`BASE`].

#![allow(dead_code, reason = "each test file uses some of them")]

use postback::{ParseOptions, Template, TokenSource};

/// What the tests' relative templates are relative to: a template is an absolute URL.
pub const BASE: &str = "https://t.example/";

/// `text` as a template: after [`BASE`], unless it is a URL of its own.
pub fn url(text: &str) -> String {
    match text.starts_with("https://") {
        true => text.to_owned(),
        false => format!("{BASE}{text}"),
    }
}

/// Parses `template` (see [`url`]) with `options`.
#[track_caller]
pub fn parse_with(template: &str, options: &ParseOptions) -> Template<'static> {
    Template::parse_owned(url(template), options).unwrap_or_else(|e| panic!("{e:#}"))
}

/// An expansion without [`BASE`], for a relative template.
pub fn relative(expanded: String) -> String {
    match expanded.strip_prefix(BASE) {
        Some(rest) => rest.to_owned(),
        None => expanded,
    }
}

/// Expands `template` (see [`url`]) with `source`; without [`BASE`] for a relative template.
#[track_caller]
pub fn expand_with<S: TokenSource + ?Sized>(template: &str, source: &S) -> String {
    let expanded = parse_with(template, &ParseOptions::new()).expand(source);
    match template.starts_with("https://") {
        true => expanded,
        false => relative(expanded),
    }
}
