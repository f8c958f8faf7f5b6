//! Traffic sources: the network's side of the conversion loop.
//!
//! A traffic source (ExoClick, TrafficStars, ...) sends its clicks to the tracker's campaign
//! link with its own macros filled in: its click id in a special macro (ExoClick's
//! `{conversions_tracking}`), perhaps the cost of the click, and up to ten other facts (zone,
//! site, campaign, ...) that the tracker keeps in the slots `t1`..`t10`. When a click converts,
//! the tracker sends the click id back to the network in the source's postback, through
//! `{externalid}`. A [`TrafficSource`] describes such a network, and gives the tracker each step
//! of that loop:
//!
//! 1. [`TrafficSource::campaign_link`]: the link the tracker hands to the network, one
//!    `name=MACRO` pair per parameter, the macros left exactly as the network expects them;
//! 2. [`TrafficSource::capture`]: the click as it arrives, its values percent-decoded into a
//!    [`Click`];
//! 3. the postback: the source's [`settings`](TrafficSource::settings), and a campaign's own
//!    settings checked against the source with [`TrafficSource::bind`], chosen by
//!    [`select`](crate::select::select), each [`Fire`](crate::select::Fire) expanded from the
//!    [`Click`], which is a [`TokenSource`](crate::TokenSource), at the payout `select`
//!    decided.
//!
//! ```
//! use postback::traffic::presets::{self, GoalValue};
//! use postback::{Token, TokenSource, Value, from_fn};
//!
//! let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::Dynamic)?;
//!
//! // 1. The link the tracker gives ExoClick for a campaign.
//! let link = exoclick.campaign_link("https://trk.example/c/abc123")?;
//! assert!(link.starts_with("https://trk.example/c/abc123?externalid={conversions_tracking}&zoneid={zone_id}"));
//!
//! // 2. A click arrives, ExoClick's macros filled in.
//! let click = exoclick.capture("externalid=ex-7f3a%2B1&zoneid=4012&siteid=88")?;
//! assert_eq!(click.external_id(), Some("ex-7f3a+1"));
//!
//! // 3. It converts: the postback goes back with the click id and the payout.
//! let payout = "1.50".parse().unwrap();
//! let conversion = from_fn(|token| match token {
//!     Token::Payout => Some(Value::Decimal(payout)),
//!     token => click.value(token),
//! });
//! let postback = exoclick.postback().unwrap().try_expand(&conversion)?;
//! assert_eq!(
//!     postback,
//!     "https://s.magsrv.com/tag.php?goal=4f1b2c3d4e5f60718293a4b5c6d7e8f9&tag=ex-7f3a%2B1&value=1.50",
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`presets`] has ExoClick and a list of other networks as JSON; [`keitaro`] imports another
//! tracker's list of traffic-source templates.

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::delivery::Policy;
use crate::request::Method;
use crate::select::Settings;
use crate::{Slot, Span, Template, Token};

mod capture;
pub mod keitaro;
mod link;
pub mod presets;

pub use self::capture::{CaptureError, CaptureErrorKind, Click, ClickRecord, RecordedParam};
pub use self::link::LinkError;

/// The most parameters a traffic source has besides its click id and cost: one per slot,
/// `t1`..`t10`.
///
/// ```
/// use postback::Slot;
/// use postback::traffic::{MAX_PARAMS, Parts, SlotParam, SourceError, TrafficSource};
///
/// assert_eq!(MAX_PARAMS, Slot::all().len());
/// let mut params: Vec<SlotParam> = Slot::all()
///     .map(|slot| SlotParam::new(format!("sub{slot}"), format!("[SUB{slot}]"), slot))
///     .collect();
/// // An eleventh parameter has no slot of its own.
/// params.push(SlotParam::new("sub11", "[SUB11]", Slot::MAX));
/// let parts = Parts { name: "PopAds".into(), params, ..Parts::default() };
/// assert_eq!(TrafficSource::new(parts), Err(SourceError::TooManyParams { count: 11 }));
/// ```
pub const MAX_PARAMS: usize = 10;

/// A URL parameter that a traffic source fills with one of its macros.
///
/// In the campaign link it is written `name=placeholder`: `externalid={conversions_tracking}`.
/// The network replaces the placeholder with the click's value when it sends the click; the
/// tracker reads the value back under `name`.
///
/// With the `serde` feature it is an object of `name` and `macro`:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::traffic::Param;
///
/// let click_id: Param =
///     serde_json::from_str(r#"{ "name": "externalid", "macro": "{conversions_tracking}" }"#)?;
/// assert_eq!(click_id, Param::new("externalid", "{conversions_tracking}"));
/// // `placeholder` is the field's Rust name, not a key of its serde form.
/// let json = r#"{ "name": "externalid", "placeholder": "{conversions_tracking}" }"#;
/// assert!(serde_json::from_str::<Param>(json).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct Param {
    /// The URL parameter the tracker reads: `externalid`, `zoneid`.
    pub name: String,
    /// The network's macro, exactly as the network writes it: `{conversions_tracking}`,
    /// `[CLICK_ID]`, `##ZONE_ID##`. Serialized as `macro`.
    #[cfg_attr(feature = "serde", serde(rename = "macro"))]
    pub placeholder: String,
}

