//! Which postbacks a conversion fires: every rule of `postback::select`, and their combinations.

use postback::select::{
    Conversion, Fire, Level, Outcome, Percent, Selection, SendMode, Settings, Skip, StatusPostback,
    select,
};
use postback::{Decimal, Template};

fn template(text: &str) -> Template<'static> {
    text.parse().unwrap()
}

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn percent(text: &str) -> Percent {
    text.parse().unwrap()
}

/// The outcome of a level's general or status postback.
fn general<'a>(selection: &Selection<'a>, level: Level) -> Outcome<'a> {
    let mut general = selection.level(level).filter(|d| d.rule.is_none());
    general
        .next()
        .expect("a level without rules has its general decision")
        .outcome
}

/// What a level holds in the combination tests: a general postback or not, and a status
/// postback that matches the conversion's status, another status, or none.
#[derive(Clone, Copy, Debug)]
enum StatusCase {
    None,
    Matching,
    Other,
}

fn level(name: &str, general: bool, status: StatusCase) -> Settings {
    let status_postbacks = match status {
        StatusCase::None => vec![],
        StatusCase::Matching => vec![StatusPostback {
            status: "SALE".into(),
            postback: template(&format!("https://{name}.example/sale?id={{externalid}}")),
        }],
        StatusCase::Other => vec![StatusPostback {
            status: "lead".into(),
            postback: template(&format!("https://{name}.example/lead?id={{externalid}}")),
        }],
    };
    Settings {
        postback: general
            .then(|| template(&format!("https://{name}.example/pb?id={{externalid}}"))),
        status_postbacks,
        ..Settings::default()
    }
}

/// Rules 1 and 6, every combination: each level fires its status postback when one matches
/// (ignoring ASCII case), else its general one, else nothing; both levels fire independently.
#[test]
fn every_combination_of_levels_and_status_postbacks() {
    let cases = [StatusCase::None, StatusCase::Matching, StatusCase::Other];
    let conversion = Conversion {
        status: "sale",
        ..Conversion::new(1, decimal("4.00"))
    };
    let mut count = 0;
    for source_general in [false, true] {
        for campaign_general in [false, true] {
            for source_status in cases {
                for campaign_status in cases {
                    let source = level("source", source_general, source_status);
                    let campaign = level("campaign", campaign_general, campaign_status);
                    let selection = select(&source, &campaign, &conversion);
                    for (name, general, status, outcome) in [
                        (
                            "source",
                            source_general,
                            source_status,
                            general(&selection, Level::Source),
                        ),
                        (
                            "campaign",
                            campaign_general,
                            campaign_status,
                            general(&selection, Level::Campaign),
                        ),
                    ] {
                        let expected = match (status, general) {
                            (StatusCase::Matching, _) => Some(("sale", Some("SALE"))),
                            (_, true) => Some(("pb", None)),
                            (_, false) => None,
                        };
                        let case = format!("{name}: general {general}, status {status:?}");
                        match (expected, outcome) {
                            (Some((path, status)), Outcome::Fire(fire)) => {
                                let url =
                                    format!("https://{name}.example/{path}?id={{externalid}}");
                                assert_eq!(fire.template.as_str(), url, "{case}");
                                assert_eq!(fire.status, status, "{case}");
                                assert_eq!(fire.payout, decimal("4.00"), "{case}");
                            }
                            (None, Outcome::Skip(Skip::NoPostback)) => {}
                            (expected, outcome) => panic!("{case}: {expected:?} but {outcome:?}"),
                        }
                        count += 1;
                    }
                    // Both fire when both are set: one postback each, the source's first.
                    let levels: Vec<Level> = selection.fired().map(|f| f.level).collect();
                    assert!(
                        levels
                            .windows(2)
                            .all(|w| w[0] == Level::Source && w[1] == Level::Campaign)
                    );
                }
            }
        }
    }
    assert_eq!(count, 72);
}

