//! The whole conversion loop of the seed, over real HTTP on 127.0.0.1.
//!
//! Two small servers, on ports the OS assigns, record every request they receive: one plays
//! the tracker's click endpoint, the other plays ExoClick's postback endpoint. For each click
//! id, ExoClick's side fills the campaign link's macros and sends the click to the tracker;
//! the tracker captures it, a conversion comes in, `select` decides the postbacks (the
//! source's and the campaign's), and each is expanded and sent to ExoClick with a real HTTP
//! client. ExoClick must receive exactly the expected requests, and its `tag` must decode to
//! the original click id, byte for byte.
//!
//! Nothing leaves the loopback interface; every wait is bounded; the servers stop and their
//! threads are joined before the test ends.

#[cfg(feature = "hash")]
#[path = "../examples/network/mod.rs"]
mod network;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use postback::select::{Conversion, Settings, select};
use postback::traffic::presets::{self, GoalValue};
use postback::traffic::{CaptureErrorKind, TrafficSource};
use postback::{Decimal, Token, TokenSource, Value, from_fn};

const GOAL: &str = "4f1b2c3d4e5f60718293a4b5c6d7e8f9";

/// How long a server waits for requests before it gives up by itself, whatever happens.
const SERVER_LIFETIME: Duration = Duration::from_secs(60);
/// How long the client waits for one request, connection included.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(20);

/// An HTTP server on 127.0.0.1 that answers `OK` to every request and records its target.
struct Recorder {
    base: String,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Vec<String>>,
}

impl Recorder {
    fn start() -> Recorder {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("a loopback port");
        let port = server.server_addr().to_ip().expect("an IP address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut targets = Vec::new();
            while !stopping.load(Ordering::Acquire) && started.elapsed() < SERVER_LIFETIME {
                match server.recv_timeout(Duration::from_millis(20)) {
                    Ok(Some(request)) => {
                        targets.push(request.url().to_owned());
                        let _ = request.respond(tiny_http::Response::from_string("OK"));
                    }
                    Ok(None) => {}
                    Err(err) => panic!("the server failed: {err}"),
                }
            }
            targets
        });
        Recorder {
            base: format!("http://127.0.0.1:{port}"),
            stop,
            thread,
        }
    }

    /// Stops the server and returns the target (path and query) of every request it received,
    /// in order. Every request was answered before its client call returned, so none is lost.
    fn finish(self) -> Vec<String> {
        self.stop.store(true, Ordering::Release);
        self.thread.join().expect("the server thread")
    }
}

fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(CLIENT_TIMEOUT))
        // No proxy from the environment: the requests go to the loopback servers directly.
        .proxy(None)
        .http_status_as_error(true)
        .build()
        .into()
}

/// Everything but the unreserved characters of RFC 3986, as a network encodes the values it
/// puts into a URL.
const NETWORK: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What ExoClick does to the campaign link when it sends a click: every macro replaced with
/// the click's value, percent-encoded.
fn exoclick_fills(link: &str, click_id: &str) -> String {
    fill(link, &encode(click_id))
}

/// A network that forgets to encode its click id: it goes into the link as it is.
fn careless_network_fills(link: &str, click_id: &str) -> String {
    fill(link, click_id)
}

fn encode(value: &str) -> String {
    utf8_percent_encode(value, NETWORK).to_string()
}

/// The link with the click id, already in its URL form, and the other macros filled, encoded.
fn fill(link: &str, click_id: &str) -> String {
    let link = link.replace("{conversions_tracking}", click_id);
    [
        ("{zone_id}", "4012"),
        ("{site_id}", "88 & co"),
        ("{campaign_id}", "771"),
        ("{variation_id}", "9"),
        ("{src_hostname}", "tube.example"),
        ("{category_id}", "12"),
    ]
    .into_iter()
    .fold(link, |link, (placeholder, value)| {
        link.replace(placeholder, &encode(value))
    })
}

/// The ExoClick preset, its postback pointed at the server that plays ExoClick: the same path
/// and query, on the loopback host.
fn exoclick_at(base: &str) -> TrafficSource {
    let preset = presets::exoclick(GOAL, GoalValue::Dynamic).unwrap();
    let mut parts = preset.into_parts();
    let postback = parts.settings.postback.take().unwrap();
    let local = postback.as_str().replace("https://s.magsrv.com", base);
    parts.settings.postback = Some(local.parse().unwrap());
    TrafficSource::new(parts).unwrap()
}