impl Param {
    /// The parameter `name`, filled by the network's macro `placeholder`.
    ///
    /// ```
    /// use postback::traffic::Param;
    ///
    /// // ExoClick's click id, in the campaign link as `externalid={conversions_tracking}`.
    /// let click_id = Param::new("externalid", "{conversions_tracking}");
    /// assert_eq!(click_id.name, "externalid");
    /// assert_eq!(click_id.placeholder, "{conversions_tracking}");
    /// ```
    pub fn new(name: impl Into<String>, placeholder: impl Into<String>) -> Param {
        Param {
            name: name.into(),
            placeholder: placeholder.into(),
        }
    }
}

/// A [`Param`] whose value the tracker keeps in a slot, `t1`..`t10`: `{t3}` or
/// `{tName:zoneid}` in a postback.
///
/// With the `serde` feature it is an object of `name`, `macro` and `slot`, the slot as its
/// number:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::Slot;
/// use postback::traffic::SlotParam;
///
/// let zone: SlotParam =
///     serde_json::from_str(r#"{ "name": "zoneid", "macro": "{zone_id}", "slot": 1 }"#)?;
/// assert_eq!(zone, SlotParam::new("zoneid", "{zone_id}", Slot::MIN));
/// let json = r#"{ "name": "zoneid", "macro": "{zone_id}", "slot": 11 }"#;
/// assert!(serde_json::from_str::<SlotParam>(json).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct SlotParam {
    /// The URL parameter the tracker reads: `zoneid`.
    pub name: String,
    /// The network's macro, exactly as the network writes it: `{zone_id}`. Serialized as
    /// `macro`.
    #[cfg_attr(feature = "serde", serde(rename = "macro"))]
    pub placeholder: String,
    /// The slot the value lands in. Serialized as its number, 1 to 10.
    pub slot: Slot,
}

impl SlotParam {
    /// The parameter `name`, filled by the network's macro `placeholder`, kept in `slot`.
    ///
    /// ```
    /// use postback::Slot;
    /// use postback::traffic::SlotParam;
    ///
    /// // ExoClick's site id, sent as `siteid={site_id}` and kept in `t2`.
    /// let site = SlotParam::new("siteid", "{site_id}", Slot::new(2).ok_or("no slot")?);
    /// assert_eq!((site.name.as_str(), site.slot.get()), ("siteid", 2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(name: impl Into<String>, placeholder: impl Into<String>, slot: Slot) -> SlotParam {
        SlotParam {
            name: name.into(),
            placeholder: placeholder.into(),
            slot,
        }
    }
}

/// The parts of a [`TrafficSource`], unchecked: build one, then check it with
/// [`TrafficSource::new`].
///
/// It is also the serde form of a traffic source, its [`settings`](Parts::settings) beside the
/// rest:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::traffic::{Parts, TrafficSource};
///
/// let parts: Parts = serde_json::from_str(r#"{
///   "name": "ExoClick",
///   "click_id": { "name": "externalid", "macro": "{conversions_tracking}" },
///   "params": [{ "name": "zoneid", "macro": "{zone_id}", "slot": 1 }],
///   "postback": "https://s.magsrv.com/tag.php?goal=...&tag={externalid}",
///   "payout_share": "50"
/// }"#)?;
/// let payout_share = parts.settings.payout_share.map(|share| share.to_string());
/// assert_eq!(payout_share.as_deref(), Some("50"));
/// let exoclick = TrafficSource::new(parts)?;
/// assert_eq!(exoclick.slot_of("zoneid").map(|slot| slot.get()), Some(1));
///
/// let popads: Parts = serde_json::from_str(r#"{ "name": "PopAds" }"#)?;
/// assert_eq!(popads, Parts { name: "PopAds".into(), ..Parts::default() });
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Everything but `name` may be left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(from = "PartsFields", into = "PartsFields")
)]
pub struct Parts {
    /// The network's name, for people: `ExoClick`.
    pub name: String,
    /// The parameter that carries the network's own click id, the *external id* that the
    /// postback sends back through `{externalid}`. A network without conversion tracking has
    /// none.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub click_id: Option<Param>,
    /// The parameter that carries the cost of the click, `{clickcost}`, if the network
    /// reports it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub cost: Option<Param>,
    /// Up to ten parameters, each kept in its own slot.
    pub params: Vec<SlotParam>,
    /// The postback settings of the traffic-source level: its postback URL, which fires for
    /// every campaign of the source, its status postbacks, and the settings a campaign may
    /// override (see [`select`](crate::select)).
    pub settings: Settings,
    /// How the network's answers read, when to try again, and for how long: see
    /// [`delivery`](crate::delivery).
    pub delivery: Policy,
}

/// The serde form of [`Parts`]: the settings' fields beside the source's own.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PartsFields {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    click_id: Option<Param>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cost: Option<Param>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    params: Vec<SlotParam>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    postback: Option<Template<'static>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    status_postbacks: Vec<crate::select::StatusPostback>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rules: Vec<crate::select::Rule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    send: Option<crate::select::SendMode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    postback_share: Option<crate::select::Percent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    payout_share: Option<crate::select::Percent>,
    #[serde(default, skip_serializing_if = "is_default")]
    delivery: Policy,
}

