//! Billing and Cost Management: this month's bill by service and line, and the free tier used,
//! on the account's own clock, from the same bill `cloudlings bill` prints.

use bytes::Bytes;
use http::Response;
use http_body_util::Full;

use super::html::Html;
use super::words::Word;
use super::{Page, layout};
use crate::billing::{self, Pool, Service};

/// What the month's usage came to at the end of each day so far (today: now), in cents.
fn daily_totals(
    account: &crate::state::Account,
    month_start: time::OffsetDateTime,
    now: time::OffsetDateTime,
) -> Vec<i64> {
    let mut totals = Vec::new();
    let mut end = month_start + time::Duration::days(1);
    // What the usage came to before the free tier took its part: what the learner used, even
    // in a month the free tier pays for.
    let cents = |at| (billing::bill(account, at).charges() * 100.0).round() as i64;
    while end < now && totals.len() < 31 {
        totals.push(cents(end));
        end += time::Duration::days(1);
    }
    totals.push(cents(now));
    totals
}

/// The month so far as bars, one a day, drawn as SVG: no script, and only attributes the
/// style policy allows.
fn chart(body: &mut Html, days: &[i64], lang: super::words::Lang) {
    const WIDTH: i64 = 620;
    const HEIGHT: i64 = 160;
    let top = days.iter().copied().max().unwrap_or(0).max(1);
    let slot = WIDTH / 31;
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\">",
        WIDTH + 60,
        HEIGHT + 30
    );
    for (day, cents) in days.iter().enumerate() {
        let height = cents * HEIGHT / top;
        let x = 50 + day as i64 * slot;
        let label = match lang {
            super::words::Lang::En => format!("Day {}", day + 1),
            super::words::Lang::Ko => format!("{}일", day + 1),
        };
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{height}\" fill=\"#006ce0\"><title>{label}: ${}.{:02}</title></rect>",
            HEIGHT - height,
            slot - 4,
            cents / 100,
            cents % 100
        ));
    }
    for day in [1, 8, 15, 22, 29] {
        let x = 50 + (day - 1) * slot;
        svg.push_str(&format!(
            "<text x=\"{x}\" y=\"{}\" font-size=\"12\" fill=\"#5f6b7a\">{day}</text>",
            HEIGHT + 18
        ));
    }
    svg.push_str(&format!(
        "<text x=\"0\" y=\"12\" font-size=\"12\" fill=\"#5f6b7a\">${}.{:02}</text><line x1=\"48\" y1=\"{HEIGHT}\" x2=\"{}\" y2=\"{HEIGHT}\" stroke=\"#c6c6cd\"/></svg>",
        top / 100,
        top % 100,
        WIDTH + 50
    ));
    body.svg(svg);
}

/// `December 2026`, `2026년 12월`.
fn month(start: time::OffsetDateTime, lang: super::words::Lang) -> String {
    match lang {
        super::words::Lang::En => billing::month_name(start),
        super::words::Lang::Ko => format!("{}년 {}월", start.year(), u8::from(start.month())),
    }
}

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
            month(bill.month_start, lang)
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
    let days = {
        let Some(account) = world.account(page.account()) else {
            return page.refuse(http::StatusCode::NOT_FOUND, Word::NotFound);
        };
        let account = account.lock();
        daily_totals(&account, bill.month_start, now)
    };
    body.element("h2", "", lang.word(Word::CostOverTime));
    chart(&mut body, &days, lang);
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
