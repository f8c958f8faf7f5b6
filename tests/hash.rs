//! The hash modifiers, `md5`, `sha1` and `sha256`: digests of a value's text as it would be
//! written, with the `hash` feature; an error that names the feature without it.

#[cfg(feature = "hash")]
use postback::Value;
use postback::{ErrorKind, Template};

#[cfg(feature = "hash")]
fn expand(text: &str, values: &[(&str, Value<'_>)]) -> String {
    Template::parse(text).unwrap().expand(values)
}

/// The digests of the standard test vectors (FIPS 180, RFC 1321) and of the empty value.
#[cfg(feature = "hash")]
#[test]
fn digests_are_the_standard_ones() {
    let abc = [("t1", Value::Str("abc"))];
    for (modifier, digest) in [
        ("md5", "900150983cd24fb0d6963f7d28e17f72"),
        ("sha1", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (
            "sha256",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
    ] {
        let text = format!("https://t.example/pb?h={{t1|{modifier}}}");
        assert_eq!(
            expand(&text, &abc),
            format!("https://t.example/pb?h={digest}")
        );
        // A long value goes through the hasher in pieces.
        let long = "a".repeat(1000);
        let once = expand(&text, &[("t1", Value::Str(&long))]);
        assert_eq!(once.len(), "https://t.example/pb?h=".len() + digest.len());
    }
    let long = "a".repeat(1000);
    assert_eq!(
        expand(
            "https://t.example/?h={t1|sha256}",
            &[("t1", Value::Str(&long))]
        ),
        "https://t.example/?h=41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"
    );
}

/// The digest is of the text as the modifiers before it left it, and the ones after it see
/// the digest.
#[cfg(feature = "hash")]
#[test]
fn digests_chain_with_the_other_modifiers() {
    let abc = [("t1", Value::Str("ABC")), ("payout", Value::Int(42))];
    let md5_abc = "900150983cd24fb0d6963f7d28e17f72";
    let cases = [
        ("{t1|lower|md5}", md5_abc.to_owned()),
        ("{t1|lower|md5|upper}", md5_abc.to_uppercase()),
        // The number as it is written, `42`.
        (
            "{payout|md5}",
            "a1d0c6e83f027327d8461063f4ac58a6".to_owned(),
        ),
        // An empty or missing value is left for `default`.
        ("{t2|md5|default:none}", "none".to_owned()),
        ("{t3|md5}", String::new()),
        (
            "{t1|lower|md5|md5}",
            "ec0405c5aef93e771cd80e0db180b88b".to_owned(),
        ),
        (
            "{t1|lower|md5|map:900150983cd24fb0d6963f7d28e17f72=hit}",
            "hit".to_owned(),
        ),
    ];
    for (token, expected) in cases {
        let values = [abc[0], abc[1], ("t3", Value::Str(""))];
        let out = expand(&format!("https://t.example/?h={token}"), &values);
        assert_eq!(out, format!("https://t.example/?h={expected}"), "{token}");
    }
    let checked = Template::parse("https://t.example/?h={t2|sha1}").unwrap();
    let err = checked.try_expand(&abc).unwrap_err();
    assert_eq!(err.problems()[0].token(), "t2|sha1");
}

/// Without the feature, a hash modifier is an error that says which feature it needs.
#[cfg(not(feature = "hash"))]
#[test]
fn without_the_feature_a_hash_modifier_says_so() {
    for modifier in ["md5", "sha1", "sha256"] {
        let text = format!("https://t.example/?h={{t1|{modifier}}}");
        let err = Template::parse(&text).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NeedsFeature);
        assert_eq!(err.span().range(), 25..25 + modifier.len());
        assert_eq!(
            err.to_string(),
            format!(
                "modifier {modifier:?} at bytes 25..{} needs the crate's \"hash\" feature, which is off",
                25 + modifier.len()
            )
        );
    }
}

/// With the feature, the arguments rule holds as for any modifier that takes none.
#[cfg(feature = "hash")]
#[test]
fn hash_modifiers_take_no_argument() {
    let err = Template::parse("https://t.example/?h={t1|md5:x}").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedArgument);
    let err = Template::parse("https://t.example/?h={t1|md4}").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownModifier);
    assert_eq!(err.suggestion(), Some("md5"));
}
