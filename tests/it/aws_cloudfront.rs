//! The shell's `aws cloudfront` against an emulator, side by side with the real aws CLI v1 on
//! the same emulator: the lecture's Origin Access Control, S3 distribution and invalidations
//! must print what the CLI prints, and its mistakes fail in the CLI's words.

use std::path::Path;

use cloudlings_emulator::Emulator;
use serde_json::{Value, json};

use crate::aws_cli::Aws;
use crate::aws_shell::{assert_alike, json, session, shell};
use crate::emulator::{advance, start};

const BUCKET: &str = "cloudlings-photos";
const OAC_CONFIG: &str =
    "SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3";
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";

/// The shell's answer to `command` and the CLI's to `args` are the same text: the same read
/// of the same resource.
fn assert_printed(run: &crate::Run, command: &str, aws: &Aws<'_>, args: &[&str]) {
    assert_eq!(
        run.answer_to(command, 1),
        aws.text(args).trim_end_matches('\n'),
        "{command}"
    );
}

/// The real CLI's exit status and error output for a call that fails.
fn cli_failure(emulator: &Emulator, dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    Aws::new(emulator, dir).failure(args)
}

/// The shell's failure for `command`: its message, as the CLI would print it, and its status.
fn shell_failure(run: &crate::Run, command: &str) -> (String, String) {
    let answer = run.answer_to(command, 1);
    let (message, status) = answer
        .rsplit_once("(exited with ")
        .unwrap_or_else(|| panic!("{command} did not fail:\n{answer}"));
    (
        message.trim().to_string(),
        status.trim_end_matches(')').to_string(),
    )
}

/// The console's S3 distribution, as a learner writes it for `file://`.
fn s3_config(reference: &str, oac: &str) -> Value {
    json!({
        "CallerReference": reference,
        "Comment": "photos",
        "Enabled": true,
        "DefaultRootObject": "index.html",
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "s3-photos",
            "DomainName": format!("{BUCKET}.s3.ap-northeast-2.amazonaws.com"),
            "S3OriginConfig": {"OriginAccessIdentity": ""},
            "OriginAccessControlId": oac
        }]},
        "DefaultCacheBehavior": {
            "TargetOriginId": "s3-photos",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CACHING_OPTIMIZED,
            "Compress": true
        }
    })
}

fn write_json(dir: &Path, name: &str, value: &Value) {
    let text = serde_json::to_string_pretty(value).expect("JSON");
    std::fs::write(dir.join(name), text).expect("write the config");
}

fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no {pointer} in {value:#}"))
}

