//! Warnings for what users leave in templates: fill-in placeholders, network macros left as
//! text, example goal ids. See [`Template::lint`].

use alloc::vec::Vec;
use core::fmt;

use crate::error::Span;
use crate::template::Template;

/// A warning about a template that parses but is probably not what its author meant to send:
/// see [`Template::lint`].
///
/// `Display` writes one line for a tracker's UI:
///
/// ```
/// use postback::Template;
///
/// let template = Template::parse("https://s.magsrv.com/tag.php?goal=REPLACE&tag={externalid}")?;
/// let lints = template.lint();
/// assert_eq!(lints.len(), 1);
/// assert_eq!(
///     lints[0].to_string(),
///     "the text at bytes 34..41 looks like a placeholder left to fill in",
/// );
/// # Ok::<(), postback::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Lint {
    kind: LintKind,
    span: Span,
}

/// What a [`Lint`] warns of.
///
/// ```
/// use postback::{LintKind, Template};
///
/// let text = "https://ct.example/pb?aid=__TRACK_ID__&goal=GOAL&sum={payout}";
/// let template = Template::parse(text)?;
/// let kinds: Vec<LintKind> = template.lint().iter().map(|lint| lint.kind()).collect();
/// assert_eq!(kinds, [LintKind::Macro, LintKind::ExampleGoal]);
/// # Ok::<(), postback::ParseError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LintKind {
    /// Text a network's instructions ask to replace: `REPLACE`, `REPLACE_AID`, `yourvalue`,
    /// `your-parameter`, `XXXXXX`, `######`, `{AID-FROM-DASHBOARD}`.
    Placeholder,
    /// A bracketed name left as literal text: a network's macro (`[put_userID]`,
    /// `##postback_id##`, `__TRACK_ID__`, `%click_id%`, `<aid>`) where the tracker's token
    /// belongs, or a placeholder written as one. The network never fills a postback.
    Macro,
    /// A `goal` parameter whose value is a placeholder (`GOAL`, `GOAL_ID`) or the example goal
    /// id of this crate's docs, not the account's own.
    ExampleGoal,
}

impl Lint {
    /// What it warns of.
    ///
    /// ```
    /// use postback::{LintKind, Template};
    ///
    /// // The goal id of an example, pasted instead of the account's own.
    /// let template = Template::parse(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c3d4e5f60718293a4b5c6d7e8f9&tag={externalid}",
    /// )?;
    /// assert_eq!(template.lint()[0].kind(), LintKind::ExampleGoal);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn kind(&self) -> LintKind {
        self.kind
    }

    /// The text it is about, in bytes of the template's source.
    ///
    /// ```
    /// use postback::Template;
    ///
    /// let template = Template::parse("https://t.example/pb?id={externalid}&uid=[put_userID]")?;
    /// let span = template.lint()[0].span();
    /// assert_eq!(&template.as_str()[span.range()], "[put_userID]");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn span(&self) -> Span {
        self.span
    }
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let span = self.span;
        match self.kind {
            LintKind::Placeholder => write!(
                f,
                "the text at bytes {span} looks like a placeholder left to fill in"
            ),
            LintKind::Macro => write!(
                f,
                "the text at bytes {span} looks like a macro left as text; a postback needs the tracker's token there"
            ),
            LintKind::ExampleGoal => write!(
                f,
                "the goal at bytes {span} is a placeholder or an example, not the account's goal id"
            ),
        }
    }
}

/// Goal ids that appear as examples in this crate's documentation.
const EXAMPLE_GOALS: &[&str] = &[
    "4f1b2c3d4e5f60718293a4b5c6d7e8f9",
    "9e8d7c6b5a4f30211203f4e5d6c7b8a9",
    "4f1b2c",
    "4f1b",
];

/// Words that fill-in text is made of, matched without regard to ASCII case.
const FILL_IN: &[&str] = &[
    "replace",
    "your",
    "put_",
    "dashboard",
    "changeme",
    "change_me",
    "insert_",
];

