//! IAM and STS through aws-sdk-rust: users and their keys, virtual MFA with real TOTP codes,
//! and MFA-protected session credentials.

use aws_sdk_iam::Client as Iam;
use aws_sdk_sts::Client as Sts;
use cloudlings_emulator::mfa;

use crate::emulator::{code, config, root, start};

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs()
}

/// IAM user names are unique whatever their case: with Admin there, admin cannot be made, and
/// the way out that lesson 3 gives (delete Admin, then create admin) works.
#[tokio::test]
async fn user_names_are_unique_ignoring_case() {
    let emulator = start();
    let iam = Iam::new(&root(&emulator));
    iam.create_user()
        .user_name("Admin")
        .send()
        .await
        .expect("CreateUser Admin");
    for name in ["admin", "ADMIN", "Admin"] {
        let again = iam
            .create_user()
            .user_name(name)
            .send()
            .await
            .expect_err("the same name in other capitals");
        assert_eq!(code(&again), "EntityAlreadyExists", "{name}");
    }
    let lookup = iam
        .get_user()
        .user_name("admin")
        .send()
        .await
        .expect_err("only Admin exists");
    assert_eq!(code(&lookup), "NoSuchEntity");
    let users = iam.list_users().send().await.expect("ListUsers");
    let names: Vec<&str> = users.users().iter().map(|u| u.user_name()).collect();
    assert_eq!(names, ["Admin"]);

    iam.delete_user()
        .user_name("Admin")
        .send()
        .await
        .expect("DeleteUser Admin");
    iam.create_user()
        .user_name("admin")
        .send()
        .await
        .expect("CreateUser admin once Admin is gone");
}

#[tokio::test]
async fn users_and_their_access_keys() {
    let emulator = start();
    let iam = Iam::new(&root(&emulator));
    let user = iam
        .create_user()
        .user_name("alice")
        .send()
        .await
        .expect("CreateUser");
    let account = &emulator.credentials.account;
    assert_eq!(
        user.user().map(|u| u.arn()),
        Some(format!("arn:aws:iam::{account}:user/alice").as_str())
    );
    let again = iam
        .create_user()
        .user_name("alice")
        .send()
        .await
        .expect_err("duplicate");
    assert_eq!(code(&again), "EntityAlreadyExists");
    let bad = iam
        .create_user()
        .user_name("no spaces")
        .send()
        .await
        .expect_err("invalid");
    assert_eq!(code(&bad), "ValidationError");

    let key = iam
        .create_access_key()
        .user_name("alice")
        .send()
        .await
        .expect("CreateAccessKey");
    let key = key.access_key().expect("key");
    let alice = Sts::new(&config(
        &emulator,
        key.access_key_id(),
        key.secret_access_key(),
    ));
    let identity = alice
        .get_caller_identity()
        .send()
        .await
        .expect("alice signs");
    assert_eq!(
        identity.arn(),
        Some(format!("arn:aws:iam::{account}:user/alice").as_str())
    );

    iam.create_access_key()
        .user_name("alice")
        .send()
        .await
        .expect("second key");
    let third = iam
        .create_access_key()
        .user_name("alice")
        .send()
        .await
        .expect_err("quota");
    assert_eq!(code(&third), "LimitExceeded");
    let listed = iam
        .list_access_keys()
        .user_name("alice")
        .send()
        .await
        .expect("ListAccessKeys");
    assert_eq!(listed.access_key_metadata().len(), 2);

    let conflict = iam
        .delete_user()
        .user_name("alice")
        .send()
        .await
        .expect_err("has keys");
    assert_eq!(code(&conflict), "DeleteConflict");
    iam.update_access_key()
        .user_name("alice")
        .access_key_id(key.access_key_id())
        .status(aws_sdk_iam::types::StatusType::Inactive)
        .send()
        .await
        .expect("deactivate");
    let refused = alice
        .get_caller_identity()
        .send()
        .await
        .expect_err("an inactive key");
    assert_eq!(
        refused.as_service_error().and_then(|e| e.meta().code()),
        Some("InvalidClientTokenId")
    );
    for meta in listed.access_key_metadata() {
        iam.delete_access_key()
            .user_name("alice")
            .access_key_id(meta.access_key_id().expect("id"))
            .send()
            .await
            .expect("delete key");
    }
    iam.delete_user()
        .user_name("alice")
        .send()
        .await
        .expect("DeleteUser");
    let users = iam.list_users().send().await.expect("ListUsers");
    assert!(users.users().is_empty());
}

