//! Value formats of the content contract: slugs, emails, semantic versions, ISO dates, URLs.
//! Pure functions; each returns why a value is wrong, for the diagnostic's label.

use chrono::{Datelike, NaiveDate};

/// `^[a-z0-9]+(-[a-z0-9]+)*$`
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A pragmatic address check: one `@`, a local part and a dotted domain, no spaces or controls.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let clean = |p: &str| {
        !p.is_empty()
            && !p
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"@".contains(c))
    };
    clean(local)
        && clean(domain)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// A semantic version (2.0.0) by the `semver` crate, or why it is not one: the label of the
/// diagnostic.
pub fn version(s: &str) -> Result<semver::Version, String> {
    semver::Version::parse(s).map_err(|e| {
        let reason = e.to_string();
        // The crate's words are precise about what follows the numbers; about the numbers
        // themselves the shape says more.
        if reason.contains("pre-release") || reason.contains("build metadata") {
            reason
        } else {
            "expected MAJOR.MINOR.PATCH".into()
        }
    })
}

/// Why a text is not a date.
#[derive(Debug, PartialEq, Eq)]
pub enum DateProblem {
    /// Not `YYYY-MM-DD` with four, two and two digits.
    Format,
    /// In the format, but no day of the calendar, with the reason: `February 2026 has 28 days`.
    NoSuchDay(String),
}

/// A calendar date written `YYYY-MM-DD`: digits only (no sign, no other year width), and a
/// day that exists by the Gregorian calendar (chrono's rules).
pub fn date(s: &str) -> Result<NaiveDate, DateProblem> {
    let bytes = s.as_bytes();
    let shape = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return Err(DateProblem::Format);
    }
    let number = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or_default();
    let (year, month, day) = (number(0..4) as i32, number(5..7), number(8..10));
    if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
        return Ok(date);
    }
    let Some(month_name) = chrono::Month::try_from(u8::try_from(month).unwrap_or(0))
        .ok()
        .map(|m| m.name())
    else {
        return Err(DateProblem::NoSuchDay(format!(
            "there is no month {month:02}"
        )));
    };
    let days = NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
        .and_then(|next| next.pred_opt())
        .map_or(31, |last| last.day());
    Err(DateProblem::NoSuchDay(format!(
        "{month_name} {year} has {days} days"
    )))
}

/// `date` as days since 1970-01-01, the unit of the build day.
pub fn days(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

/// The date `days` after 1970-01-01: the inverse of [`days`].
pub fn date_of(days: i64) -> NaiveDate {
    NaiveDate::default() + chrono::Duration::days(days)
}

/// A URL from a record, by the rule every URL of content follows (`markdown::web_address`),
/// or why it is unacceptable.
pub fn url(s: &str, https_only: bool) -> Result<url::Url, String> {
    let url = crate::markdown::web_address(s)?;
    if https_only && url.scheme() != "https" {
        return Err("must use https".into());
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("shopify"));
        assert!(is_slug("sap-business-1"));
        for bad in ["", "Shopify", "a--b", "-a", "a-", "a_b", "a b", "é"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(is_email("partners@acme.example"));
        for bad in [
            "acme.example",
            "a@b",
            "a @b.c",
            "a@b..c",
            "@b.c",
            "a@.b.c",
            "a@b.c.",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn semantic_versions() {
        for good in [
            "2.3.0",
            "0.1.0-beta.1",
            "1.0.0+build.5",
            "10.20.30",
            "1.0.0-0a",
        ] {
            assert!(version(good).is_ok(), "{good}");
        }
        for bad in ["1.10", "v1.0.0", "1.0", "01.0.0", "1.0.0.0", ""] {
            assert_eq!(
                version(bad).unwrap_err(),
                "expected MAJOR.MINOR.PATCH",
                "{bad}"
            );
        }
        assert!(version("1.0.0-01").unwrap_err().contains("leading zero"));
        assert!(version("1.0.0-").unwrap_err().contains("empty identifier"));
    }

    #[test]
    fn dates() {
        assert_eq!(date("1970-01-01").map(days), Ok(0));
        assert_eq!(
            days(date("2024-02-29").unwrap()) - days(date("2024-02-28").unwrap()),
            1
        );
        assert_eq!(
            days(date("2026-01-01").unwrap()) - days(date("2025-01-01").unwrap()),
            365
        );
        for bad in [
            "2025-1-01",
            "01-01-2025",
            "2025-+1-+1",
            "-202-01-01",
            "+2025-01-01",
            "2025-01-1 ",
            "2025/01/01",
        ] {
            assert_eq!(date(bad), Err(DateProblem::Format), "{bad}");
        }
        let no_such_day = |s: &str| match date(s) {
            Err(DateProblem::NoSuchDay(why)) => why,
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(no_such_day("2026-02-30"), "February 2026 has 28 days");
        assert_eq!(no_such_day("2024-02-30"), "February 2024 has 29 days");
        assert_eq!(no_such_day("2023-02-29"), "February 2023 has 28 days");
        assert_eq!(no_such_day("2025-04-31"), "April 2025 has 30 days");
        assert_eq!(no_such_day("2025-13-01"), "there is no month 13");
        assert_eq!(no_such_day("2025-00-10"), "there is no month 00");
        assert_eq!(no_such_day("2025-01-00"), "January 2025 has 31 days");
    }

    #[test]
    fn urls() {
        let problem = |s: &str, https_only: bool| url(s, https_only).err().unwrap_or_default();
        assert!(url("https://acme.example/x", true).is_ok());
        assert!(url("http://acme.example", false).is_ok());
        assert!(problem("http://acme.example", true).contains("https"));
        assert!(problem("javascript:alert(1)", false).contains("javascript"));
        assert!(problem("https://a@b.example", false).contains("user name"));
        assert!(problem("https://a b.example", false).contains("spaces"));
        assert!(url("acme.example", false).is_err());
    }
}
