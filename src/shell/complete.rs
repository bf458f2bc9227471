//! Tab completion: command names, then each command's arguments (lesson ids, reset scopes,
//! languages, help topics, for `ssh`, `chmod` and `curl` their options and the learner's
//! files, such as the key file after `-i`, and for `aws` its services, operations and options).

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use super::messages::COMMANDS;
use crate::workstation::Workstation;

/// The rustyline helper of the shell.
#[derive(Debug, Clone)]
pub struct Completion {
    lesson_ids: Vec<String>,
    /// Where file names are completed from: the learner's own computer.
    files: Workstation,
}

/// Modes a learner most often needs.
const MODES: &[&str] = &["400", "600", "644", "700", "755", "u+x", "go-rwx"];
/// `ssh -o` options this shell understands.
const SSH_OPTIONS: &[&str] = &[
    "StrictHostKeyChecking=",
    "ConnectTimeout=",
    "UserKnownHostsFile=",
];

impl Completion {
    pub fn new(lesson_ids: Vec<String>) -> Completion {
        Completion {
            lesson_ids,
            files: Workstation::host("."),
        }
    }

    /// What completes a line in `session`: its lessons' ids and the learner's files.
    pub fn of(session: &super::Session) -> Completion {
        let ids = session
            .course()
            .lessons
            .iter()
            .map(|lesson| lesson.id.clone())
            .collect();
        Completion::new(ids).with_files(session.files())
    }

    /// Completes file names on the learner's computer `files`.
    pub fn with_files(mut self, files: &Workstation) -> Completion {
        self.files = files.clone();
        self
    }

    /// Candidates for the word being typed at byte `pos` of `line`, and where that word starts.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let before = line.get(..pos).unwrap_or(line);
        let start = before.rfind(char::is_whitespace).map_or(0, |at| at + 1);
        let partial = &before[start..];
        let words: Vec<&str> = before[..start].split_whitespace().collect();
        let options: Vec<String> = match words.as_slice() {
            [] => COMMANDS.iter().map(|c| c.name.to_string()).collect(),
            ["start"] => self.lesson_ids.clone(),
            ["reset"] => ["step", "lesson", "all"].map(String::from).to_vec(),
            ["lang"] => ["en", "ko"].map(String::from).to_vec(),
            ["watch"] => ["on", "off"].map(String::from).to_vec(),
            ["clock"] => vec!["advance".to_string()],
            ["help"] => COMMANDS.iter().map(|c| c.name.to_string()).collect(),
            ["chmod"] => MODES.iter().map(|mode| mode.to_string()).collect(),
            ["chmod", ..] => files(&self.files, partial),
            ["ssh", .., "-o"] => SSH_OPTIONS
                .iter()
                .map(|option| option.to_string())
                .collect(),
            ["ssh", .., "-i"] | ["curl", .., "-o"] => files(&self.files, partial),
            ["ssh", ..] if partial.starts_with('-') => ["-i", "-p", "-l", "-o", "-t", "-T"]
                .map(String::from)
                .to_vec(),
            ["curl", ..] if partial.starts_with('-') => {
                ["-s", "-S", "-i", "-I", "-v", "-o", "-H", "-X", "-m"]
                    .map(String::from)
                    .to_vec()
            }
            ["aws", .., "--output"] => ["json", "text", "table"].map(String::from).to_vec(),
            ["aws", .., ">"] => files(&self.files, partial),
            ["aws"] => {
                let mut services: Vec<String> = crate::aws_cli::operations()
                    .map(|op| op.service().to_string())
                    .collect();
                services.dedup();
                services.push("help".to_string());
                services
            }
            ["aws", service] => crate::aws_cli::operations()
                .filter(|op| op.service() == *service)
                .map(|op| op.name().to_string())
                .chain(["help".to_string()])
                .collect(),
            ["aws", service, operation, ..] if partial.starts_with('-') => {
                crate::aws_cli::operations()
                    .filter(|op| op.service() == *service && op.name() == *operation)
                    .flat_map(|op| op.params.iter())
                    .map(|param| format!("--{param}"))
                    .chain(["--query", "--output", "--region", "--no-cli-pager"].map(String::from))
                    .collect()
            }
            _ => Vec::new(),
        };
        let matching = options
            .into_iter()
            .filter(|option| option.starts_with(partial))
            .collect();
        (start, matching)
    }
}

