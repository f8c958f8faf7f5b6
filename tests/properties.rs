//! Property tests: the parser round-trips, expansion agrees with a naive reference expander,
//! no value can change a URL's structure, the parser never panics, `Decimal` is exact, and the
//! encoder agrees with a byte-by-byte one. Generated tokens carry chains of modifiers
//! (`{payout|percent:50}`, `{cnv_status|map:lead=install,sale=bill|upper}`).
//!
//! The naive code in this file is written to be obviously right, not fast: the crate's own
//! scanner, URL-state machine, modifiers and encoder are checked against it, as `memchr` checks
//! its fast searches against `naive.rs`. It follows the crate's documentation (the grammar and
//! the table of modifiers in the crate docs), never the crate's code.

use std::fmt::Write as _;
use std::ops::Range;

use postback::{
    Decimal, ErrorKind, Missing, ParseOptions, ProblemKind, Schemes, Slot, Syntax, Template, Token,
    TokenSource, Unknown, Value, from_fn,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;

/// `cases` cases, times `POSTBACK_PROPTEST_SCALE` when it is set, for deeper runs:
/// `POSTBACK_PROPTEST_SCALE=400 cargo test --release --all-features --test properties`. The
/// rejects allowed grow with the cases (some generators reject as much as half of what they
/// draw), and no regression files are written next to the tests: a failure found here is
/// pinned as an ordinary test instead.
fn config(cases: u32) -> ProptestConfig {
    let scale = std::env::var("POSTBACK_PROPTEST_SCALE")
        .ok()
        .and_then(|s| s.parse().ok());
    let mut config = ProptestConfig::with_cases(cases.saturating_mul(scale.unwrap_or(1)));
    config.max_local_rejects = config.max_local_rejects.max(config.cases.saturating_mul(2));
    config.max_global_rejects = config.max_global_rejects.max(config.cases / 10);
    config.failure_persistence = None;
    config
}

// ---------------------------------------------------------------------------------------------
// The vocabulary, written out by hand from the crate's documentation.
// ---------------------------------------------------------------------------------------------

/// Every spelling of a named token that takes no argument, its canonical name, and its token.
const NAMED: &[(&str, &str, Token<'static>)] = &[
    ("clickid", "clickid", Token::ClickId),
    ("user_id", "user_id", Token::UserId),
    ("campaign", "campaign", Token::Campaign),
    ("campaign_name", "campaign_name", Token::CampaignName),
    ("path_name", "path_name", Token::PathName),
    ("rule_name", "rule_name", Token::RuleName),
    ("campaign_key", "campaign_key", Token::CampaignKey),
    ("trafficsource", "trafficsource", Token::TrafficSource),
    (
        "trafficsource_name",
        "trafficsource_name",
        Token::TrafficSourceName,
    ),
    ("externalid", "externalid", Token::ExternalId),
    ("external_id", "externalid", Token::ExternalId),
    ("clickcost", "clickcost", Token::ClickCost),
    ("domain", "domain", Token::Domain),
    ("lander", "lander", Token::Lander),
    ("referer", "referer", Token::Referer),
    ("time", "time", Token::Time),
    ("htime", "htime", Token::HTime),
    ("offer", "offer", Token::Offer),
    ("device_name", "device_name", Token::DeviceName),
    ("device_brand", "device_brand", Token::DeviceBrand),
    ("device_model", "device_model", Token::DeviceModel),
    ("browser_name", "browser_name", Token::BrowserName),
    ("browser_version", "browser_version", Token::BrowserVersion),
    ("resolution", "resolution", Token::Resolution),
    ("os_name", "os_name", Token::OsName),
    ("os_version", "os_version", Token::OsVersion),
    ("country", "country", Token::Country),
    ("country_code", "country_code", Token::CountryCode),
    ("language", "language", Token::Language),
    ("city", "city", Token::City),
    ("user_agent", "user_agent", Token::UserAgent),
    ("payout", "payout", Token::Payout),
    ("cnv_status", "cnv_status", Token::CnvStatus),
    ("cnv_status2", "cnv_status2", Token::CnvStatus2),
    ("cnv_currency", "cnv_currency", Token::CnvCurrency),
    ("txid", "txid", Token::TxId),
];

/// What a token's text (between the delimiters) means, decided naively.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Class {
    /// A token of the vocabulary, with its canonical `Display` form (`externalid`, `t3`,
    /// `tName:zoneid`): the key a host looks its value up by.
    Known(String),
    /// A well-formed token whose name is not in the vocabulary.
    Unknown,
    /// A parse error under every `Unknown` policy: an empty name, a slot outside `1..=10`, an
    /// argument where none is taken, `tName` without one.
    Malformed(ErrorKind),
}

/// Classifies a token's head (its text up to the first `|`): the name runs to the first `:`,
/// the rest is the argument.
fn naive_class(head: &str, ignore_case: bool) -> Class {
    let (name, arg) = match head.split_once(':') {
        Some((name, arg)) => (name, Some(arg)),
        None => (head, None),
    };
    if name.is_empty() {
        return Class::Malformed(ErrorKind::EmptyName);
    }
    let folded = if ignore_case {
        name.to_ascii_lowercase()
    } else {
        name.to_owned()
    };
    let no_argument = |canonical: String| match arg {
        None => Class::Known(canonical),
        Some(_) => Class::Malformed(ErrorKind::UnexpectedArgument),
    };
    if let Some(&(_, canonical, _)) = NAMED.iter().find(|(spelling, ..)| *spelling == folded) {
        return no_argument(canonical.to_owned());
    }
    let is_tname = if ignore_case {
        folded == "tname"
    } else {
        name == "tName"
    };
    if is_tname {
        return match arg {
            Some(arg) if !arg.is_empty() => Class::Known(format!("tName:{arg}")),
            _ => Class::Malformed(ErrorKind::MissingArgument),
        };
    }
    // `event` is tried first: `event1` is not `t` followed by `vent1`.
    let (family, digits) = match (folded.strip_prefix("event"), folded.strip_prefix('t')) {
        (Some(digits), _) => ("event", digits),
        (None, Some(digits)) => ("t", digits),
        (None, None) => return Class::Unknown,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Class::Unknown;
    }
    // An argument is reported before a bad slot: `{t0:x}` takes no argument.
    match digits {
        "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" => {
            no_argument(format!("{family}{digits}"))
        }
        _ if arg.is_some() => Class::Malformed(ErrorKind::UnexpectedArgument),
        _ => Class::Malformed(ErrorKind::InvalidSlot),
    }
}

// ---------------------------------------------------------------------------------------------
// Modifiers, read naively from the grammar in the crate documentation:
//
//     token     = open head *( "|" modifier ) close
//     head      = name [ ":" argument ]             ; argument: any text but "|"
//     modifier  = "raw" / "lower" / "upper"
//               / "default:" text                   ; text: not empty, no "|"
//               / "map:" pair *( "," pair )         ; pair: from "=" to, from not empty,
//                                                   ;   neither with "," "=" or "|"
//               / "percent:" decimal                ; a plain decimal >= 0: 50, 12.5, 150
// ---------------------------------------------------------------------------------------------

/// A modifier, as the naive reader understands it.
#[derive(Clone, Debug, PartialEq)]
enum Mod {
    Raw,
    Default(String),
    Map(Vec<(String, String)>),
    Percent(Decimal),
    Round(u32),
    Lower,
    Upper,
}

/// `text` read as a plain decimal, `-?[0-9]+(\.[0-9]+)?`: `None` if it is not one, `Some(None)`
/// if it is one that a `Decimal` cannot hold (more than 18 places, or a mantissa beyond `i64`).
fn naive_parse_decimal(text: &str) -> Option<Option<Decimal>> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(unsigned) => (true, unsigned),
        None => (false, text),
    };
    let (int, frac) = match unsigned.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|frac| !digits(frac)) {
        return None;
    }
    let frac = frac.unwrap_or("");
    let magnitude = int
        .bytes()
        .chain(frac.bytes())
        .try_fold(0_i128, |m, digit| {
            m.checked_mul(10)?.checked_add(i128::from(digit - b'0'))
        });
    let mantissa = magnitude
        .map(|m| if negative { -m } else { m })
        .and_then(|m| i64::try_from(m).ok());
    let scale = u32::try_from(frac.len()).ok();
    Some(match (mantissa, scale) {
        (Some(mantissa), Some(scale)) => Decimal::new(mantissa, scale),
        _ => None,
    })
}

/// Reads one modifier: its text between its `|` and the next `|` or the end of the token.
/// The name runs to the first `:`; the rest is the argument.
fn naive_modifier(text: &str, ignore_case: bool) -> Result<Mod, ErrorKind> {
    let (name, arg) = match text.split_once(':') {
        Some((name, arg)) => (name, Some(arg)),
        None => (text, None),
    };
    if name.is_empty() {
        return Err(ErrorKind::EmptyName);
    }
    let name = match ignore_case {
        true => name.to_ascii_lowercase(),
        false => name.to_owned(),
    };
    // `default`, `map` and `percent` need a non-empty argument.
    let needed = || {
        arg.filter(|arg| !arg.is_empty())
            .ok_or(ErrorKind::MissingArgument)
    };
    match name.as_str() {
        "raw" | "lower" | "upper" if arg.is_some() => Err(ErrorKind::UnexpectedArgument),
        "raw" => Ok(Mod::Raw),
        "lower" => Ok(Mod::Lower),
        "upper" => Ok(Mod::Upper),
        "default" => Ok(Mod::Default(needed()?.to_owned())),
        "map" => needed()?
            .split(',')
            .map(|pair| match pair.split_once('=') {
                Some((from, to)) if !from.is_empty() && !to.contains('=') => {
                    Some((from.to_owned(), to.to_owned()))
                }
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(Mod::Map)
            .ok_or(ErrorKind::InvalidArgument),
        "percent" => match naive_parse_decimal(needed()?) {
            Some(Some(n)) if n.mantissa() >= 0 => Ok(Mod::Percent(n)),
            _ => Err(ErrorKind::InvalidArgument),
        },
        "round" => match needed()?.parse::<u32>() {
            Ok(n) if n <= 18 && arg.is_some_and(|a| a.bytes().all(|b| b.is_ascii_digit())) => {
                Ok(Mod::Round(n))
            }
            _ => Err(ErrorKind::InvalidArgument),
        },
        _ => Err(ErrorKind::UnknownModifier),
    }
}

/// A token as the naive reader understands it: the canonical key its value is looked up by,
/// and its modifiers.
#[derive(Debug)]
struct NaiveToken {
    key: String,
    mods: Vec<Mod>,
}

/// Why a token does not parse: the kind, and the span of the modifier at fault within the
/// token's text, or `None` when the span is the whole token.
type TokenError = (ErrorKind, Option<Range<usize>>);

/// Reads a token's text (between the delimiters): the head runs to the first `|`, each
/// modifier from a `|` to the next. `Ok(None)` is an unknown token kept as literal text, whose
/// modifiers are not read. The head is checked before the modifiers, and the modifiers from
/// left to right. A modifier's error spans its text, and its `|` too when the text is empty
/// (an empty name).
fn naive_token(
    inner: &str,
    ignore_case: bool,
    unknown: Unknown,
) -> Result<Option<NaiveToken>, TokenError> {
    let mut segments = inner.split('|');
    let head = segments.next().unwrap_or_default();
    let key = match (naive_class(head, ignore_case), unknown) {
        (Class::Known(key), _) => key,
        (Class::Malformed(kind), _) => return Err((kind, None)),
        (Class::Unknown, Unknown::Reject) => return Err((ErrorKind::UnknownName, None)),
        (Class::Unknown, Unknown::Literal) => return Ok(None),
        // A custom token's canonical form is its head as written.
        (Class::Unknown, _) => head.to_owned(),
    };
    let (mut mods, mut written) = (Vec::new(), Vec::new());
    let mut at = head.len() + 1;
    for segment in segments {
        // An empty modifier has no text to point at: its span starts at its `|`.
        let mod_ = naive_modifier(segment, ignore_case).map_err(|kind| match kind {
            ErrorKind::EmptyName => (kind, Some(at - 1..at + segment.len())),
            _ => (kind, Some(at..at + segment.len())),
        })?;
        // The texts this modifier may write, at their offsets in the token.
        let arg_at = at + segment.find(':').map_or(segment.len(), |colon| colon + 1);
        match &mod_ {
            Mod::Default(text) => written.push((arg_at, text.clone())),
            Mod::Map(pairs) => {
                let mut pair_at = arg_at;
                for (from, to) in pairs {
                    written.push((pair_at + from.len() + 1, to.clone()));
                    pair_at += from.len() + 1 + to.len() + 1;
                }
            }
            _ => {}
        }
        mods.push(mod_);
        at += segment.len() + 1;
    }
    // Under `raw` they are written as they are: literal text, with its rule.
    if mods.contains(&Mod::Raw) {
        for (text_at, text) in written {
            let bad = text
                .char_indices()
                .find(|&(_, c)| c.is_whitespace() || c.is_control() || c == '\\');
            if let Some((i, c)) = bad {
                let start = text_at + i;
                return Err((ErrorKind::InvalidChar, Some(start..start + c.len_utf8())));
            }
        }
    }
    Ok(Some(NaiveToken { key, mods }))
}

// ---------------------------------------------------------------------------------------------
// Generators.
// ---------------------------------------------------------------------------------------------

/// Any Unicode text of up to `max` characters.
fn unicode(max: usize) -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..=max).prop_map(String::from_iter)
}

