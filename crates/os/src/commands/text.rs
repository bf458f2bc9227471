//! Text filters: `echo`, `printf`, `grep`, `head`, `tail`, `wc`, `tee`, `sort`, `uniq`, `cut`,
//! `tr`, and the pagers, which print everything since the terminal cannot page.

use std::iter::Peekable;
use std::str::Chars;

use super::{Opts, Proc};

/// bash's `echo`: `-n`, `-e`, `-E`, given separately or together, before the words.
pub(crate) fn echo(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut words = &argv[1..];
    while let Some(first) = words.first() {
        let flags = first
            .strip_prefix('-')
            .filter(|flags| !flags.is_empty() && flags.chars().all(|c| "neE".contains(c)));
        let Some(flags) = flags else { break };
        for flag in flags.chars() {
            match flag {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        words = &words[1..];
    }
    let mut text = words.join(" ");
    let mut stop = false;
    if escapes {
        (text, stop) = unescape(&text);
    }
    if newline && !stop {
        text.push('\n');
    }
    proc.out(text);
    0
}

/// Backslash escapes as `echo -e` and `printf` read them; `\c` stops all output after it.
fn unescape(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('e') => out.push('\x1b'),
            Some('f') => out.push('\x0c'),
            Some('v') => out.push('\x0b'),
            Some('\\') => out.push('\\'),
            Some('c') => return (out, true),
            Some('0') => out.push(escaped_code(&mut chars, 8, 3)),
            Some('x') => out.push(escaped_code(&mut chars, 16, 2)),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

/// The character of `\0NNN` (octal) or `\xHH` (hex): up to `most` digits, as many as there are.
fn escaped_code(chars: &mut Peekable<Chars<'_>>, radix: u32, most: usize) -> char {
    let mut value = 0u32;
    for _ in 0..most {
        match chars.peek().and_then(|d| d.to_digit(radix)) {
            Some(digit) => {
                value = value * radix + digit;
                chars.next();
            }
            None => break,
        }
    }
    char::from_u32(value).unwrap_or('\0')
}

/// `printf FORMAT [ARGS]`: `%s`, `%d`, `%b`, `%%` and widths, the format reused for extra
/// arguments as coreutils and bash do.
pub(crate) fn printf(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let Some(format) = argv.get(1) else {
        proc.err("printf: usage: printf [-v var] format [arguments]\n");
        return 2;
    };
    let (format, _) = unescape(format);
    let mut args = argv[2..].iter();
    let mut out = String::new();
    loop {
        let mut consumed = false;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = String::new();
            while let Some(next) = chars.peek().copied() {
                if next.is_ascii_digit() || next == '-' || next == '.' {
                    spec.push(next);
                    chars.next();
                } else {
                    break;
                }
            }
            let Some(conversion) = chars.next() else {
                out.push('%');
                break;
            };
            let left = spec.starts_with('-');
            let width: usize = spec
                .trim_start_matches('-')
                .split('.')
                .next()
                .unwrap_or("")
                .parse()
                .unwrap_or(0);
            let value = match conversion {
                '%' => {
                    out.push('%');
                    continue;
                }
                's' | 'b' | 'd' | 'i' | 'c' => {
                    consumed = true;
                    let arg = args.next().cloned().unwrap_or_default();
                    match conversion {
                        'b' => unescape(&arg).0,
                        'd' | 'i' => arg.trim().parse::<i64>().unwrap_or(0).to_string(),
                        'c' => arg.chars().next().map(String::from).unwrap_or_default(),
                        _ => arg,
                    }
                }
                other => format!("%{spec}{other}"),
            };
            if left {
                out.push_str(&format!("{value:<width$}"));
            } else {
                out.push_str(&format!("{value:>width$}"));
            }
        }
        if !consumed || args.len() == 0 {
            break;
        }
    }
    proc.out(out);
    0
}

/// A basic regular expression (grep's default) in the regex crate's syntax: `+ ? | { } ( )`
/// are plain unless escaped, the other way round from extended ones.
fn basic_to_extended(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(meta @ ('+' | '?' | '|' | '{' | '}' | '(' | ')')) => out.push(meta),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push_str("\\\\"),
            },
            '+' | '?' | '|' | '{' | '}' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
    }
    out
}

