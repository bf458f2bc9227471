//! EC2's instances: the list, with each instance's state on the account's clock, and stop,
//! start and terminate behind AWS's confirmations.

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::Full;

use super::calls::Api;
use super::html::Html;
use super::words::Word;
use super::{Page, layout, redirect, redirect_refused};
use crate::ec2::instances::Phase;
use cloudlings_core::catalog;

/// What a learner may do to an instance from the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Stop,
    Start,
    Terminate,
}

impl Action {
    fn parse(name: &str) -> Option<Action> {
        match name {
            "stop" => Some(Action::Stop),
            "start" => Some(Action::Start),
            "terminate" => Some(Action::Terminate),
            _ => None,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Action::Stop => "stop",
            Action::Start => "start",
            Action::Terminate => "terminate",
        }
    }

    /// The API action that does it.
    fn api(self) -> &'static str {
        match self {
            Action::Stop => "StopInstances",
            Action::Start => "StartInstances",
            Action::Terminate => "TerminateInstances",
        }
    }

    fn title(self) -> Word {
        match self {
            Action::Stop => Word::StopInstance,
            Action::Start => Word::StartInstance,
            Action::Terminate => Word::TerminateInstance,
        }
    }

    fn button(self) -> Word {
        match self {
            Action::Stop => Word::Stop,
            Action::Start => Word::Start,
            Action::Terminate => Word::Terminate,
        }
    }

    fn warning(self) -> Word {
        match self {
            Action::Stop => Word::ConfirmStop,
            Action::Start => Word::ConfirmStart,
            Action::Terminate => Word::ConfirmTerminate,
        }
    }

    /// Whether it can be done in `phase`, as the console offers it.
    fn allowed(self, phase: Phase) -> bool {
        match self {
            Action::Stop => phase == Phase::Running,
            Action::Start => phase == Phase::Stopped,
            Action::Terminate => !matches!(phase, Phase::ShuttingDown | Phase::Terminated),
        }
    }
}

fn state_word(phase: Phase) -> Word {
    match phase {
        Phase::Pending => Word::StatePending,
        Phase::Running => Word::StateRunning,
        Phase::Stopping => Word::StateStopping,
        Phase::Stopped => Word::StateStopped,
        Phase::ShuttingDown => Word::StateShuttingDown,
        Phase::Terminated => Word::StateTerminated,
    }
}

/// One row of the list, read under the account's lock.
struct Row {
    id: String,
    name: String,
    region: String,
    zone: String,
    phase: Phase,
    instance_type: String,
    public_dns: String,
    public_ip: String,
    private_ip: String,
    groups: Vec<(String, String)>,
    key_name: String,
    image_id: String,
    login_user: String,
    launch_time: time::OffsetDateTime,
}

/// The account's instances, newest first.
fn rows(page: &Page<'_>) -> Vec<Row> {
    let world = page.world();
    let now = world.now_for(page.account());
    let Some(account) = world.account(page.account()) else {
        return Vec::new();
    };
    let account = account.lock();
    let mut rows: Vec<(time::OffsetDateTime, Row)> = Vec::new();
    for (region, state) in &account.ec2.regions {
        for instance in state.instances.values() {
            let groups = instance
                .security_groups
                .iter()
                .map(|id| {
                    let name = state
                        .security_groups
                        .get(id)
                        .map_or_else(|| id.clone(), |group| group.name.clone());
                    (id.clone(), name)
                })
                .collect();
            let login_user = catalog::IMAGES
                .iter()
                .find(|image| image.name == instance.image_name)
                .and_then(|image| image.login_user)
                .unwrap_or("ec2-user");
            let row = Row {
                id: instance.id.clone(),
                name: instance.tags.get("Name").cloned().unwrap_or_default(),
                region: region.clone(),
                zone: instance.zone.clone(),
                phase: instance.state(now).0,
                instance_type: instance.instance_type.clone(),
                public_dns: instance.public_dns(region, now),
                public_ip: instance.public_ip.clone().unwrap_or_default(),
                private_ip: instance.private_ip.clone(),
                groups,
                key_name: instance.key_name.clone().unwrap_or_default(),
                image_id: instance.image_id.clone(),
                login_user: login_user.to_string(),
                launch_time: instance.launch_time,
            };
            rows.push((instance.launch_time, row));
        }
    }
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    rows.into_iter().map(|(_, row)| row).collect()
}

