//! EC2's instances: the list, with each instance's state on the account's clock, and stop,
//! start and terminate behind AWS's confirmations.

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::Full;

use super::calls::{self, Api};
use super::html::Html;
use super::words::Word;
use super::{Page, layout, redirect};
use crate::ec2::instances::Phase;

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
    groups: Vec<String>,
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
                    state
                        .security_groups
                        .get(id)
                        .map_or_else(|| id.clone(), |group| group.name.clone())
                })
                .collect();
            let row = Row {
                id: instance.id.clone(),
                name: instance.tags.get("Name").cloned().unwrap_or_default(),
                region: region.clone(),
                zone: instance.zone.clone(),
                phase: instance.state(now).0,
                instance_type: instance.instance_type.clone(),
                public_dns: instance.public_dns(region, now),
                public_ip: instance.public_ip.clone().unwrap_or_default(),
                groups,
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
    body.element(
        "h1",
        "",
        &format!("{} ({})", lang.word(Word::Instances), rows.len()),
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
        body.element("td", "id", &row.id);
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
        body.element("td", "", &row.groups.join(", "));
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
    let called = calls::call(
        page.world(),
        page.request.peer,
        page.keys,
        &row.region,
        Api::Ec2,
        action.api(),
        &[("InstanceId.1", row.id.as_str())],
    );
    match called {
        Ok(_) => redirect("/ec2/instances?done=1"),
        Err(refusal) => {
            let message = format!("{}: {}", refusal.code, refusal.message);
            let message: String = form_urlencoded::byte_serialize(message.as_bytes()).collect();
            redirect(&format!("/ec2/instances?error={message}"))
        }
    }
}
