//! Gregorian and Solar Hijri dates: conversion, display, the dates people type on the command
//! line, and calendar months.
//!
//! Files, CSV and JSON always hold ISO Gregorian dates; the calendar only changes what people
//! read and type. The conversion is ICU4X's Persian calendar, which follows the astronomical
//! (Tehran noon) rule rather than an arithmetic cycle, as the official Iranian calendar does.

use chrono::{Datelike, NaiveDate};
use icu_calendar::Date;
use icu_calendar::cal::{Iso, Persian};

crate::names!(
    /// The calendar dates are shown and typed in. Files always hold ISO Gregorian dates.
    pub Calendar {
        Gregorian = "gregorian",
        Persian = "persian",
    }
);

/// Reads a date as files hold it: ISO 8601 `YYYY-MM-DD`, and nothing looser. The one reader of
/// file dates: the case model, the rules and the diff all read dates here.
pub fn parse_iso(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if !is_iso_shaped(s) {
        return None;
    }
    // The digits are checked above; reading them directly is several times faster than a
    // format string, and dates are read by the hundred thousand.
    let number = |digits: &[u8]| {
        digits
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
    };
    let year = i32::try_from(number(&b[..4])).ok()?;
    NaiveDate::from_ymd_opt(year, number(&b[5..7]), number(&b[8..]))
}

/// Whether `s` is written like an ISO date, `YYYY-MM-DD` in digits, whether or not the day
/// exists (2026-02-30 is shaped like one: a `date-invalid` error, not a text).
pub fn is_iso_shaped(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// A Solar Hijri year, month and day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Jalali {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// The Solar Hijri date of a Gregorian one.
pub fn to_jalali(date: NaiveDate) -> Option<Jalali> {
    let month = u8::try_from(date.month()).ok()?;
    let day = u8::try_from(date.day()).ok()?;
    let persian = Date::try_new_iso(date.year(), month, day)
        .ok()?
        .to_calendar(Persian);
    Some(Jalali {
        year: persian.year().extended_year(),
        month: persian.month().ordinal,
        day: persian.day_of_month().0,
    })
}

/// The Gregorian date of a Solar Hijri one, if that day exists.
pub fn from_jalali(j: Jalali) -> Option<NaiveDate> {
    let iso = Date::try_new_persian(j.year, j.month, j.day)
        .ok()?
        .to_calendar(Iso);
    NaiveDate::from_ymd_opt(
        iso.year().extended_year(),
        iso.month().ordinal.into(),
        iso.day_of_month().0.into(),
    )
}

/// A date as people read it in `calendar`: `2026-11-01`, or `1405-08-10`.
pub fn display(date: NaiveDate, calendar: Calendar) -> String {
    match calendar {
        Calendar::Gregorian => date.to_string(),
        Calendar::Persian => to_jalali(date).map_or_else(
            || date.to_string(),
            |j| format!("{:04}-{:02}-{:02}", j.year, j.month, j.day),
        ),
    }
}

/// A date for a message, which puts it in parentheses after what it dates: as people read it in
/// `calendar`, then, when that is not how the file writes it, as the file does — `2026-11-01`,
/// or `1405-08-10, 2026-11-01` — so that it can be found in the file.
pub fn display_with_iso(date: NaiveDate, calendar: Calendar) -> String {
    match calendar {
        Calendar::Gregorian => date.to_string(),
        Calendar::Persian => format!("{}, {date}", display(date, calendar)),
    }
}

/// The years a date in a case file can have: a date outside them is a slip of the keyboard
/// (`0000-01-01`) or, most often, a Solar Hijri date written where a Gregorian one belongs
/// (`1362-04-15`), which no check of order or of the future would catch.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Whether `date` lies in [`PLAUSIBLE_YEARS`].
pub fn is_plausible(date: NaiveDate) -> bool {
    PLAUSIBLE_YEARS.contains(&date.year())
}

/// The year of a date written `YYYY-MM-DD` ([`is_iso_shaped`]), whether or not the day exists.
pub fn iso_year(s: &str) -> Option<i32> {
    if !is_iso_shaped(s) {
        return None;
    }
    s[..4].parse().ok()
}

/// The Gregorian day that `s`, written `YYYY-MM-DD`, is if it was written in the Solar Hijri
/// calendar: when that day exists and its Gregorian day is plausible (`1362-04-15` is
/// 1983-07-06). A date with a Gregorian year never is one: its Gregorian day would be
/// centuries ahead.
pub fn as_solar_hijri(s: &str) -> Option<NaiveDate> {
    let year = iso_year(s)?;
    let [_, month, day] = fields::<3>(s)?;
    let date = from_jalali(Jalali {
        year,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
    })?;
    is_plausible(date).then_some(date)
}

/// Why a date or a month typed on the command line is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error(
        "`{text}` is not a date written YYYY-MM-DD{}",
        if *calendar == Calendar::Persian { " (Solar Hijri, or Gregorian)" } else { "" }
    )]
    NotADate { text: String, calendar: Calendar },
    /// Written like a date, but its month is not one of the twelve.
    #[error("`{text}` is not a day: a year has 12 months")]
    NoSuchMonth { text: String },
    /// Written like a date, but its month has no such day (`2026-02-30`, `1405-12-30`).
    #[error("`{text}` is not a day: {month} {year} has {days} days")]
    NoSuchDay {
        text: String,
        /// The month's name in its calendar: `February`, `Esfand`.
        month: &'static str,
        year: i32,
        days: i64,
    },
    #[error("`{0}` is not a Gregorian date; Solar Hijri dates need `--calendar persian`")]
    SolarHijriDate(String),
    #[error("`{0}` is not a month written YYYY-MM")]
    NotAMonth(String),
    #[error("`{0}` is not a Gregorian month; Solar Hijri months need `--calendar persian`")]
    SolarHijriMonth(String),
}

