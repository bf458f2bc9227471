//! Start-up time of the shell: from spawning `cloudlings` to its first output (the welcome,
//! printed just before it reads the first command), and to its exit after a piped `quit`.
//!
//! `cargo bench --bench startup` builds the release binary and runs it many times; pass a
//! number of runs after `--` to change the default of 200. Figures go in the README.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let runs: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(200);
    let work = tempfile::tempdir().expect("work dir");
    let data = tempfile::tempdir().expect("data dir");

    // One warm-up run creates the progress file, so every measured run reads one.
    measure(work.path(), data.path());
    let (mut first_output, mut exit): (Vec<Duration>, Vec<Duration>) =
        (0..runs).map(|_| measure(work.path(), data.path())).unzip();

    println!("cloudlings start-up, {runs} runs, piped `quit`:");
    report("to first output", &mut first_output);
    report("to exit", &mut exit);
}

fn measure(work: &std::path::Path, data: &std::path::Path) -> (Duration, Duration) {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cloudlings"))
        .arg("--data-dir")
        .arg(data)
        .arg("--lang")
        .arg("en")
        .current_dir(work)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start cloudlings");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"quit\n")
        .expect("write");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).expect("first output");
    let first_output = start.elapsed();
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).expect("output");
    let status = child.wait().expect("wait");
    assert!(status.success(), "cloudlings failed");
    (first_output, start.elapsed())
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {what:<16} median {:6.2} ms   p90 {:6.2} ms   min {:6.2} ms   max {:6.2} ms",
        ms(at(0.5)),
        ms(at(0.9)),
        ms(samples[0]),
        ms(samples[samples.len() - 1]),
    );
}
