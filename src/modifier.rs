//! Token modifiers at expansion: `{payout|percent:50}`, `{cnv_status|map:lead=install|upper}`.
//!
//! A token may be followed by modifiers, each after a `|`, applied to its value from left to
//! right before the value is encoded. They are compiled and checked with the template
//! ([`Modifier`], in the compiled form), and applied here, without allocating.

use core::fmt;

use crate::compiled::{Kind, Modifier};
use crate::decimal::{Decimal, DecimalErrorKind};
use crate::error::ProblemKind;
use crate::source::Value;

/// A value on its way through the modifiers of its token.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Val<'a> {
    /// No usable value, and why: the source has none, or a modifier could not apply to it.
    /// A later `default` replaces it.
    Missing(ProblemKind),
    /// Text, whose ASCII letters are written in `case`.
    Text(&'a str, Case),
    /// A number, as the source gave it or as `percent` or `round` made it.
    Number(Value<'a>),
    /// Text a modifier wrote, whose ASCII letters are written in `case`: the lowercase
    /// hexadecimal digest of a hash modifier, or the date of `date`.
    #[cfg_attr(not(any(feature = "hash", feature = "time")), allow(dead_code))]
    Short(Short, Case),
}

/// Text written on the stack, up to `N` bytes: what a modifier wrote (64 bytes, a SHA-256
/// digest's hexadecimal digits or the longest date a `date` format may write), or a number's
/// text (32 bytes: any number a [`Decimal`] holds has at most 21; a float whose text is
/// longer does not fit, and is not one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Short<const N: usize = 64> {
    bytes: [u8; N],
    len: u8,
}

impl<const N: usize> Short<N> {
    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        let bytes = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        core::str::from_utf8(bytes).unwrap_or_default()
    }
}

/// Short text is written whole or not at all: a write past its `N` bytes fails, and what was
/// written before it stays.
impl<const N: usize> fmt::Write for Short<N> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let at = usize::from(self.len);
        let end = at + text.len();
        self.bytes
            .get_mut(at..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(text.as_bytes());
        self.len = u8::try_from(end).map_err(|_| fmt::Error)?;
        Ok(())
    }
}

impl<const N: usize> Default for Short<N> {
    fn default() -> Short<N> {
        Short {
            bytes: [0; N],
            len: 0,
        }
    }
}

/// A number's text, on the stack: see [`Short`].
type Buffer = Short<32>;

/// The case ASCII letters are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Case {
    /// As they are.
    Keep,
    Lower,
    Upper,
}

impl Case {
    /// The byte in this case.
    pub(crate) fn apply(self, byte: u8) -> u8 {
        match self {
            Case::Keep => byte,
            Case::Lower => byte.to_ascii_lowercase(),
            Case::Upper => byte.to_ascii_uppercase(),
        }
    }

    /// Hands `write` the text in this case, a piece of up to 64 bytes at a time, each cut on
    /// a character's boundary, without allocating.
    pub(crate) fn write(self, text: &str, mut write: impl FnMut(&str)) {
        if self == Case::Keep {
            return write(text);
        }
        let mut chunk = [0u8; 64];
        let mut rest = text;
        while !rest.is_empty() {
            let mut end = rest.len().min(chunk.len());
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            let (piece, tail) = rest.split_at(end);
            let bytes = &mut chunk[..piece.len()];
            for (to, &from) in bytes.iter_mut().zip(piece.as_bytes()) {
                *to = self.apply(from);
            }
            // ASCII case keeps UTF-8 whole.
            write(core::str::from_utf8(bytes).unwrap_or_default());
            rest = tail;
        }
    }
}

/// The outcome of a token's modifiers: the value, and whether it is written without encoding.
pub(crate) struct Applied<'a> {
    pub(crate) value: Val<'a>,
    pub(crate) raw: bool,
}

