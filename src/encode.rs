//! The percent-encode sets, and the encoder that applies them.
//!
//! Every [`Value::Str`](crate::Value::Str) is percent-encoded for the place of its token in the
//! URL, so that no click data can change the URL's structure. The sets are
//! [`percent_encoding::AsciiSet`]s: a host that encodes a value itself, to pass it as
//! [`Value::Raw`](crate::Value::Raw), can use the same sets with
//! [`percent_encoding::utf8_percent_encode`]. Bytes outside ASCII (UTF-8) are always encoded.
//!
//! A value in the authority is encoded with [`AUTHORITY`], one anywhere else with
//! [`COMPONENT`]:
//!
//! ```
//! use postback::Template;
//!
//! let template = Template::parse("https://{domain}/pb/{t1}?tag={externalid}")?;
//! let click = [("domain", "trk.example:8443"), ("t1", "a/b"), ("externalid", "ck=1&São")];
//! assert_eq!(
//!     template.expand(&click),
//!     "https://trk.example:8443/pb/a%2Fb?tag=ck%3D1%26S%C3%A3o",
//! );
//! # Ok::<(), postback::ParseError>(())
//! ```

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

/// Everything but the unreserved characters of RFC 3986 (section 2.3): `A-Z a-z 0-9 - . _ ~`
/// pass, every other byte becomes `%XX`.
///
/// A host that encodes a referer itself, to send it as [`Value::Raw`](crate::Value::Raw),
/// writes with this set what [`Value::Str`](crate::Value::Str) writes:
///
/// ```
/// use percent_encoding::utf8_percent_encode;
/// use postback::{Template, Value, encode::COMPONENT};
///
/// let template = Template::parse("https://t.example/pb?ref={referer}")?;
/// let referer = "https://news.example/a?b=1&c=2";
/// let encoded = utf8_percent_encode(referer, COMPONENT).to_string();
/// assert_eq!(encoded, "https%3A%2F%2Fnews.example%2Fa%3Fb%3D1%26c%3D2");
/// assert_eq!(
///     template.expand(&[("referer", Value::Raw(&encoded))]),
///     template.expand(&[("referer", Value::Str(referer))]),
/// );
/// # Ok::<(), postback::ParseError>(())
/// ```
///
/// Values in the path, the query and the fragment are encoded with this set, so they can add
/// no `/`, `?`, `&`, `=`, `#`, `+`, `%`, space or line break: a value is always exactly one
/// query value, one path segment, one fragment.
pub const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// [`COMPONENT`] and `:`: a host name and a port pass (RFC 3986, section 3.2), nothing else.
///
/// ```
/// use percent_encoding::utf8_percent_encode;
/// use postback::{Template, encode::AUTHORITY};
///
/// let template = Template::parse("https://{domain}/pb?c={clickid}")?;
/// let click = [("domain", "trk.example:8443"), ("clickid", "ck-1")];
/// assert_eq!(template.expand(&click), "https://trk.example:8443/pb?c=ck-1");
/// // A value cannot add a userinfo, a path or a query: they stay part of the host.
/// let hostile = [("domain", "user@evil.example/x?"), ("clickid", "ck-1")];
/// assert_eq!(template.expand(&hostile), "https://user%40evil.example%2Fx%3F/pb?c=ck-1");
/// let encoded = utf8_percent_encode("user@evil.example/x?", AUTHORITY).to_string();
/// assert_eq!(encoded, "user%40evil.example%2Fx%3F");
/// # Ok::<(), postback::ParseError>(())
/// ```
///
/// Values in the authority (`https://{domain}/`) are encoded with this set: `/`, `?`, `#`, `@`,
/// `[`, `]` and `%` are encoded, so a value can name a host and a port but can never add a
/// path, a query, a fragment or a userinfo.
pub const AUTHORITY: &AsciiSet = &COMPONENT.remove(b':');

