//! Token modifiers: `{payout|percent:50}`, `{cnv_status|map:lead=install,sale=bill}`,
//! `{t1|default:none}`, `{referer|raw}`, `{cnv_currency|lower}`, chained left to right.

use postback::{
    ErrorKind, Missing, ParseError, ParseOptions, ProblemKind, Syntax, Template, Token, Unknown,
    Value, from_fn,
};

mod common;

use common::{relative, url};

/// Parses `template` (see [`url`]) with `options`.
#[track_caller]
fn parse(template: &str, options: &ParseOptions) -> Template<'static> {
    common::parse_with(template, options)
}

#[track_caller]
fn expand(template: &str, values: &[(&str, Value<'_>)]) -> String {
    common::expand_with(template, values)
}

#[track_caller]
fn error(template: &str) -> ParseError {
    Template::parse(&url(template)).unwrap_err()
}

#[test]
fn each_modifier() {
    let cases: &[(&str, Value, &str)] = &[
        // raw: the value as it is, the only way around encoding.
        ("?r={referer|raw}", Value::Str("a&b=c"), "?r=a&b=c"),
        ("?r={referer}", Value::Str("a&b=c"), "?r=a%26b%3Dc"),
        // default: for a missing or an empty value, encoded like one.
        ("?d={t1|default:none}", Value::Str(""), "?d=none"),
        ("?d={t1|default:none}", Value::Str("x"), "?d=x"),
        ("?d={t1|default:a b}", Value::Raw(""), "?d=a%20b"),
        // map: an exact match becomes its replacement; anything else passes unchanged.
        (
            "?s={cnv_status|map:lead=install,sale=bill}",
            Value::Str("sale"),
            "?s=bill",
        ),
        (
            "?s={cnv_status|map:lead=install,sale=bill}",
            Value::Str("lead"),
            "?s=install",
        ),
        (
            "?s={cnv_status|map:lead=install,sale=bill}",
            Value::Str("Sale"),
            "?s=Sale",
        ),
        (
            "?s={cnv_status|map:lead=install,sale=bill}",
            Value::Str("rejected"),
            "?s=rejected",
        ),
        (
            "?s={cnv_status|map:1=lead,2=sale}",
            Value::Int(2),
            "?s=sale",
        ),
        ("?s={cnv_status|map:a=x,a=y}", Value::Str("a"), "?s=x"),
        ("?s={cnv_status|map:a=}", Value::Str("a"), "?s="),
        // percent: exact, keeping at least the value's decimals.
        ("?p={payout|percent:50}", Value::Str("10.00"), "?p=5.00"),
        (
            "?p={payout|percent:33}",
            Value::Decimal("10.00".parse().unwrap()),
            "?p=3.30",
        ),
        ("?p={payout|percent:50}", Value::Int(7), "?p=3.5"),
        ("?p={payout|percent:12.5}", Value::UInt(8), "?p=1"),
        ("?p={payout|percent:50}", Value::Float(0.5), "?p=0.25"),
        ("?p={payout|percent:150}", Value::Str("2"), "?p=3"),
        ("?p={payout|percent:0}", Value::Str("2.50"), "?p=0.00"),
        // lower and upper: ASCII letters only.
        ("?c={cnv_currency|lower}", Value::Str("USD"), "?c=usd"),
        ("?c={cnv_currency|upper}", Value::Str("usd"), "?c=USD"),
        (
            "?c={city|upper}",
            Value::Str("São Paulo"),
            "?c=S%C3%A3O%20PAULO",
        ),
        (
            "?c={city|upper|raw}",
            Value::Str("São Paulo"),
            "?c=SãO PAULO",
        ),
        ("?c={t1|upper}", Value::Int(5), "?c=5"),
    ];
    for (template, value, expected) in cases {
        let parsed = parse(template, &ParseOptions::new());
        let got = relative(parsed.expand(&from_fn(|_| Some(*value))));
        assert_eq!(got, *expected, "{template} with {value:?}");
    }
    // A missing value takes the default too.
    assert_eq!(expand("?d={t1|default:none}", &[]), "?d=none");
}

#[test]
fn modifiers_chain_left_to_right() {
    let template = "?s={cnv_status|lower|map:lead=install,sale=bill|upper|default:NONE}";
    assert_eq!(
        expand(template, &[("cnv_status", Value::Str("SALE"))]),
        "?s=BILL"
    );
    assert_eq!(
        expand(template, &[("cnv_status", Value::Str("Other"))]),
        "?s=OTHER"
    );
    assert_eq!(expand(template, &[]), "?s=NONE");
    // Order matters: the default comes after the map here, and before it there.
    let after = "?s={cnv_status|map:none=0|default:none}";
    let before = "?s={cnv_status|default:none|map:none=0}";
    assert_eq!(expand(after, &[]), "?s=none");
    assert_eq!(expand(before, &[]), "?s=0");
    // A percentage of a mapped value.
    let mapped = "?p={cnv_status|map:sale=10.00|percent:50}";
    assert_eq!(
        expand(mapped, &[("cnv_status", Value::Str("sale"))]),
        "?p=5.00"
    );
}

#[test]
fn raw_is_the_only_way_around_encoding() {
    // What `raw` lets through: anything, in every place.
    let hostile = "x&admin=1#frag/../?q";
    let values = [
        ("t1", Value::Str(hostile)),
        ("domain", Value::Str("evil.example/steal?")),
    ];
    assert_eq!(
        expand("?a={t1|raw}&b=2", &values),
        "?a=x&admin=1#frag/../?q&b=2"
    );
    assert_eq!(
        expand("https://{domain|raw}/pb", &values),
        "https://evil.example/steal?/pb"
    );
    // Every other modifier still encodes what it produces.
    for template in [
        "?a={t1|lower}",
        "?a={t1|upper}",
        "?a={t1|default:x}",
        "?a={t1|map:q=r}",
        "?a={t1|percent:50}",
    ] {
        let expanded = expand(template, &values);
        assert!(
            !expanded.contains('&') && !expanded.contains('#'),
            "{template}: {expanded}"
        );
    }
    // A default or a mapping with characters to encode is encoded.
    let expanded = expand("?a={t1|map:x=a&b}", &[("t1", Value::Str("x"))]);
    assert_eq!(expanded, "?a=a%26b");
}

#[test]
fn the_template_text_that_raw_writes_is_checked_as_literal_text() {
    // Written as it is, a default or a mapping under `raw` is the template's literal text: a
    // space in it parsed, and failed only at send time.
    let cases = [
        ("?a={t1|raw|default:a b}", " ", 38),
        ("?a={t1|default:a\tb|raw}", "\t", 34),
        ("?a={t1|map:x=y,p=q r|raw}", " ", 36),
        ("?a={t1|raw|map:x=y\\z}", "\\", 36),
    ];
    for (template, bad, at) in cases {
        let err = error(template);
        assert_eq!(err.kind(), ErrorKind::InvalidChar, "{template}");
        assert_eq!(err.span().range(), at..at + bad.len(), "{template}");
        assert_eq!(&url(template)[err.span().range()], bad, "{template}");
    }
    // Encoded, the same texts are fine; and what `map` compares with is never written.
    let values = [("t1", Value::Str("x y"))];
    assert_eq!(expand("?a={t1|default:a b}", &[]), "?a=a%20b");
    assert_eq!(expand("?a={t1|map:x y=z|raw}", &values), "?a=z");
}

#[test]
fn a_share_that_cannot_be_taken_is_unusable_never_the_whole_amount() {
    let template = Template::parse("https://t.example/?value={payout|percent:50}").unwrap();
    #[rustfmt::skip]
    let cases = [
        (Value::UInt(u64::MAX),         ProblemKind::OutOfRange),
        (Value::Float(1e308),           ProblemKind::OutOfRange),
        (Value::Float(f64::NAN),        ProblemKind::NotFinite),
        (Value::Float(f64::INFINITY),   ProblemKind::NotFinite),
        (Value::Str("1e3"),             ProblemKind::NotNumeric),
        (Value::Str("+5"),              ProblemKind::NotNumeric),
        (Value::Str("1,000.50"),        ProblemKind::NotNumeric),
        (Value::Str("ten"),             ProblemKind::NotNumeric),
        (Value::Str("0.000000000000000001"), ProblemKind::OutOfRange),
        (Value::Str("99999999999999999999"), ProblemKind::OutOfRange),
    ];
    for (value, kind) in cases {
        let values = [("payout", value)];
        // Written as a missing value is (nothing, by default), not as the whole payout...
        assert_eq!(
            template.expand(&values),
            "https://t.example/?value=",
            "{value:?}"
        );
        // ... and reported once, with why.
        let err = template.try_expand(&values).unwrap_err();
        let problems: Vec<_> = err
            .problems()
            .iter()
            .map(|p| (p.token(), p.kind()))
            .collect();
        assert_eq!(problems, [("payout|percent:50", kind)], "{value:?}");
    }
    let err = template.try_expand(&[("payout", "ten")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"token without a usable value: value for "payout|percent:50" at bytes 25..44 is not a number"#
    );
    let err = template
        .try_expand(&[("payout", "0.000000000000000001")])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"token without a usable value: value for "payout|percent:50" at bytes 25..44 is out of range: it, or its exact result, needs more than 19 digits or 18 decimal places, or is a date beyond the years -9999 to 9999"#
    );
    // A missing value is reported as missing, and an empty one as empty, not as not numeric.
    let err = template.try_expand(&[("t1", "1")]).unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Missing);
    let err = template.try_expand(&[("payout", "")]).unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::Empty);
    // One token, one problem: a value `percent` cannot scale is not also checked as dots.
    let template = Template::parse("https://t.example/{t1|percent:50}/x").unwrap();
    let err = template.try_expand(&[("t1", "..")]).unwrap_err();
    let kinds: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.kind(), p.span().range()))
        .collect();
    assert_eq!(kinds, [(ProblemKind::NotNumeric, 18..33)]);
    // A default after the share fills in for it.
    let template = Template::parse("https://t.example/?v={payout|percent:50|default:0}").unwrap();
    assert_eq!(
        template.try_expand(&[("payout", "ten")]).unwrap(),
        "https://t.example/?v=0"
    );
}

