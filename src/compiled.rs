//! The compiled form of a template: its holes, where each stands in the URL, what the
//! literal before each does to a `%` escape left open, and its tokens' modifiers.
//!
//! The parser builds it, [`Template`](crate::Template) keeps it, expansion reads it; it
//! depends on none of them.

use alloc::vec::Vec;
use smallvec::SmallVec;

use crate::decimal::Decimal;
use crate::error::{Fault, Located, Span};
use crate::place::Place;
use crate::token::{Named, Slot};

/// How many holes (tokens and `{{` escapes) a template keeps inline, without allocating.
pub(crate) const INLINE_HOLES: usize = 16;

/// The holes of a template, in order.
pub(crate) type Holes = SmallVec<[Hole; INLINE_HOLES]>;

/// A part of a template's source that expansion replaces: a token, or an escaped delimiter.
///
/// Offsets are bytes of the source. The literal text between holes is not stored: it is
/// whatever lies between one hole's `end` and the next one's `start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Hole {
    /// The first byte of the opening delimiter.
    pub(crate) start: u32,
    /// One past the last byte of the closing delimiter.
    pub(crate) end: u32,
    /// The `:` that ends the name, or the closing delimiter when there is none.
    pub(crate) colon: u32,
    pub(crate) kind: HoleKind,
    /// Where the hole stands in the URL, decided when the template is parsed.
    pub(crate) place: Place,
    /// What the literal before the hole does to a `%` escape left open: how many hex digits
    /// (0 to 2) a `%` waits for after the literal, for each number it waited for before it,
    /// two bits each. See [`Hole::open_after`].
    pub(crate) open: u8,
}

impl Hole {
    /// A hole at byte offsets that fit in `u32`: the parser checks the template's length first.
    /// `literal` is the text between the previous hole and this one; `percents` says whether
    /// the template has a `%` at all (most have none, and their literals need no scan for one).
    pub(crate) fn new(
        (start, end, colon): (usize, usize, usize),
        kind: HoleKind,
        place: Place,
        (literal, percents): (&[u8], bool),
    ) -> Hole {
        let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        // What the literal leaves open, for each number of digits waited for before it.
        let last = if percents {
            last_percent(literal)
        } else {
            None
        };
        let open = match last {
            Some(at) => 0b01_01_01 * digits_after(2, &literal[at + 1..]),
            None => {
                let after = |waiting: u8| digits_after(waiting, literal) << (2 * waiting);
                after(0) | after(1) | after(2)
            }
        };
        Hole {
            start: offset(start),
            end: offset(end),
            colon: offset(colon),
            kind,
            place,
            open,
        }
    }

    /// How many hex digits a `%` waits for after the literal before this hole, if one waited
    /// for `waiting` (0 to 2) before it.
    #[inline(always)]
    pub(crate) fn open_after(&self, waiting: u8) -> u8 {
        (self.open >> (2 * waiting)) & 3
    }

    /// How many hex digits a `%` waits for after `text`, if one waited for `waiting` before it:
    /// a `%` waits for two, each hex digit after it takes one, anything else ends the wait.
    pub(crate) fn open_after_text(waiting: u8, text: &[u8]) -> u8 {
        match last_percent(text) {
            Some(at) => digits_after(2, &text[at + 1..]),
            None => digits_after(waiting, text),
        }
    }

    pub(crate) fn span(&self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }
}

/// Where the last `%` of `text` is. Text between tokens is short: a plain scan back beats
/// memchr's setup there.
fn last_percent(text: &[u8]) -> Option<usize> {
    match text.len() {
        0..32 => text.iter().rposition(|&b| b == b'%'),
        _ => memchr::memrchr(b'%', text),
    }
}

/// How many hex digits a `%` waits for after `rest`, text without a `%`, if one waited for
/// `waiting` before it: a hex digit takes one, anything else ends the wait, so only the first
/// two bytes count.
const fn digits_after(waiting: u8, rest: &[u8]) -> u8 {
    match rest {
        [] => waiting,
        [digit] if waiting > 0 && digit.is_ascii_hexdigit() => waiting - 1,
        _ => 0,
    }
}

