//! A loopback network that misbehaves on purpose, and the host's delivery loop that copes
//! with it by the traffic sources' policies: shared by `examples/loop.rs` and `tests/loop.rs`.
//!
//! The network, one HTTP server on 127.0.0.1, answers by path:
//!
//! - `/flaky/...`: 503 twice, then ExoClick's `OK`;
//! - `/invalid/...`: `ERROR: Tag is invalid!`, with a 200: permanent;
//! - `/dup/...`: `ERROR: This conversion has already been notified and saved.`, with a 200:
//!   a duplicate, which counts as done;
//! - `/capi/...`: a POST of JSON, whose `X-Signature` header must be the HMAC-SHA256 of the
//!   body: `{"ok": true}`, or a 401 with `{"ok": false}`;
//! - anything else: `OK`.
//!
//! The loop sends each prepared postback when it is due, on a clock the host injects, reads
//! the answer by its source's [`Policy`], and schedules the next attempt or ends: no sleep,
//! so a day of retries takes milliseconds.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use postback::delivery::{
    Answer, AnswerRule, Attempt, BodyMatch, Outcome, Policy, StatusRange, Step,
};
use postback::request::{Body, Header, Method, Outgoing};
use postback::select::{Conversion, Rule, Settings, select};
use postback::sign::{Algorithm, Signer};
use postback::traffic::presets::{self, GoalValue};
use postback::traffic::{Param, Parts, TrafficSource};

/// The duplicate message of ExoClick.
pub const DUPLICATE: &str = "ERROR: This conversion has already been notified and saved.";

/// A request the network received, and what it answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    pub method: String,
    /// The target: path and query.
    pub target: String,
    pub content_type: Option<String>,
    pub signature: Option<String>,
    pub body: String,
    pub status: u16,
    pub answer: String,
}

/// The network: a server on a loopback port, on its own thread, for at most a minute.
pub struct Network {
    pub base: String,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Vec<Received>>,
}

impl Network {
    /// Starts the network; `/capi/` checks signatures with `signer`.
    pub fn start(signer: Signer) -> std::io::Result<Network> {
        let server = tiny_http::Server::http("127.0.0.1:0").map_err(std::io::Error::other)?;
        let port = server.server_addr().to_ip().map_or(0, |addr| addr.port());
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut received = Vec::new();
            // How often each flaky target was asked for.
            let mut flaky: BTreeMap<String, u32> = BTreeMap::new();
            while !stopping.load(Ordering::Acquire) && started.elapsed() < Duration::from_secs(60) {
                let Ok(Some(mut request)) = server.recv_timeout(Duration::from_millis(20)) else {
                    continue;
                };
                let header = |name: &str| {
                    let found = request
                        .headers()
                        .iter()
                        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name));
                    found.map(|h| h.value.as_str().to_owned())
                };
                let (content_type, signature) = (header("Content-Type"), header("X-Signature"));
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                let target = request.url().to_owned();
                let method = request.method().as_str().to_owned();
                let (status, answer) = match target.split('/').nth(1).unwrap_or_default() {
                    "flaky" => {
                        let asked = flaky.entry(target.clone()).or_default();
                        *asked += 1;
                        match *asked {
                            1 | 2 => (503, "Service Unavailable".to_owned()),
                            _ => (200, "OK".to_owned()),
                        }
                    }
                    "invalid" => (200, "ERROR: Tag is invalid!".to_owned()),
                    "dup" => (200, DUPLICATE.to_owned()),
                    "capi" => {
                        let expected = signer.signature_of_body(&body).ok();
                        let signed =
                            expected.is_some_and(|s| signature.as_deref() == Some(s.as_str()));
                        let json = content_type.as_deref() == Some("application/json");
                        match (method == "POST", json, signed) {
                            (true, true, true) => (200, r#"{"ok": true}"#.to_owned()),
                            _ => (401, r#"{"ok": false}"#.to_owned()),
                        }
                    }
                    _ => (200, "OK".to_owned()),
                };
                let response =
                    tiny_http::Response::from_string(answer.clone()).with_status_code(status);
                let _ = request.respond(response);
                received.push(Received {
                    method,
                    target,
                    content_type,
                    signature,
                    body,
                    status,
                    answer,
                });
            }
            received
        });
        Ok(Network {
            base: format!("http://127.0.0.1:{port}"),
            stop,
            thread,
        })
    }

    /// Stops the network; what it received, in order.
    pub fn finish(self) -> Vec<Received> {
        self.stop.store(true, Ordering::Release);
        self.thread.join().unwrap_or_default()
    }
}

/// A postback waiting to be sent.
pub struct Pending<'p> {
    /// A name for the log: which conversion, which postback.
    pub label: String,
    /// Its dedup key: what it is once sent, so that it is never sent twice.
    pub key: String,
    /// The prepared request.
    pub request: Outgoing,
    /// Its source's policy.
    pub policy: &'p Policy,
    /// When its conversion happened, Unix seconds.
    pub converted_at: u64,
}

