//! The lesson file format, version 1: what an author writes in `lessons/NN-topic.toml`.
//!
//! These structs are the format's single definition: serde reads files with them, schemars
//! turns them (doc comments included) into the JSON Schema that `cloudlings lesson schema`
//! prints for editors, and the book's format reference is generated from that schema. Two of
//! their pieces live lower down, because the layers below lessons use them too: [`Text`], which
//! a check's label is, and [`ExpectOp`], which a check compares with.
//!
//! Steps are one flat struct with a `kind` rather than a serde enum on purpose: serde buffers
//! tagged enums before reading them, which loses the position of a mistyped field. Flat structs
//! keep every error at its exact `line:col`, and [`super::load`] then checks which fields belong
//! to which kind, with messages that say so.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::check::ExpectOp;
use crate::text::Text;

/// The newest lesson format this cloudlings reads.
pub const FORMAT_VERSION: u32 = 1;

/// One lesson: a chapter of the course, made of steps the learner goes through in order.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cloudlings lesson")]
pub struct LessonFile {
    /// Version of the lesson format the file is written in. This cloudlings reads `1`; a file
    /// with a newer version is refused with a message asking for a newer cloudlings.
    pub format_version: u32,
    /// Stable identifier: lower-case letters, digits and dashes (`what-is-the-cloud`). Saved
    /// progress is keyed by it, so keep it when you edit the lesson.
    pub id: String,
    /// Position of the lesson in the course; lessons are listed in this order.
    pub order: u32,
    /// The lesson's title.
    pub title: Text,
    /// One or two sentences on what the learner will know or have done by the end.
    pub summary: Text,
    /// Ids of the lessons a learner should finish first.
    #[serde(default)]
    pub requires: Vec<String>,
    /// What the lesson takes and gives, shown before it starts in the shell and on top of its
    /// page in the book: how long it takes, what the learner builds, and what it costs on a
    /// real AWS account. Required: a missing overview is an error.
    #[serde(default)]
    pub overview: Option<OverviewFile>,
    /// The steps, in the order the learner meets them.
    pub steps: Vec<StepFile>,
    /// What the lesson's checks look at beyond the course folder (the folder cloudlings runs
    /// in) and the cloud the lesson runs on. A lesson reaches nothing else: its file probes
    /// see that folder only, its HTTP probes the emulated world or AWS's public names. What
    /// it declares here is shown to the learner, who allows it or not, once for each version
    /// of the file. The built-in lessons declare nothing.
    #[serde(default)]
    pub reach: Option<ReachFile>,
}

/// `reach = { files = [...], hosts = [...] }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReachFile {
    /// Paths outside the course folder, as probes name them: `~/.ssh/config`, or
    /// `/etc/myapp/` (ending in `/`: what is under it).
    #[serde(default)]
    pub files: Vec<String>,
    /// Host names or addresses on the real network that HTTP probes may ask: `example.com`.
    #[serde(default)]
    pub hosts: Vec<String>,
}

/// A lesson's overview: `[overview]` with `minutes`, `builds` and `aws_cost`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverviewFile {
    /// How long the lesson takes in a classroom, in minutes (1 to 240).
    pub minutes: u32,
    /// What the learner builds or does, in one sentence.
    pub builds: Text,
    /// What the lesson leaves billing on a real AWS account while it runs. cloudlings prices it
    /// from its own price table (the course's region, on-demand), so no dollar amount is typed
    /// here; an empty list means nothing is billed.
    #[serde(default)]
    pub aws_cost: Vec<CostFile>,
}

/// One thing a lesson bills on a real AWS account: an instance for some hours (with its public
/// IPv4 address and its gp3 root volume, as AWS bills them alongside), or a service used so
/// little that it costs under a cent. Either `instance` with `hours`, or `service`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostFile {
    /// An instance type of the price table (`t3.micro`), as launched on AWS.
    #[serde(default)]
    pub instance: Option<String>,
    /// The instance runs Windows (priced with its licence, and a 30 GiB root volume).
    #[serde(default)]
    pub windows: bool,
    /// How many hours the instance runs during the lesson (billed by the second after the
    /// first minute; round up to what a learner really spends).
    #[serde(default)]
    pub hours: Option<f64>,
    /// A service the lesson uses only a little: `s3` (a few KB stored) or `cloudfront` (a few
    /// requests, inside its always-free tier).
    #[serde(default)]
    pub service: Option<LightService>,
}

