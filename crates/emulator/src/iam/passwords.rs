//! Console passwords: IAM's default password policy, and Argon2 hashes (a password itself is
//! never kept).

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::AwsError;

/// IAM's shortest and longest password.
const MIN_LENGTH: usize = 8;
const MAX_LENGTH: usize = 128;

/// Checks `password` against the policy an account has until it sets its own: 8 to 128
/// characters, at least three of upper case, lower case, digits and symbols, and not the
/// user's name.
pub fn check_policy(password: &str, user: &str) -> Result<(), AwsError> {
    let length = password.chars().count();
    let kinds = [
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ]
    .into_iter()
    .filter(|&present| present)
    .count();
    let problem = if length < MIN_LENGTH {
        Some(format!(
            "Password should have a minimum length of {MIN_LENGTH}"
        ))
    } else if length > MAX_LENGTH {
        Some(format!(
            "Password should have a maximum length of {MAX_LENGTH}"
        ))
    } else if kinds < 3 {
        Some("Password should have at least three of: an uppercase letter, a lowercase letter, a number, a symbol".to_string())
    } else if password.eq_ignore_ascii_case(user) {
        Some("Password should not be the same as the user name".to_string())
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(AwsError::client(
            "PasswordPolicyViolation",
            format!("Password does not conform to the account password policy. {problem}."),
        )),
    }
}

/// The root user's console password, derived from the account's first root secret key: as
/// secret as that key, which already grants everything the password does, and so kept nowhere
/// else. `KQWT-bxmr-4829-pqhz`: four groups (upper case, lower case, digits, lower case), 69 bits.
pub fn root_password(root_secret: &str) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let Ok(mut mac) = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(root_secret.as_bytes())
    else {
        return String::new();
    };
    mac.update(b"cloudlings console root password");
    let bytes = mac.finalize().into_bytes();
    let groups: [&[u8]; 4] = [
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        b"abcdefghijklmnopqrstuvwxyz",
        b"0123456789",
        b"abcdefghijklmnopqrstuvwxyz",
    ];
    let mut password = String::new();
    for (group, alphabet) in groups.iter().enumerate() {
        if group > 0 {
            password.push('-');
        }
        for byte in &bytes[group * 4..group * 4 + 4] {
            password.push(alphabet[usize::from(*byte) % alphabet.len()] as char);
        }
    }
    password
}

/// The PHC string of `password` under Argon2id with a fresh salt.
pub fn hash(password: &str) -> Result<String, AwsError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|_| AwsError::internal("The password could not be stored."))
}

/// Whether `password` is the one `hash` was made from. A malformed hash matches nothing.
pub fn matches(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_matches_its_password_only() {
        let stored = hash("Cloud-2026!").expect("a hash");
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("Cloud-2026!"));
        assert!(matches("Cloud-2026!", &stored));
        assert!(!matches("cloud-2026!", &stored));
        assert!(!matches("Cloud-2026!", "not a hash"));
        assert_ne!(hash("Cloud-2026!").expect("a hash"), stored, "salted");
    }

    #[test]
    fn the_root_password_follows_the_secret_and_the_policy() {
        let password = root_password("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        assert_eq!(
            password,
            root_password("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        );
        assert_ne!(password, root_password("another secret"));
        assert_eq!(password.len(), 19, "{password}");
        assert!(check_policy(&password, "root").is_ok(), "{password}");
    }

    #[test]
    fn the_default_policy_wants_length_and_three_kinds() {
        assert!(check_policy("Cloud-2026!", "alice").is_ok());
        assert!(check_policy("Passw0rd", "alice").is_ok());
        let refused = |password: &str| {
            check_policy(password, "Alice2026!")
                .expect_err(password)
                .message
                .clone()
        };
        assert!(refused("Sh0rt!").contains("minimum length of 8"));
        assert!(refused("alllowercase").contains("three of"));
        assert!(refused("lower-and-symbols").contains("three of"));
        assert!(refused("alice2026!").contains("user name"));
        assert!(refused(&"Aa1!".repeat(40)).contains("maximum length"));
        assert_eq!(
            check_policy("short", "x").expect_err("short").code,
            "PasswordPolicyViolation"
        );
    }
}
