//! AWS Signature Version 4, verified on the server side.
//!
//! Every request to the emulator is signed by its client (aws-sdk-rust, the aws CLI) exactly as
//! for AWS; the emulator rebuilds the canonical request from what arrived and checks the
//! signature with the secret it holds for the access key. Written here rather than taken from
//! a crate because the signing crates sign requests; none verifies them on a server.
//! Reference: <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>.

use hmac::{Hmac, KeyInit, Mac};
use http::HeaderMap;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use time::{
    OffsetDateTime, PrimitiveDateTime, format_description::FormatItem, macros::format_description,
};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// How far a request's signing time may be from the server's wall clock, as on AWS.
const MAX_SKEW: time::Duration = time::Duration::minutes(15);

/// The clocks a signing time is held against. Clients sign by the wall clock, but the
/// emulator's `Date` headers show its simulated clock, and an SDK that corrects for clock
/// skew (aws-sdk-rust does) goes on to sign by that, or by what it last saw of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    pub wall: OffsetDateTime,
    pub simulated: OffsetDateTime,
}

impl Now {
    /// The wall clock and `account`'s simulated time, read now.
    pub fn of(clock: &crate::clock::Clock, account: &str) -> Now {
        Now {
            wall: OffsetDateTime::now_utc(),
            simulated: clock.now_for(account),
        }
    }

    /// Both clocks at the same time.
    pub fn at(time: OffsetDateTime) -> Now {
        Now {
            wall: time,
            simulated: time,
        }
    }

    /// Whether a request signed at `signed` is fresh: no more than 15 minutes before the wall
    /// clock, nor after the simulated clock (which only runs ahead of it).
    pub fn accepts(&self, signed: OffsetDateTime) -> bool {
        signed >= self.wall - MAX_SKEW && signed <= self.latest()
    }

    /// The latest signing time either clock allows; a presigned URL, valid for days, has no
    /// earliest.
    pub fn latest(&self) -> OffsetDateTime {
        self.simulated.max(self.wall) + MAX_SKEW
    }
}

/// Everything but the unreserved characters of RFC 3986 is encoded.
const STRICT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// The same, keeping `/` as the path separator.
const PATH: &AsciiSet = &STRICT.remove(b'/');

const AMZ_DATE: &[FormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");

/// `20261208T031500Z`: a time as `X-Amz-Date` and a credential scope write it.
pub fn amz_date(time: OffsetDateTime) -> String {
    time.format(AMZ_DATE).unwrap_or_default()
}

/// Why a request's signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    #[error("Request is missing Authentication Token")]
    Missing,
    #[error("{0}")]
    Malformed(String),
    #[error("The security token included in the request is invalid.")]
    UnknownKey,
    #[error(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."
    )]
    Mismatch,
    #[error("Signature expired: {signed} is now earlier than {earliest} ({now} - 15 min.)")]
    Skewed {
        signed: String,
        earliest: String,
        now: String,
    },
    #[error("The provided 'x-amz-content-sha256' header does not match what was computed.")]
    ContentHash,
}

/// The credential scope: who signed, when, and for which region and service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub access_key: String,
    pub date: String,
    pub region: String,
    pub service: String,
}

/// A parsed `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub scope: Scope,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// What of a request the signature covers.
#[derive(Debug)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The path as sent, percent-encoded.
    pub path: &'a str,
    /// The query string as sent, without `?`.
    pub query: &'a str,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

