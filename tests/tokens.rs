//! Every token of the vocabulary parses, reports its canonical name, and expands.

use postback::{ParseOptions, Slot, Template, Token, Unknown, Value, from_fn};

/// Every spelling in the seed document's table, with the token it must parse to.
fn vocabulary() -> Vec<(&'static str, Token<'static>)> {
    let mut all = vec![
        ("clickid", Token::ClickId),
        ("user_id", Token::UserId),
        ("campaign", Token::Campaign),
        ("campaign_name", Token::CampaignName),
        ("path_name", Token::PathName),
        ("rule_name", Token::RuleName),
        ("campaign_key", Token::CampaignKey),
        ("trafficsource", Token::TrafficSource),
        ("trafficsource_name", Token::TrafficSourceName),
        ("externalid", Token::ExternalId),
        ("external_id", Token::ExternalId),
        ("clickcost", Token::ClickCost),
        ("domain", Token::Domain),
        ("lander", Token::Lander),
        ("referer", Token::Referer),
        ("time", Token::Time),
        ("htime", Token::HTime),
        ("device_name", Token::DeviceName),
        ("device_brand", Token::DeviceBrand),
        ("device_model", Token::DeviceModel),
        ("browser_name", Token::BrowserName),
        ("browser_version", Token::BrowserVersion),
        ("resolution", Token::Resolution),
        ("os_name", Token::OsName),
        ("os_version", Token::OsVersion),
        ("country", Token::Country),
        ("country_code", Token::CountryCode),
        ("language", Token::Language),
        ("city", Token::City),
        ("user_agent", Token::UserAgent),
        ("offer", Token::Offer),
        ("payout", Token::Payout),
        ("cnv_status", Token::CnvStatus),
        ("cnv_status2", Token::CnvStatus2),
        ("cnv_currency", Token::CnvCurrency),
        ("txid", Token::TxId),
    ];
    let names: &[&'static str] = &["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10"];
    let events: &[&'static str] = &[
        "event1", "event2", "event3", "event4", "event5", "event6", "event7", "event8", "event9",
        "event10",
    ];
    for (slot, (t, event)) in Slot::all().zip(names.iter().zip(events)) {
        all.push((t, Token::T(slot)));
        all.push((event, Token::Event(slot)));
    }
    all.push(("tName:zoneid", Token::TName("zoneid")));
    all
}

#[test]
fn every_token_parses_to_its_variant() {
    for (spelling, token) in vocabulary() {
        let text = format!("https://t.example/?v={{{spelling}}}");
        let template = Template::parse(&text).unwrap_or_else(|e| panic!("{spelling}: {e}"));
        assert_eq!(template.tokens().collect::<Vec<_>>(), [token], "{spelling}");
        if token != Token::ExternalId && !spelling.contains(':') {
            assert_eq!(token.name(), spelling, "canonical name");
        }
        assert_eq!(template.to_string(), text, "Display keeps the spelling");
    }
}

#[test]
fn every_token_expands_to_its_value() {
    let vocabulary = vocabulary();
    let text: String = vocabulary
        .iter()
        .map(|(spelling, _)| format!("&{spelling}={{{spelling}}}"))
        .collect();
    let text = format!("https://t.example/pb?x=1{text}");
    let template = Template::parse(&text).unwrap();
    assert_eq!(template.tokens().count(), vocabulary.len());

    // Every token's value is its canonical Display form, so the output says who got what.
    let names: Vec<String> = template.tokens().map(|t| t.to_string()).collect();
    let source = from_fn(|token| {
        let at = names.iter().position(|n| *n == token.to_string())?;
        Some(Value::Str(&names[at]))
    });
    let expected: String = vocabulary
        .iter()
        .map(|(spelling, token)| format!("&{spelling}={}", token.to_string().replace(':', "%3A")))
        .collect();
    assert_eq!(
        template.expand(&source),
        format!("https://t.example/pb?x=1{expected}")
    );
}

#[test]
fn names_match_case_insensitively_on_request() {
    let options = ParseOptions::new().with_ignore_case(true);
    let cases = [
        ("ClickID", Token::ClickId),
        ("EXTERNAL_ID", Token::ExternalId),
        ("T10", Token::T(Slot::MAX)),
        ("Event1", Token::Event(Slot::MIN)),
        ("TNAME:ZoneId", Token::TName("ZoneId")),
        ("tname:zoneid", Token::TName("zoneid")),
    ];
    for (spelling, token) in cases {
        let text = format!("https://t.example/{{{spelling}}}");
        let template = Template::parse_with(&text, &options).unwrap();
        assert_eq!(template.tokens().collect::<Vec<_>>(), [token], "{spelling}");
        assert_eq!(template.to_string(), text);
        // Case-sensitive by default.
        assert!(
            Template::parse(&text).is_err(),
            "{spelling} is case-sensitive by default"
        );
    }
    // Custom names keep their case.
    let options = options.with_unknown(Unknown::Custom);
    let template = Template::parse_with("https://t.example/{SubID:X}", &options).unwrap();
    let custom = Token::Custom {
        name: "SubID",
        arg: Some("X"),
    };
    assert_eq!(template.tokens().collect::<Vec<_>>(), [custom]);
}

#[test]
fn custom_tokens_reach_the_host_with_their_argument() {
    let options = ParseOptions::new().with_unknown(Unknown::Custom);
    let text = "https://t.example/?type={status: lead=1 sale=2}&s={sub_id_1}&e={empty:}";
    let template = Template::parse_with(text, &options).unwrap();
    let tokens: Vec<_> = template.tokens().collect();
    assert_eq!(
        tokens,
        [
            Token::Custom {
                name: "status",
                arg: Some(" lead=1 sale=2")
            },
            Token::Custom {
                name: "sub_id_1",
                arg: None
            },
            Token::Custom {
                name: "empty",
                arg: Some("")
            },
        ]
    );
    let source = from_fn(|token| match token {
        Token::Custom {
            name: "status",
            arg: Some(mapping),
        } => {
            // The host applies the mapping: "sale" is written 2.
            assert_eq!(*mapping, " lead=1 sale=2");
            Some(Value::Int(2))
        }
        Token::Custom {
            name: "sub_id_1",
            arg: None,
        } => Some(Value::Str("s 1")),
        _ => None,
    });
    assert_eq!(
        template.expand(&source),
        "https://t.example/?type=2&s=s%201&e="
    );
}

#[test]
fn bind_resolves_token_names_to_slots() {
    let mut template =
        Template::parse("https://t.example/?z={tName:zoneid}&s={tName:siteid}&c={tName:cid}")
            .unwrap();
    let params = [("zoneid", 3), ("siteid", 7)];
    let err = template
        .bind(|name| {
            let slot = params.iter().find(|(n, _)| *n == name)?.1;
            Slot::new(slot)
        })
        .unwrap_err();
    assert_eq!(
        err.unbound().collect::<Vec<_>>(),
        [("cid", postback::Span::new(55, 66))]
    );
    assert_eq!(
        err.to_string(),
        r#"no traffic-source parameter named "cid" (at bytes 55..66)"#
    );
    let slot = |n| Slot::new(n).unwrap();
    assert_eq!(
        template.tokens().collect::<Vec<_>>(),
        [Token::T(slot(3)), Token::T(slot(7)), Token::TName("cid")]
    );
    // The source still reads as written.
    assert_eq!(
        template.to_string(),
        "https://t.example/?z={tName:zoneid}&s={tName:siteid}&c={tName:cid}"
    );
    // Expansion asks for the slots, and still for the unbound name.
    let values = [("t3", "zone 1"), ("t7", "site"), ("tName:cid", "c")];
    assert_eq!(
        template.expand(&values),
        "https://t.example/?z=zone%201&s=site&c=c"
    );
    // A second binding that knows every name succeeds.
    assert_eq!(template.bind(|_| Slot::new(1)), Ok(()));
}
