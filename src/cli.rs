//! The command line: `cloudlings` runs the shell, `cloudlings lesson …` serves lesson authors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::check;
use crate::lang::Lang;
use crate::lesson::{Course, Severity, format};
use crate::progress::Store;
use crate::shell::{self, Session, messages as msg};
use crate::style::Style;
use crate::target::Target;
use crate::workstation::{Emulated, Workstation};
use cloudlings_emulator::state::FreePlan;
use cloudlings_emulator::{self as emulator, Emulator};

/// Learn the cloud by doing it: a guided, interactive AWS tutorial shell.
#[derive(Debug, Parser)]
#[command(name = "cloudlings", version, about, long_about = None)]
struct Cli {
    /// Language of the course and the shell [default: from LC_ALL/LANG, else English]
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,

    /// Use the lessons in this folder instead of the built-in course
    #[arg(long, global = true, value_name = "DIR")]
    lessons: Option<PathBuf>,

    /// Where progress and history are kept [default: the platform's data folder]
    #[arg(long, global = true, env = "CLOUDLINGS_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Where the course's cloud is: the embedded emulator, another AWS-compatible endpoint
    /// (`--endpoint-url`, signed with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or a real
    /// AWS account (`aws`: the aws CLI's credentials and config, with cost guards)
    #[arg(long, global = true, value_enum, default_value = "emulator")]
    target: TargetArg,

    /// The endpoint of `--target endpoint` (another `cloudlings serve`, moto, LocalStack, …);
    /// with `--target aws`, a stand-in for AWS's own endpoints
    #[arg(long, global = true, value_name = "URL")]
    endpoint_url: Option<String>,

    /// `--target aws`: the profile of ~/.aws/config and ~/.aws/credentials to use [default:
    /// AWS_PROFILE, else `default`]
    #[arg(long, global = true, value_name = "NAME")]
    profile: Option<String>,

    /// `--target aws`: the region [default: the profile's, else ap-northeast-2 (Seoul), the
    /// lecture's]
    #[arg(long, global = true, value_name = "REGION")]
    region: Option<String>,

    /// `--target aws`: create billable things without asking first (for scripted runs)
    #[arg(long, global = true)]
    yes: bool,

    /// `--target aws`: allow billable commands as the account's root user
    #[arg(long, global = true)]
    allow_root: bool,

    /// How long a connection that a security group drops hangs before it times out
    #[arg(long, global = true, env = "CLOUDLINGS_DROP_TIMEOUT", value_name = "SECONDS", value_parser = seconds)]
    drop_timeout: Option<Duration>,

    /// Port of the shell's emulator on 127.0.0.1. It stays the same from run to run, so a
    /// second terminal's `cloudlings env` and `ssh-config` keep working; when another program
    /// holds it, any free port is used for that run, and the shell says so [0: any free port]
    #[arg(long, env = "CLOUDLINGS_PORT", value_name = "PORT", default_value_t = SHELL_PORT)]
    port: u16,

    /// Port of the shell's CloudFront edge on 127.0.0.1, the same from run to run so that
    /// addresses opened in a browser keep working [0: any free port]
    #[arg(long, env = "CLOUDLINGS_EDGE_PORT", value_name = "PORT", default_value_t = SHELL_EDGE_PORT)]
    edge_port: u16,

    /// The free offer of the emulator's accounts: the lecture's 750 hours of t2.micro/t3.micro
    /// a month (`legacy`), the USD 100 credit plan of accounts made since 15 July 2025, which
    /// launches only free-tier-eligible types (`credits`), or `none` [default: as the saved
    /// state has it; `legacy` for a new one]
    #[arg(long, global = true, value_enum, value_name = "PLAN")]
    free_plan: Option<FreePlanArg>,

    /// Keep your own files (`key.pem`, `mfa-seed.txt`, `cloudlings-lab/`) on an emulated
    /// computer of your own, saved in the data folder, and run `!commands` there: nothing the
    /// course does opens a file of this computer or starts a program on it
    #[arg(long)]
    sandbox: bool,

    #[command(subcommand)]
    command: Option<Command>,
}

/// The shell's usual ports: fixed, so that what points at them outlives a restart.
const SHELL_PORT: u16 = 4580;
const SHELL_EDGE_PORT: u16 = 4581;

