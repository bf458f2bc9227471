//! The aws CLI's own examples as a test corpus: every example the CLI ships for an operation
//! the emulator implements runs, through the real aws CLI v1, against a started emulator.
//!
//! `awscli/examples/<service>/<operation>.rst` documents each operation with command lines
//! written for AWS. [`rst`] reads them out, [`world`] makes the things they name and says
//! which made-up id becomes which real one, [`verdicts`] holds the order and the examples that
//! cannot pass, each with why, and [`driver`] runs them all in one Python process.
//!
//! Each example ends as one of: **pass** (exit 0); **refusal** (an error AWS would also give
//! in that state, listed with its code); **skip** (it cannot run here, listed with why); or
//! **fail**: anything else, including a listed refusal that no longer happens. The test fails
//! on any fail.

mod driver;
mod rst;
mod verdicts;
mod world;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use cloudlings_core::operation::{Operation, Service};
use serde_json::Value;

use crate::emulator::{advance, start};
use driver::{Call, Driver, Outcome};
use rst::{Example, Shell};
use verdicts::Prep;
use world::{PLACEHOLDERS, Real, World};

/// The services whose examples run (pricing and the rest are not emulated), in the order
/// they run: `s3api`'s reads before `aws s3 mv --recursive` empties the bucket they read.
const SERVICES: &[Service] = &[
    Service::Sts,
    Service::Iam,
    Service::Ec2,
    Service::S3Api,
    Service::S3,
    Service::CloudFront,
];

/// How one example ended.
#[derive(Debug)]
enum Verdict {
    Pass,
    Refusal,
    Skip(String),
    Fail(String),
}

#[test]
fn the_aws_clis_shipped_examples_run_against_the_emulator() {
    let started = Instant::now();
    let emulator = start();
    let home = tempfile::tempdir().expect("home");
    let mut driver = Driver::start(&emulator, home.path());
    let pages = pages(&driver);
    stale_entries(&pages);
    let mut world = World::make(&emulator, &mut driver, home.path());
    let disable = pages
        .iter()
        .flat_map(|(_, examples)| examples)
        .find(|example| example.id() == "cloudfront/update-distribution#2")
        .and_then(|example| example.inputs.first()?.contents.clone())
        .expect("update-distribution's example shows the configuration it disables with");
    world.make_distribution(&mut driver, &disable);

    let mut verdicts = Vec::new();
    for (page, examples) in &pages {
        let dir = home.path().join("pages").join(page);
        std::fs::create_dir_all(&dir).expect("page dir");
        world.local_files(
            &dir,
            page.contains("multipart") || page.ends_with("upload-part"),
        );
        for example in examples {
            let began = Instant::now();
            let verdict = judge(example, &emulator, &mut driver, &mut world, &dir);
            let took = began.elapsed();
            if took > std::time::Duration::from_secs(3) {
                println!("slow {}: {took:.1?}", example.id());
            }
            verdicts.push((example.id(), verdict));
        }
    }

    let mut counts = BTreeMap::new();
    let mut skips: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut report = String::new();
    for (id, verdict) in &verdicts {
        let kind = match verdict {
            Verdict::Pass => "pass",
            Verdict::Refusal => "refusal",
            Verdict::Skip(why) => {
                skips.entry(why).or_default().push(id);
                "skip"
            }
            Verdict::Fail(why) => {
                report.push_str(&format!("FAIL {id}: {why}\n"));
                "fail"
            }
        };
        *counts.entry(kind).or_insert(0) += 1;
    }
    for (why, ids) in &skips {
        println!("skipped, {why}:\n    {}", ids.join(" "));
    }
    println!(
        "{report}{} examples of aws-cli {}: {counts:?}, in {:.0?}",
        verdicts.len(),
        driver.hello.version,
        started.elapsed()
    );
    assert_eq!(counts.get("fail"), None, "{report}");
}

