//! A real-world corpus: the 126 postback URLs of `tests/fixtures/keitaro_postbacks.txt`, written
//! for another tracker (Keitaro), with its token names, its `{status: lead=1 sale=2}` arguments
//! and its users' typos. Every one parses and expands safely when unknown names are handed to
//! the host; strictly, the names this crate does not know are reported, typos with a
//! suggestion where one is near.

use std::collections::BTreeMap;

use postback::{
    ErrorKind, ParseOptions, Syntax, Template, Token, TokenSource, Unknown, Value, from_fn,
};
use url::Url;

/// `name<TAB>postback_url` lines under a `#` header (attribution and license: see the header).
const FIXTURE: &str = include_str!("fixtures/keitaro_postbacks.txt");

/// The (name, postback URL) pairs of the fixture, in file order.
fn postbacks() -> Vec<(&'static str, &'static str)> {
    FIXTURE
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| match line.split_once('\t') {
            Some(pair) => pair,
            None => panic!("no tab in fixture line {line:?}"),
        })
        .collect()
}

fn custom() -> ParseOptions {
    ParseOptions::new().with_unknown(Unknown::Custom)
}

#[track_caller]
fn parse<'a>(name: &str, template: &'a str, options: &ParseOptions) -> Template<'a> {
    Template::parse_with(template, options).unwrap_or_else(|err| panic!("{name}: {err:#}"))
}

/// A source that gives every token the same text.
fn all(text: &str) -> impl TokenSource + '_ {
    from_fn(move |_| Some(Value::Str(text)))
}

/// A value that would break out of its place if it were written raw: a new query parameter, a
/// space, a fragment, a path segment, a line break, a token, text outside ASCII.
const HOSTILE: &str = "a&b=c #/?%+ \r\n{payout}é";
/// `HOSTILE` encoded for the path, the query and the fragment.
const ENCODED: &str = "a%26b%3Dc%20%23%2F%3F%25%2B%20%0D%0A%7Bpayout%7D%C3%A9";
/// A clean value that appears nowhere in the corpus, to find where the values went.
const CLEAN: &str = "Cln0";

#[test]
fn the_fixture_has_every_postback_of_the_source_once() {
    let postbacks = postbacks();
    assert_eq!(postbacks.len(), 126);
    let lines: std::collections::BTreeSet<_> = postbacks.iter().collect();
    assert_eq!(lines.len(), 126, "duplicate lines");
    assert!(FIXTURE.contains("MIT License"));
    assert!(FIXTURE.contains("Copyright (c) 2026 Ruslan (fenjo26)"));
    assert!(FIXTURE.contains("LICENSE-keitaro"));
    assert!(!FIXTURE.contains(CLEAN));
}

#[test]
fn every_postback_parses_and_round_trips_with_custom_tokens() {
    for (name, source) in postbacks() {
        let template = parse(name, source, &custom());
        let printed = template.to_string();
        assert_eq!(printed, source, "{name}");
        assert_eq!(parse(name, &printed, &custom()), template, "{name}");
        assert_eq!(template.clone().into_owned(), template, "{name}");
    }
}

/// Two postbacks write their tokens in brackets, `[your_clickid_token]`, and have no `{}` token:
/// with brackets as the syntax, their tokens are found.
#[test]
fn two_postbacks_use_brackets() {
    let brackets = custom().with_syntax(Syntax::new("[", "]").unwrap());
    let mut bracketed = Vec::new();
    for (name, source) in postbacks() {
        if parse(name, source, &custom()).tokens().next().is_none() {
            let template = parse(name, source, &brackets);
            assert_eq!(template.to_string(), source);
            let tokens: Vec<_> = template.tokens().map(|t| t.to_string()).collect();
            bracketed.push((name, tokens));
        }
    }
    assert_eq!(
        bracketed,
        [
            (
                "adsbigo_web",
                vec!["YOUR_AD_GROUP_CONVERSION_EVENT_ID".to_string()]
            ),
            (
                "popcash_net",
                ["put_userID", "your_clickid_token", "your_payout_token"]
                    .map(String::from)
                    .into()
            ),
        ]
    );
}

