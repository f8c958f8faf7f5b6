//! Click capture: a traffic source's values out of an incoming click's query string.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::ops::Range;

use super::{MAX_PARAMS, TrafficSource};
use crate::{Slot, Span, Token, TokenSource, Value};

/// How many values a click holds: the click id, the cost and the ten slots.
const FIELDS: usize = MAX_PARAMS + 2;
/// Where the click id and the cost are kept among a click's values; parameter `i` is at
/// `PARAMS + i`.
const CLICK_ID: usize = 0;
const COST: usize = 1;
const PARAMS: usize = 2;

impl TrafficSource {
    /// Reads an incoming click: the external id, the cost and the slot values that the
    /// network filled in, out of the click's URL.
    ///
    /// `url` is what a web server hands over: a full URL (`https://trk.example/c/abc?…`), a
    /// request target, path and query (`/c/abc?externalid=…`, what `tiny_http`'s
    /// `Request::url()` and `http::Uri::path_and_query` give), or the bare query, with or
    /// without its `?` (`externalid=…&zoneid=1`). It is a URL or a path when it starts with a
    /// scheme and `://` or with `/`, or when a `?` or a `/` comes before any `=` and `&`; then
    /// the query is what follows its first `?`, and a URL or a path without one has no query,
    /// so no values. The query ends at a `#`. It is split at `&` into `name=value` pairs;
    /// names and values are percent-decoded, `+` as a space, as browsers send forms. Only the
    /// source's own parameters are decoded: the rest of the query is not looked at beyond its
    /// names.
    ///
    /// - **Repeated parameters: the first wins.** The campaign link puts the network's pairs
    ///   where the network fills them; a later pair of the same name was added by someone else
    ///   (a redirect, a person editing the link) and must not replace the network's click id.
    ///   This is also what `URLSearchParams.get` does in browsers.
    /// - **An unfilled macro is missing.** A value that is still the parameter's macro
    ///   (`{conversions_tracking}`, as sent or percent-encoded) means the network did not fill
    ///   it: the value is left out, and [`Click::unfilled`] names the parameter. A constant
    ///   "macro" made only of letters, digits, `-`, `.`, `_` and `~` (a currency such as `usd`)
    ///   is a value, not a macro.
    /// - **An empty value is missing**: `zoneid=` gives no zone.
    /// - **Zero-copy where it can be**: a value without `%` or `+` is borrowed from `query`.
    ///   The [`Click`] borrows the source too (for `{tName:NAME}` and [`Click::unfilled`]):
    ///   keep the source for as long as its clicks, or keep its [`record`](Click::record).
    ///
    /// Fails, naming the parameter and the bytes of `url`, when a value of the source has a
    /// malformed percent escape (`%zz`, a trailing `%`) or is not UTF-8 once decoded
    /// (`%C3%28`); nothing is silently dropped or replaced.
    ///
    /// ```
    /// use postback::Slot;
    /// use postback::traffic::{CaptureErrorKind, presets::{self, GoalValue}};
    ///
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    ///
    /// let click = exoclick.capture("externalid=a%26b%3Dc&zoneid=4012&siteid=&zoneid=1")?;
    /// assert_eq!(click.external_id(), Some("a&b=c"));
    /// assert_eq!(click.get(Slot::new(1).unwrap()), Some("4012"));
    /// assert_eq!(click.by_name("siteid"), None);
    ///
    /// let unfilled = exoclick.capture("externalid={conversions_tracking}&zoneid=4012")?;
    /// assert_eq!(unfilled.external_id(), None);
    /// assert_eq!(unfilled.unfilled().collect::<Vec<_>>(), ["externalid"]);
    ///
    /// let err = exoclick.capture("zoneid=4012&externalid=ab%zz").unwrap_err();
    /// assert_eq!(err.kind(), CaptureErrorKind::BadEscape);
    /// assert_eq!(
    ///     err.to_string(),
    ///     r#"malformed percent escape "%zz" at bytes 25..28 in the value of "externalid""#,
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`CaptureError`] for the first parameter of this source whose value is not valid
    /// percent-encoded UTF-8; other parameters of the URL are not decoded.
    pub fn capture<'q>(&'q self, url: &'q str) -> Result<Click<'q>, CaptureError> {
        let (skipped, query) = query_of(url);
        let query = query.split('#').next().unwrap_or_default();
        let mut click = Click {
            source: self,
            values: Default::default(),
            unfilled: 0,
        };
        let mut seen = 0u16;
        for (at, key, value) in pairs(query) {
            let Some(field) = self.field_of(key) else {
                continue;
            };
            if seen & (1 << field) != 0 {
                continue;
            }
            seen |= 1 << field;
            let (name, placeholder) = self.field(field).unwrap_or_default();
            if value == placeholder && is_macro(placeholder) {
                click.unfilled |= 1 << field;
                continue;
            }
            let value_at = skipped + at + key.len() + 1;
            let value = decode(value).map_err(|err| {
                let (kind, range) = match err {
                    DecodeError::Escape(range) => (CaptureErrorKind::BadEscape, range),
                    DecodeError::Utf8(range) => (CaptureErrorKind::InvalidUtf8, range),
                };
                CaptureError {
                    kind,
                    name: name.into(),
                    found: value.get(range.clone()).unwrap_or_default().into(),
                    span: Span::new(value_at + range.start, value_at + range.end),
                }
            })?;
            if *value == *placeholder && is_macro(placeholder) {
                click.unfilled |= 1 << field;
            } else if !value.is_empty() {
                click.values[field] = Some(value);
            }
        }
        Ok(click)
    }

    /// The index among a click's values of the parameter whose name `key` spells, decoded.
    fn field_of(&self, key: &str) -> Option<usize> {
        self.field_named(&decode(key).ok()?)
    }

    /// The index among a click's values of the parameter called `name`.
    fn field_named(&self, name: &str) -> Option<usize> {
        let is = |param: &str| param == name;
        if self.click_id.as_ref().is_some_and(|p| is(&p.name)) {
            return Some(CLICK_ID);
        }
        if self.cost.as_ref().is_some_and(|p| is(&p.name)) {
            return Some(COST);
        }
        self.params
            .iter()
            .position(|p| is(&p.name))
            .map(|i| PARAMS + i)
    }

    /// The name and the macro of the parameter at `field` among a click's values.
    fn field(&self, field: usize) -> Option<(&str, &str)> {
        let param = match field {
            CLICK_ID => self.click_id.as_ref(),
            COST => self.cost.as_ref(),
            i => {
                let p = self.params.get(i - PARAMS)?;
                return Some((&p.name, &p.placeholder));
            }
        }?;
        Some((&param.name, &param.placeholder))
    }
}

