//! A learner in a browser, as the classroom's page drives its terminal: joins with the class
//! code, opens the terminal's WebSocket, and walks lessons typing each step's commands (quiz
//! answers, solutions, `check`, `next`) at a reader's pace. Shared by the classroom benchmark
//! and the test that kills the class under that load, which is why it notes what the class
//! acknowledged: the steps it told passed and the resources whose making it answered.

use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::Value;
use tokio::io::AsyncWriteExt as _;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;

use cloudlings::check::{self, Bindings};
use cloudlings::lang::Lang;
use cloudlings::lesson::{Answer, Course, StepKind};
use cloudlings::shell::messages as msg;
use cloudlings::workstation::{Emulated, Workstation};

/// The kind of the lines that wait for an instance to boot or stop.
pub const WAIT: &str = "aws ec2 wait (an instance's boot)";

pub type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// What the class acknowledged to a learner: it answered, and the prompt came back.
#[derive(Debug, Default, Clone)]
pub struct Acknowledged {
    /// Steps told passed, as (lesson, step).
    pub steps: Vec<(String, String)>,
    /// Instances launched, with whether their termination was answered too.
    pub instances: Vec<(String, bool)>,
    pub key_pairs: Vec<String>,
}

/// What one learner's walk came to.
#[derive(Debug, Default)]
pub struct Walked {
    pub id: i64,
    pub cookie: String,
    /// Each line's latency, by kind.
    pub times: Vec<(&'static str, Duration)>,
    /// Graded steps not passed at the end of a lesson the walk finished.
    pub failed: usize,
    pub acknowledged: Acknowledged,
    /// The class went away under the walk.
    pub cut: bool,
}

/// How a walk goes.
pub struct Walk<'a> {
    pub address: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    pub course: &'a Course,
    pub lessons: usize,
    /// The class's state folder, where the learner's progress is read from.
    pub state: &'a Path,
    /// Mean reading time before each line (each one from half to one and a half times it).
    pub think: Duration,
    /// Told once of each task the learner saw pass, as (learner, step).
    pub on_pass: &'a (dyn Fn(i64, &str) + Sync),
    /// A line slower than this is named on standard error.
    pub slow: Duration,
}

impl Walk<'_> {
    pub async fn run(&self) -> Walked {
        let (cookie, id) = join(self.address, self.code, self.name).await;
        let mut walked = Walked {
            id,
            cookie: cookie.clone(),
            ..Walked::default()
        };
        let Some(mut terminal) = Terminal::open(self.address, &cookie).await else {
            walked.cut = true;
            return walked;
        };
        if self.walk(&mut terminal, id, &mut walked).await.is_none() {
            walked.cut = true;
        }
        walked
    }

    /// `None` once the class went away.
    async fn walk(&self, terminal: &mut Terminal, id: i64, walked: &mut Walked) -> Option<()> {
        let dir = self.state.join("learners").join(id.to_string());
        // A pass as `check` tells it, as watch mode tells it, and a right answer.
        let (passed, noticed) = (msg::task_passed(Lang::En), msg::noticed(Lang::En));
        let right = msg::right_answer(Lang::En);
        let myip = self.line(terminal, "myip").await?.0;
        let myip = myip.lines().nth(1).unwrap_or_default().trim().to_string();
        for lesson in self.course.lessons.iter().take(self.lessons) {
            self.line(terminal, &format!("start {}", lesson.id)).await?;
            for step in &lesson.steps {
                // Once a step: watch mode may tell a pass that `check` then tells again.
                let told = |said: &str, walked: &mut Walked| {
                    let task = said.contains(&passed) || said.contains(&noticed);
                    let here = (lesson.id.clone(), step.id.clone());
                    if !(task || said.contains(&right))
                        || walked.acknowledged.steps.last() == Some(&here)
                    {
                        return;
                    }
                    walked.acknowledged.steps.push(here);
                    // A task's check is what the instructor's table shows as it passes.
                    if task {
                        (self.on_pass)(id, &step.id);
                    }
                };
                match &step.kind {
                    StepKind::Read => {}
                    StepKind::Quiz(answer) => {
                        let (said, time) = self.line(terminal, &reply(answer)).await?;
                        walked.times.push(("quiz answer", time));
                        told(&said, walked);
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
                            let (said, time) = self.line(terminal, &line).await?;
                            walked.times.push((kind_of(&line), time));
                            made(&line, &said, &mut walked.acknowledged);
                            // Watch mode may tell the pass here, before any `check`.
                            told(&said, walked);
                        }
                        let (said, time) = self.line(terminal, "check").await?;
                        walked.times.push(("check", time));
                        told(&said, walked);
                    }
                }
                self.line(terminal, "next").await?;
            }
            let saved = remembered_progress(&dir);
            for step in &lesson.steps {
                let graded = matches!(step.kind, StepKind::Quiz(_) | StepKind::Task(_));
                if graded && saved["lessons"][&lesson.id][&step.id]["passed"] != true {
                    eprintln!("{}: {}/{} not passed", self.name, lesson.id, step.id);
                    walked.failed += 1;
                }
            }
        }
        Some(())
    }

    /// Reads a moment, types `line`, and waits for the prompt after its output.
    async fn line(&self, terminal: &mut Terminal, line: &str) -> Option<(String, Duration)> {
        tokio::time::sleep(self.think.mul_f64(0.5 + rand::random::<f64>())).await;
        let (said, time) = terminal.run(line).await?;
        if time > self.slow {
            eprintln!("{}: {} ms for `{line}`", self.name, time.as_millis());
        }
        Some((said, time))
    }
}

