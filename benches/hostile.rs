//! Inputs that a tracker's UI or an import may hand the crate, and that must stay linear.
//!
//! ```text
//! cargo bench --bench hostile
//! ```
//!
//! - `import/N`: a Keitaro entry of N parameters whose postback reads every one of them
//!   ([`postback::traffic::keitaro::import`]); the time per parameter stays flat as N grows.
//! - `unknown-name/N`: parsing a template whose one token has an unknown name of N bytes; the
//!   error's suggestion search is bounded, so the time per byte stays flat too.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use postback::Template;
use postback::traffic::keitaro::import;

#[path = "workloads/mod.rs"]
mod workloads;

fn keitaro(c: &mut Criterion) {
    let mut group = c.benchmark_group("import");
    for n in [1_000, 4_000, 16_000] {
        let entry = workloads::keitaro_entry(n);
        // Ten parameters get the ten slots; the others are reported, and so are their tokens.
        assert_eq!(import(&entry).unwrap_err().issues().len(), 2 * (n - 10));
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| import(black_box(&entry)))
        });
    }
    group.finish();
}

fn unknown_name(c: &mut Criterion) {
    let mut group = c.benchmark_group("unknown-name");
    for (name, len) in [("64KiB", 64 << 10), ("1MiB", 1 << 20)] {
        let text = workloads::unknown_name(len);
        assert!(Template::parse(&text).is_err());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| Template::parse(black_box(&text)))
        });
    }
    group.finish();
}

criterion_group!(benches, keitaro, unknown_name);
criterion_main!(benches);