/// What fills a hole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum HoleKind {
    /// A doubled opening delimiter, written once.
    Escape,
    Named(Named),
    T(Slot),
    Event(Slot),
    /// `{tName:NAME}`: the name is the argument.
    TName,
    /// An unknown token handed to the host.
    Custom,
}

// ---------------------------------------------------------------------------------------------
// Modifiers.
// ---------------------------------------------------------------------------------------------

/// One modifier of a token, as compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Modifier {
    pub(crate) kind: Kind,
    /// The index of the hole whose token the modifier follows.
    pub(crate) hole: u32,
    /// Where its argument starts, after the `:`, and where the modifier ends; both the same
    /// when it has no argument.
    arg: u32,
    end: u32,
}

/// What a modifier does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    /// `raw`: the value is written without percent-encoding.
    Raw,
    /// `default:TEXT`: TEXT replaces a missing or empty value.
    Default,
    /// `map:FROM=TO,...`: a value equal to a FROM becomes its TO.
    Map,
    /// `percent:N`: a numeric value becomes exactly N% of itself.
    Percent(Decimal),
    /// `round:N`: a numeric value is rounded to at most N decimal places, half away from zero.
    Round(u8),
    /// `lower`: ASCII letters become lowercase.
    Lower,
    /// `upper`: ASCII letters become uppercase.
    Upper,
    /// `md5`, `sha1`, `sha256`: the value becomes the lowercase hexadecimal digest of its text.
    Hash(Hash),
    /// `date:FORMAT[,ZONE]`: Unix seconds become a date and time, written as FORMAT says.
    #[cfg_attr(not(feature = "time"), allow(dead_code))]
    Date,
}

/// A digest of the hash modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Hash {
    Md5,
    Sha1,
    Sha256,
}

/// The modifiers of a template, in order, each hole's after the previous hole's. Most
/// templates have none, and an empty `Vec` neither allocates nor makes the template bigger
/// than it must be: the first modifier allocates, when the template is parsed.
pub(crate) type Modifiers = Vec<Modifier>;

/// A modifier of the vocabulary: its name, and how its argument reads.
struct Spec {
    name: &'static str,
    /// Reads the argument (`None` without a `:`) into what the modifier does.
    read: fn(Option<&str>) -> Result<Kind, ArgumentError>,
}

