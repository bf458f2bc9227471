//! Why a probe could not look, apart from [`super::probe`] for the same reason as
//! [`super::context`]: every kind of probe returns it.
//!
//! The learner reads it in their language ([`ProbeError::words`]); what it quotes (a path, a
//! host, an operating system's reason) stays as it was written, and is shown visibly.

use std::path::PathBuf;
use std::time::Duration;

use crate::lang::Lang;
use crate::lang::particle::{Particle, attach};
use crate::text::Text;

/// A probe that could not look.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("cannot read {}: {}", path.display(), crate::strerror::strerror(source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("there is no cloud to look at (no emulator or endpoint is set)")]
    NoTarget,
    #[error("cannot ask {target}: {error}")]
    Unreachable { target: String, error: String },
    /// The probe ran out of a short patience ([`super::Context::patience`]) before the answer
    /// came: a silence so short says nothing, not even that a connection times out.
    #[error("{target} did not answer within {} ms", patience.as_millis())]
    NotYet { target: String, patience: Duration },
    /// The lesson asked to look where it may not ([`super::reach`]).
    #[error("this lesson may not look at {what}, {}", beyond.english())]
    OutOfReach { what: String, beyond: Beyond },
}

/// Why a place is out of a lesson's reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Beyond {
    /// A path outside the course folder.
    Folder,
    /// A path inside it through a link that leads out of it.
    Link,
    /// A host that is not of the cloud the lesson runs on.
    Cloud,
    /// A host that is not of the emulated cloud.
    Emulated,
    /// A name that leads to this machine or a network around it.
    Private { address: String },
    /// An address that would carry what was read from a file.
    FileValue { name: String },
}

impl Beyond {
    fn english(&self) -> String {
        match self {
            Beyond::Folder => "outside the folder cloudlings runs in".into(),
            Beyond::Link => "which a link leads out of the folder cloudlings runs in".into(),
            Beyond::Cloud => "which is not a host of the cloud the lesson runs on".into(),
            Beyond::Emulated => "which is not a host of the emulated cloud".into(),
            Beyond::Private { address } => format!("which leads to {address}, not the internet"),
            Beyond::FileValue { name } => {
                format!("with {{{name}}} in it, which was read from a file")
            }
        }
    }

    fn korean(&self) -> String {
        match self {
            Beyond::Folder => "cloudlings를 실행한 폴더 밖입니다".into(),
            Beyond::Link => "링크를 따라가면 cloudlings를 실행한 폴더 밖으로 나갑니다".into(),
            Beyond::Cloud => "수업이 실행되는 클라우드의 호스트가 아닙니다".into(),
            Beyond::Emulated => "에뮬레이션된 클라우드의 호스트가 아닙니다".into(),
            Beyond::Private { address } => {
                format!(
                    "인터넷이 아니라 {address}{} 이어집니다",
                    Particle::EuroRo.after(address)
                )
            }
            Beyond::FileValue { name } => {
                format!(
                    "파일에서 읽은 {{{name}}}{} 들어 있습니다",
                    Particle::IGa.after(name)
                )
            }
        }
    }
}

impl ProbeError {
    /// The error as the learner reads it in `lang`.
    pub fn words(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::En, error) => error.to_string(),
            (Lang::Ko, ProbeError::Io { path, source }) => {
                let path = attach(&path.display().to_string(), Particle::EulReul);
                let reason = os_reason(source);
                format!("{path} 읽지 못했습니다: {reason}")
            }
            (Lang::Ko, ProbeError::NoTarget) => {
                "살펴볼 클라우드가 없습니다(에뮬레이터도 엔드포인트도 설정되지 않았습니다)".into()
            }
            (Lang::Ko, ProbeError::Unreachable { target, error }) => {
                format!("{target}에 묻지 못했습니다: {error}")
            }
            (Lang::Ko, ProbeError::NotYet { target, patience }) => {
                let target = attach(target, Particle::IGa);
                let ms = patience.as_millis();
                format!("{target} {ms}ms 안에 답하지 않았습니다")
            }
            (Lang::Ko, ProbeError::OutOfReach { what, beyond }) => {
                let reason = beyond.korean();
                format!("이 수업은 {what}에 접근할 수 없습니다. {reason}")
            }
        }
    }

    /// The error in both languages, for an outcome that is shown later in either.
    pub fn text(&self) -> Text {
        Text {
            en: self.words(Lang::En),
            ko: Some(self.words(Lang::Ko)),
        }
    }
}

/// An operating system's reason in Korean, for the reasons a file probe meets; others as the
/// C library words them.
fn os_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "그런 파일이나 디렉터리가 없습니다".into(),
        ErrorKind::PermissionDenied => "권한이 없습니다".into(),
        ErrorKind::IsADirectory => "디렉터리입니다".into(),
        _ => crate::strerror::strerror(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_reads_in_korean_with_particles_that_agree() {
        let missing = ProbeError::Io {
            path: "key.pem".into(),
            source: std::io::Error::from_raw_os_error(2),
        };
        assert_eq!(
            missing.words(Lang::En),
            "cannot read key.pem: No such file or directory"
        );
        assert_eq!(
            missing.words(Lang::Ko),
            "key.pem을 읽지 못했습니다: 그런 파일이나 디렉터리가 없습니다"
        );
        let outside = ProbeError::OutOfReach {
            what: "~/.ssh/id_rsa".into(),
            beyond: Beyond::Folder,
        };
        assert_eq!(
            outside.words(Lang::En),
            "this lesson may not look at ~/.ssh/id_rsa, outside the folder cloudlings runs in"
        );
        assert_eq!(
            outside.words(Lang::Ko),
            "이 수업은 ~/.ssh/id_rsa에 접근할 수 없습니다. cloudlings를 실행한 폴더 밖입니다"
        );
        let private = ProbeError::OutOfReach {
            what: "intranet.example".into(),
            beyond: Beyond::Private {
                address: "10.0.0.7".into(),
            },
        };
        assert!(private.words(Lang::Ko).ends_with("10.0.0.7로 이어집니다"));
        let slow = ProbeError::NotYet {
            target: "http://web".into(),
            patience: Duration::from_millis(800),
        };
        assert_eq!(
            slow.words(Lang::Ko),
            "http://web이 800ms 안에 답하지 않았습니다"
        );
        for error in [missing, outside, private, slow, ProbeError::NoTarget] {
            let text = error.text();
            assert!(!text.get(Lang::Ko).is_empty() && text.get(Lang::Ko) != text.en);
        }
    }
}
