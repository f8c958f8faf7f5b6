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
            "?c={clickid{payout}",
            ErrorKind::Unterminated,
            (3, 4),
            r#"unterminated token at bytes 3..4: "{" is not closed by "}""#,
        ),
        (
            "?c={}",
            ErrorKind::EmptyName,
            (3, 5),
            "empty token name at bytes 3..5",
        ),
        (
            "?c={:x}",
            ErrorKind::EmptyName,
            (3, 7),
            "empty token name at bytes 3..7",
        ),
        (
            "?c={clikid}",
            ErrorKind::UnknownName,
            (3, 11),
            r#"unknown token "clikid" at bytes 3..11; did you mean "clickid"?"#,
        ),
        (
            "?c={sub_id_1}",
            ErrorKind::UnknownName,
            (3, 13),
            r#"unknown token "sub_id_1" at bytes 3..13"#,
        ),
        (
            "?c={status: lead=1 sale=2}",
            ErrorKind::UnknownName,
            (3, 26),
            r#"unknown token "status" at bytes 3..26; did you mean "cnv_status"?"#,
        ),
        (
            "?c={a\"b\r\n}",
            ErrorKind::UnknownName,
            (3, 10),
            r#"unknown token "a\"b\r\n" at bytes 3..10"#,
        ),
        (
            "?c={t0}",
            ErrorKind::InvalidSlot,
            (3, 7),
            r#"invalid slot "t0" at bytes 3..7; slots run from t1 to t10"#,
        ),
        (
            "?c={t11}",
            ErrorKind::InvalidSlot,
            (3, 8),
            r#"invalid slot "t11" at bytes 3..8; slots run from t1 to t10"#,
        ),
        (
            "?c={t01}",
            ErrorKind::InvalidSlot,
            (3, 8),
            r#"invalid slot "t01" at bytes 3..8; slots run from t1 to t10"#,
        ),
        (
            "?c={event0}",
            ErrorKind::InvalidSlot,
            (3, 11),
            r#"invalid slot "event0" at bytes 3..11; slots run from event1 to event10"#,
        ),
        (
            "?c={event11}",
            ErrorKind::InvalidSlot,
            (3, 12),
            r#"invalid slot "event11" at bytes 3..12; slots run from event1 to event10"#,
        ),
        (
            "?c={tName}",
            ErrorKind::MissingArgument,
            (3, 10),
            r#"token "tName" at bytes 3..10 needs an argument after ":""#,
        ),
        (
            "?c={tName:}",
            ErrorKind::MissingArgument,
            (3, 11),
            r#"token "tName" at bytes 3..11 needs an argument after ":""#,
        ),
        (
            "?c={clickid:x}",
            ErrorKind::UnexpectedArgument,
            (3, 14),
            r#"token "clickid" at bytes 3..14 takes no argument"#,
        ),
        (
            "?c={t1:x}",
            ErrorKind::UnexpectedArgument,
            (3, 9),
            r#"token "t1" at bytes 3..9 takes no argument"#,
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
            ("{x", ErrorKind::Unterminated),
            ("{}", ErrorKind::EmptyName),
            ("{t11}", ErrorKind::InvalidSlot),
            ("{tName}", ErrorKind::MissingArgument),
            ("{payout:x}", ErrorKind::UnexpectedArgument),
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
    let err = error("?c={clickid");
    assert_eq!(
        format!("{err:#}"),
        "unterminated token at bytes 3..4: \"{\" is not closed by \"}\"\n  ?c={clickid\n     ^"
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
        let err = error(&format!("{{{typo}}}"));
        assert_eq!(err.suggestion(), Some(meant), "{typo}");
    }
    assert_eq!(error("{revenue}").suggestion(), None);
}

