//! `cloudlings doctor`: what the course needs on this machine, looked at one thing at a time,
//! each with what to do when it is missing. A beginner whose Korean shows as boxes, or whose
//! progress cannot be saved, gets the reason and the fix rather than a puzzle; the shell points
//! here when it meets one of these.
//!
//! What it looks at:
//! - the terminal's character set (the course prints Hangul, box drawing and ✓);
//! - a font with Hangul, when the course is in Korean (`fc-list` on Linux and the BSDs; macOS
//!   and Windows come with one);
//! - OpenSSH's `ssh`, which a learner needs only to connect from another terminal (the shell's
//!   own `ssh` is built in);
//! - the emulator's ports, and whether another cloudlings shell holds this data folder;
//! - the data folder, which must be writable for progress to be kept.

use std::io::{self, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};

use crate::lang::{Lang, Particle, tr};
use crate::style::Style;

/// How one thing stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Fine,
    /// Works, with something worth knowing.
    Note,
    /// The course cannot work as it should until it is fixed.
    Wrong,
}

/// One thing looked at: how it stands, what was seen, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub verdict: Verdict,
    pub said: String,
    pub fix: Option<String>,
}

impl Finding {
    fn fine(said: String) -> Finding {
        Finding {
            verdict: Verdict::Fine,
            said,
            fix: None,
        }
    }

    fn note(said: String, fix: String) -> Finding {
        Finding {
            verdict: Verdict::Note,
            said,
            fix: Some(fix),
        }
    }

    fn wrong(said: String, fix: String) -> Finding {
        Finding {
            verdict: Verdict::Wrong,
            said,
            fix: Some(fix),
        }
    }
}

/// The machine as the doctor sees it: what it reads from outside is given, so that tests can
/// give it.
pub struct Machine<'a> {
    pub lang: Lang,
    pub data_dir: &'a Path,
    /// The emulator's endpoint and edge ports the shell asks for.
    pub ports: (u16, u16),
    /// An environment variable.
    pub var: &'a dyn Fn(&str) -> Option<String>,
    /// The fonts with Hangul installed, by family (`None`: this machine cannot say).
    pub hangul_fonts: &'a dyn Fn() -> Option<Vec<String>>,
}

impl std::fmt::Debug for Machine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Machine")
            .field("lang", &self.lang)
            .field("data_dir", &self.data_dir)
            .field("ports", &self.ports)
            .finish_non_exhaustive()
    }
}

/// Everything looked at, in the order the course meets it.
pub fn examine(machine: &Machine<'_>) -> Vec<Finding> {
    let lang = machine.lang;
    let mut findings = vec![character_set(lang, machine.var)];
    if lang == Lang::Ko {
        findings.push(hangul(lang, (machine.hangul_fonts)()));
    }
    findings.push(openssh(lang, machine.var));
    findings.push(ports(lang, machine.data_dir, machine.ports));
    findings.push(data_folder(lang, machine.data_dir));
    findings
}

