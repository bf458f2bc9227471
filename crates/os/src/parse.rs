//! bash's syntax, as much of it as a first session types: words with quotes and escapes,
//! `$VAR`, `${VAR}`, `$(…)` and backticks, `~`, pipes, `&&`, `||`, `;`, `&`, subshells, and
//! redirections (`>`, `>>`, `<`, `2>&1`, `&>`, here-documents and here-strings).
//!
//! Parsing yields a tree that keeps expansions unexpanded: they are expanded when each command
//! runs, so `TOKEN=$(curl …) && curl -H "…$TOKEN"` sees the token. A line that ends inside a
//! quote, after `|`/`&&`/`||`, or before a here-document's end is [`ParseError::Incomplete`]:
//! the shell then asks for more with `> `, as bash does.

use std::fmt;

/// How deep `$(…)`, backticks and subshells may nest.
const NESTING_MAX: usize = 16;

/// A parsed line: commands joined by `;`, `&&`, `||`, `&` and newlines.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Script {
    pub items: Vec<Item>,
}

/// One pipeline of a script, with how it joins the one before.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Item {
    pub connector: Connector,
    pub pipeline: Pipeline,
    /// Ended with `&`.
    pub background: bool,
}

/// `&&` and `||` have equal precedence and bind left to right, so a flat list with the
/// connector before each pipeline is exactly bash's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Connector {
    /// First, or after `;`, `&` or a newline: always runs.
    Always,
    /// After `&&`: runs if the status so far is 0.
    And,
    /// After `||`: runs if the status so far is not 0.
    Or,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pipeline {
    /// `! cmd`.
    pub negate: bool,
    pub commands: Vec<Command>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Command {
    Simple(Simple),
    /// `( list )` with its redirections.
    Subshell(Script, Vec<Redir>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Simple {
    /// `NAME=value` words before the command name.
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Redir {
    pub fd: u32,
    pub op: RedirOp,
    pub target: Target,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RedirOp {
    /// `<`
    In,
    /// `>` and `>|`
    Out,
    /// `>>`
    Append,
    /// `&>` and `>& file`: stdout and stderr to one file.
    Both,
    /// `&>>`
    BothAppend,
    /// `N>&M` / `N<&M`
    Dup,
    /// `N>&-`
    Close,
    /// `<<` and `<<<`: the target is the text itself.
    Here,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    Word(Word),
    Fd(u32),
    /// A here-document's body, or a here-string (which gets a newline added).
    Text {
        word: Word,
        newline: bool,
    },
    /// A here-document whose body is still to come, by index.
    Pending(usize),
}

/// A word before expansion.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Word {
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Part {
    /// Unquoted text: split by nothing, but subject to globbing.
    Text(String),
    /// Quoted or escaped text: taken as is.
    Quoted(String),
    Var {
        name: String,
        quoted: bool,
    },
    Subst {
        script: Script,
        quoted: bool,
    },
    /// `~` or `~user` at the start of a word.
    Tilde(String),
}

impl Word {
    /// The word's text if it has no expansions, quotes removed.
    pub fn literal(&self) -> Option<String> {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                Part::Text(piece) | Part::Quoted(piece) => text.push_str(piece),
                _ => return None,
            }
        }
        Some(text)
    }

    /// The word as plain unquoted text, for keywords and aliases.
    pub fn plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [Part::Text(text)] => Some(text),
            _ => None,
        }
    }

    /// The word roughly as it was typed, for here-document delimiters and messages.
    fn source(&self) -> String {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                Part::Text(piece) | Part::Quoted(piece) => text.push_str(piece),
                Part::Var { name, .. } => {
                    text.push('$');
                    text.push_str(name);
                }
                Part::Subst { .. } => text.push_str("$(...)"),
                Part::Tilde(user) => {
                    text.push('~');
                    text.push_str(user);
                }
            }
        }
        text
    }

    fn quoted(&self) -> bool {
        self.parts.iter().any(|part| !matches!(part, Part::Text(_)))
    }
}