#[test]
fn the_lectures_distribution_reads_as_the_clis() {
    let emulator = start();
    let cloudlings = shell(&emulator);
    let dir = cloudlings.work_dir();
    let aws = Aws::new(&emulator, dir);

    // An Origin Access Control, made in shorthand.
    let make_bucket = format!("aws s3 mb s3://{BUCKET}");
    let create_oac = format!(
        "aws cloudfront create-origin-access-control --origin-access-control-config \
         Name=photos-oac,{OAC_CONFIG}"
    );
    let run = session(&cloudlings, &[&make_bucket, &create_oac]);
    let oac = json(&run, &create_oac);
    let cli_oac = aws.json(&[
        "cloudfront",
        "create-origin-access-control",
        "--origin-access-control-config",
        &format!("Name=cli-oac,{OAC_CONFIG}"),
    ]);
    assert_alike(&oac, &cli_oac);
    let oac_id = text(&oac, "/OriginAccessControl/Id");

    // A distribution from a config file, with the OAC in front of the S3 origin.
    write_json(dir, "distribution.json", &s3_config("photos-shell", oac_id));
    write_json(
        dir,
        "cli-distribution.json",
        &s3_config("photos-cli", oac_id),
    );
    let get_oac = format!("aws cloudfront get-origin-access-control --id {oac_id}");
    let list_oacs = "aws cloudfront list-origin-access-controls";
    let create =
        "aws cloudfront create-distribution --distribution-config file://distribution.json";
    let run = session(&cloudlings, &[&get_oac, list_oacs, create]);
    assert_printed(
        &run,
        &get_oac,
        &aws,
        &["cloudfront", "get-origin-access-control", "--id", oac_id],
    );
    assert_printed(
        &run,
        list_oacs,
        &aws,
        &["cloudfront", "list-origin-access-controls"],
    );
    let created = json(&run, create);
    let cli_created = aws.json(&[
        "cloudfront",
        "create-distribution",
        "--distribution-config",
        "file://cli-distribution.json",
    ]);
    assert_alike(&created, &cli_created);
    assert_eq!(text(&created, "/Distribution/Status"), "InProgress");
    let id = text(&created, "/Distribution/Id").to_string();
    let cli_id = text(&cli_created, "/Distribution/Id").to_string();

    // Deployed, the same reads print the same text.
    advance(&emulator, 180);
    let get = format!("aws cloudfront get-distribution --id {id}");
    let get_config = format!("aws cloudfront get-distribution-config --id {id}");
    let list = "aws cloudfront list-distributions";
    let run = session(&cloudlings, &[&get, &get_config, list]);
    assert_printed(
        &run,
        &get,
        &aws,
        &["cloudfront", "get-distribution", "--id", &id],
    );
    assert_printed(
        &run,
        &get_config,
        &aws,
        &["cloudfront", "get-distribution-config", "--id", &id],
    );
    assert_printed(&run, list, &aws, &["cloudfront", "list-distributions"]);
    assert_eq!(text(&json(&run, &get), "/Distribution/Status"), "Deployed");

    // An invalidation of two paths, with a CallerReference the shell makes as the CLI does.
    let invalidate = format!(
        "aws cloudfront create-invalidation --distribution-id {id} --paths /index.html /images/*"
    );
    let run = session(&cloudlings, &[&invalidate]);
    let invalidation = json(&run, &invalidate);
    assert_alike(
        &invalidation,
        &aws.json(&[
            "cloudfront",
            "create-invalidation",
            "--distribution-id",
            &id,
            "--paths",
            "/index.html",
            "/images/*",
        ]),
    );
    let reference = text(
        &invalidation,
        "/Invalidation/InvalidationBatch/CallerReference",
    );
    assert!(reference.starts_with("cli-"), "{reference}");
    let invalidation_id = text(&invalidation, "/Invalidation/Id");

    // Completed, and the CLI reads the same; then the config goes back disabled.
    advance(&emulator, 60);
    let get_invalidation =
        format!("aws cloudfront get-invalidation --distribution-id {id} --id {invalidation_id}");
    let list_invalidations = format!("aws cloudfront list-invalidations --distribution-id {id}");
    let save_config = format!(
        "aws cloudfront get-distribution-config --id {id} --query DistributionConfig > config.json"
    );
    let etag =
        format!("aws cloudfront get-distribution-config --id {id} --query ETag --output text");
    let run = session(
        &cloudlings,
        &[&get_invalidation, &list_invalidations, &save_config, &etag],
    );
    assert_printed(
        &run,
        &get_invalidation,
        &aws,
        &[
            "cloudfront",
            "get-invalidation",
            "--distribution-id",
            &id,
            "--id",
            invalidation_id,
        ],
    );
    assert_printed(
        &run,
        &list_invalidations,
        &aws,
        &["cloudfront", "list-invalidations", "--distribution-id", &id],
    );

    // Disabled under its ETag, as the CLI's own update of its distribution.
    let disable = |file: &str| {
        let path = dir.join(file);
        let mut config: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("config")).expect("JSON");
        config["Enabled"] = Value::Bool(false);
        write_json(dir, file, &config);
    };
    disable("config.json");
    let etag = run.answer_to(&etag, 1);
    let update = format!(
        "aws cloudfront update-distribution --id {id} --if-match {etag} \
         --distribution-config file://config.json"
    );
    let wrong = format!("aws cloudfront delete-distribution --id {id} --if-match E0WRONG");
    let run = session(&cloudlings, &[&update, &wrong]);
    let updated = json(&run, &update);
    assert_eq!(
        updated["Distribution"]["DistributionConfig"]["Enabled"],
        false
    );
    let cli_config = aws.json(&["cloudfront", "get-distribution-config", "--id", &cli_id]);
    write_json(dir, "cli-config.json", &cli_config["DistributionConfig"]);
    disable("cli-config.json");
    let cli_updated = aws.json(&[
        "cloudfront",
        "update-distribution",
        "--id",
        &cli_id,
        "--if-match",
        text(&cli_config, "/ETag"),
        "--distribution-config",
        "file://cli-config.json",
    ]);
    assert_alike(&updated, &cli_updated);

    // A stale If-Match is refused in the CLI's words and with its status.
    let (message, status) = shell_failure(&run, &wrong);
    let (cli_status, cli_message) = cli_failure(
        &emulator,
        dir,
        &[
            "cloudfront",
            "delete-distribution",
            "--id",
            &id,
            "--if-match",
            "E0WRONG",
        ],
    );
    assert_eq!(message, cli_message.trim());
    assert!(message.contains("(PreconditionFailed)"), "{message}");
    assert_eq!(
        Some(status.as_str()),
        cli_status.map(|code| code.to_string()).as_deref()
    );

    // Disabled and deployed, it goes, and then is no more.
    advance(&emulator, 180);
    let delete = format!(
        "aws cloudfront delete-distribution --id {id} --if-match {}",
        text(&updated, "/ETag")
    );
    let run = session(&cloudlings, &[&delete, &get]);
    assert_eq!(run.answer_to(&delete, 1), "", "a delete prints nothing");
    let (gone, status) = shell_failure(&run, &get);
    assert!(gone.contains("(NoSuchDistribution)"), "{gone}");
    assert_eq!(status, "255");
}

