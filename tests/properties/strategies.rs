//! The generators: templates of every syntax, tokens with chains of modifiers, values.

use crate::*;

/// Any Unicode text of up to `max` characters.
pub(crate) fn unicode(max: usize) -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..=max).prop_map(String::from_iter)
}

/// Text with URL structure in it: `https://`, `/`, `?`, `#`, `&x=`, and arbitrary Unicode.
pub(crate) fn literal_text() -> impl Strategy<Value = String> {
    const URL_BITS: &[&str] = &[
        "https://",
        "http://",
        "//",
        "/",
        "?",
        "#",
        "&a=",
        "=",
        ":",
        "t.example",
        "/p/",
        "..",
        "@",
        "%",
        "}",
        "]]",
        ">",
        "##",
        "a+b-c.d://",
        "|",
        "%2",
        "2",
        "%e",
    ];
    prop_oneof![
        3 => unicode(8),
        3 => select(URL_BITS).prop_map(String::from),
        2 => "[a-zA-Z0-9./?#&=:%+@ -]{0,8}",
    ]
}

/// Whether a character may stand in a template's literal text: URL parsers drop or reject
/// whitespace and control characters, and read `\` as `/`.
pub(crate) fn url_char(c: char) -> bool {
    !(c.is_whitespace() || c.is_control() || c == '\\')
}

/// `text` without the characters that literal text may not hold.
pub(crate) fn url_clean(text: &str) -> String {
    text.chars().filter(|&c| url_char(c)).collect()
}

/// A delimiter whose first character cannot appear in a token name (`A-Z a-z 0-9 _ :`) nor in
/// the URL a template starts with (`/ . @ ?`), so that generated templates parse as built; the
/// rest is any text that literal text may hold (an escape writes the delimiter as literal
/// text).
pub(crate) fn safe_delimiter() -> impl Strategy<Value = String> {
    let first = any::<char>().prop_filter("a token-name or URL character", |c| {
        !(c.is_ascii_alphanumeric() || "_:/.@?".contains(*c)) && url_char(*c)
    });
    let rest = any::<char>().prop_filter("a character literal text may not hold", |c| url_char(*c));
    (first, vec(rest, 0..3)).prop_map(|(first, rest)| std::iter::once(first).chain(rest).collect())
}

/// The `Syntax` constants, random pairs of delimiters, and random equal pairs.
pub(crate) fn safe_syntax() -> impl Strategy<Value = Syntax> {
    prop_oneof![
        3 => Just(Syntax::BRACES),
        3 => select(vec![
            Syntax::DOUBLE_BRACKETS,
            Syntax::ANGLE_BRACKETS,
            Syntax::DOLLAR_BRACES,
            Syntax::DOUBLE_HASHES,
            Syntax::PERCENT,
        ]),
        2 => (safe_delimiter(), safe_delimiter())
            .prop_filter_map("empty delimiter", |(open, close)| Syntax::new(open, close)),
        1 => safe_delimiter().prop_filter_map("empty delimiter", |d| Syntax::new(d.clone(), d)),
    ]
}

/// Every `Unknown` policy.
pub(crate) fn unknown_policy() -> impl Strategy<Value = Unknown> {
    select(vec![Unknown::Reject, Unknown::Literal, Unknown::Custom])
}

/// One piece of a generated template, before it is rendered for a syntax.
#[derive(Clone, Debug)]
pub(crate) enum Piece {
    /// Literal text; characters that would start an opening delimiter are dropped.
    Text(String),
    /// The opening delimiter, doubled.
    Escape,
    /// A token: its head, and the modifiers after it.
    Token(Head, Vec<GenMod>),
}

/// The head of a generated token: its name and argument, before any `|`.
#[derive(Clone, Debug)]
pub(crate) enum Head {
    /// `NAMED[index]`, in a random ASCII case when names are matched without case.
    Named(usize, u32),
    /// `t1`..`t10` (`false`) or `event1`..`event10` (`true`).
    Numbered(bool, u8, u32),
    /// `tName:NAME`.
    TName(u32, String),
    /// A name outside the vocabulary, with or without an argument.
    Custom(String, Option<String>),
}