/// The query of `url` (see [`TrafficSource::capture`]), and where it starts in `url`.
fn query_of(url: &str) -> (usize, &str) {
    let scheme = url.find("://").is_some_and(|colon| {
        let scheme = &url[..colon];
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    });
    // A `?` in the fragment starts no query.
    let before_fragment = url.split('#').next().unwrap_or_default();
    let mark = before_fragment.find('?');
    let first_pair = url.find(['=', '&']);
    // A bare query's first name holds no `/` nor `?`: a path does.
    let path_like =
        |at: Option<usize>| at.is_some_and(|at| first_pair.is_none_or(|pair| at < pair));
    let located = scheme || url.starts_with('/') || path_like(mark) || path_like(url.find('/'));
    match (located, mark) {
        // A URL or a path: its query follows its first `?`, if it has one.
        (true, Some(mark)) => (mark + 1, &url[mark + 1..]),
        (true, None) => (url.len(), ""),
        // The bare query.
        (false, _) => (0, url),
    }
}

/// Whether a parameter's "macro" is a placeholder a network replaces, rather than a constant
/// value: it holds something beyond letters, digits and `-._~`.
fn is_macro(placeholder: &str) -> bool {
    !placeholder
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The non-empty `name=value` pairs of a query, each with the offset of its name. A pair
/// without `=` has an empty value.
pub(super) fn pairs(query: &str) -> impl Iterator<Item = (usize, &str, &str)> {
    query
        .split('&')
        .scan(0, |at, pair| {
            let start = *at;
            *at += pair.len() + 1;
            Some((start, pair))
        })
        .filter(|(_, pair)| !pair.is_empty())
        .map(|(at, pair)| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (at, key, value)
        })
}

