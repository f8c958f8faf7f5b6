//! The campaign link: the tracker's click URL with the network's macros.

use alloc::boxed::Box;
use alloc::string::String;
use core::fmt::{self, Write};
use percent_encoding::utf8_percent_encode;

use super::TrafficSource;
use super::capture::{decode, pairs};
use crate::Span;
use crate::encode::COMPONENT;

impl TrafficSource {
    /// The campaign link: the link the tracker hands to the network, which sends its clicks
    /// there with its macros filled in.
    ///
    /// `click_url` is the tracker's click URL for a campaign (its base and its campaign key,
    /// `https://trk.example/c/abc123`). The link adds one `name=MACRO` pair per parameter to
    /// its query: the click id's first (so that a network that cuts long links keeps it), then
    /// the cost's, then the others in order. The macros are written exactly as the network
    /// expects them, not percent-encoded: they are the network's placeholders, and it replaces
    /// them with values it encodes itself. A parameter name is percent-encoded where it needs
    /// it (`server node` becomes `server%20node`). A query already in `click_url` is kept, and
    /// so is a fragment, after the new pairs.
    ///
    /// Fails when `click_url` already has a parameter of this source: the value in the click
    /// URL would come first and hide the network's (see [`TrafficSource::capture`]).
    ///
    /// ```
    /// use postback::traffic::presets::{self, GoalValue};
    ///
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let link = exoclick.campaign_link("https://trk.example/c/abc123?lang=en")?;
    /// assert_eq!(
    ///     link,
    ///     "https://trk.example/c/abc123?lang=en&externalid={conversions_tracking}&zoneid={zone_id}\
    ///      &siteid={site_id}&campaignid={campaign_id}&variationid={variation_id}\
    ///      &hostname={src_hostname}&categoryid={category_id}",
    /// );
    ///
    /// let err = exoclick.campaign_link("https://trk.example/c/abc123?zoneid=7").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     r#"the click URL already has the parameter "zoneid" at bytes 29..37, which would hide the network's value"#,
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`LinkError`] when `click_url` already has one of the source's parameters, which would
    /// hide the network's value.
    pub fn campaign_link(&self, click_url: &str) -> Result<String, LinkError> {
        let (base, fragment) = click_url.split_at(click_url.find('#').unwrap_or(click_url.len()));
        if let Some(start) = base.find('?').map(|q| q + 1) {
            for (at, key, _) in pairs(&base[start..]) {
                let name = decode(key).ok();
                let Some(name) = name.filter(|name| self.fields().any(|(_, n, _)| n == name))
                else {
                    continue;
                };
                let end = base[start + at..]
                    .find('&')
                    .map_or(base.len(), |i| start + at + i);
                return Err(LinkError {
                    name: name.into(),
                    span: Span::new(start + at, end),
                });
            }
        }
        let extra: usize = self.fields().map(|(_, n, m)| n.len() + m.len() + 2).sum();
        let mut link = String::with_capacity(click_url.len() + extra);
        link.push_str(base);
        let mut separator = match base.find('?') {
            None => "?",
            Some(_) if base.ends_with(['?', '&']) => "",
            Some(_) => "&",
        };
        for (_, name, placeholder) in self.fields() {
            link.push_str(separator);
            separator = "&";
            // Writing to a `String` cannot fail.
            let _ = write!(link, "{}", utf8_percent_encode(name, COMPONENT));
            link.push('=');
            link.push_str(placeholder);
        }
        link.push_str(fragment);
        Ok(link)
    }
}

/// A click URL that already has one of the traffic source's parameters: see
/// [`TrafficSource::campaign_link`].
///
/// ```
/// # use postback::traffic::presets::{self, GoalValue};
/// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
/// // The first of the source's parameters in the click URL's query is the one named.
/// let url = "https://trk.example/c/summer?siteid=88&zoneid=7";
/// let err = exoclick.campaign_link(url).unwrap_err();
/// assert_eq!((err.name(), err.span().range()), ("siteid", 29..38));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LinkError {
    name: Box<str>,
    span: Span,
}

impl LinkError {
    /// The parameter's name.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let err = exoclick.campaign_link("https://trk.example/c/7?externalid=test").unwrap_err();
    /// assert_eq!(err.name(), "externalid");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the `name=value` pair stands in the click URL, in bytes.
    ///
    /// ```
    /// # use postback::traffic::presets::{self, GoalValue};
    /// let exoclick = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::NoValue)?;
    /// let url = "https://trk.example/c/summer?lang=en&zoneid=7#promo";
    /// let err = exoclick.campaign_link(url).unwrap_err();
    /// assert_eq!(&url[err.span().range()], "zoneid=7");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn span(&self) -> Span {
        self.span
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the click URL already has the parameter {:?} at bytes {}, which would hide the network's value",
            self.name, self.span,
        )
    }
}

impl core::error::Error for LinkError {}
