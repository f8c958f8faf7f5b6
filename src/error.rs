//! [`ParseError`], [`ErrorKind`] and [`Span`].

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

/// A byte range of a template: `start..end`, with `start <= end`.
///
/// Spans always lie on `char` boundaries of the template they point into, so
/// `&template[span.range()]` never panics.
///
/// ```
/// use postback::{Span, Template};
///
/// let err = Template::parse("https://t.example/pb?id={externalid&p={payout}").unwrap_err();
/// assert_eq!(err.span(), Span { start: 24, end: 25 });
/// assert_eq!(&err.template()[err.span().range()], "{");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    ///
    /// ```
    /// use postback::Span;
    ///
    /// let span = Span::new(21, 29);
    /// assert_eq!((span.start, span.end), (21, 29));
    /// assert_eq!(span.to_string(), "21..29");
    /// ```
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span as a range, for slicing: `&template[span.range()]`.
    ///
    /// ```
    /// use postback::Template;
    ///
    /// let text = "https://t.example/pb?id={click_id}";
    /// let err = Template::parse(text).unwrap_err();
    /// assert_eq!(err.span().range(), 24..34);
    /// assert_eq!(&text[err.span().range()], "{click_id}");
    /// ```
    pub const fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// The number of bytes covered.
    ///
    /// ```
    /// use postback::Span;
    ///
    /// assert_eq!(Span::new(21, 29).len(), 8);
    /// assert_eq!(Span::new(7, 7).len(), 0);
    /// ```
    pub const fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte.
    ///
    /// ```
    /// use postback::{ErrorKind, Template};
    ///
    /// // No scheme: the span is empty, at byte 0, where one should start.
    /// let err = Template::parse("s.magsrv.com/tag.php?tag={externalid}").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Scheme);
    /// assert!(err.span().is_empty());
    /// assert_eq!(err.span().start, 0);
    /// ```
    pub const fn is_empty(self) -> bool {
        self.len() == 0
    }
}

impl From<Span> for Range<usize> {
    fn from(span: Span) -> Range<usize> {
        span.range()
    }
}