pub fn instances(page: &Page<'_>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let rows = rows(page);
    let mut body = Html::new();
    body.list_heading(
        lang,
        Word::Instances,
        rows.len(),
        "/ec2/launch",
        Word::LaunchInstance,
    );
    if let Some(problem) = page.request.query.get("error") {
        body.element("p", "alert error", problem);
    }
    if page.request.query.contains_key("done") {
        body.element("p", "alert success", lang.word(Word::Done));
    }
    if rows.is_empty() {
        body.element("p", "empty", lang.word(Word::NoInstances));
        return layout::page(page, lang.word(Word::Instances), body);
    }
    body.raw("<table class=\"resources\">");
    body.header_row(
        lang,
        &[
            Word::Name,
            Word::InstanceId,
            Word::InstanceState,
            Word::InstanceType,
            Word::Zone,
            Word::PublicDns,
            Word::PublicIp,
            Word::SecurityGroups,
            Word::Actions,
        ],
    );
    body.raw("<tbody>");
    for row in &rows {
        body.raw("<tr>");
        body.element("td", "name", &row.name);
        body.raw("<td class=\"id\">");
        body.link(&format!("/ec2/instances/{}", row.id), &row.id);
        body.raw("</td>");
        body.raw("<td class=\"state\">");
        body.element(
            "span",
            state_class(row.phase),
            lang.word(state_word(row.phase)),
        );
        body.raw("</td>");
        body.element("td", "", &row.instance_type);
        body.element("td", "", &row.zone);
        body.element("td", "dns", &row.public_dns);
        body.element("td", "", &row.public_ip);
        let groups: Vec<&str> = row.groups.iter().map(|(_, name)| name.as_str()).collect();
        body.element("td", "", &groups.join(", "));
        body.raw("<td class=\"actions\">");
        for action in [Action::Stop, Action::Start, Action::Terminate] {
            if action.allowed(row.phase) {
                body.link(
                    &format!("/ec2/instances/{}/{}", row.id, action.path()),
                    lang.word(action.button()),
                );
            }
        }
        body.raw("</td></tr>");
    }
    body.raw("</tbody></table>");
    layout::page(page, lang.word(Word::Instances), body)
}

fn state_class(phase: Phase) -> &'static str {
    match phase {
        Phase::Running => "state running",
        Phase::Stopped | Phase::Terminated => "state stopped",
        _ => "state changing",
    }
}

/// The instance `id` of this account, if it exists and `action` applies to it now.
fn find(page: &Page<'_>, id: &str, action: &str) -> Option<(Row, Action)> {
    let action = Action::parse(action)?;
    let row = rows(page).into_iter().find(|row| row.id == id)?;
    Some((row, action))
}

pub fn confirm(page: &Page<'_>, id: &str, action: &str) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let Some((row, action)) = find(page, id, action) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let mut body = Html::new();
    body.raw("<section class=\"confirm\">");
    body.element("h1", "", lang.word(action.title()));
    body.element("p", "alert warning", lang.word(action.warning()));
    body.raw("<p>");
    body.element("span", "id", &row.id);
    body.text(" ");
    body.element("span", "name", &row.name);
    body.raw("</p>");
    body.form(
        &format!("/ec2/instances/{}/{}", row.id, action.path()),
        &page.session.csrf,
    )
    .button(lang, action.button(), "primary")
    .raw("</form>");
    body.link("/ec2/instances", lang.word(Word::Cancel));
    body.raw("</section>");
    layout::page(page, lang.word(action.title()), body)
}

