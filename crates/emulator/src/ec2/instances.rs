//! Instances and their lifecycle over simulated time.
//!
//! An instance stores the last state it was asked to enter and when; what it is *now* is
//! computed from that and the clock (`pending` becomes `running` after a few seconds), so the
//! state never needs a background task to move it, and `clock advance` simply works.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::super::error::AwsError;
use super::super::ids;
use super::{RegionState, Tags};
use cloudlings_core::catalog::{self, Image, InstanceType};

/// How long an instance stays in each transitional state, as AWS usually takes.
pub const BOOT: Duration = Duration::seconds(10);
pub const SHUTDOWN: Duration = Duration::seconds(10);
/// How long a terminated instance stays visible.
pub const TERMINATED_VISIBLE: Duration = Duration::hours(1);

/// An instance state, with the code EC2 gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Pending,
    Running,
    Stopping,
    Stopped,
    ShuttingDown,
    Terminated,
}

impl Phase {
    pub fn code(self) -> u16 {
        match self {
            Phase::Pending => 0,
            Phase::Running => 16,
            Phase::ShuttingDown => 32,
            Phase::Terminated => 48,
            Phase::Stopping => 64,
            Phase::Stopped => 80,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Phase::Pending => "pending",
            Phase::Running => "running",
            Phase::Stopping => "stopping",
            Phase::Stopped => "stopped",
            Phase::ShuttingDown => "shutting-down",
            Phase::Terminated => "terminated",
        }
    }
}

/// A span of time an instance ran (and was billed for).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    #[serde(with = "time::serde::rfc3339")]
    pub from: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub to: Option<OffsetDateTime>,
}

/// An instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub reservation_id: String,
    pub owner: String,
    pub image_id: String,
    pub image_name: String,
    pub instance_type: String,
    pub windows: bool,
    #[serde(default)]
    pub key_name: Option<String>,
    /// The key pair's public key as it was at launch: what `authorized_keys` holds, even if
    /// the key pair is deleted later.
    #[serde(default)]
    pub public_key: Option<String>,
    pub security_groups: Vec<String>,
    pub subnet_id: String,
    pub vpc_id: String,
    pub zone: String,
    pub private_ip: String,
    #[serde(default)]
    pub public_ip: Option<String>,
    pub launch_index: u32,
    /// When the instance last started.
    #[serde(with = "time::serde::rfc3339")]
    pub launch_time: OffsetDateTime,
    /// The state last entered on request, and when.
    pub phase: Phase,
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    #[serde(default)]
    pub state_reason: Option<String>,
    /// The Windows administrator password, encrypted to the key pair (base64).
    #[serde(default)]
    pub password_data: Option<String>,
    #[serde(default)]
    pub runs: Vec<Run>,
    /// The spans it held a public IPv4 address, which AWS bills by the hour whether the
    /// instance uses it or not.
    #[serde(default)]
    pub addressed: Vec<Run>,
    #[serde(default)]
    pub tags: Tags,
    /// The idempotency token of the RunInstances that launched it.
    #[serde(default)]
    pub client_token: Option<String>,
    /// When it was last rebooted, if since its last start.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub rebooted: Option<OffsetDateTime>,
    /// Its root volume: what its users changed on the image. Stored as a record of its own
    /// (see `store::records`), so a command on the instance rewrites this and nothing else.
    #[serde(skip)]
    pub disk: cloudlings_os::Disk,
}

impl Instance {
    /// The state now, and since when.
    pub fn state(&self, now: OffsetDateTime) -> (Phase, OffsetDateTime) {
        let settled = |after: Duration, next: Phase| {
            if now - self.since >= after {
                (next, self.since + after)
            } else {
                (self.phase, self.since)
            }
        };
        match self.phase {
            Phase::Pending => settled(BOOT, Phase::Running),
            Phase::Stopping => settled(SHUTDOWN, Phase::Stopped),
            Phase::ShuttingDown => settled(SHUTDOWN, Phase::Terminated),
            phase => (phase, self.since),
        }
    }

    pub fn phase(&self, now: OffsetDateTime) -> Phase {
        self.state(now).0
    }

