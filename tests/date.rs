//! The `date` modifier: Unix seconds written as a date and time, in UTC, at an offset or in an
//! IANA zone, with the `time` feature; an error that names the feature without it.

use postback::{Template, Value};

#[cfg(feature = "time")]
mod with_the_feature {
    use postback::{Decimal, ErrorKind, ProblemKind, Template, Value};

    /// 2026-12-03 05:34:43 UTC, a Thursday.
    const WINTER: i64 = 1_796_276_083;
    /// 2026-07-02 13:46:40 UTC, a Thursday, in Kyiv's summer time.
    const SUMMER: i64 = 1_783_000_000;

    /// What `{cnv_time|MODIFIERS}` writes as a query value for `value`.
    #[track_caller]
    fn date(modifiers: &str, value: Value<'_>) -> String {
        let text = format!("https://t.example/pb?at={{cnv_time|{modifiers}}}");
        let template = Template::parse(&text).unwrap();
        let out = template.expand(&[("cnv_time", value)]);
        out.strip_prefix("https://t.example/pb?at=")
            .unwrap()
            .to_owned()
    }

    /// The same, percent-decoded.
    #[track_caller]
    fn decoded(modifiers: &str, value: Value<'_>) -> String {
        let written = date(modifiers, value);
        percent_decode(&written)
    }

