//! `limit` / `offset` pagination, shared by the projects and EdgeFlags list endpoints.

use std::collections::HashMap;

/// Default page size (both pages show `limit=50`).
pub(crate) const DEFAULT_LIMIT: usize = 50;
/// Largest page; a larger `limit` is clamped to it and the effective limit is echoed back.
pub(crate) const MAX_LIMIT: usize = 100;

/// One requested page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Page {
    pub(crate) limit: usize,
    pub(crate) offset: usize,
}

impl Page {
    /// Reads `limit` (1 or more, clamped to [`MAX_LIMIT`]) and `offset` (0 or more) from the
    /// query; anything else is an error message.
    pub(crate) fn from_query(query: &HashMap<String, String>) -> Result<Page, String> {
        let limit = match query.get("limit") {
            None => DEFAULT_LIMIT,
            Some(text) => match text.parse::<usize>() {
                Ok(0) | Err(_) => {
                    return Err(format!(
                        "query parameter \"limit\" must be a positive integer, got {text:?}"
                    ));
                }
                Ok(limit) => limit.min(MAX_LIMIT),
            },
        };
        let offset = match query.get("offset") {
            None => 0,
            Some(text) => text.parse::<usize>().map_err(|_| {
                format!("query parameter \"offset\" must be a non-negative integer, got {text:?}")
            })?,
        };
        Ok(Page { limit, offset })
    }

    /// This page's slice of `items`.
    pub(crate) fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = self.offset.min(items.len());
        let end = self.offset.saturating_add(self.limit).min(items.len());
        &items[start..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_clamps_and_refuses() {
        assert_eq!(
            Page::from_query(&query(&[])),
            Ok(Page {
                limit: 50,
                offset: 0
            })
        );
        assert_eq!(
            Page::from_query(&query(&[("limit", "500"), ("offset", "7")])),
            Ok(Page {
                limit: 100,
                offset: 7
            })
        );
        assert!(Page::from_query(&query(&[("limit", "0")])).is_err());
        assert!(Page::from_query(&query(&[("limit", "-1")])).is_err());
        assert!(Page::from_query(&query(&[("offset", "x")])).is_err());
    }

    #[test]
    fn slice_past_the_end_is_empty() {
        let items = [1, 2, 3];
        let page = Page {
            limit: 2,
            offset: 2,
        };
        assert_eq!(page.slice(&items), &[3]);
        let page = Page {
            limit: 2,
            offset: 9,
        };
        assert!(page.slice(&items).is_empty());
    }
}
