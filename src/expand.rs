//! Expansion: the template's literals and its tokens' values, encoded, into one string.
//!
//! One pass over the holes of the template: the literal before each hole is copied, then the
//! hole's value is asked for, checked and written. Everything is written by index into a
//! [`Buffer`] on the stack, which goes to its output, a `Vec<u8>` or any [`fmt::Write`] (a
//! `String` among them), whenever the next piece would not fit, and at the end. Short pieces
//! are copied with fixed-size overlapping stores, not `memcpy`; the part of a value that needs
//! no encoding is checked eight bytes at a time and copied as it is, the rest is encoded a
//! byte at a time through a table (see [`Set`]).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::compiled::{Hole, Modifier};
use crate::encode::{CAP, Set, Stack};
use crate::error::{ExpandError, Problem, ProblemKind};
use crate::modifier::{self, Case, Val};
use crate::place::Place;
use crate::source::{TokenSource, Value};
use crate::template::Template;

/// What the lenient expansion writes for a token that has no usable value.
///
/// A value is unusable when the [`TokenSource`] has none, when it is empty, when it is a float
/// that is not finite, when it would make a `.` or `..` path segment, or when a `percent` or
/// `round` modifier cannot apply to it. [`Template::expand`] and its siblings write nothing for
/// such a token; [`Template::expand_with`] and [`Template::write_with`] take the policy, for a
/// preview that shows what a click lacked; the checked expansion
/// ([`Template::try_expand`]) reports such tokens instead.
///
/// Where writing nothing could change the URL, the token's text is kept whatever the policy
/// says, encoded so that it changes nothing either: in the authority (`https://{domain}/`),
/// so that the host never moves into the path; in a path segment whose literal text is dots
/// (`/.{t1}/` would be `/./`); after a `%` the template leaves open (`%2{t1}e` would be
/// `%2e`). In the host such text names no host a request could reach.
///
/// ```
/// use postback::{Missing, Template};
///
/// let template = Template::parse("https://t.example/pb?tag={externalid}&v=1")?;
/// assert_eq!(template.expand(&[("payout", "1")]), "https://t.example/pb?tag=&v=1");
/// assert_eq!(
///     template.expand_with(&[("payout", "1")], Missing::Keep),
///     "https://t.example/pb?tag={externalid}&v=1",
/// );
/// # Ok::<(), postback::ParseError>(())
/// ```
///
/// With the `serde` feature, a policy is its name in lowercase, for a tracker's settings:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::Missing;
///
/// let policy: Missing = serde_json::from_str(r#""keep""#)?;
/// assert_eq!(policy, Missing::Keep);
/// assert_eq!(serde_json::to_string(&Missing::Empty)?, r#""empty""#);
/// assert!(serde_json::from_str::<Missing>(r#""drop""#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "lowercase")
)]
#[non_exhaustive]
pub enum Missing {
    /// Write nothing: `&tag={externalid}` becomes `&tag=`. The default.
    #[default]
    Empty,
    /// Keep the token as written, delimiters included: `&tag={externalid}` stays as it is.
    Keep,
}

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
    /// One `String`, cleared between conversions, serves them all:
    ///
    /// ```
    /// use postback::Template;
    ///
    /// let template = Template::parse("https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}")?;
    /// let mut url = String::new();
    /// for (id, expected) in [
    ///     ("ck-1", "https://s.magsrv.com/tag.php?goal=4f1b2c&tag=ck-1"),
    ///     ("ck/2", "https://s.magsrv.com/tag.php?goal=4f1b2c&tag=ck%2F2"),
    /// ] {
    ///     url.clear();
    ///     template.expand_into(&[("externalid", id)], &mut url);
    ///     assert_eq!(url, expected);
    /// }
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    ///
    /// A token without a usable value (missing, empty, a float that is not finite, a path
    /// value of only dots, a share `percent` cannot take) is written as nothing, as
    /// [`Missing::Empty`] says, unless writing nothing would change the URL (see [`Missing`]):
    /// then its text is kept. Expansion is one pass, and a value's text is never scanned for
    /// tokens: a value of `{payout}` is written as that text, encoded. Once `out` has grown to
    /// fit, nothing is allocated.
    #[inline]
    pub fn expand_into<S: TokenSource + ?Sized>(&self, source: &S, out: &mut String) {
        // Writing to a `String` cannot fail.
        let _ = self.write_to(source, out);
    }

    /// Appends the expansion to `out` as UTF-8 bytes, for hosts that send bytes anyway: it
    /// saves checking the output as UTF-8. See [`expand_into`](Template::expand_into).
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
        let _ = self.fill(source, &mut Buffer::new(out), &mut Fallback(Missing::Empty));
    }

    /// Writes the expansion to any [`fmt::Write`]; see [`expand_into`](Template::expand_into).
    ///
    /// A `Display` implementation can write a postback without a `String` of its own:
    ///
    /// ```
    /// use core::fmt;
    /// use postback::Template;
    ///
    /// struct Postback<'a>(&'a Template<'a>, &'a str);
    ///
    /// impl fmt::Display for Postback<'_> {
    ///     fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    ///         self.0.write_to(&[("externalid", self.1)], f)
    ///     }
    /// }
    ///
    /// let template = Template::parse("https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}")?;
    /// let line = format!("firing {}", Postback(&template, "ck 1"));
    /// assert_eq!(line, "firing https://s.magsrv.com/tag.php?goal=4f1b2c&tag=ck%201");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Fails only when `out` does; the expansion itself cannot fail.
    pub fn write_to<S, W>(&self, source: &S, out: &mut W) -> fmt::Result
    where
        S: TokenSource + ?Sized,
        W: fmt::Write + ?Sized,
    {
        self.write_with(source, Missing::Empty, out)
    }

    /// Expands the template into a new `String`, writing what `missing` says for tokens
    /// without a usable value: [`Missing::Keep`] keeps their text, for a preview. See
    /// [`Missing`].
    ///
    /// ```
    /// use postback::{Missing, Template};
    ///
    /// let template = Template::parse(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// )?;
    /// // A test conversion in the tracker's UI, before any click came: the preview shows the gap.
    /// let preview = template.expand_with(&[("payout", "0.50")], Missing::Keep);
    /// assert_eq!(preview, "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value=0.50");
    /// let sent = template.expand_with(&[("payout", "0.50")], Missing::Empty);
    /// assert_eq!(sent, template.expand(&[("payout", "0.50")]));
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn expand_with<S: TokenSource + ?Sized>(&self, source: &S, missing: Missing) -> String {
        let mut out = String::with_capacity(self.as_str().len() + 64);
        // Writing to a `String` cannot fail.
        let _ = self.write_with(source, missing, &mut out);
        out
    }

    /// Writes the expansion to any [`fmt::Write`], writing what `missing` says for tokens
    /// without a usable value.
    ///
    /// ```
    /// use postback::{Missing, Template, Value};
    ///
    /// let template = Template::parse("https://t.example/pb?id={externalid}&p={payout}")?;
    /// let mut preview = String::from("preview: ");
    /// template.write_with(&[("payout", Value::Int(2))], Missing::Keep, &mut preview)?;
    /// assert_eq!(preview, "preview: https://t.example/pb?id={externalid}&p=2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// Fails only when `out` does; the expansion itself cannot fail.
    pub fn write_with<S, W>(&self, source: &S, missing: Missing, out: &mut W) -> fmt::Result
    where
        S: TokenSource + ?Sized,
        W: fmt::Write + ?Sized,
    {
        self.fill(source, &mut Buffer::new(Text(out)), &mut Fallback(missing))
    }

    /// Expands the template into a new `String`, or fails with every token that has no usable
    /// value. See [`try_expand_into`](Template::try_expand_into).
    ///
    /// ```
    /// use postback::{Template, Value};
    ///
    /// let template = Template::parse(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// )?;
    /// let conversion = [
    ///     ("externalid", Value::Str("ck-1")),
    ///     ("payout", Value::Decimal("0.50".parse()?)),
    /// ];
    /// let url = template.try_expand(&conversion)?;
    /// assert_eq!(url, "https://s.magsrv.com/tag.php?goal=4f1b2c&tag=ck-1&value=0.50");
    ///
    /// // Without the click id ExoClick cannot attribute the conversion: nothing is sent.
    /// let err = template.try_expand(&[("payout", Value::Int(1))]).unwrap_err();
    /// assert_eq!(err.problems()[0].token(), "externalid");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An [`ExpandError`] with every token that has no usable value, in order.
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
    ///
    /// # Errors
    ///
    /// An [`ExpandError`] with every token that has no usable value, in order; `out` is then as
    /// it was.
    pub fn try_expand_into<S: TokenSource + ?Sized>(
        &self,
        source: &S,
        out: &mut String,
    ) -> Result<(), ExpandError> {
        let len = out.len();
        let mut problems = Collect(Vec::new());
        // Writing to a `String` cannot fail.
        let _ = self.fill(source, &mut Buffer::new(Text(out)), &mut problems);
        match problems.0.is_empty() {
            true => Ok(()),
            false => {
                out.truncate(len);
                Err(ExpandError::new(problems.0))
            }
        }
    }

    /// The one expansion loop: each literal, then each hole's value or `unusable`'s choice.
    fn fill<S, O, U>(&self, source: &S, buffer: &mut Buffer<O>, unusable: &mut U) -> fmt::Result
    where
        S: TokenSource + ?Sized,
        O: Output,
        U: Unusable,
    {
        // Most templates leave no `%` open before a token: their loop has nothing to track.
        match self.leaves_escapes_open() {
            false => self.fill_with::<false, S, O, U>(source, buffer, unusable),
            true => self.fill_with::<true, S, O, U>(source, buffer, unusable),
        }?;
        buffer.flush()
    }

    /// [`fill`](Template::fill), tracking the escapes the template leaves open if `OPEN`.
    #[inline(always)]
    fn fill_with<const OPEN: bool, S, O, U>(
        &self,
        source: &S,
        buffer: &mut Buffer<O>,
        unusable: &mut U,
    ) -> fmt::Result
    where
        S: TokenSource + ?Sized,
        O: Output,
        U: Unusable,
    {
        let text = self.as_str();
        let mut literal = 0;
        // The modifiers not yet applied, and the hole the first of them belongs to.
        let mut modifiers = self.modifiers();
        let mut modified = modifiers.first().map_or(u32::MAX, |m| m.hole);
        // How many hex digits a `%` just written still waits for: the next value must not
        // supply them.
        let mut open = 0;
        for (index, hole) in (0..).zip(self.holes()) {
            buffer.literal(text, literal, hole.start as usize)?;
            if OPEN {
                open = hole.open_after(open);
            }
            literal = hole.end as usize;
            let Some(token) = self.token(hole) else {
                let escaped = self.escaped(hole);
                buffer.put(escaped.as_bytes())?;
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
                self.fill_plain(buffer, unusable, hole, value, false)?;
                continue;
            }
            let guard = &mut Guard {
                sink: &mut *buffer,
                open,
            };
            self.fill_rare(guard, unusable, hole, these, value)?;
            open = guard.open;
        }
        buffer.literal(text, literal, text.len())
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
        unusable: &mut U,
        hole: &Hole,
        modifiers: &[Modifier],
        value: Option<Value<'_>>,
    ) -> fmt::Result {
        let open = guard.open > 0;
        match modifiers.is_empty() {
            true => self.fill_plain(guard, unusable, hole, value, open),
            false => self.fill_modified(guard, unusable, hole, modifiers, value, open),
        }
    }

    /// Writes the value of a token without modifiers, or what `unusable` says in its place;
    /// `open` says that a `%` of the template waits for hex digits.
    #[inline(always)]
    fn fill_plain<K: Sink, U: Unusable>(
        &self,
        sink: &mut K,
        unusable: &mut U,
        hole: &Hole,
        value: Option<Value<'_>>,
        open: bool,
    ) -> fmt::Result {
        match value
            .ok_or(ProblemKind::Missing)
            .and_then(|v| usable(v, hole.place))
        {
            Ok(value) => write_value(sink, value, hole.place),
            Err(kind) => self.fill_unusable(sink, unusable, hole, kind, open),
        }
    }

    /// Writes what `unusable` says in place of a token without a usable value: nothing, or the
    /// token's own text, encoded so that it changes nothing either ([`Place::kept_set`]).
    ///
    /// The text is kept whatever the policy where nothing would change the URL: in the
    /// authority (the host would move into the path), in a path segment of literal dots (it
    /// would be a dot segment), and after a `%` of the template that waits for hex digits (the
    /// text after the token could supply them: `%2{t1}e` would be `%2e`, a dot).
    #[inline(never)]
    fn fill_unusable<K: Sink, U: Unusable>(
        &self,
        sink: &mut K,
        unusable: &mut U,
        hole: &Hole,
        kind: ProblemKind,
        open: bool,
    ) -> fmt::Result {
        let must = open || hole.place.keeps_text();
        match unusable.keeps(self, hole, kind, must) {
            false => Ok(()),
            true => {
                let text = self.as_str().get(hole.span().range()).unwrap_or_default();
                sink.write_encoded(hole.place.kept_set(), text)
            }
        }
    }

    /// Writes the value of a token that has modifiers.
    #[inline(always)]
    fn fill_modified<K: Sink, U: Unusable>(
        &self,
        sink: &mut K,
        unusable: &mut U,
        hole: &Hole,
        modifiers: &[Modifier],
        value: Option<Value<'_>>,
        open: bool,
    ) -> fmt::Result {
        let applied = modifier::apply(self.as_str(), modifiers, value);
        match usable_modified(applied.value, applied.raw, hole.place) {
            Ok(Val::Text(value, case)) => {
                let set = (!applied.raw).then(|| hole.place.set());
                write_text(sink, set, value, case)
            }
            Ok(Val::Number(value)) => write_value(sink, value, hole.place),
            Ok(Val::Short(short, case)) => {
                let set = (!applied.raw).then(|| hole.place.set());
                write_text(sink, set, short.as_str(), case)
            }
            // `usable_modified` refuses a missing value: both are unusable.
            Ok(Val::Missing(kind)) | Err(kind) => {
                self.fill_unusable(sink, unusable, hole, kind, open)
            }
        }
    }
}

