//! The token vocabulary: [`Token`], [`Slot`], the name table and its aliases.

use core::fmt;

/// Declares the argument-less named tokens once, and derives from that one list the public
/// [`Token`] variants, the private compact [`Named`] code stored in templates, the canonical names
/// and the parser's name lookup (aliases included).
macro_rules! vocabulary {
    ($(
        $(#[doc = $doc:literal])+
        $variant:ident = $name:literal $(| $alias:literal)*;
    )+) => {
        /// A token of a postback template: the name between the delimiters, parsed.
        ///
        /// The variants are the tokens of the tracker's postback documentation. Their
        /// [`name`](Token::name) is the canonical spelling; `external_id` is an alias of
        /// `externalid` and parses to [`Token::ExternalId`]. Tokens are matched case-sensitively
        /// unless [`ParseOptions::with_ignore_case`](crate::ParseOptions::with_ignore_case) is set.
        ///
        /// A [`TokenSource`](crate::TokenSource) receives a `&Token` for every token of a template
        /// being expanded and answers with its value. The enum is `#[non_exhaustive]`: new
        /// tokens may be added in minor releases, so a host's `match` ends with `_ => None`.
        ///
        /// ```
        /// use postback::{Slot, Token};
        ///
        /// assert_eq!(Token::ExternalId.name(), "externalid");
        /// assert_eq!(Token::from_name("external_id"), Some(Token::ExternalId));
        /// assert_eq!(Token::from_name("t3"), Slot::new(3).map(Token::T));
        /// assert_eq!(Token::TName("zoneid").to_string(), "tName:zoneid");
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Token<'a> {
            $( $(#[doc = $doc])+ $variant, )+
            /// `{t1}`..`{t10}`: the traffic-source parameter stored in that slot.
            T(Slot),
            /// `{event1}`..`{event10}`: the value of that event.
            Event(Slot),
            /// `{tName:NAME}`: the traffic-source parameter named `NAME` (`{tName:zoneid}`).
            ///
            /// [`Template::bind`](crate::Template::bind) turns it into [`Token::T`] once the
            /// traffic source's parameter names are known.
            TName(&'a str),
            /// A token this crate does not know, handed to the host as it was written.
            ///
            /// Only produced under [`Unknown::Custom`](crate::Unknown::Custom). `{status: lead=1
            /// sale=2}` has the name `status` and the argument `" lead=1 sale=2"` (the text
            /// after the first `:`, verbatim).
            Custom {
                /// The text before the first `:`.
                name: &'a str,
                /// The text after the first `:`, if there is a `:`.
                arg: Option<&'a str>,
            },
        }

        /// The compact code of an argument-less named token, as stored in a compiled template.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub(crate) enum Named { $($variant,)+ }

        impl Named {
            /// Every named token, in the order of the vocabulary.
            #[cfg(test)]
            pub(crate) const ALL: &'static [Named] = &[$(Named::$variant,)+];

            /// Every accepted spelling, aliases included, for suggestions.
            pub(crate) const SPELLINGS: &'static [&'static str] = &[$($name, $($alias,)*)+];

            pub(crate) const fn token(self) -> Token<'static> {
                match self { $(Named::$variant => Token::$variant,)+ }
            }

            pub(crate) const fn name(self) -> &'static str {
                match self { $(Named::$variant => $name,)+ }
            }

            /// The named token spelled exactly `name` (aliases included).
            pub(crate) fn lookup(name: &str) -> Option<Named> {
                match name {
                    $($name $(| $alias)* => Some(Named::$variant),)+
                    _ => None,
                }
            }
        }

        impl Token<'_> {
            /// The compact code of an argument-less named token.
            pub(crate) const fn named(&self) -> Option<Named> {
                match self {
                    $(Token::$variant => Some(Named::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

vocabulary! {
    /// `{clickid}`: the tracker's click id.
    ClickId = "clickid";
    /// `{user_id}`: the user id.
    UserId = "user_id";
    /// `{campaign}`: the campaign id.
    Campaign = "campaign";
    /// `{campaign_name}`: the campaign name.
    CampaignName = "campaign_name";
    /// `{path_name}`: the name of the campaign path the click took.
    PathName = "path_name";
    /// `{rule_name}`: the name of the campaign rule the click matched.
    RuleName = "rule_name";
    /// `{campaign_key}`: the campaign key.
    CampaignKey = "campaign_key";
    /// `{trafficsource}`: the id of the traffic source.
    TrafficSource = "trafficsource";
    /// `{trafficsource_name}`: the name of the traffic source.
    TrafficSourceName = "trafficsource_name";
    /// `{externalid}` or `{external_id}`: the traffic source's own click id, received through its
    /// click-id macro (ExoClick's `{conversions_tracking}`).
    ExternalId = "externalid" | "external_id";
    /// `{clickcost}`: the cost of the click, which a traffic source's cost parameter captures
    /// ([`Click::cost`](crate::traffic::Click::cost)), sent beside the payout under the
    /// network's name for it (TrafficStars' `price`, ExoClick's `cpa`); the payout share
    /// leaves it whole.
    ClickCost = "clickcost";
    /// `{domain}`: the campaign domain.
    Domain = "domain";
    /// `{lander}`: the landing page id.
    Lander = "lander";
    /// `{referer}`: the click's referer.
    Referer = "referer";
    /// `{time}`: the click time. A host that answers it with Unix seconds sends Binom's
    /// `{time}`; the `date` modifier writes it as a date (`{time|date:%Y-%m-%d %H:%M:%S}`
    /// for Affise's `{click_date}`).
    Time = "time";
    /// `{htime}`: the encrypted click time.
    HTime = "htime";
    /// `{offer}`: the offer id.
    Offer = "offer";
    /// `{device_name}`: the device's marketing name.
    DeviceName = "device_name";
    /// `{device_brand}`: the device brand.
    DeviceBrand = "device_brand";
    /// `{device_model}`: the device model.
    DeviceModel = "device_model";
    /// `{browser_name}`: the browser name.
    BrowserName = "browser_name";
    /// `{browser_version}`: the browser version.
    BrowserVersion = "browser_version";
    /// `{resolution}`: the display resolution.
    Resolution = "resolution";
    /// `{os_name}`: the user's operating system.
    OsName = "os_name";
    /// `{os_version}`: the operating system's version.
    OsVersion = "os_version";
    /// `{country}`: the user's country.
    Country = "country";
    /// `{country_code}`: the user's country code.
    CountryCode = "country_code";
    /// `{language}`: the browser language.
    Language = "language";
    /// `{city}`: the user's city.
    City = "city";
    /// `{user_agent}`: the browser's user agent.
    UserAgent = "user_agent";
    /// `{payout}`: the payout of the conversion being reported.
    Payout = "payout";
    /// `{cnv_status}`: the status of the conversion being reported.
    CnvStatus = "cnv_status";
    /// `{cnv_status2}`: the secondary status of the conversion being reported.
    CnvStatus2 = "cnv_status2";
    /// `{cnv_currency}`: the currency of the conversion's payout.
    CnvCurrency = "cnv_currency";
    /// `{txid}`: the transaction id of the conversion being reported.
    TxId = "txid";
    /// `{cnv_event}`: the event or type of the conversion being reported (`lead`, `sale`,
    /// `deposit`, `install`...), [`Conversion::event`](crate::select::Conversion::event).
    CnvEvent = "cnv_event";
    /// `{goal}`: the network's goal id for the conversion's event, from the postback rule that
    /// fires ([`Rule::goals`](crate::select::Rule::goals)).
    Goal = "goal";
    /// `{payout_or_zero}`: the payout of an approved conversion, and zero for any other
    /// (pending, declined), as some networks want it.
    PayoutOrZero = "payout_or_zero";
    /// `{cnv_time}` or `{timestamp}` (Affise's spelling): the time of the conversion being
    /// reported, which a host answers with Unix seconds; the `date` modifier writes it as a
    /// date (`{cnv_time|date:iso}`).
    CnvTime = "cnv_time" | "timestamp";
}

/// Canonical names of the numbered tokens, indexed by [`Slot::index`].
pub(crate) const T_NAMES: [&str; 10] =
    ["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10"];
pub(crate) const EVENT_NAMES: [&str; 10] = [
    "event1", "event2", "event3", "event4", "event5", "event6", "event7", "event8", "event9",
    "event10",
];

/// The canonical name of the by-name token, `{tName:NAME}`.
pub(crate) const TNAME: &str = "tName";

/// Every spelling of every name in the vocabulary, in the order suggestions prefer them.
pub(crate) const NAMES: [&[&str]; 4] = [Named::SPELLINGS, &[TNAME], &T_NAMES, &EVENT_NAMES];

/// The length of the longest name in the vocabulary (`trafficsource_name`), derived from it.
pub(crate) const LONGEST_NAME: usize = {
    let (mut longest, mut list) = (0, 0);
    while list < NAMES.len() {
        let mut name = 0;
        while name < NAMES[list].len() {
            if NAMES[list][name].len() > longest {
                longest = NAMES[list][name].len();
            }
            name += 1;
        }
        list += 1;
    }
    longest
};

impl<'a> Token<'a> {
    /// The canonical name: `"externalid"` for both spellings, `"t3"`, `"tName"` (without its
    /// argument), or a custom token's name as written.
    ///
    /// ```
    /// use postback::Template;
    ///
    /// let template = Template::parse("https://t.example/pb?id={external_id}&z={tName:zoneid}&s={t3}")?;
    /// let names: Vec<&str> = template.tokens().map(|token| token.name()).collect();
    /// assert_eq!(names, ["externalid", "tName", "t3"]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const fn name(&self) -> &'a str {
        match self {
            Token::T(slot) => T_NAMES[slot.index()],
            Token::Event(slot) => EVENT_NAMES[slot.index()],
            Token::TName(_) => TNAME,
            Token::Custom { name, .. } => name,
            named => match named.named() {
                Some(named) => named.name(),
                // Unreachable: every other variant is a named one.
                None => "",
            },
        }
    }

    /// The argument after the `:`: `NAME` of `{tName:NAME}`, or a custom token's argument.
    ///
    /// ```
    /// use postback::{ParseOptions, Template, Unknown};
    ///
    /// let options = ParseOptions::new().with_unknown(Unknown::Custom);
    /// let text = "https://t.example/pb?z={tName:zoneid}&s={status:sale}&c={clickid}";
    /// let template = Template::parse_with(text, &options)?;
    /// let arguments: Vec<Option<&str>> = template.tokens().map(|t| t.argument()).collect();
    /// assert_eq!(arguments, [Some("zoneid"), Some("sale"), None]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const fn argument(&self) -> Option<&'a str> {
        match self {
            Token::TName(name) => Some(*name),
            Token::Custom { arg, .. } => *arg,
            _ => None,
        }
    }

    /// The argument-less token spelled exactly `name`: a named token or one of its aliases,
    /// `t1`..`t10` or `event1`..`event10`. `tName` and custom tokens carry an argument and are
    /// not returned.
    ///
    /// ```
    /// # use postback::Token;
    /// assert_eq!(Token::from_name("clickid"), Some(Token::ClickId));
    /// assert_eq!(Token::from_name("t11"), None);
    /// assert_eq!(Token::from_name("ClickId"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Token<'static>> {
        if let Some(named) = Named::lookup(name) {
            return Some(named.token());
        }
        match numbered(name, false)? {
            (Numbered::T, Ok(slot)) => Some(Token::T(slot)),
            (Numbered::Event, Ok(slot)) => Some(Token::Event(slot)),
            (_, Err(())) => None,
        }
    }
}

impl fmt::Display for Token<'_> {
    /// Writes the token as it stands between delimiters in canonical spelling: `clickid`,
    /// `t3`, `tName:zoneid`, `status:lead=1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        match self.argument() {
            Some(arg) => write!(f, ":{arg}"),
            None => Ok(()),
        }
    }
}

