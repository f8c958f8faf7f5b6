//! Where a token stands in a postback URL, and the reading of a template's literal text that
//! decides it: [`Place`], [`Reader`], and the encode sets each place takes.
//!
//! The reader follows the URL the way the WHATWG URL Standard parses it (as `url`, browsers,
//! `ureq` and `reqwest` do), and refuses what would make the two disagree: a template is an
//! absolute URL, `http://` or `https://` (or, when [`Schemes::Any`] allows it, another scheme)
//! followed by a host, and its literal text has no whitespace, no control character, no `\`
//! and no `.` or `..` path segment. Only the template's own text moves the reader; a token
//! stands where the text before it ends.

use crate::encode::{AUTHORITY_SET, COMPONENT_SET, KEPT_AUTHORITY_SET, KEPT_SET, Set};
use crate::error::{Fault, HostProblem, Located, SchemeProblem, Span};

/// Which schemes a template may start with.
///
/// A postback template is an absolute URL: its scheme, `//` and a host come first, as literal
/// text, so that no value can choose where the postback goes. URL parsers treat `http` and
/// `https` (their *special* schemes) in ways that other schemes are not, and postbacks are
/// HTTP requests: other schemes are only for hosts that know what they send them to.
///
/// ```
/// use postback::{ErrorKind, ParseOptions, Schemes, Template};
///
/// let err = Template::parse("myapp://pb.example/?c={clickid}").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Scheme);
///
/// let any = ParseOptions::new().with_schemes(Schemes::Any);
/// assert!(Template::parse_with("myapp://pb.example/?c={clickid}", &any).is_ok());
/// ```
///
/// With the `serde` feature, a choice is its name in lowercase:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::Schemes;
///
/// let schemes: Schemes = serde_json::from_str(r#""any""#)?;
/// assert_eq!(schemes, Schemes::Any);
/// assert_eq!(serde_json::to_string(&Schemes::Http)?, r#""http""#);
/// assert!(serde_json::from_str::<Schemes>(r#""https""#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "lowercase")
)]
#[non_exhaustive]
pub enum Schemes {
    /// `http://` and `https://`, in any ASCII case. The default.
    #[default]
    Http,
    /// Any scheme of RFC 3986 (a letter, then letters, digits, `+`, `-` or `.`) but `file`
    /// (whose host WHATWG parsers may read as a path), still followed by `//` and a host:
    /// `myapp://pb.example/`.
    Any,
}

/// Where a token stands in the URL, which decides how its value is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Place {
    /// Between `//` and the path: `https://{domain}/`.
    Authority,
    /// In the path.
    Path {
        /// Whether the token's segment has literal text made only of one or two dots (`.`,
        /// `%2e`), as in `/.{t1}/` or `/{name}.{ext}/`: writing nothing for every token in it
        /// would make a dot segment, which URL parsers remove.
        dots: bool,
    },
    Query,
    Fragment,
}

impl Place {
    /// The encode set of a value at this place.
    #[inline(always)]
    pub(crate) fn set(self) -> &'static Set {
        match self {
            Place::Authority => &AUTHORITY_SET,
            Place::Path { .. } | Place::Query | Place::Fragment => &COMPONENT_SET,
        }
    }

    /// The encode set of a token's own text, kept in place of a value.
    pub(crate) fn kept_set(self) -> &'static Set {
        match self {
            Place::Authority => &KEPT_AUTHORITY_SET,
            Place::Path { .. } | Place::Query | Place::Fragment => &KEPT_SET,
        }
    }

    /// Whether a token here keeps its text when it has no usable value, whatever the
    /// [`Missing`](crate::Missing) policy: writing nothing would change the URL, moving the
    /// host into the path or making a dot segment.
    pub(crate) fn keeps_text(self) -> bool {
        matches!(self, Place::Authority | Place::Path { dots: true })
    }

    /// Whether a value made only of dots is unusable here.
    pub(crate) fn is_path(self) -> bool {
        matches!(self, Place::Path { .. })
    }
}

