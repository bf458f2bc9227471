//! What each AMI boots: versions, the base image's tree, its users, its login banner.
//!
//! The text here is the distros' own (os-release, skeleton dotfiles, the message of the day),
//! so that what a learner reads matches what the real AMI shows. The image is rebuilt from
//! this code and the instance's facts on every use and never stored.

use std::borrow::Cow;
use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::fs::Lower;
use super::node::{Body, Meta, Node};
use super::{Distro, Facts, workstation};

/// `Ubuntu 24.04.1 LTS`: the point release the image is built from.
pub(crate) const UBUNTU_RELEASE: &str = "24.04.1";
pub(crate) const UBUNTU_KERNEL: &str = "6.8.0-1016-aws";
pub(crate) const UBUNTU_KERNEL_BUILD: &str = "#17-Ubuntu SMP Mon Sep  2 13:48:07 UTC 2024";
/// A computer of the learner's runs Ubuntu's generic kernel, not the one tuned for EC2.
pub(crate) const GENERIC_KERNEL: &str = "6.8.0-47-generic";
pub(crate) const GENERIC_KERNEL_BUILD: &str =
    "#47-Ubuntu SMP PREEMPT_DYNAMIC Fri Sep 27 21:40:26 UTC 2024";
/// The Amazon Linux release of the AMI in the emulator's catalogue.
pub(crate) const AL_RELEASE: &str = "2023.9.20261020";
pub(crate) const AL_KERNEL: &str = "6.1.155-176.282.amzn2023.x86_64";
pub(crate) const AL_KERNEL_BUILD: &str = "#1 SMP PREEMPT_DYNAMIC Tue Oct  6 19:20:38 UTC 2026";

/// When the image was built (the AMI's creation date), for the image's own files.
fn image_time(distro: Distro) -> i64 {
    match distro {
        Distro::Ubuntu | Distro::Workstation => 1_792_483_964,
        Distro::AmazonLinux => 1_792_554_002,
    }
}

/// When the distro's packages were built, for files that come straight from a package.
fn package_time(distro: Distro) -> i64 {
    match distro {
        Distro::Ubuntu | Distro::Workstation => 1_711_874_463,
        Distro::AmazonLinux => 1_769_601_775,
    }
}

impl Distro {
    /// Whether the machine runs Ubuntu: an instance of the Ubuntu AMI, or the workstation.
    pub(crate) fn is_ubuntu(self) -> bool {
        matches!(self, Distro::Ubuntu | Distro::Workstation)
    }

    /// `uname -r`.
    pub(crate) fn kernel(self) -> &'static str {
        match self {
            Distro::Ubuntu => UBUNTU_KERNEL,
            Distro::AmazonLinux => AL_KERNEL,
            Distro::Workstation => GENERIC_KERNEL,
        }
    }

    /// `uname -v`.
    pub(crate) fn kernel_build(self) -> &'static str {
        match self {
            Distro::Ubuntu => UBUNTU_KERNEL_BUILD,
            Distro::AmazonLinux => AL_KERNEL_BUILD,
            Distro::Workstation => GENERIC_KERNEL_BUILD,
        }
    }

    /// `/etc/os-release`, byte for byte.
    pub(crate) fn os_release(self) -> String {
        match self {
            Distro::Ubuntu | Distro::Workstation => format!(
                "PRETTY_NAME=\"Ubuntu {UBUNTU_RELEASE} LTS\"\n\
                 NAME=\"Ubuntu\"\n\
                 VERSION_ID=\"24.04\"\n\
                 VERSION=\"{UBUNTU_RELEASE} LTS (Noble Numbat)\"\n\
                 VERSION_CODENAME=noble\n\
                 ID=ubuntu\n\
                 ID_LIKE=debian\n\
                 HOME_URL=\"https://www.ubuntu.com/\"\n\
                 SUPPORT_URL=\"https://help.ubuntu.com/\"\n\
                 BUG_REPORT_URL=\"https://bugs.launchpad.net/ubuntu/\"\n\
                 PRIVACY_POLICY_URL=\"https://www.ubuntu.com/legal/terms-and-policies/privacy-policy\"\n\
                 UBUNTU_CODENAME=noble\n\
                 LOGO=ubuntu-logo\n"
            ),
            Distro::AmazonLinux => format!(
                "NAME=\"Amazon Linux\"\n\
                 VERSION=\"2023\"\n\
                 ID=\"amzn\"\n\
                 ID_LIKE=\"fedora\"\n\
                 VERSION_ID=\"2023\"\n\
                 PLATFORM_ID=\"platform:al2023\"\n\
                 PRETTY_NAME=\"Amazon Linux {AL_RELEASE}\"\n\
                 ANSI_COLOR=\"0;33\"\n\
                 CPE_NAME=\"cpe:2.3:o:amazon:amazon_linux:2023\"\n\
                 HOME_URL=\"https://aws.amazon.com/linux/amazon-linux-2023/\"\n\
                 DOCUMENTATION_URL=\"https://docs.aws.amazon.com/linux/\"\n\
                 SUPPORT_URL=\"https://aws.amazon.com/premiumsupport/\"\n\
                 BUG_REPORT_URL=\"https://github.com/amazonlinux/amazon-linux-2023\"\n\
                 VENDOR_NAME=\"AWS\"\n\
                 VENDOR_URL=\"https://aws.amazon.com/\"\n\
                 SUPPORT_END=\"2029-06-30\"\n"
            ),
        }
    }

    /// The name `ls -l` shows after the mode: Amazon Linux labels files for SELinux, which
    /// GNU ls marks with a dot.
    pub(crate) fn mode_suffix(self) -> &'static str {
        match self {
            Distro::Ubuntu | Distro::Workstation => "",
            Distro::AmazonLinux => ".",
        }
    }

    fn passwd(self) -> Cow<'static, str> {
        match self {
            Distro::Ubuntu => UBUNTU_PASSWD.into(),
            Distro::AmazonLinux => AL_PASSWD.into(),
            Distro::Workstation => workstation_table(
                UBUNTU_PASSWD,
                "learner:x:1000:1000:Learner,,,:/home/learner:/bin/bash\n",
            )
            .into(),
        }
    }

    fn group(self) -> Cow<'static, str> {
        match self {
            Distro::Ubuntu => UBUNTU_GROUP.into(),
            Distro::AmazonLinux => AL_GROUP.into(),
            Distro::Workstation => workstation_table(UBUNTU_GROUP, "learner:x:1000:\n").into(),
        }
    }
}

/// The workstation's `/etc/passwd` or `/etc/group` from Ubuntu's image: without the accounts
/// EC2 adds (`ubuntu`, `ec2-instance-connect`) or their group memberships, with the
/// learner's own line instead. The learner is in no other group, so not an administrator.
fn workstation_table(ubuntu: &str, own: &str) -> String {
    const EC2_ONLY: [&str; 2] = ["ubuntu", "ec2-instance-connect"];
    let mut text = String::new();
    for line in ubuntu.lines() {
        let mut fields: Vec<&str> = line.split(':').collect();
        if EC2_ONLY.contains(&fields[0]) {
            continue;
        }
        let members;
        if let [_, _, _, list] = fields[..] {
            members = list
                .split(',')
                .filter(|member| !EC2_ONLY.contains(member))
                .collect::<Vec<_>>()
                .join(",");
            fields[3] = &members;
        }
        text.push_str(&fields.join(":"));
        text.push('\n');
    }
    text.push_str(own);
    text
}

