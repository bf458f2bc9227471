//! The emulator's own routes, under `/_cloudlings/`: what AWS has no API for but a teaching
//! cloud needs from outside the shell (`cloudlings serve`): reading and moving the clock, and
//! the bill. Requests are SigV4-signed like any other (scope service `cloudlings`). Each
//! account has a time of its own: any key of an account moves that account's; moving another
//! account's, or every account's, takes the installation's own key.
//!
//! - `GET /_cloudlings/clock`: the caller's account's time, `{"Account": "…", "now": "…",
//!   "offset_seconds": N}` (how far ahead of the wall clock)
//! - `POST /_cloudlings/clock?advance=2h[&account=ID|all]`: moves the caller's account's
//!   time forward (or that account's, or the whole room's), and answers like `GET` for the
//!   account moved (the caller's, for `all`)
//! - `GET /_cloudlings/bill`: the caller's account's bill this month: `Lines[]` of instance
//!   hours, public IPv4 address-hours and EBS GB-months, `FreeTier[]`, `Credits`, `TotalCents`
//! - `GET /_cloudlings/session`: what a shell elsewhere needs to know of its place here:
//!   `{"Account", "SourceIp", "DropTimeoutMs", "Plan", "now", "offset_seconds"}`, where `SourceIp` is
//!   the address the caller's connections come from on the emulated network (its "My IP")
//! - `GET /_cloudlings/events`: SSH logins and commands on the caller's account's instances
//! - `GET /_cloudlings/plan`: `{"Account": "…", "Plan": "legacy|credits|none"}`, the caller's
//! - `POST /_cloudlings/plan?plan=credits[&account=ID]`: sets an account's free offer (the
//!   caller's unless `account` names another); the installation's own key only, so that a
//!   classroom's learners keep the plan their teacher gave them

use std::net::{IpAddr, Ipv4Addr};

use http::{HeaderMap, Method, Uri};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

mod bill;
mod console;

pub use bill::from_json as bill_from_json;
pub use console::console;

use super::auth::authenticate;
use super::billing;
use super::clock::parse_duration;
use super::error::AwsError;
use super::net;
use super::sigv4::Authorization;
use super::state::{FreePlan, World};
use super::store::Part;
use super::wire::protocol::Reply;

pub const PREFIX: &str = "/_cloudlings/";

/// A request to one of the routes, with where it came from (`None`: this machine).
#[derive(Debug)]
pub struct Request<'a> {
    pub route: &'a str,
    pub peer: Option<IpAddr>,
    pub method: &'a Method,
    pub uri: &'a Uri,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

pub fn respond(world: &World, request: &Request<'_>, request_id: &str) -> Reply {
    let result = run(world, request);
    let (status, value) = match result {
        Ok(value) => (200, value),
        Err(error) => (
            error.status,
            json!({ "Error": { "Code": error.code, "Message": error.message }, "RequestId": request_id }),
        ),
    };
    Reply {
        status,
        body: value.to_string(),
        content_type: "application/json",
        headers: Vec::new(),
    }
}

fn run(world: &World, request: &Request<'_>) -> Result<Value, AwsError> {
    let &Request {
        route,
        peer,
        method,
        uri,
        headers,
        body,
    } = request;
    let auth = Authorization::parse(headers);
    let caller = authenticate(world, "cloudlings", &auth, method, uri, headers, body)?;
    let own_account = || {
        world
            .account(&caller.account)
            .ok_or_else(|| AwsError::internal("the caller's account has no state"))
    };
    let is_root = caller.access_key == world.lock().root_key;
    let query: Vec<(String, String)> =
        form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    match (method, route) {
        (&Method::GET, "clock") => Ok(clock(world, &caller.account)),
        (&Method::POST, "clock") => {
            let get = |name: &str| {
                query
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
            };
            let by = get("advance").unwrap_or_default();
            let duration = parse_duration(by).ok_or_else(|| {
                AwsError::invalid_parameter_value(format!(
                    "'{by}' is not a duration such as 90s, 15m, 2h or 1d"
                ))
            })?;
            let whose = get("account").unwrap_or(&caller.account);
            if whose != caller.account && !is_root {
                return Err(AwsError::new(
                    403,
                    "AccessDenied",
                    "An account moves its own clock; only the installation's own key moves another's.",
                ));
            }
            let moved = match whose {
                "all" => world.advance_clock(duration),
                id if world.account(id).is_some() => world.advance_account_clock(id, duration),
                id => {
                    return Err(AwsError::new(
                        404,
                        "NoSuchAccount",
                        format!("No account {id} here"),
                    ));
                }
            };
            moved.map_err(|error| AwsError::internal(error.to_string()))?;
            let shown = if whose == "all" {
                &caller.account
            } else {
                whose
            };
            Ok(clock(world, shown))
        }
        (&Method::GET, "bill") => {
            let held = own_account()?;
            let account = held.lock();
            let bill = billing::bill(&account, world.now_for(&caller.account));
            Ok(bill::to_json(&caller.account, &bill))
        }
        (&Method::GET, "plan") => Ok(plan_json(&caller.account, own_account()?.lock().free_plan)),
        (&Method::POST, "plan") => {
            let get = |name: &str| {
                query
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
            };
            let plan = match get("plan").unwrap_or_default() {
                "legacy" => FreePlan::Legacy,
                "credits" => FreePlan::Credits,
                "none" => FreePlan::None,
                other => {
                    return Err(AwsError::invalid_parameter_value(format!(
                        "'{other}' is not a free plan: legacy, credits or none"
                    )));
                }
            };
            if !is_root {
                return Err(AwsError::new(
                    403,
                    "AccessDenied",
                    "Only the installation's own key sets an account's plan.",
                ));
            }
            let id = get("account").unwrap_or(&caller.account).to_string();
            let held = world.account(&id).ok_or_else(|| {
                AwsError::new(404, "NoSuchAccount", format!("No account {id} here"))
            })?;
            let mut account = held.lock();
            account.free_plan = plan;
            world
                .persist(account, &[Part::Account(&id)])
                .map_err(|error| AwsError::internal(error.to_string()))?;
            Ok(plan_json(&id, plan))
        }
        (&Method::GET, "session") => {
            let learner = net::learner_address(&world.lock());
            let source = net::source_of(peer.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)), learner);
            let mut session = clock(world, &caller.account);
            session["SourceIp"] = json!(source.to_string());
            session["DropTimeoutMs"] = json!(world.net.drop_timeout().as_millis() as u64);
            session["Plan"] = json!(plan_name(own_account()?.lock().free_plan));
            Ok(session)
        }
        (&Method::GET, "events") => Ok(own_account()?.lock().events.to_json()),
        _ => Err(AwsError::new(
            404,
            "NotFound",
            format!("No such emulator route: {method} {PREFIX}{route}"),
        )),
    }
}

fn plan_json(account: &str, plan: FreePlan) -> Value {
    json!({ "Account": account, "Plan": plan_name(plan) })
}

/// The plan as `--free-plan` names it.
pub fn plan_name(plan: FreePlan) -> &'static str {
    match plan {
        FreePlan::Legacy => "legacy",
        FreePlan::Credits => "credits",
        FreePlan::None => "none",
    }
}

fn clock(world: &World, account: &str) -> Value {
    let clock = &world.lock().clock;
    json!({
        "Account": account,
        "now": clock.now_for(account).format(&Rfc3339).unwrap_or_default(),
        "offset_seconds": clock.ahead_for(account).whole_seconds(),
    })
}
