//! Key pair cryptography: real keys, with the fingerprints AWS computes.
//!
//! The private key is returned to the learner once and never kept; the emulator keeps only the
//! public key, which is all that SSH logins and Windows passwords need.
//! Fingerprints, as AWS documents them: a created RSA key is the SHA-1 of its PKCS#8 private
//! key, an imported RSA key the MD5 of its DER public key, and ED25519 keys the SHA-256 of the
//! OpenSSH public key blob, in base64.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use md5::Digest as _;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use ssh_key::public::KeyData;
use ssh_key::rand_core::OsRng;
use ssh_key::{Algorithm, PrivateKey, PublicKey};

/// A key pair's algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyType {
    Rsa,
    Ed25519,
}

impl KeyType {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::Rsa => "rsa",
            KeyType::Ed25519 => "ed25519",
        }
    }
}

/// The file format of a created private key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    /// PEM (RSA, PKCS#1) or OpenSSH (ED25519): for OpenSSH's `ssh -i`.
    Pem,
    /// PuTTY's `.ppk` (version 3, unencrypted): for PuTTY on Windows, as the lecture mentions.
    Ppk,
}

/// A freshly made key pair: what the learner gets once, and what the emulator keeps.
#[derive(Debug)]
pub struct Generated {
    /// The private key in the requested format.
    pub private_pem: String,
    /// The public key in OpenSSH format.
    pub public_openssh: String,
    pub fingerprint: String,
}

/// Why key material was refused.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("Key is not in valid OpenSSH public key format")]
    Format,
    #[error(
        "RSA keys must be between 1024 and 16384 bits; ED25519 and RSA are the supported key types"
    )]
    Unsupported,
    #[error("could not generate a key: {0}")]
    Generate(String),
}

pub fn generate(
    key_type: KeyType,
    format: KeyFormat,
    comment: &str,
) -> Result<Generated, KeyError> {
    let failed = |error: &dyn std::fmt::Display| KeyError::Generate(error.to_string());
    match key_type {
        KeyType::Rsa => {
            let private = super::rsa_pool::take().map_err(|e| failed(&e))?;
            let pem = private
                .to_pkcs1_pem(LineEnding::LF)
                .map_err(|e| failed(&e))?;
            let pkcs8 = private.to_pkcs8_der().map_err(|e| failed(&e))?;
            let fingerprint = colon_hex(&sha1::Sha1::digest(pkcs8.as_bytes()));
            let public = ssh_key::public::RsaPublicKey::try_from(private.to_public_key())
                .map_err(|e| failed(&e))?;
            let public = PublicKey::from(KeyData::Rsa(public));
            let material = match format {
                KeyFormat::Pem => pem.to_string(),
                KeyFormat::Ppk => {
                    use rsa::traits::PrivateKeyParts;
                    let (p, q) = match private.primes() {
                        [p, q] => (p, q),
                        _ => {
                            return Err(KeyError::Generate(
                                "an RSA key of more than two primes".into(),
                            ));
                        }
                    };
                    let iqmp = private
                        .crt_coefficient()
                        .ok_or_else(|| KeyError::Generate("no CRT coefficient".into()))?;
                    let mut blob = Vec::new();
                    for number in [private.d(), p, q, &iqmp] {
                        put_mpint(&mut blob, &number.to_bytes_be());
                    }
                    ppk(
                        "ssh-rsa",
                        comment,
                        &public.to_bytes().map_err(|e| failed(&e))?,
                        &blob,
                    )
                }
            };
            Ok(Generated {
                private_pem: material,
                public_openssh: public.to_openssh().map_err(|e| failed(&e))?,
                fingerprint,
            })
        }
        KeyType::Ed25519 => {
            let private =
                PrivateKey::random(&mut OsRng, Algorithm::Ed25519).map_err(|e| failed(&e))?;
            let pem = private
                .to_openssh(ssh_key::LineEnding::LF)
                .map_err(|e| failed(&e))?;
            let public = private.public_key();
            let material = match (format, private.key_data().ed25519()) {
                (KeyFormat::Pem, _) => pem.to_string(),
                (KeyFormat::Ppk, Some(pair)) => {
                    let mut blob = Vec::new();
                    put_string(&mut blob, &pair.private.to_bytes());
                    ppk(
                        "ssh-ed25519",
                        comment,
                        &public.to_bytes().map_err(|e| failed(&e))?,
                        &blob,
                    )
                }
                (KeyFormat::Ppk, None) => {
                    return Err(KeyError::Generate("not an ED25519 key".into()));
                }
            };
            Ok(Generated {
                private_pem: material,
                public_openssh: public.to_openssh().map_err(|e| failed(&e))?,
                fingerprint: ed25519_fingerprint(public)?,
            })
        }
    }
}

