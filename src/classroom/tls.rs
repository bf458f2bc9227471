//! The class's address over TLS: with the certificate and key the instructor gives
//! (`--tls-cert`, `--tls-key`, PEM), or with one made for the class on request
//! (`--tls-self-signed`), kept in the state folder so that it stays the same across restarts
//! and browsers that accepted it once go on accepting it. Its SHA-256 fingerprint is printed,
//! so that learners can check the certificate their browser shows against the projector.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::{self, ServerConfig};

/// Where the class's certificate comes from.
#[derive(Debug, Clone)]
pub enum Certificate {
    Files {
        cert: PathBuf,
        key: PathBuf,
    },
    /// Made for the class, for these names and addresses.
    SelfSigned {
        names: Vec<String>,
    },
}

/// The class's TLS: what serves it, and the certificate's fingerprint.
pub struct Tls {
    pub acceptor: TlsAcceptor,
    pub fingerprint: String,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tls({})", self.fingerprint)
    }
}

impl Tls {
    /// The class's TLS from `certificate`; a self-signed one is kept in `state/tls`.
    pub fn load(certificate: &Certificate, state: &Path) -> anyhow::Result<Tls> {
        let (cert, key) = match certificate {
            Certificate::Files { cert, key } => (cert.clone(), key.clone()),
            Certificate::SelfSigned { names } => self_signed(&state.join("tls"), names)?,
        };
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert)
            .with_context(|| format!("cannot read the certificate {}", cert.display()))?
            .collect::<Result<_, _>>()
            .with_context(|| format!("{} is not a PEM certificate", cert.display()))?;
        let Some(first) = chain.first() else {
            bail!("{} holds no certificate", cert.display());
        };
        let fingerprint = fingerprint(first);
        let key = PrivateKeyDer::from_pem_file(&key)
            .with_context(|| format!("cannot read the private key {}", key.display()))?;
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .context("the certificate and the key do not make a pair")?;
        Ok(Tls {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            fingerprint,
        })
    }
}

/// The class's own certificate in `dir`, made there on first use: its certificate and key.
fn self_signed(dir: &Path, names: &[String]) -> anyhow::Result<(PathBuf, PathBuf)> {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    if cert.exists() && key.exists() {
        return Ok((cert, key));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let made = rcgen::generate_simple_self_signed(names.to_vec())
        .context("cannot make the class's certificate")?;
    // The key first, readable by this user alone: a certificate without its key is useless.
    cloudlings_core::atomic::write(&key, made.signing_key.serialize_pem().as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))?;
    }
    cloudlings_core::atomic::write(&cert, made.cert.pem().as_bytes())?;
    Ok((cert, key))
}

/// `AB:CD:…`, the SHA-256 of the certificate as browsers show it.
fn fingerprint(cert: &CertificateDer<'_>) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(cert.as_ref())
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_signed_certificate_is_made_once_and_kept() {
        let state = tempfile::tempdir().expect("state");
        let names = Certificate::SelfSigned {
            names: vec!["localhost".to_string(), "127.0.0.1".to_string()],
        };
        let first = Tls::load(&names, state.path()).expect("made");
        let again = Tls::load(&names, state.path()).expect("kept");
        assert_eq!(first.fingerprint, again.fingerprint);
        assert_eq!(first.fingerprint.len(), 32 * 3 - 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(state.path().join("tls/key.pem"))
                .expect("key")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_certificate_that_is_not_one_is_refused_with_its_name() {
        let dir = tempfile::tempdir().expect("dir");
        let cert = dir.path().join("cert.pem");
        std::fs::write(&cert, "not a certificate").expect("write");
        let files = Certificate::Files {
            cert: cert.clone(),
            key: dir.path().join("key.pem"),
        };
        let error = format!("{:#}", Tls::load(&files, dir.path()).expect_err("refused"));
        assert!(error.contains("cert.pem"), "{error}");
    }
}
