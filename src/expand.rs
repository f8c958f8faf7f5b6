//! Expansion: the template's literals and its tokens' values, encoded, into one string.
//!
//! One pass over the holes of the template: the literal before each hole is copied, then the
//! hole's value is asked for, checked and written. The part of a value that needs no encoding
//! is copied as it is; the rest is encoded by index through a window on the stack, a block at
//! a time, and copied from there. The same loop writes to a `Vec<u8>` and to any
//! [`fmt::Write`], a `String` among them.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::decimal::Decimal;
use crate::encode::{AUTHORITY_SET, BLOCK, COMPONENT_SET, Set, WINDOW};
use crate::error::{ExpandError, Problem, ProblemKind};
use crate::modifier::{self, Case, Modifier, Unchanged, Val};
use crate::parse::Missing;
use crate::source::{TokenSource, Value};
use crate::template::{Hole, Place, Template};

impl Template<'_> {
    /// Expands the template into a new `String`. See [`expand_into`](Template::expand_into).
    ///
    /// ```
    /// use postback::{Template, Value};
    ///
    /// let template = Template::parse("https://t.example/pb?id={externalid}&p={payout}")?;
    /// let values = [("externalid", Value::Str("a&b=c")), ("payout", Value::Int(7))];
    /// assert_eq!(template.expand(&values), "https://t.example/pb?id=a%26b%3Dc&p=7");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn expand<S: TokenSource + ?Sized>(&self, source: &S) -> String {
        let mut out = String::with_capacity(self.as_str().len() + 64);
        self.expand_into(source, &mut out);
        out
    }

    /// Appends the expansion to `out`: the literal text as it is, and for every token its value
    /// from `source`, percent-encoded for where the token stands.
    ///
    /// A token without a usable value (missing, empty, a float that is not finite, a path
    /// value of only dots) is written according to the template's [`Missing`] policy; in the
    /// authority its text is kept whatever the policy says. Expansion is one pass: a value is
    /// never read for tokens. Once `out` has grown to fit, nothing is allocated.
    #[inline]
    pub fn expand_into<S: TokenSource + ?Sized>(&self, source: &S, out: &mut String) {
        // Writing to a `String` cannot fail.
        let _ = self.write_to(source, out);
    }

    /// Appends the expansion to `out` as UTF-8 bytes, for hosts that send bytes anyway: it
    /// saves checking the encoder's output as UTF-8. See [`expand_into`](Template::expand_into).
    ///
    /// ```
    /// use postback::Template;
    ///
    /// let template = Template::parse("https://t.example/pb?id={externalid}")?;
    /// let mut request = b"GET ".to_vec();
    /// template.expand_into_vec(&[("externalid", "a b")], &mut request);
    /// assert_eq!(request, b"GET https://t.example/pb?id=a%20b");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    #[inline]
    pub fn expand_into_vec<S: TokenSource + ?Sized>(&self, source: &S, out: &mut Vec<u8>) {
        // Writing to a `Vec` cannot fail.
        let _ = self.fill(source, &mut Bytes(out), &mut Fallback(self.missing()));
    }

    /// Writes the expansion to any [`fmt::Write`]; see [`expand_into`](Template::expand_into).
    /// Fails only when `out` does.
    pub fn write_to<S, W>(&self, source: &S, out: &mut W) -> fmt::Result
    where
        S: TokenSource + ?Sized,
        W: fmt::Write + ?Sized,
    {
        self.fill(source, &mut Text(out), &mut Fallback(self.missing()))
    }

    /// Expands the template into a new `String`, or fails with every token that has no usable
    /// value. See [`try_expand_into`](Template::try_expand_into).
    pub fn try_expand<S: TokenSource + ?Sized>(&self, source: &S) -> Result<String, ExpandError> {
        let mut out = String::with_capacity(self.as_str().len() + 64);
        self.try_expand_into(source, &mut out)?;
        Ok(out)
    }

    /// Appends the expansion to `out` if every token has a usable value: present, not empty,
    /// finite, and not a path segment of dots. Otherwise leaves `out` as it was and returns
    /// every such token: for hosts that must not send a postback without, say, its
    /// `{externalid}`.
    ///
    /// ```
    /// use postback::{ProblemKind, Template};
    ///
    /// let template = Template::parse("https://t.example/pb?id={externalid}")?;
    /// let mut out = String::from("kept");
    /// let err = template.try_expand_into(&[("externalid", "")], &mut out).unwrap_err();
    /// assert_eq!(err.problems()[0].kind(), ProblemKind::Empty);
    /// assert_eq!(out, "kept");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn try_expand_into<S: TokenSource + ?Sized>(
        &self,
        source: &S,
        out: &mut String,
    ) -> Result<(), ExpandError> {
        let len = out.len();
        let mut problems = Collect(Vec::new());
        // Writing to a `String` cannot fail.
        let _ = self.fill(source, &mut Text(out), &mut problems);
        match problems.0.is_empty() {
            true => Ok(()),
            false => {
                out.truncate(len);
                Err(ExpandError::new(problems.0))
            }
        }
    }

    /// The one expansion loop: each literal, then each hole's value or `unusable`'s choice.
    fn fill<S, K, U>(&self, source: &S, sink: &mut K, unusable: &mut U) -> fmt::Result
    where
        S: TokenSource + ?Sized,
        K: Sink,
        U: Unusable,
    {
        // Most templates leave no `%` open before a token: their loop has nothing to track.
        match self.leaves_escapes_open() {
            false => self.fill_with::<false, S, K, U>(source, sink, unusable),
            true => self.fill_with::<true, S, K, U>(source, sink, unusable),
        }
    }

    /// [`fill`](Template::fill), tracking the escapes the template leaves open if `OPEN`.
    #[inline(always)]
    fn fill_with<const OPEN: bool, S, K, U>(
        &self,
        source: &S,
        sink: &mut K,
        unusable: &mut U,
    ) -> fmt::Result
    where
        S: TokenSource + ?Sized,
        K: Sink,
        U: Unusable,
    {
        let text = self.as_str();
        let mut window = None;
        let mut literal = 0;
        // The modifiers not yet applied, and the hole the first of them belongs to.
        let mut modifiers = self.modifiers();
        let mut modified = modifiers.first().map_or(u32::MAX, |m| m.hole);
        // How many hex digits a `%` just written still waits for: the next value must not
        // supply them.
        let mut open = 0;
        for (index, hole) in (0..).zip(self.holes()) {
            sink.literal(text, literal, hole.start as usize)?;
            if OPEN {
                open = hole.open_after(open);
            }
            literal = hole.end as usize;
            let Some(token) = self.token(hole) else {
                let escaped = self.escaped(hole);
                sink.write_str(escaped)?;
                if OPEN {
                    open = Hole::open_after_text(open, escaped.as_bytes());
                }
                continue;
            };
            let value = source.value(&token);
            let mut these: &[Modifier] = &[];
            if index == modified {
                let count = modifiers.iter().take_while(|m| m.hole == index).count();
                (these, modifiers) = modifiers.split_at(count);
                modified = modifiers.first().map_or(u32::MAX, |m| m.hole);
            } else if !OPEN || open == 0 {
                // The common case, kept in the loop: no modifiers, nothing open.
                self.fill_plain(sink, &mut window, unusable, hole, value)?;
                continue;
            }
            let guard = &mut Guard {
                sink: &mut *sink,
                open,
            };
            self.fill_rare(guard, &mut window, unusable, hole, these, value)?;
            open = guard.open;
        }
        sink.literal(text, literal, text.len())
    }
}