/// An imported public key: its type, normalised OpenSSH form and fingerprint.
#[derive(Debug)]
pub struct Imported {
    pub key_type: KeyType,
    pub public_openssh: String,
    pub fingerprint: String,
}

/// Reads a public key as `ssh-keygen` writes it (`ssh-rsa AAAA… comment`).
pub fn import(material: &[u8]) -> Result<Imported, KeyError> {
    let text = std::str::from_utf8(material).map_err(|_| KeyError::Format)?;
    let public = PublicKey::from_openssh(text.trim()).map_err(|_| KeyError::Format)?;
    let openssh = public.to_openssh().map_err(|_| KeyError::Format)?;
    match public.key_data() {
        KeyData::Rsa(rsa_key) => {
            let key = rsa::RsaPublicKey::try_from(rsa_key).map_err(|_| KeyError::Unsupported)?;
            let der = key.to_public_key_der().map_err(|_| KeyError::Format)?;
            Ok(Imported {
                key_type: KeyType::Rsa,
                public_openssh: openssh,
                fingerprint: colon_hex(&md5::Md5::digest(der.as_bytes())),
            })
        }
        KeyData::Ed25519(_) => Ok(Imported {
            key_type: KeyType::Ed25519,
            public_openssh: openssh,
            fingerprint: ed25519_fingerprint(&public)?,
        }),
        _ => Err(KeyError::Unsupported),
    }
}

/// Encrypts `secret` to an RSA public key (OpenSSH form) with PKCS#1 v1.5, as EC2 does with a
/// Windows instance's administrator password; base64, as GetPasswordData returns it.
pub fn encrypt_to(public_openssh: &str, secret: &[u8]) -> Option<String> {
    let public = PublicKey::from_openssh(public_openssh).ok()?;
    let KeyData::Rsa(rsa_key) = public.key_data() else {
        return None;
    };
    let key = rsa::RsaPublicKey::try_from(rsa_key).ok()?;
    let encrypted = key.encrypt(&mut OsRng, rsa::Pkcs1v15Encrypt, secret).ok()?;
    Some(STANDARD.encode(encrypted))
}

