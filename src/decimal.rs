//! [`Decimal`], an exact decimal number for payouts, and [`ParseDecimalError`].
//!
//! A payout such as `3.30` is stored as the integer `330` and the scale `2`, so it parses,
//! compares, scales by a percentage and prints back exactly, without passing through a float.

use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::str::FromStr;

use crate::error::Span;

/// An exact decimal number: `mantissa / 10^scale`, with a scale of at most 18.
///
/// The scale is kept as written, so `3.30` prints as `3.30`; equality, ordering and hashing
/// are numeric, so `3.30 == 3.3`.
///
/// # Examples
///
/// ```
/// use postback::Decimal;
///
/// let payout: Decimal = "3.30".parse()?;
/// assert_eq!(payout.to_string(), "3.30");
/// assert_eq!(payout, "3.3".parse::<Decimal>()?);
///
/// let half = payout.percent(Decimal::from(50));
/// assert_eq!(half.map(|d| d.to_string()).as_deref(), Some("1.65"));
/// # Ok::<(), postback::ParseDecimalError>(())
/// ```
///
/// With the `serde` feature, a decimal is a string of plain decimal notation, which keeps its
/// scale; an integer is read too, a number with a fraction is refused:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::Decimal;
///
/// let payout: Decimal = serde_json::from_str(r#""3.30""#)?;
/// assert_eq!(payout.to_string(), "3.30");
/// assert_eq!(serde_json::to_string(&payout)?, r#""3.30""#);
/// assert_eq!(serde_json::from_str::<Decimal>("5")?, Decimal::from(5));
/// assert!(serde_json::from_str::<Decimal>("3.30").is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Default)]
pub struct Decimal {
    mantissa: i64,
    /// Digits after the decimal point, at most `MAX_SCALE`.
    scale: u8,
}

impl Decimal {
    /// The largest scale: 18 digits after the decimal point.
    ///
    /// ```
    /// use postback::Decimal;
    ///
    /// let finest = Decimal::new(1, Decimal::MAX_SCALE).map(|d| d.to_string());
    /// assert_eq!(finest.as_deref(), Some("0.000000000000000001"));
    /// assert!("0.0000000000000000001".parse::<Decimal>().is_err());
    /// ```
    pub const MAX_SCALE: u32 = 18;

    /// Zero, at scale 0.
    ///
    /// ```
    /// use postback::Decimal;
    ///
    /// assert_eq!(Decimal::ZERO.to_string(), "0");
    /// assert_eq!("0.00".parse::<Decimal>()?, Decimal::ZERO);
    /// # Ok::<(), postback::ParseDecimalError>(())
    /// ```
    pub const ZERO: Decimal = Decimal {
        mantissa: 0,
        scale: 0,
    };

    /// The length of the longest text `format` produces, such as `-0.000000000000000001` or
    /// `-9.223372036854775808`: a sign, and either `0.` and 18 digits, or 19 digits and a point.
    pub(crate) const MAX_LEN: usize = 21;

    /// `mantissa / 10^scale`, or `None` if `scale` is greater than [`Decimal::MAX_SCALE`].
    ///
    /// ```
    /// use postback::Decimal;
    ///
    /// let price = Decimal::new(330, 2).ok_or("scale too large")?;
    /// assert_eq!(price.to_string(), "3.30");
    /// assert!(Decimal::new(1, 19).is_none());
    /// # Ok::<(), &str>(())
    /// ```
    pub const fn new(mantissa: i64, scale: u32) -> Option<Decimal> {
        if scale > Self::MAX_SCALE {
            return None;
        }
        // Lossless: `scale <= 18`.
        Some(Decimal {
            mantissa,
            scale: scale as u8,
        })
    }

    /// All the digits, without the point, as an integer: `330` for `3.30`.
    ///
    /// With [`scale`](Decimal::scale), what a tracker stores in two integer columns:
    ///
    /// ```
    /// use postback::Decimal;
    ///
    /// let payout: Decimal = "3.30".parse()?;
    /// let row = (payout.mantissa(), payout.scale());
    /// assert_eq!(row, (330, 2));
    /// assert_eq!(Decimal::new(row.0, row.1).map(|d| d.to_string()).as_deref(), Some("3.30"));
    /// # Ok::<(), postback::ParseDecimalError>(())
    /// ```
    pub const fn mantissa(self) -> i64 {
        self.mantissa
    }

