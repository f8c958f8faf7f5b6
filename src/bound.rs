//! [`Bound`]: a template whose tokens are resolved, once, to the fields of the host's record,
//! and expanded in a straight pass.
//!
//! Binding splits the template into operations, each the literal text before a token and the
//! field the token reads: escapes are folded into the literal text, and so is every token the
//! record has no field for (it never has a value, and writes nothing where nothing is safe).
//! The literal text is kept in one padded array so that it is copied sixteen bytes at a time,
//! and the literals of up to sixteen bytes, most of them, in their operations. An expansion
//! then copies the literal text before the first token, grows the output once for the rest
//! and a guess of the values, and writes every piece by index straight into it: no token is
//! built, no host `match` runs on it, and the one check of room is one comparison for each
//! value, which grows the output again when the value's worst case does not fit. A short
//! literal and a short value are written in one window whose bounds are checked once.
//! Whatever the straight pass does not cover goes through [`Template`]'s general loop, which
//! writes the same bytes.

use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::Decimal;
use crate::decimal::plain;
use crate::encode::{Set, copy};
use crate::error::ExpandError;
use crate::expand::usable;
use crate::place::Place;
use crate::source::{TokenSource, Value};
use crate::template::Template;
use crate::token::Token;

/// A host's record (a click and its conversion) whose values a [`Bound`] template reads by
/// field: each token is resolved to a field once, when the template is bound, instead of once
/// per expansion as a [`TokenSource`] is asked.
///
/// ```
/// use postback::{Bound, Fields, Template, Token, Value};
///
/// struct Click {
///     external_id: String,
///     zone: u32,
/// }
///
/// #[derive(Clone, Copy)]
/// enum Field {
///     ExternalId,
///     Zone,
/// }
///
/// impl Fields for Click {
///     type Field = Field;
///
///     fn field(token: &Token<'_>) -> Option<Field> {
///         match token {
///             Token::ExternalId => Some(Field::ExternalId),
///             Token::T(slot) if slot.get() == 1 => Some(Field::Zone),
///             _ => None,
///         }
///     }
///
///     fn value(&self, field: Field) -> Option<Value<'_>> {
///         Some(match field {
///             Field::ExternalId => Value::Str(&self.external_id),
///             Field::Zone => Value::from(self.zone),
///         })
///     }
/// }
///
/// let template = Template::parse("https://t.example/pb?id={externalid}&zone={t1}&c={campaign}")?;
/// let bound: Bound<'_, Click> = template.bind_fields();
/// let click = Click { external_id: "ck 1".into(), zone: 1017 };
/// assert_eq!(bound.expand(&click), "https://t.example/pb?id=ck%201&zone=1017&c=");
/// # Ok::<(), postback::ParseError>(())
/// ```
pub trait Fields {
    /// What a token reads in the record: an enum of its fields, an index.
    type Field: Copy;

    /// The field that answers `token`, or `None` when the record has none (the token then
    /// never has a value). Asked once for each token when a template is bound, and again for
    /// each token of an expansion that goes through the general loop.
    ///
    /// A host's test can check what its record answers:
    ///
    /// ```
    /// # use postback::{Bound, Decimal, Fields, Template, Token, Value};
    /// # struct Conversion {
    /// #     external_id: Option<String>,
    /// #     payout: Decimal,
    /// # }
    /// # #[derive(Clone, Copy)]
    /// # enum Field {
    /// #     ExternalId,
    /// #     Payout,
    /// # }
    /// # impl Fields for Conversion {
    /// #     type Field = Field;
    /// #     fn field(token: &Token<'_>) -> Option<Field> {
    /// #         match token {
    /// #             Token::ExternalId => Some(Field::ExternalId),
    /// #             Token::Payout => Some(Field::Payout),
    /// #             _ => None,
    /// #         }
    /// #     }
    /// #     fn value(&self, field: Field) -> Option<Value<'_>> {
    /// #         match field {
    /// #             Field::ExternalId => self.external_id.as_deref().map(Value::Str),
    /// #             Field::Payout => Some(Value::Decimal(self.payout)),
    /// #         }
    /// #     }
    /// # }
    /// // `Conversion` answers `{externalid}` and `{payout}` from its fields.
    /// assert!(matches!(Conversion::field(&Token::Payout), Some(Field::Payout)));
    /// assert!(Conversion::field(&Token::ClickId).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn field(token: &Token<'_>) -> Option<Self::Field>;