#[test]
fn round_rounds_half_away_from_zero() {
    #[rustfmt::skip]
    let cases: &[(&str, Value, &str)] = &[
        // ExoClick's value at a 50% share, to the two decimals networks expect.
        ("{payout|percent:50|round:2}", Value::Str("0.35"),  "0.18"),
        ("{payout|percent:50}",         Value::Str("0.35"),  "0.175"),
        ("{payout|round:2}",            Value::Str("0.165"), "0.17"),
        ("{payout|round:2}",            Value::Str("-0.165"), "-0.17"),
        ("{payout|round:2}",            Value::Str("1.995"), "2.00"),
        ("{payout|round:0}",            Value::Str("2.5"),   "3"),
        ("{payout|round:2}",            Value::Str("3.3"),   "3.3"),
        ("{payout|round:2}",            Value::Int(7),       "7"),
        ("{payout|round:1}",            Value::Float(0.25),  "0.3"),
        ("{payout|round:3}",            Value::Decimal("1.23456".parse().unwrap()), "1.235"),
    ];
    for (token, value, expected) in cases {
        let text = format!("https://t.example/?v={token}");
        let template = Template::parse(&text).unwrap();
        let expanded = template.try_expand(&from_fn(|_| Some(*value))).unwrap();
        assert_eq!(
            expanded,
            format!("https://t.example/?v={expected}"),
            "{token} of {value:?}"
        );
    }
    // What `round` cannot read as a number is unusable, as under `percent`.
    let template = Template::parse("https://t.example/?v={payout|round:2}").unwrap();
    let err = template.try_expand(&[("payout", "n/a")]).unwrap_err();
    assert_eq!(err.problems()[0].kind(), ProblemKind::NotNumeric);
    assert_eq!(
        err.to_string(),
        r#"token without a usable value: value for "payout|round:2" at bytes 21..37 is not a number"#
    );
    assert_eq!(
        template.expand(&[("payout", "n/a")]),
        "https://t.example/?v="
    );
}

