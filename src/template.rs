//! [`Template`]: a compiled postback template, borrowed or owned.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::{fmt, slice, str};

use crate::compiled::{Hole, HoleKind, Holes, Modifier, Modifiers};
use crate::error::{ParseError, Span};
use crate::options::ParseOptions;
use crate::parse;
use crate::token::{Slot, Token};

/// A compiled postback template: its source text, and the holes in it that expansion fills.
///
/// A template is parsed once, when a tracker saves it, and expanded for every conversion. It
/// borrows its source (`Template<'a>`); [`into_owned`](Template::into_owned) gives a
/// `Template<'static>` to keep in long-lived configuration.
///
/// `Display` writes the source exactly as it was given, so a template round-trips through its
/// string form.
///
/// Parsing allocates nothing for templates of up to 16 tokens (a `{{` escape counts as one):
/// the compiled holes live inline, and spill to the heap, once, beyond that.
///
/// ```
/// use postback::{Template, Token, Value};
///
/// let template = Template::parse("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}")?;
/// assert_eq!(template.tokens().collect::<Vec<_>>(), [Token::ExternalId]);
///
/// let click = [("externalid", "ex-1&2")];
/// assert_eq!(template.expand(&click), "https://s.magsrv.com/tag.php?goal=4f1b&tag=ex-1%262");
/// assert_eq!(template.to_string().parse::<Template>()?, template);
/// # Ok::<(), postback::ParseError>(())
/// ```
///
/// With the `serde` feature, a template parsed with the default options is its source string;
/// one parsed with other options is an object of its source and the options that differ. A
/// template that does not parse is refused with the parse error's message:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::{Syntax, Template};
///
/// let json = r#""https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}""#;
/// let exoclick: Template = serde_json::from_str(json)?;
/// assert_eq!(exoclick.as_str(), "https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}");
///
/// let json = r#"{"template":"https://t.example/?c=[[clickid]]","syntax":{"open":"[[","close":"]]"}}"#;
/// let bracketed: Template = serde_json::from_str(json)?;
/// assert_eq!(bracketed.options().syntax(), &Syntax::DOUBLE_BRACKETS);
/// assert_eq!(serde_json::to_string(&bracketed)?, json);
///
/// let typo = serde_json::from_str::<Template>(r#""https://t.example/?c={clikid}""#).unwrap_err();
/// assert!(typo.to_string().starts_with(r#"unknown token "clikid" at bytes 21..29"#));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Template<'a> {
    source: Cow<'a, str>,
    holes: Holes,
    /// The modifiers of the tokens, in order.
    modifiers: Modifiers,
    /// The options the template was parsed with, to parse it again the same way.
    options: ParseOptions,
    /// Whether a `%` waits for hex digits when some token's value comes: see
    /// [`Template::leaves_escapes_open`].
    open_escapes: bool,
}

impl<'a> Template<'a> {
    /// Compiles `template` with the default [`ParseOptions`]: `{name}` syntax, names as in the
    /// vocabulary, unknown names rejected, an absolute `http://` or `https://` URL (see the
    /// [crate docs](crate#syntax) for what a URL must be).
    ///
    /// ```
    /// # use postback::{ErrorKind, Template};
    /// assert!(Template::parse("https://t.example/?c={clickid}&p={payout}").is_ok());
    /// let err = Template::parse("https://t.example/?c={clickid").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Unterminated);
    /// ```
    ///
    /// # Errors
    ///
    /// A [`ParseError`] at the first problem from the left: a malformed or unknown token (with
    /// a suggestion), a modifier that does not read, or text that is not an absolute URL
    /// ([`ErrorKind`](crate::ErrorKind) lists them).
    pub fn parse(template: &'a str) -> Result<Template<'a>, ParseError> {
        Template::parse_with(template, &ParseOptions::default())
    }

    /// Compiles `template` with `options`.
    ///
    /// ```
    /// use postback::{ParseOptions, Template, Token, Unknown};
    ///
    /// let options = ParseOptions::new().with_unknown(Unknown::Custom);
    /// let template = Template::parse_with("https://t.example/?type={status: lead=1 sale=2}", &options)?;
    /// let custom = Token::Custom { name: "status", arg: Some(" lead=1 sale=2") };
    /// assert_eq!(template.tokens().collect::<Vec<_>>(), [custom]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`ParseError`] at the first problem from the left, as [`parse`](Template::parse) says,
    /// under `options`.
    pub fn parse_with(
        template: &'a str,
        options: &ParseOptions,
    ) -> Result<Template<'a>, ParseError> {
        Template::compile(Cow::Borrowed(template), options)
    }

