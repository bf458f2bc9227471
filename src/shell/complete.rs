//! Tab completion: command names, then each command's arguments (lesson ids, reset scopes,
//! languages, help topics).

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

use super::messages::COMMANDS;

/// The rustyline helper of the shell.
#[derive(Debug, Clone, Default)]
pub struct Completion {
    lesson_ids: Vec<String>,
}

impl Completion {
    pub fn new(lesson_ids: Vec<String>) -> Completion {
        Completion { lesson_ids }
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
            ["clock"] => vec!["advance".to_string()],
            ["help"] => COMMANDS.iter().map(|c| c.name.to_string()).collect(),
            _ => Vec::new(),
        };
        let matching = options
            .into_iter()
            .filter(|option| option.starts_with(partial))
            .collect();
        (start, matching)
    }
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
                replacement: format!("{word} "),
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
                "solution".to_string()
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