#[test]
fn modified_values_obey_the_usable_rules() {
    // A default can fill what would be unusable only when the value is missing or empty.
    let values = [("t1", Value::Float(f64::NAN))];
    assert_eq!(expand("?a={t1|default:0}", &values), "?a=");
    // In the path, a mapped or defaulted value of dots is refused like any other.
    assert_eq!(
        expand("https://h.example/{t1|default:..}/x", &[]),
        "https://h.example//x"
    );
    // In the authority, an empty result keeps the token's text, encoded so that it names no
    // port (`:`) and no userinfo.
    let values = [("domain", Value::Str("a"))];
    assert_eq!(
        expand("https://{domain|map:a=}/x", &values),
        "https://{domain|map%3Aa%3D}/x"
    );
    // Missing::Keep keeps the whole token, modifiers included.
    let template = parse("?a={t1|upper}", &ParseOptions::new());
    assert_eq!(
        relative(template.expand_with(&[("x", "y")], Missing::Keep)),
        "?a={t1|upper}"
    );
}

#[test]
fn modifiers_and_arguments_do_not_mix() {
    let custom = ParseOptions::new().with_unknown(Unknown::Custom);
    let template = parse("?z={tName:zone id|upper}&s={status: lead=1|lower}", &custom);
    let tokens: Vec<_> = template.tokens().collect();
    assert_eq!(
        tokens,
        [
            Token::TName("zone id"),
            Token::Custom {
                name: "status",
                arg: Some(" lead=1")
            }
        ]
    );
    let source = from_fn(|t| match t {
        Token::TName(_) => Some(Value::Str("Zone")),
        _ => Some(Value::Str("LEAD")),
    });
    assert_eq!(relative(template.expand(&source)), "?z=ZONE&s=lead");
    // A custom token with a modifier but no argument.
    let template = parse("{sub_id|upper}", &custom);
    assert_eq!(
        template.tokens().next(),
        Some(Token::Custom {
            name: "sub_id",
            arg: None
        })
    );
    // Unknown tokens kept as literal text keep their modifiers as text too.
    let literal = ParseOptions::new().with_unknown(Unknown::Literal);
    let template = parse("?a={sub|nonsense}&b={t1|upper}", &literal);
    assert_eq!(
        relative(template.expand(&[("t1", "x")])),
        "?a={sub|nonsense}&b=X"
    );
}

