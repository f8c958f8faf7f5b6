//! Import of traffic-source templates written for Keitaro, another tracker.
//!
//! Keitaro's templates are a common currency: open-source trackers publish lists of them (the
//! crate's tests use one of 196 networks). An [`Entry`] is one template as such a list holds
//! it (with the `serde` feature it deserializes from the list's JSON); [`import`] maps it onto
//! this crate's model and returns either a [`TrafficSource`] or an [`ImportError`] that lists
//! every [`Issue`], precisely, with the source built from everything that did map.
//!
//! # The mapping
//!
//! **Parameters**, in the entry's order:
//!
//! | alias | becomes |
//! | --- | --- |
//! | `external_id` | the click id, [`TrafficSource::click_id`] |
//! | `cost` | the cost, [`TrafficSource::cost`] |
//! | any other (`sub_id_1`..`sub_id_30`, `source`, `creative_id`, `ad_campaign_id`, `keyword`, `currency`, ...) | the next free slot, `t1`, `t2`, ... |
//!
//! The parameters of the last row take the slots in order: first those whose alias the
//! postback reads (`{sub_id_14}`), so that the postback keeps what it sends, then the others,
//! each group in the order the entry lists them. Those beyond the tenth are reported
//! ([`ParamIssue::NoSlot`]). A parameter's URL name is its `param`; surrounding whitespace is
//! trimmed from its macro. A parameter that cannot be used is reported and takes no slot: an
//! empty name, a name already taken, a second `external_id` or `cost`, a macro that is empty
//! or holds whitespace or `&`.
//!
//! **Postback tokens**, Keitaro's `{name}`:
//!
//! | Keitaro | becomes |
//! | --- | --- |
//! | `{external_id}` | `{externalid}` |
//! | `{revenue}`, `{payout}` | `{payout}` |
//! | `{status}` | `{cnv_status}` |
//! | `{currency}` | `{cnv_currency}` |
//! | `{subid}` (Keitaro's click id) | `{clickid}` |
//! | `{campaign_id}` | `{campaign}` |
//! | `{offer_id}` | `{offer}` |
//! | `{tid}` (the transaction id) | `{txid}` |
//! | `{cost}` | `{clickcost}` |
//! | `{status: lead=1 sale=2}` (the network's names for the statuses, pairs separated by whitespace) | `{cnv_status\|map:lead=1,sale=2}` (a status without a pair is sent as it is) |
//! | `{date:Y-m-d H:i:s,Europe/Kyiv}`, `{date:U}` (a date in PHP's letters, and a zone after the last comma) | `{cnv_time\|date:%Y-%m-%d %H:%M:%S,Europe/Kyiv}`, `{cnv_time\|date:unix}` (the `time` feature writes them; Keitaro writes the time of sending, and the conversion's time is the host's to give) |
//! | `{ALIAS}` of a parameter with a slot (`{sub_id_3}`, `{source}`) | `{tN}`, its slot |
//!
//! Anything else is reported and the postback is left out of the imported source, so that no
//! postback is sent half right: an unknown token ([`TokenIssue::Unknown`], the names are
//! case-sensitive), a status mapping that `map` cannot hold, such as `{status: lead}` or
//! `{status: lead=a,b}` ([`TokenIssue::StatusMapping`]: `{cnv_status}` alone would send the
//! tracker's own status names, not the network's), a parameter's alias without a slot
//! ([`TokenIssue::NoSlot`]), a `{` without its `}` ([`TokenIssue::Unterminated`]). The mapped
//! postback must also suit the source ([`Issue::Postback`]): `{externalid}` needs an
//! `external_id` parameter.
//!
//! ```
//! use postback::traffic::keitaro::{Entry, Parameter, import};
//!
//! let entry = Entry {
//!     name: "example_net".into(),
//!     display_name: "Example.net".into(),
//!     postback_url: "https://net.example/pb?c={external_id}&s={sub_id_1}&v={revenue}".into(),
//!     parameters: vec![
//!         Parameter::new("external_id", "click_id", "{clickid}"),
//!         Parameter::new("sub_id_1", "zone", "{zone}"),
//!     ],
//! };
//! let source = import(&entry)?;
//! assert_eq!(
//!     source.postback().unwrap().as_str(),
//!     "https://net.example/pb?c={externalid}&s={t1}&v={payout}",
//! );
//!
//! let entry = Entry {
//!     postback_url: "https://net.example/pb?c={external_id}&e={status: lead=1 sale=2}".into(),
//!     ..entry
//! };
//! assert_eq!(
//!     import(&entry)?.postback().unwrap().as_str(),
//!     "https://net.example/pb?c={externalid}&e={cnv_status|map:lead=1,sale=2}",
//! );
//!
//! let entry = Entry {
//!     postback_url: "https://net.example/pb?c={external_id}&e={status: lead=a,b}".into(),
//!     ..entry
//! };
//! let err = import(&entry).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     r#"entry "example_net" imports with 1 issue: postback token "{status: lead=a,b}" at bytes 41..59 is not mapped: a status mapping with a pair that map cannot hold, and {cnv_status} alone would send the tracker's own status names"#,
//! );
//! assert!(err.partial().unwrap().postback().is_none());
//! # Ok::<(), postback::traffic::keitaro::ImportError>(())
//! ```

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::{self, Write};

