//! Listings cut into pages of results, so a listing's weight stays flat as the catalogue
//! grows and every connector is still a few links away without JavaScript.

use serde::Serialize;

use super::view::ConnectorSummary;
use crate::urls::{self, PER_PAGE};

/// Page links shown on each side of the current one; the first and last are always shown.
const NEIGHBOURS: usize = 2;

/// One page of a listing: its members (listed ones first, then deprecated ones, each by the
/// listing's order) and the links to the others.
pub struct ListingPage<'a> {
    pub path: String,
    pub active: Vec<&'a ConnectorSummary>,
    pub deprecated: Vec<&'a ConnectorSummary>,
    pub pager: Pager,
}

/// What a template shows of a listing's pages.
#[derive(Serialize)]
pub struct Pager {
    pub number: usize,
    pub total: usize,
    /// The 1-based positions of this page's first and last members, and the listing's size.
    pub first: usize,
    pub last: usize,
    pub members: usize,
    /// How many of the members are deprecated (they come last).
    pub deprecated: usize,
    /// Site-relative paths.
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The page links to show, with `None` for a gap in the numbering.
    pub links: Vec<Option<PageLink>>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub path: String,
    pub current: bool,
}

/// The pages of the listing at `base` (`connectors/`, `categories/erp/`): at least one, so an
/// empty listing still has its page.
pub fn paginate<'a>(base: &str, members: &[&'a ConnectorSummary]) -> Vec<ListingPage<'a>> {
    let (deprecated, active): (Vec<&ConnectorSummary>, Vec<&ConnectorSummary>) =
        members.iter().partition(|s| s.deprecated);
    let retired = deprecated.len();
    let ordered: Vec<&ConnectorSummary> = active.into_iter().chain(deprecated).collect();
    let total = ordered.len().div_ceil(PER_PAGE).max(1);
    (1..=total)
        .map(|number| {
            let start = (number - 1) * PER_PAGE;
            let end = (start + PER_PAGE).min(ordered.len());
            let (deprecated, active) = ordered[start..end].iter().partition(|s| s.deprecated);
            ListingPage {
                path: urls::listing_page(base, number),
                active,
                deprecated,
                pager: Pager {
                    number,
                    total,
                    first: (start + 1).min(end),
                    last: end,
                    members: ordered.len(),
                    deprecated: retired,
                    previous: (number > 1).then(|| urls::listing_page(base, number - 1)),
                    next: (number < total).then(|| urls::listing_page(base, number + 1)),
                    links: links(base, number, total),
                },
            }
        })
        .collect()
}

/// The first page, the last, and the current one's neighbours, with a gap where numbers
/// are left out: a few links whatever the listing's size.
fn links(base: &str, current: usize, total: usize) -> Vec<Option<PageLink>> {
    let shown = |n: usize| n == 1 || n == total || n.abs_diff(current) <= NEIGHBOURS;
    let mut links = Vec::new();
    for number in 1..=total {
        if shown(number) {
            links.push(Some(PageLink {
                number,
                path: urls::listing_page(base, number),
                current: number == current,
            }));
        } else if links.last().is_some_and(Option::is_some) {
            links.push(None);
        }
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(links: &[Option<PageLink>]) -> Vec<Option<usize>> {
        links.iter().map(|l| l.as_ref().map(|l| l.number)).collect()
    }

    #[test]
    fn page_links_stay_few_whatever_the_size() {
        assert_eq!(numbers(&links("connectors/", 1, 1)), [Some(1)]);
        assert_eq!(
            numbers(&links("connectors/", 1, 209)),
            [Some(1), Some(2), Some(3), None, Some(209)]
        );
        assert_eq!(
            numbers(&links("connectors/", 100, 209)),
            [
                Some(1),
                None,
                Some(98),
                Some(99),
                Some(100),
                Some(101),
                Some(102),
                None,
                Some(209)
            ]
        );
        assert_eq!(
            numbers(&links("connectors/", 4, 5)),
            [Some(1), Some(2), Some(3), Some(4), Some(5)]
        );
    }

    #[test]
    fn page_one_is_the_listing_itself() {
        assert_eq!(urls::listing_page("connectors/", 1), "connectors/");
        assert_eq!(urls::listing_page("connectors/", 2), "connectors/page/2/");
    }
}