/// `ip-172-31-5-20`, from the private address, as EC2's DHCP names the host; the
/// workstation has the name its owner gave it.
pub(crate) fn short_hostname(facts: &Facts) -> String {
    match facts.distro {
        Distro::Workstation => workstation::HOSTNAME.to_string(),
        _ => format!("ip-{}", facts.private_ip.replace('.', "-")),
    }
}

/// What `hostname` prints: Amazon Linux keeps the full private DNS name.
pub(crate) fn hostname(facts: &Facts) -> String {
    match facts.distro {
        Distro::Ubuntu | Distro::Workstation => short_hostname(facts),
        Distro::AmazonLinux => facts.private_dns.clone(),
    }
}

/// Whether the instance type runs on the Xen hypervisor (older families) rather than Nitro:
/// it changes device and interface names.
pub(crate) fn xen(facts: &Facts) -> bool {
    [
        "t2.", "m4.", "c4.", "r4.", "x1.", "i3.", "d2.", "m3.", "c3.",
    ]
    .iter()
    .any(|family| facts.instance_type.starts_with(family))
}

/// The network interface's name: `enX0` under Xen, `ens5` on Nitro.
pub(crate) fn interface(facts: &Facts) -> &'static str {
    if xen(facts) { "enX0" } else { "ens5" }
}

/// The root block device: `xvda` under Xen, `nvme0n1` on Nitro.
pub(crate) fn root_device(facts: &Facts) -> &'static str {
    if xen(facts) { "xvda" } else { "nvme0n1" }
}

/// What an installed package takes on the root file system, in KiB.
pub(crate) const PACKAGE_KIB: u64 = 1_600;

/// The root file system on the instance's root volume, in KiB: its size, and what the image
/// uses of it before the instance's own files and packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RootFs {
    pub size_kib: u64,
    pub image_kib: u64,
}

/// The root file system of `facts`' volume. Ubuntu's cloud images give the first 1 GiB and
/// 106 MiB of the volume to `/boot` and `/boot/efi` and format the rest ext4; Amazon Linux
/// keeps 10 MiB for EFI and formats the rest xfs. Each file system keeps some of its
/// partition for itself: the ratios are those `df` shows on an 8 GiB volume (7,034,376 and
/// 8,310,764 KiB).
pub(crate) fn root_fs(facts: &Facts) -> RootFs {
    let volume_kib = u64::from(facts.volume_gib) * 1024 * 1024;
    let (boot_kib, formatted, of, image_kib) = match facts.distro {
        Distro::Ubuntu | Distro::Workstation => (1_130_496, 7_034_376, 7_258_112, 1_650_000),
        Distro::AmazonLinux => (10_240, 8_310_764, 8_378_368, 1_633_280),
    };
    RootFs {
        size_kib: volume_kib.saturating_sub(boot_kib) * formatted / of,
        image_kib,
    }
}

/// Bytes the instance's own files may take on its root file system: what the image and the
/// installed packages leave.
pub(crate) fn room_for_files(facts: &Facts, disk: &crate::Disk) -> u64 {
    let root = root_fs(facts);
    let packages = disk.packages.len() as u64 * PACKAGE_KIB;
    root.size_kib.saturating_sub(root.image_kib + packages) * 1024
}

/// Memory the kernel leaves to programs, in KiB: what `free` calls total. The kernel keeps
/// a fixed part and about 5.5% of the pages for itself; a 1 GiB t2.micro shows 957Mi on
/// Ubuntu, a 4 GiB t3.medium 3.8Gi.
pub(crate) fn mem_total_kib(facts: &Facts) -> u64 {
    let total = facts.memory_mib * 1024;
    let fixed = match facts.distro {
        Distro::Ubuntu | Distro::Workstation => 10_700,
        Distro::AmazonLinux => 18_500,
    };
    total.saturating_sub(fixed + total * 55 / 1000)
}

/// A user of `/etc/passwd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct User {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
    pub shell: String,
}

/// A group of `/etc/group`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub name: String,
    pub gid: u32,
    pub members: Vec<String>,
}

/// The users and groups of an instance: the image's, and those packages add.
#[derive(Debug, Clone, Default)]
pub(crate) struct Accounts {
    pub users: Vec<User>,
    pub groups: Vec<Group>,
}

impl Accounts {
    pub fn of(distro: Distro, packages: &BTreeMap<String, i64>) -> Accounts {
        let mut accounts = Accounts::default();
        for line in passwd_text(distro, packages).lines() {
            let fields: Vec<&str> = line.split(':').collect();
            if let [name, _, uid, gid, _, home, shell] = fields[..] {
                accounts.users.push(User {
                    name: name.to_string(),
                    uid: uid.parse().unwrap_or(65534),
                    gid: gid.parse().unwrap_or(65534),
                    home: home.to_string(),
                    shell: shell.to_string(),
                });
            }
        }
        for line in group_text(distro, packages).lines() {
            let fields: Vec<&str> = line.split(':').collect();
            if let [name, _, gid, members] = fields[..] {
                accounts.groups.push(Group {
                    name: name.to_string(),
                    gid: gid.parse().unwrap_or(65534),
                    members: members
                        .split(',')
                        .filter(|member| !member.is_empty())
                        .map(String::from)
                        .collect(),
                });
            }
        }
        accounts
    }

    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|user| user.name == name)
    }

    pub fn user_name(&self, uid: u32) -> String {
        self.users
            .iter()
            .find(|user| user.uid == uid)
            .map_or_else(|| uid.to_string(), |user| user.name.clone())
    }

    pub fn group_name(&self, gid: u32) -> String {
        self.groups
            .iter()
            .find(|group| group.gid == gid)
            .map_or_else(|| gid.to_string(), |group| group.name.clone())
    }

    pub fn gid(&self, name: &str) -> Option<u32> {
        self.groups
            .iter()
            .find(|group| group.name == name)
            .map(|group| group.gid)
            .or_else(|| name.parse().ok())
    }

    pub fn uid(&self, name: &str) -> Option<u32> {
        self.user(name)
            .map(|user| user.uid)
            .or_else(|| name.parse().ok())
    }

    /// A user's groups, primary first, then the others in `/etc/group` order, as `id` lists.
    pub fn groups_of(&self, user: &User) -> Vec<u32> {
        let mut gids = vec![user.gid];
        for group in &self.groups {
            if group.members.contains(&user.name) && !gids.contains(&group.gid) {
                gids.push(group.gid);
            }
        }
        gids
    }
}

pub(crate) fn passwd_text(distro: Distro, packages: &BTreeMap<String, i64>) -> String {
    let mut text = distro.passwd().into_owned();
    if distro == Distro::AmazonLinux && packages.contains_key("nginx") {
        text.push_str("nginx:x:992:992:Nginx web server:/var/lib/nginx:/sbin/nologin\n");
    }
    text
}

