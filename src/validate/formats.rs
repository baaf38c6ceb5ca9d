//! Value formats of the content contract: slugs, emails, semantic versions, ISO dates, URLs.
//! Pure functions; each returns why a value is wrong, for the diagnostic's label.

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

/// Semantic version 2.0.0: `MAJOR.MINOR.PATCH`, optional `-pre` and `+build`.
pub fn is_semver(s: &str) -> bool {
    let (core, _build) = s.split_once('+').map_or((s, None), |(a, b)| (a, Some(b)));
    let (core, pre) = core
        .split_once('-')
        .map_or((core, None), |(a, b)| (a, Some(b)));
    let numbers: Vec<&str> = core.split('.').collect();
    let number = |n: &&str| {
        !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
            && (n.len() == 1 || !n.starts_with('0'))
    };
    let ident =
        |i: &str| !i.is_empty() && i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    numbers.len() == 3
        && numbers.iter().all(number)
        && pre.is_none_or(|p| p.split('.').all(ident))
        && _build.is_none_or(|b| b.split('.').all(ident))
}

/// A calendar date `YYYY-MM-DD`, as days since 1970-01-01.
pub fn parse_date(s: &str) -> Option<i64> {
    let bytes = s.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month[(m - 1) as usize] {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Days since 1970-01-01 as `YYYY-MM-DD`: the inverse of [`parse_date`] (Howard Hinnant's
/// `civil_from_days`).
pub fn format_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Howard Hinnant's algorithm: days since the Unix epoch for a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
    fn format_date_is_the_inverse_of_parse_date() {
        for date in [
            "1970-01-01",
            "2000-02-29",
            "2026-11-26",
            "1969-12-31",
            "2100-03-01",
        ] {
            assert_eq!(format_date(parse_date(date).unwrap()), date);
        }
        for days in (-800_000..800_000).step_by(97) {
            assert_eq!(parse_date(&format_date(days)), Some(days), "{days}");
        }
    }

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
        for good in ["2.3.0", "0.1.0-beta.1", "1.0.0+build.5", "10.20.30"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in ["1.10", "v1.0.0", "1.0", "01.0.0", "1.0.0-", "1.0.0.0", ""] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(
            parse_date("2024-02-29").unwrap() - parse_date("2024-02-28").unwrap(),
            1
        );
        assert_eq!(
            parse_date("2026-01-01").unwrap() - parse_date("2025-01-01").unwrap(),
            365
        );
        for bad in [
            "2023-02-29",
            "2025-13-01",
            "2025-1-01",
            "01-01-2025",
            "2025-01-32",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
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
