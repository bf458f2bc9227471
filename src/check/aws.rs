//! AWS probes: a read-only call of the aws CLI subset ([`crate::aws_cli`]), written in a lesson
//! as a learner types it after `aws` — `probe.aws = "s3api get-bucket-policy --bucket {bucket}"`
//! — and answered with the JSON `aws … --output json` prints, so a check queries what the
//! learner sees.
//!
//! A service's refusal is an answer too (`{"Error": {"Code": "NoSuchBucketPolicy", …}}`): a
//! bucket without a policy fails "the policy lets CloudFront read" instead of making the
//! check unavailable. Only an unreachable endpoint or credentials it no longer takes make a
//! probe unable to look.

use aws_config::SdkConfig;
use serde_json::{Value, json};

use crate::aws_cli::{self, Args, Failure};

/// A call a check makes, as written; `{name}`s are filled in when it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsProbe {
    words: Vec<String>,
}

/// Error codes that mean the target would not hear the caller, not that the thing is absent.
const CREDENTIAL_ERRORS: &[&str] = &[
    "InvalidClientTokenId",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
    "UnrecognizedClientException",
    "AuthFailure",
    "IncompleteSignature",
];

impl AwsProbe {
    /// Reads a probe, refusing anything but a known call that only looks.
    pub fn parse(text: &str) -> Result<AwsProbe, String> {
        let words = crate::words::split(text.trim().trim_start_matches("aws "))
            .map_err(|_| "an unterminated quote".to_string())?;
        let args = Args::parse(&words).map_err(|usage| usage.0)?;
        if args.query.is_some() || args.redirect.is_some() || args.output != Default::default() {
            return Err(
                "the check's `query` selects from the answer; the call takes no \
                        `--query`, `--output` or `>`"
                    .into(),
            );
        }
        match aws_cli::validate(&args) {
            Ok(op) if op.reads() && op.name() != "wait" && op.service() != "s3" => {
                Ok(AwsProbe { words })
            }
            Ok(op) => Err(format!(
                "`{}` is not a call that only looks; checks can make: {}",
                op.command(),
                names().join(", ")
            )),
            Err(Failure::Unsupported(_)) => Err(format!(
                "not a call checks can make; they can make: {}",
                names().join(", ")
            )),
            Err(failure) => Err(failure.to_string()),
        }
    }

    /// The call as written: `ec2 describe-instances`.
    pub fn command(&self) -> String {
        self.words.join(" ")
    }

    /// Makes the call with `bindings` filled in. `Err` when the target could not answer.
    pub async fn call(
        &self,
        config: &SdkConfig,
        bindings: &super::Bindings,
    ) -> Result<Value, String> {
        let words: Vec<String> = self
            .words
            .iter()
            .map(|word| super::fill(word, bindings))
            .collect();
        let args = Args::parse(&words).map_err(|usage| usage.0)?;
        // `--region` looks where the learner may have left something, as the shell's would.
        let regional;
        let config = match &args.region {
            Some(region) => {
                regional = config
                    .clone()
                    .into_builder()
                    .region(aws_config::Region::new(region.clone()))
                    .build();
                &regional
            }
            None => config,
        };
        // Lesson files carry no `file://` values a learner could swap; nothing is read.
        // A probe's calls are reads: they name no file to read or write.
        let nowhere = crate::workstation::Workstation::host("/nonexistent");
        match aws_cli::call(&args, config, &nowhere).await {
            Ok(value) => Ok(value),
            Err(Failure::Service { code, message, .. })
                if !CREDENTIAL_ERRORS.contains(&code.as_str()) =>
            {
                Ok(json!({ "Error": { "Code": code, "Message": message } }))
            }
            Err(failure) => Err(format!("{}: {failure}", self.command())),
        }
    }
}

/// Every call checks can make.
pub fn names() -> Vec<String> {
    aws_cli::operations()
        .filter(|op| op.reads() && op.name() != "wait" && op.service() != "s3")
        .map(|op| op.command())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_written_as_the_cli_takes_them() {
        let probe = AwsProbe::parse("ec2   describe-instances").expect("probe");
        assert_eq!(probe.command(), "ec2 describe-instances");
        let probe = AwsProbe::parse("aws s3api get-bucket-policy --bucket {bucket}")
            .expect("probe with a binding");
        assert_eq!(probe.command(), "s3api get-bucket-policy --bucket {bucket}");
        for name in names() {
            let needs: Vec<String> = aws_cli::operations()
                .find(|op| op.command() == name)
                .map(|op| op.required.iter().map(|r| format!("--{r} x")).collect())
                .unwrap_or_default();
            let line = format!("{name} {}", needs.join(" "));
            assert!(AwsProbe::parse(&line).is_ok(), "{line}");
        }
    }

    #[test]
    fn only_calls_that_look_and_whole_ones() {
        let refused = |line: &str| AwsProbe::parse(line).expect_err(line);
        assert!(refused("ec2 describe-instance").contains("not a call checks can make"));
        assert!(refused("ec2 terminate-instances --instance-ids i-1").contains("only looks"));
        assert!(refused("ec2 wait instance-running").contains("only looks"));
        assert!(refused("s3api get-bucket-policy").contains("--bucket"));
        assert!(refused("ec2 describe-instances --query Reservations").contains("`query`"));
        assert!(refused("ec2 describe-instances --nope").contains("Unknown options"));
        assert!(refused("ec2 describe-instances --filters 'Name=x").contains("quote"));
    }
}
