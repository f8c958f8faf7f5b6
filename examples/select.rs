//! Decides which postbacks a few conversions fire, and why the others do not.
//!
//! A traffic source and a campaign both have postbacks: the source's fires for every campaign
//! of the source, the campaign's S2S postback for that campaign only, and both fire when both
//! are set. The campaign reports half the payout and only every second conversion; a sale has
//! a postback of its own at the source.
//!
//! ```text
//! cargo run --example select
//! ```

use postback::select::{Conversion, Outcome, Percent, SendMode, Settings, StatusPostback, select};
use postback::{Decimal, Template, Token, Value, from_fn};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let source = Settings {
        postback: Some(template(
            "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}",
        )?),
        status_postbacks: vec![StatusPostback {
            status: "sale".into(),
            postback: template(
                "https://s.magsrv.com/tag.php?goal=9e8d7c&tag={externalid}&value={payout}",
            )?,
        }],
        send: Some(SendMode::Approved),
        ..Settings::default()
    };
    let campaign = Settings {
        postback: Some(template(
            "https://s2s.example.net/pb?cid={externalid}&sum={payout}",
        )?),
        postback_share: Some("50".parse::<Percent>()?),
        payout_share: Some("50".parse::<Percent>()?),
        ..Settings::default()
    };

    let conversions = [
        (
            "ck-101",
            Conversion {
                status: "lead",
                ..Conversion::new(1, decimal("0.50")?)
            },
        ),
        (
            "ck-102",
            Conversion {
                status: "sale",
                ..Conversion::new(2, decimal("12.00")?)
            },
        ),
        (
            "ck-103",
            Conversion {
                status: "sale",
                approved: false,
                ..Conversion::new(3, decimal("12.00")?)
            },
        ),
        (
            "ck-104",
            Conversion {
                status: "sale",
                postbacks: false,
                ..Conversion::new(4, decimal("7")?)
            },
        ),
    ];
    for (external_id, conversion) in conversions {
        println!(
            "conversion {} ({}, payout {}):",
            conversion.ordinal, conversion.status, conversion.payout
        );
        let selection = select(&source, &campaign, &conversion);
        for (level, outcome) in selection.outcomes() {
            match outcome {
                Outcome::Fire(fire) => {
                    let values = from_fn(|token| match token {
                        Token::ExternalId => Some(Value::Str(external_id)),
                        Token::Payout => Some(Value::Decimal(fire.payout)),
                        _ => None,
                    });
                    println!("  {level}: send {}", fire.template.try_expand(&values)?);
                }
                Outcome::Skip(why) => println!("  {level}: skip, {why}"),
            }
        }
    }
    Ok(())
}

fn template(text: &str) -> Result<Template<'static>, postback::ParseError> {
    text.parse()
}

fn decimal(text: &str) -> Result<Decimal, postback::ParseDecimalError> {
    text.parse()
}