impl fmt::Display for Span {
    /// `34..42`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// What is wrong with a template that failed to parse.
///
/// ```
/// use postback::{ErrorKind, Template};
///
/// let kind = |text| Template::parse(text).unwrap_err().kind();
/// assert_eq!(kind("https://t.example/pb?id={externalid"), ErrorKind::Unterminated);
/// assert_eq!(kind("https://t.example/pb?id={t11}"), ErrorKind::InvalidSlot);
/// assert_eq!(kind("https://t.example/pb?p={payout|percent:half}"), ErrorKind::InvalidArgument);
/// assert_eq!(kind("https://t.example/pb ?id={externalid}"), ErrorKind::InvalidChar);
/// assert_eq!(kind("t.example/pb?id={externalid}"), ErrorKind::Scheme);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An opening delimiter that no closing delimiter closes before the next opening delimiter
    /// or the end of the template. The span is the opening delimiter.
    Unterminated,
    /// A token with nothing before its `:`, such as `{}` or `{:x}`, or an empty modifier,
    /// `{payout|}`. The span is the token, or the modifier.
    EmptyName,
    /// A well-formed token whose name is not in the vocabulary (under the default
    /// [`Unknown::Reject`](crate::Unknown::Reject)). The span is the token;
    /// [`ParseError::suggestion`] may name the token that was probably meant.
    UnknownName,
    /// `t` or `event` followed by digits that are not `1` to `10`: `t0`, `t11`, `t01`,
    /// `event0`. The span is the token.
    InvalidSlot,
    /// `{tName}` or `{tName:}`, `{t1|default}`: a token or a modifier that needs an argument
    /// has none. The span is the token, or the modifier.
    MissingArgument,
    /// An argument after a token or a modifier that takes none: `{clickid:x}`,
    /// `{referer|raw:x}`. The span is the token, or the modifier.
    UnexpectedArgument,
    /// A modifier after a `|` whose name is not one of `raw`, `default`, `map`, `percent`,
    /// `round`, `lower`, `upper`, `md5`, `sha1`, `sha256`, `date`. The span is the modifier;
    /// [`ParseError::suggestion`] may name the one that was probably meant.
    UnknownModifier,
    /// A modifier's argument that it cannot use: `percent:abc`, `map:lead`, `round:19`. The span
    /// is the modifier.
    InvalidArgument,
    /// The template is longer than `u32::MAX` bytes, the longest a compiled template can
    /// address. The span is empty and [`ParseError::template`] is empty: the input is not copied.
    TooLong,
    /// The template does not start with an absolute URL's scheme and `//`: `http://` or
    /// `https://` in any case, unless [`ParseOptions::with_schemes`](crate::ParseOptions::with_schemes)
    /// allows others. It has no scheme (`?a={t1}`, `www.example.com/pb`, the span is empty at
    /// byte 0), another one (`ftp:`, the span is the scheme), no `//` after it (`https:{t1}`,
    /// `https:/x`, the span is the scheme and what came of the `//`), or a token before the
    /// host (`{t1}://host`, the span is the token). URL parsers would read such text so that
    /// a value could choose the host or the scheme.
    Scheme,
    /// The authority names no host: `https:///{t1}` (WHATWG parsers skip the third `/` and take
    /// the next segment as the host), `https://user@/`, `https://:80/`. The span is the
    /// authority, empty when it is.
    EmptyHost,
    /// Whitespace (`" https://…"`, a pasted space or line break, `U+00A0` too), a control
    /// character or a `\` in the template's literal text: URL parsers drop or reject the first
    /// two, and read `\` as `/`. The span is the character.
    InvalidChar,
    /// A host or a port that no URL parser takes, whatever the values: a literal `<`, `>`,
    /// `^`, `|` or `%` in the host (`https://a<b/`), a `[` that is not closed or not first, a
    /// `]` that closes nothing, a port that is not digits (`https://h:abc/`). The span is the
    /// character at fault.
    InvalidHost,
    /// A path segment of literal text that is `.` or `..` (or `%2e`, `.%2E`...): URL parsers
    /// remove it, and `..` the segment before it too, with any token in it. The span is the
    /// segment.
    DotSegment,
    /// A modifier that this build of the crate leaves out: `md5`, `sha1` and `sha256` need
    /// the `hash` feature, `date` the `time` feature. The span is the modifier.
    NeedsFeature,
    /// A request body that is not what its content type needs once its tokens stand in for
    /// values ([`Body`](crate::request::Body)): JSON that does not read, a token where no JSON
    /// value can stand (in a key, inside a number), a `raw` modifier in JSON. The span is
    /// where it stops reading, or the token.
    InvalidBody,
    /// A request header's name that is not one ([`Header`](crate::request::Header)): empty,
    /// with a character no field name holds, or one the host's HTTP client sets itself
    /// (`Host`, `Content-Length`, `Content-Type`...). The span is the character, or the name.
    InvalidHeader,
}

/// What is wrong with a template's host, for [`ErrorKind::InvalidHost`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum HostProblem {
    /// A character no host holds.
    Char,
    /// A character of the port that is not a digit.
    Port,
    /// A `[` that no `]` closes.
    Unclosed,
    /// A `]` that closes no `[`.
    Stray,
}

/// What is wrong with a template's scheme, for [`ErrorKind::Scheme`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum SchemeProblem {
    /// The text does not start with a scheme and its `:`.
    Missing,
    /// A scheme the options do not allow.
    Unsupported,
    /// The scheme's `:` is not followed by `//`.
    NoSlashes,
    /// A token stands before the host.
    Token,
}

