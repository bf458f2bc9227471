//! nginx as the instance's port 80 serves it: the distro's document root, read as nginx's
//! worker user (so permissions matter as on Linux), with nginx's headers and error pages.
//!
//! The request path is decoded and tidied the way nginx does it; one that climbs above the
//! root is a 400, and every file is looked up inside the instance's tree only.

use super::disk::Disk;
use super::distro;
use super::fs::{self, Cred, Errno, Fs};
use super::node::Body;
use super::{Distro, Facts, HttpReply, HttpRequest, repo};

/// The web server of a distro's nginx package.
struct Server {
    version: &'static str,
    root: &'static str,
    index: &'static [&'static str],
    worker: Cred,
    /// A page served for 404s (`error_page 404 /404.html` on Amazon Linux).
    not_found_page: Option<&'static str>,
}

fn server(distro: Distro) -> Server {
    match distro {
        Distro::Ubuntu | Distro::Workstation => Server {
            version: "nginx/1.24.0 (Ubuntu)",
            root: "/var/www/html",
            index: &["index.html", "index.htm", "index.nginx-debian.html"],
            worker: Cred {
                uid: 33,
                gid: 33,
                groups: vec![33],
            },
            not_found_page: None,
        },
        Distro::AmazonLinux => Server {
            version: "nginx/1.28.0",
            root: "/usr/share/nginx/html",
            index: &["index.html"],
            worker: Cred {
                uid: 992,
                gid: 992,
                groups: vec![992],
            },
            not_found_page: Some("/404.html"),
        },
    }
}

/// The instance's own web server, as port 80 serves it to the network: `None` when no web
/// server runs (the caller then refuses the connection).
pub fn web(facts: &Facts, disk: &Disk, request: &HttpRequest) -> Option<HttpReply> {
    let unit = repo::unit(facts.distro, "nginx")?;
    if !repo::unit_present(unit, disk) || !repo::state(facts, disk, unit).running {
        return None;
    }
    let lower = repo::image(facts, disk);
    let tree = Fs {
        lower: &lower,
        disk,
        now: facts.now.unix_timestamp(),
        room: crate::distro::room_for_files(facts, disk),
    };
    Some(respond(facts, &tree, &server(facts.distro), request))
}

/// `Wed, 21 Oct 2026 08:40:12 GMT`.
pub(crate) fn http_date(seconds: i64) -> String {
    let at = distro::at(seconds);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        distro::weekday(at),
        at.day(),
        distro::month(at),
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// nginx's `mime.types` for the usual extensions.
pub(crate) fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" | "shtml" => "text/html",
        "css" => "text/css",
        "xml" => "text/xml",
        "txt" => "text/plain",
        "js" => "application/javascript",
        "json" => "application/json",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" | "svgz" => "image/svg+xml",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    (!decoded.contains('\0')).then_some(decoded)
}

/// The URI path tidied as nginx does, or `None` if it leaves the root (a 400).
pub(crate) fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if path.ends_with('/') && out != "/" {
        out.push('/');
    }
    Some(out)
}

fn base_headers(server: &Server, facts: &Facts) -> Vec<(String, String)> {
    vec![
        ("Server".to_string(), server.version.to_string()),
        ("Date".to_string(), http_date(facts.now.unix_timestamp())),
    ]
}

/// nginx's built-in error page (with its CRLF line ends).
fn error_page(server: &Server, facts: &Facts, status: u16, reason: &str, head: bool) -> HttpReply {
    let body = format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>{}</center>\r\n</body>\r\n</html>\r\n",
        server.version
    );
    let mut headers = base_headers(server, facts);
    headers.push(("Content-Type".to_string(), "text/html".to_string()));
    headers.push(("Content-Length".to_string(), body.len().to_string()));
    headers.push((
        "Connection".to_string(),
        if status == 400 { "close" } else { "keep-alive" }.to_string(),
    ));
    HttpReply {
        status,
        reason: reason.to_string(),
        headers,
        body: if head { Vec::new() } else { body.into_bytes() },
    }
}

