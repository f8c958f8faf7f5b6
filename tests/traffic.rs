//! Traffic sources: checking, the campaign link, click capture, presets and the Keitaro import.

use postback::select::{Settings, StatusPostback};
use postback::traffic::presets::{self, GoalIdError, GoalValue};
use postback::traffic::{
    CaptureError, CaptureErrorKind, Click, Field, LinkError, Param, Parts, PostbackErrorKind,
    PostbackField, SlotParam, SourceError, TrafficSource,
};
use postback::{Slot, Template, Token, TokenSource, Value};

const GOAL: &str = "4f1b2c3d4e5f60718293a4b5c6d7e8f9";

fn slot(n: u8) -> Slot {
    Slot::new(n).unwrap()
}

fn exoclick() -> TrafficSource {
    presets::exoclick(GOAL, GoalValue::Dynamic).unwrap()
}

/// A network with every kind of parameter, its names chosen to test the edges.
fn network() -> TrafficSource {
    TrafficSource::new(Parts {
        name: "Example".into(),
        click_id: Some(Param::new("cid", "[CLICK_ID]")),
        cost: Some(Param::new("cost", "[PRICE]")),
        params: vec![
            SlotParam::new("zone", "[ZONE]", slot(2)),
            SlotParam::new("server node", "%NODE%", slot(5)),
            SlotParam::new("cur", "usd", slot(7)),
        ],
        settings: Settings::with_postback(template(
            "https://net.example/pb?c={externalid}&z={tName:zone}&p={clickcost}",
        )),
        ..Parts::default()
    })
    .unwrap()
}

fn template(text: &str) -> Template<'static> {
    text.parse().unwrap()
}

#[track_caller]
fn source_error(parts: Parts) -> String {
    TrafficSource::new(parts).unwrap_err().to_string()
}

/// The click's cost, captured from the campaign link, goes back beside the payout the
/// selection decided, under the network's name for it (TrafficStars' `price`, ExoClick's
/// `cpa`), and the payout share leaves it whole.
#[test]
fn the_click_cost_goes_beside_the_payout() {
    use postback::Decimal;
    use postback::select::{Conversion, Percent, select};

    let mut settings = Settings::with_postback(template(
        "https://tsyndicate.example/conv?key={externalid}&value={payout}&price={clickcost}",
    ));
    settings.payout_share = Some(Percent::new(Decimal::from(50)).unwrap());
    let source = TrafficSource::new(Parts {
        name: "TrafficStars".into(),
        click_id: Some(Param::new("externalid", "{click_id}")),
        cost: Some(Param::new("cost", "{cost}")),
        params: vec![],
        settings,
        ..Parts::default()
    })
    .unwrap();
    let click = source.capture("externalid=ts-1&cost=0.0042").unwrap();
    let conversion = Conversion::new(1, "3.30".parse().unwrap());
    let campaign = Settings::default();
    let selection = select(source.settings(), &campaign, &conversion);
    let fired: Vec<_> = selection.fired().collect();
    assert_eq!(fired.len(), 1);
    assert_eq!(
        fired[0].expand(&click),
        "https://tsyndicate.example/conv?key=ts-1&value=1.65&price=0.0042"
    );
}

#[test]
fn public_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<TrafficSource>();
    send_sync::<Parts>();
    send_sync::<Param>();
    send_sync::<SlotParam>();
    send_sync::<Click<'_>>();
    send_sync::<presets::Preset>();
    send_sync::<postback::traffic::keitaro::Entry>();
    send_sync::<postback::traffic::keitaro::Issue>();
}

#[test]
fn errors_are_std_errors() {
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    error::<SourceError>();
    error::<LinkError>();
    error::<CaptureError>();
    error::<GoalIdError>();
    error::<postback::traffic::keitaro::ImportError>();
}

mod checks {
    use super::*;

    fn parts() -> Parts {
        network().into_parts()
    }

    #[test]
    fn a_valid_source_round_trips_through_its_parts() {
        let source = network();
        assert_eq!(
            TrafficSource::new(source.clone().into_parts()).unwrap(),
            source
        );
        assert_eq!(source.slot_of("zone"), Some(slot(2)));
        assert_eq!(source.slot_of("cid"), None, "the click id has no slot");
        assert_eq!(source.param(slot(5)).unwrap().name, "server node");
        assert_eq!(source.param(slot(1)), None);
        // The postback's `{tName:zone}` is bound to `{t2}`, and still written as it was.
        let tokens: Vec<_> = source.postback().unwrap().tokens().collect();
        assert_eq!(
            tokens,
            [Token::ExternalId, Token::T(slot(2)), Token::ClickCost]
        );
        assert!(source.postback().unwrap().as_str().contains("{tName:zone}"));
    }

