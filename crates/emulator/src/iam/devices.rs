//! Virtual MFA devices: created with a seed, enabled with two consecutive codes.

use time::OffsetDateTime;

use super::super::error::AwsError;
use super::super::mfa;
use super::users::check_name;
use super::{Iam, MfaDevice};

/// What CreateVirtualMFADevice hands out, once.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub serial: String,
    pub base32_seed: String,
    pub qr_png: Vec<u8>,
}

/// Which devices ListVirtualMFADevices lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignment {
    Assigned,
    Unassigned,
    Any,
}

fn no_device(serial: &str) -> AwsError {
    AwsError::new(
        404,
        "NoSuchEntity",
        format!("VirtualMFADevice with serial number {serial} doesn't exist."),
    )
}

impl Iam {
    pub fn create_device(
        &mut self,
        name: &str,
        path: &str,
        account: &str,
    ) -> Result<NewDevice, AwsError> {
        check_name(name, "virtualMFADeviceName")?;
        let serial = format!("arn:aws:iam::{account}:mfa{path}{name}");
        if self.mfa_devices.contains_key(&serial) {
            return Err(AwsError::new(
                409,
                "EntityAlreadyExists",
                "MFADevice entity at the same path and name already exists.",
            ));
        }
        let seed = mfa::new_seed();
        let qr_png = mfa::qr_png(&mfa::otpauth_uri(name, account, &seed))
            .ok_or_else(|| AwsError::internal("could not draw the QR code"))?;
        let base32_seed = mfa::base32(&seed);
        self.mfa_devices.insert(
            serial.clone(),
            MfaDevice {
                serial: serial.clone(),
                name: name.to_string(),
                seed,
                assigned: None,
                enabled: None,
            },
        );
        Ok(NewDevice {
            serial,
            base32_seed,
            qr_png,
        })
    }

    /// Enables a device for a user (`None`: the root user) with two consecutive codes.
    pub fn enable_device(
        &mut self,
        serial: &str,
        user: Option<String>,
        first: &str,
        second: &str,
        now: OffsetDateTime,
    ) -> Result<(), AwsError> {
        if let Some(name) = &user {
            self.user(name)?;
        }
        let device = self
            .mfa_devices
            .get_mut(serial)
            .ok_or_else(|| no_device(serial))?;
        if device.assigned.is_some() {
            return Err(AwsError::new(
                409,
                "EntityAlreadyExists",
                "MFA Device is already in use.",
            ));
        }
        if !mfa::consecutive(&device.seed, first, second) {
            return Err(AwsError::new(
                403,
                "InvalidAuthenticationCode",
                "Authentication code for device is not valid.",
            ));
        }
        device.assigned = Some(user);
        device.enabled = Some(now);
        Ok(())
    }

    pub fn deactivate_device(
        &mut self,
        serial: &str,
        user: &Option<String>,
    ) -> Result<(), AwsError> {
        let device = self
            .mfa_devices
            .get_mut(serial)
            .filter(|d| d.assigned.as_ref() == Some(user))
            .ok_or_else(|| {
                AwsError::new(
                    404,
                    "NoSuchEntity",
                    format!("MFA Device with serial number {serial} does not exist."),
                )
            })?;
        device.assigned = None;
        device.enabled = None;
        Ok(())
    }

    pub fn delete_device(&mut self, serial: &str) -> Result<(), AwsError> {
        let device = self
            .mfa_devices
            .get(serial)
            .ok_or_else(|| no_device(serial))?;
        if device.assigned.is_some() {
            return Err(AwsError::new(
                409,
                "DeleteConflict",
                "MFA VirtualDevice in use. Must deactivate first.",
            ));
        }
        self.mfa_devices.remove(serial);
        Ok(())
    }

    /// The devices enabled for a user (`None`: the root user).
    pub fn devices_of(&self, user: &Option<String>) -> Vec<MfaDevice> {
        self.mfa_devices
            .values()
            .filter(|d| d.assigned.as_ref() == Some(user))
            .cloned()
            .collect()
    }

    pub fn virtual_devices(&self, assignment: Assignment) -> Vec<MfaDevice> {
        self.mfa_devices
            .values()
            .filter(|d| match assignment {
                Assignment::Assigned => d.assigned.is_some(),
                Assignment::Unassigned => d.assigned.is_none(),
                Assignment::Any => true,
            })
            .cloned()
            .collect()
    }
}
