//! coreutils' file commands (`ls`, `cat`, `cp`…) and `tree`, with their messages.
//!
//! coreutils quotes names in messages two ways: `'x'` for most (shell quoting) and `‘x’` where
//! it uses the locale's quotes (`mkdir`, invalid modes); both are kept as the tools print them.

use super::{Opts, Proc, human};
use crate::distro;
use crate::fs::{self, DEPTH_MAX, Errno, READ};
use crate::node::{Body, Node};
use crate::terminal::display_width;
use cloudlings_core::mode::Mode;

/// `Oct 21 08:30` for the last six months, `Apr 22  2024` before (or in the future).
fn ls_time(mtime: i64, now: i64) -> String {
    let at = distro::at(mtime);
    let recent = mtime <= now && now - mtime < 15_778_476;
    if recent {
        format!(
            "{} {:>2} {:02}:{:02}",
            distro::month(at),
            at.day(),
            at.hour(),
            at.minute()
        )
    } else {
        format!("{} {:>2}  {}", distro::month(at), at.day(), at.year())
    }
}

/// The 1K blocks a file takes, as `ls -s` and `total` count them.
fn blocks(node: &Node) -> u64 {
    match node.body {
        Body::Dir { .. } => 4,
        Body::Link(_) | Body::Device(..) => 0,
        _ => node.size().div_ceil(4096) * 4,
    }
}

/// A name as `ls` shows it on a terminal: quoted when it has blanks or shell characters.
fn shown(name: &str, tty: bool) -> String {
    if tty
        && name
            .chars()
            .any(|c| " \t'\"$&;|<>()*?[]!{}`\\#~".contains(c))
    {
        if name.contains('\'') {
            format!("\"{name}\"")
        } else {
            format!("'{name}'")
        }
    } else {
        name.to_string()
    }
}

fn classify(node: &Node) -> &'static str {
    match node.body {
        Body::Dir { .. } => "/",
        Body::Link(_) => "@",
        _ if node.meta.mode & 0o111 != 0 => "*",
        _ => "",
    }
}

struct Entry {
    name: String,
    path: String,
    node: Node,
}

pub(crate) fn ls(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    for long in &opts.long {
        if !(long.starts_with("color")
            || long == "all"
            || long == "almost-all"
            || long == "human-readable"
            || long == "classify"
            || long == "directory")
        {
            proc.err(format!(
                "ls: unrecognized option '--{long}'\nTry 'ls --help' for more information.\n"
            ));
            return 2;
        }
    }
    let long = opts.has('l') || opts.has('n') || opts.has('g') || opts.has('o');
    let all = opts.has('a') || opts.has_long("all");
    let almost = opts.has('A') || opts.has_long("almost-all");
    let human_sizes = opts.has('h') || opts.has_long("human-readable");
    let classify_names = opts.has('F') || opts.has_long("classify");
    let directory = opts.has('d') || opts.has_long("directory");
    let one = opts.has('1') || !proc.io.tty_out;
    let by_time = opts.has('t');
    let by_size = opts.has('S');
    let reverse = opts.has('r');
    let mut operands = opts.operands.clone();
    if operands.is_empty() {
        operands.push(".".into());
    }
    let mut status = 0;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for operand in &operands {
        let follow = !long || operand.ends_with('/') || operand == ".";
        match proc.view().lookup(proc.cred(), proc.cwd, operand, follow) {
            Ok((path, node)) => {
                let entry = Entry {
                    name: operand.clone(),
                    path,
                    node,
                };
                if entry.node.is_dir() && !directory {
                    dirs.push(entry);
                } else {
                    files.push(entry);
                }
            }
            Err(errno) => {
                proc.err(format!("ls: cannot access '{operand}': {errno}\n"));
                status = 2;
            }
        }
    }
    let sort = |entries: &mut Vec<Entry>| {
        entries.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
        if by_time {
            entries.sort_by_key(|entry| std::cmp::Reverse(entry.node.meta.mtime));
        }
        if by_size {
            entries.sort_by_key(|entry| std::cmp::Reverse(entry.node.size()));
        }
        if reverse {
            entries.reverse();
        }
    };
    sort(&mut files);
    sort(&mut dirs);
    let format = Format {
        long,
        human: human_sizes,
        classify: classify_names,
        one,
        numeric: opts.has('n'),
        no_group: opts.has('o'),
        no_owner: opts.has('g'),
    };
    let mut printed = false;
    if !files.is_empty() {
        let text = render(proc, &files, &format, false);
        proc.out(text);
        printed = true;
    }
    let headers = operands.len() > 1 || !files.is_empty();
    for dir in dirs {
        let entries = match proc.view().list(proc.cred(), "/", &dir.path) {
            Ok(entries) => entries,
            Err(errno) => {
                proc.err(format!(
                    "ls: cannot open directory '{}': {errno}\n",
                    dir.name
                ));
                status = 2;
                continue;
            }
        };
        let mut listed: Vec<Entry> = Vec::new();
        if all {
            let parent_path = fs::parent(&dir.path).unwrap_or("/").to_string();
            let parent = proc
                .view()
                .get(&parent_path)
                .cloned()
                .unwrap_or_else(|| dir.node.clone());
            listed.push(Entry {
                name: ".".into(),
                path: dir.path.clone(),
                node: dir.node.clone(),
            });
            listed.push(Entry {
                name: "..".into(),
                path: parent_path,
                node: parent,
            });
        }
        for (name, node) in entries {
            if name.starts_with('.') && !all && !almost {
                continue;
            }
            listed.push(Entry {
                path: fs::join(&dir.path, &name),
                name,
                node,
            });
        }
        sort(&mut listed);
        if printed {
            proc.out("\n");
        }
        if headers {
            proc.out(format!("{}:\n", dir.name));
        }
        let text = render(proc, &listed, &format, true);
        proc.out(text);
        printed = true;
    }
    status
}