    #[test]
    fn every_rule_has_its_message() {
        let cases: Vec<(Parts, &str)> = vec![
            (
                Parts {
                    name: String::new(),
                    ..parts()
                },
                "traffic source name is empty",
            ),
            (
                Parts {
                    params: (1..=11)
                        .map(|n| SlotParam::new(format!("p{n}"), "{x}", slot(n.min(10))))
                        .collect(),
                    settings: Settings::default(),
                    ..parts()
                },
                "11 parameters; a traffic source has at most 10, one per slot t1..t10",
            ),
            (
                Parts {
                    cost: Some(Param::new("", "[PRICE]")),
                    ..parts()
                },
                "parameter name is empty (at cost)",
            ),
            (
                Parts {
                    click_id: Some(Param::new("cid", "")),
                    ..parts()
                },
                r#"macro of parameter "cid" is empty (at click_id)"#,
            ),
            (
                Parts {
                    params: vec![SlotParam::new("zone", "{zone id}", slot(2))],
                    ..parts()
                },
                r#"macro "{zone id}" of parameter "zone" has ' ' at byte 5; a macro holds no whitespace, control character or '&' (at params[0])"#,
            ),
            (
                Parts {
                    params: vec![SlotParam::new("zone", "{a}&b={b}", slot(2))],
                    ..parts()
                },
                r#"macro "{a}&b={b}" of parameter "zone" has '&' at byte 3; a macro holds no whitespace, control character or '&' (at params[0])"#,
            ),
            (
                Parts {
                    params: vec![
                        SlotParam::new("zone", "[ZONE]", slot(2)),
                        SlotParam::new("cid", "[CID]", slot(3)),
                    ],
                    ..parts()
                },
                r#"parameter name "cid" is used twice (at click_id and params[1])"#,
            ),
            (
                Parts {
                    params: vec![
                        SlotParam::new("zone", "[ZONE]", slot(2)),
                        SlotParam::new("site", "[SITE]", slot(2)),
                    ],
                    ..parts()
                },
                "slot t2 is used twice (at params[0] and params[1])",
            ),
            (
                Parts {
                    settings: Settings::with_postback(template(
                        "https://net.example/pb?s={tName:site}",
                    )),
                    ..parts()
                },
                r#"postback: token "tName:site" at bytes 25..37 names no parameter of the source"#,
            ),
            (
                Parts {
                    settings: Settings::with_postback(template("https://net.example/pb?s={t3}")),
                    ..parts()
                },
                r#"postback: token "t3" at bytes 25..29 reads slot t3, which no parameter fills"#,
            ),
            (
                Parts {
                    click_id: None,
                    ..parts()
                },
                r#"postback: token "externalid" at bytes 25..37 reads the click id, but the source has no click-id parameter"#,
            ),
            (
                Parts {
                    cost: None,
                    ..parts()
                },
                r#"postback: token "clickcost" at bytes 55..66 reads the click cost, but the source has no cost parameter"#,
            ),
            (
                Parts {
                    settings: Settings {
                        status_postbacks: vec![StatusPostback {
                            status: "sale".into(),
                            postback: template("https://net.example/sale?s={tName:site}"),
                        }],
                        ..parts().settings
                    },
                    ..parts()
                },
                r#"status_postbacks[0] ("sale"): token "tName:site" at bytes 27..39 names no parameter of the source"#,
            ),
            (
                Parts {
                    settings: Settings {
                        rules: vec![
                            postback::select::Rule::new(
                                "zones",
                                template("https://net.example/z?z={tName:zone}"),
                            ),
                            postback::select::Rule::new(
                                "sites",
                                template("https://net.example/s?s={tName:site}"),
                            ),
                        ],
                        ..parts().settings
                    },
                    ..parts()
                },
                r#"rules[1] ("sites"): token "tName:site" at bytes 24..36 names no parameter of the source"#,
            ),
        ];
        for (parts, message) in cases {
            assert_eq!(source_error(parts), message);
        }
    }

    /// The source's postbacks live in its settings, all of them bound and checked; a
    /// campaign's settings are bound and checked against the source in one call.
    #[test]
    fn every_template_of_a_level_is_bound_and_checked() {
        let source = TrafficSource::new(Parts {
            settings: Settings {
                status_postbacks: vec![StatusPostback {
                    status: "sale".into(),
                    postback: template("https://net.example/sale?z={tName:zone}&c={externalid}"),
                }],
                ..parts().settings
            },
            ..parts()
        })
        .unwrap();
        let sale = &source.settings().status_postbacks[0].postback;
        assert_eq!(sale.tokens().next(), Some(Token::T(slot(2))), "bound");

        let mut campaign = Settings {
            status_postbacks: vec![
                StatusPostback {
                    status: "lead".into(),
                    postback: template("https://s2s.example/lead?z={tName:zone}"),
                },
                StatusPostback {
                    status: "sale".into(),
                    postback: template("https://s2s.example/sale?z={tName:zone}&s={t9}"),
                },
            ],
            ..Settings::with_postback(template("https://s2s.example/pb?c={tName:cur}"))
        };
        let err = source.bind(&mut campaign).unwrap_err();
        assert_eq!(
            err.field(),
            &PostbackField::StatusPostback {
                index: 1,
                status: "sale".into()
            }
        );
        assert_eq!(
            (err.token(), err.span().range(), err.kind()),
            ("t9", 42..46, PostbackErrorKind::EmptySlot(slot(9)))
        );
        assert_eq!(
            err.to_string(),
            r#"status_postbacks[1] ("sale"): token "t9" at bytes 42..46 reads slot t9, which no parameter fills"#
        );
        // What came before the problem is bound.
        let postback = campaign.postback.as_ref().unwrap();
        assert_eq!(postback.tokens().collect::<Vec<_>>(), [Token::T(slot(7))]);
        assert_eq!(
            campaign.status_postbacks[0]
                .postback
                .tokens()
                .collect::<Vec<_>>(),
            [Token::T(slot(2))]
        );
        campaign.status_postbacks.pop();
        source.bind(&mut campaign).unwrap();
        // An unknown name is reported as the token is written, modifiers and all.
        let mut campaign =
            Settings::with_postback(template("https://s2s.example/pb?s={tName:site|upper}"));
        let err = source.bind(&mut campaign).unwrap_err();
        assert_eq!(
            (err.field(), err.token()),
            (&PostbackField::Postback, "tName:site|upper")
        );
    }

    #[test]
    fn errors_say_which_parameter() {
        let err = TrafficSource::new(Parts {
            params: vec![
                SlotParam::new("zone", "[ZONE]", slot(2)),
                SlotParam::new("site", "[SITE]", slot(4)),
                SlotParam::new("", "[X]", slot(6)),
            ],
            ..parts()
        })
        .unwrap_err();
        assert_eq!(
            err,
            SourceError::EmptyParamName {
                at: Field::Param(2)
            }
        );
    }

    #[test]
    fn a_source_needs_no_click_id_without_a_postback() {
        let source = TrafficSource::new(Parts {
            name: "Display network".into(),
            params: vec![SlotParam::new("site", "{site}", slot(1))],
            ..Parts::default()
        })
        .unwrap();
        assert_eq!(source.click_id(), None);
        assert_eq!(
            source.campaign_link("https://trk.example/c/k").unwrap(),
            "https://trk.example/c/k?site={site}"
        );
    }
}

