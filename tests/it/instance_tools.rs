//! The tools a learner who knows a real VM reaches for, on an emulated instance through
//! OpenSSH on a real terminal: nano and vi writing files, Tab completing paths, `sleep` and
//! Ctrl-C, and `ping` as security groups answer it, both ways.

use std::time::Duration;

use aws_sdk_ec2::types::{IpPermission, IpRange};
use expectrl::{ControlCode, Expect, Session};

use crate::emulator::raw_get;
use crate::instances::{Lab, Machine};

/// An interactive login over `ssh -tt` on a PTY, at its first prompt.
fn terminal(lab: &Lab, machine: &Machine) -> expectrl::session::OsSession {
    let mut command = lab.ssh(&format!("ubuntu@{}", machine.dns));
    // The PTY is the terminal: stdin too (the lab's command reads from /dev/null).
    command
        .arg("-tt")
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::inherit());
    let mut term = Session::spawn(command).expect("ssh on a pty");
    term.set_expect_timeout(Some(Duration::from_secs(20)));
    term.expect(":~$ ").expect("the first prompt");
    term
}

/// Sends a line and waits for the prompt after it, returning what came before it.
fn line(term: &mut expectrl::session::OsSession, text: &str) -> String {
    term.send(format!("{text}\r")).expect("type");
    let found = term.expect(":~$ ").expect("the prompt after the line");
    String::from_utf8_lossy(found.before()).into_owned()
}

#[tokio::test]
async fn nano_and_vi_write_files_through_a_real_terminal() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let mut term = terminal(&lab, &machine);
    term.send("nano index.html\r").expect("type");
    term.expect("GNU nano 7.2").expect("nano's title bar");
    term.expect("[ New File ]").expect("a new file");
    term.send("<h1>Hello</h1>").expect("type");
    term.send(ControlCode::ShiftIn).expect("ctrl-o");
    term.expect("File Name to Write: index.html")
        .expect("nano asks for the name");
    term.send("\r").expect("enter");
    term.expect("[ Wrote 1 line ]").expect("written");
    term.send(ControlCode::Cancel).expect("ctrl-x");
    term.expect(":~$ ").expect("back at the prompt");
    assert!(line(&mut term, "cat index.html").contains("<h1>Hello</h1>"));
    term.send("vi notes.txt\r").expect("type");
    term.expect("\"notes.txt\" [New]").expect("vi opened");
    term.send("ihi from vi").expect("type");
    term.send(ControlCode::Escape).expect("esc");
    term.send(":q\r").expect("type");
    term.expect("E37: No write since last change (add ! to override)")
        .expect("vi refuses to lose the change");
    term.send(":wq\r").expect("type");
    term.expect(":~$ ").expect("back at the prompt");
    assert!(line(&mut term, "cat notes.txt").contains("hi from vi"));
    // Without sudo the web root is root's.
    line(
        &mut term,
        "sudo apt-get update -qq && sudo apt-get install -y -qq nginx",
    );
    term.send("nano /var/www/html/index.html\r").expect("type");
    term.expect("GNU nano 7.2").expect("nano");
    term.send("x").expect("type");
    term.send(ControlCode::ShiftIn).expect("ctrl-o");
    term.send("\r").expect("enter");
    term.expect("Error writing /var/www/html/index.html: Permission denied")
        .expect("refused without sudo");
    term.send(ControlCode::Cancel).expect("ctrl-x");
    term.expect("Save modified buffer?").expect("asks");
    term.send("n").expect("no");
    term.expect(":~$ ").expect("back at the prompt");
}

