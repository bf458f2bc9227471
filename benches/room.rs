//! A classroom on one `cloudlings serve` (issue 19): K learners at once, each in an account of
//! its own, each going through a lesson's steps in a loop (a key pair, a security group with two
//! rules, an instance, DescribeInstances, an object up and down, an MFA device, termination).
//! The server is the real binary with its state on disk, so the figures are a classroom's
//! whatever the storage underneath.
//!
//! `cargo bench --bench room -- [LEARNERS] [SECONDS] [--rate CALLS] [--prefill N] [--kill]
//! [--cold]` (default 60 learners for 20 seconds, after a warm-up of 2 that is left out) prints
//! a markdown table for the README: operations per second, p50 and p99 of each step, errors,
//! bytes written to the disk per mutating call, the server's peak memory and the state's size
//! at the end. Learners call as fast as answers come, which measures what the server can
//! carry; `--rate CALLS` has the room make that many calls a second in all instead, each
//! learner at an even pace, which measures how fast a room at that load is answered.
//! `--prefill N` first makes N resources spread over the accounts, so that the figures are
//! those of a busy installation. `--kill` then kills the server with SIGKILL mid-lesson,
//! restarts it on the same state and checks that every create a response confirmed is still
//! there, every object byte for byte; anything lost makes the run fail. `--keep` leaves the
//! state directory behind.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "common/keys.rs"]
mod keys;
#[path = "common/room.rs"]
mod room;
use keys::{key_cache, keys_ready, move_keys};
use room::{Log, OBJECT_SIZE, Op, Server};

const WARM_UP: Duration = Duration::from_secs(2);

/// What to run, from the arguments after `--`.
#[derive(Debug)]
struct Args {
    learners: usize,
    seconds: u64,
    prefill: usize,
    kill: bool,
    /// Starts at once instead of waiting for the server's RSA keys made ahead.
    cold: bool,
    /// How many RSA keys the server keeps made ahead (`serve --ready-keys`).
    ready_keys: Option<usize>,
    /// Leaves the state directory behind, for a look at what was written.
    keep: bool,
    /// Calls per second in all, spread evenly over the learners; as fast as answers come
    /// when unset.
    rate: Option<f64>,
}

impl Args {
    fn parse() -> Args {
        let mut args = Args {
            learners: 60,
            seconds: 20,
            prefill: 0,
            kill: false,
            cold: false,
            ready_keys: None,
            keep: false,
            rate: None,
        };
        let mut numbers = 0;
        let mut rest = std::env::args().skip(1);
        while let Some(arg) = rest.next() {
            match arg.as_str() {
                "--kill" => args.kill = true,
                "--cold" => args.cold = true,
                "--ready-keys" => {
                    args.ready_keys = Some(
                        rest.next()
                            .and_then(|n| n.parse().ok())
                            .expect("--ready-keys takes a number of keys"),
                    );
                }
                "--keep" => args.keep = true,
                "--rate" => {
                    args.rate = Some(
                        rest.next()
                            .and_then(|n| n.parse().ok())
                            .filter(|rate: &f64| *rate > 0.0)
                            .expect("--rate takes calls per second"),
                    );
                }
                "--prefill" => {
                    args.prefill = rest
                        .next()
                        .and_then(|n| n.parse().ok())
                        .expect("--prefill takes a number of resources");
                }
                // cargo bench passes --bench to every benchmark.
                _ if arg.starts_with("--") => {}
                _ => {
                    let n: u64 = arg
                        .parse()
                        .unwrap_or_else(|_| panic!("{arg:?}: expected a number"));
                    match numbers {
                        0 => args.learners = n as usize,
                        1 => args.seconds = n,
                        _ => panic!("{arg}: only LEARNERS and SECONDS are positional"),
                    }
                    numbers += 1;
                }
            }
        }
        assert!(args.learners > 0, "at least one learner");
        args
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(&args))
}

