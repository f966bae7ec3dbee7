//! The `X-Sdk-Date` timestamp: `YYYYMMDDTHHMMSSZ` in UTC, converted without a date library.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds in one day.
const SECONDS_PER_DAY: i64 = 86_400;

/// A UTC time with whole seconds, as carried by the `X-Sdk-Date` header.
///
/// Years 1 to 9999 are representable, the same range as Python's `datetime` that the official
/// signer uses, so every value formats as exactly 16 characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SdkDate {
    /// Seconds since 1970-01-01T00:00:00Z (negative before it).
    unix_seconds: i64,
}

/// Why a time could not become an [`SdkDate`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateError {
    /// The text is not `YYYYMMDDTHHMMSSZ` with a valid calendar date and time of day.
    Malformed {
        /// The text that was given.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The time lies outside the years 1 to 9999.
    OutOfRange,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Malformed { value, reason } => write!(
                f,
                "malformed X-Sdk-Date {value:?}: expected YYYYMMDDTHHMMSSZ (UTC), {reason}"
            ),
            DateError::OutOfRange => {
                f.write_str("time is outside the years 1 to 9999 that X-Sdk-Date can express")
            }
        }
    }
}

impl std::error::Error for DateError {}

impl SdkDate {
    /// The earliest representable time, 0001-01-01T00:00:00Z.
    const MIN_UNIX_SECONDS: i64 = -62_135_596_800;
    /// The latest representable time, 9999-12-31T23:59:59Z.
    const MAX_UNIX_SECONDS: i64 = 253_402_300_799;

    /// The current time according to the system clock, truncated to whole seconds.
    pub fn now() -> Result<Self, DateError> {
        Self::from_system_time(SystemTime::now())
    }

    /// Converts a `SystemTime`, dropping fractions of a second (as `strftime` does).
    pub fn from_system_time(time: SystemTime) -> Result<Self, DateError> {
        let unix_seconds = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).map_err(|_| DateError::OutOfRange)?,
            Err(before) => {
                // Truncating toward the past keeps whole-second floors for earlier times too.
                let before = before.duration();
                let whole = i64::try_from(before.as_secs()).map_err(|_| DateError::OutOfRange)?;
                if before.subsec_nanos() > 0 {
                    -whole - 1
                } else {
                    -whole
                }
            }
        };
        Self::from_unix_seconds(unix_seconds)
    }

    /// Builds a date from seconds since the Unix epoch.
    pub fn from_unix_seconds(unix_seconds: i64) -> Result<Self, DateError> {
        if (Self::MIN_UNIX_SECONDS..=Self::MAX_UNIX_SECONDS).contains(&unix_seconds) {
            Ok(SdkDate { unix_seconds })
        } else {
            Err(DateError::OutOfRange)
        }
    }

    /// Parses `YYYYMMDDTHHMMSSZ` strictly: exactly 16 ASCII characters, a real calendar date.
    pub fn parse(value: &str) -> Result<Self, DateError> {
        let malformed = |reason| DateError::Malformed {
            value: value.to_owned(),
            reason,
        };
        let bytes = value.as_bytes();
        if bytes.len() != 16 {
            return Err(malformed("the length is not 16 characters"));
        }
        if bytes[8] != b'T' || bytes[15] != b'Z' {
            return Err(malformed("the 9th character must be 'T' and the last 'Z'"));
        }
        let number = |range: std::ops::Range<usize>| -> Result<i64, DateError> {
            bytes[range].iter().try_fold(0_i64, |acc, &byte| {
                if byte.is_ascii_digit() {
                    Ok(acc * 10 + i64::from(byte - b'0'))
                } else {
                    Err(malformed("a date or time field holds a non-digit"))
                }
            })
        };
        let year = number(0..4)?;
        let month = number(4..6)?;
        let day = number(6..8)?;
        let hour = number(9..11)?;
        let minute = number(11..13)?;
        let second = number(13..15)?;
        if year < 1 {
            return Err(malformed("the year must be 0001 or later"));
        }
        if !(1..=12).contains(&month) {
            return Err(malformed("the month must be 01 to 12"));
        }
        if day < 1 || day > days_in_month(year, month) {
            return Err(malformed("the day does not exist in that month"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(malformed("the time of day must be 000000 to 235959"));
        }
        let days = days_from_civil(year, month, day);
        Self::from_unix_seconds(days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second)
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.unix_seconds
    }

    /// The same instant as a `SystemTime`.
    pub fn to_system_time(self) -> SystemTime {
        let magnitude = Duration::from_secs(self.unix_seconds.unsigned_abs());
        if self.unix_seconds >= 0 {
            UNIX_EPOCH + magnitude
        } else {
            UNIX_EPOCH - magnitude
        }
    }

    /// The absolute distance between two dates.
    pub fn abs_diff(self, other: SdkDate) -> Duration {
        Duration::from_secs(self.unix_seconds.abs_diff(other.unix_seconds))
    }

    /// The `YYYYMMDDTHHMMSSZ` text, without allocating.
    ///
    /// Every field has a fixed width (the year is 1 to 9999), so the digits are written into a
    /// template instead of going through `fmt`, which is several times slower on the signing path.
    pub(crate) fn text(self) -> DateText {
        let days = self.unix_seconds.div_euclid(SECONDS_PER_DAY);
        let second_of_day = self.unix_seconds.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        let mut text = *b"00000000T000000Z";
        write_digits(&mut text[0..4], year);
        write_digits(&mut text[4..6], month);
        write_digits(&mut text[6..8], day);
        write_digits(&mut text[9..11], second_of_day / 3600);
        write_digits(&mut text[11..13], second_of_day % 3600 / 60);
        write_digits(&mut text[13..15], second_of_day % 60);
        DateText(text)
    }
}

/// The 16 ASCII bytes of a formatted [`SdkDate`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateText([u8; 16]);

impl DateText {
    /// The text as a string slice.
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("the date text is ASCII digits and letters")
    }
}

