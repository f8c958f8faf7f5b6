//! The percent-encode sets, and the encoder that applies them.
//!
//! Every [`Value::Str`](crate::Value::Str) is percent-encoded for the place of its token in the
//! URL, so that no click data can change the URL's structure. The sets are
//! [`percent_encoding::AsciiSet`]s: a host that encodes a value itself, to pass it as
//! [`Value::Raw`](crate::Value::Raw), can use the same sets with
//! [`percent_encoding::utf8_percent_encode`]. Bytes outside ASCII (UTF-8) are always encoded.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

/// Everything but the unreserved characters of RFC 3986 (section 2.3): `A-Z a-z 0-9 - . _ ~`
/// pass, every other byte becomes `%XX`.
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
/// Values in the authority (`https://{domain}/`) are encoded with this set: `/`, `?`, `#`, `@`,
/// `[`, `]` and `%` are encoded, so a value can name a host and a port but can never add a
/// path, a query, a fragment or a userinfo.
pub const AUTHORITY: &AsciiSet = &COMPONENT.remove(b':');

/// One of the two sets, as tables for the encoder below. [`COMPONENT`] and [`AUTHORITY`]
/// document them; a test checks that they agree byte for byte.
pub(crate) struct Set {
    /// Per byte: whether it passes unencoded.
    pass: [bool; 256],
    /// Per byte: what to write (the byte, or `%XX`) and, last, how many of those bytes count.
    out: [[u8; 4]; 256],
}

/// The set for values in the path, the query and the fragment.
pub(crate) static COMPONENT_SET: Set = Set::new(false);
/// The set for values in the authority.
pub(crate) static AUTHORITY_SET: Set = Set::new(true);

impl Set {
    const fn new(colon: bool) -> Set {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut set = Set {
            pass: [false; 256],
            out: [[0; 4]; 256],
        };
        let mut byte = 0;
        while byte < 256 {
            let b = byte as u8;
            let pass = b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'.' | b'_' | b'~')
                || (colon && b == b':');
            set.pass[byte] = pass;
            set.out[byte] = match pass {
                true => [b, 0, 0, 1],
                false => [b'%', HEX[byte >> 4], HEX[byte & 15], 3],
            };
            byte += 1;
        }
        set
    }

    /// How many leading bytes of `text` pass unencoded, counted in runs of eight (and the last,
    /// shorter run): the prefix a writer can copy as it is.
    #[inline(always)]
    pub(crate) fn clean_prefix(&self, text: &[u8]) -> usize {
        let mut runs = text.chunks_exact(8);
        let mut clean = 0;
        for run in &mut runs {
            if !self.passes(run) {
                return clean;
            }
            clean += 8;
        }
        match self.passes(runs.remainder()) {
            true => text.len(),
            false => clean,
        }
    }

    /// Whether every byte of a short `run` passes, without a branch per byte.
    #[inline(always)]
    fn passes(&self, run: &[u8]) -> bool {
        run.iter()
            .fold(true, |clean, &b| clean & self.pass[usize::from(b)])
    }

    /// Writes `block`, at most [`BLOCK`] bytes of text, percent-encoded into `window`, and
    /// returns how many bytes it wrote (at most three per byte).
    ///
    /// Each byte is one table lookup and one four-byte store, at an index masked to the
    /// window, so the compiler sees every store in bounds: the loop has no branch but its own.
    pub(crate) fn encode_block(&self, window: &mut [u8; WINDOW], block: &[u8]) -> usize {
        let mut at = 0;
        for &byte in block.iter().take(BLOCK) {
            let out = self.out[usize::from(byte)];
            // A block writes at most 192 bytes: the mask changes no index, it proves them.
            let i = at & 0xff;
            window[i..i + 4].copy_from_slice(&out);
            at = i + usize::from(out[3]);
        }
        at
    }
}

/// The most bytes [`Set::encode_block`] encodes at once.
pub(crate) const BLOCK: usize = 64;
/// The window [`Set::encode_block`] writes through: room for the 192 bytes a block can write,
/// indexed through a mask of 255, and the last four-byte store.
pub(crate) const WINDOW: usize = 256 + 4;

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn encode(set: &Set, text: &str) -> String {
        let mut window = [0; WINDOW];
        let mut out = String::new();
        for block in text.as_bytes().chunks(BLOCK) {
            let len = set.encode_block(&mut window, block);
            out.push_str(core::str::from_utf8(&window[..len]).unwrap());
        }
        out
    }

    fn clean_prefix(set: &Set, text: &str) -> usize {
        set.clean_prefix(text.as_bytes())
    }

    #[test]
    fn the_tables_agree_with_the_ascii_sets_on_every_byte() {
        for (set, ascii) in [(&COMPONENT_SET, COMPONENT), (&AUTHORITY_SET, AUTHORITY)] {
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
        assert_eq!(clean_prefix(set, "abcdefgh12345678xyz"), 19);
        assert_eq!(clean_prefix(set, "abcdefgh1234 678xyz"), 8);
        assert_eq!(clean_prefix(set, "abcdefgh12345678x z"), 16);
        assert_eq!(clean_prefix(set, " bcdefgh"), 0);
    }
}
