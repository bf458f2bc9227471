//! Python's `http.server`, as `python3 -m http.server` serves a folder: the files under it as
//! the user who started it, a listing for a folder without `index.html`, Python's error page,
//! and an access log line per request for the terminal it runs in.
//!
//! The server is not a process: while the program holds the terminal it keeps a
//! [`Listener`] registered with the network, which hands each request that reaches the port
//! to [`http_server`] with the instance's disk, and keeps the log lines for the program to
//! print.

use super::disk::Disk;
use super::fs::{self, Cred, Fs};
use super::node::Body;
use super::web::{content_type, http_date, normalise, percent_decode};
use super::{Facts, HttpReply, HttpRequest, repo};

/// A folder served on a port, as the user who serves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    pub port: u16,
    /// The folder served, absolute.
    pub root: String,
    pub uid: u32,
    pub gid: u32,
    pub groups: Vec<u32>,
}

/// Answers a request that reached the listener's port from `client`, and the access log
/// line Python prints for it.
pub fn http_server(
    facts: &Facts,
    disk: &Disk,
    listener: &Listener,
    request: &HttpRequest,
    client: &str,
) -> (HttpReply, String) {
    let lower = repo::image(facts, disk);
    let tree = Fs {
        lower: &lower,
        disk,
        now: facts.now.unix_timestamp(),
        room: crate::distro::room_for_files(facts, disk),
    };
    let reply = respond(facts, &tree, listener, request);
    let at = facts.now;
    let line = format!(
        "{client} - - [{:02}/{}/{} {:02}:{:02}:{:02}] \"{} {} HTTP/1.1\" {} -",
        at.day(),
        super::distro::month(at),
        at.year(),
        at.hour(),
        at.minute(),
        at.second(),
        request.method,
        request.path,
        reply.status
    );
    (reply, line)
}

fn respond(
    facts: &Facts,
    tree: &Fs<'_, &Disk>,
    listener: &Listener,
    request: &HttpRequest,
) -> HttpReply {
    let head = request.method == "HEAD";
    if request.method != "GET" && !head {
        let message = format!("Unsupported method ('{}')", request.method);
        return error(facts, 501, &message, head);
    }
    let raw = request.path.split(['?', '#']).next().unwrap_or("/");
    let Some(path) = percent_decode(raw)
        .filter(|path| path.starts_with('/'))
        .and_then(|path| normalise(&path))
    else {
        return error(facts, 404, "File not found", head);
    };
    let cred = Cred {
        uid: listener.uid,
        gid: listener.gid,
        groups: listener.groups.clone(),
    };
    let full = fs::join(&listener.root, path.trim_start_matches('/'));
    let Ok((resolved, node)) = tree.lookup(&cred, "/", &full, true) else {
        return error(facts, 404, "File not found", head);
    };
    if node.is_dir() {
        if !path.ends_with('/') {
            let mut reply = reply(facts, 301, "Moved Permanently", Vec::new(), head);
            reply
                .headers
                .push(("Location".to_string(), format!("{path}/")));
            reply
                .headers
                .push(("Content-Length".to_string(), "0".to_string()));
            return reply;
        }
        let index = fs::join(&resolved, "index.html");
        if let Ok(body) = tree.read(&cred, "/", &index) {
            return file(facts, "index.html", body, head);
        }
        let Ok(entries) = tree.list(&cred, "/", &resolved) else {
            return error(facts, 404, "No permission to list directory", head);
        };
        let mut items = String::new();
        for (name, node) in entries {
            let shown = if node.is_dir() {
                format!("{name}/")
            } else {
                name
            };
            items.push_str(&format!("<li><a href=\"{shown}\">{shown}</a></li>\n"));
        }
        let body = format!(
            "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Directory listing for {path}</title>\n</head>\n<body>\n<h1>Directory listing for {path}</h1>\n<hr>\n<ul>\n{items}</ul>\n<hr>\n</body>\n</html>\n"
        );
        let mut reply = reply(facts, 200, "OK", body.into_bytes(), head);
        reply.headers.push((
            "Content-type".to_string(),
            "text/html; charset=utf-8".to_string(),
        ));
        return reply;
    }
    if matches!(node.body, Body::Device(..)) {
        return error(facts, 404, "File not found", head);
    }
    match tree.read(&cred, "/", &resolved) {
        Ok(body) => file(facts, &resolved, body, head),
        Err(_) => error(facts, 404, "File not found", head),
    }
}

