//! The distros' package repositories as far as a first session reaches them: the packages one
//! can install, their versions and sizes, the files they bring and the services they run.
//!
//! Installed packages are a list in the [`Disk`]; their files are rebuilt from here into the
//! image layer, never stored, so an installed nginx costs the state file a few bytes.

use std::collections::BTreeMap;

use super::disk::{Disk, Service};
use super::distro::{self, Layer};
use super::fs::Lower;
use super::{Distro, Facts};

/// A package one can install.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Package {
    pub name: &'static str,
    /// apt's `1.24.0-2ubuntu7.1`, dnf's `1:1.28.0-1.amzn2023.0.2` (with its epoch).
    pub version: &'static str,
    /// `amd64`/`all` for apt, `x86_64`/`noarch` for dnf.
    pub arch: &'static str,
    /// apt's `noble-updates/main`, dnf's repository id.
    pub origin: &'static str,
    /// Download size, in bytes.
    pub download: u64,
    /// Size once installed, in bytes.
    pub installed: u64,
    pub depends: &'static [&'static str],
    /// apt's "Suggested packages:".
    pub suggests: &'static [&'static str],
    /// A program whose name, typed before the package is installed, Ubuntu's
    /// command-not-found answers with this package.
    pub provides: &'static [&'static str],
}

const UBUNTU_PACKAGES: &[Package] = &[
    Package {
        name: "nginx",
        version: "1.24.0-2ubuntu7.1",
        arch: "amd64",
        origin: "noble-updates/main",
        download: 521_000,
        installed: 1_448_000,
        depends: &["nginx-common"],
        suggests: &["fcgiwrap", "nginx-doc", "ssl-cert"],
        provides: &["nginx"],
    },
    Package {
        name: "nginx-common",
        version: "1.24.0-2ubuntu7.1",
        arch: "all",
        origin: "noble-updates/main",
        download: 31_200,
        installed: 148_000,
        depends: &[],
        suggests: &[],
        provides: &[],
    },
    Package {
        name: "tree",
        version: "2.1.1-2ubuntu3",
        arch: "amd64",
        origin: "noble/universe",
        download: 47_000,
        installed: 111_000,
        depends: &[],
        suggests: &[],
        provides: &["tree"],
    },
];

const AL_PACKAGES: &[Package] = &[
    Package {
        name: "nginx",
        version: "1:1.28.0-1.amzn2023.0.2",
        arch: "x86_64",
        origin: "amazonlinux",
        download: 33_000,
        installed: 92_000,
        depends: &[
            "generic-logos-httpd",
            "gperftools-libs",
            "libunwind",
            "nginx-core",
            "nginx-filesystem",
            "nginx-mimetypes",
        ],
        suggests: &[],
        provides: &["nginx"],
    },
    Package {
        name: "generic-logos-httpd",
        version: "18.0.0-12.amzn2023.0.3",
        arch: "noarch",
        origin: "amazonlinux",
        download: 19_000,
        installed: 21_000,
        depends: &[],
        suggests: &[],
        provides: &[],
    },
    Package {
        name: "gperftools-libs",
        version: "2.9.1-1.amzn2023.0.3",
        arch: "x86_64",
        origin: "amazonlinux",
        download: 308_000,
        installed: 1_100_000,
        depends: &[],
        suggests: &[],
        provides: &[],
    },
    Package {
        name: "libunwind",
        version: "1.4.0-5.amzn2023.0.2",
        arch: "x86_64",
        origin: "amazonlinux",
        download: 66_000,
        installed: 170_000,
        depends: &[],
        suggests: &[],
        provides: &[],
    },
    Package {
        name: "nginx-core",
        version: "1:1.28.0-1.amzn2023.0.2",
        arch: "x86_64",
        origin: "amazonlinux",
        download: 686_000,
        installed: 2_000_000,
        depends: &[],
        suggests: &[],
        provides: &[],
    },
    Package {
        name: "nginx-filesystem",
        version: "1:1.28.0-1.amzn2023.0.2",
        arch: "noarch",
        origin: "amazonlinux",
        download: 9_800,
        installed: 141,
        depends: &[],
        suggests: &[],
        provides: &[],
    },
    Package {
        name: "nginx-mimetypes",
        version: "2.1.49-3.amzn2023.0.3",
        arch: "noarch",
        origin: "amazonlinux",
        download: 21_000,
        installed: 89_000,
        depends: &[],
        suggests: &[],
        provides: &[],
    },
    Package {
        name: "tree",
        version: "1.8.0-6.amzn2023.0.2",
        arch: "x86_64",
        origin: "amazonlinux",
        download: 56_000,
        installed: 113_000,
        depends: &[],
        suggests: &[],
        provides: &["tree"],
    },
];

