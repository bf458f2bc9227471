//! ListObjectsV2's walk over a bucket's keys: prefix, delimiter, pages.
//!
//! Keys sorted in a `BTreeMap` are S3's order (UTF-8 binary). A page holds at most `max`
//! entries, objects and common prefixes alike; the continuation token is the last entry
//! returned, so a common prefix is never returned twice across pages.

use std::collections::BTreeMap;
use std::ops::Bound;

/// One page of a listing.
#[derive(Debug, PartialEq, Eq)]
pub struct Page<'a, T> {
    pub objects: Vec<(&'a str, &'a T)>,
    pub common_prefixes: Vec<String>,
    /// Set when more entries follow: where the next page starts.
    pub next: Option<String>,
}

/// Lists keys under `prefix` after `after` (exclusive), rolling keys up to `delimiter`.
pub fn page<'a, T>(
    objects: &'a BTreeMap<String, T>,
    prefix: &str,
    delimiter: Option<&str>,
    after: Option<&str>,
    max: usize,
) -> Page<'a, T> {
    let delimiter = delimiter.filter(|delimiter| !delimiter.is_empty());
    let start = match after {
        Some(after) if after >= prefix => Bound::Excluded(after),
        _ => Bound::Included(prefix),
    };
    let mut page = Page {
        objects: Vec::new(),
        common_prefixes: Vec::new(),
        next: None,
    };
    let mut last = None::<String>;
    for (key, value) in objects.range::<str, _>((start, Bound::Unbounded)) {
        if !key.starts_with(prefix) {
            break;
        }
        // A token that was a common prefix: skip what it rolled up.
        if let (Some(after), Some(_)) = (after, delimiter)
            && key.starts_with(after)
            && after.len() > prefix.len()
            && after.ends_with(delimiter.unwrap_or_default())
        {
            continue;
        }
        let rolled = delimiter.and_then(|delimiter| {
            key[prefix.len()..]
                .find(delimiter)
                .map(|at| key[..prefix.len() + at + delimiter.len()].to_string())
        });
        if let Some(common) = &rolled
            && page.common_prefixes.last() == Some(common)
        {
            continue;
        }
        if page.objects.len() + page.common_prefixes.len() == max {
            page.next = last;
            return page;
        }
        match rolled {
            Some(common) => {
                last = Some(common.clone());
                page.common_prefixes.push(common);
            }
            None => {
                last = Some(key.clone());
                page.objects.push((key, value));
            }
        }
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(keys: &[&str]) -> BTreeMap<String, ()> {
        keys.iter().map(|key| (key.to_string(), ())).collect()
    }

    fn keys<'a, T>(page: &Page<'a, T>) -> Vec<&'a str> {
        page.objects.iter().map(|(key, _)| *key).collect()
    }

    #[test]
    fn prefix_and_delimiter_roll_keys_up_like_folders() {
        let objects = bucket(&[
            "a.txt",
            "img/1.png",
            "img/2.png",
            "img/raw/3.png",
            "index.html",
            "j",
        ]);
        let page = page(&objects, "", Some("/"), None, 1000);
        assert_eq!(keys(&page), ["a.txt", "index.html", "j"]);
        assert_eq!(page.common_prefixes, ["img/"]);
        let inside = super::page(&objects, "img/", Some("/"), None, 1000);
        assert_eq!(keys(&inside), ["img/1.png", "img/2.png"]);
        assert_eq!(inside.common_prefixes, ["img/raw/"]);
        assert_eq!(inside.next, None);
    }

    #[test]
    fn pages_continue_where_the_last_ended_and_never_repeat_a_prefix() {
        let objects = bucket(&["a", "b/1", "b/2", "b/3", "c", "d"]);
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = page(&objects, "", Some("/"), after.as_deref(), 2);
            seen.extend(keys(&page).into_iter().map(str::to_string));
            seen.extend(page.common_prefixes.iter().cloned());
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["a", "b/", "c", "d"]);
    }

    #[test]
    fn start_after_before_the_prefix_starts_at_the_prefix() {
        let objects = bucket(&["a/1", "b/1", "b/2"]);
        let page = page(&objects, "b/", None, Some("a"), 10);
        assert_eq!(keys(&page), ["b/1", "b/2"]);
    }
}
