//! The vocabulary, written out by hand from the crate's documentation.

use crate::*;

/// Every spelling of a named token that takes no argument, its canonical name, and its token.
pub(crate) const NAMED: &[(&str, &str, Token<'static>)] = &[
    ("clickid", "clickid", Token::ClickId),
    ("user_id", "user_id", Token::UserId),
    ("campaign", "campaign", Token::Campaign),
    ("campaign_name", "campaign_name", Token::CampaignName),
    ("path_name", "path_name", Token::PathName),
    ("rule_name", "rule_name", Token::RuleName),
    ("campaign_key", "campaign_key", Token::CampaignKey),
    ("trafficsource", "trafficsource", Token::TrafficSource),
    (
        "trafficsource_name",
        "trafficsource_name",
        Token::TrafficSourceName,
    ),
    ("externalid", "externalid", Token::ExternalId),
    ("external_id", "externalid", Token::ExternalId),
    ("clickcost", "clickcost", Token::ClickCost),
    ("domain", "domain", Token::Domain),
    ("lander", "lander", Token::Lander),
    ("referer", "referer", Token::Referer),
    ("time", "time", Token::Time),
    ("htime", "htime", Token::HTime),
    ("offer", "offer", Token::Offer),
    ("device_name", "device_name", Token::DeviceName),
    ("device_brand", "device_brand", Token::DeviceBrand),
    ("device_model", "device_model", Token::DeviceModel),
    ("browser_name", "browser_name", Token::BrowserName),
    ("browser_version", "browser_version", Token::BrowserVersion),
    ("resolution", "resolution", Token::Resolution),
    ("os_name", "os_name", Token::OsName),
    ("os_version", "os_version", Token::OsVersion),
    ("country", "country", Token::Country),
    ("country_code", "country_code", Token::CountryCode),
    ("language", "language", Token::Language),
    ("city", "city", Token::City),
    ("user_agent", "user_agent", Token::UserAgent),
    ("payout", "payout", Token::Payout),
    ("cnv_status", "cnv_status", Token::CnvStatus),
    ("cnv_status2", "cnv_status2", Token::CnvStatus2),
    ("cnv_currency", "cnv_currency", Token::CnvCurrency),
    ("txid", "txid", Token::TxId),
];

/// What a token's text (between the delimiters) means, decided naively.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// A token of the vocabulary, with its canonical `Display` form (`externalid`, `t3`,
    /// `tName:zoneid`): the key a host looks its value up by.
    Known(String),
    /// A well-formed token whose name is not in the vocabulary.
    Unknown,
    /// A parse error under every `Unknown` policy: an empty name, a slot outside `1..=10`, an
    /// argument where none is taken, `tName` without one.
    Malformed(ErrorKind),
}

/// Classifies a token's head (its text up to the first `|`): the name runs to the first `:`,
/// the rest is the argument.
pub(crate) fn naive_class(head: &str, ignore_case: bool) -> Class {
    let (name, arg) = match head.split_once(':') {
        Some((name, arg)) => (name, Some(arg)),
        None => (head, None),
    };
    if name.is_empty() {
        return Class::Malformed(ErrorKind::EmptyName);
    }
    let folded = if ignore_case {
        name.to_ascii_lowercase()
    } else {
        name.to_owned()
    };
    let no_argument = |canonical: String| match arg {
        None => Class::Known(canonical),
        Some(_) => Class::Malformed(ErrorKind::UnexpectedArgument),
    };
    if let Some(&(_, canonical, _)) = NAMED.iter().find(|(spelling, ..)| *spelling == folded) {
        return no_argument(canonical.to_owned());
    }
    let is_tname = if ignore_case {
        folded == "tname"
    } else {
        name == "tName"
    };
    if is_tname {
        return match arg {
            Some(arg) if !arg.is_empty() => Class::Known(format!("tName:{arg}")),
            _ => Class::Malformed(ErrorKind::MissingArgument),
        };
    }
    // `event` is tried first: `event1` is not `t` followed by `vent1`.
    let (family, digits) = match (folded.strip_prefix("event"), folded.strip_prefix('t')) {
        (Some(digits), _) => ("event", digits),
        (None, Some(digits)) => ("t", digits),
        (None, None) => return Class::Unknown,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Class::Unknown;
    }
    // An argument is reported before a bad slot: `{t0:x}` takes no argument.
    match digits {
        "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" => {
            no_argument(format!("{family}{digits}"))
        }
        _ if arg.is_some() => Class::Malformed(ErrorKind::UnexpectedArgument),
        _ => Class::Malformed(ErrorKind::InvalidSlot),
    }
}
