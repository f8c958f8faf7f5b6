//! Postbacks as requests: a method, the URL template, a body and headers, each value escaped
//! for where it stands.
//!
//! Most networks take a GET of the postback URL. Some take a POST, a JSON body (Orbitra,
//! AppMetrica, CAPI-style endpoints) or a form, and headers (a signature, an API key). A
//! [`Request`] puts together what is sent; [`Request::prepare`] expands all of it into an
//! [`Outgoing`] request for the host's HTTP client, with the guarantee the URL has
//! everywhere: no value can add a JSON key, a form field or a header, or end one early.
//!
//! | where | a value is written | so that |
//! | --- | --- | --- |
//! | the URL | percent-encoded for its place ([crate docs](crate#encoding)) | it stays one path segment, query value or fragment |
//! | a JSON body, in a string (`"id": "{externalid}"`) | escaped to RFC 8259: `"`, `\` and every control character | it stays inside the string |
//! | a JSON body, as a value (`"sum": {payout}`) | a number as a JSON number (so is text that `percent` or `round` read as one), other text as a JSON string (empty text as `""`); `null` when it has none | it stays one value |
//! | a form body (`id={externalid}&sum={payout}`) | form-encoded (`application/x-www-form-urlencoded`: a space is `+`, `&`, `=` and all else `%XX`) | it stays inside its field |
//! | a header's value | as it is, and refused, never written, with CR, LF, NUL or another control character but tab | it stays one header |
//!
//! [`Value::Raw`](crate::Value::Raw), text a host has encoded for a URL already, is text like any other in a
//! body or a header: escaped for JSON, form-encoded, checked in a header. The `raw` modifier
//! has no meaning there, and a body refuses it. The text a modifier writes (`default`, a `map`
//! TO, a date) is text too: `"sum": {payout|default:0}` writes the string `"0"` when the
//! payout is missing.
//!
//! Bodies and headers are templates in the `{name}` syntax, with the same tokens and
//! modifiers as URLs, checked when they are made: a JSON body must be JSON once its tokens
//! stand in for values, and each token must stand where a value can (in a string value, or
//! as a value; not in a key, not inside a number); a form's or a header's text, modifiers'
//! texts included, may not hold what would break it. Errors are [`ParseError`]s with the
//! span of the mistake. In JSON, a `{` before a quote, whitespace or `}` is the JSON's own: a
//! token's name follows its `{` at once, so `{hello}` inside a JSON string is a token (an
//! unknown one, an error), and `{{` writes one `{`.
//!
//! ```
//! use postback::request::{Body, Header, Method, Outgoing, Request};
//! use postback::{Template, Value};
//!
//! let url = Template::parse("https://api.example/conversions?key=k-1")?;
//! let body = Body::json(r#"{"click_id": "{externalid}", "value": {payout}, "event": "{cnv_event}"}"#)?;
//! let headers = [Header::new("X-Source", "{trafficsource_name}")?];
//! let request = Request::post(&url).with_body(&body).with_headers(&headers);
//!
//! let click = [
//!     ("externalid", Value::Str("ck\"1\n")),
//!     ("payout", Value::Decimal("3.30".parse().unwrap())),
//!     ("trafficsource_name", Value::Str("Exo\r\nX-Admin: 1")),
//! ];
//! let mut out = Outgoing::new();
//! // A header value with a line break is refused: nothing is sent.
//! let err = request.prepare(&click, &mut out).unwrap_err();
//! assert_eq!(err.to_string(), "header \"X-Source\" (headers[0]) would hold a control character (U+000D) at byte 3 of its value; the request is not made");
//!
//! let click = [("externalid", Value::Str("ck\"1\n")), ("payout", Value::Int(3))];
//! request.prepare(&click, &mut out)?;
//! assert_eq!(out.method(), Method::Post);
//! assert_eq!(out.content_type(), Some("application/json"));
//! assert_eq!(out.body(), r#"{"click_id": "ck\"1\n", "value": 3, "event": ""}"#);
//! assert_eq!(out.headers().collect::<Vec<_>>(), [("X-Source", "")]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use smallvec::SmallVec;

use crate::compiled::{INLINE_HOLES, Kind, Modifier};
use crate::error::{ExpandError, Fault, Located, ParseError, Problem, ProblemKind, Span};
use crate::expand::usable_modified;
use crate::modifier::{self, Val};
use crate::options::ParseOptions;
use crate::parse::Read;
use crate::place::{Place, bad_char};
use crate::source::TokenSource;
use crate::template::{BindError, Template, Tokens};
use crate::token::Slot;

/// The HTTP method of a postback.
///
/// With the `serde` feature it reads and writes as `"GET"` or `"POST"`, in capitals:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::request::Method;
///
/// let method: Method = serde_json::from_str(r#""POST""#)?;
/// assert_eq!(method, Method::Post);
/// assert_eq!(serde_json::to_string(&Method::Get)?, r#""GET""#);
/// assert!(serde_json::from_str::<Method>(r#""post""#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Method {
    /// `GET`, what networks take unless they say otherwise.
    #[default]
    #[cfg_attr(feature = "serde", serde(rename = "GET"))]
    Get,
    /// `POST`, with a body or without.
    #[cfg_attr(feature = "serde", serde(rename = "POST"))]
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    ///
    /// ```
    /// use postback::request::Method;
    ///
    /// assert_eq!(Method::Post.as_str(), "POST");
    /// assert_eq!(Method::default().as_str(), "GET");
    /// assert_eq!(Method::Get.to_string(), Method::Get.as_str());
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The content type of a [`Body`].
///
/// ```
/// use postback::request::{Body, ContentType};
///
/// let capi = Body::json(r#"{"click_id": "{externalid}", "value": {payout}}"#)?;
/// assert_eq!(capi.content_type(), ContentType::Json);
/// let form = Body::form("click_id={externalid}&value={payout}")?;
/// assert_eq!(form.content_type(), ContentType::Form);
/// # Ok::<(), postback::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ContentType {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

impl ContentType {
    /// The media type, for the `Content-Type` header.
    ///
    /// ```
    /// use postback::request::ContentType;
    ///
    /// assert_eq!(ContentType::Json.mime(), "application/json");
    /// assert_eq!(ContentType::Form.mime(), "application/x-www-form-urlencoded");
    /// ```
    pub const fn mime(self) -> &'static str {
        match self {
            ContentType::Json => "application/json",
            ContentType::Form => "application/x-www-form-urlencoded",
        }
    }

    /// The name in messages: `JSON`, `form`.
    const fn name(self) -> &'static str {
        match self {
            ContentType::Json => "JSON",
            ContentType::Form => "form",
        }
    }
}

/// Where a token of a JSON body stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Spot {
    /// Inside a string value: the value is escaped into it.
    String,
    /// Where a value stands: the value is one, a string or a number.
    Value,
}