#[test]
fn unknown_tokens_kept_as_text_leave_the_known_ones() {
    let literal = ParseOptions::new().with_unknown(Unknown::Literal);
    let mut spaced = 0;
    for (name, source) in postbacks() {
        let custom = parse(name, source, &custom());
        // Kept as text, a token with a space in it (`{status: lead=1 sale=2}`) is text with a
        // space, which no URL has: refused, pointing into that token.
        let kept = match Template::parse_with(source, &literal) {
            Ok(kept) => kept,
            Err(err) => {
                assert_eq!(err.kind(), ErrorKind::InvalidChar, "{name}: {err}");
                let at = err.span().start;
                let inside = custom.tokens().any(|token| match token {
                    Token::Custom { name, arg } => {
                        let text = format!(
                            "{{{name}{}}}",
                            arg.map(|a| format!(":{a}")).unwrap_or_default()
                        );
                        source
                            .match_indices(&text)
                            .any(|(i, _)| i < at && at < i + text.len())
                    }
                    _ => false,
                });
                assert!(inside, "{name}: {err}");
                spaced += 1;
                continue;
            }
        };
        assert_eq!(kept.to_string(), source, "{name}");
        let known: Vec<_> = custom
            .tokens()
            .filter(|token| !matches!(token, Token::Custom { .. }))
            .collect();
        assert_eq!(kept.tokens().collect::<Vec<_>>(), known, "{name}");
        // Unknown tokens are text: expansion leaves them exactly as written.
        let expanded = kept.expand(&all(CLEAN));
        for token in custom.tokens() {
            if let Token::Custom { .. } = token {
                assert!(
                    expanded.contains(&format!("{{{token}}}")),
                    "{name}: {token}"
                );
            }
        }
    }
    assert_eq!(spaced, 15, "the status mappings with spaces");
}

/// The keys of a URL's query, split on `&` and `=` as a server would, without decoding.
fn query_keys(url: &str) -> Vec<&str> {
    let Some((_, query)) = url.split_once('?') else {
        return Vec::new();
    };
    let query = query.split_once('#').map_or(query, |(query, _)| query);
    query
        .split('&')
        .map(|pair| pair.split_once('=').map_or(pair, |(key, _)| key))
        .collect()
}

/// The bytes `text` percent-decodes to; a `%` without two hex digits stays as it is.
fn percent_decode(text: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(text).collect()
}

/// The value a clean expansion's component turns into when every `CLEAN` is `HOSTILE`.
fn with_hostile(clean: &[u8]) -> Vec<u8> {
    String::from_utf8(clean.to_vec())
        .expect("UTF-8")
        .replace(CLEAN, HOSTILE)
        .into_bytes()
}

#[test]
fn hostile_values_stay_inside_their_place() {
    let (mut urls, mut without_tokens) = (0, 0);
    for (name, source) in postbacks() {
        let template = parse(name, source, &custom());
        let clean = template.expand(&all(CLEAN));
        let hostile = template.expand(&all(HOSTILE));
        assert_eq!(template.try_expand(&all(HOSTILE)).as_ref(), Ok(&hostile));

        // Every token of the corpus stands in the path, the query or the fragment, where the
        // value is encoded the same way: the hostile URL is the clean one with every clean
        // value replaced by the encoded hostile one.
        if !clean.contains(CLEAN) {
            without_tokens += 1;
        }
        assert_eq!(hostile, clean.replace(CLEAN, ENCODED), "{name}");
        for raw in ["&b=c", " ", "\r", "\n", "{payout}", "é"] {
            assert!(!hostile.contains(raw), "{name}: {raw:?} in {hostile}");
        }
        assert_eq!(query_keys(&hostile), query_keys(&clean), "{name}");

        // Where the clean URL is a URL, the hostile one is the same URL with other values.
        let Ok(clean_url) = Url::parse(&clean) else {
            continue;
        };
        urls += 1;
        let url = Url::parse(&hostile).unwrap_or_else(|err| panic!("{name}: {err}: {hostile}"));
        assert_eq!(url.scheme(), clean_url.scheme(), "{name}");
        assert_eq!(url.host_str(), clean_url.host_str(), "{name}");
        assert_eq!(url.port(), clean_url.port(), "{name}");
        let segments = |url: &Url| -> Vec<Vec<u8>> {
            let segments = url.path_segments().into_iter().flatten();
            segments.map(percent_decode).collect()
        };
        let expected: Vec<_> = segments(&clean_url)
            .iter()
            .map(|s| with_hostile(s))
            .collect();
        assert_eq!(segments(&url), expected, "{name}: path of {hostile}");
        let pairs =
            |url: &Url| -> Vec<(String, String)> { url.query_pairs().into_owned().collect() };
        let expected: Vec<_> = pairs(&clean_url)
            .into_iter()
            .map(|(key, value)| (key, value.replace(CLEAN, HOSTILE)))
            .collect();
        assert_eq!(pairs(&url), expected, "{name}: query of {hostile}");
        let fragment = |url: &Url| url.fragment().map(percent_decode);
        let expected = fragment(&clean_url).map(|f| with_hostile(&f));
        assert_eq!(fragment(&url), expected, "{name}: fragment of {hostile}");
    }
    // Every postback of the corpus is a URL once its tokens have values, even the
    // `http://DOMAIN/POSTBACK_KEY/postback?...` of Keitaro's own entry.
    assert_eq!(urls, 126);
    // The two postbacks with only `[bracketed]` tokens.
    assert_eq!(without_tokens, 2);
}