pub fn act(page: &Page<'_>, id: &str, action: &str) -> Response<Full<Bytes>> {
    let Some((row, action)) = find(page, id, action) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let called = page.call_in(
        &row.region,
        Api::Ec2,
        action.api(),
        &[("InstanceId.1", row.id.as_str())],
    );
    match called {
        Ok(_) => redirect("/ec2/instances?done=1"),
        Err(refusal) => redirect_refused("/ec2/instances", &refusal),
    }
}

/// The instance's page: its details, and the way to connect.
pub fn details(page: &Page<'_>, id: &str) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let Some(row) = rows(page).into_iter().find(|row| row.id == id) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let mut body = Html::new();
    body.raw("<div class=\"toolbar\">");
    let title = if row.name.is_empty() {
        row.id.clone()
    } else {
        format!("{} ({})", row.id, row.name)
    };
    body.element("h1", "", &title);
    body.link(
        &format!("/ec2/instances/{}/connect", row.id),
        lang.word(Word::Connect),
    );
    body.raw("</div><section class=\"panel\">");
    body.element("h2", "", lang.word(Word::Details));
    body.raw("<dl class=\"details\">");
    let launched = super::html::when(row.launch_time);
    let groups: Vec<String> = row
        .groups
        .iter()
        .map(|(id, name)| format!("{id} ({name})"))
        .collect();
    let groups = groups.join(", ");
    for (word, value) in [
        (Word::InstanceId, row.id.as_str()),
        (Word::InstanceState, lang.word(state_word(row.phase))),
        (Word::InstanceType, row.instance_type.as_str()),
        (Word::PublicIp, row.public_ip.as_str()),
        (Word::PrivateIp, row.private_ip.as_str()),
        (Word::PublicDns, row.public_dns.as_str()),
        (Word::Zone, row.zone.as_str()),
        (Word::ImageId, row.image_id.as_str()),
        (Word::KeyName, row.key_name.as_str()),
        (Word::LaunchTime, launched.as_str()),
        (Word::SecurityGroups, groups.as_str()),
    ] {
        body.element("dt", "", lang.word(word));
        body.element("dd", "", if value.is_empty() { "–" } else { value });
    }
    body.raw("</dl></section>");
    layout::page(page, &title, body)
}

/// "Connect to instance", the SSH client tab: the lecture's `chmod 400` and `ssh -i`.
pub fn connect(page: &Page<'_>, id: &str) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let Some(row) = rows(page).into_iter().find(|row| row.id == id) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let key = if row.key_name.is_empty() {
        "key.pem".to_string()
    } else {
        format!("{}.pem", row.key_name)
    };
    let mut body = Html::new();
    body.element("h1", "", lang.word(Word::ConnectToInstance));
    body.raw("<section class=\"panel\">");
    body.element("h2", "", lang.word(Word::SshClient));
    body.element(
        "p",
        "",
        &format!("{}: {}", lang.word(Word::InstanceId), row.id),
    );
    if row.public_dns.is_empty() {
        body.element("p", "alert warning", lang.word(Word::NoPublicDns));
    }
    body.raw("<ol>");
    body.element("li", "", lang.word(Word::ConnectStep1));
    body.raw("<li>");
    body.text(lang.word(Word::ConnectStep2)).text(" ");
    body.element("code", "", &key);
    body.raw("</li><li>");
    body.text(lang.word(Word::ConnectStep3));
    body.element("pre", "code", &format!("chmod 400 \"{key}\""));
    body.raw("</li><li>");
    body.text(lang.word(Word::ConnectStep4));
    body.element("pre", "code", &row.public_dns);
    body.raw("</li></ol>");
    body.element("p", "", lang.word(Word::Example));
    let host = if row.public_dns.is_empty() {
        &row.public_ip
    } else {
        &row.public_dns
    };
    body.element(
        "pre",
        "code",
        &format!("ssh -i \"{key}\" {}@{host}", row.login_user),
    );
    body.raw("</section>");
    layout::page(page, lang.word(Word::ConnectToInstance), body)
}