/// A request body: a JSON or form template, checked when it is made.
///
/// ```
/// use postback::request::{Body, ContentType};
/// use postback::ErrorKind;
///
/// let body = Body::form("click={externalid}&sum={payout|round:2}")?;
/// assert_eq!(body.content_type(), ContentType::Form);
///
/// let err = Body::json(r#"{"click": {externalid}, {payout}: 1}"#).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidBody);
/// assert_eq!(&err.template()[err.span().range()], "{payout}");
/// # Ok::<(), postback::ParseError>(())
/// ```
///
/// With the `serde` feature it reads and writes as an object of one field, its content type,
/// holding the template; the body is checked as it is read:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::request::{Body, ContentType};
///
/// let body: Body = serde_json::from_str(r#"{"json": "{\"click_id\": \"{externalid}\"}"}"#)?;
/// assert_eq!(body.content_type(), ContentType::Json);
/// assert_eq!(body.as_str(), r#"{"click_id": "{externalid}"}"#);
/// let form: Body = serde_json::from_str(r#"{"form": "click_id={externalid}"}"#)?;
/// assert_eq!(form.content_type(), ContentType::Form);
/// // A token in a key is refused when the body is read.
/// assert!(serde_json::from_str::<Body>(r#"{"json": "{{externalid}: 1}"}"#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Body {
    content: ContentType,
    template: Template<'static>,
    /// Where each token stands, in order, for JSON; empty for a form.
    spots: SmallVec<[Spot; INLINE_HOLES]>,
}

impl Body {
    /// A JSON body.
    ///
    /// ```
    /// use postback::request::Body;
    /// use postback::ErrorKind;
    ///
    /// let body = Body::json(r#"{"click_id": "{externalid}", "value": {payout}}"#)?;
    /// assert_eq!(body.tokens().count(), 2);
    /// // A trailing comma is not JSON: the error is at the `}` after it.
    /// let err = Body::json(r#"{"click_id": "{externalid}",}"#).unwrap_err();
    /// assert_eq!((err.kind(), err.span().start), (ErrorKind::InvalidBody, 28));
    /// let err = Body::json(r#"{"referer": "{referer|raw}"}"#).unwrap_err();
    /// assert_eq!(&err.template()[err.span().range()], "raw");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`ParseError`]: a token that does not parse (as in a URL), JSON that does not read
    /// once the tokens stand in for values ([`ErrorKind::InvalidBody`](crate::ErrorKind), at
    /// the byte where it stops), a token where no value can stand, or `raw`, which a body has
    /// no use for: every value is escaped.
    pub fn json(text: &str) -> Result<Body, ParseError> {
        Body::new(ContentType::Json, text)
    }

    /// An `application/x-www-form-urlencoded` body: `name=value` pairs separated by `&`,
    /// written as they are sent.
    ///
    /// ```
    /// use postback::request::{Body, Outgoing, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://api.example/postback")?;
    /// let body = Body::form("click_id={externalid}&value={payout}")?;
    /// let mut out = Outgoing::new();
    /// let click = [("externalid", "ck 1&value=99"), ("payout", "2.50")];
    /// Request::post(&url).with_body(&body).prepare(&click, &mut out)?;
    /// assert_eq!(out.body(), "click_id=ck+1%26value%3D99&value=2.50");
    /// assert_eq!(out.content_type(), Some("application/x-www-form-urlencoded"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`ParseError`]: a token that does not parse, literal text with whitespace, a
    /// control character or a `\` ([`ErrorKind::InvalidChar`](crate::ErrorKind)), which a
    /// form writes encoded, or `raw` ([`ErrorKind::InvalidBody`](crate::ErrorKind)): every
    /// value is form-encoded.
    pub fn form(text: &str) -> Result<Body, ParseError> {
        Body::new(ContentType::Form, text)
    }

    /// A body of `content`.
    ///
    /// ```
    /// use postback::request::{Body, ContentType};
    /// use postback::ErrorKind;
    ///
    /// // The content type a traffic source was saved with, chosen at run time.
    /// let content = ContentType::Form;
    /// let body = Body::new(content, "click_id={externalid}&status={cnv_status}")?;
    /// assert_eq!(body, Body::form("click_id={externalid}&status={cnv_status}")?);
    /// let err = Body::new(content, "click_id={externalid}&note=a b").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidChar);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`json`](Body::json) or [`form`](Body::form) says.
    pub fn new(content: ContentType, text: &str) -> Result<Body, ParseError> {
        let options = ParseOptions::default();
        let source = Cow::Owned(String::from(text));
        let (template, spots) = match content {
            ContentType::Json => {
                let (template, json) = Template::compile_with(source, &options, Json::new())?;
                (template, json.spots)
            }
            ContentType::Form => {
                let (template, Form) = Template::compile_with(source, &options, Form)?;
                (template, SmallVec::new())
            }
        };
        if let Some(raw) = template.modifiers().iter().find(|m| m.kind == Kind::Raw) {
            let span = Span::new(raw.end().saturating_sub(3), raw.end());
            let fault = Fault::Body {
                content: content.name(),
                expected: "no raw: every value of a body is escaped for it",
            };
            return Err(ParseError::new((span, fault), text));
        }
        Ok(Body {
            content,
            template,
            spots,
        })
    }

    /// The content type.
    ///
    /// ```
    /// use postback::request::{Body, ContentType};
    ///
    /// let body = Body::json(r#"{"event": "{cnv_status}"}"#)?;
    /// assert_eq!(body.content_type(), ContentType::Json);
    /// assert_eq!(body.content_type().mime(), "application/json");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn content_type(&self) -> ContentType {
        self.content
    }

    /// The body's template, as written.
    ///
    /// ```
    /// use postback::request::Body;
    ///
    /// let text = r#"{"click_id": "{externalid}", "value": {payout|round:2}}"#;
    /// let body = Body::json(text)?;
    /// assert_eq!(body.as_str(), text);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        self.template.as_str()
    }

    /// The tokens the body reads, in order.
    ///
    /// ```
    /// use postback::request::Body;
    /// use postback::Token;
    ///
    /// let body = Body::json(r#"{"click_id": "{externalid}", "value": {payout}, "tx": "{txid}"}"#)?;
    /// let tokens: Vec<Token> = body.tokens().collect();
    /// assert_eq!(tokens, [Token::ExternalId, Token::Payout, Token::TxId]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn tokens(&self) -> Tokens<'_> {
        self.template.tokens()
    }

    /// The template, for binding and checking it against a traffic source.
    pub(crate) fn template_mut(&mut self) -> &mut Template<'static> {
        &mut self.template
    }

    /// Resolves each `{tName:NAME}` to the slot `slot_of` gives its name, as
    /// [`Template::bind`] does.
    ///
    /// ```
    /// use postback::request::Body;
    /// use postback::{Slot, Token};
    ///
    /// let mut body = Body::json(r#"{"zone": "{tName:zoneid}", "site": "{tName:siteid}"}"#)?;
    /// // The traffic source keeps `zoneid` in t1, and no `siteid`.
    /// let err = body.bind(|name| (name == "zoneid").then_some(Slot::MIN)).unwrap_err();
    /// assert_eq!(err.unbound().map(|(name, _)| name).collect::<Vec<_>>(), ["siteid"]);
    /// let tokens: Vec<Token> = body.tokens().collect();
    /// assert_eq!(tokens, [Token::T(Slot::MIN), Token::TName("siteid")]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`BindError`] with every name `slot_of` has no slot for; the others are bound.
    pub fn bind<F: FnMut(&str) -> Option<Slot>>(&mut self, slot_of: F) -> Result<(), BindError> {
        self.template.bind(slot_of)
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Body")
            .field("content", &self.content)
            .field("template", &self.as_str())
            .finish()
    }
}

