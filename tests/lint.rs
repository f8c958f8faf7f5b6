//! `Template::lint`: warnings with spans for placeholders, macros left as text and example
//! goals, on hand-written cases and on the postbacks of a real-world list of templates.

use postback::{LintKind, ParseOptions, Template, Unknown};

/// The lints of `text` (unknown tokens kept as literal text), as the kind and the text at
/// fault.
fn lints(text: &str) -> Vec<(LintKind, String)> {
    let options = ParseOptions::new().with_unknown(Unknown::Literal);
    let template = Template::parse_with(text, &options).unwrap();
    template
        .lint()
        .iter()
        .map(|lint| {
            (
                lint.kind(),
                template.as_str()[lint.span().range()].to_owned(),
            )
        })
        .collect()
}

#[test]
fn placeholders_macros_and_example_goals_are_found_with_their_spans() {
    use LintKind::*;
    let cases: &[(&str, &[(LintKind, &str)])] = &[
        ("https://t.example/pb?id={externalid}&v={payout}", &[]),
        (
            "https://t.example/pb?token=REPLACE&id={externalid}",
            &[(Placeholder, "REPLACE")],
        ),
        (
            "http://sconvtrk.example/conversion/REPLACE_PERSONAL_HASH/?visitor_id={external_id}&aid=REPLACE_AID",
            &[
                (Placeholder, "REPLACE_PERSONAL_HASH"),
                (Placeholder, "REPLACE_AID"),
            ],
        ),
        (
            "https://ct.example/click?aid=[put_userID]&clickid=[your_clickid_token]",
            &[(Macro, "[put_userID]"), (Macro, "[your_clickid_token]")],
        ),
        (
            "https://pb.example/?postback_id=##postback_id##&cid={externalid}",
            &[(Macro, "##postback_id##")],
        ),
        (
            "http://pb.example/postback?cid=######&c={externalid}",
            &[(Placeholder, "######")],
        ),
        (
            "https://ad.example/track.php?track_id=__REPLACE_TRACK_ID__",
            &[(Macro, "__REPLACE_TRACK_ID__")],
        ),
        (
            "https://n.example/pc?AID={AID-FROM-DASHBOARD}&c={externalid}",
            &[(Macro, "{AID-FROM-DASHBOARD}")],
        ),
        (
            "https://n.example/pb?tag=%conversions_tracking%",
            &[(Macro, "%conversions_tracking%")],
        ),
        (
            "http://XXXXX.adkmob.example/postback/?tid={externalid}",
            &[(Placeholder, "XXXXX")],
        ),
        (
            "https://n.example/pb?advertiser=yourvalue&k=your-parameter",
            &[(Placeholder, "yourvalue"), (Placeholder, "your-parameter")],
        ),
        // A percent-escape is not a macro, nor is an escaped delimiter alone.
        ("https://n.example/pb?a=%20%&b={{x&c={externalid}", &[]),
        (
            "https://s.magsrv.com/tag.php?goal=GOAL&tag={externalid}",
            &[(ExampleGoal, "GOAL")],
        ),
        (
            "https://s.magsrv.com/tag.php?goal=4f1b2c3d4e5f60718293a4b5c6d7e8f9&tag={externalid}",
            &[(ExampleGoal, "4f1b2c3d4e5f60718293a4b5c6d7e8f9")],
        ),
        (
            "https://s.magsrv.com/tag.php?goal=0123456789abcdef0123456789abcdef&tag={externalid}",
            &[],
        ),
        (
            "https://s.magsrv.com/tag.php?goal={goal}&tag={externalid}",
            &[],
        ),
    ];
    for (text, expected) in cases {
        let expected: Vec<(LintKind, String)> = expected
            .iter()
            .map(|(k, t)| (*k, (*t).to_owned()))
            .collect();
        assert_eq!(lints(text), expected, "{text}");
    }
}

#[test]
fn lints_have_messages_for_a_log() {
    let template = Template::parse("https://t.example/pb?token=REPLACE&goal=GOAL").unwrap();
    let messages: Vec<String> = template.lint().iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "the text at bytes 27..34 looks like a placeholder left to fill in",
            "the goal at bytes 40..44 is a placeholder or an example, not the account's goal id",
        ]
    );
}

/// The postbacks of the real-world list, as `keitaro::import` maps them onto this crate's
/// tokens: 23 of their 105 postbacks still hold a network's placeholder or macro.
#[cfg(feature = "serde")]
#[test]
fn the_real_world_list_has_placeholders_and_macros_left_in() {
    use postback::traffic::keitaro::{Entry, import};

    let json = include_str!("fixtures/keitaro_traffic_sources.json");
    let entries: Vec<Entry> = serde_json::from_str(json).unwrap();
    let (mut postbacks, mut flagged) = (0, Vec::new());
    for entry in &entries {
        let source = match import(entry) {
            Ok(source) => source,
            Err(err) => err.into_partial().unwrap(),
        };
        let Some(postback) = source.postback() else {
            continue;
        };
        postbacks += 1;
        let lints = postback.lint();
        if !lints.is_empty() {
            let texts: Vec<&str> = lints
                .iter()
                .map(|l| &postback.as_str()[l.span().range()])
                .collect();
            flagged.push(format!("{}: {}", entry.name, texts.join(" ")));
        }
    }
    // Every one of them read by hand: all are fill-in text or macros (`XXXXXX`, `yourvalue`,
    // `REPLACE_AID`, `[put_userID]`, `##postback_id##`...); none is a real value.
    assert_eq!((postbacks, flagged.len()), (105, 23), "{flagged:#?}");
    for line in [
        "popcash_net: [put_userID] [your_clickid_token] [your_payout_token]",
        "trafficshop_com: __REPLACE_TRACK_ID__",
        "youtarget_com: ##postback_id##",
        "clickadu_com: REPLACE_PERSONAL_HASH REPLACE_AID",
    ] {
        assert!(flagged.iter().any(|f| f == line), "{line}: {flagged:#?}");
    }
}