/// Whether a source's delivery policy is the default, which serde leaves out.
#[cfg(feature = "serde")]
fn is_default(policy: &Policy) -> bool {
    *policy == Policy::default()
}

#[cfg(feature = "serde")]
impl From<PartsFields> for Parts {
    fn from(fields: PartsFields) -> Parts {
        Parts {
            name: fields.name,
            click_id: fields.click_id,
            cost: fields.cost,
            params: fields.params,
            settings: Settings {
                postback: fields.postback,
                status_postbacks: fields.status_postbacks,
                rules: fields.rules,
                send: fields.send,
                postback_share: fields.postback_share,
                payout_share: fields.payout_share,
            },
            delivery: fields.delivery,
        }
    }
}

#[cfg(feature = "serde")]
impl From<Parts> for PartsFields {
    fn from(parts: Parts) -> PartsFields {
        let settings = parts.settings;
        PartsFields {
            name: parts.name,
            click_id: parts.click_id,
            cost: parts.cost,
            params: parts.params,
            postback: settings.postback,
            status_postbacks: settings.status_postbacks,
            rules: settings.rules,
            send: settings.send,
            postback_share: settings.postback_share,
            payout_share: settings.payout_share,
            delivery: parts.delivery,
        }
    }
}

/// A traffic source: the parameters a network fills in its clicks, and its postback.
///
/// A `TrafficSource` is always consistent, checked by [`TrafficSource::new`] and by serde:
///
/// - its name is not empty;
/// - every parameter has a name, and no two parameters (click id and cost included) share one;
/// - every macro is non-empty and holds no whitespace, no control character and no `&`, so
///   that the campaign link stays one `name=MACRO` pair per parameter;
/// - there are at most ten [`params`](TrafficSource::params), each in its own slot;
/// - every token of its postbacks (the general one, the status postbacks and the rules of its
///   [`settings`](TrafficSource::settings)) that reads the click can be filled:
///   `{tName:NAME}` names a parameter (and is bound to its slot, see [`Template::bind`]),
///   `{tN}` reads a slot that a parameter fills, `{externalid}` and `{clickcost}` need the
///   click id and cost parameters. [`TrafficSource::bind`] checks a campaign's settings the
///   same way.
///
/// ```
/// use postback::Slot;
/// use postback::select::Settings;
/// use postback::traffic::{Param, Parts, SlotParam, TrafficSource};
///
/// let source = TrafficSource::new(Parts {
///     name: "Example Network".into(),
///     click_id: Some(Param::new("cid", "[CLICK_ID]")),
///     params: vec![SlotParam::new("zoneid", "[ZONE]", Slot::new(1).unwrap())],
///     settings: Settings::with_postback(
///         "https://net.example/pb?c={externalid}&z={tName:zoneid}".parse()?,
///     ),
///     ..Parts::default()
/// })?;
/// assert_eq!(source.slot_of("zoneid"), Slot::new(1));
///
/// let err = TrafficSource::new(Parts {
///     name: "Example Network".into(),
///     settings: Settings::with_postback("https://net.example/pb?c={externalid}".parse()?),
///     ..Parts::default()
/// })
/// .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#"postback: token "externalid" at bytes 25..37 reads the click id, but the source has no click-id parameter"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// With the `serde` feature it reads and writes as its [`Parts`], and is checked as it is
/// read:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::traffic::TrafficSource;
///
/// let json = r#"{
///   "name": "Evadav",
///   "click_id": { "name": "externalid", "macro": "{CLICKID}" },
///   "postback": "https://evadav.com/phpb?click_id={externalid}&payout={payout}"
/// }"#;
/// let evadav: TrafficSource = serde_json::from_str(json)?;
/// assert_eq!(evadav.click_id().map(|p| p.placeholder.as_str()), Some("{CLICKID}"));
///
/// let no_slot = json.replace("{payout}", "{tName:country}");
/// let err = serde_json::from_str::<TrafficSource>(&no_slot).unwrap_err();
/// assert!(err.to_string().starts_with(
///     r#"postback: token "tName:country" at bytes 53..68 names no parameter of the source"#,
/// ));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "Parts", into = "Parts")
)]
pub struct TrafficSource {
    name: String,
    click_id: Option<Param>,
    cost: Option<Param>,
    params: Vec<SlotParam>,
    settings: Settings,
    delivery: Policy,
}

