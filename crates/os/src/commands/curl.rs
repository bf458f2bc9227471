//! `curl` (and Ubuntu's `wget`): requests to the metadata service, to the instance's own web
//! server, or through the emulated network, with curl's output, progress meter and errors.

use super::{Opts, Proc};
use crate::{Distro, HttpReply, HttpRequest, NetError, distro, imds, web};

fn user_agent(distro: Distro) -> &'static str {
    match distro {
        Distro::Ubuntu | Distro::Workstation => "curl/8.5.0",
        Distro::AmazonLinux => "curl/8.11.1",
    }
}

/// A parsed URL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Url {
    scheme: String,
    host: String,
    port: u16,
    /// Path and query.
    target: String,
}

/// How a transfer failed, as curl numbers its errors.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Failure {
    code: i32,
    message: String,
    /// How long the attempt hung first (a connection a security group drops).
    waited_ms: u64,
}

fn failure(code: i32, message: impl Into<String>) -> Failure {
    Failure {
        code,
        message: message.into(),
        waited_ms: 0,
    }
}

fn parse_url(text: &str) -> Result<Url, Failure> {
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("http".to_string(), text),
    };
    if scheme != "http" && scheme != "https" {
        return Err(failure(1, format!("Protocol \"{scheme}\" not supported")));
    }
    let (authority, target) = match rest.find(['/', '?']) {
        Some(index) if rest.as_bytes()[index] == b'/' => {
            (&rest[..index], rest[index..].to_string())
        }
        Some(index) => (&rest[..index], format!("/{}", &rest[index..])),
        None => (rest, "/".to_string()),
    };
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let default = if scheme == "https" { 443 } else { 80 };
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let (host, after) = inner
            .split_once(']')
            .ok_or_else(|| failure(3, "URL rejected: Malformed input to a URL function"))?;
        let port = match after.strip_prefix(':') {
            Some(port) => port.parse().map_err(|_| {
                failure(
                    3,
                    "URL rejected: Port number was not a decimal number between 0 and 65535",
                )
            })?,
            None => default,
        };
        (host.to_string(), port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (
                host.to_string(),
                port.parse().map_err(|_| {
                    failure(
                        3,
                        "URL rejected: Port number was not a decimal number between 0 and 65535",
                    )
                })?,
            ),
            None => (authority.to_string(), default),
        }
    };
    if host.is_empty() {
        return Err(failure(3, "URL rejected: No host part in the URL"));
    }
    if host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(failure(
            3,
            "URL rejected: Malformed input to a URL function",
        ));
    }
    let target = target.replace(' ', "%20");
    Ok(Url {
        scheme,
        host: host.to_ascii_lowercase(),
        port,
        target,
    })
}

/// Where a host name leads from inside the instance.
enum Route {
    Metadata,
    Own,
    Network,
    /// Nowhere: packets leave and nothing answers, as for the metadata service's address on
    /// a computer outside EC2.
    Void,
}

/// How long Linux tries a connection nothing answers before it gives up: six SYN retries,
/// about two minutes.
const UNANSWERED_MS: u64 = 130_000;

fn route(proc: &Proc<'_, '_>, host: &str) -> Route {
    let facts = proc.facts();
    if host == imds::ADDRESS {
        return if facts.distro == Distro::Workstation {
            Route::Void
        } else {
            Route::Metadata
        };
    }
    let own = [
        "localhost",
        "127.0.0.1",
        "::1",
        "0.0.0.0",
        "ip6-localhost",
        facts.private_ip.as_str(),
        facts.private_dns.as_str(),
    ];
    if own.contains(&host) || host == distro::short_hostname(facts) || host.starts_with("127.") {
        return Route::Own;
    }
    Route::Network
}

/// The address curl says it connected to.
fn address(proc: &Proc<'_, '_>, url: &Url) -> String {
    match url.host.as_str() {
        "localhost" | "ip6-localhost" => "::1".into(),
        host if host == proc.facts().private_dns
            || host == distro::short_hostname(proc.facts()) =>
        {
            proc.facts().private_ip.clone()
        }
        host => host.to_string(),
    }
}

