//! 2. Expansion agrees with the naive reference expander; failures pinned as tests.

use crate::*;

proptest! {
    #![proptest_config(config(512))]

    /// `expand` (and `expand_into`, `write_to`) writes what the naive expander writes, under
    /// both `Missing` policies, modifiers applied, and `try_expand` fails with exactly the
    /// naive expander's problems (kind, span, text), in order: the values a `percent` could not
    /// change (`NotNumeric`, `OutOfRange`) and the unusable ones; or succeeds with the same
    /// text.
    #[test]
    fn expansion_agrees_with_the_naive_expander(
        (syntax, unknown, ignore_case, pieces) in template_case(),
        values in vec(proptest::option::of(value()), 1..6),
    ) {
        let options = options(&syntax, unknown, ignore_case);
        let rendered = valid(render(&pieces, &syntax, ignore_case, unknown), &options)?;
        let src = rendered.source.as_str();
        let source = source(&values);
        for missing in [Missing::Empty, Missing::Keep] {
            let template = Template::parse_with(src, &options)
                .map_err(|e| TestCaseError::fail(format!("generated template fails: {e:#}")))?;
            let naive_options = NaiveOptions { syntax: syntax.clone(), unknown, ignore_case, missing, any_scheme: false };
            let Some((expected, problems)) = naive_expand(src, &naive_options, &values) else {
                return Err(TestCaseError::fail(format!("naive split rejects {src:?}")));
            };

            let expanded = template.expand_with(&source, missing);
            prop_assert_eq!(&expanded, &expected, "expand {:?} under {:?}", src, missing);
            let mut written = String::new();
            prop_assert!(template.write_with(&source, missing, &mut written).is_ok());
            prop_assert_eq!(&written, &expected, "write_with");
            if missing == Missing::Empty {
                prop_assert_eq!(&template.expand(&source), &expected, "expand");
                let mut appended = String::from("kept:");
                template.expand_into(&source, &mut appended);
                prop_assert_eq!(appended.strip_prefix("kept:"), Some(expected.as_str()));
                let mut written = String::new();
                prop_assert!(template.write_to(&source, &mut written).is_ok());
                prop_assert_eq!(&written, &expected, "write_to");
            }

            match template.try_expand(&source) {
                Ok(out) => {
                    prop_assert!(problems.is_empty(), "try_expand succeeded; naive: {:?}", problems);
                    prop_assert_eq!(&out, &expected, "try_expand");
                }
                Err(err) => {
                    let found: Vec<_> = err
                        .problems()
                        .iter()
                        .map(|p| (p.kind(), p.span().range(), p.token().to_owned()))
                        .collect();
                    prop_assert_eq!(&found, &problems, "try_expand problems of {:?}", src);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// `try_expand_into` appends exactly what `expand` writes when every token has a usable
    /// value, and otherwise leaves the buffer as it was, empty or not.
    #[test]
    fn try_expand_into_leaves_the_buffer_as_it_was_on_failure(
        (syntax, unknown, ignore_case, pieces) in template_case(),
        values in vec(proptest::option::of(value()), 1..6),
        prefix in select(vec!["", "kept:"]),
    ) {
        let options = options(&syntax, unknown, ignore_case);
        let rendered = valid(render(&pieces, &syntax, ignore_case, unknown), &options)?;
        let template = Template::parse_with(&rendered.source, &options)
            .map_err(|e| TestCaseError::fail(format!("generated template fails: {e:#}")))?;
        let source = source(&values);
        let mut out = String::from(prefix);
        match template.try_expand_into(&source, &mut out) {
            Ok(()) => {
                prop_assert_eq!(out, format!("{prefix}{}", template.expand(&source)));
            }
            Err(err) => {
                prop_assert_eq!(out.as_str(), prefix, "after {}", err);
            }
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// A template bound to a record's fields writes what the template writes for the same
    /// values, into a `String`, after what it held, and into a `Vec<u8>`; its checked
    /// expansion succeeds or fails as the template's does, with the same problems.
    #[test]
    fn a_bound_template_expands_as_the_template_does(
        (syntax, unknown, ignore_case, pieces) in template_case(),
        values in vec(proptest::option::of(value()), 1..6),
        plain in any::<bool>(),
    ) {
        // Without modifiers half the time: the templates the straight pass takes.
        let pieces: Vec<Piece> = match plain {
            true => pieces
                .into_iter()
                .map(|piece| match piece {
                    Piece::Token(head, _) => Piece::Token(head, Vec::new()),
                    other => other,
                })
                .collect(),
            false => pieces,
        };
        let options = options(&syntax, unknown, ignore_case);
        let rendered = valid(render(&pieces, &syntax, ignore_case, unknown), &options)?;
        let template = Template::parse_with(&rendered.source, &options)
            .map_err(|e| TestCaseError::fail(format!("generated template fails: {e:#}")))?;
        let bound: Bound<'_, Record<'_>> = template.clone().bind_fields();
        let (source, record) = (source(&values), Record(&values));
        let expected = template.expand(&source);

        prop_assert_eq!(&bound.expand(&record), &expected);
        let mut out = String::from("kept:");
        bound.expand_into(&record, &mut out);
        prop_assert_eq!(out.strip_prefix("kept:"), Some(expected.as_str()));
        let mut bytes = b"kept:".to_vec();
        bound.expand_into_vec(&record, &mut bytes);
        prop_assert_eq!(bytes.strip_prefix(b"kept:"), Some(expected.as_bytes()));
        prop_assert_eq!(bound.try_expand(&record), template.try_expand(&source));
    }
}

// Failures the properties found, pinned at their minimal inputs: each was a bug in the crate.

/// Property 2: text that is a plain decimal but that no `Decimal` holds (a mantissa beyond
/// `i64`, more than 18 places) is a number whose exact share does not fit, `OutOfRange`, as a
/// float or an integer with the same text is; not `NotNumeric`.
#[test]
fn pinned_percent_of_a_decimal_text_that_does_not_fit_is_out_of_range() {
    let template = Template::parse("https://t.example/{clickid|percent:0}").expect("parses");
    let kinds = |value: Value<'_>| -> Vec<ProblemKind> {
        let err = template.try_expand(&[("clickid", value)]).unwrap_err();
        err.problems().iter().map(|p| p.kind()).collect()
    };
    assert_eq!(kinds(Value::Float(1e-19)), [ProblemKind::OutOfRange]);
    assert_eq!(
        kinds(Value::UInt(12_345_678_901_234_567_890)),
        [ProblemKind::OutOfRange]
    );
    assert_eq!(
        kinds(Value::Str("0.0000000000000000001")),
        [ProblemKind::OutOfRange]
    );
    assert_eq!(
        kinds(Value::Str("12345678901234567890")),
        [ProblemKind::OutOfRange]
    );
}

/// Property 2: `map` matches a value "exactly, as it would be written"; `1e32` is written with
/// 33 digits, which the crate's 32-byte buffer cannot hold.
#[test]
fn pinned_map_matches_a_float_by_its_whole_text() {
    let template =
        Template::parse("https://t.example/{clickcost|map:100000000000000000000000000000000=lead}")
            .expect("parses");
    assert_eq!(
        template.expand(&[("clickcost", Value::Float(1e32))]),
        "https://t.example/lead"
    );
}

/// Property 2: under `Syntax::PERCENT` a template writes `%2` as `%%2`; a value after it must not
/// complete the escape (`%21` is `!`, `%2e` a dot) whether the `%` comes from an escape or from
/// literal text (`%2{t1}` in braces is guarded).
#[test]
fn pinned_a_value_never_completes_an_escape_begun_by_an_escape() {
    let options = ParseOptions::new().with_syntax(Syntax::PERCENT);
    let template = Template::parse_with("https://h.example/%%2%clickid|default:10%", &options)
        .expect("parses");
    assert_eq!(template.expand(&[("t1", "x")]), "https://h.example/%2%310");
    let template = Template::parse_with("https://h.example/a/%%2%t1%/b", &options).expect("parses");
    assert_eq!(
        template.expand(&[("t1", "e")]),
        "https://h.example/a/%2%65/b"
    );
    // As in braces, where the `%` is literal text.
    let template = Template::parse("https://h.example/a/%2{t1}/b").expect("parses");
    assert_eq!(
        template.expand(&[("t1", "e")]),
        "https://h.example/a/%2%65/b"
    );
}

/// Property 4: the grammar in the crate documentation says that neither side of a `map` pair
/// holds `=`; the crate reads `a=b=c` as `a` to `b=c`. (Or the grammar is to be changed, and
/// `naive_modifier` with it.)
#[test]
fn pinned_map_rejects_an_equals_sign_in_a_to() {
    let err = Template::parse("https://t.example/{t1|map:a=b=c}").unwrap_err();
    assert_eq!(
        (err.kind(), err.span().range()),
        (ErrorKind::InvalidArgument, 22..31)
    );
}

/// The naive place rules agree with the crate on the examples its own tests pin down, so that
/// a mistake in the reference cannot hide behind a matching mistake in the generator.
#[test]
fn naive_places_match_the_documented_examples() {
    let cases: &[(&str, Place)] = &[
        ("https://{t1}", Place::Authority),
        ("https://h:{t1}", Place::Authority),
        ("https://u@{t1}", Place::Authority),
        ("https://{t2}.example/{t1}", Place::Path),
        ("https://h/{t1}", Place::Path),
        ("https://h/a:b@c{t1}", Place::Path),
        ("https://h?{t1}", Place::Query),
        ("https://h/p?a=b/c{t1}", Place::Query),
        ("https://h#a?b/c{t1}", Place::Fragment),
        ("HTTP://H/{t2}?{t1}", Place::Query),
    ];
    for &(template, place) in cases {
        let runs: Vec<String> = template
            .strip_suffix("{t1}")
            .expect("ends with {t1}")
            .split("{t2}")
            .map(String::from)
            .collect();
        assert_eq!(naive_place(&runs), place, "{template}");
        // And the crate encodes the value as that place says.
        let parsed = Template::parse(template).expect("parses");
        let value = "a:/";
        let expanded = parsed.expand(&[("t1", value), ("t2", "x")]);
        let encoded = naive_encode(value, place);
        assert!(expanded.ends_with(&encoded), "{template}: {expanded}");
    }
}