#[test]
fn the_clis_shortcut_makes_the_distribution_the_cli_makes() {
    let emulator = start();
    let cloudlings = shell(&emulator);
    let aws = Aws::new(&emulator, cloudlings.work_dir());
    let origin = format!("{BUCKET}.s3.amazonaws.com");
    let create = format!(
        "aws cloudfront create-distribution --origin-domain-name {origin} \
         --default-root-object index.html"
    );
    let custom = "aws cloudfront create-distribution --origin-domain-name example.com";
    let run = session(&cloudlings, &[&create, custom]);
    let created = json(&run, &create);
    assert_alike(
        &created,
        &aws.json(&[
            "cloudfront",
            "create-distribution",
            "--origin-domain-name",
            &origin,
            "--default-root-object",
            "index.html",
        ]),
    );
    let config = &created["Distribution"]["DistributionConfig"];
    let origin_id = text(config, "/Origins/Items/0/Id");
    assert!(origin_id.starts_with(&format!("{origin}-")), "{origin_id}");
    assert_eq!(
        text(config, "/DefaultCacheBehavior/TargetOriginId"),
        origin_id
    );
    assert_alike(
        &json(&run, custom),
        &aws.json(&[
            "cloudfront",
            "create-distribution",
            "--origin-domain-name",
            "example.com",
        ]),
    );
}