/// Sends one request where it goes. `timeout_ms` caps how long a dropped connection waits.
fn send(
    proc: &Proc<'_, '_>,
    url: &Url,
    request: &HttpRequest,
    timeout_ms: Option<u64>,
) -> Result<HttpReply, Failure> {
    let refused = |after: u64| {
        failure(
            7,
            format!(
                "Failed to connect to {} port {} after {after} ms: Couldn't connect to server",
                url.host, url.port
            ),
        )
    };
    let timed_out = |after_ms: u64| {
        let after = timeout_ms.map_or(after_ms, |limit| limit.min(after_ms));
        Failure {
            waited_ms: after,
            ..failure(
                28,
                format!(
                    "Failed to connect to {} port {} after {after} ms: Timeout was reached",
                    url.host, url.port
                ),
            )
        }
    };
    match route(proc, &url.host) {
        Route::Void => Err(timed_out(UNANSWERED_MS)),
        Route::Metadata => {
            if url.port != 80 || url.scheme != "http" {
                return Err(refused(0));
            }
            Ok(imds::serve(proc.facts(), request))
        }
        Route::Own => {
            if url.port != 80 || url.scheme != "http" {
                return Err(refused(0));
            }
            web(proc.facts(), proc.sys.disk, request).ok_or_else(|| refused(0))
        }
        Route::Network => match proc.sys.net.http(request) {
            Ok(reply) => Ok(reply),
            Err(NetError::Refused) => Err(refused(2)),
            Err(NetError::Unresolved) => {
                Err(failure(6, format!("Could not resolve host: {}", url.host)))
            }
            Err(NetError::TimedOut { after_ms }) => Err(timed_out(after_ms)),
        },
    }
}

fn status_line(reply: &HttpReply) -> String {
    format!("HTTP/1.1 {} {}", reply.status, reply.reason)
}

/// curl's progress meter, as printed once a transfer is done.
fn meter(received: usize, sent: usize) -> String {
    let size = |bytes: usize| {
        if bytes < 100_000 {
            bytes.to_string()
        } else {
            format!("{}k", bytes / 1024)
        }
    };
    let percent = |bytes: usize| if bytes == 0 { "0" } else { "100" };
    let total = received + sent;
    let speed = if received == 0 { 0 } else { received * 37 };
    format!(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n{:>3} {:>5}  {:>3} {:>5}  {:>3} {:>5}  {:>5}  {:>5} --:--:-- --:--:-- --:--:-- {:>5}\n",
        percent(total),
        size(total),
        percent(received),
        size(received),
        percent(sent),
        size(sent),
        size(speed),
        if sent > 0 {
            size(sent * 37)
        } else {
            "0".into()
        },
        size(speed)
    )
}

/// `%{http_code}` and friends of `-w`.
fn write_out(format: &str, reply: &HttpReply, url: &str, address: &str) -> String {
    let mut out = format.to_string();
    for (key, value) in [
        ("%{http_code}", format!("{:03}", reply.status)),
        ("%{response_code}", format!("{:03}", reply.status)),
        ("%{size_download}", reply.body.len().to_string()),
        (
            "%{content_type}",
            reply.header("Content-Type").unwrap_or("").to_string(),
        ),
        ("%{url_effective}", url.to_string()),
        ("%{remote_ip}", address.to_string()),
        ("%{time_total}", "0.001843".to_string()),
        ("%{time_connect}", "0.000312".to_string()),
    ] {
        out = out.replace(key, &value);
    }
    out.replace("\\n", "\n").replace("\\t", "\t")
}

