//! The handlers behind [`super::api::Api`], grouped by what they act on.

pub mod buckets;
pub mod checksums;
pub mod multipart;
pub mod objects;
pub mod settings;