/// What is wrong with a modifier's argument.
enum ArgumentError {
    /// It takes none, and has one.
    Unexpected,
    /// It needs one, and has none, or an empty one.
    Missing,
    /// It has one that does not read: what it expects instead.
    Invalid(&'static str),
    /// Part of it does not read: where, in bytes from the argument's start, and what it
    /// expects instead.
    #[cfg_attr(not(feature = "time"), allow(dead_code))]
    InvalidPart {
        start: usize,
        end: usize,
        expected: &'static str,
    },
    /// It is built only with a feature of the crate, which is off.
    #[cfg_attr(all(feature = "hash", feature = "time"), allow(dead_code))]
    Feature(&'static str),
}

/// Every modifier, in the order the docs list them: the one place a modifier is named, its
/// argument's rule given, and its suggestions taken from.
const MODIFIERS: [Spec; 11] = [
    Spec {
        name: "raw",
        read: |arg| no_argument(arg, Kind::Raw),
    },
    Spec {
        name: "default",
        read: |arg| needed(arg).map(|_| Kind::Default),
    },
    Spec {
        name: "map",
        read: |arg| {
            let pair = |p: &str| {
                p.split_once('=')
                    .is_some_and(|(from, to)| !from.is_empty() && !to.contains('='))
            };
            match needed(arg)?.split(',').all(pair) {
                true => Ok(Kind::Map),
                false => Err(ArgumentError::Invalid("FROM=TO pairs separated by \",\"")),
            }
        },
    },
    Spec {
        name: "percent",
        read: |arg| match needed(arg)?.parse::<Decimal>() {
            Ok(n) if !n.is_negative() => Ok(Kind::Percent(n)),
            _ => Err(ArgumentError::Invalid(
                "a decimal of at least 0, such as 50 or 12.5",
            )),
        },
    },
    Spec {
        name: "round",
        read: |arg| {
            let places = needed(arg)?;
            match places.parse::<u8>() {
                Ok(n)
                    if u32::from(n) <= Decimal::MAX_SCALE
                        && places.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Ok(Kind::Round(n))
                }
                _ => Err(ArgumentError::Invalid(
                    "a whole number from 0 to 18, such as 2",
                )),
            }
        },
    },
    Spec {
        name: "lower",
        read: |arg| no_argument(arg, Kind::Lower),
    },
    Spec {
        name: "upper",
        read: |arg| no_argument(arg, Kind::Upper),
    },
    Spec {
        name: "md5",
        read: |arg| hash(arg, Hash::Md5),
    },
    Spec {
        name: "sha1",
        read: |arg| hash(arg, Hash::Sha1),
    },
    Spec {
        name: "sha256",
        read: |arg| hash(arg, Hash::Sha256),
    },
    Spec {
        name: "date",
        read: date,
    },
];

/// The `date` modifier, which needs the `time` feature: its argument is checked and its
/// zone loaded.
fn date(arg: Option<&str>) -> Result<Kind, ArgumentError> {
    let arg = needed(arg)?;
    #[cfg(feature = "time")]
    return match crate::date::Date::read(arg).and_then(|date| date.check()) {
        Ok(()) => Ok(Kind::Date),
        Err(bad) => Err(ArgumentError::InvalidPart {
            start: bad.start,
            end: bad.end,
            expected: bad.expected,
        }),
    };
    #[cfg(not(feature = "time"))]
    {
        let _ = arg;
        Err(ArgumentError::Feature("time"))
    }
}

/// A hash modifier, which takes no argument and needs the `hash` feature.
fn hash(arg: Option<&str>, hash: Hash) -> Result<Kind, ArgumentError> {
    let kind = no_argument(arg, Kind::Hash(hash))?;
    match cfg!(feature = "hash") {
        true => Ok(kind),
        false => Err(ArgumentError::Feature("hash")),
    }
}

/// `kind`, for a modifier that takes no argument (not even an empty one: `raw:`).
fn no_argument(arg: Option<&str>, kind: Kind) -> Result<Kind, ArgumentError> {
    match arg {
        None => Ok(kind),
        Some(_) => Err(ArgumentError::Unexpected),
    }
}

/// The argument of a modifier that needs one, not empty.
fn needed(arg: Option<&str>) -> Result<&str, ArgumentError> {
    arg.filter(|arg| !arg.is_empty())
        .ok_or(ArgumentError::Missing)
}

impl Modifier {
    /// Compiles the modifier `src[start..end]` (after its `|`).
    pub(crate) fn parse(
        src: &str,
        start: usize,
        end: usize,
        hole: usize,
        ignore_case: bool,
    ) -> Result<Modifier, Located> {
        let text = src.get(start..end).unwrap_or_default();
        let colon = text.find(':').map_or(end, |i| start + i);
        let name = src.get(start..colon).unwrap_or_default();
        let arg = src.get(colon + 1..end).filter(|_| colon < end);
        if name.is_empty() {
            // An empty modifier has no text to point at: point at its `|` too.
            return Err((Span::new(start - 1, end), Fault::EmptyModifier));
        }
        let named = Span::new(start, colon);
        let is = |known: &str| name == known || (ignore_case && name.eq_ignore_ascii_case(known));
        let Some(spec) = MODIFIERS.iter().find(|spec| is(spec.name)) else {
            let suggestion = crate::suggest::nearest(name, MODIFIERS.iter().map(|m| m.name));
            let fault = Fault::UnknownModifier {
                name: named,
                suggestion,
            };
            return Err((Span::new(start, end), fault));
        };
        // The span of the error is the modifier's, or the part of its argument at fault.
        let whole = Span::new(start, end);
        let kind = (spec.read)(arg).map_err(|err| match err {
            ArgumentError::Unexpected => (whole, Fault::ModifierTakesNoArgument { name: named }),
            ArgumentError::Missing => (whole, Fault::ModifierNeedsArgument { name: named }),
            ArgumentError::Invalid(expected) => (
                whole,
                Fault::InvalidArgument {
                    argument: Span::new(colon + 1, end),
                    modifier: spec.name,
                    expected,
                },
            ),
            ArgumentError::InvalidPart {
                start,
                end,
                expected,
            } => {
                let part = Span::new(colon + 1 + start, colon + 1 + end);
                let fault = Fault::InvalidArgument {
                    argument: part,
                    modifier: spec.name,
                    expected,
                };
                (part, fault)
            }
            ArgumentError::Feature(feature) => (
                whole,
                Fault::NeedsFeature {
                    name: named,
                    feature,
                },
            ),
        })?;
        // The parser checked that the template's length fits.
        let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        Ok(Modifier {
            kind,
            hole: offset(hole),
            arg: offset(if colon < end { colon + 1 } else { end }),
            end: offset(end),
        })
    }

