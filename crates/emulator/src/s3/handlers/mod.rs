//! The handlers behind [`super::api::Api`], grouped by what they act on.

/// Sets, on any S3 output, the `checksum_*` field of the checksum's algorithm. s3s's outputs
/// share these field names but no type.
macro_rules! put_checksum {
    ($output:expr, $checksum:expr) => {{
        use $crate::s3::object::{Algorithm, Checksum};
        let checksum: &Checksum = $checksum;
        let value = Some(checksum.value.clone());
        match checksum.algorithm {
            Algorithm::Crc32 => $output.checksum_crc32 = value,
            Algorithm::Crc32c => $output.checksum_crc32c = value,
            Algorithm::Crc64Nvme => $output.checksum_crc64nvme = value,
            Algorithm::Sha1 => $output.checksum_sha1 = value,
            Algorithm::Sha256 => $output.checksum_sha256 = value,
        }
    }};
}

pub mod buckets;
pub mod checksums;
pub mod multipart;
pub mod objects;
pub mod settings;