use super::{Param, Parts, SlotParam, SourceError, TrafficSource};
use crate::select::Settings;
use crate::{ParseError, Slot, Span, Template};

/// A traffic-source template as Keitaro-style lists hold it.
///
/// With the `serde` feature it reads from such a list's JSON, in which only `name` is
/// required:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::traffic::keitaro::{Entry, Parameter};
///
/// let entry: Entry = serde_json::from_str(r#"{
///   "name": "popads_net",
///   "display_name": "popads.net",
///   "postback_url": "",
///   "parameters": [{ "alias": "external_id", "param": "external_id", "macro": "[IMPRESSIONID]" }]
/// }"#)?;
/// assert_eq!(entry.parameters, [Parameter::new("external_id", "external_id", "[IMPRESSIONID]")]);
/// let bare: Entry = serde_json::from_str(r#"{ "name": "popads_net" }"#)?;
/// assert_eq!(bare, Entry { name: "popads_net".into(), ..Entry::default() });
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Entry {
    /// The template's key: `exoclick_com`.
    pub name: String,
    /// Its name for people: `ExoClick.com`. The imported source is called this, or
    /// [`name`](Entry::name) when it is empty.
    #[cfg_attr(feature = "serde", serde(default))]
    pub display_name: String,
    /// The postback URL with Keitaro's tokens, or empty.
    #[cfg_attr(feature = "serde", serde(default))]
    pub postback_url: String,
    /// The URL parameters the network fills.
    #[cfg_attr(feature = "serde", serde(default))]
    pub parameters: Vec<Parameter>,
}

/// A URL parameter of an [`Entry`].
///
/// With the `serde` feature it is an object of `alias`, `param` and `macro`:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::traffic::keitaro::Parameter;
///
/// let json = r#"{ "alias": "sub_id_1", "param": "Country", "macro": "{COUNTRY}" }"#;
/// let country: Parameter = serde_json::from_str(json)?;
/// assert_eq!(country, Parameter::new("sub_id_1", "Country", "{COUNTRY}"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Parameter {
    /// Keitaro's field for the value: `external_id`, `cost`, `sub_id_3`, `source`.
    pub alias: String,
    /// The URL parameter: `zoneid`.
    pub param: String,
    /// The network's macro: `{zone_id}`. Serialized as `macro`.
    #[cfg_attr(feature = "serde", serde(rename = "macro"))]
    pub placeholder: String,
}

impl Parameter {
    /// The parameter `param`, filled with `placeholder`, kept in Keitaro's field `alias`.
    ///
    /// ```
    /// use postback::traffic::keitaro::{Entry, Parameter, import};
    ///
    /// // Keitaro's `external_id` field: the network's click id.
    /// let click_id = Parameter::new("external_id", "external_id", "[IMPRESSIONID]");
    /// let parameters = vec![click_id];
    /// let popads = import(&Entry { name: "popads_net".into(), parameters, ..Entry::default() })?;
    /// assert_eq!(popads.click_id().map(|p| p.placeholder.as_str()), Some("[IMPRESSIONID]"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        alias: impl Into<String>,
        param: impl Into<String>,
        placeholder: impl Into<String>,
    ) -> Parameter {
        Parameter {
            alias: alias.into(),
            param: param.into(),
            placeholder: placeholder.into(),
        }
    }
}