/// A generated modifier, and the ASCII case mask of its name (used when names ignore case).
#[derive(Clone, Debug)]
pub(crate) struct GenMod(pub(crate) GenKind, pub(crate) u32);

/// What a generated modifier is. Arguments are cleaned of the characters they may not hold
/// when rendered.
#[derive(Clone, Debug)]
pub(crate) enum GenKind {
    Raw,
    Lower,
    Upper,
    Default(String),
    Map(Vec<(String, String)>),
    /// The percentage, as a plain decimal of at least 0.
    Percent(String),
    /// The places, 0 to 18.
    Round(u32),
    /// Any text after a `|`: written only after unknown tokens kept as literal text, whose
    /// modifiers are never read.
    Junk(String),
}

/// Text shared by values, defaults and `map` pairs, so that maps match and percentages apply:
/// words in both cases, numbers as every kind of value writes them, decimals that do not fit a
/// `Decimal`, dots, and text to encode.
pub(crate) const COMMON: &[&str] = &[
    "lead",
    "sale",
    "LEAD",
    "Sale",
    "none",
    "10",
    "10.00",
    "0.5",
    "-3",
    "7",
    "0",
    "-0",
    "NaN",
    "inf",
    "1.",
    "1e5",
    " 5",
    ".",
    "..",
    "a b",
    "x&y=z",
    "12345678901234567890",
    "0.0000000000000000001",
    "100000000000000000000000000000000",
];

/// The text of a default or of either side of a `map` pair.
pub(crate) fn modifier_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(COMMON).prop_map(String::from),
        1 => unicode(5),
        1 => "[a-zA-Z0-9.:,=&?#/%| -]{0,6}",
    ]
}

/// A `percent` argument: plain decimals of at least 0, whole or not, small or not.
pub(crate) fn percent_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(vec!["0", "50", "100", "12.5", "150", "33", "0.01", "00.50", "200.000"])
            .prop_map(String::from),
        2 => (0..=100_000i64, 0..=4u32)
            .prop_map(|(m, scale)| naive_decimal(Decimal::new(m, scale).expect("scale in range"))),
        1 => (0..=i64::MAX, 0..=Decimal::MAX_SCALE)
            .prop_map(|(m, scale)| naive_decimal(Decimal::new(m, scale).expect("scale in range"))),
    ]
}

/// A valid modifier other than `raw`: one that keeps the value encoded.
pub(crate) fn encoded_modifier() -> impl Strategy<Value = GenMod> {
    let kind = prop_oneof![
        1 => Just(GenKind::Lower),
        1 => Just(GenKind::Upper),
        2 => modifier_text().prop_map(GenKind::Default),
        3 => vec((modifier_text(), modifier_text()), 1..4).prop_map(GenKind::Map),
        3 => percent_text().prop_map(GenKind::Percent),
        2 => (0..=18u32).prop_map(GenKind::Round),
    ];
    (kind, any::<u32>()).prop_map(|(kind, case)| GenMod(kind, case))
}

/// Any modifier: the valid ones, `raw` among them, and now and then junk.
pub(crate) fn any_modifier() -> impl Strategy<Value = GenMod> {
    let other = prop_oneof![
        Just(GenKind::Raw),
        prop_oneof![unicode(6), "[|:=,a-z0-9. -]{0,8}"].prop_map(GenKind::Junk),
    ];
    prop_oneof![
        8 => encoded_modifier(),
        2 => (other, any::<u32>()).prop_map(|(kind, case)| GenMod(kind, case)),
    ]
}

/// A chain of 0 to 3 modifiers, empty about half the time.
pub(crate) fn chain() -> impl Strategy<Value = Vec<GenMod>> {
    prop_oneof![Just(Vec::new()), vec(any_modifier(), 1..4)]
}

