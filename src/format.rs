//! Small text formatting shared by pages: counted nouns and timestamps.

use leptos::prelude::*;

/// Formats a count with its noun in the right number: "1 error",
/// "0 errors", "2 errors".
pub fn pluralize(count: impl Into<u64>, singular: &str, plural: &str) -> String {
    let count = count.into();
    let noun = if count == 1 { singular } else { plural };
    format!("{count} {noun}")
}

/// Formats an RFC 3339 timestamp such as `2026-12-04T16:11:03.512Z` as
/// `2026-12-04 16:11:03 UTC`. A timestamp with an offset is converted to
/// UTC, and fractional seconds are dropped. A value that is not RFC 3339 is
/// returned unchanged, so an unexpected server value still shows.
pub fn format_timestamp(value: &str) -> String {
    match parse_rfc3339(value) {
        Some(time) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
            time.year, time.month, time.day, time.hour, time.minute, time.second
        ),
        None => value.to_owned(),
    }
}

/// A calendar date and time of day in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct UtcTime {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` into UTC.
fn parse_rfc3339(value: &str) -> Option<UtcTime> {
    let bytes = value.as_bytes();
    if bytes.len() < 20 || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let expect = |index: usize, separator: u8| bytes.get(index) == Some(&separator);
    if !(expect(4, b'-') && expect(7, b'-') && expect(13, b':') && expect(16, b':')) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = value.get(range)?;
        if !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    };
    let year = i64::from(number(0..4)?);
    let (month, day) = (number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    // RFC 3339 allows a leap second, 60, in the seconds field.
    let in_range = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second <= 60;
    if !in_range {
        return None;
    }

    let mut rest = &value[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => parse_offset(rest)?,
    };
    let time = UtcTime { year, month, day, hour, minute, second };
    if offset_minutes == 0 {
        return Some(time);
    }
    Some(shift_minutes(time, -offset_minutes))
}

/// Parses `+HH:MM` or `-HH:MM` into minutes east of UTC.
fn parse_offset(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() != 6 || bytes[3] != b':' {
        return None;
    }
    let sign = match bytes[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let hours: i64 = text.get(1..3)?.parse().ok()?;
    let minutes: i64 = text.get(4..6)?.parse().ok()?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 60 + minutes))
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Moves a time by `minutes`, crossing day, month and year boundaries. It
/// counts days with Howard Hinnant's `days_from_civil` and
/// `civil_from_days` algorithms for the proleptic Gregorian calendar.
fn shift_minutes(time: UtcTime, minutes: i64) -> UtcTime {
    let day_minutes = i64::from(time.hour) * 60 + i64::from(time.minute) + minutes;
    let days = days_from_civil(time.year, time.month, time.day) + day_minutes.div_euclid(1440);
    let minute_of_day = day_minutes.rem_euclid(1440);
    let (year, month, day) = civil_from_days(days);
    UtcTime {
        year,
        month,
        day,
        hour: (minute_of_day / 60) as u32,
        minute: (minute_of_day % 60) as u32,
        second: time.second,
    }
}

/// Counts the days from 1970-01-01 to a date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Converts a count of days since 1970-01-01 to a date.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A timestamp shown as `2026-12-04 16:11:03 UTC` on one line, with the
/// server's exact value in `datetime` and as a tooltip.
#[component]
pub fn Timestamp(
    /// The RFC 3339 value from the API.
    value: String,
) -> impl IntoView {
    let formatted = format_timestamp(&value);
    view! {
        <time class="timestamp" datetime=value.clone() title=value>
            {formatted}
        </time>
    }
}
