//! Suggestions for names that are not known: the "did you mean" of a [`ParseError`].
//!
//! [`ParseError`]: crate::ParseError

use crate::token::{LONGEST_NAME, NAMES};

/// The known name `name` was probably meant to be.
///
/// First a typo: the nearest known name at most one edit away for names of up to four
/// characters, two beyond (an edit is an insertion, a deletion, a substitution or a swap of two
/// neighbours; case is ignored). Failing that, a name inside the other, of at least four
/// characters: `bv_clickid` holds `clickid`, `status` is part of `cnv_status`; the nearest in
/// length wins. Ties go to the first known name.
pub(crate) fn suggest(name: &str) -> Option<&'static str> {
    nearest(name, NAMES.into_iter().flatten().copied())
}

/// The longest name that gets a suggestion. A typo of a known name is at most two edits
/// away, so at most [`LONGEST_NAME`] + 2 bytes, and a name with a known one inside it is
/// rarely much longer; a longer name gets none, which keeps the search bounded whatever the
/// template: a 1 MiB name would otherwise be searched for every known name.
const MAX_SUGGESTED: usize = 64;

/// The name among `known` that `name` was probably meant to be: see [`suggest`]. Names longer
/// than [`MAX_SUGGESTED`] bytes get none.
pub(crate) fn nearest(
    name: &str,
    known: impl Iterator<Item = &'static str> + Clone,
) -> Option<&'static str> {
    if name.len() > MAX_SUGGESTED {
        return None;
    }
    let most = if name.len() <= 4 { 1 } else { 2 };
    let typo = known
        .clone()
        .filter_map(|known| Some((distance(name.as_bytes(), known.as_bytes(), most)?, known)))
        .min_by_key(|&(distance, _)| distance);
    if let Some((_, known)) = typo {
        return Some(known);
    }
    let inside = |outer: &str, inner: &str| {
        inner.len() >= 4
            && outer.len() > inner.len()
            && outer
                .as_bytes()
                .windows(inner.len())
                .any(|w| w.eq_ignore_ascii_case(inner.as_bytes()))
    };
    known
        .filter(|known| inside(name, known) || inside(known, name))
        .min_by_key(|known| known.len().abs_diff(name.len()))
}

/// The optimal-string-alignment distance between `a` and `b`, ignoring ASCII case, if it is at
/// most `most`. `b` is a known name, so at most [`LONGEST_NAME`] bytes: three rows on the stack
/// suffice, and nothing is allocated.
fn distance(a: &[u8], b: &[u8], most: usize) -> Option<usize> {
    const W: usize = LONGEST_NAME + 1;
    if b.len() >= W || a.len().abs_diff(b.len()) > most {
        return None;
    }
    let eq = |x: u8, y: u8| x.eq_ignore_ascii_case(&y);
    let (mut before, mut above, mut row) = ([0usize; W], [0usize; W], [0usize; W]);
    for (j, cell) in above.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(!eq(a[i - 1], b[j - 1]));
            let mut best = (above[j] + 1).min(row[j - 1] + 1).min(above[j - 1] + cost);
            if i > 1 && j > 1 && eq(a[i - 1], b[j - 2]) && eq(a[i - 2], b[j - 1]) {
                best = best.min(before[j - 2] + 1);
            }
            row[j] = best;
        }
        (before, above) = (above, row);
    }
    Some(above[b.len()]).filter(|&d| d <= most)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn suggestions() {
        let cases = [
            ("clikid", Some("clickid")),
            ("ClickID", Some("clickid")),
            ("click_id", Some("clickid")),
            ("clcikid", Some("clickid")),
            ("externa_id", Some("externalid")),
            ("extrnal_id", Some("external_id")),
            ("tname", Some("tName")),
            ("T1", Some("t1")),
            ("evnt3", Some("event3")),
            ("payot", Some("payout")),
            ("sub_id_1", None),
            ("status", Some("cnv_status")),
            ("currency", Some("cnv_currency")),
            ("bv_clickid", Some("clickid")),
            ("conversion", None),
            ("revenue", None),
            ("x", None),
            ("", None),
            ("a_very_long_name_that_is_nothing_like_any_token", None),
            // A known name inside a name of up to 64 bytes, and none beyond.
            (&*format!("{}_clickid", "x".repeat(56)), Some("clickid")),
            (&*format!("{}_clickid", "x".repeat(57)), None),
        ];
        for (name, expected) in cases {
            assert_eq!(suggest(name), expected, "{name:?}");
        }
    }

    #[test]
    fn distances() {
        assert_eq!(distance(b"abc", b"abc", 3), Some(0));
        assert_eq!(distance(b"ABC", b"abc", 3), Some(0));
        assert_eq!(distance(b"acb", b"abc", 3), Some(1));
        assert_eq!(distance(b"", b"abc", 3), Some(3));
        assert_eq!(distance(b"abcdef", b"abc", 2), None);
        assert_eq!(distance(b"kitten", b"sitting", 3), Some(3));
    }
}