/// Notes what a line made that the class answered for.
fn made(line: &str, said: &str, acknowledged: &mut Acknowledged) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let after = |flag: &str| {
        words
            .iter()
            .position(|word| *word == flag)
            .and_then(|at| words.get(at + 1))
            .map(|word| word.to_string())
    };
    if said.contains("An error occurred") || said.contains("error:") {
        return;
    }
    if line.starts_with("aws ec2 run-instances") {
        for id in ids(said, "i-") {
            acknowledged.instances.push((id, false));
        }
    } else if line.starts_with("aws ec2 terminate-instances") {
        let gone = after("--instance-ids").unwrap_or_default();
        for (id, terminated) in &mut acknowledged.instances {
            if *id == gone {
                *terminated = true;
            }
        }
    } else if line.starts_with("aws ec2 create-key-pair")
        && let Some(name) = after("--key-name")
    {
        acknowledged.key_pairs.push(name);
    }
}

/// The ids in `text` that start with `prefix` (`i-0abc…`).
pub fn ids(text: &str, prefix: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices(prefix) {
        let id: String = text[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let before = text[..at].chars().next_back();
        if id.len() > prefix.len() + 7
            && !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
            && !found.contains(&id)
        {
            found.push(id);
        }
    }
    found
}

/// A learner's terminal page, as far as its socket goes.
pub struct Terminal {
    socket: Socket,
    screen: String,
}

impl Terminal {
    /// Opens the terminal with the learner's cookie, and waits for the first prompt.
    pub async fn open(address: &str, cookie: &str) -> Option<Terminal> {
        let mut request = format!("ws://{address}/api/terminal")
            .into_client_request()
            .expect("request");
        let headers = request.headers_mut();
        headers.insert(
            "Origin",
            format!("http://{address}").parse().expect("origin"),
        );
        headers.insert("Cookie", cookie.parse().expect("cookie"));
        let stream = tokio::net::TcpStream::connect(address).await.ok()?;
        let (socket, _) = tokio_tungstenite::client_async(request, stream)
            .await
            .ok()?;
        let mut terminal = Terminal {
            socket,
            screen: String::new(),
        };
        terminal.until_prompt().await?;
        Some(terminal)
    }

    /// Types `line` and waits for the prompt after its output: the output and how long it
    /// took; `None` if the class went away first.
    pub async fn run(&mut self, line: &str) -> Option<(String, Duration)> {
        let start = Instant::now();
        self.socket
            .send(Message::binary(format!("{line}\r").into_bytes()))
            .await
            .ok()?;
        let said = self.until_prompt().await?;
        Some((said, start.elapsed()))
    }

    /// Reads until the screen ends with a prompt; what came.
    async fn until_prompt(&mut self) -> Option<String> {
        self.screen.clear();
        loop {
            match tokio::time::timeout(Duration::from_secs(120), self.socket.next()).await {
                Ok(Some(Ok(Message::Binary(bytes)))) => {
                    self.screen.push_str(&String::from_utf8_lossy(&bytes));
                    if self.screen.ends_with("› ") || self.screen.ends_with("› \u{1b}[0m") {
                        return Some(self.screen.clone());
                    }
                }
                Ok(Some(Ok(_))) => {}
                Ok(None | Some(Err(_))) => return None,
                Err(_) => panic!(
                    "the terminal said nothing for 2 minutes after {:?}",
                    self.screen
                ),
            }
        }
    }
}

pub fn kind_of(line: &str) -> &'static str {
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

/// What the learner's progress remembers (`instance_id` and the like), as the class keeps it.
fn remembered(dir: &Path) -> Bindings {
    cloudlings::progress::Store::open(dir)
        .map(|(store, _)| store.progress.bindings)
        .unwrap_or_default()
}

/// The learner's progress file, as JSON.
pub fn remembered_progress(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("progress.json")).unwrap_or_default())
        .unwrap_or(Value::Null)
}

