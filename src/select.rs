//! Which postbacks a conversion fires: the traffic source's, the campaign's, both or none.
//!
//! A tracker has two places for a postback to the traffic source: the traffic source's own
//! postback URL, which fires for every campaign of that source, and the S2S postback in a
//! campaign's settings, which fires for that campaign only. [`select`] decides, for one
//! conversion, which of them fire, with which template and at which payout, and why the others
//! do not. It is a pure function: the host passes in every fact (the conversion's ordinal,
//! whether it is the click's first, its status, its payout), and it reads no clock, draws no
//! random number and allocates nothing.
//!
//! # Rules
//!
//! | # | rule |
//! | --- | --- |
//! | 1 | Each level fires its own postbacks: its general or status postback (rule 6), and every one of its [`Rule`]s whose conditions hold. Source set, campaign unset: the source's fire; campaign set, source unset: the campaign's; both set: **both fire**, each once; neither: none. |
//! | 2 | The settings both levels can hold ([`Settings::send`], [`Settings::postback_share`], [`Settings::payout_share`]) merge into one effective set: the campaign's where it sets one (even without a postback URL of its own), else the source's, else the default (every conversion, 100%, 100%). The effective set applies to every postback the conversion fires, at both levels, rules included. |
//! | 3 | Send mode: [`SendMode::All`] conversions, only the [`SendMode::First`] conversion of a click, or only [`SendMode::Approved`] ones (the host says whether a conversion is approved). |
//! | 4 | Postback share p%: of the first n conversions, by the conversion's 1-based ordinal, exactly ⌊n·p/100⌋ are sent after every n: the n-th is sent when ⌊n·p/100⌋ > ⌊(n−1)·p/100⌋. 50% sends the 2nd, 4th, 6th...; 33% the 4th, 7th, 10th... (99 after 300); 0% none, 100% all. The share counts conversions, not postbacks: a conversion it sends fires every postback whose conditions hold. |
//! | 5 | Payout share p%: the payout reported is exactly p% of the real payout, a [`Decimal`], never rounded and never a float, with at least the real payout's decimals and no further trailing zeros (10.00 at 33% is 3.30; 0.00003 at 50% is 0.000015; 7 at 50% is 3.5). |
//! | 6 | Status postbacks: a level can tie a template to a conversion status. For a conversion with that status, the level's status postback replaces its general one. Statuses match exactly, except for ASCII case (`Sale` is `sale`); the first match in the list wins. |
//! | 7 | Rules: a rule fires when all of its conditions hold, checked in this order: its statuses, its events ([`Conversion::event`]), when it maps events to goals ([`Goal`]) a goal for the conversion's event (which `{goal}` then writes), its minimum real payout, and the click values it tests ([`ClickMatch`]). Statuses and events match without regard to ASCII case; an empty list holds for any. |
//! | 8 | Conflicts: where the levels disagree, the campaign wins. Two things can disagree: a setting of rule 2, which merges, and a rule whose name a campaign rule has too, which the campaign's replaces ([`Skip::Overridden`]): a campaign overrides a source rule by naming its own rule the same. Nothing else conflicts: the general, status and other rule postbacks of both levels all fire. |
//! | 9 | A conversion that arrives with postbacks disabled fires nothing. |
//! | 10 | Every postback of each level gets a [`Decision`]: whether it fires, with which template, at which payout and goal, and otherwise why not: the first of the postback's own reasons (no postback for this conversion; for a rule, overridden, then its conditions in the order of rule 7), then postbacks disabled, send mode, postback share, a payout share that cannot be represented exactly. |
//!
//! # Reversals
//!
//! A reversal (a chargeback, a sale rejected after it was approved) is a conversion of its
//! own for `select`, with the status the host gives it and the payout it takes back, zero or
//! negative: its status picks its status postback and the rules that fire; it is not its
//! click's first, so [`SendMode::First`] never sends it, and not approved, so neither does
//! [`SendMode::Approved`]; a negative payout is reported negative at the payout share
//! (`-12.00` at 50% is `-6.00`), and a rule's [`min_payout`](Rule::min_payout) above it skips
//! it; `{payout_or_zero}` writes zero for it. Its [dedup key](Fire::dedup_key) differs from
//! the sale's by its status, so it is sent even though the sale was. A host that wants no
//! reversal sent gives its rules the statuses they are for; one that wants them at one
//! endpoint gives a rule the statuses `rejected` or `chargeback` (see `examples/select.rs`).
//!
//! ```
//! use postback::select::{Conversion, Settings, select};
//! use postback::{Decimal, Template};
//!
//! let source = Settings {
//!     postback: Some("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?),
//!     ..Settings::default()
//! };
//! let campaign = Settings {
//!     postback: Some("https://s2s.example/pb?cid={externalid}&sum={payout}".parse()?),
//!     payout_share: Some("50".parse().unwrap()),
//!     ..Settings::default()
//! };
//! let conversion = Conversion::new(1, "10.00".parse().unwrap());
//! let selection = select(&source, &campaign, &conversion);
//!
//! // Both levels fire, each at the effective payout share: the campaign's 50%.
//! let payouts: Vec<String> = selection.fired().map(|f| f.payout.to_string()).collect();
//! assert_eq!(payouts, ["5.00", "5.00"]);
//! # Ok::<(), postback::ParseError>(())
//! ```

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::request::{Body, Header, Method, Outgoing, Request, RequestError};
use crate::{Decimal, ExpandError, Template, Token, TokenSource, Value};

/// The postback settings of one level: a traffic source, or a campaign.
///
/// Every field is optional: a setting the campaign leaves unset is taken from the traffic
/// source (rule 2), and one that neither sets has its default.
///
/// ```
/// use postback::select::{Conversion, Settings, select};
///
/// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&value={payout}".parse()?);
/// // The campaign has no postback URL of its own, but its payout share applies to the source's.
/// let campaign = Settings { payout_share: Some("50".parse()?), ..Settings::default() };
/// let conversion = Conversion::new(1, "3.30".parse()?);
/// let fire = select(&source, &campaign, &conversion).fired().next().unwrap();
/// assert_eq!(fire.payout.to_string(), "1.65");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// With the `serde` feature, settings are an object of their fields, each optional; a
/// template is its source string, a share a string as a [`Decimal`] is:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::select::{SendMode, Settings};
///
/// let campaign: Settings = serde_json::from_str(r#"{
///     "postback": "https://s2s.example/pb?cid={externalid}&sum={payout}",
///     "send": "first",
///     "payout_share": "33.3"
/// }"#).unwrap();
/// assert_eq!(campaign.send, Some(SendMode::First));
/// assert_eq!(campaign.payout_share.map(|p| p.to_string()).as_deref(), Some("33.3"));
/// assert!(campaign.status_postbacks.is_empty() && campaign.postback_share.is_none());
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default, deny_unknown_fields)
)]
pub struct Settings {
    /// The general postback URL of this level.
    pub postback: Option<Template<'static>>,
    /// Postback URLs tied to a conversion status, replacing [`postback`](Settings::postback)
    /// for conversions with that status.
    pub status_postbacks: Vec<StatusPostback>,
    /// Postback rules, each a template with the conditions it fires on: every rule whose
    /// conditions hold fires, beside the general or status postback.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Vec::is_empty"))]
    pub rules: Vec<Rule>,
    /// Which conversions are sent.
    pub send: Option<SendMode>,
    /// The share of conversions that are sent.
    pub postback_share: Option<Percent>,
    /// The share of the payout that is reported.
    pub payout_share: Option<Percent>,
}

/// A postback URL that a level fires, instead of its general one, for conversions with one
/// status.
///
/// ```
/// use postback::select::{Settings, StatusPostback};
///
/// let source = Settings {
///     status_postbacks: vec![StatusPostback {
///         status: "sale".into(),
///         postback: "https://s.magsrv.com/tag.php?goal=9e8d7c&tag={externalid}".parse()?,
///     }],
///     ..Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}".parse()?)
/// };
/// let (template, status) = source.postback_for("SALE").unwrap();
/// assert_eq!(status, Some("sale"));
/// assert!(template.as_str().contains("goal=9e8d7c"));
/// # Ok::<(), postback::ParseError>(())
/// ```
///
/// With the `serde` feature, a status postback is an object of its two fields:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::select::StatusPostback;
///
/// let sale: StatusPostback = serde_json::from_str(r#"{
///     "status": "sale",
///     "postback": "https://s.magsrv.com/tag.php?goal=9e8d7c&tag={externalid}"
/// }"#).unwrap();
/// assert_eq!(sale.status, "sale");
/// assert_eq!(sale.postback.as_str(), "https://s.magsrv.com/tag.php?goal=9e8d7c&tag={externalid}");
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct StatusPostback {
    /// The status, matched without regard to ASCII case.
    pub status: String,
    /// The postback URL for conversions with that status.
    pub postback: Template<'static>,
}

