//! Postback rules: several conditional postbacks per level, events and goals, the campaign's
//! rules replacing the source's, reversals, and dedup keys.

use postback::select::{
    ClickMatch, Conversion, Decision, Goal, Level, Outcome, Rule, SendMode, Settings, Skip, select,
};
use postback::{Decimal, Template, TokenSource, Value, from_fn};

fn template(text: &str) -> Template<'static> {
    text.parse().unwrap()
}

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn rule(name: &str) -> Rule {
    Rule::new(
        name,
        template(&format!("https://t.example/{name}?id={{externalid}}")),
    )
}

fn rules(rules: Vec<Rule>) -> Settings {
    Settings {
        rules,
        ..Settings::default()
    }
}

/// A sale of 10.00, approved, with postbacks on: the conversion each case changes one fact of.
fn sale() -> Conversion<'static> {
    Conversion {
        status: "approved",
        event: "sale",
        ..Conversion::new(1, decimal("10.00"))
    }
}

/// Each decision as a line: `source rule "a": fires`.
fn lines(source: &Settings, campaign: &Settings, conversion: &Conversion<'_>) -> Vec<String> {
    select(source, campaign, conversion)
        .decisions()
        .map(|d: Decision<'_>| d.to_string())
        .collect()
}

/// The reason the only rule of `source` gives for `conversion`, `None` when it fires.
fn reason(rule: Rule, conversion: &Conversion<'_>) -> Option<Skip> {
    let (source, campaign) = (rules(vec![rule]), Settings::default());
    let decisions: Vec<_> = select(&source, &campaign, conversion).decisions().collect();
    // Only the source's rule, and the campaign's empty general postback.
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[1].skip(), Some(Skip::NoPostback));
    decisions[0].skip()
}

