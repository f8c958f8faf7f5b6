//! serde support: a template is its source string, with its options when they are not the
//! defaults; syntaxes and options are plain structs.

use alloc::string::String;
use core::fmt;
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::{Decimal, ParseOptions, Schemes, Slot, Syntax, Template, Unknown};

/// Serializes as the source string, exactly as parsed, when the template was parsed with the
/// default options; otherwise as an object of the source and the options that differ from the
/// defaults: `{"template": "https://t.example/?c=[[clickid]]", "syntax": {"open": "[[",
/// "close": "]]"}}`. Formats that are not human-readable (bincode, postcard, CBOR) always get
/// the source and every option, in that order. What [`Template::bind`] did is not written:
/// bind a template again once it is read, as [`TrafficSource`](crate::traffic::TrafficSource)
/// does.
impl Serialize for Template<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let options = self.options();
        let readable = serializer.is_human_readable();
        if readable && options.is_default() {
            return serializer.serialize_str(self.as_str());
        }
        let defaults = ParseOptions::default();
        let mut fields = serializer.serialize_struct("Template", 5)?;
        fields.serialize_field("template", self.as_str())?;
        // Each option is written unless it is the default and the format can do without it.
        macro_rules! option {
            ($name:literal, $value:expr, $default:expr) => {
                match readable && $value == $default {
                    true => fields.skip_field($name)?,
                    false => fields.serialize_field($name, &$value)?,
                }
            };
        }
        option!("syntax", options.syntax(), defaults.syntax());
        option!("unknown", options.unknown(), defaults.unknown());
        option!("ignore_case", options.ignore_case(), defaults.ignore_case());
        option!("schemes", options.schemes(), defaults.schemes());
        fields.end()
    }
}

/// The object form of a [`Template`]: its source and its options, each option optional.
#[derive(serde::Deserialize)]
#[serde(rename = "Template", deny_unknown_fields)]
struct TemplateFields {
    template: String,
    #[serde(default)]
    syntax: Syntax,
    #[serde(default)]
    unknown: Unknown,
    #[serde(default)]
    ignore_case: bool,
    #[serde(default)]
    schemes: Schemes,
}

impl TemplateFields {
    fn parse<E: de::Error>(self) -> Result<Template<'static>, E> {
        let options = ParseOptions::new()
            .with_syntax(self.syntax)
            .with_unknown(self.unknown)
            .with_ignore_case(self.ignore_case)
            .with_schemes(self.schemes);
        Template::parse_owned(self.template, &options).map_err(E::custom)
    }
}

/// Deserializes what [`Serialize`] writes: a string, parsed with the default options, or an
/// object of the source and its options. A parse error becomes the deserializer's error, with
/// the parse error's message.
impl<'de> Deserialize<'de> for Template<'static> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TemplateVisitor;

        impl<'de> Visitor<'de> for TemplateVisitor {
            type Value = Template<'static>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a postback template, or an object of a template and its options")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                text.parse().map_err(E::custom)
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
                Template::try_from(text).map_err(E::custom)
            }

            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                TemplateFields::deserialize(de::value::MapAccessDeserializer::new(map))?.parse()
            }
        }

        match deserializer.is_human_readable() {
            true => deserializer.deserialize_any(TemplateVisitor),
            false => TemplateFields::deserialize(deserializer)?.parse(),
        }
    }
}

/// Serializes as a string of plain decimal notation, `"3.30"`, which keeps the scale and
/// survives any JSON parser.
impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Deserializes a string of plain decimal notation (`"3.30"`), or an integer. A number with a
/// fraction or an exponent (`0.1`, `33.5`, `1e3`) is refused: a JSON, TOML or YAML parser
/// hands it over as a binary float, which cannot tell `0.1` from
/// `0.1000000000000000055511151231257827` or `50` from `50.0000000000000001`, and a payout or a
/// share is exact or refused, never rounded. The error says to write it as a string.
///
/// Formats that are not human-readable (bincode, postcard, CBOR) read the string that
/// [`Serialize`] writes.
impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DecimalVisitor;

        impl Visitor<'_> for DecimalVisitor {
            type Value = Decimal;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal as a string, such as \"3.30\", or an integer")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
                text.parse().map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Decimal, E> {
                Ok(Decimal::from(n))
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Decimal, E> {
                i64::try_from(n)
                    .map(Decimal::from)
                    .map_err(|_| E::custom(format_args!("decimal {n} out of range")))
            }

            fn visit_f64<E: de::Error>(self, x: f64) -> Result<Decimal, E> {
                Err(E::custom(format_args!(
                    "a number with a fraction or an exponent is read as a binary float (here \
                     {x}), which may not be the number written; write decimals as strings, such \
                     as \"3.30\"",
                )))
            }
        }

        match deserializer.is_human_readable() {
            true => deserializer.deserialize_any(DecimalVisitor),
            false => deserializer.deserialize_str(DecimalVisitor),
        }
    }
}

/// Serializes as the slot's number, 1 to 10.
impl Serialize for Slot {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.get())
    }
}

/// Deserializes a number from 1 to 10.
impl<'de> Deserialize<'de> for Slot {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = u8::deserialize(deserializer)?;
        Slot::new(n).ok_or_else(|| {
            de::Error::invalid_value(de::Unexpected::Unsigned(n.into()), &"a slot from 1 to 10")
        })
    }
}

/// A body's two forms, each its template: `{"json": "{\"id\": \"{externalid}\"}"}`,
/// `{"form": "id={externalid}"}`.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename = "Body", deny_unknown_fields)]
enum BodyForm<T> {
    #[serde(rename = "json")]
    Json(T),
    #[serde(rename = "form")]
    Form(T),
}

/// Serializes as an object of one field, the content type, holding the template:
/// `{"json": "{\"id\": \"{externalid}\"}"}` or `{"form": "id={externalid}"}`.
impl Serialize for crate::request::Body {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use crate::request::ContentType;
        match self.content_type() {
            ContentType::Json => BodyForm::Json(self.as_str()),
            ContentType::Form => BodyForm::Form(self.as_str()),
        }
        .serialize(serializer)
    }
}

/// Deserializes what [`Serialize`] writes, checking the body as
/// [`Body::new`](crate::request::Body::new) does.
impl<'de> Deserialize<'de> for crate::request::Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use crate::request::{Body, ContentType};
        let (content, text) = match BodyForm::<String>::deserialize(deserializer)? {
            BodyForm::Json(text) => (ContentType::Json, text),
            BodyForm::Form(text) => (ContentType::Form, text),
        };
        Body::new(content, &text).map_err(de::Error::custom)
    }
}

/// A header's fields.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename = "Header", deny_unknown_fields)]
struct HeaderFields<T> {
    name: T,
    value: T,
}

/// Serializes as `{"name": "X-Api-Key", "value": "k-{campaign_key}"}`.
impl Serialize for crate::request::Header {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = HeaderFields {
            name: self.name(),
            value: self.value(),
        };
        fields.serialize(serializer)
    }
}

/// Deserializes what [`Serialize`] writes, checking the header as
/// [`Header::new`](crate::request::Header::new) does.
impl<'de> Deserialize<'de> for crate::request::Header {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let fields = HeaderFields::<String>::deserialize(deserializer)?;
        crate::request::Header::new(&fields.name, &fields.value).map_err(de::Error::custom)
    }
}
