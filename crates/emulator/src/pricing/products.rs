//! The price list: every product the dated price table prices, as the Price List API
//! describes one (attributes, a SKU, on-demand terms), in each region the table has a column
//! for. It is built once from [`cloudlings_core::prices`], the table the bill charges by, so
//! what `aws pricing get-products` answers is what `bill` charges.
//!
//! Each kind of product is one [`Row`]: its offer, its family and a function that lists its
//! priced variants in a region. Adding a product the table grows (EBS GB-months, public IPv4
//! hours) is adding a row.

use std::sync::LazyLock;

use cloudlings_core::{catalog, prices};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// A service of the price list, by its offer code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer {
    /// `AmazonEC2`, as `--service-code` takes it.
    pub code: &'static str,
    /// `Amazon Elastic Compute Cloud`, the products' `servicename`.
    pub name: &'static str,
}

pub const EC2: Offer = Offer {
    code: "AmazonEC2",
    name: "Amazon Elastic Compute Cloud",
};

/// Public IPv4 addresses are billed under the VPC, as the bill shows them.
pub const VPC: Offer = Offer {
    code: "AmazonVPC",
    name: "Amazon Virtual Private Cloud",
};

pub const S3: Offer = Offer {
    code: "AmazonS3",
    name: "Amazon Simple Storage Service",
};

/// One kind of product the table prices.
struct Row {
    offer: Offer,
    family: &'static str,
    variants: fn(region: &str) -> Vec<Variant>,
}

/// The kinds of product, in the order the price list gives them.
const ROWS: &[Row] = &[
    Row {
        offer: EC2,
        family: "Compute Instance",
        variants: instance_hours,
    },
    Row {
        offer: EC2,
        family: "Storage",
        variants: ebs_storage,
    },
    Row {
        offer: VPC,
        family: "IP Address",
        variants: public_ipv4,
    },
    Row {
        offer: S3,
        family: "Storage",
        variants: standard_storage,
    },
];