/// Reads a template's literal text from left to right, in pieces (the text between tokens),
/// and says where each token stands.
///
/// It checks as it reads: the characters of the literal text, the scheme and the `//`, that
/// the authority names a host, and that no path segment is a dot segment of literal text.
/// The first problem, from the left, is the error.
#[derive(Debug)]
pub(crate) struct Reader {
    state: State,
    schemes: Schemes,
    /// How many bytes of the scheme have been read. An escape in it writes its delimiter and
    /// skips the second copy, so this is not a byte offset.
    scheme_len: usize,
    /// Whether the scheme read so far is a prefix of `https`, in any case.
    http: bool,
    /// Whether the scheme read so far is a prefix of `file`, in any case.
    file: bool,
    /// Where the scheme's `:` ends.
    scheme_end: usize,
    /// Where the authority being read starts: its first byte or token. An escaped delimiter
    /// before it skips a byte, so this is found, not computed.
    start: Option<usize>,
    /// The host being read, while in the authority.
    host: Host,
    /// The path segment being read, while in the path.
    segment: Segment,
}

/// What the text read so far ends in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// In the scheme, or before it.
    Scheme,
    /// After `scheme:`.
    Colon,
    /// After `scheme:/`.
    Slash,
    /// After `scheme://`.
    Authority,
    Path,
    Query,
    Fragment,
}

/// The part of the authority after its userinfo, if any, read so far.
#[derive(Clone, Copy, Debug, Default)]
struct Host {
    /// Bytes of the host so far, not counting a port.
    len: usize,
    /// Whether a token stands in it (its value is the host, or part of it).
    token: bool,
    /// Whether a `:` has begun the port.
    port: bool,
    /// Where the `[` of an IPv6 literal that is open stands: in it, `:` does not begin the
    /// port.
    bracket: Option<usize>,
    /// Whether an IPv6 literal was closed: only a port may follow.
    closed: bool,
    /// The first character that no host (or port) holds, found so far, and where.
    bad: Option<(HostProblem, usize, char)>,
}

impl Host {
    /// Notes the character that `rest` starts with, at byte `here`, as what no host holds,
    /// unless something came before it.
    fn spot(&mut self, problem: HostProblem, here: usize, rest: &[u8]) {
        // Literal text is whole UTF-8: its first character is at most four bytes.
        let head = &rest[..rest.len().min(4)];
        let text = match core::str::from_utf8(head) {
            Ok(text) => text,
            Err(err) => core::str::from_utf8(&head[..err.valid_up_to()]).unwrap_or_default(),
        };
        let c = text.chars().next().unwrap_or('\u{fffd}');
        self.bad.get_or_insert((problem, here, c));
    }
}

/// The path segment read so far.
#[derive(Clone, Copy, Debug, Default)]
struct Segment {
    /// Where it starts: its first byte or token after its `/`.
    start: Option<usize>,
    /// How many dots its literal text has, `.` and `%2e` alike, at most 3.
    dots: u8,
    /// How far a `%2e` has been read: 1 after `%`, 2 after `%2`.
    escape: u8,
    /// Whether its literal text has anything but dots.
    other: bool,
    /// The index of its first token among the template's holes, if it has one.
    first_token: Option<usize>,
}

impl Reader {
    pub(crate) fn new(schemes: Schemes) -> Reader {
        Reader {
            state: State::Scheme,
            schemes,
            scheme_len: 0,
            http: true,
            file: true,
            scheme_end: 0,
            start: None,
            host: Host::default(),
            segment: Segment::default(),
        }
    }

    /// Reads `text`, literal text that starts at byte `at` of the template. Returns the index
    /// of the first token of a path segment that ended in it with literal text of dots, whose
    /// tokens are then [`Place::Path`] with `dots` (only the segment open when `text` began
    /// can have tokens).
    #[inline(always)]
    pub(crate) fn literal(&mut self, text: &str, at: usize) -> Result<Option<usize>, Located> {
        // In the query, most literal text (`&value=`) changes nothing: one pass without a
        // branch per byte finds out, without a call.
        if self.state == State::Query {
            let moves = |b: u8| suspect(b) | (b == b'#');
            if !text.bytes().fold(false, |any, b| any | moves(b)) {
                return Ok(None);
            }
        }
        self.literal_read(text, at)
    }

