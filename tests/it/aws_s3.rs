//! The shell's `aws s3api`, `aws s3 cp|sync|rb --force` and IAM's MFA writes, side by side
//! with the real aws CLI v1 on the same emulator: the same calls print the same thing.

use std::path::Path;

use cloudlings_emulator::mfa;
use serde_json::Value;

use crate::aws_cli::Aws;
use crate::aws_shell::shell;
use crate::emulator::start;

fn words(line: &str) -> Vec<&str> {
    line.split(' ').collect()
}

/// A JPEG-named file of `size` bytes in `dir`.
fn picture(dir: &Path, name: &str, size: usize) {
    let bytes: Vec<u8> = (0..size).map(|n| (n % 251) as u8).collect();
    std::fs::write(dir.join(name), bytes).expect("picture");
}

#[test]
fn s3api_calls_answer_as_the_cli_does() {
    let emulator = start();
    let cloudlings = shell(&emulator);
    let dir = cloudlings.work_dir();
    let aws = Aws::new(&emulator, dir);
    picture(dir, "cat.jpg", 2048);
    std::fs::write(
        dir.join("policy.json"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudfront.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::pics/*"}]}"#,
    )
    .expect("policy");

    let create = "aws s3api create-bucket --bucket pics --create-bucket-configuration LocationConstraint=ap-northeast-2";
    let block = "aws s3api get-public-access-block --bucket pics";
    let put =
        "aws s3api put-object --bucket pics --key cat.jpg --body cat.jpg --content-type image/jpeg";
    let head = "aws s3api head-object --bucket pics --key cat.jpg";
    let list = "aws s3api list-objects-v2 --bucket pics";
    let set_policy = "aws s3api put-bucket-policy --bucket pics --policy file://policy.json";
    let policy = "aws s3api get-bucket-policy --bucket pics";
    let missing = "aws s3api get-bucket-policy --bucket nope";
    let script = [create, block, put, head, list, set_policy, policy, missing].join("\n");
    let run = cloudlings.session(&script).success();

    // Reads of the same state print the same text, to the character.
    for line in [block, head, list, policy] {
        let args = words(line.trim_start_matches("aws "));
        assert_eq!(
            run.answer_to(line, 1),
            aws.text(&args).trim_end_matches('\n'),
            "{line}"
        );
    }
    // Writes print what the CLI's same write prints (the object is the same bytes).
    let cli_put = aws.text(&words(
        "s3api put-object --bucket pics --key again.jpg --body cat.jpg --content-type image/jpeg",
    ));
    assert_eq!(run.answer_to(put, 1), cli_put.trim_end_matches('\n'));
    let cli_create = aws.text(&words(
        "s3api create-bucket --bucket pics2 --create-bucket-configuration LocationConstraint=ap-northeast-2",
    ));
    assert_eq!(
        run.answer_to(create, 1).replace("pics", "pics2"),
        cli_create.trim_end_matches('\n')
    );
    assert_eq!(run.answer_to(set_policy, 1), "");
    let refused = run.answer_to(missing, 1);
    assert!(
        refused.contains(
            "An error occurred (NoSuchBucket) when calling the GetBucketPolicy operation"
        ) && refused.contains("(exited with 255)"),
        "{refused}"
    );
}

/// The CLI's output without its progress lines, which it draws with `\r` even into a pipe
/// (the shell draws its bar on a terminal only).
fn without_progress(printed: &str) -> String {
    printed
        .lines()
        .map(|line| line.rsplit('\r').next().unwrap_or(line).trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn copies_and_syncs_print_as_the_cli_does_and_guess_the_type() {
    let emulator = start();
    let cloudlings = shell(&emulator);
    let dir = cloudlings.work_dir();
    let aws = Aws::new(&emulator, dir);
    for bucket in ["ours", "theirs"] {
        aws.text(&["s3", "mb", &format!("s3://{bucket}")]);
    }
    picture(dir, "cat.jpg", 4096);
    // Over the 8 MiB threshold: sent in parts, as the CLI sends it.
    picture(dir, "big.bin", 9 * 1024 * 1024 + 5);
    std::fs::create_dir_all(dir.join("site/img")).expect("site");
    std::fs::write(dir.join("site/index.html"), "<img src=img/cat.jpg>").expect("html");
    picture(&dir.join("site/img"), "cat.jpg", 100);

    let lines = |bucket: &str| {
        [
            format!("aws s3 cp cat.jpg s3://{bucket}/"),
            format!("aws s3 cp cat.jpg s3://{bucket}/img/"),
            format!("aws s3 cp big.bin s3://{bucket}/big.bin"),
            format!("aws s3 sync site s3://{bucket}/site"),
            format!("aws s3 sync site s3://{bucket}/site"),
            format!("aws s3 ls s3://{bucket} --recursive"),
        ]
    };
    let run = cloudlings
        .session(&format!("{}\nquit", lines("ours").join("\n")))
        .success();
    for (n, (ours, theirs)) in lines("ours").iter().zip(lines("theirs")).enumerate() {
        let cli = without_progress(&aws.text(&words(theirs.trim_start_matches("aws "))));
        // The same sync twice: the second is the second answer to that line.
        let shown = run.answer_to(ours, if n == 4 { 2 } else { 1 });
        if ours.contains(" ls ") {
            // Times differ by the seconds between the two uploads: compare sizes and keys.
            let tail = |text: &str| -> Vec<String> {
                text.lines().map(|line| line[19..].to_string()).collect()
            };
            assert_eq!(tail(&shown), tail(&cli), "{ours}");
        } else {
            // The CLI moves files ten at a time and prints each as it lands: compare the sets.
            let sorted = |text: &str| {
                let mut lines: Vec<String> = text.lines().map(String::from).collect();
                lines.sort();
                lines
            };
            assert_eq!(
                sorted(&shown.replace("ours", "theirs")),
                sorted(&cli),
                "{ours}"
            );
        }
    }
    // Nothing changed: the second sync has nothing to say.
    assert_eq!(run.answer_to(&lines("ours")[4], 2), "");

    for key in ["cat.jpg", "site/index.html", "big.bin"] {
        let head =
            |bucket: &str| aws.json(&["s3api", "head-object", "--bucket", bucket, "--key", key]);
        let (ours, theirs) = (head("ours"), head("theirs"));
        assert_eq!(ours["ContentType"], theirs["ContentType"], "{key}");
        assert_eq!(ours["ETag"], theirs["ETag"], "{key}");
        assert_eq!(ours["ContentLength"], theirs["ContentLength"], "{key}");
    }
    let head = aws.json(&[
        "s3api",
        "head-object",
        "--bucket",
        "ours",
        "--key",
        "cat.jpg",
    ]);
    assert_eq!(head["ContentType"], "image/jpeg");
    let big = aws.json(&[
        "s3api",
        "head-object",
        "--bucket",
        "ours",
        "--key",
        "big.bin",
    ]);
    assert!(
        big["ETag"]
            .as_str()
            .is_some_and(|etag| etag.ends_with("-2\"")),
        "{big}"
    );

    // Back down, and a folder that lost a file: --delete removes it there too.
    std::fs::remove_file(dir.join("site/img/cat.jpg")).expect("remove");
    std::fs::write(dir.join("note.txt"), "a note\u{1b}[2J\n").expect("note");
    let later = cloudlings
        .session(
            "aws s3 cp note.txt s3://ours/note.txt\n\
             aws s3 cp s3://ours/note.txt -\n\
             aws s3 cp s3://ours/cat.jpg back.jpg\n\
             aws s3 sync site s3://ours/site --delete\n\
             aws s3 cp nothing.jpg s3://ours/\n\
             aws s3 rb s3://ours --force\n\
             quit",
        )
        .success();
    // `-` is standard output, as with the CLI; what the object holds is shown, not obeyed.
    assert_eq!(
        later.answer_to("aws s3 cp s3://ours/note.txt -", 1),
        "a note^[[2J"
    );
    assert!(!dir.join("-").exists());
    assert_eq!(
        later.answer_to("aws s3 cp s3://ours/cat.jpg back.jpg", 1),
        "download: s3://ours/cat.jpg to ./back.jpg"
    );
    assert_eq!(
        std::fs::read(dir.join("back.jpg")).expect("back"),
        std::fs::read(dir.join("cat.jpg")).expect("cat")
    );
    assert_eq!(
        later.answer_to("aws s3 sync site s3://ours/site --delete", 1),
        "delete: s3://ours/site/img/cat.jpg"
    );
    let missing = later.answer_to("aws s3 cp nothing.jpg s3://ours/", 1);
    assert!(
        missing.contains("The user-provided path nothing.jpg does not exist.")
            && missing.contains("255"),
        "{missing}"
    );
    let removed = later.answer_to("aws s3 rb s3://ours --force", 1);
    assert!(
        removed.contains("delete: s3://ours/big.bin") && removed.ends_with("remove_bucket: ours"),
        "{removed}"
    );
    let buckets = aws.json(&["s3api", "list-buckets", "--query", "Buckets[].Name"]);
    assert_eq!(buckets, serde_json::json!(["theirs"]));
}

#[test]
fn mfa_devices_are_made_enabled_and_removed_as_with_the_cli() {
    let emulator = start();
    let cloudlings = shell(&emulator);
    let dir = cloudlings.work_dir();
    let aws = Aws::new(&emulator, dir);
    let user = "aws iam create-user --user-name admin";
    let seed = "aws iam create-virtual-mfa-device --virtual-mfa-device-name phone --outfile seed.txt --bootstrap-method Base32StringSeed";
    let qr = "aws iam create-virtual-mfa-device --virtual-mfa-device-name tablet --outfile qr.png --bootstrap-method QRCodePNG";
    let run = cloudlings.session(&[user, seed, qr].join("\n")).success();

    let created: Value = serde_json::from_str(&run.answer_to(user, 1)).expect("user JSON");
    let listed = aws.json(&["iam", "get-user", "--user-name", "admin"]);
    assert_eq!(created["User"]["Arn"], listed["User"]["Arn"]);
    let device: Value = serde_json::from_str(&run.answer_to(seed, 1)).expect("device JSON");
    let serial = device["VirtualMFADevice"]["SerialNumber"]
        .as_str()
        .expect("serial")
        .to_string();
    assert_eq!(
        device,
        serde_json::json!({ "VirtualMFADevice": { "SerialNumber": serial } }),
        "the secret goes to the file, not the screen"
    );
    let cli_device = aws.json(&words(
        "iam create-virtual-mfa-device --virtual-mfa-device-name laptop --outfile cli.txt --bootstrap-method Base32StringSeed",
    ));
    assert_eq!(
        cli_device["VirtualMFADevice"]
            .as_object()
            .map(|fields| fields.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["SerialNumber".to_string()])
    );
    #[cfg(unix)]
    for file in ["seed.txt", "qr.png"] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(file))
            .expect(file)
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file}");
    }
    let png = std::fs::read(dir.join("qr.png")).expect("png");
    assert!(png.starts_with(b"\x89PNG"));

    let secret = mfa::from_base32(&std::fs::read_to_string(dir.join("seed.txt")).expect("seed"))
        .expect("base32");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs();
    let (first, second) = (mfa::code_at(&secret, now - 30), mfa::code_at(&secret, now));
    let enable = format!(
        "aws iam enable-mfa-device --user-name admin --serial-number {serial} \
         --authentication-code1 {first} --authentication-code2 {second}"
    );
    let wrong = format!(
        "aws iam enable-mfa-device --user-name admin --serial-number {serial} \
         --authentication-code1 {second} --authentication-code2 {first}"
    );
    let devices = "aws iam list-mfa-devices --user-name admin";
    let deactivate =
        format!("aws iam deactivate-mfa-device --user-name admin --serial-number {serial}");
    let delete = format!("aws iam delete-virtual-mfa-device --serial-number {serial}");
    let later = cloudlings
        .session(
            &[
                wrong.as_str(),
                &enable,
                devices,
                &deactivate,
                &delete,
                "quit",
            ]
            .join("\n"),
        )
        .success();
    let refused = later.answer_to(&wrong, 1);
    assert!(
        refused.contains("when calling the EnableMFADevice operation")
            && refused.contains("(exited with 255)"),
        "{refused}"
    );
    assert_eq!(later.answer_to(&enable, 1), "");
    let enabled: Value = serde_json::from_str(&later.answer_to(devices, 1)).expect("devices");
    assert_eq!(enabled["MFADevices"][0]["SerialNumber"], serial.as_str());
    assert_eq!(later.answer_to(&deactivate, 1), "");
    assert_eq!(later.answer_to(&delete, 1), "");
    let left = aws.json(&[
        "iam",
        "list-virtual-mfa-devices",
        "--query",
        "VirtualMFADevices[].SerialNumber",
    ]);
    assert!(
        !left
            .as_array()
            .expect("list")
            .contains(&Value::from(serial)),
        "{left}"
    );
}
