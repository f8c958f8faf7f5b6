//! An owned value, for the tests that generate values and hand them to the crate as
//! [`Value`]s: the property tests (`tests/properties/`) and the fuzz checks
//! (`tests/fuzz/checks.rs`) both include this file with `#[path]`.

use postback::{Decimal, Value};

/// A value a test source answers with, owning its text. A value that is not there at all is
/// `None` beside it, as a `TokenSource` says.
#[derive(Clone, Debug)]
pub enum Val {
    Str(String),
    Raw(String),
    Int(i64),
    UInt(u64),
    Float(f64),
    Decimal(Decimal),
}

impl Val {
    /// The value, borrowing its text.
    pub fn value(&self) -> Value<'_> {
        match self {
            Val::Str(text) => Value::Str(text),
            Val::Raw(text) => Value::Raw(text),
            Val::Int(n) => Value::Int(*n),
            Val::UInt(n) => Value::UInt(*n),
            Val::Float(x) => Value::Float(*x),
            Val::Decimal(d) => Value::Decimal(*d),
        }
    }
}