/// A postback rule: a template, and the conditions a conversion must meet for it to fire.
///
/// A rule fires when every condition it sets holds; a condition left empty always holds. Its
/// [`name`](Rule::name) identifies it: in [`Skip`] reasons, in [`Fire::dedup_key`], and
/// across the two levels, where a campaign rule replaces the source's rule of the same name
/// ([`Skip::Overridden`]). Keep names unique within a level.
///
/// ```
/// use postback::select::{Conversion, Goal, Rule, Settings, Skip, select};
///
/// let source = Settings {
///     rules: vec![Rule {
///         goals: vec![Goal::new("lead", "4f1b2c"), Goal::new("sale", "9e8d7c")],
///         min_payout: Some("1".parse().unwrap()),
///         ..Rule::new("exoclick", "https://s.magsrv.com/tag.php?goal={goal}&tag={externalid}".parse()?)
///     }],
///     ..Settings::default()
/// };
/// let campaign = Settings::default();
/// let sale = Conversion { event: "sale", ..Conversion::new(1, "12.00".parse().unwrap()) };
/// let fire = select(&source, &campaign, &sale).fired().next().unwrap();
/// assert_eq!(fire.goal, Some("9e8d7c"));
/// assert_eq!(fire.expand(&[("externalid", "ck-1")]), "https://s.magsrv.com/tag.php?goal=9e8d7c&tag=ck-1");
///
/// // An install has no goal, and a lead below the minimum payout does not fire.
/// let install = Conversion { event: "install", ..sale };
/// let lead = Conversion { event: "lead", payout: "0.50".parse().unwrap(), ..sale };
/// let skip = |c| select(&source, &campaign, c).decisions().next().unwrap().skip();
/// assert_eq!(skip(&install), Some(Skip::NoGoal));
/// assert_eq!(skip(&lead), Some(Skip::BelowMinPayout { min: "1".parse().unwrap() }));
/// # Ok::<(), postback::ParseError>(())
/// ```
///
/// With the `serde` feature, a rule is an object of its fields, every condition optional; a
/// minimum payout is a string, as a [`Decimal`] is:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::select::{Goal, Rule};
///
/// let rule: Rule = serde_json::from_str(r#"{
///     "name": "push sales",
///     "postback": "https://s.magsrv.com/tag.php?goal={goal}&tag={externalid}",
///     "statuses": ["approved"],
///     "events": ["sale"],
///     "min_payout": "0.50",
///     "click": [{"token": "tName:source", "equals": "push"}],
///     "goals": [{"event": "sale", "goal": "9e8d7c"}]
/// }"#).unwrap();
/// assert_eq!(rule.goals, [Goal::new("sale", "9e8d7c")]);
/// assert_eq!(rule.click[0].equals(), "push");
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct Rule {
    /// The rule's name, which identifies it: see [`Rule`].
    pub name: String,
    /// The postback URL it fires.
    pub postback: Template<'static>,
    /// The statuses it fires for, matched without regard to ASCII case; any when empty.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub statuses: Vec<String>,
    /// The events it fires for ([`Conversion::event`]), matched without regard to ASCII case;
    /// any when empty.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub events: Vec<String>,
    /// The least real payout, before the payout share, that it fires for; any when `None`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub min_payout: Option<Decimal>,
    /// Values the click must have ([`Conversion::click`]), every one.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub click: Vec<ClickMatch>,
    /// The network's goal id for each event, for the `{goal}` token. When the list is not
    /// empty, the rule fires only for an event it has a goal for ([`Skip::NoGoal`]); the first
    /// goal whose event matches, without regard to ASCII case, is the one.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub goals: Vec<Goal>,
    /// The HTTP method: GET unless the network takes a POST.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_get"))]
    pub method: Method,
    /// The body a POST sends: JSON or a form, escaped for its content type.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub body: Option<Body>,
    /// The headers it sends.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub headers: Vec<Header>,
}

/// Whether a rule's method is the default, GET, which serde leaves out.
#[cfg(feature = "serde")]
fn is_get(method: &Method) -> bool {
    *method == Method::Get
}

impl Rule {
    /// The rule `name` firing `postback` for every conversion: no conditions, no goals.
    ///
    /// ```
    /// use postback::request::Method;
    /// use postback::select::Rule;
    ///
    /// let rule = Rule::new("exoclick", "https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?);
    /// assert_eq!(rule.name, "exoclick");
    /// assert_eq!(rule.method, Method::Get);
    /// assert!(rule.statuses.is_empty() && rule.min_payout.is_none() && rule.goals.is_empty());
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn new(name: impl Into<String>, postback: Template<'static>) -> Rule {
        Rule {
            name: name.into(),
            postback,
            statuses: Vec::new(),
            events: Vec::new(),
            min_payout: None,
            click: Vec::new(),
            goals: Vec::new(),
            method: Method::Get,
            body: None,
            headers: Vec::new(),
        }
    }

    /// Why the rule does not fire for `conversion`, by its own conditions, or `None` when
    /// they all hold; with the goal for the conversion's event when it has goals.
    fn check<'a>(&'a self, conversion: &Conversion<'_>) -> Result<Option<&'a str>, Skip> {
        let listed = |list: &[String], wanted: &str| {
            list.is_empty() || list.iter().any(|item| item.eq_ignore_ascii_case(wanted))
        };
        if !listed(&self.statuses, conversion.status) {
            return Err(Skip::Status);
        }
        if !listed(&self.events, conversion.event) {
            return Err(Skip::Event);
        }
        let goal = match self.goals.is_empty() {
            true => None,
            false => {
                let goal = self
                    .goals
                    .iter()
                    .find(|g| g.event.eq_ignore_ascii_case(conversion.event));
                Some(goal.ok_or(Skip::NoGoal)?.goal.as_str())
            }
        };
        if let Some(min) = self.min_payout.filter(|&min| conversion.payout < min) {
            return Err(Skip::BelowMinPayout { min });
        }
        if let Some(index) = self.click.iter().position(|m| !m.holds(conversion.click)) {
            return Err(Skip::Click { index });
        }
        Ok(goal)
    }
}

/// The network's goal id for one event of a [`Rule`]: ExoClick has one goal id per event,
/// ADxAD `goal1`..`goal3`, Taboola an event name.
///
/// With the `serde` feature, a goal is an object of its two fields:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::select::Goal;
///
/// let goals: Vec<Goal> = serde_json::from_str(r#"[
///     {"event": "lead", "goal": "4f1b2c"},
///     {"event": "sale", "goal": "9e8d7c"}
/// ]"#).unwrap();
/// assert_eq!(goals, [Goal::new("lead", "4f1b2c"), Goal::new("sale", "9e8d7c")]);
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct Goal {
    /// The event, as in [`Conversion::event`].
    pub event: String,
    /// The goal id the network expects for it, written for `{goal}`.
    pub goal: String,
}

impl Goal {
    /// The goal `goal` for `event`.
    ///
    /// ```
    /// use postback::select::Goal;
    ///
    /// let sale = Goal::new("sale", "9e8d7c");
    /// assert_eq!((sale.event.as_str(), sale.goal.as_str()), ("sale", "9e8d7c"));
    /// ```
    pub fn new(event: impl Into<String>, goal: impl Into<String>) -> Goal {
        Goal {
            event: event.into(),
            goal: goal.into(),
        }
    }
}

/// A condition of a [`Rule`] on the click: the value of one token of the click, as the host's
/// [`Conversion::click`] answers it, equals a text exactly (Keitaro filters a campaign's
/// postback by the click's `source` parameter).
///
/// A text value equals the text as it is; a number equals it written in plain decimal
/// notation (`1017`, `3.30`). A click without the value, or a conversion without a click,
/// does not match.
///
/// ```
/// use postback::select::ClickMatch;
///
/// let push = ClickMatch::new("tName:source", "push")?;
/// assert!(push.holds(Some(&[("tName:source", "push")])));
/// assert!(!push.holds(Some(&[("tName:source", "pop")])));
/// assert!(!push.holds(None));
/// assert!(ClickMatch::new("sauce", "push").is_err());
/// # Ok::<(), postback::select::ClickMatchError>(())
/// ```
///
/// With the `serde` feature, a condition is an object of the token and the text, and reading
/// one checks the token as [`ClickMatch::new`] does:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::select::ClickMatch;
///
/// let push: ClickMatch = serde_json::from_str(r#"{"token": "tName:source", "equals": "push"}"#).unwrap();
/// assert_eq!((push.token(), push.equals()), ("tName:source", "push"));
///
/// let err = serde_json::from_str::<ClickMatch>(r#"{"token": "sauce", "equals": "push"}"#).unwrap_err();
/// assert!(err.to_string().starts_with(r#""sauce" is not a token"#));
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "ClickMatchFields", into = "ClickMatchFields")
)]
pub struct ClickMatch {
    token: String,
    equals: String,
}

