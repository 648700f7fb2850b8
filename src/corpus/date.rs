//! Publication dates of documents: parsing the forms scrapes carry (RFC 3339 with any offset,
//! with or without its colon, seconds optional; a plain date; a space instead of the `T`;
//! RFC 2822 as in mail and HTTP; Unix seconds or milliseconds; a written date such as
//! "December 4, 2010") into Unix seconds,
//! where each date came from, and whether it is credible. Dates feed provenance (who published
//! first) and the index's retention; a date that cannot be read, or is not credible, is absent
//! and the next evidence is used.

/// Where a document's date came from, best evidence first: a reader takes the first of these
/// that gives a credible date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    /// A JSON record's own date field (`date`, `published`, `published_at`, `timestamp`).
    Field,
    /// The page's HTML metadata (`article:published_time`, `itemprop`, JSON-LD
    /// `datePublished`, `<time datetime>`).
    HtmlMeta,
    /// A dateline in the text itself ("Published 4 Dec 2010", "Mis à jour le 4 déc. 2010").
    Text,
    /// The WARC record's `WARC-Date`: when the page was captured, an upper bound of when it
    /// was published.
    Warc,
    /// The file's modification time: when the scraper wrote it, the weakest evidence.
    Mtime,
}

impl DateSource {
    /// Its name in the report.
    pub fn name(self) -> &'static str {
        match self {
            DateSource::Field => "field",
            DateSource::HtmlMeta => "html-meta",
            DateSource::Text => "text",
            DateSource::Warc => "warc",
            DateSource::Mtime => "mtime",
        }
    }

    /// Its number in an index segment (never 0, which stands for "no date").
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    /// Every source, best evidence first.
    pub const ALL: [DateSource; 5] = [
        DateSource::Field,
        DateSource::HtmlMeta,
        DateSource::Text,
        DateSource::Warc,
        DateSource::Mtime,
    ];

    /// The source of a number [`DateSource::number`] gave.
    pub fn from_number(n: u8) -> Option<DateSource> {
        Self::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The source of its name in the report ([`DateSource::name`]).
    pub fn from_name(name: &str) -> Option<DateSource> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// A document's publication date and the evidence it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dated {
    /// Unix seconds, UTC.
    pub seconds: i64,
    /// Where it came from.
    pub source: DateSource,
}

/// 1990-01-01T00:00:00Z: no article of a web scrape was published before it, so an earlier
/// date is a parsing accident or a placeholder (`0`, `1970-01-01`).
pub const EARLIEST_CREDIBLE_SECONDS: i64 = 631_152_000;

/// How far after the run's clock a date may lie and still be credible: a publisher's clock or
/// time zone may be off by hours, not by more than a day.
pub const FUTURE_SLACK_SECONDS: i64 = 86_400;

/// Whether `seconds` can be a publication date seen at `now_seconds` (the run's clock): not
/// before 1990, not more than a day in the future.
pub fn credible(seconds: i64, now_seconds: i64) -> bool {
    seconds >= EARLIEST_CREDIBLE_SECONDS
        && seconds <= now_seconds.saturating_add(FUTURE_SLACK_SECONDS)
}

/// The run's clock: `SOURCE_DATE_EPOCH` (Unix seconds) when set, so that a run can be repeated
/// with the same judgement of which dates lie in the future, else the system clock.
pub fn now_seconds() -> i64 {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| jiff::Timestamp::now().as_second())
}

/// Unix seconds (UTC) of a date string, or `None` when it is not a date this reader knows.
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Some(ts.as_second());
    }
    if let Ok(n) = text.parse::<i64>() {
        return Some(from_number(n));
    }
    // "2010-12-04 10:32:00 +0100": the space before the offset is all that stops RFC 3339.
    if let Some(at) = text.rfind([' ', '+', '-']).filter(|&at| at > 10) {
        let (civil, offset) = text.split_at(at);
        let offset = offset.trim_start();
        if offset.starts_with(['+', '-']) {
            let joined = format!("{}{offset}", civil.trim_end().replacen(' ', "T", 1));
            if let Ok(ts) = joined.parse::<jiff::Timestamp>() {
                return Some(ts.as_second());
            }
        }
    }
    if let Ok(zoned) = jiff::fmt::rfc2822::parse(text) {
        return Some(zoned.timestamp().as_second());
    }
    // A civil date-time without an offset is taken as UTC: scrapes rarely say otherwise and
    // retention by days does not need the hours.
    if let Ok(dt) = text.replacen(' ', "T", 1).parse::<jiff::civil::DateTime>() {
        return dt
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp().as_second());
    }
    if let Ok(d) = text.parse::<jiff::civil::Date>() {
        return d
            .to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp().as_second());
    }
    // Written dates ("December 4, 2010", "4 déc. 2010 10:32") as pages put them in metadata.
    super::dateline::parse_bare(text)
}

