//! `--target aws`, against stand-ins for AWS: a moto server (PyPI `moto[server]`, which
//! `scripts/test` installs and names in `CLOUDLINGS_MOTO_PYTHON`; started through
//! `tests/support/moto_aws.py`), and the emulator when the caller must be an account's root
//! user. Each test starts its own on loopback.
//!
//! What is checked: the whole course runs there and `cleanup` then leaves nothing the shell
//! tagged (listed by the real aws CLI, service by service), a second cleanup has nothing to
//! do, a cleanup killed halfway finishes on the next run, the cost guard's question, `--yes`,
//! the estimate against the price table, the root refusal, and no secret in any output.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cloudlings::aws_target::guard::usd;
use cloudlings::check::{self, Probe};
use cloudlings::lesson::{Course, Platform, StepKind};
use cloudlings_core::catalog::{DEFAULT_REGION, IMAGES};
use cloudlings_core::prices;
use serde_json::{Value, json};

use crate::Cloudlings;
use crate::course::reply;

/// Where the shell keeps an AWS account's progress and journal in its data folder (moto's
/// account is 123456789012).
fn account_dir(shell: &Cloudlings) -> std::path::PathBuf {
    shell.data_dir().join("aws").join("123456789012")
}

/// The secret key the learner's credentials carry: it must never be printed.
const SECRET: &str = "Sup3rSecretKeyOfTheLearner/0123456789abcd";
const ACCESS_KEY: &str = "AKIALEARNER000000001";
/// The address a stand-in checkip.amazonaws.com answers.
const PUBLIC_ADDRESS: &str = "203.0.113.7";

/// A moto server on a free loopback port, stopped when dropped.
struct Moto {
    child: Child,
    url: String,
    _amis: tempfile::NamedTempFile,
}