/// The serde form of a [`ClickMatch`].
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ClickMatchFields {
    token: String,
    equals: String,
}

#[cfg(feature = "serde")]
impl TryFrom<ClickMatchFields> for ClickMatch {
    type Error = ClickMatchError;

    fn try_from(fields: ClickMatchFields) -> Result<ClickMatch, ClickMatchError> {
        ClickMatch::new(&fields.token, fields.equals)
    }
}

#[cfg(feature = "serde")]
impl From<ClickMatch> for ClickMatchFields {
    fn from(m: ClickMatch) -> ClickMatchFields {
        ClickMatchFields {
            token: m.token,
            equals: m.equals,
        }
    }
}

impl ClickMatch {
    /// The condition that the click's `token` (a name of the vocabulary, such as `t1` or
    /// `referer`, or `tName:NAME`) equals `equals`.
    ///
    /// ```
    /// use postback::select::ClickMatch;
    ///
    /// let zone = ClickMatch::new("t1", "4012")?;
    /// assert!(zone.holds(Some(&[("t1", 4012_u32)])));
    /// assert!(ClickMatch::new("tName:", "push").is_err());
    /// # Ok::<(), postback::select::ClickMatchError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`ClickMatchError`] when `token` is not a token name.
    pub fn new(token: &str, equals: impl Into<String>) -> Result<ClickMatch, ClickMatchError> {
        match parse_token(token) {
            Some(_) => Ok(ClickMatch {
                token: token.into(),
                equals: equals.into(),
            }),
            None => Err(ClickMatchError {
                token: token.into(),
            }),
        }
    }

    /// The token whose value is tested, as given.
    ///
    /// ```
    /// use postback::select::ClickMatch;
    ///
    /// assert_eq!(ClickMatch::new("tName:source", "push")?.token(), "tName:source");
    /// # Ok::<(), postback::select::ClickMatchError>(())
    /// ```
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The text the value must equal.
    ///
    /// ```
    /// use postback::select::ClickMatch;
    ///
    /// assert_eq!(ClickMatch::new("tName:source", "push")?.equals(), "push");
    /// # Ok::<(), postback::select::ClickMatchError>(())
    /// ```
    pub fn equals(&self) -> &str {
        &self.equals
    }

    /// Whether `click` has the value.
    ///
    /// ```
    /// use postback::select::ClickMatch;
    /// use postback::{Decimal, Value};
    ///
    /// // A number equals its plain decimal notation, trailing zeros included.
    /// let cost = ClickMatch::new("t2", "3.30")?;
    /// let payout: Decimal = "3.30".parse()?;
    /// assert!(cost.holds(Some(&[("t2", Value::Decimal(payout))])));
    /// assert!(!cost.holds(Some(&[("t2", "3.3")])));
    /// assert!(!cost.holds(Some(&[("t1", "3.30")])));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holds(&self, click: Option<&dyn TokenSource>) -> bool {
        let value = parse_token(&self.token).and_then(|token| click?.value(&token));
        value.is_some_and(|value| value_equals(value, &self.equals))
    }
}

/// `name` as a token: a name of the vocabulary, or `tName:NAME`.
fn parse_token(name: &str) -> Option<Token<'_>> {
    match name.split_once(':') {
        Some(("tName", slot)) if !slot.is_empty() => Some(Token::TName(slot)),
        Some(_) => None,
        None => Token::from_name(name),
    }
}

/// Whether `value`, written as expansion writes it before encoding, is `text`.
fn value_equals(value: Value<'_>, text: &str) -> bool {
    let digits = &mut [0; Decimal::MAX_LEN];
    match value {
        Value::Str(value) | Value::Raw(value) => value == text,
        Value::Int(n) => crate::decimal::plain(digits, n.unsigned_abs(), 0, n < 0) == text,
        Value::UInt(n) => crate::decimal::plain(digits, n, 0, false) == text,
        Value::Decimal(d) => d.format(digits) == text,
        Value::Float(x) => text.parse::<f64>().is_ok_and(|t| t == x),
    }
}

/// A [`ClickMatch`] token that is not a token name.
///
/// ```
/// use postback::select::ClickMatch;
///
/// let err = ClickMatch::new("sauce", "push").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#""sauce" is not a token a click condition can test: a name such as `t1` or `referer`, or `tName:NAME`"#,
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClickMatchError {
    token: Box<str>,
}

impl ClickMatchError {
    /// The token name as given.
    ///
    /// ```
    /// use postback::select::ClickMatch;
    ///
    /// assert_eq!(ClickMatch::new("tName:", "push").unwrap_err().token(), "tName:");
    /// ```
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl fmt::Display for ClickMatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a token a click condition can test: a name such as `t1` or `referer`, or `tName:NAME`",
            self.token
        )
    }
}

impl core::error::Error for ClickMatchError {}

/// Which conversions a level sends.
///
/// ```
/// use postback::select::{Conversion, SendMode, Settings, Skip, select};
///
/// let source = Settings {
///     send: Some(SendMode::Approved),
///     ..Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?)
/// };
/// let campaign = Settings::default();
/// let pending = Conversion { approved: false, status: "pending", ..Conversion::new(1, "2".parse()?) };
/// let decision = select(&source, &campaign, &pending).decisions().next().unwrap();
/// assert_eq!(decision.skip(), Some(Skip::NotApproved));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// With the `serde` feature, a send mode is its name in lowercase:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::select::SendMode;
///
/// let modes: Vec<SendMode> = serde_json::from_str(r#"["all", "first", "approved"]"#).unwrap();
/// assert_eq!(modes, [SendMode::All, SendMode::First, SendMode::Approved]);
/// assert!(serde_json::from_str::<SendMode>(r#""First""#).is_err());
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "lowercase")
)]
pub enum SendMode {
    /// Every conversion. The default.
    #[default]
    All,
    /// Only the first conversion of each click: the one the host says is its click's first
    /// ([`Conversion::first`]), counting every conversion the host records for the click,
    /// whatever its status or event and whether or not anything fired for it. A click whose
    /// first conversion fired nothing (postbacks disabled, a share that skipped it) sends none.
    First,
    /// Only conversions the host says are approved.
    Approved,
}

/// A percentage from 0 to 100, exact, with at most six decimal places.
///
/// ```
/// use postback::select::Percent;
///
/// let third: Percent = "33.3".parse().unwrap();
/// assert_eq!(third.to_string(), "33.3");
/// assert!("100.5".parse::<Percent>().is_err());
/// assert!("-1".parse::<Percent>().is_err());
/// assert!("0.0000001".parse::<Percent>().is_err());
/// ```
///
/// With the `serde` feature, a percentage is a [`Decimal`]: a string, or a JSON integer;
/// reading one checks its range as [`Percent::new`] does.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::select::Percent;
///
/// let third: Percent = serde_json::from_str(r#""33.3""#).unwrap();
/// assert_eq!(third.to_string(), "33.3");
/// let half: Percent = serde_json::from_str("50").unwrap();
/// assert_eq!(half, "50".parse().unwrap());
/// assert!(serde_json::from_str::<Percent>(r#""120""#).is_err());
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "Decimal", into = "Decimal")
)]
pub struct Percent(Decimal);

/// 100, as a decimal.
const HUNDRED: Decimal = match Decimal::new(100, 0) {
    Some(hundred) => hundred,
    None => Decimal::ZERO,
};

impl Percent {
    /// 100%, the default of both shares.
    ///
    /// ```
    /// use postback::select::Percent;
    ///
    /// assert_eq!(Percent::ALL, "100".parse().unwrap());
    /// assert!((1..=1000).all(|n| Percent::ALL.sends(n)));
    /// ```
    pub const ALL: Percent = Percent(HUNDRED);

    /// The most decimal places a percentage has: enough for any share a tracker offers, and
    /// few enough that [`sends`](Percent::sends) counts exactly for every `u64` ordinal.
    ///
    /// ```
    /// use postback::select::Percent;
    ///
    /// assert_eq!(Percent::MAX_SCALE, 6);
    /// assert!("33.333333".parse::<Percent>().is_ok());
    /// assert!("33.3333333".parse::<Percent>().is_err());
    /// ```
    pub const MAX_SCALE: u32 = 6;

