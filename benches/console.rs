//! The web console as a class uses it: signing in (an Argon2id check per attempt), the
//! instances page of an account with 20 instances, and the bill page, which draws the month
//! day by day; over keep-alive connections, the way a browser asks.
//!
//! `cargo bench --bench console` prints requests per second and latency; pass a duration in
//! seconds after `--` to change the default of 3 seconds per measurement.

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_ec2::types::InstanceType;
use cloudlings_emulator::Emulator;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

mod common;

const INSTANCES: i32 = 20;

fn main() {
    common::main_with(run);
}

/// One keep-alive connection to the console.
struct Connection {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
    host: String,
}

impl Connection {
    async fn open(emulator: &Emulator) -> Connection {
        let stream = tokio::net::TcpStream::connect(emulator.edge_addr)
            .await
            .expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        let (reader, writer) = stream.into_split();
        Connection {
            reader: BufReader::new(reader),
            writer,
            host: format!("console.localhost:{}", emulator.edge_addr.port()),
        }
    }

    /// Sends a request; the status, the `Set-Cookie` pair if any, and the body.
    async fn ask(
        &mut self,
        method: &str,
        path: &str,
        cookie: &str,
        form: &str,
    ) -> (u16, String, String) {
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            self.host,
            form.len()
        );
        self.writer
            .write_all(request.as_bytes())
            .await
            .expect("send");
        let mut line = String::new();
        self.reader.read_line(&mut line).await.expect("status");
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let (mut length, mut set_cookie) = (0usize, String::new());
        loop {
            line.clear();
            self.reader.read_line(&mut line).await.expect("header");
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse().expect("length");
            }
            if lower.starts_with("set-cookie:") {
                set_cookie = line["set-cookie:".len()..]
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).await.expect("body");
        (
            status,
            set_cookie,
            String::from_utf8_lossy(&body).into_owned(),
        )
    }
}

/// The form token in a page.
fn token(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a token") + 19;
    page[at..].split('"').next().expect("token").to_string()
}

/// Signs in as the root user on `connection`: the session cookie.
async fn sign_in(connection: &mut Connection, account: &str, password: &str) -> String {
    let (_, form_cookie, page) = connection.ask("GET", "/signin?as=root", "", "").await;
    let form = format!(
        "as=root&account={account}&password={password}&csrf={}",
        token(&page)
    );
    let (status, session, _) = connection.ask("POST", "/signin", &form_cookie, &form).await;
    assert_eq!(status, 303, "signed in");
    session
}

async fn run(length: Duration) {
    let emulator = Arc::new(Emulator::start(0, None).expect("emulator"));
    let ec2 = aws_sdk_ec2::Client::new(&common::sdk_config(&emulator));
    let image = cloudlings_core::catalog::family_image("ami_ubuntu")
        .expect("ubuntu")
        .id_in("ap-northeast-2");
    ec2.run_instances()
        .image_id(image)
        .instance_type(InstanceType::T2Micro)
        .min_count(INSTANCES)
        .max_count(INSTANCES)
        .send()
        .await
        .expect("instances");
    emulator.world.lock().clock.advance(time::Duration::days(9));
    let account = emulator.credentials.account.clone();
    let password = emulator.world.root_password(&account).expect("password");
    println!(
        "cloudlings console, {} s per measurement, {INSTANCES} instances, 9 days into the month:",
        length.as_secs()
    );

    // Signing in: one learner after another on one connection, each check an Argon2id one.
    let mut connection = Connection::open(&emulator).await;
    let start = Instant::now();
    let mut latencies = Vec::new();
    while start.elapsed() < length {
        let began = Instant::now();
        sign_in(&mut connection, &account, &password).await;
        latencies.push(began.elapsed());
    }
    common::report("sign-in (root user)", 1, latencies, start.elapsed());

    for (name, path, clients) in [
        ("instances page", "/ec2/instances", 4),
        ("bill page", "/billing", 4),
    ] {
        let start = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..clients {
            let emulator = emulator.clone();
            let (account, password) = (account.clone(), password.clone());
            tasks.push(tokio::spawn(async move {
                let mut connection = Connection::open(&emulator).await;
                let session = sign_in(&mut connection, &account, &password).await;
                let mut latencies = Vec::new();
                while start.elapsed() < length {
                    let began = Instant::now();
                    let (status, _, body) = connection.ask("GET", path, &session, "").await;
                    assert_eq!(status, 200, "{body}");
                    latencies.push(began.elapsed());
                }
                latencies
            }));
        }
        let mut latencies = Vec::new();
        for task in tasks {
            latencies.extend(task.await.expect("client"));
        }
        common::report(name, clients, latencies, start.elapsed());
    }
}
