//! The Price List API's answers as `aws pricing … --output json` prints them: each product
//! a JSON document in a string, as the API sends it.

use aws_sdk_pricing::types::{AttributeValue, Service};
use serde_json::Value;

use super::Object;

/// `aws pricing get-products`, every page gathered as the CLI gathers them (which puts the
/// gathered list before `FormatVersion`).
pub fn get_products(format_version: Option<&str>, products: &[String]) -> Value {
    Object::new()
        .list("PriceList", products, |product| {
            Value::from(product.as_str())
        })
        .opt("FormatVersion", format_version)
        .build()
}

/// `aws pricing describe-services`.
pub fn describe_services(format_version: Option<&str>, services: &[Service]) -> Value {
    Object::new()
        .list("Services", services, |service| {
            Object::new()
                .set("ServiceCode", service.service_code())
                .list("AttributeNames", service.attribute_names(), |name| {
                    Value::from(name.as_str())
                })
                .build()
        })
        .opt("FormatVersion", format_version)
        .build()
}

/// `aws pricing get-attribute-values`.
pub fn get_attribute_values(values: &[AttributeValue]) -> Value {
    Object::new()
        .list("AttributeValues", values, |value| {
            Object::new().opt("Value", value.value()).build()
        })
        .build()
}