/// A PuTTY private key file, version 3, unencrypted: the public and private blobs in base64,
/// and an HMAC-SHA-256 over both (with an empty key, as the format has for unencrypted keys).
fn ppk(algorithm: &str, comment: &str, public: &[u8], private: &[u8]) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut signed = Vec::new();
    for part in [
        algorithm.as_bytes(),
        b"none",
        comment.as_bytes(),
        public,
        private,
    ] {
        put_string(&mut signed, part);
    }
    let mut mac =
        <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(b"").unwrap_or_else(|_| unreachable!());
    mac.update(&signed);
    let lines = |bytes: &[u8]| {
        let text = STANDARD.encode(bytes);
        let chunks: Vec<&str> = text
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect();
        (chunks.len(), chunks.join("\n"))
    };
    let (public_count, public_lines) = lines(public);
    let (private_count, private_lines) = lines(private);
    format!(
        "PuTTY-User-Key-File-3: {algorithm}\nEncryption: none\nComment: {comment}\nPublic-Lines: {public_count}\n{public_lines}\nPrivate-Lines: {private_count}\n{private_lines}\nPrivate-MAC: {}\n",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// An SSH `string`: a 32-bit big-endian length, then the bytes.
fn put_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// An SSH `mpint` from big-endian magnitude bytes: no leading zeros, but one where the top bit
/// would otherwise read as a sign.
fn put_mpint(out: &mut Vec<u8>, magnitude: &[u8]) {
    let trimmed: &[u8] = match magnitude.iter().position(|b| *b != 0) {
        Some(first) => &magnitude[first..],
        None => &[],
    };
    if trimmed.first().is_some_and(|b| b & 0x80 != 0) {
        let mut padded = vec![0];
        padded.extend_from_slice(trimmed);
        put_string(out, &padded);
    } else {
        put_string(out, trimmed);
    }
}

fn ed25519_fingerprint(public: &PublicKey) -> Result<String, KeyError> {
    let blob = public.to_bytes().map_err(|_| KeyError::Format)?;
    Ok(STANDARD.encode(sha2::Sha256::digest(&blob)))
}

fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1::DecodeRsaPrivateKey;

    #[test]
    fn rsa_keys_are_real_and_fingerprinted_like_aws() {
        let key = generate(KeyType::Rsa, KeyFormat::Pem, "k").expect("rsa");
        assert!(
            key.private_pem
                .starts_with("-----BEGIN RSA PRIVATE KEY-----")
        );
        let private = rsa::RsaPrivateKey::from_pkcs1_pem(&key.private_pem).expect("parses back");
        let pkcs8 = private.to_pkcs8_der().expect("pkcs8");
        assert_eq!(
            key.fingerprint,
            colon_hex(&sha1::Sha1::digest(pkcs8.as_bytes()))
        );
        assert_eq!(key.fingerprint.len(), 59, "20 bytes as colon hex");
        assert!(key.public_openssh.starts_with("ssh-rsa "));

        let secret = b"Adm1nPassw0rd!";
        let encrypted = encrypt_to(&key.public_openssh, secret).expect("encrypt");
        let bytes = STANDARD.decode(encrypted).expect("base64");
        assert_eq!(
            private
                .decrypt(rsa::Pkcs1v15Encrypt, &bytes)
                .expect("decrypt"),
            secret
        );
    }

    #[test]
    fn ed25519_keys_are_openssh() {
        let key = generate(KeyType::Ed25519, KeyFormat::Pem, "k").expect("ed25519");
        assert!(
            key.private_pem
                .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----")
        );
        assert!(key.public_openssh.starts_with("ssh-ed25519 "));
        assert_eq!(STANDARD.decode(&key.fingerprint).expect("base64").len(), 32);
        assert!(
            encrypt_to(&key.public_openssh, b"x").is_none(),
            "only RSA keys decrypt passwords"
        );
    }

    #[test]
    fn ppk_files_have_putty_s_layout() {
        let key = generate(KeyType::Ed25519, KeyFormat::Ppk, "lecture").expect("ppk");
        let lines: Vec<&str> = key.private_pem.lines().collect();
        assert_eq!(lines[0], "PuTTY-User-Key-File-3: ssh-ed25519");
        assert_eq!(lines[1], "Encryption: none");
        assert_eq!(lines[2], "Comment: lecture");
        assert!(
            lines
                .last()
                .is_some_and(|l| l.starts_with("Private-MAC: ") && l.len() == 13 + 64)
        );
        let mut mpint = Vec::new();
        put_mpint(&mut mpint, &[0, 0, 0x80, 1]);
        assert_eq!(mpint, [0, 0, 0, 3, 0, 0x80, 1]);
    }

    #[test]
    fn imports_what_ssh_keygen_writes() {
        let made = generate(KeyType::Ed25519, KeyFormat::Pem, "k").expect("ed25519");
        let imported =
            import(format!("{} learner@laptop\n", made.public_openssh).as_bytes()).expect("import");
        assert_eq!(imported.key_type, KeyType::Ed25519);
        assert_eq!(imported.fingerprint, made.fingerprint);
        assert!(matches!(import(b"not a key"), Err(KeyError::Format)));
        assert!(matches!(import(&[0xff, 0xfe]), Err(KeyError::Format)));
    }
}
