//! 8. Selection with rules: deterministic, every rule fires exactly when a naive reading of
//!    its conditions says, and the postback share sends exactly ⌊n·p/100⌋ of n conversions.

use postback::select::{
    ClickMatch, Conversion, Goal, Level, Percent, Rule, Settings, select as decide,
};

use crate::*;

const WORDS: &[&str] = &["lead", "sale", "Sale", ""];

/// A rule with a few conditions, each drawn from a small set, so that they often hold and
/// often do not.
fn rule() -> impl Strategy<Value = Rule> {
    let list =
        || vec(select(&WORDS[..3]), 0..3).prop_map(|l| l.into_iter().map(String::from).collect());
    (
        select(vec!["a", "b", ""]),
        list(),
        list(),
        select(vec![None, Some("0"), Some("5"), Some("10.5")]),
        select(vec![None, Some("x"), Some("y")]),
        select(vec![vec![], vec!["sale"], vec!["LEAD", "sale"]]),
    )
        .prop_map(|(name, statuses, events, min, click, goals)| Rule {
            statuses,
            events,
            min_payout: min.map(|m| m.parse().unwrap()),
            click: click
                .map(|v| ClickMatch::new("t1", v).unwrap())
                .into_iter()
                .collect(),
            goals: goals
                .into_iter()
                .map(|e| Goal::new(e, format!("g-{e}")))
                .collect(),
            ..Rule::new(
                name,
                format!("https://t.example/{name}?id={{externalid}}")
                    .parse()
                    .unwrap(),
            )
        })
}

fn settings() -> impl Strategy<Value = Settings> {
    (vec(rule(), 0..4), any::<bool>()).prop_map(|(rules, general)| Settings {
        rules,
        postback: general.then(|| "https://t.example/general".parse().unwrap()),
        ..Settings::default()
    })
}

/// Whether `rule`, at `level`, holds for the conversion by a naive reading of the docs: not
/// replaced by a campaign rule of its name, and every condition it sets met.
fn naive(
    rule: &Rule,
    level: Level,
    campaign: &Settings,
    c: &Conversion<'_>,
    t1: Option<&str>,
) -> bool {
    let listed = |list: &[String], w: &str| {
        list.is_empty() || list.iter().any(|i| i.to_lowercase() == w.to_lowercase())
    };
    let replaced = level == Level::Source
        && !rule.name.is_empty()
        && campaign.rules.iter().any(|r| r.name == rule.name);
    !replaced
        && listed(&rule.statuses, c.status)
        && listed(&rule.events, c.event)
        && (rule.goals.is_empty()
            || rule
                .goals
                .iter()
                .any(|g| g.event.to_lowercase() == c.event.to_lowercase()))
        && rule.min_payout.is_none_or(|min| c.payout >= min)
        && rule.click.iter().all(|m| t1 == Some(m.equals()))
}

proptest! {
    #![proptest_config(config(256))]

    /// Every rule fires exactly when its conditions hold and the share sends the ordinal;
    /// asking twice gives the same decisions; the goal is the event's.
    #[test]
    fn rules_fire_exactly_when_their_conditions_hold(
        source in settings(),
        campaign in settings(),
        status in select(WORDS),
        event in select(WORDS),
        payout in select(vec!["0", "5", "10.5", "-3"]),
        t1 in select(vec![None, Some("x"), Some("y")]),
        share in 0..=100u8,
        ordinal in 1..40u64,
        postbacks in any::<bool>(),
    ) {
        let campaign = Settings { postback_share: Some(Percent::new(share.into()).unwrap()), ..campaign };
        let click: Vec<(&str, &str)> = t1.map(|v| ("t1", v)).into_iter().collect();
        let conversion = Conversion {
            status,
            event,
            postbacks,
            click: Some(&click),
            ..Conversion::new(ordinal, payout.parse().unwrap())
        };
        let selection = decide(&source, &campaign, &conversion);
        let decisions: Vec<_> = selection.decisions().collect();
        prop_assert_eq!(&decisions, &decide(&source, &campaign, &conversion).decisions().collect::<Vec<_>>());
        let sends = postbacks && ordinal * u64::from(share) / 100 > (ordinal - 1) * u64::from(share) / 100;
        let mut rules = 0;
        for decision in &decisions {
            let Some(rule) = decision.rule else { continue };
            rules += 1;
            let settings = match decision.level { Level::Source => &source, Level::Campaign => &campaign };
            let index = match decision.level {
                Level::Source => rules - 1,
                Level::Campaign => rules - 1 - source.rules.len(),
            };
            prop_assert!(std::ptr::eq(rule, &settings.rules[index]));
            let holds = naive(rule, decision.level, &campaign, &conversion, t1);
            prop_assert_eq!(decision.fire().is_some(), holds && sends, "{}", decision);
            if let Some(fire) = decision.fire() {
                let goal = rule.goals.iter().find(|g| g.event.eq_ignore_ascii_case(event)).map(|g| g.goal.as_str());
                prop_assert_eq!(fire.goal, goal);
            }
        }
        prop_assert_eq!(rules, source.rules.len() + campaign.rules.len());
    }

    /// Over the first n conversions of a campaign, a rule whose conditions hold for all of
    /// them fires for exactly ⌊n·p/100⌋, the same ones at both levels.
    #[test]
    fn shares_count_exactly_with_rules(
        source in settings(),
        campaign in settings(),
        share in 0..=100u8,
        n in 1..200u64,
    ) {
        let percent = Percent::new(share.into()).unwrap();
        let campaign = Settings { postback_share: Some(percent), ..campaign };
        let mut fired = vec![0u64; source.rules.len() + campaign.rules.len()];
        for ordinal in 1..=n {
            let conversion = Conversion { status: "sale", event: "sale", ..Conversion::new(ordinal, "10.5".parse().unwrap()) };
            let rules = decide(&source, &campaign, &conversion).decisions().filter(|d| d.rule.is_some());
            for (count, decision) in fired.iter_mut().zip(rules) {
                *count += u64::from(decision.fire().is_some());
            }
        }
        let conversion = Conversion { status: "sale", event: "sale", ..Conversion::new(1, "10.5".parse().unwrap()) };
        let levels = source.rules.iter().map(|r| (r, Level::Source)).chain(campaign.rules.iter().map(|r| (r, Level::Campaign)));
        for ((rule, level), count) in levels.zip(fired) {
            let expected = match naive(rule, level, &campaign, &conversion, None) {
                true => n * u64::from(share) / 100,
                false => 0,
            };
            prop_assert_eq!(count, expected, "{:?} {}", level, rule.name);
        }
    }
}
