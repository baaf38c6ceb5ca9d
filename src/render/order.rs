//! The order of every list of connectors a visitor reads as "by name": the site's language's
//! collation (CLDR's rules, the ones browsers' `Intl.Collator` follows), never bytes, so
//! "eBay" sits beside "Etsy" and a slug never decides where a name goes.
//!
//! Pure: names in, positions out.

use std::cmp::Ordering;

use icu_collator::options::CollatorOptions;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale_core::Locale;

/// Compares names as the site's readers expect them ordered.
pub struct Names {
    collator: CollatorBorrowed<'static>,
}

impl Names {
    /// The collation of `language` (site.yaml's `language:`, a BCP 47 tag); a tag ICU4X does
    /// not know falls back to the root collation, which orders every script sensibly.
    pub fn new(language: &str) -> Self {
        let locale = Locale::try_from_str(language).unwrap_or(Locale::UNKNOWN);
        let collator = CollatorBorrowed::try_new(
            CollatorPreferences::from(&locale),
            CollatorOptions::default(),
        )
        .or_else(|_| {
            CollatorBorrowed::try_new(
                CollatorPreferences::from(&Locale::UNKNOWN),
                CollatorOptions::default(),
            )
        })
        .expect("the root collation is compiled in");
        Names { collator }
    }

    /// `a` before `b` by name; names that collate equal (two records may differ only in
    /// case) by their bytes, so the order never depends on the input's.
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a, b).then_with(|| a.cmp(b))
    }

    /// The positions of `names` in name order; equal names keep their given order.
    pub fn order<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
        let names: Vec<&str> = names.into_iter().collect();
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_by(|&a, &b| self.compare(names[a], names[b]));
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(language: &str, names: &[&'static str]) -> Vec<&'static str> {
        let collation = Names::new(language);
        collation
            .order(names.iter().copied())
            .into_iter()
            .map(|i| names[i])
            .collect()
    }

    #[test]
    fn names_go_by_letters_not_bytes() {
        assert_eq!(
            sorted(
                "en",
                &["Zendesk", "eBay", "Étoile", "Etsy", "Amazon S3", "airtable"]
            ),
            ["airtable", "Amazon S3", "eBay", "Étoile", "Etsy", "Zendesk"]
        );
    }

    #[test]
    fn the_language_decides() {
        // Swedish puts Ö after Z; English files it with O.
        assert_eq!(
            sorted("en", &["Zoho", "Örebro", "Oracle"]),
            ["Oracle", "Örebro", "Zoho"]
        );
        assert_eq!(
            sorted("sv", &["Zoho", "Örebro", "Oracle"]),
            ["Oracle", "Zoho", "Örebro"]
        );
    }

    #[test]
    fn an_unknown_language_falls_back_to_the_root_collation() {
        assert_eq!(sorted("not a tag!", &["b", "A", "a"]), ["a", "A", "b"]);
    }
}
