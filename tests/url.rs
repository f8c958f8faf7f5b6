//! A template is an absolute URL, or a parse error: what the WHATWG URL parser (`url`,
//! browsers, `ureq`, `reqwest`) would read differently from the crate is refused, with the
//! kind, the span and the message a tracker's UI shows.

use postback::{ErrorKind, Missing, ParseOptions, ProblemKind, Schemes, Syntax, Template, Value};

#[track_caller]
fn refused(template: &str, options: &ParseOptions) -> postback::ParseError {
    match Template::parse_with(template, options) {
        Ok(parsed) => panic!("{template:?} parsed: {parsed:?}"),
        Err(err) => err,
    }
}

/// Each template of the issue sent a postback (payout, click ids) to `evil.example` when `t1`
/// was `evil.example`, or failed only when sent. Each is refused now, precisely.
#[test]
fn what_a_url_parser_reads_otherwise_is_refused() {
    const HTTP: &str = r#"; a postback URL starts with "http://" or "https://" and its host"#;
    const HOST: &str = r#"; a postback URL names its host after "//""#;
    #[rustfmt::skip]
    let cases: &[(&str, ErrorKind, (usize, usize), &str)] = &[
        // WHATWG takes what follows a special scheme's `:` as the host, slashes or not.
        ("https:{t1}/pb", ErrorKind::Scheme, (6, 10),
            r#"token "{t1}" at bytes 6..10 stands before the host"#),
        ("https:/{t1}/pb", ErrorKind::Scheme, (7, 11),
            r#"token "{t1}" at bytes 7..11 stands before the host"#),
        ("https:///{t1}/pb", ErrorKind::EmptyHost, (8, 8), "no host at byte 8"),
        ("https:\\\\{t1}/pb", ErrorKind::InvalidChar, (6, 7),
            r#"backslash at byte 6; URL parsers read it as "/" (write %5C for one)"#),
        // Pasted into a tracker's UI with a space or a tab in front.
        (" https://{t1}/pb", ErrorKind::InvalidChar, (0, 1),
            "whitespace at byte 0; a postback URL has none (a pasted space?)"),
        ("\thttps://t.example/pb", ErrorKind::InvalidChar, (0, 1),
            r#"whitespace "\t" at byte 0; a postback URL has none (a pasted line?)"#),
        // A value would pick the scheme: `file`, `javascript`.
        ("{t1}://host.example/pb", ErrorKind::Scheme, (0, 4),
            r#"token "{t1}" at bytes 0..4 stands before the host"#),
        // WHATWG reads `\` as `/`, so a `..` value would climb.
        ("https://host.example\\{t1}\\b", ErrorKind::InvalidChar, (20, 21),
            r#"backslash at byte 20; URL parsers read it as "/" (write %5C for one)"#),
        // Failed only at send time, with no position.
        ("https://t.example/pb?a=1 &b={t1}", ErrorKind::InvalidChar, (24, 25),
            "whitespace at byte 24; a postback URL has none (a pasted space?)"),
        ("https://t.example/pb?a={t1}\n", ErrorKind::InvalidChar, (27, 28),
            r#"whitespace "\n" at byte 27; a postback URL has none (a pasted line?)"#),
        ("https://t.example/pb?a=\u{a0}{t1}", ErrorKind::InvalidChar, (23, 25),
            r#"whitespace "\u{a0}" at byte 23; a postback URL has none (a pasted line?)"#),
        ("https://t.example/pb?a=\u{7f}{t1}", ErrorKind::InvalidChar, (23, 24),
            r#"control character "\u{7f}" at byte 23; a postback URL has none"#),
        // Not an absolute http(s) URL at all.
        ("?tag={externalid}", ErrorKind::Scheme, (0, 0), "no scheme at byte 0"),
        ("s.magsrv.com/tag.php?tag={externalid}", ErrorKind::Scheme, (0, 0), "no scheme at byte 0"),
        ("", ErrorKind::Scheme, (0, 0), "no scheme at byte 0"),
        ("1http://t.example/", ErrorKind::Scheme, (0, 0), "no scheme at byte 0"),
        ("ftp://t.example/{t1}", ErrorKind::Scheme, (0, 3),
            r#"scheme "ftp" at bytes 0..3 is not http or https"#),
        ("httpx://t.example/{t1}", ErrorKind::Scheme, (0, 5),
            r#"scheme "httpx" at bytes 0..5 is not http or https"#),
        ("javascript:alert({t1})", ErrorKind::Scheme, (0, 10),
            r#"scheme "javascript" at bytes 0..10 is not http or https"#),
        ("https:t.example/{t1}", ErrorKind::Scheme, (0, 6),
            r#""https:" at bytes 0..6 is not followed by "//""#),
        ("https:/t.example/{t1}", ErrorKind::Scheme, (0, 7),
            r#""https:/" at bytes 0..7 is not followed by "//""#),
        ("https:", ErrorKind::Scheme, (0, 6), r#""https:" at bytes 0..6 is not followed by "//""#),
        // No host: WHATWG would take the first segment as one, or fail.
        ("https://", ErrorKind::EmptyHost, (8, 8), "no host at byte 8"),
        ("https://?a={t1}", ErrorKind::EmptyHost, (8, 8), "no host at byte 8"),
        ("https://user@/{t1}", ErrorKind::EmptyHost, (8, 13), r#"no host in "user@" at bytes 8..13"#),
        ("https://:443/{t1}", ErrorKind::EmptyHost, (8, 12), r#"no host in ":443" at bytes 8..12"#),
        ("https://{t1}@/x", ErrorKind::EmptyHost, (8, 13), r#"no host in "{t1}@" at bytes 8..13"#),
        // Hosts and ports no URL parser takes, whatever the values.
        ("https://a<b/{t1}", ErrorKind::InvalidHost, (9, 10), r#""<" at byte 9 cannot stand in a host"#),
        ("https://h%2f/{t1}", ErrorKind::InvalidHost, (9, 10), r#""%" at byte 9 cannot stand in a host"#),
        ("https://{t1}|x/", ErrorKind::InvalidHost, (12, 13), r#""|" at byte 12 cannot stand in a host"#),
        ("https://h:abc/{t1}", ErrorKind::InvalidHost, (10, 11),
            r#""a" at byte 10 cannot stand in a port, which is digits"#),
        ("https://h:8{t1}é/", ErrorKind::InvalidHost, (15, 17),
            r#""é" at byte 15 cannot stand in a port, which is digits"#),
        ("https://[::1/{t1}", ErrorKind::InvalidHost, (8, 9), r#""[" at byte 8 is not closed by "]" in the host"#),
        ("https://h]/{t1}", ErrorKind::InvalidHost, (9, 10), r#""]" at byte 9 closes no "[" in the host"#),
        ("https://h[::1]/", ErrorKind::InvalidHost, (9, 10), r#""[" at byte 9 cannot stand in a host"#),
        // Found by the naive reference: after `]`, only a port.
        ("https://[::1]x/", ErrorKind::InvalidHost, (13, 14), r#""x" at byte 13 cannot stand in a host"#),
        // Dot segments of literal text: URL parsers remove them, and `..` a token before it.
        ("https://t.example/{t1}/../b", ErrorKind::DotSegment, (23, 25),
            r#"dot segment ".." at bytes 23..25; URL parsers remove it"#),
        ("https://t.example/./{t1}", ErrorKind::DotSegment, (18, 19),
            r#"dot segment "." at bytes 18..19; URL parsers remove it"#),
        ("https://t.example/a/%2e%2E?x={t1}", ErrorKind::DotSegment, (20, 26),
            r#"dot segment "%2e%2E" at bytes 20..26; URL parsers remove it"#),
        ("https://t.example/a/.", ErrorKind::DotSegment, (20, 21),
            r#"dot segment "." at bytes 20..21; URL parsers remove it"#),
    ];
    let options = ParseOptions::new();
    for &(template, kind, (start, end), message) in cases {
        let err = refused(template, &options);
        assert_eq!(err.kind(), kind, "{template:?}: {err}");
        assert_eq!(err.span().range(), start..end, "{template:?}: {err}");
        let reason = match kind {
            ErrorKind::Scheme => HTTP,
            ErrorKind::EmptyHost => HOST,
            _ => "",
        };
        assert_eq!(
            err.to_string(),
            format!("{message}{reason}"),
            "{template:?}"
        );
        assert!(!format!("{err:#}").is_empty());
    }
}

#[test]
fn absolute_http_urls_parse_in_any_case() {
    for template in [
        "https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}",
        "http://t.example",
        "HTTPS://T.EXAMPLE/{t1}",
        "HtTp://t.example:8080/a?b#c",
        "https://user:pass@t.example/",
        "https://[::1]:8443/{t1}",
        "https://u<s%20r:p|w@h.example/{t1}",
        "https://h.example:/{t1}",
        "https://{domain}/pb",
        "https://{t1}.t.example/pb",
        "https://t.example:{t1}/pb",
        "https://t.example/.../{t1}",
        "https://t.example/.{t1}/",
        "https://t.example/%2e{t1}",
        "https://t.example/?a=.&b=..#..",
        "https://t.example/straße/{t1}",
    ] {
        assert!(
            Template::parse(template).is_ok(),
            "{template}: {}",
            Template::parse(template).unwrap_err()
        );
    }
}

#[test]
fn other_schemes_on_request() {
    let any = ParseOptions::new().with_schemes(Schemes::Any);
    assert_eq!(any.schemes(), Schemes::Any);
    assert_eq!(ParseOptions::new().schemes(), Schemes::Http);
    for template in [
        "myapp://pb.example/?c={clickid}",
        "a+b-c.d://h/",
        "https://t.example/",
    ] {
        assert!(Template::parse_with(template, &any).is_ok(), "{template}");
    }
    const ANY: &str = r#"; a postback URL starts with a scheme, "://" and its host"#;
    for (template, span, message) in [
        (
            "mailto:pb@example.com",
            (0, 7),
            r#""mailto:" at bytes 0..7 is not followed by "//""#,
        ),
        (
            "{t1}://host/",
            (0, 4),
            r#"token "{t1}" at bytes 0..4 stands before the host"#,
        ),
        ("//host/{t1}", (0, 0), "no scheme at byte 0"),
        // WHATWG may read a `file:` host as a path: `file://{t1}/x` with `C:` has no host.
        (
            "FILE://{t1}/x",
            (0, 4),
            r#"scheme "FILE" at bytes 0..4 is not allowed"#,
        ),
    ] {
        let err = refused(template, &any);
        assert_eq!(err.kind(), ErrorKind::Scheme, "{template}");
        assert_eq!(err.span().range(), span.0..span.1, "{template}");
        assert_eq!(err.to_string(), format!("{message}{ANY}"), "{template}");
    }
}

#[test]
fn the_first_problem_from_the_left_is_the_error() {
    // The literal text before a token is checked before the token.
    let err = refused("https://t.example/a b{clikid}", &ParseOptions::new());
    assert_eq!(err.kind(), ErrorKind::InvalidChar);
    let err = refused("https://t.example/{clikid}a b", &ParseOptions::new());
    assert_eq!(err.kind(), ErrorKind::UnknownName);
    // A token's place comes before its modifiers, which stand further right.
    let err = refused("https:{t1|bogus}/x", &ParseOptions::new());
    assert_eq!((err.kind(), err.span().range()), (ErrorKind::Scheme, 6..16));
    // An escape writes its delimiter: under `##x##`, `####` writes `##`, a fragment.
    let hashes = ParseOptions::new().with_syntax(Syntax::DOUBLE_HASHES);
    let template = Template::parse_with("https://t.example/####?a=##t1##", &hashes).unwrap();
    let expanded = template.expand(&[("t1", "x")]);
    assert_eq!(expanded, "https://t.example/##?a=x");
    let url = url::Url::parse(&expanded).unwrap();
    assert_eq!((url.path(), url.query()), ("/", None));
}

/// A missing or refused value never lets the template's own text change the path: where
/// writing nothing would make a dot segment, or complete a `%` escape, the token's own text
/// is written instead, whatever the `Missing` policy (as in the authority).
#[test]
fn a_missing_value_never_lets_the_template_change_the_path() {
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    #[rustfmt::skip]
    let cases: &[Case] = &[
        ("https://h.example/a/.{t1}/b",     &[],             "https://h.example/a/.{t1}/b"),
        ("https://h.example/a/..{t1}/b",    &[],             "https://h.example/a/..{t1}/b"),
        ("https://h.example/a/{t1}.{t2}/b", &[],             "https://h.example/a/{t1}.{t2}/b"),
        ("https://h.example/a/{t1}.{t2}/b", &[("t2", "x")],  "https://h.example/a/{t1}.x/b"),
        ("https://h.example/a/{t1}.{t2}/b", &[("t1", "x")],  "https://h.example/a/x.{t2}/b"),
        // The crate rightly refuses a value of dots; the segment still keeps its count.
        ("https://h.example/a/.{t1}/b",     &[("t1", "..")], "https://h.example/a/.{t1}/b"),
        ("https://h.example/a/.{t1}/b",     &[("t1", "x")],  "https://h.example/a/.x/b"),
        // An escape the template leaves open is never completed by the text after a token.
        ("https://h.example/a/%2{t1}e/b",   &[],             "https://h.example/a/%2{t1}e/b"),
        ("https://h.example/a/%2{t1}e/b",   &[("t1", "e")],  "https://h.example/a/%2%65e/b"),
        ("https://h.example/a/%{t1}2e/b",   &[],             "https://h.example/a/%{t1}2e/b"),
        // Elsewhere writing nothing changes nothing: the policy applies.
        ("https://h.example/a/{t1}/b",      &[],             "https://h.example/a//b"),
        ("https://h.example/a/...{t1}/b",   &[],             "https://h.example/a/.../b"),
        ("https://h.example/a/x.{t1}/b",    &[],             "https://h.example/a/x./b"),
    ];
    for &(template, values, expected) in cases {
        let parsed = Template::parse(template).unwrap();
        let expanded = parsed.expand(values);
        assert_eq!(expanded, expected, "{template} with {values:?}");
        let segments = |url: &str| {
            url::Url::parse(url)
                .unwrap()
                .path_segments()
                .unwrap()
                .count()
        };
        assert_eq!(segments(&expanded), 3, "{expanded}");
        let kept = parsed.expand_with(values, Missing::Keep);
        assert_eq!(segments(&kept), 3, "{kept}");
        // The checked expansion refuses them all the same.
        if expected.contains('{') {
            assert!(parsed.try_expand(values).is_err(), "{template}");
        }
    }
    let err = Template::parse("https://h.example/a/.{t1}/b")
        .unwrap()
        .try_expand(&[("t1", "..")])
        .unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::DotSegment);
}

/// The text kept in place of a value is encoded where its characters would change the URL:
/// `%x%` cannot start an escape, `##x##` a fragment, `a&b` a parameter.
#[test]
fn kept_text_changes_nothing_in_any_syntax() {
    let cases: &[(Syntax, &str, &str)] = &[
        (Syntax::BRACES, "?a={t1}&b=1", "?a={t1}&b=1"),
        (
            Syntax::BRACES,
            "?a={tName:zone id|map:a=b}",
            "?a={tName:zone%20id|map:a%3Db}",
        ),
        (Syntax::DOUBLE_BRACKETS, "?a=[[t1]]", "?a=[[t1]]"),
        (Syntax::ANGLE_BRACKETS, "?a=<t1>", "?a=<t1>"),
        (Syntax::DOLLAR_BRACES, "?a=${t1}", "?a=${t1}"),
        (
            Syntax::DOUBLE_HASHES,
            "?a=##t1##&b=1",
            "?a=%23%23t1%23%23&b=1",
        ),
        (Syntax::PERCENT, "?a=%t1%%t2%", "?a=%25t1%252e"),
    ];
    for (syntax, template, expected) in cases {
        let options = ParseOptions::new().with_syntax(syntax.clone());
        let template = format!("https://t.example/{template}");
        let parsed = Template::parse_with(&template, &options).unwrap();
        let values = [("t2", Value::Str("2e"))];
        let expanded = parsed.expand_with(&values, Missing::Keep);
        assert_eq!(
            expanded,
            format!("https://t.example/{expected}"),
            "{template}"
        );
        let url = url::Url::parse(&expanded).unwrap();
        assert_eq!(url.fragment(), None, "{expanded}");
    }
    // `%t1%` kept under `%x%` syntax: `2e`, the next value, stays itself.
    let options = ParseOptions::new().with_syntax(Syntax::PERCENT);
    let parsed = Template::parse_with("https://t.example/?a=%t1%%t2%", &options).unwrap();
    let expanded = parsed.expand_with(&[("t2", "2e")], Missing::Keep);
    let url = url::Url::parse(&expanded).unwrap();
    let (_, a) = url.query_pairs().next().unwrap();
    assert_eq!(a, "%t1%2e");
}

/// Found by the naive reference in `tests/properties/`: an escape writes its delimiter once
/// and skips the second copy, so the scheme and the host are what the template writes, not
/// the bytes it is made of.
#[test]
fn an_escaped_delimiter_is_read_as_the_text_it_writes() {
    // Under `t…t`, `https` written as it is reads `htps`, not a scheme we take; `httttps` is it.
    let options = ParseOptions::new().with_syntax(Syntax::new("t", "t").unwrap());
    let err = refused("https://h.example/", &options);
    assert_eq!(err.kind(), ErrorKind::Scheme);
    assert_eq!(err.span().range(), 0..5);
    let template = Template::parse_with("httttps://tt.example/", &options).unwrap();
    assert_eq!(template.expand(&[("x", "y")]), "https://t.example/");
    // Under `/…/`, `//` writes one `/`: `https://////` is `https:///`, whose authority, from
    // byte 10, is empty.
    let options = ParseOptions::new().with_syntax(Syntax::new("/", "/").unwrap());
    let err = refused("https://////", &options);
    assert_eq!(err.kind(), ErrorKind::EmptyHost);
    assert_eq!(err.span().range(), 10..10);
}