/// The bytes beyond the unreserved ones that a token's own text keeps, when it is written in
/// place of a missing value ([`Missing::Keep`](crate::Missing::Keep), or where writing nothing
/// would change the URL): those that no URL parser reads as structure, so that `{externalid}`,
/// `[[zone]]`, `<t1>` and `{tName:zoneid|upper}` stay readable. `#`, `%`, `&`, `=`, `+`, `/`,
/// `?`, `\`, spaces and everything outside ASCII are encoded, so `##t1##` cannot start a
/// fragment nor `%t1%` an escape.
const KEPT_EXTRA: &[u8] = b"!$'()*,;:@{}[]|^<>";
/// In the authority, `:`, `@`, `[` and `]` are encoded too: kept text names no port, no
/// userinfo and no IPv6 host.
const KEPT_AUTHORITY_EXTRA: &[u8] = b"!$'()*,;{}|^<>";

/// One of the two sets, as tables for the encoder below. [`COMPONENT`] and [`AUTHORITY`]
/// document them; a test checks that they agree byte for byte.
pub(crate) struct Set {
    /// Per byte: whether it passes unencoded.
    pass: [bool; 256],
    /// Per byte: what to write (the byte, or `%XX`) and, last, how many of those bytes count.
    out: [[u8; 4]; 256],
}

/// The set for values in the path, the query and the fragment.
pub(crate) static COMPONENT_SET: Set = Set::new(b"");
/// The set for values in the authority.
pub(crate) static AUTHORITY_SET: Set = Set::new(b":");
/// The set for a token's own text, kept in the path, the query or the fragment.
pub(crate) static KEPT_SET: Set = Set::new(KEPT_EXTRA);
/// The set for a token's own text, kept in the authority.
pub(crate) static KEPT_AUTHORITY_SET: Set = Set::new(KEPT_AUTHORITY_EXTRA);

impl Set {
    /// The set that passes the unreserved bytes and `extra`, and encodes every other byte.
    const fn new(extra: &[u8]) -> Set {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut set = Set {
            pass: [false; 256],
            out: [[0; 4]; 256],
        };
        let mut byte = 0;
        while byte < 256 {
            let b = byte as u8;
            let mut pass = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
            let mut i = 0;
            while i < extra.len() {
                pass |= extra[i] == b;
                i += 1;
            }
            set.pass[byte] = pass;
            set.out[byte] = match pass {
                true => [b, 0, 0, 1],
                false => [b'%', HEX[byte >> 4], HEX[byte & 15], 3],
            };
            byte += 1;
        }
        set
    }

    /// How many leading bytes of `text` pass unencoded: all of them, or a multiple of eight
    /// short of the first that does not. Runs of eight are checked without a branch per byte,
    /// the last run overlapping the one before it; shorter text in two overlapping halves.
    #[inline(always)]
    pub(crate) fn clean_prefix(&self, text: &[u8]) -> usize {
        let len = text.len();
        let all = match len {
            0..4 => self.passes(text),
            4..8 => self.passes(&text[..4]) & self.passes(&text[len - 4..]),
            _ => {
                let mut at = 0;
                while at + 8 < len {
                    if !self.passes(&text[at..at + 8]) {
                        return at;
                    }
                    at += 8;
                }
                if !self.passes(&text[len - 8..]) {
                    return at;
                }
                true
            }
        };
        if all { len } else { 0 }
    }

    /// Whether every byte of a short `run` passes, without a branch per byte.
    #[inline(always)]
    fn passes(&self, run: &[u8]) -> bool {
        run.iter()
            .fold(true, |clean, &b| clean & self.pass[usize::from(b)])
    }

    /// Writes `text` percent-encoded into `buf` at `at`, and returns where it ended: the clean
    /// prefix is copied as it is, the rest is [`encode_rest`](Set::encode_rest). See
    /// [`Stack::encode`] for the room it needs.
    #[inline(always)]
    fn encode(&self, buf: &mut Bytes, at: usize, text: &[u8]) -> usize {
        let clean = self.clean_prefix(text);
        let (head, rest) = text.split_at(clean);
        copy(buf, at, head);
        match rest.is_empty() {
            true => at + clean,
            false => self.encode_rest(buf, at + clean, rest),
        }
    }