async fn run(args: &Args) -> ExitCode {
    // /var/tmp rather than /tmp: the writes must reach a disk, and /tmp is often tmpfs.
    let base = Path::new("/var/tmp");
    let state = tempfile::Builder::new()
        .prefix("cloudlings-room-")
        .disable_cleanup(args.keep)
        .tempdir_in(if base.is_dir() {
            base.to_path_buf()
        } else {
            std::env::temp_dir()
        })
        .expect("state directory");
    let ready_keys = args.ready_keys.unwrap_or((args.learners * 16).max(64));
    let ready = state.path().join("ready-keys");
    let cached = if args.cold {
        0
    } else {
        move_keys(&key_cache(), &ready, ready_keys)
    };
    let server = Server::start(state.path(), args.learners, ready_keys);
    let learners = server.learners();
    let image = learners[0].ubuntu_image().await;
    room::every(&learners, |l| async move { l.make_bucket().await }).await;
    let mut objects = 0;
    if args.prefill > 0 {
        let began = Instant::now();
        let (k, total) = (learners.len(), args.prefill);
        let image = image.clone();
        let put = room::every(&learners, move |l| {
            let image = image.clone();
            // The remainder goes to the first learners, one each.
            let count = total / k + usize::from(l.n < total % k);
            async move { l.prefill(&image, count).await }
        });
        objects += put.await.iter().sum::<u64>();
        eprintln!(
            "prefilled {total} resources in {:.1} s",
            began.elapsed().as_secs_f64()
        );
    }

    // A room's server is started before the lesson, and uses the quiet time to make the RSA
    // keys of `create-key-pair` ahead (`serve --ready-keys`, 16 per learner by default).
    // `--cold` measures a server that had no such time.
    if !args.cold {
        let began = Instant::now();
        while keys_ready(&ready) < ready_keys {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        eprintln!(
            "{ready_keys} RSA keys ready ({cached} from earlier runs) in {:.1} s",
            began.elapsed().as_secs_f64()
        );
    }
    let ready_at_start = keys_ready(&ready);

    let progress = Arc::new(room::Progress::default());
    let tasks = room::drive(&learners, &image, &progress, args.rate);
    tokio::time::sleep(WARM_UP).await;
    let written_before = server.storage_written();
    let from = Instant::now();
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    let written = server.storage_written() - written_before;
    let peak_rss = server.peak_rss();
    let to = Instant::now();
    let keys = server.keys.clone();
    let server = if args.kill {
        server.kill();
        None
    } else {
        Some(server)
    };
    progress.stop();
    let logs = room::logs(tasks).await;
    objects += logs
        .iter()
        .map(|log| log.acked.objects.len())
        .sum::<usize>() as u64
        * OBJECT_SIZE as u64;
    let figures = Figures {
        window: (from, to),
        written,
        peak_rss,
        on_disk: room::size_on_disk(state.path()),
        objects,
        ready_at_start,
    };
    report(args, &logs, &figures);
    if args.keep {
        eprintln!("state left in {}", state.path().display());
    }
    if !args.kill {
        drop(server);
        move_keys(&ready, &key_cache(), usize::MAX);
        return ExitCode::SUCCESS;
    }

    // The same state, the same keys, a new port.
    let again = Server::start(state.path(), args.learners, ready_keys);
    assert_eq!(again.keys, keys, "a restart prints the same keys");
    let verdict = again.verify(&logs).await;
    drop(again);
    move_keys(&ready, &key_cache(), usize::MAX);
    println!();
    println!("After kill -9 and a restart on the same state, every confirmed create:");
    println!();
    println!("| confirmed | checked |");
    println!("|---|---:|");
    for (kind, n) in &verdict.checked {
        println!("| {kind} | {n} |");
    }
    if verdict.lost.is_empty() {
        println!("\nNothing lost.");
        ExitCode::SUCCESS
    } else {
        println!("\nLOST {} confirmed create(s):", verdict.lost.len());
        for line in &verdict.lost {
            println!("  {line}");
        }
        ExitCode::FAILURE
    }
}

/// What was measured of the server over the timed window.
#[derive(Debug)]
struct Figures {
    /// From the end of the warm-up to the end of the run (or the kill).
    window: (Instant, Instant),
    /// Bytes the server sent to the disk over the window.
    written: u64,
    peak_rss: u64,
    /// The state directory's size at the end, objects included.
    on_disk: u64,
    /// The bytes of the objects the learners put: the part of `on_disk` that is not records.
    objects: u64,
    /// RSA keys the server had made ahead when the learners began.
    ready_at_start: usize,
}

/// Prints the run's figures as markdown tables for the README.
fn report(args: &Args, logs: &[Log], figures: &Figures) {
    let (from, to) = figures.window;
    let seconds = (to - from).as_secs_f64();
    // Calls wholly inside the window; those straddling its edges are about as many at each end,
    // so what they wrote roughly evens out.
    let timed: Vec<&room::Sample> = logs
        .iter()
        .flat_map(|log| &log.samples)
        .filter(|s| s.began >= from && s.ended() <= to)
        .collect();
    // After a kill, the calls it cut short are expected to fail and are not errors.
    let failures: Vec<&room::Failure> = logs
        .iter()
        .flat_map(|log| &log.failures)
        .filter(|f| !args.kill || f.sample.ended() <= to)
        .collect();
    let mutations = timed.iter().filter(|s| s.op.mutates()).count();
    let puts = timed.iter().filter(|s| s.op == Op::PutObject).count();
    // What the server wrote to its files (see Server::storage_written) beyond the bodies of
    // the objects PUT in the window: its records, in whatever form the storage keeps them
    // (whole-state rewrites, journals, temporary copies), shared out over the mutating calls
    // that succeeded in the window. A write a read or a timer makes counts here too.
    let per_mutation = figures
        .written
        .saturating_sub((puts * OBJECT_SIZE) as u64)
        .checked_div(mutations as u64)
        .unwrap_or(0);

    println!(
        "cloudlings serve, {} learners {} for {} s, {} RSA keys ready at the start{}{} (state on disk, aws-sdk-rust over loopback):",
        args.learners,
        match args.rate {
            Some(rate) => format!("making {rate:.0} calls/s in all"),
            None => "calling as fast as answers come".to_string(),
        },
        args.seconds,
        figures.ready_at_start,
        if args.prefill > 0 {
            format!(", after {} resources made", args.prefill)
        } else {
            String::new()
        },
        if args.kill { ", then kill -9" } else { "" }
    );
    println!();
    println!(
        "| learners | prefill | ops/s | errors | written per mutation | server peak RSS | state on disk | of it, not objects |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {} | {:.0} | {} | {:.0} KiB | {:.0} MiB | {:.1} MiB | {:.0} KiB |",
        args.learners,
        args.prefill,
        timed.len() as f64 / seconds,
        failures.len(),
        per_mutation as f64 / 1024.0,
        figures.peak_rss as f64 / (1024.0 * 1024.0),
        figures.on_disk as f64 / (1024.0 * 1024.0),
        figures.on_disk.saturating_sub(figures.objects) as f64 / 1024.0,
    );
    println!();
    println!("| operation | calls | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|");
    for op in Op::ALL {
        let mut took: Vec<Duration> = timed
            .iter()
            .filter(|s| s.op == op)
            .map(|s| s.took)
            .collect();
        if took.is_empty() {
            println!("| {} | 0 | | |", op.name());
            continue;
        }
        took.sort();
        let at = |q: f64| took[((took.len() - 1) as f64 * q).round() as usize];
        println!(
            "| {} | {} | {:.0} | {:.0} |",
            op.name(),
            took.len(),
            at(0.5).as_secs_f64() * 1000.0,
            at(0.99).as_secs_f64() * 1000.0,
        );
    }
    if !failures.is_empty() {
        println!();
        println!("{} error(s), the first:", failures.len());
        for failure in failures.iter().take(5) {
            println!("  {}: {}", failure.sample.op.name(), failure.message);
        }
    }
}
