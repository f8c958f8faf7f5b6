//! The public types: auto traits, and serde.

use postback::*;

#[test]
fn public_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Template<'static>>();
    send_sync::<Template<'_>>();
    send_sync::<Token<'_>>();
    send_sync::<Tokens<'_>>();
    send_sync::<Slot>();
    send_sync::<Syntax>();
    send_sync::<ParseOptions>();
    send_sync::<Unknown>();
    send_sync::<Schemes>();
    send_sync::<Missing>();
    send_sync::<ParseError>();
    send_sync::<ErrorKind>();
    send_sync::<Span>();
    send_sync::<BindError>();
    send_sync::<ExpandError>();
    send_sync::<Problem>();
    send_sync::<ProblemKind>();
    send_sync::<Value<'_>>();
    send_sync::<Decimal>();
    send_sync::<ParseDecimalError>();
    send_sync::<DecimalErrorKind>();
    send_sync::<traffic::ClickRecord>();
    send_sync::<traffic::PostbackError>();
    send_sync::<FromFn<'_, fn(&Token<'_>) -> Option<Value<'static>>>>();
}

#[test]
fn errors_are_std_errors() {
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    error::<ParseError>();
    error::<BindError>();
    error::<ExpandError>();
    error::<ParseDecimalError>();
}