/// Text with URL structure in it: `https://`, `/`, `?`, `#`, `&x=`, and arbitrary Unicode.
fn literal_text() -> impl Strategy<Value = String> {
    const URL_BITS: &[&str] = &[
        "https://",
        "http://",
        "//",
        "/",
        "?",
        "#",
        "&a=",
        "=",
        ":",
        "t.example",
        "/p/",
        "..",
        "@",
        "%",
        "}",
        "]]",
        ">",
        "##",
        "a+b-c.d://",
        "|",
        "%2",
        "2",
        "%e",
    ];
    prop_oneof![
        3 => unicode(8),
        3 => select(URL_BITS).prop_map(String::from),
        2 => "[a-zA-Z0-9./?#&=:%+@ -]{0,8}",
    ]
}

/// Whether a character may stand in a template's literal text: URL parsers drop or reject
/// whitespace and control characters, and read `\` as `/`.
fn url_char(c: char) -> bool {
    !(c.is_whitespace() || c.is_control() || c == '\\')
}

/// `text` without the characters that literal text may not hold.
fn url_clean(text: &str) -> String {
    text.chars().filter(|&c| url_char(c)).collect()
}

/// A delimiter whose first character cannot appear in a token name (`A-Z a-z 0-9 _ :`) nor in
/// the URL a template starts with (`/ . @ ?`), so that generated templates parse as built; the
/// rest is any text that literal text may hold (an escape writes the delimiter as literal
/// text).
fn safe_delimiter() -> impl Strategy<Value = String> {
    let first = any::<char>().prop_filter("a token-name or URL character", |c| {
        !(c.is_ascii_alphanumeric() || "_:/.@?".contains(*c)) && url_char(*c)
    });
    let rest = any::<char>().prop_filter("a character literal text may not hold", |c| url_char(*c));
    (first, vec(rest, 0..3)).prop_map(|(first, rest)| std::iter::once(first).chain(rest).collect())
}

/// The `Syntax` constants, random pairs of delimiters, and random equal pairs.
fn safe_syntax() -> impl Strategy<Value = Syntax> {
    prop_oneof![
        3 => Just(Syntax::BRACES),
        3 => select(vec![
            Syntax::DOUBLE_BRACKETS,
            Syntax::ANGLE_BRACKETS,
            Syntax::DOLLAR_BRACES,
            Syntax::DOUBLE_HASHES,
            Syntax::PERCENT,
        ]),
        2 => (safe_delimiter(), safe_delimiter())
            .prop_filter_map("empty delimiter", |(open, close)| Syntax::new(open, close)),
        1 => safe_delimiter().prop_filter_map("empty delimiter", |d| Syntax::new(d.clone(), d)),
    ]
}

/// Every `Unknown` policy.
fn unknown_policy() -> impl Strategy<Value = Unknown> {
    select(vec![Unknown::Reject, Unknown::Literal, Unknown::Custom])
}

/// One piece of a generated template, before it is rendered for a syntax.
#[derive(Clone, Debug)]
enum Piece {
    /// Literal text; characters that would start an opening delimiter are dropped.
    Text(String),
    /// The opening delimiter, doubled.
    Escape,
    /// A token: its head, and the modifiers after it.
    Token(Head, Vec<GenMod>),
}

/// The head of a generated token: its name and argument, before any `|`.
#[derive(Clone, Debug)]
enum Head {
    /// `NAMED[index]`, in a random ASCII case when names are matched without case.
    Named(usize, u32),
    /// `t1`..`t10` (`false`) or `event1`..`event10` (`true`).
    Numbered(bool, u8, u32),
    /// `tName:NAME`.
    TName(u32, String),
    /// A name outside the vocabulary, with or without an argument.
    Custom(String, Option<String>),
}

/// A generated modifier, and the ASCII case mask of its name (used when names ignore case).
#[derive(Clone, Debug)]
struct GenMod(GenKind, u32);

/// What a generated modifier is. Arguments are cleaned of the characters they may not hold
/// when rendered.
#[derive(Clone, Debug)]
enum GenKind {
    Raw,
    Lower,
    Upper,
    Default(String),
    Map(Vec<(String, String)>),
    /// The percentage, as a plain decimal of at least 0.
    Percent(String),
    /// The places, 0 to 18.
    Round(u32),
    /// Any text after a `|`: written only after unknown tokens kept as literal text, whose
    /// modifiers are never read.
    Junk(String),
}

/// Text shared by values, defaults and `map` pairs, so that maps match and percentages apply:
/// words in both cases, numbers as every kind of value writes them, decimals that do not fit a
/// `Decimal`, dots, and text to encode.
const COMMON: &[&str] = &[
    "lead",
    "sale",
    "LEAD",
    "Sale",
    "none",
    "10",
    "10.00",
    "0.5",
    "-3",
    "7",
    "0",
    "-0",
    "NaN",
    "inf",
    "1.",
    "1e5",
    " 5",
    ".",
    "..",
    "a b",
    "x&y=z",
    "12345678901234567890",
    "0.0000000000000000001",
    "100000000000000000000000000000000",
];

/// The text of a default or of either side of a `map` pair.
fn modifier_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(COMMON).prop_map(String::from),
        1 => unicode(5),
        1 => "[a-zA-Z0-9.:,=&?#/%| -]{0,6}",
    ]
}

/// A `percent` argument: plain decimals of at least 0, whole or not, small or not.
fn percent_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(vec!["0", "50", "100", "12.5", "150", "33", "0.01", "00.50", "200.000"])
            .prop_map(String::from),
        2 => (0..=100_000i64, 0..=4u32)
            .prop_map(|(m, scale)| naive_decimal(Decimal::new(m, scale).expect("scale in range"))),
        1 => (0..=i64::MAX, 0..=Decimal::MAX_SCALE)
            .prop_map(|(m, scale)| naive_decimal(Decimal::new(m, scale).expect("scale in range"))),
    ]
}

/// A valid modifier other than `raw`: one that keeps the value encoded.
fn encoded_modifier() -> impl Strategy<Value = GenMod> {
    let kind = prop_oneof![
        1 => Just(GenKind::Lower),
        1 => Just(GenKind::Upper),
        2 => modifier_text().prop_map(GenKind::Default),
        3 => vec((modifier_text(), modifier_text()), 1..4).prop_map(GenKind::Map),
        3 => percent_text().prop_map(GenKind::Percent),
        2 => (0..=18u32).prop_map(GenKind::Round),
    ];
    (kind, any::<u32>()).prop_map(|(kind, case)| GenMod(kind, case))
}

/// Any modifier: the valid ones, `raw` among them, and now and then junk.
fn any_modifier() -> impl Strategy<Value = GenMod> {
    let other = prop_oneof![
        Just(GenKind::Raw),
        prop_oneof![unicode(6), "[|:=,a-z0-9. -]{0,8}"].prop_map(GenKind::Junk),
    ];
    prop_oneof![
        8 => encoded_modifier(),
        2 => (other, any::<u32>()).prop_map(|(kind, case)| GenMod(kind, case)),
    ]
}

/// A chain of 0 to 3 modifiers, empty about half the time.
fn chain() -> impl Strategy<Value = Vec<GenMod>> {
    prop_oneof![Just(Vec::new()), vec(any_modifier(), 1..4)]
}

/// A piece: literal text most often, then tokens of every kind, then escapes.
fn piece() -> impl Strategy<Value = Piece> {
    let custom_name = prop_oneof![
        select(vec!["status", "sub_id_1", "revenue", "ClickID", "T1", "x"]).prop_map(String::from),
        unicode(6),
    ];
    let custom_arg = prop_oneof![
        select(vec![" lead=1 sale=2", "", "a:b", "{}", "a|b"]).prop_map(String::from),
        unicode(8),
    ];
    let head = prop_oneof![
        3 => (0..NAMED.len(), any::<u32>()).prop_map(|(i, case)| Head::Named(i, case)),
        2 => (any::<bool>(), 1..=10u8, any::<u32>())
            .prop_map(|(event, n, case)| Head::Numbered(event, n, case)),
        1 => (any::<u32>(), unicode(6)).prop_map(|(case, arg)| Head::TName(case, arg)),
        2 => (custom_name, proptest::option::of(custom_arg))
            .prop_map(|(name, arg)| Head::Custom(name, arg)),
    ];
    prop_oneof![
        5 => literal_text().prop_map(Piece::Text),
        1 => Just(Piece::Escape),
        8 => (head, chain()).prop_map(|(head, chain)| Piece::Token(head, chain)),
    ]
}

/// A generated template: its syntax, its unknown-name policy, whether names ignore case, and
/// its pieces.
fn template_case() -> impl Strategy<Value = (Syntax, Unknown, bool, Vec<Piece>)> {
    // Every template is an absolute URL; its start puts tokens in every place.
    let start = select(vec![
        "https://",
        "http://h.example",
        "https://h.example:",
        "https://user@",
        "https://h.example/",
        "HTTPS://h.example/p/.",
        "https://h.example/?",
        "https://h.example/#",
    ])
    .prop_map(|start| Some(Piece::Text(start.to_owned())));
    (
        safe_syntax(),
        unknown_policy(),
        any::<bool>(),
        start,
        vec(piece(), 0..12),
    )
        .prop_map(|(syntax, unknown, ignore_case, start, pieces)| {
            (
                syntax,
                unknown,
                ignore_case,
                start.into_iter().chain(pieces).collect(),
            )
        })
}

/// The token a rendered piece should parse to, owning its text.
#[derive(Clone, Debug)]
enum Want {
    Token(Token<'static>),
    TName(String),
    Custom(String, Option<String>),
}

impl Want {
    fn token(&self) -> Token<'_> {
        match self {
            Want::Token(token) => *token,
            Want::TName(name) => Token::TName(name),
            Want::Custom(name, arg) => Token::Custom {
                name,
                arg: arg.as_deref(),
            },
        }
    }
}

/// A generated template as text, and the tokens it should parse to.
#[derive(Debug)]
struct Rendered {
    source: String,
    wants: Vec<Want>,
}

/// `text` without the characters in `banned`.
fn without(text: &str, banned: &[char]) -> String {
    text.chars().filter(|c| !banned.contains(c)).collect()
}

/// `name` with the ASCII letters whose bit is set in `mask` uppercased, when names ignore case.
fn recase(name: &str, mask: u32, ignore_case: bool) -> String {
    if !ignore_case {
        return name.to_owned();
    }
    name.chars()
        .enumerate()
        .map(|(i, c)| match (mask >> (i % 32)) & 1 {
            1 => c.to_ascii_uppercase(),
            _ => c,
        })
        .collect()
}

/// Renders `pieces` for `syntax`, so that the result parses to exactly the wanted tokens:
///
/// - literal text never holds the first character of the opening delimiter, so no opening
///   delimiter starts inside it (the delimiter itself is written with an escape piece);
/// - a token's text never holds the first character of either delimiter, so its own closing
///   delimiter is the first one after it, and it is not read as an escape;
/// - delimiters never start with a name character, so they cannot cut a name short;
/// - a `|` in a token always starts a modifier: names and arguments never hold one.
///
/// Closing delimiters and `|` may appear in literal text: outside a token they are literal.
fn render(pieces: &[Piece], syntax: &Syntax, ignore_case: bool, unknown: Unknown) -> Rendered {
    let (open, close) = (syntax.open(), syntax.close());
    let first = |d: &str| d.chars().next().unwrap_or(' ');
    let (open0, close0) = (first(open), first(close));
    let mut source = String::new();
    let mut wants = Vec::new();
    let token = |source: &mut String, head: &str, chain: &[GenMod], literal: bool| {
        source.push_str(open);
        source.push_str(head);
        source.push_str(&render_chain(chain, &[open0, close0], ignore_case, literal));
        source.push_str(close);
    };
    for piece in pieces {
        let (head, chain) = match piece {
            Piece::Text(text) => {
                source.push_str(&url_clean(&without(text, &[open0])));
                continue;
            }
            Piece::Escape => {
                source.push_str(open);
                source.push_str(open);
                continue;
            }
            Piece::Token(head, chain) => (head, chain),
        };
        match head {
            Head::Named(index, mask) => {
                let (spelling, _, want) = NAMED[*index];
                token(
                    &mut source,
                    &recase(spelling, *mask, ignore_case),
                    chain,
                    false,
                );
                wants.push(Want::Token(want));
            }
            Head::Numbered(event, n, mask) => {
                let family = if *event { "event" } else { "t" };
                let head = format!("{}{n}", recase(family, *mask, ignore_case));
                token(&mut source, &head, chain, false);
                let slot = Slot::new(*n).expect("generated in 1..=10");
                wants.push(Want::Token(match event {
                    true => Token::Event(slot),
                    false => Token::T(slot),
                }));
            }
            Head::TName(mask, arg) => {
                let mut arg = without(arg, &[open0, close0, '|']);
                if arg.is_empty() {
                    arg.push('x');
                }
                let head = format!("{}:{arg}", recase("tName", *mask, ignore_case));
                token(&mut source, &head, chain, false);
                wants.push(Want::TName(arg));
            }
            Head::Custom(name, arg) => {
                if unknown == Unknown::Reject {
                    continue;
                }
                let literal = unknown == Unknown::Literal;
                // A token kept as literal text is literal text: no whitespace, no control.
                let clean = |text: String| match literal {
                    true => url_clean(&text),
                    false => text,
                };
                let mut name = clean(without(name, &[open0, close0, ':', '|']));
                // No known name starts with `x`, so this makes any name unknown.
                if naive_class(&name, ignore_case) != Class::Unknown {
                    name.insert(0, 'x');
                }
                let arg = arg
                    .as_deref()
                    .map(|arg| clean(without(arg, &[open0, close0, '|'])));
                let head = match &arg {
                    Some(arg) => format!("{name}:{arg}"),
                    None => name.clone(),
                };
                token(&mut source, &head, chain, literal);
                if !literal {
                    wants.push(Want::Custom(name, arg));
                }
            }
        }
    }
    Rendered { source, wants }
}