/// A request header: a name, and a template for its value.
///
/// ```
/// use postback::request::Header;
/// use postback::ErrorKind;
///
/// let header = Header::new("X-Api-Key", "k-{campaign_key}")?;
/// assert_eq!(header.name(), "X-Api-Key");
///
/// let err = Header::new("Content-Length", "9").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidHeader);
/// let err = Header::new("X-Note", "a\r\nX-Admin: 1").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidChar);
/// # Ok::<(), postback::ParseError>(())
/// ```
///
/// With the `serde` feature it reads and writes as an object of its name and its value's
/// template, checked as it is read:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::request::Header;
///
/// let header: Header = serde_json::from_str(r#"{"name": "X-Api-Key", "value": "k-{campaign_key}"}"#)?;
/// assert_eq!((header.name(), header.value()), ("X-Api-Key", "k-{campaign_key}"));
/// let json = r#"{"name": "X-Note", "value": "a\r\nX-Admin: 1"}"#;
/// assert!(serde_json::from_str::<Header>(json).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Header {
    name: Box<str>,
    value: Template<'static>,
}

/// The headers a host's HTTP client writes itself, from the request: a template may not set
/// them.
const RESERVED: [&str; 6] = [
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
    "te",
];

impl Header {
    /// The header `name` with the value template `value`.
    ///
    /// ```
    /// use postback::request::Header;
    /// use postback::ErrorKind;
    ///
    /// let header = Header::new("Authorization", "Bearer {t1}")?;
    /// assert_eq!(header.value(), "Bearer {t1}");
    /// // The HTTP client writes the content type, from the body: in any case.
    /// let err = Header::new("content-type", "text/plain").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidHeader);
    /// let err = Header::new("X Api Key", "k-7").unwrap_err();
    /// assert_eq!((err.kind(), err.span().start), (ErrorKind::InvalidHeader, 1));
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`ParseError`] of the name ([`ErrorKind::InvalidHeader`](crate::ErrorKind): empty,
    /// a character that is not a field name's, or a header the HTTP client sets itself:
    /// `Host`, `Content-Length`, `Content-Type`, `Transfer-Encoding`, `Connection`, `TE`), or
    /// of the value: a token that does not parse, a control character but tab in its literal
    /// text or in a text a modifier writes (`default`, a `map` TO:
    /// [`ErrorKind::InvalidChar`](crate::ErrorKind)).
    pub fn new(name: &str, value: &str) -> Result<Header, ParseError> {
        let fault = |span, expected| {
            Err(ParseError::new(
                (span, Fault::HeaderName { expected }),
                name,
            ))
        };
        if name.is_empty() {
            return fault(
                Span::new(0, 0),
                "a name of letters, digits and !#$%&'*+-.^_`|~",
            );
        }
        if let Some((at, c)) = name.char_indices().find(|&(_, c)| !is_tchar(c)) {
            let span = Span::new(at, at + c.len_utf8());
            return fault(span, "a name of letters, digits and !#$%&'*+-.^_`|~");
        }
        if RESERVED.iter().any(|r| name.eq_ignore_ascii_case(r)) {
            let expected = "a header the HTTP client does not set itself (Host, Content-Length, \
                            Content-Type, Transfer-Encoding, Connection and TE it does)";
            return fault(Span::new(0, name.len()), expected);
        }
        let source = Cow::Owned(String::from(value));
        let (value, Line) = Template::compile_with(source, &ParseOptions::default(), Line)?;
        // What a modifier may write is the header's text too.
        let src = value.as_str();
        let texts = value.modifiers().iter().flat_map(|m| m.texts(src));
        for (at, text) in texts {
            if let Err(located) = Line.literal(text, at) {
                return Err(ParseError::new(located, src));
            }
        }
        Ok(Header {
            name: name.into(),
            value,
        })
    }

    /// The name, as given.
    ///
    /// ```
    /// use postback::request::Header;
    ///
    /// let header = Header::new("x-api-key", "k-7")?;
    /// assert_eq!(header.name(), "x-api-key");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value's template, as written.
    ///
    /// ```
    /// use postback::request::Header;
    ///
    /// let header = Header::new("X-Click", "{externalid|default:none}")?;
    /// assert_eq!(header.value(), "{externalid|default:none}");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn value(&self) -> &str {
        self.value.as_str()
    }

    /// The tokens the value reads, in order.
    ///
    /// ```
    /// use postback::request::Header;
    /// use postback::Token;
    ///
    /// let header = Header::new("X-Source", "{trafficsource}/{campaign}")?;
    /// let tokens: Vec<Token> = header.tokens().collect();
    /// assert_eq!(tokens, [Token::TrafficSource, Token::Campaign]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn tokens(&self) -> Tokens<'_> {
        self.value.tokens()
    }

    /// The value's template, for binding and checking it against a traffic source.
    pub(crate) fn template_mut(&mut self) -> &mut Template<'static> {
        &mut self.value
    }

    /// Resolves each `{tName:NAME}` of the value, as [`Template::bind`] does.
    ///
    /// ```
    /// use postback::request::Header;
    /// use postback::{Slot, Token};
    ///
    /// let mut header = Header::new("X-Zone", "{tName:zoneid}")?;
    /// let t3 = Slot::new(3).ok_or("no slot 3")?;
    /// header.bind(|name| (name == "zoneid").then_some(t3))?;
    /// assert_eq!(header.tokens().collect::<Vec<_>>(), [Token::T(t3)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`BindError`] with every name `slot_of` has no slot for.
    pub fn bind<F: FnMut(&str) -> Option<Slot>>(&mut self, slot_of: F) -> Result<(), BindError> {
        self.value.bind(slot_of)
    }
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Header")
            .field("name", &self.name())
            .field("value", &self.value())
            .finish()
    }
}

/// Whether `c` may be in a header's name: RFC 9110's `tchar`.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// What a postback sends: its method, URL, body and headers, borrowed from where they are
/// kept. [`Fire::request`](crate::select::Fire::request) gives the one of a fired postback.
///
/// ```
/// use postback::request::Method;
/// use postback::select::{Conversion, Settings, select};
///
/// let exoclick = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?);
/// let (campaign, conversion) = (Settings::default(), Conversion::new(1, "2.50".parse()?));
/// let selection = select(&exoclick, &campaign, &conversion);
/// let request = selection.fired().next().ok_or("nothing fired")?.request();
/// assert_eq!(request.method(), Method::Get);
/// assert_eq!(request.url().as_str(), "https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}");
/// assert!(request.body().is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Request<'r> {
    method: Method,
    url: &'r Template<'r>,
    body: Option<&'r Body>,
    headers: &'r [Header],
}

