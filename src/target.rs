//! Where the learner's cloud is: the embedded emulator, or any AWS-compatible endpoint. Each
//! gives an `aws_config::SdkConfig` for the checks' probes (and the shell's `aws`).
//!
//! Against the emulator or an endpoint the configuration comes from the target alone: its
//! endpoint and credentials, set explicitly. Nothing is read from the learner's `~/.aws`, the
//! environment or instance metadata, so start-up never waits on them and a learner's real
//! keys are never sent to an emulator.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;

use crate::emulator::catalog::DEFAULT_REGION;

/// A cloud the checks can look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The shell's embedded emulator (or another `cloudlings serve`).
    Emulator(Endpoint),
    /// Another AWS-compatible endpoint (moto, LocalStack, …).
    Endpoint(Endpoint),
}

/// An endpoint and the keys to sign for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub access_key: String,
    pub secret: String,
    pub region: String,
}

impl Endpoint {
    pub fn new(
        url: impl Into<String>,
        access_key: impl Into<String>,
        secret: impl Into<String>,
    ) -> Endpoint {
        Endpoint {
            url: url.into(),
            access_key: access_key.into(),
            secret: secret.into(),
            region: DEFAULT_REGION.to_string(),
        }
    }
}

impl Target {
    /// The emulator at `url`, signed for with `credentials`.
    pub fn emulator(url: &str, credentials: &crate::emulator::Credentials) -> Target {
        Target::Emulator(Endpoint::new(
            url,
            credentials.access_key.clone(),
            credentials.secret.clone(),
        ))
    }

    fn endpoint(&self) -> &Endpoint {
        match self {
            Target::Emulator(endpoint) | Target::Endpoint(endpoint) => endpoint,
        }
    }

    /// What the learner reads when the target cannot be reached.
    pub fn describe(&self) -> String {
        match self {
            Target::Emulator(endpoint) => format!("the emulator at {}", endpoint.url),
            Target::Endpoint(endpoint) => format!("the endpoint {}", endpoint.url),
        }
    }

    /// The SDK's configuration for this target, built from the target alone.
    pub fn sdk_config(&self) -> SdkConfig {
        let endpoint = self.endpoint();
        SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(&endpoint.url)
            .region(Region::new(endpoint.region.clone()))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                &endpoint.access_key,
                &endpoint.secret,
                None,
                None,
                "cloudlings",
            )))
            // The emulator is on loopback: a slow answer is a bug, not a network to wait on.
            .timeout_config(
                aws_config::timeout::TimeoutConfig::builder()
                    .operation_timeout(std::time::Duration::from_secs(10))
                    .build(),
            )
            .build()
    }
}

/// Runs `future` to its end from synchronous code, on a current-thread runtime of its own in a
/// thread of its own: the shell and the checks are synchronous and may be called from inside
/// another runtime (a test's, say), where blocking that runtime's thread is not allowed.
pub fn block_on<F>(future: F) -> Result<F::Output, String>
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|error| error.to_string())?;
                Ok(runtime.block_on(future))
            })
            .join()
            .unwrap_or_else(|_| Err("the call failed".to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configuration_comes_from_the_target_alone() {
        let target = Target::Endpoint(Endpoint::new(
            "http://127.0.0.1:4566",
            "AKIDEXAMPLE",
            "secret",
        ));
        let config = target.sdk_config();
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:4566"));
        assert_eq!(
            config.region().map(|region| region.as_ref()),
            Some(DEFAULT_REGION)
        );
        assert!(config.credentials_provider().is_some());
    }
}
