//! A classroom's learners in a browser: the join page sets a session cookie, and the page's
//! terminal is a WebSocket to the learner's own cloudlings shell on the server, on their own
//! account and emulated workstation. Driven here as a browser drives it, with a WebSocket
//! client sending the page's `Origin` and cookie; the hostile half sends what a browser
//! would not.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use tokio_tungstenite::tungstenite::{self, Message, client::IntoClientRequest as _};

use crate::classroom::{Room, free_port};

/// A learner's page: its cookie, and its terminal once opened.
pub struct Page {
    socket: tungstenite::WebSocket<TcpStream>,
    /// Everything the terminal showed, without colours.
    screen: String,
    /// How much of `screen` a wait has read.
    read: usize,
}

/// Joins `room` as `name` from the class's page: the session cookie it sets.
pub fn join(room: &Room, name: &str, lang: &str) -> String {
    let body = format!(
        r#"{{"code":"{}","name":"{name}","lang":"{lang}"}}"#,
        room.code
    );
    let origin = format!("http://{}", room.address);
    let addr = room.address.parse().expect("address");
    let answer = crate::emulator::raw_request(
        addr,
        "POST",
        &room.address,
        "/api/join",
        &[("Content-Type", "application/json"), ("Origin", &origin)],
        body.as_bytes(),
    );
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let cookie = answer.header("set-cookie").to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    cookie.split(';').next().expect("name=value").to_string()
}

/// Opens the terminal with `headers` as a page would send them (or would not).
pub fn open(room: &Room, headers: &[(&str, &str)]) -> Result<Page, tungstenite::Error> {
    open_at(room, "/api/terminal", headers)
}

/// Opens the WebSocket at `path` with `headers`.
pub fn open_at(
    room: &Room,
    path: &str,
    headers: &[(&str, &str)],
) -> Result<Page, tungstenite::Error> {
    let mut request = format!("ws://{}{path}", room.address)
        .into_client_request()
        .expect("request");
    for (name, value) in headers {
        request.headers_mut().insert(
            http::HeaderName::from_bytes(name.as_bytes()).expect("name"),
            value.parse().expect("value"),
        );
    }
    let stream = TcpStream::connect(&room.address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let (socket, _) = tungstenite::client(request, stream).map_err(|error| match error {
        tungstenite::HandshakeError::Failure(error) => error,
        tungstenite::HandshakeError::Interrupted(_) => {
            tungstenite::Error::Io(std::io::ErrorKind::TimedOut.into())
        }
    })?;
    Ok(Page {
        socket,
        screen: String::new(),
        read: 0,
    })
}

pub fn page(room: &Room, cookie: &str) -> Page {
    let origin = format!("http://{}", room.address);
    open(room, &[("Origin", &origin), ("Cookie", cookie)]).expect("the terminal opens")
}

impl Page {
    /// Reads the screen until what came since the last wait holds `needle`: that part.
    pub fn until(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(at) = self.screen[self.read..].find(needle) {
                let end = self.read + at + needle.len();
                let part = self.screen[self.read..end].to_string();
                self.read = end;
                return part;
            }
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in {:?}",
                &self.screen[self.read..]
            );
            match self.socket.read() {
                Ok(Message::Binary(bytes)) => {
                    let text = String::from_utf8_lossy(&bytes);
                    self.screen.push_str(&uncoloured(&text));
                }
                Ok(Message::Close(frame)) => panic!("closed: {frame:?} after {:?}", self.screen),
                Ok(_) => {}
                Err(tungstenite::Error::Io(error))
                    if matches!(
                        error.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(error) => panic!("the terminal failed: {error}"),
            }
        }
    }

    /// Types a line and waits for the next prompt: what the line printed.
    pub fn run(&mut self, line: &str) -> String {
        self.keys(&format!("{line}\r"));
        self.until("› ")
    }

    pub fn keys(&mut self, keys: &str) {
        self.socket
            .send(Message::binary(keys.as_bytes().to_vec()))
            .expect("send");
    }

    /// The close code the server ends the socket with.
    pub fn closed_with(mut self) -> u16 {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            match self.socket.read() {
                Ok(Message::Close(Some(frame))) => return frame.code.into(),
                Ok(Message::Close(None)) => return 1005,
                Ok(Message::Binary(bytes)) => {
                    self.screen
                        .push_str(&uncoloured(&String::from_utf8_lossy(&bytes)));
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(error))
                    if matches!(
                        error.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(error) => panic!("no close frame: {error}"),
            }
        }
        panic!(
            "the socket stayed open after {:?}",
            &self.screen[self.read..]
        )
    }
}

