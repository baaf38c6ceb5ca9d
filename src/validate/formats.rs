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

/// Why a URL from a record is unacceptable, if it is.
pub fn url_problem(s: &str, https_only: bool) -> Option<String> {
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("URLs may not contain spaces or control characters".into());
    }
    let url = match url::Url::parse(s) {
        Ok(url) => url,
        Err(e) => return Some(format!("not a URL: {e}")),
    };
    match url.scheme() {
        "https" => {}
        "http" if !https_only => {}
        "http" => return Some("must use https".into()),
        other => return Some(format!("the `{other}:` scheme is not allowed; use https")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Some("URLs may not contain a user name or password".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Some("the URL has no host".into());
    }
    None
}

/// `url` with the ASCII characters that a URL may not hold as they are (RFC 3986; the HTML
/// checker refuses them in an `href`) percent-encoded: the same address for every browser.
/// A backslash stays, since browsers read it as a slash, not as `%5C`.
pub fn encode_url(url: &str) -> String {
    let mut encoded = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '"' | '<' | '>' | '^' | '`' | '{' | '|' | '}' => {
                encoded.push_str(&format!("%{:02X}", c as u32));
            }
            c => encoded.push(c),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_published_with_characters_an_href_may_not_hold_encoded() {
        assert_eq!(
            encode_url("https://a.example/{id}/x|y^z?q={v}#`f`"),
            "https://a.example/%7Bid%7D/x%7Cy%5Ez?q=%7Bv%7D#%60f%60"
        );
        let plain = "https://a.example/caf%C3%A9/é?x=1&y=[2]#top";
        assert_eq!(encode_url(plain), plain);
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
        assert_eq!(url_problem("https://acme.example/x", true), None);
        assert_eq!(url_problem("http://acme.example", false), None);
        assert!(
            url_problem("http://acme.example", true)
                .unwrap()
                .contains("https")
        );
        assert!(
            url_problem("javascript:alert(1)", false)
                .unwrap()
                .contains("javascript")
        );
        assert!(
            url_problem("https://a@b.example", false)
                .unwrap()
                .contains("user name")
        );
        assert!(
            url_problem("https://a b.example", false)
                .unwrap()
                .contains("spaces")
        );
        assert!(url_problem("acme.example", false).is_some());
    }
}
