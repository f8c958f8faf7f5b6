//! The parser: the scan that compiles a template into holes, with its options.

use memchr::memmem;

use crate::compiled::{Hole, HoleKind, Holes, Kind, Modifier, Modifiers};
use crate::error::{Fault, Located, ParseError, Span};
use crate::options::{ParseOptions, Syntax, Unknown};
use crate::place::{Place, Reader, bad_char, find1};
use crate::suggest::suggest;
use crate::token::{LONGEST_NAME, Named, Numbered, TNAME, numbered};

/// What reads a template's literal text as the parser goes, and says where each token stands:
/// the URL [`Reader`], or the reader of a request's body or header.
pub(crate) trait Read {
    /// Reads `text`, literal text that starts at byte `at` of the template; returns the index
    /// of the first token that the text makes a path segment of dots (see [`Place::Path`]).
    fn literal(&mut self, text: &str, at: usize) -> Result<Option<usize>, Located>;
    /// Says where the token `span`, the `index`-th hole, stands, or why none may stand there.
    /// Outside a URL, anywhere: a place stands for a query value, which no rule of a place
    /// but the URL's reads.
    fn token(&mut self, span: Span, index: usize) -> Result<Place, Located> {
        let _ = (span, index);
        Ok(Place::Query)
    }
    /// Where an escaped delimiter stands; the delimiter it writes was read as literal text.
    fn escape(&self) -> Place {
        Place::Query
    }
    /// Ends the template, at byte `end`; returns what [`literal`](Read::literal) does.
    fn finish(&mut self, end: usize) -> Result<Option<usize>, Located> {
        let _ = end;
        Ok(None)
    }
    /// Whether an opening delimiter followed by `after` starts a token. In a URL it always
    /// does; in JSON, `{` before a quote, a space or a `}` is the JSON's own.
    #[inline(always)]
    fn opens_token(&self, after: &[u8]) -> bool {
        let _ = after;
        true
    }
}

impl Read for Reader {
    #[inline(always)]
    fn literal(&mut self, text: &str, at: usize) -> Result<Option<usize>, Located> {
        Reader::literal(self, text, at)
    }

    #[inline(always)]
    fn token(&mut self, span: Span, index: usize) -> Result<Place, Located> {
        Reader::token(self, span, index)
    }

    fn escape(&self) -> Place {
        Reader::escape(self)
    }

    fn finish(&mut self, end: usize) -> Result<Option<usize>, Located> {
        Reader::finish(self, end)
    }
}