/// Years from here on are Gregorian whatever the calendar (Solar Hijri is around 1400 now).
pub const FIRST_GREGORIAN_YEAR: i32 = 1700;

/// The names of the Gregorian months, as the error of a day that does not exist says them.
const GREGORIAN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The names of the Solar Hijri months, as they are written in Latin letters.
const SOLAR_HIJRI_MONTHS: [&str; 12] = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
];

/// Reads a date typed on the command line. ISO `YYYY-MM-DD` is always accepted; with the
/// persian calendar, so is a Solar Hijri date, in Latin or Persian digits (`1405-08-10`,
/// `۱۴۰۵-۰۸-۱۰`); the year tells which it is. A date written right whose day does not exist
/// says why: `2026-02-30` is not a day, February 2026 has 28 days.
pub fn parse(text: &str, calendar: Calendar) -> Result<NaiveDate, DateError> {
    let invalid = || DateError::NotADate {
        text: text.to_string(),
        calendar,
    };
    let [year, month, day] = fields::<3>(text).ok_or_else(invalid)?;
    let (month, day) = (
        u8::try_from(month).map_err(|_| invalid())?,
        u8::try_from(day).map_err(|_| invalid())?,
    );
    let year = i32::try_from(year).map_err(|_| invalid())?;
    let solar_hijri = year < FIRST_GREGORIAN_YEAR;
    if solar_hijri && calendar == Calendar::Gregorian {
        return Err(DateError::SolarHijriDate(text.to_string()));
    }
    let date = if solar_hijri {
        from_jalali(Jalali { year, month, day })
    } else {
        NaiveDate::from_ymd_opt(year, month.into(), day.into())
    };
    date.ok_or_else(|| {
        let month_days = first_of(year, month, solar_hijri).zip(first_of(
            year + i32::from(month == 12),
            month % 12 + 1,
            solar_hijri,
        ));
        match month_days {
            Some((start, end)) => DateError::NoSuchDay {
                text: text.to_string(),
                month: if solar_hijri {
                    SOLAR_HIJRI_MONTHS
                } else {
                    GREGORIAN_MONTHS
                }[usize::from(month - 1)],
                year,
                days: (end - start).num_days(),
            },
            None => DateError::NoSuchMonth {
                text: text.to_string(),
            },
        }
    })
}

/// The first day of a month (1 to 12) of the Solar Hijri calendar or of the Gregorian one.
fn first_of(year: i32, month: u8, solar_hijri: bool) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) {
        return None;
    }
    if solar_hijri {
        from_jalali(Jalali {
            year,
            month,
            day: 1,
        })
    } else {
        NaiveDate::from_ymd_opt(year, month.into(), 1)
    }
}

/// A month of a calendar, as Gregorian days: `start` is its first day, `end` the first day of
/// the next month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Month {
    /// Whether `date` falls in the month.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }

    /// The last day of the month.
    pub fn last_day(&self) -> NaiveDate {
        self.end.pred_opt().unwrap_or(self.end)
    }
}

