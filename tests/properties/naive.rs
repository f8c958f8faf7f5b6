//! The naive reference: a splitter, a URL reader and an expander, obviously right.

use crate::*;

/// Where a token stands in the URL, as far as encoding is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
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
pub(crate) fn naive_place(runs: &[String]) -> Place {
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
pub(crate) fn authority_of(text: &str) -> Option<&str> {
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
pub(crate) fn naive_encode(text: &str, place: Place) -> String {
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
pub(crate) fn naive_kept(text: &str, place: Place) -> String {
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
pub(crate) fn naive_decimal(d: Decimal) -> String {
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
pub(crate) fn number_text(number: &Val) -> String {
    match number {
        Val::Str(text) | Val::Raw(text) => text.clone(),
        Val::Int(n) => n.to_string(),
        Val::UInt(n) => n.to_string(),
        Val::Float(x) => format!("{x}"),
        Val::Decimal(d) => naive_decimal(*d),
    }
}

/// A value on its way through a token's modifiers.
pub(crate) enum Flow {
    /// No value, and why: none was given, or `percent` or `round` could not apply.
    Missing(ProblemKind),
    Text(String),
    Number(Val),
}

/// What the naive expander makes of a token: the text it writes before encoding and whether
/// that text is encoded, or why the value is unusable.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub(crate) written: Result<(String, bool), ProblemKind>,
}

/// `d` rounded to at most `places` decimal places, half away from zero, in i128.
pub(crate) fn naive_round(d: Decimal, places: u32) -> Decimal {
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
pub(crate) fn naive_modified(value: Option<&Val>, mods: &[Mod], place: Place) -> Outcome {
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
pub(crate) enum Part<'s> {
    /// Text the expansion writes as it is: literal text, the delimiter an escape stands for,
    /// a token kept as literal text.
    Text(&'s str),
    /// A token: its span, delimiters included, its text between them, and what it means.
    Token(Range<usize>, &'s str, NaiveToken),
}

/// Splits `src` by hand, or says why it does not parse and where: the first problem from the
/// left, a token's (see [`naive_tokens`]) or the URL's (see [`naive_url`]).
pub(crate) fn naive_split<'s>(
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
pub(crate) type Found = (ErrorKind, Range<usize>, usize);

/// Splits `src` into parts by hand, up to its first malformed token, if any. An opening
/// delimiter followed by another is an escape; otherwise the token runs to the first closing
/// delimiter, and may not contain an opening one. A token's error spans the token, or the
/// modifier at fault (from after its `|` to the next `|` or the end of the token); it is found
/// where the token starts.
pub(crate) fn naive_tokens<'s>(
    src: &'s str,
    options: &NaiveOptions,
) -> (Vec<Part<'s>>, Option<Found>) {
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
pub(crate) enum Item {
    Char(usize, char),
    Token(usize, usize),
}

/// The items of `parts`, slices of `src`.
pub(crate) fn items(src: &str, parts: &[Part<'_>]) -> Vec<Item> {
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
pub(crate) fn dot_units(text: &str) -> Option<usize> {
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
pub(crate) fn naive_dotted(src: &str, parts: &[Part<'_>]) -> Vec<bool> {
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
pub(crate) fn naive_url(src: &str, parts: &[Part<'_>], any: bool, whole: bool) -> Option<Found> {
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
pub(crate) fn naive_open_after(mut open: usize, text: &str) -> usize {
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
pub(crate) fn naive_guard(written: &str, open: &mut usize) -> String {
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
pub(crate) type NaiveProblem = (ProblemKind, Range<usize>, String);

/// The options the naive splitter and expander follow.
#[derive(Debug)]
pub(crate) struct NaiveOptions {
    pub(crate) syntax: Syntax,
    pub(crate) unknown: Unknown,
    pub(crate) ignore_case: bool,
    pub(crate) missing: Missing,
    /// Whether any scheme is allowed (`Schemes::Any`), or `http` and `https` only.
    pub(crate) any_scheme: bool,
}

/// The naive expansion of `src`: what `expand` writes, and what `try_expand` reports (kind,
/// span, token text) for every token without a usable value. `None` if `src` does not parse.
pub(crate) fn naive_expand(
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

/// Every way to write `value * percent / 100` exactly with a scale from `value`'s up to 18
/// and a mantissa in `i64`, by increasing scale.
pub(crate) fn exact_shares(value: Decimal, percent: Decimal) -> Vec<(i64, u32)> {
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