/// A service a lesson uses too little to be worth a price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LightService {
    /// A few KB in a bucket and a few requests.
    S3,
    /// A few requests through a distribution, inside the always-free tier.
    Cloudfront,
}

/// What a step asks of the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StepKindName {
    /// Text to read; done when the learner moves on.
    Read,
    /// A question: multiple choice (`choices` and `answer`), a number (`number`, `tolerance`)
    /// or a short text (`accept`).
    Quiz,
    /// Something to do, verified by `checks`, with `hints` and a `solution`.
    Task,
}

/// One step of a lesson.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    /// Stable identifier, unique within the lesson: lower-case letters, digits and dashes.
    /// Saved progress is keyed by it, so steps can be reordered or inserted without losing it.
    pub id: String,
    /// What the step asks of the learner.
    pub kind: StepKindName,
    /// A short title, shown above the text.
    #[serde(default)]
    pub title: Option<Text>,
    /// The step's text: the reading, the question, or the task's instructions.
    pub text: Text,
    /// Hints, revealed one at a time by `hint`, gentlest first.
    #[serde(default)]
    pub hints: Vec<Text>,
    /// Shown once the step is passed: why the answer is right, what the learner just did.
    #[serde(default)]
    pub explanation: Option<Text>,

    /// Quiz, multiple choice: the options, shown numbered from 1.
    #[serde(default)]
    pub choices: Option<Vec<Text>>,
    /// Quiz, multiple choice: the number (from 1) of the right option.
    #[serde(default)]
    pub answer: Option<u32>,
    /// Quiz, numeric: the right value, or a fact that gives it, `"{cost:t2.micro:10}"` (see
    /// `{price:…}` and the other facts in texts), so a price is never typed twice.
    #[serde(default)]
    pub number: Option<NumberFile>,
    /// Quiz, numeric: how far an answer may be from `number` and still count (default 0).
    #[serde(default)]
    pub tolerance: Option<f64>,
    /// Quiz, numeric: the unit the answer is given in, shown with the question (`USD`, `hours`).
    #[serde(default)]
    pub unit: Option<Text>,
    /// Quiz, short text: the accepted answers, compared ignoring case and extra spaces.
    #[serde(default)]
    pub accept: Option<Vec<String>>,

    /// Task: the conditions that must all hold for the step to pass.
    #[serde(default)]
    pub checks: Option<Vec<CheckFile>>,
    /// Task: commands that do the step, shown by `solution`.
    #[serde(default)]
    pub solution: Option<Vec<String>>,
    /// Task: `solution` is refused until the learner has tried: until a `check` of this step
    /// has failed at least once (or the step is passed). For steps that state a goal rather
    /// than the commands, a capstone say, where reading the answer first would skip the
    /// exercise. Hints stay available on request. The book shows such a solution folded.
    #[serde(default)]
    pub solution_after_attempt: Option<bool>,
    /// Task: values to remember once the step is passed (the id of the instance the learner
    /// launched, say), which later steps name in braces: `{instance_id}`.
    #[serde(default)]
    pub binds: Option<Vec<BindFile>>,
    /// Task: plausible wrong ways of doing the step (a name in other letters, a file in
    /// another folder, a different instance type), which `cloudlings lesson test --mistakes`
    /// replays to prove that the checks notice each one and that the advice of their reasons
    /// works from there.
    #[serde(default)]
    pub mistakes: Option<Vec<MistakeFile>>,

    /// How the step goes on a real AWS account (`--target aws`), which lacks what only the
    /// emulator has: its clock (`clock advance`), its bill (`probe.emulator = "bill"`) and its
    /// record of SSH logins (`"events"`). Shown after the text there. A task that uses any of
    /// them needs it; there, checks that cannot look are skipped and said to be.
    #[serde(default)]
    pub on_aws: Option<OnAwsFile>,

    /// How the step goes on a Windows computer, where a `!` line runs in PowerShell, not `sh`,
    /// and a file's privacy is its access list (`icacls`). Shown after the text there, and in
    /// the book. A task whose solution has a `!` line needs it, with PowerShell's lines.
    #[serde(default)]
    pub on_windows: Option<OnWindowsFile>,

    /// Task: how to do the step in the web console (`http://console.localhost:PORT/` on the
    /// emulator, the AWS Management Console on AWS), page by page as the lecture does it.
    /// Shown by `console` in the shell, and in the book. The step's checks are the same
    /// whichever way the learner goes.
    #[serde(default)]
    pub console: Option<ConsoleFile>,
}

