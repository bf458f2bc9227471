//! GetProducts' filters: a field (an attribute, `sku` or `productFamily`), a value, and how
//! they must match. A product is returned only if every filter matches it.

use super::products::Product;
use crate::error::AwsError;

/// The most filters one call takes (the API model's limit).
pub const MAX_FILTERS: usize = 50;
/// The longest field and value the API model allows.
const MAX_LENGTH: usize = 1024;

/// How a filter compares, as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The field holds the value. AWS sets it beside the exact `EQUALS` as the looser match;
    /// here it ignores ASCII case, so `Value=linux` finds `Linux`.
    TermMatch,
    /// The field holds exactly the value.
    Equals,
    /// The field's value contains the value.
    Contains,
    /// The field holds one of the comma-separated values.
    AnyOf,
    /// The field holds none of the comma-separated values (or is absent).
    NoneOf,
}

impl Kind {
    fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "TERM_MATCH" => Kind::TermMatch,
            "EQUALS" => Kind::Equals,
            "CONTAINS" => Kind::Contains,
            "ANY_OF" => Kind::AnyOf,
            "NONE_OF" => Kind::NoneOf,
            _ => return None,
        })
    }
}

/// One filter, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub kind: Kind,
    pub field: String,
    pub value: String,
}

impl Filter {
    /// A filter from what the request gave, or the reason it is refused.
    pub fn new(
        kind: Option<&str>,
        field: Option<&str>,
        value: Option<&str>,
    ) -> Result<Filter, AwsError> {
        let kind = kind.ok_or_else(|| invalid("Filter type cannot be null or empty"))?;
        let kind = Kind::parse(kind).ok_or_else(|| {
            invalid(&format!(
                "Invalid filter type {kind}: must be one of TERM_MATCH, EQUALS, CONTAINS, ANY_OF, NONE_OF"
            ))
        })?;
        let field = field
            .filter(|field| !field.is_empty())
            .ok_or_else(|| invalid("Filter field cannot be null or empty"))?;
        let value = value
            .filter(|value| !value.is_empty())
            .ok_or_else(|| invalid("Filter value cannot be null or empty"))?;
        if field.len() > MAX_LENGTH || value.len() > MAX_LENGTH {
            return Err(invalid(&format!(
                "Filter fields and values are at most {MAX_LENGTH} characters long"
            )));
        }
        Ok(Filter {
            kind,
            field: field.to_string(),
            value: value.to_string(),
        })
    }

    pub fn matches(&self, product: &Product) -> bool {
        let Some(actual) = product.field(&self.field) else {
            return self.kind == Kind::NoneOf;
        };
        let mut listed = self.value.split(',').map(str::trim);
        match self.kind {
            Kind::TermMatch => actual.eq_ignore_ascii_case(&self.value),
            Kind::Equals => actual == self.value,
            Kind::Contains => actual.contains(self.value.as_str()),
            Kind::AnyOf => listed.any(|value| value == actual),
            Kind::NoneOf => !listed.any(|value| value == actual),
        }
    }
}

/// The API's refusal of a parameter, worded as AWS words it.
pub fn invalid(reason: &str) -> AwsError {
    AwsError::client(
        "InvalidParameterException",
        format!("Input Parameters are invalid. {reason}"),
    )
}

#[cfg(test)]
mod tests {
    use super::super::products;
    use super::*;

    fn t2_micro_seoul() -> &'static Product {
        products::all()
            .iter()
            .find(|p| {
                p.field("instanceType") == Some("t2.micro")
                    && p.field("regionCode") == Some("ap-northeast-2")
                    && p.field("operatingSystem") == Some("Linux")
            })
            .expect("product")
    }

    fn filter(kind: &str, field: &str, value: &str) -> Filter {
        Filter::new(Some(kind), Some(field), Some(value)).expect("filter")
    }

    #[test]
    fn each_kind_matches_as_documented() {
        let product = t2_micro_seoul();
        assert!(filter("TERM_MATCH", "instanceType", "t2.micro").matches(product));
        assert!(filter("TERM_MATCH", "operatingSystem", "linux").matches(product));
        assert!(filter("TERM_MATCH", "ServiceCode", "AmazonEC2").matches(product));
        assert!(!filter("TERM_MATCH", "instanceType", "t2").matches(product));
        assert!(filter("EQUALS", "operatingSystem", "Linux").matches(product));
        assert!(!filter("EQUALS", "operatingSystem", "linux").matches(product));
        assert!(filter("CONTAINS", "instanceType", "t2.").matches(product));
        assert!(filter("ANY_OF", "instanceType", "t3.micro, t2.micro").matches(product));
        assert!(!filter("ANY_OF", "instanceType", "t3.micro,t3.small").matches(product));
        assert!(filter("NONE_OF", "operatingSystem", "Windows,RHEL").matches(product));
        assert!(!filter("NONE_OF", "operatingSystem", "Linux").matches(product));
        assert!(filter("NONE_OF", "noSuchField", "x").matches(product));
        assert!(!filter("TERM_MATCH", "noSuchField", "x").matches(product));
        assert!(filter("TERM_MATCH", "productFamily", "Compute Instance").matches(product));
        assert!(filter("EQUALS", "sku", &product.sku).matches(product));
    }

    #[test]
    fn malformed_filters_are_refused() {
        for (kind, field, value) in [
            (Some("FUZZY"), Some("instanceType"), Some("t2.micro")),
            (None, Some("instanceType"), Some("t2.micro")),
            (Some("TERM_MATCH"), None, Some("t2.micro")),
            (Some("TERM_MATCH"), Some(""), Some("t2.micro")),
            (Some("TERM_MATCH"), Some("instanceType"), None),
        ] {
            let error = Filter::new(kind, field, value).expect_err("refused");
            assert_eq!(error.code, "InvalidParameterException");
        }
        let long = "x".repeat(MAX_LENGTH + 1);
        assert!(Filter::new(Some("EQUALS"), Some("sku"), Some(&long)).is_err());
    }
}
