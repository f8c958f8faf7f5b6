//! The checks behind the fuzz targets, shared with the stable replay test.
//!
//! Each target (`fuzz/fuzz_targets/*.rs`) includes this file with
//! `#[path = "../../tests/fuzz/checks.rs"] mod checks;` and calls one of [`parse`],
//! [`roundtrip`] and [`expand`]; `tests/fuzz_corpus.rs` includes it with
//! `#[path = "fuzz/checks.rs"]` and replays the committed corpus (`tests/fuzz/corpus/`) through
//! the same functions, so CI runs them on stable Rust. Both live here, not in the `fuzz/`
//! crate, because `cargo package` leaves a nested crate out of the package.
//! It uses only `postback`, `url`, `serde_json` and `std`.
//!
//! # Input formats
//!
//! `parse` and `roundtrip` read a *config byte*, then a template (UTF-8, or the input is
//! skipped). The config byte's bits, chosen so that printable bytes make readable seeds:
//!
//! - bits 0-2: the syntax: 0 `{x}`, 1 `[[x]]`, 2 `<x>`, 3 `${x}`, 4 `##x##`, 5 `%x%`; 6 a
//!   custom pair and 7 a custom delimiter used for both ends, both read from the input: a
//!   *lengths byte* (open: `1 + b % 4` chars, close: `1 + b / 4 % 4` chars), then the
//!   delimiters' chars at the start of the text, then the template.
//! - bits 3-4: unknown names: 0 `Reject`, 1 `Literal`, 2 and 3 `Custom`.
//! - bit 5: `ignore_case`. bit 6: clear for `Schemes::Any` (every letter has it set).
//!   bit 7: `Missing::Keep`.
//!
//! So `@` is the defaults, `P` custom tokens, `H` unknown tokens as text, `` ` `` case-blind,
//! `A`..`E` the other syntaxes, and `F0«»{...}` a custom pair `«` `»`.
//!
//! `expand` reads a *mode byte*; bit 0 picks the mode:
//!
//! - 0, *structured*: bit 1 is `Missing::Keep`. Then a layout, up to a `0xFF` byte, from
//!   which a template of known structure is built: `a`-`z` literal text, `0`-`9` the tokens
//!   `{t1}`..`{t10}`, `A`-`J` `{event1}`..`{event10}`, `/` a new path segment, `?` and `&` a
//!   new query parameter (named `k0`, `k1`, ...), `#` the fragment, and `@` first a host made
//!   of what follows up to the path (otherwise the host is `t.example`); any other byte is
//!   skipped. Then the values.
//! - 1, *free*: a config byte and a template as for `parse`, up to a `0xFF` byte, then the
//!   values.
//!
//! The values fill `{t1}`..`{t10}` then `{event1}`..`{event10}` (other tokens take the value at
//! the sum of their name's and argument's lengths, modulo 20; tokens beyond the list have
//! none). Each is a tag byte, `b % 8`: `0` text up to a `0xFF` byte (lossy UTF-8), `1` the
//! same as `Raw` (text in the structured mode), `2` an `i64`, `3` a `u64`, `4` an `f64` (8
//! bytes, little-endian: NaN and infinities included), `5` a `Decimal` (an 8-byte mantissa,
//! then a scale byte modulo 19), `6` no value, `7` a string of `b % 4` dots.
//!
//! `request` reads a *kind byte*, `b % 3`: `0` a JSON body, `1` a form body, `2` a header's
//! value; then the template, up to a `0xFF` byte; then the values, as for `expand`.

#![allow(dead_code)]

use std::fmt::Write as _;

use postback::{
    Bound, Decimal, ErrorKind, Fields, Missing, ParseError, ParseOptions, Schemes, Slot, Syntax,
    Template, Token, Unknown, Value, from_fn,
};
use url::Url;

#[path = "../common/value.rs"]
mod value;
use value::Val;

/// What a check did with an input, so that the replay test can tell the corpus still
/// exercises what it was made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ran {
    /// The input could not be decoded (no config byte, invalid UTF-8).
    Skipped,
    /// The template did not parse; the error was checked.
    Rejected,
    /// The template parsed and was checked.
    Checked,
    /// A structured `expand` input whose URL was checked part by part.
    Structured,
}