pub(crate) fn grep(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "eABCm");
    let mut operands = opts.operands.clone();
    let pattern = match opts.value('e') {
        Some(pattern) => pattern.to_string(),
        None => {
            if operands.is_empty() {
                proc.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
                return 2;
            }
            operands.remove(0)
        }
    };
    let extended = opts.has('E') || argv[0].ends_with("egrep");
    let fixed = opts.has('F');
    let mut source = if fixed {
        regex::escape(&pattern)
    } else if extended {
        pattern.clone()
    } else {
        basic_to_extended(&pattern)
    };
    if opts.has('w') {
        source = format!(r"\b(?:{source})\b");
    }
    if opts.has('x') {
        source = format!("^(?:{source})$");
    }
    let regex = match regex::RegexBuilder::new(&source)
        .case_insensitive(opts.has('i'))
        .size_limit(1 << 20)
        .build()
    {
        Ok(regex) => regex,
        Err(_) => {
            proc.err("grep: Invalid regular expression\n");
            return 2;
        }
    };
    let invert = opts.has('v');
    let count = opts.has('c');
    let quiet = opts.has('q');
    let numbers = opts.has('n');
    let only = opts.has('o');
    let names_only = opts.has('l');
    let show_names = (operands.len() > 1 || opts.has('H')) && !opts.has('h');
    let (inputs, mut status) = proc.inputs("grep", &operands);
    if status != 0 {
        status = 2;
    }
    let mut matched_any = false;
    let mut out = String::new();
    for (name, data) in inputs {
        let text = String::from_utf8_lossy(&data);
        let label = if name == "-" {
            "(standard input)".to_string()
        } else {
            name
        };
        let mut matches = 0;
        for (index, line) in text.lines().enumerate() {
            let hit = regex.is_match(line) != invert;
            if !hit {
                continue;
            }
            matches += 1;
            if quiet || count || names_only {
                continue;
            }
            let prefix = match (show_names, numbers) {
                (true, true) => format!("{label}:{}:", index + 1),
                (true, false) => format!("{label}:"),
                (false, true) => format!("{}:", index + 1),
                (false, false) => String::new(),
            };
            if only && !invert {
                for found in regex.find_iter(line) {
                    out.push_str(&format!("{prefix}{}\n", found.as_str()));
                }
            } else {
                out.push_str(&format!("{prefix}{line}\n"));
            }
        }
        if count {
            if show_names {
                out.push_str(&format!("{label}:{matches}\n"));
            } else {
                out.push_str(&format!("{matches}\n"));
            }
        }
        if names_only && matches > 0 {
            out.push_str(&format!("{label}\n"));
        }
        matched_any |= matches > 0;
    }
    proc.out(out);
    if status == 2 && !matched_any {
        return 2;
    }
    if matched_any { 0 } else { 1 }
}

/// `-n N`, `-N` or `-c N` as head and tail take them.
fn count_option(opts: &Opts, argv: &[String]) -> (usize, bool) {
    if let Some(bytes) = opts.value('c') {
        return (bytes.trim_start_matches('+').parse().unwrap_or(0), true);
    }
    if let Some(lines) = opts.value('n') {
        return (
            lines.trim_start_matches(['-', '+']).parse().unwrap_or(10),
            false,
        );
    }
    for arg in &argv[1..] {
        if let Some(number) = arg.strip_prefix('-')
            && !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
        {
            return (number.parse().unwrap_or(10), false);
        }
    }
    (10, false)
}