/// Prints the findings; whether nothing was wrong.
pub fn report(
    findings: &[Finding],
    lang: Lang,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<bool> {
    writeln!(
        out,
        "{}",
        tr!(
            lang,
            "What the course needs on this machine:",
            "이 컴퓨터에서 과정에 필요한 것:"
        )
    )?;
    for finding in findings {
        let mark = match finding.verdict {
            Verdict::Fine => style.good("✓"),
            Verdict::Note => style.command("!"),
            Verdict::Wrong => style.bad("✗"),
        };
        writeln!(out, "  {mark} {}", finding.said)?;
        if let Some(fix) = &finding.fix {
            for line in fix.lines() {
                writeln!(out, "      {}", style.dim(line))?;
            }
        }
    }
    let wrong = findings
        .iter()
        .filter(|finding| finding.verdict == Verdict::Wrong)
        .count();
    let summary = match wrong {
        0 => tr!(lang, "All set.", "모두 준비됐습니다."),
        n => tr!(
            lang,
            "{n} to fix before the course works as it should.",
            "과정이 제대로 동작하려면 {n}가지를 고쳐야 합니다."
        ),
    };
    writeln!(out, "\n{summary}")?;
    Ok(wrong == 0)
}

/// The character set the terminal's programs are told to speak, from the locale (`LC_ALL`,
/// then `LC_CTYPE`, then `LANG`).
fn character_set(lang: Lang, var: &dyn Fn(&str) -> Option<String>) -> Finding {
    if cfg!(windows) {
        return Finding::fine(tr!(
            lang,
            "Windows Terminal and PowerShell speak UTF-8.",
            "Windows 터미널과 PowerShell은 UTF-8을 씁니다."
        ));
    }
    let locale = locale(var);
    match (speaks_utf8(var), locale) {
        (true, Some(locale)) => Finding::fine(tr!(
            lang,
            "The terminal speaks UTF-8 ({locale}).",
            "터미널이 UTF-8을 씁니다({locale})."
        )),
        (_, locale) => {
            let locale = locale.unwrap_or_else(|| "C".to_string());
            Finding::wrong(
                tr!(
                    lang,
                    "The locale is {locale}, not UTF-8: Korean text, ✓ and the progress bars show as garbage.",
                    "로캘이 UTF-8이 아닌 {locale}입니다. 한글과 ✓, 진행 막대가 깨져 보입니다."
                ),
                tr!(
                    lang,
                    "Run `export LANG=C.UTF-8` (or en_US.UTF-8, ko_KR.UTF-8) and add it to ~/.bashrc or ~/.zshrc.",
                    "`export LANG=C.UTF-8`을 실행하고(en_US.UTF-8이나 ko_KR.UTF-8도 됩니다) ~/.bashrc나 ~/.zshrc에 추가하세요."
                ),
            )
        }
    }
}

/// The locale that decides the character set: `LC_ALL`, then `LC_CTYPE`, then `LANG`.
fn locale(var: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .into_iter()
        .filter_map(var)
        .find(|value| !value.is_empty())
}

/// Whether the locale speaks UTF-8 (Windows always does, for the course's purposes).
pub fn speaks_utf8(var: &dyn Fn(&str) -> Option<String>) -> bool {
    cfg!(windows)
        || locale(var).is_some_and(|locale| {
            let lower = locale.to_lowercase();
            lower.contains("utf-8") || lower.contains("utf8")
        })
}

/// A font with Hangul, without which the Korean course is boxes.
fn hangul(lang: Lang, fonts: Option<Vec<String>>) -> Finding {
    if cfg!(any(target_os = "macos", windows)) {
        return Finding::fine(tr!(
            lang,
            "This system comes with a font with Hangul.",
            "이 운영체제에는 한글 글꼴이 들어 있습니다."
        ));
    }
    match fonts {
        Some(fonts) if !fonts.is_empty() => {
            // The Korean cut of a CJK family, when there is one, names it best.
            let first = fonts
                .iter()
                .find(|family| family.ends_with(" KR"))
                .unwrap_or(&fonts[0]);
            Finding::fine(tr!(
                lang,
                "A font with Hangul is installed ({first}).",
                "한글 글꼴이 설치되어 있습니다({first})."
            ))
        }
        Some(_) => Finding::wrong(
            tr!(
                lang,
                "No font with Hangul is installed: Korean text shows as boxes.",
                "한글 글꼴이 설치되어 있지 않아 한글이 네모로 보입니다."
            ),
            tr!(
                lang,
                "Install one: `sudo apt install fonts-noto-cjk` (Debian, Ubuntu), `sudo dnf install google-noto-sans-cjk-fonts` (Fedora), then choose it in the terminal's settings.",
                "한글 글꼴을 설치하세요. `sudo apt install fonts-noto-cjk`(Debian, Ubuntu), `sudo dnf install google-noto-sans-cjk-fonts`(Fedora)로 설치한 뒤 터미널 설정에서 그 글꼴을 고르면 됩니다."
            ),
        ),
        None => Finding::note(
            tr!(
                lang,
                "Cannot tell which fonts are installed (no `fc-list`).",
                "설치된 글꼴을 확인할 수 없습니다(`fc-list`가 없습니다)."
            ),
            tr!(
                lang,
                "If Korean shows as boxes, install a font with Hangul, such as Noto Sans CJK, and choose it in the terminal's settings.",
                "한글이 네모로 보이면 Noto Sans CJK 같은 한글 글꼴을 설치하고 터미널 설정에서 고르세요."
            ),
        ),
    }
}

/// The families of the fonts with Hangul that fontconfig knows, if this machine has it.
pub fn hangul_fonts() -> Option<Vec<String>> {
    let out = std::process::Command::new("fc-list")
        .args([":lang=ko", "family"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let mut families: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.split(',').next())
        .map(|family| family.trim().to_string())
        .filter(|family| !family.is_empty())
        .collect();
    families.sort();
    families.dedup();
    Some(families)
}

/// OpenSSH's client, on the `PATH`.
fn openssh(lang: Lang, var: &dyn Fn(&str) -> Option<String>) -> Finding {
    let name = if cfg!(windows) { "ssh.exe" } else { "ssh" };
    let found = var("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    match found {
        Some(path) => {
            let path = path.display();
            Finding::fine(tr!(
                lang,
                "OpenSSH's ssh is at {path}.",
                "OpenSSH의 ssh가 {path}에 있습니다."
            ))
        }
        None => Finding::note(
            tr!(
                lang,
                "OpenSSH's ssh is not installed. The shell's own `ssh` works without it; you need it only to connect from another terminal (`cloudlings ssh-config`).",
                "OpenSSH의 ssh가 설치되어 있지 않습니다. 셸의 `ssh`는 없어도 동작하고, 다른 터미널에서 접속할 때(`cloudlings ssh-config`)만 필요합니다."
            ),
            tr!(
                lang,
                "Debian, Ubuntu: `sudo apt install openssh-client`. Windows: Settings > System > Optional features > OpenSSH Client. macOS has it.",
                "Debian, Ubuntu는 `sudo apt install openssh-client`, Windows는 설정 > 시스템 > 선택적 기능 > OpenSSH 클라이언트로 설치합니다. macOS에는 이미 있습니다."
            ),
        ),
    }
}

/// The emulator's ports: free, or held by another cloudlings shell on this data folder, or by
/// something else.
fn ports(lang: Lang, data_dir: &Path, (endpoint, edge): (u16, u16)) -> Finding {
    let emulator = data_dir.join("emulator");
    if let Some(running) = cloudlings_emulator::running_endpoint(&emulator) {
        return Finding::note(
            tr!(
                lang,
                "Another cloudlings shell is running with this data folder (its emulator is at {running}).",
                "이 데이터 폴더를 쓰는 다른 cloudlings 셸이 실행 중입니다(에뮬레이터 주소: {running})."
            ),
            tr!(
                lang,
                "Use that one, or start this one with another --data-dir.",
                "그 셸을 쓰거나, 이 셸을 다른 --data-dir로 시작하세요."
            ),
        );
    }
    let taken: Vec<u16> = [endpoint, edge]
        .into_iter()
        .filter(|port| *port != 0)
        .filter(|port| TcpListener::bind((Ipv4Addr::LOCALHOST, *port)).is_err())
        .collect();
    if taken.is_empty() {
        let free = [endpoint, edge]
            .iter()
            .filter(|port| **port != 0)
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        return Finding::fine(if free.is_empty() {
            tr!(
                lang,
                "The emulator takes any free port.",
                "에뮬레이터는 비어 있는 아무 포트나 씁니다."
            )
        } else {
            tr!(
                lang,
                "The emulator's ports are free ({free}).",
                "에뮬레이터가 쓸 포트가 비어 있습니다({free})."
            )
        });
    }
    let taken = taken
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let ga = Particle::IGa.after(&taken);
    Finding::note(
        tr!(
            lang,
            "Port {taken} is in use by another program: the emulator will take another free port.",
            "포트 {taken}{ga} 다른 프로그램에서 쓰이고 있어 에뮬레이터는 다른 빈 포트를 씁니다."
        ),
        tr!(
            lang,
            "Nothing to do: `cloudlings env` shows where it listens. To keep the usual port, stop the other program (LocalStack uses 4566 too).",
            "따로 할 일은 없습니다. 주소는 `cloudlings env`로 볼 수 있습니다. 원래 포트를 쓰려면 그 프로그램을 끄세요(LocalStack도 4566을 씁니다)."
        ),
    )
}

/// The data folder, where progress and the emulator's state are kept: it must take a file.
fn data_folder(lang: Lang, dir: &Path) -> Finding {
    let shown = dir.display().to_string();
    match try_writing(dir) {
        Ok(()) => Finding::fine(tr!(
            lang,
            "Progress is kept in {shown}.",
            "진행 기록은 {shown}에 저장됩니다."
        )),
        Err(error) => {
            let error = crate::strerror::strerror(&error);
            Finding::wrong(
                tr!(
                    lang,
                    "Cannot write in {shown} ({error}): progress would not be kept.",
                    "{shown}에 쓸 수 없어({error}) 진행 기록이 저장되지 않습니다."
                ),
                tr!(
                    lang,
                    "Start with `--data-dir` and a folder you can write, or give yourself the right to write there.",
                    "쓸 수 있는 폴더를 `--data-dir`로 지정하거나, 그 폴더에 쓰기 권한을 주세요."
                ),
            )
        }
    }
}

/// Makes the folder if needed and writes a file in it, then removes the file.
fn try_writing(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let probe: PathBuf = dir.join(format!(".doctor-{}", std::process::id()));
    std::fs::write(&probe, b"cloudlings")?;
    std::fs::remove_file(&probe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::tests::env;

    #[test]
    #[cfg(unix)]
    fn the_locale_decides_the_character_set_in_posix_order() {
        let fine = character_set(Lang::En, &env(&[("LANG", "ko_KR.UTF-8")]));
        assert_eq!(fine.verdict, Verdict::Fine);
        let overridden = character_set(Lang::En, &env(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")]));
        assert_eq!(overridden.verdict, Verdict::Wrong);
        let nothing = character_set(Lang::Ko, &env(&[]));
        assert_eq!(nothing.verdict, Verdict::Wrong);
        assert!(
            nothing.said.contains("UTF-8이 아닌 C입니다"),
            "{}",
            nothing.said
        );
    }

    #[test]
    #[cfg(not(any(target_os = "macos", windows)))]
    fn hangul_fonts_found_missing_or_unknown() {
        assert_eq!(
            hangul(Lang::Ko, Some(vec!["Noto Sans CJK KR".into()])).verdict,
            Verdict::Fine
        );
        let missing = hangul(Lang::Ko, Some(Vec::new()));
        assert_eq!(missing.verdict, Verdict::Wrong);
        assert!(missing.fix.expect("a fix").contains("fonts-noto-cjk"));
        assert_eq!(hangul(Lang::En, None).verdict, Verdict::Note);
    }

    /// Every Korean finding, in each state, written as a Korean would: no particle in both
    /// forms, and every particle after code agreeing with it.
    #[test]
    fn korean_findings_read_right() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"").expect("file");
        let held = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a port");
        let port = held.local_addr().expect("address").port();
        let ko = Lang::Ko;
        let findings = [
            character_set(ko, &env(&[("LANG", "ko_KR.UTF-8")])),
            character_set(ko, &env(&[("LANG", "C")])),
            hangul(ko, Some(vec!["Noto Sans CJK KR".into()])),
            hangul(ko, Some(Vec::new())),
            hangul(ko, None),
            openssh(ko, &env(&[("PATH", "/nonexistent")])),
            ports(ko, dir.path(), (port, 0)),
            ports(ko, dir.path(), (0, 0)),
            data_folder(ko, dir.path()),
            data_folder(ko, &file.join("data")),
        ];
        for finding in findings {
            for text in std::iter::once(&finding.said).chain(finding.fix.as_ref()) {
                assert_eq!(crate::lang::particle::both_forms(text), None, "{text}");
                assert_eq!(crate::lang::particle::after_code(text), None, "{text}");
            }
        }
    }

    #[test]
    fn a_taken_port_is_worth_knowing_and_a_folder_that_takes_no_file_is_wrong() {
        let dir = tempfile::tempdir().expect("dir");
        let held = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a port");
        let port = held.local_addr().expect("address").port();
        let taken = ports(Lang::Ko, dir.path(), (port, 0));
        assert_eq!(taken.verdict, Verdict::Note);
        assert!(
            taken.said.contains(&format!("포트 {port}")),
            "{}",
            taken.said
        );
        drop(held);
        assert_eq!(
            ports(Lang::En, dir.path(), (port, 0)).verdict,
            Verdict::Fine
        );

        let file = dir.path().join("a-file");
        std::fs::write(&file, b"").expect("file");
        let refused = data_folder(Lang::En, &file.join("data"));
        assert_eq!(refused.verdict, Verdict::Wrong);
        assert_eq!(data_folder(Lang::En, dir.path()).verdict, Verdict::Fine);
    }
}