/// The files and folders (with a `/`) whose path starts with `partial`, on the learner's
/// computer.
fn files(files: &Workstation, partial: &str) -> Vec<String> {
    let (dir, _) = partial.rsplit_once('/').unwrap_or(("", partial));
    let prefix = if dir.is_empty() && !partial.starts_with('/') {
        String::new()
    } else {
        format!("{dir}/")
    };
    let Ok(entries) = files.list(if prefix.is_empty() { "." } else { &prefix }) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .into_iter()
        .map(|(name, entry)| format!("{prefix}{name}{}", if entry.is_dir() { "/" } else { "" }))
        .collect();
    names.sort();
    names
}

impl Completer for Completion {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let (start, candidates) = self.candidates(line, pos);
        let pairs = candidates
            .into_iter()
            .map(|word| Pair {
                display: word.clone(),
                // A folder or an option's `=` is not the end of the word.
                replacement: if word.ends_with(['/', '=']) {
                    word
                } else {
                    format!("{word} ")
                },
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for Completion {
    type Hint = String;
}

impl Highlighter for Completion {}

impl Validator for Completion {}

impl Helper for Completion {}

#[cfg(test)]
mod tests {
    use super::*;

    fn completion() -> Completion {
        Completion::new(vec!["what-is-the-cloud".into(), "ec2-and-its-cost".into()])
    }

    #[test]
    fn completes_tools_options_and_files() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("key.pem"), "").expect("file");
        std::fs::create_dir(dir.path().join("keys")).expect("folder");
        std::fs::write(dir.path().join("keys").join("old.pem"), "").expect("file");
        let completion = completion().with_files(&Workstation::host(dir.path()));
        let complete = |line: &str| completion.candidates(line, line.len()).1;
        assert_eq!(complete("ssh -i k"), ["key.pem", "keys/"]);
        assert_eq!(complete("ssh -i keys/o"), ["keys/old.pem"]);
        assert_eq!(complete("chmod 4"), ["400"]);
        assert_eq!(complete("chmod 400 ke"), ["key.pem", "keys/"]);
        assert_eq!(complete("ssh -o Str"), ["StrictHostKeyChecking="]);
        assert_eq!(
            complete("curl -"),
            ["-s", "-S", "-i", "-I", "-v", "-o", "-H", "-X", "-m"]
        );
        assert!(complete("ssh host ").is_empty());
        assert_eq!(complete("wat"), ["watch"]);
        assert_eq!(complete("watch o"), ["on", "off"]);
        assert_eq!(
            complete("aws ec2 create-key-pair --key-name k > ke"),
            ["key.pem", "keys/"]
        );
    }

    #[test]
    fn completes_aws_services_operations_and_options() {
        let complete = |line: &str| completion().candidates(line, line.len()).1;
        assert_eq!(
            complete("aws "),
            [
                "sts",
                "ec2",
                "iam",
                "s3",
                "s3api",
                "cloudfront",
                "pricing",
                "help"
            ]
        );
        assert_eq!(complete("aws ec2 describe-s"), ["describe-security-groups"]);
        assert_eq!(
            complete("aws ec2 create-security-group --g"),
            ["--group-name"]
        );
        assert_eq!(complete("aws sts get-caller-identity --o"), ["--output"]);
        assert_eq!(
            complete("aws sts get-caller-identity --output t"),
            ["text", "table"]
        );
    }

    #[test]
    fn completes_commands_then_their_arguments() {
        assert_eq!(
            completion().candidates("st", 2),
            (0, vec!["start".to_string()])
        );
        assert_eq!(
            completion().candidates("s", 1).1,
            vec![
                "start".to_string(),
                "show".to_string(),
                "solution".to_string(),
                "ssh".to_string()
            ]
        );
        assert_eq!(
            completion().candidates("start wh", 8),
            (6, vec!["what-is-the-cloud".to_string()])
        );
        assert_eq!(
            completion().candidates("reset l", 7).1,
            vec!["lesson".to_string()]
        );
        assert_eq!(
            completion().candidates("lang ", 5).1,
            vec!["en".to_string(), "ko".to_string()]
        );
        assert!(completion().candidates("next x", 6).1.is_empty());
    }
}
