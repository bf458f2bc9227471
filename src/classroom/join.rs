//! `cloudlings join ADDRESS CODE`: a learner with cloudlings installed joins a class from their
//! own terminal. The class answers an account of their own; the shell then runs against the
//! class's emulator as against any cloudlings server ([`crate::server`]): its own clock and
//! bill, instances and the edge through the server's gateway.
//!
//! The account is kept in the data folder (mode 0600), so joining the same class again, after
//! a restart or a dropped network, returns to the same account and progress.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::dial;
use super::notices::Notice;
use crate::http_client::{self, Socket as _};
use crate::shell::inbox::{Inbox, Postbox};
use crate::shell::{Report, Reporter};
use crate::target::Endpoint;

/// How long the class may take to answer.
const PATIENCE: Duration = Duration::from_secs(15);
/// How long a report may take: a shell that ends waits this long at most for its last one.
const REPORT_PATIENCE: Duration = Duration::from_secs(2);

/// A class joined: the learner's account there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Joined {
    /// The class's address, as the learner gave it.
    pub class: String,
    pub name: String,
    pub learner: i64,
    pub account: String,
    pub endpoint: String,
    pub region: String,
    pub access_key: String,
    pub secret: String,
    /// The session the class gave this learner: their shell reports with it.
    #[serde(default)]
    pub session: String,
    /// The SHA-256 of the class's certificate, when the learner gave it (`https://` classes).
    #[serde(default)]
    pub fingerprint: Option<String>,
}

impl Joined {
    /// The class's emulator, signed with the learner's keys.
    pub fn endpoint(&self) -> Endpoint {
        let mut endpoint = Endpoint::new(
            self.endpoint.clone(),
            self.access_key.clone(),
            self.secret.clone(),
        );
        endpoint.region = self.region.clone();
        endpoint
    }
}

/// The learner's account in the class at `address`: the one kept from an earlier join, or a
/// new one asked of the class with `code` and `name`.
pub fn join(
    address: &str,
    fingerprint: Option<&str>,
    asked: &Asked<'_>,
    data_dir: &Path,
) -> anyhow::Result<Joined> {
    let address = normal_address(address)?;
    let kept = kept_at(data_dir, &address);
    if let Ok(bytes) = std::fs::read(&kept)
        && let Ok(joined) = serde_json::from_slice::<Joined>(&bytes)
    {
        return Ok(joined);
    }
    let fingerprint = fingerprint.map(str::to_string);
    let Asked { code, name, lang } = asked;
    let asked = json!({ "code": code, "name": name, "lang": lang }).to_string();
    let (status, answer) = post_with(
        &address,
        fingerprint.as_deref(),
        "/api/join",
        &asked,
        &[],
        PATIENCE,
    )?;
    if status != 200 {
        let reason = answer["Error"]
            .as_str()
            .map_or_else(|| format!("the class answered {status}"), str::to_string);
        bail!("{}", crate::visible::visible(&reason));
    }
    let text = |name: &str| {
        answer[name]
            .as_str()
            .map(str::to_string)
            .with_context(|| format!("the class's answer has no {name}"))
    };
    let joined = Joined {
        class: address.clone(),
        name: text("Name")?,
        learner: answer["Learner"]
            .as_i64()
            .context("the class's answer has no Learner")?,
        account: text("Account")?,
        endpoint: text("Endpoint")?,
        region: text("Region")?,
        access_key: text("AccessKeyId")?,
        secret: text("SecretAccessKey")?,
        session: answer["Session"].as_str().unwrap_or_default().to_string(),
        fingerprint,
    };
    keep(&kept, &joined)?;
    Ok(joined)
}

/// What a learner asks the class for.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub lang: &'a str,
}

/// What ties a learner's shell to the class they joined: its reports go out, the
/// instructor's messages and resets come in.
#[derive(Debug, Default)]
pub struct Link {
    pub reporter: Option<Reporter>,
    pub inbox: Option<Inbox>,
}

impl Link {
    pub fn to(joined: &Joined) -> Link {
        Link {
            reporter: reporter(joined),
            inbox: listen(joined),
        }
    }
}