/// Maps a Keitaro template onto a [`TrafficSource`]; see the [module docs](self) for the
/// mapping. Fails with every [`Issue`], and the source made of what did map, unless all of
/// the entry maps.
///
/// ```
/// use postback::traffic::keitaro::{Entry, Parameter, import};
///
/// let entry = Entry {
///     name: "evadav_com".into(),
///     display_name: "Evadav.com".into(),
///     postback_url: "https://evadav.com/phpb?click_id={external_id}&payout={payout}".into(),
///     parameters: vec![
///         Parameter::new("external_id", "external_id", "{CLICKID}"),
///         Parameter::new("sub_id_1", "Country", "{COUNTRY}"),
///     ],
/// };
/// let evadav = import(&entry)?;
/// assert_eq!(evadav.name(), "Evadav.com");
/// assert_eq!(
///     evadav.campaign_link("https://trk.example/c/summer")?,
///     "https://trk.example/c/summer?external_id={CLICKID}&Country={COUNTRY}",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// An [`ImportError`] with every [`Issue`] (a parameter or a token that does not map) and the
/// source made of what did.
pub fn import(entry: &Entry) -> Result<TrafficSource, ImportError> {
    let name = match entry.display_name.is_empty() {
        true => &entry.name,
        false => &entry.display_name,
    };
    let mut parts = Parts {
        name: name.clone(),
        ..Parts::default()
    };
    let mut issues = Vec::new();
    // The alias of every parameter given a slot, for the postback's tokens: at most ten.
    let mut slots: Vec<(&str, Slot)> = Vec::new();
    // The URL name of every parameter kept so far, and its index.
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    // The parameters the postback reads take slots first. The tokens are listed once, so that
    // an entry with many parameters is not read again for each of them.
    let read: BTreeSet<&str> = tokens(&entry.postback_url)
        .filter_map(|token| token.name)
        .collect();
    let (first, rest): (Vec<usize>, Vec<usize>) = (0..entry.parameters.len()).partition(|&i| {
        let alias = entry.parameters[i].alias.as_str();
        fixed(alias).is_none() && read.contains(alias)
    });
    for index in first.into_iter().chain(rest) {
        let parameter = &entry.parameters[index];
        let placeholder = parameter.placeholder.trim();
        let issue = |reason| Issue::Param {
            index,
            alias: parameter.alias.clone(),
            param: parameter.param.clone(),
            reason,
        };
        let name = parameter.param.as_str();
        let bad = |c: char| c == '&' || c.is_whitespace() || c.is_control();
        let reason = if name.is_empty() {
            Some(ParamIssue::EmptyName)
        } else if placeholder.is_empty() || placeholder.contains(bad) {
            Some(ParamIssue::InvalidMacro)
        } else if let Some(&first) = names.get(name) {
            Some(ParamIssue::DuplicateName { first })
        } else {
            None
        };
        if let Some(reason) = reason {
            issues.push(issue(reason));
            continue;
        }
        let param = Param::new(name, placeholder);
        let role = match parameter.alias.as_str() {
            "external_id" => Some(&mut parts.click_id),
            "cost" => Some(&mut parts.cost),
            _ => None,
        };
        match role {
            Some(Some(_)) => {
                issues.push(issue(ParamIssue::DuplicateAlias));
                continue;
            }
            Some(role) => *role = Some(param),
            None => {
                let Some(slot) = u8::try_from(parts.params.len() + 1)
                    .ok()
                    .and_then(Slot::new)
                else {
                    issues.push(issue(ParamIssue::NoSlot));
                    continue;
                };
                parts.params.push(SlotParam::new(name, placeholder, slot));
                slots.push((&parameter.alias, slot));
            }
        }
        names.insert(name, index);
    }
    issues.sort_by_key(|issue| match issue {
        Issue::Param { index, .. } => *index,
        _ => usize::MAX,
    });

    if !entry.postback_url.is_empty() {
        // The postback is checked against the source even when some of its tokens did not
        // map (they are left out of it), so that every issue is reported; it is kept only
        // when all is well.
        let mapped = issues.len();
        let postback = rewrite(&entry.postback_url, &slots, &mut issues);
        let all_mapped = issues.len() == mapped;
        match Template::try_from(postback) {
            Ok(template) => {
                let with_postback = Parts {
                    settings: Settings::with_postback(template),
                    ..parts.clone()
                };
                match TrafficSource::new(with_postback) {
                    Ok(source) if all_mapped => parts = source.into_parts(),
                    Ok(_) => {}
                    Err(err) => issues.push(Issue::Postback(err)),
                }
            }
            Err(err) => issues.push(Issue::Template(err)),
        }
    }

    let partial = match TrafficSource::new(parts) {
        Ok(source) if issues.is_empty() => return Ok(source),
        Ok(source) => Some(Box::new(source)),
        Err(err) => {
            issues.push(Issue::Source(err));
            None
        }
    };
    Err(ImportError {
        name: entry.name.clone(),
        issues,
        partial,
    })
}

