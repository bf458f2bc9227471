//! EC2's calls: the instances, images, key pairs and security groups of the lecture.

use aws_config::SdkConfig;
use aws_sdk_ec2::types::{
    Filter, IpPermission, IpRange, ResourceType, Tag, TagSpecification, UserIdGroupPair,
};
use serde_json::Value;

use super::Command;
use super::failure::{Failure, sdk_failure, send};
use super::params::{Params, list, text, texts};
use crate::cli_json;
use cloudlings_core::operation::Operation;

pub const OPERATIONS: &[Command] = &[
    Command::new(Operation::DescribeInstances, &["instance-ids", "filters"]),
    Command::new(
        Operation::DescribeAddresses,
        &["public-ips", "allocation-ids", "filters"],
    ),
    Command::new(
        Operation::DescribeSecurityGroups,
        &["group-ids", "group-names", "filters"],
    ),
    Command::new(
        Operation::DescribeKeyPairs,
        &["key-names", "key-pair-ids", "filters"],
    ),
    Command::new(
        Operation::DescribeImages,
        &["owners", "image-ids", "filters"],
    ),
    Command::new(
        Operation::DescribeInstanceTypes,
        &["instance-types", "filters"],
    ),
    Command::new(
        Operation::GetPasswordData,
        &["instance-id", "priv-launch-key"],
    )
    .requires(&["instance-id"]),
    Command::new(
        Operation::CreateSecurityGroup,
        &["group-name", "description", "vpc-id", "tag-specifications"],
    )
    .requires(&["description", "group-name"]),
    Command::new(Operation::AuthorizeSecurityGroupIngress, INGRESS_PARAMETERS),
    Command::new(Operation::RevokeSecurityGroupIngress, INGRESS_PARAMETERS),
    Command::new(Operation::AuthorizeSecurityGroupEgress, EGRESS_PARAMETERS)
        .requires(&["group-id"]),
    Command::new(Operation::RevokeSecurityGroupEgress, EGRESS_PARAMETERS).requires(&["group-id"]),
    Command::new(Operation::DeleteSecurityGroup, &["group-id", "group-name"]),
    Command::new(
        Operation::CreateKeyPair,
        &["key-name", "key-type", "key-format", "tag-specifications"],
    )
    .requires(&["key-name"]),
    Command::new(Operation::DeleteKeyPair, &["key-name", "key-pair-id"]),
    Command::new(
        Operation::RunInstances,
        &[
            "image-id",
            "instance-type",
            "key-name",
            "security-group-ids",
            "security-groups",
            "count",
            "tag-specifications",
            "subnet-id",
            "associate-public-ip-address",
            "no-associate-public-ip-address",
        ],
    ),
    Command::new(Operation::TerminateInstances, &["instance-ids"]).requires(&["instance-ids"]),
    Command::new(Operation::StartInstances, &["instance-ids"]).requires(&["instance-ids"]),
    Command::new(Operation::StopInstances, &["instance-ids"]).requires(&["instance-ids"]),
    Command::new(Operation::Ec2Wait, &["instance-ids", "filters"]),
];

const INGRESS_PARAMETERS: &[&str] = &[
    "group-id",
    "group-name",
    "protocol",
    "port",
    "cidr",
    "source-group",
    "ip-permissions",
];

/// Outbound rules are only ever named by the group's id: the API has no group name for them.
const EGRESS_PARAMETERS: &[&str] = &[
    "group-id",
    "protocol",
    "port",
    "cidr",
    "source-group",
    "ip-permissions",
];

