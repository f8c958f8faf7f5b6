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

    /// The most bytes [`encode_into`](Set::encode_into) writes for `len` bytes of text: three
    /// per byte, and one of slack for the four-byte stores.
    pub(crate) const fn bound(len: usize) -> usize {
        len.saturating_mul(3).saturating_add(1)
    }

    /// Writes `text` percent-encoded into the start of `dst`, which holds at least
    /// [`Set::bound`]`(text.len())` bytes, and returns how many bytes it wrote.
    ///
    /// Runs of eight bytes that all pass are copied as one; every other byte is one table
    /// lookup and one four-byte store, with no branch on the byte's value.
    pub(crate) fn encode_into(&self, dst: &mut [u8], text: &[u8]) -> usize {
        let mut at = 0;
        let write = |dst: &mut [u8], at: &mut usize, byte: u8| {
            let out = &self.out[usize::from(byte)];
            if let Some(slot) = dst.get_mut(*at..*at + 4) {
                slot.copy_from_slice(out);
            }
            *at += usize::from(out[3]);
        };
        let mut runs = text.chunks_exact(8);
        for run in &mut runs {
            let clean = run
                .iter()
                .fold(true, |clean, &b| clean & self.pass[usize::from(b)]);
            match (clean, dst.get_mut(at..at + 8)) {
                (true, Some(slot)) => {
                    slot.copy_from_slice(run);
                    at += 8;
                }
                _ => run.iter().for_each(|&b| write(dst, &mut at, b)),
            }
        }
        runs.remainder()
            .iter()
            .for_each(|&b| write(dst, &mut at, b));
        at
    }

    /// Whether every byte of `text` passes unencoded, eight at a time.
    pub(crate) fn passes(&self, text: &[u8]) -> bool {
        let pass = |run: &[u8]| {
            run.iter()
                .fold(true, |clean, &b| clean & self.pass[usize::from(b)])
        };
        let mut runs = text.chunks_exact(8);
        runs.all(pass) && pass(runs.remainder())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec;

    fn encode(set: &Set, text: &str) -> String {
        let mut dst = vec![0; Set::bound(text.len())];
        let len = set.encode_into(&mut dst, text.as_bytes());
        dst.truncate(len);
        String::from_utf8(dst).unwrap()
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
                assert_eq!(set.passes(text.as_bytes()), expected == text, "{text:?}");
            }
        }
    }

    #[test]
    fn the_bound_holds_for_the_worst_case() {
        let worst = "\u{7f}".repeat(33);
        assert_eq!(encode(&COMPONENT_SET, &worst), "%7F".repeat(33));
    }
}