    /// The number of digits after the decimal point: `2` for `3.30`, `0` for `10`.
    ///
    /// ```
    /// use postback::Decimal;
    ///
    /// let scale = |s: &str| s.parse::<Decimal>().map(Decimal::scale);
    /// assert_eq!(scale("3.30")?, 2);
    /// assert_eq!(scale("10")?, 0);
    /// assert_eq!(Decimal::from(10).scale(), 0);
    /// # Ok::<(), postback::ParseDecimalError>(())
    /// ```
    pub const fn scale(self) -> u32 {
        self.scale as u32
    }

    /// The same value without trailing zeros after the decimal point.
    ///
    /// ```
    /// use postback::Decimal;
    ///
    /// let normal = |s: &str| s.parse::<Decimal>().map(|d| d.normalize().to_string());
    /// assert_eq!(normal("3.30")?, "3.3");
    /// assert_eq!(normal("10.00")?, "10");
    /// assert_eq!(normal("100")?, "100");
    /// # Ok::<(), postback::ParseDecimalError>(())
    /// ```
    #[must_use]
    pub const fn normalize(self) -> Decimal {
        let (mut mantissa, mut scale) = (self.mantissa, self.scale);
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        Decimal { mantissa, scale }
    }

    /// Whether the value is zero, at any scale.
    ///
    /// ```
    /// use postback::Decimal;
    ///
    /// assert!("0.00".parse::<Decimal>()?.is_zero());
    /// assert!(!"0.01".parse::<Decimal>()?.is_zero());
    /// # Ok::<(), postback::ParseDecimalError>(())
    /// ```
    pub const fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    /// Whether the value is below zero; `-0` is not.
    ///
    /// ```
    /// use postback::Decimal;
    ///
    /// // A chargeback reported as a negative payout.
    /// assert!("-2.50".parse::<Decimal>()?.is_negative());
    /// assert!(!"-0.00".parse::<Decimal>()?.is_negative());
    /// # Ok::<(), postback::ParseDecimalError>(())
    /// ```
    pub const fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    /// `percent` percent of `self`, exactly: `self * percent / 100`, never rounded.
    ///
    /// The result keeps at least the scale of `self`, so an amount in cents stays in cents,
    /// and has no further trailing zeros. It is `None` if the exact result does not fit:
    /// more than 18 decimal places, or a mantissa beyond `i64`.
    ///
    /// ```
    /// use postback::Decimal;
    ///
    /// let payout: Decimal = "10.00".parse()?;
    /// let share = payout.percent("33".parse()?);
    /// assert_eq!(share.map(|d| d.to_string()).as_deref(), Some("3.30"));
    ///
    /// let tiny: Decimal = "0.000000000000000001".parse()?;
    /// assert_eq!(tiny.percent(Decimal::from(1)), None);
    /// # Ok::<(), postback::ParseDecimalError>(())
    /// ```
    #[must_use]
    pub fn percent(self, percent: Decimal) -> Option<Decimal> {
        // Cannot overflow: both mantissas are at most 2^63 in magnitude, so the product is at
        // most 2^126, and the scale is at most 18 + 18 + 2.
        let mut mantissa = i128::from(self.mantissa) * i128::from(percent.mantissa);
        let mut scale = self.scale() + percent.scale() + 2;
        while scale > self.scale() && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        Decimal::new(i64::try_from(mantissa).ok()?, scale)
    }