/// The modifiers of a token as text, each after a `|`, without the characters in `banned`
/// (the first characters of the delimiters) and without those their grammar forbids. Junk is
/// written only when the token is kept as literal text (`literal`).
fn render_chain(chain: &[GenMod], banned: &[char], ignore_case: bool, literal: bool) -> String {
    // A delimiter starting with `|` leaves no room for modifiers.
    if banned.contains(&'|') {
        return String::new();
    }
    let clean = |text: &str, also: &[char]| {
        let banned: Vec<char> = banned.iter().chain(also).copied().collect();
        match without(text, &banned) {
            text if text.is_empty() => "x".to_owned(),
            text => text,
        }
    };
    // What `raw` writes as it is is literal text of the URL: no whitespace, control character
    // or `\`.
    let raw = chain
        .iter()
        .any(|GenMod(kind, _)| matches!(kind, GenKind::Raw));
    let written = |text: String| match raw {
        true => text.replace(
            |c: char| c.is_whitespace() || c.is_control() || c == '\\',
            "",
        ),
        false => text,
    };
    let mut out = String::new();
    for GenMod(kind, mask) in chain {
        let name = |name: &str| recase(name, *mask, ignore_case);
        match kind {
            GenKind::Raw => write!(out, "|{}", name("raw")),
            GenKind::Lower => write!(out, "|{}", name("lower")),
            GenKind::Upper => write!(out, "|{}", name("upper")),
            GenKind::Default(text) => {
                let text = clean(&written(text.clone()), &['|']);
                write!(out, "|{}:{}", name("default"), text)
            }
            // A delimiter starting with `=` leaves no room for a map.
            GenKind::Map(_) if banned.contains(&'=') => Ok(()),
            GenKind::Map(pairs) => {
                // A delimiter starting with `,` leaves room for one pair only.
                let count = if banned.contains(&',') {
                    1
                } else {
                    pairs.len()
                };
                let pairs: Vec<String> = pairs[..count]
                    .iter()
                    .map(|(from, to)| {
                        let to = written(without(to, &['|', ',', '=']));
                        format!("{}={}", clean(from, &['|', ',', '=']), without(&to, banned))
                    })
                    .collect();
                write!(out, "|{}:{}", name("map"), pairs.join(","))
            }
            GenKind::Percent(n) => {
                // Digits are never banned; a point or a sign may be.
                let n = match n.contains(banned) {
                    true => "50",
                    false => n,
                };
                write!(out, "|{}:{n}", name("percent"))
            }
            GenKind::Round(places) => write!(out, "|{}:{places}", name("round")),
            GenKind::Junk(text) if literal => write!(out, "|{}", url_clean(&without(text, banned))),
            GenKind::Junk(_) => Ok(()),
        }
        .expect("writing to a String");
    }
    // Kept as literal text, the chain is literal text too.
    match literal {
        true => url_clean(&out),
        false => out,
    }
}

/// `rendered`, repaired where its random literal text makes a URL the parser refuses as such
/// (a path segment of literal dots, an authority without a host): a template is an absolute
/// URL. The repair inserts a letter into the literal text; a case whose repair changed its
/// tokens (the letter and a delimiter made a new one) is discarded.
fn valid(mut rendered: Rendered, options: &ParseOptions) -> Result<Rendered, TestCaseError> {
    let mut repaired = false;
    for _ in 0..32 {
        let err = match Template::parse_with(&rendered.source, options) {
            Ok(template) if repaired => {
                let tokens: Vec<Token<'_>> = template.tokens().collect();
                let wants: Vec<Token<'_>> = rendered.wants.iter().map(Want::token).collect();
                return match tokens == wants {
                    true => Ok(rendered),
                    false => Err(TestCaseError::reject("the repair made a token")),
                };
            }
            Ok(_) => return Ok(rendered),
            Err(err) => err,
        };
        match err.kind() {
            ErrorKind::DotSegment => rendered.source.insert(err.span().start, 'x'),
            // A host of its own, right after `scheme://`, outside any delimiter: what followed
            // is the path now.
            ErrorKind::EmptyHost | ErrorKind::InvalidHost => {
                let after = rendered.source.find("://").map_or(0, |at| at + 3);
                rendered.source.insert_str(after, "h/");
            }
            // The letter went into a delimiter that an escape writes.
            _ if repaired => return Err(TestCaseError::reject("the repair broke a delimiter")),
            _ => {
                return Err(TestCaseError::fail(format!(
                    "generated template fails: {err:#}"
                )));
            }
        }
        repaired = true;
    }
    Err(TestCaseError::reject("too many repairs"))
}

/// The options a generated template is parsed with.
fn options(syntax: &Syntax, unknown: Unknown, ignore_case: bool) -> ParseOptions {
    ParseOptions::new()
        .with_syntax(syntax.clone())
        .with_unknown(unknown)
        .with_ignore_case(ignore_case)
}

/// A value a test source answers with, owning its text.
#[derive(Clone, Debug)]
enum Val {
    Str(String),
    Raw(String),
    Int(i64),
    UInt(u64),
    Float(f64),
    Decimal(Decimal),
}

impl Val {
    fn value(&self) -> Value<'_> {
        match self {
            Val::Str(text) => Value::Str(text),
            Val::Raw(text) => Value::Raw(text),
            Val::Int(n) => Value::Int(*n),
            Val::UInt(n) => Value::UInt(*n),
            Val::Float(x) => Value::Float(*x),
            Val::Decimal(d) => Value::Decimal(*d),
        }
    }
}

/// Text that tries to break out of its place: URL delimiters, line breaks, `%`, `+`, tokens,
/// dots, and any Unicode.
fn hostile_text() -> impl Strategy<Value = String> {
    const HOSTILE: &[&str] = &[
        "&", "=", "#", "?", "/", "%", "+", " ", "\r", "\n", "{payout}", "{{", "}", ":", "@", "..",
        ".", "%2e", "%41", "\\", "[", "]", "\0", "\t", "é", "🎉",
    ];
    let chunk = prop_oneof![select(HOSTILE).prop_map(String::from), unicode(4)];
    vec(chunk, 0..6).prop_map(|chunks| chunks.concat())
}

/// A `Decimal` with any mantissa and scale.
fn decimal() -> impl Strategy<Value = Decimal> {
    let mantissa = prop_oneof![any::<i64>(), -100_000..100_000i64];
    (mantissa, 0..=Decimal::MAX_SCALE)
        .prop_map(|(m, scale)| Decimal::new(m, scale).expect("scale in range"))
}

/// Any value: text (empty, dots only, hostile, any Unicode, short or long), raw text, integers,
/// floats (finite or not), decimals.
fn value() -> impl Strategy<Value = Val> {
    let float = prop_oneof![
        any::<f64>(),
        select(vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            1e21,
            1e-7,
        ]),
    ];
    prop_oneof![
        4 => hostile_text().prop_map(Val::Str),
        // Long enough to fill expansion's buffer, of a few hundred bytes, more than once.
        1 => (hostile_text(), 1..60usize).prop_map(|(text, n)| Val::Str(text.repeat(n))),
        2 => select(vec!["", ".", "..", "...", "a.b"]).prop_map(|s| Val::Str(s.into())),
        1 => prop_oneof![Just(String::new()), hostile_text()].prop_map(Val::Raw),
        1 => any::<i64>().prop_map(Val::Int),
        1 => any::<u64>().prop_map(Val::UInt),
        1 => float.prop_map(Val::Float),
        1 => decimal().prop_map(Val::Decimal),
        3 => common_value(),
    ]
}

/// A value that modifiers have something to do with: the text of [`COMMON`], as text or raw
/// text, and numbers that write as some of it or that no percentage of fits.
fn common_value() -> impl Strategy<Value = Val> {
    let text = select(COMMON).prop_map(String::from);
    prop_oneof![
        3 => text.clone().prop_map(Val::Str),
        1 => text.prop_map(Val::Raw),
        1 => (-20..=20i64).prop_map(Val::Int),
        1 => select(vec![0, 7, 10, i64::MAX as u64, u64::MAX]).prop_map(Val::UInt),
        1 => select(vec![0.5, 10.0, -3.0, -0.0, 1e-7, 1e-19, 1e21, 1e32, 0.1, f64::NAN])
            .prop_map(Val::Float),
        1 => (-2000..=2000i64, 0..=3u32)
            .prop_map(|(m, scale)| Val::Decimal(Decimal::new(m, scale).expect("scale in range"))),
        1 => Just(Val::Decimal(Decimal::new(1, Decimal::MAX_SCALE).expect("scale in range"))),
    ]
}

/// The value a source of `values` has for the token whose canonical form is `key`: the
/// values are spread over keys by a fixed hash, so repeated tokens get the same value.
fn lookup<'v>(values: &'v [Option<Val>], key: &str) -> Option<&'v Val> {
    let hash = key.bytes().map(usize::from).sum::<usize>();
    values.get(hash % values.len().max(1))?.as_ref()
}

/// A source answering from `values` by each token's canonical `Display` form.
fn source(values: &[Option<Val>]) -> impl TokenSource + '_ {
    from_fn(move |token: &Token<'_>| lookup(values, &token.to_string()).map(Val::value))
}

// ---------------------------------------------------------------------------------------------
// The naive reference expander.
// ---------------------------------------------------------------------------------------------

/// Where a token stands in the URL, as far as encoding is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Authority,
    Path,
    Query,
    Fragment,
}

/// Where a token stands, from the literal text the expansion writes before it. `runs[0]` is
/// the text before the first token, `runs[k]` the text after the `k`-th one; an escape counts
/// as the delimiter it writes, and a token kept as literal text (`Unknown::Literal`) as its
/// text. The rules, read from `UrlState` in `src/parse.rs`:
///
/// 1. A `#` anywhere before the token: the fragment.
/// 2. Otherwise a `?` anywhere before it: the query.
/// 3. Otherwise, if the text before the *first* token starts with `//` or with a scheme
///    (`[A-Za-z][A-Za-z0-9+.-]*`) and `://`, the authority follows; the token stands in it
///    unless a `/` was written after that `//` (before or after other tokens): then the path.
///    A token does not end the authority: its value is encoded not to.
/// 4. Otherwise the path: in particular a token before the authority is complete (`{t1}//h`,
///    `http{t1}://h`) makes everything after it path, as its value is unknown.
fn naive_place(runs: &[String]) -> Place {
    if runs.iter().any(|run| run.contains('#')) {
        return Place::Fragment;
    }
    if runs.iter().any(|run| run.contains('?')) {
        return Place::Query;
    }
    let lead = runs.first().map_or("", String::as_str);
    match authority_of(lead) {
        Some(rest) if !rest.contains('/') && !runs[1..].iter().any(|run| run.contains('/')) => {
            Place::Authority
        }
        _ => Place::Path,
    }
}

/// The text after `//` when `text` starts with `//` or `scheme://`.
fn authority_of(text: &str) -> Option<&str> {
    if let Some(rest) = text.strip_prefix("//") {
        return Some(rest);
    }
    let (scheme, rest) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let others = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    match first && others {
        true => rest.strip_prefix("//"),
        false => None,
    }
}