    /// The value of `field` in this record, or `None` when it has none.
    ///
    /// ```
    /// # use postback::{Bound, Decimal, Fields, Template, Token, Value};
    /// # struct Conversion {
    /// #     external_id: Option<String>,
    /// #     payout: Decimal,
    /// # }
    /// # #[derive(Clone, Copy)]
    /// # enum Field {
    /// #     ExternalId,
    /// #     Payout,
    /// # }
    /// # impl Fields for Conversion {
    /// #     type Field = Field;
    /// #     fn field(token: &Token<'_>) -> Option<Field> {
    /// #         match token {
    /// #             Token::ExternalId => Some(Field::ExternalId),
    /// #             Token::Payout => Some(Field::Payout),
    /// #             _ => None,
    /// #         }
    /// #     }
    /// #     fn value(&self, field: Field) -> Option<Value<'_>> {
    /// #         match field {
    /// #             Field::ExternalId => self.external_id.as_deref().map(Value::Str),
    /// #             Field::Payout => Some(Value::Decimal(self.payout)),
    /// #         }
    /// #     }
    /// # }
    /// let conversion = Conversion { external_id: None, payout: "0.50".parse()? };
    /// assert_eq!(conversion.value(Field::Payout), Some(Value::Decimal("0.50".parse()?)));
    /// assert_eq!(conversion.value(Field::ExternalId), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// An expansion reads each field once, and again if it falls back to the general loop
    /// (a float, a missing value where the token's text is kept).
    fn value(&self, field: Self::Field) -> Option<Value<'_>>;
}

/// A [`Fields`] record as a [`TokenSource`], for the general loop.
struct Source<'f, F>(&'f F);

impl<F: Fields> TokenSource for Source<'_, F> {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        F::field(token).and_then(|field| self.0.value(field))
    }
}

/// A template bound to the fields of a host's record type `F`: what a tracker keeps for a
/// postback it fires often.
///
/// Its expansions write exactly what the template's do for the same values
/// ([`Template::expand`], [`Template::try_expand`]), in a straight pass where they can: for a
/// template with no modifiers and no `%` left open before a token, when every value is text
/// ([`Value::Str`], [`Value::Raw`]), an integer or a [`Decimal`], or has none and stands where
/// writing nothing changes nothing. Anything else (a float, a value missing in the authority,
/// any missing value in a checked expansion) goes through the template's general loop,
/// which reads the values again.
///
/// ```
/// use postback::{Bound, Fields, Template, Token, Value};
///
/// struct Click<'a>(&'a str);
///
/// impl Fields for Click<'_> {
///     type Field = ();
///     fn field(token: &Token<'_>) -> Option<()> {
///         (*token == Token::ExternalId).then_some(())
///     }
///     fn value(&self, _: ()) -> Option<Value<'_>> {
///         Some(Value::Str(self.0))
///     }
/// }
///
/// let template = Template::parse("https://s.magsrv.com/tag.php?goal=4f1b&tag={externalid}")?;
/// let bound = Bound::<Click>::new(template);
/// let mut out = Vec::new();
/// for id in ["ck-1", "ck&2"] {
///     out.clear();
///     bound.expand_into_vec(&Click(id), &mut out);
///     assert_eq!(out, bound.template().expand(&[("externalid", id)]).as_bytes());
/// }
/// # Ok::<(), postback::ParseError>(())
/// ```
pub struct Bound<'a, F: Fields> {
    template: Template<'a>,
    /// The tokens the record has a field for, each with the literal text before it. A token
    /// it has none for never has a value: in a lenient expansion, it writes nothing where
    /// nothing is safe, so its literal text is folded into the next one's.
    ops: Box<[Op<F::Field>]>,
    /// The literal text, escapes folded in, then [`PAD`] bytes: a literal can be read sixteen
    /// bytes at a time from its start.
    literals: Box<[u8]>,
    /// The length of the literal text before the first token, which each expansion copies
    /// first (the first token's [`Op::literal`] is then empty).
    lead: usize,
    /// The literal text after the last token.
    tail: Piece,
    /// Whether the straight pass can expand the template: it has no modifiers, leaves no `%`
    /// open before a token, and has no token without a field whose text must be kept.
    straight: bool,
    /// Whether the straight pass can also make the checked expansion: it goes straight, and
    /// every token has a field.
    straight_checked: bool,
}