struct Format {
    long: bool,
    human: bool,
    classify: bool,
    one: bool,
    numeric: bool,
    no_group: bool,
    no_owner: bool,
}

fn render(proc: &Proc<'_, '_>, entries: &[Entry], format: &Format, total: bool) -> String {
    let tty = proc.io.tty_out;
    if !format.long {
        let names: Vec<String> = entries
            .iter()
            .map(|entry| {
                let suffix = if format.classify {
                    classify(&entry.node)
                } else {
                    ""
                };
                format!("{}{suffix}", shown(&entry.name, tty))
            })
            .collect();
        if format.one {
            return names.iter().map(|name| format!("{name}\n")).collect();
        }
        let width = proc
            .env
            .get("COLUMNS")
            .and_then(|columns| columns.parse().ok())
            .unwrap_or(80);
        return columns(&names, width);
    }
    let view = proc.view();
    let accounts = &proc.sys.accounts;
    let now = proc.sys.now();
    let suffix = proc.distro().mode_suffix();
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|entry| {
            let owner = if format.numeric {
                entry.node.meta.uid.to_string()
            } else {
                accounts.user_name(entry.node.meta.uid)
            };
            let group = if format.numeric {
                entry.node.meta.gid.to_string()
            } else {
                accounts.group_name(entry.node.meta.gid)
            };
            let size = match entry.node.body {
                Body::Device(major, minor) => format!("{major}, {minor}"),
                _ if format.human => human(entry.node.size()),
                _ => entry.node.size().to_string(),
            };
            [
                format!("{}{suffix}", entry.node.mode_string()),
                view.links(&entry.path, &entry.node).to_string(),
                owner,
                group,
                size,
            ]
        })
        .collect();
    let width = |column: usize| rows.iter().map(|row| row[column].len()).max().unwrap_or(0);
    let (links_w, owner_w, group_w, size_w) = (width(1), width(2), width(3), width(4));
    let mut out = String::new();
    if total {
        let sum: u64 = entries.iter().map(|entry| blocks(&entry.node)).sum();
        if format.human {
            out.push_str(&format!("total {}\n", human(sum * 1024)));
        } else {
            out.push_str(&format!("total {sum}\n"));
        }
    }
    for (entry, row) in entries.iter().zip(&rows) {
        let mut line = format!("{} {:>links_w$} ", row[0], row[1]);
        if !format.no_owner {
            line.push_str(&format!("{:<owner_w$} ", row[2]));
        }
        if !format.no_group {
            line.push_str(&format!("{:<group_w$} ", row[3]));
        }
        line.push_str(&format!(
            "{:>size_w$} {} {}",
            row[4],
            ls_time(entry.node.meta.mtime, now),
            shown(&entry.name, tty)
        ));
        if let Body::Link(target) = &entry.node.body {
            line.push_str(&format!(" -> {target}"));
        } else if format.classify {
            line.push_str(classify(&entry.node));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Names in columns, filled down then across, as `ls` does on a terminal of `width`.
pub(crate) fn columns(names: &[String], width: usize) -> String {
    if names.is_empty() {
        return String::new();
    }
    let widths: Vec<usize> = names.iter().map(|name| display_width(name)).collect();
    let max_cols = names.len().min(width / 3).max(1);
    for cols in (1..=max_cols).rev() {
        let rows = names.len().div_ceil(cols);
        let cols = names.len().div_ceil(rows);
        let col_widths: Vec<usize> = (0..cols)
            .map(|col| {
                (0..rows)
                    .filter_map(|row| widths.get(col * rows + row))
                    .max()
                    .copied()
                    .unwrap_or(0)
            })
            .collect();
        let total: usize = col_widths.iter().sum::<usize>() + 2 * (cols - 1);
        if total <= width || cols == 1 {
            let mut out = String::new();
            for row in 0..rows {
                let mut line = String::new();
                for (col, col_width) in col_widths.iter().enumerate() {
                    let index = col * rows + row;
                    let Some(name) = names.get(index) else {
                        continue;
                    };
                    line.push_str(name);
                    let next = (col + 1) * rows + row;
                    if col + 1 < cols && next < names.len() {
                        line.push_str(&" ".repeat(col_width - widths[index] + 2));
                    }
                }
                out.push_str(&line);
                out.push('\n');
            }
            return out;
        }
    }
    String::new()
}

pub(crate) fn cat(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let number = opts.has('n');
    let (inputs, status) = proc.inputs("cat", &opts.operands);
    let mut line_number = 0;
    for (_, data) in inputs {
        if number {
            let text = String::from_utf8_lossy(&data).into_owned();
            let mut out = String::new();
            for line in text.split_inclusive('\n') {
                line_number += 1;
                out.push_str(&format!("{line_number:>6}\t{line}"));
            }
            proc.out(out);
        } else {
            proc.out(data);
        }
    }
    status
}

fn missing_operand(proc: &mut Proc<'_, '_>, name: &str) -> i32 {
    proc.err(format!(
        "{name}: missing operand\nTry '{name} --help' for more information.\n"
    ));
    1
}

pub(crate) fn touch(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "dtr");
    if opts.operands.is_empty() {
        proc.err("touch: missing file operand\nTry 'touch --help' for more information.\n");
        return 1;
    }
    let mut status = 0;
    for operand in &opts.operands {
        let cred = proc.cred().clone();
        let cwd = proc.cwd.to_string();
        if opts.has('c') && !proc.view().exists(&cred, &cwd, operand) {
            continue;
        }
        if let Err(errno) = proc.fs().touch(&cred, &cwd, operand) {
            proc.err(format!("touch: cannot touch '{operand}': {errno}\n"));
            status = 1;
        }
    }
    status
}

pub(crate) fn mkdir(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "m");
    if opts.operands.is_empty() {
        return missing_operand(proc, "mkdir");
    }
    let parents = opts.has('p') || opts.has_long("parents");
    let verbose = opts.has('v');
    let cred = proc.cred().clone();
    // As mkdir(1) does: the mode applied to `rwxrwxrwx`, a symbolic one limited by the umask.
    let mode = match opts.value('m').map(|text| (text, Mode::parse(text))) {
        Some((text, None)) => {
            proc.err(format!("mkdir: invalid mode ‘{text}’\n"));
            return 1;
        }
        Some((_, Some(mode))) => Some(mode.apply(0o777, true, cred.umask())),
        None => None,
    };
    let cwd = proc.cwd.to_string();
    let mut status = 0;
    for operand in &opts.operands {
        let mut targets = Vec::new();
        if parents {
            let absolute = operand.starts_with('/');
            let mut prefix = String::new();
            for part in operand.split('/').filter(|part| !part.is_empty()) {
                if !prefix.is_empty() || absolute {
                    prefix.push('/');
                }
                prefix.push_str(part);
                targets.push(prefix.clone());
            }
        } else {
            targets.push(operand.clone());
        }
        for target in targets {
            if parents && let Ok((_, node)) = proc.view().lookup(&cred, &cwd, &target, true) {
                if node.is_dir() {
                    continue;
                }
                proc.err(format!(
                    "mkdir: cannot create directory ‘{target}’: {}\n",
                    Errno::Exist
                ));
                status = 1;
                break;
            }
            match proc.fs().mkdir(&cred, &cwd, &target) {
                Ok(full) => {
                    if let Some(mode) = mode {
                        let _ = proc.fs().chmod(&cred, "/", &full, mode);
                    }
                    if verbose {
                        proc.out(format!("mkdir: created directory '{target}'\n"));
                    }
                }
                Err(errno) => {
                    proc.err(format!(
                        "mkdir: cannot create directory ‘{target}’: {errno}\n"
                    ));
                    status = 1;
                    break;
                }
            }
        }
    }
    status
}

