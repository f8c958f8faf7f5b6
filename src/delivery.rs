//! The delivery policy: what a network's answer means, when to try again, and for how long a
//! postback may be sent at all, as data and pure functions.
//!
//! The crate does no I/O. The host sends a prepared request
//! ([`Request::prepare`](crate::request::Request::prepare)), passes the [`Answer`] it got to
//! [`Policy::step`], and learns what to do: the postback is done (delivered, or a duplicate,
//! which counts as done), to be tried again at a stated time, or refused for a stated
//! [`Reason`]. The clock and the seed of the jitter are the host's, so a test replays a day of
//! retries without waiting for it.
//!
//! An answer is classified by the policy's [`AnswerRule`]s, in order, the first that matches
//! deciding; when none does, by the default: a 2xx status is delivered; 408, 429, a 5xx status
//! and a network error are worth another try; any other status is permanent. Networks need
//! the rules because the status does not say it all: ExoClick answers `OK` and `ERROR: ...`
//! both with a 200, and `ERROR: This conversion has already been notified and saved.` means
//! the postback is done already.
//!
//! ```
//! use postback::delivery::{Answer, Attempt, Outcome, Policy, Step};
//! use postback::traffic::presets;
//!
//! let policy = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", presets::GoalValue::NoValue)?
//!     .delivery()
//!     .clone();
//! let converted_at = 1_796_276_083;
//! let first = Attempt { number: 1, converted_at, at: converted_at, seed: 7 };
//!
//! // A 503: tried again a minute later, give or take the jitter.
//! let Step::RetryAt { at, verdict } = policy.step(Answer::Response { status: 503, body: "" }, first) else {
//!     panic!()
//! };
//! assert_eq!(verdict.outcome, Outcome::Retry);
//! assert!((converted_at + 54..=converted_at + 66).contains(&at));
//!
//! // ExoClick's duplicate, with a 200: done.
//! let duplicate = "ERROR: This conversion has already been notified and saved.";
//! let second = Attempt { number: 2, at, ..first };
//! let Step::Done(verdict) = policy.step(Answer::Response { status: 200, body: duplicate }, second) else {
//!     panic!()
//! };
//! assert_eq!(verdict.outcome, Outcome::Duplicate);
//! assert_eq!(verdict.to_string(), "duplicate: rule 1 (\"already notified\")");
//!
//! // `ERROR: Tag is invalid!`, with a 200: refused, for good.
//! let step = policy.step(Answer::Response { status: 200, body: "ERROR: Tag is invalid!" }, first);
//! assert_eq!(step.to_string(), "refused: permanent: rule 2 (\"error\")");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

/// What the host got back for a postback.
///
/// ```
/// use postback::delivery::{Answer, Outcome, Policy};
///
/// let policy = Policy::default();
/// let ok = Answer::Response { status: 200, body: "OK" };
/// assert_eq!(policy.classify(ok).outcome, Outcome::Delivered);
/// // The HTTP client gave up: no status, no body.
/// assert_eq!(policy.classify(Answer::NetworkError).outcome, Outcome::Retry);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Answer<'a> {
    /// A response: its status code and its body, as text (the first few kilobytes do: the
    /// rules read the start of a body, or a field of its JSON).
    Response {
        /// The HTTP status code.
        status: u16,
        /// The body, or its start.
        body: &'a str,
    },
    /// No response: the connection failed, or timed out.
    NetworkError,
}

/// What an attempt came to.
///
/// With the `serde` feature it reads and writes as its name in lowercase, as its `Display`
/// writes it:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::delivery::Outcome;
///
/// let outcome: Outcome = serde_json::from_str(r#""duplicate""#)?;
/// assert_eq!(outcome, Outcome::Duplicate);
/// assert_eq!(outcome.to_string(), "duplicate");
/// assert_eq!(serde_json::to_string(&Outcome::Permanent)?, r#""permanent""#);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Outcome {
    /// The network took the postback.
    Delivered,
    /// The network had it already: done, as if delivered. Not to be sent again.
    Duplicate,
    /// Worth another try.
    Retry,
    /// Refused for good: sending it again would be refused again.
    Permanent,
}

impl fmt::Display for Outcome {
    /// `delivered`, `duplicate`, `retry`, `permanent`: as serde writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Outcome {
    /// Whether the postback is done: delivered, or a duplicate.
    ///
    /// ```
    /// use postback::delivery::Outcome;
    ///
    /// assert!(Outcome::Delivered.is_done());
    /// assert!(Outcome::Duplicate.is_done(), "ExoClick had it already");
    /// assert!(!Outcome::Retry.is_done() && !Outcome::Permanent.is_done());
    /// ```
    pub const fn is_done(self) -> bool {
        matches!(self, Outcome::Delivered | Outcome::Duplicate)
    }

    const fn name(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Duplicate => "duplicate",
            Outcome::Retry => "retry",
            Outcome::Permanent => "permanent",
        }
    }
}

