//! Per example: the order pages run in, what an example needs beforehand, and the examples
//! that do not pass, each with why. Examples are named `<page>#<n>`, the page's n-th command.

use super::world::Real;

/// Pages that must run in this order, because one makes what a later one uses or removes
/// what an earlier one reads. Pages not listed run before them, in name order.
pub const LAST: &[&str] = &[
    // EC2: the key and the groups the launches use, the launches, then the waits that need
    // a running instance, the stop and start, and the deletions.
    "ec2/create-key-pair",
    "ec2/create-security-group",
    "ec2/run-instances",
    "ec2/wait/instance-exists",
    "ec2/wait/instance-running",
    "ec2/wait/instance-status-ok",
    "ec2/wait/system-status-ok",
    "ec2/wait/password-data-available",
    "ec2/get-password-data",
    "ec2/reboot-instances",
    "ec2/stop-instances",
    "ec2/wait/instance-stopped",
    "ec2/start-instances",
    "ec2/terminate-instances",
    "ec2/wait/instance-terminated",
    "ec2/delete-tags",
    "ec2/revoke-security-group-ingress",
    "ec2/revoke-security-group-egress",
    "ec2/delete-security-group",
    "ec2/delete-key-pair",
    // IAM: Bob's console password is made, read, changed, then deleted; his new key is made,
    // switched off, then deleted; his MFA device is made, enabled, used, deactivated, then
    // deleted.
    "iam/create-login-profile",
    "iam/get-login-profile",
    "iam/update-login-profile",
    "iam/delete-login-profile",
    "iam/create-access-key",
    "iam/update-access-key",
    "iam/delete-access-key",
    "iam/create-virtual-mfa-device",
    "iam/enable-mfa-device",
    "iam/list-mfa-devices",
    "sts/get-session-token",
    "iam/deactivate-mfa-device",
    "iam/delete-virtual-mfa-device",
    "iam/delete-user",
    // S3: the multipart upload in its three steps; the buckets made, then removed.
    "s3api/create-multipart-upload",
    "s3api/upload-part",
    "s3api/complete-multipart-upload",
    "s3api/put-bucket-policy",
    // After `aws s3 cp` and `mv`, which copy and move the object it deletes.
    "s3api/delete-object",
    "s3api/get-bucket-policy",
    "s3api/delete-bucket-policy",
    "s3/mb",
    "s3api/create-bucket",
    "s3/rm",
    "s3/rb",
    "s3api/delete-bucket",
    // CloudFront: the invalidations before the distribution is disabled and deleted.
    "cloudfront/create-invalidation",
    "cloudfront/get-invalidation",
    "cloudfront/list-invalidations",
    "cloudfront/update-distribution",
    "cloudfront/delete-distribution",
];

/// Made-up names replaced for one example only, so that examples that make "the same"
/// thing each make their own, and examples that remove a thing remove one nobody else uses.
pub const OVERRIDES: &[(&str, &str, Real)] = &[
    ("iam/create-user#2", "Bob", Real::Text("Bob-2")),
    ("iam/create-user#3", "Bob", Real::Text("Bob-3")),
    ("iam/create-user#4", "Bob", Real::Text("Bob-4")),
    ("iam/create-user#1", "Bob", Real::Text("Bob-1")),
    // Carol has nothing attached: AWS deletes only such a user.
    ("iam/delete-user#1", "Bob", Real::Text("Carol")),
    (
        "iam/enable-mfa-device#1",
        "arn:aws:iam::210987654321:mfa/BobsMFADevice",
        Real::MfaSerial,
    ),
    ("iam/enable-mfa-device#1", "123456", Real::MfaFirstCode),
    // The alias the page deletes is the one its sibling page made.
    (
        "iam/delete-account-alias#1",
        "mycompany",
        Real::Text("examplecorp"),
    ),
    // The page leaves the password to the reader; this one meets IAM's default policy.
    (
        "iam/update-login-profile#1",
        "<password>",
        Real::Text("Cloud-2026!"),
    ),
    ("iam/enable-mfa-device#1", "789012", Real::MfaSecondCode),
    (
        "iam/deactivate-mfa-device#1",
        "arn:aws:iam::210987654321:mfa/BobsMFADevice",
        Real::MfaSerial,
    ),
    (
        "iam/delete-virtual-mfa-device#1",
        "arn:aws:iam::123456789012:mfa/MFATest",
        Real::Captured("qr-device"),
    ),
    (
        "sts/get-session-token#1",
        "YourMFADeviceSerialNumber",
        Real::MfaSerial,
    ),
    ("sts/get-session-token#1", "123456", Real::MfaCode),
    (
        "ec2/create-security-group#2",
        "MySecurityGroup",
        Real::Text("MySecurityGroup-2"),
    ),
    (
        "ec2/delete-security-group#2",
        "sg-903004f8",
        Real::Captured("group-2"),
    ),
    (
        "ec2/revoke-security-group-ingress#1",
        "mySecurityGroup",
        Real::Text("corpus-web"),
    ),
    ("ec2/delete-key-pair#1", "my-key-pair", Real::Text("my-key")),
    (
        "ec2/terminate-instances#1",
        "i-1234567890abcdef0",
        Real::Captured("launched"),
    ),
    (
        "ec2/wait/instance-terminated#1",
        "i-1234567890abcdef0",
        Real::Captured("launched"),
    ),
    // An image has an id per region: the example asks us-east-1 for one.
    (
        "ec2/describe-images#1",
        "ami-1234567890EXAMPLE",
        Real::ImageInUsEast1,
    ),
    // The page's first configuration already used this caller reference, with another
    // configuration; AWS refuses that (DistributionAlreadyExists), so this one gets its own.
    (
        "cloudfront/create-distribution#4",
        "\"cli-example\"",
        Real::Text("\"cli-example-4\""),
    ),
    (
        "ec2/get-password-data#1",
        "i-1234567890abcdef0",
        Real::WindowsInstance,
    ),
    (
        "ec2/get-password-data#2",
        "i-1234567890abcdef0",
        Real::WindowsInstance,
    ),
    (
        "ec2/wait/password-data-available#1",
        "i-1234567890abcdef0",
        Real::WindowsInstance,
    ),
    ("s3/mb#1", "amzn-s3-demo-bucket", Real::Text("corpus-mb-1")),
    ("s3/mb#2", "amzn-s3-demo-bucket", Real::Text("corpus-mb-2")),
    ("s3/mb#3", "amzn-s3-demo-bucket", Real::Text("corpus-mb-3")),
    (
        "s3api/create-bucket#1",
        "amzn-s3-demo-bucket",
        Real::Text("corpus-cb-1"),
    ),
    (
        "s3api/create-bucket#2",
        "amzn-s3-demo-bucket",
        Real::Text("corpus-cb-2"),
    ),
    (
        "s3api/create-bucket#3",
        "amzn-s3-demo-bucket",
        Real::Text("corpus-cb-3"),
    ),
    ("s3/rb#1", "amzn-s3-demo-bucket", Real::Text("corpus-mb-1")),
    ("s3/rb#2", "amzn-s3-demo-bucket", Real::Text("corpus-mb-3")),
    (
        "s3api/delete-bucket#1",
        "amzn-s3-demo-bucket",
        Real::Text("corpus-cb-1"),
    ),
];