/// Why a line did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// More input is needed: an open quote, a trailing `|`, a here-document's body.
    Incomplete,
    /// bash's "syntax error near unexpected token `X'".
    Unexpected(String),
    /// `${…}` that is not a plain name.
    BadSubstitution(String),
    /// Syntax bash has and this shell does not (`if`, `for`, `$((…))`…).
    Unsupported(String),
    TooDeep,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Incomplete => write!(f, "syntax error: unexpected end of file"),
            ParseError::Unexpected(token) => {
                write!(f, "syntax error near unexpected token `{token}'")
            }
            ParseError::BadSubstitution(text) => write!(f, "{text}: bad substitution"),
            ParseError::Unsupported(what) => write!(
                f,
                "{what}: this emulated shell runs simple commands, pipes and lists, not bash's compound commands or arithmetic"
            ),
            ParseError::TooDeep => write!(f, "expression nested too deeply"),
        }
    }
}

type Result<T> = std::result::Result<T, ParseError>;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(Word),
    /// Digits right before a redirection: `2>`.
    IoNumber(u32),
    Op(&'static str),
    Newline,
    Eof,
}

const OPERATORS: &[&str] = &[
    "&>>", "<<<", "<<-", "&&", "||", ";;", ">>", ">|", "<<", ">&", "<&", "&>", "|&", "|", "&", ";",
    "<", ">", "(", ")",
];

/// Words that start bash's compound commands, which this shell does not run.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "function", "select", "{", "}", "[[",
];

struct HereDoc {
    delimiter: String,
    strip_tabs: bool,
    quoted: bool,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
    peeked: Option<Tok>,
    pending: Vec<(usize, HereDoc)>,
    bodies: Vec<Option<Word>>,
}

/// Parses a whole line (or several, joined by newlines).
pub(crate) fn parse(source: &str) -> Result<Script> {
    Parser::new(source, 0).all()
}

/// Parses here-document text, where `$` and backticks expand but quotes are plain.
fn parse_here(body: &str, depth: usize) -> Result<Word> {
    let mut parser = Parser::new(body, depth);
    let mut parts = Vec::new();
    while let Some(c) = parser.cur() {
        match c {
            '\\' if matches!(parser.at(1), Some('$' | '`' | '\\')) => {
                push_quoted(&mut parts, parser.at(1).unwrap_or('\\'));
                parser.pos += 2;
            }
            '$' => parser.dollar(&mut parts, true)?,
            '`' => parser.backtick(&mut parts, true)?,
            other => {
                push_quoted(&mut parts, other);
                parser.pos += 1;
            }
        }
    }
    Ok(Word { parts })
}

fn push_text(parts: &mut Vec<Part>, c: char) {
    if let Some(Part::Text(text)) = parts.last_mut() {
        text.push(c);
    } else {
        parts.push(Part::Text(c.to_string()));
    }
}