/// The learner's cloud, as the panel beside their terminal reads it.
fn console(room: &Room, cookie: &str) -> serde_json::Value {
    let addr = room.address.parse().expect("address");
    let answer = crate::emulator::raw_request(
        addr,
        "GET",
        &room.address,
        "/api/console",
        &[("Cookie", cookie)],
        b"",
    );
    assert_eq!(answer.status, 200);
    serde_json::from_slice(&answer.body).expect("JSON")
}

/// Text without the colours the shell paints for xterm.js.
fn uncoloured(text: &str) -> String {
    let colour = regex::Regex::new("\x1b\\[[0-9;]*m").expect("regex");
    colour.replace_all(text, "").into_owned()
}

#[test]
fn a_learner_joins_in_the_page_and_their_own_shell_answers_in_its_terminal() {
    let state = tempfile::tempdir().expect("state");
    let ports = (free_port(), free_port());
    let room = Room::start(state.path(), 10, ports);
    let home = room.request("GET", "/", b"");
    assert_eq!(home.status, 200);
    assert!(
        String::from_utf8_lossy(&home.body).contains("/assets/join.js"),
        "the join page"
    );
    let ana = join(&room, "Ana", "en");
    let mut terminal = page(&room, &ana);
    let greeting = terminal.until("› ");
    assert!(greeting.contains("Welcome to cloudlings"), "{greeting}");

    // Her own account, her own computer: not the server's.
    let me = terminal.run("aws sts get-caller-identity");
    assert!(me.contains("\"Account\""), "{me}");
    let host_file = state.path().join("host-secret.txt");
    std::fs::write(&host_file, "the server's own file").expect("write");
    let peeked = terminal.run(&format!(
        "!cat {} ../../host-secret.txt /etc/hostname",
        host_file.display()
    ));
    assert!(!peeked.contains("the server's own file"), "{peeked}");
    assert!(peeked.contains("workstation"), "{peeked}");
    let made = terminal.run("!echo 안녕 > note.txt");
    assert!(!made.contains("No such"), "{made}");

    // The panel beside the terminal shows her cloud as she changes it.
    terminal.run("aws ec2 create-security-group --group-name web --description web");
    terminal.run(
        "aws ec2 authorize-security-group-ingress --group-name web --protocol tcp --port 80 --cidr 0.0.0.0/0",
    );
    let cloud = console(&room, &ana);
    let web = cloud["SecurityGroups"]
        .as_array()
        .and_then(|groups| groups.iter().find(|group| group["Name"] == "web"))
        .unwrap_or_else(|| panic!("no group web: {cloud}"));
    assert_eq!(
        web["Inbound"][0],
        serde_json::json!({"Protocol": "tcp", "Ports": "80", "Source": "0.0.0.0/0"})
    );
    assert_eq!(cloud["Bill"]["TotalCents"], 0);

    // A reload: a new socket is sent the screen as it was, and the shell goes on.
    drop(terminal);
    let mut again = page(&room, &ana);
    let kept = again.until("--cidr 0.0.0.0/0");
    assert!(
        kept.contains("Welcome to cloudlings") && kept.contains("note.txt"),
        "{kept}"
    );
    again.until("› ");
    let note = again.run("!cat note.txt");
    assert!(note.contains("안녕"), "{note}");

    // Another learner sees none of it.
    let ben = join(&room, "Ben", "ko");
    let mut other = page(&room, &ben);
    let greeting = other.until("› ");
    assert!(
        greeting.contains("cloudlings에 오신 것을 환영합니다"),
        "{greeting}"
    );
    let theirs = other.run("!cat note.txt");
    assert!(!theirs.contains("안녕"), "{theirs}");
    let their_cloud = console(&room, &ben);
    assert!(
        !their_cloud.to_string().contains("\"web\""),
        "{their_cloud}"
    );
    let account = other.run("aws sts get-caller-identity");
    let account_of = |said: &str| {
        said.split("\"Account\": \"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_string)
    };
    assert_ne!(account_of(&account), account_of(&me));

    // Killed and started again, the class still knows Ana's page, and her computer kept
    // the file.
    drop(again);
    drop(other);
    room.kill();
    let room = Room::start(state.path(), 10, ports);
    let mut back = page(&room, &ana);
    back.until("› ");
    let note = back.run("!cat note.txt");
    assert!(note.contains("안녕"), "{note}");

    // She quits: the page is told the shell ended, and the next page starts another.
    back.keys("quit\r");
    assert_eq!(back.closed_with(), 4001);
    let mut anew = page(&room, &ana);
    let greeting = anew.until("› ");
    assert!(greeting.contains("cloudlings"), "{greeting}");
    let note = anew.run("!cat note.txt");
    assert!(note.contains("안녕"), "{note}");
    room.kill();
}

#[test]
fn the_terminal_opens_only_from_the_class_s_page_with_a_learner_s_cookie() {
    let state = tempfile::tempdir().expect("state");
    let room = Room::start(state.path(), 10, (free_port(), free_port()));
    let ana = join(&room, "Ana", "en");
    let origin = format!("http://{}", room.address);
    let refused = |headers: &[(&str, &str)]| match open(&room, headers) {
        Err(tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(error) => panic!("refused without an answer: {error}"),
        Ok(_) => panic!("opened with {headers:?}"),
    };
    // Another site's page, with the learner's cookie (a browser would not send it
    // SameSite=Strict, but a broken one might): refused by Origin.
    assert_eq!(
        refused(&[("Origin", "http://evil.example"), ("Cookie", &ana)]),
        403
    );
    assert_eq!(refused(&[("Cookie", &ana)]), 403);
    assert_eq!(refused(&[("Origin", &origin)]), 401);
    let forged = format!("cloudlings_learner={}", "0".repeat(64));
    assert_eq!(refused(&[("Origin", &origin), ("Cookie", &forged)]), 401);

    // A message over 64 KiB closes the socket (1009, too big); the shell goes on.
    let mut flood = page(&room, &ana);
    flood.until("› ");
    flood.keys(&"x".repeat(100 * 1024));
    assert_eq!(flood.closed_with(), 1009);
    let mut after = page(&room, &ana);
    after.until("› ");
    let alive = after.run("!echo still here");
    assert!(alive.contains("still here"), "{alive}");
    drop(after);

    // Three pages of one learner at once; the fourth is told why.
    let pages: Vec<Page> = (0..3).map(|_| page(&room, &ana)).collect();
    assert_eq!(page(&room, &ana).closed_with(), 4002);
    drop(pages);

    // A join from another site's page is refused; the pages carry the class's headers;
    // paths outside the embedded files find nothing.
    let addr = room.address.parse().expect("address");
    let foreign = crate::emulator::raw_request(
        addr,
        "POST",
        &room.address,
        "/api/join",
        &[("Origin", "http://evil.example")],
        format!(r#"{{"code":"{}","name":"Eve"}}"#, room.code).as_bytes(),
    );
    assert_eq!(foreign.status, 403);
    for path in ["/", "/assets/xterm.js", "/nothing"] {
        let answer = room.request("GET", path, b"");
        let policy = answer.header("content-security-policy");
        assert!(
            policy.contains("script-src 'self'") && !policy.contains("unsafe-eval"),
            "{path}: {policy}"
        );
        assert_eq!(answer.header("x-content-type-options"), "nosniff");
    }
    for path in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/vendor/xterm/LICENSE",
        "/assets/",
        "/terminal/../Cargo.toml",
    ] {
        assert_eq!(room.request("GET", path, b"").status, 404, "{path}");
    }
    assert_eq!(room.request("GET", "/api/console", b"").status, 401);
    assert_eq!(room.request("GET", "/api/me", b"").status, 401);
    // The terminal page without a session goes back to joining.
    let terminal = room.request("GET", "/terminal", b"");
    assert_eq!(terminal.status, 303);
    assert_eq!(terminal.header("location"), "/");
    room.kill();
}

#[test]
fn the_pages_serve_the_vendored_packages_as_npm_gave_them() {
    let state = tempfile::tempdir().expect("state");
    let room = Room::start(state.path(), 10, (free_port(), free_port()));
    let sums = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/web/vendor/SHA256SUMS"
    ))
    .expect("sums");
    for (served, file) in [
        ("xterm.js", "./xterm/xterm.js"),
        ("xterm.css", "./xterm/xterm.css"),
        ("addon-fit.js", "./addon-fit/addon-fit.js"),
    ] {
        let answer = room.request("GET", &format!("/assets/{served}"), b"");
        assert_eq!(answer.status, 200, "{served}");
        let sum = {
            use sha2::Digest as _;
            hex::encode(sha2::Sha256::digest(&answer.body))
        };
        assert!(
            sums.lines().any(|line| line == format!("{sum}  {file}")),
            "{served} is not the vendored {file}"
        );
    }
    room.kill();
}