/// Rewrites Keitaro's tokens in `url` as this crate's; those it cannot map are reported, and
/// left out.
fn rewrite(url: &str, slots: &[(&str, Slot)], issues: &mut Vec<Issue>) -> String {
    let mut out = String::with_capacity(url.len());
    let mut rest = 0;
    for token in tokens(url) {
        out.push_str(&url[rest..token.span.start]);
        rest = token.span.end;
        let Some(name) = token.name else {
            issues.push(Issue::Token {
                token: "{".to_owned(),
                span: token.span,
                reason: TokenIssue::Unterminated,
            });
            out.push_str("{{");
            continue;
        };
        // A token that does not map is left out, and reported.
        match mapped(name, slots) {
            Ok(token) => out.push_str(&token),
            Err(reason) => issues.push(Issue::Token {
                token: url[token.span.range()].to_owned(),
                span: token.span,
                reason,
            }),
        }
    }
    out.push_str(&url[rest..]);
    out
}

/// A `{` of a Keitaro URL: a token `{name}`, or a `{` that no `}` closes before the next `{`
/// or the end (its span is the `{` alone, and `name` is `None`).
struct Braced<'u> {
    span: Span,
    name: Option<&'u str>,
}

/// The tokens of a Keitaro URL, in order, in one pass: each `{` is looked at once, and so is
/// every byte up to the `{` or `}` that follows it.
fn tokens(url: &str) -> impl Iterator<Item = Braced<'_>> {
    let mut rest = 0;
    core::iter::from_fn(move || {
        let open = rest + url.get(rest..)?.find('{')?;
        let inner = &url[open + 1..];
        match inner.find(['{', '}']) {
            Some(close) if inner.as_bytes()[close] == b'}' => {
                rest = open + 1 + close + 1;
                let name = Some(&inner[..close]);
                Some(Braced {
                    span: Span::new(open, rest),
                    name,
                })
            }
            _ => {
                rest = open + 1;
                let span = Span::new(open, rest);
                Some(Braced { span, name: None })
            }
        }
    })
}

/// This crate's token for Keitaro's token `name`, delimiters included.
fn mapped(name: &str, slots: &[(&str, Slot)]) -> Result<String, TokenIssue> {
    if let Some(token) = fixed(name) {
        return Ok(token.to_owned());
    }
    if let Some((_, slot)) = slots.iter().find(|(alias, _)| *alias == name) {
        let mut token = String::new();
        let _ = write!(token, "{{t{slot}}}");
        return Ok(token);
    }
    if let Some(token) = status_mapping(name) {
        return Ok(token);
    }
    if let Some(token) = date(name) {
        return token;
    }
    Err(match name.split_once(':') {
        Some((head, _)) if head.trim() == "status" => TokenIssue::StatusMapping,
        _ if is_field(name) => TokenIssue::NoSlot,
        _ => TokenIssue::Unknown,
    })
}

/// Keitaro's status mapping, `{status: lead=1 sale=2}` (pairs separated by whitespace), as
/// `{cnv_status|map:lead=1,sale=2}`; `None` when it is not one, or has a pair `map` cannot
/// hold (an empty status, or a `=`, `,`, `|`, `{` or `}` in a status or a value).
fn status_mapping(name: &str) -> Option<String> {
    let (head, pairs) = name.split_once(':')?;
    if head.trim() != "status" {
        return None;
    }
    let mut token = String::from("{cnv_status|map:");
    for (i, pair) in pairs.split_whitespace().enumerate() {
        let (from, to) = pair.split_once('=')?;
        let fits = |text: &str| !text.contains(['=', ',', '|', '{', '}']);
        if from.is_empty() || !fits(from) || !fits(to) {
            return None;
        }
        if i > 0 {
            token.push(',');
        }
        let _ = write!(token, "{from}={to}");
    }
    (token.len() > "{cnv_status|map:".len()).then(|| token + "}")
}