impl<'r> Request<'r> {
    /// A GET of `url`.
    ///
    /// ```
    /// use postback::request::{Method, Outgoing, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}&value={payout}")?;
    /// let mut out = Outgoing::new();
    /// Request::get(&url).prepare(&[("externalid", "ck-93"), ("payout", "2.50")], &mut out)?;
    /// assert_eq!(out.method(), Method::Get);
    /// assert_eq!(out.url(), "https://s.magsrv.com/tag.php?goal=4f1b&tag=ck-93&value=2.50");
    /// assert_eq!((out.content_type(), out.body()), (None, ""));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn get(url: &'r Template<'r>) -> Request<'r> {
        Request {
            method: Method::Get,
            url,
            body: None,
            headers: &[],
        }
    }

    /// A POST to `url`, without a body until [`with_body`](Request::with_body).
    ///
    /// ```
    /// use postback::request::{Method, Outgoing, Request};
    /// use postback::Template;
    ///
    /// // A network that takes the postback's query by POST, with an empty body.
    /// let url = Template::parse("https://t.example/pb?cid={clickid}")?;
    /// let mut out = Outgoing::new();
    /// Request::post(&url).prepare(&[("clickid", "ck-1")], &mut out)?;
    /// assert_eq!((out.method(), out.url()), (Method::Post, "https://t.example/pb?cid=ck-1"));
    /// assert_eq!((out.content_type(), out.body()), (None, ""));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn post(url: &'r Template<'r>) -> Request<'r> {
        Request {
            method: Method::Post,
            ..Request::get(url)
        }
    }

    /// A request with `method` to `url`.
    ///
    /// ```
    /// use postback::request::{Body, Method, Outgoing, Request, RequestError};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://capi.example/events")?;
    /// let body = Body::json(r#"{"click_id": "{externalid}"}"#)?;
    /// let mut out = Outgoing::new();
    /// // The method a rule was saved with: a body goes only with a POST.
    /// let get = Request::new(Method::Get, &url).with_body(&body);
    /// assert_eq!(get.prepare(&[("externalid", "ck-1")], &mut out), Err(RequestError::BodyWithGet));
    /// Request::new(Method::Post, &url).with_body(&body).prepare(&[("externalid", "ck-1")], &mut out)?;
    /// assert_eq!(out.body(), r#"{"click_id": "ck-1"}"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn new(method: Method, url: &'r Template<'r>) -> Request<'r> {
        Request {
            method,
            ..Request::get(url)
        }
    }

    /// The same request, with `body`.
    ///
    /// ```
    /// use postback::request::{Body, Outgoing, Request};
    /// use postback::{Template, Value};
    ///
    /// let url = Template::parse("https://capi.example/events")?;
    /// let body = Body::json(r#"{"click_id": "{externalid}", "value": {payout}, "currency": "{cnv_currency}"}"#)?;
    /// let conversion = [("externalid", Value::Str("ck\"1")), ("payout", Value::Decimal("2.50".parse()?))];
    /// let mut out = Outgoing::new();
    /// Request::post(&url).with_body(&body).prepare(&conversion, &mut out)?;
    /// assert_eq!(out.content_type(), Some("application/json"));
    /// assert_eq!(out.body(), r#"{"click_id": "ck\"1", "value": 2.50, "currency": ""}"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn with_body(self, body: &'r Body) -> Request<'r> {
        Request {
            body: Some(body),
            ..self
        }
    }

    /// The same request, with `headers`.
    ///
    /// ```
    /// use postback::request::{Header, Outgoing, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://capi.example/events?click_id={externalid}")?;
    /// let headers = [Header::new("X-Api-Key", "k-7")?, Header::new("X-Campaign", "{campaign}")?];
    /// let mut out = Outgoing::new();
    /// let click = [("externalid", "ck-1"), ("campaign", "17")];
    /// Request::post(&url).with_headers(&headers).prepare(&click, &mut out)?;
    /// assert_eq!(out.headers().collect::<Vec<_>>(), [("X-Api-Key", "k-7"), ("X-Campaign", "17")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn with_headers(self, headers: &'r [Header]) -> Request<'r> {
        Request { headers, ..self }
    }

    /// The method.
    ///
    /// ```
    /// use postback::request::{Method, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://capi.example/events")?;
    /// assert_eq!(Request::post(&url).method(), Method::Post);
    /// assert_eq!(Request::get(&url).method(), Method::Get);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const fn method(&self) -> Method {
        self.method
    }

    /// The URL template.
    ///
    /// ```
    /// use postback::request::Request;
    /// use postback::{Template, Token};
    ///
    /// let url = Template::parse("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}")?;
    /// let request = Request::get(&url);
    /// assert_eq!(request.url().tokens().collect::<Vec<_>>(), [Token::ExternalId]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const fn url(&self) -> &'r Template<'r> {
        self.url
    }

    /// The body, if any.
    ///
    /// ```
    /// use postback::request::{Body, ContentType, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://capi.example/events")?;
    /// let body = Body::form("click_id={externalid}")?;
    /// let request = Request::post(&url);
    /// assert!(request.body().is_none());
    /// assert_eq!(request.with_body(&body).body().map(Body::content_type), Some(ContentType::Form));
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const fn body(&self) -> Option<&'r Body> {
        self.body
    }

    /// The headers.
    ///
    /// ```
    /// use postback::request::{Header, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://capi.example/events")?;
    /// let headers = [Header::new("X-Api-Key", "k-7")?];
    /// let request = Request::post(&url).with_headers(&headers);
    /// assert_eq!(request.headers().iter().map(Header::name).collect::<Vec<_>>(), ["X-Api-Key"]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const fn headers(&self) -> &'r [Header] {
        self.headers
    }

    /// Expands the request with `source`'s values into `out`, replacing what it held and
    /// reusing its buffers: once they have grown to fit, nothing is allocated. A token without
    /// a usable value is written as nothing in the URL (as [`Template::expand`] does), in a
    /// form and in a header, and as `null` where a JSON value stands (`""` in a string).
    ///
    /// ```
    /// use postback::request::{Body, Outgoing, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://capi.example/events?pixel={t1}")?;
    /// let body = Body::json(r#"{"click_id": "{externalid}", "value": {payout}, "event": "{cnv_event}"}"#)?;
    /// let request = Request::post(&url).with_body(&body);
    /// let mut out = Outgoing::new();
    /// // Only the click id: the rest is written as missing.
    /// request.prepare(&[("externalid", "ck-1")], &mut out)?;
    /// assert_eq!(out.url(), "https://capi.example/events?pixel=");
    /// assert_eq!(out.body(), r#"{"click_id": "ck-1", "value": null, "event": ""}"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`RequestError`], and `out` is left empty, when a header's value would hold a control
    /// character (CR, LF, NUL...: it is refused, never written), or a GET has a body.
    pub fn prepare<S: TokenSource + ?Sized>(
        &self,
        source: &S,
        out: &mut Outgoing,
    ) -> Result<(), RequestError> {
        self.fill(source, out, None)
    }

    /// Expands the request as [`prepare`](Request::prepare) does, and fails unless every
    /// token of the URL, the body and the headers has a usable value.
    ///
    /// ```
    /// use postback::request::{Body, Outgoing, Part, Request, RequestError};
    /// use postback::{Template, Value};
    ///
    /// let url = Template::parse("https://capi.example/events")?;
    /// let body = Body::json(r#"{"click_id": "{externalid}", "value": {payout}}"#)?;
    /// let request = Request::post(&url).with_body(&body);
    /// let mut out = Outgoing::new();
    /// let mut conversion = vec![("externalid", Value::Str("ck-1"))];
    /// let err = request.try_prepare(&conversion, &mut out).unwrap_err();
    /// assert!(matches!(err, RequestError::Unusable { part: Part::Body, .. }));
    /// assert_eq!(err.to_string(), r#"the body: token without a usable value: no value for "payout" at bytes 38..46"#);
    /// assert_eq!(out.body(), "");
    /// conversion.push(("payout", Value::Decimal("2.50".parse()?)));
    /// request.try_prepare(&conversion, &mut out)?;
    /// assert_eq!(out.body(), r#"{"click_id": "ck-1", "value": 2.50}"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`RequestError`] as [`prepare`](Request::prepare) says, or
    /// [`RequestError::Unusable`] with the first part whose tokens lack a value, and every
    /// such token of it; `out` is left empty.
    pub fn try_prepare<S: TokenSource + ?Sized>(
        &self,
        source: &S,
        out: &mut Outgoing,
    ) -> Result<(), RequestError> {
        let mut problems = Vec::new();
        self.fill(source, out, Some(&mut problems))
    }

    fn fill<S: TokenSource + ?Sized>(
        &self,
        source: &S,
        out: &mut Outgoing,
        mut problems: Option<&mut Vec<Problem>>,
    ) -> Result<(), RequestError> {
        out.clear();
        let result = self.fill_parts(source, out, &mut problems);
        if result.is_err() {
            out.clear();
        }
        result
    }

    fn fill_parts<S: TokenSource + ?Sized>(
        &self,
        source: &S,
        out: &mut Outgoing,
        problems: &mut Option<&mut Vec<Problem>>,
    ) -> Result<(), RequestError> {
        if self.method == Method::Get && self.body.is_some() {
            return Err(RequestError::BodyWithGet);
        }
        out.method = self.method;
        let unusable = |part, problems: &mut Vec<Problem>| RequestError::Unusable {
            part,
            error: ExpandError::new(core::mem::take(problems)),
        };
        match problems {
            Some(_) => {
                if let Err(error) = self.url.try_expand_into(source, &mut out.url) {
                    return Err(RequestError::Unusable {
                        part: Part::Url,
                        error,
                    });
                }
            }
            None => self.url.expand_into(source, &mut out.url),
        }
        if let Some(body) = self.body {
            out.content_type = Some(body.content);
            let refused = match body.content {
                ContentType::Json => fill(
                    &body.template,
                    source,
                    &mut JsonOut {
                        out: &mut out.body,
                        spots: &body.spots,
                    },
                    problems.as_deref_mut(),
                ),
                ContentType::Form => fill(
                    &body.template,
                    source,
                    &mut FormOut(&mut out.body),
                    problems.as_deref_mut(),
                ),
            };
            debug_assert!(refused.is_ok(), "bodies refuse no value");
            if let Some(problems) = problems.as_deref_mut().filter(|p| !p.is_empty()) {
                return Err(unusable(Part::Body, problems));
            }
        }
        for (index, header) in self.headers.iter().enumerate() {
            out.headers.push_str(&header.name);
            let name_end = out.headers.len();
            let written = fill(
                &header.value,
                source,
                &mut LineOut {
                    out: &mut out.headers,
                    start: name_end,
                },
                problems.as_deref_mut(),
            );
            if let Err(Refused { at, c }) = written {
                return Err(RequestError::Header {
                    name: String::from(header.name()),
                    index,
                    at,
                    c,
                });
            }
            if let Some(problems) = problems.as_deref_mut().filter(|p| !p.is_empty()) {
                return Err(unusable(Part::Header(index), problems));
            }
            out.header_ends.push((name_end, out.headers.len()));
        }
        Ok(())
    }
}

