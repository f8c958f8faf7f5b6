//! [`TokenSource`], the host's side of expansion, and the [`Value`]s it answers with.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::marker::PhantomData;

use crate::decimal::{INTEGER_LEN, plain};
use crate::{Decimal, Token};

/// Where expansion gets the value of each token: the host tracker's click and conversion.
///
/// Expansion calls [`value`](TokenSource::value) once for every token of the template, in
/// order, and never for escapes or literal text. A token without a value gets `None`; what is
/// written then is the template's [`Missing`](crate::Missing) policy, or an error from the
/// checked expansion.
///
/// Implement it for the tracker's own click and conversion types, or use a ready-made source:
/// a closure ([`from_fn`]), a map or a slice of `(name, value)` pairs keyed by the token's
/// canonical `Display` form (`externalid`, `t3`, `tName:zoneid`).
///
/// ```
/// use postback::{Decimal, Template, Token, TokenSource, Value};
///
/// struct Conversion<'a> {
///     external_id: &'a str,
///     payout: Decimal,
/// }
///
/// impl TokenSource for Conversion<'_> {
///     fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
///         match token {
///             Token::ExternalId => Some(Value::Str(self.external_id)),
///             Token::Payout => Some(Value::Decimal(self.payout)),
///             _ => None,
///         }
///     }
/// }
///
/// let template = Template::parse("https://t.example/pb?id={externalid}&sum={payout}")?;
/// let conversion = Conversion { external_id: "a b", payout: "3.30".parse().unwrap() };
/// assert_eq!(template.expand(&conversion), "https://t.example/pb?id=a%20b&sum=3.30");
/// # Ok::<(), postback::ParseError>(())
/// ```
pub trait TokenSource {
    /// The value of `token` for this click and conversion, or `None` when it has none.
    ///
    /// Expansion calls it; a host's test can too:
    ///
    /// ```
    /// use postback::{Token, TokenSource, Value};
    ///
    /// let conversion = [("externalid", "ck-1"), ("payout", "0.50")];
    /// assert_eq!(conversion.value(&Token::ExternalId), Some(Value::Str("ck-1")));
    /// assert_eq!(conversion.value(&Token::ClickId), None);
    /// ```
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>>;
}

/// The value of a token, as a [`TokenSource`] supplies it.
///
/// Text ([`Str`](Value::Str)) is percent-encoded for the token's place in the URL. Numbers are
/// written in plain decimal notation, never in exponent form, and need no encoding.
///
/// ```
/// use postback::{Template, Value};
///
/// let template = Template::parse(
///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}&zone={t1}&r={t2}",
/// )?;
/// let conversion = [
///     ("externalid", Value::Str("ck 7/8")),
///     ("payout", Value::Decimal("0.50".parse()?)),
///     ("t1", Value::from(4012_u32)),
///     ("t2", Value::Raw("a%20b")),
/// ];
/// assert_eq!(
///     template.expand(&conversion),
///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag=ck%207%2F8&value=0.50&zone=4012&r=a%20b",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Value<'a> {
    /// Text, percent-encoded on the way out: every byte outside `A-Z a-z 0-9 - . _ ~` (a
    /// host name's `:` aside in the authority) becomes `%XX`.
    Str(&'a str),
    /// Text inserted exactly as it is, for values the host has encoded already. It bypasses
    /// every guarantee of this crate: only use it for text the host controls.
    Raw(&'a str),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A float, written in the shortest form that reads back to the same float
    /// (`0.1`, `1000000`, `0.0000001`). Infinite and NaN floats are not usable values.
    Float(f64),
    /// An exact decimal, written with its own scale: a payout of `3.30` stays `3.30`.
    Decimal(Decimal),
}

impl Value<'_> {
    /// Writes the value as it is: numbers in plain decimal notation, text unencoded. What
    /// expansion writes for a number, and what `map` compares a number's text with.
    #[inline(always)]
    pub(crate) fn write_plain<W: fmt::Write + ?Sized>(self, out: &mut W) -> fmt::Result {
        match self {
            Value::Str(text) | Value::Raw(text) => out.write_str(text),
            Value::Int(n) => {
                out.write_str(plain(&mut [0; INTEGER_LEN], n.unsigned_abs(), 0, n < 0))
            }
            Value::UInt(n) => out.write_str(plain(&mut [0; INTEGER_LEN], n, 0, false)),
            // `Display` for floats never uses exponent form: 1e21 is written in full.
            Value::Float(x) => write!(out, "{x}"),
            Value::Decimal(d) => out.write_str(d.format(&mut [0; Decimal::MAX_LEN])),
        }
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(text: &'a str) -> Value<'a> {
        Value::Str(text)
    }
}

impl<'a> From<&'a String> for Value<'a> {
    fn from(text: &'a String) -> Value<'a> {
        Value::Str(text)
    }
}

macro_rules! from_integers {
    ($variant:ident: $($int:ty),+) => {$(
        impl From<$int> for Value<'_> {
            fn from(n: $int) -> Self {
                Value::$variant(n.into())
            }
        }
    )+};
}
from_integers!(Int: i8, i16, i32, i64);
from_integers!(UInt: u8, u16, u32, u64);

impl From<f64> for Value<'_> {
    fn from(x: f64) -> Self {
        Value::Float(x)
    }
}

