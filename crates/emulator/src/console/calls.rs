//! The console's changes, made as the signed-in identity through the emulator's own API: a
//! request signed with the session's temporary credentials and handled exactly as one from
//! the aws CLI is, so a lesson's check cannot tell which way the learner went.

use std::net::IpAddr;

use bytes::Bytes;
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
    Iam,
}

impl Api {
    fn scope(self) -> (&'static str, &'static str) {
        match self {
            Api::Ec2 => ("ec2", "2016-11-15"),
            Api::Iam => ("iam", "2010-05-08"),
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
    let mut headers = HeaderMap::new();
    set(
        &mut headers,
        "content-type",
        "application/x-www-form-urlencoded; charset=utf-8",
    )?;
    let signed = Signed {
        method: "POST",
        path: "/",
        query: "",
        host: "console.localhost",
        region,
        service,
    };
    sign(&mut headers, &signed, keys, body.as_bytes())?;
    let uri: http::Uri = "/".parse().map_err(|_| refusal("the request"))?;
    let reply = respond_from(world, peer, &Method::POST, &uri, &headers, body.as_bytes());
    if reply.status == 200 {
        return Ok(reply.body);
    }
    Err(read_refusal(&reply.body))
}

/// What of a request the console signs besides its headers.
struct Signed<'a> {
    method: &'a str,
    /// Percent-encoded, as sent.
    path: &'a str,
    query: &'a str,
    host: &'a str,
    region: &'a str,
    service: &'a str,
}

fn set(headers: &mut HeaderMap, name: &'static str, value: &str) -> Result<(), Refusal> {
    let value = HeaderValue::from_str(value).map_err(|_| refusal("a header"))?;
    headers.insert(name, value);
    Ok(())
}

/// Signs a request as the session, by the wall clock as any client signs: adds the date,
/// the payload's hash, the session token and the `Authorization` over all of them and the
/// headers already set.
fn sign(
    headers: &mut HeaderMap,
    request: &Signed<'_>,
    keys: &Keys,
    body: &[u8],
) -> Result<(), Refusal> {
    let amz_date = sigv4::amz_date(OffsetDateTime::now_utc());
    set(headers, "host", request.host)?;
    set(headers, "x-amz-date", &amz_date)?;
    set(
        headers,
        "x-amz-content-sha256",
        &hex::encode(sha2::Sha256::digest(body)),
    )?;
    set(headers, "x-amz-security-token", &keys.token)?;
    let scope = Scope {
        access_key: keys.access_key.clone(),
        date: amz_date[..8].to_string(),
        region: request.region.to_string(),
        service: request.service.to_string(),
    };
    let mut names: Vec<&str> = headers.keys().map(http::HeaderName::as_str).collect();
    names.sort_unstable();
    let authorization = sigv4::sign(
        &sigv4::Request {
            method: request.method,
            path: request.path,
            query: request.query,
            headers,
            body,
        },
        &scope,
        &names,
        &keys.secret,
    );
    set(headers, "authorization", &authorization)
}

/// A CloudFront (REST-XML) request as the session: `path` under `/2020-05-31/`, answered
/// with the body and the resource's `ETag`.
pub fn cloudfront(
    world: &World,
    peer: Option<IpAddr>,
    keys: &Keys,
    method: Method,
    path: &str,
    body: &str,
    if_match: Option<&str>,
) -> Result<(String, Option<String>), Refusal> {
    let mut headers = HeaderMap::new();
    if !body.is_empty() {
        set(&mut headers, "content-type", "application/xml")?;
    }
    if let Some(etag) = if_match {
        set(&mut headers, "if-match", etag)?;
    }
    let path = format!("/2020-05-31/{path}");
    let signed = Signed {
        method: method.as_str(),
        path: &path,
        query: "",
        host: "cloudfront.amazonaws.com",
        region: "us-east-1",
        service: "cloudfront",
    };
    sign(&mut headers, &signed, keys, body.as_bytes())?;
    let uri: http::Uri = path.parse().map_err(|_| refusal("the request"))?;
    let reply = respond_from(world, peer, &method, &uri, &headers, body.as_bytes());
    if reply.status >= 300 {
        return Err(read_refusal(&reply.body));
    }
    let etag = reply
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("etag"))
        .map(|(_, value)| value.clone());
    Ok((reply.body, etag))
}

