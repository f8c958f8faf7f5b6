//! 6. The encoder agrees with `percent-encoding`, byte by byte.

use crate::*;

/// `value` expanded in the query, in the fragment and in the authority, against the naive
/// byte-by-byte encoding for each place.
fn check_encoding(value: &str) -> Result<(), TestCaseError> {
    let source = [("t1", value), ("domain", value)];
    let query = Template::parse("https://t.example/?v={t1}")
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(
        query.expand(&source),
        format!("https://t.example/?v={}", naive_encode(value, Place::Query)),
        "{:?} in the query",
        value
    );
    let fragment = Template::parse("https://t.example/p#{t1}")
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(
        fragment.expand(&source),
        format!(
            "https://t.example/p#{}",
            naive_encode(value, Place::Fragment)
        ),
        "{:?} in the fragment",
        value
    );
    let authority =
        Template::parse("https://{domain}/").map_err(|e| TestCaseError::fail(e.to_string()))?;
    // An empty value keeps the token's text in the authority.
    let host = match value {
        "" => "{domain}".to_owned(),
        _ => naive_encode(value, Place::Authority),
    };
    prop_assert_eq!(
        authority.expand(&source),
        format!("https://{host}/"),
        "{:?} in the authority",
        value
    );
    Ok(())
}

/// Every ASCII character alone, and a few beyond, encode as the naive encoder says.
#[test]
fn every_ascii_character_encodes_as_the_naive_encoder_says() {
    for c in (0..=0x7f_u8).map(char::from).chain(['é', '€', '𝄞']) {
        if let Err(err) = check_encoding(&c.to_string()) {
            panic!("{c:?}: {err}");
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// Any text encodes as the naive byte-by-byte encoder says: `A-Z a-z 0-9 - . _ ~` pass
    /// in the query and the fragment (`encode::COMPONENT`), and `:` too in the authority
    /// (`encode::AUTHORITY`); every other byte of the UTF-8 is `%XX`.
    #[test]
    fn the_encoder_agrees_with_the_naive_encoder(
        value in prop_oneof![
            (0..=0x7f_u8).prop_map(|b| char::from(b).to_string()),
            vec(prop_oneof![(0..=0x7f_u8).prop_map(char::from), any::<char>()], 0..32)
                .prop_map(String::from_iter),
            hostile_text(),
        ],
    ) {
        check_encoding(&value)?;
        // Whatever passes unencoded is in the documented sets.
        let expanded = Template::parse("https://t.example/?v={t1}")
            .map_err(|e| TestCaseError::fail(e.to_string()))?
            .expand(&[("t1", value.as_str())]);
        let mut unexpected = String::new();
        for c in expanded["https://t.example/?v=".len()..].chars() {
            if !(c.is_ascii_alphanumeric() || "-._~%".contains(c)) {
                let _ = write!(unexpected, "{c:?} ");
            }
        }
        prop_assert!(unexpected.is_empty(), "{value:?} wrote {unexpected}");
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// The crate's own encoder writes exactly what `percent_encoding` writes with the crate's
    /// documented sets, for every byte value and random strings, short and long (the encoder
    /// works in runs of eight and blocks of 64), in every place and through every entry point.
    #[test]
    fn the_fast_encoder_agrees_with_percent_encoding(
        value in prop_oneof![
            any::<u8>().prop_map(|b| char::from(b).to_string()),
            vec(any::<char>(), 0..300).prop_map(String::from_iter),
            vec(prop_oneof![Just('a'), Just(' '), Just('é'), Just('~')], 0..200)
                .prop_map(String::from_iter),
            hostile_text(),
        ]
        // Values that are usable everywhere; filtered here rather than assumed in the body,
        // which would count as global rejects and abort long runs.
        .prop_filter("empty or only dots", |value| !value.bytes().all(|b| b == b'.')),
    ) {
        use percent_encoding::utf8_percent_encode;
        use postback::encode::{AUTHORITY, COMPONENT};
        let values = [("t1", value.as_str()), ("domain", value.as_str())];
        for (text, set) in [("https://t.example/?v={t1}", COMPONENT), ("https://{domain}/", AUTHORITY)] {
            let template = Template::parse(text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let expected = text
                .replace("{t1}", &utf8_percent_encode(&value, set).to_string())
                .replace("{domain}", &utf8_percent_encode(&value, set).to_string());
            prop_assert_eq!(template.expand(&values), expected.clone());
            let mut bytes = Vec::new();
            template.expand_into_vec(&values, &mut bytes);
            prop_assert_eq!(bytes, expected.clone().into_bytes());
            let mut written = String::from(">");
            template.write_to(&values, &mut written).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&written[1..], expected.as_str());
        }
    }
}
