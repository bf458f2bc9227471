//! Tags on everything the shell creates: `cloudlings:session` and `cloudlings:lesson`, so that
//! `cleanup` finds a session's resources from the account itself, even with the journal lost.
//!
//! Where a create call takes tags, they are merged into the learner's own (`--tag-specifications`
//! of the same resource type is one entry, as EC2 requires). Buckets and distributions are
//! tagged just after they are made, by the calls AWS has for it.

use aws_config::SdkConfig;
use serde_json::{Value, json};

use crate::aws_cli::{Args, Failure, Params};
use crate::workstation::Workstation;
use cloudlings_core::operation::{Operation, Resource};

/// The key naming the session that made a resource.
pub const SESSION_KEY: &str = "cloudlings:session";
/// The key naming the lesson a resource was made in.
pub const LESSON_KEY: &str = "cloudlings:lesson";

/// The tags of a session, at a lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tags(pub Vec<(String, String)>);

impl Tags {
    pub fn new(session: &str, lesson: Option<&str>) -> Tags {
        let mut tags = vec![(SESSION_KEY.to_string(), session.to_string())];
        if let Some(lesson) = lesson {
            tags.push((LESSON_KEY.to_string(), lesson.to_string()));
        }
        Tags(tags)
    }

    fn as_json(&self) -> Vec<Value> {
        self.0
            .iter()
            .map(|(key, value)| json!({"Key": key, "Value": value}))
            .collect()
    }
}

/// Adds the tags to the create call `args` names, where the call itself takes tags.
pub fn apply(args: &mut Args, files: &Workstation, tags: &Tags) -> Result<(), Failure> {
    let Some(resource) = args.op().and_then(Operation::creates) else {
        return Ok(());
    };
    match resource {
        Resource::Instance => specify(args, files, &["instance", "volume"], tags),
        Resource::SecurityGroup => specify(args, files, &["security-group"], tags),
        Resource::KeyPair => specify(args, files, &["key-pair"], tags),
        Resource::User | Resource::MfaDevice => {
            let mut list = Params { args, files }
                .structures("tags")?
                .unwrap_or_default();
            list.retain(|tag| !is_ours(tag));
            list.extend(tags.as_json());
            set(args, "tags", Value::Array(list));
            Ok(())
        }
        // Tagged once they exist (`record`), or not taggable at all (origin access controls);
        // volumes are tagged with their instance.
        Resource::Bucket
        | Resource::Distribution
        | Resource::OriginAccessControl
        | Resource::Volume => Ok(()),
    }
}

/// Merges the tags into `--tag-specifications` for each resource type.
fn specify(
    args: &mut Args,
    files: &Workstation,
    types: &[&str],
    tags: &Tags,
) -> Result<(), Failure> {
    let mut specs = Params { args, files }
        .structures("tag-specifications")?
        .unwrap_or_default();
    for resource_type in types {
        let index = match specs
            .iter()
            .position(|spec| spec["ResourceType"] == *resource_type)
        {
            Some(index) => index,
            None => {
                specs.push(json!({"ResourceType": resource_type, "Tags": []}));
                specs.len() - 1
            }
        };
        let spec = &mut specs[index];
        let mut list = match spec.get("Tags") {
            Some(Value::Array(list)) => list.clone(),
            _ => Vec::new(),
        };
        list.retain(|tag| !is_ours(tag));
        list.extend(tags.as_json());
        spec["Tags"] = Value::Array(list);
    }
    set(args, "tag-specifications", Value::Array(specs));
    Ok(())
}

/// A learner's tag with one of cloudlings' keys is replaced, so the session's is the one kept.
fn is_ours(tag: &Value) -> bool {
    tag["Key"]
        .as_str()
        .is_some_and(|key| key == SESSION_KEY || key == LESSON_KEY)
}

/// Replaces a parameter with one JSON value, which the parameter readers accept as the CLI does.
fn set(args: &mut Args, name: &str, value: Value) {
    args.params.retain(|(param, _)| param != name);
    args.params
        .push((name.to_string(), vec![value.to_string()]));
}