pub(crate) fn group_text(distro: Distro, packages: &BTreeMap<String, i64>) -> String {
    let mut text = distro.group().into_owned();
    if distro == Distro::AmazonLinux && packages.contains_key("nginx") {
        text.push_str("nginx:x:992:\n");
    }
    text
}

/// The image's `/etc/shadow`: no account has a password, and the login user's is locked the
/// way its distro locks one (`!` or `!!`), so only its SSH key lets it in.
fn shadow_text(distro: Distro) -> String {
    let day = image_time(distro) / 86_400;
    let locked = match distro {
        Distro::Ubuntu | Distro::Workstation => "!",
        Distro::AmazonLinux => "!!",
    };
    distro
        .passwd()
        .lines()
        .filter_map(|line| line.split(':').next())
        .map(|name| {
            let hash = if name == distro.user() { locked } else { "*" };
            format!("{name}:{hash}:{day}:0:99999:7:::\n")
        })
        .collect()
}

const UBUNTU_PASSWD: &str = "\
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
systemd-network:x:998:998:systemd Network Management:/:/usr/sbin/nologin
systemd-timesync:x:996:996:systemd Time Synchronization:/:/usr/sbin/nologin
dhcpcd:x:100:65534:DHCP Client Daemon,,,:/usr/lib/dhcpcd:/bin/false
messagebus:x:101:101::/nonexistent:/usr/sbin/nologin
systemd-resolve:x:991:991:systemd Resolver:/:/usr/sbin/nologin
pollinate:x:102:1::/var/cache/pollinate:/bin/false
polkitd:x:990:990:User for polkitd:/:/usr/sbin/nologin
syslog:x:103:104::/nonexistent:/usr/sbin/nologin
uuidd:x:104:105::/run/uuidd:/usr/sbin/nologin
tcpdump:x:105:107::/nonexistent:/usr/sbin/nologin
tss:x:106:108:TPM software stack,,,:/var/lib/tpm:/bin/false
landscape:x:107:109::/var/lib/landscape:/usr/sbin/nologin
fwupd-refresh:x:989:989:Firmware update daemon:/var/lib/fwupd:/usr/sbin/nologin
usbmux:x:108:46:usbmux daemon,,,:/var/lib/usbmux:/usr/sbin/nologin
sshd:x:109:65534::/run/sshd:/usr/sbin/nologin
ec2-instance-connect:x:110:65534::/nonexistent:/usr/sbin/nologin
_chrony:x:111:112:Chrony daemon,,,:/var/lib/chrony:/usr/sbin/nologin
ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash
lxd:x:999:100::/var/snap/lxd/common/lxd:/bin/false
";

const UBUNTU_GROUP: &str = "\
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:syslog,ubuntu
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:ubuntu
floppy:x:25:
tape:x:26:
sudo:x:27:ubuntu
audio:x:29:
dip:x:30:ubuntu
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
systemd-journal:x:999:
systemd-network:x:998:
crontab:x:997:
systemd-timesync:x:996:
input:x:995:
sgx:x:994:
kvm:x:993:
render:x:992:
messagebus:x:101:
systemd-resolve:x:991:
_ssh:x:102:
polkitd:x:990:
syslog:x:104:
uuidd:x:105:
lxd:x:106:ubuntu
tcpdump:x:107:
tss:x:108:
landscape:x:109:
fwupd-refresh:x:989:
_chrony:x:112:
ubuntu:x:1000:
";

const AL_PASSWD: &str = "\
root:x:0:0:Super User:/root:/bin/bash
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/spool/mail:/sbin/nologin
operator:x:11:0:operator:/root:/sbin/nologin
games:x:12:100:games:/usr/games:/sbin/nologin
ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin
nobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin
dbus:x:81:81:System message bus:/:/sbin/nologin
systemd-network:x:192:192:systemd Network Management:/:/usr/sbin/nologin
systemd-oom:x:999:999:systemd Userspace OOM Killer:/:/usr/sbin/nologin
systemd-resolve:x:193:193:systemd Resolver:/:/usr/sbin/nologin
sshd:x:74:74:Privilege-separated SSH:/usr/share/empty.sshd:/sbin/nologin
rpc:x:32:32:Rpcbind Daemon:/var/lib/rpcbind:/sbin/nologin
libstoragemgmt:x:997:997:daemon account for libstoragemgmt:/:/usr/sbin/nologin
systemd-coredump:x:996:996:systemd Core Dumper:/:/usr/sbin/nologin
systemd-timesync:x:995:995:systemd Time Synchronization:/:/usr/sbin/nologin
chrony:x:994:994:chrony system user:/var/lib/chrony:/sbin/nologin
ec2-instance-connect:x:993:993::/home/ec2-instance-connect:/sbin/nologin
rpcuser:x:29:29:RPC Service User:/var/lib/nfs:/sbin/nologin
tcpdump:x:72:72::/:/sbin/nologin
ec2-user:x:1000:1000:EC2 Default User:/home/ec2-user:/bin/bash
";

const AL_GROUP: &str = "\
root:x:0:
bin:x:1:
daemon:x:2:
sys:x:3:
adm:x:4:ec2-user
tty:x:5:
disk:x:6:
lp:x:7:
mem:x:8:
kmem:x:9:
wheel:x:10:ec2-user
cdrom:x:11:
mail:x:12:
man:x:15:
dialout:x:18:
floppy:x:19:
games:x:20:
tape:x:33:
video:x:39:
ftp:x:50:
lock:x:54:
audio:x:63:
users:x:100:
nobody:x:65534:
utmp:x:22:
utempter:x:35:
input:x:999:
kvm:x:36:
render:x:998:
systemd-journal:x:190:ec2-user
systemd-coredump:x:996:
dbus:x:81:
systemd-network:x:192:
systemd-oom:x:999:
systemd-resolve:x:193:
sshd:x:74:
rpc:x:32:
libstoragemgmt:x:997:
systemd-timesync:x:995:
chrony:x:994:
ec2-instance-connect:x:993:
rpcuser:x:29:
tcpdump:x:72:
ec2-user:x:1000:
";

/// Builds a layer with image-time, root-owned defaults, making missing parent directories.
pub(crate) struct Layer<'a> {
    pub lower: &'a mut Lower,
    pub mtime: i64,
}