/// Why an answer has its [`Outcome`].
///
/// ```
/// use postback::delivery::{Answer, Reason};
/// use postback::traffic::presets::{self, GoalValue};
///
/// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::Dynamic)?;
/// let policy = exoclick.delivery();
/// let ok = policy.classify(Answer::Response { status: 200, body: "OK\n" });
/// assert_eq!(ok.reason, Reason::Rule { index: 0, name: "ok" });
/// let gone = policy.classify(Answer::Response { status: 404, body: "Not Found" });
/// assert_eq!(gone.reason, Reason::Status(404));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason<'p> {
    /// The policy's rule at this index matched.
    Rule {
        /// Its index in [`Policy::answers`].
        index: usize,
        /// Its name.
        name: &'p str,
    },
    /// No rule matched; the default classified the status.
    Status(u16),
    /// No rule matched; there was no response.
    Network,
}

/// An answer's outcome, and why.
///
/// ```
/// use postback::delivery::{Answer, Outcome, Policy, Reason, Verdict};
///
/// let policy = Policy::default();
/// let verdict = policy.classify(Answer::Response { status: 429, body: "" });
/// assert_eq!(verdict, Verdict { outcome: Outcome::Retry, reason: Reason::Status(429) });
/// assert_eq!(verdict.to_string(), "retry: status 429");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Verdict<'p> {
    /// What the answer came to.
    pub outcome: Outcome,
    /// Why.
    pub reason: Reason<'p>,
}

impl fmt::Display for Verdict<'_> {
    /// `duplicate: rule 1 ("already notified")`, `retry: status 503`,
    /// `retry: network error`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.outcome.name())?;
        match self.reason {
            Reason::Rule { index, name } => write!(f, "rule {index} ({name:?})"),
            Reason::Status(status) => write!(f, "status {status}"),
            Reason::Network => f.write_str("network error"),
        }
    }
}

/// An attempt to send a postback, for [`Policy::step`]. Times are Unix seconds, from the
/// host's clock.
///
/// ```
/// use postback::delivery::{Answer, Attempt, Policy, Step};
///
/// let policy = Policy::default();
/// let first = Attempt { number: 1, converted_at: 1_796_276_083, at: 1_796_276_090, seed: 7 };
/// let Step::RetryAt { at, .. } = policy.step(Answer::NetworkError, first) else { panic!() };
/// // The second attempt fails too: the next comes 5 minutes later, give or take 10%.
/// let second = Attempt { number: 2, at, ..first };
/// let Step::RetryAt { at: third, .. } = policy.step(Answer::NetworkError, second) else { panic!() };
/// assert!((at + 270..=at + 330).contains(&third));
/// assert_eq!(policy.step(Answer::NetworkError, second), policy.step(Answer::NetworkError, second));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Attempt {
    /// Which attempt it is: 1 for the first.
    pub number: u32,
    /// When the conversion happened: the start of the [window](Policy::window).
    pub converted_at: u64,
    /// When the attempt was made.
    pub at: u64,
    /// The seed of the jitter: any number the host keeps per postback (its dedup key's hash),
    /// so that postbacks that failed together do not all come back together, and a test gets
    /// the same times every run.
    pub seed: u64,
}

/// What to do after an attempt.
///
/// ```
/// use postback::delivery::{Answer, Attempt, Policy, Step};
///
/// let policy = Policy::default();
/// let attempt = Attempt { number: 1, converted_at: 1_796_276_083, at: 1_796_276_083, seed: 7 };
/// let next = match policy.step(Answer::Response { status: 502, body: "Bad Gateway" }, attempt) {
///     Step::Done(_) => "mark delivered",
///     Step::RetryAt { .. } => "queue again",
///     Step::Refused { .. } => "mark failed",
/// };
/// assert_eq!(next, "queue again");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step<'p> {
    /// The postback is done: delivered, or a duplicate. Never send it again.
    Done(Verdict<'p>),
    /// Try again at `at`, Unix seconds.
    RetryAt {
        /// When.
        at: u64,
        /// What the attempt came to.
        verdict: Verdict<'p>,
    },
    /// The postback is not sent again.
    Refused {
        /// What the attempt came to.
        verdict: Verdict<'p>,
        /// Why it ends here.
        why: Refusal,
    },
}

/// Why a postback is not sent again.
///
/// ```
/// use postback::delivery::{Answer, Attempt, Policy, Refusal, Step};
///
/// // A network that drops conversions older than an hour.
/// let policy = Policy { window: Some(3_600), ..Policy::default() };
/// let converted_at = 1_796_276_083;
/// let late = Attempt { number: 2, converted_at, at: converted_at + 3_500, seed: 7 };
/// let Step::Refused { why, .. } = policy.step(Answer::Response { status: 503, body: "" }, late) else {
///     panic!()
/// };
/// assert_eq!(why, Refusal::Expired { closes_at: converted_at + 3_600 });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// The answer is permanent.
    Permanent,
    /// The retry schedule has no delay left after this many attempts.
    Exhausted {
        /// The attempts made.
        attempts: u32,
    },
    /// The next attempt would come after the window closes, at this Unix time.
    Expired {
        /// When the window closes.
        closes_at: u64,
    },
}