/// Packages of the image that people often try to install again, with their versions.
const UBUNTU_IMAGE_PACKAGES: &[(&str, &str)] = &[
    ("curl", "8.5.0-2ubuntu10.4"),
    ("git", "1:2.43.0-1ubuntu7.1"),
    ("htop", "3.3.0-4build1"),
    ("nano", "7.2-1ubuntu0.1"),
    ("openssh-server", "1:9.6p1-3ubuntu13.5"),
    ("python3", "3.12.3-0ubuntu2"),
    ("tmux", "3.4-1ubuntu0.1"),
    ("vim", "2:9.1.0016-1ubuntu7.3"),
    ("wget", "1.21.4-1ubuntu4.1"),
];

const AL_IMAGE_PACKAGES: &[(&str, &str)] = &[
    ("curl-minimal", "8.11.1-4.amzn2023.0.1"),
    ("openssh-server", "8.7p1-8.amzn2023.0.14"),
    ("python3", "3.9.23-1.amzn2023.0.1"),
    ("vim-minimal", "2:9.1.1000-1.amzn2023.0.1"),
];

pub(crate) fn packages(distro: Distro) -> &'static [Package] {
    match distro {
        Distro::Ubuntu | Distro::Workstation => UBUNTU_PACKAGES,
        Distro::AmazonLinux => AL_PACKAGES,
    }
}

pub(crate) fn package(distro: Distro, name: &str) -> Option<&'static Package> {
    packages(distro).iter().find(|package| package.name == name)
}

/// The version of a package the image already has, if it has it.
pub(crate) fn image_package(distro: Distro, name: &str) -> Option<&'static str> {
    let list = match distro {
        Distro::Ubuntu | Distro::Workstation => UBUNTU_IMAGE_PACKAGES,
        Distro::AmazonLinux => AL_IMAGE_PACKAGES,
    };
    let name = match (distro, name) {
        (Distro::AmazonLinux, "curl") => "curl-minimal",
        (Distro::AmazonLinux, "vim") => "vim-minimal",
        _ => name,
    };
    list.iter()
        .find(|(package, _)| *package == name)
        .map(|(_, version)| *version)
}

/// The package whose installation brings a program, for Ubuntu's "Command 'x' not found".
pub(crate) fn providing(distro: Distro, program: &str) -> Option<&'static Package> {
    packages(distro)
        .iter()
        .find(|package| package.provides.contains(&program))
}

/// A systemd service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    /// Without `.service`.
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub description: &'static str,
    pub path: &'static str,
    pub docs: &'static [&'static str],
    /// The package that brings it; `None` for the image's own.
    pub package: Option<&'static str>,
    /// The vendor preset, and for the image's units whether they run from boot.
    pub preset: bool,
    /// Whether installing the package enables and starts it (Debian's policy; Fedora's is not).
    pub starts_on_install: bool,
    /// `ExecStartPre=` lines, which `systemctl status` lists as finished processes.
    pub pre: &'static [&'static str],
    pub exec: &'static str,
    /// Whether `ExecStart` forks (nginx) so that it too shows as a finished process.
    pub forking: bool,
    /// The processes of its control group; the first is the main one.
    pub processes: &'static [&'static str],
    pub memory: &'static str,
    /// The process id it has when started at boot.
    pub boot_pid: u32,
}