/// Joins as the join page does: the session cookie and the learner's number.
pub async fn join(address: &str, code: &str, name: &str) -> (String, i64) {
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

/// The instructor's cookie, from the address the class printed.
pub async fn teacher_cookie(address: &str, path: &str) -> String {
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
pub async fn http(address: &str, request: &str) -> (String, String) {
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

/// What of `walked`'s acknowledged steps and resources the class no longer has (after a
/// restart): each as a sentence; none when all is there. Looks through the learner's own
/// page, with the cookie they had.
pub async fn missing(address: &str, state: &Path, walked: &Walked) -> Vec<String> {
    let mut missing = Vec::new();
    let dir = state.join("learners").join(walked.id.to_string());
    let progress = remembered_progress(&dir);
    let acknowledged = &walked.acknowledged;
    for (lesson, step) in &acknowledged.steps {
        if progress["lessons"][lesson][step]["passed"] != true {
            missing.push(format!("learner {}: step {lesson}/{step}", walked.id));
        }
    }
    let Some(mut terminal) = Terminal::open(address, &walked.cookie).await else {
        missing.push(format!("learner {}: their page", walked.id));
        return missing;
    };
    if !acknowledged.instances.is_empty() {
        let ids: Vec<&str> = acknowledged
            .instances
            .iter()
            .map(|(id, _)| id.as_str())
            .collect();
        let (said, _) = terminal
            .run(&format!(
                "aws ec2 describe-instances --instance-ids {} --query Reservations[].Instances[].[InstanceId,State.Name] --output text",
                ids.join(" ")
            ))
            .await
            .unwrap_or_default();
        for (id, terminated) in &acknowledged.instances {
            let line = said.lines().find(|line| line.starts_with(id.as_str()));
            let state = line.and_then(|line| line.split_whitespace().nth(1));
            let fine = match state {
                None => false,
                Some("shutting-down" | "terminated") => true,
                Some(_) => !terminated,
            };
            if !fine {
                missing.push(format!(
                    "learner {}: instance {id} (terminated: {terminated}) is {state:?}",
                    walked.id
                ));
            }
        }
    }
    if !acknowledged.key_pairs.is_empty() {
        let (said, _) = terminal
            .run("aws ec2 describe-key-pairs --query KeyPairs[].KeyName --output text")
            .await
            .unwrap_or_default();
        for name in &acknowledged.key_pairs {
            if !said.split_whitespace().any(|word| word == name) {
                missing.push(format!("learner {}: key pair {name}", walked.id));
            }
        }
    }
    missing
}
