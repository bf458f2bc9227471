//! IAM's (and STS's) result shapes in awsQuery XML: PascalCase elements, lists of `member`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::access_keys::AccessKey;
use crate::iam::User;
use crate::iam::devices::NewDevice;
use crate::wire::timestamp::in_seconds as timestamp;
use crate::wire::xml::Xml;
use time::OffsetDateTime;

pub fn user(x: &mut Xml, user: &User, account: &str) {
    x.leaf("Path", &user.path);
    x.leaf("UserName", &user.name);
    x.leaf("UserId", &user.id);
    x.leaf(
        "Arn",
        format!("arn:aws:iam::{account}:user{}{}", user.path, user.name),
    );
    x.leaf("CreateDate", timestamp(user.created));
}

/// The root user, as GetUser shows it to its own credentials.
pub fn root_user(x: &mut Xml, account: &str) {
    x.leaf("UserId", account);
    x.leaf("Arn", format!("arn:aws:iam::{account}:root"));
}

/// A new access key, with its secret: the only time the secret is shown.
pub fn new_access_key(x: &mut Xml, id: &str, key: &AccessKey) {
    x.opt("UserName", key.user.as_deref());
    x.leaf("AccessKeyId", id);
    x.leaf("Status", "Active");
    x.leaf("SecretAccessKey", &key.secret);
    x.leaf("CreateDate", timestamp(key.created));
}

pub fn access_key_metadata(x: &mut Xml, id: &str, key: &AccessKey) {
    x.opt("UserName", key.user.as_deref());
    x.leaf("AccessKeyId", id);
    x.leaf("Status", if key.active { "Active" } else { "Inactive" });
    x.leaf("CreateDate", timestamp(key.created));
}

/// A new virtual MFA device; its seed and QR code are blobs, so base64 on the wire.
pub fn new_device(x: &mut Xml, device: &NewDevice) {
    x.leaf("SerialNumber", &device.serial);
    x.leaf(
        "Base32StringSeed",
        STANDARD.encode(device.base32_seed.as_bytes()),
    );
    x.leaf("QRCodePNG", STANDARD.encode(&device.qr_png));
}

pub fn summary_map(x: &mut Xml, entries: &[(&str, usize)]) {
    x.element("SummaryMap", |x| {
        for (key, value) in entries {
            x.element("entry", |x| {
                x.leaf("key", key);
                x.leaf("value", value);
            });
        }
    });
}

pub fn login_profile(x: &mut Xml, user: &str, created: OffsetDateTime, reset_required: bool) {
    x.leaf("UserName", user);
    x.leaf("CreateDate", timestamp(created));
    x.leaf("PasswordResetRequired", reset_required);
}
