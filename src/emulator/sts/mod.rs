//! STS: who am I, and temporary credentials.

use super::context::Context;
use super::error::AwsError;
use super::wire::query::Params;
use super::wire::xml::Xml;

/// The body of a successful response, written by the protocol's envelope.
pub type Body = Box<dyn FnOnce(&mut Xml)>;

/// The answer to GetCallerIdentity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

pub fn handle(cx: &mut Context<'_>, action: &str, _params: &Params) -> Result<Body, AwsError> {
    match action {
        "GetCallerIdentity" => {
            let identity = caller_identity(cx);
            Ok(Box::new(move |x: &mut Xml| {
                x.leaf("UserId", &identity.user_id);
                x.leaf("Account", &identity.account);
                x.leaf("Arn", &identity.arn);
            }))
        }
        "GetSessionToken"
        | "AssumeRole"
        | "GetFederationToken"
        | "DecodeAuthorizationMessage"
        | "GetAccessKeyInfo" => Err(AwsError::unsupported("STS", action)),
        _ => Err(AwsError::invalid_action(action)),
    }
}

fn caller_identity(cx: &Context<'_>) -> Identity {
    let caller = &cx.caller;
    let user_id = match &caller.user {
        None => caller.account.clone(),
        Some(user) => user.clone(),
    };
    Identity {
        account: caller.account.clone(),
        arn: caller.arn(),
        user_id,
    }
}