/// A request, expanded, for the host's HTTP client: reuse one for many requests, and its
/// buffers stop allocating once they fit.
///
/// ```
/// use postback::request::{Outgoing, Request};
/// use postback::Template;
///
/// let url = Template::parse("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}")?;
/// let request = Request::get(&url);
/// let mut out = Outgoing::new();
/// for id in ["ck-1", "ck 2"] {
///     request.prepare(&[("externalid", id)], &mut out)?;
///     // Send `out` here: each prepare replaces what the last one wrote.
/// }
/// assert_eq!(out.url(), "https://s.magsrv.com/tag.php?goal=4f1b&tag=ck%202");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outgoing {
    method: Method,
    url: String,
    content_type: Option<ContentType>,
    body: String,
    /// The headers' names and values, one after the other.
    headers: String,
    /// Where each header's name and value end in `headers`.
    header_ends: Vec<(usize, usize)>,
}

impl Outgoing {
    /// An empty request, to [`prepare`](Request::prepare) into.
    ///
    /// ```
    /// use postback::request::{Method, Outgoing};
    ///
    /// let out = Outgoing::new();
    /// assert_eq!((out.method(), out.url(), out.body()), (Method::Get, "", ""));
    /// assert_eq!(out, Outgoing::default());
    /// ```
    pub const fn new() -> Outgoing {
        Outgoing {
            method: Method::Get,
            url: String::new(),
            content_type: None,
            body: String::new(),
            headers: String::new(),
            header_ends: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.method = Method::Get;
        self.url.clear();
        self.content_type = None;
        self.body.clear();
        self.headers.clear();
        self.header_ends.clear();
    }

    /// The method.
    ///
    /// ```
    /// use postback::request::{Method, Outgoing, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://capi.example/events?click_id={externalid}")?;
    /// let mut out = Outgoing::new();
    /// Request::post(&url).prepare(&[("externalid", "ck-1")], &mut out)?;
    /// assert_eq!(out.method(), Method::Post);
    /// assert_eq!(out.method().as_str(), "POST");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn method(&self) -> Method {
        self.method
    }

