//! The emulator's own routes, under `/_cloudlings/`: what AWS has no API for but a teaching
//! cloud needs from outside the shell (`cloudlings serve`): reading and moving the clock, and
//! the bill. Requests are SigV4-signed like any other (scope service `cloudlings`); moving the
//! clock, which every account shares, takes the installation's own key.
//!
//! - `GET /_cloudlings/clock`: `{"now": "…", "offset_seconds": N}`
//! - `POST /_cloudlings/clock?advance=2h`: moves time forward, answers like `GET`
//! - `GET /_cloudlings/bill`: the caller's account's bill this month: `Lines[]` of instance
//!   hours, public IPv4 address-hours and EBS GB-months, `FreeTier[]`, `Credits`, `TotalCents`
//! - `GET /_cloudlings/events`: SSH logins and commands on the caller's account's instances
//! - `GET /_cloudlings/plan`: `{"Account": "…", "Plan": "legacy|credits|none"}`, the caller's
//! - `POST /_cloudlings/plan?plan=credits[&account=ID]`: sets an account's free offer (the
//!   caller's unless `account` names another); the installation's own key only, so that a
//!   classroom's learners keep the plan their teacher gave them

use http::{HeaderMap, Method, Uri};
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use super::auth::authenticate;
use super::billing;
use super::clock::parse_duration;
use super::error::AwsError;
use super::sigv4::Authorization;
use super::state::{FreePlan, World};
use super::store::Part;
use super::wire::protocol::Reply;

pub const PREFIX: &str = "/_cloudlings/";

pub fn respond(
    world: &World,
    route: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    request_id: &str,
) -> Reply {
    let result = run(world, route, method, uri, headers, body);
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

fn run(
    world: &World,
    route: &str,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, AwsError> {
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
        (&Method::GET, "clock") => Ok(clock(&world.lock())),
        (&Method::POST, "clock") => {
            if !is_root {
                return Err(AwsError::new(
                    403,
                    "AccessDenied",
                    "Only the installation's own key moves the shared clock.",
                ));
            }
            let by = query
                .iter()
                .find(|(k, _)| k == "advance")
                .map(|(_, v)| v.as_str())
                .unwrap_or_default();
            let duration = parse_duration(by).ok_or_else(|| {
                AwsError::invalid_parameter_value(format!(
                    "'{by}' is not a duration such as 90s, 15m, 2h or 1d"
                ))
            })?;
            world
                .advance_clock(duration)
                .map_err(|error| AwsError::internal(error.to_string()))?;
            Ok(clock(&world.lock()))
        }
        (&Method::GET, "bill") => {
            let held = own_account()?;
            let account = held.lock();
            let bill = billing::bill(&account, world.now());
            Ok(json!({
                "Account": caller.account,
                "Month": billing::month_name(bill.month_start),
                "Lines": bill.lines.iter().map(|line| {
                    let (kind, unit) = match &line.usage {
                        billing::Usage::Instance { .. } => ("Instance", "Hrs"),
                        billing::Usage::PublicIpv4 => ("PublicIPv4", "Hrs"),
                        billing::Usage::Storage { .. } => ("EBS", "GB-Mo"),
                    };
                    json!({
                        "Region": line.region,
                        "Usage": kind,
                        "InstanceType": line.instance_type(),
                        "Windows": matches!(line.usage, billing::Usage::Instance { windows: true, .. }),
                        "VolumeType": match &line.usage {
                            billing::Usage::Storage { volume_type } => Some(volume_type.as_str()),
                            _ => None,
                        },
                        "Description": line.description(),
                        // Hours of instances and addresses, GB-months of volumes.
                        "Hours": (unit == "Hrs").then_some(line.quantity),
                        "GBMonths": (unit == "GB-Mo").then_some(line.quantity),
                        "Quantity": line.quantity,
                        "Unit": unit,
                        "Rate": line.rate,
                        "Cost": line.cost,
                    })
                }).collect::<Vec<_>>(),
                "FreeTier": bill.free.iter().map(|free| json!({
                    "Pool": match free.pool {
                        billing::Pool::Linux => "Linux",
                        billing::Pool::Windows => "Windows",
                        billing::Pool::PublicIpv4 => "PublicIPv4",
                        billing::Pool::Storage => "EBS",
                    },
                    "Used": free.used,
                    "Allowance": free.pool.allowance(),
                    "Value": free.value,
                })).collect::<Vec<_>>(),
                "Plan": plan_name(bill.plan),
                "Credits": bill.credits,
                "TotalCents": bill.total_cents(),
            }))
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

fn clock(state: &super::state::Shared) -> Value {
    json!({
        "now": state.clock.now().format(&Rfc3339).unwrap_or_default(),
        "offset_seconds": state.clock.offset_seconds,
    })
}