    /// The value rounded to at most `places` decimal places, half away from zero: `0.175` to
    /// two places is `0.18`, `-0.125` is `-0.13`, `1.995` is `2.00`. A value with no more
    /// places than that is returned as it is, so `3.3` stays `3.3`: rounding never adds
    /// digits.
    ///
    /// Half away from zero is how PostgreSQL's and MySQL's `ROUND` treat exact decimals, and how
    /// PHP's `round` rounds, so a payout rounded here is the one a tracker's own reports show.
    /// (Half to even would be unbiased over many sums, but each postback reports one amount.)
    ///
    /// ```
    /// use postback::Decimal;
    ///
    /// let round = |s: &str, places| s.parse::<Decimal>().map(|d| d.round(places).to_string());
    /// assert_eq!(round("0.175", 2)?, "0.18");
    /// assert_eq!(round("-0.125", 2)?, "-0.13");
    /// assert_eq!(round("0.165", 2)?, "0.17");
    /// assert_eq!(round("1.995", 2)?, "2.00");
    /// assert_eq!(round("3.3", 2)?, "3.3");
    /// assert_eq!(round("2.5", 0)?, "3");
    /// # Ok::<(), postback::ParseDecimalError>(())
    /// ```
    #[must_use]
    pub const fn round(self, places: u32) -> Decimal {
        if places >= self.scale as u32 {
            return self;
        }
        // `1 <= scale - places <= 18`, so the factor fits an i64 and is even.
        let factor = 10_i64.pow(self.scale as u32 - places);
        let (mut mantissa, rest) = (self.mantissa / factor, self.mantissa % factor);
        // Cannot overflow: dividing by at least 10 leaves room for one more.
        if rest >= factor / 2 {
            mantissa += 1;
        } else if rest <= -(factor / 2) {
            mantissa -= 1;
        }
        // Lossless: `places < scale <= 18`.
        Decimal {
            mantissa,
            scale: places as u8,
        }
    }

    /// The value in units of `10^-18`, the finest scale: the one common denominator for
    /// equality, ordering and hashing.
    fn in_finest_units(self) -> i128 {
        // Cannot overflow: the factor is at most 10^18 (at scale 0) and the mantissa at most
        // 2^63 < 9.3 * 10^18 in magnitude, so the product is below 9.3 * 10^36, inside i128
        // (whose maximum is about 1.7 * 10^38). Scaling by 10^36 would not fit, but two scales
        // never differ by more than 18.
        i128::from(self.mantissa) * 10_i128.pow(Self::MAX_SCALE - self.scale())
    }

    /// Writes the value as plain decimal text into the end of `buf` and returns that text.
    ///
    /// This is `Display` without `core::fmt` and without allocating.
    pub(crate) fn format(self, buf: &mut [u8; Self::MAX_LEN]) -> &str {
        let negative = self.mantissa < 0;
        plain(
            buf,
            self.mantissa.unsigned_abs(),
            self.scale.into(),
            negative,
        )
    }
}

/// The length of the longest integer's text: `-9223372036854775808`, or the 20 digits of
/// `u64::MAX`.
pub(crate) const INTEGER_LEN: usize = 20;

/// Writes `magnitude` in plain decimal notation into the end of `buf`, with a `.` before its
/// last `scale` digits (and as many zeros as that needs) and a `-` first if `negative`, and
/// returns that text. The one writer of digits: integers are written with a scale of 0,
/// decimals with theirs.
///
/// Bytes that would not fit in `buf` are dropped from the front: the callers' buffers
/// ([`INTEGER_LEN`], [`Decimal::MAX_LEN`]) hold their longest number whole.
pub(crate) fn plain<const N: usize>(
    buf: &mut [u8; N],
    mut magnitude: u64,
    scale: u32,
    negative: bool,
) -> &str {
    fn last_digit(n: u64) -> u8 {
        // Lossless: `n % 10 < 10`.
        b'0' + (n % 10) as u8
    }

    let mut free = buf.iter_mut().rev();
    let mut push = |byte| {
        if let Some(slot) = free.next() {
            *slot = byte;
        }
    };
    for _ in 0..scale {
        push(last_digit(magnitude));
        magnitude /= 10;
    }
    if scale > 0 {
        push(b'.');
    }
    loop {
        push(last_digit(magnitude));
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    if negative {
        push(b'-');
    }
    let start = free.len();
    let text = buf.get(start..).unwrap_or_default();
    // Cannot fail: every byte written is an ASCII digit, '.' or '-'.
    core::str::from_utf8(text).unwrap_or_default()
}

macro_rules! from_integer {
    ($($int:ty)*) => {$(
        impl From<$int> for Decimal {
            fn from(n: $int) -> Decimal {
                Decimal { mantissa: i64::from(n), scale: 0 }
            }
        }
    )*};
}

from_integer!(i8 i16 i32 i64 u8 u16 u32);

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.in_finest_units() == other.in_finest_units()
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        self.in_finest_units().cmp(&other.in_finest_units())
    }
}

