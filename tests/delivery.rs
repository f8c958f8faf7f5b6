//! The delivery policy: answers classified by rules and the default, the retry schedule with
//! deterministic jitter, the window, and the presets' policies.

use postback::delivery::{
    Answer, AnswerRule, Attempt, BodyMatch, Outcome, Policy, Reason, Refusal, Retry, StatusRange,
    Step,
};
use postback::traffic::presets::{self, GoalValue};

fn response(status: u16, body: &str) -> Answer<'_> {
    Answer::Response { status, body }
}

fn exoclick() -> Policy {
    presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::Dynamic)
        .unwrap()
        .delivery()
        .clone()
}

#[test]
fn the_default_reads_the_status() {
    let policy = Policy::default();
    let cases = [
        (response(200, "whatever"), Outcome::Delivered),
        (response(204, ""), Outcome::Delivered),
        (response(299, ""), Outcome::Delivered),
        (response(301, ""), Outcome::Permanent),
        (response(400, ""), Outcome::Permanent),
        (response(404, ""), Outcome::Permanent),
        (response(408, ""), Outcome::Retry),
        (response(429, ""), Outcome::Retry),
        (response(500, ""), Outcome::Retry),
        (response(503, ""), Outcome::Retry),
        (response(599, ""), Outcome::Retry),
        (response(600, ""), Outcome::Permanent),
        (response(100, ""), Outcome::Permanent),
        (Answer::NetworkError, Outcome::Retry),
    ];
    for (answer, outcome) in cases {
        let verdict = policy.classify(answer);
        assert_eq!(verdict.outcome, outcome, "{answer:?}");
        match answer {
            Answer::Response { status, .. } => assert_eq!(verdict.reason, Reason::Status(status)),
            Answer::NetworkError => assert_eq!(verdict.reason, Reason::Network),
        }
    }
    assert_eq!(
        policy.classify(response(503, "")).to_string(),
        "retry: status 503"
    );
}

#[test]
fn exoclick_answers_read_as_exoclick_means_them() {
    let policy = exoclick();
    let cases = [
        (
            response(200, "OK"),
            Outcome::Delivered,
            "delivered: rule 0 (\"ok\")",
        ),
        (
            response(200, "OK\n"),
            Outcome::Delivered,
            "delivered: rule 0 (\"ok\")",
        ),
        (
            response(
                200,
                "ERROR: This conversion has already been notified and saved.",
            ),
            Outcome::Duplicate,
            "duplicate: rule 1 (\"already notified\")",
        ),
        (
            response(200, "ERROR: Tag is invalid!"),
            Outcome::Permanent,
            "permanent: rule 2 (\"error\")",
        ),
        (
            response(200, "ERROR: Goal is invalid!"),
            Outcome::Permanent,
            "permanent: rule 2 (\"error\")",
        ),
        // ExoClick's words come with a 200: from anything else, the default decides.
        (
            response(503, "ERROR: Service temporarily unavailable"),
            Outcome::Retry,
            "retry: status 503",
        ),
        (
            response(502, "ERROR: This conversion has already been notified"),
            Outcome::Retry,
            "retry: status 502",
        ),
        // Not ExoClick's words: the default decides.
        (
            response(200, "okay"),
            Outcome::Delivered,
            "delivered: status 200",
        ),
        (
            response(503, "Service Unavailable"),
            Outcome::Retry,
            "retry: status 503",
        ),
        (Answer::NetworkError, Outcome::Retry, "retry: network error"),
    ];
    for (answer, outcome, line) in cases {
        let verdict = policy.classify(answer);
        assert_eq!(verdict.outcome, outcome, "{answer:?}");
        assert_eq!(verdict.to_string(), line);
    }
}