/// How long the class's notices may be silent before the stream is taken for dropped: it
/// says it is alive every 15 seconds.
const SILENCE: Duration = Duration::from_secs(45);
/// The longest wait before listening again after the class went away.
const MOST_BACKOFF: Duration = Duration::from_secs(10);

/// What the instructor sends the learner, heard from a thread of its own that listens to the
/// class as long as the shell runs, and listens again (after a pause that grows to 10 s)
/// when the class goes away, as it does on a restart.
pub fn listen(joined: &Joined) -> Option<Inbox> {
    if joined.session.is_empty() {
        return None;
    }
    let (class, session) = (joined.class.clone(), joined.session.clone());
    let fingerprint = joined.fingerprint.clone();
    let (inbox, postbox) = Inbox::new();
    std::thread::Builder::new()
        .name("class-notices".to_string())
        .spawn(move || {
            let mut backoff = Duration::from_millis(500);
            while !postbox.closed() {
                match hear(&class, fingerprint.as_deref(), &session, &postbox) {
                    Ok(Heard::Refused) => return,
                    Ok(Heard::Something) => backoff = Duration::from_millis(500),
                    Ok(Heard::Nothing) => {}
                    Err(error) => tracing::debug!("the class's notices stopped: {error:#}"),
                }
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(MOST_BACKOFF);
            }
        })
        .ok()?;
    Some(inbox)
}

/// How a listen ended.
enum Heard {
    /// The stream was open and ended.
    Something,
    Nothing,
    /// The class does not know the session: it will not, later either.
    Refused,
}

/// Listens to the class's notices until the stream ends or the shell does.
fn hear(
    address: &str,
    fingerprint: Option<&str>,
    session: &str,
    postbox: &Postbox,
) -> anyhow::Result<Heard> {
    let authority = authority(address);
    let mut stream = dial::connect(address, fingerprint, PATIENCE)?;
    stream.tcp().set_read_timeout(Some(SILENCE))?;
    // HTTP/1.0: the stream's body runs until the class closes it, with no chunks to read.
    write!(
        stream,
        "GET /api/notices HTTP/1.0\r\nHost: {authority}\r\nUser-Agent: cloudlings\r\nAuthorization: Bearer {session}\r\nAccept: text/event-stream\r\n\r\n"
    )?;
    let mut lines = BufReader::new(stream).lines();
    let status = lines.next().transpose()?.unwrap_or_default();
    match status.split_whitespace().nth(1) {
        Some("200") => {}
        Some("401") => return Ok(Heard::Refused),
        _ => return Ok(Heard::Nothing),
    }
    for line in lines {
        let line = line?;
        if postbox.closed() {
            break;
        }
        let Some(data) = line.strip_prefix("data: ") else {
            continue;
        };
        match serde_json::from_str::<Notice>(data) {
            Ok(Notice::Note(text)) => postbox.note(text),
            Ok(Notice::Run(line)) => postbox.run(line),
            Err(error) => tracing::debug!("a notice this shell does not know: {error}"),
        }
    }
    Ok(Heard::Something)
}

/// Where the shell's reports go: to the class, from a thread of their own, so that a slow
/// class never slows the shell. Only the newest report waits; older ones are dropped. When
/// the shell ends, the last report is still sent, waiting a moment at most.
pub fn reporter(joined: &Joined) -> Option<Reporter> {
    if joined.session.is_empty() {
        return None;
    }
    let (class, session) = (joined.class.clone(), joined.session.clone());
    let fingerprint = joined.fingerprint.clone();
    let (sender, receiver) = std::sync::mpsc::channel::<Report>();
    let thread = std::thread::Builder::new()
        .name("class-reports".to_string())
        .spawn(move || {
            while let Ok(mut report) = receiver.recv() {
                // The newest of those sent meanwhile.
                while let Ok(newer) = receiver.try_recv() {
                    report = newer;
                }
                let body = serde_json::to_string(&report).unwrap_or_default();
                let bearer = format!("Authorization: Bearer {session}");
                let sent = post_with(
                    &class,
                    fingerprint.as_deref(),
                    "/api/report",
                    &body,
                    &[bearer],
                    REPORT_PATIENCE,
                );
                if let Err(error) = sent {
                    tracing::debug!("the class did not take a report: {error:#}");
                }
            }
        })
        .ok()?;
    let mut reports = Reports {
        sender: Some(sender),
        thread: Some(thread),
    };
    Some(Reporter(Box::new(move |report: &Report| {
        reports.send(report)
    })))
}