pub(crate) fn rmdir(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    if opts.operands.is_empty() {
        return missing_operand(proc, "rmdir");
    }
    let cred = proc.cred().clone();
    let cwd = proc.cwd.to_string();
    let mut status = 0;
    for operand in &opts.operands {
        if let Err(errno) = proc
            .fs()
            .remove(&cred, &cwd, operand.trim_end_matches('/'), true)
        {
            proc.err(format!("rmdir: failed to remove '{operand}': {errno}\n"));
            status = 1;
        }
    }
    status
}

pub(crate) fn rm(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let force = opts.has('f') || opts.has_long("force");
    let recursive = opts.has('r') || opts.has('R') || opts.has_long("recursive");
    let verbose = opts.has('v');
    let empty_dirs = opts.has('d');
    if opts.operands.is_empty() {
        if force {
            return 0;
        }
        return missing_operand(proc, "rm");
    }
    let cred = proc.cred().clone();
    let cwd = proc.cwd.to_string();
    let mut status = 0;
    for operand in &opts.operands {
        let full = match proc.view().lookup(&cred, &cwd, operand, false) {
            Ok((full, _)) => full,
            Err(errno) => {
                if !(force && errno == Errno::NoEnt) {
                    proc.err(format!("rm: cannot remove '{operand}': {errno}\n"));
                    status = 1;
                }
                continue;
            }
        };
        if full == "/" && recursive && !opts.has_long("no-preserve-root") {
            proc.err("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
            status = 1;
            continue;
        }
        let trimmed = operand.trim_end_matches('/');
        if fs::basename(trimmed) == "." || fs::basename(trimmed) == ".." {
            proc.err(format!(
                "rm: refusing to remove '.' or '..' directory: skipping '{operand}'\n"
            ));
            status = 1;
            continue;
        }
        let node = proc.view().get(&full).cloned();
        if node.as_ref().is_some_and(Node::is_dir) && !recursive {
            let result = if empty_dirs {
                proc.fs().remove(&cred, "/", &full, true)
            } else {
                Err(Errno::IsDir)
            };
            if let Err(errno) = result {
                proc.err(format!("rm: cannot remove '{operand}': {errno}\n"));
                status = 1;
            }
            continue;
        }
        if !remove_tree(proc, &full, operand, verbose, 0) {
            status = 1;
        }
    }
    status
}

/// Removes a path and, for a directory, everything below it; prints errors as `rm` does.
fn remove_tree(
    proc: &mut Proc<'_, '_>,
    full: &str,
    shown: &str,
    verbose: bool,
    depth: usize,
) -> bool {
    let cred = proc.cred().clone();
    let Some(node) = proc.view().get(full).cloned() else {
        return true;
    };
    let mut ok = true;
    if node.is_dir() && depth <= DEPTH_MAX {
        let children = match proc.view().list(&cred, "/", full) {
            Ok(children) => children,
            Err(errno) => {
                proc.err(format!("rm: cannot open directory '{shown}': {errno}\n"));
                return false;
            }
        };
        if !children.is_empty() && !cred.may(&node, fs::WRITE | fs::EXEC) {
            for (name, _) in children {
                proc.err(format!(
                    "rm: cannot remove '{}': {}\n",
                    fs::join(shown, &name),
                    Errno::Acces
                ));
            }
            return false;
        }
        for (name, _) in children {
            let child = fs::join(full, &name);
            let child_shown = format!("{}/{name}", shown.trim_end_matches('/'));
            ok &= remove_tree(proc, &child, &child_shown, verbose, depth + 1);
        }
    }
    let result = proc.fs().remove(&cred, "/", full, node.is_dir());
    match result {
        Ok(()) => {
            if verbose {
                let what = if node.is_dir() {
                    "removed directory "
                } else {
                    "removed "
                };
                proc.out(format!("{what}'{shown}'\n"));
            }
        }
        Err(Errno::NotEmpty) if !ok => {}
        Err(errno) => {
            proc.err(format!("rm: cannot remove '{shown}': {errno}\n"));
            ok = false;
        }
    }
    ok
}

/// The destination of `cp`/`mv`/`ln` for each source: into a directory, or the name given.
fn destinations(
    proc: &mut Proc<'_, '_>,
    name: &str,
    operands: &[String],
) -> Result<Vec<(String, String)>, i32> {
    match operands {
        [] => {
            proc.err(format!(
                "{name}: missing file operand\nTry '{name} --help' for more information.\n"
            ));
            Err(1)
        }
        [only] => {
            proc.err(format!(
                "{name}: missing destination file operand after '{only}'\nTry '{name} --help' for more information.\n"
            ));
            Err(1)
        }
        [sources @ .., target] => {
            let into_dir = proc
                .view()
                .lookup(proc.cred(), proc.cwd, target, true)
                .is_ok_and(|(_, node)| node.is_dir());
            if !into_dir && sources.len() > 1 {
                proc.err(format!("{name}: target '{target}' is not a directory\n"));
                return Err(1);
            }
            Ok(sources
                .iter()
                .map(|source| {
                    let destination = if into_dir {
                        format!("{}/{}", target.trim_end_matches('/'), fs::basename(source))
                    } else {
                        target.clone()
                    };
                    (source.clone(), destination)
                })
                .collect())
        }
    }
}

pub(crate) fn cp(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let recursive = opts.has('r') || opts.has('R') || opts.has('a') || opts.has_long("recursive");
    let preserve = opts.has('p') || opts.has('a');
    let verbose = opts.has('v');
    let pairs = match destinations(proc, "cp", &opts.operands) {
        Ok(pairs) => pairs,
        Err(status) => return status,
    };
    let mut status = 0;
    for (source, destination) in pairs {
        let cred = proc.cred().clone();
        let cwd = proc.cwd.to_string();
        let (source_full, node) = match proc.view().lookup(&cred, &cwd, &source, true) {
            Ok(found) => found,
            Err(errno) => {
                proc.err(format!("cp: cannot stat '{source}': {errno}\n"));
                status = 1;
                continue;
            }
        };
        if node.is_dir() && !recursive {
            proc.err(format!(
                "cp: -r not specified; omitting directory '{source}'\n"
            ));
            status = 1;
            continue;
        }
        if let Ok(destination_full) = proc.view().resolve(&cred, &cwd, &destination, true)
            && destination_full == source_full
        {
            proc.err(format!(
                "cp: '{source}' and '{destination}' are the same file\n"
            ));
            status = 1;
            continue;
        }
        if node.is_dir()
            && let Ok(destination_full) = proc.view().resolve(&cred, &cwd, &destination, true)
            && destination_full.starts_with(&format!("{source_full}/"))
        {
            proc.err(format!(
                "cp: cannot copy a directory, '{source}', into itself, '{destination}'\n"
            ));
            status = 1;
            continue;
        }
        if !copy_tree(
            proc,
            &source_full,
            &source,
            &destination,
            preserve,
            verbose,
            0,
        ) {
            status = 1;
        }
    }
    status
}

fn copy_tree(
    proc: &mut Proc<'_, '_>,
    source_full: &str,
    source: &str,
    destination: &str,
    preserve: bool,
    verbose: bool,
    depth: usize,
) -> bool {
    let cred = proc.cred().clone();
    let cwd = proc.cwd.to_string();
    let Some(node) = proc.view().get(source_full).cloned() else {
        return false;
    };
    if !cred.may(&node, READ) {
        let what = if node.is_dir() { "access" } else { "open" };
        let tail = if node.is_dir() { "" } else { " for reading" };
        proc.err(format!(
            "cp: cannot {what} '{source}'{tail}: {}\n",
            Errno::Acces
        ));
        return false;
    }
    let made = proc.fs().create_copy(&cred, &cwd, destination, &node);
    let full = match made {
        Ok(full) => full,
        Err(errno) => {
            let what = if node.is_dir() {
                "directory"
            } else {
                "regular file"
            };
            proc.err(format!(
                "cp: cannot create {what} '{destination}': {errno}\n"
            ));
            return false;
        }
    };
    if verbose {
        proc.out(format!("'{source}' -> '{destination}'\n"));
    }
    if preserve {
        let _ = proc.fs().chmod(&cred, "/", &full, node.meta.mode);
    }
    let mut ok = true;
    if node.is_dir() && depth < DEPTH_MAX {
        let children = proc
            .view()
            .list(&cred, "/", source_full)
            .unwrap_or_default();
        for (name, _) in children {
            ok &= copy_tree(
                proc,
                &fs::join(source_full, &name),
                &format!("{}/{name}", source.trim_end_matches('/')),
                &format!("{}/{name}", destination.trim_end_matches('/')),
                preserve,
                verbose,
                depth + 1,
            );
        }
    }
    ok
}

pub(crate) fn mv(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let verbose = opts.has('v');
    let pairs = match destinations(proc, "mv", &opts.operands) {
        Ok(pairs) => pairs,
        Err(status) => return status,
    };
    let mut status = 0;
    for (source, destination) in pairs {
        let cred = proc.cred().clone();
        let cwd = proc.cwd.to_string();
        if let Err(errno) = proc.view().lookup(&cred, &cwd, &source, false) {
            proc.err(format!("mv: cannot stat '{source}': {errno}\n"));
            status = 1;
            continue;
        }
        match proc.fs().rename(&cred, &cwd, &source, &destination) {
            Ok(()) => {
                if verbose {
                    proc.out(format!("renamed '{source}' -> '{destination}'\n"));
                }
            }
            Err(Errno::Inval) => {
                proc.err(format!(
                    "mv: cannot move '{source}' to a subdirectory of itself, '{destination}'\n"
                ));
                status = 1;
            }
            Err(errno) => {
                proc.err(format!(
                    "mv: cannot move '{source}' to '{destination}': {errno}\n"
                ));
                status = 1;
            }
        }
    }
    status
}

pub(crate) fn ln(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let force = opts.has('f');
    let pairs = match opts.operands.as_slice() {
        [only] => vec![(only.clone(), fs::basename(only).to_string())],
        _ => match destinations(proc, "ln", &opts.operands) {
            Ok(pairs) => pairs,
            Err(status) => return status,
        },
    };
    let cred = proc.cred().clone();
    let cwd = proc.cwd.to_string();
    let mut status = 0;
    for (target, link) in pairs {
        if !opts.has('s') {
            proc.err(format!(
                "ln: failed to create hard link '{link}' => '{target}': {}\n",
                Errno::Perm
            ));
            status = 1;
            continue;
        }
        if force && proc.view().lookup(&cred, &cwd, &link, false).is_ok() {
            let _ = proc.fs().remove(&cred, &cwd, &link, false);
        }
        if let Err(errno) = proc.fs().symlink(&cred, &cwd, &target, &link) {
            proc.err(format!(
                "ln: failed to create symbolic link '{link}': {errno}\n"
            ));
            status = 1;
        }
    }
    status
}

/// Runs `change` on each operand (and, with `-R`, everything below it).
fn each_recursive(
    proc: &mut Proc<'_, '_>,
    operands: &[String],
    recursive: bool,
    change: &mut dyn FnMut(&mut Proc<'_, '_>, &str, &str) -> bool,
) -> i32 {
    let cred = proc.cred().clone();
    let cwd = proc.cwd.to_string();
    let mut status = 0;
    for operand in operands {
        let full = match proc.view().resolve(&cred, &cwd, operand, true) {
            Ok(full) => full,
            Err(errno) => {
                proc.err(format!("{}: cannot access '{operand}': {errno}\n", "chmod"));
                status = 1;
                continue;
            }
        };
        let mut paths = vec![(full.clone(), operand.clone())];
        if recursive {
            for (relative, _) in proc.view().subtree(&full).into_iter().skip(1) {
                paths.push((
                    format!("{full}/{relative}"),
                    format!("{}/{relative}", operand.trim_end_matches('/')),
                ));
            }
        }
        for (path, shown) in paths {
            if !change(proc, &path, &shown) {
                status = 1;
            }
        }
    }
    status
}

pub(crate) fn chmod(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    // A mode like `-w` looks like an option: take the first operand-looking word as the mode.
    let args: Vec<String> = argv[1..].to_vec();
    let recursive = args.iter().any(|arg| arg == "-R" || arg == "--recursive");
    let rest: Vec<String> = args
        .iter()
        .filter(|arg| *arg != "-R" && *arg != "--recursive" && *arg != "-v" && *arg != "-f")
        .cloned()
        .collect();
    let Some((mode_text, operands)) = rest.split_first() else {
        return missing_operand(proc, "chmod");
    };
    if operands.is_empty() {
        proc.err(format!(
            "chmod: missing operand after ‘{mode_text}’\nTry 'chmod --help' for more information.\n"
        ));
        return 1;
    }
    let Some(mode) = Mode::parse(mode_text) else {
        proc.err(format!(
            "chmod: invalid mode: ‘{mode_text}’\nTry 'chmod --help' for more information.\n"
        ));
        return 1;
    };
    let cred = proc.cred().clone();
    let umask = cred.umask();
    each_recursive(proc, operands, recursive, &mut |proc, path, shown| {
        let Some(node) = proc.view().get(path).cloned() else {
            return false;
        };
        if node.is_link() {
            return true;
        }
        let mode = mode.apply(node.meta.mode, node.is_dir(), umask);
        match proc.fs().chmod(&cred, "/", path, mode) {
            Ok(()) => true,
            Err(errno) => {
                proc.err(format!(
                    "chmod: changing permissions of '{shown}': {errno}\n"
                ));
                false
            }
        }
    })
}

pub(crate) fn chown(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let recursive = opts.has('R');
    let Some((spec, operands)) = opts.operands.split_first() else {
        return missing_operand(proc, "chown");
    };
    if operands.is_empty() {
        proc.err(format!(
            "chown: missing operand after '{spec}'\nTry 'chown --help' for more information.\n"
        ));
        return 1;
    }
    let (user, group) = match spec.split_once([':', '.']) {
        Some((user, group)) => (user, Some(group)),
        None => (spec.as_str(), None),
    };
    let uid = if user.is_empty() {
        None
    } else {
        match proc.sys.accounts.uid(user) {
            Some(uid) => Some(uid),
            None => {
                proc.err(format!("chown: invalid user: ‘{spec}’\n"));
                return 1;
            }
        }
    };
    let gid = match group {
        None | Some("") => {
            // `user:` means the user's login group.
            if group == Some("") {
                proc.sys
                    .accounts
                    .users
                    .iter()
                    .find(|u| Some(u.uid) == uid)
                    .map(|u| u.gid)
            } else {
                None
            }
        }
        Some(group) => match proc.sys.accounts.gid(group) {
            Some(gid) => Some(gid),
            None => {
                proc.err(format!("chown: invalid group: ‘{spec}’\n"));
                return 1;
            }
        },
    };
    let cred = proc.cred().clone();
    each_recursive(
        proc,
        operands,
        recursive,
        &mut |proc, path, shown| match proc.fs().chown(&cred, "/", path, uid, gid) {
            Ok(()) => true,
            Err(errno) => {
                proc.err(format!("chown: changing ownership of '{shown}': {errno}\n"));
                false
            }
        },
    )
}

pub(crate) fn tree(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "L");
    let all = opts.has('a');
    let dirs_only = opts.has('d');
    let max_depth = opts
        .value('L')
        .and_then(|level| level.parse::<usize>().ok())
        .unwrap_or(DEPTH_MAX);
    let roots = if opts.operands.is_empty() {
        vec![".".to_string()]
    } else {
        opts.operands.clone()
    };
    let mut counts = (0usize, 0usize);
    let mut out = String::new();
    for root in roots {
        match proc.view().lookup(proc.cred(), proc.cwd, &root, true) {
            Ok((full, node)) if node.is_dir() => {
                out.push_str(&format!("{root}\n"));
                tree_level(
                    proc,
                    &full,
                    "",
                    1,
                    max_depth,
                    all,
                    dirs_only,
                    &mut counts,
                    &mut out,
                );
            }
            Ok(_) => out.push_str(&format!("{root}  [error opening dir]\n")),
            Err(_) => out.push_str(&format!("{root}  [error opening dir]\n")),
        }
    }
    let (dirs, files) = counts;
    let plural = |count: usize, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    if dirs_only {
        out.push_str(&format!("\n{}\n", plural(dirs, "directory", "directories")));
    } else {
        out.push_str(&format!(
            "\n{}, {}\n",
            plural(dirs, "directory", "directories"),
            plural(files, "file", "files")
        ));
    }
    proc.out(out);
    0
}