impl From<f32> for Value<'_> {
    fn from(x: f32) -> Self {
        Value::Float(x.into())
    }
}

impl From<Decimal> for Value<'_> {
    fn from(d: Decimal) -> Self {
        Value::Decimal(d)
    }
}

/// Something that can be viewed as a [`Value`]: the value type of maps and slices of pairs
/// used as a [`TokenSource`].
///
/// ```
/// use std::collections::BTreeMap;
/// use postback::Template;
///
/// // A click as a tracker loaded it: owned strings, keyed by token.
/// let mut click: BTreeMap<String, String> = BTreeMap::new();
/// click.insert("externalid".into(), "ck 1".into());
/// click.insert("tName:zoneid".into(), "4012".into());
/// let template = Template::parse("https://t.example/pb?id={externalid}&zone={tName:zoneid}")?;
/// assert_eq!(template.expand(&click), "https://t.example/pb?id=ck%201&zone=4012");
/// # Ok::<(), postback::ParseError>(())
/// ```
pub trait AsValue {
    /// This as a value, borrowing text.
    ///
    /// ```
    /// use postback::{AsValue, Decimal, Value};
    ///
    /// assert_eq!(String::from("ck-1").as_value(), Value::Str("ck-1"));
    /// assert_eq!(4012_u32.as_value(), Value::UInt(4012));
    /// assert_eq!(Decimal::from(3).as_value(), Value::Decimal(Decimal::from(3)));
    /// ```
    fn as_value(&self) -> Value<'_>;
}

impl AsValue for Value<'_> {
    fn as_value(&self) -> Value<'_> {
        *self
    }
}

impl AsValue for str {
    fn as_value(&self) -> Value<'_> {
        Value::Str(self)
    }
}

impl AsValue for String {
    fn as_value(&self) -> Value<'_> {
        Value::Str(self)
    }
}

impl AsValue for Cow<'_, str> {
    fn as_value(&self) -> Value<'_> {
        Value::Str(self)
    }
}

impl<T: AsValue + ?Sized> AsValue for &T {
    fn as_value(&self) -> Value<'_> {
        (**self).as_value()
    }
}

impl<T: AsValue + ?Sized> AsValue for Box<T> {
    fn as_value(&self) -> Value<'_> {
        (**self).as_value()
    }
}

macro_rules! as_value_by_copy {
    ($($t:ty),+) => {$(
        impl AsValue for $t {
            fn as_value(&self) -> Value<'_> {
                Value::from(*self)
            }
        }
    )+};
}
as_value_by_copy!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, Decimal);

impl<T: TokenSource + ?Sized> TokenSource for &T {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        (**self).value(token)
    }
}

impl<T: TokenSource + ?Sized> TokenSource for Box<T> {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        (**self).value(token)
    }
}

/// Whether `key` is the canonical `Display` form of `token` (`tName:zoneid`), compared without
/// allocating.
fn is_key(key: &str, token: &Token<'_>) -> bool {
    let name = token.name();
    match (key.strip_prefix(name), token.argument()) {
        (Some(rest), None) => rest.is_empty(),
        (Some(rest), Some(arg)) => rest.strip_prefix(':') == Some(arg),
        (None, _) => false,
    }
}

/// The canonical `Display` form of `token`, borrowed when it is just the name.
#[cfg(feature = "std")]
fn key<'t>(token: &Token<'t>) -> Cow<'t, str> {
    match token.argument() {
        None => Cow::Borrowed(token.name()),
        Some(_) => Cow::Owned(alloc::format!("{token}")),
    }
}

/// Pairs of a token's canonical `Display` form and its value; the first pair that matches
/// wins.
impl<K: AsRef<str>, V: AsValue> TokenSource for [(K, V)] {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        self.iter()
            .find(|(key, _)| is_key(key.as_ref(), token))
            .map(|(_, value)| value.as_value())
    }
}

/// Pairs of a token's canonical `Display` form and its value; the first pair that matches
/// wins.
impl<K: AsRef<str>, V: AsValue, const N: usize> TokenSource for [(K, V); N] {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        self.as_slice().value(token)
    }
}

/// Pairs of a token's canonical `Display` form and its value; the first pair that matches
/// wins.
impl<K: AsRef<str>, V: AsValue> TokenSource for Vec<(K, V)> {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        self.as_slice().value(token)
    }
}

