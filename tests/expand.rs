//! Expansion: encoding by place, unusable values, missing-value policies, numbers.

use postback::{
    Decimal, Missing, ParseOptions, ProblemKind, Syntax, Template, Token, TokenSource, Value,
    from_fn,
};

/// A source that gives every token the same value.
fn all(value: Value<'_>) -> impl TokenSource + '_ {
    from_fn(move |_| Some(value))
}

mod common;

use common::{BASE, relative};

/// Parses `template`, after [`BASE`] unless it is a URL.
#[track_caller]
fn parse(template: &str) -> Template<'static> {
    common::parse_with(template, &ParseOptions::new())
}

/// Expands `template` (see [`parse`]) with `value` for every token; without [`BASE`] for a
/// relative template.
#[track_caller]
fn expand(template: &str, value: Value<'_>) -> String {
    common::expand_with(template, &all(value))
}

#[test]
fn values_are_encoded_in_the_query() {
    let cases: &[(&str, &str)] = &[
        ("abcXYZ019-._~", "abcXYZ019-._~"),
        ("&", "%26"),
        ("=", "%3D"),
        ("#", "%23"),
        ("?", "%3F"),
        ("/", "%2F"),
        ("+", "%2B"),
        ("%", "%25"),
        ("%41", "%2541"),
        (" ", "%20"),
        ("\r\n", "%0D%0A"),
        ("\0", "%00"),
        ("\"'<>\\^`{|}", "%22%27%3C%3E%5C%5E%60%7B%7C%7D"),
        ("!$()*,;:@[]", "%21%24%28%29%2A%2C%3B%3A%40%5B%5D"),
        ("São Paulo", "S%C3%A3o%20Paulo"),
        ("🎉", "%F0%9F%8E%89"),
        ("Summer Sale #1 & more", "Summer%20Sale%20%231%20%26%20more"),
        (
            "https://ref.example/a?b=c&d=e f",
            "https%3A%2F%2Fref.example%2Fa%3Fb%3Dc%26d%3De%20f",
        ),
        ("\u{7f}\u{80}", "%7F%C2%80"),
    ];
    for &(value, encoded) in cases {
        for template in [
            "https://t.example/p?v={t1}&w=1",
            "https://t.example/{t1}/x",
            "https://t.example/#{t1}",
        ] {
            let expected = template.replace("{t1}", encoded);
            assert_eq!(
                expand(template, Value::Str(value)),
                expected,
                "{value:?} in {template}"
            );
        }
    }
}

#[test]
fn every_byte_outside_the_unreserved_set_is_encoded() {
    for c in (0..=0x7f_u8).map(char::from).chain(['é', '€', '𝄞']) {
        let value = c.to_string();
        let expanded = expand("?v={t1}", Value::Str(&value));
        let unreserved = c.is_ascii_alphanumeric() || "-._~".contains(c);
        let expected = if unreserved {
            format!("?v={c}")
        } else {
            let hex: String = value.bytes().map(|b| format!("%{b:02X}")).collect();
            format!("?v={hex}")
        };
        assert_eq!(expanded, expected, "{c:?}");
    }
}

#[test]
fn a_value_is_never_read_for_tokens() {
    let template = Template::parse("https://t.example/?r={referer}&p={payout}").unwrap();
    let source = [
        ("referer", "https://x.example/?a={payout}&b={{"),
        ("payout", "5"),
    ];
    assert_eq!(
        template.expand(&source),
        "https://t.example/?r=https%3A%2F%2Fx.example%2F%3Fa%3D%7Bpayout%7D%26b%3D%7B%7B&p=5"
    );
    // Raw values are not read for tokens either.
    let raw = from_fn(|token| match token {
        Token::Referer => Some(Value::Raw("{payout}")),
        _ => Some(Value::Int(5)),
    });
    assert_eq!(template.expand(&raw), "https://t.example/?r={payout}&p=5");
}

#[test]
fn raw_values_are_written_as_they_are() {
    assert_eq!(expand("?a={t1}&b=2", Value::Raw("x&c=3")), "?a=x&c=3&b=2");
    assert_eq!(
        expand("https://{domain}/", Value::Raw("h/p?q")),
        "https://h/p?q/"
    );
}