mod links {
    use super::*;

    #[test]
    fn macros_are_left_as_the_network_writes_them() {
        let link = network()
            .campaign_link("https://trk.example/c/abc123")
            .unwrap();
        assert_eq!(
            link,
            "https://trk.example/c/abc123?cid=[CLICK_ID]&cost=[PRICE]&zone=[ZONE]&server%20node=%NODE%&cur=usd"
        );
    }

    #[test]
    fn the_click_url_keeps_its_query_and_fragment() {
        let source = network();
        let tail = "cid=[CLICK_ID]&cost=[PRICE]&zone=[ZONE]&server%20node=%NODE%&cur=usd";
        for (click_url, expected) in [
            (
                "https://t.example/c/k?",
                format!("https://t.example/c/k?{tail}"),
            ),
            (
                "https://t.example/c/k?a=1",
                format!("https://t.example/c/k?a=1&{tail}"),
            ),
            (
                "https://t.example/c/k?a=1&",
                format!("https://t.example/c/k?a=1&{tail}"),
            ),
            (
                "https://t.example/c/k#top",
                format!("https://t.example/c/k?{tail}#top"),
            ),
            (
                "https://t.example/c/k?a=1#x?y=2",
                format!("https://t.example/c/k?a=1&{tail}#x?y=2"),
            ),
        ] {
            assert_eq!(
                source.campaign_link(click_url).unwrap(),
                expected,
                "{click_url}"
            );
        }
    }

    #[test]
    fn a_parameter_of_the_source_in_the_click_url_is_refused() {
        let source = network();
        let err = source
            .campaign_link("https://t.example/c/k?a=1&cid=7#x")
            .unwrap_err();
        assert_eq!((err.name(), err.span().range()), ("cid", 26..31));
        // Spelled percent-encoded, it is the same parameter.
        let err = source
            .campaign_link("https://t.example/c/k?server+node=1")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"the click URL already has the parameter "server node" at bytes 22..35, which would hide the network's value"#
        );
        // In the fragment, it is not a parameter.
        assert!(source.campaign_link("https://t.example/c/k#cid=7").is_ok());
    }
}

mod capture {
    use super::*;

    #[test]
    fn values_are_decoded_into_their_slots() {
        let source = network();
        let query = "cid=c%2B1+2&cost=0.0031&zone=z%C3%A9&server%20node=n1&cur=usd&other=%zz";
        let click = source.capture(query).unwrap();
        assert_eq!(click.external_id(), Some("c+1 2"));
        assert_eq!(click.cost(), Some("0.0031"));
        assert_eq!(click.get(slot(2)), Some("zé"));
        assert_eq!(click.by_name("server node"), Some("n1"));
        // A constant "macro" is a value.
        assert_eq!(click.get(slot(7)), Some("usd"));
        assert_eq!(click.unfilled().count(), 0);
    }

    /// A click id must never be lost: capture takes what a web server hands over, the request
    /// target (`tiny_http`'s `Request::url()`), a full URL, or the bare query.
    #[test]
    fn capture_takes_a_url_a_path_or_a_query() {
        let source = exoclick();
        for url in [
            "externalid=ok&zoneid=1",
            "?externalid=ok&zoneid=1",
            "/c/abc?externalid=ok&zoneid=1",
            "/c/a=b/&c?externalid=ok&zoneid=1#frag",
            "c/abc?externalid=ok&zoneid=1",
            "c/id=5/x?externalid=ok&zoneid=1",
            "https://trk.example/c/abc?externalid=ok&zoneid=1",
            "HTTP://trk.example:8080/c?externalid=ok&zoneid=1#x",
            "https://trk.example/c/a=b?externalid=ok&zoneid=1",
        ] {
            let click = source.capture(url).unwrap();
            assert_eq!(click.external_id(), Some("ok"), "{url}");
            assert_eq!(click.get(slot(1)), Some("1"), "{url}");
        }
        // `?` inside a bare query's value is the value's.
        let click = source.capture("externalid=a?b&zoneid=1").unwrap();
        assert_eq!(click.external_id(), Some("a?b"));
        // A URL or a path without a query has no values.
        for url in [
            "/c/abc",
            "https://trk.example/c/abc?",
            "https://trk.example/c/abc#?externalid=x",
        ] {
            assert_eq!(source.capture(url).unwrap().external_id(), None, "{url}");
        }
        // Spans are in bytes of what was given.
        let url = "/c/abc?zoneid=1&externalid=ab%zz";
        let err = source.capture(url).unwrap_err();
        assert_eq!(&url[err.span().range()], "%zz");
    }

    /// A click is stored at click time and expanded from at conversion time: its record owns
    /// its values, goes through serde, and answers as the click did.
    #[test]
    fn a_record_answers_as_the_click_did() {
        let source = network();
        let click = source
            .capture("/c/k?cid=c%2B1&cost=0.5&zone=z%C3%A9&server%20node=%25NODE%25&cur=usd")
            .unwrap();
        let record = click.record();
        let postback = source.postback().unwrap();
        assert_eq!(
            postback.try_expand(&record).unwrap(),
            postback.try_expand(&click).unwrap()
        );
        assert_eq!(record.external_id(), Some("c+1"));
        assert_eq!(record.by_name("zone"), Some("zé"));
        assert_eq!(record.get(slot(7)), Some("usd"));
        assert_eq!(record.params().len(), 2);
        for token in [
            Token::ExternalId,
            Token::ClickCost,
            Token::T(slot(2)),
            Token::T(slot(5)),
            Token::TName("zone"),
            Token::TName("server node"),
            Token::Payout,
        ] {
            assert_eq!(record.value(&token), click.value(&token), "{token}");
        }
        assert_eq!(
            record.unfilled().collect::<Vec<_>>(),
            click.unfilled().collect::<Vec<_>>()
        );
        #[cfg(feature = "serde")]
        {
            let json = serde_json::to_string(&record).unwrap();
            assert_eq!(
                json,
                r#"{"external_id":"c+1","cost":"0.5","params":[{"name":"zone","slot":2,"value":"zé"},{"name":"cur","slot":7,"value":"usd"}],"unfilled":["server node"]}"#
            );
            let back: postback::traffic::ClickRecord = serde_json::from_str(&json).unwrap();
            assert_eq!(back, record);
            let empty: postback::traffic::ClickRecord = serde_json::from_str("{}").unwrap();
            assert_eq!(empty.external_id(), None);
        }
    }