/// `text` percent-encoded byte by byte: `A-Z a-z 0-9 - . _ ~` pass, and `:` too in the
/// authority; every other byte is `%XX`.
fn naive_encode(text: &str, place: Place) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        if unreserved || (place == Place::Authority && byte == b':') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A token's own text, kept in place of a value, encoded as the crate documents it
/// (`encode::KEPT_EXTRA`): the unreserved bytes and `! $ ' ( ) * , ; { } | ^ < >` pass, and
/// `: @ [ ]` too outside the authority; every other byte is `%XX`.
fn naive_kept(text: &str, place: Place) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~');
        let inert = b"!$'()*,;{}|^<>".contains(&byte);
        let outside = place != Place::Authority && b":@[]".contains(&byte);
        match unreserved || inert || outside {
            true => out.push(char::from(byte)),
            false => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A decimal's text from its digits: the mantissa's digits, zero-padded to more than the
/// scale, with a point before the last `scale` of them.
fn naive_decimal(d: Decimal) -> String {
    let scale = d.scale() as usize;
    let digits = format!(
        "{:0>width$}",
        d.mantissa().unsigned_abs(),
        width = scale + 1
    );
    let (int, frac) = digits.split_at(digits.len() - scale);
    let sign = if d.mantissa() < 0 { "-" } else { "" };
    match scale {
        0 => format!("{sign}{int}"),
        _ => format!("{sign}{int}.{frac}"),
    }
}

/// The text of a number as expansion writes it, in plain decimal notation (floats in their
/// shortest form, never with an exponent).
fn number_text(number: &Val) -> String {
    match number {
        Val::Str(text) | Val::Raw(text) => text.clone(),
        Val::Int(n) => n.to_string(),
        Val::UInt(n) => n.to_string(),
        Val::Float(x) => format!("{x}"),
        Val::Decimal(d) => naive_decimal(*d),
    }
}

/// A value on its way through a token's modifiers.
enum Flow {
    /// No value, and why: none was given, or `percent` or `round` could not apply.
    Missing(ProblemKind),
    Text(String),
    Number(Val),
}

/// What the naive expander makes of a token: the text it writes before encoding and whether
/// that text is encoded, or why the value is unusable.
#[derive(Debug)]
struct Outcome {
    written: Result<(String, bool), ProblemKind>,
}

/// `d` rounded to at most `places` decimal places, half away from zero, in i128.
fn naive_round(d: Decimal, places: u32) -> Decimal {
    if places >= d.scale() {
        return d;
    }
    let factor = 10_i128.pow(d.scale() - places);
    let m = i128::from(d.mantissa());
    let (q, r) = (m / factor, (m % factor).abs());
    let q = if 2 * r >= factor { q + m.signum() } else { q };
    Decimal::new(i64::try_from(q).expect("fewer digits"), places).expect("places <= 18")
}

/// Applies `mods` to `value` from left to right, as the crate's documentation describes them,
/// and decides what is written at `place`:
///
/// - `raw`: nothing is percent-encoded, and the path's dot rule does not apply; a host's
///   `Value::Raw` is likewise written as it is while it is the host's text, but a default or a
///   mapping that replaces it is the template's text and is encoded (unless `raw` is given);
/// - `default:TEXT`: TEXT replaces a missing value or empty text;
/// - `map:FROM=TO,...`: the first pair whose FROM is exactly the value's text as it would be
///   written before encoding (a number's plain decimal text, text in the case an earlier
///   `lower` or `upper` gave it) replaces it with TO; other values pass;
/// - `percent:N`: a number (an integer, a float by its shortest text, a decimal, or text that
///   is a plain decimal) becomes exactly N% of itself as a decimal with at least its scale and
///   no further trailing zeros; a value that is not a number becomes missing as `NotNumeric`,
///   a float that is not finite as `NotFinite`, one that a `Decimal` cannot hold, or whose
///   exact share does not fit, as `OutOfRange`; a missing value or empty text is left as it is;
/// - `round:N`: the same reading of the value as a number, rounded to at most N places, half
///   away from zero;
/// - `lower`, `upper`: ASCII letters of text change case; numbers do not change.
///
/// Without modifiers, this is the plain rule: a missing value, empty text and a float that is
/// not finite are unusable, and so is text of only dots in the path.
fn naive_modified(value: Option<&Val>, mods: &[Mod], place: Place) -> Outcome {
    let raw = mods.contains(&Mod::Raw);
    let mut host_raw = matches!(value, Some(Val::Raw(_)));
    let mut flow = match value {
        None => Flow::Missing(ProblemKind::Missing),
        Some(Val::Str(text) | Val::Raw(text)) => Flow::Text(text.clone()),
        Some(number) => Flow::Number(number.clone()),
    };
    for mod_ in mods {
        match (mod_, &mut flow) {
            (Mod::Raw, _) => {}
            (Mod::Lower, Flow::Text(text)) => text.make_ascii_lowercase(),
            (Mod::Upper, Flow::Text(text)) => text.make_ascii_uppercase(),
            (Mod::Lower | Mod::Upper, _) => {}
            (Mod::Default(default), Flow::Missing(_)) => {
                flow = Flow::Text(default.clone());
                host_raw = false;
            }
            (Mod::Default(default), Flow::Text(text)) if text.is_empty() => {
                *text = default.clone();
                host_raw = false;
            }
            (Mod::Default(_), _) => {}
            (Mod::Map(_), Flow::Missing(_)) => {}
            (Mod::Map(pairs), Flow::Text(_) | Flow::Number(_)) => {
                let current = match &flow {
                    Flow::Text(text) => text.clone(),
                    Flow::Number(number) => number_text(number),
                    Flow::Missing(_) => unreachable!("matched above"),
                };
                if let Some((_, to)) = pairs.iter().find(|(from, _)| *from == current) {
                    flow = Flow::Text(to.clone());
                    host_raw = false;
                }
            }
            // Missing and empty values are left: they are reported as what they are.
            (Mod::Percent(_) | Mod::Round(_), Flow::Missing(_)) => {}
            (Mod::Percent(_) | Mod::Round(_), Flow::Text(text)) if text.is_empty() => {}
            (Mod::Percent(_) | Mod::Round(_), Flow::Text(_) | Flow::Number(_)) => {
                // The value as a decimal, or why it is none.
                let number = match &flow {
                    Flow::Text(text) => match naive_parse_decimal(text) {
                        Some(Some(d)) => Ok(d),
                        Some(None) => Err(ProblemKind::OutOfRange),
                        None => Err(ProblemKind::NotNumeric),
                    },
                    Flow::Number(Val::Int(n)) => Ok(Decimal::from(*n)),
                    Flow::Number(Val::UInt(n)) => i64::try_from(*n)
                        .map(Decimal::from)
                        .map_err(|_| ProblemKind::OutOfRange),
                    Flow::Number(Val::Float(x)) if !x.is_finite() => Err(ProblemKind::NotFinite),
                    Flow::Number(Val::Float(x)) => match naive_parse_decimal(&format!("{x}")) {
                        Some(Some(d)) => Ok(d),
                        _ => Err(ProblemKind::OutOfRange),
                    },
                    Flow::Number(Val::Decimal(d)) => Ok(*d),
                    _ => Err(ProblemKind::NotNumeric),
                };
                let result = number.and_then(|number| match mod_ {
                    Mod::Round(places) => Ok(naive_round(number, *places)),
                    _ => {
                        let Mod::Percent(percent) = mod_ else {
                            unreachable!("matched above")
                        };
                        exact_shares(number, *percent)
                            .first()
                            .and_then(|&(mantissa, scale)| Decimal::new(mantissa, scale))
                            .ok_or(ProblemKind::OutOfRange)
                    }
                });
                flow = match result {
                    Ok(d) => Flow::Number(Val::Decimal(d)),
                    Err(why) => Flow::Missing(why),
                };
            }
        }
    }
    let keep = raw || host_raw;
    let written = match flow {
        Flow::Missing(why) => Err(why),
        Flow::Text(text) if text.is_empty() => Err(ProblemKind::Empty),
        Flow::Text(text) if !keep && place == Place::Path && text.chars().all(|c| c == '.') => {
            Err(ProblemKind::DotSegment)
        }
        Flow::Text(text) => Ok((text, !keep)),
        Flow::Number(Val::Float(x)) if !x.is_finite() => Err(ProblemKind::NotFinite),
        Flow::Number(number) => Ok((number_text(&number), false)),
    };
    Outcome { written }
}

/// A part of a template, split by hand.
#[derive(Debug)]
enum Part<'s> {
    /// Text the expansion writes as it is: literal text, the delimiter an escape stands for,
    /// a token kept as literal text.
    Text(&'s str),
    /// A token: its span, delimiters included, its text between them, and what it means.
    Token(Range<usize>, &'s str, NaiveToken),
}

/// Splits `src` by hand, or says why it does not parse and where: the first problem from the
/// left, a token's (see [`naive_tokens`]) or the URL's (see [`naive_url`]).
fn naive_split<'s>(
    src: &'s str,
    options: &NaiveOptions,
) -> Result<Vec<Part<'s>>, (ErrorKind, Range<usize>)> {
    let (parts, token_error) = naive_tokens(src, options);
    let limit = token_error.as_ref().map_or(src.len(), |(_, _, at)| *at);
    let url_error = naive_url(src, &parts, options.any_scheme, token_error.is_none())
        .filter(|(_, _, at)| *at < limit || token_error.is_none());
    match url_error.or(token_error) {
        Some((kind, span, _)) => Err((kind, span)),
        None => Ok(parts),
    }
}

/// A problem the naive reader found: its kind, its span, and where it was found (an error
/// found further left comes first).
type Found = (ErrorKind, Range<usize>, usize);

/// Splits `src` into parts by hand, up to its first malformed token, if any. An opening
/// delimiter followed by another is an escape; otherwise the token runs to the first closing
/// delimiter, and may not contain an opening one. A token's error spans the token, or the
/// modifier at fault (from after its `|` to the next `|` or the end of the token); it is found
/// where the token starts.
fn naive_tokens<'s>(src: &'s str, options: &NaiveOptions) -> (Vec<Part<'s>>, Option<Found>) {
    let (open, close) = (options.syntax.open(), options.syntax.close());
    let mut parts = Vec::new();
    // `text` is where the pending literal text starts; `pos` is where the search goes on.
    let (mut text, mut pos) = (0, 0);
    while let Some(found) = src[pos..].find(open) {
        let start = pos + found;
        let inner = start + open.len();
        if src[inner..].starts_with(open) {
            parts.push(Part::Text(&src[text..inner]));
            (text, pos) = (inner + open.len(), inner + open.len());
            continue;
        }
        let fail = |parts: Vec<Part<'s>>, kind, span: Range<usize>| {
            let mut parts = parts;
            parts.push(Part::Text(&src[text..start]));
            (parts, Some((kind, span, start)))
        };
        let unterminated = start..inner;
        let Some(close_at) = src[inner..].find(close).map(|at| inner + at) else {
            return fail(parts, ErrorKind::Unterminated, unterminated);
        };
        let token = &src[inner..close_at];
        if token.contains(open) {
            return fail(parts, ErrorKind::Unterminated, unterminated);
        }
        let end = close_at + close.len();
        pos = end;
        let meaning = match naive_token(token, options.ignore_case, options.unknown) {
            Ok(Some(meaning)) => meaning,
            Ok(None) => continue,
            Err((kind, None)) => return fail(parts, kind, start..end),
            // A modifier's problem is found where it stands, after the token's place is.
            Err((kind, Some(span))) => {
                let (at, key) = (inner + span.start, String::new());
                let meaning = NaiveToken {
                    key,
                    mods: Vec::new(),
                };
                parts.push(Part::Text(&src[text..start]));
                parts.push(Part::Token(start..end, token, meaning));
                return (
                    parts,
                    Some((kind, inner + span.start..inner + span.end, at)),
                );
            }
        };
        parts.push(Part::Text(&src[text..start]));
        parts.push(Part::Token(start..end, token, meaning));
        text = end;
    }
    parts.push(Part::Text(&src[text..]));
    (parts, None)
}

/// An item of a template as a URL reader sees it: a character of literal text (an escape's
/// delimiter and a token kept as text included) at its byte, or a token.
#[derive(Clone, Copy, Debug)]
enum Item {
    Char(usize, char),
    Token(usize, usize),
}

