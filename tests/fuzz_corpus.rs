//! Replays the committed fuzz corpus (`tests/fuzz/corpus/<target>/`) through the fuzz targets'
//! own checks, on stable Rust, so that CI runs them without cargo-fuzz. The checks, and the
//! input formats, are in `tests/fuzz/checks.rs`; `fuzz/README.md` says how to run the fuzzers.
//! Both live under `tests/`, not in the `fuzz/` crate, so that they ship in the package and
//! `cargo test` passes for whoever downloads it.

#[path = "fuzz/checks.rs"]
mod checks;

use std::collections::BTreeMap;
use std::path::Path;

use checks::Ran;

/// Runs `check` on every file of `tests/fuzz/corpus/<target>/`, naming the file that fails, and
/// counts what the checks did.
fn replay(target: &str, check: fn(&[u8]) -> Ran) -> BTreeMap<String, usize> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    let mut ran = BTreeMap::new();
    for file in files {
        let data = std::fs::read(&file).expect("a readable file");
        let outcome = std::panic::catch_unwind(|| check(&data));
        match outcome {
            Ok(outcome) => *ran.entry(format!("{outcome:?}")).or_default() += 1,
            Err(panic) => {
                eprintln!("{target}: {} failed", file.display());
                std::panic::resume_unwind(panic);
            }
        }
    }
    ran
}

#[track_caller]
fn at_least(ran: &BTreeMap<String, usize>, outcome: Ran, least: usize) {
    let count = ran.get(&format!("{outcome:?}")).copied().unwrap_or(0);
    assert!(count >= least, "{outcome:?}: {count} < {least} in {ran:?}");
}

// The seeds: the 126 postbacks of `tests/fixtures/keitaro_postbacks.txt` (strict in `parse`,
// so 47 parse and 79 fail; with custom tokens in `roundtrip`, so all parse) and hand-made edge
// cases. Local fuzzing runs may add files: the counts are floors.

#[test]
fn parse_corpus() {
    let ran = replay("parse", checks::parse);
    at_least(&ran, Ran::Checked, 47 + 20);
    at_least(&ran, Ran::Rejected, 79 + 15);
    at_least(&ran, Ran::Skipped, 2);
}

#[test]
fn roundtrip_corpus() {
    let ran = replay("roundtrip", checks::roundtrip);
    at_least(&ran, Ran::Checked, 126 + 20);
    at_least(&ran, Ran::Rejected, 15);
}

#[test]
fn expand_corpus() {
    let ran = replay("expand", checks::expand);
    at_least(&ran, Ran::Structured, 12);
    at_least(&ran, Ran::Checked, 8);
}

#[test]
fn request_corpus() {
    let ran = replay("request", checks::request);
    at_least(&ran, Ran::Checked, 5);
    at_least(&ran, Ran::Rejected, 5);
}

/// The decoder and the checks on inputs written out here, so that a change of the input
/// format shows.
#[test]
fn inputs_decode_as_documented() {
    use postback::{Missing, ParseOptions, Schemes, Syntax, Unknown};

    let (options, missing, text) = checks::options(b"P?a={x}").unwrap();
    assert_eq!(options, ParseOptions::new().with_unknown(Unknown::Custom));
    assert_eq!((missing, text), (Missing::Empty, "?a={x}"));
    let (options, _, _) = checks::options(b"@").unwrap();
    assert_eq!(options, ParseOptions::new());
    let (options, _, _) = checks::options(b"H").unwrap();
    assert_eq!(options, ParseOptions::new().with_unknown(Unknown::Literal));
    let (options, _, _) = checks::options(b"`").unwrap();
    assert_eq!(options, ParseOptions::new().with_ignore_case(true));
    let (options, missing, _) = checks::options(b"\xc0").unwrap();
    assert_eq!((options, missing), (ParseOptions::new(), Missing::Keep));
    let (options, _, _) = checks::options(b"E").unwrap();
    assert_eq!(options, ParseOptions::new().with_syntax(Syntax::PERCENT));
    let (options, _, text) = checks::options("F5<%%>?a=<%clickid%>".as_bytes()).unwrap();
    assert_eq!(
        options,
        ParseOptions::new().with_syntax(Syntax::new("<%", "%>").unwrap())
    );
    assert_eq!(text, "?a=<%clickid%>");
    let (options, _, text) = checks::options("G0«x«".as_bytes()).unwrap();
    assert_eq!(
        options,
        ParseOptions::new().with_syntax(Syntax::new("«", "«").unwrap())
    );
    assert_eq!(text, "x«");
    assert!(checks::options(b"").is_none());
    assert!(checks::options(b"F").is_none());
    assert!(checks::options(b"F3{").is_none());
    assert!(checks::options(b"@\xff").is_none());
    // Bit 6 clear: any scheme.
    let (options, _, _) = checks::options(b"\0").unwrap();
    assert_eq!(options, ParseOptions::new().with_schemes(Schemes::Any));

    assert_eq!(
        checks::parse(b"@https://t.example/?a={clickid}"),
        Ran::Checked
    );
    assert_eq!(
        checks::parse(b"@https://t.example/?a={clikid}"),
        Ran::Rejected
    );
    assert_eq!(checks::parse(b"@?a={clickid}"), Ran::Rejected);
    assert_eq!(checks::parse(b"\0myapp://h/?a={clickid}"), Ran::Checked);
    assert_eq!(
        checks::roundtrip(b"Phttps://t.example/?a={clikid}"),
        Ran::Checked
    );
    // Structured: `/0?1#2` is `https://t.example/{t1}?k0={t2}#{t3}`.
    let hostile = "a&b=c #/?%+ \r\n{payout}é";
    let mut input = b"T/0?1#2\xff".to_vec();
    for _ in 0..3 {
        input.push(b'0');
        input.extend_from_slice(hostile.as_bytes());
        input.push(0xFF);
    }
    assert_eq!(checks::expand(&input), Ran::Structured);
    assert_eq!(
        checks::expand(b"U@https://t.example/?a={t1}\xff0v"),
        Ran::Checked
    );
    assert_eq!(
        checks::expand(b"U@https://t.example/?a={t1\xff0v"),
        Ran::Rejected
    );
    assert_eq!(checks::expand(b""), Ran::Skipped);
}