impl Template<'_> {
    /// Writes the value of a token that has modifiers, or comes after a `%` that the template
    /// leaves open (the guard then encodes a hex digit that would close it): kept out of
    /// [`Template::fill`]'s loop, which most tokens go through without either.
    #[inline(never)]
    fn fill_rare<K: Sink, U: Unusable>(
        &self,
        guard: &mut Guard<'_, K>,
        window: &mut Window,
        unusable: &mut U,
        hole: &Hole,
        modifiers: &[Modifier],
        value: Option<Value<'_>>,
    ) -> fmt::Result {
        match modifiers.is_empty() {
            true => self.fill_plain(guard, window, unusable, hole, value),
            false => self.fill_modified(guard, window, unusable, hole, modifiers, value),
        }
    }

    /// Writes the value of a token without modifiers, or what `unusable` says in its place.
    #[inline(always)]
    fn fill_plain<K: Sink, U: Unusable>(
        &self,
        sink: &mut K,
        window: &mut Window,
        unusable: &mut U,
        hole: &Hole,
        value: Option<Value<'_>>,
    ) -> fmt::Result {
        match value
            .ok_or(ProblemKind::Missing)
            .and_then(|v| usable(v, hole.place))
        {
            Ok(value) => write_value(sink, window, value, hole.place),
            Err(kind) => sink.write_str(unusable.fill(self, hole, kind)),
        }
    }

    /// Writes the value of a token that has modifiers.
    #[inline(always)]
    fn fill_modified<K: Sink, U: Unusable>(
        &self,
        sink: &mut K,
        window: &mut Window,
        unusable: &mut U,
        hole: &Hole,
        modifiers: &[Modifier],
        value: Option<Value<'_>>,
    ) -> fmt::Result {
        let applied = modifier::apply(self.as_str(), modifiers, value);
        if let Some(unchanged) = applied.unchanged {
            let kind = match unchanged {
                Unchanged::NotNumeric => ProblemKind::NotNumeric,
                Unchanged::OutOfRange => ProblemKind::OutOfRange,
            };
            unusable.note(self, hole, kind);
        }
        match usable_modified(applied.value, applied.raw, hole.place) {
            Ok(Val::Text(value, case)) => {
                let set = (!applied.raw).then(|| set_for(hole.place));
                write_text(sink, window, set, value, case)
            }
            Ok(Val::Number(value)) => write_value(sink, window, value, hole.place),
            Ok(Val::Missing) => Ok(()),
            Err(kind) => sink.write_str(unusable.fill(self, hole, kind)),
        }
    }
}

