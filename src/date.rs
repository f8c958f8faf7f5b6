//! Dates and times for the `date` modifier: `{cnv_time|date:%Y-%m-%d %H:%M:%S,Europe/Kyiv}`.
//!
//! The host gives an instant as Unix seconds (an integer, a decimal with a fraction, or text
//! of one); the modifier's argument says how to write it, `FORMAT` or `FORMAT,ZONE`. The format
//! is read here twice: once when the template is parsed, to check it, with the span of what is
//! wrong, and to bound what it writes; and at every expansion, to write, which then cannot
//! fail. Time zones are the IANA database's, bundled by `jiff` so that every machine answers
//! the same, and loaded once per process; the conversion of an instant to a civil time in a
//! zone is `jiff`'s. Nothing here allocates once a zone is loaded.

use core::fmt;

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone, TimeZoneDatabase};

use crate::decimal::Decimal;

/// The most bytes a format may write: what the written date is kept in, on the stack.
pub(crate) const MAX_LEN: usize = 64;

/// What is wrong with a `date` argument: the bytes at fault, from the argument's start, and
/// what was expected there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Bad {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) expected: &'static str,
}

/// A `date` argument, read: how to write an instant, and in which zone.
#[derive(Clone, Debug)]
pub(crate) struct Date<'a> {
    format: Format<'a>,
    zone: Zone,
}

/// How to write an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format<'a> {
    /// `iso`: RFC 3339, `2026-12-03T05:34:43Z`, with the zone's offset (`+02:00`) when a zone
    /// is given and a fraction of a second when there is one.
    Iso,
    /// `unix`: seconds since 1970-01-01 UTC.
    Unix,
    /// `unix_ms`: milliseconds since 1970-01-01 UTC.
    UnixMs,
    /// A format with `%` specifiers.
    Spec(&'a str),
}

/// The zone an instant is written in.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Zone {
    /// UTC, whose `iso` form ends in `Z`.
    Utc,
    /// A fixed offset from UTC (`+03:00`, `-0530`), or an IANA time zone (`Europe/Kyiv`),
    /// found once, when the argument is read.
    Other(TimeZone),
}