    /// Writes `text`, which needs encoding somewhere, into `buf` at `at`, and returns where it
    /// ended. A clean run of eight bytes is one store; any other byte is one table lookup and
    /// one four-byte store, of which one or three bytes count and the next store writes over
    /// the rest.
    #[inline(never)]
    fn encode_rest(&self, buf: &mut Bytes, mut at: usize, text: &[u8]) -> usize {
        let mut runs = text.chunks_exact(8);
        for run in &mut runs {
            at = self.encode_run(buf, at, run);
        }
        self.encode_bytes(buf, at, runs.remainder())
    }

    /// Writes `text` percent-encoded into `buf` at `at` in one pass, and returns where it
    /// ended: the writer of a bound template's straight pass, which has not looked at `text`
    /// before. Text of fewer than eight bytes is checked in two overlapping halves and, when
    /// clean, copied with two stores; longer text goes in runs of eight, and its last bytes,
    /// when the eight bytes that end it are clean, as those eight bytes. Needs
    /// `3 * text.len()` bytes and [`WINDOW`] past them.
    #[inline(always)]
    pub(crate) fn encode_value(&self, buf: &mut [u8], at: usize, text: &[u8]) -> usize {
        let len = text.len();
        if len < 8 {
            return self.encode_short(buf, at, text);
        }
        let mut runs = text.chunks_exact(8);
        let mut end = at;
        for run in &mut runs {
            end = self.encode_run(buf, end, run);
        }
        let rest = runs.remainder();
        let last = &text[len - 8..];
        match rest.is_empty() {
            true => end,
            // When the last eight bytes are clean, they are the last eight of the encoding
            // too, whatever came before them: they are written over its last bytes.
            false if self.passes(last) => {
                let end = end + rest.len();
                buf[end - 8..end].copy_from_slice(last);
                end
            }
            false => self.encode_bytes(buf, end, rest),
        }
    }

    /// [`encode_value`](Set::encode_value) for text of fewer than eight bytes, in one window
    /// of `buf` whose bounds are checked once.
    #[inline(always)]
    pub(crate) fn encode_short(&self, buf: &mut [u8], at: usize, text: &[u8]) -> usize {
        let len = text.len();
        let window = buf.get_mut(at..at + WINDOW);
        let Some(window) = window.and_then(|w| <&mut [u8; WINDOW]>::try_from(w).ok()) else {
            panic!("an encoded value at {at} leaves the buffer");
        };
        match len {
            0 => return at,
            1..4 => {
                let (first, middle, last) = (text[0], text[len / 2], text[len - 1]);
                let pass = |b: u8| self.pass[usize::from(b)];
                if pass(first) & pass(middle) & pass(last) {
                    window[0] = first;
                    window[len / 2] = middle;
                    window[len - 1] = last;
                    return at + len;
                }
            }
            4..8 => {
                let (head, tail) = (&text[..4], &text[len - 4..]);
                if self.passes(head) & self.passes(tail) {
                    window[..4].copy_from_slice(head);
                    window[len - 4..len].copy_from_slice(tail);
                    return at + len;
                }
            }
            _ => {}
        }
        self.encode_bytes(buf, at, text)
    }

    /// Writes a run of eight bytes: one store when it is clean.
    #[inline(always)]
    fn encode_run(&self, buf: &mut [u8], at: usize, run: &[u8]) -> usize {
        match self.passes(run) {
            true => {
                buf[at..at + 8].copy_from_slice(run);
                at + 8
            }
            false => self.encode_bytes(buf, at, run),
        }
    }

