//! `cloudlings classroom` and `cloudlings join`: the real binaries, a room of learners who join
//! with the class code and their name, each in an account of their own; the roster and the
//! accounts survive `kill -9`; the class's address refuses what it should.

use std::io::BufRead;
use std::process::{Child, Command, Stdio};

use crate::Cloudlings;

/// A running classroom: the process, its address and its code.
pub struct Room {
    pub child: Child,
    pub address: String,
    pub code: String,
    /// The instructor's page, with its token: `/teacher?token=…`.
    pub teacher: String,
}

/// A port free now, for a server that must come back on the same one after a restart.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

impl Drop for Room {
    /// A test that failed ends its server too: nothing is left holding the test's output.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Room {
    pub fn start(state: &std::path::Path, room: usize, ports: (u16, u16)) -> Room {
        let mut child = Command::new(crate::BIN)
            .arg("classroom")
            .args(["--port", &ports.0.to_string()])
            .args(["--endpoint-port", &ports.1.to_string(), "--room"])
            .arg(room.to_string())
            .arg("--state")
            .arg(state)
            .env("CLOUDLINGS_LOG", "error")
            .stdout(Stdio::piped())
            .spawn()
            .expect("classroom");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let joining = lines
            .by_ref()
            .map(|line| line.expect("line"))
            .find_map(|line| {
                line.strip_prefix("Learners join with: cloudlings join ")
                    .map(str::to_string)
            })
            .expect("the join line");
        let teacher = lines
            .by_ref()
            .map(|line| line.expect("line"))
            .find_map(|line| {
                line.strip_prefix("Instructor's page: http://")
                    .and_then(|rest| rest.split_once('/'))
                    .map(|(_, path)| format!("/{path}"))
            })
            .expect("the instructor's line");
        // The rest is the server's to print; keep reading it so it never blocks.
        std::thread::spawn(move || lines.for_each(drop));
        let (address, code) = joining.split_once(' ').expect("address and code");
        Room {
            child,
            address: address.to_string(),
            code: code.to_string(),
            teacher,
        }
    }

    /// Ends the server at once, as `kill -9` would.
    pub fn kill(self) {
        drop(self);
    }

    pub fn request(&self, method: &str, path: &str, body: &[u8]) -> crate::emulator::Answer {
        let addr = self.address.parse().expect("address");
        let json = [("Content-Type", "application/json")];
        crate::emulator::raw_request(addr, method, &self.address, path, &json, body)
    }

    pub fn post(&self, body: &[u8]) -> (u16, String) {
        let answer = self.request("POST", "/api/join", body);
        (
            answer.status,
            String::from_utf8_lossy(&answer.body).into_owned(),
        )
    }
}

/// A learner with cloudlings, joining `room` as `name` with `code`.
fn learner(room: &Room, name: &str, code: &str) -> Cloudlings {
    Cloudlings::new()
        .arg("--lang")
        .arg("en")
        .arg("join")
        .arg(&room.address)
        .arg(code)
        .arg("--name")
        .arg(name)
}

fn account_in(run: &crate::Run) -> String {
    let said = run.stderr();
    said.split("with the account ")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .unwrap_or_else(|| panic!("no account in {said}"))
        .to_string()
}

#[test]
fn learners_join_with_the_code_each_into_an_account_of_their_own_and_stay_after_kill_9() {
    let state = tempfile::tempdir().expect("state");
    let ports = (free_port(), free_port());
    let room = Room::start(state.path(), 2, ports);
    let ana = learner(&room, "Ana", &room.code);
    let first = ana
        .session("clock advance 2h\nclock\naws sts get-caller-identity\nquit\n")
        .success();
    let account = account_in(&first);
    assert!(
        first
            .answer_to("clock", 1)
            .contains("(2h ahead of real time)")
            && first
                .answer_to("aws sts get-caller-identity", 1)
                .contains(&format!("\"Account\": \"{account}\"")),
        "{}",
        first.stdout()
    );
    let second = learner(&room, "Ben", &room.code)
        .session("clock\nquit\n")
        .success();
    assert_ne!(account_in(&second), account);
    assert!(
        second
            .answer_to("clock", 1)
            .contains("(0s ahead of real time)"),
        "another learner's clock is their own: {}",
        second.stdout()
    );
    let late = learner(&room, "Cy", &room.code).session("quit\n");
    assert_ne!(late.code(), Some(0));
    assert!(
        late.stderr().contains("The room is full"),
        "{}",
        late.stderr()
    );

    // The server dies at once; started again on its state, the class is the same: the
    // code, and Ana back in her own account with her own time.
    let code = room.code.clone();
    room.kill();
    let room = Room::start(state.path(), 2, ports);
    assert_eq!(room.code, code);
    let back = ana.session("clock\nquit\n").success();
    assert_eq!(account_in(&back), account);
    assert!(
        back.answer_to("clock", 1)
            .contains("(2h ahead of real time)"),
        "{}",
        back.stdout()
    );
    room.kill();
}