impl<'a> Date<'a> {
    /// Reads `arg`, the text after `date:`: the format, then after its last comma, if it has
    /// one, the zone, which is found (and a named one loaded, once per process). The
    /// format's specifiers are checked by [`check`](Date::check), when the template is
    /// parsed; expansions read the argument again, and need not.
    pub(crate) fn read(arg: &'a str) -> Result<Date<'a>, Bad> {
        let (format, zone) = match arg.rfind(',') {
            Some(comma) => (&arg[..comma], Some((comma + 1, &arg[comma + 1..]))),
            None => (arg, None),
        };
        let zone = match zone {
            None => Zone::Utc,
            Some((at, name)) => zone_named(name).ok_or(Bad {
                start: at,
                end: arg.len(),
                expected: "a time zone after the format's last comma: an IANA name such as \
                           Europe/Kyiv, UTC, or an offset such as +03:00 (a format with a \
                           comma of its own ends with \",UTC\")",
            })?,
        };
        let format = match format {
            "" => {
                return Err(Bad {
                    start: 0,
                    end: format.len(),
                    expected: "a format: iso, unix, unix_ms, or text with % specifiers such \
                               as %Y-%m-%d %H:%M:%S",
                });
            }
            "iso" => Format::Iso,
            "unix" => Format::Unix,
            "unix_ms" => Format::UnixMs,
            spec => Format::Spec(spec),
        };
        Ok(Date { format, zone })
    }

    /// Checks the format's specifiers, and that it writes at most [`MAX_LEN`] bytes.
    pub(crate) fn check(&self) -> Result<(), Bad> {
        let Format::Spec(spec) = self.format else {
            return Ok(());
        };
        let mut width = 0;
        for piece in Pieces(spec, 0) {
            width += match piece {
                Piece::Text(text) => text.len(),
                Piece::Spec(spec, _) => spec.width(),
                Piece::Bad(start, end) => {
                    return Err(Bad {
                        start,
                        end,
                        expected: SPECIFIERS,
                    });
                }
            };
        }
        match width <= MAX_LEN {
            true => Ok(()),
            false => Err(Bad {
                start: 0,
                end: spec.len(),
                expected: "a format that writes at most 64 bytes",
            }),
        }
    }

    /// Writes `instant` to `out`: text of at most [`MAX_LEN`] bytes.
    pub(crate) fn write<W: fmt::Write>(&self, instant: Timestamp, out: &mut W) -> fmt::Result {
        let local = |tz: &TimeZone| (tz.to_datetime(instant), tz.to_offset(instant));
        match self.format {
            Format::Unix => return write!(out, "{}", floor(instant, 1_000_000_000)),
            Format::UnixMs => return write!(out, "{}", floor(instant, 1_000_000)),
            _ => {}
        }
        match &self.zone {
            Zone::Utc => self.write_local(instant, local(&TimeZone::UTC), None, out),
            Zone::Other(tz) => self.write_local(instant, local(tz), Some(tz), out),
        }
    }

    /// Writes the civil time `at`, with its offset, for the instant `instant` of the zone `tz`
    /// (`None` for UTC, whose `iso` form ends in `Z`).
    fn write_local<W: fmt::Write>(
        &self,
        instant: Timestamp,
        (at, offset): (DateTime, Offset),
        tz: Option<&TimeZone>,
        out: &mut W,
    ) -> fmt::Result {
        let fields = Fields {
            instant,
            at,
            offset,
            tz,
        };
        match self.format {
            Format::Iso => {
                fields.spec(Spec::Date, true, out)?;
                out.write_char('T')?;
                fields.spec(Spec::Clock, true, out)?;
                let nanos = at.subsec_nanosecond();
                if nanos != 0 {
                    let mut digits = *b"000000000";
                    let mut n = nanos.unsigned_abs();
                    for digit in digits.iter_mut().rev() {
                        *digit = b'0' + (n % 10) as u8;
                        n /= 10;
                    }
                    let len = 9 - digits.iter().rev().take_while(|&&d| d == b'0').count();
                    out.write_char('.')?;
                    out.write_str(core::str::from_utf8(&digits[..len]).unwrap_or_default())?;
                }
                match tz {
                    None => out.write_char('Z'),
                    Some(_) => fields.spec(Spec::OffsetColon, true, out),
                }
            }
            Format::Spec(format) => {
                for piece in Pieces(format, 0) {
                    match piece {
                        Piece::Text(text) => out.write_str(text)?,
                        Piece::Spec(spec, pad) => fields.spec(spec, pad, out)?,
                        // Checked when the template was parsed.
                        Piece::Bad(..) => return Err(fmt::Error),
                    }
                }
                Ok(())
            }
            Format::Unix | Format::UnixMs => Err(fmt::Error),
        }
    }
}

/// The instant `seconds` after 1970-01-01 UTC, with its fraction; `None` beyond jiff's
/// range, which any offset keeps within the years -9999 to 9999.
pub(crate) fn instant(seconds: Decimal) -> Option<Timestamp> {
    let (mantissa, scale) = (i128::from(seconds.mantissa()), seconds.scale());
    let unit = 10i128.pow(scale);
    let (whole, fraction) = (mantissa.div_euclid(unit), mantissa.rem_euclid(unit));
    let nanos = match scale {
        0..=9 => fraction * 10i128.pow(9 - scale),
        _ => fraction / 10i128.pow(scale - 9),
    };
    let whole = i64::try_from(whole).ok()?;
    let (min, max) = (Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
    if !(min..=max).contains(&whole) {
        return None;
    }
    // In range, checked above: jiff's error, which allocates, is never made.
    Timestamp::new(whole, i32::try_from(nanos).ok()?).ok()
}

/// The whole `unit`s of nanoseconds since 1970-01-01 UTC at `instant`, counted down: the
/// second of -0.25 s is -1, as its civil time, 23:59:59.75, says.
fn floor(instant: Timestamp, unit: i128) -> i128 {
    instant.as_nanosecond().div_euclid(unit)
}

/// The bundled IANA zone `name`, cached by `jiff` after its first load.
fn bundled(name: &str) -> Option<TimeZone> {
    TimeZoneDatabase::bundled().get(name).ok()
}

/// The zone an argument names: `UTC`, an offset, or an IANA name the bundled database has.
fn zone_named(name: &str) -> Option<Zone> {
    if name.eq_ignore_ascii_case("utc") {
        return Some(Zone::Utc);
    }
    if let Some(seconds) = fixed_offset(name) {
        return Some(Zone::Other(TimeZone::fixed(offset(seconds))));
    }
    // Only names: no path, no POSIX rule (`EST5EDT,M3.2.0,M11.1.0` is not one).
    let named = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+'));
    named.then(|| bundled(name)).flatten().map(Zone::Other)
}

/// An offset `+HH`, `+HHMM` or `+HH:MM` (or with `-`), up to 25:59, in seconds.
fn fixed_offset(text: &str) -> Option<i32> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    // Bytes, not text: a digit is one byte, and anything else fails without a slice that
    // could cut a character.
    let digits = |two: &[u8]| -> Option<i32> {
        match two {
            [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some(i32::from((a - b'0') * 10 + (b - b'0'))),
            _ => None,
        }
    };
    let (hours, minutes) = match rest.as_bytes() {
        [h0, h1] => (digits(&[*h0, *h1])?, 0),
        [h0, h1, m0, m1] | [h0, h1, b':', m0, m1] => (digits(&[*h0, *h1])?, digits(&[*m0, *m1])?),
        _ => return None,
    };
    (hours <= 25 && minutes <= 59).then_some(sign * (hours * 3600 + minutes * 60))
}

/// The offset of `seconds`, which [`fixed_offset`] keeps within jiff's range.
fn offset(seconds: i32) -> Offset {
    Offset::from_seconds(seconds).unwrap_or(Offset::UTC)
}

/// What the `%` specifiers write; the message of a bad one.
const SPECIFIERS: &str = "a specifier: %Y %y %m %d %H %I %M %S %j %u %w %p %P %a %A %b %B %z \
                          %:z %Z %s %F %T or %%; %-d, %-m, %-H, %-I, %-M, %-S and %-j write \
                          no leading zero";

/// A `%` specifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spec {
    /// `%Y`: the year in four digits at least, with a `-` before a year before year 0
    /// (`-0001`).
    Year,
    /// `%y`: the year's last two digits.
    YearShort,
    /// `%m`: the month, 01 to 12.
    Month,
    /// `%d`: the day of the month, 01 to 31.
    Day,
    /// `%H`: the hour, 00 to 23.
    Hour,
    /// `%I`: the hour on a 12-hour clock, 01 to 12.
    Hour12,
    /// `%M`: the minute.
    Minute,
    /// `%S`: the second.
    Second,
    /// `%j`: the day of the year, 001 to 366.
    DayOfYear,
    /// `%u`: the weekday, Monday 1 to Sunday 7.
    WeekdayMonday,
    /// `%w`: the weekday, Sunday 0 to Saturday 6.
    WeekdaySunday,
    /// `%p`: `AM` or `PM`.
    AmPm,
    /// `%P`: `am` or `pm`.
    AmPmLower,
    /// `%a`: the weekday's abbreviated English name, `Thu`.
    WeekdayShort,
    /// `%A`: the weekday's English name, `Thursday`.
    WeekdayLong,
    /// `%b`: the month's abbreviated English name, `Dec`.
    MonthShort,
    /// `%B`: the month's English name, `December`.
    MonthLong,
    /// `%z`: the offset, `+0200`.
    Offset,
    /// `%:z`: the offset, `+02:00`.
    OffsetColon,
    /// `%Z`: the zone's abbreviation, `EET`; `UTC` in UTC.
    Abbreviation,
    /// `%s`: seconds since 1970-01-01 UTC.
    Unix,
    /// `%F`: `%Y-%m-%d`.
    Date,
    /// `%T`: `%H:%M:%S`.
    Clock,
    /// `%%`: a `%`.
    Percent,
}

impl Spec {
    /// The specifier after `%` (and `:` for `%:z`), and whether it takes the `-` flag.
    fn of(letter: u8) -> Option<(Spec, bool)> {
        Some(match letter {
            b'Y' => (Spec::Year, false),
            b'y' => (Spec::YearShort, false),
            b'm' => (Spec::Month, true),
            b'd' => (Spec::Day, true),
            b'H' => (Spec::Hour, true),
            b'I' => (Spec::Hour12, true),
            b'M' => (Spec::Minute, true),
            b'S' => (Spec::Second, true),
            b'j' => (Spec::DayOfYear, true),
            b'u' => (Spec::WeekdayMonday, false),
            b'w' => (Spec::WeekdaySunday, false),
            b'p' => (Spec::AmPm, false),
            b'P' => (Spec::AmPmLower, false),
            b'a' => (Spec::WeekdayShort, false),
            b'A' => (Spec::WeekdayLong, false),
            b'b' => (Spec::MonthShort, false),
            b'B' => (Spec::MonthLong, false),
            b'z' => (Spec::Offset, false),
            b'Z' => (Spec::Abbreviation, false),
            b's' => (Spec::Unix, false),
            b'F' => (Spec::Date, false),
            b'T' => (Spec::Clock, false),
            b'%' => (Spec::Percent, false),
            _ => return None,
        })
    }