/// What is wrong with a template, with the facts its message needs: one variant for each
/// message, so that a kind never meets facts of another. [`ParseError::kind`] is its public,
/// `Copy` view.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Fault {
    /// A token that its closing delimiter, `close`, does not close.
    Unterminated { close: Box<str> },
    /// A token with an empty name.
    EmptyName,
    /// A modifier with an empty name.
    EmptyModifier,
    /// A token name that is not known: its span, and the nearest known name.
    UnknownName {
        name: Span,
        suggestion: Option<&'static str>,
    },
    /// A numbered token out of range: its name, and the first and last slot names.
    InvalidSlot {
        name: Span,
        first: &'static str,
        last: &'static str,
    },
    /// A token that needs an argument and has none.
    TokenNeedsArgument { name: Span },
    /// A token that takes no argument and has one.
    TokenTakesNoArgument { name: Span },
    /// A modifier name that is not known: its span, and the nearest known modifier.
    UnknownModifier {
        name: Span,
        suggestion: Option<&'static str>,
    },
    /// A modifier that needs an argument and has none.
    ModifierNeedsArgument { name: Span },
    /// A modifier that takes no argument and has one.
    ModifierTakesNoArgument { name: Span },
    /// A modifier's argument that does not read: its span, the modifier, what it expects.
    InvalidArgument {
        argument: Span,
        modifier: &'static str,
        expected: &'static str,
    },
    /// A template of `len` bytes, more than a `u32` counts.
    TooLong { len: usize },
    /// What is wrong with the scheme, and whether the options allow any scheme.
    Scheme { problem: SchemeProblem, any: bool },
    /// No host after `//`.
    EmptyHost,
    /// A character literal text may not hold.
    InvalidChar(char),
    /// What is wrong with the host, and the character at fault.
    InvalidHost(HostProblem, char),
    /// A literal `.` or `..` path segment.
    DotSegment,
    /// A modifier built only with a feature that is off: its name, the feature.
    NeedsFeature { name: Span, feature: &'static str },
    /// A body that does not read as its content type: what was expected where it stopped.
    Body {
        content: &'static str,
        expected: &'static str,
    },
    /// A header name that is not one: what it should be.
    HeaderName { expected: &'static str },
}

impl Fault {
    /// The kind of this fault.
    pub(crate) fn kind(&self) -> ErrorKind {
        match self {
            Fault::Unterminated { .. } => ErrorKind::Unterminated,
            Fault::EmptyName | Fault::EmptyModifier => ErrorKind::EmptyName,
            Fault::UnknownName { .. } => ErrorKind::UnknownName,
            Fault::InvalidSlot { .. } => ErrorKind::InvalidSlot,
            Fault::TokenNeedsArgument { .. } | Fault::ModifierNeedsArgument { .. } => {
                ErrorKind::MissingArgument
            }
            Fault::TokenTakesNoArgument { .. } | Fault::ModifierTakesNoArgument { .. } => {
                ErrorKind::UnexpectedArgument
            }
            Fault::UnknownModifier { .. } => ErrorKind::UnknownModifier,
            Fault::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Fault::TooLong { .. } => ErrorKind::TooLong,
            Fault::Scheme { .. } => ErrorKind::Scheme,
            Fault::EmptyHost => ErrorKind::EmptyHost,
            Fault::InvalidChar(_) => ErrorKind::InvalidChar,
            Fault::InvalidHost(..) => ErrorKind::InvalidHost,
            Fault::DotSegment => ErrorKind::DotSegment,
            Fault::NeedsFeature { .. } => ErrorKind::NeedsFeature,
            Fault::Body { .. } => ErrorKind::InvalidBody,
            Fault::HeaderName { .. } => ErrorKind::InvalidHeader,
        }
    }
}

/// A fault and where it is: what the parser's parts hand up, to become a [`ParseError`].
pub(crate) type Located = (Span, Fault);

/// A template that could not be parsed: what is wrong ([`kind`](ParseError::kind)), where
/// ([`span`](ParseError::span)), and the template itself, so that a tracker's UI can point at
/// the problem.
///
/// `Display` writes one lowercase line; the alternate form `{:#}` adds the template with a caret
/// under the span:
///
/// ```
/// use postback::{ErrorKind, Template};
///
/// let err = Template::parse("https://t.example/?c={clikid}").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::UnknownName);
/// assert_eq!(err.span().range(), 21..29);
/// assert_eq!(err.suggestion(), Some("clickid"));
/// assert_eq!(
///     err.to_string(),
///     r#"unknown token "clikid" at bytes 21..29; did you mean "clickid"?"#,
/// );
/// assert_eq!(
///     format!("{err:#}"),
///     r#"unknown token "clikid" at bytes 21..29; did you mean "clickid"?
///   https://t.example/?c={clikid}
///                        ^^^^^^^^"#,
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ParseError {
    span: Span,
    template: Box<str>,
    fault: Fault,
}

impl ParseError {
    pub(crate) fn new((span, fault): Located, template: &str) -> ParseError {
        ParseError {
            span,
            template: template.into(),
            fault,
        }
    }

    pub(crate) fn too_long(len: usize) -> ParseError {
        ParseError::new((Span::default(), Fault::TooLong { len }), "")
    }

    /// What is wrong.
    ///
    /// ```
    /// use postback::{ErrorKind, Template};
    ///
    /// let text = "https://s.magsrv.com/tag.php?tag={externalid}&value={payout|rond:2}";
    /// let err = Template::parse(text).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::UnknownModifier);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.fault.kind()
    }

    /// Where, in bytes of [`template`](ParseError::template).
    ///
    /// ```
    /// use postback::Template;
    ///
    /// let text = "https://s.magsrv.com/tag.php?tag={externalid}&value={payout|rond:2}";
    /// let err = Template::parse(text).unwrap_err();
    /// assert_eq!(err.span().range(), 60..66);
    /// assert_eq!(&err.template()[err.span().range()], "rond:2");
    /// ```
    pub fn span(&self) -> Span {
        self.span
    }

    /// The template that failed to parse, as given.
    ///
    /// The error owns a copy, so it can outlive the text, such as a form's field:
    ///
    /// ```
    /// use postback::{ParseError, Template};
    ///
    /// let field = String::from("https://t.example/pb?id={externalid}&p={payot}");
    /// let err: ParseError = Template::parse(&field).unwrap_err();
    /// drop(field);
    /// assert_eq!(err.template(), "https://t.example/pb?id={externalid}&p={payot}");
    /// ```
    pub fn template(&self) -> &str {
        &self.template
    }

    /// The known token that an unknown name was probably meant to be (`"clickid"` for
    /// `clikid`, `ClickID` or `click_id`), or the modifier an unknown modifier was (`"upper"`
    /// for `uper`), if one is close enough.
    ///
    /// ```
    /// use postback::Template;
    ///
    /// let suggest = |text| Template::parse(text).unwrap_err().suggestion();
    /// assert_eq!(suggest("https://t.example/pb?id={click_id}"), Some("clickid"));
    /// assert_eq!(suggest("https://t.example/pb?p={payout|uper}"), Some("upper"));
    /// assert_eq!(suggest("https://t.example/pb?id={zzz}"), None);
    /// ```
    pub fn suggestion(&self) -> Option<&'static str> {
        match self.fault {
            Fault::UnknownName { suggestion, .. } | Fault::UnknownModifier { suggestion, .. } => {
                suggestion
            }
            _ => None,
        }
    }

    /// The part of the template a name span points at.
    fn text(&self, span: Span) -> &str {
        self.template.get(span.range()).unwrap_or_default()
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let span = self.span;
        match &self.fault {
            Fault::EmptyModifier => {
                write!(f, "empty modifier name at bytes {span}")?;
            }
            &Fault::UnknownModifier { name, suggestion } => {
                write!(f, "unknown modifier {:?} at bytes {span}", self.text(name))?;
                if let Some(suggestion) = suggestion {
                    write!(f, "; did you mean {suggestion:?}?")?;
                }
            }
            &Fault::ModifierNeedsArgument { name } => write!(
                f,
                "modifier {:?} at bytes {span} needs an argument after \":\"",
                self.text(name),
            )?,
            &Fault::ModifierTakesNoArgument { name } => write!(
                f,
                "modifier {:?} at bytes {span} takes no argument",
                self.text(name),
            )?,
            &Fault::NeedsFeature { name, feature } => write!(
                f,
                "modifier {:?} at bytes {span} needs the crate's {feature:?} feature, which is off",
                self.text(name),
            )?,
            &Fault::Body { content, expected } => write!(
                f,
                "invalid {content} body at bytes {span}: expected {expected}"
            )?,
            &Fault::HeaderName { expected } => write!(
                f,
                "invalid header name {:?} at bytes {span}: expected {expected}",
                self.template
            )?,
            &Fault::InvalidArgument {
                argument,
                modifier,
                expected,
            } => write!(
                f,
                "invalid argument {:?} of modifier {modifier:?} at bytes {span}: expected {expected}",
                self.text(argument),
            )?,
            Fault::Unterminated { close } => write!(
                f,
                "unterminated token at bytes {span}: {:?} is not closed by {close:?}",
                self.text(span),
            )?,
            Fault::EmptyName => write!(f, "empty token name at bytes {span}")?,
            &Fault::UnknownName { name, suggestion } => {
                write!(f, "unknown token {:?} at bytes {span}", self.text(name))?;
                if let Some(suggestion) = suggestion {
                    write!(f, "; did you mean {suggestion:?}?")?;
                }
            }
            &Fault::InvalidSlot { name, first, last } => write!(
                f,
                "invalid slot {:?} at bytes {span}; slots run from {first} to {last}",
                self.text(name),
            )?,
            &Fault::TokenNeedsArgument { name } => write!(
                f,
                "token {:?} at bytes {span} needs an argument after \":\"",
                self.text(name),
            )?,
            &Fault::TokenTakesNoArgument { name } => write!(
                f,
                "token {:?} at bytes {span} takes no argument",
                self.text(name),
            )?,
            &Fault::TooLong { len } => write!(
                f,
                "template of {len} bytes is too long; the limit is {} bytes",
                u32::MAX,
            )?,
            &Fault::Scheme { problem, any } => {
                let text = self.text(span);
                match problem {
                    SchemeProblem::Missing => write!(f, "no scheme at byte {}", span.start)?,
                    SchemeProblem::Unsupported if any => {
                        write!(f, "scheme {text:?} at bytes {span} is not allowed")?
                    }
                    SchemeProblem::Unsupported => {
                        write!(f, "scheme {text:?} at bytes {span} is not http or https")?
                    }
                    SchemeProblem::NoSlashes => {
                        write!(f, "{text:?} at bytes {span} is not followed by \"//\"")?
                    }
                    SchemeProblem::Token => {
                        write!(f, "token {text:?} at bytes {span} stands before the host")?
                    }
                }
                f.write_str(match any {
                    false => {
                        "; a postback URL starts with \"http://\" or \"https://\" and its host"
                    }
                    true => "; a postback URL starts with a scheme, \"://\" and its host",
                })?;
            }
            Fault::EmptyHost => {
                match span.is_empty() {
                    true => write!(f, "no host at byte {}", span.start)?,
                    false => write!(f, "no host in {:?} at bytes {span}", self.text(span))?,
                }
                f.write_str("; a postback URL names its host after \"//\"")?;
            }
            &Fault::InvalidChar(c) => {
                let at = span.start;
                match c {
                    ' ' => write!(
                        f,
                        "whitespace at byte {at}; a postback URL has none (a pasted space?)"
                    )?,
                    '\\' => write!(
                        f,
                        "backslash at byte {at}; URL parsers read it as \"/\" (write %5C for one)"
                    )?,
                    c if c.is_whitespace() => write!(
                        f,
                        "whitespace \"{}\" at byte {at}; a postback URL has none (a pasted line?)",
                        c.escape_debug(),
                    )?,
                    c => write!(
                        f,
                        "control character \"{}\" at byte {at}; a postback URL has none",
                        c.escape_debug(),
                    )?,
                }
            }
            &Fault::InvalidHost(problem, c) => {
                let at = span.start;
                match problem {
                    HostProblem::Char => write!(f, "\"{c}\" at byte {at} cannot stand in a host")?,
                    HostProblem::Port => write!(
                        f,
                        "\"{}\" at byte {at} cannot stand in a port, which is digits",
                        c.escape_debug()
                    )?,
                    HostProblem::Unclosed => {
                        write!(f, "\"[\" at byte {at} is not closed by \"]\" in the host")?
                    }
                    HostProblem::Stray => {
                        write!(f, "\"]\" at byte {at} closes no \"[\" in the host")?
                    }
                }
            }
            Fault::DotSegment => write!(
                f,
                "dot segment {:?} at bytes {span}; URL parsers remove it",
                self.text(span),
            )?,
        }
        if f.alternate() && !self.template.is_empty() {
            f.write_str("\n")?;
            draw_caret(f, &self.template, span)?;
        }
        Ok(())
    }
}