    /// The URL.
    ///
    /// ```
    /// use postback::request::{Outgoing, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}")?;
    /// let mut out = Outgoing::new();
    /// Request::get(&url).prepare(&[("externalid", "ex&123")], &mut out)?;
    /// assert_eq!(out.url(), "https://s.magsrv.com/tag.php?goal=4f1b&tag=ex%26123");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `Content-Type` of the body, `None` without one.
    ///
    /// ```
    /// use postback::request::{Body, Outgoing, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://capi.example/events")?;
    /// let body = Body::json(r#"{"click_id": "{externalid}"}"#)?;
    /// let mut out = Outgoing::new();
    /// Request::post(&url).with_body(&body).prepare(&[("externalid", "ck-1")], &mut out)?;
    /// assert_eq!(out.content_type(), Some("application/json"));
    /// Request::post(&url).prepare(&[("externalid", "ck-1")], &mut out)?;
    /// assert_eq!(out.content_type(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn content_type(&self) -> Option<&'static str> {
        self.content_type.map(ContentType::mime)
    }

    /// The body, empty without one.
    ///
    /// ```
    /// use postback::request::{Body, Outgoing, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://capi.example/events")?;
    /// let body = Body::json(r#"{"user_agent": "{user_agent}"}"#)?;
    /// let mut out = Outgoing::new();
    /// let click = [("user_agent", "Mozilla/5.0 \"Mobile\"\n")];
    /// Request::post(&url).with_body(&body).prepare(&click, &mut out)?;
    /// assert_eq!(out.body(), r#"{"user_agent": "Mozilla/5.0 \"Mobile\"\n"}"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The headers, names and values, in order; `Content-Type` is not among them.
    ///
    /// ```
    /// use postback::request::{Body, Header, Outgoing, Request};
    /// use postback::Template;
    ///
    /// let url = Template::parse("https://capi.example/events")?;
    /// let body = Body::json(r#"{"click_id": "{externalid}"}"#)?;
    /// let headers = [Header::new("X-Api-Key", "k-7")?, Header::new("X-Click", "{externalid}")?];
    /// let mut out = Outgoing::new();
    /// let request = Request::post(&url).with_body(&body).with_headers(&headers);
    /// request.prepare(&[("externalid", "ck-1")], &mut out)?;
    /// assert_eq!(out.headers().collect::<Vec<_>>(), [("X-Api-Key", "k-7"), ("X-Click", "ck-1")]);
    /// assert_eq!(out.headers().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        let mut start = 0;
        self.header_ends.iter().map(move |&(name_end, value_end)| {
            let name = self.headers.get(start..name_end).unwrap_or_default();
            let value = self.headers.get(name_end..value_end).unwrap_or_default();
            start = value_end;
            (name, value)
        })
    }
}

/// Which part of a request an [`RequestError::Unusable`] is about.
///
/// ```
/// use postback::request::{Header, Outgoing, Part, Request, RequestError};
/// use postback::Template;
///
/// let url = Template::parse("https://capi.example/events?click_id={externalid}")?;
/// let headers = [Header::new("X-Api-Key", "k-7")?, Header::new("X-Campaign", "{campaign}")?];
/// let request = Request::post(&url).with_headers(&headers);
/// let err = request.try_prepare(&[("externalid", "ck-1")], &mut Outgoing::new()).unwrap_err();
/// assert!(matches!(err, RequestError::Unusable { part: Part::Header(1), .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The URL.
    Url,
    /// The body.
    Body,
    /// The header at this index.
    Header(usize),
}

/// Why a request was not prepared.
///
/// ```
/// use postback::request::{Header, Outgoing, Request, RequestError};
/// use postback::Template;
///
/// let url = Template::parse("https://capi.example/events")?;
/// let headers = [Header::new("X-Click", "id={externalid}")?];
/// let request = Request::post(&url).with_headers(&headers);
/// let click = [("externalid", "ck\r\nX-Admin: 1")];
/// let err = request.prepare(&click, &mut Outgoing::new()).unwrap_err();
/// let at = RequestError::Header { name: "X-Click".into(), index: 0, at: 5, c: '\r' };
/// assert_eq!(err, at);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestError {
    /// A header's value would hold a control character (CR, LF, NUL, any but tab), which
    /// could end the header and start another: the request is not made.
    Header {
        /// The header's name.
        name: String,
        /// Its index among the request's headers.
        index: usize,
        /// Where the character is, in bytes of the value as it was being written.
        at: usize,
        /// The character.
        c: char,
    },
    /// A GET with a body: a body is sent only by POST.
    BodyWithGet,
    /// Tokens without a usable value, in [`Request::try_prepare`]: the first part that has
    /// some, and each of them.
    Unusable {
        /// The part.
        part: Part,
        /// Its tokens without a usable value.
        error: ExpandError,
    },
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Header { name, index, at, c } => write!(
                f,
                "header {name:?} (headers[{index}]) would hold a control character (U+{:04X}) \
                 at byte {at} of its value; the request is not made",
                u32::from(*c)
            ),
            RequestError::BodyWithGet => {
                f.write_str("a GET request has a body; only a POST sends one")
            }
            RequestError::Unusable { part, error } => {
                match part {
                    Part::Url => f.write_str("the URL: ")?,
                    Part::Body => f.write_str("the body: ")?,
                    Part::Header(index) => write!(f, "headers[{index}]: ")?,
                }
                fmt::Display::fmt(error, f)
            }
        }
    }
}

impl core::error::Error for RequestError {}

// ---------------------------------------------------------------------------------------------
// Reading bodies and headers when they are made.
// ---------------------------------------------------------------------------------------------

/// How deep a JSON body's objects and arrays may nest.
const MAX_DEPTH: usize = 32;

/// The reader of a JSON body: RFC 8259's grammar, with the tokens standing in for values.
struct Json {
    state: State,
    /// The open objects (`{`) and arrays (`[`), innermost last.
    stack: [u8; MAX_DEPTH],
    depth: usize,
    spots: SmallVec<[Spot; INLINE_HOLES]>,
}

/// Where a JSON reader is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Before a value; `close` if a `]` may end an empty array here.
    Value { close: bool },
    /// After a value.
    After,
    /// Before a key; `close` if a `}` may end an empty object here.
    Key { close: bool },
    /// After a key.
    Colon,
    /// In a string, a key's if `key`.
    Str { key: bool },
    /// After a `\` in a string.
    Escape { key: bool },
    /// In a `\u` escape, `left` hex digits to go.
    Unicode { key: bool, left: u8 },
    /// In a number.
    Number(Number),
    /// In `true`, `false` or `null`, `at` bytes read.
    Word { word: &'static [u8], at: usize },
}

/// Where a JSON reader is in a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Number {
    Minus,
    Zero,
    Int,
    Dot,
    Fraction,
    E,
    Sign,
    Exponent,
}

impl Number {
    /// The state after `b`, if `b` goes on the number.
    fn next(self, b: u8) -> Option<Number> {
        use Number::*;
        Some(match (self, b) {
            (Minus, b'0') => Zero,
            (Minus, b'1'..=b'9') | (Int, b'0'..=b'9') => Int,
            (Zero | Int, b'.') => Dot,
            (Dot | Fraction, b'0'..=b'9') => Fraction,
            (Zero | Int | Fraction, b'e' | b'E') => E,
            (E, b'+' | b'-') => Sign,
            (E | Sign | Exponent, b'0'..=b'9') => Exponent,
            _ => return None,
        })
    }

    /// Whether the number may end here.
    fn complete(self) -> bool {
        matches!(
            self,
            Number::Zero | Number::Int | Number::Fraction | Number::Exponent
        )
    }
}

impl Json {
    fn new() -> Json {
        Json {
            state: State::Value { close: false },
            stack: [0; MAX_DEPTH],
            depth: 0,
            spots: SmallVec::new(),
        }
    }