/// The parse options and the `Missing` policy a config byte selects, and the template after it.
pub fn options(data: &[u8]) -> Option<(ParseOptions, Missing, &str)> {
    let (&config, rest) = data.split_first()?;
    let (syntax, text) = match config & 0b111 {
        0 => (Syntax::BRACES, std::str::from_utf8(rest).ok()?),
        1 => (Syntax::DOUBLE_BRACKETS, std::str::from_utf8(rest).ok()?),
        2 => (Syntax::ANGLE_BRACKETS, std::str::from_utf8(rest).ok()?),
        3 => (Syntax::DOLLAR_BRACES, std::str::from_utf8(rest).ok()?),
        4 => (Syntax::DOUBLE_HASHES, std::str::from_utf8(rest).ok()?),
        5 => (Syntax::PERCENT, std::str::from_utf8(rest).ok()?),
        kind => {
            let (&lengths, rest) = rest.split_first()?;
            let text = std::str::from_utf8(rest).ok()?;
            let open = prefix(text, 1 + usize::from(lengths % 4))?;
            let text = &text[open.len()..];
            let close = match kind {
                6 => prefix(text, 1 + usize::from(lengths / 4 % 4))?,
                _ => "",
            };
            let text = &text[close.len()..];
            let close = if close.is_empty() { open } else { close };
            (Syntax::new(open.to_owned(), close.to_owned())?, text)
        }
    };
    let unknown = match config >> 3 & 0b11 {
        0 => Unknown::Reject,
        1 => Unknown::Literal,
        _ => Unknown::Custom,
    };
    let missing = match config & 0x80 {
        0 => Missing::Empty,
        _ => Missing::Keep,
    };
    let schemes = match config & 0x40 {
        0 => Schemes::Any,
        _ => Schemes::Http,
    };
    let options = ParseOptions::new()
        .with_syntax(syntax)
        .with_unknown(unknown)
        .with_ignore_case(config & 0x20 != 0)
        .with_schemes(schemes);
    Some((options, missing, text))
}

/// The first `chars` chars of `text`, if it has that many.
fn prefix(text: &str, chars: usize) -> Option<&str> {
    let end = text
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .nth(chars - 1)?;
    Some(&text[..end])
}

/// The `parse` target: parsing never panics, an error points inside the template and renders,
/// and a template prints back as its source. The three `Unknown` policies agree on everything
/// but unknown names, and case-blind parsing accepts what case-sensitive parsing does.
pub fn parse(data: &[u8]) -> Ran {
    let Some((options, _, text)) = options(data) else {
        return Ran::Skipped;
    };
    check_policies(text, &options);
    match Template::parse_with(text, &options) {
        Ok(template) => {
            check_template(&template, text);
            Ran::Checked
        }
        Err(err) => {
            check_error(&err, text, &options);
            Ran::Rejected
        }
    }
}

/// The `roundtrip` target: parse, print, parse again gives an equal template, borrowed or
/// owned.
pub fn roundtrip(data: &[u8]) -> Ran {
    let Some((options, _, text)) = options(data) else {
        return Ran::Skipped;
    };
    let Ok(template) = Template::parse_with(text, &options) else {
        return Ran::Rejected;
    };
    let printed = template.to_string();
    let again = Template::parse_with(&printed, &options)
        .unwrap_or_else(|err| panic!("{printed:?} printed from a template fails: {err}"));
    assert_eq!(again, template);
    assert_eq!(
        again.tokens().collect::<Vec<_>>(),
        template.tokens().collect::<Vec<_>>()
    );
    let owned = Template::parse_owned(printed.clone(), &options).expect("parses owned");
    assert_eq!(owned, template);
    assert_eq!(template.clone().into_owned(), template);
    if options == ParseOptions::new() {
        assert_eq!(printed.parse::<Template<'static>>().as_ref(), Ok(&template));
        assert_eq!(Template::try_from(printed.clone()).as_ref(), Ok(&template));
    }
    Ran::Checked
}

fn check_template(template: &Template<'_>, text: &str) {
    assert_eq!(template.to_string(), text);
    assert_eq!(template.as_str(), text);
    let mut out = String::new();
    write!(out, "{template:?}").expect("Debug renders");
    for token in template.tokens() {
        write!(out, "{token}").expect("a token renders");
        if let Token::Custom { name, .. } = token {
            assert!(text.contains(name));
        }
    }
    assert_eq!(template.tokens().rev().count(), template.tokens().count());
    // Lints never panic, and point at text of the template.
    for lint in template.lint() {
        let span = lint.span().range();
        assert!(
            text.get(span).is_some_and(|t| !t.is_empty()),
            "{lint} in {text:?}"
        );
    }
}

fn check_error(err: &ParseError, text: &str, options: &ParseOptions) {
    let span = err.span().range();
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{span:?} in {text:?}"
    );
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    // Only a missing scheme or host has nothing to point at.
    let empty = matches!(err.kind(), ErrorKind::Scheme | ErrorKind::EmptyHost);
    assert!(!span.is_empty() || empty, "an empty span: {err}");
    assert_eq!(err.template(), text);
    match err.kind() {
        ErrorKind::UnknownName => {
            assert_eq!(options, &options.clone().with_unknown(Unknown::Reject))
        }
        ErrorKind::UnknownModifier => {}
        _ => assert_eq!(err.suggestion(), None),
    }
    let line = err.to_string();
    assert!(!line.is_empty() && !line.contains('\n'), "{line:?}");
    let view = format!("{err:#}");
    if text.is_empty() {
        // Nothing to draw.
        assert_eq!(view, line);
        return;
    }
    let rest = view.strip_prefix(&line).and_then(|v| v.strip_prefix('\n'));
    let Some((drawn, carets)) = rest.and_then(|rest| rest.split_once('\n')) else {
        panic!("no caret view: {view:?}");
    };
    assert!(
        drawn.starts_with("  ") && !drawn.contains(['\n', '\r']),
        "{view:?}"
    );
    assert!(
        carets.trim_start_matches(' ').chars().all(|c| c == '^'),
        "{view:?}"
    );
    assert!(carets.ends_with('^'), "{view:?}");
}

