//! What an upload says its bytes hash to, and the check once they have arrived.
//!
//! A checksum comes in a header (`x-amz-checksum-crc32`), or, for aws-chunked bodies (what
//! aws-sdk-rust sends by default), in a trailer named by `x-amz-trailer` that is only known
//! after the last chunk. Content-MD5 may come as well. Without any, S3 computes CRC64NVME.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::HeaderMap;
use s3s::{S3Error, S3Result, TrailingHeaders, s3_error};

use super::super::blobs::Written;
use super::super::object::Algorithm;

/// The checksum an upload will be held to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    pub algorithm: Algorithm,
    pub source: Source,
    /// Content-MD5, decoded.
    pub md5: Option<[u8; 16]>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The value came with the headers.
    Header(String),
    /// The value follows the body as a trailer.
    Trailer,
    /// No value: compute and store.
    Compute,
}

/// The checksum fields every upload input carries, by algorithm.
#[derive(Debug, Default)]
pub struct Declared<'a> {
    pub algorithm: Option<&'a str>,
    pub crc32: Option<&'a str>,
    pub crc32c: Option<&'a str>,
    pub crc64nvme: Option<&'a str>,
    pub sha1: Option<&'a str>,
    pub sha256: Option<&'a str>,
    pub content_md5: Option<&'a str>,
}

impl Declared<'_> {
    /// Reads the request's promise; malformed values are refused before the body is read.
    pub fn expectation(&self, headers: &HeaderMap) -> S3Result<Expectation> {
        let md5 = self
            .content_md5
            .map(|value| {
                STANDARD
                    .decode(value)
                    .ok()
                    .and_then(|bytes| <[u8; 16]>::try_from(bytes).ok())
                    .ok_or_else(|| {
                        s3_error!(InvalidDigest, "The Content-MD5 you specified was invalid.")
                    })
            })
            .transpose()?;
        let in_headers = [
            (Algorithm::Crc32, self.crc32),
            (Algorithm::Crc32c, self.crc32c),
            (Algorithm::Crc64Nvme, self.crc64nvme),
            (Algorithm::Sha1, self.sha1),
            (Algorithm::Sha256, self.sha256),
        ];
        let mut given = in_headers
            .into_iter()
            .filter_map(|(algorithm, value)| Some((algorithm, value?)));
        if let Some((algorithm, value)) = given.next() {
            if given.next().is_some() {
                return Err(s3_error!(
                    InvalidRequest,
                    "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."
                ));
            }
            check_shape(algorithm, value)?;
            return Ok(Expectation {
                algorithm,
                source: Source::Header(value.to_string()),
                md5,
            });
        }
        if let Some(trailer) = headers.get("x-amz-trailer") {
            let name = trailer
                .to_str()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let algorithm = name
                .strip_prefix("x-amz-checksum-")
                .and_then(Algorithm::parse)
                .ok_or_else(|| {
                    s3_error!(
                        InvalidRequest,
                        "The value specified in the x-amz-trailer header is not supported"
                    )
                })?;
            return Ok(Expectation {
                algorithm,
                source: Source::Trailer,
                md5,
            });
        }
        let algorithm = match self.algorithm {
            Some(name) => Algorithm::parse(name).ok_or_else(|| {
                s3_error!(InvalidRequest, "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
            })?,
            None => Algorithm::Crc64Nvme,
        };
        Ok(Expectation {
            algorithm,
            source: Source::Compute,
            md5,
        })
    }
}

impl Expectation {
    /// Holds what arrived to what was promised; the checksum to store on success.
    pub fn verify(
        &self,
        written: &Written,
        trailers: Option<&TrailingHeaders>,
    ) -> S3Result<String> {
        if let Some(md5) = self.md5
            && md5 != written.md5
        {
            return Err(s3_error!(
                BadDigest,
                "The Content-MD5 you specified did not match what we received."
            ));
        }
        let computed = written
            .checksum
            .clone()
            .ok_or_else(|| s3_error!(InternalError, "no checksum was computed"))?;
        let promised = match &self.source {
            Source::Header(value) => Some(value.clone()),
            Source::Trailer => {
                let value = trailers
                    .and_then(|trailers| {
                        trailers.read(|map| {
                            map.get(self.algorithm.header())
                                .and_then(|value| value.to_str().ok())
                                .map(str::to_string)
                        })
                    })
                    .flatten()
                    .ok_or_else(|| {
                        s3_error!(
                            IncompleteBody,
                            "The request's trailing checksum is missing."
                        )
                    })?;
                check_shape(self.algorithm, &value)?;
                Some(value)
            }
            Source::Compute => None,
        };
        match promised {
            Some(value) if value != computed => Err(mismatch(self.algorithm)),
            _ => Ok(computed),
        }
    }
}

fn mismatch(algorithm: Algorithm) -> S3Error {
    s3_error!(
        BadDigest,
        "The {} you specified did not match the calculated checksum.",
        algorithm.name()
    )
}

/// A value that cannot be a digest of its algorithm is refused as S3 does.
fn check_shape(algorithm: Algorithm, value: &str) -> S3Result<()> {
    let expected = match algorithm {
        Algorithm::Crc32 | Algorithm::Crc32c => 4,
        Algorithm::Crc64Nvme => 8,
        Algorithm::Sha1 => 20,
        Algorithm::Sha256 => 32,
    };
    match STANDARD.decode(value) {
        Ok(bytes) if bytes.len() == expected => Ok(()),
        _ => Err(s3_error!(
            InvalidRequest,
            "Value for {} header is invalid.",
            algorithm.header()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(checksum: &str) -> Written {
        Written {
            id: "blob".into(),
            size: 11,
            md5: [0; 16],
            checksum: Some(checksum.into()),
        }
    }

    #[test]
    fn a_header_checksum_must_match_what_arrived() {
        let declared = Declared {
            crc32: Some("DUoRhQ=="),
            ..Default::default()
        };
        let expectation = declared
            .expectation(&HeaderMap::new())
            .expect("expectation");
        assert_eq!(
            expectation
                .verify(&written("DUoRhQ=="), None)
                .expect("match"),
            "DUoRhQ=="
        );
        let error = expectation
            .verify(&written("AAAAAA=="), None)
            .expect_err("mismatch");
        assert_eq!(error.code().as_str(), "BadDigest");
    }

    #[test]
    fn malformed_promises_are_refused_before_the_body() {
        let bad_crc = Declared {
            crc32: Some("not base64!"),
            ..Default::default()
        };
        assert!(bad_crc.expectation(&HeaderMap::new()).is_err());
        let bad_md5 = Declared {
            content_md5: Some("AAAA"),
            ..Default::default()
        };
        let error = bad_md5.expectation(&HeaderMap::new()).expect_err("md5");
        assert_eq!(error.code().as_str(), "InvalidDigest");
    }

    #[test]
    fn a_trailer_names_the_algorithm_and_no_promise_means_crc64nvme() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-amz-trailer",
            "x-amz-checksum-crc32c".parse().expect("header"),
        );
        let expectation = Declared::default().expectation(&headers).expect("trailer");
        assert_eq!(expectation.algorithm, Algorithm::Crc32c);
        assert_eq!(expectation.source, Source::Trailer);
        let nothing = Declared::default()
            .expectation(&HeaderMap::new())
            .expect("none");
        assert_eq!(
            (nothing.algorithm, nothing.source),
            (Algorithm::Crc64Nvme, Source::Compute)
        );
    }
}
