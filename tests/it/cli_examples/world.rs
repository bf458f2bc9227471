//! The fixture world the examples run in, and what each of their made-up ids stands for in it.
//!
//! The examples name things that do not exist: `i-1234567890abcdef0`, `sg-903004f8`, account
//! `123456789012`, distribution `EDFDVBD6EXAMPLE`. Before they run, the emulator is given one
//! of each (an instance, a security group, a bucket with objects, a user with a key and an MFA
//! device, a distribution), and [`PLACEHOLDERS`] says which of them each made-up id becomes.
//! Names the emulator lets anyone choose (`amzn-s3-demo-bucket`, `my-key-pair`, `Paulo`) are
//! made under the example's own name, so they need no entry.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use cloudlings_emulator::{Emulator, mfa};
use md5::{Digest, Md5};
use serde_json::Value;

use super::driver::{Call, Driver};

/// What a made-up id of the examples becomes in the emulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Real {
    /// The emulator's account id.
    Account,
    /// The fixture instance: Ubuntu, t2.micro, in the fixture group, with the fixture key.
    Instance,
    /// A Windows instance, which has an administrator password to get.
    WindowsInstance,
    /// The private key of the Windows instance, as a file.
    WindowsKeyFile,
    /// The Ubuntu image the fixture instance runs.
    Image,
    /// The same image in us-east-1, where an image has another id.
    ImageInUsEast1,
    /// A small local file, for the preparations that put an object back.
    FixtureFile,
    /// The fixture security group.
    Group,
    /// A second group, for rules whose source is another group.
    PeerGroup,
    /// The id of the fixture group's first rule.
    GroupRule,
    DefaultVpc,
    DefaultSubnet,
    /// The fixture distribution, made from the configuration the examples disable it with.
    Distribution,
    /// The fixture distribution's current ETag, read just before the example runs.
    DistributionEtag,
    /// The serial number of Bob's virtual MFA device.
    MfaSerial,
    /// Two consecutive codes of Bob's device, as EnableMFADevice asks, and the current one.
    MfaFirstCode,
    MfaSecondCode,
    MfaCode,
    /// The ETag (MD5) of the local file `partNN` for part N of a multipart upload.
    PartEtag(u8),
    /// A value an earlier example printed (see [`super::verdicts::CAPTURES`]).
    Captured(&'static str),
    /// A fixed replacement: a Windows path made local, a name made distinct.
    Text(&'static str),
}

/// Every made-up id in the examples run, and what it becomes. A placeholder not listed is
/// either a name made as it is, or an id that cannot be made (see the skip list).
pub const PLACEHOLDERS: &[(&str, Real)] = &[
    ("123456789012", Real::Account),
    ("210987654321", Real::Account),
    ("i-1234567890abcdef0", Real::Instance),
    ("i-1234567890abcdef5", Real::Instance),
    ("i-1234567890abcdef8", Real::Instance),
    ("i-0123a456700123456", Real::Instance),
    ("ami-0abcdef1234567890", Real::Image),
    ("ami-1234567890abcdef0", Real::Image),
    ("ami-1234567890EXAMPLE", Real::Image),
    ("ami-1a2b3c4d", Real::Image),
    ("sg-1234567890abcdef0", Real::Group),
    ("sg-903004f8", Real::Group),
    ("sg-0b0384b66d7d692f9", Real::Group),
    ("sg-04a351bfe432d4e71", Real::Group),
    ("sg-026c12253ce15eff7", Real::Group),
    ("sg-07e789d0fb10492ee", Real::Group),
    ("sg-1a2b3c4d", Real::PeerGroup),
    ("sg-0aad1c26bbeec5c22", Real::PeerGroup),
    ("sg-06df23a01ff2df86d", Real::PeerGroup),
    ("sgr-cdef01234567890ab", Real::GroupRule),
    ("vpc-06e4ab6c6cEXAMPLE", Real::DefaultVpc),
    ("vpc-3EXAMPLE", Real::DefaultVpc),
    ("vpc-1a2b3c4d", Real::DefaultVpc),
    ("vpc-1234567890abcdef0", Real::DefaultVpc),
    ("subnet-08fc749671b2d077c", Real::DefaultSubnet),
    ("subnet-1234567890abcdef0", Real::DefaultSubnet),
    ("EDFDVBD6EXAMPLE", Real::Distribution),
    ("EMLARXS9EXAMPLE", Real::Distribution),
    ("E2QWRUHEXAMPLE", Real::DistributionEtag),
    ("I2J0I21PCUYOIK", Real::Captured("invalidation")),
    (
        "dfRtDYU0WWCCcH43C3WFbkRONycyCpTJJvxu2i5GYkZljF.Yxwh6XG7WfS2vC4to6HiV6Yjlx.\
         cph0gtNBtJ8P3URCSbB7rjxI5iEwVDmgaXZOGgkk5nVTW16HOQ5l0R",
        Real::Captured("upload"),
    ),
    ("e868e0f4719e394144ef36531ee6824c", Real::PartEtag(1)),
    ("6bb2b12753d66fe86da4998aa33fffb0", Real::PartEtag(2)),
    ("d0a0112e841abec9c9ec83406f0159c8", Real::PartEtag(3)),
    ("AKIAIOSFODNN7EXAMPLE", Real::Captured("access-key")),
    ("AKIDPMS9RO4H3FEXAMPLE", Real::Captured("access-key")),
    ("C:/QRCode.png", Real::Text("QRCode.png")),
    (super::verdicts::FIXTURE_FILE, Real::FixtureFile),
    // `C:\Keys\MyKeyPair.pem`, as a POSIX shell passes it on: without its backslashes.
    ("C:KeysMyKeyPair.pem", Real::WindowsKeyFile),
    (
        "/media/videos/f-sharp-3-data-services.mp4",
        Real::Text("f-sharp-3-data-services.mp4"),
    ),
];

/// Files every example finds in its working directory, as the examples' prose describes them.
const LOCAL_FILES: &[(&str, &str)] = &[
    ("test.txt", "hello from test.txt\n"),
    ("file.txt", "hello from file.txt\n"),
    ("mydoc.txt", "a document\n"),
    ("MySampleImage.png", "not really a PNG\n"),
    ("f-sharp-3-data-services.mp4", "not really a video\n"),
    ("my_script.txt", "#!/bin/bash\necho hello\n"),
    ("myDir/notes.txt", "notes\n"),
    ("myDir/photo.jpg", "not really a JPEG\n"),
    ("myDir/sub/more.txt", "more notes\n"),
];

/// Objects of the fixture buckets: bucket, key, size in bytes.
const OBJECTS: &[(&str, &str, usize)] = &[
    ("amzn-s3-demo-bucket", "test.txt", 20),
    ("amzn-s3-demo-bucket", "index.html", 40),
    ("amzn-s3-demo-bucket", "stream.txt", 30),
    ("amzn-s3-demo-bucket", "photo.jpg", 50),
    ("amzn-s3-demo-bucket", "another/test1.txt", 10),
    ("amzn-s3-demo-bucket", "logs/today.log", 10),
    ("amzn-s3-demo-bucket", "MySecretFolder/secret.txt", 10),
    ("amzn-s3-demo-bucket2", "existing.txt", 10),
    ("text-content", "dir/my_images.tar.bz2", 100),
    ("text-content", "dir/my_data", 12_000),
    ("my-us-west-2-bucket", "west.txt", 10),
    ("my-us-east-1-bucket", "east.txt", 10),
];

/// The size of the parts of the multipart upload examples: every part but the last must be
/// at least 5 MiB, as S3 asks.
const PART_SIZE: usize = 5 * 1024 * 1024;

/// The fixtures, made; and the values captured from examples as they run.
pub struct World {
    pub home: PathBuf,
    values: BTreeMap<Real, String>,
    seed: Vec<u8>,
    bob_keys: (String, String),
}

impl World {
    /// Makes the fixtures through the CLI, as the root user.
    pub fn make(emulator: &Emulator, driver: &mut Driver, home: &Path) -> World {
        let mut values = BTreeMap::new();
        values.insert(Real::Account, emulator.credentials.account.clone());
        let mut cli = |args: &[&str]| -> Value { must(driver, home, args, &[]) };

        // EC2: a key pair, two groups, an Ubuntu and a Windows instance.
        cli(&["ec2", "create-key-pair", "--key-name", "my-key-pair"]);
        let windows_key = cli(&["ec2", "create-key-pair", "--key-name", "corpus-windows"]);
        let key_file = home.join("corpus-windows.pem");
        std::fs::write(&key_file, windows_key["KeyMaterial"].as_str().expect("key"))
            .expect("save the key");
        // OpenSSH reads only a private key no one else can.
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600))
            .expect("chmod 600");
        values.insert(Real::WindowsKeyFile, key_file.display().to_string());
        let vpc = cli(&[
            "ec2",
            "describe-vpcs",
            "--filters",
            "Name=is-default,Values=true",
        ]);
        let vpc = text(&vpc["Vpcs"][0]["VpcId"]);
        let subnet = cli(&[
            "ec2",
            "describe-subnets",
            "--filters",
            "Name=default-for-az,Values=true",
        ]);
        values.insert(Real::DefaultSubnet, text(&subnet["Subnets"][0]["SubnetId"]));
        values.insert(Real::DefaultVpc, vpc);
        for (name, real) in [
            ("corpus-web", Real::Group),
            ("corpus-peer", Real::PeerGroup),
        ] {
            let group = cli(&[
                "ec2",
                "create-security-group",
                "--group-name",
                name,
                "--description",
                "the example corpus",
            ]);
            values.insert(real, text(&group["GroupId"]));
        }
        let group = values[&Real::Group].clone();
        cli(&[
            "ec2",
            "authorize-security-group-ingress",
            "--group-id",
            &group,
            "--protocol",
            "tcp",
            "--port",
            "22",
            "--cidr",
            "0.0.0.0/0",
        ]);
        let rules = cli(&[
            "ec2",
            "describe-security-group-rules",
            "--filters",
            &format!("Name=group-id,Values={group}"),
        ]);
        values.insert(
            Real::GroupRule,
            text(&rules["SecurityGroupRules"][0]["SecurityGroupRuleId"]),
        );
        let image = |name: &str, cli: &mut dyn FnMut(&[&str]) -> Value| {
            let images = cli(&[
                "ec2",
                "describe-images",
                "--owners",
                "amazon",
                "099720109477",
                "--filters",
                &format!("Name=name,Values={name}"),
            ]);
            text(&images["Images"][0]["ImageId"])
        };
        let ubuntu = image(
            "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*",
            &mut cli,
        );
        let windows = image("Windows_Server-2022-English-Full-Base-*", &mut cli);
        for (image, key, real) in [
            (&ubuntu, "my-key-pair", Real::Instance),
            (&windows, "corpus-windows", Real::WindowsInstance),
        ] {
            let run = cli(&[
                "ec2",
                "run-instances",
                "--image-id",
                image,
                "--instance-type",
                "t3.micro",
                "--key-name",
                key,
                "--security-group-ids",
                &group,
                "--tag-specifications",
                "ResourceType=instance,Tags=[{Key=Owner,Value=my-team}]",
            ]);
            values.insert(real, text(&run["Instances"][0]["InstanceId"]));
        }
        values.insert(Real::Image, ubuntu);
        let east = cli(&[
            "ec2",
            "describe-images",
            "--region",
            "us-east-1",
            "--owners",
            "099720109477",
            "--filters",
            "Name=name,Values=ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*",
        ]);
        values.insert(Real::ImageInUsEast1, text(&east["Images"][0]["ImageId"]));

        // IAM: Bob, with a key and a virtual MFA device not yet enabled; Paulo; Carol, with
        // nothing attached, for the example that deletes a user.
        for user in ["Bob", "Paulo", "Carol"] {
            cli(&["iam", "create-user", "--user-name", user]);
        }
        let key = cli(&["iam", "create-access-key", "--user-name", "Bob"]);
        let bob_keys = (
            text(&key["AccessKey"]["AccessKeyId"]),
            text(&key["AccessKey"]["SecretAccessKey"]),
        );
        let device = cli(&[
            "iam",
            "create-virtual-mfa-device",
            "--virtual-mfa-device-name",
            "corpus-bob",
            "--outfile",
            "corpus-bob.seed",
            "--bootstrap-method",
            "Base32StringSeed",
        ]);
        values.insert(
            Real::MfaSerial,
            text(&device["VirtualMFADevice"]["SerialNumber"]),
        );
        let seed = std::fs::read_to_string(home.join("corpus-bob.seed")).expect("the seed");
        let seed = mfa::from_base32(&seed).expect("a base32 seed");

        // S3: the buckets the examples name, with objects, and the public key import reads.
        let mut buckets: Vec<&str> = OBJECTS.iter().map(|(bucket, ..)| *bucket).collect();
        buckets.dedup();
        for bucket in buckets {
            cli(&["s3", "mb", &format!("s3://{bucket}")]);
        }
        let objects = home.join("objects");
        std::fs::create_dir_all(&objects).expect("objects dir");
        for (bucket, key, size) in OBJECTS {
            let body = objects.join("body");
            std::fs::write(&body, filler(*size)).expect("object body");
            cli(&[
                "s3api",
                "put-object",
                "--bucket",
                bucket,
                "--key",
                key,
                "--body",
                &body.display().to_string(),
            ]);
        }
        let fixture = home.join("fixture.txt");
        std::fs::write(&fixture, filler(20)).expect("fixture.txt");
        values.insert(Real::FixtureFile, fixture.display().to_string());
        let ssh = home.join(".ssh");
        std::fs::create_dir_all(&ssh).expect(".ssh");
        let public = std::process::Command::new("ssh-keygen")
            .args(["-y", "-f"])
            .arg(&key_file)
            .output()
            .expect("ssh-keygen");
        assert!(public.status.success(), "ssh-keygen -y");
        std::fs::write(ssh.join("my-key.pub"), public.stdout).expect("my-key.pub");

        World {
            home: home.to_path_buf(),
            values,
            seed,
            bob_keys,
        }
    }

    /// Makes the fixture distribution from the configuration `config` (the one an example
    /// disables it with), enabled.
    pub fn make_distribution(&mut self, driver: &mut Driver, config: &str) {
        let mut config: Value = serde_json::from_str(config).expect("a distribution config");
        config["Enabled"] = Value::Bool(true);
        let file = self.home.join("corpus-distribution.json");
        std::fs::write(&file, config.to_string()).expect("write the config");
        let made = must(
            driver,
            &self.home,
            &[
                "cloudfront",
                "create-distribution",
                "--distribution-config",
                &format!("file://{}", file.display()),
            ],
            &[],
        );
        self.values
            .insert(Real::Distribution, text(&made["Distribution"]["Id"]));
    }

    /// Bob's access key, as the environment of a command he runs.
    pub fn as_bob(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", self.bob_keys.0.clone()),
            ("AWS_SECRET_ACCESS_KEY", self.bob_keys.1.clone()),
        ]
    }

    pub fn capture(&mut self, name: &'static str, value: String) {
        self.values.insert(Real::Captured(name), value);
    }

    /// The value of `real` now, or `None` if it has not been made (a capture whose example
    /// did not pass).
    pub fn value(&self, real: Real, driver: &mut Driver) -> Option<String> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("time")
            .as_secs();
        match real {
            Real::Text(text) => Some(text.to_string()),
            Real::MfaFirstCode => Some(mfa::code_at(&self.seed, now - 30)),
            Real::MfaSecondCode => Some(mfa::code_at(&self.seed, now)),
            Real::MfaCode => Some(mfa::code_at(&self.seed, now)),
            Real::PartEtag(n) => Some(hex::encode(Md5::digest(part(n)))),
            Real::DistributionEtag => {
                let id = self.values.get(&Real::Distribution)?;
                let got = must(
                    driver,
                    &self.home,
                    &["cloudfront", "get-distribution-config", "--id", id],
                    &[],
                );
                Some(text(&got["ETag"]))
            }
            other => self.values.get(&other).cloned(),
        }
    }

    /// Puts the files an example may read in its working directory.
    pub fn local_files(&self, dir: &Path, parts: bool) {
        for (name, contents) in LOCAL_FILES {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("dir");
            std::fs::write(path, contents).expect("a local file");
        }
        if parts {
            for n in 1..=3 {
                std::fs::write(dir.join(format!("part{n:02}")), part(n)).expect("a part");
            }
        }
    }
}

/// The bytes of part `n` of the multipart examples: the last is small, as S3 allows.
fn part(n: u8) -> Vec<u8> {
    let size = if n == 3 { 1024 } else { PART_SIZE };
    vec![b'a' + n; size]
}

fn filler(size: usize) -> Vec<u8> {
    b"cloudlings example corpus\n"
        .iter()
        .copied()
        .cycle()
        .take(size)
        .collect()
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("a string, not {value}"))
        .to_string()
}

/// Runs a fixture command that must succeed, and returns its JSON output.
pub fn must(
    driver: &mut Driver,
    cwd: &Path,
    args: &[&str],
    env: &[(&'static str, String)],
) -> Value {
    let argv: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let outcome = driver.run(
        cwd,
        Call {
            argv: &argv,
            env: env.to_vec(),
            ..Call::default()
        },
    );
    assert_eq!(
        outcome.rc,
        0,
        "fixture `aws {}` failed:\n{}",
        args.join(" "),
        outcome.stderr
    );
    // `aws s3` commands print text, not JSON.
    serde_json::from_str(&outcome.stdout).unwrap_or(Value::Null)
}
