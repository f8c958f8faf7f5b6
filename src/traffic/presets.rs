//! Ready-made traffic sources: ExoClick, built in, and a list of other networks as JSON.
//!
//! [`exoclick`] builds ExoClick with the account's own conversion goal. [`JSON`] is a list of
//! [`Preset`]s, each a traffic source and a note of where its facts come from, for a host to
//! load with its own JSON library (this crate has no JSON parser); every entry is checked like
//! any other [`TrafficSource`] when it is deserialized.
//!
//! ```
//! # #[cfg(feature = "serde")] {
//! use postback::traffic::presets::{JSON, Preset};
//!
//! let presets: Vec<Preset> = serde_json::from_str(JSON).unwrap();
//! let names: Vec<&str> = presets.iter().map(|p| p.source.name()).collect();
//! assert_eq!(names, ["ExoClick", "TrafficStars", "Evadav", "RichAds Push", "PopAds"]);
//! # }
//! ```

use alloc::borrow::ToOwned;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use super::{Param, Parts, SlotParam, TrafficSource};
use crate::delivery::{AnswerRule, BodyMatch, Outcome, Policy, StatusRange};
use crate::select::{Goal, Rule, Settings};
use crate::{Slot, Template};

/// The list of presets, a JSON array of [`Preset`]s.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::traffic::presets::{JSON, Preset};
///
/// let presets: Vec<Preset> = serde_json::from_str(JSON)?;
/// let trafficstars = presets.iter().find(|p| p.source.name() == "TrafficStars").ok_or("none")?;
/// let click = trafficstars.source.capture("externalid=ts-91&cost=0.0042&siteid=7731")?;
/// assert_eq!((click.external_id(), click.cost()), (Some("ts-91"), Some("0.0042")));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The list:
#[doc = concat!("```json\n", include_str!("presets.json"), "```")]
pub const JSON: &str = PRESETS_JSON;

// The file's text under a name of its own: rustdoc prints a constant's value when it is a
// literal, which `include_str!` expands to, and `JSON`'s page would show the file twice.
const PRESETS_JSON: &str = include_str!("presets.json");

/// An entry of [`JSON`]: a traffic source and where its facts come from.
///
/// With the `serde` feature it is an object of `reference` and `source`, the source in the
/// serde form of [`Parts`], checked as it is read:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::traffic::presets::Preset;
///
/// let evadav: Preset = serde_json::from_str(r#"{
///   "reference": "The evadav_com template of Orbitra's traffic-source list.",
///   "source": {
///     "name": "Evadav",
///     "click_id": { "name": "externalid", "macro": "{CLICKID}" },
///     "postback": "https://evadav.com/phpb?click_id={externalid}&payout={payout}"
///   }
/// }"#)?;
/// assert_eq!(evadav.source.click_id().map(|p| p.placeholder.as_str()), Some("{CLICKID}"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct Preset {
    /// Where the macros and the postback come from, and what the host must add (an account's
    /// key or goal id, which a preset cannot know).
    pub reference: String,
    /// The traffic source.
    pub source: TrafficSource,
}

/// What an ExoClick conversion goal reports as the conversion's value, as chosen when the goal
/// was created in ExoClick ("Conversion Value").
///
/// ```
/// use postback::traffic::presets::{self, GoalValue};
///
/// let goal_id = "4f1b2c3d4e5f60718293a4b5c6d7e8f9";
/// let fixed = presets::exoclick(goal_id, GoalValue::Fixed)?;
/// let dynamic = presets::exoclick(goal_id, GoalValue::Dynamic)?;
/// // The amount of a fixed value is set on the goal in ExoClick: the postback sends none.
/// assert!(!fixed.postback().unwrap().as_str().contains("value="));
/// assert!(dynamic.postback().unwrap().as_str().ends_with("&value={payout}"));
/// assert_eq!(GoalValue::default(), GoalValue::NoValue);
/// # Ok::<(), presets::GoalIdError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GoalValue {
    /// "No Value": no amount is reported.
    #[default]
    NoValue,
    /// "Fixed": the amount set on the goal in ExoClick; the postback sends none.
    Fixed,
    /// "Dynamic": the postback sends the amount, `&value={payout}`.
    Dynamic,
}