/// The items of `parts`, slices of `src`.
fn items(src: &str, parts: &[Part<'_>]) -> Vec<Item> {
    let mut items = Vec::new();
    for part in parts {
        match part {
            Part::Text(text) => {
                let at = text.as_ptr() as usize - src.as_ptr() as usize;
                items.extend(text.char_indices().map(|(i, c)| Item::Char(at + i, c)));
            }
            Part::Token(span, ..) => items.push(Item::Token(span.start, span.end)),
        }
    }
    items
}

/// How many dot units `text` is made of, if it is made of nothing else: `.` and `%2e` (in any
/// case) count one each. A `%` that the text does not complete is not a dot.
fn dot_units(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.as_str();
    let mut dots = 0;
    while !rest.is_empty() {
        rest = match (rest.strip_prefix('.'), rest.strip_prefix("%2e")) {
            (Some(after), _) | (_, Some(after)) => after,
            _ => return None,
        };
        dots += 1;
    }
    Some(dots)
}

/// For each token of `parts` (of a template that parses), in order, whether it stands in a
/// path segment whose literal text is one or two dots (`.`, `%2e`), as in `/.{t1}/` or
/// `/{name}.{ext}/`: writing nothing for it would make a dot segment, so it keeps its text.
fn naive_dotted(src: &str, parts: &[Part<'_>]) -> Vec<bool> {
    /// Where the reading is.
    enum At {
        Authority,
        Path,
        Beyond,
    }
    /// Marks the tokens of a segment whose literal pieces are one or two dots in all.
    fn close(pieces: &mut Vec<String>, tokens: &mut Vec<usize>, marks: &mut [bool]) {
        let dots: Option<usize> = pieces.iter().map(|piece| dot_units(piece)).sum();
        if matches!(dots, Some(1 | 2)) {
            for &token in tokens.iter() {
                marks[token] = true;
            }
        }
        *pieces = vec![String::new()];
        tokens.clear();
    }
    let items = items(src, parts);
    let mut marks = Vec::new();
    // The template parses: its scheme, `:` and `//` are literal text, and the authority follows.
    let colon = items
        .iter()
        .position(|item| matches!(item, Item::Char(_, ':')))
        .unwrap_or(0);
    let mut at = At::Authority;
    // The segment being read: its literal pieces, one between each two of its tokens, and its
    // tokens' indices.
    let (mut pieces, mut tokens) = (vec![String::new()], Vec::new());
    for item in items.iter().skip(colon + 3) {
        match (&at, *item) {
            (At::Path, Item::Token(..)) => {
                tokens.push(marks.len());
                pieces.push(String::new());
                marks.push(false);
            }
            (_, Item::Token(..)) => marks.push(false),
            (At::Authority, Item::Char(_, '/')) => at = At::Path,
            (At::Authority, Item::Char(_, '?' | '#')) => at = At::Beyond,
            (At::Path, Item::Char(_, '/')) => close(&mut pieces, &mut tokens, &mut marks),
            (At::Path, Item::Char(_, '?' | '#')) => {
                close(&mut pieces, &mut tokens, &mut marks);
                at = At::Beyond;
            }
            (At::Path, Item::Char(_, c)) => pieces.last_mut().expect("a piece").push(c),
            _ => {}
        }
    }
    if let At::Path = at {
        close(&mut pieces, &mut tokens, &mut marks);
    }
    marks
}

/// The first problem, from the left, that makes the template's literal text not an absolute
/// URL the crate's documentation allows (`ErrorKind::Scheme`, `EmptyHost`, `InvalidChar`,
/// `DotSegment`), if there is one. `whole` says whether `parts` reach the end of the template
/// (no malformed token cut them short); the problems found at the end count only then.
///
/// Read from the documentation, not the crate:
/// - literal text holds no whitespace, control character or `\`, found where it stands;
/// - the template starts with a scheme (`http` or `https` in any case, or any RFC 3986 scheme
///   with `any`) and `:` and `//`, as literal text: a token there is refused where it stands,
///   any other character where it stands (a scheme not allowed at its `:`, spanning it);
/// - the authority, up to the first literal `/`, `?` or `#`, has a host after its last `@`
///   (before a `:` outside `[...]`) that is not empty unless a token stands in it; found
///   where the authority ends;
/// - a path segment of literal text alone is not `.` or `..` (`%2e` counts as a dot); found
///   where the segment ends. A token between `%2` and `e` breaks the escape.
fn naive_url(src: &str, parts: &[Part<'_>], any: bool, whole: bool) -> Option<Found> {
    let items = items(src, parts);
    let end = src.len();
    let mut found: Vec<Found> = Vec::new();
    // Characters that are not allowed.
    for item in &items {
        if let Item::Char(at, c) = *item {
            if c.is_whitespace() || c.is_control() || c == '\\' {
                found.push((ErrorKind::InvalidChar, at..at + c.len_utf8(), at));
                break;
            }
        }
    }
    let chars_at = |i: usize| match items.get(i) {
        Some(Item::Char(_, c)) => Some(*c),
        _ => None,
    };
    let pos_of = |i: usize| match items.get(i) {
        Some(Item::Char(at, _)) | Some(Item::Token(at, _)) => *at,
        None => end,
    };
    // The scheme, its `:` and `//`.
    let mut i = 0;
    let scheme_error = |i: usize, span: Range<usize>| (ErrorKind::Scheme, span, pos_of(i));
    let mut authority = None;
    loop {
        match items.get(i) {
            Some(Item::Token(start, stop)) => {
                found.push((ErrorKind::Scheme, *start..*stop, *start));
                break;
            }
            Some(Item::Char(_, c))
                if c.is_ascii_alphabetic()
                    || (i > 0 && (c.is_ascii_alphanumeric() || "+-.".contains(*c))) =>
            {
                i += 1;
            }
            Some(Item::Char(colon, ':')) if i > 0 => {
                let scheme: String = (0..i).filter_map(chars_at).collect();
                let http =
                    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
                // `file:` hosts are paths for WHATWG: never allowed.
                let file = scheme.eq_ignore_ascii_case("file");
                if (!any && !http) || file {
                    found.push((ErrorKind::Scheme, 0..*colon, *colon));
                    break;
                }
                // `//`, as literal text.
                let mut j = i + 1;
                let mut slashes = 0;
                while slashes < 2 {
                    match items.get(j) {
                        Some(Item::Char(_, '/')) => (slashes, j) = (slashes + 1, j + 1),
                        Some(Item::Token(start, stop)) => {
                            found.push((ErrorKind::Scheme, *start..*stop, *start));
                            break;
                        }
                        _ => {
                            let span = 0..colon + 1 + slashes;
                            if items.get(j).is_some() || whole {
                                found.push(scheme_error(j, span));
                            }
                            break;
                        }
                    }
                }
                if slashes == 2 {
                    authority = Some(j);
                }
                break;
            }
            Some(_) => {
                found.push((ErrorKind::Scheme, 0..0, pos_of(i)));
                break;
            }
            None => {
                if whole {
                    found.push((ErrorKind::Scheme, 0..0, end));
                }
                break;
            }
        }
    }
    // The authority and the path.
    if let Some(first) = authority {
        let mut j = first;
        while !matches!(items.get(j), None | Some(Item::Char(_, '/' | '?' | '#'))) {
            j += 1;
        }
        let start = pos_of(first);
        let ended = j < items.len() || whole;
        // The host and the port follow the last `@`.
        let after = (first..j)
            .rev()
            .find(|&k| matches!(items[k], Item::Char(_, '@')))
            .map_or(first, |at| at + 1);
        let hostport = &items[after..j];
        // An IPv6 literal is `[`, then anything but `]`, then `]`; a host name has no `:`.
        let (host, rest): (&[Item], &[Item]) = match hostport.first() {
            Some(Item::Char(_, '[')) => {
                match hostport
                    .iter()
                    .position(|item| matches!(item, Item::Char(_, ']')))
                {
                    Some(close) => hostport.split_at(close + 1),
                    None => (hostport, &[]),
                }
            }
            _ => {
                let colon = hostport
                    .iter()
                    .position(|item| matches!(item, Item::Char(_, ':')));
                hostport.split_at(colon.unwrap_or(hostport.len()))
            }
        };
        let empty = host.is_empty();
        let mut bad: Option<(usize, char)> = None;
        let bracketed = matches!(host.first(), Some(Item::Char(_, '[')));
        for (k, item) in host.iter().enumerate() {
            if let Item::Char(at, c) = *item {
                let first_or_last = (k == 0 && c == '[') || (bracketed && c == ']');
                if "<>^|%[]".contains(c) && !first_or_last {
                    bad.get_or_insert((at, c));
                }
            }
        }
        // After the host, a port: `:` and digits (and tokens).
        let mut port = rest.iter();
        match port.next() {
            None => {}
            Some(Item::Char(_, ':')) => {
                for item in port {
                    if let Item::Char(at, c) = *item {
                        if !c.is_ascii_digit() {
                            bad = Some(bad.map_or((at, c), |b| if b.0 < at { b } else { (at, c) }));
                            break;
                        }
                    }
                }
            }
            // Something after `]` that is not a port.
            Some(Item::Char(at, c)) => bad = bad.or(Some((*at, *c))),
            Some(Item::Token(..)) => {}
        }
        let unclosed = bracketed && !matches!(host.last(), Some(Item::Char(_, ']')));
        if ended {
            if empty {
                found.push((ErrorKind::EmptyHost, start..pos_of(j), pos_of(j)));
            } else if let Some((at, c)) = bad {
                found.push((ErrorKind::InvalidHost, at..at + c.len_utf8(), pos_of(j)));
            } else if unclosed {
                let at = pos_of(after);
                found.push((ErrorKind::InvalidHost, at..at + 1, pos_of(j)));
            }
        }
        if matches!(items.get(j), Some(Item::Char(_, '/'))) {
            // Segments, each from after a `/` to the next `/`, `?`, `#` or the end.
            loop {
                let seg_start = j + 1;
                let mut k = seg_start;
                let mut pieces = vec![String::new()];
                let mut tokens = false;
                while let Some(item) = items.get(k) {
                    match *item {
                        Item::Char(_, '/' | '?' | '#') => break,
                        Item::Char(_, c) => pieces.last_mut().expect("one piece").push(c),
                        Item::Token(..) => {
                            tokens = true;
                            pieces.push(String::new());
                        }
                    }
                    k += 1;
                }
                let dots: Option<usize> = pieces.iter().map(|piece| dot_units(piece)).sum();
                if !tokens && matches!(dots, Some(1 | 2)) && (k < items.len() || whole) {
                    let span = pos_of(seg_start)..pos_of(k);
                    found.push((ErrorKind::DotSegment, span, pos_of(k)));
                }
                match items.get(k) {
                    Some(Item::Char(_, '/')) => j = k,
                    _ => break,
                }
            }
        }
    }
    // The first found; a character not allowed before any other found at its place.
    found
        .into_iter()
        .min_by_key(|(kind, _, at)| (*at, *kind != ErrorKind::InvalidChar))
}

/// How many hex digits a `%` waits for after the template's `text`, if one waited for `open`
/// before it: a `%` waits for two, a hex digit takes one, anything else ends the wait.
fn naive_open_after(mut open: usize, text: &str) -> usize {
    for byte in text.bytes() {
        open = match byte {
            b'%' => 2,
            digit if open > 0 && digit.is_ascii_hexdigit() => open - 1,
            _ => 0,
        };
    }
    open
}

/// `written` (what a token writes) after a `%` of the template that still waits for `open`
/// hex digits: if its first character is a hex digit, it is percent-encoded, so that no value
/// completes an escape the template began. Anything written ends the wait; nothing written
/// leaves it for the next token.
fn naive_guard(written: &str, open: &mut usize) -> String {
    let mut chars = written.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let guarded = *open > 0 && first.is_ascii_hexdigit();
    *open = 0;
    match guarded {
        true => format!("%{:02X}{}", u32::from(first), chars.as_str()),
        false => written.to_owned(),
    }
}

/// A token without a usable value: why, its span, and its text between the delimiters.
type NaiveProblem = (ProblemKind, Range<usize>, String);

/// The options the naive splitter and expander follow.
#[derive(Debug)]
struct NaiveOptions {
    syntax: Syntax,
    unknown: Unknown,
    ignore_case: bool,
    missing: Missing,
    /// Whether any scheme is allowed (`Schemes::Any`), or `http` and `https` only.
    any_scheme: bool,
}

/// The naive expansion of `src`: what `expand` writes, and what `try_expand` reports (kind,
/// span, token text) for every token without a usable value. `None` if `src` does not parse.
fn naive_expand(
    src: &str,
    options: &NaiveOptions,
    values: &[Option<Val>],
) -> Option<(String, Vec<NaiveProblem>)> {
    let mut out = String::new();
    let mut problems = Vec::new();
    let mut runs = vec![String::new()];
    // How many hex digits a `%` the template wrote still waits for.
    let mut open = 0;
    let parts = naive_split(src, options).ok()?;
    let dotted = naive_dotted(src, &parts);
    let mut index = 0;
    for part in parts {
        match part {
            Part::Text(text) => {
                out.push_str(text);
                runs.last_mut()?.push_str(text);
            }
            Part::Token(span, inner, token) => {
                let place = naive_place(&runs);
                let outcome = naive_modified(lookup(values, &token.key), &token.mods, place);
                // The template's text since the last token (literal text, escapes) moves what
                // a `%` waits for on from what the tokens before left of it.
                open = naive_open_after(open, runs.last()?);
                let written = match outcome.written {
                    Ok((text, true)) => naive_encode(&text, place),
                    Ok((text, false)) => text,
                    Err(kind) => {
                        problems.push((kind, span.clone(), inner.to_owned()));
                        // Where writing nothing would change the URL, the token keeps its
                        // text whatever the policy: in the authority, in a segment of dots,
                        // after a `%` that waits for hex digits.
                        let must = place == Place::Authority || dotted[index] || open > 0;
                        match options.missing == Missing::Keep || must {
                            true => naive_kept(&src[span], place),
                            false => String::new(),
                        }
                    }
                };
                out.push_str(&naive_guard(&written, &mut open));
                runs.push(String::new());
                index += 1;
            }
        }
    }
    Some((out, problems))
}

// ---------------------------------------------------------------------------------------------
// 1. Round trip.
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    /// A template built from pieces (literal Unicode text, `{{` escapes, every token of the
    /// vocabulary in random case under `ignore_case`, `tName:NAME`, custom tokens under every
    /// `Unknown` policy, each with a chain of modifiers in random case, or junk after a `|` on
    /// tokens kept as literal text) in any syntax parses to exactly the tokens it was built
    /// from, prints back its source, and parses back from that to an equal template.
    #[test]
    fn templates_round_trip_through_display(
        (syntax, unknown, ignore_case, pieces) in template_case(),
    ) {
        let options = options(&syntax, unknown, ignore_case);
        let rendered = valid(render(&pieces, &syntax, ignore_case, unknown), &options)?;
        let template = Template::parse_with(&rendered.source, &options)
            .map_err(|e| TestCaseError::fail(format!("generated template fails: {e:#}")))?;

        let text = template.to_string();
        prop_assert_eq!(&text, &rendered.source, "Display is not the source");
        prop_assert_eq!(template.as_str(), &rendered.source);
        let again = Template::parse_with(&text, &options)
            .map_err(|e| TestCaseError::fail(format!("printed template fails: {e:#}")))?;
        prop_assert_eq!(&again, &template, "parse(to_string()) differs");

        let tokens: Vec<Token<'_>> = template.tokens().collect();
        let wants: Vec<Token<'_>> = rendered.wants.iter().map(Want::token).collect();
        prop_assert_eq!(&tokens, &wants, "tokens of {:?}", rendered.source);
        let backwards: Vec<Token<'_>> = template.tokens().rev().collect();
        prop_assert!(backwards.iter().eq(wants.iter().rev()), "tokens().rev()");

        let owned = template.clone().into_owned();
        prop_assert_eq!(&owned, &template, "into_owned");
        let parsed_owned = Template::parse_owned(rendered.source.clone(), &options)
            .map_err(|e| TestCaseError::fail(format!("parse_owned fails: {e:#}")))?;
        prop_assert_eq!(&parsed_owned, &template, "parse_owned");
        if options == ParseOptions::default() {
            let from_str: Template<'static> = rendered.source.parse()
                .map_err(|e| TestCaseError::fail(format!("FromStr fails: {e:#}")))?;
            prop_assert_eq!(&from_str, &template, "FromStr");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. The naive reference expander.
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    /// `expand` (and `expand_into`, `write_to`) writes what the naive expander writes, under
    /// both `Missing` policies, modifiers applied, and `try_expand` fails with exactly the
    /// naive expander's problems (kind, span, text), in order: the values a `percent` could not
    /// change (`NotNumeric`, `OutOfRange`) and the unusable ones; or succeeds with the same
    /// text.
    #[test]
    fn expansion_agrees_with_the_naive_expander(
        (syntax, unknown, ignore_case, pieces) in template_case(),
        values in vec(proptest::option::of(value()), 1..6),
    ) {
        let options = options(&syntax, unknown, ignore_case);
        let rendered = valid(render(&pieces, &syntax, ignore_case, unknown), &options)?;
        let src = rendered.source.as_str();
        let source = source(&values);
        for missing in [Missing::Empty, Missing::Keep] {
            let template = Template::parse_with(src, &options)
                .map_err(|e| TestCaseError::fail(format!("generated template fails: {e:#}")))?;
            let naive_options = NaiveOptions { syntax: syntax.clone(), unknown, ignore_case, missing, any_scheme: false };
            let Some((expected, problems)) = naive_expand(src, &naive_options, &values) else {
                return Err(TestCaseError::fail(format!("naive split rejects {src:?}")));
            };

            let expanded = template.expand_with(&source, missing);
            prop_assert_eq!(&expanded, &expected, "expand {:?} under {:?}", src, missing);
            let mut written = String::new();
            prop_assert!(template.write_with(&source, missing, &mut written).is_ok());
            prop_assert_eq!(&written, &expected, "write_with");
            if missing == Missing::Empty {
                prop_assert_eq!(&template.expand(&source), &expected, "expand");
                let mut appended = String::from("kept:");
                template.expand_into(&source, &mut appended);
                prop_assert_eq!(appended.strip_prefix("kept:"), Some(expected.as_str()));
                let mut written = String::new();
                prop_assert!(template.write_to(&source, &mut written).is_ok());
                prop_assert_eq!(&written, &expected, "write_to");
            }

            match template.try_expand(&source) {
                Ok(out) => {
                    prop_assert!(problems.is_empty(), "try_expand succeeded; naive: {:?}", problems);
                    prop_assert_eq!(&out, &expected, "try_expand");
                }
                Err(err) => {
                    let found: Vec<_> = err
                        .problems()
                        .iter()
                        .map(|p| (p.kind(), p.span().range(), p.token().to_owned()))
                        .collect();
                    prop_assert_eq!(&found, &problems, "try_expand problems of {:?}", src);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// `try_expand_into` appends exactly what `expand` writes when every token has a usable
    /// value, and otherwise leaves the buffer as it was, empty or not.
    #[test]
    fn try_expand_into_leaves_the_buffer_as_it_was_on_failure(
        (syntax, unknown, ignore_case, pieces) in template_case(),
        values in vec(proptest::option::of(value()), 1..6),
        prefix in select(vec!["", "kept:"]),
    ) {
        let options = options(&syntax, unknown, ignore_case);
        let rendered = valid(render(&pieces, &syntax, ignore_case, unknown), &options)?;
        let template = Template::parse_with(&rendered.source, &options)
            .map_err(|e| TestCaseError::fail(format!("generated template fails: {e:#}")))?;
        let source = source(&values);
        let mut out = String::from(prefix);
        match template.try_expand_into(&source, &mut out) {
            Ok(()) => {
                prop_assert_eq!(out, format!("{prefix}{}", template.expand(&source)));
            }
            Err(err) => {
                prop_assert_eq!(out.as_str(), prefix, "after {}", err);
            }
        }
    }
}

// Failures the properties found, pinned at their minimal inputs: each was a bug in the crate.

/// Property 2: text that is a plain decimal but that no `Decimal` holds (a mantissa beyond
/// `i64`, more than 18 places) is a number whose exact share does not fit, `OutOfRange`, as a
/// float or an integer with the same text is; not `NotNumeric`.
#[test]
fn pinned_percent_of_a_decimal_text_that_does_not_fit_is_out_of_range() {
    let template = Template::parse("https://t.example/{clickid|percent:0}").expect("parses");
    let kinds = |value: Value<'_>| -> Vec<ProblemKind> {
        let err = template.try_expand(&[("clickid", value)]).unwrap_err();
        err.problems().iter().map(|p| p.kind()).collect()
    };
    assert_eq!(kinds(Value::Float(1e-19)), [ProblemKind::OutOfRange]);
    assert_eq!(
        kinds(Value::UInt(12_345_678_901_234_567_890)),
        [ProblemKind::OutOfRange]
    );
    assert_eq!(
        kinds(Value::Str("0.0000000000000000001")),
        [ProblemKind::OutOfRange]
    );
    assert_eq!(
        kinds(Value::Str("12345678901234567890")),
        [ProblemKind::OutOfRange]
    );
}

/// Property 2: `map` matches a value "exactly, as it would be written"; `1e32` is written with
/// 33 digits, which the crate's 32-byte buffer cannot hold.
#[test]
fn pinned_map_matches_a_float_by_its_whole_text() {
    let template =
        Template::parse("https://t.example/{clickcost|map:100000000000000000000000000000000=lead}")
            .expect("parses");
    assert_eq!(
        template.expand(&[("clickcost", Value::Float(1e32))]),
        "https://t.example/lead"
    );
}

/// Property 2: under `Syntax::PERCENT` a template writes `%2` as `%%2`; a value after it must not
/// complete the escape (`%21` is `!`, `%2e` a dot) whether the `%` comes from an escape or from
/// literal text (`%2{t1}` in braces is guarded).
#[test]
fn pinned_a_value_never_completes_an_escape_begun_by_an_escape() {
    let options = ParseOptions::new().with_syntax(Syntax::PERCENT);
    let template = Template::parse_with("https://h.example/%%2%clickid|default:10%", &options)
        .expect("parses");
    assert_eq!(template.expand(&[("t1", "x")]), "https://h.example/%2%310");
    let template = Template::parse_with("https://h.example/a/%%2%t1%/b", &options).expect("parses");
    assert_eq!(
        template.expand(&[("t1", "e")]),
        "https://h.example/a/%2%65/b"
    );
    // As in braces, where the `%` is literal text.
    let template = Template::parse("https://h.example/a/%2{t1}/b").expect("parses");
    assert_eq!(
        template.expand(&[("t1", "e")]),
        "https://h.example/a/%2%65/b"
    );
}

/// Property 4: the grammar in the crate documentation says that neither side of a `map` pair
/// holds `=`; the crate reads `a=b=c` as `a` to `b=c`. (Or the grammar is to be changed, and
/// `naive_modifier` with it.)
#[test]
fn pinned_map_rejects_an_equals_sign_in_a_to() {
    let err = Template::parse("https://t.example/{t1|map:a=b=c}").unwrap_err();
    assert_eq!(
        (err.kind(), err.span().range()),
        (ErrorKind::InvalidArgument, 22..31)
    );
}

/// The naive place rules agree with the crate on the examples its own tests pin down, so that
/// a mistake in the reference cannot hide behind a matching mistake in the generator.
#[test]
fn naive_places_match_the_documented_examples() {
    let cases: &[(&str, Place)] = &[
        ("https://{t1}", Place::Authority),
        ("https://h:{t1}", Place::Authority),
        ("https://u@{t1}", Place::Authority),
        ("https://{t2}.example/{t1}", Place::Path),
        ("https://h/{t1}", Place::Path),
        ("https://h/a:b@c{t1}", Place::Path),
        ("https://h?{t1}", Place::Query),
        ("https://h/p?a=b/c{t1}", Place::Query),
        ("https://h#a?b/c{t1}", Place::Fragment),
        ("HTTP://H/{t2}?{t1}", Place::Query),
    ];
    for &(template, place) in cases {
        let runs: Vec<String> = template
            .strip_suffix("{t1}")
            .expect("ends with {t1}")
            .split("{t2}")
            .map(String::from)
            .collect();
        assert_eq!(naive_place(&runs), place, "{template}");
        // And the crate encodes the value as that place says.
        let parsed = Template::parse(template).expect("parses");
        let value = "a:/";
        let expanded = parsed.expand(&[("t1", value), ("t2", "x")]);
        let encoded = naive_encode(value, place);
        assert!(expanded.ends_with(&encoded), "{template}: {expanded}");
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Nothing injected.
// ---------------------------------------------------------------------------------------------

/// A token of the vocabulary with 0 to 3 modifiers other than `raw`: its text as written in a
/// template (braces syntax), its canonical form, and its modifiers as the naive reader reads
/// them.
fn vocabulary_token() -> impl Strategy<Value = (String, String, Vec<Mod>)> {
    let named = select(NAMED)
        .prop_map(|(spelling, canonical, _)| (spelling.to_owned(), canonical.to_owned()));
    let numbered = (select(vec!["t", "event"]), 1..=10u8).prop_map(|(family, n)| {
        let name = format!("{family}{n}");
        (name.clone(), name)
    });
    let tname = "[a-z_]{1,8}".prop_map(|arg| {
        let inner = format!("tName:{arg}");
        (inner.clone(), inner)
    });
    let head = prop_oneof![3 => named, 2 => numbered, 1 => tname];
    let chain = prop_oneof![Just(Vec::new()), vec(encoded_modifier(), 1..4)];
    (head, chain).prop_map(|((head, key), chain)| {
        let inner = head + &render_chain(&chain, &['{', '}'], false, false);
        let token = naive_token(&inner, false, Unknown::Reject)
            .expect("generated tokens are valid")
            .expect("and known");
        assert_eq!(token.key, key, "{inner}");
        (inner, key, token.mods)
    })
}

/// Values that a host may send unencoded: anything but `Raw`, which bypasses the guarantees
/// by design. `None` is a missing value.
fn safe_value() -> impl Strategy<Value = Option<Val>> {
    proptest::option::weighted(
        0.9,
        prop_oneof![
            6 => hostile_text().prop_map(Val::Str),
            1 => select(vec!["", ".", ".."]).prop_map(|s| Val::Str(s.into())),
            1 => any::<i64>().prop_map(Val::Int),
            1 => any::<u64>().prop_map(Val::UInt),
            1 => any::<f64>().prop_map(Val::Float),
            1 => decimal().prop_map(Val::Decimal),
        ],
    )
}

/// The text a URL parser should decode back for `value` at `place` after `mods`: the text as
/// the modifiers leave it, the number's text, or nothing for an unusable value.
fn decoded_text(value: Option<&Val>, mods: &[Mod], place: Place) -> String {
    naive_modified(value, mods, place)
        .written
        .map_or_else(|_| String::new(), |(text, _)| text)
}

/// Percent-decodes `text`: `%XX` is the byte `XX`, every other byte stands for itself.
fn percent_decode(text: &str) -> Result<String, TestCaseError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|e| TestCaseError::fail(format!("{text:?} decodes to {e}")))
}

/// The value of whichever of the two chosen tokens `token` is; any other token gets a
/// sentinel, so that a value expanded twice would show.
fn two_values<'v>(
    (key_a, a): (&'v str, Option<&'v Val>),
    (key_b, b): (&'v str, Option<&'v Val>),
) -> impl TokenSource + 'v {
    from_fn(move |token: &Token<'_>| {
        let key = token.to_string();
        if key == key_a {
            a.map(Val::value)
        } else if key == key_b {
            b.map(Val::value)
        } else {
            Some(Value::Str("INJECTED"))
        }
    })
}

/// Parses `template` with the default options, failing the case if it does not parse.
fn parse_default(template: &str) -> Result<Template<'_>, TestCaseError> {
    Template::parse(template).map_err(|e| TestCaseError::fail(format!("{e:#}")))
}

/// Parses `url`, failing the case if it does not parse.
fn parse_url(url: &str) -> Result<url::Url, TestCaseError> {
    url::Url::parse(url).map_err(|e| TestCaseError::fail(format!("{url:?} does not parse: {e}")))
}

proptest! {
    #![proptest_config(config(512))]

    /// Whatever the values (any Unicode, `& = # ? / % +`, spaces, CR, LF, `{payout}`) and
    /// whatever modifiers other than `raw` follow the tokens (defaults and maps that write such
    /// text, percentages, case), a value in the query, in a path segment or in the fragment
    /// decodes back to exactly the text the modifiers make of it from the parsed URL (empty
    /// when unusable), and the URL keeps the template's parameters, segments and fragment; a
    /// value in the authority never changes the path or the query. Values are never read for
    /// tokens: `{payout}` in a value stays text.
    #[test]
    fn no_value_changes_the_url_structure(
        (inner_a, key_a, mods_a) in vocabulary_token(),
        (inner_b, key_b, mods_b) in vocabulary_token(),
        a in safe_value(),
        b in safe_value(),
    ) {
        let (a, b) = (a.as_ref(), b.as_ref());
        // The first of two equal tokens decides their value.
        let b_effective = if key_b == key_a { a } else { b };
        let source = two_values((&key_a, a), (&key_b, b));

        // The query.
        let template = format!("https://t.example/p/a?x={{{inner_a}}}&y=lit&z={{{inner_b}}}");
        let expanded = parse_default(&template)?.expand(&source);
        let url = parse_url(&expanded)?;
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let expected = [
            ("x".to_owned(), decoded_text(a, &mods_a, Place::Query)),
            ("y".to_owned(), "lit".to_owned()),
            ("z".to_owned(), decoded_text(b_effective, &mods_b, Place::Query)),
        ];
        prop_assert_eq!(&pairs[..], &expected[..], "query of {:?}", expanded);
        prop_assert_eq!(url.host_str(), Some("t.example"));
        prop_assert_eq!(url.path(), "/p/a");
        prop_assert_eq!(url.fragment(), None);

        // Path segments.
        let template = format!("https://t.example/a/{{{inner_a}}}/b/{{{inner_b}}}?q=1");
        let expanded = parse_default(&template)?.expand(&source);
        let url = parse_url(&expanded)?;
        let segments: Vec<String> = url
            .path_segments()
            .ok_or_else(|| TestCaseError::fail(format!("{expanded:?} has no path")))?
            .map(percent_decode)
            .collect::<Result<_, _>>()?;
        let expected = [
            "a".to_owned(),
            decoded_text(a, &mods_a, Place::Path),
            "b".to_owned(),
            decoded_text(b_effective, &mods_b, Place::Path),
        ];
        prop_assert_eq!(&segments[..], &expected[..], "segments of {:?}", expanded);
        prop_assert_eq!(url.host_str(), Some("t.example"));
        prop_assert_eq!(url.query(), Some("q=1"));
        prop_assert_eq!(url.fragment(), None);

        // The fragment.
        let template = format!("https://t.example/p?q=1#{{{inner_a}}}");
        let expanded = parse_default(&template)?.expand(&source);
        let url = parse_url(&expanded)?;
        let fragment = percent_decode(url.fragment().unwrap_or("<none>"))?;
        prop_assert_eq!(fragment, decoded_text(a, &mods_a, Place::Fragment), "fragment of {:?}", expanded);
        prop_assert_eq!(url.path(), "/p");
        prop_assert_eq!(url.query(), Some("q=1"));

        // The authority: the URL is refused, or keeps its path and query and has no userinfo.
        // Without a usable value the token's text is kept, encoded so that it names no port,
        // userinfo, path or query (`:`, `@`, `/`, `?`, `#` and `%` are encoded).
        let template = format!("https://{{{inner_a}}}/x?y=1");
        let expanded = parse_default(&template)?.expand(&source);
        if naive_modified(a, &mods_a, Place::Authority).written.is_err() {
            let kept = naive_kept(&format!("{{{inner_a}}}"), Place::Authority);
            prop_assert_eq!(&expanded, &format!("https://{kept}/x?y=1"), "no usable value");
        }
        if let Ok(url) = url::Url::parse(&expanded) {
            prop_assert_eq!(url.path(), "/x", "path of {:?}", expanded);
            prop_assert_eq!(url.query(), Some("y=1"), "query of {:?}", expanded);
            prop_assert_eq!(url.fragment(), None, "fragment of {:?}", expanded);
            prop_assert_eq!(url.username(), "", "userinfo in {:?}", expanded);
            prop_assert_eq!(url.password(), None, "userinfo in {:?}", expanded);
        }
    }
}

/// The URL `text` expands to, its structure: the host and port, how many path segments, the
/// query's `&`-separated pieces and the fragment, as the `url` crate (WHATWG) parses them.
#[derive(Debug, PartialEq)]
struct Structure {
    host: Option<String>,
    port: Option<u16>,
    segments: usize,
    pieces: Option<usize>,
    fragment: bool,
}

impl Structure {
    fn of(url: &url::Url) -> Structure {
        Structure {
            host: url.host_str().map(str::to_owned),
            port: url.port(),
            segments: url.path_segments().map_or(0, Iterator::count),
            pieces: url.query().map(|query| query.split('&').count()),
            fragment: url.fragment().is_some(),
        }
    }
}

/// The indices of the query pieces of `parts` whose key is literal text (no token in it), and
/// whether the authority has a token.
fn literal_keys(parts: &[Part<'_>]) -> (Vec<usize>, bool) {
    // The template as text with a control character for each token, which no literal text
    // holds.
    let mut skeleton = String::new();
    for part in parts {
        match part {
            Part::Text(text) => skeleton.push_str(text),
            Part::Token(..) => skeleton.push('\u{1}'),
        }
    }
    let after_scheme = skeleton.find("//").map_or(0, |at| at + 2);
    let authority_end = skeleton[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(skeleton.len(), |at| after_scheme + at);
    let authority_token = skeleton[after_scheme..authority_end].contains('\u{1}');
    let before_fragment = skeleton.split('#').next().unwrap_or_default();
    let keys = match before_fragment.split_once('?') {
        None => Vec::new(),
        Some((_, query)) => query
            .split('&')
            .enumerate()
            .filter(|(_, piece)| {
                !piece
                    .split('=')
                    .next()
                    .unwrap_or_default()
                    .contains('\u{1}')
            })
            .map(|(i, _)| i)
            .collect(),
    };
    (keys, authority_token)
}

proptest! {
    #![proptest_config(config(512))]

    /// For every template the parser accepts (any syntax, every token, modifiers but `raw`,
    /// literal text with URL structure in it, dots, `%` escapes left open) and any values,
    /// hostile, unusable or none at all, under both `Missing` policies, the expansion parses
    /// as a URL with the same host and port (unless a token stands in the authority), the
    /// same number of path segments, the same query pieces with the same literal keys, and the
    /// same fragment as with a benign value.
    #[test]
    fn accepted_templates_keep_their_structure(
        (syntax, unknown, ignore_case, pieces) in template_case(),
        values in vec(proptest::option::of(value()), 1..6),
    ) {
        let options = options(&syntax, unknown, ignore_case);
        let rendered = valid(render(&pieces, &syntax, ignore_case, unknown), &options)?;
        let src = rendered.source.as_str();
        // `raw` is the one way around the guarantees, by design.
        if src.to_ascii_lowercase().contains("|raw") {
            return Ok(());
        }
        let template = Template::parse_with(src, &options)
            .map_err(|e| TestCaseError::fail(format!("generated template fails: {e:#}")))?;
        let naive_options = NaiveOptions {
            syntax: syntax.clone(),
            unknown,
            ignore_case,
            missing: Missing::Empty,
            any_scheme: false,
        };
        let parts = naive_split(src, &naive_options)
            .map_err(|e| TestCaseError::fail(format!("naive split rejects {src:?}: {e:?}")))?;
        let (keys, authority_token) = literal_keys(&parts);

        let benign = template.expand(&from_fn(|_| Some(Value::Int(7))));
        // A template whose literal text WHATWG refuses (a port that is no number, say) is no
        // URL with any value.
        let Ok(benign_url) = url::Url::parse(&benign) else {
            return Ok(());
        };
        // Host values are text: `Raw` is the host's own encoding, and bypasses the guarantees.
        let values: Vec<Option<Val>> = values
            .into_iter()
            .map(|value| match value {
                Some(Val::Raw(text)) => Some(Val::Str(text)),
                other => other,
            })
            .collect();
        let hostile = source(&values);
        let nothing = from_fn(|_| None);
        let expansions = [
            ("hostile", template.expand(&hostile)),
            ("hostile, kept", template.expand_with(&hostile, Missing::Keep)),
            ("no value", template.expand(&nothing)),
            ("no value, kept", template.expand_with(&nothing, Missing::Keep)),
        ];
        for (what, expanded) in expansions {
            let url = match url::Url::parse(&expanded) {
                Ok(url) => url,
                // A value may name a host that is none.
                Err(_) if authority_token => continue,
                Err(err) => {
                    return Err(TestCaseError::fail(format!(
                        "{what}: {expanded:?} from {src:?} is no URL ({err}); with a benign value {benign:?}"
                    )));
                }
            };
            let (mut structure, mut expected) = (Structure::of(&url), Structure::of(&benign_url));
            if authority_token {
                (structure.host, structure.port) = (None, None);
                (expected.host, expected.port) = (None, None);
            }
            prop_assert_eq!(&structure, &expected, "{}: {:?} from {:?}, benign {:?}", what, expanded, src, benign);
            // `query_pairs` leaves out empty pieces: compare the keys by the pieces' index.
            let raw: Vec<&str> = url.query().map_or(Vec::new(), |q| q.split('&').collect());
            let benign_raw: Vec<&str> = benign_url.query().map_or(Vec::new(), |q| q.split('&').collect());
            for &i in &keys {
                let key = |piece: Option<&&str>| piece.map(|p| p.split('=').next().unwrap_or_default().to_owned());
                prop_assert_eq!(key(raw.get(i)), key(benign_raw.get(i)), "{}: key {} of {:?} from {:?}", what, i, expanded, src);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 4. The parser never panics.
// ---------------------------------------------------------------------------------------------

/// Any non-empty delimiter: any Unicode, or characters that collide with URLs, names and
/// each other.
fn any_delimiter() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(any::<char>(), 1..4).prop_map(String::from_iter),
        vec(
            select(vec!['{', '}', '%', '#', ':', 't', 'a', '/', 'é', '\n']),
            1..3
        )
        .prop_map(String::from_iter),
    ]
}

/// Any syntax: the constants, any pair of non-empty delimiters, equal pairs.
fn any_syntax() -> impl Strategy<Value = Syntax> {
    prop_oneof![
        1 => select(vec![
            Syntax::BRACES,
            Syntax::DOUBLE_BRACKETS,
            Syntax::ANGLE_BRACKETS,
            Syntax::DOLLAR_BRACES,
            Syntax::DOUBLE_HASHES,
            Syntax::PERCENT,
        ]),
        2 => (any_delimiter(), any_delimiter())
            .prop_filter_map("empty delimiter", |(open, close)| Syntax::new(open, close)),
        1 => any_delimiter().prop_filter_map("empty delimiter", |d| Syntax::new(d.clone(), d)),
    ]
}

/// A chunk of an arbitrary input: either delimiter, text, or a word that means something.
#[derive(Clone, Debug)]
enum Chunk {
    Open,
    Close,
    Text(String),
    Word(&'static str),
}

/// A chunk: a delimiter, any text, or a word of the vocabulary (valid or not).
fn chunk() -> impl Strategy<Value = Chunk> {
    const WORDS: &[&str] = &[
        ":",
        "clickid",
        "ClickID",
        "clikid",
        "external_id",
        "tName",
        "tName:",
        "TNAME:zone",
        "t0",
        "t1",
        "T10",
        "t11",
        "event01",
        "event10",
        "t1:x",
        "t0:",
        "clickid:x",
        "tName:zoneid",
        "status: lead=1",
        "x",
        "https://",
        "?",
        "#",
        "é",
        "\u{10FFFF}",
        "\r\n",
        "a_very_long_name_that_is_nothing_like_any_token",
        // Modifiers, valid or not.
        "|",
        "||",
        "|:x",
        "|raw",
        "|RAW",
        "|raw:",
        "|raw:x",
        "|lower",
        "|upper|lower",
        "|Upper",
        "|round",
        "|precent:50",
        "|default",
        "|default:",
        "|default:a b",
        "|default:a:b",
        "|default:x=y,z",
        "|map",
        "|map:",
        "|map:a",
        "|map:=x",
        "|map:a=",
        "|map:a=b",
        "|map:a=b,",
        "|map:,",
        "|map:a=b,c=d",
        "|map:a=b=c",
        "|map:lead=install,sale=bill",
        "|percent",
        "|percent:",
        "|percent:50",
        "|Percent:12.5",
        "|percent:0",
        "|percent:-0",
        "|percent:-5",
        "|percent:abc",
        "|percent:1.",
        "|percent:.5",
        "|percent:1e2",
        "|percent: 5",
        "|percent:0.000000000000000001",
        "|percent:0.0000000000000000001",
        "|percent:9223372036854775807",
        "|percent:9223372036854775808",
    ];
    prop_oneof![
        2 => Just(Chunk::Open),
        2 => Just(Chunk::Close),
        3 => unicode(6).prop_map(Chunk::Text),
        4 => select(WORDS).prop_map(Chunk::Word),
        // Text that looks like modifiers, mixed up.
        1 => "[|:=,.a-z0-9-]{1,8}".prop_map(Chunk::Text),
    ]
}

/// Checks `err` for the input it came from.
fn check_error(err: &postback::ParseError, input: &str) -> Result<(), TestCaseError> {
    let span = err.span();
    prop_assert!(span.start <= span.end, "{:?} in {:?}", span, input);
    prop_assert!(span.end <= input.len(), "{:?} in {:?}", span, input);
    prop_assert!(
        input.is_char_boundary(span.start),
        "{:?} in {:?}",
        span,
        input
    );
    prop_assert!(
        input.is_char_boundary(span.end),
        "{:?} in {:?}",
        span,
        input
    );
    prop_assert_ne!(err.kind(), ErrorKind::TooLong);
    prop_assert_eq!(err.template(), input);
    let line = err.to_string();
    let drawn = format!("{err:#}");
    prop_assert_eq!(drawn.split('\n').next(), Some(line.as_str()), "{:#}", err);
    Ok(())
}

/// The start of an arbitrary input: the start of an absolute URL most of the time, so that its
/// tokens get past the scheme, or the start of something that is not one.
fn arbitrary_start() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        4 => select(vec!["https://t.example/", "https://t.example", "http://h.example:", "HTTPS://H.EXAMPLE/?"]),
        3 => select(vec![
            "", "https://", "https:", "https:/", "https:///", "ftp://h/", "myapp://h/", "file://h/", "?",
            "https://u@", "https://:8/", "1http://", " https://t.example/", "https://t.example/./",
        ]),
    ]
}

/// An arbitrary input, and how it is parsed: any syntax, any `Unknown` policy, either case
/// rule, any scheme or not, and a start (see [`arbitrary_start`]) then chunks of delimiters,
/// text and words (tokens and modifiers, valid or not).
fn arbitrary_case() -> impl Strategy<Value = (Syntax, Unknown, bool, bool, String)> {
    (
        any_syntax(),
        unknown_policy(),
        any::<bool>(),
        any::<bool>(),
        arbitrary_start(),
        vec(chunk(), 0..16),
    )
        .prop_map(
            |(syntax, unknown, ignore_case, any_scheme, start, chunks)| {
                let mut input = String::from(start);
                for chunk in &chunks {
                    input.push_str(match chunk {
                        Chunk::Open => syntax.open(),
                        Chunk::Close => syntax.close(),
                        Chunk::Text(text) => text,
                        Chunk::Word(word) => word,
                    });
                }
                (syntax, unknown, ignore_case, any_scheme, input)
            },
        )
}

/// The values property 4 expands arbitrary templates with: every value missing, every value
/// `v`, every value `e` (a hex digit, for escapes the template leaves open).
fn arbitrary_values() -> [Vec<Option<Val>>; 3] {
    [
        vec![None],
        vec![Some(Val::Str("v".to_owned()))],
        vec![Some(Val::Str("e".to_owned()))],
    ]
}

proptest! {
    #![proptest_config(config(1024))]

    /// Parsing any input with any delimiters (equal, multi-byte, Unicode), any `Unknown`
    /// policy and either case rule, with `|` and modifiers valid or not inside tokens, never
    /// panics. An error lies inside the input on char boundaries, carries the input, and its
    /// caret view starts with its message. A template prints back its input and expands
    /// without panicking; the checked expansion, when it succeeds, writes what the lenient one
    /// does.
    #[test]
    fn parsing_never_panics((syntax, unknown, ignore_case, any_scheme, input) in arbitrary_case()) {
        let schemes = if any_scheme { Schemes::Any } else { Schemes::Http };
        let options = options(&syntax, unknown, ignore_case).with_schemes(schemes);
        match Template::parse_with(&input, &options) {
            Err(err) => check_error(&err, &input)?,
            Ok(template) => {
                prop_assert_eq!(template.to_string(), input.as_str());
                for values in arbitrary_values() {
                    let source = source(&values);
                    let expanded = template.expand(&source);
                    if let Ok(checked) = template.try_expand(&source) {
                        prop_assert_eq!(checked, expanded, "{:?}", input);
                    }
                }
            }
        }
    }

    /// Parsing any input (as above) succeeds exactly when the naive splitter does. An error
    /// has the naive splitter's kind and span (the token's, or the modifier's). A template has
    /// the naive splitter's tokens, and expands as the naive expander does, with every value
    /// missing (the problems are the tokens, but for defaults), `v` or `e`.
    #[test]
    fn parsing_agrees_with_the_naive_splitter(
        (syntax, unknown, ignore_case, any_scheme, input) in arbitrary_case(),
    ) {
        let schemes = if any_scheme { Schemes::Any } else { Schemes::Http };
        let options = options(&syntax, unknown, ignore_case).with_schemes(schemes);
        let naive_options = NaiveOptions {
            syntax: syntax.clone(),
            unknown,
            ignore_case,
            missing: Missing::Empty,
            any_scheme,
        };
        match (Template::parse_with(&input, &options), naive_split(&input, &naive_options)) {
            (Err(err), Err((kind, span))) => {
                prop_assert_eq!((err.kind(), err.span().range()), (kind, span), "{:#}", err);
            }
            (Ok(template), Ok(parts)) => {
                let naive_tokens = parts.iter().filter(|part| matches!(part, Part::Token(..)));
                prop_assert_eq!(template.tokens().count(), naive_tokens.count());
                for values in arbitrary_values() {
                    let source = source(&values);
                    let Some((expected, naive_problems)) =
                        naive_expand(&input, &naive_options, &values)
                    else {
                        return Err(TestCaseError::fail("the naive splitter parsed it once"));
                    };
                    prop_assert_eq!(template.expand(&source), expected, "{:?}", input);
                    let problems: Vec<_> = match template.try_expand(&source) {
                        Ok(_) => Vec::new(),
                        Err(err) => err
                            .problems()
                            .iter()
                            .map(|p| (p.kind(), p.span().range(), p.token().to_owned()))
                            .collect(),
                    };
                    prop_assert_eq!(problems, naive_problems, "tokens of {:?}", input);
                }
            }
            (Ok(template), Err(naive)) => {
                return Err(TestCaseError::fail(format!(
                    "{input:?} parsed to {template:?}; the naive splitter says {naive:?}"
                )));
            }
            (Err(err), Ok(_)) => {
                return Err(TestCaseError::fail(format!(
                    "{input:?} failed ({err:#}); the naive splitter parses it"
                )));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Decimal.
// ---------------------------------------------------------------------------------------------

/// Every way to write `value * percent / 100` exactly with a scale from `value`'s up to 18
/// and a mantissa in `i64`, by increasing scale.
fn exact_shares(value: Decimal, percent: Decimal) -> Vec<(i64, u32)> {
    // The exact product is `product / 10^scale`; it fits: |mantissas| <= 2^63 each.
    let product = i128::from(value.mantissa()) * i128::from(percent.mantissa());
    let scale = value.scale() + percent.scale() + 2;
    (value.scale()..=Decimal::MAX_SCALE)
        .filter_map(|at| {
            let mantissa = if at <= scale {
                // 10^38 still fits in i128.
                let divisor = 10_i128.checked_pow(scale - at)?;
                (product % divisor == 0).then(|| product / divisor)?
            } else {
                product.checked_mul(10_i128.checked_pow(at - scale)?)?
            };
            Some((i64::try_from(mantissa).ok()?, at))
        })
        .collect()
}

/// A percentage: whole percents from 0 to 100, short decimals, or any decimal.
fn percentage() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        2 => (0..=100i64).prop_map(Decimal::from),
        2 => (-100_000..=100_000i64, 0..=4u32)
            .prop_map(|(m, scale)| Decimal::new(m, scale).expect("scale in range")),
        1 => decimal(),
    ]
}

proptest! {
    #![proptest_config(config(1024))]

    /// A decimal prints as its digits with the point before the last `scale` of them, and
    /// parses back to the same mantissa and the same scale.
    #[test]
    fn decimals_round_trip_through_display(
        mantissa in any::<i64>(),
        scale in 0..=Decimal::MAX_SCALE,
    ) {
        let d = Decimal::new(mantissa, scale).expect("scale in range");
        let text = d.to_string();
        prop_assert_eq!(&text, &naive_decimal(d));
        let back: Decimal = text
            .parse()
            .map_err(|e| TestCaseError::fail(format!("{text:?} does not parse: {e}")))?;
        prop_assert_eq!((back.mantissa(), back.scale()), (mantissa, scale), "{}", text);
    }

    /// `percent` is exact: `result * 100 == value * percent`, with a scale at least the
    /// value's and no trailing zero beyond it; `None` only when no such result fits (a
    /// mantissa beyond `i64` or more than 18 decimals).
    #[test]
    fn percent_is_exact(value in decimal(), percent in percentage()) {
        let shares = exact_shares(value, percent);
        let result = value.percent(percent);
        let Some(share) = result else {
            prop_assert!(shares.is_empty(), "{percent}% of {value} is None; {shares:?} fit");
            return Ok(());
        };
        let (mantissa, scale) = (share.mantissa(), share.scale());
        // Exact: both sides at the scale of the product.
        let product_scale = value.scale() + percent.scale() + 2;
        let product = i128::from(value.mantissa()) * i128::from(percent.mantissa());
        let lifted = 10_i128
            .checked_pow(product_scale.saturating_sub(scale))
            .and_then(|f| i128::from(mantissa).checked_mul(f));
        prop_assert!(scale <= product_scale, "{share:?} for {percent}% of {value}");
        prop_assert_eq!(lifted, Some(product), "{:?} for {}% of {}", share, percent, value);
        prop_assert!(scale >= value.scale(), "{share:?} for {percent}% of {value}");
        prop_assert!(
            scale == value.scale() || mantissa % 10 != 0,
            "{share:?} for {percent}% of {value}: trailing zero",
        );
        prop_assert_eq!(shares.first(), Some(&(mantissa, scale)));
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Encoder agreement.
// ---------------------------------------------------------------------------------------------

/// `value` expanded in the query, in the fragment and in the authority, against the naive
/// byte-by-byte encoding for each place.
fn check_encoding(value: &str) -> Result<(), TestCaseError> {
    let source = [("t1", value), ("domain", value)];
    let query = Template::parse("https://t.example/?v={t1}")
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(
        query.expand(&source),
        format!("https://t.example/?v={}", naive_encode(value, Place::Query)),
        "{:?} in the query",
        value
    );
    let fragment = Template::parse("https://t.example/p#{t1}")
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(
        fragment.expand(&source),
        format!(
            "https://t.example/p#{}",
            naive_encode(value, Place::Fragment)
        ),
        "{:?} in the fragment",
        value
    );
    let authority =
        Template::parse("https://{domain}/").map_err(|e| TestCaseError::fail(e.to_string()))?;
    // An empty value keeps the token's text in the authority.
    let host = match value {
        "" => "{domain}".to_owned(),
        _ => naive_encode(value, Place::Authority),
    };
    prop_assert_eq!(
        authority.expand(&source),
        format!("https://{host}/"),
        "{:?} in the authority",
        value
    );
    Ok(())
}

/// Every ASCII character alone, and a few beyond, encode as the naive encoder says.
#[test]
fn every_ascii_character_encodes_as_the_naive_encoder_says() {
    for c in (0..=0x7f_u8).map(char::from).chain(['é', '€', '𝄞']) {
        if let Err(err) = check_encoding(&c.to_string()) {
            panic!("{c:?}: {err}");
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// Any text encodes as the naive byte-by-byte encoder says: `A-Z a-z 0-9 - . _ ~` pass
    /// in the query and the fragment (`encode::COMPONENT`), and `:` too in the authority
    /// (`encode::AUTHORITY`); every other byte of the UTF-8 is `%XX`.
    #[test]
    fn the_encoder_agrees_with_the_naive_encoder(
        value in prop_oneof![
            (0..=0x7f_u8).prop_map(|b| char::from(b).to_string()),
            vec(prop_oneof![(0..=0x7f_u8).prop_map(char::from), any::<char>()], 0..32)
                .prop_map(String::from_iter),
            hostile_text(),
        ],
    ) {
        check_encoding(&value)?;
        // Whatever passes unencoded is in the documented sets.
        let expanded = Template::parse("https://t.example/?v={t1}")
            .map_err(|e| TestCaseError::fail(e.to_string()))?
            .expand(&[("t1", value.as_str())]);
        let mut unexpected = String::new();
        for c in expanded["https://t.example/?v=".len()..].chars() {
            if !(c.is_ascii_alphanumeric() || "-._~%".contains(c)) {
                let _ = write!(unexpected, "{c:?} ");
            }
        }
        prop_assert!(unexpected.is_empty(), "{value:?} wrote {unexpected}");
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// The crate's own encoder writes exactly what `percent_encoding` writes with the crate's
    /// documented sets, for every byte value and random strings, short and long (the encoder
    /// works in runs of eight and blocks of 64), in every place and through every entry point.
    #[test]
    fn the_fast_encoder_agrees_with_percent_encoding(
        value in prop_oneof![
            any::<u8>().prop_map(|b| char::from(b).to_string()),
            vec(any::<char>(), 0..300).prop_map(String::from_iter),
            vec(prop_oneof![Just('a'), Just(' '), Just('é'), Just('~')], 0..200)
                .prop_map(String::from_iter),
            hostile_text(),
        ]
        // Values that are usable everywhere; filtered here rather than assumed in the body,
        // which would count as global rejects and abort long runs.
        .prop_filter("empty or only dots", |value| !value.bytes().all(|b| b == b'.')),
    ) {
        use percent_encoding::utf8_percent_encode;
        use postback::encode::{AUTHORITY, COMPONENT};
        let values = [("t1", value.as_str()), ("domain", value.as_str())];
        for (text, set) in [("https://t.example/?v={t1}", COMPONENT), ("https://{domain}/", AUTHORITY)] {
            let template = Template::parse(text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let expected = text
                .replace("{t1}", &utf8_percent_encode(&value, set).to_string())
                .replace("{domain}", &utf8_percent_encode(&value, set).to_string());
            prop_assert_eq!(template.expand(&values), expected.clone());
            let mut bytes = Vec::new();
            template.expand_into_vec(&values, &mut bytes);
            prop_assert_eq!(bytes, expected.clone().into_bytes());
            let mut written = String::from(">");
            template.write_to(&values, &mut written).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&written[1..], expected.as_str());
        }
    }
}