/// The decoded value of `name` in a request target, by the `url` crate: a decoder that is not
/// this crate's.
fn query_value(target: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(&format!("http://127.0.0.1{target}")).unwrap();
    url.query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn hostile_click_ids() -> Vec<String> {
    let long: String = "Zx9-_.~+/=".chars().cycle().take(300).collect();
    assert_eq!(long.len(), 300);
    [
        "ex-7f3a9c",
        "a&b=c",
        "x#y",
        "é",
        "%zz",
        "q3+Zr/8kLw==",
        "  spaced  out ",
        "{externalid}",
        &long,
    ]
    .map(str::to_owned)
    .to_vec()
}

/// Runs the loop for every hostile click id: click in over HTTP, capture, conversion,
/// selection, two postbacks out over HTTP.
#[test]
fn every_click_id_comes_back_byte_for_byte() {
    let tracker = Recorder::start();
    let exoclick_server = Recorder::start();
    let agent = client();

    let source = exoclick_at(&exoclick_server.base);
    // The campaign reports half the payout, at both levels.
    let mut campaign_settings = Settings {
        payout_share: Some("50".parse().unwrap()),
        ..Settings::with_postback(
            format!(
                "{}/s2s?cid={{externalid}}&zone={{tName:zoneid}}&sum={{payout}}",
                exoclick_server.base
            )
            .parse()
            .unwrap(),
        )
    };
    source.bind(&mut campaign_settings).unwrap();
    let link = source
        .campaign_link(&format!("{}/c/abc123", tracker.base))
        .unwrap();

    let click_ids = hostile_click_ids();
    let payout: Decimal = "2.50".parse().unwrap();
    let mut expected = Vec::new();
    for click_id in &click_ids {
        // 1. ExoClick sends the click to the tracker, its macros filled in.
        agent.get(&exoclick_fills(&link, click_id)).call().unwrap();
    }
    let clicks = tracker.finish();
    assert_eq!(clicks.len(), click_ids.len());

    for (n, (click_id, target)) in click_ids.iter().zip(&clicks).enumerate() {
        // 2. The tracker captures the click from the query it received.
        // `tiny_http` hands over the request target, path and query: capture takes it whole.
        assert!(target.starts_with("/c/abc123?"), "{target}");
        let click = source.capture(target).unwrap();
        assert_eq!(click.external_id(), Some(click_id.as_str()), "{target}");
        assert_eq!(click.by_name("zoneid"), Some("4012"));
        assert_eq!(click.by_name("siteid"), Some("88 & co"));

        // 3. A conversion: both levels fire.
        let conversion = Conversion::new(n as u64 + 1, payout);
        let selection = select(source.settings(), &campaign_settings, &conversion);
        let fired: Vec<_> = selection.fired().collect();
        assert_eq!(fired.len(), 2);
        // The host's values: the click's, and the conversion's full payout.
        let values = from_fn(|token| match token {
            Token::Payout => Some(Value::Decimal(payout)),
            token => click.value(token),
        });
        // A tracker stores the click when it arrives, and expands from what it stored.
        let record = click.record();
        let stored = from_fn(|token| match token {
            Token::Payout => Some(Value::Decimal(payout)),
            token => record.value(token),
        });
        for fire in fired {
            // 4. Each postback is expanded at the payout `select` decided and sent.
            let url = fire.try_expand(&values).unwrap();
            assert_eq!(fire.try_expand(&stored).unwrap(), url);
            agent.get(&url).call().unwrap();
        }
        let tag = encode(click_id);
        expected.push(format!("/tag.php?goal={GOAL}&tag={tag}&value=1.25"));
        expected.push(format!("/s2s?cid={tag}&zone=4012&sum=1.25"));
    }

    // 5. ExoClick received exactly the expected requests, and each click id came back whole.
    let postbacks = exoclick_server.finish();
    assert_eq!(postbacks, expected);
    for (click_id, pair) in click_ids.iter().zip(postbacks.chunks(2)) {
        let tag = query_value(&pair[0], "tag").unwrap();
        assert_eq!(tag.as_bytes(), click_id.as_bytes());
        let cid = query_value(&pair[1], "cid").unwrap();
        assert_eq!(cid.as_bytes(), click_id.as_bytes());
    }
}

/// A network that does not encode its click id: a raw `%zz` cannot be decoded, the capture
/// says so with a typed error, and nothing is reported back. (Encoded by the network, the same
/// `%zz` comes back whole: see above.)
#[test]
fn a_click_the_network_did_not_encode() {
    let tracker = Recorder::start();
    let exoclick_server = Recorder::start();
    let agent = client();
    let source = exoclick_at(&exoclick_server.base);
    let link = source
        .campaign_link(&format!("{}/c/abc123", tracker.base))
        .unwrap();

    let click = careless_network_fills(&link, "ab%zz");
    agent.get(&click).call().unwrap();
    let targets = tracker.finish();
    let err = source.capture(&targets[0]).unwrap_err();
    assert_eq!(err.kind(), CaptureErrorKind::BadEscape);
    assert_eq!((err.name(), err.found()), ("externalid", "%zz"));
    // The span is in bytes of the target, `/c/abc123?externalid=ab%zz&...`.
    assert_eq!(&targets[0][err.span().range()], "%zz");
    assert_eq!(
        err.to_string(),
        r#"malformed percent escape "%zz" at bytes 23..26 in the value of "externalid""#
    );
    assert!(exoclick_server.finish().is_empty());
}

/// A click whose `{conversions_tracking}` came back unfilled has no click id: the checked
/// expansion refuses to build a postback for it, and ExoClick receives nothing.
#[test]
fn an_unfilled_click_id_sends_nothing() {
    let tracker = Recorder::start();
    let exoclick_server = Recorder::start();
    let agent = client();
    let source = exoclick_at(&exoclick_server.base);
    let link = source
        .campaign_link(&format!("{}/c/abc123", tracker.base))
        .unwrap();

    agent
        .get(&link.replace("{zone_id}", "4012"))
        .call()
        .unwrap();
    let targets = tracker.finish();
    let click = source.capture(&targets[0]).unwrap();
    assert_eq!(click.external_id(), None);
    assert_eq!(
        click.unfilled().collect::<Vec<_>>(),
        [
            "externalid",
            "siteid",
            "campaignid",
            "variationid",
            "hostname",
            "categoryid"
        ]
    );

    let payout: Decimal = "2.50".parse().unwrap();
    let values = from_fn(|token| match token {
        Token::Payout => Some(Value::Decimal(payout)),
        token => click.value(token),
    });
    let err = source.postback().unwrap().try_expand(&values).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(r#"token without a usable value: no value for "externalid""#)
    );
    assert!(exoclick_server.finish().is_empty());
}

/// The loop against a network that misbehaves on purpose follows each source's delivery
/// policy: the flaky endpoint's postbacks are delivered on their third attempt, a minute and
/// five minutes later on the host's clock (give or take the jitter); `ERROR: Tag is invalid!`
/// is refused for good at once; the duplicate message counts as done; the signed JSON POST is
/// delivered; and the conversion that arrives again sends nothing.
#[cfg(feature = "hash")]
#[test]
fn the_loop_follows_each_delivery_policy() {
    let started = Instant::now();
    let mut lines = Vec::new();
    let report = network::run(|line| lines.push(line.to_owned())).unwrap();
    let ended: Vec<(&str, u32, &str)> = report
        .ended
        .iter()
        .map(|e| (e.label.as_str(), e.attempts, e.step.as_str()))
        .collect();
    assert_eq!(
        ended,
        [
            (
                "conversion 1 campaign postback",
                1,
                r#"refused: permanent: rule 2 ("error")"#
            ),
            (
                "conversion 2 campaign postback",
                1,
                r#"done: duplicate: rule 1 ("already notified")"#
            ),
            (
                "conversion 3 traffic source postback",
                1,
                r#"done: delivered: rule 0 ("ok")"#
            ),
            (
                "conversion 1 traffic source postback",
                3,
                r#"done: delivered: rule 0 ("ok")"#
            ),
            (
                "conversion 2 traffic source postback",
                3,
                r#"done: delivered: rule 0 ("ok")"#
            ),
        ]
    );
    // Every conversion ended, delivered or refused for a stated reason; none twice.
    assert!(
        report
            .ended
            .iter()
            .all(|e| e.done || e.step.starts_with("refused: "))
    );

    // The network saw each postback as often as the policy says, and nothing more: the
    // conversion that came again was not sent.
    let count = |path: &str| {
        report
            .received
            .iter()
            .filter(|r| r.target.starts_with(path))
            .count()
    };
    assert_eq!(
        (
            count("/flaky/"),
            count("/invalid/"),
            count("/dup/"),
            count("/capi/")
        ),
        (6, 1, 1, 1)
    );
    assert_eq!(report.received.len(), 9);
    let statuses: Vec<u16> = report
        .received
        .iter()
        .filter(|r| r.target.contains("tag=ex-1&"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [503, 503, 200]);
    assert!(
        lines
            .iter()
            .filter(|l| l.ends_with("ended already, not sent again"))
            .count()
            == 2
    );

    // The JSON POST: its body as the values were, escaped, and a signature the network took.
    let capi = report
        .received
        .iter()
        .find(|r| r.target == "/capi/events")
        .unwrap();
    assert_eq!(capi.method, "POST");
    assert_eq!(capi.content_type.as_deref(), Some("application/json"));
    assert_eq!(capi.status, 200);
    let body: serde_json::Value = serde_json::from_str(&capi.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"click_id": "js-3", "event": "sale", "value": 2.5, "currency": "USD"})
    );
    assert_eq!(capi.signature.as_ref().map(String::len), Some(64));

    // The retries came 54..66 s and 270..330 s after the attempts before them, on the host's
    // clock, which the loop moved without waiting.
    let moved = report.clock - network::CONVERTED_AT;
    assert!((54 + 270..=66 + 330).contains(&moved), "{moved}");
    assert!(started.elapsed() < Duration::from_secs(30));
}