/// One priced variant of a kind in a region, before the attributes every product shares.
struct Variant {
    /// Its own attributes, in the order they are written.
    attributes: Vec<(&'static str, String)>,
    /// The usage type without its region's prefix: `BoxUsage:t2.micro`.
    usage: String,
    operation: &'static str,
    unit: &'static str,
    usd: f64,
    /// The price dimension's range, in the unit (`Inf` for no end).
    range: (&'static str, &'static str),
    description: String,
}

/// A product of the price list, with its document as `PriceList` carries it.
#[derive(Debug, Clone)]
pub struct Product {
    pub offer: Offer,
    pub family: &'static str,
    pub sku: String,
    /// Every attribute, `servicecode` and `regionCode` included, in document order.
    pub attributes: Vec<(&'static str, String)>,
    /// The on-demand price per unit in USD.
    pub usd: f64,
    /// The product as a JSON document, written once.
    pub document: String,
}

impl Product {
    /// The value of a field a filter may name: an attribute, `sku` or `productFamily`. AWS
    /// matches field names whatever their case (its own example filters on `ServiceCode`).
    pub fn field(&self, name: &str) -> Option<&str> {
        if name.eq_ignore_ascii_case("sku") {
            return Some(&self.sku);
        }
        if name.eq_ignore_ascii_case("productFamily") {
            return Some(self.family);
        }
        self.attributes
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Every product, built on first use.
pub fn all() -> &'static [Product] {
    static PRODUCTS: LazyLock<Vec<Product>> = LazyLock::new(build);
    &PRODUCTS
}

/// The offers that have products, in the order of the rows.
pub fn offers() -> Vec<Offer> {
    let mut offers: Vec<Offer> = Vec::new();
    for row in ROWS {
        if !offers.contains(&row.offer) {
            offers.push(row.offer);
        }
    }
    offers
}

/// The offer a service code names: exactly, as AWS's codes are.
pub fn offer(code: &str) -> Option<Offer> {
    offers().into_iter().find(|offer| offer.code == code)
}

/// The attribute names of an offer's products, sorted, as DescribeServices lists them.
pub fn attribute_names(offer: Offer) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = all()
        .iter()
        .filter(|product| product.offer == offer)
        .flat_map(|product| product.attributes.iter().map(|(name, _)| *name))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

fn build() -> Vec<Product> {
    let mut products = Vec::new();
    for row in ROWS {
        for region in prices::PRICED_REGIONS {
            for variant in (row.variants)(region) {
                products.push(product(row, region, variant));
            }
        }
    }
    products
}

fn product(row: &Row, region: &str, variant: Variant) -> Product {
    let usagetype = format!("{}{}", usage_prefix(region), variant.usage);
    let mut attributes = vec![
        ("servicecode", row.offer.code.to_string()),
        ("servicename", row.offer.name.to_string()),
        ("location", prices::region_title(region).to_string()),
        ("locationType", "AWS Region".to_string()),
        ("regionCode", region.to_string()),
    ];
    attributes.extend(variant.attributes.iter().cloned());
    attributes.push(("usagetype", usagetype.clone()));
    attributes.push(("operation", variant.operation.to_string()));
    let sku = sku(row.offer.code, region, &usagetype, variant.operation);
    let document = document(row, &sku, &attributes, &variant);
    Product {
        offer: row.offer,
        family: row.family,
        sku,
        attributes,
        usd: variant.usd,
        document,
    }
}

/// The document AWS's price list gives a product: the product, its on-demand term with one
/// price dimension, and the date of the table.
fn document(row: &Row, sku: &str, attributes: &[(&'static str, String)], v: &Variant) -> String {
    let term = format!("{sku}.{ON_DEMAND}");
    let rate = format!("{term}.{RATE}");
    let attributes: Map<String, Value> = attributes
        .iter()
        .map(|(name, value)| ((*name).to_string(), Value::from(value.as_str())))
        .collect();
    let published = publication_date();
    let document = json!({
        "product": {
            "productFamily": row.family,
            "attributes": attributes,
            "sku": sku,
        },
        "serviceCode": row.offer.code,
        "terms": {
            "OnDemand": {
                term.clone(): {
                    "priceDimensions": {
                        rate.clone(): {
                            "unit": v.unit,
                            "endRange": v.range.1,
                            "description": v.description,
                            "appliesTo": [],
                            "rateCode": rate,
                            "beginRange": v.range.0,
                            "pricePerUnit": { "USD": format!("{:.10}", v.usd) },
                        }
                    },
                    "sku": sku,
                    "effectiveDate": published,
                    "offerTermCode": ON_DEMAND,
                    "termAttributes": {},
                }
            }
        },
        "version": version(),
        "publicationDate": published,
    });
    document.to_string()
}

/// AWS's code for the on-demand offer term, the same in every on-demand product.
const ON_DEMAND: &str = "JRTCKXETXF";
/// AWS's code for an on-demand term's rate, likewise.
const RATE: &str = "6YS6EN2CT7";

/// The table's date as the price list dates a publication: the first of its month.
fn publication_date() -> String {
    format!("{}-01T00:00:00Z", prices::AS_OF)
}

/// The price list's version: its publication time, digits only.
fn version() -> String {
    format!("{}01000000", prices::AS_OF.replace('-', ""))
}

/// A SKU as AWS writes them, 16 capitals and digits, stable for the same product.
fn sku(offer: &str, region: &str, usagetype: &str, operation: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let digest = Sha256::digest(format!("{offer}|{region}|{usagetype}|{operation}"));
    digest
        .iter()
        .take(16)
        .map(|byte| char::from(ALPHABET[usize::from(byte % 32)]))
        .collect()
}

/// The region's prefix in usage types: none for us-east-1, as AWS writes them.
fn usage_prefix(region: &str) -> &'static str {
    match region {
        "ap-northeast-2" => "APN2-",
        "ap-northeast-1" => "APN1-",
        "ap-southeast-1" => "APS1-",
        "us-east-2" => "USE2-",
        "us-west-2" => "USW2-",
        "eu-west-1" => "EU-",
        "eu-central-1" => "EUC1-",
        _ => "",
    }
}

/// An amount as AWS's descriptions write it: `$0.0144`.
fn dollars(usd: f64) -> String {
    let text = format!("{usd:.10}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("${text}")
}

/// On-demand instance hours, Linux and Windows, for each type the table prices.
fn instance_hours(region: &str) -> Vec<Variant> {
    let mut variants = Vec::new();
    for name in prices::TYPES {
        let Some(kind) = catalog::instance_type(name) else {
            continue;
        };
        for (windows, system) in [(false, "Linux"), (true, "Windows")] {
            let operation = catalog::usage_operation(windows);
            let Some(usd) = prices::hourly(region, name, windows) else {
                continue;
            };
            let mut attributes = vec![("instanceType", (*name).to_string())];
            if let Some(family) = instance_family(name) {
                attributes.push(("instanceFamily", family.to_string()));
            }
            attributes.extend([
                ("vcpu", kind.vcpus.to_string()),
                ("memory", gib(kind.memory_mib)),
                ("networkPerformance", kind.network.to_string()),
                ("operatingSystem", system.to_string()),
                ("tenancy", "Shared".to_string()),
                ("preInstalledSw", "NA".to_string()),
                ("licenseModel", "No License required".to_string()),
                ("capacitystatus", "Used".to_string()),
                ("marketoption", "OnDemand".to_string()),
            ]);
            variants.push(Variant {
                attributes,
                usage: format!("BoxUsage:{name}"),
                operation,
                unit: "Hrs",
                usd,
                range: ("0", "Inf"),
                description: format!(
                    "{} per On Demand {system} {name} Instance Hour",
                    dollars(usd)
                ),
            });
        }
    }
    variants
}

/// Memory as AWS's attributes write it: `1 GiB`, `0.5 GiB`.
fn gib(mib: u64) -> String {
    let text = format!("{:.3}", mib as f64 / 1024.0);
    format!("{} GiB", text.trim_end_matches('0').trim_end_matches('.'))
}

/// The family AWS files an instance type under, by the letter of its class.
fn instance_family(name: &str) -> Option<&'static str> {
    match name.chars().next()? {
        't' | 'm' => Some("General purpose"),
        'c' => Some("Compute optimized"),
        'r' | 'x' | 'z' => Some("Memory optimized"),
        _ => None,
    }
}

/// EBS volume storage per GB-month provisioned, for each volume type the table prices.
fn ebs_storage(region: &str) -> Vec<Variant> {
    prices::VOLUME_TYPES
        .iter()
        .filter_map(|volume_type| {
            let usd = prices::ebs_gb_month(region, volume_type)?;
            Some(Variant {
                attributes: vec![
                    ("storageMedia", "SSD-backed".to_string()),
                    ("volumeType", "General Purpose".to_string()),
                    ("volumeApiName", (*volume_type).to_string()),
                ],
                usage: format!("EBS:VolumeUsage.{volume_type}"),
                operation: "",
                unit: "GB-Mo",
                usd,
                range: ("0", "Inf"),
                description: format!(
                    "{} per GB-month of General Purpose SSD ({volume_type}) provisioned storage - {}",
                    dollars(usd),
                    prices::region_title(region)
                ),
            })
        })
        .collect()
}

/// A public IPv4 address in use, per hour (since 1 February 2024).
fn public_ipv4(region: &str) -> Vec<Variant> {
    let usd = prices::public_ipv4_hourly(region);
    vec![Variant {
        attributes: vec![("group", "VPCPublicIPv4Address".to_string())],
        usage: "PublicIPv4:InUseAddress".to_string(),
        operation: "",
        unit: "Hrs",
        usd,
        range: ("0", "Inf"),
        description: format!("{} per In-use public IPv4 address per hour", dollars(usd)),
    }]
}

/// S3 Standard storage. The table holds the first tier (50 TB a month), so the product's one
/// price dimension ends there.
fn standard_storage(region: &str) -> Vec<Variant> {
    let usd = prices::s3_storage(region);
    vec![Variant {
        attributes: vec![
            ("storageClass", "General Purpose".to_string()),
            ("volumeType", "Standard".to_string()),
            ("availability", "99.99%".to_string()),
            ("durability", "99.999999999%".to_string()),
        ],
        usage: "TimedStorage-ByteHrs".to_string(),
        operation: "",
        unit: "GB-Mo",
        usd,
        range: ("0", "51200"),
        description: format!(
            "{} per GB - first 50 TB / month of storage used",
            dollars(usd)
        ),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_price_of_the_table_is_a_product_with_its_price() {
        for region in prices::PRICED_REGIONS {
            for name in prices::TYPES {
                for (windows, system) in [(false, "Linux"), (true, "Windows")] {
                    let product = all()
                        .iter()
                        .find(|p| {
                            p.field("regionCode") == Some(region)
                                && p.field("instanceType") == Some(name)
                                && p.field("operatingSystem") == Some(system)
                        })
                        .expect("product");
                    assert_eq!(Some(product.usd), prices::hourly(region, name, windows));
                    let document: Value =
                        serde_json::from_str(&product.document).expect("document");
                    let term =
                        &document["terms"]["OnDemand"][format!("{}.{ON_DEMAND}", product.sku)];
                    let price = &term["priceDimensions"]
                        [format!("{}.{ON_DEMAND}.{RATE}", product.sku)]["pricePerUnit"]["USD"];
                    let price: f64 = price.as_str().expect("string").parse().expect("number");
                    assert!((price - product.usd).abs() < 1e-9);
                }
            }
            let storage = all()
                .iter()
                .find(|p| p.offer == S3 && p.field("regioncode") == Some(region))
                .expect("storage");
            assert_eq!(storage.usd, prices::s3_storage(region));
            for volume_type in prices::VOLUME_TYPES {
                let volume = all()
                    .iter()
                    .find(|p| {
                        p.field("regionCode") == Some(region)
                            && p.field("volumeApiName") == Some(volume_type)
                    })
                    .expect("volume");
                assert_eq!(Some(volume.usd), prices::ebs_gb_month(region, volume_type));
            }
            let address = all()
                .iter()
                .find(|p| p.offer == VPC && p.field("regionCode") == Some(region))
                .expect("address");
            assert_eq!(address.usd, prices::public_ipv4_hourly(region));
        }
    }

    #[test]
    fn skus_are_unique_and_shaped_like_aws() {
        let mut skus: Vec<&str> = all().iter().map(|p| p.sku.as_str()).collect();
        assert!(skus.iter().all(|sku| {
            sku.len() == 16
                && sku
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        }));
        skus.sort_unstable();
        skus.dedup();
        assert_eq!(skus.len(), all().len());
    }

    #[test]
    fn every_priced_region_has_its_usage_prefix() {
        for region in prices::PRICED_REGIONS {
            assert_eq!(
                usage_prefix(region).is_empty(),
                *region == "us-east-1",
                "{region}"
            );
        }
    }

    #[test]
    fn seoul_usage_types_carry_its_prefix() {
        let product = all()
            .iter()
            .find(|p| {
                p.field("regionCode") == Some("ap-northeast-2")
                    && p.field("instanceType") == Some("t2.micro")
            })
            .expect("t2.micro");
        assert_eq!(product.field("usagetype"), Some("APN2-BoxUsage:t2.micro"));
        assert_eq!(product.field("location"), Some("Asia Pacific (Seoul)"));
        assert_eq!(dollars(0.0144), "$0.0144");
        assert_eq!(dollars(0.025), "$0.025");
        assert_eq!(gib(1024), "1 GiB");
        assert_eq!(gib(512), "0.5 GiB");
    }
}