/// Whether `value` can be written at `place` without changing the URL's structure.
#[inline(always)]
pub(crate) fn usable(value: Value<'_>, place: Place) -> Result<Value<'_>, ProblemKind> {
    match value {
        Value::Str("") | Value::Raw("") => Err(ProblemKind::Empty),
        Value::Str(text) if place.is_path() && text.bytes().all(|b| b == b'.') => {
            Err(ProblemKind::DotSegment)
        }
        Value::Float(x) if !x.is_finite() => Err(ProblemKind::NotFinite),
        _ => Ok(value),
    }
}

/// Whether a value that went through modifiers can be written at `place`: as [`usable`], with
/// the `raw` modifier's text exempt from the path's dot rule like [`Value::Raw`].
#[inline(always)]
pub(crate) fn usable_modified(
    value: Val<'_>,
    raw: bool,
    place: Place,
) -> Result<Val<'_>, ProblemKind> {
    let checked = match value {
        Val::Missing(why) => return Err(why),
        Val::Text(text, _) if raw => Value::Raw(text),
        Val::Short(ref short, _) if raw => Value::Raw(short.as_str()),
        // Case changes no dot and no length: the rules see the text as it stands.
        Val::Text(text, _) => Value::Str(text),
        // A digest, or a date, whose format may be all dots.
        Val::Short(ref short, _) => Value::Str(short.as_str()),
        Val::Number(number) => number,
    };
    usable(checked, place).map(|_| value)
}