impl Layer<'_> {
    fn meta(&self, mode: u32, uid: u32, gid: u32) -> Meta {
        Meta {
            mode,
            uid,
            gid,
            mtime: self.mtime,
        }
    }

    fn parents(&mut self, path: &str) {
        let mut at = String::new();
        let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
        for part in parts.iter().take(parts.len().saturating_sub(1)) {
            at.push('/');
            at.push_str(part);
            if self.lower.get(&at).is_none() {
                let meta = self.meta(0o755, 0, 0);
                self.lower.insert(&at, Node::dir(meta));
            }
        }
    }

    pub fn dir(&mut self, path: &str, mode: u32) -> &mut Self {
        self.dir_owned(path, mode, 0, 0)
    }

    pub fn dir_owned(&mut self, path: &str, mode: u32, uid: u32, gid: u32) -> &mut Self {
        self.parents(path);
        let meta = self.meta(mode, uid, gid);
        self.lower.insert(path, Node::dir(meta));
        self
    }

    pub fn file(&mut self, path: &str, mode: u32, content: impl Into<Vec<u8>>) -> &mut Self {
        self.file_owned(path, mode, 0, 0, content)
    }

    pub fn text(&mut self, path: &str, mode: u32, content: &'static str) -> &mut Self {
        self.parents(path);
        let meta = self.meta(mode, 0, 0);
        self.lower
            .insert(path, Node::file(meta, content.as_bytes()));
        self
    }

    pub fn file_owned(
        &mut self,
        path: &str,
        mode: u32,
        uid: u32,
        gid: u32,
        content: impl Into<Vec<u8>>,
    ) -> &mut Self {
        self.parents(path);
        let meta = self.meta(mode, uid, gid);
        self.lower.insert(path, Node::file(meta, content.into()));
        self
    }

    pub fn link(&mut self, path: &str, target: &str) -> &mut Self {
        self.parents(path);
        let meta = self.meta(0o777, 0, 0);
        self.lower.insert(
            path,
            Node {
                meta,
                body: Body::Link(target.to_string()),
            },
        );
        self
    }

    /// An executable of the image, its size made up from its name so that it is stable.
    pub fn program(&mut self, path: &str) -> &mut Self {
        self.parents(path);
        let meta = self.meta(0o755, 0, 0);
        let size = 14_000
            + path.bytes().fold(7u64, |hash, byte| {
                hash.wrapping_mul(31).wrapping_add(byte.into())
            }) % 280_000;
        self.lower.insert(
            path,
            Node {
                meta,
                body: Body::Program(size),
            },
        );
        self
    }
}

/// Programs every image has, in `/usr/bin`.
const COMMON_PROGRAMS: &[&str] = &[
    "bash",
    "cat",
    "chmod",
    "chown",
    "clear",
    "cp",
    "curl",
    "cut",
    "date",
    "dd",
    "df",
    "du",
    "echo",
    "env",
    "fallocate",
    "false",
    "find",
    "free",
    "grep",
    "head",
    "hostname",
    "hostnamectl",
    "id",
    "journalctl",
    "kill",
    "less",
    "ln",
    "ls",
    "man",
    "mkdir",
    "more",
    "mv",
    "nproc",
    "ping",
    "printenv",
    "printf",
    "ps",
    "pwd",
    "python3",
    "readlink",
    "rm",
    "rmdir",
    "sed",
    "sleep",
    "sort",
    "stat",
    "su",
    "sudo",
    "systemctl",
    "tail",
    "tee",
    "top",
    "touch",
    "tr",
    "true",
    "uname",
    "uniq",
    "uptime",
    "vi",
    "vim",
    "w",
    "wc",
    "which",
    "who",
    "whoami",
];

const UBUNTU_PROGRAMS: &[&str] = &[
    "apt",
    "apt-get",
    "dash",
    "git",
    "htop",
    "ip",
    "lsb_release",
    "nano",
    "wget",
    "tmux",
];

const AL_PROGRAMS: &[&str] = &["dnf", "dnf-3"];

/// The workstation has the OpenSSH client (which does not run inside the emulation) but no
/// server: it is a desktop, not something one logs in to.
const WORKSTATION_PROGRAMS: &[&str] = &["ssh"];