    /// The percentage `value`, trailing zeros dropped, or `None` unless `0 <= value <= 100`
    /// with at most [`Percent::MAX_SCALE`] decimal places.
    ///
    /// ```
    /// use postback::select::Percent;
    ///
    /// let share = Percent::new("33.30".parse()?).unwrap();
    /// assert_eq!(share.get().to_string(), "33.3");
    /// assert_eq!(Percent::new("100.01".parse()?), None);
    /// assert_eq!(Percent::new("-5".parse()?), None);
    /// # Ok::<(), postback::ParseDecimalError>(())
    /// ```
    pub fn new(value: Decimal) -> Option<Percent> {
        let value = value.normalize();
        let fits = Decimal::ZERO <= value && value <= HUNDRED && value.scale() <= Self::MAX_SCALE;
        fits.then_some(Percent(value))
    }

    /// The percentage as a decimal: `33.3` for 33.3%.
    ///
    /// ```
    /// use postback::Decimal;
    /// use postback::select::Percent;
    ///
    /// let share: Percent = "33.3".parse()?;
    /// let payout: Decimal = "10.00".parse()?;
    /// assert_eq!(payout.percent(share.get()).unwrap().to_string(), "3.33");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn get(self) -> Decimal {
        self.0
    }

    /// Whether the `ordinal`-th conversion (1-based) is sent at this share: when
    /// ⌊n·p/100⌋ > ⌊(n−1)·p/100⌋, so that exactly ⌊n·p/100⌋ of the first n are sent, evenly
    /// spread. The ordinal 0 is never sent.
    ///
    /// ```
    /// use postback::select::Percent;
    ///
    /// let half: Percent = "50".parse().unwrap();
    /// let sent: Vec<u64> = (1..=8).filter(|&n| half.sends(n)).collect();
    /// assert_eq!(sent, [2, 4, 6, 8]);
    /// ```
    pub fn sends(self, ordinal: u64) -> bool {
        ordinal > 0 && self.sent_among(ordinal) > self.sent_among(ordinal - 1)
    }

    /// ⌊n·p/100⌋: how many of the first `n` conversions are sent.
    fn sent_among(self, n: u64) -> u128 {
        // p = m / 10^s with 0 <= m <= 100 * 10^6 < 2^27, so n * m < 2^91: exact in u128.
        let (m, s) = (self.0.mantissa().unsigned_abs(), self.0.scale());
        u128::from(n) * u128::from(m) / (100 * 10_u128.pow(s))
    }
}

impl TryFrom<Decimal> for Percent {
    type Error = PercentError;

    fn try_from(value: Decimal) -> Result<Percent, PercentError> {
        Percent::new(value).ok_or(PercentError)
    }
}

impl From<Percent> for Decimal {
    fn from(percent: Percent) -> Decimal {
        percent.0
    }
}

impl core::str::FromStr for Percent {
    type Err = PercentError;

    /// A plain decimal from 0 to 100, such as `50` or `33.3`.
    fn from_str(text: &str) -> Result<Percent, PercentError> {
        text.parse::<Decimal>()
            .ok()
            .and_then(Percent::new)
            .ok_or(PercentError)
    }
}

impl fmt::Display for Percent {
    /// The percentage without a `%` sign: `33.3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// A percentage that is not a plain decimal from 0 to 100.
///
/// ```
/// use postback::select::{Percent, PercentError};
///
/// assert_eq!("50%".parse::<Percent>(), Err(PercentError));
/// assert_eq!(
///     PercentError.to_string(),
///     "a percentage is a plain decimal from 0 to 100 with at most 6 decimal places",
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PercentError;

impl fmt::Display for PercentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a percentage is a plain decimal from 0 to 100 with at most 6 decimal places")
    }
}

impl core::error::Error for PercentError {}

/// The facts of one conversion that the selection needs, as the host knows them.
///
/// ```
/// use postback::select::{ClickMatch, Conversion, Rule, Settings, select};
///
/// let push = Rule {
///     click: vec![ClickMatch::new("tName:source", "push")?],
///     ..Rule::new("push", "https://push.example/dep?cid={externalid}&sum={payout}".parse()?)
/// };
/// let (source, campaign) = (Settings { rules: vec![push], ..Settings::default() }, Settings::default());
/// // The click's third conversion, a deposit: not its first, and still pending.
/// let click = [("externalid", "ck-7"), ("tName:source", "push")];
/// let deposit = Conversion {
///     first: false, approved: false, status: "pending", event: "deposit", click: Some(&click),
///     ..Conversion::new(3, "25.00".parse()?)
/// };
/// let fire = select(&source, &campaign, &deposit).fired().next().unwrap();
/// assert_eq!(fire.expand(&click), "https://push.example/dep?cid=ck-7&sum=25.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy)]
pub struct Conversion<'a> {
    /// The conversion's ordinal, 1-based, for the postback share: its place among the
    /// conversions of its campaign (one campaign has one traffic source, so the pair is the
    /// campaign), counting every conversion the host asks `select` about, in the order it
    /// records them, whatever `select` decides (one skipped by the send mode, or with
    /// postbacks disabled, still takes its number). The effective share then sends exactly
    /// ⌊n·p/100⌋ of a campaign's first n conversions, at both levels.
    pub ordinal: u64,
    /// Whether this is the first conversion of its click: see [`SendMode::First`].
    pub first: bool,
    /// Whether the host counts the conversion as approved.
    pub approved: bool,
    /// The conversion's status, for status postbacks and [`Rule::statuses`]: `lead`, `sale`,
    /// `rejected`...
    pub status: &'a str,
    /// The conversion's event or type, for [`Rule::events`] and [`Rule::goals`]: `lead`,
    /// `sale`, `deposit`, `install`, or any name the host defines; empty when it has none.
    pub event: &'a str,
    /// The real payout, before the payout share. A reversal (a chargeback after an approved
    /// sale) is a conversion of its own, often with a status such as `rejected` and a zero or
    /// negative payout: see the [module docs](self#reversals).
    pub payout: Decimal,
    /// Whether postbacks are enabled for this conversion; a network may ask that it not be
    /// echoed back.
    pub postbacks: bool,
    /// The click's values, for [`Rule::click`]; with `None`, a rule that tests the click does
    /// not fire.
    pub click: Option<&'a dyn TokenSource>,
}

impl Conversion<'_> {
    /// The `ordinal`-th conversion, the first of its click, approved, without a status or an
    /// event, with postbacks enabled, without a click.
    ///
    /// ```
    /// use postback::select::Conversion;
    ///
    /// let lead = Conversion { status: "lead", ..Conversion::new(1, "0.35".parse()?) };
    /// assert!(lead.first && lead.approved && lead.postbacks);
    /// assert_eq!((lead.ordinal, lead.event, lead.payout.to_string().as_str()), (1, "", "0.35"));
    /// assert!(lead.click.is_none());
    /// # Ok::<(), postback::ParseDecimalError>(())
    /// ```
    pub const fn new(ordinal: u64, payout: Decimal) -> Conversion<'static> {
        Conversion {
            ordinal,
            first: true,
            approved: true,
            status: "",
            event: "",
            payout,
            postbacks: true,
            click: None,
        }
    }
}

impl fmt::Debug for Conversion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Conversion")
            .field("ordinal", &self.ordinal)
            .field("first", &self.first)
            .field("approved", &self.approved)
            .field("status", &self.status)
            .field("event", &self.event)
            .field("payout", &self.payout)
            .field("postbacks", &self.postbacks)
            .field("click", &self.click.map(|_| ".."))
            .finish()
    }
}

/// Which level a postback belongs to.
///
/// It is written for a host's log as `traffic source` or `campaign`.
///
/// ```
/// use postback::select::{Conversion, Level, Settings, select};
///
/// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?);
/// let campaign = Settings::with_postback("https://s2s.example/pb?cid={externalid}".parse()?);
/// let conversion = Conversion::new(1, "2".parse()?);
/// let levels: Vec<Level> = select(&source, &campaign, &conversion).fired().map(|f| f.level).collect();
/// assert_eq!(levels, [Level::Source, Level::Campaign]);
/// assert_eq!(Level::Source.to_string(), "traffic source");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    /// The traffic source's postback: it fires for every campaign of the source.
    Source,
    /// The campaign's S2S postback: it fires for that campaign only.
    Campaign,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Source => "traffic source",
            Level::Campaign => "campaign",
        })
    }
}

/// What [`select`] decided for one conversion: a [`Decision`] for each postback of each level.
///
/// It borrows the settings and the conversion, and computes each decision as it is asked
/// for: a selection allocates nothing.
///
/// ```
/// use postback::select::{Conversion, Settings, select};
///
/// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?);
/// let campaign = Settings::default();
/// let selection = select(&source, &campaign, &Conversion::new(1, "2".parse()?));
/// // Asked twice, it decides the same.
/// assert_eq!(selection.fired().count(), 1);
/// assert_eq!(selection.fired().count(), 1);
/// assert_eq!(selection.decisions().count(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Selection<'a> {
    source: &'a Settings,
    campaign: &'a Settings,
    conversion: Conversion<'a>,
    effective: Effective,
    /// Why no postback fires at any level, by the merged settings.
    skip: Option<Skip>,
    /// The real payout at the effective payout share, `None` when it is not exact.
    payout: Option<Decimal>,
}

