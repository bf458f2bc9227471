//! `s3://bucket/prefix`, as the `aws s3` commands name what they work on.
//!
//! The bucket and listing commands, the copies, and the AWS target's record of which bucket a
//! command made or removed all read these paths, so they are read in one place below them.

/// `s3://bucket/prefix` → `("bucket", "prefix")`.
pub fn split(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("s3://")?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    (!bucket.is_empty()).then_some((bucket, prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_a_bucket_and_a_prefix() {
        assert_eq!(split("s3://photos"), Some(("photos", "")));
        assert_eq!(split("s3://photos/2026/"), Some(("photos", "2026/")));
        assert_eq!(split("photos"), None);
        assert_eq!(split("s3://"), None);
    }
}
