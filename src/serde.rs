//! serde support: a template is its source string; syntaxes and options are plain structs.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use crate::{Syntax, Template};

/// Serializes as the source string, exactly as parsed.
impl Serialize for Template<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Deserializes a string by parsing it with the default options; a parse error becomes the
/// deserializer's error, with the parse error's message.
impl<'de> Deserialize<'de> for Template<'static> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TemplateVisitor;

        impl Visitor<'_> for TemplateVisitor {
            type Value = Template<'static>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a postback template")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                text.parse().map_err(E::custom)
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
                Template::try_from(text).map_err(E::custom)
            }
        }

        deserializer.deserialize_string(TemplateVisitor)
    }
}

/// The serialized form of a [`Syntax`], checked when it becomes one.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SyntaxFields {
    open: Cow<'static, str>,
    close: Cow<'static, str>,
}

impl TryFrom<SyntaxFields> for Syntax {
    type Error = &'static str;

    fn try_from(fields: SyntaxFields) -> Result<Syntax, &'static str> {
        Syntax::new(fields.open, fields.close).ok_or("a delimiter of a syntax is empty")
    }
}
