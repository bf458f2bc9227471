//! S3 on the emulator's endpoint, through the `s3s` crate: s3s speaks the REST protocol
//! (routing, XML, SigV4 including aws-chunked streaming bodies), the handlers here hold the
//! behaviour.
//!
//! # Layout
//!
//! - [`api`]: the [`s3s::S3`] implementation, delegating to `handlers`;
//! - [`identity`]: secrets for s3s's signature check, and the requester it establishes;
//! - [`access`] and [`policy`]: who may do what, with bucket policies and Block Public Access;
//! - [`bucket`], [`object`], [`upload`]: the state kept per bucket;
//! - [`blobs`]: object bytes on disk, streamed, checked, then made visible;
//! - [`listing`]: ListObjectsV2's walk over the keys.

pub mod access;
pub mod api;
pub mod blobs;
pub mod bucket;
mod handlers;
pub mod identity;
pub mod listing;
pub mod object;
pub mod policy;
pub mod upload;

use std::sync::Arc;

use s3s::config::{S3Config, StaticConfigProvider};
use s3s::host::{S3Host, VirtualHost};
use s3s::service::{S3Service, S3ServiceBuilder};

use self::blobs::Blobs;
use super::state::World;

/// The domain under which buckets are virtual hosts: `bucket.s3.localhost:PORT`.
pub const VIRTUAL_HOST_DOMAIN: &str = "s3.localhost";

/// The S3 service over `world`, storing bytes in `blobs`.
pub fn service(world: Arc<World>, blobs: Arc<Blobs>) -> S3Service {
    let mut builder = S3ServiceBuilder::new(api::Api {
        world: world.clone(),
        blobs,
    });
    builder.set_auth(identity::Keys(world.clone()));
    builder.set_access(identity::Gate(world));
    builder.set_validation(identity::AnyBucketName);
    // s3s holds signing times against the wall clock alone; the gate holds them against both
    // clocks instead, as the other services do (see `sigv4::Now`).
    let mut config = S3Config::default();
    config.presigned_url_max_skew_time_secs = u32::MAX;
    builder.set_config(Arc::new(StaticConfigProvider::new(Arc::new(config))));
    builder.set_host(LocalHost);
    builder.build()
}

/// Virtual-hosted addressing under `s3.localhost`, and under S3's own names
/// (`bucket.s3.amazonaws.com`, `bucket.s3.ap-northeast-2.amazonaws.com`) for requests that
/// came through the emulated network; every other host name (an IP address, `localhost`) is
/// path-style.
#[derive(Debug)]
struct LocalHost;

impl S3Host for LocalHost {
    fn parse_host_header<'a>(&'a self, host: &'a str) -> s3s::S3Result<VirtualHost<'a>> {
        let name = host.rsplit_once(':').map_or(host, |(name, _port)| name);
        let bucket = name
            .strip_suffix(VIRTUAL_HOST_DOMAIN)
            .and_then(|rest| rest.strip_suffix('.'))
            .or_else(|| public_bucket(name));
        match bucket {
            Some(bucket) if !bucket.is_empty() => Ok(VirtualHost::new(host).with_bucket(bucket)),
            _ => Ok(VirtualHost::new(host)),
        }
    }
}

/// The bucket a public S3 name addresses: `photos.s3.amazonaws.com`,
/// `photos.s3.ap-northeast-2.amazonaws.com`.
pub fn public_bucket(name: &str) -> Option<&str> {
    let (bucket, rest) = name.split_once(".s3.")?;
    let region = rest.strip_suffix("amazonaws.com")?;
    let region_ok = region.is_empty()
        || region
            .strip_suffix('.')
            .is_some_and(|region| !region.is_empty() && !region.contains('.'));
    (region_ok && !bucket.is_empty()).then_some(bucket)
}

/// Whether a host name asks for S3 by name: `s3.localhost` or a bucket under it, or a bucket
/// under S3's own names.
pub fn is_s3_host(host: &str) -> bool {
    let name = host.rsplit_once(':').map_or(host, |(name, _port)| name);
    name == VIRTUAL_HOST_DOMAIN
        || name.ends_with(&format!(".{VIRTUAL_HOST_DOMAIN}"))
        || public_bucket(name).is_some()
}

#[cfg(test)]
mod host_tests {
    use super::public_bucket;

    #[test]
    fn s3s_public_names_address_their_bucket() {
        assert_eq!(public_bucket("photos.s3.amazonaws.com"), Some("photos"));
        assert_eq!(
            public_bucket("my.photos.s3.ap-northeast-2.amazonaws.com"),
            Some("my.photos")
        );
        assert_eq!(public_bucket("s3.amazonaws.com"), None);
        assert_eq!(public_bucket("photos.s3.evil.example.com"), None);
        assert_eq!(public_bucket("photos.s3.a.b.amazonaws.com"), None);
    }
}
