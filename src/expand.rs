//! Expansion: the template's literals and its tokens' values, encoded, into one string.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::encode::{self, AUTHORITY, COMPONENT};
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
    pub fn expand_into<S: TokenSource + ?Sized>(&self, source: &S, out: &mut String) {
        // Writing to a `String` cannot fail.
        let _ = self.write_to(source, out);
    }

    /// Writes the expansion to any [`fmt::Write`]; see [`expand_into`](Template::expand_into).
    /// Fails only when `out` does.
    pub fn write_to<S, W>(&self, source: &S, out: &mut W) -> fmt::Result
    where
        S: TokenSource + ?Sized,
        W: fmt::Write + ?Sized,
    {
        self.run(source, out, &mut Fallback(self.missing()))
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
        let _ = self.run(source, out, &mut problems);
        match problems.0.is_empty() {
            true => Ok(()),
            false => {
                out.truncate(len);
                Err(ExpandError::new(problems.0))
            }
        }
    }

    /// The one expansion loop: literals, then each hole's value, or `unusable`'s choice.
    fn run<S, W, U>(&self, source: &S, out: &mut W, unusable: &mut U) -> fmt::Result
    where
        S: TokenSource + ?Sized,
        W: fmt::Write + ?Sized,
        U: Unusable,
    {
        let text = self.as_str();
        let mut literal = 0;
        for hole in self.holes() {
            let (start, end) = (hole.start as usize, hole.end as usize);
            out.write_str(text.get(literal..start).unwrap_or_default())?;
            literal = end;
            let Some(token) = self.token(hole) else {
                out.write_str(self.escaped(hole))?;
                continue;
            };
            match source.value(&token).ok_or(ProblemKind::Missing) {
                Ok(value) => match usable(value, hole.place) {
                    Ok(()) => write_value(out, value, hole.place)?,
                    Err(kind) => unusable.handle(self, hole, kind, out)?,
                },
                Err(kind) => unusable.handle(self, hole, kind, out)?,
            }
        }
        out.write_str(text.get(literal..).unwrap_or_default())
    }
}

/// Whether `value` can be written at `place` without changing the URL's structure.
fn usable(value: Value<'_>, place: Place) -> Result<(), ProblemKind> {
    match value {
        Value::Str("") | Value::Raw("") => Err(ProblemKind::Empty),
        Value::Str(text) if place == Place::Path && text.bytes().all(|b| b == b'.') => {
            Err(ProblemKind::DotSegment)
        }
        Value::Float(x) if !x.is_finite() => Err(ProblemKind::NotFinite),
        _ => Ok(()),
    }
}

/// What expansion does with a token that has no usable value.
trait Unusable {
    fn handle<W: fmt::Write + ?Sized>(
        &mut self,
        template: &Template<'_>,
        hole: &Hole,
        kind: ProblemKind,
        out: &mut W,
    ) -> fmt::Result;
}

/// The lenient expansion: write what the [`Missing`] policy says, and keep the token's text
/// in the authority, where nothing would move the host into the path.
struct Fallback(Missing);

impl Unusable for Fallback {
    fn handle<W: fmt::Write + ?Sized>(
        &mut self,
        template: &Template<'_>,
        hole: &Hole,
        _: ProblemKind,
        out: &mut W,
    ) -> fmt::Result {
        match (self.0, hole.place) {
            (Missing::Keep, _) | (_, Place::Authority) => out.write_str(
                template
                    .as_str()
                    .get(hole.span().range())
                    .unwrap_or_default(),
            ),
            (Missing::Empty, _) => Ok(()),
        }
    }
}

/// The checked expansion: note the problem; the output is discarded.
struct Collect(Vec<Problem>);

impl Unusable for Collect {
    fn handle<W: fmt::Write + ?Sized>(
        &mut self,
        template: &Template<'_>,
        hole: &Hole,
        kind: ProblemKind,
        _: &mut W,
    ) -> fmt::Result {
        self.0
            .push(Problem::new(kind, hole.span(), template.inner(hole)));
        Ok(())
    }
}

/// Writes a usable value: text encoded for its place, numbers in plain decimal notation.
fn write_value<W: fmt::Write + ?Sized>(out: &mut W, value: Value<'_>, place: Place) -> fmt::Result {
    match value {
        Value::Str(text) => {
            let set = match place {
                Place::Authority => AUTHORITY,
                Place::Path | Place::Query | Place::Fragment => COMPONENT,
            };
            encode::encode(out, text, set)
        }
        Value::Raw(text) => out.write_str(text),
        Value::Int(n) => write_integer(out, n.unsigned_abs(), n < 0),
        Value::UInt(n) => write_integer(out, n, false),
        // `Display` for floats never uses exponent form: 1e21 is written in full.
        Value::Float(x) => write!(out, "{x}"),
        Value::Decimal(d) => out.write_str(d.format(&mut [0; crate::Decimal::MAX_LEN])),
    }
}

/// Writes an integer in decimal, without going through `core::fmt`.
fn write_integer<W: fmt::Write + ?Sized>(out: &mut W, mut n: u64, negative: bool) -> fmt::Result {
    // u64::MAX has 20 digits, and one more for the sign.
    let mut buf = [0u8; 21];
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
    out.write_str(core::str::from_utf8(&buf[at..]).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn integer(n: u64, negative: bool) -> String {
        let mut out = String::new();
        write_integer(&mut out, n, negative).unwrap();
        out
    }

    #[test]
    fn integers() {
        assert_eq!(integer(0, false), "0");
        assert_eq!(integer(7, true), "-7");
        assert_eq!(integer(u64::MAX, false), "18446744073709551615");
        assert_eq!(
            integer(i64::MIN.unsigned_abs(), true),
            "-9223372036854775808"
        );
    }
}
