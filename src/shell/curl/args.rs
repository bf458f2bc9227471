//! `curl`'s command line: the options a beginner uses to look at a web server, read as curl
//! reads them (short options combine, `-ofile` and `-o file` are the same, a URL without a
//! scheme is `http://`).

use std::time::Duration;

/// A parsed `curl` command line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Invocation {
    pub url: String,
    /// `-s`: no error messages (unless `-S`).
    pub silent: bool,
    /// `-S`: error messages even with `-s`.
    pub show_error: bool,
    /// `-i`: the response headers before the body.
    pub include: bool,
    /// `-I`: a `HEAD` request, headers only.
    pub head: bool,
    /// `-v`: the connection, request and response headers as they go.
    pub verbose: bool,
    /// `-f`: an HTTP error status is an error (22).
    pub fail: bool,
    /// `-o FILE`: the body into a file.
    pub output: Option<String>,
    /// `-H 'Name: value'`, in order.
    pub headers: Vec<String>,
    /// `-X METHOD`.
    pub method: Option<String>,
    /// `-d DATA`: a POST body.
    pub data: Option<String>,
    /// `-m SECS`: the whole transfer's limit.
    pub max_time: Option<Duration>,
}

/// Why a command line was refused, with curl's exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoUrl,
    Unknown(String),
    NeedsParameter(String),
    NotANumber(String),
}

impl Refusal {
    /// What curl prints.
    pub fn lines(&self) -> Vec<String> {
        let first = match self {
            Refusal::NoUrl => "curl: no URL specified".to_string(),
            Refusal::Unknown(option) => format!("curl: option {option}: is unknown"),
            Refusal::NeedsParameter(option) => format!("curl: option {option}: requires parameter"),
            Refusal::NotANumber(option) => {
                format!("curl: option {option}: expected a proper numerical parameter")
            }
        };
        vec![
            first,
            "curl: try 'curl --help' or 'curl --manual' for more information".to_string(),
        ]
    }
}

/// Long options and the short letter they mean.
const LONG: &[(&str, char)] = &[
    ("--silent", 's'),
    ("--show-error", 'S'),
    ("--include", 'i'),
    ("--head", 'I'),
    ("--verbose", 'v'),
    ("--fail", 'f'),
    ("--output", 'o'),
    ("--header", 'H'),
    ("--request", 'X'),
    ("--data", 'd'),
    ("--max-time", 'm'),
];

/// Parses the words after `curl`.
pub fn parse(words: &[String]) -> Result<Invocation, Refusal> {
    let mut invocation = Invocation::default();
    let mut url = None;
    let mut words = words.iter();
    while let Some(word) = words.next() {
        if let Some(long) = word.strip_prefix("--").filter(|long| !long.is_empty()) {
            let (name, inline) = match long.split_once('=') {
                Some((name, value)) => (format!("--{name}"), Some(value.to_string())),
                None => (word.clone(), None),
            };
            if name == "--url" {
                url = Some(
                    inline
                        .or_else(|| words.next().cloned())
                        .ok_or(Refusal::NeedsParameter(name))?,
                );
                continue;
            }
            let Some(&(_, letter)) = LONG.iter().find(|(long, _)| *long == name) else {
                return Err(Refusal::Unknown(name));
            };
            if takes_value(letter) {
                let value = inline
                    .or_else(|| words.next().cloned())
                    .ok_or_else(|| Refusal::NeedsParameter(name.clone()))?;
                set_value(&mut invocation, letter, &name, value)?;
            } else {
                set_flag(&mut invocation, letter);
            }
            continue;
        }
        let Some(flags) = word.strip_prefix('-').filter(|flags| !flags.is_empty()) else {
            url = Some(word.clone());
            continue;
        };
        for (at, letter) in flags.char_indices() {
            if takes_value(letter) {
                let inline = &flags[at + letter.len_utf8()..];
                let option = format!("-{letter}");
                let value = if inline.is_empty() {
                    words
                        .next()
                        .cloned()
                        .ok_or_else(|| Refusal::NeedsParameter(option.clone()))?
                } else {
                    inline.to_string()
                };
                set_value(&mut invocation, letter, &option, value)?;
                break;
            }
            if !"sSiIvf".contains(letter) {
                return Err(Refusal::Unknown(format!("-{letter}")));
            }
            set_flag(&mut invocation, letter);
        }
    }
    invocation.url = url.ok_or(Refusal::NoUrl)?;
    Ok(invocation)
}

fn takes_value(letter: char) -> bool {
    "oHXdm".contains(letter)
}

fn set_flag(invocation: &mut Invocation, letter: char) {
    match letter {
        's' => invocation.silent = true,
        'S' => invocation.show_error = true,
        'i' => invocation.include = true,
        'I' => invocation.head = true,
        'v' => invocation.verbose = true,
        _ => invocation.fail = true,
    }
}