/// The three policies read a template the same way but for unknown names.
fn check_policies(text: &str, options: &ParseOptions) {
    let with = |unknown| Template::parse_with(text, &options.clone().with_unknown(unknown));
    let (reject, literal, custom) = (
        with(Unknown::Reject),
        with(Unknown::Literal),
        with(Unknown::Custom),
    );
    let tokens = |t: &Template<'_>| t.tokens().map(|t| t.to_string()).collect::<Vec<_>>();
    match &reject {
        Ok(strict) => {
            let (literal, custom) = (literal.as_ref().unwrap(), custom.as_ref().unwrap());
            assert_eq!(tokens(literal), tokens(strict));
            assert_eq!(tokens(custom), tokens(strict));
            // Case-blind parsing knows every name that case-sensitive parsing knows.
            let blind = options
                .clone()
                .with_unknown(Unknown::Reject)
                .with_ignore_case(true);
            let blind = Template::parse_with(text, &blind)
                .unwrap_or_else(|err| panic!("{text:?} fails case-blind: {err}"));
            assert_eq!(
                blind.tokens().collect::<Vec<_>>(),
                strict.tokens().collect::<Vec<_>>()
            );
        }
        Err(err) if err.kind() != ErrorKind::UnknownName => {
            assert_eq!(literal.as_ref().err(), Some(err));
            assert_eq!(custom.as_ref().err(), Some(err));
        }
        Err(_) => {}
    }
    match (&literal, &custom) {
        (Ok(literal), Ok(custom)) => {
            let known: Vec<_> = custom
                .tokens()
                .filter(|token| !matches!(token, Token::Custom { .. }))
                .collect();
            assert_eq!(literal.tokens().collect::<Vec<_>>(), known);
        }
        // An unknown token is text under `Literal` and a token under `Custom`: only its
        // modifiers (a span that starts at or just after a `|`), checked under `Custom`, and
        // what its text does to the URL under `Literal` (a space, a scheme), make the two
        // differ.
        (Err(a), Err(b)) if a != b => {
            assert!(
                (at_bar(text, b) && b.span().start < a.span().start) || is_url(a) || is_url(b),
                "{a} but {b}"
            );
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b);
            assert_ne!(a.kind(), ErrorKind::UnknownName);
        }
        (Ok(_), Err(err)) => {
            assert!(
                at_bar(text, err) || is_url(err),
                "{text:?}: Literal parses but Custom fails: {err}"
            );
        }
        (Err(err), Ok(_)) => {
            assert!(
                is_url(err),
                "{text:?}: Custom parses but Literal fails: {err}"
            );
        }
    }
}

/// Whether `err` is about the template as a URL rather than about a token.
fn is_url(err: &ParseError) -> bool {
    matches!(
        err.kind(),
        ErrorKind::Scheme
            | ErrorKind::EmptyHost
            | ErrorKind::InvalidHost
            | ErrorKind::InvalidChar
            | ErrorKind::DotSegment
    )
}

/// Whether `err` is a modifier's: its span starts at a `|`, or just after one.
fn at_bar(text: &str, err: &ParseError) -> bool {
    let start = err.span().start;
    text[..start].ends_with('|') || text[start..].starts_with('|')
}

/// Reads the parts of an `expand` input.
struct Reader<'d> {
    data: &'d [u8],
}

impl<'d> Reader<'d> {
    fn byte(&mut self) -> Option<u8> {
        let (&byte, rest) = self.data.split_first()?;
        self.data = rest;
        Some(byte)
    }

