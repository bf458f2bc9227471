//! The shell's `aws`: the lecture's calls, typed as for the real aws CLI v1 and answered as it
//! answers, against the shell's target, so a learner can follow the lecture without installing
//! anything. The calls and their rendering are [`crate::aws_cli`]'s, which the checks' probes
//! use too: what `--query` finds here, a check finds in the same place.
//!
//! The shell adds what a terminal needs: waiters with a spinner ([`wait`]), the high-level
//! `aws s3` commands with an upload progress bar ([`s3`]), `> file`, and help. Anything beyond
//! the lecture's calls is left to the real CLI, pointed at the same target.

mod s3;
mod s3_path;
mod transfer;
mod wait;

use std::io::{self, Write};

use super::messages as msg;
use crate::aws_cli::choices;
use crate::aws_cli::failure::{self, CLIENT_ERROR, USAGE};
use crate::aws_cli::{self, Args, Failure, Format, Usage, output};
use crate::aws_target::guard::{self, Charge};
use crate::aws_target::{Account, Admit, secrets, tagging};
use crate::lang::Lang;
use crate::style::Style;
use crate::target::Target;
use crate::workstation::Workstation;

/// What `aws` needs from the session.
#[derive(Debug)]
pub struct Context<'a> {
    pub target: Option<&'a Target>,
    /// The learner's own computer: where `file://` values, `>` and `--outfile`s go.
    pub files: &'a Workstation,
    pub lang: Lang,
    pub style: Style,
    /// On `--target aws`: the cost guard, the tags and the journal.
    pub account: Option<&'a mut Account>,
    /// Whether progress may be drawn on this process's terminal.
    pub terminal: bool,
}

/// Runs `aws` with the words after it; returns its exit status.
pub fn run(words: &[String], context: &mut Context, out: &mut dyn Write) -> io::Result<i32> {
    let lang = context.lang;
    let mut args = match Args::parse(words) {
        Ok(args) => args,
        Err(Usage(reason)) => return failure::print(&Failure::Usage(reason), out),
    };
    // A shell opens the file of `>` before the command runs, so it is there even if it fails.
    if let Some(file) = &args.redirect
        && let Err(error) = context.files.write(file, b"", 0o644)
    {
        writeln!(
            out,
            "{}",
            msg::aws_cannot_write(lang, file, &crate::strerror::strerror(&error))
        )?;
        return Ok(1);
    }
    if args.help || args.service.is_empty() || args.operation.is_empty() {
        return help(&args, lang, out);
    }
    match aws_cli::validate(&args) {
        Ok(_) => {}
        Err(Failure::Unsupported(_)) => {
            // A typo of a call this shell knows gets the CLI's own "maybe you meant".
            if let Some(reason) = mistyped_choice(&args) {
                return failure::print(&Failure::Usage(reason), out);
            }
            let typed = format!("aws {}", words.join(" "));
            writeln!(out, "{}", msg::aws_unsupported(lang, &typed))?;
            return Ok(USAGE);
        }
        Err(failure) => {
            let status = failure::print(&failure, out)?;
            for (typed, meant) in mistyped_options(&args) {
                let hint = msg::aws_option_meant(lang, &typed, meant);
                writeln!(out, "{}", context.style.dim(&hint))?;
            }
            return Ok(status);
        }
    }
    let Some(target) = context.target else {
        writeln!(out, "{}", msg::aws_no_target(lang))?;
        return Ok(CLIENT_ERROR);
    };
    let mut config = target.sdk_config();
    if let Some(region) = &args.region {
        config = config
            .into_builder()
            .region(aws_config::Region::new(region.clone()))
            .build();
    }
    if args.operation == "wait" {
        return wait::run(&args, &config, context, out);
    }
    let mut charge = None;
    if let Some(account) = context.account.as_deref_mut() {
        if guard::may_charge(&args) {
            charge = crate::target::block_on(guard::assess(&args, context.files, &config))
                .ok()
                .flatten();
        }
        match account.admit(words, charge.as_ref(), lang, context.style, out)? {
            Admit::Go => {}
            Admit::Ask => return Ok(0),
            Admit::Refuse(status) => return Ok(status),
        }
        if let Err(failure) = tagging::apply(&mut args, context.files, &account.tags()) {
            return failure::print(&failure, out);
        }
    }
    if args.service == "s3" {
        let status = s3::run(&args, &config, context, out)?;
        if status == 0
            && let Some(account) = context.account.as_deref_mut()
        {
            let notes = match (args.operation.as_str(), args.positional.first()) {
                ("mb", Some(path)) => s3_path::split(path)
                    .map(|(bucket, _)| account.made_bucket(bucket, &config))
                    .unwrap_or_default(),
                ("rb", Some(path)) => s3_path::split(path)
                    .map(|(bucket, _)| account.removed_bucket(bucket))
                    .unwrap_or_default(),
                _ => match &charge {
                    Some(Charge::Upload { bucket, bytes, .. }) => account.uploaded(bucket, *bytes),
                    _ => Vec::new(),
                },
            };
            tell(&notes, lang, context.style, out)?;
        }
        return Ok(status);
    }
    let answer = call(&args, &config, context.files);
    // What the call made is taken from its whole answer, before `--query` picks a part.
    if let (Ok(whole), Some(account)) = (&answer, context.account.as_deref_mut()) {
        let notes = account.record(&args, whole, &config);
        tell(&notes, lang, context.style, out)?;
    }
    // On AWS a private key is a secret: printed, it is saved to a file instead.
    let withheld = match (&answer, &context.account) {
        (Ok(whole), Some(_)) => match secrets::withhold_key(&args, whole, context.files) {
            Ok(withheld) => withheld,
            Err(error) => {
                let reason = format!("cannot save the private key: {error}");
                return failure::print(&Failure::Client(reason), out);
            }
        },
        _ => None,
    };
    let answer = answer
        .map(|value| match &withheld {
            Some(withheld) => withheld.mask(value),
            None => value,
        })
        .and_then(|value| aws_cli::select(value, args.query.as_deref()));
    if let Some(withheld) = &withheld {
        let path = withheld.path.display().to_string();
        writeln!(
            out,
            "{}",
            context
                .style
                .dim(&crate::aws_target::messages::key_withheld(lang, &path))
        )?;
    }
    let value = match answer {
        Ok(value) => value,
        Err(Failure::Unreachable) => {
            let url = config
                .endpoint_url()
                .unwrap_or_default()
                .trim_end_matches('/');
            let reason = format!("Could not connect to the endpoint URL: \"{url}/\"");
            return failure::print(&Failure::Client(reason), out);
        }
        Err(failure) => return failure::print(&failure, out),
    };
    let printed = match args.output {
        Format::Json => output::json(&value),
        Format::Text => output::text(&value),
        Format::Table => output::table(&failure::operation_name(&args.operation), &value),
    };
    match &args.redirect {
        Some(file) => {
            // Created as a shell's `>` creates it: mode 0644, its umask 022.
            if let Err(error) = context.files.write(file, printed.as_bytes(), 0o644) {
                writeln!(
                    out,
                    "{}",
                    msg::aws_cannot_write(lang, file, &crate::strerror::strerror(&error))
                )?;
                return Ok(1);
            }
        }
        // Values are the service's (a tag, a description): shown, never obeyed. JSON escapes
        // the C0 controls itself, but neither C1 ones nor text and tables do.
        None => out.write_all(crate::visible::visible(&printed).as_bytes())?,
    }
    Ok(0)
}