/// Rule 2: every combination of who sets the send mode, with every kind of conversion. The
/// campaign's setting wins even when the campaign has no postback of its own, and the
/// effective mode applies to both levels.
#[test]
fn send_mode_merges_with_the_campaigns_winning() {
    let modes = [
        None,
        Some(SendMode::All),
        Some(SendMode::First),
        Some(SendMode::Approved),
    ];
    for source_mode in modes {
        for campaign_mode in modes {
            for campaign_has_postback in [false, true] {
                for (first, approved) in
                    [(true, true), (true, false), (false, true), (false, false)]
                {
                    let source = Settings {
                        send: source_mode,
                        ..level("source", true, StatusCase::None)
                    };
                    let campaign = Settings {
                        send: campaign_mode,
                        ..level("campaign", campaign_has_postback, StatusCase::None)
                    };
                    let conversion = Conversion {
                        first,
                        approved,
                        ..Conversion::new(1, decimal("1"))
                    };
                    let effective = campaign_mode.or(source_mode).unwrap_or(SendMode::All);
                    let expected = match effective {
                        SendMode::First if !first => Some(Skip::NotFirst),
                        SendMode::Approved if !approved => Some(Skip::NotApproved),
                        _ => None,
                    };
                    let selection = select(&source, &campaign, &conversion);
                    let case = format!(
                        "{source_mode:?} {campaign_mode:?} first {first} approved {approved}"
                    );
                    match expected {
                        None => assert!(
                            matches!(general(&selection, Level::Source), Outcome::Fire(_)),
                            "{case}"
                        ),
                        Some(skip) => assert_eq!(
                            general(&selection, Level::Source),
                            Outcome::Skip(skip),
                            "{case}"
                        ),
                    }
                    let campaign_expected = match (campaign_has_postback, expected) {
                        (false, _) => Some(Skip::NoPostback),
                        (true, skip) => skip,
                    };
                    match campaign_expected {
                        None => assert!(
                            matches!(general(&selection, Level::Campaign), Outcome::Fire(_)),
                            "{case}"
                        ),
                        Some(skip) => assert_eq!(
                            general(&selection, Level::Campaign),
                            Outcome::Skip(skip),
                            "{case}"
                        ),
                    }
                }
            }
        }
    }
}

/// Rule 2 for the two shares: campaign, else source, else 100%; applied at both levels.
#[test]
fn shares_merge_with_the_campaigns_winning() {
    let shares = [None, Some(percent("50")), Some(percent("25"))];
    for source_share in shares {
        for campaign_share in shares {
            let source = Settings {
                payout_share: source_share,
                postback_share: source_share,
                ..level("source", true, StatusCase::None)
            };
            // The campaign has no postback of its own: its settings still win.
            let campaign = Settings {
                payout_share: campaign_share,
                postback_share: campaign_share,
                ..Settings::default()
            };
            let effective = campaign_share.or(source_share).unwrap_or(Percent::ALL);
            for ordinal in 1..=8 {
                let conversion = Conversion::new(ordinal, decimal("10.00"));
                let selection = select(&source, &campaign, &conversion);
                let case = format!("{source_share:?} {campaign_share:?} #{ordinal}");
                match general(&selection, Level::Source) {
                    Outcome::Fire(Fire { payout, .. }) => {
                        assert!(effective.sends(ordinal), "{case}");
                        assert_eq!(
                            payout,
                            decimal("10.00").percent(effective.get()).unwrap(),
                            "{case}"
                        );
                    }
                    Outcome::Skip(skip) => {
                        assert_eq!(
                            skip,
                            Skip::Share {
                                share: effective,
                                ordinal
                            },
                            "{case}"
                        );
                    }
                }
                assert_eq!(
                    general(&selection, Level::Campaign),
                    Outcome::Skip(Skip::NoPostback)
                );
            }
        }
    }
}

/// Rule 4: of the first n conversions exactly ⌊n·p/100⌋ are sent, after every n, and they are
/// spread evenly: the gaps between sent ordinals differ by at most one.
#[test]
fn postback_share_sends_exactly_and_evenly() {
    for p in [0, 1, 33, 50, 67, 99, 100] {
        let share = Percent::new(Decimal::from(p)).unwrap();
        let mut sent = Vec::new();
        for n in 1..=1000_u64 {
            if share.sends(n) {
                sent.push(n);
            }
            assert_eq!(sent.len() as u64, n * p as u64 / 100, "{p}% after {n}");
        }
        let gaps: Vec<u64> = sent.windows(2).map(|w| w[1] - w[0]).collect();
        if let (Some(min), Some(max)) = (gaps.iter().min(), gaps.iter().max()) {
            assert!(max - min <= 1, "{p}%: gaps from {min} to {max}");
        }
    }
    let half = percent("50");
    assert_eq!(
        (1..=6).filter(|&n| half.sends(n)).collect::<Vec<_>>(),
        [2, 4, 6]
    );
    let third = percent("33");
    assert_eq!(
        (1..=10).filter(|&n| third.sends(n)).collect::<Vec<_>>(),
        [4, 7, 10]
    );
    assert_eq!((1..=300).filter(|&n| third.sends(n)).count(), 99);
    let fine = percent("12.5");
    assert_eq!(
        (1..=16).filter(|&n| fine.sends(n)).collect::<Vec<_>>(),
        [8, 16]
    );
}