/// What expansion does with a token that has no usable value.
trait Unusable {
    /// Whether to write the token's own text in its place (`true`) or nothing; `must` says
    /// that writing nothing would change the URL.
    fn keeps(
        &mut self,
        template: &Template<'_>,
        hole: &Hole,
        kind: ProblemKind,
        must: bool,
    ) -> bool;
}

/// The lenient expansion: write what the [`Missing`] policy says, and keep the token's text
/// where writing nothing would change the URL.
struct Fallback(Missing);

impl Unusable for Fallback {
    fn keeps(&mut self, _: &Template<'_>, _: &Hole, _: ProblemKind, must: bool) -> bool {
        must || self.0 == Missing::Keep
    }
}

/// The checked expansion: note the problem; the caller discards the output.
struct Collect(Vec<Problem>);

impl Unusable for Collect {
    fn keeps(&mut self, template: &Template<'_>, hole: &Hole, kind: ProblemKind, _: bool) -> bool {
        self.0
            .push(Problem::new(kind, hole.span(), template.inner(hole)));
        false
    }
}

/// Writes a usable value: text encoded for its place, numbers in plain decimal notation.
#[inline(always)]
fn write_value<K: Sink>(sink: &mut K, value: Value<'_>, place: Place) -> fmt::Result {
    match value {
        Value::Str(text) => sink.write_encoded(place.set(), text),
        number => number.write_plain(sink),
    }
}