#[test]
fn every_modifier_error_has_its_exact_message() {
    let cases: &[(&str, ErrorKind, (usize, usize), &str)] = &[
        (
            "https://t.example/?p={payout|precent:50}",
            ErrorKind::UnknownModifier,
            (29, 39),
            r#"unknown modifier "precent" at bytes 29..39; did you mean "percent"?"#,
        ),
        (
            "https://t.example/?p={payout|ceil}",
            ErrorKind::UnknownModifier,
            (29, 33),
            r#"unknown modifier "ceil" at bytes 29..33"#,
        ),
        (
            "https://t.example/?p={payout|rond:2}",
            ErrorKind::UnknownModifier,
            (29, 35),
            r#"unknown modifier "rond" at bytes 29..35; did you mean "round"?"#,
        ),
        (
            "https://t.example/?p={payout|percent:abc}",
            ErrorKind::InvalidArgument,
            (29, 40),
            r#"invalid argument "abc" of modifier "percent" at bytes 29..40: expected a decimal of at least 0, such as 50 or 12.5"#,
        ),
        (
            "https://t.example/?p={payout|percent:-5}",
            ErrorKind::InvalidArgument,
            (29, 39),
            r#"invalid argument "-5" of modifier "percent" at bytes 29..39: expected a decimal of at least 0, such as 50 or 12.5"#,
        ),
        (
            "https://t.example/?s={cnv_status|map:lead}",
            ErrorKind::InvalidArgument,
            (33, 41),
            r#"invalid argument "lead" of modifier "map" at bytes 33..41: expected FROM=TO pairs separated by ",""#,
        ),
        (
            "https://t.example/?s={cnv_status|map:=x}",
            ErrorKind::InvalidArgument,
            (33, 39),
            r#"invalid argument "=x" of modifier "map" at bytes 33..39: expected FROM=TO pairs separated by ",""#,
        ),
        (
            "https://t.example/?p={payout|percent}",
            ErrorKind::MissingArgument,
            (29, 36),
            r#"modifier "percent" at bytes 29..36 needs an argument after ":""#,
        ),
        (
            "https://t.example/?p={payout|round}",
            ErrorKind::MissingArgument,
            (29, 34),
            r#"modifier "round" at bytes 29..34 needs an argument after ":""#,
        ),
        (
            "https://t.example/?p={payout|round:19}",
            ErrorKind::InvalidArgument,
            (29, 37),
            r#"invalid argument "19" of modifier "round" at bytes 29..37: expected a whole number from 0 to 18, such as 2"#,
        ),
        (
            "https://t.example/?p={payout|round:+2}",
            ErrorKind::InvalidArgument,
            (29, 37),
            r#"invalid argument "+2" of modifier "round" at bytes 29..37: expected a whole number from 0 to 18, such as 2"#,
        ),
        (
            "https://t.example/?d={t1|default:}",
            ErrorKind::MissingArgument,
            (25, 33),
            r#"modifier "default" at bytes 25..33 needs an argument after ":""#,
        ),
        (
            "https://t.example/?r={referer|raw:yes}",
            ErrorKind::UnexpectedArgument,
            (30, 37),
            r#"modifier "raw" at bytes 30..37 takes no argument"#,
        ),
        (
            "https://t.example/?r={referer|}",
            ErrorKind::EmptyName,
            (29, 30),
            "empty modifier name at bytes 29..30",
        ),
        (
            "https://t.example/?r={referer||raw}",
            ErrorKind::EmptyName,
            (29, 30),
            "empty modifier name at bytes 29..30",
        ),
        (
            "https://t.example/?r={referer|:x}",
            ErrorKind::EmptyName,
            (29, 32),
            "empty modifier name at bytes 29..32",
        ),
    ];
    for &(template, kind, (start, end), message) in cases {
        let err = error(template);
        assert_eq!(err.kind(), kind, "{template}");
        assert_eq!(err.span().range(), start..end, "{template}");
        assert_eq!(err.to_string(), message, "{template}");
    }
    let err = error("?p={payout|precent:50}");
    assert_eq!(err.suggestion(), Some("percent"));
    assert_eq!(
        format!("{err:#}"),
        "unknown modifier \"precent\" at bytes 29..39; did you mean \"percent\"?\n  \
         https://t.example/?p={payout|precent:50}\n                               ^^^^^^^^^^"
    );
}

#[test]
fn modifier_names_follow_ignore_case() {
    let options = ParseOptions::new().with_ignore_case(true);
    let template = parse("{PAYOUT|Percent:50}", &options);
    assert_eq!(relative(template.expand(&[("payout", "4")])), "2");
    assert_eq!(
        error("{payout|Percent:50}").kind(),
        ErrorKind::UnknownModifier
    );
}

#[test]
fn other_syntaxes_take_modifiers_too() {
    let options = ParseOptions::new().with_syntax(Syntax::DOUBLE_BRACKETS);
    let template = parse("?s=[[cnv_status|map:a=b|upper]]", &options);
    assert_eq!(relative(template.expand(&[("cnv_status", "a")])), "?s=B");
}

#[test]
fn templates_with_modifiers_round_trip() {
    for text in [
        "?p={payout|percent:50}&s={cnv_status|map:lead=install,sale=bill|upper}",
        "{t1|default:none|raw}{{{referer|lower}",
    ] {
        let text = url(text);
        let template = Template::parse(&text).unwrap();
        assert_eq!(template.to_string(), text);
        let printed = template.to_string();
        assert_eq!(Template::parse(&printed).unwrap(), template);
        assert_eq!(template.clone().into_owned(), template);
    }
}