impl Params<'_> {
    pub fn filters(&self) -> Result<Option<Vec<Filter>>, Failure> {
        let Some(items) = self.structures("filters")? else {
            return Ok(None);
        };
        Ok(Some(
            items
                .iter()
                .map(|item| {
                    Filter::builder()
                        .set_name(text(item, "Name"))
                        .set_values(Some(texts(item, "Values")))
                        .build()
                })
                .collect(),
        ))
    }

    pub fn tag_specifications(&self) -> Result<Option<Vec<TagSpecification>>, Failure> {
        let Some(items) = self.structures("tag-specifications")? else {
            return Ok(None);
        };
        Ok(Some(
            items
                .iter()
                .map(|item| {
                    TagSpecification::builder()
                        .set_resource_type(
                            text(item, "ResourceType").map(|t| ResourceType::from(t.as_str())),
                        )
                        .set_tags(Some(
                            list(item, "Tags")
                                .iter()
                                .map(|tag| {
                                    Tag::builder()
                                        .set_key(text(tag, "Key"))
                                        .set_value(text(tag, "Value"))
                                        .build()
                                })
                                .collect(),
                        ))
                        .build()
                })
                .collect(),
        ))
    }

    /// The rules of an ingress or egress call: `--ip-permissions`, else `--protocol --port
    /// --cidr`.
    pub fn permissions(&self) -> Result<Option<Vec<IpPermission>>, Failure> {
        if let Some(items) = self.structures("ip-permissions")? {
            return items
                .iter()
                .map(permission)
                .collect::<Result<_, _>>()
                .map(Some);
        }
        let Some(protocol) = self.one("protocol")? else {
            return Ok(None);
        };
        let (from, to) = match self.one("port")? {
            Some(port) => ports(&port)?,
            None => (None, None),
        };
        // The CLI spells every protocol `all` and sends AWS's `-1`.
        let protocol = if protocol == "all" {
            "-1".to_string()
        } else {
            protocol
        };
        let mut rule = IpPermission::builder()
            .ip_protocol(protocol)
            .set_from_port(from)
            .set_to_port(to);
        if let Some(cidr) = self.one("cidr")? {
            rule = rule.ip_ranges(IpRange::builder().cidr_ip(cidr).build());
        }
        if let Some(group) = self.one("source-group")? {
            let pair = UserIdGroupPair::builder();
            rule = rule.user_id_group_pairs(if group.starts_with("sg-") {
                pair.group_id(group).build()
            } else {
                pair.group_name(group).build()
            });
        }
        Ok(Some(vec![rule.build()]))
    }
}

/// `22` or `8000-8080` (`-1` for all).
fn ports(port: &str) -> Result<(Option<i32>, Option<i32>), Failure> {
    let bad = || {
        Failure::Client(
            "port parameter should be of the form <from[-to]> (e.g., 22 or 22-25)".to_string(),
        )
    };
    let number = |text: &str| text.trim().parse::<i32>().map_err(|_| bad());
    if port == "-1" || port == "all" {
        return Ok((Some(-1), Some(-1)));
    }
    match port.split_once('-') {
        Some((from, to)) => Ok((Some(number(from)?), Some(number(to)?))),
        None => {
            let only = number(port)?;
            Ok((Some(only), Some(only)))
        }
    }
}

fn permission(item: &Value) -> Result<IpPermission, Failure> {
    let port = |key: &str| -> Result<Option<i32>, Failure> {
        match item.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(n.as_i64().and_then(|n| i32::try_from(n).ok())),
            Some(other) => {
                let text = other.as_str().unwrap_or_default();
                text.trim().parse().map(Some).map_err(|_| {
                    Failure::Client(format!(
                        "Error parsing parameter '--ip-permissions': invalid literal for \
                         int() with base 10: '{text}'"
                    ))
                })
            }
        }
    };
    Ok(IpPermission::builder()
        .set_ip_protocol(text(item, "IpProtocol"))
        .set_from_port(port("FromPort")?)
        .set_to_port(port("ToPort")?)
        .set_ip_ranges(item.get("IpRanges").map(|_| {
            list(item, "IpRanges")
                .iter()
                .map(|range| {
                    IpRange::builder()
                        .set_cidr_ip(text(range, "CidrIp"))
                        .set_description(text(range, "Description"))
                        .build()
                })
                .collect()
        }))
        .set_user_id_group_pairs(item.get("UserIdGroupPairs").map(|_| {
            list(item, "UserIdGroupPairs")
                .iter()
                .map(|pair| {
                    UserIdGroupPair::builder()
                        .set_group_id(text(pair, "GroupId"))
                        .set_group_name(text(pair, "GroupName"))
                        .set_description(text(pair, "Description"))
                        .build()
                })
                .collect()
        }))
        .build())
}

