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
    for (href, word) in [("/ec2/instances", Word::Ec2), ("/billing", Word::Billing)] {
        top.link(href, lang.word(word));
    }
    top.raw("</nav><span class=\"region\">");
    top.text(&format!("{} {DEFAULT_REGION}", lang.word(Word::Region)));
    top.raw("</span><span class=\"who\">");
    let principal = &page.session.principal;
    let who = match &principal.user {
        Some(user) => format!("{user} @ {}", principal.account),
        None => format!("{} @ {}", lang.word(Word::RootUser), principal.account),
    };
    top.text(&who);
    top.raw("</span>");
    languages(&mut top, lang, &page.request.path);
    top.form("/signout", &page.session.csrf)
        .button(lang, Word::SignOut, "link")
        .raw("</form></header>");
    html_response(document(lang, title, top, body))
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