/// Compiles `src` into `holes`, the parts that expansion fills: tokens and `{{` escapes, with
/// the text between them left in place as literals; `url` reads the literal text (the URL
/// [`Reader`], or a request body's), and is handed back for what it found. It is taken by
/// value so that its state stays in registers through the loop.
///
/// One pass from left to right: each opening delimiter is found with memchr, then its closing
/// delimiter, so every byte is looked at a bounded number of times; the literal text is read
/// by the reader as it goes, so that the first problem from the left is the error. Nothing is
/// allocated unless the template has more holes than fit inline, or fails to parse.
pub(crate) fn compile<R: Read>(
    src: &str,
    options: &ParseOptions,
    holes: &mut Holes,
    modifiers: &mut Modifiers,
    mut url: R,
) -> Result<R, ParseError> {
    if u32::try_from(src.len()).is_err() {
        return Err(ParseError::too_long(src.len()));
    }
    let bytes = src.as_bytes();
    let delimiters = Delimiters::new(options.syntax());
    let (open, close) = (delimiters.open.len(), delimiters.close.len());
    let error = |located: Located| Err(ParseError::new(located, src));

    // Most templates have no `%`: their literals need no scan for an escape left open.
    let percents = memchr::memchr(b'%', bytes).is_some();
    // The end of the last hole: the text from here to the next hole is literal.
    let mut literal = 0;
    // How far the URL reader has read.
    let mut read = 0;
    let mut pos = 0;
    while let Some(found) = delimiters.open_in(&bytes[pos..]) {
        let start = pos + found;
        let inner = start + open;
        if bytes[inner..].starts_with(delimiters.open) {
            // The escape writes one opening delimiter: the reader reads it as literal text.
            let end = inner + open;
            match url.literal(&src[read..inner], read) {
                Ok(mark) => mark_dots(holes, mark),
                Err(err) => return error(err),
            }
            read = end;
            let hole = Hole::new(
                (start, end, 0),
                HoleKind::Escape,
                url.escape(),
                (&bytes[literal..start], percents),
            );
            holes.push(hole);
            (literal, pos) = (end, end);
            continue;
        }
        // A delimiter that the text's own syntax uses is literal text, read later.
        if !url.opens_token(&bytes[inner..]) {
            pos = inner;
            continue;
        }
        // The text before the token comes first, so that its problems are reported first.
        match url.literal(&src[read..start], read) {
            Ok(mark) => mark_dots(holes, mark),
            Err(err) => return error(err),
        }
        read = start;
        let Some(shape) = delimiters.token(&bytes[inner..]) else {
            let close = options.syntax().close().into();
            return error((Span::new(start, inner), Fault::Unterminated { close }));
        };
        // The name runs to the first `:`, the name and its argument to the first `|`;
        // modifiers follow, each after a `|`.
        let (close_at, head, colon) =
            (inner + shape.close, inner + shape.head, inner + shape.colon);
        let end = close_at + close;
        let span = Span::new(start, end);
        pos = end;
        // Delimiters are whole UTF-8 strings, so a match starts and ends on char boundaries,
        // and so do an ASCII colon and bar.
        let (name, has_arg) = (&src[inner..colon], colon < head);
        let name_span = Span::new(inner, colon);
        let kind = match classify(name, options.ignore_case()) {
            Class::Empty => return error((span, Fault::EmptyName)),
            Class::Named(_) | Class::Numbered(..) if has_arg => {
                return error((span, Fault::TokenTakesNoArgument { name: name_span }));
            }
            Class::Named(named) => HoleKind::Named(named),
            Class::Numbered(Numbered::T, Ok(slot)) => HoleKind::T(slot),
            Class::Numbered(Numbered::Event, Ok(slot)) => HoleKind::Event(slot),
            Class::Numbered(family, Err(())) => {
                let (first, last) = family.range();
                let name = name_span;
                return error((span, Fault::InvalidSlot { name, first, last }));
            }
            Class::TName if colon + 1 >= head => {
                return error((span, Fault::TokenNeedsArgument { name: name_span }));
            }
            Class::TName => HoleKind::TName,
            Class::Unknown => match options.unknown() {
                Unknown::Reject => {
                    let suggestion = suggest(name);
                    return error((
                        span,
                        Fault::UnknownName {
                            name: name_span,
                            suggestion,
                        },
                    ));
                }
                // The token stays in the literal text around it.
                Unknown::Literal => continue,
                Unknown::Custom => HoleKind::Custom,
            },
        };
        // Where the token stands comes before its modifiers, which are further right.
        let place = match url.token(span, holes.len()) {
            Ok(place) => place,
            Err(err) => return error(err),
        };
        if head < close_at {
            if let Err(err) = chain(src, (head, close_at), holes.len(), options, modifiers) {
                return error(err);
            }
        }
        holes.push(Hole::new(
            (start, end, colon),
            kind,
            place,
            (&bytes[literal..start], percents),
        ));
        (literal, read) = (end, end);
    }
    let last = url.literal(&src[read..], read).and_then(|mark| {
        mark_dots(holes, mark);
        url.finish(src.len())
    });
    match last {
        Ok(mark) => {
            mark_dots(holes, mark);
            Ok(url)
        }
        Err(err) => error(err),
    }
}

/// Compiles the modifiers of the hole `hole` into `modifiers`: each after a `|`, from `head`,
/// the first `|`, to `close_at`, the closing delimiter. Kept out of [`compile`]'s loop, which
/// most tokens go through without modifiers.
#[inline(never)]
fn chain(
    src: &str,
    (head, close_at): (usize, usize),
    hole: usize,
    options: &ParseOptions,
    modifiers: &mut Modifiers,
) -> Result<(), Located> {
    let (first, mut bar) = (modifiers.len(), head);
    while bar < close_at {
        let from = bar + 1;
        let to = src.as_bytes()[from..close_at]
            .iter()
            .position(|&b| b == b'|');
        bar = to.map_or(close_at, |i| from + i);
        modifiers.push(Modifier::parse(
            src,
            from,
            bar,
            hole,
            options.ignore_case(),
        )?);
    }
    raw_texts(src, &modifiers[first..])
}

/// Checks the texts that a token's modifiers, `chain`, may write in place of its value when
/// one of them is `raw`: written as they are, they are literal text of the URL, and hold no
/// whitespace, control character or `\` either.
fn raw_texts(src: &str, chain: &[Modifier]) -> Result<(), Located> {
    if !chain.iter().any(|modifier| modifier.kind == Kind::Raw) {
        return Ok(());
    }
    let mut texts = chain.iter().flat_map(|modifier| modifier.texts(src));
    texts
        .find_map(|(at, text)| bad_char(text, at))
        .map_or(Ok(()), Err)
}

