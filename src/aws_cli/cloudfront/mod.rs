//! CloudFront's calls: Origin Access Controls, distributions and invalidations, with the two
//! shortcuts the aws CLI adds of its own (`create-distribution --origin-domain-name`,
//! `create-invalidation --paths`).
//!
//! The CLI takes a structure as JSON (or shorthand), checks it against botocore's model and
//! only then sends it; [`model`] holds that model for the structures taken here, so a typo in
//! a config file gets botocore's words, and [`build`] turns the checked JSON into the SDK's
//! types.

mod build;
mod model;

use std::time::{SystemTime, UNIX_EPOCH};

use aws_config::SdkConfig;
use aws_sdk_cloudfront::Client;
use serde_json::{Value, json};

use super::args;
use super::failure::{Failure, sdk_failure, send};
use super::params::Params;
use super::{Command, empty};
use crate::cli_json;
use cloudlings_core::operation::Operation;

pub const OPERATIONS: &[Command] = &[
    Command::new(
        Operation::CreateOriginAccessControl,
        &["origin-access-control-config"],
    )
    .requires(&["origin-access-control-config"]),
    Command::new(Operation::GetOriginAccessControl, &["id"]).requires(&["id"]),
    Command::new(Operation::ListOriginAccessControls, &[]),
    Command::new(Operation::DeleteOriginAccessControl, &["id", "if-match"]).requires(&["id"]),
    // The CLI makes `--distribution-config` optional here, for its shortcut.
    Command::new(
        Operation::CreateDistribution,
        &[
            "distribution-config",
            "origin-domain-name",
            "default-root-object",
        ],
    ),
    Command::new(Operation::GetDistribution, &["id"]).requires(&["id"]),
    Command::new(Operation::GetDistributionConfig, &["id"]).requires(&["id"]),
    Command::new(Operation::ListDistributions, &[]),
    Command::new(
        Operation::UpdateDistribution,
        &[
            "id",
            "if-match",
            "distribution-config",
            "default-root-object",
        ],
    )
    .requires(&["id"]),
    Command::new(Operation::DeleteDistribution, &["id", "if-match"]).requires(&["id"]),
    Command::new(
        Operation::CreateInvalidation,
        &["distribution-id", "invalidation-batch", "paths"],
    )
    .requires(&["distribution-id"]),
    Command::new(Operation::GetInvalidation, &["distribution-id", "id"])
        .requires(&["distribution-id", "id"]),
    Command::new(Operation::ListInvalidations, &["distribution-id"]).requires(&["distribution-id"]),
    Command::new(Operation::CloudFrontWait, &["id", "distribution-id"]),
];

/// Every page of a list call (`$list` names the page's list), its items joined as the CLI's
/// paginator joins them: there once any page had some.
macro_rules! all_items {
    ($op:expr, $request:expr, $list:ident) => {{
        let mut pages = $request.into_paginator().send();
        let mut items = None;
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| sdk_failure($op, error))?;
            if let Some(found) = page.$list().and_then(|list| list.items.clone()) {
                items.get_or_insert_with(Vec::new).extend(found);
            }
        }
        items
    }};
}