    /// What the reader expects next, for an error.
    fn expected(&self) -> &'static str {
        let top = self.depth.checked_sub(1).map(|i| self.stack[i]);
        match self.state {
            State::Value { close: true } => "a value or \"]\"",
            State::Value { .. } => {
                "a value: a string, a number, an object, an array, true, false, null or a token"
            }
            State::After => match top {
                Some(b'{') => "\",\" or \"}\"",
                Some(_) => "\",\" or \"]\"",
                None => "the end of the body",
            },
            State::Key { close: true } => "a key in double quotes, or \"}\"",
            State::Key { .. } => "a key in double quotes",
            State::Colon => "\":\"",
            State::Str { .. } => "a character, or a control character written as an escape (\\n)",
            State::Escape { .. } => "an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX",
            State::Unicode { .. } => "a hex digit of a \\u escape",
            State::Number(_) => "a digit",
            State::Word { .. } => "true, false or null",
        }
    }

    fn fault(&self, span: Span) -> Located {
        let fault = Fault::Body {
            content: ContentType::Json.name(),
            expected: self.expected(),
        };
        (span, fault)
    }

    /// Reads the byte `b`; `Err(None)` if the body cannot go on with it, in which case the
    /// state is as it was, for [`expected`](Json::expected), or `Err(Some(_))` with the whole
    /// fault.
    fn byte(&mut self, b: u8, at: usize) -> Result<(), Option<Located>> {
        loop {
            match self.state {
                State::Number(n) => match n.next(b) {
                    Some(next) => self.state = State::Number(next),
                    None if n.complete() => {
                        self.state = State::After;
                        continue;
                    }
                    None => return Err(None),
                },
                State::Word { word, at: read } => match word.get(read) {
                    Some(&w) if w == b => {
                        self.state = match read + 1 == word.len() {
                            true => State::After,
                            false => State::Word { word, at: read + 1 },
                        };
                    }
                    _ => return Err(None),
                },
                State::Str { key } => match b {
                    b'"' => self.state = if key { State::Colon } else { State::After },
                    b'\\' => self.state = State::Escape { key },
                    0..=0x1f => return Err(None),
                    _ => {}
                },
                State::Escape { key } => match b {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                        self.state = State::Str { key }
                    }
                    b'u' => self.state = State::Unicode { key, left: 4 },
                    _ => return Err(None),
                },
                State::Unicode { key, left } => match b.is_ascii_hexdigit() {
                    true if left == 1 => self.state = State::Str { key },
                    true => {
                        self.state = State::Unicode {
                            key,
                            left: left - 1,
                        }
                    }
                    false => return Err(None),
                },
                _ if matches!(b, b' ' | b'\t' | b'\n' | b'\r') => {}
                State::Value { close } => {
                    self.state = match b {
                        b'{' => {
                            self.push(b, at).map_err(Some)?;
                            State::Key { close: true }
                        }
                        b'[' => {
                            self.push(b, at).map_err(Some)?;
                            State::Value { close: true }
                        }
                        b']' if close => {
                            self.depth -= 1;
                            State::After
                        }
                        b'"' => State::Str { key: false },
                        b'-' => State::Number(Number::Minus),
                        b'0' => State::Number(Number::Zero),
                        b'1'..=b'9' => State::Number(Number::Int),
                        b't' => State::Word {
                            word: b"true",
                            at: 1,
                        },
                        b'f' => State::Word {
                            word: b"false",
                            at: 1,
                        },
                        b'n' => State::Word {
                            word: b"null",
                            at: 1,
                        },
                        _ => return Err(None),
                    }
                }
                State::Key { close } => {
                    self.state = match b {
                        b'"' => State::Str { key: true },
                        b'}' if close => {
                            self.depth -= 1;
                            State::After
                        }
                        _ => return Err(None),
                    }
                }
                State::Colon => match b {
                    b':' => self.state = State::Value { close: false },
                    _ => return Err(None),
                },
                State::After => {
                    let top = self.depth.checked_sub(1).map(|i| self.stack[i]);
                    self.state = match (top, b) {
                        (Some(b'{'), b',') => State::Key { close: false },
                        (Some(b'['), b',') => State::Value { close: false },
                        (Some(b'{'), b'}') | (Some(b'['), b']') => {
                            self.depth -= 1;
                            State::After
                        }
                        _ => return Err(None),
                    }
                }
            }
            return Ok(());
        }
    }

    fn push(&mut self, b: u8, at: usize) -> Result<(), Located> {
        match self.stack.get_mut(self.depth) {
            Some(slot) => {
                *slot = b;
                self.depth += 1;
                Ok(())
            }
            None => {
                let fault = Fault::Body {
                    content: ContentType::Json.name(),
                    expected: "objects and arrays nested at most 32 deep",
                };
                Err((Span::new(at, at + 1), fault))
            }
        }
    }
}

impl Read for Json {
    fn literal(&mut self, text: &str, at: usize) -> Result<Option<usize>, Located> {
        for (i, &b) in text.as_bytes().iter().enumerate() {
            match self.byte(b, at + i) {
                Ok(()) => {}
                Err(Some(located)) => return Err(located),
                // A byte that fails is a character's first: its continuations are only read
                // in strings, which take them all.
                Err(None) => {
                    let len = text.get(i..).and_then(|t| t.chars().next());
                    let span = Span::new(at + i, at + i + len.map_or(1, char::len_utf8));
                    return Err(self.fault(span));
                }
            }
        }
        Ok(None)
    }

    fn token(&mut self, span: Span, _: usize) -> Result<Place, Located> {
        let fault = |expected| {
            let content = ContentType::Json.name();
            Err((span, Fault::Body { content, expected }))
        };
        match self.state {
            State::Str { key: false } => self.spots.push(Spot::String),
            State::Value { .. } => {
                self.spots.push(Spot::Value);
                self.state = State::After;
            }
            State::Str { key: true } => {
                return fault("a token in a string value or as a value, not in a key");
            }
            State::Number(_) | State::Word { .. } => {
                return fault(
                    "a token in a string value or as a value, not inside a number or a word",
                );
            }
            State::Escape { .. } | State::Unicode { .. } => {
                return fault("a whole escape before the token");
            }
            _ => return Err(self.fault(span)),
        }
        Ok(Place::Query)
    }

    fn finish(&mut self, end: usize) -> Result<Option<usize>, Located> {
        if let State::Number(n) = self.state {
            if n.complete() {
                self.state = State::After;
            }
        }
        match (self.state, self.depth) {
            (State::After, 0) => Ok(None),
            _ => {
                let fault = Fault::Body {
                    content: ContentType::Json.name(),
                    expected: match self.state {
                        State::After => "the end of the open objects and arrays",
                        State::Str { .. } => "the string's closing \"",
                        _ => self.expected(),
                    },
                };
                Err((Span::new(end, end), fault))
            }
        }
    }

    fn opens_token(&self, after: &[u8]) -> bool {
        after
            .first()
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
    }
}

/// The reader of a form body: literal text as it is sent, with nothing a form encodes.
struct Form;

impl Read for Form {
    fn literal(&mut self, text: &str, at: usize) -> Result<Option<usize>, Located> {
        bad_char(text, at).map_or(Ok(None), Err)
    }
}

/// The reader of a header's value: literal text without a control character but tab.
struct Line;