#[test]
fn every_condition_holds_or_says_why_not() {
    let click: &dyn TokenSource = &[("tName:source", "push"), ("t1", "1017")];
    let numbered = from_fn(|token| match token.name() {
        "t1" => Some(Value::UInt(1017)),
        "t2" => Some(Value::Decimal("3.30".parse().unwrap())),
        "t3" => Some(Value::Int(-4)),
        _ => None,
    });
    let with_click = Conversion {
        click: Some(click),
        ..sale()
    };
    let cases: Vec<(&str, Rule, Conversion<'_>, Option<Skip>)> = vec![
        ("no conditions", rule("a"), sale(), None),
        (
            "status listed, in another case",
            Rule {
                statuses: vec!["pending".into(), "APPROVED".into()],
                ..rule("a")
            },
            sale(),
            None,
        ),
        (
            "status not listed",
            Rule {
                statuses: vec!["pending".into()],
                ..rule("a")
            },
            sale(),
            Some(Skip::Status),
        ),
        (
            "event listed",
            Rule {
                events: vec!["lead".into(), "Sale".into()],
                ..rule("a")
            },
            sale(),
            None,
        ),
        (
            "event not listed",
            Rule {
                events: vec!["deposit".into()],
                ..rule("a")
            },
            sale(),
            Some(Skip::Event),
        ),
        (
            "an event the conversion does not have",
            Rule {
                events: vec!["deposit".into()],
                ..rule("a")
            },
            Conversion {
                event: "",
                ..sale()
            },
            Some(Skip::Event),
        ),
        (
            "a goal for the event",
            Rule {
                goals: vec![Goal::new("sale", "g-2")],
                ..rule("a")
            },
            sale(),
            None,
        ),
        (
            "no goal for the event",
            Rule {
                goals: vec![Goal::new("lead", "g-1")],
                ..rule("a")
            },
            sale(),
            Some(Skip::NoGoal),
        ),
        (
            "payout at the minimum",
            Rule {
                min_payout: Some(decimal("10")),
                ..rule("a")
            },
            sale(),
            None,
        ),
        (
            "payout below the minimum",
            Rule {
                min_payout: Some(decimal("10.01")),
                ..rule("a")
            },
            sale(),
            Some(Skip::BelowMinPayout {
                min: decimal("10.01"),
            }),
        ),
        (
            "click values all there",
            Rule {
                click: vec![
                    ClickMatch::new("tName:source", "push").unwrap(),
                    ClickMatch::new("t1", "1017").unwrap(),
                ],
                ..rule("a")
            },
            with_click,
            None,
        ),
        (
            "a click value that differs",
            Rule {
                click: vec![
                    ClickMatch::new("tName:source", "push").unwrap(),
                    ClickMatch::new("t1", "1018").unwrap(),
                ],
                ..rule("a")
            },
            with_click,
            Some(Skip::Click { index: 1 }),
        ),
        (
            "a click value the click does not have",
            Rule {
                click: vec![ClickMatch::new("referer", "x").unwrap()],
                ..rule("a")
            },
            with_click,
            Some(Skip::Click { index: 0 }),
        ),
        (
            "no click at all",
            Rule {
                click: vec![ClickMatch::new("tName:source", "push").unwrap()],
                ..rule("a")
            },
            sale(),
            Some(Skip::Click { index: 0 }),
        ),
        (
            "numbers are compared as they are written",
            Rule {
                click: vec![
                    ClickMatch::new("t1", "1017").unwrap(),
                    ClickMatch::new("t2", "3.30").unwrap(),
                    ClickMatch::new("t3", "-4").unwrap(),
                ],
                ..rule("a")
            },
            Conversion {
                click: Some(&numbered),
                ..sale()
            },
            None,
        ),
        (
            "3.3 is not 3.30",
            Rule {
                click: vec![ClickMatch::new("t2", "3.3").unwrap()],
                ..rule("a")
            },
            Conversion {
                click: Some(&numbered),
                ..sale()
            },
            Some(Skip::Click { index: 0 }),
        ),
        // The rule's own reasons come first, in the order of the conditions...
        (
            "status before event",
            Rule {
                statuses: vec!["pending".into()],
                events: vec!["lead".into()],
                ..rule("a")
            },
            sale(),
            Some(Skip::Status),
        ),
        // ... then the merged settings'.
        (
            "conditions before postbacks disabled",
            Rule {
                events: vec!["lead".into()],
                ..rule("a")
            },
            Conversion {
                postbacks: false,
                ..sale()
            },
            Some(Skip::Event),
        ),
        (
            "postbacks disabled",
            rule("a"),
            Conversion {
                postbacks: false,
                ..sale()
            },
            Some(Skip::Disabled),
        ),
    ];
    for (case, rule, conversion, expected) in cases {
        assert_eq!(reason(rule, &conversion), expected, "{case}");
    }
}

#[test]
fn every_rule_whose_conditions_hold_fires_beside_the_general_postback() {
    let source = Settings {
        postback: Some(template("https://t.example/general?id={externalid}")),
        rules: vec![
            Rule {
                events: vec!["sale".into()],
                ..rule("sales")
            },
            Rule {
                events: vec!["lead".into()],
                ..rule("leads")
            },
            rule("everything"),
        ],
        ..Settings::default()
    };
    let campaign = rules(vec![rule("campaign")]);
    assert_eq!(
        lines(&source, &campaign, &sale()),
        [
            "traffic source postback: fires",
            r#"traffic source rule "sales": fires"#,
            r#"traffic source rule "leads": skipped, the rule is not for this event"#,
            r#"traffic source rule "everything": fires"#,
            r#"campaign rule "campaign": fires"#,
        ]
    );
    let fired: Vec<String> = select(&source, &campaign, &sale())
        .fired()
        .map(|fire| fire.template.to_string())
        .collect();
    assert_eq!(
        fired,
        [
            "https://t.example/general?id={externalid}",
            "https://t.example/sales?id={externalid}",
            "https://t.example/everything?id={externalid}",
            "https://t.example/campaign?id={externalid}",
        ]
    );
    // A level with neither a general postback nor rules says so once.
    assert_eq!(
        lines(&Settings::default(), &campaign, &sale()),
        [
            "traffic source postback: skipped, no postback is set for this conversion",
            r#"campaign rule "campaign": fires"#,
        ]
    );
}