#[tokio::test]
async fn virtual_mfa_with_two_consecutive_codes_and_an_mfa_session() {
    let emulator = start();
    let iam = Iam::new(&root(&emulator));
    let created = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("root-mfa")
        .send()
        .await
        .expect("CreateVirtualMFADevice");
    let device = created.virtual_mfa_device().expect("device");
    let serial = device.serial_number().to_string();
    let base32 = String::from_utf8(device.base32_string_seed().expect("seed").as_ref().to_vec())
        .expect("utf-8");
    assert_eq!(base32.len(), 64);
    assert!(
        device
            .qr_code_png()
            .expect("png")
            .as_ref()
            .starts_with(b"\x89PNG")
    );
    let seed = mfa::from_base32(&base32).expect("base32");

    let summary = iam.get_account_summary().send().await.expect("summary");
    assert_eq!(
        summary
            .summary_map()
            .and_then(|m| m.get(&aws_sdk_iam::types::SummaryKeyType::AccountMfaEnabled)),
        Some(&0)
    );

    let now = unix_now();
    let (first, second) = (mfa::code_at(&seed, now - 30), mfa::code_at(&seed, now));
    let sts = Sts::new(&root(&emulator));
    let reversed = iam_enable(&emulator, &serial, &second, &first)
        .await
        .expect_err("codes in the wrong order");
    assert_eq!(code(&reversed), "InvalidAuthenticationCode");
    iam_enable(&emulator, &serial, &first, &second)
        .await
        .expect("EnableMFADevice");
    let summary = iam.get_account_summary().send().await.expect("summary");
    assert_eq!(
        summary
            .summary_map()
            .and_then(|m| m.get(&aws_sdk_iam::types::SummaryKeyType::AccountMfaEnabled)),
        Some(&1)
    );
    let devices = iam.list_mfa_devices().send().await.expect("ListMFADevices");
    assert_eq!(devices.mfa_devices()[0].serial_number(), serial);
    let assigned = iam
        .list_virtual_mfa_devices()
        .assignment_status(aws_sdk_iam::types::AssignmentStatusType::Assigned)
        .send()
        .await
        .expect("ListVirtualMFADevices");
    let user = assigned.virtual_mfa_devices()[0]
        .user()
        .expect("assigned to the root user");
    assert_eq!(
        user.arn(),
        format!("arn:aws:iam::{}:root", emulator.credentials.account)
    );
    let me = iam.get_user().send().await.expect("GetUser");
    assert_eq!(
        me.user().map(|u| u.user_id()),
        Some(emulator.credentials.account.as_str())
    );

    let bad_code = if mfa::code_now(&seed) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let refused = sts
        .get_session_token()
        .serial_number(&serial)
        .token_code(bad_code)
        .send()
        .await
        .expect_err("wrong code");
    assert_eq!(
        refused.as_service_error().and_then(|e| e.meta().code()),
        Some("AccessDenied")
    );
    let session = sts
        .get_session_token()
        .serial_number(&serial)
        .token_code(mfa::code_now(&seed))
        .duration_seconds(3600)
        .send()
        .await
        .expect("GetSessionToken");
    let credentials = session.credentials().expect("credentials");
    assert!(credentials.access_key_id().starts_with("ASIA"));
    let temporary = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .endpoint_url(emulator.endpoint())
        .region(aws_config::Region::new("ap-northeast-2"))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::new(
                    credentials.access_key_id(),
                    credentials.secret_access_key(),
                    Some(credentials.session_token().to_string()),
                    None,
                    "session",
                ),
            ),
        )
        .build();
    let identity = Sts::new(&temporary)
        .get_caller_identity()
        .send()
        .await
        .expect("the session works");
    assert_eq!(
        identity.account(),
        Some(emulator.credentials.account.as_str())
    );

    emulator
        .world
        .lock()
        .clock
        .advance(time::Duration::hours(2));
    let expired = Sts::new(&temporary)
        .get_caller_identity()
        .send()
        .await
        .expect_err("expired");
    assert_eq!(
        expired.as_service_error().and_then(|e| e.meta().code()),
        Some("ExpiredToken")
    );

    let in_use = iam
        .delete_virtual_mfa_device()
        .serial_number(&serial)
        .send()
        .await
        .expect_err("still enabled");
    assert_eq!(code(&in_use), "DeleteConflict");
    iam.deactivate_mfa_device()
        .serial_number(&serial)
        .send()
        .await
        .expect("DeactivateMFADevice");
    iam.delete_virtual_mfa_device()
        .serial_number(&serial)
        .send()
        .await
        .expect("DeleteVirtualMFADevice");
}

async fn iam_enable(
    emulator: &cloudlings_emulator::Emulator,
    serial: &str,
    first: &str,
    second: &str,
) -> Result<
    aws_sdk_iam::operation::enable_mfa_device::EnableMfaDeviceOutput,
    aws_sdk_iam::error::SdkError<aws_sdk_iam::operation::enable_mfa_device::EnableMFADeviceError>,
> {
    Iam::new(&root(emulator))
        .enable_mfa_device()
        .serial_number(serial)
        .authentication_code1(first)
        .authentication_code2(second)
        .send()
        .await
}