/// Unix seconds of a number that is seconds or, when too large for seconds of this era,
/// milliseconds.
pub fn from_number(n: i64) -> i64 {
    // `unsigned_abs`: `i64::MIN.abs()` overflows.
    if n.unsigned_abs() >= 100_000_000_000 {
        n / 1000
    } else {
        n
    }
}

/// The date of a JSON value: a string in any form [`parse`] reads, or a number of seconds or
/// milliseconds.
pub fn from_json(value: &serde_json::Value) -> Option<i64> {
    match value {
        serde_json::Value::String(s) => parse(s),
        serde_json::Value::Number(n) => n.as_i64().map(from_number),
        _ => None,
    }
}

/// Whether a date carries no time of day. A date without one (`2025-03-11`, "Published 11 March
/// 2025", a JSON-LD `datePublished` of a day) reads as midnight UTC; a real publication at
/// exactly 00:00:00 UTC is rare enough to be taken for one too.
pub fn is_day_only(seconds: i64) -> bool {
    seconds.rem_euclid(86_400) == 0
}

/// A date as the report writes it: RFC 3339 in UTC, or only the day (ISO 8601 `2025-03-11`)
/// when the evidence gave no time of day ([`is_day_only`]), so that no precision is invented.
pub fn format_evidence(seconds: i64) -> String {
    if is_day_only(seconds) {
        if let Ok(t) = jiff::Timestamp::from_second(seconds) {
            return t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
        }
    }
    format(seconds)
}

/// RFC 3339 text of Unix seconds, in UTC.
pub fn format(seconds: i64) -> String {
    jiff::Timestamp::from_second(seconds)
        .map(|t| t.to_string())
        .unwrap_or_else(|_| seconds.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let cases = [
            ("2026-11-26T10:00:00Z", Some(1_795_687_200)),
            ("2026-11-26T11:00:00+01:00", Some(1_795_687_200)),
            ("2026-11-26 10:00:00", Some(1_795_687_200)),
            ("2026-11-26T10:00:00", Some(1_795_687_200)),
            ("2026-11-26", Some(1_795_651_200)),
            ("2026-11-26T11:00:00+0100", Some(1_795_687_200)),
            ("2026-11-26T10:00Z", Some(1_795_687_200)),
            ("2026-11-26T10:00:00.123Z", Some(1_795_687_200)),
            ("2026-11-26 11:00:00 +0100", Some(1_795_687_200)),
            ("2026-11-26T05:00:00 -05:00", Some(1_795_687_200)),
            ("Thu, 26 Nov 2026 10:00:00 GMT", Some(1_795_687_200)),
            ("Thu, 26 Nov 2026 11:00:00 +0100", Some(1_795_687_200)),
            ("November 26, 2026", Some(1_795_651_200)),
            ("26 novembre 2026 10:00", Some(1_795_687_200)),
            ("1795687200", Some(1_795_687_200)),
            ("1795687200000", Some(1_795_687_200)),
            ("-9223372036854775808", Some(i64::MIN / 1000)),
            ("yesterday", None),
            ("", None),
            ("2026-13-40", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), want, "{text:?}");
        }
    }

    #[test]
    fn json_and_format() {
        assert_eq!(
            from_json(&serde_json::json!(1_795_687_200_000i64)),
            Some(1_795_687_200)
        );
        assert_eq!(from_json(&serde_json::json!(null)), None);
        assert_eq!(format(1_795_687_200), "2026-11-26T10:00:00Z");
    }

    #[test]
    fn evidence_keeps_its_precision() {
        assert_eq!(format_evidence(1_795_687_200), "2026-11-26T10:00:00Z");
        assert_eq!(format_evidence(1_795_651_200), "2026-11-26");
        assert_eq!(parse(&format_evidence(1_795_651_200)), Some(1_795_651_200));
        assert_eq!(format_evidence(-86_400), "1969-12-31");
    }

    #[test]
    fn credible_table() {
        let now = 1_795_687_200;
        let cases = [
            (now, true),
            (now + FUTURE_SLACK_SECONDS, true),
            (now + FUTURE_SLACK_SECONDS + 1, false),
            (EARLIEST_CREDIBLE_SECONDS, true),
            (EARLIEST_CREDIBLE_SECONDS - 1, false),
            (0, false),
            (i64::MIN, false),
            (i64::MAX, false),
        ];
        for (seconds, want) in cases {
            assert_eq!(credible(seconds, now), want, "{seconds}");
        }
    }

    #[test]
    fn source_numbers_round_trip() {
        for s in DateSource::ALL {
            assert_ne!(s.number(), 0);
            assert_eq!(DateSource::from_number(s.number()), Some(s));
            assert_eq!(DateSource::from_name(s.name()), Some(s));
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::json!(s.name()))
            );
        }
        assert_eq!(DateSource::from_number(0), None);
        assert_eq!(DateSource::from_number(6), None);
        assert_eq!(DateSource::from_name("Field"), None);
    }
}