#[allow(clippy::too_many_arguments)]
fn tree_level(
    proc: &Proc<'_, '_>,
    dir: &str,
    prefix: &str,
    depth: usize,
    max_depth: usize,
    all: bool,
    dirs_only: bool,
    counts: &mut (usize, usize),
    out: &mut String,
) {
    if depth > max_depth {
        return;
    }
    let Ok(entries) = proc.view().list(proc.cred(), "/", dir) else {
        return;
    };
    let entries: Vec<(String, Node)> = entries
        .into_iter()
        .filter(|(name, node)| (all || !name.starts_with('.')) && (!dirs_only || node.is_dir()))
        .collect();
    let count = entries.len();
    for (index, (name, node)) in entries.into_iter().enumerate() {
        let last = index + 1 == count;
        let branch = if last { "└── " } else { "├── " };
        let mut line = format!("{prefix}{branch}{name}");
        if let Body::Link(target) = &node.body {
            line.push_str(&format!(" -> {target}"));
        }
        out.push_str(&line);
        out.push('\n');
        if node.is_dir() {
            counts.0 += 1;
            let deeper = format!("{prefix}{}", if last { "    " } else { "│   " });
            tree_level(
                proc,
                &fs::join(dir, &name),
                &deeper,
                depth + 1,
                max_depth,
                all,
                dirs_only,
                counts,
                out,
            );
        } else {
            counts.1 += 1;
        }
    }
}