impl core::error::Error for ParseError {}

/// Why a token has no usable value, in [`Template::try_expand`](crate::Template::try_expand).
///
/// ```
/// use postback::{ProblemKind, Template, Value};
///
/// let template = Template::parse("https://t.example/pb/{t1}?p={payout|percent:50}&c={clickid}")?;
/// let conversion = [
///     ("t1", Value::Str("..")),
///     ("payout", Value::Str("1,50")),
///     ("clickid", Value::Str("")),
/// ];
/// let err = template.try_expand(&conversion).unwrap_err();
/// let kinds: Vec<ProblemKind> = err.problems().iter().map(|p| p.kind()).collect();
/// assert_eq!(kinds, [ProblemKind::DotSegment, ProblemKind::NotNumeric, ProblemKind::Empty]);
/// # Ok::<(), postback::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The [`TokenSource`](crate::TokenSource) has no value for the token.
    Missing,
    /// The value is empty text.
    Empty,
    /// The value is a float that is infinite or NaN.
    NotFinite,
    /// A `percent`, `round` or `date` modifier met a value that is not a number (text that is
    /// not a plain decimal, such as `1e3`, `+5`, `1,000.50` or `2026-12-03`).
    NotNumeric,
    /// A `percent`, `round` or `date` modifier met a number that a
    /// [`Decimal`](crate::Decimal) cannot hold (`u64::MAX`, `1e308`), `percent`'s exact result
    /// does not fit one (more than 18 decimal places), or `date` met seconds beyond the dates
    /// it writes (jiff's range: about the years -9999 to 9999, which every offset keeps).
    OutOfRange,
    /// The value stands in the path and is made only of dots (`.`, `..`): alone or next to
    /// other dots it would make a dot segment, which URL parsers resolve by climbing the path,
    /// even percent-encoded.
    DotSegment,
}