/// Rule 5: exact payouts, at least the real payout's decimals, no further trailing zeros.
#[test]
fn payout_share_is_exact() {
    let none = Settings::default();
    let cases = [
        ("10.00", "33", "3.30"),
        ("0.00003", "50", "0.000015"),
        ("7", "50", "3.5"),
        ("10", "100", "10"),
        ("10.00", "0", "0.00"),
        ("1", "33.3", "0.333"),
        ("0.01", "33", "0.0033"),
        ("99.99", "12.5", "12.49875"),
        ("-4", "50", "-2"),
        ("123456789.123456789", "1", "1234567.89123456789"),
    ];
    for (payout, share, expected) in cases {
        let source = Settings {
            payout_share: Some(percent(share)),
            ..level("source", true, StatusCase::None)
        };
        let conversion = Conversion::new(1, decimal(payout));
        let selection = select(&source, &none, &conversion);
        let Outcome::Fire(fire) = general(&selection, Level::Source) else {
            panic!("{payout} at {share}%")
        };
        assert_eq!(fire.payout.to_string(), expected, "{payout} at {share}%");
    }
    // A payout that cannot be shared exactly is not rounded: the postback is skipped.
    let source = Settings {
        payout_share: Some(percent("33")),
        ..level("source", true, StatusCase::None)
    };
    let tiny = Conversion::new(1, decimal("0.000000000000000001"));
    let selection = select(&source, &none, &tiny);
    assert_eq!(
        general(&selection, Level::Source),
        Outcome::Skip(Skip::Payout {
            share: percent("33")
        })
    );
    assert_eq!(
        Skip::Payout {
            share: percent("33")
        }
        .to_string(),
        "the payout at 33% has more than 18 decimal places"
    );
}

/// Rule 7, and the order of reasons (rule 8).
#[test]
fn disabled_conversions_fire_nothing() {
    let source = level("source", true, StatusCase::None);
    let campaign = Settings {
        send: Some(SendMode::First),
        ..level("campaign", false, StatusCase::None)
    };
    let conversion = Conversion {
        postbacks: false,
        first: false,
        ..Conversion::new(1, decimal("1"))
    };
    let selection = select(&source, &campaign, &conversion);
    assert_eq!(
        general(&selection, Level::Source),
        Outcome::Skip(Skip::Disabled)
    );
    // No postback is the first reason: the level had nothing to fire anyway.
    assert_eq!(
        general(&selection, Level::Campaign),
        Outcome::Skip(Skip::NoPostback)
    );
    assert_eq!(selection.fired().count(), 0);
}

#[test]
fn skip_messages() {
    let cases = [
        (Skip::NoPostback, "no postback is set for this conversion"),
        (
            Skip::Disabled,
            "the conversion arrived with postbacks disabled",
        ),
        (Skip::NotFirst, "only a click's first conversion is sent"),
        (Skip::NotApproved, "only approved conversions are sent"),
        (
            Skip::Share {
                share: percent("33"),
                ordinal: 5,
            },
            "postback share 33% skips conversion 5",
        ),
    ];
    for (skip, message) in cases {
        assert_eq!(skip.to_string(), message);
    }
    assert_eq!(Level::Source.to_string(), "traffic source");
    assert_eq!(Level::Campaign.to_string(), "campaign");
}

#[test]
fn percentages_are_checked() {
    for bad in ["-1", "100.1", "1e2", "", "0.0000001", "abc"] {
        let err = bad.parse::<Percent>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "a percentage is a plain decimal from 0 to 100 with at most 6 decimal places"
        );
    }
    assert_eq!(percent("50.000").to_string(), "50");
    assert_eq!(percent("0.000001").get(), decimal("0.000001"));
}

