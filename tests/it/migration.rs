//! The state file of the previous version (`state.json`, one JSON document with each
//! instance's disk inside it) is moved into the database on first start, and everything in it
//! is there afterwards: through aws-sdk-rust, OpenSSH and S3, and again after a restart.
//!
//! The fixture (`tests/fixtures/state-v1/`) was made by that version's shell: a key pair
//! saved as `fixture.pem`, a security group open on port 22, a running Ubuntu instance on
//! whose disk `notes.txt` was written over SSH, a bucket holding `hello.txt`, and a virtual
//! MFA device.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use cloudlings_emulator::Emulator;
use cloudlings_emulator::net::openssh;

use crate::emulator::root;
use crate::instances::ssh_command;
use crate::{BIN, repo};

/// A copy of the fixture's state directory, and the key pair's private key beside it.
fn fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let from = repo("tests/fixtures/state-v1");
    let state = dir.path().join("emulator");
    std::fs::create_dir_all(state.join("objects")).expect("objects dir");
    std::fs::copy(from.join("state.json"), state.join("state.json")).expect("state");
    for object in std::fs::read_dir(from.join("objects")).expect("objects") {
        let object = object.expect("object").path();
        std::fs::copy(
            &object,
            state
                .join("objects")
                .join(object.file_name().expect("name")),
        )
        .expect("object");
    }
    let key = dir.path().join("fixture.pem");
    std::fs::copy(from.join("fixture.pem"), &key).expect("key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o400)).expect("chmod");
    (dir, state, key)
}

/// What the fixture's instance has in `notes.txt`, read over OpenSSH.
fn notes(emulator: &Emulator, home: &Path, key: &Path, dns: &str) -> String {
    std::fs::write(
        home.join(openssh::CONFIG_FILE),
        openssh::config(Path::new(BIN), home),
    )
    .expect("ssh config");
    let output = ssh_command(home, key, &format!("ubuntu@{dns}"), &emulator.endpoint())
        .arg("cat notes.txt")
        .output()
        .expect("run ssh");
    assert!(
        output.status.success(),
        "ssh: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Everything the fixture holds, as a learner's tools see it.
async fn assert_everything_is_there(emulator: &Emulator, home: &Path, key: &Path) {
    let config = root(emulator);
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let pairs = ec2.describe_key_pairs().send().await.expect("key pairs");
    assert!(
        pairs
            .key_pairs()
            .iter()
            .any(|pair| pair.key_name() == Some("fixture"))
    );
    let groups = ec2
        .describe_security_groups()
        .group_names("fixture-web")
        .send()
        .await
        .expect("groups");
    let ports: Vec<Option<i32>> = groups.security_groups()[0]
        .ip_permissions()
        .iter()
        .map(|permission| permission.from_port())
        .collect();
    assert_eq!(ports, [Some(22)]);
    let described = ec2.describe_instances().send().await.expect("instances");
    let instance = &described.reservations()[0].instances()[0];
    assert_eq!(
        instance
            .state()
            .and_then(|state| state.name())
            .map(|n| n.as_str()),
        Some("running")
    );
    assert_eq!(instance.key_name(), Some("fixture"));
    let dns = instance.public_dns_name().expect("dns").to_string();

    let iam = aws_sdk_iam::Client::new(&config);
    let devices = iam
        .list_virtual_mfa_devices()
        .send()
        .await
        .expect("MFA devices");
    assert!(
        devices
            .virtual_mfa_devices()
            .iter()
            .any(|device| device.serial_number().ends_with(":mfa/fixture-mfa"))
    );

    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&config)
            .force_path_style(true)
            .build(),
    );
    let object = s3
        .get_object()
        .bucket("cloudlings-fixture-bucket")
        .key("hello.txt")
        .send()
        .await
        .expect("object");
    let bytes = object.body.collect().await.expect("body").into_bytes();
    assert_eq!(&bytes[..], b"hello from before the move\n");

    assert_eq!(
        notes(emulator, home, key, &dns),
        "written before the move\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_state_file_of_the_previous_version_moves_into_the_database() {
    let (home, state, key) = fixture();
    let before: serde_json::Value =
        serde_json::from_slice(&std::fs::read(state.join("state.json")).expect("read"))
            .expect("json");
    let emulator = Emulator::start(0, Some(&state)).expect("start on the old state");
    // The installation keeps its keys: the shell's saved progress and history still match.
    assert_eq!(
        Some(emulator.credentials.access_key.as_str()),
        before["root_key"].as_str()
    );
    assert!(state.join("state.db").exists());
    assert!(!state.join("state.json").exists());
    assert!(
        state.join("state.json.migrated").exists(),
        "the old file is kept"
    );
    assert_everything_is_there(&emulator, home.path(), &key).await;
    drop(emulator);

    // Read back from the database alone.
    let again = Emulator::start(0, Some(&state)).expect("restart");
    assert_eq!(
        again.credentials.access_key,
        before["root_key"].as_str().expect("key")
    );
    assert_everything_is_there(&again, home.path(), &key).await;
}
