//! The instruction-count harness: runs one workload a given number of times, for valgrind's
//! callgrind, whose counts, unlike times, do not move with the load of a shared machine.
//!
//! ```text
//! benches/callgrind.sh expand-t1            # instructions per call, N calls minus none
//! cargo bench --bench instructions -- list # the workloads
//! ```
//!
//! Each workload is prepared before the calls, so that the difference between a run of N calls
//! and a run of none is the calls alone.

use std::cell::RefCell;
use std::hint::black_box;

use postback::traffic::keitaro::import;
use postback::{Bound, Template};

#[path = "workloads/mod.rs"]
mod workloads;

use workloads::Click;

/// A workload: prepares its input, then returns the call to count.
type Workload = fn() -> Box<dyn Fn()>;

const WORKLOADS: &[(&str, Workload)] = &[
    ("expand-t1", || expand_vec(workloads::T1)),
    ("expand-t2", || expand_vec(workloads::T2)),
    ("expand-string-t1", || expand_string(workloads::T1)),
    ("expand-string-t2", || expand_string(workloads::T2)),
    ("bound-t1", || bound_vec(workloads::T1)),
    ("bound-t2", || bound_vec(workloads::T2)),
    ("bound-string-t1", || bound_string(workloads::T1)),
    ("bound-string-t2", || bound_string(workloads::T2)),
    ("leon-t1", || leon(workloads::T1)),
    ("leon-t2", || leon(workloads::T2)),
    ("parse-t1", || parse(workloads::T1)),
    ("parse-t2", || parse(workloads::T2)),
    ("import-1000", || import_of(1_000)),
    ("import-16000", || import_of(16_000)),
    ("unknown-name-64KiB", || unknown_name(64 << 10)),
    ("unknown-name-1MiB", || unknown_name(1 << 20)),
];

/// Expands `text` for the benchmarks' click into a reused `Vec<u8>`, as `cargo bench --bench
/// expand` does.
fn expand_vec(text: &'static str) -> Box<dyn Fn()> {
    reused(
        Template::parse(text).unwrap(),
        Vec::with_capacity(4096),
        into_vec,
    )
}

/// The same into a reused `String`.
fn expand_string(text: &'static str) -> Box<dyn Fn()> {
    reused(
        Template::parse(text).unwrap(),
        String::with_capacity(4096),
        into_string,
    )
}

/// Expands `text` bound to the click's fields into a reused `Vec<u8>`.
fn bound_vec(text: &'static str) -> Box<dyn Fn()> {
    reused(
        Template::parse(text).unwrap().bind_fields(),
        Vec::with_capacity(4096),
        bound_into_vec,
    )
}

/// The same into a reused `String`.
fn bound_string(text: &'static str) -> Box<dyn Fn()> {
    reused(
        Template::parse(text).unwrap().bind_fields(),
        String::with_capacity(4096),
        bound_into_string,
    )
}

/// `leon` in its fastest setup, values borrowed when clean, into a reused `Vec<u8>`.
fn leon(text: &'static str) -> Box<dyn Fn()> {
    reused(
        leon::Template::parse(text).unwrap(),
        Vec::with_capacity(4096),
        into_leon,
    )
}

/// A buffer an expansion is written to, emptied before each call.
trait Buffer: 'static {
    fn empty(&mut self);
}

impl Buffer for Vec<u8> {
    fn empty(&mut self) {
        self.clear();
    }
}

impl Buffer for String {
    fn empty(&mut self) {
        self.clear();
    }
}

/// The call of `expand` on `prepared` for the benchmarks' click, into `out`, emptied before
/// each call and keeping its room.
fn reused<T: 'static, O: Buffer>(
    prepared: T,
    out: O,
    expand: fn(&T, &Click, &mut O),
) -> Box<dyn Fn()> {
    let (click, out) = (Click::new(), RefCell::new(out));
    Box::new(move || {
        let mut out = out.borrow_mut();
        out.empty();
        expand(&prepared, &click, &mut out);
    })
}

// One call each, never inlined, so that the count is of the expansion and not of the closure
// around it.

#[inline(never)]
fn into_vec(template: &Template<'_>, click: &Click, out: &mut Vec<u8>) {
    black_box(template).expand_into_vec(black_box(click), out);
}

#[inline(never)]
fn into_string(template: &Template<'_>, click: &Click, out: &mut String) {
    black_box(template).expand_into(black_box(click), out);
}

#[inline(never)]
fn bound_into_vec(bound: &Bound<'_, Click>, click: &Click, out: &mut Vec<u8>) {
    black_box(bound).expand_into_vec(black_box(click), out);
}

#[inline(never)]
fn bound_into_string(bound: &Bound<'_, Click>, click: &Click, out: &mut String) {
    black_box(bound).expand_into(black_box(click), out);
}

#[inline(never)]
fn into_leon(template: &leon::Template<'_>, click: &Click, out: &mut Vec<u8>) {
    let _ = black_box(template).render_into(out, black_box(click));
}

fn parse(text: &'static str) -> Box<dyn Fn()> {
    Box::new(move || {
        let _ = black_box(Template::parse(black_box(text)));
    })
}

fn import_of(n: usize) -> Box<dyn Fn()> {
    let entry = workloads::keitaro_entry(n);
    Box::new(move || {
        let _ = black_box(import(black_box(&entry)));
    })
}

fn unknown_name(len: usize) -> Box<dyn Fn()> {
    let text = workloads::unknown_name(len);
    Box::new(move || {
        let _ = black_box(Template::parse(black_box(&text)));
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let workload = args
        .first()
        .and_then(|name| WORKLOADS.iter().find(|(known, _)| known == name));
    let count = args.get(1).and_then(|n| n.parse::<u64>().ok());
    // `cargo bench` runs every bench with `--bench`: then there is nothing to count.
    let (Some((_, prepare)), Some(count)) = (workload, count) else {
        println!("usage: instructions WORKLOAD CALLS; the workloads:");
        for (name, _) in WORKLOADS {
            println!("  {name}");
        }
        return;
    };
    let call = prepare();
    for _ in 0..count {
        call();
    }
}
