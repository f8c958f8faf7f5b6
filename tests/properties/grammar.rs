//! Modifiers, read naively from the grammar in the crate documentation.

use crate::*;

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
pub(crate) enum Mod {
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
pub(crate) fn naive_parse_decimal(text: &str) -> Option<Option<Decimal>> {
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
pub(crate) fn naive_modifier(text: &str, ignore_case: bool) -> Result<Mod, ErrorKind> {
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
pub(crate) struct NaiveToken {
    pub(crate) key: String,
    pub(crate) mods: Vec<Mod>,
}

/// Why a token does not parse: the kind, and the span of the modifier at fault within the
/// token's text, or `None` when the span is the whole token.
pub(crate) type TokenError = (ErrorKind, Option<Range<usize>>);

/// Reads a token's text (between the delimiters): the head runs to the first `|`, each
/// modifier from a `|` to the next. `Ok(None)` is an unknown token kept as literal text, whose
/// modifiers are not read. The head is checked before the modifiers, and the modifiers from
/// left to right. A modifier's error spans its text, and its `|` too when the text is empty
/// (an empty name).
pub(crate) fn naive_token(
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
