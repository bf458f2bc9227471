//! "Invalid choice … maybe you meant": what the CLI answers to a mistyped service, operation
//! or waiter, and the option a mistyped `--option` was most likely meant to be.
//!
//! The CLI v1 picks its suggestions with Python's `difflib.get_close_matches`; here they are
//! the choices at the smallest edit distance, within a distance that grows with the word, so
//! `ec3` finds `ec2` and `run-instance` finds `run-instances` but `lambda` finds nothing.

use super::operations;

/// The choices closest to `typed`, best first; empty when none is close enough to be meant.
pub fn close_matches<'a>(typed: &str, choices: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let typed = typed.to_lowercase();
    let allowed = match typed.chars().count() {
        0..=4 => 1,
        5..=12 => 2,
        _ => 3,
    };
    let mut scored: Vec<(usize, &str)> = choices
        .into_iter()
        .map(|choice| (strsim::damerau_levenshtein(&typed, choice), choice))
        .filter(|(distance, _)| *distance <= allowed)
        .collect();
    let Some(best) = scored.iter().map(|(distance, _)| *distance).min() else {
        return Vec::new();
    };
    scored.retain(|(distance, _)| *distance == best);
    scored.sort_unstable();
    scored.dedup();
    scored.into_iter().map(|(_, choice)| choice).collect()
}

/// The services this shell's `aws` knows, in alphabetical order.
pub fn services() -> Vec<&'static str> {
    let mut services: Vec<&str> = operations().map(|op| op.service()).collect();
    services.sort_unstable();
    services.dedup();
    services
}

/// The operations of `service` this shell's `aws` knows.
pub fn operations_of(service: &str) -> Vec<&'static str> {
    operations()
        .filter(|op| op.service() == service)
        .map(|op| op.name())
        .collect()
}

/// The CLI's reason for an invalid choice of `argument` (`command`, `operation`, …), with the
/// valid choices and, when some are close, the ones it may have meant.
pub fn invalid_choice(argument: &str, typed: &str, choices: &[&str]) -> String {
    let mut reason = format!(
        "argument {argument}: Invalid choice, valid choices are:\n\n{}",
        columns(choices)
    );
    let meant = close_matches(typed, choices.iter().copied());
    if !meant.is_empty() {
        reason.push_str(&format!(
            "\n\nInvalid choice: '{typed}', maybe you meant:\n"
        ));
        for choice in meant {
            reason.push_str(&format!("\n  * {choice}"));
        }
    }
    reason
}

/// The choices two to a line, as the CLI lays them out.
fn columns(choices: &[&str]) -> String {
    choices
        .chunks(2)
        .map(|pair| match pair {
            [left, right] => format!("{left:<40} | {right}"),
            [single] => single.to_string(),
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_typos_find_what_was_meant_and_strangers_find_nothing() {
        assert_eq!(close_matches("ec3", services()), ["ec2"]);
        assert_eq!(close_matches("EC2", services()), ["ec2"]);
        assert_eq!(
            close_matches("run-instance", operations_of("ec2")),
            ["run-instances"]
        );
        assert_eq!(
            close_matches("describe-instance", operations_of("ec2")),
            ["describe-instances"]
        );
        assert_eq!(
            close_matches("crate-user", operations_of("iam")),
            ["create-user"]
        );
        assert!(close_matches("lambda", services()).is_empty());
        assert!(close_matches("describe-vpcs", operations_of("iam")).is_empty());
    }

    #[test]
    fn the_reason_lists_the_choices_then_the_likely_one() {
        let reason = invalid_choice("command", "ec3", &services());
        assert!(reason.starts_with("argument command: Invalid choice, valid choices are:\n\n"));
        assert!(
            reason.contains("\ncloudfront                               | ec2\n"),
            "{reason}"
        );
        assert!(
            reason.ends_with("Invalid choice: 'ec3', maybe you meant:\n\n  * ec2"),
            "{reason}"
        );
        let far = invalid_choice("command", "lambda", &services());
        assert!(!far.contains("maybe you meant"), "{far}");
    }
}