/// Applies `modifiers`, compiled from `src`, to `value`, from left to right.
///
/// A [`Value::Raw`] stays unencoded as long as it is the host's text; a default or a mapping
/// that replaces it is the template's text, and is encoded unless `raw` follows. A value that
/// `percent` or `round` cannot apply to (text that is not a plain decimal, a number beyond a
/// [`Decimal`], a float that is not finite) becomes missing, with that reason: it is never
/// written whole in place of its share.
pub(crate) fn apply<'a>(
    src: &'a str,
    modifiers: &[Modifier],
    value: Option<Value<'a>>,
) -> Applied<'a> {
    let (mut raw, mut host_raw) = (false, matches!(value, Some(Value::Raw(_))));
    let mut value = match value {
        None => Val::Missing(ProblemKind::Missing),
        Some(Value::Str(text) | Value::Raw(text)) => Val::Text(text, Case::Keep),
        Some(number) => Val::Number(number),
    };
    for modifier in modifiers {
        let arg = modifier.argument(src);
        match modifier.kind {
            Kind::Raw => raw = true,
            Kind::Default => {
                if matches!(value, Val::Missing(_) | Val::Text("", _)) {
                    value = Val::Text(arg, Case::Keep);
                    host_raw = false;
                }
            }
            Kind::Map => {
                let to = arg.split(',').find_map(|pair| {
                    let (from, to) = pair.split_once('=')?;
                    value.equals(from).then_some(to)
                });
                if let Some(to) = to {
                    value = Val::Text(to, Case::Keep);
                    host_raw = false;
                }
            }
            Kind::Percent(percent) => value = value.numeric(|d| d.percent(percent)),
            Kind::Round(places) => value = value.numeric(|d| Some(d.round(places.into()))),
            Kind::Lower => value = value.with_case(Case::Lower),
            Kind::Upper => value = value.with_case(Case::Upper),
            #[cfg(feature = "hash")]
            Kind::Hash(hash) => value = value.digest(hash),
            // The parser refuses hash modifiers without the feature.
            #[cfg(not(feature = "hash"))]
            Kind::Hash(_) => {}
            #[cfg(feature = "time")]
            Kind::Date => value = value.date(arg),
            // The parser refuses `date` without the feature.
            #[cfg(not(feature = "time"))]
            Kind::Date => {}
        }
    }
    Applied {
        value,
        raw: raw || host_raw,
    }
}