    /// Where the modifier ends in the template's source.
    pub(crate) fn end(&self) -> usize {
        self.end as usize
    }

    /// The argument, as written in `src`, the template's source.
    pub(crate) fn argument<'t>(&self, src: &'t str) -> &'t str {
        src.get(self.arg as usize..self.end as usize)
            .unwrap_or_default()
    }

    /// The texts of the template that this modifier may write in place of the value, each
    /// with where it starts in `src`: the text of `default`, each TO of `map`, the format of
    /// `date` (whose specifiers write no whitespace, control character or `\`).
    pub(crate) fn texts<'t>(&self, src: &'t str) -> impl Iterator<Item = (usize, &'t str)> {
        let (arg, start) = (self.argument(src), self.arg as usize);
        let whole = matches!(self.kind, Kind::Default | Kind::Date);
        let default = whole.then_some((start, arg));
        let pairs = matches!(self.kind, Kind::Map).then_some(arg);
        let tos = pairs
            .into_iter()
            .flat_map(|pairs| pairs.split(','))
            .scan(start, |at, pair| {
                let here = *at;
                *at += pair.len() + 1;
                Some((here, pair))
            })
            .filter_map(|(at, pair)| {
                let (from, to) = pair.split_once('=')?;
                Some((at + from.len() + 1, to))
            });
        default.into_iter().chain(tos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of the first Markdown table in `text` whose header starts with `| modifier |`.
    fn table(text: &str) -> alloc::vec::Vec<&str> {
        let lines = text
            .lines()
            .map(|line| line.trim_start_matches("//!").trim());
        let rows = lines.skip_while(|line| !line.starts_with("| modifier |"));
        rows.skip(2)
            .take_while(|line| line.starts_with('|'))
            .collect()
    }

    #[test]
    fn the_docs_list_every_modifier_of_the_table_in_its_order() {
        for (doc, text) in [
            ("src/lib.rs", include_str!("lib.rs")),
            ("README.md", include_str!("../README.md")),
        ] {
            let names: alloc::vec::Vec<&str> = table(text)
                .iter()
                // The code spans of the first cell: `raw`, `default:TEXT`, `lower`, `upper`.
                .flat_map(|row| row.split('|').nth(1).unwrap_or_default().split('`').skip(1))
                .step_by(2)
                .map(|span| span.split(':').next().unwrap_or_default())
                .collect();
            let known: alloc::vec::Vec<&str> = MODIFIERS.iter().map(|m| m.name).collect();
            assert_eq!(names, known, "{doc}");
        }
    }
}
