//! A classroom in browsers (issue 21): N learners join `cloudlings classroom` as the join page
//! does, open their terminal's WebSocket as the page does, and walk lessons 1 to 3 typing each
//! step's commands (quiz answers, solutions, `check`, `next`), each at the pace of the answers,
//! all at once. Meanwhile an instructor's page reads the table's event stream.
//!
//! `cargo bench --bench classroom -- [LEARNERS] [--lessons N] [--think MS]` (default 60
//! learners, lessons 1-3, a second's reading before each line) prints a markdown table for the README: command-to-output latency (from a line's Enter
//! to the prompt after its output) p50, p99 and max, per kind of line (`aws ec2 wait` apart:
//! it waits for an instance's simulated boot, about 12 seconds, by design); how long a passed
//! check took to show on the instructor's page (p50, p99, max); errors (steps not passed at
//! the end); and the server's peak memory.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

use cloudlings::check::{self, Bindings};

#[path = "common/keys.rs"]
mod keys;
use cloudlings::lesson::{Answer, Course, StepKind};
use cloudlings::workstation::{Emulated, Workstation};
use keys::{key_cache, keys_ready, move_keys};

/// The kind of the lines that wait for an instance to boot or stop: left out of "every line".
const WAIT: &str = "aws ec2 wait (an instance's boot)";

/// How long a learner reads an answer before typing the next line (`--think MS`, 1000 by
/// default; 0 types as fast as answers come).
static THINK: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();

/// A line slower than this is named on standard error, to see what to look at.
const SLOW: Duration = Duration::from_millis(100);

/// When something happened, by (learner, step): a check's pass as the learner saw it, and
/// as the instructor's page first showed it.
type Passes = Arc<Mutex<HashMap<(i64, String), Instant>>>;

fn main() {
    let mut args = std::env::args().skip(1).filter(|arg| arg != "--bench");
    let mut learners = 60usize;
    let mut lessons = 3usize;
    let mut think = Duration::from_millis(1000);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--lessons" => lessons = args.next().and_then(|n| n.parse().ok()).unwrap_or(3),
            "--think" => {
                let ms = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
                think = Duration::from_millis(ms);
            }
            other => learners = other.parse().unwrap_or(learners),
        }
    }
    THINK.set(think).expect("set once");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(learners, lessons));
}

