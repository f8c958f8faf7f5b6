//! 3. Nothing injected: no value changes the URL's structure, `url` as the oracle.

use crate::*;

/// A token of the vocabulary with 0 to 3 modifiers other than `raw`: its text as written in a
/// template (braces syntax), its canonical form, and its modifiers as the naive reader reads
/// them.
fn vocabulary_token() -> impl Strategy<Value = (String, String, Vec<Mod>)> {
    let named = select(NAMED)
        .prop_map(|(spelling, canonical, _)| (spelling.to_owned(), canonical.to_owned()));
    let numbered = (select(vec!["t", "event"]), 1..=10u8).prop_map(|(family, n)| {
        let name = format!("{family}{n}");
        (name.clone(), name)
    });
    let tname = "[a-z_]{1,8}".prop_map(|arg| {
        let inner = format!("tName:{arg}");
        (inner.clone(), inner)
    });
    let head = prop_oneof![3 => named, 2 => numbered, 1 => tname];
    let chain = prop_oneof![Just(Vec::new()), vec(encoded_modifier(), 1..4)];
    (head, chain).prop_map(|((head, key), chain)| {
        let inner = head + &render_chain(&chain, &['{', '}'], false, false);
        let token = naive_token(&inner, false, Unknown::Reject)
            .expect("generated tokens are valid")
            .expect("and known");
        assert_eq!(token.key, key, "{inner}");
        (inner, key, token.mods)
    })
}

/// Values that a host may send unencoded: anything but `Raw`, which bypasses the guarantees
/// by design. `None` is a missing value.
fn safe_value() -> impl Strategy<Value = Option<Val>> {
    proptest::option::weighted(
        0.9,
        prop_oneof![
            6 => hostile_text().prop_map(Val::Str),
            1 => select(vec!["", ".", ".."]).prop_map(|s| Val::Str(s.into())),
            1 => any::<i64>().prop_map(Val::Int),
            1 => any::<u64>().prop_map(Val::UInt),
            1 => any::<f64>().prop_map(Val::Float),
            1 => decimal().prop_map(Val::Decimal),
        ],
    )
}

/// The text a URL parser should decode back for `value` at `place` after `mods`: the text as
/// the modifiers leave it, the number's text, or nothing for an unusable value.
fn decoded_text(value: Option<&Val>, mods: &[Mod], place: Place) -> String {
    naive_modified(value, mods, place)
        .written
        .map_or_else(|_| String::new(), |(text, _)| text)
}

/// Percent-decodes `text`: `%XX` is the byte `XX`, every other byte stands for itself.
fn percent_decode(text: &str) -> Result<String, TestCaseError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|e| TestCaseError::fail(format!("{text:?} decodes to {e}")))
}

/// The value of whichever of the two chosen tokens `token` is; any other token gets a
/// sentinel, so that a value expanded twice would show.
fn two_values<'v>(
    (key_a, a): (&'v str, Option<&'v Val>),
    (key_b, b): (&'v str, Option<&'v Val>),
) -> impl TokenSource + 'v {
    from_fn(move |token: &Token<'_>| {
        let key = token.to_string();
        if key == key_a {
            a.map(Val::value)
        } else if key == key_b {
            b.map(Val::value)
        } else {
            Some(Value::Str("INJECTED"))
        }
    })
}

/// Parses `template` with the default options, failing the case if it does not parse.
fn parse_default(template: &str) -> Result<Template<'_>, TestCaseError> {
    Template::parse(template).map_err(|e| TestCaseError::fail(format!("{e:#}")))
}

/// Parses `url`, failing the case if it does not parse.
fn parse_url(url: &str) -> Result<url::Url, TestCaseError> {
    url::Url::parse(url).map_err(|e| TestCaseError::fail(format!("{url:?} does not parse: {e}")))
}