impl<'a> Selection<'a> {
    /// Every decision, the source's first, and within a level its general or status
    /// postback first, then its rules in order. A level with neither has one decision, its
    /// general postback's, [`Skip::NoPostback`]; a level with rules and neither has only its
    /// rules'.
    ///
    /// ```
    /// use postback::select::{Conversion, Rule, Settings, select};
    ///
    /// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?);
    /// let campaign = Settings {
    ///     rules: vec![Rule::new("sale", "https://s2s.example/pb?cid={externalid}".parse()?)],
    ///     ..Settings::default()
    /// };
    /// let selection = select(&source, &campaign, &Conversion::new(1, "2".parse()?));
    /// let lines: Vec<String> = selection.decisions().map(|d| d.to_string()).collect();
    /// assert_eq!(lines, ["traffic source postback: fires", r#"campaign rule "sale": fires"#]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decisions(&self) -> impl Iterator<Item = Decision<'a>> + use<'a> {
        self.level(Level::Source).chain(self.level(Level::Campaign))
    }

    /// The decisions of one level, in the order of [`decisions`](Selection::decisions).
    ///
    /// ```
    /// use postback::select::{Conversion, Level, Settings, Skip, select};
    ///
    /// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?);
    /// let campaign = Settings::default();
    /// let selection = select(&source, &campaign, &Conversion::new(1, "2".parse()?));
    /// let skips: Vec<Option<Skip>> = selection.level(Level::Campaign).map(|d| d.skip()).collect();
    /// assert_eq!(skips, [Some(Skip::NoPostback)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn level(&self, level: Level) -> impl Iterator<Item = Decision<'a>> + use<'a> {
        let this = *self;
        let settings = match level {
            Level::Source => self.source,
            Level::Campaign => self.campaign,
        };
        let general = settings.postback.is_some() || !settings.status_postbacks.is_empty();
        let general = (general || settings.rules.is_empty()).then(|| Decision {
            level,
            rule: None,
            outcome: this.general(level, settings),
        });
        let rules = settings.rules.iter().map(move |rule| Decision {
            level,
            rule: Some(rule),
            outcome: this.rule(level, rule),
        });
        general.into_iter().chain(rules)
    }

    /// The postbacks to fire, in the order of [`decisions`](Selection::decisions).
    ///
    /// ```
    /// use postback::select::{Conversion, Settings, select};
    ///
    /// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?);
    /// let campaign = Settings::with_postback("https://s2s.example/pb?cid={externalid}&sum={payout}".parse()?);
    /// let conversion = Conversion::new(1, "1.20".parse()?);
    /// let click = [("externalid", "ck-42")];
    /// let urls: Vec<String> = select(&source, &campaign, &conversion).fired().map(|f| f.expand(&click)).collect();
    /// assert_eq!(urls, [
    ///     "https://s.magsrv.com/tag.php?goal=4f1b&tag=ck-42",
    ///     "https://s2s.example/pb?cid=ck-42&sum=1.20",
    /// ]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fired(&self) -> impl Iterator<Item = Fire<'a>> + use<'a> {
        self.decisions()
            .filter_map(|decision| match decision.outcome {
                Outcome::Fire(fire) => Some(fire),
                Outcome::Skip(_) => None,
            })
    }

    /// The outcome of a level's general or status postback.
    fn general(&self, level: Level, settings: &'a Settings) -> Outcome<'a> {
        match settings.postback_for(self.conversion.status) {
            Some((template, status)) => self.fire(level, template, status, None, None),
            None => Outcome::Skip(Skip::NoPostback),
        }
    }

    /// The outcome of one rule of a level.
    fn rule(&self, level: Level, rule: &'a Rule) -> Outcome<'a> {
        let overridden = level == Level::Source
            && !rule.name.is_empty()
            && self
                .campaign
                .rules
                .iter()
                .any(|other| other.name == rule.name);
        if overridden {
            return Outcome::Skip(Skip::Overridden);
        }
        match rule.check(&self.conversion) {
            Ok(goal) => self.fire(level, &rule.postback, None, Some(rule), goal),
            Err(skip) => Outcome::Skip(skip),
        }
    }

    /// A postback whose own conditions hold: it fires unless the merged settings or the
    /// payout say otherwise.
    fn fire(
        &self,
        level: Level,
        template: &'a Template<'static>,
        status: Option<&'a str>,
        rule: Option<&'a Rule>,
        goal: Option<&'a str>,
    ) -> Outcome<'a> {
        if let Some(skip) = self.skip {
            return Outcome::Skip(skip);
        }
        match self.payout {
            Some(payout) => Outcome::Fire(Fire {
                level,
                template,
                status,
                rule,
                goal,
                event: self.conversion.event,
                conversion_status: self.conversion.status,
                approved: self.conversion.approved,
                payout,
            }),
            None => Outcome::Skip(Skip::Payout {
                share: self.effective.payout_share,
            }),
        }
    }
}

/// What [`select`] decided for one postback of one level.
///
/// ```
/// use postback::select::{Conversion, Level, Outcome, Settings, Skip, select};
///
/// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?);
/// let campaign = Settings::default();
/// let conversion = Conversion { postbacks: false, ..Conversion::new(1, "2".parse()?) };
/// let decision = select(&source, &campaign, &conversion).decisions().next().unwrap();
/// assert_eq!((decision.level, decision.rule), (Level::Source, None));
/// assert_eq!(decision.outcome, Outcome::Skip(Skip::Disabled));
/// assert_eq!(
///     decision.to_string(),
///     "traffic source postback: skipped, the conversion arrived with postbacks disabled",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision<'a> {
    /// Whose postback it is.
    pub level: Level,
    /// The rule, or `None` for the level's general or status postback.
    pub rule: Option<&'a Rule>,
    /// Whether it fires, and why not.
    pub outcome: Outcome<'a>,
}

impl<'a> Decision<'a> {
    /// The postback to fire, if it fires.
    ///
    /// ```
    /// use postback::select::{Conversion, Settings, select};
    ///
    /// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&value={payout}".parse()?);
    /// let campaign = Settings::default();
    /// let selection = select(&source, &campaign, &Conversion::new(1, "0.35".parse()?));
    /// let [source, campaign] = selection.decisions().collect::<Vec<_>>()[..] else { unreachable!() };
    /// assert_eq!(source.fire().map(|f| f.payout.to_string()).as_deref(), Some("0.35"));
    /// assert!(campaign.fire().is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fire(&self) -> Option<Fire<'a>> {
        match self.outcome {
            Outcome::Fire(fire) => Some(fire),
            Outcome::Skip(_) => None,
        }
    }

    /// Why it does not fire, if it does not.
    ///
    /// ```
    /// use postback::select::{Conversion, Settings, Skip, select};
    ///
    /// let source = Settings {
    ///     postback_share: Some("50".parse()?),
    ///     ..Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?)
    /// };
    /// let campaign = Settings::default();
    /// let skip = |ordinal| {
    ///     let conversion = Conversion::new(ordinal, "2".parse().unwrap());
    ///     select(&source, &campaign, &conversion).decisions().next().unwrap().skip()
    /// };
    /// assert_eq!(skip(1), Some(Skip::Share { share: "50".parse()?, ordinal: 1 }));
    /// assert_eq!(skip(2), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn skip(&self) -> Option<Skip> {
        match self.outcome {
            Outcome::Fire(_) => None,
            Outcome::Skip(skip) => Some(skip),
        }
    }
}

impl fmt::Display for Decision<'_> {
    /// A line for a host's log: `campaign rule "sale": fires` or
    /// `traffic source postback: skipped, only approved conversions are sent`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rule {
            Some(rule) => write!(f, "{} rule {:?}: ", self.level, rule.name)?,
            None => write!(f, "{} postback: ", self.level)?,
        }
        match self.outcome {
            Outcome::Fire(_) => f.write_str("fires"),
            Outcome::Skip(skip) => write!(f, "skipped, {skip}"),
        }
    }
}

/// Whether one level's postback fires.
///
/// ```
/// use postback::select::{Conversion, Outcome, Settings, select};
///
/// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?);
/// let campaign = Settings::default();
/// for decision in select(&source, &campaign, &Conversion::new(1, "2".parse()?)).decisions() {
///     match decision.outcome {
///         Outcome::Fire(fire) => assert_eq!(fire.template, source.postback.as_ref().unwrap()),
///         Outcome::Skip(skip) => assert_eq!(skip.to_string(), "no postback is set for this conversion"),
///     }
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// It fires.
    Fire(Fire<'a>),
    /// It does not, and why.
    Skip(Skip),
}