/// A run of [`Bound::literals`].
#[derive(Clone, Copy, Debug)]
struct Piece {
    start: u32,
    len: u32,
}

/// One token of a bound template, with the literal text before it.
#[derive(Clone, Copy)]
struct Op<K> {
    /// The literal text before the token, when it is at most sixteen bytes (most are:
    /// `&value=`), padded: one store writes it.
    head: [u8; 16],
    literal: Piece,
    /// The room the pass needs here beyond the value: the literal text before the token and
    /// all that follows it, and [`SLACK`].
    rest: u32,
    field: K,
    place: Place,
    /// Whether a value here must be checked even when the expansion is lenient: in the
    /// authority and the path, where an empty value or a dot segment is not written as it is.
    /// Elsewhere an empty value writes nothing, as the lenient expansion does for it.
    checked: bool,
    set: &'static Set,
}

/// How many bytes a straight pass first makes room for, for each value: most ids, numbers and
/// codes are shorter.
const GUESS: usize = 32;

/// The padding after the literal text: one sixteen-byte block.
const PAD: usize = 16;

/// The room a straight pass leaves past what it writes: the widest store past its own bytes
/// (a sixteen-byte literal block, the encoder's window), and the [`WIDE`] window.
const SLACK: usize = WIDE;

/// The window a short literal and a short value are written in: sixteen bytes of literal,
/// then the encoder's window for fewer than eight bytes, with room to spare.
const WIDE: usize = 48;

impl<'a> Template<'a> {
    /// Binds the template to the fields of `F`: see [`Bound`].
    ///
    /// ```
    /// # use postback::{Bound, Decimal, Fields, Template, Token, Value};
    /// # struct Conversion {
    /// #     external_id: Option<String>,
    /// #     payout: Decimal,
    /// # }
    /// # #[derive(Clone, Copy)]
    /// # enum Field {
    /// #     ExternalId,
    /// #     Payout,
    /// # }
    /// # impl Fields for Conversion {
    /// #     type Field = Field;
    /// #     fn field(token: &Token<'_>) -> Option<Field> {
    /// #         match token {
    /// #             Token::ExternalId => Some(Field::ExternalId),
    /// #             Token::Payout => Some(Field::Payout),
    /// #             _ => None,
    /// #         }
    /// #     }
    /// #     fn value(&self, field: Field) -> Option<Value<'_>> {
    /// #         match field {
    /// #             Field::ExternalId => self.external_id.as_deref().map(Value::Str),
    /// #             Field::Payout => Some(Value::Decimal(self.payout)),
    /// #         }
    /// #     }
    /// # }
    /// // `Conversion` answers `{externalid}` and `{payout}` from its fields (see `Fields`).
    /// let template = Template::parse(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// )?;
    /// let bound = template.bind_fields::<Conversion>();
    /// let conversion = Conversion { external_id: Some("ck 1".into()), payout: "0.50".parse()? };
    /// assert_eq!(
    ///     bound.expand(&conversion),
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag=ck%201&value=0.50",
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn bind_fields<F: Fields>(self) -> Bound<'a, F> {
        Bound::new(self)
    }
}

