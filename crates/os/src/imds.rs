//! The instance metadata service at 169.254.169.254, IMDSv2 only (as Amazon Linux 2023 and
//! recent Ubuntu AMIs launch with `HttpTokens=required`).
//!
//! Tokens carry their own expiry under a MAC keyed by the instance's secret, so the service
//! keeps no state: a token is valid on this instance until it expires, as on EC2.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::{Facts, HttpReply, HttpRequest};
use super::{distro, web};

pub(crate) const ADDRESS: &str = "169.254.169.254";
const TTL_HEADER: &str = "X-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aws-ec2-metadata-token";
/// A token's bytes: a version prefix, the expiry, and the MAC's first bytes; 56 characters in
/// base64, as EC2's are.
const TOKEN_PREFIX: [u8; 3] = [1, 0, 4];
const MAC_BYTES: usize = 31;

fn mac(facts: &Facts, expiry: i64) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&facts.secret)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(b"imdsv2-token");
    mac.update(facts.instance_id.as_bytes());
    mac.update(&expiry.to_be_bytes());
    mac.finalize().into_bytes()[..MAC_BYTES].to_vec()
}

/// A token valid for `ttl` seconds from now.
pub(crate) fn token(facts: &Facts, ttl: i64) -> String {
    let expiry = facts.now.unix_timestamp() + ttl;
    let mut bytes = TOKEN_PREFIX.to_vec();
    bytes.extend_from_slice(&expiry.to_be_bytes());
    bytes.extend_from_slice(&mac(facts, expiry));
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The seconds a token has left, if it is this instance's and still valid.
fn remaining(facts: &Facts, token: &str) -> Option<i64> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token.trim())
        .ok()?;
    if bytes.len() != TOKEN_PREFIX.len() + 8 + MAC_BYTES || bytes[..3] != TOKEN_PREFIX {
        return None;
    }
    let expiry = i64::from_be_bytes(bytes[3..11].try_into().ok()?);
    let expected = mac(facts, expiry);
    // Compared in constant time, as a MAC must be.
    let same = expected
        .iter()
        .zip(&bytes[11..])
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0;
    let left = expiry - facts.now.unix_timestamp();
    (same && left > 0).then_some(left)
}

fn reply(
    facts: &Facts,
    status: u16,
    content_type: &str,
    body: String,
    ttl: Option<i64>,
) -> HttpReply {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let mut headers = Vec::new();
    if let Some(ttl) = ttl {
        headers.push((
            "X-Aws-Ec2-Metadata-Token-Ttl-Seconds".to_string(),
            ttl.to_string(),
        ));
    }
    headers.push(("Content-Type".to_string(), content_type.to_string()));
    if status == 200 {
        headers.push(("Accept-Ranges".to_string(), "none".to_string()));
        headers.push((
            "Last-Modified".to_string(),
            web::http_date(facts.booted.unix_timestamp()),
        ));
    }
    if status == 405 {
        headers.push(("Allow".to_string(), "OPTIONS, GET, HEAD, PUT".to_string()));
    }
    headers.push(("Content-Length".to_string(), body.len().to_string()));
    headers.push((
        "Date".to_string(),
        web::http_date(facts.now.unix_timestamp()),
    ));
    headers.push(("Server".to_string(), "EC2ws".to_string()));
    headers.push(("Connection".to_string(), "close".to_string()));
    HttpReply {
        status,
        reason: reason.to_string(),
        headers,
        body: body.into_bytes(),
    }
}

/// The IMDS's error page, in its XHTML form.
fn error(facts: &Facts, status: u16) -> HttpReply {
    let title = match status {
        400 => "400 - Bad Request",
        401 => "401 - Unauthorized",
        403 => "403 - Forbidden",
        404 => "404 - Not Found",
        _ => "405 - Method Not Allowed",
    };
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n\t\t \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n <head>\n  <title>{title}</title>\n </head>\n <body>\n  <h1>{title}</h1>\n </body>\n</html>\n"
    );
    reply(facts, status, "text/html", body, None)
}

/// Answers a request to the metadata service.
pub(crate) fn serve(facts: &Facts, request: &HttpRequest) -> HttpReply {
    let path = request.path.split('?').next().unwrap_or("/");
    if request.header("X-Forwarded-For").is_some() {
        return error(facts, 403);
    }
    if path == "/latest/api/token" {
        if request.method != "PUT" {
            return error(facts, 405);
        }
        let ttl = request
            .header(TTL_HEADER)
            .and_then(|value| value.trim().parse::<i64>().ok())
            .filter(|ttl| (1..=21_600).contains(ttl));
        return match ttl {
            Some(ttl) => reply(facts, 200, "text/plain", token(facts, ttl), Some(ttl)),
            None => error(facts, 400),
        };
    }
    if request.method != "GET" && request.method != "HEAD" {
        return error(facts, 405);
    }
    let Some(left) = request
        .header(TOKEN_HEADER)
        .and_then(|token| remaining(facts, token))
    else {
        return error(facts, 401);
    };
    match lookup(facts, path) {
        Some((body, content_type)) => reply(facts, 200, content_type, body, Some(left)),
        None => error(facts, 404),
    }
}

