//! A request as the console's pages read it: the query, the form (URL-encoded, or multipart
//! with the files of an upload), the cookies' headers and the peer, all read before a page
//! runs, within a size cap and the connection's body timeout.

use std::collections::HashMap;
use std::net::IpAddr;

use bytes::Bytes;
use http::{Method, StatusCode};
use http_body_util::{BodyExt, Limited};

use super::sessions::{LANGUAGE_COOKIE, cookie};
use super::words::Lang;
use crate::http::{BODY_TIMEOUT, BodyTimeout, TimedBody};

/// The largest URL-encoded form the console reads.
pub const MAX_FORM: usize = 16 * 1024;
/// The largest upload (a multipart form) the console reads: an image for the lecture, with
/// room to spare. Larger objects go up with the aws CLI.
pub const MAX_UPLOAD: usize = 32 * 1024 * 1024;

/// A file sent with a multipart form.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

/// A request as the pages read it: the form already read and decoded.
#[derive(Debug)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub query: HashMap<String, String>,
    pub form: HashMap<String, String>,
    /// Every field in order, for names a form gives more than once (checkboxes).
    pub pairs: Vec<(String, String)>,
    /// The files of a multipart form.
    pub files: Vec<Upload>,
    pub headers: http::HeaderMap,
    pub peer: Option<IpAddr>,
}

impl Request {
    /// The language the learner chose, or their browser's.
    pub fn lang(&self) -> Lang {
        cookie(&self.headers, LANGUAGE_COOKIE)
            .and_then(Lang::from_code)
            .unwrap_or_else(|| {
                let accepted = self
                    .headers
                    .get(http::header::ACCEPT_LANGUAGE)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default();
                Lang::from_accept_language(accepted)
            })
    }

    pub fn field(&self, name: &str) -> &str {
        self.form.get(name).map_or("", String::as_str)
    }

    /// Every value of a field the form may give more than once.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// Decodes `a=1&b=2` into a map; a name given twice keeps its first value.
pub fn decode_form(bytes: &[u8]) -> HashMap<String, String> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(bytes)
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    first_values(&pairs)
}

fn first_values(pairs: &[(String, String)]) -> HashMap<String, String> {
    let mut form = HashMap::new();
    for (name, value) in pairs {
        form.entry(name.clone()).or_insert_with(|| value.clone());
    }
    form
}

/// Reads a request whole: `405` for a method the console has no use for, `413` for a body
/// over its cap, `400` for one it cannot read.
pub async fn read(request: http::Request<hyper::body::Incoming>) -> Result<Request, StatusCode> {
    let peer = request
        .extensions()
        .get::<crate::gateway::Peer>()
        .map(|peer| peer.0.ip());
    let timeout = request
        .extensions()
        .get::<BodyTimeout>()
        .map_or(BODY_TIMEOUT, |timeout| timeout.0);
    let (parts, body) = request.into_parts();
    if parts.method != Method::GET && parts.method != Method::POST {
        return Err(StatusCode::METHOD_NOT_ALLOWED);
    }
    let boundary = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| multer::parse_boundary(value).ok());
    let cap = if boundary.is_some() {
        MAX_UPLOAD
    } else {
        MAX_FORM
    };
    let body = TimedBody::new(body, timeout, cap as u64);
    let bytes = match Limited::new(body, cap).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(StatusCode::PAYLOAD_TOO_LARGE),
    };
    let (pairs, files) = if parts.method != Method::POST {
        (Vec::new(), Vec::new())
    } else if let Some(boundary) = boundary {
        multipart(bytes, boundary).await?
    } else {
        let pairs = form_urlencoded::parse(&bytes)
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        (pairs, Vec::new())
    };
    Ok(Request {
        method: parts.method,
        path: parts.uri.path().to_string(),
        query: decode_form(parts.uri.query().unwrap_or_default().as_bytes()),
        form: first_values(&pairs),
        pairs,
        files,
        headers: parts.headers,
        peer,
    })
}

/// `response` as the console under `base` gives it: its page's own addresses (`href="/…"`,
/// `action="/…"`) and its redirect under `base`. Only the console's markup can hold those
/// forms: every text it shows is escaped, so a name cannot carry an `href="` of its own.
pub fn rebase(
    response: http::Response<http_body_util::Full<Bytes>>,
    base: &str,
) -> http::Response<http_body_util::Full<Bytes>> {
    use http_body_util::BodyExt;
    let (mut parts, body) = response.into_parts();
    if let Some(location) = parts
        .headers
        .get(http::header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .filter(|location| location.starts_with('/'))
        .and_then(|location| http::HeaderValue::from_str(&format!("{base}{location}")).ok())
    {
        parts.headers.insert(http::header::LOCATION, location);
    }
    let html = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
    // A `Full` body is whole already; collecting it never waits.
    let bytes = futures_util::FutureExt::now_or_never(body.collect())
        .and_then(Result::ok)
        .map(|collected| collected.to_bytes())
        .unwrap_or_default();
    let bytes = if html {
        let text = String::from_utf8_lossy(&bytes)
            .replace("href=\"/", &format!("href=\"{base}/"))
            .replace("action=\"/", &format!("action=\"{base}/"));
        parts.headers.remove(http::header::CONTENT_LENGTH);
        Bytes::from(text)
    } else {
        bytes
    };
    http::Response::from_parts(parts, http_body_util::Full::new(bytes))
}

/// A multipart form's text fields and files.
async fn multipart(
    bytes: Bytes,
    boundary: String,
) -> Result<(Vec<(String, String)>, Vec<Upload>), StatusCode> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let mut form = multer::Multipart::new(stream, boundary);
    let (mut pairs, mut files) = (Vec::new(), Vec::new());
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|_| StatusCode::BAD_REQUEST)?
    {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let content_type = field.content_type().map(ToString::to_string);
        let data = field.bytes().await.map_err(|_| StatusCode::BAD_REQUEST)?;
        match file_name {
            Some(file_name) => files.push(Upload {
                file_name,
                content_type,
                bytes: data,
            }),
            None => pairs.push((name, String::from_utf8_lossy(&data).into_owned())),
        }
    }
    Ok((pairs, files))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::{BodyExt, Full};

    fn body(response: http::Response<Full<Bytes>>) -> String {
        let bytes = futures_util::FutureExt::now_or_never(response.into_body().collect())
            .and_then(Result::ok)
            .map(|collected| collected.to_bytes())
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[test]
    fn a_page_under_a_base_keeps_its_links_and_redirects_there() {
        let page = "<a href=\"/ec2/instances\">i</a><form action=\"/signout\"></form>\
                    <td>href=&quot;/evil&quot;</td><a href=\"http://d1.cloudfront.localhost:9/\">e</a>";
        let mut response = http::Response::new(Full::new(Bytes::from(page)));
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/html; charset=utf-8"),
        );
        let text = body(rebase(response, "/console"));
        assert!(text.contains("href=\"/console/ec2/instances\""), "{text}");
        assert!(text.contains("action=\"/console/signout\""), "{text}");
        assert!(
            text.contains("href=&quot;/evil&quot;"),
            "escaped text stays as it was"
        );
        assert!(text.contains("href=\"http://d1.cloudfront.localhost:9/\""));

        let mut moved = http::Response::new(Full::new(Bytes::new()));
        moved.headers_mut().insert(
            http::header::LOCATION,
            http::HeaderValue::from_static("/home"),
        );
        let moved = rebase(moved, "/console");
        assert_eq!(moved.headers()[http::header::LOCATION], "/console/home");
    }
}
