//! Wire formats: parsing requests and writing responses, apart from what the services do.

pub mod ec2;
pub mod element;
pub mod iam;
pub mod protocol;
pub mod query;
pub mod xml;
