//! Billing and Cost Management: this month's bill by service and line, and the free tier used,
//! on the account's own clock, from the same bill `cloudlings bill` prints.

use bytes::Bytes;
use http::Response;
use http_body_util::Full;

use super::html::Html;
use super::words::Word;
use super::{Page, layout};
use crate::billing::{self, Pool, Service};

/// Dollars to the cent, as the bill shows them.
fn usd(amount: f64) -> String {
    format!("${amount:.2}")
}

pub fn page(page: &Page<'_>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let world = page.world();
    let now = world.now_for(page.account());
    let Some(bill) = world
        .account(page.account())
        .map(|account| billing::bill(&account.lock(), now))
    else {
        return page.refuse(http::StatusCode::NOT_FOUND, Word::NotFound);
    };
    let mut body = Html::new();
    body.element(
        "h1",
        "",
        &format!(
            "{} · {}",
            lang.word(Word::Bills),
            billing::month_name(bill.month_start)
        ),
    );
    body.raw("<section class=\"card total\">");
    body.element("h2", "", lang.word(Word::Total));
    let total = bill.total_cents();
    body.element(
        "p",
        "figure",
        &format!("${}.{:02}", total / 100, total % 100),
    );
    body.raw("</section>");
    body.element("h2", "", lang.word(Word::BillFor));
    if bill.lines.is_empty() {
        body.element("p", "empty", lang.word(Word::NoCharges));
    } else {
        body.raw("<table class=\"resources bill\">");
        body.header_row(
            lang,
            &[
                Word::Service,
                Word::Region,
                Word::Description,
                Word::Usage,
                Word::Amount,
            ],
        );
        body.raw("<tbody>");
        for line in &bill.lines {
            let service = match line.service() {
                Service::Ec2 => "Elastic Compute Cloud",
                Service::Vpc => "Virtual Private Cloud",
            };
            body.raw("<tr>");
            body.element("td", "", service);
            body.element("td", "", &line.region);
            body.element("td", "", &line.description());
            body.element("td", "number", &format!("{:.3}", line.quantity));
            body.element("td", "number", &usd(line.cost));
            body.raw("</tr>");
        }
        body.raw("</tbody></table>");
    }
    if !bill.free.is_empty() {
        body.element("h2", "", lang.word(Word::FreeTier));
        body.raw("<table class=\"resources\">");
        body.header_row(
            lang,
            &[
                Word::FreeTierOffer,
                Word::Used,
                Word::Allowance,
                Word::Amount,
            ],
        );
        body.raw("<tbody>");
        for free in &bill.free {
            let offer = match free.pool {
                Pool::Linux => "750 hours t2.micro / t3.micro (Linux)",
                Pool::Windows => "750 hours t2.micro / t3.micro (Windows)",
                Pool::PublicIpv4 => "750 hours public IPv4",
                Pool::Storage => "30 GB-months EBS",
            };
            body.raw("<tr>");
            body.element("td", "", offer);
            body.element("td", "number", &format!("{:.3}", free.used));
            body.element("td", "number", &format!("{}", free.pool.allowance()));
            body.element("td", "number", &format!("-{}", usd(free.value)));
            body.raw("</tr>");
        }
        body.raw("</tbody></table>");
    }
    if bill.credits > 0.0 {
        body.element(
            "p",
            "",
            &format!("{}: -{}", lang.word(Word::Credits), usd(bill.credits)),
        );
    }
    layout::page(page, lang.word(Word::Billing), body)
}