    /// Writes `bytes`, at most eight, percent-encoded into `buf` at `at`, and returns where
    /// they ended. They are written into one window of the array, whose bounds are checked
    /// once: each byte takes at most three bytes of it, and its four-byte store ends at most
    /// 25 bytes in.
    #[inline(always)]
    fn encode_bytes(&self, buf: &mut [u8], at: usize, bytes: &[u8]) -> usize {
        let window = buf.get_mut(at..at + WINDOW);
        let Some(window) = window.and_then(|w| <&mut [u8; WINDOW]>::try_from(w).ok()) else {
            panic!("an encoded run at {at} leaves the stack");
        };
        let mut o = 0;
        for &byte in bytes.iter().take(8) {
            let out = self.out[usize::from(byte)];
            window[o..o + 4].copy_from_slice(&out);
            o += usize::from(out[3] & 3);
        }
        at + o
    }
}

/// The window [`Set::encode_bytes`] writes eight bytes into: three out for each, and the last
/// four-byte store.
const WINDOW: usize = 3 * 8 + 4;

/// The most bytes a [`Stack`] holds before it must go to its output.
pub(crate) const CAP: usize = 256;

/// How many bytes past [`CAP`] a [`Stack`]'s array has: room for the widest store, the
/// window of [`Set::encode_bytes`] at a byte that fits.
const SLACK: usize = 32;

/// A [`Stack`]'s array.
type Bytes = [u8; CAP + SLACK];

/// The bytes an expansion is written to by index, on the stack, before they go to its output.
///
/// # Invariant
///
/// `len <= CAP` between writes, and `bytes[..len]` is what was written, in order. Every write
/// states the room it needs (at most [`CAP`] bytes) and its caller checks it with
/// [`fits`](Stack::fits) first, taking the bytes away ([`take`](Stack::take)) when it does not.
/// The writes use fixed-size stores that may reach past their own bytes, into what the next
/// write overwrites or into the [`SLACK`] past `CAP`; none reaches past the array.
///
/// Indices are plain, and checked: a write that broke its requirement lands in the slack, in
/// order after the rest, or panics on a slice index. It never wraps to the start of the array
/// and overwrites what was written, as the masked index this type replaces could (and did,
/// until 38a6110 fixed it).
pub(crate) struct Stack {
    bytes: Bytes,
    len: usize,
}

impl Stack {
    /// An empty stack.
    pub(crate) const fn new() -> Stack {
        Stack {
            bytes: [0; CAP + SLACK],
            len: 0,
        }
    }

    /// Whether `need` more bytes fit.
    #[inline(always)]
    pub(crate) fn fits(&self, need: usize) -> bool {
        self.len + need <= CAP
    }

    /// What was written, which the stack then forgets.
    #[inline(always)]
    pub(crate) fn take(&mut self) -> &[u8] {
        let len = core::mem::take(&mut self.len);
        &self.bytes[..len]
    }

    /// Writes `text` as it is. Needs `text.len()` bytes.
    #[inline(always)]
    pub(crate) fn copy(&mut self, text: &[u8]) {
        copy(&mut self.bytes, self.len, text);
        self.len += text.len();
    }

    /// Writes the first `len` bytes of `wide` (at most 16) with one 16-byte store. Needs 16
    /// bytes, whatever `len`.
    #[inline(always)]
    pub(crate) fn copy_wide(&mut self, wide: &[u8; 16], len: usize) {
        self.bytes[self.len..self.len + 16].copy_from_slice(wide);
        self.len += len.min(16);
    }

    /// Writes `text` percent-encoded with `set`. Needs `3 * text.len()` bytes, its worst case.
    #[inline(always)]
    pub(crate) fn encode(&mut self, set: &Set, text: &[u8]) {
        self.len = set.encode(&mut self.bytes, self.len, text);
    }
}