impl GoalValue {
    /// What the postback adds for the amount.
    fn parameter(self) -> &'static str {
        match self {
            GoalValue::Dynamic => "&value={payout}",
            GoalValue::NoValue | GoalValue::Fixed => "",
        }
    }
}

// ExoClick's facts, in the one place they are written: `exoclick` builds its source from them,
// and a test holds the ExoClick entry of `presets.json` to them.

/// ExoClick's name.
const EXOCLICK: &str = "ExoClick";

/// The parameter that carries ExoClick's click id, and its macro.
const EXOCLICK_CLICK_ID: (&str, &str) = ("externalid", "{conversions_tracking}");

/// ExoClick's parameters and their macros, in slots `t1`, `t2`, and so on.
const EXOCLICK_PARAMS: [(&str, &str); 6] = [
    ("zoneid", "{zone_id}"),
    ("siteid", "{site_id}"),
    ("campaignid", "{campaign_id}"),
    ("variationid", "{variation_id}"),
    ("hostname", "{src_hostname}"),
    ("categoryid", "{category_id}"),
];

/// ExoClick's postback endpoint, before its query.
const EXOCLICK_POSTBACK: &str = "https://s.magsrv.com/tag.php";

/// What ExoClick's answers mean, each with the 200 ExoClick sends them with: `OK` is
/// delivered; `ERROR: This conversion has already been notified and saved.` is a duplicate,
/// done; any other `ERROR: ...` (such as `ERROR: Tag is invalid!`) is permanent. The rest is
/// the default: other 2xx delivered; 408, 429, 5xx (whatever their body says) and network
/// errors retried.
fn exoclick_delivery() -> Policy {
    let rule = |name, status, body, outcome| AnswerRule::new(name, status, Some(body), outcome);
    Policy {
        answers: vec![
            rule(
                "ok",
                StatusRange::exactly(200),
                BodyMatch::Exact("OK".to_owned()),
                Outcome::Delivered,
            ),
            rule(
                "already notified",
                StatusRange::exactly(200),
                BodyMatch::Prefix("ERROR: This conversion has already been notified".to_owned()),
                Outcome::Duplicate,
            ),
            rule(
                "error",
                StatusRange::exactly(200),
                BodyMatch::Prefix("ERROR:".to_owned()),
                Outcome::Permanent,
            ),
        ],
        ..Policy::default()
    }
}

/// The parts of ExoClick's source but its postback, which needs the account's goal.
fn exoclick_parts() -> Parts {
    let (name, placeholder) = EXOCLICK_CLICK_ID;
    let mut params = vec![];
    for (n, (name, placeholder)) in (1..).zip(EXOCLICK_PARAMS) {
        params.extend(Slot::new(n).map(|slot| SlotParam::new(name, placeholder, slot)));
    }
    Parts {
        name: EXOCLICK.to_owned(),
        click_id: Some(Param::new(name, placeholder)),
        cost: None,
        params,
        settings: Settings::default(),
        delivery: exoclick_delivery(),
    }
}

