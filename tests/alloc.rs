//! Parsing and expansion into a reused buffer allocate nothing: counted by a global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use postback::{
    Bound, Decimal, Fields, ParseOptions, Syntax, Template, Token, TokenSource, Value, from_fn,
};

/// Counts the allocations made by the current thread while it is counting.
struct Counting;

thread_local! {
    // `const` and `Copy`: reading it never allocates, so the allocator may use it.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.with(|n| n.set(n.get() + 1));
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The number of allocations `f` makes on this thread.
fn allocations<R>(f: impl FnOnce() -> R) -> (usize, R) {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    let result = f();
    COUNTING.with(|c| c.set(false));
    (ALLOCATIONS.with(Cell::get), result)
}

/// 16 tokens, an alias, a by-name token, and a `{{` escape would make 17 holes: none here.
const SIXTEEN: &str = "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}\
    &cid={campaign}&zone={t1}&cc={country_code}&ref={referer}&ua={user_agent}&city={city}\
    &os={os_name}&osv={os_version}&br={browser_name}&lang={language}&e={external_id}\
    &z={tName:zoneid}&st={cnv_status}&tx={txid}";

/// The two workloads of `benches/expand.rs`.
const T1: &str = "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}\
    &cid={campaign}&zone={t1}&cc={country_code}";
const T2: &str = "https://pb.example.net/v2/conv?tok=9f8e7d6c&cid={externalid}\
    &sub={clickid}&pay={payout}&cur={cnv_currency}&st={cnv_status}&tx={txid}&camp={campaign}\
    &cn={campaign_name}&src={trafficsource_name}&z={t1}&s={t2}&cr={t3}&cc={country_code}\
    &city={city}&os={os_name}&osv={os_version}&br={browser_name}&dev={device_model}\
    &ref={referer}&ua={user_agent}";

/// A plain `TokenSource`: a struct with a match.
struct Click<'a> {
    external_id: &'a str,
    payout: Decimal,
    referer: &'a str,
    user_agent: &'a str,
    city: &'a str,
}

impl TokenSource for Click<'_> {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        Some(match token {
            Token::ExternalId => Value::Str(self.external_id),
            Token::Payout => Value::Decimal(self.payout),
            Token::Campaign => Value::UInt(1234),
            Token::Referer => Value::Str(self.referer),
            Token::UserAgent => Value::Str(self.user_agent),
            Token::City => Value::Str(self.city),
            Token::T(_) => Value::Int(-5),
            Token::TName(_) => Value::Float(0.25),
            Token::CnvStatus => Value::Raw("sale"),
            _ => Value::Str("x"),
        })
    }
}

/// The same click as a record of fields: each token resolved once, when a template is bound,
/// to a token that `Click` answers the same for.
impl Fields for Click<'_> {
    type Field = Token<'static>;

    fn field(token: &Token<'_>) -> Option<Token<'static>> {
        Some(match *token {
            Token::ExternalId => Token::ExternalId,
            Token::Payout => Token::Payout,
            Token::Campaign => Token::Campaign,
            Token::Referer => Token::Referer,
            Token::UserAgent => Token::UserAgent,
            Token::City => Token::City,
            Token::T(slot) => Token::T(slot),
            Token::TName(_) => Token::TName(""),
            Token::CnvStatus => Token::CnvStatus,
            _ => Token::ClickId,
        })
    }

    fn value(&self, field: Token<'static>) -> Option<Value<'_>> {
        TokenSource::value(self, &field)
    }
}

fn click() -> Click<'static> {
    Click {
        external_id: "ZXhv&c=1",
        payout: Decimal::new(330, 2).unwrap(),
        referer: "https://news.example/a?b=c&d=e f",
        user_agent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0",
        city: "São Paulo",
    }
}

