//! The instructor's side of a classroom: the token printed at start opens their page and
//! becomes their cookie; the live table (server-sent events) shows each learner's step,
//! help and last check as they go, browser and terminal learners alike; the instructor moves
//! a learner's clock, resets their step, sends the class a message, watches a terminal
//! without typing in it, and exports the progress. Nobody else can do any of it.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::Cloudlings;
use crate::classroom::{Room, free_port};
use crate::web_terminal::{join, open_at, page};

/// The instructor's cookie, from the address the classroom printed.
fn teacher_cookie(room: &Room) -> String {
    let answer = room.request("GET", &room.teacher, b"");
    assert_eq!(answer.status, 303);
    assert_eq!(answer.header("location"), "/teacher");
    let cookie = answer.header("set-cookie").to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    cookie.split(';').next().expect("name=value").to_string()
}

/// The table's event stream, as the instructor's page reads it.
struct Events {
    lines: BufReader<TcpStream>,
}

impl Events {
    fn open(room: &Room, cookie: &str) -> Events {
        let mut stream = TcpStream::connect(&room.address).expect("connect");
        write!(
            stream,
            "GET /api/teacher/events HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n",
            room.address
        )
        .expect("send");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let mut lines = BufReader::new(stream);
        let mut status = String::new();
        lines.read_line(&mut status).expect("status");
        assert!(status.contains(" 200 "), "{status}");
        Events { lines }
    }

    /// The next table that `wanted` accepts.
    fn until(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut line = String::new();
        while Instant::now() < deadline {
            line.clear();
            self.lines.read_line(&mut line).expect("an event");
            // Chunked: each event is a chunk, its `data:` line whole.
            if let Some(data) = line.trim_end().strip_prefix("data: ") {
                let table: Value = serde_json::from_str(data).expect("JSON");
                if wanted(&table) {
                    return table;
                }
            }
        }
        panic!("no such table came");
    }
}

fn learner<'a>(table: &'a Value, name: &str) -> &'a Value {
    table["learners"]
        .as_array()
        .and_then(|learners| learners.iter().find(|learner| learner["name"] == name))
        .unwrap_or(&Value::Null)
}

fn post(room: &Room, cookie: &str, action: &str, body: &str, origin: Option<&str>) -> u16 {
    let addr = room.address.parse().expect("address");
    let own = format!("http://{}", room.address);
    let mut headers = vec![("Content-Type", "application/json"), ("Cookie", cookie)];
    headers.push(("Origin", origin.unwrap_or(&own)));
    crate::emulator::raw_request(
        addr,
        "POST",
        &room.address,
        &format!("/api/teacher/{action}"),
        &headers,
        body.as_bytes(),
    )
    .status
}