impl fmt::Display for Step<'_> {
    /// `done: delivered: status 200`, `retry at 1796276143: retry: status 503`,
    /// `refused: exhausted after 6 attempts: retry: status 503`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Done(verdict) => write!(f, "done: {verdict}"),
            Step::RetryAt { at, verdict } => write!(f, "retry at {at}: {verdict}"),
            Step::Refused { verdict, why } => {
                f.write_str("refused: ")?;
                match why {
                    Refusal::Permanent => {}
                    Refusal::Exhausted { attempts } => {
                        write!(f, "exhausted after {attempts} attempts: ")?
                    }
                    Refusal::Expired { closes_at } => {
                        write!(f, "the window closes at {closes_at}: ")?
                    }
                }
                write!(f, "{verdict}")
            }
        }
    }
}

/// A network's delivery policy: how its answers read, its retry schedule, and its window.
///
/// The default has no rules (the status decides), the schedule of [`Retry::default`], and no
/// window. With the `serde` feature it reads and writes as:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::delivery::Policy;
///
/// let json = r#"{
///     "answers": [
///         {"name": "ok", "status": "2xx", "body": {"json": {"field": "ok", "equals": "true"}}, "outcome": "delivered"},
///         {"name": "refused", "status": "2xx", "outcome": "permanent"}
///     ],
///     "retry": {"delays": [60, 300, 1800], "jitter": 10},
///     "window": 604800
/// }"#;
/// let policy: Policy = serde_json::from_str(json).unwrap();
/// assert_eq!(policy.answers.len(), 2);
/// assert_eq!(policy.window, Some(604_800));
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct Policy {
    /// The rules answers are read by, in order: the first that matches decides.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub answers: Vec<AnswerRule>,
    /// When to try again.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Retry::is_default")
    )]
    pub retry: Retry,
    /// How many seconds after the conversion a postback may still be sent; `None` for no
    /// limit. Networks drop conversions older than their attribution window.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub window: Option<u64>,
}

impl Policy {
    /// What `answer` comes to: the first rule that matches it, or the default.
    ///
    /// ```
    /// use postback::delivery::{Answer, Outcome};
    /// use postback::traffic::presets::{self, GoalValue};
    ///
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::Dynamic)?;
    /// let policy = exoclick.delivery();
    /// let invalid = policy.classify(Answer::Response { status: 200, body: "ERROR: Tag is invalid!" });
    /// assert_eq!(invalid.outcome, Outcome::Permanent);
    /// // A 500 matches no rule of ExoClick's: the default retries it.
    /// let down = policy.classify(Answer::Response { status: 500, body: "ERROR: internal" });
    /// assert_eq!(down.to_string(), "retry: status 500");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn classify(&self, answer: Answer<'_>) -> Verdict<'_> {
        let rule = self
            .answers
            .iter()
            .enumerate()
            .find(|(_, rule)| rule.matches(answer));
        if let Some((index, rule)) = rule {
            return Verdict {
                outcome: rule.outcome,
                reason: Reason::Rule {
                    index,
                    name: &rule.name,
                },
            };
        }
        match answer {
            Answer::Response { status, .. } => Verdict {
                outcome: match status {
                    200..=299 => Outcome::Delivered,
                    408 | 429 | 500..=599 => Outcome::Retry,
                    _ => Outcome::Permanent,
                },
                reason: Reason::Status(status),
            },
            Answer::NetworkError => Verdict {
                outcome: Outcome::Retry,
                reason: Reason::Network,
            },
        }
    }

    /// Whether a postback of a conversion at `converted_at` may be sent at `now` (Unix
    /// seconds): before its window closes.
    ///
    /// ```
    /// use postback::delivery::Policy;
    ///
    /// let week = Policy { window: Some(7 * 86_400), ..Policy::default() };
    /// let converted_at = 1_796_276_083;
    /// assert!(week.sendable(converted_at, converted_at + 7 * 86_400));
    /// assert!(!week.sendable(converted_at, converted_at + 7 * 86_400 + 1));
    /// assert!(Policy::default().sendable(converted_at, u64::MAX), "no window");
    /// ```
    pub fn sendable(&self, converted_at: u64, now: u64) -> bool {
        self.closes_at(converted_at)
            .is_none_or(|closes| now <= closes)
    }

    /// When the window of a conversion at `converted_at` closes, if the policy has one.
    ///
    /// ```
    /// use postback::delivery::Policy;
    ///
    /// let day = Policy { window: Some(86_400), ..Policy::default() };
    /// assert_eq!(day.closes_at(1_796_276_083), Some(1_796_362_483));
    /// assert_eq!(Policy::default().closes_at(1_796_276_083), None);
    /// ```
    pub fn closes_at(&self, converted_at: u64) -> Option<u64> {
        self.window
            .map(|window| converted_at.saturating_add(window))
    }

    /// What to do after `attempt` got `answer`: done, try again at a time, or refused.
    ///
    /// ```
    /// use postback::delivery::{Answer, Attempt, Policy, Refusal, Step};
    ///
    /// let policy = Policy::default();
    /// let converted_at = 1_796_276_083;
    /// // The default schedule has five delays: a sixth failure is the last.
    /// let sixth = Attempt { number: 6, converted_at, at: converted_at + 120_000, seed: 7 };
    /// let step = policy.step(Answer::Response { status: 503, body: "" }, sixth);
    /// assert!(matches!(step, Step::Refused { why: Refusal::Exhausted { attempts: 6 }, .. }));
    /// assert_eq!(step.to_string(), "refused: exhausted after 6 attempts: retry: status 503");
    /// ```
    pub fn step(&self, answer: Answer<'_>, attempt: Attempt) -> Step<'_> {
        let verdict = self.classify(answer);
        match verdict.outcome {
            Outcome::Delivered | Outcome::Duplicate => return Step::Done(verdict),
            Outcome::Permanent => {
                let why = Refusal::Permanent;
                return Step::Refused { verdict, why };
            }
            Outcome::Retry => {}
        }
        // Attempts count from 1; a 0 is taken as the first.
        let number = attempt.number.max(1);
        let Some(delay) = self.retry.delay(number, attempt.seed) else {
            let why = Refusal::Exhausted { attempts: number };
            return Step::Refused { verdict, why };
        };
        let at = attempt.at.saturating_add(delay);
        match self.closes_at(attempt.converted_at) {
            Some(closes_at) if at > closes_at => Step::Refused {
                verdict,
                why: Refusal::Expired { closes_at },
            },
            _ => Step::RetryAt { at, verdict },
        }
    }
}