    /// [`literal`](Reader::literal) for text that may change what is read.
    #[inline(never)]
    fn literal_read(&mut self, text: &str, at: usize) -> Result<Option<usize>, Located> {
        // The text up to a character that is not allowed is read first: a problem in it comes
        // first, from the left.
        let bad = bad_char(text, at);
        let clean = bad.as_ref().map_or(text.len(), |(span, _)| span.start - at);
        let mark = self.read(&text.as_bytes()[..clean], at)?;
        match bad {
            Some(err) => Err(err),
            None => Ok(mark),
        }
    }

    /// Reads `bytes`, literal text without a character that is not allowed, at byte `at`.
    fn read(&mut self, bytes: &[u8], at: usize) -> Result<Option<usize>, Located> {
        let mut mark = None;
        let mut i = 0;
        // Nearly every postback starts so: skip the scheme's steps, byte by byte.
        if at == 0 && self.state == State::Scheme {
            let scheme = bytes.iter().position(|&b| b == b':').unwrap_or(0);
            let http = scheme == 4 || scheme == 5;
            if http && bytes[..scheme].eq_ignore_ascii_case(&b"https"[..scheme]) {
                if let Some(b"//") = bytes.get(scheme + 1..scheme + 3) {
                    (self.state, self.scheme_end, i) = (State::Authority, scheme + 1, scheme + 3);
                }
            }
        }
        while let Some(&byte) = bytes.get(i) {
            let here = at + i;
            match self.state {
                State::Scheme => self.scheme(byte, here)?,
                State::Colon | State::Slash if byte == b'/' => {
                    self.state = match self.state {
                        State::Colon => State::Slash,
                        _ => {
                            self.start = None;
                            self.host = Host::default();
                            State::Authority
                        }
                    };
                }
                State::Colon | State::Slash => return Err(self.no_slashes()),
                State::Authority => {
                    // Most hosts are names: only their end matters, unless they have a
                    // userinfo, a port or an IPv6 literal.
                    let end = find3(b'/', b'?', b'#', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                    let host = &bytes[i..end];
                    let plain = |b: &u8| {
                        !matches!(
                            b,
                            b'@' | b':' | b'[' | b']' | b'<' | b'>' | b'^' | b'|' | b'%'
                        )
                    };
                    let settled =
                        !self.host.port && self.host.bracket.is_none() && !self.host.closed;
                    if settled && host.iter().all(plain) {
                        self.start.get_or_insert(here);
                        self.host.len += host.len();
                        i = end;
                        match bytes.get(i) {
                            Some(_) => self.authority(&bytes[i..], at + i)?,
                            None => return Ok(mark),
                        }
                    } else {
                        self.authority(&bytes[i..], here)?;
                    }
                }
                State::Path => {
                    if self.segment.other {
                        // Only the end of the segment matters now: jump to it.
                        match find3(b'/', b'?', b'#', &bytes[i..]) {
                            Some(skip) => i += skip,
                            None => return Ok(mark),
                        }
                    }
                    let marked = self.path(bytes[i], at + i)?;
                    mark = mark.or(marked);
                }
                State::Query => match find1(b'#', &bytes[i..]) {
                    Some(skip) => {
                        i += skip;
                        self.state = State::Fragment;
                    }
                    None => return Ok(mark),
                },
                State::Fragment => return Ok(mark),
            }
            i += 1;
        }
        Ok(mark)
    }

    /// Says where the token `span`, the `index`-th hole of the template, stands; a token may
    /// not stand before the authority.
    pub(crate) fn token(&mut self, span: Span, index: usize) -> Result<Place, Located> {
        match self.state {
            State::Scheme | State::Colon | State::Slash => {
                Err((span, self.scheme_fault(SchemeProblem::Token)))
            }
            State::Authority => {
                self.start.get_or_insert(span.start);
                if !self.host.port {
                    self.host.token = true;
                }
                Ok(Place::Authority)
            }
            State::Path => {
                // An escape half read is broken by the token: a value never completes it, and
                // nor does the text after a token without one (see `Template::fill_rare`).
                let segment = &mut self.segment;
                segment.start.get_or_insert(span.start);
                segment.other |= segment.escape > 0;
                segment.escape = 0;
                segment.first_token.get_or_insert(index);
                Ok(Place::Path { dots: false })
            }
            State::Query => Ok(Place::Query),
            State::Fragment => Ok(Place::Fragment),
        }
    }

    /// Where an escaped delimiter (`{{`) stands. The delimiter it writes was read as literal
    /// text.
    pub(crate) fn escape(&self) -> Place {
        match self.state {
            State::Authority => Place::Authority,
            State::Query => Place::Query,
            State::Fragment => Place::Fragment,
            _ => Place::Path { dots: false },
        }
    }

    /// Ends the template, at byte `end`; returns what [`literal`](Reader::literal) does.
    pub(crate) fn finish(&mut self, end: usize) -> Result<Option<usize>, Located> {
        match self.state {
            State::Scheme => Err(self.scheme_error()),
            State::Colon | State::Slash => Err(self.no_slashes()),
            State::Authority => self.end_authority(end).map(|()| None),
            State::Path => self.end_segment(end),
            State::Query | State::Fragment => Ok(None),
        }
    }

    fn scheme(&mut self, byte: u8, here: usize) -> Result<(), Located> {
        let first = self.scheme_len == 0;
        match byte {
            b':' if !first => {
                let allowed = match self.schemes {
                    Schemes::Http => self.http && matches!(self.scheme_len, 4 | 5),
                    // `file:` hosts are paths for WHATWG (`file://C:/x` has none): a value in
                    // one could move the host into the path.
                    Schemes::Any => !(self.scheme_len == 4 && self.file),
                };
                if !allowed {
                    let fault = self.scheme_fault(SchemeProblem::Unsupported);
                    return Err((Span::new(0, here), fault));
                }
                (self.state, self.scheme_end) = (State::Colon, here + 1);
            }
            b if b.is_ascii_alphabetic()
                || (!first && (b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'))) =>
            {
                let https = b"https".get(self.scheme_len);
                self.http &= https.is_some_and(|h| h.eq_ignore_ascii_case(&b));
                let file = b"file".get(self.scheme_len);
                self.file &= file.is_some_and(|h| h.eq_ignore_ascii_case(&b));
                self.scheme_len += 1;
            }
            _ => return Err(self.scheme_error()),
        }
        Ok(())
    }

    /// The error for text that does not start with a scheme and its `:`.
    fn scheme_error(&self) -> Located {
        (Span::new(0, 0), self.scheme_fault(SchemeProblem::Missing))
    }

    /// The fault `problem` of the scheme, under these options.
    fn scheme_fault(&self, problem: SchemeProblem) -> Fault {
        let any = self.schemes == Schemes::Any;
        Fault::Scheme { problem, any }
    }

    /// The error for a scheme's `:` not followed by `//`: its span is the scheme, its `:`, and
    /// a `/` if one came.
    fn no_slashes(&self) -> Located {
        let end = self.scheme_end + usize::from(self.state == State::Slash);
        (
            Span::new(0, end),
            self.scheme_fault(SchemeProblem::NoSlashes),
        )
    }

    /// Reads the first byte of `rest` in the authority, at byte `here`.
    fn authority(&mut self, rest: &[u8], here: usize) -> Result<(), Located> {
        self.start.get_or_insert(here);
        let byte = rest.first().copied().unwrap_or_default();
        let host = &mut self.host;
        match byte {
            b'/' | b'?' | b'#' => {
                self.end_authority(here)?;
                self.state = match byte {
                    b'/' => {
                        self.segment = Segment::default();
                        State::Path
                    }
                    b'?' => State::Query,
                    _ => State::Fragment,
                };
            }
            // What came before was a userinfo.
            b'@' => *host = Host::default(),
            digit if host.port && digit.is_ascii_digit() => {}
            _ if host.port => host.spot(HostProblem::Port, here, rest),
            b':' if host.bracket.is_none() => host.port = true,
            b'[' if host.len == 0 && !host.token => {
                (host.bracket, host.len) = (Some(here), 1);
            }
            b']' if host.bracket.is_some() => {
                (host.bracket, host.closed, host.len) = (None, true, host.len + 1);
            }
            _ if host.closed => host.spot(HostProblem::Char, here, rest),
            // What no host holds is still in the host: it is not empty, it is wrong.
            b']' => {
                host.spot(HostProblem::Stray, here, rest);
                host.len += 1;
            }
            b'[' | b'<' | b'>' | b'^' | b'|' | b'%' => {
                host.spot(HostProblem::Char, here, rest);
                host.len += 1;
            }
            _ => host.len += 1,
        }
        Ok(())
    }

    /// Ends the authority at byte `end`: its host must not be empty, nor hold what no host
    /// holds; its port, if literal, is digits.
    fn end_authority(&self, end: usize) -> Result<(), Located> {
        let host = &self.host;
        if host.len == 0 && !host.token {
            let span = Span::new(self.start.unwrap_or(end), end);
            return Err((span, Fault::EmptyHost));
        }
        let bad = host
            .bad
            .or(host.bracket.map(|at| (HostProblem::Unclosed, at, '[')));
        match bad {
            None => Ok(()),
            Some((problem, at, c)) => {
                let span = Span::new(at, at + c.len_utf8());
                Err((span, Fault::InvalidHost(problem, c)))
            }
        }
    }

    fn path(&mut self, byte: u8, here: usize) -> Result<Option<usize>, Located> {
        let segment = &mut self.segment;
        segment.start.get_or_insert(here);
        match (byte, segment.escape) {
            (b'/' | b'?' | b'#', _) => {
                let mark = self.end_segment(here)?;
                match byte {
                    b'/' => self.segment = Segment::default(),
                    b'?' => self.state = State::Query,
                    _ => self.state = State::Fragment,
                }
                return Ok(mark);
            }
            (b'.', 0) => segment.dots = (segment.dots + 1).min(3),
            (b'%', 0) => segment.escape = 1,
            (b'2', 1) => segment.escape = 2,
            (b'e' | b'E', 2) => (segment.escape, segment.dots) = (0, (segment.dots + 1).min(3)),
            _ => segment.other = true,
        }
        Ok(None)
    }

    /// Ends the path segment being read, at byte `end`: a segment of literal dots is a dot
    /// segment, refused; one whose literal text is dots beside tokens has them marked.
    fn end_segment(&mut self, end: usize) -> Result<Option<usize>, Located> {
        let segment = self.segment;
        let dots = !segment.other && segment.escape == 0 && matches!(segment.dots, 1 | 2);
        match (dots, segment.first_token) {
            (false, _) => Ok(None),
            (true, Some(first)) => Ok(Some(first)),
            (true, None) => Err((
                Span::new(segment.start.unwrap_or(end), end),
                Fault::DotSegment,
            )),
        }
    }
}

/// How far a byte search looks one byte at a time before it calls memchr: the text between
/// the tokens of a URL is often shorter than memchr takes to set up.
const SHORT: usize = 16;

/// Searches for bytes matching `is` in `haystack`: the first [`SHORT`] bytes one at a time,
/// the rest with `memchr`.
#[inline(always)]
fn find_with(
    haystack: &[u8],
    is: impl Fn(u8) -> bool,
    memchr: impl FnOnce(&[u8]) -> Option<usize>,
) -> Option<usize> {
    let (head, tail) = haystack.split_at(haystack.len().min(SHORT));
    match head.iter().position(|&b| is(b)) {
        Some(at) => Some(at),
        None if tail.is_empty() => None,
        None => memchr(tail).map(|at| SHORT + at),
    }
}

/// The first `a` in `haystack`.
#[inline(always)]
pub(crate) fn find1(a: u8, haystack: &[u8]) -> Option<usize> {
    find_with(haystack, |b| b == a, |tail| memchr::memchr(a, tail))
}

/// The first `a`, `b` or `c` in `haystack`.
#[inline(always)]
fn find3(a: u8, b: u8, c: u8, haystack: &[u8]) -> Option<usize> {
    find_with(
        haystack,
        |x| x == a || x == b || x == c,
        |tail| memchr::memchr3(a, b, c, tail),
    )
}

/// Whether `byte` may be, or begin, a character that literal text may not hold: whitespace,
/// a control character, `\`, or any byte outside ASCII (which [`bad_char`] then decodes).
#[inline(always)]
fn suspect(byte: u8) -> bool {
    (byte <= b' ') | (byte >= 0x7f) | (byte == b'\\')
}

/// The first whitespace, control character or `\` in `text`, literal text at byte `at`: URL
/// parsers drop or reject the first two, and read the third as `/`.
pub(crate) fn bad_char(text: &str, at: usize) -> Option<Located> {
    // Most literal text is printable ASCII: one pass without a branch per byte, which the
    // compiler vectorizes.
    if !text.bytes().fold(false, |any, b| any | suspect(b)) {
        return None;
    }
    let (i, c) = text
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || c.is_control() || c == '\\')?;
    let span = Span::new(at + i, at + i + c.len_utf8());
    Some((span, Fault::InvalidChar(c)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Template;
    use alloc::vec::Vec;

    #[track_caller]
    fn places(template: &str) -> Vec<Place> {
        let template = Template::parse(template).unwrap();
        template.holes().iter().map(|hole| hole.place).collect()
    }

    const PATH: Place = Place::Path { dots: false };
    const DOTS: Place = Place::Path { dots: true };

    #[test]
    fn tokens_stand_where_the_text_before_them_ends() {
        #[rustfmt::skip]
        let cases: &[(&str, &[Place])] = &[
            ("https://{t1}",                     &[Place::Authority]),
            ("https://h:{t1}/{t2}",              &[Place::Authority, PATH]),
            ("https://u{t1}@h/",                 &[Place::Authority]),
            ("https://[::1]:{t1}",               &[Place::Authority]),
            ("https://h/{t1}?{t2}#{t3}",         &[PATH, Place::Query, Place::Fragment]),
            ("https://h?a=/{t1}",                &[Place::Query]),
            ("https://h#a?b/{t1}",               &[Place::Fragment]),
            ("https://h/a{{b{t1}",               &[PATH, PATH]),
        ];
        for &(template, expected) in cases {
            assert_eq!(places(template), expected, "{template}");
        }
    }

    #[test]
    fn literal_dots_mark_the_tokens_of_their_segment() {
        #[rustfmt::skip]
        let cases: &[(&str, &[Place])] = &[
            ("https://h/.{t1}/x",                &[DOTS]),
            ("https://h/{t1}..{t2}/x",           &[DOTS, DOTS]),
            ("https://h/%2E{t1}?.",              &[DOTS]),
            ("https://h/{t1}.{t2}/{t3}",         &[DOTS, DOTS, PATH]),
            ("https://h/...{t1}",                &[PATH]),
            ("https://h/x.{t1}",                 &[PATH]),
            ("https://h/%2{t1}e",                &[PATH]),
            ("https://h/?.{t1}",                 &[Place::Query]),
        ];
        for &(template, expected) in cases {
            assert_eq!(places(template), expected, "{template}");
        }
        // `https://h/{t1}/.` fails: its last segment is a dot segment of literal text.
        assert!(Template::parse("https://h/{t1}/.").is_err());
    }
}
