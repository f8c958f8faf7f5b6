//! Parsing and expansion of two real-world postback templates.
//!
//! `cargo bench --bench expand`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use postback::{Decimal, Template, Token, TokenSource, Value};

/// ExoClick's postback with a few more tokens.
const T1: &str = "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}\
    &cid={campaign}&zone={t1}&cc={country_code}";

/// A long postback: 20 tokens whose values need encoding.
const T2: &str = "https://postback.example-network.com/v2/conversion/track?token=9f8e7d6c5b4a\
    &click_id={externalid}&sub={clickid}&payout={payout}&currency={cnv_currency}\
    &status={cnv_status}&txid={txid}&campaign={campaign}&campaign_name={campaign_name}\
    &source={trafficsource_name}&zone={t1}&site={t2}&creative={t3}&country={country_code}\
    &city={city}&os={os_name}&os_version={os_version}&browser={browser_name}\
    &device={device_model}&ref={referer}&ua={user_agent}";

/// The click and the conversion, as a host tracker would hold them.
struct Conversion {
    payout: Decimal,
}

impl TokenSource for Conversion {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        Some(match token {
            Token::ExternalId => Value::Str("ZXhvY2xpY2stOTM4MjE"),
            Token::ClickId => Value::Str("6f1c2b9a0d3e"),
            Token::Payout => Value::Decimal(self.payout),
            Token::CnvCurrency => Value::Str("USD"),
            Token::CnvStatus => Value::Str("sale"),
            Token::TxId => Value::Str("tx-2026-11-28-0001"),
            Token::Campaign => Value::UInt(1234),
            Token::CampaignName => Value::Str("Summer Sale #1 & more"),
            Token::TrafficSourceName => Value::Str("ExoClick"),
            Token::T(slot) => Value::UInt(u64::from(slot.get()) * 1000 + 17),
            Token::CountryCode => Value::Str("BR"),
            Token::City => Value::Str("São Paulo"),
            Token::OsName => Value::Str("Android"),
            Token::OsVersion => Value::Str("14"),
            Token::BrowserName => Value::Str("Chrome Mobile"),
            Token::DeviceModel => Value::Str("SM-S918B"),
            Token::Referer => Value::Str("https://news.example/article?id=42&utm=x y"),
            Token::UserAgent => Value::Str(
                "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/120.0.0.0 Mobile Safari/537.36",
            ),
            _ => return None,
        })
    }
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for (name, text) in [("T1", T1), ("T2", T2)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| b.iter(|| Template::parse(black_box(text))));
    }
    group.finish();
}

fn expand(c: &mut Criterion) {
    let conversion = Conversion {
        payout: Decimal::new(330, 2).unwrap(),
    };
    let mut group = c.benchmark_group("expand");
    for (name, text) in [("T1", T1), ("T2", T2)] {
        let template = Template::parse(text).unwrap();
        let mut out = String::new();
        group.throughput(Throughput::Bytes(template.expand(&conversion).len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                out.clear();
                black_box(&template).expand_into(black_box(&conversion), &mut out);
                out.len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse, expand);
criterion_main!(benches);
