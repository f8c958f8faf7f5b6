//! The parser: syntaxes, escapes, and every error with its exact message and span.

use postback::{ErrorKind, ParseError, ParseOptions, Syntax, Template, Token, Unknown};

#[track_caller]
fn error(template: &str) -> ParseError {
    error_with(template, &ParseOptions::new())
}

#[track_caller]
fn error_with(template: &str, options: &ParseOptions) -> ParseError {
    match Template::parse_with(template, options) {
        Ok(parsed) => panic!("{template:?} parsed: {parsed:?}"),
        Err(err) => err,
    }
}

#[track_caller]
fn tokens(template: &str, options: &ParseOptions) -> Vec<Token<'static>> {
    let parsed = Template::parse_with(template, options).unwrap_or_else(|e| panic!("{e:#}"));
    parsed.tokens().map(owned).collect()
}

/// The tests only use named tokens, which borrow nothing.
fn owned(token: Token<'_>) -> Token<'static> {
    Token::from_name(token.name()).expect("a named token")
}

#[test]
fn every_error_kind_has_its_exact_message() {
    let options = ParseOptions::new();
    let cases: &[(&str, ErrorKind, (usize, usize), &str)] = &[
        (
            "https://t.example/?c={clickid",
            ErrorKind::Unterminated,
            (21, 22),
            r#"unterminated token at bytes 21..22: "{" is not closed by "}""#,
        ),
        (
            "https://t.example/?c={clickid{payout}",
            ErrorKind::Unterminated,
            (21, 22),
            r#"unterminated token at bytes 21..22: "{" is not closed by "}""#,
        ),
        (
            "https://t.example/?c={}",
            ErrorKind::EmptyName,
            (21, 23),
            "empty token name at bytes 21..23",
        ),
        (
            "https://t.example/?c={:x}",
            ErrorKind::EmptyName,
            (21, 25),
            "empty token name at bytes 21..25",
        ),
        (
            "https://t.example/?c={clikid}",
            ErrorKind::UnknownName,
            (21, 29),
            r#"unknown token "clikid" at bytes 21..29; did you mean "clickid"?"#,
        ),
        (
            "https://t.example/?c={sub_id_1}",
            ErrorKind::UnknownName,
            (21, 31),
            r#"unknown token "sub_id_1" at bytes 21..31"#,
        ),
        (
            "https://t.example/?c={status: lead=1 sale=2}",
            ErrorKind::UnknownName,
            (21, 44),
            r#"unknown token "status" at bytes 21..44; did you mean "cnv_status"?"#,
        ),
        (
            "https://t.example/?c={a\"b\r\n}",
            ErrorKind::UnknownName,
            (21, 28),
            r#"unknown token "a\"b\r\n" at bytes 21..28"#,
        ),
        (
            "https://t.example/?c={t0}",
            ErrorKind::InvalidSlot,
            (21, 25),
            r#"invalid slot "t0" at bytes 21..25; slots run from t1 to t10"#,
        ),
        (
            "https://t.example/?c={t11}",
            ErrorKind::InvalidSlot,
            (21, 26),
            r#"invalid slot "t11" at bytes 21..26; slots run from t1 to t10"#,
        ),
        (
            "https://t.example/?c={t01}",
            ErrorKind::InvalidSlot,
            (21, 26),
            r#"invalid slot "t01" at bytes 21..26; slots run from t1 to t10"#,
        ),
        (
            "https://t.example/?c={event0}",
            ErrorKind::InvalidSlot,
            (21, 29),
            r#"invalid slot "event0" at bytes 21..29; slots run from event1 to event10"#,
        ),
        (
            "https://t.example/?c={event11}",
            ErrorKind::InvalidSlot,
            (21, 30),
            r#"invalid slot "event11" at bytes 21..30; slots run from event1 to event10"#,
        ),
        (
            "https://t.example/?c={tName}",
            ErrorKind::MissingArgument,
            (21, 28),
            r#"token "tName" at bytes 21..28 needs an argument after ":""#,
        ),
        (
            "https://t.example/?c={tName:}",
            ErrorKind::MissingArgument,
            (21, 29),
            r#"token "tName" at bytes 21..29 needs an argument after ":""#,
        ),
        (
            "https://t.example/?c={clickid:x}",
            ErrorKind::UnexpectedArgument,
            (21, 32),
            r#"token "clickid" at bytes 21..32 takes no argument"#,
        ),
        (
            "https://t.example/?c={t1:x}",
            ErrorKind::UnexpectedArgument,
            (21, 27),
            r#"token "t1" at bytes 21..27 takes no argument"#,
        ),
    ];
    for &(template, kind, (start, end), message) in cases {
        let err = error_with(template, &options);
        assert_eq!(err.kind(), kind, "{template:?}");
        assert_eq!(err.span().range(), start..end, "{template:?}");
        assert_eq!(err.to_string(), message, "{template:?}");
        assert_eq!(err.template(), template);
        assert!(!err.to_string().contains('\n'), "one line");
    }
    // `ErrorKind::TooLong` needs a 4 GiB template; its message is tested in `src/error.rs`.
}

#[test]
fn malformed_tokens_are_errors_whatever_the_unknown_policy() {
    for unknown in [Unknown::Reject, Unknown::Literal, Unknown::Custom] {
        let options = ParseOptions::new().with_unknown(unknown);
        for (template, kind) in [
            ("https://t.example/{x", ErrorKind::Unterminated),
            ("https://t.example/{}", ErrorKind::EmptyName),
            ("https://t.example/{t11}", ErrorKind::InvalidSlot),
            ("https://t.example/{tName}", ErrorKind::MissingArgument),
            (
                "https://t.example/{payout:x}",
                ErrorKind::UnexpectedArgument,
            ),
        ] {
            assert_eq!(
                error_with(template, &options).kind(),
                kind,
                "{template} {unknown:?}"
            );
        }
    }
}

#[test]
fn the_alternate_form_draws_a_caret() {
    let err = error("https://s.magsrv.com/tag.php?goal=4f1b&tag={externa_id}&value={payout}");
    assert_eq!(
        format!("{err:#}"),
        r#"unknown token "externa_id" at bytes 43..55; did you mean "externalid"?
  https://s.magsrv.com/tag.php?goal=4f1b&tag={externa_id}&value={payout}
                                             ^^^^^^^^^^^^"#
    );
    let err = error("https://t.example/?c={clickid");
    assert_eq!(
        format!("{err:#}"),
        "unterminated token at bytes 21..22: \"{\" is not closed by \"}\"\n  \
         https://t.example/?c={clickid\n                       ^"
    );
}

#[test]
fn suggestions_for_real_typos() {
    for (typo, meant) in [
        ("clikid", "clickid"),
        ("click_id", "clickid"),
        ("ClickId", "clickid"),
        ("externa_id", "externalid"),
        ("extrenal_id", "external_id"),
        ("payuot", "payout"),
        ("tNmae:zoneid", "tName"),
        ("t_1", "t1"),
        ("cnv_staus", "cnv_status"),
    ] {
        let err = error(&format!("https://t.example/?x={{{typo}}}"));
        assert_eq!(err.suggestion(), Some(meant), "{typo}");
    }
    assert_eq!(error("https://t.example/{revenue}").suggestion(), None);
}

#[test]
fn other_syntaxes() {
    let cases: &[(Syntax, &str, &[Token])] = &[
        (
            Syntax::DOUBLE_BRACKETS,
            "https://t.example/?c=[[clickid]]&p=[[payout]]",
            &[Token::ClickId, Token::Payout],
        ),
        (
            Syntax::ANGLE_BRACKETS,
            "https://t.example/?c=<clickid>&p=<payout>",
            &[Token::ClickId, Token::Payout],
        ),
        (
            Syntax::DOLLAR_BRACES,
            "https://t.example/?c=${clickid}&n={x}&d=$",
            &[Token::ClickId],
        ),
        (
            Syntax::DOUBLE_HASHES,
            "https://t.example/?c=##clickid##&p=##payout##",
            &[Token::ClickId, Token::Payout],
        ),
        (
            Syntax::PERCENT,
            "https://t.example/?c=%clickid%&p=%payout%",
            &[Token::ClickId, Token::Payout],
        ),
        (
            Syntax::new("__", "__").unwrap(),
            "https://t.example/?c=__clickid__",
            &[Token::ClickId],
        ),
        (
            Syntax::new("[+", "+]").unwrap(),
            "https://t.example/?c=[+clickid+]",
            &[Token::ClickId],
        ),
        (
            Syntax::new("«", "»").unwrap(),
            "https://t.example/?c=«clickid»&x=»",
            &[Token::ClickId],
        ),
    ];
    for (syntax, template, expected) in cases {
        let options = ParseOptions::new().with_syntax(syntax.clone());
        assert_eq!(tokens(template, &options), *expected, "{template}");
    }
}

#[test]
fn shouting_syntax_with_ignore_case() {
    let options = ParseOptions::new()
        .with_syntax(Syntax::DOLLAR_BRACES)
        .with_ignore_case(true);
    assert_eq!(
        tokens("https://t.example/?s=${CLICKID}&p=${PAYOUT}", &options),
        [Token::ClickId, Token::Payout]
    );
    // A network's own macro, handed to the host.
    let options = options.with_unknown(Unknown::Custom);
    let template =
        Template::parse_with("https://t.example/?s=${SUBID}&c=${CLICKID}", &options).unwrap();
    let subid = Token::Custom {
        name: "SUBID",
        arg: None,
    };
    assert_eq!(
        template.tokens().collect::<Vec<_>>(),
        [subid, Token::ClickId]
    );
    assert_eq!(
        template.expand(&[("SUBID", "s 1"), ("clickid", "c")]),
        "https://t.example/?s=s%201&c=c"
    );
}

#[test]
fn a_doubled_opening_delimiter_is_a_literal() {
    let source = [("clickid", "c")];
    let cases: &[(Syntax, &str, &str)] = &[
        (Syntax::BRACES, "?a={{&b={clickid}", "?a={&b=c"),
        (Syntax::BRACES, "{{{clickid}}}", "{c}}"),
        (Syntax::BRACES, "{{clickid}}", "{clickid}}"),
        (Syntax::BRACES, "}{clickid}}", "}c}"),
        (Syntax::BRACES, "{{{{", "{{"),
        (Syntax::DOUBLE_BRACKETS, "[[[[x]]", "[[x]]"),
        (Syntax::PERCENT, "?a=100%%&c=%clickid%", "?a=100%&c=c"),
        (Syntax::DOUBLE_HASHES, "######clickid##", "##c"),
        (Syntax::DOUBLE_HASHES, "?a=####&b=##clickid##", "?a=##&b=c"),
    ];
    for (syntax, template, expected) in cases {
        let options = ParseOptions::new().with_syntax(syntax.clone());
        let template = format!("https://t.example/{template}");
        let parsed = Template::parse_with(&template, &options).unwrap();
        let expected = format!("https://t.example/{expected}");
        assert_eq!(parsed.expand(&source), expected, "{template}");
        assert_eq!(parsed.to_string(), template);
    }
}

#[test]
fn an_unterminated_token_points_at_its_opening_delimiter() {
    let options = ParseOptions::new().with_syntax(Syntax::DOUBLE_BRACKETS);
    let err = error_with("https://t.example/?a=[[clickid]&b=1", &options);
    assert_eq!(err.kind(), ErrorKind::Unterminated);
    assert_eq!(err.span().range(), 21..23);
    assert_eq!(
        err.to_string(),
        r#"unterminated token at bytes 21..23: "[[" is not closed by "]]""#
    );
    let percent = ParseOptions::new().with_syntax(Syntax::PERCENT);
    let err = error_with("https://t.example/%", &percent);
    assert_eq!(err.span().range(), 18..19);
}

#[test]
fn unknown_tokens_can_stay_literal() {
    let options = ParseOptions::new().with_unknown(Unknown::Literal);
    let template = Template::parse_with(
        "https://t.example/?a={sub_id_1}&c={clickid}&s={status:lead=1}",
        &options,
    )
    .unwrap();
    assert_eq!(template.tokens().collect::<Vec<_>>(), [Token::ClickId]);
    assert_eq!(
        template.expand(&[("clickid", "c&d")]),
        "https://t.example/?a={sub_id_1}&c=c%26d&s={status:lead=1}"
    );
    // Kept as text, a token is literal text, and is checked as such.
    let err = error_with("https://t.example/?s={status: lead=1}", &options);
    assert_eq!(err.kind(), ErrorKind::InvalidChar);
    assert_eq!(err.span().range(), 29..30);
}

#[test]
fn display_round_trips() {
    let options = ParseOptions::new().with_unknown(Unknown::Custom);
    for text in [
        "https://t.example",
        "https://t.example/no/tokens/at/all",
        "https://{clickid}",
        "https://t.example/a{{b}}c?x={external_id}&y={tName:zone id}#{t10}",
        "https://t.example/{status: lead=1 sale=2}{{{{{payout}",
        "https://t.example/São/Paulo/{city}/🎉",
    ] {
        let template = Template::parse_with(text, &options).unwrap();
        assert_eq!(template.to_string(), text);
        assert_eq!(template.as_str(), text);
        let printed = template.to_string();
        let reparsed = Template::parse_with(&printed, &options).unwrap();
        assert_eq!(reparsed, template);
        assert_eq!(template.clone().into_owned(), template);
    }
}

#[test]
fn owned_templates_outlive_their_input() {
    let owned: Template<'static> = {
        let text = String::from("https://t.example/?c={clickid}");
        Template::parse(&text).unwrap().into_owned()
    };
    assert_eq!(owned.expand(&[("clickid", "1")]), "https://t.example/?c=1");
    let parsed: Template<'static> = "https://t.example/?p={payout}".parse().unwrap();
    assert_eq!(parsed.tokens().collect::<Vec<_>>(), [Token::Payout]);
    let from_string = Template::try_from(String::from("https://t.example/?p={payout}")).unwrap();
    assert_eq!(from_string, parsed);
    let err =
        Template::parse_owned("https://t.example/{x".into(), &ParseOptions::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unterminated);
}

#[test]
fn debug_shows_source_and_tokens() {
    let template = Template::parse("https://t.example/?c={clickid}&z={tName:zone}").unwrap();
    assert_eq!(
        format!("{template:?}"),
        r#"Template { source: "https://t.example/?c={clickid}&z={tName:zone}", tokens: [ClickId, TName("zone")], .. }"#
    );
}

#[test]
fn long_templates_parse_in_one_pass() {
    // Thousands of tokens and escapes, and a long run of opening delimiters.
    let mut text = String::from("https://t.example/?");
    for i in 0..5000 {
        text.push_str(&format!("&v{i}={{t{}}}{{{{", i % 10 + 1));
    }
    let template = Template::parse(&text).unwrap();
    assert_eq!(template.tokens().count(), 5000);
    let braces = format!("https://t.example/{}", "{".repeat(100_001));
    assert_eq!(error(&braces).span().range(), 100_018..100_019);
}