/// A rule of a [`Policy`]: an answer it matches, and what that answer comes to.
///
/// With the `serde` feature it reads and writes as an object; `status` and `body` may be
/// left out, for any:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::delivery::{Answer, AnswerRule, Outcome};
///
/// let json = r#"{"name": "ok", "status": "2xx", "outcome": "delivered",
///                "body": {"json": {"field": "ok", "equals": "true"}}}"#;
/// let rule: AnswerRule = serde_json::from_str(json)?;
/// assert_eq!(rule.outcome, Outcome::Delivered);
/// assert!(rule.matches(Answer::Response { status: 200, body: r#"{"ok": true}"# }));
/// assert!(!rule.matches(Answer::Response { status: 200, body: r#"{"ok": false}"# }));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct AnswerRule {
    /// A name, for the host's log.
    pub name: String,
    /// The statuses it matches; any when `None`. A network error has no status, and matches
    /// only a rule without a status and without a body.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub status: Option<StatusRange>,
    /// What the body must be; any when `None`.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub body: Option<BodyMatch>,
    /// What a matching answer comes to.
    pub outcome: Outcome,
}

impl AnswerRule {
    /// The rule `name`: answers with a status in `status` and a body `body` come to `outcome`.
    ///
    /// ```
    /// use postback::delivery::{Answer, AnswerRule, BodyMatch, Outcome, Policy, StatusRange};
    ///
    /// // TrafficStars answers a postback it takes with `{"ok": true}`; any other 2xx refuses it.
    /// let body = Some(BodyMatch::json("ok", "true"));
    /// let ok = AnswerRule::new("ok", StatusRange::class(2), body, Outcome::Delivered);
    /// let refused = AnswerRule::new("refused", StatusRange::class(2), None, Outcome::Permanent);
    /// let policy = Policy { answers: vec![ok, refused], ..Policy::default() };
    /// let answer = Answer::Response { status: 200, body: r#"{"ok": false, "error": "unknown click"}"# };
    /// assert_eq!(policy.classify(answer).to_string(), r#"permanent: rule 1 ("refused")"#);
    /// ```
    pub fn new(
        name: impl Into<String>,
        status: Option<StatusRange>,
        body: Option<BodyMatch>,
        outcome: Outcome,
    ) -> AnswerRule {
        AnswerRule {
            name: name.into(),
            status,
            body,
            outcome,
        }
    }

    /// Whether the rule matches `answer`.
    ///
    /// ```
    /// use postback::delivery::{Answer, AnswerRule, BodyMatch, Outcome, StatusRange};
    ///
    /// let body = Some(BodyMatch::Exact("OK".into()));
    /// let ok = AnswerRule::new("ok", StatusRange::exactly(200), body, Outcome::Delivered);
    /// assert!(ok.matches(Answer::Response { status: 200, body: "OK\r\n" }));
    /// assert!(!ok.matches(Answer::Response { status: 201, body: "OK" }));
    /// // A network error matches only a rule with neither a status nor a body.
    /// assert!(!ok.matches(Answer::NetworkError));
    /// assert!(AnswerRule::new("any", None, None, Outcome::Retry).matches(Answer::NetworkError));
    /// ```
    pub fn matches(&self, answer: Answer<'_>) -> bool {
        match answer {
            Answer::Response { status, body } => {
                self.status.is_none_or(|range| range.contains(status))
                    && self.body.as_ref().is_none_or(|m| m.matches(body))
            }
            Answer::NetworkError => self.status.is_none() && self.body.is_none(),
        }
    }
}