/// Keitaro's date, `{date:FORMAT}` or `{date:FORMAT,ZONE}` with FORMAT in PHP's letters
/// (`Y-m-d H:i:s`, `U`), as `{cnv_time|date:...}` with the same format in `%` specifiers;
/// `None` when it is not one, an error when its format has a letter with no specifier.
fn date(name: &str) -> Option<Result<String, TokenIssue>> {
    let (head, arg) = name.split_once(':')?;
    if head.trim() != "date" {
        return None;
    }
    // A zone follows the last comma: a name with a `/`, UTC or GMT, or an offset. A comma
    // followed by anything else is the format's own (`D, d M Y`).
    let is_zone = |zone: &str| {
        zone.contains('/')
            || zone.eq_ignore_ascii_case("utc")
            || zone.eq_ignore_ascii_case("gmt")
            || zone.starts_with(['+', '-'])
    };
    let (format, zone) = match arg.rsplit_once(',') {
        Some((format, zone)) if is_zone(zone.trim()) => (format, Some(zone.trim())),
        _ => (arg, None),
    };
    let mut token = String::from("{cnv_time|date:");
    if format == "U" {
        token.push_str("unix");
    } else {
        let mut letters = format.chars();
        while let Some(letter) = letters.next() {
            let spec = match letter {
                // A backslash writes the next character as it is.
                // A backslash writes the next character as it is; a `|`, `{` or `}` no
                // more fits in a modifier's argument escaped than unescaped.
                '\\' => match letters.next() {
                    Some('%') => "%%",
                    Some('|' | '{' | '}') | None => return Some(Err(TokenIssue::DateFormat)),
                    Some(c) => {
                        token.push(c);
                        continue;
                    }
                },
                '%' => "%%",
                // No `|` in a modifier's argument, and no braces in a token.
                '|' | '{' | '}' => return Some(Err(TokenIssue::DateFormat)),
                _ => match php_letter(letter) {
                    Some(Ok(spec)) => spec,
                    Some(Err(())) => return Some(Err(TokenIssue::DateFormat)),
                    None => {
                        token.push(letter);
                        continue;
                    }
                },
            };
            token.push_str(spec);
        }
    }
    match zone {
        Some(zone) => {
            let _ = write!(token, ",{zone}");
        }
        // A comma of the format's own would read as the start of a zone.
        None if token.contains(',') => token.push_str(",UTC"),
        None => {}
    }
    Some(Ok(token + "}"))
}

/// The `%` specifier of a letter of PHP's `date()`: `None` for a letter PHP writes as it is,
/// `Err` for one with no specifier here (`S`, `z`, `W`, `t`, `L`, `o`, `X`, `x`, `B`, `u`,
/// `v`, `e`, `I`, `p`, `Z`).
fn php_letter(letter: char) -> Option<Result<&'static str, ()>> {
    Some(Ok(match letter {
        'd' => "%d",
        'D' => "%a",
        'j' => "%-d",
        'l' => "%A",
        'N' => "%u",
        'w' => "%w",
        'F' => "%B",
        'm' => "%m",
        'M' => "%b",
        'n' => "%-m",
        'Y' => "%Y",
        'y' => "%y",
        'a' => "%P",
        'A' => "%p",
        'g' => "%-I",
        'G' => "%-H",
        'h' => "%I",
        'H' => "%H",
        'i' => "%M",
        's' => "%S",
        'O' => "%z",
        'P' => "%:z",
        'T' => "%Z",
        'U' => "%s",
        'c' => "%Y-%m-%dT%H:%M:%S%:z",
        'r' => "%a, %d %b %Y %H:%M:%S %z",
        'S' | 'z' | 'W' | 't' | 'L' | 'o' | 'X' | 'x' | 'B' | 'u' | 'v' | 'e' | 'I' | 'p' | 'Z' => {
            return Some(Err(()));
        }
        _ => return None,
    }))
}