/// Whether `value` can be written at `place` without changing the URL's structure.
#[inline(always)]
fn usable(value: Value<'_>, place: Place) -> Result<Value<'_>, ProblemKind> {
    match value {
        Value::Str("") | Value::Raw("") => Err(ProblemKind::Empty),
        Value::Str(text) if place == Place::Path && text.bytes().all(|b| b == b'.') => {
            Err(ProblemKind::DotSegment)
        }
        Value::Float(x) if !x.is_finite() => Err(ProblemKind::NotFinite),
        _ => Ok(value),
    }
}

/// Whether a value that went through modifiers can be written at `place`: as [`usable`], with
/// the `raw` modifier's text exempt from the path's dot rule like [`Value::Raw`].
#[inline(always)]
fn usable_modified(value: Val<'_>, raw: bool, place: Place) -> Result<Val<'_>, ProblemKind> {
    let checked = match value {
        Val::Missing => return Err(ProblemKind::Missing),
        Val::Text(text, _) if raw => Value::Raw(text),
        // Case changes no dot and no length: the rules see the text as it stands.
        Val::Text(text, _) => Value::Str(text),
        Val::Number(number) => number,
    };
    usable(checked, place).map(|_| value)
}

/// The encode set for a place.
#[inline(always)]
fn set_for(place: Place) -> &'static Set {
    match place {
        Place::Authority => &AUTHORITY_SET,
        Place::Path | Place::Query | Place::Fragment => &COMPONENT_SET,
    }
}

/// What expansion does with a token that has no usable value.
trait Unusable {
    /// What to write in the token's place.
    fn fill<'t>(&mut self, template: &'t Template<'_>, hole: &Hole, kind: ProblemKind) -> &'t str;

    /// A value that a modifier could not change, written unchanged.
    fn note(&mut self, template: &Template<'_>, hole: &Hole, kind: ProblemKind);
}

/// The lenient expansion: write what the [`Missing`] policy says, and keep the token's text
/// in the authority, where nothing would move the host into the path.
struct Fallback(Missing);

impl Unusable for Fallback {
    fn fill<'t>(&mut self, template: &'t Template<'_>, hole: &Hole, _: ProblemKind) -> &'t str {
        match (self.0, hole.place) {
            (Missing::Keep, _) | (_, Place::Authority) => template
                .as_str()
                .get(hole.span().range())
                .unwrap_or_default(),
            (Missing::Empty, _) => "",
        }
    }

    fn note(&mut self, _: &Template<'_>, _: &Hole, _: ProblemKind) {}
}

/// The checked expansion: note the problem; the caller discards the output.
struct Collect(Vec<Problem>);

impl Unusable for Collect {
    fn fill<'t>(&mut self, template: &'t Template<'_>, hole: &Hole, kind: ProblemKind) -> &'t str {
        self.note(template, hole, kind);
        ""
    }

    fn note(&mut self, template: &Template<'_>, hole: &Hole, kind: ProblemKind) {
        self.0
            .push(Problem::new(kind, hole.span(), template.inner(hole)));
    }
}

/// Writes a usable value: text encoded for its place, numbers in plain decimal notation.
#[inline(always)]
fn write_value<K: Sink>(
    sink: &mut K,
    window: &mut Window,
    value: Value<'_>,
    place: Place,
) -> fmt::Result {
    match value {
        Value::Str(text) => write_encoded(sink, window, set_for(place), text),
        number => write_plain(sink, number),
    }
}

/// Writes a value as it is: numbers in plain decimal notation, text unencoded. What expansion
/// writes for a number, and what `map` compares a number's text with.
#[inline(always)]
pub(crate) fn write_plain<W: fmt::Write + ?Sized>(out: &mut W, value: Value<'_>) -> fmt::Result {
    match value {
        Value::Str(text) | Value::Raw(text) => out.write_str(text),
        Value::Int(n) => out.write_str(integer(&mut [0; INTEGER_LEN], n.unsigned_abs(), n < 0)),
        Value::UInt(n) => out.write_str(integer(&mut [0; INTEGER_LEN], n, false)),
        // `Display` for floats never uses exponent form: 1e21 is written in full.
        Value::Float(x) => write!(out, "{x}"),
        Value::Decimal(d) => out.write_str(d.format(&mut [0; Decimal::MAX_LEN])),
    }
}

/// Where an expansion is written: text, and the ASCII the encoder writes.
trait Sink: fmt::Write {
    /// Writes `text[start..end]`: the literal text between two holes.
    fn literal(&mut self, text: &str, start: usize, end: usize) -> fmt::Result;

    fn write_ascii(&mut self, ascii: &[u8]) -> fmt::Result;
}

/// Writes `text` percent-encoded with `set`: the prefix that needs no encoding as it is, the
/// rest a block at a time through a window on the stack.
#[inline(always)]
fn write_encoded<K: Sink>(sink: &mut K, window: &mut Window, set: &Set, text: &str) -> fmt::Result {
    let (clean, rest) = text.split_at(set.clean_prefix(text.as_bytes()));
    sink.write_str(clean)?;
    if rest.is_empty() {
        return Ok(());
    }
    let window = window.get_or_insert([0; WINDOW]);
    for block in rest.as_bytes().chunks(BLOCK) {
        let len = set.encode_block(window, block);
        sink.write_ascii(window.get(..len).unwrap_or_default())?;
    }
    Ok(())
}

/// Writes `text` with its ASCII letters in `case`, encoded with `set` or, without one, as it
/// is: through a buffer on the stack, a block at a time, each block cut on a char boundary so
/// that it stays text.
fn write_text<K: Sink>(
    sink: &mut K,
    window: &mut Window,
    set: Option<&Set>,
    text: &str,
    case: Case,
) -> fmt::Result {
    if case == Case::Keep {
        return match set {
            Some(set) => write_encoded(sink, window, set, text),
            None => sink.write_str(text),
        };
    }
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = rest.len().min(BLOCK);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (block, tail) = rest.split_at(cut);
        let mut buf = [0; BLOCK];
        for (to, byte) in buf.iter_mut().zip(block.bytes()) {
            *to = case.apply(byte);
        }
        // Changing the case of ASCII letters keeps UTF-8 valid.
        let block = buf
            .get(..cut)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or_default();
        match set {
            Some(set) => write_encoded(sink, window, set, block)?,
            None => sink.write_str(block)?,
        }
        rest = tail;
    }
    Ok(())
}

/// The encoder's window, zeroed the first time an expansion needs it.
type Window = Option<[u8; WINDOW]>;

/// A `Vec<u8>`: text and ASCII are copied as they are.
struct Bytes<'o>(&'o mut Vec<u8>);

impl fmt::Write for Bytes<'_> {
    #[inline(always)]
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0.extend_from_slice(text.as_bytes());
        Ok(())
    }
}

