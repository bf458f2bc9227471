//! What Tab offers at the prompt, as bash's default completion does: in a command's place,
//! builtins, aliases and the programs along `$PATH`; anywhere else, the paths that start with
//! the word, a directory with `/` after it. The line editor decides what to do with them
//! (complete inline, or list them on a second Tab).

use std::collections::BTreeSet;

use super::commands::BUILTINS;
use super::disk::Disk;
use super::exec::Shell;
use super::fs::{self, Fs};

/// Shell words that are builtins of bash's own, beside those that are also programs.
const SHELL_BUILTINS: &[&str] = &[
    "alias", "cd", "exit", "export", "history", "logout", "read", "source", "type", "umask",
    "unalias", "unset",
];

/// The most candidates gathered, a bound on what one Tab can cost.
const CANDIDATES_MAX: usize = 2_000;

/// Where the word before the cursor starts: after the last blank or shell operator.
pub(crate) fn word_start(before: &str) -> usize {
    before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || "|;&<>()".contains(*c))
        .map_or(0, |(index, c)| index + c.len_utf8())
}

/// The completions of the word that ends `before` (the line up to the cursor), each the
/// whole word as completed.
pub(crate) fn candidates(shell: &Shell, view: &Fs<'_, &Disk>, before: &str) -> Vec<String> {
    let start = word_start(before);
    let word = &before[start..];
    let head = before[..start].trim_end();
    let command_place = head.is_empty()
        || head.ends_with(['|', ';', '&', '('])
        || head.split_whitespace().last() == Some("sudo");
    let mut found = if command_place && !word.contains('/') {
        commands(shell, view, word)
    } else {
        paths(shell, view, word, command_place)
    };
    found.sort();
    found.dedup();
    found
}

fn commands(shell: &Shell, view: &Fs<'_, &Disk>, word: &str) -> Vec<String> {
    let mut found: BTreeSet<String> = BTreeSet::new();
    let names = BUILTINS
        .iter()
        .chain(SHELL_BUILTINS)
        .map(|name| name.to_string())
        .chain(shell.aliases.keys().cloned());
    found.extend(names.filter(|name| name.starts_with(word)));
    let path_var = shell.var("PATH").unwrap_or_default();
    for dir in path_var.split(':').filter(|dir| !dir.is_empty()) {
        let Ok(entries) = view.list(&shell.who.cred, &shell.cwd, dir) else {
            continue;
        };
        for (name, node) in entries {
            if name.starts_with(word) && !node.is_dir() && found.len() < CANDIDATES_MAX {
                found.insert(name);
            }
        }
    }
    found.into_iter().collect()
}

/// Paths starting with `word`; only directories and programs where a command goes.
fn paths(shell: &Shell, view: &Fs<'_, &Disk>, word: &str, programs: bool) -> Vec<String> {
    let (dir, prefix) = match word.rfind('/') {
        Some(index) => (&word[..=index], &word[index + 1..]),
        None => ("", word),
    };
    let home = shell.var("HOME").unwrap_or(&shell.who.home);
    let lookup_dir = match dir.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("{home}{rest}"),
        _ if dir.is_empty() => ".".to_string(),
        _ => dir.to_string(),
    };
    let cred = &shell.who.cred;
    let Ok(entries) = view.list(cred, &shell.cwd, &lookup_dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (name, _) in entries {
        if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
            continue;
        }
        let full = fs::join(&fs::lexical(&shell.cwd, &lookup_dir), &name);
        let Ok((_, node)) = view.lookup(cred, "/", &full, true) else {
            continue;
        };
        if node.is_dir() {
            found.push(format!("{dir}{name}/"));
        } else if !programs || cred.may(&node, fs::EXEC) {
            found.push(format!("{dir}{name}"));
        }
        if found.len() >= CANDIDATES_MAX {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use crate::testing::Machine;

    #[test]
    fn commands_then_paths() {
        let mut machine = Machine::ubuntu();
        machine.run("mkdir -p site/css && touch site/index.html site/.hidden notes.txt");
        let complete = |machine: &mut Machine, line: &str| machine.complete(line);
        assert_eq!(complete(&mut machine, "hostn"), ["hostname", "hostnamectl"]);
        assert_eq!(complete(&mut machine, "sudo system"), ["systemctl"]);
        assert_eq!(complete(&mut machine, "cat no"), ["notes.txt"]);
        assert_eq!(complete(&mut machine, "ls si"), ["site/"]);
        assert_eq!(
            complete(&mut machine, "cat site/"),
            ["site/css/", "site/index.html"]
        );
        assert_eq!(complete(&mut machine, "cat site/."), ["site/.hidden"]);
        assert_eq!(complete(&mut machine, "ls /et"), ["/etc/"]);
        assert_eq!(complete(&mut machine, "cd ~/si"), ["~/site/"]);
        assert_eq!(complete(&mut machine, "echo hi | gre"), ["grep"]);
        assert!(complete(&mut machine, "cat /nope/").is_empty());
    }
}
