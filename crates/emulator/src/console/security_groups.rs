//! EC2's security groups: the list, a group's inbound rules, and the inbound rules editor,
//! whose "My IP" fills in the learner's address on the emulated network as a /32. Saving
//! revokes the rules marked for deletion and authorizes the new ones, by the API.

use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::Full;

use super::calls::{self, Api, Refusal};
use super::html::Html;
use super::launch::my_ip;
use super::words::Word;
use super::{Page, layout, redirect, redirect_refused};
use crate::ec2::security_groups::{Peer, Rule, SecurityGroup};
use cloudlings_core::catalog::DEFAULT_REGION;

/// New-rule rows the editor offers at once.
const NEW_ROWS: usize = 3;

/// The rule types the editor offers: name, protocol and fixed port (`None`: typed in).
const TYPES: &[(&str, &str, Option<&str>)] = &[
    ("ssh", "tcp", Some("22")),
    ("http", "tcp", Some("80")),
    ("https", "tcp", Some("443")),
    ("custom-tcp", "tcp", None),
    ("all", "-1", None),
];

fn groups(page: &Page<'_>) -> Vec<SecurityGroup> {
    page.world()
        .account(page.account())
        .and_then(|account| {
            let account = account.lock();
            let region = account.ec2.regions.get(DEFAULT_REGION)?;
            Some(region.security_groups.values().cloned().collect())
        })
        .unwrap_or_default()
}

fn group(page: &Page<'_>, id: &str) -> Option<SecurityGroup> {
    groups(page).into_iter().find(|group| group.id == id)
}

pub fn list(page: &Page<'_>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let groups = groups(page);
    let mut body = Html::new();
    body.list_heading(
        lang,
        Word::SecurityGroups,
        groups.len(),
        "/ec2/security-groups/create",
        Word::CreateSecurityGroup,
    );
    body.raw("<table class=\"resources\">");
    body.header_row(
        lang,
        &[
            Word::GroupId,
            Word::GroupName,
            Word::Description,
            Word::InboundRules,
        ],
    );
    body.raw("<tbody>");
    for group in &groups {
        body.raw("<tr><td class=\"id\">");
        body.link(&format!("/ec2/security-groups/{}", group.id), &group.id);
        body.raw("</td>");
        body.element("td", "name", &group.name);
        body.element("td", "", &group.description);
        let inbound = group.rules.iter().filter(|rule| !rule.egress).count();
        body.element("td", "number", &inbound.to_string());
        body.raw("</tr>");
    }
    body.raw("</tbody></table>");
    layout::page(page, lang.word(Word::SecurityGroups), body)
}

pub fn create_form(page: &Page<'_>, problem: Option<&Refusal>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let mut body = Html::new();
    body.raw("<section class=\"panel\">");
    body.element("h1", "", lang.word(Word::CreateSecurityGroup));
    body.refusal(problem);
    body.form("/ec2/security-groups/create", &page.session.csrf)
        .field(
            lang,
            Word::GroupName,
            "name",
            "text",
            page.request.field("name"),
        )
        .field(
            lang,
            Word::Description,
            "description",
            "text",
            page.request.field("description"),
        )
        .button(lang, Word::CreateSecurityGroup, "primary")
        .raw("</form></section>");
    layout::page(page, lang.word(Word::CreateSecurityGroup), body)
}

