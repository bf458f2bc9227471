//! Why a probe could not look, apart from [`super::probe`] for the same reason as
//! [`super::context`]: every kind of probe returns it.

use std::path::PathBuf;
use std::time::Duration;

/// A probe that could not look.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("there is no cloud to look at (no emulator or endpoint is set)")]
    NoTarget,
    #[error("cannot ask {target}: {error}")]
    Unreachable { target: String, error: String },
    /// The probe ran out of a short patience ([`super::Context::patience`]) before the answer
    /// came: a silence so short says nothing, not even that a connection times out.
    #[error("{target} did not answer within {} ms", patience.as_millis())]
    NotYet { target: String, patience: Duration },
    /// The lesson asked to look where it may not ([`super::reach`]).
    #[error("this lesson may not look at {what}")]
    OutOfReach { what: String },
}
