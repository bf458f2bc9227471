//! The console's changes, made as the signed-in identity through the emulator's own API: a
//! request signed with the session's temporary credentials and handled exactly as one from
//! the aws CLI is, so a lesson's check cannot tell which way the learner went.

use std::net::IpAddr;

use http::{HeaderMap, HeaderValue, Method};
use sha2::Digest;
use time::OffsetDateTime;

use super::sessions::Keys;
use crate::http::respond_from;
use crate::sigv4::{self, Scope};
use crate::state::World;

/// What the API answered when it refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: String,
    pub message: String,
}

/// A Query-protocol service and the API version its requests name.
#[derive(Debug, Clone, Copy)]
pub enum Api {
    Ec2,
}

impl Api {
    fn scope(self) -> (&'static str, &'static str) {
        match self {
            Api::Ec2 => ("ec2", "2016-11-15"),
        }
    }
}

/// Calls `action` with `params` as the holder of `keys`, and answers the response's XML.
pub fn call(
    world: &World,
    peer: Option<IpAddr>,
    keys: &Keys,
    region: &str,
    api: Api,
    action: &str,
    params: &[(&str, &str)],
) -> Result<String, Refusal> {
    let (service, version) = api.scope();
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("Action", action)
        .append_pair("Version", version)
        .extend_pairs(params)
        .finish();
    let headers = signed_headers(keys, region, service, body.as_bytes())?;
    let uri: http::Uri = "/".parse().map_err(|_| refusal("the request"))?;
    let reply = respond_from(world, peer, &Method::POST, &uri, &headers, body.as_bytes());
    if reply.status == 200 {
        return Ok(reply.body);
    }
    Err(read_refusal(&reply.body))
}

fn signed_headers(
    keys: &Keys,
    region: &str,
    service: &str,
    body: &[u8],
) -> Result<HeaderMap, Refusal> {
    let now = OffsetDateTime::now_utc();
    let amz_date = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let mut headers = HeaderMap::new();
    fn set(headers: &mut HeaderMap, name: &'static str, value: &str) -> Result<(), Refusal> {
        let value = HeaderValue::from_str(value).map_err(|_| refusal("a header"))?;
        headers.insert(name, value);
        Ok(())
    }
    set(&mut headers, "host", "console.localhost")?;
    set(
        &mut headers,
        "content-type",
        "application/x-www-form-urlencoded; charset=utf-8",
    )?;
    set(&mut headers, "x-amz-date", &amz_date)?;
    set(
        &mut headers,
        "x-amz-content-sha256",
        &hex::encode(sha2::Sha256::digest(body)),
    )?;
    set(&mut headers, "x-amz-security-token", &keys.token)?;
    let scope = Scope {
        access_key: keys.access_key.clone(),
        date: amz_date[..8].to_string(),
        region: region.to_string(),
        service: service.to_string(),
    };
    let request = sigv4::Request {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body,
    };
    let authorization = sigv4::sign(
        &request,
        &scope,
        &[
            "content-type",
            "host",
            "x-amz-content-sha256",
            "x-amz-date",
            "x-amz-security-token",
        ],
        &keys.secret,
    );
    set(&mut headers, "authorization", &authorization)?;
    Ok(headers)
}

fn refusal(what: &str) -> Refusal {
    Refusal {
        code: "InternalError".into(),
        message: format!("The console could not build {what}."),
    }
}

/// The `Code` and `Message` of an error response, in any of the Query services' envelopes.
fn read_refusal(body: &str) -> Refusal {
    let document = roxmltree::Document::parse(body).ok();
    let text = |name: &str| {
        document.as_ref().and_then(|document| {
            document
                .descendants()
                .find(|node| node.has_tag_name(name))
                .and_then(|node| node.text())
                .map(str::to_string)
        })
    };
    Refusal {
        code: text("Code").unwrap_or_else(|| "InternalError".into()),
        message: text("Message").unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_envelope_is_read_for_its_code_and_message() {
        let ec2 = "<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-1' does not exist</Message></Error></Errors></Response>";
        assert_eq!(
            read_refusal(ec2),
            Refusal {
                code: "InvalidInstanceID.NotFound".into(),
                message: "The instance ID 'i-1' does not exist".into()
            }
        );
        assert_eq!(read_refusal("not xml").code, "InternalError");
    }
}