    fn compile(source: Cow<'a, str>, options: &ParseOptions) -> Result<Template<'a>, ParseError> {
        let url = crate::place::Reader::new(options.schemes());
        Template::compile_with(source, options, url).map(|(template, _)| template)
    }

    /// Compiles `source` with its literal text read by `reader`: the URL reader, or the reader
    /// of a request's body or header, whose templates are compiled the same way. The reader
    /// comes back with what it found.
    pub(crate) fn compile_with<R: crate::parse::Read>(
        source: Cow<'a, str>,
        options: &ParseOptions,
        reader: R,
    ) -> Result<(Template<'a>, R), ParseError> {
        let mut template = Template {
            source,
            holes: Holes::new(),
            modifiers: Modifiers::new(),
            // The built-in syntaxes are borrowed: cloning them allocates nothing.
            options: options.clone(),
            open_escapes: false,
        };
        let (holes, modifiers) = (&mut template.holes, &mut template.modifiers);
        let reader = parse::compile(&template.source, options, holes, modifiers, reader)?;
        // Values never leave a `%` open: only the template's literals and escapes can.
        template.open_escapes = template.holes.iter().any(|hole| {
            let escaped = matches!(hole.kind, HoleKind::Escape).then(|| template.escaped(hole));
            hole.open_after(0) != 0
                || escaped.is_some_and(|text| Hole::open_after_text(0, text.as_bytes()) != 0)
        });
        Ok((template, reader))
    }

    /// The same template, owning its source: for configuration kept beyond the input's
    /// lifetime. Copies the source unless it is owned already.
    ///
    /// ```
    /// use postback::Template;
    ///
    /// struct TrafficSource {
    ///     postback: Template<'static>,
    /// }
    ///
    /// // The text a user saved in the tracker's form, gone once the source is made.
    /// let field = String::from("https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}");
    /// let source = TrafficSource { postback: Template::parse(&field)?.into_owned() };
    /// drop(field);
    /// let url = source.postback.expand(&[("externalid", "ck-1")]);
    /// assert_eq!(url, "https://s.magsrv.com/tag.php?goal=4f1b2c&tag=ck-1");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn into_owned(self) -> Template<'static> {
        Template {
            source: Cow::Owned(self.source.into_owned()),
            holes: self.holes,
            modifiers: self.modifiers,
            options: self.options,
            open_escapes: self.open_escapes,
        }
    }

