//! The notes the emulation adds where it differs from a real instance ("this emulated
//! instance has no manual pages"), in the learner's language. The instance's own messages
//! stay as Ubuntu prints them, in English; only these notes, which speak to the learner about
//! the emulation, follow the learner. The SSH client says which language it is
//! ([`NoteLang::from_env`]), as OpenSSH sends `LANG`.

/// The language of the emulation's notes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NoteLang {
    #[default]
    En,
    Ko,
}

pub use cloudlings_core::locale::LANGUAGE_VARIABLE;

impl NoteLang {
    /// The language an SSH `env` request names, if it names one: `LANG=ko_KR.UTF-8` (as
    /// OpenSSH sends it), `LC_ALL`, `LC_MESSAGES`, or cloudlings' own variable.
    pub fn from_env(name: &str, value: &str) -> Option<NoteLang> {
        let locale = matches!(name, "LANG" | "LC_ALL" | "LC_MESSAGES" | LANGUAGE_VARIABLE);
        if !locale || value.is_empty() {
            return None;
        }
        Some(if value.starts_with("ko") {
            NoteLang::Ko
        } else {
            NoteLang::En
        })
    }
}

pub(crate) fn no_program(lang: NoteLang, name: &str) -> String {
    match lang {
        NoteLang::En => format!("{name}: this program does not run in the emulated instance\n"),
        NoteLang::Ko => {
            format!("{name}: 이 프로그램은 에뮬레이션된 인스턴스에서 실행되지 않습니다\n")
        }
    }
}

pub(crate) fn truncated(lang: NoteLang) -> &'static str {
    match lang {
        NoteLang::En => "\n[output truncated by the emulated terminal]\n",
        NoteLang::Ko => "\n[에뮬레이션된 터미널이 출력을 잘랐습니다]\n",
    }
}

pub(crate) fn no_python(lang: NoteLang) -> &'static str {
    match lang {
        NoteLang::En => {
            "python3: this emulated instance has no Python interpreter. What runs here:\n  \
             python3 -m http.server [PORT]   serves this folder on PORT (8000) until Ctrl-C\n  \
             sudo apt install -y nginx       a web server for /var/www/html on port 80\n"
        }
        NoteLang::Ko => {
            "python3: 에뮬레이션된 인스턴스에는 파이썬 인터프리터가 없습니다. 여기서 되는 것:\n  \
             python3 -m http.server [PORT]   Ctrl-C를 누를 때까지 이 폴더를 PORT(8000)로 내보냅니다\n  \
             sudo apt install -y nginx       80번 포트로 /var/www/html을 내보내는 웹 서버\n"
        }
    }
}

pub(crate) fn hostname_kept(lang: NoteLang, new: &str) -> String {
    match lang {
        NoteLang::En => {
            format!("hostname: the emulated instance keeps its name; {new} is not set\n")
        }
        NoteLang::Ko => format!(
            "hostname: 에뮬레이션된 인스턴스는 이름을 그대로 둡니다. {new} 이름은 설정되지 않았습니다\n"
        ),
    }
}

pub(crate) fn env_runs_nothing(lang: NoteLang, first: &str) -> String {
    match lang {
        NoteLang::En => format!(
            "env: ‘{first}’: running programs through env is not supported in this emulated \
             instance; run it directly\n"
        ),
        NoteLang::Ko => format!(
            "env: ‘{first}’: 에뮬레이션된 인스턴스에서는 env로 프로그램을 실행할 수 없습니다. \
             직접 실행하세요\n"
        ),
    }
}

pub(crate) fn no_manual(lang: NoteLang, page: &str, link: &str) -> String {
    match lang {
        NoteLang::En => format!(
            "man: this emulated instance has no manual pages. The page for {page} is online:\n  \
             {link}\n"
        ),
        NoteLang::Ko => format!(
            "man: 에뮬레이션된 인스턴스에는 매뉴얼 페이지가 없습니다. {page} 페이지는 온라인에 \
             있습니다:\n  {link}\n"
        ),
    }
}

pub(crate) fn no_multiplexer(lang: NoteLang, name: &str) -> String {
    match lang {
        NoteLang::En => format!(
            "{name}: this emulated terminal cannot run a terminal multiplexer; open a second SSH \
             session instead.\n"
        ),
        NoteLang::Ko => format!(
            "{name}: 에뮬레이션된 터미널에서는 터미널 멀티플렉서를 실행할 수 없습니다. 대신 SSH \
             세션을 하나 더 여세요.\n"
        ),
    }
}

pub(crate) fn no_ssh_client(lang: NoteLang) -> &'static str {
    match lang {
        NoteLang::En => {
            "ssh: there is no SSH client inside the emulated workstation; the cloudlings shell's \
             own ssh command connects to instances.\n"
        }
        NoteLang::Ko => {
            "ssh: 에뮬레이션된 워크스테이션 안에는 SSH 클라이언트가 없습니다. 인스턴스에는 \
             cloudlings 셸의 ssh 명령으로 접속하세요.\n"
        }
    }
}

pub(crate) fn shutdown_only_now(lang: NoteLang) -> &'static str {
    match lang {
        NoteLang::En => {
            "(The emulated instance only acts on 'shutdown now' and 'shutdown -r now'.)\n"
        }
        NoteLang::Ko => {
            "(에뮬레이션된 인스턴스는 'shutdown now'와 'shutdown -r now'만 실행합니다.)\n"
        }
    }
}

pub(crate) fn part_of_image(lang: NoteLang, name: &str) -> String {
    match lang {
        NoteLang::En => format!(
            "E: {name} is part of the image; removing it is not supported in this emulated \
             instance\n"
        ),
        NoteLang::Ko => format!(
            "E: 패키지 {name}: 이미지의 일부라서 에뮬레이션된 인스턴스에서는 지울 수 없습니다\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_comes_from_the_locale_the_client_sends() {
        assert_eq!(
            NoteLang::from_env("LANG", "ko_KR.UTF-8"),
            Some(NoteLang::Ko)
        );
        assert_eq!(
            NoteLang::from_env(LANGUAGE_VARIABLE, "en"),
            Some(NoteLang::En)
        );
        assert_eq!(NoteLang::from_env("TERM", "ko"), None);
        assert_eq!(NoteLang::from_env("LANG", ""), None);
    }
}