fn push_quoted(parts: &mut Vec<Part>, c: char) {
    if let Some(Part::Quoted(text)) = parts.last_mut() {
        text.push(c);
    } else {
        parts.push(Part::Quoted(c.to_string()));
    }
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Whether text is a shell variable name.
pub(crate) fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

impl Parser {
    fn new(source: &str, depth: usize) -> Parser {
        Parser {
            chars: source.chars().collect(),
            pos: 0,
            depth,
            peeked: None,
            pending: Vec::new(),
            bodies: Vec::new(),
        }
    }

    fn cur(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn all(mut self) -> Result<Script> {
        let mut script = self.script(false)?;
        match self.bump()? {
            Tok::Eof => {}
            Tok::Op(op) => return Err(ParseError::Unexpected(op.to_string())),
            _ => return Err(ParseError::Unexpected("newline".into())),
        }
        if !self.pending.is_empty() {
            return Err(ParseError::Incomplete);
        }
        let bodies = std::mem::take(&mut self.bodies);
        fill_script(&mut script, &bodies)?;
        Ok(script)
    }

    fn peek(&mut self) -> Result<&Tok> {
        if self.peeked.is_none() {
            let token = self.lex()?;
            self.peeked = Some(token);
        }
        Ok(self.peeked.as_ref().unwrap_or(&Tok::Eof))
    }

    fn bump(&mut self) -> Result<Tok> {
        self.peek()?;
        Ok(self.peeked.take().unwrap_or(Tok::Eof))
    }

    fn skip_newlines(&mut self) -> Result<()> {
        while *self.peek()? == Tok::Newline {
            self.bump()?;
        }
        Ok(())
    }

    /// A list up to the end of input, or up to `)` in a subshell or `$(…)`.
    fn script(&mut self, in_parens: bool) -> Result<Script> {
        let mut items = Vec::new();
        let mut connector = Connector::Always;
        loop {
            if connector == Connector::Always {
                self.skip_newlines()?;
            }
            match self.peek()?.clone() {
                Tok::Eof => {
                    if connector != Connector::Always {
                        return Err(ParseError::Incomplete);
                    }
                    break;
                }
                Tok::Op(")") if in_parens && connector == Connector::Always => break,
                Tok::Op(op)
                    if op != "("
                        && !op.starts_with('<')
                        && !op.starts_with('>')
                        && op != "&>"
                        && op != "&>>" =>
                {
                    return Err(ParseError::Unexpected(op.to_string()));
                }
                _ => {}
            }
            let pipeline = self.pipeline()?;
            let mut item = Item {
                connector,
                pipeline,
                background: false,
            };
            connector = Connector::Always;
            match self.peek()?.clone() {
                Tok::Op("&&") => {
                    self.bump()?;
                    self.skip_newlines()?;
                    connector = Connector::And;
                }
                Tok::Op("||") => {
                    self.bump()?;
                    self.skip_newlines()?;
                    connector = Connector::Or;
                }
                Tok::Op(";") | Tok::Newline => {
                    self.bump()?;
                }
                Tok::Op("&") => {
                    self.bump()?;
                    item.background = true;
                }
                Tok::Eof => {}
                Tok::Op(")") if in_parens => {}
                Tok::Op(op) => return Err(ParseError::Unexpected(op.to_string())),
                Tok::Word(word) => return Err(ParseError::Unexpected(word.source())),
                Tok::IoNumber(number) => return Err(ParseError::Unexpected(number.to_string())),
            }
            items.push(item);
        }
        Ok(Script { items })
    }

    fn pipeline(&mut self) -> Result<Pipeline> {
        let mut negate = false;
        if let Tok::Word(word) = self.peek()?
            && word.plain() == Some("!")
        {
            self.bump()?;
            negate = true;
        }
        let mut commands = vec![self.command()?];
        loop {
            match self.peek()? {
                Tok::Op("|") => {}
                Tok::Op("|&") => {
                    // `a |& b` is `a 2>&1 | b`.
                    let redir = Redir {
                        fd: 2,
                        op: RedirOp::Dup,
                        target: Target::Fd(1),
                    };
                    match commands.last_mut() {
                        Some(Command::Simple(simple)) => simple.redirs.push(redir),
                        Some(Command::Subshell(_, redirs)) => redirs.push(redir),
                        None => {}
                    }
                }
                _ => break,
            }
            self.bump()?;
            self.skip_newlines()?;
            if *self.peek()? == Tok::Eof {
                return Err(ParseError::Incomplete);
            }
            commands.push(self.command()?);
        }
        Ok(Pipeline { negate, commands })
    }

    fn command(&mut self) -> Result<Command> {
        if *self.peek()? == Tok::Op("(") {
            self.bump()?;
            let script = self.parenthesised()?;
            if script.items.is_empty() {
                return Err(ParseError::Unexpected(")".into()));
            }
            let mut redirs = Vec::new();
            while let Some(redir) = self.redirection()? {
                redirs.push(redir);
            }
            return Ok(Command::Subshell(script, redirs));
        }
        let mut simple = Simple::default();
        loop {
            if let Some(redir) = self.redirection()? {
                simple.redirs.push(redir);
                continue;
            }
            let Tok::Word(word) = self.peek()?.clone() else {
                break;
            };
            self.bump()?;
            if simple.words.is_empty() {
                if let Some(keyword) = word.plain()
                    && KEYWORDS.contains(&keyword)
                {
                    return Err(ParseError::Unsupported(keyword.to_string()));
                }
                if let Some((name, value)) = assignment(&word) {
                    simple.assigns.push((name, value));
                    continue;
                }
            }
            simple.words.push(word);
        }
        if simple.words.is_empty() && simple.assigns.is_empty() && simple.redirs.is_empty() {
            return Err(match self.peek()?.clone() {
                Tok::Op(op) => ParseError::Unexpected(op.to_string()),
                Tok::Eof => ParseError::Incomplete,
                _ => ParseError::Unexpected("newline".into()),
            });
        }
        Ok(Command::Simple(simple))
    }

    /// The list inside `( … )` or `$( … )`, the opening parenthesis already read, through the
    /// closing one; one level deeper, refused past [`NESTING_MAX`].
    fn parenthesised(&mut self) -> Result<Script> {
        self.depth += 1;
        if self.depth > NESTING_MAX {
            return Err(ParseError::TooDeep);
        }
        let script = self.script(true)?;
        self.depth -= 1;
        match self.bump()? {
            Tok::Op(")") => Ok(script),
            Tok::Eof => Err(ParseError::Incomplete),
            _ => Err(ParseError::Unexpected(")".into())),
        }
    }

    /// A redirection if one comes next.
    fn redirection(&mut self) -> Result<Option<Redir>> {
        let (fd, op) = match self.peek()?.clone() {
            Tok::IoNumber(fd) => {
                self.bump()?;
                match self.bump()? {
                    Tok::Op(op) => (Some(fd), op),
                    _ => return Err(ParseError::Unexpected("newline".into())),
                }
            }
            Tok::Op(op) if op.starts_with('<') || op.starts_with('>') || op.starts_with("&>") => {
                self.bump()?;
                (None, op)
            }
            _ => return Ok(None),
        };
        let word = match self.bump()? {
            Tok::Word(word) => word,
            Tok::Op(other) => return Err(ParseError::Unexpected(other.to_string())),
            Tok::IoNumber(number) => Word {
                parts: vec![Part::Text(number.to_string())],
            },
            Tok::Newline | Tok::Eof => return Err(ParseError::Unexpected("newline".into())),
        };
        let redir = match op {
            "<" => Redir {
                fd: fd.unwrap_or(0),
                op: RedirOp::In,
                target: Target::Word(word),
            },
            ">" | ">|" => Redir {
                fd: fd.unwrap_or(1),
                op: RedirOp::Out,
                target: Target::Word(word),
            },
            ">>" => Redir {
                fd: fd.unwrap_or(1),
                op: RedirOp::Append,
                target: Target::Word(word),
            },
            "&>" => Redir {
                fd: 1,
                op: RedirOp::Both,
                target: Target::Word(word),
            },
            "&>>" => Redir {
                fd: 1,
                op: RedirOp::BothAppend,
                target: Target::Word(word),
            },
            ">&" | "<&" => {
                let default = if op == ">&" { 1 } else { 0 };
                match word.plain() {
                    Some("-") => Redir {
                        fd: fd.unwrap_or(default),
                        op: RedirOp::Close,
                        target: Target::Fd(0),
                    },
                    Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => Redir {
                        fd: fd.unwrap_or(default),
                        op: RedirOp::Dup,
                        target: Target::Fd(digits.parse().unwrap_or(1)),
                    },
                    _ if fd.is_none() && op == ">&" => Redir {
                        fd: 1,
                        op: RedirOp::Both,
                        target: Target::Word(word),
                    },
                    _ => return Err(ParseError::Unexpected(word.source())),
                }
            }
            "<<<" => Redir {
                fd: fd.unwrap_or(0),
                op: RedirOp::Here,
                target: Target::Text {
                    word,
                    newline: true,
                },
            },
            "<<" | "<<-" => {
                let index = self.bodies.len();
                self.bodies.push(None);
                self.pending.push((
                    index,
                    HereDoc {
                        delimiter: word.source(),
                        strip_tabs: op == "<<-",
                        quoted: word.quoted(),
                    },
                ));
                Redir {
                    fd: fd.unwrap_or(0),
                    op: RedirOp::Here,
                    target: Target::Pending(index),
                }
            }
            other => return Err(ParseError::Unexpected(other.to_string())),
        };
        Ok(Some(redir))
    }

    fn lex(&mut self) -> Result<Tok> {
        loop {
            match self.cur() {
                Some(' ' | '\t' | '\r') => self.pos += 1,
                Some('\\') if self.at(1) == Some('\n') => self.pos += 2,
                Some('\\') if self.at(1).is_none() => return Err(ParseError::Incomplete),
                _ => break,
            }
        }
        let Some(c) = self.cur() else {
            if !self.pending.is_empty() {
                return Err(ParseError::Incomplete);
            }
            return Ok(Tok::Eof);
        };
        if c == '#' {
            while self.cur().is_some_and(|c| c != '\n') {
                self.pos += 1;
            }
            return self.lex();
        }
        if c == '\n' {
            self.pos += 1;
            self.read_here_docs()?;
            return Ok(Tok::Newline);
        }
        for op in OPERATORS {
            let len = op.chars().count();
            if self.chars.len() >= self.pos + len
                && self.chars[self.pos..self.pos + len]
                    .iter()
                    .copied()
                    .eq(op.chars())
            {
                self.pos += len;
                return Ok(Tok::Op(op));
            }
        }
        let word = self.word()?;
        if let Some(digits) = word.plain()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && matches!(self.cur(), Some('<' | '>'))
            && let Ok(fd) = digits.parse()
        {
            return Ok(Tok::IoNumber(fd));
        }
        Ok(Tok::Word(word))
    }

    fn word(&mut self) -> Result<Word> {
        let mut parts = Vec::new();
        let start = self.pos;
        while let Some(c) = self.cur() {
            match c {
                ' ' | '\t' | '\r' | '\n' | '|' | '&' | ';' | '<' | '>' | '(' | ')' => break,
                '\\' => match self.at(1) {
                    None => return Err(ParseError::Incomplete),
                    Some('\n') => self.pos += 2,
                    Some(escaped) => {
                        push_quoted(&mut parts, escaped);
                        self.pos += 2;
                    }
                },
                '\'' => {
                    self.pos += 1;
                    let mut text = String::new();
                    loop {
                        match self.cur() {
                            None => return Err(ParseError::Incomplete),
                            Some('\'') => break,
                            Some(inner) => text.push(inner),
                        }
                        self.pos += 1;
                    }
                    self.pos += 1;
                    parts.push(Part::Quoted(text));
                }
                '"' => {
                    self.pos += 1;
                    parts.push(Part::Quoted(String::new()));
                    self.double_quoted(&mut parts)?;
                }
                '$' => self.dollar(&mut parts, false)?,
                '`' => self.backtick(&mut parts, false)?,
                '~' if self.pos == start => {
                    self.pos += 1;
                    let mut user = String::new();
                    while let Some(next) = self.cur() {
                        if next.is_ascii_alphanumeric() || matches!(next, '_' | '-' | '.') {
                            user.push(next);
                            self.pos += 1;
                        } else {
                            break;
                        }
                    }
                    if matches!(
                        self.cur(),
                        None | Some(
                            '/' | ' ' | '\t' | '\n' | ';' | '|' | '&' | ')' | '<' | '>' | ':'
                        )
                    ) {
                        parts.push(Part::Tilde(user));
                    } else {
                        push_text(&mut parts, '~');
                        for ch in user.chars() {
                            push_text(&mut parts, ch);
                        }
                    }
                }
                other => {
                    push_text(&mut parts, other);
                    self.pos += 1;
                }
            }
        }
        Ok(Word { parts })
    }

    fn double_quoted(&mut self, parts: &mut Vec<Part>) -> Result<()> {
        loop {
            match self.cur() {
                None => return Err(ParseError::Incomplete),
                Some('"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some('\\') => match self.at(1) {
                    None => return Err(ParseError::Incomplete),
                    Some('\n') => self.pos += 2,
                    Some(escaped @ ('$' | '`' | '"' | '\\')) => {
                        push_quoted(parts, escaped);
                        self.pos += 2;
                    }
                    Some(_) => {
                        push_quoted(parts, '\\');
                        self.pos += 1;
                    }
                },
                Some('$') => self.dollar(parts, true)?,
                Some('`') => self.backtick(parts, true)?,
                Some(other) => {
                    push_quoted(parts, other);
                    self.pos += 1;
                }
            }
        }
    }

    /// `$…` at the cursor.
    fn dollar(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<()> {
        let literal = |parts: &mut Vec<Part>| {
            if quoted {
                push_quoted(parts, '$');
            } else {
                push_text(parts, '$');
            }
        };
        match self.at(1) {
            Some('(') if self.at(2) == Some('(') => Err(ParseError::Unsupported("$((".into())),
            Some('(') => {
                self.pos += 2;
                let saved = self.peeked.take();
                let script = self.parenthesised()?;
                self.peeked = saved;
                parts.push(Part::Subst { script, quoted });
                Ok(())
            }
            Some('{') => {
                let mut text = String::new();
                let mut index = self.pos + 2;
                loop {
                    match self.chars.get(index) {
                        None => return Err(ParseError::Incomplete),
                        Some('}') => break,
                        Some(c) => text.push(*c),
                    }
                    index += 1;
                }
                self.pos = index + 1;
                let special = text.len() == 1 && "?$#!@*-0123456789".contains(text.as_str());
                if is_name(&text) || special {
                    parts.push(Part::Var { name: text, quoted });
                    Ok(())
                } else {
                    Err(ParseError::BadSubstitution(format!("${{{text}}}")))
                }
            }
            Some(c) if "?$#!@*-0123456789".contains(c) => {
                self.pos += 2;
                parts.push(Part::Var {
                    name: c.to_string(),
                    quoted,
                });
                Ok(())
            }
            Some(c) if is_name_start(c) => {
                self.pos += 1;
                let mut name = String::new();
                while let Some(next) = self.cur().filter(|c| is_name_char(*c)) {
                    name.push(next);
                    self.pos += 1;
                }
                parts.push(Part::Var { name, quoted });
                Ok(())
            }
            _ => {
                self.pos += 1;
                literal(parts);
                Ok(())
            }
        }
    }

    /// `` `…` `` at the cursor: the text up to the closing backtick, parsed on its own.
    fn backtick(&mut self, parts: &mut Vec<Part>, quoted: bool) -> Result<()> {
        self.pos += 1;
        let mut inner = String::new();
        loop {
            match self.cur() {
                None => return Err(ParseError::Incomplete),
                Some('`') => break,
                Some('\\') if matches!(self.at(1), Some('`' | '\\' | '$')) => {
                    inner.push(self.at(1).unwrap_or('\\'));
                    self.pos += 2;
                    continue;
                }
                Some(c) => inner.push(c),
            }
            self.pos += 1;
        }
        self.pos += 1;
        if self.depth + 1 > NESTING_MAX {
            return Err(ParseError::TooDeep);
        }
        let script = Parser::new(&inner, self.depth + 1).all()?;
        parts.push(Part::Subst { script, quoted });
        Ok(())
    }

    /// Reads the bodies of the here-documents opened on the line just ended.
    fn read_here_docs(&mut self) -> Result<()> {
        for (index, doc) in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            loop {
                if self.pos >= self.chars.len() {
                    return Err(ParseError::Incomplete);
                }
                let mut line = String::new();
                while let Some(c) = self.cur() {
                    self.pos += 1;
                    if c == '\n' {
                        break;
                    }
                    line.push(c);
                }
                let line = if doc.strip_tabs {
                    line.trim_start_matches('\t').to_string()
                } else {
                    line
                };
                if line == doc.delimiter {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            let word = if doc.quoted {
                Word {
                    parts: vec![Part::Quoted(body)],
                }
            } else {
                parse_here(&body, self.depth + 1)?
            };
            if let Some(slot) = self.bodies.get_mut(index) {
                *slot = Some(word);
            }
        }
        Ok(())
    }
}

/// `NAME=value` as an assignment, if the word is one.
fn assignment(word: &Word) -> Option<(String, Word)> {
    let Some(Part::Text(first)) = word.parts.first() else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut parts = Vec::new();
    if !rest.is_empty() {
        parts.push(Part::Text(rest.to_string()));
    }
    parts.extend(word.parts.iter().skip(1).cloned());
    Some((name.to_string(), Word { parts }))
}

fn fill_script(script: &mut Script, bodies: &[Option<Word>]) -> Result<()> {
    for item in &mut script.items {
        for command in &mut item.pipeline.commands {
            let redirs = match command {
                Command::Simple(simple) => &mut simple.redirs,
                Command::Subshell(inner, redirs) => {
                    fill_script(inner, bodies)?;
                    redirs
                }
            };
            for redir in redirs {
                if let Target::Pending(index) = redir.target {
                    let word = bodies
                        .get(index)
                        .cloned()
                        .flatten()
                        .ok_or(ParseError::Incomplete)?;
                    redir.target = Target::Text {
                        word,
                        newline: false,
                    };
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn simple(script: &Script, item: usize, command: usize) -> &Simple {
        match &script.items[item].pipeline.commands[command] {
            Command::Simple(simple) => simple,
            Command::Subshell(..) => panic!("not a simple command"),
        }
    }

    fn texts(simple: &Simple) -> Vec<String> {
        simple
            .words
            .iter()
            .map(|word| word.literal().unwrap_or_else(|| word.source()))
            .collect()
    }

    #[test]
    fn words_quotes_and_escapes() {
        let script = parse(r#"echo 'a b' "c $HOME" d\ e '' "#).expect("parse");
        let words = &simple(&script, 0, 0).words;
        assert_eq!(words.len(), 5);
        assert_eq!(words[1].literal().as_deref(), Some("a b"));
        assert_eq!(
            words[2].parts,
            vec![
                Part::Quoted("c ".into()),
                Part::Var {
                    name: "HOME".into(),
                    quoted: true
                }
            ]
        );
        assert_eq!(words[3].literal().as_deref(), Some("d e"));
        assert_eq!(words[4].literal().as_deref(), Some(""));
    }

    #[test]
    fn lists_pipes_and_redirections() {
        let script = parse(
            "echo '<h1>Hi</h1>' | sudo tee /var/www/html/index.html > /dev/null && ls; pwd || true",
        )
        .expect("parse");
        assert_eq!(script.items.len(), 4);
        assert_eq!(script.items[1].connector, Connector::And);
        assert_eq!(script.items[2].connector, Connector::Always);
        assert_eq!(script.items[3].connector, Connector::Or);
        let tee = simple(&script, 0, 1);
        assert_eq!(texts(tee), ["sudo", "tee", "/var/www/html/index.html"]);
        assert_eq!(tee.redirs[0].op, RedirOp::Out);
        let script = parse("curl localhost 2>&1 >>log").expect("parse");
        let curl = simple(&script, 0, 0);
        assert_eq!(curl.redirs[0].fd, 2);
        assert_eq!(curl.redirs[0].target, Target::Fd(1));
        assert_eq!(curl.redirs[1].op, RedirOp::Append);
    }

    #[test]
    fn the_imdsv2_token_line() {
        let line = r#"TOKEN=$(curl -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600") && curl -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/"#;
        let script = parse(line).expect("parse");
        let first = simple(&script, 0, 0);
        assert_eq!(first.assigns[0].0, "TOKEN");
        assert!(matches!(first.assigns[0].1.parts[0], Part::Subst { .. }));
        assert!(first.words.is_empty());
        let second = simple(&script, 1, 0);
        assert_eq!(second.words.len(), 4);
    }

    #[test]
    fn incomplete_lines_ask_for_more() {
        for line in [
            "echo 'open",
            "ls |",
            "true &&",
            "echo \"a",
            "cat <<EOF\nline",
            "echo \\",
        ] {
            assert_eq!(parse(line), Err(ParseError::Incomplete), "{line}");
        }
        let script = parse("cat <<EOF\nhello $USER\nEOF").expect("heredoc");
        let cat = simple(&script, 0, 0);
        assert!(matches!(
            cat.redirs[0].target,
            Target::Text { newline: false, .. }
        ));
    }

    #[test]
    fn syntax_errors_name_the_token() {
        assert_eq!(parse("| ls"), Err(ParseError::Unexpected("|".into())));
        assert_eq!(parse("ls ;; pwd"), Err(ParseError::Unexpected(";;".into())));
        assert_eq!(
            parse("echo >"),
            Err(ParseError::Unexpected("newline".into()))
        );
        assert_eq!(
            parse("echo ${a:-b}"),
            Err(ParseError::BadSubstitution("${a:-b}".into()))
        );
        assert!(matches!(
            parse("if true; then ls; fi"),
            Err(ParseError::Unsupported(_))
        ));
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}x{}", "$(".repeat(40), ")".repeat(40));
        assert_eq!(parse(&deep), Err(ParseError::TooDeep));
        let subshells = format!("{}x{}", "(".repeat(40), ")".repeat(40));
        assert_eq!(parse(&subshells), Err(ParseError::TooDeep));
    }

    #[test]
    fn comments_tilde_and_subshells() {
        let script = parse("cd ~/site # go home").expect("parse");
        let cd = simple(&script, 0, 0);
        assert_eq!(cd.words.len(), 2);
        assert_eq!(cd.words[1].parts[0], Part::Tilde(String::new()));
        let script = parse("(cd /tmp && ls) | wc -l").expect("parse");
        assert!(matches!(
            script.items[0].pipeline.commands[0],
            Command::Subshell(..)
        ));
    }
}
