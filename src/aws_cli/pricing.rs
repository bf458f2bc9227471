//! The Price List API's calls: which services have prices, their attributes' values, and the
//! products that match filters, with their prices.

use aws_config::SdkConfig;
use aws_sdk_pricing::types::{Filter, FilterType};
use serde_json::Value;

use super::Command;
use super::failure::{Failure, sdk_failure};
use super::params::{Params, text};
use crate::cli_json;
use cloudlings_core::operation::Operation;

pub const OPERATIONS: &[Command] = &[
    Command::new(
        Operation::GetProducts,
        &["service-code", "filters", "format-version"],
    )
    .requires(&["service-code"]),
    Command::new(
        Operation::DescribeServices,
        &["service-code", "format-version"],
    ),
    Command::new(
        Operation::GetAttributeValues,
        &["service-code", "attribute-name"],
    )
    .requires(&["service-code", "attribute-name"]),
];

/// The regions AWS serves the Price List API from; its prices cover every region whichever
/// one answers.
const PRICE_LIST_REGIONS: &[&str] = &["us-east-1", "eu-central-1", "ap-south-1"];

/// The learner's configuration, sent to a region that serves the Price List API. On AWS the
/// API lives in a few regions only, so the real CLI, called from Seoul, fails to connect; a
/// learner who asks for prices expects an answer, so the call goes to us-east-1 unless the
/// region already serves it. (The emulator answers in every region.)
fn price_list_config(config: &SdkConfig) -> SdkConfig {
    let serves = config
        .region()
        .is_some_and(|region| PRICE_LIST_REGIONS.contains(&region.as_ref()));
    if serves {
        return config.clone();
    }
    config
        .to_builder()
        .region(aws_config::Region::new(PRICE_LIST_REGIONS[0]))
        .build()
}

impl Params<'_> {
    /// `--filters Type=TERM_MATCH,Field=instanceType,Value=t2.micro …`: a filter missing a
    /// member is refused before any call, as the CLI's parameter validation refuses it. Types
    /// are sent as written, for the service to judge.
    fn price_filters(&self) -> Result<Option<Vec<Filter>>, Failure> {
        let Some(items) = self.structures("filters")? else {
            return Ok(None);
        };
        let mut filters = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let member = |name: &str| {
                text(item, name).ok_or_else(|| {
                    Failure::Client(format!(
                        "Parameter validation failed:\nMissing required parameter in \
                         Filters[{index}]: \"{name}\""
                    ))
                })
            };
            let filter = Filter::builder()
                .r#type(FilterType::from(member("Type")?.as_str()))
                .field(member("Field")?)
                .value(member("Value")?)
                .build()
                .map_err(|error| {
                    Failure::Client(format!("Parameter validation failed:\n{error}"))
                })?;
            filters.push(filter);
        }
        Ok(Some(filters))
    }
}

pub async fn call(
    p: &Params<'_>,
    operation: Operation,
    config: &SdkConfig,
) -> Result<Value, Failure> {
    let op = operation.cli_name();
    let pricing = aws_sdk_pricing::Client::new(&price_list_config(config));
    match operation {
        Operation::GetProducts => {
            let mut format = None;
            let mut products = Vec::new();
            let mut pages = pricing
                .get_products()
                .set_service_code(p.one("service-code")?)
                .set_filters(p.price_filters()?)
                .set_format_version(p.one("format-version")?)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_failure(op, error))?;
                format = format.or_else(|| page.format_version().map(str::to_string));
                products.extend(page.price_list().iter().cloned());
            }
            Ok(cli_json::pricing::get_products(
                format.as_deref(),
                &products,
            ))
        }
        Operation::DescribeServices => {
            let mut format = None;
            let mut services = Vec::new();
            let mut pages = pricing
                .describe_services()
                .set_service_code(p.one("service-code")?)
                .set_format_version(p.one("format-version")?)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_failure(op, error))?;
                format = format.or_else(|| page.format_version().map(str::to_string));
                services.extend(page.services().iter().cloned());
            }
            Ok(cli_json::pricing::describe_services(
                format.as_deref(),
                &services,
            ))
        }
        Operation::GetAttributeValues => {
            let mut values = Vec::new();
            let mut pages = pricing
                .get_attribute_values()
                .set_service_code(p.one("service-code")?)
                .set_attribute_name(p.one("attribute-name")?)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| sdk_failure(op, error))?;
                values.extend(page.attribute_values().iter().cloned());
            }
            Ok(cli_json::pricing::get_attribute_values(&values))
        }
        other => Err(Failure::Unsupported(other.command())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(region: &str) -> SdkConfig {
        SdkConfig::builder()
            .region(aws_config::Region::new(region.to_string()))
            .build()
    }

    #[test]
    fn prices_are_asked_where_aws_serves_them() {
        let region = |config: SdkConfig| config.region().map(|r| r.to_string());
        assert_eq!(
            region(price_list_config(&config("ap-northeast-2"))).as_deref(),
            Some("us-east-1")
        );
        assert_eq!(
            region(price_list_config(&config("ap-south-1"))).as_deref(),
            Some("ap-south-1")
        );
    }
}