    /// The source text, exactly as parsed.
    ///
    /// ```
    /// use postback::Template;
    ///
    /// // Aliases and escapes stay as written.
    /// let text = "https://t.example/pb?id={external_id}&note={{x}";
    /// let template = Template::parse(text)?;
    /// assert_eq!(template.as_str(), text);
    /// let url = template.expand(&[("externalid", "ck-1")]);
    /// assert_eq!(url, "https://t.example/pb?id=ck-1&note={x}");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The tokens of the template, in order, repeats included: what a host must load to
    /// expand it. Escapes and literal text are not listed.
    ///
    /// ```
    /// # use postback::{Template, Token};
    /// let template = Template::parse("https://t.example/?c={clickid}&x={{&p={payout}")?;
    /// assert_eq!(template.tokens().collect::<Vec<_>>(), [Token::ClickId, Token::Payout]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn tokens(&self) -> Tokens<'_> {
        Tokens {
            template: self,
            holes: self.holes.iter(),
        }
    }

    /// The options the template was parsed with. Its text ([`as_str`](Template::as_str), or
    /// `Display`) parses back to the same template with them, but for what
    /// [`bind`](Template::bind) did, which a template parsed again (or read by serde) needs
    /// done again:
    ///
    /// ```
    /// use postback::{ParseOptions, Syntax, Template};
    ///
    /// let options = ParseOptions::new().with_syntax(Syntax::DOUBLE_BRACKETS);
    /// let template = Template::parse_with("https://t.example/?c=[[clickid]]", &options)?;
    /// let text = template.to_string();
    /// assert_eq!(Template::parse_with(&text, template.options())?, template);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn options(&self) -> &ParseOptions {
        &self.options
    }

    /// Resolves every `{tName:NAME}` to the slot `{tN}` that the traffic source stores `NAME`
    /// in, so that expansion asks for `Token::T(slot)` and compares no strings.
    ///
    /// `slot_of` answers for each `NAME` with the slot of the traffic-source parameter of that
    /// name. Names it has no slot for stay `TName` tokens (expansion still asks the host for
    /// them) and are reported in the error, so that a tracker can warn about them.
    ///
    /// ```
    /// use postback::{Slot, Template, Token};
    ///
    /// let mut template = Template::parse("https://t.example/?zone={tName:zoneid}&site={tName:siteid}")?;
    /// let params = [("zoneid", Slot::new(1).unwrap())];
    /// let slot_of = |name: &str| params.iter().find(|p| p.0 == name).map(|p| p.1);
    ///
    /// let err = template.bind(slot_of).unwrap_err();
    /// assert_eq!(err.to_string(), r#"no traffic-source parameter named "siteid" (at bytes 44..58)"#);
    /// let tokens: Vec<_> = template.tokens().collect();
    /// assert_eq!(tokens, [Token::T(Slot::new(1).unwrap()), Token::TName("siteid")]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`BindError`] with every `NAME` that `slot_of` has no slot for, and where each stands;
    /// the names it has slots for are bound all the same.
    pub fn bind<F>(&mut self, mut slot_of: F) -> Result<(), BindError>
    where
        F: FnMut(&str) -> Option<Slot>,
    {
        let mut unbound = Vec::new();
        for index in 0..self.holes.len() {
            let hole = self.holes[index];
            let Some(Token::TName(name)) = self.token(&hole) else {
                continue;
            };
            match slot_of(name) {
                Some(slot) => self.holes[index].kind = HoleKind::T(slot),
                None => unbound.push((Box::from(name), hole.span())),
            }
        }
        match unbound.is_empty() {
            true => Ok(()),
            false => Err(BindError { unbound }),
        }
    }

    /// The tokens of the template, in order, each with its span and its text between the
    /// delimiters.
    pub(crate) fn tokens_with_spans(&self) -> impl Iterator<Item = (Token<'_>, Span, &str)> {
        self.holes
            .iter()
            .filter_map(|hole| Some((self.token(hole)?, hole.span(), self.inner(hole))))
    }

    /// The holes, for expansion.
    #[inline(always)]
    pub(crate) fn holes(&self) -> &[Hole] {
        &self.holes
    }

    /// Whether a `%` of the template waits for hex digits when a token's value comes: at the
    /// end of the literal before a token, or at the end of an escaped delimiter.
    #[inline(always)]
    pub(crate) fn leaves_escapes_open(&self) -> bool {
        self.open_escapes
    }

    /// The modifiers of all tokens, for expansion.
    #[inline(always)]
    pub(crate) fn modifiers(&self) -> &[Modifier] {
        &self.modifiers
    }

    /// The text of a hole's token as written between the delimiters: `external_id`,
    /// `tName:zoneid`.
    pub(crate) fn inner(&self, hole: &Hole) -> &str {
        let (open, close) = self.delimiter_lengths();
        let inner = hole.start as usize + open..(hole.end as usize).saturating_sub(close);
        self.source.get(inner).unwrap_or_default()
    }

    /// The lengths of the opening and closing delimiters.
    #[inline(always)]
    fn delimiter_lengths(&self) -> (usize, usize) {
        let syntax = self.options.syntax();
        (syntax.open().len(), syntax.close().len())
    }

    /// The opening delimiter that an escape hole stands for.
    #[inline(always)]
    pub(crate) fn escaped(&self, hole: &Hole) -> &str {
        let start = hole.start as usize;
        let (open, _) = self.delimiter_lengths();
        self.source.get(start..start + open).unwrap_or_default()
    }

    /// The token that fills a hole, or `None` for an escape.
    #[inline(always)]
    pub(crate) fn token(&self, hole: &Hole) -> Option<Token<'_>> {
        // The argument runs from the `:` to the first `|`, where the modifiers begin.
        let (open, close) = self.delimiter_lengths();
        let argument = || {
            let (colon, close_at) = (
                hole.colon as usize,
                (hole.end as usize).saturating_sub(close),
            );
            let has_argument = self.source.as_bytes().get(colon) == Some(&b':');
            let argument = self
                .source
                .get(colon + 1..close_at)
                .filter(|_| has_argument)?;
            argument.split('|').next()
        };
        Some(match hole.kind {
            HoleKind::Escape => return None,
            HoleKind::Named(named) => named.token(),
            HoleKind::T(slot) => Token::T(slot),
            HoleKind::Event(slot) => Token::Event(slot),
            HoleKind::TName => Token::TName(argument().unwrap_or_default()),
            HoleKind::Custom => Token::Custom {
                name: (self
                    .source
                    .get(hole.start as usize + open..hole.colon as usize))
                .unwrap_or_default(),
                arg: argument(),
            },
        })
    }
}

impl Template<'static> {
    /// Compiles an owned `template` without copying it, with `options`.
    ///
    /// ```
    /// use postback::{ParseOptions, Template};
    ///
    /// // A template read from the tracker's database, kept as it was read.
    /// let row = String::from(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// );
    /// let template: Template<'static> = Template::parse_owned(row, &ParseOptions::new())?;
    /// assert_eq!(template.tokens().count(), 2);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`ParseError`], as [`parse_with`](Template::parse_with) says.
    pub fn parse_owned(
        template: String,
        options: &ParseOptions,
    ) -> Result<Template<'static>, ParseError> {
        Template::compile(Cow::Owned(template), options)
    }
}