/// A postback to fire: its [`template`](Fire::template), expanded with the click's and the
/// conversion's values at the [`payout`](Fire::payout) `select` decided.
///
/// Expand it with [`Fire::try_expand`] (or [`Fire::values`] and any of the template's
/// expansions): they answer `{payout}` with [`Fire::payout`], whatever the host's source says,
/// so that the payout share is applied, modifiers on `{payout}` included.
///
/// ```
/// use postback::select::{Conversion, Settings, select};
/// use postback::{Token, Value, from_fn};
///
/// let source = Settings::default();
/// let campaign = Settings {
///     payout_share: Some("50".parse().unwrap()),
///     ..Settings::with_postback("https://s2s.example/pb?sum={payout}&r={payout|round:1}".parse()?)
/// };
/// let conversion = Conversion::new(1, "0.35".parse().unwrap());
/// // The host's own source answers `{payout}` with the full payout...
/// let host = from_fn(|token| match token {
///     Token::Payout => Some(Value::Decimal("0.35".parse().unwrap())),
///     _ => None,
/// });
/// let fire = select(&source, &campaign, &conversion).fired().next().unwrap();
/// // ... and the postback reports the share.
/// assert_eq!(fire.try_expand(&host)?, "https://s2s.example/pb?sum=0.175&r=0.2");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fire<'a> {
    /// Whose postback it is.
    pub level: Level,
    /// The template: the fired rule's postback, or the level's status postback for the
    /// conversion's status, or its general one.
    pub template: &'a Template<'static>,
    /// The status whose status postback fires, or `None` for the general postback or a rule.
    pub status: Option<&'a str>,
    /// The rule that fires, or `None` for the level's general or status postback.
    pub rule: Option<&'a Rule>,
    /// The goal id of the conversion's event, when the rule has goals: what `{goal}` writes.
    pub goal: Option<&'a str>,
    /// The conversion's event, [`Conversion::event`]: what `{cnv_event}` writes.
    pub event: &'a str,
    /// The conversion's status, [`Conversion::status`].
    pub conversion_status: &'a str,
    /// Whether the conversion is approved, for `{payout_or_zero}`.
    pub approved: bool,
    /// The payout to report: the real payout at the effective payout share.
    pub payout: Decimal,
}

impl<'a> Fire<'a> {
    /// `source`, with the tokens the selection decides answered by the fired postback: what
    /// the postback is expanded with. `{payout}` is [`Fire::payout`]; `{payout_or_zero}` the
    /// same for an approved conversion and zero, with as many decimal places, for any other;
    /// `{goal}` is [`Fire::goal`] (no value when the rule has no goals); `{cnv_event}` is
    /// [`Fire::event`] when it is not empty. Every other token is `source`'s.
    ///
    /// ```
    /// use postback::select::{Conversion, Settings, select};
    /// use postback::{Template, Token, TokenSource, Value};
    ///
    /// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&value={payout}".parse()?);
    /// let campaign = Settings { payout_share: Some("50".parse()?), ..Settings::default() };
    /// let rejected = Conversion { approved: false, status: "rejected", ..Conversion::new(2, "3.30".parse()?) };
    /// let fire = select(&source, &campaign, &rejected).fired().next().unwrap();
    /// let values = fire.values(&[("externalid", "ck-9"), ("payout", "3.30")]);
    /// assert_eq!(values.value(&Token::Payout), Some(Value::Decimal("1.65".parse()?)));
    /// assert_eq!(values.value(&Token::PayoutOrZero), Some(Value::Decimal("0.00".parse()?)));
    /// let audit = Template::parse("https://audit.example/r?id={externalid}&sum={payout_or_zero}")?;
    /// assert_eq!(audit.expand(&values), "https://audit.example/r?id=ck-9&sum=0.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn values<'s, S: TokenSource + ?Sized>(&self, source: &'s S) -> FireValues<'s, S>
    where
        'a: 's,
    {
        FireValues {
            payout: self.payout,
            zero: match self.approved {
                true => self.payout,
                false => Decimal::new(0, self.payout.scale()).unwrap_or(Decimal::ZERO),
            },
            goal: self.goal,
            event: self.event,
            source,
        }
    }