/// The base image of an instance: the distro's tree with the instance's names in it.
pub(crate) fn image(facts: &Facts) -> Lower {
    let mut lower = Lower::default();
    let distro = facts.distro;
    let booted = facts.booted.unix_timestamp();
    let now = facts.now.unix_timestamp();
    let user = distro.user();
    let home = format!("/home/{user}");
    // What EC2 adds to an image (cloud-init's files, the SSH server and keys) is not on the
    // learner's own computer.
    let ec2 = distro != Distro::Workstation;
    let mut layer = Layer {
        lower: &mut lower,
        mtime: image_time(distro),
    };
    layer.dir("/", 0o755);
    for dir in [
        "/boot",
        "/etc",
        "/home",
        "/media",
        "/mnt",
        "/opt",
        "/srv",
        "/usr",
        "/usr/bin",
        "/usr/sbin",
        "/usr/lib",
        "/usr/lib64",
        "/usr/local",
        "/usr/local/bin",
        "/usr/local/sbin",
        "/usr/local/lib",
        "/usr/local/share",
        "/usr/share",
        "/usr/share/doc",
        "/usr/include",
        "/usr/src",
        "/var",
        "/var/lib",
        "/var/cache",
        "/var/spool",
        "/var/opt",
        "/var/backups",
        "/var/local",
        "/var/mail",
        "/etc/ssh",
        "/etc/systemd/system",
        "/usr/lib/systemd/system",
        "/var/lib/dpkg",
        "/var/lib/apt/lists",
    ] {
        layer.dir(dir, 0o755);
    }
    layer
        .link("/bin", "usr/bin")
        .link("/sbin", "usr/sbin")
        .link("/lib", "usr/lib");
    layer.link("/lib64", "usr/lib64");
    layer.dir("/var/tmp", 0o1777).dir("/root", 0o700);
    for program in COMMON_PROGRAMS {
        layer.program(&format!("/usr/bin/{program}"));
    }
    let extra: &[&[&str]] = match distro {
        Distro::Ubuntu => &[UBUNTU_PROGRAMS],
        Distro::AmazonLinux => &[AL_PROGRAMS],
        Distro::Workstation => &[UBUNTU_PROGRAMS, WORKSTATION_PROGRAMS],
    };
    for program in extra.iter().copied().flatten() {
        layer.program(&format!("/usr/bin/{program}"));
    }
    for program in ["service", "reboot", "shutdown", "poweroff", "useradd"] {
        layer.program(&format!("/usr/sbin/{program}"));
    }
    if ec2 {
        layer.program("/usr/sbin/sshd");
    }
    if distro == Distro::AmazonLinux {
        layer.link("/usr/bin/yum", "dnf-3");
        layer.link("/usr/bin/sh", "bash");
        layer.program("/usr/sbin/ip");
    } else {
        layer.link("/usr/bin/sh", "dash");
        // No /var/www: on Ubuntu a web server's package brings it.
        layer.dir("/snap", 0o755).dir("/lost+found", 0o700);
    }

    // Identity and release.
    layer.mtime = package_time(distro);
    layer.file("/usr/lib/os-release", 0o644, distro.os_release());
    layer.link("/etc/os-release", "../usr/lib/os-release");
    layer.file("/etc/passwd", 0o644, passwd_text(distro, &BTreeMap::new()));
    layer.file("/etc/group", 0o644, group_text(distro, &BTreeMap::new()));
    match distro {
        Distro::Ubuntu | Distro::Workstation => {
            layer.file_owned("/etc/shadow", 0o640, 0, 42, shadow_text(distro));
            layer.text(
                "/etc/lsb-release",
                0o644,
                "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=24.04\nDISTRIB_CODENAME=noble\nDISTRIB_DESCRIPTION=\"Ubuntu 24.04.1 LTS\"\n",
            );
            layer.text("/etc/issue", 0o644, "Ubuntu 24.04.1 LTS \\n \\l\n\n");
            layer.text("/etc/debian_version", 0o644, "trixie/sid\n");
            if ec2 {
                layer.text("/etc/hosts", 0o644, UBUNTU_HOSTS);
            } else {
                // The installer names the computer on a loopback address of its own.
                let localhost = "127.0.0.1 localhost\n";
                let named = format!("{localhost}127.0.1.1 {}\n", workstation::HOSTNAME);
                layer.file(
                    "/etc/hosts",
                    0o644,
                    UBUNTU_HOSTS.replacen(localhost, &named, 1),
                );
            }
            layer.text(
                "/etc/bash.bashrc",
                0o644,
                "# System-wide .bashrc file for interactive bash(1) shells.\n",
            );
            layer.text("/etc/skel/.bashrc", 0o644, UBUNTU_BASHRC);
            layer.text("/etc/skel/.profile", 0o644, UBUNTU_PROFILE);
            layer.text("/etc/skel/.bash_logout", 0o644, UBUNTU_LOGOUT);
            layer.text(
                "/etc/apt/sources.list",
                0o644,
                "# Ubuntu sources have moved to /etc/apt/sources.list.d/ubuntu.sources\n",
            );
            let mirror = mirror(facts);
            layer.file(
                "/etc/apt/sources.list.d/ubuntu.sources",
                0o644,
                format!(
                    "Types: deb\nURIs: {mirror}\nSuites: noble noble-updates noble-backports\nComponents: main restricted universe multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\nTypes: deb\nURIs: http://security.ubuntu.com/ubuntu\nSuites: noble-security\nComponents: main restricted universe multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n"
                ),
            );
        }
        Distro::AmazonLinux => {
            layer.file_owned("/etc/shadow", 0o000, 0, 0, shadow_text(distro));
            layer.file(
                "/etc/system-release",
                0o644,
                format!("Amazon Linux release {AL_RELEASE} (Amazon Linux)\n"),
            );
            layer.text("/etc/hosts", 0o644, AL_HOSTS);
            layer.text(
                "/etc/bashrc",
                0o644,
                "# /etc/bashrc\n\n# System wide functions and aliases\n",
            );
            layer.text("/etc/skel/.bashrc", 0o644, AL_BASHRC);
            layer.text("/etc/skel/.bash_profile", 0o644, AL_BASH_PROFILE);
            layer.text("/etc/skel/.bash_logout", 0o644, "# ~/.bash_logout\n");
            layer.text(
                "/etc/yum.repos.d/amazonlinux.repo",
                0o644,
                "[amazonlinux]\nname=Amazon Linux 2023 repository\nmirrorlist=https://al2023-repos-$awsregion-de612dc2.s3.dualstack.$awsregion.$awsdomain/core/mirrors/$releasever/$basearch/mirror.list\npriority=10\nenabled=1\nrepo_gpgcheck=0\ntype=rpm\ngpgcheck=1\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-amazon-linux-2023\n",
            );
        }
    }
    layer.text("/etc/timezone", 0o644, "Etc/UTC\n");
    layer.link("/etc/localtime", "/usr/share/zoneinfo/Etc/UTC");
    if ec2 {
        layer.text("/etc/ssh/sshd_config", 0o644, SSHD_CONFIG);
    }
    layer.text(
        "/etc/fstab",
        0o644,
        "LABEL=cloudimg-rootfs\t/\t ext4\tdiscard,commit=30,errors=remount-ro\t0 1\n",
    );
    let sudoers_user = format!(
        "# Created by cloud-init on instance boot automatically, do not edit.\n#\n\n# User rules for {user}\n{user} ALL=(ALL) NOPASSWD:ALL\n"
    );
    layer.dir("/etc/sudoers.d", 0o755);
    layer.file("/etc/sudoers", 0o440, "#\n# This file MUST be edited with the 'visudo' command as root.\n#\nDefaults\tenv_reset\nroot\tALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n");
    if ec2 {
        layer.file("/etc/sudoers.d/90-cloud-init-users", 0o440, sudoers_user);
    }

    // Written at boot by cloud-init and systemd (by the installer on the workstation).
    layer.mtime = booted;
    layer.file("/etc/hostname", 0o644, format!("{}\n", hostname(facts)));
    layer
        .dir("/tmp", 0o1777)
        .dir("/run", 0o755)
        .dir("/run/user", 0o755);
    layer
        .dir("/dev", 0o755)
        .dir("/proc", 0o555)
        .dir("/sys", 0o555);
    layer.lower.insert(
        "/dev/null",
        Node {
            meta: Meta {
                mode: 0o666,
                uid: 0,
                gid: 0,
                mtime: booted,
            },
            body: Body::Device(1, 3),
        },
    );
    layer.dir("/home", 0o755);
    let user_mode = if distro.is_ubuntu() { 0o750 } else { 0o700 };
    layer.dir_owned(&home, user_mode, 1000, 1000);
    if ec2 {
        authorized_keys(&mut layer, facts, &home);
    }
    layer.mtime = package_time(distro);
    let skel: &[(&str, &'static str)] = match distro {
        Distro::Ubuntu | Distro::Workstation => &[
            (".bashrc", UBUNTU_BASHRC),
            (".profile", UBUNTU_PROFILE),
            (".bash_logout", UBUNTU_LOGOUT),
        ],
        Distro::AmazonLinux => &[
            (".bashrc", AL_BASHRC),
            (".bash_profile", AL_BASH_PROFILE),
            (".bash_logout", "# ~/.bash_logout\n"),
        ],
    };
    for (name, text) in skel {
        layer.file_owned(&format!("{home}/{name}"), 0o644, 1000, 1000, *text);
        layer.text(&format!("/root/{name}"), 0o644, text);
    }

    // Logs, written since boot.
    layer.mtime = booted + 40;
    let hostname = short_hostname(facts);
    let boot_stamp = syslog_time(facts.booted);
    let cloud_init = format!(
        "Cloud-init v. 24.3.1 running 'modules:final' at {}. Up 14.20 seconds.\nci-info: no authorized SSH keys fingerprints found for user {user}.\nCloud-init v. 24.3.1 finished at {}. Datasource DataSourceEc2Local.  Up 15.02 seconds\n",
        rfc2822(facts.booted),
        rfc2822(facts.booted)
    );
    match distro {
        Distro::Ubuntu | Distro::Workstation => {
            let version = proc_version(distro);
            let package = if ec2 {
                "6.8.0-1016.17-aws"
            } else {
                "6.8.0-47.47-generic"
            };
            layer.dir_owned("/var/log", 0o775, 0, 104);
            layer.file_owned(
                "/var/log/syslog",
                0o640,
                103,
                4,
                format!("{boot_stamp} {hostname} kernel: {} (Ubuntu {package} 6.8.12)\n{boot_stamp} {hostname} systemd[1]: Reached target multi-user.target - Multi-User System.\n", version.trim_end()),
            );
            let auth = if ec2 {
                format!("{boot_stamp} {hostname} sshd[812]: Server listening on 0.0.0.0 port 22.\n")
            } else {
                String::new()
            };
            layer.file_owned("/var/log/auth.log", 0o640, 103, 4, auth);
            if ec2 {
                layer.file_owned("/var/log/cloud-init-output.log", 0o640, 0, 4, cloud_init);
            }
            layer.file_owned("/var/log/dpkg.log", 0o644, 0, 0, "");
            layer.dir_owned("/var/log/apt", 0o755, 0, 0);
            layer.dir_owned("/var/log/journal", 0o2755, 0, 999);
        }
        Distro::AmazonLinux => {
            layer.dir("/var/log", 0o755);
            layer.file("/var/log/cloud-init-output.log", 0o640, cloud_init);
            layer.file("/var/log/dnf.log", 0o644, "");
            layer.dir_owned("/var/log/journal", 0o2755, 0, 190);
            layer.dir("/var/log/audit", 0o700);
            layer.link("/var/log/README", "../../usr/share/doc/systemd/README.logs");
        }
    }

    // The kernel's view, generated as /proc generates it.
    layer.mtime = now;
    layer.file("/proc/version", 0o444, proc_version(distro));
    layer.file("/proc/cpuinfo", 0o444, cpuinfo(facts));
    layer.file("/proc/meminfo", 0o444, meminfo(facts));
    let up = (now - booted).max(0);
    layer.file(
        "/proc/uptime",
        0o444,
        format!(
            "{up}.{:02} {}.{:02}\n",
            up % 97,
            up * i64::from(facts.vcpus.max(1)) * 98 / 100,
            up % 89
        ),
    );
    layer.file("/proc/loadavg", 0o444, "0.00 0.00 0.00 1/118 1634\n");
    lower
}

/// The key pair's public key for the login user and, refusing with a hint, for root, as
/// cloud-init writes them from the instance's metadata.
fn authorized_keys(layer: &mut Layer<'_>, facts: &Facts, home: &str) {
    let user = facts.distro.user();
    layer.dir_owned(&format!("{home}/.ssh"), 0o700, 1000, 1000);
    let key = facts
        .public_key
        .as_deref()
        .map(|key| format!("{}\n", key.trim_end()))
        .unwrap_or_default();
    layer.file_owned(
        &format!("{home}/.ssh/authorized_keys"),
        0o600,
        1000,
        1000,
        key,
    );
    let root_key = facts.public_key.as_deref().map(|key| {
        format!(
            "no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command=\"echo 'Please login as the user \\\"{user}\\\" rather than the user \\\"root\\\".';echo;sleep 10;exit 142\" {}\n",
            key.trim_end()
        )
    });
    layer.dir("/root/.ssh", 0o700);
    layer.file(
        "/root/.ssh/authorized_keys",
        0o600,
        root_key.unwrap_or_default(),
    );
}

/// The region's Ubuntu mirror inside EC2; Ubuntu's main archive for the workstation.
pub(crate) fn mirror(facts: &Facts) -> String {
    match facts.distro {
        Distro::Workstation => "http://archive.ubuntu.com/ubuntu".to_string(),
        _ => format!("http://{}.ec2.archive.ubuntu.com/ubuntu", facts.region),
    }
}

fn proc_version(distro: Distro) -> String {
    match distro {
        Distro::Ubuntu | Distro::Workstation => format!(
            "Linux version {} (buildd@lcy02-amd64-052) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) {}\n",
            distro.kernel(),
            distro.kernel_build()
        ),
        Distro::AmazonLinux => format!(
            "Linux version {AL_KERNEL} (mockbuild@ip-10-0-32-71) (gcc (GCC) 11.5.0 20240719 (Red Hat 11.5.0-5), GNU ld version 2.41-50.amzn2023.0.3) {AL_KERNEL_BUILD}\n"
        ),
    }
}

/// The processor model of an instance type's family.
pub(crate) fn cpu_model(facts: &Facts) -> &'static str {
    if facts.instance_type.starts_with("t2.") {
        "Intel(R) Xeon(R) CPU E5-2676 v3 @ 2.40GHz"
    } else if facts.instance_type.starts_with("t3a.") || facts.instance_type.contains("a.") {
        "AMD EPYC 7571"
    } else {
        "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz"
    }
}