impl Hash for Decimal {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.in_finest_units().hash(state);
    }
}

impl fmt::Display for Decimal {
    /// `123.45`, `0.00003`, `-1.5`: all digits of the scale, never an exponent.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.format(&mut [0; Decimal::MAX_LEN]))
    }
}

impl fmt::Debug for Decimal {
    /// `Decimal(3.30)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({self})")
    }
}

impl FromStr for Decimal {
    type Err = ParseDecimalError;

    /// Parses `-?[0-9]+(\.[0-9]+)?`; the scale is the number of digits after the point.
    ///
    /// Syntax is checked before range, so a malformed string is reported as malformed even
    /// if its digits are also too many.
    fn from_str(s: &str) -> Result<Decimal, ParseDecimalError> {
        use DecimalErrorKind::{Empty, OutOfRange, TooPrecise, Unexpected};

        if s.is_empty() {
            return Err(ParseDecimalError::new(Empty, 0));
        }
        let negative = s.starts_with('-');
        let int_end = digits_end(s, usize::from(negative))?;
        let (end, places) = if s.as_bytes().get(int_end) == Some(&b'.') {
            let end = digits_end(s, int_end + 1)?;
            (end, end - (int_end + 1))
        } else {
            (int_end, 0)
        };
        if let Some(c) = s.get(end..).and_then(|rest| rest.chars().next()) {
            return Err(ParseDecimalError::new(Unexpected(c), end));
        }

        let scale = u8::try_from(places).ok();
        let Some(scale) = scale.filter(|&scale| u32::from(scale) <= Decimal::MAX_SCALE) else {
            let first_extra = int_end + 1 + Decimal::MAX_SCALE as usize;
            return Err(ParseDecimalError::new(TooPrecise, first_extra));
        };
        // Accumulating with the sign reaches `i64::MIN` without passing through `-i64::MIN`.
        let sign = if negative { -1 } else { 1 };
        let mut mantissa: i64 = 0;
        // After the syntax check, the digits of `s` are exactly the digits of the mantissa.
        for (at, byte) in s.bytes().enumerate().filter(|(_, b)| b.is_ascii_digit()) {
            let digit = i64::from(byte - b'0');
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(sign * digit))
                .ok_or(ParseDecimalError::new(OutOfRange, at))?;
        }
        Ok(Decimal { mantissa, scale })
    }
}

/// The end of the run of ASCII digits at byte `start` of `s`, which must not be empty.
fn digits_end(s: &str, start: usize) -> Result<usize, ParseDecimalError> {
    let rest = s.get(start..).unwrap_or_default();
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        return Ok(start + digits);
    }
    let kind = match rest.chars().next() {
        Some(c) => DecimalErrorKind::Unexpected(c),
        None => DecimalErrorKind::MissingDigits,
    };
    Err(ParseDecimalError::new(kind, start))
}

impl TryFrom<&str> for Decimal {
    type Error = ParseDecimalError;

    fn try_from(s: &str) -> Result<Decimal, ParseDecimalError> {
        s.parse()
    }
}

/// The error from parsing a [`Decimal`]: what is wrong, and where.
///
/// ```
/// use postback::Decimal;
///
/// // A payout typed with a decimal comma.
/// let err = "1,50".parse::<Decimal>().unwrap_err();
/// assert_eq!(err.to_string(), r#"unexpected "," at byte 1 in decimal"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ParseDecimalError {
    kind: DecimalErrorKind,
    at: usize,
}

impl ParseDecimalError {
    const fn new(kind: DecimalErrorKind, at: usize) -> ParseDecimalError {
        ParseDecimalError { kind, at }
    }

    /// What is wrong.
    ///
    /// ```
    /// use postback::{Decimal, DecimalErrorKind};
    ///
    /// let kind = |s: &str| s.parse::<Decimal>().unwrap_err().kind();
    /// assert_eq!(kind("1e3"), DecimalErrorKind::Unexpected('e'));
    /// assert_eq!(kind("3."), DecimalErrorKind::MissingDigits);
    /// assert_eq!(kind(""), DecimalErrorKind::Empty);
    /// ```
    pub const fn kind(&self) -> DecimalErrorKind {
        self.kind
    }