async fn run(learners: usize, lessons: usize) {
    let state = tempfile::tempdir().expect("state");
    // A classroom makes its learners' RSA keys ahead while lesson 1 is read (4 a learner);
    // earlier runs' leftovers count, as a class started before the lesson would have them.
    let ready = state.path().join("ready-keys");
    let wanted = learners * 4;
    let cached = move_keys(&key_cache(), &ready, wanted);
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_cloudlings"))
        .args(["classroom", "--port", &port.to_string()])
        .args(["--endpoint-port", &free_port().to_string()])
        .args(["--edge-port", "0", "--room", &learners.max(1).to_string()])
        .arg("--state")
        .arg(state.path())
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
        teacher_cookie(&address, &teacher).await,
        course.clone(),
        shown.clone(),
    ));

    let started = Instant::now();
    let mut walks = Vec::new();
    for n in 0..learners {
        let (address, code, course, passes) = (
            address.clone(),
            code.clone(),
            course.clone(),
            passes.clone(),
        );
        let state = state.path().to_path_buf();
        walks.push(tokio::spawn(async move {
            walk(
                &address,
                &code,
                &format!("learner {n}"),
                &course,
                lessons,
                &state,
                &passes,
            )
            .await
        }));
    }
    let mut latencies: HashMap<&'static str, Vec<Duration>> = HashMap::new();
    let mut errors = 0usize;
    for walk in walks {
        let (times, failed) = walk.await.expect("a learner");
        for (kind, time) in times {
            latencies.entry(kind).or_default().push(time);
        }
        errors += failed;
    }
    let elapsed = started.elapsed();
    // The instructor's page may lag the last check by up to its coalescing.
    tokio::time::sleep(Duration::from_millis(500)).await;
    watcher.abort();
    let peak = peak_memory(server.id());
    let _ = server.kill();
    let _ = server.wait();
    move_keys(&ready, &key_cache(), usize::MAX);

    let total: usize = latencies.values().map(Vec::len).sum();
    println!(
        "{learners} learners, lessons 1-{lessons}, {} ms of reading before each line: {total} lines in {:.1} s, {errors} errors, server peak RSS {} MiB\n",
        THINK.get().map_or(0, Duration::as_millis),
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
    if unseen > 0 {
        println!("\n{unseen} passes never showed on the instructor's page");
        errors += unseen;
    }
    if errors > 0 {
        std::process::exit(1);
    }
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

/// One learner: joins, opens the terminal, and types lessons 1 to `lessons`. Each line's
/// latency by kind, and how many steps were not passed.
async fn walk(
    address: &str,
    code: &str,
    name: &str,
    course: &Course,
    lessons: usize,
    state: &std::path::Path,
    passes: &Passes,
) -> (Vec<(&'static str, Duration)>, usize) {
    let (cookie, id) = join(address, code, name).await;
    let mut request = format!("ws://{address}/api/terminal")
        .into_client_request()
        .expect("request");
    let headers = request.headers_mut();
    headers.insert(
        "Origin",
        format!("http://{address}").parse().expect("origin"),
    );
    headers.insert("Cookie", cookie.parse().expect("cookie"));
    let stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    let (mut socket, _) = tokio_tungstenite::client_async(request, stream)
        .await
        .expect("the terminal");
    let mut screen = String::new();
    until_prompt(&mut socket, &mut screen).await;
    let dir = state.join("learners").join(id.to_string());
    let mut times = Vec::new();
    let myip = type_line(&mut socket, "myip", &mut screen).await.0;
    let myip = myip.lines().nth(1).unwrap_or_default().trim().to_string();
    let mut failed = 0;
    for lesson in course.lessons.iter().take(lessons) {
        type_line(&mut socket, &format!("start {}", lesson.id), &mut screen).await;
        for step in &lesson.steps {
            match &step.kind {
                StepKind::Read => {}
                StepKind::Quiz(answer) => {
                    let (_, time) = type_line(&mut socket, &reply(answer), &mut screen).await;
                    times.push(("quiz answer", time));
                }
                StepKind::Task(task) => {
                    for line in &task.solution {
                        // Filled when typed: an MFA code is read off the seed then.
                        let mut bindings = remembered(&dir);
                        bindings.insert("myip".into(), myip.clone());
                        let files = Workstation::Emulated(
                            Emulated::open(&dir.join("workstation.json")).expect("workstation"),
                        );
                        let line = check::fill_command(line, &bindings, &files);
                        let (said, time) = type_line(&mut socket, &line, &mut screen).await;
                        times.push((kind_of(&line), time));
                        // Watch mode may tell the pass here, before any `check`.
                        if said.contains("✓") && !said.contains("✗") {
                            passed(passes, id, &step.id);
                        }
                        if time > SLOW {
                            eprintln!("{name}: {} ms for `{line}`", time.as_millis());
                        }
                    }
                    let (said, time) = type_line(&mut socket, "check", &mut screen).await;
                    times.push(("check", time));
                    if time > SLOW {
                        eprintln!("{name}: {} ms for `check` at {}", time.as_millis(), step.id);
                    }
                    if said.contains("✓") && !said.contains("✗") {
                        passed(passes, id, &step.id);
                    }
                }
            }
            type_line(&mut socket, "next", &mut screen).await;
        }
        let saved: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("progress.json")).unwrap_or_default(),
        )
        .unwrap_or(Value::Null);
        for step in &lesson.steps {
            let graded = matches!(step.kind, StepKind::Quiz(_) | StepKind::Task(_));
            if graded && saved["lessons"][&lesson.id][&step.id]["passed"] != true {
                eprintln!("{name}: {}/{} not passed", lesson.id, step.id);
                failed += 1;
            }
        }
    }
    (times, failed)
}