fn cpuinfo(facts: &Facts) -> String {
    let model = cpu_model(facts);
    let mhz = if facts.instance_type.starts_with("t2.") {
        "2400.042"
    } else {
        "2499.998"
    };
    let mut text = String::new();
    for cpu in 0..facts.vcpus.clamp(1, 128) {
        text.push_str(&format!(
            "processor\t: {cpu}\nvendor_id\t: {}\ncpu family\t: 6\nmodel\t\t: 63\nmodel name\t: {model}\nstepping\t: 2\ncpu MHz\t\t: {mhz}\ncache size\t: 30720 KB\nphysical id\t: 0\nsiblings\t: {}\ncore id\t\t: {cpu}\ncpu cores\t: {}\nfpu\t\t: yes\nflags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx rdtscp lm constant_tsc rep_good nopl xtopology cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm abm cpuid_fault pti fsgsbase bmi1 avx2 smep bmi2 erms invpcid xsaveopt\nbogomips\t: 4800.08\naddress sizes\t: 46 bits physical, 48 bits virtual\n\n",
            if model.starts_with("AMD") { "AuthenticAMD" } else { "GenuineIntel" },
            facts.vcpus,
            facts.vcpus,
        ));
    }
    text
}

fn meminfo(facts: &Facts) -> String {
    let total = mem_total_kib(facts);
    let free = total * 40 / 100;
    let available = total * 64 / 100;
    format!(
        "MemTotal:       {total:>8} kB\nMemFree:        {free:>8} kB\nMemAvailable:   {available:>8} kB\nBuffers:        {:>8} kB\nCached:         {:>8} kB\nSwapCached:            0 kB\nSwapTotal:             0 kB\nSwapFree:              0 kB\n",
        total * 3 / 100,
        total * 35 / 100
    )
}

/// `Oct 21 08:29:40`, as syslog stamps lines.
pub(crate) fn syslog_time(at: OffsetDateTime) -> String {
    format!(
        "{} {:>2} {:02}:{:02}:{:02}",
        month(at),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// `Mon, 21 Oct 2024 08:29:40 +0000`.
pub(crate) fn rfc2822(at: OffsetDateTime) -> String {
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} +0000",
        weekday(at),
        at.day(),
        month(at),
        at.year(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// `Mon Oct 21 08:29:40 UTC 2024`, as `date` prints (the day padded with a space).
pub(crate) fn date_line(at: OffsetDateTime) -> String {
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} UTC {}",
        weekday(at),
        month(at),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.year()
    )
}

pub(crate) fn weekday(at: OffsetDateTime) -> &'static str {
    const NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    NAMES[at.weekday().number_days_from_monday() as usize]
}

