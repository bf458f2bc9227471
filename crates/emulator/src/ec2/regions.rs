//! Regions and availability zones.

use super::super::error::AwsError;
use super::super::wire::protocol::Body;
use super::super::wire::query::Params;
use super::super::wire::xml::Xml;
use cloudlings_core::catalog::{self, REGIONS, Region};

pub fn describe_regions(params: &Params) -> Result<Body, AwsError> {
    let names = params.list("RegionName");
    for name in &names {
        if catalog::region(name).is_none() {
            return Err(AwsError::client(
                "InvalidParameterValue",
                format!("Invalid region names: {name}"),
            ));
        }
    }
    let regions: Vec<_> = REGIONS
        .iter()
        .filter(|region| names.is_empty() || names.contains(&region.name))
        .collect();
    Ok(Box::new(move |x: &mut Xml| {
        x.set("regionInfo", regions, |x, region| {
            x.leaf("regionName", region.name);
            x.leaf("regionEndpoint", region.endpoint());
            x.leaf(
                "optInStatus",
                if region.opt_in_required {
                    "opted-in"
                } else {
                    "opt-in-not-required"
                },
            );
        });
    }))
}

pub fn describe_availability_zones(region: &Region, params: &Params) -> Result<Body, AwsError> {
    let names = params.list("ZoneName");
    let zones: Vec<_> = region
        .zones()
        .into_iter()
        .filter(|zone| names.is_empty() || names.contains(&zone.name.as_str()))
        .collect();
    Ok(Box::new(move |x: &mut Xml| {
        x.set("availabilityZoneInfo", zones, |x, zone| {
            x.leaf("optInStatus", "opt-in-not-required");
            x.leaf("zoneName", &zone.name);
            x.leaf("zoneId", &zone.id);
            x.leaf("zoneState", "available");
            x.leaf("regionName", zone.region);
            x.leaf("groupName", zone.region);
            x.leaf("networkBorderGroup", zone.region);
            x.leaf("zoneType", "availability-zone");
        });
    }))
}