fn lookup(facts: &Facts, path: &str) -> Option<(String, &'static str)> {
    let text = |body: String| Some((body, "text/plain"));
    let path = path.trim_end_matches('/');
    let mac = facts.mac.to_lowercase();
    let root_device = if facts.distro == super::Distro::Ubuntu {
        "/dev/sda1"
    } else {
        "/dev/xvda"
    };
    let digest = facts
        .instance_id
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
        });
    let interface_prefix = format!("/latest/meta-data/network/interfaces/macs/{mac}");
    match path {
        "" => text("latest".into()),
        "/latest" => text("dynamic\nmeta-data".into()),
        "/latest/meta-data" => {
            let mut entries = vec![
                "ami-id",
                "ami-launch-index",
                "ami-manifest-path",
                "block-device-mapping/",
                "hostname",
                "instance-action",
                "instance-id",
                "instance-life-cycle",
                "instance-type",
                "local-hostname",
                "local-ipv4",
                "mac",
                "network/",
                "placement/",
                "profile",
            ];
            if facts.public_ip.is_some() {
                entries.push("public-hostname");
                entries.push("public-ipv4");
            }
            if facts.public_key.is_some() {
                entries.push("public-keys/");
            }
            entries.extend(["reservation-id", "security-groups", "services/", "system"]);
            text(entries.join("\n"))
        }
        "/latest/meta-data/ami-id" => text(facts.image_id.clone()),
        "/latest/meta-data/ami-launch-index" => text("0".into()),
        "/latest/meta-data/ami-manifest-path" => text("(unknown)".into()),
        "/latest/meta-data/block-device-mapping" => text("ami\nroot".into()),
        "/latest/meta-data/block-device-mapping/ami"
        | "/latest/meta-data/block-device-mapping/root" => text(root_device.into()),
        "/latest/meta-data/hostname" | "/latest/meta-data/local-hostname" => {
            text(facts.private_dns.clone())
        }
        "/latest/meta-data/instance-action" => text("none".into()),
        "/latest/meta-data/instance-id" => text(facts.instance_id.clone()),
        "/latest/meta-data/instance-life-cycle" => text("on-demand".into()),
        "/latest/meta-data/instance-type" => text(facts.instance_type.clone()),
        "/latest/meta-data/local-ipv4" => text(facts.private_ip.clone()),
        "/latest/meta-data/mac" => text(mac.clone()),
        "/latest/meta-data/profile" => text("default-hvm".into()),
        "/latest/meta-data/public-hostname" => facts
            .public_ip
            .as_ref()
            .and_then(|_| text(facts.public_dns.clone())),
        "/latest/meta-data/public-ipv4" => facts.public_ip.clone().and_then(text),
        "/latest/meta-data/reservation-id" => text(format!("r-0{:016x}", digest)),
        "/latest/meta-data/security-groups" => text(facts.security_groups.join("\n")),
        "/latest/meta-data/system" => text(if distro::xen(facts) { "xen" } else { "nitro" }.into()),
        "/latest/meta-data/placement" => {
            text("availability-zone\navailability-zone-id\nregion".into())
        }
        "/latest/meta-data/placement/availability-zone" => text(facts.zone.clone()),
        "/latest/meta-data/placement/availability-zone-id" => facts.zone_id.clone().and_then(text),
        "/latest/meta-data/placement/region" => text(facts.region.clone()),
        "/latest/meta-data/public-keys" => {
            let name = facts.key_name.clone().unwrap_or_default();
            facts
                .public_key
                .as_ref()
                .and_then(|_| text(format!("0={name}")))
        }
        "/latest/meta-data/public-keys/0" => facts
            .public_key
            .as_ref()
            .and_then(|_| text("openssh-key".into())),
        "/latest/meta-data/public-keys/0/openssh-key" => facts
            .public_key
            .as_ref()
            .and_then(|key| text(format!("{}\n", key.trim_end()))),
        "/latest/meta-data/services" => text("domain\npartition".into()),
        "/latest/meta-data/services/domain" => text("amazonaws.com".into()),
        "/latest/meta-data/services/partition" => text("aws".into()),
        "/latest/meta-data/network" => text("interfaces/".into()),
        "/latest/meta-data/network/interfaces" => text("macs/".into()),
        "/latest/meta-data/network/interfaces/macs" => text(format!("{mac}/")),
        "/latest/dynamic" => text("instance-identity/".into()),
        "/latest/dynamic/instance-identity" => text("document".into()),
        "/latest/dynamic/instance-identity/document" => {
            let pending = facts.booted;
            text(format!(
                "{{\n  \"accountId\" : \"{}\",\n  \"architecture\" : \"x86_64\",\n  \"availabilityZone\" : \"{}\",\n  \"billingProducts\" : null,\n  \"devpayProductCodes\" : null,\n  \"marketplaceProductCodes\" : null,\n  \"imageId\" : \"{}\",\n  \"instanceId\" : \"{}\",\n  \"instanceType\" : \"{}\",\n  \"kernelId\" : null,\n  \"pendingTime\" : \"{}Z\",\n  \"privateIp\" : \"{}\",\n  \"ramdiskId\" : null,\n  \"region\" : \"{}\",\n  \"version\" : \"2017-09-30\"\n}}",
                facts.account_id,
                facts.zone,
                facts.image_id,
                facts.instance_id,
                facts.instance_type,
                distro::stamp(pending, '-').replacen(' ', "T", 1),
                facts.private_ip,
                facts.region
            ))
            .map(|(body, _)| (body, "text/plain"))
        }
        other => {
            let rest = other.strip_prefix(&interface_prefix)?;
            match rest {
                "" => text("device-number\nlocal-hostname\nlocal-ipv4s\nmac\nowner-id\npublic-hostname\npublic-ipv4s\nsecurity-groups".into()),
                "/device-number" => text("0".into()),
                "/local-hostname" => text(facts.private_dns.clone()),
                "/local-ipv4s" => text(facts.private_ip.clone()),
                "/mac" => text(mac.clone()),
                "/owner-id" => text(facts.account_id.clone()),
                "/public-hostname" => facts.public_ip.as_ref().and_then(|_| text(facts.public_dns.clone())),
                "/public-ipv4s" => facts.public_ip.clone().and_then(text),
                "/security-groups" => text(facts.security_groups.join("\n")),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Distro;
    use crate::testing::facts;

    fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> HttpRequest {
        HttpRequest {
            method: method.into(),
            host: ADDRESS.into(),
            port: 80,
            path: path.into(),
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Vec::new(),
        }
    }

    #[test]
    fn tokens_are_stateless_and_expire() {
        let mut facts = facts(Distro::AmazonLinux);
        let token = token(&facts, 60);
        assert_eq!(token.len(), 56);
        assert!(token.starts_with("AQAE"));
        assert_eq!(remaining(&facts, &token), Some(60));
        facts.now += time::Duration::seconds(61);
        assert_eq!(remaining(&facts, &token), None);
        let mut other = facts.clone();
        other.secret = [9; 32];
        other.now -= time::Duration::seconds(61);
        assert_eq!(remaining(&other, &token), None);
    }

    #[test]
    fn the_token_flow() {
        let facts = facts(Distro::AmazonLinux);
        let unauthorized = serve(&facts, &request("GET", "/latest/meta-data/", &[]));
        assert_eq!(unauthorized.status, 401);
        assert!(
            String::from_utf8_lossy(&unauthorized.body)
                .contains("<title>401 - Unauthorized</title>")
        );
        for ttl in ["0", "21601", "x"] {
            let bad = serve(
                &facts,
                &request("PUT", "/latest/api/token", &[(TTL_HEADER, ttl)]),
            );
            assert_eq!(bad.status, 400, "{ttl}");
        }
        assert_eq!(
            serve(&facts, &request("PUT", "/latest/api/token", &[])).status,
            400
        );
        let granted = serve(
            &facts,
            &request(
                "PUT",
                "/latest/api/token",
                &[("x-aws-ec2-metadata-token-ttl-seconds", "21600")],
            ),
        );
        assert_eq!(granted.status, 200);
        assert_eq!(
            granted.header("X-Aws-Ec2-Metadata-Token-Ttl-Seconds"),
            Some("21600")
        );
        let token = String::from_utf8(granted.body).expect("text");
        let get = |path: &str| serve(&facts, &request("GET", path, &[(TOKEN_HEADER, &token)]));
        assert_eq!(
            get("/latest/meta-data/instance-id").body,
            b"i-0abc123def4567890"
        );
        assert_eq!(get("/latest/meta-data/local-ipv4").body, b"172.31.5.20");
        assert_eq!(
            get("/latest/meta-data/placement/availability-zone").body,
            b"ap-northeast-2a"
        );
        assert_eq!(
            get("/latest/meta-data/placement/availability-zone-id").body,
            b"apne2-az1"
        );
        assert_eq!(get("/latest/meta-data/public-keys/").body, b"0=my-key");
        assert!(
            get("/latest/meta-data/")
                .body
                .starts_with(b"ami-id\nami-launch-index\n")
        );
        let document = String::from_utf8(get("/latest/dynamic/instance-identity/document").body)
            .expect("json");
        let parsed: serde_json::Value = serde_json::from_str(&document).expect("valid JSON");
        assert_eq!(parsed["instanceType"], "t2.micro");
        let missing = get("/latest/meta-data/nothing-here");
        assert_eq!(missing.status, 404);
        assert!(String::from_utf8_lossy(&missing.body).contains("<h1>404 - Not Found</h1>"));
        assert_eq!(get("/latest/meta-data/iam/").status, 404);
    }
}
