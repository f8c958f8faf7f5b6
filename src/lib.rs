//! Compile ad-tracker postback URL templates and expand them safely.
//!
//! When a click converts, a tracker sends a *postback* to the traffic source that sent the
//! click: a URL such as `https://s.magsrv.com/tag.php?goal=…&tag={externalid}&value={payout}`,
//! its tokens replaced with the click's and the conversion's data. This crate compiles such a
//! template once (no allocation, precise errors for a tracker's UI), then expands it for every
//! conversion with values from the host's [`TokenSource`], percent-encoding each value for its
//! place in the URL so that no click data (a referer, a user agent) can add a parameter,
//! a path or a host.
//!
//! ```
//! use postback::{Template, Value};
//!
//! let template = Template::parse(
//!     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
//! )?;
//! // The click's external id came from ExoClick's {conversions_tracking} macro.
//! let conversion = [
//!     ("externalid", Value::Str("ck-93&x=1")),
//!     ("payout", Value::Decimal("3.30".parse().unwrap())),
//! ];
//! assert_eq!(
//!     template.expand(&conversion),
//!     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag=ck-93%26x%3D1&value=3.30",
//! );
//! # Ok::<(), postback::ParseError>(())
//! ```
//!
//! # From a click to a delivered postback
//!
//! The whole loop a tracker runs, each step one call: the campaign link a network gets, the
//! click it sends, the postbacks a conversion fires, the requests to send, and what the
//! network's answer means. The crate does no I/O: the host sends, on its own clock.
//!
//! ```
//! use postback::delivery::{Answer, Attempt, Step};
//! use postback::request::Outgoing;
//! use postback::select::{Conversion, Settings, select};
//! use postback::traffic::presets::{self, GoalValue};
//!
//! // 1. The traffic source, and the link the tracker gives it: ExoClick fills its macros.
//! let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::Dynamic)?;
//! let link = exoclick.campaign_link("https://trk.example/c/summer")?;
//! assert!(link.starts_with("https://trk.example/c/summer?externalid={conversions_tracking}&"));
//!
//! // 2. A click arrives; the tracker captures ExoClick's click id from it.
//! let click = exoclick.capture("https://trk.example/c/summer?externalid=ex%26123&zoneid=4012")?;
//! assert_eq!(click.external_id(), Some("ex&123"));
//!
//! // 3. The click converts: which postbacks fire, the source's and the campaign's.
//! let campaign = Settings::default();
//! let conversion = Conversion::new(1, "2.50".parse()?);
//! let selection = select(exoclick.settings(), &campaign, &conversion);
//!
//! for fire in selection.fired() {
//!     // 4. Each is prepared: the click's values, escaped, at the payout `select` decided.
//!     let mut request = Outgoing::new();
//!     fire.try_prepare(&click, &mut request)?;
//!     assert_eq!(
//!         request.url(),
//!         "https://s.magsrv.com/tag.php?goal=4f1b2c3d4e5f60718293a4b5c6d7e8f9&tag=ex%26123&value=2.50",
//!     );
//!
//!     // 5. The host sends it with its HTTP client; ExoClick answers.
//!     let answer = Answer::Response { status: 200, body: "OK" };
//!
//!     // 6. The source's delivery policy says what the answer means, and what follows.
//!     let attempt = Attempt { number: 1, converted_at: 1_796_276_083, at: 1_796_276_090, seed: 7 };
//!     let step = exoclick.delivery().step(answer, attempt);
//!     assert!(matches!(step, Step::Done(_)));
//!     assert_eq!(step.to_string(), r#"done: delivered: rule 0 ("ok")"#);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The rest of these docs follow the tasks of that loop:
//!
//! | task | where |
//! | --- | --- |
//! | write a template: tokens, modifiers, dates | [Syntax](#syntax), [Modifiers](#modifiers), [Dates and times](#dates-and-times), [`Token`], [`ParseOptions`] |
//! | know what a value can and cannot do to the URL | [Encoding](#encoding), [`encode`] |
//! | supply the values | [`TokenSource`], [`Value`], [`Missing`]; [Expanding often](#expanding-often) with [`Bound`] |
//! | describe a network: parameters, macros, capture, presets, import | [`traffic`], [`traffic::presets`], [`traffic::keitaro`] |
//! | decide which postbacks fire: rules, shares, statuses, events, goals | [`select`] |
//! | send: methods, bodies, headers, signatures | [`request`], [`sign`] (with `hash`) |
//! | read the answer, retry, give up | [`delivery`] |
//! | check templates for a UI: errors with spans, warnings | [`ParseError`], [`Template::lint`] |
//!
//! # Syntax
//!
//! A template is an absolute URL with tokens in it. A token is a name between delimiters, `{name}`,
//! optionally with an argument after a colon, `{tName:zoneid}`. The delimiters are `{` and `}`
//! unless [`ParseOptions::with_syntax`] sets others ([`Syntax`]: `[[name]]`, `<name>`, `${NAME}`,
//! `##NAME##`, `%name%`, any two non-empty strings).
//!
//! - The opening delimiter written twice stands for itself, once: `{{` is a literal `{`.
//!   A closing delimiter outside a token is literal text.
//! - A token ends at the first closing delimiter. An opening delimiter with no closing one
//!   before the next opening delimiter or the end is an error ([`ErrorKind::Unterminated`]).
//! - The name runs to the first `:`; the rest, verbatim, is the argument. Names are
//!   case-sensitive unless [`ParseOptions::with_ignore_case`] is set.
//! - Unknown names are errors with a suggestion (`did you mean "clickid"?`), or are kept as
//!   literal text, or handed to the host as [`Token::Custom`]: see [`Unknown`].
//!
//! The template must be a URL as WHATWG parsers (`url`, browsers, `ureq`, `reqwest`) read it,
//! or it is a parse error with its span, so that no value can choose where a postback goes:
//!
//! - it starts with `http://` or `https://` (in any case; [`Schemes::Any`] allows others) and a
//!   host, as literal text: no token in the scheme, no empty host, and nothing in the host or
//!   the port that no parser takes ([`ErrorKind::Scheme`], [`ErrorKind::EmptyHost`],
//!   [`ErrorKind::InvalidHost`]);
//! - its literal text has no whitespace (a pasted space), no control character and no `\`,
//!   which parsers read as `/` ([`ErrorKind::InvalidChar`]);
//! - no path segment of literal text is `.` or `..` (or `%2e`), which parsers remove with the
//!   segment before ([`ErrorKind::DotSegment`]).
//!
//! The tokens are those of the tracker's postback documentation ([`Token`]): `clickid`,
//! `externalid` (alias `external_id`), `payout`, `t1`..`t10`, `event1`..`event10`,
//! `tName:NAME` and the rest.
//!
//! # Modifiers
//!
//! A token may be followed by modifiers, each after a `|`, applied to its value from left to
//! right before the value is encoded: `{payout|percent:50}`,
//! `{cnv_status|map:lead=install,sale=bill|upper}`. They are checked when the template is
//! parsed (an unknown one is an error with a suggestion) and applied without allocating.
//!
//! ```text
//! token     = open head *( "|" modifier ) close
//! head      = name [ ":" argument ]             ; argument: any text but "|"
//! modifier  = "raw" / "lower" / "upper"
//!           / "md5" / "sha1" / "sha256"         ; with the `hash` feature
//!           / "default:" text                   ; text: not empty, no "|"
//!           / "map:" pair *( "," pair )         ; pair: from "=" to, from not empty,
//!                                               ;   neither with "=" "," or "|"
//!           / "percent:" decimal                ; a plain decimal >= 0: 50, 12.5, 150
//!           / "round:" places                   ; a whole number from 0 to 18
//!           / "date:" format [ "," zone ]       ; with the `time` feature: iso, unix,
//!                                               ;   unix_ms, or text with % specifiers;
//!                                               ;   zone: IANA name, UTC, +HH:MM
//! ```
//!
//! | modifier | what it does |
//! | --- | --- |
//! | `raw` | writes the value without percent-encoding: the only way around it, for text the template's author trusts; a `default` or `map` text it writes is literal text of the URL, so it may hold no whitespace, control character or `\` ([`ErrorKind::InvalidChar`]) |
//! | `default:TEXT` | TEXT, encoded like a value, replaces a missing or empty value |
//! | `map:FROM=TO,...` | a value equal to a FROM (exactly, as it would be written) becomes its TO; other values pass unchanged |
//! | `percent:N` | a number (or text that is a plain decimal) becomes exactly N% of itself, with at least its decimals; a value it cannot take a share of (`1e3`, `u64::MAX`, NaN) has no usable value, so it is written as a missing one is, never whole |
//! | `round:N` | a number (or text that is a plain decimal) is rounded to at most N decimal places, half away from zero (`0.175` to `0.18`), as PostgreSQL, MySQL and PHP round; other values have no usable value, as under `percent` |
//! | `lower`, `upper` | ASCII letters in lower or upper case; other characters unchanged |
//! | `md5`, `sha1`, `sha256` | the value becomes the lowercase hexadecimal digest of its text as it would be written (a number in plain notation), which `upper` can turn to uppercase, for networks that want hashed ids (Binom's `{t1_md5}` is `{t1\|md5}`); an empty or missing value is left as it is, for `default`. With the `hash` feature; without it they are [`ErrorKind::NeedsFeature`] |
//! | `date:FORMAT[,ZONE]` | Unix seconds (an integer, a decimal with a fraction, or text of one: `{cnv_time}`, `{time}`) become a date and time: `iso` (RFC 3339, `2026-12-03T05:34:43Z`), `unix`, `unix_ms`, or a format of `%` specifiers (`%Y-%m-%d %H:%M:%S`); in UTC, or in the ZONE after the format's last comma, an IANA name (`Europe/Kyiv`) or an offset (`+03:00`). The format and the zone are checked when the template is parsed, with the span of what is wrong; a value that is not a number, or beyond the years -9999 to 9999, is unusable, as under `percent`. With the `time` feature (see [Dates and times](#dates-and-times)) |
//!
//! A `|` in a token always starts a modifier, so it cannot appear in a `tName` or custom
//! argument; it is not a character URL text contains unencoded.
//!
//! # Encoding
//!
//! Where a token stands in the URL is decided when the template is parsed, and decides how
//! its [`Value::Str`] is encoded:
//!
//! - In the path, the query and the fragment, every byte outside `A-Z a-z 0-9 - . _ ~` is
//!   percent-encoded ([`encode::COMPONENT`]): `&`, `=`, `#`, `?`, `/`, `+`, `%`, spaces, line
//!   breaks and all of UTF-8. A value is always exactly one query value or one path segment.
//! - In the authority (`https://{domain}/`), `:` passes too ([`encode::AUTHORITY`]): a value
//!   can name a host and a port, never a path, a query or a userinfo of its own.
//! - A value never completes a percent-escape the template leaves open (`%2{t1}`): its
//!   first byte, if it is a hex digit, is encoded, which decodes to the same text.
//! - [`Value::Raw`] is written as it is, for text the host has encoded already. Numbers are
//!   written in plain decimal notation, never in exponent form.
//!
//! A value that cannot be written safely is *unusable*, like a missing one: empty text (in
//! the authority it would move the host into the path), a path value made only of dots (`..`
//! climbs the path even percent-encoded), a float that is not finite, a value that `percent`
//! or `round` cannot apply to. [`Template::expand`] writes nothing for such tokens,
//! [`Template::expand_with`] what a [`Missing`] policy says, and [`Template::try_expand`]
//! fails with all of them.
//!
//! Where writing nothing would let the template's own text change the URL, the token's own
//! text is written instead, whatever the policy, encoded so that it changes nothing either
//! (`{t1}` stays readable, `%t1%` and `##t1##` are encoded): in the authority (the host would
//! move into the path), in a path segment whose literal text is dots (`/.{t1}/` would be
//! `/./`), and after a `%` the template leaves open (`%2{t1}e` would be `%2e`, a dot). So for
//! any values, none included, an expansion has the template's path segments and query
//! pieces, and its host unless a token stands in it (text kept there names no host a request
//! could reach).
//!
//! # Dates and times
//!
//! The host answers `{time}` (the click's) and `{cnv_time}` (the conversion's, alias
//! `{timestamp}`) with Unix seconds; with the `time` feature, the `date` modifier writes
//! them as the network wants. The format is `iso` (RFC 3339, with `Z` in UTC and the zone's
//! offset elsewhere, and a fraction of a second only when there is one), `unix`, `unix_ms`,
//! or text with these specifiers, in English:
//!
//! | specifier | writes | specifier | writes |
//! | --- | --- | --- | --- |
//! | `%Y` | year, `2026` | `%a`, `%A` | weekday, `Thu`, `Thursday` |
//! | `%y` | year's last two digits, `26` | `%b`, `%B` | month, `Dec`, `December` |
//! | `%m` | month, `01`..`12` | `%u`, `%w` | weekday, Monday `1`..Sunday `7`; Sunday `0`..Saturday `6` |
//! | `%d` | day, `01`..`31` | `%p`, `%P` | `AM`/`PM`, `am`/`pm` |
//! | `%H` | hour, `00`..`23` | `%z`, `%:z` | offset, `+0200`, `+02:00` |
//! | `%I` | hour, `01`..`12` | `%Z` | zone abbreviation, `EET`, `UTC` |
//! | `%M`, `%S` | minute, second | `%s` | Unix seconds |
//! | `%j` | day of the year, `001`..`366` | `%F`, `%T` | `%Y-%m-%d`, `%H:%M:%S` |
//! | `%%` | `%` | `%-d` `%-m` `%-H` `%-I` `%-M` `%-S` `%-j` | without a leading zero |
//!
//! The zone, after the argument's last comma, is an IANA name (`Europe/Kyiv`, looked up
//! without regard to case), `UTC`, or an offset (`+03:00`, `-0530`, `+03`); without one the
//! date is in UTC. A format with a comma of its own therefore ends with one:
//! `date:%a, %d %b %Y,UTC`. A format writes at most 64 bytes. An unknown specifier or zone is
//! a parse error whose span is exactly what is wrong.
//!
//! ```
//! # #[cfg(feature = "time")] {
//! use postback::{Template, Value};
//!
//! let template = Template::parse(
//!     "https://t.example/pb?at={cnv_time|date:%Y-%m-%d %H:%M:%S,Europe/Kyiv}&clicked={time|date:iso}",
//! )?;
//! let conversion = [("cnv_time", Value::Int(1_796_276_083)), ("time", Value::Int(1_796_270_000))];
//! assert_eq!(
//!     template.expand(&conversion),
//!     "https://t.example/pb?at=2026-12-03%2007%3A34%3A43&clicked=2026-12-03T03%3A53%3A20Z",
//! );
//! let typo = Template::parse("https://t.example/pb?at={cnv_time|date:%F,Europe/Kyev}").unwrap_err();
//! assert_eq!(&typo.template()[typo.span().range()], "Europe/Kyev");
//! # }
//! # Ok::<(), postback::ParseError>(())
//! ```
//!
//! The zones are the IANA database's as `jiff` bundles it, so every machine writes the same
//! date; a zone is loaded the first time a template names it, and kept: expansions then
//! allocate nothing. What other trackers call their time tokens:
//!
//! | tracker | token | here |
//! | --- | --- | --- |
//! | Keitaro | `{date:Y-m-d H:i:s,Europe/Kyiv}`, `{date:U}` | `{cnv_time\|date:%Y-%m-%d %H:%M:%S,Europe/Kyiv}`, `{cnv_time\|date:unix}` ([`traffic::keitaro`] translates PHP's letters) |
//! | Binom | `{time}` (Unix), `{htime}` (encrypted) | `{time}`, `{htime}` (the host's to give) |
//! | Affise | `{timestamp}`, `{click_date}` | `{timestamp}`, `{time\|date:%Y-%m-%d %H:%M:%S}` |
//! | any | ISO 8601 in UTC | `{cnv_time\|date:iso}` |
//!
//! # Expanding often
//!
//! A [`TokenSource`] is asked for each token by value, at every expansion. A tracker that
//! fires a postback for many conversions can bind it once to its own click type instead
//! ([`Template::bind_fields`], [`Fields`]): each token is resolved to a field when it binds,
//! and a [`Bound`] template's expansions read the fields directly in one straight pass, with
//! the same output.
//!
//! # The conversion loop
//!
//! [`traffic`] has the traffic source's side: the campaign link a network is given, the
//! capture of its clicks (the click id from a macro such as ExoClick's
//! `{conversions_tracking}`, percent-decoded) and the postback back to it, with ExoClick and
//! other presets, and an import of another tracker's templates. [`select`] decides which
//! postbacks a conversion fires. [`request`] makes each a request to send (GET or POST, a JSON
//! or form body, headers), every value escaped for where it stands, and [`delivery`] reads the
//! network's answer: delivered, a duplicate, a retry at a stated time, or refused for a stated
//! reason. The crate does no I/O: the host sends, on its own clock.
//!
//! # Crate features
//!
//! - `std` (default): memchr's runtime CPU detection, and `HashMap` as a [`TokenSource`].
//!   Without it the crate is `no_std` and needs only `alloc`.
//! - `serde`: `Serialize` and `Deserialize` for [`Template`] (as its source string, or as an
//!   object of its source and its options when they are not the defaults), [`Syntax`],
//!   [`ParseOptions`], [`Schemes`], [`Missing`], [`Decimal`] (as a string, `"3.30"`; integers
//!   are read too, numbers with a fraction refused), [`Slot`] (as its number), the postback
//!   settings of [`select`], and the traffic sources, presets, click records and Keitaro
//!   entries of [`traffic`] (a traffic source is checked as it is read).
//! - `hash`: the `md5`, `sha1` and `sha256` modifiers and `sign` (HMAC-SHA256 and HMAC-SHA1
//!   signatures of expanded postbacks), on RustCrypto's `md-5`, `sha1`, `sha2` and `hmac`,
//!   writing nothing to the heap.
//! - `time`: the `date` modifier, on `jiff` with its bundled time zone database (which
//!   implies `std`). Without it, `date` is [`ErrorKind::NeedsFeature`].
//!
//! # Minimum supported Rust version
//!
//! Rust 1.85.

#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(missing_debug_implementations)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod bound;
mod compiled;
#[cfg(feature = "time")]
mod date;
mod decimal;
pub mod delivery;
pub mod encode;
mod error;
mod expand;
mod lint;
mod modifier;
mod options;
mod parse;
mod place;
pub mod request;
pub mod select;
#[cfg(feature = "serde")]
mod serde;
#[cfg(feature = "hash")]
#[cfg_attr(docsrs, doc(cfg(feature = "hash")))]
pub mod sign;
mod source;
mod suggest;
mod template;
mod token;
pub mod traffic;

pub use crate::bound::{Bound, Fields};
pub use crate::decimal::{Decimal, DecimalErrorKind, ParseDecimalError};
pub use crate::error::{ErrorKind, ExpandError, ParseError, Problem, ProblemKind, Span};
pub use crate::expand::Missing;
pub use crate::lint::{Lint, LintKind};
pub use crate::options::{ParseOptions, Syntax, Unknown};
pub use crate::place::Schemes;
pub use crate::source::{AsValue, FromFn, TokenSource, Value, from_fn};
pub use crate::template::{BindError, Template, Tokens};
pub use crate::token::{Slot, Token};

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