#[test]
fn other_syntaxes() {
    let cases: &[(Syntax, &str, &[Token])] = &[
        (
            Syntax::DOUBLE_BRACKETS,
            "?c=[[clickid]]&p=[[payout]]",
            &[Token::ClickId, Token::Payout],
        ),
        (
            Syntax::ANGLE_BRACKETS,
            "?c=<clickid>&p=<payout>",
            &[Token::ClickId, Token::Payout],
        ),
        (
            Syntax::DOLLAR_BRACES,
            "?c=${clickid}&n={x}&d=$",
            &[Token::ClickId],
        ),
        (
            Syntax::DOUBLE_HASHES,
            "?c=##clickid##&p=##payout##",
            &[Token::ClickId, Token::Payout],
        ),
        (
            Syntax::PERCENT,
            "?c=%clickid%&p=%payout%",
            &[Token::ClickId, Token::Payout],
        ),
        (
            Syntax::new("__", "__").unwrap(),
            "?c=__clickid__",
            &[Token::ClickId],
        ),
        (
            Syntax::new("[+", "+]").unwrap(),
            "?c=[+clickid+]",
            &[Token::ClickId],
        ),
        (
            Syntax::new("«", "»").unwrap(),
            "?c=«clickid»&x=»",
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
        tokens("?s=${CLICKID}&p=${PAYOUT}", &options),
        [Token::ClickId, Token::Payout]
    );
    // A network's own macro, handed to the host.
    let options = options.with_unknown(Unknown::Custom);
    let template = Template::parse_with("?s=${SUBID}&c=${CLICKID}", &options).unwrap();
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
        "?s=s%201&c=c"
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
    ];
    for (syntax, template, expected) in cases {
        let options = ParseOptions::new().with_syntax(syntax.clone());
        let parsed = Template::parse_with(template, &options).unwrap();
        assert_eq!(parsed.expand(&source), *expected, "{template}");
        assert_eq!(parsed.to_string(), *template);
    }
}

#[test]
fn an_unterminated_token_points_at_its_opening_delimiter() {
    let options = ParseOptions::new().with_syntax(Syntax::DOUBLE_BRACKETS);
    let err = error_with("?a=[[clickid]&b=1", &options);
    assert_eq!(err.kind(), ErrorKind::Unterminated);
    assert_eq!(err.span().range(), 3..5);
    assert_eq!(
        err.to_string(),
        r#"unterminated token at bytes 3..5: "[[" is not closed by "]]""#
    );
    let err = error_with("%", &ParseOptions::new().with_syntax(Syntax::PERCENT));
    assert_eq!(err.span().range(), 0..1);
}

#[test]
fn unknown_tokens_can_stay_literal() {
    let options = ParseOptions::new().with_unknown(Unknown::Literal);
    let template =
        Template::parse_with("?a={sub_id_1}&c={clickid}&s={status: lead=1}", &options).unwrap();
    assert_eq!(template.tokens().collect::<Vec<_>>(), [Token::ClickId]);
    assert_eq!(
        template.expand(&[("clickid", "c&d")]),
        "?a={sub_id_1}&c=c%26d&s={status: lead=1}"
    );
}

#[test]
fn display_round_trips() {
    let options = ParseOptions::new().with_unknown(Unknown::Custom);
    for text in [
        "",
        "no tokens at all",
        "{clickid}",
        "https://t.example/a{{b}}c?x={external_id}&y={tName:zone id}#{t10}",
        "{status: lead=1 sale=2}{{{{{payout}",
        "São Paulo {city} 🎉",
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
    let parsed: Template<'static> = "?p={payout}".parse().unwrap();
    assert_eq!(parsed.tokens().collect::<Vec<_>>(), [Token::Payout]);
    let from_string = Template::try_from(String::from("?p={payout}")).unwrap();
    assert_eq!(from_string, parsed);
    let err = Template::parse_owned("{x".into(), &ParseOptions::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unterminated);
}

#[test]
fn debug_shows_source_and_tokens() {
    let template = Template::parse("?c={clickid}&z={tName:zone}").unwrap();
    assert_eq!(
        format!("{template:?}"),
        r#"Template { source: "?c={clickid}&z={tName:zone}", tokens: [ClickId, TName("zone")], .. }"#
    );
}

#[test]
fn long_templates_parse_in_one_pass() {
    // Thousands of tokens and escapes, and a long run of opening delimiters.
    let mut text = String::new();
    for i in 0..5000 {
        text.push_str(&format!("&v{i}={{t{}}}{{{{", i % 10 + 1));
    }
    let template = Template::parse(&text).unwrap();
    assert_eq!(template.tokens().count(), 5000);
    let braces = "{".repeat(100_001);
    assert_eq!(error(&braces).span().range(), 100_000..100_001);
}