    pub fn is_terminated(&self) -> bool {
        matches!(self.phase, Phase::ShuttingDown | Phase::Terminated)
    }

    /// Whether a terminated instance has been gone long enough to disappear from listings.
    pub fn expired(&self, now: OffsetDateTime) -> bool {
        let (phase, since) = self.state(now);
        phase == Phase::Terminated && now - since > TERMINATED_VISIBLE
    }

    /// The addresses while running or pending; AWS releases a public address on stop.
    pub fn public_ip(&self, now: OffsetDateTime) -> Option<&str> {
        match self.phase(now) {
            Phase::Pending | Phase::Running | Phase::Stopping | Phase::ShuttingDown => {
                self.public_ip.as_deref()
            }
            _ => None,
        }
    }

    pub fn public_dns(&self, region: &str, now: OffsetDateTime) -> String {
        let Some(ip) = self.public_ip(now) else {
            return String::new();
        };
        let domain = if region == "us-east-1" {
            "compute-1.amazonaws.com".to_string()
        } else {
            format!("{region}.compute.amazonaws.com")
        };
        format!("ec2-{}.{domain}", ip.replace('.', "-"))
    }

    /// When its operating system last came up: the end of its boot, or its last reboot.
    pub fn booted(&self) -> OffsetDateTime {
        let started = self.launch_time + BOOT;
        self.rebooted
            .map_or(started, |rebooted| rebooted.max(started))
    }

    pub fn private_dns(&self, region: &str) -> String {
        let domain = if region == "us-east-1" {
            "ec2.internal".to_string()
        } else {
            format!("{region}.compute.internal")
        };
        format!("ip-{}.{domain}", self.private_ip.replace('.', "-"))
    }

    /// Why it is stopped or terminated, with when (`User initiated (2026-11-01 10:00:00 GMT)`);
    /// empty otherwise, as AWS shows it.
    pub fn transition_reason(&self, now: OffsetDateTime) -> String {
        match (&self.state_reason, self.phase(now)) {
            (Some(reason), Phase::Stopped | Phase::Terminated) => {
                let when = crate::wire::timestamp::with_millis(self.since)
                    .replace('T', " ")
                    .trim_end_matches(".000Z")
                    .to_string();
                format!("{reason} ({when} GMT)")
            }
            _ => String::new(),
        }
    }

    /// The code and message of `StateReason`, once a user has stopped or terminated it.
    pub fn state_reason(&self) -> Option<(&'static str, String)> {
        const CODE: &str = "Client.UserInitiatedShutdown";
        let reason = self.state_reason.as_ref()?;
        Some((CODE, format!("{CODE}: {reason}")))
    }

    /// When it was first launched (`launch_time` moves with every start): its first run
    /// begins when that boot ends.
    pub fn first_launch(&self) -> OffsetDateTime {
        self.runs
            .first()
            .map_or(self.launch_time, |run| run.from - BOOT)
    }

    /// The device its root volume is attached as: the image's.
    pub fn root_device_name(&self) -> &'static str {
        if self.image_name.starts_with("al2023") {
            "/dev/xvda"
        } else {
            "/dev/sda1"
        }
    }

    pub fn platform_details(&self) -> &'static str {
        catalog::platform_details(self.windows)
    }

    /// The billing code of its operating system.
    pub fn usage_operation(&self) -> &'static str {
        catalog::usage_operation(self.windows)
    }

    pub fn hypervisor(&self) -> &'static str {
        catalog::instance_type(&self.instance_type).map_or("nitro", InstanceType::hypervisor)
    }

    /// The id of its availability zone (`apne2-az1`).
    pub fn zone_id(&self, region: &str) -> Option<String> {
        catalog::region(region)?
            .zones()
            .into_iter()
            .find(|zone| zone.name == self.zone)
            .map(|zone| zone.id)
    }

    fn enter(&mut self, phase: Phase, now: OffsetDateTime) {
        self.phase = phase;
        self.since = now;
    }

    /// Closes the open run (billing stops when the instance is asked to stop or terminate),
    /// and the public address's span when the shutdown that releases it ends.
    fn end_run(&mut self, at: OffsetDateTime) {
        if let Some(run) = self.runs.last_mut().filter(|run| run.to.is_none()) {
            run.to = Some(at);
        }
        if let Some(span) = self.addressed.last_mut().filter(|span| span.to.is_none()) {
            span.to = Some(at + SHUTDOWN);
        }
    }
}

