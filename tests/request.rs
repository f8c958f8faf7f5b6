//! Postbacks as requests: bodies and headers checked when they are made, with spans, and
//! every value escaped for its context when they are expanded.

use postback::request::{Body, ContentType, Header, Method, Outgoing, Part, Request, RequestError};
use postback::{ErrorKind, ProblemKind, Template, Value};

fn url() -> Template<'static> {
    Template::parse("https://api.example/pb").unwrap()
}

/// The body `text` of `content` expanded with `values`.
#[track_caller]
fn body(content: ContentType, text: &str, values: &[(&str, Value<'_>)]) -> String {
    let body = Body::new(content, text).unwrap();
    let url = url();
    let mut out = Outgoing::new();
    Request::post(&url)
        .with_body(&body)
        .prepare(values, &mut out)
        .unwrap();
    assert_eq!(out.content_type(), Some(content.mime()));
    out.body().to_owned()
}

#[test]
fn json_values_are_strings_numbers_or_null() {
    let values = [
        ("externalid", Value::Str("a\"b\\c\n\u{1}é")),
        ("payout", Value::Decimal("3.30".parse().unwrap())),
        ("t1", Value::Int(-7)),
        ("t2", Value::UInt(u64::MAX)),
        ("t3", Value::Float(0.1)),
        ("t4", Value::Raw("%41")),
        ("t5", Value::Float(f64::NAN)),
        ("t6", Value::Str("")),
    ];
    let cases = [
        (r#"{"id": "{externalid}"}"#, r#"{"id": "a\"b\\c\n\u0001é"}"#),
        (r#"{"id": {externalid}}"#, r#"{"id": "a\"b\\c\n\u0001é"}"#),
        (r#"{"sum": {payout}}"#, r#"{"sum": 3.30}"#),
        (r#"{"sum": "{payout}"}"#, r#"{"sum": "3.30"}"#),
        (
            r#"[{t1}, {t2}, {t3}]"#,
            r#"[-7, 18446744073709551615, 0.1]"#,
        ),
        // Raw is the URL's notion: in JSON, text like any other.
        (r#"{"r": {t4}}"#, r#"{"r": "%41"}"#),
        // No usable value: null as a value, nothing in a string; empty text is "".
        (
            r#"{"a": {t5}, "b": {t9}, "c": "x{t9}y", "d": {t6}}"#,
            r#"{"a": null, "b": null, "c": "xy", "d": ""}"#,
        ),
        (
            r#"{"s": {payout|percent:50}, "u": "{externalid|upper}"}"#,
            r#"{"s": 1.65, "u": "A\"B\\C\n\u0001é"}"#,
        ),
        (r#"{"d": {t9|default:none}}"#, r#"{"d": "none"}"#),
        (r#"{payout}"#, r#"3.30"#),
        (
            r#"  {"nested": {"a": [{t1}, {"b": {}}, []]}}  "#,
            r#"  {"nested": {"a": [-7, {"b": {}}, []]}}  "#,
        ),
        (r#"{"brace": "{{t1}"}"#, r#"{"brace": "{t1}"}"#),
    ];
    for (text, want) in cases {
        assert_eq!(body(ContentType::Json, text, &values), want, "{text}");
    }
}

#[test]
fn json_bodies_are_checked_with_spans() {
    let cases: &[(&str, &str)] = &[
        (r#"{"id": {externalid}"#, ""),
        (r#"{"id" {externalid}}"#, "{externalid}"),
        // `{{` is a literal `{`, and a key is in quotes.
        (r#"{{externalid}: 1}"#, "e"),
        (r#"{"k{externalid}": 1}"#, "{externalid}"),
        (r#"{"n": 1{payout}}"#, "{payout}"),
        (r#"{"n": tru{payout}}"#, "{payout}"),
        (r#"{"a": 1,}"#, "}"),
        (r#"{"a": 01}"#, "1"),
        (r#"{"a": 1.}"#, "}"),
        (r#"{"a": "\x"}"#, "x"),
        (r#"{"a": "\u12G4"}"#, "G"),
        ("{\"a\": \"line\nbreak\"}", "\n"),
        (r#"{"a": [1 2]}"#, "2"),
        (r#"{"a": 1} {"b": 2}"#, "{"),
        (r#"{"a": nul}"#, "}"),
        (r#"{"a": é}"#, "é"),
        ("", ""),
    ];
    for &(text, at) in cases {
        let err = Body::json(text).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidBody, "{text}: {err}");
        assert_eq!(&text[err.span().range()], at, "{text}: {err}");
    }
    let deep = format!("{}1{}", "[".repeat(33), "]".repeat(33));
    let err = Body::json(&deep).unwrap_err();
    assert_eq!(err.span().start, 32);
    assert!(err.to_string().contains("nested at most 32 deep"), "{err}");
    // A token's own problems come first, as in a URL.
    let err = Body::json(r#"{"id": "{externalidd}"}"#).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownName);
    assert_eq!(err.suggestion(), Some("externalid"));
    assert_eq!(
        Body::json(r#"{"id": "x"#)
            .unwrap_err()
            .to_string()
            .lines()
            .next()
            .unwrap(),
        "invalid JSON body at bytes 9..9: expected the string's closing \""
    );
}

#[test]
fn form_values_are_form_encoded() {
    let values = [
        ("externalid", Value::Str("a b&c=d+e%")),
        ("payout", Value::Decimal("3.30".parse().unwrap())),
        // Encoded for a URL by the host: in a form, text like any other.
        ("t1", Value::Raw("x%20y&admin=1")),
    ];
    assert_eq!(
        body(
            ContentType::Form,
            "id={externalid}&sum={payout}&raw={t1}&m={t9}&d={t9|default:a&b}",
            &values
        ),
        "id=a+b%26c%3Dd%2Be%25&sum=3.30&raw=x%2520y%26admin%3D1&m=&d=a%26b"
    );
    let err = Body::form("id={externalid}& sum=1").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidChar);
    assert_eq!(err.span().range(), 16..17);
    // `raw` would let a value add a field: a body refuses it.
    for body in [
        Body::form("a={externalid|raw}&b=2"),
        Body::json(r#"{"a": "{externalid|raw}"}"#),
    ] {
        let err = body.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidBody);
        assert_eq!(&err.template()[err.span().range()], "raw");
    }
}

#[test]
fn headers_refuse_line_breaks_and_control_characters() {
    let url = url();
    let headers = [
        Header::new("X-Click", "id={externalid}").unwrap(),
        Header::new("Authorization", "Bearer {t1}").unwrap(),
    ];
    let request = Request::get(&url).with_headers(&headers);
    let mut out = Outgoing::new();
    request
        .prepare(&[("externalid", "a\tb é"), ("t1", "tok")], &mut out)
        .unwrap();
    let sent: Vec<_> = out.headers().collect();
    assert_eq!(
        sent,
        [("X-Click", "id=a\tb é"), ("Authorization", "Bearer tok")]
    );
    for (bad, c) in [
        ("a\r\nX-Admin: 1", '\r'),
        ("a\nb", '\n'),
        ("a\0", '\0'),
        ("\u{7f}", '\u{7f}'),
    ] {
        let err = request
            .prepare(&[("externalid", bad), ("t1", "tok")], &mut out)
            .unwrap_err();
        assert!(
            matches!(err, RequestError::Header { index: 0, c: found, .. } if found == c),
            "{bad:?}: {err:?}"
        );
        // Nothing of the request is left to send.
        assert_eq!(out, Outgoing::new());
    }
    // The modifiers' texts are the value's too.
    let header = [Header::new("X-Status", "{cnv_status|map:lead=a b}").unwrap()];
    Request::get(&url)
        .with_headers(&header)
        .prepare(&[("cnv_status", "lead")], &mut out)
        .unwrap();
    assert_eq!(out.headers().next(), Some(("X-Status", "a b")));
}

#[test]
fn header_names_and_values_are_checked() {
    let cases: &[(&str, &str, ErrorKind, &str)] = &[
        ("", "x", ErrorKind::InvalidHeader, ""),
        ("X Click", "x", ErrorKind::InvalidHeader, " "),
        ("X-Clïck", "x", ErrorKind::InvalidHeader, "ï"),
        ("X:A", "x", ErrorKind::InvalidHeader, ":"),
        (
            "content-type",
            "x",
            ErrorKind::InvalidHeader,
            "content-type",
        ),
        ("Host", "x", ErrorKind::InvalidHeader, "Host"),
        (
            "Transfer-Encoding",
            "x",
            ErrorKind::InvalidHeader,
            "Transfer-Encoding",
        ),
        ("X-A", "a\r\nb", ErrorKind::InvalidChar, "\r"),
        (
            "X-A",
            "{externalidd}",
            ErrorKind::UnknownName,
            "{externalidd}",
        ),
    ];
    for &(name, value, kind, at) in cases {
        let err = Header::new(name, value).unwrap_err();
        assert_eq!(err.kind(), kind, "{name}: {value}: {err}");
        assert_eq!(
            &err.template()[err.span().range()],
            at,
            "{name}: {value}: {err}"
        );
    }
    assert!(Header::new("X-Tab", "a\tb {t1}").is_ok());
    assert!(Header::new("!#$%&'*+-.^_`|~09azAZ", "x").is_ok());
}

#[test]
fn a_request_is_prepared_whole_or_not_at_all() {
    let url = Template::parse("https://api.example/pb?c={externalid}").unwrap();
    let body = Body::json(r#"{"c": "{externalid}", "s": {payout}}"#).unwrap();
    let headers = [Header::new("X-Sum", "{payout}").unwrap()];
    let request = Request::post(&url).with_body(&body).with_headers(&headers);
    assert_eq!(request.method(), Method::Post);
    let mut out = Outgoing::new();
    request.prepare(&[("externalid", "c&1")], &mut out).unwrap();
    assert_eq!(out.url(), "https://api.example/pb?c=c%261");
    assert_eq!(out.body(), r#"{"c": "c&1", "s": null}"#);
    assert_eq!(out.headers().collect::<Vec<_>>(), [("X-Sum", "")]);

    // The checked preparation names the first part with a problem, and every problem in it.
    let err = request
        .try_prepare(&[("externalid", "c&1")], &mut out)
        .unwrap_err();
    let RequestError::Unusable { part, error } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*part, Part::Body);
    assert_eq!(error.problems().len(), 1);
    assert_eq!(error.problems()[0].kind(), ProblemKind::Missing);
    assert_eq!(
        err.to_string(),
        "the body: token without a usable value: no value for \"payout\" at bytes 27..35"
    );
    assert_eq!(out, Outgoing::new());
    let err = request
        .try_prepare(&[("payout", "1")], &mut out)
        .unwrap_err();
    assert!(
        matches!(
            err,
            RequestError::Unusable {
                part: Part::Url,
                ..
            }
        ),
        "{err:?}"
    );
    let both = [("externalid", "c"), ("payout", "1")];
    request.try_prepare(&both, &mut out).unwrap();
    assert_eq!(out.body(), r#"{"c": "c", "s": "1"}"#);

    // A GET has no body.
    let get = Request::get(&url).with_body(&body);
    assert_eq!(
        get.prepare(&both, &mut out).unwrap_err(),
        RequestError::BodyWithGet
    );
}

#[test]
fn bodies_and_headers_bind_names_to_slots() {
    let mut body = Body::json(r#"{"zone": "{tName:zoneid}"}"#).unwrap();
    let mut header = Header::new("X-Zone", "{tName:zoneid}").unwrap();
    let slot = postback::Slot::new(3);
    body.bind(|name| (name == "zoneid").then_some(slot).flatten())
        .unwrap();
    header
        .bind(|name| (name == "zoneid").then_some(slot).flatten())
        .unwrap();
    let url = url();
    let headers = [header];
    let mut out = Outgoing::new();
    Request::post(&url)
        .with_body(&body)
        .with_headers(&headers)
        .prepare(&[("t3", "z-9")], &mut out)
        .unwrap();
    assert_eq!(out.body(), r#"{"zone": "z-9"}"#);
    assert_eq!(out.headers().next(), Some(("X-Zone", "z-9")));
    assert!(body.bind(|_| None).is_ok(), "bound already");
    assert_eq!(body.tokens().count(), 1);
}
