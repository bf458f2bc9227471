//! `aws ec2 wait …` and `aws cloudfront wait …`: poll a describing call until its answer says
//! the resource is there, with a spinner on a terminal, and print nothing once it is, as the
//! CLI does.
//!
//! Each waiter is written as botocore writes its own: an operation, and acceptors that look
//! at the answer's JSON through a JMESPath path. The answer is the same JSON the shell prints,
//! so a waiter sees what `--query` would.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use aws_config::SdkConfig;
use cloudlings_core::operation::Operation;
use serde_json::Value;

use super::Context;
use crate::aws_cli::Query;
use crate::aws_cli::choices;
use crate::aws_cli::{self, Args, Failure, failure};
use crate::shell::messages as msg;

/// A waiter: the call it polls and what the answer must show.
struct Waiter {
    name: &'static str,
    /// The call polled; its service is the waiter's (`aws ec2 wait …`).
    poll: Operation,
    /// Every value the path selects equals `ready`.
    path: &'static str,
    ready: &'static str,
    /// Any selected value among these means the wait is over and failed.
    failing: &'static [&'static str],
    /// How long the CLI would keep polling (its attempts times its delay).
    limit: Duration,
}

const INSTANCE_STATES: &str = "Reservations[].Instances[].State.Name";

const WAITERS: &[Waiter] = &[
    Waiter {
        name: "instance-running",
        poll: Operation::DescribeInstances,
        path: INSTANCE_STATES,
        ready: "running",
        failing: &["shutting-down", "terminated", "stopping"],
        limit: Duration::from_secs(40 * 15),
    },
    Waiter {
        name: "instance-stopped",
        poll: Operation::DescribeInstances,
        path: INSTANCE_STATES,
        ready: "stopped",
        failing: &["pending", "terminated"],
        limit: Duration::from_secs(40 * 15),
    },
    Waiter {
        name: "instance-terminated",
        poll: Operation::DescribeInstances,
        path: INSTANCE_STATES,
        ready: "terminated",
        failing: &["pending", "stopping"],
        limit: Duration::from_secs(40 * 15),
    },
    Waiter {
        name: "password-data-available",
        poll: Operation::GetPasswordData,
        // botocore's acceptor, `length(PasswordData) > `0``, as text to compare.
        path: "to_string(length(PasswordData) > `0`)",
        ready: "true",
        failing: &[],
        limit: Duration::from_secs(40 * 15),
    },
    Waiter {
        name: "distribution-deployed",
        poll: Operation::GetDistribution,
        path: "Distribution.Status",
        ready: "Deployed",
        failing: &[],
        limit: Duration::from_secs(35 * 60),
    },
    Waiter {
        name: "invalidation-completed",
        poll: Operation::GetInvalidation,
        path: "Invalidation.Status",
        ready: "Completed",
        failing: &[],
        limit: Duration::from_secs(30 * 20),
    },
];

/// The waiters of a service, by name: for the CLI's "valid choices" and completion.
pub fn names(service: &str) -> impl Iterator<Item = &'static str> {
    WAITERS
        .iter()
        .filter(move |waiter| waiter.service() == service)
        .map(|waiter| waiter.name)
}

/// What one poll saw.
enum Seen {
    Ready,
    Pending,
    Failed,
}

impl Waiter {
    fn service(&self) -> &'static str {
        self.poll.service().cli_name()
    }

    fn judge(&self, answer: &Value) -> Seen {
        let Ok(selected) = Query::compile(self.path).and_then(|query| query.search(answer)) else {
            return Seen::Pending;
        };
        let values: Vec<&str> = match &selected {
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            Value::String(one) => vec![one.as_str()],
            _ => Vec::new(),
        };
        if values.iter().any(|value| self.failing.contains(value)) {
            Seen::Failed
        } else if !values.is_empty() && values.iter().all(|value| *value == self.ready) {
            Seen::Ready
        } else {
            Seen::Pending
        }
    }
}

/// Polls often: the emulator answers at once, and a learner watching a spinner should see
/// the change when it happens, not up to a minute later as with the CLI's delays. The first
/// polls come quickly, then settle at the longest delay.
const FIRST_POLL: Duration = Duration::from_millis(250);
const POLL: Duration = Duration::from_secs(2);