/// Tags a bucket just made.
pub async fn tag_bucket(config: &SdkConfig, bucket: &str, tags: &Tags) -> Result<(), String> {
    let s3 = aws_sdk_s3::Client::new(config);
    let mut tagging = aws_sdk_s3::types::Tagging::builder();
    for (key, value) in &tags.0 {
        let tag = aws_sdk_s3::types::Tag::builder()
            .key(key)
            .value(value)
            .build()
            .map_err(|error| error.to_string())?;
        tagging = tagging.tag_set(tag);
    }
    let tagging = tagging.build().map_err(|error| error.to_string())?;
    s3.put_bucket_tagging()
        .bucket(bucket)
        .tagging(tagging)
        .send()
        .await
        .map(|_| ())
        .map_err(|error| aws_smithy_types::error::display::DisplayErrorContext(error).to_string())
}

/// Tags a distribution just made, by its ARN.
pub async fn tag_distribution(config: &SdkConfig, arn: &str, tags: &Tags) -> Result<(), String> {
    let cloudfront = aws_sdk_cloudfront::Client::new(config);
    let mut items = aws_sdk_cloudfront::types::Tags::builder();
    for (key, value) in &tags.0 {
        let tag = aws_sdk_cloudfront::types::Tag::builder()
            .key(key)
            .value(value)
            .build()
            .map_err(|error| error.to_string())?;
        items = items.items(tag);
    }
    cloudfront
        .tag_resource()
        .resource(arn)
        .tags(items.build())
        .send()
        .await
        .map(|_| ())
        .map_err(|error| aws_smithy_types::error::display::DisplayErrorContext(error).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Args {
        let words = crate::words::split(line).expect("words");
        Args::parse(&words).expect("args")
    }

    fn specs(args: &Args) -> Value {
        let files = Workstation::host(std::env::temp_dir());
        Value::Array(
            Params {
                args,
                files: &files,
            }
            .structures("tag-specifications")
            .expect("parse")
            .expect("set"),
        )
    }

    #[test]
    fn the_learner_s_tags_are_kept_and_one_spec_per_type_sent() {
        let mut launch = args(
            "ec2 run-instances --image-id ami-1 --tag-specifications \
             \"ResourceType=instance,Tags=[{Key=Name,Value=my-first-server}]\"",
        );
        apply(
            &mut launch,
            &Workstation::host(std::env::temp_dir()),
            &Tags::new("s-1", Some("ec2-and-cost")),
        )
        .expect("tagged");
        let specs = specs(&launch);
        assert_eq!(
            specs,
            json!([
                {"ResourceType": "instance", "Tags": [
                    {"Key": "Name", "Value": "my-first-server"},
                    {"Key": "cloudlings:session", "Value": "s-1"},
                    {"Key": "cloudlings:lesson", "Value": "ec2-and-cost"},
                ]},
                {"ResourceType": "volume", "Tags": [
                    {"Key": "cloudlings:session", "Value": "s-1"},
                    {"Key": "cloudlings:lesson", "Value": "ec2-and-cost"},
                ]},
            ])
        );
    }

    #[test]
    fn a_forged_session_tag_is_replaced_and_reads_are_untouched() {
        let mut group = args(
            "ec2 create-security-group --group-name web --description d --tag-specifications \
             ResourceType=security-group,Tags=[{Key=cloudlings:session,Value=other}]",
        );
        apply(
            &mut group,
            &Workstation::host(std::env::temp_dir()),
            &Tags::new("mine", None),
        )
        .expect("tagged");
        assert_eq!(
            specs(&group),
            json!([{"ResourceType": "security-group", "Tags": [
                {"Key": "cloudlings:session", "Value": "mine"}]}])
        );
        let mut read = args("ec2 describe-instances");
        let before = read.clone();
        apply(
            &mut read,
            &Workstation::host(std::env::temp_dir()),
            &Tags::new("mine", None),
        )
        .expect("nothing");
        assert_eq!(read, before);
    }

    #[test]
    fn users_get_tags_too() {
        let mut user = args("iam create-user --user-name admin --tags Key=team,Value=a");
        let files = Workstation::host(std::env::temp_dir());
        apply(&mut user, &files, &Tags::new("s", None)).expect("tagged");
        let tags = Params {
            args: &user,
            files: &files,
        }
        .structures("tags")
        .expect("parse")
        .expect("set");
        assert_eq!(
            Value::Array(tags),
            json!([{"Key": "team", "Value": "a"}, {"Key": "cloudlings:session", "Value": "s"}])
        );
    }
}