/// Creates an empty group in the default VPC; its rules come from the rules editor.
pub fn create(page: &Page<'_>) -> Response<Full<Bytes>> {
    let created = page.call(
        Api::Ec2,
        "CreateSecurityGroup",
        &[
            ("GroupName", page.request.field("name").trim()),
            ("GroupDescription", page.request.field("description").trim()),
        ],
    );
    match created.map(|xml| calls::first(&xml, "groupId")) {
        Ok(Some(id)) => redirect(&format!("/ec2/security-groups/{id}")),
        Ok(None) => redirect("/ec2/security-groups"),
        Err(problem) => {
            let mut response = create_form(page, Some(&problem));
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

/// `22`, `8000-8100`, or `All`.
fn ports(rule: &Rule) -> String {
    match (rule.from_port, rule.to_port) {
        (Some(from), Some(to)) if from == to => from.to_string(),
        (Some(from), Some(to)) if from >= 0 && to >= 0 => format!("{from}-{to}"),
        _ => "All".to_string(),
    }
}

fn source(rule: &Rule) -> String {
    match &rule.peer {
        Peer::Ipv4(cidr) | Peer::Ipv6(cidr) => cidr.clone(),
        Peer::Group { id, .. } => id.clone(),
    }
}

fn protocol(rule: &Rule) -> String {
    if rule.protocol == "-1" {
        "All".into()
    } else {
        rule.protocol.to_uppercase()
    }
}

/// Which of a group's rules a page is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub fn parse(segment: &str) -> Option<Direction> {
        match segment {
            "inbound" => Some(Direction::Inbound),
            "outbound" => Some(Direction::Outbound),
            _ => None,
        }
    }

    fn segment(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }

    fn egress(self) -> bool {
        self == Direction::Outbound
    }

    fn title(self) -> Word {
        match self {
            Direction::Inbound => Word::InboundRules,
            Direction::Outbound => Word::OutboundRules,
        }
    }

    fn edit(self) -> Word {
        match self {
            Direction::Inbound => Word::EditInboundRules,
            Direction::Outbound => Word::EditOutboundRules,
        }
    }

    /// Where traffic comes from (inbound) or goes to (outbound).
    fn peer(self) -> Word {
        match self {
            Direction::Inbound => Word::Source,
            Direction::Outbound => Word::Destination,
        }
    }

    /// The API actions that add and remove such rules.
    fn actions(self) -> (&'static str, &'static str) {
        match self {
            Direction::Inbound => (
                "AuthorizeSecurityGroupIngress",
                "RevokeSecurityGroupIngress",
            ),
            Direction::Outbound => ("AuthorizeSecurityGroupEgress", "RevokeSecurityGroupEgress"),
        }
    }
}

pub fn details(page: &Page<'_>, id: &str) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let Some(group) = group(page, id) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let mut body = Html::new();
    body.element("h1", "", &format!("{} - {}", group.id, group.name));
    body.element("p", "help", &group.description);
    if let Some(problem) = page.request.query.get("error") {
        body.element("p", "alert error", problem);
    }
    for direction in [Direction::Inbound, Direction::Outbound] {
        body.raw("<section class=\"panel\"><div class=\"toolbar\">");
        body.element("h2", "", lang.word(direction.title()));
        body.link(
            &format!("/ec2/security-groups/{}/{}", group.id, direction.segment()),
            lang.word(direction.edit()),
        );
        body.raw("</div>");
        let rules: Vec<&Rule> = group
            .rules
            .iter()
            .filter(|rule| rule.egress == direction.egress())
            .collect();
        if rules.is_empty() {
            body.element("p", "empty", lang.word(Word::NoRules));
        } else {
            body.raw("<table class=\"resources\">");
            body.header_row(lang, &[Word::Protocol, Word::PortRange, direction.peer()]);
            body.raw("<tbody>");
            for rule in rules {
                body.raw("<tr>");
                body.element("td", "", &protocol(rule));
                body.element("td", "", &ports(rule));
                body.element("td", "", &source(rule));
                body.raw("</tr>");
            }
            body.raw("</tbody></table>");
        }
        body.raw("</section>");
    }
    // AWS keeps a VPC's default group for as long as the VPC.
    if group.name != "default" {
        body.form(
            &format!("/ec2/security-groups/{}/delete", group.id),
            &page.session.csrf,
        )
        .button(lang, Word::DeleteSecurityGroup, "primary")
        .raw("</form>");
    }
    layout::page(page, &group.name, body)
}

pub fn delete(page: &Page<'_>, id: &str) -> Response<Full<Bytes>> {
    let Some(group) = group(page, id) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    match page.call(Api::Ec2, "DeleteSecurityGroup", &[("GroupId", &group.id)]) {
        Ok(_) => redirect("/ec2/security-groups"),
        Err(problem) => redirect_refused(&format!("/ec2/security-groups/{}", group.id), &problem),
    }
}

pub fn editor(page: &Page<'_>, id: &str, direction: Direction) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let Some(group) = group(page, id) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    let my_ip = my_ip(page);
    let mut body = Html::new();
    body.element("h1", "", lang.word(direction.edit()));
    body.element("p", "help", lang.word(Word::NewRuleHelp));
    body.form(
        &format!("/ec2/security-groups/{}/{}", group.id, direction.segment()),
        &page.session.csrf,
    );
    body.raw("<table class=\"resources\">");
    body.header_row(
        lang,
        &[
            Word::RuleType,
            Word::PortRange,
            direction.peer(),
            Word::Delete,
        ],
    );
    body.raw("<tbody>");
    for rule in group
        .rules
        .iter()
        .filter(|rule| rule.egress == direction.egress())
    {
        body.raw("<tr>");
        body.element("td", "", &protocol(rule));
        body.element("td", "", &ports(rule));
        body.element("td", "", &source(rule));
        body.raw("<td>");
        body.choice(
            "checkbox",
            "delete",
            &rule.id,
            lang.word(Word::Delete),
            false,
        );
        body.raw("</td></tr>");
    }
    for n in 0..NEW_ROWS {
        body.raw("<tr><td>");
        let types: Vec<(String, String, bool)> = [
            ("", "–"),
            ("ssh", "SSH"),
            ("http", "HTTP"),
            ("https", "HTTPS"),
            ("custom-tcp", lang.word(Word::CustomTcp)),
            ("all", lang.word(Word::AllTraffic)),
        ]
        .iter()
        .map(|(value, text)| (value.to_string(), text.to_string(), false))
        .collect();
        body.select(lang.word(Word::RuleType), NEW_TYPE[n], &types);
        body.raw("</td><td>");
        body.field(lang, Word::PortRange, NEW_PORT[n], "text", "");
        body.raw("</td><td>");
        body.select(
            lang.word(direction.peer()),
            NEW_SOURCE[n],
            &[
                ("custom".into(), lang.word(Word::Custom).into(), true),
                ("anywhere".into(), "Anywhere-IPv4 0.0.0.0/0".into(), false),
                (
                    "my-ip".into(),
                    format!("{} {my_ip}/32", lang.word(Word::MyIp)),
                    false,
                ),
            ],
        );
        body.field(lang, Word::Custom, NEW_CIDR[n], "text", "");
        body.raw("</td><td></td></tr>");
    }
    body.raw("</tbody></table>");
    body.button(lang, Word::SaveRules, "primary")
        .raw("</form><p>");
    body.link(
        &format!("/ec2/security-groups/{}", group.id),
        lang.word(Word::Cancel),
    );
    body.raw("</p>");
    layout::page(page, lang.word(direction.edit()), body)
}

/// The new rows' field names, fixed so that they can be `&'static`.
const NEW_TYPE: [&str; NEW_ROWS] = ["type0", "type1", "type2"];
const NEW_PORT: [&str; NEW_ROWS] = ["port0", "port1", "port2"];
const NEW_SOURCE: [&str; NEW_ROWS] = ["source0", "source1", "source2"];
const NEW_CIDR: [&str; NEW_ROWS] = ["cidr0", "cidr1", "cidr2"];

pub fn save(page: &Page<'_>, id: &str, direction: Direction) -> Response<Full<Bytes>> {
    let Some(group) = group(page, id) else {
        return page.refuse(StatusCode::NOT_FOUND, Word::NotFound);
    };
    match save_rules(page, &group, direction) {
        Ok(()) => redirect(&format!("/ec2/security-groups/{}", group.id)),
        Err(problem) => redirect_refused(&format!("/ec2/security-groups/{}", group.id), &problem),
    }
}

fn save_rules(page: &Page<'_>, group: &SecurityGroup, direction: Direction) -> Result<(), Refusal> {
    let form = &page.request.form;
    let mut params: Vec<(String, String)> = Vec::new();
    let mut n = 0;
    for row in 0..NEW_ROWS {
        let kind = form.get(NEW_TYPE[row]).map_or("", String::as_str);
        let Some((_, protocol, fixed)) = TYPES.iter().find(|(name, _, _)| *name == kind) else {
            continue;
        };
        n += 1;
        let ports = fixed.map_or_else(
            || form.get(NEW_PORT[row]).cloned().unwrap_or_default(),
            str::to_string,
        );
        let (from, to) = match ports.trim().split_once('-') {
            Some((from, to)) => (from.trim().to_string(), to.trim().to_string()),
            None => (ports.trim().to_string(), ports.trim().to_string()),
        };
        let cidr = match form.get(NEW_SOURCE[row]).map_or("", String::as_str) {
            "anywhere" => "0.0.0.0/0".to_string(),
            "my-ip" => format!("{}/32", my_ip(page)),
            _ => form.get(NEW_CIDR[row]).cloned().unwrap_or_default(),
        };
        params.extend(calls::ip_permission(n, protocol, (&from, &to), cidr.trim()));
    }
    let call = |action: &str, params: &[(String, String)]| {
        let mut all = vec![("GroupId", group.id.as_str())];
        all.extend(
            params
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
        page.call(Api::Ec2, action, &all)
    };
    let (authorize, revoke) = direction.actions();
    if !params.is_empty() {
        call(authorize, &params)?;
    }
    let deleted: Vec<(String, String)> = page
        .request
        .all("delete")
        .iter()
        .enumerate()
        .map(|(n, rule)| (format!("SecurityGroupRuleId.{}", n + 1), rule.to_string()))
        .collect();
    if !deleted.is_empty() {
        call(revoke, &deleted)?;
    }
    Ok(())
}
