//! One declaration per AWS operation the project knows.
//!
//! An operation is named in many places: the emulator routes its wire action to a handler and
//! refuses a `DryRun` of anything that changes the world; the shell's `aws` reads its CLI name
//! and makes the call; a lesson's check may make it only if it just looks; on a real account
//! the cost guard prices it, tagging and the journal follow what it creates, and cleanup
//! deletes that in the order AWS allows. Each of them reads this table instead of spelling the
//! operation again, so a new operation is one line here plus its handler, and a consumer that
//! must decide something about every operation does so with an exhaustive `match`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A group of commands as the aws CLI names it: `aws <service> <operation>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Sts,
    Iam,
    Ec2,
    /// The CLI's high-level S3 commands (`aws s3 cp`), which it builds from S3's API.
    S3,
    /// S3's API, one command per wire operation (`aws s3api put-object`).
    S3Api,
    CloudFront,
    /// The Price List Query API: what AWS charges, by product.
    Pricing,
}

impl Service {
    pub const ALL: &[Service] = &[
        Service::Sts,
        Service::Iam,
        Service::Ec2,
        Service::S3,
        Service::S3Api,
        Service::CloudFront,
        Service::Pricing,
    ];

    /// As typed after `aws`.
    pub fn cli_name(self) -> &'static str {
        match self {
            Service::Sts => "sts",
            Service::Iam => "iam",
            Service::Ec2 => "ec2",
            Service::S3 => "s3",
            Service::S3Api => "s3api",
            Service::CloudFront => "cloudfront",
            Service::Pricing => "pricing",
        }
    }

    pub fn from_cli(name: &str) -> Option<Service> {
        Service::ALL
            .iter()
            .copied()
            .find(|service| service.cli_name() == name)
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cli_name())
    }
}

/// Something the course creates on AWS and cleanup may have to delete. The order of the
/// variants is the order cleanup deletes them in: what uses a thing goes before the thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Resource {
    Instance,
    /// A disk left after its instance; it is created with the instance, never on its own.
    Volume,
    KeyPair,
    SecurityGroup,
    Bucket,
    Distribution,
    OriginAccessControl,
    MfaDevice,
    User,
}

impl Resource {
    /// Every kind, in the order cleanup deletes them.
    pub const ALL: &[Resource] = &[
        Resource::Instance,
        Resource::Volume,
        Resource::KeyPair,
        Resource::SecurityGroup,
        Resource::Bucket,
        Resource::Distribution,
        Resource::OriginAccessControl,
        Resource::MfaDevice,
        Resource::User,
    ];

    /// As the learner reads it in a report.
    pub fn noun(self) -> &'static str {
        match self {
            Resource::Instance => "instance",
            Resource::Volume => "volume",
            Resource::KeyPair => "key pair",
            Resource::SecurityGroup => "security group",
            Resource::Bucket => "bucket",
            Resource::Distribution => "distribution",
            Resource::OriginAccessControl => "origin access control",
            Resource::MfaDevice => "MFA device",
            Resource::User => "IAM user",
        }
    }

    /// Whether it costs money while it exists.
    pub fn billable(self) -> bool {
        matches!(
            self,
            Resource::Instance | Resource::Volume | Resource::Bucket | Resource::Distribution
        )
    }
}

/// What an operation does to the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Only looks: a lesson's check may make it, and a dry run has nothing to stop.
    Reads,
    /// Changes something that is not a resource of its own (a rule, a tag, a policy).
    Changes,
    Creates(Resource),
    Deletes(Resource),
    /// Starts what was stopped, which bills again.
    Starts(Resource),
    Stops(Resource),
}

/// How the cost guard prices an operation before it runs on a real account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cost {
    /// New instances: count × the hourly price of their type and platform.
    Launch,
    /// Stopped instances started again, each at its own price.
    Restart,
    /// A distribution: no hourly price, but per GB and per request served.
    Serving,
    /// Bytes stored in a bucket, per GB-month.
    Storage,
}

/// A secret in an operation's answer, which must reach a file and never the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Secret {
    /// A key pair's private key (`KeyMaterial`).
    PrivateKey,
    /// A virtual MFA device's seed, as Base32 or a QR code.
    MfaSeed,
    /// A secret access key.
    AccessKey,
}

/// Everything the project declares about one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub service: Service,
    /// As typed after the service: `run-instances`.
    pub cli: &'static str,
    /// The action on the wire: `RunInstances`. `None` for the CLI's own commands (`s3 cp`,
    /// `wait`), which it builds from other calls.
    pub wire: Option<&'static str>,
    pub effect: Effect,
    pub cost: Option<Cost>,
    pub secret: Option<Secret>,
}