/// Why a query component does not decode, with the bytes of the component at fault.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum DecodeError {
    /// A `%` not followed by two hexadecimal digits; the range is the `%` and up to two
    /// characters after it.
    Escape(Range<usize>),
    /// Bytes that are not UTF-8 once decoded; the range is the text that encoded them.
    Utf8(Range<usize>),
}

/// Percent-decodes a query component, `+` as a space: borrowed when it holds neither `%`
/// nor `+`. Strict, unlike `percent_encoding::percent_decode`, which keeps a malformed escape
/// as it is: a click id is never silently changed.
pub(super) fn decode(raw: &str) -> Result<Cow<'_, str>, DecodeError> {
    if !raw.bytes().any(|b| b == b'%' || b == b'+') {
        return Ok(Cow::Borrowed(raw));
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let digit = |at: usize| bytes.get(at).and_then(|&b| (b as char).to_digit(16));
                let (Some(high), Some(low)) = (digit(i + 1), digit(i + 2)) else {
                    let end = raw[i + 1..]
                        .char_indices()
                        .nth(2)
                        .map_or(raw.len(), |(n, _)| i + 1 + n);
                    return Err(DecodeError::Escape(i..end));
                };
                // Both digits are below 16.
                out.push((high * 16 + low) as u8);
                i += 2;
            }
            _ => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).map(Cow::Owned).map_err(|err| {
        let start = err.utf8_error().valid_up_to();
        let len = (err.utf8_error().error_len()).unwrap_or(err.as_bytes().len() - start);
        DecodeError::Utf8(raw_offset(raw, start)..raw_offset(raw, start + len))
    })
}

/// The offset in `raw`, a component whose escapes are all well formed, of the `decoded`-th
/// byte of its decoding.
fn raw_offset(raw: &str, decoded: usize) -> usize {
    let bytes = raw.as_bytes();
    let mut at = 0;
    for _ in 0..decoded {
        at += if bytes.get(at) == Some(&b'%') { 3 } else { 1 };
    }
    at.min(raw.len())
}

/// The values of one click, read by [`TrafficSource::capture`].
///
/// ```
/// use postback::Template;
/// use postback::traffic::presets::{self, GoalValue};
///
/// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
/// let click = exoclick.capture("/c/summer?externalid=ex%2B93&zoneid=4012&siteid=88")?;
/// assert_eq!(click.external_id(), Some("ex+93"));
/// assert_eq!(click.by_name("zoneid"), Some("4012"));
///
/// // A campaign's own postback, filled from the click.
/// let s2s = "https://s2s.example/pb?cid={externalid}&zone={t1}&site={tName:siteid}";
/// let s2s = Template::parse(s2s)?;
/// assert_eq!(s2s.expand(&click), "https://s2s.example/pb?cid=ex%2B93&zone=4012&site=88");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Text that needed no decoding is borrowed from the query. A `Click` is a [`TokenSource`]:
/// it answers `{externalid}`, `{clickcost}`, `{t1}`..`{t10}` and `{tName:NAME}` (by the
/// source's parameter names), and nothing else, so a host puts its own conversion values in
/// front of it (see the [module docs](super)).
#[derive(Clone)]
pub struct Click<'q> {
    source: &'q TrafficSource,
    values: [Option<Cow<'q, str>>; FIELDS],
    /// One bit per value, set when the network left the parameter's macro unfilled.
    unfilled: u16,
}