#[test]
fn decimals_through_the_public_api() {
    for (text, scale) in [("10", 0), ("0.00003", 5), ("3.30", 2), ("-1.5", 1)] {
        let d: Decimal = text.parse().unwrap();
        assert_eq!((d.to_string(), d.scale()), (text.to_string(), scale));
    }
    for (bad, message) in [
        ("", "empty decimal"),
        ("1e5", r#"unexpected "e" at byte 1 in decimal"#),
        ("1.2.3", r#"unexpected "." at byte 3 in decimal"#),
        ("--1", r#"unexpected "-" at byte 1 in decimal"#),
    ] {
        let err = bad.parse::<Decimal>().unwrap_err();
        assert_eq!(err.to_string(), message, "{bad:?}");
    }
}

#[cfg(feature = "serde")]
mod serde {
    use super::*;

    #[test]
    fn templates_are_their_source_string() {
        let text = "https://t.example/?c={external_id}&x={{";
        let template = Template::parse(text).unwrap();
        let json = serde_json::to_string(&template).unwrap();
        assert_eq!(json, serde_json::to_string(text).unwrap());
        let back: Template<'static> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, template);
        // Also from an owned string value.
        let back: Template<'static> = serde_json::from_value(serde_json::json!(text)).unwrap();
        assert_eq!(back, template);
    }

    /// Every syntax, every `Unknown` policy, both cases: what a template is written as, and
    /// that it reads back equal, tokens and all.
    fn every_option() -> Vec<ParseOptions> {
        let syntaxes = [
            Syntax::BRACES,
            Syntax::DOUBLE_BRACKETS,
            Syntax::ANGLE_BRACKETS,
            Syntax::DOLLAR_BRACES,
            Syntax::DOUBLE_HASHES,
            Syntax::PERCENT,
            Syntax::new("«", "»").unwrap(),
            Syntax::new("__", "__").unwrap(),
        ];
        let mut all = Vec::new();
        for syntax in syntaxes {
            for unknown in [Unknown::Reject, Unknown::Literal, Unknown::Custom] {
                for ignore_case in [false, true] {
                    for schemes in [Schemes::Http, Schemes::Any] {
                        all.push(
                            ParseOptions::new()
                                .with_syntax(syntax.clone())
                                .with_unknown(unknown)
                                .with_ignore_case(ignore_case)
                                .with_schemes(schemes),
                        );
                    }
                }
            }
        }
        all
    }

    /// A template in `options`' syntax with a known token, one in another case, an unknown
    /// one, and an escape.
    fn template_in(options: &ParseOptions) -> String {
        let (open, close) = (options.syntax().open(), options.syntax().close());
        format!(
            "https://t.example/pb?id={open}externalid{close}&c={open}ClickID{close}\
             &s={open}sub1{close}&e={open}{open}"
        )
    }

    #[test]
    fn templates_keep_their_options_through_serde() {
        for options in every_option() {
            let text = template_in(&options);
            let Ok(template) = Template::parse_with(&text, &options) else {
                // Case-sensitive and rejecting: `ClickID` and `sub1` are errors, as they must be.
                assert_eq!(options.unknown(), Unknown::Reject, "{options:?}");
                continue;
            };
            let json = serde_json::to_string(&template).unwrap();
            let back: Template<'static> = serde_json::from_str(&json)
                .unwrap_or_else(|err| panic!("{json} does not read back: {err}"));
            assert_eq!(back, template, "{json}");
            assert_eq!(back.options(), &options, "{json}");
            assert_eq!(
                back.tokens().collect::<Vec<_>>(),
                template.tokens().collect::<Vec<_>>(),
                "{json}"
            );
            // The text alone parses back to the same template with the template's options.
            let printed = template.to_string();
            let again = Template::parse_with(&printed, template.options()).unwrap();
            assert_eq!(again, template);
            // As a plain string only with the default options; as an object otherwise.
            assert_eq!(
                json.starts_with('"'),
                options == ParseOptions::new(),
                "{json}"
            );
        }
    }

    #[test]
    fn a_template_with_options_is_an_object_of_what_differs() {
        let options = ParseOptions::new().with_syntax(Syntax::DOUBLE_BRACKETS);
        let template =
            Template::parse_with("https://t.example/?tag=[[externalid]]", &options).unwrap();
        let json = serde_json::to_string(&template).unwrap();
        assert_eq!(
            json,
            r#"{"template":"https://t.example/?tag=[[externalid]]","syntax":{"open":"[[","close":"]]"}}"#
        );
        // Settings keep it too: `[[externalid]]` does not come back as literal text.
        let settings = select::Settings {
            postback: Some(template.clone()),
            ..select::Settings::default()
        };
        let back: select::Settings =
            serde_json::from_str(&serde_json::to_string(&settings).unwrap()).unwrap();
        let postback = back.postback.unwrap();
        assert_eq!(postback.tokens().collect::<Vec<_>>(), [Token::ExternalId]);
        assert_eq!(postback, template);
        // Every option may be given or left out, in any order; nothing else may.
        let read = |json: &str| serde_json::from_str::<Template<'static>>(json);
        let full = read(
            r#"{"ignore_case":true,"unknown":"custom","syntax":{"open":"<","close":">"},"template":"https://t.example/?a=<T1>&b=<x>"}"#,
        )
        .unwrap();
        assert_eq!(
            full.tokens().collect::<Vec<_>>(),
            [
                Token::T(Slot::new(1).unwrap()),
                Token::Custom {
                    name: "x",
                    arg: None
                }
            ]
        );
        assert_eq!(
            read(r#"{"template":"https://t.example/"}"#).unwrap(),
            Template::parse("https://t.example/").unwrap()
        );
        let err = read(r#"{"template":"https://t.example/","missing":"keep"}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("unknown field `missing`"),
            "{err}"
        );
        let err = read(r#"{"syntax":{"open":"<","close":">"}}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("missing field `template`"),
            "{err}"
        );
        // A parse error under the options is the serde error.
        let err = read(
            r#"{"template":"https://t.example/?a=<clikid>","syntax":{"open":"<","close":">"}}"#,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with(r#"unknown token "clikid" at bytes"#),
            "{err}"
        );
    }

    #[test]
    fn a_bad_template_is_a_serde_error_with_the_parse_message() {
        let err = serde_json::from_str::<Template<'static>>(r#""https://t.example/?c={clikid}""#)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"unknown token "clikid" at bytes 21..29; did you mean "clickid"? at line 1 column 31"#
        );
        let err = serde_json::from_str::<Template<'static>>(r#""?c={clickid}""#).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"no scheme at byte 0; a postback URL starts with "http://" or "https://" and its host at line 1 column 14"#
        );
        let err = serde_json::from_str::<Template<'static>>("5").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid type: integer `5`, expected a postback template, or an object of a template and its options at line 1 column 1"
        );
    }

    #[test]
    fn syntaxes_and_options_round_trip() {
        let options = ParseOptions::new()
            .with_syntax(Syntax::new("[[", "]]").unwrap())
            .with_unknown(Unknown::Custom)
            .with_ignore_case(true)
            .with_schemes(Schemes::Any);
        let json = serde_json::to_string(&options).unwrap();
        assert_eq!(
            json,
            r#"{"syntax":{"open":"[[","close":"]]"},"unknown":"custom","ignore_case":true,"schemes":"any"}"#
        );
        assert_eq!(
            serde_json::from_str::<ParseOptions>(&json).unwrap(),
            options
        );
        // Every field is optional.
        assert_eq!(
            serde_json::from_str::<ParseOptions>("{}").unwrap(),
            ParseOptions::new()
        );
        let literal: ParseOptions = serde_json::from_str(r#"{"unknown":"literal"}"#).unwrap();
        assert_eq!(literal, ParseOptions::new().with_unknown(Unknown::Literal));
    }

    #[test]
    fn decimals_from_json_are_exact_or_refused() {
        // Strings and integers are read exactly, whatever their length.
        let exact = [
            (r#""0.1000000000000000055511151231257827""#, None),
            (r#""9007199254740993.0""#, Some("9007199254740993.0")),
            (r#""3.30""#, Some("3.30")),
            ("9007199254740993", Some("9007199254740993")),
            ("-7", Some("-7")),
        ];
        for (json, expected) in exact {
            let read = serde_json::from_str::<Decimal>(json).map(|d| d.to_string());
            match expected {
                Some(text) => assert_eq!(read.unwrap(), text, "{json}"),
                // More than 18 decimal places: refused as such, not rounded.
                None => assert!(read.unwrap_err().to_string().contains("18 decimal places")),
            }
        }
        // A JSON number with a fraction or an exponent is a binary float once parsed: it would
        // have been rounded, so it is refused, and the message says how to write it.
        for (json, shown) in [
            ("0.1000000000000000055511151231257827", "0.1"),
            ("9007199254740993.0", "9007199254740992"),
            ("50.0000000000000001", "50"),
            ("33.5", "33.5"),
            ("1e3", "1000"),
        ] {
            let err = serde_json::from_str::<Decimal>(json).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "a number with a fraction or an exponent is read as a binary float (here \
                     {shown}), which may not be the number written; write decimals as strings, \
                     such as \"3.30\" at line 1 column {}",
                    json.len()
                ),
            );
        }
        let err = serde_json::from_str::<Decimal>("18446744073709551615").unwrap_err();
        assert_eq!(
            err.to_string(),
            "decimal 18446744073709551615 out of range at line 1 column 20"
        );
        // A percentage is a decimal too: 50.0000000000000001 is not quietly 50.
        let err = serde_json::from_str::<select::Percent>("50.0000000000000001").unwrap_err();
        assert!(err.to_string().contains("binary float"), "{err}");
    }

    #[test]
    fn bad_syntaxes_and_options_are_rejected() {
        let err = serde_json::from_str::<Syntax>(r#"{"open":"","close":"}"}"#).unwrap_err();
        assert_eq!(err.to_string(), "a delimiter of a syntax is empty");
        let err = serde_json::from_str::<ParseOptions>(r#"{"unknwon":"custom"}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("unknown field `unknwon`"),
            "{err}"
        );
        let err = serde_json::from_str::<ParseOptions>(r#"{"unknown":"drop"}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("unknown variant `drop`"),
            "{err}"
        );
    }
}
