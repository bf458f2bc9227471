//! Filters (`Name=instance-state-name,Values=running`) and `MaxResults`/`NextToken` paging,
//! the same for every Describe action.
//!
//! Each resource type declares its filters once, as a table of [`Column`]s: the names AWS takes
//! for a filter and how to read the resource's values for it. Lookup, the check that refuses an
//! unknown name and the tag filters are written here, once, for every table.

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

/// One filter of a resource type: the names AWS takes for it and the resource's values for it.
///
/// `names` holds the documented name first, then the aliases the EC2 API reference documents
/// for the same filter ("You can also use `availabilityZone` as the filter name"). Names AWS
/// does not take are not listed: a script that works here must work on AWS.
pub struct Column<T> {
    pub names: &'static [&'static str],
    pub values: fn(&T) -> Vec<String>,
}

impl<T> std::fmt::Debug for Column<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Column")
            .field("names", &self.names)
            .finish()
    }
}

/// A resource that Describe actions can filter, through its type's table of filters.
pub trait Filterable: Sized {
    /// The filters of this resource type, one row per predicate.
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's;

    /// Whether the type takes the `tag:<key>`, `tag-key` and `tag-value` filters.
    const TAGGED: bool = false;

    /// Documented filters on fields no resource of this type has here (IPv6 pools, outposts,
    /// elastic GPUs, …). AWS takes the names, and a resource without the field matches none
    /// of their values, so a script that asks still runs and gets what AWS would give it.
    const ABSENT: &'static [&'static str] = &[];

    /// Whether, of those, it takes only `tag:<key>`: DescribeTags, whose rows are tags and
    /// which has `key` and `value` filters of its own.
    const TAG_PAIRS_ONLY: bool = false;

    /// The resource's tags, read when the type is `TAGGED`.
    fn tags(&self) -> &Tags {
        &NO_TAGS
    }

    /// The resource's values for a filter name; `None` when the name is not a filter of this
    /// resource type (an error, as on AWS).
    fn values(&self, name: &str) -> Option<Vec<String>> {
        if let Some(column) = column::<Self>(name) {
            return Some((column.values)(self));
        }
        if Self::ABSENT.contains(&name) {
            return Some(Vec::new());
        }
        takes_tag_filter::<Self>(name)
            .then(|| tag_values(self.tags(), name))
            .flatten()
    }
}

/// Whether `name` is one of the tag filters `T` takes.
fn takes_tag_filter<T: Filterable>(name: &str) -> bool {
    T::TAGGED
        && tag_values(&NO_TAGS, name).is_some()
        && (!T::TAG_PAIRS_ONLY || name.starts_with("tag:"))
}

static NO_TAGS: Tags = Tags::new();

fn column<'s, T: Filterable + 's>(name: &str) -> Option<&'s Column<T>> {
    T::columns()
        .iter()
        .find(|column| column.names.contains(&name))
}

/// Whether `name` is a filter of `T`.
fn known<T: Filterable>(name: &str) -> bool {
    column::<T>(name).is_some() || T::ABSENT.contains(&name) || takes_tag_filter::<T>(name)
}

/// The filters, once each name is known to be a filter of `T`: AWS refuses an unknown name
/// even when there is nothing to filter.
pub fn checked<T: Filterable>(filters: Vec<Filter>) -> Result<Vec<Filter>, AwsError> {
    for filter in &filters {
        if !known::<T>(&filter.name) {
            return Err(invalid(&filter.name));
        }
    }
    Ok(filters)
}

