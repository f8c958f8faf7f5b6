//! Expansion: the template's literals and its tokens' values, encoded, into one string.
//!
//! One pass over the holes of the template: the literal before each hole is copied, then the
//! hole's value is asked for, checked and written. A value whose bytes all pass is copied as it
//! is; one that needs encoding is encoded by index into a stack buffer, a block at a time, and
//! copied from there. The same loop writes to a `Vec<u8>` and to any [`fmt::Write`], a
//! `String` among them.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use crate::decimal::Decimal;
use crate::encode::{AUTHORITY_SET, COMPONENT_SET, Set};
use crate::error::{ExpandError, Problem, ProblemKind};
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
    ///
    /// Into an empty `out` (a cleared buffer, the usual case) the expansion is written by index
    /// and checked as UTF-8 once, like [`expand_into_vec`] and a `String::from_utf8`; appended
    /// to existing text, it is written in chunks, so the text already there is not checked
    /// again.
    ///
    /// [`expand_into_vec`]: Template::expand_into_vec
    pub fn expand_into<S: TokenSource + ?Sized>(&self, source: &S, out: &mut String) {
        if out.is_empty() {
            let mut bytes = core::mem::take(out).into_bytes();
            self.expand_into_vec(source, &mut bytes);
            *out = into_string(bytes);
        } else {
            // Writing to a `String` cannot fail.
            let _ = self.write_to(source, out);
        }
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
    pub fn expand_into_vec<S: TokenSource + ?Sized>(&self, source: &S, out: &mut Vec<u8>) {
        let mut bytes = Bytes::new(out, self.as_str().len());
        // Writing to a `Vec` cannot fail.
        let _ = self.fill(source, &mut bytes, &mut Fallback(self.missing()));
        bytes.finish();
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
        let text = self.as_str();
        let mut literal = 0;
        for hole in self.holes() {
            sink.literal(text, literal..hole.start as usize)?;
            literal = hole.end as usize;
            let Some(token) = self.token(hole) else {
                sink.write_str(self.escaped(hole))?;
                continue;
            };
            let value = source.value(&token).ok_or(ProblemKind::Missing);
            match value.and_then(|value| usable(value, hole.place)) {
                Ok(value) => write_value(sink, value, hole.place)?,
                Err(kind) => sink.write_str(unusable.fill(self, hole, kind))?,
            }
        }
        sink.literal(text, literal..text.len())
    }
}

/// Turns expanded bytes back into a `String`.
fn into_string(bytes: Vec<u8>) -> String {
    // Every byte written came from a `&str` or is ASCII, so this never fails; if it did, the
    // result would still be safe text.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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

/// What expansion does with a token that has no usable value.
trait Unusable {
    /// What to write in the token's place.
    fn fill<'t>(&mut self, template: &'t Template<'_>, hole: &Hole, kind: ProblemKind) -> &'t str;
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
}

/// The checked expansion: note the problem; the caller discards the output.
struct Collect(Vec<Problem>);

impl Unusable for Collect {
    fn fill<'t>(&mut self, template: &'t Template<'_>, hole: &Hole, kind: ProblemKind) -> &'t str {
        self.0
            .push(Problem::new(kind, hole.span(), template.inner(hole)));
        ""
    }
}

/// Writes a usable value: text encoded for its place, numbers in plain decimal notation.
#[inline(always)]
fn write_value<K: Sink>(sink: &mut K, value: Value<'_>, place: Place) -> fmt::Result {
    match value {
        Value::Str(text) => {
            let set = match place {
                Place::Authority => &AUTHORITY_SET,
                Place::Path | Place::Query | Place::Fragment => &COMPONENT_SET,
            };
            sink.encoded(set, text)
        }
        Value::Raw(text) => sink.write_str(text),
        Value::Int(n) => sink.write_str(integer(&mut [0; INTEGER_LEN], n.unsigned_abs(), n < 0)),
        Value::UInt(n) => sink.write_str(integer(&mut [0; INTEGER_LEN], n, false)),
        // `Display` for floats never uses exponent form: 1e21 is written in full.
        Value::Float(x) => write!(sink, "{x}"),
        Value::Decimal(d) => sink.write_str(d.format(&mut [0; Decimal::MAX_LEN])),
    }
}

/// Where an expansion is written.
trait Sink: fmt::Write {
    /// Writes the literal `text[range]`.
    fn literal(&mut self, text: &str, range: Range<usize>) -> fmt::Result;

    /// Writes `text` percent-encoded with `set`.
    fn encoded(&mut self, set: &Set, text: &str) -> fmt::Result;
}

/// Bytes written by index into a `Vec` that is grown ahead of them, zeroed, and cut to what
/// was written when the expansion ends: a write is one check that the room suffices and one
/// copy, with no capacity check per byte.
struct Bytes<'o> {
    out: &'o mut Vec<u8>,
    /// Where the next byte goes: the bytes from here on are room, not output.
    at: usize,
}