impl<'a, F: Fields> Bound<'a, F> {
    /// Binds `template` to the fields of `F`, asking [`Fields::field`] for each token once.
    ///
    /// A tracker binds a traffic source's postback once, when it loads the source, and keeps it:
    ///
    /// ```
    /// # use postback::{Bound, Decimal, Fields, Template, Token, Value};
    /// # struct Conversion {
    /// #     external_id: Option<String>,
    /// #     payout: Decimal,
    /// # }
    /// # #[derive(Clone, Copy)]
    /// # enum Field {
    /// #     ExternalId,
    /// #     Payout,
    /// # }
    /// # impl Fields for Conversion {
    /// #     type Field = Field;
    /// #     fn field(token: &Token<'_>) -> Option<Field> {
    /// #         match token {
    /// #             Token::ExternalId => Some(Field::ExternalId),
    /// #             Token::Payout => Some(Field::Payout),
    /// #             _ => None,
    /// #         }
    /// #     }
    /// #     fn value(&self, field: Field) -> Option<Value<'_>> {
    /// #         match field {
    /// #             Field::ExternalId => self.external_id.as_deref().map(Value::Str),
    /// #             Field::Payout => Some(Value::Decimal(self.payout)),
    /// #         }
    /// #     }
    /// # }
    /// struct TrafficSource {
    ///     postback: Bound<'static, Conversion>,
    /// }
    ///
    /// let text = String::from(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// );
    /// let template = Template::parse_owned(text, &Default::default())?;
    /// let source = TrafficSource { postback: Bound::new(template) };
    /// assert_eq!(source.postback.template().tokens().count(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(template: Template<'a>) -> Bound<'a, F> {
        let text = template.as_str().as_bytes();
        let mut literals = Vec::with_capacity(text.len() + PAD);
        let mut ops = Vec::new();
        let (mut start, mut literal) = (0, 0);
        let mut straight = template.modifiers().is_empty() && !template.leaves_escapes_open();
        let mut every_field = true;
        let at = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        for hole in template.holes() {
            literals.extend_from_slice(text.get(literal..hole.start as usize).unwrap_or_default());
            literal = hole.end as usize;
            let Some(token) = template.token(hole) else {
                literals.extend_from_slice(template.escaped(hole).as_bytes());
                continue;
            };
            let Some(field) = F::field(&token) else {
                every_field = false;
                straight &= !hole.place.keeps_text();
                continue;
            };
            let mut head = [0; 16];
            let before = literals.get(start..).unwrap_or_default();
            if let Some(to) = head.get_mut(..before.len()) {
                to.copy_from_slice(before);
            }
            ops.push(Op {
                head,
                literal: Piece {
                    start: at(start),
                    len: at(literals.len() - start),
                },
                rest: 0,
                field,
                place: hole.place,
                checked: hole.place.is_path() || hole.place.keeps_text(),
                set: hole.place.set(),
            });
            start = literals.len();
        }
        literals.extend_from_slice(text.get(literal..).unwrap_or_default());
        let total = literals.len();
        let tail = Piece {
            start: at(start),
            len: at(total - start),
        };
        literals.resize(total + PAD, 0);
        let mut lead = 0;
        if let Some(first) = ops.first_mut() {
            lead = first.literal.len as usize;
            first.literal = Piece {
                start: at(lead),
                len: 0,
            };
            first.head = [0; 16];
        }
        for op in &mut ops {
            op.rest = at(total - op.literal.start as usize + SLACK);
        }
        Bound {
            template,
            ops: ops.into_boxed_slice(),
            literals: literals.into_boxed_slice(),
            lead,
            tail,
            straight,
            straight_checked: straight && every_field,
        }
    }

    /// The template, to expand it with a [`TokenSource`] or a [`Missing`](crate::Missing)
    /// policy, or to show it.
    ///
    /// ```
    /// # use postback::{Bound, Decimal, Fields, Template, Token, Value};
    /// # struct Conversion {
    /// #     external_id: Option<String>,
    /// #     payout: Decimal,
    /// # }
    /// # #[derive(Clone, Copy)]
    /// # enum Field {
    /// #     ExternalId,
    /// #     Payout,
    /// # }
    /// # impl Fields for Conversion {
    /// #     type Field = Field;
    /// #     fn field(token: &Token<'_>) -> Option<Field> {
    /// #         match token {
    /// #             Token::ExternalId => Some(Field::ExternalId),
    /// #             Token::Payout => Some(Field::Payout),
    /// #             _ => None,
    /// #         }
    /// #     }
    /// #     fn value(&self, field: Field) -> Option<Value<'_>> {
    /// #         match field {
    /// #             Field::ExternalId => self.external_id.as_deref().map(Value::Str),
    /// #             Field::Payout => Some(Value::Decimal(self.payout)),
    /// #         }
    /// #     }
    /// # }
    /// use postback::Missing;
    ///
    /// let template = Template::parse(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// )?;
    /// let bound: Bound<Conversion> = template.bind_fields();
    /// let preview = bound.template().expand_with(&[("payout", "0.50")], Missing::Keep);
    /// assert_eq!(preview, "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value=0.50");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn template(&self) -> &Template<'a> {
        &self.template
    }

    /// Expands the template for `fields` into a new `String`. See
    /// [`expand_into_vec`](Bound::expand_into_vec).
    ///
    /// ```
    /// # use postback::{Bound, Decimal, Fields, Template, Token, Value};
    /// # struct Conversion {
    /// #     external_id: Option<String>,
    /// #     payout: Decimal,
    /// # }
    /// # #[derive(Clone, Copy)]
    /// # enum Field {
    /// #     ExternalId,
    /// #     Payout,
    /// # }
    /// # impl Fields for Conversion {
    /// #     type Field = Field;
    /// #     fn field(token: &Token<'_>) -> Option<Field> {
    /// #         match token {
    /// #             Token::ExternalId => Some(Field::ExternalId),
    /// #             Token::Payout => Some(Field::Payout),
    /// #             _ => None,
    /// #         }
    /// #     }
    /// #     fn value(&self, field: Field) -> Option<Value<'_>> {
    /// #         match field {
    /// #             Field::ExternalId => self.external_id.as_deref().map(Value::Str),
    /// #             Field::Payout => Some(Value::Decimal(self.payout)),
    /// #         }
    /// #     }
    /// # }
    /// let template = Template::parse(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// )?;
    /// let bound: Bound<Conversion> = template.bind_fields();
    /// let conversion = Conversion { external_id: Some("ck&1".into()), payout: Decimal::from(2) };
    /// let url = bound.expand(&conversion);
    /// assert_eq!(url, "https://s.magsrv.com/tag.php?goal=4f1b2c&tag=ck%261&value=2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expand(&self, fields: &F) -> String {
        let mut out = String::new();
        self.expand_into(fields, &mut out);
        out
    }

    /// Appends the expansion for `fields` to `out`, as [`Template::expand_into`] does.
    ///
    /// ```
    /// # use postback::{Bound, Decimal, Fields, Template, Token, Value};
    /// # struct Conversion {
    /// #     external_id: Option<String>,
    /// #     payout: Decimal,
    /// # }
    /// # #[derive(Clone, Copy)]
    /// # enum Field {
    /// #     ExternalId,
    /// #     Payout,
    /// # }
    /// # impl Fields for Conversion {
    /// #     type Field = Field;
    /// #     fn field(token: &Token<'_>) -> Option<Field> {
    /// #         match token {
    /// #             Token::ExternalId => Some(Field::ExternalId),
    /// #             Token::Payout => Some(Field::Payout),
    /// #             _ => None,
    /// #         }
    /// #     }
    /// #     fn value(&self, field: Field) -> Option<Value<'_>> {
    /// #         match field {
    /// #             Field::ExternalId => self.external_id.as_deref().map(Value::Str),
    /// #             Field::Payout => Some(Value::Decimal(self.payout)),
    /// #         }
    /// #     }
    /// # }
    /// let template = Template::parse(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// )?;
    /// let bound: Bound<Conversion> = template.bind_fields();
    /// let mut url = String::new();
    /// for (id, payout) in [("ck-1", "0.50"), ("ck-2", "1.20")] {
    ///     url.clear();
    ///     let conversion = Conversion { external_id: Some(id.into()), payout: payout.parse()? };
    ///     bound.expand_into(&conversion, &mut url);
    ///     assert!(url.ends_with(&format!("&tag={id}&value={payout}")));
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// The bytes are written as a `Vec<u8>`'s, then `out` is checked as UTF-8 once, whole. If
    /// [`Fields::value`] panics, `out` is left empty.
    pub fn expand_into(&self, fields: &F, out: &mut String) {
        through_bytes(out, |bytes| {
            match self.straight::<false, true>(fields, bytes) {
                Some(end) => end,
                None => {
                    self.template.expand_into_vec(&Source(fields), bytes);
                    bytes.len()
                }
            }
        });
    }

    /// Appends the expansion for `fields` to `out` as UTF-8 bytes, as
    /// [`Template::expand_into_vec`] does. Once `out` has grown to fit, nothing is allocated.
    ///
    /// ```
    /// # use postback::{Bound, Decimal, Fields, Template, Token, Value};
    /// # struct Conversion {
    /// #     external_id: Option<String>,
    /// #     payout: Decimal,
    /// # }
    /// # #[derive(Clone, Copy)]
    /// # enum Field {
    /// #     ExternalId,
    /// #     Payout,
    /// # }
    /// # impl Fields for Conversion {
    /// #     type Field = Field;
    /// #     fn field(token: &Token<'_>) -> Option<Field> {
    /// #         match token {
    /// #             Token::ExternalId => Some(Field::ExternalId),
    /// #             Token::Payout => Some(Field::Payout),
    /// #             _ => None,
    /// #         }
    /// #     }
    /// #     fn value(&self, field: Field) -> Option<Value<'_>> {
    /// #         match field {
    /// #             Field::ExternalId => self.external_id.as_deref().map(Value::Str),
    /// #             Field::Payout => Some(Value::Decimal(self.payout)),
    /// #         }
    /// #     }
    /// # }
    /// let template = Template::parse(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// )?;
    /// let bound: Bound<Conversion> = template.bind_fields();
    /// let mut request = b"GET ".to_vec();
    /// let conversion = Conversion { external_id: Some("ck-1".into()), payout: Decimal::from(1) };
    /// bound.expand_into_vec(&conversion, &mut request);
    /// assert_eq!(request, b"GET https://s.magsrv.com/tag.php?goal=4f1b2c&tag=ck-1&value=1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expand_into_vec(&self, fields: &F, out: &mut Vec<u8>) {
        if self.straight::<false, false>(fields, out).is_none() {
            self.template.expand_into_vec(&Source(fields), out);
        }
    }

    /// Expands the template for `fields` into a new `String`, or fails with every token that
    /// has no usable value, as [`Template::try_expand`] does.
    ///
    /// ```
    /// # use postback::{Bound, Decimal, Fields, Template, Token, Value};
    /// # struct Conversion {
    /// #     external_id: Option<String>,
    /// #     payout: Decimal,
    /// # }
    /// # #[derive(Clone, Copy)]
    /// # enum Field {
    /// #     ExternalId,
    /// #     Payout,
    /// # }
    /// # impl Fields for Conversion {
    /// #     type Field = Field;
    /// #     fn field(token: &Token<'_>) -> Option<Field> {
    /// #         match token {
    /// #             Token::ExternalId => Some(Field::ExternalId),
    /// #             Token::Payout => Some(Field::Payout),
    /// #             _ => None,
    /// #         }
    /// #     }
    /// #     fn value(&self, field: Field) -> Option<Value<'_>> {
    /// #         match field {
    /// #             Field::ExternalId => self.external_id.as_deref().map(Value::Str),
    /// #             Field::Payout => Some(Value::Decimal(self.payout)),
    /// #         }
    /// #     }
    /// # }
    /// use postback::ProblemKind;
    ///
    /// let template = Template::parse(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// )?;
    /// let bound: Bound<Conversion> = template.bind_fields();
    /// // A click that came without ExoClick's click id: its postback is not sent.
    /// let no_id = Conversion { external_id: None, payout: "0.50".parse()? };
    /// let err = bound.try_expand(&no_id).unwrap_err();
    /// assert_eq!(err.problems()[0].kind(), ProblemKind::Missing);
    /// assert_eq!(err.problems()[0].token(), "externalid");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An [`ExpandError`] with every token that has no usable value, in order.
    pub fn try_expand(&self, fields: &F) -> Result<String, ExpandError> {
        let mut out = String::new();
        self.try_expand_into(fields, &mut out)?;
        Ok(out)
    }

    /// Appends the expansion for `fields` to `out` if every token has a usable value, as
    /// [`Template::try_expand_into`] does.
    ///
    /// ```
    /// # use postback::{Bound, Decimal, Fields, Template, Token, Value};
    /// # struct Conversion {
    /// #     external_id: Option<String>,
    /// #     payout: Decimal,
    /// # }
    /// # #[derive(Clone, Copy)]
    /// # enum Field {
    /// #     ExternalId,
    /// #     Payout,
    /// # }
    /// # impl Fields for Conversion {
    /// #     type Field = Field;
    /// #     fn field(token: &Token<'_>) -> Option<Field> {
    /// #         match token {
    /// #             Token::ExternalId => Some(Field::ExternalId),
    /// #             Token::Payout => Some(Field::Payout),
    /// #             _ => None,
    /// #         }
    /// #     }
    /// #     fn value(&self, field: Field) -> Option<Value<'_>> {
    /// #         match field {
    /// #             Field::ExternalId => self.external_id.as_deref().map(Value::Str),
    /// #             Field::Payout => Some(Value::Decimal(self.payout)),
    /// #         }
    /// #     }
    /// # }
    /// let template = Template::parse(
    ///     "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}",
    /// )?;
    /// let bound: Bound<Conversion> = template.bind_fields();
    /// let mut url = String::new();
    /// let conversion = Conversion { external_id: Some("ck-1".into()), payout: "0.50".parse()? };
    /// bound.try_expand_into(&conversion, &mut url)?;
    /// assert_eq!(url, "https://s.magsrv.com/tag.php?goal=4f1b2c&tag=ck-1&value=0.50");
    ///
    /// url.clear();
    /// let empty = Conversion { external_id: Some(String::new()), payout: "0.50".parse()? };
    /// assert!(bound.try_expand_into(&empty, &mut url).is_err());
    /// assert_eq!(url, "");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// An [`ExpandError`] with every token that has no usable value, in order; `out` is then as
    /// it was.
    pub fn try_expand_into(&self, fields: &F, out: &mut String) -> Result<(), ExpandError> {
        let mut straight = false;
        through_bytes(out, |bytes| {
            let end = self.straight::<true, true>(fields, bytes);
            straight = end.is_some();
            end.unwrap_or(bytes.len())
        });
        match straight {
            true => Ok(()),
            false => self.template.try_expand_into(&Source(fields), out),
        }
    }

    /// The straight pass: appends the expansion to `out` and returns where it ends, or leaves
    /// `out` as it was and returns `None` when a value needs the general loop. `STRICT` sends
    /// every unusable value there, for the checked expansion; `PADDED` leaves zeros after the
    /// expansion up to a multiple of sixteen bytes, for [`through_bytes`].
    ///
    /// `out` gets the literal text before the first token, then grows once for the rest of
    /// the literal text and a guess of the values, [`GUESS`] bytes each, and again, at least
    /// doubling, when a value's worst case does not fit.
    #[inline(always)]
    fn straight<const STRICT: bool, const PADDED: bool>(
        &self,
        fields: &F,
        out: &mut Vec<u8>,
    ) -> Option<usize> {
        if !(self.straight && (!STRICT || self.straight_checked)) {
            return None;
        }
        let start = out.len();
        let literal = self.literals.len() - PAD;
        out.extend_from_slice(&self.literals[..self.lead]);
        out.resize(start + literal + GUESS * self.ops.len() + SLACK, 0);
        let mut buf = out.get_mut(start..).unwrap_or_default();
        let mut at = self.lead;
        let digits = &mut [0; Decimal::MAX_LEN];
        for op in &*self.ops {
            let value = fields.value(op.field);
            let value = match value {
                Some(value) if STRICT || op.checked => Some(usable(value, op.place)),
                value => value.map(Ok),
            };
            // What to write, and whether to encode it.
            let (text, set) = match value {
                Some(Ok(Value::Str(text))) => (text, Some(op.set)),
                Some(Ok(Value::Raw(text))) => (text, None),
                Some(Ok(Value::Int(n))) => (plain(digits, n.unsigned_abs(), 0, n < 0), None),
                Some(Ok(Value::UInt(n))) => (plain(digits, n, 0, false), None),
                Some(Ok(Value::Decimal(d))) => (d.format(digits), None),
                None | Some(Err(_)) if !STRICT && !op.place.keeps_text() => ("", None),
                // A float, or a token whose text is kept.
                _ => {
                    out.truncate(start);
                    return None;
                }
            };
            let text = text.as_bytes();
            let need = match set {
                Some(_) => 3 * text.len(),
                None => text.len(),
            };
            let room = need + op.rest as usize;
            if at + room > buf.len() {
                let len = start + (at + room).max(2 * buf.len());
                out.resize(len, 0);
                buf = out.get_mut(start..).unwrap_or_default();
            }
            // Most pieces are a short literal and a short value: they are written in one
            // window, whose bounds are checked once.
            if op.literal.len <= 16 && text.len() < 8 {
                let window = &mut buf[at..at + WIDE];
                window[..16].copy_from_slice(&op.head);
                let literal = op.literal.len as usize;
                at += match set {
                    Some(set) => set.encode_short(window, literal, text),
                    None => {
                        copy(window, literal, text);
                        literal + text.len()
                    }
                };
                continue;
            }
            at = match op.literal.len <= 16 {
                true => {
                    buf[at..at + 16].copy_from_slice(&op.head);
                    at + op.literal.len as usize
                }
                false => self.literal(buf, at, op.literal),
            };
            at = match set {
                Some(set) => set.encode_value(buf, at, text),
                None => {
                    copy(buf, at, text);
                    at + text.len()
                }
            };
        }
        if self.tail.len > 0 {
            at = self.literal(buf, at, self.tail);
        }
        let end = start + at;
        match PADDED {
            true => {
                buf[at..at + 16].fill(0);
                out.truncate(end.next_multiple_of(16));
            }
            false => out.truncate(end),
        }
        Some(end)
    }

    /// Copies a piece of the literal text into `buf` at `at`, sixteen bytes at a time, and
    /// returns where it ends.
    #[inline(always)]
    fn literal(&self, buf: &mut [u8], at: usize, piece: Piece) -> usize {
        let (start, len) = (piece.start as usize, piece.len as usize);
        let blocks = len.next_multiple_of(PAD);
        let from = self.literals[start..start + blocks].chunks_exact(PAD);
        let to = buf[at..at + blocks].chunks_exact_mut(PAD);
        for (to, from) in to.zip(from) {
            to.copy_from_slice(from);
        }
        at + len
    }
}

