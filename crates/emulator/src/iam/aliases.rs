//! Account aliases: a name for the account (`examplecorp`) that the console's sign-in takes in
//! place of its 12 digits. Like bucket names, an alias is the whole world's to share out.

use super::body;
use crate::context::Context;
use crate::error::AwsError;
use crate::wire::protocol::Body;
use crate::wire::query::Params;

/// IAM's rule for an alias: 3 to 63 lower-case letters, digits and hyphens, not starting or
/// ending with a hyphen, and not all digits (it would read as an account id).
fn check(alias: &str) -> Result<(), AwsError> {
    let valid = (3..=63).contains(&alias.len())
        && alias
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !alias.starts_with('-')
        && !alias.ends_with('-')
        && !alias.bytes().all(|b| b.is_ascii_digit());
    if valid {
        return Ok(());
    }
    Err(AwsError::client(
        "ValidationError",
        format!(
            "1 validation error detected: Value '{alias}' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){{1,61}}[a-z0-9]$"
        ),
    ))
}

pub(super) fn create(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let alias = params.required("AccountAlias")?.to_string();
    check(&alias)?;
    if !cx.world.claim_alias(&alias, &cx.caller.account) {
        return Err(AwsError::new(
            409,
            "EntityAlreadyExists",
            format!("The account alias {alias} already exists."),
        ));
    }
    // An account has one alias: a new one takes the old one's place, as the console's
    // "Edit" does.
    cx.account.alias = Some(alias);
    Ok(body(|_| {}))
}

pub(super) fn list(cx: &mut Context<'_>, _: &Params) -> Result<Body, AwsError> {
    let aliases: Vec<String> = cx.account.alias.iter().cloned().collect();
    Ok(body(move |x| {
        x.members("AccountAliases", &aliases, |x, alias| {
            x.value(alias);
        });
        x.leaf("IsTruncated", false);
    }))
}

pub(super) fn delete(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let alias = params.required("AccountAlias")?;
    if cx.account.alias.as_deref() != Some(alias) {
        return Err(AwsError::new(
            404,
            "NoSuchEntity",
            format!("The account alias {alias} cannot be found."),
        ));
    }
    cx.world.release_alias(alias, &cx.caller.account);
    cx.account.alias = None;
    Ok(body(|_| {}))
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn an_alias_is_a_lower_case_name_that_cannot_pass_for_an_account_id() {
        for good in ["examplecorp", "cat-images", "abc", "a1b"] {
            assert!(check(good).is_ok(), "{good}");
        }
        for bad in [
            "ab",
            "ExampleCorp",
            "-cat",
            "cat-",
            "123456789012",
            "cat_images",
        ] {
            assert_eq!(check(bad).expect_err(bad).code, "ValidationError", "{bad}");
        }
    }
}