pub(crate) fn curl(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    // curl's options that take a value, short and long.
    let opts = Opts::parse_long(
        &argv[1..],
        "XHodwmAuer",
        &[
            "request",
            "header",
            "output",
            "data",
            "data-raw",
            "data-binary",
            "data-urlencode",
            "write-out",
            "max-time",
            "connect-timeout",
            "user-agent",
            "user",
            "referer",
            "retry",
            "json",
        ],
    );
    let long = |name: &str| opts.long.iter().any(|long| long == name);
    let long_values = |name: &str| -> Vec<String> {
        opts.long
            .iter()
            .filter_map(|long| long.strip_prefix(&format!("{name}=")))
            .map(String::from)
            .collect()
    };
    let silent = opts.has('s') || long("silent");
    let show_error = opts.has('S') || long("show-error");
    let include = opts.has('i') || long("include");
    let head = opts.has('I') || long("head");
    let verbose = opts.has('v') || long("verbose");
    let fail = opts.has('f') || long("fail");
    let follow = opts.has('L') || long("location");
    let remote_name = opts.has('O') || long("remote-name");
    // Options that may repeat: the short ones' values, then the long ones'.
    let every = |flag: char, names: &[&str]| -> Vec<String> {
        let short = opts.values.iter().filter(|(key, _)| *key == flag);
        let mut values: Vec<String> = short.map(|(_, value)| value.clone()).collect();
        for name in names {
            values.extend(long_values(name));
        }
        values
    };
    // Options that take one value: the last short one, else the last long one.
    let last = |flag: char, name: &str| {
        opts.value(flag)
            .map(String::from)
            .or_else(|| long_values(name).pop())
    };
    let headers = every('H', &["header"]);
    let data = every('d', &["data", "data-raw", "data-binary", "data-urlencode"]);
    let method = last('X', "request");
    let output = last('o', "output");
    let write_format = last('w', "write-out");
    let agent = last('A', "user-agent");
    let seconds = |text: Option<String>| {
        text.and_then(|text| text.parse::<f64>().ok())
            .map(|s| (s * 1000.0) as u64)
    };
    let timeout_ms =
        seconds(last('m', "max-time")).or_else(|| seconds(long_values("connect-timeout").pop()));
    if opts.operands.is_empty() {
        proc.err("curl: try 'curl --help' or 'curl --manual' for more information\n");
        return 2;
    }
    let complain = |proc: &mut Proc<'_, '_>, failure: &Failure| {
        if !silent || show_error {
            proc.err(format!("curl: ({}) {}\n", failure.code, failure.message));
        }
    };
    let mut status = 0;
    let mut waited_ms = 0u64;
    for operand in opts.operands.clone() {
        let mut url = match parse_url(&operand) {
            Ok(url) => url,
            Err(failure) => {
                complain(proc, &failure);
                status = failure.code;
                continue;
            }
        };
        let mut body = data.join("&").into_bytes();
        let mut method = method.clone().unwrap_or_else(|| {
            if head {
                "HEAD".into()
            } else if !body.is_empty() {
                "POST".into()
            } else {
                "GET".into()
            }
        });
        let mut hops = 0;
        let (reply, address) = loop {
            let host_header = if (url.scheme == "http" && url.port == 80)
                || (url.scheme == "https" && url.port == 443)
            {
                url.host.clone()
            } else {
                format!("{}:{}", url.host, url.port)
            };
            let mut request_headers: Vec<(String, String)> = vec![
                ("Host".into(), host_header),
                (
                    "User-Agent".into(),
                    agent
                        .clone()
                        .unwrap_or_else(|| user_agent(proc.distro()).into()),
                ),
                ("Accept".into(), "*/*".into()),
            ];
            if !body.is_empty() {
                request_headers.push(("Content-Length".into(), body.len().to_string()));
                request_headers.push((
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
            }
            for header in &headers {
                let Some((name, value)) = header.split_once(':') else {
                    continue;
                };
                let name = name.trim().to_string();
                let value = value.trim().to_string();
                request_headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(&name));
                if !value.is_empty() {
                    request_headers.push((name, value));
                }
            }
            let request = HttpRequest {
                method: method.clone(),
                host: url.host.clone(),
                port: url.port,
                path: url.target.clone(),
                headers: request_headers.clone(),
                body: body.clone(),
            };
            let address = address(proc, &url);
            if verbose {
                let mut text = format!(
                    "*   Trying {}:{}...\n",
                    if address.contains(':') {
                        format!("[{address}]")
                    } else {
                        address.clone()
                    },
                    url.port
                );
                if let Route::Network = route(proc, &url.host) {
                    // The network decides; say only what curl says before an answer.
                } else if send(proc, &url, &request, timeout_ms).is_ok() {
                    text.push_str(&format!(
                        "* Connected to {} ({address}) port {}\n",
                        url.host, url.port
                    ));
                }
                proc.err(text);
            }
            let reply = match send(proc, &url, &request, timeout_ms) {
                Ok(reply) => reply,
                Err(failure) => {
                    if verbose {
                        proc.err(format!("* {}\n* Closing connection\n", failure.message));
                    }
                    complain(proc, &failure);
                    status = failure.code;
                    waited_ms = waited_ms.saturating_add(failure.waited_ms);
                    break (None, address);
                }
            };
            if verbose {
                let mut text = format!("> {method} {} HTTP/1.1\r\n", url.target);
                for (name, value) in &request_headers {
                    text.push_str(&format!("> {name}: {value}\r\n"));
                }
                text.push_str("> \r\n");
                text.push_str(&format!("< {}\r\n", status_line(&reply)));
                for (name, value) in &reply.headers {
                    text.push_str(&format!("< {name}: {value}\r\n"));
                }
                text.push_str("< \r\n");
                proc.err(text);
            }
            let location = reply.header("Location").map(String::from);
            if follow
                && (300..400).contains(&reply.status)
                && hops < 50
                && let Some(next) = location.and_then(|location| parse_url(&location).ok())
            {
                {
                    if include {
                        let mut text = format!("{}\r\n", status_line(&reply));
                        for (name, value) in &reply.headers {
                            text.push_str(&format!("{name}: {value}\r\n"));
                        }
                        text.push_str("\r\n");
                        proc.out(text);
                    }
                    url = next;
                    hops += 1;
                    if reply.status == 303 {
                        method = "GET".into();
                        body.clear();
                    }
                    continue;
                }
            }
            break (Some(reply), address);
        };
        let Some(reply) = reply else {
            continue;
        };
        let full_url = format!(
            "{}://{}{}{}",
            url.scheme,
            url.host,
            if url.port == 80 || url.port == 443 {
                String::new()
            } else {
                format!(":{}", url.port)
            },
            url.target
        );
        if fail && reply.status >= 400 {
            let failure = failure(
                22,
                format!("The requested URL returned error: {}", reply.status),
            );
            complain(proc, &failure);
            status = 22;
            continue;
        }
        let mut shown: Vec<u8> = Vec::new();
        if include || head {
            let mut text = format!("{}\r\n", status_line(&reply));
            for (name, value) in &reply.headers {
                text.push_str(&format!("{name}: {value}\r\n"));
            }
            text.push_str("\r\n");
            shown.extend_from_slice(text.as_bytes());
        }
        if !head {
            shown.extend_from_slice(&reply.body);
        }
        let file = if remote_name {
            match url
                .target
                .split('?')
                .next()
                .and_then(|path| path.rsplit('/').next())
                .filter(|name| !name.is_empty())
            {
                Some(name) => Some(name.to_string()),
                None => {
                    proc.err("curl: Remote file name has no length!\ncurl: (23) Failure writing output to destination\n");
                    status = 23;
                    continue;
                }
            }
        } else {
            output.clone()
        };
        if !silent && (file.is_some() || !proc.io.tty_out) {
            proc.err(meter(shown.len(), 0));
        }
        match file.as_deref() {
            Some("-") | None => proc.out(&shown),
            Some(path) => {
                let cred = proc.cred().clone();
                let cwd = proc.cwd.to_string();
                if let Err(errno) = proc.fs().write(&cred, &cwd, path, &shown, false) {
                    if !silent || show_error {
                        proc.err(format!("Warning: Failed to open the file {path}: {errno}\ncurl: (23) Failure writing output to destination\n"));
                    }
                    status = 23;
                    continue;
                }
            }
        }
        if verbose {
            let closing = if reply
                .header("Connection")
                .is_some_and(|value| value.eq_ignore_ascii_case("close"))
            {
                "* Closing connection\n".to_string()
            } else {
                format!("* Connection #0 to host {} left intact\n", url.host)
            };
            proc.err(closing);
        }
        if let Some(format) = &write_format {
            let text = write_out(format, &reply, &full_url, &address);
            proc.out(text);
        }
    }
    proc.take_time(waited_ms, status)
}

/// Ubuntu's `wget URL`, `-O FILE`, `-q`.
pub(crate) fn wget(proc: &mut Proc<'_, '_>, argv: &[String]) -> i32 {
    let opts = Opts::parse(&argv[1..], "O");
    let quiet = opts.has('q');
    let Some(operand) = opts.operands.first() else {
        proc.err("wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n");
        return 1;
    };
    let url = match parse_url(operand) {
        Ok(url) => url,
        Err(_) => {
            proc.err(format!(
                "{operand}: Invalid URL {operand}: Unsupported scheme\n"
            ));
            return 1;
        }
    };
    let stamp = distro::stamp(proc.now(), '-');
    let shown_url = format!("{}://{}{}", url.scheme, url.host, url.target);
    let mut log = format!("--{stamp}--  {shown_url}\n");
    let address = address(proc, &url);
    if !url
        .host
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == ':')
    {
        log.push_str(&format!(
            "Resolving {} ({})... {address}\n",
            url.host, url.host
        ));
    }
    let request = HttpRequest {
        method: "GET".into(),
        host: url.host.clone(),
        port: url.port,
        path: url.target.clone(),
        headers: vec![
            ("User-Agent".into(), "Wget/1.21.4".into()),
            ("Accept".into(), "*/*".into()),
            ("Host".into(), url.host.clone()),
        ],
        body: Vec::new(),
    };
    let reply = send(proc, &url, &request, None);
    let reply = match reply {
        Ok(reply) => reply,
        Err(failure) => {
            let reason = match failure.code {
                6 => format!("wget: unable to resolve host address ‘{}’\n", url.host),
                28 => format!(
                    "Connecting to {} ({})|{address}|:{}... failed: Connection timed out.\n",
                    url.host, url.host, url.port
                ),
                _ => format!(
                    "Connecting to {} ({})|{address}|:{}... failed: Connection refused.\n",
                    url.host, url.host, url.port
                ),
            };
            log.push_str(&reason);
            if !quiet {
                proc.err(log);
            }
            return proc.take_time(failure.waited_ms, 4);
        }
    };
    log.push_str(&format!(
        "Connecting to {} ({})|{address}|:{}... connected.\nHTTP request sent, awaiting response... {} {}\n",
        url.host, url.host, url.port, reply.status, reply.reason
    ));
    if reply.status >= 400 {
        log.push_str(&format!(
            "{stamp} ERROR {}: {}.\n\n",
            reply.status, reply.reason
        ));
        if !quiet {
            proc.err(log);
        }
        return 8;
    }
    let name = opts.value('O').map(String::from).unwrap_or_else(|| {
        let last = url
            .target
            .split('?')
            .next()
            .and_then(|path| path.rsplit('/').next())
            .unwrap_or("");
        let base = if last.is_empty() {
            "index.html".to_string()
        } else {
            last.to_string()
        };
        let mut candidate = base.clone();
        let mut number = 1;
        while proc.view().exists(proc.cred(), proc.cwd, &candidate) && number < 100 {
            candidate = format!("{base}.{number}");
            number += 1;
        }
        candidate
    });
    let length = reply.body.len();
    let kind = reply
        .header("Content-Type")
        .unwrap_or("application/octet-stream")
        .to_string();
    log.push_str(&format!(
        "Length: {length} [{kind}]\nSaving to: ‘{name}’\n\n"
    ));
    let cred = proc.cred().clone();
    let cwd = proc.cwd.to_string();
    let written = if name == "-" {
        proc.out(&reply.body);
        Ok(String::new())
    } else {
        proc.fs().write(&cred, &cwd, &name, &reply.body, false)
    };
    if let Err(errno) = written {
        if !quiet {
            proc.err(log);
        }
        proc.err(format!("{name}: {errno}\n"));
        return 3;
    }
    log.push_str(&format!(
        "{:<20}100%[===================>] {:>7}  --.-KB/s    in 0s      \n\n{stamp} (41.2 MB/s) - ‘{name}’ saved [{length}/{length}]\n\n",
        name.chars().take(19).collect::<String>(),
        length
    ));
    if !quiet {
        proc.err(log);
    }
    0
}

