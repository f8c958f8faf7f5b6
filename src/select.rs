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
//! | 1 | Each level fires its own postback: source set, campaign unset: the source's fires; campaign set, source unset: the campaign's; both set: **both fire**, each once; neither: none. |
//! | 2 | The settings both levels can hold ([`Settings::send`], [`Settings::postback_share`], [`Settings::payout_share`]) merge into one effective set: the campaign's where it sets one (even without a postback URL of its own), else the source's, else the default (every conversion, 100%, 100%). The effective set applies to every postback the conversion fires, at both levels. |
//! | 3 | Send mode: [`SendMode::All`] conversions, only the [`SendMode::First`] conversion of a click, or only [`SendMode::Approved`] ones (the host says whether a conversion is approved). |
//! | 4 | Postback share p%: of the first n conversions, by the conversion's 1-based ordinal, exactly ⌊n·p/100⌋ are sent after every n: the n-th is sent when ⌊n·p/100⌋ > ⌊(n−1)·p/100⌋. 50% sends the 2nd, 4th, 6th...; 33% the 4th, 7th, 10th... (99 after 300); 0% none, 100% all. |
//! | 5 | Payout share p%: the payout reported is exactly p% of the real payout, a [`Decimal`], never rounded and never a float, with at least the real payout's decimals and no further trailing zeros (10.00 at 33% is 3.30; 0.00003 at 50% is 0.000015; 7 at 50% is 3.5). |
//! | 6 | Status postbacks: a level can tie a template to a conversion status. For a conversion with that status, the level's status postback replaces its general one. Statuses match exactly, except for ASCII case (`Sale` is `sale`); the first match in the list wins. |
//! | 7 | A conversion that arrives with postbacks disabled fires nothing. |
//! | 8 | For each level the result says whether it fires, with which template, at which payout, and otherwise why not: the first of: no postback for this conversion, postbacks disabled, send mode, postback share, a payout share that cannot be represented exactly. |
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

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::{Decimal, ExpandError, Template, Token, TokenSource, Value};

/// The postback settings of one level: a traffic source, or a campaign.
///
/// Every field is optional: a setting the campaign leaves unset is taken from the traffic
/// source (rule 2), and one that neither sets has its default.
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
    /// Which conversions are sent.
    pub send: Option<SendMode>,
    /// The share of conversions that are sent.
    pub postback_share: Option<Percent>,
    /// The share of the payout that is reported.
    pub payout_share: Option<Percent>,
}

/// A postback URL that a level fires, instead of its general one, for conversions with one
/// status.
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

/// Which conversions a level sends.
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
    /// Only the first conversion of each click.
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
    pub const ALL: Percent = Percent(HUNDRED);

    /// The most decimal places a percentage has: enough for any share a tracker offers, and
    /// few enough that [`sends`](Percent::sends) counts exactly for every `u64` ordinal.
    pub const MAX_SCALE: u32 = 6;

    /// The percentage `value`, trailing zeros dropped, or `None` unless `0 <= value <= 100`
    /// with at most [`Percent::MAX_SCALE`] decimal places.
    pub fn new(value: Decimal) -> Option<Percent> {
        let value = value.normalize();
        let fits = Decimal::ZERO <= value && value <= HUNDRED && value.scale() <= Self::MAX_SCALE;
        fits.then_some(Percent(value))
    }

    /// The percentage as a decimal: `33.3` for 33.3%.
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PercentError;

impl fmt::Display for PercentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a percentage is a plain decimal from 0 to 100 with at most 6 decimal places")
    }
}

impl core::error::Error for PercentError {}

/// The facts of one conversion that the selection needs, as the host knows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conversion<'a> {
    /// The conversion's ordinal, 1-based, for the postback share: its place among the
    /// conversions of its campaign (one campaign has one traffic source, so the pair is the
    /// campaign), counting every conversion the host asks `select` about, in the order it
    /// records them, whatever `select` decides (one skipped by the send mode, or with
    /// postbacks disabled, still takes its number). The effective share then sends exactly
    /// ⌊n·p/100⌋ of a campaign's first n conversions, at both levels.
    pub ordinal: u64,
    /// Whether this is the first conversion of its click.
    pub first: bool,
    /// Whether the host counts the conversion as approved.
    pub approved: bool,
    /// The conversion's status, for status postbacks: `lead`, `sale`, `rejected`...
    pub status: &'a str,
    /// The real payout, before the payout share.
    pub payout: Decimal,
    /// Whether postbacks are enabled for this conversion; a network may ask that it not be
    /// echoed back.
    pub postbacks: bool,
}