/// Where an expansion is written: text as it is, and text percent-encoded.
trait Sink: fmt::Write {
    /// Writes `text` percent-encoded with `set`.
    fn write_encoded(&mut self, set: &Set, text: &str) -> fmt::Result;
}

/// Writes `text` with its ASCII letters in `case`, encoded with `set` or, without one, as it
/// is: through a buffer on the stack, a block at a time, each block cut on a char boundary so
/// that it stays text.
fn write_text<K: Sink>(sink: &mut K, set: Option<&Set>, text: &str, case: Case) -> fmt::Result {
    if case == Case::Keep {
        return match set {
            Some(set) => sink.write_encoded(set, text),
            None => sink.write_str(text),
        };
    }
    let mut rest = text;
    while !rest.is_empty() {
        let mut cut = rest.len().min(CASE_BLOCK);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (block, tail) = rest.split_at(cut);
        let mut buf = [0; CASE_BLOCK];
        for (to, byte) in buf.iter_mut().zip(block.bytes()) {
            *to = case.apply(byte);
        }
        // Changing the case of ASCII letters keeps UTF-8 valid.
        let block = buf
            .get(..cut)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or_default();
        match set {
            Some(set) => sink.write_encoded(set, block)?,
            None => sink.write_str(block)?,
        }
        rest = tail;
    }
    Ok(())
}