    /// The bytes up to the next `0xFF` (dropped) or the end.
    fn until_ff(&mut self) -> &'d [u8] {
        let end = self.data.iter().position(|&b| b == 0xFF);
        let (head, rest) = self.data.split_at(end.unwrap_or(self.data.len()));
        self.data = rest.get(1..).unwrap_or_default();
        head
    }

    /// Eight bytes, little-endian, padded with zeros at the end of the input.
    fn eight(&mut self) -> [u8; 8] {
        let mut bytes = [0; 8];
        let n = self.data.len().min(8);
        bytes[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        bytes
    }

    /// The values: see the module docs.
    fn values(mut self) -> Vec<Option<Val>> {
        let mut values = Vec::new();
        while let Some(tag) = self.byte() {
            if values.len() == 20 {
                break;
            }
            values.push(match tag % 8 {
                0 => Some(Val::Str(
                    String::from_utf8_lossy(self.until_ff()).into_owned(),
                )),
                1 => Some(Val::Raw(
                    String::from_utf8_lossy(self.until_ff()).into_owned(),
                )),
                2 => Some(Val::Int(i64::from_le_bytes(self.eight()))),
                3 => Some(Val::UInt(u64::from_le_bytes(self.eight()))),
                4 => Some(Val::Float(f64::from_le_bytes(self.eight()))),
                5 => {
                    let mantissa = i64::from_le_bytes(self.eight());
                    let scale = u32::from(self.byte().unwrap_or(0) % 19);
                    Some(Val::Decimal(
                        Decimal::new(mantissa, scale).expect("scale up to 18"),
                    ))
                }
                6 => None,
                _ => Some(Val::Str(
                    ".".repeat(usize::from(self.byte().unwrap_or(0) % 4)),
                )),
            });
        }
        values
    }
}

/// The text a usable value is written as, decoded; `None` if expansion finds the value
/// unusable where it stands.
fn decoded(value: &Val, in_path: bool) -> Option<String> {
    match value {
        Val::Str(text) | Val::Raw(text) if text.is_empty() => None,
        Val::Str(text) | Val::Raw(text) if in_path && text.bytes().all(|b| b == b'.') => None,
        Val::Str(text) | Val::Raw(text) => Some(text.clone()),
        Val::Int(n) => Some(n.to_string()),
        Val::UInt(n) => Some(n.to_string()),
        Val::Float(x) if !x.is_finite() => None,
        Val::Float(x) => Some(x.to_string()),
        Val::Decimal(d) => Some(d.to_string()),
    }
}

/// The value of `values` for `token`, by [`index`].
fn value_of<'v>(values: &'v [Option<Val>], at: usize) -> Option<Value<'v>> {
    values.get(at)?.as_ref().map(Val::value)
}

/// Where a value goes: `T(n)` in slot `n - 1`, `Event(n)` in `10 + n - 1`, other tokens by the
/// length of their text.
fn index(token: &Token<'_>) -> usize {
    match token {
        Token::T(slot) => slot.index(),
        Token::Event(slot) => 10 + slot.index(),
        other => (other.name().len() + other.argument().map_or(0, str::len)) % 20,
    }
}

/// The `expand` target: see [`structured`] and [`free`].
pub fn expand(data: &[u8]) -> Ran {
    let mut reader = Reader { data };
    let Some(mode) = reader.byte() else {
        return Ran::Skipped;
    };
    match mode & 1 {
        0 => structured(mode, reader),
        _ => free(reader),
    }
}

/// One piece of a structured template: literal text, or the token that takes value `n`.
#[derive(Clone, Copy, Debug)]
enum Piece {
    Text(char),
    Token(usize),
}

/// The text of the token that takes value `n`.
fn token_text(n: usize) -> String {
    match n {
        0..10 => format!("{{t{}}}", n + 1),
        _ => format!("{{event{}}}", n - 9),
    }
}

/// A template of known structure, built from the layout: its host (when it has tokens or
/// text), path segments, query values (keys `k0`, `k1`, ...) and fragment.
#[derive(Debug, Default)]
struct Layout {
    host: Option<Vec<Piece>>,
    segments: Vec<Vec<Piece>>,
    query: Option<Vec<Vec<Piece>>>,
    fragment: Option<Vec<Piece>>,
}