/// Runs `write` on the bytes of `out`, which it appends whole UTF-8 text to, and checks
/// them as UTF-8 once. `write` returns where its text ends: the bytes after it, if any, are
/// zeros, which the check reads too and which are then cut. The straight pass writes zeros up
/// to a multiple of sixteen bytes, so that the check goes sixteen bytes at a time to the end
/// instead of one byte at a time over the last fifteen.
fn through_bytes(out: &mut String, write: impl FnOnce(&mut Vec<u8>) -> usize) {
    let mut bytes = core::mem::take(out).into_bytes();
    let len = bytes.len();
    let end = write(&mut bytes);
    *out = match String::from_utf8(bytes) {
        Ok(mut text) => {
            text.truncate(end);
            text
        }
        // Unreachable: every piece is whole text. Were it not, the text before is kept.
        Err(err) => {
            String::from_utf8_lossy(err.as_bytes().get(..len).unwrap_or_default()).into_owned()
        }
    };
}

impl<F: Fields> Clone for Bound<'_, F> {
    fn clone(&self) -> Self {
        Bound {
            template: self.template.clone(),
            ops: self.ops.clone(),
            literals: self.literals.clone(),
            lead: self.lead,
            tail: self.tail,
            straight: self.straight,
            straight_checked: self.straight_checked,
        }
    }
}

impl<F: Fields> fmt::Debug for Bound<'_, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bound")
            .field("template", &self.template.as_str())
            .field("straight", &self.straight)
            .field("straight_checked", &self.straight_checked)
            .finish_non_exhaustive()
    }
}