    /// A key that names this postback of this conversion, for a host that refuses to send
    /// the same postback twice (ExoClick rejects a repeat within 24 hours; trackers without a
    /// key have counted a conversion twice): the same for the same click, transaction id,
    /// event, level and rule, and different when any of them differs. Store it with the
    /// sending, and do not send again a postback whose key is stored. The conversion's status
    /// is part of it too: a status change (pending, then approved, then rejected) is a new
    /// postback, a repeat of one status is not.
    ///
    /// The key is text, `pb1/<level>/<postback>/<event>/<status>/<transaction>/<click>`, each part
    /// percent-encoded so that none can hold a `/`: the level is `source` or `campaign`; the
    /// postback is `postback` for the general one, `status:STATUS` for a status postback,
    /// `rule:NAME` for a rule. Statuses and events are written in ASCII lowercase, since they
    /// match without regard to case: `Sale` and `sale` give one key. It does not depend on the payout, the template's text or the
    /// order of the rules, so that editing a template does not make a sent postback new. It
    /// allocates nothing: write it with `Display`.
    ///
    /// ```
    /// use postback::select::{Conversion, Rule, Settings, select};
    ///
    /// let source = Settings {
    ///     rules: vec![Rule::new("sale/eu", "https://t.example/pb?id={externalid}".parse()?)],
    ///     ..Settings::default()
    /// };
    /// let campaign = Settings::default();
    /// let sale = Conversion { event: "sale", status: "approved", ..Conversion::new(1, "5".parse().unwrap()) };
    /// let fire = select(&source, &campaign, &sale).fired().next().unwrap();
    /// assert_eq!(
    ///     fire.dedup_key("ck 9", "tx-1").to_string(),
    ///     "pb1/source/rule:sale%2Feu/sale/approved/tx-1/ck%209",
    /// );
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn dedup_key<'k>(&'k self, click: &'k str, transaction: &'k str) -> DedupKey<'k> {
        DedupKey {
            fire: self,
            click,
            transaction,
        }
    }

    /// Expands the template with `source`'s values at the fired payout, or fails with every
    /// token without a usable value: see [`Template::try_expand`].
    ///
    /// ```
    /// use postback::select::{Conversion, Settings, select};
    ///
    /// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}&value={payout}".parse()?);
    /// let campaign = Settings::default();
    /// let fire = select(&source, &campaign, &Conversion::new(1, "1.20".parse()?)).fired().next().unwrap();
    /// let url = fire.try_expand(&[("externalid", "q3+Zr/8kLw==")])?;
    /// assert_eq!(url, "https://s.magsrv.com/tag.php?goal=4f1b&tag=q3%2BZr%2F8kLw%3D%3D&value=1.20");
    ///
    /// let err = fire.try_expand(&[("clickid", "ck-1")]).unwrap_err();
    /// assert!(err.to_string().contains(r#"no value for "externalid""#));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An [`ExpandError`] with every token that has no usable value at the fired payout.
    pub fn try_expand<S: TokenSource + ?Sized>(&self, source: &S) -> Result<String, ExpandError> {
        self.template.try_expand(&self.values(source))
    }

    /// Appends the expansion at the fired payout to `out`, if every token has a usable value:
    /// see [`Template::try_expand_into`].
    ///
    /// ```
    /// use postback::select::{Conversion, Settings, select};
    ///
    /// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?);
    /// let campaign = Settings::default();
    /// let fire = select(&source, &campaign, &Conversion::new(1, "2".parse()?)).fired().next().unwrap();
    /// let mut url = String::from("GET ");
    /// fire.try_expand_into(&[("externalid", "ck-5")], &mut url)?;
    /// assert_eq!(url, "GET https://s.magsrv.com/tag.php?goal=4f1b&tag=ck-5");
    /// assert!(fire.try_expand_into(&[("clickid", "ck-5")], &mut url).is_err());
    /// assert_eq!(url, "GET https://s.magsrv.com/tag.php?goal=4f1b&tag=ck-5");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An [`ExpandError`] with every token that has no usable value at the fired payout; `out`
    /// is then as it was.
    pub fn try_expand_into<S: TokenSource + ?Sized>(
        &self,
        source: &S,
        out: &mut String,
    ) -> Result<(), ExpandError> {
        self.template.try_expand_into(&self.values(source), out)
    }

    /// Expands the template at the fired payout, writing nothing for tokens without a usable
    /// value: see [`Template::expand`].
    ///
    /// ```
    /// use postback::select::{Conversion, Settings, select};
    ///
    /// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}&value={payout}".parse()?);
    /// let campaign = Settings::default();
    /// let fire = select(&source, &campaign, &Conversion::new(1, "0.35".parse()?)).fired().next().unwrap();
    /// // No external id: the postback is written without one.
    /// let click: [(&str, &str); 0] = [];
    /// assert_eq!(fire.expand(&click), "https://s.magsrv.com/tag.php?goal=4f1b&tag=&value=0.35");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expand<S: TokenSource + ?Sized>(&self, source: &S) -> String {
        self.template.expand(&self.values(source))
    }

    /// What the postback sends: its rule's method, body and headers, or a GET of the
    /// template for a general or status postback.
    ///
    /// ```
    /// use postback::request::{Body, Method};
    /// use postback::select::{Conversion, Rule, Settings, select};
    ///
    /// let rule = Rule {
    ///     method: Method::Post,
    ///     body: Some(Body::json(r#"{"click": "{externalid}", "sum": {payout}}"#)?),
    ///     ..Rule::new("json", "https://api.example/conversions".parse()?)
    /// };
    /// let source = Settings { rules: vec![rule], ..Settings::default() };
    /// let campaign = Settings::with_postback("https://s2s.example/pb?cid={externalid}".parse()?);
    /// let methods: Vec<Method> = select(&source, &campaign, &Conversion::new(1, "2".parse()?))
    ///     .fired().map(|f| f.request().method()).collect();
    /// assert_eq!(methods, [Method::Post, Method::Get]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request(&self) -> Request<'a> {
        let url: &'a Template<'a> = self.template;
        match self.rule {
            Some(rule) => {
                let request = Request::new(rule.method, url).with_headers(&rule.headers);
                match &rule.body {
                    Some(body) => request.with_body(body),
                    None => request,
                }
            }
            None => Request::get(url),
        }
    }

    /// Prepares the [`request`](Fire::request) with `source`'s values at the fired payout,
    /// into `out`: see [`Request::prepare`].
    ///
    /// ```
    /// use postback::request::{Header, Outgoing};
    /// use postback::select::{Conversion, Rule, Settings, select};
    ///
    /// let rule = Rule {
    ///     headers: vec![Header::new("X-Click", "{externalid}")?],
    ///     ..Rule::new("keyed", "https://s2s.example/pb?sum={payout}".parse()?)
    /// };
    /// let (source, campaign) = (Settings { rules: vec![rule], ..Settings::default() }, Settings::default());
    /// let fire = select(&source, &campaign, &Conversion::new(1, "2.50".parse()?)).fired().next().unwrap();
    /// let mut out = Outgoing::new();
    /// fire.prepare(&[("externalid", "ck-3")], &mut out)?;
    /// assert_eq!(out.url(), "https://s2s.example/pb?sum=2.50");
    /// assert_eq!(out.headers().collect::<Vec<_>>(), [("X-Click", "ck-3")]);
    /// // A value with a line break would start a header of its own: it is refused.
    /// assert!(fire.prepare(&[("externalid", "ck\r\nX-Admin: 1")], &mut out).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`RequestError`] when a header's value would hold a control character, or a GET has
    /// a body; `out` is then empty.
    pub fn prepare<S: TokenSource + ?Sized>(
        &self,
        source: &S,
        out: &mut Outgoing,
    ) -> Result<(), RequestError> {
        self.request().prepare(&self.values(source), out)
    }

    /// Prepares the [`request`](Fire::request) as [`prepare`](Fire::prepare) does, and fails
    /// unless every token has a usable value: see [`Request::try_prepare`].
    ///
    /// ```
    /// use postback::request::{Outgoing, Part, RequestError};
    /// use postback::select::{Conversion, Settings, select};
    ///
    /// let source = Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?);
    /// let campaign = Settings::default();
    /// let fire = select(&source, &campaign, &Conversion::new(1, "2".parse()?)).fired().next().unwrap();
    /// let mut out = Outgoing::new();
    /// fire.try_prepare(&[("externalid", "ck-3")], &mut out)?;
    /// assert_eq!(out.url(), "https://s.magsrv.com/tag.php?goal=4f1b&tag=ck-3");
    /// let err = fire.try_prepare(&[("clickid", "ck-3")], &mut out).unwrap_err();
    /// assert!(matches!(err, RequestError::Unusable { part: Part::Url, .. }));
    /// assert_eq!(out.url(), "");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`RequestError`], as [`Request::try_prepare`] says; `out` is then empty.
    pub fn try_prepare<S: TokenSource + ?Sized>(
        &self,
        source: &S,
        out: &mut Outgoing,
    ) -> Result<(), RequestError> {
        self.request().try_prepare(&self.values(source), out)
    }
}

/// The key of a fired postback: see [`Fire::dedup_key`].
///
/// ```
/// use postback::select::{Conversion, Settings, StatusPostback, select};
///
/// let source = Settings {
///     status_postbacks: vec![StatusPostback { status: "Approved".into(), postback: "https://t.example/ok?id={externalid}".parse()? }],
///     ..Settings::default()
/// };
/// let campaign = Settings::default();
/// let sale = Conversion { event: "Sale", status: "APPROVED", ..Conversion::new(1, "9.99".parse()?) };
/// let fire = select(&source, &campaign, &sale).fired().next().unwrap();
/// let key = fire.dedup_key("ck-1", "tx-1");
/// assert_eq!(key.to_string(), "pb1/source/status:approved/sale/approved/tx-1/ck-1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct DedupKey<'k> {
    fire: &'k Fire<'k>,
    click: &'k str,
    transaction: &'k str,
}

impl fmt::Display for DedupKey<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fire = self.fire;
        let level = match fire.level {
            Level::Source => "source",
            Level::Campaign => "campaign",
        };
        write!(f, "pb1/{level}/")?;
        match (fire.rule, fire.status) {
            (Some(rule), _) => {
                f.write_str("rule:")?;
                part(f, &rule.name, false)?;
            }
            (None, Some(status)) => {
                f.write_str("status:")?;
                part(f, status, true)?;
            }
            (None, None) => f.write_str("postback")?,
        }
        for (text, lower) in [
            (fire.event, true),
            (fire.conversion_status, true),
            (self.transaction, false),
            (self.click, false),
        ] {
            f.write_str("/")?;
            part(f, text, lower)?;
        }
        Ok(())
    }
}

/// Writes one part of a [`DedupKey`], percent-encoded so that it holds no `/`, and in ASCII
/// lowercase when it matches without regard to case (a status, an event), so that `Sale`
/// and `sale` give one key.
fn part(f: &mut fmt::Formatter<'_>, text: &str, lower: bool) -> fmt::Result {
    let set = crate::encode::COMPONENT;
    if !lower {
        return write!(f, "{}", percent_encoding::utf8_percent_encode(text, set));
    }
    // Lowercased a piece at a time on the stack; encoding goes byte by byte, so pieces join.
    let mut piece = [0; 64];
    for chunk in text.as_bytes().chunks(piece.len()) {
        let piece = &mut piece[..chunk.len()];
        for (to, from) in piece.iter_mut().zip(chunk) {
            *to = from.to_ascii_lowercase();
        }
        write!(f, "{}", percent_encoding::percent_encode(piece, set))?;
    }
    Ok(())
}

/// A host's [`TokenSource`] with the tokens the selection decides answered by a fired
/// postback: see [`Fire::values`].
///
/// ```
/// use postback::select::{Conversion, Goal, Rule, Settings, select};
/// use postback::{Token, TokenSource, Value};
///
/// let rule = Rule {
///     goals: vec![Goal::new("sale", "9e8d7c")],
///     ..Rule::new("exoclick", "https://s.magsrv.com/tag.php?goal={goal}&tag={externalid}".parse()?)
/// };
/// let (source, campaign) = (Settings { rules: vec![rule], ..Settings::default() }, Settings::default());
/// let sale = Conversion { event: "sale", ..Conversion::new(1, "2".parse()?) };
/// let fire = select(&source, &campaign, &sale).fired().next().unwrap();
/// let values = fire.values(&[("externalid", "ck-8")]);
/// assert_eq!(values.value(&Token::Goal), Some(Value::Str("9e8d7c")));
/// assert_eq!(values.value(&Token::CnvEvent), Some(Value::Str("sale")));
/// assert_eq!(values.value(&Token::ExternalId), Some(Value::Str("ck-8")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct FireValues<'s, S: ?Sized> {
    payout: Decimal,
    /// `{payout_or_zero}`.
    zero: Decimal,
    goal: Option<&'s str>,
    event: &'s str,
    source: &'s S,
}

