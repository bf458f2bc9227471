//! Identifiers in the shapes AWS uses, from the operating system's random source.

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn pick(alphabet: &[u8], len: usize) -> String {
    (0..len)
        .map(|_| alphabet[rand::random_range(0..alphabet.len())] as char)
        .collect()
}

/// `i-0123456789abcdef0`: a prefix and 17 lower-case hex digits, as EC2 resources have.
pub fn resource(prefix: &str) -> String {
    format!("{prefix}-{}", pick(b"0123456789abcdef", 17))
}

/// A long-term access key id: `AKIA` and 16 characters.
pub fn access_key_id() -> String {
    format!("AKIA{}", pick(UPPER_DIGITS, 16))
}

/// A temporary access key id: `ASIA` and 16 characters.
pub fn temporary_key_id() -> String {
    format!("ASIA{}", pick(UPPER_DIGITS, 16))
}

/// A secret access key: 40 characters.
pub fn secret_key() -> String {
    pick(SECRET_CHARS, 40)
}

/// A session token, longer than any key so it is never mistaken for one.
pub fn session_token() -> String {
    pick(SECRET_CHARS, 120)
}

/// A console session's cookie or CSRF token: 43 letters and digits, 256 bits.
pub fn web_token() -> String {
    pick(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        43,
    )
}

/// A unique id of an IAM entity with its type prefix (`AIDA` for users).
pub fn unique_id(prefix: &str) -> String {
    format!("{prefix}{}", pick(UPPER_DIGITS, 17))
}

/// A 12-digit account id that does not start with 0.
pub fn account_id() -> String {
    format!("{}{}", rand::random_range(1..10), pick(b"0123456789", 11))
}

/// A request id in UUID form.
pub fn request_id() -> String {
    let hex = pick(b"0123456789abcdef", 32);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// A CloudFront id (`E2QWRUHAPOMQZL` for distributions and access controls, `I…` for
/// invalidations; also the shape of its ETags): a letter and 13 upper-case characters.
pub fn cloudfront_id(prefix: char) -> String {
    format!(
        "{prefix}{}",
        pick(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 13)
    )
}

/// `d111111abcdef8.cloudfront.net`.
pub fn cloudfront_domain() -> String {
    format!(
        "d{}.cloudfront.net",
        pick(b"abcdefghijklmnopqrstuvwxyz0123456789", 13)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let id = resource("i");
        assert_eq!(id.len(), 19);
        assert!(id.starts_with("i-") && id[2..].bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(access_key_id().starts_with("AKIA") && access_key_id().len() == 20);
        assert_eq!(secret_key().len(), 40);
        let account = account_id();
        assert_eq!(account.len(), 12);
        assert!(!account.starts_with('0'));
        assert_eq!(request_id().len(), 36);
        assert_ne!(resource("i"), resource("i"));
    }
}