impl Layout {
    fn read(layout: &[u8]) -> Layout {
        #[derive(PartialEq)]
        enum At {
            Host,
            Path,
            Query,
            Fragment,
        }
        let mut parsed = Layout::default();
        let mut at = At::Path;
        let mut bytes = layout;
        if let Some((b'@', rest)) = layout.split_first() {
            (parsed.host, at, bytes) = (Some(Vec::new()), At::Host, rest);
        }
        for &byte in bytes {
            let piece = match byte {
                b'a'..=b'z' => Piece::Text(char::from(byte)),
                b'0'..=b'9' => Piece::Token(usize::from(byte - b'0')),
                b'A'..=b'J' => Piece::Token(10 + usize::from(byte - b'A')),
                b'#' if at != At::Fragment => {
                    (parsed.fragment, at) = (Some(Vec::new()), At::Fragment);
                    continue;
                }
                b'?' | b'&' if at != At::Fragment => {
                    parsed.query.get_or_insert_with(Vec::new).push(Vec::new());
                    at = At::Query;
                    continue;
                }
                b'/' if at == At::Host || at == At::Path => {
                    parsed.segments.push(Vec::new());
                    at = At::Path;
                    continue;
                }
                _ => continue,
            };
            let pieces = match at {
                At::Host => parsed.host.as_mut(),
                At::Path => parsed.segments.last_mut(),
                At::Query => parsed.query.as_mut().and_then(|q| q.last_mut()),
                At::Fragment => parsed.fragment.as_mut(),
            };
            // Text before the first `/` of a layout without a host has nowhere to go.
            if let Some(pieces) = pieces {
                pieces.push(piece);
            }
        }
        parsed
    }

    fn template(&self) -> String {
        let text = |pieces: &[Piece]| -> String {
            pieces
                .iter()
                .map(|piece| match *piece {
                    Piece::Text(c) => c.to_string(),
                    Piece::Token(n) => token_text(n),
                })
                .collect()
        };
        let mut template = String::from("https://");
        match &self.host {
            Some(host) if !host.is_empty() => template += &text(host),
            _ => template += "t.example",
        }
        for segment in &self.segments {
            template += "/";
            template += &text(segment);
        }
        for (i, value) in self.query.iter().flatten().enumerate() {
            template += if i == 0 { "?" } else { "&" };
            write!(template, "k{i}={}", text(value)).expect("a String");
        }
        if let Some(fragment) = &self.fragment {
            template += "#";
            template += &text(fragment);
        }
        template
    }

    fn host_has_tokens(&self) -> bool {
        let pieces = self.host.iter().flatten();
        pieces.clone().any(|piece| matches!(piece, Piece::Token(_)))
    }
}

/// What the expansion of `pieces` decodes to, and whether every token had a usable value.
fn expected(
    pieces: &[Piece],
    values: &[Option<Val>],
    in_path: bool,
    missing: Missing,
) -> (String, bool) {
    let mut usable = true;
    let mut text = String::new();
    for piece in pieces {
        match *piece {
            Piece::Text(c) => text.push(c),
            Piece::Token(n) => match values.get(n).and_then(|v| decoded(v.as_ref()?, in_path)) {
                Some(value) => text += &value,
                None => {
                    usable = false;
                    if missing == Missing::Keep {
                        text += &token_text(n);
                    }
                }
            },
        }
    }
    (text, usable)
}

/// The bytes `text` percent-decodes to; a `%` without two hex digits stays as it is.
fn percent_decode(text: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(text).collect()
}

/// The structured mode: a template built so that its structure is known, expanded with the
/// input's values (`Raw` ones as text). The URL has the template's path segments, query keys
/// in order and fragment, and each decodes to the value given (or to what the `Missing` policy
/// writes). A token in the host may make the URL invalid, or name another host and port, but
/// never changes the path, the query or the fragment, nor adds a userinfo.
fn structured(mode: u8, mut reader: Reader<'_>) -> Ran {
    let missing = match mode & 2 {
        0 => Missing::Empty,
        _ => Missing::Keep,
    };
    let layout = Layout::read(reader.until_ff());
    let values: Vec<Option<Val>> = reader
        .values()
        .into_iter()
        .map(|value| match value {
            Some(Val::Raw(text)) => Some(Val::Str(text)),
            other => other,
        })
        .collect();
    let source = layout.template();
    let template = Template::parse(&source)
        .unwrap_or_else(|err| panic!("the built template {source:?} fails: {err}"));
    let expanded = expand_every_way(&template, &values, missing);

    // What each part decodes to, and whether every value in it is usable.
    let mut usable = true;
    let mut part = |pieces: &[Piece], in_path: bool| {
        let (text, ok) = expected(pieces, &values, in_path, missing);
        usable &= ok;
        text
    };
    let segments: Vec<String> = match layout.segments.is_empty() {
        true => vec![String::new()],
        false => layout.segments.iter().map(|s| part(s, true)).collect(),
    };
    let query: Option<Vec<(String, String)>> = layout.query.as_ref().map(|pairs| {
        let pairs = pairs.iter().enumerate();
        pairs
            .map(|(i, value)| (format!("k{i}"), part(value, false)))
            .collect()
    });
    let fragment = layout.fragment.as_ref().map(|f| part(f, false));
    // In the host, an unusable value keeps its token's text whatever the policy.
    let host = layout.host.as_deref().filter(|host| !host.is_empty());
    let host = host.map(|host| expected(host, &values, false, Missing::Keep));
    usable &= host.as_ref().is_none_or(|(_, ok)| *ok);
    match template.try_expand(&source_of(&values)) {
        Ok(checked) => {
            assert!(usable, "{source:?}: an unusable value passed the check");
            assert_eq!(checked, expanded);
        }
        Err(err) => assert!(!usable, "{source:?} with {values:?}: {err}"),
    }

    let url = match Url::parse(&expanded) {
        Ok(url) => url,
        Err(_) if layout.host_has_tokens() => return Ran::Checked,
        Err(err) => panic!("{expanded:?} from {source:?} is not a URL: {err}"),
    };
    let context = || format!("{expanded:?} from {source:?} with {values:?}");
    assert_eq!(url.scheme(), "https", "{}", context());
    assert_eq!(
        (url.username(), url.password()),
        ("", None),
        "{}",
        context()
    );
    if !layout.host_has_tokens() {
        let host = host.map_or("t.example".to_string(), |(text, _)| text);
        assert_eq!(url.host_str(), Some(&*host), "{}", context());
        assert_eq!(url.port(), None, "{}", context());
    }
    let decoded_segments: Vec<String> = url
        .path_segments()
        .expect("an https URL has a path")
        .map(|segment| String::from_utf8(percent_decode(segment)).expect("UTF-8"))
        .collect();
    assert_eq!(decoded_segments, segments, "path of {}", context());
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    match &query {
        Some(query) => assert_eq!(&pairs, query, "query of {}", context()),
        None => assert_eq!(url.query(), None, "query of {}", context()),
    }
    let decoded_fragment = url
        .fragment()
        .map(|f| String::from_utf8(percent_decode(f)).expect("UTF-8"));
    assert_eq!(decoded_fragment, fragment, "fragment of {}", context());
    Ran::Structured
}

