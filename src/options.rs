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
///
/// With the `serde` feature, a syntax is an object of its two delimiters; an empty one is
/// refused:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::Syntax;
///
/// let syntax: Syntax = serde_json::from_str(r#"{"open": "[[", "close": "]]"}"#)?;
/// assert_eq!(syntax, Syntax::DOUBLE_BRACKETS);
/// assert_eq!(serde_json::to_string(&Syntax::PERCENT)?, r#"{"open":"%","close":"%"}"#);
/// assert!(serde_json::from_str::<Syntax>(r#"{"open": "", "close": "}"}"#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
    ///
    /// ```
    /// use postback::{ParseOptions, Syntax};
    ///
    /// assert_eq!(Syntax::default(), Syntax::BRACES);
    /// assert_eq!(ParseOptions::new().syntax(), &Syntax::BRACES);
    /// ```
    pub const BRACES: Syntax = Syntax::constant("{", "}");
    /// `[[name]]`.
    ///
    /// ```
    /// use postback::{ParseOptions, Syntax, Template};
    ///
    /// let options = ParseOptions::new().with_syntax(Syntax::DOUBLE_BRACKETS);
    /// let template = Template::parse_with("https://t.example/pb?id=[[externalid]]", &options)?;
    /// assert_eq!(template.expand(&[("externalid", "ck 1")]), "https://t.example/pb?id=ck%201");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const DOUBLE_BRACKETS: Syntax = Syntax::constant("[[", "]]");
    /// `<name>`.
    ///
    /// ```
    /// use postback::{ParseOptions, Syntax, Template};
    ///
    /// let options = ParseOptions::new().with_syntax(Syntax::ANGLE_BRACKETS);
    /// let template = Template::parse_with("https://t.example/pb?id=<externalid>", &options)?;
    /// assert_eq!(template.expand(&[("externalid", "ck-1")]), "https://t.example/pb?id=ck-1");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const ANGLE_BRACKETS: Syntax = Syntax::constant("<", ">");
    /// `${name}`.
    ///
    /// ```
    /// use postback::{ParseOptions, Syntax, Template};
    ///
    /// // `${NAME}`, in capitals, as some networks write it.
    /// let options = ParseOptions::new().with_syntax(Syntax::DOLLAR_BRACES).with_ignore_case(true);
    /// let template = Template::parse_with("https://t.example/pb?id=${EXTERNALID}", &options)?;
    /// assert_eq!(template.expand(&[("externalid", "ck-1")]), "https://t.example/pb?id=ck-1");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const DOLLAR_BRACES: Syntax = Syntax::constant("${", "}");
    /// `##name##`.
    ///
    /// ```
    /// use postback::{ParseOptions, Syntax, Template};
    ///
    /// let options = ParseOptions::new().with_syntax(Syntax::DOUBLE_HASHES);
    /// let template = Template::parse_with("https://t.example/pb?id=##externalid##", &options)?;
    /// assert_eq!(template.expand(&[("externalid", "ck#1")]), "https://t.example/pb?id=ck%231");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const DOUBLE_HASHES: Syntax = Syntax::constant("##", "##");
    /// `%name%`.
    ///
    /// A percent-escape of the template's own text is then written with `%%`, the escaped
    /// opening delimiter:
    ///
    /// ```
    /// use postback::{ParseOptions, Syntax, Template};
    ///
    /// let options = ParseOptions::new().with_syntax(Syntax::PERCENT);
    /// let text = "https://t.example/pb?id=%externalid%&via=a%%2Fb";
    /// let template = Template::parse_with(text, &options)?;
    /// let url = template.expand(&[("externalid", "ck-1")]);
    /// assert_eq!(url, "https://t.example/pb?id=ck-1&via=a%2Fb");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
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
    ///
    /// ```
    /// use postback::Syntax;
    ///
    /// assert_eq!(Syntax::DOLLAR_BRACES.open(), "${");
    /// assert_eq!(Syntax::default().open(), "{");
    /// ```
    pub fn open(&self) -> &str {
        &self.open
    }

    /// The closing delimiter.
    ///
    /// ```
    /// use postback::Syntax;
    ///
    /// assert_eq!(Syntax::DOLLAR_BRACES.close(), "}");
    /// assert_eq!(Syntax::DOUBLE_HASHES.close(), "##");
    /// ```
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
///
/// ```
/// use postback::{ErrorKind, ParseOptions, Template, Unknown};
///
/// // `{sub_id_1}` is another tracker's token.
/// let text = "https://t.example/pb?id={externalid}&s={sub_id_1}";
/// assert_eq!(Template::parse(text).unwrap_err().kind(), ErrorKind::UnknownName);
///
/// let literal = ParseOptions::new().with_unknown(Unknown::Literal);
/// let template = Template::parse_with(text, &literal)?;
/// let url = template.expand(&[("externalid", "ck-1")]);
/// assert_eq!(url, "https://t.example/pb?id=ck-1&s={sub_id_1}");
/// # Ok::<(), postback::ParseError>(())
/// ```
///
/// With the `serde` feature, a policy is its name in lowercase:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::Unknown;
///
/// let policies: Vec<Unknown> = serde_json::from_str(r#"["reject", "literal", "custom"]"#)?;
/// assert_eq!(policies, [Unknown::Reject, Unknown::Literal, Unknown::Custom]);
/// assert_eq!(serde_json::to_string(&Unknown::Literal)?, r#""literal""#);
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
///
/// With the `serde` feature, options are an object whose fields are each optional, the
/// defaults standing for those left out; an unknown field is refused:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::{ParseOptions, Syntax, Unknown};
///
/// let options: ParseOptions = serde_json::from_str(
///     r#"{"syntax": {"open": "[[", "close": "]]"}, "unknown": "custom", "ignore_case": true}"#,
/// )?;
/// let expected = ParseOptions::new()
///     .with_syntax(Syntax::DOUBLE_BRACKETS)
///     .with_unknown(Unknown::Custom)
///     .with_ignore_case(true);
/// assert_eq!(options, expected);
/// assert_eq!(serde_json::from_str::<ParseOptions>("{}")?, ParseOptions::new());
/// assert!(serde_json::from_str::<ParseOptions>(r#"{"case": true}"#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
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
    ///
    /// ```
    /// use postback::{ParseOptions, Template};
    ///
    /// let text = "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}";
    /// assert_eq!(Template::parse_with(text, &ParseOptions::new())?, Template::parse(text)?);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn new() -> ParseOptions {
        ParseOptions::default()
    }

    /// Sets the delimiters.
    ///
    /// ```
    /// use postback::{ParseOptions, Syntax, Template, Token};
    ///
    /// // A postback copied from a network that writes its macros `__NAME__`.
    /// let options = ParseOptions::new().with_syntax(Syntax::new("__", "__").unwrap());
    /// let template = Template::parse_with("https://t.example/pb?id=__externalid__", &options)?;
    /// assert_eq!(template.tokens().collect::<Vec<_>>(), [Token::ExternalId]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    #[must_use]
    pub fn with_syntax(mut self, syntax: Syntax) -> ParseOptions {
        self.syntax = syntax;
        self
    }

    /// Sets what happens to tokens whose name is not in the vocabulary.
    ///
    /// ```
    /// use postback::{ParseOptions, Template, Token, Unknown, Value, from_fn};
    ///
    /// let options = ParseOptions::new().with_unknown(Unknown::Custom);
    /// let text = "https://t.example/pb?id={externalid}&aff={aff_sub}";
    /// let template = Template::parse_with(text, &options)?;
    /// let source = from_fn(|token| match token {
    ///     Token::ExternalId => Some(Value::Str("ck-1")),
    ///     Token::Custom { name: "aff_sub", .. } => Some(Value::Str("a7")),
    ///     _ => None,
    /// });
    /// assert_eq!(template.expand(&source), "https://t.example/pb?id=ck-1&aff=a7");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    #[must_use]
    pub fn with_unknown(mut self, unknown: Unknown) -> ParseOptions {
        self.unknown = unknown;
        self
    }

    /// Matches token names without regard to ASCII case: `{ClickID}`, `{T1}` and
    /// `{TNAME:zoneid}` are then `clickid`, `t1` and `tName:zoneid`. Arguments and custom names
    /// are kept as written.
    ///
    /// ```
    /// use postback::{ParseOptions, Slot, Template, Token};
    ///
    /// let options = ParseOptions::new().with_ignore_case(true);
    /// let template = Template::parse_with("https://t.example/pb?c={ClickID}&z={T1}", &options)?;
    /// let tokens: Vec<Token> = template.tokens().collect();
    /// assert_eq!(tokens, [Token::ClickId, Token::T(Slot::MIN)]);
    /// assert!(Template::parse("https://t.example/pb?c={ClickID}").is_err());
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    #[must_use]
    pub fn with_ignore_case(mut self, yes: bool) -> ParseOptions {
        self.ignore_case = yes;
        self
    }

    /// Sets which schemes a template may start with.
    ///
    /// ```
    /// use postback::{ParseOptions, Schemes, Template};
    ///
    /// // A scheme that the host's own client knows how to send.
    /// let options = ParseOptions::new().with_schemes(Schemes::Any);
    /// let template = Template::parse_with("app://pb.example/conv?id={externalid}", &options)?;
    /// assert_eq!(template.expand(&[("externalid", "ck-1")]), "app://pb.example/conv?id=ck-1");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    #[must_use]
    pub fn with_schemes(mut self, schemes: Schemes) -> ParseOptions {
        self.schemes = schemes;
        self
    }

    /// The delimiters.
    ///
    /// ```
    /// use postback::{ParseOptions, Syntax};
    ///
    /// let options = ParseOptions::new().with_syntax(Syntax::ANGLE_BRACKETS);
    /// assert_eq!((options.syntax().open(), options.syntax().close()), ("<", ">"));
    /// ```
    pub fn syntax(&self) -> &Syntax {
        &self.syntax
    }

    /// What happens to tokens whose name is not in the vocabulary.
    ///
    /// ```
    /// use postback::{ParseOptions, Unknown};
    ///
    /// assert_eq!(ParseOptions::new().unknown(), Unknown::Reject);
    /// assert_eq!(ParseOptions::new().with_unknown(Unknown::Literal).unknown(), Unknown::Literal);
    /// ```
    pub fn unknown(&self) -> Unknown {
        self.unknown
    }

    /// Whether token names are matched without regard to ASCII case.
    ///
    /// ```
    /// use postback::ParseOptions;
    ///
    /// assert!(!ParseOptions::new().ignore_case());
    /// assert!(ParseOptions::new().with_ignore_case(true).ignore_case());
    /// ```
    pub fn ignore_case(&self) -> bool {
        self.ignore_case
    }

    /// Which schemes a template may start with.
    ///
    /// ```
    /// use postback::{ParseOptions, Schemes};
    ///
    /// assert_eq!(ParseOptions::new().schemes(), Schemes::Http);
    /// assert_eq!(ParseOptions::new().with_schemes(Schemes::Any).schemes(), Schemes::Any);
    /// ```
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