pub(crate) fn stat(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "c");
    if opts.operands.is_empty() {
        return missing_operand(proc, "stat");
    }
    let mut status = 0;
    for operand in &opts.operands {
        let (full, node) = match proc.view().lookup(proc.cred(), proc.cwd, operand, false) {
            Ok(found) => found,
            Err(errno) => {
                proc.err(format!("stat: cannot statx '{operand}': {errno}\n"));
                status = 1;
                continue;
            }
        };
        let kind = match node.body {
            Body::Dir { .. } => "directory",
            Body::Link(_) => "symbolic link",
            Body::Device(..) => "character special file",
            _ if node.size() == 0 => "regular empty file",
            _ => "regular file",
        };
        let stamp = format!(
            "{}.000000000 +0000",
            distro::stamp(distro::at(node.meta.mtime), '-')
        );
        let inode = full.bytes().fold(131u64, |hash, byte| {
            hash.wrapping_mul(31).wrapping_add(u64::from(byte))
        }) % 900_000
            + 1000;
        let name = match &node.body {
            Body::Link(target) => format!("{operand} -> {target}"),
            _ => operand.clone(),
        };
        let links = proc.view().links(&full, &node);
        let accounts = &proc.sys.accounts;
        let text = format!(
            "  File: {name}\n  Size: {:<15} Blocks: {:<10} IO Block: 4096   {kind}\nDevice: 202,1\tInode: {inode:<11} Links: {links}\nAccess: ({:04o}/{})  Uid: ({:>5}/{:>8})   Gid: ({:>5}/{:>8})\nAccess: {stamp}\nModify: {stamp}\nChange: {stamp}\n Birth: {stamp}\n",
            node.size(),
            blocks(&node) * 2,
            node.meta.mode,
            node.mode_string(),
            node.meta.uid,
            accounts.user_name(node.meta.uid),
            node.meta.gid,
            accounts.group_name(node.meta.gid),
        );
        proc.out(text);
    }
    status
}

