//! Publication dates of documents: parsing the forms scrapes carry (RFC 3339 with any offset,
//! a plain date, a space instead of the `T`, Unix seconds or milliseconds) into Unix seconds.
//! Dates only feed the index's retention; a date that cannot be read is simply absent.

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
    None
}

/// Unix seconds of a number that is seconds or, when too large for seconds of this era,
/// milliseconds.
pub fn from_number(n: i64) -> i64 {
    if n.abs() >= 100_000_000_000 {
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
            ("1795687200", Some(1_795_687_200)),
            ("1795687200000", Some(1_795_687_200)),
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
}