/// A source of the values, by [`index`].
fn source_of(values: &[Option<Val>]) -> impl postback::TokenSource + '_ {
    from_fn(move |token| value_of(values, index(token)))
}

/// The values as a record of fields, each token's field its [`index`].
struct Record<'v>(&'v [Option<Val>]);

impl Fields for Record<'_> {
    type Field = usize;

    fn field(token: &Token<'_>) -> Option<usize> {
        Some(index(token))
    }

    fn value(&self, field: usize) -> Option<Value<'_>> {
        value_of(self.0, field)
    }
}

/// Expands `template` with `values` through every entry point, checks that they agree, and
/// returns the lenient expansion under `missing`. A checked expansion that fails names every
/// unusable token and leaves the output buffer as it was.
fn expand_every_way(template: &Template<'_>, values: &[Option<Val>], missing: Missing) -> String {
    let source = source_of(values);
    let empty = template.expand(&source);
    assert_eq!(template.expand_with(&source, Missing::Empty), empty);
    let mut written = String::new();
    template.write_to(&source, &mut written).expect("a String");
    assert_eq!(written, empty);
    let mut appended = String::from("kept");
    template.expand_into(&source, &mut appended);
    assert_eq!(appended.strip_prefix("kept"), Some(&*empty));
    let mut bytes = b"kept".to_vec();
    template.expand_into_vec(&source, &mut bytes);
    assert_eq!(bytes.strip_prefix(b"kept"), Some(empty.as_bytes()));
    // Bound to the values' fields, the template writes the same, on the straight pass or off.
    let bound: Bound<'_, Record<'_>> = template.clone().bind_fields();
    let record = Record(values);
    assert_eq!(bound.expand(&record), empty);
    let mut bytes = b"kept".to_vec();
    bound.expand_into_vec(&record, &mut bytes);
    assert_eq!(bytes.strip_prefix(b"kept"), Some(empty.as_bytes()));
    assert_eq!(bound.try_expand(&record), template.try_expand(&source));
    let expanded = template.expand_with(&source, missing);
    let mut written = String::new();
    template
        .write_with(&source, missing, &mut written)
        .expect("a String");
    assert_eq!(written, expanded);

    let mut out = String::from("kept");
    let checked = template.try_expand_into(&source, &mut out);
    assert_eq!(template.try_expand(&source).map(|_| ()), checked.clone());
    match checked {
        Ok(()) => {
            assert_eq!(out.strip_prefix("kept"), Some(&*empty));
            assert_eq!(
                expanded, empty,
                "a policy changed an expansion without problems"
            );
        }
        Err(err) => {
            assert_eq!(out, "kept", "try_expand_into changed its buffer");
            assert!(!err.problems().is_empty());
            assert!(!err.to_string().is_empty());
            let text = template.as_str();
            // In template order, one problem per token at most.
            let mut before = 0..0;
            for problem in err.problems() {
                let span = problem.span().range();
                assert!(before.end <= span.start, "{err}");
                assert!(span.start < span.end && span.end <= text.len());
                assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                assert!(text[span.clone()].contains(problem.token()), "{problem}");
                before = span;
            }
        }
    }
    expanded
}