impl<'q> Click<'q> {
    /// The traffic source the click was read for.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let click = exoclick.capture("externalid=ex-93&zoneid=4012")?;
    /// assert_eq!(click.source().name(), "ExoClick");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn source(&self) -> &'q TrafficSource {
        self.source
    }

    /// The network's click id, the *external id*: what `{externalid}` sends back.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let click = exoclick.capture("/c/summer?externalid=ex%26123&zoneid=4012")?;
    /// assert_eq!(click.external_id(), Some("ex&123"));
    /// // No click id: no postback can name this click to ExoClick.
    /// assert_eq!(exoclick.capture("zoneid=4012")?.external_id(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn external_id(&self) -> Option<&str> {
        self.values[CLICK_ID].as_deref()
    }

    /// The cost of the click, as the network wrote it: what `{clickcost}` sends.
    ///
    /// ```
    /// use postback::Template;
    ///
    /// // TrafficStars sends the cost of the click as `cost={cost}`.
    /// # use postback::traffic::{Param, Parts, TrafficSource};
    /// # let trafficstars = TrafficSource::new(Parts {
    /// #     name: "TrafficStars".into(),
    /// #     click_id: Some(Param::new("externalid", "{click_id}")),
    /// #     cost: Some(Param::new("cost", "{cost}")),
    /// #     ..Parts::default()
    /// # })?;
    /// let click = trafficstars.capture("externalid=ts-91&cost=0.0042")?;
    /// assert_eq!(click.cost(), Some("0.0042"));
    /// let report = Template::parse("https://s2s.example/pb?cid={externalid}&cost={clickcost}")?;
    /// assert_eq!(report.expand(&click), "https://s2s.example/pb?cid=ts-91&cost=0.0042");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cost(&self) -> Option<&str> {
        self.values[COST].as_deref()
    }

    /// The value in `slot`: what `{tN}` sends.
    ///
    /// ```
    /// # use postback::Slot;
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let click = exoclick.capture("externalid=ex-93&zoneid=4012&campaignid=77")?;
    /// let slot = |n| Slot::new(n).ok_or("no slot");
    /// assert_eq!(click.get(slot(1)?), Some("4012")); // zoneid
    /// assert_eq!(click.get(slot(3)?), Some("77")); // campaignid
    /// assert_eq!(click.get(slot(2)?), None); // siteid, not sent
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self, slot: Slot) -> Option<&str> {
        let i = self.source.params.iter().position(|p| p.slot == slot)?;
        self.values[PARAMS + i].as_deref()
    }

    /// The value of the parameter called `name`, the click id's and the cost's included.
    /// `{tName:NAME}` sends it for the parameters kept in a slot.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let click = exoclick.capture("externalid=ex-93&hostname=news.example")?;
    /// assert_eq!(click.by_name("hostname"), Some("news.example"));
    /// assert_eq!(click.by_name("externalid"), Some("ex-93"));
    /// // Not a parameter of ExoClick's.
    /// assert_eq!(click.by_name("gclid"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn by_name(&self, name: &str) -> Option<&str> {
        self.values[self.source.field_named(name)?].as_deref()
    }

    /// The names of the parameters that arrived with their macro unfilled, in the source's
    /// order (click id, cost, then the others): a click whose click id is among them cannot be
    /// reported back to the network.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// // A test click: ExoClick left two macros as they were, one of them percent-encoded.
    /// let url = "externalid={conversions_tracking}&zoneid=%7Bzone_id%7D&siteid=88";
    /// let click = exoclick.capture(url)?;
    /// assert_eq!(click.unfilled().collect::<Vec<_>>(), ["externalid", "zoneid"]);
    /// assert_eq!((click.external_id(), click.by_name("siteid")), (None, Some("88")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unfilled(&self) -> impl Iterator<Item = &'q str> + '_ {
        (0..FIELDS)
            .filter(|&field| self.unfilled & (1 << field) != 0)
            .filter_map(|field| self.source.field(field).map(|(name, _)| name))
    }
}

impl Click<'_> {
    /// The click's values, owned, to store at click time and expand from at conversion time:
    /// see [`ClickRecord`].
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let record = exoclick.capture("externalid=ex-93&zoneid=4012")?.record();
    /// // The record borrows neither the URL nor the source.
    /// drop(exoclick);
    /// assert_eq!(record.external_id(), Some("ex-93"));
    /// assert_eq!(record.by_name("zoneid"), Some("4012"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record(&self) -> ClickRecord {
        let params = self.source.params.iter().enumerate();
        ClickRecord {
            external_id: self.external_id().map(String::from),
            cost: self.cost().map(String::from),
            params: params
                .filter_map(|(i, param)| {
                    Some(RecordedParam {
                        name: param.name.clone(),
                        slot: param.slot,
                        value: String::from(self.values[PARAMS + i].as_deref()?),
                    })
                })
                .collect(),
            unfilled: self.unfilled().map(String::from).collect(),
        }
    }
}