impl Sink for Bytes<'_> {
    /// Bytes need no check that the range falls on char boundaries.
    #[inline(always)]
    fn literal(&mut self, text: &str, start: usize, end: usize) -> fmt::Result {
        self.0
            .extend_from_slice(text.as_bytes().get(start..end).unwrap_or_default());
        Ok(())
    }

    #[inline(always)]
    fn write_ascii(&mut self, ascii: &[u8]) -> fmt::Result {
        self.0.extend_from_slice(ascii);
        Ok(())
    }
}

/// Any `fmt::Write`, a `String` among them: the encoder's ASCII is checked as UTF-8, block by
/// block, to be written as text.
struct Text<'o, W: ?Sized>(&'o mut W);

impl<W: fmt::Write + ?Sized> fmt::Write for Text<'_, W> {
    #[inline(always)]
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0.write_str(text)
    }
}

impl<W: fmt::Write + ?Sized> Sink for Text<'_, W> {
    #[inline(always)]
    fn literal(&mut self, text: &str, start: usize, end: usize) -> fmt::Result {
        self.0.write_str(text.get(start..end).unwrap_or_default())
    }

    #[inline(always)]
    fn write_ascii(&mut self, ascii: &[u8]) -> fmt::Result {
        self.0
            .write_str(core::str::from_utf8(ascii).map_err(|_| fmt::Error)?)
    }
}