/// How many bytes of text [`write_text`] changes the case of at once.
const CASE_BLOCK: usize = 64;

/// How many bytes of a value [`Buffer`] encodes at once: their worst case, three bytes out for
/// each, fits the buffer.
const PIECE: usize = CAP / 4;

/// The buffer an expansion is written to, a piece at a time: a [`Stack`], which goes to its
/// output whenever the next piece would not fit, and at the end. Pieces are whole UTF-8 text
/// (a literal, a value's encoding or number, an escape), so the output always gets text.
struct Buffer<O> {
    stack: Stack,
    out: O,
}

impl<O: Output> Buffer<O> {
    fn new(out: O) -> Buffer<O> {
        Buffer {
            stack: Stack::new(),
            out,
        }
    }

    /// Makes room for `need` bytes, at most [`CAP`].
    #[inline(always)]
    fn room(&mut self, need: usize) -> fmt::Result {
        match self.stack.fits(need) {
            true => Ok(()),
            false => self.flush(),
        }
    }

    /// Hands what the buffer holds to its output.
    fn flush(&mut self) -> fmt::Result {
        self.out.take(self.stack.take())
    }

    /// Writes `text[start..end]`: the literal text between two holes. Holes start and end on
    /// char boundaries, so the bytes are whole text.
    ///
    /// Most literals are short (`&value=`) and followed by more of the template: they are
    /// copied as one 16-byte store ([`Stack::copy_wide`]), which needs room for 16 bytes.
    #[inline(always)]
    fn literal(&mut self, text: &str, start: usize, end: usize) -> fmt::Result {
        let len = end.wrapping_sub(start);
        // One bounds check for the 16 bytes (`first_chunk` of the rest costs T1 41 more
        // instructions an expansion, `benches/callgrind.sh expand-t1 100`).
        let wide = text.as_bytes().get(start..start + 16);
        match wide.and_then(|wide| <&[u8; 16]>::try_from(wide).ok()) {
            Some(wide) if len <= 16 => {
                self.room(16)?;
                self.stack.copy_wide(wide, len);
                Ok(())
            }
            _ => self.put(text.as_bytes().get(start..end).unwrap_or_default()),
        }
    }

