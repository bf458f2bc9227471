//! Wire formats: parsing requests and writing responses, apart from what the services do.

pub mod element;
pub mod json;
pub mod protocol;
pub mod query;
pub mod timestamp;
pub mod xml;