impl<'a> Val<'a> {
    /// The same text in another case; numbers and missing values are unchanged.
    fn with_case(self, case: Case) -> Val<'a> {
        match self {
            Val::Text(text, _) => Val::Text(text, case),
            Val::Short(hex, _) => Val::Short(hex, case),
            other => other,
        }
    }

    /// The digest of the value's text, as it would be written before encoding; empty text
    /// and a missing value are left as they are, for the rules that follow (`default`).
    #[cfg(feature = "hash")]
    fn digest(self, hash: crate::compiled::Hash) -> Val<'a> {
        use crate::compiled::Hash;
        use sha2::digest::Digest;

        /// Feeds text to a hasher, in the case it is written in.
        fn feed<D: Digest>(mut hasher: D, value: &Val<'_>) -> Option<D> {
            let mut write =
                |text: &str, case: Case| case.write(text, |piece| hasher.update(piece.as_bytes()));
            match *value {
                Val::Missing(_) | Val::Text("", _) => return None,
                Val::Text(text, case) => write(text, case),
                Val::Short(hex, case) => write(hex.as_str(), case),
                Val::Number(number) => {
                    let mut buf = Buffer::default();
                    number.write_plain(&mut buf).ok()?;
                    write(buf.as_str(), Case::Keep);
                }
            }
            Some(hasher)
        }

        fn hex(digest: &[u8]) -> Short {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let mut bytes = [0; 64];
            for (pair, &byte) in bytes.chunks_exact_mut(2).zip(digest) {
                pair[0] = HEX[usize::from(byte >> 4)];
                pair[1] = HEX[usize::from(byte & 15)];
            }
            let len = u8::try_from(2 * digest.len().min(32)).unwrap_or(64);
            Short { bytes, len }
        }

        let digest = match hash {
            Hash::Md5 => feed(md5::Md5::new(), &self).map(|h| hex(&h.finalize())),
            Hash::Sha1 => feed(sha1::Sha1::new(), &self).map(|h| hex(&h.finalize())),
            Hash::Sha256 => feed(sha2::Sha256::new(), &self).map(|h| hex(&h.finalize())),
        };
        match digest {
            Some(hex) => Val::Short(hex, Case::Keep),
            // A float too long for the buffer is not a number a hash is taken of.
            None if matches!(self, Val::Number(_)) => Val::Missing(ProblemKind::OutOfRange),
            None => self,
        }
    }

    /// The value, Unix seconds, written as `date:ARG` says (`arg`, checked when the template
    /// was parsed). Empty text and a missing value are left as they are, for the rules that
    /// follow; a value that is not a number, or an instant beyond the years -9999 to 9999, is
    /// missing, with that reason.
    #[cfg(feature = "time")]
    fn date(self, arg: &str) -> Val<'a> {
        if matches!(self, Val::Missing(_) | Val::Text("", _)) {
            return self;
        }
        let seconds = match self.decimal() {
            Ok(seconds) => seconds,
            Err(why) => return Val::Missing(why),
        };
        let (Ok(date), Some(instant)) =
            (crate::date::Date::read(arg), crate::date::instant(seconds))
        else {
            return Val::Missing(ProblemKind::OutOfRange);
        };
        let mut short = Short::default();
        match date.write(instant, &mut short) {
            Ok(()) => Val::Short(short, Case::Keep),
            // The format's width was checked: only an abbreviation longer than any in the
            // database could not fit.
            Err(fmt::Error) => Val::Missing(ProblemKind::OutOfRange),
        }
    }

    /// Whether the value, as it would be written before encoding, is `text`.
    fn equals(&self, text: &str) -> bool {
        match *self {
            Val::Missing(_) => false,
            Val::Text(value, case) => {
                value.len() == text.len()
                    && value
                        .bytes()
                        .zip(text.bytes())
                        .all(|(v, t)| case.apply(v) == t)
            }
            Val::Number(number) => {
                let mut rest = Compare(text.as_bytes());
                number.write_plain(&mut rest).is_ok() && rest.0.is_empty()
            }
            Val::Short(hex, case) => Val::Text(hex.as_str(), case).equals(text),
        }
    }

    /// The value after an exact operation on it as a decimal, `op`, which fails when its result
    /// does not fit a [`Decimal`]. Empty text is left as it is, for the rules that follow
    /// (empty is unusable, or `default` replaces it); a missing value stays missing.
    fn numeric(self, op: impl FnOnce(Decimal) -> Option<Decimal>) -> Val<'a> {
        match self.decimal() {
            _ if matches!(self, Val::Missing(_) | Val::Text("", _)) => self,
            Ok(d) => match op(d) {
                Some(result) => Val::Number(Value::Decimal(result)),
                None => Val::Missing(ProblemKind::OutOfRange),
            },
            Err(why) => Val::Missing(why),
        }
    }

    /// The value as a decimal, or why it is none: not a number, a number that a [`Decimal`]
    /// cannot hold, a float that is not finite.
    fn decimal(&self) -> Result<Decimal, ProblemKind> {
        match *self {
            Val::Missing(why) => Err(why),
            Val::Text(text, _) => text.parse::<Decimal>().map_err(|e| match e.kind() {
                // Digits that do not fit are a number still: out of range, not "not a number".
                DecimalErrorKind::OutOfRange | DecimalErrorKind::TooPrecise => {
                    ProblemKind::OutOfRange
                }
                _ => ProblemKind::NotNumeric,
            }),
            Val::Number(Value::Int(n)) => Ok(Decimal::from(n)),
            Val::Number(Value::UInt(n)) => i64::try_from(n)
                .map(Decimal::from)
                .map_err(|_| ProblemKind::OutOfRange),
            Val::Number(Value::Decimal(d)) => Ok(d),
            Val::Short(hex, case) => Val::Text(hex.as_str(), case).decimal(),
            Val::Number(Value::Float(x)) if !x.is_finite() => Err(ProblemKind::NotFinite),
            Val::Number(Value::Float(x)) => {
                // The shortest text that reads back as the same float, read as a decimal.
                let mut buf = Buffer::default();
                Value::Float(x)
                    .write_plain(&mut buf)
                    .ok()
                    .and_then(|()| buf.as_str().parse().ok())
                    .ok_or(ProblemKind::OutOfRange)
            }
            Val::Number(_) => Err(ProblemKind::NotNumeric),
        }
    }
}

/// Text written and compared with what remains of an expected text, without storing it: the
/// write fails at the first difference.
struct Compare<'t>(&'t [u8]);

impl fmt::Write for Compare<'_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0 = self.0.strip_prefix(text.as_bytes()).ok_or(fmt::Error)?;
        Ok(())
    }
}