/// What S3 answered: the status and the body.
#[derive(Debug)]
pub struct S3Answer {
    pub status: u16,
    pub body: Bytes,
}

/// An S3 request as the session, to the emulator's S3 through the same service the endpoint
/// runs, path-style. `path` is `/bucket` or `/bucket/key`, percent-encoded.
#[allow(clippy::too_many_arguments)]
pub fn s3(
    service: &s3s::service::S3Service,
    world: &World,
    keys: &Keys,
    method: Method,
    path: &str,
    query: &str,
    content_type: Option<&str>,
    body: Bytes,
) -> Result<S3Answer, Refusal> {
    let mut headers = HeaderMap::new();
    if let Some(content_type) = content_type {
        set(&mut headers, "content-type", content_type)?;
    }
    set(&mut headers, "content-length", &body.len().to_string())?;
    let host = world
        .net
        .endpoint()
        .map_or_else(|| "127.0.0.1".to_string(), |addr| addr.to_string());
    let signed = Signed {
        method: method.as_str(),
        path,
        query,
        host: &host,
        region: cloudlings_core::catalog::DEFAULT_REGION,
        service: "s3",
    };
    sign(&mut headers, &signed, keys, &body)?;
    let target = if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    };
    let mut request = http::Request::builder()
        .method(method.clone())
        .uri(target)
        .body(s3s::Body::from(body))
        .map_err(|_| refusal("the request"))?;
    *request.headers_mut() = headers;
    let runtime = tokio::runtime::Handle::try_current().map_err(|_| refusal("a runtime"))?;
    let answer = runtime.block_on(async {
        let response = service
            .call(request)
            .await
            .map_err(|_| refusal("an S3 answer"))?;
        let status = response.status().as_u16();
        let body = http_body_util::BodyExt::collect(response.into_body())
            .await
            .map_err(|_| refusal("an S3 answer"))?
            .to_bytes();
        // A change is answered once it is on disk, as the endpoint answers one.
        if method != Method::GET && method != Method::HEAD {
            let _ = world.flushed().durable().await;
        }
        Ok::<_, Refusal>(S3Answer { status, body })
    })?;
    if answer.status >= 300 {
        return Err(read_refusal(&String::from_utf8_lossy(&answer.body)));
    }
    Ok(answer)
}

/// An inbound rule as AuthorizeSecurityGroupIngress's `IpPermissions.N` takes it: a protocol
/// (`-1` for all traffic, which has no ports), a port range, and one IPv4 source.
pub fn ip_permission(
    n: usize,
    protocol: &str,
    ports: (&str, &str),
    cidr: &str,
) -> Vec<(String, String)> {
    let mut params = vec![(
        format!("IpPermissions.{n}.IpProtocol"),
        protocol.to_string(),
    )];
    if protocol != "-1" {
        params.push((format!("IpPermissions.{n}.FromPort"), ports.0.to_string()));
        params.push((format!("IpPermissions.{n}.ToPort"), ports.1.to_string()));
    }
    params.push((
        format!("IpPermissions.{n}.IpRanges.1.CidrIp"),
        cidr.to_string(),
    ));
    params
}

/// The text of the first element named `name` in an answer.
pub fn first(xml: &str, name: &str) -> Option<String> {
    let document = roxmltree::Document::parse(xml).ok()?;
    document
        .descendants()
        .find(|node| node.has_tag_name(name))
        .and_then(|node| node.text())
        .map(str::to_string)
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