/// Notes the first time the learner's screen showed the step passed.
fn passed(passes: &Passes, learner: i64, step: &str) {
    passes
        .lock()
        .expect("passes")
        .entry((learner, step.to_string()))
        .or_insert_with(Instant::now);
}

fn kind_of(line: &str) -> &'static str {
    // A waiter waits for the instance's own (simulated) boot or shutdown, by design.
    if line.starts_with("aws ec2 wait ") {
        return WAIT;
    }
    match line.split_whitespace().next().unwrap_or_default() {
        "aws" => "aws …",
        "clock" | "bill" => "clock, bill",
        word if word.starts_with('!') => "!command",
        _ => "other",
    }
}

fn reply(answer: &Answer) -> String {
    match answer {
        Answer::Choice { correct, .. } => (correct + 1).to_string(),
        Answer::Number { value, .. } => format!("{value}"),
        Answer::Text { accept } => accept.first().cloned().unwrap_or_default(),
    }
}

/// What the learner's progress remembers (`instance_id` and the like), as the server keeps it.
fn remembered(dir: &std::path::Path) -> Bindings {
    cloudlings::progress::Store::open(dir)
        .map(|(store, _)| store.progress.bindings)
        .unwrap_or_default()
}

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// Types `line` and waits for the prompt after its output: the output and how long it took.
async fn type_line(socket: &mut Socket, line: &str, screen: &mut String) -> (String, Duration) {
    // People read at different speeds: from half to one and a half times the mean, so that
    // the room drifts apart as a real one does instead of typing every line in step.
    let think = THINK.get().copied().unwrap_or_default();
    tokio::time::sleep(think.mul_f64(0.5 + rand::random::<f64>())).await;
    let start = Instant::now();
    socket
        .send(Message::binary(format!("{line}\r").into_bytes()))
        .await
        .expect("send");
    let said = until_prompt(socket, screen).await;
    (said, start.elapsed())
}

/// Reads until the screen ends with a prompt; what came.
async fn until_prompt(socket: &mut Socket, screen: &mut String) -> String {
    screen.clear();
    loop {
        match tokio::time::timeout(Duration::from_secs(120), socket.next()).await {
            Ok(Some(Ok(Message::Binary(bytes)))) => {
                screen.push_str(&String::from_utf8_lossy(&bytes));
                if screen.ends_with("› ") || screen.ends_with("› \u{1b}[0m") {
                    return screen.clone();
                }
            }
            Ok(Some(Ok(_))) => {}
            other => panic!("the terminal stopped: {other:?} after {screen:?}"),
        }
    }
}

/// Joins as the join page does: the session cookie and the learner's number.
async fn join(address: &str, code: &str, name: &str) -> (String, i64) {
    let body = serde_json::json!({ "code": code, "name": name, "lang": "en" }).to_string();
    let (head, answer) = http(
        address,
        &format!(
            "POST /api/join HTTP/1.1\r\nHost: {address}\r\nOrigin: http://{address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    let cookie = head
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: "))
        .and_then(|cookie| cookie.split(';').next())
        .unwrap_or_else(|| panic!("no cookie: {head}"))
        .to_string();
    let answer: Value = serde_json::from_str(&answer).expect("JSON");
    (cookie, answer["Learner"].as_i64().expect("learner"))
}

async fn teacher_cookie(address: &str, path: &str) -> String {
    let (head, _) = http(
        address,
        &format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"),
    )
    .await;
    head.lines()
        .find_map(|line| line.strip_prefix("set-cookie: "))
        .and_then(|cookie| cookie.split(';').next())
        .expect("the instructor's cookie")
        .to_string()
}

/// A whole HTTP exchange: the head (lowercase names) and the body.
async fn http(address: &str, request: &str) -> (String, String) {
    use tokio::io::AsyncReadExt as _;
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("connect");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    (head.to_lowercase(), body.to_string())
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