fn respond(
    facts: &Facts,
    tree: &Fs<'_, &Disk>,
    server: &Server,
    request: &HttpRequest,
) -> HttpReply {
    let head = request.method == "HEAD";
    if request.method != "GET" && !head {
        return error_page(server, facts, 405, "Not Allowed", false);
    }
    let raw = request.path.split(['?', '#']).next().unwrap_or("/");
    let Some(path) = percent_decode(raw)
        .filter(|path| path.starts_with('/'))
        .and_then(|path| normalise(&path))
    else {
        return error_page(server, facts, 400, "Bad Request", head);
    };
    let cred = &server.worker;
    let full = format!("{}{}", server.root, path);
    let found = tree.lookup(cred, "/", &full, true);
    let (file, node) = match found {
        Ok((resolved, node)) if node.is_dir() => {
            if !path.ends_with('/') {
                let host = request
                    .header("Host")
                    .map(str::to_string)
                    .unwrap_or_else(|| request.host.clone());
                let mut reply = error_page(server, facts, 301, "Moved Permanently", head);
                let at = reply.headers.len() - 1;
                reply.headers.insert(
                    at,
                    ("Location".to_string(), format!("http://{host}{path}/")),
                );
                return reply;
            }
            let index = server.index.iter().find_map(|name| {
                tree.lookup(cred, "/", &fs::join(&resolved, name), true)
                    .ok()
                    .filter(|(_, node)| !node.is_dir())
            });
            match index {
                Some(found) => found,
                None => return error_page(server, facts, 403, "Forbidden", head),
            }
        }
        Ok(found) => found,
        Err(Errno::Acces) => return error_page(server, facts, 403, "Forbidden", head),
        Err(_) => return not_found(facts, tree, server, head),
    };
    if !cred.may(&node, fs::READ) || matches!(node.body, Body::Device(..)) {
        return error_page(server, facts, 403, "Forbidden", head);
    }
    let body = node.contents().into_owned();
    let etag = format!("\"{:x}-{:x}\"", node.meta.mtime, body.len());
    let mut headers = base_headers(server, facts);
    let last_modified = http_date(node.meta.mtime);
    if request.header("If-None-Match") == Some(etag.as_str())
        || request.header("If-Modified-Since") == Some(last_modified.as_str())
    {
        headers.push(("Last-Modified".to_string(), last_modified));
        headers.push(("Connection".to_string(), "keep-alive".to_string()));
        headers.push(("ETag".to_string(), etag));
        return HttpReply {
            status: 304,
            reason: "Not Modified".to_string(),
            headers,
            body: Vec::new(),
        };
    }
    headers.push(("Content-Type".to_string(), content_type(&file).to_string()));
    headers.push(("Content-Length".to_string(), body.len().to_string()));
    headers.push(("Last-Modified".to_string(), last_modified));
    headers.push(("Connection".to_string(), "keep-alive".to_string()));
    headers.push(("ETag".to_string(), etag));
    headers.push(("Accept-Ranges".to_string(), "bytes".to_string()));
    HttpReply {
        status: 200,
        reason: "OK".to_string(),
        headers,
        body: if head { Vec::new() } else { body },
    }
}