proptest! {
    #![proptest_config(config(512))]

    /// Whatever the values (any Unicode, `& = # ? / % +`, spaces, CR, LF, `{payout}`) and
    /// whatever modifiers other than `raw` follow the tokens (defaults and maps that write such
    /// text, percentages, case), a value in the query, in a path segment or in the fragment
    /// decodes back to exactly the text the modifiers make of it from the parsed URL (empty
    /// when unusable), and the URL keeps the template's parameters, segments and fragment; a
    /// value in the authority never changes the path or the query. Values are never read for
    /// tokens: `{payout}` in a value stays text.
    #[test]
    fn no_value_changes_the_url_structure(
        (inner_a, key_a, mods_a) in vocabulary_token(),
        (inner_b, key_b, mods_b) in vocabulary_token(),
        a in safe_value(),
        b in safe_value(),
    ) {
        let (a, b) = (a.as_ref(), b.as_ref());
        // The first of two equal tokens decides their value.
        let b_effective = if key_b == key_a { a } else { b };
        let source = two_values((&key_a, a), (&key_b, b));

        // The query.
        let template = format!("https://t.example/p/a?x={{{inner_a}}}&y=lit&z={{{inner_b}}}");
        let expanded = parse_default(&template)?.expand(&source);
        let url = parse_url(&expanded)?;
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let expected = [
            ("x".to_owned(), decoded_text(a, &mods_a, Place::Query)),
            ("y".to_owned(), "lit".to_owned()),
            ("z".to_owned(), decoded_text(b_effective, &mods_b, Place::Query)),
        ];
        prop_assert_eq!(&pairs[..], &expected[..], "query of {:?}", expanded);
        prop_assert_eq!(url.host_str(), Some("t.example"));
        prop_assert_eq!(url.path(), "/p/a");
        prop_assert_eq!(url.fragment(), None);

        // Path segments.
        let template = format!("https://t.example/a/{{{inner_a}}}/b/{{{inner_b}}}?q=1");
        let expanded = parse_default(&template)?.expand(&source);
        let url = parse_url(&expanded)?;
        let segments: Vec<String> = url
            .path_segments()
            .ok_or_else(|| TestCaseError::fail(format!("{expanded:?} has no path")))?
            .map(percent_decode)
            .collect::<Result<_, _>>()?;
        let expected = [
            "a".to_owned(),
            decoded_text(a, &mods_a, Place::Path),
            "b".to_owned(),
            decoded_text(b_effective, &mods_b, Place::Path),
        ];
        prop_assert_eq!(&segments[..], &expected[..], "segments of {:?}", expanded);
        prop_assert_eq!(url.host_str(), Some("t.example"));
        prop_assert_eq!(url.query(), Some("q=1"));
        prop_assert_eq!(url.fragment(), None);

        // The fragment.
        let template = format!("https://t.example/p?q=1#{{{inner_a}}}");
        let expanded = parse_default(&template)?.expand(&source);
        let url = parse_url(&expanded)?;
        let fragment = percent_decode(url.fragment().unwrap_or("<none>"))?;
        prop_assert_eq!(fragment, decoded_text(a, &mods_a, Place::Fragment), "fragment of {:?}", expanded);
        prop_assert_eq!(url.path(), "/p");
        prop_assert_eq!(url.query(), Some("q=1"));

        // The authority: the URL is refused, or keeps its path and query and has no userinfo.
        // Without a usable value the token's text is kept, encoded so that it names no port,
        // userinfo, path or query (`:`, `@`, `/`, `?`, `#` and `%` are encoded).
        let template = format!("https://{{{inner_a}}}/x?y=1");
        let expanded = parse_default(&template)?.expand(&source);
        if naive_modified(a, &mods_a, Place::Authority).written.is_err() {
            let kept = naive_kept(&format!("{{{inner_a}}}"), Place::Authority);
            prop_assert_eq!(&expanded, &format!("https://{kept}/x?y=1"), "no usable value");
        }
        if let Ok(url) = url::Url::parse(&expanded) {
            prop_assert_eq!(url.path(), "/x", "path of {:?}", expanded);
            prop_assert_eq!(url.query(), Some("y=1"), "query of {:?}", expanded);
            prop_assert_eq!(url.fragment(), None, "fragment of {:?}", expanded);
            prop_assert_eq!(url.username(), "", "userinfo in {:?}", expanded);
            prop_assert_eq!(url.password(), None, "userinfo in {:?}", expanded);
        }
    }
}

/// The URL `text` expands to, its structure: the host and port, how many path segments, the
/// query's `&`-separated pieces and the fragment, as the `url` crate (WHATWG) parses them.
#[derive(Debug, PartialEq)]
struct Structure {
    host: Option<String>,
    port: Option<u16>,
    segments: usize,
    pieces: Option<usize>,
    fragment: bool,
}

impl Structure {
    fn of(url: &url::Url) -> Structure {
        Structure {
            host: url.host_str().map(str::to_owned),
            port: url.port(),
            segments: url.path_segments().map_or(0, Iterator::count),
            pieces: url.query().map(|query| query.split('&').count()),
            fragment: url.fragment().is_some(),
        }
    }
}