#[test]
fn the_instructor_sees_each_learner_s_step_and_check_as_they_go_and_acts_for_them() {
    let state = tempfile::tempdir().expect("state");
    let ports = (free_port(), free_port());
    let room = Room::start(state.path(), 10, ports);
    let teacher = teacher_cookie(&room);
    let mut events = Events::open(&room, &teacher);
    let first = events.until(|_| true);
    assert_eq!(first["code"], room.code.as_str());
    assert_eq!(first["lessons"].as_array().map(Vec::len), Some(9));

    // A browser learner: their step shows, then the failed check with its reason, then
    // the pass.
    let ana = join(&room, "Ana", "en");
    let mut terminal = page(&room, &ana);
    terminal.until("› ");
    let table = events.until(|table| learner(table, "Ana")["online"] == true);
    assert_eq!(learner(&table, "Ana")["browser"], true);
    terminal.run("start what-is-the-cloud");
    let table =
        events.until(|table| learner(table, "Ana")["report"]["lesson"] == "what-is-the-cloud");
    assert_eq!(learner(&table, "Ana")["report"]["step_number"], 1);
    // Straight to the task: the steps before it are read and answered.
    let course = cloudlings::lesson::Course::embedded();
    let lesson = &course.lessons[0];
    for step in &lesson.steps {
        if step.id == "lab-folder" {
            break;
        }
        if let cloudlings::lesson::StepKind::Quiz(answer) = &step.kind {
            terminal.run(&crate::course::reply(answer));
        }
        terminal.run("next");
    }
    terminal.run("!touch cloudlings-lab");
    terminal.run("check");
    let table = events.until(|table| !learner(table, "Ana")["report"]["last_check"].is_null());
    let check = &learner(&table, "Ana")["report"]["last_check"];
    assert_eq!(check["passed"], false);
    assert!(
        check["reasons"][0]
            .as_str()
            .is_some_and(|reason| reason.contains("is a file, not a folder")),
        "{check}"
    );
    terminal.run("!rm cloudlings-lab");
    terminal.run("!mkdir cloudlings-lab");
    terminal.run("!chmod 700 cloudlings-lab");
    terminal.run("check");
    let table =
        events.until(|table| learner(table, "Ana")["report"]["last_check"]["passed"] == true);
    assert_eq!(
        learner(&table, "Ana")["report"]["failures"],
        1,
        "one failed check at this step"
    );

    // A learner at their own terminal shows on the same table.
    Cloudlings::new()
        .arg("--lang")
        .arg("ko")
        .arg("join")
        .arg(&room.address)
        .arg(&room.code)
        .arg("--name")
        .arg("지민")
        .session("start what-is-the-cloud\nnext\nquit\n")
        .success();
    let table = events.until(|table| learner(table, "지민")["report"]["step_number"] == 2);
    assert_eq!(learner(&table, "지민")["browser"], false);

    // The instructor moves Ana's clock, and only hers.
    let ana_id = learner(&table, "Ana")["id"].as_i64().expect("id");
    let body = format!(r#"{{"learner":{ana_id},"advance":"3h"}}"#);
    assert_eq!(post(&room, &teacher, "clock", &body, None), 200);
    let clock = terminal.run("clock");
    assert!(clock.contains("(3h ahead of real time)"), "{clock}");

    // A message reaches her terminal as text; a reset runs in her shell, shown.
    let message = r#"{"learner":"all","text":"Break: 10 minutes \u001b[2J"}"#;
    assert_eq!(post(&room, &teacher, "message", message, None), 200);
    let shown = terminal.until("10 minutes");
    assert!(shown.contains("📣 Break"), "{shown}");
    terminal.until("› ");
    let reset = r#"{"learner":"all","scope":"step"}"#;
    assert_eq!(post(&room, &teacher, "reset", reset, None), 200);
    let ran = terminal.until("reset step --yes");
    assert!(!ran.is_empty());
    terminal.until("› ");

    // Watching her terminal shows her screen; what the watcher types goes nowhere.
    let origin = format!("http://{}", room.address);
    let mut watcher = open_at(
        &room,
        &format!("/api/teacher/terminal?learner={ana_id}"),
        &[("Origin", &origin), ("Cookie", &teacher)],
    )
    .expect("the instructor watches");
    watcher.until("Welcome to cloudlings");
    watcher.keys("!echo typed-by-the-watcher > x.txt\r");
    let looked = terminal.run("!cat x.txt");
    assert!(looked.contains("No such file"), "{looked}");
    terminal.run("!echo seen");
    watcher.until("seen");

    // The progress, as CSV.
    let addr = room.address.parse().expect("address");
    let csv = crate::emulator::raw_request(
        addr,
        "GET",
        &room.address,
        "/api/teacher/progress.csv",
        &[("Cookie", &teacher)],
        b"",
    );
    assert_eq!(csv.status, 200);
    let csv = String::from_utf8(csv.body).expect("UTF-8");
    assert!(csv.contains("learner,name,account,lesson,step"), "{csv}");
    assert!(csv.contains(",지민,"), "{csv}");
    drop(watcher);
    drop(terminal);

    // Killed and started again, the table is as it was.
    room.kill();
    let room = Room::start(state.path(), 10, ports);
    let mut events = Events::open(&room, &teacher);
    let table = events.until(|_| true);
    assert_eq!(
        learner(&table, "Ana")["report"]["lesson"],
        "what-is-the-cloud"
    );
    assert_eq!(learner(&table, "지민")["report"]["step_number"], 2);
    room.kill();
}

#[test]
fn the_instructor_gives_one_learner_a_new_empty_cloud_and_nobody_else_s_changes() {
    let state = tempfile::tempdir().expect("state");
    let ports = (free_port(), free_port());
    let room = Room::start(state.path(), 10, ports);
    let teacher = teacher_cookie(&room);
    let image = cloudlings_core::catalog::family_image("ami_ubuntu")
        .expect("ubuntu")
        .id_in(cloudlings_core::catalog::DEFAULT_REGION);
    let objects = || {
        std::fs::read_dir(state.path().join("objects"))
            .map(|dir| dir.count())
            .unwrap_or_default()
    };

    // Ana fills her cloud: a group, a key pair, an instance, a user, a bucket with an object,
    // and her own time two hours ahead. Bo has a bucket of his own.
    let ana = join(&room, "Ana", "en");
    let mut terminal = page(&room, &ana);
    terminal.until("› ");
    terminal.run("start what-is-the-cloud");
    terminal.run("aws ec2 create-security-group --group-name web --description web");
    terminal.run("aws ec2 create-key-pair --key-name ana --query KeyName");
    let launched = terminal.run(&format!(
        "aws ec2 run-instances --image-id {image} --instance-type t2.micro --query Instances[0].InstanceId --output text"
    ));
    assert!(launched.contains("i-"), "{launched}");
    terminal.run("aws iam create-user --user-name helper");
    terminal.run("aws iam create-access-key --user-name helper");
    terminal.run("aws s3 mb s3://ana-photos-31");
    terminal.run("!echo photo > cat.jpg");
    let copied = terminal.run("aws s3 cp cat.jpg s3://ana-photos-31/cat.jpg");
    assert!(copied.contains("upload:"), "{copied}");
    let ahead = terminal.run("clock advance 2h");
    assert!(ahead.contains("(2h ahead"), "{ahead}");
    let bo = join(&room, "Bo", "ko");
    let mut bo_terminal = page(&room, &bo);
    bo_terminal.until("› ");
    bo_terminal.run("aws s3 mb s3://bo-photos-31");
    let kept = objects();
    assert!(kept >= 1, "Ana's object is on disk");

    // Learners are numbered in the order they joined.
    let body = r#"{"learner":1,"scope":"cloud"}"#;
    assert_eq!(post(&room, &teacher, "reset", body, None), 200);
    let told = terminal.until("All progress is cleared");
    assert!(told.contains("new, empty cloud"), "{told}");
    terminal.until("› ");

    let empty = [
        (
            "aws ec2 describe-instances --query Reservations --output text",
            "",
        ),
        (
            "aws ec2 describe-key-pairs --query KeyPairs --output text",
            "",
        ),
        ("aws iam list-users --query Users --output text", ""),
        ("aws s3 ls", ""),
    ];
    let look = |terminal: &mut crate::web_terminal::Page| {
        for (line, _) in empty {
            let said = terminal.run(line);
            let answer = said.split_once('\n').map_or("", |(_, rest)| rest);
            let answer = answer.trim_end_matches("› ").trim();
            assert!(
                !answer.contains("i-") && !answer.contains("ana") && !answer.contains("helper"),
                "{line}: {said}"
            );
        }
        let groups = terminal.run(
            "aws ec2 describe-security-groups --query SecurityGroups[].GroupName --output text",
        );
        assert!(
            groups.contains("default") && !groups.contains("web"),
            "{groups}"
        );
        let clock = terminal.run("clock");
        assert!(clock.contains("(0s ahead"), "{clock}");
    };
    look(&mut terminal);
    assert_eq!(objects(), kept - 1, "the object's bytes went with it");
    // Bo's cloud is as it was; the bucket's name is Ana's to take again.
    let his = bo_terminal.run("aws s3 ls");
    assert!(his.contains("bo-photos-31"), "{his}");
    drop((terminal, bo_terminal));

    room.kill();
    let room = Room::start(state.path(), 10, ports);
    let mut terminal = page(&room, &ana);
    terminal.until("› ");
    look(&mut terminal);
    let again = terminal.run("aws s3 mb s3://ana-photos-31");
    assert!(again.contains("make_bucket"), "{again}");
    let mut bo_terminal = page(&room, &bo);
    bo_terminal.until("› ");
    let his = bo_terminal.run("aws s3 ls");
    assert!(his.contains("bo-photos-31"), "{his}");
    room.kill();
}

#[test]
fn a_learner_at_their_own_terminal_is_online_and_hears_the_instructor() {
    let state = tempfile::tempdir().expect("state");
    let room = Room::start(state.path(), 10, (free_port(), free_port()));
    let teacher = teacher_cookie(&room);
    let mut events = Events::open(&room, &teacher);
    let cy = Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .arg("join")
        .arg(&room.address)
        .arg(&room.code)
        .arg("--name")
        .arg("Cy");
    let mut shell = cy
        .command()
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("join");
    let mut typing = shell.stdin.take().expect("stdin");
    let mut said = shell.stdout.take().expect("stdout");
    let screen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let reader = {
        let screen = screen.clone();
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = std::io::Read::read(&mut said, &mut chunk) {
                screen
                    .lock()
                    .expect("screen")
                    .push_str(&String::from_utf8_lossy(&chunk[..n]));
            }
        })
    };
    let shown = |needle: &str| screen.lock().expect("screen").contains(needle);
    let wait_for = |needle: &str, typing: &mut std::process::ChildStdin| {
        // The shell takes what the class sent at its next prompt: a line brings one.
        for _ in 0..100 {
            if shown(needle) {
                return;
            }
            writeln!(typing, "lessons").expect("type");
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "{needle:?} never showed: {}",
            screen.lock().expect("screen")
        );
    };

    writeln!(typing, "start what-is-the-cloud").expect("type");
    writeln!(
        typing,
        "aws ec2 create-security-group --group-name cy-web --description web"
    )
    .expect("type");
    wait_for("GroupId", &mut typing);
    let table = events.until(|table| {
        learner(table, "Cy")["online"] == true
            && learner(table, "Cy")["report"]["lesson"] == "what-is-the-cloud"
    });
    assert_eq!(learner(&table, "Cy")["browser"], false);
    let cy_id = learner(&table, "Cy")["id"].as_i64().expect("id");

    let message = format!(r#"{{"learner":{cy_id},"text":"Lunch at noon \u001b[2J"}}"#);
    assert_eq!(post(&room, &teacher, "message", &message, None), 200);
    wait_for("📣 Lunch at noon ^[[2J", &mut typing);
    let reset = format!(r#"{{"learner":{cy_id},"scope":"cloud"}}"#);
    assert_eq!(post(&room, &teacher, "reset", &reset, None), 200);
    wait_for("All progress is cleared", &mut typing);
    assert!(shown("new, empty cloud"));
    writeln!(
        typing,
        "aws ec2 describe-security-groups --query SecurityGroups[].GroupName --output text"
    )
    .expect("type");
    writeln!(typing, "quit").expect("type");
    drop(typing);
    assert!(shell.wait().expect("shell").success());
    reader.join().expect("reader");
    let screen = screen.lock().expect("screen").clone();
    let groups = screen
        .rsplit("describe-security-groups")
        .next()
        .unwrap_or_default();
    assert!(
        groups.contains("default") && !groups.contains("cy-web"),
        "{groups}"
    );
    // Gone from the table's online learners once the shell quit.
    events.until(|table| learner(table, "Cy")["online"] == false);

    // The notices are the learner's own: no session, a browser's cookie, another verb.
    let addr = room.address.parse().expect("address");
    let browser = join(&room, "Di", "en");
    for (method, headers) in [
        ("GET", vec![]),
        ("GET", vec![("Cookie", browser.as_str())]),
        ("GET", vec![("Authorization", "Bearer 0000")]),
    ] {
        let answer = crate::emulator::raw_request(
            addr,
            method,
            &room.address,
            "/api/notices",
            &headers,
            b"",
        );
        assert_eq!(answer.status, 401, "{headers:?}");
    }
    let answer =
        crate::emulator::raw_request(addr, "POST", &room.address, "/api/notices", &[], b"");
    assert_eq!(answer.status, 405);
    room.kill();
}

#[test]
fn only_the_instructor_reaches_the_instructor_s_page_and_actions() {
    let state = tempfile::tempdir().expect("state");
    let room = Room::start(state.path(), 10, (free_port(), free_port()));
    let ana = join(&room, "Ana", "en");
    let teacher = teacher_cookie(&room);
    let addr = room.address.parse().expect("address");
    let get = |path: &str, cookie: &str| {
        crate::emulator::raw_request(addr, "GET", &room.address, path, &[("Cookie", cookie)], b"")
            .status
    };
    for path in [
        "/teacher",
        "/api/teacher/events",
        "/api/teacher/progress.csv",
    ] {
        assert_eq!(get(path, ""), 401, "{path} without a cookie");
        assert_eq!(get(path, &ana), 401, "{path} with a learner's cookie");
        let forged = format!("cloudlings_teacher={}", "0".repeat(48));
        assert_eq!(get(path, &forged), 401, "{path} with a forged cookie");
    }
    assert_eq!(get("/teacher", &teacher), 200);

    // Actions: the instructor's cookie alone is not enough from another site's page.
    let clock = r#"{"learner":"all","advance":"1h"}"#;
    assert_eq!(post(&room, &ana, "clock", clock, None), 401);
    assert_eq!(
        post(&room, &teacher, "clock", clock, Some("http://evil.example")),
        403
    );
    let long = format!(r#"{{"learner":"all","text":"{}"}}"#, "a".repeat(501));
    let refusals = [
        ("clock", "not json", 400),
        ("clock", r#"{"learner":"all","advance":"soon"}"#, 400),
        ("message", r#"{"learner":"all","text":""}"#, 400),
        ("message", long.as_str(), 400),
        ("reset", r#"{"learner":"all","scope":"cloud; rm"}"#, 400),
        ("reset", r#"{"learner":999,"scope":"cloud"}"#, 400),
        ("clock", r#"{"learner":999,"advance":"1h"}"#, 400),
    ];
    for (action, body, status) in refusals {
        assert_eq!(
            post(&room, &teacher, action, body, None),
            status,
            "{action} {body}"
        );
    }
    assert_eq!(post(&room, &teacher, "nothing", clock, None), 404);
    assert_eq!(post(&room, &teacher, "clock", clock, None), 200);

    // A learner cannot watch another's terminal, nor the instructor's way in.
    let origin = format!("http://{}", room.address);
    let refused = open_at(
        &room,
        "/api/teacher/terminal?learner=1",
        &[("Origin", &origin), ("Cookie", &ana)],
    );
    assert!(
        matches!(refused, Err(tokio_tungstenite::tungstenite::Error::Http(ref response)) if response.status() == 401),
        "{:?}",
        refused.err()
    );

    // Guessing the token is slowed, as guessing the code is.
    let statuses: Vec<u16> = (0..8)
        .map(|_| get(&format!("/teacher?token={}", "1".repeat(48)), ""))
        .collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    room.kill();
}