impl Spec {
    const fn new(service: Service, cli: &'static str, wire: &'static str, effect: Effect) -> Spec {
        Spec {
            service,
            cli,
            wire: Some(wire),
            effect,
            cost: None,
            secret: None,
        }
    }

    const fn reads(service: Service, cli: &'static str, wire: &'static str) -> Spec {
        Spec::new(service, cli, wire, Effect::Reads)
    }

    const fn changes(service: Service, cli: &'static str, wire: &'static str) -> Spec {
        Spec::new(service, cli, wire, Effect::Changes)
    }

    /// One of the CLI's own commands, made of other calls.
    const fn cli_only(service: Service, cli: &'static str, effect: Effect) -> Spec {
        Spec {
            wire: None,
            ..Spec::new(service, cli, "", effect)
        }
    }

    const fn costs(self, cost: Cost) -> Spec {
        Spec {
            cost: Some(cost),
            ..self
        }
    }

    const fn secret(self, secret: Secret) -> Spec {
        Spec {
            secret: Some(secret),
            ..self
        }
    }
}

/// Declares the operations: the enum, its list, and each one's [`Spec`].
macro_rules! operations {
    ($($(#[$doc:meta])* $name:ident => $spec:expr,)*) => {
        /// An AWS operation the project knows, emulated, called or both.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Operation {
            $($(#[$doc])* $name,)*
        }

        impl Operation {
            /// Every operation, in the order declared.
            pub const ALL: &[Operation] = &[$(Operation::$name,)*];

            /// What the project declares about it.
            pub const fn spec(self) -> Spec {
                match self {
                    $(Operation::$name => $spec,)*
                }
            }
        }
    };
}

use Effect::{Creates, Deletes, Reads, Starts, Stops};
use Resource as R;
use Service::{CloudFront, Ec2, Iam, Pricing, S3, S3Api, Sts};

operations! {
    GetCallerIdentity => Spec::reads(Sts, "get-caller-identity", "GetCallerIdentity"),
    /// Issues temporary credentials: nothing a check should do on the learner's behalf.
    GetSessionToken =>
        Spec::changes(Sts, "get-session-token", "GetSessionToken").secret(Secret::AccessKey),

    CreateUser => Spec::new(Iam, "create-user", "CreateUser", Creates(R::User)),
    GetUser => Spec::reads(Iam, "get-user", "GetUser"),
    ListUsers => Spec::reads(Iam, "list-users", "ListUsers"),
    DeleteUser => Spec::new(Iam, "delete-user", "DeleteUser", Deletes(R::User)),
    CreateAccessKey =>
        Spec::changes(Iam, "create-access-key", "CreateAccessKey").secret(Secret::AccessKey),
    ListAccessKeys => Spec::reads(Iam, "list-access-keys", "ListAccessKeys"),
    UpdateAccessKey => Spec::changes(Iam, "update-access-key", "UpdateAccessKey"),
    DeleteAccessKey => Spec::changes(Iam, "delete-access-key", "DeleteAccessKey"),
    CreateVirtualMfaDevice => Spec::new(
        Iam,
        "create-virtual-mfa-device",
        "CreateVirtualMFADevice",
        Creates(R::MfaDevice),
    )
    .secret(Secret::MfaSeed),
    EnableMfaDevice => Spec::changes(Iam, "enable-mfa-device", "EnableMFADevice"),
    DeactivateMfaDevice => Spec::changes(Iam, "deactivate-mfa-device", "DeactivateMFADevice"),
    DeleteVirtualMfaDevice => Spec::new(
        Iam,
        "delete-virtual-mfa-device",
        "DeleteVirtualMFADevice",
        Deletes(R::MfaDevice),
    ),
    ListMfaDevices => Spec::reads(Iam, "list-mfa-devices", "ListMFADevices"),
    ListVirtualMfaDevices =>
        Spec::reads(Iam, "list-virtual-mfa-devices", "ListVirtualMFADevices"),
    GetAccountSummary => Spec::reads(Iam, "get-account-summary", "GetAccountSummary"),
    /// Gives a user a password for the console.
    CreateLoginProfile => Spec::changes(Iam, "create-login-profile", "CreateLoginProfile"),
    GetLoginProfile => Spec::reads(Iam, "get-login-profile", "GetLoginProfile"),
    UpdateLoginProfile => Spec::changes(Iam, "update-login-profile", "UpdateLoginProfile"),
    DeleteLoginProfile => Spec::changes(Iam, "delete-login-profile", "DeleteLoginProfile"),
    /// The name the console's sign-in takes instead of the account's 12 digits.
    CreateAccountAlias => Spec::changes(Iam, "create-account-alias", "CreateAccountAlias"),
    ListAccountAliases => Spec::reads(Iam, "list-account-aliases", "ListAccountAliases"),
    DeleteAccountAlias => Spec::changes(Iam, "delete-account-alias", "DeleteAccountAlias"),

    DescribeRegions => Spec::reads(Ec2, "describe-regions", "DescribeRegions"),
    DescribeAvailabilityZones =>
        Spec::reads(Ec2, "describe-availability-zones", "DescribeAvailabilityZones"),
    DescribeVpcs => Spec::reads(Ec2, "describe-vpcs", "DescribeVpcs"),
    DescribeSubnets => Spec::reads(Ec2, "describe-subnets", "DescribeSubnets"),
    DescribeAddresses => Spec::reads(Ec2, "describe-addresses", "DescribeAddresses"),
    DescribeSecurityGroups =>
        Spec::reads(Ec2, "describe-security-groups", "DescribeSecurityGroups"),
    DescribeSecurityGroupRules =>
        Spec::reads(Ec2, "describe-security-group-rules", "DescribeSecurityGroupRules"),
    CreateSecurityGroup => Spec::new(
        Ec2,
        "create-security-group",
        "CreateSecurityGroup",
        Creates(R::SecurityGroup),
    ),
    DeleteSecurityGroup => Spec::new(
        Ec2,
        "delete-security-group",
        "DeleteSecurityGroup",
        Deletes(R::SecurityGroup),
    ),
    AuthorizeSecurityGroupIngress => Spec::changes(
        Ec2,
        "authorize-security-group-ingress",
        "AuthorizeSecurityGroupIngress",
    ),
    AuthorizeSecurityGroupEgress => Spec::changes(
        Ec2,
        "authorize-security-group-egress",
        "AuthorizeSecurityGroupEgress",
    ),
    RevokeSecurityGroupIngress =>
        Spec::changes(Ec2, "revoke-security-group-ingress", "RevokeSecurityGroupIngress"),
    RevokeSecurityGroupEgress =>
        Spec::changes(Ec2, "revoke-security-group-egress", "RevokeSecurityGroupEgress"),
    CreateKeyPair => Spec::new(Ec2, "create-key-pair", "CreateKeyPair", Creates(R::KeyPair))
        .secret(Secret::PrivateKey),
    ImportKeyPair => Spec::new(Ec2, "import-key-pair", "ImportKeyPair", Creates(R::KeyPair)),
    DeleteKeyPair => Spec::new(Ec2, "delete-key-pair", "DeleteKeyPair", Deletes(R::KeyPair)),
    DescribeKeyPairs => Spec::reads(Ec2, "describe-key-pairs", "DescribeKeyPairs"),
    RunInstances => Spec::new(Ec2, "run-instances", "RunInstances", Creates(R::Instance))
        .costs(Cost::Launch),
    DescribeInstances => Spec::reads(Ec2, "describe-instances", "DescribeInstances"),
    StartInstances => Spec::new(Ec2, "start-instances", "StartInstances", Starts(R::Instance))
        .costs(Cost::Restart),
    StopInstances => Spec::new(Ec2, "stop-instances", "StopInstances", Stops(R::Instance)),
    TerminateInstances =>
        Spec::new(Ec2, "terminate-instances", "TerminateInstances", Deletes(R::Instance)),
    RebootInstances => Spec::changes(Ec2, "reboot-instances", "RebootInstances"),
    DescribeInstanceStatus =>
        Spec::reads(Ec2, "describe-instance-status", "DescribeInstanceStatus"),
    GetPasswordData => Spec::reads(Ec2, "get-password-data", "GetPasswordData"),
    CreateTags => Spec::changes(Ec2, "create-tags", "CreateTags"),
    DeleteTags => Spec::changes(Ec2, "delete-tags", "DeleteTags"),
    DescribeTags => Spec::reads(Ec2, "describe-tags", "DescribeTags"),
    DescribeImages => Spec::reads(Ec2, "describe-images", "DescribeImages"),
    DescribeInstanceTypes => Spec::reads(Ec2, "describe-instance-types", "DescribeInstanceTypes"),
    /// `aws ec2 wait instance-running`: a describe call, polled.
    Ec2Wait => Spec::cli_only(Ec2, "wait", Reads),

    S3Mb => Spec::cli_only(S3, "mb", Creates(R::Bucket)),
    S3Ls => Spec::cli_only(S3, "ls", Reads),
    S3Rb => Spec::cli_only(S3, "rb", Deletes(R::Bucket)),
    S3Cp => Spec::cli_only(S3, "cp", Effect::Changes).costs(Cost::Storage),
    S3Sync => Spec::cli_only(S3, "sync", Effect::Changes).costs(Cost::Storage),

    ListBuckets => Spec::reads(S3Api, "list-buckets", "ListBuckets"),
    CreateBucket => Spec::new(S3Api, "create-bucket", "CreateBucket", Creates(R::Bucket)),
    DeleteBucket => Spec::new(S3Api, "delete-bucket", "DeleteBucket", Deletes(R::Bucket)),
    ListObjectsV2 => Spec::reads(S3Api, "list-objects-v2", "ListObjectsV2"),
    HeadObject => Spec::reads(S3Api, "head-object", "HeadObject"),
    GetObject => Spec::reads(S3Api, "get-object", "GetObject"),
    PutObject => Spec::changes(S3Api, "put-object", "PutObject").costs(Cost::Storage),
    DeleteObject => Spec::changes(S3Api, "delete-object", "DeleteObject"),
    /// The parts of a large upload, as `aws s3 cp` sends a file over 8 MiB.
    CreateMultipartUpload =>
        Spec::changes(S3Api, "create-multipart-upload", "CreateMultipartUpload"),
    UploadPart => Spec::changes(S3Api, "upload-part", "UploadPart"),
    CompleteMultipartUpload =>
        Spec::changes(S3Api, "complete-multipart-upload", "CompleteMultipartUpload"),
    GetBucketPolicy => Spec::reads(S3Api, "get-bucket-policy", "GetBucketPolicy"),
    PutBucketPolicy => Spec::changes(S3Api, "put-bucket-policy", "PutBucketPolicy"),
    DeleteBucketPolicy => Spec::changes(S3Api, "delete-bucket-policy", "DeleteBucketPolicy"),
    GetPublicAccessBlock => Spec::reads(S3Api, "get-public-access-block", "GetPublicAccessBlock"),
    PutPublicAccessBlock =>
        Spec::changes(S3Api, "put-public-access-block", "PutPublicAccessBlock"),

    CreateDistribution => Spec::new(
        CloudFront,
        "create-distribution",
        "CreateDistribution",
        Creates(R::Distribution),
    )
    .costs(Cost::Serving),
    GetDistribution => Spec::reads(CloudFront, "get-distribution", "GetDistribution"),
    GetDistributionConfig =>
        Spec::reads(CloudFront, "get-distribution-config", "GetDistributionConfig"),
    ListDistributions => Spec::reads(CloudFront, "list-distributions", "ListDistributions"),
    UpdateDistribution => Spec::changes(CloudFront, "update-distribution", "UpdateDistribution"),
    DeleteDistribution => Spec::new(
        CloudFront,
        "delete-distribution",
        "DeleteDistribution",
        Deletes(R::Distribution),
    ),
    CreateInvalidation => Spec::changes(CloudFront, "create-invalidation", "CreateInvalidation"),
    GetInvalidation => Spec::reads(CloudFront, "get-invalidation", "GetInvalidation"),
    ListInvalidations => Spec::reads(CloudFront, "list-invalidations", "ListInvalidations"),
    CreateOriginAccessControl => Spec::new(
        CloudFront,
        "create-origin-access-control",
        "CreateOriginAccessControl",
        Creates(R::OriginAccessControl),
    ),
    GetOriginAccessControl =>
        Spec::reads(CloudFront, "get-origin-access-control", "GetOriginAccessControl"),
    ListOriginAccessControls =>
        Spec::reads(CloudFront, "list-origin-access-controls", "ListOriginAccessControls"),
    DeleteOriginAccessControl => Spec::new(
        CloudFront,
        "delete-origin-access-control",
        "DeleteOriginAccessControl",
        Deletes(R::OriginAccessControl),
    ),
    /// `aws cloudfront wait distribution-deployed`: a get call, polled.
    CloudFrontWait => Spec::cli_only(CloudFront, "wait", Reads),

    GetProducts => Spec::reads(Pricing, "get-products", "GetProducts"),
    DescribeServices => Spec::reads(Pricing, "describe-services", "DescribeServices"),
    GetAttributeValues => Spec::reads(Pricing, "get-attribute-values", "GetAttributeValues"),
}

impl Operation {
    pub fn service(self) -> Service {
        self.spec().service
    }

    /// As typed after the service: `run-instances`.
    pub fn cli_name(self) -> &'static str {
        self.spec().cli
    }

    /// The action on the wire, `RunInstances`, if it is one call.
    pub fn wire_action(self) -> Option<&'static str> {
        self.spec().wire
    }

    pub fn effect(self) -> Effect {
        self.spec().effect
    }

    /// Whether it changes anything: what a dry run stops short of, and what a check never does.
    pub fn mutates(self) -> bool {
        self.effect() != Effect::Reads
    }

    /// The kind of resource it creates, if it creates one.
    pub fn creates(self) -> Option<Resource> {
        match self.effect() {
            Effect::Creates(resource) => Some(resource),
            _ => None,
        }
    }

    pub fn cost(self) -> Option<Cost> {
        self.spec().cost
    }

    pub fn secret(self) -> Option<Secret> {
        self.spec().secret
    }

    /// The operation a command line names: `ec2`, `run-instances`.
    pub fn from_cli(service: &str, name: &str) -> Option<Operation> {
        let service = Service::from_cli(service)?;
        Operation::ALL
            .iter()
            .copied()
            .find(|op| op.service() == service && op.cli_name() == name)
    }

    /// The operation a request of `service` names with `action` on the wire.
    pub fn from_wire(service: Service, action: &str) -> Option<Operation> {
        Operation::ALL
            .iter()
            .copied()
            .find(|op| op.service() == service && op.wire_action() == Some(action))
    }

    /// The operations of one service, in the order declared.
    pub fn of(service: Service) -> impl Iterator<Item = Operation> {
        Operation::ALL
            .iter()
            .copied()
            .filter(move |op| op.service() == service)
    }

    /// `ec2 run-instances`, as typed after `aws`.
    pub fn command(self) -> String {
        format!("{} {}", self.service(), self.cli_name())
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.service(), self.cli_name())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn names_are_unique_per_service_on_the_command_line_and_the_wire() {
        let mut commands = HashSet::new();
        let mut actions = HashSet::new();
        for op in Operation::ALL {
            assert!(commands.insert(op.command()), "{op} twice");
            if let Some(action) = op.wire_action() {
                // s3 and s3api are one service on the wire.
                let wire = match op.service() {
                    Service::S3 => Service::S3Api,
                    other => other,
                };
                assert!(actions.insert((wire, action)), "{action} twice");
            }
        }
    }

    #[test]
    fn lookups_find_what_was_declared() {
        for &op in Operation::ALL {
            assert_eq!(
                Operation::from_cli(op.service().cli_name(), op.cli_name()),
                Some(op)
            );
            if let Some(action) = op.wire_action() {
                assert_eq!(Operation::from_wire(op.service(), action), Some(op));
            }
        }
        assert_eq!(Operation::from_cli("ec2", "run-instance"), None);
        assert_eq!(Operation::from_cli("ec3", "run-instances"), None);
        assert_eq!(Operation::from_wire(Service::Ec2, "runInstances"), None);
    }

    #[test]
    fn cli_names_are_the_wire_action_in_kebab_case() {
        for op in Operation::ALL {
            let Some(action) = op.wire_action() else {
                continue;
            };
            let mut kebab = String::new();
            let chars: Vec<char> = action.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                // A capital starts a word unless it continues an acronym (`MFADevice`).
                let starts_word = c.is_ascii_uppercase()
                    && i > 0
                    && (chars[i - 1].is_ascii_lowercase()
                        || chars.get(i + 1).is_some_and(char::is_ascii_lowercase));
                if starts_word {
                    kebab.push('-');
                }
                kebab.push(c.to_ascii_lowercase());
            }
            assert_eq!(kebab, op.cli_name(), "{action}");
        }
    }

    #[test]
    fn what_costs_money_creates_or_starts_it_and_reads_cost_nothing() {
        for op in Operation::ALL {
            if op.cost().is_some() {
                assert!(op.mutates(), "{op} costs money but only reads");
            }
            if let Some(resource) = op.creates() {
                assert_ne!(
                    resource,
                    Resource::Volume,
                    "{op}: volumes come with instances"
                );
            }
        }
        let mut order = Resource::ALL.to_vec();
        order.sort();
        assert_eq!(order, Resource::ALL, "ALL is cleanup's order");
    }
}