pub(crate) fn readlink(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "");
    let canonical = opts.has('f') || opts.has('e') || opts.has('m');
    let mut status = 0;
    for operand in &opts.operands {
        if canonical {
            match proc.view().resolve(proc.cred(), proc.cwd, operand, true) {
                Ok(full) => proc.out(format!("{full}\n")),
                Err(_) => status = 1,
            }
            continue;
        }
        match proc.view().lookup(proc.cred(), proc.cwd, operand, false) {
            Ok((
                _,
                Node {
                    body: Body::Link(target),
                    ..
                },
            )) => proc.out(format!("{target}\n")),
            _ => status = 1,
        }
    }
    status
}

pub(crate) fn du(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "d");
    let human_sizes = opts.has('h');
    let operands = if opts.operands.is_empty() {
        vec![".".to_string()]
    } else {
        opts.operands.clone()
    };
    let mut status = 0;
    for operand in operands {
        match proc.view().lookup(proc.cred(), proc.cwd, &operand, true) {
            Ok((full, _)) => {
                let total: u64 = proc
                    .view()
                    .subtree(&full)
                    .iter()
                    .map(|(_, node)| blocks(node))
                    .sum();
                let size = if human_sizes {
                    human(total * 1024)
                } else {
                    total.to_string()
                };
                proc.out(format!("{size}\t{operand}\n"));
            }
            Err(errno) => {
                proc.err(format!("du: cannot access '{operand}': {errno}\n"));
                status = 1;
            }
        }
    }
    status
}