#[test]
fn parsing_sixteen_tokens_allocates_nothing() {
    let (count, parsed) = allocations(|| Template::parse(SIXTEEN).map(|t| t.tokens().count()));
    assert_eq!(parsed, Ok(16));
    assert_eq!(count, 0);

    // With other delimiters, multi-byte ones (memmem) included, and case-insensitive names.
    let brackets = SIXTEEN.replace('{', "[[").replace('}', "]]");
    let options = ParseOptions::new()
        .with_syntax(Syntax::DOUBLE_BRACKETS)
        .with_ignore_case(true);
    let (count, parsed) = allocations(|| Template::parse_with(&brackets, &options).is_ok());
    assert!(parsed);
    assert_eq!(count, 0);
}

#[test]
fn a_template_with_more_holes_allocates_once() {
    let seventeen = format!("{SIXTEEN}&x={{{{");
    let (count, parsed) = allocations(|| Template::parse(&seventeen).is_ok());
    assert!(parsed);
    assert_eq!(count, 1, "the holes spill to the heap, once");
}

#[test]
fn expanding_into_a_reused_string_allocates_nothing() {
    let click = click();
    let closure = from_fn(|token| TokenSource::value(&click, token));
    for text in [T1, T2, SIXTEEN] {
        let template = Template::parse(text).unwrap();
        let mut out = String::new();
        template.expand_into(&click, &mut out);
        let expected = out.clone();

        for source in [&click as &dyn TokenSource, &closure] {
            let (count, ()) = allocations(|| {
                out.clear();
                template.expand_into(&source, &mut out);
            });
            assert_eq!(count, 0, "{text}");
            assert_eq!(out, expected);
        }
        // The checked expansion too, when every value is usable.
        let (count, ok) = allocations(|| {
            out.clear();
            template.try_expand_into(&click, &mut out).is_ok()
        });
        assert!(ok);
        assert_eq!(count, 0);
        // And writing to any fmt::Write.
        let (count, ok) = allocations(|| {
            out.clear();
            template.write_to(&click, &mut out).is_ok()
        });
        assert!(ok);
        assert_eq!(count, 0);
    }
}

#[test]
fn expanding_a_bound_template_into_reused_buffers_allocates_nothing() {
    let click = click();
    for text in [T1, T2, SIXTEEN] {
        let template = Template::parse(text).unwrap();
        let expected = template.expand(&click);
        let bound: Bound<'_, Click<'_>> = template.bind_fields();
        let (mut out, mut bytes) = (String::new(), Vec::new());
        bound.expand_into(&click, &mut out);
        bound.expand_into_vec(&click, &mut bytes);
        let (count, ()) = allocations(|| {
            out.clear();
            bound.expand_into(&click, &mut out);
            bytes.clear();
            bound.expand_into_vec(&click, &mut bytes);
        });
        assert_eq!(count, 0, "{text}");
        assert_eq!(
            (out.as_str(), bytes.as_slice()),
            (&*expected, expected.as_bytes())
        );
        let (count, ok) = allocations(|| {
            out.clear();
            bound.try_expand_into(&click, &mut out).is_ok()
        });
        assert!(ok);
        assert_eq!(count, 0);
    }
}

#[test]
fn expanding_with_pairs_allocates_nothing() {
    let template = Template::parse(T1).unwrap();
    let pairs = [
        ("externalid", Value::Str("e&1")),
        ("payout", Value::Float(1.5)),
        ("campaign", Value::Int(7)),
        ("t1", Value::Str("zone")),
        ("country_code", Value::Str("BR")),
    ];
    // The first expansion grows the buffer; the next ones reuse it.
    let mut out = String::new();
    template.expand_into(&pairs, &mut out);
    let (count, ()) = allocations(|| {
        out.clear();
        template.expand_into(&pairs, &mut out);
    });
    assert_eq!(count, 0);
    assert!(out.ends_with("&value=1.5&cid=7&zone=zone&cc=BR"), "{out}");
}