/// Values keyed by the token's canonical `Display` form. Tokens with an argument
/// (`tName:zoneid`) are looked up without allocating.
impl<K: Borrow<str> + Ord, V: AsValue> TokenSource for BTreeMap<K, V> {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        use core::ops::Bound;
        let found = match token.argument() {
            None => self.get(token.name()),
            Some(_) => {
                let name = token.name();
                self.range::<str, _>((Bound::Included(name), Bound::Unbounded))
                    .take_while(|(key, _)| (*key).borrow().starts_with(name))
                    .find(|(key, _)| is_key((*key).borrow(), token))
                    .map(|(_, value)| value)
            }
        };
        found.map(AsValue::as_value)
    }
}

/// Values keyed by the token's canonical `Display` form. Tokens with an argument
/// (`tName:zoneid`) build their key in a `String`.
#[cfg(feature = "std")]
impl<K, V, S> TokenSource for std::collections::HashMap<K, V, S>
where
    K: Borrow<str> + core::hash::Hash + Eq,
    V: AsValue,
    S: core::hash::BuildHasher,
{
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        self.get(&*key(token)).map(AsValue::as_value)
    }
}

/// A [`TokenSource`] made of a closure: see [`from_fn`].
///
/// It stands wherever the ready-made sources do, behind `&dyn TokenSource` too:
///
/// ```
/// use postback::{Template, Token, TokenSource, Value, from_fn};
///
/// let sources: [&dyn TokenSource; 2] = [
///     &from_fn(|token| (*token == Token::ExternalId).then_some(Value::Str("ck-1"))),
///     &[("externalid", "ck-2")],
/// ];
/// let template = Template::parse("https://t.example/pb?id={externalid}")?;
/// let urls: Vec<String> = sources.iter().map(|source| template.expand(source)).collect();
/// assert_eq!(urls, ["https://t.example/pb?id=ck-1", "https://t.example/pb?id=ck-2"]);
/// # Ok::<(), postback::ParseError>(())
/// ```
pub struct FromFn<'v, F> {
    f: F,
    values: PhantomData<&'v ()>,
}

/// A [`TokenSource`] that calls `f` for every token: the least ceremony for tests and small
/// hosts. The values may borrow from anything that outlives the source.
///
/// ```
/// use postback::{Template, Token, Value, from_fn};
///
/// let external_id = String::from("ex 1");
/// let source = from_fn(|token| match token {
///     Token::ExternalId => Some(Value::Str(&external_id)),
///     Token::Payout => Some(Value::Int(5)),
///     _ => None,
/// });
/// let template = Template::parse("https://t.example/?id={externalid}&p={payout}")?;
/// assert_eq!(template.expand(&source), "https://t.example/?id=ex%201&p=5");
/// # Ok::<(), postback::ParseError>(())
/// ```
pub fn from_fn<'v, F>(f: F) -> FromFn<'v, F>
where
    F: Fn(&Token<'_>) -> Option<Value<'v>>,
{
    FromFn {
        f,
        values: PhantomData,
    }
}

impl<'v, F> TokenSource for FromFn<'v, F>
where
    F: Fn(&Token<'_>) -> Option<Value<'v>>,
{
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        (self.f)(token)
    }
}

impl<F> fmt::Debug for FromFn<'_, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FromFn").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Slot;

    #[test]
    fn keys() {
        let t3 = Token::T(Slot::new(3).unwrap());
        assert!(is_key("t3", &t3));
        assert!(!is_key("t3:", &t3));
        assert!(is_key("tName:zoneid", &Token::TName("zoneid")));
        assert!(!is_key("tName:zone", &Token::TName("zoneid")));
        assert!(!is_key("tNamezoneid", &Token::TName("zoneid")));
        assert!(!is_key("tName", &Token::TName("zoneid")));
        assert!(is_key("externalid", &Token::ExternalId));
        assert!(!is_key("external_id", &Token::ExternalId));
        let status = Token::Custom {
            name: "status",
            arg: Some(" lead=1"),
        };
        assert!(is_key("status: lead=1", &status));
        #[cfg(feature = "std")]
        {
            assert_eq!(key(&status), "status: lead=1");
            assert!(matches!(key(&Token::Payout), Cow::Borrowed("payout")));
        }
    }

    #[test]
    fn btree_map_finds_tokens_with_arguments() {
        let map: BTreeMap<&str, &str> = [
            ("tName", "bare"),
            ("tName-x", "dash"),
            ("tName:site", "site"),
            ("tName:zoneid", "zone"),
            ("tNamf", "after"),
        ]
        .into_iter()
        .collect();
        assert_eq!(map.value(&Token::TName("zoneid")), Some(Value::Str("zone")));
        assert_eq!(map.value(&Token::TName("site")), Some(Value::Str("site")));
        assert_eq!(map.value(&Token::TName("other")), None);
    }
}