/// Whether `item` passes every filter.
pub fn matches(item: &impl Filterable, filters: &[Filter]) -> Result<bool, AwsError> {
    for filter in filters {
        let Some(values) = item.values(&filter.name) else {
            return Err(invalid(&filter.name));
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

/// AWS's answer to a filter name the resource type does not take.
fn invalid(name: &str) -> AwsError {
    AwsError::invalid_parameter_value(format!("The filter '{name}' is invalid"))
}

/// The values of the `tag:…`, `tag-key` and `tag-value` filters, shared by every resource.
fn tag_values(tags: &Tags, name: &str) -> Option<Vec<String>> {
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

    /// A resource with one filter under two names, and tags.
    struct Parcel {
        size: &'static str,
        tags: Tags,
    }

    const PARCEL_FILTERS: &[Column<Parcel>] = &[Column {
        names: &["parcel-size", "parcelSize"],
        values: |parcel| vec![parcel.size.to_string()],
    }];

    impl Filterable for Parcel {
        fn columns<'s>() -> &'s [Column<Self>] {
            PARCEL_FILTERS
        }

        const TAGGED: bool = true;

        fn tags(&self) -> &Tags {
            &self.tags
        }
    }

    /// A row of a listing of tags, whose type takes `tag:<key>` only (as DescribeTags).
    struct TagRow {
        tags: Tags,
    }

    impl Filterable for TagRow {
        fn columns<'s>() -> &'s [Column<Self>] {
            &[]
        }

        const TAGGED: bool = true;
        const TAG_PAIRS_ONLY: bool = true;

        fn tags(&self) -> &Tags {
            &self.tags
        }
    }

    /// A resource whose type takes no tag filters.
    struct Untagged;

    impl Filterable for Untagged {
        fn columns<'s>() -> &'s [Column<Self>] {
            &[]
        }
    }

    fn filter(name: &str, value: &str) -> Vec<Filter> {
        vec![Filter {
            name: name.into(),
            values: vec![value.into()],
        }]
    }

    #[test]
    fn every_name_of_a_row_is_the_same_filter() {
        let parcel = Parcel {
            size: "large",
            tags: Tags::new(),
        };
        for name in ["parcel-size", "parcelSize"] {
            assert_eq!(parcel.values(name), Some(vec!["large".to_string()]));
            assert_eq!(matches(&parcel, &filter(name, "l*")), Ok(true), "{name}");
            assert_eq!(
                matches(&parcel, &filter(name, "small")),
                Ok(false),
                "{name}"
            );
        }
    }

    #[test]
    fn a_name_in_no_row_is_refused_as_aws_refuses_it() {
        let parcel = Parcel {
            size: "large",
            tags: Tags::new(),
        };
        for name in ["parcel_size", "ParcelSize", "parcelsize", "size", ""] {
            let error = matches(&parcel, &filter(name, "large")).expect_err(name);
            assert_eq!(
                (error.status, error.code.as_ref(), error.message.as_str()),
                (
                    400,
                    "InvalidParameterValue",
                    format!("The filter '{name}' is invalid").as_str()
                )
            );
        }
    }

    #[test]
    fn tag_filters_apply_only_to_types_with_tags() {
        let parcel = Parcel {
            size: "large",
            tags: Tags::from([("Name".to_string(), "gift".to_string())]),
        };
        assert_eq!(matches(&parcel, &filter("tag:Name", "gift")), Ok(true));
        assert_eq!(matches(&parcel, &filter("tag-key", "Name")), Ok(true));
        assert_eq!(matches(&parcel, &filter("tag-value", "other")), Ok(false));
        assert!(matches(&Untagged, &filter("tag:Name", "gift")).is_err());
        assert!(matches(&Untagged, &filter("tag-key", "Name")).is_err());
    }

    #[test]
    fn a_listing_of_tags_takes_only_tag_pairs() {
        let row = TagRow {
            tags: Tags::from([("Stack".to_string(), "Test".to_string())]),
        };
        assert_eq!(matches(&row, &filter("tag:Stack", "Test")), Ok(true));
        assert_eq!(matches(&row, &filter("tag:Stack", "Prod")), Ok(false));
        assert!(checked::<TagRow>(filter("tag:Stack", "Test")).is_ok());
        for name in ["tag-key", "tag-value"] {
            assert!(checked::<TagRow>(filter(name, "Stack")).is_err(), "{name}");
            assert!(matches(&row, &filter(name, "Stack")).is_err(), "{name}");
        }
    }

    #[test]
    fn names_are_checked_before_anything_is_filtered() {
        let good = [filter("parcelSize", "x"), filter("tag:Name", "y")].concat();
        assert_eq!(checked::<Parcel>(good.clone()), Ok(good));
        let error = checked::<Parcel>(filter("parcel_size", "x")).expect_err("unknown");
        assert_eq!(error.message, "The filter 'parcel_size' is invalid");
        assert!(checked::<Untagged>(filter("tag:Name", "y")).is_err());
        assert!(checked::<Untagged>(filter("tag-value", "y")).is_err());
    }

    #[test]
    fn a_field_no_resource_has_is_taken_and_matches_nothing() {
        struct Bare;
        impl Filterable for Bare {
            fn columns<'s>() -> &'s [Column<Self>] {
                &[]
            }
            const ABSENT: &'static [&'static str] = &["gift-wrap"];
        }
        assert_eq!(matches(&Bare, &filter("gift-wrap", "*")), Ok(false));
        assert!(checked::<Bare>(filter("gift-wrap", "red")).is_ok());
        assert!(checked::<Bare>(filter("gift-wrapping", "red")).is_err());
    }

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