    /// Writes `text`, whole UTF-8 text, as it is.
    #[inline(always)]
    fn put(&mut self, text: &[u8]) -> fmt::Result {
        if text.len() > CAP {
            return self.put_long(text);
        }
        self.room(text.len())?;
        self.stack.copy(text);
        Ok(())
    }

    /// Text longer than the buffer goes to the output directly, after what the buffer holds.
    #[inline(never)]
    fn put_long(&mut self, text: &[u8]) -> fmt::Result {
        self.flush()?;
        self.out.take(text)
    }

    /// Writes `piece`, at most [`PIECE`] bytes, percent-encoded with `set`.
    #[inline(always)]
    fn put_encoded(&mut self, set: &Set, piece: &[u8]) -> fmt::Result {
        self.room(3 * piece.len())?;
        self.stack.encode(set, piece);
        Ok(())
    }

    /// Writes text longer than a piece percent-encoded with `set`, a piece at a time.
    #[inline(never)]
    fn put_encoded_long(&mut self, set: &Set, text: &[u8]) -> fmt::Result {
        text.chunks(PIECE)
            .try_for_each(|piece| self.put_encoded(set, piece))
    }
}

impl<O: Output> fmt::Write for Buffer<O> {
    #[inline(always)]
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.put(text.as_bytes())
    }
}

impl<O: Output> Sink for Buffer<O> {
    #[inline(always)]
    fn write_encoded(&mut self, set: &Set, text: &str) -> fmt::Result {
        match text.len() > PIECE {
            true => self.put_encoded_long(set, text.as_bytes()),
            false => self.put_encoded(set, text.as_bytes()),
        }
    }
}

/// Where a [`Buffer`]'s bytes go: always whole UTF-8 text.
trait Output {
    /// Takes the next bytes of the expansion, whole UTF-8 text.
    fn take(&mut self, text: &[u8]) -> fmt::Result;
}

/// Bytes are copied as they are.
impl Output for &mut Vec<u8> {
    #[inline(always)]
    fn take(&mut self, text: &[u8]) -> fmt::Result {
        self.extend_from_slice(text);
        Ok(())
    }
}

/// Any `fmt::Write`, a `String` among them: the bytes are checked as UTF-8 on their way.
struct Text<'o, W: ?Sized>(&'o mut W);

impl<W: fmt::Write + ?Sized> Output for Text<'_, W> {
    #[inline(always)]
    fn take(&mut self, text: &[u8]) -> fmt::Result {
        self.0
            .write_str(core::str::from_utf8(text).map_err(|_| fmt::Error)?)
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
    /// Encodes the first byte of `text` if it is a hex digit: after it the template's `%` is
    /// followed by another `%` or by something else than a hex digit, and stays broken.
    /// Returns the rest of `text`.
    fn close<'t>(&mut self, text: &'t str) -> Result<&'t str, fmt::Error> {
        let (true, Some(&byte)) = (self.open > 0, text.as_bytes().first()) else {
            return Ok(text);
        };
        self.open = 0;
        if !byte.is_ascii_hexdigit() {
            return Ok(text);
        }
        write!(self.sink, "%{byte:02X}")?;
        // A hex digit is one byte: the rest starts on a char boundary.
        Ok(text.get(1..).unwrap_or_default())
    }
}

impl<K: Sink> fmt::Write for Guard<'_, K> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let rest = self.close(text)?;
        self.sink.write_str(rest)
    }
}

/// A value's first byte is the first byte of its encoding when it is a hex digit, which
/// passes every set: the guard looks at the text before it is encoded.
impl<K: Sink> Sink for Guard<'_, K> {
    fn write_encoded(&mut self, set: &Set, text: &str) -> fmt::Result {
        let rest = self.close(text)?;
        self.sink.write_encoded(set, rest)
    }
}