#[test]
fn a_campaign_rule_replaces_the_source_rule_of_its_name_and_nothing_else() {
    let source = Settings {
        postback: Some(template("https://t.example/general?id={externalid}")),
        rules: vec![rule("sale"), rule("lead"), rule("")],
        ..Settings::default()
    };
    let campaign = Settings {
        postback: Some(template("https://t.example/s2s?id={externalid}")),
        // Its own "sale" rule does not fire for this conversion, and still replaces the source's.
        rules: vec![
            Rule {
                events: vec!["deposit".into()],
                ..rule("sale")
            },
            rule(""),
        ],
        ..Settings::default()
    };
    assert_eq!(
        lines(&source, &campaign, &sale()),
        [
            "traffic source postback: fires",
            r#"traffic source rule "sale": skipped, the campaign has a rule of the same name"#,
            r#"traffic source rule "lead": fires"#,
            r#"traffic source rule "": fires"#,
            "campaign postback: fires",
            r#"campaign rule "sale": skipped, the rule is not for this event"#,
            r#"campaign rule "": fires"#,
        ]
    );
}

#[test]
fn merged_settings_apply_to_every_rule() {
    let source = rules(vec![rule("a"), rule("b")]);
    let campaign = Settings {
        send: Some(SendMode::First),
        postback_share: Some("50".parse().unwrap()),
        payout_share: Some("50".parse().unwrap()),
        ..Settings::default()
    };
    let later = Conversion {
        first: false,
        ..sale()
    };
    let reasons: Vec<_> = select(&source, &campaign, &later)
        .level(Level::Source)
        .map(|d| d.skip())
        .collect();
    assert_eq!(reasons, [Some(Skip::NotFirst), Some(Skip::NotFirst)]);
    // The share counts conversions: the second fires every rule, at half the payout.
    let second = Conversion {
        ordinal: 2,
        ..sale()
    };
    let payouts: Vec<String> = select(&source, &campaign, &second)
        .fired()
        .map(|f| f.payout.to_string())
        .collect();
    assert_eq!(payouts, ["5.00", "5.00"]);
    let first = select(&source, &campaign, &sale());
    assert_eq!(first.fired().count(), 0);
}

#[test]
fn goals_events_and_payout_or_zero_are_written_by_the_fired_postback() {
    let source = rules(vec![Rule {
        goals: vec![Goal::new("lead", "77aa"), Goal::new("sale", "4f1b")],
        ..Rule::new(
            "exoclick",
            template(
                "https://s.magsrv.com/tag.php?goal={goal}&e={cnv_event}&v={payout_or_zero}&p={payout}",
            ),
        )
    }]);
    let campaign = Settings::default();
    let host = [("cnv_event", "from-the-host"), ("payout", "999")];
    let pending = Conversion {
        status: "pending",
        approved: false,
        ..sale()
    };
    for (conversion, expected) in [
        (sale(), "goal=4f1b&e=sale&v=10.00&p=10.00"),
        (pending, "goal=4f1b&e=sale&v=0.00&p=10.00"),
    ] {
        let fire = select(&source, &campaign, &conversion)
            .fired()
            .next()
            .unwrap();
        assert_eq!(
            fire.try_expand(&host).unwrap(),
            format!("https://s.magsrv.com/tag.php?{expected}")
        );
    }
    // Without goals `{goal}` has no value, and the host's `{cnv_event}` stands when the
    // conversion has no event.
    let plain = rules(vec![Rule::new(
        "plain",
        template("https://t.example/pb?goal={goal}&e={cnv_event}"),
    )]);
    let no_event = Conversion {
        event: "",
        ..sale()
    };
    let fire = select(&plain, &campaign, &no_event).fired().next().unwrap();
    assert_eq!(fire.goal, None);
    assert_eq!(
        fire.expand(&host),
        "https://t.example/pb?goal=&e=from-the-host"
    );
    let err = fire.try_expand(&host).unwrap_err();
    assert_eq!(err.problems()[0].token(), "goal");
}

