//! The shell's own `ssh`, `chmod` and `myip` against instances in its embedded emulator: the
//! lecture's `ssh -i key.pem ubuntu@<public DNS>`, with OpenSSH's questions, warnings and
//! errors, through a pipe and on a terminal.
//!
//! Each test prepares the learner's cloud in the shell's emulator state before the shell
//! starts (the way a second terminal with the aws CLI would), then drives the shell.

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use aws_sdk_ec2::Client;
use cloudlings_emulator::Emulator;

use crate::Cloudlings;
use crate::emulator::root;
use crate::instances::{Lab, chmod};

/// A learner's cloud: `key.pem` in the working folder, a security group, and a running Ubuntu
/// instance launched with that key pair, in the state of `shell`'s emulator.
pub struct Cloud {
    pub shell: Cloudlings,
    pub dns: String,
    pub ip: String,
    pub learner: String,
}

impl Cloud {
    /// A cloud whose group admits `ports` (22 from the learner's address, others from
    /// anywhere), with `key.pem` saved with `key_mode`.
    pub async fn new(key_mode: u32, ports: &[i32]) -> Cloud {
        // Dropped connections time out after a second rather than the default five.
        let shell = Cloudlings::new()
            .arg("--lang")
            .arg("en")
            .env("CLOUDLINGS_DROP_TIMEOUT", "1");
        let emulator =
            Emulator::start(0, Some(&shell.data_dir().join("emulator"))).expect("emulator");
        let lab = Lab::on(emulator).await;
        let learner = lab.learner.to_string();
        // The lab admits SSH from the learner and HTTP from all: take away what is not asked.
        if !ports.contains(&22) {
            lab.revoke(22, &format!("{learner}/32")).await;
        }
        if !ports.contains(&80) {
            lab.revoke(80, "0.0.0.0/0").await;
        }
        for &port in ports.iter().filter(|port| ![22, 80].contains(*port)) {
            lab.allow(port, "0.0.0.0/0").await;
        }
        let key = shell.work_dir().join("key.pem");
        std::fs::copy(&lab.key, &key).expect("key.pem for the shell");
        chmod(&key, key_mode);
        let machine = lab.ubuntu().await;
        // Saved for the shell to find, past the boot.
        lab.emulator.world.save().expect("save");
        Cloud {
            dns: machine.dns,
            ip: machine.ip,
            learner,
            shell,
        }
    }

    /// The lecture's command, without the host key question.
    pub fn ssh(&self, rest: &str) -> String {
        format!(
            "ssh -i key.pem -o StrictHostKeyChecking=accept-new ubuntu@{} {rest}",
            self.dns
        )
        .trim_end()
        .to_string()
    }

    pub fn mode(&self, file: &str) -> u32 {
        let path = self.shell.work_dir().join(file);
        std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
    }
}

/// Creates a key pair and saves its private key as the console's download would be saved.
pub async fn save_key(ec2: &Client, name: &str, path: &std::path::Path, mode: u32) {
    let pair = ec2
        .create_key_pair()
        .key_name(name)
        .send()
        .await
        .expect("CreateKeyPair");
    std::fs::write(path, pair.key_material().expect("key material")).expect("save the key");
    chmod(path, mode);
}

#[tokio::test]
async fn the_right_key_logs_in_and_commands_report_their_status() {
    let cloud = Cloud::new(0o400, &[22]).await;
    let whoami = cloud.ssh("whoami");
    let failing = cloud.ssh("false");
    let run = cloud
        .shell
        .session(&format!("{whoami}\n{failing}\nquit\n"))
        .success();
    let answer = run.answer_to(&whoami, 1);
    assert_eq!(
        answer,
        format!(
            "Warning: Permanently added '{}' (ED25519) to the list of known hosts.\nubuntu",
            cloud.dns
        )
    );
    assert_eq!(run.answer_to(&failing, 1), "(exited with 1)");
}

