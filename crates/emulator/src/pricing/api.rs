//! The Price List API: one handler per operation, and the table that routes each
//! [`Operation`] to its handler. A handler reads its input with the JSON wire, asks
//! [`products`] and pages the answer.

use cloudlings_core::operation::Operation;
use serde::Serialize;

use super::filter::{self, Filter, MAX_FILTERS, invalid};
use super::page::{Limit, page};
use super::products::{self, Offer, Product};
use super::wire::{
    AttributeValue, DescribeServicesInput, DescribeServicesOutput, GetAttributeValuesInput,
    GetAttributeValuesOutput, GetProductsInput, GetProductsOutput, ServiceOutput,
};
use crate::error::AwsError;
use crate::wire::json;

/// An operation's answer, ready for the JSON wire.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Products(GetProductsOutput),
    Services(DescribeServicesOutput),
    Values(GetAttributeValuesOutput),
}

type Handler = fn(&[u8]) -> Result<Answer, AwsError>;

/// Each operation the emulator carries out, with its handler.
const HANDLERS: &[(Operation, Handler)] = &[
    (Operation::GetProducts, get_products),
    (Operation::DescribeServices, describe_services),
    (Operation::GetAttributeValues, get_attribute_values),
];

/// The handler of `op`, if the emulator carries it out.
pub(super) fn handler(op: Operation) -> Option<Handler> {
    HANDLERS
        .iter()
        .find(|(declared, _)| *declared == op)
        .map(|(_, handler)| *handler)
}

/// The one format of the price list's documents.
const FORMAT_VERSION: &str = "aws_v1";

/// GetProducts and DescribeServices take at most 100 a page; GetAttributeValues 10,000
/// (botocore's model). Without `MaxResults` a page holds 100.
const PRODUCTS: Limit = Limit {
    default: 100,
    most: 100,
};
const SERVICES: Limit = PRODUCTS;
const VALUES: Limit = Limit {
    default: 100,
    most: 10_000,
};

fn get_products(body: &[u8]) -> Result<Answer, AwsError> {
    let input: GetProductsInput = json::parse(body)?;
    let offer = offer(input.service_code.as_deref())?;
    format_version(input.format_version.as_deref())?;
    let given = input.filters.unwrap_or_default();
    if given.len() > MAX_FILTERS {
        return Err(invalid(&format!(
            "A request takes at most {MAX_FILTERS} filters"
        )));
    }
    let filters = given
        .iter()
        .map(|f| Filter::new(f.kind.as_deref(), f.field.as_deref(), f.value.as_deref()))
        .collect::<Result<Vec<_>, _>>()?;
    let found: Vec<&Product> = products::all()
        .iter()
        .filter(|product| product.offer == offer)
        .filter(|product| filters.iter().all(|filter| filter.matches(product)))
        .collect();
    let question = format!("GetProducts {} {filters:?}", offer.code);
    let (found, next_token) = page(
        found,
        &question,
        input.next_token.as_deref(),
        input.max_results,
        PRODUCTS,
    )?;
    Ok(Answer::Products(GetProductsOutput {
        format_version: FORMAT_VERSION,
        price_list: found
            .into_iter()
            .map(|product| product.document.clone())
            .collect(),
        next_token,
    }))
}

fn describe_services(body: &[u8]) -> Result<Answer, AwsError> {
    let input: DescribeServicesInput = json::parse(body)?;
    format_version(input.format_version.as_deref())?;
    let offers = match input.service_code.as_deref() {
        // Without a code, every service; with one, that service.
        None => products::offers(),
        Some(code) => vec![offer(Some(code))?],
    };
    let question = format!("DescribeServices {:?}", input.service_code);
    let (offers, next_token) = page(
        offers,
        &question,
        input.next_token.as_deref(),
        input.max_results,
        SERVICES,
    )?;
    Ok(Answer::Services(DescribeServicesOutput {
        services: offers
            .into_iter()
            .map(|offer| ServiceOutput {
                service_code: offer.code,
                attribute_names: products::attribute_names(offer),
            })
            .collect(),
        format_version: FORMAT_VERSION,
        next_token,
    }))
}

fn get_attribute_values(body: &[u8]) -> Result<Answer, AwsError> {
    let input: GetAttributeValuesInput = json::parse(body)?;
    let offer = offer(input.service_code.as_deref())?;
    let name = input
        .attribute_name
        .as_deref()
        .filter(|name| !name.is_empty())
        .ok_or_else(|| invalid("attributeName cannot be null or empty"))?;
    let known = products::attribute_names(offer);
    let name = known
        .iter()
        .find(|known| known.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            AwsError::client(
                "NotFoundException",
                format!(
                    "The attribute {name} is not an attribute of {}. DescribeServices lists them.",
                    offer.code
                ),
            )
        })?;
    let mut values: Vec<&str> = products::all()
        .iter()
        .filter(|product| product.offer == offer)
        .filter_map(|product| product.field(name))
        .collect();
    values.sort_unstable();
    values.dedup();
    let question = format!("GetAttributeValues {} {name}", offer.code);
    let (values, next_token) = page(
        values,
        &question,
        input.next_token.as_deref(),
        input.max_results,
        VALUES,
    )?;
    Ok(Answer::Values(GetAttributeValuesOutput {
        attribute_values: values
            .into_iter()
            .map(|value| AttributeValue {
                value: value.to_string(),
            })
            .collect(),
        next_token,
    }))
}