/// This crate's token for Keitaro's token `name` when it is not a parameter's slot.
fn fixed(name: &str) -> Option<&'static str> {
    Some(match name {
        "external_id" => "{externalid}",
        "revenue" | "payout" => "{payout}",
        "status" => "{cnv_status}",
        "currency" => "{cnv_currency}",
        "subid" => "{clickid}",
        "campaign_id" => "{campaign}",
        "offer_id" => "{offer}",
        "tid" => "{txid}",
        "cost" => "{clickcost}",
        _ => return None,
    })
}

/// Whether `name` is one of Keitaro's own per-click fields, which a parameter's alias fills:
/// `sub_id_1`..`sub_id_30`, `source`, `creative_id`, `ad_campaign_id`, `keyword`.
fn is_field(name: &str) -> bool {
    let sub_id = name
        .strip_prefix("sub_id_")
        .and_then(|n| n.parse::<u8>().ok())
        .is_some_and(|n| (1..=30).contains(&n));
    sub_id
        || matches!(
            name,
            "source" | "creative_id" | "ad_campaign_id" | "keyword"
        )
}

/// A Keitaro template that does not map onto a [`TrafficSource`] entirely: every [`Issue`],
/// and the source made of what did map.
///
/// ```
/// use postback::traffic::keitaro::{Entry, Issue, ParamIssue, Parameter, TokenIssue, import};
///
/// let entry = Entry {
///     name: "example_net".into(),
///     postback_url: "https://net.example/pb?c={external_id}&z={sub_id_4}".into(),
///     parameters: vec![
///         Parameter::new("external_id", "cid", "{clickid}"),
///         Parameter::new("sub_id_4", "zone", "{zone id}"),
///     ],
///     ..Entry::default()
/// };
/// // The macro with a space is left out, and so is the postback that reads it.
/// let err = import(&entry).unwrap_err();
/// assert!(matches!(
///     err.issues(),
///     [
///         Issue::Param { reason: ParamIssue::InvalidMacro, .. },
///         Issue::Token { reason: TokenIssue::NoSlot, .. },
///     ],
/// ));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    name: String,
    issues: Vec<Issue>,
    partial: Option<Box<TrafficSource>>,
}

impl ImportError {
    /// The entry's [`name`](Entry::name).
    ///
    /// ```
    /// # use postback::traffic::keitaro::{Entry, import};
    /// let entry = Entry {
    ///     name: "example_net".into(),
    ///     display_name: "Example.net".into(),
    ///     postback_url: "https://net.example/pb?c={external_id}".into(),
    ///     ..Entry::default()
    /// };
    /// assert_eq!(import(&entry).unwrap_err().name(), "example_net");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What did not map, in the entry's order: parameters first, then the postback. Never
    /// empty.
    ///
    /// ```
    /// # use postback::traffic::keitaro::{Entry, Parameter, import};
    /// let entry = Entry {
    ///     name: "example_net".into(),
    ///     postback_url: "https://net.example/pb?c={external_id}&geo={country}".into(),
    ///     parameters: vec![
    ///         Parameter::new("external_id", "cid", "{clickid}"),
    ///         Parameter::new("sub_id_1", "", "{zone}"),
    ///     ],
    ///     ..Entry::default()
    /// };
    /// let err = import(&entry).unwrap_err();
    /// let issues: Vec<String> = err.issues().iter().map(|issue| issue.to_string()).collect();
    /// assert_eq!(issues, [
    ///     r#"parameter "" (sub_id_1, parameters[1]) is left out: its name is empty"#,
    ///     r#"postback token "{country}" at bytes 43..52 is not mapped: no token means the same here"#,
    /// ]);
    /// ```
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// The source made of what did map: the parameters that were not reported, and the
    /// postback if none of its tokens was. `None` only when the entry has no name at all.
    ///
    /// ```
    /// # use postback::traffic::keitaro::{Entry, Parameter, import};
    /// let entry = Entry {
    ///     name: "example_net".into(),
    ///     postback_url: "https://net.example/pb?c={external_id}&geo={country}".into(),
    ///     parameters: vec![Parameter::new("external_id", "cid", "{clickid}")],
    ///     ..Entry::default()
    /// };
    /// let err = import(&entry).unwrap_err();
    /// let partial = err.partial().ok_or("no source")?;
    /// assert_eq!(partial.click_id().map(|p| p.name.as_str()), Some("cid"));
    /// assert!(partial.postback().is_none());
    /// assert!(import(&Entry::default()).unwrap_err().partial().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn partial(&self) -> Option<&TrafficSource> {
        self.partial.as_deref()
    }

    /// The source made of what did map, taken: see [`partial`](ImportError::partial).
    ///
    /// ```
    /// # use postback::traffic::keitaro::{Entry, Parameter, import};
    /// use postback::traffic::TrafficSource;
    ///
    /// let entry = Entry {
    ///     name: "example_net".into(),
    ///     postback_url: "https://net.example/pb?c={external_id}&geo={country}".into(),
    ///     parameters: vec![Parameter::new("external_id", "cid", "{clickid}")],
    ///     ..Entry::default()
    /// };
    /// // The host writes the postback that did not map, and checks the source again.
    /// let mut parts = import(&entry).unwrap_err().into_partial().ok_or("no source")?.into_parts();
    /// parts.settings.postback = Some("https://net.example/pb?c={externalid}".parse()?);
    /// let source = TrafficSource::new(parts)?;
    /// assert!(source.postback().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_partial(self) -> Option<TrafficSource> {
        self.partial.map(|source| *source)
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.issues.len();
        let plural = if count == 1 { "" } else { "s" };
        write!(
            f,
            "entry {:?} imports with {count} issue{plural}",
            self.name
        )?;
        for (i, issue) in self.issues.iter().enumerate() {
            let sep = if i == 0 { ": " } else { "; " };
            write!(f, "{sep}{issue}")?;
        }
        Ok(())
    }
}