pub async fn call(
    p: &Params<'_>,
    operation: Operation,
    config: &SdkConfig,
) -> Result<Value, Failure> {
    let op = operation.cli_name();
    let cloudfront = Client::new(config);
    match operation {
        Operation::CreateOriginAccessControl => {
            let config = structure(
                p,
                "origin-access-control-config",
                "OriginAccessControlConfig",
                &model::ORIGIN_ACCESS_CONTROL_CONFIG,
            )?;
            let request = cloudfront
                .create_origin_access_control()
                .origin_access_control_config(build::origin_access_control_config(&config)?);
            Ok(cli_json::cloudfront::create_origin_access_control(
                &send(op, request.send()).await?,
            ))
        }
        Operation::GetOriginAccessControl => {
            let request = cloudfront.get_origin_access_control().set_id(p.one("id")?);
            Ok(cli_json::cloudfront::get_origin_access_control(
                &send(op, request.send()).await?,
            ))
        }
        Operation::ListOriginAccessControls => {
            let request = cloudfront.list_origin_access_controls();
            let items = all_items!(op, request, origin_access_control_list);
            Ok(cli_json::cloudfront::list_origin_access_controls(
                items.as_deref(),
            ))
        }
        Operation::DeleteOriginAccessControl => {
            let request = cloudfront
                .delete_origin_access_control()
                .set_id(p.one("id")?)
                .set_if_match(p.one("if-match")?);
            send(op, request.send()).await?;
            Ok(empty())
        }
        Operation::CreateDistribution => {
            let config = distribution_config_to_create(p)?;
            let request = cloudfront
                .create_distribution()
                .distribution_config(build::distribution_config(&config)?);
            Ok(cli_json::cloudfront::create_distribution(
                &send(op, request.send()).await?,
            ))
        }
        Operation::GetDistribution => {
            let request = cloudfront.get_distribution().set_id(p.one("id")?);
            Ok(cli_json::cloudfront::get_distribution(
                &send(op, request.send()).await?,
            ))
        }
        Operation::GetDistributionConfig => {
            let request = cloudfront.get_distribution_config().set_id(p.one("id")?);
            Ok(cli_json::cloudfront::get_distribution_config(
                &send(op, request.send()).await?,
            ))
        }
        Operation::ListDistributions => {
            let items = all_items!(op, cloudfront.list_distributions(), distribution_list);
            Ok(cli_json::cloudfront::list_distributions(items.as_deref()))
        }
        Operation::UpdateDistribution => update_distribution(p, op, &cloudfront).await,
        Operation::DeleteDistribution => {
            let request = cloudfront
                .delete_distribution()
                .set_id(p.one("id")?)
                .set_if_match(p.one("if-match")?);
            send(op, request.send()).await?;
            Ok(empty())
        }
        Operation::CreateInvalidation => {
            let batch = invalidation_batch(p)?;
            let request = cloudfront
                .create_invalidation()
                .set_distribution_id(p.one("distribution-id")?)
                .invalidation_batch(build::invalidation_batch(&batch)?);
            Ok(cli_json::cloudfront::create_invalidation(
                &send(op, request.send()).await?,
            ))
        }
        Operation::GetInvalidation => {
            let request = cloudfront
                .get_invalidation()
                .set_distribution_id(p.one("distribution-id")?)
                .set_id(p.one("id")?);
            Ok(cli_json::cloudfront::get_invalidation(
                &send(op, request.send()).await?,
            ))
        }
        Operation::ListInvalidations => {
            let request = cloudfront
                .list_invalidations()
                .set_distribution_id(p.one("distribution-id")?);
            let items = all_items!(op, request, invalidation_list);
            Ok(cli_json::cloudfront::list_invalidations(items.as_deref()))
        }
        other => Err(Failure::Unsupported(format!("cloudfront {other}"))),
    }
}

/// `update-distribution`: the given config, or with `--default-root-object` the current one
/// with that changed, fetched with its ETag as the CLI does.
async fn update_distribution(
    p: &Params<'_>,
    op: &str,
    cloudfront: &Client,
) -> Result<Value, Failure> {
    let id = p.one("id")?;
    let mut if_match = p.one("if-match")?;
    let config = match p.one("default-root-object")? {
        Some(root) => {
            exclusive(p, "default-root-object", "distribution-config")?;
            let current = cloudfront.get_distribution_config().set_id(id.clone());
            let current = send(Operation::GetDistributionConfig.cli_name(), current.send()).await?;
            if_match = current.e_tag().map(str::to_string);
            let mut config = current.distribution_config.ok_or_else(|| {
                Failure::Client("GetDistributionConfig returned no DistributionConfig".into())
            })?;
            config.default_root_object = Some(root);
            config
        }
        None => {
            let config = structure(
                p,
                "distribution-config",
                "DistributionConfig",
                &model::DISTRIBUTION_CONFIG,
            )?;
            build::distribution_config(&config)?
        }
    };
    let request = cloudfront
        .update_distribution()
        .set_id(id)
        .set_if_match(if_match)
        .distribution_config(config);
    Ok(cli_json::cloudfront::update_distribution(
        &send(op, request.send()).await?,
    ))
}