#[tokio::test]
async fn sleep_waits_and_ctrl_c_interrupts_it_and_tab_completes_paths() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let mut term = terminal(&lab, &machine);
    term.send("sleep 30; echo finished\r").expect("type");
    // The prompt does not come back while sleep runs.
    term.set_expect_timeout(Some(Duration::from_secs(2)));
    assert!(term.expect(":~$ ").is_err(), "sleep returned at once");
    term.set_expect_timeout(Some(Duration::from_secs(20)));
    term.send(ControlCode::EndOfText).expect("ctrl-c");
    term.expect("^C").expect("echoed");
    term.expect(":~$ ").expect("the prompt after ctrl-c");
    let status = line(&mut term, "echo status=$?");
    assert!(status.contains("status=130"), "{status}");
    assert!(!status.contains("finished"), "{status}");
    line(
        &mut term,
        "mkdir -p site/css && echo done > site/index.html",
    );
    term.send("cat si").expect("type");
    term.send(ControlCode::HorizontalTabulation).expect("tab");
    term.send("in").expect("type");
    term.send(ControlCode::HorizontalTabulation).expect("tab");
    let out = line(&mut term, "");
    assert!(out.contains("cat site/index.html"), "{out}");
    assert!(out.contains("done"), "{out}");
    term.send("ls site/").expect("type");
    term.send(ControlCode::HorizontalTabulation).expect("tab");
    term.send(ControlCode::HorizontalTabulation).expect("tab");
    term.expect("css/        index.html")
        .expect("the second tab lists the choices");
    term.send(ControlCode::EndOfText).expect("ctrl-c");
    term.expect(":~$ ").expect("prompt");
}

#[tokio::test]
async fn ping_is_dropped_until_the_group_admits_icmp() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let mut term = terminal(&lab, &machine);
    let dropped = line(&mut term, &format!("ping -c 2 {}", machine.ip));
    assert!(
        dropped.contains("2 packets transmitted, 0 received, 100% packet loss"),
        "{dropped}"
    );
    assert!(!dropped.contains("64 bytes from"), "{dropped}");
    lab.ec2
        .authorize_security_group_ingress()
        .group_id(&lab.group)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("icmp")
                .from_port(-1)
                .to_port(-1)
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .expect("AuthorizeSecurityGroupIngress");
    term.send(format!("ping {}\r", machine.ip)).expect("type");
    term.expect("icmp_seq=2")
        .expect("replies come once a second");
    term.send(ControlCode::EndOfText).expect("ctrl-c");
    let stats = term.expect(":~$ ").expect("statistics, then the prompt");
    let stats = String::from_utf8_lossy(stats.before()).into_owned();
    assert!(stats.contains(" ping statistics ---"), "{stats}");
    assert!(stats.contains("0% packet loss"), "{stats}");
    assert!(stats.contains("rtt min/avg/max/mdev = "), "{stats}");
}

#[tokio::test]
async fn python_http_server_serves_the_folder_to_the_learner_until_ctrl_c() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    lab.allow(8000, "0.0.0.0/0").await;
    let mut term = terminal(&lab, &machine);
    line(&mut term, "echo '<h1>Hi from python</h1>' > index.html");
    term.send("python3 -m http.server\r").expect("type");
    term.expect("Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ...")
        .expect("python's banner");
    let url = format!("http://{}:8000/", machine.ip);
    let page = raw_get(lab.emulator.addr, &format!("{}:8000", machine.ip), &url);
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains("Hi from python"));
    term.expect("\"GET / HTTP/1.1\" 200 -")
        .expect("the access log line");
    term.send(ControlCode::EndOfText).expect("ctrl-c");
    term.expect("Keyboard interrupt received, exiting.")
        .expect("python's goodbye");
    term.expect(":~$ ").expect("the prompt");
    let closed = raw_get(lab.emulator.addr, &format!("{}:8000", machine.ip), &url);
    assert_eq!(closed.status, 502, "nothing listens after ctrl-c");
}