impl str::FromStr for Template<'static> {
    type Err = ParseError;

    /// Parses with the default options into an owned template.
    fn from_str(template: &str) -> Result<Template<'static>, ParseError> {
        Template::parse(template).map(Template::into_owned)
    }
}

impl TryFrom<String> for Template<'static> {
    type Error = ParseError;

    /// Parses with the default options, keeping the string as the template's source.
    fn try_from(template: String) -> Result<Template<'static>, ParseError> {
        Template::parse_owned(template, &ParseOptions::default())
    }
}

impl<'a> TryFrom<&'a str> for Template<'a> {
    type Error = ParseError;

    /// Parses with the default options.
    fn try_from(template: &'a str) -> Result<Template<'a>, ParseError> {
        Template::parse(template)
    }
}

impl fmt::Display for Template<'_> {
    /// Writes the source exactly as parsed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl fmt::Debug for Template<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Template")
            .field("source", &self.source)
            .field("tokens", &DebugList(self.tokens()))
            .finish_non_exhaustive()
    }
}

/// Formats an iterator's items as a list.
struct DebugList<I>(I);

impl<I: Clone + Iterator<Item: fmt::Debug>> fmt::Debug for DebugList<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.clone()).finish()
    }
}

/// The tokens of a template, in order: see [`Template::tokens`].
///
/// ```
/// use postback::{Template, Token};
///
/// let template = Template::parse(
///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
/// )?;
/// // What the tracker must load before it expands the template.
/// assert!(template.tokens().any(|token| token == Token::Payout));
/// assert_eq!(template.tokens().next_back(), Some(Token::Payout));
/// # Ok::<(), postback::ParseError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Tokens<'t> {
    template: &'t Template<'t>,
    holes: slice::Iter<'t, Hole>,
}

impl<'t> Iterator for Tokens<'t> {
    type Item = Token<'t>;

    fn next(&mut self) -> Option<Token<'t>> {
        self.holes
            .by_ref()
            .find_map(|hole| self.template.token(hole))
    }
}

impl DoubleEndedIterator for Tokens<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        while let Some(hole) = self.holes.next_back() {
            if let Some(token) = self.template.token(hole) {
                return Some(token);
            }
        }
        None
    }
}

impl core::iter::FusedIterator for Tokens<'_> {}

/// The `{tName:NAME}` tokens that [`Template::bind`] found no slot for.
///
/// They stay in the template as [`Token::TName`]; the binding of the others took effect.
///
/// ```
/// use postback::{BindError, Template};
///
/// // A traffic source that stores no parameters yet.
/// let mut template = Template::parse("https://t.example/pb?id={externalid}&zone={tName:zoneid}")?;
/// let err: BindError = template.bind(|_| None).unwrap_err();
/// assert_eq!(err.to_string(), r#"no traffic-source parameter named "zoneid" (at bytes 42..56)"#);
/// # Ok::<(), postback::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BindError {
    unbound: Vec<(Box<str>, Span)>,
}

impl BindError {
    /// Each name without a slot, with the span of its token, in template order.
    ///
    /// ```
    /// use postback::{Slot, Template};
    ///
    /// let text = "https://t.example/pb?zone={tName:zoneid}&site={tName:site}&c={tName:cat}";
    /// let mut template = Template::parse(text)?;
    /// let err = template.bind(|name| (name == "zoneid").then_some(Slot::MIN)).unwrap_err();
    /// let unbound: Vec<(&str, &str)> =
    ///     err.unbound().map(|(name, span)| (name, &template.as_str()[span.range()])).collect();
    /// assert_eq!(unbound, [("site", "{tName:site}"), ("cat", "{tName:cat}")]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn unbound(&self) -> impl ExactSizeIterator<Item = (&str, Span)> + '_ {
        self.unbound.iter().map(|(name, span)| (&**name, *span))
    }
}

impl fmt::Display for BindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no traffic-source parameter named ")?;
        for (i, (name, span)) in self.unbound().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{name:?} (at bytes {span})")?;
        }
        Ok(())
    }
}

impl core::error::Error for BindError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_stay_small() {
        assert_eq!(core::mem::size_of::<Hole>(), 16);
    }

    #[test]
    fn tokens_backwards() {
        let template = Template::parse("https://t.example/{clickid}{{{payout}").unwrap();
        let tokens: Vec<_> = template.tokens().rev().collect();
        assert_eq!(tokens, [Token::Payout, Token::ClickId]);
    }
}
