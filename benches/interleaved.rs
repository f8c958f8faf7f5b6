//! Expansion times on a loaded machine: every contender runs in short batches, taking turns,
//! and keeps its fastest batch, so that a burst of load from elsewhere slows a batch of each
//! rather than all of one contender's samples, as it can in `cargo bench --bench expand`.
//!
//! ```text
//! cargo bench --bench interleaved            # 300 rounds
//! cargo bench --bench interleaved -- 1000    # more rounds, steadier minima
//! ```
//!
//! Prints the fastest time per expansion of each contender, and `leon`'s over it.

use std::hint::black_box;
use std::time::{Duration, Instant};

use postback::{Bound, Template};

#[path = "workloads/mod.rs"]
mod workloads;

use workloads::{Click, T1, T2};

/// One expansion, into the contender's own reused buffer.
type Call<'t> = Box<dyn FnMut() + 't>;

/// How long a batch runs: long enough for the clock, short enough to fit between bursts.
const BATCH: Duration = Duration::from_micros(200);

fn main() {
    // `cargo bench` passes `--bench`; a number is the count of rounds.
    let rounds = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse::<u32>().ok())
        .unwrap_or(300);
    let click = Click::new();
    println!("fastest batch of {rounds} rounds; time per expansion, and leon's over it\n");
    println!("| contender | T1 | leon / this | T2 | leon / this |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    let mut rows: Vec<(&str, [f64; 2])> = Vec::new();
    for (column, text) in [T1, T2].into_iter().enumerate() {
        let template = Template::parse(text).unwrap();
        let bound: Bound<'_, Click> = template.clone().bind_fields();
        let leon = leon::Template::parse(text).unwrap();
        let expected = template.expand(&click);
        assert_eq!(bound.expand(&click), expected);
        assert_eq!(leon.render(&click).unwrap(), expected);
        let (mut v1, mut v2, mut v3) = (Vec::new(), Vec::new(), Vec::new());
        let (mut s1, mut s2) = (String::new(), String::new());
        let contenders: Vec<(&str, Call<'_>)> = vec![
            (
                "`postback, bound`, into a `Vec<u8>`",
                Box::new(|| {
                    v1.clear();
                    black_box(&bound).expand_into_vec(black_box(&click), &mut v1);
                }),
            ),
            (
                "`postback, bound`, into a `String`",
                Box::new(|| {
                    s1.clear();
                    black_box(&bound).expand_into(black_box(&click), &mut s1);
                }),
            ),
            (
                "`postback`, into a `Vec<u8>`",
                Box::new(|| {
                    v2.clear();
                    black_box(&template).expand_into_vec(black_box(&click), &mut v2);
                }),
            ),
            (
                "`postback`, into a `String`",
                Box::new(|| {
                    s2.clear();
                    black_box(&template).expand_into(black_box(&click), &mut s2);
                }),
            ),
            (
                "`leon`",
                Box::new(|| {
                    v3.clear();
                    let _ = black_box(&leon).render_into(&mut v3, black_box(&click));
                }),
            ),
        ];
        for (name, time) in fastest(contenders, rounds) {
            match rows.iter_mut().find(|(known, _)| *known == name) {
                Some((_, times)) => times[column] = time,
                None => {
                    let mut times = [0.0; 2];
                    times[column] = time;
                    rows.push((name, times));
                }
            }
        }
    }
    let leon = rows.iter().find(|(name, _)| *name == "`leon`").unwrap().1;
    for (name, [t1, t2]) in &rows {
        println!(
            "| {name} | {t1:.1} ns | {:.2}× | {t2:.1} ns | {:.2}× |",
            leon[0] / t1,
            leon[1] / t2
        );
    }
}

/// The fastest time per call of each contender over `rounds` rounds, in which each runs one
/// batch in turn.
fn fastest<'t>(
    mut contenders: Vec<(&'static str, Call<'t>)>,
    rounds: u32,
) -> Vec<(&'static str, f64)> {
    // Calls per batch, for each contender: as many as fit in `BATCH`, measured once.
    let sizes: Vec<u32> = contenders
        .iter_mut()
        .map(|(_, call)| {
            let start = Instant::now();
            let mut calls = 0;
            while start.elapsed() < BATCH {
                call();
                calls += 1;
            }
            calls
        })
        .collect();
    let mut best = vec![f64::INFINITY; contenders.len()];
    for _ in 0..rounds {
        for ((_, call), (size, best)) in contenders.iter_mut().zip(sizes.iter().zip(&mut best)) {
            let start = Instant::now();
            for _ in 0..*size {
                call();
            }
            let per_call = start.elapsed().as_secs_f64() * 1e9 / f64::from(*size);
            *best = best.min(per_call);
        }
    }
    contenders
        .into_iter()
        .map(|(name, _)| name)
        .zip(best)
        .collect()
}