    /// Where in the input the problem is, in bytes, as [`ParseError::span`](crate::ParseError::span)
    /// says it for a template: the unexpected character, the first decimal place too many, or
    /// the digit that took the mantissa out of range; an empty span at the end where digits
    /// are missing, and at 0 for an empty input.
    ///
    /// ```
    /// use postback::Decimal;
    ///
    /// let err = "12.5x".parse::<Decimal>().unwrap_err();
    /// assert_eq!(err.span().range(), 4..5);
    /// let err = "12.".parse::<Decimal>().unwrap_err();
    /// assert_eq!(err.span().range(), 3..3);
    /// ```
    pub const fn span(&self) -> Span {
        let len = match self.kind {
            DecimalErrorKind::Unexpected(c) => c.len_utf8(),
            DecimalErrorKind::TooPrecise | DecimalErrorKind::OutOfRange => 1,
            DecimalErrorKind::Empty | DecimalErrorKind::MissingDigits => 0,
        };
        Span::new(self.at, self.at + len)
    }
}

impl fmt::Display for ParseDecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            DecimalErrorKind::Empty => f.write_str("empty decimal"),
            DecimalErrorKind::Unexpected(c) => {
                let (c, at) = (c.escape_debug(), self.at);
                write!(f, "unexpected \"{c}\" at byte {at} in decimal")
            }
            DecimalErrorKind::MissingDigits => {
                write!(f, "missing digits at byte {} in decimal", self.at)
            }
            DecimalErrorKind::TooPrecise => {
                let max = Decimal::MAX_SCALE;
                write!(f, "more than {max} decimal places in decimal")
            }
            DecimalErrorKind::OutOfRange => f.write_str("decimal out of range"),
        }
    }
}

impl core::error::Error for ParseDecimalError {}