#[test]
fn values_in_the_authority_may_name_a_host_and_a_port_only() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "https://{domain}/pb?x=1",
            "track.example.com",
            "https://track.example.com/pb?x=1",
        ),
        (
            "https://{domain}/pb",
            "track.example.com:8443",
            "https://track.example.com:8443/pb",
        ),
        (
            "https://{domain}/pb",
            "evil.example/steal?",
            "https://evil.example%2Fsteal%3F/pb",
        ),
        (
            "https://{domain}/pb",
            "user:pw@evil.example",
            "https://user:pw%40evil.example/pb",
        ),
        (
            "https://{domain}/pb",
            "evil.example#",
            "https://evil.example%23/pb",
        ),
        ("https://{domain}/pb", "[::1]", "https://%5B::1%5D/pb"),
        ("https://{domain}/pb", "a b\r\n", "https://a%20b%0D%0A/pb"),
        ("https://{domain}", "h.example", "https://h.example"),
        (
            "https://{t1}.example.com/pb",
            "sub",
            "https://sub.example.com/pb",
        ),
        (
            "https://example.com:{t1}/pb",
            "8080",
            "https://example.com:8080/pb",
        ),
    ];
    for &(template, value, expected) in cases {
        assert_eq!(
            expand(template, Value::Str(value)),
            expected,
            "{value:?} in {template}"
        );
    }
    // Numbers are written as they are: a port.
    assert_eq!(
        expand("https://h.example:{t1}/", Value::UInt(8443)),
        "https://h.example:8443/"
    );
}

#[test]
fn an_empty_authority_value_keeps_the_token_so_the_host_never_moves() {
    for missing in [Missing::Empty, Missing::Keep] {
        let template = Template::parse("https://{domain}/tag.php?x={t1}").unwrap();
        for source in [&[("domain", "")][..], &[("t1", "1")][..]] {
            let expanded = template.expand_with(source, missing);
            assert!(
                expanded.starts_with("https://{domain}/tag.php?x="),
                "{expanded}"
            );
            // The URL names no real host: `tag.php` never becomes the host.
            if let Ok(url) = url::Url::parse(&expanded) {
                assert_ne!(url.host_str(), Some("tag.php"));
                assert_eq!(url.path(), "/tag.php");
            }
        }
    }
    let template = Template::parse("https://{domain}/x").unwrap();
    let err = template.try_expand(&[("domain", "")]).unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Empty);
}

#[test]
fn path_values_made_of_dots_are_unusable() {
    let template = Template::parse("https://t.example/a/{t1}/b?c={t2}").unwrap();
    for dots in [".", "..", "...", "...."] {
        let source = [("t1", dots), ("t2", dots)];
        // In the path the value would climb; in the query it is harmless.
        assert_eq!(
            template.expand(&source),
            format!("https://t.example/a//b?c={dots}")
        );
        let err = template.try_expand(&source).unwrap_err();
        assert_eq!(err.problems().len(), 1);
        assert_eq!(err.problems()[0].kind(), ProblemKind::DotSegment);
        assert_eq!(
            err.to_string(),
            r#"token without a usable value: value for "t1" at bytes 20..24 is only dots, which could climb the path"#
        );
    }
    // Dots with anything else are an ordinary segment.
    let source = [("t1", "..x"), ("t2", "")];
    assert_eq!(template.expand(&source), "https://t.example/a/..x/b?c=");
    // Next to literal dots, an unusable value keeps the token's text: writing nothing would
    // leave a dot segment.
    let template = Template::parse("https://t.example/a/.{t1}/b").unwrap();
    assert_eq!(
        template.expand(&[("t1", ".")]),
        "https://t.example/a/.{t1}/b"
    );
    let url = url::Url::parse(&template.expand(&[("t1", "x")])).unwrap();
    assert_eq!(url.path(), "/a/.x/b");
}

#[test]
fn a_token_never_stands_before_the_host() {
    // A template is an absolute URL: a token at the start or in the scheme is refused, so that
    // no value can make the scheme or the host (see `tests/url.rs`).
    for text in ["{t1}/postback?id={externalid}", "http{t1}://{domain}/"] {
        let err = Template::parse(text).unwrap_err();
        assert_eq!(err.kind(), postback::ErrorKind::Scheme, "{text}");
    }
}