#[test]
fn the_selection_borrows_its_templates() {
    // The selection borrows its templates from the settings.
    let source = level("source", true, StatusCase::None);
    let campaign = Settings::default();
    let conversion = Conversion::new(1, decimal("1"));
    let selection = select(&source, &campaign, &conversion);
    let fired: Vec<_> = selection.fired().collect();
    assert!(std::ptr::eq(
        fired[0].template,
        source.postback.as_ref().unwrap()
    ));
}

#[cfg(feature = "serde")]
#[test]
fn settings_round_trip_through_json() {
    let settings = Settings {
        postback: Some(template(
            "https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}&value={payout}",
        )),
        status_postbacks: vec![StatusPostback {
            status: "sale".into(),
            postback: template("https://t.example/sale?id={externalid}"),
        }],
        rules: Vec::new(),
        send: Some(SendMode::Approved),
        postback_share: Some(percent("50")),
        payout_share: Some(percent("33.3")),
    };
    let json = serde_json::to_string(&settings).unwrap();
    assert_eq!(
        json,
        r#"{"postback":"https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}&value={payout}","status_postbacks":[{"status":"sale","postback":"https://t.example/sale?id={externalid}"}],"send":"approved","postback_share":"50","payout_share":"33.3"}"#
    );
    let back: Settings = serde_json::from_str(&json).unwrap();
    assert_eq!(back, settings);
    // Every field is optional, and shares may be strings or whole JSON numbers...
    let sparse: Settings =
        serde_json::from_str(r#"{"payout_share": "12.5", "postback_share": 50}"#).unwrap();
    assert_eq!(sparse.payout_share, Some(percent("12.5")));
    assert_eq!(sparse.postback_share, Some(percent("50")));
    // ... but not numbers with a fraction, which a JSON parser reads as binary floats.
    let err = serde_json::from_str::<Settings>(r#"{"payout_share": 12.5}"#).unwrap_err();
    assert!(err.to_string().contains("(here 12.5)"), "{err}");
    assert_eq!(
        serde_json::from_str::<Settings>("{}").unwrap(),
        Settings::default()
    );
    // Bad values are errors with the reason.
    let err = serde_json::from_str::<Settings>(r#"{"payout_share": "150"}"#).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("a percentage is a plain decimal from 0 to 100"),
        "{err}"
    );
    let err =
        serde_json::from_str::<Settings>(r#"{"postback": "https://x/{clikid}"}"#).unwrap_err();
    assert!(
        err.to_string().contains(r#"did you mean "clickid"?"#),
        "{err}"
    );
}

/// A host whose click type answers `{payout}` itself reports the payout `select` decided, not
/// its own: the payout share is applied, modifiers on `{payout}` included, at both levels.
#[test]
fn a_fired_postback_expands_at_its_own_payout() {
    use postback::{Token, TokenSource, Value};

    struct Conv<'a> {
        external_id: &'a str,
        payout: Decimal,
    }
    impl TokenSource for Conv<'_> {
        fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
            match token {
                Token::ExternalId => Some(Value::Str(self.external_id)),
                Token::Payout => Some(Value::Decimal(self.payout)),
                _ => None,
            }
        }
    }
    let source = Settings::with_postback(template(
        "https://s.magsrv.com/tag.php?tag={externalid}&value={payout}",
    ));
    let campaign = Settings {
        payout_share: Some(percent("50")),
        ..Settings::with_postback(template(
            "https://s2s.example/pb?c={externalid}&v={payout|round:2}&p={payout|percent:10}",
        ))
    };
    let host = Conv {
        external_id: "ex 1",
        payout: decimal("0.35"),
    };
    let selection = select(&source, &campaign, &Conversion::new(1, host.payout));
    let sent: Vec<String> = selection
        .fired()
        .map(|fire| fire.try_expand(&host).unwrap())
        .collect();
    assert_eq!(
        sent,
        [
            "https://s.magsrv.com/tag.php?tag=ex%201&value=0.175",
            "https://s2s.example/pb?c=ex%201&v=0.18&p=0.0175",
        ]
    );
    // Every entry point agrees.
    for fire in selection.fired() {
        let mut out = String::from(">");
        fire.try_expand_into(&host, &mut out).unwrap();
        assert_eq!(out[1..], fire.try_expand(&host).unwrap());
        assert_eq!(fire.expand(&host), fire.try_expand(&host).unwrap());
        assert_eq!(
            fire.template.expand(&fire.values(&host)),
            fire.expand(&host)
        );
    }
}