impl TrafficSource {
    /// Checks `parts` and makes them a traffic source; binds every `{tName:NAME}` of its
    /// postbacks to its slot. See the [type docs](TrafficSource) for the rules.
    ///
    /// ```
    /// use postback::traffic::{Field, Param, Parts, SourceError, TrafficSource};
    ///
    /// // A macro pasted with a space after it.
    /// let parts = Parts {
    ///     name: "TrafficStars".into(),
    ///     click_id: Some(Param::new("externalid", "{click_id}")),
    ///     cost: Some(Param::new("cost", "{cost} ")),
    ///     ..Parts::default()
    /// };
    /// let err = TrafficSource::new(parts).unwrap_err();
    /// assert!(matches!(err, SourceError::InvalidMacro { at: Field::Cost, .. }));
    /// assert_eq!(
    ///     err.to_string(),
    ///     r#"macro "{cost} " of parameter "cost" has ' ' at byte 6; a macro holds no whitespace, control character or '&' (at cost)"#,
    /// );
    /// ```
    ///
    /// # Errors
    ///
    /// A [`SourceError`] for the first rule `parts` breaks: an empty or repeated name, a macro
    /// that is not one, a slot used twice, or a postback that reads what the source does not
    /// capture ([`SourceError::Postback`]).
    pub fn new(parts: Parts) -> Result<TrafficSource, SourceError> {
        let mut source = TrafficSource {
            name: parts.name,
            click_id: parts.click_id,
            cost: parts.cost,
            params: parts.params,
            settings: Settings::default(),
            delivery: parts.delivery,
        };
        source.check_params()?;
        let mut settings = parts.settings;
        source.bind(&mut settings).map_err(SourceError::Postback)?;
        source.settings = settings;
        Ok(source)
    }

    fn check_params(&self) -> Result<(), SourceError> {
        if self.name.is_empty() {
            return Err(SourceError::EmptyName);
        }
        let count = self.params.len();
        if count > MAX_PARAMS {
            return Err(SourceError::TooManyParams { count });
        }
        let mut seen: Vec<(&str, Field)> = Vec::with_capacity(count + 2);
        for (at, name, placeholder) in self.fields() {
            if name.is_empty() {
                return Err(SourceError::EmptyParamName { at });
            }
            check_macro(at, name, placeholder)?;
            if let Some(&(_, first)) = seen.iter().find(|(seen, _)| *seen == name) {
                let name = name.to_owned();
                let second = at;
                return Err(SourceError::DuplicateName {
                    name,
                    first,
                    second,
                });
            }
            seen.push((name, at));
        }
        for (second, param) in self.params.iter().enumerate() {
            let slot = param.slot;
            if let Some(first) = self.params[..second].iter().position(|p| p.slot == slot) {
                let (first, second) = (Field::Param(first), Field::Param(second));
                return Err(SourceError::DuplicateSlot {
                    slot,
                    first,
                    second,
                });
            }
        }
        Ok(())
    }

