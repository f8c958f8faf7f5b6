//! Decides which postbacks a few conversions fire, and why the others do not.
//!
//! The traffic source is ExoClick, with one goal id per event: a rule maps `lead` and `sale`
//! to the goal ids ExoClick expects and writes them with `{goal}`, from a payout of 1 up. A
//! second source rule sends rejected sales (reversals) to an audit endpoint. The campaign has
//! its S2S postback, reports half the payout and only every second conversion, and a rule of
//! its own for deposits of push traffic, tested on the click's `source` parameter. Both levels
//! fire; where their settings disagree, the campaign's win.
//!
//! ```text
//! cargo run --example select
//! ```

use postback::select::{
    ClickMatch, Conversion, Goal, Outcome, Percent, Rule, SendMode, Settings, select,
};
use postback::{Decimal, Template, TokenSource};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let source = Settings {
        rules: vec![
            Rule {
                goals: vec![
                    Goal::new("lead", "4f1b2c3d4e5f60718293a4b5c6d7e8f9"),
                    Goal::new("sale", "9e8d7c6b5a4f30211203f4e5d6c7b8a9"),
                ],
                statuses: vec!["approved".into(), "pending".into()],
                min_payout: Some(decimal("1")?),
                ..Rule::new(
                    "exoclick",
                    template(
                        "https://s.magsrv.com/tag.php?goal={goal}&tag={externalid}&value={payout_or_zero}",
                    )?,
                )
            },
            Rule {
                statuses: vec!["rejected".into()],
                ..Rule::new(
                    "reversals",
                    template(
                        "https://audit.example.net/reversal?id={externalid}&event={cnv_event}&sum={payout}",
                    )?,
                )
            },
        ],
        send: Some(SendMode::All),
        ..Settings::default()
    };
    let campaign = Settings {
        postback: Some(template(
            "https://s2s.example.net/pb?cid={externalid}&sum={payout}",
        )?),
        rules: vec![Rule {
            events: vec!["deposit".into()],
            click: vec![ClickMatch::new("tName:source", "push")?],
            ..Rule::new(
                "push deposits",
                template("https://push.example.net/dep?cid={externalid}&sum={payout}")?,
            )
        }],
        postback_share: Some("50".parse::<Percent>()?),
        payout_share: Some("50".parse::<Percent>()?),
        ..Settings::default()
    };

    let push = [("externalid", "ck-104"), ("tName:source", "push")];
    // The click, its values, the conversion's transaction id, and the conversion. The last is
    // the reversal of the second: the same transaction, rejected, its payout taken back; it is
    // the campaign's sixth conversion (its fifth, on another click, is not shown).
    let conversions: [(&str, &dyn TokenSource, &str, Conversion); 5] = [
        (
            "ck-101",
            &[("externalid", "ck-101")],
            "tx-1",
            conversion(1, "lead", "approved", "0.50")?,
        ),
        (
            "ck-102",
            &[("externalid", "ck-102")],
            "tx-2",
            conversion(2, "sale", "pending", "12.00")?,
        ),
        (
            "ck-103",
            &[("externalid", "ck-103")],
            "tx-3",
            conversion(3, "install", "approved", "2")?,
        ),
        (
            "ck-104",
            &push,
            "tx-4",
            conversion(4, "deposit", "approved", "40")?,
        ),
        (
            "ck-102",
            &[("externalid", "ck-102")],
            "tx-2",
            conversion(6, "sale", "rejected", "-12.00")?,
        ),
    ];
    for (external_id, click, transaction, conversion) in conversions {
        let conversion = Conversion {
            click: Some(click),
            ..conversion
        };
        println!(
            "conversion {} of {external_id}, {transaction} ({} {}, payout {}):",
            conversion.ordinal, conversion.status, conversion.event, conversion.payout
        );
        for decision in select(&source, &campaign, &conversion).decisions() {
            match decision.outcome {
                Outcome::Fire(fire) => {
                    let url = fire.try_expand(click)?;
                    let key = fire.dedup_key(external_id, transaction);
                    println!("  {decision}\n    send {url}\n    key  {key}");
                }
                Outcome::Skip(_) => println!("  {decision}"),
            }
        }
    }
    Ok(())
}

/// The `ordinal`-th conversion of the campaign, with its event, status and payout; approved
/// when its status is.
fn conversion(
    ordinal: u64,
    event: &'static str,
    status: &'static str,
    payout: &str,
) -> Result<Conversion<'static>, postback::ParseDecimalError> {
    Ok(Conversion {
        event,
        status,
        approved: status == "approved",
        ..Conversion::new(ordinal, decimal(payout)?)
    })
}

fn template(text: &str) -> Result<Template<'static>, postback::ParseError> {
    text.parse()
}

fn decimal(text: &str) -> Result<Decimal, postback::ParseDecimalError> {
    text.parse()
}