impl core::error::Error for ImportError {}

/// Something of a Keitaro template that did not map: see [`import`].
///
/// ```
/// use postback::traffic::keitaro::{Entry, Issue, import};
///
/// // A postback that sends the click id, and no parameter that captures it.
/// let entry = Entry {
///     name: "example_net".into(),
///     postback_url: "https://net.example/pb?c={external_id}".into(),
///     ..Entry::default()
/// };
/// let err = import(&entry).unwrap_err();
/// assert!(matches!(err.issues(), [Issue::Postback(_)]));
/// assert_eq!(
///     err.issues()[0].to_string(),
///     r#"the mapped postback does not suit the source: postback: token "externalid" at bytes 25..37 reads the click id, but the source has no click-id parameter"#,
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Issue {
    /// A parameter left out of the source.
    Param {
        /// Its index among the entry's [`parameters`](Entry::parameters).
        index: usize,
        /// Its alias.
        alias: String,
        /// Its URL name.
        param: String,
        /// Why.
        reason: ParamIssue,
    },
    /// A postback token that did not map; the postback is left out of the source.
    Token {
        /// The token as written, delimiters included: `{status: lead=1 sale=2}`.
        token: String,
        /// Where it stands in the entry's postback URL.
        span: Span,
        /// Why.
        reason: TokenIssue,
    },
    /// The mapped postback does not suit the source (it sends `{externalid}`, and the entry
    /// has no `external_id` parameter); it is left out of the source.
    Postback(SourceError),
    /// The mapped postback is not a template.
    Template(ParseError),
    /// The entry makes no source at all: it has no name.
    Source(SourceError),
}

/// Why a parameter was left out: see [`Issue::Param`].
///
/// ```
/// use postback::traffic::keitaro::{Entry, Issue, ParamIssue, Parameter, import};
///
/// let entry = Entry {
///     name: "example_net".into(),
///     parameters: vec![
///         Parameter::new("sub_id_1", "zone", "{zone}"),
///         Parameter::new("sub_id_2", "zone", "{zone_id}"),
///     ],
///     ..Entry::default()
/// };
/// let err = import(&entry).unwrap_err();
/// let reason = ParamIssue::DuplicateName { first: 0 };
/// assert!(matches!(err.issues(), [Issue::Param { index: 1, reason: r, .. }] if *r == reason));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParamIssue {
    /// Ten parameters already have the ten slots.
    NoSlot,
    /// Its URL name is empty.
    EmptyName,
    /// Its macro is empty, or holds whitespace, a control character or `&`, which would break
    /// the campaign link.
    InvalidMacro,
    /// An earlier parameter, at this index, has the same URL name.
    DuplicateName {
        /// The index of the earlier parameter.
        first: usize,
    },
    /// A second `external_id` or `cost` parameter.
    DuplicateAlias,
}

