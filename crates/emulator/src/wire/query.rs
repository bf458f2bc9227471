//! The Query protocol's request side, shared by EC2 (`ec2`) and IAM/STS (`awsQuery`): a
//! form-encoded body of `Name=value` pairs where structure is spelled out in the names
//! (`Filter.1.Name`, `Filter.1.Value.2`, `TagSpecification.1.Tag.1.Key`).
//!
//! [`Params`] reads such a body once into a tree keyed by name segments, so handlers ask for
//! `params.list("InstanceId")` or `params.structs("Filter")` instead of parsing names.

use std::collections::BTreeMap;

use super::super::error::AwsError;

/// Requests are small; anything larger is refused before it is parsed.
pub const MAX_BODY: usize = 1024 * 1024;
/// Lists of more members than AWS accepts anywhere are refused rather than parsed.
const MAX_INDEX: usize = 10_000;

/// One level of the parameter tree: a value, members by name, or both (rare, tolerated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    value: Option<String>,
    members: BTreeMap<String, Params>,
}

impl Params {
    /// Parses a form-encoded body. Invalid percent-encoding is replaced, as AWS does, rather
    /// than refused; names that cannot be indexed are an AWS-shaped error.
    pub fn parse(body: &[u8]) -> Result<Params, AwsError> {
        if body.len() > MAX_BODY {
            return Err(AwsError::invalid_parameter(
                "The request body is too large.",
            ));
        }
        let mut root = Params::default();
        for (name, value) in form_urlencoded::parse(body) {
            if name.is_empty() {
                continue;
            }
            let mut node = &mut root;
            for segment in name.split('.') {
                if segment.is_empty() {
                    return Err(AwsError::invalid_parameter(format!(
                        "Invalid parameter name: {name}"
                    )));
                }
                if let Ok(index) = segment.parse::<usize>()
                    && index > MAX_INDEX
                {
                    return Err(AwsError::invalid_parameter(format!(
                        "The list index in {name} is too large."
                    )));
                }
                node = node.members.entry(segment.to_string()).or_default();
            }
            node.value = Some(value.into_owned());
        }
        Ok(root)
    }

    /// Builds parameters from pairs, for tests and for the shell's own requests.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Params {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        Params::parse(body.as_bytes()).unwrap_or_default()
    }

    /// The value of a member, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.members.get(name)?.value.as_deref()
    }

    /// A member's value, or a `MissingParameter` error naming it.
    pub fn required(&self, name: &str) -> Result<&str, AwsError> {
        self.get(name)
            .ok_or_else(|| AwsError::missing_parameter(name))
    }

    /// A sub-structure (`Placement` of `Placement.AvailabilityZone`).
    pub fn member(&self, name: &str) -> Option<&Params> {
        self.members.get(name)
    }

    /// The numbered members of a list, in index order: `InstanceId.1`, `InstanceId.2`, ….
    pub fn items(&self, name: &str) -> Vec<&Params> {
        let Some(list) = self.members.get(name) else {
            return Vec::new();
        };
        let mut numbered: Vec<(usize, &Params)> = list
            .members
            .iter()
            .filter_map(|(key, node)| Some((key.parse().ok()?, node)))
            .collect();
        numbered.sort_by_key(|(index, _)| *index);
        numbered.into_iter().map(|(_, node)| node).collect()
    }

    /// A list of plain values.
    pub fn list(&self, name: &str) -> Vec<&str> {
        self.items(name)
            .into_iter()
            .filter_map(|node| node.value.as_deref())
            .collect()
    }

    /// A list of structures.
    pub fn structs(&self, name: &str) -> Vec<&Params> {
        self.items(name)
    }

    /// The value of this node itself.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// A boolean member (`true`/`false`), absent meaning `None`.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, AwsError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) if value.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(value) if value.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(value) => Err(AwsError::invalid_parameter_value(format!(
                "Invalid value '{value}' for {name}: expected true or false"
            ))),
        }
    }

    /// An integer member, absent meaning `None`.
    pub fn int(&self, name: &str) -> Result<Option<i64>, AwsError> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => value.trim().parse().map(Some).map_err(|_| {
                AwsError::invalid_parameter_value(format!(
                    "Invalid value '{value}' for {name}: expected an integer"
                ))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_lists_and_structures() {
        let params = Params::parse(
            b"Action=DescribeInstances&Filter.2.Name=tag%3AName&Filter.2.Value.1=web&Filter.1.Name=instance-state-name&Filter.1.Value.2=stopped&Filter.1.Value.1=running&InstanceId.10=i-10&InstanceId.2=i-2",
        )
        .expect("parse");
        assert_eq!(params.get("Action"), Some("DescribeInstances"));
        assert_eq!(params.list("InstanceId"), ["i-2", "i-10"]);
        let filters = params.structs("Filter");
        assert_eq!(filters.len(), 2);
        assert_eq!(filters[0].get("Name"), Some("instance-state-name"));
        assert_eq!(filters[0].list("Value"), ["running", "stopped"]);
        assert_eq!(filters[1].get("Name"), Some("tag:Name"));
        assert!(params.list("Missing").is_empty());
    }

    #[test]
    fn hostile_names_are_refused_not_parsed() {
        assert!(
            Params::parse(b"InstanceId.99999999999999999999999=x")
                .is_ok_and(|p| p.list("InstanceId").is_empty())
        );
        assert!(Params::parse(b"InstanceId.20000=x").is_err());
        assert!(Params::parse(b"a..b=x").is_err());
        assert!(Params::parse(&vec![b'a'; MAX_BODY + 1]).is_err());
        let odd = Params::parse(b"%ZZ=%FF&=x&Action").expect("tolerated");
        assert_eq!(odd.get("Action"), Some(""));
    }

    #[test]
    fn typed_values() {
        let params = Params::from_pairs([("DryRun", "true"), ("MaxResults", "5"), ("Bad", "yes")]);
        assert_eq!(params.bool("DryRun").expect("bool"), Some(true));
        assert_eq!(params.int("MaxResults").expect("int"), Some(5));
        assert!(params.bool("Bad").is_err());
        assert!(params.int("Bad").is_err());
        assert_eq!(params.bool("Nope").expect("absent"), None);
    }
}