impl Authorization {
    /// Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
    pub fn parse(headers: &HeaderMap) -> Result<Authorization, SigError> {
        let value = headers
            .get(http::header::AUTHORIZATION)
            .ok_or(SigError::Missing)?;
        let value = value
            .to_str()
            .map_err(|_| SigError::Malformed("Authorization header is not ASCII".into()))?;
        let rest = value.strip_prefix(ALGORITHM).ok_or_else(|| {
            SigError::Malformed(format!(
                "Unsupported algorithm: only {ALGORITHM} is accepted"
            ))
        })?;
        let (mut credential, mut signed, mut signature) = (None, None, None);
        for part in rest.split(',') {
            match part.trim().split_once('=') {
                Some(("Credential", v)) => credential = Some(v),
                Some(("SignedHeaders", v)) => signed = Some(v),
                Some(("Signature", v)) => signature = Some(v),
                _ => {}
            }
        }
        let missing = |name: &str| {
            SigError::Malformed(format!("Authorization header requires '{name}' parameter."))
        };
        let credential = credential.ok_or_else(|| missing("Credential"))?;
        let signed = signed.ok_or_else(|| missing("SignedHeaders"))?;
        let signature = signature.ok_or_else(|| missing("Signature"))?;
        let parts: Vec<&str> = credential.split('/').collect();
        let [access_key, date, region, service, "aws4_request"] = parts.as_slice() else {
            return Err(SigError::Malformed(format!(
                "Credential should be scoped to a valid region, service and date: '{credential}'"
            )));
        };
        if access_key.is_empty() || date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SigError::Malformed(format!(
                "Credential is malformed: '{credential}'"
            )));
        }
        Ok(Authorization {
            scope: Scope {
                access_key: access_key.to_string(),
                date: date.to_string(),
                region: region.to_string(),
                service: service.to_string(),
            },
            signed_headers: signed.split(';').map(str::to_ascii_lowercase).collect(),
            signature: signature.to_ascii_lowercase(),
        })
    }

    /// Checks the signature with `secret`, and the signing time against the clocks `now`.
    pub fn verify(&self, request: &Request<'_>, secret: &str, now: Now) -> Result<(), SigError> {
        let amz_date = header(request.headers, "x-amz-date")
            .ok_or_else(|| SigError::Malformed("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.".into()))?;
        let signed_at = PrimitiveDateTime::parse(amz_date, AMZ_DATE)
            .map_err(|_| SigError::Malformed(format!("Invalid X-Amz-Date: '{amz_date}'")))?
            .assume_utc();
        if !amz_date.starts_with(&self.scope.date) {
            return Err(SigError::Malformed(format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}'",
                self.scope.date,
                &amz_date[..8]
            )));
        }
        if !now.accepts(signed_at) {
            let format = |t: OffsetDateTime| t.format(AMZ_DATE).unwrap_or_default();
            return Err(SigError::Skewed {
                signed: amz_date.to_string(),
                earliest: format(now.wall - MAX_SKEW),
                now: format(now.wall),
            });
        }
        if !self.signed_headers.iter().any(|h| h == "host") {
            return Err(SigError::Malformed(
                "'Host' must be a 'SignedHeader' in the AWS Authorization.".into(),
            ));
        }
        let payload_hash = payload_hash(request)?;
        let canonical = self.canonical_request(request, &payload_hash);
        let string_to_sign = format!(
            "{ALGORITHM}\n{amz_date}\n{}/{}/{}/aws4_request\n{}",
            self.scope.date,
            self.scope.region,
            self.scope.service,
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        let key = signing_key(secret, &self.scope);
        let expected = hex::encode(hmac(&key, string_to_sign.as_bytes()));
        if constant_time_eq(expected.as_bytes(), self.signature.as_bytes()) {
            Ok(())
        } else {
            tracing::debug!(%canonical, "signature mismatch");
            Err(SigError::Mismatch)
        }
    }

    fn canonical_request(&self, request: &Request<'_>, payload_hash: &str) -> String {
        let mut canonical = String::with_capacity(256 + request.query.len());
        canonical.push_str(request.method);
        canonical.push('\n');
        canonical.push_str(&canonical_path(request.path, &self.scope.service));
        canonical.push('\n');
        canonical.push_str(&canonical_query(request.query));
        canonical.push('\n');
        for name in &self.signed_headers {
            let values: Vec<String> = request
                .headers
                .get_all(name.as_str())
                .iter()
                .map(|value| collapse_spaces(&String::from_utf8_lossy(value.as_bytes())))
                .collect();
            canonical.push_str(name);
            canonical.push(':');
            canonical.push_str(&values.join(","));
            canonical.push('\n');
        }
        canonical.push('\n');
        canonical.push_str(&self.signed_headers.join(";"));
        canonical.push('\n');
        canonical.push_str(payload_hash);
        canonical
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// The hash the client signed: declared in `x-amz-content-sha256` (and then checked against
/// the body when it is a hash), or computed from the body.
fn payload_hash(request: &Request<'_>) -> Result<String, SigError> {
    match header(request.headers, "x-amz-content-sha256") {
        Some(declared)
            if declared.len() == 64 && declared.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            let actual = hex::encode(Sha256::digest(request.body));
            if actual.eq_ignore_ascii_case(declared) {
                Ok(declared.to_ascii_lowercase())
            } else {
                Err(SigError::ContentHash)
            }
        }
        // UNSIGNED-PAYLOAD and the STREAMING-* forms are signed as they are written.
        Some(declared) => Ok(declared.to_string()),
        None => Ok(hex::encode(Sha256::digest(request.body))),
    }
}

