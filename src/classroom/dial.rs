//! How a `cloudlings join` shell reaches its class: plain TCP for `http://`, TLS for
//! `https://`. Over TLS the class's certificate is trusted by the fingerprint the instructor's
//! screen shows (`--fingerprint`, for a certificate the class made itself), or else by this
//! machine's own roots, as a browser trusts a certificate a CA issued.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use tokio_rustls::rustls::client::danger::{
    HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier,
};
use tokio_rustls::rustls::crypto::{
    CryptoProvider, verify_tls12_signature, verify_tls13_signature,
};
use tokio_rustls::rustls::{
    self, ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme, StreamOwned,
};

use crate::http_client::Socket;

/// A connection to the class.
#[derive(Debug)]
pub enum ClassStream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Read for ClassStream {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        match self {
            ClassStream::Plain(stream) => stream.read(buffer),
            ClassStream::Tls(stream) => stream.read(buffer),
        }
    }
}

impl Write for ClassStream {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            ClassStream::Plain(stream) => stream.write(bytes),
            ClassStream::Tls(stream) => stream.write(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            ClassStream::Plain(stream) => stream.flush(),
            ClassStream::Tls(stream) => stream.flush(),
        }
    }
}

impl Socket for ClassStream {
    fn tcp(&self) -> &TcpStream {
        match self {
            ClassStream::Plain(stream) => stream,
            ClassStream::Tls(stream) => &stream.sock,
        }
    }
}

/// Connects to the class at `address` (`http://host:port` or `https://host:port`), over TLS
/// checked against `fingerprint` when given.
pub fn connect(
    address: &str,
    fingerprint: Option<&str>,
    patience: Duration,
) -> anyhow::Result<ClassStream> {
    let (tls, authority) = match address.split_once("://") {
        Some(("https", authority)) => (true, authority),
        Some((_, authority)) => (false, authority),
        None => (false, address),
    };
    let socket = authority
        .to_socket_addrs()
        .with_context(|| format!("cannot find the class at {address}"))?
        .next()
        .with_context(|| format!("cannot find the class at {address}"))?;
    let stream = TcpStream::connect_timeout(&socket, patience)
        .with_context(|| format!("cannot reach the class at {address}"))?;
    stream.set_write_timeout(Some(patience))?;
    if !tls {
        return Ok(ClassStream::Plain(stream));
    }
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host)
        .trim_start_matches('[')
        .trim_end_matches(']');
    let name = ServerName::try_from(host.to_string())
        .with_context(|| format!("`{host}` is not a host name or an address"))?;
    let connection = ClientConnection::new(client_config(fingerprint)?, name)
        .context("cannot start TLS with the class")?;
    let mut stream = StreamOwned::new(connection, stream);
    // The handshake now, so that a certificate that does not match is told as such.
    stream.sock.set_read_timeout(Some(patience))?;
    while stream.conn.is_handshaking() {
        stream
            .conn
            .complete_io(&mut stream.sock)
            .map_err(|error| match fingerprint {
                Some(_) => anyhow::anyhow!(
                    "the class's certificate is not the one whose fingerprint you gave ({error})"
                ),
                None => anyhow::anyhow!(
                    "the class's certificate is not one this machine trusts ({error}): give the fingerprint the class shows with --fingerprint"
                ),
            })?;
    }
    Ok(ClassStream::Tls(Box::new(stream)))
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

/// TLS that trusts the certificate with `fingerprint`, or else this machine's roots.
fn client_config(fingerprint: Option<&str>) -> anyhow::Result<Arc<ClientConfig>> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?;
    let config = match fingerprint {
        Some(fingerprint) => {
            let Some(sha256) = parse_fingerprint(fingerprint) else {
                bail!("`{fingerprint}` is not a SHA-256 fingerprint such as AB:CD:…, 32 pairs");
            };
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Pinned { sha256, provider }))
                .with_no_client_auth()
        }
        None => {
            let mut roots = rustls::RootCertStore::empty();
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    };
    Ok(Arc::new(config))
}

/// The 32 bytes of a SHA-256 fingerprint written as the class prints it (`AB:CD:…`), or
/// with spaces, or none, in either case.
pub fn parse_fingerprint(text: &str) -> Option<[u8; 32]> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .collect();
    let bytes = hex::decode(digits).ok()?;
    bytes.try_into().ok()
}

/// Trusts the one certificate whose SHA-256 is `sha256`, and checks that the class holds its
/// key, as TLS always does.
#[derive(Debug)]
struct Pinned {
    sha256: [u8; 32],
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        use sha2::Digest as _;
        let seen: [u8; 32] = sha2::Sha256::digest(end_entity.as_ref()).into();
        if seen == self.sha256 {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_read_as_the_class_prints_them_or_plainer() {
        let printed = ["AB"; 32].join(":");
        assert_eq!(parse_fingerprint(&printed), Some([0xAB; 32]));
        assert_eq!(parse_fingerprint(&"ab".repeat(32)), Some([0xAB; 32]));
        assert_eq!(parse_fingerprint("AB:CD"), None, "too short");
        assert_eq!(parse_fingerprint(&"zz".repeat(32)), None);
    }
}