/// A captured click, owned: what a tracker stores when the click arrives, to expand the
/// postbacks from when it converts, maybe days later. [`Click::record`] makes one; it needs
/// no [`TrafficSource`], since it keeps each parameter's name and slot beside its value.
///
/// It is a [`TokenSource`] that answers as the [`Click`] did: `{externalid}`, `{clickcost}`,
/// `{tN}` and `{tName:NAME}`. With the `serde` feature it is stored as:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::traffic::ClickRecord;
///
/// let record: ClickRecord = serde_json::from_str(r#"{
///   "external_id": "a&b=c",
///   "params": [{ "name": "zoneid", "slot": 1, "value": "4012" }],
///   "unfilled": ["siteid"]
/// }"#)?;
/// assert_eq!(record.external_id(), Some("a&b=c"));
/// assert_eq!(record.by_name("zoneid"), Some("4012"));
/// assert_eq!(record.unfilled().collect::<Vec<_>>(), ["siteid"]);
/// assert_eq!(serde_json::to_string(&ClickRecord::default())?, "{}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// with `external_id`, `cost`, `params` and `unfilled` left out when they have nothing.
///
/// ```
/// use postback::Slot;
/// use postback::traffic::presets::{self, GoalValue};
///
/// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
/// let record = exoclick.capture("/c/abc?externalid=ex%201&zoneid=4012")?.record();
/// // ... stored, and read back at conversion time:
/// assert_eq!(record.external_id(), Some("ex 1"));
/// assert_eq!(record.get(Slot::new(1).unwrap()), Some("4012"));
/// assert_eq!(
///     exoclick.postback().unwrap().try_expand(&record)?,
///     "https://s.magsrv.com/tag.php?goal=4f1b2c3d4e5f60718293a4b5c6d7e8f9&tag=ex%201",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default, deny_unknown_fields)
)]
pub struct ClickRecord {
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    external_id: Option<String>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    cost: Option<String>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    params: Vec<RecordedParam>,
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    unfilled: Vec<String>,
}

/// A parameter's value in a [`ClickRecord`], with the name and the slot it had.
///
/// With the `serde` feature it is an object of `name`, `slot` (its number) and `value`:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::Slot;
/// use postback::traffic::RecordedParam;
///
/// let zone: RecordedParam =
///     serde_json::from_str(r#"{ "name": "zoneid", "slot": 1, "value": "4012" }"#)?;
/// let expected = RecordedParam { name: "zoneid".into(), slot: Slot::MIN, value: "4012".into() };
/// assert_eq!(zone, expected);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct RecordedParam {
    /// The URL parameter: `zoneid`.
    pub name: String,
    /// Its slot.
    pub slot: Slot,
    /// Its value, decoded.
    pub value: String,
}