#[tokio::test]
async fn first_contact_asks_then_remembers_the_host() {
    let cloud = Cloud::new(0o400, &[22]).await;
    let ssh = format!("ssh -i \"key.pem\" ubuntu@{} hostname", cloud.dns);
    let by_address = format!("ssh -i key.pem ubuntu@{} hostname", cloud.ip);
    let run = cloud
        .shell
        .session(&format!("{ssh}\nmaybe\nyes\n{ssh}\n{by_address}\nno\n"))
        .success();
    let stdout = run.stdout();
    let question = format!(
        "The authenticity of host '{dns} ({ip})' can't be established.\n\
         ED25519 key fingerprint is SHA256:",
        dns = cloud.dns,
        ip = cloud.ip
    );
    assert!(stdout.contains(&question), "{stdout}");
    assert!(
        stdout.contains(
            "This key is not known by any other names.\n\
             Are you sure you want to continue connecting (yes/no/[fingerprint])? maybe\n\
             Please type 'yes', 'no' or the fingerprint: yes\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "Warning: Permanently added '{}' (ED25519) to the list of known hosts.\nip-172-31-",
            cloud.dns
        )),
        "{stdout}"
    );
    let known = std::fs::read_to_string(cloud.shell.data_dir().join("known_hosts"))
        .expect("known_hosts written");
    assert!(
        known.starts_with(&format!("{} ssh-ed25519 AAAA", cloud.dns)),
        "{known}"
    );
    // The second time is silent.
    let again = run.answer_to(&ssh, 2);
    assert!(
        again.starts_with("ip-172-31-") && !again.contains('\n'),
        "{again}"
    );
    // The same key under its address is recognised as known by another name; "no" refuses.
    let other = run.answer_to(&by_address, 1);
    assert!(
        other.contains("This host key is known by the following other names/addresses:")
            && other.contains(&format!("known_hosts:1: {}", cloud.dns)),
        "{other}"
    );
    assert!(
        stdout.contains("Host key verification failed.\n(exited with 255)"),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_wrong_key_or_user_is_denied() {
    let cloud = Cloud::new(0o400, &[22]).await;
    {
        let emulator =
            Emulator::start(0, Some(&cloud.shell.data_dir().join("emulator"))).expect("emulator");
        let ec2 = Client::new(&root(&emulator));
        save_key(
            &ec2,
            "other",
            &cloud.shell.work_dir().join("other.pem"),
            0o600,
        )
        .await;
    }
    let wrong_key = format!(
        "ssh -o StrictHostKeyChecking=no -i other.pem ubuntu@{} whoami",
        cloud.dns
    );
    let wrong_user = format!(
        "ssh -o StrictHostKeyChecking=no -i key.pem ec2-user@{} whoami",
        cloud.dns
    );
    let missing = format!(
        "ssh -o StrictHostKeyChecking=no -i nothere.pem ubuntu@{} whoami",
        cloud.dns
    );
    let run = cloud
        .shell
        .session(&format!("{wrong_key}\n{wrong_user}\n{missing}\n"))
        .success();
    let denied = run.answer_to(&wrong_key, 1);
    assert!(
        denied.contains(&format!(
            "ubuntu@{}: Permission denied (publickey).\nHint: the server did not accept the key.",
            cloud.dns
        )) && denied.ends_with("(exited with 255)"),
        "{denied}"
    );
    assert!(run.answer_to(&wrong_user, 1).contains(&format!(
        "ec2-user@{}: Permission denied (publickey).",
        cloud.dns
    )));
    let missing = run.answer_to(&missing, 1);
    assert!(
        missing.starts_with(
            "Warning: Identity file nothere.pem not accessible: No such file or directory.\n"
        ) && missing.contains(&format!(
            "ubuntu@{}: Permission denied (publickey).",
            cloud.dns
        )) && missing.contains("Hint: there is no nothere.pem in "),
        "{missing}"
    );
}

#[tokio::test]
async fn an_open_key_is_refused_until_chmod_400() {
    let cloud = Cloud::new(0o644, &[22]).await;
    let ssh = cloud.ssh("whoami");
    let run = cloud
        .shell
        .session(&format!("{ssh}\nchmod 400 key.pem\n{ssh}\nquit\n"))
        .success();
    let refused = run.answer_to(&ssh, 1);
    let warning = format!(
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n\
         @         WARNING: UNPROTECTED PRIVATE KEY FILE!          @\n\
         @@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n\
         Permissions 0644 for 'key.pem' are too open.\n\
         It is required that your private key files are NOT accessible by others.\n\
         This private key will be ignored.\n\
         Load key \"key.pem\": bad permissions\n\
         ubuntu@{}: Permission denied (publickey).\n\
         Hint: others on this computer could read key.pem, so ssh refused to use it. \
         Make it yours alone with `chmod 400 key.pem`, then run ssh again.\n\
         (exited with 255)",
        cloud.dns
    );
    assert!(refused.ends_with(&warning), "{refused}");
    assert_eq!(run.answer_to("chmod 400 key.pem", 1), "");
    assert_eq!(cloud.mode("key.pem"), 0o400);
    assert_eq!(run.answer_to(&ssh, 2), "ubuntu");
}

#[tokio::test]
async fn a_group_without_port_22_times_out() {
    let cloud = Cloud::new(0o400, &[80]).await;
    let ssh = cloud.ssh("whoami");
    let nowhere = "ssh -i key.pem ubuntu@nowhere.invalid";
    let started = std::time::Instant::now();
    let run = cloud
        .shell
        .session(&format!("{ssh}\n{nowhere}\n"))
        .success();
    assert!(started.elapsed() >= Duration::from_secs(1));
    let answer = run.answer_to(&ssh, 1);
    assert!(
        answer.starts_with(&format!(
            "ssh: connect to host {} port 22: Connection timed out\nHint: nothing answered.",
            cloud.dns
        )) && answer.ends_with("(exited with 255)"),
        "{answer}"
    );
    let unresolved = run.answer_to(nowhere, 1);
    assert!(
        unresolved.starts_with("ssh: Could not resolve hostname nowhere.invalid: "),
        "{unresolved}"
    );
}

#[tokio::test]
async fn a_piped_session_feeds_the_remote_shell_until_it_exits() {
    let cloud = Cloud::new(0o400, &[22]).await;
    let ssh = cloud.ssh("");
    let run = cloud
        .shell
        .session(&format!("{ssh}\nhostname\nwhoami\nexit\nmyip\n"))
        .success();
    let login = run.answer_to(&ssh, 1);
    assert!(
        login.ends_with("Pseudo-terminal will not be allocated because stdin is not a terminal."),
        "{login}"
    );
    let stdout = run.stdout();
    let prompt = format!("ubuntu@{} › ", cloud.dns);
    assert!(
        stdout.contains(&format!("{prompt}hostname\nip-172-31-")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{prompt}whoami\nubuntu\n")),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("{prompt}exit\n")), "{stdout}");
    // Back in cloudlings after `exit`.
    assert!(
        run.answer_to("myip", 1).starts_with(&cloud.learner),
        "{stdout}"
    );

    // The input ending ends the remote shell too.
    let ended = cloud.shell.session(&format!("{ssh}\nwhoami\n")).success();
    assert!(
        ended.stdout().contains("ubuntu\nYour progress is saved."),
        "{}",
        ended.stdout()
    );
}

#[tokio::test]
async fn myip_and_chmod_on_the_learner_s_files() {
    let cloud = Cloud::new(0o644, &[]).await;
    std::fs::create_dir(cloud.shell.work_dir().join("lab")).expect("folder");
    let run = cloud
        .shell
        .session(
            "myip\ncurl -s https://checkip.amazonaws.com\nchmod 600 key.pem\nchmod go-rwx,u+x lab\nchmod u+x nothing\nchmod 999 key.pem\n",
        )
        .success();
    let myip = run.answer_to("myip", 1);
    assert_eq!(
        myip,
        format!(
            "{ip}\nA security group rule for \"My IP\" (only this computer) allows {ip}/32.",
            ip = cloud.learner
        )
    );
    assert_eq!(
        run.answer_to("curl -s https://checkip.amazonaws.com", 1),
        cloud.learner
    );
    assert_eq!(cloud.mode("key.pem"), 0o600);
    assert_eq!(cloud.mode("lab"), 0o700);
    assert_eq!(
        run.answer_to("chmod u+x nothing", 1),
        "chmod: cannot access 'nothing': No such file or directory\n(exited with 1)"
    );
    assert!(run.answer_to("chmod 999 key.pem", 1).starts_with(
        "chmod: invalid mode: '999'\nTry 'chmod --help' for more information.\n(exited with 1)\n"
    ));
}

#[tokio::test]
async fn an_interactive_login_on_a_terminal() {
    use expectrl::{Expect, Session};
    let cloud = Cloud::new(0o400, &[22]).await;
    let mut command = cloud.shell.command();
    command.env("TERM", "xterm").env("NO_COLOR", "1");
    let mut term = Session::spawn(command).expect("spawn on a pty");
    term.set_expect_timeout(Some(Duration::from_secs(20)));
    term.expect("cloudlings › ").expect("first prompt");
    term.send(format!("{}\r", cloud.ssh(""))).expect("type ssh");
    term.expect("Welcome to Ubuntu").expect("the login banner");
    term.expect("ubuntu@ip-172-31-").expect("the Ubuntu prompt");
    term.expect(":~$ ").expect("the prompt's end");
    term.send("hostname\r").expect("type hostname");
    term.expect("\r\nip-172-31-").expect("the host's name");
    term.expect(":~$ ").expect("the prompt again");
    term.send("exit\r").expect("type exit");
    term.expect(format!("Connection to {} closed.", cloud.dns))
        .expect("OpenSSH's goodbye");
    term.expect("cloudlings › ").expect("back in cloudlings");
    term.send("myip\r").expect("type myip");
    term.expect(cloud.learner.as_str())
        .expect("the shell works again");
    term.send("quit\r").expect("quit");
    term.expect("See you next time!").expect("quits");
}

/// The shell's ssh tells the instance the learner's language: the emulation's notes follow it.
#[tokio::test]
async fn the_instance_writes_its_notes_in_the_shells_language() {
    let cloud = Cloud::new(0o400, &[22]).await;
    let man = cloud.ssh("man ls");
    let run = cloud
        .shell
        .session(&format!("{man}\nlang ko\n{man}\nquit\n"))
        .success();
    let english = run.answer_to(&man, 1);
    assert!(
        english.contains("this emulated instance has no manual pages"),
        "{english}"
    );
    let korean = run.answer_to(&man, 2);
    assert!(
        korean.contains("에뮬레이션된 인스턴스에는 매뉴얼 페이지가 없습니다"),
        "{korean}"
    );
}