/// A token without a usable value: see [`ExpandError`].
///
/// `Display` writes one line for a log:
///
/// ```
/// use postback::Template;
///
/// let template = Template::parse("https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}")?;
/// let err = template.try_expand(&[("payout", "0.50")]).unwrap_err();
/// assert_eq!(err.problems()[0].to_string(), r#"no value for "externalid" at bytes 45..57"#);
/// # Ok::<(), postback::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Problem {
    kind: ProblemKind,
    span: Span,
    token: Box<str>,
}

impl Problem {
    pub(crate) fn new(kind: ProblemKind, span: Span, token: &str) -> Problem {
        Problem {
            kind,
            span,
            token: token.into(),
        }
    }

    /// Why the token has no usable value.
    ///
    /// ```
    /// use postback::{ProblemKind, Template, Value};
    ///
    /// let template = Template::parse("https://t.example/pb?id={externalid}&p={payout}")?;
    /// let conversion = [("externalid", Value::Str("ck-1")), ("payout", Value::Float(f64::NAN))];
    /// let err = template.try_expand(&conversion).unwrap_err();
    /// assert_eq!(err.problems()[0].kind(), ProblemKind::NotFinite);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn kind(&self) -> ProblemKind {
        self.kind
    }

    /// Where the token stands in the template, delimiters included.
    ///
    /// ```
    /// use postback::Template;
    ///
    /// let template = Template::parse("https://t.example/pb?id={externalid}&zone={t1}")?;
    /// let err = template.try_expand(&[("externalid", "ck-1")]).unwrap_err();
    /// assert_eq!(&template.as_str()[err.problems()[0].span().range()], "{t1}");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn span(&self) -> Span {
        self.span
    }

    /// The token as written between its delimiters: `external_id`, `tName:zoneid`.
    ///
    /// ```
    /// use postback::Template;
    ///
    /// let template = Template::parse("https://t.example/pb?id={external_id}&zone={tName:zoneid}")?;
    /// let err = template.try_expand(&[("payout", "1")]).unwrap_err();
    /// let tokens: Vec<&str> = err.problems().iter().map(|p| p.token()).collect();
    /// assert_eq!(tokens, ["external_id", "tName:zoneid"]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (token, span) = (&self.token, self.span);
        match self.kind {
            ProblemKind::Missing => write!(f, "no value for {token:?} at bytes {span}"),
            ProblemKind::Empty => write!(f, "empty value for {token:?} at bytes {span}"),
            ProblemKind::NotFinite => {
                write!(
                    f,
                    "value for {token:?} at bytes {span} is not a finite number"
                )
            }
            ProblemKind::NotNumeric => {
                write!(f, "value for {token:?} at bytes {span} is not a number")
            }
            ProblemKind::OutOfRange => write!(
                f,
                "value for {token:?} at bytes {span} is out of range: it, or its exact result, \
                 needs more than 19 digits or 18 decimal places, or is a date beyond the years \
                 -9999 to 9999"
            ),
            ProblemKind::DotSegment => {
                write!(
                    f,
                    "value for {token:?} at bytes {span} is only dots, which could climb the path"
                )
            }
        }
    }
}