    #[test]
    fn values_that_need_no_decoding_are_borrowed() {
        let source = network();
        let query = String::from("?cid=abc&zone=a%20b#frag");
        let click = source.capture(&query).unwrap();
        let within = |text: &str| query.as_bytes().as_ptr_range().contains(&text.as_ptr());
        assert!(within(click.external_id().unwrap()));
        assert!(!within(click.get(slot(2)).unwrap()));
    }

    #[test]
    fn the_first_of_repeated_parameters_wins() {
        let source = network();
        let click = source
            .capture("cid=first&zone=1&cid=second&cid=%zz")
            .unwrap();
        assert_eq!(click.external_id(), Some("first"));
        // A repeat after an unfilled macro does not fill it either.
        let click = source.capture("cid=[CLICK_ID]&cid=second").unwrap();
        assert_eq!(click.external_id(), None);
    }

    #[test]
    fn an_unfilled_macro_is_missing() {
        let source = network();
        for query in [
            "cid=[CLICK_ID]&server%20node=%NODE%",
            "cid=%5BCLICK_ID%5D&server+node=%25NODE%25",
        ] {
            let click = source.capture(query).unwrap();
            assert_eq!(click.external_id(), None, "{query}");
            assert_eq!(click.by_name("server node"), None, "{query}");
            assert_eq!(
                click.unfilled().collect::<Vec<_>>(),
                ["cid", "server node"],
                "{query}"
            );
        }
        let exoclick = exoclick();
        let click = exoclick
            .capture("externalid={conversions_tracking}")
            .unwrap();
        assert_eq!(click.external_id(), None);
    }

    #[test]
    fn empty_and_absent_values_are_missing() {
        let source = network();
        let click = source.capture("cid=&zone&=x&&").unwrap();
        assert_eq!((click.external_id(), click.get(slot(2))), (None, None));
        assert_eq!(click.unfilled().count(), 0);
        let click = source.capture("").unwrap();
        assert_eq!(click.external_id(), None);
    }

    #[track_caller]
    fn capture_error(query: &str) -> CaptureError {
        network().capture(query).unwrap_err()
    }

    #[test]
    fn malformed_values_are_typed_errors() {
        for (query, kind, found, span, message) in [
            (
                "zone=1&cid=ab%zz",
                CaptureErrorKind::BadEscape,
                "%zz",
                13..16,
                r#"malformed percent escape "%zz" at bytes 13..16 in the value of "cid""#,
            ),
            (
                "?cid=ab%",
                CaptureErrorKind::BadEscape,
                "%",
                7..8,
                r#"malformed percent escape "%" at bytes 7..8 in the value of "cid""#,
            ),
            (
                "cost=1%2",
                CaptureErrorKind::BadEscape,
                "%2",
                6..8,
                r#"malformed percent escape "%2" at bytes 6..8 in the value of "cost""#,
            ),
            (
                "server+node=x%C3%28",
                CaptureErrorKind::InvalidUtf8,
                "%C3",
                13..16,
                r#"percent escapes "%C3" at bytes 13..16 in the value of "server node" do not decode to UTF-8"#,
            ),
            (
                "cid=%E2%82",
                CaptureErrorKind::InvalidUtf8,
                "%E2%82",
                4..10,
                r#"percent escapes "%E2%82" at bytes 4..10 in the value of "cid" do not decode to UTF-8"#,
            ),
        ] {
            let err = capture_error(query);
            assert_eq!(err.kind(), kind, "{query}");
            assert_eq!(
                (err.found(), err.span().range()),
                (found, span.clone()),
                "{query}"
            );
            assert_eq!(&query[span], found, "{query}");
            assert_eq!(err.to_string(), message, "{query}");
        }
        assert_eq!(capture_error("cid=%zz").name(), "cid");
    }

    #[test]
    fn a_click_is_a_token_source() {
        let source = network();
        let click = source.capture("cid=c1&cost=0.5&zone=z9").unwrap();
        assert_eq!(click.value(&Token::ExternalId), Some(Value::Str("c1")));
        assert_eq!(click.value(&Token::ClickCost), Some(Value::Str("0.5")));
        assert_eq!(click.value(&Token::T(slot(2))), Some(Value::Str("z9")));
        assert_eq!(click.value(&Token::TName("zone")), Some(Value::Str("z9")));
        assert_eq!(click.value(&Token::TName("cid")), None);
        assert_eq!(click.value(&Token::T(slot(5))), None);
        assert_eq!(click.value(&Token::ClickId), None);
        // An unbound `{tName:zone}` expands through the click too.
        let campaign =
            Template::parse("https://s2s.example/?z={tName:zone}&c={externalid}").unwrap();
        assert_eq!(campaign.expand(&click), "https://s2s.example/?z=z9&c=c1");
        assert_eq!(
            source.postback().unwrap().try_expand(&click).unwrap(),
            "https://net.example/pb?c=c1&z=z9&p=0.5"
        );
    }

    #[test]
    fn debug_shows_the_values() {
        let source = network();
        let click = source
            .capture("cid=c1&zone=z9&server+node=%25NODE%25")
            .unwrap();
        assert_eq!(
            format!("{click:?}"),
            r#"Click { source: "Example", external_id: Some("c1"), cost: None, slots: [(2, "z9")], unfilled: ["server node"] }"#
        );
    }
}

mod exoclick {
    use super::*;