    /// The most bytes the specifier writes.
    const fn width(self) -> usize {
        match self {
            Spec::Year => 5,
            Spec::DayOfYear => 3,
            Spec::WeekdayMonday | Spec::WeekdaySunday | Spec::Percent => 1,
            Spec::WeekdayShort | Spec::MonthShort => 3,
            Spec::WeekdayLong | Spec::MonthLong => 9,
            Spec::Offset => 7,
            Spec::OffsetColon | Spec::Abbreviation => 9,
            Spec::Unix => 13,
            Spec::Date => 11,
            Spec::Clock => 8,
            _ => 2,
        }
    }
}

/// A piece of a format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece<'a> {
    /// Text written as it is.
    Text(&'a str),
    /// A specifier, and whether its number is padded with zeros.
    Spec(Spec, bool),
    /// A `%` that starts no specifier: the bytes at fault.
    Bad(usize, usize),
}

/// The pieces of a format, from the byte `.1` on.
struct Pieces<'a>(&'a str, usize);

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let (format, at) = (self.0, self.1);
        let rest = format.get(at..).filter(|rest| !rest.is_empty())?;
        let Some(after) = rest.strip_prefix('%') else {
            let len = rest.find('%').unwrap_or(rest.len());
            self.1 += len;
            return Some(Piece::Text(&rest[..len]));
        };
        let bytes = after.as_bytes();
        let (piece, len) = match bytes {
            [b':', b'z', ..] => (Piece::Spec(Spec::OffsetColon, true), 3),
            [b'-', letter, ..] => match Spec::of(*letter) {
                Some((spec, true)) => (Piece::Spec(spec, false), 3),
                _ => (Piece::Bad(at, at + 2 + char_len(&after[1..])), 0),
            },
            [letter, ..] => match Spec::of(*letter) {
                Some((spec, _)) => (Piece::Spec(spec, true), 2),
                None => (Piece::Bad(at, at + 1 + char_len(after)), 0),
            },
            [] => (Piece::Bad(at, at + 1), 0),
        };
        // A bad piece ends the format: it is an error, and nothing after it is read.
        self.1 = if len == 0 { format.len() } else { at + len };
        Some(piece)
    }
}

