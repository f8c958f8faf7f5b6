//! 4. The parser never panics, and agrees with the naive splitter on every input.

use crate::*;

/// Any non-empty delimiter: any Unicode, or characters that collide with URLs, names and
/// each other.
fn any_delimiter() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(any::<char>(), 1..4).prop_map(String::from_iter),
        vec(
            select(vec!['{', '}', '%', '#', ':', 't', 'a', '/', 'é', '\n']),
            1..3
        )
        .prop_map(String::from_iter),
    ]
}

/// Any syntax: the constants, any pair of non-empty delimiters, equal pairs.
fn any_syntax() -> impl Strategy<Value = Syntax> {
    prop_oneof![
        1 => select(vec![
            Syntax::BRACES,
            Syntax::DOUBLE_BRACKETS,
            Syntax::ANGLE_BRACKETS,
            Syntax::DOLLAR_BRACES,
            Syntax::DOUBLE_HASHES,
            Syntax::PERCENT,
        ]),
        2 => (any_delimiter(), any_delimiter())
            .prop_filter_map("empty delimiter", |(open, close)| Syntax::new(open, close)),
        1 => any_delimiter().prop_filter_map("empty delimiter", |d| Syntax::new(d.clone(), d)),
    ]
}

/// A chunk of an arbitrary input: either delimiter, text, or a word that means something.
#[derive(Clone, Debug)]
enum Chunk {
    Open,
    Close,
    Text(String),
    Word(&'static str),
}

/// A chunk: a delimiter, any text, or a word of the vocabulary (valid or not).
fn chunk() -> impl Strategy<Value = Chunk> {
    const WORDS: &[&str] = &[
        ":",
        "clickid",
        "ClickID",
        "clikid",
        "external_id",
        "tName",
        "tName:",
        "TNAME:zone",
        "t0",
        "t1",
        "T10",
        "t11",
        "event01",
        "event10",
        "t1:x",
        "t0:",
        "clickid:x",
        "tName:zoneid",
        "status: lead=1",
        "x",
        "https://",
        "?",
        "#",
        "é",
        "\u{10FFFF}",
        "\r\n",
        "a_very_long_name_that_is_nothing_like_any_token",
        // Modifiers, valid or not.
        "|",
        "||",
        "|:x",
        "|raw",
        "|RAW",
        "|raw:",
        "|raw:x",
        "|lower",
        "|upper|lower",
        "|Upper",
        "|round",
        "|precent:50",
        "|default",
        "|default:",
        "|default:a b",
        "|default:a:b",
        "|default:x=y,z",
        "|map",
        "|map:",
        "|map:a",
        "|map:=x",
        "|map:a=",
        "|map:a=b",
        "|map:a=b,",
        "|map:,",
        "|map:a=b,c=d",
        "|map:a=b=c",
        "|map:lead=install,sale=bill",
        "|percent",
        "|percent:",
        "|percent:50",
        "|Percent:12.5",
        "|percent:0",
        "|percent:-0",
        "|percent:-5",
        "|percent:abc",
        "|percent:1.",
        "|percent:.5",
        "|percent:1e2",
        "|percent: 5",
        "|percent:0.000000000000000001",
        "|percent:0.0000000000000000001",
        "|percent:9223372036854775807",
        "|percent:9223372036854775808",
    ];
    prop_oneof![
        2 => Just(Chunk::Open),
        2 => Just(Chunk::Close),
        3 => unicode(6).prop_map(Chunk::Text),
        4 => select(WORDS).prop_map(Chunk::Word),
        // Text that looks like modifiers, mixed up.
        1 => "[|:=,.a-z0-9-]{1,8}".prop_map(Chunk::Text),
    ]
}

/// Checks `err` for the input it came from.
fn check_error(err: &postback::ParseError, input: &str) -> Result<(), TestCaseError> {
    let span = err.span();
    prop_assert!(span.start <= span.end, "{:?} in {:?}", span, input);
    prop_assert!(span.end <= input.len(), "{:?} in {:?}", span, input);
    prop_assert!(
        input.is_char_boundary(span.start),
        "{:?} in {:?}",
        span,
        input
    );
    prop_assert!(
        input.is_char_boundary(span.end),
        "{:?} in {:?}",
        span,
        input
    );
    prop_assert_ne!(err.kind(), ErrorKind::TooLong);
    prop_assert_eq!(err.template(), input);
    let line = err.to_string();
    let drawn = format!("{err:#}");
    prop_assert_eq!(drawn.split('\n').next(), Some(line.as_str()), "{:#}", err);
    Ok(())
}

/// The start of an arbitrary input: the start of an absolute URL most of the time, so that its
/// tokens get past the scheme, or the start of something that is not one.
fn arbitrary_start() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        4 => select(vec!["https://t.example/", "https://t.example", "http://h.example:", "HTTPS://H.EXAMPLE/?"]),
        3 => select(vec![
            "", "https://", "https:", "https:/", "https:///", "ftp://h/", "myapp://h/", "file://h/", "?",
            "https://u@", "https://:8/", "1http://", " https://t.example/", "https://t.example/./",
        ]),
    ]
}