fn head_or_tail(proc: &mut Proc<'_, '_>, argv: &[String], name: &str, tail: bool) -> i32 {
    let args: Vec<String> = argv[1..]
        .iter()
        .filter(|arg| {
            !(arg.starts_with('-') && arg.len() > 1 && arg[1..].bytes().all(|b| b.is_ascii_digit()))
        })
        .cloned()
        .collect();
    let opts = Opts::parse(&args, "nc");
    let (count, bytes) = count_option(&opts, argv);
    let (inputs, status) = proc.inputs(name, &opts.operands);
    let headers = inputs.len() > 1 && !opts.has('q');
    let mut out: Vec<u8> = Vec::new();
    for (index, (label, data)) in inputs.iter().enumerate() {
        if headers {
            if index > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(format!("==> {label} <==\n").as_bytes());
        }
        if bytes {
            let slice = if tail {
                &data[data.len().saturating_sub(count)..]
            } else {
                &data[..count.min(data.len())]
            };
            out.extend_from_slice(slice);
            continue;
        }
        let lines: Vec<&[u8]> = data.split_inclusive(|b| *b == b'\n').collect();
        let chosen = if tail {
            &lines[lines.len().saturating_sub(count)..]
        } else {
            &lines[..count.min(lines.len())]
        };
        for line in chosen {
            out.extend_from_slice(line);
        }
    }
    proc.out(out);
    status
}

pub(crate) fn head(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    head_or_tail(proc, argv, "head", false)
}

pub(crate) fn tail(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    head_or_tail(proc, argv, "tail", true)
}

pub(crate) fn wc(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let (mut lines, mut words, mut bytes, chars) =
        (opts.has('l'), opts.has('w'), opts.has('c'), opts.has('m'));
    if !lines && !words && !bytes && !chars {
        (lines, words, bytes) = (true, true, true);
    }
    let (inputs, status) = proc.inputs("wc", &opts.operands);
    let mut rows: Vec<(Vec<usize>, String)> = Vec::new();
    let mut totals = [0usize; 4];
    for (name, data) in &inputs {
        let text = String::from_utf8_lossy(data);
        let counts = [
            data.iter().filter(|b| **b == b'\n').count(),
            text.split_whitespace().count(),
            text.chars().count(),
            data.len(),
        ];
        let chosen: Vec<usize> = [(lines, 0), (words, 1), (chars, 2), (bytes, 3)]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, index)| counts[*index])
            .collect();
        for (total, count) in totals.iter_mut().zip(counts) {
            *total += count;
        }
        rows.push((
            chosen,
            if name == "-" {
                String::new()
            } else {
                name.clone()
            },
        ));
    }
    if inputs.len() > 1 {
        let chosen: Vec<usize> = [(lines, 0), (words, 1), (chars, 2), (bytes, 3)]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, index)| totals[*index])
            .collect();
        rows.push((chosen, "total".into()));
    }
    let from_stdin = opts.operands.is_empty();
    let single = rows.len() == 1 && rows[0].0.len() == 1;
    let width = if single {
        0
    } else if from_stdin {
        7
    } else {
        rows.iter()
            .flat_map(|(counts, _)| counts.iter())
            .map(|count| count.to_string().len())
            .max()
            .unwrap_or(1)
    };
    let mut out = String::new();
    for (counts, name) in rows {
        let mut fields: Vec<String> = counts
            .iter()
            .map(|count| format!("{count:>width$}"))
            .collect();
        if !name.is_empty() {
            fields.push(name);
        }
        out.push_str(&fields.join(" "));
        out.push('\n');
    }
    proc.out(out);
    status
}

pub(crate) fn tee(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let append = opts.has('a') || opts.has_long("append");
    let data = proc.io.input().to_vec();
    let cred = proc.cred().clone();
    let cwd = proc.cwd.to_string();
    let mut status = 0;
    for file in &opts.operands {
        if let Err(errno) = proc.fs().write(&cred, &cwd, file, &data, append) {
            proc.err(format!("tee: {file}: {errno}\n"));
            status = 1;
        }
    }
    proc.out(data);
    status
}

