//! The command lines of one page of the aws CLI's shipped examples
//! (`awscli/examples/<service>/<operation>.rst`), as a reader would type them.
//!
//! A page is reStructuredText: prose, then literal blocks (after a paragraph ending in `::`)
//! holding `aws ...` lines continued with `\`, the output, and the contents of the files the
//! commands read (`Contents of ``dist-config.json``::`). Only what a command needs is read here:
//! its words, a `> file` it writes, and the files its `file://` arguments name.

/// The shell an example is written for, told by its line continuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// `\`, or a single line.
    Posix,
    /// `^` (cmd.exe) or `` ` `` (PowerShell); the page shows the same command for a POSIX shell.
    Windows,
}

/// One `aws ...` command line of a page.
#[derive(Debug, Clone)]
pub struct Example {
    /// `ec2/run-instances`: the page, as its path under the examples directory.
    pub page: String,
    /// 1 for the page's first command line, and so on.
    pub number: usize,
    pub shell: Shell,
    /// The words after `aws`, or `None` when they do not split as a shell would.
    pub argv: Option<Vec<String>>,
    /// The file a `> file` redirection writes standard output to.
    pub stdout_to: Option<String>,
    /// The files named by `file://` and `fileb://` arguments.
    pub inputs: Vec<Input>,
}

impl Example {
    /// `ec2/run-instances#3`, as the verdict tables name it.
    pub fn id(&self) -> String {
        format!("{}#{}", self.page, self.number)
    }
}

/// A file an example reads, with the contents the page shows for it, if it shows them.
#[derive(Debug, Clone)]
pub struct Input {
    /// As written after `file://`: `dist-config.json`, `~/.ssh/my-key.pub`.
    pub path: String,
    pub contents: Option<String>,
}

/// A literal block: its lines, unindented.
struct Block {
    /// The paragraph that introduces it (the text before `::`).
    intro: String,
    lines: Vec<String>,
}

/// The literal blocks of a page, in order.
fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut paragraph = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            // Indented text outside a block: treat it as prose.
            paragraph.push_str(line.trim());
            paragraph.push(' ');
            i += 1;
            continue;
        }
        paragraph.push_str(line.trim_end());
        paragraph.push(' ');
        i += 1;
        if !line.trim_end().ends_with("::") {
            continue;
        }
        // The block: every following line that is blank or indented.
        let start = i;
        while i < lines.len() && (lines[i].trim().is_empty() || lines[i].starts_with(' ')) {
            i += 1;
        }
        let body: Vec<&str> = lines[start..i].to_vec();
        let indent = body
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        blocks.push(Block {
            intro: std::mem::take(&mut paragraph),
            lines: body
                .iter()
                .map(|l| l.get(indent..).unwrap_or("").trim_end().to_string())
                .collect(),
        });
    }
    blocks
}

/// The examples of one page.
pub fn examples(page: &str, text: &str) -> Vec<Example> {
    let blocks = blocks(text);
    let mut examples = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        let mut i = 0;
        while i < block.lines.len() {
            let first = block.lines[i].trim();
            if !first.starts_with("aws ") {
                i += 1;
                continue;
            }
            let mut command = String::new();
            let mut shell = Shell::Posix;
            let mut line = first.to_string();
            loop {
                let trimmed = line.trim_end();
                let continued = match trimmed.chars().last() {
                    Some('\\') => Some(Shell::Posix),
                    Some('^') | Some('`') => Some(Shell::Windows),
                    _ => None,
                };
                match continued {
                    Some(kind) if i + 1 < block.lines.len() => {
                        if kind == Shell::Windows {
                            shell = Shell::Windows;
                        }
                        command.push_str(&trimmed[..trimmed.len() - 1]);
                        command.push(' ');
                        i += 1;
                        line = block.lines[i].trim().to_string();
                    }
                    _ => {
                        command.push_str(trimmed);
                        break;
                    }
                }
            }
            i += 1;
            let (argv, stdout_to) = split(&command);
            let inputs = argv
                .iter()
                .flatten()
                .filter_map(|arg| {
                    arg.strip_prefix("file://")
                        .or_else(|| arg.strip_prefix("fileb://"))
                })
                .map(|path| Input {
                    path: path.to_string(),
                    contents: shown_contents(&blocks, b, i, path),
                })
                .collect();
            examples.push(Example {
                page: page.to_string(),
                number: examples.len() + 1,
                shell,
                argv,
                stdout_to,
                inputs,
            });
        }
    }
    examples
}

/// The words after `aws`, and the target of a trailing `> file`.
fn split(command: &str) -> (Option<Vec<String>>, Option<String>) {
    let Some(mut words) = shlex::split(command) else {
        return (None, None);
    };
    let mut stdout_to = None;
    if let Some(at) = words.iter().position(|w| w == ">") {
        stdout_to = words.get(at + 1).cloned();
        words.truncate(at);
    }
    words.remove(0);
    (Some(words), stdout_to)
}

/// The contents a page shows for `path`, read by the command that ends before line `after` of
/// block `at`: the first later block that a paragraph introduces by the file's name, else a
/// `name:` line after the command in its own block and what follows it, else the last earlier
/// block introduced by the name.
fn shown_contents(blocks: &[Block], at: usize, after: usize, path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let introduced = |block: &Block| {
        block.intro.contains(&format!("``{name}``"))
            || block.intro.trim_end().ends_with(&format!("{name}::"))
            || block.intro.contains(&format!("{name}::"))
    };
    let contents = |block: &Block| {
        let text = block.lines.join("\n");
        let text = text.trim();
        (!text.is_empty() && !text.starts_with("aws ")).then(|| text.to_string() + "\n")
    };
    if let Some(found) = blocks[at + 1..]
        .iter()
        .filter(|block| introduced(block))
        .find_map(contents)
    {
        return Some(found);
    }
    // `policy.json:` inside the command's own block, then the file.
    let own = &blocks[at].lines[after.min(blocks[at].lines.len())..];
    if let Some(start) = own.iter().position(|l| l.trim() == format!("{name}:")) {
        let rest = own[start + 1..].join("\n");
        let rest = rest.trim();
        if !rest.is_empty() {
            return Some(rest.to_string() + "\n");
        }
    }
    blocks[..at]
        .iter()
        .rev()
        .filter(|block| introduced(block))
        .find_map(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "\
**Example 1: To do it**

The following example does it. ::

    aws ec2 describe-instances \\
        --filters file://filters.json \\
        --query 'Reservations[*]' > out.json

Contents of ``filters.json``::

    [
        {\"Name\": \"instance-type\", \"Values\": [\"t2.micro\"]}
    ]

Windows::

    aws ec2 describe-instances ^
        --output json
";

    #[test]
    fn commands_their_files_and_their_shell() {
        let examples = examples("ec2/describe-instances", PAGE);
        assert_eq!(examples.len(), 2);
        let first = &examples[0];
        assert_eq!(first.id(), "ec2/describe-instances#1");
        assert_eq!(first.shell, Shell::Posix);
        assert_eq!(
            first.argv.as_deref(),
            Some(
                &[
                    "ec2",
                    "describe-instances",
                    "--filters",
                    "file://filters.json",
                    "--query",
                    "Reservations[*]"
                ]
                .map(String::from)[..]
            )
        );
        assert_eq!(first.stdout_to.as_deref(), Some("out.json"));
        assert_eq!(first.inputs[0].path, "filters.json");
        assert!(
            first.inputs[0]
                .contents
                .as_deref()
                .expect("shown")
                .starts_with("[\n    {\"Name\"")
        );
        assert_eq!(examples[1].shell, Shell::Windows);
    }
}