/// Reads a month `YYYY-MM` of `calendar` (with the persian calendar, `1404-08` is Aban 1404;
/// a Gregorian year is read as a Gregorian month).
pub fn month(text: &str, calendar: Calendar) -> Result<Month, DateError> {
    let invalid = || DateError::NotAMonth(text.to_string());
    let [year, month] = fields::<2>(text).ok_or_else(invalid)?;
    let year = i32::try_from(year).map_err(|_| invalid())?;
    let month = u8::try_from(month)
        .ok()
        .filter(|m| (1..=12).contains(m))
        .ok_or_else(invalid)?;
    if calendar == Calendar::Gregorian && year < FIRST_GREGORIAN_YEAR {
        return Err(DateError::SolarHijriMonth(text.to_string()));
    }
    let first = |year: i32, month: u8| {
        first_of(
            year,
            month,
            calendar == Calendar::Persian && year < FIRST_GREGORIAN_YEAR,
        )
    };
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    match (first(year, month), first(next_year, next_month)) {
        (Some(start), Some(end)) => Ok(Month { start, end }),
        _ => Err(invalid()),
    }
}

/// The numbers of `Y-M-D` (or `Y/M/D`), with Persian or Arabic-Indic digits read as Latin.
fn fields<const N: usize>(text: &str) -> Option<[u32; N]> {
    let latin = crate::text::latin_digits(text.trim()).replace('/', "-");
    let parts: Vec<&str> = latin.split('-').collect();
    if parts.len() != N
        || parts[0].len() != 4
        || parts[1..].iter().any(|p| p.is_empty() || p.len() > 2)
        || parts.iter().any(|p| !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut out = [0; N];
    for (slot, part) in out.iter_mut().zip(parts) {
        *slot = part.parse().ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn j(year: i32, month: u8, day: u8) -> Jalali {
        Jalali { year, month, day }
    }

    #[test]
    fn known_dates_convert_both_ways() {
        let known = [
            ("2025-03-21", j(1404, 1, 1)),
            ("2026-03-21", j(1405, 1, 1)),
            ("2026-11-01", j(1405, 8, 10)),
            ("2026-03-20", j(1404, 12, 29)),
            // 1403 is a leap year: Esfand has 30 days.
            ("2025-03-20", j(1403, 12, 30)),
            ("2024-03-20", j(1403, 1, 1)),
            ("2024-02-29", j(1402, 12, 10)),
            ("1979-02-11", j(1357, 11, 22)),
            ("2000-01-01", j(1378, 10, 11)),
            ("2030-03-20", j(1408, 12, 30)),
            ("2030-03-21", j(1409, 1, 1)),
        ];
        for (iso, jalali) in known {
            assert_eq!(to_jalali(date(iso)), Some(jalali), "{iso}");
            assert_eq!(from_jalali(jalali), Some(date(iso)), "{jalali:?}");
        }
    }

    #[test]
    fn every_day_of_a_century_round_trips() {
        let mut d = date("1980-01-01");
        let mut previous = to_jalali(d).unwrap();
        while d < date("2080-01-01") {
            let j = to_jalali(d).unwrap();
            assert_eq!(from_jalali(j), Some(d));
            if d > date("1980-01-01") {
                assert!(j.day == previous.day + 1 || j.day == 1, "{d}");
            }
            previous = j;
            d = d.succ_opt().unwrap();
        }
    }

    #[test]
    fn a_day_that_does_not_exist_is_refused() {
        // 1404 is not a leap year: Esfand has 29 days.
        assert_eq!(from_jalali(j(1404, 12, 30)), None);
        assert!(parse("1404-12-30", Calendar::Persian).is_err());
        // The first six months have 31 days, the next five 30.
        assert!(parse("1405-06-31", Calendar::Persian).is_ok());
        assert!(parse("1405-07-31", Calendar::Persian).is_err());
    }

    #[test]
    fn a_typed_day_that_does_not_exist_says_how_long_its_month_is() {
        let said = |text: &str, calendar| parse(text, calendar).unwrap_err().to_string();
        let (g, p) = (Calendar::Gregorian, Calendar::Persian);
        assert_eq!(
            said("2026-02-30", g),
            "`2026-02-30` is not a day: February 2026 has 28 days"
        );
        assert_eq!(
            said("2024-02-30", p),
            "`2024-02-30` is not a day: February 2024 has 29 days"
        );
        assert_eq!(
            said("2026-04-31", g),
            "`2026-04-31` is not a day: April 2026 has 30 days"
        );
        assert_eq!(
            said("2026-12-00", g),
            "`2026-12-00` is not a day: December 2026 has 31 days"
        );
        assert_eq!(
            said("1405-12-30", p),
            "`1405-12-30` is not a day: Esfand 1405 has 29 days"
        );
        assert_eq!(
            said("۱۴۰۵/۷/۳۱", p),
            "`۱۴۰۵/۷/۳۱` is not a day: Mehr 1405 has 30 days"
        );
        assert_eq!(
            said("1403-12-31", p),
            "`1403-12-31` is not a day: Esfand 1403 has 30 days"
        );
        assert_eq!(
            said("2026-13-01", g),
            "`2026-13-01` is not a day: a year has 12 months"
        );
        assert_eq!(
            said("1405-00-10", p),
            "`1405-00-10` is not a day: a year has 12 months"
        );
        // Not written like a date, or a Solar Hijri one without the calendar: as before.
        assert!(said("2026-2-300", g).contains("not a date written YYYY-MM-DD"));
        assert!(said("1405-12-30", g).contains("--calendar persian"));
    }

    #[test]
    fn plausible_years_and_solar_hijri_readings() {
        assert!(is_plausible(date("1900-01-01")) && is_plausible(date("2100-12-31")));
        assert!(!is_plausible(date("1899-12-31")) && !is_plausible(date("2101-01-01")));
        assert_eq!(iso_year("0000-02-30"), Some(0));
        assert_eq!(iso_year("1405/01/01"), None);
        assert_eq!(as_solar_hijri("1362-04-15"), Some(date("1983-07-06")));
        assert_eq!(as_solar_hijri("1406-01-01"), Some(date("2027-03-21")));
        // Shahrivar has 31 days, September 30: a Solar Hijri day that is no Gregorian one.
        assert_eq!(as_solar_hijri("1362-06-31"), Some(date("1983-09-22")));
        assert_eq!(as_solar_hijri("1404-12-30"), None);
        assert_eq!(as_solar_hijri("0000-01-01"), None);
        assert_eq!(as_solar_hijri("1983-07-06"), None);
        // Its Gregorian day would be after 2100.
        assert_eq!(as_solar_hijri("1490-01-01"), None);
    }

    #[test]
    fn a_date_in_a_message_is_also_written_as_the_file_writes_it() {
        let d = date("2026-05-27");
        assert_eq!(display_with_iso(d, Calendar::Gregorian), "2026-05-27");
        assert_eq!(
            display_with_iso(d, Calendar::Persian),
            "1405-03-06, 2026-05-27"
        );
    }

    #[test]
    fn typed_dates_in_either_calendar_and_digits() {
        let p = Calendar::Persian;
        assert_eq!(parse("1405-08-10", p), Ok(date("2026-11-01")));
        assert_eq!(parse("۱۴۰۵-۰۸-۱۰", p), Ok(date("2026-11-01")));
        assert_eq!(parse("1405/8/10", p), Ok(date("2026-11-01")));
        assert_eq!(parse("2026-11-01", p), Ok(date("2026-11-01")));
        assert_eq!(
            parse("2026-11-01", Calendar::Gregorian),
            Ok(date("2026-11-01"))
        );
        assert!(
            parse("1405-08-10", Calendar::Gregorian)
                .unwrap_err()
                .to_string()
                .contains("--calendar persian")
        );
        assert!(parse("2026-02-30", Calendar::Gregorian).is_err());
        assert!(parse("next week", p).is_err());
        assert!(parse("26-11-01", p).is_err());
    }

    #[test]
    fn file_dates_are_strict_iso() {
        assert!(parse_iso("2026-03-02").is_some());
        assert!(parse_iso("2026-3-2").is_none());
        assert!(parse_iso("2026-02-29").is_none());
        assert!(is_iso_shaped("2026-02-30"));
        assert!(parse_iso("2024-02-29").is_some());
        assert!(!is_iso_shaped("2026/02/03"));
    }

    #[test]
    fn display_follows_the_calendar() {
        assert_eq!(display(date("2026-11-01"), Calendar::Persian), "1405-08-10");
        assert_eq!(
            display(date("2026-11-01"), Calendar::Gregorian),
            "2026-11-01"
        );
    }

    #[test]
    fn a_month_is_that_calendars_month() {
        let aban = month("1404-08", Calendar::Persian).unwrap();
        assert_eq!(aban.start, date("2025-10-23"));
        assert_eq!(aban.end, date("2025-11-22"));
        assert_eq!(aban.last_day(), date("2025-11-21"));
        let esfand = month("1403-12", Calendar::Persian).unwrap();
        assert_eq!(
            (esfand.start, esfand.end),
            (date("2025-02-19"), date("2025-03-21"))
        );
        let feb = month("2028-02", Calendar::Persian).unwrap();
        assert_eq!(
            (feb.start, feb.end),
            (date("2028-02-01"), date("2028-03-01"))
        );
        assert!(month("1404-13", Calendar::Persian).is_err());
        assert!(month("1404-08", Calendar::Gregorian).is_err());
    }
}