/// A distinctive clean value, to compare an expansion's structure against.
const CLEAN: &str = "Q7z";

/// The free mode: any template that parses, with any values. Expansion never panics, every
/// entry point agrees (see [`expand_every_way`]), and a usable value never changes the query:
/// where the expansions with clean values and with the input's values are both URLs, they have
/// the same query parameters, with the same keys where the template writes them.
fn free(mut reader: Reader<'_>) -> Ran {
    let template = reader.until_ff();
    let values = reader.values();
    let Some((options, missing, text)) = options(template) else {
        return Ran::Skipped;
    };
    let Ok(mut template) = Template::parse_with(text, &options) else {
        return Ran::Rejected;
    };
    expand_every_way(&template, &values, missing);

    // Every value usable (and `Raw` encoded), so that expansion writes values only.
    let usable: Vec<Option<Val>> = (0..20)
        .map(|i| match values.get(i).and_then(Option::as_ref) {
            Some(Val::Str(s) | Val::Raw(s)) if !s.is_empty() && !s.bytes().all(|b| b == b'.') => {
                Some(Val::Str(s.clone()))
            }
            Some(Val::Float(x)) if x.is_finite() => Some(Val::Float(*x)),
            Some(value @ (Val::Int(_) | Val::UInt(_) | Val::Decimal(_))) => Some(value.clone()),
            _ => Some(Val::Str("y".into())),
        })
        .collect();
    let hostile = template.expand(&source_of(&usable));
    let clean = template.expand(&from_fn(|_| Some(Value::Str(CLEAN))));
    // The `raw` modifier is the one way around encoding: a template that may use it is not
    // held to the URL's structure.
    let raw = text.to_ascii_lowercase().contains("|raw");
    // With the input's values, usable or not, or none at all, under either policy, the URL has
    // the path segments and the query pieces it has with clean values.
    if let (false, Ok(clean_url)) = (raw, Url::parse(&clean)) {
        let shape = |url: &Url| {
            let segments = url.path_segments().map_or(0, Iterator::count);
            let pieces = url.query().map(|query| query.split('&').count());
            (segments, pieces, url.fragment().is_some())
        };
        let nothing = from_fn(|_| None);
        // `Raw` values are the host's own encoding, and bypass the guarantees.
        let text_values: Vec<Option<Val>> = values
            .iter()
            .map(|value| match value {
                Some(Val::Raw(text)) => Some(Val::Str(text.clone())),
                other => other.clone(),
            })
            .collect();
        let others = [
            template.expand(&source_of(&text_values)),
            template.expand_with(&source_of(&text_values), Missing::Keep),
            template.expand(&nothing),
            template.expand_with(&nothing, Missing::Keep),
        ];
        for other in others {
            // A value in the host may make it none.
            if let Ok(url) = Url::parse(&other) {
                assert_eq!(
                    shape(&url),
                    shape(&clean_url),
                    "{other:?} and {clean:?} from {text:?}"
                );
            }
        }
    }
    // A number as clean value too: `percent` and `round` take nothing from `CLEAN`.
    let number = template.expand(&from_fn(|_| Some(Value::Int(7))));
    let parsed = (
        Url::parse(&hostile),
        Url::parse(&clean),
        Url::parse(&number),
    );
    if let (false, Ok(hostile_url), Ok(clean_url), Ok(number_url)) =
        (raw, parsed.0, parsed.1, parsed.2)
    {
        // The key of each `&` piece of the query, as written: an empty piece counts too (a
        // parser's pairs leave it out, and a token that is a whole piece may write nothing).
        let keys = |url: &Url| -> Vec<String> {
            let pieces = url.query().map(|query| query.split('&'));
            let key = |piece: &str| piece.split('=').next().unwrap_or_default().to_owned();
            pieces.into_iter().flatten().map(key).collect()
        };
        let (hostile_keys, clean_keys, number_keys) =
            (keys(&hostile_url), keys(&clean_url), keys(&number_url));
        let context = || format!("{hostile:?} and {clean:?} from {text:?}");
        assert_eq!(hostile_keys.len(), clean_keys.len(), "{}", context());
        let keys = hostile_keys.iter().zip(&clean_keys).zip(&number_keys);
        for ((key, clean_key), number_key) in keys {
            // A key with a value in it differs, in any case the modifiers put it in, and
            // whatever clean value they could use.
            let valued = clean_key
                .to_ascii_lowercase()
                .contains(&CLEAN.to_ascii_lowercase())
                || clean_key != number_key;
            if !valued {
                assert_eq!(key, clean_key, "{}", context());
            }
        }
    }

    // Binding `{tName:NAME}` tokens changes what expansion asks for, never its safety.
    let slot_of = |name: &str| Slot::new(u8::try_from(name.len() % 11).unwrap_or(0));
    let bound = template.bind(slot_of);
    let names: Vec<_> = template
        .tokens()
        .filter_map(|token| match token {
            Token::TName(name) => Some(name.len()),
            _ => None,
        })
        .collect();
    assert!(
        names.iter().all(|&len| len % 11 == 0),
        "{text:?}: {names:?}"
    );
    match bound {
        Ok(()) => assert!(names.is_empty()),
        Err(err) => assert_eq!(err.unbound().len(), names.len(), "{err}"),
    }
    expand_every_way(&template, &values, missing);
    Ran::Checked
}

