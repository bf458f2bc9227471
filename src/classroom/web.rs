//! The class's pages as a browser gets them: the files embedded in the binary (the pages and
//! the npm packages vendored into `web/vendor`), the headers every answer carries, the
//! session cookie, and the same-origin checks.
//!
//! Nothing is loaded from elsewhere at run time, so the Content-Security-Policy allows this
//! origin alone, and no script that is not one of these files: a name or an output the page
//! shows can never run as script.

use bytes::Bytes;
use http::header::{self, HeaderMap, HeaderValue};
use http::{Response, StatusCode};
use http_body_util::Full;

/// The cookie that carries a learner's session.
pub const LEARNER_COOKIE: &str = "cloudlings_learner";

/// A file the class serves, with its type.
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    pub bytes: &'static [u8],
    pub content_type: &'static str,
}

macro_rules! asset {
    ($path:literal, $type:literal) => {
        Asset {
            bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/", $path)),
            content_type: $type,
        }
    };
}

/// The files under `/assets/`, by name. A fixed list: a path names one of these or nothing,
/// so no request reaches the disk.
pub fn asset(name: &str) -> Option<Asset> {
    Some(match name {
        "classroom.css" => asset!("classroom.css", "text/css; charset=utf-8"),
        "words.js" => asset!("words.js", "text/javascript; charset=utf-8"),
        "join.js" => asset!("join.js", "text/javascript; charset=utf-8"),
        "terminal.js" => asset!("terminal.js", "text/javascript; charset=utf-8"),
        "teacher.js" => asset!("teacher.js", "text/javascript; charset=utf-8"),
        "console.js" => asset!("console.js", "text/javascript; charset=utf-8"),
        "xterm.js" => asset!("vendor/xterm/xterm.js", "text/javascript; charset=utf-8"),
        "xterm.css" => asset!("vendor/xterm/xterm.css", "text/css; charset=utf-8"),
        "addon-fit.js" => asset!(
            "vendor/addon-fit/addon-fit.js",
            "text/javascript; charset=utf-8"
        ),
        _ => return None,
    })
}

/// The pages, by path.
pub fn page(path: &str) -> Option<Asset> {
    Some(match path {
        "/" => asset!("join.html", "text/html; charset=utf-8"),
        "/terminal" => asset!("terminal.html", "text/html; charset=utf-8"),
        "/teacher" => asset!("teacher.html", "text/html; charset=utf-8"),
        _ => return None,
    })
}

/// What every answer of the class carries: no script, style or connection from elsewhere, no
/// framing, no guessing of types, no address sent on.
pub fn secure(headers: &mut HeaderMap) {
    let set = |headers: &mut HeaderMap, name, value| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'",
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(
        headers,
        http::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        headers,
        http::HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
}

/// A file as the answer.
pub fn serve(asset: Asset) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(asset.bytes)));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A redirect to another of the class's pages.
pub fn see_other(location: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::SEE_OTHER;
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static(location));
    response
}

/// The `Set-Cookie` of a learner's session: sent back to this class only, never to script,
/// never on a request another site starts.
pub fn session_cookie(name: &str, token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    // A token is hex: always a valid header value.
    HeaderValue::from_str(&format!(
        "{name}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The value of the cookie `name` the request carries.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Whether a request a browser may have sent from another site's page came from one of the
/// class's own: its `Origin` names the host it was sent to. A request without `Origin` is no
/// browser's cross-site request (browsers send it on every WebSocket and every POST); `strict`
/// refuses it all the same.
pub fn same_origin(headers: &HeaderMap, strict: bool) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return !strict;
    };
    let (Ok(origin), Some(Ok(host))) = (
        origin.to_str(),
        headers.get(header::HOST).map(|host| host.to_str()),
    ) else {
        return false;
    };
    let authority = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"));
    authority.is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn only_the_class_s_own_pages_are_its_origin() {
        let host = ("host", "192.168.0.7:8080");
        assert!(same_origin(
            &headers(&[host, ("origin", "http://192.168.0.7:8080")]),
            true
        ));
        assert!(!same_origin(
            &headers(&[host, ("origin", "http://evil.example")]),
            true
        ));
        assert!(!same_origin(
            &headers(&[host, ("origin", "http://192.168.0.7:8080.evil.example")]),
            true
        ));
        assert!(!same_origin(&headers(&[host, ("origin", "null")]), true));
        assert!(!same_origin(&headers(&[host]), true));
        assert!(same_origin(&headers(&[host]), false));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let sent = headers(&[("cookie", "a=1; cloudlings_learner=abc; b=2")]);
        assert_eq!(cookie(&sent, LEARNER_COOKIE), Some("abc"));
        assert_eq!(cookie(&sent, "cloudlings"), None);
        let set = session_cookie(LEARNER_COOKIE, "abc", false);
        let set = set.to_str().expect("text");
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"));
        assert!(!set.contains("Secure"));
    }

    #[test]
    fn every_word_of_the_pages_is_in_both_languages() {
        let words = std::str::from_utf8(asset("words.js").expect("words").bytes).expect("UTF-8");
        let (english, korean) = words.split_once("\n  ko: {").expect("a Korean part");
        let keys = |part: &str| -> Vec<String> {
            let mut keys: Vec<String> = part
                .lines()
                .filter_map(|line| line.strip_prefix("    "))
                .filter_map(|line| line.split_once(':'))
                .map(|(key, _)| key.to_string())
                .filter(|key| key.chars().all(|c| c.is_ascii_alphanumeric()))
                .collect();
            keys.sort();
            keys
        };
        let korean = korean.split("\n};").next().expect("the end of the words");
        assert!(keys(english).len() > 40, "{:?}", keys(english));
        assert_eq!(keys(english), keys(korean));
        // And every word a page names is one of them.
        for page in ["/", "/terminal", "/teacher"] {
            let html = std::str::from_utf8(super::page(page).expect("page").bytes).expect("UTF-8");
            for named in html.split("data-word=\"").skip(1) {
                let key = named.split('"').next().unwrap_or_default().to_string();
                assert!(keys(english).contains(&key), "{page}: {key}");
            }
        }
    }

    #[test]
    fn every_asset_is_embedded_and_nothing_else_is_served() {
        for name in [
            "classroom.css",
            "words.js",
            "join.js",
            "terminal.js",
            "teacher.js",
            "console.js",
            "xterm.js",
            "xterm.css",
            "addon-fit.js",
        ] {
            assert!(
                asset(name).is_some_and(|asset| !asset.bytes.is_empty()),
                "{name}"
            );
        }
        for name in ["../Cargo.toml", "vendor/xterm/xterm.js", "", "join.html"] {
            assert!(asset(name).is_none(), "{name}");
        }
    }
}