/// How a postback ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ended {
    pub label: String,
    /// How many attempts it took.
    pub attempts: u32,
    /// The last step: `done: delivered: rule 0 ("ok")`, `refused: permanent: ...`.
    pub step: String,
    pub done: bool,
}

/// The host's clock, which the loop moves: Unix seconds.
pub struct Clock(pub u64);

/// Sends every postback of `queue` as the policies say, by `agent`, with `signer` signing
/// every body in an `X-Signature` header, on `clock`; `log` gets a line for each attempt. A postback whose key is in
/// `ended` is not sent: it was delivered, or refused for good, already; each that ends here
/// joins it. Returns how each postback ended, in the order they ended.
pub fn deliver(
    queue: Vec<Pending<'_>>,
    agent: &ureq::Agent,
    signer: &Signer,
    clock: &mut Clock,
    ended_keys: &mut BTreeSet<String>,
    mut log: impl FnMut(&str),
) -> Vec<Ended> {
    // Due time, then order of arrival: the next postback to send is the first.
    let mut due: BTreeMap<(u64, usize), (Pending<'_>, u32)> = BTreeMap::new();
    for (n, pending) in queue.into_iter().enumerate() {
        due.insert((clock.0, n), (pending, 1));
    }
    let mut ended = Vec::new();
    while let Some(((at, n), (pending, number))) = due.pop_first() {
        clock.0 = clock.0.max(at);
        if ended_keys.contains(&pending.key) {
            let since = clock.0.saturating_sub(pending.converted_at);
            log(&format!(
                "t+{since:>6}s  {}: ended already, not sent again",
                pending.label
            ));
            continue;
        }
        if !pending.policy.sendable(pending.converted_at, clock.0) {
            let since = clock.0.saturating_sub(pending.converted_at);
            log(&format!(
                "t+{since:>6}s  {}: past the window, dropped",
                pending.label
            ));
            continue;
        }
        let answer_text;
        let answer = match send(agent, signer, &pending.request) {
            Ok((status, body)) => {
                answer_text = body;
                Answer::Response {
                    status,
                    body: &answer_text,
                }
            }
            Err(_) => Answer::NetworkError,
        };
        // The seed: the key's, so that its retries do not come back with every other's.
        let seed = pending
            .key
            .bytes()
            .fold(0u64, |h, b| h.rotate_left(5) ^ u64::from(b));
        let attempt = Attempt {
            number,
            converted_at: pending.converted_at,
            at: clock.0,
            seed,
        };
        let step = pending.policy.step(answer, attempt);
        let shown = match answer {
            Answer::Response { status, body } => format!("{status} {body:?}"),
            Answer::NetworkError => "no answer".to_owned(),
        };
        let request = &pending.request;
        let body = match request.body() {
            "" => String::new(),
            body => format!(" {body}"),
        };
        log(&format!(
            "t+{:>6}s  {} attempt {number}: {} {}{body} -> {shown} -> {step}",
            clock.0.saturating_sub(pending.converted_at),
            pending.label,
            request.method(),
            request.url(),
        ));
        match step {
            Step::RetryAt { at, .. } => {
                due.insert((at, n), (pending, number + 1));
            }
            Step::Done(_) | Step::Refused { .. } => {
                let is_done = matches!(step, Step::Done(_));
                ended_keys.insert(pending.key.clone());
                ended.push(Ended {
                    label: pending.label.clone(),
                    attempts: number,
                    step: step.to_string(),
                    done: is_done,
                });
            }
        }
    }
    ended
}

/// Sends one prepared request; its status and body.
fn send(
    agent: &ureq::Agent,
    signer: &Signer,
    request: &Outgoing,
) -> Result<(u16, String), ureq::Error> {
    let mut response = match request.method() {
        Method::Post => {
            let mut post = agent.post(request.url());
            for (name, value) in request.headers() {
                post = post.header(name, value);
            }
            if let Some(content_type) = request.content_type() {
                post = post.header("Content-Type", content_type);
                // The network checks a signature of the body, which only the host can make.
                let signature = signer
                    .signature_of_body(request.body())
                    .map_err(std::io::Error::other)?;
                post = post.header("X-Signature", signature.as_str());
            }
            post.send(request.body())?
        }
        _ => {
            let mut get = agent.get(request.url());
            for (name, value) in request.headers() {
                get = get.header(name, value);
            }
            get.call()?
        }
    };
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string()?;
    Ok((status, body))
}

/// A client for the loopback network: no proxy, bounded waits, and a status is an answer, not
/// an error.
pub fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(20)))
        .proxy(None)
        .http_status_as_error(false)
        .build()
        .into()
}

/// ExoClick's goal in the scenario.
pub const GOAL: &str = "4f1b2c3d4e5f60718293a4b5c6d7e8f9";

/// The shared secret of the JSON network's signatures.
pub const SECRET: &[u8] = b"loop-secret";

/// When the scenario's conversions happen: 2026-12-03 05:34:43 UTC.
pub const CONVERTED_AT: u64 = 1_796_276_083;

