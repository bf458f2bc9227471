//! The Price List API's inputs and outputs, as its JSON names them (botocore's
//! `pricing/2017-10-15` model). Members AWS does not require are optional here too, so a
//! missing one is the service's refusal to word, not a parse error.

use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetProductsInput {
    pub service_code: Option<String>,
    pub filters: Option<Vec<FilterInput>>,
    pub format_version: Option<String>,
    pub next_token: Option<String>,
    pub max_results: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FilterInput {
    #[serde(rename = "Type")]
    pub kind: Option<String>,
    pub field: Option<String>,
    pub value: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetProductsOutput {
    pub format_version: &'static str,
    /// Each product's document, as a string: the API's `PriceList` is a list of JSON texts.
    pub price_list: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeServicesInput {
    pub service_code: Option<String>,
    pub format_version: Option<String>,
    pub next_token: Option<String>,
    pub max_results: Option<i64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeServicesOutput {
    pub services: Vec<ServiceOutput>,
    pub format_version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ServiceOutput {
    pub service_code: &'static str,
    pub attribute_names: Vec<&'static str>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAttributeValuesInput {
    pub service_code: Option<String>,
    pub attribute_name: Option<String>,
    pub next_token: Option<String>,
    pub max_results: Option<i64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetAttributeValuesOutput {
    pub attribute_values: Vec<AttributeValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeValue {
    pub value: String,
}
