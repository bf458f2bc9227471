//! Why a call gave no answer, printed as the aws CLI v1 prints it, with its exit status.
//!
//! The shell's `aws s3` commands word their failures with it too, so each of the CLI's
//! sentences is written once whichever command prints it.

use std::future::Future;
use std::io::{self, Write};

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use cloudlings_core::operation::Operation;

/// The CLI v1's exit statuses: argparse's 2 for a line it cannot read, 255 for anything that
/// went wrong after (the service's refusals included; v2 tells those apart with 254).
pub const USAGE: i32 = 2;
pub const SERVICE_ERROR: i32 = 255;
pub const CLIENT_ERROR: i32 = 255;

/// Why a call gave no answer, and the CLI's status for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The line itself is wrong: usage, then the reason (2).
    Usage(String),
    /// Not an operation of the subset: `service operation` (2).
    Unsupported(String),
    /// A parameter's value cannot be read, or the call could not be made (255).
    Client(String),
    /// The endpoint could not be reached (255).
    Unreachable,
    /// The service said no (255).
    Service {
        code: String,
        message: String,
        operation: String,
    },
    /// Ctrl-C: the CLI stops with 130 and only ends the line the `^C` is on.
    Interrupted,
}

impl Failure {
    /// The CLI's exit status for it.
    pub fn status(&self) -> i32 {
        match self {
            Failure::Usage(_) | Failure::Unsupported(_) => USAGE,
            Failure::Client(_) | Failure::Unreachable => CLIENT_ERROR,
            Failure::Service { .. } => SERVICE_ERROR,
            Failure::Interrupted => crate::interrupt::STATUS,
        }
    }
}

/// The failure's own line, as the CLI ends its message with it.
impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(reason) | Failure::Client(reason) => f.write_str(reason),
            Failure::Unsupported(command) => {
                write!(f, "`{command}` is not a call this aws knows")
            }
            Failure::Unreachable => f.write_str("Could not connect to the endpoint URL"),
            Failure::Interrupted => Ok(()),
            Failure::Service {
                code,
                message,
                operation,
            } => write!(
                f,
                "An error occurred ({code}) when calling the {operation} operation: {message}"
            ),
        }
    }
}

/// Prints a failure as the CLI does and returns its status.
pub fn print(failure: &Failure, out: &mut dyn Write) -> io::Result<i32> {
    match failure {
        Failure::Usage(reason) => writeln!(
            out,
            "usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n\
             To see help text, you can run:\n\n  aws help\n  aws <command> help\n  \
             aws <command> <subcommand> help\naws: error: {reason}"
        )?,
        // The shell ends the line after any command Ctrl-C stopped.
        Failure::Interrupted => {}
        // A service's message is the service's words: shown, never obeyed.
        other => writeln!(out, "\n{}", crate::visible::visible(&other.to_string()))?,
    }
    Ok(failure.status())
}

/// `describe-security-groups` → `DescribeSecurityGroups`, as the CLI names the operation in
/// its errors.
pub fn operation_name(operation: &str) -> String {
    operation
        .split('-')
        .map(|word| {
            // IAM spells its acronym whole: `EnableMFADevice`.
            if word == "mfa" {
                return "MFA".to_string();
            }
            let mut chars = word.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

/// An SDK error as the CLI reports it.
pub fn sdk_failure<E, R>(operation: &str, error: SdkError<E, R>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match &error {
        SdkError::ServiceError(service) => refused(operation, service.err()),
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => Failure::Unreachable,
        _ => {
            let mut text = error.to_string();
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                text = format!("{text}: {cause}");
                source = cause.source();
            }
            Failure::Client(format!(
                "Could not complete {}: {text}",
                operation_name(operation)
            ))
        }
    }
}

/// An SDK error on one line, as the high-level `aws s3` commands end theirs with it
/// (`make_bucket failed: s3://photos An error occurred (BucketAlreadyExists) …`): a refusal
/// worded as every other command words it, anything else as an endpoint that could not be
/// reached, followed by the SDK's reason.
pub fn one_line<E, R>(operation: Operation, error: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata,
{
    match error.as_service_error() {
        Some(refusal) => refused(operation.cli_name(), refusal).to_string(),
        None => format!("{}: {error}", Failure::Unreachable),
    }
}

/// The service's refusal of `operation`.
fn refused(operation: &str, error: &impl ProvideErrorMetadata) -> Failure {
    Failure::Service {
        code: error.code().unwrap_or("Unknown").to_string(),
        message: error.message().unwrap_or_default().to_string(),
        operation: operation_name(operation),
    }
}

/// Sends one request, mapping its error as the CLI reports it.
pub async fn send<T, E, R>(
    operation: &str,
    request: impl Future<Output = Result<T, SdkError<E, R>>>,
) -> Result<T, Failure>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    request.await.map_err(|error| sdk_failure(operation, error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Error;
    use aws_smithy_types::error::ErrorMetadata;

    #[test]
    fn one_line_words_a_refusal_as_every_command_does() {
        let metadata = ErrorMetadata::builder()
            .code("NoSuchBucket")
            .message("The specified bucket does not exist")
            .build();
        let refusal = SdkError::service_error(ListObjectsV2Error::generic(metadata), ());
        assert_eq!(
            one_line(Operation::ListObjectsV2, &refusal),
            "An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: \
             The specified bucket does not exist"
        );
        let bare = SdkError::service_error(
            ListObjectsV2Error::generic(ErrorMetadata::builder().build()),
            (),
        );
        assert_eq!(
            one_line(Operation::ListObjectsV2, &bare),
            "An error occurred (Unknown) when calling the ListObjectsV2 operation: "
        );
        let unsent = SdkError::<ListObjectsV2Error, ()>::construction_failure("no bucket");
        assert_eq!(
            one_line(Operation::ListObjectsV2, &unsent),
            format!("Could not connect to the endpoint URL: {unsent}")
        );
    }
}