/// Marks the tokens from the hole `first` on, if the reader says so, as standing in a path
/// segment of literal dots: see [`Place::Path`].
fn mark_dots(holes: &mut Holes, first: Option<usize>) {
    let Some(first) = first else { return };
    let tokens = holes.iter_mut().skip(first);
    for hole in tokens.filter(|hole| hole.kind != HoleKind::Escape) {
        hole.place = Place::Path { dots: true };
    }
}

/// The delimiters of a syntax, and how to find them.
struct Delimiters<'s> {
    open: &'s [u8],
    close: &'s [u8],
    finders: (Finder<'s>, Finder<'s>),
}

impl<'s> Delimiters<'s> {
    fn new(syntax: &'s Syntax) -> Delimiters<'s> {
        let (open, close) = (syntax.open().as_bytes(), syntax.close().as_bytes());
        Delimiters {
            open,
            close,
            finders: (Finder::new(open), Finder::new(close)),
        }
    }

    /// Where the first opening delimiter in `text` starts.
    #[inline(always)]
    fn open_in(&self, text: &[u8]) -> Option<usize> {
        self.finders.0.find(text)
    }

    /// The shape of a token whose name starts `text`, or `None` if it is unterminated: no
    /// closing delimiter comes before an opening one or the end.
    #[inline(always)]
    fn token(&self, text: &[u8]) -> Option<Shape> {
        if let (Finder::Byte(open), Finder::Byte(close)) = self.finders {
            // Both one byte, the default: one pass over the token, which is short.
            let (mut bar, mut colon) = (None, None);
            for (at, &byte) in text.iter().enumerate() {
                match byte {
                    _ if byte == close => {
                        let head = bar.unwrap_or(at);
                        let colon = colon.unwrap_or(head);
                        return Some(Shape {
                            close: at,
                            head,
                            colon,
                        });
                    }
                    _ if byte == open => return None,
                    b'|' if bar.is_none() => bar = Some(at),
                    b':' if bar.is_none() && colon.is_none() => colon = Some(at),
                    _ => {}
                }
            }
            return None;
        }
        let close = self.finders.1.find(text)?;
        let inner = &text[..close];
        if self.open_in(inner).is_some() {
            return None;
        }
        let head = inner.iter().position(|&b| b == b'|').unwrap_or(close);
        let colon = inner[..head]
            .iter()
            .position(|&b| b == b':')
            .unwrap_or(head);
        Some(Shape { close, head, colon })
    }
}

/// Where the parts of a token end, in bytes from its name's start: the closing delimiter, the
/// head (its name and argument, before the first `|`), and the name (before the first `:` of
/// the head); each is where the next ends when it is absent.
struct Shape {
    close: usize,
    head: usize,
    colon: usize,
}

/// A delimiter search: memchr for one byte, memmem for more.
#[allow(
    clippy::large_enum_variant,
    reason = "lives on the stack for one parse; boxing it would allocate"
)]
enum Finder<'n> {
    Byte(u8),
    Bytes(memmem::Finder<'n>),
}

impl<'n> Finder<'n> {
    fn new(needle: &'n [u8]) -> Finder<'n> {
        match needle {
            [byte] => Finder::Byte(*byte),
            _ => Finder::Bytes(memmem::Finder::new(needle)),
        }
    }

    #[inline(always)]
    fn find(&self, haystack: &[u8]) -> Option<usize> {
        match self {
            Finder::Byte(byte) => find1(*byte, haystack),
            Finder::Bytes(finder) => finder.find(haystack),
        }
    }
}

/// What a token's name is.
enum Class {
    Empty,
    Named(Named),
    Numbered(Numbered, Result<crate::Slot, ()>),
    TName,
    Unknown,
}

/// Inlined: the parser's loop is compiled once per reader, and kept apart it costs a call and
/// its setup for every token.
#[inline(always)]
fn classify(name: &str, ignore_case: bool) -> Class {
    if name.is_empty() {
        return Class::Empty;
    }
    let mut lower = [0u8; LONGEST_NAME];
    let key = match lower.get_mut(..name.len()) {
        Some(lower) if ignore_case => {
            lower.copy_from_slice(name.as_bytes());
            lower.make_ascii_lowercase();
            // ASCII lowercasing keeps UTF-8 valid, so this never falls back.
            core::str::from_utf8(lower).unwrap_or(name)
        }
        _ => name,
    };
    if let Some(named) = Named::lookup(key) {
        Class::Named(named)
    } else if name == TNAME || (ignore_case && name.eq_ignore_ascii_case(TNAME)) {
        Class::TName
    } else if let Some((family, slot)) = numbered(name, ignore_case) {
        Class::Numbered(family, slot)
    } else {
        Class::Unknown
    }
}