fn seconds(text: &str) -> Result<Duration, String> {
    text.parse::<f64>()
        .ok()
        .filter(|secs| secs.is_finite() && (0.0..=600.0).contains(secs))
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("`{text}` is not a number of seconds from 0 to 600"))
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the AWS emulator on its own, for any AWS tool
    Serve {
        /// Port to listen on, on 127.0.0.1 (0: any free port)
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Port of the CloudFront edge, on 127.0.0.1 (0: any free port)
        #[arg(long, default_value_t = 0)]
        edge_port: u16,
        /// Listen on this address instead of 127.0.0.1: `0.0.0.0` lets a classroom's machines
        /// in (anyone who can reach this machine can then try the accounts' keys)
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Keep the emulator's state in this folder [default: in memory, gone on exit]
        #[arg(long, value_name = "DIR")]
        state: Option<PathBuf>,
        /// Keep at least this many learner accounts, each with its own keys, and print every
        /// learner's keys (for a classroom); a restart on the same state adds only the missing
        /// ones. `--free-plan` sets the plan of every account
        #[arg(long, default_value_t = 0, value_name = "N")]
        accounts: usize,
        /// RSA keys to keep made ahead in the state folder, so that a room's `create-key-pair`
        /// calls do not wait for them (made at the lowest CPU priority while the room is
        /// quiet; about 1.2 KB each) [default: 16 per learner account, at least 64]
        #[arg(long, value_name = "N")]
        ready_keys: Option<usize>,
        /// What each learner account may hold and how fast it may ask, refused as AWS refuses
        /// going past a quota: `instances=3,buckets=3,storage=64MiB,rate=20` (instances running
        /// in a region, buckets, bytes stored, requests a second). The installation's own
        /// account keeps AWS's [default: AWS's quotas, no storage or rate limit]
        #[arg(long, value_name = "QUOTAS", value_parser = cloudlings_emulator::quotas::Quotas::parse)]
        quota: Option<cloudlings_emulator::quotas::Quotas>,
    },
    /// Serve a classroom: the emulator for everyone, and the class's address, where each
    /// learner joins in a browser with the class code and their name and gets a terminal and
    /// an account of their own; the instructor's page shows everyone live
    Classroom {
        /// Port of the class's address, where learners join (and the instructor's page)
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Port of the emulator's AWS endpoint
        #[arg(long, default_value_t = 4566)]
        endpoint_port: u16,
        /// Port of the CloudFront edge (0: any free port)
        #[arg(long, default_value_t = 0)]
        edge_port: u16,
        /// Listen on this address instead of 127.0.0.1: `0.0.0.0` lets the room's machines in
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Keep the class (its code, roster and everyone's cloud) in this folder [default:
        /// `classroom/` in the data folder]
        #[arg(long, value_name = "DIR")]
        state: Option<PathBuf>,
        /// The most learners who may join
        #[arg(long, default_value_t = 60, value_name = "N")]
        room: usize,
        /// What each learner's account may hold and how fast it may ask (see `serve`)
        #[arg(long, value_name = "QUOTAS", default_value = CLASSROOM_QUOTAS, value_parser = cloudlings_emulator::quotas::Quotas::parse)]
        quota: cloudlings_emulator::quotas::Quotas,
        /// Serve the class's address over TLS with this certificate (PEM, with `--tls-key`)
        #[arg(long, value_name = "FILE", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM)
        #[arg(long, value_name = "FILE", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Serve the class's address over TLS with a certificate made for it, kept in the
        /// state folder (browsers ask to trust it once)
        #[arg(long, conflicts_with = "tls_cert")]
        tls_self_signed: bool,
        #[command(subcommand)]
        action: Option<ClassAction>,
    },
    /// Join a class from this terminal: `cloudlings join 192.168.0.7:8080 K7Q-XM2`. Joining
    /// the same class again returns to the same account
    Join {
        /// The class's address, as the teacher shows it
        address: String,
        /// The class code
        code: String,
        /// Your name, as the class sees it [default: your user name]
        #[arg(long)]
        name: Option<String>,
        /// For an `https://` class with a certificate of its own: its SHA-256 fingerprint,
        /// as the class shows it (`AB:CD:…`)
        #[arg(long, value_name = "SHA256")]
        fingerprint: Option<String>,
    },
    /// Look at what the course needs on this machine (a UTF-8 terminal, a font with Hangul
    /// for Korean, OpenSSH, the emulator's ports, a writable data folder), each with its fix
    Doctor,
    /// Print the `export AWS_…` lines for the running shell's emulator (for a second terminal)
    Env,
    /// Write an OpenSSH config file that makes `ssh` reach emulated instances by name
    SshConfig,
    /// Join standard input and output to HOST:PORT on the emulated network (OpenSSH's
    /// ProxyCommand; hosts that are not emulated are reached directly)
    Connect {
        host: String,
        port: u16,
        /// The emulator's endpoint [default: the running shell's]
        #[arg(long, env = "CLOUDLINGS_ENDPOINT", value_name = "URL")]
        endpoint: Option<String>,
    },
    /// Write and check lessons
    Lesson {
        #[command(subcommand)]
        command: LessonCommand,
    },
    /// Delete what cloudlings sessions made on AWS (`--target aws`): every session this
    /// machine's journal lists, one session, or everything tagged by any session
    Cleanup {
        /// Only this session's resources (the id `cloudlings` printed at start)
        #[arg(long, value_name = "ID", conflicts_with = "all")]
        session: Option<String>,
        /// Everything tagged `cloudlings:session`, whichever machine made it
        #[arg(long)]
        all: bool,
    },
    /// Build the companion book from the lessons, in English and Korean (`--lang` for one)
    Book {
        /// Open it in a browser once built
        #[arg(long)]
        open: bool,
        /// Where to write it, one folder per language [default: `book` in the data folder]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        #[command(subcommand)]
        command: Option<BookCommand>,
    },
}

#[derive(Debug, Subcommand)]
enum BookCommand {
    /// The mdbook CLI's preprocessor protocol (`command = "cloudlings book preprocess"` in
    /// book.toml)
    #[command(hide = true)]
    Preprocess {
        /// `supports <renderer>`, as mdbook asks it
        args: Vec<String>,
    },
}

/// `--target` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TargetArg {
    Emulator,
    Endpoint,
    Aws,
}

/// `--free-plan` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FreePlanArg {
    Legacy,
    Credits,
    None,
}

impl From<FreePlanArg> for FreePlan {
    fn from(arg: FreePlanArg) -> FreePlan {
        match arg {
            FreePlanArg::Legacy => FreePlan::Legacy,
            FreePlanArg::Credits => FreePlan::Credits,
            FreePlanArg::None => FreePlan::None,
        }
    }
}

