//! Checks against the embedded emulator: one `check` of a three-condition task step (three
//! AWS probes through aws-sdk-rust, JMESPath, comparisons); the quiet look watch mode takes
//! after a command, at that step done, at it half done, and at a step whose port drops what
//! comes (the most a look can cost); and `lesson test` of the whole shipped course.
//!
//! `cargo bench --bench checks` prints p50/p99; pass a duration in seconds after `--` to
//! change the default of 3 seconds of checks.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use cloudlings::aws_cli::Query;
use cloudlings::check;
use cloudlings::lang::Lang;
use cloudlings::lesson::{Course, StepKind};
use cloudlings::shell::Look;
use cloudlings::style::Style;
use cloudlings::target::Target;
use cloudlings::text::Text;
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
    let (task_copy, context_copy) = (task.clone(), context.clone());
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

    quiet_looks(&emulator, &ec2, &task_copy, &context_copy, length).await;

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

/// The look watch mode takes after each command: at the step done (every probe, then the
/// announcement), at the step half done (it stops at the first condition that fails), and at
/// a step whose only condition probes a port a security group drops, which waits the whole
/// quiet patience and learns nothing.
async fn quiet_looks(
    emulator: &Emulator,
    ec2: &aws_sdk_ec2::Client,
    task: &cloudlings::lesson::Task,
    context: &check::Context,
    length: Duration,
) {
    let look = |context: &check::Context, checks: &[check::Check]| {
        Look::new(
            "bench",
            "step",
            checks,
            &task.binds,
            None,
            context,
            Lang::En,
            Style::plain(),
        )
    };
    let done = look(context, &task.checks);
    // Another learner's address: the group exists, but admits port 22 from elsewhere.
    let mut elsewhere = context.clone();
    elsewhere
        .bindings
        .insert("myip".to_string(), "198.51.100.99".to_string());
    let half = look(&elsewhere, &task.checks);

    let image = common::ubuntu_image(ec2).await;
    let launched = ec2
        .run_instances()
        .image_id(image)
        .instance_type(aws_sdk_ec2::types::InstanceType::T2Micro)
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("run");
    let id = launched.instances()[0]
        .instance_id()
        .expect("id")
        .to_string();
    emulator
        .world
        .lock()
        .clock
        .advance(time::Duration::minutes(1));
    let described = ec2
        .describe_instances()
        .instance_ids(id)
        .send()
        .await
        .expect("describe");
    let address = described.reservations()[0].instances()[0]
        .public_ip_address()
        .expect("address")
        .to_string();
    let dropped = check::Check {
        label: Text {
            en: "port 8080 times out".into(),
            ko: None,
        },
        reason: Text {
            en: "it answers".into(),
            ko: None,
        },
        probe: check::Probe::Http(format!("http://{address}:8080/")),
        query: Some(Query::compile("error").expect("query")),
        expect: check::Expect::new(
            check::ExpectOp::Eq,
            Some(serde_json::Value::from("Connection timed out")),
        )
        .expect("expect"),
        holds_before: None,
        cases: Vec::new(),
    };
    let silent = look(context, &[dropped]);

    let measured = tokio::task::spawn_blocking(move || {
        let mut figures = Vec::new();
        for (name, look, passes, length) in [
            ("quiet look, step done", done, true, length),
            ("quiet look, step half done", half, false, length),
            // Each look takes the whole patience: a few are enough.
            (
                "quiet look at a dropped port",
                silent,
                false,
                Duration::from_secs(2),
            ),
        ] {
            let mut latencies = Vec::new();
            let start = Instant::now();
            while start.elapsed() < length {
                let began = Instant::now();
                let noticed = look.look();
                latencies.push(began.elapsed());
                assert_eq!(noticed.is_some(), passes, "{name}");
            }
            figures.push((name, latencies, start.elapsed()));
        }
        figures
    })
    .await
    .expect("looks");
    for (name, latencies, elapsed) in measured {
        common::report(name, 1, latencies, elapsed);
    }
}
