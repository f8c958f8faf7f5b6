//! `Bound`: a template bound to a record's fields writes exactly what the template writes with
//! the same values, on the straight pass and on every way off it.

use postback::{
    Bound, Decimal, Fields, Missing, ParseOptions, ProblemKind, Syntax, Template, Token, Value,
};

/// A record with one value for every token: the token's text as a key into a list of pairs.
struct Record<'v> {
    values: &'v [(&'v str, Value<'v>)],
}

/// The record's fields: the tokens `Record` knows, by their canonical names.
const NAMES: &[&str] = &[
    "externalid",
    "payout",
    "t1",
    "t2",
    "domain",
    "campaign",
    "clickid",
];

impl Fields for Record<'_> {
    type Field = usize;

    fn field(token: &Token<'_>) -> Option<usize> {
        NAMES.iter().position(|name| *name == token.to_string())
    }

    fn value(&self, field: usize) -> Option<Value<'_>> {
        let name = NAMES[field];
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }
}

/// Every expansion of `bound` for `values`, checked against the template's own with the same
/// values as pairs; returns the text.
fn expand(text: &str, values: &[(&str, Value<'_>)]) -> String {
    expand_with(text, &ParseOptions::new(), values)
}

fn expand_with(text: &str, options: &ParseOptions, values: &[(&str, Value<'_>)]) -> String {
    let template = Template::parse_with(text, options).expect("parses");
    let bound: Bound<'_, Record<'_>> = template.clone().bind_fields();
    let record = Record { values };
    let expected = template.expand(values);

    assert_eq!(bound.expand(&record), expected, "expand {text}");
    let mut out = String::from("GET ");
    bound.expand_into(&record, &mut out);
    assert_eq!(out, format!("GET {expected}"), "expand_into {text}");
    let mut bytes = b"POST ".to_vec();
    bound.expand_into_vec(&record, &mut bytes);
    assert_eq!(bytes, format!("POST {expected}").into_bytes(), "into_vec");

    let mut out = String::from("kept");
    match (
        bound.try_expand_into(&record, &mut out),
        template.try_expand(values),
    ) {
        (Ok(()), Ok(checked)) => assert_eq!(out, format!("kept{checked}"), "{text}"),
        (Err(ours), Err(theirs)) => {
            assert_eq!(ours, theirs, "try_expand {text}");
            assert_eq!(out, "kept");
        }
        (ours, theirs) => panic!("{text}: bound {ours:?}, template {theirs:?}"),
    }
    assert_eq!(
        bound.try_expand(&record).ok(),
        template.try_expand(values).ok()
    );
    expected
}

#[test]
fn text_is_encoded_for_its_place() {
    let out = expand(
        "https://{domain}/p/{t1}?id={externalid}#{t2}",
        &[
            ("domain", Value::Str("h.example:8080")),
            ("t1", Value::Str("a/b")),
            ("externalid", Value::Str("a&b=c d")),
            ("t2", Value::Str("x#y")),
        ],
    );
    assert_eq!(out, "https://h.example:8080/p/a%2Fb?id=a%26b%3Dc%20d#x%23y");
}

#[test]
fn numbers_and_raw_text_are_written_as_they_are() {
    let out = expand(
        "https://t.example/pb?a={t1}&b={t2}&c={payout}&d={externalid}&e={campaign}",
        &[
            ("t1", Value::Int(i64::MIN)),
            ("t2", Value::UInt(u64::MAX)),
            (
                "payout",
                Value::Decimal("-0.000000000000000001".parse().unwrap()),
            ),
            ("externalid", Value::Raw("a%20b&c")),
            ("campaign", Value::Decimal(Decimal::new(330, 2).unwrap())),
        ],
    );
    assert_eq!(
        out,
        "https://t.example/pb?a=-9223372036854775808&b=18446744073709551615\
         &c=-0.000000000000000001&d=a%20b&c&e=3.30"
    );
}

#[test]
fn a_missing_value_writes_nothing_in_the_query_and_its_text_in_the_authority() {
    let text = "https://t.example/pb?id={externalid}&c={campaign}&x={t10}";
    assert_eq!(expand(text, &[]), "https://t.example/pb?id=&c=&x=");
    // `t10` has no field at all: the record never has a value for it.
    let out = expand(
        text,
        &[("externalid", Value::Str("e")), ("campaign", "".into())],
    );
    assert_eq!(out, "https://t.example/pb?id=e&c=&x=");
    // In the authority and in a segment of dots the text is kept: the general loop writes it,
    // whether the record has no value for the token or no field at all.
    assert_eq!(expand("https://{domain}/p", &[]), "https://{domain}/p");
    assert_eq!(expand("https://{t10}/p?a={t1}", &[]), "https://{t10}/p?a=");
    assert_eq!(
        expand("https://h.example/.{t1}/x", &[("t1", Value::Str(""))]),
        "https://h.example/.{t1}/x"
    );
}

#[test]
fn a_path_value_of_dots_is_unusable_and_a_query_value_of_dots_is_not() {
    let values = [("t1", Value::Str("..")), ("t2", Value::Str(".."))];
    assert_eq!(
        expand("https://h.example/{t1}/x?y={t2}", &values),
        "https://h.example//x?y=.."
    );
}

#[test]
fn floats_go_through_the_general_loop() {
    let values = [
        ("payout", Value::Float(0.1)),
        ("t1", Value::Float(f64::NAN)),
    ];
    assert_eq!(
        expand("https://t.example/pb?p={payout}&t={t1}", &values),
        "https://t.example/pb?p=0.1&t="
    );
}

#[test]
fn escapes_and_long_literals_are_literal_text() {
    let long = "x".repeat(40);
    let text = format!("https://t.example/{long}?a={{{{{{t1}}&{long}={{externalid}}{long}");
    let values = [("t1", Value::Str("1")), ("externalid", Value::Str("e e"))];
    let out = expand(&text, &values);
    assert_eq!(
        out,
        format!("https://t.example/{long}?a={{1&{long}=e%20e{long}")
    );
}

#[test]
fn values_longer_than_the_first_guess_grow_the_output() {
    let long = "é&".repeat(300);
    let values = [("t1", Value::Str(&long)), ("t2", Value::Str("z"))];
    let out = expand("https://t.example/?a={t1}&b={t2}", &values);
    assert_eq!(out.len(), "https://t.example/?a=&b=z".len() + 300 * 9);
}

#[test]
fn templates_with_modifiers_or_open_escapes_expand_as_the_template_does() {
    let values = [("payout", Value::Str("10")), ("t1", Value::Str("e"))];
    assert_eq!(
        expand(
            "https://t.example/?p={payout|percent:50}&s={t1|upper}",
            &values
        ),
        "https://t.example/?p=5&s=E"
    );
    assert_eq!(
        expand("https://h.example/a/%2{t1}/b", &values),
        "https://h.example/a/%2%65/b"
    );
    let options = ParseOptions::new().with_syntax(Syntax::PERCENT);
    assert_eq!(
        expand_with("https://h.example/a/%%2%t1%/b", &options, &values),
        "https://h.example/a/%2%65/b"
    );
}

#[test]
fn the_checked_expansion_reports_what_the_template_reports() {
    let template = Template::parse("https://t.example/?a={externalid}&b={t10}").unwrap();
    let bound: Bound<'_, Record<'_>> = template.bind_fields();
    let err = bound
        .try_expand(&Record {
            values: &[("externalid", Value::Str(""))],
        })
        .unwrap_err();
    let kinds: Vec<_> = err.problems().iter().map(|p| p.kind()).collect();
    assert_eq!(kinds, [ProblemKind::Empty, ProblemKind::Missing]);
}

#[test]
fn the_template_stays_at_hand_for_other_policies() {
    let template = Template::parse("https://t.example/?a={externalid}").unwrap();
    let bound: Bound<'_, Record<'_>> = template.bind_fields();
    let kept = bound
        .template()
        .expand_with(&[("payout", "1")], Missing::Keep);
    assert_eq!(kept, "https://t.example/?a={externalid}");
    assert!(format!("{bound:?}").contains("https://t.example/?a={externalid}"));
}

/// A record whose values change between reads: the expansion still writes each in its place.
#[test]
fn a_record_that_answers_differently_each_time_never_breaks_the_url() {
    use std::cell::Cell;

    struct Fickle(Cell<usize>);

    impl Fields for Fickle {
        type Field = ();
        fn field(_: &Token<'_>) -> Option<()> {
            Some(())
        }
        fn value(&self, (): ()) -> Option<Value<'_>> {
            let n = self.0.get();
            self.0.set(n + 1);
            const ANSWERS: &[Value<'static>] = &[
                Value::Str("a&b"),
                Value::Float(1.5),
                Value::Str("a much longer value than the first guess of thirty-two bytes"),
            ];
            Some(ANSWERS[n % ANSWERS.len()])
        }
    }

    let template = Template::parse("https://t.example/?a={t1}&b={t2}&c={t3}").unwrap();
    let bound: Bound<'_, Fickle> = template.bind_fields();
    for start in 0..3 {
        let out = bound.expand(&Fickle(Cell::new(start)));
        let url = url::Url::parse(&out).expect("a URL");
        let keys: Vec<_> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        assert_eq!(keys, ["a", "b", "c"], "{out}");
    }
}

/// The straight pass reads each field once; only what it leaves to the general loop is read
/// again.
#[test]
fn plain_values_are_read_once_and_the_rest_again_by_the_general_loop() {
    use std::cell::Cell;

    struct Counted<'v>(Value<'v>, Cell<usize>);

    impl Fields for Counted<'_> {
        type Field = ();
        fn field(_: &Token<'_>) -> Option<()> {
            Some(())
        }
        fn value(&self, (): ()) -> Option<Value<'_>> {
            self.1.set(self.1.get() + 1);
            Some(self.0)
        }
    }

    let template = Template::parse("https://t.example/?a={t1}&b={t2}").unwrap();
    let bound: Bound<'_, Counted<'_>> = template.bind_fields();
    assert!(format!("{bound:?}").contains("straight: true"));
    for (value, reads) in [
        (Value::Str("a b"), 2),
        (Value::Int(-1), 2),
        (Value::Decimal(Decimal::new(1, 1).unwrap()), 2),
        (Value::Str(""), 2),
        // The first float sends the expansion to the general loop, which reads both again.
        (Value::Float(1.0), 3),
    ] {
        let record = Counted(value, Cell::new(0));
        bound.expand(&record);
        assert_eq!(record.1.get(), reads, "{value:?}");
    }
    let modified = Template::parse("https://t.example/?a={t1|upper}").unwrap();
    let bound: Bound<'_, Counted<'_>> = modified.bind_fields();
    assert!(format!("{bound:?}").contains("straight: false"));
}

