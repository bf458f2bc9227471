//! Filters (`Name=instance-state-name,Values=running`) and `MaxResults`/`NextToken` paging,
//! the same for every Describe action.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::super::error::AwsError;
use super::Tags;

/// One filter: a name and the values any of which may match (with `*` and `?` wildcards).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub name: String,
    pub values: Vec<String>,
}

/// A resource that Describe actions can filter.
pub trait Filterable {
    /// The resource's values for a filter name; `None` when the name is not a filter of this
    /// resource type (an error, as on AWS).
    fn values(&self, name: &str) -> Option<Vec<String>>;
}

/// Whether `item` passes every filter.
pub fn matches(item: &impl Filterable, filters: &[Filter]) -> Result<bool, AwsError> {
    for filter in filters {
        let Some(values) = item.values(&filter.name) else {
            return Err(AwsError::client(
                "InvalidParameterValue",
                format!("The filter '{}' is invalid", filter.name),
            ));
        };
        let hit = values
            .iter()
            .any(|value| filter.values.iter().any(|pattern| wildcard(pattern, value)));
        if !hit {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The values of the `tag:…`, `tag-key` and `tag-value` filters, shared by every resource.
pub fn tag_values(tags: &Tags, name: &str) -> Option<Vec<String>> {
    if let Some(key) = name.strip_prefix("tag:") {
        return Some(tags.get(key).cloned().into_iter().collect());
    }
    match name {
        "tag-key" => Some(tags.keys().cloned().collect()),
        "tag-value" => Some(tags.values().cloned().collect()),
        _ => None,
    }
}

/// `*` matches any run of characters, `?` any one; everything else matches itself.
pub fn wildcard(pattern: &str, value: &str) -> bool {
    let (p, v): (Vec<char>, Vec<char>) = (pattern.chars().collect(), value.chars().collect());
    let (mut pi, mut vi, mut star, mut mark) = (0, 0, None, 0);
    while vi < v.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == v[vi]) {
            pi += 1;
            vi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = vi;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            vi = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// One page of `items`, and the token of the next page if there is one.
pub fn page<T>(
    items: Vec<T>,
    max_results: Option<i64>,
    token: Option<&str>,
    bounds: (i64, i64),
) -> Result<(Vec<T>, Option<String>), AwsError> {
    let start = match token {
        None | Some("") => 0,
        Some(token) => decode_token(token).ok_or_else(|| {
            AwsError::client(
                "InvalidParameterValue",
                format!("Invalid value '{token}' for NextToken"),
            )
        })?,
    };
    let size = match max_results {
        None => return Ok((items.into_iter().skip(start).collect(), None)),
        Some(n) if n < bounds.0 || n > bounds.1 => {
            return Err(AwsError::client(
                "InvalidParameterValue",
                format!(
                    "Value ( {n} ) for parameter maxResults is invalid. Expecting a value between {} and {}.",
                    bounds.0, bounds.1
                ),
            ));
        }
        Some(n) => n as usize,
    };
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(start).take(size).collect();
    let next =
        (start + size < total).then(|| URL_SAFE_NO_PAD.encode(format!("offset:{}", start + size)));
    Ok((page, next))
}

fn decode_token(token: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("offset:")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard("web-*", "web-1"));
        assert!(wildcard("*", ""));
        assert!(wildcard("t?.micro", "t2.micro"));
        assert!(wildcard("a*b*c", "axxbyyc"));
        assert!(!wildcard("web-*", "db-1"));
        assert!(!wildcard("t?.micro", "t2.small"));
    }

    #[test]
    fn pages_follow_each_other() {
        let items: Vec<u32> = (0..12).collect();
        let (first, next) = page(items.clone(), Some(5), None, (5, 1000)).expect("first");
        assert_eq!(first, [0, 1, 2, 3, 4]);
        let (second, next) =
            page(items.clone(), Some(5), next.as_deref(), (5, 1000)).expect("second");
        assert_eq!(second, [5, 6, 7, 8, 9]);
        let (third, next) =
            page(items.clone(), Some(5), next.as_deref(), (5, 1000)).expect("third");
        assert_eq!((third, next), (vec![10, 11], None));
        assert!(page(items.clone(), Some(2), None, (5, 1000)).is_err());
        assert!(page(items, None, Some("garbage!"), (5, 1000)).is_err());
    }
}