pub(crate) fn sort(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "kt");
    let (inputs, status) = proc.inputs("sort", &opts.operands);
    let mut lines: Vec<String> = inputs
        .iter()
        .flat_map(|(_, data)| {
            String::from_utf8_lossy(data)
                .lines()
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .collect();
    if opts.has('n') {
        let number = |line: &str| -> f64 {
            let digits: String = line
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
                .collect();
            digits.parse().unwrap_or(0.0)
        };
        lines.sort_by(|a, b| {
            number(a)
                .partial_cmp(&number(b))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| a.cmp(b))
        });
    } else if opts.has('f') {
        lines.sort_by_key(|line| line.to_lowercase());
    } else {
        lines.sort();
    }
    if opts.has('r') {
        lines.reverse();
    }
    if opts.has('u') {
        lines.dedup();
    }
    let out: String = lines.iter().map(|line| format!("{line}\n")).collect();
    proc.out(out);
    status
}

pub(crate) fn uniq(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let (inputs, status) = proc.inputs("uniq", &opts.operands[..opts.operands.len().min(1)]);
    let text: String = inputs
        .iter()
        .map(|(_, data)| String::from_utf8_lossy(data).into_owned())
        .collect();
    let mut groups: Vec<(usize, &str)> = Vec::new();
    for line in text.lines() {
        match groups.last_mut() {
            Some((count, last)) if *last == line => *count += 1,
            _ => groups.push((1, line)),
        }
    }
    let mut out = String::new();
    for (count, line) in groups {
        if opts.has('d') && count < 2 || opts.has('u') && count > 1 {
            continue;
        }
        if opts.has('c') {
            out.push_str(&format!("{count:>7} {line}\n"));
        } else {
            out.push_str(&format!("{line}\n"));
        }
    }
    proc.out(out);
    status
}

/// A `cut` list such as `1,3-4` as a test on 1-based positions.
fn in_list(list: &str, position: usize) -> bool {
    list.split(',').any(|range| match range.split_once('-') {
        Some((start, end)) => {
            let start = start.parse().unwrap_or(1);
            let end = end.parse().unwrap_or(usize::MAX);
            (start..=end).contains(&position)
        }
        None => range.parse() == Ok(position),
    })
}

pub(crate) fn cut(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "dfc");
    let delimiter = opts
        .value('d')
        .and_then(|d| d.chars().next())
        .unwrap_or('\t');
    let (inputs, status) = proc.inputs("cut", &opts.operands);
    let mut out = String::new();
    for (_, data) in inputs {
        for line in String::from_utf8_lossy(&data).lines() {
            if let Some(list) = opts.value('f') {
                if !line.contains(delimiter) {
                    out.push_str(line);
                } else {
                    let fields: Vec<&str> = line
                        .split(delimiter)
                        .enumerate()
                        .filter(|(index, _)| in_list(list, index + 1))
                        .map(|(_, field)| field)
                        .collect();
                    out.push_str(&fields.join(&delimiter.to_string()));
                }
            } else if let Some(list) = opts.value('c') {
                out.extend(
                    line.chars()
                        .enumerate()
                        .filter(|(index, _)| in_list(list, index + 1))
                        .map(|(_, c)| c),
                );
            } else {
                proc.err("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n");
                return 1;
            }
            out.push('\n');
        }
    }
    proc.out(out);
    status
}

/// A `tr` set with ranges expanded: `a-z`.
fn expand_set(set: &str) -> Vec<char> {
    let chars: Vec<char> = unescape(set).0.chars().collect();
    let mut out = Vec::new();
    let mut index = 0;
    while index < chars.len() {
        if index + 2 < chars.len() && chars[index + 1] == '-' && chars[index] <= chars[index + 2] {
            out.extend(chars[index]..=chars[index + 2]);
            index += 3;
        } else {
            out.push(chars[index]);
            index += 1;
        }
        if out.len() > 65_536 {
            break;
        }
    }
    out
}

