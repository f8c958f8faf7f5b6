//! The percent-encode sets, and the encoder that applies them.
//!
//! Every [`Value::Str`](crate::Value::Str) is percent-encoded for the place of its token in the
//! URL, so that no click data can change the URL's structure. The sets are
//! [`percent_encoding::AsciiSet`]s: a host that encodes a value itself, to pass it as
//! [`Value::Raw`](crate::Value::Raw), can use the same sets with
//! [`percent_encoding::utf8_percent_encode`]. Bytes outside ASCII (UTF-8) are always encoded.

use core::fmt;
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

/// Writes `text` percent-encoded with `set`.
pub(crate) fn encode<W: fmt::Write + ?Sized>(
    out: &mut W,
    text: &str,
    set: &'static AsciiSet,
) -> fmt::Result {
    percent_encoding::utf8_percent_encode(text, set).try_for_each(|chunk| out.write_str(chunk))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    #[test]
    fn sets() {
        for byte in 0..=255u8 {
            let unreserved = byte.is_ascii_alphanumeric() || b"-._~".contains(&byte);
            let mut buf = [0; 4];
            let text = char::from(byte).encode_utf8(&mut buf);
            let mut out = String::new();
            encode(&mut out, text, COMPONENT).unwrap();
            assert_eq!(out == *text, unreserved, "{byte:#04x} in COMPONENT: {out}");
            out.clear();
            encode(&mut out, text, AUTHORITY).unwrap();
            assert_eq!(
                out == *text,
                unreserved || byte == b':',
                "{byte:#04x} in AUTHORITY: {out}"
            );
        }
    }
}