#[test]
fn the_class_speaks_tls_with_a_certificate_made_for_it_and_kept() {
    let state = tempfile::tempdir().expect("state");
    let port = free_port();
    let start = || {
        let mut child = std::process::Command::new(crate::BIN)
            .args([
                "classroom",
                "--tls-self-signed",
                "--port",
                &port.to_string(),
            ])
            .args(["--endpoint-port", &free_port().to_string(), "--state"])
            .arg(state.path())
            .env("CLOUDLINGS_LOG", "error")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("classroom");
        let stdout = child.stdout.take().expect("stdout");
        let mut said = Vec::new();
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
            let line = line.expect("line");
            let done = line.starts_with("Instructor's page: ");
            said.push(line);
            if done {
                break;
            }
        }
        (Server(child), said.join("\n"))
    };
    let (child, said) = start();
    let address = format!("127.0.0.1:{port}");
    assert!(
        said.contains(&format!("Learners open: https://{address}/")),
        "{said}"
    );
    let fingerprint = said
        .lines()
        .find_map(|line| line.strip_prefix("The class's certificate: SHA-256 "))
        .unwrap_or_else(|| panic!("no fingerprint in {said}"))
        .to_string();
    let cert = state.path().join("tls/cert.pem");
    let curl = |args: &[&str]| {
        let out = std::process::Command::new("curl")
            .args(["-s", "-m", "10", "-D", "-", "-o", "/dev/null"])
            .args(args)
            .output()
            .expect("curl");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_lowercase(),
        )
    };
    // Trusted as the certificate it printed, the class answers with its headers.
    let page = format!("https://{address}/");
    let (code, head) = curl(&["--cacert", &cert.display().to_string(), &page]);
    assert_eq!(code, Some(0), "{head}");
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-security-policy"), "{head}");
    // Unknown to a client that was not told of it; and plain HTTP gets no answer.
    assert_eq!(curl(&[&page]).0, Some(60));
    let plain = crate::emulator::raw_get(address.parse().expect("address"), &address, "/");
    assert_eq!(plain.status, 0);
    // The session cookie goes over TLS only.
    let origin = format!("Origin: https://{address}");
    let join = format!(r#"{{"code":"{}","name":"Ana"}}"#, code_in(&said));
    let (_, head) = curl(&[
        "--cacert",
        &cert.display().to_string(),
        "-H",
        &origin,
        "-H",
        "Content-Type: application/json",
        "--data",
        &join,
        &format!("https://{address}/api/join"),
    ]);
    assert!(
        head.contains("set-cookie") && head.contains("; secure"),
        "{head}"
    );

    // A learner at their own terminal joins over TLS with the fingerprint the class shows;
    // a wrong one, or none (the certificate is the class's own), is refused with why.
    let joining = said
        .lines()
        .find_map(|line| line.strip_prefix("Learners join with: cloudlings join "))
        .unwrap_or_else(|| panic!("no join line in {said}"));
    let words: Vec<&str> = joining.split_whitespace().collect();
    assert_eq!(
        words,
        [
            format!("https://{address}").as_str(),
            code_in(&said),
            "--fingerprint",
            fingerprint.as_str()
        ]
    );
    let learner = |fingerprint: Option<&str>| {
        let mut cli = crate::Cloudlings::new()
            .arg("--lang")
            .arg("en")
            .arg("join")
            .arg(format!("https://{address}"))
            .arg(code_in(&said))
            .arg("--name")
            .arg("Cy");
        if let Some(fingerprint) = fingerprint {
            cli = cli.arg("--fingerprint").arg(fingerprint);
        }
        cli
    };
    let wrong = ["00"; 32].join(":");
    let refused = learner(Some(&wrong)).session("quit\n").failure();
    assert!(
        refused
            .stderr()
            .contains("not the one whose fingerprint you gave"),
        "{}",
        refused.stderr()
    );
    let unknown = learner(None).session("quit\n").failure();
    assert!(
        unknown.stderr().contains("--fingerprint"),
        "{}",
        unknown.stderr()
    );
    let cy = learner(Some(&fingerprint.to_lowercase().replace(':', "")));
    cy.session("start what-is-the-cloud\nnext\nquit\n")
        .success();
    // Its reports came over TLS too: the instructor's table has Cy at step 2.
    let teacher = said
        .lines()
        .find_map(|line| line.strip_prefix("Instructor's page: "))
        .expect("instructor's page");
    let (_, head) = curl(&["--cacert", &cert.display().to_string(), teacher]);
    let cookie = head
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: "))
        .and_then(|cookie| cookie.split(';').next())
        .expect("cookie")
        .to_string();
    let csv = std::process::Command::new("curl")
        .args(["-s", "-m", "10", "--cacert", &cert.display().to_string()])
        .args(["-H", &format!("Cookie: {cookie}")])
        .arg(format!("https://{address}/api/teacher/progress.csv"))
        .output()
        .expect("curl");
    let csv = String::from_utf8_lossy(&csv.stdout).into_owned();
    assert!(
        csv.contains(",Cy,") && csv.contains(",what-is-the-cloud,definition-quiz,"),
        "{csv}"
    );
    drop(child);

    // Started again, the class keeps its certificate: browsers that trusted it still do.
    let (_child, again) = start();
    assert!(again.contains(&fingerprint), "{again}");
}

/// A class's process, ended with the test, passed or failed.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn code_in(said: &str) -> &str {
    said.lines()
        .find_map(|line| line.strip_prefix("Class code: "))
        .expect("the class code")
}
