//! The frame around every page: the top bar with the services, the account and the language,
//! as the AWS console lays it out.

use bytes::Bytes;
use http::Response;
use http_body_util::Full;

use super::html::{Html, escape};
use super::words::{Lang, Word};
use super::{Page, html_response};
use cloudlings_core::catalog::DEFAULT_REGION;

/// A page without the services' bar: sign-in and the MFA code.
pub fn bare(lang: Lang, title: &str, body: Html) -> String {
    let mut top = Html::new();
    top.raw("<header class=\"top\"><span class=\"brand\">cloudlings</span>");
    languages(&mut top, lang, "/signin");
    top.raw("</header>");
    document(lang, title, top, body)
}

/// A signed-in page: the top bar, the services, then `body`.
pub fn page(page: &Page<'_>, title: &str, body: Html) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let mut top = Html::new();
    top.raw("<header class=\"top\">");
    top.link("/home", "cloudlings");
    top.raw("<nav class=\"services\">");
    for (href, word) in [
        ("/ec2/instances", Word::Ec2),
        ("/iam/users", Word::Iam),
        ("/s3", Word::S3),
        ("/cloudfront", Word::CloudFront),
        ("/billing", Word::BillingShort),
    ] {
        top.link(href, lang.word(word));
    }
    top.raw("</nav><span class=\"region\">");
    top.text(&format!("{} ({DEFAULT_REGION})", lang.word(Word::Seoul)));
    top.raw("</span><span class=\"who\">");
    let principal = &page.session.principal;
    let who = match &principal.user {
        Some(user) => format!("{user} @ {}", principal.account),
        None => format!("{} @ {}", lang.word(Word::RootUser), principal.account),
    };
    top.link("/iam/security-credentials", &who);
    top.raw("</span>");
    languages(&mut top, lang, &page.request.path);
    top.form("/signout", &page.session.csrf)
        .button(lang, Word::SignOut, "link")
        .raw("</form></header>");
    let body = match side_links(&page.request.path) {
        Some(links) => {
            let mut framed = Html::new();
            framed.raw("<div class=\"with-side\"><nav class=\"side\">");
            for (href, word) in links {
                framed.link(href, lang.word(*word));
            }
            framed.raw("</nav><div class=\"content\">");
            framed.append(body);
            framed.raw("</div></div>");
            framed
        }
        None => body,
    };
    html_response(document(lang, title, top, body))
}

/// A service's own pages, beside its pages as AWS's console lists them.
fn side_links(path: &str) -> Option<&'static [(&'static str, Word)]> {
    if path.starts_with("/ec2") {
        return Some(&[
            ("/ec2/instances", Word::Instances),
            ("/ec2/launch", Word::LaunchInstance),
            ("/ec2/security-groups", Word::SecurityGroups),
            ("/ec2/key-pairs", Word::KeyPairs),
        ]);
    }
    if path.starts_with("/cloudfront") {
        return Some(&[
            ("/cloudfront", Word::Distributions),
            ("/cloudfront/origin-access", Word::OriginAccessControls),
        ]);
    }
    if path.starts_with("/iam") {
        return Some(&[
            ("/iam/users", Word::Users),
            ("/iam/security-credentials", Word::MyCredentials),
        ]);
    }
    None
}

/// The two languages, each a link that remembers it and comes back to `back`.
fn languages(html: &mut Html, lang: Lang, back: &str) {
    html.raw("<span class=\"languages\">");
    for (other, name) in [(Lang::En, "English"), (Lang::Ko, "한국어")] {
        if other == lang {
            html.element("span", "current", name);
        } else {
            let back: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
            html.link(&format!("/lang?to={}&back={back}", other.code()), name);
        }
    }
    html.raw("</span>");
}

fn document(lang: Lang, title: &str, top: Html, body: Html) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} | cloudlings {}</title><link rel=\"stylesheet\" href=\"/console.css\"></head>\
         <body>{}<main>{}</main></body></html>\n",
        lang.code(),
        escape(title),
        escape(lang.word(Word::Console)),
        top.into_string(),
        body.into_string()
    )
}
