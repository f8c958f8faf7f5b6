//! Inputs shared by the benchmarks and the instruction-count harness, so that both measure the
//! same work.

#![allow(dead_code, reason = "each bench uses some of them")]

use std::borrow::Cow;

use percent_encoding::utf8_percent_encode;
use postback::encode::COMPONENT;
use postback::traffic::keitaro::{Entry, Parameter};
use postback::{Fields, Token, TokenSource, Value};

/// ExoClick's postback with a few more tokens.
pub const T1: &str = "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}\
    &cid={campaign}&zone={t1}&cc={country_code}";

/// A long postback: 20 tokens, several of whose values need encoding.
pub const T2: &str = "https://pb.example.net/v2/conv?tok=9f8e7d6c&cid={externalid}\
    &sub={clickid}&pay={payout}&cur={cnv_currency}&st={cnv_status}&tx={txid}&camp={campaign}\
    &cn={campaign_name}&src={trafficsource_name}&z={t1}&s={t2}&cr={t3}&cc={country_code}\
    &city={city}&os={os_name}&osv={os_version}&br={browser_name}&dev={device_model}\
    &ref={referer}&ua={user_agent}";

/// What a tracker knows about a converted click: every value as text.
pub const CLICK: &[(&str, &str)] = &[
    ("externalid", "ZXhvY2xpY2stOTM4MjE"),
    ("clickid", "6f1c2b9a0d3e"),
    ("payout", "3.30"),
    ("cnv_currency", "USD"),
    ("cnv_status", "sale"),
    ("txid", "tx-2026-11-28-0001"),
    ("campaign", "1234"),
    ("campaign_name", "Summer Sale #1 & more"),
    ("trafficsource_name", "ExoClick"),
    ("t1", "1017"),
    ("t2", "site 42"),
    ("t3", "creative-7"),
    ("country_code", "BR"),
    ("city", "São Paulo"),
    ("os_name", "Android"),
    ("os_version", "14"),
    ("browser_name", "Chrome Mobile"),
    ("device_model", "SM-S918B"),
    ("referer", "https://news.example/article?id=42&utm=x y"),
    (
        "user_agent",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/120.0.0.0 Mobile Safari/537.36",
    ),
];

/// The click as a host tracker would hold it: fields, not a map.
pub struct Click {
    values: [&'static str; 20],
}

impl Click {
    pub fn new() -> Click {
        Click {
            values: std::array::from_fn(|i| CLICK[i].1),
        }
    }

    /// The value of a token by name, as the string-keyed contenders look it up.
    pub fn get(&self, name: &str) -> Option<&str> {
        let at = match name {
            "externalid" => 0,
            "clickid" => 1,
            "payout" => 2,
            "cnv_currency" => 3,
            "cnv_status" => 4,
            "txid" => 5,
            "campaign" => 6,
            "campaign_name" => 7,
            "trafficsource_name" => 8,
            "t1" => 9,
            "t2" => 10,
            "t3" => 11,
            "country_code" => 12,
            "city" => 13,
            "os_name" => 14,
            "os_version" => 15,
            "browser_name" => 16,
            "device_model" => 17,
            "referer" => 18,
            "user_agent" => 19,
            _ => return None,
        };
        Some(self.values[at])
    }
}

impl Click {
    /// Where the value of `token` is: what binding resolves once.
    pub fn index(token: &Token<'_>) -> Option<usize> {
        Some(match token {
            Token::ExternalId => 0,
            Token::ClickId => 1,
            Token::Payout => 2,
            Token::CnvCurrency => 3,
            Token::CnvStatus => 4,
            Token::TxId => 5,
            Token::Campaign => 6,
            Token::CampaignName => 7,
            Token::TrafficSourceName => 8,
            Token::T(slot) if slot.get() <= 3 => 8 + usize::from(slot.get()),
            Token::CountryCode => 12,
            Token::City => 13,
            Token::OsName => 14,
            Token::OsVersion => 15,
            Token::BrowserName => 16,
            Token::DeviceModel => 17,
            Token::Referer => 18,
            Token::UserAgent => 19,
            _ => return None,
        })
    }
}

impl TokenSource for Click {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        Click::index(token).map(|at| Value::Str(self.values[at]))
    }
}

/// The same click, its fields resolved when a template is bound.
impl Fields for Click {
    type Field = usize;

    fn field(token: &Token<'_>) -> Option<usize> {
        Click::index(token)
    }

    fn value(&self, field: usize) -> Option<Value<'_>> {
        self.values.get(field).map(|&text| Value::Str(text))
    }
}

/// `leon` asks for values by key; they are encoded on the way out, like ours.
impl leon::Values for Click {
    fn get_value(&self, key: &str) -> Option<Cow<'_, str>> {
        self.get(key)
            .map(|value| utf8_percent_encode(value, COMPONENT).into())
    }
}

/// `leon` with every value encoded into a `String` of its own.
pub struct Owned<'c>(pub &'c Click);

impl leon::Values for Owned<'_> {
    fn get_value(&self, key: &str) -> Option<Cow<'_, str>> {
        self.0
            .get(key)
            .map(|value| Cow::Owned(utf8_percent_encode(value, COMPONENT).to_string()))
    }
}

/// A Keitaro entry with `n` parameters, every one of which its postback reads: the shape that
/// was quadratic in `n` when the postback was read again for each parameter.
pub fn keitaro_entry(n: usize) -> Entry {
    let parameters = (0..n)
        .map(|i| Parameter::new(format!("sub{i}"), format!("p{i}"), format!("{{m{i}}}")))
        .collect();
    let mut postback_url = String::from("https://net.example/pb?c=1");
    for i in 0..n {
        postback_url.push_str(&format!("&x{i}={{sub{i}}}"));
    }
    Entry {
        name: "hostile".into(),
        display_name: String::new(),
        postback_url,
        parameters,
    }
}

/// A template whose only token has an unknown name of `len` bytes: the shape whose
/// suggestion search was linear in the name for every known name.
pub fn unknown_name(len: usize) -> String {
    format!("https://t.example/pb?a={{{}}}", "x".repeat(len))
}