/// ExoClick, reporting conversions to the goal `goal_id`.
///
/// - The click id is ExoClick's `{conversions_tracking}` macro, read as `externalid`.
/// - The postback is `https://s.magsrv.com/tag.php?goal=<goal_id>&tag={externalid}`, with
///   `&value={payout}` for a goal with a [dynamic value](GoalValue::Dynamic).
/// - The parameters, in slots `t1`..`t6`: `zoneid` (`{zone_id}`), `siteid` (`{site_id}`),
///   `campaignid` (`{campaign_id}`), `variationid` (`{variation_id}`), `hostname`
///   (`{src_hostname}`) and `categoryid` (`{category_id}`). No cost: we found no cost macro
///   for ExoClick documented where we could check it.
///
/// A goal id is the 32 hexadecimal digits ExoClick shows in the "ID" column of its conversion
/// goals. ExoClick writes them in lowercase (`0-9`, `a-f`); uppercase digits are accepted and
/// lowered, since they name the same goal. Anything else fails, quoted in the error.
///
/// ```
/// use postback::traffic::presets::{self, GoalValue};
///
/// let exoclick = presets::exoclick("4F1B2C3D4E5F60718293A4B5C6D7E8F9", GoalValue::Dynamic)?;
/// assert_eq!(
///     exoclick.postback().unwrap().as_str(),
///     "https://s.magsrv.com/tag.php?goal=4f1b2c3d4e5f60718293a4b5c6d7e8f9&tag={externalid}&value={payout}",
/// );
///
/// let err = presets::exoclick("4f1b2c", GoalValue::NoValue).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#"goal id "4f1b2c" has 6 characters; an ExoClick goal id is 32 hexadecimal digits"#,
/// );
/// # Ok::<(), presets::GoalIdError>(())
/// ```
//
// Sources: https://docs.exoclick.com/docs/conversion-tracking-api/ (the `tag.php` request,
// `tag` filled from `{conversions_tracking}`, goal ids of 32 hexadecimal digits `0-9a-f`);
// https://docs.exoclick.com/docs/conversion-tracking/ (the goal's No Value, Fixed or Dynamic
// conversion value); the `s.magsrv.com` host and the `value` parameter as in this crate's
// design (the API page shows the same `tag.php` request on a placeholder host). The click-side macros are those of ExoClick's dynamic
// tracking as published in open-source tracker templates for ExoClick; ExoClick's own token
// page could not be consulted when this was written.
///
/// # Errors
///
/// A [`GoalIdError`] when `goal_id` is not 32 hexadecimal digits.
pub fn exoclick(goal_id: &str, value: GoalValue) -> Result<TrafficSource, GoalIdError> {
    let goal_id = exoclick_goal_id(goal_id)?;
    let postback = format!(
        "{EXOCLICK_POSTBACK}?goal={goal_id}&tag={{externalid}}{}",
        value.parameter()
    );
    // The goal id is hexadecimal, and the facts are checked by the tests: neither the template
    // nor the source fails, but the error would name the goal id if one did.
    let error = || GoalIdError {
        goal_id: goal_id.as_str().into(),
    };
    let postback = Template::try_from(postback).map_err(|_| error())?;
    let mut parts = exoclick_parts();
    parts.settings = Settings::with_postback(postback);
    TrafficSource::new(parts).map_err(|_| error())
}

/// ExoClick with one conversion goal for each event: the traffic source of [`exoclick`],
/// whose postback is one [`Rule`] named `exoclick` that writes the goal id of the
/// conversion's [event](crate::select::Conversion::event) with `{goal}`, and fires only for
/// the events given (ExoClick counts each goal apart: a lead and a sale are two goals).
///
/// ```
/// use postback::select::{Conversion, Settings, Skip, select};
/// use postback::traffic::presets::{self, GoalValue};
///
/// let exoclick = presets::exoclick_goals(
///     &[("lead", "4f1b2c3d4e5f60718293a4b5c6d7e8f9"), ("sale", "9E8D7C6B5A4F30211203F4E5D6C7B8A9")],
///     GoalValue::Dynamic,
/// )?;
/// let campaign = Settings::default();
/// let sale = Conversion { event: "sale", ..Conversion::new(1, "12.00".parse().unwrap()) };
/// let fire = select(exoclick.settings(), &campaign, &sale).fired().next().unwrap();
/// assert_eq!(
///     fire.expand(&[("externalid", "ZXhv")]),
///     "https://s.magsrv.com/tag.php?goal=9e8d7c6b5a4f30211203f4e5d6c7b8a9&tag=ZXhv&value=12.00",
/// );
/// let install = Conversion { event: "install", ..sale };
/// let decision = select(exoclick.settings(), &campaign, &install).decisions().next().unwrap();
/// assert_eq!(decision.skip(), Some(Skip::NoGoal));
/// # Ok::<(), presets::GoalIdError>(())
/// ```
///
/// # Errors
///
/// A [`GoalIdError`] for the first goal id that is not 32 hexadecimal digits, or for an
/// empty list (a rule without goals would fire for every event, with no goal to write).
///
/// [`Rule`]: crate::select::Rule
pub fn exoclick_goals(
    goals: &[(&str, &str)],
    value: GoalValue,
) -> Result<TrafficSource, GoalIdError> {
    if goals.is_empty() {
        return Err(GoalIdError { goal_id: "".into() });
    }
    let goals = goals
        .iter()
        .map(|&(event, goal_id)| Ok(Goal::new(event, exoclick_goal_id(goal_id)?)))
        .collect::<Result<Vec<Goal>, GoalIdError>>()?;
    let postback = format!(
        "{EXOCLICK_POSTBACK}?goal={{goal}}&tag={{externalid}}{}",
        value.parameter()
    );
    let error = || GoalIdError {
        goal_id: goals[0].goal.as_str().into(),
    };
    let postback = Template::try_from(postback).map_err(|_| error())?;
    let mut parts = exoclick_parts();
    parts.settings.rules.push(Rule {
        goals: goals.clone(),
        ..Rule::new("exoclick", postback)
    });
    TrafficSource::new(parts).map_err(|_| error())
}

