//! A bill as `GET /_cloudlings/bill` writes it, and read back: a shell that meets a cloudlings
//! server at an endpoint shows the learner's bill from it just as it shows the embedded one.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::plan_name;
use crate::billing::{self, Bill, Free, Line, Pool, Usage};
use crate::state::FreePlan;

pub fn to_json(account: &str, bill: &Bill) -> Value {
    json!({
        "Account": account,
        "Month": billing::month_name(bill.month_start),
        "MonthStart": bill.month_start.format(&Rfc3339).unwrap_or_default(),
        "Lines": bill.lines.iter().map(line).collect::<Vec<_>>(),
        "FreeTier": bill.free.iter().map(|free| json!({
            "Pool": pool_name(free.pool),
            "Used": free.used,
            "Allowance": free.pool.allowance(),
            "Value": free.value,
        })).collect::<Vec<_>>(),
        "Plan": plan_name(bill.plan),
        "Credits": bill.credits,
        "TotalCents": bill.total_cents(),
    })
}

fn line(line: &Line) -> Value {
    let (kind, unit) = match &line.usage {
        Usage::Instance { .. } => ("Instance", "Hrs"),
        Usage::PublicIpv4 => ("PublicIPv4", "Hrs"),
        Usage::Storage { .. } => ("EBS", "GB-Mo"),
    };
    json!({
        "Region": line.region,
        "Usage": kind,
        "InstanceType": line.instance_type(),
        "Windows": matches!(line.usage, Usage::Instance { windows: true, .. }),
        "VolumeType": match &line.usage {
            Usage::Storage { volume_type } => Some(volume_type.as_str()),
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
}

fn pool_name(pool: Pool) -> &'static str {
    match pool {
        Pool::Linux => "Linux",
        Pool::Windows => "Windows",
        Pool::PublicIpv4 => "PublicIPv4",
        Pool::Storage => "EBS",
    }
}

/// The bill [`to_json`] wrote; `None` for anything else.
pub fn from_json(value: &Value) -> Option<Bill> {
    let month_start = OffsetDateTime::parse(value["MonthStart"].as_str()?, &Rfc3339).ok()?;
    let lines = value["Lines"]
        .as_array()?
        .iter()
        .map(line_from)
        .collect::<Option<Vec<_>>>()?;
    let free = value["FreeTier"]
        .as_array()?
        .iter()
        .map(|free| {
            let pool = [Pool::Linux, Pool::Windows, Pool::PublicIpv4, Pool::Storage]
                .into_iter()
                .find(|pool| Some(pool_name(*pool)) == free["Pool"].as_str())?;
            Some(Free {
                pool,
                used: free["Used"].as_f64()?,
                value: free["Value"].as_f64()?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let plan = [FreePlan::Legacy, FreePlan::Credits, FreePlan::None]
        .into_iter()
        .find(|plan| Some(plan_name(*plan)) == value["Plan"].as_str())?;
    Some(Bill {
        month_start,
        lines,
        free,
        credits: value["Credits"].as_f64()?,
        plan,
    })
}

fn line_from(line: &Value) -> Option<Line> {
    let usage = match line["Usage"].as_str()? {
        "Instance" => Usage::Instance {
            instance_type: line["InstanceType"].as_str()?.to_string(),
            windows: line["Windows"].as_bool()?,
        },
        "PublicIPv4" => Usage::PublicIpv4,
        "EBS" => Usage::Storage {
            volume_type: line["VolumeType"].as_str()?.to_string(),
        },
        _ => return None,
    };
    Some(Line {
        region: line["Region"].as_str()?.to_string(),
        usage,
        rate: line["Rate"].as_f64()?,
        quantity: line["Quantity"].as_f64()?,
        cost: line["Cost"].as_f64()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bill_reads_back_as_it_was_written() {
        let bill = Bill {
            month_start: time::macros::datetime!(2026-12-01 00:00 UTC),
            lines: vec![
                Line {
                    region: "ap-northeast-2".into(),
                    usage: Usage::Instance {
                        instance_type: "t2.micro".into(),
                        windows: false,
                    },
                    rate: 0.0144,
                    quantity: 2.5,
                    cost: 0.036,
                },
                Line {
                    region: "ap-northeast-2".into(),
                    usage: Usage::PublicIpv4,
                    rate: 0.005,
                    quantity: 2.5,
                    cost: 0.0125,
                },
                Line {
                    region: "ap-northeast-2".into(),
                    usage: Usage::Storage {
                        volume_type: "gp3".into(),
                    },
                    rate: 0.0912,
                    quantity: 0.02,
                    cost: 0.0018,
                },
            ],
            free: vec![Free {
                pool: Pool::Linux,
                used: 2.5,
                value: 0.036,
            }],
            credits: 0.0,
            plan: FreePlan::Legacy,
        };
        assert_eq!(from_json(&to_json("111111111111", &bill)), Some(bill));
        assert_eq!(from_json(&json!({"Lines": "nope"})), None);
        assert_eq!(from_json(&Value::Null), None);
    }
}