    fn percent_decode(text: &str) -> String {
        url::form_urlencoded::parse(format!("a={text}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap()
    }

    /// A table of formats, zones and instants, with what they write.
    #[test]
    fn formats_and_zones() {
        let cases: &[(&str, i64, &str)] = &[
            ("date:iso", WINTER, "2026-12-03T05:34:43Z"),
            ("date:iso,UTC", WINTER, "2026-12-03T05:34:43Z"),
            ("date:iso,utc", WINTER, "2026-12-03T05:34:43Z"),
            ("date:iso,Europe/Kyiv", WINTER, "2026-12-03T07:34:43+02:00"),
            ("date:iso,Europe/Kyiv", SUMMER, "2026-07-02T16:46:40+03:00"),
            // The old name is a link in the database, and names are found in any case.
            ("date:iso,Europe/Kiev", SUMMER, "2026-07-02T16:46:40+03:00"),
            ("date:iso,europe/kyiv", SUMMER, "2026-07-02T16:46:40+03:00"),
            (
                "date:iso,America/New_York",
                WINTER,
                "2026-12-03T00:34:43-05:00",
            ),
            ("date:iso,Asia/Kolkata", WINTER, "2026-12-03T11:04:43+05:30"),
            ("date:iso,+03:00", WINTER, "2026-12-03T08:34:43+03:00"),
            ("date:iso,-0530", WINTER, "2026-12-03T00:04:43-05:30"),
            ("date:iso,+03", WINTER, "2026-12-03T08:34:43+03:00"),
            ("date:unix", WINTER, "1796276083"),
            ("date:unix,Europe/Kyiv", WINTER, "1796276083"),
            ("date:unix_ms", WINTER, "1796276083000"),
            (
                "date:%Y-%m-%d %H:%M:%S,Europe/Kyiv",
                WINTER,
                "2026-12-03 07:34:43",
            ),
            ("date:%d.%m.%y", WINTER, "03.12.26"),
            ("date:%-d/%-m/%Y %-H:%M", 0, "1/1/1970 0:00"),
            (
                "date:%a, %d %b %Y %T %z,UTC",
                WINTER,
                "Thu, 03 Dec 2026 05:34:43 +0000",
            ),
            ("date:%A %B %j,Europe/Kyiv", SUMMER, "Thursday July 183"),
            ("date:%I:%M %p_%P", WINTER, "05:34 AM_am"),
            ("date:%I %p,America/New_York", WINTER, "12 AM"),
            ("date:%Z %:z,Europe/Kyiv", WINTER, "EET +02:00"),
            ("date:%Z %:z,Europe/Kyiv", SUMMER, "EEST +03:00"),
            ("date:%u %w", WINTER - 4 * 86_400, "7 0"),
            ("date:%s_%F_%%", WINTER, "1796276083_2026-12-03_%"),
            ("date:%Y", -62_198_755_200, "-0001"),
        ];
        for &(modifier, seconds, want) in cases {
            assert_eq!(
                decoded(modifier, Value::Int(seconds)),
                want,
                "{modifier} of {seconds}"
            );
        }
    }

    /// The daylight saving change in Kyiv, on 2026-03-29 at 03:00 local (01:00 UTC): the
    /// second before it and the second of it.
    #[test]
    fn a_daylight_saving_change_is_the_database_s() {
        let change = 1_774_746_000;
        let at = |s| decoded("date:%F %T %Z,Europe/Kyiv", Value::Int(s));
        assert_eq!(at(change - 1), "2026-03-29 02:59:59 EET");
        assert_eq!(at(change), "2026-03-29 04:00:00 EEST");
    }

    /// Every kind of number a host may hold, and text of one; fractions of a second show in
    /// `iso` and `unix_ms`, and the others drop them, counting down (before 1970 too).
    #[test]
    fn the_host_gives_seconds_in_any_form() {
        let d = |text: &str| Value::Decimal(text.parse::<Decimal>().unwrap());
        let cases: &[(&str, Value<'_>, &str)] = &[
            (
                "date:iso",
                Value::UInt(WINTER as u64),
                "2026-12-03T05:34:43Z",
            ),
            ("date:iso", Value::Str("1796276083"), "2026-12-03T05:34:43Z"),
            ("date:iso", Value::Raw("1796276083"), "2026-12-03T05:34:43Z"),
            ("date:iso", d("1796276083.250"), "2026-12-03T05:34:43.25Z"),
            (
                "date:iso",
                Value::Str("1796276083.5"),
                "2026-12-03T05:34:43.5Z",
            ),
            ("date:iso", Value::Float(1.5), "1970-01-01T00:00:01.5Z"),
            ("date:iso", d("-0.25"), "1969-12-31T23:59:59.75Z"),
            ("date:unix", d("-0.25"), "-1"),
            ("date:unix_ms", d("1.0015"), "1001"),
            ("date:iso", d("0.000000000123"), "1970-01-01T00:00:00Z"),
        ];
        for (modifier, value, want) in cases {
            assert_eq!(decoded(modifier, *value), *want, "{modifier} of {value:?}");
        }
    }

    /// A value the modifier cannot read is unusable, with its reason, and is never written
    /// as it came; `default` after `date` replaces it, and before `date` it is read as
    /// seconds.
    #[test]
    fn values_that_are_not_instants_are_unusable() {
        let problem = |value: Value<'_>| {
            let template = Template::parse("https://t.example/pb?at={cnv_time|date:iso}").unwrap();
            let err = template.try_expand(&[("cnv_time", value)]).unwrap_err();
            err.problems()[0].kind()
        };
        assert_eq!(problem(Value::Str("2026-12-03")), ProblemKind::NotNumeric);
        assert_eq!(problem(Value::Str("1e9")), ProblemKind::NotNumeric);
        assert_eq!(problem(Value::Float(f64::NAN)), ProblemKind::NotFinite);
        assert_eq!(problem(Value::Int(i64::MAX)), ProblemKind::OutOfRange);
        assert_eq!(problem(Value::UInt(u64::MAX)), ProblemKind::OutOfRange);
        assert_eq!(
            problem(Value::Int(-400_000_000_000)),
            ProblemKind::OutOfRange
        );
        assert_eq!(problem(Value::Str("")), ProblemKind::Empty);
        assert_eq!(date("date:iso", Value::Str("2026-12-03")), "");
        assert_eq!(date("date:iso|default:never", Value::Str("x")), "never");
        assert_eq!(
            date("default:0|date:iso", Value::Str("")),
            "1970-01-01T00%3A00%3A00Z"
        );
        let missing = Template::parse("https://t.example/pb?at={cnv_time|date:iso}").unwrap();
        assert_eq!(missing.expand(&[("t1", "x")]), "https://t.example/pb?at=");
    }

    /// The modifiers after `date` see the date's text.
    #[test]
    fn dates_chain_with_the_other_modifiers() {
        let at = Value::Int(WINTER);
        assert_eq!(date("date:%b|upper", at), "DEC");
        assert_eq!(date("date:%A|lower", at), "thursday");
        assert_eq!(date("date:%u|map:4=thu,5=fri", at), "thu");
        assert_eq!(date("date:%u|map:1=mon", at), "4");
        // md5("1796276083").
        #[cfg(feature = "hash")]
        assert_eq!(
            date("date:unix|md5", at),
            "3b3214a1a3a41ead71bc7a5df5d4cd05"
        );
        // Encoded for its place: a path segment here, where `/` and `:` are encoded too.
        let template = Template::parse("https://t.example/{time|date:%Y/%m/%d %T}/pb").unwrap();
        assert_eq!(
            template.expand(&[("time", at)]),
            "https://t.example/2026%2F12%2F03%2005%3A34%3A43/pb"
        );
    }

    /// A format of dots in the path would climb it: unusable, like a value of dots.
    #[test]
    fn a_date_of_dots_in_the_path_is_unusable() {
        let template = Template::parse("https://t.example/a/{time|date:..}/pb").unwrap();
        let epoch = [("time", Value::Int(0))];
        let err = template.try_expand(&epoch).unwrap_err();
        assert_eq!(err.problems()[0].kind(), ProblemKind::DotSegment);
        assert!(!template.expand(&epoch).contains("/../"));
    }

    /// What a `date` argument gets wrong is an error whose span is exactly the mistake.
    #[test]
    fn mistakes_are_errors_with_their_spans() {
        let cases: &[(&str, ErrorKind, &str)] = &[
            ("{cnv_time|date:%Y-%q}", ErrorKind::InvalidArgument, "%q"),
            ("{cnv_time|date:%Y-%}", ErrorKind::InvalidArgument, "%"),
            ("{cnv_time|date:%-Y}", ErrorKind::InvalidArgument, "%-Y"),
            (
                "{cnv_time|date:%F,Europe/Kyev}",
                ErrorKind::InvalidArgument,
                "Europe/Kyev",
            ),
            (
                "{cnv_time|date:%F,+26:00}",
                ErrorKind::InvalidArgument,
                "+26:00",
            ),
            ("{cnv_time|date:%a, %d}", ErrorKind::InvalidArgument, " %d"),
            ("{cnv_time|date:,UTC}", ErrorKind::InvalidArgument, ""),
            (
                "{cnv_time|date:%B%B%B%B%B%B%B%B}",
                ErrorKind::InvalidArgument,
                "%B%B%B%B%B%B%B%B",
            ),
            ("{cnv_time|date:}", ErrorKind::MissingArgument, "date:"),
            ("{cnv_time|date}", ErrorKind::MissingArgument, "date"),
            ("{cnv_time|dat:iso}", ErrorKind::UnknownModifier, "dat:iso"),
            // Written raw, the format is the URL's own text: no space in it.
            ("{cnv_time|date:%F %T|raw}", ErrorKind::InvalidChar, " "),
        ];
        for &(token, kind, at) in cases {
            let text = format!("https://t.example/pb?at={token}");
            let err = Template::parse(&text).unwrap_err();
            assert_eq!(err.kind(), kind, "{token}: {err}");
            assert_eq!(&text[err.span().range()], at, "{token}: {err}");
        }
        let err = Template::parse("https://t.example/pb?at={cnv_time|date:%q}").unwrap_err();
        assert_eq!(
            err.to_string().lines().next().unwrap(),
            "invalid argument \"%q\" of modifier \"date\" at bytes 39..41: expected a specifier: \
             %Y %y %m %d %H %I %M %S %j %u %w %p %P %a %A %b %B %z %:z %Z %s %F %T or %%; %-d, \
             %-m, %-H, %-I, %-M, %-S and %-j write no leading zero"
        );
        assert!(Template::parse("https://t.example/pb?at={cnv_time|date:%a, %d,UTC}").is_ok());
        assert!(Template::parse("https://t.example/pb?at={cnv_time|date:%F|raw}").is_ok());
    }

    /// `{timestamp}` is Affise's spelling of `{cnv_time}`; `{time}` is the click's.
    #[test]
    fn the_time_tokens() {
        let template =
            Template::parse("https://t.example/pb?ts={timestamp}&c={time|date:%Y-%m-%d %H:%M:%S}")
                .unwrap();
        let tokens: Vec<_> = template.tokens().map(|t| t.name()).collect();
        assert_eq!(tokens, ["cnv_time", "time"]);
        assert_eq!(
            template.expand(&[
                ("cnv_time", Value::Int(WINTER)),
                ("time", Value::Int(WINTER - 3600))
            ]),
            "https://t.example/pb?ts=1796276083&c=2026-12-03%2004%3A34%3A43"
        );
    }
}

/// Without the feature, `date` is an error that names it, and nothing else changes.
#[cfg(not(feature = "time"))]
#[test]
fn without_the_feature_date_names_it() {
    use postback::ErrorKind;

    let text = "https://t.example/pb?at={cnv_time|date:iso}";
    let err = Template::parse(text).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NeedsFeature);
    assert_eq!(&text[err.span().range()], "date:iso");
    assert!(err.to_string().contains("\"time\" feature"), "{err}");
}

/// The token `{cnv_time}` needs no feature: the host's seconds are written as they are.
#[test]
fn cnv_time_is_a_token_without_the_feature() {
    let template = Template::parse("https://t.example/pb?ts={cnv_time}&a={timestamp}").unwrap();
    assert_eq!(
        template.expand(&[("cnv_time", Value::Int(1_796_276_083))]),
        "https://t.example/pb?ts=1796276083&a=1796276083"
    );
}