/// What RunInstances asks for, already read from the request.
#[derive(Debug, Clone, Default)]
pub struct Launch {
    pub image_id: String,
    pub instance_type: Option<String>,
    pub min_count: u32,
    pub max_count: u32,
    pub key_name: Option<String>,
    pub group_ids: Vec<String>,
    pub group_names: Vec<String>,
    pub subnet_id: Option<String>,
    /// Overrides the subnet's `map_public_ip_on_launch` when given.
    pub associate_public_ip: Option<bool>,
    pub zone: Option<String>,
    pub tags: Tags,
    /// Makes a retried request return the first one's instances instead of launching more
    /// (the SDKs and the aws CLI fill it in for every RunInstances).
    pub client_token: Option<String>,
    /// `--block-device-mappings`: changes to the root volume, or more volumes.
    pub block_devices: Vec<super::volumes::Mapping>,
}

/// The account a launch is for, and what it allows.
#[derive(Debug, Clone, Copy)]
pub struct Launcher<'a> {
    pub account: &'a str,
    /// Its free offer: what it may launch.
    pub plan: crate::state::FreePlan,
    /// How many instances it may have running or pending in the region.
    pub quota: usize,
}

/// A state change, as Start/Stop/TerminateInstances report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: String,
    pub previous: Phase,
    pub current: Phase,
}