/// `goal_id` in lowercase, if it is 32 hexadecimal digits.
fn exoclick_goal_id(goal_id: &str) -> Result<String, GoalIdError> {
    let is_goal_id = goal_id.len() == 32 && goal_id.bytes().all(|b| b.is_ascii_hexdigit());
    match is_goal_id {
        true => Ok(goal_id.to_ascii_lowercase()),
        false => Err(GoalIdError {
            goal_id: goal_id.into(),
        }),
    }
}

/// A goal id that is not 32 hexadecimal digits: see [`exoclick`].
///
/// ```
/// use postback::traffic::presets::{self, GoalValue};
///
/// // 32 characters, one of them not a hexadecimal digit.
/// let goal_id = "4f1b2c3d4e5f60718293a4b5c6d7e8g9";
/// let err = presets::exoclick(goal_id, GoalValue::NoValue).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#"goal id "4f1b2c3d4e5f60718293a4b5c6d7e8g9" has 'g' at byte 30; an ExoClick goal id is 32 hexadecimal digits"#,
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GoalIdError {
    goal_id: Box<str>,
}

impl GoalIdError {
    /// The goal id as given.
    ///
    /// ```
    /// use postback::traffic::presets::{self, GoalValue};
    ///
    /// let goals = [("lead", "4f1b2c3d4e5f60718293a4b5c6d7e8f9"), ("sale", "sale-goal")];
    /// let err = presets::exoclick_goals(&goals, GoalValue::Dynamic).unwrap_err();
    /// assert_eq!(err.goal_id(), "sale-goal");
    /// ```
    pub fn goal_id(&self) -> &str {
        &self.goal_id
    }
}

impl fmt::Display for GoalIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let goal_id = &self.goal_id;
        let chars = goal_id.chars().count();
        write!(f, "goal id {goal_id:?} ")?;
        match goal_id.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
            Some((at, c)) if chars == 32 => write!(f, "has {c:?} at byte {at}")?,
            _ => write!(f, "has {chars} characters")?,
        }
        f.write_str("; an ExoClick goal id is 32 hexadecimal digits")
    }
}

impl core::error::Error for GoalIdError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "serde")]
    fn the_json_exoclick_is_the_built_in_one_without_a_postback() {
        let presets: alloc::vec::Vec<Preset> = serde_json::from_str(JSON).unwrap();
        let exoclick = presets
            .iter()
            .find(|p| p.source.name() == EXOCLICK)
            .unwrap();
        let built = TrafficSource::new(exoclick_parts()).unwrap();
        assert_eq!(exoclick.source, built);
        assert!(exoclick.reference.contains(EXOCLICK_POSTBACK));
    }

    #[test]
    fn exoclick_is_a_valid_source() {
        for value in [GoalValue::NoValue, GoalValue::Fixed, GoalValue::Dynamic] {
            let exoclick = exoclick("0123456789abcdef0123456789ABCDEF", value).unwrap();
            assert_eq!(exoclick.params().len(), EXOCLICK_PARAMS.len());
            let checked = TrafficSource::new(exoclick.clone().into_parts()).unwrap();
            assert_eq!(checked, exoclick);
        }
    }
}