pub(crate) fn tr(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let text = String::from_utf8_lossy(proc.io.input()).into_owned();
    let out: String = match (opts.has('d'), opts.operands.as_slice()) {
        (true, [set, ..]) => {
            let set = expand_set(set);
            text.chars().filter(|c| !set.contains(c)).collect()
        }
        (false, [from, to, ..]) => {
            let (from, to) = (expand_set(from), expand_set(to));
            text.chars()
                .map(|c| match from.iter().position(|f| *f == c) {
                    Some(index) => to.get(index).or(to.last()).copied().unwrap_or(c),
                    None => c,
                })
                .collect()
        }
        _ => {
            proc.err("tr: missing operand\nTry 'tr --help' for more information.\n");
            return 1;
        }
    };
    proc.out(out);
    0
}

/// `less`, `more`: without a full-screen terminal they print the whole text, as they do when
/// their output is not a terminal.
pub(crate) fn pager(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let name = crate::fs::basename(&argv[0]).to_string();
    if opts.operands.is_empty() && proc.io.stdin_is_tty() {
        proc.err(format!("Missing filename (\"{name} --help\" for help)\n"));
        return 1;
    }
    let (inputs, status) = proc.inputs(&name, &opts.operands);
    for (_, data) in inputs {
        proc.out(data);
    }
    status
}

#[cfg(test)]
mod tests {
    use super::super::Machine;
    use super::*;

    #[test]
    fn echo_with_options_quotes_and_variables() {
        let mut machine = Machine::ubuntu();
        assert_eq!(machine.out("echo hello world"), "hello world\n");
        assert_eq!(machine.out("echo -n hi"), "hi");
        assert_eq!(machine.out("echo -e 'a\\tb\\nc'"), "a\tb\nc\n");
        assert_eq!(
            machine.out("echo \"$HOME\" '$HOME' $USER"),
            "/home/ubuntu $HOME ubuntu\n"
        );
        assert_eq!(machine.out("false; echo $?"), "1\n");
        assert_eq!(machine.out("echo   spaced    out  "), "spaced out\n");
        assert_eq!(machine.out("X='a  b'; echo $X \"$X\""), "a b a  b\n");
        assert_eq!(machine.out("printf '%s=%d\\n' a 1 b 2"), "a=1\nb=2\n");
    }

    #[test]
    fn filters_in_pipes() {
        let mut machine = Machine::ubuntu();
        machine.run("printf 'one\\ntwo\\nthree\\nfour\\n' > list");
        assert_eq!(machine.out("cat list | grep o"), "one\ntwo\nfour\n");
        assert_eq!(machine.out("grep -c o list"), "3\n");
        assert_eq!(machine.out("grep -v o list"), "three\n");
        assert_eq!(machine.out("grep -n 'tw\\|th' list"), "2:two\n3:three\n");
        assert_eq!(machine.run("grep zzz list").status, 1);
        assert_eq!(machine.out("cat list | head -n 2"), "one\ntwo\n");
        assert_eq!(machine.out("head -1 list"), "one\n");
        assert_eq!(machine.out("tail -n 1 list"), "four\n");
        assert_eq!(machine.out("cat list | wc -l"), "4\n");
        assert_eq!(machine.out("wc list"), " 4  4 19 list\n");
        assert_eq!(machine.out("cat list | wc"), "      4       4      19\n");
        assert_eq!(machine.out("sort list | head -n 1"), "four\n");
        assert_eq!(machine.out("echo a:b:c | cut -d: -f2"), "b\n");
        assert_eq!(machine.out("echo hello | tr a-z A-Z"), "HELLO\n");
        assert_eq!(
            machine.out("printf 'a\\na\\nb\\n' | uniq -c"),
            "      2 a\n      1 b\n"
        );
    }

    #[test]
    fn tee_writes_files_and_passes_through() {
        let mut machine = Machine::ubuntu();
        assert_eq!(machine.out("echo one | tee out.txt"), "one\n");
        assert_eq!(
            machine.out("echo two | tee -a out.txt > /dev/null; cat out.txt"),
            "one\ntwo\n"
        );
        assert_eq!(
            machine.out("echo x | tee /etc/motd"),
            "tee: /etc/motd: Permission denied\nx\n"
        );
        assert_eq!(basic_to_extended(r"a\|b+"), r"a|b\+");
    }
}