/// A piece: literal text most often, then tokens of every kind, then escapes.
pub(crate) fn piece() -> impl Strategy<Value = Piece> {
    let custom_name = prop_oneof![
        select(vec!["status", "sub_id_1", "revenue", "ClickID", "T1", "x"]).prop_map(String::from),
        unicode(6),
    ];
    let custom_arg = prop_oneof![
        select(vec![" lead=1 sale=2", "", "a:b", "{}", "a|b"]).prop_map(String::from),
        unicode(8),
    ];
    let head = prop_oneof![
        3 => (0..NAMED.len(), any::<u32>()).prop_map(|(i, case)| Head::Named(i, case)),
        2 => (any::<bool>(), 1..=10u8, any::<u32>())
            .prop_map(|(event, n, case)| Head::Numbered(event, n, case)),
        1 => (any::<u32>(), unicode(6)).prop_map(|(case, arg)| Head::TName(case, arg)),
        2 => (custom_name, proptest::option::of(custom_arg))
            .prop_map(|(name, arg)| Head::Custom(name, arg)),
    ];
    prop_oneof![
        5 => literal_text().prop_map(Piece::Text),
        1 => Just(Piece::Escape),
        8 => (head, chain()).prop_map(|(head, chain)| Piece::Token(head, chain)),
    ]
}

/// A generated template: its syntax, its unknown-name policy, whether names ignore case, and
/// its pieces.
pub(crate) fn template_case() -> impl Strategy<Value = (Syntax, Unknown, bool, Vec<Piece>)> {
    // Every template is an absolute URL; its start puts tokens in every place.
    let start = select(vec![
        "https://",
        "http://h.example",
        "https://h.example:",
        "https://user@",
        "https://h.example/",
        "HTTPS://h.example/p/.",
        "https://h.example/?",
        "https://h.example/#",
    ])
    .prop_map(|start| Some(Piece::Text(start.to_owned())));
    (
        safe_syntax(),
        unknown_policy(),
        any::<bool>(),
        start,
        vec(piece(), 0..12),
    )
        .prop_map(|(syntax, unknown, ignore_case, start, pieces)| {
            (
                syntax,
                unknown,
                ignore_case,
                start.into_iter().chain(pieces).collect(),
            )
        })
}

/// The token a rendered piece should parse to, owning its text.
#[derive(Clone, Debug)]
pub(crate) enum Want {
    Token(Token<'static>),
    TName(String),
    Custom(String, Option<String>),
}

impl Want {
    pub(crate) fn token(&self) -> Token<'_> {
        match self {
            Want::Token(token) => *token,
            Want::TName(name) => Token::TName(name),
            Want::Custom(name, arg) => Token::Custom {
                name,
                arg: arg.as_deref(),
            },
        }
    }
}

/// A generated template as text, and the tokens it should parse to.
#[derive(Debug)]
pub(crate) struct Rendered {
    pub(crate) source: String,
    pub(crate) wants: Vec<Want>,
}

/// `text` without the characters in `banned`.
pub(crate) fn without(text: &str, banned: &[char]) -> String {
    text.chars().filter(|c| !banned.contains(c)).collect()
}

/// `name` with the ASCII letters whose bit is set in `mask` uppercased, when names ignore case.
pub(crate) fn recase(name: &str, mask: u32, ignore_case: bool) -> String {
    if !ignore_case {
        return name.to_owned();
    }
    name.chars()
        .enumerate()
        .map(|(i, c)| match (mask >> (i % 32)) & 1 {
            1 => c.to_ascii_uppercase(),
            _ => c,
        })
        .collect()
}

