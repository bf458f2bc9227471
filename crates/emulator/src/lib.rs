//! The embedded AWS emulator: EC2, IAM, STS, S3, CloudFront and the Price List API on one
//! loopback endpoint, speaking the real wire protocols so that aws-sdk-rust and the aws CLI work
//! against it unchanged.
//!
//! # Layout
//!
//! - [`http`]: the listener and routing by credential scope, and the timeouts and connection
//!   caps that keep both servers up ([`http::Limits`]); [`auth`]: who signed a request;
//! - [`sigv4`]: signature verification;
//! - [`wire`]: the protocols' request parsing and response envelopes, nothing else;
//! - [`ec2`], [`iam`], [`sts`]: service logic, on parsed parameters, never on HTTP;
//! - [`s3`]: S3 through the s3s crate, objects streamed to disk;
//! - [`cloudfront`]: CloudFront's API; [`edge`]: the edge that serves distributions;
//!   [`console`]: the web console, on the edge's port at `console.localhost`;
//! - [`pricing`]: the Price List API, answered from the price table the bill charges by;
//! - [`net`]: the emulated network between learners and instances: who a connection comes
//!   from, which instance a name means, security-group filtering, OpenSSH's `ProxyCommand`;
//!   [`gateway`]: `CONNECT` tunnels and proxied requests through this endpoint, handed to
//!   the instances' servers; [`network`]: the live links, listeners and drop timeout that the
//!   world holds;
//! - [`ssh`]: each Linux instance's SSH server (russh); the operating system behind it is
//!   the `cloudlings-os` crate, never the host's; [`machine`]: what joins it to the EC2 state;
//! - [`state`], [`clock`]: accounts and their resources, and simulated time; [`store`]: the
//!   database they are kept in, one record per resource; the fixed facts
//!   of the emulated world and its prices are `cloudlings-core`'s.
//!
//! It knows nothing of lessons or the shell: the `cloudlings` application drives it.

pub mod access_keys;
pub mod admin;
pub mod auth;
pub mod backup;
pub mod billing;
pub mod clock;
pub mod cloudfront;
pub mod console;
pub mod context;
pub mod ec2;
pub mod edge;
pub mod error;
pub mod events;
pub mod gateway;
pub mod http;
pub mod iam;
pub mod ids;
pub mod keys;
pub mod machine;
pub mod mfa;
pub mod net;
pub mod network;
pub mod pricing;
pub mod quotas;
pub mod rsa_pool;
pub mod s3;
pub mod sigv4;
pub mod ssh;
pub mod state;
pub mod store;
pub mod sts;
pub mod wire;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use tokio::sync::oneshot;

pub use state::{Credentials, Emptied, World};

