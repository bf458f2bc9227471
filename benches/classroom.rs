//! A classroom in browsers (issue 21): N learners join `cloudlings classroom` as the join page
//! does, open their terminal's WebSocket as the page does, and walk lessons 1 to 3 typing each
//! step's commands (quiz answers, solutions, `check`, `next`), each at a reader's pace, all at
//! once. Meanwhile an instructor's page reads the table's event stream.
//!
//! `cargo bench --bench classroom -- [LEARNERS] [--lessons N] [--think MS] [--kill SECONDS]`
//! (default 60 learners, lessons 1-3, a second's reading before each line) prints a markdown
//! table for the README: command-to-output latency (from a line's Enter to the prompt after
//! its output) p50, p99 and max, per kind of line (`aws ec2 wait` apart: it waits for an
//! instance's simulated boot, about 12 seconds, by design); how long a passed check took to
//! show on the instructor's page (p50, p99, max); errors (steps not passed at the end); and
//! the server's peak memory.
//!
//! `--kill SECONDS` ends the class with `kill -9` that long into the walk, starts it again on
//! its state, and looks, through each learner's page and cookie, for every step the class told
//! them passed and every instance and key pair whose making it answered.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _};

#[path = "common/browser.rs"]
mod browser;
#[path = "common/keys.rs"]
mod keys;
use browser::{WAIT, Walk, Walked};
use cloudlings::lesson::Course;
use keys::{key_cache, keys_ready, move_keys};

/// A line slower than this is named on standard error, to see what to look at.
const SLOW: Duration = Duration::from_millis(100);

/// When something happened, by (learner, step): a check's pass as the learner saw it, and
/// as the instructor's page first showed it.
type Passes = Arc<Mutex<HashMap<(i64, String), Instant>>>;

/// What a run is asked for.
#[derive(Clone, Copy)]
struct Asked {
    learners: usize,
    lessons: usize,
    /// How long a learner reads an answer before typing the next line (0 types as fast as
    /// answers come).
    think: Duration,
    /// When to end the class with `kill -9`, if at all.
    kill: Option<Duration>,
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|arg| arg != "--bench");
    let mut asked = Asked {
        learners: 60,
        lessons: 3,
        think: Duration::from_millis(1000),
        kill: None,
    };
    while let Some(arg) = args.next() {
        let mut number = || args.next().and_then(|n| n.parse::<u64>().ok());
        match arg.as_str() {
            "--lessons" => asked.lessons = number().unwrap_or(3) as usize,
            "--think" => asked.think = Duration::from_millis(number().unwrap_or(1000)),
            "--kill" => asked.kill = Some(Duration::from_secs(number().unwrap_or(60))),
            other => asked.learners = other.parse().unwrap_or(asked.learners),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(asked));
}

/// The class's server, and what it printed at start.
struct Class {
    server: Child,
    code: String,
    teacher: String,
}

