//! Checks against the embedded emulator: one `check` of a three-condition task step (three
//! AWS probes through aws-sdk-rust, JMESPath, comparisons), and `lesson test` of the whole
//! shipped course.
//!
//! `cargo bench --bench checks` prints p50/p99; pass a duration in seconds after `--` to
//! change the default of 3 seconds of checks.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cloudlings::check;
use cloudlings::lesson::{Course, StepKind};
use cloudlings::target::Target;
use cloudlings_emulator::Emulator;
use cloudlings_emulator::net::learner_address;

mod common;

fn main() {
    common::main_with(run);
}

async fn run(length: Duration) {
    let emulator = Emulator::start(0, None).expect("emulator");
    let ec2 = aws_sdk_ec2::Client::new(&common::sdk_config(&emulator));
    let learner = learner_address(&emulator.world.lock());
    common::group_admitting(&ec2, "web", 22, &format!("{learner}/32")).await;
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/aws");
    let course = Course::from_paths(&[fixture]).expect("fixture");
    let StepKind::Task(task) = course.lessons[0].steps[0].kind.clone() else {
        panic!("the fixture's first step is a task");
    };
    let mut context = check::Context::new(std::env::temp_dir()).with_target(Target::emulator(
        &emulator.endpoint(),
        &emulator.credentials,
    ));
    // The shell names the learner's address `{myip}`; the fixture's checks use it.
    context
        .bindings
        .insert("myip".to_string(), learner.to_string());
    println!(
        "cloudlings checks against the embedded emulator, {} s of checks:",
        length.as_secs()
    );
    let measured = tokio::task::spawn_blocking(move || {
        let mut latencies = Vec::new();
        let start = Instant::now();
        while start.elapsed() < length {
            let began = Instant::now();
            let passed = task
                .checks
                .iter()
                .filter(|check| check.run(&context).passed())
                .count();
            latencies.push(began.elapsed());
            assert_eq!(passed, 3, "the step is done");
        }
        (latencies, start.elapsed())
    })
    .await
    .expect("checks");
    common::report("check of a 3-condition step", 1, measured.0, measured.1);

    let began = Instant::now();
    let report = tokio::task::spawn_blocking(|| {
        cloudlings::rehearsal::rehearse(&Course::embedded(), false, Default::default())
            .expect("rehearse")
    })
    .await
    .expect("rehearsal");
    let steps: usize = report.lessons.iter().map(|(_, steps)| steps).sum();
    println!(
        "  lesson test of the shipped course: {} lessons, {steps} task steps, {} problems, {:.0} ms",
        report.lessons.len(),
        report.findings.len(),
        began.elapsed().as_secs_f64() * 1000.0
    );
}