/// A range of HTTP statuses: `200`, `2xx`, `500-599`, as serde writes it.
///
/// With the `serde` feature one status reads and writes as a number, a range as text; a
/// status as text reads too:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::delivery::StatusRange;
///
/// let ranges: Vec<StatusRange> = serde_json::from_str(r#"[200, "2xx", "500-599", "404"]"#)?;
/// assert_eq!(ranges[1], StatusRange::class(2).ok_or("no class")?);
/// assert_eq!(ranges[2].to_string(), "5xx");
/// assert_eq!(serde_json::to_string(&ranges)?, r#"[200,"2xx","5xx",404]"#);
/// assert!(serde_json::from_str::<StatusRange>("99").is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "StatusText", into = "StatusText")
)]
pub struct StatusRange {
    first: u16,
    last: u16,
}

impl StatusRange {
    /// The statuses from `first` to `last`, both in; `None` unless `100 <= first <= last <=
    /// 999`.
    ///
    /// ```
    /// use postback::delivery::StatusRange;
    ///
    /// let client_errors = StatusRange::new(400, 428).ok_or("not a range")?;
    /// assert!(client_errors.contains(404) && !client_errors.contains(429));
    /// assert_eq!(client_errors.to_string(), "400-428");
    /// assert_eq!(StatusRange::new(500, 400), None);
    /// assert_eq!(StatusRange::new(0, 99), None);
    /// # Ok::<(), &str>(())
    /// ```
    pub const fn new(first: u16, last: u16) -> Option<StatusRange> {
        match 100 <= first && first <= last && last <= 999 {
            true => Some(StatusRange { first, last }),
            false => None,
        }
    }

    /// The one status `status`.
    ///
    /// ```
    /// use postback::delivery::StatusRange;
    ///
    /// let ok = StatusRange::exactly(200).ok_or("not a status")?;
    /// assert_eq!((ok.first(), ok.last()), (200, 200));
    /// assert_eq!(ok, "200".parse()?);
    /// assert_eq!(StatusRange::exactly(1_000), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn exactly(status: u16) -> Option<StatusRange> {
        StatusRange::new(status, status)
    }

    /// A class of statuses: `2` for `2xx`; `None` unless `1 <= class <= 9`.
    ///
    /// ```
    /// use postback::delivery::StatusRange;
    ///
    /// let server_errors = StatusRange::class(5).ok_or("not a class")?;
    /// assert_eq!(server_errors, StatusRange::new(500, 599).ok_or("not a range")?);
    /// assert_eq!(server_errors.to_string(), "5xx");
    /// assert_eq!(StatusRange::class(0), None);
    /// # Ok::<(), &str>(())
    /// ```
    pub const fn class(class: u16) -> Option<StatusRange> {
        match class {
            1..=9 => StatusRange::new(class * 100, class * 100 + 99),
            _ => None,
        }
    }

    /// The first status of the range.
    ///
    /// ```
    /// use postback::delivery::StatusRange;
    ///
    /// let range: StatusRange = "2xx".parse()?;
    /// assert_eq!(range.first(), 200);
    /// # Ok::<(), postback::delivery::StatusRangeError>(())
    /// ```
    pub const fn first(self) -> u16 {
        self.first
    }

    /// The last status of the range, which it holds.
    ///
    /// ```
    /// use postback::delivery::StatusRange;
    ///
    /// let range: StatusRange = "2xx".parse()?;
    /// assert_eq!(range.last(), 299);
    /// assert!(range.contains(range.last()));
    /// # Ok::<(), postback::delivery::StatusRangeError>(())
    /// ```
    pub const fn last(self) -> u16 {
        self.last
    }

    /// Whether `status` is in the range.
    ///
    /// ```
    /// use postback::delivery::StatusRange;
    ///
    /// let range: StatusRange = "500-504".parse()?;
    /// assert!(range.contains(500) && range.contains(504));
    /// assert!(!range.contains(505));
    /// # Ok::<(), postback::delivery::StatusRangeError>(())
    /// ```
    pub const fn contains(self, status: u16) -> bool {
        self.first <= status && status <= self.last
    }
}

impl fmt::Display for StatusRange {
    /// `200`, `2xx`, `500-599`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.first, self.last) {
            (first, last) if first == last => write!(f, "{first}"),
            (first, last) if first % 100 == 0 && last == first + 99 => {
                write!(f, "{}xx", first / 100)
            }
            (first, last) => write!(f, "{first}-{last}"),
        }
    }
}