/// The `DistributionConfig` of `create-distribution`: `--distribution-config`, or what the
/// CLI makes of `--origin-domain-name` and `--default-root-object`
/// (`awscli/customizations/cloudfront.py`).
fn distribution_config_to_create(p: &Params<'_>) -> Result<Value, Failure> {
    let domain = p.one("origin-domain-name")?;
    let root = p.one("default-root-object")?;
    if domain.is_none() && root.is_none() {
        return structure(
            p,
            "distribution-config",
            "DistributionConfig",
            &model::DISTRIBUTION_CONFIG,
        );
    }
    let shortcut = if domain.is_some() {
        "origin-domain-name"
    } else {
        "default-root-object"
    };
    exclusive(p, shortcut, "distribution-config")?;
    let mut config = json!({
        "CallerReference": unique_string("cli"),
        "Origins": {"Quantity": 0, "Items": []},
        "DefaultCacheBehavior": {
            "TargetOriginId": "placeholder",
            "ForwardedValues": {"QueryString": false, "Cookies": {"Forward": "none"}},
            "TrustedSigners": {"Enabled": false, "Quantity": 0},
            "ViewerProtocolPolicy": "allow-all",
            "MinTTL": 0
        },
        "Enabled": true,
        "Comment": ""
    });
    if let Some(domain) = domain {
        let id = unique_string(&domain);
        let mut origin = json!({"Id": id, "DomainName": domain, "OriginPath": ""});
        // Only `bucket.s3.amazonaws.com` is taken for S3; the CLI treats regional bucket
        // names as custom origins.
        if domain.ends_with(".s3.amazonaws.com") {
            origin["S3OriginConfig"] = json!({"OriginAccessIdentity": ""});
        } else {
            origin["CustomOriginConfig"] =
                json!({"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"});
        }
        config["Origins"] = json!({"Quantity": 1, "Items": [origin]});
        config["DefaultCacheBehavior"]["TargetOriginId"] = Value::from(id);
    }
    if let Some(root) = root {
        config["DefaultRootObject"] = Value::from(root);
    }
    model::check(&config, &model::DISTRIBUTION_CONFIG, "DistributionConfig")?;
    Ok(config)
}

/// The `InvalidationBatch` of `create-invalidation`: `--invalidation-batch`, or the CLI's
/// batch for `--paths` with a CallerReference of its making.
fn invalidation_batch(p: &Params<'_>) -> Result<Value, Failure> {
    let Some(paths) = p.at_least_one("paths")? else {
        return structure(
            p,
            "invalidation-batch",
            "InvalidationBatch",
            &model::INVALIDATION_BATCH,
        );
    };
    exclusive(p, "paths", "invalidation-batch")?;
    Ok(json!({
        "CallerReference": unique_string("cli"),
        "Paths": {"Quantity": paths.len(), "Items": paths},
    }))
}

/// The CLI's refusal of a shortcut given with the parameter it stands for. It names the
/// keys as Python does, in the order of its argument table, where the full parameter comes
/// first.
fn exclusive(p: &Params<'_>, shortcut: &str, full: &str) -> Result<(), Failure> {
    if p.args.param(full).is_none() {
        return Ok(());
    }
    Err(Failure::Client(format!(
        "The key \"{}\" cannot be specified when one of the following keys are also \
         specified: {}",
        shortcut.replace('-', "_"),
        full.replace('-', "_")
    )))
}

/// A structure parameter as the CLI reads it: JSON, or shorthand with its scalars turned
/// into the model's numbers and flags, then checked against the model.
fn structure(
    p: &Params<'_>,
    param: &str,
    member: &str,
    shape: &model::Shape,
) -> Result<Value, Failure> {
    let Some(text) = p.one(param)? else {
        return Err(Failure::Client(format!(
            "Parameter validation failed:\nMissing required parameter in input: \"{member}\""
        )));
    };
    let trimmed = text.trim();
    let value = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        serde_json::from_str(trimmed).map_err(|error| {
            Failure::Client(format!(
                "Error parsing parameter '--{param}': Invalid JSON: {error}\nJSON received: {text}"
            ))
        })?
    } else {
        let parsed = match args::value(&text) {
            Ok(Value::String(_)) => Err(format!(
                "Expected: '=', received: 'EOF' for input:\n{text}\n{}^",
                " ".repeat(text.chars().count())
            )),
            other => other,
        };
        let parsed = parsed.map_err(|error| {
            Failure::Client(format!("Error parsing parameter '--{param}': {error}"))
        })?;
        model::from_shorthand(parsed, shape)?
    };
    model::check(&value, shape, member)?;
    Ok(value)
}

