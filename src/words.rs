//! Splitting a command line into words the way a POSIX shell does, for the commands that take
//! real tools' arguments (`ssh`, `curl`, `chmod`, `aws`) and for the aws calls a lesson's
//! checks name. Both read a line the same way, so a check's call means what the learner's does.
//!
//! Learners copy these lines from lectures and documentation, where `-i "key.pem"` and
//! `-H 'Accept: text/html'` are quoted as a shell wants them; the quotes must mean the same here.
//! Only quoting is understood: no variables, globs or pipes, which belong to `!command`.

/// A line whose quote was never closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unterminated(pub char);

/// The words of `line`: whitespace separates them; single quotes keep everything literally;
/// double quotes keep everything but `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes
/// keeps the next character; an unquoted `~` opening a word is the home directory.
pub fn split(line: &str) -> Result<Vec<String>, Unterminated> {
    // `HOME` on Unix, the user's profile folder on Windows, which sets no `HOME`.
    let home = std::env::home_dir().and_then(|home| home.to_str().map(str::to_string));
    split_with_home(line, home.as_deref())
}

fn split_with_home(line: &str, home: Option<&str>) -> Result<Vec<String>, Unterminated> {
    let mut words = Vec::new();
    let mut word = String::new();
    // Whether a word has started: `''` is an empty word, not no word.
    let mut started = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '~' if !started
                && home.is_some()
                && chars
                    .peek()
                    .is_none_or(|&next| next == '/' || next.is_whitespace()) =>
            {
                started = true;
                word.push_str(home.unwrap_or_default());
            }
            c if c.is_whitespace() => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            '\'' => {
                started = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(Unterminated('\'')),
                    }
                }
            }
            '"' => {
                started = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(Unterminated('"')),
                        },
                        Some(c) => word.push(c),
                        None => return Err(Unterminated('"')),
                    }
                }
            }
            '\\' => {
                started = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c => {
                started = true;
                word.push(c);
            }
        }
    }
    if started {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        split(line).expect("balanced")
    }

    #[test]
    fn quotes_group_and_disappear() {
        assert_eq!(
            words(r#"ssh -i "key.pem" ubuntu@host"#),
            ["ssh", "-i", "key.pem", "ubuntu@host"]
        );
        assert_eq!(
            words("curl -H 'Accept: text/html'  http://x/"),
            ["curl", "-H", "Accept: text/html", "http://x/"]
        );
        assert_eq!(words(r#"echo "a \"b\" \n""#), ["echo", r#"a "b" \n"#]);
        assert_eq!(words(r"a\ b c"), ["a b", "c"]);
        assert_eq!(words("x '' y"), ["x", "", "y"]);
        assert_eq!(words("pre'fix'\"ed\""), ["prefixed"]);
        assert!(words("   ").is_empty());
    }

    #[test]
    fn a_leading_tilde_is_home() {
        let split = |line| split_with_home(line, Some("/home/me")).expect("balanced");
        assert_eq!(split("ssh -i ~/key.pem"), ["ssh", "-i", "/home/me/key.pem"]);
        assert_eq!(split("cd ~"), ["cd", "/home/me"]);
        assert_eq!(split("a~ '~/x' ~user"), ["a~", "~/x", "~user"]);
    }

    #[test]
    fn an_open_quote_is_reported() {
        assert_eq!(split("ssh -i 'key.pem"), Err(Unterminated('\'')));
        assert_eq!(split("curl \"x"), Err(Unterminated('"')));
    }
}
