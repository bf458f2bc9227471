//! IAM users and their access keys.
//!
//! Access keys live in the emulator-wide key table (a request finds its signer there); the
//! functions here keep to one account's keys.

use time::OffsetDateTime;

use super::super::error::AwsError;
use super::super::ids;
use super::{Iam, User, no_such};
use crate::access_keys::{AccessKey, AccessKeys};

/// The most access keys a user (or the root user) may have.
pub const KEYS_PER_USER: usize = 2;

/// An access key of an account, with its id.
pub type KeyEntry = (String, AccessKey);

impl Iam {
    pub fn create_user(
        &mut self,
        name: &str,
        path: &str,
        now: OffsetDateTime,
    ) -> Result<User, AwsError> {
        check_name(name, "userName")?;
        if self
            .users
            .keys()
            .any(|existing| existing.eq_ignore_ascii_case(name))
        {
            return Err(AwsError::new(
                409,
                "EntityAlreadyExists",
                format!("User with name {name} already exists."),
            ));
        }
        let user = User {
            name: name.to_string(),
            id: ids::unique_id("AIDA"),
            path: path.to_string(),
            created: now,
            login_profile: None,
        };
        self.users.insert(name.to_string(), user.clone());
        Ok(user)
    }

    pub fn user(&self, name: &str) -> Result<&User, AwsError> {
        self.users.get(name).ok_or_else(|| no_such("user", name))
    }

    /// Deletes a user that has no access keys (`has_keys`) and no MFA device left.
    pub fn delete_user(&mut self, name: &str, has_keys: bool) -> Result<(), AwsError> {
        self.user(name)?;
        let has_mfa = self
            .mfa_devices
            .values()
            .any(|d| d.assigned.as_ref() == Some(&Some(name.to_string())));
        if has_keys || has_mfa {
            return Err(AwsError::new(
                409,
                "DeleteConflict",
                "Cannot delete entity, must delete access keys and MFA devices first.",
            ));
        }
        if self.user(name)?.login_profile.is_some() {
            return Err(AwsError::new(
                409,
                "DeleteConflict",
                "Cannot delete entity, must delete login profile first.",
            ));
        }
        self.users.remove(name);
        Ok(())
    }
}

/// Whether a long-term key belongs to the user (`None`: the root user) of the account.
fn owned_by(key: &AccessKey, account: &str, user: &Option<String>) -> bool {
    key.account == account && key.user == *user && key.session.is_none()
}

/// The long-term keys of a user of an account.
pub fn access_keys(keys: &AccessKeys, account: &str, user: &Option<String>) -> Vec<KeyEntry> {
    keys.iter()
        .filter(|(_, key)| owned_by(key, account, user))
        .map(|(id, key)| (id.clone(), key.clone()))
        .collect()
}

pub fn create_access_key(
    keys: &mut AccessKeys,
    account: &str,
    user: &Option<String>,
    now: OffsetDateTime,
) -> Result<KeyEntry, AwsError> {
    if access_keys(keys, account, user).len() >= KEYS_PER_USER {
        return Err(AwsError::new(
            409,
            "LimitExceeded",
            format!("Cannot exceed quota for AccessKeysPerUser: {KEYS_PER_USER}"),
        ));
    }
    let key = AccessKey {
        secret: ids::secret_key(),
        account: account.to_string(),
        user: user.clone(),
        session: None,
        active: true,
        created: now,
    };
    let id = ids::access_key_id();
    keys.insert(id.clone(), key.clone());
    Ok((id, key))
}

/// Activates or deactivates a key (`Some(status)`), or deletes it (`None`).
pub fn change_access_key(
    keys: &mut AccessKeys,
    account: &str,
    user: &Option<String>,
    id: &str,
    active: Option<bool>,
) -> Result<(), AwsError> {
    let key = keys
        .get_mut(id)
        .filter(|key| owned_by(key, account, user))
        .ok_or_else(|| {
            AwsError::new(
                404,
                "NoSuchEntity",
                format!("The Access Key with id {id} cannot be found."),
            )
        })?;
    match active {
        Some(active) => key.active = active,
        None => {
            keys.remove(id);
        }
    }
    Ok(())
}

/// IAM names: letters, digits and `+=,.@_-`, at most 64 characters.
pub fn check_name(name: &str, what: &str) -> Result<(), AwsError> {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if valid {
        Ok(())
    } else {
        Err(AwsError::client(
            "ValidationError",
            format!(
                "1 validation error detected: Value '{name}' at '{what}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
            ),
        ))
    }
}