#[cfg(feature = "serde")]
#[test]
fn trafficstars_wants_ok_true() {
    use postback::traffic::presets::{JSON, Preset};

    let presets: Vec<Preset> = serde_json::from_str(JSON).unwrap();
    let trafficstars = presets
        .iter()
        .find(|p| p.source.name() == "TrafficStars")
        .unwrap();
    let policy = trafficstars.source.delivery();
    for (answer, outcome) in [
        (response(200, r#"{"ok": true}"#), Outcome::Delivered),
        (
            response(200, r#"{ "ok" : true, "id": 5 }"#),
            Outcome::Delivered,
        ),
        (
            response(200, r#"{"ok": false, "error": "bad key"}"#),
            Outcome::Permanent,
        ),
        (response(200, "OK"), Outcome::Permanent),
        (response(502, ""), Outcome::Retry),
    ] {
        assert_eq!(policy.classify(answer).outcome, outcome, "{answer:?}");
    }
    // The other presets keep the default.
    for preset in &presets {
        if !["ExoClick", "TrafficStars"].contains(&preset.source.name()) {
            assert_eq!(preset.source.delivery(), &Policy::default());
        }
    }
}

/// A postback that keeps failing is tried at 1 min, 5 min, 30 min, 2 h and 24 h after each
/// failure, give or take 10%, then refused; the same seed gives the same times.
#[test]
fn retries_follow_the_schedule_then_stop() {
    let policy = Policy::default();
    let converted_at = 1_796_276_083;
    let run = |seed| {
        let mut at = converted_at;
        let mut times = vec![];
        for number in 1.. {
            let attempt = Attempt {
                number,
                converted_at,
                at,
                seed,
            };
            match policy.step(response(503, ""), attempt) {
                Step::RetryAt { at: next, verdict } => {
                    assert_eq!(verdict.outcome, Outcome::Retry);
                    times.push(next - at);
                    at = next;
                }
                Step::Refused { why, .. } => {
                    assert_eq!(why, Refusal::Exhausted { attempts: 6 });
                    assert_eq!(number, 6);
                    break;
                }
                Step::Done(_) => panic!("a 503 is not done"),
            }
        }
        times
    };
    let delays = run(99);
    assert_eq!(delays.len(), 5);
    for (got, nominal) in delays.iter().zip([60, 300, 1_800, 7_200, 86_400]) {
        assert!(
            nominal * 9 / 10 <= *got && *got <= nominal * 11 / 10,
            "{got} {nominal}"
        );
    }
    assert_eq!(run(99), delays, "deterministic");
    assert_ne!(run(100), delays, "another seed, other times");
}

#[test]
fn the_window_closes() {
    let policy = Policy {
        window: Some(3_600),
        retry: Retry {
            delays: vec![60, 1_800, 7_200],
            jitter: 0,
        },
        ..Policy::default()
    };
    let converted_at = 1_000_000;
    assert!(policy.sendable(converted_at, converted_at + 3_600));
    assert!(!policy.sendable(converted_at, converted_at + 3_601));
    assert_eq!(policy.closes_at(converted_at), Some(1_003_600));
    assert!(Policy::default().sendable(0, u64::MAX));

    let attempt = |number, at| Attempt {
        number,
        converted_at,
        at,
        seed: 1,
    };
    assert_eq!(
        policy.step(Answer::NetworkError, attempt(1, converted_at)),
        Step::RetryAt {
            at: converted_at + 60,
            verdict: policy.classify(Answer::NetworkError)
        }
    );
    assert!(matches!(
        policy.step(Answer::NetworkError, attempt(2, converted_at + 60)),
        Step::RetryAt { at: 1_001_860, .. }
    ));
    let step = policy.step(Answer::NetworkError, attempt(3, 1_001_860));
    assert_eq!(
        step,
        Step::Refused {
            verdict: policy.classify(Answer::NetworkError),
            why: Refusal::Expired {
                closes_at: 1_003_600
            }
        }
    );
    assert_eq!(
        step.to_string(),
        "refused: the window closes at 1003600: retry: network error"
    );
}

#[test]
fn done_and_permanent_end_at_once() {
    let policy = exoclick();
    let attempt = Attempt {
        number: 1,
        converted_at: 0,
        at: 0,
        seed: 0,
    };
    let done = policy.step(response(200, "OK"), attempt);
    assert!(matches!(done, Step::Done(v) if v.outcome.is_done()));
    assert_eq!(done.to_string(), "done: delivered: rule 0 (\"ok\")");
    let permanent = policy.step(response(404, "Not Found"), attempt);
    assert!(matches!(
        permanent,
        Step::Refused {
            why: Refusal::Permanent,
            ..
        }
    ));
    // Attempts count from 1: a 0 is the first, not a schedule run out.
    let zero = Attempt {
        number: 0,
        ..attempt
    };
    assert!(matches!(
        policy.step(response(503, ""), zero),
        Step::RetryAt { .. }
    ));
    assert!(Outcome::Duplicate.is_done());
    assert!(!Outcome::Retry.is_done());
}

#[test]
fn rules_match_statuses_and_bodies() {
    let rule = |status: Option<&str>, body: Option<BodyMatch>| {
        AnswerRule::new(
            "r",
            status.map(|s| s.parse().unwrap()),
            body,
            Outcome::Delivered,
        )
    };
    let cases: &[(AnswerRule, Answer<'_>, bool)] = &[
        (rule(Some("2xx"), None), response(250, "x"), true),
        (rule(Some("2xx"), None), response(300, "x"), false),
        (rule(Some("500-503"), None), response(503, ""), true),
        (
            rule(None, Some(BodyMatch::Exact("OK".into()))),
            response(500, " OK "),
            true,
        ),
        (
            rule(None, Some(BodyMatch::Exact("OK".into()))),
            response(200, "OKAY"),
            false,
        ),
        (
            rule(None, Some(BodyMatch::Prefix("ERR".into()))),
            response(200, "  ERR x"),
            true,
        ),
        (
            rule(None, Some(BodyMatch::Contains("dup".into()))),
            response(200, "a dup b"),
            true,
        ),
        (
            rule(None, Some(BodyMatch::json("status", "\"ok\""))),
            response(200, r#"{"status":"ok"}"#),
            true,
        ),
        (
            rule(None, Some(BodyMatch::json("status", "\"ok\""))),
            response(200, r#"{"status":"OK"}"#),
            false,
        ),
        (
            rule(None, Some(BodyMatch::json("n", "1"))),
            response(200, r#"{"n": 1}"#),
            true,
        ),
        // A network error matches only a rule without a status or a body.
        (rule(None, None), Answer::NetworkError, true),
        (rule(Some("5xx"), None), Answer::NetworkError, false),
        (
            rule(None, Some(BodyMatch::Contains("".into()))),
            Answer::NetworkError,
            false,
        ),
    ];
    for (rule, answer, matches) in cases {
        assert_eq!(rule.matches(*answer), *matches, "{rule:?} {answer:?}");
    }
    assert_eq!(StatusRange::class(5), StatusRange::new(500, 599));
    assert_eq!(StatusRange::new(99, 200), None);
    assert_eq!(StatusRange::new(300, 200), None);
}

#[cfg(feature = "serde")]
#[test]
fn policies_round_trip_through_json() {
    let policy = exoclick();
    let json = serde_json::to_string(&policy).unwrap();
    assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy);
    // More jitter than 100 counts as 100, and is written so: it reads back.
    let wide = Policy {
        retry: Retry {
            delays: vec![60],
            jitter: 150,
        },
        ..Policy::default()
    };
    let json = serde_json::to_string(&wide).unwrap();
    assert_eq!(json, r#"{"retry":{"delays":[60],"jitter":100}}"#);
    assert_eq!(
        serde_json::from_str::<Policy>(&json).unwrap().retry.jitter,
        100
    );
    // A jitter left out is the default's.
    let retry: Policy = serde_json::from_str(r#"{"retry": {"delays": [60]}}"#).unwrap();
    assert_eq!(retry.retry.jitter, Retry::default().jitter);
    for (bad, message) in [
        (
            r#"{"answers":[{"name":"a","status":"2xy","outcome":"delivered"}]}"#,
            "not a range of HTTP statuses",
        ),
        (
            r#"{"answers":[{"name":"a","outcome":"maybe"}]}"#,
            "unknown variant `maybe`",
        ),
        (
            r#"{"retry":{"delays":[60],"jitter":300}}"#,
            "invalid value: integer `300`",
        ),
        (
            r#"{"retry":{"delays":[60],"jitter":101}}"#,
            "a jitter of at most 100",
        ),
        (r#"{"windows":5}"#, "unknown field `windows`"),
    ] {
        let err = serde_json::from_str::<Policy>(bad).unwrap_err().to_string();
        assert!(err.contains(message), "{bad}: {err}");
    }
}