#[test]
fn the_class_s_address_refuses_what_it_should() {
    let state = tempfile::tempdir().expect("state");
    let room = Room::start(state.path(), 60, (free_port(), free_port()));
    let wrong = learner(&room, "Eve", "AAA-AAA").session("quit\n");
    assert_ne!(wrong.code(), Some(0));
    assert!(
        wrong.stderr().contains("That is not this class's code"),
        "{}",
        wrong.stderr()
    );
    let code = &room.code;
    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (b"not json".to_vec(), 400, "not JSON"),
        (
            format!(r#"{{"code":"{code}","name":"evil\u001b[2J"}}"#).into_bytes(),
            400,
            "control characters",
        ),
        (
            format!(r#"{{"code":"{code}","name":"   "}}"#).into_bytes(),
            400,
            "Give your name",
        ),
        (vec![b'x'; 64 * 1024], 413, "too large"),
    ];
    for (body, status, says) in cases {
        let (got, text) = room.post(&body);
        assert_eq!(got, status, "{text}");
        assert!(text.contains(says), "{text}");
    }
    // Guessing codes from one address is slowed to a few tries a second, and once the tries
    // are spent, the right code waits too: trying tells nothing.
    let statuses: Vec<u16> = (0..8)
        .map(|_| room.post(br#"{"code":"AAA-AAA","name":"x"}"#).0)
        .collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    let right = format!(r#"{{"code":"{code}","name":"Dee"}}"#);
    assert_eq!(room.post(right.as_bytes()).0, 429);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (status, joined) = room.post(right.as_bytes());
    assert_eq!(status, 200, "{joined}");
    assert!(joined.contains("\"Name\":\"Dee\""), "{joined}");
    assert_eq!(room.request("GET", "/nothing", b"").status, 404);
    room.kill();
}

#[test]
fn the_class_is_backed_up_while_it_runs_and_starts_again_from_the_copy() {
    let state = tempfile::tempdir().expect("state");
    let room = Room::start(state.path(), 10, (free_port(), free_port()));
    let ana = crate::web_terminal::join(&room, "Ana", "en");
    let mut terminal = crate::web_terminal::page(&room, &ana);
    terminal.until("› ");
    terminal.run("start what-is-the-cloud");
    terminal.run("next");
    terminal.run("aws s3 mb s3://ana-kept-7");
    terminal.run("!echo kept bytes > note.txt");
    let copied = terminal.run("aws s3 cp note.txt s3://ana-kept-7/note.txt");
    assert!(copied.contains("upload:"), "{copied}");

    // While the class runs.
    let folder = tempfile::tempdir().expect("backups");
    let to = folder.path().join("monday");
    let cli = Cloudlings::new();
    let state_arg = state.path().to_str().expect("path");
    let to_arg = to.to_str().expect("path");
    let made = cli
        .run(&["classroom", "--state", state_arg, "backup", to_arg])
        .success();
    assert!(
        made.stdout()
            .contains("1 learners, 2 accounts, 1 buckets, 1 objects"),
        "{}",
        made.stdout()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&to).expect("backup").permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "it holds every learner's keys");
    }
    // What happens after the backup is not in it.
    terminal.run("aws s3 mb s3://ana-later-7");
    drop(terminal);

    // A folder that holds files, or a folder with no class, is refused with why.
    let again = cli
        .run(&["classroom", "--state", state_arg, "backup", to_arg])
        .failure();
    assert!(
        again.stderr().contains("already holds files"),
        "{}",
        again.stderr()
    );
    let under_a_file = to.join("classroom.db").join("x");
    let nowhere = cli
        .run(&[
            "classroom",
            "--state",
            to_arg,
            "backup",
            under_a_file.to_str().expect("path"),
        ])
        .failure();
    assert!(
        nowhere.stderr().contains("cannot create"),
        "{}",
        nowhere.stderr()
    );
    let empty = tempfile::tempdir().expect("empty");
    let no_class = cli
        .run(&[
            "classroom",
            "--state",
            empty.path().to_str().expect("path"),
            "backup",
            folder.path().join("x").to_str().expect("path"),
        ])
        .failure();
    assert!(
        no_class.stderr().contains("holds no class"),
        "{}",
        no_class.stderr()
    );
    room.kill();

    // The class starts again from the copy: Ana's session, progress, bucket and object.
    let room = Room::start(&to, 10, (free_port(), free_port()));
    let mut terminal = crate::web_terminal::page(&room, &ana);
    terminal.until("› ");
    let progress = terminal.run("progress");
    assert!(progress.contains("What is the cloud"), "{progress}");
    let buckets = terminal.run("aws s3 ls");
    assert!(
        buckets.contains("ana-kept-7") && !buckets.contains("ana-later-7"),
        "{buckets}"
    );
    terminal.run("aws s3 cp s3://ana-kept-7/note.txt back.txt");
    let object = terminal.run("!cat back.txt");
    assert!(object.contains("kept bytes"), "{object}");
    room.kill();
}