/// The pages to run, in order, with their examples: those of the operations the emulator
/// implements, and each EC2 waiter's.
fn pages(driver: &Driver) -> Vec<(String, Vec<Example>)> {
    let root = &driver.hello.examples;
    let mut names = Vec::new();
    for &service in SERVICES {
        let dir = root.join(service.cli_name());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
            .filter_map(|entry| {
                let name = entry.ok()?.file_name().into_string().ok()?;
                Some(name.strip_suffix(".rst")?.to_string())
            })
            .filter(|name| !name.starts_with('_'))
            .collect();
        files.sort();
        for file in files {
            let implemented =
                service == Service::S3 || Operation::from_cli(service.cli_name(), &file).is_some();
            if implemented {
                names.push(format!("{}/{file}", service.cli_name()));
            }
        }
    }
    let waiters = root.join("ec2/wait");
    let mut waits: Vec<String> = std::fs::read_dir(&waiters)
        .expect("ec2/wait")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            Some(format!("ec2/wait/{}", name.strip_suffix(".rst")?))
        })
        .collect();
    waits.sort();
    names.extend(waits);
    // The listed order last, the rest by name before it.
    names.sort_by_key(|name| verdicts::LAST.iter().position(|last| last == name));
    names
        .into_iter()
        .map(|name| {
            let path = root.join(format!("{name}.rst"));
            let text = std::fs::read_to_string(&path).expect("an example page");
            let examples = rst::examples(&name, &text);
            (name, examples)
        })
        .collect()
}

/// Every example and page the tables name must exist, so that a table stays true when the
/// CLI's examples change.
fn stale_entries(pages: &[(String, Vec<Example>)]) {
    let ids: Vec<String> = pages
        .iter()
        .flat_map(|(_, examples)| examples.iter().map(Example::id))
        .collect();
    let named = verdicts::OVERRIDES
        .iter()
        .map(|(id, ..)| *id)
        .chain(verdicts::CAPTURES.iter().map(|(id, ..)| *id))
        .chain(verdicts::AS_BOB.iter().copied())
        .chain(verdicts::PREPS.iter().map(|(id, _)| *id))
        .chain(verdicts::REFUSALS.iter().map(|(id, ..)| *id))
        .chain(verdicts::SKIPS.iter().map(|(id, _)| *id));
    for id in named {
        assert!(ids.iter().any(|known| known == id), "no example {id}");
    }
    for page in verdicts::LAST {
        assert!(pages.iter().any(|(name, _)| name == page), "no page {page}");
    }
}

