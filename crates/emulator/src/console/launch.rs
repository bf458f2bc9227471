//! EC2's launch wizard, as the lecture walks through it: name, image, instance type with its
//! price and free-tier badge, key pair, network settings that make a `launch-wizard-N` group,
//! storage. Launching makes the same calls the console makes: CreateSecurityGroup and
//! AuthorizeSecurityGroupIngress for a new group, then RunInstances.

use std::fmt::Write as _;

use bytes::Bytes;
use http::Response;
use http_body_util::Full;

use super::calls::{self, Api, Refusal};
use super::html::Html;
use super::words::{Lang, Word};
use super::{Page, layout};
use crate::net;
use crate::state::FreePlan;
use cloudlings_core::catalog::{self, DEFAULT_REGION};
use cloudlings_core::prices;

/// What the wizard's form holds, read back after a refused launch so nothing is lost.
struct Choices {
    name: String,
    image: String,
    instance_type: String,
    key_name: String,
    /// `new` or `existing`.
    firewall: String,
    group_id: String,
    /// `anywhere` or `my-ip`.
    ssh_from: String,
    ssh: bool,
    https: bool,
    http: bool,
    size: String,
    volume_type: String,
}

impl Choices {
    fn defaults() -> Choices {
        Choices {
            name: String::new(),
            image: ubuntu(),
            instance_type: "t2.micro".into(),
            key_name: String::new(),
            firewall: "new".into(),
            group_id: String::new(),
            ssh_from: "anywhere".into(),
            ssh: true,
            https: false,
            http: false,
            size: "8".into(),
            volume_type: "gp3".into(),
        }
    }

    fn from_form(page: &Page<'_>) -> Choices {
        let field = |name: &str| page.request.field(name).trim().to_string();
        Choices {
            name: field("name"),
            image: field("image"),
            instance_type: field("instance_type"),
            key_name: field("key_name"),
            firewall: field("firewall"),
            group_id: field("group_id"),
            ssh_from: field("ssh_from"),
            ssh: page.request.form.contains_key("ssh"),
            https: page.request.form.contains_key("https"),
            http: page.request.form.contains_key("http"),
            size: field("size"),
            volume_type: field("volume_type"),
        }
    }
}

fn ubuntu() -> String {
    catalog::family_image("ami_ubuntu")
        .map_or_else(String::new, |image| image.id_in(DEFAULT_REGION))
}

/// The account's key pairs and security groups in the console's region.
fn existing(page: &Page<'_>) -> (Vec<String>, Vec<(String, String)>) {
    let Some(account) = page.world().account(page.account()) else {
        return (Vec::new(), Vec::new());
    };
    let account = account.lock();
    let Some(region) = account.ec2.regions.get(DEFAULT_REGION) else {
        return (Vec::new(), Vec::new());
    };
    let keys = region
        .key_pairs
        .values()
        .map(|pair| pair.name.clone())
        .collect();
    let groups = region
        .security_groups
        .values()
        .map(|group| (group.id.clone(), group.name.clone()))
        .collect();
    (keys, groups)
}

pub fn form(page: &Page<'_>) -> Response<Full<Bytes>> {
    render(page, &Choices::defaults(), None)
}