/// The reports' thread, and the way to it.
struct Reports {
    sender: Option<std::sync::mpsc::Sender<Report>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Reports {
    fn send(&mut self, report: &Report) {
        if let Some(sender) = &self.sender {
            let _ = sender.send(report.clone());
        }
    }
}

impl Drop for Reports {
    fn drop(&mut self) {
        // The thread sends what waits, then ends.
        self.sender.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `http://host:port` or `https://host:port`, from what the learner typed (`host:port` or
/// a URL).
fn normal_address(typed: &str) -> anyhow::Result<String> {
    let typed = typed.trim().trim_end_matches('/');
    let address = if typed.contains("://") {
        typed.to_string()
    } else {
        format!("http://{typed}")
    };
    let rest = address
        .strip_prefix("http://")
        .or_else(|| address.strip_prefix("https://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.contains('/') => Ok(address),
        _ => bail!(
            "`{typed}` is not a class's address: give it as the teacher shows it, such as 192.168.0.7:8080"
        ),
    }
}

/// `host:port`, without the scheme.
fn authority(address: &str) -> &str {
    address.split_once("://").map_or(address, |(_, rest)| rest)
}

/// Where the account of the class at `address` is kept.
fn kept_at(data_dir: &Path, address: &str) -> PathBuf {
    let name: String = authority(address)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    data_dir.join("classes").join(format!("{name}.json"))
}

/// Keeps the account, readable by the learner alone: it holds their secret key.
fn keep(path: &Path, joined: &Joined) -> anyhow::Result<()> {
    let bytes = serde_json::to_vec_pretty(joined)?;
    cloudlings_core::atomic::write(path, &bytes)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// POSTs JSON to `path` at the class, with `extra` header lines; its status and JSON answer.
fn post_with(
    address: &str,
    fingerprint: Option<&str>,
    path: &str,
    body: &str,
    extra: &[String],
    patience: Duration,
) -> anyhow::Result<(u16, serde_json::Value)> {
    let authority = authority(address);
    let mut stream = dial::connect(address, fingerprint, patience)?;
    let mut headers = vec![
        "User-Agent: cloudlings".to_string(),
        "Content-Type: application/json".to_string(),
        "Connection: close".to_string(),
    ];
    headers.extend_from_slice(extra);
    let lines = http_client::request_lines("POST", path, authority, &headers, Some(body));
    let start = Instant::now();
    let answer = http_client::exchange(
        &mut stream,
        &lines,
        Some(body),
        false,
        start + patience,
        64 * 1024,
    )
    .map_err(|failure| anyhow::anyhow!("{}", failure.message(start.elapsed())))
    .with_context(|| format!("the class at {address} did not answer"))?;
    let json = serde_json::from_slice(&answer.body).unwrap_or(serde_json::Value::Null);
    Ok((answer.status, json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_read_as_the_teacher_shows_them() {
        assert_eq!(
            normal_address("192.168.0.7:8080").expect("valid"),
            "http://192.168.0.7:8080"
        );
        assert_eq!(
            normal_address("http://room.local:8080/").expect("valid"),
            "http://room.local:8080"
        );
        assert_eq!(
            normal_address("https://room.local:8443").expect("valid"),
            "https://room.local:8443"
        );
        assert!(normal_address("https://x/y").is_err());
        assert!(normal_address("ftp://x").is_err());
        assert!(normal_address("").is_err());
        assert_eq!(
            kept_at(Path::new("/d"), "http://192.168.0.7:8080"),
            Path::new("/d/classes/192.168.0.7_8080.json")
        );
    }
}