/// Strictly (`Unknown::Reject`, the default), 47 of the 126 postbacks parse: 45 that use only
/// `{external_id}`, `{payout}` and `{clickid}`, names both trackers share, and the 2 with only
/// `[bracketed]` tokens. The other 79 fail on their first unknown token, every one an
/// `UnknownName`: `{status}` (with or without an argument such as ` lead=1 sale=2`) in 43 of
/// them, `{revenue}` in 8, `{sub_id_N}` in 6, and 22 other Keitaro or network names. 53 of the
/// 79 errors suggest a token: `status` (43) `cnv_status`, `click_id` (2) `clickid`, `tid` (2)
/// `txid`, `source` (2) `trafficsource`, `campaign_id` and `ad_campaign_id` `campaign`,
/// `currency` `cnv_currency`, and the typo `externa_id` `externalid`.
#[test]
fn strict_parsing_reports_every_unknown_name() {
    let (mut parsed, mut failed) = (0, Vec::new());
    let mut first_unknown = BTreeMap::<&str, usize>::new();
    for (name, source) in postbacks() {
        match Template::parse(source) {
            Ok(template) => {
                parsed += 1;
                assert!(template.tokens().all(|token| matches!(
                    token,
                    Token::ExternalId | Token::Payout | Token::ClickId
                )));
            }
            Err(err) => {
                assert_eq!(err.kind(), ErrorKind::UnknownName, "{name}: {err}");
                let span = &source[err.span().range()];
                let token = span[1..span.len() - 1]
                    .split(':')
                    .next()
                    .unwrap_or_default();
                let family = match token {
                    _ if token.starts_with("sub_id_") => "sub_id_N",
                    "status" | "revenue" => token,
                    _ => "other",
                };
                *first_unknown.entry(family).or_default() += 1;
                failed.push((name, err));
            }
        }
    }
    let suggested: Vec<_> = failed
        .iter()
        .filter(|(_, err)| err.suggestion().is_some())
        .map(|(name, err)| (*name, err.to_string()))
        .collect();
    assert_eq!((parsed, failed.len(), suggested.len()), (47, 79, 53));
    let families = [
        ("other", 22),
        ("revenue", 8),
        ("status", 43),
        ("sub_id_N", 6),
    ];
    assert_eq!(first_unknown, BTreeMap::from(families));
    // What each suggestion was, and how often: the unknown name and the token suggested.
    let mut by_name: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for (_, err) in &failed {
        if let Some(suggestion) = err.suggestion() {
            let written = &err.template()[err.span().range()];
            let unknown = written[1..written.len() - 1]
                .split(':')
                .next()
                .unwrap_or_default();
            *by_name
                .entry((unknown.to_string(), suggestion))
                .or_default() += 1;
        }
    }
    let expected = [
        (("ad_campaign_id", "campaign"), 1),
        (("campaign_id", "campaign"), 1),
        (("click_id", "clickid"), 2),
        (("currency", "cnv_currency"), 1),
        (("externa_id", "externalid"), 1),
        (("source", "trafficsource"), 2),
        (("status", "cnv_status"), 43),
        (("tid", "txid"), 2),
    ];
    let expected: BTreeMap<_, _> = expected.map(|((n, s), c)| ((n.to_string(), s), c)).into();
    assert_eq!(by_name, expected);
    // One message in full.
    let mobivion = suggested.iter().find(|(name, _)| *name == "mobivion_com");
    assert_eq!(
        mobivion.map(|(_, message)| message.as_str()),
        Some(r#"unknown token "externa_id" at bytes 39..51; did you mean "externalid"?"#)
    );
}

/// The corpus's typos, each the first unknown token of its template, with the exact message
/// and caret view a tracker's UI would show. Only `{externa_id}` is near enough to a known
/// name for a suggestion: `{coversion_revenue}` is Keitaro's `conversion_revenue` misspelt
/// (this crate has no such token; `{payout}` is the nearest meaning), and
/// `{your_extenal_id_paramater}` is a placeholder for the network's own parameter, three edits
/// and more from anything.
#[test]
fn typos_are_reported_where_they_stand() {
    let postbacks: BTreeMap<_, _> = postbacks().into_iter().collect();
    let cases = [
        (
            "mobivion_com",
            "externa_id",
            Some("externalid"),
            r#"unknown token "externa_id" at bytes 39..51; did you mean "externalid"?
  https://postback.mobivion.com/?clickid={externa_id}&moneyusd={payout}
                                         ^^^^^^^^^^^^"#,
        ),
        (
            "traforama_com",
            "coversion_revenue",
            None,
            r#"unknown token "coversion_revenue" at bytes 66..85
  ...com/api/click/{external_id}?subid=REPLACE&c=1&cpa={coversion_revenue}
                                                       ^^^^^^^^^^^^^^^^^^^"#,
        ),
        (
            "pushground",
            "your_extenal_id_paramater",
            None,
            r#"unknown token "your_extenal_id_paramater" at bytes 39..66
  https://lupush.com/conversion?click_id={your_extenal_id_paramater}&amount={payout}
                                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^"#,
        ),
    ];
    for (name, typo, suggestion, view) in cases {
        let source = postbacks[name];
        let err = Template::parse(source).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownName, "{name}");
        assert_eq!(&source[err.span().range()], format!("{{{typo}}}"), "{name}");
        assert_eq!(err.suggestion(), suggestion, "{name}");
        assert_eq!(format!("{err:#}"), view, "{name}");
        // The suggestion is a name that parses: the fix is one edit in the UI.
        if let Some(suggestion) = suggestion {
            let fixed = source.replace(typo, suggestion);
            let fixed = Template::parse(&fixed).unwrap();
            assert!(fixed.tokens().any(|token| token == Token::ExternalId));
        }
    }
}