/// Problems with the journal or tags, which the learner should know of but which do not undo
/// the command.
/// The CLI's "Invalid choice" for a service or operation close to one this shell knows;
/// `None` for a word that is not a typo of any (a real call outside the subset, say).
fn mistyped_choice(args: &Args) -> Option<String> {
    let services = choices::services();
    let (argument, typed, known) = if services.contains(&args.service.as_str()) {
        let operations = choices::operations_of(&args.service);
        ("operation", &args.operation, operations)
    } else {
        ("command", &args.service, services)
    };
    let close = choices::close_matches(typed, known.iter().copied());
    (!close.is_empty()).then(|| choices::invalid_choice(argument, typed, &known))
}

/// Each `--option` the operation does not take, with the one it most likely meant.
fn mistyped_options(args: &Args) -> Vec<(String, &'static str)> {
    let Some(operation) = aws_cli::operations()
        .find(|op| op.service() == args.service && op.name() == args.operation)
    else {
        return Vec::new();
    };
    args.params
        .iter()
        .filter(|(name, _)| !operation.params.contains(&name.as_str()))
        .filter_map(|(name, _)| {
            let meant = choices::close_matches(name, operation.params.iter().copied());
            meant.first().map(|meant| (format!("--{name}"), *meant))
        })
        .collect()
}

/// After Ctrl-C stopped a spinner or a progress bar: their line is padded to the terminal's
/// width, so the `^C` the terminal echoed wrapped to the next line, which `finish_and_clear`
/// then cleared. The bar's own line is cleared here and takes the `^C`, as bash leaves it.
fn cleared_after_ctrl_c(bar: &indicatif::ProgressBar) {
    if !bar.is_hidden() {
        eprint!("\x1b[1A\r\x1b[2K^C");
    }
}

/// Makes one call, or gives it up on Ctrl-C (the request in flight is dropped).
fn call(
    args: &Args,
    config: &aws_config::SdkConfig,
    files: &Workstation,
) -> Result<serde_json::Value, Failure> {
    crate::target::block_on(crate::interrupt::race(aws_cli::call(args, config, files)))
        .unwrap_or_else(|error| Ok(Err(Failure::Client(error))))
        .unwrap_or(Err(Failure::Interrupted))
}

fn tell(notes: &[String], lang: Lang, style: Style, out: &mut dyn Write) -> io::Result<()> {
    for note in notes {
        writeln!(
            out,
            "{}",
            style.dim(&crate::aws_target::messages::tag_failed(lang, note))
        )?;
    }
    Ok(())
}

/// `aws help`, `aws ec2 help`: what the shell can call.
fn help(args: &Args, lang: Lang, out: &mut dyn Write) -> io::Result<i32> {
    writeln!(out, "{}", msg::aws_help(lang))?;
    for op in aws_cli::operations() {
        if args.service.is_empty() || args.service == op.service() {
            writeln!(out, "  aws {}", op.command())?;
        }
    }
    writeln!(out, "{}", msg::aws_elsewhere(lang))?;
    Ok(0)
}