/// The offer a service code names, or AWS's refusal: an empty or ill-formed code is an invalid
/// parameter, one of no service is not found.
fn offer(code: Option<&str>) -> Result<Offer, AwsError> {
    let code = code
        .filter(|code| !code.is_empty())
        .ok_or_else(|| invalid("serviceCode cannot be null or empty"))?;
    if code.len() > 32 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(invalid("ServiceCode can only contain a-z, A-Z, 0-9"));
    }
    products::offer(code).ok_or_else(|| {
        AwsError::client(
            "NotFoundException",
            format!(
                "The service code {code} is not found. The price list here has {}.",
                products::offers()
                    .iter()
                    .map(|offer| offer.code)
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        )
    })
}

fn format_version(version: Option<&str>) -> Result<(), AwsError> {
    match version {
        None => Ok(()),
        Some(FORMAT_VERSION) => Ok(()),
        Some(other) => Err(filter::invalid(&format!(
            "Invalid format version {other}: the only format is {FORMAT_VERSION}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use cloudlings_core::prices;

    fn answer(op: Operation, body: &str) -> Result<Value, AwsError> {
        let answer = handler(op).expect("handler")(body.as_bytes())?;
        Ok(serde_json::to_value(answer).expect("json"))
    }

    #[test]
    fn the_seoul_t2_micro_costs_what_the_table_says() {
        let body = r#"{"ServiceCode":"AmazonEC2","Filters":[
            {"Type":"TERM_MATCH","Field":"instanceType","Value":"t2.micro"},
            {"Type":"TERM_MATCH","Field":"regionCode","Value":"ap-northeast-2"},
            {"Type":"TERM_MATCH","Field":"operatingSystem","Value":"Linux"}]}"#;
        let value = answer(Operation::GetProducts, body).expect("answer");
        assert_eq!(value["FormatVersion"], "aws_v1");
        let list = value["PriceList"].as_array().expect("list");
        assert_eq!(list.len(), 1);
        let document: Value =
            serde_json::from_str(list[0].as_str().expect("a string")).expect("document");
        let terms = document["terms"]["OnDemand"].as_object().expect("terms");
        let term = terms.values().next().expect("term");
        let dimension = term["priceDimensions"]
            .as_object()
            .expect("dimensions")
            .values()
            .next()
            .expect("dimension");
        assert_eq!(dimension["unit"], "Hrs");
        let usd: f64 = dimension["pricePerUnit"]["USD"]
            .as_str()
            .expect("string")
            .parse()
            .expect("number");
        let table = prices::hourly("ap-northeast-2", "t2.micro", false).expect("price");
        assert!((usd - table).abs() < 1e-9);
    }

    #[test]
    fn services_and_their_attributes_are_listed() {
        let value = answer(Operation::DescribeServices, "{}").expect("answer");
        let codes: Vec<&str> = value["Services"]
            .as_array()
            .expect("services")
            .iter()
            .filter_map(|service| service["ServiceCode"].as_str())
            .collect();
        assert_eq!(codes, ["AmazonEC2", "AmazonVPC", "AmazonS3"]);
        let values = answer(
            Operation::GetAttributeValues,
            r#"{"ServiceCode":"AmazonEC2","AttributeName":"regionCode"}"#,
        )
        .expect("values");
        let regions: Vec<&str> = values["AttributeValues"]
            .as_array()
            .expect("values")
            .iter()
            .filter_map(|value| value["Value"].as_str())
            .collect();
        let mut priced = prices::PRICED_REGIONS.to_vec();
        priced.sort_unstable();
        assert_eq!(regions, priced);
    }

    #[test]
    fn refusals_are_shaped_like_aws() {
        for (op, body, code) in [
            (Operation::GetProducts, "{}", "InvalidParameterException"),
            (
                Operation::GetProducts,
                r#"{"ServiceCode":"Amazon EC2"}"#,
                "InvalidParameterException",
            ),
            (
                Operation::GetProducts,
                r#"{"ServiceCode":"AmazonEC3"}"#,
                "NotFoundException",
            ),
            (
                Operation::GetProducts,
                r#"{"ServiceCode":"AmazonEC2","FormatVersion":"aws_v2"}"#,
                "InvalidParameterException",
            ),
            (
                Operation::GetProducts,
                r#"{"ServiceCode":"AmazonEC2","Filters":[{"Type":"FUZZY","Field":"a","Value":"b"}]}"#,
                "InvalidParameterException",
            ),
            (
                Operation::GetProducts,
                r#"{"ServiceCode":"AmazonEC2","Filters":{"Type":"TERM_MATCH"}}"#,
                "SerializationException",
            ),
            (
                Operation::GetProducts,
                r#"{"ServiceCode":"AmazonEC2","MaxResults":0}"#,
                "InvalidParameterException",
            ),
            (
                Operation::GetAttributeValues,
                r#"{"ServiceCode":"AmazonEC2"}"#,
                "InvalidParameterException",
            ),
            (
                Operation::GetAttributeValues,
                r#"{"ServiceCode":"AmazonEC2","AttributeName":"colour"}"#,
                "NotFoundException",
            ),
            (
                Operation::DescribeServices,
                r#"{"ServiceCode":"AmazonRDS"}"#,
                "NotFoundException",
            ),
        ] {
            let error = answer(op, body).expect_err(body);
            assert_eq!(error.code, code, "{body}");
            assert_eq!(error.status, 400);
        }
        let many: Vec<Value> = (0..=MAX_FILTERS)
            .map(|_| serde_json::json!({"Type":"TERM_MATCH","Field":"a","Value":"b"}))
            .collect();
        let body = serde_json::json!({"ServiceCode":"AmazonEC2","Filters":many}).to_string();
        assert_eq!(
            answer(Operation::GetProducts, &body)
                .expect_err("many")
                .code,
            "InvalidParameterException"
        );
    }
}