impl core::str::FromStr for StatusRange {
    type Err = StatusRangeError;

    /// Reads `200`, `2xx` or `500-599`.
    ///
    /// # Errors
    ///
    /// A [`StatusRangeError`] for any other text: a status that is not three digits from
    /// `100` to `999`, a range whose first status is after its last, or a class other than
    /// `1xx` to `9xx`, in lowercase.
    fn from_str(text: &str) -> Result<StatusRange, StatusRangeError> {
        let code = |text: &str| {
            let digits = text.len() == 3 && text.bytes().all(|b| b.is_ascii_digit());
            digits.then(|| text.parse::<u16>().ok()).flatten()
        };
        let range = match text.split_once('-') {
            Some((first, last)) => {
                StatusRange::new(code(first).unwrap_or(0), code(last).unwrap_or(0))
            }
            None => match text.strip_suffix("xx") {
                Some(class) if class.len() == 1 => {
                    class.parse::<u16>().ok().and_then(StatusRange::class)
                }
                Some(_) => None,
                None => code(text).and_then(StatusRange::exactly),
            },
        };
        range.ok_or(StatusRangeError)
    }
}

/// A text that is not a [`StatusRange`].
///
/// ```
/// use postback::delivery::{StatusRange, StatusRangeError};
///
/// assert_eq!("2XX".parse::<StatusRange>(), Err(StatusRangeError));
/// assert_eq!("599-500".parse::<StatusRange>(), Err(StatusRangeError));
/// assert_eq!(
///     StatusRangeError.to_string(),
///     "not a range of HTTP statuses: expected 200, 2xx or 500-599, from 100 to 999",
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StatusRangeError;

impl fmt::Display for StatusRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a range of HTTP statuses: expected 200, 2xx or 500-599, from 100 to 999")
    }
}

impl core::error::Error for StatusRangeError {}

/// How serde reads and writes a [`StatusRange`]: a number or a text.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
enum StatusText {
    Code(u16),
    Text(String),
}

#[cfg(feature = "serde")]
impl TryFrom<StatusText> for StatusRange {
    type Error = StatusRangeError;

    fn try_from(text: StatusText) -> Result<StatusRange, StatusRangeError> {
        match text {
            StatusText::Code(code) => StatusRange::exactly(code).ok_or(StatusRangeError),
            StatusText::Text(text) => text.parse(),
        }
    }
}

#[cfg(feature = "serde")]
impl From<StatusRange> for StatusText {
    fn from(range: StatusRange) -> StatusText {
        use alloc::string::ToString;
        match range.first == range.last {
            true => StatusText::Code(range.first),
            false => StatusText::Text(range.to_string()),
        }
    }
}

/// What an answer's body must be for an [`AnswerRule`].
///
/// With the `serde` feature it reads and writes as an object of one field, the kind of
/// match in lowercase:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::delivery::BodyMatch;
///
/// let json = r#"[{"exact": "OK"}, {"prefix": "ERROR:"}, {"json": {"field": "ok", "equals": "true"}}]"#;
/// let matches: Vec<BodyMatch> = serde_json::from_str(json)?;
/// assert_eq!(matches[1], BodyMatch::Prefix("ERROR:".into()));
/// assert_eq!(matches[2], BodyMatch::json("ok", "true"));
/// assert!(matches[0].matches("OK\n"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum BodyMatch {
    /// The body, without the whitespace around it, is this text: `OK`.
    Exact(String),
    /// The body, without the whitespace before it, starts with this text: `ERROR:`.
    Prefix(String),
    /// The body holds this text.
    Contains(String),
    /// The body is a JSON object whose top-level field `field` is the JSON value `equals`,
    /// written as JSON (`true`, `1`, `"ok"`), compared as written: `{"ok": true}` has `ok`
    /// equal to `true`, and `{"ok": "true"}` does not. The object is read only as far as the
    /// field: what follows it is not checked (`{"ok": true` matches). Keys are compared as
    /// written, so a key spelled with an escape (`"o\u006b"`) is another key.
    Json {
        /// The field, at the object's top level.
        field: String,
        /// Its value, as JSON text.
        equals: String,
    },
}

impl BodyMatch {
    /// A match of a JSON field: see [`BodyMatch::Json`].
    ///
    /// ```
    /// use postback::delivery::BodyMatch;
    ///
    /// // TrafficStars' answer to a postback it takes.
    /// let ok = BodyMatch::json("ok", "true");
    /// assert!(ok.matches(r#"{"ok": true}"#));
    /// assert!(!ok.matches(r#"{"ok": "true"}"#), "a string is not `true`");
    /// assert!(!ok.matches(r#"{"result": {"ok": true}}"#), "top level only");
    /// ```
    pub fn json(field: &str, equals: &str) -> BodyMatch {
        BodyMatch::Json {
            field: field.to_owned(),
            equals: equals.to_owned(),
        }
    }