/// Starts `cloudlings classroom` on `state`, at `port`.
fn start(state: &Path, port: u16, endpoint: u16, room: usize) -> Class {
    let mut server = Command::new(env!("CARGO_BIN_EXE_cloudlings"))
        .args(["classroom", "--port", &port.to_string()])
        .args(["--endpoint-port", &endpoint.to_string()])
        .args(["--edge-port", "0", "--room", &room.max(1).to_string()])
        .arg("--state")
        .arg(state)
        .env("CLOUDLINGS_LOG", "error")
        .stdout(Stdio::piped())
        .spawn()
        .expect("classroom");
    let mut lines = BufReader::new(server.stdout.take().expect("stdout")).lines();
    let mut code = String::new();
    let mut teacher = String::new();
    for line in lines.by_ref() {
        let line = line.expect("line");
        if let Some(rest) = line.strip_prefix("Class code: ") {
            code = rest.to_string();
        }
        if let Some(rest) = line.strip_prefix("Instructor's page: http://") {
            teacher = rest
                .split_once('/')
                .map(|(_, path)| format!("/{path}"))
                .unwrap_or_default();
            break;
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    Class {
        server,
        code,
        teacher,
    }
}

async fn run(asked: Asked) {
    let Asked {
        learners,
        lessons,
        think,
        kill,
    } = asked;
    let state = tempfile::tempdir().expect("state");
    // A classroom makes its learners' RSA keys ahead while lesson 1 is read (4 a learner);
    // earlier runs' leftovers count, as a class started before the lesson would have them.
    let ready = state.path().join("ready-keys");
    let wanted = learners * 4;
    let cached = move_keys(&key_cache(), &ready, wanted);
    let (port, endpoint) = (free_port(), free_port());
    let mut class = start(state.path(), port, endpoint, learners);
    let began = Instant::now();
    while keys_ready(&ready) < wanted {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    eprintln!(
        "{wanted} RSA keys ready ({cached} from earlier runs) in {:.1} s",
        began.elapsed().as_secs_f64()
    );
    let address = format!("127.0.0.1:{port}");
    let course = Arc::new(Course::embedded());
    let passes: Passes = Arc::default();
    let shown: Passes = Arc::default();
    let watcher = tokio::spawn(watch_table(
        address.clone(),
        browser::teacher_cookie(&address, &class.teacher).await,
        course.clone(),
        shown.clone(),
    ));

    let started = Instant::now();
    let mut walks = Vec::new();
    for n in 0..learners {
        let (address, code, course, passes) = (
            address.clone(),
            class.code.clone(),
            course.clone(),
            passes.clone(),
        );
        let state = state.path().to_path_buf();
        walks.push(tokio::spawn(async move {
            let on_pass = |learner: i64, step: &str| passed(&passes, learner, step);
            Walk {
                address: &address,
                code: &code,
                name: &format!("learner {n}"),
                course: &course,
                lessons,
                state: &state,
                think,
                on_pass: &on_pass,
                slow: SLOW,
            }
            .run()
            .await
        }));
    }
    let pid = class.server.id();
    // Read just before the kill, when there is one: a killed process has no memory to read.
    let killer = kill.map(|after| {
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            let peak = peak_memory(pid);
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            peak
        })
    });
    let mut latencies: HashMap<&'static str, Vec<Duration>> = HashMap::new();
    let mut errors = 0usize;
    let mut walked: Vec<Walked> = Vec::new();
    for walk in walks {
        let walk = walk.await.expect("a learner");
        for (kind, time) in &walk.times {
            latencies.entry(kind).or_default().push(*time);
        }
        errors += walk.failed;
        walked.push(walk);
    }
    let elapsed = started.elapsed();
    // The instructor's page may lag the last check by up to its coalescing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    watcher.abort();
    let mut peak = peak_memory(pid);
    let _ = class.server.kill();
    let _ = class.server.wait();

    if let Some(killer) = killer {
        peak = killer.await.expect("the kill");
        errors += after_the_kill(state.path(), port, endpoint, learners, &walked).await;
    } else {
        let cut = walked.iter().filter(|walk| walk.cut).count();
        if cut > 0 {
            println!("{cut} learners' terminals closed under them");
            errors += cut;
        }
    }
    move_keys(&ready, &key_cache(), usize::MAX);

    let total: usize = latencies.values().map(Vec::len).sum();
    println!(
        "{learners} learners, lessons 1-{lessons}, {} ms of reading before each line: {total} lines in {:.1} s, {errors} errors, server peak RSS {} MiB\n",
        think.as_millis(),
        elapsed.as_secs_f64(),
        peak / 1024
    );
    println!("| lines | count | p50 | p99 | max |");
    println!("|---|---|---|---|---|");
    let mut all: Vec<Duration> = latencies
        .iter()
        .filter(|(kind, _)| **kind != WAIT)
        .flat_map(|(_, times)| times.iter().copied())
        .collect();
    let mut kinds: Vec<_> = latencies.into_iter().collect();
    kinds.sort_by_key(|(kind, _)| *kind);
    for (kind, mut times) in kinds {
        println!("{}", row(kind, &mut times));
    }
    println!("{}", row("**every line but waiters**", &mut all));
    // The page may show a pass before the learner's own screen has the prompt after it.
    let (passes, shown) = (passes.lock().expect("passes"), shown.lock().expect("shown"));
    let mut delays: Vec<Duration> = passes
        .iter()
        .filter_map(|(key, passed)| Some(shown.get(key)?.saturating_duration_since(*passed)))
        .collect();
    let unseen = passes.len() - delays.len();
    println!("{}", row("check passed → instructor's page", &mut delays));
    if unseen > 0 && kill.is_none() {
        println!("\n{unseen} passes never showed on the instructor's page");
        errors += unseen;
    }
    if errors > 0 {
        std::process::exit(1);
    }
}

/// Starts the class again on its state after `kill -9`, and counts what it lost of what it
/// had acknowledged.
async fn after_the_kill(
    state: &Path,
    port: u16,
    endpoint: u16,
    learners: usize,
    walked: &[Walked],
) -> usize {
    let mut class = start(state, port, endpoint, learners);
    let address = format!("127.0.0.1:{port}");
    let (mut steps, mut resources, mut lost) = (0, 0, 0);
    for walk in walked {
        steps += walk.acknowledged.steps.len();
        resources += walk.acknowledged.instances.len() + walk.acknowledged.key_pairs.len();
        for missing in browser::missing(&address, state, walk).await {
            eprintln!("lost: {missing}");
            lost += 1;
        }
    }
    let cut = walked.iter().filter(|walk| walk.cut).count();
    println!(
        "kill -9 with {cut} of {learners} learners mid-walk: {steps} steps and {resources} resources acknowledged, {lost} lost\n"
    );
    let _ = class.server.kill();
    let _ = class.server.wait();
    lost
}

fn row(name: &str, times: &mut [Duration]) -> String {
    times.sort();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |time| time.as_secs_f64() * 1000.0)
    };
    format!(
        "| {name} | {} | {:.1} ms | {:.1} ms | {:.1} ms |",
        times.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    )
}