#[tokio::test]
async fn top_quits_on_q_and_ctrl_c_ends_a_curl_that_hangs() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let mut term = terminal(&lab, &machine);
    term.send("top\r").expect("type");
    // A t2.micro: 1 GiB, less what the kernel keeps.
    term.expect("MiB Mem :    957.").expect("top's memory line");
    term.expect("    PID USER      PR  NI")
        .expect("the process table");
    term.send("q").expect("q");
    term.expect(":~$ ").expect("the prompt after top");
    // Port 81 is in no rule: the connection hangs until Ctrl-C.
    term.send(format!("curl http://{}:81/\r", machine.ip))
        .expect("type");
    term.send(ControlCode::EndOfText).expect("ctrl-c");
    term.expect("^C").expect("echoed");
    term.expect(":~$ ").expect("the prompt after ctrl-c");
    let status = line(&mut term, "echo status=$?");
    assert!(status.contains("status=130"), "{status}");
    assert!(!status.contains("curl: (28)"), "{status}");
}

#[tokio::test]
async fn a_ping_leaves_only_through_an_outbound_rule_and_its_replies_need_none() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let icmp = |cidr: &str| {
        IpPermission::builder()
            .ip_protocol("icmp")
            .from_port(-1)
            .to_port(-1)
            .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
            .build()
    };
    lab.ec2
        .authorize_security_group_ingress()
        .group_id(&lab.group)
        .ip_permissions(icmp("0.0.0.0/0"))
        .send()
        .await
        .expect("AuthorizeSecurityGroupIngress");
    let mut term = terminal(&lab, &machine);
    // The instance pings its own public address: out through its group, back in through it.
    let answered = line(&mut term, &format!("ping -c 1 {}", machine.ip));
    assert!(
        answered.contains("1 received, 0% packet loss"),
        "{answered}"
    );
    let all_traffic = IpPermission::builder()
        .ip_protocol("-1")
        .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
        .build();
    lab.ec2
        .revoke_security_group_egress()
        .group_id(&lab.group)
        .ip_permissions(all_traffic)
        .send()
        .await
        .expect("RevokeSecurityGroupEgress");
    let dropped = line(&mut term, &format!("ping -c 1 {}", machine.ip));
    assert!(
        dropped.contains("0 received, 100% packet loss"),
        "{dropped}"
    );
    // The SSH session this test types into still works: replies need no outbound rule.
    lab.ec2
        .authorize_security_group_egress()
        .group_id(&lab.group)
        .ip_permissions(icmp(&format!("{}/32", machine.ip)))
        .send()
        .await
        .expect("AuthorizeSecurityGroupEgress");
    let again = line(&mut term, &format!("ping -c 1 {}", machine.ip));
    assert!(again.contains("1 received, 0% packet loss"), "{again}");
}

/// The emulation's notes follow the language the SSH client sends: OpenSSH's `LANG`, or the
/// variable cloudlings' own client sends; the instance's own messages stay in English.
#[tokio::test]
async fn the_emulations_notes_follow_the_language_the_client_sends() {
    let lab = Lab::new().await;
    let machine = lab.ubuntu().await;
    let destination = format!("ubuntu@{}", machine.dns);
    let man = |env: Option<&str>| {
        let mut command = lab.ssh(&destination);
        if let Some(env) = env {
            command.arg("-o").arg(format!("SetEnv={env}"));
        }
        let output = command.arg("man ls").output().expect("run ssh");
        let said = [output.stdout, output.stderr].concat();
        String::from_utf8_lossy(&said).into_owned()
    };
    let english = man(None);
    assert!(
        english.contains("man: this emulated instance has no manual pages"),
        "{english}"
    );
    let korean = man(Some("LANG=ko_KR.UTF-8"));
    assert!(
        korean.contains("man: 에뮬레이션된 인스턴스에는 매뉴얼 페이지가 없습니다"),
        "{korean}"
    );
    let ours = man(Some(&format!(
        "{}=ko",
        cloudlings_core::locale::LANGUAGE_VARIABLE
    )));
    assert!(ours.contains("매뉴얼 페이지가 없습니다"), "{ours}");
}