    /// Whether `body` matches.
    ///
    /// ```
    /// use postback::delivery::BodyMatch;
    ///
    /// let duplicate = "  ERROR: This conversion has already been notified and saved.";
    /// assert!(BodyMatch::Prefix("ERROR:".into()).matches(duplicate));
    /// assert!(BodyMatch::Contains("already been notified".into()).matches(duplicate));
    /// assert!(!BodyMatch::Exact("OK".into()).matches("OK, but later"));
    /// ```
    pub fn matches(&self, body: &str) -> bool {
        match self {
            BodyMatch::Exact(text) => body.trim() == text,
            BodyMatch::Prefix(text) => body.trim_start().starts_with(text.as_str()),
            BodyMatch::Contains(text) => body.contains(text.as_str()),
            BodyMatch::Json { field, equals } => {
                json_field(body, field).is_some_and(|value| value == equals.trim())
            }
        }
    }
}

/// The text of the value of the top-level field `field` of the JSON object `body`: a minimal
/// reader that skips the values before it, and gives up (`None`) on what does not read as
/// JSON up to the field. What follows the field is not read.
fn json_field<'b>(body: &'b str, field: &str) -> Option<&'b str> {
    let bytes = body.as_bytes();
    let mut at = skip_space(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(bytes, at + 1);
    loop {
        let key_end = skip_string(bytes, at)?;
        let key = body.get(at + 1..key_end - 1)?;
        at = skip_space(bytes, key_end);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        let start = skip_space(bytes, at + 1);
        let end = skip_value(bytes, start, 0)?;
        if key == field {
            return body.get(start..end);
        }
        at = skip_space(bytes, end);
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            _ => return None,
        }
    }
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes
        .get(at)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        at += 1;
    }
    at
}

/// The end of the string that starts at `at`, after its closing quote.
fn skip_string(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let mut i = at + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The end of the JSON value that starts at `at`; objects and arrays nest at most 32 deep.
fn skip_value(bytes: &[u8], at: usize, depth: usize) -> Option<usize> {
    let (open, close) = match bytes.get(at)? {
        b'"' => return skip_string(bytes, at),
        b'{' => (b'{', b'}'),
        b'[' => (b'[', b']'),
        _ => {
            let len = bytes[at..]
                .iter()
                .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(bytes.len() - at);
            return (len > 0).then_some(at + len);
        }
    };
    if depth >= 32 {
        return None;
    }
    let mut i = skip_space(bytes, at + 1);
    if bytes.get(i) == Some(&close) {
        return Some(i + 1);
    }
    loop {
        if open == b'{' {
            i = skip_space(bytes, skip_string(bytes, i)?);
            if bytes.get(i) != Some(&b':') {
                return None;
            }
            i = skip_space(bytes, i + 1);
        }
        i = skip_space(bytes, skip_value(bytes, i, depth + 1)?);
        match bytes.get(i)? {
            b',' => i = skip_space(bytes, i + 1),
            &b if b == close => return Some(i + 1),
            _ => return None,
        }
    }
}

/// When to try a postback again: the delay after each failed attempt, with jitter.
///
/// With the `serde` feature it reads and writes as an object of `delays`, in seconds, and
/// `jitter`, in percent, which may be left out for the default's 10:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::delivery::Retry;
///
/// let retry: Retry = serde_json::from_str(r#"{"delays": [60, 600, 3600]}"#)?;
/// assert_eq!(retry, Retry { delays: vec![60, 600, 3_600], jitter: 10 });
/// assert_eq!(retry.delay(4, 7), None, "three retries");
/// assert!(serde_json::from_str::<Retry>(r#"{"delays": [60], "jitter": 150}"#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields, try_from = "RetryFields")
)]
pub struct Retry {
    /// The delay, in seconds, after the first failed attempt, the second, and so on: as many
    /// retries as delays.
    pub delays: Vec<u64>,
    /// The jitter, in percent of each delay, either way: 10 moves a 60-second delay to
    /// anywhere from 54 to 66 seconds. At most 100; more counts as 100, and serde refuses
    /// it. Left out of the serde form, it is the default's, 10; serde writes more than 100 as
    /// 100, what it counts as.
    #[cfg_attr(feature = "serde", serde(serialize_with = "at_most_100"))]
    pub jitter: u8,
}

/// The serde form of [`Retry`], checked; a jitter left out is the default's, 10.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RetryFields {
    delays: Vec<u64>,
    #[serde(default = "default_jitter")]
    jitter: u8,
}

#[cfg(feature = "serde")]
fn default_jitter() -> u8 {
    Retry::default().jitter
}

/// Writes a jitter as what it counts as: at most 100.
#[cfg(feature = "serde")]
fn at_most_100<S: serde::Serializer>(jitter: &u8, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_u8((*jitter).min(100))
}

#[cfg(feature = "serde")]
impl TryFrom<RetryFields> for Retry {
    type Error = &'static str;