fn render(page: &Page<'_>, choices: &Choices, problem: Option<Refusal>) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let (key_pairs, groups) = existing(page);
    let plan = page
        .world()
        .account(page.account())
        .map_or(FreePlan::Legacy, |account| account.lock().free_plan);
    let mut body = Html::new();
    body.element("h1", "", lang.word(Word::LaunchInstance));
    body.element("p", "help", lang.word(Word::LaunchHelp));
    body.refusal(problem.as_ref());
    body.raw("<form method=\"post\" action=\"/ec2/launch\" class=\"wizard\"><div>");
    body.hidden("csrf", &page.session.csrf);

    panel(&mut body, lang, Word::NameAndTags);
    body.field(lang, Word::Name, "name", "text", &choices.name);
    body.raw("</section>");

    panel(&mut body, lang, Word::Images);
    for image in catalog::IMAGES {
        let id = image.id_in(DEFAULT_REGION);
        let text = format!("{} ({id})", image.description);
        body.choice("radio", "image", &id, &text, id == choices.image);
    }
    body.raw("</section>");

    panel(&mut body, lang, Word::InstanceType);
    let options: Vec<(String, String, bool)> = prices::TYPES
        .iter()
        .filter_map(|name| catalog::instance_type(name))
        .map(|kind| {
            let price = prices::hourly(DEFAULT_REGION, kind.name, false).unwrap_or_default();
            let free = match plan {
                FreePlan::Legacy => kind.free_tier,
                FreePlan::Credits => kind.free_plan,
                FreePlan::None => false,
            };
            let hourly = match lang {
                Lang::En => format!("${price} per hour"),
                Lang::Ko => format!("시간당 ${price}"),
            };
            let mut text = format!(
                "{} · {} vCPU · {} GiB · {hourly}",
                kind.name,
                kind.vcpus,
                kind.memory_mib as f64 / 1024.0,
            );
            if free {
                let _ = write!(text, " · {}", lang.word(Word::FreeTierEligible));
            }
            (
                kind.name.to_string(),
                text,
                kind.name == choices.instance_type,
            )
        })
        .collect();
    body.select(lang.word(Word::InstanceType), "instance_type", &options);
    body.raw("</section>");

    panel(&mut body, lang, Word::KeyPairLogin);
    body.element("p", "help", lang.word(Word::KeyPairHelp));
    let mut options = vec![(
        String::new(),
        lang.word(Word::NoKeyPair).to_string(),
        choices.key_name.is_empty(),
    )];
    options.extend(
        key_pairs
            .iter()
            .map(|name| (name.clone(), name.clone(), *name == choices.key_name)),
    );
    body.select(lang.word(Word::KeyPairName), "key_name", &options);
    body.link("/ec2/key-pairs/create", lang.word(Word::CreateKeyPair));
    body.raw("</section>");

    panel(&mut body, lang, Word::NetworkSettings);
    body.element("h3", "", lang.word(Word::Firewall));
    body.choice(
        "radio",
        "firewall",
        "new",
        lang.word(Word::CreateSecurityGroup),
        choices.firewall != "existing",
    );
    body.choice(
        "radio",
        "firewall",
        "existing",
        lang.word(Word::SelectSecurityGroup),
        choices.firewall == "existing",
    );
    let options: Vec<(String, String, bool)> = groups
        .iter()
        .map(|(id, name)| {
            (
                id.clone(),
                format!("{name} ({id})"),
                *id == choices.group_id,
            )
        })
        .collect();
    body.select(lang.word(Word::SecurityGroups), "group_id", &options);
    body.choice(
        "checkbox",
        "ssh",
        "on",
        lang.word(Word::AllowSsh),
        choices.ssh,
    );
    let my_ip = my_ip(page);
    body.select(
        lang.word(Word::AllowSsh),
        "ssh_from",
        &[
            (
                "anywhere".into(),
                lang.word(Word::Anywhere).into(),
                choices.ssh_from != "my-ip",
            ),
            (
                "my-ip".into(),
                format!("{} {my_ip}/32", lang.word(Word::MyIp)),
                choices.ssh_from == "my-ip",
            ),
        ],
    );
    body.choice(
        "checkbox",
        "https",
        "on",
        lang.word(Word::AllowHttps),
        choices.https,
    );
    body.choice(
        "checkbox",
        "http",
        "on",
        lang.word(Word::AllowHttp),
        choices.http,
    );
    body.raw("</section>");

    panel(&mut body, lang, Word::ConfigureStorage);
    body.field(lang, Word::SizeGib, "size", "number", &choices.size);
    let options: Vec<(String, String, bool)> = prices::VOLUME_TYPES
        .iter()
        .map(|kind| {
            (
                kind.to_string(),
                kind.to_string(),
                *kind == choices.volume_type,
            )
        })
        .collect();
    body.select(lang.word(Word::VolumeType), "volume_type", &options);
    body.raw("</section></div>");

    body.raw("<aside class=\"summary\">");
    body.element("h2", "", lang.word(Word::Summary));
    body.element(
        "p",
        "",
        &format!("{}: 1", lang.word(Word::NumberOfInstances)),
    );
    body.button(lang, Word::LaunchInstance, "primary");
    body.raw("</aside></form>");
    layout::page(page, lang.word(Word::LaunchInstance), body)
}

fn panel(body: &mut Html, lang: Lang, title: Word) {
    body.raw("<section class=\"panel\">");
    body.element("h2", "", lang.word(title));
}

/// The learner's address on the emulated network, as instances see their connections come.
pub fn my_ip(page: &Page<'_>) -> String {
    let learner = net::learner_address(&page.world().lock());
    let peer = page
        .request
        .peer
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    net::source_of(peer, learner).to_string()
}

pub fn launch(page: &Page<'_>) -> Response<Full<Bytes>> {
    let choices = Choices::from_form(page);
    match launch_with(page, &choices) {
        Ok(id) => launched(page, &id),
        Err(problem) => render(page, &choices, Some(problem)),
    }
}