/// The tokens that had no usable value in a checked expansion, all of them, in template order.
///
/// ```
/// use postback::{ProblemKind, Template, Value};
///
/// let template = Template::parse("https://t.example/?id={external_id}&p={payout}")?;
/// let err = template.try_expand(&[("payout", Value::Float(f64::NAN))]).unwrap_err();
/// let kinds: Vec<_> = err.problems().iter().map(|p| (p.token(), p.kind())).collect();
/// assert_eq!(kinds, [("external_id", ProblemKind::Missing), ("payout", ProblemKind::NotFinite)]);
/// assert_eq!(
///     err.to_string(),
///     r#"2 tokens without a usable value: no value for "external_id" at bytes 22..35; value for "payout" at bytes 38..46 is not a finite number"#,
/// );
/// # Ok::<(), postback::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ExpandError {
    problems: Vec<Problem>,
}

impl ExpandError {
    pub(crate) fn new(problems: Vec<Problem>) -> ExpandError {
        ExpandError { problems }
    }

    /// Every token without a usable value, in template order. Never empty.
    ///
    /// ```
    /// use postback::{ProblemKind, Template};
    ///
    /// let template = Template::parse(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// )?;
    /// let err = template.try_expand(&[("externalid", "ck-1")]).unwrap_err();
    /// let missing: Vec<&str> = err
    ///     .problems()
    ///     .iter()
    ///     .filter(|p| p.kind() == ProblemKind::Missing)
    ///     .map(|p| p.token())
    ///     .collect();
    /// assert_eq!(missing, ["payout"]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "token without a usable value: {one}"),
            many => {
                write!(f, "{} tokens without a usable value: ", many.len())?;
                for (i, problem) in many.iter().enumerate() {
                    let sep = if i == 0 { "" } else { "; " };
                    write!(f, "{sep}{problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl core::error::Error for ExpandError {}

/// The most characters of context drawn on either side of a span, and of the span itself.
const CONTEXT: usize = 50;
const MARKED: usize = 60;

/// Draws the line of `template` that holds `span`, indented by two spaces, and a caret line
/// under the span. Long lines are cut around the span and marked with `...`; control
/// characters are drawn as spaces so that the caret stays aligned.
fn draw_caret(f: &mut fmt::Formatter<'_>, template: &str, span: Span) -> fmt::Result {
    let is_break = |c: char| c == '\n' || c == '\r';
    let start = span.start.min(template.len());
    let (head, rest) = template.split_at(start);
    let line_start = head.rfind(is_break).map_or(0, |i| i + 1);
    let line_end = rest.find(is_break).map_or(template.len(), |i| start + i);
    let end = span.end.clamp(start, line_end);

    let before = &template[line_start..start];
    let skip = before.chars().count().saturating_sub(CONTEXT);
    let before = before
        .char_indices()
        .nth(skip)
        .map_or("", |(i, _)| &before[i..]);
    let marked = &template[start..end];
    let marked_chars = marked.chars().count();
    let after = &template[end..line_end];

    let mut line = Line { f, width: 0 };
    line.text("  ")?;
    if skip > 0 {
        line.text("...")?;
    }
    line.text(before)?;
    let caret_at = line.width;
    line.chars(marked.chars().take(MARKED))?;
    if marked_chars > MARKED {
        line.text("...")?;
    }
    let caret_width = line.width - caret_at;
    let shown = if marked_chars > MARKED { 0 } else { CONTEXT };
    line.chars(after.chars().take(shown))?;
    if after.chars().count() > shown {
        line.text("...")?;
    }
    f.write_str("\n")?;
    for _ in 0..caret_at {
        f.write_str(" ")?;
    }
    for _ in 0..caret_width.max(1) {
        f.write_str("^")?;
    }
    Ok(())
}

/// A line being drawn, counting its width in characters.
struct Line<'f, 'g> {
    f: &'f mut fmt::Formatter<'g>,
    width: usize,
}

impl Line<'_, '_> {
    fn text(&mut self, text: &str) -> fmt::Result {
        self.chars(text.chars())
    }

    fn chars(&mut self, chars: impl Iterator<Item = char>) -> fmt::Result {
        use fmt::Write;
        for c in chars {
            self.f.write_char(if c.is_control() { ' ' } else { c })?;
            self.width += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;

    #[test]
    fn too_long_message() {
        let err = ParseError::too_long(5_000_000_000);
        assert_eq!(err.kind(), ErrorKind::TooLong);
        assert_eq!(
            err.to_string(),
            "template of 5000000000 bytes is too long; the limit is 4294967295 bytes"
        );
        assert_eq!(format!("{err:#}"), err.to_string());
        assert_eq!((err.template(), err.span()), ("", Span::new(0, 0)));
    }

    #[test]
    fn span() {
        let span = Span::new(3, 8);
        assert_eq!((span.len(), span.is_empty()), (5, false));
        assert_eq!(span.to_string(), "3..8");
        assert_eq!(Range::from(span), 3..8);
        assert!(Span::new(4, 4).is_empty());
    }

    #[track_caller]
    fn caret(template: &str, span: Range<usize>) -> alloc::string::String {
        let mut out = alloc::string::String::new();
        struct Draw<'a>(&'a str, Span);
        impl fmt::Display for Draw<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                draw_caret(f, self.0, self.1)
            }
        }
        fmt::Write::write_fmt(
            &mut out,
            format_args!("{}", Draw(template, Span::new(span.start, span.end))),
        )
        .unwrap();
        out
    }

    #[test]
    fn caret_views() {
        assert_eq!(caret("ab{c}d", 2..5), "  ab{c}d\n    ^^^");
        assert_eq!(caret("ab{", 2..3), "  ab{\n    ^");
        assert_eq!(caret("", 0..0), "  \n  ^");
        // Characters, not bytes, set the caret's column.
        assert_eq!(caret("São{x", 4..5), "  São{x\n     ^");
        // Only the line that holds the span is drawn; control characters become spaces.
        assert_eq!(caret("a\r\nb\t{x", 5..6), "  b {x\n    ^");
        // Long lines are cut around the span.
        let long = format!("{}{{x}}{}", "a".repeat(100), "b".repeat(100));
        let drawn = caret(&long, 100..103);
        let expected = format!(
            "  ...{}{{x}}{}...\n  {}^^^",
            "a".repeat(50),
            "b".repeat(50),
            " ".repeat(53)
        );
        assert_eq!(drawn, expected);
        // A long span is cut too.
        let drawn = caret(&long, 0..203);
        assert!(
            drawn.starts_with(&format!("  {}...\n", "a".repeat(60))),
            "{drawn}"
        );
    }
}