/// Makes an EC2 call and renders its answer as the CLI's JSON.
pub async fn call(
    p: &Params<'_>,
    operation: Operation,
    config: &SdkConfig,
) -> Result<Value, Failure> {
    let op = operation.cli_name();
    let ec2 = aws_sdk_ec2::Client::new(config);
    match operation {
        Operation::DescribeInstances => {
            let mut reservations = Vec::new();
            let mut pages = ec2
                .describe_instances()
                .set_instance_ids(p.strings("instance-ids")?)
                .set_filters(p.filters()?)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_failure(op, error))?;
                reservations.extend(page.reservations().iter().cloned());
            }
            Ok(cli_json::ec2::describe_instances(&reservations))
        }
        Operation::DescribeSecurityGroups => {
            let mut groups = Vec::new();
            let mut pages = ec2
                .describe_security_groups()
                .set_group_ids(p.strings("group-ids")?)
                .set_group_names(p.strings("group-names")?)
                .set_filters(p.filters()?)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_failure(op, error))?;
                groups.extend(page.security_groups().iter().cloned());
            }
            Ok(cli_json::ec2::describe_security_groups(&groups))
        }
        Operation::DescribeKeyPairs => {
            let request = ec2
                .describe_key_pairs()
                .set_key_names(p.strings("key-names")?)
                .set_key_pair_ids(p.strings("key-pair-ids")?)
                .set_filters(p.filters()?)
                .send();
            let pairs = send(op, request).await?;
            Ok(cli_json::ec2::describe_key_pairs(pairs.key_pairs()))
        }
        Operation::DescribeAddresses => {
            let request = ec2
                .describe_addresses()
                .set_public_ips(p.strings("public-ips")?)
                .set_allocation_ids(p.strings("allocation-ids")?)
                .set_filters(p.filters()?)
                .send();
            let answer = send(op, request).await?;
            let address = |a: &aws_sdk_ec2::types::Address| {
                cli_json::Object::new()
                    .opt("InstanceId", a.instance_id())
                    .opt("PublicIp", a.public_ip())
                    .opt("AllocationId", a.allocation_id())
                    .opt("AssociationId", a.association_id())
                    .opt("Domain", a.domain().map(|domain| domain.as_str()))
                    .opt("NetworkInterfaceId", a.network_interface_id())
                    .opt("NetworkInterfaceOwnerId", a.network_interface_owner_id())
                    .opt("PrivateIpAddress", a.private_ip_address())
                    .opt_list(
                        "Tags",
                        a.tags.as_deref(),
                        |tag| serde_json::json!({"Key": tag.key(), "Value": tag.value()}),
                    )
                    .opt("PublicIpv4Pool", a.public_ipv4_pool())
                    .opt("NetworkBorderGroup", a.network_border_group())
                    .build()
            };
            Ok(cli_json::Object::new()
                .list("Addresses", answer.addresses(), address)
                .build())
        }
        Operation::DescribeImages => {
            let request = ec2
                .describe_images()
                .set_owners(p.strings("owners")?)
                .set_image_ids(p.strings("image-ids")?)
                .set_filters(p.filters()?)
                .send();
            let images = send(op, request).await?;
            Ok(cli_json::ec2::describe_images(images.images()))
        }
        Operation::DescribeInstanceTypes => {
            let mut types = Vec::new();
            let mut pages = ec2
                .describe_instance_types()
                .set_instance_types(
                    p.strings("instance-types")?
                        .map(|names| names.iter().map(|name| name.as_str().into()).collect()),
                )
                .set_filters(p.filters()?)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_failure(op, error))?;
                types.extend(page.instance_types().iter().cloned());
            }
            Ok(cli_json::ec2::describe_instance_types(&types))
        }
        Operation::GetPasswordData => {
            // Read first, as the CLI does: a wrong path fails before any call.
            let key = match p.args.param("priv-launch-key") {
                Some([path]) => Some(p.files.read_to_string(path).map_err(|_| {
                    Failure::Client(
                        "priv-launch-key should be a path to the local SSH private key file \
                         used to launch the instance."
                            .into(),
                    )
                })?),
                Some(_) => {
                    return Err(Failure::Usage(
                        "argument --priv-launch-key: expected one argument".into(),
                    ));
                }
                None => None,
            };
            let request = ec2
                .get_password_data()
                .set_instance_id(p.one("instance-id")?);
            let mut answer = cli_json::ec2::get_password_data(&send(op, request.send()).await?);
            if let Some(key) = key {
                let encrypted = answer["PasswordData"].as_str().unwrap_or_default().trim();
                if !encrypted.is_empty() {
                    answer["PasswordData"] = Value::from(decrypt_password(&key, encrypted)?);
                }
            }
            Ok(answer)
        }
        Operation::CreateSecurityGroup => {
            let request = ec2
                .create_security_group()
                .group_name(p.required("group-name")?)
                .description(p.required("description")?)
                .set_vpc_id(p.one("vpc-id")?)
                .set_tag_specifications(p.tag_specifications()?)
                .send();
            Ok(cli_json::ec2::create_security_group(
                &send(op, request).await?,
            ))
        }
        Operation::AuthorizeSecurityGroupIngress => {
            let request = ec2
                .authorize_security_group_ingress()
                .set_group_id(p.one("group-id")?)
                .set_group_name(p.one("group-name")?)
                .set_ip_permissions(p.permissions()?)
                .send();
            let made = send(op, request).await?;
            Ok(cli_json::ec2::authorize_rules(
                made.r#return(),
                made.security_group_rules.as_deref(),
            ))
        }
        Operation::RevokeSecurityGroupIngress => {
            let request = ec2
                .revoke_security_group_ingress()
                .set_group_id(p.one("group-id")?)
                .set_group_name(p.one("group-name")?)
                .set_ip_permissions(p.permissions()?)
                .send();
            let taken = send(op, request).await?;
            Ok(cli_json::ec2::revoke_rules(
                taken.r#return(),
                taken.unknown_ip_permissions.as_deref(),
                taken.revoked_security_group_rules.as_deref(),
            ))
        }
        Operation::AuthorizeSecurityGroupEgress => {
            let request = ec2
                .authorize_security_group_egress()
                .set_group_id(p.one("group-id")?)
                .set_ip_permissions(p.permissions()?)
                .send();
            let made = send(op, request).await?;
            Ok(cli_json::ec2::authorize_rules(
                made.r#return(),
                made.security_group_rules.as_deref(),
            ))
        }
        Operation::RevokeSecurityGroupEgress => {
            let request = ec2
                .revoke_security_group_egress()
                .set_group_id(p.one("group-id")?)
                .set_ip_permissions(p.permissions()?)
                .send();
            let taken = send(op, request).await?;
            Ok(cli_json::ec2::revoke_rules(
                taken.r#return(),
                taken.unknown_ip_permissions.as_deref(),
                taken.revoked_security_group_rules.as_deref(),
            ))
        }
        Operation::DeleteSecurityGroup => {
            let request = ec2
                .delete_security_group()
                .set_group_id(p.one("group-id")?)
                .set_group_name(p.one("group-name")?)
                .send();
            let deleted = send(op, request).await?;
            Ok(cli_json::Object::new()
                .opt("Return", deleted.r#return())
                .opt("GroupId", deleted.group_id())
                .build())
        }
        Operation::CreateKeyPair => {
            let request = ec2
                .create_key_pair()
                .key_name(p.required("key-name")?)
                .set_key_type(p.one("key-type")?.map(|t| t.as_str().into()))
                .set_key_format(p.one("key-format")?.map(|f| f.as_str().into()))
                .set_tag_specifications(p.tag_specifications()?)
                .send();
            Ok(cli_json::ec2::create_key_pair(&send(op, request).await?))
        }
        Operation::DeleteKeyPair => {
            let request = ec2
                .delete_key_pair()
                .set_key_name(p.one("key-name")?)
                .set_key_pair_id(p.one("key-pair-id")?)
                .send();
            let deleted = send(op, request).await?;
            Ok(cli_json::Object::new()
                .opt("Return", deleted.r#return())
                .opt("KeyPairId", deleted.key_pair_id())
                .build())
        }
        Operation::RunInstances => {
            let (min, max) = match p.one("count")? {
                None => (1, 1),
                Some(count) => count_range(&count)?,
            };
            let public = if p.flag("associate-public-ip-address") {
                Some(true)
            } else if p.flag("no-associate-public-ip-address") {
                Some(false)
            } else {
                None
            };
            let mut request = ec2
                .run_instances()
                .set_image_id(p.one("image-id")?)
                .set_instance_type(p.one("instance-type")?.map(|t| t.as_str().into()))
                .set_key_name(p.one("key-name")?)
                .set_tag_specifications(p.tag_specifications()?)
                .min_count(min)
                .max_count(max);
            // The CLI puts the groups and the public address on a network interface when it
            // is asked for the address, as the API wants them there.
            match public {
                Some(public) => {
                    let interface =
                        aws_sdk_ec2::types::InstanceNetworkInterfaceSpecification::builder()
                            .device_index(0)
                            .associate_public_ip_address(public)
                            .set_groups(p.strings("security-group-ids")?)
                            .set_subnet_id(p.one("subnet-id")?)
                            .build();
                    request = request.network_interfaces(interface);
                }
                None => {
                    request = request
                        .set_security_group_ids(p.strings("security-group-ids")?)
                        .set_security_groups(p.strings("security-groups")?)
                        .set_subnet_id(p.one("subnet-id")?);
                }
            }
            Ok(cli_json::ec2::run_instances(
                &send(op, request.send()).await?,
            ))
        }
        Operation::TerminateInstances => {
            let request = ec2
                .terminate_instances()
                .set_instance_ids(Some(required_list(p, "instance-ids")?))
                .send();
            let changes = send(op, request).await?;
            Ok(cli_json::ec2::state_changes(
                "TerminatingInstances",
                changes.terminating_instances(),
            ))
        }
        Operation::StartInstances => {
            let request = ec2
                .start_instances()
                .set_instance_ids(Some(required_list(p, "instance-ids")?))
                .send();
            let changes = send(op, request).await?;
            Ok(cli_json::ec2::state_changes(
                "StartingInstances",
                changes.starting_instances(),
            ))
        }
        Operation::StopInstances => {
            let request = ec2
                .stop_instances()
                .set_instance_ids(Some(required_list(p, "instance-ids")?))
                .send();
            let changes = send(op, request).await?;
            Ok(cli_json::ec2::state_changes(
                "StoppingInstances",
                changes.stopping_instances(),
            ))
        }
        other => Err(Failure::Usage(format!(
            "argument operation: Invalid choice: '{other}'"
        ))),
    }
}