/// `cli-1795725102-969304`: the CLI's unique string (seconds, then a random number).
fn unique_string(prefix: &str) -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| since.as_secs())
        .unwrap_or_default();
    let random: u32 = rand::random_range(1..=1_000_000);
    format!("{prefix}-{seconds}-{random}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws_cli::Args;

    fn args(line: &str) -> Args {
        Args::parse(&line.split(' ').map(String::from).collect::<Vec<_>>()).expect("parse")
    }

    fn failure(result: Result<impl std::fmt::Debug, Failure>) -> String {
        match result {
            Err(Failure::Client(reason)) => reason,
            other => panic!("not a client failure: {other:?}"),
        }
    }

    #[test]
    fn a_config_is_checked_in_botocores_words_and_order() {
        let config = json!({
            "CallerReference": "x",
            "Comment": {"a": 1},
            "Origins": {"Quantity": 1, "Items": []},
            "DefaultCacheBehavior": {"TargetOriginId": "a", "ViewerProtocolPolicy": "allow-all",
                                     "Foo": 1},
            "Aliases": {"Quantity": 1, "Items": ["a", 2]}
        });
        let reason = failure(model::check(
            &config,
            &model::DISTRIBUTION_CONFIG,
            "DistributionConfig",
        ));
        assert_eq!(
            reason.lines().collect::<Vec<_>>(),
            [
                "Parameter validation failed:",
                "Missing required parameter in DistributionConfig: \"Enabled\"",
                "Invalid type for parameter DistributionConfig.Comment, value: \
                 OrderedDict([('a', 1)]), type: <class 'collections.OrderedDict'>, valid types: \
                 <class 'str'>",
                "Invalid length for parameter DistributionConfig.Origins.Items, value: 0, valid \
                 min length: 1",
                "Unknown parameter in DistributionConfig.DefaultCacheBehavior: \"Foo\", must be \
                 one of: TargetOriginId, TrustedSigners, TrustedKeyGroups, ViewerProtocolPolicy, \
                 AllowedMethods, SmoothStreaming, Compress, LambdaFunctionAssociations, \
                 FunctionAssociations, FieldLevelEncryptionId, RealtimeLogConfigArn, \
                 CachePolicyId, OriginRequestPolicyId, ResponseHeadersPolicyId, GrpcConfig, \
                 ForwardedValues, MinTTL, DefaultTTL, MaxTTL",
                "Invalid type for parameter DistributionConfig.Aliases.Items[1], value: 2, type: \
                 <class 'int'>, valid types: <class 'str'>",
            ]
        );
    }

    #[test]
    fn shorthand_becomes_the_models_numbers_flags_and_lists() {
        let parsed = args::value("Paths={Quantity=2,Items=[/a,/b]},CallerReference=r").expect("ok");
        let batch = model::from_shorthand(parsed, &model::INVALIDATION_BATCH).expect("converted");
        assert_eq!(
            batch,
            json!({"Paths": {"Quantity": 2, "Items": ["/a", "/b"]}, "CallerReference": "r"})
        );
        let one = model::from_shorthand(
            args::value("Paths={Quantity=1,Items=/a}").expect("ok"),
            &model::INVALIDATION_BATCH,
        );
        assert_eq!(one.expect("converted")["Paths"]["Items"], json!(["/a"]));
        let bad = model::from_shorthand(
            args::value("Paths={Quantity=x}").expect("ok"),
            &model::INVALIDATION_BATCH,
        );
        assert_eq!(failure(bad), "invalid literal for int() with base 10: 'x'");
    }

    #[test]
    fn the_origin_domain_name_shortcut_builds_the_clis_config() {
        let line = args(
            "cloudfront create-distribution --origin-domain-name photos.s3.amazonaws.com \
             --default-root-object index.html",
        );
        let p = Params {
            args: &line,
            files: &crate::workstation::Workstation::host("."),
        };
        let config = distribution_config_to_create(&p).expect("config");
        let origin = &config["Origins"]["Items"][0];
        let id = origin["Id"].as_str().expect("origin id");
        assert!(id.starts_with("photos.s3.amazonaws.com-"), "{id}");
        assert_eq!(config["DefaultCacheBehavior"]["TargetOriginId"], id);
        assert_eq!(
            origin["S3OriginConfig"],
            json!({"OriginAccessIdentity": ""})
        );
        assert_eq!(config["DefaultRootObject"], "index.html");
        let built = build::distribution_config(&config).expect("SDK config");
        assert!(built.caller_reference().starts_with("cli-"));

        let both = args(
            "cloudfront create-distribution --origin-domain-name example.com \
             --distribution-config {}",
        );
        let p = Params {
            args: &both,
            files: &crate::workstation::Workstation::host("."),
        };
        assert_eq!(
            failure(distribution_config_to_create(&p)),
            "The key \"origin_domain_name\" cannot be specified when one of the following keys \
             are also specified: distribution_config"
        );
    }

    #[test]
    fn what_the_waiters_poll_only_looks() {
        for name in ["get-distribution", "get-invalidation"] {
            let op = OPERATIONS.iter().find(|op| op.name() == name).expect(name);
            assert!(op.reads(), "{name}");
        }
    }
}