const UBUNTU_UNITS: &[Unit] = &[
    Unit {
        name: "nginx",
        aliases: &[],
        description: "A high performance web server and a reverse proxy server",
        path: "/usr/lib/systemd/system/nginx.service",
        docs: &["man:nginx(8)"],
        package: Some("nginx"),
        preset: true,
        starts_on_install: true,
        pre: &["/usr/sbin/nginx -t -q -g daemon on; master_process on;"],
        exec: "/usr/sbin/nginx -g daemon on; master_process on;",
        forking: true,
        processes: &[
            "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;",
            "nginx: worker process",
        ],
        memory: "1.7M (peak: 1.9M)",
        boot_pid: 1021,
    },
    Unit {
        name: "ssh",
        aliases: &["sshd"],
        description: "OpenBSD Secure Shell server",
        path: "/usr/lib/systemd/system/ssh.service",
        docs: &["man:sshd(8)", "man:sshd_config(5)"],
        package: None,
        preset: true,
        starts_on_install: false,
        pre: &["/usr/sbin/sshd -t"],
        exec: "/usr/sbin/sshd -D",
        forking: false,
        processes: &["sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"],
        memory: "3.9M (peak: 4.4M)",
        boot_pid: 812,
    },
    Unit {
        name: "cron",
        aliases: &["crond"],
        description: "Regular background program processing daemon",
        path: "/usr/lib/systemd/system/cron.service",
        docs: &["man:cron(8)"],
        package: None,
        preset: true,
        starts_on_install: false,
        pre: &[],
        exec: "/usr/sbin/cron -f -P",
        forking: false,
        processes: &["/usr/sbin/cron -f -P"],
        memory: "344.0K (peak: 616.0K)",
        boot_pid: 603,
    },
    Unit {
        name: "rsyslog",
        aliases: &["syslog"],
        description: "System Logging Service",
        path: "/usr/lib/systemd/system/rsyslog.service",
        docs: &[
            "man:rsyslogd(8)",
            "man:rsyslog.conf(5)",
            "https://www.rsyslog.com/doc/",
        ],
        package: None,
        preset: true,
        starts_on_install: false,
        pre: &[],
        exec: "/usr/sbin/rsyslogd -n -iNONE",
        forking: false,
        processes: &["/usr/sbin/rsyslogd -n -iNONE"],
        memory: "2.9M (peak: 3.4M)",
        boot_pid: 633,
    },
];

const AL_UNITS: &[Unit] = &[
    Unit {
        name: "nginx",
        aliases: &[],
        description: "The nginx HTTP and reverse proxy server",
        path: "/usr/lib/systemd/system/nginx.service",
        docs: &[],
        package: Some("nginx"),
        preset: false,
        starts_on_install: false,
        pre: &["/usr/bin/rm -f /run/nginx.pid", "/usr/sbin/nginx -t"],
        exec: "/usr/sbin/nginx",
        forking: true,
        processes: &[
            "nginx: master process /usr/sbin/nginx",
            "nginx: worker process",
        ],
        memory: "2.2M",
        boot_pid: 1998,
    },
    Unit {
        name: "sshd",
        aliases: &["ssh"],
        description: "OpenSSH server daemon",
        path: "/usr/lib/systemd/system/sshd.service",
        docs: &["man:sshd(8)", "man:sshd_config(5)"],
        package: None,
        preset: true,
        starts_on_install: false,
        pre: &[],
        exec: "/usr/sbin/sshd -D $OPTIONS",
        forking: false,
        processes: &["sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"],
        memory: "4.1M",
        boot_pid: 1608,
    },
    Unit {
        name: "chronyd",
        aliases: &["chrony"],
        description: "NTP client/server",
        path: "/usr/lib/systemd/system/chronyd.service",
        docs: &["man:chronyd(8)", "man:chrony.conf(5)"],
        package: None,
        preset: true,
        starts_on_install: false,
        pre: &[],
        exec: "/usr/sbin/chronyd -F 2",
        forking: true,
        processes: &["/usr/sbin/chronyd -F 2"],
        memory: "1.4M",
        boot_pid: 1573,
    },
];

pub(crate) fn units(distro: Distro) -> &'static [Unit] {
    match distro {
        Distro::Ubuntu | Distro::Workstation => UBUNTU_UNITS,
        Distro::AmazonLinux => AL_UNITS,
    }
}