impl Template<'_> {
    /// Warnings, not errors, for what users leave in templates, each with the span of the
    /// text at fault: placeholders from a network's instructions ([`LintKind::Placeholder`]),
    /// a network's macros left as literal text ([`LintKind::Macro`]), and a goal that is a
    /// placeholder or an example ([`LintKind::ExampleGoal`]). A tracker's UI shows them beside
    /// the template; the template still expands as written.
    ///
    /// The checks read the literal text between the template's tokens, one piece at a time:
    /// the text between `/`, `?`, `&`, `=`, `.` and `:`. They are heuristics, tuned on
    /// the 126 postbacks of a real-world list of traffic-source templates: a piece is fill-in
    /// text when it holds `replace`, `your`, `put_`, `dashboard`, `changeme`, `change_me` or
    /// `insert_` in any case, or is three or more `x` or `#` alone; it is a macro when a name
    /// is wrapped in `[ ]`, `{ }`, `${ }`, `< >`, `## ##`, `__ __` or `% %`.
    ///
    /// ```
    /// use postback::{LintKind, Template};
    ///
    /// let template = Template::parse(
    ///     "https://ct.example/click?aid=[put_userID]&key=REPLACE_KEY&goal=GOAL_ID&id={externalid}",
    /// )?;
    /// let lints: Vec<(LintKind, &str)> = template
    ///     .lint()
    ///     .iter()
    ///     .map(|lint| (lint.kind(), &template.as_str()[lint.span().range()]))
    ///     .collect();
    /// assert_eq!(lints, [
    ///     (LintKind::Macro, "[put_userID]"),
    ///     (LintKind::Placeholder, "REPLACE_KEY"),
    ///     (LintKind::ExampleGoal, "GOAL_ID"),
    /// ]);
    /// assert!(Template::parse("https://t.example/pb?id={externalid}")?.lint().is_empty());
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub fn lint(&self) -> Vec<Lint> {
        let source = self.as_str();
        let open = self.options().syntax().open();
        let mut lints = Vec::new();
        let mut literal = 0;
        let mut tokens = self.tokens_with_spans().map(|(_, span, _)| span);
        loop {
            let next = tokens.next();
            let end = next.map_or(source.len(), |span| span.start);
            lint_literal(source, literal..end, open, &mut lints);
            match next {
                Some(span) => literal = span.end,
                None => return lints,
            }
        }
    }
}

/// The lints of the literal text `source[range]`, piece by piece.
fn lint_literal(source: &str, range: core::ops::Range<usize>, open: &str, lints: &mut Vec<Lint>) {
    let text = source.get(range.clone()).unwrap_or_default();
    let mut start = 0;
    for (at, c) in text.char_indices().chain([(text.len(), '/')]) {
        if !matches!(c, '/' | '?' | '&' | '=' | '.' | ':') {
            continue;
        }
        let piece = &text[start..at];
        let span = Span::new(range.start + start, range.start + at);
        // The name of the parameter the piece is the value of, if it is one.
        let name = text[..start]
            .strip_suffix('=')
            .map(|before| &before[before.rfind(['&', '?']).map_or(0, |i| i + 1)..]);
        if let Some(kind) = classify(piece, name, open) {
            lints.push(Lint { kind, span });
        }
        start = at + c.len_utf8();
    }
}

/// What `piece`, the value of the parameter `name` if it is one, warns of.
fn classify(piece: &str, name: Option<&str>, open: &str) -> Option<LintKind> {
    if piece.is_empty() {
        return None;
    }
    let lower = piece.to_ascii_lowercase();
    if name.is_some_and(|name| name.eq_ignore_ascii_case("goal")) {
        let placeholder = matches!(lower.as_str(), "goal" | "goal_id" | "goalid" | "goal-id");
        if placeholder || EXAMPLE_GOALS.contains(&lower.as_str()) {
            return Some(LintKind::ExampleGoal);
        }
    }
    // An escaped opening delimiter is one in the text sent.
    let unescaped = piece.replacen(&alloc::format!("{open}{open}"), open, 1);
    if is_macro(&unescaped) {
        return Some(LintKind::Macro);
    }
    let filler = |c: u8| piece.len() >= 3 && piece.bytes().all(|b| b == c);
    if FILL_IN.iter().any(|word| lower.contains(word))
        || filler(b'x')
        || filler(b'X')
        || filler(b'#')
    {
        return Some(LintKind::Placeholder);
    }
    None
}

/// Whether `piece` is a name wrapped in one of the markers networks write macros with.
fn is_macro(piece: &str) -> bool {
    const MARKERS: &[(&str, &str)] = &[
        ("[", "]"),
        ("{", "}"),
        ("<", ">"),
        ("##", "##"),
        ("__", "__"),
        ("%", "%"),
        ("${", "}"),
    ];
    MARKERS.iter().any(|(open, close)| {
        let name = piece
            .strip_prefix(open)
            .and_then(|rest| rest.strip_suffix(close));
        name.is_some_and(|name| {
            let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+');
            let hex_escape = *open == "%" && name.len() <= 2;
            !name.is_empty()
                && !hex_escape
                && name.bytes().all(word)
                && name.bytes().any(|b| b.is_ascii_alphabetic())
        })
    })
}