    /// Binds every `{tName:NAME}` of `settings`' templates (the postback, the status
    /// postbacks, and each rule's postback, body and headers) to the slot of the parameter
    /// `NAME`, and checks that this source captures
    /// everything they read from the click: for a campaign's settings, before
    /// [`select`](crate::select::select) fires them with this source's clicks. The first
    /// problem, in the order of the templates and of their tokens, is the error; the
    /// templates before it are bound.
    ///
    /// ```
    /// use postback::select::{Settings, StatusPostback};
    /// use postback::traffic::presets::{self, GoalValue};
    ///
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::Dynamic)?;
    /// let mut campaign = Settings::with_postback("https://s2s.example/pb?zone={tName:zoneid}".parse()?);
    /// campaign.status_postbacks.push(StatusPostback {
    ///     status: "sale".into(),
    ///     postback: "https://s2s.example/sale?site={tName:site}".parse()?,
    /// });
    /// let err = exoclick.bind(&mut campaign).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     r#"status_postbacks[0] ("sale"): token "tName:site" at bytes 30..42 names no parameter of the source"#,
    /// );
    /// // The general postback was bound: `{tName:zoneid}` is `{t1}` now.
    /// assert_eq!(campaign.postback.unwrap().tokens().next().map(|t| t.to_string()).as_deref(), Some("t1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`PostbackError`] for the first template that reads what this source does not capture,
    /// naming the template and the token, or for a rule with a body whose method is GET
    /// ([`PostbackErrorKind::BodyWithGet`]).
    pub fn bind(&self, settings: &mut Settings) -> Result<(), PostbackError> {
        if let Some(postback) = &mut settings.postback {
            self.bind_template(postback)
                .map_err(|fault| PostbackError::at(PostbackField::Postback, fault))?;
        }
        for (index, status_postback) in settings.status_postbacks.iter_mut().enumerate() {
            self.bind_template(&mut status_postback.postback)
                .map_err(|fault| {
                    let status = status_postback.status.clone();
                    PostbackError::at(PostbackField::StatusPostback { index, status }, fault)
                })?;
        }
        for (index, rule) in settings.rules.iter_mut().enumerate() {
            let name = || rule.name.clone();
            let field = |part| PostbackField::Rule {
                index,
                name: name(),
                part,
            };
            if rule.method == Method::Get && rule.body.is_some() {
                let fault = (
                    PostbackErrorKind::BodyWithGet,
                    Box::from(""),
                    Span::default(),
                );
                return Err(PostbackError::at(field(RulePart::Body), fault));
            }
            self.bind_template(&mut rule.postback)
                .map_err(|fault| PostbackError::at(field(RulePart::Postback), fault))?;
            if let Some(body) = &mut rule.body {
                self.bind_template(body.template_mut())
                    .map_err(|fault| PostbackError::at(field(RulePart::Body), fault))?;
            }
            for (header, value) in rule.headers.iter_mut().enumerate() {
                self.bind_template(value.template_mut())
                    .map_err(|fault| PostbackError::at(field(RulePart::Header(header)), fault))?;
            }
        }
        Ok(())
    }

    /// Binds one template's `{tName:NAME}` tokens, and checks that the source captures what
    /// its tokens read; fails with what is wrong, the token as written and its span.
    fn bind_template(
        &self,
        template: &mut Template<'static>,
    ) -> Result<(), (PostbackErrorKind, Box<str>, Span)> {
        if let Err(err) = template.bind(|name| self.slot_of(name)) {
            let (_, span) = err.unbound().next().unwrap_or_default();
            // The token as written: `TNAME:site|upper`, not only its name.
            let written = template.tokens_with_spans().find(|&(_, at, _)| at == span);
            let token = written.map_or("", |(_, _, text)| text);
            return Err((PostbackErrorKind::UnknownName, token.into(), span));
        }
        for (token, span, text) in template.tokens_with_spans() {
            let kind = match token {
                Token::T(slot) if self.param(slot).is_none() => PostbackErrorKind::EmptySlot(slot),
                Token::ExternalId if self.click_id.is_none() => PostbackErrorKind::NoClickId,
                Token::ClickCost if self.cost.is_none() => PostbackErrorKind::NoCost,
                _ => continue,
            };
            return Err((kind, text.into(), span));
        }
        Ok(())
    }

    /// The network's name, for people.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// assert_eq!(exoclick.name(), "ExoClick");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The parameter that carries the network's click id, if it has one.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let click_id = exoclick.click_id().ok_or("no click id")?;
    /// assert_eq!(click_id.name, "externalid");
    /// assert_eq!(click_id.placeholder, "{conversions_tracking}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn click_id(&self) -> Option<&Param> {
        self.click_id.as_ref()
    }

    /// The parameter that carries the cost of the click, if the network reports it.
    ///
    /// ```
    /// use postback::traffic::{Param, Parts, TrafficSource};
    ///
    /// let trafficstars = TrafficSource::new(Parts {
    ///     name: "TrafficStars".into(),
    ///     click_id: Some(Param::new("externalid", "{click_id}")),
    ///     cost: Some(Param::new("cost", "{cost}")),
    ///     ..Parts::default()
    /// })?;
    /// assert_eq!(trafficstars.cost(), Some(&Param::new("cost", "{cost}")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cost(&self) -> Option<&Param> {
        self.cost.as_ref()
    }

    /// The parameters kept in slots, in the order they were given.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let names: Vec<&str> = exoclick.params().iter().map(|p| p.name.as_str()).collect();
    /// assert_eq!(names[..3], ["zoneid", "siteid", "campaignid"]);
    /// assert_eq!(names[3..], ["variationid", "hostname", "categoryid"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn params(&self) -> &[SlotParam] {
        &self.params
    }

    /// The postback settings of this source's level, its templates bound to the source's
    /// slots: the one place the source's postbacks live. Pass them to
    /// [`select`](crate::select::select) as the source's settings.
    ///
    /// ```
    /// use postback::select::{Conversion, Settings, select};
    /// use postback::traffic::presets::{self, GoalValue};
    ///
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::Dynamic)?;
    /// let (campaign, sale) = (Settings::default(), Conversion::new(1, "4.20".parse()?));
    /// let selection = select(exoclick.settings(), &campaign, &sale);
    /// let fire = selection.fired().next().ok_or("nothing fired")?;
    /// assert_eq!(
    ///     fire.expand(&[("externalid", "ex-93")]),
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c3d4e5f60718293a4b5c6d7e8f9&tag=ex-93&value=4.20",
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// How the network's answers read, when to try again, and for how long: see
    /// [`delivery`](crate::delivery).
    ///
    /// ```
    /// use postback::delivery::{Answer, Outcome};
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    ///
    /// // ExoClick refuses a postback with a 200 and an `ERROR:` body.
    /// let answer = Answer::Response { status: 200, body: "ERROR: Tag is invalid!" };
    /// assert_eq!(exoclick.delivery().classify(answer).outcome, Outcome::Permanent);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn delivery(&self) -> &Policy {
        &self.delivery
    }

    /// The network's general postback, [`settings`](TrafficSource::settings)`().postback`.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// assert_eq!(
    ///     exoclick.postback().map(|postback| postback.as_str()),
    ///     Some("https://s.magsrv.com/tag.php?goal=4f1b2c3d4e5f60718293a4b5c6d7e8f9&tag={externalid}"),
    /// );
    /// // With a goal per event, the postback is a rule's, and there is no general one.
    /// let sale = ("sale", "9e8d7c6b5a4f30211203f4e5d6c7b8a9");
    /// let goals = presets::exoclick_goals(&[sale], GoalValue::NoValue)?;
    /// assert!(goals.postback().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn postback(&self) -> Option<&Template<'static>> {
        self.settings.postback.as_ref()
    }

    /// The slot of the parameter called `name`: for [`Template::bind`], so that a campaign's
    /// postback can say `{tName:zoneid}`.
    ///
    /// ```
    /// # use postback::{Slot, Template, Token};
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let mut campaign = Template::parse("https://s2s.example/pb?zone={tName:zoneid}")?;
    /// campaign.bind(|name| exoclick.slot_of(name))?;
    /// assert_eq!(campaign.tokens().next(), Slot::new(1).map(Token::T));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn slot_of(&self, name: &str) -> Option<Slot> {
        self.params.iter().find(|p| p.name == name).map(|p| p.slot)
    }

    /// The parameter kept in `slot`, if any.
    ///
    /// ```
    /// # use postback::Slot;
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let zone = exoclick.param(Slot::MIN).ok_or("t1 is empty")?;
    /// assert_eq!((zone.name.as_str(), zone.placeholder.as_str()), ("zoneid", "{zone_id}"));
    /// assert_eq!(exoclick.param(Slot::MAX), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn param(&self, slot: Slot) -> Option<&SlotParam> {
        self.params.iter().find(|p| p.slot == slot)
    }

    /// The parts, for editing: change them and check them again with [`TrafficSource::new`].
    ///
    /// ```
    /// # use postback::traffic::TrafficSource;
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let mut parts = exoclick.into_parts();
    /// parts.params.retain(|param| param.name != "categoryid");
    /// let exoclick = TrafficSource::new(parts)?;
    /// assert_eq!(exoclick.params().len(), 5);
    /// assert_eq!(exoclick.slot_of("categoryid"), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_parts(self) -> Parts {
        Parts {
            name: self.name,
            click_id: self.click_id,
            cost: self.cost,
            params: self.params,
            settings: self.settings,
            delivery: self.delivery,
        }
    }

    /// Every parameter, the click id's and the cost's first, with its role.
    pub(crate) fn fields(&self) -> impl Iterator<Item = (Field, &str, &str)> {
        fn field(at: Field, p: &Param) -> (Field, &str, &str) {
            (at, &p.name, &p.placeholder)
        }
        let click_id = self.click_id.as_ref().map(|p| field(Field::ClickId, p));
        let cost = self.cost.as_ref().map(|p| field(Field::Cost, p));
        (click_id.into_iter().chain(cost)).chain(
            self.params
                .iter()
                .enumerate()
                .map(|(i, p)| (Field::Param(i), p.name.as_str(), p.placeholder.as_str())),
        )
    }
}