/// Every distinct unknown name of the corpus and what strict parsing suggests for it, alone:
/// 40 names, 11 with a suggestion. A change in the vocabulary or in the suggestions shows here.
#[test]
fn suggestions_for_every_unknown_name_in_the_corpus() {
    let mut names = BTreeMap::new();
    for (name, source) in postbacks() {
        let template = parse(name, source, &custom());
        for token in template.tokens() {
            if let Token::Custom { name: unknown, .. } = token {
                let alone = format!("{{{unknown}}}");
                let err = Template::parse(&alone).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::UnknownName, "{alone}");
                names.insert(unknown.to_string(), err.suggestion());
            }
        }
    }
    let suggestions: Vec<_> = names
        .iter()
        .filter_map(|(n, s)| Some((n.as_str(), (*s)?)))
        .collect();
    assert_eq!(
        suggestions,
        [
            ("BV_CLICKID", "clickid"),
            ("ad_campaign_id", "campaign"),
            ("campaign_id", "campaign"),
            ("click_id", "clickid"),
            ("cost", "clickcost"),
            ("currency", "cnv_currency"),
            ("externa_id", "externalid"),
            ("offer_id", "offer"),
            ("source", "trafficsource"),
            ("status", "cnv_status"),
            ("tid", "txid"),
        ]
    );
    let without: Vec<_> = names
        .iter()
        .filter(|(_, s)| s.is_none())
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        without,
        [
            "AID-FROM-DASHBOARD",
            "REPLACE",
            "REVENUE",
            "access_token",
            "ad_id",
            "app_id",
            "conversion",
            "coversion_revenue",
            "creative_id",
            "deviceID",
            "event_name",
            "pixelId",
            "pubid",
            "replace",
            "revenue",
            "sub_id_1",
            "sub_id_12",
            "sub_id_14",
            "sub_id_2",
            "sub_id_4",
            "sub_id_7",
            "sub_id_8",
            "sub_id_9",
            "subid",
            "trackid",
            "uid",
            "visitor_fbc",
            "visitor_fbp",
            "your_extenal_id_paramater",
        ]
    );
    assert_eq!(names.len(), 40);
}
