//! Expansion and parsing of real postbacks, against the ways trackers do it without this crate.
//!
//! ```text
//! cargo bench --bench expand
//! ```
//!
//! Every contender gets the same click (plain `&str` values) and percent-encodes every value with
//! the same set inside the timed call, into a buffer reused across iterations:
//! - `postback`: this crate, a template parsed once, expanded into a `String` or a `Vec<u8>`;
//!   `postback-bound`: the same template bound to the click's fields (`Template::bind_fields`);
//! - `leon`: the `leon` template crate, parsed once, values encoded in its `Values` impl,
//!   borrowed when they need no encoding: the fastest way to use it, and the one the ratios in
//!   the README are taken against;
//! - `leon-owned`: the same, every value encoded into an owned `String` (`to_string()`), as a
//!   host that prepares its values as strings first does;
//! - `replace`: a chain of `str::replace`, one per token, as many trackers do;
//! - `scanner`: a hand-written single pass over the template with `memchr`, no compiled form.

use std::borrow::Cow;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use percent_encoding::utf8_percent_encode;
use postback::encode::COMPONENT;
use postback::{Bound, Template};

#[path = "workloads/mod.rs"]
mod workloads;

use workloads::{CLICK, Click, Owned, T1, T2};

/// A chain of `str::replace`: what a tracker without a template engine writes.
fn replace(template: &str, click: &Click) -> String {
    let mut out = template.to_owned();
    for (name, _) in CLICK {
        let Some(value) = click.get(name) else {
            continue;
        };
        let needle = match *name {
            "externalid" => "{externalid}",
            "clickid" => "{clickid}",
            "payout" => "{payout}",
            "cnv_currency" => "{cnv_currency}",
            "cnv_status" => "{cnv_status}",
            "txid" => "{txid}",
            "campaign" => "{campaign}",
            "campaign_name" => "{campaign_name}",
            "trafficsource_name" => "{trafficsource_name}",
            "t1" => "{t1}",
            "t2" => "{t2}",
            "t3" => "{t3}",
            "country_code" => "{country_code}",
            "city" => "{city}",
            "os_name" => "{os_name}",
            "os_version" => "{os_version}",
            "browser_name" => "{browser_name}",
            "device_model" => "{device_model}",
            "referer" => "{referer}",
            _ => "{user_agent}",
        };
        if out.contains(needle) {
            let encoded: Cow<str> = utf8_percent_encode(value, COMPONENT).into();
            out = out.replace(needle, &encoded);
        }
    }
    out
}

/// A hand-written single pass over the template: memchr to each `{`, then to its `}`.
fn scan(template: &str, click: &Click, out: &mut String) {
    let bytes = template.as_bytes();
    let mut pos = 0;
    while let Some(found) = memchr::memchr(b'{', &bytes[pos..]) {
        let open = pos + found;
        out.push_str(&template[pos..open]);
        let Some(len) = memchr::memchr(b'}', &bytes[open + 1..]) else {
            break;
        };
        let close = open + 1 + len;
        if let Some(value) = click.get(&template[open + 1..close]) {
            out.extend(utf8_percent_encode(value, COMPONENT));
        }
        pos = close + 1;
    }
    out.push_str(&template[pos..]);
}

fn expand(c: &mut Criterion) {
    let click = Click::new();
    for (name, text) in [("T1", T1), ("T2", T2)] {
        let template = Template::parse(text).unwrap();
        let leon = leon::Template::parse(text).unwrap();
        let expected = template.expand(&click);
        // Every contender writes the same URL.
        assert_eq!(leon.render(&click).unwrap(), expected);
        assert_eq!(leon.render(&Owned(&click)).unwrap(), expected);
        assert_eq!(replace(text, &click), expected);
        let mut scanned = String::new();
        scan(text, &click, &mut scanned);
        assert_eq!(scanned, expected);

        let mut group = c.benchmark_group(format!("expand/{name}"));
        group.throughput(Throughput::Bytes(expected.len() as u64));
        let mut out = String::with_capacity(4096);
        group.bench_function("postback", |b| {
            b.iter(|| {
                out.clear();
                black_box(&template).expand_into(black_box(&click), &mut out);
            })
        });
        let mut buf = Vec::with_capacity(4096);
        group.bench_function("postback-vec", |b| {
            b.iter(|| {
                buf.clear();
                black_box(&template).expand_into_vec(black_box(&click), &mut buf);
            })
        });
        let bound: Bound<'_, Click> = template.clone().bind_fields();
        assert_eq!(bound.expand(&click), expected);
        group.bench_function("postback-bound", |b| {
            b.iter(|| {
                out.clear();
                black_box(&bound).expand_into(black_box(&click), &mut out);
            })
        });
        group.bench_function("postback-bound-vec", |b| {
            b.iter(|| {
                buf.clear();
                black_box(&bound).expand_into_vec(black_box(&click), &mut buf);
            })
        });
        group.bench_function("leon", |b| {
            b.iter(|| {
                buf.clear();
                black_box(&leon)
                    .render_into(&mut buf, black_box(&click))
                    .unwrap();
            })
        });
        group.bench_function("leon-owned", |b| {
            b.iter(|| {
                buf.clear();
                black_box(&leon)
                    .render_into(&mut buf, black_box(&Owned(&click)))
                    .unwrap();
            })
        });
        group.bench_function("replace", |b| {
            b.iter(|| replace(black_box(text), black_box(&click)))
        });
        group.bench_function("scanner", |b| {
            b.iter(|| {
                out.clear();
                scan(black_box(text), black_box(&click), &mut out);
            })
        });
        group.finish();
    }
}

/// A large template that is hard on a parser: long literals, thousands of tokens, and runs of
/// escaped opening delimiters (`{{` here, `\{` for leon).
fn hostile(len: usize, escape: &str) -> String {
    let mut text = String::with_capacity(len + 256);
    text.push_str("https://t.example/pb?");
    let mut i = 0;
    while text.len() < len {
        let literal = "abcdefghij".repeat(i % 20);
        let escapes = escape.repeat(i % 7);
        text.push_str(&format!("&k{i}={literal}{escapes}x={{payout}}{{t3}}"));
        i += 1;
    }
    text
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for (name, text) in [("T1", T1), ("T2", T2)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(BenchmarkId::new("postback", name), |b| {
            b.iter(|| Template::parse(black_box(text)).unwrap())
        });
        group.bench_function(BenchmarkId::new("leon", name), |b| {
            b.iter(|| leon::Template::parse(black_box(text)).unwrap())
        });
    }
    for (name, len) in [("64KiB", 64 << 10), ("1MiB", 1 << 20)] {
        let ours = hostile(len, "{{");
        let theirs = hostile(len, "\\{");
        assert!(Template::parse(&ours).is_ok() && leon::Template::parse(&theirs).is_ok());
        group.throughput(Throughput::Bytes(ours.len() as u64));
        group.bench_function(BenchmarkId::new("postback", name), |b| {
            b.iter(|| Template::parse(black_box(&ours)).unwrap())
        });
        group.throughput(Throughput::Bytes(theirs.len() as u64));
        group.bench_function(BenchmarkId::new("leon", name), |b| {
            b.iter(|| leon::Template::parse(black_box(&theirs)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, expand, parse);
criterion_main!(benches);