#[test]
fn the_counter_counts() {
    let (count, v) = allocations(|| vec![1u8; 10]);
    assert_eq!((count, v.len()), (1, 10));
}

#[test]
fn selecting_postbacks_allocates_nothing() {
    use postback::select::{Conversion, Settings, StatusPostback, select};
    let source = Settings {
        postback: Some(T1.parse().unwrap()),
        status_postbacks: vec![StatusPostback {
            status: "sale".into(),
            postback: T2.parse().unwrap(),
        }],
        payout_share: Some("33".parse().unwrap()),
        ..Settings::default()
    };
    let campaign = Settings {
        postback_share: Some("50".parse().unwrap()),
        ..Settings::default()
    };
    let conversion = Conversion {
        status: "SALE",
        ..Conversion::new(2, Decimal::new(1000, 2).unwrap())
    };
    let (count, fired) = allocations(|| select(&source, &campaign, &conversion).fired().count());
    assert_eq!((count, fired), (0, 1));
}

#[test]
fn selecting_with_rules_allocates_nothing() {
    use postback::select::{ClickMatch, Conversion, Goal, Rule, Settings, select};
    let rule = |name: &str| Rule {
        statuses: vec!["approved".into()],
        events: vec!["lead".into(), "sale".into()],
        min_payout: Some(Decimal::new(1, 0).unwrap()),
        click: vec![ClickMatch::new("tName:source", "push").unwrap()],
        goals: vec![Goal::new("lead", "77aa"), Goal::new("sale", "4f1b")],
        ..Rule::new(name, T1.parse().unwrap())
    };
    let source = Settings {
        rules: vec![rule("a"), rule("b")],
        ..Settings::default()
    };
    let campaign = Settings {
        rules: vec![rule("b")],
        ..Settings::default()
    };
    let click = [("tName:source", "push")];
    let conversion = Conversion {
        status: "Approved",
        event: "SALE",
        click: Some(&click),
        ..Conversion::new(2, Decimal::new(1000, 2).unwrap())
    };
    let (count, keys) = allocations(|| {
        let mut written = 0;
        for fire in select(&source, &campaign, &conversion).fired() {
            use core::fmt::Write;
            let _ = write!(Tally(&mut written), "{}", fire.dedup_key("ck", "tx"));
        }
        written
    });
    assert_eq!(count, 0);
    // The source's "a", and the campaign's "b", which replaces the source's.
    let expected = [
        "pb1/source/rule:a/SALE/Approved/tx/ck",
        "pb1/campaign/rule:b/SALE/Approved/tx/ck",
    ];
    assert_eq!(keys, expected.iter().map(|key| key.len()).sum::<usize>());
}

/// Counts the bytes written to it, storing none.
struct Tally<'a>(&'a mut usize);

impl core::fmt::Write for Tally<'_> {
    fn write_str(&mut self, text: &str) -> core::fmt::Result {
        *self.0 += text.len();
        Ok(())
    }
}

#[test]
fn expanding_with_modifiers_allocates_nothing() {
    let template = Template::parse(
        "https://t.example/pb?p={payout|percent:33}&s={cnv_status|lower|map:lead=install,sale=bill|upper}\
         &d={t1|default:none}&r={referer|raw}&c={city|upper}&f={txid|percent:50}&u={user_agent|lower}",
    )
    .unwrap();
    let click = click();
    let mut out = String::new();
    template.expand_into(&click, &mut out);
    assert!(out.contains("p=1.089&s=BILL&d=-5"), "{out}");
    let (count, ()) = allocations(|| {
        out.clear();
        template.expand_into(&click, &mut out);
    });
    assert_eq!(count, 0);
    // The checked expansion too; `txid` is not a number, so it fails, and allocates its error.
    let (count, result) = allocations(|| template.try_expand_into(&click, &mut out).map_err(drop));
    assert!(result.is_err());
    assert!(count > 0);
}