/// Notes the first time the learner's screen showed the step passed.
fn passed(passes: &Passes, learner: i64, step: &str) {
    passes
        .lock()
        .expect("passes")
        .entry((learner, step.to_string()))
        .or_insert_with(Instant::now);
}

/// The instructor's page: reads the table as it changes, and notes when each pass first
/// showed: as the learner's last check, or as a learner already past that step (changes that
/// come within the table's coalescing show together, as the latest).
async fn watch_table(address: String, cookie: String, course: Arc<Course>, shown: Passes) {
    let steps: Vec<(&str, &str)> = course
        .lessons
        .iter()
        .flat_map(|lesson| {
            lesson
                .steps
                .iter()
                .map(|step| (lesson.id.as_str(), step.id.as_str()))
        })
        .collect();
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    let request =
        format!("GET /api/teacher/events HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut lines = tokio::io::BufReader::new(stream).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        let Some(data) = line.strip_prefix("data: ") else {
            continue;
        };
        let Ok(table) = serde_json::from_str::<Value>(data) else {
            continue;
        };
        let now = Instant::now();
        let mut shown = shown.lock().expect("shown");
        for learner in table["learners"].as_array().into_iter().flatten() {
            let id = learner["id"].as_i64().unwrap_or_default();
            let report = &learner["report"];
            let check = &report["last_check"];
            if check["passed"] == true {
                let key = (id, check["step"].as_str().unwrap_or_default().to_string());
                shown.entry(key).or_insert(now);
            }
            let at = (
                report["lesson"].as_str().unwrap_or_default(),
                report["step"].as_str().unwrap_or_default(),
            );
            if let Some(here) = steps.iter().position(|step| *step == at) {
                for (_, step) in &steps[..here] {
                    shown.entry((id, (*step).to_string())).or_insert(now);
                }
            }
        }
    }
}

/// The process's peak resident memory, in KiB.
fn peak_memory(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                line.strip_prefix("VmHWM:")
                    .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            })
        })
        .unwrap_or_default()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}