pub fn run(
    args: &Args,
    config: &SdkConfig,
    context: &Context,
    out: &mut dyn Write,
) -> io::Result<i32> {
    let named = args.positional.first().map(String::as_str);
    let waiter = WAITERS.iter().find(|waiter| {
        waiter.service() == args.service && Some(waiter.name) == named && args.positional.len() == 1
    });
    let Some(waiter) = waiter else {
        let choices: Vec<&str> = names(&args.service).collect();
        let reason = choices::invalid_choice("wait", named.unwrap_or_default(), &choices);
        return failure::print(&Failure::Usage(reason), out);
    };
    let poll = Args {
        operation: waiter.poll.cli_name().to_string(),
        positional: Vec::new(),
        query: None,
        ..args.clone()
    };
    if let Err(failure) = aws_cli::validate(&poll) {
        return failure::print(&failure, out);
    }
    // Drawn on this process's terminal only when it is the learner's.
    let spinner = if context.terminal {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::hidden()
    };
    spinner.set_message(msg::aws_waiting(context.lang, waiter.name));
    spinner.enable_steady_tick(Duration::from_millis(120));
    let started = Instant::now();
    let mut delay = FIRST_POLL;
    let outcome = loop {
        let answer = super::call(&poll, config, context.files);
        let seen = match answer {
            Ok(answer) => waiter.judge(&answer),
            // A resource not there yet is a reason to keep polling; anything else ends it.
            Err(Failure::Service { code, .. }) if code.ends_with("NotFound") => Seen::Pending,
            Err(failure) => break Err(failure),
        };
        match seen {
            Seen::Ready => break Ok(()),
            Seen::Failed => {
                break Err(waiter_failed(
                    waiter,
                    "Waiter encountered a terminal failure state",
                ));
            }
            Seen::Pending if started.elapsed() + delay > waiter.limit => {
                break Err(waiter_failed(waiter, "Max attempts exceeded"));
            }
            Seen::Pending => {
                if crate::interrupt::sleep(delay).is_err() {
                    break Err(Failure::Interrupted);
                }
                delay = (delay * 2).min(POLL);
            }
        }
    };
    spinner.finish_and_clear();
    if matches!(outcome, Err(Failure::Interrupted)) {
        super::cleared_after_ctrl_c(&spinner);
    }
    match outcome {
        Ok(()) => Ok(0),
        Err(failure) => failure::print(&failure, out),
    }
}

fn waiter_failed(waiter: &Waiter, why: &str) -> Failure {
    let name = failure::operation_name(waiter.name);
    Failure::Client(format!("Waiter {name} failed: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn waiter(name: &str) -> &'static Waiter {
        WAITERS.iter().find(|w| w.name == name).expect("waiter")
    }

    #[test]
    fn every_instance_must_be_there_and_a_terminal_state_fails() {
        let running = waiter("instance-running");
        let states = |names: &[&str]| {
            json!({"Reservations": [{"Instances": names.iter()
                .map(|n| json!({"State": {"Name": n}})).collect::<Vec<_>>()}]})
        };
        assert!(matches!(
            running.judge(&states(&["running", "running"])),
            Seen::Ready
        ));
        assert!(matches!(
            running.judge(&states(&["running", "pending"])),
            Seen::Pending
        ));
        assert!(matches!(
            running.judge(&states(&["terminated"])),
            Seen::Failed
        ));
        assert!(matches!(running.judge(&states(&[])), Seen::Pending));
    }

    #[test]
    fn a_distribution_waits_for_deployed() {
        let deployed = waiter("distribution-deployed");
        let status = |s: &str| json!({"Distribution": {"Status": s}});
        assert!(matches!(
            deployed.judge(&status("InProgress")),
            Seen::Pending
        ));
        assert!(matches!(deployed.judge(&status("Deployed")), Seen::Ready));
    }

    #[test]
    fn every_waiter_polls_an_operation_that_only_looks() {
        for waiter in WAITERS {
            assert!(!waiter.poll.mutates(), "{}", waiter.name);
            assert!(
                aws_cli::operations().any(|command| command.op == waiter.poll),
                "{}: the shell's aws cannot make its call",
                waiter.name
            );
        }
    }
}