/// A step done in the web console.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsoleFile {
    /// The pages, fields and buttons, in the console's own words in each language.
    pub text: Text,
}

/// A step on a Windows computer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OnWindowsFile {
    /// What differs there: the PowerShell commands, `icacls` for `chmod`.
    pub text: Text,
    /// Hints to show there instead of the step's, when those name `sh` commands.
    #[serde(default)]
    pub hints: Option<Vec<Text>>,
    /// Task: PowerShell's line for each `!` line of the step's solutions and mistakes that
    /// PowerShell runs otherwise, or the same line where it runs as written.
    #[serde(default)]
    pub commands: Option<Vec<WindowsCommandFile>>,
}

/// One `!` line and the line that does the same on Windows.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowsCommandFile {
    /// The line as the step writes it, for `sh`: `!printf '…' > cat.svg`.
    pub sh: String,
    /// What runs on Windows instead: `!Set-Content cat.svg '…'`.
    pub powershell: String,
}

/// A step on a real AWS account.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OnAwsFile {
    /// What to do there instead, or why the step is only read there.
    pub text: Text,
    /// Task: the commands that do the step there, when they differ from `solution` (a waiter
    /// where the emulator moves its clock).
    #[serde(default)]
    pub solution: Option<Vec<String>>,
}

/// A value a task step remembers for later steps, taken from the cloud when the step passes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BindFile {
    /// The name later texts, solutions and expected values use in braces: lower-case letters,
    /// digits and `_` (`instance_id` → `{instance_id}`).
    pub name: String,
    /// What to look at, as for a check.
    pub probe: ProbeFile,
    /// A JMESPath expression selecting the value from the probe's JSON.
    pub query: String,
}

/// One condition of a task, checked against the state of the world rather than what the
/// learner typed: probe something, pick a value out of it with `query`, compare with `expect`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckFile {
    /// The condition, as the learner sees it in the checklist ("key.pem is readable only by you").
    pub label: Text,
    /// Why the condition does not hold and what to do about it, shown when it fails.
    pub reason: Text,
    /// What to look at.
    pub probe: ProbeFile,
    /// A JMESPath expression selecting the value to compare from the probe's JSON (the aws
    /// CLI's `--query` language). Without it the whole JSON document is compared.
    #[serde(default)]
    pub query: Option<String>,
    /// How to compare the selected value.
    pub expect: ExpectOp,
    /// The value to compare with; required by the comparing operators, not allowed with
    /// `exists`, `absent`, `empty` and `not-empty`.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    /// Why this condition may already hold before the learner does the step (say, "port 22
    /// is not open to the world" holds while there is no group at all): it guards against a
    /// wrong way of doing the step while the step's other checks fail before it is done.
    /// `cloudlings lesson test` otherwise requires every check to fail before the solution.
    #[serde(default)]
    pub holds_before: Option<Text>,
    /// Particular ways the condition can fail, each with a reason of its own, tried in order
    /// when the check fails; `reason` is shown when none of them holds.
    #[serde(default)]
    pub cases: Option<Vec<CaseFile>>,
}

/// A particular way a check's condition can fail, with the reason that fits it: "there is a
/// user Admin" rather than "there is no user admin". When the check fails, its cases are tried
/// in order and the first that holds gives the reason shown; when none holds, the check's own
/// `reason` is. A case is written like a check: `query`, `expect` and `value`, on the check's
/// probe unless it names another.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// What to look at, when it is not what the check looks at (a file in another folder, say).
    #[serde(default)]
    pub probe: Option<ProbeFile>,
    /// A JMESPath expression selecting the value to compare from the probe's JSON. Without it
    /// the whole JSON document is compared.
    #[serde(default)]
    pub query: Option<String>,
    /// How to compare the selected value.
    pub expect: ExpectOp,
    /// The value to compare with, as for a check.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    /// Why the check fails in this case and what to do from here. Commands in backquotes are
    /// what `cloudlings lesson test --mistakes` runs when it follows the advice, so name them
    /// whole, with `{bindings}` rather than `<placeholders>`, wherever the lesson knows them.
    pub reason: Text,
}