/// Values an example prints that a later one uses: example, JSON path (`/`-separated), name.
pub const CAPTURES: &[(&str, &str, &str)] = &[
    (
        "iam/create-access-key#1",
        "AccessKey/AccessKeyId",
        "access-key",
    ),
    (
        "iam/create-virtual-mfa-device#1",
        "VirtualMFADevice/SerialNumber",
        "qr-device",
    ),
    ("ec2/create-security-group#2", "GroupId", "group-2"),
    ("ec2/run-instances#1", "Instances/0/InstanceId", "launched"),
    ("s3api/create-multipart-upload#1", "UploadId", "upload"),
    (
        "cloudfront/create-invalidation#1",
        "Invalidation/Id",
        "invalidation",
    ),
];

/// Examples a user other than the root user runs: the MFA device must be the caller's own.
pub const AS_BOB: &[&str] = &["sts/get-session-token#1"];

/// What runs before an example, that the example itself does not show.
#[derive(Debug, Clone, Copy)]
pub enum Prep {
    /// A command that must succeed.
    Cli(&'static [&'static str]),
    /// Simulated time passes: an instance boots, a distribution deploys.
    Advance(i64),
}

/// The upload id of the multipart examples, which becomes the one the first of them made.
const UPLOAD: &str = "dfRtDYU0WWCCcH43C3WFbkRONycyCpTJJvxu2i5GYkZljF.Yxwh6XG7WfS2vC4to6HiV6Yjlx.\
                      cph0gtNBtJ8P3URCSbB7rjxI5iEwVDmgaXZOGgkk5nVTW16HOQ5l0R";

/// The object the `aws s3 mv` examples move, put back before each of them.
const PUT_BACK_TEST_TXT: Prep = Prep::Cli(&[
    "s3api",
    "put-object",
    "--bucket",
    "amzn-s3-demo-bucket",
    "--key",
    "test.txt",
    "--body",
    FIXTURE_FILE,
]);

/// Stands for [`Real::FixtureFile`] in a preparation.
pub const FIXTURE_FILE: &str = "<fixture-file>";

