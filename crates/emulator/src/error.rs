//! Errors as AWS reports them: a code clients match on, a message, an HTTP status, and for
//! the awsQuery services whether the caller (`Sender`) or the service (`Receiver`) is at fault.

use std::borrow::Cow;

/// An AWS error response, before it is put on the wire by the service's protocol.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AwsError {
    pub status: u16,
    pub code: Cow<'static, str>,
    pub message: String,
    /// `Sender` unless the service failed.
    pub sender: bool,
}

impl AwsError {
    pub fn new(
        status: u16,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> AwsError {
        AwsError {
            status,
            code: code.into(),
            message: message.into(),
            sender: status < 500,
        }
    }

    /// A 400 with the given code: the usual client error.
    pub fn client(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> AwsError {
        AwsError::new(400, code, message)
    }

    pub fn invalid_parameter(message: impl Into<String>) -> AwsError {
        AwsError::client("InvalidParameter", message)
    }

    pub fn invalid_parameter_value(message: impl Into<String>) -> AwsError {
        AwsError::client("InvalidParameterValue", message)
    }

    pub fn missing_parameter(name: &str) -> AwsError {
        AwsError::client(
            "MissingParameter",
            format!("The request must contain the parameter {name}"),
        )
    }

    /// An action this emulator does not implement: named, never a silent success.
    pub fn unsupported(service: &str, action: &str) -> AwsError {
        AwsError::client(
            "UnsupportedOperation",
            format!(
                "The {service} action {action} is not supported by the cloudlings emulator. Run it against AWS with the real aws CLI."
            ),
        )
    }

    pub fn invalid_action(action: &str) -> AwsError {
        AwsError::client(
            "InvalidAction",
            format!("The action {action} is not valid for this web service."),
        )
    }

    pub fn internal(message: impl Into<String>) -> AwsError {
        AwsError::new(500, "InternalError", message)
    }
}