impl ClickRecord {
    /// The network's click id, the *external id*: what `{externalid}` sends back.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let record = exoclick.capture("externalid=ex%2093&zoneid=4012")?.record();
    /// assert_eq!(record.external_id(), Some("ex 93"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn external_id(&self) -> Option<&str> {
        self.external_id.as_deref()
    }

    /// The cost of the click, as the network wrote it: what `{clickcost}` sends.
    ///
    /// ```
    /// // TrafficStars sends the cost of the click as `cost={cost}`.
    /// # use postback::traffic::{Param, Parts, TrafficSource};
    /// # let trafficstars = TrafficSource::new(Parts {
    /// #     name: "TrafficStars".into(),
    /// #     click_id: Some(Param::new("externalid", "{click_id}")),
    /// #     cost: Some(Param::new("cost", "{cost}")),
    /// #     ..Parts::default()
    /// # })?;
    /// let record = trafficstars.capture("externalid=ts-91&cost=0.0042")?.record();
    /// assert_eq!(record.cost(), Some("0.0042"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cost(&self) -> Option<&str> {
        self.cost.as_deref()
    }

    /// The value in `slot`: what `{tN}` sends.
    ///
    /// ```
    /// # use postback::Slot;
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let record = exoclick.capture("externalid=ex-93&siteid=88")?.record();
    /// assert_eq!(record.get(Slot::new(2).ok_or("no slot")?), Some("88")); // siteid
    /// assert_eq!(record.get(Slot::MIN), None); // zoneid, not sent
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn get(&self, slot: Slot) -> Option<&str> {
        let param = self.params.iter().find(|p| p.slot == slot)?;
        Some(&param.value)
    }

    /// The value of the parameter called `name`, among those kept in a slot (the record does
    /// not keep the click id's and the cost's names): what `{tName:NAME}` sends.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let record = exoclick.capture("externalid=ex-93&zoneid=4012")?.record();
    /// assert_eq!(record.by_name("zoneid"), Some("4012"));
    /// // The click id is kept, but not under its parameter's name.
    /// assert_eq!(record.by_name("externalid"), None);
    /// assert_eq!(record.external_id(), Some("ex-93"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn by_name(&self, name: &str) -> Option<&str> {
        let param = self.params.iter().find(|p| p.name == name)?;
        Some(&param.value)
    }

    /// The parameters with a value, in the source's order.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let record = exoclick.capture("externalid=ex-93&siteid=88&zoneid=4012")?.record();
    /// let params = record.params().iter();
    /// let kept: Vec<(&str, u8, &str)> =
    ///     params.map(|p| (p.name.as_str(), p.slot.get(), p.value.as_str())).collect();
    /// assert_eq!(kept, [("zoneid", 1, "4012"), ("siteid", 2, "88")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn params(&self) -> &[RecordedParam] {
        &self.params
    }

    /// The names of the parameters that arrived with their macro unfilled: see
    /// [`Click::unfilled`].
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let record = exoclick.capture("externalid={conversions_tracking}&zoneid=4012")?.record();
    /// assert_eq!(record.unfilled().collect::<Vec<_>>(), ["externalid"]);
    /// assert_eq!(record.external_id(), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unfilled(&self) -> impl Iterator<Item = &str> + '_ {
        self.unfilled.iter().map(String::as_str)
    }
}

impl TokenSource for ClickRecord {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        let text = match *token {
            Token::ExternalId => self.external_id(),
            Token::ClickCost => self.cost(),
            Token::T(slot) => self.get(slot),
            Token::TName(name) => self.by_name(name),
            _ => None,
        };
        text.map(Value::Str)
    }
}

impl TokenSource for Click<'_> {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        let text = match *token {
            Token::ExternalId => self.external_id(),
            Token::ClickCost => self.cost(),
            Token::T(slot) => self.get(slot),
            Token::TName(name) => self.source.slot_of(name).and_then(|slot| self.get(slot)),
            _ => None,
        };
        text.map(Value::Str)
    }
}

impl fmt::Debug for Click<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let slots = self.source.params.iter().enumerate();
        let slots: Vec<_> = slots
            .filter_map(|(i, p)| Some((p.slot.get(), self.values[PARAMS + i].as_deref()?)))
            .collect();
        f.debug_struct("Click")
            .field("source", &self.source.name)
            .field("external_id", &self.external_id())
            .field("cost", &self.cost())
            .field("slots", &slots)
            .field("unfilled", &self.unfilled().collect::<Vec<_>>())
            .finish()
    }
}

/// What is wrong with a value in [`CaptureError`].
///
/// ```
/// use postback::traffic::CaptureErrorKind;
/// use postback::traffic::presets::{self, GoalValue};
///
/// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
/// let kind = |url| exoclick.capture(url).map(|_| ()).unwrap_err().kind();
/// assert_eq!(kind("externalid=ex-93&zoneid=40%2"), CaptureErrorKind::BadEscape);
/// assert_eq!(kind("externalid=ex-93&hostname=caf%C3%28"), CaptureErrorKind::InvalidUtf8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CaptureErrorKind {
    /// A `%` not followed by two hexadecimal digits: `%zz`, `%4`, a trailing `%`.
    BadEscape,
    /// Percent escapes that decode to bytes which are not UTF-8: `%C3%28`, `%FF`.
    InvalidUtf8,
}

