//! A shell fed a terminal's bytes ([`cloudlings::shell::Stream`]), as a classroom's browser
//! terminal feeds it: echo, line editing and completion come from the line discipline, output
//! comes back with `\r\n`, and the learner's computer is an emulated workstation.

use cloudlings::check;
use cloudlings::lang::Lang;
use cloudlings::lesson::Course;
use cloudlings::progress::Store;
use cloudlings::shell::{Session, Stream};
use cloudlings::style::Style;
use cloudlings::workstation::{Emulated, Workstation};

fn stream(data: &std::path::Path) -> (Stream, String) {
    let (store, _) = Store::open(data).expect("store");
    let mut probes = check::Context::new(data.to_path_buf());
    probes.files = Workstation::Emulated(Emulated::in_memory());
    let session = Session::new(Course::embedded(), store, Lang::En, Style::plain(), probes);
    let (stream, screen) = Stream::start(session);
    (stream, String::from_utf8(screen).expect("text"))
}

fn feed(stream: &mut Stream, keys: &[u8]) -> String {
    String::from_utf8(stream.feed(keys)).expect("text")
}

#[test]
fn a_terminal_s_keys_run_the_shell_and_its_output_comes_back_for_a_raw_terminal() {
    let data = tempfile::tempdir().expect("data");
    let (mut stream, greeting) = stream(data.path());
    assert!(
        greeting.starts_with("Welcome to cloudlings") && greeting.ends_with("cloudlings › "),
        "{greeting:?}"
    );
    assert!(!greeting.replace("\r\n", "").contains('\n'), "{greeting:?}");

    // Typed a key at a time, each echoed; Enter runs the line.
    let mut shown = String::new();
    for key in "lessons".bytes() {
        shown.push_str(&feed(&mut stream, &[key]));
    }
    assert_eq!(shown, "lessons");
    let listed = feed(&mut stream, b"\r");
    assert!(
        listed.starts_with("\r\nLessons:\r\n") && listed.ends_with("cloudlings › "),
        "{listed:?}"
    );

    // Tab completes from the shell's own words; Ctrl-C drops the line.
    assert_eq!(feed(&mut stream, b"les\t"), "lessons ");
    assert_eq!(feed(&mut stream, b"\x03"), "^C\r\ncloudlings › ");

    // A pasted block runs line by line, on the learner's emulated computer.
    let pasted = feed(
        &mut stream,
        b"!echo one > note.txt\r!cat note.txt\r!whoami\r",
    );
    assert!(pasted.contains("\r\none\r\n"), "{pasted:?}");
    assert!(pasted.contains("\r\nlearner\r\n"), "{pasted:?}");
    assert_eq!(pasted.matches("cloudlings › ").count(), 3, "{pasted:?}");

    // A typo gets the shell's pointer; Ctrl-D on an empty line ends it, saving progress.
    let typo = feed(&mut stream, b"lesons\r");
    assert!(typo.contains("lessons"), "{typo:?}");
    assert!(!stream.ended());
    let bye = feed(&mut stream, b"\x04");
    assert!(bye.contains("Your progress is saved"), "{bye:?}");
    assert!(stream.ended());
    assert_eq!(
        feed(&mut stream, b"lessons\r"),
        "",
        "nothing runs after the end"
    );
}

#[test]
fn one_learner_s_ctrl_c_stops_only_their_own_command() {
    let data = tempfile::tempdir().expect("data");
    let (mut stream, _) = stream(data.path());
    let flag = stream.interrupt();
    // Raised before the line runs, as when Ctrl-C arrives while the previous one ran: the
    // shell forgets it when the next command starts.
    flag.raise();
    let ran = feed(&mut stream, b"!echo still here\r");
    assert!(ran.contains("still here"), "{ran:?}");
    assert!(!cloudlings::interrupt::process().requested());
}