pub const PREPS: &[(&str, Prep)] = &[
    // The page's second command reads the skeleton the reader was to fill in; Bob's
    // password is made here instead, with the page's own example password.
    (
        "iam/get-login-profile#1",
        Prep::Cli(&[
            "iam",
            "create-login-profile",
            "--user-name",
            "Bob",
            "--password",
            "&1-3a6u:RA0djs",
            "--password-reset-required",
        ]),
    ),
    // The fixture instance has booted however fast the examples before ran; status checks
    // pass a few minutes after that, and a Windows password is ready a few minutes later.
    ("ec2/wait/instance-running#1", Prep::Advance(60)),
    ("ec2/wait/instance-status-ok#1", Prep::Advance(10 * 60)),
    // The example revokes an outbound rule to another group, which must be there first.
    (
        "ec2/revoke-security-group-egress#2",
        Prep::Cli(&[
            "ec2",
            "authorize-security-group-egress",
            "--group-id",
            "sg-026c12253ce15eff7",
            "--ip-permissions",
            "IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=sg-06df23a01ff2df86d}]",
        ]),
    ),
    // The example uploads part 1; parts 2 and 3, which the completion lists, are uploaded
    // here (ETags are MD5s, so the listing's are the real parts').
    (
        "s3api/complete-multipart-upload#1",
        Prep::Cli(&[
            "s3api",
            "upload-part",
            "--bucket",
            "amzn-s3-demo-bucket",
            "--key",
            "multipart/01",
            "--part-number",
            "2",
            "--body",
            "part02",
            "--upload-id",
            UPLOAD,
        ]),
    ),
    (
        "s3api/complete-multipart-upload#1",
        Prep::Cli(&[
            "s3api",
            "upload-part",
            "--bucket",
            "amzn-s3-demo-bucket",
            "--key",
            "multipart/01",
            "--part-number",
            "3",
            "--body",
            "part03",
            "--upload-id",
            UPLOAD,
        ]),
    ),
    // New buckets block public policies; the example's policy lets anyone read.
    (
        "s3api/put-bucket-policy#1",
        Prep::Cli(&[
            "s3api",
            "put-public-access-block",
            "--bucket",
            "amzn-s3-demo-bucket",
            "--public-access-block-configuration",
            "BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=false,\
             RestrictPublicBuckets=false",
        ]),
    ),
    ("s3/mv#3", PUT_BACK_TEST_TXT),
    ("s3/mv#4", PUT_BACK_TEST_TXT),
    ("s3/mv#8", PUT_BACK_TEST_TXT),
    // A disabled distribution can be deleted once the change is deployed.
    ("cloudfront/delete-distribution#1", Prep::Advance(30 * 60)),
    ("ec2/wait/instance-stopped#1", Prep::Advance(5 * 60)),
    ("ec2/wait/instance-terminated#1", Prep::Advance(5 * 60)),
];

/// Refusals AWS would also give in the state the example meets: example, the error code
/// the CLI must print, and why.
/// An empty code stands for the CLI's own "nothing found": exit status 1, nothing printed.
pub const REFUSALS: &[(&str, &str, &str)] = &[
    (
        "s3/ls#3",
        "",
        "`aws s3 ls` exits 1 when nothing matches the prefix, as it does on AWS",
    ),
    (
        "ec2/stop-instances#2",
        "UnsupportedHibernationConfiguration",
        "hibernates the instance, which was not configured for hibernation at launch (the \
         emulator does not emulate hibernation); AWS refuses such an instance the same way",
    ),
    (
        "ec2/authorize-security-group-ingress#8",
        "InvalidPrefixListID.NotFound",
        "names a managed prefix list, and none exists: the emulator does not implement \
         CreateManagedPrefixList, and AWS refuses a list that does not exist the same way",
    ),
];

/// Examples that cannot run, and why. Shown by the test and in the README.
pub const SKIPS: &[(&str, &str)] = &[
    (
        "iam/create-login-profile#2",
        "reads the skeleton that `--generate-cli-skeleton` wrote for the reader to fill in: as \
         shipped it holds empty strings, which the CLI refuses before any request",
    ),
    ("ec2/authorize-security-group-ingress#7", BROKEN_QUOTES),
    (
        "ec2/revoke-security-group-egress#1",
        "broken as shipped: shorthand wrapped in `[...]` without its closing brace, which the \
         CLI refuses as invalid JSON before any request",
    ),
    (
        "ec2/revoke-security-group-ingress#1",
        "broken as shipped: the line after `--group-name` lacks its `\\`, so a shell runs the \
         command without the rule to revoke",
    ),
    ("ec2/describe-addresses#3", NO_ELASTIC_IPS),
    ("ec2/describe-addresses#6", NO_ELASTIC_IPS),
    (
        "ec2/describe-instance-types#2",
        "the instance catalog does not record hibernation support: the emulator takes the \
         `hibernation-supported` filter but finds no type with it, where AWS lists some",
    ),
    (
        "s3/mb#2",
        "`--region us-west-1`: the emulator has eight regions, and us-west-1 is not one of them",
    ),
    (
        "s3/website#1",
        "calls PutBucketWebsite, which the emulator does not implement",
    ),
    ("s3/cp#16", ACCESS_POINTS),
    ("s3/cp#17", ACCESS_POINTS),
    ("s3/ls#6", ACCESS_POINTS),
    ("s3/mv#10", ACCESS_POINTS),
    ("s3/rm#5", ACCESS_POINTS),
    ("s3/sync#8", ACCESS_POINTS),
];

const BROKEN_QUOTES: &str = "broken as shipped: single quotes inside a single-quoted argument, so \
                             a shell splits it at the description's spaces and the CLI refuses \
                             the pieces before any request";
const NO_ELASTIC_IPS: &str = "names an Elastic IP, and the emulator does not implement \
                              AllocateAddress, so none can be made";
const ACCESS_POINTS: &str = "names an S3 access point, which the emulator does not implement";
