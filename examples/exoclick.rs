//! Builds ExoClick postbacks for a few conversions.
//!
//! ExoClick sends its own click id in the `{conversions_tracking}` macro; the tracker stores
//! that value as the click's external id and returns it in `{externalid}` when the click
//! converts. Each id is percent-encoded, so it stays one query value whatever it holds, and the
//! checked expansion refuses to build a postback for a click that has no id.
//!
//! ```text
//! cargo run -p quickstart      # this file alone, without building the dev-dependencies
//! cargo run --example exoclick # the same, as an example of the crate
//! ```

use postback::{Decimal, Template, Token, TokenSource, Value};

/// What the tracker knows when a click converts.
struct Conversion<'a> {
    /// The value ExoClick put in its `{conversions_tracking}` macro for this click.
    external_id: &'a str,
    payout: Decimal,
}

impl TokenSource for Conversion<'_> {
    fn value(&self, token: &Token<'_>) -> Option<Value<'_>> {
        match token {
            Token::ExternalId => Some(Value::Str(self.external_id)),
            Token::Payout => Some(Value::Decimal(self.payout)),
            _ => None,
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Parsed once, when the traffic source is saved in the tracker.
    let postback = Template::parse(
        "https://s.magsrv.com/tag.php?goal=4f1b2c3d4e5f60718293a4b5c6d7e8f9&tag={externalid}&value={payout}",
    )?;

    let conversions = [
        // Letters and digits pass unchanged.
        ("7Hq2LcX9vTzR4mWb", "0.35"),
        // Base64's `+`, `/` and `=` are percent-encoded.
        ("q3+Zr/8kLw==", "1.20"),
        // A click that arrived with the macro left empty: no postback can credit it.
        ("", "0.35"),
    ];
    for (external_id, payout) in conversions {
        let conversion = Conversion {
            external_id,
            payout: payout.parse()?,
        };
        match postback.try_expand(&conversion) {
            Ok(url) => println!("send {url}"),
            Err(err) => println!("skip: {err}"),
        }
    }
    Ok(())
}