fn set_value(
    invocation: &mut Invocation,
    letter: char,
    option: &str,
    value: String,
) -> Result<(), Refusal> {
    match letter {
        'o' => invocation.output = Some(value),
        'H' => invocation.headers.push(value),
        'X' => invocation.method = Some(value),
        'd' => invocation.data = Some(value),
        _ => {
            let seconds = value
                .parse::<f64>()
                .ok()
                .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
                .ok_or_else(|| Refusal::NotANumber(option.to_string()))?;
            invocation.max_time = (seconds > 0.0).then(|| Duration::from_secs_f64(seconds));
        }
    }
    Ok(())
}

/// The parts of a URL a request needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub scheme: String,
    /// Lower case; an IPv6 literal without its brackets.
    pub host: String,
    pub port: u16,
    /// Path and query, at least `/`.
    pub target: String,
}

/// Why a URL was refused: curl's code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadUrl {
    pub code: u8,
    pub message: String,
}

impl Url {
    /// Parses a URL as curl does; a URL without `scheme://` is `http://`.
    pub fn parse(text: &str) -> Result<Url, BadUrl> {
        let malformed = || BadUrl {
            code: 3,
            message: "URL rejected: Malformed input to a URL function".to_string(),
        };
        let (scheme, rest) = match text.split_once("://") {
            Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
            None => ("http".to_string(), text),
        };
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => {
                return Err(BadUrl {
                    code: 1,
                    message: format!("Protocol \"{scheme}\" not supported"),
                });
            }
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        let authority = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
            let (host, after) = bracketed.split_once(']').ok_or_else(malformed)?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            }
        };
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(malformed());
        }
        let port = match port {
            None | Some("") => default_port,
            Some(port) => port.parse::<u16>().map_err(|_| BadUrl {
                code: 3,
                message: "URL rejected: Port number was not a decimal number between 0 and 65535"
                    .to_string(),
            })?,
        };
        let path = path.split('#').next().unwrap_or_default();
        let target = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        Ok(Url {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            target,
        })
    }

    /// The `Host` header's value: the port only when it is not the scheme's own.
    pub fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        let default = if self.scheme == "https" { 443 } else { 80 };
        if self.port == default {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Invocation, Refusal> {
        parse(&crate::words::split(line).expect("balanced"))
    }

    #[test]
    fn options_combine_and_take_values() {
        let invocation = parse_line(
            "-sSi -H 'Accept: text/html' -Hx-a:1 -X PUT -m 2.5 -ofile.html http://3.35.1.2/",
        )
        .expect("valid");
        assert!(invocation.silent && invocation.show_error && invocation.include);
        assert_eq!(invocation.headers, ["Accept: text/html", "x-a:1"]);
        assert_eq!(invocation.method.as_deref(), Some("PUT"));
        assert_eq!(invocation.max_time, Some(Duration::from_millis(2500)));
        assert_eq!(invocation.output.as_deref(), Some("file.html"));
        assert_eq!(invocation.url, "http://3.35.1.2/");

        let long = parse_line("--head --max-time=3 --url example.com").expect("valid");
        assert!(long.head);
        assert_eq!(long.max_time, Some(Duration::from_secs(3)));
        assert_eq!(long.url, "example.com");
    }

    #[test]
    fn refusals_in_curl_s_words() {
        assert_eq!(parse_line("-s"), Err(Refusal::NoUrl));
        assert_eq!(parse_line("-Z x"), Err(Refusal::Unknown("-Z".into())));
        assert_eq!(
            parse_line("--frobnicate x"),
            Err(Refusal::Unknown("--frobnicate".into()))
        );
        assert_eq!(
            parse_line("x -o"),
            Err(Refusal::NeedsParameter("-o".into()))
        );
        assert_eq!(
            parse_line("-m soon x"),
            Err(Refusal::NotANumber("-m".into()))
        );
        assert_eq!(
            Refusal::NoUrl.lines(),
            [
                "curl: no URL specified",
                "curl: try 'curl --help' or 'curl --manual' for more information"
            ]
        );
    }

    #[test]
    fn urls() {
        let url = Url::parse("http://EC2-3-35-1-2.example.com:8080/a?b=c#frag").expect("valid");
        assert_eq!(
            (
                url.scheme.as_str(),
                url.host.as_str(),
                url.port,
                url.target.as_str()
            ),
            ("http", "ec2-3-35-1-2.example.com", 8080, "/a?b=c")
        );
        assert_eq!(url.host_header(), "ec2-3-35-1-2.example.com:8080");
        let bare = Url::parse("3.35.1.2").expect("valid");
        assert_eq!((bare.port, bare.target.as_str()), (80, "/"));
        assert_eq!(bare.host_header(), "3.35.1.2");
        let secure = Url::parse("https://d111.cloudfront.net/cat.png").expect("valid");
        assert_eq!(
            (secure.port, secure.host_header().as_str()),
            (443, "d111.cloudfront.net")
        );
        assert_eq!(Url::parse("ftp://x/").expect_err("ftp").code, 1);
        assert_eq!(Url::parse("http:///x").expect_err("no host").code, 3);
        assert_eq!(Url::parse("http://x:port/").expect_err("port").code, 3);
    }
}
