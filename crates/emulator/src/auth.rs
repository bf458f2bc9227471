//! Who signed a request: SigV4 verified against the installation's keys, with session tokens
//! and their expiry. Every route asks here, the AWS services and the `/_cloudlings/` admin
//! routes alike, so that none can be reached unsigned.

use http::{HeaderMap, Method};

use crate::context::Caller;
use crate::error::AwsError;
use crate::sigv4::{self, Authorization, SigError};
use crate::state::World;

/// Who signed a request, if the signature holds and the key is live. The key is looked up
/// under the world's lock and the signature checked after it is released.
pub fn authenticate(
    world: &World,
    service: &str,
    auth: &Result<Authorization, SigError>,
    method: &Method,
    uri: &http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Caller, AwsError> {
    let auth = auth.as_ref().map_err(|error| auth_error(service, error))?;
    let signed = sigv4::Request {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or_default(),
        headers,
        body,
    };
    let (key, now) = {
        let shared = world.lock();
        let key = shared
            .keys
            .get(&auth.scope.access_key)
            .filter(|key| key.active)
            .cloned()
            .ok_or_else(|| auth_error(service, &SigError::UnknownKey))?;
        // A request is dated by its signer's clock: the account's own simulated time.
        let now = sigv4::Now::of(&shared.clock, &key.account);
        (key, now)
    };
    auth.verify(&signed, &key.secret, now)
        .map_err(|error| auth_error(service, &error))?;
    let now = now.simulated;
    if let Some(session) = &key.session {
        let token = headers
            .get("x-amz-security-token")
            .and_then(|t| t.to_str().ok());
        if token != Some(session.token.as_str()) {
            return Err(auth_error(service, &SigError::UnknownKey));
        }
        if session.expires <= now {
            return Err(AwsError::new(
                403,
                "ExpiredToken",
                "The security token included in the request is expired",
            ));
        }
    }
    if !world.admit_request(&key.account) {
        return Err(throttled(service));
    }
    Ok(Caller {
        region: auth.scope.region.clone(),
        account: key.account.clone(),
        user: key.user.clone(),
        access_key: auth.scope.access_key.clone(),
        temporary: key.session.is_some(),
    })
}

/// A request over the account's rate ([`crate::quotas`]), in the service's own words, which
/// the SDKs and the CLI retry with backoff.
fn throttled(service: &str) -> AwsError {
    match service {
        "ec2" => AwsError::new(503, "RequestLimitExceeded", "Request limit exceeded."),
        _ => AwsError::new(400, "Throttling", "Rate exceeded"),
    }
}

/// An authentication failure in the service's own words.
fn auth_error(service: &str, error: &SigError) -> AwsError {
    if service == "ec2" {
        return match error {
            SigError::Missing => AwsError::new(
                401,
                "AuthFailure",
                "AWS was not able to validate the provided access credentials",
            ),
            SigError::Skewed { .. } => AwsError::new(400, "RequestExpired", error.to_string()),
            SigError::Malformed(message) => AwsError::new(401, "AuthFailure", message.clone()),
            _ => AwsError::new(
                401,
                "AuthFailure",
                "AWS was not able to validate the provided access credentials",
            ),
        };
    }
    match error {
        SigError::Missing => AwsError::new(403, "MissingAuthenticationToken", error.to_string()),
        SigError::UnknownKey => AwsError::new(403, "InvalidClientTokenId", error.to_string()),
        SigError::Mismatch | SigError::Skewed { .. } => {
            AwsError::new(403, "SignatureDoesNotMatch", error.to_string())
        }
        SigError::Malformed(message) => AwsError::new(400, "IncompleteSignature", message.clone()),
        SigError::ContentHash => AwsError::new(400, "XAmzContentSHA256Mismatch", error.to_string()),
    }
}