impl Conversion<'_> {
    /// The `ordinal`-th conversion, the first of its click, approved, without a status, with
    /// postbacks enabled.
    pub const fn new(ordinal: u64, payout: Decimal) -> Conversion<'static> {
        Conversion {
            ordinal,
            first: true,
            approved: true,
            status: "",
            payout,
            postbacks: true,
        }
    }
}

/// Which level a postback belongs to.
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

/// What [`select`] decided for one conversion: the outcome at each level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection<'a> {
    /// The traffic source's postback.
    pub source: Outcome<'a>,
    /// The campaign's postback.
    pub campaign: Outcome<'a>,
}

impl<'a> Selection<'a> {
    /// Both outcomes, the source's first.
    pub fn outcomes(&self) -> [(Level, Outcome<'a>); 2] {
        [
            (Level::Source, self.source),
            (Level::Campaign, self.campaign),
        ]
    }

    /// The postbacks to fire, the source's first.
    pub fn fired(&self) -> impl Iterator<Item = Fire<'a>> + '_ {
        self.outcomes()
            .into_iter()
            .filter_map(|(_, outcome)| match outcome {
                Outcome::Fire(fire) => Some(fire),
                Outcome::Skip(_) => None,
            })
    }
}

/// Whether one level's postback fires.
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
    /// The template: the level's status postback for the conversion's status, or its general
    /// one.
    pub template: &'a Template<'static>,
    /// The status whose postback fires, or `None` for the general postback.
    pub status: Option<&'a str>,
    /// The payout to report: the real payout at the effective payout share.
    pub payout: Decimal,
}

impl Fire<'_> {
    /// `source`, with `{payout}` answered by [`Fire::payout`]: what the postback is expanded
    /// with. Every other token is `source`'s.
    pub fn values<'s, S: TokenSource + ?Sized>(&self, source: &'s S) -> FireValues<'s, S> {
        FireValues {
            payout: self.payout,
            source,
        }
    }

    /// Expands the template with `source`'s values at the fired payout, or fails with every
    /// token without a usable value: see [`Template::try_expand`].
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
    pub fn expand<S: TokenSource + ?Sized>(&self, source: &S) -> String {
        self.template.expand(&self.values(source))
    }
}

/// A host's [`TokenSource`] with `{payout}` answered by a fired postback's payout: see
/// [`Fire::values`].
#[derive(Debug)]
pub struct FireValues<'s, S: ?Sized> {
    payout: Decimal,
    source: &'s S,
}

impl<S: TokenSource + ?Sized> TokenSource for FireValues<'_, S> {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        match token {
            Token::Payout => Some(Value::Decimal(self.payout)),
            token => self.source.value(token),
        }
    }
}

/// Why a level's postback does not fire.
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
}

impl fmt::Display for Skip {
    /// A lowercase line for a host's log: `postback share 33 skips conversion 5`.
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
/// let selection = select(&source, &campaign, &sale);
/// let Outcome::Fire(fire) = selection.source else { panic!("the source fires") };
/// assert_eq!(fire.template.as_str(), "https://t.example/sale?id={externalid}");
/// assert_eq!(selection.campaign, Outcome::Skip(Skip::NoPostback));
/// # Ok::<(), postback::ParseError>(())
/// ```
pub fn select<'a>(
    source: &'a Settings,
    campaign: &'a Settings,
    conversion: &Conversion<'_>,
) -> Selection<'a> {
    let effective = Effective::merge(source, campaign);
    let skip = effective.skip(conversion);
    let payout = conversion.payout.percent(effective.payout_share.get());
    let outcome = |level, settings: &'a Settings| {
        let Some((template, status)) = settings.postback_for(conversion.status) else {
            return Outcome::Skip(Skip::NoPostback);
        };
        if let Some(skip) = skip {
            return Outcome::Skip(skip);
        }
        match payout {
            Some(payout) => Outcome::Fire(Fire {
                level,
                template,
                status,
                payout,
            }),
            None => Outcome::Skip(Skip::Payout {
                share: effective.payout_share,
            }),
        }
    };
    Selection {
        source: outcome(Level::Source, source),
        campaign: outcome(Level::Campaign, campaign),
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
