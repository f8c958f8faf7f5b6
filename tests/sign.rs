//! Signed postbacks: HMACs that agree with the RFC test vectors, appended in the right place,
//! and a secret that never shows.
#![cfg(feature = "hash")]

use postback::sign::{Algorithm, Message, SignError, Signer};

fn signer(algorithm: Algorithm) -> Signer {
    Signer::new(algorithm, b"key".to_vec(), "sign").unwrap()
}

#[test]
fn signatures_agree_with_the_rfc_vectors() {
    // RFC 4231 test case 1, RFC 2202 test case 1: key 0x0b * 20, data "Hi There".
    for (algorithm, expected) in [
        (
            Algorithm::HmacSha256,
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        ),
        (
            Algorithm::HmacSha1,
            "b617318655057264e28bc0b6fb378c8ef146be00",
        ),
    ] {
        let signer = Signer::new(algorithm, vec![0x0b; 20], "sign").unwrap();
        assert_eq!(signer.signature("Hi There").unwrap().as_str(), expected);
        assert_eq!(signer.signature("Hi There").unwrap().to_string(), expected);
    }
}

#[test]
fn the_signature_goes_at_the_end_of_the_query() {
    let signer = signer(Algorithm::HmacSha256);
    let sig = |url: &str| signer.signature(url).unwrap().to_string();
    for (url, expected) in [
        (
            "https://n.example/pb?a=1",
            format!(
                "https://n.example/pb?a=1&sign={}",
                sig("https://n.example/pb?a=1")
            ),
        ),
        (
            "https://n.example/pb",
            format!("https://n.example/pb?sign={}", sig("https://n.example/pb")),
        ),
        // Before the fragment, which is not signed.
        (
            "https://n.example/pb?a=1#x",
            format!(
                "https://n.example/pb?a=1&sign={}#x",
                sig("https://n.example/pb?a=1")
            ),
        ),
    ] {
        let mut signed = url.to_owned();
        signer.sign(&mut signed).unwrap();
        assert_eq!(signed, expected);
    }
    assert_eq!(
        sig("https://n.example/pb?a=1#x"),
        sig("https://n.example/pb?a=1")
    );
    assert_ne!(
        sig("https://n.example/pb?a=1"),
        sig("https://n.example/pb?a=2")
    );
}

#[test]
fn chosen_parameters_are_signed_in_their_order_as_written() {
    let signer = signer(Algorithm::HmacSha1).signing(Message::Params {
        names: vec!["cid".into(), "sum".into()],
        separator: "|".into(),
    });
    let whole = signer_of_url();
    let a = signer
        .signature("https://n.example/pb?sum=3.30&cid=ck%201&x=9")
        .unwrap();
    let b = signer
        .signature("https://n.example/other?x=0&cid=ck%201&sum=3.30")
        .unwrap();
    assert_eq!(a, b, "only the chosen values count");
    assert_eq!(
        a,
        whole.signature("ck%201|3.30").unwrap(),
        "joined by the separator"
    );
    let err = signer.signature("https://n.example/pb?cid=1").unwrap_err();
    assert_eq!(err, SignError::MissingParam("sum".into()));
    assert_eq!(err.to_string(), r#"the URL has no parameter "sum" to sign"#);
}

/// The same key and algorithm, signing whatever text it is given.
fn signer_of_url() -> Signer {
    signer(Algorithm::HmacSha1)
}

#[test]
fn what_cannot_be_signed_is_an_error_and_leaves_the_url() {
    assert_eq!(
        Signer::new(Algorithm::HmacSha256, Vec::new(), "sign").unwrap_err(),
        SignError::EmptySecret
    );
    for param in ["", "si gn", "s&g", "s=g", "é"] {
        let err = Signer::new(Algorithm::HmacSha256, b"k".to_vec(), param).unwrap_err();
        assert_eq!(err, SignError::Param(param.into()));
    }
    let signer = signer(Algorithm::HmacSha256);
    let mut url = String::from("https://n.example/pb?sign=old&a=1");
    let err = signer.sign(&mut url).unwrap_err();
    assert_eq!(err, SignError::ParamExists("sign".into()));
    assert_eq!(url, "https://n.example/pb?sign=old&a=1");
}

#[test]
fn the_secret_never_shows() {
    let signer = Signer::new(Algorithm::HmacSha256, b"hunter2-secret".to_vec(), "sign").unwrap();
    let debug = format!("{signer:?} {signer:#?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(
        debug.contains("<redacted>") && debug.contains("HmacSha256"),
        "{debug}"
    );
    assert_eq!(signer.param(), "sign");
}

#[test]
fn a_fired_postback_is_signed_after_expansion() {
    use postback::select::{Conversion, Settings, select};

    let source = Settings::with_postback(
        "https://n.example/pb?cid={externalid}&sum={payout}"
            .parse()
            .unwrap(),
    );
    let campaign = Settings::default();
    let conversion = Conversion::new(1, "3.30".parse().unwrap());
    let fire = select(&source, &campaign, &conversion)
        .fired()
        .next()
        .unwrap();
    let mut url = fire.try_expand(&[("externalid", "ck 1")]).unwrap();
    let signer = signer(Algorithm::HmacSha256);
    let expected = signer
        .signature("https://n.example/pb?cid=ck%201&sum=3.30")
        .unwrap();
    signer.sign(&mut url).unwrap();
    assert_eq!(
        url,
        format!("https://n.example/pb?cid=ck%201&sum=3.30&sign={expected}")
    );
}

/// A URL that ends its query with `?` or `&` gets the signature there, without an empty piece
/// before it; a fragment stays last.
#[test]
fn no_empty_query_piece_before_the_signature() {
    let signer = signer(Algorithm::HmacSha256);
    for (url, joined) in [
        ("https://n.example/pb?", "https://n.example/pb?sign="),
        (
            "https://n.example/pb?a=1&",
            "https://n.example/pb?a=1&sign=",
        ),
        ("https://n.example/pb?#f", "https://n.example/pb?sign="),
        ("https://n.example/pb", "https://n.example/pb?sign="),
        (
            "https://n.example/pb?a=1#f",
            "https://n.example/pb?a=1&sign=",
        ),
    ] {
        let mut signed = url.to_owned();
        signer.sign(&mut signed).unwrap();
        assert!(signed.starts_with(joined), "{url}: {signed}");
        assert_eq!(
            signed.ends_with("#f"),
            url.ends_with("#f"),
            "{url}: {signed}"
        );
        assert!(
            !signed.contains("&&") && !signed.contains("?&"),
            "{url}: {signed}"
        );
    }
}