/// Why a postback token did not map: see [`Issue::Token`].
///
/// ```
/// use postback::traffic::keitaro::{Entry, Issue, Parameter, TokenIssue, import};
///
/// let entry = Entry {
///     name: "example_net".into(),
///     // PHP's `S` writes an English ordinal suffix, "st" or "th": no `%` specifier does.
///     postback_url: "https://net.example/pb?c={external_id}&geo={country}&day={date:jS}".into(),
///     parameters: vec![Parameter::new("external_id", "cid", "{clickid}")],
///     ..Entry::default()
/// };
/// let err = import(&entry).unwrap_err();
/// let reasons: Vec<TokenIssue> = err
///     .issues()
///     .iter()
///     .filter_map(|issue| match issue {
///         Issue::Token { reason, .. } => Some(*reason),
///         _ => None,
///     })
///     .collect();
/// assert_eq!(reasons, [TokenIssue::Unknown, TokenIssue::DateFormat]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenIssue {
    /// No token of this crate means the same.
    Unknown,
    /// A status mapping, `{status: ...}`, with a pair the `map` modifier cannot hold: no `=`,
    /// an empty status, or a `=`, `,`, `|`, `{` or `}` in a status or a name. (A mapping
    /// such as `{status: lead=1 sale=2}` maps to `{cnv_status|map:lead=1,sale=2}`.)
    StatusMapping,
    /// One of Keitaro's per-click fields (`sub_id_N`, `source`, ...) that no parameter with a
    /// slot fills.
    NoSlot,
    /// A `{` without a `}` before the next `{` or the end.
    Unterminated,
    /// A date, `{date:FORMAT}`, whose format has a letter of PHP's `date()` that no `%`
    /// specifier writes (`S`, `z`, `W`, `t`, `L`, `o`, `X`, `x`, `B`, `u`, `v`, `e`, `I`, `p`,
    /// `Z`), a `|`, or a `\\` at its end. (`{date:Y-m-d H:i:s,Europe/Kyiv}` maps to
    /// `{cnv_time|date:%Y-%m-%d %H:%M:%S,Europe/Kyiv}`.)
    DateFormat,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Issue::Param {
                index,
                alias,
                param,
                reason,
            } => {
                write!(
                    f,
                    "parameter {param:?} ({alias}, parameters[{index}]) is left out: "
                )?;
                match reason {
                    ParamIssue::NoSlot => f.write_str("the ten slots t1..t10 are taken"),
                    ParamIssue::EmptyName => f.write_str("its name is empty"),
                    ParamIssue::InvalidMacro => f.write_str(
                        "its macro is empty or holds whitespace, a control character or '&'",
                    ),
                    ParamIssue::DuplicateName { first } => {
                        write!(f, "parameters[{first}] has the same name")
                    }
                    ParamIssue::DuplicateAlias => write!(f, "an earlier parameter is {alias}"),
                }
            }
            Issue::Token {
                token,
                span,
                reason,
            } => {
                write!(f, "postback token {token:?} at bytes {span} ")?;
                match reason {
                    TokenIssue::Unknown => {
                        f.write_str("is not mapped: no token means the same here")
                    }
                    TokenIssue::StatusMapping => f.write_str(
                        "is not mapped: a status mapping with a pair that map cannot hold, and \
                         {cnv_status} alone would send the tracker's own status names",
                    ),
                    TokenIssue::NoSlot => {
                        f.write_str("is not mapped: no parameter with a slot fills it")
                    }
                    TokenIssue::Unterminated => f.write_str("is not closed by \"}\""),
                    TokenIssue::DateFormat => f.write_str(
                        "is not mapped: a date format with a letter no % specifier writes",
                    ),
                }
            }
            Issue::Postback(err) => {
                write!(f, "the mapped postback does not suit the source: {err}")
            }
            Issue::Template(err) => write!(f, "the mapped postback is not a template: {err}"),
            Issue::Source(err) => write!(f, "no source: {err}"),
        }
    }
}