fn file(facts: &Facts, name: &str, body: Vec<u8>, head: bool) -> HttpReply {
    let mut reply = reply(facts, 200, "OK", body, head);
    reply
        .headers
        .push(("Content-type".to_string(), content_type(name).to_string()));
    reply
}

fn reply(facts: &Facts, status: u16, reason: &str, body: Vec<u8>, head: bool) -> HttpReply {
    let python = match facts.distro {
        super::Distro::Ubuntu | super::Distro::Workstation => "3.12.3",
        super::Distro::AmazonLinux => "3.9.23",
    };
    let mut headers = vec![
        (
            "Server".to_string(),
            format!("SimpleHTTP/0.6 Python/{python}"),
        ),
        ("Date".to_string(), http_date(facts.now.unix_timestamp())),
    ];
    if !body.is_empty() {
        headers.push(("Content-Length".to_string(), body.len().to_string()));
    }
    HttpReply {
        status,
        reason: reason.to_string(),
        headers,
        body: if head { Vec::new() } else { body },
    }
}

/// Python's error page.
fn error(facts: &Facts, status: u16, message: &str, head: bool) -> HttpReply {
    let (reason, explanation) = match status {
        404 => ("Not Found", "Nothing matches the given URI"),
        501 => (
            "Unsupported method",
            "Server does not support this operation",
        ),
        _ => ("Error", ""),
    };
    let body = format!(
        "<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: {status}</p>\n        <p>Message: {message}.</p>\n        <p>Error code explanation: {status} - {explanation}.</p>\n    </body>\n</html>\n"
    );
    let mut reply = reply(facts, status, reason, body.into_bytes(), head);
    reply.headers.push((
        "Content-Type".to_string(),
        "text/html;charset=utf-8".to_string(),
    ));
    reply
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Machine;

    fn get(machine: &Machine, listener: &Listener, path: &str) -> (HttpReply, String) {
        let request = HttpRequest {
            method: "GET".into(),
            host: "3.35.10.20".into(),
            port: listener.port,
            path: path.into(),
            ..HttpRequest::default()
        };
        http_server(
            &machine.facts,
            &machine.disk,
            listener,
            &request,
            "203.0.113.9",
        )
    }

    #[test]
    fn serves_a_folder_as_its_user_with_pythons_pages() {
        let mut machine = Machine::ubuntu();
        machine.run("mkdir site && echo hi > site/a.txt && mkdir site/css");
        let listener = Listener {
            port: 8000,
            root: "/home/ubuntu/site".into(),
            uid: 1000,
            gid: 1000,
            groups: vec![1000],
        };
        let (listing, line) = get(&machine, &listener, "/");
        let body = String::from_utf8_lossy(&listing.body).into_owned();
        assert!(
            body.contains("<title>Directory listing for /</title>"),
            "{body}"
        );
        assert!(
            body.contains(
                "<li><a href=\"a.txt\">a.txt</a></li>\n<li><a href=\"css/\">css/</a></li>"
            ),
            "{body}"
        );
        assert_eq!(
            line,
            "203.0.113.9 - - [21/Oct/2026 08:40:12] \"GET / HTTP/1.1\" 200 -"
        );
        let (file, _) = get(&machine, &listener, "/a.txt");
        assert_eq!(
            (file.status, file.body.as_slice()),
            (200, b"hi\n".as_slice())
        );
        assert_eq!(file.header("Server"), Some("SimpleHTTP/0.6 Python/3.12.3"));
        let (missing, line) = get(&machine, &listener, "/nope");
        assert_eq!(missing.status, 404);
        assert!(line.ends_with("\"GET /nope HTTP/1.1\" 404 -"));
        machine.run("echo '<h1>home</h1>' > site/index.html");
        let (index, _) = get(&machine, &listener, "/");
        assert_eq!(index.body, b"<h1>home</h1>\n");
        let (moved, _) = get(&machine, &listener, "/css");
        assert_eq!(
            (moved.status, moved.header("Location")),
            (301, Some("/css/"))
        );
        machine.run("chmod 600 site/a.txt && sudo chown root site/a.txt");
        assert_eq!(get(&machine, &listener, "/a.txt").0.status, 404);
    }
}
