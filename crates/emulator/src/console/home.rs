//! Console Home: the account at a glance, with a way into each service.

use bytes::Bytes;
use http::Response;
use http_body_util::Full;

use super::html::Html;
use super::words::Word;
use super::{Page, layout};
use crate::billing;
use crate::ec2::instances::Phase;

pub fn page(page: &Page<'_>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let world = page.world();
    let account = page.account();
    let now = world.now_for(account);
    let buckets = world
        .lock()
        .s3
        .buckets
        .values()
        .filter(|bucket| bucket.owner == account)
        .count();
    let (running, distributions, cents) = match world.account(account) {
        Some(held) => {
            let held = held.lock();
            let running = held
                .ec2
                .regions
                .values()
                .flat_map(|region| region.instances.values())
                .filter(|instance| instance.state(now).0 == Phase::Running)
                .count();
            let cents = billing::bill(&held, now).total_cents();
            (running, held.cloudfront.distributions.len(), cents)
        }
        None => (0, 0, 0),
    };
    let mut body = Html::new();
    body.element("h1", "", lang.word(Word::ConsoleHome));
    body.raw("<div class=\"cards\">");
    for (href, word, figure) in [
        (
            "/ec2/instances",
            Word::InstancesRunning,
            running.to_string(),
        ),
        ("/s3", Word::Buckets, buckets.to_string()),
        (
            "/cloudfront",
            Word::Distributions,
            distributions.to_string(),
        ),
        (
            "/billing",
            Word::MonthToDate,
            format!("${}.{:02}", cents / 100, cents % 100),
        ),
    ] {
        body.raw("<section class=\"card\">");
        body.element("h2", "", lang.word(word));
        body.raw("<p class=\"figure\">");
        body.link(href, &figure);
        body.raw("</p></section>");
    }
    body.raw("</div>");
    layout::page(page, lang.word(Word::ConsoleHome), body)
}