#[derive(Debug, Subcommand)]
enum LessonCommand {
    /// Check lesson files and report every problem as file:line:col
    Lint {
        /// Lesson files or folders of them [default: --lessons, else the built-in course]
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the lesson format (for editor completion)
    Schema,
    /// Rehearse lessons on a fresh emulator: every check must fail before its step's solution
    /// runs and pass after it
    Test {
        /// Also replay the mistakes each task declares, and follow the advice of the reasons
        /// they meet: every command a reason suggests must work from there
        #[arg(long)]
        mistakes: bool,
        /// Lets the lessons' `!` lines run commands on this machine (in a temporary
        /// folder): needed for lessons that are not the built-in course's, whose commands are
        /// listed first
        #[arg(long)]
        allow_host_commands: bool,
        /// Lesson files or folders of them [default: --lessons, else the built-in course]
        paths: Vec<PathBuf>,
    },
}

/// Parses the arguments, runs, and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        // A reader that went away (`cloudlings lesson schema | head`) is not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cloudlings: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Logs are for developers (`CLOUDLINGS_LOG=debug`), apart from what the learner reads. The S3
/// protocol crate logs every error it answers with, which is the learner's `aws` output already,
/// and aws-config warns of every place it looked for a region in vain (instance metadata, off
/// EC2), where the shell says which region it uses.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CLOUDLINGS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,s3s=off,aws_config=error"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        None => {
            let endpoint = match (cli.target, cli.endpoint_url.clone()) {
                (TargetArg::Emulator, _) => None,
                (TargetArg::Endpoint, Some(url)) => Some(endpoint_target(url)?),
                (TargetArg::Endpoint, None) => {
                    anyhow::bail!("`--target endpoint` needs `--endpoint-url URL`")
                }
                (TargetArg::Aws, _) => Some(aws_target(&cli)?),
            };
            let guards = Guards {
                yes: cli.yes,
                allow_root: cli.allow_root,
            };
            let own = OwnEmulator {
                ports: (cli.port, cli.edge_port),
                drop_timeout: cli.drop_timeout,
                free_plan: cli.free_plan.map(FreePlan::from),
                sandbox: cli.sandbox,
            };
            run_shell(
                &cli.lang,
                cli.lessons,
                cli.data_dir,
                endpoint,
                guards,
                own,
                Default::default(),
            )
        }
        Some(Command::Cleanup { ref session, all }) => {
            if cli.target != TargetArg::Aws {
                anyhow::bail!(
                    "`cleanup` deletes what sessions made on AWS: run it as `cloudlings --target aws cleanup`"
                );
            }
            let scope = match (session, all) {
                (Some(id), _) => crate::aws_target::cleanup::Scope::Session(id.clone()),
                (None, true) => crate::aws_target::cleanup::Scope::All,
                (None, false) => crate::aws_target::cleanup::Scope::Journal,
            };
            let target = aws_target(&cli)?;
            cleanup(&cli, &target, &scope)
        }
        Some(Command::Serve {
            port,
            edge_port,
            bind,
            state,
            accounts,
            ready_keys,
            quota,
        }) => serve(
            Listen {
                bind,
                port,
                edge_port,
            },
            state.as_deref(),
            Room {
                accounts,
                ready_keys: ready_keys.unwrap_or((accounts * 16).max(64)),
                plan: cli.free_plan.map(FreePlan::from),
                quotas: quota.unwrap_or_default(),
            },
            cli.drop_timeout,
        ),
        Some(Command::Classroom {
            port,
            endpoint_port,
            edge_port,
            bind,
            ref state,
            room,
            quota,
            ref tls_cert,
            ref tls_key,
            tls_self_signed,
            ref action,
        }) => {
            let state = match state {
                Some(state) => state.clone(),
                None => data_dir(cli.data_dir.clone())?.join("classroom"),
            };
            if let Some(ClassAction::Backup { to }) = action {
                return backup_class(&state, to);
            }
            let listen = Listen {
                bind,
                port: endpoint_port,
                edge_port,
            };
            let certificate = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(crate::classroom::tls::Certificate::Files {
                    cert: cert.clone(),
                    key: key.clone(),
                }),
                _ if tls_self_signed => Some(crate::classroom::tls::Certificate::SelfSigned {
                    names: certificate_names(bind),
                }),
                _ => None,
            };
            let course = load_course(cli.lessons.clone())?;
            let class = ClassSetup {
                port,
                state,
                room,
                quotas: quota,
                course,
                certificate,
            };
            classroom(listen, class)
        }
        Some(Command::Join {
            ref fingerprint,
            ref address,
            ref code,
            ref name,
        }) => {
            let lang = cli
                .lang
                .or_else(|| Lang::from_locale(|name| std::env::var(name).ok()))
                .unwrap_or_default();
            let name = name
                .clone()
                .or_else(|| std::env::var("USER").ok())
                .or_else(|| std::env::var("USERNAME").ok())
                .unwrap_or_else(|| "learner".to_string());
            let dir = data_dir(cli.data_dir.clone())?;
            let asked = crate::classroom::join::Asked {
                code,
                name: &name,
                lang: lang.code(),
            };
            let joined =
                crate::classroom::join::join(address, fingerprint.as_deref(), &asked, &dir)?;
            eprintln!(
                "{}",
                msg::joined(lang, &joined.name, &joined.class, &joined.account)
            );
            let guards = Guards {
                yes: cli.yes,
                allow_root: cli.allow_root,
            };
            let own = OwnEmulator {
                ports: (cli.port, cli.edge_port),
                drop_timeout: cli.drop_timeout,
                free_plan: None,
                sandbox: cli.sandbox,
            };
            let endpoint = Some(Target::Endpoint(joined.endpoint()));
            let link = crate::classroom::join::Link::to(&joined);
            run_shell(
                &Some(lang),
                cli.lessons,
                Some(dir),
                endpoint,
                guards,
                own,
                link,
            )
        }
        Some(Command::Env) => env(cli.data_dir),
        Some(Command::SshConfig) => ssh_config(cli.data_dir),
        Some(Command::Doctor) => doctor(&cli),
        Some(Command::Connect {
            host,
            port,
            endpoint,
        }) => connect(cli.data_dir, &host, port, endpoint.as_deref()),
        Some(Command::Lesson { command }) => match command {
            LessonCommand::Schema => {
                std::io::stdout()
                    .lock()
                    .write_all(format::schema_json().as_bytes())?;
                Ok(ExitCode::SUCCESS)
            }
            LessonCommand::Lint { paths } => lint(&or_lessons(paths, cli.lessons)),
            LessonCommand::Test {
                paths,
                mistakes,
                allow_host_commands,
            } => {
                let plan = cli.free_plan.map_or(FreePlan::Legacy, FreePlan::from);
                let paths = or_lessons(paths, cli.lessons);
                lesson_test(&paths, mistakes, plan, allow_host_commands)
            }
        },
        Some(Command::Book {
            command: Some(BookCommand::Preprocess { args }),
            ..
        }) => {
            let course = load_course(cli.lessons)?;
            let supports = match args.as_slice() {
                [verb, renderer] if verb == "supports" => Some(renderer.as_str()),
                _ => None,
            };
            let supported = crate::book::preprocess_stdio(course, supports)?;
            Ok(if supported {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Some(Command::Book {
            open,
            out,
            command: None,
        }) => book(cli.lang, cli.lessons, cli.data_dir, out, open),
    }
}

/// `cloudlings book`: builds the book and says where it is.
fn book(
    lang: Option<Lang>,
    lessons: Option<PathBuf>,
    data_dir_arg: Option<PathBuf>,
    out: Option<PathBuf>,
    open: bool,
) -> anyhow::Result<ExitCode> {
    let course = load_course(lessons)?;
    let errors: Vec<_> = course.errors().collect();
    if !errors.is_empty() {
        for diagnostic in errors {
            eprintln!("{diagnostic}");
        }
        anyhow::bail!("the lessons have errors; `cloudlings lesson lint` lists them");
    }
    let out = match out {
        Some(out) => out,
        None => data_dir(data_dir_arg)?.join("book"),
    };
    let langs = match lang {
        Some(lang) => vec![lang],
        None => vec![Lang::En, Lang::Ko],
    };
    let built = crate::book::build(&course, &out, &langs)?;
    for index in &built {
        println!("{}", index.display());
    }
    if open && let Some(first) = built.first() {
        open_in_browser(first)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens a file with the desktop's browser.
fn open_in_browser(path: &std::path::Path) -> anyhow::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(path)
        .spawn()
        .with_context(|| format!("cannot open {} in a browser", path.display()))?;
    Ok(())
}

fn load_course(lessons: Option<PathBuf>) -> anyhow::Result<Course> {
    match lessons {
        Some(dir) => Course::from_paths(&[dir]),
        None => Ok(Course::embedded()),
    }
}

/// The paths given, else the `--lessons` folder (else, empty: the built-in course).
fn or_lessons(paths: Vec<PathBuf>, lessons: Option<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() {
        lessons.into_iter().collect()
    } else {
        paths
    }
}

/// The lessons at `paths`, or the built-in course.
fn course_at(paths: &[PathBuf]) -> anyhow::Result<Course> {
    if paths.is_empty() {
        Ok(Course::embedded())
    } else {
        Course::from_paths(paths)
    }
}

fn lesson_test(
    paths: &[PathBuf],
    mistakes: bool,
    plan: FreePlan,
    allow_host_commands: bool,
) -> anyhow::Result<ExitCode> {
    let course = course_at(paths)?;
    let mut out = std::io::stdout().lock();
    let errors: Vec<_> = course.errors().collect();
    for diagnostic in &errors {
        writeln!(out, "{diagnostic}")?;
    }
    // A lesson someone else wrote runs its `!` lines on this machine: say which, and run
    // them only when asked to.
    let host = crate::rehearsal::host_commands(&course, mistakes);
    if !host.is_empty() {
        writeln!(
            out,
            "These lessons run commands on this machine, in a temporary folder:"
        )?;
        for (file, line) in &host {
            writeln!(out, "  {file}: {}", crate::visible::visible(line))?;
        }
        if !allow_host_commands {
            writeln!(
                out,
                "Nothing was run. Read them, then add --allow-host-commands to run the rehearsal."
            )?;
            return Ok(ExitCode::FAILURE);
        }
    }
    let report = crate::rehearsal::rehearse(&course, mistakes, plan)?;
    for finding in &report.findings {
        // What a solution printed, or a value it found, is shown, not obeyed.
        writeln!(out, "{}", crate::visible::visible(&finding.to_string()))?;
    }
    let steps: usize = report.lessons.iter().map(|(_, steps)| steps).sum();
    let replayed = if mistakes {
        format!(", {} mistakes replayed", report.mistakes)
    } else {
        String::new()
    };
    writeln!(
        out,
        "{} lessons, {steps} task steps rehearsed{replayed}, {} problems",
        report.lessons.len(),
        report.findings.len() + errors.len()
    )?;
    Ok(if report.findings.is_empty() && errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn lint(paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let course = course_at(paths)?.with_word_check();
    let mut out = std::io::stdout().lock();
    for diagnostic in &course.diagnostics {
        writeln!(out, "{diagnostic}")?;
    }
    let errors = course.errors().count();
    let warnings = course.diagnostics.len() - errors;
    if course.diagnostics.is_empty() {
        writeln!(out, "{} lessons, no problems", course.lessons.len())?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(out, "{errors} errors, {warnings} warnings")?;
        Ok(ExitCode::FAILURE)
    }
}

fn data_dir(given: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match given {
        Some(dir) => Ok(dir),
        None => directories::ProjectDirs::from("", "", "cloudlings")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .context(
                "cannot find a data folder for progress (no home directory?): pass --data-dir",
            ),
    }
}

/// `cloudlings doctor`: exits 1 when something must be fixed.
fn doctor(cli: &Cli) -> anyhow::Result<ExitCode> {
    let var = |name: &str| std::env::var(name).ok();
    let lang = cli
        .lang
        .or_else(|| Lang::from_locale(var))
        .unwrap_or_default();
    let data_dir = data_dir(cli.data_dir.clone())?;
    let machine = crate::doctor::Machine {
        lang,
        data_dir: &data_dir,
        ports: (cli.port, cli.edge_port),
        var: &var,
        hangul_fonts: &crate::doctor::hangul_fonts,
    };
    let findings = crate::doctor::examine(&machine);
    let fine = crate::doctor::report(&findings, lang, Style::detect(), &mut std::io::stdout())?;
    Ok(if fine {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// What a classroom's learners may hold and ask, unless `--quota` says otherwise: a few
/// instances and buckets each, enough for every lesson, and no learner's loop can fill the
/// machine or slow the room.
const CLASSROOM_QUOTAS: &str = "instances=4,buckets=5,storage=128MiB,rate=20";

/// What `cloudlings classroom` does instead of serving the class.
#[derive(Subcommand, Debug, Clone)]
enum ClassAction {
    /// Copy the whole class (roster, progress, every learner's cloud) into a new folder, while
    /// it runs; `cloudlings classroom --state FOLDER` starts the class again from it
    Backup {
        /// The folder to make: it must not exist yet, or be empty
        to: PathBuf,
    },
}

/// `cloudlings classroom backup TO`.
fn backup_class(state: &Path, to: &Path) -> anyhow::Result<ExitCode> {
    let summary = crate::classroom::backup::backup(state, to)?;
    let cloud = summary.cloud;
    println!(
        "Backed up the class in {} to {}: {} learners, {} accounts, {} buckets, {} objects ({} bytes).\n\
         Start the class from it with: cloudlings classroom --state {}",
        state.display(),
        to.display(),
        summary.learners,
        cloud.accounts,
        cloud.buckets,
        cloud.objects,
        cloud.bytes,
        to.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// RSA keys made ahead for each learner of a classroom: the course's three key pairs and one
/// made again.
const KEYS_PER_LEARNER: usize = 4;

/// What `cloudlings classroom` was asked for, beside where the emulator listens.
struct ClassSetup {
    /// The class's own port.
    port: u16,
    state: PathBuf,
    room: usize,
    quotas: cloudlings_emulator::quotas::Quotas,
    course: Course,
    certificate: Option<crate::classroom::tls::Certificate>,
}

/// The names a self-signed certificate for the class holds: loopback's, and the address the
/// room reaches it on.
fn certificate_names(bind: std::net::IpAddr) -> Vec<String> {
    let mut names = vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ];
    let shown = shown_address(std::net::SocketAddr::new(bind, 0));
    if let Some((host, _)) = shown.rsplit_once(':') {
        let host = host.trim_matches(['[', ']']).to_string();
        if !names.contains(&host) {
            names.push(host);
        }
    }
    names
}

/// Runs the emulator for the room and the class's address, until the process is stopped.
fn classroom(listen: Listen, setup: ClassSetup) -> anyhow::Result<ExitCode> {
    let ClassSetup {
        port,
        state,
        room,
        quotas,
        course,
        certificate,
    } = setup;
    let state = state.as_path();
    let tls = certificate
        .map(|certificate| crate::classroom::tls::Tls::load(&certificate, state))
        .transpose()?;
    let emulator = Emulator::start_on(listen.bind, listen.port, listen.edge_port, Some(state))?;
    emulator.world.set_quotas(quotas);
    // The course makes three key pairs a learner: their RSA keys are made ahead, at the
    // lowest priority, while the class reads lesson 1, rather than by the room all at once.
    if let Some(reserve) = &emulator.world.keys_ahead {
        reserve.keep(room * KEYS_PER_LEARNER);
    }
    let roster = crate::classroom::roster::Roster::open(state)?;
    let code = roster.code().to_string();
    let teacher_token = roster.teacher().to_string();
    let class = std::sync::Arc::new(crate::classroom::Class::new(crate::classroom::Setup {
        world: emulator.world.clone(),
        blobs: emulator.blobs.clone(),
        roster,
        course,
        emulator: emulator.addr,
        edge_port: emulator.edge_addr.port(),
        state: state.to_path_buf(),
        room,
        secure: tls.is_some(),
    }));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (endpoint, teacher) = (emulator.endpoint(), emulator.credentials.clone());
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind((listen.bind, port))
            .await
            .with_context(|| format!("cannot listen on {}:{port}", listen.bind))?;
        let address = listener.local_addr()?;
        let shown = shown_address(address);
        let scheme = if tls.is_some() { "https" } else { "http" };
        // The instructor's own terminal may be gone (a closed pipe, a detached session): the
        // class goes on without printing.
        let mut said = format!("Class code: {code}\nLearners open: {scheme}://{shown}/\n");
        match &tls {
            Some(tls) => said.push_str(&format!(
                "The class's certificate: SHA-256 {fingerprint}\n\
                 Learners join with: cloudlings join https://{shown} {code} --fingerprint {fingerprint}\n",
                fingerprint = tls.fingerprint
            )),
            None => said.push_str(&format!(
                "Learners join with: cloudlings join {shown} {code}\n"
            )),
        }
        // The instructor is at this machine: loopback reaches a class on every address.
        let own = if listen.bind.is_unspecified() {
            format!("127.0.0.1:{}", address.port())
        } else {
            shown.clone()
        };
        said.push_str(&format!(
            "Instructor's page: {scheme}://{own}/teacher?token={teacher_token}\n\
             The class's emulator: {endpoint}\n\
             The teacher's keys: AWS_ACCESS_KEY_ID={} AWS_SECRET_ACCESS_KEY={}\n",
            teacher.access_key, teacher.secret
        ));
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(said.as_bytes()).and_then(|()| out.flush());
        drop(out);
        crate::classroom::serve(listener, class, tls.map(|tls| tls.acceptor)).await;
        anyhow::Ok(())
    })?;
    drop(emulator);
    Ok(ExitCode::SUCCESS)
}

/// The address learners type: this machine's address on the room's network when listening on
/// every address.
fn shown_address(address: std::net::SocketAddr) -> String {
    if !address.ip().is_unspecified() {
        return address.to_string();
    }
    // Which address this machine would send from (no packet is sent).
    let local = std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| {
            socket.connect("192.0.2.1:9")?;
            socket.local_addr()
        })
        .map(|local| local.ip());
    match local {
        Ok(ip) => format!("{ip}:{}", address.port()),
        Err(_) => format!("127.0.0.1:{}", address.port()),
    }
}

/// Where `serve` listens.
struct Listen {
    bind: std::net::IpAddr,
    port: u16,
    edge_port: u16,
}

/// What `serve` prepares for a classroom.
struct Room {
    accounts: usize,
    ready_keys: usize,
    plan: Option<FreePlan>,
    /// What each learner account may hold and how fast it may ask.
    quotas: cloudlings_emulator::quotas::Quotas,
}

fn serve(
    listen: Listen,
    state: Option<&std::path::Path>,
    room: Room,
    drop_timeout: Option<Duration>,
) -> anyhow::Result<ExitCode> {
    let Room {
        accounts,
        ready_keys,
        plan,
        quotas,
    } = room;
    let emulator = Emulator::start_on(listen.bind, listen.port, listen.edge_port, state)?;
    emulator.world.set_quotas(quotas);
    if let Some(timeout) = drop_timeout {
        emulator.world.net.set_drop_timeout(timeout);
    }
    if let Some(reserve) = &emulator.world.keys_ahead {
        reserve.keep(ready_keys);
    }
    // `--accounts N` asks for at least N learners: a restart on the same state makes only the
    // missing ones, and prints every learner's keys again.
    let learners = {
        let world = &emulator.world;
        let existing = world.accounts().len().saturating_sub(1);
        for _ in existing..accounts {
            world.add_account();
        }
        if let Some(plan) = plan {
            for account in world.accounts() {
                account.lock().free_plan = plan;
            }
        }
        world.save()?;
        world.learner_credentials()
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "# cloudlings emulator on {} (Ctrl-C stops it)",
        emulator.endpoint()
    )?;
    writeln!(
        out,
        "# CloudFront edge on http://{} (a distribution dXXXX.cloudfront.net opens at {})",
        emulator.edge_addr,
        emulator.edge_url("dXXXX.cloudfront.net")
    )?;
    // The console's lines come with the other comments, before the `export` lines: a reader
    // that stops once it has the installation's keys (a script, `head`) must not leave a
    // line still to write, whose failure would end the server.
    let root_password = emulator::iam::passwords::root_password(&emulator.credentials.secret);
    out.write_all(
        emulator::console_lines(
            &emulator.console_url(),
            &emulator.credentials.account,
            &root_password,
        )
        .as_bytes(),
    )?;
    out.write_all(emulator.env_lines().as_bytes())?;
    for (n, account) in learners.iter().enumerate() {
        writeln!(out, "\n# account {} ({})", n + 2, account.account)?;
        out.write_all(emulator::env_lines(&emulator.endpoint(), account).as_bytes())?;
    }
    out.flush()?;
    drop(out);
    loop {
        std::thread::park();
    }
}

fn env(data_dir_arg: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let dir = data_dir(data_dir_arg)?.join("emulator");
    let Some(endpoint) = emulator::running_endpoint(&dir) else {
        eprintln!(
            "cloudlings: no cloudlings shell is running; start `cloudlings` first (or run `cloudlings serve`)"
        );
        return Ok(ExitCode::FAILURE);
    };
    let credentials = emulator::World::saved_root_credentials(&dir)?;
    let mut out = std::io::stdout().lock();
    out.write_all(emulator::env_lines(&endpoint, &credentials).as_bytes())?;
    if let Some(console) = emulator::announced_console(&dir) {
        let password = emulator::iam::passwords::root_password(&credentials.secret);
        out.write_all(
            emulator::console_lines(&console, &credentials.account, &password).as_bytes(),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Where an AWS account's progress, history and journal are kept in the data folder.
fn account_dir(data_dir: &std::path::Path, caller: &crate::aws_target::Caller) -> PathBuf {
    data_dir.join("aws").join(&caller.account)
}

/// Where the course on another endpoint is kept: `endpoint/127.0.0.1_4566/`.
fn endpoint_dir(data_dir: &std::path::Path, url: &str) -> PathBuf {
    let address = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .trim_end_matches('/');
    let name: String = address
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    data_dir.join("endpoint").join(name)
}

/// `--yes` and `--allow-root`.
#[derive(Debug, Clone, Copy)]
struct Guards {
    yes: bool,
    allow_root: bool,
}

/// `--target aws`: the standard credential chain and config, loaded.
fn aws_target(cli: &Cli) -> anyhow::Result<Target> {
    let aws = crate::target::block_on(crate::target::Aws::load(
        cli.profile.as_deref(),
        cli.region.as_deref(),
        cli.endpoint_url.as_deref(),
    ))
    .map_err(|error| anyhow::anyhow!("cannot load the AWS configuration: {error}"))?;
    Ok(Target::Aws(Box::new(aws)))
}

/// Who the target's credentials belong to; an error the learner can act on when they cannot
/// be used.
fn caller(target: &Target) -> anyhow::Result<crate::aws_target::Caller> {
    crate::target::block_on(crate::aws_target::identify(&target.sdk_config()))
        .map_err(anyhow::Error::msg)?
        .map_err(|reason| {
            anyhow::anyhow!(
                "cannot ask AWS whose credentials these are ({reason}). Configure them as for the aws CLI (`aws configure`, AWS_PROFILE, or `aws sso login`) or pass --profile, and check that AWS can be reached"
            )
        })
}

/// `cloudlings --target aws cleanup`.
fn cleanup(
    cli: &Cli,
    target: &Target,
    scope: &crate::aws_target::cleanup::Scope,
) -> anyhow::Result<ExitCode> {
    use std::io::IsTerminal;
    let lang = cli
        .lang
        .or_else(|| Lang::from_locale(|name| std::env::var(name).ok()))
        .unwrap_or_default();
    let data_dir = data_dir(cli.data_dir.clone())?;
    let caller = caller(target)?;
    let (mut journal, recovery) =
        crate::aws_target::journal::Journal::open(&account_dir(&data_dir, &caller))?;
    if let Some(recovery) = recovery {
        let moved_to = recovery.moved_to.display().to_string();
        eprintln!(
            "{}",
            crate::aws_target::messages::journal_recovered(lang, &recovery.reason, &moved_to)
        );
    }
    let mut out = std::io::stdout().lock();
    let terminal = std::io::stdout().is_terminal();
    let report = crate::aws_target::cleanup::run(
        &target.sdk_config(),
        &mut journal,
        scope,
        lang,
        caller.user_name(),
        terminal,
        &mut out,
    )?;
    Ok(match report {
        Ok(report) if report.failed.is_empty() => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    })
}

/// Where `--sandbox` keeps the learner's emulated computer, in the data folder.
const WORKSTATION_FILE: &str = "workstation.json";

/// How the shell runs its own emulator, when it has one.
struct OwnEmulator {
    ports: (u16, u16),
    drop_timeout: Option<Duration>,
    /// The free plan of the shell's account, when `--free-plan` sets it.
    free_plan: Option<FreePlan>,
    /// Whether the learner's own computer is an emulated one (`--sandbox`).
    sandbox: bool,
}

fn run_shell(
    lang: &Option<Lang>,
    lessons: Option<PathBuf>,
    data_dir_arg: Option<PathBuf>,
    endpoint: Option<Target>,
    guards: Guards,
    own: OwnEmulator,
    class: crate::classroom::join::Link,
) -> anyhow::Result<ExitCode> {
    let course = load_course(lessons)?;
    let data_dir = data_dir(data_dir_arg)?;
    // On another cloud, progress and history are that cloud's (on AWS the journal too): what a
    // lesson bound (an instance id) belongs to the cloud it came from, and the emulator's
    // course stays as it was.
    let caller = match &endpoint {
        Some(target @ Target::Aws(_)) => Some(caller(target)?),
        _ => None,
    };
    let data_dir = match (&caller, &endpoint) {
        (Some(caller), _) => account_dir(&data_dir, caller),
        (None, Some(Target::Endpoint(endpoint))) => endpoint_dir(&data_dir, &endpoint.url),
        _ => data_dir,
    };
    let (store, recovery) = Store::open(&data_dir)?;
    let lang = lang
        .or(store.progress.lang)
        .or_else(|| Lang::from_locale(|name| std::env::var(name).ok()))
        .unwrap_or_default();

    let style = Style::detect();
    if let Some(recovery) = recovery {
        let moved_to = recovery.moved_to.display().to_string();
        eprintln!(
            "{}",
            style.bad(&msg::progress_recovered(lang, &recovery.reason, &moved_to))
        );
    }
    let errors: Vec<_> = course
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        eprintln!("{}", msg::broken_lessons(lang));
        for diagnostic in errors {
            eprintln!("  {diagnostic}");
        }
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let files = if own.sandbox {
        let kept = data_dir.join(WORKSTATION_FILE);
        Workstation::Emulated(
            Emulated::open(&kept)
                .with_context(|| format!("cannot open the workstation in {}", kept.display()))?,
        )
    } else {
        Workstation::host(&cwd)
    };
    if let Some(target) = endpoint {
        // Another cloud: no emulator of our own, and the checks look there.
        let account = match (&target, caller) {
            (Target::Aws(aws), Some(caller)) => {
                Some(open_account(caller, aws, &data_dir, lang, style, guards)?)
            }
            _ => None,
        };
        let mut probes = check::Context::new(cwd).with_target(target);
        probes.files = files;
        // `{free_type}`: another cloud's free offer cannot be read from its API, and t3.micro
        // is free on both (the legacy free tier and the credit plan, which refuses t2.micro).
        probes.bindings.insert(
            "free_type".to_string(),
            crate::facts::free_type(FreePlan::Credits).to_string(),
        );
        let session = match account {
            Some(account) => {
                // `{myip}` in a lesson: the address AWS sees this learner's connections from.
                if let Some(address) = shell::public_address(&probes) {
                    probes.bindings.insert("myip".to_string(), address);
                }
                // `{ami_ubuntu}` in a lesson: this region's own newest image of the family.
                if let Some(target) = &probes.target
                    && let Ok(images) =
                        crate::target::block_on(crate::aws_target::images(&target.sdk_config()))
                {
                    probes.bindings.extend(images);
                }
                Session::new(course, store, lang, style, probes).with_account(account)
            }
            None => {
                // A cloudlings server at the endpoint gives this learner's account there its
                // own clock and bill, and its network through the server's gateway.
                let server = match &probes.target {
                    Some(Target::Endpoint(endpoint)) => crate::server::Server::meet(endpoint),
                    _ => None,
                };
                let mut session = Session::new(course, store, lang, style, probes);
                if let Some(reporter) = class.reporter {
                    session = session.with_reporter(reporter);
                }
                if let Some(inbox) = class.inbox {
                    session = session.with_inbox(inbox);
                }
                match server {
                    Some(server) => session.with_server(server),
                    None => session,
                }
            }
        };
        shell::run(session, &data_dir.join("history.txt"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let emulator_dir = data_dir.join("emulator");
    // Two shells on one data folder would overwrite each other's progress and cloud.
    if let Some(endpoint) = emulator::running_endpoint(&emulator_dir) {
        anyhow::bail!(
            "another cloudlings shell is already running with the data folder {} (its emulator is at {endpoint}); use that one, or start this one with another --data-dir",
            data_dir.display()
        );
    }
    let emulator = start_emulator(&emulator_dir, own.ports, lang, style)?;
    if let Some(timeout) = own.drop_timeout {
        emulator.world.net.set_drop_timeout(timeout);
    }
    if let Some(plan) = own.free_plan {
        if let Some(account) = emulator.world.account(&emulator.credentials.account) {
            account.lock().free_plan = plan;
        }
        emulator.world.save()?;
    }
    emulator::announce(&emulator_dir, &emulator.endpoint())?;
    emulator::announce_console(&emulator_dir, &emulator.console_url())?;
    let mut probes = check::Context::new(cwd).with_target(Target::emulator(
        &emulator.endpoint(),
        &emulator.credentials,
    ));
    probes.files = files;
    let session = Session::new(course, store, lang, style, probes).with_emulator(
        emulator.world.clone(),
        emulator.credentials.account.clone(),
        emulator.addr,
        emulator.edge_addr.port(),
    );
    let result = shell::run(session, &data_dir.join("history.txt"));
    emulator::withdraw(&emulator_dir);
    result?;
    Ok(ExitCode::SUCCESS)
}

/// The shell's emulator on its usual ports (the API's, the edge's), or on any free one where
/// another program holds the usual one, which the learner is told: what a second terminal or a
/// browser kept of the old address no longer answers.
fn start_emulator(
    dir: &std::path::Path,
    (port, edge_port): (u16, u16),
    lang: Lang,
    style: Style,
) -> anyhow::Result<Emulator> {
    let free = |port: u16| {
        port == 0 || std::net::TcpListener::bind((std::net::Ipv4Addr::LOCALHOST, port)).is_ok()
    };
    let (api, edge) = (
        if free(port) { port } else { 0 },
        if free(edge_port) { edge_port } else { 0 },
    );
    let emulator = Emulator::start_with_edge(api, edge, Some(dir))?;
    if api != port {
        let notice = msg::port_taken(lang, port, emulator.addr.port());
        eprintln!("{}\n", style.bad(&notice));
    }
    if edge != edge_port {
        let notice = msg::edge_port_taken(lang, edge_port, emulator.edge_addr.port());
        eprintln!("{}\n", style.bad(&notice));
    }
    Ok(emulator)
}

/// `--target aws` at start: who is calling (said, with a warning for root), a new session,
/// and the journal of what earlier sessions made.
fn open_account(
    caller: crate::aws_target::Caller,
    aws: &crate::target::Aws,
    data_dir: &std::path::Path,
    lang: Lang,
    style: Style,
    guards: Guards,
) -> anyhow::Result<crate::aws_target::Account> {
    let (journal, recovery) = crate::aws_target::journal::Journal::open(data_dir)?;
    if let Some(recovery) = recovery {
        let moved_to = recovery.moved_to.display().to_string();
        eprintln!(
            "{}",
            style.bad(&crate::aws_target::messages::journal_recovered(
                lang,
                &recovery.reason,
                &moved_to
            ))
        );
    }
    let session = crate::aws_target::new_session_id();
    println!(
        "{}\n",
        crate::aws_target::messages::banner(
            lang,
            &caller,
            &aws.region,
            aws.region_chosen,
            &session,
            aws.endpoint_url.as_deref()
        )
    );
    let mut account = crate::aws_target::Account::new(caller, &aws.region, session, journal);
    account.yes = guards.yes;
    account.allow_root = guards.allow_root;
    Ok(account)
}

fn ssh_config(data_dir_arg: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let data_dir = data_dir(data_dir_arg)?;
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let program = std::env::current_exe().context("cannot tell where cloudlings is installed")?;
    let path = data_dir.join(emulator::net::openssh::CONFIG_FILE);
    let text = emulator::net::openssh::config(&program, &data_dir);
    cloudlings_core::atomic::write(&path, text.as_bytes())?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Wrote {}", path.display())?;
    writeln!(out, "Add this line at the top of ~/.ssh/config (once):")?;
    writeln!(out, "    Include \"{}\"", path.display())?;
    Ok(ExitCode::SUCCESS)
}

fn connect(
    data_dir_arg: Option<PathBuf>,
    host: &str,
    port: u16,
    endpoint: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let endpoint = match endpoint {
        Some(endpoint) => Some(endpoint.to_string()),
        None => emulator::running_endpoint(&data_dir(data_dir_arg)?.join("emulator")),
    };
    match emulator::net::openssh::connect(endpoint.as_deref(), host, port) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(reason) => {
            // What OpenSSH prints when it cannot connect itself: ssh shows it as its own.
            eprintln!("ssh: connect to host {host} port {port}: {reason}");
            Ok(ExitCode::from(255))
        }
    }
}

/// `--target endpoint`: the URL given, signed for with the keys the environment names (the
/// one place the learner's environment is read, and only when asked for).
fn endpoint_target(url: String) -> anyhow::Result<Target> {
    let key = |name: &str| {
        std::env::var(name)
            .with_context(|| format!("`--target endpoint` signs with {name}: set it"))
    };
    let mut endpoint = crate::target::Endpoint::new(
        url,
        key("AWS_ACCESS_KEY_ID")?,
        key("AWS_SECRET_ACCESS_KEY")?,
    );
    if let Ok(region) = std::env::var("AWS_REGION") {
        endpoint.region = region;
    }
    Ok(Target::Endpoint(endpoint))
}
