//! The seed's whole conversion loop, over real HTTP on 127.0.0.1.
//!
//! 1. ExoClick passes its own click id to the tracker in its `{conversions_tracking}` macro;
//! 2. when the click converts, the tracker sends it back in the postback, through
//!    `{externalid}`, from the traffic source's settings and from the campaign's;
//! 3. the conversion appears at ExoClick: here, a small server on a loopback port that plays
//!    ExoClick and prints what it receives. Another plays the tracker's click endpoint.
//! 4. Then the same loop against a network that misbehaves on purpose (`network/mod.rs`):
//!    a 503 twice before `OK`, a permanent `ERROR: Tag is invalid!`, the duplicate message,
//!    and signed JSON by POST. Every postback follows its source's delivery policy, on a
//!    clock the loop moves itself, and ends delivered or refused for a stated reason; a
//!    conversion that arrives again sends nothing.
//!
//! ```text
//! cargo run --features hash --example loop
//! ```

mod network;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use postback::select::{Conversion, Settings, select};
use postback::traffic::TrafficSource;
use postback::traffic::presets::{self, GoalValue};

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let tracker = Recorder::start("tracker")?;
    let exoclick_server = Recorder::start("ExoClick")?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(20)))
        .proxy(None)
        .build()
        .into();

    // The traffic source: ExoClick with the account's goal, its postback pointed at the
    // server that plays ExoClick.
    let preset = presets::exoclick("4f1b2c3d4e5f60718293a4b5c6d7e8f9", GoalValue::Dynamic)?;
    let mut parts = preset.into_parts();
    if let Some(postback) = parts.settings.postback.take() {
        let local = postback
            .as_str()
            .replace("https://s.magsrv.com", &exoclick_server.base);
        parts.settings.postback = Some(local.parse()?);
    }
    let source = TrafficSource::new(parts)?;

    // The campaign: an S2S postback of its own, with the zone by name, checked against the
    // source (and `{tName:zoneid}` bound to its slot).
    let mut campaign_settings = Settings::with_postback(
        format!(
            "{}/s2s?cid={{externalid}}&zone={{tName:zoneid}}&sum={{payout}}",
            exoclick_server.base
        )
        .parse()?,
    );
    source.bind(&mut campaign_settings)?;

    // The campaign link the tracker gives ExoClick.
    let link = source.campaign_link(&format!("{}/c/abc123", tracker.base))?;
    println!("campaign link: {link}\n");

    let clicks = ["ex-7f3a9c", "a&b=c", "%zz"];
    for click_id in clicks {
        // Step 1: ExoClick fills its macros, percent-encoding the values, and sends the click.
        let values = [
            ("{conversions_tracking}", click_id),
            ("{zone_id}", "4012"),
            ("{site_id}", "88"),
            ("{campaign_id}", "771"),
            ("{variation_id}", "9"),
            ("{src_hostname}", "tube.example"),
            ("{category_id}", "12"),
        ];
        let filled = values
            .iter()
            .fold(link.clone(), |link, (placeholder, value)| {
                link.replace(placeholder, &encode(value))
            });
        agent.get(&filled).call()?;
    }
    for (n, target) in tracker.finish().iter().enumerate() {
        println!("tracker received: {target}");
        // The request target, path and query, as the server hands it over.
        let click = source.capture(target)?;
        println!("  external id: {:?}", click.external_id());

        // Step 2: a conversion; both levels fire.
        let conversion = Conversion::new(n as u64 + 1, "2.50".parse()?);
        for fire in select(source.settings(), &campaign_settings, &conversion).fired() {
            // The click answers for itself; the fired postback for its payout.
            let url = fire.try_expand(&click)?;
            println!("  {} postback: {url}", fire.level);
            agent.get(&url).call()?;
        }
    }

    // Step 3: what ExoClick received.
    println!();
    for target in exoclick_server.finish() {
        println!("ExoClick received: {target}");
    }

    // Step 4: a network that misbehaves, and the delivery policies.
    println!("\nA network that misbehaves, on the host's clock:");
    let report = network::run(|line| println!("  {line}")).map_err(|err| err.to_string())?;
    println!("\nEvery postback ended:");
    for ended in &report.ended {
        println!(
            "  {} after {} attempt(s): {}",
            ended.label, ended.attempts, ended.step
        );
    }
    println!(
        "\nThe network received {} requests; the host's clock moved {} s in no time.",
        report.received.len(),
        report.clock - network::CONVERTED_AT
    );
    Ok(())
}

/// Everything but the unreserved characters, as a network encodes the values it sends.
const NETWORK: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(value: &str) -> String {
    utf8_percent_encode(value, NETWORK).to_string()
}

/// An HTTP server on 127.0.0.1 that answers `OK` to every request and records its target.
struct Recorder {
    base: String,
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Vec<String>>,
}

impl Recorder {
    fn start(name: &str) -> Result<Recorder, Box<dyn std::error::Error + Send + Sync>> {
        let server = tiny_http::Server::http("127.0.0.1:0")?;
        let port = server.server_addr().to_ip().map_or(0, |addr| addr.port());
        println!("{name} listens on 127.0.0.1:{port}");
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut targets = Vec::new();
            while !stopping.load(Ordering::Acquire) && started.elapsed() < Duration::from_secs(60) {
                if let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(20)) {
                    targets.push(request.url().to_owned());
                    let _ = request.respond(tiny_http::Response::from_string("OK"));
                }
            }
            targets
        });
        Ok(Recorder {
            base: format!("http://127.0.0.1:{port}"),
            stop,
            thread,
        })
    }

    /// Stops the server and returns the targets it received, in order.
    fn finish(self) -> Vec<String> {
        self.stop.store(true, Ordering::Release);
        self.thread.join().unwrap_or_default()
    }
}
