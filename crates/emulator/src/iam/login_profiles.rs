//! Login profiles: an IAM user's console password, set, changed and removed through IAM's API
//! and kept only as its hash ([`super::passwords`]).

use super::{LoginProfile, body, passwords, target_user, wire};
use crate::context::Context;
use crate::error::AwsError;
use crate::wire::protocol::Body;
use crate::wire::query::Params;

/// The IAM user a login-profile action is for: the root user's password is the account's
/// own, not a login profile.
fn login_user(cx: &Context<'_>, params: &Params) -> Result<String, AwsError> {
    target_user(cx, params).ok_or_else(|| {
        AwsError::client(
            "ValidationError",
            "The root user's password is not a login profile: name an IAM user with --user-name.",
        )
    })
}

fn no_login_profile(name: &str) -> AwsError {
    AwsError::new(
        404,
        "NoSuchEntity",
        format!("Login Profile for User {name} cannot be found."),
    )
}

pub(super) fn create(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let name = login_user(cx, params)?;
    let password = params.required("Password")?;
    let reset_required = params.bool("PasswordResetRequired")?.unwrap_or(false);
    if cx.account.iam.user(&name)?.login_profile.is_some() {
        return Err(AwsError::new(
            409,
            "EntityAlreadyExists",
            format!("Login Profile for user {name} already exists."),
        ));
    }
    passwords::check_policy(password, &name)?;
    let profile = LoginProfile {
        hash: passwords::hash(password)?,
        created: cx.now,
        reset_required,
    };
    let answer = (name.clone(), profile.created, reset_required);
    if let Some(user) = cx.account.iam.users.get_mut(&name) {
        user.login_profile = Some(profile);
    }
    Ok(body(move |x| {
        x.element("LoginProfile", |x| {
            wire::login_profile(x, &answer.0, answer.1, answer.2)
        });
    }))
}

pub(super) fn get(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let name = login_user(cx, params)?;
    let profile = cx
        .account
        .iam
        .user(&name)?
        .login_profile
        .clone()
        .ok_or_else(|| no_login_profile(&name))?;
    Ok(body(move |x| {
        x.element("LoginProfile", |x| {
            wire::login_profile(x, &name, profile.created, profile.reset_required);
        });
    }))
}

pub(super) fn update(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let name = login_user(cx, params)?;
    cx.account.iam.user(&name)?;
    let hash = match params.get("Password") {
        Some(password) => {
            passwords::check_policy(password, &name)?;
            Some(passwords::hash(password)?)
        }
        None => None,
    };
    let reset_required = params.bool("PasswordResetRequired")?;
    let profile = cx
        .account
        .iam
        .users
        .get_mut(&name)
        .and_then(|user| user.login_profile.as_mut())
        .ok_or_else(|| no_login_profile(&name))?;
    if let Some(hash) = hash {
        profile.hash = hash;
    }
    if let Some(reset_required) = reset_required {
        profile.reset_required = reset_required;
    }
    Ok(body(|_| {}))
}

pub(super) fn delete(cx: &mut Context<'_>, params: &Params) -> Result<Body, AwsError> {
    let name = login_user(cx, params)?;
    let user = cx
        .account
        .iam
        .users
        .get_mut(&name)
        .ok_or_else(|| super::no_such("user", &name))?;
    user.login_profile
        .take()
        .ok_or_else(|| no_login_profile(&name))?;
    Ok(body(|_| {}))
}