    #[test]
    fn postbacks_by_goal_value() {
        for (value, tail) in [
            (GoalValue::NoValue, ""),
            (GoalValue::Fixed, ""),
            (GoalValue::Dynamic, "&value={payout}"),
        ] {
            let source = presets::exoclick(GOAL, value).unwrap();
            assert_eq!(
                source.postback().unwrap().as_str(),
                format!("https://s.magsrv.com/tag.php?goal={GOAL}&tag={{externalid}}{tail}")
            );
        }
    }

    #[test]
    fn the_source() {
        let source = exoclick();
        assert_eq!(source.name(), "ExoClick");
        assert_eq!(
            source.click_id(),
            Some(&Param::new("externalid", "{conversions_tracking}"))
        );
        assert_eq!(source.cost(), None);
        let params: Vec<_> = source
            .params()
            .iter()
            .map(|p| (p.slot.get(), p.name.as_str(), p.placeholder.as_str()))
            .collect();
        assert_eq!(
            params,
            [
                (1, "zoneid", "{zone_id}"),
                (2, "siteid", "{site_id}"),
                (3, "campaignid", "{campaign_id}"),
                (4, "variationid", "{variation_id}"),
                (5, "hostname", "{src_hostname}"),
                (6, "categoryid", "{category_id}"),
            ]
        );
    }

    #[test]
    fn goal_ids_are_checked() {
        let upper = presets::exoclick(&GOAL.to_uppercase(), GoalValue::NoValue).unwrap();
        assert!(upper.postback().unwrap().as_str().contains(GOAL), "lowered");
        let thirty_one_and_e_acute = format!("{}é", &GOAL[..31]);
        for (goal_id, message) in [
            ("", r#"goal id "" has 0 characters"#),
            ("4f1b", r#"goal id "4f1b" has 4 characters"#),
            (
                &format!("{GOAL}0"),
                r#"goal id "4f1b2c3d4e5f60718293a4b5c6d7e8f90" has 33 characters"#,
            ),
            (
                "4f1b2c3d4e5f6071g293a4b5c6d7e8f9",
                r#"goal id "4f1b2c3d4e5f6071g293a4b5c6d7e8f9" has 'g' at byte 16"#,
            ),
            (
                " 4f1b2c3d4e5f60718293a4b5c6d7e8f",
                r#"goal id " 4f1b2c3d4e5f60718293a4b5c6d7e8f" has ' ' at byte 0"#,
            ),
            (
                &thirty_one_and_e_acute,
                r#"goal id "4f1b2c3d4e5f60718293a4b5c6d7e8fé" has 'é' at byte 31"#,
            ),
        ] {
            let err = presets::exoclick(goal_id, GoalValue::Dynamic).unwrap_err();
            assert_eq!(err.goal_id(), goal_id);
            assert_eq!(
                err.to_string(),
                format!("{message}; an ExoClick goal id is 32 hexadecimal digits")
            );
        }
    }
}

#[cfg(feature = "serde")]
mod serde {
    use super::*;
    use postback::traffic::presets::{JSON, Preset};

    #[track_caller]
    fn from_json(json: &str) -> Result<TrafficSource, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn a_source_round_trips_through_json() {
        for source in [exoclick(), network()] {
            let json = serde_json::to_string(&source).unwrap();
            assert_eq!(from_json(&json).unwrap(), source, "{json}");
        }
        let json = serde_json::to_string(&exoclick()).unwrap();
        assert_eq!(
            json,
            format!(
                r#"{{"name":"ExoClick","click_id":{{"name":"externalid","macro":"{{conversions_tracking}}"}},"params":[{{"name":"zoneid","macro":"{{zone_id}}","slot":1}},{{"name":"siteid","macro":"{{site_id}}","slot":2}},{{"name":"campaignid","macro":"{{campaign_id}}","slot":3}},{{"name":"variationid","macro":"{{variation_id}}","slot":4}},{{"name":"hostname","macro":"{{src_hostname}}","slot":5}},{{"name":"categoryid","macro":"{{category_id}}","slot":6}}],"postback":"https://s.magsrv.com/tag.php?goal={GOAL}&tag={{externalid}}&value={{payout}}","delivery":{{"answers":[{{"name":"ok","status":200,"body":{{"exact":"OK"}},"outcome":"delivered"}},{{"name":"already notified","status":200,"body":{{"prefix":"ERROR: This conversion has already been notified"}},"outcome":"duplicate"}},{{"name":"error","status":200,"body":{{"prefix":"ERROR:"}},"outcome":"permanent"}}]}}}}"#
            )
        );
    }

    /// The source's settings are read beside its parameters, and checked and bound with them.
    #[test]
    fn a_sources_settings_are_its_own_fields() {
        let json = r#"{
            "name": "Net",
            "click_id": {"name": "cid", "macro": "[CID]"},
            "params": [{"name": "zone", "macro": "[Z]", "slot": 3}],
            "postback": "https://net.example/pb?c={externalid}",
            "status_postbacks": [{"status": "sale", "postback": "https://net.example/sale?z={tName:zone}"}],
            "send": "first",
            "payout_share": "50"
        }"#;
        let source = from_json(json).unwrap();
        let settings = source.settings();
        assert_eq!(settings.send, Some(postback::select::SendMode::First));
        assert_eq!(settings.payout_share, Some("50".parse().unwrap()));
        let sale = &settings.status_postbacks[0].postback;
        assert_eq!(sale.tokens().next(), Some(Token::T(slot(3))));
        let back = from_json(&serde_json::to_string(&source).unwrap()).unwrap();
        assert_eq!(back, source);
        let bad = json.replace("{tName:zone}", "{tName:site}");
        assert_eq!(
            from_json(&bad).unwrap_err(),
            r#"status_postbacks[0] ("sale"): token "tName:site" at bytes 27..39 names no parameter of the source"#
        );
    }

    /// serde_json adds the position to errors of the fields, not to those of the checks that
    /// run once the whole source is read.
    #[test]
    fn invalid_sources_do_not_deserialize() {
        for (json, message) in [
            (
                r#"{"name":"X","params":[{"name":"a","macro":"{a}","slot":1},{"name":"b","macro":"{b}","slot":1}]}"#,
                "slot t1 is used twice (at params[0] and params[1])",
            ),
            (
                r#"{"name":"X","params":[{"name":"a","macro":"{a}","slot":11}]}"#,
                "invalid value: integer `11`, expected a slot from 1 to 10 at line 1 column 58",
            ),
            (
                r#"{"name":"X","postback":"https://x.example/?z={tName:zone}"}"#,
                r#"postback: token "tName:zone" at bytes 21..33 names no parameter of the source"#,
            ),
            (
                r#"{"name":"X","postback":"https://x.example/?z={zone}"}"#,
                r#"unknown token "zone" at bytes 21..27 at line 1 column 52"#,
            ),
            (
                r#"{"name":"X","colour":"red"}"#,
                "unknown field `colour`, expected one of `name`, `click_id`, `cost`, `params`, `postback`, `status_postbacks`, `rules`, `send`, `postback_share`, `payout_share`, `delivery` at line 1 column 20",
            ),
        ] {
            assert_eq!(from_json(json).unwrap_err(), message, "{json}");
        }
    }

    #[test]
    fn every_preset_loads_and_is_valid() {
        let presets: Vec<Preset> = serde_json::from_str(JSON).unwrap();
        assert_eq!(presets.len(), 5);
        for preset in &presets {
            let source = &preset.source;
            assert!(!preset.reference.is_empty(), "{}", source.name());
            assert_eq!(
                &TrafficSource::new(source.clone().into_parts()).unwrap(),
                source
            );
            assert!(source.click_id().is_some(), "{}", source.name());
            let link = source.campaign_link("https://trk.example/c/k").unwrap();
            assert!(link.contains(&source.click_id().unwrap().placeholder));
            // A click that left every macro unfilled captures as missing, not as values.
            let query = link.split_once('?').unwrap().1;
            let click = source.capture(query).unwrap();
            assert_eq!(click.external_id(), None, "{}", source.name());
            assert_eq!(
                click.unfilled().count(),
                source.params().len() + 1 + source.cost().iter().count()
            );
        }
        // The list's ExoClick is the built-in one, without the goal's postback.
        let listed = presets[0].source.clone().into_parts();
        let built = exoclick().into_parts();
        assert_eq!(
            listed,
            Parts {
                settings: Settings::default(),
                ..built
            }
        );
    }
}

#[cfg(feature = "serde")]
mod keitaro {
    use super::*;
    use postback::traffic::keitaro::{Entry, ImportError, Issue, ParamIssue, TokenIssue, import};