/// Once a zone is loaded, by the first template that names it, writing dates in it allocates
/// nothing, and neither does parsing another template that names it.
#[cfg(feature = "time")]
#[test]
fn dates_allocate_nothing_once_their_zone_is_loaded() {
    let text = "https://t.example/pb?a={payout|date:%Y-%m-%d %H:%M:%S %Z,Europe/Kyiv}\
                &b={payout|date:iso,America/New_York}&c={payout|date:iso}&d={payout|date:unix_ms,+03:00}";
    let template = Template::parse(text).unwrap();
    let click = click();
    let mut out = String::new();
    template.expand_into(&click, &mut out);
    assert!(
        out.contains("a=1970-01-01%2003%3A00%3A03%20MSK&b=1969-12-31T19"),
        "{out}"
    );
    let (count, ()) = allocations(|| {
        out.clear();
        template.expand_into(&click, &mut out);
    });
    assert_eq!(count, 0);
    let (count, again) = allocations(|| Template::parse(text).map(drop));
    assert!(again.is_ok());
    // The template's modifiers are one `Vec`: its one allocation.
    assert_eq!(count, 1);
}

/// A request with a JSON body and headers, prepared into a reused `Outgoing`, allocates
/// nothing once its buffers have grown.
#[test]
fn preparing_a_request_allocates_nothing() {
    use postback::request::{Body, Header, Outgoing, Request};

    let url = Template::parse(T1).unwrap();
    let body = Body::json(
        r#"{"click": "{externalid}", "sum": {payout|percent:50}, "ua": "{user_agent}", "city": {city}}"#,
    )
    .unwrap();
    let headers = [
        Header::new("X-Referer", "{referer}").unwrap(),
        Header::new("X-City", "{city|upper}").unwrap(),
    ];
    let request = Request::post(&url).with_body(&body).with_headers(&headers);
    let click = click();
    let mut out = Outgoing::new();
    request.prepare(&click, &mut out).unwrap();
    assert!(out.body().contains(r#""sum": 1.65"#), "{}", out.body());
    let (count, result) = allocations(|| request.prepare(&click, &mut out));
    assert!(result.is_ok());
    assert_eq!(count, 0);
    let form = Body::form("click={externalid}&ua={user_agent}").unwrap();
    let request = Request::post(&url).with_body(&form);
    request.prepare(&click, &mut out).unwrap();
    let (count, _) = allocations(|| request.prepare(&click, &mut out));
    assert_eq!(count, 0);
}

#[cfg(feature = "hash")]
#[test]
fn hashing_allocates_nothing() {
    let template = Template::parse(
        "https://t.example/pb?a={externalid|md5}&b={referer|sha1|upper}&c={user_agent|sha256}",
    )
    .unwrap();
    let click = click();
    let mut out = String::new();
    template.expand_into(&click, &mut out);
    assert_eq!(
        out.len(),
        "https://t.example/pb?a=&b=&c=".len() + 32 + 40 + 64,
        "{out}"
    );
    let (count, ()) = allocations(|| {
        out.clear();
        template.expand_into(&click, &mut out);
    });
    assert_eq!(count, 0);
}

#[cfg(feature = "hash")]
#[test]
fn signing_allocates_nothing_once_the_url_has_room() {
    use postback::sign::{Algorithm, Message, Signer};
    let signer = Signer::new(Algorithm::HmacSha256, b"key".to_vec(), "sign").unwrap();
    let by_params = signer.clone().signing(Message::Params {
        names: vec!["a".into(), "b".into()],
        separator: "|".into(),
    });
    for signer in [signer, by_params] {
        let mut url = String::with_capacity(256);
        let (count, result) = allocations(|| {
            url.push_str("https://n.example/pb?a=1&b=2#f");
            signer.sign(&mut url)
        });
        assert_eq!((count, result), (0, Ok(())));
        assert!(url.ends_with("#f") && url.contains("&sign="), "{url}");
    }
}