/// A value of a traffic source's parameter that could not be read from a click's query: see
/// [`TrafficSource::capture`].
///
/// ```
/// use postback::traffic::presets::{self, GoalValue};
///
/// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
/// let err = exoclick.capture("/c/summer?externalid=ex-93&hostname=caf%C3%28").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#"percent escapes "%C3" at bytes 39..42 in the value of "hostname" do not decode to UTF-8"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CaptureError {
    kind: CaptureErrorKind,
    name: Box<str>,
    found: Box<str>,
    span: Span,
}

impl CaptureError {
    /// What is wrong.
    ///
    /// ```
    /// # use postback::traffic::CaptureErrorKind;
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let err = exoclick.capture("externalid=ex-93%").unwrap_err();
    /// assert_eq!(err.kind(), CaptureErrorKind::BadEscape);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> CaptureErrorKind {
        self.kind
    }

    /// The parameter whose value it is.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let err = exoclick.capture("externalid=ex-93&siteid=%zz").unwrap_err();
    /// assert_eq!(err.name(), "siteid");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text at fault, as it stands in the query: `%zz`, `%C3`.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let err = exoclick.capture("externalid=ex-93&zoneid=40%4g12").unwrap_err();
    /// assert_eq!(err.found(), "%4g");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn found(&self) -> &str {
        &self.found
    }

    /// Where the text at fault stands, in bytes of the text given to
    /// [`capture`](crate::traffic::TrafficSource::capture): the full URL, the request
    /// target or the query, as it was.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let url = "https://trk.example/c/summer?externalid=ex%zz93";
    /// let err = exoclick.capture(url).unwrap_err();
    /// assert_eq!(&url[err.span().range()], "%zz");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn span(&self) -> Span {
        self.span
    }
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (found, span, name) = (&self.found, self.span, &self.name);
        match self.kind {
            CaptureErrorKind::BadEscape => write!(
                f,
                "malformed percent escape {found:?} at bytes {span} in the value of {name:?}"
            ),
            CaptureErrorKind::InvalidUtf8 => write!(
                f,
                "percent escapes {found:?} at bytes {span} in the value of {name:?} do not decode to UTF-8"
            ),
        }
    }
}

impl core::error::Error for CaptureError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_strictly() {
        assert!(matches!(decode("abc"), Ok(Cow::Borrowed("abc"))));
        assert_eq!(decode("a+b%20c%2B").unwrap(), "a b c+");
        assert_eq!(decode("%C3%A9").unwrap(), "é");
        assert_eq!(decode("%zz"), Err(DecodeError::Escape(0..3)));
        assert_eq!(decode("ab%"), Err(DecodeError::Escape(2..3)));
        assert_eq!(decode("ab%4"), Err(DecodeError::Escape(2..4)));
        assert_eq!(decode("%éé"), Err(DecodeError::Escape(0..5)));
        assert_eq!(decode("x%C3%28"), Err(DecodeError::Utf8(1..4)));
        assert_eq!(decode("é%FF"), Err(DecodeError::Utf8(2..5)));
        // A truncated sequence at the end: everything from its start.
        assert_eq!(decode("a%E2%82"), Err(DecodeError::Utf8(1..7)));
    }

    #[test]
    fn splits_pairs() {
        let pairs: Vec<_> = pairs("a=1&&b&c=2=3&").collect();
        assert_eq!(pairs, [(0, "a", "1"), (5, "b", ""), (7, "c", "2=3")]);
    }

    #[test]
    fn macros_and_constants() {
        assert!(is_macro("{zone_id}") && is_macro("[CLICK_ID]") && is_macro("%zoneid%"));
        assert!(!is_macro("usd") && !is_macro("actionteaser.ru"));
    }
}