/// Renders `pieces` for `syntax`, so that the result parses to exactly the wanted tokens:
///
/// - literal text never holds the first character of the opening delimiter, so no opening
///   delimiter starts inside it (the delimiter itself is written with an escape piece);
/// - a token's text never holds the first character of either delimiter, so its own closing
///   delimiter is the first one after it, and it is not read as an escape;
/// - delimiters never start with a name character, so they cannot cut a name short;
/// - a `|` in a token always starts a modifier: names and arguments never hold one.
///
/// Closing delimiters and `|` may appear in literal text: outside a token they are literal.
pub(crate) fn render(
    pieces: &[Piece],
    syntax: &Syntax,
    ignore_case: bool,
    unknown: Unknown,
) -> Rendered {
    let (open, close) = (syntax.open(), syntax.close());
    let first = |d: &str| d.chars().next().unwrap_or(' ');
    let (open0, close0) = (first(open), first(close));
    let mut source = String::new();
    let mut wants = Vec::new();
    let token = |source: &mut String, head: &str, chain: &[GenMod], literal: bool| {
        source.push_str(open);
        source.push_str(head);
        source.push_str(&render_chain(chain, &[open0, close0], ignore_case, literal));
        source.push_str(close);
    };
    for piece in pieces {
        let (head, chain) = match piece {
            Piece::Text(text) => {
                source.push_str(&url_clean(&without(text, &[open0])));
                continue;
            }
            Piece::Escape => {
                source.push_str(open);
                source.push_str(open);
                continue;
            }
            Piece::Token(head, chain) => (head, chain),
        };
        match head {
            Head::Named(index, mask) => {
                let (spelling, _, want) = NAMED[*index];
                token(
                    &mut source,
                    &recase(spelling, *mask, ignore_case),
                    chain,
                    false,
                );
                wants.push(Want::Token(want));
            }
            Head::Numbered(event, n, mask) => {
                let family = if *event { "event" } else { "t" };
                let head = format!("{}{n}", recase(family, *mask, ignore_case));
                token(&mut source, &head, chain, false);
                let slot = Slot::new(*n).expect("generated in 1..=10");
                wants.push(Want::Token(match event {
                    true => Token::Event(slot),
                    false => Token::T(slot),
                }));
            }
            Head::TName(mask, arg) => {
                let mut arg = without(arg, &[open0, close0, '|']);
                if arg.is_empty() {
                    arg.push('x');
                }
                let head = format!("{}:{arg}", recase("tName", *mask, ignore_case));
                token(&mut source, &head, chain, false);
                wants.push(Want::TName(arg));
            }
            Head::Custom(name, arg) => {
                if unknown == Unknown::Reject {
                    continue;
                }
                let literal = unknown == Unknown::Literal;
                // A token kept as literal text is literal text: no whitespace, no control.
                let clean = |text: String| match literal {
                    true => url_clean(&text),
                    false => text,
                };
                let mut name = clean(without(name, &[open0, close0, ':', '|']));
                // No known name starts with `x`, so this makes any name unknown.
                if naive_class(&name, ignore_case) != Class::Unknown {
                    name.insert(0, 'x');
                }
                let arg = arg
                    .as_deref()
                    .map(|arg| clean(without(arg, &[open0, close0, '|'])));
                let head = match &arg {
                    Some(arg) => format!("{name}:{arg}"),
                    None => name.clone(),
                };
                token(&mut source, &head, chain, literal);
                if !literal {
                    wants.push(Want::Custom(name, arg));
                }
            }
        }
    }
    Rendered { source, wants }
}

/// The modifiers of a token as text, each after a `|`, without the characters in `banned`
/// (the first characters of the delimiters) and without those their grammar forbids. Junk is
/// written only when the token is kept as literal text (`literal`).
pub(crate) fn render_chain(
    chain: &[GenMod],
    banned: &[char],
    ignore_case: bool,
    literal: bool,
) -> String {
    // A delimiter starting with `|` leaves no room for modifiers.
    if banned.contains(&'|') {
        return String::new();
    }
    let clean = |text: &str, also: &[char]| {
        let banned: Vec<char> = banned.iter().chain(also).copied().collect();
        match without(text, &banned) {
            text if text.is_empty() => "x".to_owned(),
            text => text,
        }
    };
    // What `raw` writes as it is is literal text of the URL: no whitespace, control character
    // or `\`.
    let raw = chain
        .iter()
        .any(|GenMod(kind, _)| matches!(kind, GenKind::Raw));
    let written = |text: String| match raw {
        true => text.replace(
            |c: char| c.is_whitespace() || c.is_control() || c == '\\',
            "",
        ),
        false => text,
    };
    let mut out = String::new();
    for GenMod(kind, mask) in chain {
        let name = |name: &str| recase(name, *mask, ignore_case);
        match kind {
            GenKind::Raw => write!(out, "|{}", name("raw")),
            GenKind::Lower => write!(out, "|{}", name("lower")),
            GenKind::Upper => write!(out, "|{}", name("upper")),
            GenKind::Default(text) => {
                let text = clean(&written(text.clone()), &['|']);
                write!(out, "|{}:{}", name("default"), text)
            }
            // A delimiter starting with `=` leaves no room for a map.
            GenKind::Map(_) if banned.contains(&'=') => Ok(()),
            GenKind::Map(pairs) => {
                // A delimiter starting with `,` leaves room for one pair only.
                let count = if banned.contains(&',') {
                    1
                } else {
                    pairs.len()
                };
                let pairs: Vec<String> = pairs[..count]
                    .iter()
                    .map(|(from, to)| {
                        let to = written(without(to, &['|', ',', '=']));
                        format!("{}={}", clean(from, &['|', ',', '=']), without(&to, banned))
                    })
                    .collect();
                write!(out, "|{}:{}", name("map"), pairs.join(","))
            }
            GenKind::Percent(n) => {
                // Digits are never banned; a point or a sign may be.
                let n = match n.contains(banned) {
                    true => "50",
                    false => n,
                };
                write!(out, "|{}:{n}", name("percent"))
            }
            GenKind::Round(places) => write!(out, "|{}:{places}", name("round")),
            GenKind::Junk(text) if literal => write!(out, "|{}", url_clean(&without(text, banned))),
            GenKind::Junk(_) => Ok(()),
        }
        .expect("writing to a String");
    }
    // Kept as literal text, the chain is literal text too.
    match literal {
        true => url_clean(&out),
        false => out,
    }
}

