//! An instance's network interface. Every instance in a VPC has one, made at launch as its
//! primary interface (device index 0) and deleted with it; nothing else here makes or moves
//! interfaces, so its ids follow from the instance's and nothing more is stored.

use time::OffsetDateTime;

use super::instances::{Instance, Phase};

/// The primary network interface of an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub id: String,
    pub attachment_id: String,
    pub mac: String,
    /// When it was attached: the instance's first launch.
    pub attach_time: OffsetDateTime,
}

/// Interfaces are `in-use` and attached for as long as their instance is not terminated.
pub const STATUS: &str = "in-use";
pub const ATTACHMENT_STATUS: &str = "attached";
pub const DEVICE_INDEX: u32 = 0;
pub const NETWORK_CARD_INDEX: u32 = 0;
pub const DELETE_ON_TERMINATION: bool = true;
pub const INTERFACE_TYPE: &str = "interface";
/// Whose a public address is: AWS's own pool, not an Elastic IP of the account.
pub const IP_OWNER: &str = "amazon";

impl Instance {
    /// Its network interface; none once it is terminated, as AWS deletes it then.
    pub fn interface(&self, now: OffsetDateTime) -> Option<Interface> {
        if self.phase(now) == Phase::Terminated {
            return None;
        }
        let hex = self.id.trim_start_matches("i-");
        Some(Interface {
            id: format!("eni-{hex}"),
            attachment_id: format!("eni-attach-{hex}"),
            mac: mac(&self.id),
            attach_time: self.first_launch(),
        })
    }
}

/// A locally administered unicast MAC (`02:…`), the same for the same instance every time.
fn mac(id: &str) -> String {
    // FNV-1a: stable across runs and builds, unlike std's hasher.
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let bytes = hash.to_be_bytes();
    format!(
        "02:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        bytes[0], bytes[1], bytes[2], bytes[3], bytes[4]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mac_is_stable_and_locally_administered() {
        let one = mac("i-0123456789abcdef0");
        assert_eq!(one, mac("i-0123456789abcdef0"));
        assert_ne!(one, mac("i-0123456789abcdef1"));
        assert!(one.starts_with("02:"), "{one}");
        assert_eq!(one.len(), 17, "{one}");
    }
}