#[test]
fn floats_are_plain_and_finite() {
    let cases: &[(f64, &str)] = &[
        (0.0, "0"),
        (-0.0, "-0"),
        (1.5, "1.5"),
        (0.1, "0.1"),
        (1e21, "1000000000000000000000"),
        (1e-7, "0.0000001"),
        (-2.5e-3, "-0.0025"),
    ];
    for &(x, text) in cases {
        assert_eq!(
            expand("?p={payout}", Value::Float(x)),
            format!("?p={text}"),
            "{x:e}"
        );
    }
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(expand("?p={payout}", Value::Float(x)), "?p=", "{x}");
        let template = parse("?p={payout}");
        let err = template.try_expand(&all(Value::Float(x))).unwrap_err();
        assert_eq!(err.problems()[0].kind(), ProblemKind::NotFinite);
    }
}

#[test]
fn integers_and_decimals_are_written_exactly() {
    let cases: &[(Value, &str)] = &[
        (Value::Int(0), "0"),
        (Value::Int(-42), "-42"),
        (Value::Int(i64::MIN), "-9223372036854775808"),
        (Value::UInt(u64::MAX), "18446744073709551615"),
        (Value::Decimal("10".parse().unwrap()), "10"),
        (Value::Decimal("0.00003".parse().unwrap()), "0.00003"),
        (Value::Decimal("3.30".parse().unwrap()), "3.30"),
        (Value::Decimal("-1.5".parse().unwrap()), "-1.5"),
        (
            Value::Decimal(Decimal::new(1, 18).unwrap()),
            "0.000000000000000001",
        ),
    ];
    for &(value, text) in cases {
        assert_eq!(
            expand("?p={payout}", value),
            format!("?p={text}"),
            "{value:?}"
        );
    }
    assert_eq!(
        expand("https://t.example/{t1}/", Value::Int(-1)),
        "https://t.example/-1/"
    );
}

#[test]
fn missing_values_follow_the_policy() {
    let text = "https://t.example/pb?id={externalid}&s={t2}&p={payout}";
    let source = [("externalid", Value::Str("e1")), ("t2", Value::Str(""))];

    let template = Template::parse(text).unwrap();
    assert_eq!(template.expand(&source), "https://t.example/pb?id=e1&s=&p=");
    assert_eq!(
        template.expand_with(&source, Missing::Empty),
        template.expand(&source)
    );
    assert_eq!(
        template.expand_with(&source, Missing::Keep),
        "https://t.example/pb?id=e1&s={t2}&p={payout}"
    );
    let mut written = String::new();
    template
        .write_with(&source, Missing::Keep, &mut written)
        .unwrap();
    assert_eq!(written, template.expand_with(&source, Missing::Keep));

    // The checked expansion names every token without a usable value.
    {
        let err = template.try_expand(&source).unwrap_err();
        let found: Vec<_> = err
            .problems()
            .iter()
            .map(|p| (p.token(), p.kind(), p.span().range()))
            .collect();
        assert_eq!(
            found,
            [
                ("t2", ProblemKind::Empty, 39..43),
                ("payout", ProblemKind::Missing, 46..54)
            ]
        );
        assert_eq!(
            err.to_string(),
            r#"2 tokens without a usable value: empty value for "t2" at bytes 39..43; no value for "payout" at bytes 46..54"#
        );
    }
    let complete = [("externalid", "e1"), ("t2", "s"), ("payout", "1")];
    assert_eq!(
        template.try_expand(&complete).unwrap(),
        "https://t.example/pb?id=e1&s=s&p=1"
    );
}

#[test]
fn keep_writes_the_token_as_it_was_written() {
    let options = ParseOptions::new().with_syntax(Syntax::DOUBLE_BRACKETS);
    let template = Template::parse_with(
        "https://t.example/?a=[[external_id]]&b=[[tName:zone]]",
        &options,
    )
    .unwrap();
    assert_eq!(
        template.expand_with(&[("x", "")], Missing::Keep),
        "https://t.example/?a=[[external_id]]&b=[[tName:zone]]"
    );
}