/// `rendered`, repaired where its random literal text makes a URL the parser refuses as such
/// (a path segment of literal dots, an authority without a host): a template is an absolute
/// URL. The repair inserts a letter into the literal text; a case whose repair changed its
/// tokens (the letter and a delimiter made a new one) is discarded.
pub(crate) fn valid(
    mut rendered: Rendered,
    options: &ParseOptions,
) -> Result<Rendered, TestCaseError> {
    let mut repaired = false;
    for _ in 0..32 {
        let err = match Template::parse_with(&rendered.source, options) {
            Ok(template) if repaired => {
                let tokens: Vec<Token<'_>> = template.tokens().collect();
                let wants: Vec<Token<'_>> = rendered.wants.iter().map(Want::token).collect();
                return match tokens == wants {
                    true => Ok(rendered),
                    false => Err(TestCaseError::reject("the repair made a token")),
                };
            }
            Ok(_) => return Ok(rendered),
            Err(err) => err,
        };
        match err.kind() {
            ErrorKind::DotSegment => rendered.source.insert(err.span().start, 'x'),
            // A host of its own, right after `scheme://`, outside any delimiter: what followed
            // is the path now.
            ErrorKind::EmptyHost | ErrorKind::InvalidHost => {
                let after = rendered.source.find("://").map_or(0, |at| at + 3);
                rendered.source.insert_str(after, "h/");
            }
            // The letter went into a delimiter that an escape writes.
            _ if repaired => return Err(TestCaseError::reject("the repair broke a delimiter")),
            _ => {
                return Err(TestCaseError::fail(format!(
                    "generated template fails: {err:#}"
                )));
            }
        }
        repaired = true;
    }
    Err(TestCaseError::reject("too many repairs"))
}

/// The options a generated template is parsed with.
pub(crate) fn options(syntax: &Syntax, unknown: Unknown, ignore_case: bool) -> ParseOptions {
    ParseOptions::new()
        .with_syntax(syntax.clone())
        .with_unknown(unknown)
        .with_ignore_case(ignore_case)
}

/// Text that tries to break out of its place: URL delimiters, line breaks, `%`, `+`, tokens,
/// dots, and any Unicode.
pub(crate) fn hostile_text() -> impl Strategy<Value = String> {
    const HOSTILE: &[&str] = &[
        "&", "=", "#", "?", "/", "%", "+", " ", "\r", "\n", "{payout}", "{{", "}", ":", "@", "..",
        ".", "%2e", "%41", "\\", "[", "]", "\0", "\t", "é", "🎉",
    ];
    let chunk = prop_oneof![select(HOSTILE).prop_map(String::from), unicode(4)];
    vec(chunk, 0..6).prop_map(|chunks| chunks.concat())
}