/// Whether `serde_json` reads `text` as JSON; `None` when it cannot tell: RFC 8259 lets a
/// reader limit the range of numbers, and serde_json stops at one beyond a float's
/// (`-3e959`), before it reads the rest.
fn json_reads(text: &str) -> Option<bool> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(_) => Some(true),
        Err(err) if err.to_string().starts_with("number out of range") => None,
        Err(_) => Some(false),
    }
}

/// The `request` target: bodies and headers never panic when they are made or prepared, and
/// an error points inside the text. A JSON body that is made expands, with any values, to JSON
/// that `serde_json` reads; one without a `{` is made exactly when `serde_json` reads it. A
/// form's expansion has the template's `&` and `=`, no more. A header is refused for a
/// control character, or holds none.
pub fn request(data: &[u8]) -> Ran {
    use postback::request::{Body, ContentType, Header, Outgoing, Request, RequestError};

    let mut reader = Reader { data };
    let Some(kind) = reader.byte() else {
        return Ran::Skipped;
    };
    let Ok(text) = std::str::from_utf8(reader.until_ff()) else {
        return Ran::Skipped;
    };
    let values = reader.values();
    let source = source_of(&values);
    let url = Template::parse("https://t.example/pb").expect("a URL");
    let mut out = Outgoing::new();
    let made = match kind % 3 {
        0 => Body::new(ContentType::Json, text).map(Some),
        1 => Body::new(ContentType::Form, text).map(Some),
        _ => Header::new("X-Fuzz", text).map(|_| None),
    };
    // RFC 8259's grammar takes any `\uXXXX`, and serde_json refuses a lone surrogate: texts
    // with one are left out of the comparisons.
    let escapes = text.contains("\\u");
    if kind % 3 == 0 && !text.contains('{') && !escapes {
        let reads = json_reads(text).unwrap_or(made.is_ok());
        // JSON nests at most 32 deep here; serde_json's limit is deeper.
        let deep = text.bytes().filter(|&b| b == b'[').count() > 32;
        if !deep {
            assert_eq!(made.is_ok(), reads, "{text:?}: {made:?}");
        }
    }
    let body = match made {
        Err(err) => {
            assert!(err.span().end <= text.len(), "{err:?}");
            assert!(
                text.is_char_boundary(err.span().start) && text.is_char_boundary(err.span().end)
            );
            let _ = format!("{err} {err:#}");
            return Ran::Rejected;
        }
        Ok(body) => body,
    };
    match body {
        Some(body) => {
            let request = Request::post(&url).with_body(&body);
            request
                .prepare(&source, &mut out)
                .expect("a body refuses no value");
            let _ = request.try_prepare(&source, &mut out);
            request
                .prepare(&source, &mut out)
                .expect("a body refuses no value");
            match body.content_type() {
                ContentType::Json if escapes => {}
                ContentType::Json => {
                    let reads = json_reads(out.body()).unwrap_or(true);
                    assert!(reads, "{text:?} wrote {:?}", out.body());
                }
                _ => {
                    // Values, raw ones too, and the modifiers' texts are encoded: the `&` and
                    // `=` written are the template's own, a token's text that held some
                    // included.
                    for c in ['&', '='] {
                        let (written, own) =
                            (out.body().matches(c).count(), text.matches(c).count());
                        assert!(written <= own, "{text:?} wrote {:?}", out.body());
                    }
                }
            }
        }
        None => {
            let header = [Header::new("X-Fuzz", text).expect("made above")];
            match Request::get(&url)
                .with_headers(&header)
                .prepare(&source, &mut out)
            {
                Ok(()) => {
                    let (_, value) = out.headers().next().expect("one header");
                    assert!(
                        !value.chars().any(|c| c.is_ascii_control() && c != '\t'),
                        "{value:?}"
                    );
                }
                Err(RequestError::Header { c, .. }) => assert!(c.is_ascii_control()),
                Err(other) => panic!("{other}"),
            }
        }
    }
    Ran::Checked
}