fn not_found(facts: &Facts, tree: &Fs<'_, &Disk>, server: &Server, head: bool) -> HttpReply {
    if let Some(page) = server.not_found_page
        && let Ok(body) = tree.read(&server.worker, "/", &format!("{}{page}", server.root))
    {
        let mut headers = base_headers(server, facts);
        headers.push(("Content-Type".to_string(), "text/html".to_string()));
        headers.push(("Content-Length".to_string(), body.len().to_string()));
        headers.push(("Connection".to_string(), "keep-alive".to_string()));
        headers.push((
            "ETag".to_string(),
            format!("\"{:x}-{:x}\"", facts.now.unix_timestamp(), body.len()),
        ));
        return HttpReply {
            status: 404,
            reason: "Not Found".to_string(),
            headers,
            body: if head { Vec::new() } else { body },
        };
    }
    error_page(server, facts, 404, "Not Found", head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Machine;

    fn get(machine: &Machine, path: &str) -> Option<HttpReply> {
        let request = HttpRequest {
            method: "GET".into(),
            host: "3.35.10.20".into(),
            port: 80,
            path: path.into(),
            headers: vec![("Host".into(), "3.35.10.20".into())],
            body: Vec::new(),
        };
        web(&machine.facts, &machine.disk, &request)
    }

    #[test]
    fn nothing_listens_before_nginx_runs() {
        let mut machine = Machine::ubuntu();
        assert!(get(&machine, "/").is_none());
        machine.run("sudo apt update");
        machine.run("sudo apt install -y nginx");
        let page = get(&machine, "/").expect("nginx runs");
        assert_eq!(page.status, 200);
        assert_eq!(page.header("Server"), Some("nginx/1.24.0 (Ubuntu)"));
        assert_eq!(page.header("Content-Length"), Some("615"));
        assert_eq!(page.header("Content-Type"), Some("text/html"));
        assert_eq!(page.header("Date"), Some("Wed, 21 Oct 2026 08:40:12 GMT"));
        assert!(String::from_utf8_lossy(&page.body).contains("<h1>Welcome to nginx!</h1>"));
        machine.run("sudo systemctl stop nginx");
        assert!(get(&machine, "/").is_none());
    }

    #[test]
    fn edits_change_the_page_and_paths_stay_inside() {
        let mut machine = Machine::ubuntu();
        machine.run("sudo apt update && sudo apt install -y nginx");
        machine.wait(30);
        let denied = machine.out("echo '<h1>Hello</h1>' > /var/www/html/index.html");
        assert_eq!(
            denied,
            "-bash: /var/www/html/index.html: Permission denied\n"
        );
        assert_eq!(
            machine.out("echo '<h1>Hello</h1>' | sudo tee /var/www/html/index.html"),
            "<h1>Hello</h1>\n"
        );
        let page = get(&machine, "/").expect("running");
        assert_eq!(page.body, b"<h1>Hello</h1>\n");
        assert_eq!(
            page.header("Last-Modified"),
            Some("Wed, 21 Oct 2026 08:40:42 GMT")
        );
        assert_eq!(page.header("ETag"), Some("\"6ad87a8a-f\""));
        for escape in [
            "/../../etc/shadow",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/a/../../x",
        ] {
            assert_eq!(
                get(&machine, escape).expect("running").status,
                400,
                "{escape}"
            );
        }
        let missing = get(&machine, "/nope.html").expect("running");
        assert_eq!(missing.status, 404);
        assert_eq!(
            String::from_utf8_lossy(&missing.body),
            "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.24.0 (Ubuntu)</center>\r\n</body>\r\n</html>\r\n"
        );
        machine.run("sudo mkdir /var/www/html/docs");
        let redirect = get(&machine, "/docs").expect("running");
        assert_eq!(redirect.status, 301);
        assert_eq!(redirect.header("Location"), Some("http://3.35.10.20/docs/"));
        assert_eq!(get(&machine, "/docs/").expect("running").status, 403);
        machine.run("echo secret | sudo tee /var/www/html/private.txt >/dev/null; sudo chmod 600 /var/www/html/private.txt");
        assert_eq!(get(&machine, "/private.txt").expect("running").status, 403);
        machine.run("echo 'body{}' | sudo tee /var/www/html/site.css >/dev/null");
        assert_eq!(
            get(&machine, "/site.css?v=1")
                .expect("running")
                .header("Content-Type"),
            Some("text/css")
        );
    }

    #[test]
    fn amazon_linux_serves_its_own_root_once_started() {
        let mut machine = Machine::amazon();
        machine.run("sudo dnf install -y nginx");
        assert!(get(&machine, "/").is_none());
        machine.run("sudo systemctl start nginx");
        let page = get(&machine, "/").expect("running");
        assert_eq!(page.header("Server"), Some("nginx/1.28.0"));
        assert_eq!(page.header("Content-Length"), Some("615"));
        let missing = get(&machine, "/x").expect("running");
        assert_eq!(missing.status, 404);
        assert!(
            String::from_utf8_lossy(&missing.body).contains("<title>The page is not found</title>")
        );
        let head = web(
            &machine.facts,
            &machine.disk,
            &HttpRequest {
                method: "HEAD".into(),
                path: "/".into(),
                ..HttpRequest::default()
            },
        )
        .expect("running");
        assert!(head.body.is_empty());
        assert_eq!(head.header("Content-Length"), Some("615"));
    }
}