#[test]
fn the_checked_expansion_leaves_the_buffer_alone_on_failure() {
    let template = parse("?id={externalid}&p={payout}");
    let mut out = String::from("earlier;");
    let err = template
        .try_expand_into(&[("payout", "1")], &mut out)
        .unwrap_err();
    assert_eq!(err.problems().len(), 1);
    assert_eq!(out, "earlier;");
    template
        .try_expand_into(&[("payout", "1"), ("externalid", "e")], &mut out)
        .unwrap();
    assert_eq!(out, "earlier;https://t.example/?id=e&p=1");
}

#[test]
fn expansion_appends_and_writes_anywhere() {
    let template = parse("?c={clickid}");
    let mut out = String::from("GET ");
    template.expand_into(&[("clickid", "a b")], &mut out);
    template.expand_into(&[("clickid", "2")], &mut out);
    assert_eq!(out, "GET https://t.example/?c=a%20bhttps://t.example/?c=2");

    struct Failing;
    impl core::fmt::Write for Failing {
        fn write_str(&mut self, _: &str) -> core::fmt::Result {
            Err(core::fmt::Error)
        }
    }
    assert!(
        template
            .write_to(&[("clickid", "x")], &mut Failing)
            .is_err()
    );
    let mut written = String::new();
    template
        .write_to(&[("clickid", "x")], &mut written)
        .unwrap();
    assert_eq!(written, "https://t.example/?c=x");
}

#[test]
fn expansion_asks_for_every_token_once_in_order() {
    let template = parse("{clickid}{{{payout}{clickid}");
    let asked = std::cell::RefCell::new(Vec::new());
    let source = from_fn(|token| {
        asked.borrow_mut().push(token.to_string());
        None
    });
    template.expand(&source);
    assert_eq!(*asked.borrow(), ["clickid", "payout", "clickid"]);
}

#[test]
fn sources_of_every_shape() {
    use std::collections::BTreeMap;
    let template = parse("?id={external_id}&z={tName:zoneid}&p={payout}");
    let expected = "https://t.example/?id=e%201&z=z1&p=2.50";
    let payout: Decimal = "2.50".parse().unwrap();

    let pairs = [
        ("externalid", Value::Str("e 1")),
        ("tName:zoneid", Value::Str("z1")),
        ("payout", Value::Decimal(payout)),
    ];
    assert_eq!(template.expand(&pairs), expected);
    assert_eq!(template.expand(&pairs[..]), expected);
    assert_eq!(template.expand(&pairs.to_vec()), expected);
    let btree: BTreeMap<String, Value> = pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert_eq!(template.expand(&btree), expected);
    let by_ref: &dyn TokenSource = &pairs;
    assert_eq!(template.expand(&by_ref), expected);
    let mixed = [("externalid", Box::<str>::from("e 1"))];
    assert_eq!(relative(parse("{externalid}").expand(&mixed)), "e%201");
    let numbers = [("payout", 7_u32)];
    assert_eq!(relative(parse("{payout}").expand(&numbers)), "7");
}