/// A unit by the name a learner types (`nginx`, `nginx.service`, an alias).
pub(crate) fn unit(distro: Distro, name: &str) -> Option<&'static Unit> {
    let name = name.strip_suffix(".service").unwrap_or(name);
    units(distro)
        .iter()
        .find(|unit| unit.name == name || unit.aliases.contains(&name))
}

/// Whether a unit exists on this instance: the image's always, a package's once installed.
pub(crate) fn unit_present(unit: &Unit, disk: &Disk) -> bool {
    unit.package
        .is_none_or(|package| disk.packages.contains_key(package))
}

/// A unit's state now.
pub(crate) fn state(facts: &Facts, disk: &Disk, unit: &Unit) -> Service {
    let booted = facts.booted.unix_timestamp();
    match disk.services.get(unit.name) {
        Some(service) => {
            let mut now = service.effective(booted);
            if now.since != service.since && now.running {
                now.pid = unit.boot_pid;
            }
            now
        }
        None => Service {
            enabled: unit.package.is_none() && unit.preset,
            running: unit.package.is_none() && unit.preset,
            since: booted + 2,
            pid: unit.boot_pid,
        },
    }
}

/// The read-only layers of an instance: its distro's image with the files of every installed
/// package over it.
pub(crate) fn image(facts: &Facts, disk: &Disk) -> Lower {
    let mut lower = distro::image(facts);
    for (name, installed) in &disk.packages {
        let mut layer = Layer {
            lower: &mut lower,
            mtime: *installed,
        };
        files(facts, name, &mut layer);
    }
    if facts.distro == Distro::AmazonLinux && disk.packages.contains_key("nginx") {
        let mut layer = Layer {
            lower: &mut lower,
            mtime: disk.packages.get("nginx").copied().unwrap_or_default(),
        };
        layer.file(
            "/etc/passwd",
            0o644,
            distro::passwd_text(facts.distro, &disk.packages),
        );
        layer.file(
            "/etc/group",
            0o644,
            distro::group_text(facts.distro, &disk.packages),
        );
    }
    for unit in units(facts.distro) {
        if unit_present(unit, disk) && state(facts, disk, unit).enabled {
            let mut layer = Layer {
                lower: &mut lower,
                mtime: facts.booted.unix_timestamp(),
            };
            layer.link(
                &format!(
                    "/etc/systemd/system/multi-user.target.wants/{}.service",
                    unit.name
                ),
                unit.path,
            );
        }
    }
    lower
}