    fn entries() -> Vec<Entry> {
        let json = include_str!("fixtures/keitaro_traffic_sources.json");
        serde_json::from_str(json).unwrap()
    }

    fn entry(name: &str) -> Entry {
        entries().into_iter().find(|e| e.name == name).unwrap()
    }

    #[track_caller]
    fn import_error(name: &str) -> ImportError {
        import(&entry(name)).unwrap_err()
    }

    #[test]
    fn counts() {
        let entries = entries();
        assert_eq!(entries.len(), 196);
        let results: Vec<_> = entries.iter().map(import).collect();
        let clean = results.iter().filter(|r| r.is_ok()).count();
        let errors: Vec<&ImportError> = results.iter().filter_map(|r| r.as_ref().err()).collect();
        assert_eq!((clean, errors.len()), (157, 39));
        // Every entry makes a source, clean or partial.
        assert!(errors.iter().all(|e| e.partial().is_some()));

        let only_params = errors
            .iter()
            .filter(|e| e.issues().iter().all(|i| matches!(i, Issue::Param { .. })))
            .count();
        assert_eq!(only_params, 18, "entries that keep their postback");
        let postbacks = results
            .iter()
            .filter_map(|r| match r {
                Ok(source) => source.postback(),
                Err(err) => err.partial()?.postback(),
            })
            .count();
        let with_postback = entries
            .iter()
            .filter(|e| !e.postback_url.is_empty())
            .count();
        assert_eq!((postbacks, with_postback), (105, 126));

        let entries_with = |pred: &dyn Fn(&Issue) -> bool| {
            errors
                .iter()
                .filter(|e| e.issues().iter().any(pred))
                .count()
        };
        let param = |reason: ParamIssue| move |i: &Issue| matches!(i, Issue::Param { reason: r, .. } if *r == reason);
        let token = |reason: TokenIssue| move |i: &Issue| matches!(i, Issue::Token { reason: r, .. } if *r == reason);
        assert_eq!(entries_with(&param(ParamIssue::NoSlot)), 22);
        assert_eq!(entries_with(&token(TokenIssue::StatusMapping)), 0);
        assert_eq!(entries_with(&token(TokenIssue::Unknown)), 17);
        assert_eq!(entries_with(&token(TokenIssue::NoSlot)), 1);
        assert_eq!(entries_with(&|i| matches!(i, Issue::Postback(_))), 4);
    }

    #[test]
    fn every_imported_source_links_and_round_trips() {
        for entry in entries() {
            let source = match import(&entry) {
                Ok(source) => source,
                Err(err) => err.into_partial().unwrap(),
            };
            source.campaign_link("https://trk.example/c/k").unwrap();
            let json = serde_json::to_string(&source).unwrap();
            let back: TrafficSource = serde_json::from_str(&json).unwrap();
            assert_eq!(back, source, "{}", entry.name);
        }
    }

    #[test]
    fn a_clean_import() {
        let source = import(&entry("50onredcom")).unwrap();
        assert_eq!(source.name(), "50onred.com");
        assert_eq!(
            source.click_id(),
            Some(&Param::new("external_id", "{click_id}"))
        );
        let params: Vec<_> = source
            .params()
            .iter()
            .map(|p| (p.slot.get(), p.name.as_str()))
            .collect();
        assert_eq!(
            params,
            [
                (1, "source"),
                (2, "ad_campaign_id"),
                (3, "creative_id"),
                (4, "keyword")
            ]
        );
        assert_eq!(
            source.postback().unwrap().as_str(),
            "https://www.trkjmp.com/conv?v=XXXXXX&c={externalid}&r={payout}"
        );
    }