pub(crate) fn month(at: OffsetDateTime) -> &'static str {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    NAMES[usize::from(u8::from(at.month())) - 1]
}

/// `2026-10-21 08:40:12`, as most tools print a time; nginx's log has `2026/10/21`, hence
/// `date_sep`.
pub(crate) fn stamp(at: OffsetDateTime, date_sep: char) -> String {
    format!(
        "{}{date_sep}{:02}{date_sep}{:02} {:02}:{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A time from seconds since the epoch, the epoch itself if out of range.
pub(crate) fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The message of the day and what else a login prints before the first prompt.
pub(crate) struct Motd<'a> {
    pub facts: &'a Facts,
    /// Percentage of the root filesystem in use.
    pub disk_use: f64,
    pub processes: usize,
    pub users_logged_in: usize,
    /// Packages `apt update` found upgradable (none before the first update).
    pub updates: usize,
    pub security_updates: usize,
    pub show_legal: bool,
    pub show_sudo_hint: bool,
    /// The package lists were never fetched: Ubuntu says to run `apt update`.
    pub stale_lists: bool,
    pub last_login: Option<(i64, Option<String>)>,
}

impl Motd<'_> {
    pub fn render(&self) -> String {
        match self.facts.distro {
            Distro::Ubuntu => self.ubuntu(),
            Distro::AmazonLinux => self.amazon_linux(),
            // A terminal opened on one's own computer greets with nothing but the prompt.
            Distro::Workstation => String::new(),
        }
    }

    fn last_login_line(&self) -> String {
        match &self.last_login {
            Some((seconds, from)) => {
                let when = at(*seconds);
                let stamp = format!(
                    "{} {} {:>2} {:02}:{:02}:{:02} {}",
                    weekday(when),
                    month(when),
                    when.day(),
                    when.hour(),
                    when.minute(),
                    when.second(),
                    when.year()
                );
                match from {
                    Some(from) => format!("Last login: {stamp} from {from}\n"),
                    None => format!("Last login: {stamp}\n"),
                }
            }
            None => String::new(),
        }
    }

    fn ubuntu(&self) -> String {
        let facts = self.facts;
        let mut text = format!(
            "Welcome to Ubuntu {UBUNTU_RELEASE} LTS (GNU/Linux {UBUNTU_KERNEL} x86_64)\n\n \
             * Documentation:  https://help.ubuntu.com\n \
             * Management:     https://landscape.canonical.com\n \
             * Support:        https://ubuntu.com/pro\n\n \
             System information as of {}\n\n",
            date_line(facts.now)
        );
        let row = |a: &str, b: String, c: &str, d: String| {
            if c.is_empty() {
                format!("  {a:<14}{b}\n")
            } else {
                format!("  {a:<14}{b:<18}{c:<23}{d}\n")
            }
        };
        let memory = 19 + (facts.now.unix_timestamp() % 5) as u32;
        text.push_str(&row(
            "System load:",
            "0.0".into(),
            "Processes:",
            self.processes.to_string(),
        ));
        text.push_str(&row(
            "Usage of /:",
            // landscape-sysinfo's "GB" are GiB: an 8 GiB volume's root shows 6.71GB.
            format!(
                "{:.1}% of {:.2}GB",
                self.disk_use,
                root_fs(self.facts).size_kib as f64 / (1024.0 * 1024.0)
            ),
            "Users logged in:",
            self.users_logged_in.to_string(),
        ));
        text.push_str(&row(
            "Memory usage:",
            format!("{memory}%"),
            &format!("IPv4 address for {}:", interface(facts)),
            facts.private_ip.clone(),
        ));
        text.push_str(&row("Swap usage:", "0%".into(), "", String::new()));
        text.push_str("\nExpanded Security Maintenance for Applications is not enabled.\n\n");
        if self.updates == 0 {
            text.push_str("0 updates can be applied immediately.\n\n");
        } else {
            text.push_str(&format!(
                "{} updates can be applied immediately.\n",
                self.updates
            ));
            if self.security_updates > 0 {
                text.push_str(&format!(
                    "{} of these updates are standard security updates.\n",
                    self.security_updates
                ));
            }
            text.push_str("To see these additional updates run: apt list --upgradable\n\n");
        }
        text.push_str(
            "Enable ESM Apps to receive additional future security updates.\n\
             See https://ubuntu.com/esm or run: sudo pro status\n\n",
        );
        if self.stale_lists {
            text.push_str(
                "\nThe list of available updates is more than a week old.\n\
                 To check for new updates run: sudo apt update\n\n",
            );
        }
        if self.show_legal {
            text.push_str(
                "\nThe programs included with Ubuntu are free software;\n\
                 the exact distribution terms for each program are described in the\n\
                 individual files in /usr/share/doc/*/copyright.\n\n\
                 Ubuntu comes with ABSOLUTELY NO WARRANTY, to the extent permitted by\n\
                 applicable law.\n\n",
            );
        }
        text.push_str(&self.last_login_line());
        if self.show_sudo_hint {
            text.push_str(
                "To run a command as administrator (user \"root\"), use \"sudo <command>\".\n\
                 See \"man sudo_root\" for details.\n\n",
            );
        }
        text
    }

    fn amazon_linux(&self) -> String {
        let mut text = String::from(
            "   ,     #_\n   ~\\_  ####_        Amazon Linux 2023\n  ~~  \\_#####\\\n  ~~     \\###|\n  ~~       \\#/ ___   https://aws.amazon.com/linux/amazon-linux-2023\n   ~~       V~' '->\n    ~~~         /\n      ~~._.   _/\n         _/ _/\n       _/m/'\n",
        );
        text.push_str(&self.last_login_line());
        text
    }
}

const UBUNTU_HOSTS: &str = "127.0.0.1 localhost\n\n# The following lines are desirable for IPv6 capable hosts\n::1 ip6-localhost ip6-loopback\nfe00::0 ip6-localnet\nff00::0 ip6-mcastprefix\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\nff02::3 ip6-allhosts\n";

const AL_HOSTS: &str = "127.0.0.1   localhost localhost.localdomain localhost4 localhost4.localdomain4\n::1         localhost6 localhost6.localdomain6\n";

const SSHD_CONFIG: &str = "\
# This is the sshd server system-wide configuration file.  See
# sshd_config(5) for more information.