impl<S: TokenSource + ?Sized> TokenSource for FireValues<'_, S> {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        match token {
            Token::Payout => Some(Value::Decimal(self.payout)),
            Token::PayoutOrZero => Some(Value::Decimal(self.zero)),
            Token::Goal => self.goal.map(Value::Str),
            Token::CnvEvent if !self.event.is_empty() => Some(Value::Str(self.event)),
            token => self.source.value(token),
        }
    }
}

/// Why a level's postback does not fire.
///
/// It is written for a host's log as a lowercase line.
///
/// ```
/// use postback::select::{Conversion, SendMode, Settings, Skip, select};
///
/// let source = Settings {
///     send: Some(SendMode::First),
///     ..Settings::with_postback("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}".parse()?)
/// };
/// let campaign = Settings::default();
/// let second = Conversion { first: false, ..Conversion::new(2, "2".parse()?) };
/// let skip = select(&source, &campaign, &second).decisions().next().unwrap().skip().unwrap();
/// assert_eq!(skip, Skip::NotFirst);
/// assert_eq!(skip.to_string(), "only a click's first conversion is sent");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Skip {
    /// The level has no postback for this conversion: no general postback, and no status
    /// postback for its status.
    NoPostback,
    /// The conversion arrived with postbacks disabled.
    Disabled,
    /// The send mode is [`SendMode::First`] and the conversion is not its click's first.
    NotFirst,
    /// The send mode is [`SendMode::Approved`] and the conversion is not approved.
    NotApproved,
    /// The postback share does not send this ordinal.
    Share {
        /// The effective postback share.
        share: Percent,
        /// The conversion's ordinal.
        ordinal: u64,
    },
    /// The payout at the effective payout share does not fit a [`Decimal`] exactly (more than
    /// 18 decimal places), and a payout is never rounded.
    Payout {
        /// The effective payout share.
        share: Percent,
    },
    /// A source rule whose name a campaign rule has too: the campaign's replaces it.
    Overridden,
    /// The conversion's status is not among the rule's [`statuses`](Rule::statuses).
    Status,
    /// The conversion's event is not among the rule's [`events`](Rule::events).
    Event,
    /// The rule has [`goals`](Rule::goals), and none for the conversion's event.
    NoGoal,
    /// The real payout is below the rule's [`min_payout`](Rule::min_payout).
    BelowMinPayout {
        /// The rule's minimum payout.
        min: Decimal,
    },
    /// The click does not have a value the rule's [`click`](Rule::click) conditions want.
    Click {
        /// The condition's index in the list.
        index: usize,
    },
}

impl fmt::Display for Skip {
    /// A lowercase line for a host's log: `postback share 33% skips conversion 5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skip::NoPostback => f.write_str("no postback is set for this conversion"),
            Skip::Disabled => f.write_str("the conversion arrived with postbacks disabled"),
            Skip::NotFirst => f.write_str("only a click's first conversion is sent"),
            Skip::NotApproved => f.write_str("only approved conversions are sent"),
            Skip::Share { share, ordinal } => {
                write!(f, "postback share {share}% skips conversion {ordinal}")
            }
            Skip::Payout { share } => {
                write!(f, "the payout at {share}% has more than 18 decimal places")
            }
            Skip::Overridden => f.write_str("the campaign has a rule of the same name"),
            Skip::Status => f.write_str("the rule is not for this status"),
            Skip::Event => f.write_str("the rule is not for this event"),
            Skip::NoGoal => f.write_str("the rule has no goal for this event"),
            Skip::BelowMinPayout { min } => {
                write!(f, "the payout is below the rule's minimum of {min}")
            }
            Skip::Click { index } => write!(f, "the click does not meet condition {index}"),
        }
    }
}

/// The settings that both levels can hold, merged: the campaign's where set, else the
/// source's, else the default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Effective {
    send: SendMode,
    postback_share: Percent,
    payout_share: Percent,
}

impl Effective {
    fn merge(source: &Settings, campaign: &Settings) -> Effective {
        Effective {
            send: campaign.send.or(source.send).unwrap_or_default(),
            postback_share: campaign
                .postback_share
                .or(source.postback_share)
                .unwrap_or(Percent::ALL),
            payout_share: campaign
                .payout_share
                .or(source.payout_share)
                .unwrap_or(Percent::ALL),
        }
    }

    /// Why a conversion sends no postback at any level, if it does not.
    fn skip(&self, conversion: &Conversion<'_>) -> Option<Skip> {
        let skip = match self.send {
            _ if !conversion.postbacks => Skip::Disabled,
            SendMode::First if !conversion.first => Skip::NotFirst,
            SendMode::Approved if !conversion.approved => Skip::NotApproved,
            _ if !self.postback_share.sends(conversion.ordinal) => Skip::Share {
                share: self.postback_share,
                ordinal: conversion.ordinal,
            },
            _ => return None,
        };
        Some(skip)
    }
}

/// Decides which postbacks `conversion` fires: the traffic source's and the campaign's, each
/// with its template and its payout, or why not. See the [module docs](self) for the rules.
///
/// ```
/// use postback::select::{Conversion, Outcome, Settings, Skip, StatusPostback, select};
///
/// let source = Settings {
///     postback: Some("https://t.example/pb?id={externalid}".parse()?),
///     status_postbacks: vec![StatusPostback {
///         status: "sale".into(),
///         postback: "https://t.example/sale?id={externalid}".parse()?,
///     }],
///     ..Settings::default()
/// };
/// let campaign = Settings::default();
/// let sale = Conversion { status: "Sale", ..Conversion::new(1, "2".parse().unwrap()) };
///
/// let [source, campaign] = select(&source, &campaign, &sale).decisions().collect::<Vec<_>>()[..] else {
///     panic!("one decision at each level");
/// };
/// let Outcome::Fire(fire) = source.outcome else { panic!("the source fires") };
/// assert_eq!(fire.template.as_str(), "https://t.example/sale?id={externalid}");
/// assert_eq!(campaign.outcome, Outcome::Skip(Skip::NoPostback));
/// # Ok::<(), postback::ParseError>(())
/// ```
pub fn select<'a>(
    source: &'a Settings,
    campaign: &'a Settings,
    conversion: &Conversion<'a>,
) -> Selection<'a> {
    let effective = Effective::merge(source, campaign);
    Selection {
        source,
        campaign,
        conversion: *conversion,
        effective,
        skip: effective.skip(conversion),
        payout: conversion.payout.percent(effective.payout_share.get()),
    }
}

impl Settings {
    /// The settings of a level with this general postback, and nothing else set.
    ///
    /// ```
    /// use postback::select::Settings;
    ///
    /// let settings = Settings::with_postback("https://t.example/pb?id={externalid}".parse()?);
    /// assert!(settings.postback.is_some() && settings.send.is_none());
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn with_postback(postback: Template<'static>) -> Settings {
        Settings {
            postback: Some(postback),
            ..Settings::default()
        }
    }

    /// The postback this level fires for a conversion with `status`: its status postback for
    /// that status, or its general one; with the status whose postback it is.
    ///
    /// ```
    /// use postback::select::{Settings, StatusPostback};
    ///
    /// let settings = Settings {
    ///     status_postbacks: vec![StatusPostback { status: "sale".into(), postback: "https://t.example/sale?id={externalid}".parse()? }],
    ///     ..Settings::with_postback("https://t.example/pb?id={externalid}".parse()?)
    /// };
    /// let (sale, status) = settings.postback_for("Sale").unwrap();
    /// assert_eq!((sale.as_str(), status), ("https://t.example/sale?id={externalid}", Some("sale")));
    /// let (lead, status) = settings.postback_for("lead").unwrap();
    /// assert_eq!((lead.as_str(), status), ("https://t.example/pb?id={externalid}", None));
    /// assert!(Settings::default().postback_for("sale").is_none());
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn postback_for(&self, status: &str) -> Option<(&Template<'static>, Option<&str>)> {
        let by_status = self
            .status_postbacks
            .iter()
            .find(|p| !status.is_empty() && p.status.eq_ignore_ascii_case(status));
        match by_status {
            Some(p) => Some((&p.postback, Some(p.status.as_str()))),
            None => self.postback.as_ref().map(|postback| (postback, None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_counts_are_exact_for_every_ordinal() {
        let finest: Percent = "33.333333".parse().unwrap();
        let n = u64::MAX;
        assert_eq!(
            finest.sent_among(n),
            u128::from(n) * 33_333_333 / 100_000_000
        );
        assert_eq!(Percent::ALL.sent_among(n), u128::from(n));
        assert_eq!(Percent::new(Decimal::ZERO).unwrap().sent_among(n), 0);
        assert!(Percent::ALL.sends(n) && !Percent::ALL.sends(0));
    }
}