    #[test]
    fn aliases_in_the_postback_become_slots() {
        let source = import(&entry("megapu_sh")).unwrap();
        assert_eq!(source.cost(), Some(&Param::new("cost", "{bid}")));
        assert_eq!(
            source.postback().unwrap().as_str(),
            "https://megapu.sh/pb?cid={externalid}&p={payout}&f={t1}&currency={cnv_currency}&source_id={t2}"
        );
        let params: Vec<_> = source
            .params()
            .iter()
            .map(|p| (p.slot.get(), p.name.as_str()))
            .collect();
        assert_eq!(
            params,
            [
                (1, "source"),
                (2, "sub_id_1"),
                (3, "ad_campaign_id"),
                (4, "currency")
            ]
        );
    }

    #[test]
    fn what_the_postback_reads_takes_slots_first() {
        let err = import_error("adsbigo_app");
        let left_out: Vec<_> = err
            .issues()
            .iter()
            .map(|i| match i {
                Issue::Param {
                    param,
                    reason: ParamIssue::NoSlot,
                    ..
                } => param.as_str(),
                other => panic!("{other}"),
            })
            .collect();
        assert_eq!(left_out, ["gaid", "ip", "os"]);
        let partial = err.partial().unwrap();
        assert_eq!(
            partial.postback().unwrap().as_str(),
            "https://attr.img-static.tech/attribution/apply/v2?appId={t1}&appKey=your-parameter&sid={externalid}&mappedIae=app_install&ad_ext={t2}"
        );
        assert_eq!(partial.slot_of("app_id"), Some(slot(1)));
        assert_eq!(partial.slot_of("ad_ext"), Some(slot(2)));
        assert_eq!(
            err.issues()[0].to_string(),
            r#"parameter "gaid" (sub_id_11, parameters[10]) is left out: the ten slots t1..t10 are taken"#
        );
    }

    #[test]
    fn a_status_mapping_becomes_a_map_of_the_status() {
        let source = import(&entry("adxad_com")).unwrap();
        assert_eq!(
            source.postback().unwrap().as_str(),
            "http://conv.adxadserv.com/?clickid={externalid}&payout={payout}&type={cnv_status|map:lead=1,sale=2}"
        );
        // Every spelling in the corpus: with or without a space, in any order, three pairs.
        for (mapping, expected) in [
            ("{status:lead=0 sale=1}", "{cnv_status|map:lead=0,sale=1}"),
            (
                "{status: rejected=-1 lead=reg sale=dep}",
                "{cnv_status|map:rejected=-1,lead=reg,sale=dep}",
            ),
            (
                "{status: lead=Registration sale=FirstDeposit}",
                "{cnv_status|map:lead=Registration,sale=FirstDeposit}",
            ),
        ] {
            let entry = Entry {
                postback_url: format!("https://n.example/pb?s={mapping}"),
                ..entry("adxad_com")
            };
            let postback = import(&entry).unwrap().postback().unwrap().to_string();
            assert_eq!(postback, format!("https://n.example/pb?s={expected}"));
        }
        // What `map` cannot hold is reported, and the postback left out.
        for mapping in [
            "{status: lead}",
            "{status: lead=a,b}",
            "{status: =1}",
            "{status:}",
            "{status: a=b=c}",
        ] {
            let entry = Entry {
                postback_url: format!("https://n.example/pb?s={mapping}"),
                ..entry("adxad_com")
            };
            let err = import(&entry).unwrap_err();
            assert!(
                matches!(
                    &err.issues()[0],
                    Issue::Token {
                        reason: TokenIssue::StatusMapping,
                        ..
                    }
                ),
                "{mapping}: {err}"
            );
            assert_eq!(err.partial().unwrap().postback(), None);
        }
        // The mapped postback sends the network's names.
        let template = source.postback().unwrap();
        let sale = [("externalid", "x"), ("payout", "1"), ("cnv_status", "sale")];
        assert!(template.expand(&sale).ends_with("&type=2"));
    }

    /// Keitaro's dates, in PHP's letters, become `date` modifiers of `{cnv_time}`; a letter
    /// no specifier writes is reported, and the postback left out.
    #[cfg(feature = "time")]
    #[test]
    fn dates_map_to_the_date_modifier() {
        for (date, expected) in [
            (
                "{date:Y-m-d H:i:s,Europe/Kyiv}",
                "{cnv_time|date:%Y-%m-%d %H:%M:%S,Europe/Kyiv}",
            ),
            ("{date:U}", "{cnv_time|date:unix}"),
            ("{date:d.m.Y}", "{cnv_time|date:%d.%m.%Y}"),
            ("{date:j/n/y G:i A}", "{cnv_time|date:%-d/%-m/%y %-H:%M %p}"),
            ("{date:D, d M Y}", "{cnv_time|date:%a, %d %b %Y,UTC}"),
            (
                "{date:c, +03:00}",
                "{cnv_time|date:%Y-%m-%dT%H:%M:%S%:z,+03:00}",
            ),
            ("{date:\\Y\\m Y%}", "{cnv_time|date:Ym %Y%%}"),
            ("{date:U,UTC}", "{cnv_time|date:unix,UTC}"),
        ] {
            let entry = Entry {
                postback_url: format!("https://n.example/pb?at={date}"),
                ..entry("adxad_com")
            };
            let source = import(&entry).unwrap_or_else(|err| panic!("{date}: {err}"));
            let postback = source.postback().unwrap().to_string();
            assert_eq!(postback, format!("https://n.example/pb?at={expected}"));
        }
        let kyiv = Entry {
            postback_url: "https://n.example/pb?at={date:Y-m-d H:i:s,Europe/Kyiv}".into(),
            ..entry("adxad_com")
        };
        let template = import(&kyiv).unwrap().postback().unwrap().clone();
        assert_eq!(
            template.expand(&[("cnv_time", Value::Int(1_796_276_083))]),
            "https://n.example/pb?at=2026-12-03%2007%3A34%3A43"
        );
        // An escaped `|` would start a modifier all the same (`\|\r\a\w` would be `|raw`).
        for date in [
            "{date:jS F}",
            "{date:z}",
            "{date:Y|m}",
            "{date:Y\\}",
            "{date:Y\\|\\r\\a\\w}",
            "{date:Y\\|\\l\\o\\w\\e\\r}",
        ] {
            let entry = Entry {
                postback_url: format!("https://n.example/pb?at={date}"),
                ..entry("adxad_com")
            };
            let err = import(&entry).unwrap_err();
            assert!(
                matches!(
                    &err.issues()[0],
                    Issue::Token {
                        reason: TokenIssue::DateFormat,
                        ..
                    }
                ),
                "{date}: {err}"
            );
            assert!(
                err.to_string().contains("a date format with a letter"),
                "{err}"
            );
            assert_eq!(err.partial().unwrap().postback(), None);
        }
        // A zone this crate does not know is the template's error.
        let mars = Entry {
            postback_url: "https://n.example/pb?at={date:Y,Mars/Olympus}".into(),
            ..entry("adxad_com")
        };
        let err = import(&mars).unwrap_err();
        assert!(matches!(&err.issues()[0], Issue::Template(_)), "{err}");
    }