/// What the scenario did.
pub struct Report {
    /// How each postback ended, in order.
    pub ended: Vec<Ended>,
    /// What the network received, in order.
    pub received: Vec<Received>,
    /// The host's clock when the loop ended, Unix seconds.
    pub clock: u64,
}

/// The whole scenario: three conversions, their postbacks delivered through the misbehaving
/// network by the sources' policies, then one of the conversions arriving again, which sends
/// nothing. `log` gets every line the loop writes.
pub fn run(mut log: impl FnMut(&str)) -> Result<Report, Box<dyn std::error::Error>> {
    let signer = Signer::new(Algorithm::HmacSha256, SECRET.to_vec(), "sign")?;
    let network = Network::start(signer.clone())?;
    let base = &network.base;

    // ExoClick, its postback pointed at the flaky endpoint; its policy is the preset's.
    let mut parts = presets::exoclick(GOAL, GoalValue::Dynamic)?.into_parts();
    let postback = parts
        .settings
        .postback
        .take()
        .ok_or("the preset has a postback")?;
    let local = postback
        .as_str()
        .replace("https://s.magsrv.com", &format!("{base}/flaky"));
    parts.settings.postback = Some(local.parse()?);
    let exoclick = TrafficSource::new(parts)?;
    // Two campaigns, each with an S2S postback of its own: one ExoClick refuses, one it has.
    let mut campaigns = [
        Settings::with_postback(
            format!("{base}/invalid/tag.php?goal={GOAL}&tag={{externalid}}").parse()?,
        ),
        Settings::with_postback(
            format!("{base}/dup/tag.php?goal={GOAL}&tag={{externalid}}").parse()?,
        ),
    ];
    for campaign in &mut campaigns {
        exoclick.bind(campaign)?;
    }

    // A network that takes signed JSON by POST, and answers {"ok": true}.
    let capi_rule = Rule {
        method: Method::Post,
        body: Some(Body::json(
            r#"{"click_id": "{externalid}", "event": "{cnv_event}", "value": {payout}, "currency": "{cnv_currency}"}"#,
        )?),
        headers: vec![Header::new("X-Source", "{trafficsource_name}")?],
        ..Rule::new("capi", format!("{base}/capi/events").parse()?)
    };
    let ok = AnswerRule::new(
        "ok",
        StatusRange::class(2),
        Some(BodyMatch::json("ok", "true")),
        Outcome::Delivered,
    );
    let capi = TrafficSource::new(Parts {
        name: "JSON network".into(),
        click_id: Some(Param::new("cid", "[CLICK_ID]")),
        settings: Settings {
            rules: vec![capi_rule],
            ..Settings::default()
        },
        delivery: Policy {
            answers: vec![ok],
            ..Policy::default()
        },
        ..Parts::default()
    })?;
    let no_campaign = Settings::default();

    // The clicks, as the tracker captured them from the networks' filled campaign links.
    let exoclick_link = exoclick.campaign_link("https://trk.example/c/k")?;
    let fill = |link: &str, id: &str| {
        link.replace("{conversions_tracking}", id)
            .replace("[CLICK_ID]", id)
            .replace(['{', '}'], "")
    };
    let first = fill(&exoclick_link, "ex-1");
    let second = fill(&exoclick_link, "ex-2");
    let third = fill(&capi.campaign_link("https://trk.example/c/j")?, "js-3");
    let clicks = [
        (&exoclick, &campaigns[0], exoclick.capture(&first)?, "tx-1"),
        (&exoclick, &campaigns[1], exoclick.capture(&second)?, "tx-2"),
        (&capi, &no_campaign, capi.capture(&third)?, "tx-3"),
    ];

    let agent = client();
    let mut clock = Clock(CONVERTED_AT);
    let mut sent = BTreeSet::new();
    let mut ended = Vec::new();
    // The conversions, and then the first one again: a network that repeats itself.
    for round in [&[0, 1, 2][..], &[0]] {
        let mut queue = Vec::new();
        for &n in round {
            let (source, campaign, click, txid) = &clicks[n];
            let conversion = Conversion {
                status: "approved",
                event: "sale",
                ..Conversion::new(n as u64 + 1, "2.50".parse()?)
            };
            let values = postback::from_fn(|token| match token {
                postback::Token::CnvCurrency => Some(postback::Value::Str("USD")),
                postback::Token::TrafficSourceName => Some(postback::Value::Str(source.name())),
                token => postback::TokenSource::value(click, token),
            });
            for fire in select(source.settings(), campaign, &conversion).fired() {
                let mut request = Outgoing::new();
                fire.try_prepare(&values, &mut request)?;
                let external = click.external_id().unwrap_or_default();
                queue.push(Pending {
                    label: format!("conversion {} {} postback", n + 1, fire.level),
                    key: fire.dedup_key(external, txid).to_string(),
                    request,
                    policy: source.delivery(),
                    converted_at: CONVERTED_AT,
                });
            }
        }
        ended.extend(deliver(
            queue, &agent, &signer, &mut clock, &mut sent, &mut log,
        ));
    }
    Ok(Report {
        ended,
        received: network.finish(),
        clock: clock.0,
    })
}