/// A Windows password as `--priv-launch-key` shows it: the base64 PasswordData decrypted with
/// the key pair's private key (RSA, PKCS#1 v1.5, as EC2 encrypts it).
fn decrypt_password(pem: &str, encrypted: &str) -> Result<String, Failure> {
    use base64::Engine;
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let refused = || {
        Failure::Client("Unable to decrypt password data using provided private key file.".into())
    };
    // Saved with `--output text > key.pem`, the key ends in a blank line the strict PEM
    // parser refuses; the CLI's is lenient.
    let pem = pem.trim();
    let key = rsa::RsaPrivateKey::from_pkcs1_pem(pem)
        .or_else(|_| rsa::RsaPrivateKey::from_pkcs8_pem(pem))
        .map_err(|_| refused())?;
    // EC2 wraps the base64 in lines; the line breaks are not part of it.
    let encrypted: String = encrypted.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encrypted)
        .map_err(|_| refused())?;
    let password = key
        .decrypt(rsa::Pkcs1v15Encrypt, &bytes)
        .map_err(|_| refused())?;
    String::from_utf8(password).map_err(|_| refused())
}

fn required_list(p: &Params, name: &str) -> Result<Vec<String>, Failure> {
    p.strings(name)?
        .filter(|list| !list.is_empty())
        .ok_or_else(|| Failure::Usage(format!("the following arguments are required: --{name}")))
}