/// The length in bytes of the first character of `text`, 0 if there is none.
fn char_len(text: &str) -> usize {
    text.chars().next().map_or(0, char::len_utf8)
}

/// The parts of an instant that the specifiers write.
struct Fields<'t> {
    instant: Timestamp,
    at: DateTime,
    offset: Offset,
    tz: Option<&'t TimeZone>,
}

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Fields<'_> {
    /// Writes the specifier `spec`, its number padded with zeros to its width if `pad`.
    fn spec<W: fmt::Write>(&self, spec: Spec, pad: bool, out: &mut W) -> fmt::Result {
        let at = self.at;
        let number = |out: &mut W, n: i16, width: usize| match pad {
            true => write!(out, "{n:0width$}"),
            false => write!(out, "{n}"),
        };
        let weekday = usize::from(at.weekday().to_monday_zero_offset().unsigned_abs());
        let month = usize::from(at.month().unsigned_abs()).saturating_sub(1);
        let hour12 = match at.hour() % 12 {
            0 => 12,
            hour => hour,
        };
        let name = |names: &[&'static str], i: usize| names.get(i).copied().unwrap_or_default();
        match spec {
            Spec::Year if at.year() < 0 => write!(out, "-{:04}", at.year().unsigned_abs()),
            Spec::Year => write!(out, "{:04}", at.year()),
            Spec::YearShort => write!(out, "{:02}", at.year().rem_euclid(100)),
            Spec::Month => number(out, at.month().into(), 2),
            Spec::Day => number(out, at.day().into(), 2),
            Spec::Hour => number(out, at.hour().into(), 2),
            Spec::Hour12 => number(out, hour12.into(), 2),
            Spec::Minute => number(out, at.minute().into(), 2),
            Spec::Second => number(out, at.second().into(), 2),
            Spec::DayOfYear => number(out, at.day_of_year(), 3),
            Spec::WeekdayMonday => write!(out, "{}", weekday + 1),
            Spec::WeekdaySunday => write!(out, "{}", (weekday + 1) % 7),
            Spec::AmPm => out.write_str(if at.hour() < 12 { "AM" } else { "PM" }),
            Spec::AmPmLower => out.write_str(if at.hour() < 12 { "am" } else { "pm" }),
            Spec::WeekdayShort => out.write_str(name(&WEEKDAYS, weekday).get(..3).unwrap_or("")),
            Spec::WeekdayLong => out.write_str(name(&WEEKDAYS, weekday)),
            Spec::MonthShort => out.write_str(name(&MONTHS, month).get(..3).unwrap_or("")),
            Spec::MonthLong => out.write_str(name(&MONTHS, month)),
            Spec::Offset | Spec::OffsetColon => {
                let seconds = self.offset.seconds();
                let sign = if seconds < 0 { '-' } else { '+' };
                let seconds = seconds.unsigned_abs();
                let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
                let colon = if spec == Spec::OffsetColon { ":" } else { "" };
                write!(out, "{sign}{h:02}{colon}{m:02}")?;
                match s {
                    0 => Ok(()),
                    s => write!(out, "{colon}{s:02}"),
                }
            }
            Spec::Abbreviation => match self.tz {
                None => out.write_str("UTC"),
                Some(tz) => out.write_str(tz.to_offset_info(self.instant).abbreviation()),
            },
            Spec::Unix => write!(out, "{}", floor(self.instant, 1_000_000_000)),
            Spec::Date => {
                self.spec(Spec::Year, true, out)?;
                write!(out, "-{:02}-{:02}", at.month(), at.day())
            }
            Spec::Clock => write!(
                out,
                "{:02}:{:02}:{:02}",
                at.hour(),
                at.minute(),
                at.second()
            ),
            Spec::Percent => out.write_char('%'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn written(arg: &str, seconds: &str) -> String {
        let date = Date::read(arg).unwrap();
        let mut out = String::new();
        date.write(instant(seconds.parse().unwrap()).unwrap(), &mut out)
            .unwrap();
        out
    }

    #[test]
    fn formats() {
        // 2026-12-03 05:34:43 UTC, a Thursday; Kyiv is at +02:00 in winter.
        let t = "1796276083";
        assert_eq!(written("iso", t), "2026-12-03T05:34:43Z");
        assert_eq!(written("iso,Europe/Kyiv", t), "2026-12-03T07:34:43+02:00");
        assert_eq!(written("iso", "1796276083.25"), "2026-12-03T05:34:43.25Z");
        assert_eq!(written("unix", "1796276083.9"), "1796276083");
        assert_eq!(written("unix_ms", "1796276083.25"), "1796276083250");
        assert_eq!(
            written("%Y-%m-%d %H:%M:%S,Europe/Kyiv", t),
            "2026-12-03 07:34:43"
        );
        assert_eq!(
            written("%a %A %b %B %j %u %w %y %I%p %P", t),
            "Thu Thursday Dec December 337 4 4 26 05AM am"
        );
        assert_eq!(
            written("%Z %z %:z %s %F %T %%", t),
            "UTC +0000 +00:00 1796276083 2026-12-03 05:34:43 %"
        );
        assert_eq!(
            written("%-d.%-m %-H:%-M:%-S %-j,+05:30", "0"),
            "1.1 5:30:0 1"
        );
        assert_eq!(written("%Z %z,Europe/Kyiv", "1783000000"), "EEST +0300");
        assert_eq!(written("%Y", "-62167219200"), "0000");
        assert_eq!(written("%Y|%y", "-62198755200"), "-0001|99");
    }

    #[test]
    fn instants_beyond_jiffs_range_are_none() {
        let (min, max) = (Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
        assert!(instant(Decimal::from(max)).is_some());
        assert!(instant(Decimal::from(max + 1)).is_none());
        assert!(instant(Decimal::from(min)).is_some());
        assert!(instant(Decimal::new(min * 10 - 5, 1).unwrap()).is_none());
        assert!(instant(Decimal::from(i64::MIN)).is_none());
        // The edges, written in any zone.
        let date = Date::read("iso,+25:59").unwrap();
        for edge in [min, max] {
            let mut out = String::new();
            date.write(instant(Decimal::from(edge)).unwrap(), &mut out)
                .unwrap();
            assert!(out.len() >= 20, "{out}");
        }
        assert_eq!(
            instant("-0.25".parse().unwrap()),
            Timestamp::new(-1, 750_000_000).ok()
        );
    }

    #[test]
    fn bad_arguments_point_at_their_bytes() {
        let bad = |arg: &str| {
            let checked = Date::read(arg).and_then(|date| date.check());
            checked.map_err(|b| (b.start, b.end))
        };
        assert_eq!(bad("%Y-%q"), Err((3, 5)));
        assert_eq!(bad("%Y-%"), Err((3, 4)));
        assert_eq!(bad("%-Y"), Err((0, 3)));
        assert_eq!(bad("%é"), Err((0, 3)));
        assert_eq!(bad("%F,Europe/Kyev"), Err((3, 14)));
        assert_eq!(bad("%a, %d"), Err((3, 6)));
        assert_eq!(bad(",UTC"), Err((0, 0)));
        assert_eq!(bad(&"%B".repeat(8)), Err((0, 16)));
        assert_eq!(bad("%a, %d,UTC"), Ok(()));
        assert_eq!(bad("%F,+03:00"), Ok(()));
        assert_eq!(bad("%F,-0530"), Ok(()));
        assert_eq!(bad("%F,+26"), Err((3, 6)));
        assert_eq!(bad("%F,../etc/passwd"), Err((3, 16)));
        assert_eq!(bad("%B%B%B%B%B%B%B"), Ok(()));
        // Not digits, and not a character cut in two.
        assert_eq!(bad("iso,+1é2"), Err((4, 9)));
        assert_eq!(bad("iso,+€1"), Err((4, 9)));
        assert_eq!(bad("iso,-é"), Err((4, 7)));
    }
}