impl TryFrom<Parts> for TrafficSource {
    type Error = SourceError;

    fn try_from(parts: Parts) -> Result<TrafficSource, SourceError> {
        TrafficSource::new(parts)
    }
}

impl From<TrafficSource> for Parts {
    fn from(source: TrafficSource) -> Parts {
        source.into_parts()
    }
}

/// A macro goes into the campaign link as it is: it must be there, and must not end the
/// parameter (`&`) or the URL (whitespace, control characters).
fn check_macro(at: Field, name: &str, placeholder: &str) -> Result<(), SourceError> {
    let bad = |c: char| c == '&' || c.is_whitespace() || c.is_control();
    if placeholder.is_empty() || placeholder.contains(bad) {
        return Err(SourceError::InvalidMacro {
            at,
            name: name.to_owned(),
            placeholder: placeholder.to_owned(),
        });
    }
    Ok(())
}

/// Which parameter of a traffic source an error is about, named as in its serde form:
/// `click_id`, `cost`, `params[3]`.
///
/// ```
/// use postback::traffic::{Field, Param, Parts, SourceError, TrafficSource};
///
/// let parts = Parts {
///     name: "RichAds Push".into(),
///     click_id: Some(Param::new("externalid", "[CLICK_ID]")),
///     cost: Some(Param::new("externalid", "[BID_PRICE]")),
///     ..Parts::default()
/// };
/// let err = TrafficSource::new(parts).unwrap_err();
/// let (first, second) = (Field::ClickId, Field::Cost);
/// assert_eq!(err, SourceError::DuplicateName { name: "externalid".into(), first, second });
/// assert_eq!(Field::Param(3).to_string(), "params[3]");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// The click-id parameter.
    ClickId,
    /// The cost parameter.
    Cost,
    /// The parameter at this index of [`TrafficSource::params`].
    Param(usize),
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::ClickId => f.write_str("click_id"),
            Field::Cost => f.write_str("cost"),
            Field::Param(i) => write!(f, "params[{i}]"),
        }
    }
}