    #[test]
    fn a_typo_is_an_unknown_token() {
        let err = import_error("mobivion_com");
        assert_eq!(
            err.issues(),
            [Issue::Token {
                token: "{externa_id}".into(),
                span: postback::Span::new(39, 51),
                reason: TokenIssue::Unknown,
            }]
        );
    }

    #[test]
    fn a_postback_needs_the_click_id_it_sends() {
        let err = import_error("avazu_com");
        assert_eq!(
            err.to_string(),
            r#"entry "avazu_com" imports with 1 issue: the mapped postback does not suit the source: postback: token "externalid" at bytes 53..65 reads the click id, but the source has no click-id parameter"#
        );
    }

    #[test]
    fn a_name_used_twice_is_reported() {
        let err = import_error("trident_media_agency_android_uac");
        let duplicate = err
            .issues()
            .iter()
            .find(|i| {
                matches!(
                    i,
                    Issue::Param {
                        reason: ParamIssue::DuplicateName { .. },
                        ..
                    }
                )
            })
            .unwrap();
        assert_eq!(
            duplicate.to_string(),
            r#"parameter "campaign_id" (sub_id_20, parameters[17]) is left out: parameters[2] has the same name"#
        );
    }

    #[test]
    fn hand_made_entries() {
        use postback::traffic::keitaro::Parameter;
        let entry = Entry {
            name: "hand".into(),
            display_name: String::new(),
            postback_url: "https://h.example/?a={sub_id_3}&b={tid}&c={subid}&d={offer_id}&e={campaign_id}&f={cost}&g={status}&h={payout".into(),
            parameters: vec![
                Parameter::new("external_id", "cid", " {clickid} "),
                Parameter::new("external_id", "cid2", "{x}"),
                Parameter::new("sub_id_3", "", "{x}"),
                Parameter::new("sub_id_4", "s4", "{a b}"),
            ],
        };
        let err = import(&entry).unwrap_err();
        let messages: Vec<String> = err.issues().iter().map(|i| i.to_string()).collect();
        assert_eq!(
            messages,
            [
                r#"parameter "cid2" (external_id, parameters[1]) is left out: an earlier parameter is external_id"#,
                r#"parameter "" (sub_id_3, parameters[2]) is left out: its name is empty"#,
                r#"parameter "s4" (sub_id_4, parameters[3]) is left out: its macro is empty or holds whitespace, a control character or '&'"#,
                r#"postback token "{sub_id_3}" at bytes 21..31 is not mapped: no parameter with a slot fills it"#,
                r#"postback token "{" at bytes 101..102 is not closed by "}""#,
                r#"the mapped postback does not suit the source: postback: token "clickcost" at bytes 68..79 reads the click cost, but the source has no cost parameter"#,
            ]
        );
        let partial = err.into_partial().unwrap();
        assert_eq!(partial.name(), "hand");
        assert_eq!(partial.click_id(), Some(&Param::new("cid", "{clickid}")));
        assert!(partial.params().is_empty());
    }
}

/// ExoClick with a goal per event: every goal id is checked, and the one rule writes the
/// event's goal.
#[test]
fn exoclick_takes_a_goal_id_for_each_event() {
    use postback::select::{Conversion, Settings, Skip, select};

    let lead = "4f1b2c3d4e5f60718293a4b5c6d7e8f9";
    let source = presets::exoclick_goals(
        &[("lead", lead), ("sale", &lead.to_uppercase())],
        GoalValue::NoValue,
    )
    .unwrap();
    let rule = &source.settings().rules[0];
    assert_eq!(rule.name, "exoclick");
    assert_eq!(
        rule.postback.as_str(),
        "https://s.magsrv.com/tag.php?goal={goal}&tag={externalid}"
    );
    assert_eq!(rule.goals[1].goal, lead, "lowered");
    assert!(source.settings().postback.is_none());
    let campaign = Settings::default();
    for (event, expected) in [
        ("lead", Some(lead)),
        ("Sale", Some(lead)),
        ("deposit", None),
    ] {
        let conversion = Conversion {
            event,
            ..Conversion::new(1, "1".parse().unwrap())
        };
        let decision = select(source.settings(), &campaign, &conversion)
            .decisions()
            .next()
            .unwrap();
        match expected {
            Some(goal) => assert_eq!(decision.fire().unwrap().goal, Some(goal), "{event}"),
            None => assert_eq!(decision.skip(), Some(Skip::NoGoal), "{event}"),
        }
    }
    let err = presets::exoclick_goals(&[("lead", lead), ("sale", "4f1b")], GoalValue::Dynamic)
        .unwrap_err();
    assert_eq!(err.goal_id(), "4f1b");
    let err = presets::exoclick_goals(&[], GoalValue::Dynamic).unwrap_err();
    assert_eq!(err.goal_id(), "");
}