#[test]
fn mistakes_fail_in_the_clis_words() {
    let emulator = start();
    let cloudlings = shell(&emulator);
    let dir = cloudlings.work_dir();
    let mut config = s3_config("typo", "E0NOSUCHOAC");
    config["DefaultCacheBehavior"]["Foo"] = json!(1);
    config["Origins"]["Items"][0]["ConnectionAttempts"] = json!("three");
    config["Bar"] = json!(true);
    write_json(dir, "typo.json", &config);
    std::fs::write(dir.join("broken.json"), "{\"CallerReference\": ").expect("write");
    let calls: [&[&str]; 7] = [
        &[
            "cloudfront",
            "create-origin-access-control",
            "--origin-access-control-config",
            "Name=x,Foo=1",
        ],
        &[
            "cloudfront",
            "create-origin-access-control",
            "--origin-access-control-config",
            "Name",
        ],
        &[
            "cloudfront",
            "create-distribution",
            "--distribution-config",
            "file://typo.json",
        ],
        &["cloudfront", "create-distribution"],
        &[
            "cloudfront",
            "create-distribution",
            "--origin-domain-name",
            "example.com",
            "--distribution-config",
            "file://typo.json",
        ],
        &[
            "cloudfront",
            "create-invalidation",
            "--distribution-id",
            "E0NOSUCH",
            "--paths",
            "/a",
            "--invalidation-batch",
            "Paths={Quantity=x}",
        ],
        &[
            "cloudfront",
            "create-invalidation",
            "--distribution-id",
            "E0NOSUCH",
            "--invalidation-batch",
            "Paths={Quantity=x}",
        ],
    ];
    let lines: Vec<String> = calls
        .iter()
        .map(|args| format!("aws {}", args.join(" ")))
        .collect();
    let run = session(
        &cloudlings,
        &lines.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    for (line, args) in lines.iter().zip(calls) {
        let (message, status) = shell_failure(&run, line);
        let (cli_status, cli_message) = cli_failure(&emulator, dir, args);
        assert_eq!(message, cli_message.trim(), "{line}");
        assert_eq!(Some(status), cli_status.map(|s| s.to_string()), "{line}");
    }
    let typo = run.answer_to(&lines[2], 1);
    assert!(
        typo.contains(
            "Unknown parameter in DistributionConfig.DefaultCacheBehavior: \"Foo\", must be one \
             of: TargetOriginId, TrustedSigners,"
        ),
        "{typo}"
    );

    // Broken JSON is named as such (Python's and serde's words for where differ).
    let broken = "aws cloudfront create-distribution --distribution-config file://broken.json";
    let run = session(&cloudlings, &[broken]);
    let (message, status) = shell_failure(&run, broken);
    assert!(
        message.starts_with("Error parsing parameter '--distribution-config': Invalid JSON:"),
        "{message}"
    );
    assert_eq!(status, "255");
}

/// `aws cloudfront wait` returns quietly once the distribution is deployed and the
/// invalidation done, refuses a waiter it lacks, and the checks see distributions and
/// invalidations through the same calls.
#[test]
fn waiters_and_probes_see_distributions_and_invalidations() {
    use cloudlings::check::{AwsProbe, Context, Probe};
    use cloudlings::target::Target;

    let emulator = start();
    let cloudlings = shell(&emulator);
    let origin = format!("{BUCKET}.s3.amazonaws.com");
    let create = format!("aws cloudfront create-distribution --origin-domain-name {origin}");
    let run = session(&cloudlings, &[&create]);
    let id = text(&json(&run, &create), "/Distribution/Id").to_string();

    let mut context = Context::new(std::env::temp_dir()).with_target(Target::emulator(
        &emulator.endpoint(),
        &emulator.credentials,
    ));
    context
        .bindings
        .insert("distribution_id".to_string(), id.clone());
    let probe = |call: &str| {
        Probe::Aws(AwsProbe::parse(call).expect("a call checks can make"))
            .observe(&context)
            .expect("the probe answers")
    };
    let listed = probe("cloudfront list-distributions");
    assert_eq!(listed["DistributionList"]["Items"][0]["Id"], id.as_str());
    assert_eq!(
        listed["DistributionList"]["Items"][0]["Status"],
        "InProgress"
    );

    // Deployed two minutes on: the waiter's first look finds it so.
    advance(&emulator, 180);
    let deployed = format!("aws cloudfront wait distribution-deployed --id {id}");
    let invalidate =
        format!("aws cloudfront create-invalidation --distribution-id {id} --paths /cat.jpg");
    let unknown = "aws cloudfront wait distribution-gone --id x";
    let run = session(&cloudlings, &[&deployed, &invalidate, unknown]);
    assert_eq!(run.answer_to(&deployed, 1), "");
    let invalidation = text(&json(&run, &invalidate), "/Invalidation/Id").to_string();
    let refused = run.answer_to(unknown, 1);
    assert!(
        refused.contains(
            "argument wait: Invalid choice, valid choices are:\n\n\
             distribution-deployed                    | invalidation-completed"
        ) && refused.contains("(exited with 2)"),
        "{refused}"
    );

    let invalidations = probe("cloudfront list-invalidations --distribution-id {distribution_id}");
    assert_eq!(
        invalidations["InvalidationList"]["Items"][0]["Id"],
        invalidation.as_str(),
        "{invalidations}"
    );
    advance(&emulator, 60);
    let completed = format!(
        "aws cloudfront wait invalidation-completed --distribution-id {id} --id {invalidation}"
    );
    let run = session(&cloudlings, &[&completed]);
    assert_eq!(run.answer_to(&completed, 1), "");
    let done = probe("cloudfront list-invalidations --distribution-id {distribution_id}");
    assert_eq!(done["InvalidationList"]["Items"][0]["Status"], "Completed");

    // A missing distribution is an answer a check can fail on, not an unreachable target.
    let missing = probe("cloudfront get-distribution --id E0NOSUCH");
    assert_eq!(missing["Error"]["Code"], "NoSuchDistribution", "{missing}");
}