/// A running emulator: its address and the installation's credentials. Dropping it stops the
/// server.
#[derive(Debug)]
pub struct Emulator {
    pub addr: SocketAddr,
    /// The CloudFront edge, serving deployed distributions.
    pub edge_addr: SocketAddr,
    pub credentials: Credentials,
    pub world: Arc<World>,
    /// Object bytes; kept here so a throwaway store lives as long as the emulator.
    pub blobs: Arc<s3::blobs::Blobs>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Emulator {
    /// Starts the emulator on `127.0.0.1:port` (0 for any free port) in a thread of its own,
    /// with its state in `state_dir` (or in memory only).
    pub fn start(port: u16, state_dir: Option<&Path>) -> anyhow::Result<Emulator> {
        Emulator::start_with_edge(port, 0, state_dir)
    }

    /// [`Emulator::start`], with the CloudFront edge on `edge_port` (0 for any free port).
    pub fn start_with_edge(
        port: u16,
        edge_port: u16,
        state_dir: Option<&Path>,
    ) -> anyhow::Result<Emulator> {
        Emulator::start_on(IpAddr::V4(Ipv4Addr::LOCALHOST), port, edge_port, state_dir)
    }

    /// [`Emulator::start_with_edge`] on another address than loopback: a classroom's
    /// machines then reach the emulator, and their instances see them by their own address.
    pub fn start_on(
        ip: IpAddr,
        port: u16,
        edge_port: u16,
        state_dir: Option<&Path>,
    ) -> anyhow::Result<Emulator> {
        Emulator::start_limited(
            ip,
            port,
            edge_port,
            state_dir,
            http::Limits::for_this_process(),
        )
    }

    /// [`Emulator::start_on`] with the given timeouts and connection caps, split between the
    /// endpoint and the edge as [`http::Limits::split`] does.
    pub fn start_limited(
        ip: IpAddr,
        port: u16,
        edge_port: u16,
        state_dir: Option<&Path>,
        limits: http::Limits,
    ) -> anyhow::Result<Emulator> {
        let world = Arc::new(match state_dir {
            Some(dir) => World::open(dir)?,
            None => World::in_memory(),
        });
        let credentials = world
            .lock()
            .root_credentials()
            .context("the emulator state has no root credentials")?;
        let blobs = Arc::new(open_blobs(&world, state_dir)?);
        // Loopback unless asked: the emulator is for this machine's learner, not the network.
        let listener = std::net::TcpListener::bind((ip, port))
            .with_context(|| format!("cannot listen on {ip}:{port}"))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let edge_listener = std::net::TcpListener::bind((ip, edge_port))
            .with_context(|| format!("cannot listen on {ip}:{edge_port} for the edge"))?;
        edge_listener.set_nonblocking(true)?;
        let edge_addr = edge_listener.local_addr()?;
        world.net.set_listeners(addr, edge_addr);
        let edge = Arc::new(edge::Edge::new(world.clone(), blobs.clone()));
        let (stop, stopped) = oneshot::channel::<()>();
        let services = http::Services {
            world: world.clone(),
            s3: s3::service(world.clone(), blobs.clone()),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("emulator")
            .enable_all()
            .build()
            .context("cannot start the emulator's runtime")?;
        let thread = std::thread::Builder::new()
            .name("emulator".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listeners = (
                        tokio::net::TcpListener::from_std(listener),
                        tokio::net::TcpListener::from_std(edge_listener),
                    );
                    let (Ok(listener), Ok(edge_listener)) = listeners else {
                        tracing::error!("cannot use the emulator's listeners");
                        return;
                    };
                    // One stop signal, heard by both servers.
                    let (done, watching) = tokio::sync::watch::channel(());
                    let until_stopped = |mut watching: tokio::sync::watch::Receiver<()>| async move {
                        let _ = watching.changed().await;
                    };
                    let (api_limits, edge_limits) = limits.split();
                    tokio::join!(
                        http::serve_with(
                            listener,
                            services,
                            api_limits,
                            until_stopped(watching.clone())
                        ),
                        edge::serve_with(edge_listener, edge, edge_limits, until_stopped(watching)),
                        async move {
                            let _ = stopped.await;
                            let _ = done.send(());
                        },
                    );
                });
            })
            .context("cannot start the emulator's thread")?;
        Ok(Emulator {
            addr,
            edge_addr,
            credentials,
            world,
            blobs,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Where a distribution's domain name opens in a browser:
    /// `d111111abcdef8.cloudfront.net` → `http://d111111abcdef8.cloudfront.localhost:PORT/`.
    pub fn edge_url(&self, domain_name: &str) -> String {
        edge_url(domain_name, self.edge_addr.port())
    }

    /// The console's address: `http://console.localhost:PORT/`.
    pub fn console_url(&self) -> String {
        format!("http://{}:{}/", console::HOST, self.edge_addr.port())
    }

    /// The `export` lines that point any AWS tool at this emulator.
    pub fn env_lines(&self) -> String {
        env_lines(&self.endpoint(), &self.credentials)
    }
}

/// The object store beside the state (or a throwaway one), cleared of blobs no object names.
fn open_blobs(world: &World, state_dir: Option<&Path>) -> anyhow::Result<s3::blobs::Blobs> {
    let Some(dir) = state_dir else {
        return s3::blobs::Blobs::temporary().context("cannot make a directory for S3 objects");
    };
    let objects = dir.join(s3::blobs::DIR_NAME);
    let blobs = s3::blobs::Blobs::open(&objects)
        .with_context(|| format!("cannot use {} for S3 objects", objects.display()))?;
    let state = world.lock();
    let live: std::collections::HashSet<&str> = state
        .s3
        .buckets
        .values()
        .flat_map(|bucket| bucket.blobs())
        .collect();
    blobs
        .retain(&live)
        .with_context(|| format!("cannot tidy {}", objects.display()))?;
    Ok(blobs)
}

/// [`Emulator::edge_url`] for an edge on `port`.
pub fn edge_url(domain_name: &str, port: u16) -> String {
    let label = domain_name
        .trim_end_matches('/')
        .trim_end_matches(".cloudfront.net");
    format!("http://{label}.{}:{port}/", edge::DOMAIN)
}

/// `export AWS_…` lines for an endpoint and credentials, and `CLOUDLINGS_ENDPOINT`, which
/// `cloudlings connect` (OpenSSH's way to the instances) follows.
pub fn env_lines(endpoint: &str, credentials: &Credentials) -> String {
    format!(
        "export AWS_ENDPOINT_URL={endpoint}\nexport AWS_ACCESS_KEY_ID={}\nexport AWS_SECRET_ACCESS_KEY={}\nexport AWS_DEFAULT_REGION={}\nexport AWS_REGION={}\nexport CLOUDLINGS_ENDPOINT={endpoint}\n",
        credentials.access_key,
        credentials.secret,
        cloudlings_core::catalog::DEFAULT_REGION,
        cloudlings_core::catalog::DEFAULT_REGION,
    )
}

const ENDPOINT_FILE: &str = "endpoint";

/// Records where the shell's emulator listens, for `cloudlings env` in another terminal.
pub fn announce(dir: &Path, endpoint: &str) -> anyhow::Result<()> {
    cloudlings_core::atomic::write(&dir.join(ENDPOINT_FILE), endpoint.as_bytes())
}

const CONSOLE_FILE: &str = "console";

/// Records where the shell's console answers, beside its endpoint.
pub fn announce_console(dir: &Path, url: &str) -> anyhow::Result<()> {
    cloudlings_core::atomic::write(&dir.join(CONSOLE_FILE), url.as_bytes())
}

/// The console the shell announced, if any.
pub fn announced_console(dir: &Path) -> Option<String> {
    let url = std::fs::read_to_string(dir.join(CONSOLE_FILE)).ok()?;
    let url = url.trim();
    (url.starts_with("http://") && url.len() < 200).then(|| url.to_string())
}

/// The lines `cloudlings env` adds for the console, as comments: where it is, and how the
/// root user signs in.
pub fn console_lines(url: &str, account: &str, root_password: &str) -> String {
    format!("# console: {url}\n#   root user: account ID {account}, password {root_password}\n")
}

/// Forgets the announced endpoint when the shell leaves.
pub fn withdraw(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(ENDPOINT_FILE));
    let _ = std::fs::remove_file(dir.join(CONSOLE_FILE));
}

/// The endpoint of the shell's emulator, if one is announced and answering.
pub fn running_endpoint(dir: &Path) -> Option<String> {
    let endpoint = std::fs::read_to_string(dir.join(ENDPOINT_FILE)).ok()?;
    let addr: SocketAddr = endpoint.trim().strip_prefix("http://")?.parse().ok()?;
    std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_millis(500)).ok()?;
    Some(endpoint.trim().to_string())
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