impl RegionState {
    /// Launches instances. `taken` says whether a public address is already in use anywhere.
    pub fn run_instances(
        &mut self,
        launch: Launch,
        region: &str,
        owner: &Launcher<'_>,
        now: OffsetDateTime,
        taken: &dyn Fn(&str) -> bool,
    ) -> Result<(String, Vec<Instance>), AwsError> {
        let Launcher {
            account: owner,
            plan,
            quota,
        } = *owner;
        if let Some(token) = &launch.client_token {
            let mut earlier: Vec<Instance> = self
                .instances
                .values()
                .filter(|i| i.client_token.as_ref() == Some(token))
                .cloned()
                .collect();
            earlier.sort_by_key(|i| i.launch_index);
            if let Some(first) = earlier.first() {
                let same = first.image_id == launch.image_id
                    && launch
                        .instance_type
                        .as_ref()
                        .is_none_or(|t| *t == first.instance_type)
                    && launch.key_name == first.key_name;
                if !same {
                    return Err(AwsError::client(
                        "IdempotentParameterMismatch",
                        "The client token you have provided is associated with a resource that is already deleted or has different parameters. Use a different client token.",
                    ));
                }
                let reservation = first.reservation_id.clone();
                return Ok((reservation, earlier));
            }
        }
        let image: &Image = catalog::image(region, &launch.image_id).ok_or_else(|| {
            if launch.image_id.starts_with("ami-") {
                AwsError::client(
                    "InvalidAMIID.NotFound",
                    format!("The image id '[{}]' does not exist", launch.image_id),
                )
            } else {
                AwsError::client(
                    "InvalidAMIID.Malformed",
                    format!(
                        "Invalid id: \"{}\" (expecting \"ami-...\")",
                        launch.image_id
                    ),
                )
            }
        })?;
        let type_name = launch
            .instance_type
            .clone()
            .unwrap_or_else(|| "t2.micro".to_string());
        let instance_type: &InstanceType = catalog::instance_type(&type_name).ok_or_else(|| {
            AwsError::invalid_parameter_value(format!(
                "Invalid value '{type_name}' for InstanceType. The emulator offers: {}",
                catalog::INSTANCE_TYPES
                    .iter()
                    .map(|t| t.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        // The Free plan launches only the types it covers, as AWS refuses the others.
        if plan == crate::state::FreePlan::Credits && !instance_type.free_for(true) {
            return Err(AwsError::client(
                "InvalidParameterCombination",
                "The specified instance type is not eligible for Free Tier. For a list of Free Tier instance types, run 'describe-instance-types' with the filter 'free-tier-eligible=true'.",
            ));
        }
        if instance_type.architecture != image.architecture() {
            return Err(AwsError::invalid_parameter_value(format!(
                "The architecture '{}' of the specified instance type does not match the architecture '{}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
                instance_type.architecture,
                image.architecture()
            )));
        }
        if launch.min_count < 1 || launch.max_count < launch.min_count {
            return Err(AwsError::invalid_parameter_value(
                "MinCount must be at least 1 and MaxCount at least MinCount",
            ));
        }
        let active = self
            .instances
            .values()
            .filter(|i| !i.is_terminated())
            .count();
        let room = quota.saturating_sub(active);
        if room < launch.min_count as usize {
            return Err(AwsError::client(
                "InstanceLimitExceeded",
                format!(
                    "You have requested more instances ({}) than your current instance limit of {quota} allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
                    active + launch.min_count as usize
                ),
            ));
        }
        let count = (launch.max_count as usize).min(room);
        if let Some(key) = &launch.key_name
            && !self.key_pairs.contains_key(key)
        {
            return Err(AwsError::client(
                "InvalidKeyPair.NotFound",
                format!("The key pair '{key}' does not exist"),
            ));
        }
        let planned = super::volumes::plan(
            &launch.block_devices,
            image.root_device,
            image.root_gib,
            image.root_volume_type,
        )?;
        let subnet_id = self.choose_subnet(&launch)?;
        let vpc_id = self.subnets[&subnet_id].vpc_id.clone();
        let mut groups = Vec::new();
        for id in &launch.group_ids {
            let group = self.find_group(Some(id), None)?;
            if group.vpc_id != vpc_id {
                return Err(AwsError::invalid_parameter(format!(
                    "Security group {id} and subnet {subnet_id} belong to different networks."
                )));
            }
            groups.push(group.id.clone());
        }
        for name in &launch.group_names {
            groups.push(self.find_group(None, Some(name))?.id.clone());
        }
        if groups.is_empty() {
            let default = self
                .security_groups
                .values()
                .find(|g| g.name == "default" && g.vpc_id == vpc_id)
                .ok_or_else(|| AwsError::internal("the VPC has no default security group"))?;
            groups.push(default.id.clone());
        }
        let key_public = launch
            .key_name
            .as_ref()
            .and_then(|name| self.key_pairs.get(name))
            .map(|pair| pair.public_key.clone());

        let reservation_id = ids::resource("r");
        let mut launched = Vec::new();
        for index in 0..count {
            let subnet = self
                .subnets
                .get_mut(&subnet_id)
                .ok_or_else(|| AwsError::internal("subnet vanished"))?;
            let private_ip = subnet.allocate().ok_or_else(|| {
                AwsError::client(
                    "InsufficientFreeAddressesInSubnet",
                    format!("The subnet '{subnet_id}' has no free addresses"),
                )
            })?;
            let public_ip = launch
                .associate_public_ip
                .unwrap_or(subnet.map_public_ip_on_launch)
                .then(|| public_address(region, taken));
            let has_address = public_ip.is_some();
            let password_data = if image.windows {
                key_public.as_deref().and_then(|key| {
                    super::super::keys::encrypt_to(key, windows_password().as_bytes())
                })
            } else {
                None
            };
            let instance = Instance {
                id: ids::resource("i"),
                reservation_id: reservation_id.clone(),
                owner: owner.to_string(),
                image_id: launch.image_id.clone(),
                image_name: image.name.to_string(),
                instance_type: instance_type.name.to_string(),
                windows: image.windows,
                key_name: launch.key_name.clone(),
                public_key: launch
                    .key_name
                    .as_ref()
                    .and_then(|name| self.key_pairs.get(name))
                    .map(|pair| pair.public_key.clone()),
                security_groups: groups.clone(),
                subnet_id: subnet_id.clone(),
                vpc_id: vpc_id.clone(),
                zone: subnet.zone.clone(),
                private_ip: private_ip.to_string(),
                public_ip,
                launch_index: index as u32,
                launch_time: now,
                phase: Phase::Pending,
                since: now,
                state_reason: None,
                password_data,
                runs: vec![Run {
                    from: now + BOOT,
                    to: None,
                }],
                addressed: if has_address {
                    vec![Run {
                        from: now,
                        to: None,
                    }]
                } else {
                    Vec::new()
                },
                tags: launch.tags.clone(),
                client_token: launch.client_token.clone(),
                rebooted: None,
                disk: Default::default(),
            };
            for volume in super::volumes::create(&planned, &instance.id, &instance.zone, now) {
                self.volumes.insert(volume.id.clone(), volume);
            }
            self.instances.insert(instance.id.clone(), instance.clone());
            launched.push(instance);
        }
        Ok((reservation_id, launched))
    }

    fn choose_subnet(&self, launch: &Launch) -> Result<String, AwsError> {
        if let Some(id) = &launch.subnet_id {
            return if self.subnets.contains_key(id) {
                Ok(id.clone())
            } else {
                Err(AwsError::client(
                    "InvalidSubnetID.NotFound",
                    format!("The subnet ID '{id}' does not exist"),
                ))
            };
        }
        let vpc = self
            .default_vpc()
            .ok_or_else(|| AwsError::client("VPCIdNotSpecified", "No default VPC for this user"))?;
        let candidates: Vec<_> = self
            .subnets
            .values()
            .filter(|s| s.vpc_id == vpc.id && s.default_for_az)
            .filter(|s| launch.zone.as_ref().is_none_or(|zone| &s.zone == zone))
            .collect();
        match candidates.first() {
            Some(subnet) => Ok(subnet.id.clone()),
            None => Err(AwsError::invalid_parameter_value(format!(
                "Invalid availability zone: [{}]",
                launch.zone.clone().unwrap_or_default()
            ))),
        }
    }

    /// Instances by id, all found or a NotFound naming the missing ones.
    pub fn instances_by_id(
        &self,
        ids: &[&str],
        now: OffsetDateTime,
    ) -> Result<Vec<&Instance>, AwsError> {
        for id in ids {
            if !id.starts_with("i-")
                || id.len() < 3
                || !id[2..].bytes().all(|b| b.is_ascii_hexdigit())
            {
                return Err(AwsError::client(
                    "InvalidInstanceID.Malformed",
                    format!("Invalid id: \"{id}\""),
                ));
            }
        }
        let missing: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| self.instances.get(*id).is_none_or(|i| i.expired(now)))
            .collect();
        if !missing.is_empty() {
            let plural = if missing.len() > 1 { "s" } else { "" };
            return Err(AwsError::client(
                "InvalidInstanceID.NotFound",
                format!(
                    "The instance ID{plural} '{}' do{} not exist",
                    missing.join(", "),
                    if plural.is_empty() { "es" } else { "" }
                ),
            ));
        }
        Ok(ids
            .iter()
            .filter_map(|id| self.instances.get(*id))
            .collect())
    }

    /// The instances a Describe call lists: those named (all must exist), or every one still
    /// visible.
    pub fn listed_instances(
        &self,
        ids: &[&str],
        now: OffsetDateTime,
    ) -> Result<Vec<&Instance>, AwsError> {
        if ids.is_empty() {
            Ok(self
                .instances
                .values()
                .filter(|i| !i.expired(now))
                .collect())
        } else {
            self.instances_by_id(ids, now)
        }
    }

    /// Applies a state change to each instance, or to none if any cannot make it.
    pub fn change_state(
        &mut self,
        ids: &[&str],
        action: Transition,
        now: OffsetDateTime,
        taken: &dyn Fn(&str) -> bool,
        region: &str,
    ) -> Result<Vec<Change>, AwsError> {
        if ids.is_empty() {
            return Err(AwsError::missing_parameter("InstanceId"));
        }
        for instance in self.instances_by_id(ids, now)? {
            let phase = instance.phase(now);
            let allowed = match action {
                Transition::Start => {
                    matches!(phase, Phase::Stopped | Phase::Pending | Phase::Running)
                }
                Transition::Stop => {
                    matches!(phase, Phase::Running | Phase::Stopping | Phase::Stopped)
                }
                Transition::Terminate => true,
                Transition::Reboot => phase == Phase::Running,
            };
            if !allowed {
                return Err(AwsError::client(
                    "IncorrectInstanceState",
                    format!(
                        "The instance '{}' is not in a state from which it can be {}.",
                        instance.id,
                        action.past()
                    ),
                ));
            }
        }
        let mut changes = Vec::new();
        for id in ids {
            let Some(instance) = self.instances.get_mut(*id) else {
                continue;
            };
            let previous = instance.phase(now);
            match (action, previous) {
                (Transition::Start, Phase::Stopped) => {
                    instance.enter(Phase::Pending, now);
                    instance.launch_time = now;
                    instance.rebooted = None;
                    instance.public_ip = Some(public_address(region, taken));
                    instance.addressed.push(Run {
                        from: now,
                        to: None,
                    });
                    instance.runs.push(Run {
                        from: now + BOOT,
                        to: None,
                    });
                }
                (Transition::Reboot, Phase::Running) => instance.rebooted = Some(now),
                (Transition::Stop, Phase::Running) => {
                    instance.enter(Phase::Stopping, now);
                    instance.state_reason = Some("User initiated".into());
                    instance.end_run(now);
                }
                (Transition::Terminate, Phase::Terminated | Phase::ShuttingDown) => {}
                (Transition::Terminate, _) => {
                    instance.enter(Phase::ShuttingDown, now);
                    instance.state_reason = Some("User initiated".into());
                    instance.end_run(now);
                    for volume in self.volumes.values_mut() {
                        super::volumes::release(volume, id, now + SHUTDOWN);
                    }
                    // Its disk's space is freed: no instance here can boot from, or attach,
                    // a volume left behind, so nothing could read it again.
                    instance.disk = cloudlings_os::Disk::default();
                }
                _ => {}
            }
            changes.push(Change {
                id: id.to_string(),
                previous,
                current: instance.phase(now),
            });
        }
        Ok(changes)
    }
}

/// What a request asks an instance to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    Start,
    Stop,
    Terminate,
    Reboot,
}

impl Transition {
    fn past(self) -> &'static str {
        match self {
            Transition::Start => "started",
            Transition::Stop => "stopped",
            Transition::Terminate => "terminated",
            Transition::Reboot => "rebooted",
        }
    }
}

/// Public address ranges of each region, as AWS hands them out.
pub fn public_ranges(region: &str) -> &'static [(u8, u8)] {
    match region {
        "ap-northeast-2" => &[
            (3, 34),
            (3, 35),
            (13, 124),
            (13, 125),
            (15, 164),
            (43, 200),
            (52, 78),
            (54, 180),
        ],
        "us-east-1" => &[
            (3, 80),
            (18, 204),
            (34, 201),
            (44, 200),
            (54, 85),
            (54, 152),
        ],
        _ => &[(3, 120), (18, 180), (35, 160), (52, 56)],
    }
}

/// A free public address in the region's ranges.
fn public_address(region: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let ranges = public_ranges(region);
    loop {
        let (a, b) = ranges[rand::random_range(0..ranges.len())];
        let address = Ipv4Addr::new(
            a,
            b,
            rand::random_range(0..=255),
            rand::random_range(1..=254),
        )
        .to_string();
        if !taken(&address) {
            return address;
        }
    }
}

/// A Windows administrator password in the form EC2 generates.
fn windows_password() -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@$%&*()=;?";
    (0..32)
        .map(|_| CHARS[rand::random_range(0..CHARS.len())] as char)
        .collect()
}

/// How instances are filtered; needs the clock, so a view of an instance at a moment.
#[derive(Debug)]
pub struct At<'a> {
    pub instance: &'a Instance,
    pub now: OffsetDateTime,
    pub region: &'a str,
    /// The region's security groups, for filtering by a group's name.
    pub groups: &'a std::collections::BTreeMap<String, super::security_groups::SecurityGroup>,
    /// The region's volumes, for filtering by the instance's block devices.
    pub volumes: &'a std::collections::BTreeMap<String, super::volumes::Volume>,
}