/// A plausible mistake a learner makes on a task step, replayed by `cloudlings lesson test
/// --mistakes`: from the state before the step, it runs `run` (lines that fail are part of the
/// mistake), then the checks. Unless the mistake is `harmless`, some check must fail; the
/// rehearsal then does what the reasons say, running the commands they name in backquotes,
/// one failing check at a time, and every suggested command must work and the checks must
/// all pass in the end. A harmless mistake must pass the checks as it is.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MistakeFile {
    /// What the learner did, for reports: "the user is named Admin".
    pub name: String,
    /// The commands of the mistake, as the learner types them in the shell, with the lesson's
    /// `{bindings}` and the mistake's own.
    pub run: Vec<String>,
    /// Values the mistake's lines name, taken from the cloud afresh before each line: the id of
    /// an instance an earlier line launched, say, for a line that terminates it.
    #[serde(default)]
    pub binds: Option<Vec<BindFile>>,
    /// The mistake does no harm: the checks must pass after it (`chmod 600` where the lesson
    /// says `chmod 400`, say).
    #[serde(default)]
    pub harmless: bool,
}

/// What a check looks at. Exactly one field is set.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProbeFile {
    /// A path on the learner's machine, relative to the directory the shell runs in (`~/`
    /// means the home directory). Its JSON: `path`, `exists`, and for existing paths `kind`
    /// (`file`, `directory`, `symlink`, `other`), `mode` (`"0400"`), `size`, `sha256` for files
    /// up to 8 MiB, and `text` for UTF-8 files up to 64 KiB.
    #[serde(default)]
    pub file: Option<String>,
    /// A read-only AWS call against the learner's cloud, written as after `aws` on a command
    /// line: `"ec2 describe-instances"`, `"s3api get-bucket-policy --bucket {bucket}"`,
    /// `"cloudfront list-distributions"`. Its JSON is what `aws <call> --output json` prints;
    /// a service's refusal is `{"Error": {"Code": …, "Message": …}}`. `cloudlings lesson
    /// schema` and load errors list the calls checks can make.
    #[serde(default)]
    pub aws: Option<String>,
    /// An HTTP GET, as the learner's browser sends it: `"http://{instance_dns}/"`. Emulated
    /// instances are reached through the emulated network and its security groups. Its JSON:
    /// `url`, then `status`, `headers` (lower-case names), `size`, `sha256`, and `text` for
    /// UTF-8 bodies up to 64 KiB, with `images` for an HTML page (its `<img>` sources, each
    /// with `src`, and `url`, `scheme`, `host`, `path` resolved against the page's address);
    /// or `error` (`Connection refused`, `Connection timed out`).
    #[serde(default)]
    pub http: Option<String>,
    /// The first picture of a web page, as the browser showing the page fetches it:
    /// `"http://{instance_dns}/"`. The page is fetched as by `http`; its first `<img src>` is
    /// resolved against the page's address and fetched in turn (an `https://` picture over
    /// plain HTTP from the same host). Its JSON: `page`, `page_status`, the picture's `src`
    /// as written, `url`, `scheme`, `host` and `path`, then the picture's own `status`,
    /// `headers`, `size` and `sha256` (compare it with a file's `sha256` to know the bytes are
    /// the ones uploaded); or `error` when the page cannot be fetched or shows no picture.
    /// (An `http` probe of an HTML page lists all of its pictures in `images`, without
    /// fetching them.)
    #[serde(default)]
    pub image: Option<String>,
    /// What only the emulator knows: `"bill"` (this month's bill: `Lines[]` with `Usage`
    /// (`Instance`, `PublicIPv4`, `EBS`), `InstanceType`, `Hours` or `GBMonths`, `Cost`;
    /// `TotalCents`) or `"events"` (`Events[]`: SSH logins and
    /// command lines on the account's instances, with `Type` `login` or `command`,
    /// `InstanceId`, `User`, `Source`, `Command`, `ExitStatus`, `Time`).
    #[serde(default)]
    pub emulator: Option<String>,
}

/// A numeric answer: a number, or a fact in braces.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum NumberFile {
    Value(f64),
    Fact(String),
}

/// The JSON Schema of the lesson format, pretty-printed.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(LessonFile);
    serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n"
}
