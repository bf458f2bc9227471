//! The `awsJson1_1` protocol, as the Price List API speaks it: every call is a `POST /` whose
//! `X-Amz-Target` header names the operation (`AWSPriceListService.GetProducts`) and whose body
//! is one JSON object; answers are JSON objects, errors `{"__type": code, "Message": text}`.
//!
//! Only the envelope lives here; what a body means is the service's.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::protocol::Reply;
use crate::error::AwsError;

/// The content type of requests and responses.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The operation an `X-Amz-Target` header names under `prefix`, if it does.
pub fn target<'a>(headers: &'a http::HeaderMap, prefix: &str) -> Option<&'a str> {
    headers
        .get("x-amz-target")?
        .to_str()
        .ok()?
        .strip_prefix(prefix)?
        .strip_prefix('.')
}

/// A request body read into its typed shape. An empty body is the empty object, as AWS's JSON
/// services take it; anything else that is not the shape is AWS's `SerializationException`.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, AwsError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    // A body must be an object: `[]` or `1` would otherwise fill a shape of all-optional
    // members through serde's sequence form.
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|error| {
        AwsError::client(
            "SerializationException",
            format!("The request body is not valid JSON: {error}"),
        )
    })?;
    if !value.is_object() {
        return Err(AwsError::client(
            "SerializationException",
            "The request body must be a JSON object.",
        ));
    }
    serde_json::from_value(value).map_err(|error| {
        AwsError::client(
            "SerializationException",
            format!("The request body does not match the operation's input: {error}"),
        )
    })
}

/// A successful answer.
pub fn success(answer: &impl Serialize, request_id: &str) -> Reply {
    match serde_json::to_string(answer) {
        Ok(body) => reply(200, body, request_id),
        Err(error) => self::error(
            &AwsError::new(
                500,
                "InternalErrorException",
                format!("the answer could not be written: {error}"),
            ),
            request_id,
        ),
    }
}

/// An error, as the SDKs read it: the code in `__type`, the text in `Message`.
pub fn error(error: &AwsError, request_id: &str) -> Reply {
    let body = serde_json::json!({
        "__type": error.code,
        "Message": error.message,
    });
    reply(error.status, body.to_string(), request_id)
}

fn reply(status: u16, body: String, request_id: &str) -> Reply {
    Reply {
        status,
        body,
        content_type: CONTENT_TYPE,
        headers: vec![("x-amzn-requestid", request_id.to_string())],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Shape {
        #[serde(rename = "Name")]
        name: Option<String>,
    }

    #[test]
    fn bodies_that_are_not_the_shape_are_serialization_errors() {
        assert!(parse::<Shape>(b"").is_ok_and(|shape| shape.name.is_none()));
        assert_eq!(
            parse::<Shape>(br#"{"Name":"a"}"#)
                .expect("shape")
                .name
                .as_deref(),
            Some("a")
        );
        for body in [
            b"{".as_slice(),
            b"[]",
            b"1",
            br#"{"Name":5}"#,
            b"\xff\xfe",
            b"null",
        ] {
            let error = parse::<Shape>(body).expect_err("refused");
            assert_eq!(error.code, "SerializationException", "{body:?}");
            assert_eq!(error.status, 400);
        }
        let deep = "[".repeat(10_000);
        assert!(parse::<Shape>(deep.as_bytes()).is_err());
    }

    #[test]
    fn errors_carry_type_and_message() {
        let reply = error(&AwsError::client("NotFoundException", "gone"), "rid");
        let body: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
        assert_eq!(body["__type"], "NotFoundException");
        assert_eq!(body["Message"], "gone");
        assert_eq!(reply.content_type, CONTENT_TYPE);
    }
}