impl<'o> Bytes<'o> {
    /// How much the room grows beyond what a write needs, so that most writes find room.
    const AHEAD: usize = 256;

    /// Writes after what `out` holds, with room for `estimate` bytes to begin with.
    fn new(out: &'o mut Vec<u8>, estimate: usize) -> Bytes<'o> {
        let at = out.len();
        out.resize(at.saturating_add(estimate).saturating_add(Self::AHEAD), 0);
        Bytes { out, at }
    }

    /// The room from `at` on, at least `len` bytes of it.
    #[inline(always)]
    fn room(&mut self, len: usize) -> &mut [u8] {
        if self.out.len() - self.at < len {
            self.out
                .resize(self.at.saturating_add(len).saturating_add(Self::AHEAD), 0);
        }
        &mut self.out[self.at..]
    }

    /// Cuts the room off: the `Vec` holds what was written.
    fn finish(self) {
        self.out.truncate(self.at);
    }
}

impl fmt::Write for Bytes<'_> {
    #[inline(always)]
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let len = text.len();
        self.room(len)[..len].copy_from_slice(text.as_bytes());
        self.at += len;
        Ok(())
    }
}

impl Sink for Bytes<'_> {
    #[inline(always)]
    fn literal(&mut self, text: &str, range: Range<usize>) -> fmt::Result {
        let literal = text.as_bytes().get(range).unwrap_or_default();
        let len = literal.len();
        self.room(len)[..len].copy_from_slice(literal);
        self.at += len;
        Ok(())
    }

    #[inline(always)]
    fn encoded(&mut self, set: &Set, text: &str) -> fmt::Result {
        let text = text.as_bytes();
        let clean = set.clean_prefix(text);
        let (head, tail) = text.split_at(clean);
        let encoded = match tail.is_empty() {
            true => {
                self.room(clean)[..clean].copy_from_slice(head);
                0
            }
            false => {
                let room = self.room(clean + Set::room(tail.len()));
                room[..clean].copy_from_slice(head);
                set.encode_into(&mut room[clean..], tail)
            }
        };
        self.at += clean + encoded;
        Ok(())
    }
}

/// Any `fmt::Write`, a `String` among them, written in chunks.
struct Text<'o, W: ?Sized>(&'o mut W);

impl<W: fmt::Write + ?Sized> fmt::Write for Text<'_, W> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.0.write_str(text)
    }
}

impl<W: fmt::Write + ?Sized> Sink for Text<'_, W> {
    fn literal(&mut self, text: &str, range: Range<usize>) -> fmt::Result {
        self.0.write_str(text.get(range).unwrap_or_default())
    }

    /// The clean prefix as it is, the rest encoded a block at a time into a stack buffer.
    fn encoded(&mut self, set: &Set, text: &str) -> fmt::Result {
        let (head, tail) = text.split_at(set.clean_prefix(text.as_bytes()));
        self.0.write_str(head)?;
        if tail.is_empty() {
            return Ok(());
        }
        let mut buf = [0; Set::room(BLOCK)];
        for block in tail.as_bytes().chunks(BLOCK) {
            let len = set.encode_into(&mut buf, block);
            // The encoder writes ASCII only.
            let ascii = buf
                .get(..len)
                .and_then(|ascii| core::str::from_utf8(ascii).ok());
            self.0.write_str(ascii.unwrap_or_default())?;
        }
        Ok(())
    }
}

/// How much text [`Text`] encodes at a time.
const BLOCK: usize = 64;

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
