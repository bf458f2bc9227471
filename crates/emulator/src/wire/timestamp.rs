//! Timestamps as the services write them: each protocol has its own precision, and clients
//! that compare them as text (the aws CLI's output, botocore's waiters) see the difference.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// As EC2 and CloudFront write it: `2026-11-26T09:30:00.000Z`.
pub fn with_millis(time: OffsetDateTime) -> String {
    // Always three digits of milliseconds, as EC2 writes them (`…:25.890Z`, never `….89Z`).
    let utc = time.to_offset(time::UtcOffset::UTC);
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    utc.format(&format).unwrap_or_default()
}

/// As IAM and STS write it: `2026-11-26T09:30:00Z`.
pub fn in_seconds(time: OffsetDateTime) -> String {
    let time = time.replace_nanosecond(0).unwrap_or(time);
    time.format(&Rfc3339).unwrap_or_default()
}