/// Writes the last `out.len()` decimal digits of a non-negative number, zero-padded.
fn write_digits(out: &mut [u8], mut value: i64) {
    for slot in out.iter_mut().rev() {
        // `rem_euclid(10)` is 0 to 9, so the cast cannot truncate.
        *slot = b'0' + value.rem_euclid(10) as u8;
        value /= 10;
    }
}

impl fmt::Display for SdkDate {
    /// Formats as `YYYYMMDDTHHMMSSZ`, the `X-Sdk-Date` header value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text().as_str())
    }
}

impl std::str::FromStr for SdkDate {
    type Err = DateError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        SdkDate::parse(value)
    }
}

/// Converts days since 1970-01-01 to a proleptic Gregorian `(year, month, day)`.
///
/// This is Howard Hinnant's `civil_from_days`: shift the epoch to 0000-03-01 so the leap day is
/// the last day of the shifted year, then split into 400-year eras of 146097 days.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Converts a proleptic Gregorian date to days since 1970-01-01, the inverse of
/// [`civil_from_days`].
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The number of days in a month of the proleptic Gregorian calendar.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_from_days_matches_known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(10_957), (2000, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(-25_508), (1900, 3, 1));
        assert_eq!(civil_from_days(-25_509), (1900, 2, 28));
        assert_eq!(civil_from_days(-719_162), (1, 1, 1));
        assert_eq!(civil_from_days(2_932_896), (9999, 12, 31));
    }

    #[test]
    fn days_from_civil_inverts_civil_from_days_day_by_day() {
        // Walk every day from year 1 to 9999 and check that consecutive days are consecutive
        // calendar dates and that the conversion round-trips.
        let mut previous = civil_from_days(-719_163);
        assert_eq!(previous, (0, 12, 31));
        for days in -719_162..=2_932_896 {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(
                days_from_civil(year, month, day),
                days,
                "{year}-{month}-{day}"
            );
            let (prev_year, prev_month, prev_day) = previous;
            let expected = if prev_day < days_in_month(prev_year, prev_month) {
                (prev_year, prev_month, prev_day + 1)
            } else if prev_month < 12 {
                (prev_year, prev_month + 1, 1)
            } else {
                (prev_year + 1, 1, 1)
            };
            assert_eq!((year, month, day), expected, "day {days}");
            previous = (year, month, day);
        }
    }

    #[test]
    fn formats_system_time_like_strftime() {
        let time = UNIX_EPOCH + Duration::from_secs(1_709_251_199) + Duration::from_millis(999);
        let date = SdkDate::from_system_time(time).expect("2024 is in range");
        assert_eq!(date.to_string(), "20240229T235959Z");
        assert_eq!(
            SdkDate::from_system_time(UNIX_EPOCH)
                .expect("the epoch is in range")
                .to_string(),
            "19700101T000000Z"
        );
        let before_epoch = UNIX_EPOCH - Duration::from_millis(500);
        assert_eq!(
            SdkDate::from_system_time(before_epoch)
                .expect("1969 is in range")
                .to_string(),
            "19691231T235959Z"
        );
    }

    #[test]
    fn text_has_fixed_width_fields() {
        let date = |seconds| SdkDate::from_unix_seconds(seconds).expect("in range");
        assert_eq!(date(0).text().as_str(), "19700101T000000Z");
        assert_eq!(
            date(SdkDate::MIN_UNIX_SECONDS).text().as_str(),
            "00010101T000000Z"
        );
        assert_eq!(
            date(SdkDate::MAX_UNIX_SECONDS).text().as_str(),
            "99991231T235959Z"
        );
        assert_eq!(date(1_709_251_199).text().as_str(), "20240229T235959Z");
        assert_eq!(date(-1).text().as_str(), "19691231T235959Z");
        assert_eq!(
            date(-62_104_060_800 + 3_723).text().as_str(),
            "00020101T010203Z"
        );
        assert_eq!(format!("{}", date(0)), "19700101T000000Z");
    }

    #[test]
    fn text_matches_formatting_the_fields() {
        // The stride is prime to the length of a day, so the time of day moves as well as the
        // date, across the whole range.
        let mut seconds = SdkDate::MIN_UNIX_SECONDS;
        while seconds <= SdkDate::MAX_UNIX_SECONDS {
            let date = SdkDate::from_unix_seconds(seconds).expect("in range");
            let (year, month, day) = civil_from_days(seconds.div_euclid(SECONDS_PER_DAY));
            let second_of_day = seconds.rem_euclid(SECONDS_PER_DAY);
            let expected = format!(
                "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
                second_of_day / 3600,
                second_of_day % 3600 / 60,
                second_of_day % 60
            );
            assert_eq!(date.text().as_str(), expected, "{seconds}");
            seconds += 9_999_991;
        }
    }

    #[test]
    fn parse_and_format_round_trip() {
        for text in [
            "00010101T000000Z",
            "19700101T000000Z",
            "20240101T000000Z",
            "20240229T235959Z",
            "21000301T120000Z",
            "99991231T235959Z",
        ] {
            let date = SdkDate::parse(text).expect("valid date");
            assert_eq!(date.to_string(), text);
            let via_system_time =
                SdkDate::from_system_time(date.to_system_time()).expect("in range");
            assert_eq!(via_system_time, date);
        }
        assert_eq!(
            SdkDate::parse("20240101T000000Z")
                .expect("valid date")
                .unix_seconds(),
            1_704_067_200
        );
    }

    #[test]
    fn parse_rejects_malformed_values() {
        for text in [
            "",
            "20240101T000000",
            "20240101 000000Z",
            "2024-01-01T00:00:00Z",
            "20240101T000000z",
            "2024010aT000000Z",
            "+0240101T000000Z",
            "00000101T000000Z",
            "20241301T000000Z",
            "20240001T000000Z",
            "20230229T000000Z",
            "21000229T000000Z",
            "20240431T000000Z",
            "20240101T240000Z",
            "20240101T006000Z",
            "20240101T000060Z",
            "２0240101T00000Z",
        ] {
            let error = SdkDate::parse(text).expect_err(text);
            assert!(
                matches!(error, DateError::Malformed { .. }),
                "{text}: {error}"
            );
        }
    }

    #[test]
    fn out_of_range_times_are_errors() {
        assert_eq!(
            SdkDate::from_unix_seconds(SdkDate::MAX_UNIX_SECONDS + 1),
            Err(DateError::OutOfRange)
        );
        assert_eq!(
            SdkDate::from_unix_seconds(SdkDate::MIN_UNIX_SECONDS - 1),
            Err(DateError::OutOfRange)
        );
    }
}