/// Why parts do not make a [`TrafficSource`].
///
/// ```
/// use postback::Slot;
/// use postback::traffic::{Field, Parts, SlotParam, SourceError, TrafficSource};
///
/// let params = vec![
///     SlotParam::new("websiteid", "[WEBSITEID]", Slot::MIN),
///     SlotParam::new("campaignid", "[CAMPAIGNID]", Slot::MIN),
/// ];
/// let err = TrafficSource::new(Parts { name: "PopAds".into(), params, ..Parts::default() })
///     .unwrap_err();
/// let (first, second) = (Field::Param(0), Field::Param(1));
/// assert_eq!(err, SourceError::DuplicateSlot { slot: Slot::MIN, first, second });
/// assert_eq!(err.to_string(), "slot t1 is used twice (at params[0] and params[1])");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SourceError {
    /// The source's name is empty.
    EmptyName,
    /// More than ten parameters besides the click id and the cost.
    TooManyParams {
        /// How many there are.
        count: usize,
    },
    /// A parameter without a name.
    EmptyParamName {
        /// Which parameter.
        at: Field,
    },
    /// A macro that is empty, or holds whitespace, a control character or `&`.
    InvalidMacro {
        /// Which parameter.
        at: Field,
        /// Its name.
        name: String,
        /// The macro as given.
        placeholder: String,
    },
    /// Two parameters with one name: the tracker could not tell their values apart.
    DuplicateName {
        /// The name.
        name: String,
        /// The first parameter with it.
        first: Field,
        /// The second.
        second: Field,
    },
    /// Two parameters in one slot.
    DuplicateSlot {
        /// The slot.
        slot: Slot,
        /// The first parameter in it.
        first: Field,
        /// The second.
        second: Field,
    },
    /// A postback of the source's settings reads what the source does not capture.
    Postback(PostbackError),
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::EmptyName => f.write_str("traffic source name is empty"),
            SourceError::TooManyParams { count } => write!(
                f,
                "{count} parameters; a traffic source has at most {MAX_PARAMS}, one per slot t1..t10",
            ),
            SourceError::EmptyParamName { at } => write!(f, "parameter name is empty (at {at})"),
            SourceError::InvalidMacro {
                at,
                name,
                placeholder,
            } => match placeholder
                .char_indices()
                .find(|&(_, c)| c == '&' || c.is_whitespace() || c.is_control())
            {
                Some((byte, c)) => write!(
                    f,
                    "macro {placeholder:?} of parameter {name:?} has {c:?} at byte {byte}; \
                     a macro holds no whitespace, control character or '&' (at {at})",
                ),
                None => write!(f, "macro of parameter {name:?} is empty (at {at})"),
            },
            SourceError::DuplicateName {
                name,
                first,
                second,
            } => write!(
                f,
                "parameter name {name:?} is used twice (at {first} and {second})"
            ),
            SourceError::DuplicateSlot {
                slot,
                first,
                second,
            } => write!(f, "slot t{slot} is used twice (at {first} and {second})"),
            SourceError::Postback(err) => fmt::Display::fmt(err, f),
        }
    }
}

impl core::error::Error for SourceError {}

/// Which template of a level's [`Settings`] a [`PostbackError`] is about, named as in their
/// serde form: `postback`, `status_postbacks[1] ("sale")`, `rules[0] ("exoclick")`.
///
/// ```
/// use postback::request::Header;
/// use postback::select::{Rule, Settings};
/// use postback::traffic::{PostbackField, RulePart, presets::{self, GoalValue}};
///
/// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
/// let mut rule = Rule::new("s2s", "https://s2s.example/pb?cid={externalid}".parse()?);
/// rule.headers.push(Header::new("X-Zone", "{tName:zone}")?);
/// let mut campaign = Settings { rules: vec![rule], ..Settings::default() };
/// let err = exoclick.bind(&mut campaign).unwrap_err();
/// let part = RulePart::Header(0);
/// assert_eq!(err.field(), &PostbackField::Rule { index: 0, name: "s2s".into(), part });
/// assert_eq!(err.field().to_string(), r#"rules[0] ("s2s").headers[0]"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PostbackField {
    /// The general postback, [`Settings::postback`].
    Postback,
    /// A status postback, [`Settings::status_postbacks`].
    StatusPostback {
        /// Its index in the list.
        index: usize,
        /// Its status.
        status: String,
    },
    /// A template of a rule, [`Settings::rules`].
    Rule {
        /// Its index in the list.
        index: usize,
        /// Its name.
        name: String,
        /// Which of its templates.
        part: RulePart,
    },
}

/// Which template of a [`Rule`](crate::select::Rule) a [`PostbackError`] is about.
///
/// ```
/// use postback::request::Body;
/// use postback::select::{Rule, Settings};
/// use postback::traffic::presets::{self, GoalValue};
/// use postback::traffic::{PostbackErrorKind, PostbackField, RulePart};
///
/// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
/// // A JSON body, and the rule's method left at GET.
/// let mut rule = Rule::new("json", "https://s2s.example/pb".parse()?);
/// rule.body = Some(Body::json(r#"{"click": {externalid}}"#)?);
/// let mut campaign = Settings { rules: vec![rule], ..Settings::default() };
/// let err = exoclick.bind(&mut campaign).unwrap_err();
/// assert!(matches!(err.field(), PostbackField::Rule { part: RulePart::Body, .. }));
/// assert_eq!(err.kind(), PostbackErrorKind::BodyWithGet);
/// assert_eq!(
///     err.to_string(),
///     r#"rules[0] ("json").body: a GET sends no body; the rule's method must be POST"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RulePart {
    /// Its postback URL.
    Postback,
    /// Its body.
    Body,
    /// Its header at this index.
    Header(usize),
}

impl fmt::Display for PostbackField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PostbackField::Postback => f.write_str("postback"),
            PostbackField::StatusPostback { index, status } => {
                write!(f, "status_postbacks[{index}] ({status:?})")
            }
            PostbackField::Rule { index, name, part } => {
                write!(f, "rules[{index}] ({name:?})")?;
                match part {
                    RulePart::Postback => Ok(()),
                    RulePart::Body => f.write_str(".body"),
                    RulePart::Header(header) => write!(f, ".headers[{header}]"),
                }
            }
        }
    }
}

