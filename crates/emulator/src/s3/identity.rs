//! s3s's two hooks into the emulator's accounts: the secret behind an access key (s3s checks
//! the signature itself, streaming chunks included), and the identity a verified request acts
//! as, handed to the handlers in the request's extensions; and the bucket-name rule, held
//! back until the request is ours so that its error carries S3's message.

use std::sync::Arc;

use s3s::access::{S3Access, S3AccessContext};
use s3s::auth::{S3Auth, SecretKey};
use s3s::path::{S3Path, check_bucket_name};
use s3s::validation::NameValidation;
use s3s::{S3Result, s3_error};

use super::access::Requester;
use crate::sigv4::Now;
use crate::state::World;

/// Looks up secrets in the emulator's key table.
#[derive(Debug)]
pub struct Keys(pub Arc<World>);

#[async_trait::async_trait]
impl S3Auth for Keys {
    async fn get_secret_key(&self, access_key: &str) -> S3Result<SecretKey> {
        let state = self.0.lock();
        match state.keys.get(access_key).filter(|key| key.active) {
            Some(key) => Ok(SecretKey::from(key.secret.as_str())),
            None => Err(s3_error!(
                InvalidAccessKeyId,
                "The AWS Access Key Id you provided does not exist in our records."
            )),
        }
    }
}

/// Turns verified credentials into a [`Requester`]; temporary keys must bring their live
/// session token, as on AWS.
#[derive(Debug)]
pub struct Gate(pub Arc<World>);

#[async_trait::async_trait]
impl S3Access for Gate {
    async fn check(&self, cx: &mut S3AccessContext<'_>) -> S3Result<()> {
        if let S3Path::Bucket { bucket } | S3Path::Object { bucket, .. } = cx.s3_path()
            && !check_bucket_name(bucket)
        {
            return Err(invalid_bucket_name());
        }
        let requester = match cx.credentials() {
            None => Requester::Anonymous,
            Some(credentials) => {
                let state = self.0.lock();
                let key = state
                    .keys
                    .get(&credentials.access_key)
                    .ok_or_else(|| s3_error!(InvalidAccessKeyId))?;
                // A request is dated by its signer's clock: the account's own simulated time.
                let now = Now::of(&state.clock, &key.account);
                let fresh = match signing_time(cx.headers(), cx.uri().query()) {
                    Some((signed, Signed::InHeaders)) => now.accepts(signed),
                    Some((signed, Signed::InUrl)) => signed <= now.latest(),
                    None => true,
                };
                if !fresh {
                    return Err(s3_error!(
                        RequestTimeTooSkewed,
                        "The difference between the request time and the current time is too large."
                    ));
                }
                if !self.0.admit_request(&key.account) {
                    return Err(s3_error!(SlowDown, "Please reduce your request rate."));
                }
                if let Some(session) = &key.session {
                    let token = cx
                        .headers()
                        .get("x-amz-security-token")
                        .and_then(|token| token.to_str().ok())
                        .map(str::to_string)
                        .or_else(|| query_value(cx.uri().query(), "X-Amz-Security-Token"));
                    if token.as_deref() != Some(session.token.as_str()) {
                        return Err(s3_error!(
                            InvalidToken,
                            "The provided token is malformed or otherwise invalid."
                        ));
                    }
                    if now.simulated >= session.expires {
                        return Err(s3_error!(ExpiredToken, "The provided token has expired."));
                    }
                }
                let arn = match &key.user {
                    None => format!("arn:aws:iam::{}:root", key.account),
                    Some(user) => format!("arn:aws:iam::{}:user/{user}", key.account),
                };
                Requester::Iam {
                    account: key.account.clone(),
                    arn,
                }
            }
        };
        cx.extensions_mut().insert(requester);
        Ok(())
    }
}

fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// Lets every non-empty bucket name through s3s's routing, whose own rejection has no message;
/// [`Gate`] applies S3's naming rules instead and answers with S3's words.
#[derive(Debug)]
pub struct AnyBucketName;

impl NameValidation for AnyBucketName {
    fn validate_bucket_name(&self, name: &str) -> bool {
        !name.is_empty()
    }
}

/// S3's answer to a bucket name its rules refuse (`Cat_Images`, `ab`, `192.168.0.1`).
fn invalid_bucket_name() -> s3s::S3Error {
    s3_error!(InvalidBucketName, "The specified bucket is not valid.")
}

/// Where a request carries its signature.
enum Signed {
    InHeaders,
    InUrl,
}

/// When a SigV4 request was signed: its `x-amz-date` header, or a presigned URL's
/// `X-Amz-Date`.
fn signing_time(
    headers: &http::HeaderMap,
    query: Option<&str>,
) -> Option<(time::OffsetDateTime, Signed)> {
    let (amz_date, signed) = match headers.get("x-amz-date") {
        Some(date) => (date.to_str().ok()?.to_string(), Signed::InHeaders),
        None => (query_value(query, "X-Amz-Date")?, Signed::InUrl),
    };
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let at = time::PrimitiveDateTime::parse(&amz_date, &format).ok()?;
    Some((at.assume_utc(), signed))
}