/// The path as signed: S3 signs it as sent; every other service encodes it once more.
fn canonical_path(path: &str, service: &str) -> String {
    let path = if path.is_empty() { "/" } else { path };
    if service == "s3" {
        path.to_string()
    } else {
        utf8_percent_encode(path, PATH).to_string()
    }
}

/// Query parameters decoded, strictly re-encoded, and sorted by name then value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (reencode(name), reencode(value))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn reencode(component: &str) -> String {
    // A `+` in a query string is a space to form decoders but a literal `+` to SigV4.
    let decoded = percent_decode_str(component).decode_utf8_lossy();
    utf8_percent_encode(&decoded, STRICT).to_string()
}

fn collapse_spaces(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn signing_key(secret: &str, scope: &Scope) -> Vec<u8> {
    let date = hmac(format!("AWS4{secret}").as_bytes(), scope.date.as_bytes());
    let region = hmac(&date, scope.region.as_bytes());
    let service = hmac(&region, scope.service.as_bytes());
    hmac(&service, b"aws4_request")
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Signs a request the way a client does: for tests, and for the shell's own requests to an
/// emulator it does not embed.
pub fn sign(request: &Request<'_>, scope: &Scope, signed_headers: &[&str], secret: &str) -> String {
    let authorization = Authorization {
        scope: scope.clone(),
        signed_headers: signed_headers.iter().map(|h| h.to_string()).collect(),
        signature: String::new(),
    };
    let amz_date = header(request.headers, "x-amz-date").unwrap_or_default();
    let payload = payload_hash(request).unwrap_or_default();
    let canonical = authorization.canonical_request(request, &payload);
    let string_to_sign = format!(
        "{ALGORITHM}\n{amz_date}\n{}/{}/{}/aws4_request\n{}",
        scope.date,
        scope.region,
        scope.service,
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let signature = hex::encode(hmac(&signing_key(secret, scope), string_to_sign.as_bytes()));
    format!(
        "{ALGORITHM} Credential={}/{}/{}/{}/aws4_request, SignedHeaders={}, Signature={signature}",
        scope.access_key,
        scope.date,
        scope.region,
        scope.service,
        signed_headers.join(";")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn at(text: &str) -> OffsetDateTime {
        PrimitiveDateTime::parse(text, AMZ_DATE)
            .expect("date")
            .assume_utc()
    }

    /// AWS's published test suite, `get-vanilla-query-order-key-case`.
    fn vanilla() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("example.amazonaws.com"));
        headers.insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
        headers.insert(
            "authorization",
            HeaderValue::from_static(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
            ),
        );
        headers
    }

    fn request<'a>(headers: &'a HeaderMap, query: &'a str) -> Request<'a> {
        Request {
            method: "GET",
            path: "/",
            query,
            headers,
            body: b"",
        }
    }

    #[test]
    fn verifies_the_published_test_vector() {
        let headers = vanilla();
        let auth = Authorization::parse(&headers).expect("parse");
        assert_eq!(auth.scope.access_key, "AKIDEXAMPLE");
        assert_eq!(auth.scope.service, "service");
        let now = Now::at(at("20150830T123600Z"));
        auth.verify(
            &request(&headers, "Param2=value2&Param1=value1"),
            SECRET,
            now,
        )
        .expect("the published signature verifies");
    }

    #[test]
    fn refuses_a_changed_request_a_wrong_secret_and_a_stale_one() {
        let headers = vanilla();
        let auth = Authorization::parse(&headers).expect("parse");
        let now = Now::at(at("20150830T123600Z"));
        let good = request(&headers, "Param2=value2&Param1=value1");
        assert_eq!(
            auth.verify(
                &request(&headers, "Param2=value3&Param1=value1"),
                SECRET,
                now
            ),
            Err(SigError::Mismatch)
        );
        assert_eq!(
            auth.verify(&good, "not-the-secret", now),
            Err(SigError::Mismatch)
        );
        let later = Now::at(at("20150830T130000Z"));
        assert!(matches!(
            auth.verify(&good, SECRET, later),
            Err(SigError::Skewed { .. })
        ));
    }

    #[test]
    fn a_signing_time_may_follow_the_simulated_clock_ahead() {
        let wall = at("20261126T100000Z");
        let now = Now {
            wall,
            simulated: wall + time::Duration::days(3),
        };
        assert!(now.accepts(wall));
        assert!(now.accepts(wall + time::Duration::days(1)));
        assert!(now.accepts(now.simulated + time::Duration::minutes(14)));
        assert!(!now.accepts(now.simulated + time::Duration::minutes(16)));
        assert!(!now.accepts(wall - time::Duration::minutes(16)));
    }

    #[test]
    fn sign_and_verify_agree_on_a_post_with_a_body() {
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("127.0.0.1:4566"));
        headers.insert("x-amz-date", HeaderValue::from_static("20261126T100000Z"));
        headers.insert(
            "content-type",
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let body = b"Action=DescribeRegions&Version=2016-11-15";
        let scope = Scope {
            access_key: "AKIAEXAMPLE".into(),
            date: "20261126".into(),
            region: "ap-northeast-2".into(),
            service: "ec2".into(),
        };
        let unsigned = Request {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body,
        };
        let authorization = sign(
            &unsigned,
            &scope,
            &["content-type", "host", "x-amz-date"],
            "s3cret",
        );
        headers.insert(
            "authorization",
            HeaderValue::from_str(&authorization).expect("header"),
        );
        let auth = Authorization::parse(&headers).expect("parse");
        let request = Request {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body,
        };
        let now = Now::at(at("20261126T100500Z"));
        auth.verify(&request, "s3cret", now).expect("verifies");
        let tampered = Request {
            body: b"Action=DescribeRegions&Version=2016-11-16",
            ..request
        };
        assert_eq!(
            auth.verify(&tampered, "s3cret", now),
            Err(SigError::Mismatch)
        );
    }

    #[test]
    fn malformed_headers_are_told_apart() {
        let mut headers = HeaderMap::new();
        assert_eq!(Authorization::parse(&headers), Err(SigError::Missing));
        headers.insert("authorization", HeaderValue::from_static("AWS4-HMAC-SHA256 Credential=AKID/2015/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00"));
        assert!(matches!(
            Authorization::parse(&headers),
            Err(SigError::Malformed(_))
        ));
        headers.insert(
            "authorization",
            HeaderValue::from_static("Basic dXNlcjpwYXNz"),
        );
        assert!(matches!(
            Authorization::parse(&headers),
            Err(SigError::Malformed(_))
        ));
    }

    #[test]
    fn a_declared_payload_hash_must_match_the_body() {
        let mut headers = vanilla();
        headers.insert(
            "x-amz-content-sha256",
            HeaderValue::from_static(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
        );
        let empty = Request {
            method: "PUT",
            path: "/b/k",
            query: "",
            headers: &headers,
            body: b"",
        };
        assert!(payload_hash(&empty).is_ok());
        let other = Request {
            body: b"x",
            ..empty
        };
        assert_eq!(payload_hash(&other), Err(SigError::ContentHash));
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical_query("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
        assert_eq!(canonical_query("k=a%20b&j=a+b"), "j=a%2Bb&k=a%20b");
        assert_eq!(canonical_path("/a%20b/c", "iam"), "/a%2520b/c");
        assert_eq!(canonical_path("/a%20b/c", "s3"), "/a%20b/c");
        assert_eq!(collapse_spaces("  a   b "), "a b");
    }
}