#[test]
fn a_reversal_is_a_conversion_of_its_own() {
    let source = Settings {
        postback: Some(template(
            "https://t.example/pb?sum={payout}&z={payout_or_zero}",
        )),
        rules: vec![
            Rule {
                statuses: vec!["approved".into()],
                min_payout: Some(Decimal::ZERO),
                ..rule("sales")
            },
            Rule {
                statuses: vec!["rejected".into(), "chargeback".into()],
                ..rule("reversals")
            },
        ],
        payout_share: Some("50".parse().unwrap()),
        ..Settings::default()
    };
    let campaign = Settings::default();
    let reversal = Conversion {
        status: "rejected",
        approved: false,
        first: false,
        payout: decimal("-12.00"),
        ..sale()
    };
    assert_eq!(
        lines(&source, &campaign, &reversal)[..3],
        [
            "traffic source postback: fires",
            r#"traffic source rule "sales": skipped, the rule is not for this status"#,
            r#"traffic source rule "reversals": fires"#,
        ]
    );
    let fire = select(&source, &campaign, &reversal)
        .fired()
        .next()
        .unwrap();
    let none: &[(&str, &str)] = &[];
    assert_eq!(fire.expand(none), "https://t.example/pb?sum=-6.00&z=0.00");
    // Approved or first conversions only: a reversal is neither.
    for send in [SendMode::Approved, SendMode::First] {
        let only = Settings {
            send: Some(send),
            ..source.clone()
        };
        assert_eq!(select(&only, &campaign, &reversal).fired().count(), 0);
    }
    // A minimum payout of zero keeps a negative payout out.
    let approved_reversal = Conversion {
        status: "approved",
        ..reversal
    };
    let decisions: Vec<_> = select(&source, &campaign, &approved_reversal)
        .decisions()
        .collect();
    assert_eq!(
        decisions[1].skip(),
        Some(Skip::BelowMinPayout { min: Decimal::ZERO })
    );
}

#[test]
fn dedup_keys_name_the_postback_of_the_conversion() {
    let source = Settings {
        postback: Some(template("https://t.example/general?id={externalid}")),
        status_postbacks: vec![postback::select::StatusPostback {
            status: "Approved".into(),
            postback: template("https://t.example/approved?id={externalid}"),
        }],
        rules: vec![Rule::new(
            "a/b c",
            template("https://t.example/rule?id={externalid}"),
        )],
        ..Settings::default()
    };
    let campaign = Settings::with_postback(template("https://t.example/s2s?id={externalid}"));
    let keys = |conversion: &Conversion<'_>, click: &str, tx: &str| -> Vec<String> {
        select(&source, &campaign, conversion)
            .fired()
            .map(|fire| fire.dedup_key(click, tx).to_string())
            .collect()
    };
    assert_eq!(
        keys(&sale(), "ck-1", "tx/1"),
        [
            "pb1/source/status:approved/sale/approved/tx%2F1/ck-1",
            "pb1/source/rule:a%2Fb%20c/sale/approved/tx%2F1/ck-1",
            "pb1/campaign/postback/sale/approved/tx%2F1/ck-1",
        ]
    );
    let pending = Conversion {
        status: "pending",
        ..sale()
    };
    assert_eq!(
        keys(&pending, "ck-1", "tx/1")[0],
        "pb1/source/postback/sale/pending/tx%2F1/ck-1"
    );
    // The same facts give the same keys, whatever the payout or the ordinal; any other fact
    // another key.
    let again = Conversion {
        ordinal: 7,
        payout: decimal("99"),
        ..sale()
    };
    assert_eq!(keys(&again, "ck-1", "tx/1"), keys(&sale(), "ck-1", "tx/1"));
    // Statuses and events match without regard to case, and so do their keys.
    let shouting = Conversion {
        status: "APPROVED",
        event: "Sale",
        ..sale()
    };
    assert_eq!(
        keys(&shouting, "ck-1", "tx/1"),
        keys(&sale(), "ck-1", "tx/1")
    );
    let mut all = Vec::new();
    for (conversion, click, tx) in [
        (sale(), "ck-1", "tx/1"),
        (sale(), "ck-2", "tx/1"),
        (sale(), "ck-1", "tx/2"),
        (
            Conversion {
                event: "lead",
                ..sale()
            },
            "ck-1",
            "tx/1",
        ),
        (pending, "ck-1", "tx/1"),
        // A `/` in one part cannot stand for the boundary between two.
        (sale(), "1/ck", "tx"),
        (sale(), "ck", "tx/1"),
    ] {
        all.extend(keys(&conversion, click, tx));
    }
    let count = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), count, "every key differs");
}