    fn try_from(fields: RetryFields) -> Result<Retry, &'static str> {
        match fields.jitter {
            0..=100 => Ok(Retry {
                delays: fields.delays,
                jitter: fields.jitter,
            }),
            _ => Err("a jitter of at most 100 (percent)"),
        }
    }
}

impl Default for Retry {
    /// 1 minute, 5 minutes, 30 minutes, 2 hours and 24 hours, as open-source trackers retry,
    /// with 10% jitter.
    fn default() -> Retry {
        Retry {
            delays: vec![60, 300, 1_800, 7_200, 86_400],
            jitter: 10,
        }
    }
}

impl Retry {
    /// Whether this is the default schedule, which serde leaves out.
    #[cfg(feature = "serde")]
    fn is_default(&self) -> bool {
        *self == Retry::default()
    }

    /// The delay, in seconds, after `failed` attempts have failed (1 after the first), with
    /// the jitter that `seed` draws; `None` when the schedule has no more.
    ///
    /// ```
    /// use postback::delivery::Retry;
    ///
    /// let retry = Retry::default();
    /// let delay = retry.delay(1, 42).unwrap();
    /// assert!((54..=66).contains(&delay));
    /// assert_eq!(retry.delay(1, 42), Some(delay), "the same seed, the same delay");
    /// assert_eq!(retry.delay(6, 42), None);
    /// ```
    pub fn delay(&self, failed: u32, seed: u64) -> Option<u64> {
        let index = usize::try_from(failed.checked_sub(1)?).ok()?;
        let delay = *self.delays.get(index)?;
        let spread = u128::from(delay) * u128::from(self.jitter.min(100)) / 100;
        if spread == 0 {
            return Some(delay);
        }
        // A draw from 0 to 2 × spread, by SplitMix64 of the seed and the attempt.
        let draw = splitmix64(seed ^ u64::from(failed).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let offset = u128::from(draw) % (2 * spread + 1);
        let jittered = u128::from(delay) - spread + offset;
        Some(u64::try_from(jittered).unwrap_or(u64::MAX))
    }
}

/// SplitMix64's output function: a well-mixed 64-bit number of `x`.
const fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;

    #[test]
    fn json_fields_are_found_at_the_top_level_only() {
        let body =
            r#" {"error": {"ok": false}, "list": [1, {"ok": 2}], "s": "a\"b", "ok" : true } "#;
        assert_eq!(json_field(body, "ok"), Some("true"));
        assert_eq!(json_field(body, "s"), Some(r#""a\"b""#));
        assert_eq!(json_field(body, "error"), Some(r#"{"ok": false}"#));
        assert_eq!(json_field(body, "nope"), None);
        assert_eq!(json_field(r#"{"ok": true"#, "ok"), Some("true"));
        assert_eq!(json_field(r#"{"a": 1 "ok": true}"#, "ok"), None);
        assert_eq!(json_field("OK", "ok"), None);
        assert_eq!(json_field(r#"[{"ok": true}]"#, "ok"), None);
        assert_eq!(json_field(r#"{"ok":"#, "ok"), None);
        let deep = format!(
            r#"{{"a": {}1{}, "ok": true}}"#,
            "[".repeat(40),
            "]".repeat(40)
        );
        assert_eq!(json_field(&deep, "ok"), None);
    }

    #[test]
    fn jitter_stays_within_its_spread() {
        let retry = Retry::default();
        for seed in 0..2000 {
            for (failed, delay) in (1..).zip([60u64, 300, 1_800, 7_200, 86_400]) {
                let got = retry.delay(failed, seed).unwrap();
                assert!(
                    delay * 9 / 10 <= got && got <= delay * 11 / 10,
                    "{seed} {failed} {got}"
                );
            }
        }
        let none = Retry {
            jitter: 0,
            ..Retry::default()
        };
        assert_eq!(none.delay(2, 9), Some(300));
        let full = Retry {
            delays: vec![u64::MAX],
            jitter: 255,
        };
        assert!(full.delay(1, 3).is_some());
        assert_eq!(full.delay(0, 3), None);
    }

    #[test]
    fn status_ranges_read_and_write() {
        for (text, first, last) in [
            ("200", 200, 200),
            ("2xx", 200, 299),
            ("500-599", 500, 599),
            ("404-404", 404, 404),
        ] {
            let range: StatusRange = text.parse().unwrap();
            assert_eq!((range.first, range.last), (first, last), "{text}");
        }
        assert_eq!(StatusRange::new(500, 599).unwrap().to_string(), "5xx");
        assert_eq!(StatusRange::class(9), StatusRange::new(900, 999));
        for class in [0, 10, 657, 700, u16::MAX] {
            assert_eq!(StatusRange::class(class), None, "{class}");
        }
        assert_eq!(StatusRange::new(400, 428).unwrap().to_string(), "400-428");
        for bad in [
            "20", "2000", "0xx", "10xx", "599-500", "abc", "-", "", "099",
        ] {
            assert!(bad.parse::<StatusRange>().is_err(), "{bad}");
        }
    }
}