pub(crate) fn find(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let mut roots = Vec::new();
    let mut name_pattern: Option<String> = None;
    let mut kind: Option<String> = None;
    let mut args = argv[1..].iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-name" | "-iname" => name_pattern = args.next().cloned(),
            "-type" => kind = args.next().cloned(),
            "-maxdepth" | "-mindepth" => {
                args.next();
            }
            "-print" => {}
            other if other.starts_with('-') => {
                proc.err(format!("find: unknown predicate `{other}'\n"));
                return 1;
            }
            other => roots.push(other.to_string()),
        }
    }
    if roots.is_empty() {
        roots.push(".".into());
    }
    let pattern: Option<Vec<(char, bool)>> =
        name_pattern.map(|text| text.chars().map(|c| (c, true)).collect());
    let mut status = 0;
    for root in roots {
        let full = match proc.view().lookup(proc.cred(), proc.cwd, &root, true) {
            Ok((full, _)) => full,
            Err(errno) => {
                proc.err(format!("find: ‘{root}’: {errno}\n"));
                status = 1;
                continue;
            }
        };
        let mut out = String::new();
        for (relative, node) in proc.view().subtree(&full) {
            let shown = if relative.is_empty() {
                root.clone()
            } else {
                format!("{}/{relative}", root.trim_end_matches('/'))
            };
            let name = fs::basename(&shown).to_string();
            let kind_ok = match kind.as_deref() {
                Some("f") => !node.is_dir() && !node.is_link(),
                Some("d") => node.is_dir(),
                Some("l") => node.is_link(),
                _ => true,
            };
            let name_ok = pattern
                .as_ref()
                .is_none_or(|pattern| crate::glob::glob_match(pattern, &name));
            if kind_ok && name_ok {
                out.push_str(&shown);
                out.push('\n');
            }
        }
        proc.out(out);
    }
    status
}

#[cfg(test)]
mod tests {
    use super::super::Machine;
    use super::*;

    #[test]
    fn ls_long_lists_the_home_directory() {
        let mut machine = Machine::ubuntu();
        let listing = machine.out("ls -la");
        let lines: Vec<&str> = listing.lines().collect();
        assert!(lines[0].starts_with("total "));
        assert!(lines[1].starts_with("drwxr-x--- "));
        assert!(lines[1].ends_with(" ."));
        assert!(listing.contains(" ubuntu ubuntu  807 Mar 31  2024 .profile\n"));
        assert!(listing.contains("drwx------ 2 ubuntu ubuntu 4096 Oct 21 08:40 .cache\n"));
        assert_eq!(machine.out("ls"), "");
        assert_eq!(
            machine.out("ls /nope"),
            "ls: cannot access '/nope': No such file or directory\n"
        );
        assert_eq!(machine.run("ls /root").status, 2);
        assert_eq!(
            machine.out("ls /root"),
            "ls: cannot open directory '/root': Permission denied\n"
        );
        let root = machine.out("ls -l /");
        assert!(
            root.contains(" root root    7 Oct 20 08:12 bin -> usr/bin\n"),
            "{root}"
        );
        assert!(root.contains("drwxrwxrwt"));
    }