/// The family of a numbered token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Numbered {
    /// `t1`..`t10`.
    T,
    /// `event1`..`event10`.
    Event,
}

impl Numbered {
    /// The first and last canonical names of the family, for messages.
    pub(crate) const fn range(self) -> (&'static str, &'static str) {
        match self {
            Numbered::T => (T_NAMES[0], T_NAMES[9]),
            Numbered::Event => (EVENT_NAMES[0], EVENT_NAMES[9]),
        }
    }
}

/// Splits a numbered name (`t` or `event` followed by ASCII digits only) into its family and its
/// slot: `Err(())` when the digits are not a canonical `1`..`10` (`t0`, `t11`, `t01`). `None` when
/// the name is not of that form at all (`tid`, `event_name`, `t`).
/// With `ignore_case`, the prefix may be in any case (`T1`, `EVENT2`).
pub(crate) fn numbered(name: &str, ignore_case: bool) -> Option<(Numbered, Result<Slot, ()>)> {
    let strip = |prefix: &str| {
        let head = name.get(..prefix.len())?;
        let matches = head == prefix || (ignore_case && head.eq_ignore_ascii_case(prefix));
        matches.then(|| &name[prefix.len()..])
    };
    let (family, digits) = match strip("event") {
        Some(digits) => (Numbered::Event, digits),
        None => (Numbered::T, strip("t")?),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let slot = match digits.as_bytes() {
        [d @ b'1'..=b'9'] => Slot::new(d - b'0'),
        b"10" => Slot::new(10),
        _ => None,
    };
    Some((family, slot.ok_or(())))
}

/// One of the ten traffic-source parameter slots `t1`..`t10` (or events `event1`..`event10`).
///
/// A `Slot` always holds a number from 1 to 10, so a host can index its storage with
/// [`index`](Slot::index) without a bounds check failing.
///
/// ```
/// use postback::Slot;
///
/// let slot = Slot::new(3).unwrap();
/// assert_eq!((slot.get(), slot.index()), (3, 2));
/// assert_eq!(Slot::new(0), None);
/// assert_eq!(Slot::new(11), None);
/// ```
///
/// With the `serde` feature, a slot is its number, 1 to 10:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use postback::Slot;
///
/// let slots: Vec<Slot> = serde_json::from_str("[1, 3, 10]")?;
/// assert_eq!(slots, [Slot::MIN, Slot::new(3).unwrap(), Slot::MAX]);
/// assert_eq!(serde_json::to_string(&slots)?, "[1,3,10]");
/// assert!(serde_json::from_str::<Slot>("11").is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot(u8);

impl Slot {
    /// The first slot, `t1`.
    ///
    /// ```
    /// use postback::{Slot, Token};
    ///
    /// assert_eq!(Slot::MIN.get(), 1);
    /// assert_eq!(Token::T(Slot::MIN).name(), "t1");
    /// ```
    pub const MIN: Slot = Slot(1);
    /// The last slot, `t10`.
    ///
    /// ```
    /// use postback::{Slot, Token};
    ///
    /// assert_eq!(Slot::MAX.get(), 10);
    /// assert_eq!(Token::Event(Slot::MAX).name(), "event10");
    /// ```
    pub const MAX: Slot = Slot(10);

    /// The slot numbered `n`, or `None` unless `1 <= n <= 10`.
    ///
    /// ```
    /// use postback::{Slot, Token};
    ///
    /// // ExoClick's zone id, stored by the traffic source in t1.
    /// let zone = Slot::new(1).ok_or("no such slot")?;
    /// assert_eq!(Token::from_name("t1"), Some(Token::T(zone)));
    /// assert_eq!(Slot::new(11), None);
    /// # Ok::<(), &str>(())
    /// ```
    pub const fn new(n: u8) -> Option<Slot> {
        match n {
            1..=10 => Some(Slot(n)),
            _ => None,
        }
    }

    /// The slot's number, from 1 to 10.
    ///
    /// ```
    /// use postback::{Template, Token};
    ///
    /// let template = Template::parse("https://t.example/pb?zone={t1}&site={t4}")?;
    /// let numbers: Vec<u8> = template
    ///     .tokens()
    ///     .filter_map(|token| match token {
    ///         Token::T(slot) => Some(slot.get()),
    ///         _ => None,
    ///     })
    ///     .collect();
    /// assert_eq!(numbers, [1, 4]);
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const fn get(self) -> u8 {
        self.0
    }

    /// The slot's zero-based index, from 0 to 9, for indexing a host's `[_; 10]` storage.
    ///
    /// ```
    /// use postback::{Template, Token, Value, from_fn};
    ///
    /// // A click's t1..t10, as the traffic source's parameters filled them.
    /// let params = ["4012", "", "site-7", "", "", "", "", "", "", ""];
    /// let click = from_fn(|token| match token {
    ///     Token::T(slot) => Some(Value::Str(params[slot.index()])),
    ///     _ => None,
    /// });
    /// let template = Template::parse("https://t.example/pb?zone={t1}&site={t3}")?;
    /// assert_eq!(template.expand(&click), "https://t.example/pb?zone=4012&site=site-7");
    /// # Ok::<(), postback::ParseError>(())
    /// ```
    pub const fn index(self) -> usize {
        self.0 as usize - 1
    }

    /// Every slot, from `t1` to `t10`.
    ///
    /// ```
    /// use postback::{Slot, Token};
    ///
    /// let names: Vec<&str> = Slot::all().map(|slot| Token::T(slot).name()).collect();
    /// assert_eq!(names.len(), 10);
    /// assert_eq!((names[0], names[9]), ("t1", "t10"));
    /// assert_eq!(Slot::all().rev().next(), Some(Slot::MAX));
    /// ```
    pub fn all() -> impl DoubleEndedIterator<Item = Slot> + ExactSizeIterator {
        (1..=10).map(Slot)
    }
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    /// Fails to compile when a variant is added without deciding how the parser handles it.
    fn exhaustive(token: Token<'_>) -> bool {
        use Token::*;
        match token {
            ClickId | UserId | Campaign | CampaignName | PathName | RuleName | CampaignKey
            | TrafficSource | TrafficSourceName | ExternalId | ClickCost | Domain | Lander
            | Referer | Time | HTime | Offer | DeviceName | DeviceBrand | DeviceModel
            | BrowserName | BrowserVersion | Resolution | OsName | OsVersion | Country
            | CountryCode | Language | City | UserAgent | Payout | CnvStatus | CnvStatus2
            | CnvCurrency | TxId | CnvEvent | Goal | PayoutOrZero | CnvTime => true,
            T(_) | Event(_) | TName(_) | Custom { .. } => false,
        }
    }

    #[test]
    fn every_named_token_round_trips_through_its_name() {
        assert_eq!(Named::ALL.len(), 39);
        for &named in Named::ALL {
            let token = named.token();
            assert!(exhaustive(token));
            assert_eq!(token.named(), Some(named));
            assert_eq!(Named::lookup(token.name()), Some(named));
            assert_eq!(Token::from_name(token.name()), Some(token));
        }
        assert_eq!(Named::SPELLINGS.len(), Named::ALL.len() + 2, "two aliases");
        assert_eq!(LONGEST_NAME, "trafficsource_name".len());
    }

    #[test]
    fn alias() {
        assert_eq!(Token::from_name("external_id"), Some(Token::ExternalId));
        assert_eq!(Token::ExternalId.name(), "externalid");
    }

    #[test]
    fn numbered_names() {
        for n in 1..=10u8 {
            let slot = Slot::new(n).unwrap();
            assert_eq!(Token::T(slot).name(), alloc::format!("t{n}"));
            assert_eq!(Token::Event(slot).name(), alloc::format!("event{n}"));
            assert_eq!(
                Token::from_name(&alloc::format!("t{n}")),
                Some(Token::T(slot))
            );
            assert_eq!(
                Token::from_name(&alloc::format!("event{n}")),
                Some(Token::Event(slot))
            );
        }
        for bad in [
            "t0", "t11", "t01", "t010", "event0", "event11", "event01", "t100",
        ] {
            assert!(matches!(numbered(bad, false), Some((_, Err(())))), "{bad}");
            assert_eq!(Token::from_name(bad), None);
        }
        for other in [
            "t",
            "event",
            "tid",
            "event_name",
            "t1a",
            "T1",
            "tName",
            "t-1",
            "t+1",
        ] {
            assert_eq!(numbered(other, false), None, "{other}");
        }
        for (upper, family) in [
            ("T1", Numbered::T),
            ("EVENT10", Numbered::Event),
            ("Event0", Numbered::Event),
        ] {
            assert_eq!(
                numbered(upper, true).map(|(f, _)| f),
                Some(family),
                "{upper}"
            );
        }
    }

    #[test]
    fn display() {
        let slot = Slot::new(7).unwrap();
        assert_eq!(Token::ClickId.to_string(), "clickid");
        assert_eq!(Token::T(slot).to_string(), "t7");
        assert_eq!(Token::Event(slot).to_string(), "event7");
        assert_eq!(Token::TName("zoneid").to_string(), "tName:zoneid");
        let status = Token::Custom {
            name: "status",
            arg: Some(" lead=1"),
        };
        assert_eq!(status.to_string(), "status: lead=1");
        assert_eq!(status.argument(), Some(" lead=1"));
        assert_eq!(
            Token::Custom {
                name: "x",
                arg: None
            }
            .to_string(),
            "x"
        );
    }

    #[test]
    fn slots() {
        assert_eq!(Slot::all().count(), 10);
        assert_eq!(Slot::all().next(), Some(Slot::MIN));
        assert_eq!(Slot::all().last(), Some(Slot::MAX));
        assert_eq!(Slot::MAX.index(), 9);
    }
}