/// A token the record has no field for never has a value: the lenient straight pass writes
/// nothing for it without asking, and the checked expansion reports it, as the template does.
#[test]
fn tokens_without_a_field_are_folded_into_the_literal_text() {
    use std::cell::Cell;

    struct OnlyT1(Cell<usize>);

    impl Fields for OnlyT1 {
        type Field = ();
        fn field(token: &Token<'_>) -> Option<()> {
            matches!(token, Token::T(slot) if slot.get() == 1).then_some(())
        }
        fn value(&self, (): ()) -> Option<Value<'_>> {
            self.0.set(self.0.get() + 1);
            Some(Value::Str("v"))
        }
    }

    let text = "https://t.example/?a={t1}&b={t2}&c={t1}&{{d}={externalid}";
    let template = Template::parse(text).unwrap();
    let bound: Bound<'_, OnlyT1> = template.clone().bind_fields();
    assert!(format!("{bound:?}").contains("straight: true, straight_checked: false"));
    let record = OnlyT1(Cell::new(0));
    assert_eq!(bound.expand(&record), "https://t.example/?a=v&b=&c=v&{d}=");
    assert_eq!(
        record.0.get(),
        2,
        "the straight pass asks only for the fields there are"
    );
    let expected = template.try_expand(&[("t1", "v")]).unwrap_err();
    assert_eq!(bound.try_expand(&record).unwrap_err(), expected);
    // Where writing nothing would change the URL, no expansion goes straight.
    let bound: Bound<'_, OnlyT1> = Template::parse("https://{t2}/?a={t1}")
        .unwrap()
        .bind_fields();
    assert!(format!("{bound:?}").contains("straight: false"));
    assert_eq!(bound.expand(&OnlyT1(Cell::new(0))), "https://{t2}/?a=v");
}