impl Read for Line {
    fn literal(&mut self, text: &str, at: usize) -> Result<Option<usize>, Located> {
        match text.char_indices().find(|&(_, c)| is_forbidden(c)) {
            Some((i, c)) => Err((
                Span::new(at + i, at + i + c.len_utf8()),
                Fault::InvalidChar(c),
            )),
            None => Ok(None),
        }
    }
}

/// Whether a header's value may not hold `c`: a control character but tab.
fn is_forbidden(c: char) -> bool {
    c.is_ascii_control() && c != '\t'
}

// ---------------------------------------------------------------------------------------------
// Writing bodies and headers.
// ---------------------------------------------------------------------------------------------

/// A value a header refused.
struct Refused {
    at: usize,
    c: char,
}

/// What writes a body's or a header's pieces, each in its context.
trait Out {
    fn literal(&mut self, text: &str);
    /// Writes the `spot`-th token's usable value.
    fn value(&mut self, spot: usize, value: &Val<'_>) -> Result<(), Refused>;
    /// Writes what stands for the `spot`-th token without a usable value.
    fn missing(&mut self, spot: usize);
}

/// Expands `template` with `source`'s values into `out`: the one loop of bodies and headers.
/// Problems go to `problems`, if given.
fn fill<S: TokenSource + ?Sized, O: Out>(
    template: &Template<'_>,
    source: &S,
    out: &mut O,
    mut problems: Option<&mut Vec<Problem>>,
) -> Result<(), Refused> {
    let text = template.as_str();
    let mut literal = 0;
    let mut modifiers: &[Modifier] = template.modifiers();
    let mut spot = 0;
    for (index, hole) in (0u32..).zip(template.holes()) {
        out.literal(text.get(literal..hole.start as usize).unwrap_or_default());
        literal = hole.end as usize;
        let Some(token) = template.token(hole) else {
            out.literal(template.escaped(hole));
            continue;
        };
        let count = modifiers.iter().take_while(|m| m.hole == index).count();
        let these;
        (these, modifiers) = modifiers.split_at(count);
        let applied = modifier::apply(text, these, source.value(&token));
        // The rules of a query value: no dot rule, which is the path's.
        let problem = usable_modified(applied.value, applied.raw, Place::Query).err();
        if let (Some(kind), Some(problems)) = (problem, problems.as_deref_mut()) {
            problems.push(Problem::new(kind, hole.span(), template.inner(hole)));
        }
        match problem {
            Some(ProblemKind::Empty) | None => out.value(spot, &applied.value)?,
            Some(_) => out.missing(spot),
        }
        spot += 1;
    }
    out.literal(text.get(literal..).unwrap_or_default());
    Ok(())
}

/// Writes the text of a usable value, as it is: its letters in their case, a number in
/// plain notation.
fn plain(value: &Val<'_>, mut write: impl FnMut(&str)) {
    match *value {
        Val::Text(text, case) => case.write(text, write),
        Val::Short(ref short, case) => case.write(short.as_str(), write),
        Val::Number(number) => {
            let _ = number.write_plain(&mut Writer(&mut write));
        }
        Val::Missing(_) => {}
    }
}

/// A `fmt::Write` that hands each piece to a closure.
struct Writer<F>(F);

impl<F: FnMut(&str)> fmt::Write for Writer<F> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        (self.0)(text);
        Ok(())
    }
}

/// Writes a JSON body.
struct JsonOut<'o> {
    out: &'o mut String,
    spots: &'o [Spot],
}

impl Out for JsonOut<'_> {
    fn literal(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn value(&mut self, spot: usize, value: &Val<'_>) -> Result<(), Refused> {
        let out = &mut *self.out;
        let quoted = matches!(value, Val::Text(..) | Val::Short(..));
        match self.spots.get(spot) {
            Some(Spot::Value) if quoted => {
                out.push('"');
                plain(value, |text| escape_json(out, text));
                out.push('"');
            }
            Some(Spot::Value) => plain(value, |text| out.push_str(text)),
            _ => plain(value, |text| escape_json(out, text)),
        }
        Ok(())
    }

    fn missing(&mut self, spot: usize) {
        if self.spots.get(spot) == Some(&Spot::Value) {
            self.out.push_str("null");
        }
    }
}

/// Appends `text` to `out` as the inside of a JSON string, escaped to RFC 8259: `"`, `\` and
/// every control character.
fn escape_json(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut clean = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[clean..i]);
        clean = i + 1;
        match escape {
            "" => {
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
            }
            escape => out.push_str(escape),
        }
    }
    out.push_str(&text[clean..]);
}

/// Writes a form body.
struct FormOut<'o>(&'o mut String);

impl Out for FormOut<'_> {
    fn literal(&mut self, text: &str) {
        self.0.push_str(text);
    }

    /// Every value is form-encoded, [`Value::Raw`](crate::Value::Raw) too: the host's encoding is for a URL.
    fn value(&mut self, _: usize, value: &Val<'_>) -> Result<(), Refused> {
        let out = &mut *self.0;
        plain(value, |text| encode_form(out, text));
        Ok(())
    }

    fn missing(&mut self, _: usize) {}
}

/// What a form encodes: every byte but ASCII letters, digits and `*-._`, and a space, which
/// [`encode_form`] writes as `+`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'*')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b' ');

/// Appends `text` to `out` form-encoded, as `application/x-www-form-urlencoded` serializes:
/// ASCII letters, digits and `*-._` as they are, a space as `+`, every other byte `%XX`.
fn encode_form(out: &mut String, text: &str) {
    for piece in utf8_percent_encode(text, FORM) {
        let mut words = piece.split(' ');
        out.push_str(words.next().unwrap_or_default());
        for word in words {
            out.push('+');
            out.push_str(word);
        }
    }
}

/// Writes a header's value, and refuses a control character in it.
struct LineOut<'o> {
    out: &'o mut String,
    /// Where the value starts in `out`.
    start: usize,
}

impl Out for LineOut<'_> {
    fn literal(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn value(&mut self, _: usize, value: &Val<'_>) -> Result<(), Refused> {
        let (out, start) = (&mut *self.out, self.start);
        let mut refused = None;
        plain(value, |text| {
            if refused.is_some() {
                return;
            }
            match text.char_indices().find(|&(_, c)| is_forbidden(c)) {
                Some((i, c)) => {
                    refused = Some(Refused {
                        at: out.len() - start + i,
                        c,
                    })
                }
                None => out.push_str(text),
            }
        });
        refused.map_or(Ok(()), Err)
    }

    fn missing(&mut self, _: usize) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_every_control_character() {
        let mut out = String::new();
        let all: String = (0u8..0x20)
            .map(char::from)
            .chain("\"\\/é\u{7f}".chars())
            .collect();
        escape_json(&mut out, &all);
        assert_eq!(
            out,
            "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\
             \\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\
             \\u001b\\u001c\\u001d\\u001e\\u001f\\\"\\\\/é\u{7f}"
        );
    }

    #[test]
    fn form_encoding_is_the_serializer_s() {
        let mut out = String::new();
        encode_form(&mut out, "a b&c=d+é*-._~");
        assert_eq!(out, "a+b%26c%3Dd%2B%C3%A9*-._%7E");
    }
}
