//! The Price List Query API (`aws pricing`): what AWS charges, product by product, answered
//! from the dated price table the bill charges by, so a learner who asks for today's price of
//! a t2.micro in Seoul reads the number `bill` will use.
//!
//! # Layout
//!
//! - [`products`]: the price list, one row per kind of product the table prices;
//! - [`filter`]: GetProducts' filters; [`page`]: `MaxResults` and `NextToken`;
//! - [`api`]: one handler per operation, on typed input; [`wire`]: the JSON shapes.
//!
//! The `awsJson1_1` envelope (`X-Amz-Target`, `__type` errors) is [`crate::wire::json`]'s.
//! Prices are the same for every caller and in every region the request is signed for, as
//! AWS's one price list is; nothing here reads or changes an account.

mod api;
pub mod filter;
pub mod page;
pub mod products;
pub mod wire;

use cloudlings_core::operation::{Operation, Service};

pub use api::Answer;

use crate::error::AwsError;

/// The prefix of the API's `X-Amz-Target` header.
pub const TARGET_PREFIX: &str = "AWSPriceListService";

/// The API's operations that the emulator does not carry out (botocore's model has them):
/// named as unsupported, as every service here names what it leaves to AWS.
const NOT_EMULATED: &[&str] = &["ListPriceLists", "GetPriceListFileUrl"];

/// Carries out the operation `action` names with the request's JSON body.
pub fn handle(action: &str, body: &[u8]) -> Result<Answer, AwsError> {
    let handler = Operation::from_wire(Service::Pricing, action).and_then(api::handler);
    match handler {
        Some(handler) => handler(body),
        None if NOT_EMULATED.contains(&action) => Err(AwsError::unsupported("Price List", action)),
        None => Err(unknown_operation(action)),
    }
}

/// What AWS's JSON services answer to a target they do not have.
pub fn unknown_operation(action: &str) -> AwsError {
    AwsError::client(
        "UnknownOperationException",
        format!("The operation '{action}' is not an operation of the AWS Price List Service."),
    )
}