/// `--count 2` or `--count 1:3`.
fn count_range(count: &str) -> Result<(i32, i32), Failure> {
    let bad = || {
        Failure::Client(format!(
            "count parameter should be of form min[:max] (e.g. 1 or 1:10), got {count}"
        ))
    };
    let number = |text: &str| text.trim().parse::<i32>().map_err(|_| bad());
    match count.split_once(':') {
        Some((min, max)) => Ok((number(min)?, number(max)?)),
        None => {
            let n = number(count)?;
            Ok((n, n))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws_cli::Args;
    use crate::aws_cli::failure::operation_name;

    #[test]
    fn operations_are_named_as_in_the_api() {
        assert_eq!(
            operation_name("create-security-group"),
            "CreateSecurityGroup"
        );
        assert_eq!(operation_name("get-caller-identity"), "GetCallerIdentity");
        assert_eq!(operation_name("enable-mfa-device"), "EnableMFADevice");
    }

    #[test]
    fn ports_and_counts_read_as_the_cli_reads_them() {
        assert_eq!(ports("22").ok(), Some((Some(22), Some(22))));
        assert_eq!(ports("8000-8080").ok(), Some((Some(8000), Some(8080))));
        assert_eq!(ports("-1").ok(), Some((Some(-1), Some(-1))));
        assert!(ports("ssh").is_err());
        assert_eq!(count_range("2").ok(), Some((2, 2)));
        assert_eq!(count_range("1:3").ok(), Some((1, 3)));
    }

    #[test]
    fn file_values_are_read_from_the_working_folder() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(
            dir.path().join("rules.json"),
            r#"[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                 "IpRanges": [{"CidrIp": "1.2.3.4/32"}]}]"#,
        )
        .expect("write");
        let words: Vec<String> = [
            "ec2",
            "authorize-security-group-ingress",
            "--ip-permissions",
        ]
        .iter()
        .map(|w| w.to_string())
        .chain(["file://rules.json".to_string()])
        .collect();
        let args = Args::parse(&words).expect("parse");
        let params = Params {
            args: &args,
            files: &crate::workstation::Workstation::host(dir.path()),
        };
        let rules = params.permissions().ok().flatten().expect("rules");
        assert_eq!(rules[0].from_port(), Some(22));
        assert_eq!(rules[0].ip_ranges()[0].cidr_ip(), Some("1.2.3.4/32"));
        let missing = Args::parse(&[
            "ec2".into(),
            "describe-instances".into(),
            "--filters".into(),
            "file://nope.json".into(),
        ])
        .expect("parse");
        let params = Params {
            args: &missing,
            files: &crate::workstation::Workstation::host(dir.path()),
        };
        assert!(matches!(params.filters(), Err(Failure::Client(_))));
    }

    #[test]
    fn shorthand_rules_become_the_sdk_s() {
        let words: Vec<String> = [
            "ec2",
            "authorize-security-group-ingress",
            "--group-id",
            "sg-1",
            "--ip-permissions",
            "IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=1.2.3.4/32}]",
        ]
        .map(String::from)
        .to_vec();
        let args = Args::parse(&words).expect("parse");
        let params = Params {
            args: &args,
            files: &crate::workstation::Workstation::host("."),
        };
        let rules = params.permissions().ok().flatten().expect("rules");
        assert_eq!(rules[0].ip_protocol(), Some("tcp"));
        assert_eq!(rules[0].to_port(), Some(22));
        let words = [
            "ec2",
            "authorize-security-group-ingress",
            "--protocol",
            "tcp",
            "--port",
            "22",
            "--cidr",
            "1.2.3.4/32",
        ]
        .map(String::from)
        .to_vec();
        let args = Args::parse(&words).expect("parse");
        let params = Params {
            args: &args,
            files: &crate::workstation::Workstation::host("."),
        };
        let rules = params.permissions().ok().flatten().expect("rules");
        assert_eq!(rules[0].from_port(), Some(22));
        assert_eq!(rules[0].ip_ranges()[0].cidr_ip(), Some("1.2.3.4/32"));
    }
}

#[cfg(test)]
mod password_tests {
    use super::decrypt_password;
    use cloudlings_emulator::keys;

    #[test]
    fn the_launch_key_opens_a_windows_password() {
        let key = keys::generate(keys::KeyType::Rsa, keys::KeyFormat::Pem, "win").expect("key");
        let encrypted = keys::encrypt_to(&key.public_openssh, b"Adm1n!pass").expect("encrypt");
        assert_eq!(
            decrypt_password(&key.private_pem, &encrypted)
                .ok()
                .as_deref(),
            Some("Adm1n!pass")
        );
        let other = keys::generate(keys::KeyType::Rsa, keys::KeyFormat::Pem, "x").expect("key");
        assert!(decrypt_password(&other.private_pem, &encrypted).is_err());
    }
}