/// A sink after a `%` that the template leaves open (`%2{t1}`): the value's first byte, if it
/// is a hex digit, is percent-encoded, so that no value completes an escape the template began
/// (`%2` and `e` would read as `.`, and climb the path). Decoding gives the same text.
struct Guard<'s, K> {
    sink: &'s mut K,
    /// How many hex digits the `%` still waits for.
    open: u8,
}

impl<K: Sink> Guard<'_, K> {
    /// Encodes the first byte of the value if it is a hex digit: after it the template's `%`
    /// is followed by another `%` or by something else than a hex digit, and stays broken.
    /// Returns the rest of `text`.
    fn close<'t>(&mut self, text: &'t [u8]) -> Result<&'t [u8], fmt::Error> {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let (true, Some((&byte, rest))) = (self.open > 0, text.split_first()) else {
            return Ok(text);
        };
        self.open = 0;
        if !byte.is_ascii_hexdigit() {
            return Ok(text);
        }
        self.sink.write_ascii(&[
            b'%',
            HEX[usize::from(byte >> 4)],
            HEX[usize::from(byte & 15)],
        ])?;
        Ok(rest)
    }
}

impl<K: Sink> fmt::Write for Guard<'_, K> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let rest = self.close(text.as_bytes())?;
        // Only ASCII hex digits were taken, so the rest starts on a char boundary.
        self.sink
            .write_str(text.get(text.len() - rest.len()..).unwrap_or_default())
    }
}

impl<K: Sink> Sink for Guard<'_, K> {
    fn literal(&mut self, text: &str, start: usize, end: usize) -> fmt::Result {
        fmt::Write::write_str(self, text.get(start..end).unwrap_or_default())
    }

    fn write_ascii(&mut self, ascii: &[u8]) -> fmt::Result {
        let rest = self.close(ascii)?;
        self.sink.write_ascii(rest)
    }
}

/// The longest integer: `-9223372036854775808`, or `u64::MAX` with 20 digits.
const INTEGER_LEN: usize = 20;

/// Formats an integer in decimal into `buf`, without going through `core::fmt`.
fn integer(buf: &mut [u8; INTEGER_LEN], mut n: u64, negative: bool) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        buf[at] = b'-';
    }
    // Only ASCII digits and '-' were written.
    core::str::from_utf8(&buf[at..]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        let buf = &mut [0; INTEGER_LEN];
        assert_eq!(integer(buf, 0, false), "0");
        assert_eq!(integer(buf, 7, true), "-7");
        assert_eq!(integer(buf, u64::MAX, false), "18446744073709551615");
        assert_eq!(
            integer(buf, i64::MIN.unsigned_abs(), true),
            "-9223372036854775808"
        );
    }
}