/// A `String` output is padded with zeros to a multiple of sixteen bytes for its one UTF-8
/// check, then cut: whatever it held before, whatever the length of the expansion, and
/// whatever text ends it, the zeros never stay.
#[test]
fn a_string_output_keeps_exactly_the_expansion_after_what_it_held() {
    for text in [
        "https://t.example/pb?a={t1}",
        "https://t.example/caf%C3%A9?a={t1}&b=é",
        "https://t.example/pb?a={t1}&b={externalid}ü",
    ] {
        let template = Template::parse(text).unwrap();
        for len in 1..40 {
            let value = "x".repeat(len);
            let values = [("t1", Value::Str(&value)), ("externalid", Value::Str("€"))];
            let bound: Bound<'_, Record<'_>> = template.clone().bind_fields();
            let expected = template.expand(&values[..]);
            for before in ["", "é", "0123456789abcde", "0123456789abcdef"] {
                let mut out = String::from(before);
                bound.expand_into(&Record { values: &values }, &mut out);
                assert_eq!(out, format!("{before}{expected}"), "{text} {len}");
                let mut out = String::from(before);
                bound
                    .try_expand_into(&Record { values: &values }, &mut out)
                    .unwrap();
                assert_eq!(out, format!("{before}{expected}"), "{text} {len}");
            }
        }
    }
}
