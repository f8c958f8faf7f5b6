//! 9. Requests: whatever the value, a JSON body parses (with `serde_json`) into exactly the
//!    keys it was written with, each holding the value; a form body parses (with
//!    `form_urlencoded`) into exactly its fields; a header holds the value, or the request is
//!    refused for a control character, and never holds a line break.

use postback::request::{Body, Header, Outgoing, Request, RequestError};

use crate::*;

/// The text a value is written as, as it is (numbers in plain notation), or `None` when it
/// has no usable value.
fn plain(value: &Option<Val>) -> Option<String> {
    let mut text = String::new();
    match value.as_ref()?.value() {
        Value::Str(s) | Value::Raw(s) => text.push_str(s),
        Value::Float(x) if !x.is_finite() => return None,
        Value::Int(n) => write!(text, "{n}").unwrap(),
        Value::UInt(n) => write!(text, "{n}").unwrap(),
        Value::Float(x) => write!(text, "{x}").unwrap(),
        Value::Decimal(d) => write!(text, "{d}").unwrap(),
        _ => unreachable!(),
    }
    Some(text)
}

fn url() -> Template<'static> {
    Template::parse("https://api.example/pb").unwrap()
}

/// The value, or none, and a source that answers `t1` with it.
fn answer(value: &Option<Val>) -> impl TokenSource + '_ {
    from_fn(move |token: &Token<'_>| match token {
        Token::T(slot) if slot.get() == 1 => value.as_ref().map(Val::value),
        _ => None,
    })
}

proptest! {
    #![proptest_config(config(512))]

    /// A JSON body's keys are the template's, whatever the values; a value in a string is the
    /// value's text inside it, and a value as a value is a string of the text, a number equal
    /// to the number, or null.
    #[test]
    fn json_bodies_keep_their_keys_and_their_values(value in proptest::option::weighted(0.9, value())) {
        let body = Body::json(r#"{"s": "<{t1}>", "v": {t1}, "k": [{t1}, "{t1|upper}"]}"#).unwrap();
        let url = url();
        let mut out = Outgoing::new();
        Request::post(&url).with_body(&body).prepare(&answer(&value), &mut out).unwrap();
        let parsed: serde_json::Map<String, serde_json::Value> = serde_json::from_str(out.body())
            .map_err(|err| TestCaseError::fail(format!("{err}: {}", out.body())))?;
        let keys: Vec<&str> = parsed.keys().map(String::as_str).collect();
        prop_assert_eq!(keys, ["k", "s", "v"]);
        let text = plain(&value);
        let inside = format!("<{}>", text.clone().unwrap_or_default());
        prop_assert_eq!(parsed["s"].as_str(), Some(inside.as_str()));
        let v = &parsed["v"];
        match (&value, &text) {
            (_, None) => prop_assert!(v.is_null()),
            (Some(Val::Str(s) | Val::Raw(s)), _) => prop_assert_eq!(v.as_str(), Some(s.as_str())),
            (Some(Val::Int(n)), _) => prop_assert_eq!(v.as_i64(), Some(*n)),
            (Some(Val::UInt(n)), _) => prop_assert_eq!(v.as_u64(), Some(*n)),
            (Some(Val::Float(x)), _) => prop_assert_eq!(v.as_f64(), Some(*x)),
            (Some(Val::Decimal(d)), Some(text)) => {
                prop_assert_eq!(v.as_f64(), Some(text.parse::<f64>().unwrap()), "{}", d);
            }
            (None, Some(_)) => unreachable!(),
        }
        prop_assert_eq!(&parsed["k"][0], v);
        let upper = text.map(|t| t.to_ascii_uppercase()).unwrap_or_default();
        prop_assert_eq!(parsed["k"][1].as_str(), Some(upper.as_str()));
    }

    /// A form body's fields are the template's, each with the value's text: raw text too,
    /// which is the host's encoding for a URL, not for a form.
    #[test]
    fn form_bodies_keep_their_fields_and_their_values(value in proptest::option::weighted(0.9, value())) {
        let body = Body::form("a={t1}&b=<{t1}>&{t1}={t1}").unwrap();
        let url = url();
        let mut out = Outgoing::new();
        Request::post(&url).with_body(&body).prepare(&answer(&value), &mut out).unwrap();
        let fields: Vec<(String, String)> = url::form_urlencoded::parse(out.body().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let text = plain(&value).unwrap_or_default();
        let want = vec![
            ("a".to_owned(), text.clone()),
            ("b".to_owned(), format!("<{text}>")),
            (text.clone(), text.clone()),
        ];
        prop_assert_eq!(fields, want, "{}", out.body());
    }

    /// A header holds the value as it is, or the request is refused for a control character,
    /// and no header ever holds a line break.
    #[test]
    fn headers_hold_the_value_or_refuse_it(value in proptest::option::weighted(0.9, value())) {
        let headers = [Header::new("X-Value", "v={t1}").unwrap()];
        let url = url();
        let mut out = Outgoing::new();
        let result = Request::get(&url).with_headers(&headers).prepare(&answer(&value), &mut out);
        let text = plain(&value).unwrap_or_default();
        let control = text.chars().any(|c| c.is_ascii_control() && c != '\t');
        match result {
            Ok(()) => {
                prop_assert!(!control);
                let sent: Vec<_> = out.headers().collect();
                let want = format!("v={text}");
                prop_assert_eq!(sent, vec![("X-Value", want.as_str())]);
            }
            Err(RequestError::Header { c, .. }) => {
                prop_assert!(control);
                prop_assert!(text.contains(c));
                prop_assert_eq!(out.headers().count(), 0);
            }
            Err(other) => prop_assert!(false, "{other}"),
        }
    }
}