/// What a postback token reads that the traffic source does not capture: see
/// [`PostbackError`].
///
/// ```
/// use postback::Slot;
/// use postback::select::Settings;
/// use postback::traffic::{PostbackErrorKind, presets::{self, GoalValue}};
///
/// // ExoClick's parameters fill t1..t6.
/// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
/// let url = "https://s2s.example/pb?cid={externalid}&os={t9}";
/// let err = exoclick.bind(&mut Settings::with_postback(url.parse()?)).unwrap_err();
/// assert_eq!(err.kind(), PostbackErrorKind::EmptySlot(Slot::new(9).ok_or("no slot")?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PostbackErrorKind {
    /// `{tName:NAME}` names no parameter of the source.
    UnknownName,
    /// `{tN}` reads a slot that no parameter fills.
    EmptySlot(Slot),
    /// `{externalid}` reads the click id, and the source has no click-id parameter.
    NoClickId,
    /// `{clickcost}` reads the click's cost, and the source has no cost parameter.
    NoCost,
    /// A rule has a body and its method is GET: a body is sent only by POST. The token is
    /// empty, and so is the span.
    BodyWithGet,
}

/// A token of a postback template that reads what the traffic source does not capture: which
/// template, which token (as written, and its span in the template), and what it lacks. From
/// [`TrafficSource::new`] (inside [`SourceError::Postback`]) and [`TrafficSource::bind`].
///
/// ```
/// use postback::select::Settings;
/// use postback::traffic::presets::{self, GoalValue};
///
/// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
/// // ExoClick's macro where the parameter's name belongs.
/// let url = "https://s2s.example/pb?site={tName:site_id}";
/// let err = exoclick.bind(&mut Settings::with_postback(url.parse()?)).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#"postback: token "tName:site_id" at bytes 28..43 names no parameter of the source"#,
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PostbackError {
    field: PostbackField,
    token: Box<str>,
    span: Span,
    kind: PostbackErrorKind,
}

impl PostbackError {
    /// What `bind_template` found wrong, in the template `field`.
    fn at(field: PostbackField, (kind, token, span): (PostbackErrorKind, Box<str>, Span)) -> Self {
        PostbackError {
            field,
            token,
            span,
            kind,
        }
    }

    /// Which template of the settings.
    ///
    /// ```
    /// # use postback::traffic::PostbackField;
    /// use postback::select::{Settings, StatusPostback};
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    ///
    /// let sale = StatusPostback {
    ///     status: "sale".into(),
    ///     postback: "https://s2s.example/sale?cid={externalid}&cost={clickcost}".parse()?,
    /// };
    /// let mut campaign = Settings { status_postbacks: vec![sale], ..Settings::default() };
    /// let err = exoclick.bind(&mut campaign).unwrap_err();
    /// let status = "sale".into();
    /// assert_eq!(err.field(), &PostbackField::StatusPostback { index: 0, status });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn field(&self) -> &PostbackField {
        &self.field
    }

    /// The token as written between its delimiters: `tName:siteid`, `externalid`.
    ///
    /// ```
    /// # use postback::select::Settings;
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let url = "https://s2s.example/pb?site={tName:site|upper}";
    /// let err = exoclick.bind(&mut Settings::with_postback(url.parse()?)).unwrap_err();
    /// assert_eq!(err.token(), "tName:site|upper");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Where the token stands in its template, delimiters included.
    ///
    /// ```
    /// # use postback::select::Settings;
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let url = "https://s2s.example/pb?cid={externalid}&zone={tName:zone}";
    /// let err = exoclick.bind(&mut Settings::with_postback(url.parse()?)).unwrap_err();
    /// assert_eq!(&url[err.span().range()], "{tName:zone}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn span(&self) -> Span {
        self.span
    }

    /// What the token reads that the source lacks.
    ///
    /// ```
    /// # use postback::traffic::PostbackErrorKind;
    /// # use postback::select::Settings;
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// // ExoClick sends no cost with its clicks.
    /// let url = "https://s2s.example/pb?cid={externalid}&cost={clickcost}";
    /// let err = exoclick.bind(&mut Settings::with_postback(url.parse()?)).unwrap_err();
    /// assert_eq!(err.kind(), PostbackErrorKind::NoCost);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> PostbackErrorKind {
        self.kind
    }
}

impl fmt::Display for PostbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (field, token, span) = (&self.field, &self.token, self.span);
        if self.kind == PostbackErrorKind::BodyWithGet {
            return write!(
                f,
                "{field}: a GET sends no body; the rule's method must be POST"
            );
        }
        write!(f, "{field}: token {token:?} at bytes {span} ")?;
        match self.kind {
            PostbackErrorKind::UnknownName => f.write_str("names no parameter of the source"),
            PostbackErrorKind::EmptySlot(slot) => {
                write!(f, "reads slot t{slot}, which no parameter fills")
            }
            PostbackErrorKind::NoClickId => {
                f.write_str("reads the click id, but the source has no click-id parameter")
            }
            PostbackErrorKind::NoCost => {
                f.write_str("reads the click cost, but the source has no cost parameter")
            }
            // Written before the token, which it has none of.
            PostbackErrorKind::BodyWithGet => Ok(()),
        }
    }
}

impl core::error::Error for PostbackError {}