/// An arbitrary input, and how it is parsed: any syntax, any `Unknown` policy, either case
/// rule, any scheme or not, and a start (see [`arbitrary_start`]) then chunks of delimiters,
/// text and words (tokens and modifiers, valid or not).
fn arbitrary_case() -> impl Strategy<Value = (Syntax, Unknown, bool, bool, String)> {
    (
        any_syntax(),
        unknown_policy(),
        any::<bool>(),
        any::<bool>(),
        arbitrary_start(),
        vec(chunk(), 0..16),
    )
        .prop_map(
            |(syntax, unknown, ignore_case, any_scheme, start, chunks)| {
                let mut input = String::from(start);
                for chunk in &chunks {
                    input.push_str(match chunk {
                        Chunk::Open => syntax.open(),
                        Chunk::Close => syntax.close(),
                        Chunk::Text(text) => text,
                        Chunk::Word(word) => word,
                    });
                }
                (syntax, unknown, ignore_case, any_scheme, input)
            },
        )
}

/// The values property 4 expands arbitrary templates with: every value missing, every value
/// `v`, every value `e` (a hex digit, for escapes the template leaves open).
fn arbitrary_values() -> [Vec<Option<Val>>; 3] {
    [
        vec![None],
        vec![Some(Val::Str("v".to_owned()))],
        vec![Some(Val::Str("e".to_owned()))],
    ]
}

proptest! {
    #![proptest_config(config(1024))]

    /// Parsing any input with any delimiters (equal, multi-byte, Unicode), any `Unknown`
    /// policy and either case rule, with `|` and modifiers valid or not inside tokens, never
    /// panics. An error lies inside the input on char boundaries, carries the input, and its
    /// caret view starts with its message. A template prints back its input and expands
    /// without panicking; the checked expansion, when it succeeds, writes what the lenient one
    /// does.
    #[test]
    fn parsing_never_panics((syntax, unknown, ignore_case, any_scheme, input) in arbitrary_case()) {
        let schemes = if any_scheme { Schemes::Any } else { Schemes::Http };
        let options = options(&syntax, unknown, ignore_case).with_schemes(schemes);
        match Template::parse_with(&input, &options) {
            Err(err) => check_error(&err, &input)?,
            Ok(template) => {
                prop_assert_eq!(template.to_string(), input.as_str());
                for values in arbitrary_values() {
                    let source = source(&values);
                    let expanded = template.expand(&source);
                    if let Ok(checked) = template.try_expand(&source) {
                        prop_assert_eq!(checked, expanded, "{:?}", input);
                    }
                }
            }
        }
    }

    /// Parsing any input (as above) succeeds exactly when the naive splitter does. An error
    /// has the naive splitter's kind and span (the token's, or the modifier's). A template has
    /// the naive splitter's tokens, and expands as the naive expander does, with every value
    /// missing (the problems are the tokens, but for defaults), `v` or `e`.
    #[test]
    fn parsing_agrees_with_the_naive_splitter(
        (syntax, unknown, ignore_case, any_scheme, input) in arbitrary_case(),
    ) {
        let schemes = if any_scheme { Schemes::Any } else { Schemes::Http };
        let options = options(&syntax, unknown, ignore_case).with_schemes(schemes);
        let naive_options = NaiveOptions {
            syntax: syntax.clone(),
            unknown,
            ignore_case,
            missing: Missing::Empty,
            any_scheme,
        };
        match (Template::parse_with(&input, &options), naive_split(&input, &naive_options)) {
            (Err(err), Err((kind, span))) => {
                prop_assert_eq!((err.kind(), err.span().range()), (kind, span), "{:#}", err);
            }
            (Ok(template), Ok(parts)) => {
                let naive_tokens = parts.iter().filter(|part| matches!(part, Part::Token(..)));
                prop_assert_eq!(template.tokens().count(), naive_tokens.count());
                for values in arbitrary_values() {
                    let source = source(&values);
                    let Some((expected, naive_problems)) =
                        naive_expand(&input, &naive_options, &values)
                    else {
                        return Err(TestCaseError::fail("the naive splitter parsed it once"));
                    };
                    prop_assert_eq!(template.expand(&source), expected, "{:?}", input);
                    let problems: Vec<_> = match template.try_expand(&source) {
                        Ok(_) => Vec::new(),
                        Err(err) => err
                            .problems()
                            .iter()
                            .map(|p| (p.kind(), p.span().range(), p.token().to_owned()))
                            .collect(),
                    };
                    prop_assert_eq!(problems, naive_problems, "tokens of {:?}", input);
                }
            }
            (Ok(template), Err(naive)) => {
                return Err(TestCaseError::fail(format!(
                    "{input:?} parsed to {template:?}; the naive splitter says {naive:?}"
                )));
            }
            (Err(err), Ok(_)) => {
                return Err(TestCaseError::fail(format!(
                    "{input:?} failed ({err:#}); the naive splitter parses it"
                )));
            }
        }
    }
}