    #[test]
    fn ls_columns_and_human_sizes() {
        let names: Vec<String> = ["bin", "boot", "dev", "etc", "home", "lib", "lib64", "media"]
            .iter()
            .map(|name| name.to_string())
            .collect();
        assert_eq!(
            columns(&names, 80),
            "bin  boot  dev  etc  home  lib  lib64  media\n"
        );
        assert_eq!(
            columns(&names, 20),
            "bin   etc   lib64\nboot  home  media\ndev   lib\n"
        );
        let mut machine = Machine::amazon();
        machine.run("echo hello > a.txt");
        let listing = machine.out("ls -lh a.txt");
        assert_eq!(
            listing,
            "-rw-rw-r--. 1 ec2-user ec2-user 6 Oct 21 08:40 a.txt\n"
        );
    }

    #[test]
    fn cat_and_its_errors() {
        let mut machine = Machine::ubuntu();
        assert_eq!(machine.out("cat /etc/hostname"), "ip-172-31-5-20\n");
        assert_eq!(
            machine.out("cat /etc/shadow"),
            "cat: /etc/shadow: Permission denied\n"
        );
        assert!(machine.out("sudo cat /etc/shadow").starts_with("root:*:"));
        assert_eq!(
            machine.out("cat ../../../../etc/shadow"),
            "cat: ../../../../etc/shadow: Permission denied\n"
        );
        assert_eq!(machine.out("cat /etc"), "cat: /etc: Is a directory\n");
        assert_eq!(
            machine.out("cat nope"),
            "cat: nope: No such file or directory\n"
        );
        assert!(
            machine
                .out("cat /etc/os-release")
                .contains("VERSION_CODENAME=noble\n")
        );
        assert_eq!(machine.out("echo hi | cat -n"), "     1\thi\n");
    }

    #[test]
    fn mkdir_rm_cp_mv_touch() {
        let mut machine = Machine::ubuntu();
        assert_eq!(machine.out("mkdir site"), "");
        assert_eq!(
            machine.out("mkdir site"),
            "mkdir: cannot create directory ‘site’: File exists\n"
        );
        assert_eq!(machine.out("mkdir -p site/a/b && ls site/a"), "b\n");
        assert_eq!(
            machine.out("mkdir /var/x"),
            "mkdir: cannot create directory ‘/var/x’: Permission denied\n"
        );
        machine.run("touch site/a/b/f.txt");
        assert_eq!(
            machine.out("rm site"),
            "rm: cannot remove 'site': Is a directory\n"
        );
        assert_eq!(
            machine.out("rmdir site"),
            "rmdir: failed to remove 'site': Directory not empty\n"
        );
        machine.run("echo x > one");
        assert_eq!(machine.out("cp one two && cat two"), "x\n");
        assert_eq!(
            machine.out("cp site copy"),
            "cp: -r not specified; omitting directory 'site'\n"
        );
        assert_eq!(machine.out("cp -r site copy && ls copy/a/b"), "f.txt\n");
        assert_eq!(machine.out("mv two site/ && ls site"), "a  two\n");
        assert_eq!(machine.out("rm -rf site copy && ls"), "one\n");
        assert_eq!(
            machine.out("rm nope"),
            "rm: cannot remove 'nope': No such file or directory\n"
        );
        assert_eq!(machine.out("rm -f nope"), "");
        assert_eq!(
            machine.out("touch /etc/x"),
            "touch: cannot touch '/etc/x': Permission denied\n"
        );
        assert_eq!(
            machine.out("sudo rm -rf /"),
            "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n"
        );
    }

    #[test]
    fn chmod_chown_and_permissions() {
        let mut machine = Machine::ubuntu();
        machine.run("echo secret > s.txt");
        assert_eq!(
            machine.out("chmod 600 s.txt && ls -l s.txt"),
            "-rw------- 1 ubuntu ubuntu 7 Oct 21 08:40 s.txt\n"
        );
        assert_eq!(
            machine.out("chmod u+x,g+r s.txt && stat -c x s.txt | grep Access: | head -n 1"),
            "Access: (0740/-rwxr-----)  Uid: ( 1000/  ubuntu)   Gid: ( 1000/  ubuntu)\n"
        );
        assert_eq!(
            machine.out("chmod 777 /etc/hostname"),
            "chmod: changing permissions of '/etc/hostname': Operation not permitted\n"
        );
        assert_eq!(
            machine.out("chown root s.txt"),
            "chown: changing ownership of 's.txt': Operation not permitted\n"
        );
        assert_eq!(
            machine.out("sudo chown root:root s.txt && cat s.txt"),
            "cat: s.txt: Permission denied\n"
        );
        // Without class letters the umask (002 for ubuntu) limits the change; `X` gives
        // directories their search bit.
        assert_eq!(
            machine.out("touch t.txt && chmod 444 t.txt && chmod +w t.txt && ls -l t.txt"),
            "-rw-rw-r-- 1 ubuntu ubuntu 0 Oct 21 08:40 t.txt\n"
        );
        assert_eq!(
            machine.out("mkdir d && chmod 600 d && chmod a+X d && ls -ld d"),
            "drwx--x--x 2 ubuntu ubuntu 4096 Oct 21 08:40 d\n"
        );
        assert_eq!(
            machine.out("chmod 0o644 t.txt"),
            "chmod: invalid mode: ‘0o644’\nTry 'chmod --help' for more information.\n"
        );
    }

    #[test]
    fn tree_draws_the_hierarchy() {
        let mut machine = Machine::ubuntu();
        machine.run("mkdir -p site/css && touch site/index.html site/css/style.css");
        assert_eq!(
            machine.out("sudo apt-get update >/dev/null; sudo apt-get install -y tree >/dev/null 2>&1; tree site"),
            "site\n├── css\n│   └── style.css\n└── index.html\n\n1 directory, 2 files\n"
        );
    }
}