/// Why an example cannot run at all, before its ids are even looked at.
fn cannot_run(example: &Example, waiters: &BTreeMap<String, String>) -> Option<String> {
    if example.shell == Shell::Windows {
        return Some("written for a Windows shell; the page shows it for a POSIX shell too".into());
    }
    let Some(argv) = &example.argv else {
        return Some("its words do not split as a POSIX shell splits them".into());
    };
    let (service, command) = (argv.first()?, argv.get(1)?);
    if service == "ec2" && command == "wait" {
        let named = argv.get(2)?;
        let waiter: String = named.split('-').map(capitalised).collect();
        let Some(polls) = waiters.get(&waiter) else {
            return Some(format!(
                "broken as shipped: this CLI has no waiter `{named}`, which the page names"
            ));
        };
        return Operation::from_wire(Service::Ec2, polls)
            .is_none()
            .then(|| format!("the waiter polls {polls}, which the emulator does not implement"));
    }
    if service == "s3" {
        return None;
    }
    Operation::from_cli(service, command)
        .is_none()
        .then(|| format!("`{service} {command}` is not implemented by the emulator"))
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Runs one example and judges it.
fn judge(
    example: &Example,
    emulator: &cloudlings_emulator::Emulator,
    driver: &mut Driver,
    world: &mut World,
    dir: &Path,
) -> Verdict {
    let id = example.id();
    if let Some((_, why)) = verdicts::SKIPS.iter().find(|(skip, _)| *skip == id) {
        return Verdict::Skip(why.to_string());
    }
    if let Some(why) = cannot_run(example, &driver.hello.ec2_waiters) {
        return Verdict::Skip(why);
    }
    let argv = example.argv.clone().unwrap_or_default();
    let substitute = |text: &str, driver: &mut Driver, world: &World| -> Result<String, String> {
        substitute(&id, text, driver, world)
    };

    for (_, prep) in verdicts::PREPS.iter().filter(|(at, _)| *at == id) {
        match prep {
            Prep::Advance(seconds) => advance(emulator, *seconds),
            Prep::Cli(args) => {
                let mut words = Vec::new();
                for arg in args.iter() {
                    match substitute(arg, driver, world) {
                        Ok(word) => words.push(word),
                        Err(why) => return Verdict::Fail(format!("its preparation: {why}")),
                    }
                }
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                world::must(driver, dir, &words, &[]);
            }
        }
    }
    for input in &example.inputs {
        let path = input
            .path
            .replace("~/", &format!("{}/", world.home.display()));
        let path = dir.join(path);
        match &input.contents {
            Some(contents) => {
                let contents = match substitute(contents, driver, world) {
                    Ok(contents) => contents,
                    Err(why) => return Verdict::Fail(why),
                };
                std::fs::write(&path, contents).expect("write an input file");
            }
            None if path.exists() => {}
            None => {
                return Verdict::Skip(format!(
                    "the page does not show the contents of {}",
                    input.path
                ));
            }
        }
    }
    let mut words = Vec::new();
    for arg in &argv {
        match substitute(arg, driver, world) {
            Ok(word) => words.push(word),
            Err(why) => return Verdict::Fail(why),
        }
    }
    let env = if verdicts::AS_BOB.contains(&id.as_str()) {
        world.as_bob()
    } else {
        Vec::new()
    };
    let outcome = driver.run(
        dir,
        Call {
            argv: &words,
            env,
            stdin: words
                .iter()
                .any(|w| w == "-")
                .then(|| "streamed from standard input\n".to_string()),
            stdout_to: example.stdout_to.as_ref().map(|file| dir.join(file)),
        },
    );
    verdict(&id, &words, &outcome, world)
}

/// Replaces the made-up ids in `text` with real ones: the example's overrides first, then the
/// shared table, longest placeholder first so that one is never part of another.
fn substitute(id: &str, text: &str, driver: &mut Driver, world: &World) -> Result<String, String> {
    let mut table: Vec<(&str, Real)> = verdicts::OVERRIDES
        .iter()
        .filter(|(example, ..)| *example == id)
        .map(|(_, placeholder, real)| (*placeholder, *real))
        .collect();
    let shared: Vec<(&str, Real)> = PLACEHOLDERS
        .iter()
        .filter(|(placeholder, _)| !table.iter().any(|(p, _)| p == placeholder))
        .copied()
        .collect();
    table.extend(shared);
    table.sort_by_key(|(placeholder, _)| std::cmp::Reverse(placeholder.len()));
    // One pass over the text, so that a replacement is never replaced again.
    let mut out = String::new();
    let mut rest = text;
    'outer: while !rest.is_empty() {
        for (placeholder, real) in &table {
            if let Some(after) = rest.strip_prefix(placeholder) {
                let value = world
                    .value(*real, driver)
                    .ok_or_else(|| format!("{real:?} (for {placeholder}) was not made"))?;
                out.push_str(&value);
                rest = after;
                continue 'outer;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Ok(out)
}

/// Judges what an example did, and keeps what later examples need from its output.
fn verdict(id: &str, words: &[String], outcome: &Outcome, world: &mut World) -> Verdict {
    let refusal = verdicts::REFUSALS
        .iter()
        .find(|(example, ..)| *example == id);
    let command = words.join(" ");
    if outcome.rc == 0 {
        if let Some((_, code, _)) = refusal {
            return Verdict::Fail(format!(
                "listed as refused with {code}, but passed: `aws {command}`"
            ));
        }
        for (_, path, name) in verdicts::CAPTURES.iter().filter(|(at, ..)| *at == id) {
            let output: Value = serde_json::from_str(&outcome.stdout).unwrap_or(Value::Null);
            let pointer = format!("/{path}");
            match output.pointer(&pointer).and_then(Value::as_str) {
                Some(value) => world.capture(name, value.to_string()),
                None => return Verdict::Fail(format!("printed no {path}: {}", outcome.stdout)),
            }
        }
        return Verdict::Pass;
    }
    let stderr = outcome.stderr.trim();
    match refusal {
        Some((_, "", _)) if outcome.rc == 1 && stderr.is_empty() => Verdict::Refusal,
        Some((_, code, _)) if !code.is_empty() && stderr.contains(code) => Verdict::Refusal,
        _ => Verdict::Fail(format!("`aws {command}` exited {}: {stderr}", outcome.rc)),
    }
}