/// Copies `text` into `buf` at `at` with fixed-size loads and stores, overlapping where the
/// length is not a multiple of theirs: no call to `memcpy` for the short pieces a postback is
/// made of.
#[inline(always)]
pub(crate) fn copy(buf: &mut [u8], at: usize, text: &[u8]) {
    let len = text.len();
    match len {
        0 => {}
        1..4 => {
            buf[at] = text[0];
            buf[at + len / 2] = text[len / 2];
            buf[at + len - 1] = text[len - 1];
        }
        4..8 => {
            buf[at..at + 4].copy_from_slice(&text[..4]);
            let end = at + len - 4;
            buf[end..end + 4].copy_from_slice(&text[len - 4..]);
        }
        8..=16 => {
            buf[at..at + 8].copy_from_slice(&text[..8]);
            let end = at + len - 8;
            buf[end..end + 8].copy_from_slice(&text[len - 8..]);
        }
        _ => {
            let mut from = 0;
            while from + 16 < len {
                let i = at + from;
                buf[i..i + 16].copy_from_slice(&text[from..from + 16]);
                from += 16;
            }
            let end = at + len - 16;
            buf[end..end + 16].copy_from_slice(&text[len - 16..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec::Vec;

    fn encode(set: &Set, text: &str) -> String {
        let mut stack = Stack::new();
        let mut out = String::new();
        // Pieces at offsets of every alignment: the eight-byte stores must not care.
        for (i, piece) in text.as_bytes().chunks(CAP / 4).enumerate() {
            let at = i % 8;
            stack.copy(&b"--------"[..at]);
            stack.encode(set, piece);
            let written = core::str::from_utf8(stack.take()).unwrap();
            out.push_str(&written[at..]);
        }
        out
    }

    fn clean_prefix(set: &Set, text: &str) -> usize {
        set.clean_prefix(text.as_bytes())
    }

    /// A set as `percent-encoding` writes it: [`COMPONENT`] without `extra`.
    const fn ascii_without(extra: &[u8]) -> AsciiSet {
        // Removing a byte it never had gives an owned copy to change.
        let mut set = COMPONENT.remove(b'-');
        let mut i = 0;
        while i < extra.len() {
            set = set.remove(extra[i]);
            i += 1;
        }
        set
    }

    const KEPT: &AsciiSet = &ascii_without(KEPT_EXTRA);
    const KEPT_AUTHORITY: &AsciiSet = &ascii_without(KEPT_AUTHORITY_EXTRA);

    #[test]
    fn the_tables_agree_with_the_ascii_sets_on_every_byte() {
        let sets = [
            (&COMPONENT_SET, COMPONENT),
            (&AUTHORITY_SET, AUTHORITY),
            (&KEPT_SET, KEPT),
            (&KEPT_AUTHORITY_SET, KEPT_AUTHORITY),
        ];
        for (set, ascii) in sets {
            for byte in 0..=255u8 {
                let expected: String = percent_encoding::percent_encode(&[byte], ascii).collect();
                let out = &set.out[usize::from(byte)];
                let written = core::str::from_utf8(&out[..usize::from(out[3])]).unwrap();
                assert_eq!(written, expected, "{byte:#04x}");
                assert_eq!(
                    set.pass[usize::from(byte)],
                    expected.len() == 1,
                    "{byte:#04x}"
                );
            }
        }
    }

    #[test]
    fn the_encoder_agrees_with_percent_encoding() {
        let long = "abcdefgh".repeat(5) + "São Paulo / a&b=c #1 ~ok~ 🎉" + &"x".repeat(17);
        for text in [
            "",
            "a",
            "abcdefgh",
            "abcdefg&",
            "&bcdefgh",
            "é",
            "a b",
            long.as_str(),
        ] {
            for (set, ascii) in [(&COMPONENT_SET, COMPONENT), (&AUTHORITY_SET, AUTHORITY)] {
                let expected: String = percent_encoding::utf8_percent_encode(text, ascii).collect();
                assert_eq!(encode(set, text), expected, "{text:?}");
                let clean = clean_prefix(set, text);
                assert_eq!(clean == text.len(), expected == text, "{text:?}");
                assert!(expected.starts_with(&text[..clean]), "{text:?}");
            }
        }
    }

    #[test]
    fn the_one_pass_writer_agrees_with_percent_encoding_at_every_length_and_dirty_byte() {
        // Every length around the runs of eight, clean or with one byte to encode at each
        // position, or at two: the short halves, the runs and the overlapping last run.
        for len in 0..=26 {
            let clean: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let mut texts = Vec::from([clean.clone()]);
            for dirty in 0..len {
                let mut text = clean.clone();
                text[dirty] = b' ';
                texts.push(text.clone());
                text[len - 1 - dirty] = b'&';
                texts.push(text);
            }
            for text in texts {
                let text = core::str::from_utf8(&text).unwrap();
                for (set, ascii) in [(&COMPONENT_SET, COMPONENT), (&AUTHORITY_SET, AUTHORITY)] {
                    let expected: String =
                        percent_encoding::utf8_percent_encode(text, ascii).collect();
                    for at in [0, 3, 8] {
                        let mut buf = [0xAA; 3 * 26 + 8 + WINDOW];
                        let end = set.encode_value(&mut buf, at, text.as_bytes());
                        assert_eq!(&buf[at..end], expected.as_bytes(), "{text:?} at {at}");
                        assert!(buf[..at].iter().all(|&b| b == 0xAA), "{text:?} at {at}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_bound_holds_for_the_worst_case() {
        for len in [0, 1, 63, 64, 65, 200] {
            let worst = "\u{7f}".repeat(len);
            assert_eq!(encode(&COMPONENT_SET, &worst), "%7F".repeat(len));
        }
    }

    #[test]
    fn clean_prefixes_come_in_runs_of_eight() {
        let set = &COMPONENT_SET;
        assert_eq!(clean_prefix(set, ""), 0);
        assert_eq!(clean_prefix(set, "abc"), 3);
        assert_eq!(clean_prefix(set, "ab c"), 0);
        assert_eq!(clean_prefix(set, "abcdef"), 6);
        assert_eq!(clean_prefix(set, "abc ef"), 0);
        assert_eq!(clean_prefix(set, "abcdefgh12345678xyz"), 19);
        assert_eq!(clean_prefix(set, "abcdefgh1234 678xyz"), 8);
        assert_eq!(clean_prefix(set, "abcdefgh12345678x z"), 16);
        assert_eq!(clean_prefix(set, "abcdefgh12345678"), 16);
        assert_eq!(clean_prefix(set, " bcdefgh"), 0);
    }

    #[test]
    fn a_full_stack_takes_what_was_written() {
        let mut stack = Stack::new();
        let text: Vec<u8> = (0..CAP).map(|i| b'a' + (i % 26) as u8).collect();
        stack.copy(&text[..CAP - 3]);
        assert!(stack.fits(3) && !stack.fits(4));
        stack.encode(&COMPONENT_SET, b" ");
        assert!(!stack.fits(1));
        let taken = stack.take();
        assert_eq!(&taken[..CAP - 3], &text[..CAP - 3]);
        assert_eq!(&taken[CAP - 3..], b"%20");
        assert!(stack.fits(CAP));
    }

    #[test]
    #[should_panic = "leaves the stack"]
    fn an_encoding_past_the_room_it_needs_panics() {
        let mut stack = Stack::new();
        stack.copy(&[b'a'; CAP]);
        // Asked for none of the room it needs: the window is out of the array.
        stack.encode(&COMPONENT_SET, b"  ");
        stack.encode(&COMPONENT_SET, b"  ");
    }

    #[test]
    #[should_panic]
    fn a_copy_past_the_room_it_needs_panics() {
        let mut stack = Stack::new();
        stack.copy(&[b'a'; CAP]);
        stack.copy(&[b'b'; 40]);
    }

    #[test]
    fn copies_of_every_length_at_every_offset() {
        let text: Vec<u8> = (0..CAP).map(|i| i as u8).collect();
        for len in 0..=CAP {
            for at in [0, 1, 7, 8, 15].into_iter().filter(|at| at + len <= CAP) {
                let mut buf = [0xAA; CAP + SLACK];
                copy(&mut buf, at, &text[..len]);
                assert_eq!(&buf[at..at + len], &text[..len], "{len} at {at}");
                assert!(buf[..at].iter().all(|&b| b == 0xAA), "{len} at {at}");
                assert!(buf[at + len..].iter().all(|&b| b == 0xAA), "{len} at {at}");
            }
        }
    }
}
