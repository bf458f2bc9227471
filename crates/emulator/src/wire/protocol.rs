//! Response envelopes of the two Query-family protocols.
//!
//! EC2 (`ec2` protocol): `<{Action}Response xmlns=…><requestId/>…</{Action}Response>`, errors as
//! `<Response><Errors><Error>…</Error></Errors><RequestID/></Response>`.
//! IAM and STS (`awsQuery`): `<{Action}Response><{Action}Result>…</{Action}Result>
//! <ResponseMetadata><RequestId/></ResponseMetadata>`, errors as `<ErrorResponse>` with a
//! `Type` of `Sender` or `Receiver`.
//! S3 (`restXml`): the payload is the document; errors are a bare `<Error>`.
//! CloudFront (`restXml` too): the payload is the document; errors are wrapped in
//! `<ErrorResponse>` with a `Type`.

use super::xml::Xml;
use crate::error::AwsError;

pub const EC2_NAMESPACE: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";
pub const IAM_NAMESPACE: &str = "https://iam.amazonaws.com/doc/2010-05-08/";
pub const STS_NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
pub const CLOUDFRONT_NAMESPACE: &str = "http://cloudfront.amazonaws.com/doc/2020-05-31/";

/// The payload of a successful response, written inside the protocol's envelope.
pub type Body = Box<dyn FnOnce(&mut Xml)>;

/// Which envelope a service's responses use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    Ec2,
    AwsQuery { namespace: &'static str },
    RestXml,
    CloudFront,
}

/// An HTTP response ready to send: status and XML body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub content_type: &'static str,
    /// Headers beyond the content type (CloudFront's `ETag` and `Location`).
    pub headers: Vec<(&'static str, String)>,
}

/// The content type of every Query-protocol response.
pub const XML: &str = "text/xml;charset=UTF-8";

impl Protocol {
    /// A successful response to `action`, its payload written by `body`.
    pub fn success(self, action: &str, request_id: &str, body: impl FnOnce(&mut Xml)) -> Reply {
        let mut xml = Xml::new();
        let response = format!("{action}Response");
        match self {
            Protocol::Ec2 => {
                xml.element_with(&response, &[("xmlns", EC2_NAMESPACE)], |x| {
                    x.leaf("requestId", request_id);
                    body(x);
                });
            }
            Protocol::AwsQuery { namespace } => {
                xml.element_with(&response, &[("xmlns", namespace)], |x| {
                    x.element(&format!("{action}Result"), body);
                    x.element("ResponseMetadata", |x| {
                        x.leaf("RequestId", request_id);
                    });
                });
            }
            Protocol::RestXml | Protocol::CloudFront => body(&mut xml),
        }
        Reply {
            status: 200,
            body: xml.finish(),
            content_type: XML,
            headers: Vec::new(),
        }
    }

    /// An error response.
    pub fn error(self, error: &AwsError, request_id: &str) -> Reply {
        let mut xml = Xml::new();
        match self {
            Protocol::Ec2 => {
                xml.element("Response", |x| {
                    x.element("Errors", |x| {
                        x.element("Error", |x| {
                            x.leaf("Code", &error.code);
                            x.leaf("Message", &error.message);
                        });
                    });
                    x.leaf("RequestID", request_id);
                });
            }
            Protocol::AwsQuery { namespace } => {
                xml.element_with("ErrorResponse", &[("xmlns", namespace)], |x| {
                    x.element("Error", |x| {
                        x.leaf("Type", if error.sender { "Sender" } else { "Receiver" });
                        x.leaf("Code", &error.code);
                        x.leaf("Message", &error.message);
                    });
                    x.leaf("RequestId", request_id);
                });
            }
            Protocol::CloudFront => {
                xml.element_with("ErrorResponse", &[("xmlns", CLOUDFRONT_NAMESPACE)], |x| {
                    x.element("Error", |x| {
                        x.leaf("Type", if error.sender { "Sender" } else { "Receiver" });
                        x.leaf("Code", &error.code);
                        x.leaf("Message", &error.message);
                    });
                    x.leaf("RequestId", request_id);
                });
            }
            Protocol::RestXml => {
                xml.element("Error", |x| {
                    x.leaf("Code", &error.code);
                    x.leaf("Message", &error.message);
                    x.leaf("RequestId", request_id);
                });
            }
        }
        Reply {
            status: error.status,
            body: xml.finish(),
            content_type: XML,
            headers: Vec::new(),
        }
    }
}