/// The indices of the query pieces of `parts` whose key is literal text (no token in it), and
/// whether the authority has a token.
fn literal_keys(parts: &[Part<'_>]) -> (Vec<usize>, bool) {
    // The template as text with a control character for each token, which no literal text
    // holds.
    let mut skeleton = String::new();
    for part in parts {
        match part {
            Part::Text(text) => skeleton.push_str(text),
            Part::Token(..) => skeleton.push('\u{1}'),
        }
    }
    let after_scheme = skeleton.find("//").map_or(0, |at| at + 2);
    let authority_end = skeleton[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(skeleton.len(), |at| after_scheme + at);
    let authority_token = skeleton[after_scheme..authority_end].contains('\u{1}');
    let before_fragment = skeleton.split('#').next().unwrap_or_default();
    let keys = match before_fragment.split_once('?') {
        None => Vec::new(),
        Some((_, query)) => query
            .split('&')
            .enumerate()
            .filter(|(_, piece)| {
                !piece
                    .split('=')
                    .next()
                    .unwrap_or_default()
                    .contains('\u{1}')
            })
            .map(|(i, _)| i)
            .collect(),
    };
    (keys, authority_token)
}

proptest! {
    #![proptest_config(config(512))]

    /// For every template the parser accepts (any syntax, every token, modifiers but `raw`,
    /// literal text with URL structure in it, dots, `%` escapes left open) and any values,
    /// hostile, unusable or none at all, under both `Missing` policies, the expansion parses
    /// as a URL with the same host and port (unless a token stands in the authority), the
    /// same number of path segments, the same query pieces with the same literal keys, and the
    /// same fragment as with a benign value.
    #[test]
    fn accepted_templates_keep_their_structure(
        (syntax, unknown, ignore_case, pieces) in template_case(),
        values in vec(proptest::option::of(value()), 1..6),
    ) {
        let options = options(&syntax, unknown, ignore_case);
        let rendered = valid(render(&pieces, &syntax, ignore_case, unknown), &options)?;
        let src = rendered.source.as_str();
        // `raw` is the one way around the guarantees, by design.
        if src.to_ascii_lowercase().contains("|raw") {
            return Ok(());
        }
        let template = Template::parse_with(src, &options)
            .map_err(|e| TestCaseError::fail(format!("generated template fails: {e:#}")))?;
        let naive_options = NaiveOptions {
            syntax: syntax.clone(),
            unknown,
            ignore_case,
            missing: Missing::Empty,
            any_scheme: false,
        };
        let parts = naive_split(src, &naive_options)
            .map_err(|e| TestCaseError::fail(format!("naive split rejects {src:?}: {e:?}")))?;
        let (keys, authority_token) = literal_keys(&parts);

        let benign = template.expand(&from_fn(|_| Some(Value::Int(7))));
        // A template whose literal text WHATWG refuses (a port that is no number, say) is no
        // URL with any value.
        let Ok(benign_url) = url::Url::parse(&benign) else {
            return Ok(());
        };
        // Host values are text: `Raw` is the host's own encoding, and bypasses the guarantees.
        let values: Vec<Option<Val>> = values
            .into_iter()
            .map(|value| match value {
                Some(Val::Raw(text)) => Some(Val::Str(text)),
                other => other,
            })
            .collect();
        let hostile = source(&values);
        let nothing = from_fn(|_| None);
        let expansions = [
            ("hostile", template.expand(&hostile)),
            ("hostile, kept", template.expand_with(&hostile, Missing::Keep)),
            ("no value", template.expand(&nothing)),
            ("no value, kept", template.expand_with(&nothing, Missing::Keep)),
        ];
        for (what, expanded) in expansions {
            let url = match url::Url::parse(&expanded) {
                Ok(url) => url,
                // A value may name a host that is none.
                Err(_) if authority_token => continue,
                Err(err) => {
                    return Err(TestCaseError::fail(format!(
                        "{what}: {expanded:?} from {src:?} is no URL ({err}); with a benign value {benign:?}"
                    )));
                }
            };
            let (mut structure, mut expected) = (Structure::of(&url), Structure::of(&benign_url));
            if authority_token {
                (structure.host, structure.port) = (None, None);
                (expected.host, expected.port) = (None, None);
            }
            prop_assert_eq!(&structure, &expected, "{}: {:?} from {:?}, benign {:?}", what, expanded, src, benign);
            // `query_pairs` leaves out empty pieces: compare the keys by the pieces' index.
            let raw: Vec<&str> = url.query().map_or(Vec::new(), |q| q.split('&').collect());
            let benign_raw: Vec<&str> = benign_url.query().map_or(Vec::new(), |q| q.split('&').collect());
            for &i in &keys {
                let key = |piece: Option<&&str>| piece.map(|p| p.split('=').next().unwrap_or_default().to_owned());
                prop_assert_eq!(key(raw.get(i)), key(benign_raw.get(i)), "{}: key {} of {:?} from {:?}", what, i, expanded, src);
            }
        }
    }
}
