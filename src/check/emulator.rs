//! Emulator probes: what only a teaching cloud can tell, read from the emulator's own routes
//! (`/_cloudlings/…`, signed with the learner's key like any AWS call): the account's bill,
//! and the SSH logins and commands seen on its instances.

use serde_json::Value;

use super::{Context, ProbeError};
use crate::target::Target;

/// What an emulator probe reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// This month's bill: `Lines[].{Usage, InstanceType, Hours, GBMonths, Cost}`,
    /// `TotalCents`, …
    Bill,
    /// `Events[]`: `Type` (`login`, `command`), `InstanceId`, `User`, `Source`, `Command`,
    /// `ExitStatus`, `Time`.
    Events,
}

impl Route {
    pub fn parse(name: &str) -> Option<Route> {
        match name.trim() {
            "bill" => Some(Route::Bill),
            "events" => Some(Route::Events),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Route::Bill => "bill",
            Route::Events => "events",
        }
    }
}

pub fn observe(route: Route, context: &Context) -> Result<Value, ProbeError> {
    let target = context.target.as_ref().ok_or(ProbeError::NoTarget)?;
    let unreachable = |error: String| ProbeError::Unreachable {
        target: target.describe(),
        error,
    };
    let endpoint = match target {
        Target::Emulator(endpoint) | Target::Endpoint(endpoint) => endpoint,
        // Lessons skip these checks on AWS (`Check::runs_on`); a probe asked anyway says why.
        Target::Aws(_) => {
            return Err(unreachable(format!(
                "only the emulator keeps a {}",
                route.name()
            )));
        }
    };
    let (status, body) =
        crate::server::call(endpoint, "GET", route.name(), "").map_err(unreachable)?;
    match status {
        200 => Ok(body),
        // Another AWS-compatible endpoint has no such route: it is not an emulator.
        _ => Err(unreachable(match body["Error"]["Message"].as_str() {
            Some(message) => format!("{} ({status})", message),
            None => format!("it has no {} to read ({status})", route.name()),
        })),
    }
}