#[cfg(feature = "std")]
#[test]
fn hash_maps_are_sources() {
    use std::collections::HashMap;
    let template = parse("?id={external_id}&z={tName:zoneid}&p={payout}");
    let expected = "https://t.example/?id=e%201&z=z1&p=2.50";
    let pairs = [
        ("externalid", Value::Str("e 1")),
        ("tName:zoneid", Value::Str("z1")),
        ("payout", Value::Decimal("2.50".parse().unwrap())),
    ];
    let hash: HashMap<&str, Value> = pairs.iter().copied().collect();
    assert_eq!(template.expand(&hash), expected);
    let strings: HashMap<String, String> = [
        ("externalid", "e 1"),
        ("tName:zoneid", "z1"),
        ("payout", "2.50"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(template.expand(&strings), expected);
    let boxed: Box<dyn TokenSource> = Box::new(hash);
    assert_eq!(template.expand(&boxed), expected);
}

#[test]
fn the_first_matching_pair_wins() {
    let template = parse("{clickid}");
    assert_eq!(
        relative(template.expand(&[("clickid", "1"), ("clickid", "2")])),
        "1"
    );
}

#[test]
fn every_entry_point_writes_the_same_bytes() {
    let long = "Mozilla/5.0 (Linux; Android 14) é 🎉 &=#?/%+ ".repeat(7);
    let values = [
        Value::Str(""),
        Value::Str("plain-value_1.0~"),
        Value::Str("abcdefgh"),
        Value::Str("abcdefgh "),
        Value::Str(" abcdefgh"),
        Value::Str("São Paulo"),
        Value::Str(&long),
        Value::Str(".."),
        Value::Raw("a&b"),
        Value::Int(-7),
        Value::UInt(u64::MAX),
        Value::Float(0.1),
        Value::Float(f64::NAN),
        Value::Decimal("3.30".parse().unwrap()),
    ];
    let templates = [
        "https://{domain}/{t1}/x?a={t2}&b={{&c={t3}#{t4}",
        "https://t.example/{t1}{t2}{t3}{t4}",
        "https://t.example/{t1}.{t2}/%2{t3}",
        "https://t.example/plain",
    ];
    for text in templates {
        let template = Template::parse(text).unwrap();
        for missing in [Missing::Empty, Missing::Keep] {
            for value in values {
                let source = all(value);
                let expanded = template.expand_with(&source, missing);
                let mut written = String::new();
                template.write_with(&source, missing, &mut written).unwrap();
                assert_eq!(written, expanded, "{text} {value:?}");
                if missing == Missing::Keep {
                    continue;
                }
                let mut written = String::new();
                template.write_to(&source, &mut written).unwrap();
                let mut appended = String::from(">");
                template.expand_into(&source, &mut appended);
                let mut bytes = b">".to_vec();
                template.expand_into_vec(&source, &mut bytes);
                assert_eq!(written, expanded, "{text} {value:?}");
                assert_eq!(appended[1..], expanded, "{text} {value:?}");
                assert_eq!(bytes[1..], *expanded.as_bytes(), "{text} {value:?}");
            }
        }
    }
}

/// A template with a broken escape (`%2` then a token) must not let the value complete it:
/// `%2` and `e` would read as `.` and drop a path segment, `%2e%2` and `e` as `..` and climb.
/// The value's first byte, a hex digit, is encoded instead; decoding gives the same text.
#[test]
fn a_value_never_completes_an_escape_the_template_began() {
    let cases: &[(&str, Value, &str)] = &[
        (
            "https://h.example/a/%2{t1}/b",
            Value::Str("e"),
            "https://h.example/a/%2%65/b",
        ),
        (
            "https://h.example/a/%{t1}/b",
            Value::Str("2e"),
            "https://h.example/a/%%32e/b",
        ),
        (
            "https://h.example/a/%{t1}/b",
            Value::Str("2ex"),
            "https://h.example/a/%%32ex/b",
        ),
        (
            "https://h.example/a/%{t1}/b",
            Value::Str("x2e"),
            "https://h.example/a/%x2e/b",
        ),
        (
            "https://h.example/a/%{t1}/b",
            Value::Str("&"),
            "https://h.example/a/%%26/b",
        ),
        ("?a=%{t1}", Value::Int(26), "?a=%%326"),
        (
            "?a=%{t1}",
            Value::Decimal("2.5".parse().unwrap()),
            "?a=%%32.5",
        ),
        ("?a=%{t1}", Value::Raw("41"), "?a=%%341"),
        ("?a=%{t1}{t2}", Value::Str("4"), "?a=%%344"),
        ("?a=%4{t1}{t2}", Value::Str("1"), "?a=%4%311"),
        ("?a=%41{t1}", Value::Str("e"), "?a=%41e"),
        ("?a=%%{t1}", Value::Str("e"), "?a=%%%65"),
    ];
    for (template, value, expected) in cases {
        assert_eq!(
            expand(template, *value),
            *expected,
            "{template} with {value:?}"
        );
    }
    // An escaped `%` and a literal hex digit after it leave an escape open too.
    let options = ParseOptions::new().with_syntax(Syntax::PERCENT);
    let template = Template::parse_with("https://h.example/a/%%2%t1%/b", &options).unwrap();
    assert_eq!(
        template.expand(&[("t1", "e")]),
        "https://h.example/a/%2%65/b"
    );
    // A value missing after an open escape keeps its token's text, which breaks the escape:
    // the literal `2` after it, or the next value, cannot complete it.
    let template = Template::parse("https://h.example/a/%{t1}2{t2}/b").unwrap();
    assert_eq!(
        template.expand(&[("t1", ""), ("t2", "e")]),
        "https://h.example/a/%{t1}2e/b"
    );
    let template = parse("?a=%{t1}{t2}");
    assert_eq!(
        relative(template.expand(&[("t1", ""), ("t2", "41")])),
        "?a=%{t1}41"
    );
    // Modified values too, and the path keeps its segments whatever the value.
    let template = Template::parse("https://h.example/a/b/%2e%2{t1|lower}/c").unwrap();
    for value in ["E", "e", "x", "eeee"] {
        let url = url::Url::parse(&template.expand(&[("t1", value)])).unwrap();
        assert_eq!(url.path_segments().unwrap().count(), 4, "{value}");
    }
    // With % delimiters the escape `%%` writes a `%` that is open too.
    let options = ParseOptions::new().with_syntax(Syntax::PERCENT);
    let template = Template::parse_with("https://t.example/?a=%%%t1%", &options).unwrap();
    assert_eq!(
        template.expand(&[("t1", "41")]),
        "https://t.example/?a=%%341"
    );
}

/// Expansion goes through a buffer of a few hundred bytes: literals and values of every length
/// around its edges, ASCII and not, come out whole and in order through every entry point.
#[test]
fn pieces_of_every_length_cross_the_buffer_whole() {
    use percent_encoding::utf8_percent_encode;
    use postback::encode::COMPONENT;

    fn text(len: usize, salt: usize) -> String {
        let alphabet = ["a", "B", "7", "-", "é", " ", "&", "🎉", "~", "x"];
        let mut text = String::new();
        let mut i = salt;
        while text.len() < len {
            text.push_str(alphabet[i % alphabet.len()]);
            i = (i * 7 + 3) % 1009;
        }
        text
    }
    let lengths = [
        0, 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 63, 64, 65, 100, 191, 192, 255, 256, 257, 300, 600,
    ];
    for (i, &literal) in lengths.iter().enumerate() {
        for (j, &value) in lengths.iter().enumerate() {
            let lead = text(literal, i).replace([' ', '&'], "_");
            let tail = text(lengths[(i + j) % lengths.len()], j).replace([' ', '&'], "_");
            let template = format!("https://t.example/p?{lead}={{t1}}&{tail}={{t2}}{lead}");
            let template = Template::parse(&template).unwrap();
            let (first, second) = (text(value, i + j), text(value / 3, j));
            let source = [("t1", first.as_str()), ("t2", second.as_str())];
            let expected = format!(
                "https://t.example/p?{lead}={}&{tail}={}{lead}",
                utf8_percent_encode(&first, COMPONENT),
                utf8_percent_encode(&second, COMPONENT),
            );
            assert_eq!(template.expand(&source), expected, "{literal} {value}");
            let mut bytes = b">".to_vec();
            template.expand_into_vec(&source, &mut bytes);
            assert_eq!(bytes[1..], *expected.as_bytes(), "{literal} {value}");
            let mut written = String::new();
            template.write_to(&source, &mut written).unwrap();
            assert_eq!(written, expected, "{literal} {value}");
        }
    }
}

/// Found by fuzzing: a piece that fills the buffer to the byte, then an empty literal between
/// two tokens, must not write over what the buffer holds.
#[test]
fn a_full_buffer_is_never_written_over() {
    for lead in 0..=300 {
        let template = format!("?{}={{t1}}{{t2}}{{t3}}&z={{t4}}&end=1", "a".repeat(lead));
        let template = parse(&template);
        let source = [
            ("t1", Value::Raw("0123456789")),
            ("t2", Value::UInt(1_234_567)),
            ("t3", Value::Str("é")),
            ("t4", Value::Int(-5)),
        ];
        let expected = format!(
            "{BASE}?{}=01234567891234567%C3%A9&z=-5&end=1",
            "a".repeat(lead)
        );
        assert_eq!(template.expand(&source), expected, "{lead}");
        let mut bytes = Vec::new();
        template.expand_into_vec(&source, &mut bytes);
        assert_eq!(bytes, expected.as_bytes(), "{lead}");
    }
}