/// A `Decimal` with any mantissa and scale.
pub(crate) fn decimal() -> impl Strategy<Value = Decimal> {
    let mantissa = prop_oneof![any::<i64>(), -100_000..100_000i64];
    (mantissa, 0..=Decimal::MAX_SCALE)
        .prop_map(|(m, scale)| Decimal::new(m, scale).expect("scale in range"))
}

/// Any value: text (empty, dots only, hostile, any Unicode, short or long), raw text, integers,
/// floats (finite or not), decimals.
pub(crate) fn value() -> impl Strategy<Value = Val> {
    let float = prop_oneof![
        any::<f64>(),
        select(vec![
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            1e21,
            1e-7,
        ]),
    ];
    prop_oneof![
        4 => hostile_text().prop_map(Val::Str),
        // Long enough to fill expansion's buffer, of a few hundred bytes, more than once.
        1 => (hostile_text(), 1..60usize).prop_map(|(text, n)| Val::Str(text.repeat(n))),
        2 => select(vec!["", ".", "..", "...", "a.b"]).prop_map(|s| Val::Str(s.into())),
        1 => prop_oneof![Just(String::new()), hostile_text()].prop_map(Val::Raw),
        1 => any::<i64>().prop_map(Val::Int),
        1 => any::<u64>().prop_map(Val::UInt),
        1 => float.prop_map(Val::Float),
        1 => decimal().prop_map(Val::Decimal),
        3 => common_value(),
    ]
}

/// A value that modifiers have something to do with: the text of [`COMMON`], as text or raw
/// text, and numbers that write as some of it or that no percentage of fits.
pub(crate) fn common_value() -> impl Strategy<Value = Val> {
    let text = select(COMMON).prop_map(String::from);
    prop_oneof![
        3 => text.clone().prop_map(Val::Str),
        1 => text.prop_map(Val::Raw),
        1 => (-20..=20i64).prop_map(Val::Int),
        1 => select(vec![0, 7, 10, i64::MAX as u64, u64::MAX]).prop_map(Val::UInt),
        1 => select(vec![0.5, 10.0, -3.0, -0.0, 1e-7, 1e-19, 1e21, 1e32, 0.1, f64::NAN])
            .prop_map(Val::Float),
        1 => (-2000..=2000i64, 0..=3u32)
            .prop_map(|(m, scale)| Val::Decimal(Decimal::new(m, scale).expect("scale in range"))),
        1 => Just(Val::Decimal(Decimal::new(1, Decimal::MAX_SCALE).expect("scale in range"))),
    ]
}

/// The value a source of `values` has for the token whose canonical form is `key`: the
/// values are spread over keys by a fixed hash, so repeated tokens get the same value.
pub(crate) fn lookup<'v>(values: &'v [Option<Val>], key: &str) -> Option<&'v Val> {
    lookup_hash(values, key_hash(key))
}

/// The fixed hash of a token's canonical form that [`lookup`] spreads values by.
pub(crate) fn key_hash(key: &str) -> usize {
    key.bytes().map(usize::from).sum::<usize>()
}

/// The value for a key of hash `hash`.
pub(crate) fn lookup_hash(values: &[Option<Val>], hash: usize) -> Option<&Val> {
    values.get(hash % values.len().max(1))?.as_ref()
}

/// The same values as a record of fields, for [`Bound`]: each token's field is the hash of its
/// canonical form, so that it answers as [`source`] does.
pub(crate) struct Record<'v>(pub(crate) &'v [Option<Val>]);

impl Fields for Record<'_> {
    type Field = usize;

    fn field(token: &Token<'_>) -> Option<usize> {
        Some(key_hash(&token.to_string()))
    }

    fn value(&self, hash: usize) -> Option<Value<'_>> {
        lookup_hash(self.0, hash).map(Val::value)
    }
}

/// A source answering from `values` by each token's canonical `Display` form.
pub(crate) fn source(values: &[Option<Val>]) -> impl TokenSource + '_ {
    from_fn(move |token: &Token<'_>| lookup(values, &token.to_string()).map(Val::value))
}