#[test]
fn click_conditions_take_token_names_only() {
    for name in [
        "t1",
        "t10",
        "referer",
        "externalid",
        "external_id",
        "tName:zoneid",
    ] {
        assert!(ClickMatch::new(name, "x").is_ok(), "{name}");
    }
    for name in ["t11", "tName:", "zoneid", "", "{t1}", "t1:x"] {
        let err = ClickMatch::new(name, "x").unwrap_err();
        assert_eq!(err.token(), name);
        assert!(err.to_string().contains("is not a token"), "{err}");
    }
}

/// A fired rule's request carries its method, body and headers, expanded at the fired payout.
#[test]
fn a_fired_rule_prepares_its_request() {
    use postback::request::{Body, Header, Method, Outgoing};

    let capi = Rule {
        method: Method::Post,
        body: Some(
            Body::json(r#"{"id": "{externalid}", "value": {payout}, "event": "{cnv_event}", "goal": {goal}}"#)
                .unwrap(),
        ),
        headers: vec![Header::new("X-Goal", "{goal}").unwrap()],
        goals: vec![Goal::new("sale", "g-7")],
        ..rule("capi")
    };
    let mut source = rules(vec![capi, rule("get")]);
    source.payout_share = Some(postback::select::Percent::new(decimal("50")).unwrap());
    let campaign = Settings::default();
    let conversion = sale();
    let fired: Vec<_> = select(&source, &campaign, &conversion).fired().collect();
    assert_eq!(fired.len(), 2);
    let click = [("externalid", "ck\"1")];
    let mut out = Outgoing::new();
    fired[0].prepare(&click, &mut out).unwrap();
    assert_eq!(out.method(), Method::Post);
    assert_eq!(out.url(), "https://t.example/capi?id=ck%221");
    assert_eq!(
        out.body(),
        r#"{"id": "ck\"1", "value": 5.00, "event": "sale", "goal": "g-7"}"#
    );
    assert_eq!(out.headers().collect::<Vec<_>>(), [("X-Goal", "g-7")]);
    fired[1].try_prepare(&click, &mut out).unwrap();
    assert_eq!(out.method(), Method::Get);
    assert_eq!((out.body(), out.content_type()), ("", None));
}

/// A traffic source binds a rule's body and headers too, and checks them against what it
/// captures; a GET with a body is refused.
#[test]
fn a_source_binds_and_checks_bodies_and_headers() {
    use postback::request::{Body, Header, Method};
    use postback::traffic::{
        Param, Parts, PostbackErrorKind, SlotParam, SourceError, TrafficSource,
    };

    let parts = |rule: Rule| Parts {
        name: "Net".into(),
        click_id: Some(Param::new("cid", "[CID]")),
        cost: None,
        params: vec![SlotParam::new(
            "zone",
            "[ZONE]",
            postback::Slot::new(2).unwrap(),
        )],
        settings: rules(vec![rule]),
        ..Parts::default()
    };
    let post = Rule {
        method: Method::Post,
        body: Some(Body::json(r#"{"zone": "{tName:zone}"}"#).unwrap()),
        headers: vec![Header::new("X-Zone", "{tName:zone}").unwrap()],
        ..rule("post")
    };
    let source = TrafficSource::new(parts(post.clone())).unwrap();
    let bound = &source.settings().rules[0];
    assert_eq!(
        bound
            .body
            .as_ref()
            .unwrap()
            .tokens()
            .next()
            .map(|t| t.to_string())
            .as_deref(),
        Some("t2")
    );
    assert_eq!(
        bound.headers[0]
            .tokens()
            .next()
            .map(|t| t.to_string())
            .as_deref(),
        Some("t2")
    );

    let costly = Rule {
        headers: vec![
            Header::new("X-A", "x"),
            Header::new("X-Cost", "{clickcost}"),
        ]
        .into_iter()
        .map(Result::unwrap)
        .collect(),
        ..post.clone()
    };
    let SourceError::Postback(err) = TrafficSource::new(parts(costly)).unwrap_err() else {
        panic!()
    };
    assert_eq!(err.kind(), PostbackErrorKind::NoCost);
    assert_eq!(
        err.to_string(),
        r#"rules[0] ("post").headers[1]: token "clickcost" at bytes 0..11 reads the click cost, but the source has no cost parameter"#
    );
    let get = Rule {
        method: Method::Get,
        ..post
    };
    let SourceError::Postback(err) = TrafficSource::new(parts(get)).unwrap_err() else {
        panic!()
    };
    assert_eq!(err.kind(), PostbackErrorKind::BodyWithGet);
    assert_eq!(
        err.to_string(),
        r#"rules[0] ("post").body: a GET sends no body; the rule's method must be POST"#
    );
}

#[test]
fn outcomes_borrow_the_rules() {
    let source = rules(vec![rule("a")]);
    let campaign = Settings::default();
    let decision = select(&source, &campaign, &sale())
        .decisions()
        .next()
        .unwrap();
    let Outcome::Fire(fire) = decision.outcome else {
        panic!("fires")
    };
    assert!(std::ptr::eq(fire.rule.unwrap(), &source.rules[0]));
    assert!(std::ptr::eq(decision.rule.unwrap(), &source.rules[0]));
    assert!(std::ptr::eq(fire.template, &source.rules[0].postback));
}

#[cfg(feature = "serde")]
mod serde {
    use super::*;

    const JSON: &str = r#"{
        "postback": "https://t.example/pb?id={externalid}",
        "rules": [
            {
                "name": "exoclick",
                "postback": "https://s.magsrv.com/tag.php?goal={goal}&tag={externalid}",
                "statuses": ["approved"],
                "events": ["lead", "sale"],
                "min_payout": "0.50",
                "click": [{"token": "tName:source", "equals": "push"}],
                "goals": [{"event": "lead", "goal": "77aa"}, {"event": "sale", "goal": "4f1b"}]
            },
            {"name": "all", "postback": "https://t.example/all?id={externalid}"}
        ],
        "send": "approved"
    }"#;

    #[test]
    fn rules_round_trip_through_json() {
        let settings: Settings = serde_json::from_str(JSON).unwrap();
        let exoclick = &settings.rules[0];
        assert_eq!(exoclick.goals[1], Goal::new("sale", "4f1b"));
        assert_eq!(exoclick.min_payout, Some(decimal("0.50")));
        assert_eq!(exoclick.click[0].token(), "tName:source");
        assert_eq!(settings.rules[1], rule("all"));
        let json = serde_json::to_string(&settings).unwrap();
        assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), settings);
        // A rule without conditions writes none of them.
        assert!(
            json.contains(r#"{"name":"all","postback":"https://t.example/all?id={externalid}"}"#),
            "{json}"
        );
    }

    /// The JSON the README shows reads as the settings it describes.
    #[test]
    fn the_readme_json_reads() {
        let readme = include_str!("../README.md");
        let section = &readme[readme.find("## Postback rules").unwrap()..];
        let start = section.find("```json\n").unwrap() + "```json\n".len();
        let json = &section[start..start + section[start..].find("```").unwrap()];
        let settings: Settings = serde_json::from_str(json).unwrap();
        assert_eq!(settings.rules[0].name, "push sales");
        assert_eq!(settings.rules[0].goals.len(), 2);
        assert_eq!(settings.send, Some(SendMode::Approved));
    }

    /// A rule that POSTs JSON with headers reads from JSON, checked, and writes back the same.
    #[test]
    fn requests_round_trip_through_json() {
        use postback::request::{ContentType, Method};

        let json = r#"{"rules": [{
            "name": "capi",
            "postback": "https://capi.example/events",
            "method": "POST",
            "body": {"json": "{\"id\": \"{externalid}\", \"value\": {payout}}"},
            "headers": [{"name": "X-Api-Key", "value": "k-1"}]
        }, {
            "name": "form",
            "postback": "https://form.example/pb",
            "method": "POST",
            "body": {"form": "id={externalid}&sum={payout}"}
        }]}"#;
        let settings: Settings = serde_json::from_str(json).unwrap();
        let capi = &settings.rules[0];
        assert_eq!(capi.method, Method::Post);
        assert_eq!(
            capi.body.as_ref().unwrap().content_type(),
            ContentType::Json
        );
        assert_eq!(capi.headers[0].name(), "X-Api-Key");
        assert_eq!(
            settings.rules[1].body.as_ref().unwrap().as_str(),
            "id={externalid}&sum={payout}"
        );
        let written = serde_json::to_string(&settings).unwrap();
        assert_eq!(
            serde_json::from_str::<Settings>(&written).unwrap(),
            settings
        );
        // A GET writes no method.
        let get = serde_json::to_string(&rule("all")).unwrap();
        assert!(!get.contains("method"), "{get}");
        for (bad, message) in [
            (
                r#"{"name":"a","postback":"https://t.example/","body":{"json":"{\"id\": {externalid}"}}"#,
                "invalid JSON body at bytes 19..19",
            ),
            (
                r#"{"name":"a","postback":"https://t.example/","body":{"xml":"<a/>"}}"#,
                "unknown variant `xml`",
            ),
            (
                r#"{"name":"a","postback":"https://t.example/","headers":[{"name":"Host","value":"x"}]}"#,
                "invalid header name \"Host\"",
            ),
            (
                r#"{"name":"a","postback":"https://t.example/","method":"PUT"}"#,
                "unknown variant `PUT`",
            ),
        ] {
            let err = serde_json::from_str::<Rule>(bad).unwrap_err().to_string();
            assert!(err.contains(message), "{bad}: {err}");
        }
    }

    #[test]
    fn settings_without_rules_read_and_write_as_before() {
        let json = r#"{"postback":"https://t.example/pb?id={externalid}","status_postbacks":[],"send":null,"postback_share":null,"payout_share":null}"#;
        let settings: Settings = serde_json::from_str(json).unwrap();
        assert!(settings.rules.is_empty());
        assert_eq!(serde_json::to_string(&settings).unwrap(), json);
    }

    #[test]
    fn bad_rules_do_not_deserialize() {
        let cases = [
            (
                r#"{"rules":[{"name":"a","postback":"https://t.example/","colour":"red"}]}"#,
                "unknown field `colour`",
            ),
            (
                r#"{"rules":[{"postback":"https://t.example/"}]}"#,
                "missing field `name`",
            ),
            (
                r#"{"rules":[{"name":"a","postback":"https://t.example/","click":[{"token":"sauce","equals":"x"}]}]}"#,
                r#""sauce" is not a token a click condition can test"#,
            ),
            (
                r#"{"rules":[{"name":"a","postback":"https://t.example/","min_payout":0.5}]}"#,
                "write decimals as strings",
            ),
        ];
        for (json, message) in cases {
            let err = serde_json::from_str::<Settings>(json)
                .unwrap_err()
                .to_string();
            assert!(err.contains(message), "{json}: {err}");
        }
    }
}
