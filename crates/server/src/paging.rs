//! Pagination (`?page=&per_page=`) and sorting (`?sort=field` or
//! `?sort=-field`) of lists.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Default page size.
pub const PER_PAGE: u64 = 50;
/// Largest page size.
pub const MAX_PER_PAGE: u64 = 500;

/// `?page=&per_page=`.
#[derive(Clone, Copy, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page (1–500, default 50).
    pub per_page: Option<u64>,
}

impl Paging {
    /// The page number, at least 1.
    pub fn page(&self) -> u64 {
        self.page.unwrap_or(1).max(1)
    }

    /// The page size, within bounds.
    pub fn per_page(&self) -> u64 {
        self.per_page.unwrap_or(PER_PAGE).clamp(1, MAX_PER_PAGE)
    }

    /// Rows to skip.
    pub fn offset(&self) -> u64 {
        (self.page() - 1).saturating_mul(self.per_page())
    }

    /// This page of `all`.
    pub fn slice<T>(&self, all: Vec<T>) -> Page<T> {
        let total = all.len() as u64;
        let items = all
            .into_iter()
            .skip(usize::try_from(self.offset()).unwrap_or(usize::MAX))
            .take(usize::try_from(self.per_page()).unwrap_or(usize::MAX))
            .collect();
        self.page_of(items, total)
    }

    /// A page whose items were already cut (`total` counts all).
    pub fn page_of<T>(&self, items: Vec<T>, total: u64) -> Page<T> {
        Page {
            items,
            page: self.page(),
            per_page: self.per_page(),
            total,
        }
    }
}

/// One page of a list.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Page number, from 1.
    pub page: u64,
    /// Page size.
    pub per_page: u64,
    /// Items in the whole list.
    pub total: u64,
}

/// `?sort=` of a list that has no other filter.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Sort {
    /// A key of the list (see the route), `-` before it for descending.
    /// Another key is a 400.
    pub sort: Option<String>,
}

/// `?sort=` parsed with `key` (a list's `from_name`): `None` when absent,
/// the key and whether it is descending, or a 400 naming an unknown key.
pub fn parse_sort<K>(
    sort: Option<&str>,
    key: impl Fn(&str) -> Option<K>,
) -> Result<Option<(K, bool)>, crate::error::ApiError> {
    let Some((field, desc)) = sort_key(sort) else {
        return Ok(None);
    };
    let k = key(field)
        .ok_or_else(|| crate::error::ApiError::bad_request(format!("cannot sort by '{field}'")))?;
    Ok(Some((k, desc)))
}

/// Splits `?sort=-name` into the field and whether it is descending.
pub fn sort_key(sort: Option<&str>) -> Option<(&str, bool)> {
    let s = sort?.trim();
    if s.is_empty() {
        return None;
    }
    Some(match s.strip_prefix('-') {
        Some(f) => (f, true),
        None => (s, false),
    })
}