/// What is wrong with a string that failed to parse as a [`Decimal`].
///
/// ```
/// use postback::{Decimal, DecimalErrorKind};
///
/// let kinds: Vec<DecimalErrorKind> = ["+5", "0.1234567890123456789", "99999999999999999999"]
///     .iter()
///     .map(|s| s.parse::<Decimal>().unwrap_err().kind())
///     .collect();
/// assert_eq!(kinds, [
///     DecimalErrorKind::Unexpected('+'),
///     DecimalErrorKind::TooPrecise,
///     DecimalErrorKind::OutOfRange,
/// ]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecimalErrorKind {
    /// The string is empty.
    Empty,
    /// A character that cannot appear where it was found: `+`, an exponent, whitespace, a
    /// second point, a non-ASCII digit, or a point with no digit before it.
    Unexpected(char),
    /// The string ends where digits are required: after `-` or after the point.
    MissingDigits,
    /// More than [`Decimal::MAX_SCALE`] digits after the point.
    TooPrecise,
    /// The mantissa, all the digits without the point, does not fit in an `i64`.
    OutOfRange,
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;
    use alloc::{format, vec};
    use core::cmp::Ordering::{Equal, Greater, Less};

    #[track_caller]
    fn dec(s: &str) -> Decimal {
        match s.parse() {
            Ok(d) => d,
            Err(e) => panic!("{s:?} should parse: {e}"),
        }
    }

    /// A hasher that records what it is fed, so that two hashes compare exactly.
    #[derive(Default)]
    struct Recorder(Vec<u8>);

    impl Hasher for Recorder {
        fn finish(&self) -> u64 {
            0
        }

        fn write(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
    }

    fn hash_of(d: Decimal) -> Vec<u8> {
        let mut hasher = Recorder::default();
        d.hash(&mut hasher);
        hasher.0
    }

    #[test]
    fn writes_integers() {
        let buf = &mut [0; INTEGER_LEN];
        assert_eq!(plain(buf, 0, 0, false), "0");
        assert_eq!(plain(buf, 7, 0, true), "-7");
        assert_eq!(plain(buf, u64::MAX, 0, false), "18446744073709551615");
        assert_eq!(
            plain(buf, i64::MIN.unsigned_abs(), 0, true),
            "-9223372036854775808"
        );
    }

    #[test]
    fn formats_plain_digits() {
        let cases = [
            (12345, 2, "123.45"),
            (3, 5, "0.00003"),
            (330, 2, "3.30"),
            (-15, 1, "-1.5"),
            (-5, 3, "-0.005"),
            (0, 2, "0.00"),
            (0, 0, "0"),
            (10, 0, "10"),
            (1234, 4, "0.1234"),
            (-1, 18, "-0.000000000000000001"),
            (i64::MAX, 0, "9223372036854775807"),
            (i64::MIN, 0, "-9223372036854775808"),
            (i64::MAX, 18, "9.223372036854775807"),
            (i64::MIN, 18, "-9.223372036854775808"),
        ];
        for (mantissa, scale, expected) in cases {
            let d = Decimal::new(mantissa, scale).expect("valid scale");
            assert_eq!(d.to_string(), expected, "({mantissa}, {scale})");
            assert_eq!(d.format(&mut [0; Decimal::MAX_LEN]), expected);
            assert_eq!(format!("{d:?}"), format!("Decimal({expected})"));
        }
        // `MAX_LEN` is tight: the longest texts fill the buffer.
        assert!(
            cases
                .iter()
                .any(|&(.., text)| text.len() == Decimal::MAX_LEN)
        );
    }

    #[test]
    fn parses_plain_decimals() {
        let cases = [
            ("0", 0, 0),
            ("-0", 0, 0),
            ("007", 7, 0),
            ("00.50", 50, 2),
            ("3.30", 330, 2),
            ("-1.5", -15, 1),
            ("0.00", 0, 2),
            ("-0.00", 0, 2),
            ("000000000000000000000000000001", 1, 0),
            ("0.000000000000000001", 1, 18),
            ("9223372036854775807", i64::MAX, 0),
            ("-9223372036854775808", i64::MIN, 0),
            ("-9.223372036854775808", i64::MIN, 18),
        ];
        for (input, mantissa, scale) in cases {
            let d = dec(input);
            assert_eq!((d.mantissa(), d.scale()), (mantissa, scale), "{input:?}");
            assert_eq!(
                Decimal::try_from(input).map(Decimal::mantissa),
                Ok(mantissa)
            );
        }
    }

    #[test]
    fn rejects_everything_else_precisely() {
        use DecimalErrorKind::*;
        #[rustfmt::skip]
        let cases = [
            ("",      Empty,           0, "empty decimal"),
            ("-",     MissingDigits,   1, "missing digits at byte 1 in decimal"),
            ("1.",    MissingDigits,   2, "missing digits at byte 2 in decimal"),
            ("-1.",   MissingDigits,   3, "missing digits at byte 3 in decimal"),
            (".5",    Unexpected('.'), 0, r#"unexpected "." at byte 0 in decimal"#),
            ("-.5",   Unexpected('.'), 1, r#"unexpected "." at byte 1 in decimal"#),
            ("+1",    Unexpected('+'), 0, r#"unexpected "+" at byte 0 in decimal"#),
            ("1e5",   Unexpected('e'), 1, r#"unexpected "e" at byte 1 in decimal"#),
            ("1,5",   Unexpected(','), 1, r#"unexpected "," at byte 1 in decimal"#),
            ("1.2.3", Unexpected('.'), 3, r#"unexpected "." at byte 3 in decimal"#),
            ("1.x",   Unexpected('x'), 2, r#"unexpected "x" at byte 2 in decimal"#),
            ("--1",   Unexpected('-'), 1, r#"unexpected "-" at byte 1 in decimal"#),
            (" 1",    Unexpected(' '), 0, r#"unexpected " " at byte 0 in decimal"#),
            ("1 ",    Unexpected(' '), 1, r#"unexpected " " at byte 1 in decimal"#),
            ("1\t",   Unexpected('\t'), 1, r#"unexpected "\t" at byte 1 in decimal"#),
            ("1\"",   Unexpected('"'), 1, r#"unexpected "\"" at byte 1 in decimal"#),
            ("١",     Unexpected('١'), 0, r#"unexpected "١" at byte 0 in decimal"#),
            ("1١",    Unexpected('١'), 1, r#"unexpected "١" at byte 1 in decimal"#),
            ("inf",   Unexpected('i'), 0, r#"unexpected "i" at byte 0 in decimal"#),
            // Syntax is checked before range.
            ("99999999999999999999x", Unexpected('x'), 20, r#"unexpected "x" at byte 20 in decimal"#),
            // Precision is checked before range: this mantissa would not fit either.
            ("1.0000000000000000000", TooPrecise, 20, "more than 18 decimal places in decimal"),
            ("0.0000000000000000001", TooPrecise, 20, "more than 18 decimal places in decimal"),
            ("9223372036854775808",   OutOfRange, 18, "decimal out of range"),
            ("-9223372036854775809",  OutOfRange, 19, "decimal out of range"),
            ("92233720368547758.080", OutOfRange, 19, "decimal out of range"),
        ];
        for (input, kind, position, message) in cases {
            let error = input.parse::<Decimal>().expect_err(input);
            assert_eq!(
                (error.kind(), error.span().start),
                (kind, position),
                "{input:?}"
            );
            // The span is the character at fault: a digit, or the unexpected one; or nothing.
            let text = &input[error.span().range()];
            match kind {
                Unexpected(c) => assert_eq!(text.chars().collect::<Vec<_>>(), [c], "{input:?}"),
                TooPrecise | OutOfRange => assert!(
                    text.len() == 1 && text.as_bytes()[0].is_ascii_digit(),
                    "{input:?}"
                ),
                _ => assert_eq!(text, "", "{input:?}"),
            }
            assert_eq!(error.to_string(), message, "{input:?}");
        }
    }

    #[test]
    fn equality_order_and_hash_are_numeric() {
        let cases = [
            ("3.30", "3.3", Equal),
            ("-0", "0", Equal),
            ("0.00", "-0.0", Equal),
            ("10.00", "10", Equal),
            ("0.1", "0.100000000000000000", Equal),
            ("1", "1.01", Less),
            ("-1", "-1.01", Greater),
            ("-0.000000000000000001", "0", Less),
            ("9223372036854775807", "9.223372036854775807", Greater),
            ("-9223372036854775808", "-9.223372036854775808", Less),
            ("9223372036854775807", "-9223372036854775808", Greater),
            ("0.000000000000000001", "-9223372036854775808", Greater),
        ];
        for (a, b, expected) in cases {
            let (a, b) = (dec(a), dec(b));
            assert_eq!(a.cmp(&b), expected, "{a:?} vs {b:?}");
            assert_eq!(b.cmp(&a), expected.reverse(), "{b:?} vs {a:?}");
            assert_eq!(a.partial_cmp(&b), Some(expected), "{a:?} vs {b:?}");
            assert_eq!(a == b, expected == Equal, "{a:?} vs {b:?}");
            if a == b {
                assert_eq!(hash_of(a), hash_of(b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn percent_is_exact() {
        let cases = [
            ("10.00", "33", Some("3.30")),
            ("0.00003", "50", Some("0.000015")),
            ("7", "50", Some("3.5")),
            ("10", "100", Some("10")),
            ("10.00", "0", Some("0.00")),
            ("1", "33.5", Some("0.335")),
            ("-4", "50", Some("-2")),
            ("4", "-12.5", Some("-0.5")),
            ("9223372036854775807", "0.01", Some("922337203685477.5807")),
            ("-9223372036854775808", "100", Some("-9223372036854775808")),
            ("0.0000000000000001", "1", Some("0.000000000000000001")),
            ("0.000000000000000001", "1", None),
            ("0.000000000000000001", "0.000000000000000001", None),
            ("9223372036854775807", "200", None),
            ("-9223372036854775808", "-9223372036854775808", None),
        ];
        for (value, percent, expected) in cases {
            let result = dec(value).percent(dec(percent)).map(|d| d.to_string());
            assert_eq!(result.as_deref(), expected, "{value} at {percent}%");
        }
    }

    #[test]
    fn round_is_half_away_from_zero() {
        #[rustfmt::skip]
        let cases = [
            ("0.175", 2, "0.18"),
            ("0.165", 2, "0.17"),
            ("0.164", 2, "0.16"),
            ("-0.175", 2, "-0.18"),
            ("-0.174", 2, "-0.17"),
            ("0.005", 2, "0.01"),
            ("-0.005", 2, "-0.01"),
            ("0.0049", 2, "0.00"),
            ("1.995", 2, "2.00"),
            ("9.5", 0, "10"),
            ("-9.5", 0, "-10"),
            ("3.30", 2, "3.30"),
            ("3.3", 2, "3.3"),
            ("7", 0, "7"),
            ("7", 18, "7"),
            ("0.000000000000000001", 17, "0.00000000000000000"),
            ("0.000000000000000005", 17, "0.00000000000000001"),
            ("9.223372036854775807", 0, "9"),
            ("-9.223372036854775808", 17, "-9.22337203685477581"),
            ("922337203685477580.7", 0, "922337203685477581"),
            ("-922337203685477580.8", 0, "-922337203685477581"),
        ];
        for (value, places, expected) in cases {
            assert_eq!(
                dec(value).round(places).to_string(),
                expected,
                "{value} to {places}"
            );
        }
    }

    #[test]
    fn normalize_drops_trailing_fraction_zeros() {
        let cases = [
            ("3.30", "3.3"),
            ("10.00", "10"),
            ("100", "100"),
            ("0.00", "0"),
            ("-1.500", "-1.5"),
            ("0.000000000000000010", "0.00000000000000001"),
            ("-9.223372036854775808", "-9.223372036854775808"),
        ];
        for (input, expected) in cases {
            let normal = dec(input).normalize();
            assert_eq!(normal.to_string(), expected, "{input:?}");
            assert_eq!(normal, dec(input), "{input:?}");
        }
        assert_eq!(Decimal::ZERO.normalize().to_string(), "0");
    }

    #[test]
    fn constructors_and_predicates() {
        assert_eq!(
            Decimal::new(1, Decimal::MAX_SCALE).map(Decimal::scale),
            Some(18)
        );
        assert!(Decimal::new(1, Decimal::MAX_SCALE + 1).is_none());
        assert!(Decimal::new(0, u32::MAX).is_none());
        assert_eq!(Decimal::default().to_string(), "0");
        assert_eq!(Decimal::from(i8::MIN).to_string(), "-128");
        assert_eq!(Decimal::from(u32::MAX).to_string(), "4294967295");
        assert_eq!(Decimal::from(i64::MIN).to_string(), "-9223372036854775808");
        assert_eq!(Decimal::from(7_u8).scale(), 0);
        assert!(Decimal::ZERO.is_zero() && dec("-0.00").is_zero());
        assert!(!dec("0.01").is_zero());
        assert!(dec("-0.01").is_negative());
        assert!(!dec("-0").is_negative() && !Decimal::ZERO.is_negative());
    }

    #[test]
    fn error_is_an_error() {
        fn assert_error<E: core::error::Error + Send + Sync + 'static>() {}
        assert_error::<ParseDecimalError>();
    }

    #[test]
    fn display_round_trips_through_parse() {
        let mut mantissas = vec![0, 1, -1, i64::MIN, i64::MIN + 1, i64::MAX, i64::MAX - 1];
        let mut power: i64 = 1;
        for _ in 0..=Decimal::MAX_SCALE {
            mantissas.extend([power, -power, power - 1, 1 - power, power + 1, -power - 1]);
            power = power.saturating_mul(10);
        }
        // xorshift64, shifted right by a varying amount to get numbers of every length.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..120 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            mantissas.push(state as i64 >> (state % 64));
        }

        let hundred = Decimal::from(100);
        let mut checked = 0;
        for &mantissa in &mantissas {
            for scale in 0..=Decimal::MAX_SCALE {
                let d = Decimal::new(mantissa, scale).expect("valid scale");
                let text = d.to_string();
                let back = dec(&text);
                assert_eq!((back.mantissa(), back.scale()), (mantissa, scale), "{text}");

                let normal = d.normalize();
                assert_eq!(normal, d, "{text}");
                assert_eq!(hash_of(normal), hash_of(d), "{text}");
                let whole = d.percent(hundred).map(|p| (p.mantissa(), p.scale()));
                assert_eq!(whole, Some((mantissa, scale)), "{text} at 100%");
                checked += 1;
            }
        }
        assert!(checked > 4000, "{checked}");
    }
}