#[cfg(test)]
mod tests {
    use super::super::Machine;
    use super::*;

    const TOKEN_LINE: &str = r#"TOKEN=$(curl -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")"#;

    #[test]
    fn urls_parse_as_curl_reads_them() {
        let url = parse_url("http://169.254.169.254/latest/meta-data/").expect("url");
        assert_eq!(
            (url.host.as_str(), url.port, url.target.as_str()),
            ("169.254.169.254", 80, "/latest/meta-data/")
        );
        let url = parse_url("localhost:8080?x=1").expect("url");
        assert_eq!((url.port, url.target.as_str()), (8080, "/?x=1"));
        assert_eq!(parse_url("ftp://x").map_err(|f| f.code), Err(1));
        assert_eq!(parse_url("http://").map_err(|f| f.code), Err(3));
    }

    #[test]
    fn imdsv2_as_aws_documents_it() {
        let mut machine = Machine::amazon();
        let unauthorized = machine.run("curl http://169.254.169.254/latest/meta-data/instance-id");
        assert!(
            unauthorized
                .output
                .contains("<title>401 - Unauthorized</title>")
        );
        let token = machine.run(TOKEN_LINE);
        assert_eq!(token.status, 0);
        // Captured output shows curl's progress meter on the terminal, as the real one does.
        assert!(token.output.starts_with(
            "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
        ));
        assert!(token.output.contains("100    56  100    56    0     0"));
        let id = machine.out(r#"curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id"#);
        assert_eq!(id, "i-0abc123def4567890");
        let chained = machine.out(&format!(
            r#"{TOKEN_LINE} && curl -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/"#
        ));
        assert!(
            chained.ends_with("security-groups\nservices/\nsystem"),
            "{chained}"
        );
        let bad_ttl = machine.out(r#"curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 99999""#);
        assert!(bad_ttl.contains("<title>400 - Bad Request</title>"));
        let headers = machine.out(r#"curl -s -i -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/local-ipv4"#);
        assert!(headers.starts_with("HTTP/1.1 200 OK\r\nX-Aws-Ec2-Metadata-Token-Ttl-Seconds: 21600\r\nContent-Type: text/plain\r\n"));
        assert!(headers.ends_with("Server: EC2ws\r\nConnection: close\r\n\r\n172.31.5.20"));
        let missing = machine.out(r#"curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/nope"#);
        assert!(missing.contains("<h1>404 - Not Found</h1>"));
    }

    #[test]
    fn a_dropped_connection_hangs_at_the_prompt_until_its_timeout_or_ctrl_c() {
        let mut machine = Machine::ubuntu();
        machine.net.hosts.insert(
            "10.0.0.9".into(),
            Err(NetError::TimedOut { after_ms: 5_000 }),
        );
        assert_eq!(machine.out("curl 10.0.0.9"), "");
        assert!(machine.session.busy());
        assert_eq!(machine.tick(4_000).output, "");
        let failed = machine.tick(1_000);
        assert_eq!(
            failed.output,
            "curl: (28) Failed to connect to 10.0.0.9 port 80 after 5000 ms: Timeout was reached\r\n"
        );
        assert_eq!(failed.status, 28);
        machine.run("curl 10.0.0.9 && echo reached");
        let stopped = machine.keys(b"\x03");
        assert_eq!((stopped.output.as_str(), stopped.status), ("^C\r\n", 130));
        assert!(!machine.session.busy());
    }

    #[test]
    fn curl_to_itself_and_to_the_network() {
        let mut machine = Machine::ubuntu();
        let refused = machine.run("curl localhost");
        assert_eq!(refused.status, 7);
        assert_eq!(
            refused.output,
            "curl: (7) Failed to connect to localhost port 80 after 0 ms: Couldn't connect to server\n"
        );
        assert_eq!(machine.out("curl -s localhost"), "");
        machine.run("sudo apt update && sudo apt install -y nginx");
        let page = machine.out("curl localhost");
        assert!(page.contains("<title>Welcome to nginx!</title>"));
        let head = machine.out("curl -I http://172.31.5.20/");
        assert!(head.starts_with("HTTP/1.1 200 OK\r\nServer: nginx/1.24.0 (Ubuntu)\r\n"));
        assert!(head.contains("Content-Length: 615\r\n"));
        assert_eq!(
            machine.out("curl -s -o /dev/null -w '%{http_code}\\n' localhost/nope"),
            "404\n"
        );
        assert_eq!(machine.out("curl -sf localhost/nope; echo $?"), "22\n");
        let verbose = machine.out("curl -sv localhost -o /dev/null");
        assert!(verbose.starts_with("*   Trying [::1]:80...\n* Connected to localhost (::1) port 80\n> GET / HTTP/1.1\r\n> Host: localhost\r\n> User-Agent: curl/8.5.0\r\n> Accept: */*\r\n> \r\n< HTTP/1.1 200 OK\r\n"), "{verbose}");
        assert!(verbose.ends_with("* Connection #0 to host localhost left intact\n"));
        machine.net.hosts.insert(
            "example.com".into(),
            Ok(HttpReply {
                status: 200,
                reason: "OK".into(),
                headers: vec![],
                body: b"hi".to_vec(),
            }),
        );
        machine.net.hosts.insert(
            "10.0.0.9".into(),
            Err(NetError::TimedOut { after_ms: 133_000 }),
        );
        machine
            .net
            .hosts
            .insert("10.0.0.8".into(), Err(NetError::Refused));
        assert_eq!(machine.out("curl -s example.com"), "hi");
        assert_eq!(
            machine.out("curl nowhere.invalid"),
            "curl: (6) Could not resolve host: nowhere.invalid\n"
        );
        // In a pipe nothing holds the terminal: the failure comes at once.
        assert_eq!(
            machine.out("curl 10.0.0.9 | cat"),
            "curl: (28) Failed to connect to 10.0.0.9 port 80 after 133000 ms: Timeout was reached\n"
        );
        assert_eq!(
            machine.out("curl --connect-timeout 5 10.0.0.9 | cat"),
            "curl: (28) Failed to connect to 10.0.0.9 port 80 after 5000 ms: Timeout was reached\n"
        );
        assert!(
            machine
                .out("curl 10.0.0.8")
                .starts_with("curl: (7) Failed to connect to 10.0.0.8 port 80")
        );
        let asked = machine.net.asked.borrow();
        let request = asked
            .iter()
            .find(|request| request.host == "example.com")
            .expect("asked");
        assert_eq!(request.header("User-Agent"), Some("curl/8.5.0"));
    }

    #[test]
    fn downloads_to_files() {
        let mut machine = Machine::ubuntu();
        machine.run("sudo apt update && sudo apt install -y nginx");
        let saved = machine.run("curl -s -o page.html localhost && wc -c page.html");
        assert_eq!(saved.output, "615 page.html\n");
        let denied = machine.out("curl -s -S -o /etc/page.html localhost");
        assert_eq!(
            denied,
            "Warning: Failed to open the file /etc/page.html: Permission denied\ncurl: (23) Failure writing output to destination\n"
        );
        let wget = machine.run("wget http://localhost/");
        assert_eq!(wget.status, 0);
        assert!(wget.output.contains("HTTP request sent, awaiting response... 200 OK\nLength: 615 [text/html]\nSaving to: ‘index.html’\n"));
        assert_eq!(machine.out("ls"), "index.html  page.html\n");
        assert_eq!(machine.out("ls | cat"), "index.html\npage.html\n");
    }
}