Include /etc/ssh/sshd_config.d/*.conf

#Port 22
#AddressFamily any
#ListenAddress 0.0.0.0

#PermitRootLogin prohibit-password
#PubkeyAuthentication yes

# Expect .ssh/authorized_keys2 to be disregarded by default in future.
#AuthorizedKeysFile	.ssh/authorized_keys .ssh/authorized_keys2

# To disable tunneled clear text passwords, change to no here!
PasswordAuthentication no
KbdInteractiveAuthentication no

UsePAM yes

X11Forwarding yes
PrintMotd no

# Allow client to pass locale environment variables
AcceptEnv LANG LC_*

# override default of no subsystems
Subsystem	sftp	/usr/lib/openssh/sftp-server
";

const UBUNTU_PROFILE: &str = r#"# ~/.profile: executed by the command interpreter for login shells.
# This file is not read by bash(1), if ~/.bash_profile or ~/.bash_login
# exists.
# see /usr/share/doc/bash/examples/startup-files for examples.
# the files are located in the bash-doc package.

# the default umask is set in /etc/profile; for setting the umask
# for ssh logins, install and configure the libpam-umask package.
#umask 022

# if running bash
if [ -n "$BASH_VERSION" ]; then
    # include .bashrc if it exists
    if [ -f "$HOME/.bashrc" ]; then
	. "$HOME/.bashrc"
    fi
fi

# set PATH so it includes user's private bin if it exists
if [ -d "$HOME/bin" ] ; then
    PATH="$HOME/bin:$PATH"
fi

# set PATH so it includes user's private bin if it exists
if [ -d "$HOME/.local/bin" ] ; then
    PATH="$HOME/.local/bin:$PATH"
fi
"#;

const UBUNTU_LOGOUT: &str = r#"# ~/.bash_logout: executed by bash(1) when login shell exits.

# when leaving the console clear the screen to increase privacy

if [ "$SHLVL" = 1 ]; then
    [ -x /usr/bin/clear_console ] && /usr/bin/clear_console -q
fi
"#;

const UBUNTU_BASHRC: &str = r#"# ~/.bashrc: executed by bash(1) for non-login shells.
# see /usr/share/doc/bash/examples/startup-files (in the package bash-doc)
# for examples

# If not running interactively, don't do anything
case $- in
    *i*) ;;
      *) return;;
esac

# don't put duplicate lines or lines starting with space in the history.
# See bash(1) for more options
HISTCONTROL=ignoreboth

# append to the history file, don't overwrite it
shopt -s histappend

# for setting history length see HISTSIZE and HISTFILESIZE in bash(1)
HISTSIZE=1000
HISTFILESIZE=2000

# check the window size after each command and, if necessary,
# update the values of LINES and COLUMNS.
shopt -s checkwinsize

# If set, the pattern "**" used in a pathname expansion context will
# match all files and zero or more directories and subdirectories.
#shopt -s globstar

# make less more friendly for non-text input files, see lesspipe(1)
[ -x /usr/bin/lesspipe ] && eval "$(SHELL=/bin/sh lesspipe)"

# set variable identifying the chroot you work in (used in the prompt below)
if [ -z "${debian_chroot:-}" ] && [ -r /etc/debian_chroot ]; then
    debian_chroot=$(cat /etc/debian_chroot)
fi

# set a fancy prompt (non-color, unless we know we "want" color)
case "$TERM" in
    xterm-color|*-256color) color_prompt=yes;;
esac

if [ "$color_prompt" = yes ]; then
    PS1='${debian_chroot:+($debian_chroot)}\[\033[01;32m\]\u@\h\[\033[00m\]:\[\033[01;34m\]\w\[\033[00m\]\$ '
else
    PS1='${debian_chroot:+($debian_chroot)}\u@\h:\w\$ '
fi
unset color_prompt force_color_prompt

# enable color support of ls and also add handy aliases
if [ -x /usr/bin/dircolors ]; then
    test -r ~/.dircolors && eval "$(dircolors -b ~/.dircolors)" || eval "$(dircolors -b)"
    alias ls='ls --color=auto'
    alias grep='grep --color=auto'
    alias fgrep='fgrep --color=auto'
    alias egrep='egrep --color=auto'
fi

# some more ls aliases
alias ll='ls -alF'
alias la='ls -A'
alias l='ls -CF'

# Alias definitions.
# You may want to put all your additions into a separate file like
# ~/.bash_aliases, instead of adding them here directly.
# See /usr/share/doc/bash-doc/examples in the bash-doc package.

if [ -f ~/.bash_aliases ]; then
    . ~/.bash_aliases
fi

# enable programmable completion features (you don't need to enable
# this, if it's already enabled in /etc/bash.bashrc and /etc/profile
# sources /etc/bash.bashrc).
if ! shopt -oq posix; then
  if [ -f /usr/share/bash-completion/bash_completion ]; then
    . /usr/share/bash-completion/bash_completion
  elif [ -f /etc/bash_completion ]; then
    . /etc/bash_completion
  fi
fi
"#;

const AL_BASHRC: &str = r#"# .bashrc

# Source global definitions
if [ -f /etc/bashrc ]; then
	. /etc/bashrc
fi

# User specific environment
if ! [[ "$PATH" =~ "$HOME/.local/bin:$HOME/bin:" ]]
then
    PATH="$HOME/.local/bin:$HOME/bin:$PATH"
fi
export PATH

# Uncomment the following line if you don't like systemctl's auto-paging feature:
# export SYSTEMD_PAGER=

# User specific aliases and functions
if [ -d ~/.bashrc.d ]; then
	for rc in ~/.bashrc.d/*; do
		if [ -f "$rc" ]; then
			. "$rc"
		fi
	done
fi

unset rc
"#;

const AL_BASH_PROFILE: &str = r#"# .bash_profile

# Get the aliases and functions
if [ -f ~/.bashrc ]; then
	. ~/.bashrc
fi

# User specific environment and startup programs
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::facts;

    #[test]
    fn names_follow_the_private_address() {
        let ubuntu = facts(Distro::Ubuntu);
        assert_eq!(hostname(&ubuntu), "ip-172-31-5-20");
        let amazon = facts(Distro::AmazonLinux);
        assert_eq!(
            hostname(&amazon),
            "ip-172-31-5-20.ap-northeast-2.compute.internal"
        );
        assert_eq!(interface(&ubuntu), "enX0");
    }

    #[test]
    fn a_micro_shows_957_mebibytes_on_ubuntu() {
        let ubuntu = facts(Distro::Ubuntu);
        assert_eq!(mem_total_kib(&ubuntu) / 1024, 957);
    }

    #[test]
    fn accounts_know_the_login_user_and_groups() {
        let accounts = Accounts::of(Distro::Ubuntu, &BTreeMap::new());
        let ubuntu = accounts.user("ubuntu").expect("ubuntu");
        assert_eq!(accounts.groups_of(ubuntu), vec![1000, 4, 24, 27, 30, 106]);
        assert_eq!(accounts.group_name(42), "shadow");
        let amazon = Accounts::of(Distro::AmazonLinux, &BTreeMap::new());
        let user = amazon.user("ec2-user").expect("ec2-user");
        assert_eq!(amazon.groups_of(user), vec![1000, 4, 10, 190]);
    }

    #[test]
    fn the_image_has_the_key_and_a_locked_shadow() {
        let ubuntu = facts(Distro::Ubuntu);
        let lower = image(&ubuntu);
        let keys = lower
            .get("/home/ubuntu/.ssh/authorized_keys")
            .expect("keys");
        assert!(keys.contents().starts_with(b"ssh-ed25519 "));
        let shadow = lower.get("/etc/shadow").expect("shadow");
        assert_eq!((shadow.meta.mode, shadow.meta.gid), (0o640, 42));
        assert!(lower.get("/var/www").is_none());
    }
}
