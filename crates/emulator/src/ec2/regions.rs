//! Regions and availability zones.

use super::super::error::AwsError;
use super::super::wire::protocol::Body;
use super::super::wire::query::Params;
use super::super::wire::xml::Xml;
use super::filter::{Column, Filterable, checked, matches};
use super::wire;
use cloudlings_core::catalog::{self, REGIONS, Region, Zone};

/// Every region and zone here is enabled and available.
const ZONE_STATE: &str = "available";
const ZONE_TYPE: &str = "availability-zone";
const ZONE_OPT_IN: &str = "opt-in-not-required";

fn opt_in_status(region: &Region) -> &'static str {
    if region.opt_in_required {
        "opted-in"
    } else {
        ZONE_OPT_IN
    }
}

/// DescribeRegions' filters.
pub(super) const REGION_FILTERS: &[Column<Region>] = &[
    Column {
        names: &["region-name"],
        values: |region| vec![region.name.to_string()],
    },
    Column {
        names: &["endpoint"],
        values: |region| vec![region.endpoint()],
    },
    Column {
        names: &["opt-in-status"],
        values: |region| vec![opt_in_status(region).to_string()],
    },
];

impl Filterable for Region {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        REGION_FILTERS
    }
}

/// DescribeAvailabilityZones' filters. A zone's group is its region.
pub(super) const ZONE_FILTERS: &[Column<Zone>] = &[
    Column {
        names: &["zone-name"],
        values: |zone| vec![zone.name.clone()],
    },
    Column {
        names: &["zone-id"],
        values: |zone| vec![zone.id.clone()],
    },
    Column {
        names: &["region-name", "group-name"],
        values: |zone| vec![zone.region.to_string()],
    },
    Column {
        names: &["state"],
        values: |_| vec![ZONE_STATE.into()],
    },
    Column {
        names: &["zone-type"],
        values: |_| vec![ZONE_TYPE.into()],
    },
    Column {
        names: &["opt-in-status"],
        values: |_| vec![ZONE_OPT_IN.into()],
    },
];

impl Filterable for Zone {
    fn columns<'s>() -> &'s [Column<Self>]
    where
        Self: 's,
    {
        ZONE_FILTERS
    }

    /// Zones here have no messages and no parent zone (only Local and Wavelength Zones do),
    /// and the answer does not show a group's long name.
    const ABSENT: &'static [&'static str] = &[
        "group-long-name",
        "message",
        "parent-zone-id",
        "parent-zone-name",
    ];
}

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
    let filters = checked::<Region>(wire::filters(params))?;
    let mut regions = Vec::new();
    for region in REGIONS {
        if (names.is_empty() || names.contains(&region.name)) && matches(region, &filters)? {
            regions.push(region);
        }
    }
    Ok(Box::new(move |x: &mut Xml| {
        x.set("regionInfo", regions, |x, region| {
            x.leaf("regionName", region.name);
            x.leaf("regionEndpoint", region.endpoint());
            x.leaf("optInStatus", opt_in_status(region));
        });
    }))
}

pub fn describe_availability_zones(region: &Region, params: &Params) -> Result<Body, AwsError> {
    let names = params.list("ZoneName");
    let filters = checked::<Zone>(wire::filters(params))?;
    let mut zones = Vec::new();
    for zone in region.zones() {
        if (names.is_empty() || names.contains(&zone.name.as_str())) && matches(&zone, &filters)? {
            zones.push(zone);
        }
    }
    Ok(Box::new(move |x: &mut Xml| {
        x.set("availabilityZoneInfo", zones, |x, zone| {
            x.leaf("optInStatus", ZONE_OPT_IN);
            x.leaf("zoneName", &zone.name);
            x.leaf("zoneId", &zone.id);
            x.leaf("zoneState", ZONE_STATE);
            x.leaf("regionName", zone.region);
            x.leaf("groupName", zone.region);
            x.leaf("networkBorderGroup", zone.region);
            x.leaf("zoneType", ZONE_TYPE);
        });
    }))
}