/// The files a package puts in the tree.
fn files(facts: &Facts, name: &str, layer: &mut Layer<'_>) {
    match (facts.distro, name) {
        (Distro::Ubuntu | Distro::Workstation, "nginx") => {
            layer.program("/usr/sbin/nginx");
        }
        (Distro::Ubuntu | Distro::Workstation, "nginx-common") => {
            layer.text("/etc/nginx/nginx.conf", 0o644, UBUNTU_NGINX_CONF);
            layer.text("/etc/nginx/mime.types", 0o644, MIME_TYPES);
            layer.text("/etc/nginx/sites-available/default", 0o644, UBUNTU_SITE);
            layer.link(
                "/etc/nginx/sites-enabled/default",
                "/etc/nginx/sites-available/default",
            );
            layer.dir("/etc/nginx/conf.d", 0o755);
            layer.dir("/etc/nginx/modules-available", 0o755);
            layer.dir("/etc/nginx/modules-enabled", 0o755);
            layer.text("/etc/nginx/proxy_params", 0o644, PROXY_PARAMS);
            layer.text(
                "/etc/nginx/snippets/snakeoil.conf",
                0o644,
                "# Self signed certificates generated by the ssl-cert package\n# Don't use them in a production server!\n\nssl_certificate /etc/ssl/certs/ssl-cert-snakeoil.pem;\nssl_certificate_key /etc/ssl/private/ssl-cert-snakeoil.key;\n",
            );
            layer.text("/usr/share/nginx/html/index.html", 0o644, WELCOME_PAGE);
            layer.dir("/var/www", 0o755);
            layer.dir("/var/www/html", 0o755);
            layer.text("/var/www/html/index.nginx-debian.html", 0o644, WELCOME_PAGE);
            layer.dir_owned("/var/log/nginx", 0o755, 33, 4);
            layer.file_owned("/var/log/nginx/access.log", 0o640, 33, 4, "");
            layer.file_owned("/var/log/nginx/error.log", 0o640, 33, 4, "");
            layer.dir("/var/lib/nginx", 0o755);
            layer.dir_owned("/var/lib/nginx/body", 0o700, 33, 0);
            layer.text(
                "/usr/lib/systemd/system/nginx.service",
                0o644,
                UBUNTU_NGINX_UNIT,
            );
        }
        (Distro::AmazonLinux, "nginx-core") => {
            layer.program("/usr/sbin/nginx");
            layer.text("/etc/nginx/nginx.conf", 0o644, AL_NGINX_CONF);
            layer.text("/etc/nginx/nginx.conf.default", 0o644, AL_NGINX_CONF);
            layer.text("/usr/share/nginx/html/index.html", 0o644, WELCOME_PAGE);
            layer.text("/usr/share/nginx/html/404.html", 0o644, AL_404_PAGE);
            layer.text("/usr/share/nginx/html/50x.html", 0o644, ERROR_50X_PAGE);
            layer.text(
                "/usr/lib/systemd/system/nginx.service",
                0o644,
                AL_NGINX_UNIT,
            );
            layer.dir("/var/log/nginx", 0o711);
            layer.dir_owned("/var/lib/nginx", 0o770, 992, 992);
            layer.dir_owned("/var/lib/nginx/tmp", 0o770, 992, 992);
        }
        (Distro::AmazonLinux, "nginx-filesystem") => {
            layer.dir("/etc/nginx", 0o755);
            layer.dir("/etc/nginx/conf.d", 0o755);
            layer.dir("/etc/nginx/default.d", 0o755);
            layer.dir("/usr/share/nginx", 0o755);
            layer.dir("/usr/share/nginx/html", 0o755);
        }
        (Distro::AmazonLinux, "nginx-mimetypes") => {
            layer.text("/etc/nginx/mime.types", 0o644, MIME_TYPES);
        }
        (_, "tree") => {
            layer.program("/usr/bin/tree");
        }
        _ => {}
    }
}

/// The page every fresh nginx serves, 615 bytes, as nginx ships it.
pub(crate) const WELCOME_PAGE: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

const ERROR_50X_PAGE: &str = "<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
";

const AL_404_PAGE: &str = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\" \"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd\">
<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\">
    <head>
        <title>The page is not found</title>
        <meta http-equiv=\"Content-Type\" content=\"text/html; charset=UTF-8\" />
    </head>

    <body>
        <h1><strong>nginx error!</strong></h1>

        <div class=\"content\">

            <h3>The page you are looking for is not found.</h3>

            <div class=\"alert\">
                <h2>Website Administrator</h2>
                <div class=\"content\">
                    <p>Something has triggered missing webpage on your
                    website. This is the default 404 error page for
                    <strong>nginx</strong> that is distributed with
                    Amazon Linux. It is located
                    <tt>/usr/share/nginx/html/404.html</tt></p>

                    <p>You should customize this error page for your own
                    site or edit the <tt>error_page</tt> directive in
                    the <strong>nginx</strong> configuration file
                    <tt>/etc/nginx/nginx.conf</tt>.</p>
                </div>
            </div>
        </div>
    </body>
</html>
";

