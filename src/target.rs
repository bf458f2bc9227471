//! Where the learner's cloud is: the embedded emulator, any AWS-compatible endpoint, or AWS
//! itself. Each gives an `aws_config::SdkConfig` for the checks' probes (and the shell's `aws`).
//!
//! Against the emulator or an endpoint the configuration comes from the target alone: its
//! endpoint and credentials, set explicitly. Nothing is read from the learner's `~/.aws`, the
//! environment or instance metadata, so start-up never waits on them and a learner's real
//! keys are never sent to an emulator. Only `--target aws` reads the standard credential chain
//! ([`Aws::load`]).

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;

use cloudlings_core::catalog::DEFAULT_REGION;

/// A cloud the checks can look at.
#[derive(Debug, Clone)]
pub enum Target {
    /// The shell's embedded emulator (or another `cloudlings serve`).
    Emulator(Endpoint),
    /// Another AWS-compatible endpoint (moto, LocalStack, …).
    Endpoint(Endpoint),
    /// An AWS account, through the standard credential chain: things cost money here.
    Aws(Box<Aws>),
}

/// `--target aws`: the configuration aws-config loaded, and where it points.
#[derive(Debug, Clone)]
pub struct Aws {
    config: SdkConfig,
    pub region: String,
    /// Whether the region came from the learner's configuration, or is the lecture's.
    pub region_chosen: bool,
    /// An endpoint that stands in for AWS (a moto server, say): its API only, so hosts on it
    /// cannot be reached over the network.
    pub endpoint_url: Option<String>,
}

impl Aws {
    /// The standard chain, as the aws CLI reads it: the environment, `~/.aws/config` and
    /// `credentials` (with `profile`), SSO. The region is `region`, else the profile's, else
    /// the lecture's Seoul.
    pub async fn load(
        profile: Option<&str>,
        region: Option<&str>,
        endpoint_url: Option<&str>,
    ) -> Aws {
        let mut loader = aws_config::defaults(BehaviorVersion::latest()).timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .operation_timeout(std::time::Duration::from_secs(60))
                .build(),
        );
        if let Some(profile) = profile {
            loader = loader.profile_name(profile);
        }
        if let Some(region) = region {
            loader = loader.region(Region::new(region.to_string()));
        }
        if let Some(url) = endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        let configured = config.region().map(|region| region.to_string());
        let region_chosen = configured.is_some();
        let region = configured.unwrap_or_else(|| DEFAULT_REGION.to_string());
        let config = config
            .into_builder()
            .region(Region::new(region.clone()))
            .build();
        Aws {
            config,
            region,
            region_chosen,
            endpoint_url: endpoint_url.map(str::to_string),
        }
    }
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
    pub fn emulator(url: &str, credentials: &cloudlings_emulator::Credentials) -> Target {
        Target::Emulator(Endpoint::new(
            url,
            credentials.access_key.clone(),
            credentials.secret.clone(),
        ))
    }

    /// The region calls go to unless they name one.
    pub fn region(&self) -> &str {
        match self {
            Target::Emulator(endpoint) | Target::Endpoint(endpoint) => &endpoint.region,
            Target::Aws(aws) => &aws.region,
        }
    }

    /// The AWS account, when the target is one.
    pub fn aws(&self) -> Option<&Aws> {
        match self {
            Target::Aws(aws) => Some(aws.as_ref()),
            _ => None,
        }
    }

    /// Whether the cloud's hosts (instances, distributions) can be reached over a network:
    /// the emulator's own, or the internet's on AWS. An endpoint that only answers the API
    /// has none.
    pub fn reaches_hosts(&self) -> bool {
        match self {
            Target::Emulator(_) => true,
            Target::Endpoint(_) => false,
            Target::Aws(aws) => aws.endpoint_url.is_none(),
        }
    }

    /// What the learner reads when the target cannot be reached.
    pub fn describe(&self) -> String {
        match self {
            Target::Emulator(endpoint) => format!("the emulator at {}", endpoint.url),
            Target::Endpoint(endpoint) => format!("the endpoint {}", endpoint.url),
            Target::Aws(aws) => match &aws.endpoint_url {
                Some(url) => format!("AWS at {url}"),
                None => format!("AWS in {}", aws.region),
            },
        }
    }

    /// The SDK's configuration for this target: built from the target alone, except for AWS,
    /// whose configuration the standard chain gave.
    pub fn sdk_config(&self) -> SdkConfig {
        let endpoint = match self {
            Target::Emulator(endpoint) | Target::Endpoint(endpoint) => endpoint,
            Target::Aws(aws) => return aws.config.clone(),
        };
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
