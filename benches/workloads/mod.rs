//! Inputs shared by the benchmarks and the instruction-count harness, so that both measure the
//! same work.

#![allow(dead_code, reason = "each bench uses some of them")]

use postback::traffic::keitaro::{Entry, Parameter};

/// ExoClick's postback with a few more tokens.
pub const T1: &str = "https://s.magsrv.com/tag.php?goal=4f1b2c&tag={externalid}&value={payout}\
    &cid={campaign}&zone={t1}&cc={country_code}";

/// A long postback: 20 tokens, several of whose values need encoding.
pub const T2: &str = "https://pb.example.net/v2/conv?tok=9f8e7d6c&cid={externalid}\
    &sub={clickid}&pay={payout}&cur={cnv_currency}&st={cnv_status}&tx={txid}&camp={campaign}\
    &cn={campaign_name}&src={trafficsource_name}&z={t1}&s={t2}&cr={t3}&cc={country_code}\
    &city={city}&os={os_name}&osv={os_version}&br={browser_name}&dev={device_model}\
    &ref={referer}&ua={user_agent}";

/// A Keitaro entry with `n` parameters, every one of which its postback reads: the shape that
/// was quadratic in `n` when the postback was read again for each parameter.
pub fn keitaro_entry(n: usize) -> Entry {
    let parameters = (0..n)
        .map(|i| Parameter::new(format!("sub{i}"), format!("p{i}"), format!("{{m{i}}}")))
        .collect();
    let mut postback_url = String::from("https://net.example/pb?c=1");
    for i in 0..n {
        postback_url.push_str(&format!("&x{i}={{sub{i}}}"));
    }
    Entry {
        name: "hostile".into(),
        display_name: String::new(),
        postback_url,
        parameters,
    }
}

/// A template whose only token has an unknown name of `len` bytes: the shape whose
/// suggestion search was linear in the name for every known name.
pub fn unknown_name(len: usize) -> String {
    format!("https://t.example/pb?a={{{}}}", "x".repeat(len))
}