const UBUNTU_NGINX_CONF: &str = "user www-data;
worker_processes auto;
pid /run/nginx.pid;
error_log /var/log/nginx/error.log;
include /etc/nginx/modules-enabled/*.conf;

events {
\tworker_connections 768;
\t# multi_accept on;
}

http {

\t##
\t# Basic Settings
\t##

\tsendfile on;
\ttcp_nopush on;
\ttypes_hash_max_size 2048;
\t# server_tokens off;

\t# server_names_hash_bucket_size 64;
\t# server_name_in_redirect off;

\tinclude /etc/nginx/mime.types;
\tdefault_type application/octet-stream;

\t##
\t# SSL Settings
\t##

\tssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3; # Dropping SSLv3, ref: POODLE
\tssl_prefer_server_ciphers on;

\t##
\t# Logging Settings
\t##

\taccess_log /var/log/nginx/access.log;

\t##
\t# Gzip Settings
\t##

\tgzip on;

\t##
\t# Virtual Host Configs
\t##

\tinclude /etc/nginx/conf.d/*.conf;
\tinclude /etc/nginx/sites-enabled/*;
}
";

const UBUNTU_SITE: &str = "##
# You should look at the following URL's in order to grasp a solid understanding
# of Nginx configuration files in order to fully unleash the power of Nginx.
# https://www.nginx.com/resources/wiki/start/
# https://www.nginx.com/resources/wiki/start/topics/tutorials/config_pitfalls/
# https://wiki.debian.org/Nginx/DirectoryStructure
#
# In most cases, administrators will remove this file from sites-enabled/ and
# leave it as reference inside of sites-available where it will continue to be
# updated by the nginx packaging team.
##

# Default server configuration
#
server {
\tlisten 80 default_server;
\tlisten [::]:80 default_server;

\troot /var/www/html;

\t# Add index.php to the list if you are using PHP
\tindex index.html index.htm index.nginx-debian.html;

\tserver_name _;

\tlocation / {
\t\t# First attempt to serve request as file, then
\t\t# as directory, then fall back to displaying a 404.
\t\ttry_files $uri $uri/ =404;
\t}
}
";

const AL_NGINX_CONF: &str = "# For more information on configuration, see:
#   * Official English Documentation: http://nginx.org/en/docs/
#   * Official Russian Documentation: http://nginx.org/ru/docs/

user nginx;
worker_processes auto;
error_log /var/log/nginx/error.log notice;
pid /run/nginx.pid;

# Load dynamic modules. See /usr/share/doc/nginx/README.dynamic.
include /usr/share/nginx/modules/*.conf;

events {
    worker_connections 1024;
}

http {
    log_format  main  '$remote_addr - $remote_user [$time_local] \"$request\" '
                      '$status $body_bytes_sent \"$http_referer\" '
                      '\"$http_user_agent\" \"$http_x_forwarded_for\"';

    access_log  /var/log/nginx/access.log  main;

    sendfile            on;
    tcp_nopush          on;
    keepalive_timeout   65;
    types_hash_max_size 4096;

    include             /etc/nginx/mime.types;
    default_type        application/octet-stream;

    # Load modular configuration files from the /etc/nginx/conf.d directory.
    # See http://nginx.org/en/docs/ngx_core_module.html#include
    # for more information.
    include /etc/nginx/conf.d/*.conf;

    server {
        listen       80;
        listen       [::]:80;
        server_name  _;
        root         /usr/share/nginx/html;

        # Load configuration files for the default server block.
        include /etc/nginx/default.d/*.conf;

        error_page 404 /404.html;
        location = /404.html {
        }

        error_page 500 502 503 504 /50x.html;
        location = /50x.html {
        }
    }
}
";

const MIME_TYPES: &str = "
types {
    text/html                                        html htm shtml;
    text/css                                         css;
    text/xml                                         xml;
    image/gif                                        gif;
    image/jpeg                                       jpeg jpg;
    application/javascript                           js;
    text/plain                                       txt;
    image/png                                        png;
    image/svg+xml                                    svg svgz;
    image/webp                                       webp;
    image/x-icon                                     ico;
    application/json                                 json;
    application/pdf                                  pdf;
    application/zip                                  zip;
    application/octet-stream                         bin exe dll;
}
";

const PROXY_PARAMS: &str = "proxy_set_header Host $http_host;
proxy_set_header X-Real-IP $remote_addr;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Proto $scheme;
";

const UBUNTU_NGINX_UNIT: &str = "# Stop dance for nginx
# =======================
#
# ExecStop sends SIGQUIT (graceful stop) to the nginx process.
# If, after 5s (--retry QUIT/5) nginx is still running, systemd takes control
# and sends SIGTERM (fast shutdown) to the main process.
# After another 5s (TimeoutStopSec=5), and if nginx is alive, systemd sends
# SIGKILL to all the remaining processes in the process group (KillMode=mixed).
#
# nginx signals reference doc:
# http://nginx.org/en/docs/control.html
#
[Unit]
Description=A high performance web server and a reverse proxy server
Documentation=man:nginx(8)
After=network-online.target remote-fs.target nss-lookup.target
Wants=network-online.target

[Service]
Type=forking
PIDFile=/run/nginx.pid
ExecStartPre=/usr/sbin/nginx -t -q -g 'daemon on; master_process on;'
ExecStart=/usr/sbin/nginx -g 'daemon on; master_process on;'
ExecReload=/usr/sbin/nginx -g 'daemon on; master_process on;' -s reload
ExecStop=-/sbin/start-stop-daemon --quiet --stop --retry QUIT/5 --pidfile /run/nginx.pid
TimeoutStopSec=5
KillMode=mixed

[Install]
WantedBy=multi-user.target
";

const AL_NGINX_UNIT: &str = "[Unit]
Description=The nginx HTTP and reverse proxy server
After=network-online.target remote-fs.target nss-lookup.target
Wants=network-online.target

[Service]
Type=forking
PIDFile=/run/nginx.pid
# Nginx will fail to start if /run/nginx.pid already exists but has the wrong
# SELinux context. This might happen when running `nginx -t` from the cmdline.
# https://bugzilla.redhat.com/show_bug.cgi?id=1268621
ExecStartPre=/usr/bin/rm -f /run/nginx.pid
ExecStartPre=/usr/sbin/nginx -t
ExecStart=/usr/sbin/nginx
ExecReload=/usr/sbin/nginx -s reload
KillSignal=SIGQUIT
TimeoutStopSec=5
KillMode=mixed
PrivateTmp=true

[Install]
WantedBy=multi-user.target
";

/// The installed packages and their dependencies, for `apt`/`dnf` to plan with.
pub(crate) fn closure(distro: Distro, names: &[&'static Package]) -> Vec<&'static Package> {
    let mut out: Vec<&'static Package> = Vec::new();
    let mut queue: Vec<&'static Package> = names.to_vec();
    while let Some(package) = queue.pop() {
        if out.iter().any(|seen| seen.name == package.name) {
            continue;
        }
        out.push(package);
        for dependency in package.depends {
            if let Some(found) = self::package(distro, dependency) {
                queue.push(found);
            }
        }
    }
    out.sort_by_key(|package| package.name);
    out
}

/// Packages installed only as dependencies that nothing left needs once `removed` are gone,
/// which apt calls "automatically installed and no longer required".
pub(crate) fn orphans(
    distro: Distro,
    installed: &BTreeMap<String, i64>,
    removed: &[&str],
) -> Vec<&'static Package> {
    let remaining: Vec<&'static Package> = installed
        .keys()
        .filter(|name| !removed.contains(&name.as_str()))
        .filter_map(|name| package(distro, name))
        .collect();
    let is_dependency = |name: &str| {
        packages(distro)
            .iter()
            .any(|package| package.depends.contains(&name))
    };
    remaining
        .iter()
        .filter(|package| {
            is_dependency(package.name)
                && !remaining
                    .iter()
                    .any(|other| other.depends.contains(&package.name))
        })
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_welcome_page_is_615_bytes() {
        assert_eq!(WELCOME_PAGE.len(), 615);
    }

    #[test]
    fn nginx_brings_its_dependencies() {
        let nginx = package(Distro::AmazonLinux, "nginx").expect("nginx");
        assert_eq!(closure(Distro::AmazonLinux, &[nginx]).len(), 7);
        let nginx = package(Distro::Ubuntu, "nginx").expect("nginx");
        let names: Vec<&str> = closure(Distro::Ubuntu, &[nginx])
            .iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["nginx", "nginx-common"]);
    }

    #[test]
    fn units_answer_to_aliases() {
        assert_eq!(
            unit(Distro::Ubuntu, "sshd.service").map(|unit| unit.name),
            Some("ssh")
        );
        assert_eq!(
            unit(Distro::AmazonLinux, "nginx").map(|unit| unit.preset),
            Some(false)
        );
        assert!(unit(Distro::Ubuntu, "httpd").is_none());
    }
}
