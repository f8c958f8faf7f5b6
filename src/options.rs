//! How a template is read: [`ParseOptions`], with its [`Syntax`] and [`Unknown`] policy.

use alloc::borrow::Cow;

use crate::place::Schemes;

/// The delimiters around a token: `{` and `}` by default.
///
/// Trackers and networks write their tokens in many syntaxes: `{x}`, `[[x]]`, `<x>`, `${X}`,
/// `##X##`, `%x%`. Any two non-empty strings work, equal ones included. Inside a template, the
/// opening delimiter written twice (`{{`) stands for itself, once.
///
/// ```
/// use postback::{ParseOptions, Syntax, Template, Token};
///
/// let options = ParseOptions::new().with_syntax(Syntax::new("[[", "]]").unwrap());
/// let template = Template::parse_with("https://t.example/?c=[[clickid]]", &options)?;
/// assert_eq!(template.tokens().collect::<Vec<_>>(), [Token::ClickId]);
/// # Ok::<(), postback::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "SyntaxFields")
)]
pub struct Syntax {
    open: Cow<'static, str>,
    close: Cow<'static, str>,
}

impl Syntax {
    /// `{name}`, the default.
    pub const BRACES: Syntax = Syntax::constant("{", "}");
    /// `[[name]]`.
    pub const DOUBLE_BRACKETS: Syntax = Syntax::constant("[[", "]]");
    /// `<name>`.
    pub const ANGLE_BRACKETS: Syntax = Syntax::constant("<", ">");
    /// `${name}`.
    pub const DOLLAR_BRACES: Syntax = Syntax::constant("${", "}");
    /// `##name##`.
    pub const DOUBLE_HASHES: Syntax = Syntax::constant("##", "##");
    /// `%name%`.
    pub const PERCENT: Syntax = Syntax::constant("%", "%");

    const fn constant(open: &'static str, close: &'static str) -> Syntax {
        Syntax {
            open: Cow::Borrowed(open),
            close: Cow::Borrowed(close),
        }
    }

    /// The syntax with these delimiters, or `None` if either is empty.
    ///
    /// ```
    /// # use postback::Syntax;
    /// assert_eq!(Syntax::new("{", "}"), Some(Syntax::BRACES));
    /// assert_eq!(Syntax::new(String::from("__"), "__").unwrap().open(), "__");
    /// assert_eq!(Syntax::new("", "}"), None);
    /// ```
    pub fn new(
        open: impl Into<Cow<'static, str>>,
        close: impl Into<Cow<'static, str>>,
    ) -> Option<Syntax> {
        let (open, close) = (open.into(), close.into());
        (!open.is_empty() && !close.is_empty()).then_some(Syntax { open, close })
    }

    /// The opening delimiter.
    pub fn open(&self) -> &str {
        &self.open
    }

    /// The closing delimiter.
    pub fn close(&self) -> &str {
        &self.close
    }
}

impl Default for Syntax {
    fn default() -> Syntax {
        Syntax::BRACES
    }
}

/// What the parser does with a well-formed token whose name is not in the vocabulary.
///
/// Malformed tokens (unterminated, empty names, `{t11}`, `{tName}`) are errors whatever this
/// says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "lowercase")
)]
#[non_exhaustive]
pub enum Unknown {
    /// Fail with [`ErrorKind::UnknownName`](crate::ErrorKind::UnknownName), suggesting the nearest known name. The default: a
    /// typo in a postback template is caught when the template is saved, not when conversions
    /// go missing.
    #[default]
    Reject,
    /// Keep the token as literal text, delimiters included: `{sub_id_1}` stays `{sub_id_1}`.
    Literal,
    /// Hand the token to the host as [`Token::Custom`](crate::Token::Custom), with its name and
    /// its argument: `{status: lead=1 sale=2}`.
    Custom,
}

/// How [`Template::parse_with`](crate::Template::parse_with) reads a template: its delimiters,
/// what it does with unknown names, whether names ignore case, and which schemes it starts
/// with.
///
/// A [`Template`](crate::Template) keeps the options it was parsed with
/// ([`Template::options`](crate::Template::options)), so that it can be parsed again from its
/// text, and serde writes them beside its text.
///
/// ```
/// use postback::{ParseOptions, Syntax, Template, Unknown};
///
/// let options = ParseOptions::new()
///     .with_syntax(Syntax::DOUBLE_BRACKETS)
///     .with_unknown(Unknown::Custom)
///     .with_ignore_case(true);
/// assert_eq!(options.syntax(), &Syntax::DOUBLE_BRACKETS);
/// assert_eq!((options.unknown(), options.ignore_case()), (Unknown::Custom, true));
///
/// let template = Template::parse_with("https://t.example/?c=[[ClickID]]", &options)?;
/// assert_eq!(template.options(), &options);
/// # Ok::<(), postback::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default, deny_unknown_fields)
)]
pub struct ParseOptions {
    syntax: Syntax,
    unknown: Unknown,
    ignore_case: bool,
    schemes: Schemes,
}

impl ParseOptions {
    /// The defaults: `{name}` syntax, unknown names rejected, names case-sensitive, `http://`
    /// and `https://` only.
    pub fn new() -> ParseOptions {
        ParseOptions::default()
    }

    /// Sets the delimiters.
    #[must_use]
    pub fn with_syntax(mut self, syntax: Syntax) -> ParseOptions {
        self.syntax = syntax;
        self
    }

    /// Sets what happens to tokens whose name is not in the vocabulary.
    #[must_use]
    pub fn with_unknown(mut self, unknown: Unknown) -> ParseOptions {
        self.unknown = unknown;
        self
    }

    /// Matches token names without regard to ASCII case: `{ClickID}`, `{T1}` and
    /// `{TNAME:zoneid}` are then `clickid`, `t1` and `tName:zoneid`. Arguments and custom names
    /// are kept as written.
    #[must_use]
    pub fn with_ignore_case(mut self, yes: bool) -> ParseOptions {
        self.ignore_case = yes;
        self
    }

    /// Sets which schemes a template may start with.
    #[must_use]
    pub fn with_schemes(mut self, schemes: Schemes) -> ParseOptions {
        self.schemes = schemes;
        self
    }

    /// The delimiters.
    pub fn syntax(&self) -> &Syntax {
        &self.syntax
    }

    /// What happens to tokens whose name is not in the vocabulary.
    pub fn unknown(&self) -> Unknown {
        self.unknown
    }

    /// Whether token names are matched without regard to ASCII case.
    pub fn ignore_case(&self) -> bool {
        self.ignore_case
    }

    /// Which schemes a template may start with.
    pub fn schemes(&self) -> Schemes {
        self.schemes
    }

    /// Whether these are the defaults, which a template's serde form leaves out.
    #[cfg(feature = "serde")]
    pub(crate) fn is_default(&self) -> bool {
        *self == ParseOptions::default()
    }
}

/// The serialized form of a [`Syntax`], checked when it becomes one.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SyntaxFields {
    open: Cow<'static, str>,
    close: Cow<'static, str>,
}

#[cfg(feature = "serde")]
impl TryFrom<SyntaxFields> for Syntax {
    type Error = &'static str;

    fn try_from(fields: SyntaxFields) -> Result<Syntax, &'static str> {
        Syntax::new(fields.open, fields.close).ok_or("a delimiter of a syntax is empty")
    }
}