fn call(page: &Page<'_>, action: &str, params: &[(&str, &str)]) -> Result<String, Refusal> {
    page.call(Api::Ec2, action, params)
}

fn launch_with(page: &Page<'_>, choices: &Choices) -> Result<String, Refusal> {
    let group = if choices.firewall == "existing" {
        choices.group_id.clone()
    } else {
        new_group(page, choices)?
    };
    let root_device = catalog::IMAGES
        .iter()
        .find(|image| image.id_in(DEFAULT_REGION) == choices.image)
        .map_or("/dev/sda1", |image| image.root_device);
    let mut params: Vec<(&str, &str)> = vec![
        ("ImageId", &choices.image),
        ("InstanceType", &choices.instance_type),
        ("MinCount", "1"),
        ("MaxCount", "1"),
        ("SecurityGroupId.1", &group),
        ("BlockDeviceMapping.1.DeviceName", root_device),
        ("BlockDeviceMapping.1.Ebs.VolumeSize", &choices.size),
        ("BlockDeviceMapping.1.Ebs.VolumeType", &choices.volume_type),
        ("BlockDeviceMapping.1.Ebs.DeleteOnTermination", "true"),
    ];
    if !choices.key_name.is_empty() {
        params.push(("KeyName", &choices.key_name));
    }
    if !choices.name.is_empty() {
        params.extend([
            ("TagSpecification.1.ResourceType", "instance"),
            ("TagSpecification.1.Tag.1.Key", "Name"),
            ("TagSpecification.1.Tag.1.Value", &choices.name),
        ]);
    }
    let answer = call(page, "RunInstances", &params)?;
    calls::first(&answer, "instanceId").ok_or_else(|| Refusal {
        code: "InternalError".into(),
        message: "RunInstances answered without an instance.".into(),
    })
}

/// Makes `launch-wizard-N`, the first number no group of the account's region has, with the
/// rules the wizard's boxes asked for.
fn new_group(page: &Page<'_>, choices: &Choices) -> Result<String, Refusal> {
    let (_, groups) = existing(page);
    let name = (1..)
        .map(|n| format!("launch-wizard-{n}"))
        .find(|name| !groups.iter().any(|(_, taken)| taken == name))
        .unwrap_or_else(|| "launch-wizard".into());
    let now = page.world().now_for(page.account());
    let description = format!(
        "{name} created {}",
        now.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    );
    let answer = call(
        page,
        "CreateSecurityGroup",
        &[("GroupName", &name), ("GroupDescription", &description)],
    )?;
    let id = calls::first(&answer, "groupId").ok_or_else(|| Refusal {
        code: "InternalError".into(),
        message: "CreateSecurityGroup answered without a group.".into(),
    })?;
    let ssh_source = if choices.ssh_from == "my-ip" {
        format!("{}/32", my_ip(page))
    } else {
        "0.0.0.0/0".to_string()
    };
    let mut rules: Vec<(&str, String)> = Vec::new();
    for (wanted, port, source) in [
        (choices.ssh, "22", ssh_source.as_str()),
        (choices.https, "443", "0.0.0.0/0"),
        (choices.http, "80", "0.0.0.0/0"),
    ] {
        if wanted {
            rules.push((port, source.to_string()));
        }
    }
    if rules.is_empty() {
        return Ok(id);
    }
    let mut params: Vec<(String, String)> = vec![("GroupId".into(), id.clone())];
    for (n, (port, source)) in rules.iter().enumerate() {
        params.extend(calls::ip_permission(n + 1, "tcp", (port, port), source));
    }
    let params: Vec<(&str, &str)> = params
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    call(page, "AuthorizeSecurityGroupIngress", &params)?;
    Ok(id)
}

fn launched(page: &Page<'_>, id: &str) -> Response<Full<Bytes>> {
    let lang = page.lang;
    let mut body = Html::new();
    body.raw("<section class=\"panel\">");
    body.raw("<p class=\"alert success\">");
    body.text(lang.word(Word::Launched)).text(" (");
    body.link(&format!("/ec2/instances/{id}"), id);
    body.raw(")</p><p>");
    body.link(
        &format!("/ec2/instances/{id}/connect"),
        lang.word(Word::ConnectToInstance),
    );
    body.text(" · ");
    body.link("/ec2/instances", lang.word(Word::ViewInstances));
    body.raw("</p></section>");
    layout::page(page, lang.word(Word::LaunchInstance), body)
}