impl Moto {
    fn start() -> Moto {
        let python = std::env::var("CLOUDLINGS_MOTO_PYTHON").expect(
            "CLOUDLINGS_MOTO_PYTHON names the Python that has moto; scripts/test installs it",
        );
        // AWS's images as the course knows them, so lessons find them by name as on AWS.
        let mut amis = tempfile::NamedTempFile::new().expect("amis file");
        let listed: Vec<Value> = IMAGES
            .iter()
            .map(|image| {
                json!({
                    "ami_id": image.id_in(DEFAULT_REGION),
                    "name": image.name,
                    "description": image.description,
                    "owner_id": image.owner,
                    "public": true,
                    "virtualization_type": "hvm",
                    "architecture": "x86_64",
                    "state": "available",
                    "platform": if image.windows { Value::from("windows") } else { Value::Null },
                    "root_device_type": "ebs",
                    "root_device_name": image.root_device,
                    "creation_date": image.creation_date,
                })
            })
            .collect();
        amis.write_all(Value::Array(listed).to_string().as_bytes())
            .expect("write amis");
        let port = free_port();
        let child = Command::new(python)
            .arg(crate::repo("tests/support/moto_aws.py"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_AMIS_PATH", amis.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto_server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto {
            child,
            url,
            _amis: amis,
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// A stand-in for checkip.amazonaws.com: answers every request with the learner's address.
fn checkip() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            // The whole request is read first: closing on unread bytes would reset it.
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                request.push(byte[0]);
            }
            let body = format!("{PUBLIC_ADDRESS}\n");
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// The shell on `--target aws` at `url`, with the learner's keys and nothing of this
/// machine's AWS configuration.
fn on_aws(url: &str, checkip: &str) -> Cloudlings {
    let home = tempfile::tempdir().expect("home").keep();
    Cloudlings::new()
        .arg("--target")
        .arg("aws")
        .arg("--endpoint-url")
        .arg(url)
        .env("HOME", &home.display().to_string())
        .env("AWS_CONFIG_FILE", &home.join("none").display().to_string())
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            &home.join("none").display().to_string(),
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_REGION", DEFAULT_REGION)
        .env("CLOUDLINGS_CHECKIP_URL", checkip)
}

/// The real aws CLI v1 against `url`, with the learner's keys.
fn cli(url: &str, args: &[&str]) -> Value {
    let program = std::env::var("CLOUDLINGS_AWS_CLI").unwrap_or_else(|_| "aws".into());
    let dir = tempfile::tempdir().expect("dir");
    let output = Command::new(program)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", url)
        .env("AWS_DEFAULT_REGION", DEFAULT_REGION)
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_DEFAULT_OUTPUT", "json")
        .output()
        .expect("run the aws CLI");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "aws {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    if stdout.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&stdout).expect("JSON")
    }
}

/// Everything in the account that carries a `cloudlings:session` tag (or, for what cannot be
/// tagged, exists at all), listed service by service with the real CLI.
fn tagged_resources(url: &str) -> Vec<String> {
    let tagged = "Name=tag-key,Values=cloudlings:session";
    let alive = "Name=instance-state-name,Values=pending,running,stopping,stopped,shutting-down";
    let listings: &[(&str, &[&str])] = &[
        (
            "instance",
            &[
                "ec2",
                "describe-instances",
                "--filters",
                tagged,
                alive,
                "--query",
                "Reservations[].Instances[].InstanceId",
            ],
        ),
        (
            "volume",
            &[
                "ec2",
                "describe-volumes",
                "--filters",
                tagged,
                "--query",
                "Volumes[].VolumeId",
            ],
        ),
        (
            "key pair",
            &[
                "ec2",
                "describe-key-pairs",
                "--filters",
                tagged,
                "--query",
                "KeyPairs[].KeyName",
            ],
        ),
        (
            "group",
            &[
                "ec2",
                "describe-security-groups",
                "--filters",
                tagged,
                "--query",
                "SecurityGroups[].GroupName",
            ],
        ),
        (
            "bucket",
            &["s3api", "list-buckets", "--query", "Buckets[].Name"],
        ),
        (
            "distribution",
            &[
                "cloudfront",
                "list-distributions",
                "--query",
                "DistributionList.Items[].Id",
            ],
        ),
        (
            "origin access control",
            &[
                "cloudfront",
                "list-origin-access-controls",
                "--query",
                "OriginAccessControlList.Items[].Id",
            ],
        ),
        (
            "user",
            &["iam", "list-users", "--query", "Users[].UserName"],
        ),
        (
            "MFA device",
            &[
                "iam",
                "list-virtual-mfa-devices",
                "--query",
                "VirtualMFADevices[].SerialNumber",
            ],
        ),
    ];
    let mut left = Vec::new();
    for (kind, args) in listings {
        for id in cli(url, args).as_array().into_iter().flatten() {
            left.push(format!("{kind} {id}"));
        }
    }
    left
}

fn progress(shell: &Cloudlings) -> Value {
    std::fs::read_to_string(account_dir(shell).join("progress.json"))
        .map(|text| serde_json::from_str(&text).expect("progress is JSON"))
        .unwrap_or(Value::Null)
}

/// Whether a check can look on an AWS stand-in that answers the API only.
fn looks_on_moto(probe: &Probe) -> bool {
    !matches!(probe, Probe::Emulator(_) | Probe::Http(_))
}

/// The lines a learner types for a step's solution on AWS, leaving out what needs a host this
/// stand-in does not have: `curl` to an instance or an edge, and an `ssh` session.
fn typed_on_moto(solution: &[String]) -> Vec<&String> {
    let mut typed = Vec::new();
    let mut in_ssh = false;
    for line in solution {
        if line.starts_with("ssh ") {
            in_ssh = true;
            continue;
        }
        if in_ssh {
            in_ssh = line != "exit";
            continue;
        }
        if !line.starts_with("curl ") {
            typed.push(line);
        }
    }
    typed
}

#[test]
fn the_whole_course_runs_on_aws_and_cleanup_leaves_nothing_behind() {
    let moto = Moto::start();
    let checkip = checkip();
    let shell = on_aws(&moto.url, &checkip).arg("--yes");
    let course = Course::embedded();
    let mut transcript = String::new();
    for lesson in &course.lessons {
        for step in &lesson.steps {
            let mut lines = vec![format!("start {}", lesson.id)];
            match &step.kind {
                StepKind::Read => {}
                StepKind::Quiz(answer) => lines.push(reply(answer)),
                StepKind::Task(task) => {
                    let checked =
                        shell.session(&format!("start {}\ncheck\nquit\nquit\n", lesson.id));
                    transcript.push_str(&checked.stdout());
                    transcript.push_str(&checked.stderr());
                    let done = progress(&shell)["lessons"][&lesson.id][&step.id]["passed"] == true;
                    let checkable = task.checks.iter().any(|c| looks_on_moto(&c.probe));
                    if !done && checkable {
                        let saved = progress(&shell);
                        let mut bindings: check::Bindings = saved["bindings"]
                            .as_object()
                            .into_iter()
                            .flatten()
                            .map(|(name, value)| {
                                (name.clone(), value.as_str().unwrap_or_default().into())
                            })
                            .collect();
                        bindings.insert("myip".into(), PUBLIC_ADDRESS.into());
                        // On AWS the shell cannot read the free plan: the course launches
                        // t3.micro, free on both.
                        bindings.insert("free_type".into(), "t3.micro".into());
                        for line in typed_on_moto(&step.solution(true, Platform::Unix)) {
                            lines.push(check::fill_command(line, &bindings, &shell.files()));
                        }
                    }
                    lines.push("check".into());
                }
            }
            lines.extend(["next".into(), "quit".into(), "quit".into()]);
            let run = shell.session(&lines.join("\n"));
            transcript.push_str(&run.stdout());
            transcript.push_str(&run.stderr());
            let passed = &progress(&shell)["lessons"][&lesson.id][&step.id]["passed"];
            assert!(
                matches!(step.kind, StepKind::Read) || passed == &Value::Bool(true),
                "{}/{} was not passed on AWS:\n{}",
                lesson.id,
                step.id,
                run.stdout()
            );
        }
    }
    assert!(
        !shell.data_dir().join("progress.json").exists(),
        "the emulator's progress is not the account's"
    );
    let summary = shell.session("progress\nquit\nquit\n").success();
    let total = course.lessons.len();
    assert!(
        summary
            .stdout()
            .contains(&format!("{total}/{total} lessons complete")),
        "{}",
        summary.stdout()
    );
    assert!(
        transcript.contains("cloudlings:session="),
        "the banner names the session's tag"
    );
    // What only the emulator can see is said to be skipped, and steps say how they go on AWS.
    assert!(transcript.contains("not checked on this target: only the emulator can see it"));
    assert!(transcript.contains("On a real AWS account:"));

    // Lesson 7 deleted what the course made; make more, then let `cleanup` find it all.
    let made = shell
        .session(&format!(
            "start clean-up\naws ec2 run-instances --image-id {ami} --instance-type t3.micro \
             --tag-specifications \"ResourceType=instance,Tags=[{{Key=Name,Value=left}}]\"\n\
             aws ec2 create-key-pair --key-name left --query KeyName\n\
             aws s3 mb s3://left-behind-bucket\n!echo hello > note.txt\n\
             aws s3 cp note.txt s3://left-behind-bucket/\n\
             aws iam create-user --user-name left-user\nquit\nquit\n",
            ami = IMAGES[0].id_in(DEFAULT_REGION)
        ))
        .success();
    transcript.push_str(&made.stdout());
    let before = tagged_resources(&moto.url);
    assert!(
        before.len() >= 4,
        "the new resources are there, tagged: {before:?}"
    );
    let instances = cli(
        &moto.url,
        &[
            "ec2",
            "describe-instances",
            "--filters",
            "Name=tag:Name,Values=left",
        ],
    );
    let tags = &instances["Reservations"][0]["Instances"][0]["Tags"];
    assert!(
        tags.to_string().contains("cloudlings:lesson") && tags.to_string().contains("clean-up"),
        "the lesson is tagged: {tags}"
    );

    let cleanup = shell.run(&["cleanup"]).success();
    transcript.push_str(&cleanup.stdout());
    transcript.push_str(&cleanup.stderr());
    assert_eq!(tagged_resources(&moto.url), Vec::<String>::new());
    let again = shell.run(&["cleanup"]).success();
    assert!(
        again.stdout().contains("nothing to delete"),
        "a second cleanup is a no-op:\n{}",
        again.stdout()
    );

    // Secrets: the secret key, the key pairs' private keys and the MFA seed appear in no
    // output, log or file the shell keeps.
    let mut kept = transcript.clone();
    for name in ["progress.json", "journal.json"] {
        let path = account_dir(&shell).join(name);
        kept.push_str(&std::fs::read_to_string(&path).expect(name));
    }
    assert!(!kept.contains(SECRET), "the secret key was printed");
    for file in ["key.pem", "windows-key.pem"] {
        let pem = std::fs::read_to_string(shell.work_dir().join(file)).expect(file);
        let body: Vec<&str> = pem
            .lines()
            .filter(|line| !line.starts_with("-----") && line.len() > 20)
            .collect();
        assert!(!body.is_empty(), "{file} holds a key");
        for line in body {
            assert!(!kept.contains(line), "a line of {file} was printed");
        }
    }
    let seed = std::fs::read_to_string(shell.work_dir().join("mfa-seed.txt")).expect("seed");
    assert!(!seed.trim().is_empty());
    assert!(!kept.contains(seed.trim()), "the MFA seed was printed");
}

/// Makes `count` of each kind of resource through the shell, and returns the shell.
fn make_resources(moto: &Moto, checkip: &str, count: usize) -> Cloudlings {
    let shell = on_aws(&moto.url, checkip).arg("--yes");
    let mut script = String::new();
    script.push_str(&format!(
        "aws ec2 run-instances --image-id {} --instance-type t2.micro --count {count}\n",
        IMAGES[0].id_in(DEFAULT_REGION)
    ));
    for n in 0..count {
        script.push_str(&format!(
            "aws ec2 create-key-pair --key-name key-{n} --query KeyName\n\
             aws ec2 create-security-group --group-name group-{n} --description d\n\
             aws s3 mb s3://bucket-{n}-of-a-session\n\
             aws iam create-user --user-name user-{n}\n"
        ));
    }
    script.push_str("quit\nquit\n");
    shell.session(&script).success();
    shell
}

#[test]
fn an_interrupted_cleanup_finishes_on_the_next_run() {
    let moto = Moto::start();
    let checkip = checkip();
    let shell = make_resources(&moto, &checkip, 8);
    let total = tagged_resources(&moto.url).len();
    assert_eq!(
        total,
        8 * 6,
        "8 each of instances, their volumes, keys, groups, buckets, users"
    );

    let mut cleanup = shell
        .command()
        .arg("cleanup")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start cleanup");
    let mut lines = BufReader::new(cleanup.stdout.take().expect("stdout")).lines();
    // Killed as soon as it has deleted something.
    loop {
        let line = lines.next().expect("cleanup said something").expect("line");
        if line.contains("deleted") {
            break;
        }
    }
    cleanup.kill().expect("kill");
    cleanup.wait().expect("wait");
    let halfway = tagged_resources(&moto.url).len();
    assert!(
        halfway > 0 && halfway < total,
        "killed halfway: {halfway} of {total} left"
    );

    let finished = shell.run(&["cleanup"]).success();
    let deleted = finished.stdout().matches("  deleted ").count();
    assert!(
        deleted <= halfway,
        "the second run deletes only what was left ({deleted} > {halfway})"
    );
    assert_eq!(tagged_resources(&moto.url), Vec::<String>::new());
    shell
        .run(&["cleanup"])
        .success()
        .stdout_has("nothing to delete");
}

#[test]
fn billable_commands_ask_first_and_yes_skips_the_question() {
    let moto = Moto::start();
    let checkip = checkip();
    let shell = on_aws(&moto.url, &checkip);
    let launch = format!(
        "aws ec2 run-instances --image-id {} --instance-type t3.medium --count 2",
        IMAGES[0].id_in(DEFAULT_REGION)
    );
    let price = prices::hourly(DEFAULT_REGION, "t3.medium", false).expect("priced");
    // Each instance also holds a public IPv4 address and an 8 GiB gp3 root volume.
    let with_extras = price + prices::instance_extras_hourly(DEFAULT_REGION, 8);
    let declined = shell
        .session(&format!("{launch}\nn\nquit\n"))
        .success()
        .stdout_has(&format!("2 × t3.medium (Linux) in {DEFAULT_REGION}"))
        .stdout_has(&format!("{} an hour each", usd(price)))
        .stdout_has(&format!("about {} a day", usd(with_extras * 2.0 * 24.0)))
        .stdout_has("Go ahead?")
        .stdout_has("Cancelled: the command did not run.");
    assert!(!declined.stdout().contains("InstanceId"));
    let instances = |url: &str| {
        cli(url, &["ec2", "describe-instances"])["Reservations"]
            .as_array()
            .map_or(0, Vec::len)
    };
    assert_eq!(instances(&moto.url), 0, "no answer, no instance");

    shell
        .session(&format!("{launch}\ny\nbill\nquit\nquit\n"))
        .success()
        .stdout_has("InstanceId")
        .stdout_has("t3.medium")
        .stdout_has(&format!("now running: {} an hour", usd(with_extras * 2.0)));
    assert_eq!(instances(&moto.url), 1, "one reservation of two");

    let scripted = on_aws(&moto.url, &checkip).arg("--yes");
    scripted
        .session(&format!("{launch}\nquit\nquit\n"))
        .success()
        .stdout_has("(--yes: going ahead without asking)")
        .stdout_lacks("Go ahead?")
        .stdout_has("InstanceId");
    assert_eq!(instances(&moto.url), 2);

    // Reads and free things are not asked about.
    on_aws(&moto.url, &checkip)
        .session("aws ec2 describe-instances --query Reservations[0].ReservationId\naws ec2 create-key-pair --key-name k --query KeyName\nquit\nquit\n")
        .success()
        .stdout_lacks("Go ahead?");
}

#[test]
fn quitting_with_billable_leftovers_says_what_they_cost_and_offers_cleanup() {
    let moto = Moto::start();
    let checkip = checkip();
    let shell = on_aws(&moto.url, &checkip).arg("--yes");
    // The instance, its public IPv4 address and its 8 GiB root volume.
    let price = prices::hourly(DEFAULT_REGION, "t2.micro", false).expect("priced")
        + prices::instance_extras_hourly(DEFAULT_REGION, 8);
    let run = shell
        .session(&format!(
            "aws ec2 run-instances --image-id {} --instance-type t2.micro --query Instances[0].InstanceId\nquit\ncleanup\nquit\n",
            IMAGES[0].id_in(DEFAULT_REGION)
        ))
        .success()
        .stdout_has("These are still in your AWS account and may cost money:")
        .stdout_has(&format!("{} an hour", usd(price)))
        .stdout_has("Type `cleanup` to delete them")
        .stdout_has("volume vol-")
        .stdout_has("billed as storage")
        .stdout_has("cleanup: done, 2 deleted.")
        .stdout_lacks("is the one you are signed in as");
    // After the cleanup nothing is left, so the next `quit` leaves at once.
    assert!(run.stdout().trim_end().ends_with("See you next time!"));
}

#[test]
fn the_root_user_is_warned_and_refused_billable_steps() {
    let emulator = crate::emulator::start();
    let checkip = checkip();
    let root = |extra: &[&str]| {
        let mut shell = Cloudlings::new()
            .arg("--target")
            .arg("aws")
            .arg("--endpoint-url")
            .arg(emulator.endpoint())
            .env("AWS_ACCESS_KEY_ID", &emulator.credentials.access_key)
            .env("AWS_SECRET_ACCESS_KEY", &emulator.credentials.secret)
            .env("AWS_REGION", DEFAULT_REGION)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("CLOUDLINGS_CHECKIP_URL", &checkip);
        for arg in extra {
            shell = shell.arg(*arg);
        }
        shell
    };
    let launch = format!(
        "aws ec2 run-instances --image-id {} --instance-type t2.micro --query Instances[0].InstanceId\n",
        IMAGES[0].id_in(DEFAULT_REGION)
    );
    root(&["--yes"])
        .session(&format!("{launch}quit\n"))
        .success()
        .stdout_has(":root")
        .stdout_has("you are signed in as the account's root user")
        .stdout_has("Refused: this creates something billable")
        .stdout_lacks("\"i-");
    root(&["--yes"])
        .session("aws iam create-user --user-name admin\nquit\n")
        .success()
        .stdout_has("\"UserName\": \"admin\"");
    root(&["--yes", "--allow-root"])
        .session(&format!("{launch}quit\nquit\n"))
        .success()
        .stdout_has("\"i-");
}

#[test]
fn cleanup_keeps_the_user_you_are_signed_in_as() {
    let moto = Moto::start();
    let checkip = checkip();
    // moto answers every caller as the IAM user `moto`.
    let shell = on_aws(&moto.url, &checkip).arg("--yes");
    shell
        .session(
            "aws iam create-user --user-name moto\naws iam create-user --user-name admin\nquit\n",
        )
        .success();
    shell
        .run(&["cleanup"])
        .success()
        .stdout_has("the IAM user moto is the one you are signed in as, so it stays")
        .stdout_has("deleted IAM user admin")
        .stdout_lacks("deleted IAM user moto");
    let users = cli(
        &moto.url,
        &["iam", "list-users", "--query", "Users[].UserName"],
    );
    assert_eq!(users, json!(["moto"]));
}

#[test]
fn myip_asks_checkip_and_lessons_name_the_answer() {
    let moto = Moto::start();
    let checkip = checkip();
    on_aws(&moto.url, &checkip)
        .session("myip\nmyip\nquit\n")
        .success()
        .stdout_has(&format!("{PUBLIC_ADDRESS}\n"))
        .stdout_lacks("Could not ask");
}

#[test]
fn cleanup_needs_the_aws_target_and_credentials_it_can_use() {
    Cloudlings::new()
        .run(&["cleanup"])
        .failure()
        .stderr_has("cloudlings --target aws cleanup");
    let checkip = checkip();
    // Nothing answers here: the credentials cannot be checked, and cleanup says so.
    on_aws(&format!("http://127.0.0.1:{}", free_port()), &checkip)
        .run(&["cleanup"])
        .failure()
        .stderr_has("cannot ask AWS whose credentials these are");
}

#[test]
fn cleanup_takes_distributions_access_controls_objects_and_mfa_devices() {
    let moto = Moto::start();
    let checkip = checkip();
    let shell = on_aws(&moto.url, &checkip).arg("--yes");
    let bucket = "site-of-a-session";
    let origin = format!("{bucket}.s3.{DEFAULT_REGION}.amazonaws.com");
    shell
        .session(&format!(
            "aws s3 mb s3://{bucket}\n!echo hello > a.txt\naws s3 cp a.txt s3://{bucket}/a.txt\n\
             aws cloudfront create-origin-access-control --origin-access-control-config \
             Name=oac1,SigningProtocol=sigv4,SigningBehavior=always,OriginAccessControlOriginType=s3\n\
             aws cloudfront create-distribution --origin-domain-name {origin}\n\
             aws iam create-user --user-name admin\n\
             aws iam create-virtual-mfa-device --virtual-mfa-device-name phone --outfile seed.txt \
             --bootstrap-method Base32StringSeed\n\
             aws iam enable-mfa-device --user-name admin --serial-number \
             arn:aws:iam::123456789012:mfa/phone --authentication-code1 123456 \
             --authentication-code2 654321\nquit\nquit\n"
        ))
        .success();
    let before = tagged_resources(&moto.url);
    for kind in [
        "bucket",
        "distribution",
        "origin access control",
        "user",
        "MFA device",
    ] {
        assert!(
            before.iter().any(|item| item.starts_with(kind)),
            "{kind} made: {before:?}"
        );
    }
    // Tagged after they were made, by the calls AWS has for it.
    let arn = cli(
        &moto.url,
        &[
            "cloudfront",
            "list-distributions",
            "--query",
            "DistributionList.Items[0].ARN",
        ],
    );
    let tags = cli(
        &moto.url,
        &[
            "cloudfront",
            "list-tags-for-resource",
            "--resource",
            arn.as_str().expect("arn"),
        ],
    );
    assert!(tags.to_string().contains("cloudlings:session"), "{tags}");
    let tags = cli(
        &moto.url,
        &["s3api", "get-bucket-tagging", "--bucket", bucket],
    );
    assert!(tags.to_string().contains("cloudlings:session"), "{tags}");

    let cleanup = shell.run(&["cleanup"]).success();
    for deleted in [
        "deleted bucket site-of-a-session",
        "deleted distribution",
        "deleted origin access control",
        "deleted MFA device arn:aws:iam::123456789012:mfa/phone",
        "deleted IAM user admin",
    ] {
        assert!(
            cleanup.stdout().contains(deleted),
            "{deleted}:\n{}",
            cleanup.stdout()
        );
    }
    assert_eq!(tagged_resources(&moto.url), Vec::<String>::new());
}

#[test]
fn an_unreadable_journal_is_set_aside_and_tags_still_find_what_it_listed() {
    let moto = Moto::start();
    let checkip = checkip();
    let shell = on_aws(&moto.url, &checkip).arg("--yes");
    shell
        .session("aws iam create-user --user-name admin\nquit\n")
        .success();
    std::fs::write(account_dir(&shell).join("journal.json"), "{ torn").expect("write");
    let run = shell.run(&["cleanup", "--all"]).success();
    assert!(
        run.stderr().contains("could not be read"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stdout().contains("deleted IAM user admin"),
        "{}",
        run.stdout()
    );
    let kept: Vec<_> = std::fs::read_dir(account_dir(&shell))
        .expect("data dir")
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().contains("unreadable"))
        .collect();
    assert_eq!(kept.len(), 1, "the torn journal is kept aside");
}

#[test]
fn secrets_stay_out_of_the_output_even_in_trace_logs() {
    let moto = Moto::start();
    let checkip = checkip();
    let shell = on_aws(&moto.url, &checkip)
        .arg("--yes")
        .env("CLOUDLINGS_LOG", "trace");
    let run = shell
        .session(
            "aws ec2 create-key-pair --key-name lecture --query KeyMaterial --output text > key.pem\n\
             aws ec2 create-key-pair --key-name shown\n\
             aws iam create-virtual-mfa-device --virtual-mfa-device-name phone --outfile seed.txt \
             --bootstrap-method Base32StringSeed\nquit\n",
        )
        .success()
        .stdout_has("\"KeyMaterial\": \"(saved to shown.pem)\"")
        .stdout_has("so it was saved to shown.pem (readable by you only) instead of shown");
    let everything = format!("{}{}", run.stdout(), run.stderr());
    assert!(everything.len() > 10_000, "trace logs were written");
    assert!(!everything.contains(SECRET), "the secret key was logged");
    let pem = std::fs::read_to_string(shell.work_dir().join("key.pem")).expect("key.pem");
    // Whole lines of the key (a short last line could turn up in a megabyte of logs by chance).
    let body: Vec<&str> = pem.lines().filter(|line| line.len() >= 40).collect();
    assert!(!body.is_empty());
    for line in body {
        assert!(
            !everything.contains(line),
            "key material was logged: {line}"
        );
    }
    let seed = std::fs::read_to_string(shell.work_dir().join("seed.txt")).expect("seed");
    assert!(!everything.contains(seed.trim()), "the MFA seed was logged");
    // A key that would have been printed is in its own file, readable by its owner only.
    let shown = shell.work_dir().join("shown.pem");
    let key = std::fs::read_to_string(&shown).expect("shown.pem");
    assert!(key.contains("PRIVATE KEY"));
    for line in key.lines().filter(|line| line.len() >= 40) {
        assert!(!everything.contains(line), "printed key material: {line}");
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&shown)
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o400);
}

/// A one-step lesson that moves the emulator's clock and reads its bill, with its AWS way.
const CLOCK_LESSON: &str = r#"
format_version = 1
id = "clocked"
order = 1
title = { en = "Clocked", ko = "시계" }
summary = { en = "s", ko = "s" }
overview = { minutes = 5, builds = { en = "b", ko = "b" } }

[[steps]]
id = "wait-an-hour"
kind = "task"
text = { en = "Move the clock an hour.", ko = "시계를 한 시간 돌리세요." }
solution = ["clock advance 1h", "bill"]

[[steps.checks]]
label = { en = "an hour is on the bill", ko = "청구서에 한 시간이 있다" }
reason = { en = "Not yet.", ko = "아직입니다." }
probe.emulator = "bill"
query = "length(Lines)"
expect = ">"
value = 0

[[steps.checks]]
label = { en = "the lab folder is there", ko = "실습 폴더가 있다" }
reason = { en = "Make it.", ko = "만드세요." }
probe.file = "lab"
query = "exists"
expect = "=="
value = true

[steps.on_aws]
text = { en = "On AWS, read `bill` and make the folder.", ko = "AWS에서는 `bill`을 읽고 폴더를 만드세요." }
solution = ["bill", "!mkdir lab"]
"#;

#[test]
fn a_step_shows_its_aws_way_and_skips_what_only_the_emulator_sees() {
    let moto = Moto::start();
    let checkip = checkip();
    let lessons = tempfile::tempdir().expect("lessons");
    std::fs::write(lessons.path().join("clocked.toml"), CLOCK_LESSON).expect("write");
    let lessons_dir = lessons.path().display().to_string();
    let shell = on_aws(&moto.url, &checkip)
        .arg("--lessons")
        .arg(lessons_dir.as_str());
    let run = shell
        .session("start\ncheck\nsolution\nclock advance 1h\n!mkdir lab\ncheck\nquit\n")
        .success()
        .stdout_has("On a real AWS account:\nOn AWS, read `bill` and make the folder.")
        .stdout_has(
            "– an hour is on the bill (not checked on this target: only the emulator can see it)",
        )
        .stdout_has("  ✗ the lab folder is there")
        .stdout_has("  !mkdir lab")
        .stdout_has("On AWS the clock is the real one")
        .stdout_has("  ✓ the lab folder is there")
        .stdout_has("1/1 passed");
    assert!(
        !run.stdout().contains("  clock advance 1h\n"),
        "the AWS solution is shown"
    );

    // On the emulator the same step is the emulator's: its solution, both checks.
    let emulated = Cloudlings::new().arg("--lessons").arg(lessons_dir.as_str());
    emulated
        .session("start\ncheck\nsolution\nquit\n")
        .success()
        .stdout_lacks("On a real AWS account:")
        .stdout_has("  ✗ an hour is on the bill")
        .stdout_has("  clock advance 1h");
}

#[test]
fn starting_a_stopped_instance_is_asked_about_too() {
    let moto = Moto::start();
    let checkip = checkip();
    let launched = cli(
        &moto.url,
        &[
            "ec2",
            "run-instances",
            "--image-id",
            &IMAGES[0].id_in(DEFAULT_REGION),
            "--instance-type",
            "t2.micro",
            "--query",
            "Instances[0].InstanceId",
        ],
    );
    let id = launched.as_str().expect("an instance id").to_string();
    cli(&moto.url, &["ec2", "stop-instances", "--instance-ids", &id]);
    // Started again, it runs and gets a new public IPv4 address (its volume billed all along).
    let price = usd(
        prices::hourly(DEFAULT_REGION, "t2.micro", false).expect("priced")
            + prices::public_ipv4_hourly(DEFAULT_REGION),
    );
    on_aws(&moto.url, &checkip)
        .session(&format!(
            "aws ec2 start-instances --instance-ids {id}\nno\nquit\n"
        ))
        .success()
        .stdout_has("This starts stopped instances, billed per second again while they run:")
        .stdout_has(&format!("  {id} (t2.micro): {price} an hour"))
        .stdout_has("Cancelled: the command did not run.");
    let state = cli(
        &moto.url,
        &[
            "ec2",
            "describe-instances",
            "--instance-ids",
            &id,
            "--query",
            "Reservations[0].Instances[0].State.Name",
        ],
    );
    assert_eq!(state, json!("stopped"), "no answer, no start");
}

#[test]
fn on_a_terminal_the_question_is_a_prompt_and_cleanup_reports_each_resource() {
    use expectrl::{Expect, Session};
    let moto = Moto::start();
    let checkip = checkip();
    let shell = on_aws(&moto.url, &checkip);
    let mut command = shell.command();
    command
        .arg("--lang")
        .arg("en")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let mut term = Session::spawn(command).expect("spawn on a pty");
    term.set_expect_timeout(Some(Duration::from_secs(20)));
    term.expect("cloudlings › ").expect("first prompt");
    term.send(format!(
        "aws ec2 run-instances --image-id {} --instance-type t2.micro --query Instances[0].InstanceId\r",
        IMAGES[0].id_in(DEFAULT_REGION)
    ))
    .expect("type");
    term.expect("Go ahead?").expect("the question");
    term.expect("[y/N] › ").expect("asked at the prompt");
    term.send("y\r").expect("answer");
    term.expect("\"i-").expect("launched");
    term.expect("cloudlings › ").expect("back at the prompt");
    term.send("cleanup\r").expect("type");
    term.expect("deleted instance i-")
        .expect("a line per resource");
    term.expect("cleanup: done, 2 deleted.").expect("done");
    term.send("quit\r").expect("quit");
    term.expect("See you next time!")
        .expect("nothing left to warn of");
}
